#!/usr/bin/env bash
# Runs Scaler on this host against a local Prometheus and a compose project, with sensible defaults.
# Builds the jar first when it is missing. Every default below can be overridden from the environment.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
jar="$repo/target/scaler-0.1.0-SNAPSHOT.jar"
if [ ! -f "$jar" ]; then
  (cd "$repo" && mvn -B -ntp package -DskipTests)
fi
export PROMETHEUS_URL="${PROMETHEUS_URL:-http://localhost:9090}"
export SERVICE_NAME="${SERVICE_NAME:-webapp}"
export COMPOSE_PROJECT_DIR="${COMPOSE_PROJECT_DIR:-$PWD}"
export COMPOSE_PROJECT_NAME="${COMPOSE_PROJECT_NAME:-$(basename "$COMPOSE_PROJECT_DIR" | tr -cd 'a-z0-9_-')}"
# The playbook, inventory and Ansible config are the repository's own.
export SCALER_EXECUTION_PLAYBOOK="${SCALER_EXECUTION_PLAYBOOK:-$repo/ansible/scale.yml}"
export SCALER_EXECUTION_INVENTORY="${SCALER_EXECUTION_INVENTORY:-$repo/inventories/local/hosts.yml}"
export SCALER_EXECUTION_ANSIBLE_CONFIG="${SCALER_EXECUTION_ANSIBLE_CONFIG:-$repo/ansible/ansible.cfg}"
exec java ${JAVA_OPTS:-} -jar "$jar" "$@"
