#!/usr/bin/env bash
# The capacity model checked (issue 19; not part of the tests): the end-to-end load with 1, 2 and 4 instances of the
# publishing and of the consuming application (each a JVM of its own, as the fault suite starts them) on one
# nats-server, and with 1 and 2 instances on a 3-node cluster with the stream replicated 3 times; writers commit as
# fast as they can, the rate is counted in PostgreSQL over a fixed window, the CPU of every process group from /proc,
# and the forecast from docs/scaling-costs.properties beside it. Rewrites the section between
# <!-- check:begin --> and <!-- check:end --> of docs/scaling.md (the rest of the page stays). Fails when any
# committed event is lost or doubled; never because the machine is slow.
#
#   bash .ci/scaling.sh                                   # about 8-13 minutes on two cores
#   bash .ci/scaling.sh -Djsb.scaling.plan=1x1,2x3 -Djsb.scaling.window-seconds=40
#
# Other properties: jsb.scaling.writers (per publisher instance, 4), jsb.scaling.warmup-seconds (30, then on until
# the JIT compilers settle, at most jsb.scaling.warmup-max-seconds, 120),
# jsb.scaling.window-seconds (25). Needs nats-server and PostgreSQL's server programs (the run initdb's a cluster of
# its own under bridge-reliability/target/scaling; the machine's shared PostgreSQL is not used).
set -euo pipefail
cd "$(dirname "$0")/.."
root="$(pwd)"

. .ci/services.sh
ensure_nats_server

pg_bin="/usr/lib/postgresql/$(ls /etc/postgresql 2>/dev/null | head -1)/bin"
if [ ! -x "$pg_bin/initdb" ]; then
  echo "PostgreSQL's initdb is missing ($pg_bin): the scaling run needs it (apt-get install postgresql)" >&2
  exit 1
fi
# clusters an interrupted run left running (a finished run stops its own)
for pid_file in "$root"/bridge-reliability/target/scaling/postgres-*/data/postmaster.pid; do
  [ -f "$pid_file" ] || continue
  data="$(dirname "$pid_file")"
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$pg_bin/pg_ctl" -D "$data" stop -m immediate || true
  else "$pg_bin/pg_ctl" -D "$data" stop -m immediate || true; fi
done
rm -rf "$root/bridge-reliability/target/scaling"

start=$(date +%s)
mvn -B verify -Pscaling -pl bridge-reliability -am -DskipITs -Djsb.test.postgres.bin="$pg_bin" \
  -Dtest=ScalingRun -Dsurefire.failIfNoSpecifiedTests=false "$@"
echo "scaling run: $(( $(date +%s) - start )) s; section written to docs/scaling.md"
