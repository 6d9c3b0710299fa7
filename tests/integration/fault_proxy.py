#!/usr/bin/python3
"""A fault-injecting HTTP proxy for the CalDAV fault tests (Python standard library only).

Usage: fault_proxy.py --port PORT --upstream http://127.0.0.1:RPORT --rules FILE --log FILE

Every request is passed to the upstream server (a real Radicale or Cyrus) unless a rule says
otherwise; a redirect the upstream answers with its own address points at the proxy instead. The rules are a JSON file the test rewrites whenever it wants another fault (write a
new file and rename it over the old one); the proxy rereads it on every request and starts
counting afresh when it changed. `{"rules": [RULE, ...]}`, the first rule that fires wins:

  method   only requests of this method count for the rule (default: all)
  path     only requests for this path count (the query left out; default: all)
  first    fire on the first N requests the rule counts (default: all of them)
  nth      fire only on the Nth request the rule counts
  action   "status":  answer `status` (with Retry-After: `retry_after` when given)
           "reset":   reset the connection (RST) instead of answering; with
                      "upstream": true the request reaches the server first (its answer is lost)
           "delay":   pass through, but answer `seconds` late
           "rewrite": pass a PUT on with the event changed the way a server may store it
                      (RFC 4791 §5.3.4) and answer without an ETag

Each request is logged as one line "MONOTONIC_SECONDS METHOD PATH STATUS": STATUS is the
code answered, or RESET.
"""
import argparse
import http.client
import json
import os
import socket
import struct
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class Rules:
    """The rules file as last read, with a counter per rule."""

    def __init__(self, path):
        self.path = path
        self.lock = threading.Lock()
        self.text = None
        self.rules = []
        self.counts = []

    def pick(self, method, path):
        """The rule that fires for this request (None: pass through); counts the request."""
        with self.lock:
            self._reload()
            chosen = None
            for index, rule in enumerate(self.rules):
                if rule.get("method", method) != method or rule.get("path", path) != path:
                    continue
                self.counts[index] += 1
                count = self.counts[index]
                fires = count == rule["nth"] if "nth" in rule else count <= rule.get("first", count)
                if fires and chosen is None:
                    chosen = rule
            return chosen

    def _reload(self):
        try:
            with open(self.path, encoding="utf-8") as f:
                text = f.read()
        except FileNotFoundError:
            text = '{"rules": []}'
        if text != self.text:
            self.text = text
            self.rules = json.loads(text)["rules"]
            self.counts = [0] * len(self.rules)


def rewrite_event(body):
    """The event as a server might store it: a new DTSTAMP, an added property, SUMMARY moved
    to the end of the VEVENT and DESCRIPTION folded at other places. Means the same."""
    lines = body.decode("utf-8").replace("\r\n ", "").split("\r\n")
    out, summary, in_event = [], None, False
    for line in lines:
        if line == "BEGIN:VEVENT":
            in_event = True
        elif in_event and line.startswith("DTSTAMP"):
            line = "DTSTAMP:20200101T000000Z"
        elif in_event and line.startswith("SUMMARY"):
            summary = line
            continue
        elif in_event and line.startswith("DESCRIPTION"):
            line = "\r\n ".join(line[i:i + 40] for i in range(0, len(line), 40))
        elif line == "END:VEVENT":
            in_event = False
            out += [summary, "X-SERVER-ADDED:stored by the fault proxy"] if summary else []
        out.append(line)
    return "\r\n".join(out).encode("utf-8")


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, fmt, *args):  # requests go to the log file instead
        pass

    def handle_one_request(self):
        self.raw_requestline = self.rfile.readline(65537)
        if not self.raw_requestline or not self.parse_request():
            self.close_connection = True
            return
        self.relay()

    def relay(self):
        arrived = time.monotonic()
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        path = urllib.parse.urlsplit(self.path).path
        rule = self.server.rules.pick(self.command, path) or {"action": "pass"}
        action = rule["action"]
        if action == "status":
            headers = {"Retry-After": str(rule["retry_after"])} if "retry_after" in rule else {}
            if rule["status"] == 401:
                headers["WWW-Authenticate"] = 'Basic realm="fault proxy"'
            return self.answer(arrived, rule["status"], headers, b"injected by the fault proxy\n")
        if action == "reset" and not rule.get("upstream"):
            return self.reset(arrived)
        if action == "rewrite" and self.command == "PUT":
            body = rewrite_event(body)
        status, headers, data = self.forward(body)
        if action == "reset":
            return self.reset(arrived)
        if action == "delay":
            time.sleep(rule["seconds"])
        if action == "rewrite" and self.command == "PUT":
            headers = [(k, v) for k, v in headers if k.lower() != "etag"]
        self.answer(arrived, status, dict(headers), data)

    def forward(self, body):
        upstream = self.server.upstream
        connection = http.client.HTTPConnection(upstream.hostname, upstream.port, timeout=60)
        skip = {"host", "connection", "content-length", "keep-alive", "transfer-encoding"}
        headers = {k: v for k, v in self.headers.items() if k.lower() not in skip}
        try:
            connection.request(self.command, self.path, body=body, headers=headers)
            response = connection.getresponse()
            data = response.read()
            kept = [(k, self.own_location(k, v)) for k, v in response.getheaders()
                    if k.lower() not in skip]
            return response.status, kept, data
        finally:
            connection.close()

    def own_location(self, name, value):
        """A Location on the upstream's origin (Cyrus sends absolute ones) moved to ours."""
        upstream = self.server.upstream
        origin = f"{upstream.scheme}://{upstream.netloc}"
        if name.lower() != "location" or not value.startswith(origin):
            return value
        return f"http://127.0.0.1:{self.server.server_address[1]}" + value[len(origin):]

    def answer(self, arrived, status, headers, data):
        self.server.log(arrived, self.command, self.path, status)
        try:
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)
        except OSError:  # the client gave up waiting (a delay beyond its timeout)
            self.close_connection = True

    def reset(self, arrived):
        """Closes with SO_LINGER 0, so the client gets a TCP RST rather than an answer."""
        self.server.log(arrived, self.command, self.path, "RESET")
        self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        os.close(self.connection.detach())
        self.close_connection = True


class Proxy(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, port, upstream, rules, log):
        super().__init__(("127.0.0.1", port), Handler)
        self.upstream = urllib.parse.urlsplit(upstream)
        self.rules = Rules(rules)
        self.log_file = open(log, "a", encoding="utf-8", buffering=1)
        self.log_lock = threading.Lock()

    def log(self, arrived, method, path, status):
        with self.log_lock:
            self.log_file.write(f"{arrived:.3f} {method} {path} {status}\n")

    def handle_error(self, request, client_address):  # a reset or vanished client: expected
        pass


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--upstream", required=True)
    parser.add_argument("--rules", required=True)
    parser.add_argument("--log", required=True)
    args = parser.parse_args()
    Proxy(args.port, args.upstream, args.rules, args.log).serve_forever()


if __name__ == "__main__":
    main()
