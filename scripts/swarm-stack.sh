#!/usr/bin/env bash
# Scaler in high availability on Docker Swarm (deploy/stack.yml): two Scaler replicas beside
# PostgreSQL, the demo webapp they scale, its load balancer and Prometheus. Run it on a swarm manager
# (`up` makes a single-node swarm of this engine when it is in none). README, "High availability on a swarm".
#
#   scripts/swarm-stack.sh up       build the images, make the secrets, deploy (or update) the stack
#   scripts/swarm-stack.sh status   the services, and which Scaler leads
#   scripts/swarm-stack.sh down     remove the stack; its volumes (history, Prometheus' data) stay
#
# Environment: STACK_NAME (scaler), STACK_LB_PORT (8000), SCALER_JAR (a jar built on the host to put
# into Scaler's image instead of building it inside Docker), SCALER_SECRETS_DIR (deploy/secrets), and
# the target's knobs in deploy/stack.yml (CAPACITY_PER_REPLICA, MIN_REPLICAS, MAX_REPLICAS, ...).
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
cd "$repo"
stack="${STACK_NAME:-scaler}"
export SCALER_SECRETS_DIR="${SCALER_SECRETS_DIR:-$repo/deploy/secrets}"
# Scaler's user gets the group of the engine's socket, whatever its gid is on this host.
export DOCKER_GID="${DOCKER_GID:-$(stat -c %g /var/run/docker.sock 2>/dev/null || echo 999)}"

compose() {
  if command -v docker-compose >/dev/null; then docker-compose "$@"; else docker compose "$@"; fi
}

# A random secret, made once: swarm secrets cannot change under a deployed stack, and PostgreSQL keeps
# the password it got at its first start.
make_secret() {
  local file="$SCALER_SECRETS_DIR/$1"
  if [ ! -s "$file" ]; then
    (umask 077 && mkdir -p "$SCALER_SECRETS_DIR" && head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n' > "$file")
    echo "swarm-stack: made $file"
  fi
}

leaders() {
  local token
  token=$(cat "$SCALER_SECRETS_DIR/api_token")
  for id in $(docker ps -q --filter "label=com.docker.swarm.service.name=${stack}_scaler" --filter status=running); do
    printf '%s ' "$(docker inspect -f '{{index .Config.Labels "com.docker.swarm.task.name"}}' "$id")"
    # The token goes in on stdin, so it shows in no process list.
    printf '%s' "$token" | docker exec -i "$id" python3 -c '
import json, sys, urllib.request
req = urllib.request.Request("http://127.0.0.1:8080/health", headers={"Authorization": "Bearer " + sys.stdin.read()})
try:
    body = json.load(urllib.request.urlopen(req, timeout=5))
except urllib.error.HTTPError as e:
    body = json.load(e)
comp = body.get("details", {}).get("leadership", {})
lead = comp.get("details", comp)
print(body.get("status"), lead.get("role", "(no leadership in /health)"), "leader:", lead.get("leader"))
' || echo "(no answer)"
  done
}

case "${1:-up}" in
  up)
    if [ "$(docker info --format '{{.Swarm.LocalNodeState}}')" != active ]; then
      echo "swarm-stack: this engine is in no swarm; making it a single-node swarm"
      docker swarm init --advertise-addr 127.0.0.1 >/dev/null
    fi
    bash "$repo/scripts/base-image.sh"
    # Scaler, Prometheus, HAProxy and the webapp as the compose stack builds them; then PostgreSQL.
    compose -f docker-compose.yml build scaler prometheus lb webapp
    compose -f deploy/stack.yml build postgres
    make_secret db_password
    make_secret api_token
    docker stack deploy --resolve-image never --prune -c deploy/stack.yml "$stack"
    cat <<MSG
swarm-stack: deployed stack $stack; services start within a minute:
  docker stack services $stack
  scripts/swarm-stack.sh status        which Scaler leads
  Load balancer: http://127.0.0.1:${STACK_LB_PORT:-8000}/
  Scaler's API token: $SCALER_SECRETS_DIR/api_token
MSG
    ;;
  status)
    docker stack services "$stack"
    leaders
    ;;
  down)
    docker stack rm "$stack"
    echo "swarm-stack: removed $stack; its volumes stay (docker volume ls --filter label=com.docker.stack.namespace=$stack)"
    ;;
  *)
    echo "usage: $0 up|status|down" >&2
    exit 2
    ;;
esac
