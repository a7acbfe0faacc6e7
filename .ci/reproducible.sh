#!/usr/bin/env bash
# Reproducible builds: builds the published modules twice from clean (with the release profile, so the sources and
# javadoc jars are built too; no tests) and compares every published jar of the two builds byte for byte (sha256).
# Exits 1 and names the jars, and the entries inside them (name, length, CRC, date, time), that differ.
# Extra arguments go to both Maven runs, e.g. `bash .ci/reproducible.sh -o` (offline).
# `bash .ci/reproducible.sh --compare DIR1 DIR2` only compares the jars under two directories (no build).
set -euo pipefail
cd "$(dirname "$0")/.."

# the modules that are deployed (the others set maven.deploy.skip) and the jars they publish
modules=bridge-bom,bridge-api,bridge-cdi,bridge-ejb-outbox,bridge-admin-cli
published_jars() {
  # the admin CLI's shaded jar replaces its main jar; original-*.jar is the unshaded input and is not published
  ls bridge-api/target/*.jar bridge-core/target/*.jar bridge-cdi/target/*.jar bridge-ejb-outbox/target/*.jar bridge-admin-cli/target/*.jar \
    | grep -v '/original-'
}

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# compares every jar under $work/1 with the one of the same path under $work/2
compare() {
  (cd "$work/1" && find . -name '*.jar' | sort | xargs -r sha256sum) > "$work/1.sha256"
  (cd "$work/2" && find . -name '*.jar' | sort | xargs -r sha256sum) > "$work/2.sha256"
  local count
  count=$(wc -l < "$work/1.sha256")
  if [ "$count" -eq 0 ]; then
    echo "no jar was built" >&2
    return 1
  fi
  if diff "$work/1.sha256" "$work/2.sha256" > "$work/diff"; then
    sed 's|  \./|  |' "$work/1.sha256"
    echo "reproducible: $count jars byte-identical in two builds"
    return 0
  fi
  echo "NOT reproducible: these jars differ between the two builds" >&2
  cat "$work/diff" >&2
  awk '{print $2}' "$work/1.sha256" | while read -r jar; do
    if [ -f "$work/2/$jar" ] && ! cmp -s "$work/1/$jar" "$work/2/$jar"; then
      echo "--- entries of ${jar#./} that differ (name, length, CRC-32, date, time):" >&2
      diff <(unzip -v "$work/1/$jar" | awk '$7 ~ /^[0-9a-f]{8}$/ {print $8, $1, $7, $5, $6}' | sort) \
           <(unzip -v "$work/2/$jar" | awk '$7 ~ /^[0-9a-f]{8}$/ {print $8, $1, $7, $5, $6}' | sort) >&2 || true
    fi
  done
  return 1
}

if [ "${1:-}" = "--compare" ]; then
  cp -r "$2" "$work/1"
  cp -r "$3" "$work/2"
  compare
  exit
fi

for run in 1 2; do
  echo "build $run of 2"
  mvn -B -q -Prelease clean package -DskipTests -pl "$modules" -am "$@"
  mkdir -p "$work/$run"
  published_jars | while read -r jar; do
    mkdir -p "$work/$run/$(dirname "$jar")"
    cp "$jar" "$work/$run/$jar"
  done
done

compare
