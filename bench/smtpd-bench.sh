#!/usr/bin/env bash
# smtpd-bench.sh - SMTP accept throughput, our smtpd against Debian's Postfix.
#
# Measures smtp-source -> smtpd -> cleanup (with trivial-rewrite) ->
# incoming/ for our programs and for Debian's Postfix in the same run. For
# every message size, every number of sessions and every run, each
# implementation in turn (ours, then Postfix, back to back):
#
#   1. a throwaway instance in a mktemp directory (own config, queue, data
#      directory and maillog_file); master.cf has postlog, smtpd on
#      127.0.0.1:PORT, cleanup, rewrite, anvil and proxymap (the services
#      an unchanged smtpd uses), and no qmgr: every accepted message stays
#      in incoming/. cleanup fsyncs every queue file before it says "ok"
#      (both), so a 250 is a durable message;
#   2. WARMUP messages from one session, not timed;
#   3. N messages from Debian's smtp-source with S parallel sessions (one
#      connection per message unless SOURCE_OPTS has -d), message size
#      SIZE; timed from the start of smtp-source until it exits, i.e. until
#      the last message got its 250 reply; then the number of complete
#      queue files in incoming/ is checked;
#   4. "postfix stop", the directory is removed.
#
# Reported per run: msgs_per_s (accept rate), cpu_ms (CPU of every
# process of the instance per message, from the "daemons" cgroup, or from
# /proc samples without cgroups), smtpd_ms and cleanup_ms (the smtpd and
# cleanup processes' shares, from /proc samples), rss_kb (the largest resident set of one smtpd process
# seen during the run, sampled every POLL seconds) and foreign_pct (CPU
# of everything else, in % of all CPUs; a run above NOISE_PCT is "noisy"
# and repeated; known only with cgroups). Then medians and ratios ours/Postfix (below 1: we are
# faster / cheaper / smaller). Timings are noisy: compare ratios.
#
# Usage: bench/smtpd-bench.sh [RESULTS.tsv]      (as root)
#
# Environment (defaults in brackets):
#   N             timed messages per run [1000]
#   SIZES         message sizes in bytes [1024 102400]
#   SESSIONS      parallel smtp-source sessions [1 10 50]
#   RUNS          runs per case and implementation [3]
#   IMPLS         [ours postfix]
#   WARMUP        [20]      PORT [a free port, chosen at start]
#   BUILD         our meson build [<top>/build]
#   PF_SBIN [/usr/sbin]     PF_DAEMONS [/usr/lib/postfix/sbin]
#   RCPT          envelope recipient, a local user [root@bench.local]
#   SMTP_SOURCE   load generator [/usr/sbin/smtp-source]
#   SOURCE_OPTS   extra smtp-source options (e.g. -d) []
#   MAIL_OWNER [postfix]    SETGID_GROUP [postdrop]
#   EXTRA_MAIN_CF extra main.cf lines for both []
#   POLL [0.05]   RUN_TIMEOUT [300]   NOISE_PCT [25]   RETRIES [2]
#   USE_CGROUP=0  no cgroup accounting      KEEP_WORK=1 keep the temp dir
#   TMPDIR [/tmp]
set -u
export LC_ALL=C
shopt -s nullglob extglob

top=$(cd "$(dirname "$0")/.." && pwd)
BENCH=smtpd-bench
. "$top/bench/lib.sh"
N=${N:-1000}
SIZES=${SIZES:-1024 102400}
SESSIONS=${SESSIONS:-1 10 50}
RUNS=${RUNS:-3}
IMPLS=${IMPLS:-ours postfix}
WARMUP=${WARMUP:-20}
PORT=${PORT:-$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')}
BUILD=${BUILD:-$top/build}
PF_SBIN=${PF_SBIN:-/usr/sbin}
PF_DAEMONS=${PF_DAEMONS:-/usr/lib/postfix/sbin}
SMTP_SOURCE=${SMTP_SOURCE:-/usr/sbin/smtp-source}
SOURCE_OPTS=${SOURCE_OPTS:-}
MAIL_OWNER=${MAIL_OWNER:-postfix}
SETGID_GROUP=${SETGID_GROUP:-postdrop}
EXTRA_MAIN_CF=${EXTRA_MAIN_CF:-}
POLL=${POLL:-0.05}
RUN_TIMEOUT=${RUN_TIMEOUT:-300}
USE_CGROUP=${USE_CGROUP:-1}
KEEP_WORK=${KEEP_WORK:-0}
NOISE_PCT=${NOISE_PCT:-25}
RETRIES=${RETRIES:-2}
TMPBASE=${TMPDIR:-/tmp}
SENDER=sender@bench.local
RCPT=${RCPT:-root@bench.local}	# a local user: local_recipient_maps (proxymap) is used
OUT=${1:-$top/bench/results/smtpd-$(date +%Y%m%d-%H%M%S).tsv}

[ "$(id -u)" = 0 ] || die "must run as root (master runs as root)"
[ "${BASH_VERSINFO[0]}" -ge 5 ] || die "bash >= 5 required"
id "$MAIL_OWNER" >/dev/null 2>&1 || die "no such user: $MAIL_OWNER"
[ -x "$SMTP_SOURCE" ] || die "no $SMTP_SOURCE (apt-get install postfix)"
for impl in $IMPLS; do
    case $impl in
        ours) [ -x "$BUILD/src/smtpd/smtpd" ] || die "no build in $BUILD (run make)";;
        postfix) [ -x "$PF_DAEMONS/smtpd" ] || die "no $PF_DAEMONS/smtpd (apt-get install postfix)";;
        *) die "unknown implementation in IMPLS: $impl";;
    esac
done
[ "$N" -gt 0 ] 2>/dev/null || die "bad N: $N"
CLK_TCK=$(getconf CLK_TCK 2>/dev/null || echo 100)
NCPU=$(nproc)

ROOT='' WORK='' ETC='' MASTER_PID='' IMPL_CTL='' SOURCE_PID=''
# cleanup_all - on exit: stop the load, the instance, remove cgroups and
# the temp directory
cleanup_all() {
    [ -n "$SOURCE_PID" ] && { kill -TERM "$SOURCE_PID" 2>/dev/null; wait "$SOURCE_PID" 2>/dev/null; }
    stop_instance
    cg_done
    if [ -n "$ROOT" ] && [ -d "$ROOT" ]; then
        if [ "$KEEP_WORK" = 1 ]; then log "kept $ROOT"; else rm -rf "$ROOT"; fi
    fi
}
trap cleanup_all EXIT
trap 'exit 130' INT TERM HUP

ROOT=$(mktemp -d "$TMPBASE/smtpd-bench.XXXXXX") || die "mktemp failed"
chmod 755 "$ROOT"
STAGE=$ROOT/stage
[[ " $IMPLS " == *" ours "* ]] && stage_ours "$BUILD" "$STAGE"
cg_init ctl daemons load

# write_instance - config and directories for implementation $1 in $WORK
write_instance() {
    local svc daemons
    make_work_dirs
    {
        echo "# generated by smtpd-bench.sh ($1)"
        write_main_cf "$1" "$STAGE"
        echo "mynetworks = 127.0.0.0/8"
        [ -n "$EXTRA_MAIN_CF" ] && printf '%s\n' "$EXTRA_MAIN_CF"
    } > "$ETC/main.cf"
    if [ "$1" = ours ]; then daemons=$STAGE/usr/libexec/postfix; else daemons=$PF_DAEMONS; fi
    {
        echo "# generated by smtpd-bench.sh: SMTP intake only, no qmgr"
        echo "postlog   unix-dgram n  -       n       -       1       postlogd"
        echo "127.0.0.1:$PORT inet n  -       n       -       -       smtpd"
        echo "cleanup   unix  n       -       n       -       0       cleanup"
        echo "rewrite   unix  -       -       n       -       -       trivial-rewrite"
        for svc in anvil proxymap; do
            [ -x "$daemons/$svc" ] || continue
            if [ $svc = anvil ]; then
                echo "anvil     unix  -       -       n       -       1       anvil"
            else
                echo "proxymap  unix  -       -       n       -       -       proxymap"
            fi
        done
    } > "$ETC/master.cf"
}

# count_complete impl - COUNT = complete queue files in incoming/
# (Postfix marks a complete file with the owner execute bit)
count_complete() {
    local -a f=("$WORK/spool/incoming/"!(tmp.*))
    local x c=0
    if [ "$1" = postfix ]; then
        for x in "${f[@]}"; do [ -x "$x" ] && c=$(( c + 1 )); done
        COUNT=$c
    else
        COUNT=${#f[@]}
    fi
}

# sample_daemons - note the CPU time of every smtpd and cleanup child of
# master (P_NAME, P_FIRST, P_LAST: pid -> name, first and last ns seen)
# and the largest resident set of an smtpd (RSS_MAX, kB)
declare -A P_NAME P_FIRST P_LAST
RSS_MAX=0
sample_daemons() {
    local kids p ns comm k v
    kids=''
    { read -r kids < "/proc/$MASTER_PID/task/$MASTER_PID/children"; } 2>/dev/null
    for p in $kids; do
        { read -r comm < "/proc/$p/comm"; } 2>/dev/null || continue
        case $comm in smtpd|cleanup) ;; *) continue;; esac
        { read -r ns _ < "/proc/$p/schedstat"; } 2>/dev/null || continue
        [ -n "${P_FIRST[$p]:-}" ] || { P_FIRST[$p]=$ns; P_NAME[$p]=$comm; }
        P_LAST[$p]=$ns
        [ "$comm" = smtpd ] || continue
        while read -r k v _; do
            [ "$k" = VmRSS: ] && { [ "$v" -gt "$RSS_MAX" ] && RSS_MAX=$v; break; }
        done < "/proc/$p/status" 2>/dev/null
    done
}
# daemon_ns name - nanoseconds used by the sampled processes called name
daemon_ns() {
    local q t=0
    for q in "${!P_FIRST[@]}"; do
        [ "${P_NAME[$q]}" = "$1" ] && t=$(( t + P_LAST[$q] - P_FIRST[$q] ))
    done
    echo "$t"
}

RAW=$ROOT/raw.tsv
: > "$RAW"
# run_one impl size sessions run - append one row to $RAW
run_one() {
    local impl=$1 size=$2 ses=$3 run=$4 t0 t1 s0 s1 d0=0 d1=0 l0=0 l1=0 flag=ok base
    sync
    WORK=$ROOT/$impl-$size-$ses-$run
    mkdir "$WORK"
    write_instance "$impl"
    start_instance
    local i
    for i in $(seq 1 100); do
        (exec 3<>/dev/tcp/127.0.0.1/$PORT) 2>/dev/null && break
        nap 0.05
    done
    in_cgroup load "$SMTP_SOURCE" -s 1 -m "$WARMUP" -l "$size" -f "$SENDER" -t "$RCPT" \
        127.0.0.1:$PORT > "$WORK/warmup.out" 2>&1 ||
        die "warm-up failed ($impl): $(cat "$WORK/warmup.out"; tail -5 "$WORK/log/maillog")"
    nap 0.3
    count_complete "$impl"; base=$COUNT
    P_NAME=() P_FIRST=() P_LAST=() RSS_MAX=0
    [ -n "$CG_MODE" ] && { d0=$(cg_usec daemons); l0=$(( $(cg_usec load) + $(cg_usec ctl) )); }
    s0=$(sys_ticks)
    t0=$EPOCHREALTIME
    in_cgroup load "$SMTP_SOURCE" $SOURCE_OPTS -s "$ses" -m "$N" -l "$size" \
        -f "$SENDER" -t "$RCPT" 127.0.0.1:$PORT > "$WORK/source.out" 2>&1 &
    SOURCE_PID=$!
    local deadline=$(( SECONDS + RUN_TIMEOUT ))
    while alive "$SOURCE_PID"; do
        sample_daemons
        [ "$SECONDS" -ge "$deadline" ] && { flag=timeout; kill "$SOURCE_PID"; break; }
        nap "$POLL"
    done
    wait "$SOURCE_PID" || { [ "$flag" = ok ] && flag=source_failed; }
    SOURCE_PID=''
    t1=$EPOCHREALTIME
    sample_daemons
    s1=$(sys_ticks)
    [ -n "$CG_MODE" ] && { d1=$(cg_usec daemons); l1=$(( $(cg_usec load) + $(cg_usec ctl) )); }
    count_complete "$impl"
    local got=$(( COUNT - base ))
    [ "$got" -eq "$N" ] || { [ "$flag" = ok ] && flag=count_$got; }
    [ "$flag" = ok ] || log "$impl size=$size sessions=$ses run=$run: $flag ($(head -c 300 "$WORK/source.out"))"
    local sm cm
    sm=$(daemon_ns smtpd); cm=$(daemon_ns cleanup)
    local warnings
    warnings=$(count_problems)
    awk -v impl="$impl" -v size="$size" -v ses="$ses" -v run="$run" -v n="$N" -v t0="$t0" -v t1="$t1" \
        -v d0="$d0" -v d1="$d1" -v l0="$l0" -v l1="$l1" -v cg="${CG_MODE:-}" -v sm="$sm" -v cm="$cm" -v rss="$RSS_MAX" -v s0="$s0" -v s1="$s1" \
        -v hz="$CLK_TCK" -v ncpu="$NCPU" -v warn="$warnings" -v flag="$flag" -v noise="$NOISE_PCT" 'BEGIN {
        wall = t1 - t0; split(s0, a, " "); split(s1, b, " ")
        daemons = (cg != "") ? (d1 - d0) / 1e6 : (sm + cm) / 1e9
        busy = (b[1] - a[1]) / hz
        # foreign: neither the instance nor smtp-source and this script
        # (known only with cgroups; else 0: no noise detection)
        foreign = (cg != "") ? busy - daemons - (l1 - l0) / 1e6 : 0
        if (foreign < 0) foreign = 0
        fpct = 100 * foreign / (wall * ncpu)
        printf "%s\t%d\t%d\t%d\t%d\t%.3f\t%.1f\t%.3f\t%.3f\t%d\t%.1f\t%d\t%s\t%.3f\n",
            impl, size, ses, run, n, wall, n / wall, 1000 * daemons / n, 1e-6 * sm / n, rss, fpct, warn, flag,
            1e-6 * cm / n
    }' >> "$RAW"
    tail -1 "$RAW" | awk -F'\t' '{printf "  %-7s size=%-6s sessions=%-2s run=%s  %7.1f msg/s  cpu %6.3f ms/msg (smtpd %.3f, cleanup %.3f)  smtpd rss %d kB  busy-other %s%%  %s\n",
        $1, $2, $3, $4, $7, $8, $9, $14, $10, $11, $13}' >&2
    [ "$warnings" -gt 0 ] && show_problems
    stop_instance
    [ "$KEEP_WORK" = 1 ] || rm -rf "$WORK"
    WORK=''
}

mkdir -p "$(dirname "$OUT")"
{
    echo "# smtpd-bench.sh: smtp-source -> smtpd -> cleanup -> incoming/, no qmgr"
    machine_facts
    echo "# N=$N SIZES='$SIZES' SESSIONS='$SESSIONS' RUNS=$RUNS WARMUP=$WARMUP SOURCE_OPTS='$SOURCE_OPTS' cgroup=${CG_MODE:-none}"
    impl_facts
} > "$OUT"
cat "$OUT" >&2
for size in $SIZES; do
    [ "$size" -ge 128 ] 2>/dev/null || die "bad size: $size (at least 128)"
done

for run in $(seq 1 "$RUNS"); do
    for size in $SIZES; do
        for ses in $SESSIONS; do
            for impl in $IMPLS; do
                for attempt in $(seq 0 "$RETRIES"); do
                    run_one "$impl" "$size" "$ses" "$run" < /dev/null
                    [ "$(tail -1 "$RAW" | cut -f11 | cut -d. -f1)" -gt "$NOISE_PCT" ] || break
                    [ "$attempt" -lt "$RETRIES" ] && log "run was noisy (other CPU > $NOISE_PCT%): repeating it"
                done
            done
        done
    done
done

HEADER=$'impl\tsize\tsessions\trun\tn\twall_s\tmsgs_per_s\tcpu_ms\tsmtpd_ms\trss_kb\tother_pct\twarnings\tflag\tcleanup_ms'
# medians over the runs flagged ok (the last attempt of each case counts)
SUMMARY=$(awk -F'\t' -v impls="$IMPLS" '
    function med(s,   a, k, i, j, t, m) {
        k = split(s, a, " "); if (k == 0) return "NA"
        for (i = 2; i <= k; i++) { t = a[i]; for (j = i - 1; j > 0 && a[j] + 0 > t + 0; j--) a[j + 1] = a[j]; a[j + 1] = t }
        m = int((k + 1) / 2); return (k % 2) ? a[m] : (a[m] + a[m + 1]) / 2 }
    $13 == "ok" { key = $2 "\t" $3; if (!(key in seen)) { seen[key] = 1; keys[++nk] = key }
        used[$1, key]++; for (c = 6; c <= 10; c++) v[$1, key, c] = v[$1, key, c] " " $c }
    END {
        print "size\tsessions\tours_msgs_per_s\tpostfix_msgs_per_s\trate_ratio\tours_cpu_ms\tpostfix_cpu_ms\tcpu_ratio\tours_rss_kb\tpostfix_rss_kb\trss_ratio"
        for (k = 1; k <= nk; k++) {
            key = keys[k]; if (!used["ours", key] || !used["postfix", key]) continue
            for (c = 6; c <= 10; c++) { o[c] = med(v["ours", key, c]); p[c] = med(v["postfix", key, c]) }
            printf "%s\t%s\t%s\t%.2f\t%s\t%s\t%.2f\t%s\t%s\t%.2f\n", key, o[7], p[7], (p[7] > 0 ? o[7] / p[7] : 0),
                o[8], p[8], (p[8] > 0 ? o[8] / p[8] : 0), o[10], p[10], (p[10] > 0 ? o[10] / p[10] : 0)
        }
    }' "$RAW")
{
    echo "# loadavg at end: $(cut -d' ' -f1-3 /proc/loadavg)"
    echo "$HEADER"
    cat "$RAW"
    echo
    echo "$SUMMARY"
} >> "$OUT"
echo
echo "$SUMMARY" | column -t -s $'\t'
echo "results: $OUT"
