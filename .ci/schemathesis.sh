#!/usr/bin/env bash
# Fuzzes `tailor serve` against its own OpenAPI document with schemathesis (PyPI, in a
# venv under target/): generated requests to every API route, with a valid token; fails
# on any 5xx, on an answer whose status, content type or body the document does not
# allow, or on an unsupported method answered as if it were supported.
#
# Usage: .ci/schemathesis.sh TAILOR_BINARY     Env: ST_EXAMPLES (default 40), ST_PORT (18383)
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
BIN="$(cd "$(dirname "${1:?path to the tailor binary}")" && pwd)/$(basename "$1")"
DATA="${TAILOR_SHARED_DATA:-$ROOT/../shared/data}"
PORT="${ST_PORT:-18383}"
VENV="$ROOT/target/stvenv"
if [ ! -x "$VENV/bin/schemathesis" ]; then
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install -q --disable-pip-version-check 'schemathesis>=4,<5'
fi
. "$ROOT/.ci/throwaway-server.sh"
start_throwaway_server "$BIN" "$DATA" "$PORT" fuzz "schemathesis password" --max-upload-mb 8
# A real case, so that generated reads also meet one that exists.
printf 'patient: FUZZ-1\ntumor_type: LUAD\nsomatic:\n  fusions: f.tsv\n' > case.yaml
printf 'gene5\tgene3\nEML4\tALK\n' > f.tsv
curl -sf -H "Authorization: Bearer $TOKEN" -F manifest=@case.yaml -F f.tsv=@f.tsv \
  "http://127.0.0.1:$PORT/api/v1/cases" >/dev/null
curl -sf -H "Authorization: Bearer $TOKEN" "http://127.0.0.1:$PORT/api/openapi.json" > openapi.json
"$VENV/bin/schemathesis" run openapi.json --url "http://127.0.0.1:$PORT" \
  -H "Authorization: Bearer $TOKEN" \
  --checks not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance,unsupported_method \
  --phases examples,coverage,fuzzing \
  --max-examples "${ST_EXAMPLES:-40}" --workers 1 --no-color
if grep -qi "panicked" server.log; then
  echo "the server panicked during the run:" >&2
  cat server.log >&2
  exit 1
fi
