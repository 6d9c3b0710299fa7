#!/usr/bin/python3
"""bench_daemon_idle: the resident memory of `plancal daemon` at rest, with the example plans of
config/plancal.yaml and one CalDAV target (a real Radicale on a free loopback port, its data on
tmpfs, as tests/caldav_servers.h starts it).

Each repetition starts everything anew: a fresh Radicale with an empty calendar, a fresh state
database, then the daemon with NOTIFY_SOCKET pointing at a datagram socket of ours (as systemd
would). Once the daemon's STATUS= says its first sync is done (every event pushed), it is left
alone a moment and then sampled several times a few seconds apart from /proc: VmRSS,
RssAnon/RssFile (status) and Pss, Pss_Anon, Pss_File (smaps_rollup). The figure of a repetition
is its last sample (the daemon at rest); medians and min–max are over the repetitions.

The anchors, measured the same way at the same moments in the same repetition:
- Radicale, the calendar server at the other end of the same sync, from Debian: a daemon that
  parsed its config, stores calendars, speaks HTTP and has just received the same events, idle
  like plancal. It is the closest comparable daemon a user of plancal runs (or replaces).
- nginx (nginx-light, one worker, master + worker summed), idle, serving one static folder:
  the floor of a C event-loop HTTP daemon from Debian that keeps nothing but its config.
The ratios printed are plancal / anchor (below 1: plancal holds less).

usage: /usr/bin/python3 daemon_idle_bench.py PLANCAL_BINARY SOURCE_DIR
environment: BENCH_REPEAT (repetitions, default 5), BENCH_KEEP_DIR (keep the work folder there)
"""
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time

TARGET_PLAN = "kollegaveiledning"  # one of the example plans; 42 events for audience all
SAMPLES = 5  # per repetition, SAMPLE_GAP apart, after SETTLE seconds at rest
SAMPLE_GAP = 0.5
SETTLE = 1.0
FIELDS = ("VmRSS", "RssAnon", "RssFile", "Pss", "Pss_Anon", "Pss_File")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def read(path):
    with open(path, encoding="utf-8", errors="replace") as f:
        return f.read()


def memory_kib(pid):
    """The FIELDS of one process in kB, from /proc/PID/status and /proc/PID/smaps_rollup."""
    text = read(f"/proc/{pid}/status") + read(f"/proc/{pid}/smaps_rollup")
    values = {}
    for field in FIELDS:
        match = re.search(rf"^{field}:\s+(\d+) kB", text, re.M)
        values[field] = int(match.group(1)) if match else 0
    return values


def summed(pids):
    total = dict.fromkeys(FIELDS, 0)
    for pid in pids:
        for field, value in memory_kib(pid).items():
            total[field] += value
    return total


def wait_for_port(port, process, log_path, what):
    for _ in range(300):
        if process.poll() is not None:
            break
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"{what} did not start:\n{read(log_path)[-3000:]}")


def stop(process):
    process.terminate()
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def start_radicale(work):
    """Radicale as tests/integration/caldav_servers.cpp starts it: any password, a VEVENT
    calendar alice/calendar that exists from the start, storage on tmpfs."""
    base = "/dev/shm" if os.access("/dev/shm", os.W_OK) else tempfile.gettempdir()
    storage = tempfile.mkdtemp(prefix="plancal-idle-bench-", dir=base)
    calendar = os.path.join(storage, "collections/collection-root/alice/calendar")
    os.makedirs(calendar)
    with open(os.path.join(calendar, ".Radicale.props"), "w") as out:
        out.write('{"tag": "VCALENDAR", "D:displayname": "Team plan", '
                  '"C:supported-calendar-component-set": "VEVENT"}')
    port = free_port()
    config = os.path.join(work, "radicale.conf")
    with open(config, "w") as out:
        out.write(f"[server]\nhosts = 127.0.0.1:{port}\n[auth]\ntype = none\n"
                  f"[storage]\nfilesystem_folder = {storage}/collections\n"
                  "[logging]\nlevel = warning\n")
    log_path = os.path.join(work, "radicale.log")
    with open(log_path, "w") as log:
        process = subprocess.Popen(["radicale", "--config", config], stdout=log, stderr=log,
                                   stdin=subprocess.DEVNULL)
    wait_for_port(port, process, log_path, "Radicale")
    return process, storage, f"http://127.0.0.1:{port}/alice/calendar/"


def start_nginx(work):
    """nginx with one worker serving an empty folder; returns the process (the master)."""
    folder = os.path.join(work, "nginx")
    os.makedirs(os.path.join(folder, "www"))
    os.makedirs(os.path.join(folder, "tmp"))
    port = free_port()
    config = os.path.join(folder, "nginx.conf")
    with open(config, "w") as out:
        out.write(f"worker_processes 1;\npid {folder}/nginx.pid;\n"
                  f"error_log {folder}/error.log warn;\ndaemon off;\n"
                  "events { worker_connections 512; }\n"
                  f"http {{ access_log off; client_body_temp_path {folder}/tmp; "
                  f"proxy_temp_path {folder}/tmp; fastcgi_temp_path {folder}/tmp; "
                  f"uwsgi_temp_path {folder}/tmp; scgi_temp_path {folder}/tmp; "
                  f"server {{ listen 127.0.0.1:{port}; root {folder}/www; }} }}\n")
    log_path = os.path.join(folder, "stderr.log")
    with open(log_path, "w") as log:
        process = subprocess.Popen(["nginx", "-c", config, "-p", folder], stdout=log,
                                   stderr=log, stdin=subprocess.DEVNULL)
    wait_for_port(port, process, log_path, "nginx")
    return process


def nginx_pids(master):
    children = read(f"/proc/{master}/task/{master}/children").split()
    return [master] + [int(pid) for pid in children]


def write_daemon_config(source_dir, work, calendar_url):
    """config/plancal.yaml with its plans (copied beside it, so its relative paths hold), plus
    one CalDAV target on Radicale."""
    config_dir = os.path.join(work, "config")
    shutil.copytree(os.path.join(source_dir, "config"), config_dir)
    with open(os.path.join(config_dir, "radicale.pass"), "w") as out:
        out.write("secret\n")
    os.chmod(os.path.join(config_dir, "radicale.pass"), 0o600)
    config = os.path.join(config_dir, "plancal.yaml")
    with open(config, "a") as out:
        out.write(f"\ntargets:\n  - name: radicale\n    plan: {TARGET_PLAN}\n"
                  f"    audience: all\n    caldav:\n      url: {calendar_url}\n"
                  "      username: alice\n      password: {file: radicale.pass}\n"
                  # Radicale 3.1.8 with Debian 12's python3-dateutil can hang a PUT parsed
                  # beside another (README, CalDAV targets), as in the integration tests.
                  "      max_in_flight: 1\n")
    return config


def wait_for_status(listener, needle, daemon, log_path, timeout=120):
    """Reads the daemon's notify messages until one contains `needle`."""
    deadline = time.monotonic() + timeout
    listener.settimeout(0.5)
    while time.monotonic() < deadline:
        if daemon.poll() is not None:
            break
        try:
            message = listener.recv(4096).decode("utf-8", "replace")
        except socket.timeout:
            continue
        if needle in message:
            return message
    raise RuntimeError(f"the daemon did not report {needle!r}:\n{read(log_path)[-3000:]}")


def one_repetition(plancal, source_dir, work):
    """Start -> first sync done -> at rest -> samples. The last sample of each process."""
    os.makedirs(work)
    radicale, storage, calendar_url = start_radicale(work)
    nginx = start_nginx(work)
    daemon = None
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    try:
        config = write_daemon_config(source_dir, work, calendar_url)
        notify_path = os.path.join(work, "notify.sock")
        listener.bind(notify_path)
        log_path = os.path.join(work, "daemon.log")
        with open(log_path, "w") as log:
            daemon = subprocess.Popen(
                [plancal, "daemon", "--config", config, "--listen", "127.0.0.1:0"],
                stdout=subprocess.DEVNULL, stderr=log, stdin=subprocess.DEVNULL,
                env={**os.environ, "NOTIFY_SOCKET": notify_path})
        status = wait_for_status(listener, "sync: ", daemon, log_path)
        if "sync: 1 target(s) ok" not in status:
            raise RuntimeError(f"the first sync failed: {status}\n{read(log_path)[-3000:]}")
        time.sleep(SETTLE)
        samples = {"plancal": [], "Radicale": [], "nginx": []}
        for _ in range(SAMPLES):
            samples["plancal"].append(memory_kib(daemon.pid))
            samples["Radicale"].append(memory_kib(radicale.pid))
            samples["nginx"].append(summed(nginx_pids(nginx.pid)))
            time.sleep(SAMPLE_GAP)
        drift = [s["VmRSS"] for s in samples["plancal"]]
        print(f"  plancal VmRSS over the {SAMPLES} samples: {drift} kB", flush=True)
        return {name: values[-1] for name, values in samples.items()}
    finally:
        listener.close()
        for process in (daemon, nginx, radicale):
            if process is not None:
                stop(process)
        shutil.rmtree(storage, ignore_errors=True)


def spread(values):
    return f"{statistics.median(values):,.0f} kB [{min(values):,}–{max(values):,}]"


def main():
    plancal, source_dir = sys.argv[1], sys.argv[2]
    repeat = int(os.environ.get("BENCH_REPEAT", "5"))
    keep = os.environ.get("BENCH_KEEP_DIR")
    work = keep or tempfile.mkdtemp(prefix="plancal-idle-bench-")
    os.makedirs(work, exist_ok=True)
    print(f"load average at start: {read('/proc/loadavg').split()[:3]}", flush=True)
    runs = []
    try:
        for n in range(repeat):
            runs.append(one_repetition(plancal, source_dir, os.path.join(work, f"run{n}")))
            print(f"run {n + 1}/{repeat}: " + ", ".join(
                f"{name} {values['VmRSS']:,} kB" for name, values in runs[-1].items()),
                flush=True)
    finally:
        if not keep:
            shutil.rmtree(work, ignore_errors=True)
    print(f"\nidle, after the first sync, median [min–max] of {repeat} repetitions:")
    for name in ("plancal", "Radicale", "nginx"):
        print(f"{name}:")
        for field in FIELDS:
            print(f"  {field:9} {spread([run[name][field] for run in runs])}")
    plancal_rss = statistics.median(run["plancal"]["VmRSS"] for run in runs)
    plancal_pss = statistics.median(run["plancal"]["Pss"] for run in runs)
    for anchor in ("Radicale", "nginx"):
        rss = statistics.median(run[anchor]["VmRSS"] for run in runs)
        pss = statistics.median(run[anchor]["Pss"] for run in runs)
        print(f"ratio plancal / {anchor}: VmRSS {plancal_rss / rss:.2f}, Pss {plancal_pss / pss:.2f}")
    print(f"plancal VmRSS median {plancal_rss / 1024:.1f} MiB (goal ≤ 20 MiB)")
    print(f"load average at end: {read('/proc/loadavg').split()[:3]}")


if __name__ == "__main__":
    main()
