#!/bin/sh
# Load for the demo: LOAD_WORKERS loops, each sending one request every LOAD_PAUSE seconds to
# LOAD_URL, so the rate is about LOAD_WORKERS / LOAD_PAUSE requests per second.
set -eu
url="${LOAD_URL:-http://lb:8000/}"
workers="${LOAD_WORKERS:-8}"
pause="${LOAD_PAUSE:-0.1}"
echo "loadgen: $workers workers, one request every ${pause}s each, to $url"
i=0
while [ "$i" -lt "$workers" ]; do
  # busybox wget -T segfaults (Debian 1.35), so coreutils timeout bounds a hung request instead.
  (while :; do timeout 5 busybox wget -q -O /dev/null "$url" || true; busybox sleep "$pause"; done) &
  i=$((i + 1))
done
wait
