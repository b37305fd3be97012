#!/usr/bin/env bash
# submit-bench.sh - local submission throughput, ours against Debian's Postfix.
#
# Measures sendmail -> postdrop -> maildrop/ -> pickup -> cleanup (with
# trivial-rewrite) -> incoming/ for our programs and for Debian's Postfix
# in the same run. For every message size, every number of parallel
# submitters and every run, each implementation in turn (ours, then
# Postfix, back to back, so slow drifts of the machine hit both):
#
#   1. a throwaway instance in a mktemp directory: its own
#      config_directory, queue_directory, data_directory and maillog_file;
#      master.cf has only postlog, pickup, cleanup and rewrite: there is no
#      qmgr, so every message stays in incoming/ (cleanup's wake-up of
#      qmgr fails and logs a warning, alike in both);
#   2. "postfix -c DIR start" of that implementation, then WARMUP messages,
#      not timed (they start cleanup and trivial-rewrite);
#   3. N messages, each by one run of the implementation's own sendmail
#      ("sendmail -C DIR -i -f SENDER RCPT < message", a new RCPT each
#      time unless VARY_RCPT=0), from P parallel
#      submitters (N/P each), as root; postdrop is set-gid postdrop in
#      both (Debian's /usr/sbin/postdrop; ours is a set-gid copy in the
#      staged install), the daemons run as mail_owner postfix;
#   4. timed from the first sendmail until N complete queue files are in
#      incoming/ (ours: a queue ID name, cleanup renames complete files
#      into place; Postfix: a queue ID name with the owner execute bit,
#      which its cleanup sets when the file is complete);
#   5. "postfix stop", the directory is removed (also on error or ^C).
#
# in_flow_delay is 0 in both: without qmgr nobody hands out the flow
# tokens that Postfix's pickup and cleanup wait for, and Postfix would
# accept one message per in_flow_delay (1 s by default). Our pickup does
# not implement the tokens.
#
# CPU accounting. With a writable cgroup (v1 cpuacct or v2), this script
# runs in <cg>/ctl, the instance is started in <cg>/daemons, and each
# sendmail child of a submitter moves itself into <cg>/submit before it
# execs, so:
#   submit_ms   CPU of sendmail + postdrop per message (the submitters'
#               bash loops are not counted)
#   daemon_ms   CPU of master and every process it started (pickup,
#               cleanup, trivial-rewrite, postlogd) per message
#   cpu_ms      the sum: CPU per message of every process involved
# Without cgroups: submit_ms from the submitter loops' child rusage (bash
# "times": includes the loops' forks), daemon_ms is the sum of the
# per-daemon samples below (it misses what a daemon used after its last
# sample before it exited).
# In both modes the script also samples master and its children
# (/proc/<pid>/task/<pid>/children, CPU time in ns from
# /proc/<pid>/schedstat) every POLL seconds while it waits, for a
# per-daemon breakdown (pickup_ms, cleanup_ms, rewrite_ms, postlog_ms,
# master_ms = master itself); a daemon that exits during the run (max_use:
# pickup and cleanup are replaced every 100 uses) loses what it used
# after its last sample, so the parts add up to a little less than
# daemon_ms.
#   foreign_pct CPU used by other processes of the machine during the run,
#               in % of all CPUs (kernel threads, other tenants; niced
#               tenants included); above NOISE_PCT the run is "noisy".
#
# Output: one TSV file, default bench/results/submit-<date>.tsv: comment
# lines with the machine and settings, one row per run, the medians per
# implementation and case (over the clean runs; over the noisy ones when
# a case has no clean run), and the ratios ours/Postfix of the medians
# (time_ratio = wall time, cpu_ratio = CPU per message; below 1: we are
# faster / cheaper). Timings are noisy: compare ratios, not times.
#
# Usage: bench/submit-bench.sh [RESULTS.tsv]       (as root)
#
# Environment (defaults in brackets):
#   N             timed messages per run [500]
#   SIZES         message sizes in bytes [1024 10240]
#   PARALLEL      numbers of parallel submitters [1 4]
#   RUNS          runs per case and implementation; medians reported [3]
#   IMPLS         implementations to run [ours postfix]
#   WARMUP        untimed messages before each run [5]
#   BUILD         our meson build directory [<top>/build]; it is installed
#                 (meson install --destdir) into the temp directory once
#   PF_SBIN       Postfix command_directory [/usr/sbin]
#   PF_DAEMONS    Postfix daemon_directory [/usr/lib/postfix/sbin]
#   MAIL_OWNER    [postfix]    SETGID_GROUP [postdrop]
#   EXTRA_MAIN_CF extra main.cf lines for both (newline separated) []
#   VARY_RCPT     1: each message has its own envelope recipient
#                 (rcpt<submitter>x<i>@bench.local); 0: all go to
#                 rcpt@bench.local, which address caches answer [1]
#   POLL          seconds between completion checks [0.02]
#   RUN_TIMEOUT   seconds allowed for one run [300]
#   STALL_TIMEOUT give up after this many seconds without progress [30]
#   NOISE_PCT     a run during which other processes used more than this
#                 % of all CPUs is flagged "noisy", repeated (at most
#                 RETRIES more times) and left out of the medians when
#                 the case has clean runs [25]
#   RETRIES       [2]
#   USE_CGROUP=0  no cgroup accounting (the /proc + rusage fallback)
#   KEEP_WORK=1   keep the temp directory (configs, queues, maillogs)
#   TMPDIR        where the temp directory is made [/tmp]
#
# Needs: bash >= 5 (EPOCHREALTIME), root, Debian's postfix package, our
# build, the accounts postfix and the group postdrop.
#
# Not measured: delivery (no qmgr), the SMTP path (see
# /work/shared/bench/mta-bench.sh for end-to-end), sendmail -t.

set -u
export LC_ALL=C
shopt -s nullglob extglob

top=$(cd "$(dirname "$0")/.." && pwd)
N=${N:-500}
SIZES=${SIZES:-1024 10240}
PARALLEL=${PARALLEL:-1 4}
RUNS=${RUNS:-3}
IMPLS=${IMPLS:-ours postfix}
WARMUP=${WARMUP:-5}
BUILD=${BUILD:-$top/build}
PF_SBIN=${PF_SBIN:-/usr/sbin}
PF_DAEMONS=${PF_DAEMONS:-/usr/lib/postfix/sbin}
MAIL_OWNER=${MAIL_OWNER:-postfix}
SETGID_GROUP=${SETGID_GROUP:-postdrop}
EXTRA_MAIN_CF=${EXTRA_MAIN_CF:-}
POLL=${POLL:-0.02}
RUN_TIMEOUT=${RUN_TIMEOUT:-300}
STALL_TIMEOUT=${STALL_TIMEOUT:-30}
USE_CGROUP=${USE_CGROUP:-1}
KEEP_WORK=${KEEP_WORK:-0}
NOISE_PCT=${NOISE_PCT:-25}
RETRIES=${RETRIES:-2}
VARY_RCPT=${VARY_RCPT:-1}
TMPBASE=${TMPDIR:-/tmp}
SENDER=sender@bench.local
RCPT=rcpt@bench.local
OUT=${1:-$top/bench/results/submit-$(date +%Y%m%d-%H%M%S).tsv}

BENCH=submit-bench
. "$top/bench/lib.sh"

[ "$(id -u)" = 0 ] || die "must run as root (master runs as root, postdrop is set-gid)"
[ "${BASH_VERSINFO[0]}" -ge 5 ] || die "bash >= 5 required"
id "$MAIL_OWNER" >/dev/null 2>&1 || die "no such user: $MAIL_OWNER"
getent group "$SETGID_GROUP" >/dev/null || die "no such group: $SETGID_GROUP"
for impl in $IMPLS; do
    case $impl in
        ours) [ -x "$BUILD/src/sendmail/sendmail" ] || die "no build in $BUILD (run make)";;
        postfix) for f in "$PF_SBIN/postfix" "$PF_SBIN/sendmail" "$PF_SBIN/postdrop" \
                          "$PF_DAEMONS/master" "$PF_DAEMONS/pickup" "$PF_DAEMONS/cleanup"; do
                     [ -x "$f" ] || die "not executable: $f (apt-get install postfix)"
                 done;;
        *) die "unknown implementation in IMPLS: $impl";;
    esac
done
[ "$N" -gt 0 ] 2>/dev/null || die "bad N: $N"
CLK_TCK=$(getconf CLK_TCK 2>/dev/null || echo 100)
NCPU=$(nproc)

# ---------------------------------------------------------------- set-up
ROOT='' WORK='' ETC='' MASTER_PID='' IMPL_CTL=''
SUB_PIDS=()
# cleanup_all - on exit: stop the submitters and the instance, remove the
# cgroups and the temp directory
cleanup_all() {
    local p i
    if [ "${#SUB_PIDS[@]}" -gt 0 ]; then
        kill -TERM "${SUB_PIDS[@]}" 2>/dev/null
        for i in $(seq 1 100); do
            for p in "${SUB_PIDS[@]}"; do kill -0 "$p" 2>/dev/null && break; p=''; done
            [ -z "$p" ] && break
            nap 0.1
        done
        [ -n "$p" ] && kill -KILL "${SUB_PIDS[@]}" 2>/dev/null
        wait 2>/dev/null
        SUB_PIDS=()
        # a sendmail that was running goes on to its end
        for i in $(seq 1 50); do
            [ -n "$CG_MODE" ] && [ -s "$CG_DIR/submit/cgroup.procs" ] || break
            nap 0.1
        done
    fi
    stop_instance
    cg_done
    if [ -n "$ROOT" ] && [ -d "$ROOT" ]; then
        if [ "$KEEP_WORK" = 1 ]; then log "kept $ROOT"; else rm -rf "$ROOT"; fi
    fi
}
trap cleanup_all EXIT
trap 'exit 130' INT TERM HUP

ROOT=$(mktemp -d "$TMPBASE/submit-bench.XXXXXX") || die "mktemp failed"
chmod 755 "$ROOT"       # the daemons (mail_owner) must reach the queue
STAGE=$ROOT/stage
[[ " $IMPLS " == *" ours "* ]] && stage_ours "$BUILD" "$STAGE"
cg_init ctl daemons submit

for size in $SIZES; do
    [ "$size" -ge 128 ] 2>/dev/null || die "bad size: $size (at least 128)"
    make_message "$size" "$ROOT/msg.$size" "$SENDER" "$RCPT"
done

# write_instance - config and directories for implementation $1 in $WORK
write_instance() {
    make_work_dirs
    {
        echo "# generated by submit-bench.sh ($1)"
        write_main_cf "$1" "$STAGE"
        [ -n "$EXTRA_MAIN_CF" ] && printf '%s\n' "$EXTRA_MAIN_CF"
    } > "$ETC/main.cf"
    cat > "$ETC/master.cf" <<'EOF'
# generated by submit-bench.sh: submission only, no qmgr
# service type  private unpriv  chroot  wakeup  maxproc command + args
postlog   unix-dgram n  -       n       -       1       postlogd
pickup    unix  n       -       n       60      1       pickup
cleanup   unix  n       -       n       -       0       cleanup
rewrite   unix  -       -       n       -       -       trivial-rewrite
EOF
}

# ---------------------------------------------------------------- counting
# count_complete - COUNT = complete queue files in incoming/ ($1 = impl);
# the execute bit is looked at only when the names are enough
count_complete() {
    local -a f=("$WORK/spool/incoming/"!(tmp.*))
    local x c=0
    COUNT=${#f[@]}
    if [ "$1" = postfix ] && [ "$COUNT" -ge "$2" ]; then
        for x in "${f[@]}"; do [ -x "$x" ] && c=$(( c + 1 )); done
        COUNT=$c
    fi
}

# daemon samples: per pid its name and the first and last CPU time seen
# (nanoseconds on a CPU, from /proc/<pid>/schedstat)
declare -A D_NAME D_FIRST D_LAST
# sample_daemons - note the CPU time of master and of its children
sample_daemons() {
    local kids p ns comm
    kids=''     # (the file has no final newline: read fails but sets kids)
    { read -r kids < "/proc/$MASTER_PID/task/$MASTER_PID/children"; } 2>/dev/null
    for p in "$MASTER_PID" $kids; do
        { read -r ns _ < "/proc/$p/schedstat"; } 2>/dev/null || continue
        if [ -z "${D_NAME[$p]:-}" ]; then
            { read -r comm < "/proc/$p/comm"; } 2>/dev/null || continue
            D_NAME[$p]=$comm
            if [ "$SAMPLING" = 0 ]; then D_FIRST[$p]=$ns; else D_FIRST[$p]=0; fi
        fi
        D_LAST[$p]=$ns
    done
}

# submitter - send $2 messages of size $3 with sendmail $4; then write the
# loop's child CPU ("times") to $WORK/sub.$1
submitter() {
    local i rc=0 msg=$ROOT/msg.$3 cg='' r=$RCPT
    [ -n "$CG_MODE" ] && cg=$CG_DIR/submit/cgroup.procs
    for ((i = 0; i < $2; i++)); do
        # VARY_RCPT=1: a new recipient each time, so that no address
        # cache of cleanup or trivial-rewrite hides the lookups
        [ "$VARY_RCPT" = 1 ] && r=rcpt${1}x$i@bench.local
        ( [ -n "$cg" ] && echo "$BASHPID" > "$cg"
          exec "$4" -C "$ETC" -i -f "$SENDER" "$r" < "$msg" ) || rc=1
    done
    times > "$WORK/sub.$1"
    return $rc
}

# ---------------------------------------------------------------- one run
RAW=$ROOT/raw.tsv
: > "$RAW"
# run_one - impl size par run: append one row to $RAW
run_one() {
    local impl=$1 size=$2 par=$3 run=$4 sendmail i p base t0 t1 s0 s1 d0 d1 u0 u1 c0 c1
    local flag=ok rc=0 last=-1 since=$SECONDS deadline=$(( SECONDS + RUN_TIMEOUT ))
    sync
    WORK=$ROOT/$impl-$size-$par-$run
    mkdir "$WORK"
    write_instance "$impl"
    start_instance
    sendmail=$IMPL_CTL/sendmail

    # warm-up: one message at a time, until all are in incoming/
    for ((i = 0; i < WARMUP; i++)); do
        "$sendmail" -C "$ETC" -i -f "$SENDER" "$RCPT" < "$ROOT/msg.$size" ||
            die "warm-up sendmail failed ($impl): $(tail -5 "$WORK/log/maillog")"
    done
    for i in $(seq 1 600); do count_complete "$impl" "$WARMUP"; [ "$COUNT" -ge "$WARMUP" ] && break; nap 0.05; done
    [ "$COUNT" -ge "$WARMUP" ] || die "warm-up messages not in incoming/ ($impl): $(tail -5 "$WORK/log/maillog")"
    nap 0.3
    count_complete "$impl" 0; base=$COUNT

    D_NAME=() D_FIRST=() D_LAST=(); SAMPLING=0; sample_daemons; SAMPLING=1
    if [ -n "$CG_MODE" ]; then d0=$(cg_usec daemons); u0=$(cg_usec submit); c0=$(cg_usec ctl)
    fi
    s0=$(sys_ticks)
    t0=$EPOCHREALTIME
    for ((p = 0; p < par; p++)); do
        submitter "$p" $(( N / par + (p < N % par ? 1 : 0) )) "$size" "$sendmail" &
        SUB_PIDS+=($!)
    done
    while :; do
        count_complete "$impl" $(( base + N ))
        [ "$COUNT" -ge $(( base + N )) ] && break
        sample_daemons
        if [ "$COUNT" != "$last" ]; then last=$COUNT since=$SECONDS
        elif [ $(( SECONDS - since )) -ge "$STALL_TIMEOUT" ]; then flag=stalled; break
        fi
        [ "$SECONDS" -ge "$deadline" ] && { flag=timeout; break; }
        nap "$POLL"
    done
    for p in "${SUB_PIDS[@]}"; do wait "$p" || rc=1; done
    SUB_PIDS=()
    t1=$EPOCHREALTIME
    sample_daemons
    s1=$(sys_ticks)
    if [ -n "$CG_MODE" ]; then d1=$(cg_usec daemons); u1=$(cg_usec submit); c1=$(cg_usec ctl)
    fi
    [ "$rc" = 0 ] || flag=sendmail_failed
    local got=$(( COUNT - base ))
    [ "$flag" = ok ] || log "$impl size=$size par=$par run=$run: $flag, $got/$N in incoming/"

    # per-daemon breakdown (nanoseconds)
    local pk=0 cl=0 rw=0 pl=0 ms=0 all=0 q dt
    for q in "${!D_NAME[@]}"; do
        dt=$(( D_LAST[$q] - D_FIRST[$q] )); all=$(( all + dt ))
        case ${D_NAME[$q]} in
            pickup) pk=$(( pk + dt ));; cleanup) cl=$(( cl + dt ));;
            trivial-rewrite) rw=$(( rw + dt ));; postlogd) pl=$(( pl + dt ));;
            master) ms=$(( ms + dt ));;
        esac
    done
    local daemon_s submit_s ctl_s
    if [ -n "$CG_MODE" ]; then
        daemon_s=$(awk -v a="$d0" -v b="$d1" 'BEGIN {printf "%.4f", (b - a) / 1e6}')
        submit_s=$(awk -v a="$u0" -v b="$u1" 'BEGIN {printf "%.4f", (b - a) / 1e6}')
        ctl_s=$(awk -v a="$c0" -v b="$c1" 'BEGIN {printf "%.4f", (b - a) / 1e6}')
    else
        daemon_s=$(awk -v a="$all" 'BEGIN {printf "%.4f", a / 1e9}')
        submit_s=$(cat "$WORK"/sub.* 2>/dev/null | awk '
            function sec(t,   m) { m = t; sub(/m.*/, "", m); sub(/^[0-9]+m/, "", t); sub(/s$/, "", t); return 60 * m + t }
            NR % 2 == 0 { s += sec($1) + sec($2) } END { printf "%.4f", s }')
        ctl_s=0
    fi
    local warnings
    warnings=$(count_problems)
    [ "$got" -eq "$N" ] || { [ "$flag" = ok ] && flag=count_$got; }
    local -a md=("$WORK/spool/maildrop/"*)
    [ "${#md[@]}" -eq 0 ] || { [ "$flag" = ok ] && flag=maildrop_left; }
    local load; read -r load _ < /proc/loadavg
    awk -v impl="$impl" -v size="$size" -v par="$par" -v run="$run" -v n="$N" -v t0="$t0" -v t1="$t1" \
        -v ds="$daemon_s" -v ss="$submit_s" -v cs="$ctl_s" -v s0="$s0" -v s1="$s1" -v hz="$CLK_TCK" \
        -v ncpu="$NCPU" -v pk="$pk" -v cl="$cl" -v rw="$rw" -v pl="$pl" -v ms="$ms" \
        -v load="$load" -v warn="$warnings" -v flag="$flag" -v noise="$NOISE_PCT" 'BEGIN {
        wall = t1 - t0; split(s0, a, " "); split(s1, b, " ")
        busy = (b[1] - a[1]) / hz; foreign = busy - ds - ss - cs; if (foreign < 0) foreign = 0
        f = 1e-6 / n; fpct = 100 * foreign / (wall * ncpu)
        if (flag == "ok" && fpct > noise) flag = "noisy"
        printf "%s\t%d\t%d\t%d\t%d\t%.3f\t%.1f\t%.3f\t%.3f\t%.3f\t%.3f\t%.3f\t%.3f\t%.3f\t%.3f\t%.1f\t%s\t%d\t%s\n",
            impl, size, par, run, n, wall, n / wall, 1000 * (ds + ss) / n, 1000 * ss / n, 1000 * ds / n,
            pk * f, cl * f, rw * f, pl * f, ms * f, fpct, load, warn, flag
    }' >> "$RAW"
    tail -1 "$RAW" | awk -F'\t' '{printf "  %-7s size=%-6s par=%s run=%s  %7.1f msg/s  cpu %6.3f ms/msg (submit %.3f, daemons %.3f: pickup %.3f cleanup %.3f rewrite %.3f postlog %.3f master %.3f)  foreign %s%%  %s\n",
        $1, $2, $3, $4, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $19}' >&2
    [ "$warnings" -gt 0 ] && show_problems
    stop_instance
    if [ "$KEEP_WORK" != 1 ]; then rm -rf "$WORK"; fi
    WORK=''
}

# ---------------------------------------------------------------- main
mkdir -p "$(dirname "$OUT")"
{
    echo "# submit-bench.sh: sendmail -> postdrop -> pickup -> cleanup -> incoming/, no qmgr"
    machine_facts
    echo "# N=$N SIZES='$SIZES' PARALLEL='$PARALLEL' RUNS=$RUNS WARMUP=$WARMUP VARY_RCPT=$VARY_RCPT NOISE_PCT=$NOISE_PCT RETRIES=$RETRIES cgroup=${CG_MODE:-none}"
    impl_facts
} > "$OUT.head"
mv "$OUT.head" "$OUT"
cat "$OUT" >&2
log "results go to $OUT"

for run in $(seq 1 "$RUNS"); do
    for size in $SIZES; do
        for par in $PARALLEL; do
            for impl in $IMPLS; do
                for attempt in $(seq 0 "$RETRIES"); do
                    run_one "$impl" "$size" "$par" "$run" < /dev/null
                    [ "$(tail -1 "$RAW" | cut -f19)" = noisy ] || break
                    [ "$attempt" -lt "$RETRIES" ] && log "run was noisy (foreign CPU > $NOISE_PCT%): repeating it"
                done
            done
        done
    done
done

HEADER=$'impl\tsize\tpar\trun\tn\twall_s\tmsgs_per_s\tcpu_ms\tsubmit_ms\tdaemon_ms\tpickup_ms\tcleanup_ms\trewrite_ms\tpostlog_ms\tmaster_ms\tforeign_pct\tload1\twarnings\tflag'
# medians per implementation and case (over the runs flagged ok), then ratios
SUMMARY=$(awk -F'\t' -v impls="$IMPLS" '
    function med(s,   a, k, i, j, t, m) {
        k = split(s, a, " "); if (k == 0) return "NA"
        for (i = 2; i <= k; i++) { t = a[i]; for (j = i - 1; j > 0 && a[j] + 0 > t + 0; j--) a[j + 1] = a[j]; a[j + 1] = t }
        m = int((k + 1) / 2); return (k % 2) ? a[m] : (a[m] + a[m + 1]) / 2 }
    $19 == "ok" || $19 == "noisy" { key = $2 "\t" $3; if (!(key in seen)) { seen[key] = 1; keys[++nk] = key }
        n[$1, key] = $5; g = ($19 == "ok") ? "ok" : "noisy"; cnt[$1, key, g]++
        for (c = 6; c <= 16; c++) v[$1, key, g, c] = v[$1, key, g, c] " " $c }
    END {
        ni = split(impls, im, " ")
        for (k = 1; k <= nk; k++) for (i = 1; i <= ni; i++) {   # clean runs, else the noisy ones
            key = keys[k]; g = cnt[im[i], key, "ok"] ? "ok" : "noisy"
            used[im[i], key] = cnt[im[i], key, g]; which[im[i], key] = g
            for (c = 6; c <= 16; c++) v[im[i], key, c] = v[im[i], key, g, c]
        }
        for (k = 1; k <= nk; k++) for (i = 1; i <= ni; i++) {
            key = keys[k]; if (!used[im[i], key]) continue
            printf "%s\t%s\tmedian\t%d", im[i], key, n[im[i], key]
            for (c = 6; c <= 16; c++) { m[im[i], key, c] = med(v[im[i], key, c]); printf "\t%s", m[im[i], key, c] }
            printf "\t-\t-\t%s_runs=%d\n", which[im[i], key], used[im[i], key]
        }
        print ""
        print "size\tpar\tours_msgs_per_s\tpostfix_msgs_per_s\ttime_ratio\tours_cpu_ms\tpostfix_cpu_ms\tcpu_ratio\tours_submit_ms\tpostfix_submit_ms\tsubmit_ratio\tours_daemon_ms\tpostfix_daemon_ms\tdaemon_ratio"
        for (k = 1; k <= nk; k++) {
            key = keys[k]; if (!used["ours", key] || !used["postfix", key]) continue
            printf "%s\t%s\t%s", key, m["ours", key, 7], m["postfix", key, 7]
            printf "\t%.2f", m["ours", key, 6] / m["postfix", key, 6]
            for (c = 8; c <= 10; c++)
                printf "\t%s\t%s\t%.2f", m["ours", key, c], m["postfix", key, c], (m["postfix", key, c] > 0 ? m["ours", key, c] / m["postfix", key, c] : 0)
            printf "\n"
        }
    }' "$RAW")
{
    echo "# loadavg at end: $(cut -d' ' -f1-3 /proc/loadavg)"
    echo "$HEADER"
    cat "$RAW"
    echo "$SUMMARY"
} >> "$OUT"
echo
echo "$SUMMARY" | sed -n '/^size\tpar/,$p' | column -t -s $'\t'
echo "results: $OUT"
