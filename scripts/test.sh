#!/usr/bin/env bash
# The whole test suite, on a fresh Debian bookworm machine: installs what the tests need
# (scripts/test-env.sh), then runs every test against the real parts. CI runs exactly this.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/test-env.sh
export SCALER_REAL_PARTS=required
# The jar first: the compose stack test puts it into Scaler's image instead of running Maven again
# inside Docker (StackEndToEndTest; `docker build .` without it builds from source).
mvn -B -ntp package -DskipTests
mvn -B -ntp verify "$@"
