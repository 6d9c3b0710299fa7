#!/usr/bin/env bash
# Feed server benchmark, in one run on loopback:
#  1. wrk against `plancal serve` serving the team-A feed of the seed-000 plan, and against
#     nginx serving the same bytes as a static file, with the same threads, connections and
#     duration: requests/s for 200 and for 304 (If-None-Match), and the ratio plancal/nginx.
#  2. A 5,000-person roster with one personal feed token each: the time from SIGHUP (publish
#     + rebuild of every personal feed) after one plan change until the new catalog is served,
#     and the server's resident memory (VmRSS).
# No thresholds: it reports; it fails only when a side does not run or answers wrongly.
#
# usage: run_feed_bench.sh PLANCAL_BINARY SOURCE_DIR
# environment: BENCH_THREADS (2), BENCH_CONNECTIONS (64), BENCH_DURATION (10s),
#              BENCH_ROUNDS (3: plancal and nginx alternate, the best round of each counts,
#              which damps the noise of a shared machine), BENCH_PEOPLE (5000),
#              BENCH_KEEP_DIR (keep the work folder there)
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
old_etag=$(curl -sS -D - -o /dev/null "$person_url" | etag_of)
rss_before=$(awk '/^VmRSS:/ { print $2 }' "/proc/$serve_pid/status")

sed -i 's/topic: "Ungdomshjernen og omsorgstretthet"/topic: "Omsorgstretthet i praksis"/' \
  "$work/plans/roster-plan.yaml"
hup_seconds=$(hup_and_wait_for_rebuild "$serve_pid" "$work/roster.err")
new_etag=$(curl -sS -D - -o /dev/null "$person_url" | etag_of)
[[ "$new_etag" != "$old_etag" ]] || { echo "the personal feed did not change" >&2; exit 1; }
rebuild_line=$(grep "feed catalog:" "$work/roster.err" | tail -1)
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
echo "roster_sighup_publish_and_rebuild_seconds=$hup_seconds"
echo "roster_rebuild_log: ${rebuild_line#*] }"
echo "roster_vmrss_kb_before_change=$rss_before"
echo "roster_vmrss_kb_after_rebuild=$rss_after"
