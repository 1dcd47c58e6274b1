#!/usr/bin/env bash
# Makes a fresh Debian bookworm machine ready for Scaler's test suite: packages, a running Docker
# engine, PostgreSQL with a test database, and the local images the tests use (no registry needed):
# debian:bookworm-slim for the compose stack, scaler-test/busybox for the rest.
# Idempotent: run it as often as you like. Needs root (or sudo).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"

packages=(docker.io docker-compose ansible ansible-lint prometheus prometheus-alertmanager
          openssh-server openssh-client openssh-sftp-server python3 postgresql haproxy debootstrap busybox-static iproute2 curl openssl
          openjdk-17-jdk-headless maven chromium)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "test-env: installing ${missing[*]}"
  $SUDO apt-get update -q
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

# The fleet tests (SshFleet) start their own sshd per loopback address (127.0.0.2, ...) on a random
# port, so the system ssh service is neither needed nor started here. They need these binaries, and
# python3 at the path their inventory names for Ansible's modules.
for c in /usr/sbin/sshd ssh ssh-keygen /usr/bin/python3; do
  command -v "$c" >/dev/null || { echo "test-env: $c is missing" >&2; exit 1; }
done

# A Docker engine. overlay2 first: vfs copies every image layer and every container's root file system
# in full, and the suite's images then take tens of GB (a CI run once ran out of disk that way).
# vfs only where overlay2 cannot run a container. SCALER_DOCKER_STORAGE_DRIVER forces one.
start_dockerd() {
  $SUDO sh -c "nohup dockerd --storage-driver=$1 >/var/log/scaler-test-dockerd.log 2>&1 &"
  for _ in $(seq 1 60); do docker info >/dev/null 2>&1 && return 0; sleep 1; done
  return 1
}
stop_dockerd() {
  $SUDO pkill -x dockerd || true
  for _ in $(seq 1 30); do pgrep -x dockerd >/dev/null || return 0; sleep 1; done
}
# Runs a container from a throwaway one-file image: proves the driver can mount a root file system.
driver_runs_containers() {
  local root probe=scaler-test/driver-probe:latest ok=1
  root=$(mktemp -d)
  mkdir -p "$root/bin"
  cp /bin/busybox "$root/bin/busybox"
  tar -C "$root" -c . | docker import - "$probe" >/dev/null \
    && docker run --rm "$probe" /bin/busybox true && ok=0
  docker image rm -f "$probe" >/dev/null 2>&1 || true
  rm -rf "$root"
  return $ok
}
if ! docker info >/dev/null 2>&1; then
  driver=${SCALER_DOCKER_STORAGE_DRIVER:-overlay2}
  echo "test-env: starting dockerd (storage driver $driver)"
  if ! { start_dockerd "$driver" && driver_runs_containers; }; then
    [ -z "${SCALER_DOCKER_STORAGE_DRIVER:-}" ] || { echo "test-env: dockerd with $driver failed" >&2; tail -20 /var/log/scaler-test-dockerd.log >&2; exit 1; }
    echo "test-env: overlay2 cannot run containers here, starting dockerd with vfs (slower, much more disk)"
    tail -5 /var/log/scaler-test-dockerd.log
    stop_dockerd
    start_dockerd vfs || { echo "test-env: dockerd did not start" >&2; tail -20 /var/log/scaler-test-dockerd.log >&2; exit 1; }
  fi
fi
echo "test-env: docker storage driver $(docker info --format '{{.Driver}}'), $(df -h --output=avail /var/lib/docker | tail -1 | tr -d ' ') free under /var/lib/docker"

# PostgreSQL for the history store's portability test.
if ! pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; then
  echo "test-env: starting postgresql"
  ver=$(ls /usr/lib/postgresql | sort -n | tail -1)
  $SUDO pg_ctlcluster "$ver" main start || true
  for _ in $(seq 1 30); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 1; done
fi
as_postgres() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else sudo -u postgres "$@"; fi; }
as_postgres psql -q -tAc "SELECT 1 FROM pg_roles WHERE rolname='scaler'" | grep -q 1 \
  || as_postgres psql -q -c "CREATE ROLE scaler LOGIN PASSWORD 'scaler'"
as_postgres psql -q -tAc "SELECT 1 FROM pg_database WHERE datname='scaler_test'" | grep -q 1 \
  || as_postgres psql -q -c "CREATE DATABASE scaler_test OWNER scaler"

# The one base image of the compose stack's images; built with debootstrap when it cannot be pulled.
bash "$here/base-image.sh"

# The smallest image that can serve HTTP: busybox-static in an empty root file system.
if ! docker image inspect scaler-test/busybox:latest >/dev/null 2>&1; then
  echo "test-env: building scaler-test/busybox"
  root=$(mktemp -d)
  mkdir -p "$root/bin" "$root/tmp" "$root/www"
  cp /bin/busybox "$root/bin/busybox"
  for c in sh httpd sleep wget cat echo ls nc; do ln -s busybox "$root/bin/$c"; done
  echo "hello from scaler-test/busybox" > "$root/www/index.html"
  tar -C "$root" -c . | docker import -c 'CMD ["/bin/sh"]' - scaler-test/busybox:latest >/dev/null
  rm -rf "$root"
fi

echo "test-env: ready (docker $(docker version --format '{{.Server.Version}}'), $(docker-compose version --short 2>/dev/null || echo 'no docker-compose'), $(ansible --version | sed -n 1p))"
