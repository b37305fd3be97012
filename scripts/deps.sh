#!/bin/bash
# deps.sh - install the Debian packages that the build and tests need.
#
# As root, installs whatever is missing (with service start-up disabled
# during the install, so no system daemon is left running). As another
# user, prints the exact apt-get command and fails if anything is missing.
set -euo pipefail

packages=(
  # build
  gcc clang meson ninja-build pkg-config make
  # libraries (DESIGN.md section 6)
  libevent-dev libssl-dev libunbound-dev libsasl2-dev liblmdb-dev
  libcdb-dev libpcre2-dev libpq-dev libmariadb-dev libsqlite3-dev
  libldap-dev
  # tests
  libcmocka-dev libclang-rt-14-dev python3-pytest python3-aiosmtpd swaks
  openssl unbound dovecot-core dovecot-lmtpd lmdb-utils procps iproute2
  groff-base man-db
)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q '^install ok installed$'; then
    missing+=("$p")
  fi
done

# Accounts for privileged instances (make run and the system tests as root),
# as a Postfix package install would create them.
ensure_accounts() {
  [ "$(id -u)" -eq 0 ] || return 0
  getent group postdrop >/dev/null || groupadd --system postdrop
  getent group postfix >/dev/null || groupadd --system postfix
  getent passwd postfix >/dev/null || useradd --system --gid postfix \
    --home-dir /var/spool/postfix --no-create-home --shell /usr/sbin/nologin postfix
}

if [ ${#missing[@]} -eq 0 ]; then
  ensure_accounts
  echo "deps: all ${#packages[@]} packages present"
  exit 0
fi

cmd="apt-get install -y --no-install-recommends ${missing[*]}"
if [ "$(id -u)" -ne 0 ]; then
  echo "deps: missing packages; run as root:" >&2
  echo "  apt-get update && $cmd" >&2
  exit 1
fi

echo "deps: installing ${missing[*]}"
# Keep package scripts from starting system daemons (dovecot, unbound).
policy=/usr/sbin/policy-rc.d
created_policy=no
if [ ! -e "$policy" ]; then
  printf '#!/bin/sh\nexit 101\n' > "$policy"
  chmod 755 "$policy"
  created_policy=yes
fi
cleanup() { [ "$created_policy" = yes ] && rm -f "$policy"; }
trap cleanup EXIT
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
$cmd -qq >/dev/null
ensure_accounts
