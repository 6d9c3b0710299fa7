#!/usr/bin/env bash
# Personal page benchmark, in one run on loopback:
#  1. wrk against `plancal serve` serving the personal page (/p/<token>) of a person with about
#     100 events (seed 000 plus a weekly plan for the person's team), and against nginx serving
#     the same bytes as a static file, with the same threads, connections and duration:
#     requests/s for 200 and for 304 (If-None-Match), and the ratio plancal/nginx.
#  2. A 5,000-person roster with one personal token (no plan) each, BENCH_CHANGES plan changes
#     in a row (5; median and min–max printed): for each, the time from SIGHUP until the
#     publish, the rebuild of every personal feed and the rendering ahead of every personal
#     page are done (the server logs each part's milliseconds: "feed catalog: …" and
#     "pages: …"), and then the time to fetch every person's page once (the first request
#     fills the link's secret into the page rendered ahead), checking each feed and page
#     shows the change. Beside it, in the same run, the floor of that fetch: the same client
#     fetching the 5,000 feeds, already in memory. VmRSS of `plancal serve` before the first
#     change and after the last.
# No thresholds: it reports; it fails only when a side does not run or answers wrongly.
#
# usage: run_page_bench.sh PLANCAL_BINARY SOURCE_DIR
# environment: BENCH_THREADS (2), BENCH_CONNECTIONS (64), BENCH_DURATION (10s),
#              BENCH_ROUNDS (3, best round of each side counts), BENCH_PEOPLE (5000),
#              BENCH_CHANGES (5),
#              BENCH_KEEP_DIR (keep the work folder there)
set -euo pipefail
bench_name=page
# shellcheck source=tests/bench/wrk_common.sh
source "$(dirname "$0")/wrk_common.sh"

echo "== setup: seed 000 and a weekly plan for team A; Sindre Lunde's personal page =="
mkdir -p "$work/plans"
cp "$source_dir/config/plans/mandagsseminar-2024.yaml" \
  "$source_dir/config/plans/roster-milepaelen.csv" "$work/plans/"
cat > "$work/plans/veiledning.yaml" <<'PLAN'
plan: veiledning-a
title: "Kollegaveiledning i team A"
calendar_name: "Kollegaveiledning"
timezone: Europe/Oslo
teams:
  - { key: A, name: Team A }
  - { key: B, name: Team B }
  - { key: C, name: Team C }
roster: roster-milepaelen.csv
weekly:
  - key: veiledning
    title: "Kollegaveiledning i team A"
    audience: [team:A]
    weekday: WE
    time: { start: "13:00", end: "14:00" }
    location: "Møterom 2"
    from: 2026-01-07
    until: 2027-09-29
    topic: "Saker fra uka"
    preparation:
      - "Ta med én sak fra uka."
PLAN
cat > "$work/plancal.yaml" <<CONFIG
plans: [plans/mandagsseminar-2024.yaml, plans/veiledning.yaml]
database: var/plancal.db
CONFIG
"$plancal" publish --config "$work/plancal.yaml" > /dev/null
secret=$("$plancal" feed token create --config "$work/plancal.yaml" \
  --audience person:sindre.lunde | sed -n 's/^secret: *//p')
start_plancal "$work/plancal.yaml" "$work/serve.err"
page_url="http://127.0.0.1:$serve_port/p/$secret"
curl -sS -D "$work/plancal.headers" -o "$work/page.html" "$page_url"
grep -q "Kalender for Sindre Lunde" "$work/page.html"
events=$(curl -sS "http://127.0.0.1:$serve_port/feeds/$secret.ics" | grep -c '^BEGIN:VEVENT')
plancal_etag=$(etag_of "$work/plancal.headers")
[[ $(curl -s -o /dev/null -w '%{http_code}' -H "If-None-Match: $plancal_etag" "$page_url") == 304 ]]

start_static_nginx "/p/$secret" "$work/page.html" \
  '  default_type "text/html; charset=utf-8";' \
  '    add_header Cache-Control "private, no-cache";
    add_header Referrer-Policy "no-referrer";
    add_header X-Content-Type-Options "nosniff";'
curl -sS -D "$work/nginx.headers" -o "$work/nginx.html" "$nginx_url"
cmp "$work/page.html" "$work/nginx.html"
nginx_etag=$(etag_of "$work/nginx.headers")
[[ $(curl -s -o /dev/null -w '%{http_code}' -H "If-None-Match: $nginx_etag" "$nginx_url") == 304 ]]

echo "page: $(wc -c < "$work/page.html") bytes, $events events in the person's feed;" \
  "wrk -t$threads -c$connections -d$duration; $(nproc) CPU(s) shared by wrk and the server"
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
alternate_rounds "$page_url" "$plancal_etag" "$nginx_url" "$nginx_etag"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
stop_plancal

echo "== $people-person roster, a personal token each: one change, every feed and page =="
"$python" - "$work/plans" "$people" <<'PY'
import sys
folder, people = sys.argv[1], int(sys.argv[2])
with open(f"{folder}/roster-bench.csv", "w") as out:
    out.write("id,name,email,team,leader,reports_to,roles\n")
    for i in range(people):
        out.write(f"p{i:05d},Person {i:05d},p{i:05d}@example.no,{'ABC'[i % 3]},no,,\n")
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
# secrets made here as plancal makes them (32 random bytes, base64url), stored as SHA-256.
"$python" - "$work/roster/plancal.db" "$people" "$work/secrets.txt" <<'PY'
import base64, hashlib, os, sqlite3, sys, time
db = sqlite3.connect(sys.argv[1])
now = int(time.time())
secrets = [base64.urlsafe_b64encode(os.urandom(32)).rstrip(b"=").decode()
           for _ in range(int(sys.argv[2]))]
db.executemany("INSERT INTO feed_tokens (token_hash, plan_id, audience, label, created_at) "
               "VALUES (?, NULL, ?, 'bench', ?)",
               [(hashlib.sha256(s.encode()).hexdigest(), f"person:p{i:05d}", now)
                for i, s in enumerate(secrets)])
db.commit()
open(sys.argv[3], "w").write("\n".join(secrets) + "\n")
PY
start_plancal "$work/roster.yaml" "$work/roster.err"
base="http://127.0.0.1:$serve_port"
first_secret=$(head -1 "$work/secrets.txt")
old_etag=$(curl -sS -D - -o /dev/null "$base/feeds/$first_secret.ics" | etag_of)
rss_before=$(awk '/^VmRSS:/ { print $2 }' "/proc/$serve_pid/status")

# Fetches /<prefix><secret><suffix> for every secret, $connections at a time, and checks each
# answer is 200 and holds $3; prints the seconds it took.
fetch_all() {
  "$python" - "$base" "$work/secrets.txt" "$connections" "$1" "$2" "$3" <<'PY'
import concurrent.futures, sys, time, urllib.request
base, secrets_file, workers, prefix, suffix, expect = sys.argv[1:7]
secrets = open(secrets_file).read().split()
def fetch(secret):
    with urllib.request.urlopen(f"{base}{prefix}{secret}{suffix}", timeout=120) as response:
        body = response.read().decode()
        if response.status != 200 or expect not in body:
            raise SystemExit(f"{prefix}…{suffix}: {response.status}, without «{expect}»")
started = time.monotonic()
with concurrent.futures.ThreadPoolExecutor(int(workers)) as pool:
    list(pool.map(fetch, secrets))
print(f"{time.monotonic() - started:.2f}")
PY
}

# median and min–max of the numbers given: "1.23 [1.01–1.50]"
summary() {
  printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END {
    m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
    printf "%.2f [%.2f–%.2f]", m, v[1], v[NR] }'
}

changes=${BENCH_CHANGES:-5}
topic="Ungdomshjernen og omsorgstretthet"
feed_runs=() server_runs=() page_runs=() total_runs=() floor_runs=()
for run in $(seq 1 "$changes"); do
  echo "== change $run of $changes =="
  new_topic="Omsorgstretthet i praksis $run"
  sed -i "s/topic: \"$topic\"/topic: \"$new_topic\"/" "$work/plans/roster-plan.yaml"
  topic=$new_topic
  # The pages are rendered ahead right after the feeds: their log line comes last.
  feed_seconds=$(hup_and_wait_for_rebuild "$serve_pid" "$work/roster.err" "pages:")
  rebuild_line=$(grep "feed catalog:" "$work/roster.err" | tail -1)
  pages_line=$(grep "pages:" "$work/roster.err" | tail -1)
  echo "${rebuild_line#* info }; ${pages_line#* info }"
  feeds_ms=$(sed -n 's/.*, \([0-9]*\) ms$/\1/p' <<< "$rebuild_line")
  pages_ms=$(sed -n 's/.*, \([0-9]*\) ms$/\1/p' <<< "$pages_line")
  [[ -n "$feeds_ms" && -n "$pages_ms" ]] ||
    { echo "no rebuild time in: $rebuild_line / $pages_line" >&2; exit 1; }
  server_ms=$((feeds_ms + pages_ms))
  new_etag=$(curl -sS -D - -o /dev/null "$base/feeds/$first_secret.ics" | etag_of)
  [[ "$new_etag" != "$old_etag" ]] || { echo "the personal feed did not change" >&2; exit 1; }
  old_etag=$new_etag
  pages_seconds=$(fetch_all /p/ "" "$topic")
  floor_seconds=$(fetch_all /feeds/ .ics "END:VCALENDAR")
  echo "publish + feeds + pages ${feed_seconds} s (of which the rendering ${feeds_ms} + ${pages_ms} ms);" \
    "first fetch of every page ${pages_seconds} s; the same fetches of every feed ${floor_seconds} s"
  feed_runs+=("$feed_seconds")
  server_runs+=("$(awk -v ms="$server_ms" 'BEGIN { printf "%.3f", ms / 1000 }')")
  page_runs+=("$pages_seconds")
  floor_runs+=("$floor_seconds")
  total_runs+=("$(awk -v a="$feed_seconds" -v b="$pages_seconds" 'BEGIN { printf "%.3f", a + b }')")
done
rss_after=$(awk '/^VmRSS:/ { print $2 }' "/proc/$serve_pid/status")
stop_plancal

echo
echo "== results =="
echo "rounds=$rounds (best of each; all: plancal 200 ${p200[*]}; nginx 200 ${n200[*]}; plancal 304 ${p304[*]}; nginx 304 ${n304[*]})"
echo "page_events=$events"
echo "page_bytes=$(wc -c < "$work/page.html")"
echo "page_200_plancal_rps=$plancal_200"
echo "page_200_nginx_rps=$nginx_200"
echo "page_200_ratio_plancal_over_nginx=$(ratio "$plancal_200" "$nginx_200")"
echo "page_304_plancal_rps=$plancal_304"
echo "page_304_nginx_rps=$nginx_304"
echo "page_304_ratio_plancal_over_nginx=$(ratio "$plancal_304" "$nginx_304")"
echo "roster_people=$people"
echo "roster_changes=$changes (median [min–max] over them; load average now $(cut -d' ' -f1-3 /proc/loadavg))"
echo "roster_sighup_publish_and_render_every_feed_and_page_seconds=$(summary "${feed_runs[@]}") (all: ${feed_runs[*]})"
echo "roster_rendering_of_every_feed_and_page_in_the_server_log_seconds=$(summary "${server_runs[@]}") (all: ${server_runs[*]}; goal: at most 1 s, aiming at 0.2 s)"
echo "roster_first_fetch_of_every_page_after_the_change_seconds=$(summary "${page_runs[@]}") (all: ${page_runs[*]})"
echo "roster_publish_render_and_fetch_every_page_seconds=$(summary "${total_runs[@]}")"
echo "roster_floor_same_client_fetching_every_feed_from_memory_seconds=$(summary "${floor_runs[@]}") (all: ${floor_runs[*]})"
echo "roster_vmrss_kb_before_first_change=$rss_before"
echo "roster_vmrss_kb_after_last_change_and_pages=$rss_after (goal for the 5,000 feeds: at most 120 MB)"
