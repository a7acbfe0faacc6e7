#!/usr/bin/env bash
# Drops and creates the integration tests' PostgreSQL databases (the sample on WildFly with PostgreSQL): each run
# starts empty, apart from .ci/sample.sh's databases and from the other tests' schemas.
#   fresh-databases.sh HOST PORT USER DATABASE...
set -euo pipefail
host="$1" port="$2" user="$3"
shift 3
for database in "$@"; do
  psql -h "$host" -p "$port" -U "$user" -d postgres -v ON_ERROR_STOP=1 -qc "DROP DATABASE IF EXISTS $database WITH (FORCE)"
  psql -h "$host" -p "$port" -U "$user" -d postgres -v ON_ERROR_STOP=1 -qc "CREATE DATABASE $database"
done
