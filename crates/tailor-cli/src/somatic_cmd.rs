//! `tailor somatic`: the somatic interpretation command.

use crate::cli::SomaticArgs;
use anyhow::{bail, Context, Result};
use std::time::Instant;
use tailor_case::resolve::DiskResolver;
use tailor_case::CaseManifest;
use tailor_core::input_file::FileProblem;
use tailor_core::somatic::{Assembly, SampleType};
use tailor_onco::engine::{OncoEngine, OncoOptions};
use tailor_onco::load::LoadOptions;
use tailor_report::AtomicFile;

/// Builds the manifest from `--case` and/or flags; flags given with a manifest override
/// its values (and say so on stderr).
fn manifest(args: &SomaticArgs) -> Result<CaseManifest> {
    let mut m = match &args.case {
        Some(path) => CaseManifest::from_path(path)?,
        None => CaseManifest::new(args.patient.clone().unwrap_or_else(|| "anonymous".into())),
    };
    if let Some(p) = &args.patient {
        m.patient = p.clone();
    }
    let s = &mut m.somatic;
    macro_rules! set {
        ($flag:expr, $field:expr) => {
            if let Some(v) = &$flag {
                $field = Some(v.clone());
            }
        };
    }
    set!(args.vcf, s.vcf);
    set!(args.tumor_sample, s.tumor_sample);
    set!(args.vaf_tag, s.vaf_tag);
    set!(args.depth_tag, s.depth_tag);
    set!(args.maf, s.maf);
    set!(args.cna, s.cna);
    set!(args.segments, s.segments);
    set!(args.fusions, s.fusions);
    set!(args.biomarkers, s.biomarkers);
    set!(args.panel_bed, s.panel_bed);
    if let Some(v) = args.panel_size_mb {
        if !(v.is_finite() && v > 0.0) {
            bail!("--panel-size-mb must be a positive number of megabases, got {v}");
        }
        s.panel_size_mb = Some(v);
    }
    set!(args.tumor_type, m.tumor_type);
    if let Some(p) = args.purity {
        if !(p > 0.0 && p <= 1.0) {
            bail!("--purity must be a fraction in (0, 1], got {p} (60% is 0.6)");
        }
        m.purity = Some(p);
    }
    if let Some(t) = &args.sample_type {
        m.sample_type = match t.to_ascii_lowercase().as_str() {
            "tissue" => SampleType::Tissue,
            "ctdna" | "cfdna" | "plasma" => SampleType::CtDna,
            other => bail!("--sample-type must be tissue or ctDNA, got `{other}`"),
        };
    }
    if let Some(a) = &args.assembly {
        m.assembly = match a.to_ascii_lowercase().as_str() {
            "grch38" | "hg38" => Assembly::GRCh38,
            "grch37" | "hg19" => Assembly::GRCh37,
            other => bail!("--assembly must be GRCh38 or GRCh37, got `{other}`"),
        };
    }
    for (what, path) in m.inputs() {
        if let Some(problem) = FileProblem::of(&std::fs::metadata(path)) {
            bail!("{}: {problem} (given as {what})", path.display());
        }
    }
    Ok(m)
}

pub(crate) fn run(args: SomaticArgs) -> Result<()> {
    let started = Instant::now();
    crate::sweep_out(&args.out);
    let m = manifest(&args)?;
    if args.out.exists() && !args.out.is_dir() {
        bail!(
            "{}: output path exists and is not a folder",
            args.out.display()
        );
    }
    let kb = crate::kb_cmd::load(&args.knowledge)?;
    let loaded = Instant::now();
    let engine = OncoEngine::new(kb.onco(), OncoOptions::default());
    // Check the tumour type before reading any file: a typo should fail fast.
    if let Some(code) = &m.tumor_type {
        engine
            .resolve_tumor_type(code)
            .with_context(|| match &args.case {
                Some(case) if args.tumor_type.is_none() => {
                    format!("{}: tumor_type", case.display())
                }
                _ => "--tumor-type".to_string(),
            })?;
    }
    let doc = tailor_interpret::interpret_somatic(
        &m,
        &DiskResolver,
        &kb,
        &engine,
        &LoadOptions {
            amp_min_copies: args.amp_min_copies,
        },
    )
    .map_err(with_flag_hint)?;
    let read = Instant::now();
    std::fs::create_dir_all(&args.out)
        .with_context(|| format!("{}: cannot create the output folder", args.out.display()))?;
    let mut json = AtomicFile::create(&args.out.join("somatic.json"))?;
    let mut tsv = AtomicFile::create(&args.out.join("somatic.tsv"))?;
    std::io::Write::write_all(json.writer(), &tailor_report::somatic::to_json(&doc)?)
        .context("writing somatic.json")?;
    std::io::Write::write_all(tsv.writer(), &tailor_report::somatic::to_tsv(&doc))
        .context("writing somatic.tsv")?;
    json.commit()?;
    tsv.commit()?;
    if std::env::var_os("TAILOR_TIMINGS").is_some() {
        eprintln!(
            "timings: knowledge {:.3} s, reading+annotation+interpretation {:.3} s, writing {:.3} s",
            (loaded - started).as_secs_f64(),
            (read - loaded).as_secs_f64(),
            read.elapsed().as_secs_f64()
        );
    }
    if !args.quiet {
        eprint!("{}", tailor_report::somatic::terminal_summary(&doc));
        eprintln!(
            "\nwrote {} and {} ({:.2} s)",
            args.out.join("somatic.json").display(),
            args.out.join("somatic.tsv").display(),
            started.elapsed().as_secs_f64()
        );
    }
    std::mem::forget(doc);
    std::mem::forget(engine);
    std::mem::forget(kb);
    Ok(())
}

/// The library names what the case must say; on the command line that is a flag, so
/// the message gains the flag as a hint.
fn with_flag_hint(e: tailor_interpret::InterpretError) -> anyhow::Error {
    use tailor_case::CaseError;
    use tailor_interpret::InterpretError::SomaticInput;
    use tailor_onco::load::LoadError;
    let hint = match &e {
        SomaticInput(LoadError::Case(CaseError::Grch37Undeclared { .. })) => {
            Some("on the command line the assembly is --assembly GRCh37")
        }
        SomaticInput(LoadError::Case(CaseError::TumorSampleNeeded { .. })) => {
            Some("on the command line the tumour sample is --tumor-sample NAME")
        }
        _ => None,
    };
    crate::with_hint(e, hint)
}
