#!/usr/bin/env python3
"""Runs a command the way a person at a terminal does, for the progress-line tests: its
stderr on a pseudo-terminal, its stdout on a pipe (so the test can tell them apart), stdin
from /dev/null. Prints one JSON object: the exit code, stdout, and every byte the terminal
received (carriage returns and escapes included).

Usage: tty_run.py COMMAND [ARG...]"""
import json
import os
import pty
import selectors
import subprocess
import sys


def main():
    master, slave = pty.openpty()
    child = subprocess.Popen(sys.argv[1:], stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                             stderr=slave, env=dict(os.environ, TERM="xterm"))
    os.close(slave)
    received = {"stdout": b"", "terminal": b""}
    selector = selectors.DefaultSelector()
    selector.register(child.stdout, selectors.EVENT_READ, "stdout")
    selector.register(master, selectors.EVENT_READ, "terminal")
    while selector.get_map():
        for key, _ in selector.select(timeout=120):
            fd = key.fd
            try:
                chunk = os.read(fd, 65536)
            except OSError:  # the terminal's other end closed (EIO on Linux)
                chunk = b""
            if chunk:
                received[key.data] += chunk
            else:
                selector.unregister(key.fileobj)
    code = child.wait(timeout=120)
    os.close(master)
    print(json.dumps({"exit": code,
                      "stdout": received["stdout"].decode("utf-8", "replace"),
                      "terminal": received["terminal"].decode("utf-8", "replace")}))


if __name__ == "__main__":
    main()
