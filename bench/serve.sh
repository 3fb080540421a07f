#!/usr/bin/env bash
# `tailor serve` under load (issue 9): the authorised, audited, decrypted case read
# `GET /api/v1/cases/{id}` beside the same server's unauthenticated `/healthz` in the same
# run (the ratio is what authentication, the audit write, the database and decryption
# cost), on SQLite and, when the PostgreSQL server binaries are installed, on PostgreSQL;
# plus upload-to-interpretation of the bundled example case, and the server's peak memory.
#
# Load: wrk on loopback, bounded in time (DURATION seconds per measurement, CONNECTIONS
# open connections, 1 thread: on a 2-core machine the load generator takes one core).
# Targets (issue 9): case read >= 3,000 requests/s with p99 < 25 ms on SQLite; upload to
# interpretation < 1 s.
#
# Usage: bench/serve.sh        Env: DURATION (10), CONNECTIONS (16), PORT (18181)
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
DATA="${TAILOR_SHARED_DATA:-$ROOT/../shared/data}"
DURATION="${DURATION:-10}"
CONNECTIONS="${CONNECTIONS:-16}"
PORT="${PORT:-18181}"
command -v wrk >/dev/null || { echo "wrk is needed (Debian package wrk)" >&2; exit 2; }
cd "$ROOT"
cargo build --release -q -p tailor-cli
T="$ROOT/target/release/tailor"
WORK="$(mktemp -d)"
SERVER_PID=""
PGDIR=""
cleanup() {
  [ -n "$SERVER_PID" ] && kill "$SERVER_PID" 2>/dev/null || true
  [ -n "$PGDIR" ] && "$ROOT/.ci/postgres.sh" stop "$PGDIR" && rm -rf "$PGDIR"
  rm -rf "$WORK"
}
trap cleanup EXIT
"$T" kb build --out "$WORK/kb.bin" --data "$DATA" >/dev/null

# The example case as an upload: bare file names in the manifest, one part per file.
cat > "$WORK/case.yaml" <<YAML
patient: BENCH-CRC-001
tumor_type: COAD
sample_type: tissue
purity: 0.6
somatic:
  vcf: T001-COAD.grch38.vcf.gz
  segments: T001-COAD.grch38.cna.tsv
  fusions: T001-COAD.grch38.fusions.tsv
  panel_size_mb: 34.0
germline:
  vcf: pharmcat.example.vcf
  outside_calls: pharmcat.example.outsideCall.tsv
medications: [capecitabine, clopidogrel]
YAML
P="$DATA/onco/testdata/pcgr"
G="$DATA/pgx/pharmcat-3.1.1/examples"
FORM=(-F "manifest=@$WORK/case.yaml"
  -F "T001-COAD.grch38.vcf.gz=@$P/T001-COAD.grch38.vcf.gz"
  -F "T001-COAD.grch38.cna.tsv=@$P/T001-COAD.grch38.cna.tsv"
  -F "T001-COAD.grch38.fusions.tsv=@$P/T001-COAD.grch38.fusions.tsv"
  -F "pharmcat.example.vcf=@$G/pharmcat.example.vcf"
  -F "pharmcat.example.outsideCall.tsv=@$G/pharmcat.example.outsideCall.tsv")

run_backend() {
  local label="$1" database="$2"
  local dir="$WORK/data-$label"
  local store=(--data-dir "$dir" --dev-insecure-key)
  [ -n "$database" ] && store+=(--database "$database")
  echo "bench password 1234" | "$T" admin add-user "${store[@]}" --username bench \
    --role oncologist --board bench --password-stdin 2>/dev/null
  local token
  token="$("$T" admin add-token "${store[@]}" --username bench 2>/dev/null)"
  "$T" serve "${store[@]}" --kb "$WORK/kb.bin" --bind "127.0.0.1:$PORT" 2>"$WORK/serve-$label.log" &
  SERVER_PID=$!
  for _ in $(seq 100); do
    curl -sf "http://127.0.0.1:$PORT/healthz" >/dev/null && break
    sleep 0.1
  done
  # Upload to interpretation: POST, then poll the case until it is done.
  local start id status end
  start=$(date +%s.%N)
  id="$(curl -sf -H "Authorization: Bearer $token" "${FORM[@]}" "http://127.0.0.1:$PORT/api/v1/cases" |
    python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')"
  for _ in $(seq 500); do
    status="$(curl -sf -H "Authorization: Bearer $token" "http://127.0.0.1:$PORT/api/v1/cases/$id" |
      python3 -c 'import json,sys; print(json.load(sys.stdin)["status"])')"
    [ "$status" = done ] || [ "$status" = failed ] && break
    sleep 0.02
  done
  end=$(date +%s.%N)
  [ "$status" = done ] || { echo "$label: the case ended $status" >&2; exit 1; }
  local bytes
  bytes="$(curl -sf -H "Authorization: Bearer $token" "http://127.0.0.1:$PORT/api/v1/cases/$id" | wc -c)"
  printf '%s: upload to interpretation %.0f ms; case document %s bytes\n' "$label" \
    "$(echo "($end - $start) * 1000" | bc -l)" "$bytes"
  wrk -t1 -c"$CONNECTIONS" -d"${DURATION}s" --latency "http://127.0.0.1:$PORT/healthz" > "$WORK/healthz-$label.txt"
  wrk -t1 -c"$CONNECTIONS" -d"${DURATION}s" --latency -H "Authorization: Bearer $token" \
    "http://127.0.0.1:$PORT/api/v1/cases/$id" > "$WORK/case-$label.txt"
  local hwm
  hwm="$(grep VmHWM "/proc/$SERVER_PID/status" | awk '{print $2}')"
  kill "$SERVER_PID"; wait "$SERVER_PID" 2>/dev/null || true; SERVER_PID=""
  python3 - "$WORK" "$label" "$hwm" <<'PY'
import re, sys
work, label, hwm = sys.argv[1], sys.argv[2], int(sys.argv[3])
def read(name):
    text = open(f"{work}/{name}-{label}.txt").read()
    rps = float(re.search(r"Requests/sec:\s+([0-9.]+)", text).group(1))
    def ms(pct):
        m = re.search(rf"\s{pct}%\s+([0-9.]+)(us|ms|s)", text)
        v, unit = float(m.group(1)), m.group(2)
        return v / 1000 if unit == "us" else v * 1000 if unit == "s" else v
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
    return rps, ms(50), ms(99), int(errors.group(1)) if errors else 0
h = read("healthz"); c = read("case")
print(f"{label}: /healthz {h[0]:,.0f} req/s (p50 {h[1]:.2f} ms, p99 {h[2]:.2f} ms, non-2xx {h[3]})")
print(f"{label}: GET /api/v1/cases/{{id}} {c[0]:,.0f} req/s (p50 {c[1]:.2f} ms, p99 {c[2]:.2f} ms, non-2xx {c[3]})")
print(f"{label}: case read / healthz throughput ratio {c[0] / h[0]:.3f}; server peak memory {hwm / 1024:.0f} MiB")
PY
}

run_backend sqlite ""
if ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  PGDIR="$(mktemp -d /tmp/tailor-bench-pg.XXXXXX)"
  URL="$("$ROOT/.ci/postgres.sh" start "$PGDIR" 55441)"
  run_backend postgres "$URL"
fi
