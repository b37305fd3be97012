#!/usr/bin/env bash
# relay-bench.sh - end-to-end relaying, ours against Debian's Postfix.
#
# Runs the shared MTA benchmark (mta-bench.sh, see MTA_BENCH below), scenario
# "relay", for our programs and for Debian's Postfix 3.7 back to back:
#
#   smtp-source -> smtpd -> cleanup -> qmgr -> smtp(8) -> smtp-sink
#   (relayhost = [127.0.0.1]:SINK_PORT; done = the sink counted N messages)
#
# Cases (CASES, "size:sessions"): 1 KB at 1, 10 and 50 smtp-source
# sessions, 100 KB at 10, each with and without connection reuse (REUSE):
#   on   smtp-source -d (one connection per session, not per message), and
#        main.cf REUSE_MAIN_CF: smtp_connection_cache_on_demand = yes and
#        smtp_connection_cache_destinations = static:all (smtp(8) keeps its
#        connections to the sink in scache(8) and reuses them, also when
#        no other message for the sink is waiting)
#   off  one connection per message from smtp-source, and NOREUSE_MAIN_CF:
#        smtp_connection_cache_on_demand = no, no cache destinations (every
#        delivery a new connection)
# For every run (RUNS) and case, mta-bench.sh is run once per
# implementation, one right after the other (ours first in odd runs,
# Postfix first in even runs). mta-bench.sh makes a throwaway instance per
# run (own config_directory, queue_directory, data_directory,
# maillog_file, in this script's temp directory) and a fresh smtp-sink,
# sends WARMUP untimed and N timed messages with smtp-source, and counts
# what the sink received; a run with fewer than N is flagged "failed" and
# left out of the medians. Our build is installed with "meson install
# --destdir" into the temp directory.
#
# Reported, per run and as medians per implementation and case:
#   accept_rate    messages/s until smtp-source got its last 250
#   e2e_rate       messages/s until the N-th message reached smtp-sink
#   cpu_ms_per_msg CPU (user+sys) of every process of the instance
#                  (mta-bench.sh's cgroup accounting) per message
#   reused_pct     deliveries logged with conn_use= (a cached connection
#                  was reused) in % of all status=sent lines: shows what
#                  the reuse setting really did
#   resident memory per program (master, smtpd, cleanup, qmgr, smtp,
#                  trivial-rewrite, scache, anvil, postlogd, ...): every
#                  RSS_POLL seconds each process of the instance is
#                  sampled (/proc/<pid>/status, smaps_rollup); max_kb
#                  is the largest peak resident set (VmHWM) of one
#                  process of that program, total_kb the largest sum of
#                  the proportional set sizes (Pss: shared pages divided
#                  among the processes that map them) of all its
#                  processes in one sample, procs how many processes of
#                  it ran (warm-up included)
# and the ratios ours/Postfix of the medians: e2e_ratio and accept_ratio
# (above 1: we are faster), cpu_ratio and the memory ratios (below 1: we
# use less). A run is "noisy" when processes outside the benchmark used
# more than NOISE_PCT % of all CPUs (user time); it is repeated at most
# RETRIES times; the "# noise:" line counts such runs.
#
# PROFILE=1 adds, before the timed runs, one profiled run per
# implementation of the case PROFILE_CASE (not in the medians): "perf
# record -a -g" around it, and writes next to the results a file
# <results>.perf-<impl>-<case>.txt with the samples per program of the
# instance, each split by the system call it was in, and its hottest
# functions (user space and kernel).
#
# Usage: bench/relay-bench.sh [RESULTS.tsv]        (as root)
#
# Environment (defaults in brackets):
#   N             timed messages per run [1000]
#   CASES         "size:sessions ..." [1024:1 1024:10 1024:50 102400:10]
#   REUSE         [on off]
#   RUNS          runs per case and implementation [3]
#   IMPLS         [ours postfix]
#   WARMUP        untimed messages before each run [20]
#   EXTRA_MAIN_CF extra main.cf lines for both (newline separated)
#                 ["in_flow_delay = 0s"]
#   REUSE_MAIN_CF, NOREUSE_MAIN_CF  the main.cf lines of REUSE on / off
#                 (above)
#   SMTP_SOURCE   load generator [$PF_SBIN/smtp-source]; ours:
#                 $BUILD/src/smtpstone/smtp-source
#   SMTP_SINK     the relay's destination [$PF_SBIN/smtp-sink]; ours:
#                 $BUILD/src/smtpstone/smtp-sink
#   NOISE_PCT     [25]     RETRIES [1]
#   QUIET_PCT, QUIET_WAIT  mta-bench.sh waits at most QUIET_WAIT seconds
#                 for the machine to be at most QUIET_PCT % busy [10, 3]
#   RUN_TIMEOUT   seconds allowed for one run [300]
#   RSS_POLL      seconds between memory samples [0.2]
#   PROFILE=1     the profiled runs above (needs perf)
#   PROFILE_CASE  "size:sessions:reuse" [1024:10:on]
#   BUILD         our meson build directory [<top>/build]
#   MTA_BENCH     the benchmark script [<top>/bench/mta-bench.sh if there,
#                 else /work/shared/bench/mta-bench.sh]
#   PF_SBIN       [/usr/sbin]    PF_DAEMONS [/usr/lib/postfix/sbin]
#   MAIL_OWNER    [postfix]      SETGID_GROUP [postdrop]
#   BENCH_USER    the user smtp-sink runs as [nobody]
#   KEEP_WORK=1   keep the temp directory (every instance's config, queue
#                 and maillog)
#   TMPDIR        where the temp directory is made [/tmp]
#
# Ports: the SMTP port and the sink's port are chosen free on 127.0.0.1 at
# start. Cleanup: the instances and sinks are stopped by mta-bench.sh; on
# exit this script also stops any instance left in its temp directory
# (e.g. after ^C), then removes the directory.
#
# Needs: bash >= 5, root, Debian's postfix package (smtp-source,
# smtp-sink, the daemons), our build, the user postfix, the group
# postdrop; perf for PROFILE=1.

set -u
export LC_ALL=C
shopt -s nullglob

top=$(cd "$(dirname "$0")/.." && pwd)
CASES=${CASES:-1024:1 1024:10 1024:50 102400:10}
REUSE=${REUSE:-on off}
EXTRA_MAIN_CF=${EXTRA_MAIN_CF-in_flow_delay = 0s}
REUSE_MAIN_CF=${REUSE_MAIN_CF-$'smtp_connection_cache_on_demand = yes\nsmtp_connection_cache_destinations = static:all'}
NOREUSE_MAIN_CF=${NOREUSE_MAIN_CF-$'smtp_connection_cache_on_demand = no\nsmtp_connection_cache_destinations ='}
RSS_POLL=${RSS_POLL:-0.2}
PROFILE_CASE=${PROFILE_CASE:-1024:10:on}
OUT=${1:-$top/bench/results/relay-$(date +%Y%m%d-%H%M%S).tsv}

# shellcheck disable=SC2034
BENCH=relay-bench
. "$top/bench/lib.sh"
. "$top/bench/mta-lib.sh"     # the settings common to the wrappers
SMTP_SOURCE=${SMTP_SOURCE:-$PF_SBIN/smtp-source}
SMTP_SINK=${SMTP_SINK:-$PF_SBIN/smtp-sink}

mta_checks "smtpd/smtpd qmgr/qmgr smtp/smtp" "master smtpd cleanup qmgr smtp scache"
for f in "$SMTP_SOURCE" "$SMTP_SINK"; do [ -x "$f" ] || die "not executable: $f"; done
for c in $CASES; do
    [[ $c =~ ^[0-9]+:[0-9]+$ ]] || die "bad case in CASES: $c (size:sessions)"
done
for r in $REUSE; do case $r in on|off) ;; *) die "bad REUSE: $r (on, off)";; esac; done
[[ $PROFILE_CASE =~ ^[0-9]+:[0-9]+:(on|off)$ ]] || die "bad PROFILE_CASE: $PROFILE_CASE"

# ---------------------------------------------------------------- set-up
ROOT='' CHILD='' SAMPLER=''
# stop_sampler - stop the memory sampler if it runs
stop_sampler() {
    [ -n "$SAMPLER" ] || return 0
    kill "$SAMPLER" 2>/dev/null; wait "$SAMPLER" 2>/dev/null
    SAMPLER=''
}
trap 'stop_sampler; cleanup_all' EXIT
trap 'exit 130' INT TERM HUP

ROOT=$(mktemp -d "$TMPBASE/relay-bench.XXXXXX") || die "mktemp failed"
chmod 755 "$ROOT"       # the daemons and BENCH_USER must reach the queue
STAGE=$ROOT/stage
[[ " $IMPLS " == *" ours "* ]] && stage_ours "$BUILD" "$STAGE"

PORT=$(free_port)
SINK_PORT=$(free_port)
[ "$SINK_PORT" = "$PORT" ] && SINK_PORT=$(free_port)

# the programs of an instance, for the profile (comm names)
MTA_COMMS='master|smtpd|cleanup|qmgr|smtp|lmtp|scache|trivial-rewrite|proxymap|bounce|anvil|postlogd|pickup|smtp-source|smtp-sink'

# ---------------------------------------------------------------- one run
RAW=$ROOT/raw.tsv RSS=$ROOT/rss.tsv
: > "$RAW"; : > "$RSS"
# mta_bench impl size conc reuse run - one mta-bench.sh run of $impl;
# appends its rows (with the implementation, reuse and run) to $RAW and
# its memory figures to $RSS, unless run is 0 (a profiled run)
mta_bench() {
    local impl=$1 size=$2 conc=$3 reuse=$4 run=$5 dir rc opts='' cf profile=0
    local case="$size:$conc:$reuse"
    dir=$ROOT/$impl-$size-$conc-$reuse-$run
    mkdir -p "$dir"
    chmod 755 "$dir"
    if [ "$reuse" = on ]; then opts=-d; cf=$REUSE_MAIN_CF; else cf=$NOREUSE_MAIN_CF; fi
    [ -n "$EXTRA_MAIN_CF" ] && cf=$EXTRA_MAIN_CF$'\n'$cf
    [ "$run" = 0 ] && profile=1
    mta_bench_start "$impl" "$dir" "$profile" SCENARIOS=relay SIZES="$size" \
        CONCURRENCIES="$conc" SOURCE_OPTS="$opts" SMTP_SOURCE="$SMTP_SOURCE" \
        SMTP_SINK="$SMTP_SINK" MTA_EXTRA_MAIN_CF="$cf" KEEP_WORK=1
    rss_sampler "$CHILD" "$dir" "$RSS_POLL" &
    SAMPLER=$!
    mta_bench_wait "$dir" "s/^ /$impl/; s/ run=1 / reuse=$reuse run=$run /" "$impl $case"
    rc=$?
    stop_sampler
    if [ "$rc" != 0 ]; then
        [ "$KEEP_WORK" = 1 ] || rm -rf "$dir"
        return 1
    fi
    # deliveries over a reused connection, over all instances of this call
    local sent reused pct
    sent=$(cat "$dir"/mta-bench.*/log/maillog 2>/dev/null | grep -c 'status=sent')
    reused=$(cat "$dir"/mta-bench.*/log/maillog 2>/dev/null | grep 'status=sent' | grep -c 'conn_use=')
    pct=$(awk -v s="$sent" -v r="$reused" 'BEGIN { printf "%.1f", s ? 100 * r / s : 0 }')
    if [ "$run" = 0 ]; then
        perf_summary "$impl" "${case//:/-}" "$dir/perf.data" "$MTA_COMMS"
        [ "$KEEP_WORK" = 1 ] || rm -rf "$dir"
        return 0
    fi
    rss_summary "$dir/rss.samples" | awk -v p="$impl	$size	$conc	$reuse	$run" \
        '{ printf "%s\t%s\t%s\t%s\t%s\n", p, $1, $2, $3, $4 }' >> "$RSS"
    # the per-run rows of mta-bench.sh: label scenario size conc opts run n
    # accept_s e2e_s accept_rate e2e_rate mta_cpu_s mta_cpu_ms_per_msg
    # loadgen other foreign_pct busy iowait src_rc delivered deferred
    # warnings flag
    awk -F'\t' -v run="$run" -v reuse="$reuse" -v pct="$pct" '$6 ~ /^[0-9]+$/ && NF >= 23 {
        printf "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n",
            $1, $3, $4, reuse, run, $7, $10, $11, $13, $20, $22, $16, $23, pct }' "$dir/result.tsv" >> "$RAW"
    [ "$KEEP_WORK" = 1 ] || rm -rf "$dir"
}

# ---------------------------------------------------------------- main
mkdir -p "$(dirname "$OUT")"
{
    echo "# relay-bench.sh: smtp-source -> smtpd -> cleanup -> qmgr -> smtp -> smtp-sink ($MTA_BENCH)"
    machine_facts
    echo "# N=$N CASES='$CASES' REUSE='$REUSE' RUNS=$RUNS WARMUP=$WARMUP NOISE_PCT=$NOISE_PCT RETRIES=$RETRIES"
    echo "# SMTP_SOURCE=$SMTP_SOURCE SMTP_SINK=$SMTP_SINK"
    [ -n "$EXTRA_MAIN_CF" ] && echo "# EXTRA_MAIN_CF: $(printf '%s' "$EXTRA_MAIN_CF" | tr '\n' ';')"
    echo "# reuse on: smtp-source -d; $(printf '%s' "$REUSE_MAIN_CF" | tr '\n' ';')"
    echo "# reuse off: $(printf '%s' "$NOREUSE_MAIN_CF" | tr '\n' ';')"
    impl_facts
} > "$OUT.head"
mv "$OUT.head" "$OUT"
cat "$OUT" >&2
log "results go to $OUT"

ALL=$(for c in $CASES; do for r in $REUSE; do echo "${c%%:*} ${c##*:} $r"; done; done)
if [ "$PROFILE" = 1 ]; then
    IFS=: read -r psize pconc preuse <<< "$PROFILE_CASE"
    for impl in $IMPLS; do mta_bench "$impl" "$psize" "$pconc" "$preuse" 0; done
fi
mta_rounds "$ALL"

HEADER=$'impl\tsize\tconc\treuse\trun\tn\taccept_rate\te2e_rate\tcpu_ms_per_msg\tdelivered\twarnings\tforeign_pct\tflag\treused_pct'
SUMMARY=$(mta_summary "$RAW" "$ALL" $'size\tconc\treuse' 14 reused_pct)
# memory: medians over the runs per implementation, case and program,
# then the ratios ours/Postfix per case and program
RSS_HEADER=$'impl\tsize\tconc\treuse\trun\tprogram\tprocs\tmax_kb\ttotal_kb'
RSS_SUMMARY=$(awk -F'\t' -v impls="$IMPLS" -v cases="$ALL" "$AWK_MED"'
    function ratio(a, b) { return (b > 0 && a != "-") ? sprintf("%.2f", a / b) : "NA" }
    { key = $2 " " $3 " " $4; prog[$6] = 1
      for (c = 7; c <= 9; c++) v[$1, key, $6, c] = v[$1, key, $6, c] " " $c }
    END {
        print "size\tconc\treuse\tprogram\tours_procs\tpostfix_procs\tours_max_kb\tpostfix_max_kb\tmax_ratio\tours_total_kb\tpostfix_total_kb\ttotal_ratio"
        nk = split(cases, ck, "\n")
        n = 0; for (p in prog) names[++n] = p
        for (i = 2; i <= n; i++) { t = names[i]; for (j = i - 1; j > 0 && names[j] > t; j--) names[j + 1] = names[j]; names[j + 1] = t }
        for (k = 1; k <= nk; k++) for (i = 1; i <= n; i++) {
            key = ck[k]; p = names[i]
            if (!((("ours", key, p, 8) in v)) && !((("postfix", key, p, 8) in v))) continue
            split(key, kk, " ")
            for (c = 7; c <= 9; c++) { o[c] = med(v["ours", key, p, c]); f[c] = med(v["postfix", key, p, c])
                if (o[c] == "NA") o[c] = "-"; if (f[c] == "NA") f[c] = "-" }
            printf "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", kk[1], kk[2], kk[3], p,
                o[7], f[7], o[8], f[8], ratio(o[8], f[8]), o[9], f[9], ratio(o[9], f[9])
        }
    }' "$RSS")
{
    echo "# loadavg at end: $(cut -d' ' -f1-3 /proc/loadavg)"
    echo "$HEADER"
    cat "$RAW"
    echo "$SUMMARY"
    echo
    echo "# resident memory per program and run (kB; max: the largest peak RSS of one process, total: the largest sum of the Pss of all its processes in one sample)"
    echo "$RSS_HEADER"
    cat "$RSS"
    echo
    echo "$RSS_SUMMARY"
} >> "$OUT"
echo
echo "$SUMMARY" | grep '^# noise'
echo "$SUMMARY" | sed -n '/^impl\tsize/,/^$/p' | column -t -s $'\t'
echo "$SUMMARY" | sed -n '/^size\tconc/,$p' | column -t -s $'\t'
echo
echo "# resident memory, medians (kB)"
echo "$RSS_SUMMARY" | column -t -s $'\t'
echo "results: $OUT"
