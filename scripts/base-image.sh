#!/usr/bin/env bash
# Makes sure the image debian:bookworm-slim exists on the Docker engine. Every image of the compose
# stack builds FROM it, so it is the only image a host needs. Tries a pull first; on a host that
# cannot reach a registry it builds an equivalent image locally: debootstrap (minbase) into a temp
# dir, trimmed the way the official slim image is, then `docker import`.
# Idempotent: does nothing when the image is already there. Needs root (debootstrap, chroot).
# Environment: BASE_IMAGE (default debian:bookworm-slim), DEBIAN_MIRROR (default deb.debian.org),
# BASE_IMAGE_FORCE=1 rebuilds even when the image exists.
set -euo pipefail

image="${BASE_IMAGE:-debian:bookworm-slim}"
mirror="${DEBIAN_MIRROR:-http://deb.debian.org/debian}"
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"

if [ "${BASE_IMAGE_FORCE:-0}" != 1 ] && docker image inspect "$image" >/dev/null 2>&1; then
  echo "base-image: $image present"
  exit 0
fi
if [ "${BASE_IMAGE_FORCE:-0}" != 1 ] && timeout 60 docker pull -q "$image" >/dev/null 2>&1; then
  echo "base-image: pulled $image"
  exit 0
fi

command -v debootstrap >/dev/null || {
  echo "base-image: cannot pull $image and debootstrap is missing (apt-get install debootstrap)" >&2
  exit 1
}
root=$(mktemp -d /tmp/base-image.XXXXXX)
trap '$SUDO rm -rf "$root"' EXIT
echo "base-image: cannot pull $image, building it with debootstrap from $mirror"
$SUDO debootstrap --variant=minbase bookworm "$root" "$mirror" >"$root.log" 2>&1 || {
  echo "base-image: debootstrap failed, last lines of $root.log:" >&2
  tail -20 "$root.log" >&2
  exit 1
}
rm -f "$root.log"

# What the official slim image does: no docs, man pages or locales from later installs, no apt
# caches kept, no daemons started by package scripts inside a build.
$SUDO tee "$root/etc/dpkg/dpkg.cfg.d/docker-slim" >/dev/null <<'CFG'
path-exclude /usr/share/doc/*
path-include /usr/share/doc/*/copyright
path-exclude /usr/share/man/*
path-exclude /usr/share/groff/*
path-exclude /usr/share/info/*
path-exclude /usr/share/locale/*
path-include /usr/share/locale/locale.alias
path-exclude /usr/share/lintian/*
path-exclude /usr/share/linda/*
CFG
$SUDO tee "$root/etc/apt/apt.conf.d/docker-clean" >/dev/null <<'CFG'
DPkg::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };
APT::Update::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };
Dir::Cache::pkgcache "";
Dir::Cache::srcpkgcache "";
Acquire::GzipIndexes "true";
APT::Install-Recommends "false";
CFG
$SUDO tee "$root/usr/sbin/policy-rc.d" >/dev/null <<'CFG'
#!/bin/sh
exit 101
CFG
$SUDO chmod 755 "$root/usr/sbin/policy-rc.d"
$SUDO tee "$root/etc/apt/sources.list" >/dev/null <<CFG
deb $mirror bookworm main
deb $mirror bookworm-updates main
deb http://deb.debian.org/debian-security bookworm-security main
CFG
$SUDO find "$root/usr/share/doc" -mindepth 1 -not -name copyright -not -type d -delete
$SUDO rm -rf "$root"/usr/share/man/* "$root"/usr/share/info/* "$root"/usr/share/locale/* \
  "$root"/var/lib/apt/lists/* "$root"/var/cache/apt/*.bin "$root"/var/cache/apt/archives/*.deb \
  "$root"/var/log/* "$root"/tmp/* "$root"/dev/* "$root"/proc/* "$root"/sys/*
# Empty man sections stay, because some packages' scripts (openjdk's update-alternatives) link into them.
$SUDO mkdir -p "$root"/usr/share/man/man{1..8}
$SUDO install -d -o 0 -g 0 -m 0755 "$root/var/lib/apt/lists"
$SUDO chroot "$root" install -d -o _apt -g root -m 0700 /var/lib/apt/lists/partial /var/cache/apt/archives/partial
$SUDO chmod 1777 "$root/tmp"
# mktemp made the root 0700; as the image's / it would lock every non-root user out.
$SUDO chmod 0755 "$root"

$SUDO tar --numeric-owner -C "$root" -c . \
  | docker import -c 'CMD ["bash"]' -c 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
      -m "debootstrap --variant=minbase bookworm ($mirror), built by scripts/base-image.sh" - "$image" >/dev/null
echo "base-image: built $image ($(docker image inspect -f '{{.Size}}' "$image" | awk '{printf "%.0f MB", $1/1e6}'))"
