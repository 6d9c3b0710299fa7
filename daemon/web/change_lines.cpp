#include "web/change_lines.h"

#include "base/norwegian_text.h"
#include "base/text.h"

namespace plancal::web {

namespace {

std::string date_as_seen_from(Date date, Date reference) {
  return date.year == reference.year ? date_text_without_year_nb(date) : date_text_nb(date);
}

std::string span_text(const Occurrence& o) { return time_span_text_nb(o.start.time, o.end.time); }

bool same_times(const Occurrence& a, const Occurrence& b) {
  return a.all_day == b.all_day && a.start.time == b.start.time && a.end.time == b.end.time;
}

void when_lines(const Occurrence& first, const Occurrence& now, std::vector<std::string>& out) {
  if (first.start.date != now.start.date) {
    std::string line = "Flyttet fra " + date_as_seen_from(first.start.date, now.start.date);
    if (!same_times(first, now) && !first.all_day) line += " " + span_text(first);
    out.push_back(std::move(line));
  } else if (!same_times(first, now) && !now.all_day && !first.all_day) {
    out.push_back("Ny tid: " + span_text(now) + " (var " + span_text(first) + ")");
  }
}

void place_lines(const Occurrence& first, const Occurrence& now, std::vector<std::string>& out) {
  if (first.location != now.location) {
    if (now.location.empty()) {
      out.push_back("Stedet er fjernet (var " + first.location + ")");
    } else if (first.location.empty()) {
      out.push_back("Nytt sted: " + now.location);
    } else {
      out.push_back("Nytt sted: " + now.location + " (var " + first.location + ")");
    }
  }
  if (first.url != now.url && !now.url.empty()) {
    out.push_back(first.url.empty() ? "Lenke til nettmøtet er lagt inn" : "Ny lenke til nettmøtet");
  }
}

void content_lines(const MeetingContent& first, const MeetingContent& now,
                   std::vector<std::string>& out) {
  if (first.topic != now.topic) {
    out.push_back(is_undecided(first.topic) ? "Tema er avklart"
                                            : "Nytt tema (var «" + first.topic + "»)");
  }
  if (first.speaker != now.speaker) {
    out.push_back(is_undecided(first.speaker) ? "Foreleser er avklart"
                                              : "Ny foreleser (var " + first.speaker + ")");
  }
  if (first.preparation != now.preparation) out.push_back("Endrede forberedelser");
  const auto same_agenda = [](const std::vector<AgendaItem>& a, const std::vector<AgendaItem>& b) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
      if (a[i].time != b[i].time || a[i].item != b[i].item || a[i].note != b[i].note) return false;
    }
    return true;
  };
  if (!same_agenda(first.agenda, now.agenda)) out.push_back("Endret program");
  if (first.notes != now.notes) out.push_back("Endret informasjon");
}

}  // namespace

bool is_undecided(const std::string& text) {
  const std::string_view t = trim(text);
  return t.empty() || equals_ignoring_case(t, "TBA") || equals_ignoring_case(t, "TBD");
}

std::vector<std::string> change_lines(const Occurrence& first_published,
                                      const Occurrence& current) {
  std::vector<std::string> lines;
  when_lines(first_published, current, lines);
  place_lines(first_published, current, lines);
  content_lines(first_published.content, current.content, lines);
  return lines;
}

}  // namespace plancal::web
