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
N=${N:-1000}
SIZES=${SIZES:-1024 102400}
CONCURRENCIES=${CONCURRENCIES:-1 10}
SCENARIOS=${SCENARIOS:-virtual local}
RUNS=${RUNS:-3}
IMPLS=${IMPLS:-ours postfix}
WARMUP=${WARMUP:-20}
EXTRA_MAIN_CF=${EXTRA_MAIN_CF:-}
SOURCE_OPTS=${SOURCE_OPTS:-}
NOISE_PCT=${NOISE_PCT:-25}
RETRIES=${RETRIES:-1}
QUIET_PCT=${QUIET_PCT:-10}
QUIET_WAIT=${QUIET_WAIT:-3}
RUN_TIMEOUT=${RUN_TIMEOUT:-300}
PROFILE=${PROFILE:-0}
BUILD=${BUILD:-$top/build}
if [ -z "${MTA_BENCH:-}" ]; then
    MTA_BENCH=$top/bench/mta-bench.sh
    [ -x "$MTA_BENCH" ] || MTA_BENCH=/work/shared/bench/mta-bench.sh
fi
PF_SBIN=${PF_SBIN:-/usr/sbin}
PF_DAEMONS=${PF_DAEMONS:-/usr/lib/postfix/sbin}
MAIL_OWNER=${MAIL_OWNER:-postfix}
SETGID_GROUP=${SETGID_GROUP:-postdrop}
BENCH_USER=${BENCH_USER:-nobody}
KEEP_WORK=${KEEP_WORK:-0}
TMPBASE=${TMPDIR:-/tmp}
# shellcheck disable=SC2034  # both are read by lib.sh
USE_CGROUP=0            # lib.sh: mta-bench.sh does its own cgroups
OUT=${1:-$top/bench/results/delivery-$(date +%Y%m%d-%H%M%S).tsv}

# shellcheck disable=SC2034
BENCH=delivery-bench
. "$top/bench/lib.sh"

[ "$(id -u)" = 0 ] || die "must run as root (master runs as root)"
[ "${BASH_VERSINFO[0]}" -ge 5 ] || die "bash >= 5 required"
[ -x "$MTA_BENCH" ] || die "no benchmark script $MTA_BENCH (set MTA_BENCH)"
[ -x "$PF_SBIN/smtp-source" ] || die "no $PF_SBIN/smtp-source (apt-get install postfix)"
id "$MAIL_OWNER" >/dev/null 2>&1 || die "no such user: $MAIL_OWNER"
id "$BENCH_USER" >/dev/null 2>&1 || die "no such user: $BENCH_USER"
getent group "$SETGID_GROUP" >/dev/null || die "no such group: $SETGID_GROUP"
for impl in $IMPLS; do
    case $impl in
        ours) [ -x "$BUILD/src/smtpd/smtpd" ] && [ -x "$BUILD/src/qmgr/qmgr" ] ||
                  die "no build in $BUILD (run make)";;
        postfix) for f in master smtpd cleanup qmgr local virtual; do
                     [ -x "$PF_DAEMONS/$f" ] || die "no $PF_DAEMONS/$f (apt-get install postfix)"
                 done;;
        *) die "unknown implementation in IMPLS: $impl";;
    esac
done
for sc in $SCENARIOS; do
    case $sc in virtual|local) ;; *) die "unknown scenario: $sc (virtual, local)";; esac
done
[ "$N" -gt 0 ] 2>/dev/null || die "bad N: $N"
[ "$PROFILE" = 1 ] && { command -v perf >/dev/null || die "PROFILE=1 needs perf"; }

# ---------------------------------------------------------------- set-up
ROOT='' CHILD=''
# leftover_instances - stop every instance still running in $ROOT (an
# interrupted mta-bench.sh may leave one)
leftover_instances() {
    local pidf p conf
    for pidf in "$ROOT"/*/mta-bench.*/spool/pid/master.pid; do
        { read -r p < "$pidf"; } 2>/dev/null || continue
        p=${p//[!0-9]/}
        [ -n "$p" ] && alive "$p" || continue
        conf=${pidf%/spool/pid/master.pid}/etc
        log "stopping leftover instance $conf (master $p)"
        "$(sed -n 's/^command_directory = //p' "$conf/main.cf")/postfix" -c "$conf" stop >/dev/null 2>&1
        for _ in $(seq 1 100); do alive "$p" || break; nap 0.1; done
        alive "$p" && kill -9 "$p" 2>/dev/null
    done
}
# cleanup_all - on exit: stop a running mta-bench.sh and what it started,
# remove the temp directory
cleanup_all() {
    if [ -n "$CHILD" ]; then
        kill -TERM "$CHILD" 2>/dev/null
        wait "$CHILD" 2>/dev/null
        CHILD=''
    fi
    if [ -n "$ROOT" ] && [ -d "$ROOT" ]; then
        leftover_instances
        if [ "$KEEP_WORK" = 1 ]; then log "kept $ROOT"; else rm -rf "$ROOT"; fi
    fi
}
trap cleanup_all EXIT
trap 'exit 130' INT TERM HUP

ROOT=$(mktemp -d "$TMPBASE/delivery-bench.XXXXXX") || die "mktemp failed"
chmod 755 "$ROOT"       # the daemons and BENCH_USER must reach the queue
STAGE=$ROOT/stage
[[ " $IMPLS " == *" ours "* ]] && stage_ours "$BUILD" "$STAGE"

# free_port - a TCP port on 127.0.0.1 that nothing listens on
free_port() {
    local p
    for _ in $(seq 1 200); do
        p=$(( 20000 + RANDOM % 30000 ))
        (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null && continue
        echo "$p"; return 0
    done
    die "no free port found"
}
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
    local impl=$1 sc=$2 size=$3 conc=$4 run=$5 dir out rc
    dir=$ROOT/$impl-$sc-$size-$conc-$run
    mkdir -p "$dir"
    out=$dir/result.tsv
    local -a env=(TMPDIR="$dir" FACTS=0 PORT="$PORT" SINK_PORT="$SINK_PORT"
        SCENARIOS="$sc" LOCAL_SIZES="$size" LOCAL_CONCURRENCIES="$conc"
        N="$N" WARMUP="$WARMUP" RUNS=1 RETRIES="$RETRIES" NOISE_PCT="$NOISE_PCT"
        QUIET_PCT="$QUIET_PCT" QUIET_WAIT="$QUIET_WAIT" RUN_TIMEOUT="$RUN_TIMEOUT"
        SOURCE_OPTS="$SOURCE_OPTS" SMTP_SOURCE="$PF_SBIN/smtp-source"
        SMTP_SINK="$PF_SBIN/smtp-sink" MTA_USER="$MAIL_OWNER"
        MTA_SETGID_GROUP="$SETGID_GROUP" BENCH_USER="$BENCH_USER"
        MTA_EXTRA_MAIN_CF="$EXTRA_MAIN_CF" KEEP_WORK="$KEEP_WORK" MTA_LABEL="$impl")
    if [ "$impl" = ours ]; then
        env+=(MTA_POSTFIX="$STAGE/usr/sbin/postfix" MTA_DAEMON_DIR="$STAGE/usr/libexec/postfix"
              MTA_META_DIR="$STAGE/etc/postfix" MTA_SHLIB_DIR="$STAGE/usr/lib/postfix")
    else
        env+=(MTA_POSTFIX="$PF_SBIN/postfix" MTA_DAEMON_DIR="$PF_DAEMONS")
    fi
    if [ "$run" = 0 ]; then
        env+=(RETRIES=0)
        env "${env[@]}" perf record -q -a -g -F 999 -o "$dir/perf.data" -- \
            "$MTA_BENCH" "$out" > "$dir/stdout" 2> "$dir/stderr" < /dev/null &
    else
        env "${env[@]}" "$MTA_BENCH" "$out" > "$dir/stdout" 2> "$dir/stderr" < /dev/null &
    fi
    CHILD=$!
    wait "$CHILD"; rc=$?
    CHILD=''
    grep '^  ' "$dir/stderr" | sed "s/^ /$impl/; s/ run=1 / run=$run /" >&2
    grep -E 'fatal|log:|timeout|exit [0-9]' "$dir/stderr" | head -20 | sed 's/^/    /' >&2
    [ "$rc" = 0 ] || { log "mta-bench.sh failed ($impl $sc size=$size conc=$conc): exit $rc"; return 1; }
    if [ "$run" = 0 ]; then
        perf_summary "$impl" "$sc-$size-$conc" "$dir/perf.data"
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

MTA_COMMS='master|smtpd|cleanup|qmgr|local|virtual|trivial-rewrite|proxymap|bounce|anvil|postlogd|pickup|smtp-source'
# perf_summary impl case data - samples per program of the instance, each
# split by the system call it was in (or user space), and its hottest
# functions, into <OUT>.perf-<impl>-<case>.txt
perf_summary() {
    local f=${OUT%.tsv}.perf-$1-$2.txt
    {
        echo "# perf record -a -g -F 999, one run of mta-bench.sh ($1, $2, N=$N, plus warm-up and start)"
        echo "# at -F 999 one sample is about 1 ms of CPU; whole machine, so other tenants appear too"
        perf report -i "$3" -n --no-children --sort comm --stdio -g none 2>/dev/null |
            grep -v '^#' | grep -v '^$' | head -25
        # one pass over the samples: per program of the instance, where
        # the kernel was entered (first system call frame of the stack),
        # and the function each sample was in (self)
        perf script -i "$3" -F comm,ip,sym,dso 2>/dev/null | awk -v re="^($MTA_COMMS)\$" '
            function done_sample() {
                if (comm == "") return
                total[comm]++
                k = (sys != "") ? sys : (kern ? "kernel, no system call" : "user space")
                where[comm, k]++
                self[comm, top]++
                if (!kern) uself[comm, top]++
                comm = ""
            }
            /^[^ \t]/ { done_sample(); if ($1 ~ re) { comm = $1; top = ""; sys = ""; kern = 0 }; next }
            comm != "" && NF >= 2 {
                if (top == "") { top = $2 " " $NF; kern = ($NF ~ /kernel/) }
                if (sys == "" && $2 ~ /^(__x64_sys_|__do_sys_|ksys_)/) { sys = $2; sub(/^(__x64_sys_|__do_sys_|ksys_)/, "", sys) }
            }
            END {
                done_sample()
                for (c in total) printf "%d\t%s\n", total[c], c
                print "--"
                for (x in where) { split(x, a, SUBSEP); printf "W\t%s\t%d\t%s\n", a[1], where[x], a[2] }
                for (x in self) { split(x, a, SUBSEP); printf "S\t%s\t%d\t%s\n", a[1], self[x], a[2] }
                for (x in uself) { split(x, a, SUBSEP); printf "U\t%s\t%d\t%s\n", a[1], uself[x], a[2] }
            }' > "$ROOT/perf.agg"
        local comm n
        sed '/^--$/,$d' "$ROOT/perf.agg" | sort -rn | while IFS=$'\t' read -r n comm; do
            echo
            echo "# $comm: $n samples; where (system call, user space):"
            awk -F'\t' -v c="$comm" -v n="$n" '$1 == "W" && $2 == c && $3 * 50 >= n {
                printf "%7d %5.1f%%  %s\n", $3, 100 * $3 / n, $4 }' "$ROOT/perf.agg" | sort -rn
            echo "# $comm: hottest functions (self):"
            awk -F'\t' -v c="$comm" -v n="$n" '$1 == "S" && $2 == c {
                printf "%7d %5.1f%%  %s\n", $3, 100 * $3 / n, $4 }' "$ROOT/perf.agg" | sort -rn | head -15
            echo "# $comm: hottest functions in user space (self):"
            awk -F'\t' -v c="$comm" -v n="$n" '$1 == "U" && $2 == c {
                printf "%7d %5.1f%%  %s\n", $3, 100 * $3 / n, $4 }' "$ROOT/perf.agg" | sort -rn | head -12
        done
    } > "$f"
    rm -f "$ROOT/perf.agg"
    log "profile: $f"
}

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
# order impl_order run - the implementations in the order of run $1
impl_order() {
    if [ $(( $1 % 2 )) = 1 ]; then echo "$IMPLS"; else echo "$IMPLS" | awk '{for (i = NF; i > 0; i--) printf "%s ", $i}'; fi
}
if [ "$PROFILE" = 1 ]; then
    while read -r sc size conc; do
        for impl in $IMPLS; do mta_bench "$impl" "$sc" "$size" "$conc" 0; done
    done <<< "$CASES"
fi
for run in $(seq 1 "$RUNS"); do
    while read -r sc size conc; do
        for impl in $(impl_order "$run"); do
            mta_bench "$impl" "$sc" "$size" "$conc" "$run" || true
        done
    done <<< "$CASES"
done

HEADER=$'impl\tscenario\tsize\tconc\trun\tn\taccept_rate\te2e_rate\tcpu_ms_per_msg\tdelivered\twarnings\tforeign_pct\tflag'
SUMMARY=$(awk -F'\t' -v impls="$IMPLS" -v cases="$CASES" '
    function med(s,   a, k, i, j, t, m) {
        k = split(s, a, " "); if (k == 0) return "NA"
        for (i = 2; i <= k; i++) { t = a[i]; for (j = i - 1; j > 0 && a[j] + 0 > t + 0; j--) a[j + 1] = a[j]; a[j + 1] = t }
        m = int((k + 1) / 2); return (k % 2) ? a[m] : (a[m] + a[m + 1]) / 2 }
    { key = $2 " " $3 " " $4; total++; flags[$13]++
      if ($13 != "ok" && $13 != "noisy") next
      g = $13; cnt[$1, key, g]++
      for (c = 7; c <= 9; c++) v[$1, key, g, c] = v[$1, key, g, c] " " $c
      fp[g] = fp[g] " " $12 }
    END {
        ni = split(impls, im, " "); nk = split(cases, ck, "\n")
        printf "# noise: %d runs:", total; for (f in flags) printf " %s=%d", f, flags[f]
        printf "; foreign CPU median %s%% (ok runs), %s%% (noisy runs)\n", med(fp["ok"]), med(fp["noisy"])
        print "impl\tscenario\tsize\tconc\tmedian_of\taccept_rate\te2e_rate\tcpu_ms_per_msg"
        for (k = 1; k <= nk; k++) for (i = 1; i <= ni; i++) {
            key = ck[k]; g = cnt[im[i], key, "ok"] ? "ok" : "noisy"
            if (!cnt[im[i], key, g]) continue
            used[im[i], key] = 1; split(key, kk, " ")
            printf "%s\t%s\t%s\t%s\t%s=%d", im[i], kk[1], kk[2], kk[3], g, cnt[im[i], key, g]
            for (c = 7; c <= 9; c++) { m[im[i], key, c] = med(v[im[i], key, g, c]); printf "\t%s", m[im[i], key, c] }
            printf "\n"
        }
        print ""
        print "scenario\tsize\tconc\tours_e2e_rate\tpostfix_e2e_rate\te2e_ratio\taccept_ratio\tours_cpu_ms\tpostfix_cpu_ms\tcpu_ratio"
        for (k = 1; k <= nk; k++) {
            key = ck[k]; if (!used["ours", key] || !used["postfix", key]) continue
            split(key, kk, " ")
            printf "%s\t%s\t%s\t%s\t%s\t%.2f\t%.2f\t%s\t%s\t%.2f\n", kk[1], kk[2], kk[3],
                m["ours", key, 8], m["postfix", key, 8],
                (m["postfix", key, 8] > 0 ? m["ours", key, 8] / m["postfix", key, 8] : 0),
                (m["postfix", key, 7] > 0 ? m["ours", key, 7] / m["postfix", key, 7] : 0),
                m["ours", key, 9], m["postfix", key, 9],
                (m["postfix", key, 9] > 0 ? m["ours", key, 9] / m["postfix", key, 9] : 0)
        }
    }' "$RAW")
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
