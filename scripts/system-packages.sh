#!/usr/bin/env bash
# Installs the Debian packages Seen needs, only when they are missing.
#   system-packages.sh test   PostgreSQL server binaries (initdb, pg_ctl) for the test suite
#   system-packages.sh venv   python3-venv, for a system Python without the venv module
set -euo pipefail

need=()
case "${1:-test}" in
  test)
    ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need+=(postgresql)
    ;;
  venv)
    need+=(python3-venv)
    ;;
  *) echo "usage: $0 test|venv" >&2; exit 2 ;;
esac

[ ${#need[@]} -eq 0 ] && exit 0

sudo=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then sudo="sudo -n"; else
    echo "Seen needs these Debian packages: ${need[*]}. Install them as root (apt-get install ${need[*]})." >&2
    exit 1
  fi
fi
echo "Installing Debian packages: ${need[*]}"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
