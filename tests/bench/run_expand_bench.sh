#!/usr/bin/env bash
# Runs the expand+render benchmark and its python3-icalendar anchor in one run, on the same
# events, and prints both figures and their ratio. No thresholds: it reports, it never fails on
# speed (it fails only when a side does not run or produces the wrong number of events).
# plancal's side takes seconds, the anchor's a minute: plancal runs BENCH_PLANCAL_RUNS times,
# half before the anchor and half after, and its median [min–max] is compared.
#
# usage: run_expand_bench.sh PLANCAL_BENCH_EXPAND [ICALENDAR_ANCHOR_PY]
# environment: BENCH_OCCURRENCES (default 100000), BENCH_TEAMS (100), BENCH_REPEAT (1),
#              BENCH_PLANCAL_RUNS (6), BENCH_KEEP_DIR (keep the JSON and both .ics files
#              there instead of a temp dir)
set -euo pipefail

bench=${1:?usage: run_expand_bench.sh PLANCAL_BENCH_EXPAND [ICALENDAR_ANCHOR_PY]}
anchor=${2:-"$(dirname "$0")/icalendar_anchor.py"}
python=/usr/bin/python3  # Debian's interpreter: it sees python3-icalendar
occurrences=${BENCH_OCCURRENCES:-100000}
teams=${BENCH_TEAMS:-100}
repeat=${BENCH_REPEAT:-1}
runs=${BENCH_PLANCAL_RUNS:-6}

if [[ -n "${BENCH_KEEP_DIR:-}" ]]; then
  work=$BENCH_KEEP_DIR
  mkdir -p "$work"
else
  work=$(mktemp -d "${TMPDIR:-/tmp}/plancal-bench.XXXXXX")
  trap 'rm -rf "$work"' EXIT
fi

plancal_run() {  # one run of plancal's side; its key=value lines go to plancal.N.txt
  local n=$1 json=()
  [[ $n == 1 ]] && json=(--json "$work/events.json")
  echo "== plancal run $n/$runs: render_plan_calendar_to ($occurrences occurrences) =="
  "$bench" --occurrences "$occurrences" --teams "$teams" --repeat "$repeat" "${json[@]}" \
    --ics "$work/plancal.ics" | tee "$work/plancal.$n.txt"
}

first_half=$(( (runs + 1) / 2 ))
for (( n = 1; n <= first_half; n++ )); do plancal_run "$n"; done
cp "$work/plancal.1.txt" "$work/plancal.txt"

echo "== python3-icalendar: build + to_ical of the same events =="
"$python" "$anchor" "$work/events.json" --ics "$work/python.ics" --repeat "$repeat" \
  | tee "$work/python.txt"

for (( n = first_half + 1; n <= runs; n++ )); do plancal_run "$n"; done

value() { sed -n "s/^$1=//p" "$2"; }
p_events=$(value plancal_events "$work/plancal.txt")
p_vevents=$(value plancal_vevents "$work/plancal.txt")
# The median and range of one key over plancal's runs: "median min max".
spread() {
  local key=$1
  for (( n = 1; n <= runs; n++ )); do value "$key" "$work/plancal.$n.txt"; done | sort -g |
    awk '{ v[NR] = $1 } END { m = NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2;
                             print m, v[1], v[NR] }'
}
read -r p_seconds p_seconds_min p_seconds_max < <(spread plancal_seconds)
read -r p_cpu p_cpu_min p_cpu_max < <(spread plancal_cpu_seconds)
read -r p_rss p_rss_min p_rss_max < <(spread plancal_peak_rss_kb)
p_bytes=$(value plancal_ics_bytes "$work/plancal.txt")
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
awk -v pe="$p_events" -v ps="$p_seconds" -v pc="$p_cpu" -v pm="$p_rss" -v pb="$p_bytes" \
    -v ps0="$p_seconds_min" -v ps1="$p_seconds_max" -v pc0="$p_cpu_min" -v pc1="$p_cpu_max" \
    -v pm0="$p_rss_min" -v pm1="$p_rss_max" -v runs="$runs" \
    -v ys="$y_seconds" -v yc="$y_cpu" -v ym="$y_rss" 'BEGIN {
  printf "events:                      %d\n", pe
  printf "plancal expand+render:       median of %d runs %.3f s wall [%.3f-%.3f], %.3f s CPU [%.3f-%.3f]  (%d events/s wall, %d events/s CPU)\n", runs, ps, ps0, ps1, pc, pc0, pc1, pe / ps, pe / pc
  printf "plancal peak RSS:            %.1f MiB [%.1f-%.1f] for %.1f MiB written (%.2fx the bytes)\n", pm / 1024, pm0 / 1024, pm1 / 1024, pb / 1048576, pm * 1024 / pb
  printf "python3-icalendar build+ser: %.3f s wall, %.3f s CPU  (%d events/s wall, %d events/s CPU; peak RSS %.1f MiB)\n", ys, yc, pe / ys, pe / yc, ym / 1024
  printf "ratio plancal/python time:   %.4f wall, %.4f CPU  (plancal %.1fx / %.1fx the events/s of python3-icalendar)\n", ps / ys, pc / yc, ys / ps, yc / pc
}'
