#include "ical/imip.h"

#include <fmt/format.h>

#include "ical/content_line.h"
#include "ical/libical_handles.h"
#include "ical/libical_zone.h"
#include "ical/vevent.h"

#ifndef PLANCAL_VERSION
#define PLANCAL_VERSION "0.0.0"
#endif

namespace plancal::ical {

namespace {

/// ORGANIZER or ATTENDEE: mailto: the address, with CN when there is a name.
PropertyPtr imip_party(icalproperty* (*make)(const char*), const ImipParty& who) {
  const std::string uri = "mailto:" + who.address;
  PropertyPtr property(make(uri.c_str()));
  if (!who.name.empty())
    icalproperty_add_parameter(property.get(), icalparameter_new_cn(who.name.c_str()));
  return property;
}

PropertyPtr imip_attendee(const ImipParty& who) {
  PropertyPtr property = imip_party(icalproperty_new_attendee, who);
  icalproperty_add_parameter(property.get(), icalparameter_new_role(ICAL_ROLE_REQPARTICIPANT));
  icalproperty_add_parameter(property.get(), icalparameter_new_partstat(ICAL_PARTSTAT_NEEDSACTION));
  icalproperty_add_parameter(property.get(), icalparameter_new_rsvp(ICAL_RSVP_FALSE));
  return property;
}

ComponentPtr imip_calendar_head(bool cancel) {
  ComponentPtr calendar(icalcomponent_new_vcalendar());
  add_property(calendar.get(), PropertyPtr(icalproperty_new_version("2.0")));
  const std::string prodid = fmt::format("-//plancal//plancal {}//NO", PLANCAL_VERSION);
  add_property(calendar.get(), PropertyPtr(icalproperty_new_prodid(prodid.c_str())));
  add_property(calendar.get(), PropertyPtr(icalproperty_new_calscale("GREGORIAN")));
  add_property(calendar.get(), PropertyPtr(icalproperty_new_method(cancel ? ICAL_METHOD_CANCEL
                                                                          : ICAL_METHOD_REQUEST)));
  return calendar;
}

}  // namespace

std::string render_imip(const ImipMessage& message) {
  const Occurrence& meeting = *message.meeting;
  const std::string tzid = meeting.timezone.empty() ? "Europe/Oslo" : meeting.timezone;
  ComponentPtr calendar = imip_calendar_head(message.cancel);
  if (!meeting.all_day && tzid != "UTC") {
    if (auto zone = make_vtimezone(tzid, meeting.start.date.year, meeting.end.date.year)) {
      icalcomponent_add_component(calendar.get(), zone.release());
    }
  }
  EventRevision revision;
  revision.sequence = message.sequence;
  revision.dtstamp = message.dtstamp;
  revision.cancelled = message.cancel;
  ComponentPtr vevent = make_vevent(EventToRender{&meeting, revision}, tzid);
  add_property(vevent.get(), imip_party(icalproperty_new_organizer, message.organizer));
  add_property(vevent.get(), imip_attendee(message.attendee));
  icalcomponent_add_component(calendar.get(), vevent.release());
  return refold(to_ical_text(calendar.get()));
}

}  // namespace plancal::ical
