"""Graph emulator: the Graph service -- request entry point, mailbox routing, users and calendars."""

import re
import urllib.parse

from emulator_common import GraphError, parse_json_body, parse_query
from emulator_validation import ValidationMixin
from emulator_events import EventsMixin
from emulator_auth import AuthMixin
from emulator_throttle import ThrottleMixin
from emulator_batch import BatchMixin

# --------------------------------------------------------------------------------------------
# The Graph service
# --------------------------------------------------------------------------------------------
class Graph(AuthMixin, ThrottleMixin, ValidationMixin, EventsMixin, BatchMixin):
    """Microsoft Graph v1.0 (calendar subset): entry point, routing, users and calendars.
    Auth, throttling, validation, events and $batch live in the mixins' modules."""

    def __init__(self, state):
        self.s = state

    # ---------------- entry points
    def handle(self, ctx, method, path, query, body_bytes, auth=None):
        """Run one Graph request. Returns (status, headers, body_obj_or_None)."""
        if auth is None:
            auth = self.authenticate(ctx)
        m = re.match(r"^/v1\.0/users/([^/]+)(/.*)?$", path)
        if not m:
            if path.rstrip("/") in ("/v1.0/users", "/v1.0/me") or path.startswith("/v1.0/me/"):
                # Emulator choice: /me has no meaning with app-only tokens (no signed-in user).
                raise GraphError(400, "BadRequest", "/me request is only valid with delegated authentication flow.")
            seg = path[len("/v1.0/"):].split("/")[0] if path.startswith("/v1.0/") else path
            raise GraphError(400, "BadRequest", "Resource not found for the segment '%s'." % seg)
        with self.s.lock:
            mb = self.s.mailbox_for(m.group(1))
            if mb is not None and mb.user["tenant"] != auth["tenant"]:
                mb = None
        if mb is None:
            raise GraphError(404, "ErrorInvalidUser", "The requested user '%s' is invalid." % urllib.parse.unquote(m.group(1)))
        if not m.group(2) or m.group(2) == "/":
            # Doc: "Get user" https://learn.microsoft.com/en-us/graph/api/user-get -- application
            # permission User.Read.All (or higher) is needed; Calendars.* alone is not enough.
            if method != "GET":
                raise self.method_not_allowed()
            if not {"User.Read.All", "User.ReadWrite.All", "Directory.Read.All"} & set(auth["roles"]):
                raise GraphError(403, "Authorization_RequestDenied", "Insufficient privileges to complete the operation.")
            u = mb.user
            return 200, {}, {"@odata.context": "%s/v1.0/$metadata#users/$entity" % ctx.base, "id": u["id"],
                             "userPrincipalName": u["userPrincipalName"], "displayName": u["displayName"],
                             "mail": u["userPrincipalName"]}
        if method in ("POST", "PATCH", "PUT") and body_bytes:
            ctype = ctx.headers.get("content-type", "")
            if not ctype.lower().split(";")[0].strip() == "application/json":
                # Doc: graph/errors -- 415 "The content type of the request is a format that is
                # not supported by the service." Code: Emulator choice.
                raise GraphError(415, "UnsupportedMediaType", "The content type '%s' is not supported; use application/json." % ctype)
        if "Calendars.ReadWrite" not in auth["roles"] and not (method == "GET" and "Calendars.Read" in auth["roles"]):
            raise GraphError(403, "ErrorAccessDenied", "Access is denied. Check credentials and try again.")
        try:
            result = self.run_on_mailbox(ctx, mb, method, m.group(2) or "", query, body_bytes)
        except GraphError as e:
            with self.s.lock:
                mb.by_status[e.status] += 1
            raise
        with self.s.lock:
            mb.by_status[result[0]] += 1
        return result

    # ---------------- routing
    def route(self, ctx, mb, method, sub, query, body_bytes):
        q = parse_query(query)
        segs = [urllib.parse.unquote(p) for p in sub.split("/") if p]
        with self.s.lock:
            if not segs:
                raise GraphError(405, "BadRequest", "Specified HTTP method is not allowed for the request target.")
            head = segs[0]
            if head == "calendars" and len(segs) == 1:
                if method == "GET":
                    return self.list_calendars(ctx, mb, q)
                if method == "POST":
                    return self.create_calendar(ctx, mb, body_bytes)
                raise self.method_not_allowed()
            if head in ("calendar", "calendars"):
                if head == "calendar":
                    cal_id, rest = mb.default_calendar_id, segs[1:]
                else:
                    cal_id, rest = segs[1], segs[2:]
                    if cal_id not in mb.calendars:
                        raise GraphError(404, "ErrorItemNotFound", "The specified object was not found in the store.")
                if not rest:
                    if method != "GET":
                        raise self.method_not_allowed()
                    return 200, {}, self.calendar_json(ctx, mb, mb.calendars[cal_id])
                if rest[0] == "events" and len(rest) == 1:
                    if method == "GET":
                        return self.list_events(ctx, mb, q, cal_id, sub)
                    if method == "POST":
                        return self.create_event(ctx, mb, cal_id, body_bytes)
                    raise self.method_not_allowed()
                if rest[0] == "events" and len(rest) == 2:
                    return self.one_event(ctx, mb, method, rest[1], cal_id, q, body_bytes)
                if rest[0] == "calendarView" and len(rest) == 1:
                    if method != "GET":
                        raise self.method_not_allowed()
                    return self.calendar_view(ctx, mb, q, cal_id, sub)
                raise GraphError(400, "BadRequest", "Resource not found for the segment '%s'." % rest[0])
            if head == "events" and len(segs) == 1:
                if method == "GET":
                    return self.list_events(ctx, mb, q, None, sub)
                if method == "POST":
                    return self.create_event(ctx, mb, mb.default_calendar_id, body_bytes)
                raise self.method_not_allowed()
            if head == "events" and len(segs) == 2:
                return self.one_event(ctx, mb, method, segs[1], None, q, body_bytes)
            if head == "calendarView" and len(segs) == 1:
                if method != "GET":
                    raise self.method_not_allowed()
                return self.calendar_view(ctx, mb, q, None, sub)
            raise GraphError(400, "BadRequest", "Resource not found for the segment '%s'." % head)

    @staticmethod
    def method_not_allowed():
        return GraphError(405, "BadRequest", "Specified HTTP method is not allowed for the request target.")

    # ---------------- calendars
    def calendar_json(self, ctx, mb, cal):
        out = {"@odata.context": "%s/v1.0/$metadata#users('%s')/calendars/$entity" % (ctx.base, mb.user["id"])}
        out.update(cal)
        return out

    def list_calendars(self, ctx, mb, q):
        cals = list(mb.calendars.values())
        flt = q.get("$filter")
        if flt:
            m = re.match(r"^\s*name\s+eq\s+'((?:[^']|'')*)'\s*$", flt)
            if not m:
                raise GraphError(400, "ErrorInvalidUrlQueryFilter", "The query filter contains one or more invalid nodes.")
            name = m.group(1).replace("''", "'")
            cals = [c for c in cals if c["name"] == name]
        return self.page(ctx, q, cals, lambda c: dict(c), "%s/v1.0/$metadata#users('%s')/calendars" % (ctx.base, mb.user["id"]),
                         "/v1.0/users/%s/calendars" % mb.user["id"], default_top=10)

    def create_calendar(self, ctx, mb, body_bytes):
        # Doc: "Create calendar" https://learn.microsoft.com/en-us/graph/api/user-post-calendars -- 201 + calendar.
        body = parse_json_body(body_bytes)
        allowed = {"name", "color", "hexColor", "isDefaultCalendar", "canEdit", "canShare", "canViewPrivateItems", "owner", "@odata.type"}
        for k in body:
            if k not in allowed:
                raise GraphError(400, "RequestBodyRead", "The property '%s' does not exist on type 'microsoft.graph.calendar'. "
                                 "Make sure to only use property names that are defined by the type or mark the type as open type." % k)
        name = body.get("name")
        if not isinstance(name, str) or not name.strip():
            raise GraphError(400, "ErrorInvalidParameter", "The value of the parameter 'name' is empty.")
        if any(c["name"].lower() == name.lower() for c in mb.calendars.values()):
            # Emulator choice of code/message (Exchange folder-name conflict).
            raise GraphError(409, "ErrorFolderExists", "A folder with the specified name already exists.")
        cal = mb.add_calendar(name)
        return 201, {}, self.calendar_json(ctx, mb, cal)
