//! Measures building, writing and loading the compiled knowledge base.
//!
//! `cargo run --release -p tailor-kb --example kb_timing [artifact-path]`

use std::time::Instant;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let paths = tailor_kb::default_source_paths();
    let out = std::env::args()
        .nth(1)
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| std::env::temp_dir().join("tailor-kb-timing.bin"));

    let t = Instant::now();
    let kb = tailor_kb::build(&paths)?;
    println!("build (import + validate): {:?}", t.elapsed());

    let t = Instant::now();
    kb.write(&out)?;
    println!("write: {:?}", t.elapsed());
    println!(
        "artifact: {} ({} bytes)",
        out.display(),
        std::fs::metadata(&out)?.len()
    );

    let runs = 20;
    let mut best = std::time::Duration::MAX;
    let t = Instant::now();
    for _ in 0..runs {
        let t1 = Instant::now();
        let back = tailor_kb::KnowledgeBase::read(&out)?;
        best = best.min(t1.elapsed());
        std::hint::black_box(back);
    }
    println!(
        "read: mean {:?}, best {:?} over {runs} runs",
        t.elapsed() / runs,
        best
    );
    // The oncology part alone (same encoding as the artifact payload).
    use bincode::Options;
    let onco = bincode::DefaultOptions::new().serialize(kb.onco())?;
    let mut best = std::time::Duration::MAX;
    for _ in 0..runs {
        let t1 = Instant::now();
        let back: tailor_kb::OncoKnowledge = bincode::DefaultOptions::new().deserialize(&onco)?;
        best = best.min(t1.elapsed());
        std::hint::black_box(back);
    }
    println!(
        "onco part: {} bytes, decode best {best:?} over {runs} runs",
        onco.len()
    );
    println!("onco counts: {:?}", kb.onco().counts());
    println!("version {}", kb.version());
    Ok(())
}
