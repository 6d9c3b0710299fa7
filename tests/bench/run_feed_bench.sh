#!/usr/bin/env bash
# Feed server benchmark, in one run on loopback:
#  1. wrk against `plancal serve` serving the team-A feed of the seed-000 plan, and against
#     nginx serving the same bytes as a static file, with the same threads, connections and
#     duration: requests/s for 200 and for 304 (If-None-Match), and the ratio plancal/nginx.
#  2. A 5,000-person roster with one personal feed token each: for each of BENCH_CHANGES plan
#     changes, the time from SIGHUP (publish + rebuild of every personal feed) until the new
#     catalog is served, median and min–max; and the server's resident memory (VmRSS) before
#     the first change and after the last (its pages rendered too).
# No thresholds: it reports; it fails only when a side does not run or answers wrongly.
#
# usage: run_feed_bench.sh PLANCAL_BINARY SOURCE_DIR
# environment: BENCH_THREADS (2), BENCH_CONNECTIONS (64), BENCH_DURATION (10s),
#              BENCH_ROUNDS (3: plancal and nginx alternate, the best round of each counts,
#              which damps the noise of a shared machine), BENCH_PEOPLE (5000),
#              BENCH_CHANGES (5), BENCH_KEEP_DIR (keep the work folder there)
set -euo pipefail
bench_name=feed
# shellcheck source=tests/bench/wrk_common.sh
source "$(dirname "$0")/wrk_common.sh"

echo "== setup: seed-000 plan, team-A feed =="
mkdir -p "$work/plans"
cp "$source_dir/config/plans/mandagsseminar-2024.yaml" "$source_dir/config/plans/roster-milepaelen.csv" "$work/plans/"
cat > "$work/plancal.yaml" <<CONFIG
plans: [plans/mandagsseminar-2024.yaml]
database: var/plancal.db
CONFIG
"$plancal" publish --config "$work/plancal.yaml" > /dev/null
secret=$("$plancal" feed token create --config "$work/plancal.yaml" --plan mandagsseminar-2024 \
  --audience team:A | sed -n 's/^secret: *//p')
start_plancal "$work/plancal.yaml" "$work/serve.err"
plancal_url="http://127.0.0.1:$serve_port/feeds/$secret.ics"
curl -sS -D "$work/plancal.headers" -o "$work/feed.ics" "$plancal_url"
plancal_etag=$(etag_of "$work/plancal.headers")
[[ $(curl -s -o /dev/null -w '%{http_code}' -H "If-None-Match: $plancal_etag" "$plancal_url") == 304 ]]

start_static_nginx "/feeds/$secret.ics" "$work/feed.ics" \
  '  types { text/calendar ics; }
  charset utf-8;
  charset_types text/calendar;' \
  '    add_header Cache-Control "private, max-age=3600";'
curl -sS -D "$work/nginx.headers" -o "$work/nginx.ics" "$nginx_url"
cmp "$work/feed.ics" "$work/nginx.ics"
nginx_etag=$(etag_of "$work/nginx.headers")
[[ $(curl -s -o /dev/null -w '%{http_code}' -H "If-None-Match: $nginx_etag" "$nginx_url") == 304 ]]

echo "feed: $(wc -c < "$work/feed.ics") bytes; wrk -t$threads -c$connections -d$duration; $(nproc) CPU(s) shared by wrk and the server"
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
alternate_rounds "$plancal_url" "$plancal_etag" "$nginx_url" "$nginx_etag"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
stop_plancal

# median and min–max of the numbers given: "1.23 [1.01–1.50]"
summary() {
  printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END {
    m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
    printf "%.3f [%.3f–%.3f]", m, v[1], v[NR] }'
}

# The CPU seconds (user + system, every thread) process $1 has used so far.
cpu_seconds() {
  awk -v tick="$(getconf CLK_TCK)" '{ printf "%.2f", ($14 + $15) / tick }' "/proc/$1/stat"
}

# Waits (at most 300 s) until log $1 holds $2 "pages:" lines (the pages rendered ahead).
wait_for_pages() {
  for _ in $(seq 1 60000); do
    [[ $(grep -c "pages:" "$1") -ge $2 ]] && return 0
    sleep 0.005
  done
  echo "the pages were not rendered" >&2
  exit 1
}

echo "== $people-person roster: publish + rebuild of every personal feed after one change =="
"$python" - "$work/plans" "$people" <<'PY'
import sys
folder, people = sys.argv[1], int(sys.argv[2])
with open(f"{folder}/roster-bench.csv", "w") as out:
    out.write("id,name,email,team,leader,reports_to,roles\n")
    for i in range(people):
        team = "ABC"[i % 3]
        out.write(f"p{i:05d},Person {i:05d},p{i:05d}@example.no,{team},no,,\n")
plan = open(f"{folder}/mandagsseminar-2024.yaml").read()
plan = plan.replace("roster: roster-milepaelen.csv", "roster: roster-bench.csv")
open(f"{folder}/roster-plan.yaml", "w").write(plan)
PY
cat > "$work/roster.yaml" <<CONFIG
plans: [plans/roster-plan.yaml]
database: roster/plancal.db
CONFIG
"$plancal" publish --config "$work/roster.yaml" > /dev/null
# Tokens straight into the store (5,000 CLI runs would measure process start-up, not plancal):
# random hashes stand for secrets nobody needs here; one real token is made with the CLI.
"$python" - "$work/roster/plancal.db" "$people" <<'PY'
import os, sqlite3, sys, time
db = sqlite3.connect(sys.argv[1])
now = int(time.time())
rows = [(os.urandom(32).hex(), "mandagsseminar-2024", f"person:p{i:05d}", "bench", now)
        for i in range(int(sys.argv[2]))]
db.executemany("INSERT INTO feed_tokens (token_hash, plan_id, audience, label, created_at) "
               "VALUES (?, ?, ?, ?, ?)", rows)
db.commit()
PY
person_secret=$("$plancal" feed token create --config "$work/roster.yaml" --plan mandagsseminar-2024 \
  --audience person:p00001 | sed -n 's/^secret: *//p')
start_started=$(date +%s.%N)
start_plancal "$work/roster.yaml" "$work/roster.err"
start_seconds=$(awk -v a="$start_started" -v b="$(date +%s.%N)" 'BEGIN { printf "%.2f", b - a }')
person_url="http://127.0.0.1:$serve_port/feeds/$person_secret.ics"
wait_for_pages "$work/roster.err" 1
old_etag=$(curl -sS -D - -o /dev/null "$person_url" | etag_of)
rss_before=$(awk '/^VmRSS:/ { print $2 }' "/proc/$serve_pid/status")

# BENCH_CHANGES plan changes in a row (the topic of meeting 10, which every team has, so every
# personal feed changes): for each, the seconds from SIGHUP until the publish and the rebuild of
# every feed are done, and the rebuild's own milliseconds from the server's log. The pages the
# tokens also reach are rendered ahead after the feeds; each change waits for them, so the next
# SIGHUP finds the server idle.
changes=${BENCH_CHANGES:-5}
topic="Ungdomshjernen og omsorgstretthet"
hup_runs=() rebuild_runs=() cpu_runs=()
echo "load average before the changes: $(cut -d' ' -f1-3 /proc/loadavg)"
for run in $(seq 1 "$changes"); do
  new_topic="Omsorgstretthet i praksis $run"
  sed -i "s/topic: \"$topic\"/topic: \"$new_topic\"/" "$work/plans/roster-plan.yaml"
  topic=$new_topic
  pages_before=$(grep -c "pages:" "$work/roster.err")
  cpu_before=$(cpu_seconds "$serve_pid")
  hup_seconds=$(hup_and_wait_for_rebuild "$serve_pid" "$work/roster.err")
  rebuild_line=$(grep "feed catalog:" "$work/roster.err" | tail -1)
  rebuild_ms=$(sed -n 's/.*, \([0-9]*\) ms$/\1/p' <<< "$rebuild_line")
  [[ -n "$rebuild_ms" ]] || { echo "no rebuild time in: $rebuild_line" >&2; exit 1; }
  wait_for_pages "$work/roster.err" $((pages_before + 1))
  cpu_change=$(awk -v a="$cpu_before" -v b="$(cpu_seconds "$serve_pid")" 'BEGIN { printf "%.2f", b - a }')
  new_etag=$(curl -sS -D - -o /dev/null "$person_url" | etag_of)
  [[ "$new_etag" != "$old_etag" ]] || { echo "the personal feed did not change" >&2; exit 1; }
  curl -sS -o "$work/person.ics" "$person_url"
  grep -q "$topic" "$work/person.ics" || { echo "the new topic is not in the feed" >&2; exit 1; }
  old_etag=$new_etag
  echo "change $run of $changes: SIGHUP until publish and rebuild done ${hup_seconds} s" \
    "(server CPU for the whole change, pages included: ${cpu_change} s); ${rebuild_line#* info }"
  hup_runs+=("$hup_seconds")
  cpu_runs+=("$cpu_change")
  rebuild_runs+=("$(awk -v ms="$rebuild_ms" 'BEGIN { printf "%.3f", ms / 1000 }')")
done
echo "load average after the changes: $(cut -d' ' -f1-3 /proc/loadavg)"
sleep 2  # plancal gives the freed memory back a moment (1 s) after the last change
rss_after=$(awk '/^VmRSS:/ { print $2 }' "/proc/$serve_pid/status")
feeds=$(curl -sS "http://127.0.0.1:$serve_port/metrics" | grep -c '^plancal_feed_events{')
stop_plancal

echo
echo "== results =="
echo "rounds=$rounds (best of each; all: plancal 200 ${p200[*]}; nginx 200 ${n200[*]}; plancal 304 ${p304[*]}; nginx 304 ${n304[*]})"
echo "feed_200_plancal_rps=$plancal_200"
echo "feed_200_nginx_rps=$nginx_200"
echo "feed_200_ratio_plancal_over_nginx=$(ratio "$plancal_200" "$nginx_200")"
echo "feed_304_plancal_rps=$plancal_304"
echo "feed_304_nginx_rps=$nginx_304"
echo "feed_304_ratio_plancal_over_nginx=$(ratio "$plancal_304" "$nginx_304")"
echo "roster_people=$people"
echo "roster_feeds_served=$feeds"
echo "roster_start_publish_and_build_seconds=$start_seconds"
echo "roster_changes=$changes (median [min–max] over them; load average now $(cut -d' ' -f1-3 /proc/loadavg))"
echo "roster_sighup_publish_and_rebuild_seconds=$(summary "${hup_runs[@]}") (all: ${hup_runs[*]})"
echo "roster_server_cpu_seconds_whole_change_pages_included=$(summary "${cpu_runs[@]}") (user + system, every thread; all: ${cpu_runs[*]})"
echo "roster_rebuild_in_the_server_log_seconds=$(summary "${rebuild_runs[@]}") (all: ${rebuild_runs[*]})"
echo "roster_vmrss_kb_before_change=$rss_before"
echo "roster_vmrss_kb_after_last_change_and_pages=$rss_after (goal: at most 120 MB)"
