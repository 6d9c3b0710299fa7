#!/usr/bin/env bash
# Sign-up page benchmark (issue 17), in one run on loopback: wrk against `plancal serve`
# serving the public sign-up page of seed 003 (GET /pamelding/dybdemoter-2021/dybdemote, the
# plan's dates moved from 2021 to 2032 so the form is open on the real clock, as in
# tests/integration/signup_page_test.cpp) and against nginx serving the bytes of one of its
# answers as a static file, with the same threads, connections and duration; BENCH_ROUNDS
# rounds with the sides alternating: requests/s of each (best round) and the ratio
# plancal/nginx.
#
# The sign-up page cannot be cached, and no two of its answers are the same: a GET without
# the CSRF cookie (a first visit; wrk keeps no cookies) gets a new per-visitor secret in a
# Set-Cookie (double submit) and the form's token, HMAC-SHA256 of that secret, in the page,
# with Cache-Control: no-store. The page itself is rendered once per change of what it shows
# (web/signup_page.h): each GET asks SQLite whether another connection committed
# (data_version) and otherwise puts its token into the page rendered at the last change.
# That is what a real client gets, so that is what is measured. nginx sends the same headers
# and one fixed cookie of the same length, so both sides answer with the same number of bytes.
# A third side, plancal answering a returning browser (wrk sends one fixed cookie: no new
# secret, no Set-Cookie), shows what the fresh secret costs.
#
# Not measured: POST throughput. A valid POST needs a cookie and its token (a fixed pair
# would do: the token stays valid for its cookie), and each one stores a registration and
# sends a mail, so a wrk run would measure the SMTP server; the per-client-address limit on
# sign-up posts (signup.rate_limit, default 20 per 10 minutes) would also have to be raised.
#
# No thresholds: it reports; it fails only when a side does not run or answers wrongly.
#
# usage: run_signup_bench.sh PLANCAL_BINARY SOURCE_DIR
# environment: BENCH_THREADS (2), BENCH_CONNECTIONS (64), BENCH_DURATION (10s),
#              BENCH_ROUNDS (3, best round of each side counts),
#              BENCH_KEEP_DIR (keep the work folder there)
set -euo pipefail
bench_name=signup
# shellcheck source=tests/bench/wrk_common.sh
source "$(dirname "$0")/wrk_common.sh"

page_path=/pamelding/dybdemoter-2021/dybdemote
cookie_name=pamelding_csrf

echo "== setup: seed 003 moved to 2032, its sign-up page =="
mkdir -p "$work/plans"
sed 's/2021-/2032-/g' "$source_dir/config/plans/dybdemoter-2021.yaml" > "$work/plans/dybdemoter.yaml"
cat > "$work/plancal.yaml" <<CONFIG
plans: [plans/dybdemoter.yaml]
database: var/plancal.db
CONFIG
"$plancal" publish --config "$work/plancal.yaml" > /dev/null
start_plancal "$work/plancal.yaml" "$work/serve.err"
plancal_url="http://127.0.0.1:$serve_port$page_path"

# The value of the CSRF cookie a header dump (file $1) sets; empty when it sets none.
cookie_of() { sed -n "s/^Set-Cookie: *$cookie_name=\([0-9a-f]*\);.*\r\$/\1/Ip" "$1"; }
# The CSRF token in the form of a page (file $1).
token_of() { sed -n 's/.*name="csrf" value="\([0-9a-f]*\)".*/\1/p' "$1"; }

curl -sS -D "$work/plancal.headers" -o "$work/page.html" "$plancal_url"
grep -q "Påmeldingsfrist: torsdag 26. august 2032" "$work/page.html"
grep -q 'name="csrf"' "$work/page.html"
cookie=$(cookie_of "$work/plancal.headers")
[[ ${#cookie} == 64 ]] || { echo "no CSRF cookie in the first answer" >&2; exit 1; }
curl -sS -D "$work/again.headers" -o "$work/again.html" "$plancal_url"
[[ $(cookie_of "$work/again.headers") != "$cookie" && $(token_of "$work/again.html") != $(token_of "$work/page.html") ]] ||
  { echo "two first visits got the same CSRF secret" >&2; exit 1; }
curl -sS -D "$work/returning.headers" -o "$work/returning.html" \
  -H "Cookie: $cookie_name=$cookie" "$plancal_url"
[[ -z $(cookie_of "$work/returning.headers") ]] ||
  { echo "a returning browser got a new CSRF cookie" >&2; exit 1; }
cmp "$work/page.html" "$work/returning.html"  # its cookie's token: the same bytes

start_static_nginx "$page_path" "$work/page.html" \
  '  default_type "text/html; charset=utf-8";
  etag off;' \
  "    add_header Content-Security-Policy \"default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'\";
    add_header Referrer-Policy \"no-referrer\";
    add_header X-Content-Type-Options \"nosniff\";
    add_header X-Frame-Options \"DENY\";
    add_header Cache-Control \"no-store\";
    add_header Set-Cookie \"$cookie_name=$cookie; Path=/pamelding/; HttpOnly; SameSite=Strict\";"
curl -sS -D "$work/nginx.headers" -o "$work/nginx.html" "$nginx_url"
cmp "$work/page.html" "$work/nginx.html"
[[ $(cookie_of "$work/nginx.headers") == "$cookie" ]]

page_bytes=$(wc -c < "$work/page.html")
echo "page: $page_bytes bytes; headers: plancal $(wc -c < "$work/plancal.headers")," \
  "nginx $(wc -c < "$work/nginx.headers") bytes;" \
  "wrk -t$threads -c$connections -d$duration; $(nproc) CPU(s) shared by wrk and the server"
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
first_visit=() static=() returning=()
for round in $(seq 1 "$rounds"); do
  echo "== round $round: plancal, first visit (a new CSRF cookie each) =="
  first_visit+=("$(wrk_rate "$plancal_url")")
  echo "== round $round: nginx, the same bytes as a static file =="
  static+=("$(wrk_rate "$nginx_url")")
  echo "== round $round: plancal, returning browser (one fixed CSRF cookie) =="
  returning+=("$(wrk_rate "$plancal_url" -H "Cookie: $cookie_name=$cookie")")
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
stop_plancal

plancal_first=$(best "${first_visit[@]}")
nginx_static=$(best "${static[@]}")
plancal_returning=$(best "${returning[@]}")
echo
echo "== results =="
echo "rounds=$rounds (best of each; all: plancal first visit ${first_visit[*]};" \
  "nginx ${static[*]}; plancal returning ${returning[*]})"
echo "signup_page_bytes=$page_bytes"
echo "signup_get_first_visit_plancal_rps=$plancal_first"
echo "signup_get_nginx_static_rps=$nginx_static"
echo "signup_get_first_visit_ratio_plancal_over_nginx=$(ratio "$plancal_first" "$nginx_static")"
echo "signup_get_returning_plancal_rps=$plancal_returning"
echo "signup_get_returning_ratio_plancal_over_nginx=$(ratio "$plancal_returning" "$nginx_static")"
echo "signup_post=not measured (each post stores a registration and mails its contact; see the header)"
