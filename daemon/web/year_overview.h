#pragma once
/// The year overview of one plan, as its source document lays it out: for a rotation (seed
/// 000) one row per meeting with its number, each team's date, topic and speaker; for a series
/// (seed 003) one block per date row with its dates, places and FULLT; other programmes as a
/// list of dates. Built from the published events, so a moved or cancelled meeting shows as it
/// is now. Subscribe buttons per team (or for the whole programme when it has no teams).

#include <string>
#include <vector>

#include "base/result.h"
#include "web/page_source.h"
#include "web/subscribe_box.h"

namespace plancal::web {

/// One date in the overview.
struct OverviewDate {
  std::string text;       ///< as the source document writes it: "15.01" (rotation), "7. september"
  std::string full_text;  ///< "mandag 15. januar 2024", for screen readers and the title
  std::string iso;        ///< "2024-01-15"
  bool cancelled = false;
  bool moved = false;  ///< differs from the first published date
  bool past = false;
};

struct TeamColumn {
  std::string name;   ///< "Team A"
  bool mine = false;  ///< the viewer's team: highlighted
};

struct RotationRowView {
  std::string number;               ///< "1"
  std::vector<OverviewDate> dates;  ///< one per team column; empty text where a team has none
  std::string topic;
  std::string speaker_label;
  std::string speaker;
  std::string time_note;  ///< "kl. 09.00–13.00" when this meeting's time differs from the rest
};

struct RotationView {
  std::string title;      ///< "Mandagsseminar"
  std::string time_text;  ///< "kl. 09.00–12.00"
  std::string place;
  std::vector<TeamColumn> teams;
  std::vector<RotationRowView> rows;
};

struct SeriesRowView {
  std::string name;  ///< "Datorekke 1: Tirsdager"
  std::vector<OverviewDate> dates;
  std::string places;  ///< "Plasser: 1", "Plasser: 1 (FULLT)"; empty for an open row
  bool full = false;
};

struct SeriesView {
  std::string title;
  std::string time_text;
  std::string place;
  std::string deadline_text;  ///< "Påmeldingsfrist: torsdag 26. august 2021"; may be empty
  std::string signup_path;  ///< the series' sign-up page (signup_page.h); empty without a deadline
  std::string notes;        ///< the series' notes ("Et vanlig møte kan se slik ut: …")
  std::vector<SeriesRowView> rows;
};

struct DatedItem {
  OverviewDate date;
  std::string time_text;  ///< "kl. 09.00–10.00" or "Frist"
  std::string title;
};

struct YearOverview {
  std::string heading;       ///< the plan's title
  std::string organisation;  ///< the plan's organizer
  std::string viewer_note;   ///< "Team A er uthevet."; empty when nothing is highlighted
  std::vector<RotationView> rotations;
  std::vector<SeriesView> series;
  std::vector<DatedItem> other_dates;  ///< weekly slots and the annual wheel, by date
  std::vector<SubscribeBox> subscribe;
  std::string back_path;  ///< the personal page, when reached from it
};

/// The overview of `plan_id` (the scope's plan when the scope names one) for `request.scope`.
/// An error when the plan is unknown or the audience does not appear in it (404).
[[nodiscard]] Result<YearOverview> build_year_overview(const PageSource& source,
                                                       const PageRequest& request,
                                                       const std::string& plan_id);

/// The overview as HTML (templates/overview.mustache).
[[nodiscard]] std::string render_year_overview(const YearOverview& overview);

}  // namespace plancal::web
