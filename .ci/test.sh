#!/usr/bin/env bash
# Runs every test of the project against real services: installs nats-server from Debian's packages when it is
# missing, starts the local PostgreSQL and MariaDB when they are installed but stopped, then runs `mvn -B verify`
# and, without extra arguments, the sample's integration tests once more on WildFly (`-Pwildfly`, 40 s here), and a
# few of them a third time on WildFly with PostgreSQL instead of H2 (Hibernate on PostgreSQL: databases jsb_it_orders,
# jsb_it_billing and jsb_it_shipping, dropped and created afresh by the build).
# Extra arguments go to the first Maven run only, e.g. `bash .ci/test.sh -pl bridge-api` (no WildFly run then).
set -euo pipefail
cd "$(dirname "$0")/.."

. .ci/services.sh
ensure_nats_server
echo "nats-server: $(nats-server --version)"

ensure_postgres
if command -v pg_isready >/dev/null 2>&1; then pg_isready -h 127.0.0.1 -p 5432 || true; fi

ensure_mariadb

mvn -B verify "$@"

# the same WARs and end-to-end tests on WildFly 39 (the modules' unit tests already ran above)
if [ $# -eq 0 ]; then
  mvn -B verify -Pwildfly -pl sample-war -am -Dtest=NONE -Dsurefire.failIfNoSpecifiedTests=false
  mvn -B verify -Pwildfly -Dsample.wildfly.postgres -pl sample-war -am -Dtest=NONE -Dsurefire.failIfNoSpecifiedTests=false \
    -Dit.test='OrderInvoiceLoopIT,EjbTransactionsIT,OutboxDatabaseIT'
fi
