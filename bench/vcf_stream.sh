#!/usr/bin/env bash
# Streaming benchmark: Tailor's VCF reader vs `bcftools view -H | wc -l` on an unindexed,
# bgzipped, single-sample, whole-genome-sized VCF (~5M records) that contains every
# PharmCAT position.
#
# Usage: bench/vcf_stream.sh [RECORDS]       (default 5000000)
# Needs: python3, bgzip, bcftools, /usr/bin/time (apt-get install -y bcftools tabix time).
# Writes only to a temporary directory, removed on exit; set TAILOR_BENCH_DIR to keep the
# generated file there and reuse it on the next run.
set -euo pipefail

RECORDS="${1:-5000000}"
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
DATA="${TAILOR_SHARED_DATA:-$ROOT/../shared/data}"
POSITIONS="$DATA/pgx/pharmcat-3.1.1/positions/pharmcat_positions.vcf"
if [ -n "${TAILOR_BENCH_DIR:-}" ]; then
    WORK="$TAILOR_BENCH_DIR"
    mkdir -p "$WORK"
else
    WORK="$(mktemp -d)"
    trap 'rm -rf "$WORK"' EXIT
fi

for tool in python3 bgzip bcftools /usr/bin/time; do
    command -v "$tool" >/dev/null || { echo "missing $tool (apt-get install -y bcftools tabix time)" >&2; exit 2; }
done

VCF="$WORK/genome.vcf.gz"
if [ ! -s "$VCF" ]; then
echo "== generating $RECORDS records in $WORK"
python3 - "$POSITIONS" "$RECORDS" > "$WORK/genome.vcf" <<'PY'
import random, sys
positions_path, total = sys.argv[1], int(sys.argv[2])
random.seed(42)
lengths = {  # GRCh38 primary chromosome lengths
    "chr1": 248956422, "chr2": 242193529, "chr3": 198295559, "chr4": 190214555,
    "chr5": 181538259, "chr6": 170805979, "chr7": 159345973, "chr8": 145138636,
    "chr9": 138394717, "chr10": 133797422, "chr11": 135086622, "chr12": 133275309,
    "chr13": 114364328, "chr14": 107043718, "chr15": 101991189, "chr16": 90338345,
    "chr17": 83257441, "chr18": 80373285, "chr19": 58617616, "chr20": 64444167,
    "chr21": 46709983, "chr22": 50818468, "chrX": 156040895,
}
pgx = {}
for line in open(positions_path):
    if line.startswith("#"):
        continue
    f = line.split("\t")
    pgx.setdefault(f[0], {})[int(f[1])] = (f[3], f[4].split(",")[0])
out = sys.stdout
out.write("##fileformat=VCFv4.2\n##source=tailor-bench\n")
for c, n in lengths.items():
    out.write(f"##contig=<ID={c},length={n}>\n")
out.write('##FILTER=<ID=PASS,Description="All filters passed">\n')
out.write('##INFO=<ID=DP,Number=1,Type=Integer,Description="Depth">\n')
out.write('##INFO=<ID=AF,Number=A,Type=Float,Description="Allele frequency">\n')
out.write('##FORMAT=<ID=GT,Number=1,Type=String,Description="Genotype">\n')
out.write('##FORMAT=<ID=AD,Number=R,Type=Integer,Description="Allelic depths">\n')
out.write('##FORMAT=<ID=DP,Number=1,Type=Integer,Description="Depth">\n')
out.write('##FORMAT=<ID=GQ,Number=1,Type=Integer,Description="Genotype quality">\n')
out.write("#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\tSAMPLE\n")
genome = sum(lengths.values())
bases = "ACGT"
for c, n in lengths.items():
    count = total * n // genome
    chosen = set(random.sample(range(1, n), count))
    chosen.update(pgx.get(c, {}).keys())
    rows = []
    for pos in sorted(chosen):
        if pos in pgx.get(c, {}):
            ref, alt = pgx[c][pos]
        else:
            ref = random.choice(bases)
            alt = bases[(bases.index(ref) + random.randint(1, 3)) % 4]
        dp = random.randint(10, 60)
        alt_reads = random.randint(0, dp)
        gt = "1/1" if alt_reads > 0.8 * dp else ("0/1" if alt_reads > 0.2 * dp else "0/0")
        rows.append(f"{c}\t{pos}\t.\t{ref}\t{alt}\t{random.randint(30, 3000)}.{random.randint(0, 99)}\tPASS\t"
                    f"DP={dp};AF={alt_reads / dp:.3f}\tGT:AD:DP:GQ\t{gt}:{dp - alt_reads},{alt_reads}:{dp}:{random.randint(20, 99)}\n")
    out.write("".join(rows))
PY
bgzip -@ 2 -f "$WORK/genome.vcf"
fi
ls -l "$VCF"

echo "== building the reader (release)"
(cd "$ROOT" && cargo build --release -q -p tailor-genome --example stream_count)
READER="$ROOT/target/release/examples/stream_count"

measure() { # label, command...
    local label="$1"; shift
    /usr/bin/time -f "%e %U %S %M" -o "$WORK/time" "$@" > "$WORK/out"
    read -r secs user sys kb < "$WORK/time"
    printf '%-34s %6.2f s wall %6.2f s cpu %7d KiB peak  %s\n' "$label" "$secs" \
        "$(python3 -c "print($user + $sys)")" "$kb" "$(tr '\n' ' ' < "$WORK/out")"
    echo "$secs" > "$WORK/last"
}

echo "== timings (page cache warmed by a first read; load average: $(cut -d' ' -f1-3 /proc/loadavg))"
cat "$VCF" > /dev/null
measure "bcftools view -H | wc -l" sh -c "bcftools view -H '$VCF' | wc -l"
BCFTOOLS=$(cat "$WORK/last")
measure "tailor targets, 2 threads" "$READER" "$VCF" --targets "$POSITIONS" --threads 2
TAILOR=$(cat "$WORK/last")
measure "tailor targets, 1 thread" "$READER" "$VCF" --targets "$POSITIONS" --threads 1
measure "tailor targets, inline" "$READER" "$VCF" --targets "$POSITIONS" --threads 0
measure "tailor every record (full parse)" "$READER" "$VCF" --threads 2
python3 -c "import sys; b, t = float(sys.argv[1]), float(sys.argv[2]); print(f'speed-up over bcftools (2 threads, targets): {b / max(t, 1e-9):.1f}x')" "$BCFTOOLS" "$TAILOR"
