#!/usr/bin/env bash
# Stops the nats-server started by start-nats.sh (post-integration-test). Argument: store-dir.
set -uo pipefail
dir="$1"
if [ -f "$dir/nats.pid" ]; then
  pid="$(cat "$dir/nats.pid")"
  kill "$pid" 2>/dev/null || true
  for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  rm -f "$dir/nats.pid"
  echo "nats-server $pid stopped"
fi
exit 0
