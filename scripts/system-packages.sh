#!/usr/bin/env bash
# Installs the Debian packages Seen needs, only when they are missing.
#   system-packages.sh test   what the test suite needs: PostgreSQL server binaries (initdb,
#                             pg_ctl) and a Java runtime for the Spark linkage backend
#                             and Chromium for the browser tests, and Node.js with npm
#   system-packages.sh node   Node.js and npm, which install the web app's GOV.UK Frontend assets
#   system-packages.sh java   a Java 17+ runtime, for `seen link --backend spark`
#   system-packages.sh venv   python3-venv, for a system Python without the venv module
#   system-packages.sh bench  what bench/web.py needs: wrk (the load generator) and the
#                             PostgreSQL server binaries
set -euo pipefail

# Spark 4 runs on Java 17 or later: is one on the PATH (or in JAVA_HOME)?
has_java() {
  local java version major
  java="${JAVA_HOME:+$JAVA_HOME/bin/java}"
  [ -x "${java:-}" ] || java="$(command -v java || true)"
  [ -n "$java" ] || return 1
  version="$("$java" -version 2>&1 | sed -n 's/.*version "\([0-9][0-9.]*\).*/\1/p' || true)"
  version="${version%%$'\n'*}"
  major="${version%%.*}"
  [ "$major" = 1 ] && major="$(echo "$version" | cut -d. -f2)"
  [ -n "$major" ] && [ "$major" -ge 17 ]
}

need=()
case "${1:-test}" in
  test)
    ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need+=(postgresql)
    has_java || need+=(java)
    [ -x /usr/bin/chromium ] || need+=(chromium)
    command -v npm >/dev/null 2>&1 || need+=(nodejs npm)
    ;;
  node)
    command -v npm >/dev/null 2>&1 || need+=(nodejs npm)
    ;;
  java)
    has_java || need+=(java)
    ;;
  venv)
    need+=(python3-venv)
    ;;
  bench)
    command -v wrk >/dev/null 2>&1 || need+=(wrk)
    ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need+=(postgresql)
    ;;
  *) echo "usage: $0 test|node|java|venv|bench" >&2; exit 2 ;;
esac

[ ${#need[@]} -eq 0 ] && exit 0

sudo=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then sudo="sudo -n"; else
    echo "Seen needs these Debian packages: ${need[*]/java/a Java 17+ runtime (default-jre-headless)}. Install them as root." >&2
    exit 1
  fi
fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
packages=()
for package in "${need[@]}"; do
  if [ "$package" = java ]; then
    # A headless OpenJDK Spark 4 supports (21 or 17: bookworm has 17, trixie 21), else 25.
    package=""
    for version in 21 17 25; do
      candidate="$(apt-cache policy "openjdk-$version-jre-headless" 2>/dev/null | sed -n 's/^ *Candidate: //p')"
      if [ -n "$candidate" ] && [ "$candidate" != "(none)" ]; then
        package="openjdk-$version-jre-headless"
        break
      fi
    done
    if [ -z "$package" ]; then
      echo "No OpenJDK 17+ runtime in this system's Debian packages; install Java 17 or later for the Spark backend." >&2
      exit 1
    fi
  fi
  packages+=("$package")
done
# Slim Debian images leave out the man folders, and OpenJDK's postinst links a man page there.
case " ${packages[*]}" in *" openjdk-"*) $sudo mkdir -p /usr/share/man/man1 ;; esac
echo "Installing Debian packages: ${packages[*]}"
$sudo apt-get install -y -qq --no-install-recommends "${packages[@]}" >/dev/null
