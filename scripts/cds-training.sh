#!/bin/sh
# Makes Scaler's class-data sharing (AppCDS) archive: cds-training.sh JAR ARCHIVE.
# A training run starts the service from JAR with one dry-run target and nothing else (no network,
# Prometheus or Docker needed: their errors are part of a real start), records every class it loads until
# /health says UP (the history is open) and a tick, and `java -Xshare:dump` writes them, parsed and verified, into ARCHIVE.
# A JVM started with -XX:SharedArchiveFile=ARCHIVE -jar JAR maps them instead of loading them from the jar.
# JAVA_OPTS are the flags both runs get (an -XX:SharedArchiveFile among them is dropped). The Dockerfile
# runs it at image build time, scripts/run.sh before the first start after a build.
set -eu
jar=$1
archive=$2
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
opts=$(echo "${JAVA_OPTS:-}" | sed 's/-XX:SharedArchiveFile=[^ ]*//g')
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
printf 'scaler:\n  dry-run: true\n  initial-delay: 0s\n  targets:\n    training:\n      query: up\n      compose-project: training\n      compose-project-dir: %s\n' "$t" > "$t/scaler.yml"
# shellcheck disable=SC2086 # opts is a list of flags
env -i PATH="$PATH" HOME="$t" MALLOC_ARENA_MAX=2 MICRONAUT_CONFIG_FILES="$t/scaler.yml" SCALER_PORT="$port" \
    SCALER_DB_URL="jdbc:h2:file:$t/history" SCALER_EXECUTION_LOCK_DIR="$t/locks" \
    java $opts -XX:DumpLoadedClassList="$t/classes.lst" -jar "$jar" > "$t/training.log" 2>&1 &
pid=$!
# any HTTP answer, 503 included, means the server is up
if ! python3 - "$port" <<'PY'
import sys, time, urllib.error, urllib.request
for _ in range(1200):
    try:
        urllib.request.urlopen('http://127.0.0.1:%s/health' % sys.argv[1], timeout=1)
        break
    except urllib.error.HTTPError:
        break
    except OSError:
        time.sleep(0.1)
else:
    sys.exit('no answer within 120 s')
PY
then
  kill "$pid" 2>/dev/null || true
  cat "$t/training.log" >&2
  exit 1
fi
# the history opens after the first answer (README, "Memory and start-up"): wait for /health to say UP, so the
# migration, the recovery and the first tick are recorded too
python3 - "$port" <<'PY' || true
import sys, time, urllib.error, urllib.request
for _ in range(300):
    try:
        urllib.request.urlopen('http://127.0.0.1:%s/health' % sys.argv[1], timeout=1)
        break
    except OSError:
        time.sleep(0.1)
PY
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
echo "cds-training: $(wc -l < "$t/classes.lst") classes recorded, $archive written ($(du -m "$archive" | cut -f1) MB)"
