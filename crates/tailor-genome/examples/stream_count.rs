//! Counts the records of a VCF/BCF that overlap target positions, for benchmarking the
//! reader against `bcftools view -H | wc -l`.
//!
//! ```text
//! cargo run --release -p tailor-genome --example stream_count -- FILE [--targets POSITIONS.vcf] [--no-index] [--threads N] [--info] [--format AD,DP]
//! ```
//! Without `--targets`, every record is read (full parse). `--info` keeps the INFO text and
//! `--format` keeps those FORMAT fields (the somatic read), to measure what they cost.
//! Prints the counts and timing.

use std::path::PathBuf;
use std::time::Instant;

use tailor_genome::{ReaderOptions, Targets, VariantReader};

fn main() {
    if let Err(err) = run() {
        eprintln!("error: {err}");
        std::process::exit(2);
    }
}

fn run() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let mut file = None;
    let mut targets_file: Option<PathBuf> = None;
    let mut use_index = true;
    let mut threads = None;
    let mut info = false;
    let mut format_keys = Vec::new();
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--targets" => targets_file = args.next().map(PathBuf::from),
            "--no-index" => use_index = false,
            "--info" => info = true,
            "--format" => {
                format_keys = args
                    .next()
                    .map(|k| k.split(',').map(str::to_string).collect())
                    .unwrap_or_default()
            }
            "--threads" => threads = args.next().map(|t| t.parse::<usize>()).transpose()?,
            _ => file = Some(PathBuf::from(arg)),
        }
    }
    let file = file
        .ok_or("usage: stream_count FILE [--targets POSITIONS.vcf] [--no-index] [--threads N]")?;
    let options = ReaderOptions {
        use_index,
        info,
        format_keys,
        ..ReaderOptions::default()
    };
    let started = Instant::now();
    let mut reader = VariantReader::open(&file, &options)?;
    if let Some(problem) = reader.index_problem() {
        eprintln!("warning: {problem}");
    }
    if let Some(threads) = threads {
        reader.set_decompression_threads(threads);
    }
    let stats = match targets_file {
        Some(path) => {
            let mut targets = Targets::new();
            let mut positions = VariantReader::open(&path, &ReaderOptions::default())?;
            positions.read_all(|site| targets.add(&site.chrom, site.pos, site.end))?;
            reader.read_targets(&targets, |_| {})?
        }
        None => reader.read_all(|_| {})?,
    };
    println!(
        "scanned {} matched {} used_index {} blocks {} seconds {:.3}",
        stats.records_scanned,
        stats.records_matched,
        stats.used_index,
        stats.blocks_decompressed,
        started.elapsed().as_secs_f64()
    );
    Ok(())
}
