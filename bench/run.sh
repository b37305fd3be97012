#!/bin/bash
# run.sh - benchmarks against Debian's real Postfix, side by side.
#
# Needs the build in ../build and, for the comparison, Debian's postfix and
# postfix-lmdb packages (their programs are run with -c on a private
# directory; no system instance is started). Results go to
# bench/results/<date>.tsv as: benchmark, ours_seconds, postfix_seconds,
# ratio (ours / postfix; below 1 means we are faster). Each measurement is
# the median of $RUNS runs. Timings are noisy: compare ratios, not times.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILD:-$top/build}
runs=${RUNS:-5}
entries=${ENTRIES:-200000}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$top/bench/results"
out="$top/bench/results/$(date +%Y%m%d-%H%M%S).tsv"

ours_postmap=$build/src/postmap/postmap
ours_postconf=$build/src/postconf/postconf
real_postmap=/usr/sbin/postmap
real_postconf=/usr/sbin/postconf

# median_time - median wall time in seconds of running "$@" $runs times
median_time() {
  local times=() i start end
  for ((i = 0; i < runs; i++)); do
    start=$(date +%s.%N)
    if ! "$@" >/dev/null 2>&1; then
      echo "bench: command failed: $*" >&2
      exit 1
    fi
    end=$(date +%s.%N)
    times+=("$(echo "$end - $start" | awk '{printf "%.4f", $1 - $3}')")
  done
  printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR] = $1} END {print a[int((NR + 1) / 2)]}'
}

report() {	# name ours real
  local ratio
  ratio=$(awk -v a="$2" -v b="$3" 'BEGIN {if (b > 0) printf "%.2f", a / b; else print "n/a"}')
  printf '%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "$ratio" | tee -a "$out"
}

mkdir -p "$work/ours" "$work/real"
: > "$work/ours/main.cf"
: > "$work/real/main.cf"
awk -v n="$entries" 'BEGIN {for (i = 0; i < n; i++) printf "user%d@example%d.com relay:[mx%d.example.net]\n", i, i % 97, i % 13}' > "$work/table"
awk -v n="$entries" 'BEGIN {srand(7); for (i = 0; i < 20000; i++) printf "user%d@example%d.com\n", j = int(rand() * n), j % 97}' > "$work/keys"
cp "$work/table" "$work/ours/table"
cp "$work/table" "$work/real/table"

printf 'benchmark\tours_s\tpostfix_s\tratio\n' | tee "$out"
if [ ! -x "$real_postmap" ] || [ ! -e /usr/lib/postfix/postfix-lmdb.so ]; then
  echo "bench: Debian's postfix and postfix-lmdb are needed for the comparison" >&2
  exit 1
fi

report "postmap build lmdb ($entries entries)" \
  "$(median_time "$ours_postmap" -c "$work/ours" lmdb:"$work/ours/table")" \
  "$(median_time "$real_postmap" -c "$work/real" lmdb:"$work/real/table")"
report "postmap -q - lmdb (20000 keys)" \
  "$(median_time sh -c "\"$ours_postmap\" -c \"$work/ours\" -q - lmdb:\"$work/ours/table\" < \"$work/keys\"")" \
  "$(median_time sh -c "\"$real_postmap\" -c \"$work/real\" -q - lmdb:\"$work/real/table\" < \"$work/keys\"")"
report "postmap build cdb ($entries entries)" \
  "$(median_time "$ours_postmap" -c "$work/ours" cdb:"$work/ours/table")" \
  "$(median_time "$real_postmap" -c "$work/real" cdb:"$work/real/table")"
[ -x "$ours_postconf" ] && report "postconf -d (all defaults)" \
  "$(median_time "$ours_postconf" -c "$work/ours" -d)" \
  "$(median_time "$real_postconf" -c "$work/real" -d)"
echo "bench: results in $out"
