"""System tests for scripts/deps.sh ("make deps") with stand-ins for the
package tools.

Each test runs the script in a private mount namespace in which /usr/sbin
is an empty tmpfs, so the policy-rc.d that the script writes there goes
nowhere and the real groupadd and useradd are out of reach. Fake apt-get,
dpkg, dpkg-query, debconf-set-selections, groupadd and useradd come first
in PATH; they log their arguments, and files in the fake directory say
which packages are missing and how apt-get ends.
"""

import os
import shutil
import subprocess

import pytest

from conftest import REPO

FAKES = {
    "dpkg-query": r'''#!/bin/sh
# dpkg-query -W -f='${Status}' PACKAGE
for p; do :; done
grep -qx "$p" "$FAKE/missing" 2>/dev/null && exit 1
printf 'install ok installed'
''',
    "apt-get": r'''#!/bin/sh
echo "apt-get $*" >> "$FAKE/log"
[ -x /usr/sbin/policy-rc.d ] && echo "policy during apt-get" >> "$FAKE/log"
[ "$1" = update ] && exit 0
echo "Setting up the packages ..."
echo "E: the last words of apt-get"
status=$(cat "$FAKE/apt-status" 2>/dev/null || echo 0)
[ "$status" -eq 0 ] && [ ! -e "$FAKE/sticky" ] && : > "$FAKE/missing"
exit "$status"
''',
    "dpkg": '#!/bin/sh\necho "dpkg $*" >> "$FAKE/log"\n',
    "debconf-set-selections":
        '#!/bin/sh\necho "debconf $(cat)" >> "$FAKE/log"\n',
    "groupadd": '#!/bin/sh\necho "groupadd $*" >> "$FAKE/log"\n',
    "useradd": '#!/bin/sh\necho "useradd $*" >> "$FAKE/log"\n',
}

# In the namespace: an empty /usr/sbin (with a policy-rc.d of our own when
# asked), the script, and the list of what /usr/sbin holds afterwards.
WRAPPER = r'''
mount -t tmpfs tmpfs /usr/sbin || exit 99
if [ -n "$PRE_POLICY" ]; then
  printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d
  chmod 755 /usr/sbin/policy-rc.d
fi
bash "$1"
status=$?
ls /usr/sbin > "$FAKE/sbin-after"
exit $status
'''


class Deps:
    """The fake tools, their log, and runs of deps.sh."""

    def __init__(self, base):
        self.dir = base / "fake"
        self.dir.mkdir()
        self.tmp = base / "tmp"
        self.tmp.mkdir()
        for name, text in FAKES.items():
            (self.dir / name).write_text(text)
            (self.dir / name).chmod(0o755)

    def missing(self, *packages):
        (self.dir / "missing").write_text("".join(p + "\n" for p in packages))

    def run(self, pre_policy=False, uid=None):
        if shutil.which("unshare") is None:
            pytest.skip("unshare(1) missing")
        env = dict(os.environ, FAKE=str(self.dir), TMPDIR=str(self.tmp),
                   PATH=f"{self.dir}:{os.environ['PATH']}",
                   PRE_POLICY="yes" if pre_policy else "")
        if uid is not None:
            (self.dir / "id").write_text(f"#!/bin/sh\necho {uid}\n")
            (self.dir / "id").chmod(0o755)
        argv = ["unshare", "-m", "sh", "-c", WRAPPER, "sh",
                str(REPO / "scripts/deps.sh")]
        if os.geteuid() != 0:
            argv[1:2] = ["-r", "-m"]            # a user namespace as root
        result = subprocess.run(argv, env=env, capture_output=True, text=True,
                                timeout=60)
        if result.returncode == 99:
            pytest.skip("cannot mount a tmpfs in a private namespace here")
        return result

    def log(self):
        path = self.dir / "log"
        return path.read_text() if path.exists() else ""

    def sbin_after(self):
        return (self.dir / "sbin-after").read_text().split()

    def kept_logs(self):
        return sorted(self.tmp.iterdir())


@pytest.fixture
def deps(tmp_path):
    return Deps(tmp_path)


def test_nothing_missing(deps):
    r = deps.run()
    assert (r.returncode, r.stderr) == (0, "")
    assert r.stdout.startswith("deps: all ") and "packages present" in r.stdout
    assert "apt-get" not in deps.log()


def test_existing_policy_is_kept_and_status_is_zero(deps):
    """An existing policy-rc.d (as in Debian's container images) stays, and
    the EXIT trap does not turn success into failure."""
    deps.missing("swaks", "postfix")
    r = deps.run(pre_policy=True)
    assert r.returncode == 0, r.stdout + r.stderr
    assert "deps: installing swaks postfix" in r.stdout
    assert deps.sbin_after() == ["policy-rc.d"]
    log = deps.log()
    assert ("debconf postfix postfix/main_mailer_type select No configuration"
            in log)
    assert "dpkg --configure -a" in log
    assert "apt-get install -y --no-install-recommends swaks postfix" in log
    assert deps.kept_logs() == []


def test_own_policy_during_install_only(deps):
    deps.missing("swaks")
    r = deps.run()
    assert r.returncode == 0, r.stdout + r.stderr
    assert "policy during apt-get" in deps.log()
    assert deps.sbin_after() == []


def test_apt_failure_shows_log(deps):
    deps.missing("swaks")
    (deps.dir / "apt-status").write_text("100\n")
    r = deps.run()
    assert r.returncode == 1
    [kept] = deps.kept_logs()
    assert f"deps: apt-get install failed (status 100); the last lines of {kept}:" in r.stderr
    assert "E: the last words of apt-get" in r.stderr
    assert "E: the last words of apt-get" in kept.read_text()
    assert deps.sbin_after() == []


def test_package_still_missing_after_apt(deps):
    deps.missing("swaks", "postfix")
    (deps.dir / "sticky").write_text("")
    r = deps.run()
    assert r.returncode == 1
    assert "deps: not installed after apt-get: swaks postfix" in r.stderr


def test_other_user_gets_the_commands(deps):
    deps.missing("postfix")
    r = deps.run(uid=1000)
    assert r.returncode == 1
    assert r.stderr == (
        "deps: missing packages; run as root:\n"
        "  echo 'postfix postfix/main_mailer_type select No configuration'"
        " | debconf-set-selections\n"
        "  apt-get update && apt-get install -y --no-install-recommends"
        " postfix\n")
    assert deps.log() == ""
