#!/bin/bash
# check.sh - build everything and run every test; used by "make check".
#
# Phases, in order; each appends "phase<TAB>passed<TAB>failed" to
# build/check-results.tsv, which .ci/run sums up:
#   build      the normal build (warnings are errors)
#   unit       the unit tests (cmocka) of the normal build
#   unit-asan  the unit tests in an address/undefined-behaviour sanitizer
#              build
#   system     the system tests (pytest) against the normal build; as
#              root without the "accounts" ones, which the next phase runs
#   accounts   root only: the tests that run something as another account
#              (the "accounts" meson suite and pytest marker), from a copy
#              of the working tree in a fresh private (0700) directory, as
#              a checkout in root's home; skipped, and not counted, for
#              other users (the system phase runs them then)
#   fuzz       a short, deterministic run of every fuzz target
#              (scripts/fuzz.sh --smoke)
# The system tests mostly wait (for daemons, replies, log lines), so with
# pytest-xdist installed they run in $PYTEST_WORKERS (default 4) worker
# processes; every worker takes its ports from its own range
# (tests/system/ports.py). A phase that runs no test at all counts as failed. Each phase prints its
# counts and how long it took. With arguments (check.sh accounts fuzz),
# only the build and the named phases run.
set -uo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
BUILD=${BUILD:-build}
ASAN_BUILD=${ASAN_BUILD:-build-asan}
results="$top/$BUILD/check-results.tsv"
status=0
started=$SECONDS
copy=""
phases=" $* "

wanted() {	# phase: was it asked for?
  [ "$phases" = "  " ] || [[ "$phases" == *" $1 "* ]]
}

record() {	# phase passed failed
  printf '%s\t%s\t%s\n' "$1" "$2" "$3" >> "$results"
  echo "check: $1: $2 passed, $3 failed ($((SECONDS - started)) s)"
  [ "$3" -eq 0 ] || status=1
}

meson_counts() {	# build-dir: print "passed failed" of its last meson test
  local log="$1/meson-logs/testlog.json" ok fail
  ok=$(grep -c '"result": "OK"' "$log" 2>/dev/null)
  fail=$(grep -c -E '"result": "(FAIL|TIMEOUT|ERROR|UNEXPECTEDPASS)"' "$log" 2>/dev/null)
  echo "${ok:-0} ${fail:-0}"
}

meson_suite() {	# build-dir suite: run a test suite; print "passed failed"
  # An old log must not stand in for a run that did not happen.
  rm -f "$1/meson-logs/testlog.json"
  meson test -C "$1" --suite "$2" --print-errorlogs >/dev/null 2>&1
  meson_counts "$1"
}

pytest_workers() {	# the pytest arguments that spread tests over workers
  if /usr/bin/python3 -c 'import xdist' >/dev/null 2>&1; then
    echo "-n ${PYTEST_WORKERS:-4}"
  fi
}

pytest_counts() {	# pytest output on stdin: print "passed failed"
  local out passed failed
  out=$(cat)
  passed=$(echo "$out" | grep -oE '[0-9]+ passed' | tail -1 | grep -oE '[0-9]+')
  failed=$(echo "$out" | grep -oE '[0-9]+ (failed|error|errors)' | grep -oE '[0-9]+' \
	   | awk '{s += $1} END {print s + 0}')
  echo "${passed:-0} ${failed:-0}"
}

some_tests() {	# what "passed failed": no test at all is one failure
  if [ "$2" = "0 0" ]; then
    echo "check: $1: no test ran" >&2
    echo "0 1"
  else
    echo "$2"
  fi
}

record_counts() {	# phase "passed failed"
  local counts
  counts=$(some_tests "$1" "$2")
  record "$1" ${counts}
}

copy_worktree() {	# destination: tracked and untracked, non-ignored files
  if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
    git ls-files -z --cached --others --exclude-standard --deduplicate \
      | while IFS= read -r -d '' f; do	# tracked files may be deleted
	  if [ -e "$f" ] || [ -L "$f" ]; then printf '%s\0' "$f"; fi
	done \
      | tar --null --files-from=- -cf - | tar -xf - -C "$1"
  else
    tar --exclude=./build --exclude='./build-*' --exclude=./run -cf - . \
      | tar -xf - -C "$1"
  fi
}

accounts_phase() {	# the account-switching tests from a private copy
  local log="$top/$BUILD/check-accounts.log" src unit system
  copy=$(mktemp -d) || { record accounts 0 1; return; }
  trap 'rm -rf "$copy"' EXIT
  src="$copy/postel"
  chmod 700 "$copy"
  mkdir "$src"
  echo "check: accounts: testing a copy in $src (log: $log)"
  {
    copy_worktree "$src" \
      && meson setup "$src/build" -Dwerror=true >/dev/null \
      && ninja -C "$src/build"
  } > "$log" 2>&1
  if [ $? -ne 0 ]; then
    tail -n 25 "$log"
    record accounts 0 1
  else
    unit=$(some_tests "accounts (unit)" "$(meson_suite "$src/build" accounts)")
    cat "$src/build/meson-logs/testlog.txt" >> "$log" 2>/dev/null
    system=$(cd "$src" && POSTEL_BUILD="$src/build" /usr/bin/python3 -m pytest \
	       -q -p no:cacheprovider $(pytest_workers) -m accounts tests/system \
	       2>&1 | tee -a "$log" | pytest_counts)
    system=$(some_tests "accounts (system)" "$system")
    echo "check: accounts: unit $unit, system $system (passed failed)"
    [ "${unit#* }" -eq 0 ] && [ "${system#* }" -eq 0 ] || tail -n 25 "$log"
    record accounts $((${unit% *} + ${system% *})) $((${unit#* } + ${system#* }))
  fi
  rm -rf "$copy"
  trap - EXIT
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
started=$SECONDS
wanted unit && record_counts unit "$(meson_suite "$BUILD" unit)"

started=$SECONDS
if wanted unit-asan; then
  [ -f "$ASAN_BUILD/build.ninja" ] \
    || meson setup "$ASAN_BUILD" -Db_sanitize=address,undefined -Db_lundef=false \
	 -Dbuildtype=debug >/dev/null
  if ninja -C "$ASAN_BUILD" >/dev/null; then
    export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
    export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
    counts=$(meson_suite "$ASAN_BUILD" unit)
    unset ASAN_OPTIONS UBSAN_OPTIONS
    record_counts unit-asan "$counts"
  else
    record unit-asan 0 1
  fi
fi

# System tests.
started=$SECONDS
if wanted system; then
  # The whole report goes to a log; the summary to the terminal.
  # As root, the accounts phase runs the "accounts" tests (from a
  # private copy); run them here only when that phase will not.
  select=()
  if [ "$(id -u)" -eq 0 ] && wanted accounts; then
    select=(-m "not accounts")
  fi
  out=$(POSTEL_BUILD="$top/$BUILD" /usr/bin/python3 -m pytest -q -p no:cacheprovider \
	  $(pytest_workers) "${select[@]}" -rfE tests/system 2>&1)
  echo "$out" > "$top/$BUILD/check-system.log"
  echo "$out" | tail -n 25
  echo "check: system: full report in $BUILD/check-system.log"
  record_counts system "$(echo "$out" | pytest_counts)"
fi

# The tests that switch accounts, from a checkout that only root can enter.
started=$SECONDS
if ! wanted accounts; then
  :
elif [ "$(id -u)" -eq 0 ]; then
  accounts_phase
else
  echo "check: accounts: skipped (not root): run make check as root to test" \
       "the programs that switch accounts from a private checkout"
fi

# Fuzz smoke run.
started=$SECONDS
if ! wanted fuzz; then
  :
elif command -v clang >/dev/null 2>&1; then
  scripts/fuzz.sh --smoke --results "$results" || status=1
  echo "check: fuzz: $((SECONDS - started)) s"
else
  echo "check: fuzz: clang is missing (run make deps)" >&2
  record fuzz 0 1
fi

exit $status
