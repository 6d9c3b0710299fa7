#!/usr/bin/python3
"""Reads what smtp_sink.py stored and prints it as JSON, parsed with Python's email package
(an independent MIME parser): one object per message, in arrival order, with the envelope,
the decoded headers (RFC 2047 undone) and every text part decoded to str.

Usage: smtp_mailbox.py DIR
"""

import email
import email.policy
import json
import os
import sys


def describe(path):
    with open(path, encoding="utf-8", errors="surrogateescape") as handle:
        record = json.load(handle)
    message = email.message_from_string(record["message"], policy=email.policy.default)
    parts = []
    for part in message.walk():
        if part.is_multipart():
            continue
        parts.append({
            "type": part.get_content_type(),
            "charset": part.get_content_charset(),
            "text": part.get_content(),
        })
    return {
        "file": os.path.basename(path),
        "mail_from": record["mail_from"],
        "rcpt_tos": record["rcpt_tos"],
        "subject": str(message["Subject"]),
        "from": str(message["From"]),
        "to": str(message["To"]),
        "to_name": message["To"].addresses[0].display_name if message["To"] else "",
        "message_id": str(message["Message-ID"]),
        "date": str(message["Date"]),
        "content_type": message.get_content_type(),
        "defects": [str(d) for d in message.defects] +
                   [str(d) for p in message.walk() for d in p.defects],
        "parts": parts,
    }


def main():
    folder = sys.argv[1]
    names = sorted(n for n in os.listdir(folder) if n.endswith(".json"))
    print(json.dumps([describe(os.path.join(folder, n)) for n in names], ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
