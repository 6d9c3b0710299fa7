#!/usr/bin/python3
"""A small SMTP server for plancal's reminder tests, on Debian's aiosmtpd.

Keeps every accepted message as DIR/NNNNN.json ({mail_from, rcpt_tos, message}), written
atomically (temp file + rename) so a test reading the folder never sees half a message.
The reply to DATA comes from the control file (read per message): "ok" (default), or an
SMTP code such as 421, 451 or 550, which rejects the message. Optional STARTTLS (required
when a certificate is given) and AUTH PLAIN/LOGIN against one user and password; successful
logins are appended to DIR/auth.log (user name only).

Usage: smtp_sink.py --port N --dir DIR [--control FILE] [--cert PEM --key PEM]
                    [--user U --password-file F] [--delay-ms N]
"""

import argparse
import json
import os
import signal
import sys
import threading
import time

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult

REPLIES = {
    "421": "421 4.3.2 Service shutting down, try again later",
    "451": "451 4.3.0 Temporary local problem, try again later",
    "550": "550 5.1.1 Mailbox unavailable",
}


class Sink:
    def __init__(self, folder, control, delay):
        self.folder = folder
        self.control = control
        self.delay = delay
        self.count = 0
        self.lock = threading.Lock()

    def mode(self):
        if not self.control or not os.path.exists(self.control):
            return "ok"
        with open(self.control, encoding="ascii") as handle:
            return handle.read().strip() or "ok"

    async def handle_DATA(self, server, session, envelope):
        if self.delay:
            time.sleep(self.delay)
        mode = self.mode()
        if mode in REPLIES:
            return REPLIES[mode]
        with self.lock:
            self.count += 1
            name = "%05d-%d.json" % (self.count, os.getpid())
        record = {
            "mail_from": envelope.mail_from,
            "rcpt_tos": list(envelope.rcpt_tos),
            "message": envelope.original_content.decode("utf-8", "surrogateescape"),
        }
        temp = os.path.join(self.folder, "." + name + ".tmp")
        with open(temp, "w", encoding="utf-8", errors="surrogateescape") as handle:
            json.dump(record, handle)
            handle.flush()
            os.fsync(handle.fileno())
        os.rename(temp, os.path.join(self.folder, name))
        return "250 2.0.0 OK queued"


def authenticator(user, password, folder):
    def check(server, session, envelope, mechanism, auth_data):
        login = getattr(auth_data, "login", b"") or b""
        secret = getattr(auth_data, "password", b"") or b""
        ok = login.decode() == user and secret.decode() == password
        if ok:
            with open(os.path.join(folder, "auth.log"), "a", encoding="utf-8") as handle:
                handle.write(login.decode() + "\n")
        return AuthResult(success=ok)

    return check


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--dir", required=True)
    parser.add_argument("--control")
    parser.add_argument("--cert")
    parser.add_argument("--key")
    parser.add_argument("--user")
    parser.add_argument("--password-file")
    parser.add_argument("--delay-ms", type=int, default=0)
    args = parser.parse_args()

    options = {}
    if args.cert:
        import ssl

        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(args.cert, args.key)
        options.update(tls_context=context, require_starttls=True)
    if args.user:
        with open(args.password_file, encoding="utf-8") as handle:
            password = handle.read().strip()
        options.update(authenticator=authenticator(args.user, password, args.dir),
                       auth_required=True, auth_require_tls=bool(args.cert))
    sink = Sink(args.dir, args.control, args.delay_ms / 1000.0)
    controller = Controller(sink, hostname="127.0.0.1", port=args.port, **options)
    controller.start()
    print("ready", flush=True)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    stop.wait()
    controller.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
