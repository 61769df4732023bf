#!/usr/bin/env bash
# fuzz.sh [EXAMPLES]
#
# Fuzz the JSON API with schemathesis against its own OpenAPI document: a fresh SQLite database
# with the bundled data (without the document corpus), the platform served by gunicorn on a free
# loopback port, positive and negative requests (`--mode all`), anonymous and as a curator
# (API token). Fails on any server error (5xx) or any response that does not match the schema.
#
# EXAMPLES (default 100, or $FUZZ_EXAMPLES) is the number of generated cases per operation and
# mode; `make fuzz` uses the default, CI a short run. The summary is written to var/fuzz/.
set -euo pipefail

EXAMPLES="${1:-${FUZZ_EXAMPLES:-100}}"
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
BIN="$ROOT/.venv/bin"
WORK="$(mktemp -d)"
OUT="$ROOT/var/fuzz"
mkdir -p "$OUT"
SERVER_PID=""
cleanup() {
    if [ -n "$SERVER_PID" ]; then kill "$SERVER_PID" 2>/dev/null || true; wait "$SERVER_PID" 2>/dev/null || true; fi
    rm -rf "$WORK"
}
trap cleanup EXIT

export DATABASE_URL="sqlite:///$WORK/fuzz.sqlite3"
export LIBRARY_LOAD_CORPUS=false
export DJANGO_SETTINGS_MODULE=config.settings.base
PORT="$("$BIN/python" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"

echo "fuzz: setting up a database with the bundled data (no corpus)…" >&2
"$BIN/sdg87" setup >"$WORK/setup.log" 2>&1 || { cat "$WORK/setup.log" >&2; exit 1; }
TOKEN="$("$BIN/sdg87" manage shell -c '
from sdg87.accounts.models import User
from sdg87.accounts.services import token_create
user, _ = User.objects.get_or_create(username="fuzz-curator", defaults={"role": "curator"})
print(token_create(user=user, name="fuzz")[1])
' | tail -n 1 | tr -d '[:space:]')"

"$BIN/sdg87" serve --host 127.0.0.1 --port "$PORT" --workers 2 --no-task-worker >"$WORK/server.log" 2>&1 &
SERVER_PID=$!
for _ in $(seq 1 60); do
    if curl -fsS "http://127.0.0.1:$PORT/healthz" >/dev/null 2>&1; then break; fi
    sleep 1
done
curl -fsS "http://127.0.0.1:$PORT/healthz" >/dev/null || { cat "$WORK/server.log" >&2; exit 1; }

SCHEMA="http://127.0.0.1:$PORT/api/v1/openapi.json"
STATUS=0
for who in anonymous curator; do
    HEADERS=()
    if [ "$who" = curator ]; then HEADERS=(-H "Authorization: Bearer $TOKEN"); fi
    echo "fuzz: $who, $EXAMPLES examples per operation…" >&2
    "$BIN/st" run "$SCHEMA" \
        --checks not_a_server_error,response_schema_conformance \
        --mode all \
        --max-examples "$EXAMPLES" \
        --seed 87 \
        --workers 2 \
        --request-timeout 30 \
        --suppress-health-check all \
        "${HEADERS[@]}" 2>&1 | tee "$OUT/$who.txt" || STATUS=1
done
if grep -q "Internal Server Error\|Traceback" "$WORK/server.log"; then
    echo "fuzz: the server log has errors:" >&2
    grep -n -A5 "Internal Server Error\|Traceback" "$WORK/server.log" | head -80 >&2
    STATUS=1
fi
exit "$STATUS"
