#!/usr/bin/env bash
# One real case end to end: `tailor somatic` on PCGR's T001-COAD example (GRCh38 raw VCF,
# 3,313 records, no VEP annotation; allele-specific copy-number segments; 10 fusions),
# tumour type COAD, knowledge-base load included.
#
#   tailor somatic --vcf T001-COAD.grch38.vcf.gz --segments T001-COAD.grch38.cna.tsv \
#       --fusions T001-COAD.grch38.fusions.tsv --tumor-type COAD --out DIR -q
#
# The compiled knowledge base (~/.cache/tailor/kb-vN.bin, or under $XDG_CACHE_HOME) is
# warmed by one run first; that is the normal state of an installed Tailor. The script
# also times, once, a cold run that has to compile the knowledge base from the sources
# into a fresh cache folder, so the one-time cost is on record.
#
# The issue's target is under 0.2 s per case. The peer, PCGR, cannot run here (it needs
# its ~20 GB data bundle, VEP and a network-free conda/Docker stack that this machine does
# not have); its users report 24-28 minutes for 863 variants, which the report quotes.
#
# It times RUNS runs (default 20) under GNU time and prints median and maximum wall time
# and the peak RSS, and, when hyperfine is installed, `hyperfine -N --warmup 3
# --min-runs RUNS` (mean +- sd). Then one run with TAILOR_TIMINGS=1 shows the split, and
# the answer is checked: BRAF V600E at tier I-A, the NTRK1 and EML4--ALK fusions matched.
#
# Usage: bench/somatic_case.sh [TUMOUR]       (default T001-COAD; T001-BRCA works too,
#                                              with tumour type BRCA)
# Env:   TAILOR_SHARED_DATA  shared data folder (default: ../shared/data from the repo root)
#        RUNS                runs for the median/max (default 20)
#        TAILOR_BIN          use this tailor binary instead of building target/release/tailor
# Needs: python3, GNU time (installed with apt-get when missing), cargo; hyperfine optional.
set -euo pipefail

CASE="${1:-T001-COAD}"
RUNS="${RUNS:-20}"
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
DATA="${TAILOR_SHARED_DATA:-$ROOT/../shared/data}"
PCGR="$DATA/onco/testdata/pcgr"
VCF="$PCGR/$CASE.grch38.vcf.gz"
SEGMENTS="$PCGR/$CASE.grch38.cna.tsv"
FUSIONS="$PCGR/$CASE.grch38.fusions.tsv"
TUMOR_TYPE="${CASE#*-}"
for f in "$VCF" "$SEGMENTS" "$FUSIONS"; do
    [ -s "$f" ] || { echo "PCGR example not found: $f (set TAILOR_SHARED_DATA)" >&2; exit 2; }
done

WORK="$(mktemp -d "${TMPDIR:-/tmp}/tailor-somatic-case.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT

[ -x /usr/bin/time ] || {
    echo "== installing time with apt-get"
    SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq time >/dev/null
}
command -v python3 >/dev/null || { echo "python3 is required" >&2; exit 2; }

if [ -n "${TAILOR_BIN:-}" ]; then
    TAILOR="$TAILOR_BIN"
else
    echo "== building tailor (release)"
    (cd "$ROOT" && cargo build --release -q -p tailor-cli)
    TAILOR="$ROOT/target/release/tailor"
fi

OUT="$WORK/out"
CMD=("$TAILOR" somatic --vcf "$VCF" --segments "$SEGMENTS" --fusions "$FUSIONS"
     --tumor-type "$TUMOR_TYPE" --out "$OUT" -q)
echo "== case $CASE ($(zcat "$VCF" | grep -vc '^#') VCF records, $(($(wc -l < "$SEGMENTS") - 1)) segments," \
     "$(($(wc -l < "$FUSIONS") - 1)) fusions), tumour type $TUMOR_TYPE"
echo "   ${CMD[*]}"

# Cold: compile the knowledge base from the sources into an empty cache folder (one run).
mkdir -p "$WORK/cold-cache"
/usr/bin/time -f "%e %M" -o "$WORK/time" env XDG_CACHE_HOME="$WORK/cold-cache" "${CMD[@]}" > /dev/null
read -r cold_wall cold_rss < "$WORK/time"
echo "   cold (knowledge base compiled from sources, one run): ${cold_wall} s, peak $((cold_rss / 1024)) MiB"

# Warm: the user's normal cache; one run first so it exists and is current.
"${CMD[@]}" > /dev/null
echo "== $RUNS warm runs, GNU time; $(nproc) cores; load average $(cut -d' ' -f1-3 /proc/loadavg)"
: > "$WORK/runs"
for _ in $(seq "$RUNS"); do
    /usr/bin/time -f "%e %U %S %M" -o "$WORK/time" "${CMD[@]}" > /dev/null 2> "$WORK/err" || {
        echo "FAILED: ${CMD[*]}" >&2; cat "$WORK/err" >&2; exit 1; }
    cat "$WORK/time" >> "$WORK/runs"
done
python3 - "$WORK/runs" <<'PY'
import statistics, sys
runs = [tuple(float(x) for x in line.split()) for line in open(sys.argv[1]) if line.strip()]
walls = sorted(r[0] for r in runs)
cpu = statistics.median(r[1] + r[2] for r in runs)
peak = max(r[3] for r in runs)
median = statistics.median(walls)
print(f"tailor somatic {len(runs)} runs: median {median:.3f} s, min {walls[0]:.2f} s, max {walls[-1]:.2f} s, "
      f"cpu (median) {cpu:.3f} s, peak {peak / 1024:.1f} MiB  "
      f"(target < 0.2 s: {'met' if walls[-1] < 0.2 else 'median met, max over' if median < 0.2 else 'MISSED'})")
PY

if command -v hyperfine >/dev/null; then
    echo "== hyperfine -N --warmup 3 --min-runs $RUNS"
    hyperfine -N --warmup 3 --min-runs "$RUNS" --style basic -n "tailor somatic $CASE" "${CMD[*]}" \
        -n "tailor kb info (KB load alone)" "$TAILOR kb info" 2>&1 | grep -v '^ *$'
else
    echo "   (hyperfine not installed: apt-get install hyperfine for mean +- sd)"
fi

echo "== where the time goes (TAILOR_TIMINGS=1, one run)"
TAILOR_TIMINGS=1 "${CMD[@]}" 2>&1 | grep -i timing || true

echo "== answer check"
tsv="$OUT/somatic.tsv"
awk -F'\t' 'NR > 1 && ($3 ~ /^I-|^II-/) {printf "   %-5s %s\n", $3, $2}' "$tsv"
echo "   $(awk -F'\t' 'NR > 1 && $3 == "III"' "$tsv" | wc -l) tier III finding(s)"
if [ "$CASE" = T001-COAD ]; then
    ok=1
    awk -F'\t' '$2 == "BRAF V600E" && $3 == "I-A"' "$tsv" | grep -q . || { echo "   MISSING: BRAF V600E at tier I-A"; ok=0; }
    for fusion in NTRK1--TPM3 EML4--ALK; do
        awk -F'\t' -v f="$fusion" '$2 == f && $3 ~ /^(I|II)-/' "$tsv" | grep -q . || { echo "   MISSING: $fusion matched"; ok=0; }
    done
    if [ "$ok" = 1 ]; then
        echo "   expected findings present: BRAF V600E (I-A); NTRK1--TPM3 and EML4--ALK matched (tier I/II)"
    fi
fi
echo "== peer: PCGR is not run here (needs its data bundle, VEP and conda/Docker); its users report" \
     "24-28 minutes for 863 variants (issue 3)"
