#!/usr/bin/env bash
# Runs Scaler on this host against a local Prometheus and a compose project, with sensible defaults.
# Builds the jar first when it is missing. Every default below can be overridden from the environment.
#
# The JVM is sized for a sidecar (README, "Memory and start-up"): JAVA_OPTS, when set, replaces the flags
# below entirely. Class-data sharing: the first run after a build makes an AppCDS archive of the
# service's classes (scripts/cds-training.sh, about 20 s; SCALER_CDS_ARCHIVE, default target/scaler.jsa);
# every run, subcommands included, maps it instead of loading and verifying those classes again.
# SCALER_CDS_ARCHIVE=off turns that off. `scripts/run.sh --print-java-opts [SUBCOMMAND]` prints the flags it would use
# for the service (or that subcommand) and exits.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
jar="${SCALER_JAR:-$repo/target/scaler-0.1.0-SNAPSHOT.jar}"
if [ ! -f "$jar" ]; then
  (cd "$repo" && mvn -B -ntp package -DskipTests)
fi
# The heap starts at 22 MB, about what the idle service keeps (from 16 MB it grew through six full collections
# before the first answer), grows as needed and gives memory back (the JVM's default start is 1/64 of the
# host's memory); the young generation is a twelfth of the old one, from 2 MB (what is touched on every young
# collection stays resident, so an idle service keeps it small) up to 32 MB (a busy one's grows with its heap);
# the serial collector for a small heap; C1 only: the service is I/O-bound and the JIT's second tier costs
# more CPU and code cache at start-up than it ever saves; malloc's free memory
# handed back every 5 s; class metadata freed (Flyway's, after a first start's migration) handed back at once;
# Netty's JFR events off. README, "Memory and start-up", has each flag's reason.
default_opts="-Xms22m -XX:NewSize=2m -XX:MaxNewSize=32m -XX:NewRatio=12 -Xmx256m -XX:MinHeapFreeRatio=30 \
-XX:MaxHeapFreeRatio=60 -XX:+UseSerialGC -Xss512k \
-XX:MaxMetaspaceSize=128m -XX:ReservedCodeCacheSize=32m -XX:TieredStopAtLevel=1 \
-XX:TrimNativeHeapInterval=5000 -XX:MetaspaceReclaimPolicy=aggressive -XX:MaxDirectMemorySize=64m \
-Dio.netty.jfr.enabled=false"
# The service only, not the one-shot subcommands: C1 compiles a method once it has run eight times as often as
# the JVM's default asks. Most of start-up's code runs a few hundred times, then never again: about 4 MB less
# resident and no later first answer. A backtest's replay would stay interpreted longer (0.7 s instead of 0.55 s).
service_opts="-XX:CompileThresholdScaling=8"
# the subcommand, if any (`--print-java-opts backtest` prints the backtest's flags)
if [ "${1:-}" = --print-java-opts ]; then command=${2:-}; else command=${1:-}; fi
if [ -z "${JAVA_OPTS+set}" ]; then
  JAVA_OPTS=$default_opts
  case "$command" in
    backtest | validate) ;;
    *) JAVA_OPTS="$JAVA_OPTS $service_opts" ;;
  esac
  archive="${SCALER_CDS_ARCHIVE:-$repo/target/scaler.jsa}"
  if [ "$archive" != off ]; then
    if [ ! -f "$archive" ] || [ "$jar" -nt "$archive" ]; then
      echo "run.sh: making the class-data sharing archive $archive (once per build, about 20 s)" >&2
      # the archive only saves time and memory: without it the service starts all the same
      if ! JAVA_OPTS=$JAVA_OPTS "$repo/scripts/cds-training.sh" "$jar" "$archive" >&2; then
        rm -f "$archive"
        echo "run.sh: no class-data sharing archive (see above); starting without it, slower and larger" >&2
      fi
    fi
    if [ -f "$archive" ]; then
      JAVA_OPTS="$JAVA_OPTS -XX:SharedArchiveFile=$archive"
    fi
  fi
fi
export MALLOC_ARENA_MAX="${MALLOC_ARENA_MAX:-2}"
if [ "${1:-}" = --print-java-opts ]; then
  echo "$JAVA_OPTS"
  exit 0
fi
export PROMETHEUS_URL="${PROMETHEUS_URL:-http://localhost:9090}"
export SERVICE_NAME="${SERVICE_NAME:-webapp}"
export COMPOSE_PROJECT_DIR="${COMPOSE_PROJECT_DIR:-$PWD}"
export COMPOSE_PROJECT_NAME="${COMPOSE_PROJECT_NAME:-$(basename "$COMPOSE_PROJECT_DIR" | tr -cd 'a-z0-9_-')}"
# The playbook, inventory and Ansible config are the repository's own.
export SCALER_EXECUTION_PLAYBOOK="${SCALER_EXECUTION_PLAYBOOK:-$repo/ansible/scale.yml}"
export SCALER_EXECUTION_INVENTORY="${SCALER_EXECUTION_INVENTORY:-$repo/inventories/local/hosts.yml}"
export SCALER_EXECUTION_ANSIBLE_CONFIG="${SCALER_EXECUTION_ANSIBLE_CONFIG:-$repo/ansible/ansible.cfg}"
# shellcheck disable=SC2086 # JAVA_OPTS is a list of flags
exec java $JAVA_OPTS -jar "$jar" "$@"
