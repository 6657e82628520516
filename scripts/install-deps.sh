#!/usr/bin/env bash
# Installs the Debian packages a stemroom build, test or benchmark needs. Idempotent and quiet when
# everything is already there. Usage: scripts/install-deps.sh GROUP...   (groups: build test bench)
# Each area of the project lists its packages in scripts/deps/<group>-<area>.txt, one per line (# comments).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
[ $# -gt 0 ] || set -- build

wanted=()
for group in "$@"; do
  for f in "$here"/deps/"$group"-*.txt; do
    [ -f "$f" ] || continue
    while read -r line; do
      line="${line%%#*}"; line="$(echo "$line" | xargs)"
      [ -n "$line" ] && wanted+=("$line")
    done < "$f"
  done
done
[ ${#wanted[@]} -gt 0 ] || exit 0

missing=()
for p in $(printf '%s\n' "${wanted[@]}" | sort -u); do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -gt 0 ] || exit 0

sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
echo "stemroom: installing Debian packages: ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq >/dev/null 2>&1 || echo "stemroom: warning: apt-get update failed" >&2
# Install one by one so one unavailable package does not block the rest; tests that need a missing
# package skip with a printed reason.
for p in "${missing[@]}"; do
  if ! $sudo apt-get install -y -qq --no-install-recommends "$p" >/dev/null 2>&1; then
    echo "stemroom: warning: could not install $p" >&2
  fi
done
