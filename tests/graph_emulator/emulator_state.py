"""Graph emulator: in-memory state -- tenants, apps, users, mailboxes (calendars, events, ids, transactionIds), tokens, limits, request log."""

import collections
import json
import os
import random
import threading
import urllib.parse
import uuid

from emulator_common import b64url

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
        self.teams_block_style = "classic"   # or "compact" (emulator_events.teams_block)
        self.latency = args.latency
        self.max_page = 0  # items a page holds at most, whatever $top asks (0: as $top says)
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
