#pragma once
/// The personal page behind a token's link: the meetings of one person (or team, role, or
/// everyone) across every plan they appear in. Upcoming first, with date, time, place or
/// meeting link, topic, speaker, preparation and agenda; past ones below, greyed; cancelled
/// ones marked AVLYST; and what changed since the meeting was first published. A person who
/// missed a meeting sees first the other teams' dates where they can take it.

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "base/result.h"
#include "web/meeting_fragments.h"
#include "web/meeting_view.h"
#include "web/page_source.h"
#include "web/subscribe_box.h"

namespace plancal::web {

/// A programme the page draws from, with the link to its year overview.
struct ProgrammeLink {
  std::string name;           ///< the plan's calendar name
  std::string overview_path;  ///< empty when the request gave no page path
};

struct PersonPage {
  std::string heading;       ///< "Kalender for Sindre Lunde"
  std::string organisation;  ///< the plans' organizer, for the header; may be empty
  std::vector<ProgrammeLink> programmes;
  std::optional<SubscribeBox> subscribe;  ///< nullopt when the request has no feed link
  /// A person's page: the make-up dates still ahead of meetings they missed, soonest first.
  std::vector<MakeupOffer> makeups;
  /// Shared: pages built with one MeetingViews share the views of the meetings they show.
  std::vector<std::shared_ptr<const MeetingView>> upcoming;  ///< soonest first
  std::vector<std::shared_ptr<const MeetingView>> past;      ///< most recent first
};

/// The page for `request.scope` from the source's plans and published events, its meetings'
/// views taken from `views` when given (the server's pages), else made here. An error when
/// the audience appears in no plan (or not in the token's plan): the server answers 404.
[[nodiscard]] Result<PersonPage> build_person_page(const PageSource& source,
                                                   const PageRequest& request,
                                                   MeetingViews* views = nullptr);

/// A page's HTML in order: pieces of its own, and the lists of meeting articles, which every
/// page that shows the same meetings shares (when rendered with `fragments`). Joined, they
/// are the page; kept apart, thousands of pages cost their own few kilobytes each.
/// The pieces alternate: the page's own text at even positions, a shared list of meetings at
/// odd ones (a page without meetings is one piece).
struct PagePieces {
  std::vector<std::shared_ptr<const std::string>> pieces;
  [[nodiscard]] std::string joined() const;
};

/// The page (templates/person.mustache) in pieces; each meeting's article and each list of
/// them taken from `fragments` when given (the server's pages), else rendered here.
[[nodiscard]] PagePieces render_person_page_pieces(const PersonPage& page,
                                                   MeetingFragments* fragments = nullptr);

/// The page as HTML: render_person_page_pieces(page, fragments).joined().
[[nodiscard]] std::string render_person_page(const PersonPage& page,
                                             MeetingFragments* fragments = nullptr);

/// "Sindre Lunde", "Team A", "Ledere" (a role's name), "alle": whom an audience names in
/// `plan`; nullopt when the plan does not know it.
[[nodiscard]] std::optional<std::string> audience_name(const Plan& plan,
                                                       const std::string& audience);

}  // namespace plancal::web
