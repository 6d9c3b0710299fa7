#!/usr/bin/python3
"""Damages an SQLite file the way a failing disk or a stray write does, for the store tests.

  damage_db.py damage DB TABLE [PAGES]  overwrites PAGES (default 2) leaf pages of TABLE in
                                        the middle of the file with garbage; prints them
  damage_db.py touch DB                 one harmless write through another connection, so a
                                        process that has the file open reads it afresh

Python standard library only (sqlite3 with the dbstat table, as Debian builds it)."""
import sqlite3
import sys


def damage(path, table, count):
    db = sqlite3.connect(path)
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # every page in the main file
    page_size = db.execute("PRAGMA page_size").fetchone()[0]
    pages = [row[0] for row in db.execute(
        "SELECT pageno FROM dbstat WHERE name = ? AND pagetype = 'leaf' ORDER BY pageno",
        (table,))]
    db.close()
    if len(pages) < count:
        sys.exit(f"{path}: table {table} has only {len(pages)} leaf pages")
    middle = len(pages) // 2 - count // 2
    chosen = pages[middle:middle + count]
    with open(path, "r+b") as file:
        for page in chosen:
            file.seek((page - 1) * page_size)
            file.write(bytes((i * 37 + 11) % 251 for i in range(page_size)))
    print(" ".join(str(page) for page in chosen))


def touch(path):
    db = sqlite3.connect(path)
    db.execute("UPDATE feed_tokens SET label = label")
    db.commit()
    db.close()


if __name__ == "__main__":
    if sys.argv[1] == "damage":
        damage(sys.argv[2], sys.argv[3], int(sys.argv[4]) if len(sys.argv) > 4 else 2)
    elif sys.argv[1] == "touch":
        touch(sys.argv[2])
    else:
        sys.exit(__doc__)
