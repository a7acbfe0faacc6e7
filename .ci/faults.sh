#!/usr/bin/env bash
# Runs the whole fault suite (bridge-reliability, all faults F1..F9 at full scale) and writes docs/reliability.md
# from what it measured. Fails when any committed event is lost or doubled, or a rolled-back one is observed.
#
#   bash .ci/faults.sh            # about 10 minutes on two cores
#
# Needs what .ci/test.sh needs (nats-server, the local PostgreSQL), plus PostgreSQL's server programs
# (/usr/lib/postgresql/15/bin: F5 initdb's a private cluster under target/), openssl and keytool (F9).
# Every `mvn verify` already runs a trimmed version (F1, F3, F4, F6, F8) into bridge-reliability/target/reliability.md.
set -euo pipefail
cd "$(dirname "$0")/.."

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

if ! command -v nats-server >/dev/null 2>&1 && [ ! -x /usr/sbin/nats-server ]; then
  echo "nats-server is missing: installing Debian's package"
  as_root apt-get update -q || true
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q nats-server
fi
if [ -x /usr/sbin/nats-server ]; then export PATH="$PATH:/usr/sbin"; fi

if command -v pg_isready >/dev/null 2>&1 && ! pg_isready -q -h 127.0.0.1 -p 5432; then
  if command -v pg_ctlcluster >/dev/null 2>&1 && [ -d /etc/postgresql ]; then
    echo "PostgreSQL is installed but stopped: starting it"
    as_root pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -1)" main start
    for _ in $(seq 1 30); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 1; done
  fi
fi
pg_bin="/usr/lib/postgresql/$(ls /etc/postgresql 2>/dev/null | head -1)/bin"
if [ ! -x "$pg_bin/initdb" ]; then
  echo "PostgreSQL's initdb is missing ($pg_bin): F5 needs it (apt-get install postgresql)" >&2
  exit 1
fi

start=$(date +%s)
mvn -B verify -Pfaults -pl bridge-reliability -am -DskipITs -Djsb.test.postgres.bin="$pg_bin" \
  -Dtest='io.jetstreambridge.reliability.*Test' -Dsurefire.failIfNoSpecifiedTests=false "$@"
echo "fault suite: $(( $(date +%s) - start )) s; table written to docs/reliability.md"
