// Parses iMIP calendars with ical.js (Thunderbird's parser, from npm) and prints what it read
// as JSON: one object per calendar file given, in order. The VTIMEZONE of each calendar is
// registered first, so DTSTART is resolved through the message's own zone data.
//
// Usage: node imip_icaljs.js ICALJS_MODULE_DIR FILE...
"use strict";

const fs = require("fs");
const path = require("path");

const ICAL = require(path.resolve(process.argv[2]));

function facts(text) {
  const calendar = new ICAL.Component(ICAL.parse(text));
  for (const zone of calendar.getAllSubcomponents("vtimezone")) {
    ICAL.TimezoneService.register(zone);
  }
  const events = calendar.getAllSubcomponents("vevent");
  const out = {method: calendar.getFirstPropertyValue("method"), vevents: events.length};
  if (events.length !== 1) return out;
  const event = new ICAL.Event(events[0]);
  out.uid = event.uid;
  out.sequence = event.sequence;
  out.start_utc = event.startDate.toUnixTime();
  out.start_zone = event.startDate.zone ? event.startDate.zone.tzid : "";
  out.organizer = events[0].getFirstPropertyValue("organizer");
  out.attendee = events[0].getFirstPropertyValue("attendee");
  out.status = events[0].getFirstPropertyValue("status");
  return out;
}

const results = process.argv.slice(3).map((file) => facts(fs.readFileSync(file, "utf8")));
process.stdout.write(JSON.stringify(results));
