#!/bin/bash
# check.sh - build everything and run every test; used by "make check".
#
# Phases: normal build (warnings are errors), unit tests in an
# address/undefined-behaviour sanitizer build, system tests (pytest) against
# the normal build, and a short run of every fuzz target when clang is
# available. Each phase appends "phase<TAB>passed<TAB>failed" to
# build/check-results.tsv, which .ci/run sums up.
set -uo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
BUILD=${BUILD:-build}
ASAN_BUILD=${ASAN_BUILD:-build-asan}
results="$top/$BUILD/check-results.tsv"
status=0

record() {	# phase passed failed
  printf '%s\t%s\t%s\n' "$1" "$2" "$3" >> "$results"
  echo "check: $1: $2 passed, $3 failed"
  [ "$3" -eq 0 ] || status=1
}

meson_counts() {	# build-dir phase: parse meson's testlog summary
  local log="$1/meson-logs/testlog.json" ok fail
  ok=$(grep -c '"result": "OK"' "$log" 2>/dev/null || true)
  fail=$(grep -c -E '"result": "(FAIL|TIMEOUT|ERROR|UNEXPECTEDPASS)"' "$log" 2>/dev/null || true)
  record "$2" "${ok:-0}" "${fail:-0}"
}

# Normal build.
[ -f "$BUILD/build.ninja" ] || meson setup "$BUILD" -Dwerror=true >/dev/null
mkdir -p "$BUILD"
: > "$results"
if ! ninja -C "$BUILD"; then
  record build 0 1
  exit 1
fi
record build 1 0

# Unit tests, normal and sanitized.
meson test -C "$BUILD" --suite unit --print-errorlogs >/dev/null 2>&1
meson_counts "$BUILD" unit

if [ ! -f "$ASAN_BUILD/build.ninja" ]; then
  meson setup "$ASAN_BUILD" -Db_sanitize=address,undefined -Db_lundef=false \
    -Dbuildtype=debug >/dev/null
fi
if ninja -C "$ASAN_BUILD" >/dev/null; then
  ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
  UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
    meson test -C "$ASAN_BUILD" --suite unit --print-errorlogs >/dev/null 2>&1
  meson_counts "$ASAN_BUILD" unit-asan
else
  record unit-asan 0 1
fi

# System tests.
if ls tests/system/test_*.py >/dev/null 2>&1; then
  out=$(POSTEL_BUILD="$top/$BUILD" /usr/bin/python3 -m pytest -q -p no:cacheprovider \
	tests/system 2>&1)
  echo "$out" | tail -n 25
  passed=$(echo "$out" | grep -oE '[0-9]+ passed' | tail -1 | grep -oE '[0-9]+')
  failed=$(echo "$out" | grep -oE '[0-9]+ (failed|error|errors)' | grep -oE '[0-9]+' \
	   | awk '{s += $1} END {print s + 0}')
  [ -n "$passed" ] || passed=0
  [ -n "$failed" ] || failed=0
  if [ "$passed" -eq 0 ] && [ "$failed" -eq 0 ]; then failed=1; fi
  record system "$passed" "$failed"
fi

# Fuzz smoke run.
if command -v clang >/dev/null 2>&1 && [ -d tests/fuzz ]; then
  FUZZ_SECONDS=${FUZZ_SECONDS:-8} scripts/fuzz.sh --results "$results" || status=1
fi

exit $status
