#!/usr/bin/env bash
# Runs the expand+render benchmark and its python3-icalendar anchor in one run, on the same
# events, and prints both figures and their ratio. No thresholds: it reports, it never fails on
# speed (it fails only when a side does not run or produces the wrong number of events).
#
# usage: run_expand_bench.sh PLANCAL_BENCH_EXPAND [ICALENDAR_ANCHOR_PY]
# environment: BENCH_OCCURRENCES (default 100000), BENCH_TEAMS (100), BENCH_REPEAT (1),
#              BENCH_KEEP_DIR (keep the JSON and both .ics files there instead of a temp dir)
set -euo pipefail

bench=${1:?usage: run_expand_bench.sh PLANCAL_BENCH_EXPAND [ICALENDAR_ANCHOR_PY]}
anchor=${2:-"$(dirname "$0")/icalendar_anchor.py"}
python=/usr/bin/python3  # Debian's interpreter: it sees python3-icalendar
occurrences=${BENCH_OCCURRENCES:-100000}
teams=${BENCH_TEAMS:-100}
repeat=${BENCH_REPEAT:-1}

if [[ -n "${BENCH_KEEP_DIR:-}" ]]; then
  work=$BENCH_KEEP_DIR
  mkdir -p "$work"
else
  work=$(mktemp -d "${TMPDIR:-/tmp}/plancal-bench.XXXXXX")
  trap 'rm -rf "$work"' EXIT
fi

echo "== plancal: expand_plan + render_calendar ($occurrences occurrences) =="
"$bench" --occurrences "$occurrences" --teams "$teams" --repeat "$repeat" \
  --json "$work/events.json" --ics "$work/plancal.ics" | tee "$work/plancal.txt"

echo "== python3-icalendar: build + to_ical of the same events =="
"$python" "$anchor" "$work/events.json" --ics "$work/python.ics" --repeat "$repeat" \
  | tee "$work/python.txt"

value() { sed -n "s/^$1=//p" "$2"; }
p_events=$(value plancal_events "$work/plancal.txt")
p_vevents=$(value plancal_vevents "$work/plancal.txt")
p_seconds=$(value plancal_seconds "$work/plancal.txt")
p_cpu=$(value plancal_cpu_seconds "$work/plancal.txt")
p_rss=$(value plancal_peak_rss_kb "$work/plancal.txt")
y_events=$(value python_events "$work/python.txt")
y_vevents=$(value python_vevents "$work/python.txt")
y_seconds=$(value python_seconds "$work/python.txt")
y_cpu=$(value python_cpu_seconds "$work/python.txt")
y_rss=$(value python_peak_rss_kb "$work/python.txt")

if [[ "$p_events" != "$occurrences" || "$p_vevents" != "$occurrences" ||
      "$y_events" != "$occurrences" || "$y_vevents" != "$occurrences" ]]; then
  echo "event counts differ: plancal $p_events/$p_vevents, python $y_events/$y_vevents," \
       "wanted $occurrences" >&2
  exit 1
fi

echo "== summary =="
awk -v pe="$p_events" -v ps="$p_seconds" -v pc="$p_cpu" -v pm="$p_rss" \
    -v ys="$y_seconds" -v yc="$y_cpu" -v ym="$y_rss" 'BEGIN {
  printf "events:                      %d\n", pe
  printf "plancal expand+render:       %.3f s wall, %.3f s CPU  (%d events/s wall, %d events/s CPU; peak RSS %.1f MiB)\n", ps, pc, pe / ps, pe / pc, pm / 1024
  printf "python3-icalendar build+ser: %.3f s wall, %.3f s CPU  (%d events/s wall, %d events/s CPU; peak RSS %.1f MiB)\n", ys, yc, pe / ys, pe / yc, ym / 1024
  printf "ratio plancal/python time:   %.4f wall, %.4f CPU  (plancal %.1fx / %.1fx the events/s of python3-icalendar)\n", ps / ys, pc / yc, ys / ps, yc / pc
}'
