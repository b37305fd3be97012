# lib.sh - shell functions shared by the instance benchmarks
# (submit-bench.sh, smtpd-bench.sh); sourced, not run.
#
# The caller sets, before sourcing: BENCH (its name, for messages),
# USE_CGROUP (1/0), and uses these globals: ROOT (the temp directory),
# WORK (this run's directory), ETC (its config directory), IMPL_CTL (the
# command directory of the implementation under test), MASTER_PID,
# CG_MODE/CG_DIR (set by cg_init). Needs bash >= 5.

die() { echo "$BENCH: fatal: $*" >&2; exit 1; }
log() { echo "$BENCH: $*" >&2; }

# Fork-free sleep: read with a timeout on a pipe nobody writes to.
exec {SLEEP_FD}<> <(:)
# (no redirection here: a trap that runs during the read would inherit it)
nap() { read -r -t "$1" -u "$SLEEP_FD" _ || true; }

# alive - is pid $1 a process that is not a zombie?
alive() {
    local s; { read -r s < "/proc/$1/stat"; } 2>/dev/null || return 1
    s=${s##*\) }; [ "${s%% *}" != Z ]
}

# sys_ticks - "busy total" ticks of all CPUs from /proc/stat
sys_ticks() {
    local u n s i w irq sirq st rest
    read -r _ u n s i w irq sirq st rest < /proc/stat
    echo "$(( u + n + s + irq + sirq + st )) $(( u + n + s + i + w + irq + sirq + st ))"
}

# ---------------------------------------------------------------- cgroups
CG_MODE='' CG_DIR='' CG_ORIG='' CG_SUBS=''
# cg_init sub... - make <cg>/<sub> for each name and move this script into
# the first one
cg_init() {
    [ "$USE_CGROUP" = 1 ] || return 0
    local base rel sub
    if [ -f /sys/fs/cgroup/cpuacct/cpuacct.usage ]; then
        CG_MODE=v1; base=/sys/fs/cgroup/cpuacct
        rel=$(awk -F: '$2 ~ /(^|,)cpuacct(,|$)/ {print $3; exit}' /proc/self/cgroup)
    elif [ -f /sys/fs/cgroup/cgroup.controllers ]; then
        CG_MODE=v2; base=/sys/fs/cgroup
        rel=$(awk -F: '$1 == "0" {print $3; exit}' /proc/self/cgroup)
    else
        log "no usable cgroup: CPU from rusage and /proc"; return 0
    fi
    CG_ORIG=$base${rel%/}; CG_DIR=$base/$BENCH.$$; CG_SUBS="$*"
    if mkdir -p "$CG_DIR" && (for sub; do mkdir -p "$CG_DIR/$sub" || exit 1; done) 2>/dev/null &&
       echo $$ > "$CG_DIR/$1/cgroup.procs" 2>/dev/null; then
        return 0
    fi
    log "cannot use cgroup $CG_DIR: CPU from rusage and /proc"
    rmdir "$CG_DIR"/* "$CG_DIR" 2>/dev/null; CG_MODE='' CG_DIR=''
}
# cg_done - move back and remove the cgroups
cg_done() {
    [ -n "$CG_MODE" ] || return 0
    local sub ok=1
    echo $$ > "$CG_ORIG/cgroup.procs" 2>/dev/null
    for sub in $CG_SUBS; do rmdir "$CG_DIR/$sub" 2>/dev/null || ok=0; done
    rmdir "$CG_DIR" 2>/dev/null || ok=0
    [ "$ok" = 1 ] || log "could not remove cgroup $CG_DIR"
    CG_MODE=''
}
# cg_usec - CPU microseconds used so far in cgroup $1
cg_usec() {
    local k v
    if [ "$CG_MODE" = v2 ]; then
        while read -r k v; do [ "$k" = usage_usec ] && { echo "$v"; return; }; done < "$CG_DIR/$1/cpu.stat"
        echo 0
    else
        read -r v < "$CG_DIR/$1/cpuacct.usage"; echo $(( v / 1000 ))
    fi
}
# in_cgroup - run "${@:2}" in <cg>/$1 (when there is one)
in_cgroup() {
    local sub=$1; shift
    if [ -n "$CG_MODE" ]; then
        sh -c 'echo $$ > "$0/cgroup.procs" && exec "$@"' "$CG_DIR/$sub" "$@"
    else
        "$@"
    fi
}

# ---------------------------------------------------------------- instances
# stage_ours build stage - install our build $1 under $2, with postdrop,
# postqueue and postlog set-gid $SETGID_GROUP as a package installs them
stage_ours() {
    local f
    meson install -C "$1" --no-rebuild --quiet --destdir "$2" >/dev/null ||
        die "meson install -C $1 failed (run make first)"
    for f in postdrop postqueue postlog; do
        [ -e "$2/usr/sbin/$f" ] || continue
        chgrp "$SETGID_GROUP" "$2/usr/sbin/$f" && chmod 2755 "$2/usr/sbin/$f"
    done
}

# start_instance - start the instance of $ETC ($IMPL_CTL/postfix) in the
# "daemons" cgroup; sets MASTER_PID
start_instance() {
    local i p
    in_cgroup daemons "$IMPL_CTL/postfix" -c "$ETC" start > "$WORK/start.out" 2>&1 ||
        { cat "$WORK/start.out" "$WORK/log/maillog" >&2 2>/dev/null; die "$IMPL_CTL/postfix start failed"; }
    for i in $(seq 1 200); do
        if read -r p < "$WORK/spool/pid/master.pid" 2>/dev/null; then
            p=${p//[!0-9]/}; [ -n "$p" ] && alive "$p" && { MASTER_PID=$p; return 0; }
        fi
        nap 0.05
    done
    die "master did not start: $(cat "$WORK/start.out" "$WORK/log/maillog" 2>/dev/null)"
}

# stop_instance - stop the running instance, kill what is left of it
stop_instance() {
    local i p kids='' left
    [ -n "$MASTER_PID" ] || return 0
    [ -n "$CG_MODE" ] && kids=$(cat "$CG_DIR/daemons/cgroup.procs" 2>/dev/null)
    "$IMPL_CTL/postfix" -c "$ETC" stop >/dev/null 2>&1
    for i in $(seq 1 200); do alive "$MASTER_PID" || break; nap 0.05; done
    if alive "$MASTER_PID"; then
        log "master $MASTER_PID still running 10s after stop; killing it"
        kill -9 "$MASTER_PID" 2>/dev/null
    fi
    for i in $(seq 1 100); do
        left=''
        for p in $kids; do alive "$p" && left="$left $p"; done
        [ -z "$left" ] && break
        [ "$i" = 100 ] && { log "killing leftover processes:$left"; kill -9 $left 2>/dev/null; }
        nap 0.05
    done
    MASTER_PID=''
}

# write_main_cf impl stage - main.cf lines common to the benchmarks for
# implementation $1 (ours: staged under $2) in $WORK, on standard output
write_main_cf() {
    local sbin daemons
    if [ "$1" = ours ]; then
        sbin=$2/usr/sbin; daemons=$2/usr/libexec/postfix
    else
        sbin=$PF_SBIN; daemons=$PF_DAEMONS
    fi
    IMPL_CTL=$sbin
    echo "compatibility_level = 3.6"
    echo "queue_directory = $WORK/spool"
    echo "data_directory = $WORK/data"
    echo "daemon_directory = $daemons"
    echo "command_directory = $sbin"
    if [ "$1" = ours ]; then
        echo "meta_directory = $2/etc/postfix"
        echo "shlib_directory = $2/usr/lib/postfix"
    fi
    echo "mail_owner = $MAIL_OWNER"
    echo "setgid_group = $SETGID_GROUP"
    echo "maillog_file = $WORK/log/maillog"
    echo "maillog_file_prefixes = $WORK"
    echo "myhostname = bench.local"
    echo "mydomain = bench.local"
    echo "myorigin = \$myhostname"
    echo "inet_interfaces = loopback-only"
    echo "inet_protocols = ipv4"
    echo "alias_maps ="
    echo "alias_database ="
    echo "in_flow_delay = 0s"
}

# log_problems - the warning/error lines of this run's maillog, without
# the expected "unable to look up public/qmgr" (there is no qmgr)
log_problems() {
    grep -E '(warning|error|fatal|panic):' "$WORK/log/maillog" 2>/dev/null |
        grep -v 'unable to look up public/qmgr'
}
# count_problems - how many lines log_problems gives
count_problems() { log_problems | wc -l; }
# show_problems - the three most frequent of them, on standard error
show_problems() {
    log_problems | cut -d' ' -f5- | sed 's/\[[0-9]*\]//' | sort | uniq -c |
        sort -rn | head -3 | sed 's/^/    log: /' >&2
}

# make_work_dirs - the directories of $WORK, data owned by $MAIL_OWNER
make_work_dirs() {
    ETC=$WORK/etc
    mkdir -p "$ETC" "$WORK/spool" "$WORK/data" "$WORK/log"
    chown "$MAIL_OWNER" "$WORK/data"; chmod 700 "$WORK/data"
}

# make_message size file sender rcpt - a message of $1 bytes: a few
# headers, then body lines of 72 characters (the last one shorter)
make_message() {
    awk -v size="$1" -v from="$3" -v to="$4" 'BEGIN {
        h = "From: Bench Sender <" from ">\nTo: <" to ">\nSubject: benchmark\n\n"
        printf "%s", h; n = length(h)
        line = "The quick brown fox jumps over the lazy dog; 0123456789 abcdefghijklmn"
        while (n + 73 <= size) { print line; n += 73 }
        if (size - n > 1) print substr(line, 1, size - n - 1)
    }' > "$2"
}

# impl_version impl stage - mail_version of an implementation
impl_version() {
    local d v
    d=$(mktemp -d "$ROOT/v.XXXXXX"); : > "$d/main.cf"; : > "$d/master.cf"
    if [ "$1" = ours ]; then v=$("$2/usr/sbin/postconf" -c "$d" -d -h mail_version 2>/dev/null)
    else v=$("$PF_SBIN/postconf" -c "$d" -d -h mail_version 2>/dev/null); fi
    rm -rf "$d"; echo "${v:-unknown}"
}
# build_type dir - the meson buildtype of build directory $1
build_type() {
    python3 -c 'import json, sys
for o in json.load(open(sys.argv[1])):
    if o["name"] == "buildtype": print(o["value"])' "$1/meson-info/intro-buildoptions.json" 2>/dev/null || echo unknown
}
# machine_facts - comment lines about the machine, for a results file
machine_facts() {
    echo "# date: $(date -u +%Y-%m-%dT%H:%M:%SZ)  host: $(uname -n)  kernel: $(uname -r)"
    echo "# cpu: $(nproc) x $(awk -F': ' '/^model name/ {print $2; exit}' /proc/cpuinfo)"
    echo "# tmp_fs: $(df -PT "${TMPDIR:-/tmp}" | awk 'NR == 2 {print $2 " on " $1}')"
    echo "# loadavg at start: $(cut -d' ' -f1-3 /proc/loadavg)"
}
# impl_facts - comment lines naming each implementation of $IMPLS (ours:
# the git revision and build $BUILD; postfix: its version and directories)
impl_facts() {
    local impl
    for impl in $IMPLS; do
        if [ "$impl" = ours ]; then
            echo "# ours: $(git -C "$top" describe --always --dirty 2>/dev/null), build $BUILD, buildtype $(build_type "$BUILD")"
        else
            echo "# postfix: $(impl_version postfix) ($PF_SBIN, $PF_DAEMONS)"
        fi
    done
}
