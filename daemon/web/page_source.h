#pragma once
/// What the pages read, behind one small interface, so the page logic is tested without a
/// database and the server implements it over the state store.
///
/// The pages need: the plans of the config (titles, calendar names, teams, rows, roster: who
/// a person is), every published event of a plan with its history (what it is now, whether it
/// left the plan, and what it was when first published), and the feed link of an audience
/// (for a team's subscribe buttons on the year overview). Which events an audience sees is
/// not the source's business: pages decide it with expand's AudienceView, the same rule as
/// feeds, push targets and reminders.

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "expand/event_revision.h"
#include "expand/occurrence.h"
#include "plan/model.h"

namespace plancal::web {

/// One published event and what the page says about its history.
struct TrackedEvent {
  Occurrence current;      ///< as last published (for a removed event: its last version)
  EventRevision revision;  ///< SEQUENCE and stamps, as the feeds show them
  bool removed = false;    ///< left the plan after it was published: shown as AVLYST
  /// The version subscribers first got; nullopt when it never changed (or is not known).
  std::optional<Occurrence> first_published;
};

/// A make-up date offered on a person's own page (attendance/makeup.h): another team's date
/// of a meeting they missed. Read from the registers when the pages' state is built; the
/// registers themselves never reach a page.
struct MakeupOffer {
  std::string plan_id;
  /// "Du kan ta igjen møte 4 med Team C mandag 25. mars", or "Flyttet til …" once a leader
  /// has moved the person there.
  std::string text;
  std::string time_text;       ///< "kl. 09.00–12.00"
  std::int64_t starts_at = 0;  ///< Unix seconds: offered until the date starts
  bool moved = false;

  bool operator==(const MakeupOffer&) const = default;
};

/// The offers by person id, soonest first.
using MakeupOffers = std::map<std::string, std::vector<MakeupOffer>, std::less<>>;

/// Whom a page link was made for: a token's audience and, for a per-plan token, its plan.
struct PageScope {
  std::string audience;  ///< "person:kari", "team:A", "role:leder" or "all"
  std::string plan_id;   ///< empty: every plan of the config in which the audience appears
};

class PageSource {
 public:
  virtual ~PageSource() = default;

  /// The plans of the config, in the config's order. Shared pointers: a reload may replace
  /// the plans while a page is being built from the old ones.
  [[nodiscard]] virtual std::vector<std::shared_ptr<const Plan>> plans() const = 0;

  /// Every published event of the plan, active and removed, in any order; kept by the source
  /// for as long as it lives (pages cache what they render from each event by its address).
  [[nodiscard]] virtual const std::vector<TrackedEvent>& events(std::string_view plan_id) const = 0;

  /// The http(s):// feed link for `scope` (a team's feed of one plan, say), or nullopt when
  /// there is none to offer; the subscribe buttons of that audience are then left out.
  [[nodiscard]] virtual std::optional<std::string> feed_url(const PageScope& scope) const = 0;

  /// The make-up dates offered to the person with this id, soonest first, including those
  /// already started (the page leaves them out by its own clock); none by default.
  [[nodiscard]] virtual const std::vector<MakeupOffer>& makeup_offers(
      std::string_view person_id) const;
};

/// One page request, as the server hands it to the page builders.
struct PageRequest {
  PageScope scope;       ///< from the token in the link
  std::string feed_url;  ///< the token's own feed link (its subscribe buttons)
  /// The personal page's own path ("/p/<token>"): links to the year overviews hang below it
  /// ("/p/<token>/aar/<plan>"). Empty: no such links.
  std::string page_path;
  std::int64_t now = 0;  ///< Unix seconds: what is upcoming and what is past
  /// false: the subscribe box is drawn without its QR code, which the caller adds (pages
  /// rendered ahead draw it per link, page_frames.h).
  bool qr_code = true;
};

}  // namespace plancal::web
