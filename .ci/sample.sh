#!/usr/bin/env bash
# Runs the sample (README "command 1"): three applications, `orders`, `billing` and `shipping`, in one Open Liberty
# server, each with its own database, keeping each other in sync through one JetStream stream (orders has two
# peers, billing and shipping; each of those has one, orders).
#
#   bash .ci/sample.sh            # embedded Derby; HTTP on 9080, NATS on 4222 (HTTP_PORT=..., NATS_PORT=... to change)
#   bash .ci/sample.sh --postgres # PostgreSQL on 127.0.0.1:5432 (PGHOST, PGPORT, PGUSER; trust authentication):
#                                 # databases jsb_orders, jsb_billing and jsb_shipping, created when missing
#
# Installs Debian's nats-server when it is missing, starts it (JetStream on, store under sample-war/target),
# builds the bridge and the sample, and runs Open Liberty in the foreground. Ctrl-C stops Liberty and nats-server.
set -euo pipefail
cd "$(dirname "$0")/.."
root="$(pwd)"

db=derby
for arg in "$@"; do
  case "$arg" in
    --postgres) db=postgresql ;;
    -h|--help) sed -n '2,11p' "$0"; exit 0 ;;
    *) echo "unknown argument: $arg (try --help)" >&2; exit 2 ;;
  esac
done

HTTP_PORT="${HTTP_PORT:-9080}"
NATS_PORT="${NATS_PORT:-4222}"
server_dir="$root/sample-war/target/liberty/wlp/usr/servers/sample"
nats_dir="$root/sample-war/target/sample-nats"

. .ci/services.sh
ensure_nats_server

listening() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
if listening "$HTTP_PORT"; then
  echo "port $HTTP_PORT is in use: stop what runs there or choose another one (HTTP_PORT=9081 bash .ci/sample.sh)" >&2
  exit 1
fi

PGHOST="${PGHOST:-127.0.0.1}"
PGPORT="${PGPORT:-5432}"
PGUSER="${PGUSER:-postgres}"
db_properties=()
if [ "$db" = postgresql ]; then
  if ! command -v psql >/dev/null 2>&1; then
    echo "--postgres needs psql to create the databases (Debian: apt-get install -y postgresql-client)" >&2
    exit 1
  fi
  if [ "$PGHOST:$PGPORT" = 127.0.0.1:5432 ]; then ensure_postgres; fi
  for database in jsb_orders jsb_billing jsb_shipping; do
    if ! exists="$(psql -h "$PGHOST" -p "$PGPORT" -U "$PGUSER" -d postgres -tAc \
        "SELECT 1 FROM pg_database WHERE datname = '$database'")"; then
      echo "cannot reach PostgreSQL at $PGHOST:$PGPORT as $PGUSER (the sample expects trust authentication)" >&2
      exit 1
    fi
    if [ "$exists" != 1 ]; then
      psql -h "$PGHOST" -p "$PGPORT" -U "$PGUSER" -d postgres -qc "CREATE DATABASE $database"
      echo "created database $database"
    fi
  done
  db_properties=(-Dliberty.bootstrap.sample.pg.host="$PGHOST" -Dliberty.bootstrap.sample.pg.port="$PGPORT"
    -Dliberty.bootstrap.sample.pg.user="$PGUSER")
  db_label="PostgreSQL $PGHOST:$PGPORT, databases jsb_orders, jsb_billing and jsb_shipping"
else
  db_label="embedded Derby under $server_dir/databases"
fi

server_pid=""
started_nats=""
cleanup() {
  trap - INT TERM EXIT
  echo
  echo "Stopping..."
  if [ -x "$root/sample-war/target/liberty/wlp/bin/server" ]; then
    "$root/sample-war/target/liberty/wlp/bin/server" stop sample >/dev/null 2>&1 || true
  fi
  if [ -n "$server_pid" ]; then wait "$server_pid" 2>/dev/null || true; fi
  if [ -n "$started_nats" ]; then bash sample-war/src/test/nats/stop-nats.sh "$nats_dir"; fi
}
trap cleanup INT TERM EXIT

if listening "$NATS_PORT"; then
  echo "Something already listens on $NATS_PORT: using it as the NATS server (it needs JetStream: nats-server -js)"
else
  bash sample-war/src/test/nats/start-nats.sh nats-server "$NATS_PORT" "$nats_dir"
  started_nats=yes
fi

echo "Building the bridge and the sample, preparing Open Liberty..."
mvn -B -q -pl sample-war -am package -DskipTests -Dsample.run -Dhttp.port="$HTTP_PORT" -Dnats.port="$NATS_PORT" \
  -Dsample.db="$db" "${db_properties[@]}"
# a stale application from an older build (the plugin's deploy goal) would start unconfigured: remove it; --clean
# below empties the workarea, whose cached WEB-INF/lib jars would otherwise outlive a rebuild (the reproducible
# build gives every entry of the WAR the same time, which is what Liberty's cache compares)
rm -rf "$server_dir/configDropins/defaults/install_apps_configuration_"*.xml "$server_dir/apps/sample-war"*
echo "Starting Open Liberty (orders, billing, shipping)..."
"$root/sample-war/target/liberty/wlp/bin/server" run sample --clean > "$root/sample-war/target/sample-server.out" 2>&1 &
server_pid=$!

base="http://127.0.0.1:$HTTP_PORT"
up() { curl -fsS -o /dev/null "$base/$1" 2>/dev/null; }
until up orders/api/orders && up billing/api/invoices && up shipping/api/shipments; do
  if ! kill -0 "$server_pid" 2>/dev/null; then
    echo "The server stopped; see $server_dir/logs/messages.log" >&2
    exit 1
  fi
  sleep 2
done

cat <<INFO

JetStream Bridge sample is running (Open Liberty, NATS nats://127.0.0.1:$NATS_PORT, $db_label).

  orders:   $base/orders/api/orders        (POST a JSON order, GET all, GET /{id})
            $base/orders/api/events        (what orders received: invoice.created, shipment.created)
  billing:  $base/billing/api/invoices     (invoices billing created)
            $base/billing/api/events       (what billing received: order.created)
  shipping: $base/shipping/api/shipments   (shipments shipping created)
            $base/shipping/api/events      (what shipping received: order.created)
  health:   $base/health/ready  $base/health/live   (the bridge's checks of the three applications)

Try:
  curl -s -X POST -H 'Content-Type: application/json' -d '{"customer":"ada","amount":42.50}' $base/orders/api/orders
  curl -s $base/orders/api/orders          # status NEW, shipped false; a moment later INVOICED, shipped true
  curl -s $base/billing/api/invoices
  curl -s $base/shipping/api/shipments
  curl -s -X POST -H 'Content-Type: application/json' -d '{"customer":"bob","amount":1}' '$base/orders/api/orders?fail=true'
                                           # 500, rolled back: no order, no event, no invoice, no shipment

Server log: $server_dir/logs/messages.log
Press Ctrl-C to stop Liberty and nats-server.
INFO

wait "$server_pid"
