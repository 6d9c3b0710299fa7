#!/usr/bin/python3
"""A bounded slowloris on loopback, with normal clients alongside (feed server tests).

  slow_clients.py PORT FEED_PATH [--count N] [--source ADDR] [--interval S] [--limit S]

Opens N connections from ADDR (default 127.0.0.2, another client than 127.0.0.1 to a
per-address limit) and sends each one byte of a request head every S seconds (default 3),
never finishing it. Meanwhile a normal client on 127.0.0.1 fetches FEED_PATH twice a second.
Stops when the server has closed every slow connection, or after --limit seconds (default
60). Prints JSON: how many slow connections were opened, how many the server refused or
closed at once (within a second), how many it closed later and after how long, how many
were still open at the end, and the normal client's status codes.
Python standard library only; all traffic stays on loopback."""
import argparse
import http.client
import json
import select
import socket
import time

HEAD = b"GET /feeds/slow.ics HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: " + b"a" * 4000


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("port", type=int)
    parser.add_argument("feed_path")
    parser.add_argument("--count", type=int, default=300)
    parser.add_argument("--source", default="127.0.0.2")
    parser.add_argument("--interval", type=float, default=3.0)
    parser.add_argument("--limit", type=float, default=60.0)
    args = parser.parse_args()

    started = time.monotonic()
    slow = {}  # socket -> [opened_at, bytes_sent]
    refused = 0
    for _ in range(args.count):
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        try:
            sock.bind((args.source, 0))
            sock.connect(("127.0.0.1", args.port))
            sock.setblocking(False)
            slow[sock] = [time.monotonic(), 0]
        except OSError:
            sock.close()
            refused += 1
    opened = len(slow)

    closed_at_once, closed_later, lifetimes = 0, 0, []
    statuses = {}
    next_trickle = time.monotonic()
    next_normal = time.monotonic()
    while slow and time.monotonic() - started < args.limit:
        now = time.monotonic()
        if now >= next_trickle:
            for sock, state in list(slow.items()):
                try:
                    sock.send(HEAD[state[1] % len(HEAD):state[1] % len(HEAD) + 1])
                    state[1] += 1
                except OSError:
                    pass  # found closed below
            next_trickle = now + args.interval
        if now >= next_normal:
            try:
                client = http.client.HTTPConnection("127.0.0.1", args.port, timeout=10,
                                                    source_address=("127.0.0.1", 0))
                client.request("GET", args.feed_path)
                status = client.getresponse().status
                client.close()
            except OSError as error:
                status = type(error).__name__
            statuses[str(status)] = statuses.get(str(status), 0) + 1
            next_normal = now + 0.5
        readable, _, _ = select.select(list(slow), [], [], 0.1)
        for sock in readable:
            try:
                data = sock.recv(65536)
            except OSError:
                data = b""
            if data:
                continue  # an error response; the end of the stream follows
            lifetime = time.monotonic() - slow[sock][0]
            if lifetime < 1.0:
                closed_at_once += 1
            else:
                closed_later += 1
                lifetimes.append(lifetime)
            del slow[sock]
            sock.close()
    still_open = len(slow)
    for sock in slow:
        sock.close()
    print(json.dumps({
        "opened": opened, "refused": refused, "closed_at_once": closed_at_once,
        "closed_later": closed_later, "still_open": still_open,
        "longest_lifetime": round(max(lifetimes), 1) if lifetimes else 0,
        "normal_statuses": statuses, "seconds": round(time.monotonic() - started, 1)}))


if __name__ == "__main__":
    main()
