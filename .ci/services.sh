#!/usr/bin/env bash
# Sourced by the .ci scripts: makes sure the local services the tests, the sample, the fault suite and the bench need
# are there. Installs Debian's nats-server when it is missing; starts PostgreSQL and MariaDB when they are installed
# but stopped. Never starts a NATS server: every caller starts its own.

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

ensure_nats_server() {
  if ! command -v nats-server >/dev/null 2>&1 && [ ! -x /usr/sbin/nats-server ]; then
    echo "nats-server is missing: installing Debian's package"
    as_root apt-get update -q || true
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q nats-server
  fi
  if [ -x /usr/sbin/nats-server ]; then export PATH="$PATH:/usr/sbin"; fi
}

ensure_postgres() {
  if command -v pg_isready >/dev/null 2>&1 && ! pg_isready -q -h 127.0.0.1 -p 5432; then
    if command -v pg_ctlcluster >/dev/null 2>&1 && [ -d /etc/postgresql ]; then
      echo "PostgreSQL is installed but stopped: starting it"
      as_root pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -1)" main start
      for _ in $(seq 1 30); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 1; done
    fi
  fi
}

# MariaDB checks the MySQL/MariaDB DDL
ensure_mariadb() {
  if command -v mariadb-admin >/dev/null 2>&1 && ! mariadb-admin -h 127.0.0.1 -u root ping >/dev/null 2>&1; then
    if [ -x /usr/sbin/mariadbd ]; then
      echo "MariaDB is installed but stopped: starting it"
      as_root start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd
      for _ in $(seq 1 30); do mariadb-admin -h 127.0.0.1 -u root ping >/dev/null 2>&1 && break; sleep 1; done
    fi
  fi
}
