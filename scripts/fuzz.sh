#!/bin/bash
# fuzz.sh - build the libFuzzer targets with clang and run each one.
#
# usage: fuzz.sh [--smoke] [--results FILE]
#
# Default ("make fuzz"): each target runs for FUZZ_SECONDS (default 300)
# from its seeds in tests/fuzz/seeds/<name>/ and from the corpus that
# earlier runs grew in build-fuzz/corpus/<target>/ (new inputs go there).
#
# --smoke ("make check"): a short run that gives the same result every
# time: a fixed random seed (-seed=1), a fixed number of runs (FUZZ_RUNS,
# default 20000; fewer for the slow targets in smoke_runs below) and only
# the committed seeds as input, copied to a throwaway directory because
# libFuzzer writes new inputs into its corpus directory.
#
# FUZZ_TARGETS (names such as "fuzz_tok822 fuzz_main_cf") limits the run
# to those targets; by default every built target runs.
#
# Every run has the same limits: inputs of at most 4096 bytes (-max_len),
# 2048 MB of memory (-rss_limit_mb, which also bounds one malloc) and 10 s
# per input (-timeout). A target fails when libFuzzer reports a crash,
# leak, timeout or memory overrun, or when it executed no input; its log
# is build-fuzz/<target>.log and the failing input is kept in
# build-fuzz/crashes/. With --results FILE, append
# "fuzz<TAB>passed<TAB>failed" for check.sh; no target at all is a failure.
set -uo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
FUZZ_BUILD=${FUZZ_BUILD:-build-fuzz}
seconds=${FUZZ_SECONDS:-300}
runs=${FUZZ_RUNS:-20000}
limits=(-max_len=4096 -rss_limit_mb=2048 -timeout=10)
# Smoke run counts for targets much slower than the rest: the pcre seeds
# include a pattern that backtracks until PCRE's match limit (~50 ms);
# fuzz_cleanup_maps re-reads its table and opens every map per input.
declare -A smoke_runs=([fuzz_dict_pcre]=500 [fuzz_cleanup_maps]=2000)

smoke=no
results=""
while [ $# -gt 0 ]; do
  case $1 in
  --smoke) smoke=yes; shift;;
  --results) results=$2; shift 2;;
  *) echo "usage: $0 [--smoke] [--results FILE]" >&2; exit 2;;
  esac
done

report() {	# passed failed
  [ -n "$results" ] && printf 'fuzz\t%d\t%d\n' "$1" "$2" >> "$results"
  echo "check: fuzz: $1 passed, $2 failed"
}

if [ ! -f "$FUZZ_BUILD/build.ninja" ]; then
  CC=clang meson setup "$FUZZ_BUILD" -Dfuzz=true -Db_sanitize=address,undefined \
    -Db_lundef=false -Dbuildtype=debugoptimized >/dev/null || { report 0 1; exit 1; }
fi
ninja -C "$FUZZ_BUILD" >/dev/null || { report 0 1; exit 1; }

# libFuzzer also learns from the values its target compares and from how
# deep the stack grows, and both depend on addresses: a smoke run disables
# address space randomization (when the system lets it) and passes a fixed
# environment (whose size moves the stack), so that the same seed gives
# the same inputs however the script was started.
fixed_layout=(env -i PATH=/usr/bin:/bin LC_ALL=C)
if setarch "$(uname -m)" -R true 2>/dev/null; then
  fixed_layout+=(setarch "$(uname -m)" -R)
fi

scratch=""
trap '[ -z "$scratch" ] || rm -rf "$scratch"' EXIT
passed=0
failed=0
for target in "$FUZZ_BUILD"/tests/fuzz/fuzz_*; do
  [ -f "$target" ] && [ -x "$target" ] || continue
  name=$(basename "$target")
  if [ -n "${FUZZ_TARGETS:-}" ] && [[ " $FUZZ_TARGETS " != *" $name "* ]]; then
    continue
  fi
  seeds="tests/fuzz/seeds/${name#fuzz_}"
  log="$FUZZ_BUILD/$name.log"
  mkdir -p "$FUZZ_BUILD/crashes"
  if [ "$smoke" = yes ]; then
    scratch=$(mktemp -d) || exit 1
    [ -d "$seeds" ] && cp -p "$seeds"/* "$scratch"/ 2>/dev/null
    want=${smoke_runs[$name]:-$runs}
    inputs=("$scratch")
    mode=(-seed=1 -runs="$want" -reload=0)
    runner=("${fixed_layout[@]}")
  else
    corpus="$FUZZ_BUILD/corpus/$name"
    mkdir -p "$corpus"
    inputs=("$corpus")
    [ -d "$seeds" ] && inputs+=("$seeds")
    mode=(-max_total_time="$seconds")
    runner=()
  fi
  "${runner[@]}" "$target" "${mode[@]}" "${limits[@]}" \
    -artifact_prefix="$FUZZ_BUILD/crashes/$name-" "${inputs[@]}" > "$log" 2>&1
  rc=$?
  if [ -n "$scratch" ]; then
    rm -rf "$scratch"
    scratch=""
  fi
  done_runs=$(grep -oE 'Done [0-9]+ runs' "$log" | tail -1 | grep -oE '[0-9]+')
  if [ "$rc" -eq 0 ] && [ "${done_runs:-0}" -gt 0 ]; then
    passed=$((passed + 1))
    echo "fuzz: $name: ok ($done_runs runs, $(grep -oE 'cov: [0-9]+ ft: [0-9]+ corp: [0-9]+' "$log" | tail -1))"
  else
    failed=$((failed + 1))
    echo "fuzz: $name: FAILED (status $rc, ${done_runs:-no} runs), see $log"
    tail -n 30 "$log"
  fi
done
[ $((passed + failed)) -gt 0 ] || { echo "fuzz: no fuzz targets in $FUZZ_BUILD" >&2; failed=1; }
report "$passed" "$failed"
[ "$failed" -eq 0 ]
