#!/usr/bin/env bash
# Cohort benchmark for `tailor pgx`: the 3,202-sample 1000 Genomes (NYGC 30x, GRCh38, phased)
# gene-region files, against pypgx 0.27.0 as the peer, in one run.
#
#   1. Tailor on all 19 gene files at once (the 18 genes Tailor calls from a VCF, plus the
#      CYP2D6 file, which Tailor reads but does not call by default; there is no DPYD file):
#        tailor pgx <19 files> --absent-is-reference --out DIR -q
#   2. A subset of N samples (default 100) of CYP2C19.vcf.gz, cut with bcftools view -S:
#        tailor pgx SUBSET --absent-is-reference --out DIR -q
#        pypgx run-ngs-pipeline CYP2C19 DIR --variants SUBSET --assembly GRCh38
#              --do-not-plot-allele-fraction --force
#      The input is fully phased, so pypgx skips Beagle (its statistical phasing) and goes
#      straight to allele prediction, as Tailor does with phased input. Both tools' CYP2C19
#      diplotypes are compared sample by sample (allele order ignored).
#   3. Optional (PYPGX_BEAGLE=1): the same subset with the phase removed ('|' -> '/'), so
#      pypgx runs Beagle against the full 3,202-sample panel (--panel CYP2C19.vcf.gz); one run.
#
# Each command runs RUNS times under GNU time; the median wall time and the largest peak
# RSS are printed. Throughput is samples x genes per second: for the full run, genes = the
# 18 genes called from their own file; for the subset, genes = 1 (CYP2C19) for both tools,
# although Tailor also reports the other genes from the same input.
#
# Usage: bench/pgx_cohort.sh
# Env:   TAILOR_SHARED_DATA  shared data folder (default: ../shared/data from the repo root)
#        RUNS                runs per Tailor command (default 3)
#        PYPGX_RUNS          runs of pypgx (default 3; about 1.5 min each for 100 samples here)
#        PYPGX_SAMPLES       subset size (default 100)
#        PYPGX_BEAGLE        1 to also time pypgx with Beagle phasing (about 8 min, one run)
#        PYPGX_VENV          virtualenv for pypgx (default /tmp/tailor-bench-pypgx-venv;
#                            created with pip when missing)
#        TAILOR_BENCH_DIR    keep intermediate files there (default: a temporary directory)
# Needs: python3 (with venv), bcftools, tabix, GNU time (installed with apt-get when missing),
#        java for PYPGX_BEAGLE=1 (default-jre-headless installed with apt-get when missing).
set -euo pipefail

RUNS="${RUNS:-3}"
PYPGX_RUNS="${PYPGX_RUNS:-3}"
PYPGX_SAMPLES="${PYPGX_SAMPLES:-100}"
PYPGX_BEAGLE="${PYPGX_BEAGLE:-0}"
PYPGX_VENV="${PYPGX_VENV:-/tmp/tailor-bench-pypgx-venv}"
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
DATA="${TAILOR_SHARED_DATA:-$ROOT/../shared/data}"
COHORT="$DATA/pgx/1kgp-grch38"
# Genes Tailor calls from a VCF that have a file in the cohort folder (DPYD has none).
CALLED="ABCG2 CACNA1S CFTR CYP2B6 CYP2C19 CYP2C9 CYP3A4 CYP3A5 CYP4F2 G6PD IFNL3 NAT2 NUDT15 RYR1 SLCO1B1 TPMT UGT1A1 VKORC1"
FILES=()
for g in $CALLED CYP2D6; do
    [ -s "$COHORT/$g.vcf.gz" ] || { echo "missing $COHORT/$g.vcf.gz (set TAILOR_SHARED_DATA)" >&2; exit 2; }
    FILES+=("$COHORT/$g.vcf.gz")
done
N_GENES=$(echo "$CALLED" | wc -w)

if [ -n "${TAILOR_BENCH_DIR:-}" ]; then
    WORK="$TAILOR_BENCH_DIR"
    mkdir -p "$WORK"
else
    WORK="$(mktemp -d "${TMPDIR:-/tmp}/tailor-pgx-cohort.XXXXXX")"
    trap 'rm -rf "$WORK"' EXIT
fi
case "$WORK" in "$ROOT"/*) echo "refusing to write benchmark data inside the repository: $WORK" >&2; exit 2;; esac

# ---- peers and tools -------------------------------------------------------------------
need_apt=()
command -v bcftools >/dev/null || need_apt+=(bcftools)
command -v tabix >/dev/null || need_apt+=(tabix)
[ -x /usr/bin/time ] || need_apt+=(time)
[ "$PYPGX_BEAGLE" != 1 ] || command -v java >/dev/null || need_apt+=(default-jre-headless)
if [ "${#need_apt[@]}" -gt 0 ]; then
    echo "== installing ${need_apt[*]} with apt-get"
    SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi
command -v python3 >/dev/null || { echo "python3 is required" >&2; exit 2; }
PYPGX="$PYPGX_VENV/bin/pypgx"
if [ ! -x "$PYPGX" ]; then
    echo "== installing pypgx 0.27.0 into $PYPGX_VENV"
    python3 -m venv "$PYPGX_VENV"
    "$PYPGX_VENV/bin/pip" install -q 'pypgx==0.27.0' 'pandas<3'
fi
echo "   $("$PYPGX_VENV/bin/python" -c "from importlib.metadata import version as v; print('pypgx', v('pypgx') + ', pandas', v('pandas'))"), $(bcftools --version | sed -n 1p)"

echo "== building tailor (release)"
(cd "$ROOT" && cargo build --release -q -p tailor-cli)
TAILOR="$ROOT/target/release/tailor"
"$TAILOR" kb info > /dev/null # build the cached knowledge base now, outside the timings

# ---- measurement -------------------------------------------------------------------------
# measure LABEL RUNS CMD...: runs CMD RUNS times under GNU time; prints the median wall time,
# the CPU time of that run and the largest peak RSS; leaves the median in $WORK/median.
measure() {
    local label="$1" runs="$2"; shift 2
    : > "$WORK/runs"
    for _ in $(seq "$runs"); do
        /usr/bin/time -f "%e %U %S %M" -o "$WORK/time" "$@" > "$WORK/out" 2> "$WORK/err" || {
            echo "FAILED: $*" >&2; tail -20 "$WORK/err" >&2; exit 1; }
        cat "$WORK/time" >> "$WORK/runs"
    done
    python3 - "$label" "$WORK/runs" "$WORK/median" <<'PY'
import sys
label, runs_path, median_path = sys.argv[1:4]
runs = sorted((tuple(float(x) for x in line.split()) for line in open(runs_path) if line.strip()))
wall, user, sys_, _ = runs[len(runs) // 2]
peak = max(r[3] for r in runs)
print(f"{label:<40} {wall:8.2f} s  cpu {user + sys_:7.2f} s  peak {peak / 1024:7.1f} MiB"
      f"  (runs: {', '.join(f'{r[0]:.2f}' for r in runs)})")
open(median_path, "w").write(f"{wall}\n")
PY
}
throughput() { # label samples genes seconds
    python3 -c "import sys; n, g, s = int(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4]); print(f'   {sys.argv[1]}: {n} samples x {g} genes / {s:.2f} s = {n * g / s:,.1f} sample-genes/s')" "$@"
}

SAMPLES=$(bcftools query -l "$COHORT/CYP2C19.vcf.gz" | wc -l)
echo "== timings: $(nproc) cores; load average $(cut -d' ' -f1-3 /proc/loadavg)"
cat "${FILES[@]}" > /dev/null # warm the page cache

# 1. the full cohort
measure "tailor pgx, $SAMPLES samples, ${#FILES[@]} files" "$RUNS" \
    "$TAILOR" pgx "${FILES[@]}" --absent-is-reference --out "$WORK/tailor-full" -q
FULL=$(cat "$WORK/median")
throughput "tailor, full cohort" "$SAMPLES" "$N_GENES" "$FULL"
echo "   rows in pgx.tsv: $(tail -n +2 "$WORK/tailor-full/pgx.tsv" | wc -l)" \
    "($(tail -n +2 "$WORK/tailor-full/pgx.tsv" | cut -f2 | sort -u | wc -l) genes per sample)"

# 2. the subset: same gene, same samples, both tools
bcftools query -l "$COHORT/CYP2C19.vcf.gz" | sed -n "1,${PYPGX_SAMPLES}p" > "$WORK/subset.txt"
SUBSET="$WORK/CYP2C19.subset.vcf.gz"
bcftools view -S "$WORK/subset.txt" -Oz -o "$SUBSET" "$COHORT/CYP2C19.vcf.gz"
tabix -f -p vcf "$SUBSET"
measure "tailor pgx, $PYPGX_SAMPLES samples, CYP2C19" "$RUNS" \
    "$TAILOR" pgx "$SUBSET" --absent-is-reference --out "$WORK/tailor-subset" -q
TSUB=$(cat "$WORK/median")
measure "pypgx run-ngs-pipeline, $PYPGX_SAMPLES samples" "$PYPGX_RUNS" \
    "$PYPGX" run-ngs-pipeline CYP2C19 "$WORK/pypgx-subset" --variants "$SUBSET" \
    --assembly GRCh38 --do-not-plot-allele-fraction --force
PSUB=$(cat "$WORK/median")
throughput "tailor, CYP2C19 subset" "$PYPGX_SAMPLES" 1 "$TSUB"
throughput "pypgx,  CYP2C19 subset" "$PYPGX_SAMPLES" 1 "$PSUB"
python3 - "$PYPGX_SAMPLES" "$TSUB" "$PSUB" "$SAMPLES" "$N_GENES" "$FULL" <<'PY'
import sys
n, tsub, psub, full_n, genes, full = (float(x) for x in sys.argv[1:7])
pypgx = n / psub
print(f"   ratio, same gene and samples:  tailor {n / tsub:,.1f} / pypgx {pypgx:,.2f} = {n / tsub / pypgx:,.0f}x")
print(f"   ratio, tailor full run vs pypgx: {full_n * genes / full:,.0f} / {pypgx:,.2f} = {full_n * genes / full / pypgx:,.0f}x"
      f"  (pypgx at its subset rate would need ~{full_n * genes / pypgx / 3600:,.1f} h for the full run)")
PY

# agreement PYPGX_OUT TAILOR_OUT: how many CYP2C19 diplotypes agree (allele order ignored).
agreement() {
    rm -rf "$WORK/pypgx-results" && mkdir -p "$WORK/pypgx-results"
    (cd "$WORK/pypgx-results" && python3 -m zipfile -e "$1/results.zip" .)
    python3 - "$WORK/pypgx-results" "$2/pgx.tsv" <<'PY'
import csv, glob, sys
pypgx_dir, tailor_tsv = sys.argv[1:3]
def key(d):
    return tuple(sorted(d.split("/")))
pypgx = {}
for path in glob.glob(f"{pypgx_dir}/*/data.tsv"):
    for row in csv.DictReader(open(path), delimiter="\t"):
        pypgx[row[""]] = row["Genotype"]
tailor = {r["sample"]: r["diplotype"] for r in csv.DictReader(open(tailor_tsv), delimiter="\t")
          if r["gene"] == "CYP2C19"}
same = [s for s in pypgx if s in tailor and key(pypgx[s]) == key(tailor[s])]
print(f"   CYP2C19 diplotypes, tailor vs pypgx: {len(same)} of {len(pypgx)} samples agree")
for s in sorted(set(pypgx) - set(same))[:10]:
    print(f"     {s}: pypgx {pypgx[s]}  tailor {tailor.get(s, 'missing')}")
PY
}
agreement "$WORK/pypgx-subset" "$WORK/tailor-subset"

# 3. optional: pypgx with Beagle phasing
if [ "$PYPGX_BEAGLE" = 1 ]; then
    UNPHASED="$WORK/CYP2C19.subset.unphased.vcf.gz"
    bcftools view "$SUBSET" | awk 'BEGIN { OFS = "\t" } /^#/ { print; next } { for (i = 10; i <= NF; i++) gsub(/\|/, "/", $i); print }' \
        | bgzip -c > "$UNPHASED"
    tabix -f -p vcf "$UNPHASED"
    measure "tailor pgx, $PYPGX_SAMPLES samples, unphased" "$RUNS" \
        "$TAILOR" pgx "$UNPHASED" --absent-is-reference --out "$WORK/tailor-unphased" -q
    TUN=$(cat "$WORK/median")
    measure "pypgx + Beagle, $PYPGX_SAMPLES samples, unphased" 1 \
        "$PYPGX" run-ngs-pipeline CYP2C19 "$WORK/pypgx-unphased" --variants "$UNPHASED" \
        --panel "$COHORT/CYP2C19.vcf.gz" --assembly GRCh38 --do-not-plot-allele-fraction --force
    PUN=$(cat "$WORK/median")
    python3 -c "import sys; t, p = (float(x) for x in sys.argv[1:3]); print(f'   ratio, unphased (pypgx with Beagle): {p / t:,.0f}x')" \
        "$TUN" "$PUN"
    agreement "$WORK/pypgx-unphased" "$WORK/tailor-unphased"
fi
