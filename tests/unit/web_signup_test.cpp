// The public sign-up pages of a series (seed 003, config/plans/dybdemoter-2021.yaml), called
// as functions against a real state database: what the page shows, what a post stores, and
// every way a post is refused without storing anything.

#include <gtest/gtest.h>

#include <map>
#include <regex>

#include "base/hash.h"
#include "plan/loader.h"
#include "store/registration_mails.h"
#include "store/registrations.h"
#include "store/secrets.h"
#include "test_support.h"
#include "web/signup_form.h"
#include "web/signup_mail.h"
#include "web/signup_page.h"
#include "web/signup_response.h"
#include "web/signup_view.h"

namespace plancal::web {
namespace {

// 2021-08-20 12:00 in Oslo (CEST, UTC+2): before seed 003's deadline, 26 August.
constexpr std::int64_t kBeforeDeadline = 1'629'453'600;
constexpr std::string_view kPath = "/pamelding/dybdemoter-2021/dybdemote";
const std::string kLinkKey(32, 'k');

std::string url_encode(const std::string& text) {
  static constexpr std::string_view kHex = "0123456789ABCDEF";
  std::string out;
  for (const unsigned char c : text) {
    if (std::isalnum(c) != 0 || c == '-' || c == '.' || c == '_') {
      out.push_back(static_cast<char>(c));
    } else {
      out += '%';
      out.push_back(kHex[c >> 4U]);
      out.push_back(kHex[c & 0x0FU]);
    }
  }
  return out;
}

class WebSignupTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto load = load_plan_file(testing::example_plan("dybdemoter-2021.yaml").string());
    ASSERT_TRUE(load.plan);
    plan_ = std::make_shared<const Plan>(std::move(*load.plan));
    auto opened = StateDatabase::open((dir_.path() / "plancal.db").string());
    ASSERT_TRUE(opened.ok()) << opened.error().message;
    database_.emplace(std::move(*opened));
    make_pages(20);
  }

  void make_pages(int posts_per_window) {
    SignupDependencies deps{
        .plans = [this] { return std::vector<std::shared_ptr<const Plan>>{plan_}; },
        .database = *database_,
        .link_key = Secret(kLinkKey),
        .now = [this] { return now_; },
        .message_id_domain = "plancal.test",
        .registrations_changed = [this] { ++registrations_changed_; },
        .mail_planned = [this] { ++mails_planned_; },
        .posts_per_window = posts_per_window,
        .window_seconds = 600,
        .secure_cookie = false,
    };
    pages_ = std::make_unique<SignupPages>(std::move(deps));
  }

  httpd::HttpResponse request(std::string_view method, const std::string& path,
                              const std::string& body = "") {
    httpd::HttpRequest r;
    r.method = method;
    r.path = path;
    r.version = "HTTP/1.1";
    r.client_address = "192.0.2.7";
    if (!cookie_.empty()) r.cookie = cookie_;
    r.content_type = "application/x-www-form-urlencoded";
    r.body = body;
    auto response = pages_->handle(r);
    if (auto set = response.header("Set-Cookie")) cookie_ = set->substr(0, set->find(';'));
    return response;
  }

  /// GETs `path` and returns the CSRF token of its form.
  std::string token_from(const std::string& path) {
    const auto page = request("GET", path);
    std::smatch match;
    const std::string body(page.payload());
    EXPECT_TRUE(
        std::regex_search(body, match, std::regex(R"re(name="csrf" value="([0-9a-f]{64})")re")))
        << body;
    return match.size() > 1 ? match[1].str() : "";
  }

  std::string form_body(std::map<std::string, std::string> fields, const std::string& token) {
    fields["csrf"] = token;
    std::string body;
    for (const auto& [name, value] : fields) {
      body += (body.empty() ? "" : "&") + name + "=" + url_encode(value);
    }
    return body;
  }

  std::map<std::string, std::string> valid_fields() {
    return {{"organisasjon", "Fretex Oslo"},
            {"kontaktperson", "Kari Nordmann"},
            {"epost", "kari@fretex.example.no"},
            {"deltakere", "4"},
            {"valg1", "tirsdag"},
            {"valg2", "torsdag"}};
  }

  httpd::HttpResponse post(const std::map<std::string, std::string>& fields) {
    const std::string token = token_from(std::string(kPath));
    return request("POST", std::string(kPath), form_body(fields, token));
  }

  std::vector<RegistrationRecord> stored() {
    return *RegistrationStore(*database_).registrations("");
  }

  /// The confirm link of a stored registration, made again from its nonce and the key.
  std::string confirm_path(const RegistrationRecord& r) {
    return confirm_link_path(derive_token_secret(kLinkKey, r.confirm_nonce));
  }

  testing::TempDir dir_;
  std::shared_ptr<const Plan> plan_;
  std::optional<StateDatabase> database_;
  std::unique_ptr<SignupPages> pages_;
  std::int64_t now_ = kBeforeDeadline;
  std::string cookie_;
  int mails_planned_ = 0;
  int registrations_changed_ = 0;
};

TEST_F(WebSignupTest, ThePageShowsRowsDatesPlacesFulltAndTheDeadline) {
  const auto page = request("GET", std::string(kPath));
  ASSERT_EQ(page.status, 200);
  const std::string body(page.payload());
  EXPECT_NE(body.find("Datorekke 1: Tirsdager"), std::string::npos);
  EXPECT_NE(body.find("tirsdag 7. september 2021 kl. 09.00"), std::string::npos);
  EXPECT_NE(body.find("Påmeldingsfrist: torsdag 26. august 2021"), std::string::npos);
  EXPECT_NE(body.find("Plasser igjen: 1 av 1"), std::string::npos);
  EXPECT_NE(body.find("FULLT"), std::string::npos) << "the Wednesday row is marked full";
  EXPECT_NE(
      body.find(
          "<form class=\"form\" method=\"post\" action=\"/pamelding/dybdemoter-2021/dybdemote\""),
      std::string::npos);
  EXPECT_NE(body.find("Fra 2 til 15 personer."), std::string::npos);
  EXPECT_EQ(page.header("Cache-Control"), "no-store");
  EXPECT_NE(page.header("Content-Security-Policy")->find("default-src 'none'"), std::string::npos);
  const auto cookie = page.header("Set-Cookie");
  ASSERT_TRUE(cookie);
  EXPECT_NE(cookie->find("HttpOnly; SameSite=Strict"), std::string::npos);
  EXPECT_EQ(request("GET", "/pamelding/dybdemoter-2021/ukjent").status, 404);
  EXPECT_EQ(request("GET", "/pamelding/ukjent-plan/dybdemote").status, 404);
  EXPECT_EQ(request("DELETE", std::string(kPath)).status, 405);
}

TEST_F(WebSignupTest, AConfirmedRegistrationTakesThePlaceAndTheRowShowsFullt) {
  const auto response = post(valid_fields());
  ASSERT_EQ(response.status, 200) << response.payload();
  EXPECT_NE(response.payload().find("Takk for påmeldingen"), std::string::npos);
  auto registrations = stored();
  ASSERT_EQ(registrations.size(), 1U);
  EXPECT_EQ(registrations[0].organisation, "Fretex Oslo");
  EXPECT_EQ(registrations[0].preferences, (std::vector<std::string>{"tirsdag", "torsdag"}));
  EXPECT_EQ(registrations[0].state, RegistrationState::Unconfirmed);
  EXPECT_EQ(mails_planned_, 1);
  EXPECT_EQ(RegistrationMailStore(*database_).due(now_)->size(), 1U);
  EXPECT_NE(std::string(request("GET", std::string(kPath)).payload()).find("Plasser igjen: 1 av 1"),
            std::string::npos)
      << "an unconfirmed registration takes no place";

  const std::string link = confirm_path(registrations[0]);
  const auto button = request("GET", link);
  ASSERT_EQ(button.status, 200);
  EXPECT_NE(button.payload().find("Bekreft påmeldingen"), std::string::npos);
  EXPECT_EQ(stored()[0].state, RegistrationState::Unconfirmed) << "a GET confirms nothing";

  const std::string token = token_from(link);
  const auto confirmed = request("POST", link, "csrf=" + token);
  ASSERT_EQ(confirmed.status, 200) << confirmed.payload();
  EXPECT_NE(confirmed.payload().find("Påmeldingen er bekreftet"), std::string::npos);
  EXPECT_EQ(stored()[0].state, RegistrationState::Confirmed);
  EXPECT_EQ(registrations_changed_, 1) << "a confirmation may place someone after the deadline";

  const std::string page(request("GET", std::string(kPath)).payload());
  EXPECT_NE(page.find("Ingen plasser igjen av 1"), std::string::npos);
  const auto tuesday = page.find("Datorekke 1: Tirsdager");
  const auto thursday = page.find("Datorekke 3: Torsdager");
  EXPECT_NE(page.substr(tuesday, thursday - tuesday).find("FULLT"), std::string::npos);
  EXPECT_EQ(page.substr(thursday).find("FULLT"), std::string::npos);
}

TEST_F(WebSignupTest, BadInputComesBackWithErrorsBesideTheFieldsAndStoresNothing) {
  auto fields = valid_fields();
  fields["organisasjon"] = std::string(201, 'x');
  fields["kontaktperson"] = "";
  fields["epost"] = "kari@fretex";
  fields["deltakere"] = "16";
  fields["valg1"] = "fredag";
  const auto response = post(fields);
  EXPECT_EQ(response.status, 422);
  const std::string body(response.payload());
  EXPECT_NE(body.find("Skriv høyst 200 tegn."), std::string::npos);
  EXPECT_NE(body.find("Skriv navnet på kontaktpersonen."), std::string::npos);
  EXPECT_NE(body.find("Skriv en e-postadresse som navn@eksempel.no."), std::string::npos);
  EXPECT_NE(body.find("Skriv et tall fra 2 til 15."), std::string::npos);
  EXPECT_NE(body.find("Velg en av datorekkene i listen."), std::string::npos);
  EXPECT_NE(body.find("value=\"kari@fretex\""), std::string::npos) << "what was typed is kept";
  EXPECT_NE(body.find("value=\"16\""), std::string::npos);
  EXPECT_NE(body.find("<option value=\"torsdag\" selected>"), std::string::npos);
  const auto error_at = body.find("id=\"felt-epost-feil\"");
  const auto input_at = body.find("id=\"felt-epost\" name=\"epost\"");
  ASSERT_NE(error_at, std::string::npos);
  EXPECT_LT(input_at - error_at, 200U) << "the error stands next to its field";
  EXPECT_TRUE(stored().empty());

  fields = valid_fields();
  fields["deltakere"] = "1";
  fields["organisasjon"] = "<script>alert(1)</script>";
  const std::string again(post(fields).payload());
  EXPECT_NE(again.find("&lt;script&gt;alert(1)&lt;/script&gt;"), std::string::npos);
  EXPECT_EQ(again.find("<script>"), std::string::npos);
  fields = valid_fields();
  fields["valg1"] = "";
  fields["valg2"] = "";
  EXPECT_NE(std::string(post(fields).payload()).find("Velg minst én datorekke som passer."),
            std::string::npos);
  fields = valid_fields();
  fields["valg2"] = "tirsdag";
  EXPECT_NE(std::string(post(fields).payload()).find("allerede valgt"), std::string::npos);
  EXPECT_TRUE(stored().empty());
}

TEST_F(WebSignupTest, APostWithoutAValidCsrfTokenIsRefusedAndStoresNothing) {
  (void)request("GET", std::string(kPath));  // the cookie
  EXPECT_EQ(request("POST", std::string(kPath), form_body(valid_fields(), "")).status, 403);
  EXPECT_EQ(
      request("POST", std::string(kPath), form_body(valid_fields(), std::string(64, 'a'))).status,
      403);
  const std::string token = token_from(std::string(kPath));
  cookie_.clear();  // the token of another browser's cookie
  EXPECT_EQ(request("POST", std::string(kPath), form_body(valid_fields(), token)).status, 403);
  EXPECT_TRUE(stored().empty());
}

TEST_F(WebSignupTest, TheHoneypotStoresNothingButLooksAccepted) {
  auto fields = valid_fields();
  fields["nettsted"] = "http://spam.example";
  const auto response = post(fields);
  EXPECT_EQ(response.status, 200);
  EXPECT_NE(response.payload().find("Takk for påmeldingen"), std::string::npos);
  EXPECT_TRUE(stored().empty());
  EXPECT_EQ(mails_planned_, 0);
}

TEST_F(WebSignupTest, AfterTheDeadlineTheFormIsClosedAndAPostStoresNothing) {
  now_ = 1'630'015'140;  // 2021-08-26 23:59 in Oslo: the last day is still open
  EXPECT_NE(std::string(request("GET", std::string(kPath)).payload()).find("<form"),
            std::string::npos);
  const std::string token = token_from(std::string(kPath));
  now_ = 1'630'015'200;  // 2021-08-27 00:00 in Oslo
  const std::string page(request("GET", std::string(kPath)).payload());
  EXPECT_NE(page.find("Påmeldingen er stengt."), std::string::npos);
  EXPECT_EQ(page.find("<form"), std::string::npos);
  const auto refused = request("POST", std::string(kPath), form_body(valid_fields(), token));
  EXPECT_EQ(refused.status, 403);
  EXPECT_NE(refused.payload().find("Påmeldingen er stengt."), std::string::npos);
  EXPECT_TRUE(stored().empty());
}

TEST_F(WebSignupTest, TooManyPostsFromOneAddressGet429) {
  make_pages(2);
  auto fields = valid_fields();
  fields["deltakere"] = "0";  // refused as bad input, but counted
  EXPECT_EQ(post(fields).status, 422);
  EXPECT_EQ(post(fields).status, 422);
  const auto limited = post(valid_fields());
  EXPECT_EQ(limited.status, 429);
  EXPECT_TRUE(limited.header("Retry-After"));
  EXPECT_TRUE(stored().empty());
  now_ += 600;
  EXPECT_EQ(post(valid_fields()).status, 200) << "a new window";
}

TEST_F(WebSignupTest, TheFormFromItsFrameReadsExactlyAsTheFormRenderedWhole) {
  const auto first = request("GET", std::string(kPath));  // sets the cookie
  ASSERT_EQ(first.status, 200);
  const auto again = request("GET", std::string(kPath));
  EXPECT_EQ(again.payload(), first.payload()) << "same cookie, same token, same bytes";
  EXPECT_FALSE(again.header("Set-Cookie").has_value()) << "the cookie is set once";

  // What rendering the whole page for this cookie gives, without any frame.
  httpd::HttpRequest same_browser;
  same_browser.method = "GET";
  same_browser.path = std::string(kPath);
  same_browser.cookie = cookie_;
  const auto registrations = RegistrationStore(*database_).registrations("");
  const SignupView view{*plan_, plan_->series.at(0), *registrations, false};
  const auto whole = render_with_csrf(same_browser, 200, "signup",
                                      signup_data(view, FormState{}, std::string(kPath)),
                                      std::string(kPath), false);
  EXPECT_EQ(again.payload(), whole.payload());

  cookie_.clear();
  const auto stranger = request("GET", std::string(kPath));
  EXPECT_NE(stranger.payload(), first.payload()) << "another browser, another token";
}

TEST_F(WebSignupTest, AConfirmationMadeByAnotherConnectionShowsOnThePageAtOnce) {
  ASSERT_EQ(post(valid_fields()).status, 200);
  const auto r = stored()[0];
  EXPECT_NE(request("GET", std::string(kPath)).payload().find("Plasser igjen: 1 av 1"),
            std::string::npos);
  // The daemon's mail job and `plancal registrations ...` write through their own
  // connections; the page must not keep showing what it rendered before.
  auto other = StateDatabase::open((dir_.path() / "plancal.db").string());
  ASSERT_TRUE(other.ok());
  ASSERT_TRUE(
      RegistrationStore(*other)
          .confirm(sha256_hex(derive_token_secret(kLinkKey, r.confirm_nonce)), "<r@x>", now_)
          .ok());
  const std::string page(request("GET", std::string(kPath)).payload());
  const auto tuesday = page.find("Datorekke 1: Tirsdager");
  const auto wednesday = page.find("Datorekke 2: Onsdager");
  EXPECT_NE(page.substr(tuesday, wednesday - tuesday).find("FULLT"), std::string::npos) << page;
}

TEST_F(WebSignupTest, APlacedOrganisationSubscribesToItsRowAndOnlyThatRow) {
  ASSERT_EQ(post(valid_fields()).status, 200);
  const auto r = stored()[0];
  ASSERT_TRUE(
      RegistrationStore(*database_)
          .confirm(sha256_hex(derive_token_secret(kLinkKey, r.confirm_nonce)), "<r@x>", now_)
          .ok());
  ASSERT_TRUE(
      RegistrationStore(*database_)
          .apply_placements({{r.id, "tirsdag", "Datorekke 1: Tirsdager: plassert", "<p@x>"}}, now_)
          .ok());
  const std::string feed = row_feed_path(row_feed_secret(kLinkKey, r.change_nonce));
  const auto calendar = request("GET", feed);
  ASSERT_EQ(calendar.status, 200) << calendar.payload();
  EXPECT_EQ(calendar.header("Content-Type"), "text/calendar; charset=utf-8");
  const std::string ics(calendar.payload());
  EXPECT_NE(ics.find("X-WR-CALNAME:Fretex Oslo – Datorekke 1: Tirsdager"), std::string::npos)
      << ics;
  std::vector<std::string> uids;
  const std::regex uid_line("UID:([^\r]+)\r\n");
  for (auto it = std::sregex_iterator(ics.begin(), ics.end(), uid_line);
       it != std::sregex_iterator(); ++it) {
    uids.push_back((*it)[1]);
  }
  EXPECT_EQ(uids, (std::vector<std::string>{"dybdemoter-2021.dybdemote.tirsdag.all.1@plancal",
                                            "dybdemoter-2021.dybdemote.tirsdag.all.2@plancal",
                                            "dybdemoter-2021.dybdemote.tirsdag.all.3@plancal",
                                            "dybdemoter-2021.dybdemote.tirsdag.all.4@plancal"}))
      << "the four Tuesdays, with the UIDs of their invitations";
  EXPECT_NE(ics.find("DTSTART;TZID=Europe/Oslo:20210907T"), std::string::npos);

  // The change link's secret is not a feed, and a feed's secret withdraws nothing.
  const std::string change_secret = derive_token_secret(kLinkKey, r.change_nonce);
  EXPECT_EQ(request("GET", row_feed_path(change_secret)).status, 404);
  EXPECT_EQ(request("GET", change_link_path(row_feed_secret(kLinkKey, r.change_nonce))).status,
            404);
  EXPECT_EQ(request("GET", row_feed_path(std::string(43, 'A'))).status, 404);

  // The placement mail carries the feed's link.
  const auto due = RegistrationMailStore(*database_).due(now_ + 60);
  ASSERT_TRUE(due.ok());
  const auto placement = std::find_if(due->begin(), due->end(), [](const RegistrationMail& m) {
    return m.kind == RegistrationMailKind::Placement;
  });
  ASSERT_NE(placement, due->end());
  SignupMailContext context{plan_.get(),
                            "https://kalender.example.no/pamelding/endre/x",
                            {"Kompetansetjenesten", "kurs@example.no"},
                            now_,
                            "https://kalender.example.no" + feed};
  EXPECT_NE(
      compose_signup_mail(*placement, context).text.find("https://kalender.example.no" + feed),
      std::string::npos);

  // Withdrawn: the subscription empties instead of keeping the meetings.
  ASSERT_TRUE(RegistrationStore(*database_).withdraw(sha256_hex(change_secret), now_).ok());
  const std::string after(request("GET", feed).payload());
  EXPECT_NE(after.find("BEGIN:VCALENDAR"), std::string::npos);
  EXPECT_EQ(after.find("BEGIN:VEVENT"), std::string::npos);
}

TEST_F(WebSignupTest, TheChangeLinkShowsTheStatusAndWithdraws) {
  ASSERT_EQ(post(valid_fields()).status, 200);
  const auto r = stored()[0];
  const std::string link = change_link_path(derive_token_secret(kLinkKey, r.change_nonce));
  const auto page = request("GET", link);
  ASSERT_EQ(page.status, 200);
  EXPECT_NE(page.payload().find("Organisasjon: Fretex Oslo"), std::string::npos);
  EXPECT_NE(page.payload().find("Datorekke 1: Tirsdager, Datorekke 3: Torsdager"),
            std::string::npos);
  EXPECT_EQ(request("POST", link, "csrf=").status, 403);
  const auto withdrawn = request("POST", link, "csrf=" + token_from(link));
  EXPECT_EQ(withdrawn.status, 200);
  EXPECT_EQ(stored()[0].state, RegistrationState::Withdrawn);
  EXPECT_EQ(registrations_changed_, 1) << "a withdrawal may give its place to the waiting list";
  EXPECT_EQ(request("GET", change_link_path(std::string(43, 'A'))).status, 404);
}

TEST_F(WebSignupTest, TheMailsCarryTheLinkTheStatusAndEscapeWhatWasTyped) {
  auto fields = valid_fields();
  fields["organisasjon"] = "Fretex <b>Oslo</b> & co";
  ASSERT_EQ(post(fields).status, 200);
  auto due = RegistrationMailStore(*database_).due(now_);
  ASSERT_TRUE(due.ok());
  ASSERT_EQ(due->size(), 1U);
  SignupMailContext context{plan_.get(),
                            "https://kalender.example.no/pamelding/bekreft/x",
                            {"Kompetansetjenesten", "kurs@example.no"},
                            now_,
                            {}};
  const auto confirm = compose_signup_mail((*due)[0], context);
  EXPECT_EQ(confirm.subject, "Bekreft påmeldingen: Dybdemøte om praksis");
  EXPECT_EQ(confirm.to.address, "kari@fretex.example.no");
  EXPECT_NE(confirm.text.find("https://kalender.example.no/pamelding/bekreft/x"),
            std::string::npos);
  EXPECT_NE(confirm.text.find("Datorekke 1: Tirsdager, Datorekke 3: Torsdager"), std::string::npos);
  EXPECT_NE(confirm.html.find("Fretex &lt;b&gt;Oslo&lt;/b&gt; &amp; co"), std::string::npos);
  EXPECT_EQ(confirm.html.find("<b>Oslo"), std::string::npos);

  const auto r = stored()[0];
  ASSERT_TRUE(RegistrationStore(*database_)
                  .confirm(sha256_hex(derive_token_secret(kLinkKey, r.confirm_nonce)),
                           "<receipt@plancal.test>", now_)
                  ->has_value());
  due = RegistrationMailStore(*database_).due(now_);
  ASSERT_EQ(due->size(), 2U);
  const auto receipt = compose_signup_mail((*due)[1], context);
  EXPECT_EQ(receipt.subject, "Kvittering for påmeldingen: Dybdemøte om praksis");
  EXPECT_NE(receipt.text.find("Status: bekreftet."), std::string::npos);
  EXPECT_NE(receipt.text.find("Endre eller trekk påmeldingen"), std::string::npos);
}

TEST(WebSignupFormTest, EmailAddressesThatCannotBeOne) {
  EXPECT_TRUE(plausible_email("kari@fretex.example.no"));
  EXPECT_FALSE(plausible_email("kari"));
  EXPECT_FALSE(plausible_email("@fretex.no"));
  EXPECT_FALSE(plausible_email("kari@fretex"));
  EXPECT_FALSE(plausible_email("kari@@fretex.no"));
  EXPECT_FALSE(plausible_email("kari nordmann@fretex.no"));
  EXPECT_FALSE(plausible_email("kari@fretex.no."));
  EXPECT_FALSE(plausible_email("kari@fretex..no"));
  EXPECT_FALSE(plausible_email(std::string(250, 'k') + "@a.no"));
}

}  // namespace
}  // namespace plancal::web
