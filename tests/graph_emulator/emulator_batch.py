"""Graph emulator: JSON batching (POST /v1.0/$batch)."""

import base64
import json
import re
import threading
import uuid
from concurrent.futures import FIRST_COMPLETED, ThreadPoolExecutor, wait

from emulator_common import GraphError, DropConnection, graph_error_body, parse_json_body, Ctx

class BatchGate:
    """The items of a batch without dependsOn start together. Doc: json-batching -- requests
    without dependsOn may be executed in any order and in parallel, each evaluated against the
    throttling limits; so each is admitted on its mailbox (counted in flight, or answered 429)
    before any of them runs, and a batch with five items of one mailbox meets its limit of 4
    every time, whatever the thread timing."""

    def __init__(self, items):
        self.left = items
        self.cv = threading.Condition()

    def arrive(self):
        with self.cv:
            self.left -= 1
            if self.left <= 0:
                self.cv.notify_all()

    def wait(self):
        with self.cv:
            self.cv.wait_for(lambda: self.left <= 0)


class BatchMixin:
    """JSON batching; mixed into Graph."""

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

        workers = max(1, self.s.args.batch_parallelism)
        independent = [r for r in reqs if not r.get("dependsOn")]
        gate = BatchGate(len(independent)) if workers >= len(independent) else None
        gated = {id(r) for r in independent} if gate else set()

        def run(r):
            deps = [d.lower() for d in r.get("dependsOn") or []]
            failed = [d for d in deps if results[d]["status"] >= 400]
            if failed:
                return {"id": r["id"], "status": 424, "headers": {"Content-Type": "application/json"},
                        "body": graph_error_body("FailedDependency", "The request depends on request '%s', which failed." %
                                                 ids[failed[0]]["id"], str(uuid.uuid4()), ctx.client_request_id)}
            return self.run_inner(ctx, r, auth, drop, gate if id(r) in gated else None)

        pending = list(reqs)
        with ThreadPoolExecutor(max_workers=workers) as pool:
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

    def run_inner(self, ctx, r, auth, drop, gate=None):
        url = r["url"]
        if not url.startswith("/"):
            url = "/" + url
        path, _, query = url.partition("?")
        headers = dict(r.get("headers") or {})
        inner = Ctx(ctx.base, headers, ctx.token)
        inner.client_request_id = ctx.client_request_id
        inner.batch_gate = gate  # passed (set to None) once the item is admitted or throttled
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
        finally:
            if inner.batch_gate is not None:  # refused before it reached its mailbox
                inner.batch_gate.arrive()
        out = {"id": r["id"], "status": status, "headers": hdrs}
        if obj is not None:
            out["body"] = obj
        return out
