#!/usr/bin/env bash
# Register page benchmark: a leader with 40 people reporting to her, all scheduled for Team A's
# meeting 1 of seed 000 (mandag 15. januar 2024), in one run on loopback.
#  1. The leader signs in as a person would: the sign-in form, the link that arrives at a real
#     SMTP server (tests/integration/smtp_sink.py on aiosmtpd), the session cookie.
#  2. wrk GET /oppmote/<plan>/<date> with that cookie against `plancal serve` (each request
#     resumes the session in the database, reads the registers and the audit trail and renders
#     41 rows), and against nginx serving the same bytes as a static file, with the same
#     threads, connections and duration, rounds alternating sides; requests/s and the ratio
#     plancal/nginx.
#  3. One POST saving 40 statuses and notes (every row changes, so 40 registrations and 40
#     audit rows are written in one transaction), BENCH_POSTS times (median and min–max).
#     Anchor: the GET of the same page timed the same way (one curl request on a fresh
#     connection, the same number of times, alternating with the POSTs). The POST does what the
#     GET does up to the rendering (the session, the plan, the registers) and then validates the
#     form and writes, and answers a 303 instead of the page; so POST/GET says what saving a
#     whole team costs next to looking at it, the way a leader feels it. nginx's time for the
#     same bytes is printed beside them as the floor of one request. The page grows by 40
#     audit lines a save, as a real one does, so the later GETs render more than the first.
# No thresholds: it reports; it fails only when a side does not run or answers wrongly.
#
# usage: run_register_bench.sh PLANCAL_BINARY SOURCE_DIR
# environment: BENCH_THREADS (2), BENCH_CONNECTIONS (64), BENCH_DURATION (10s),
#              BENCH_ROUNDS (3, best round of each side counts), BENCH_POSTS (9),
#              BENCH_KEEP_DIR (keep the work folder there)
set -euo pipefail
bench_name=register
# shellcheck source=tests/bench/wrk_common.sh
source "$(dirname "$0")/wrk_common.sh"

team_size=40
posts=${BENCH_POSTS:-9}
plan_id=mandagsseminar-2024
register_path="/oppmote/$plan_id/2024-01-15"

echo "== setup: seed 000, a leader with $team_size people on Team A, a real SMTP server =="
mkdir -p "$work/plans" "$work/mail"
cp "$source_dir/config/plans/mandagsseminar-2024.yaml" "$work/plans/"
{
  echo "id,name,email,team,leader,reports_to,roles"
  echo "ingrid.haug,Ingrid Haug,ingrid.haug@example.no,A,yes,,"
  for i in $(seq -w 1 "$team_size"); do
    echo "ansatt.$i,Ansatt Nummer $i,ansatt.$i@example.no,A,no,ingrid.haug,"
  done
  echo "henrik.solberg,Henrik Solberg,henrik.solberg@example.no,B,yes,,"
  echo "silje.moen,Silje Moen,silje.moen@example.no,C,yes,,"
} > "$work/plans/roster-milepaelen.csv"

smtp_port=$(free_port)
"$python" "$source_dir/tests/integration/smtp_sink.py" --port "$smtp_port" --dir "$work/mail" \
  > "$work/smtp.log" 2>&1 &
pids+=("$!")
cat > "$work/plancal.yaml" <<CONFIG
plans: [plans/mandagsseminar-2024.yaml]
database: var/plancal.db
feeds:
  public_url: https://kalender.example.no
smtp:
  url: smtp://127.0.0.1:$smtp_port
  from: kalender@milepaelen.example.no
  starttls: never
CONFIG
"$plancal" publish --config "$work/plancal.yaml" > /dev/null
start_plancal "$work/plancal.yaml" "$work/serve.err"
base="http://127.0.0.1:$serve_port"

# Sign-in: ask for a link (the SMTP server may still be starting: ask again until a mail
# comes, at most a few times, under the limit of mails per address), follow it, keep the cookie.
link=""
for _ in 1 2 3; do
  [[ $(curl -sS -o /dev/null -w '%{http_code}' --data-raw "epost=ingrid.haug%40example.no" \
    "$base/logg-inn") == 200 ]]
  for _ in $(seq 1 100); do
    ls "$work/mail"/*.json > /dev/null 2>&1 && break
    sleep 0.1
  done
  link=$("$python" "$source_dir/tests/integration/smtp_mailbox.py" "$work/mail" |
    grep -o 'https://kalender\.example\.no/logg-inn/[A-Za-z0-9_-]\{43\}' | tail -1 | sed 's#.*/##')
  [[ -n "$link" ]] && break
done
[[ -n "$link" ]] || { echo "no sign-in link arrived; see $work/smtp.log" >&2; exit 1; }
session=$(curl -sS -o /dev/null -D - --data-raw "" "$base/logg-inn/$link" |
  sed -n 's/^Set-Cookie: plancal_okt=\([A-Za-z0-9_-]\{43\}\);.*/\1/Ip')
[[ -n "$session" ]] || { echo "signing in gave no session cookie" >&2; exit 1; }
cookie="Cookie: plancal_okt=$session"

page_url="$base$register_path"
curl -sS -H "$cookie" -o "$work/page.html" "$page_url"
rows=$(grep -c 'name="versjon:' "$work/page.html")
[[ $rows == $((team_size + 1)) ]] ||
  { echo "the register shows $rows rows, not $((team_size + 1))" >&2; exit 1; }

start_static_nginx "$register_path" "$work/page.html" \
  '  default_type "text/html; charset=utf-8";' \
  '    add_header Cache-Control "no-store";
    add_header X-Content-Type-Options "nosniff";'

echo "page: $(wc -c < "$work/page.html") bytes, $rows rows;" \
  "wrk -t$threads -c$connections -d$duration; $(nproc) CPU(s) shared by wrk and the server"
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
get_plancal=() get_nginx=()
for round in $(seq 1 "$rounds"); do
  echo "== round $round: GET the register =="
  get_plancal+=("$(wrk_rate "$page_url" -H "$cookie")")
  get_nginx+=("$(wrk_rate "$nginx_url")")
done
plancal_rps=$(best "${get_plancal[@]}") nginx_rps=$(best "${get_nginx[@]}")
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"

# The form a browser posts for save $1: the page's CSRF token and each row's version, and for
# the 40 people a status and a note that differ from the save before (the leader's own row is
# left as it is).
form_for_save() {
  local page=$1 n=$2 statuses=(attended late excused absent)
  local csrf
  # The register form's own token (the sign-out form above it has another).
  csrf=$(awk -v form="action=\"$register_path\"" 'index($0, form) { getline; print; exit }' "$page" |
    sed -n 's/.*name="csrf" value="\([0-9a-f]\{64\}\)".*/\1/p')
  [[ -n "$csrf" ]] || { echo "no CSRF token in the register form" >&2; exit 1; }
  printf 'csrf=%s' "$csrf"
  grep -o 'name="versjon:ansatt\.[0-9]*" value="[0-9]*"' "$page" |
    sed 's/name="versjon:\(ansatt\.[0-9]*\)" value="\([0-9]*\)"/\1 \2/' |
    while read -r id version; do
      local status=${statuses[$(((10#${id#ansatt.} + n) % 4))]}
      printf '&status%%3A%s=%s&notat%%3A%s=Lagring+%s&versjon%%3A%s=%s' \
        "$id" "$status" "$id" "$n" "$id" "$version"
    done
}

echo "== $posts saves of $team_size statuses, each beside a GET of the page and nginx's copy =="
post_seconds=() get_seconds=() nginx_seconds=()
for n in $(seq 1 "$posts"); do
  curl -sS -H "$cookie" -o "$work/before.html" "$page_url"
  form_for_save "$work/before.html" "$n" > "$work/form.txt"
  answer=$(curl -sS -H "$cookie" -o /dev/null -w '%{http_code} %{time_total}' \
    --data-binary "@$work/form.txt" "$page_url")
  [[ ${answer% *} == 303 ]] || { echo "save $n answered ${answer% *}" >&2; exit 1; }
  post_seconds+=("${answer#* }")
  get_seconds+=("$(curl -sS -H "$cookie" -o "$work/after.html" -w '%{time_total}' "$page_url")")
  nginx_seconds+=("$(curl -sS -o /dev/null -w '%{time_total}' "$nginx_url")")
  # Each save is kept: every one of the 40 rows shows its note.
  saved=$(grep -c "value=\"Lagring $n\"" "$work/after.html")
  [[ $saved == "$team_size" ]] || { echo "save $n: $saved of $team_size notes kept" >&2; exit 1; }
done
stop_plancal

# median and min–max of the seconds given, in milliseconds: "1.23 [1.01–1.50]"
summary_ms() {
  printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 * 1000 } END {
    m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
    printf "%.2f [%.2f–%.2f]", m, v[1], v[NR] }'
}
median() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END {
  print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

echo
echo "== results =="
echo "rounds=$rounds (best of each; all: plancal ${get_plancal[*]}; nginx ${get_nginx[*]})"
echo "register_rows=$rows (the leader and $team_size people)"
echo "register_page_bytes=$(wc -c < "$work/page.html")"
echo "register_get_plancal_rps=$plancal_rps"
echo "register_get_nginx_rps=$nginx_rps"
echo "register_get_ratio_plancal_over_nginx=$(ratio "$plancal_rps" "$nginx_rps")"
echo "register_saves=$posts (median [min–max], ms, one curl request each)"
echo "register_post_40_statuses_ms=$(summary_ms "${post_seconds[@]}")"
echo "register_get_same_page_ms=$(summary_ms "${get_seconds[@]}")"
echo "register_nginx_same_bytes_ms=$(summary_ms "${nginx_seconds[@]}")"
echo "register_post_over_get_ratio=$(ratio "$(median "${post_seconds[@]}")" "$(median "${get_seconds[@]}")")"
