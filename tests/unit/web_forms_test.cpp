// CSRF tokens and forms that come back with the errors next to the fields.

#include <gtest/gtest.h>

#include "web/csrf.h"
#include "web/form.h"
#include "web/templates.h"

namespace plancal::web {
namespace {

TEST(WebCsrfTest, ATokenWorksOnlyInItsSessionAndOnItsForm) {
  const Secret session = new_csrf_secret();
  const Secret other_session = new_csrf_secret();
  EXPECT_EQ(session.reveal().size(), 64U);
  EXPECT_FALSE(session == other_session);
  const std::string token = csrf_token(session, "/oppmote/2024-01-15");
  EXPECT_EQ(token.size(), 64U);
  EXPECT_EQ(token, csrf_token(session, "/oppmote/2024-01-15"));
  EXPECT_TRUE(csrf_token_valid(session, "/oppmote/2024-01-15", token));
  EXPECT_FALSE(csrf_token_valid(other_session, "/oppmote/2024-01-15", token));
  EXPECT_FALSE(csrf_token_valid(session, "/oppmote/2024-01-22", token));
  std::string flipped = token;
  flipped.back() = flipped.back() == '0' ? '1' : '0';
  EXPECT_FALSE(csrf_token_valid(session, "/oppmote/2024-01-15", flipped));
  EXPECT_FALSE(csrf_token_valid(session, "/oppmote/2024-01-15", ""));
  EXPECT_FALSE(csrf_token_valid(session, "/oppmote/2024-01-15", token + "0"));
  EXPECT_FALSE(csrf_token_valid(Secret(), "/oppmote/2024-01-15",
                                csrf_token(Secret(), "/oppmote/2024-01-15")));
}

TEST(WebCsrfTest, HmacMatchesTheStandardConstruction) {
  // HMAC-SHA256 with key "Jefe" over the context line "plancal csrf v1\n" and the purpose,
  // checked against a value computed independently (python3 -c 'import hmac,hashlib; ...').
  const std::string token = csrf_token(Secret("Jefe"), "what do ya want for nothing?");
  EXPECT_EQ(token, "e92277aebc6df0013881cc85d15000aa10ab3d572a1fe4815db719595323af03");
}

TEST(WebFormTest, ParsesUrlEncodedBodies) {
  const auto fields =
      parse_form_body("organisasjon=Nav+Vest%C3%B8st&antall=4&rad=tirsdag&rad=torsdag&tom=");
  ASSERT_TRUE(fields.ok()) << fields.error().message;
  ASSERT_EQ(fields->size(), 5U);
  EXPECT_EQ((*fields)[0], (std::pair<std::string, std::string>{"organisasjon", "Nav Vestøst"}));
  EXPECT_EQ((*fields)[3].second, "torsdag");
  EXPECT_EQ((*fields)[4].second, "");
}

TEST(WebFormTest, RefusesBrokenAndOversizedBodiesWithAReason) {
  EXPECT_NE(parse_form_body("a=%4").error().message.find("cut off"), std::string::npos);
  EXPECT_NE(parse_form_body("a=%zz").error().message.find("hex"), std::string::npos);
  EXPECT_NE(parse_form_body("a=%C3").error().message.find("UTF-8"), std::string::npos);
  EXPECT_NE(parse_form_body("a=%ED%A0%80").error().message.find("UTF-8"), std::string::npos);
  EXPECT_NE(parse_form_body("a=%C0%AF").error().message.find("UTF-8"), std::string::npos);
  FormLimits small;
  small.max_body_bytes = 20;
  small.max_fields = 2;
  small.max_value_bytes = 3;
  EXPECT_NE(parse_form_body(std::string(21, 'a'), small).error().message.find("bytes"),
            std::string::npos);
  EXPECT_NE(parse_form_body("a=1&b=2&c=3", small).error().message.find("more than 2 fields"),
            std::string::npos);
  EXPECT_NE(parse_form_body("a=1234", small).error().message.find("longer than 3"),
            std::string::npos);
}

TEST(WebFormTest, AFieldWithAnErrorKeepsItsValueAndShowsTheErrorBesideIt) {
  FormState form({{"epost", "kari@@example"}, {"navn", "Kari \"K\" <Nordmann>"}});
  form.add_error("epost", "Skriv en e-postadresse som name@example.no.");
  form.add_error("epost", "A second error is not shown.");
  EXPECT_TRUE(form.has_errors());
  EXPECT_EQ(form.value("navn"), "Kari \"K\" <Nordmann>");
  EXPECT_FALSE(form.error("navn"));

  const std::string email = render_template(
      "form_field", field_data({"epost", "E-postadresse", "email", "", true, 200}, form));
  EXPECT_NE(email.find("value=\"kari@@example\""), std::string::npos);
  EXPECT_NE(email.find("aria-invalid=\"true\""), std::string::npos);
  EXPECT_NE(email.find("aria-describedby=\"felt-epost-feil\""), std::string::npos);
  EXPECT_NE(email.find("id=\"felt-epost-feil\"><strong>Feil:</strong> Skriv en e-postadresse"),
            std::string::npos);
  EXPECT_EQ(email.find("A second error"), std::string::npos);
  EXPECT_NE(email.find("maxlength=\"200\" required"), std::string::npos);

  const std::string name = render_template(
      "form_field", field_data({"navn", "Navn", "text", "Som i folkeregisteret"}, form));
  EXPECT_NE(name.find("value=\"Kari &quot;K&quot; &lt;Nordmann&gt;\""), std::string::npos);
  EXPECT_EQ(name.find("aria-invalid"), std::string::npos);
  EXPECT_NE(name.find("aria-describedby=\"felt-navn-hint\""), std::string::npos);

  TemplateData csrf;
  csrf.set("csrf_name", std::string(kCsrfFieldName));
  csrf.set("csrf_token", csrf_token(Secret("s"), "/x"));
  EXPECT_NE(render_template("csrf_field", csrf).find("type=\"hidden\" name=\"csrf\" value=\""),
            std::string::npos);
}

}  // namespace
}  // namespace plancal::web
