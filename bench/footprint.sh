#!/usr/bin/env bash
# Scaler's footprint on this host (issue 11): start-up to the first HTTP answer, resident memory idle,
# during ticks of 100 targets and during a playbook run, and the cold `backtest` of the WorldCup98 trace.
# Prints one `FOOTPRINT ...` line per figure; asserts nothing.
#
#   bench/footprint.sh                       # the jar in target/, with JAVA_OPTS as given (empty: the JVM's defaults)
#   JAVA_OPTS="$(scripts/run.sh --print-java-opts)" MALLOC_ARENA_MAX=2 bench/footprint.sh   # what scripts/run.sh runs
#
# Environment:
#   SCALER_JAR   the jar (default target/scaler-0.1.0-SNAPSHOT.jar)
#   JAVA_OPTS    JVM flags, word-split as scripts/run.sh does
#   ROUNDS       rounds of the cheap figures, start-up and backtest (default 5; the median is printed)
#   PARTS        which figures (default "startup idle tick playbook backtest"; also "restart": the idle figure
#                over the history of an earlier run, which skips the schema migration)
#   IDLE_SECONDS how long the one-target service idles before its RSS is read (default 60)
#   TRACE        the trace (default ../shared/traces/worldcup98_per_minute.csv)
#   BREAKDOWN    when set, the idle figure also prints where the memory is (file-backed vs anonymous, the largest
#                mappings, and the JVM's own account when JAVA_OPTS has -XX:NativeMemoryTracking=summary)
#
# Needs: java, curl, prometheus (a throwaway one on a free port, scraping itself), and for `playbook` a
# Docker engine, docker-compose, ansible-playbook, flock and the image scaler-test/busybox
# (scripts/test-env.sh makes it). Every target is dry run except the playbook one, which scales a throwaway
# compose project from 1 to 2 replicas. Everything lives in a temporary directory, removed at the end.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
jar=${SCALER_JAR:-$repo/target/scaler-0.1.0-SNAPSHOT.jar}
rounds=${ROUNDS:-5}
parts=${PARTS:-startup idle tick playbook backtest}
idle_seconds=${IDLE_SECONDS:-60}
trace=${TRACE:-$repo/../shared/traces/worldcup98_per_minute.csv}
read -r -a java_opts <<< "${JAVA_OPTS:-}"
work=$(mktemp -d /tmp/scaler-footprint.XXXXXX)
project=footprint$$
pids=()

cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  if [ -f "$work/compose/docker-compose.yml" ]; then
    (cd "$work/compose" && docker-compose -p "$project" down -t 1 >/dev/null 2>&1) || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
now_ms() { date +%s%3N; }
rss_kb() { awk '/^VmRSS:/ {print $2}' "/proc/$1/status" 2>/dev/null || echo 0; }
# CPU time (user + system) a process has used so far, in ms: on a shared machine it varies far less than wall time
cpu_ms() { awk -v hz="$(getconf CLK_TCK)" '{ print int(($14 + $15) * 1000 / hz) }' "/proc/$1/stat" 2>/dev/null || echo 0; }
# RSS of a process and all its descendants (the playbook's Python processes), in kB
tree_rss_kb() {
  ps -e -o pid=,ppid=,rss= | awk -v root="$1" '
    { parent[$1] = $2; rss[$1] = $3 }
    END { for (p in parent) { q = p; while (q != "" && q != 0 && q != root) q = parent[q];
                              if (q == root) sum += rss[p] } print sum + 0 }'
}
median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
# MiB with one decimal: a figure at a bound must show which side it is on
mb() { awk -v kb="$1" 'BEGIN { printf "%.1f", kb / 1024 }'; }

echo "FOOTPRINT date=$(date -u +%FT%TZ) load=\"$(cut -d' ' -f1-3 /proc/loadavg)\" nproc=$(nproc)" \
     "java=\"$(java -version 2>&1 | head -1)\" jar=$jar MALLOC_ARENA_MAX=${MALLOC_ARENA_MAX:-} JAVA_OPTS=\"${JAVA_OPTS:-}\""

# --- a Prometheus that scrapes itself every second, so queries have data ---
prom_port=$(free_port)
mkdir -p "$work/prometheus"
cat > "$work/prometheus/prometheus.yml" <<EOF
global: {scrape_interval: 1s, evaluation_interval: 1s}
scrape_configs:
  - job_name: self
    static_configs: [{targets: ['127.0.0.1:$prom_port']}]
EOF
prometheus --config.file="$work/prometheus/prometheus.yml" --storage.tsdb.path="$work/prometheus/data" \
  --web.listen-address="127.0.0.1:$prom_port" --log.level=warn > "$work/prometheus/log" 2>&1 &
pids+=($!)
until curl -fsS "http://127.0.0.1:$prom_port/-/ready" >/dev/null 2>&1; do sleep 0.2; done

# --- the compose project the targets name (containers only for the playbook figure) ---
mkdir -p "$work/compose"
cat > "$work/compose/docker-compose.yml" <<'EOF'
version: "3.8"
services:
  webapp:
    image: scaler-test/busybox:latest
    command: ["/bin/httpd", "-f", "-p", "8080", "-h", "/www"]
    stop_grace_period: 1s
EOF

# targets FILE N DRY_RUN QUERY: a policy file of N targets t0..t(N-1), each on its own service
targets() {
  local file=$1 n=$2 dry=$3 query=$4
  echo "targets:" > "$file"
  for ((i = 0; i < n; i++)); do
    local service=webapp
    [ "$i" -eq 0 ] || service=webapp-t$i
    cat >> "$file" <<EOF
  t$i:
    query: '$query'
    compose-project: $project
    compose-project-dir: $work/compose
    service: $service
    min-replicas: 1
    max-replicas: 2
    capacity-per-replica: 1
    tolerance: 0
    scale-up-cooldown: 0s
    dry-run: $dry
EOF
  done
}

# start NAME POLICY_FILE POLL: starts Scaler on a fresh database; sets $scaler_pid, $scaler_port, $started_ms
start() {
  local name=$1 policy=$2 poll=$3
  scaler_port=$(free_port)
  mkdir -p "$work/$name"
  cat > "$work/$name/scaler.yml" <<EOF
scaler:
  poll-interval: $poll
  initial-delay: 0s
  policy-file: $policy
  prometheus:
    url: http://127.0.0.1:$prom_port
  execution:
    playbook: $repo/ansible/scale.yml
    inventory: $repo/inventories/local/hosts.yml
    ansible-config: $repo/ansible/ansible.cfg
    lock-dir: $work/$name/locks
EOF
  started_ms=$(now_ms)
  (cd "$work/$name" && exec env $(env | awk -F= '/^SCALER_|^SERVICE_NAME=|^COMPOSE_/ {printf "-u %s ", $1}') \
      MICRONAUT_CONFIG_FILES="$work/$name/scaler.yml" SCALER_PORT="$scaler_port" \
      SCALER_DB_URL="jdbc:h2:file:$work/$name/history;AUTO_SERVER=FALSE" \
      java "${java_opts[@]}" -jar "$jar" > "$work/$name/log" 2>&1) &
  scaler_pid=$!
  pids+=("$scaler_pid")
}

# first_answer: waits for any HTTP answer on /health; prints the milliseconds since start
first_answer() {
  while ! curl -s -o /dev/null -m 1 "http://127.0.0.1:$scaler_port/health"; do
    if ! kill -0 "$scaler_pid" 2>/dev/null; then
      echo "Scaler exited at start-up; log:" >&2; cat "$work/$name/log" >&2; exit 1
    fi
    sleep 0.02
  done
  echo $(( $(now_ms) - started_ms ))
}

# breakdown PID: where the resident memory is (BREAKDOWN=1): anonymous vs file-backed, the largest mappings,
# and the JVM's own account when JAVA_OPTS has -XX:NativeMemoryTracking=summary
breakdown() {
  echo "FOOTPRINT breakdown $(grep -E '^(RssAnon|RssFile|RssShmem):' "/proc/$1/status" | tr -s ' \t\n' ' ')"
  awk '/^[0-9a-f]+-[0-9a-f]+ / { name = ($6 == "" ? "[anon]" : $6) }
       /^Rss:/ { rss[name] += $2 }
       END { for (n in rss) if (rss[n] >= 1024) printf "FOOTPRINT breakdown mapping %6d kB %s\n", rss[n], n }' \
      "/proc/$1/smaps" | sort -k4 -rn | head -15
  if jcmd "$1" VM.native_memory summary > "$work/nmt" 2>/dev/null && grep -q committed "$work/nmt"; then
    grep -E '^-? *[A-Za-z ]+ \(reserved=' "$work/nmt" | sed -E 's/^-? *//; s/reserved=[0-9]+KB, //' |
      awk '{ print "FOOTPRINT breakdown nmt " $0 }'
  fi
}

stop() {
  kill "$scaler_pid" 2>/dev/null || true
  wait "$scaler_pid" 2>/dev/null || true
}

ticks() { curl -s "http://127.0.0.1:$scaler_port/prometheus" | awk '/^scaler_ticks_total/ {s += $2} END {print s + 0}'; }

# idle_figure NAME FIGURE NOTE: the one-target service (on NAME's history, kept if an earlier run made it) after
# $idle_seconds: its RSS as FIGURE, and the breakdown when asked for
idle_figure() {
  name=$1 start "$1" "$work/one.yml" 15s
  name=$1 first_answer > /dev/null
  sleep "$idle_seconds"
  echo "FOOTPRINT $2 rss=$(mb "$(rss_kb "$scaler_pid")") MB after ${idle_seconds}s$3 (ticks $(ticks))" \
       "cpu-since-start=$(cpu_ms "$scaler_pid") ms"
  if [ -n "${BREAKDOWN:-}" ]; then breakdown "$scaler_pid"; fi
  stop
}

if [[ " $parts " == *" startup "* ]]; then
  targets "$work/one.yml" 1 true 'sum(up)'
  for ((r = 1; r <= rounds; r++)); do
    name=startup$r start "startup$r" "$work/one.yml" 15s
    name=startup$r first_answer >> "$work/startup.ms"
    rss_kb "$scaler_pid" >> "$work/startup.rss"
    cpu_ms "$scaler_pid" >> "$work/startup.cpu"
    stop
  done
  echo "FOOTPRINT startup-to-first-answer median=$(median < "$work/startup.ms") ms all=$(paste -sd, "$work/startup.ms")" \
       "rss-at-first-answer=$(mb "$(median < "$work/startup.rss")") MB cpu-at-first-answer=$(median < "$work/startup.cpu") ms"
fi

if [[ " $parts " == *" idle "* ]]; then
  targets "$work/one.yml" 1 true 'sum(up)'
  idle_figure idle idle-1-target ""
fi

if [[ " $parts " == *" restart "* ]]; then
  # the same idle figure over the history of an earlier run: its schema is current, so Flyway is not loaded
  targets "$work/one.yml" 1 true 'sum(up)'
  name=restart start restart "$work/one.yml" 15s
  name=restart first_answer > /dev/null
  for _ in $(seq 120); do [ "$(ticks)" -lt 1 ] || break; sleep 0.5; done
  stop
  idle_figure restart idle-restart-1-target ", over the history of an earlier run"
fi

if [[ " $parts " == *" tick "* ]]; then
  targets "$work/hundred.yml" 100 true 'sum(up) + 1'
  name=tick start tick "$work/hundred.yml" 2s
  name=tick first_answer > /dev/null
  peak=0
  cpu_before=$(cpu_ms "$scaler_pid")
  end=$(( $(now_ms) + 40000 ))
  while [ "$(now_ms)" -lt "$end" ]; do
    r=$(rss_kb "$scaler_pid"); [ "$r" -le "$peak" ] || peak=$r
    sleep 0.1
  done
  # the CPU of the 40 s alone, start-up excluded: what the ticks cost once the service runs
  echo "FOOTPRINT tick-100-targets peak-rss=$(mb "$peak") MB over 40s at a 2s poll (ticks $(ticks))," \
       "rss-at-end=$(mb "$(rss_kb "$scaler_pid")") MB cpu-over-40s=$(( $(cpu_ms "$scaler_pid") - cpu_before )) ms"
  stop
fi

if [[ " $parts " == *" playbook "* ]]; then
  (cd "$work/compose" && docker-compose -p "$project" up -d --scale webapp=1 webapp >/dev/null 2>&1)
  # load 2 for a capacity of 1: one scale-up 1 -> 2 through ansible-playbook
  targets "$work/play.yml" 1 false 'vector(2)'
  name=play start play "$work/play.yml" 15s
  name=play first_answer > /dev/null
  peak=0; tree_peak=0; seen=0
  end=$(( $(now_ms) + 60000 ))
  while [ "$(now_ms)" -lt "$end" ]; do
    if pgrep -P "$scaler_pid" >/dev/null 2>&1; then
      seen=1
      r=$(rss_kb "$scaler_pid"); [ "$r" -le "$peak" ] || peak=$r
      t=$(tree_rss_kb "$scaler_pid"); [ "$t" -le "$tree_peak" ] || tree_peak=$t
    elif [ "$seen" = 1 ]; then
      break
    fi
    sleep 0.1
  done
  result=$(curl -s "http://127.0.0.1:$scaler_port/api/history?limit=5" | grep -o '"result":"[A-Z_]*"' | head -1)
  echo "FOOTPRINT playbook-run jvm-peak-rss=$(mb "$peak") MB jvm-and-children-peak-rss=$(mb "$tree_peak") MB" \
       "(playbook seen: $seen, $result)"
  stop
fi

if [[ " $parts " == *" backtest "* ]]; then
  if [ ! -f "$trace" ]; then
    echo "FOOTPRINT backtest skipped: no $trace"
  else
    printf 'min-replicas: 1\nmax-replicas: 100\n' > "$work/p.yml"
    for ((r = 1; r <= rounds; r++)); do
      /usr/bin/time -f '%e %M %U %S' -o "$work/bt.time" java "${java_opts[@]}" -jar "$jar" backtest --trace "$trace" \
        --format worldcup --policy "$work/p.yml" --capacity 50 --start-delay 2m --out "$work/bt-out" \
        > "$work/bt.log" 2>&1 || { cat "$work/bt.log" >&2; exit 1; }
      read -r wall kb user sys < "$work/bt.time"
      echo "$wall" >> "$work/bt.wall"; echo "$kb" >> "$work/bt.kb"
      awk -v u="$user" -v s="$sys" 'BEGIN { printf "%.2f\n", u + s }' >> "$work/bt.cpu"
    done
    echo "FOOTPRINT backtest-worldcup98-cold median-wall=$(median < "$work/bt.wall") s all=$(paste -sd, "$work/bt.wall")" \
         "median-peak-rss=$(mb "$(median < "$work/bt.kb")") MB median-cpu=$(median < "$work/bt.cpu") s"
  fi
fi
echo "FOOTPRINT done load=\"$(cut -d' ' -f1-3 /proc/loadavg)\""
