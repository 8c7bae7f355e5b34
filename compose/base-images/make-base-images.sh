#!/usr/bin/env bash
# Makes the base images compose/Dockerfile and compose.yaml expect, from Debian's
# packages, for a machine that cannot reach an image registry. A district with a
# registry never needs this.
#
#   make-base-images.sh               debian:bookworm-slim and postgres:15-bookworm
#   make-base-images.sh --with-swift  also swift:6.3-bookworm (the builder), with this
#                                     machine's toolchain (SWIFT_ROOT, default /opt/swift)
#
# Needs root, debootstrap and a running Docker engine. Images that exist are kept
# (pass --force to remake them). Debian packages come from $DEBIAN_MIRROR.
set -euo pipefail

mirror="${DEBIAN_MIRROR:-http://deb.debian.org/debian}"
swift_root="${SWIFT_ROOT:-/opt/swift}"
with_swift=false
force=false
for argument in "$@"; do
    case "$argument" in
        --with-swift) with_swift=true ;;
        --force) force=true ;;
        *) echo "usage: $0 [--with-swift] [--force]" >&2; exit 64 ;;
    esac
done
here="$(cd "$(dirname "$0")" && pwd)"
work="$(mktemp -d /tmp/district-base-images.XXXXXX)"
trap 'rm -rf "$work"' EXIT

exists() { [ "$force" = false ] && docker image inspect "$1" >/dev/null 2>&1; }
log() { printf '[base-images] %s\n' "$*"; }

# A minimal bookworm root file system with extra packages, imported as an image.
bootstrap() { # name tag packages [docker-import --change options...]
    local name="$1" tag="$2" packages="$3"
    shift 3
    local root="$work/$name"
    log "debootstrap $name ($packages)"
    debootstrap --variant=minbase ${packages:+--include="$packages"} bookworm "$root" "$mirror" >"$work/$name.log" 2>&1 \
        || { tail -n 30 "$work/$name.log"; exit 1; }
    chroot "$root" apt-get clean
    rm -rf "$root"/var/lib/apt/lists/* "$root"/var/cache/apt/*.bin "$root"/usr/share/doc/* "$root"/usr/share/man/*
    if [ -n "${EXTRA_SETUP:-}" ]; then "$EXTRA_SETUP" "$root"; fi
    tar -C "$root" -c . | docker import "$@" - "$tag" >/dev/null
    log "made $tag"
}

if exists debian:bookworm-slim; then log "keeping debian:bookworm-slim"; else
    bootstrap runtime debian:bookworm-slim "" --change 'CMD ["bash"]'
fi

postgres_setup() {
    install -m 0755 "$here/postgres-entrypoint.sh" "$1/usr/local/bin/docker-entrypoint.sh"
    mkdir -p "$1/var/lib/postgresql/data"
}
if exists postgres:15-bookworm; then log "keeping postgres:15-bookworm"; else
    EXTRA_SETUP=postgres_setup bootstrap postgres postgres:15-bookworm "postgresql-15" \
        --change 'ENV PATH=/usr/lib/postgresql/15/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
        --change 'ENV PGDATA=/var/lib/postgresql/data' \
        --change 'ENTRYPOINT ["docker-entrypoint.sh"]' \
        --change 'EXPOSE 5432'
fi

swift_setup() {
    mkdir -p "$1/opt"
    cp -a "$swift_root" "$1/opt/swift"
    # The packages Package.swift names, served from a local copy when this machine has one.
    if [ -d /opt/swift-packages ]; then
        cp -a /opt/swift-packages "$1/opt/swift-packages"
        chroot "$1" git config --system url./opt/swift-packages/.insteadOf https://github.com/
    fi
}
if [ "$with_swift" = true ]; then
    if exists swift:6.3-bookworm; then log "keeping swift:6.3-bookworm"; else
        EXTRA_SETUP=swift_setup bootstrap swift swift:6.3-bookworm \
            "binutils,git,gnupg2,libc6-dev,libcurl4-openssl-dev,libedit2,libgcc-12-dev,libncurses6,libpython3.11,libsqlite3-0,libstdc++-12-dev,libxml2-dev,libz3-dev,pkg-config,tzdata,zlib1g-dev,ca-certificates" \
            --change "ENV PATH=/opt/swift/usr/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin" \
            --change 'CMD ["bash"]'
    fi
fi
docker image ls --format '{{.Repository}}:{{.Tag}} {{.Size}}' | grep -E '^(debian:bookworm-slim|postgres:15-bookworm|swift:6.3-bookworm) ' || true
