#!/usr/bin/env bash
# The whole test suite, on a fresh Debian bookworm machine: installs what the tests need
# (scripts/test-env.sh), then runs every test against the real parts. CI runs exactly this.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/test-env.sh
export SCALER_REAL_PARTS=required
# The jar first: the Dockerfile's SCALER_JAR path is checked with it below, and the stack test takes it
# when it runs on its own (StackEndToEndTest).
mvn -B -ntp package -DskipTests

# Scaler's image from source, as `docker build .` makes it (Maven inside Docker), so the from-source
# path is proven too: the compose stack test (StackEndToEndTest) runs this very image
# (SCALER_TEST_STACK_IMAGE), so the suite builds Scaler's image once. Maven runs offline against this
# machine's repository (build-cache/m2, hard links), because build containers may not be able to use
# Maven Central. SCALER_TEST_SOURCE_BUILD=0 skips it; the stack test then builds its image from the jar.
if [ "${SCALER_TEST_SOURCE_BUILD:-1}" = 1 ]; then
  rm -rf build-cache/m2
  mkdir -p build-cache
  cp -al "${HOME}/.m2/repository" build-cache/m2
  trap 'rm -rf build-cache/m2' EXIT
  docker build -q -t scaler-stack/scaler:source .
  docker run --rm --entrypoint python3 scaler-stack/scaler:source -c \
    "import zipfile; zipfile.ZipFile('/opt/scaler/scaler.jar').getinfo('dev/scaler/Application.class')"
  rm -rf build-cache/m2
  export SCALER_TEST_STACK_IMAGE=scaler-stack/scaler:source

  # The other way into the image, `--build-arg SCALER_JAR=...`, differs only in its build stage: that
  # stage must take the given jar as it is (the JDK stage is cached by now; removing the image keeps it).
  jar=target/scaler-0.1.0-SNAPSHOT.jar
  docker build -q --target build --build-arg SCALER_JAR="$jar" -t scaler-stack/scaler:jar-stage . >/dev/null
  in_image=$(docker run --rm scaler-stack/scaler:jar-stage sha256sum /scaler.jar | cut -d' ' -f1)
  docker image rm scaler-stack/scaler:jar-stage >/dev/null
  if [ "$in_image" != "$(sha256sum "$jar" | cut -d' ' -f1)" ]; then
    echo "test: the SCALER_JAR build stage did not take $jar" >&2
    exit 1
  fi
fi

# `test`, not `verify`: the jar was built above (the image and the tests that start it use that one), and
# after `test` the build only packages it again (jar, shade; the test-resources and AOT goals are off).
mvn -B -ntp test "$@"
# What the run left on disk: the engine's images grow with every image-building test.
echo "test: disk after the suite: $(df -h --output=avail /var/lib/docker | tail -1 | tr -d ' ') free under /var/lib/docker; $(docker system df --format '{{.Type}} {{.Size}}' | paste -sd, -)"
