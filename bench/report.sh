#!/usr/bin/env bash
# Report generation for the bundled example case, all five formats, knowledge-base load
# included:
#
#   tailor report --case examples/colorectal/case.yaml --out DIR -q
#
# writes report.html, report.pdf (28 pages), patient-summary.html, report.fhir.json
# (~620 resources) and interpretation.json. The issue's target is under 0.5 s.
#
# Beside it, in the same run, the peer route for the PDF alone: headless Chromium
# printing Tailor's own report.html to PDF (`chromium --headless --print-to-pdf`), which
# is how an HTML-first reporting tool would make its PDF. The script prints both times
# and the ratio chromium-PDF-only / tailor-all-formats.
#
# Usage: bench/report.sh
# Env:   RUNS (default 10), TAILOR_BIN (use this binary instead of building)
# Needs: hyperfine, chromium.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
RUNS="${RUNS:-10}"
cd "$ROOT"
if [ -z "${TAILOR_BIN:-}" ]; then
  cargo build --release -q -p tailor-cli
  TAILOR_BIN="$ROOT/target/release/tailor"
fi
command -v hyperfine >/dev/null || { echo "needs hyperfine" >&2; exit 2; }
command -v chromium >/dev/null || { echo "needs chromium" >&2; exit 2; }
OUT="$(mktemp -d)"
trap 'rm -rf "$OUT"' EXIT
"$TAILOR_BIN" report --case examples/colorectal/case.yaml --out "$OUT/warm" -q
TAILOR_TIMINGS=1 "$TAILOR_BIN" report --case examples/colorectal/case.yaml --out "$OUT/warm" -q
hyperfine -N --warmup 2 --min-runs "$RUNS" --export-json "$OUT/tailor.json" \
  "$TAILOR_BIN report --case examples/colorectal/case.yaml --out $OUT/r -q"
hyperfine -N --warmup 1 --min-runs 3 --export-json "$OUT/chromium.json" \
  "chromium --headless --no-sandbox --disable-gpu --no-pdf-header-footer --print-to-pdf=$OUT/c.pdf file://$OUT/warm/report.html"
python3 - "$OUT/tailor.json" "$OUT/chromium.json" <<'PY'
import json, sys
t = json.load(open(sys.argv[1]))["results"][0]
c = json.load(open(sys.argv[2]))["results"][0]
print(f"tailor report, all 5 formats: {t['mean']:.3f} s +- {t['stddev']:.3f} (max {t['max']:.3f})")
print(f"chromium print-to-pdf only:   {c['mean']:.3f} s +- {c['stddev']:.3f}")
print(f"ratio chromium-pdf / tailor-all: {c['mean']/t['mean']:.1f}x; target tailor < 0.5 s: {'met' if t['max'] < 0.5 else 'NOT met'}")
PY
