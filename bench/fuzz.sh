#!/usr/bin/env bash
# Runs every fuzz target (libFuzzer through cargo-fuzz, coverage-guided) for a fixed
# number of executions each, seeded from the test fixtures and ../shared/data, and prints
# one line per target: executions, seconds, executions per second, coverage and corpus
# size. A crash, a panic, a timeout (10 s per input) or an out-of-memory (2 GiB) stops the
# target, leaves the input under the fuzz crate's artifacts/ folder and makes the script
# exit 1 after the remaining targets have run.
#
#
# It is a robustness run, not a timing: the rate column only shows how much of the input
# space a run covers in its time (seconds include cargo's start-up).
#
#   bench/fuzz.sh                # 1,000,000 executions per target (docs/validation.md)
#   FUZZ_RUNS=20000 bench/fuzz.sh   # what .ci/run does: a bounded smoke run
#
# Env:  FUZZ_RUNS           executions per target (default 1000000)
#       FUZZ_SEED           libFuzzer's random seed (default 1, so runs repeat)
#       FUZZ_TARGETS        space-separated subset, e.g. "maf protein"
#       TAILOR_SHARED_DATA  shared data folder (default: ../shared/data from the repo root)
# Needs: cargo-fuzz (`cargo install cargo-fuzz --locked`). It runs on the stable
#        toolchain with `--sanitizer none`: libFuzzer's coverage guidance works without a
#        sanitizer, and Rust's own checks (bounds, overflow in debug-asserted builds,
#        panics) are what the targets assert.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
DATA="${TAILOR_SHARED_DATA:-$ROOT/../shared/data}"
RUNS="${FUZZ_RUNS:-1000000}"
SEED="${FUZZ_SEED:-1}"
ONLY="${FUZZ_TARGETS:-}"

if ! cargo fuzz --version >/dev/null 2>&1; then
  echo "cargo-fuzz is not installed: cargo install cargo-fuzz --locked" >&2
  exit 2
fi

WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

# Seeds: real inputs of each kind. Each target gets its own copy as the starting corpus.
seed_dir() { # name files...
  local dir="$WORK/seeds/$1"
  shift
  mkdir -p "$dir"
  for f in "$@"; do
    [ -f "$f" ] && cp "$f" "$dir/"
  done
  echo "$dir"
}
CASE_FIX="$ROOT/crates/tailor-case/tests/fixtures"
PCGR="$DATA/onco/testdata/pcgr"
V2M="$DATA/onco/testdata/vcf2maf"
maf_seeds=$(seed_dir maf "$V2M/test.maf" "$V2M"/tcga_legacy_grch37/*.maf)
cna_seeds=$(seed_dir gene_cna "$CASE_FIX/data_CNA.txt")
seg_seeds=$(seed_dir segments "$PCGR/T001-BRCA.grch38.cna.tsv")
fus_seeds=$(seed_dir fusions "$CASE_FIX/arriba.fusions.tsv" \
  "$CASE_FIX/star-fusion.fusion_predictions.abridged.coding_effect.tsv" \
  "$PCGR/T001-BRCA.grch38.fusions.tsv")
bio_seeds=$(seed_dir biomarkers "$CASE_FIX/biomarkers.tsv")
printf 'tmb: 12.5\nmsi: MSI-H\npd_l1_tps: 60\nher2: positive\n' >"$bio_seeds/biomarkers.yaml"
man_seeds=$(seed_dir manifest "$CASE_FIX/case.yaml" "$ROOT/examples/colorectal/case.yaml")
vcf_seeds=$(seed_dir vcf_reader "$ROOT"/crates/tailor-genome/tests/data/*.vcf \
  "$ROOT"/crates/tailor-genome/tests/data/*.bcf "$V2M/test.vcf")
pro_seeds="$WORK/seeds/protein"
mkdir -p "$pro_seeds"
i=0
for p in p.V600E p.Val600Glu p.L858R p.E746_A750del p.A767_V769dup p.G12C p.R132H \
  p.Q61fs p.Q61Lfs*4 p.W288* p.M1? p.D770_N771insSVD p.K2926Nfs*2 p.=; do
  printf '%s' "$p" >"$pro_seeds/$i"
  i=$((i + 1))
done
ann_seeds="$WORK/seeds/annotation"
mkdir -p "$ann_seeds"
desc='Consequence annotations from Ensembl VEP. Format: Allele|Consequence|IMPACT|SYMBOL|Gene|Feature_type|Feature|BIOTYPE|EXON|INTRON|HGVSc|HGVSp|CANONICAL|MANE_SELECT|ALLELE_NUM'
csq='T|missense_variant|MODERATE|BRAF|ENSG00000157764|Transcript|ENST00000646891|protein_coding|15/18||ENST00000646891.2:c.1799T>A|ENSP00000493543.1:p.Val600Glu|YES|NM_004333.6|1'
printf '%s\0%s\0A,T' "$desc" "$csq" >"$ann_seeds/vep"
printf '%s\0%s\0C,CA' "Functional annotations: 'Allele | Annotation | Annotation_Impact | Gene_Name | Gene_ID | Feature_Type | Feature_ID | Transcript_BioType | Rank | HGVS.c | HGVS.p | cDNA.pos / cDNA.length | CDS.pos / CDS.length | AA.pos / AA.length | Distance | ERRORS / WARNINGS / INFO'" \
  'CA|frameshift_variant|HIGH|TP53|ENSG00000141510|transcript|ENST00000269305.9|protein_coding|5/11|c.524dupA|p.Arg176fs|714/2512|525/1182|175/393||' \
  >"$ann_seeds/snpeff"

# target  fuzz-crate-folder  seed-folder
TARGETS="
maf         crates/tailor-case/fuzz    $maf_seeds
gene_cna    crates/tailor-case/fuzz    $cna_seeds
segments    crates/tailor-case/fuzz    $seg_seeds
fusions     crates/tailor-case/fuzz    $fus_seeds
biomarkers  crates/tailor-case/fuzz    $bio_seeds
manifest    crates/tailor-case/fuzz    $man_seeds
annotation  crates/tailor-genome/fuzz  $ann_seeds
protein     crates/tailor-genome/fuzz  $pro_seeds
vcf_reader  fuzz                       $vcf_seeds
"

failed=()
printf '%-11s %10s %8s %10s %6s %7s  %s\n' target executions seconds exec/s cov corpus result
while read -r name crate seeds; do
  [ -z "$name" ] && continue
  if [ -n "$ONLY" ] && [[ " $ONLY " != *" $name "* ]]; then
    continue
  fi
  corpus="$WORK/corpus/$name"
  mkdir -p "$corpus"
  (cd "$ROOT/$crate" && cargo fuzz build -s none -O -a "$name" >"$WORK/$name.build.log" 2>&1) || {
    echo "build of $name failed:" >&2
    tail -20 "$WORK/$name.build.log" >&2
    exit 2
  }
  log="$WORK/$name.log"
  start=$(date +%s.%N)
  set +e
  (cd "$ROOT/$crate" && cargo fuzz run -s none -O -a "$name" "$corpus" "$seeds" -- \
    -runs="$RUNS" -seed="$SEED" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
    >"$log" 2>&1)
  status=$?
  set -e
  end=$(date +%s.%N)
  secs=$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.3f", b - a }')
  done_runs=$(grep -o 'Done [0-9]* runs' "$log" | tail -1 | grep -o '[0-9]*' || true)
  [ -z "$done_runs" ] && done_runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' || echo 0)
  cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1 | grep -o '[0-9]*' || echo 0)
  files=$(find "$corpus" -type f | wc -l)
  rate=$(awk -v n="$done_runs" -v s="$secs" 'BEGIN { if (s > 0) printf "%d", n / s; else print 0 }')
  if [ $status -eq 0 ] && [ "$done_runs" -ge "$RUNS" ]; then
    result=ok
  else
    result="FAILED (exit $status)"
    failed+=("$name")
    grep -E 'panicked|ERROR|SUMMARY|artifact' "$log" | head -8 >&2 || true
  fi
  printf '%-11s %10s %8.1f %10s %6s %7s  %s\n' "$name" "$done_runs" "$secs" "$rate" "$cov" "$files" "$result"
done <<<"$TARGETS"

if [ ${#failed[@]} -gt 0 ]; then
  echo "fuzz targets that failed: ${failed[*]} (inputs under each fuzz crate's artifacts/)" >&2
  exit 1
fi
