#!/bin/bash
# fuzz.sh - build the libFuzzer targets with clang and run each one.
#
# FUZZ_SECONDS (default 300) bounds each target's run. With --results FILE,
# append "fuzz<TAB>passed<TAB>failed" for check.sh. Corpora start from the
# seed files in tests/fuzz/seeds/<target>/ and grow in build-fuzz/corpus/.
set -uo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
FUZZ_BUILD=${FUZZ_BUILD:-build-fuzz}
seconds=${FUZZ_SECONDS:-300}
results=""
[ "${1:-}" = "--results" ] && results="$2"

if [ ! -f "$FUZZ_BUILD/build.ninja" ]; then
  CC=clang meson setup "$FUZZ_BUILD" -Dfuzz=true -Db_sanitize=address,undefined \
    -Db_lundef=false -Dbuildtype=debugoptimized >/dev/null || exit 1
fi
ninja -C "$FUZZ_BUILD" >/dev/null || { [ -n "$results" ] && printf 'fuzz\t0\t1\n' >> "$results"; exit 1; }

passed=0
failed=0
for target in "$FUZZ_BUILD"/tests/fuzz/fuzz_*; do
  [ -f "$target" ] && [ -x "$target" ] || continue
  name=$(basename "$target")
  corpus="$FUZZ_BUILD/corpus/$name"
  mkdir -p "$corpus" "$FUZZ_BUILD/crashes"
  seeds="tests/fuzz/seeds/${name#fuzz_}"
  [ -d "$seeds" ] || seeds=""
  if "$target" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
       -artifact_prefix="$FUZZ_BUILD/crashes/$name-" \
       "$corpus" $seeds > "$FUZZ_BUILD/$name.log" 2>&1; then
    passed=$((passed + 1))
    echo "fuzz: $name: ok ($(grep -oE 'Done [0-9]+ runs' "$FUZZ_BUILD/$name.log" | tail -1))"
  else
    failed=$((failed + 1))
    echo "fuzz: $name: FAILED, see $FUZZ_BUILD/$name.log"
    tail -n 30 "$FUZZ_BUILD/$name.log"
  fi
done
[ -n "$results" ] && printf 'fuzz\t%d\t%d\n' "$passed" "$failed" >> "$results"
echo "check: fuzz: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
