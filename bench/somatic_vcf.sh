#!/usr/bin/env bash
# Whole-genome-sized somatic VCF benchmark for `tailor somatic`.
#
# Generates (seeded, so every run writes the same bytes) a single-tumour-sample somatic VCF
# of RECORDS records (default 1,000,000): chr1..chr22 and chrX in order with their GRCh38
# lengths in the header, positions increasing, about 88 % SNVs and 12 % small indels
# (1-20 bp, in-frame lengths included), FORMAT GT:AD:DP:AF with subclonal-looking VAFs and
# a caller-style INFO (DP, SOMATIC, TLOD, MQ, some with a dbSNP-like DB flag). A few real
# GRCh38 driver hotspots are placed at their coordinates so the engine has something
# actionable to find: BRAF V600E (chr7:140753336 A>T), KRAS G12D (chr12:25245350 C>T),
# PIK3CA H1047R (chr3:179234297 A>G), EGFR L858R (chr7:55191822 T>G) and
# TP53 R175H (chr17:7675088 C>T). Everything else is random, so about half of the records
# fall inside genes and ~1-2 % in coding exons, as in a real genome-wide call set
# (REF bases elsewhere are random and do not match the reference; nothing here reads FASTA).
# The file is written with bgzip and not indexed.
#
# Then, in one run, it times:
#   (a) bcftools view -H FILE | wc -l      the peer: decompress and print every record
#   (b) tailor somatic --vcf FILE --tumor-type COAD --panel-size-mb 30 --out DIR -q
#       end to end: knowledge-base load, reading, raw-VCF annotation from the MANE
#       transcripts, TMB, matching, tiering, writing somatic.json/somatic.tsv
# each as the median wall time of RUNS runs under GNU time (with peak RSS), and, when
# hyperfine is installed, again with hyperfine (mean +- sd). Prints the ratio (b)/(a);
# the issue's target is (b)/(a) <= 2. One more run of (b) with TAILOR_TIMINGS=1 shows where
# Tailor's time goes, and the script checks that the hotspots came out as findings.
#
# Usage: bench/somatic_vcf.sh [RECORDS]       (default 1000000)
# Env:   TAILOR_BENCH_DIR  keep the generated file there and reuse it next time
#                          (default: a fresh temporary directory, removed on exit)
#        RUNS              runs per command for the median (default 5)
#        HYPERFINE         1 (default) also time with hyperfine when installed; 0 skips it
#        TAILOR_BIN        use this tailor binary instead of building target/release/tailor
# Needs: python3, bcftools, bgzip, GNU time (installed with apt-get when missing), cargo.
set -euo pipefail

RECORDS="${1:-1000000}"
RUNS="${RUNS:-5}"
ROOT="$(cd "$(dirname "$0")/.." && pwd)"

if [ -n "${TAILOR_BENCH_DIR:-}" ]; then
    WORK="$TAILOR_BENCH_DIR"
    mkdir -p "$WORK"
else
    WORK="$(mktemp -d "${TMPDIR:-/tmp}/tailor-somatic-vcf.XXXXXX")"
    trap 'rm -rf "$WORK"' EXIT
fi
case "$WORK" in "$ROOT"/*) echo "refusing to write benchmark data inside the repository: $WORK" >&2; exit 2;; esac

# ---- peers and tools -------------------------------------------------------------------
need_apt=()
command -v bcftools >/dev/null || need_apt+=(bcftools)
command -v bgzip >/dev/null || need_apt+=(tabix)
[ -x /usr/bin/time ] || need_apt+=(time)
if [ "${#need_apt[@]}" -gt 0 ]; then
    echo "== installing ${need_apt[*]} with apt-get"
    SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi
command -v python3 >/dev/null || { echo "python3 is required" >&2; exit 2; }

if [ -n "${TAILOR_BIN:-}" ]; then
    TAILOR="$TAILOR_BIN"
else
    echo "== building tailor (release)"
    (cd "$ROOT" && cargo build --release -q -p tailor-cli)
    TAILOR="$ROOT/target/release/tailor"
fi

# ---- data --------------------------------------------------------------------------------
VCF="$WORK/somatic-$RECORDS.vcf.gz"
if [ ! -s "$VCF" ]; then
    echo "== generating $RECORDS somatic records into $WORK"
    start=$(date +%s.%N)
    python3 - "$RECORDS" <<'PY' | bgzip -@ 2 -c > "$VCF.part"
import random
import sys

total = int(sys.argv[1])
rng = random.Random(20251122)
lengths = {  # GRCh38 primary assembly
    "chr1": 248956422, "chr2": 242193529, "chr3": 198295559, "chr4": 190214555,
    "chr5": 181538259, "chr6": 170805979, "chr7": 159345973, "chr8": 145138636,
    "chr9": 138394717, "chr10": 133797422, "chr11": 135086622, "chr12": 133275309,
    "chr13": 114364328, "chr14": 107043718, "chr15": 101991189, "chr16": 90338345,
    "chr17": 83257441, "chr18": 80373285, "chr19": 58617616, "chr20": 64444167,
    "chr21": 46709983, "chr22": 50818468, "chrX": 156040895,
}
# Real GRCh38 hotspots (REF as in the reference genome).
hotspots = {
    ("chr7", 140753336): ("A", "T"),   # BRAF V600E
    ("chr12", 25245350): ("C", "T"),   # KRAS G12D
    ("chr3", 179234297): ("A", "G"),   # PIK3CA H1047R
    ("chr7", 55191822): ("T", "G"),    # EGFR L858R
    ("chr17", 7675088): ("C", "T"),    # TP53 R175H
}
out = sys.stdout
out.write("##fileformat=VCFv4.2\n##source=tailor-bench/somatic_vcf.sh\n##reference=GRCh38\n")
for c, n in lengths.items():
    out.write(f"##contig=<ID={c},length={n},assembly=GRCh38>\n")
out.write('##FILTER=<ID=PASS,Description="All filters passed">\n'
          '##FILTER=<ID=clustered_events,Description="Clustered events in the region">\n'
          '##FILTER=<ID=weak_evidence,Description="Mutation does not meet the likelihood threshold">\n'
          '##INFO=<ID=DP,Number=1,Type=Integer,Description="Total depth (tumour and normal)">\n'
          '##INFO=<ID=SOMATIC,Number=0,Type=Flag,Description="Somatic call">\n'
          '##INFO=<ID=TLOD,Number=A,Type=Float,Description="Tumour log odds">\n'
          '##INFO=<ID=MQ,Number=1,Type=Float,Description="RMS mapping quality">\n'
          '##INFO=<ID=DB,Number=0,Type=Flag,Description="In dbSNP">\n'
          '##FORMAT=<ID=GT,Number=1,Type=String,Description="Genotype">\n'
          '##FORMAT=<ID=AD,Number=R,Type=Integer,Description="Allelic depths">\n'
          '##FORMAT=<ID=DP,Number=1,Type=Integer,Description="Read depth">\n'
          '##FORMAT=<ID=AF,Number=A,Type=Float,Description="Variant allele fraction">\n'
          "#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\tTUMOR\n")
genome = sum(lengths.values())
bases = "ACGT"
alts = {"A": "CGT", "C": "AGT", "G": "ACT", "T": "ACG"}
# Indel lengths: mostly 1-2 bp, some 3/6/9 (in-frame), a tail up to 20.
indel_lengths = [1] * 40 + [2] * 15 + [3] * 10 + [4] * 6 + [5] * 4 + [6] * 5 + [9] * 3 + list(range(7, 21))
filters = ["PASS"] * 18 + ["clustered_events", "weak_evidence"]  # ~10 % filtered, as Mutect2 leaves them
placed = 0
names = list(lengths)
for i, (c, n) in enumerate(lengths.items()):
    # Spread the records over the genome by length; the last contig takes the remainder.
    k = total - placed if i == len(names) - 1 else total * n // genome
    here = {pos: ra for (hc, pos), ra in hotspots.items() if hc == c}
    chosen = set(rng.sample(range(1, n - 30), max(k - len(here), 0)))
    chosen.difference_update(here)
    while len(chosen) + len(here) < k:  # keep the exact count when a hotspot was drawn
        chosen.add(rng.randrange(1, n - 30))
        chosen.difference_update(here)
    chosen.update(here)
    placed += len(chosen)
    rows = []
    for pos in sorted(chosen):
        if pos in here:
            ref, alt = here[pos]
        elif rng.random() < 0.12:
            length = rng.choice(indel_lengths)
            anchor = rng.choice(bases)
            if rng.random() < 0.6:  # deletion
                ref = anchor + "".join(rng.choice(bases) for _ in range(length))
                alt = anchor
            else:
                ref = anchor
                alt = anchor + "".join(rng.choice(bases) for _ in range(length))
        else:
            ref = rng.choice(bases)
            alt = rng.choice(alts[ref])
        dp = rng.randint(20, 400)
        vaf = min(0.95, max(0.02, rng.betavariate(2, 5)))
        alt_reads = max(1, round(dp * vaf))
        info = f"DP={dp + rng.randint(15, 200)};SOMATIC;TLOD={rng.uniform(6, 400):.2f};MQ={rng.uniform(40, 60):.1f}"
        if rng.random() < 0.05:
            info += ";DB"
        rows.append(f"{c}\t{pos}\t.\t{ref}\t{alt}\t.\t{rng.choice(filters)}\t{info}"
                    f"\tGT:AD:DP:AF\t0/1:{dp - alt_reads},{alt_reads}:{dp}:{alt_reads / dp:.3f}\n")
        if len(rows) >= 100000:
            out.write("".join(rows))
            rows.clear()
    out.write("".join(rows))
PY
    mv "$VCF.part" "$VCF"
    echo "   generated in $(python3 -c "import sys,time; print(f'{time.time() - float(sys.argv[1]):.1f}')" "$start") s"
fi
echo "   $(du -h "$VCF" | cut -f1) bgzipped, $(bcftools view -H "$VCF" | wc -l) records"

# ---- measurement -------------------------------------------------------------------------
# measure LABEL CMD...: runs CMD $RUNS times under GNU time; prints the median wall time,
# the CPU time of that run and the largest peak RSS seen; leaves the median in $WORK/median.
measure() {
    local label="$1"; shift
    : > "$WORK/runs"
    for _ in $(seq "$RUNS"); do
        /usr/bin/time -f "%e %U %S %M" -o "$WORK/time" "$@" > "$WORK/out" 2> "$WORK/err" || {
            echo "FAILED: $*" >&2; cat "$WORK/err" >&2; exit 1; }
        cat "$WORK/time" >> "$WORK/runs"
    done
    python3 - "$label" "$WORK/runs" "$WORK/median" "$(tr '\n' ' ' < "$WORK/out" | cut -c1-40)" <<'PY'
import sys
label, runs_path, median_path, out = sys.argv[1:5]
runs = sorted((tuple(float(x) for x in line.split()) for line in open(runs_path) if line.strip()))
wall, user, sys_, _ = runs[len(runs) // 2]
peak = max(r[3] for r in runs)
print(f"{label:<40} {wall:7.2f} s  cpu {user + sys_:6.2f} s  peak {peak / 1024:7.1f} MiB  "
      f"(runs: {', '.join(f'{r[0]:.2f}' for r in runs)}) {out}")
open(median_path, "w").write(f"{wall}\n")
PY
}

OUT="$WORK/somatic-out"
echo "== timings: $RUNS runs each, median wall; $(nproc) cores; load average $(cut -d' ' -f1-3 /proc/loadavg)"
cat "$VCF" > /dev/null # warm the page cache so both commands read from memory
"$TAILOR" somatic --vcf "$VCF" --tumor-type COAD --panel-size-mb 30 --out "$OUT" -q # warm the KB cache
measure "(a) bcftools view -H | wc -l" sh -c "bcftools view -H '$VCF' | wc -l"
A=$(cat "$WORK/median")
measure "(b) tailor somatic (end to end)" "$TAILOR" somatic --vcf "$VCF" --tumor-type COAD --panel-size-mb 30 --out "$OUT" -q
B=$(cat "$WORK/median")
python3 -c "import sys; a, b = float(sys.argv[1]), float(sys.argv[2]); r = b / max(a, 0.005); print(f'ratio tailor/bcftools (b)/(a): {r:.2f}x  (target <= 2x: {\"met\" if r <= 2 else \"MISSED\"})')" "$A" "$B"

if [ "${HYPERFINE:-1}" = 1 ] && command -v hyperfine >/dev/null; then
    echo "== hyperfine (warm-up 1, at least $RUNS runs)"
    hyperfine --warmup 1 --min-runs "$RUNS" --style basic --export-json "$WORK/hf.json" \
        -n "bcftools view -H | wc -l" "bcftools view -H $VCF | wc -l" \
        -n "tailor somatic" "$TAILOR somatic --vcf $VCF --tumor-type COAD --panel-size-mb 30 --out $OUT -q" \
        2>&1 | grep -v '^ *$'
    python3 - "$WORK/hf.json" <<'PY'
import json, sys
r = {x["command"]: x for x in json.load(open(sys.argv[1]))["results"]}
a, b = r["bcftools view -H | wc -l"], r["tailor somatic"]
print(f"hyperfine ratio tailor/bcftools: mean {b['mean'] / a['mean']:.2f}x, median {b['median'] / a['median']:.2f}x")
PY
fi

echo "== where Tailor's time goes (TAILOR_TIMINGS=1, one run)"
TAILOR_TIMINGS=1 "$TAILOR" somatic --vcf "$VCF" --tumor-type COAD --panel-size-mb 30 --out "$OUT" -q 2>&1 | grep -i timing || true
echo "== answer check"
for hot in "BRAF V600E" "KRAS G12D" "PIK3CA H1047R" "EGFR L858R" "TP53 R175H"; do
    printf '   %-14s %s\n' "$hot" "$(awk -F'\t' -v h="$hot" '$2 == h {print "tier " $3; found=1} END {if (!found) print "NOT FOUND"}' "$OUT/somatic.tsv" | head -1)"
done
echo "   somatic.tsv: $(($(wc -l < "$OUT/somatic.tsv") - 1)) findings; somatic.json $(du -h "$OUT/somatic.json" | cut -f1)"
grep -o '"tmb"[^}]*}' "$OUT/somatic.json" | head -1 | cut -c1-300 || true
