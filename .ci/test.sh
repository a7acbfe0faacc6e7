#!/usr/bin/env bash
# Runs every test of the project against real services: installs nats-server from Debian's packages when it is
# missing, starts the local PostgreSQL and MariaDB when they are installed but stopped, then runs `mvn -B verify`
# and, without extra arguments, the sample's integration tests once more on WildFly (`-Pwildfly`, 40 s here).
# Extra arguments go to the first Maven run only, e.g. `bash .ci/test.sh -pl bridge-api` (no WildFly run then).
set -euo pipefail
cd "$(dirname "$0")/.."

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

if ! command -v nats-server >/dev/null 2>&1 && [ ! -x /usr/sbin/nats-server ]; then
  echo "nats-server is missing: installing Debian's package"
  as_root apt-get update -q || true
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q nats-server
fi
if [ -x /usr/sbin/nats-server ]; then export PATH="$PATH:/usr/sbin"; fi
echo "nats-server: $(nats-server --version)"

if command -v pg_isready >/dev/null 2>&1 && ! pg_isready -q -h 127.0.0.1 -p 5432; then
  if command -v pg_ctlcluster >/dev/null 2>&1 && [ -d /etc/postgresql ]; then
    echo "PostgreSQL is installed but stopped: starting it"
    as_root pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -1)" main start
    for _ in $(seq 1 30); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 1; done
  fi
fi
if command -v pg_isready >/dev/null 2>&1; then pg_isready -h 127.0.0.1 -p 5432 || true; fi

# MariaDB checks the MySQL/MariaDB DDL; start the local one when it is installed but stopped
if command -v mariadb-admin >/dev/null 2>&1 && ! mariadb-admin -h 127.0.0.1 -u root ping >/dev/null 2>&1; then
  if [ -x /usr/sbin/mariadbd ]; then
    echo "MariaDB is installed but stopped: starting it"
    as_root start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd
    for _ in $(seq 1 30); do mariadb-admin -h 127.0.0.1 -u root ping >/dev/null 2>&1 && break; sleep 1; done
  fi
fi

mvn -B verify "$@"

# the same WARs and end-to-end tests on WildFly 39 (the modules' unit tests already ran above)
if [ $# -eq 0 ]; then
  mvn -B verify -Pwildfly -pl sample-war -am -Dtest=NONE -Dsurefire.failIfNoSpecifiedTests=false
fi
