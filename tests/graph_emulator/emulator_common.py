"""Graph emulator: Graph error type and body, connection-drop signal, JSON/query/skiptoken helpers, per-request context."""

import base64
import collections
import json
import os
import re
import time
import urllib.parse
import uuid

from emulator_timezones import UTC, zone_for

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
# Per-request context (headers, Prefer)
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
