"""Graph emulator: HTTP plumbing -- request handler, dispatch to token endpoint / control API / Graph, server."""

import json
import re
import socket
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from emulator_common import GraphError, DropConnection, graph_error_body, Ctx
from emulator_auth import token_endpoint
from emulator_control import control

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
