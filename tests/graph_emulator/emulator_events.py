"""Graph emulator: event storage, rendering (body HTML, online meeting, ids/changeKeys), listing/paging and handlers."""

import base64
import collections
import copy
import html
import os
import random
import re
import secrets
import time
import urllib.parse
import uuid

from emulator_timezones import UTC, zone_for, parse_local_datetime, fmt_local, now_stamp, parse_query_datetime
from emulator_common import GraphError, b64url, canonical, parse_json_body, encode_skiptoken, decode_skiptoken
from emulator_validation import READONLY_EVENT_PROPS, SELECTABLE_EVENT_PROPS, normalise_ext_id

# --------------------------------------------------------------------------------------------
# Body HTML rewriting and the Teams join block
# --------------------------------------------------------------------------------------------
def text_to_html(text):
    return html.escape(text).replace("\n", "<br>\r\n")


def wrap_html(inner):
    """Graph stores the body as HTML and rewrites it (adds html/head/meta). Emulator rendering of
    that rewrite; the point is that the body read back differs from the body written."""
    return ("<html>\r\n<head>\r\n<meta http-equiv=\"Content-Type\" content=\"text/html; charset=utf-8\">\r\n"
            "</head>\r\n<body>\r\n%s\r\n</body>\r\n</html>\r\n" % inner)


TEAMS_MARKER = "________________________________________________________________________________"


def teams_block(join_url, style="classic"):
    """The join block Graph appends to a Teams meeting's body. "classic": framed by two lines of
    80 underscores (the shape Outlook has long written); "compact": no frame, Norwegian text (a
    tenant's customised invitation, or a newer client's) -- a shape a client may not recognise.
    Both markups are Emulator choices."""
    if style == "compact":
        return ("<div class=\"teams-invite\" lang=\"nb-NO\"><p><b>Microsoft Teams-m\u00f8te</b></p>"
                "<p><a href=\"" + html.escape(join_url) + "\">Klikk her for \u00e5 bli med i m\u00f8tet</a></p>"
                "<p>M\u00f8te-ID: %d %d %d %d</p></div>" % tuple(random.randint(100, 999) for _ in range(4)))
    return ("<div style=\"width:100%\"><span style=\"white-space:nowrap;color:#5F5F5F\">" + TEAMS_MARKER +
            "</span></div><div class=\"me-email-text\" lang=\"en-US\"><div style=\"margin-top:24px\">"
            "<span style=\"font-size:24px;font-weight:700\">Microsoft Teams</span> Need help?</div>"
            "<div style=\"margin-bottom:6px\"><a href=\"" + html.escape(join_url) +
            "\" class=\"me-email-headline\" id=\"meet_invite_block.action.join_link\">Join the meeting now</a></div>"
            "<div>Meeting ID: %d %d %d %d</div></div><div style=\"width:100%%\"><span style=\"white-space:nowrap;"
            "color:#5F5F5F\">" % tuple(random.randint(100, 999) for _ in range(4)) + TEAMS_MARKER + "</span></div>")


def html_to_text(h):
    t = re.sub(r"(?is)<(head|style|script)\b.*?</\1>", "", h)
    t = re.sub(r"[\r\n]+", "", t)
    t = re.sub(r"(?i)<br\s*/?>|</p>|</div>", "\r\n", t)
    t = re.sub(r"(?s)<[^>]+>", "", t)
    return html.unescape(t).strip()


def html_to_preview(h):
    t = re.sub(r"(?is)<(head|style|script)\b.*?</\1>", " ", h)
    t = re.sub(r"(?s)<[^>]+>", " ", t)
    t = html.unescape(t)
    return re.sub(r"\s+", " ", t).strip()[:255]



class EventsMixin:
    """Event storage helpers, output and handlers; mixed into Graph."""

    # ---------------- events: storage helpers
    def apply_fields(self, ev, body, mb):
        for k, v in body.items():
            if k in READONLY_EVENT_PROPS or k.startswith("@odata.") or k == "transactionId":
                continue
            if k == "singleValueExtendedProperties":
                # Doc: "Create single-value extended property" -- PATCH with the collection adds
                # or replaces the given properties; others stay.
                # https://learn.microsoft.com/en-us/graph/api/singlevaluelegacyextendedproperty-post-singlevalueextendedproperties
                for ep in v:
                    key = normalise_ext_id(ep["id"])
                    ev["_ext"][key] = {"id": key, "value": ep["value"]}
                continue
            if k == "multiValueExtendedProperties":
                ev["_multi"] = v
                continue
            if k == "body":
                ctype = (v.get("contentType") or "text").lower()
                content = v.get("content") or ""
                inner = content if ctype == "html" else text_to_html(content)
                if ctype == "html" and re.search(r"(?is)<html\b", content):
                    ev["body"] = {"contentType": "html", "content": content}
                else:
                    ev["body"] = {"contentType": "html", "content": wrap_html(inner)}
                ev["_body_replaced"] = True
                continue
            if k in ("start", "end"):
                ev[k] = {"dateTime": fmt_local(parse_local_datetime(v["dateTime"])), "timeZone": v["timeZone"]}
                ev["originalStartTimeZone" if k == "start" else "originalEndTimeZone"] = v["timeZone"]
                continue
            if k == "location":
                loc = dict(v or {})
                loc.setdefault("displayName", "")
                loc.setdefault("locationType", "default")
                loc.setdefault("uniqueIdType", "unknown")
                ev["location"] = loc
                ev["locations"] = [loc] if loc.get("displayName") else []
                continue
            if k == "attendees":
                mb.invitations += len(v)
                self.s.stats["invitations_would_be_sent"] += len(v)
            ev[k] = v

    def utc_of(self, dttz):
        z = zone_for(dttz["timeZone"])
        return parse_local_datetime(dttz["dateTime"]).replace(tzinfo=z).astimezone(UTC)

    def finish_write(self, ev):
        if ev["end"] and ev["start"] and self.utc_of(ev["end"]) < self.utc_of(ev["start"]):
            # Emulator choice of code (Exchange's name for this validation failure).
            raise GraphError(400, "ErrorPropertyValidationFailure",
                             "At least one property failed validation. The end time must be later than the start time.")
        ev["_utcStart"] = self.utc_of(ev["start"])
        ev["_utcEnd"] = self.utc_of(ev["end"])
        ev["changeKey"] = base64.b64encode(b"\x0f\x00\x00\x00\x16\x00\x00\x00" + os.urandom(16)).decode()
        ev["lastModifiedDateTime"] = now_stamp()
        ev["bodyPreview"] = html_to_preview(ev["body"]["content"])

    def online_meeting(self, ev, was_online):
        if ev.get("isOnlineMeeting") and ev.get("onlineMeetingProvider", "unknown") in ("teamsForBusiness", "unknown"):
            # Doc: "event resource type" -- isOnlineMeeting/onlineMeetingProvider; onlineMeeting
            # (onlineMeetingInfo.joinUrl) is read-only and set by the service. Graph appends the
            # Teams join block to the body when it creates the meeting; a later PATCH that
            # sends a body REPLACES the whole body (the join block is gone unless the client
            # sends it back). "Update event" https://learn.microsoft.com/en-us/graph/api/event-update
            ev["onlineMeetingProvider"] = "teamsForBusiness"
            if not was_online or not ev.get("onlineMeeting"):
                join = "https://teams.microsoft.com/l/meetup-join/19%3ameeting_" + b64url(36) + \
                       "%40thread.v2/0?context=%7b%22Tid%22%3a%22" + str(uuid.uuid4()) + "%22%7d"
                ev["onlineMeeting"] = {"joinUrl": join}
                c = ev["body"]["content"]
                block = teams_block(join, self.s.teams_block_style)
                if "</body>" in c:
                    c = c.replace("</body>", block + "\r\n</body>", 1)
                else:
                    c = c + block
                ev["body"]["content"] = c
        elif not ev.get("isOnlineMeeting"):
            ev["onlineMeeting"] = None

    def new_event_record(self, mb, cal_id):
        created = now_stamp()
        return {
            "_immutableId": "AAkALg" + b64url(105) + "AAA=",
            "_restId": "AAMkAD" + b64url(105) + "AAA=",
            "_calendarId": cal_id, "_ext": collections.OrderedDict(), "_created": time.time(),
            "createdDateTime": created, "lastModifiedDateTime": created, "changeKey": "",
            "categories": [], "originalStartTimeZone": None, "originalEndTimeZone": None,
            "iCalUId": "040000008200E00074C5B7101A82E00800000000" + secrets.token_hex(8).upper() +
                       "0000000000000000100000" + secrets.token_hex(8).upper(),
            "uid": None, "reminderMinutesBeforeStart": 15, "isReminderOn": True, "hasAttachments": False,
            "subject": "", "bodyPreview": "", "importance": "normal", "sensitivity": "normal", "isAllDay": False,
            "isCancelled": False, "isOrganizer": True, "responseRequested": True, "seriesMasterId": None,
            "showAs": "busy", "type": "singleInstance", "onlineMeetingUrl": None, "isOnlineMeeting": False,
            "onlineMeetingProvider": "unknown", "allowNewTimeProposals": True, "isDraft": False,
            "hideAttendees": False, "recurrence": None, "onlineMeeting": None,
            "responseStatus": {"response": "organizer", "time": "0001-01-01T00:00:00Z"},
            "body": {"contentType": "html", "content": wrap_html("")},
            "start": None, "end": None,
            "location": {"displayName": "", "locationType": "default", "uniqueIdType": "unknown", "address": {}, "coordinates": {}},
            "locations": [], "attendees": [],
            "organizer": {"emailAddress": {"name": mb.user["displayName"], "address": mb.user["userPrincipalName"]}},
        }

    # ---------------- events: output
    def event_json(self, ctx, mb, ev, select=None, expand_ids=None, context=True):
        eid = ev["_immutableId"] if ctx.immutable() else ev["_restId"]
        zname, zone = ctx.out_zone()
        out = collections.OrderedDict()
        if context:
            out["@odata.context"] = "%s/v1.0/$metadata#users('%s')/events/$entity" % (ctx.base, mb.user["id"])
        out["@odata.etag"] = 'W/"%s"' % ev["changeKey"]
        out["id"] = eid
        for k, v in ev.items():
            if k.startswith("_") or k == "uid":
                continue
            if k == "transactionId" and v is None:
                continue
            out[k] = v
        out["uid"] = ev["iCalUId"]
        out["webLink"] = "https://outlook.office365.com/owa/?itemid=%s&exvsurl=1&path=/calendar/item" % urllib.parse.quote(eid, safe="")
        for k in ("start", "end"):
            utc = ev["_utcStart" if k == "start" else "_utcEnd"]
            local = utc.astimezone(zone).replace(tzinfo=None)
            out[k] = {"dateTime": fmt_local(local), "timeZone": zname}
        if ctx.prefer.get("outlook.body-content-type", "").strip('"').lower() == "text":
            # Doc: "List events" -- Prefer: outlook.body-content-type="text" returns the body as
            # text (with Preference-Applied); without it the body is HTML.
            out["body"] = {"contentType": "text", "content": html_to_text(ev["body"]["content"])}
        if select:
            keep = {"@odata.context", "@odata.etag", "id"} | set(select)
            out = collections.OrderedDict((k, v) for k, v in out.items() if k in keep)
        if expand_ids is not None:
            # Doc: "Get singleValueLegacyExtendedProperty"
            # https://learn.microsoft.com/en-us/graph/api/singlevaluelegacyextendedproperty-get --
            # extended properties come back only through $expand=singleValueExtendedProperties($filter=id eq '...').
            eps = [dict(e) for key, e in ev["_ext"].items() if expand_ids == "*" or key in expand_ids]
            out["singleValueExtendedProperties@odata.context"] = (
                "%s/v1.0/$metadata#users('%s')/events('%s')/singleValueExtendedProperties" % (ctx.base, mb.user["id"], eid))
            out["singleValueExtendedProperties"] = eps
        return out

    def parse_select_expand(self, q):
        select = None
        if "$select" in q:
            select = [p.strip() for p in q["$select"].split(",") if p.strip()]
            for p in select:
                if p not in SELECTABLE_EVENT_PROPS:
                    raise GraphError(400, "RequestBroker--ParseUri",
                                     "Could not find a property named '%s' on type 'microsoft.graph.event'." % p)
        expand_ids = None
        if "$expand" in q:
            ex = q["$expand"].strip()
            m = re.match(r"^singleValueExtendedProperties(?:\((.*)\))?$", ex, re.S)
            if not m:
                raise GraphError(400, "BadRequest", "Parsing OData Select and Expand failed: Could not find a property named '%s' "
                                 "on type 'microsoft.graph.event'." % ex.split("(")[0])
            inner = (m.group(1) or "").strip()
            if not inner:
                expand_ids = "*"   # Emulator choice: unfiltered expand returns all single-value properties.
            else:
                fm = re.match(r"^\$filter=(.*)$", inner, re.S)
                if not fm:
                    raise GraphError(400, "BadRequest", "Invalid $expand options '%s'." % inner)
                ids = set()
                for part in re.split(r"\s+or\s+", fm.group(1).strip()):
                    pm = re.match(r"^\(?\s*id\s+eq\s+'((?:[^']|'')*)'\s*\)?$", part.strip())
                    key = normalise_ext_id(pm.group(1).replace("''", "'")) if pm else None
                    if key is None:
                        raise GraphError(400, "ErrorInvalidUrlQueryFilter", "The query filter contains one or more invalid nodes.")
                    ids.add(key)
                expand_ids = ids
        return select, expand_ids

    def parse_event_filter(self, flt):
        """Doc: "Get singleValueLegacyExtendedProperty" -- $filter=singleValueExtendedProperties/Any(ep:
        ep/id eq '{id}' and ep/value eq '{value}'); Name in the id is case-sensitive, the value
        comparison is case-insensitive. Operators on string values: eq, ne, startswith, contains."""
        if not flt:
            return None
        m = re.match(r"^\s*singleValueExtendedProperties/Any\(\s*(\w+)\s*:\s*(.*)\)\s*$", flt, re.S | re.I)
        if not m:
            # Emulator choice: other $filter expressions on events are not emulated.
            raise GraphError(400, "ErrorInvalidUrlQueryFilter", "The query filter contains one or more invalid nodes.")
        var, expr = m.group(1), m.group(2).strip()
        v = re.escape(var)
        lit = r"'((?:[^']|'')*)'"
        idm = re.match(r"^%s/id\s+eq\s+%s(?:\s+and\s+(.*))?$" % (v, lit), expr, re.S)
        if not idm:
            raise GraphError(400, "ErrorInvalidUrlQueryFilter", "The query filter contains one or more invalid nodes.")
        key = normalise_ext_id(idm.group(1).replace("''", "'"))
        if key is None:
            raise GraphError(400, "ErrorInvalidUrlQueryFilter", "The query filter contains one or more invalid nodes.")
        rest = (idm.group(2) or "").strip()
        op = val = None
        if rest:
            vm = re.match(r"^%s/value\s+(eq|ne)\s+%s$" % (v, lit), rest, re.S) or \
                 re.match(r"^(startswith|contains)\(\s*%s/value\s*,\s*%s\s*\)$" % (v, lit), rest, re.S)
            if not vm:
                raise GraphError(400, "ErrorInvalidUrlQueryFilter", "The query filter contains one or more invalid nodes.")
            op, val = vm.group(1), vm.group(2).replace("''", "'").lower()

        def pred(ev):
            e = ev["_ext"].get(key)
            if e is None:
                return False
            if op is None:
                return True
            x = e["value"].lower()
            return {"eq": x == val, "ne": x != val, "startswith": x.startswith(val), "contains": val in x}[op]
        return pred

    def page(self, ctx, q, items, render, odata_context, path, default_top, token_param="$skip"):
        """Doc: "Paging Microsoft Graph data in your app" https://learn.microsoft.com/graph/paging --
        server-side page size (10 for Outlook events) and @odata.nextLink until the last page."""
        try:
            top = int(q.get("$top", default_top))
            skip = int(q.get("$skip", q.get("$skiptoken", "0")) or 0) if token_param == "$skip" else \
                int(decode_skiptoken(q.get("$skiptoken")) if q.get("$skiptoken") else 0)
        except ValueError:
            raise GraphError(400, "BadRequest", "Invalid value for $top/$skip.")
        if top < 1 or top > 1000 or skip < 0:
            # Emulator choice: Outlook caps $top at 1000 per page.
            raise GraphError(400, "ErrorInvalidParameter", "The value of the parameter '$top' is invalid.")
        if self.s.max_page:
            top = min(top, self.s.max_page)  # /_emulator/paging: smaller pages than $top asks
        chunk = items[skip:skip + top]
        out = collections.OrderedDict([("@odata.context", odata_context)])
        out["value"] = [render(x) for x in chunk]
        if skip + top < len(items):
            nq = [(k, v) for k, v in q.items() if k not in ("$skip", "$skiptoken")]
            if token_param == "$skip":
                nq.append(("$skip", str(skip + top)))
            else:
                nq.append(("$skiptoken", encode_skiptoken(skip + top)))
            if "$top" not in q and token_param == "$skip":
                nq.insert(0, ("$top", str(top)))
            out["@odata.nextLink"] = ctx.base + path + "?" + urllib.parse.urlencode(nq, safe="$'(),:/", quote_via=urllib.parse.quote)
        return 200, {}, out

    # ---------------- events: handlers
    def list_events(self, ctx, mb, q, cal_id, sub):
        # Doc: "List events" https://learn.microsoft.com/en-us/graph/api/user-list-events
        select, expand_ids = self.parse_select_expand(q)
        pred = self.parse_event_filter(q.get("$filter"))
        evs = [e for e in mb.events.values() if cal_id is None or e["_calendarId"] == cal_id]
        if pred:
            evs = [e for e in evs if pred(e)]
        evs = self.order(evs, q.get("$orderby"))
        self.pref_applied(ctx)
        return self.page(ctx, q, evs, lambda e: self.event_json(ctx, mb, e, select, expand_ids, context=False),
                         "%s/v1.0/$metadata#users('%s')/events" % (ctx.base, mb.user["id"]),
                         "/v1.0/users/%s%s" % (mb.user["id"], sub), default_top=10)

    def order(self, evs, orderby):
        if not orderby:
            return evs
        m = re.match(r"^\s*(start/dateTime|end/dateTime|createdDateTime|lastModifiedDateTime|subject)(?:\s+(asc|desc))?\s*$", orderby)
        if not m:
            raise GraphError(400, "BadRequest", "Invalid $orderby clause.")
        key = {"start/dateTime": lambda e: e["_utcStart"], "end/dateTime": lambda e: e["_utcEnd"],
               "createdDateTime": lambda e: e["createdDateTime"], "lastModifiedDateTime": lambda e: e["lastModifiedDateTime"],
               "subject": lambda e: e["subject"] or ""}[m.group(1)]
        return sorted(evs, key=key, reverse=(m.group(2) == "desc"))

    def calendar_view(self, ctx, mb, q, cal_id, sub):
        # Doc: "List calendarView" https://learn.microsoft.com/en-us/graph/api/user-list-calendarview
        # -- startDateTime and endDateTime are required query parameters.
        start, end = q.get("startDateTime") or q.get("startdatetime"), q.get("endDateTime") or q.get("enddatetime")
        if not start or not end:
            raise GraphError(400, "ErrorInvalidParameter", "This request requires a time window specified by the query string "
                             "parameters StartDateTime and EndDateTime.")
        s, e = parse_query_datetime(start), parse_query_datetime(end)
        if s is None or e is None:
            raise GraphError(400, "ErrorInvalidParameter", "The value of the parameter 'StartDateTime/EndDateTime' is invalid.")
        select, expand_ids = self.parse_select_expand(q)
        pred = self.parse_event_filter(q.get("$filter"))
        evs = [x for x in mb.events.values() if (cal_id is None or x["_calendarId"] == cal_id)
               and x["_utcStart"] < e and x["_utcEnd"] > s]
        if pred:
            evs = [x for x in evs if pred(x)]
        evs = self.order(evs, q.get("$orderby") or "start/dateTime")
        self.pref_applied(ctx)
        return self.page(ctx, q, evs, lambda x: self.event_json(ctx, mb, x, select, expand_ids, context=False),
                         "%s/v1.0/$metadata#users('%s')/calendarView" % (ctx.base, mb.user["id"]),
                         "/v1.0/users/%s%s" % (mb.user["id"], sub), default_top=10, token_param="$skiptoken")

    def pref_applied(self, ctx):
        applied = []
        if "outlook.timezone" in ctx.prefer and zone_for(ctx.prefer["outlook.timezone"].strip('"')):
            applied.append('outlook.timezone="%s"' % ctx.prefer["outlook.timezone"].strip('"'))
        if ctx.immutable():
            applied.append('IdType="ImmutableId"')
        if ctx.prefer.get("outlook.body-content-type", "").strip('"').lower() in ("text", "html"):
            applied.append('outlook.body-content-type="%s"' % ctx.prefer["outlook.body-content-type"].strip('"').lower())
        if applied:
            ctx.resp_headers["Preference-Applied"] = ", ".join(applied)

    def create_event(self, ctx, mb, cal_id, body_bytes):
        # Doc: "Create event" https://learn.microsoft.com/en-us/graph/api/calendar-post-events -- 201 Created + event.
        body = parse_json_body(body_bytes)
        self.validate_event(body, partial=False)
        tx = body.get("transactionId")
        if tx:
            # Doc: "event resource type", transactionId: "A custom identifier specified by a client app
            # for the server to avoid redundant POST operations in case of client retries to create
            # the same event". Observed behaviour (M. Kobayashi, "Microsoft Graph Event Resource の
            # transactionId プロパティ", https://blog.rykoma.net/2020/10/05/1559/): the identical POST
            # again answers 201 and creates no new event. A DIFFERENT payload under a used
            # transactionId is answered 400 ErrorDuplicateTransactionId -- project spec (issue 5),
            # not stated on learn.microsoft.com.
            eid = mb.transactions.get(tx)
            if eid and eid not in mb.events:
                # Strict (project spec, issue 13): a transactionId guards only retries of the same
                # create. The event it made was deleted (in Exchange it may still sit in Deleted
                # Items and own the id), so any later create under it is refused.
                raise GraphError(400, "ErrorDuplicateTransactionId",
                                 "Your request can't be completed. The transaction ID belongs to an item "
                                 "that was deleted; a new create needs a new transaction ID.")
            if eid and eid in mb.events:
                ev = mb.events[eid]
                if ev["_txPayload"] == canonical(body) and ev["_calendarId"] == cal_id:
                    self.s.stats["transaction_replays"] += 1
                    self.pref_applied(ctx)
                    return 201, {}, self.event_json(ctx, mb, ev)
                raise GraphError(400, "ErrorDuplicateTransactionId",
                                 "Your request can't be completed. A different item with the same transaction ID already exists.")
        ev = self.new_event_record(mb, cal_id)
        self.apply_fields(ev, body, mb)
        ev["_body_replaced"] = False
        if tx:
            ev["transactionId"] = tx
            ev["_txPayload"] = canonical(body)
        self.finish_write(ev)
        self.online_meeting(ev, was_online=False)
        ev["bodyPreview"] = html_to_preview(ev["body"]["content"])
        mb.events[ev["_immutableId"]] = ev
        mb.rest_ids[ev["_restId"]] = ev["_immutableId"]
        if tx:
            mb.transactions[tx] = ev["_immutableId"]
        self.s.stats["events_created"] += 1
        self.pref_applied(ctx)
        return 201, {"Location": "%s/v1.0/users/%s/events/%s" % (ctx.base, mb.user["id"], ev["_restId"])}, self.event_json(ctx, mb, ev)

    def find_event(self, mb, eid, cal_id):
        # Ids are case-sensitive (Doc: outlook-immutable-id "Immutable identifiers, like all
        # identifiers in Microsoft Graph, are case-sensitive").
        key = eid if eid in mb.events else mb.rest_ids.get(eid)
        ev = mb.events.get(key) if key else None
        if ev is None or (cal_id is not None and ev["_calendarId"] != cal_id):
            raise GraphError(404, "ErrorItemNotFound", "The specified object was not found in the store.")
        return ev

    def check_if_match(self, ctx, ev):
        im = ctx.headers.get("if-match")
        if self.s.strict_if_match and im is not None and im.strip() != "*":
            want = im.strip()
            have = 'W/"%s"' % ev["changeKey"]
            if want not in (have, '"%s"' % ev["changeKey"], ev["changeKey"]):
                # Doc: graph/errors -- 412 "A precondition provided in the request (such as an
                # if-match header) doesn't match the resource's current state." Code as Exchange
                # reports a stale change key.
                raise GraphError(412, "ErrorIrresolvableConflict",
                                 "The send or update operation could not be performed because the change key passed in the "
                                 "request does not match the current change key for the item.")

    def one_event(self, ctx, mb, method, eid, cal_id, q, body_bytes):
        ev = self.find_event(mb, eid, cal_id)
        if method == "GET":
            # Doc: "Get event" https://learn.microsoft.com/en-us/graph/api/event-get
            select, expand_ids = self.parse_select_expand(q)
            self.pref_applied(ctx)
            return 200, {}, self.event_json(ctx, mb, ev, select, expand_ids)
        if method == "PATCH":
            # Doc: "Update event" https://learn.microsoft.com/en-us/graph/api/event-update -- 200 + event.
            body = parse_json_body(body_bytes)
            self.validate_event(body, partial=True)
            self.check_if_match(ctx, ev)
            if "transactionId" in body and body["transactionId"] != ev.get("transactionId"):
                # Doc: event resource -- "you can't change transactionId in a subsequent update".
                raise GraphError(400, "ErrorInvalidPropertyUpdate", "The transactionId of an event can't be changed.")
            new = copy.deepcopy(ev)
            was_online = bool(ev.get("isOnlineMeeting"))
            self.apply_fields(new, body, mb)
            self.finish_write(new)
            self.online_meeting(new, was_online)
            new["bodyPreview"] = html_to_preview(new["body"]["content"])
            ev.clear()
            ev.update(new)
            self.s.stats["events_updated"] += 1
            self.pref_applied(ctx)
            return 200, {}, self.event_json(ctx, mb, ev)
        if method == "DELETE":
            # Doc: "Delete event" https://learn.microsoft.com/en-us/graph/api/event-delete -- 204 No Content.
            self.check_if_match(ctx, ev)
            del mb.events[ev["_immutableId"]]
            mb.rest_ids.pop(ev["_restId"], None)
            # The transactionId stays taken after the delete (project spec, issue 13: create_event).
            self.s.stats["events_deleted"] += 1
            return 204, {}, None
        raise self.method_not_allowed()
