#!/bin/sh
# Builds every libFuzzer target (tests/fuzz/fuzz_<name>.cpp) with clang, ASan and UBSan in
# build-fuzz/, then runs each for a bounded time. Fails when any target finds a crash, a leak,
# a timeout (one input taking over 10 s) or an input needing over 2 GB.
#
# Usage: tests/fuzz/run-fuzzers.sh [SECONDS] [NAME...]
#   SECONDS  how long each target runs (default 60; CI runs 20)
#   NAME     only these targets (plan_loader, config_loader, ...); default every one
#
# A target's seed corpus is what tests/fuzz/<name>.seeds lists (globs relative to the
# repository; lines starting with "-" are libFuzzer options such as -dict=FILE) plus the
# files in tests/fuzz/corpus/<name>/, when either exists; without them the target starts
# from nothing.
# Seeds are copied into build-fuzz/corpus/<name>/, so what the fuzzer learns stays out of the
# repository. A crashing input is kept as build-fuzz/artifacts/<name>/crash-*: run the target
# on it to see the report, then make it a regression file in tests/data/bad/ with a test.
set -eu
cd "$(dirname "$0")/../.."

seconds=${1:-60}
[ $# -gt 0 ] && shift

# PLANCAL_FUZZ_BUILD names a build folder configured with -DPLANCAL_FUZZ=ON already (CI's
# sanitizer build, which also runs the unit tests); otherwise build-fuzz/ is made here.
build=${PLANCAL_FUZZ_BUILD:-build-fuzz}
if [ ! -f "$build/CMakeCache.txt" ]; then
  launcher=""
  if command -v ccache >/dev/null 2>&1; then launcher="-DCMAKE_CXX_COMPILER_LAUNCHER=ccache"; fi
  # shellcheck disable=SC2086
  cmake -S . -B "$build" -G Ninja -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_BUILD_TYPE= \
    -DPLANCAL_FUZZ=ON -DPLANCAL_TESTS=OFF $launcher >/dev/null
fi
if ! grep -q '^PLANCAL_FUZZ:BOOL=ON' "$build/CMakeCache.txt"; then
  echo "$build was not configured with -DPLANCAL_FUZZ=ON (clang): no fuzzers there" >&2
  exit 2
fi
cmake --build "$build" --target fuzzers

if [ $# -gt 0 ]; then
  names="$*"
else
  names=$(for source in tests/fuzz/fuzz_*.cpp; do basename "$source" .cpp | sed 's/^fuzz_//'; done)
fi

export ASAN_OPTIONS="detect_leaks=1"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"

failed=""
summary=""
for name in $names; do
  corpus="$build/corpus/$name"
  artifacts="$build/artifacts/$name"
  rm -rf "$corpus" && mkdir -p "$corpus" "$artifacts"
  options=""
  if [ -f "tests/fuzz/$name.seeds" ]; then
    while read -r line; do
      case "$line" in
        "" | "#"*) ;;
        -*) options="$options $line" ;;
        *) for seed in $line; do
          # named by its path: config/plancal.yaml and packaging/plancal.yaml are two seeds
          if [ -f "$seed" ]; then cp "$seed" "$corpus/$(echo "$seed" | tr / _)"; fi
        done ;;
      esac
    done <"tests/fuzz/$name.seeds"
  fi
  if [ -d "tests/fuzz/corpus/$name" ]; then cp "tests/fuzz/corpus/$name"/* "$corpus/" 2>/dev/null || true; fi

  echo "== fuzz_$name: $seconds s from $(ls "$corpus" | wc -l) seeds"
  log="$build/fuzz_$name.log"
  # shellcheck disable=SC2086
  if "$build/tests/fuzz/fuzz_$name" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
    -malloc_limit_mb=2048 -print_final_stats=1 -artifact_prefix="$artifacts/" $options \
    "$corpus" >"$log" 2>&1; then
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
    summary="$summary
fuzz_$name: $runs runs in $seconds s, nothing found"
  else
    tail -n 60 "$log"
    failed="$failed fuzz_$name"
    summary="$summary
fuzz_$name: FAILED (log $log; input in $artifacts/)"
  fi
done

echo "== fuzzing summary$summary"
if [ -n "$failed" ]; then
  echo "fuzzing found problems in:$failed" >&2
  exit 1
fi
