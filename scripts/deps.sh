#!/bin/bash
# deps.sh - install the Debian packages that the build and tests need.
#
# As root, installs whatever is missing, then checks that every package is
# really installed and creates the accounts of a privileged instance. As
# another user, prints the exact commands to run as root and fails if
# anything is missing.
#
# The install runs without questions and starts no system daemon: a
# policy-rc.d that denies every start is in place during the install
# (unless one exists already), and Debian's postfix, which the tests and
# the developers' guide use as the reference for comparisons, is preseeded
# with "No configuration" (no main.cf, nothing running). apt's output goes
# to a log file; on failure its path and last lines are shown.
set -euo pipefail

packages=(
  # build
  gcc clang meson ninja-build pkg-config make
  # libraries (DESIGN.md section 6)
  libevent-dev libssl-dev libunbound-dev libsasl2-dev liblmdb-dev
  libcdb-dev libpcre2-dev libpq-dev libmariadb-dev libsqlite3-dev
  libldap-dev
  # tests
  libcmocka-dev libclang-rt-14-dev python3-pytest python3-pytest-xdist
  python3-aiosmtpd swaks
  openssl unbound dovecot-core dovecot-lmtpd lmdb-utils procps iproute2
  groff-base man-db
  # the reference for comparisons (/usr/sbin/postconf and friends)
  postfix
)
preseed="postfix postfix/main_mailer_type select No configuration"

missing_packages() {	# print the packages that are not fully installed
  local p
  for p in "${packages[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null \
	 | grep -q '^install ok installed$'; then
      echo "$p"
    fi
  done
}

# Accounts for privileged instances (make run and the system tests as root):
# the ones Debian's postfix package creates, with the same properties, so
# that either may come first. Debian's maintainer scripts accept existing
# system accounts; this function leaves existing accounts alone.
ensure_accounts() {
  [ "$(id -u)" -eq 0 ] || return 0
  getent group postdrop >/dev/null || groupadd --system postdrop
  getent group postfix >/dev/null || groupadd --system postfix
  getent passwd postfix >/dev/null || useradd --system --gid postfix \
    --home-dir /var/spool/postfix --no-create-home --shell /usr/sbin/nologin postfix
  return 0
}

mapfile -t missing < <(missing_packages)
if [ ${#missing[@]} -eq 0 ]; then
  ensure_accounts
  echo "deps: all ${#packages[@]} packages present"
  exit 0
fi

cmd="apt-get install -y --no-install-recommends ${missing[*]}"
if [ "$(id -u)" -ne 0 ]; then
  echo "deps: missing packages; run as root:" >&2
  case " ${missing[*]} " in
  *" postfix "*) echo "  echo '$preseed' | debconf-set-selections" >&2;;
  esac
  echo "  apt-get update && $cmd" >&2
  exit 1
fi

echo "deps: installing ${missing[*]}"
log=$(mktemp "${TMPDIR:-/tmp}/postel-deps.XXXXXX.log")
# Keep package scripts from starting system daemons (dovecot, unbound,
# postfix).
policy=/usr/sbin/policy-rc.d
created_policy=no
if [ ! -e "$policy" ]; then
  printf '#!/bin/sh\nexit 101\n' > "$policy"
  chmod 755 "$policy"
  created_policy=yes
fi
# The trap must not change the exit status (the status of the last
# command in an EXIT trap becomes the script's).
cleanup() {
  local status=$?
  if [ "$created_policy" = yes ]; then
    rm -f "$policy"
  fi
  exit "$status"
}
trap cleanup EXIT

fail() {	# message: report a failed step with the end of the log
  echo "deps: $1; the last lines of $log:" >&2
  tail -n 30 "$log" >&2
  exit 1
}

export DEBIAN_FRONTEND=noninteractive
echo "$preseed" | debconf-set-selections
{
  # Finish what an interrupted earlier install left unconfigured.
  dpkg --configure -a
  apt-get update
} >> "$log" 2>&1 || fail "apt-get update failed"
$cmd -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold \
  >> "$log" 2>&1 || fail "apt-get install failed (status $?)"

mapfile -t still < <(missing_packages)
[ ${#still[@]} -eq 0 ] || fail "not installed after apt-get: ${still[*]}"
ensure_accounts
rm -f "$log"
echo "deps: installed ${#missing[@]} packages"
