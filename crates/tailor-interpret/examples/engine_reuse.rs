//! What building the engines once saves: interprets one case repeatedly, either with
//! engines built for every call (`one-shot`: [`interpret_case`], what a one-shot command
//! does) or with [`Engines`] built once and reused (`reuse`: [`interpret_manifest`], what
//! the server and the cohort runner do), and prints the times and the ratio the issue
//! asks for: a later call with reused engines against the first call (engines built,
//! exon model decoded, case interpreted).
//!
//! `cargo run --release -p tailor-interpret --example engine_reuse -- reuse|one-shot CASE.yaml [RUNS] [KB]`
//!
//! KB is a compiled knowledge base (`tailor kb build --out kb.bin`); without it the
//! knowledge base is built from `TAILOR_SHARED_DATA` (or ../shared/data) first.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Instant;

use tailor_case::CaseManifest;
use tailor_interpret::{
    interpret, interpret_case, interpret_manifest, CaseInputs, Engines, InterpretOptions,
};

// The allocator of the shipped `tailor` binary (and of the server to come), so the times
// are those a user sees.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

/// Calls `call` once, then `runs` more times: the first result, the first call's time
/// and the median of the later ones, in seconds.
fn timed<T, E>(runs: usize, mut call: impl FnMut() -> Result<T, E>) -> Result<(T, f64, f64), E> {
    let t = Instant::now();
    let first = call()?;
    let first_time = t.elapsed().as_secs_f64();
    let mut later = Vec::new();
    for _ in 0..runs {
        let t = Instant::now();
        call()?;
        later.push(t.elapsed().as_secs_f64());
    }
    Ok((first, first_time, median(later)))
}

fn ms(seconds: f64) -> String {
    format!("{:.2} ms", seconds * 1000.0)
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let usage = "usage: engine_reuse reuse|one-shot CASE.yaml [RUNS] [KB]";
    let mode = args.next().ok_or(usage)?;
    let case_path = PathBuf::from(args.next().ok_or(usage)?);
    let runs: usize = args.next().map(|r| r.parse()).transpose()?.unwrap_or(20);
    let kb_path = args.next().map(PathBuf::from);
    let load = || -> Result<tailor_kb::KnowledgeBase, Box<dyn std::error::Error>> {
        Ok(match &kb_path {
            Some(path) => tailor_kb::KnowledgeBase::read(path)?,
            None => {
                let data = std::env::var_os("TAILOR_SHARED_DATA")
                    .map(PathBuf::from)
                    .unwrap_or_else(|| PathBuf::from("../shared/data"));
                tailor_kb::build(&tailor_kb::SourcePaths::from_shared_data(&data))?
            }
        })
    };
    let manifest = CaseManifest::from_path(&case_path)?;
    let options = InterpretOptions {
        generated_at: Some("2026-01-01T00:00:00Z".into()),
        ..InterpretOptions::default()
    };

    // Each half runs in a process of its own (`MODE`), so neither inherits memory the
    // other warmed up.
    match mode.as_str() {
        "one-shot" => {
            let kb = load()?;
            let (_, first, later) = timed(runs, || interpret_case(&manifest, &kb, &options))?;
            println!(
                "one-shot: first {} later {} (median of {runs}; engines built in every call)",
                ms(first),
                ms(later)
            );
        }
        "reuse" => {
            let kb = Arc::new(load()?);
            let t = Instant::now();
            let engines = Engines::new(Arc::clone(&kb))?;
            let build = t.elapsed().as_secs_f64();
            let (first, first_call, again) =
                timed(runs, || interpret_manifest(&manifest, &engines, &options))?;
            // The two paths must agree.
            let one_shot = interpret_case(&manifest, &kb, &options)?;
            let same = serde_json::to_string(&one_shot)? == serde_json::to_string(&first)?;
            println!(
                "reuse: engines {} + first call {} = {}; later {} (median of {runs}); \
                 ratio later/first {:.3}; same interpretation as one-shot: {same}",
                ms(build),
                ms(first_call),
                ms(build + first_call),
                ms(again),
                again / (build + first_call)
            );
            if !same {
                return Err("the two paths gave different interpretations".into());
            }
            // Where a later call goes: reading and parsing the files, then the engines.
            let resolver = tailor_case::resolve::DiskResolver;
            let (inputs, _, read) = timed(runs, || {
                CaseInputs::read(&manifest, &resolver, &engines, &options)
            })?;
            let (_, _, engines_only) = timed(runs, || interpret(&inputs, &engines, &options))?;
            println!(
                "split of a later call: reading {} + interpreting parsed inputs {} (medians of {runs})",
                ms(read),
                ms(engines_only)
            );
        }
        other => return Err(format!("unknown mode {other:?}: one-shot or reuse").into()),
    }
    Ok(())
}
