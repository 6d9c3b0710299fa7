#!/usr/bin/python3
"""bench_caldav_push: 1,000 events pushed to a fresh CalDAV calendar, in one run, by
  1. plancal sync (first push, then the no-op resync),
  2. vdirsyncer 0.19 from a filesystem folder holding the same events (discover + first sync,
     then the no-op resync),
  3. the floor: one curl process doing the 1,000 conditional PUTs one after another,
against the same fresh Xandikos and the same fresh Radicale (random loopback ports, storage on
tmpfs). Each contender writes into its own empty calendar made with MKCALENDAR, so none pays
for another's events. Requests are counted in the server's own log, the same way for everyone.
Every calendar is read back afterwards: a contender that did not store exactly the 1,000
events fails the benchmark instead of producing a flattering number. No timing thresholds.

usage: /usr/bin/python3 caldav_push_bench.py PLANCAL_BINARY
environment: BENCH_KEEP_DIR (keep the work folder, logs included, there instead of a temp dir)
"""
import base64
import os
import re
import resource
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from xml.etree import ElementTree

EVENTS = 1000
PLAN_ID = "bench-push"
PASSWORD = "bench"  # both servers accept any password


def write_plan(path):
    """20 weekly series x 50 weeks of 2025 on Tuesdays and Wednesdays, when Norway has no
    public holiday after 1 January, so the plan yields exactly 1,000 events for audience all."""
    lines = [f"plan: {PLAN_ID}", 'title: "CalDAV push benchmark"', "timezone: Europe/Oslo",
             "weekly:"]
    for weekday, first, last in (("TU", "2025-01-07", "2025-12-16"),
                                 ("WE", "2025-01-08", "2025-12-17")):
        for hour in range(8, 18):
            lines += [f"  - key: {weekday.lower()}-{hour:02d}",
                      f'    title: "Veiledning {weekday} {hour:02d}:00"',
                      f"    weekday: {weekday}",
                      f'    time: {{ start: "{hour:02d}:00", end: "{hour:02d}:45" }}',
                      f"    from: {first}", f"    until: {last}",
                      '    topic: "Planlagt og systematisk veiledning"',
                      '    location: "Møterom 2"']
    with open(path, "w", encoding="utf-8") as out:
        out.write("\n".join(lines) + "\n")


def split_export(plancal, plan, folder):
    """`plancal export` of the plan, cut into one calendar object per event (its VTIMEZONE
    included, METHOD left out as RFC 4791 wants): the folder vdirsyncer and curl upload."""
    text = subprocess.run([plancal, "export", plan, "--audience", "all"], check=True,
                          capture_output=True, text=True).stdout
    header = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//plancal//bench//NO"]
    zone = re.search(r"BEGIN:VTIMEZONE\r?\n.*?END:VTIMEZONE\r?\n", text, re.S).group(0)
    events = re.findall(r"BEGIN:VEVENT\r?\n.*?END:VEVENT\r?\n", text, re.S)
    os.makedirs(folder)
    for event in events:
        uid = re.search(r"^UID:(.*?)\r?$", event, re.M).group(1)
        body = "\r\n".join(header) + "\r\n" + zone + event + "END:VCALENDAR\r\n"
        with open(os.path.join(folder, uid + ".ics"), "w", newline="", encoding="utf-8") as f:
            f.write(body)
    return sorted(name[:-4] for name in os.listdir(folder))


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """A CalDAV server from Debian on a free loopback port, its data on tmpfs, logging every
    request (the count every contender is measured by)."""

    def __init__(self, kind, work):
        self.kind = kind
        self.dir = os.path.join(work, kind.lower())
        os.makedirs(self.dir)
        self.storage = tempfile.mkdtemp(prefix="plancal-bench-", dir=scratch_base())
        self.log_path = os.path.join(self.dir, "server.log")
        self.port = free_port()
        self.user = "alice" if kind == "Radicale" else "user"
        self.home = "/alice/" if kind == "Radicale" else "/user/calendars/"
        with open(self.log_path, "w") as log:
            self.process = subprocess.Popen(self.command(), stdout=log, stderr=log,
                                            stdin=subprocess.DEVNULL)
        self.wait_ready()

    def command(self):
        if self.kind == "Xandikos":
            return ["xandikos", "--defaults", "-d", self.storage, "-l", "127.0.0.1", "-p",
                    str(self.port)]
        config = os.path.join(self.dir, "radicale.conf")
        with open(config, "w") as out:
            out.write(f"[server]\nhosts = 127.0.0.1:{self.port}\n[auth]\ntype = none\n"
                      f"[storage]\nfilesystem_folder = {self.storage}/collections\n"
                      "[logging]\nlevel = info\n")
        return ["radicale", "--config", config]

    def wait_ready(self):
        for _ in range(300):
            if self.process.poll() is not None:
                break
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                return
            except OSError:
                time.sleep(0.1)
        raise RuntimeError(f"{self.kind} did not start:\n{read(self.log_path)}")

    def url(self, path):
        return f"http://127.0.0.1:{self.port}{path}"

    def request(self, method, path, body=None, headers=None):
        auth = base64.b64encode(f"{self.user}:{PASSWORD}".encode()).decode()
        request = urllib.request.Request(self.url(path), data=body, method=method,
                                         headers={"Authorization": "Basic " + auth,
                                                  **(headers or {})})
        with urllib.request.urlopen(request, timeout=120) as response:
            return response.status, response.read().decode("utf-8")

    def make_calendar(self, name):
        """A new, empty VEVENT calendar; returns its URL."""
        path = f"{self.home}{name}/"
        status, _ = self.request("MKCALENDAR", path)
        if status != 201:
            raise RuntimeError(f"MKCALENDAR {path} on {self.kind}: {status}")
        return self.url(path)

    def requests_logged(self):
        """Requests the server has logged so far; waits until the count stops moving, so a
        request still being logged when the client exits is not counted in the next phase."""
        pattern = re.compile(r"aiohttp\.access:" if self.kind == "Xandikos" else
                             r"\] \[INFO\] [A-Z]+ request for '")
        counts = []
        while len(counts) < 2 or counts[-1] != counts[-2]:
            if counts:
                time.sleep(0.2)
            counts.append(len(pattern.findall(read(self.log_path))))
        return counts[-1]

    def cpu_seconds(self):
        fields = read(f"/proc/{self.process.pid}/stat").rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def event_uids(self, calendar_url):
        """The UIDs of every VEVENT the calendar holds (one calendar-query REPORT)."""
        query = ('<?xml version="1.0" encoding="utf-8"?>'
                 '<C:calendar-query xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav">'
                 "<D:prop><C:calendar-data/></D:prop><C:filter>"
                 '<C:comp-filter name="VCALENDAR"><C:comp-filter name="VEVENT"/>'
                 "</C:comp-filter></C:filter></C:calendar-query>")
        path = calendar_url[len(self.url("")):]
        _, body = self.request("REPORT", path, query.encode(),
                               {"Depth": "1", "Content-Type": "application/xml"})
        uids = []
        for data in ElementTree.fromstring(body).iter("{urn:ietf:params:xml:ns:caldav}"
                                                      "calendar-data"):
            unfolded = re.sub(r"\r?\n[ \t]", "", data.text or "")
            uids += re.findall(r"^UID:(.*?)\r?$", unfolded, re.M)
        return sorted(uids)

    def stop(self):
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        shutil.rmtree(self.storage, ignore_errors=True)


def scratch_base():
    """tmpfs when there is one (Radicale fsyncs every write), like tests/caldav_servers.cpp."""
    return "/dev/shm" if os.access("/dev/shm", os.W_OK) else tempfile.gettempdir()


def read(path):
    with open(path, encoding="utf-8", errors="replace") as f:
        return f.read()


class Phase:
    """One timed client run against one server: wall time, client CPU (the child processes'),
    server CPU and the requests the server logged meanwhile."""

    def __init__(self, server, argv, cwd, log_path):
        requests_before = server.requests_logged()
        server_cpu_before = server.cpu_seconds()
        children_before = resource.getrusage(resource.RUSAGE_CHILDREN)
        started = time.monotonic()
        with open(log_path, "w") as log:
            done = subprocess.run(argv, cwd=cwd, stdout=subprocess.PIPE, stderr=log,
                                  stdin=subprocess.DEVNULL, text=True)
        self.seconds = time.monotonic() - started
        children = resource.getrusage(resource.RUSAGE_CHILDREN)
        self.client_cpu = (children.ru_utime - children_before.ru_utime +
                           children.ru_stime - children_before.ru_stime)
        self.server_cpu = server.cpu_seconds() - server_cpu_before
        self.requests = server.requests_logged() - requests_before
        self.out = done.stdout
        if done.returncode != 0:
            raise RuntimeError(f"{' '.join(argv[:3])} failed ({done.returncode}):\n"
                               f"{done.stdout[-3000:]}\n{read(log_path)[-3000:]}")


def run_plancal(plancal, plan, server, calendar_url, work):
    """plancal sync into the calendar: the first push, then the resync with nothing to do."""
    folder = os.path.join(work, "plancal")
    os.makedirs(os.path.join(folder, "var"))
    with open(os.path.join(folder, "pass"), "w") as out:
        out.write(PASSWORD)
    os.chmod(os.path.join(folder, "pass"), 0o600)
    with open(os.path.join(folder, "plancal.yaml"), "w") as out:
        out.write(f"plans: [{plan}]\ndatabase: var/plancal.db\ntargets:\n"
                  f"  - name: bench\n    plan: {PLAN_ID}\n    audience: all\n    caldav:\n"
                  f"      url: {calendar_url}\n      username: {server.user}\n"
                  "      password: {file: pass}\n")
    argv = [plancal, "sync", "--config", "plancal.yaml"]
    first = Phase(server, argv, folder, os.path.join(folder, "first.log"))
    expect(first.out, rf"bench: ok: {EVENTS} created, 0 updated, .* 0 failed \((\d+) requests?\)")
    noop = Phase(server, argv, folder, os.path.join(folder, "noop.log"))
    expect(noop.out, rf"bench: ok: 0 created, 0 updated, 0 deleted, .* {EVENTS} unchanged")
    own = [int(re.search(r"\((\d+) requests?\)", p.out).group(1)) for p in (first, noop)]
    return first, noop, f"plancal's own count {own[0]} / {own[1]}"


def run_vdirsyncer(server, calendar_url, events_dir, work):
    """vdirsyncer: discover + first sync (timed together), then the no-op sync."""
    folder = os.path.join(work, "vdirsyncer")
    os.makedirs(folder)
    config = os.path.join(folder, "config")
    with open(config, "w") as out:
        out.write(f'[general]\nstatus_path = "{folder}/status/"\n\n'
                  '[pair bench]\na = "bench_local"\nb = "bench_remote"\ncollections = null\n'
                  'conflict_resolution = "a wins"\n\n'
                  f'[storage bench_local]\ntype = "filesystem"\npath = "{events_dir}"\n'
                  'fileext = ".ics"\n\n'
                  f'[storage bench_remote]\ntype = "caldav"\nurl = "{calendar_url}"\n'
                  f'username = "{server.user}"\npassword = "{PASSWORD}"\n')
    script = f"vdirsyncer -c {config} discover bench && vdirsyncer -c {config} sync"
    first = Phase(server, ["sh", "-c", script], folder, os.path.join(folder, "first.log"))
    uploads = read(os.path.join(folder, "first.log")).count("Copying (uploading) item")
    if uploads != EVENTS:
        raise RuntimeError(f"vdirsyncer uploaded {uploads} items, wanted {EVENTS}")
    noop = Phase(server, ["vdirsyncer", "-c", config, "sync"], folder,
                 os.path.join(folder, "noop.log"))
    if "Copying" in read(os.path.join(folder, "noop.log")):
        raise RuntimeError("vdirsyncer's resync copied items")
    return first, noop, f"discover + sync, {uploads} uploads"


def run_curl(server, calendar_url, events_dir, work):
    """The floor: one curl process, the 1,000 PUTs in a row, reusing its connection when the
    server lets it (Radicale answers HTTP/1.0 and closes every connection)."""
    folder = os.path.join(work, "curl")
    os.makedirs(folder)
    config = os.path.join(folder, "curl.config")
    with open(config, "w") as out:
        out.write(f'user = "{server.user}:{PASSWORD}"\nsilent\nshow-error\n'
                  'header = "If-None-Match: *"\n'
                  'header = "Content-Type: text/calendar; charset=utf-8"\nheader = "Expect:"\n'
                  'write-out = "%{http_code} %{num_connects}\\n"\n')
        for name in sorted(os.listdir(events_dir)):
            out.write(f'url = "{calendar_url}{name}"\nupload-file = "{events_dir}/{name}"\n'
                      'output = "/dev/null"\n')
    first = Phase(server, ["curl", "--config", config], folder, os.path.join(folder, "curl.log"))
    answers = [line.split() for line in first.out.splitlines()]
    created = sum(1 for code, _ in answers if code == "201")
    connections = sum(int(connects) for _, connects in answers)
    if created != EVENTS:
        raise RuntimeError(f"curl got {created} answers 201, wanted {EVENTS}")
    return first, None, f"{connections} connection(s)"


def expect(text, pattern):
    if not re.search(pattern, text):
        raise RuntimeError(f"unexpected plancal output (wanted /{pattern}/):\n{text[-3000:]}")


def bench_server(kind, plancal, plan, events_dir, uids, work):
    server = Server(kind, os.path.join(work, kind.lower() + "-run"))
    try:
        rows = []
        contenders = (
            ("plancal", lambda url, w: run_plancal(plancal, plan, server, url, w)),
            ("vdirsyncer", lambda url, w: run_vdirsyncer(server, url, events_dir, w)),
            ("curl", lambda url, w: run_curl(server, url, events_dir, w)),
        )
        for name, run in contenders:
            calendar_url = server.make_calendar("bench-" + name)
            first, noop, note = run(calendar_url, os.path.join(server.dir, name))
            stored = server.event_uids(calendar_url)
            if stored != uids:
                raise RuntimeError(f"{name} on {kind}: the calendar holds {len(stored)} events "
                                   f"({len(set(stored) & set(uids))} of the {len(uids)} wanted)")
            rows.append((kind, name, first, noop, note))
            print(f"{kind:8} {name:10} done: {first.seconds:.2f} s, {note}", flush=True)
        return rows
    finally:
        server.stop()


def print_table(rows):
    print("\nserver   contender   first push s  requests  client CPU s  server CPU s  "
          "no-op s  requests  note")
    for kind, name, first, noop, note in rows:
        noop_s = f"{noop.seconds:7.2f}  {noop.requests:8d}" if noop else f"{'-':>7}  {'-':>8}"
        print(f"{kind:8} {name:10} {first.seconds:13.2f} {first.requests:9d} "
              f"{first.client_cpu:13.2f} {first.server_cpu:13.2f}  {noop_s}  {note}")
    print()
    for kind in dict.fromkeys(row[0] for row in rows):
        first = {row[1]: row[2] for row in rows if row[0] == kind}
        noop = {row[1]: row[3] for row in rows if row[0] == kind}
        print(f"{kind}: first push ratio plancal/vdirsyncer "
              f"{first['plancal'].seconds / first['vdirsyncer'].seconds:.2f}, plancal/curl "
              f"{first['plancal'].seconds / first['curl'].seconds:.2f}; no-op ratio "
              f"plancal/vdirsyncer {noop['plancal'].seconds / noop['vdirsyncer'].seconds:.2f}")


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    plancal = os.path.abspath(sys.argv[1])
    keep = os.environ.get("BENCH_KEEP_DIR")
    work = keep or tempfile.mkdtemp(prefix="plancal-caldav-bench-")
    os.makedirs(work, exist_ok=True)
    try:
        plan = os.path.join(work, PLAN_ID + ".yaml")
        write_plan(plan)
        uids = split_export(plancal, plan, os.path.join(work, "events"))
        if len(uids) != EVENTS:
            raise RuntimeError(f"the plan yields {len(uids)} events, wanted {EVENTS}")
        print(f"{EVENTS} events, {os.cpu_count()} CPU(s), server storage on {scratch_base()}; "
              f"load average {read('/proc/loadavg').split()[:3]}", flush=True)
        rows = []
        for kind in ("Xandikos", "Radicale"):
            rows += bench_server(kind, plancal, plan, os.path.join(work, "events"), uids, work)
        print_table(rows)
    finally:
        if not keep:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    try:
        main()
    except (RuntimeError, OSError) as error:
        sys.exit(f"bench_caldav_push: {error}")
