"""Contract tests for the Microsoft Graph emulator (Python standard library only).

Run: cd tests/graph_emulator && /usr/bin/python3 -m unittest -v test_graph_emulator
Each test class starts the emulator as a subprocess on port 0 and stops it afterwards.
"""

import concurrent.futures
import http.client
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import unittest
import urllib.error
import urllib.parse
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
EMULATOR = os.path.join(HERE, "graph_emulator.py")
PYTHON = "/usr/bin/python3" if os.path.exists("/usr/bin/python3") else sys.executable

TENANT = "0b5e2f7a-1c3d-4e5f-8a9b-0c1d2e3f4a5b"
OTHER_TENANT = "9f8e7d6c-5b4a-4938-8271-605f4e3d2c1b"
APP = "6731de76-14a6-49ae-97bc-6eba6914391e"
SECRET = "good~secret.value"
EXPIRED_SECRET = "old~secret.value"
NOCONSENT_APP = "aaaaaaaa-0000-4000-8000-000000000001"
DIRECTORY_APP = "aaaaaaaa-0000-4000-8000-000000000002"
OLA = "5f1c1d0e-1111-4222-8333-444455556666"
KARI = "7a2b3c4d-1111-4222-8333-444455557777"
EXT = "String {66f5a359-4659-4830-9070-00047ec6ac6e} Name plancal.uid"
EXT_HASH = "String {66f5a359-4659-4830-9070-00047ec6ac6e} Name plancal.hash"
OSLO = "W. Europe Standard Time"

SETUP = {
    "tenants": [
        {"id": TENANT, "domains": ["kommune.onmicrosoft.com"],
         "apps": [{"client_id": APP, "secrets": [{"value": SECRET}, {"value": EXPIRED_SECRET, "expired": True}],
                   "roles": ["Calendars.ReadWrite"]},
                  {"client_id": NOCONSENT_APP, "secrets": [SECRET], "roles": []},
                  {"client_id": DIRECTORY_APP, "secrets": [SECRET], "roles": ["Calendars.ReadWrite", "User.Read.All"]}],
         "users": [{"id": OLA, "userPrincipalName": "ola.nordmann@kommune.no", "displayName": "Ola Nordmann"},
                   {"id": KARI, "userPrincipalName": "kari.nordmann@kommune.no", "calendars": ["Calendar", "Møteplan"]}]
                  + [{"userPrincipalName": "user%02d@kommune.no" % i} for i in range(5)]},
        {"id": OTHER_TENANT, "domains": ["other.onmicrosoft.com"],
         "apps": [{"client_id": APP, "secrets": [SECRET]}],
         "users": [{"userPrincipalName": "someone@other.no"}]},
    ]
}


class Resp:
    def __init__(self, status, headers, body):
        self.status, self.headers, self.raw = status, headers, body
        try:
            self.json = json.loads(body.decode("utf-8")) if body else None
        except ValueError:
            self.json = None

    def error_code(self):
        return (self.json or {}).get("error", {}).get("code") if isinstance((self.json or {}).get("error"), dict) else None


class EmulatorTest(unittest.TestCase):
    extra_args = []

    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="graph-emu-")
        setup = os.path.join(cls.tmp, "setup.json")
        with open(setup, "w", encoding="utf-8") as f:
            json.dump(SETUP, f)
        # stderr goes to a file: an unread pipe could fill up and block the server.
        cls.stderr = open(os.path.join(cls.tmp, "emulator.stderr"), "w", encoding="utf-8")
        cls.proc = subprocess.Popen([PYTHON, EMULATOR, "--port", "0", "--state-dir", os.path.join(cls.tmp, "state"),
                                     "--setup", setup] + cls.extra_args,
                                    stdout=subprocess.PIPE, stderr=cls.stderr, text=True)
        line = cls.proc.stdout.readline()
        m = re.match(r"^listening on (http://127\.0\.0\.1:(\d+))$", line.strip())
        if not m:
            cls.proc.kill()
            cls.proc.wait()
            with open(cls.stderr.name, encoding="utf-8") as f:
                raise RuntimeError("emulator did not start: %r %s" % (line, f.read()))
        cls.base = m.group(1)
        cls.port = int(m.group(2))
        cls._token = None

    @classmethod
    def tearDownClass(cls):
        cls.proc.terminate()
        try:
            cls.proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            cls.proc.kill()
            cls.proc.wait()
        cls.proc.stdout.close()
        cls.stderr.close()
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def setUp(self):
        self.control("POST", "/_emulator/reset", {})
        self.control("POST", "/_emulator/throttling", {"budget": 10000, "window": 600, "concurrency": 4,
                                                       "retry_after": 1, "retry_after_decimal": False, "latency": 0})
        self.control("POST", "/_emulator/if-match", {"strict": False})
        self.control("POST", "/_emulator/paging", {"max_page": 0})

    # ---------------- helpers
    def raw(self, method, path, body=None, headers=None, timeout=15):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        try:
            hdrs = dict(headers or {})
            data = None
            if body is not None:
                if isinstance(body, (bytes, str)):
                    data = body.encode() if isinstance(body, str) else body
                else:
                    data = json.dumps(body).encode()
                    hdrs.setdefault("Content-Type", "application/json")
            conn.request(method, path, body=data, headers=hdrs)
            r = conn.getresponse()
            return Resp(r.status, {k.lower(): v for k, v in r.getheaders()}, r.read())
        finally:
            conn.close()

    def control(self, method, path, body=None):
        r = self.raw(method, path, body)
        self.assertEqual(r.status, 200, r.raw)
        return r.json

    def token_request(self, tenant=TENANT, **form):
        fields = {"client_id": APP, "client_secret": SECRET, "scope": "https://graph.microsoft.com/.default",
                  "grant_type": "client_credentials"}
        fields.update(form)
        fields = {k: v for k, v in fields.items() if v is not None}
        return self.raw("POST", "/%s/oauth2/v2.0/token" % tenant, urllib.parse.urlencode(fields),
                        {"Content-Type": "application/x-www-form-urlencoded"})

    def token(self):
        r = self.token_request()
        self.assertEqual(r.status, 200, r.raw)
        return r.json["access_token"]

    def g(self, method, path, body=None, headers=None, token=None):
        hdrs = {"Authorization": "Bearer " + (token or self.token())}
        hdrs.update(headers or {})
        return self.raw(method, "/v1.0" + path, body, hdrs)

    def event_body(self, subject="Teammøte", start="2024-01-15T09:00:00", end="2024-01-15T10:00:00", tz=OSLO, **extra):
        b = {"subject": subject, "body": {"contentType": "html", "content": "<p>%s</p>" % subject},
             "start": {"dateTime": start, "timeZone": tz}, "end": {"dateTime": end, "timeZone": tz}}
        b.update(extra)
        return b

    def create(self, user=OLA, **kw):
        r = self.g("POST", "/users/%s/calendar/events" % user, self.event_body(**kw))
        self.assertEqual(r.status, 201, r.raw)
        return r.json

    def mailbox(self, user=OLA):
        return self.control("GET", "/_emulator/mailboxes/%s" % user)

    def stats(self, upn="ola.nordmann@kommune.no"):
        return self.control("GET", "/_emulator/stats")["mailboxes"][upn]

    def assertGraphError(self, r, status, code):
        self.assertEqual(r.status, status, r.raw)
        self.assertEqual(r.error_code(), code, r.raw)
        inner = r.json["error"]["innerError"]
        self.assertEqual(set(inner), {"date", "request-id", "client-request-id"})
        self.assertTrue(r.json["error"]["message"])


class TokenEndpointTest(EmulatorTest):
    def test_client_credentials_success(self):
        r = self.token_request()
        self.assertEqual(r.status, 200)
        self.assertEqual(r.json["token_type"], "Bearer")
        self.assertEqual(r.json["expires_in"], 3599)
        self.assertEqual(r.json["ext_expires_in"], 3599)
        self.assertEqual(r.json["access_token"].count("."), 2)
        # tenant addressed by domain name works too
        self.assertEqual(self.token_request(tenant="kommune.onmicrosoft.com").status, 200)

    def assertAadError(self, r, status, error, code):
        self.assertEqual(r.status, status, r.raw)
        j = r.json
        self.assertEqual(j["error"], error)
        self.assertEqual(j["error_codes"], [code])
        self.assertTrue(j["error_description"].startswith("AADSTS%d: " % code), j["error_description"])
        for k in ("timestamp", "trace_id", "correlation_id"):
            self.assertIn(k, j)
        self.assertNotIn(SECRET, r.raw.decode())

    def test_wrong_secret_is_7000215(self):
        self.assertAadError(self.token_request(client_secret="nope"), 401, "invalid_client", 7000215)

    def test_expired_secret_is_7000222(self):
        self.assertAadError(self.token_request(client_secret=EXPIRED_SECRET), 401, "invalid_client", 7000222)

    def test_other_token_errors(self):
        self.assertAadError(self.token_request(scope="Calendars.ReadWrite"), 400, "invalid_scope", 1002012)
        self.assertAadError(self.token_request(client_id="00000000-0000-0000-0000-000000000000"), 400, "unauthorized_client", 700016)
        self.assertAadError(self.token_request(tenant="nosuch.onmicrosoft.com"), 400, "invalid_request", 90002)
        self.assertAadError(self.token_request(grant_type="password"), 400, "unsupported_grant_type", 70003)
        self.assertAadError(self.token_request(client_secret=None), 401, "invalid_client", 7000216)
        self.assertAadError(self.token_request(scope=None), 400, "invalid_request", 900144)

    def test_401_without_or_with_bad_token(self):
        r = self.raw("GET", "/v1.0/users/%s/calendar/events" % OLA, headers={"client-request-id": "abc-123"})
        self.assertGraphError(r, 401, "InvalidAuthenticationToken")
        self.assertEqual(r.json["error"]["innerError"]["client-request-id"], "abc-123")
        self.assertEqual(r.headers["client-request-id"], "abc-123")
        self.assertIn("request-id", r.headers)
        r = self.raw("GET", "/v1.0/users/%s/calendar/events" % OLA, headers={"Authorization": "Bearer not.a.token"})
        self.assertGraphError(r, 401, "InvalidAuthenticationToken")

    def test_expired_token_is_401(self):
        tok = self.token()
        self.assertEqual(self.g("GET", "/users/%s/calendar/events" % OLA, token=tok).status, 200)
        self.control("POST", "/_emulator/tokens", {"expire_all": True})
        r = self.g("GET", "/users/%s/calendar/events" % OLA, token=tok)
        self.assertGraphError(r, 401, "InvalidAuthenticationToken")
        self.assertIn("expired", r.json["error"]["message"])
        self.control("POST", "/_emulator/tokens", {"expires_in": 120})
        self.assertEqual(self.token_request().json["expires_in"], 120)
        self.control("POST", "/_emulator/tokens", {"expires_in": 3599})

    def test_app_without_consent_is_403_and_other_tenant_users_invisible(self):
        tok = self.token_request(client_id=NOCONSENT_APP).json["access_token"]
        self.assertGraphError(self.g("GET", "/users/%s/calendar/events" % OLA, token=tok), 403, "ErrorAccessDenied")
        self.assertGraphError(self.g("GET", "/users/someone@other.no/calendar/events"), 404, "ErrorInvalidUser")
        self.assertGraphError(self.g("GET", "/users/nobody@kommune.no/calendar/events"), 404, "ErrorInvalidUser")


    def test_get_user_needs_directory_permission(self):
        self.assertGraphError(self.g("GET", "/users/ola.nordmann@kommune.no"), 403, "Authorization_RequestDenied")
        tok = self.token_request(client_id=DIRECTORY_APP).json["access_token"]
        r = self.g("GET", "/users/ola.nordmann@kommune.no", token=tok)
        self.assertEqual(r.status, 200, r.raw)
        self.assertEqual((r.json["id"], r.json["userPrincipalName"]), (OLA, "ola.nordmann@kommune.no"))

    def test_token_endpoint_faults(self):
        self.control("POST", "/_emulator/faults", {"mailbox": "token", "kind": "503", "count": 1})
        r = self.token_request()
        self.assertEqual(r.status, 503)
        self.assertEqual(self.token_request().status, 200)
        self.control("POST", "/_emulator/faults", {"mailbox": "token", "kind": "drop", "count": 1})
        with self.assertRaises((http.client.RemoteDisconnected, ConnectionError, http.client.BadStatusLine)):
            self.token_request()
        self.assertEqual(self.token_request().status, 200)


class EventTest(EmulatorTest):
    def test_create_get_patch_delete(self):
        ev = self.create()
        self.assertTrue(re.match(r"^[A-Za-z0-9_\-]{100,}=*$", ev["id"]), ev["id"])
        self.assertEqual(ev["@odata.etag"], 'W/"%s"' % ev["changeKey"])
        self.assertTrue(ev["iCalUId"])
        self.assertNotIn("transactionId", ev)
        got = self.g("GET", "/users/%s/events/%s" % (OLA, ev["id"]))
        self.assertEqual(got.status, 200)
        self.assertEqual(got.json["changeKey"], ev["changeKey"])
        # the same event through its calendar and through the UPN (case-insensitive)
        self.assertEqual(self.g("GET", "/users/OLA.Nordmann@kommune.no/calendar/events/%s" % ev["id"]).status, 200)
        time.sleep(0.01)
        p = self.g("PATCH", "/users/%s/events/%s" % (OLA, ev["id"]), {"subject": "Nytt emne"})
        self.assertEqual(p.status, 200, p.raw)
        self.assertEqual(p.json["subject"], "Nytt emne")
        self.assertNotEqual(p.json["changeKey"], ev["changeKey"])
        self.assertNotEqual(p.json["@odata.etag"], ev["@odata.etag"])
        self.assertGreater(p.json["lastModifiedDateTime"], ev["lastModifiedDateTime"])
        self.assertEqual(p.json["createdDateTime"], ev["createdDateTime"])
        d = self.g("DELETE", "/users/%s/events/%s" % (OLA, ev["id"]))
        self.assertEqual(d.status, 204)
        self.assertEqual(d.raw, b"")
        self.assertGraphError(self.g("GET", "/users/%s/events/%s" % (OLA, ev["id"])), 404, "ErrorItemNotFound")
        self.assertGraphError(self.g("DELETE", "/users/%s/events/%s" % (OLA, ev["id"])), 404, "ErrorItemNotFound")
        self.assertEqual(self.mailbox()["events"], [])

    def test_ids_are_case_sensitive_and_scoped_to_calendar(self):
        ev = self.create()
        self.assertGraphError(self.g("GET", "/users/%s/events/%s" % (OLA, ev["id"].swapcase())), 404, "ErrorItemNotFound")
        cal = self.g("POST", "/users/%s/calendars" % OLA, {"name": "Annen"}).json
        self.assertGraphError(self.g("GET", "/users/%s/calendars/%s/events/%s" % (OLA, cal["id"], ev["id"])), 404, "ErrorItemNotFound")

    def test_seven_digit_fractions(self):
        ev = self.create()
        for k in ("createdDateTime", "lastModifiedDateTime"):
            self.assertRegex(ev[k], r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{7}Z$")
        self.assertRegex(ev["start"]["dateTime"], r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{7}$")

    def test_times_in_utc_by_default_and_in_preferred_zone(self):
        winter = self.create(start="2024-01-15T09:00:00", end="2024-01-15T10:00:00")
        summer = self.create(start="2024-07-15T09:00:00", end="2024-07-15T10:00:00")
        self.assertEqual(winter["start"], {"dateTime": "2024-01-15T08:00:00.0000000", "timeZone": "UTC"})
        self.assertEqual(summer["start"], {"dateTime": "2024-07-15T07:00:00.0000000", "timeZone": "UTC"})
        self.assertEqual(winter["originalStartTimeZone"], OSLO)
        r = self.g("GET", "/users/%s/events/%s" % (OLA, summer["id"]), headers={"Prefer": 'outlook.timezone="%s"' % OSLO})
        self.assertEqual(r.json["start"], {"dateTime": "2024-07-15T09:00:00.0000000", "timeZone": OSLO})
        self.assertIn("outlook.timezone", r.headers.get("preference-applied", ""))
        self.assertEqual(sorted(e["startUtc"] for e in self.mailbox()["events"]), ["2024-01-15T08:00:00Z", "2024-07-15T07:00:00Z"])

    def test_windows_and_listed_iana_zones_accepted_others_rejected(self):
        self.create(tz="Romance Standard Time")
        self.create(tz="Europe/Berlin")        # on Graph's documented IANA list
        self.create(tz="UTC")
        for bad in ("Europe/Oslo", "CET", "Mars/Olympus", ""):
            r = self.g("POST", "/users/%s/calendar/events" % OLA, self.event_body(tz=bad))
            self.assertGraphError(r, 400, "TimeZoneNotSupportedException")
        self.assertEqual(len(self.mailbox()["events"]), 3)

    def test_strict_body_validation(self):
        r = self.g("POST", "/users/%s/calendar/events" % OLA, self.event_body(colour="blue"))
        self.assertGraphError(r, 400, "RequestBodyRead")
        self.assertIn("colour", r.json["error"]["message"])
        r = self.g("POST", "/users/%s/calendar/events" % OLA, self.event_body(start="2024-13-01T09:00:00"))
        self.assertGraphError(r, 400, "ErrorInvalidParameter")
        r = self.g("POST", "/users/%s/calendar/events" % OLA, self.event_body(start="15.01.2024 09:00"))
        self.assertGraphError(r, 400, "ErrorInvalidParameter")
        b = self.event_body()
        del b["end"]
        self.assertGraphError(self.g("POST", "/users/%s/calendar/events" % OLA, b), 400, "ErrorPropertyValidationFailure")
        self.assertGraphError(self.g("POST", "/users/%s/calendar/events" % OLA, self.event_body(showAs="sleeping")), 400, "RequestBodyRead")
        self.assertGraphError(self.g("POST", "/users/%s/calendar/events" % OLA, self.event_body(isReminderOn="yes")), 400, "RequestBodyRead")
        self.assertGraphError(self.g("POST", "/users/%s/calendar/events" % OLA, b"{not json",
                                     headers={"Content-Type": "application/json"}), 400, "BadRequest")
        self.assertGraphError(self.g("POST", "/users/%s/calendar/events" % OLA, json.dumps(self.event_body()),
                                     headers={"Content-Type": "application/x-www-form-urlencoded"}), 415, "UnsupportedMediaType")
        ev = self.create()
        self.assertGraphError(self.g("PATCH", "/users/%s/events/%s" % (OLA, ev["id"]), {"bogus": 1}), 400, "RequestBodyRead")
        self.assertGraphError(self.g("PATCH", "/users/%s/events/%s" % (OLA, ev["id"]), {"isReminderOn": None}), 400, "RequestBodyRead")
        self.assertEqual(len(self.mailbox()["events"]), 1)

    def test_select(self):
        ev = self.create()
        r = self.g("GET", "/users/%s/events/%s?$select=subject,start" % (OLA, ev["id"]))
        self.assertEqual(set(r.json) - {"@odata.context"}, {"@odata.etag", "id", "subject", "start"})
        r = self.g("GET", "/users/%s/events/%s?$select=nonsense" % (OLA, ev["id"]))
        self.assertEqual(r.status, 400)

    def test_transaction_id_idempotency(self):
        body = self.event_body(transactionId="plancal-tx-0001")
        a = self.g("POST", "/users/%s/calendar/events" % OLA, body)
        b = self.g("POST", "/users/%s/calendar/events" % OLA, body)
        self.assertEqual((a.status, b.status), (201, 201))
        self.assertEqual(a.json["id"], b.json["id"])
        self.assertEqual(a.json["transactionId"], "plancal-tx-0001")
        self.assertEqual(len(self.mailbox()["events"]), 1)
        other = self.event_body(subject="Noe annet", transactionId="plancal-tx-0001")
        self.assertGraphError(self.g("POST", "/users/%s/calendar/events" % OLA, other), 400, "ErrorDuplicateTransactionId")
        self.assertEqual(len(self.mailbox()["events"]), 1)
        # transactionId cannot be changed afterwards
        r = self.g("PATCH", "/users/%s/events/%s" % (OLA, a.json["id"]), {"transactionId": "x"})
        self.assertEqual(r.status, 400)
        # transactionIds are per mailbox
        self.assertEqual(self.g("POST", "/users/%s/calendar/events" % KARI, body).status, 201)

    def test_extended_properties(self):
        ev = self.create(singleValueExtendedProperties=[{"id": EXT, "value": "UID-0001@plancal"},
                                                        {"id": EXT_HASH, "value": "abc123"}])
        self.create(subject="Someone else's")
        self.assertNotIn("singleValueExtendedProperties", ev)
        self.assertNotIn("singleValueExtendedProperties", self.g("GET", "/users/%s/events/%s" % (OLA, ev["id"])).json)
        flt = "singleValueExtendedProperties/Any(ep: ep/id eq '%s' and ep/value eq '%s')"
        r = self.g("GET", "/users/%s/calendar/events?$filter=%s" % (OLA, urllib.parse.quote(flt % (EXT, "uid-0001@PLANCAL"))))
        self.assertEqual(r.status, 200, r.raw)
        self.assertEqual([e["id"] for e in r.json["value"]], [ev["id"]])           # value match is case-insensitive
        self.assertNotIn("singleValueExtendedProperties", r.json["value"][0])
        r = self.g("GET", "/users/%s/calendar/events?$filter=%s" % (OLA, urllib.parse.quote(flt % (EXT, "UID-9999"))))
        self.assertEqual(r.json["value"], [])
        wrong_case = EXT.replace("plancal.uid", "PLANCAL.uid")                     # Name is case-sensitive
        r = self.g("GET", "/users/%s/calendar/events?$filter=%s" % (OLA, urllib.parse.quote(flt % (wrong_case, "UID-0001@plancal"))))
        self.assertEqual(r.json["value"], [])
        only_id = "singleValueExtendedProperties/Any(ep: ep/id eq '%s')" % EXT
        r = self.g("GET", "/users/%s/events?$filter=%s" % (OLA, urllib.parse.quote(only_id)))
        self.assertEqual(len(r.json["value"]), 1)
        expand = "singleValueExtendedProperties($filter=id eq '%s')" % EXT
        r = self.g("GET", "/users/%s/events/%s?$expand=%s" % (OLA, ev["id"], urllib.parse.quote(expand)))
        self.assertEqual(r.json["singleValueExtendedProperties"], [{"id": EXT, "value": "UID-0001@plancal"}])
        r = self.g("GET", "/users/%s/events?$filter=%s&$expand=%s" % (OLA, urllib.parse.quote(only_id), urllib.parse.quote(expand)))
        self.assertEqual(r.json["value"][0]["singleValueExtendedProperties"][0]["value"], "UID-0001@plancal")
        # PATCH merges by id and keeps the others
        self.g("PATCH", "/users/%s/events/%s" % (OLA, ev["id"]), {"singleValueExtendedProperties": [{"id": EXT_HASH, "value": "def456"}]})
        eps = {e["id"]: e["value"] for e in self.mailbox()["events"][0]["singleValueExtendedProperties"]}
        self.assertEqual(eps, {EXT: "UID-0001@plancal", EXT_HASH: "def456"})
        bad = self.g("POST", "/users/%s/calendar/events" % OLA, self.event_body(singleValueExtendedProperties=[{"id": "plancal.uid", "value": "x"}]))
        self.assertEqual(bad.status, 400)

    def test_paging_default_10_with_next_link(self):
        for i in range(23):
            self.create(subject="Møte %02d" % i)
        seen, pages = [], 0
        url = "/v1.0/users/%s/calendar/events" % OLA
        tok = self.token()
        while url:
            r = self.raw("GET", url, headers={"Authorization": "Bearer " + tok})
            self.assertEqual(r.status, 200, r.raw)
            pages += 1
            self.assertEqual(len(r.json["value"]), 10 if pages < 3 else 3)
            seen += [e["id"] for e in r.json["value"]]
            nxt = r.json.get("@odata.nextLink")
            if nxt:
                self.assertTrue(nxt.startswith(self.base + "/v1.0/"), nxt)
                url = nxt[len(self.base):]
            else:
                url = None
        self.assertEqual(pages, 3)
        self.assertEqual(len(set(seen)), 23)
        r = self.g("GET", "/users/%s/events?$top=20" % OLA)
        self.assertEqual(len(r.json["value"]), 20)
        self.assertIn("@odata.nextLink", r.json)

    def test_server_page_size_below_top_and_next_link_as_batch_item(self):
        # Doc (graph/paging): the server decides the page size; $top only asks. A nextLink made
        # relative to the Graph base is a batch item like any other.
        for i in range(7):
            self.create(subject="Side %d" % i)
        self.control("POST", "/_emulator/paging", {"max_page": 3})
        r = self.g("GET", "/users/%s/calendar/events?$top=100" % OLA)
        self.assertEqual(len(r.json["value"]), 3)
        seen = [e["id"] for e in r.json["value"]]
        nxt = r.json["@odata.nextLink"]
        while nxt:
            item = {"id": "1", "method": "GET", "url": nxt[len(self.base + "/v1.0"):]}
            r = self.g("POST", "/$batch", {"requests": [item]})
            page = r.json["responses"][0]
            self.assertEqual(page["status"], 200, page)
            seen += [e["id"] for e in page["body"]["value"]]
            nxt = page["body"].get("@odata.nextLink")
        self.assertEqual(len(set(seen)), 7)

    def test_calendar_view_requires_window(self):
        self.create(start="2024-03-01T09:00:00", end="2024-03-01T10:00:00")
        self.create(start="2024-05-01T09:00:00", end="2024-05-01T10:00:00")
        self.assertGraphError(self.g("GET", "/users/%s/calendarView" % OLA), 400, "ErrorInvalidParameter")
        self.assertGraphError(self.g("GET", "/users/%s/calendarView?startDateTime=2024-03-01T00:00:00Z" % OLA), 400, "ErrorInvalidParameter")
        r = self.g("GET", "/users/%s/calendarView?startDateTime=2024-02-01T00:00:00Z&endDateTime=2024-04-01T00:00:00Z" % OLA)
        self.assertEqual(r.status, 200, r.raw)
        self.assertEqual([e["start"]["dateTime"] for e in r.json["value"]], ["2024-03-01T08:00:00.0000000"])
        r = self.g("GET", "/users/%s/calendar/calendarView?startDateTime=2024-01-01T00:00:00%%2B01:00&endDateTime=2025-01-01T00:00:00%%2B01:00" % OLA)
        self.assertEqual(len(r.json["value"]), 2)

    def test_calendars(self):
        r = self.g("GET", "/users/%s/calendars" % KARI)
        self.assertEqual([c["name"] for c in r.json["value"]], ["Calendar", "Møteplan"])
        self.assertTrue(r.json["value"][0]["isDefaultCalendar"])
        c = self.g("POST", "/users/%s/calendars" % OLA, {"name": "Plancal"})
        self.assertEqual(c.status, 201)
        self.assertGraphError(self.g("POST", "/users/%s/calendars" % OLA, {"name": "plancal"}), 409, "ErrorFolderExists")
        self.assertGraphError(self.g("POST", "/users/%s/calendars" % OLA, {"name": "X", "colour": 1}), 400, "RequestBodyRead")
        f = self.g("GET", "/users/%s/calendars?$filter=%s" % (OLA, urllib.parse.quote("name eq 'Plancal'")))
        self.assertEqual([x["id"] for x in f.json["value"]], [c.json["id"]])
        e = self.g("POST", "/users/%s/calendars/%s/events" % (OLA, c.json["id"]), self.event_body())
        self.assertEqual(e.status, 201)
        self.assertEqual(self.mailbox()["events"][0]["calendarName"], "Plancal")
        self.assertEqual(self.g("GET", "/users/%s/calendar/events" % OLA).json["value"], [])
        self.assertEqual(len(self.g("GET", "/users/%s/events" % OLA).json["value"]), 1)

    def test_online_meeting_join_block_and_patch_replacing_body(self):
        ev = self.create(isOnlineMeeting=True, onlineMeetingProvider="teamsForBusiness")
        join = ev["onlineMeeting"]["joinUrl"]
        self.assertTrue(join.startswith("https://teams.microsoft.com/l/meetup-join/"))
        self.assertIn("Microsoft Teams", ev["body"]["content"])
        self.assertIn("<p>Teammøte</p>", ev["body"]["content"])
        self.assertEqual(ev["body"]["contentType"], "html")
        # a PATCH without body keeps the block
        p = self.g("PATCH", "/users/%s/events/%s" % (OLA, ev["id"]), {"subject": "x"}).json
        self.assertIn("Microsoft Teams", p["body"]["content"])
        # a PATCH with a body REPLACES it: the join block is gone unless the client sends it back
        p = self.g("PATCH", "/users/%s/events/%s" % (OLA, ev["id"]), {"body": {"contentType": "html", "content": "<p>Ny tekst</p>"}}).json
        self.assertNotIn("Microsoft Teams", p["body"]["content"])
        self.assertEqual(p["onlineMeeting"]["joinUrl"], join)
        plain = self.create(subject="Vanlig")
        self.assertIsNone(plain["onlineMeeting"])
        self.assertNotIn("Microsoft Teams", plain["body"]["content"])

    def test_compact_join_block_style(self):
        self.assertEqual(self.control("POST", "/_emulator/teams-block", {"style": "compact"}), {"style": "compact"})
        ev = self.create(isOnlineMeeting=True, onlineMeetingProvider="teamsForBusiness")
        body = ev["body"]["content"]
        self.assertIn(ev["onlineMeeting"]["joinUrl"], body)
        self.assertIn("Microsoft Teams-m\u00f8te", body)
        self.assertNotIn("_" * 80, body)
        self.assertEqual(self.raw("POST", "/_emulator/teams-block", {"style": "odd"}).status, 400)
        self.control("POST", "/_emulator/reset", {})
        ev = self.create(isOnlineMeeting=True, onlineMeetingProvider="teamsForBusiness")
        self.assertIn("_" * 80, ev["body"]["content"], "a reset brings the classic block back")

    def test_body_is_html_unless_text_preferred(self):
        ev = self.create(body={"contentType": "text", "content": "Ta med <notater>\nog kaffe"})
        self.assertEqual(ev["body"]["contentType"], "html")
        self.assertIn("Ta med &lt;notater&gt;", ev["body"]["content"])
        r = self.g("GET", "/users/%s/events/%s" % (OLA, ev["id"]), headers={"Prefer": 'outlook.body-content-type="text"'})
        self.assertEqual(r.json["body"], {"contentType": "text", "content": "Ta med <notater>\r\nog kaffe"})
        self.assertIn('outlook.body-content-type="text"', r.headers["preference-applied"])

    def test_calendar_view_paging_and_generated_users(self):
        cfg = json.loads(json.dumps(SETUP))
        cfg["tenants"][0]["generate_users"] = {"count": 300, "upn": "person{n:03d}@kommune.no"}
        try:
            self.control("POST", "/_emulator/setup", cfg)
            st = self.control("GET", "/_emulator/mailboxes/person299@kommune.no")
            import uuid
            self.assertEqual(st["user"]["id"], str(uuid.uuid5(uuid.NAMESPACE_URL, "%s/person299@kommune.no" % TENANT)))
            for d in range(1, 13):
                self.create(user="person299@kommune.no", start="2024-02-%02dT09:00:00" % d, end="2024-02-%02dT10:00:00" % d)
            r = self.g("GET", "/users/person299@kommune.no/calendarView?startDateTime=2024-02-01T00:00:00Z&endDateTime=2024-03-01T00:00:00Z")
            self.assertEqual(len(r.json["value"]), 10)
            nxt = r.json["@odata.nextLink"]
            self.assertIn("$skiptoken=", nxt)
            r2 = self.raw("GET", nxt[len(self.base):], headers={"Authorization": "Bearer " + self.token()})
            self.assertEqual([e["start"]["dateTime"][:10] for e in r2.json["value"]], ["2024-02-11", "2024-02-12"])
            self.assertNotIn("@odata.nextLink", r2.json)
        finally:
            self.control("POST", "/_emulator/setup", SETUP)

    def test_attendees_would_send_invitations(self):
        self.create()
        self.assertEqual(self.stats()["invitations_would_be_sent"], 0)
        self.create(attendees=[{"emailAddress": {"address": "kari.nordmann@kommune.no", "name": "Kari"}, "type": "required"}])
        self.assertEqual(self.stats()["invitations_would_be_sent"], 1)
        self.assertEqual(self.control("GET", "/_emulator/stats")["invitations_would_be_sent"], 1)

    def test_strict_if_match(self):
        ev = self.create()
        p = self.g("PATCH", "/users/%s/events/%s" % (OLA, ev["id"]), {"subject": "a"}, headers={"If-Match": ev["@odata.etag"]})
        self.assertEqual(p.status, 200)
        # lenient by default: a stale etag is ignored
        self.assertEqual(self.g("PATCH", "/users/%s/events/%s" % (OLA, ev["id"]), {"subject": "b"},
                                headers={"If-Match": ev["@odata.etag"]}).status, 200)
        self.control("POST", "/_emulator/if-match", {"strict": True})
        cur = self.g("GET", "/users/%s/events/%s" % (OLA, ev["id"])).json
        self.assertGraphError(self.g("PATCH", "/users/%s/events/%s" % (OLA, ev["id"]), {"subject": "c"},
                                     headers={"If-Match": ev["@odata.etag"]}), 412, "ErrorIrresolvableConflict")
        self.assertGraphError(self.g("DELETE", "/users/%s/events/%s" % (OLA, ev["id"]), headers={"If-Match": ev["@odata.etag"]}),
                              412, "ErrorIrresolvableConflict")
        self.assertEqual(self.g("PATCH", "/users/%s/events/%s" % (OLA, ev["id"]), {"subject": "c"},
                                headers={"If-Match": cur["@odata.etag"]}).status, 200)

    def test_immutable_ids(self):
        r = self.g("POST", "/users/%s/calendar/events" % OLA, self.event_body(), headers={"Prefer": 'IdType="ImmutableId"'})
        self.assertEqual(r.status, 201)
        self.assertIn('IdType="ImmutableId"', r.headers.get("preference-applied", ""))
        imm = r.json["id"]
        rest = self.mailbox()["events"][0]["id"]
        self.assertNotEqual(imm, rest)
        self.assertEqual(self.g("GET", "/users/%s/events/%s" % (OLA, imm)).status, 200)
        cal = self.g("POST", "/users/%s/calendars" % OLA, {"name": "Arkiv"}).json
        moved = self.control("POST", "/_emulator/mailboxes/%s/events/%s/move" % (OLA, urllib.parse.quote(imm, safe="")),
                             {"calendarId": cal["id"]})
        self.assertNotEqual(moved["id"], rest)
        self.assertGraphError(self.g("GET", "/users/%s/events/%s" % (OLA, rest)), 404, "ErrorItemNotFound")
        got = self.g("GET", "/users/%s/events/%s" % (OLA, imm), headers={"Prefer": 'IdType="ImmutableId"'})
        self.assertEqual(got.json["id"], imm)

    def test_unsupported_requests(self):
        self.assertGraphError(self.g("GET", "/me/events"), 400, "BadRequest")
        self.assertGraphError(self.g("GET", "/users/%s/events?$filter=%s" % (OLA, urllib.parse.quote("subject eq 'x'"))),
                              400, "ErrorInvalidUrlQueryFilter")
        self.assertEqual(self.g("PUT", "/users/%s/calendar/events" % OLA, self.event_body()).status, 405)
        self.assertEqual(self.g("DELETE", "/users/%s/calendars" % OLA).status, 405)
        self.assertGraphError(self.g("GET", "/users/%s/events?$top=0" % OLA), 400, "ErrorInvalidParameter")

    def test_orderby(self):
        self.create(subject="b", start="2024-03-02T09:00:00", end="2024-03-02T10:00:00")
        self.create(subject="a", start="2024-03-01T09:00:00", end="2024-03-01T10:00:00")
        r = self.g("GET", "/users/%s/events?$orderby=%s" % (OLA, urllib.parse.quote("start/dateTime desc")))
        self.assertEqual([e["subject"] for e in r.json["value"]], ["b", "a"])
        r = self.g("GET", "/users/%s/events?$orderby=subject" % OLA)
        self.assertEqual([e["subject"] for e in r.json["value"]], ["a", "b"])

    def test_transaction_id_taken_after_delete_and_504_after_commit(self):
        body = self.event_body(transactionId="tx-504")
        self.control("POST", "/_emulator/faults", {"mailbox": OLA, "kind": "504_after"})
        self.assertGraphError(self.g("POST", "/users/%s/calendar/events" % OLA, body), 504, "GatewayTimeout")
        self.assertEqual(len(self.mailbox()["events"]), 1)
        again = self.g("POST", "/users/%s/calendar/events" % OLA, body)
        self.assertEqual(again.status, 201)
        self.assertEqual(len(self.mailbox()["events"]), 1)
        self.assertEqual(self.g("DELETE", "/users/%s/events/%s" % (OLA, again.json["id"])).status, 204)
        # the transactionId of a deleted event stays taken: the same create, or any other, under
        # it is refused; a new transactionId makes the event again (project spec, issue 13)
        self.assertGraphError(self.g("POST", "/users/%s/calendar/events" % OLA, body), 400, "ErrorDuplicateTransactionId")
        other = self.event_body(subject="Noe annet", transactionId="tx-504")
        self.assertGraphError(self.g("POST", "/users/%s/calendar/events" % OLA, other), 400, "ErrorDuplicateTransactionId")
        self.assertEqual(len(self.mailbox()["events"]), 0)
        self.assertEqual(self.g("POST", "/users/%s/calendar/events" % OLA, self.event_body(transactionId="tx-504-2")).status, 201)
        self.assertEqual(len(self.mailbox()["events"]), 1)
        # a reset forgets them with the events
        self.control("POST", "/_emulator/reset", {})
        self.assertEqual(self.g("POST", "/users/%s/calendar/events" % OLA, body).status, 201)

    def test_state_and_unknown_segments(self):
        self.create(singleValueExtendedProperties=[{"id": EXT, "value": "u1"}])
        st = self.mailbox("ola.nordmann@kommune.no")
        self.assertEqual(st["user"]["id"], OLA)
        e = st["events"][0]
        self.assertEqual(e["singleValueExtendedProperties"], [{"id": EXT, "value": "u1"}])
        self.assertEqual(e["start"], {"dateTime": "2024-01-15T09:00:00.0000000", "timeZone": OSLO})
        self.assertEqual(self.g("GET", "/users/%s/contacts" % OLA).status, 400)


class BatchTest(EmulatorTest):
    def batch(self, requests, token=None):
        return self.g("POST", "/$batch", {"requests": requests}, token=token)

    def post_item(self, i, user=OLA, **kw):
        return {"id": str(i), "method": "POST", "url": "/users/%s/calendar/events" % user,
                "headers": {"Content-Type": "application/json"}, "body": self.event_body(subject="B%s" % i, **kw)}

    def test_batch_basic_and_limits(self):
        r = self.batch([self.post_item(i) for i in range(1, 5)] + [self.post_item(5, user=KARI)])
        self.assertEqual(r.status, 200, r.raw)
        self.assertEqual(sorted(x["id"] for x in r.json["responses"]), ["1", "2", "3", "4", "5"])
        for x in r.json["responses"]:
            self.assertEqual(x["status"], 201)
            self.assertIn("headers", x)
            self.assertEqual(x["body"]["subject"], "B" + x["id"])
        self.assertEqual(len(self.mailbox()["events"]), 4)
        self.assertEqual([e["subject"] for e in self.mailbox(KARI)["events"]], ["B5"])
        self.assertGraphError(self.batch([self.post_item(i) for i in range(21)]), 400, "BadRequest")
        self.assertGraphError(self.batch([self.post_item("a"), dict(self.post_item(2), id="A")]), 400, "BadRequest")
        no_ct = self.post_item(1)
        del no_ct["headers"]
        self.assertGraphError(self.batch([no_ct]), 400, "BadRequest")
        self.assertGraphError(self.batch([dict(self.post_item(1), dependsOn=["9"])]), 400, "BadRequest")
        self.assertEqual(len(self.mailbox()["events"]), 4)
        r = self.raw("POST", "/v1.0/$batch", {"requests": [self.post_item(1)]})
        self.assertGraphError(r, 401, "InvalidAuthenticationToken")

    def test_responses_in_any_order(self):
        orders = set()
        for _ in range(3):
            r = self.batch([{"id": str(i), "method": "GET", "url": "/users/%s/calendars" % OLA} for i in range(1, 11)])
            orders.add(tuple(x["id"] for x in r.json["responses"]))
        self.assertTrue(any(o != tuple(str(i) for i in range(1, 11)) for o in orders), orders)

    def test_depends_on_failure_gives_424(self):
        reqs = [{"id": "1", "method": "GET", "url": "/users/%s/events/doesnotexist" % OLA},
                dict(self.post_item(2), dependsOn=["1"]),
                dict(self.post_item(3), dependsOn=["2"]),
                self.post_item(4)]
        r = self.batch(reqs)
        self.assertEqual(r.status, 200)
        st = {x["id"]: x["status"] for x in r.json["responses"]}
        self.assertEqual(st, {"1": 404, "2": 424, "3": 424, "4": 201})
        self.assertEqual([e["subject"] for e in self.mailbox()["events"]], ["B4"])
        ok = self.batch([self.post_item(1), dict(self.post_item(2), dependsOn=["1"])])
        self.assertEqual(sorted(x["status"] for x in ok.json["responses"]), [201, 201])

    def test_inner_429_with_retry_after_while_batch_is_200(self):
        self.control("POST", "/_emulator/throttling", {"concurrency": 2, "latency": 0.5})
        r = self.batch([self.post_item(i) for i in range(1, 5)])
        self.assertEqual(r.status, 200)
        st = [x for x in r.json["responses"] if x["status"] == 429]
        self.assertEqual(len(st), 2, r.json)
        for x in st:
            self.assertEqual(x["headers"]["Retry-After"], "1")
            self.assertEqual(x["body"]["error"]["code"], "ApplicationThrottled")
        self.assertEqual(len(self.mailbox()["events"]), 2)
        self.assertEqual(self.stats()["throttled_concurrency"], 2)
        self.assertEqual(self.stats()["peak_admitted"], 2)


    def test_items_of_a_batch_start_together_each_on_its_own_mailbox(self):
        # Doc (json-batching): items without dependsOn may run in parallel, each evaluated
        # against the throttling limits -- five of one mailbox meet its limit of 4, every time.
        r = self.batch([self.post_item(i) for i in range(1, 6)])
        self.assertEqual(r.status, 200)
        st = sorted(x["status"] for x in r.json["responses"])
        self.assertEqual(st, [201, 201, 201, 201, 429], r.json)
        throttled = [x for x in r.json["responses"] if x["status"] == 429][0]
        self.assertEqual(throttled["body"]["error"]["code"], "ApplicationThrottled")
        self.assertIn("MailboxConcurrency", throttled["body"]["error"]["message"])
        self.assertIn("Retry-After", throttled["headers"])
        self.assertEqual(self.stats()["peak_in_flight"], 5)
        self.assertEqual(self.stats()["peak_admitted"], 4)
        # Twenty items, four for each of five mailboxes (relative /users/{id} urls): all run at
        # once, none is throttled, and each lands in its own mailbox.
        users = ["kari.nordmann@kommune.no"] + ["user%02d@kommune.no" % i for i in range(4)]
        items = [dict(self.post_item(10 + 4 * n + i, user=u)) for n, u in enumerate(users) for i in range(4)]
        r = self.batch(items)
        self.assertEqual(len(items), 20)
        self.assertEqual([x["status"] for x in r.json["responses"]], [201] * 20, r.json)
        for n, u in enumerate(users):
            self.assertEqual(sorted(e["subject"] for e in self.mailbox(u)["events"]),
                             sorted("B%d" % (10 + 4 * n + i) for i in range(4)))
            self.assertEqual(self.stats(u)["peak_in_flight"], 4)
            self.assertEqual(self.stats(u)["throttled_429"], 0)
        # A 21st item is refused, whatever mailboxes the items address.
        items.append(self.post_item(99, user=OLA))
        self.assertGraphError(self.batch(items), 400, "BadRequest")

    def test_inner_headers_and_request_ids(self):
        ev = self.create()
        r = self.g("POST", "/$batch", {"requests": [
            {"id": "1", "method": "GET", "url": "/users/%s/events/%s" % (OLA, ev["id"]),
             "headers": {"Prefer": 'outlook.timezone="%s"' % OSLO}},
            {"id": "2", "method": "GET", "url": "users/%s/events/nope" % OLA}]}, headers={"client-request-id": "batch-1"})
        by = {x["id"]: x for x in r.json["responses"]}
        self.assertEqual(by["1"]["body"]["start"]["timeZone"], OSLO)
        self.assertIn("outlook.timezone", by["1"]["headers"]["Preference-Applied"])
        self.assertEqual(by["2"]["status"], 404)
        self.assertEqual(by["2"]["body"]["error"]["innerError"]["client-request-id"], "batch-1")
        self.assertEqual(r.headers["client-request-id"], "batch-1")

    def test_batch_items_count_toward_budget_and_delete_is_204(self):
        evs = [self.create(subject="d%d" % i) for i in range(3)]
        self.control("POST", "/_emulator/throttling", {"budget": 6, "window": 60})
        r = self.batch([{"id": str(i), "method": "DELETE", "url": "/users/%s/events/%s" % (OLA, e["id"])} for i, e in enumerate(evs)]
                       + [self.post_item(7)])
        st = [x["status"] for x in r.json["responses"]]
        # 3 creates before + 4 batch items against a budget of 6: exactly one item is over budget
        self.assertEqual(st.count(429), 1, st)
        self.assertEqual(len(self.mailbox()["events"]), 3 - st.count(204) + st.count(201))
        for x in r.json["responses"]:
            if x["status"] == 204:
                self.assertNotIn("body", x)
        self.assertEqual(self.stats()["throttled_budget"], 1)

    def test_fault_inside_batch_drops_the_connection(self):
        self.control("POST", "/_emulator/faults", {"mailbox": OLA, "kind": "drop_after", "count": 1})
        with self.assertRaises((http.client.RemoteDisconnected, ConnectionError, http.client.BadStatusLine)):
            self.batch([self.post_item(1, transactionId="tx-b1"), self.post_item(2, user=KARI)])
        self.assertEqual(len(self.mailbox(OLA)["events"]), 1)
        self.assertEqual(len(self.mailbox(KARI)["events"]), 1)
        r = self.batch([self.post_item(1, transactionId="tx-b1")])
        self.assertEqual(r.json["responses"][0]["status"], 201)
        self.assertEqual(len(self.mailbox(OLA)["events"]), 1)


class ThrottlingAndFaultTest(EmulatorTest):
    def parallel_gets(self, n, user=OLA):
        tok = self.token()
        with concurrent.futures.ThreadPoolExecutor(n) as pool:
            return list(pool.map(lambda _: self.g("GET", "/users/%s/calendar/events" % user, token=tok), range(n)))

    def test_concurrency_limit_429_mailbox_concurrency(self):
        self.control("POST", "/_emulator/throttling", {"latency": 0.8})
        rs = self.parallel_gets(8)
        codes = sorted(r.status for r in rs)
        self.assertEqual(codes.count(200), 4, codes)
        self.assertEqual(codes.count(429), 4, codes)
        for r in rs:
            if r.status == 429:
                self.assertGraphError(r, 429, "ApplicationThrottled")
                self.assertIn("MailboxConcurrency", r.json["error"]["message"])
                self.assertEqual(r.headers["retry-after"], "1")
        s = self.stats()
        self.assertEqual(s["peak_admitted"], 4)
        self.assertGreaterEqual(s["peak_in_flight"], 5)
        self.assertEqual(s["throttled_429"], 4)
        self.assertEqual(self.stats("kari.nordmann@kommune.no")["throttled_429"], 0)
        # another mailbox is not affected by OLA's load
        self.assertTrue(all(r.status == 200 for r in self.parallel_gets(4, KARI)))

    def test_decimal_retry_after(self):
        self.control("POST", "/_emulator/throttling", {"latency": 0.8, "concurrency": 1, "retry_after": 1.5,
                                                       "retry_after_decimal": True})
        rs = self.parallel_gets(3)
        self.assertEqual({r.headers.get("retry-after") for r in rs if r.status == 429}, {"1.5"})

    def test_budget_exhaustion(self):
        self.control("POST", "/_emulator/throttling", {"budget": 5, "window": 2.0})
        tok = self.token()
        rs = [self.g("GET", "/users/%s/calendars" % OLA, token=tok) for _ in range(7)]
        self.assertEqual([r.status for r in rs], [200] * 5 + [429] * 2)
        self.assertEqual(rs[5].error_code(), "ApplicationThrottled")
        self.assertGreaterEqual(float(rs[5].headers["retry-after"]), 1)
        self.assertEqual(self.stats()["throttled_budget"], 2)
        self.assertEqual(self.g("GET", "/users/%s/calendars" % KARI, token=tok).status, 200)
        time.sleep(float(rs[-1].headers["retry-after"]) + 0.05)
        self.assertEqual(self.g("GET", "/users/%s/calendars" % OLA, token=tok).status, 200)

    def test_fault_503_then_recovers(self):
        self.control("POST", "/_emulator/faults", {"mailbox": "ola.nordmann@kommune.no", "kind": "503", "count": 2, "retry_after": 2})
        tok = self.token()
        rs = [self.g("GET", "/users/%s/calendars" % OLA, token=tok) for _ in range(3)]
        self.assertEqual([r.status for r in rs], [503, 503, 200])
        self.assertEqual(rs[0].headers["retry-after"], "2")
        self.assertEqual(self.g("GET", "/users/%s/calendars" % KARI, token=tok).status, 200)

    def test_fault_drop_and_drop_after_commit(self):
        self.control("POST", "/_emulator/faults", {"mailbox": OLA, "kind": "drop", "count": 1})
        with self.assertRaises((http.client.RemoteDisconnected, ConnectionError, http.client.BadStatusLine)):
            self.g("POST", "/users/%s/calendar/events" % OLA, self.event_body(transactionId="tx-drop"))
        self.assertEqual(self.mailbox()["events"], [])
        # the response is lost AFTER the event was written: the retry with the same transactionId
        # returns the existing event, so there is still exactly one.
        self.control("POST", "/_emulator/faults", {"mailbox": OLA, "kind": "drop_after", "count": 1})
        with self.assertRaises((http.client.RemoteDisconnected, ConnectionError, http.client.BadStatusLine)):
            self.g("POST", "/users/%s/calendar/events" % OLA, self.event_body(transactionId="tx-drop"))
        self.assertEqual(len(self.mailbox()["events"]), 1)
        r = self.g("POST", "/users/%s/calendar/events" % OLA, self.event_body(transactionId="tx-drop"))
        self.assertEqual(r.status, 201)
        self.assertEqual(len(self.mailbox()["events"]), 1)

    def test_fault_slow(self):
        self.control("POST", "/_emulator/faults", {"mailbox": OLA, "kind": "slow", "seconds": 0.5})
        t0 = time.monotonic()
        self.assertEqual(self.g("GET", "/users/%s/calendars" % OLA).status, 200)
        self.assertGreaterEqual(time.monotonic() - t0, 0.5)

    def test_many_clients_many_mailboxes(self):
        """A polite client (<= 4 in flight per mailbox, honours Retry-After) against 7 mailboxes at
        once: every event lands exactly once and no mailbox ever had more than 4 admitted."""
        self.control("POST", "/_emulator/throttling", {"latency": 0.02})
        users = [OLA, KARI] + ["user%02d@kommune.no" % i for i in range(5)]
        tok = self.token()
        sems = {u: threading.Semaphore(4) for u in users}

        def push(job):
            u, i = job
            body = self.event_body(subject="%s-%d" % (u, i), transactionId="tx-%s-%d" % (u, i))
            while True:
                with sems[u]:
                    r = self.g("POST", "/users/%s/calendar/events" % u, body, token=tok)
                if r.status != 429:
                    return r.status
                time.sleep(float(r.headers["retry-after"]))
        jobs = [(u, i) for u in users for i in range(12)]
        with concurrent.futures.ThreadPoolExecutor(32) as pool:
            statuses = list(pool.map(push, jobs))
        self.assertEqual(set(statuses), {201})
        stats = self.control("GET", "/_emulator/stats")
        for u in users:
            st = self.mailbox(u)
            self.assertEqual(sorted(e["subject"] for e in st["events"]), sorted("%s-%d" % (u, i) for i in range(12)))
        self.assertLessEqual(stats["max_peak_in_flight"], 4)
        self.assertEqual(stats["throttled_429"], 0)

    def test_stats_and_request_log(self):
        self.create()
        s = self.control("GET", "/_emulator/stats")
        self.assertEqual(s["mailboxes"]["ola.nordmann@kommune.no"]["requests"], 1)
        self.assertEqual(s["mailboxes"]["ola.nordmann@kommune.no"]["by_status"], {"201": 1})
        self.assertGreaterEqual(s["global"]["tokens_issued"], 1)
        log = os.path.join(self.tmp, "state", "requests.jsonl")
        with open(log, encoding="utf-8") as f:
            lines = [json.loads(x) for x in f]
        self.assertTrue(any(x["status"] == 201 and x["method"] == "POST" for x in lines))


if __name__ == "__main__":
    unittest.main()
