#!/bin/sh
# Makes Scaler's class-data sharing (AppCDS) archive: cds-training.sh JAR ARCHIVE.
# A first run starts the service from JAR with one dry-run target and nothing else (no network, Prometheus or
# Docker needed: their errors are part of a real start) and stops once /health says UP: it has made the history.
# The training run then starts it again over that history, as every start but a new installation's first is,
# records every class it loads until /health says UP and a tick, and `java -Xshare:dump` writes them, parsed and
# verified, into ARCHIVE. So the schema migration's classes (Flyway), which a current history never loads, are not
# in the archive: a first start loads them from the jar. A JVM started with -XX:SharedArchiveFile=ARCHIVE -jar JAR
# maps the archived classes instead of loading them from the jar.
# JAVA_OPTS are the flags both runs get (an -XX:SharedArchiveFile among them is dropped). The Dockerfile
# runs it at image build time, scripts/run.sh before the first start after a build.
set -eu
# The archive records the class path as given, and a JVM refuses the archive (silently, without -Xlog:cds) when
# that path does not name the jar from its own working directory: so absolute paths.
absolute() {
  dir=$(cd "$(dirname "$1")" 2>/dev/null && pwd) || { echo "cds-training: no directory $(dirname "$1")" >&2; exit 1; }
  echo "$dir/$(basename "$1")"
}
jar=$(absolute "$1")
archive=$(absolute "$2")
[ -f "$jar" ] || { echo "cds-training: no jar $jar" >&2; exit 1; }
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
opts=$(echo "${JAVA_OPTS:-}" | sed 's/-XX:SharedArchiveFile=[^ ]*//g')
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
printf 'scaler:\n  dry-run: true\n  initial-delay: 0s\n  targets:\n    training:\n      query: up\n      compose-project: training\n      compose-project-dir: %s\n' "$t" > "$t/scaler.yml"

# start LOG [JVM FLAG]: the service in the background, its pid in $pid
start() {
  # shellcheck disable=SC2086 # opts is a list of flags
  env -i PATH="$PATH" HOME="$t" MALLOC_ARENA_MAX=2 MICRONAUT_CONFIG_FILES="$t/scaler.yml" SCALER_PORT="$port" \
      SCALER_DB_URL="jdbc:h2:file:$t/history" SCALER_EXECUTION_LOCK_DIR="$t/locks" \
      java $opts ${2:-} -jar "$jar" > "$t/$1" 2>&1 &
  pid=$!
}

# wait_for up|answer: /health UP (the history is open; README, "Memory and start-up"), or any answer at all
# (503 included: the server is up); fails after 120 s
wait_for() {
  python3 - "$port" "$1" <<'PY'
import sys, time, urllib.error, urllib.request
for _ in range(1200):
    try:
        urllib.request.urlopen('http://127.0.0.1:%s/health' % sys.argv[1], timeout=1)
        sys.exit(0)
    except urllib.error.HTTPError:
        if sys.argv[2] == 'answer':
            sys.exit(0)
        time.sleep(0.1)
    except OSError:
        time.sleep(0.1)
sys.exit('no %s within 120 s' % sys.argv[2])
PY
}

# stop_after_failure LOG: the service's output, then exit
stop_after_failure() {
  kill "$pid" 2>/dev/null || true
  cat "$t/$1" >&2
  exit 1
}

start first.log
wait_for up || stop_after_failure first.log
kill "$pid"
wait "$pid" || true

start training.log "-XX:DumpLoadedClassList=$t/classes.lst"
wait_for answer || stop_after_failure training.log
# the recovery of interrupted runs and the first tick are recorded too
wait_for up || true
sleep 3
kill "$pid"
wait "$pid" || true
rm -f "$archive"
# shellcheck disable=SC2086
if ! java $opts -Xshare:dump -XX:SharedClassListFile="$t/classes.lst" -XX:SharedArchiveFile="$archive" \
    -cp "$jar" > "$t/dump.log" 2>&1; then
  cat "$t/dump.log" >&2
  exit 1
fi
chmod 0644 "$archive"
# A JVM that cannot use an archive says nothing and loads every class from the jar; so the archive is checked as
# run.sh and the image use it, by a JVM started in another directory, and refused here when it would not map.
# shellcheck disable=SC2086
if ! (cd / && java $opts -Xshare:on -XX:SharedArchiveFile="$archive" -XX:+PrintSharedArchiveAndExit -jar "$jar") \
    > "$t/check.log" 2>&1 || ! grep -q '^archive is valid' "$t/check.log"; then
  grep -v '^ *[0-9]*: ' "$t/check.log" | tail -5 >&2
  rm -f "$archive"
  echo "cds-training: $archive does not map for $jar; removed" >&2
  exit 1
fi
echo "cds-training: $(wc -l < "$t/classes.lst") classes recorded, $archive written ($(du -m "$archive" | cut -f1) MB)"
