#!/usr/bin/env bash
# Fuzz the JSON API with schemathesis against its own OpenAPI description.
#
# Starts the Dog API stand-in and the site (gunicorn, DEBUG off) on free
# 127.0.0.1 ports, with a throwaway SQLite database synced from the bundled
# snapshot, and runs every schemathesis check on every operation. It fails
# on any 5xx response and on any response that the schema does not describe.
# Everything it starts is stopped on exit. Output goes to build/schemathesis/.
#
# MAX_EXAMPLES (default 100) bounds the test cases per operation and
# TIME_LIMIT (default 170 seconds) bounds the schemathesis run itself.
set -euo pipefail
cd "$(dirname "$0")/.."

MAX_EXAMPLES=${MAX_EXAMPLES:-100}
TIME_LIMIT=${TIME_LIMIT:-170}
PYTHON=${PYTHON:-python3}
WORK=build/schemathesis
TOOL_VENV=build/schemathesis-venv
SITE_BIN=.venv/bin

started=$SECONDS
pids=()
stop_all() {
  for pid in "${pids[@]}"; do
    kill "$pid" 2>/dev/null || true
  done
  for pid in "${pids[@]}"; do
    wait "$pid" 2>/dev/null || true
  done
}
trap stop_all EXIT

# Wait until a log file contains a line matching a pattern, then print the
# first match. Fails after 30 seconds or when the process has exited.
wait_for_line() {
  local file=$1 pattern=$2 pid=$3
  for _ in $(seq 300); do
    if grep -m 1 -oE "$pattern" "$file" 2>/dev/null; then
      return 0
    fi
    if ! kill -0 "$pid" 2>/dev/null; then
      break
    fi
    sleep 0.1
  done
  echo "Timed out waiting for \"$pattern\" in $file:" >&2
  tail -n 20 "$file" >&2
  return 1
}

echo "== Install"
make --no-print-directory .venv/.installed
if ! cmp -s ci/requirements-schemathesis.txt "$TOOL_VENV/.installed" 2>/dev/null; then
  rm -rf "$TOOL_VENV"
  "$PYTHON" -m venv "$TOOL_VENV"
  "$TOOL_VENV/bin/python" -m pip install --quiet -r ci/requirements-schemathesis.txt
  cp ci/requirements-schemathesis.txt "$TOOL_VENV/.installed"
fi

rm -rf "$WORK"
mkdir -p "$WORK"

echo "== Dog API stand-in"
"$SITE_BIN/python" -m tests.dogapi_standin --port 0 >"$WORK/standin.log" 2>&1 &
pids+=($!)
api_url=$(wait_for_line "$WORK/standin.log" 'http://127\.0\.0\.1:[0-9]+/api' "${pids[-1]}")
echo "$api_url"

export DEBUG=false
export SECRET_KEY="schemathesis-throwaway-$RANDOM$RANDOM$RANDOM"
export SECURE_SSL_REDIRECT=false
export DATABASE_URL="sqlite:///$PWD/$WORK/db.sqlite3"
export CACHE_URL=locmemcache://schemathesis
export DOG_API_URL=$api_url
export DOG_IMAGE_HOSTS=${api_url#http://}
DOG_IMAGE_HOSTS=${DOG_IMAGE_HOSTS%/api}

echo "== Database and static files"
"$SITE_BIN/python" manage.py migrate --noinput --verbosity 0
# The HTML pages need the static file manifest once DEBUG is off.
"$SITE_BIN/python" manage.py collectstatic --noinput --verbosity 0
"$SITE_BIN/python" manage.py sync_breeds --trigger schemathesis \
  --from-file breeds/data/breeds-list-all.json

echo "== Site"
"$SITE_BIN/gunicorn" dogsite.wsgi --bind 127.0.0.1:0 --workers 2 --threads 4 \
  --access-logfile - >"$WORK/site.log" 2>&1 &
pids+=($!)
site_url=$(wait_for_line "$WORK/site.log" 'http://127\.0\.0\.1:[0-9]+' "${pids[-1]}")
echo "$site_url"

echo "== schemathesis (at most $MAX_EXAMPLES examples an operation)"
status=0
timeout "$TIME_LIMIT" "$TOOL_VENV/bin/schemathesis" \
  --config-file ci/schemathesis.toml run "$site_url/api/schema/" \
  --checks all \
  --max-examples "$MAX_EXAMPLES" \
  --workers 4 \
  --request-timeout 10 \
  --wait-for-schema 30 \
  --generation-database none \
  --report junit --report-dir "$WORK/report" \
  --no-color || status=$?

if [[ $status -eq 124 ]]; then
  echo "schemathesis did not finish within $TIME_LIMIT seconds." >&2
fi
if [[ $status -ne 0 ]]; then
  echo "== Last lines of the site log" >&2
  tail -n 30 "$WORK/site.log" >&2
fi
echo "Finished in $((SECONDS - started)) seconds."
exit "$status"
