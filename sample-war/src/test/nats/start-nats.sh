#!/usr/bin/env bash
# Starts nats-server with JetStream in the background for the sample's integration tests (pre-integration-test).
# Arguments: binary port store-dir. Layout under store-dir: store/ (JetStream), nats.pid, nats.log; stop-nats.sh
# stops the process named in nats.pid. The end-to-end tests stop, kill and restart this very server with the same
# arguments (BuildNatsServer, from the system properties nats.port, nats.store.dir, nats.server.binary): keep the
# two in step.
set -euo pipefail
binary="$1" port="$2" dir="$3"
if ! command -v "$binary" >/dev/null 2>&1; then
  if [ -x /usr/sbin/nats-server ]; then binary=/usr/sbin/nats-server; else
    echo "nats-server is missing: install it (Debian: apt-get install -y nats-server) or run bash .ci/test.sh" >&2
    exit 1
  fi
fi
if [ -f "$dir/nats.pid" ] && kill -0 "$(cat "$dir/nats.pid")" 2>/dev/null; then
  kill "$(cat "$dir/nats.pid")" || true
  sleep 1
fi
rm -rf "$dir"
mkdir -p "$dir"
nohup "$binary" -a 127.0.0.1 -p "$port" -js -sd "$dir/store" -P "$dir/nats.pid" >"$dir/nats.log" 2>&1 </dev/null &
for _ in $(seq 1 100); do
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
    echo "nats-server $("$binary" --version | awk '{print $NF}') listening on nats://127.0.0.1:$port (store $dir/store)"
    exit 0
  fi
  sleep 0.1
done
echo "nats-server did not start on port $port; its log:" >&2
cat "$dir/nats.log" >&2
exit 1
