# shellcheck shell=bash disable=SC2034  # sourced: the scripts that source it read its variables
# Shared by the wrk benchmarks (run_feed_bench.sh, run_page_bench.sh, run_signup_bench.sh,
# run_register_bench.sh): sourced after the script sets bench_name; reads the script's two
# arguments and the BENCH_* environment, makes the work folder (removed at exit unless
# BENCH_KEEP_DIR), and gives the helpers they use: free_port, start_plancal/stop_plancal,
# start_static_nginx (the anchor), wrk_rate (fails on a wrong answer), ratio, best, etag_of
# and alternate_rounds.
# Processes added to `pids` are stopped at exit.
set -euo pipefail

plancal=${1:?usage: $(basename "$0") PLANCAL_BINARY SOURCE_DIR}
source_dir=${2:?usage: $(basename "$0") PLANCAL_BINARY SOURCE_DIR}
threads=${BENCH_THREADS:-2}
connections=${BENCH_CONNECTIONS:-64}
duration=${BENCH_DURATION:-10s}
people=${BENCH_PEOPLE:-5000}
rounds=${BENCH_ROUNDS:-3}
python=/usr/bin/python3
lua_304="$source_dir/tests/bench/feed_if_none_match.lua"

if [[ -n "${BENCH_KEEP_DIR:-}" ]]; then
  work=$BENCH_KEEP_DIR
  mkdir -p "$work"
else
  work=$(mktemp -d "${TMPDIR:-/tmp}/plancal-${bench_name:?}-bench.XXXXXX")
  chmod 755 "$work"  # nginx's workers run as another user and must read the static copy
fi
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  [[ -n "${BENCH_KEEP_DIR:-}" ]] || rm -rf "$work"
}
trap cleanup EXIT

free_port() {
  "$python" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

# Starts `plancal serve` for config $1 (stderr to $2) and sets serve_pid and serve_port.
start_plancal() {
  "$plancal" serve --config "$1" --listen 127.0.0.1:0 > "$work/serve.out" 2> "$2" &
  serve_pid=$!
  pids+=("$serve_pid")
  for _ in $(seq 1 600); do
    # serve.out may not exist yet: the shell creates it as the server process starts.
    serve_port=$(sed -n 's#^listening on http://127.0.0.1:\([0-9]*\)$#\1#p' "$work/serve.out" \
      2>/dev/null || true)
    [[ -n "$serve_port" ]] && return 0
    kill -0 "$serve_pid" 2>/dev/null || { cat "$2" >&2; echo "plancal serve died" >&2; exit 1; }
    sleep 0.1
  done
  echo "plancal serve did not start" >&2
  exit 1
}

stop_plancal() {
  kill -TERM "$serve_pid"
  wait "$serve_pid" || { echo "plancal serve exited with $?" >&2; exit 1; }
}

# nginx serving file $2 as a static file at URL path $1: the anchor each benchmark compares
# plancal with. $3 holds the lines for nginx's http block that give the content type (and any
# other http setting), $4 those for its server block: the headers plancal's side sends, so both
# answer with as many bytes. Starts on a free port (again on another one if that was taken
# meanwhile) and sets nginx_port and nginx_url once nginx answers with exactly the file's bytes.
start_static_nginx() {
  local path=$1 file=$2 http_lines=$3 server_lines=$4 attempt pid
  mkdir -p "$work/nginx/www${path%/*}" "$work/nginx/tmp"
  cp "$file" "$work/nginx/www$path"
  for attempt in 1 2 3 4 5; do
    nginx_port=$(free_port)
    cat > "$work/nginx/nginx.conf" <<NGINX
worker_processes $threads;
pid $work/nginx/nginx.pid;
error_log $work/nginx/error.log warn;
daemon off;
events { worker_connections 4096; }
http {
  access_log off;
$http_lines
  client_body_temp_path $work/nginx/tmp;
  proxy_temp_path $work/nginx/tmp;
  fastcgi_temp_path $work/nginx/tmp;
  uwsgi_temp_path $work/nginx/tmp;
  scgi_temp_path $work/nginx/tmp;
  keepalive_requests 1000000;
  server {
    listen 127.0.0.1:$nginx_port;
    root $work/nginx/www;
$server_lines
  }
}
NGINX
    nginx -c "$work/nginx/nginx.conf" -e "$work/nginx/error.log" &
    pid=$!
    for _ in $(seq 1 50); do
      if curl -sf -o "$work/nginx.copy" "http://127.0.0.1:$nginx_port$path" &&
         cmp -s "$file" "$work/nginx.copy"; then
        pids+=("$pid")
        nginx_url="http://127.0.0.1:$nginx_port$path"
        return 0
      fi
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.1
    done
    kill "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
    echo "nginx attempt $attempt on port $nginx_port failed; trying another port" >&2
  done
  echo "nginx did not start; see $work/nginx/error.log" >&2
  exit 1
}

# wrk's requests/s for URL $1 (extra wrk arguments follow); checks every answer was 2xx/3xx.
wrk_rate() {
  local url=$1
  shift
  local out
  out=$(wrk -t "$threads" -c "$connections" -d "$duration" "$@" "$url")
  echo "$out" >&2
  if grep -q "Non-2xx or 3xx responses" <<< "$out"; then
    echo "wrong answers from $url" >&2
    exit 1
  fi
  sed -n 's/^Requests\/sec: *\([0-9.]*\)$/\1/p' <<< "$out"
}

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }'; }
best() { printf '%s\n' "$@" | sort -g | tail -1; }
# The ETag of a header dump: file $1, or standard input.
etag_of() { sed -n 's/^ETag: *\(.*\)\r$/\1/Ip' "$@"; }

# Sends SIGHUP to plancal ($1) and prints the seconds until its log ($2) has one more line
# containing $3 (default "feed catalog:"). One Python process waits, reading only what the log
# gained, every millisecond, without starting a process per look: the bash loop this replaced
# started a grep and a sleep every 5 ms, which on two cores took CPU from the server it timed
# and added up to ~0.1 s to each figure. The clock starts right before the signal is sent.
hup_and_wait_for_rebuild() {
  "$python" - "$1" "$2" "${3:-feed catalog:}" <<'PY'
import os, signal, sys, time
pid, log, line = int(sys.argv[1]), sys.argv[2], sys.argv[3].encode()
with open(log, "rb") as f:
    before = f.read().count(line)
    seen, tail = 0, b""
    f.seek(0)
    started = time.monotonic()
    os.kill(pid, signal.SIGHUP)
    deadline = started + 300
    while time.monotonic() < deadline:
        chunk = f.read()
        if chunk:
            text = tail + chunk
            seen += text.count(line)
            tail = text[-len(line) + 1:]  # a line cut between two reads is counted once
            if seen > before:
                break
        else:
            time.sleep(0.001)
    else:
        sys.exit("no new '%s' in %s within 300 s" % (line.decode(), log))
print("%.3f" % (time.monotonic() - started))
PY
}

# BENCH_ROUNDS rounds of wrk, plancal and nginx alternating, for 200 and for 304
# (If-None-Match): URL and ETag of plancal's copy ($1, $2), then nginx's ($3, $4). Sets
# plancal_200, nginx_200, plancal_304 and nginx_304 to each side's best round, which damps
# the noise of a shared machine.
alternate_rounds() {
  local p200=() n200=() p304=() n304=() round
  for round in $(seq 1 "$rounds"); do
    echo "== round $round: 200 =="
    p200+=("$(wrk_rate "$1")")
    n200+=("$(wrk_rate "$3")")
    echo "== round $round: 304 (If-None-Match) =="
    p304+=("$(BENCH_ETAG=$2 wrk_rate "$1" -s "$lua_304")")
    n304+=("$(BENCH_ETAG=$4 wrk_rate "$3" -s "$lua_304")")
  done
  plancal_200=$(best "${p200[@]}") nginx_200=$(best "${n200[@]}")
  plancal_304=$(best "${p304[@]}") nginx_304=$(best "${n304[@]}")
}
