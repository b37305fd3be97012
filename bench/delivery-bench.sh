#!/usr/bin/env bash
# delivery-bench.sh - end-to-end local delivery, ours against Debian's Postfix.
#
# Runs the shared MTA benchmark (mta-bench.sh, see MTA_BENCH below) for our
# programs and for Debian's Postfix 3.7 back to back:
#
#   virtual  smtp-source -> smtpd -> cleanup -> qmgr -> virtual(8) -> Maildir
#   local    smtp-source -> smtpd -> cleanup -> qmgr -> local(8), alias
#            "bench: DIR/Maildir/" (texthash alias table) -> Maildir
#
# For every run (RUNS), scenario (SCENARIOS), message size (SIZES) and
# number of smtp-source sessions (CONCURRENCIES), mta-bench.sh is run once
# per implementation, one right after the other (ours first in odd runs,
# Postfix first in even runs, so that neither always gets the warmer
# machine). mta-bench.sh makes a throwaway instance per run (own
# config_directory, queue_directory, data_directory, maillog_file, in this
# script's temp directory), sends WARMUP untimed and N timed messages with
# smtp-source, and counts the files in the Maildir's new/: a run in which
# fewer than N messages were delivered is flagged "failed" and left out of
# the medians. Our build is installed with "meson install --destdir" into
# the temp directory (postdrop, postqueue, postlog set-gid postdrop).
#
# Output: bench/results/delivery-<date>.tsv (or $1): comment lines with the
# machine and settings, one row per run (both implementations), medians per
# implementation and case over the runs flagged "ok" (over the "noisy" ones
# when a case has no clean run), and per case the ratios ours/Postfix of
# the medians:
#   e2e_ratio     messages per second until the N-th message was in the
#                 Maildir (above 1: we deliver faster)
#   accept_ratio  messages per second until smtp-source got its last 250
#   cpu_ratio     CPU (user+sys, every process of the instance, cgroup
#                 accounting) per message (below 1: we use less)
# A run is "noisy" when processes outside the benchmark used more than
# NOISE_PCT % of all CPUs (user time); it is repeated at most RETRIES
# times. The comment line "noise:" says how many runs were noisy.
#
# PROFILE=1 adds, before the timed runs, one profiled run per case and
# implementation (not in the medians): "perf record -a -g" around it, and
# writes next to the TSV a file <tsv>.perf-<impl>-<case>.txt with the
# samples per program (smtpd, cleanup, qmgr, local, virtual, ...) and the
# hottest symbols of each program of the instance.
#
# Usage: bench/delivery-bench.sh [RESULTS.tsv]        (as root)
#
# Environment (defaults in brackets):
#   N             timed messages per run [1000]
#   SIZES         message sizes in bytes [1024 102400]
#   CONCURRENCIES smtp-source sessions [1 10]
#   SCENARIOS     [virtual local]
#   RUNS          runs per case and implementation [3]
#   IMPLS         [ours postfix]
#   WARMUP        untimed messages before each run [20]
#   EXTRA_MAIN_CF extra main.cf lines for both (newline separated) []
#   SOURCE_OPTS   extra smtp-source options ("-d": one connection per
#                 session) []
#   NOISE_PCT     [25]     RETRIES [1]
#   QUIET_PCT, QUIET_WAIT  mta-bench.sh waits at most QUIET_WAIT seconds
#                 for the machine to be at most QUIET_PCT % busy [10, 3]
#   RUN_TIMEOUT   seconds allowed for one run [300]
#   PROFILE=1     the profiled runs above (needs perf)
#   BUILD         our meson build directory [<top>/build]
#   MTA_BENCH     the benchmark script [<top>/bench/mta-bench.sh if there,
#                 else /work/shared/bench/mta-bench.sh]
#   PF_SBIN       [/usr/sbin]    PF_DAEMONS [/usr/lib/postfix/sbin]
#   MAIL_OWNER    [postfix]      SETGID_GROUP [postdrop]
#   BENCH_USER    owner of the Maildirs, default_privs [nobody]
#   KEEP_WORK=1   keep the temp directory (every instance's config, queue
#                 and maillog)
#   TMPDIR        where the temp directory is made [/tmp]
#
# Ports: the SMTP port and mta-bench's (unused) sink port are chosen free
# on 127.0.0.1 at start. Cleanup: the instances are stopped by
# mta-bench.sh; on exit this script also stops any instance left in its
# temp directory (e.g. after ^C), then removes the directory.
#
# Needs: bash >= 5, root, Debian's postfix package (smtp-source, the
# daemons), our build, the user postfix, the group postdrop.

set -u
export LC_ALL=C
shopt -s nullglob

top=$(cd "$(dirname "$0")/.." && pwd)
SIZES=${SIZES:-1024 102400}
CONCURRENCIES=${CONCURRENCIES:-1 10}
SCENARIOS=${SCENARIOS:-virtual local}
EXTRA_MAIN_CF=${EXTRA_MAIN_CF:-}
SOURCE_OPTS=${SOURCE_OPTS:-}
OUT=${1:-$top/bench/results/delivery-$(date +%Y%m%d-%H%M%S).tsv}

# shellcheck disable=SC2034
BENCH=delivery-bench
. "$top/bench/lib.sh"
. "$top/bench/mta-lib.sh"     # the settings common to the wrappers

mta_checks "smtpd/smtpd qmgr/qmgr" "master smtpd cleanup qmgr local virtual"
[ -x "$PF_SBIN/smtp-source" ] || die "no $PF_SBIN/smtp-source (apt-get install postfix)"
for sc in $SCENARIOS; do
    case $sc in virtual|local) ;; *) die "unknown scenario: $sc (virtual, local)";; esac
done

# ---------------------------------------------------------------- set-up
ROOT='' CHILD=''
trap cleanup_all EXIT
trap 'exit 130' INT TERM HUP

ROOT=$(mktemp -d "$TMPBASE/delivery-bench.XXXXXX") || die "mktemp failed"
chmod 755 "$ROOT"       # the daemons and BENCH_USER must reach the queue
STAGE=$ROOT/stage
[[ " $IMPLS " == *" ours "* ]] && stage_ours "$BUILD" "$STAGE"

PORT=$(free_port)
SINK_PORT=$(free_port)
[ "$SINK_PORT" = "$PORT" ] && SINK_PORT=$(free_port)

# ---------------------------------------------------------------- one run
RAW=$ROOT/raw.tsv
: > "$RAW"
# mta_bench impl scenario size conc run - one mta-bench.sh run of $impl;
# appends its rows (with the implementation and run) to $RAW, unless run
# is 0 (a profiled run)
mta_bench() {
    local impl=$1 sc=$2 size=$3 conc=$4 run=$5 dir out profile=0
    dir=$ROOT/$impl-$sc-$size-$conc-$run
    mkdir -p "$dir"
    out=$dir/result.tsv
    [ "$run" = 0 ] && profile=1
    mta_bench_start "$impl" "$dir" "$profile" SCENARIOS="$sc" LOCAL_SIZES="$size" \
        LOCAL_CONCURRENCIES="$conc" SOURCE_OPTS="$SOURCE_OPTS" \
        SMTP_SOURCE="$PF_SBIN/smtp-source" SMTP_SINK="$PF_SBIN/smtp-sink" \
        MTA_EXTRA_MAIN_CF="$EXTRA_MAIN_CF" KEEP_WORK="$KEEP_WORK"
    mta_bench_wait "$dir" "s/^ /$impl/; s/ run=1 / run=$run /" "$impl $sc size=$size conc=$conc" ||
        return 1
    if [ "$run" = 0 ]; then
        perf_summary "$impl" "$sc-$size-$conc" "$dir/perf.data" "$MTA_COMMS"
        [ "$KEEP_WORK" = 1 ] || rm -f "$dir/perf.data"
        return 0
    fi
    # the per-run rows of mta-bench.sh: label scenario size conc opts run n
    # accept_s e2e_s accept_rate e2e_rate mta_cpu_s mta_cpu_ms_per_msg
    # loadgen other foreign_pct busy iowait src_rc delivered deferred
    # warnings flag
    awk -F'\t' -v run="$run" '$6 ~ /^[0-9]+$/ && NF >= 23 {
        printf "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n",
            $1, $2, $3, $4, run, $7, $10, $11, $13, $20, $22, $16, $23 }' "$out" >> "$RAW"
    [ "$KEEP_WORK" = 1 ] || rm -rf "$dir"
}


# the programs of an instance, for the profile (comm names)
MTA_COMMS='master|smtpd|cleanup|qmgr|local|virtual|trivial-rewrite|proxymap|bounce|anvil|postlogd|pickup|smtp-source'

# ---------------------------------------------------------------- main
mkdir -p "$(dirname "$OUT")"
{
    echo "# delivery-bench.sh: smtp-source -> smtpd -> cleanup -> qmgr -> virtual/local -> Maildir ($MTA_BENCH)"
    machine_facts
    echo "# N=$N SIZES='$SIZES' CONCURRENCIES='$CONCURRENCIES' SCENARIOS='$SCENARIOS' RUNS=$RUNS WARMUP=$WARMUP SOURCE_OPTS='$SOURCE_OPTS' NOISE_PCT=$NOISE_PCT RETRIES=$RETRIES"
    [ -n "$EXTRA_MAIN_CF" ] && echo "# EXTRA_MAIN_CF: $(printf '%s' "$EXTRA_MAIN_CF" | tr '\n' ';')"
    impl_facts
} > "$OUT.head"
mv "$OUT.head" "$OUT"
cat "$OUT" >&2
log "results go to $OUT"

CASES=$(for sc in $SCENARIOS; do for size in $SIZES; do for conc in $CONCURRENCIES; do
    echo "$sc $size $conc"; done; done; done)
if [ "$PROFILE" = 1 ]; then
    while read -r sc size conc; do
        for impl in $IMPLS; do mta_bench "$impl" "$sc" "$size" "$conc" 0; done
    done <<< "$CASES"
fi
mta_rounds "$CASES"

HEADER=$'impl\tscenario\tsize\tconc\trun\tn\taccept_rate\te2e_rate\tcpu_ms_per_msg\tdelivered\twarnings\tforeign_pct\tflag'
SUMMARY=$(mta_summary "$RAW" "$CASES" $'scenario\tsize\tconc' "" "")
{
    echo "# loadavg at end: $(cut -d' ' -f1-3 /proc/loadavg)"
    echo "$HEADER"
    cat "$RAW"
    echo "$SUMMARY"
} >> "$OUT"
echo
echo "$SUMMARY" | grep '^# noise'
echo "$SUMMARY" | sed -n '/^scenario\tsize/,$p' | column -t -s $'\t'
echo "results: $OUT"
