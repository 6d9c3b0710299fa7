#include "web/person_page.h"

#include <algorithm>
#include <random>
#include <stdexcept>
#include <string_view>

#include <fmt/format.h>

#include "expand/audience.h"
#include "expand/expander.h"
#include "web/meeting_fragments.h"
#include "web/page_layout.h"

namespace plancal::web {

namespace {

/// The plans the scope covers, each with the view of who sees what in it.
struct CoveredPlan {
  std::shared_ptr<const Plan> plan;
  Audience audience;
};

std::vector<CoveredPlan> covered_plans(const PageSource& source, const PageScope& scope) {
  std::vector<CoveredPlan> covered;
  for (auto& plan : source.plans()) {
    if (!scope.plan_id.empty() && plan->id != scope.plan_id) continue;
    auto audience = parse_audience(scope.audience, *plan);
    if (!audience.ok()) continue;  // the audience does not appear in this plan
    covered.push_back({std::move(plan), std::move(audience.value())});
  }
  return covered;
}

using SharedView = std::shared_ptr<const MeetingView>;

bool starts_before(const SharedView& a, const SharedView& b) {
  if (a->date_iso != b->date_iso) return a->date_iso < b->date_iso;
  return a->time_text < b->time_text;
}

/// What the feed behind the subscribe buttons calls itself (X-WR-CALNAME), so the calendar
/// is added under the same name.
std::string feed_calendar_name(const std::vector<CoveredPlan>& covered, const PageScope& scope) {
  if (!scope.plan_id.empty() && covered.size() == 1) {
    return calendar_name_for(*covered.front().plan, scope.audience);
  }
  std::vector<const Plan*> plans;
  for (const auto& c : covered) plans.push_back(c.plan.get());
  return cross_plan_calendar_name(plans, scope.audience);
}

/// Where the template leaves a list of meetings, to be replaced by their articles: the
/// articles are rendered once per published state and spliced in, since a template writes
/// only escaped text (and one partial per meeting made the meetings most of a page's work).
/// Letters, digits and dashes, which escaping leaves as they are, with a random part made
/// once per process, so that no plan text can pose as it.
std::string meetings_marker(std::string_view list) {
  static const std::string kNonce = [] {
    std::random_device random;
    return fmt::format("{:08x}{:08x}{:08x}{:08x}", random(), random(), random(), random());
  }();
  return fmt::format("plancal-meetings-{}-{}", kNonce, list);
}

/// Cuts `html` from `from` at the one `marker` into `pieces`: the text before it, then `list`;
/// returns where the rest begins.
std::size_t cut_at(const std::string& html, std::size_t from, const std::string& marker,
                   std::shared_ptr<const std::string> list, PagePieces& pieces) {
  const auto at = html.find(marker, from);
  if (at == std::string::npos) throw std::logic_error("templates/person.mustache lost " + marker);
  pieces.pieces.push_back(std::make_shared<const std::string>(html, from, at - from));
  pieces.pieces.push_back(std::move(list));
  return at + marker.size();
}

/// The meetings' articles in order, the first one's agenda open when `open_first_agenda`
/// (the next meeting shows its agenda; the others keep it folded: a phone scrolls less),
/// separated by an empty line, as the pages have always had them.
std::shared_ptr<const std::string> meetings_html(const std::vector<SharedView>& meetings,
                                                 bool open_first_agenda,
                                                 MeetingFragments* fragments) {
  if (fragments != nullptr) return fragments->list_html(meetings, open_first_agenda);
  std::string html;
  for (std::size_t i = 0; i < meetings.size(); ++i) {
    if (i > 0) html += '\n';
    html += render_meeting(*meetings[i], open_first_agenda && i == 0);
  }
  return std::make_shared<const std::string>(std::move(html));
}

/// The person's make-up dates in the covered plans that have not started at `now`.
std::vector<MakeupOffer> offers_ahead(const PageSource& source,
                                      const std::vector<CoveredPlan>& covered,
                                      const PageScope& scope, std::int64_t now) {
  constexpr std::string_view kPerson = "person:";
  std::vector<MakeupOffer> ahead;
  if (!scope.audience.starts_with(kPerson)) return ahead;
  for (const auto& offer : source.makeup_offers(scope.audience.substr(kPerson.size()))) {
    const bool in_scope = std::any_of(covered.begin(), covered.end(), [&](const CoveredPlan& c) {
      return c.plan->id == offer.plan_id;
    });
    if (in_scope && offer.starts_at > now) ahead.push_back(offer);  // kept soonest first
  }
  return ahead;
}

TemplateData makeups_data(const std::vector<MakeupOffer>& offers) {
  TemplateData list(TemplateData::type::list);
  for (const auto& offer : offers) {
    TemplateData item;
    item.set("text", offer.text);
    item.set("time_text", offer.time_text);
    item.set("moved", flag(offer.moved));
    list.push_back(item);
  }
  return list;
}

}  // namespace

std::optional<std::string> audience_name(const Plan& plan, const std::string& audience) {
  return audience_display_name(plan, audience);
}

Result<PersonPage> build_person_page(const PageSource& source, const PageRequest& request,
                                     MeetingViews* views) {
  const auto covered = covered_plans(source, request.scope);
  if (covered.empty()) {
    return Error{"no plan has the audience " + request.scope.audience +
                 (request.scope.plan_id.empty() ? "" : " (plan " + request.scope.plan_id + ")")};
  }
  PersonPage page;
  const std::string name =
      audience_name(*covered.front().plan, request.scope.audience).value_or("");
  page.heading = "Kalender for " + name;  // per-plan tokens too: the page is the person's
  page.organisation = covered.front().plan->organizer;
  for (const auto& [plan, audience] : covered) {
    page.programmes.push_back(
        {plan->calendar_name, overview_path_for(request.page_path, request.scope, plan->id)});
    const AudienceView view(*plan, audience);
    for (const auto& event : source.events(plan->id)) {
      if (event.current.plan_id != plan->id || !view.sees(event.current.audience)) continue;
      SharedView meeting = views != nullptr ? views->view(event, plan->calendar_name, request.now)
                                            : std::make_shared<const MeetingView>(meeting_view(
                                                  event, plan->calendar_name, request.now));
      (meeting->past ? page.past : page.upcoming).push_back(std::move(meeting));
    }
  }
  page.makeups = offers_ahead(source, covered, request.scope, request.now);
  std::sort(page.upcoming.begin(), page.upcoming.end(), starts_before);
  std::sort(page.past.begin(), page.past.end(),
            [](const SharedView& a, const SharedView& b) { return starts_before(b, a); });
  if (!request.feed_url.empty()) {
    const std::string name = feed_calendar_name(covered, request.scope);
    page.subscribe = request.qr_code ? subscribe_box("", request.feed_url, name)
                                     : subscribe_box_without_qr("", request.feed_url, name);
  }
  return page;
}

std::string PagePieces::joined() const {
  std::size_t size = 0;
  for (const auto& piece : pieces) size += piece->size();
  std::string html;
  html.reserve(size);
  for (const auto& piece : pieces) html += *piece;
  return html;
}

PagePieces render_person_page_pieces(const PersonPage& page, MeetingFragments* fragments) {
  TemplateData data = layout_data(page.heading, page.organisation);
  data.set("heading", page.heading);
  TemplateData programmes(TemplateData::type::list);
  for (const auto& programme : page.programmes) {
    TemplateData p;
    p.set("name", programme.name);
    set_text(p, "overview_path", programme.overview_path);
    programmes.push_back(p);
  }
  data.set("programmes", programmes);
  if (page.subscribe) data.set("subscribe", subscribe_data(*page.subscribe, "abonner"));
  data.set("has_makeups", flag(!page.makeups.empty()));
  data.set("has_open_makeups",
           flag(std::any_of(page.makeups.begin(), page.makeups.end(),
                            [](const MakeupOffer& offer) { return !offer.moved; })));
  data.set("makeups", makeups_data(page.makeups));
  const std::string upcoming_marker = meetings_marker("upcoming");
  const std::string past_marker = meetings_marker("past");
  data.set("upcoming_meetings", upcoming_marker);
  data.set("upcoming_count", std::to_string(page.upcoming.size()));
  data.set("has_upcoming", flag(!page.upcoming.empty()));
  data.set("past_meetings", past_marker);
  data.set("has_past", flag(!page.past.empty()));
  std::string html = render_template("person", data);
  PagePieces pieces;
  std::size_t rest = 0;
  if (!page.upcoming.empty()) {
    rest =
        cut_at(html, rest, upcoming_marker, meetings_html(page.upcoming, true, fragments), pieces);
  }
  if (!page.past.empty()) {
    rest = cut_at(html, rest, past_marker, meetings_html(page.past, false, fragments), pieces);
  }
  pieces.pieces.push_back(std::make_shared<const std::string>(html, rest));
  return pieces;
}

std::string render_person_page(const PersonPage& page, MeetingFragments* fragments) {
  return render_person_page_pieces(page, fragments).joined();
}

}  // namespace plancal::web
