"""Graph emulator: per-mailbox admission -- concurrency limit, request budget, latency and injected faults."""

import time

from emulator_common import GraphError, DropConnection

class ThrottleMixin:
    """Per-mailbox throttling and fault injection; mixed into Graph."""

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
        gate = getattr(ctx, "batch_gate", None)
        if gate is not None:  # a batch item: start with the batch's other items (BatchGate)
            ctx.batch_gate = None
            gate.arrive()
            if throttle is None:
                gate.wait()
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
