#!/usr/bin/env bash
# Engines built once and reused (issue 22, step 1): the bundled colorectal case
# (somatic VCF, segments, fusions, biomarkers, germline VCF with outside calls)
# interpreted in one process
#   - with engines built for every call (`interpret_case`, what a one-shot command does),
#   - with `Engines` built once and reused (`interpret_manifest`, what the server, the
#     cohort runner and the CDS service do),
# and the ratio the issue sets: a later call with reused engines against the first call
# (engines built, exon model decoded, case interpreted), target under 1/3. Both paths
# must give the same interpretation, or the script fails.
#
# The physical limit beside it: the reused call is compared with the first call of the
# same process; what remains per call is reading and interpreting the case itself.
#
# Usage: bench/engines.sh [CASE.yaml]     (default examples/colorectal/case.yaml)
# Env:   RUNS calls per process (default 30), PROCESSES per mode (default 5),
#        TAILOR_SHARED_DATA
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
CASE="${1:-$ROOT/examples/colorectal/case.yaml}"
RUNS="${RUNS:-30}"
DATA="${TAILOR_SHARED_DATA:-$ROOT/../shared/data}"
cd "$ROOT"
cargo build --release -q -p tailor-cli
cargo build --release -q -p tailor-interpret --example engine_reuse
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
"$ROOT/target/release/tailor" kb build --out "$WORK/kb.bin" --data "$DATA" >/dev/null
# Each mode runs in fresh processes (PROCESSES of them), so neither inherits memory or
# caches the other warmed up; relative paths in the manifest resolve against its folder.
PROCESSES="${PROCESSES:-5}"
BIN="$ROOT/target/release/examples/engine_reuse"
for mode in one-shot reuse; do
  for _ in $(seq "$PROCESSES"); do
    "$BIN" "$mode" "$CASE" "$RUNS" "$WORK/kb.bin" | tee -a "$WORK/$mode.txt"
  done
done
# Medians over the processes.
python3 - "$WORK" <<'PY'
import re, statistics, sys
work = sys.argv[1]
num = lambda pat, text: [float(x) for x in re.findall(pat, text)]
one = open(f"{work}/one-shot.txt").read()
reuse = open(f"{work}/reuse.txt").read()
one_first = statistics.median(num(r"first ([0-9.]+) ms", one))
one_later = statistics.median(num(r"later ([0-9.]+) ms", one))
engines = statistics.median(num(r"engines ([0-9.]+) ms", reuse))
first = statistics.median(num(r"= ([0-9.]+) ms", reuse))
later = statistics.median(num(r"later ([0-9.]+) ms", reuse))
ratios = num(r"ratio later/first ([0-9.]+)", reuse)
print(f"median over processes: one-shot first {one_first:.2f} ms, one-shot later {one_later:.2f} ms;")
print(f"  reuse: Engines::new {engines:.2f} ms, first call with engines {first:.2f} ms, later {later:.2f} ms")
print(f"  ratio later/first: median {statistics.median(ratios):.3f} (range {min(ratios):.3f}-{max(ratios):.3f}; target < 0.333)")
print(f"  engines built per call cost (one-shot later - reuse later): {one_later - later:.2f} ms")
read = statistics.median(num(r"reading ([0-9.]+) ms", reuse))
parsed = statistics.median(num(r"interpreting parsed inputs ([0-9.]+) ms", reuse))
print(f"  a later call split: reading the case {read:.2f} ms + interpreting the parsed case {parsed:.2f} ms")
PY
