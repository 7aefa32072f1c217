#!/usr/bin/env bash
# Makes sure the Debian packages the test suite starts for real are present: nginx (the VPS's
# reverse proxy in HostRoute tests), etcd-server (the test API server's store; without it
# tools/build-go-tool.sh builds etcd from Go modules, which costs about 1.5 min of CPU), jq and
# openssl (tool builds, test certificates), tmux (the pseudo-terminal the terminal test drives
# the CLI in, test/e2e/terminal.test.ts), shellcheck (actionlint checks the workflows' `run:`
# scripts with it, test/ci/workflows.test.ts), postgresql (its server binaries in
# /usr/lib/postgresql/<version>/bin: the commander's tests and `sitestack serve`'s one-machine
# default start a private server from them) and chromium (/usr/bin/chromium, the browser
# playwright-core drives in the commander's web page test, test/e2e/commander-web.test.ts). As
# root (CI, dev containers) missing packages are installed with apt-get; otherwise the exact
# command to run is printed and the script fails.
set -euo pipefail

packages=(nginx etcd-server jq openssl tmux shellcheck postgresql chromium)
missing=()
for pkg in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
  echo "[system-deps] missing Debian packages: ${missing[*]}" >&2
  echo "[system-deps] run: sudo apt-get update && sudo apt-get install -y --no-install-recommends ${missing[*]}" >&2
  exit 1
fi
echo "[system-deps] installing ${missing[*]}" >&2
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
# Debian starts the distribution's nginx, etcd and PostgreSQL services; the tests start their own
# on loopback ports, so the packaged services are stopped.
for service in nginx etcd postgresql; do
  if [ -d /run/systemd/system ]; then systemctl disable --now "$service" >/dev/null 2>&1 || true; fi
  service "$service" stop >/dev/null 2>&1 || true
done
