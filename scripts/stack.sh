#!/usr/bin/env bash
# The compose stack in one command. On a fresh Debian machine (as root or with sudo) `up` installs a
# Docker engine and docker-compose if missing, makes the base image debian:bookworm-slim (pulled, or
# built locally when no registry is reachable), builds every image from source and starts
# Prometheus, the load balancer, the demo webapp and Scaler, then prints the URLs to watch.
#
#   scripts/stack.sh up       build and start (keeps webapp's current replica count)
#   scripts/stack.sh load     start the load generator (the `load` profile)
#   scripts/stack.sh unload   stop the load generator
#   scripts/stack.sh status   containers, and Scaler's view of its target
#   scripts/stack.sh down     stop and remove the stack; add -v to drop Prometheus' and Scaler's data
#
# Environment: COMPOSE_PROJECT_NAME (default from .env: scaler), STACK_LB_PORT (8000),
# STACK_LB_STATS_PORT (8404), STACK_PROMETHEUS_PORT (9090), STACK_SCALER_PORT (8080), and Scaler's
# knobs listed in docker-compose.yml (CAPACITY_PER_REPLICA, MIN_REPLICAS, MAX_REPLICAS, ...).
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
cd "$repo"
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"

ensure_docker() {
  local missing=()
  command -v docker >/dev/null || missing+=(docker.io)
  command -v docker-compose >/dev/null || docker compose version >/dev/null 2>&1 || missing+=(docker-compose)
  command -v debootstrap >/dev/null || missing+=(debootstrap)
  if [ ${#missing[@]} -gt 0 ]; then
    echo "stack: installing ${missing[*]}"
    $SUDO apt-get update -q
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
  fi
  if ! docker info >/dev/null 2>&1; then
    if command -v systemctl >/dev/null && [ -d /run/systemd/system ]; then
      $SUDO systemctl start docker
    else
      echo "stack: starting dockerd"
      $SUDO sh -c 'nohup dockerd >/var/log/dockerd.log 2>&1 &'
    fi
    for _ in $(seq 1 60); do docker info >/dev/null 2>&1 && break; sleep 1; done
    docker info >/dev/null 2>&1 || { echo "stack: the Docker engine did not start" >&2; exit 1; }
  fi
}

compose() {
  if command -v docker-compose >/dev/null; then docker-compose "$@"; else docker compose "$@"; fi
}

# Scaler's user joins the group that owns the socket, whatever its gid is on this host.
export DOCKER_GID="${DOCKER_GID:-$(stat -c %g /var/run/docker.sock 2>/dev/null || echo 999)}"

case "${1:-up}" in
  up)
    ensure_docker
    bash "$repo/scripts/base-image.sh"
    compose build
    # `up` alone would set webapp back to one replica; keep what Scaler decided.
    running=$(docker ps -q --filter "label=com.docker.compose.project=${COMPOSE_PROJECT_NAME:-scaler}" \
      --filter label=com.docker.compose.service=webapp --filter status=running | wc -l)
    compose up -d --scale "webapp=$(( running > 0 ? running : 1 ))"
    cat <<MSG
stack: up (project ${COMPOSE_PROJECT_NAME:-scaler})
  Scaler status page: http://127.0.0.1:${STACK_SCALER_PORT:-8080}/   (per target: /targets/webapp)
  Scaler targets:    http://127.0.0.1:${STACK_SCALER_PORT:-8080}/api/targets
  Scaler history:    http://127.0.0.1:${STACK_SCALER_PORT:-8080}/api/history
  Prometheus:        http://127.0.0.1:${STACK_PROMETHEUS_PORT:-9090}/graph?g0.expr=sum(rate(haproxy_backend_http_requests_total%7Bproxy%3D%22webapp%22%7D%5B1m%5D))
  Load balancer:     http://127.0.0.1:${STACK_LB_PORT:-8000}/
  HAProxy stats:     http://127.0.0.1:${STACK_LB_STATS_PORT:-8404}/stats
  Add load:          scripts/stack.sh load   (or: docker-compose --profile load up -d loadgen)
MSG
    ;;
  load)
    compose --profile load up -d --no-deps loadgen
    echo "stack: load generator started; watch http://127.0.0.1:${STACK_SCALER_PORT:-8080}/targets/webapp"
    ;;
  unload)
    compose --profile load rm -s -f loadgen
    ;;
  status)
    compose ps
    curl -fsS "http://127.0.0.1:${STACK_SCALER_PORT:-8080}/api/targets" && echo || true
    ;;
  down)
    shift
    compose --profile load down "$@"
    ;;
  *)
    echo "usage: $0 up|load|unload|status|down [-v]" >&2
    exit 2
    ;;
esac
