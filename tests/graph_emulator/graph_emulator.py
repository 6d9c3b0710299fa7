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
import json
import os

from emulator_graph import Graph
from emulator_http import Handler, Server
from emulator_state import State


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
    ap.add_argument("--batch-parallelism", type=int, default=20,
                    help="batch items executed at once; when it covers every item without dependsOn "
                         "(the default 20 always does) they all start together, each counted in "
                         "flight on its mailbox")
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
