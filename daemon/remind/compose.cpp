#include "remind/compose.h"

#include <fmt/format.h>

#include "base/norwegian_text.h"
#include "base/text.h"
#include "expand/content.h"

namespace plancal::remind {

namespace {

constexpr std::string_view kSignature = "Dette er en automatisk påminnelse fra plancal.";

/// Writes the same content as plain text and as HTML.
class TwoParts {
 public:
  void heading(const std::string& text) {
    text_ += text + "\n";
    html_ += "<h3>" + html_escape(text) + "</h3>\n";
  }
  void paragraph(const std::string& text) {
    text_ += text + "\n\n";
    html_ += "<p>" + html_escape(text) + "</p>\n";
  }
  void field(const std::string& label, const std::string& value) {
    if (value.empty()) return;
    text_ += label + ": " + value + "\n";
    html_ += "<p><b>" + html_escape(label) + ":</b> " + html_escape(value) + "</p>\n";
  }
  void list(const std::string& label, const std::vector<std::string>& items) {
    if (items.empty()) return;
    text_ += label + ":\n";
    html_ += "<p><b>" + html_escape(label) + ":</b></p>\n<ul>\n";
    for (const auto& item : items) {
      text_ += "- " + item + "\n";
      html_ += "<li>" + html_escape(item) + "</li>\n";
    }
    html_ += "</ul>\n";
  }
  void link(const std::string& label, const std::string& url) {
    text_ += label + ": " + url + "\n\n";
    html_ += "<p><a href=\"" + html_escape(url) + "\">" + html_escape(label) + "</a></p>\n";
  }
  void gap() { text_ += "\n"; }
  void raw(const std::string& text, const std::string& html) {
    text_ += text;
    html_ += html;
  }

  [[nodiscard]] std::string text() const { return text_; }
  [[nodiscard]] std::string html() const {
    return "<!DOCTYPE html>\n<html lang=\"nb\"><head><meta charset=\"utf-8\"></head><body>\n" +
           html_ + "</body></html>\n";
  }

 private:
  std::string text_;
  std::string html_;
};

std::string time_span(const Occurrence& o) {
  if (o.all_day) return date_text_nb(o.start.date);
  return date_time_text_nb(o.start) + "–" + time_text_nb(o.end.time);
}

std::vector<std::string> agenda_lines(const MeetingContent& content) {
  std::vector<std::string> lines;
  for (const auto& item : content.agenda) {
    std::string line = time_text_nb(item.time) + " " + item.item;
    if (!item.note.empty()) line += " (" + item.note + ")";
    lines.push_back(line);
  }
  return lines;
}

void occurrence_details(TwoParts& out, const Occurrence& o) {
  out.heading(o.summary);
  out.field("Tid", time_span(o));
  out.field("Tema", o.content.topic);
  const std::string label =
      o.content.speaker_label.empty() ? std::string("Foreleser") : o.content.speaker_label;
  out.field(label, o.content.speaker);
  out.field("Sted", location_text(o.content));
  out.field("Nettmøte", online_url(o.content));
}

void content_lists(TwoParts& out, const Occurrence& o) {
  out.list("Program", agenda_lines(o.content));
  out.list("Forberedelser", o.content.preparation);
}

std::string first_name(const Person& person) {
  const auto space = person.name.find(' ');
  return space == std::string::npos ? person.name : person.name.substr(0, space);
}

std::string digest_subject(const std::vector<Attendance>& items) {
  const Date date = items.front().occurrence->start.date;
  if (items.size() == 1) {
    return "Påminnelse: " + items.front().occurrence->summary + " – " + date_text_nb(date);
  }
  return fmt::format("Påminnelse: {} møter {}", items.size(), date_text_nb(date));
}

/// A reminder's subject without its "Påminnelse: " prefix, for notices about it.
std::string without_reminder_prefix(const std::string& subject) {
  constexpr std::string_view kPrefix = "Påminnelse: ";
  return subject.rfind(kPrefix, 0) == 0 ? subject.substr(kPrefix.size()) : subject;
}

/// The inside of <body> of a document TwoParts made.
std::string body_of(const std::string& html) {
  const std::string open = "<body>\n";
  const auto from = html.find(open);
  const auto to = html.rfind("</body>");
  if (from == std::string::npos || to == std::string::npos) return html;
  return html.substr(from + open.size(), to - from - open.size());
}

std::string when_text(const std::string& when_key) {
  const auto date = parse_date(when_key.substr(0, 10));
  if (!date) return when_key;
  if (when_key.size() < 16) return date_text_nb(*date);
  const auto time = parse_time_of_day(when_key.substr(11, 5));
  if (!time) return date_text_nb(*date);
  return date_time_text_nb({*date, *time});
}

}  // namespace

std::string html_escape(const std::string& text) { return escape_markup(text, "'"); }

ComposedText compose_leader_digest(const Person& leader, const std::vector<Attendance>& items) {
  TwoParts out;
  const Date date = items.front().occurrence->start.date;
  out.paragraph("Hei " + first_name(leader) + ",");
  out.paragraph("Disse av dine ansatte er satt opp " + date_text_nb(date) + ":");
  for (const auto& item : items) {
    const Occurrence& o = *item.occurrence;
    occurrence_details(out, o);
    std::vector<std::string> names;
    for (const Person* person : item.people) {
      names.push_back(person->id == leader.id ? person->name + " (deg selv)" : person->name);
    }
    out.list(fmt::format("Deltakere ({})", names.size()), names);
    content_lists(out, o);
    out.gap();
  }
  out.paragraph(std::string(kSignature));
  return {digest_subject(items), out.text(), out.html()};
}

ComposedText compose_register_reminder(const Person& leader, Date date, int missing, int scheduled,
                                       const std::string& register_url) {
  TwoParts out;
  out.paragraph("Hei " + first_name(leader) + ",");
  out.paragraph("Oppmøtet for " + date_text_nb(date) +
                " er ikke ført ferdig: " + std::to_string(missing) + " av " +
                std::to_string(scheduled) + " registreringer mangler for dine ansatte.");
  out.link("Før oppmøtet", register_url);
  out.paragraph("Du får bare denne ene påminnelsen for dagen.");
  out.paragraph(std::string(kSignature));
  return {"Oppmøte mangler for " + date_text_nb(date), out.text(), out.html()};
}

ComposedText compose_deadline(const Person& person, const Occurrence& deadline) {
  TwoParts out;
  out.paragraph("Hei " + first_name(person) + ",");
  out.paragraph("Du er ansvarlig for en frist i årshjulet " + date_text_nb(deadline.start.date) +
                ":");
  out.heading(deadline.summary);
  out.field("Frist", date_text_nb(deadline.start.date));
  if (!deadline.content.notes.empty()) out.paragraph(deadline.content.notes);
  content_lists(out, deadline);
  out.paragraph(std::string(kSignature));
  std::string what = deadline.summary;
  if (what.rfind("Frist: ", 0) == 0) what = what.substr(std::string_view("Frist: ").size());
  return {"Frist " + date_text_nb(deadline.start.date) + ": " + what, out.text(), out.html()};
}

ComposedText compose_participant(const Person& person, const Occurrence& meeting) {
  TwoParts out;
  out.paragraph("Hei " + first_name(person) + ",");
  out.paragraph("Husk forberedelsene til møtet " + date_time_text_nb(meeting.start) + ":");
  occurrence_details(out, meeting);
  content_lists(out, meeting);
  out.paragraph(std::string(kSignature));
  return {"Forberedelse: " + meeting.summary + " – " + date_text_nb(meeting.start.date), out.text(),
          out.html()};
}

ComposedText compose_cancellation_notice(const std::string& old_when,
                                         const ComposedText& reminded) {
  TwoParts out;
  const std::string what = without_reminder_prefix(reminded.subject);
  out.paragraph("Avlyst: " + what + ".");
  out.paragraph(
      "Dette er avlyst eller tatt ut av planen. Du fikk tidligere en påminnelse om det (" +
      when_text(old_when) + ").");
  out.paragraph(std::string(kSignature));
  return {"Avlyst: " + what, out.text(), out.html()};
}

ComposedText compose_change_notice(const std::string& old_when, const std::string& new_when,
                                   const ComposedText& updated) {
  TwoParts out;
  out.paragraph("Endret tidspunkt: dette er flyttet fra " + when_text(old_when) + " til " +
                when_text(new_when) + ".");
  const std::string subject = without_reminder_prefix(updated.subject);
  out.raw(updated.text, body_of(updated.html));
  return {"Endret: " + subject, out.text(), out.html()};
}

}  // namespace plancal::remind
