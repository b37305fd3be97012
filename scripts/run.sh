#!/bin/bash
# run.sh - "make run": install the build into ./run and run it.
#
# Installs the build (meson install --destdir) into run/root, writes a
# private instance configuration into run/etc (queue in run/spool, data in
# run/lib), runs "postfix check" and then "postfix start-fg" with logging
# to standard output. Ctrl-C stops the mail system.
#
# As root the instance uses the mail_owner "postfix" and setgid_group
# "postdrop" (created by "make deps"); as an ordinary user everything
# runs as that user (DESIGN.md section 5).
#
# Environment:
#   BUILD                    build directory (default: build)
#   POSTEL_RUN_DIR           instance directory (default: ./run)
#   POSTEL_RUN_SMTP_PORT     port of the SMTP service, when smtpd exists
#                            (default: 2525)
#   POSTEL_RUN_KEEP_CONFIG=1 keep existing run/etc/main.cf and master.cf
#                            (they are rewritten otherwise)
#   POSTEL_RUN_NO_START=1    stop after "postfix check" (for tests)
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
build=${BUILD:-build}
run=${POSTEL_RUN_DIR:-$top/run}
smtp_port=${POSTEL_RUN_SMTP_PORT:-2525}
umask 022

die() { echo "run: $*" >&2; exit 1; }

[ -f "$build/build.ninja" ] || die "no build in $build (run make first)"
case $run in
/*) ;;
*) run=$top/$run ;;
esac
if [ -e "$run" ] && [ ! -O "$run" ]; then
  die "$run belongs to another user; remove it first (rm -rf $run as that user or root)"
fi

# Accounts: privileged instance as root, single-account instance otherwise.
if [ "$(id -u)" -eq 0 ]; then
  owner=postfix group=postdrop
  getent passwd "$owner" >/dev/null || die "no '$owner' account: run 'make deps'"
  getent group "$group" >/dev/null || die "no '$group' group: run 'make deps'"
  # Daemons run as mail_owner and must reach the queue directory.
  dir=$run
  while [ "$dir" != / ]; do
    dir=$(dirname "$dir")
    if [ -d "$dir" ] && ! su -s /bin/sh -c "test -x '$dir'" "$owner" 2>/dev/null; then
      die "$owner cannot enter $dir; use POSTEL_RUN_DIR=<dir> with a reachable directory"
    fi
  done
else
  owner=$(id -un) group=$(id -gn)
fi

# Install.
root=$run/root
rm -rf "$root"
# "postfix check" creates run/spool and run/lib with the right owners.
mkdir -p "$root" "$run/etc"
meson install -C "$build" --no-rebuild --quiet --destdir "$root" >/dev/null
sbin=$root/usr/sbin
libexec=$root/usr/libexec/postfix
[ -x "$sbin/postfix" ] || die "the build has no postfix command"
cp "$root/etc/postfix/postfix-files" "$run/etc/postfix-files"

# main.cf: every directory inside run/, logging to stdout.
write_main_cf() {
  cat > "$run/etc/main.cf" <<EOF
# Written by scripts/run.sh for "make run" (rewritten on every run unless
# POSTEL_RUN_KEEP_CONFIG=1).
compatibility_level = 3.6
queue_directory = $run/spool
data_directory = $run/lib
meta_directory = $run/etc
daemon_directory = $libexec
command_directory = $sbin
shlib_directory = $root/usr/lib/postfix
manpage_directory = $root/usr/share/man
sendmail_path = $sbin/sendmail
mailq_path = $root/usr/bin/mailq
newaliases_path = $root/usr/bin/newaliases
html_directory = no
readme_directory = no
mail_owner = $owner
setgid_group = $group
inet_interfaces = 127.0.0.1
inet_protocols = ipv4
maillog_file = /dev/stdout
maillog_file_prefixes = /dev/stdout, $run
alias_maps = hash:$run/etc/aliases
alias_database = hash:$run/etc/aliases
# The demo's mail: every address in the domains below is delivered by
# virtual(8) to the maildir run/mail/<domain>/, owned by $owner.
# Mail to \$myhostname and the host's users stays with local(8).
mydestination = \$myhostname
virtual_mailbox_domains = localhost, example.com
virtual_mailbox_base = $run/mail
virtual_mailbox_maps = texthash:$run/etc/virtual_mailbox
virtual_uid_maps = static:$(id -u "$owner")
virtual_gid_maps = static:$(id -g "$owner")
virtual_minimum_uid = $(id -u "$owner")
EOF
  # One maildir per domain for every address in it (virtual(8) allows
  # no $1 substitution in regexp results, as Postfix's).
  printf '%s\n' '@localhost localhost/' '@example.com example.com/' \
    > "$run/etc/virtual_mailbox"
}

# master.cf: the standard services whose programs this build has (and
# postlog, which "postfix check" requires with maillog_file).
write_master_cf() {
  local line program
  {
    echo "# Written by scripts/run.sh for \"make run\": the services whose programs"
    echo "# exist in $libexec."
    echo "# service type  private unpriv  chroot  wakeup  maxproc command + args"
    while read -r line; do
      [ -n "$line" ] || continue
      program=$(awk '{ print $8 }' <<<"$line")
      # postlog is required by maillog_file; the others are optional.
      [ -x "$libexec/$program" ] || [ "$program" = postlogd ] || continue
      awk '{ printf "%-9s %-5s %-7s %-7s %-7s %-7s %-7s %s\n", $1, $2, $3, $4, $5, $6, $7, $8 }' \
        <<<"$line"
    done <<EOF
$smtp_port inet n - n - - smtpd
pickup fifo n - n 60 1 pickup
cleanup unix n - n - 0 cleanup
qmgr fifo n - n 300 1 qmgr
tlsmgr unix - - n 1000? 1 tlsmgr
rewrite unix - - n - - trivial-rewrite
bounce unix - - n - 0 bounce
defer unix - - n - 0 bounce
trace unix - - n - 0 bounce
verify unix - - n - 1 verify
flush unix n - n 1000? 0 flush
proxymap unix - - n - - proxymap
proxywrite unix - - n - 1 proxymap
smtp unix - - n - - smtp
relay unix - - n - - smtp
showq unix n - n - - showq
error unix - - n - - error
retry unix - - n - - error
discard unix - - n - - discard
local unix - n n - - local
virtual unix - n n - - virtual
lmtp unix - - n - - lmtp
anvil unix - - n - 1 anvil
scache unix - - n - 1 scache
postlog unix-dgram n - n - 1 postlogd
EOF
  } > "$run/etc/master.cf"
}

if [ "${POSTEL_RUN_KEEP_CONFIG:-}" != 1 ] || [ ! -f "$run/etc/main.cf" ]; then
  write_main_cf
fi
if [ "${POSTEL_RUN_KEEP_CONFIG:-}" != 1 ] || [ ! -f "$run/etc/master.cf" ]; then
  write_master_cf
fi

# The maildirs' parent, which virtual(8) writes as $owner.
mkdir -p "$run/mail"
chown "$owner:$group" "$run/mail"

# The demo's own aliases (never the host's /etc/aliases).
if [ ! -f "$run/etc/aliases" ]; then
  printf 'postmaster: root\n' > "$run/etc/aliases"
fi
"$sbin/postalias" -c "$run/etc" "hash:$run/etc/aliases"

postfix=("$sbin/postfix" -c "$run/etc")
# What a package's post-install step does: owners, groups, set-gid bits.
"${postfix[@]}" set-permissions
"${postfix[@]}" check
if [ "${POSTEL_RUN_NO_START:-}" = 1 ]; then
  echo "run: instance ready in $run (not started: POSTEL_RUN_NO_START=1)"
  exit 0
fi
echo "run: starting the instance in $run as $owner; press Ctrl-C to stop"
exec "${postfix[@]}" start-fg
