#!/usr/bin/env bash
# Installs the given Debian packages that are not installed yet (apt-get, no
# recommends, waiting up to 10 minutes for the apt lock). Quiet and quick
# when everything is present. Needs root, or sudo.
#
#   bash scripts/apt-install.sh WHO PACKAGE...    (WHO prefixes messages)
set -euo pipefail
who=$1
shift

missing=()
for p in "$@"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || { echo "$who: missing packages (${missing[*]}) and not root; run as root" >&2; exit 1; }
  SUDO=sudo
else
  SUDO=
fi
echo "$who: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get -o DPkg::Lock::Timeout=600 update -qq
$SUDO apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
