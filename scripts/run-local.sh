#!/usr/bin/env bash
# Serve dogsite for local development on http://127.0.0.1:$PORT.
#
# On the first run it writes a .env with DEBUG=true and a random development
# SECRET_KEY, so that manage.py commands work afterwards too. It migrates,
# then syncs the catalogue from the live Dog API. When the Dog API is
# unreachable (or with --offline) it syncs from the bundled snapshot and
# serves images from the Dog API stand-in on 127.0.0.1:$STANDIN_PORT.
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON=${PYTHON:-.venv/bin/python}
PORT=${PORT:-8000}
STANDIN_PORT=${STANDIN_PORT:-8001}

offline=false
[[ "${1:-}" == "--offline" ]] && offline=true

if [[ ! -e .env ]]; then
  key=$("$PYTHON" -c "import secrets; print(secrets.token_urlsafe(50))")
  printf '%s\n' \
    "# Local development settings, written by make run. Never use in production." \
    "DEBUG=true" \
    "SECRET_KEY=$key" >.env
  echo "Wrote .env with DEBUG=true and a development SECRET_KEY."
fi

port_in_use() {
  "$PYTHON" -c "import socket, sys; sys.exit(socket.socket().connect_ex(('127.0.0.1', $1)) != 0)"
}
if port_in_use "$PORT"; then
  echo "Port $PORT is already in use. Stop what uses it or run: PORT=8010 make run" >&2
  exit 1
fi

"$PYTHON" manage.py migrate --noinput --verbosity 0

if ! $offline; then
  echo "Syncing the catalogue from ${DOG_API_URL:-https://dog.ceo/api} ..."
  errors=$(mktemp)
  if DOG_API_RETRIES=0 "$PYTHON" manage.py sync_breeds --trigger local 2>"$errors"; then
    echo "Using the live Dog API."
  else
    echo "The live sync failed: $(tail -n 1 "$errors")"
    echo "The site runs offline instead."
    offline=true
  fi
  rm -f "$errors"
fi

if $offline; then
  if port_in_use "$STANDIN_PORT"; then
    echo "Port $STANDIN_PORT, for the Dog API stand-in, is already in use." \
      "Stop what uses it or run: STANDIN_PORT=8011 make run" >&2
    exit 1
  fi
  "$PYTHON" manage.py sync_breeds --trigger local \
    --from-file breeds/data/breeds-list-all.json 2>/dev/null
  "$PYTHON" -m tests.dogapi_standin --port "$STANDIN_PORT" >/dev/null 2>&1 &
  standin_pid=$!
  trap 'kill "$standin_pid" 2>/dev/null || true' EXIT
  for _ in $(seq 50); do
    port_in_use "$STANDIN_PORT" && break
    if ! kill -0 "$standin_pid" 2>/dev/null; then
      echo "The Dog API stand-in did not start. Run it alone to see why:" \
        "$PYTHON -m tests.dogapi_standin --port $STANDIN_PORT" >&2
      exit 1
    fi
    sleep 0.1
  done
  echo "Using the bundled catalogue snapshot and the Dog API stand-in" \
    "on http://127.0.0.1:$STANDIN_PORT for images."
  export DOG_API_URL="http://127.0.0.1:$STANDIN_PORT/api"
  export DOG_IMAGE_HOSTS="127.0.0.1:$STANDIN_PORT"
fi

echo
echo "dogsite is starting on http://127.0.0.1:$PORT/ (Ctrl-C stops it)"
echo
"$PYTHON" manage.py runserver "127.0.0.1:$PORT"
