#!/usr/bin/env bash
# The bench command (README "Benchmarks"): the bridge's throughput and latency against raw jnats, measured in the
# same run on the same nats-server and a PostgreSQL cluster of the bench's own; not part of the test run.
#
#   bash .ci/bench.sh           # full run (B2 and B3 with EclipseLink and with Hibernate), about 15-25 minutes on a
#                               # 2-core machine; writes docs/benchmarks.md
#   bash .ci/bench.sh --quick   # smaller counts, EclipseLink only, about 4-6 minutes; writes
#                               # bridge-bench/target/benchmarks-quick.md
#
#   bash .ci/bench.sh --quick --costs docs   # a quick run that also rewrites docs/scaling-costs.properties and
#                               # docs/scaling.md's generated sections (by default they go next to the --out file:
#                               # docs/ in a full run, bridge-bench/target/ in a quick one; they need B0, B2, B3, B4)
#
# Other arguments go to the bench (--out FILE, --only B0,B1,R3,B2,B3,B4,MEM, --providers eclipselink,hibernate,
# --costs DIR);
# BENCH_JAVA_OPTS adds JVM options (e.g. a flight recording:
# BENCH_JAVA_OPTS=-XX:StartFlightRecording=filename=target/bench.jfr). Installs Debian's nats-server when it is
# missing, starts its own on a free loopback port with JetStream (store under bridge-bench/target/nats), builds the
# bench module (Maven profile `bench`) and runs it. The bench initdb's its own PostgreSQL 15 cluster into
# bridge-bench/target/postgres (own port, pg_stat_statements loaded, autovacuum on; binaries from
# /usr/lib/postgresql/15/bin or -Djsb.test.postgres.bin in BENCH_JAVA_OPTS) and stops it at the end; the machine's
# shared PostgreSQL is not used.
set -euo pipefail
cd "$(dirname "$0")/.."
root="$(pwd)"

. .ci/services.sh
ensure_nats_server

pg_bin="/usr/lib/postgresql/15/bin"
if [ ! -x "$pg_bin/initdb" ]; then
  echo "the bench needs PostgreSQL 15's server programs in $pg_bin (apt-get install postgresql-15)" >&2; exit 1
fi
# a cluster an interrupted run left running (the bench stops its own at the end, also on Ctrl-C)
pg_data="$root/bridge-bench/target/postgres/data"
if [ -f "$pg_data/postmaster.pid" ]; then
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$pg_bin/pg_ctl" -D "$pg_data" stop -m immediate || true
  else "$pg_bin/pg_ctl" -D "$pg_data" stop -m immediate || true; fi
fi

args=()
prev=""
for arg in "$@"; do # --costs relative to the repository's root (the bench runs in bridge-bench)
  if [ "$prev" = "--costs" ] && [ "${arg#/}" = "$arg" ]; then arg="$root/$arg"; fi
  args+=("$arg"); prev="$arg"
done
quick=""
for arg in "$@"; do [ "$arg" = "--quick" ] && quick=yes; done
out_given=""
for arg in "$@"; do [ "$arg" = "--out" ] && out_given=yes; done
if [ -z "$out_given" ]; then
  if [ -n "$quick" ]; then args+=(--out "$root/bridge-bench/target/benchmarks-quick.md"); else args+=(--out "$root/docs/benchmarks.md"); fi
fi

echo "Building the bench (mvn -Pbench)..."
mvn -B -q ${MAVEN_ARGS:-} -Pbench -pl bridge-bench -am package dependency:build-classpath -DskipTests \
  -Dmdep.outputFile=target/bench-classpath.txt -Dmdep.includeScope=runtime

free_port() {
  local port
  for _ in $(seq 1 50); do
    port=$(( (RANDOM % 20000) + 30000 ))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then echo "$port"; return; fi
  done
  echo "no free port found" >&2; exit 1
}
port="$(free_port)"
store="$root/bridge-bench/target/nats"
rm -rf "$store"; mkdir -p "$store"
nats-server -a 127.0.0.1 -p "$port" -js -sd "$store" > "$root/bridge-bench/target/nats-server.log" 2>&1 &
nats_pid=$!
trap 'kill "$nats_pid" 2>/dev/null || true; wait "$nats_pid" 2>/dev/null || true' EXIT INT TERM
for _ in $(seq 1 50); do (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break; sleep 0.1; done
echo "nats-server $(nats-server --version | awk '{print $NF}') on 127.0.0.1:$port (JetStream, store $store)"

cd "$root/bridge-bench"
java -Xms512m -Xmx1g ${BENCH_JAVA_OPTS:-} -cp "target/classes:$(cat target/bench-classpath.txt)" io.jetstreambridge.bench.Bench \
  --nats "nats://127.0.0.1:$port" --nats-pid "$nats_pid" "${args[@]}"
