//! Measures the bincode size of the transcript model, its deserialisation time (data plus
//! index rebuild) and the cost of lookups. Run in release:
//! `cargo run --release -p tailor-transcripts --example model_size [SHARED_DATA_DIR]`.

use std::path::PathBuf;
use std::time::Instant;

use tailor_transcripts::{TranscriptModel, TranscriptSources};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let data = std::env::args_os()
        .nth(1)
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("TAILOR_SHARED_DATA").map(PathBuf::from))
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data"));
    let t0 = Instant::now();
    let model = TranscriptModel::load(&TranscriptSources::from_shared_data(&data))?;
    println!("load from gzip sources: {:?}", t0.elapsed());

    let bytes = bincode::serialize(&model)?;
    println!(
        "bincode size: {} bytes ({:.2} MiB)",
        bytes.len(),
        bytes.len() as f64 / 1_048_576.0
    );

    let mut best = f64::MAX;
    for _ in 0..10 {
        let t = Instant::now();
        let back: TranscriptModel = bincode::deserialize(&bytes)?;
        best = best.min(t.elapsed().as_secs_f64());
        std::hint::black_box(&back);
    }
    println!(
        "deserialise + rebuild index: best of 10 = {:.1} ms",
        best * 1e3
    );

    // Lookups: annotate 1,000,000 positions spread over chr1..chr22.
    let n = 1_000_000u32;
    let t = Instant::now();
    let mut hits = 0usize;
    for i in 0..n {
        let chrom = ["1", "2", "7", "12", "17", "19"][(i % 6) as usize];
        let pos = 1 + (i.wrapping_mul(2_654_435_761) % 200_000_000);
        hits += model.annotate_raw(chrom, pos, "A", "G").len();
    }
    let el = t.elapsed();
    println!(
        "annotate_raw: {n} SNVs in {:?} ({:.0} ns each, {hits} transcript hits)",
        el,
        el.as_nanos() as f64 / f64::from(n)
    );
    let t = Instant::now();
    let mut genes = 0usize;
    for i in 0..100_000u32 {
        let pos = 1 + (i.wrapping_mul(2_654_435_761) % 150_000_000);
        genes += model.genes_overlapping("7", pos, pos + 1_000_000).count();
    }
    println!(
        "genes_overlapping: 100000 1-Mb segments in {:?} ({genes} gene hits)",
        t.elapsed()
    );
    Ok(())
}
