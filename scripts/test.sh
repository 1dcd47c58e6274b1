#!/usr/bin/env bash
# The whole test suite, on a fresh Debian bookworm machine: installs what the tests need
# (scripts/test-env.sh), then runs every test against the real parts. CI runs exactly this.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/test-env.sh
export SCALER_REAL_PARTS=required
# The jar first: the compose stack test puts it into Scaler's image instead of running Maven again
# inside Docker (StackEndToEndTest).
mvn -B -ntp package -DskipTests

# Scaler's image from source, as `docker build .` makes it (Maven inside Docker), so the from-source
# path is proven too. Maven runs offline against this machine's repository (build-cache/m2, hard
# links), because build containers may not be able to use Maven Central. About 2.5 minutes once the
# JDK stage is cached; SCALER_TEST_SOURCE_BUILD=0 skips it.
if [ "${SCALER_TEST_SOURCE_BUILD:-1}" = 1 ]; then
  rm -rf build-cache/m2
  mkdir -p build-cache
  cp -al "${HOME}/.m2/repository" build-cache/m2
  trap 'rm -rf build-cache/m2' EXIT
  docker build -q -t scaler-stack/scaler:source .
  docker run --rm --entrypoint python3 scaler-stack/scaler:source -c \
    "import zipfile; zipfile.ZipFile('/opt/scaler/scaler.jar').getinfo('dev/scaler/Application.class')"
  rm -rf build-cache/m2
fi

mvn -B -ntp verify "$@"
