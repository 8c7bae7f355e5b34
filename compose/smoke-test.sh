#!/usr/bin/env bash
# The Compose smoke test: a whole district in containers, driven from the host through
# the published ports, as district IT and a department would.
#
#   compose/smoke-test.sh [BIN_DIR]     (default .build/debug, the build `swift test` made)
#   SMOKE_IMAGE=district-governance:from-source compose/smoke-test.sh
#                                       (an image built from source with compose/Dockerfile;
#                                        BIN_DIR still provides nothing but is not used)
#
# Steps (each logged with its duration): base images without a registry; the image from
# BIN_DIR's executables; `docker-compose config`; up and wait healthy; seed a small
# district; a scenario through the published ports; restart a service container
# mid-scenario and check nothing acknowledged was lost; pg_dump, drop the database
# volume, pg_restore, check the data is back; down -v.
#
# Needs root, Docker (dockerd running), docker-compose, debootstrap, python3.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
bin_dir="$(cd "${1:-$root/.build/debug}" && pwd)"
project="districtsmoke$$"
work="$(mktemp -d /tmp/district-smoke.XXXXXX)"
compose_dir="$root/compose"
started=$(date +%s)
step_started=$started

step() {
    local now
    now=$(date +%s)
    [ "$step_started" != "$started" ] && printf '[smoke] … took %ss\n' "$((now - step_started))"
    step_started=$now
    printf '\n[smoke] == %s (t+%ss)\n' "$*" "$((now - started))"
}
fail() { printf '[smoke] FAILED: %s\n' "$*" >&2; exit 1; }

export COMPOSE_PROJECT_NAME="$project"
export DISTRICT_DB_PASSWORD_FILE="$work/secrets/db_password"
export DISTRICT_BIND_ADDRESS=127.0.0.1
export DISTRICT_NAME=Smoke
dc() { docker-compose -f "$compose_dir/compose.yaml" "$@"; }

cleanup() {
    local status=$?
    if [ "$status" != 0 ]; then
        echo "[smoke] --- container states and recent logs ---"
        dc ps || true
        dc logs --tail=40 || true
    fi
    dc down -v --remove-orphans >/dev/null 2>&1 || true
    rm -rf "$work" "$compose_dir/prebuilt"
    exit "$status"
}
trap cleanup EXIT

step "base images from Debian's packages (kept when present)"
"$compose_dir/base-images/make-base-images.sh"

if [ -n "${SMOKE_IMAGE:-}" ]; then
    # An image built otherwise, e.g. from source with compose/Dockerfile.
    step "image $SMOKE_IMAGE (given)"
    docker tag "$SMOKE_IMAGE" district-governance:latest
else
    step "image from the executables in $bin_dir"
    "$compose_dir/stage-prebuilt.sh" "$bin_dir"
    docker build -q -f "$compose_dir/prebuilt.Dockerfile" -t district-governance:latest "$compose_dir"
fi

step "configuration: the database password secret, docker-compose config"
mkdir -m 700 "$work/secrets"
(umask 022; head -c 24 /dev/urandom | base64 > "$work/secrets/db_password")
dc config -q

step "up -d, wait until every service is healthy"
dc up -d
wait_healthy() {
    local deadline=$(( $(date +%s) + 180 )) service state
    for service in identity dispatch mediation legal notify; do
        while :; do
            state="$(docker inspect -f '{{.State.Health.Status}}' "$(dc ps -q "$service")" 2>/dev/null || echo missing)"
            [ "$state" = healthy ] && break
            [ "$(date +%s)" -lt "$deadline" ] || fail "$service is $state after 180 s"
            sleep 2
        done
        echo "[smoke] $service healthy"
    done
}
wait_healthy

# The operator's certificate and the CA, copied out of the certificate volume, so that
# districtctl on the host talks to the published ports like any client.
certs="$work/certs"
mkdir -p "$certs"
docker cp "$(dc ps -q identity):/certs/." "$certs/"
ctl() { DISTRICT_CERT_DIR="$certs" "$bin_dir/districtctl" "$@"; }
json() { python3 -c "import json,sys; print(eval('json.load(sys.stdin)' + sys.argv[1]))" "$1"; }

export SMOKE_CA="$certs/ca.pem" SMOKE_HOST=127.0.0.1
scenario() { python3 "$compose_dir/smoke_scenario.py" "$work/state.json" "$@"; }

step "seed a small district (bootstrap administrators, org tree, users, grid, catalogue)"
export SMOKE_ADMIN_PASSWORD="Smoke-admin-$(head -c 6 /dev/urandom | base64 | tr -d '/+=')9!"
# The first administrators and the district root, created inside the stack with the
# database password it already has (docs/operations.md, "First start").
dc run --rm -T -e DISTRICT_ADMIN_PASSWORD="$SMOKE_ADMIN_PASSWORD" -e DISTRICT_SECURITY_ADMIN_PASSWORD="$SMOKE_ADMIN_PASSWORD" \
    migrate districtctl accounts create-admin --login sysadmin --security-admin secadmin --district-code d01 --district-name "烟台示范区"
scenario seed

step "scenario through the published ports: one case around the closed loop"
scenario loop

step "restart the dispatch container while a resident keeps reporting"
rm -f "$work/stop"
scenario report-until "$work/stop" &
reporter=$!
sleep 3
dc restart dispatch
wait_healthy
sleep 2
touch "$work/stop"
wait "$reporter" || fail "the reporter failed"
scenario check "after the restart"

step "backup (pg_dump), drop the database volume, restore (pg_restore)"
dc exec -T postgres pg_dump -U district -d district -Fc > "$work/district.dump"
echo "[smoke] backup: $(du -h "$work/district.dump" | cut -f1)"
dc stop identity dispatch mediation legal notify
dc rm -f -s postgres
docker volume rm "${project}_pgdata" >/dev/null
scenario_expect_empty_volume() { ! docker volume inspect "${project}_pgdata" >/dev/null 2>&1; }
scenario_expect_empty_volume || fail "the database volume was not dropped"
dc up -d postgres
until [ "$(docker inspect -f '{{.State.Health.Status}}' "$(dc ps -q postgres)")" = healthy ]; do sleep 1; done
dc exec -T postgres pg_restore -U district -d district --exit-on-error < "$work/district.dump"
dc up -d
wait_healthy
scenario check "after the restore"

step "down -v"
dc down -v --remove-orphans
printf '\n[smoke] PASSED in %ss\n' "$(( $(date +%s) - started ))"
