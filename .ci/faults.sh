#!/usr/bin/env bash
# Runs the whole fault suite (bridge-reliability, all faults F1..F14 at full scale) and writes docs/reliability.md
# from what it measured. Fails when any committed event is lost or doubled, or a rolled-back one is observed.
#
#   bash .ci/faults.sh            # about 10 minutes on two cores
#
# Needs what .ci/test.sh needs (nats-server, the local PostgreSQL), plus PostgreSQL's server programs
# (/usr/lib/postgresql/15/bin: F5 and F11 initdb a private cluster under target/), openssl and keytool (F9).
# Every `mvn verify` already runs a trimmed version (F1, F3, F4, F6, F8, F12, F13) into bridge-reliability/target/reliability.md.
set -euo pipefail
cd "$(dirname "$0")/.."

. .ci/services.sh
ensure_nats_server

ensure_postgres
pg_bin="/usr/lib/postgresql/$(ls /etc/postgresql 2>/dev/null | head -1)/bin"
if [ ! -x "$pg_bin/initdb" ]; then
  echo "PostgreSQL's initdb is missing ($pg_bin): F5 needs it (apt-get install postgresql)" >&2
  exit 1
fi

start=$(date +%s)
mvn -B verify -Pfaults -pl bridge-reliability -am -DskipITs -Djsb.test.postgres.bin="$pg_bin" \
  -Dtest='io.jetstreambridge.reliability.*Test' -Dsurefire.failIfNoSpecifiedTests=false "$@"
echo "fault suite: $(( $(date +%s) - start )) s; table written to docs/reliability.md"
