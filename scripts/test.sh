#!/usr/bin/env bash
# The whole test suite, on a fresh Debian bookworm machine: installs what the tests need
# (scripts/test-env.sh), then runs every test against the real parts. CI runs exactly this.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/test-env.sh
export SCALER_REAL_PARTS=required
mvn -B -ntp verify "$@"
