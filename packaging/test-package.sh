#!/bin/sh
# The Debian package end to end (ctest label "package"; needs root and a Debian 12 machine
# without plancal installed, as CI has): build it with cpack from BUILD_DIR, lint it, install
# it with apt-get, check the user, conffile and modes, run the installed binary as the
# plancal user, then remove and purge it.
# Usage: sh packaging/test-package.sh BUILD_DIR
set -eu

build_dir=$(cd "$1" && pwd)
fail() { echo "FAIL: $*" >&2; exit 1; }
check() { [ "$2" = "$3" ] || fail "$1: expected '$3', got '$2'"; }

[ "$(id -u)" = 0 ] || fail "needs root (apt-get install)"
if dpkg-query -W -f='${Status}' plancal 2>/dev/null | grep -q "installed"; then
    fail "plancal is installed on this machine already; this test would replace it"
fi

cd "$build_dir"
rm -f plancal_*.deb
cpack -G DEB >cpack.log 2>&1 || { cat cpack.log; fail "cpack"; }
deb=$(ls plancal_*_*.deb)
echo "== built $deb"
case "$deb" in plancal_[0-9]*_"$(dpkg --print-architecture)".deb) ;; *) fail "file name $deb" ;; esac

echo "== lintian"
lintian --fail-on error --suppress-tags maintainer-script-calls-systemctl "$deb"

purge() { apt-get purge -y -q plancal >/dev/null 2>&1 || true; }
trap purge EXIT

echo "== apt-get install ./$deb"
DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "./$deb" >install.log 2>&1 \
    || { cat install.log; fail "apt-get install"; }

echo "== user, conffile, modes"
check "plancal user shell" "$(getent passwd plancal | cut -d: -f7)" "/usr/sbin/nologin"
check "plancal home" "$(getent passwd plancal | cut -d: -f6)" "/var/lib/plancal"
check "state folder" "$(stat -c '%a %U %G' /var/lib/plancal)" "700 plancal plancal"
check "config mode" "$(stat -c '%a %U' /etc/plancal/plancal.yaml)" "644 root"
check "binary mode" "$(stat -c '%a %U' /usr/bin/plancal)" "755 root"
check "unit mode" "$(stat -c '%a' /usr/lib/systemd/system/plancal.service)" "644"
dpkg-query -W -f='${Conffiles}\n' plancal | grep -q "/etc/plancal/plancal.yaml" \
    || fail "/etc/plancal/plancal.yaml is not a conffile"
[ -d /etc/plancal/plans ] || fail "postinst did not create /etc/plancal/plans"
[ -s /usr/share/man/man1/plancal.1.gz ] || fail "no man page"
[ -s /usr/share/plancal/schemas/plan.schema.json ] || fail "no schemas"
if command -v systemd-analyze >/dev/null 2>&1; then
    man_check=--man=no
    command -v man >/dev/null 2>&1 && man_check=--man=yes
    systemd-analyze verify "$man_check" /usr/lib/systemd/system/plancal.service
fi

echo "== the installed binary"
plancal --version | grep -Eq '^plancal [0-9]+\.[0-9]+\.[0-9]+$' || fail "plancal --version"
plancal validate /usr/share/plancal/examples/*.yaml >validate.log 2>&1 \
    || { cat validate.log; fail "plancal validate on the shipped examples"; }
cp /usr/share/plancal/examples/kollegaveiledning.yaml /etc/plancal/plans/
runuser -u plancal -- plancal publish --config /etc/plancal/plancal.yaml
runuser -u plancal -- plancal status --config /etc/plancal/plancal.yaml | grep -q "kollegaveiledning: last published" \
    || fail "plancal status after publishing as the plancal user"
check "database owner" "$(stat -c '%U' /var/lib/plancal/plancal.db)" "plancal"

echo "== remove keeps the edited conffile, purge removes everything"
echo "# edited by the administrator" >>/etc/plancal/plancal.yaml
apt-get remove -y -q plancal >/dev/null
[ ! -e /usr/bin/plancal ] || fail "remove left the binary"
grep -q "edited by the administrator" /etc/plancal/plancal.yaml || fail "remove lost the conffile edit"
rm /etc/plancal/plans/kollegaveiledning.yaml
apt-get purge -y -q plancal >/dev/null
[ ! -e /etc/plancal ] || fail "purge left /etc/plancal"
[ ! -e /var/lib/plancal ] || fail "purge left /var/lib/plancal"
dpkg-query -W plancal >/dev/null 2>&1 && fail "dpkg still knows plancal after purge"
trap - EXIT
echo "package test passed"
