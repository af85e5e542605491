#!/usr/bin/env bash
# Serve dogsite for local development on http://127.0.0.1:$PORT.
#
# Migrates, then syncs the catalogue from the live Dog API. When the Dog API
# is unreachable (or with --offline) it syncs from the bundled snapshot and
# serves images from the Dog API stand-in on 127.0.0.1:$STANDIN_PORT.
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON=${PYTHON:-.venv/bin/python}
PORT=${PORT:-8000}
STANDIN_PORT=${STANDIN_PORT:-8001}
export DEBUG=${DEBUG:-true}
export SECRET_KEY=${SECRET_KEY:-local-development-key-never-use-in-production}

offline=false
[[ "${1:-}" == "--offline" ]] && offline=true

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
  "$PYTHON" manage.py sync_breeds --trigger local \
    --from-file breeds/data/breeds-list-all.json 2>/dev/null
  echo "Using the bundled catalogue snapshot and the Dog API stand-in" \
    "on http://127.0.0.1:$STANDIN_PORT for images."
  "$PYTHON" -m tests.dogapi_standin --port "$STANDIN_PORT" >/dev/null 2>&1 &
  standin_pid=$!
  trap 'kill "$standin_pid" 2>/dev/null || true' EXIT
  export DOG_API_URL="http://127.0.0.1:$STANDIN_PORT/api"
  export DOG_IMAGE_HOSTS="127.0.0.1:$STANDIN_PORT"
fi

echo
echo "dogsite is starting on http://127.0.0.1:$PORT/ (Ctrl-C stops it)"
echo
"$PYTHON" manage.py runserver "127.0.0.1:$PORT"
