"""Graph emulator: control API (not Graph) under /_emulator/."""

import json
import random
import re
import urllib.parse

from emulator_timezones import WINDOWS_ZONES, WINDOWS_ZONES_SOURCE
from emulator_common import b64url

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
            state.teams_block_style = "classic"
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
        if path == "/_emulator/paging" and method == "POST":
            # Doc: graph/paging -- the server decides the page size; $top is a preference, so
            # a client must follow @odata.nextLink however few items a page holds.
            state.max_page = max(0, int(data.get("max_page", 0)))
            return 200, {"max_page": state.max_page}
        if path == "/_emulator/if-match" and method == "POST":
            state.strict_if_match = bool(data.get("strict", True))
            return 200, {"strict": state.strict_if_match}
        if path == "/_emulator/teams-block" and method == "POST":
            style = str(data.get("style", "classic"))
            if style not in ("classic", "compact"):
                return 400, {"error": "unknown Teams block style %s" % style}
            state.teams_block_style = style
            return 200, {"style": style}
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
