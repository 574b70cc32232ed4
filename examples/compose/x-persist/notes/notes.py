#!/usr/bin/python3
"""notes: a small app that keeps notes in SQLite, as a team's own service might.

  notes serve          HTTP on :8080 (GET /notes lists them, POST /notes adds the body)
  notes add TEXT       adds a note
  notes list           prints every note, oldest first
"""
import http.server
import os
import signal
import sqlite3
import sys

DATABASE = os.environ.get("NOTES_DB", "/var/lib/notes/notes.db")


def connect():
    os.makedirs(os.path.dirname(DATABASE), exist_ok=True)
    db = sqlite3.connect(DATABASE)
    db.execute("CREATE TABLE IF NOT EXISTS notes (id INTEGER PRIMARY KEY, text TEXT NOT NULL)")
    return db


def add(text):
    with connect() as db:
        db.execute("INSERT INTO notes (text) VALUES (?)", (text,))


def listing():
    with connect() as db:
        return "".join(f"{id}\t{text}\n" for id, text in db.execute("SELECT id, text FROM notes ORDER BY id"))


class Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        self.answer(200, listing())

    def do_POST(self):
        add(self.rfile.read(int(self.headers.get("Content-Length", 0))).decode())
        self.answer(201, "added\n")

    def answer(self, status, body):
        self.send_response(status)
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.end_headers()
        self.wfile.write(body.encode())


def serve():
    connect().close()
    server = http.server.ThreadingHTTPServer(("", 8080), Handler)
    # docker stop sends SIGTERM: finish cleanly instead of being killed after the grace period.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    print(f"notes: serving {DATABASE} on :8080", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    command = sys.argv[1:] or ["serve"]
    if command[0] == "serve":
        serve()
    elif command[0] == "add" and len(command) == 2:
        add(command[1])
    elif command[0] == "list":
        sys.stdout.write(listing())
    else:
        sys.exit(__doc__)
