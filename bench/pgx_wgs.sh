#!/usr/bin/env bash
# Whole-genome benchmark for `tailor pgx` on one sample.
#
# Generates a single-sample, whole-genome-sized VCF (default 5,000,000 records, chr1..chr22
# and chrX in order) that holds every PharmCAT 3.1.1 position at its real GRCh38 coordinate
# with its real REF/ALT, and random SNPs elsewhere. At the PharmCAT positions the sample
# carries the real genotypes of one 1000 Genomes sample (default HG00096, phase removed;
# 0/0 where the 1000 Genomes files have no record), so the calls are realistic diplotypes
# rather than random combinations. Two copies are written: one bgzipped without an index
# (streamed) and one bgzipped and tabix-indexed (random access).
#
# Then, in one run, it times:
#   (a) bcftools view -H FILE | wc -l        the peer: decompress and scan every record
#   (b) tailor pgx FILE --no-index           Tailor streaming the whole file
#   (c) tailor pgx INDEXED_FILE              Tailor seeking to the gene regions via the .tbi
#   (d) bcftools view -H -R pgx.tsv INDEXED  the indexed peer: fetch the PharmCAT positions
#   (e) tailor kb info                       loading the compiled knowledge base alone
# and prints the ratios (a)/(b) and (d)/(c), each as median wall time of RUNS runs with the
# peak resident set size (GNU time). If hyperfine is installed, (c), (d) and (e) are also
# measured with hyperfine (many runs, mean +- sd), which is more precise for sub-second
# commands. If bench/vcf_stream.sh exists it is run on the same file (BENCH_READER=0 skips it).
#
# Usage: bench/pgx_wgs.sh [RECORDS]         (default 5000000)
# Env:   TAILOR_SHARED_DATA  shared data folder (default: ../shared/data from the repo root)
#        TAILOR_BENCH_DIR    keep the generated files there and reuse them next time
#                            (default: a fresh temporary directory, removed on exit)
#        RUNS                runs per command for the median (default 3)
#        BENCH_READER        1 (default) also runs bench/vcf_stream.sh on the same file
#        WGS_SAMPLE          1000 Genomes sample whose PharmCAT-position genotypes are used
# Needs: python3, bcftools, bgzip, tabix, GNU time (installed with apt-get when missing),
#        cargo (builds the release binary).
set -euo pipefail

RECORDS="${1:-5000000}"
RUNS="${RUNS:-3}"
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
DATA="${TAILOR_SHARED_DATA:-$ROOT/../shared/data}"
POSITIONS="$DATA/pgx/pharmcat-3.1.1/positions/pharmcat_positions.vcf"
COHORT="$DATA/pgx/1kgp-grch38"
WGS_SAMPLE="${WGS_SAMPLE:-HG00096}"
[ -s "$POSITIONS" ] || { echo "PharmCAT positions not found: $POSITIONS (set TAILOR_SHARED_DATA)" >&2; exit 2; }

if [ -n "${TAILOR_BENCH_DIR:-}" ]; then
    WORK="$TAILOR_BENCH_DIR"
    mkdir -p "$WORK"
else
    WORK="$(mktemp -d "${TMPDIR:-/tmp}/tailor-pgx-wgs.XXXXXX")"
    trap 'rm -rf "$WORK"' EXIT
fi
case "$WORK" in "$ROOT"/*) echo "refusing to write benchmark data inside the repository: $WORK" >&2; exit 2;; esac

# ---- peers and tools -------------------------------------------------------------------
need_apt=()
command -v bcftools >/dev/null || need_apt+=(bcftools)
command -v bgzip >/dev/null || need_apt+=(tabix)
command -v tabix >/dev/null || need_apt+=(tabix)
[ -x /usr/bin/time ] || need_apt+=(time)
if [ "${#need_apt[@]}" -gt 0 ]; then
    echo "== installing ${need_apt[*]} with apt-get"
    SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi
command -v python3 >/dev/null || { echo "python3 is required" >&2; exit 2; }

echo "== building tailor (release)"
(cd "$ROOT" && cargo build --release -q -p tailor-cli)
TAILOR="$ROOT/target/release/tailor"

# ---- data --------------------------------------------------------------------------------
STREAM="$WORK/genome.vcf.gz"          # bgzipped, no index
INDEXED="$WORK/indexed/genome.vcf.gz" # same bytes, with genome.vcf.gz.tbi beside it
if [ ! -s "$STREAM" ]; then
    echo "== generating $RECORDS records into $WORK"
    # The real genotypes of one 1000 Genomes sample at the PharmCAT positions.
    grep -v '^#' "$POSITIONS" | cut -f1,2 > "$WORK/pgx_positions.tsv"
    for f in "$COHORT"/*.vcf.gz; do
        bcftools query -s "$WGS_SAMPLE" -T "$WORK/pgx_positions.tsv" \
            -f '%CHROM\t%POS\t%REF\t%ALT\t[%GT]\n' "$f"
    done | sort -u > "$WORK/sample_genotypes.tsv"
    python3 - "$POSITIONS" "$RECORDS" "$WORK/sample_genotypes.tsv" <<'PY' | bgzip -@ 2 -c > "$STREAM.part"
import random
import re
import sys

positions_path, total, genotypes_path = sys.argv[1], int(sys.argv[2]), sys.argv[3]
rng = random.Random(20251122)
lengths = {  # GRCh38 primary assembly
    "chr1": 248956422, "chr2": 242193529, "chr3": 198295559, "chr4": 190214555,
    "chr5": 181538259, "chr6": 170805979, "chr7": 159345973, "chr8": 145138636,
    "chr9": 138394717, "chr10": 133797422, "chr11": 135086622, "chr12": 133275309,
    "chr13": 114364328, "chr14": 107043718, "chr15": 101991189, "chr16": 90338345,
    "chr17": 83257441, "chr18": 80373285, "chr19": 58617616, "chr20": 64444167,
    "chr21": 46709983, "chr22": 50818468, "chrX": 156040895,
}
# PharmCAT positions keep their own REF and ALT.
pgx = {}
for line in open(positions_path):
    if line.startswith("#"):
        continue
    f = line.rstrip("\n").split("\t")
    if f[0] in lengths:
        pgx.setdefault(f[0], {})[int(f[1])] = (f[2], f[3], f[4])
# The sample's alleles there, translated to the PharmCAT record's allele numbers; a
# multi-allelic site may come as several biallelic records, each adding its own ALT.
sample = {}
for line in open(genotypes_path):
    chrom, pos, ref, alt, gt = line.rstrip("\n").split("\t")
    site = pgx.get(chrom, {}).get(int(pos))
    if site is None or site[1] != ref:
        continue
    site_alleles = [site[1]] + site[2].split(",")
    record_alleles = [ref] + alt.split(",")
    haps = sample.setdefault((chrom, int(pos)), [0, 0])
    for i, a in enumerate(re.split(r"[|/]", gt)[:2]):
        if a not in (".", "0") and record_alleles[int(a)] in site_alleles:
            haps[i] = site_alleles.index(record_alleles[int(a)])
out = sys.stdout
out.write("##fileformat=VCFv4.2\n##source=tailor-bench/pgx_wgs.sh\n##reference=GRCh38\n")
for c, n in lengths.items():
    out.write(f"##contig=<ID={c},length={n},assembly=GRCh38>\n")
out.write('##FILTER=<ID=PASS,Description="All filters passed">\n'
          '##INFO=<ID=DP,Number=1,Type=Integer,Description="Total depth">\n'
          '##FORMAT=<ID=GT,Number=1,Type=String,Description="Genotype">\n'
          '##FORMAT=<ID=AD,Number=R,Type=Integer,Description="Allelic depths">\n'
          '##FORMAT=<ID=DP,Number=1,Type=Integer,Description="Read depth">\n'
          '##FORMAT=<ID=GQ,Number=1,Type=Integer,Description="Genotype quality">\n'
          "#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\tSAMPLE\n")
genome = sum(lengths.values())
alts = {"A": "CGT", "C": "AGT", "G": "ACT", "T": "ACG"}
bases = "ACGT"
random_gts = ["0/1"] * 6 + ["1/1"] * 3 + ["0/0"]  # a variant-heavy single-sample call set
for c, n in lengths.items():
    here = pgx.get(c, {})
    chosen = set(rng.sample(range(1, n + 1), total * n // genome))
    chosen.update(here)
    rows = []
    for pos in sorted(chosen):
        dp = rng.randint(10, 60)
        if pos in here:
            rsid, ref, alt = here[pos]
            a, b = sorted(sample.get((c, pos), [0, 0]))
            gt = f"{a}/{b}"
            depths = [0] * (alt.count(",") + 2)
            depths[a] += dp // 2
            depths[b] += dp - dp // 2
            ad = ",".join(map(str, depths))
        else:
            rsid, ref = ".", rng.choice(bases)
            alt = rng.choice(alts[ref])
            gt = rng.choice(random_gts)
            alt_reads = dp if gt == "1/1" else (0 if gt == "0/0" else dp // 2)
            ad = f"{dp - alt_reads},{alt_reads}"
        rows.append(f"{c}\t{pos}\t{rsid}\t{ref}\t{alt}\t{rng.randint(30, 3000)}\tPASS\tDP={dp}"
                    f"\tGT:AD:DP:GQ\t{gt}:{ad}:{dp}:{rng.randint(20, 99)}\n")
        if len(rows) >= 100000:
            out.write("".join(rows))
            rows.clear()
    out.write("".join(rows))
PY
    mv "$STREAM.part" "$STREAM"
fi
if [ ! -s "$INDEXED.tbi" ]; then
    mkdir -p "$(dirname "$INDEXED")"
    cp "$STREAM" "$INDEXED"
    tabix -f -p vcf "$INDEXED"
fi
# The PharmCAT positions as a region list for the indexed bcftools peer.
grep -v '^#' "$POSITIONS" | cut -f1,2 > "$WORK/pgx_positions.tsv"
echo "   $(du -h "$STREAM" | cut -f1) bgzipped; $(grep -vc '^#' "$POSITIONS") PharmCAT positions inside"

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
print(f"{label:<44} {wall:7.2f} s  cpu {user + sys_:6.2f} s  peak {peak / 1024:7.1f} MiB  "
      f"(runs: {', '.join(f'{r[0]:.2f}' for r in runs)}) {out}")
open(median_path, "w").write(f"{wall}\n")
PY
}
ratio() { python3 -c "import sys; a, b = float(sys.argv[2]), float(sys.argv[3]); print(f'{sys.argv[1]}: {a / max(b, 0.005):.1f}x')" "$@"; }

OUT="$WORK/pgx-index"
echo "== timings: $RUNS runs each, median wall; $(nproc) cores; load average $(cut -d' ' -f1-3 /proc/loadavg)"
cat "$STREAM" "$INDEXED" > /dev/null # warm the page cache so every command reads from memory
measure "(a) bcftools view -H | wc -l" sh -c "bcftools view -H '$STREAM' | wc -l"
A=$(cat "$WORK/median")
measure "(b) tailor pgx --no-index (stream)" "$TAILOR" pgx "$STREAM" --no-index --out "$WORK/pgx-stream" -q
B=$(cat "$WORK/median")
measure "(c) tailor pgx (tabix index)" "$TAILOR" pgx "$INDEXED" --out "$OUT" -q
C=$(cat "$WORK/median")
measure "(d) bcftools view -H -R positions | wc -l" sh -c "bcftools view -H -R '$WORK/pgx_positions.tsv' '$INDEXED' | wc -l"
D=$(cat "$WORK/median")
measure "(e) tailor kb info (KB load only)" "$TAILOR" kb info
ratio "stream: bcftools scan / tailor pgx --no-index  (a)/(b)" "$A" "$B"
ratio "index:  bcftools -R    / tailor pgx (indexed)  (d)/(c)" "$D" "$C"
ratio "tailor: stream / index                         (b)/(c)" "$B" "$C"
echo "   genes called: $(tail -n +2 "$OUT/pgx.tsv" | cut -f3 | grep -vc 'no call') of $(tail -n +2 "$OUT/pgx.tsv" | wc -l);" \
    "stream and index results $(cmp -s "$OUT/pgx.tsv" "$WORK/pgx-stream/pgx.tsv" && echo identical || echo DIFFER)"

if command -v hyperfine >/dev/null; then
    echo "== hyperfine (warm-up 3, at least 20 runs) for the sub-second commands"
    hyperfine -N --warmup 3 --min-runs 20 --style basic \
        -n "tailor pgx (index)" "$TAILOR pgx $INDEXED --out $OUT -q" \
        -n "bcftools view -H -R positions" "bcftools view -H -R $WORK/pgx_positions.tsv -o /dev/null $INDEXED" \
        -n "tailor kb info" "$TAILOR kb info" 2>&1 | grep -v '^ *$'
else
    echo "   (hyperfine not installed: apt-get install hyperfine for mean +- sd of the short commands)"
fi

if [ "${BENCH_READER:-1}" = 1 ] && [ -x "$ROOT/bench/vcf_stream.sh" ]; then
    echo "== bench/vcf_stream.sh on the same file (Tailor's VCF reader alone)"
    TAILOR_BENCH_DIR="$WORK" "$ROOT/bench/vcf_stream.sh" "$RECORDS" | grep -v '^== generating'
fi
