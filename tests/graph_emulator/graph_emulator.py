#!/usr/bin/python3
"""A strict Microsoft Graph (calendar subset) and identity-platform emulator for plancal's tests.

Python 3 standard library only. It serves, on one loopback port:
  * the Microsoft identity platform v2 token endpoint  POST /{tenant}/oauth2/v2.0/token
  * Microsoft Graph v1.0 calendar/event endpoints       /v1.0/users/{id|upn}/...
  * JSON batching                                        POST /v1.0/$batch
  * a control API that is NOT part of Graph              /_emulator/...

Every Graph behaviour is annotated with the documentation page it follows ("Doc:"). Where the
documentation does not pin a detail down (an exact error code or message) the comment says
"Emulator choice" so nobody mistakes it for a documented fact. README.md lists them all.

Run:  /usr/bin/python3 graph_emulator.py --port 0 --state-dir DIR [--setup FILE]
It prints "listening on http://127.0.0.1:PORT" (flushed) once it accepts connections.
"""

import argparse
import base64
import collections
import copy
import ctypes
import datetime as dt
import glob
import html
import json
import os
import random
import re
import secrets
import socket
import sys
import threading
import time
import urllib.parse
import uuid
from concurrent.futures import FIRST_COMPLETED, ThreadPoolExecutor, wait
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

GRAPH_SCOPE = "https://graph.microsoft.com/.default"
UTC = dt.timezone.utc

# --------------------------------------------------------------------------------------------
# Time zones
# --------------------------------------------------------------------------------------------
# Doc: "dateTimeTimeZone resource type"
#   https://learn.microsoft.com/en-us/graph/api/resources/datetimetimezone
#   "The TimeZone property can be set to any of the time zones supported by Windows, as well as
#    the following time zones names" -- followed by a fixed list of IANA names (below). Any other
#   name (for example Europe/Oslo, which is not on the list) is rejected with
#   400 TimeZoneNotSupportedException.
GRAPH_ACCEPTED_IANA = {
    # name as sent -> IANA key used for the conversion (the doc writes a few with an alias)
    "Etc/GMT+12": "Etc/GMT+12", "Etc/GMT+11": "Etc/GMT+11", "Pacific/Honolulu": "Pacific/Honolulu",
    "America/Anchorage": "America/Anchorage", "America/Santa_Isabel": "America/Tijuana",
    "America/Los_Angeles": "America/Los_Angeles", "America/Phoenix": "America/Phoenix",
    "America/Chihuahua": "America/Chihuahua", "America/Denver": "America/Denver",
    "America/Guatemala": "America/Guatemala", "America/Chicago": "America/Chicago",
    "America/Mexico_City": "America/Mexico_City", "America/Regina": "America/Regina",
    "America/Bogota": "America/Bogota", "America/New_York": "America/New_York",
    "America/Indiana/Indianapolis": "America/Indiana/Indianapolis", "America/Caracas": "America/Caracas",
    "America/Asuncion": "America/Asuncion", "America/Halifax": "America/Halifax",
    "America/Cuiaba": "America/Cuiaba", "America/La_Paz": "America/La_Paz",
    "America/Santiago": "America/Santiago", "America/St_Johns": "America/St_Johns",
    "America/Sao_Paulo": "America/Sao_Paulo", "America/Argentina/Buenos_Aires": "America/Argentina/Buenos_Aires",
    "America/Cayenne": "America/Cayenne", "America/Godthab": "America/Nuuk",
    "America/Montevideo": "America/Montevideo", "America/Bahia": "America/Bahia",
    "Etc/GMT+2": "Etc/GMT+2", "Atlantic/Azores": "Atlantic/Azores", "Atlantic/Cape_Verde": "Atlantic/Cape_Verde",
    "Africa/Casablanca": "Africa/Casablanca", "Etc/GMT": "Etc/GMT", "Europe/London": "Europe/London",
    "Atlantic/Reykjavik": "Atlantic/Reykjavik", "Europe/Berlin": "Europe/Berlin",
    "Europe/Budapest": "Europe/Budapest", "Europe/Paris": "Europe/Paris", "Europe/Warsaw": "Europe/Warsaw",
    "Africa/Lagos": "Africa/Lagos", "Africa/Windhoek": "Africa/Windhoek", "Europe/Bucharest": "Europe/Bucharest",
    "Asia/Beirut": "Asia/Beirut", "Africa/Cairo": "Africa/Cairo", "Asia/Damascus": "Asia/Damascus",
    "Africa/Johannesburg": "Africa/Johannesburg", "Europe/Kyiv": "Europe/Kyiv", "Europe/Kiev": "Europe/Kyiv",
    "Europe/Istanbul": "Europe/Istanbul", "Asia/Jerusalem": "Asia/Jerusalem", "Asia/Amman": "Asia/Amman",
    "Asia/Baghdad": "Asia/Baghdad", "Europe/Kaliningrad": "Europe/Kaliningrad", "Asia/Riyadh": "Asia/Riyadh",
    "Africa/Nairobi": "Africa/Nairobi", "Asia/Tehran": "Asia/Tehran", "Asia/Dubai": "Asia/Dubai",
    "Asia/Baku": "Asia/Baku", "Europe/Moscow": "Europe/Moscow", "Indian/Mauritius": "Indian/Mauritius",
    "Asia/Tbilisi": "Asia/Tbilisi", "Asia/Yerevan": "Asia/Yerevan", "Asia/Kabul": "Asia/Kabul",
    "Asia/Karachi": "Asia/Karachi", "Asia/Toshkent": "Asia/Tashkent", "Asia/Tashkent": "Asia/Tashkent",
    "Asia/Kolkata": "Asia/Kolkata", "Asia/Colombo": "Asia/Colombo", "Asia/Kathmandu": "Asia/Kathmandu",
    "Asia/Astana": "Asia/Almaty", "Asia/Almaty": "Asia/Almaty", "Asia/Dhaka": "Asia/Dhaka",
    "Asia/Yekaterinburg": "Asia/Yekaterinburg", "Asia/Yangon": "Asia/Yangon", "Asia/Rangoon": "Asia/Yangon",
    "Asia/Bangkok": "Asia/Bangkok", "Asia/Novosibirsk": "Asia/Novosibirsk", "Asia/Shanghai": "Asia/Shanghai",
    "Asia/Krasnoyarsk": "Asia/Krasnoyarsk", "Asia/Singapore": "Asia/Singapore", "Australia/Perth": "Australia/Perth",
    "Asia/Taipei": "Asia/Taipei", "Asia/Ulaanbaatar": "Asia/Ulaanbaatar", "Asia/Irkutsk": "Asia/Irkutsk",
    "Asia/Tokyo": "Asia/Tokyo", "Asia/Seoul": "Asia/Seoul", "Australia/Adelaide": "Australia/Adelaide",
    "Australia/Darwin": "Australia/Darwin", "Australia/Brisbane": "Australia/Brisbane",
    "Australia/Sydney": "Australia/Sydney", "Pacific/Port_Moresby": "Pacific/Port_Moresby",
    "Australia/Hobart": "Australia/Hobart", "Asia/Yakutsk": "Asia/Yakutsk", "Pacific/Guadalcanal": "Pacific/Guadalcanal",
    "Asia/Vladivostok": "Asia/Vladivostok", "Pacific/Auckland": "Pacific/Auckland", "Etc/GMT-12": "Etc/GMT-12",
    "Pacific/Fiji": "Pacific/Fiji", "Asia/Magadan": "Asia/Magadan", "Pacific/Tongatapu": "Pacific/Tongatapu",
    "Pacific/Apia": "Pacific/Apia", "Pacific/Kiritimati": "Pacific/Kiritimati",
}

# Fallback used only when Debian's libicu cannot be loaded. Source: CLDR windowsZones.xml
# (territory "001" mappings) for the zones plancal and its tests are likely to use. With libicu
# present (Debian libicu72 ships CLDR's windowsZones data inside libicudata) the full set is read
# from ICU instead -- see _load_windows_zones_from_icu().
_FALLBACK_WINDOWS_ZONES = {
    "UTC": "Etc/UTC", "W. Europe Standard Time": "Europe/Berlin", "Romance Standard Time": "Europe/Paris",
    "Central Europe Standard Time": "Europe/Budapest", "Central European Standard Time": "Europe/Warsaw",
    "GMT Standard Time": "Europe/London", "Greenwich Standard Time": "Atlantic/Reykjavik",
    "FLE Standard Time": "Europe/Kiev", "GTB Standard Time": "Europe/Bucharest",
    "Russian Standard Time": "Europe/Moscow", "Eastern Standard Time": "America/New_York",
    "Central Standard Time": "America/Chicago", "Mountain Standard Time": "America/Denver",
    "Pacific Standard Time": "America/Los_Angeles", "Tokyo Standard Time": "Asia/Tokyo",
    "AUS Eastern Standard Time": "Australia/Sydney", "India Standard Time": "Asia/Calcutta",
    "China Standard Time": "Asia/Shanghai",
}


def _load_windows_zones_from_icu():
    """Return {Windows zone id: IANA id} from ICU's copy of CLDR windowsZones, or None.

    Enumerates every IANA zone ICU knows (ucal_openTimeZones), asks ICU for its Windows id
    (ucal_getWindowsTimeZoneID) and maps each Windows id back to its CLDR "001" golden zone
    (ucal_getTimeZoneIDForWindowsID). ctypes is standard library; libicu is Debian's libicu72.
    """
    libs = sorted(glob.glob("/usr/lib/*/libicui18n.so.*[0-9]") + glob.glob("/usr/lib/libicui18n.so.*[0-9]"))
    for path in libs:
        m = re.search(r"libicui18n\.so\.(\d+)$", path)
        if not m:
            continue
        ver = "_" + m.group(1)
        try:
            i18n = ctypes.CDLL(path)
            uc = ctypes.CDLL(path.replace("libicui18n", "libicuuc"))
            open_tz = getattr(i18n, "ucal_openTimeZones" + ver)
            nxt = getattr(uc, "uenum_next" + ver)
            close = getattr(uc, "uenum_close" + ver)
            to_win = getattr(i18n, "ucal_getWindowsTimeZoneID" + ver)
            from_win = getattr(i18n, "ucal_getTimeZoneIDForWindowsID" + ver)
        except (OSError, AttributeError):
            continue
        open_tz.restype = ctypes.c_void_p
        open_tz.argtypes = [ctypes.POINTER(ctypes.c_int)]
        nxt.restype = ctypes.c_char_p
        nxt.argtypes = [ctypes.c_void_p, ctypes.POINTER(ctypes.c_int32), ctypes.POINTER(ctypes.c_int)]
        close.argtypes = [ctypes.c_void_p]
        to_win.restype = ctypes.c_int32
        to_win.argtypes = [ctypes.c_void_p, ctypes.c_int32, ctypes.c_void_p, ctypes.c_int32,
                           ctypes.POINTER(ctypes.c_int)]
        from_win.restype = ctypes.c_int32
        from_win.argtypes = [ctypes.c_void_p, ctypes.c_int32, ctypes.c_char_p, ctypes.c_void_p,
                             ctypes.c_int32, ctypes.POINTER(ctypes.c_int)]

        def u16(s):
            return ctypes.create_string_buffer(s.encode("utf-16-le") + b"\0\0")

        err = ctypes.c_int(0)
        en = open_tz(ctypes.byref(err))
        if not en or err.value > 0:
            continue
        windows = set()
        try:
            while True:
                ln = ctypes.c_int32(0)
                err = ctypes.c_int(0)
                s = nxt(en, ctypes.byref(ln), ctypes.byref(err))
                if not s:
                    break
                iana = s.decode("ascii")
                out = ctypes.create_string_buffer(512)
                err = ctypes.c_int(0)
                n = to_win(u16(iana), len(iana), out, 256, ctypes.byref(err))
                if err.value <= 0 and n > 0:
                    windows.add(out.raw[: 2 * n].decode("utf-16-le"))
        finally:
            close(en)
        result = {}
        for w in windows:
            out = ctypes.create_string_buffer(512)
            err = ctypes.c_int(0)
            n = from_win(u16(w), len(w), None, out, 256, ctypes.byref(err))
            if err.value <= 0 and n > 0:
                result[w] = out.raw[: 2 * n].decode("utf-16-le")
        if result:
            return result
    return None


WINDOWS_ZONES = _load_windows_zones_from_icu()
WINDOWS_ZONES_SOURCE = "libicu (CLDR windowsZones)" if WINDOWS_ZONES else "built-in fallback (CLDR windowsZones excerpt)"
if not WINDOWS_ZONES:
    WINDOWS_ZONES = dict(_FALLBACK_WINDOWS_ZONES)
WINDOWS_ZONES.setdefault("UTC", "Etc/UTC")


def zone_for(name):
    """ZoneInfo for a dateTimeTimeZone.timeZone value Graph accepts, else None."""
    key = WINDOWS_ZONES.get(name) or GRAPH_ACCEPTED_IANA.get(name)
    if not key:
        return None
    try:
        return ZoneInfo(key)
    except (ZoneInfoNotFoundError, ValueError):
        try:
            return ZoneInfo({"Europe/Kyiv": "Europe/Kiev", "America/Nuuk": "America/Godthab"}.get(key, key))
        except Exception:
            return None


_DT_RE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,7}))?)?$")


def parse_local_datetime(s):
    """Parse dateTimeTimeZone.dateTime ("<date>T<time>", no offset). None when malformed."""
    if not isinstance(s, str):
        return None
    m = _DT_RE.match(s)
    if not m:
        return None
    y, mo, d, h, mi, sec, frac = m.groups()
    try:
        micro = int((frac or "0").ljust(7, "0")[:6])
        return dt.datetime(int(y), int(mo), int(d), int(h), int(mi), int(sec or 0), micro)
    except ValueError:
        return None


def fmt_local(naive):
    """Graph writes dateTime with 7 fractional digits: 2024-01-15T09:00:00.0000000."""
    return naive.strftime("%Y-%m-%dT%H:%M:%S.") + "%07d" % (naive.microsecond * 10)


def now_stamp():
    """DateTimeOffset as Graph writes it: UTC, 7 fractional digits, Z."""
    ns = time.time_ns()
    secs, rem = divmod(ns, 1_000_000_000)
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(secs)) + ".%07dZ" % (rem // 100)


def parse_query_datetime(s):
    """ISO 8601 value of calendarView startDateTime/endDateTime -> aware UTC datetime or None."""
    if not s:
        return None
    t = s.strip().replace(" ", "+")
    if t.endswith("Z"):
        t = t[:-1] + "+00:00"
    m = re.match(r"^(.*T\d{2}:\d{2}(?::\d{2})?)(\.\d+)?([+-]\d{2}:\d{2})?$", t)
    if not m:
        return None
    base, frac, off = m.groups()
    frac = (frac or "")[:7]
    try:
        v = dt.datetime.fromisoformat(base + (frac[:7] if frac else "") + (off or ""))
    except ValueError:
        return None
    if v.tzinfo is None:
        v = v.replace(tzinfo=UTC)
    return v.astimezone(UTC)


# --------------------------------------------------------------------------------------------
# Errors
# --------------------------------------------------------------------------------------------
class GraphError(Exception):
    """Doc: "Microsoft Graph error responses and resource types" https://learn.microsoft.com/graph/errors
    -- body {"error":{"code","message","innerError":{"date","request-id","client-request-id"}}}."""

    def __init__(self, status, code, message, headers=None):
        super().__init__(message)
        self.status, self.code, self.message, self.headers = status, code, message, dict(headers or {})


class DropConnection(Exception):
    """Close the TCP connection without any HTTP response (fault injection)."""


def graph_error_body(code, message, request_id, client_request_id):
    return {"error": {"code": code, "message": message, "innerError": {
        "date": time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime()),
        "request-id": request_id, "client-request-id": client_request_id}}}


def b64url(n):
    return base64.urlsafe_b64encode(os.urandom(n)).decode("ascii").rstrip("=")


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


def text_to_html(text):
    return html.escape(text).replace("\n", "<br>\r\n")


def wrap_html(inner):
    """Graph stores the body as HTML and rewrites it (adds html/head/meta). Emulator rendering of
    that rewrite; the point is that the body read back differs from the body written."""
    return ("<html>\r\n<head>\r\n<meta http-equiv=\"Content-Type\" content=\"text/html; charset=utf-8\">\r\n"
            "</head>\r\n<body>\r\n%s\r\n</body>\r\n</html>\r\n" % inner)


TEAMS_MARKER = "________________________________________________________________________________"


def teams_block(join_url):
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


# --------------------------------------------------------------------------------------------
# State
# --------------------------------------------------------------------------------------------
class Mailbox:
    def __init__(self, user):
        self.user = user
        self.calendars = collections.OrderedDict()
        self.default_calendar_id = None
        self.reset_content()
        self.reset_stats()

    def reset_content(self):
        self.calendars.clear()
        self.events = collections.OrderedDict()        # immutable id -> event record
        self.rest_ids = {}                              # rest id -> immutable id
        self.transactions = {}                          # transactionId -> immutable id
        self.default_calendar_id = None
        for i, name in enumerate(self.user.get("calendars") or ["Calendar"]):
            self.add_calendar(name, default=(i == 0))

    def reset_stats(self):
        self.in_flight = 0
        self.peak_in_flight = 0          # concurrently outstanding requests incl. those answered 429
        self.peak_admitted = 0           # concurrently executing (admitted) requests
        self.requests = 0
        self.by_method = collections.Counter()
        self.by_status = collections.Counter()
        self.throttled = 0
        self.throttled_concurrency = 0
        self.throttled_budget = 0
        self.window = collections.deque()
        self.invitations = 0             # attendees that would have been mailed an invitation
        self.faults = collections.deque()

    def add_calendar(self, name, default=False):
        cid = "AAMkA" + b64url(60) + "AAA="
        self.calendars[cid] = {"id": cid, "name": name, "changeKey": b64url(16), "color": "auto",
                               "hexColor": "", "isDefaultCalendar": bool(default), "canShare": True,
                               "canViewPrivateItems": True, "canEdit": True, "isRemovable": not default,
                               "isTallyingResponses": True, "allowedOnlineMeetingProviders": ["teamsForBusiness"],
                               "defaultOnlineMeetingProvider": "teamsForBusiness",
                               "owner": {"name": self.user.get("displayName", ""),
                                         "address": self.user["userPrincipalName"]}}
        if default:
            self.default_calendar_id = cid
        return self.calendars[cid]


class State:
    def __init__(self, args):
        self.lock = threading.RLock()
        self.args = args
        self.setup = {"tenants": []}
        self.tenants = {}       # lower-case tenant id or domain -> tenant
        self.users = {}         # lower-case id or upn -> user
        self.mailboxes = {}     # user id -> Mailbox
        self.tokens = {}        # access token -> {tenant, client_id, roles, exp}
        self.expires_in = args.expires_in
        self.budget = args.budget
        self.window = args.window
        self.concurrency = args.concurrency
        self.retry_after = args.retry_after
        self.retry_after_decimal = args.retry_after_decimal
        self.strict_if_match = False
        self.latency = args.latency
        self.global_faults = collections.deque()
        self.token_faults = collections.deque()
        self.rng = random.Random(args.batch_seed)
        self.stats = collections.Counter()
        self.log_path = os.path.join(args.state_dir, "requests.jsonl") if args.state_dir else None
        self.log_lock = threading.Lock()
        self.log_file = None

    # ---- configuration
    def load_setup(self, cfg):
        with self.lock:
            self.setup = cfg
            self.tenants.clear(); self.users.clear(); self.mailboxes.clear(); self.tokens.clear()
            for t in cfg.get("tenants", []):
                tenant = {"id": t["id"], "domains": list(t.get("domains", [])), "apps": {}, "users": []}
                for a in t.get("apps", []):
                    secrets_ = []
                    for s in a.get("secrets", []):
                        if isinstance(s, str):
                            s = {"value": s}
                        secrets_.append({"value": s["value"], "expired": bool(s.get("expired", False))})
                    tenant["apps"][a["client_id"].lower()] = {
                        "client_id": a["client_id"], "secrets": secrets_,
                        "roles": list(a.get("roles", ["Calendars.ReadWrite"])),
                        "display_name": a.get("display_name", "plancal")}
                for key in [t["id"]] + tenant["domains"]:
                    self.tenants[key.lower()] = tenant
                for u in t.get("users", []):
                    self.add_user(tenant, u)
                gen = t.get("generate_users")
                if gen:
                    # {"count": 5000, "upn": "user{n:05d}@kommune.no", "calendars": ["Calendar"]}
                    # ids are deterministic (uuid5 of tenant and UPN) so tests can compute them.
                    for n in range(int(gen["count"])):
                        upn = gen.get("upn", "user{n}@example.org").format(n=n)
                        self.add_user(tenant, {"userPrincipalName": upn, "calendars": gen.get("calendars"),
                                               "id": str(uuid.uuid5(uuid.NAMESPACE_URL, "%s/%s" % (t["id"], upn.lower())))})

    def add_user(self, tenant, u):
        user = {"id": u.get("id") or str(uuid.uuid4()), "userPrincipalName": u["userPrincipalName"],
                "displayName": u.get("displayName", u["userPrincipalName"].split("@")[0]),
                "calendars": list(u.get("calendars") or ["Calendar"]), "tenant": tenant["id"]}
        self.users[user["id"].lower()] = user
        self.users[user["userPrincipalName"].lower()] = user
        self.mailboxes[user["id"]] = Mailbox(user)
        tenant["users"].append(user["id"])
        return user

    def mailbox_for(self, ident):
        u = self.users.get(urllib.parse.unquote(ident).lower())
        return self.mailboxes[u["id"]] if u else None

    def fmt_retry(self, seconds):
        # Doc: "Microsoft Graph throttling guidance" https://learn.microsoft.com/graph/throttling --
        # "Wait the number of seconds specified in the Retry-After field". Graph sends whole
        # seconds; --retry-after-decimal sends e.g. "1.5" so clients prove they parse decimals.
        if self.retry_after_decimal:
            return ("%.3f" % max(seconds, 0.001)).rstrip("0").rstrip(".")
        return str(max(1, int(-(-seconds // 1))))

    def log(self, rec):
        if not self.log_path:
            return
        line = json.dumps(rec, separators=(",", ":"))
        with self.log_lock:
            if self.log_file is None:
                self.log_file = open(self.log_path, "a", encoding="utf-8", buffering=1)
            self.log_file.write(line + "\n")


# --------------------------------------------------------------------------------------------
# The Graph service
# --------------------------------------------------------------------------------------------
class Ctx:
    def __init__(self, base_url, headers, token):
        self.base = base_url
        self.headers = {k.lower(): v for k, v in headers.items()}
        self.token = token
        self.request_id = str(uuid.uuid4())
        self.client_request_id = self.headers.get("client-request-id") or self.request_id
        self.prefer = parse_prefer(self.headers.get("prefer", ""))
        self.resp_headers = {}

    def immutable(self):
        # Doc: "Obtain immutable identifiers for Outlook resources"
        # https://learn.microsoft.com/en-us/graph/outlook-immutable-id -- opt in per request with
        # Prefer: IdType="ImmutableId"; "This header only applies to the request it is included with."
        return self.prefer.get("idtype", "").strip('"') == "ImmutableId"

    def out_zone(self):
        # Doc: "List events" https://learn.microsoft.com/en-us/graph/api/user-list-events --
        # Prefer: outlook.timezone="..." returns start/end in that zone; default is UTC.
        name = self.prefer.get("outlook.timezone")
        if name is None:
            return "UTC", UTC
        name = name.strip('"')
        z = zone_for(name)
        if z is None:
            return "UTC", UTC      # Emulator choice: an unknown zone in Prefer falls back to UTC.
        return name, z


def parse_prefer(value):
    out = {}
    for part in re.split(r",(?=(?:[^\"]*\"[^\"]*\")*[^\"]*$)", value or ""):
        part = part.strip()
        if not part:
            continue
        k, _, v = part.partition("=")
        out[k.strip().lower()] = v.strip()
    return out


class Graph:
    def __init__(self, state):
        self.s = state

    # ---------------- auth
    def authenticate(self, ctx):
        """Doc: "Microsoft Graph error responses" https://learn.microsoft.com/graph/errors (401:
        "Required authentication information is either missing or not valid"). Codes/messages
        are the ones Graph returns for Outlook resources (InvalidAuthenticationToken)."""
        auth = ctx.headers.get("authorization", "")
        hdr = {"WWW-Authenticate": 'Bearer realm="", authorization_uri="https://login.microsoftonline.com/common/oauth2/authorize"'}
        if not auth:
            raise GraphError(401, "InvalidAuthenticationToken", "Access token is empty.", hdr)
        scheme, _, tok = auth.partition(" ")
        if scheme.lower() != "bearer" or not tok.strip():
            raise GraphError(401, "InvalidAuthenticationToken", "Access token validation failure. Invalid audience.", hdr)
        with self.s.lock:
            info = self.s.tokens.get(tok.strip())
        if info is None:
            raise GraphError(401, "InvalidAuthenticationToken",
                             "IDX14100: JWT is not well formed, there are no dots (.)." if "." not in tok
                             else "Access token validation failure. Invalid audience.", hdr)
        if time.time() >= info["exp"]:
            raise GraphError(401, "InvalidAuthenticationToken", "Lifetime validation failed, the token is expired.", hdr)
        return info

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

    def run_on_mailbox(self, ctx, mb, method, sub, query, body_bytes):
        s = self.s
        fault = None
        with s.lock:
            mb.requests += 1
            mb.by_method[method] += 1
            arriving = mb.in_flight + 1
            mb.peak_in_flight = max(mb.peak_in_flight, arriving)
            now = time.monotonic()
            while mb.window and mb.window[0] <= now - s.window:
                mb.window.popleft()
            throttle = None
            # Doc: "Microsoft Graph service-specific throttling limits", Outlook service limits
            # https://learn.microsoft.com/en-us/graph/throttling-limits#outlook-service-limits --
            # per app per mailbox: 10,000 API requests in a 10 minute period and 4 concurrent
            # requests. Error body as Graph returns it for the concurrency limit
            # ("ApplicationThrottled" / "Application is over its MailboxConcurrency limit.").
            if mb.in_flight >= s.concurrency:
                throttle = ("concurrency", s.retry_after,
                            "Application is over its MailboxConcurrency limit.")
                mb.window.append(now)      # Doc (throttling): "all requests accrue against your usage limits"
            elif len(mb.window) >= s.budget:
                wait = mb.window[0] + s.window - now
                # Emulator choice: message for the request-rate (budget) limit.
                throttle = ("budget", wait, "Application is over its MailboxRequestLimit limit (%d requests per %g seconds)." % (s.budget, s.window))
            else:
                mb.window.append(now)
            if throttle is not None:
                mb.throttled += 1
                s.stats["throttled_429"] += 1
                if throttle[0] == "concurrency":
                    mb.throttled_concurrency += 1
                else:
                    mb.throttled_budget += 1
                retry = s.fmt_retry(throttle[1])
            else:
                mb.in_flight += 1
                mb.peak_admitted = max(mb.peak_admitted, mb.in_flight)
                # An injected fault applies to the next admitted request of the mailbox.
                for q in (mb.faults, s.global_faults):
                    if q:
                        fault = q[0]
                        fault["count"] -= 1
                        if fault["count"] <= 0:
                            q.popleft()
                        break
        if throttle is not None:
            raise GraphError(429, "ApplicationThrottled", throttle[2], {"Retry-After": retry})
        try:
            if s.latency > 0:
                time.sleep(s.latency)
            kind = fault["kind"] if fault else None
            if kind == "slow":
                time.sleep(float(fault.get("seconds", 1)))
            elif kind == "drop":
                raise DropConnection()
            elif kind in ("503", "504", "500", "429"):
                hdr = {}
                if fault.get("retry_after") is not None:
                    hdr["Retry-After"] = str(fault["retry_after"])
                code = {"503": ("ServiceUnavailable", "The service is temporarily unavailable. Please retry later."),
                        "504": ("GatewayTimeout", "The gateway did not receive a timely response."),
                        "500": ("InternalServerError", "An internal server error occurred."),
                        "429": ("ApplicationThrottled", "Application is over its MailboxConcurrency limit.")}[kind]
                raise GraphError(int(kind), code[0], code[1], hdr)
            result = self.route(ctx, mb, method, sub, query, body_bytes)
            if kind == "drop_after":
                raise DropConnection()
            if kind == "504_after":
                raise GraphError(504, "GatewayTimeout", "The gateway did not receive a timely response.")
            return result
        finally:
            with s.lock:
                mb.in_flight -= 1

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
                block = teams_block(join)
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
            # Emulator choice: a transactionId is remembered only while its event exists.
            if ev.get("transactionId") and mb.transactions.get(ev["transactionId"]) == ev["_immutableId"]:
                del mb.transactions[ev["transactionId"]]
            self.s.stats["events_deleted"] += 1
            return 204, {}, None
        raise self.method_not_allowed()

    # ---------------- $batch
    def batch(self, ctx, body_bytes, auth):
        """Doc: "Combine multiple HTTP requests using JSON batching"
        https://learn.microsoft.com/en-us/graph/json-batching -- at most 20 requests; ids unique
        (not case-sensitive) else 400; responses may come in any order; dependsOn; a failed
        request fails its dependents with 424; the batch answers 200 when it is parseable and
        each request is evaluated against throttling on its own (inner 429 + Retry-After)."""
        body = parse_json_body(body_bytes)
        reqs = body.get("requests") if isinstance(body, dict) else None
        if not isinstance(reqs, list) or not reqs:
            raise GraphError(400, "BadRequest", "Invalid batch payload format.")
        if len(reqs) > 20:
            raise GraphError(400, "BadRequest", "The number of batch requests exceeds the limit of 20.")  # Emulator choice of wording.
        ids = {}
        for r in reqs:
            if not isinstance(r, dict) or not isinstance(r.get("id"), str) or not r.get("id") \
                    or not isinstance(r.get("method"), str) or not isinstance(r.get("url"), str):
                raise GraphError(400, "BadRequest", "Invalid batch payload format: each request needs id, method and url.")
            if r["id"].lower() in ids:
                raise GraphError(400, "BadRequest", "Batch request contains duplicate request id '%s'." % r["id"])
            ids[r["id"].lower()] = r
            if "body" in r and not any(k.lower() == "content-type" for k in (r.get("headers") or {})):
                raise GraphError(400, "BadRequest", "Content-Type header must be specified when a body is present (request '%s')." % r["id"])
            if re.match(r"^[a-z]+://", r["url"], re.I):
                raise GraphError(400, "BadRequest", "Batch request urls must be relative (request '%s')." % r["id"])
        for r in reqs:
            for d in r.get("dependsOn") or []:
                if not isinstance(d, str) or d.lower() not in ids or d.lower() == r["id"].lower():
                    raise GraphError(400, "BadRequest", "Request '%s' depends on unknown request '%s'." % (r["id"], d))
        self.s.stats["batches"] += 1
        results = {}
        done = threading.Condition()
        drop = []

        def run(r):
            deps = [d.lower() for d in r.get("dependsOn") or []]
            failed = [d for d in deps if results[d]["status"] >= 400]
            if failed:
                return {"id": r["id"], "status": 424, "headers": {"Content-Type": "application/json"},
                        "body": graph_error_body("FailedDependency", "The request depends on request '%s', which failed." %
                                                 ids[failed[0]]["id"], str(uuid.uuid4()), ctx.client_request_id)}
            return self.run_inner(ctx, r, auth, drop)

        pending = list(reqs)
        with ThreadPoolExecutor(max_workers=max(1, self.s.args.batch_parallelism)) as pool:
            futures = {}
            while pending or futures:
                ready = [r for r in pending if all(d.lower() in results for d in r.get("dependsOn") or [])]
                for r in ready:
                    pending.remove(r)
                    futures[pool.submit(run, r)] = r
                if not futures:
                    break
                finished, _ = wait(list(futures), return_when=FIRST_COMPLETED)
                for fut in finished:
                    results[futures.pop(fut)["id"].lower()] = fut.result()
        if drop:
            raise DropConnection()
        order = [results[r["id"].lower()] for r in reqs]
        if self.s.args.batch_order == "shuffle":
            with self.s.lock:
                self.s.rng.shuffle(order)
        return 200, {}, {"responses": order}

    def run_inner(self, ctx, r, auth, drop):
        url = r["url"]
        if not url.startswith("/"):
            url = "/" + url
        path, _, query = url.partition("?")
        headers = dict(r.get("headers") or {})
        inner = Ctx(ctx.base, headers, ctx.token)
        inner.client_request_id = ctx.client_request_id
        body = r.get("body")
        body_bytes = json.dumps(body).encode() if body is not None and not isinstance(body, str) else \
            (base64.urlsafe_b64decode(body + "==") if isinstance(body, str) else b"")
        try:
            status, hdrs, obj = self.handle(inner, r["method"].upper(), "/v1.0" + path, query, body_bytes, auth=auth)
            hdrs = dict(hdrs)
            hdrs.update(inner.resp_headers)
            if obj is not None:
                hdrs.setdefault("Content-Type", "application/json; odata.metadata=minimal; odata.streaming=true; IEEE754Compatible=false; charset=utf-8")
                hdrs.setdefault("OData-Version", "4.0")
        except GraphError as e:
            status, hdrs = e.status, dict(e.headers)
            hdrs["Content-Type"] = "application/json"
            obj = graph_error_body(e.code, e.message, inner.request_id, inner.client_request_id)
        except DropConnection:
            drop.append(True)
            status, hdrs, obj = 599, {}, None
        out = {"id": r["id"], "status": status, "headers": hdrs}
        if obj is not None:
            out["body"] = obj
        return out


def canonical(body):
    return json.dumps(body, sort_keys=True, separators=(",", ":"))


def parse_json_body(body_bytes):
    if not body_bytes:
        raise GraphError(400, "BadRequest", "Empty Payload. JSON content expected.")
    try:
        return json.loads(body_bytes.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise GraphError(400, "BadRequest", "Unable to read JSON request payload. Please ensure Content-Type header is set "
                         "and payload is of valid JSON format.")


def parse_query(query):
    out = collections.OrderedDict()
    for k, v in urllib.parse.parse_qsl(query or "", keep_blank_values=True):
        out[k] = v
    return out


def encode_skiptoken(n):
    return base64.urlsafe_b64encode(("skip:%d" % n).encode()).decode().rstrip("=")


def decode_skiptoken(t):
    try:
        raw = base64.urlsafe_b64decode(t + "=" * (-len(t) % 4)).decode()
        return int(raw.split(":", 1)[1])
    except Exception:
        raise GraphError(400, "BadRequest", "Invalid $skiptoken.")


# --------------------------------------------------------------------------------------------
# Identity platform token endpoint
# --------------------------------------------------------------------------------------------
def token_endpoint(state, tenant_key, form, content_type):
    """Doc: "Microsoft identity platform and the OAuth 2.0 client credentials flow"
    https://learn.microsoft.com/en-us/entra/identity-platform/v2-oauth2-client-creds-grant-flow
    -- POST /{tenant}/oauth2/v2.0/token with client_id, scope=https://graph.microsoft.com/.default,
    client_secret, grant_type=client_credentials; success {token_type, expires_in, ext_expires_in,
    access_token}; errors {error, error_description, error_codes, timestamp, trace_id,
    correlation_id, error_uri}. AADSTS codes: "Microsoft Entra authentication and authorization
    error codes" https://learn.microsoft.com/entra/identity-platform/reference-error-codes and
    "Troubleshoot ... service principal" (7000215 invalid secret, 7000222 expired secret)
    https://learn.microsoft.com/azure/developer/java/sdk/troubleshooting-authentication-service-principal
    """
    def err(status, error, code, text):
        trace, corr = str(uuid.uuid4()), str(uuid.uuid4())
        ts = time.strftime("%Y-%m-%d %H:%M:%SZ", time.gmtime())
        desc = "AADSTS%d: %s Trace ID: %s Correlation ID: %s Timestamp: %s" % (code, text, trace, corr, ts)
        return status, {"error": error, "error_description": desc, "error_codes": [code], "timestamp": ts,
                        "trace_id": trace, "correlation_id": corr,
                        "error_uri": "https://login.microsoftonline.com/error?code=%d" % code}

    state.stats["token_requests"] += 1
    if not content_type.lower().startswith("application/x-www-form-urlencoded"):
        return err(400, "invalid_request", 900144, "The request body must contain the following parameter: 'grant_type'.")
    with state.lock:
        tenant = state.tenants.get(tenant_key.lower())
    if tenant is None:
        return err(400, "invalid_request", 90002, "Tenant '%s' not found. Check to make sure you have the correct tenant ID and "
                   "are signing into the correct cloud." % tenant_key)
    for p in ("grant_type", "client_id", "scope"):
        if not form.get(p):
            return err(400, "invalid_request", 900144, "The request body must contain the following parameter: '%s'." % p)
    if form["grant_type"] != "client_credentials":
        return err(400, "unsupported_grant_type", 70003, "The app requested an unsupported grant type '%s'." % form["grant_type"])
    app = tenant["apps"].get(form["client_id"].lower())
    if app is None:
        return err(400, "unauthorized_client", 700016, "Application with identifier '%s' was not found in the directory '%s'. "
                   "This can happen if the application has not been installed by the administrator of the tenant or "
                   "consented to by any user in the tenant." % (form["client_id"], tenant_key))
    scopes = form["scope"].split()
    if len(scopes) != 1 or not scopes[0].endswith("/.default"):
        return err(400, "invalid_scope", 1002012, "The provided value for scope %s is not valid. Client credential flows must have "
                   "a scope value with /.default suffixed to the resource identifier (application ID URI)." % form["scope"])
    if scopes[0] != GRAPH_SCOPE:
        return err(400, "invalid_resource", 500011, "The resource principal named %s was not found in the tenant named %s." %
                   (scopes[0][: -len("/.default")], tenant_key))
    secret = form.get("client_secret")
    if not secret:
        return err(401, "invalid_client", 7000216, "'client_assertion', 'client_secret' or 'request' is required for the "
                   "'client_credentials' grant type.")
    match = [s for s in app["secrets"] if secrets.compare_digest(s["value"].encode(), secret.encode())]
    if not match:
        return err(401, "invalid_client", 7000215, "Invalid client secret provided. Ensure the secret being sent in the request is "
                   "the client secret value, not the client secret ID, for a secret added to app '%s'." % app["client_id"])
    if match[0]["expired"]:
        return err(401, "invalid_client", 7000222, "The provided client secret keys for app '%s' are expired. Visit the Azure "
                   "portal to create new keys for your app: https://aka.ms/NewClientSecret, or consider using certificate "
                   "credentials for added security: https://aka.ms/certCreds." % app["client_id"])
    exp_in = state.expires_in
    hdr = base64.urlsafe_b64encode(b'{"typ":"JWT","alg":"RS256","kid":"emulator"}').decode().rstrip("=")
    claims = {"aud": "https://graph.microsoft.com", "iss": "https://sts.windows.net/%s/" % tenant["id"],
              "iat": int(time.time()), "exp": int(time.time() + exp_in), "appid": app["client_id"],
              "tid": tenant["id"], "roles": app["roles"], "jti": str(uuid.uuid4())}
    body = base64.urlsafe_b64encode(json.dumps(claims).encode()).decode().rstrip("=")
    token = "%s.%s.%s" % (hdr, body, b64url(64))
    with state.lock:
        state.tokens[token] = {"tenant": tenant["id"], "client_id": app["client_id"], "roles": app["roles"],
                               "exp": time.time() + exp_in}
        state.stats["tokens_issued"] += 1
    return 200, {"token_type": "Bearer", "expires_in": exp_in, "ext_expires_in": exp_in, "access_token": token}


# --------------------------------------------------------------------------------------------
# Control API (not Graph)
# --------------------------------------------------------------------------------------------
def mailbox_state(mb):
    evs = []
    for ev in mb.events.values():
        out = {k: v for k, v in ev.items() if not k.startswith("_")}
        out["id"] = ev["_restId"]
        out["immutableId"] = ev["_immutableId"]
        out["calendarId"] = ev["_calendarId"]
        out["calendarName"] = mb.calendars[ev["_calendarId"]]["name"] if ev["_calendarId"] in mb.calendars else None
        out["@odata.etag"] = 'W/"%s"' % ev["changeKey"]
        out["startUtc"] = ev["_utcStart"].strftime("%Y-%m-%dT%H:%M:%SZ")
        out["endUtc"] = ev["_utcEnd"].strftime("%Y-%m-%dT%H:%M:%SZ")
        out["singleValueExtendedProperties"] = list(ev["_ext"].values())
        evs.append(out)
    return {"user": {k: mb.user[k] for k in ("id", "userPrincipalName", "displayName", "tenant")},
            "calendars": list(mb.calendars.values()), "events": evs}


def mailbox_stats(mb):
    return {"requests": mb.requests, "by_method": dict(mb.by_method), "by_status": {str(k): v for k, v in mb.by_status.items()},
            "throttled_429": mb.throttled, "throttled_concurrency": mb.throttled_concurrency,
            "throttled_budget": mb.throttled_budget, "peak_in_flight": mb.peak_in_flight,
            "peak_admitted": mb.peak_admitted, "in_flight": mb.in_flight,
            "invitations_would_be_sent": mb.invitations, "events": len(mb.events)}


def control(state, method, path, body):
    """Returns (status, obj)."""
    data = {}
    if body:
        try:
            data = json.loads(body.decode("utf-8"))
        except ValueError:
            return 400, {"error": "invalid JSON"}
    with state.lock:
        if path == "/_emulator/health":
            return 200, {"ok": True, "windowsZones": WINDOWS_ZONES_SOURCE, "windowsZoneCount": len(WINDOWS_ZONES)}
        if path == "/_emulator/setup" and method == "POST":
            state.load_setup(data)
            return 200, {"ok": True, "users": len(state.mailboxes)}
        if path == "/_emulator/setup" and method == "GET":
            return 200, state.setup
        if path == "/_emulator/reset" and method == "POST":
            if data.get("full"):
                state.load_setup(state.setup)
            else:
                for mb in state.mailboxes.values():
                    mb.reset_content()
                    mb.reset_stats()
            state.stats.clear()
            state.global_faults.clear()
            state.token_faults.clear()
            state.rng = random.Random(state.args.batch_seed)
            if data.get("tokens"):
                state.tokens.clear()
            return 200, {"ok": True}
        if path == "/_emulator/state" and method == "GET":
            return 200, {"mailboxes": {mb.user["userPrincipalName"]: mailbox_state(mb) for mb in state.mailboxes.values()}}
        m = re.match(r"^/_emulator/mailboxes/([^/]+)$", path)
        if m and method == "GET":
            mb = state.mailbox_for(m.group(1))
            return (200, mailbox_state(mb)) if mb else (404, {"error": "no such mailbox"})
        if path == "/_emulator/stats" and method == "GET":
            per = {mb.user["userPrincipalName"]: mailbox_stats(mb) for mb in state.mailboxes.values()}
            return 200, {"global": dict(state.stats), "mailboxes": per,
                         "max_peak_in_flight": max([v["peak_in_flight"] for v in per.values()] or [0]),
                         "throttled_429": state.stats.get("throttled_429", 0),
                         "invitations_would_be_sent": state.stats.get("invitations_would_be_sent", 0)}
        if path == "/_emulator/faults" and method == "POST":
            kind = str(data.get("kind", "503"))
            if kind not in ("503", "504", "500", "429", "slow", "drop", "drop_after", "504_after"):
                return 400, {"error": "unknown fault kind %s" % kind}
            fault = {"kind": kind, "count": int(data.get("count", 1)), "seconds": float(data.get("seconds", 1)),
                     "retry_after": data.get("retry_after")}
            target = data.get("mailbox", "*")
            if target == "*":
                state.global_faults.append(fault)
            elif target == "token":
                state.token_faults.append(fault)
            else:
                mb = state.mailbox_for(target)
                if mb is None:
                    return 404, {"error": "no such mailbox"}
                mb.faults.append(fault)
            return 200, {"ok": True}
        if path == "/_emulator/throttling" and method == "POST":
            for k in ("budget", "concurrency"):
                if k in data:
                    setattr(state, k, int(data[k]))
            if "window" in data:
                state.window = float(data["window"])
            if "retry_after" in data:
                state.retry_after = float(data["retry_after"])
            if "retry_after_decimal" in data:
                state.retry_after_decimal = bool(data["retry_after_decimal"])
            if "latency" in data:
                state.latency = float(data["latency"])
            return 200, {"budget": state.budget, "window": state.window, "concurrency": state.concurrency,
                         "retry_after": state.retry_after, "retry_after_decimal": state.retry_after_decimal,
                         "latency": state.latency}
        if path == "/_emulator/if-match" and method == "POST":
            state.strict_if_match = bool(data.get("strict", True))
            return 200, {"strict": state.strict_if_match}
        if path == "/_emulator/tokens" and method == "POST":
            if "expires_in" in data:
                state.expires_in = int(data["expires_in"])
            if data.get("expire_all"):
                for t in state.tokens.values():
                    t["exp"] = 0
            return 200, {"expires_in": state.expires_in, "tokens": len(state.tokens)}
        m = re.match(r"^/_emulator/mailboxes/([^/]+)/events/([^/]+)/move$", path)
        if m and method == "POST":
            # Moving an event to another calendar changes its REST id but not its immutable id
            # (Doc: outlook-immutable-id, "Lifetime of immutable IDs").
            mb = state.mailbox_for(m.group(1))
            if mb is None:
                return 404, {"error": "no such mailbox"}
            eid = urllib.parse.unquote(m.group(2))
            key = eid if eid in mb.events else mb.rest_ids.get(eid)
            cal = data.get("calendarId")
            if key is None or cal not in mb.calendars:
                return 404, {"error": "no such event or calendar"}
            ev = mb.events[key]
            mb.rest_ids.pop(ev["_restId"], None)
            ev["_restId"] = "AAMkAD" + b64url(105) + "AAA="
            ev["_calendarId"] = cal
            mb.rest_ids[ev["_restId"]] = key
            return 200, {"id": ev["_restId"], "immutableId": key}
    return 404, {"error": "unknown control endpoint %s %s" % (method, path)}


# --------------------------------------------------------------------------------------------
# HTTP plumbing
# --------------------------------------------------------------------------------------------
class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "GraphEmulator/1.0"

    def setup(self):
        super().setup()
        # One write per response and no Nagle delay: otherwise delayed ACKs cost ~40 ms/request.
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def log_message(self, fmt, *args):  # quiet; requests go to state-dir/requests.jsonl
        pass

    def do_GET(self):
        self.dispatch("GET")

    def do_POST(self):
        self.dispatch("POST")

    def do_PATCH(self):
        self.dispatch("PATCH")

    def do_DELETE(self):
        self.dispatch("DELETE")

    def do_PUT(self):
        self.dispatch("PUT")

    def read_body(self):
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            chunks = []
            while True:
                size = int(self.rfile.readline().strip().split(b";")[0], 16)
                if size == 0:
                    while self.rfile.readline().strip():
                        pass
                    break
                chunks.append(self.rfile.read(size))
                self.rfile.readline()
            return b"".join(chunks)
        n = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(n) if n else b""

    def send(self, status, headers, obj, raw=None):
        data = raw if raw is not None else (b"" if obj is None else json.dumps(obj, ensure_ascii=False).encode("utf-8"))
        self.send_response(status)
        for k, v in headers.items():
            self.send_header(k, v)
        if obj is not None and not any(k.lower() == "content-type" for k in headers):
            self.send_header("Content-Type", "application/json; odata.metadata=minimal; odata.streaming=true; IEEE754Compatible=false; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self._headers_buffer.append(b"\r\n" + data)
        self.flush_headers()

    def drop(self):
        self.close_connection = True
        try:
            self.connection.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass

    def dispatch(self, method):
        state = self.server.state
        graph = self.server.graph
        t0 = time.monotonic()
        body = self.read_body()
        path, _, query = self.path.partition("?")
        host = self.headers.get("Host") or "127.0.0.1:%d" % self.server.server_address[1]
        base = "http://" + host
        status = 0
        mailbox = None
        try:
            if path.startswith("/_emulator/"):
                status, obj = control(state, method, path, body)
                self.send(status, {}, obj)
                return
            tm = re.match(r"^/([^/]+)/oauth2/v2\.0/token$", path)
            if tm:
                with state.lock:
                    fault = None
                    if state.token_faults:
                        fault = state.token_faults[0]
                        fault["count"] -= 1
                        if fault["count"] <= 0:
                            state.token_faults.popleft()
                if fault and fault["kind"] == "drop":
                    status = -1
                    self.drop()
                    return
                if fault and fault["kind"] == "slow":
                    time.sleep(fault["seconds"])
                if fault and fault["kind"] in ("503", "504", "500"):
                    status = int(fault["kind"])
                    self.send(status, {}, {"error": "temporarily_unavailable", "error_description": "AADSTS90033: A transient error has occurred. Please try again."})
                    return
                if method != "POST":
                    status = 405
                    self.send(405, {}, {"error": "invalid_request", "error_description": "AADSTS900561: The endpoint only accepts POST requests."})
                    return
                form = dict(urllib.parse.parse_qsl(body.decode("utf-8", "replace"), keep_blank_values=True))
                status, obj = token_endpoint(state, urllib.parse.unquote(tm.group(1)), form, self.headers.get("Content-Type", ""))
                self.send(status, {"Cache-Control": "no-store, no-cache", "Pragma": "no-cache"}, obj)
                return
            ctx = Ctx(base, dict(self.headers.items()), None)
            um = re.match(r"^/v1\.0/users/([^/]+)", path)
            if um:
                with state.lock:
                    mb = state.mailbox_for(um.group(1))
                    mailbox = mb.user["userPrincipalName"] if mb else None
            try:
                if not path.startswith("/v1.0/"):
                    raise GraphError(400, "BadRequest", "Invalid version.")
                if path == "/v1.0/$batch":
                    if method != "POST":
                        raise GraphError(405, "BadRequest", "Specified HTTP method is not allowed for the request target.")
                    auth = graph.authenticate(ctx)
                    status, hdrs, obj = graph.batch(ctx, body, auth)
                else:
                    status, hdrs, obj = graph.handle(ctx, method, path, query, body)
                hdrs = dict(hdrs)
                hdrs.update(ctx.resp_headers)
            except GraphError as e:
                status, hdrs = e.status, dict(e.headers)
                obj = graph_error_body(e.code, e.message, ctx.request_id, ctx.client_request_id)
                hdrs["Content-Type"] = "application/json"
                if status == 401:
                    state.stats["unauthorized_401"] += 1
            hdrs["request-id"] = ctx.request_id
            hdrs["client-request-id"] = ctx.client_request_id
            self.send(status, hdrs, obj)
        except DropConnection:
            status = -1
            self.drop()
        finally:
            state.log({"t": round(time.time(), 3), "method": method, "path": path, "query": query, "status": status,
                       "mailbox": mailbox, "ms": round((time.monotonic() - t0) * 1000, 1)})


class Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 1024
    allow_reuse_address = True


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--port", type=int, default=0)
    ap.add_argument("--state-dir", default=None, help="directory for request logs (state is in memory)")
    ap.add_argument("--setup", default=None, help="JSON file with tenants, apps and users")
    ap.add_argument("--budget", type=int, default=10000, help="requests per mailbox per window (Graph: 10,000)")
    ap.add_argument("--window", type=float, default=600.0, help="budget window in seconds (Graph: 600)")
    ap.add_argument("--concurrency", type=int, default=4, help="concurrent requests per mailbox (Graph: 4)")
    ap.add_argument("--retry-after", type=float, default=1.0, help="Retry-After for concurrency 429s, seconds")
    ap.add_argument("--retry-after-decimal", action="store_true", help="send Retry-After with decimals (e.g. 1.5)")
    ap.add_argument("--expires-in", type=int, default=3599, help="access token lifetime in seconds")
    ap.add_argument("--latency", type=float, default=0.0, help="added processing time per mailbox request, seconds")
    ap.add_argument("--batch-parallelism", type=int, default=4,
                    help="batch items executed at once (Graph dispatches up to 4 at a time)")
    ap.add_argument("--batch-order", choices=("shuffle", "request"), default="shuffle")
    ap.add_argument("--batch-seed", type=int, default=0)
    args = ap.parse_args(argv)
    if args.state_dir:
        os.makedirs(args.state_dir, exist_ok=True)
    state = State(args)
    if args.setup:
        with open(args.setup, encoding="utf-8") as f:
            state.load_setup(json.load(f))
    server = Server(("127.0.0.1", args.port), Handler)
    server.state = state
    server.graph = Graph(state)
    print("listening on http://127.0.0.1:%d" % server.server_address[1], flush=True)
    try:
        server.serve_forever(poll_interval=0.2)
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


if __name__ == "__main__":
    main()
