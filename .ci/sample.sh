#!/usr/bin/env bash
# Runs the sample application (bridge + NATS + embedded database in Open Liberty).
set -euo pipefail
echo "The sample application is not built yet (issue 5). Until then, run the tests: bash .ci/test.sh" >&2
exit 1
