# shellcheck shell=bash
# mta-lib.sh - shell functions for the benchmarks that drive the shared
# mta-bench.sh (delivery-bench.sh, relay-bench.sh); sourced after lib.sh,
# not run.
#
# The caller sets top (the source tree) before sourcing, and later ROOT
# (its temp directory; every mta-bench.sh run gets a directory below
# it), OUT (the results file), CHILD (the pid of a running mta-bench.sh,
# or empty), and for mta_bench_start STAGE, PORT, SINK_PORT. Needs bash
# >= 5.

# ---------------------------------------------------------------- settings
# The settings that every wrapper has (each script's header documents
# them): defaults for those the caller or the environment did not set.
N=${N:-1000}
RUNS=${RUNS:-3}
IMPLS=${IMPLS:-ours postfix}
WARMUP=${WARMUP:-20}
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
# shellcheck disable=SC2034  # read by the callers
TMPBASE=${TMPDIR:-/tmp}
# shellcheck disable=SC2034  # read by lib.sh
USE_CGROUP=0            # lib.sh: mta-bench.sh does its own cgroups

# mta_checks ours postfix - die unless this can run: root, bash >= 5,
# MTA_BENCH, the accounts, N, perf for PROFILE=1, and for each
# implementation in IMPLS its programs (ours: the paths $1 below
# $BUILD/src; postfix: the names $2 in $PF_DAEMONS)
mta_checks() {
    local impl f
    [ "$(id -u)" = 0 ] || die "must run as root (master runs as root)"
    [ "${BASH_VERSINFO[0]}" -ge 5 ] || die "bash >= 5 required"
    [ -x "$MTA_BENCH" ] || die "no benchmark script $MTA_BENCH (set MTA_BENCH)"
    id "$MAIL_OWNER" >/dev/null 2>&1 || die "no such user: $MAIL_OWNER"
    id "$BENCH_USER" >/dev/null 2>&1 || die "no such user: $BENCH_USER"
    getent group "$SETGID_GROUP" >/dev/null || die "no such group: $SETGID_GROUP"
    for impl in $IMPLS; do
        case $impl in
            ours) for f in $1; do
                      [ -x "$BUILD/src/$f" ] || die "no $BUILD/src/$f (run make)"
                  done;;
            postfix) for f in $2; do
                         [ -x "$PF_DAEMONS/$f" ] || die "no $PF_DAEMONS/$f (apt-get install postfix)"
                     done;;
            *) die "unknown implementation in IMPLS: $impl";;
        esac
    done
    [ "$N" -gt 0 ] 2>/dev/null || die "bad N: $N"
    if [ "$PROFILE" = 1 ]; then command -v perf >/dev/null || die "PROFILE=1 needs perf"; fi
}

# leftover_instances - stop every instance still running in $ROOT (an
# interrupted mta-bench.sh may leave one)
leftover_instances() {
    local pidf p conf
    for pidf in "$ROOT"/*/mta-bench.*/spool/pid/master.pid; do
        { read -r p < "$pidf"; } 2>/dev/null || continue
        p=${p//[!0-9]/}
        { [ -n "$p" ] && alive "$p"; } || continue
        conf=${pidf%/spool/pid/master.pid}/etc
        log "stopping leftover instance $conf (master $p)"
        "$(sed -n 's/^command_directory = //p' "$conf/main.cf")/postfix" -c "$conf" stop >/dev/null 2>&1
        for _ in $(seq 1 100); do alive "$p" || break; nap 0.1; done
        alive "$p" && kill -9 "$p" 2>/dev/null
    done
}

# cleanup_all - on exit: stop a running mta-bench.sh and what it started,
# remove the temp directory (KEEP_WORK=1 keeps it)
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

# mta_bench_start impl dir profile [NAME=value ...] - start mta-bench.sh
# ($MTA_BENCH) in the background: one run of implementation $1 (ours:
# staged under $STAGE; postfix: $PF_SBIN, $PF_DAEMONS), with its temp
# directories, results ($2/result.tsv), output and errors in $2; under
# "perf record -a -g" (into $2/perf.data, no repetition of a noisy run)
# when $3 is 1. The other arguments are more environment settings for
# it. Sets CHILD.
mta_bench_start() {
    local impl=$1 dir=$2 profile=$3
    shift 3
    local -a env=(TMPDIR="$dir" FACTS=0 PORT="$PORT" SINK_PORT="$SINK_PORT"
        N="$N" WARMUP="$WARMUP" RUNS=1 RETRIES="$RETRIES" NOISE_PCT="$NOISE_PCT"
        QUIET_PCT="$QUIET_PCT" QUIET_WAIT="$QUIET_WAIT" RUN_TIMEOUT="$RUN_TIMEOUT"
        MTA_USER="$MAIL_OWNER" MTA_SETGID_GROUP="$SETGID_GROUP"
        BENCH_USER="$BENCH_USER" MTA_LABEL="$impl" "$@")
    if [ "$impl" = ours ]; then
        env+=(MTA_POSTFIX="$STAGE/usr/sbin/postfix" MTA_DAEMON_DIR="$STAGE/usr/libexec/postfix"
              MTA_META_DIR="$STAGE/etc/postfix" MTA_SHLIB_DIR="$STAGE/usr/lib/postfix")
    else
        env+=(MTA_POSTFIX="$PF_SBIN/postfix" MTA_DAEMON_DIR="$PF_DAEMONS")
    fi
    if [ "$profile" = 1 ]; then
        env+=(RETRIES=0)
        env "${env[@]}" perf record -q -a -g -F 999 -o "$dir/perf.data" -- \
            "$MTA_BENCH" "$dir/result.tsv" > "$dir/stdout" 2> "$dir/stderr" < /dev/null &
    else
        env "${env[@]}" "$MTA_BENCH" "$dir/result.tsv" > "$dir/stdout" 2> "$dir/stderr" < /dev/null &
    fi
    CHILD=$!
}

# mta_bench_wait dir edit what - wait for the mta-bench.sh that
# mta_bench_start started; show its per-run lines (edited by the sed
# script $2) and the problems it reported on standard error; 0 if it
# succeeded (else a message naming $3)
mta_bench_wait() {
    local rc
    wait "$CHILD"; rc=$?
    CHILD=''
    grep '^  ' "$1/stderr" | sed "$2" >&2
    grep -E 'fatal|log:|timeout|exit [0-9]' "$1/stderr" | head -20 | sed 's/^/    /' >&2
    [ "$rc" = 0 ] || log "mta-bench.sh failed ($3): exit $rc"
    return "$rc"
}

# impl_order run - the implementations of IMPLS in the order of run $1
# (as listed in odd runs, reversed in even ones)
impl_order() {
    if [ $(( $1 % 2 )) = 1 ]; then echo "$IMPLS"; else echo "$IMPLS" | awk '{for (i = NF; i > 0; i--) printf "%s ", $i}'; fi
}

# mta_rounds cases - RUNS rounds; in each, for every case of $1 (lines
# of three words), the caller's "mta_bench impl word1 word2 word3 run"
# for each implementation, in impl_order
mta_rounds() {
    local run a b c impl
    for run in $(seq 1 "$RUNS"); do
        while read -r a b c; do
            for impl in $(impl_order "$run"); do
                mta_bench "$impl" "$a" "$b" "$c" "$run" || true
            done
        done <<< "$1"
    done
}

# AWK_MED - awk function med(s): the median of the numbers in the
# space-separated string s ("NA" when there are none)
# shellcheck disable=SC2034
AWK_MED='
    function med(s,   a, k, i, j, t, m) {
        k = split(s, a, " "); if (k == 0) return "NA"
        for (i = 2; i <= k; i++) { t = a[i]; for (j = i - 1; j > 0 && a[j] + 0 > t + 0; j--) a[j + 1] = a[j]; a[j + 1] = t }
        m = int((k + 1) / 2); return (k % 2) ? a[m] : (a[m] + a[m + 1]) / 2 }'

# mta_summary raw cases keys extra names - from the per-run rows in file
# $1 (impl, three key columns, run, n, accept_rate, e2e_rate,
# cpu_ms_per_msg, delivered, warnings, foreign_pct, flag, then more
# columns): a line "# noise:" (the runs per flag, the median foreign
# CPU), per implementation and case the medians of accept_rate,
# e2e_rate, cpu_ms_per_msg and of the columns numbered $4 (over the "ok"
# runs, else over the "noisy" ones), and per case the ratios ours/Postfix
# of the medians. $2: the cases, one "k1 k2 k3" line each; $3: the names
# of the key columns, tab-separated; $5: the names of the columns $4,
# tab-separated
mta_summary() {
    awk -F'\t' -v impls="$IMPLS" -v cases="$2" -v keys="$3" -v extra="$4" -v names="$5" "$AWK_MED"'
    function ratio(a, b) { return (b > 0 && a != "NA") ? sprintf("%.2f", a / b) : "NA" }
    BEGIN { ne = split(extra, ex, " ") }
    { key = $2 " " $3 " " $4; total++; flags[$13]++
      if ($13 != "ok" && $13 != "noisy") next
      g = $13; cnt[$1, key, g]++
      for (c = 7; c <= 9; c++) v[$1, key, g, c] = v[$1, key, g, c] " " $c
      for (e = 1; e <= ne; e++) v[$1, key, g, ex[e]] = v[$1, key, g, ex[e]] " " $(ex[e])
      fp[g] = fp[g] " " $12 }
    END {
        ni = split(impls, im, " "); nk = split(cases, ck, "\n")
        printf "# noise: %d runs:", total; for (f in flags) printf " %s=%d", f, flags[f]
        printf "; foreign CPU median %s%% (ok runs), %s%% (noisy runs)\n", med(fp["ok"]), med(fp["noisy"])
        print "impl\t" keys "\tmedian_of\taccept_rate\te2e_rate\tcpu_ms_per_msg" (ne ? "\t" names : "")
        for (k = 1; k <= nk; k++) for (i = 1; i <= ni; i++) {
            key = ck[k]; g = cnt[im[i], key, "ok"] ? "ok" : "noisy"
            if (!cnt[im[i], key, g]) continue
            used[im[i], key] = 1; split(key, kk, " ")
            printf "%s\t%s\t%s\t%s\t%s=%d", im[i], kk[1], kk[2], kk[3], g, cnt[im[i], key, g]
            for (c = 7; c <= 9; c++) { m[im[i], key, c] = med(v[im[i], key, g, c]); printf "\t%s", m[im[i], key, c] }
            for (e = 1; e <= ne; e++) printf "\t%s", med(v[im[i], key, g, ex[e]])
            printf "\n"
        }
        print ""
        print keys "\tours_e2e_rate\tpostfix_e2e_rate\te2e_ratio\taccept_ratio\tours_cpu_ms\tpostfix_cpu_ms\tcpu_ratio"
        for (k = 1; k <= nk; k++) {
            key = ck[k]; if (!used["ours", key] || !used["postfix", key]) continue
            split(key, kk, " ")
            printf "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", kk[1], kk[2], kk[3],
                m["ours", key, 8], m["postfix", key, 8], ratio(m["ours", key, 8], m["postfix", key, 8]),
                ratio(m["ours", key, 7], m["postfix", key, 7]),
                m["ours", key, 9], m["postfix", key, 9], ratio(m["ours", key, 9], m["postfix", key, 9])
        }
    }' "$1"
}

# perf_summary impl case data comms - from "perf record -a -g" data $3:
# samples per program whose name matches the regular expression $4, each
# split by the system call it was in (or user space), and its hottest
# functions, into <OUT>.perf-<impl>-<case>.txt
perf_summary() {
    local f=${OUT%.tsv}.perf-$1-$2.txt agg=$ROOT/perf.agg
    {
        echo "# perf record -a -g -F 999, one run of mta-bench.sh ($1, $2, N=$N, plus warm-up and start)"
        echo "# at -F 999 one sample is about 1 ms of CPU; whole machine, so other tenants appear too"
        perf report -i "$3" -n --no-children --sort comm --stdio -g none 2>/dev/null |
            grep -v '^#' | grep -v '^$' | head -25
        # one pass over the samples: per program of the instance, where
        # the kernel was entered (first system call frame of the stack),
        # and the function each sample was in (self)
        perf script -i "$3" -F comm,ip,sym,dso 2>/dev/null | awk -v re="^($4)\$" '
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
            }' > "$agg"
        local comm n
        sed '/^--$/,$d' "$agg" | sort -rn | while IFS=$'\t' read -r n comm; do
            echo
            echo "# $comm: $n samples; where (system call, user space):"
            awk -F'\t' -v c="$comm" -v n="$n" '$1 == "W" && $2 == c && $3 * 50 >= n {
                printf "%7d %5.1f%%  %s\n", $3, 100 * $3 / n, $4 }' "$agg" | sort -rn
            echo "# $comm: hottest functions (self):"
            awk -F'\t' -v c="$comm" -v n="$n" '$1 == "S" && $2 == c {
                printf "%7d %5.1f%%  %s\n", $3, 100 * $3 / n, $4 }' "$agg" | sort -rn | head -15
            echo "# $comm: hottest functions in user space (self):"
            awk -F'\t' -v c="$comm" -v n="$n" '$1 == "U" && $2 == c {
                printf "%7d %5.1f%%  %s\n", $3, 100 * $3 / n, $4 }' "$agg" | sort -rn | head -12
        done
    } > "$f"
    rm -f "$agg"
    log "profile: $f"
}

# ---------------------------------------------------------------- memory
# children_of pid - the pids of the live children of process $1
children_of() {
    local d s
    for d in /proc/[0-9]*; do
        { read -r s < "$d/stat"; } 2>/dev/null || continue
        s=${s##*) }; s=${s#* }
        [ "${s%% *}" = "$1" ] && echo "${d#/proc/}"
    done
}

# rss_sampler child dir poll - until the mta-bench.sh process $1 exits,
# every $3 seconds append "sample comm pid pss_kb hwm_kb" lines to
# $2/rss.samples for every process of the instance that mta-bench.sh
# runs in $2 (its cgroup "mta" when it uses cgroups, else master and its
# children). It moves itself into mta-bench.sh's cgroup "ctl" so that
# its CPU is counted as load generator, not as noise. Run in the
# background.
rss_sampler() {
    local child=$1 dir=$2 poll=$3 sample=0 cg='' line rel p m pidf pids comm k v pss hwm
    local base=/sys/fs/cgroup
    [ -f "$base/cgroup.controllers" ] || base=/sys/fs/cgroup/cpuacct
    exec > "$dir/rss.samples"
    while alive "$child"; do
        if [ -z "$cg" ] && [ "$sample" -lt 20 ]; then
            # mta-bench.sh (the child, or perf's child) in <cg>/ctl
            for p in "$child" $(children_of "$child"); do
                { while IFS= read -r line; do
                      rel=${line#*:*:}
                      case $rel in */mta-bench.*/ctl)
                          [ -d "$base$rel" ] || continue
                          cg=$base${rel%/ctl}
                          echo "$BASHPID" > "$cg/ctl/cgroup.procs";;
                      esac
                  done < "/proc/$p/cgroup"; } 2>/dev/null
            done
        fi
        m=''
        for pidf in "$dir"/mta-bench.*/spool/pid/master.pid; do
            { read -r m < "$pidf"; } 2>/dev/null; m=${m//[!0-9]/}
        done
        if [ -n "$m" ] && alive "$m"; then
            if [ -n "$cg" ] && [ -r "$cg/mta/cgroup.procs" ]; then
                pids=$(< "$cg/mta/cgroup.procs")
            else
                pids="$m $(children_of "$m")"
            fi
            sample=$(( sample + 1 ))
            for p in $pids; do
                comm='' pss=0 hwm=0
                { read -r comm < "/proc/$p/comm"; } 2>/dev/null || continue
                { while read -r k v _; do
                      case $k in VmHWM:) hwm=$v; break;; esac
                  done < "/proc/$p/status"; } 2>/dev/null
                { while read -r k v _; do
                      case $k in Pss:) pss=$v; break;; esac
                  done < "/proc/$p/smaps_rollup"; } 2>/dev/null
                [ "$hwm" -gt 0 ] && echo "$sample $comm $p $pss $hwm"
            done
        fi
        nap "$poll"
    done
}

# rss_summary samples - per program: "comm procs max_kb total_kb" (procs:
# how many processes were seen, max_kb: the largest peak resident set of
# one of them (VmHWM), total_kb: the largest sum of their proportional
# set sizes (Pss: shared pages divided among the processes that map
# them) in one sample)
rss_summary() {
    awk 'NF != 5 || $2 !~ /^[A-Za-z][A-Za-z0-9_.-]*$/ || $3 $4 $5 !~ /^[0-9]+$/ { next }
         { key = $2; if (!(($2, $3) in seen)) { seen[$2, $3] = 1; procs[key]++ }
           if ($5 > max[key]) max[key] = $5
           tot[$1, key] += $4; if (tot[$1, key] > peak[key]) peak[key] = tot[$1, key] }
         END { for (k in procs) printf "%s %d %d %d\n", k, procs[k], max[k], peak[k] }' "$1" | sort
}
