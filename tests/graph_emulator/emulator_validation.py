"""Graph emulator: event schema and request-body validation (properties, types, enums, dateTimeTimeZone, zones)."""

import re

from emulator_timezones import zone_for, parse_local_datetime
from emulator_common import GraphError

# --------------------------------------------------------------------------------------------
# Event schema (Doc: "event resource type" https://learn.microsoft.com/en-us/graph/api/resources/event)
# --------------------------------------------------------------------------------------------
WRITABLE_EVENT_PROPS = {
    "allowNewTimeProposals", "attendees", "body", "categories", "end", "hideAttendees", "importance",
    "isAllDay", "isOnlineMeeting", "isReminderOn", "location", "locations", "onlineMeetingProvider",
    "recurrence", "reminderMinutesBeforeStart", "responseRequested", "sensitivity", "showAs", "start",
    "subject", "transactionId", "singleValueExtendedProperties", "multiValueExtendedProperties",
}
# Read-only properties of the resource: accepted in a payload (they are properties of the type,
# so OData does not fail to read them) and ignored. Emulator choice.
READONLY_EVENT_PROPS = {
    "@odata.etag", "@odata.type", "id", "changeKey", "createdDateTime", "lastModifiedDateTime", "iCalUId",
    "bodyPreview", "hasAttachments", "isCancelled", "isDraft", "isOrganizer", "onlineMeeting",
    "onlineMeetingUrl", "organizer", "originalEndTimeZone", "originalStart", "originalStartTimeZone",
    "responseStatus", "seriesMasterId", "type", "webLink", "uid", "cancelledOccurrences", "occurrenceId",
}
SELECTABLE_EVENT_PROPS = (WRITABLE_EVENT_PROPS | READONLY_EVENT_PROPS) - {
    "@odata.etag", "@odata.type", "singleValueExtendedProperties", "multiValueExtendedProperties"}
ENUMS = {
    "showAs": {"free", "tentative", "busy", "oof", "workingElsewhere", "unknown"},
    "importance": {"low", "normal", "high"},
    "sensitivity": {"normal", "personal", "private", "confidential"},
    "onlineMeetingProvider": {"unknown", "teamsForBusiness", "skypeForBusiness", "skypeForConsumer"},
}
BOOLS = {"allowNewTimeProposals", "hideAttendees", "isAllDay", "isOnlineMeeting", "isReminderOn", "responseRequested"}
EXT_PROP_ID_RE = re.compile(
    r"^(String|Integer|Boolean|Double|Float|Currency|SystemTime|Binary|Long|Short|CLSID|Object|Null|"
    r"StringArray|IntegerArray|BinaryArray)\s+(?:\{([0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-"
    r"[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12})\}\s+(Name|Id)\s+(.+)|(0x[0-9A-Fa-f]{1,4}))$")


def normalise_ext_id(raw):
    """Doc: "Outlook extended properties overview" https://learn.microsoft.com/graph/api/resources/extended-properties-overview
    -- id formats "{type} {guid} Name {name}", "{type} {guid} Id {hex}", "{type} {proptag}".
    Returns a canonical key (GUID lower-cased, Name kept case-sensitive) or None."""
    if not isinstance(raw, str):
        return None
    m = EXT_PROP_ID_RE.match(raw.strip())
    if not m:
        return None
    typ, guid, kind, name, tag = m.groups()
    if tag:
        return "%s %s" % (typ, tag.lower())
    return "%s {%s} %s %s" % (typ, guid.lower(), kind, name)



class ValidationMixin:
    """Event body validation; mixed into Graph."""

    # ---------------- events: validation
    def validate_event(self, body, partial):
        """Doc: "event resource type" (property names and types), "Create event"
        https://learn.microsoft.com/en-us/graph/api/calendar-post-events, "Update event"
        https://learn.microsoft.com/en-us/graph/api/event-update. Error codes: see README."""
        if not isinstance(body, dict):
            raise GraphError(400, "BadRequest", "Empty Payload. JSON content expected.")
        for k, v in body.items():
            if k in READONLY_EVENT_PROPS or k.startswith("@odata."):
                continue
            if k not in WRITABLE_EVENT_PROPS:
                raise GraphError(400, "RequestBodyRead", "The property '%s' does not exist on type 'microsoft.graph.event'. "
                                 "Make sure to only use property names that are defined by the type or mark the type as open type." % k)
            if k in BOOLS and not isinstance(v, bool):
                raise GraphError(400, "RequestBodyRead", "Cannot convert the literal '%s' to the expected type 'Edm.Boolean'." % (v,))
            if k in ENUMS and v not in ENUMS[k]:
                raise GraphError(400, "RequestBodyRead", "Requested value '%s' was not found." % (v,))
            if k in ("subject", "transactionId") and v is not None and not isinstance(v, str):
                raise GraphError(400, "RequestBodyRead", "Cannot convert a primitive value to the expected type 'Edm.String'.")
            if k == "reminderMinutesBeforeStart" and (not isinstance(v, int) or isinstance(v, bool)):
                raise GraphError(400, "RequestBodyRead", "Cannot convert the literal '%s' to the expected type 'Edm.Int32'." % (v,))
            if k == "categories" and (not isinstance(v, list) or not all(isinstance(c, str) for c in v)):
                raise GraphError(400, "RequestBodyRead", "A node of type '%s' was read from the JSON reader when trying to read a value of "
                                 "a property; however, a 'StartArray' node was expected." % type(v).__name__)
            if k == "body":
                if not isinstance(v, dict) or set(v) - {"contentType", "content", "@odata.type"}:
                    raise GraphError(400, "RequestBodyRead", "Invalid itemBody: only 'contentType' and 'content' are allowed.")
                if v.get("contentType", "text") not in ("text", "html", "Text", "HTML", "Html"):
                    raise GraphError(400, "RequestBodyRead", "Requested value '%s' was not found." % v.get("contentType"))
                if not isinstance(v.get("content", ""), str):
                    raise GraphError(400, "RequestBodyRead", "Cannot convert a primitive value to the expected type 'Edm.String'.")
            if k == "location" and v is not None and not isinstance(v, dict):
                raise GraphError(400, "RequestBodyRead", "Invalid location.")
            if k in ("start", "end"):
                self.validate_dttz(k, v)
            if k == "attendees":
                if not isinstance(v, list):
                    raise GraphError(400, "RequestBodyRead", "Invalid attendees collection.")
                for a in v:
                    addr = (a or {}).get("emailAddress", {}).get("address") if isinstance(a, dict) else None
                    if not isinstance(addr, str) or "@" not in addr:
                        raise GraphError(400, "ErrorInvalidRecipients", "At least one recipient isn't valid.")
            if k == "singleValueExtendedProperties":
                if not isinstance(v, list):
                    raise GraphError(400, "RequestBodyRead", "Invalid singleValueExtendedProperties collection.")
                for ep in v:
                    if not isinstance(ep, dict) or set(ep) - {"id", "value", "@odata.type"} or normalise_ext_id(ep.get("id")) is None:
                        # Emulator choice of code for a malformed extended-property id.
                        raise GraphError(400, "ErrorInvalidProperty", "The extended property id '%s' is not valid." %
                                         (ep.get("id") if isinstance(ep, dict) else ep))
                    if not isinstance(ep.get("value"), str):
                        raise GraphError(400, "RequestBodyRead", "Cannot convert a primitive value to the expected type 'Edm.String'.")
        if not partial:
            for k in ("start", "end"):
                if k not in body:
                    # Emulator choice of code: a new event needs start and end.
                    raise GraphError(400, "ErrorPropertyValidationFailure",
                                     "At least one property failed validation. '%s' is required." % k)

    def validate_dttz(self, which, v):
        """Doc: "dateTimeTimeZone resource type" https://learn.microsoft.com/en-us/graph/api/resources/datetimetimezone"""
        if not isinstance(v, dict) or set(v) - {"dateTime", "timeZone", "@odata.type"}:
            raise GraphError(400, "RequestBodyRead", "Invalid dateTimeTimeZone value for '%s'." % which)
        if "dateTime" not in v or parse_local_datetime(v.get("dateTime")) is None:
            # Emulator choice of code: malformed or missing dateTime.
            raise GraphError(400, "ErrorInvalidParameter", "The value '%s' of parameter '%s.dateTime' is invalid." % (v.get("dateTime"), which))
        tz = v.get("timeZone")
        if not isinstance(tz, str) or zone_for(tz) is None:
            # Code and message as Graph returns them for a zone outside its accepted list.
            raise GraphError(400, "TimeZoneNotSupportedException",
                             "A valid TimeZone value must be specified. The following TimeZone value is not supported: '%s'." % (tz or ""))
