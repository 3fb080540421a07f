//! Command-line flags. Raw flags are validated into settings before any work starts.

use clap::{Args, Parser, Subcommand};
use std::path::PathBuf;

/// Tailor: genomic test results to treatment decisions.
#[derive(Debug, Parser)]
#[command(name = "tailor", version, about, long_about = None)]
pub(crate) struct Cli {
    #[command(subcommand)]
    pub(crate) command: Command,
}

#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    /// Pharmacogenomics: VCF/BCF to diplotypes, phenotypes and CPIC/DPWG recommendations.
    Pgx(PgxArgs),
    /// Knowledge base: build the compiled artifact or show what it holds.
    Kb(KbArgs),
}

/// Where knowledge comes from (shared by every command that needs the KB).
#[derive(Debug, Args, Clone)]
pub(crate) struct KnowledgeArgs {
    /// Compiled knowledge base to use (built by `tailor kb build`). Default: the cached
    /// artifact, rebuilt from the sources when missing or stale.
    #[arg(long)]
    pub(crate) kb: Option<PathBuf>,
    /// Folder with the public knowledge sources (the `data` folder of `../shared`).
    #[arg(long)]
    pub(crate) data: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub(crate) struct PgxArgs {
    /// Input VCF/BCF files (plain, gzip or bgzip; indexed or not). Several files are
    /// merged by sample, e.g. one file per chromosome or per gene.
    #[arg(required = true)]
    pub(crate) inputs: Vec<PathBuf>,
    /// Output folder; `pgx.json` and `pgx.tsv` are written there.
    #[arg(long, short)]
    pub(crate) out: PathBuf,
    /// Call only these samples (repeat the flag for several). Default: all samples.
    #[arg(long = "sample", short = 's')]
    pub(crate) samples: Vec<String>,
    /// Gene calls made outside Tailor (PharmCAT outside-call TSV: gene, diplotype,
    /// phenotype, activity score). They replace Tailor's call for those genes.
    #[arg(long)]
    pub(crate) outside_calls: Option<PathBuf>,
    /// Treat definition positions absent from the input as homozygous reference (for
    /// variant-only VCFs from joint calling). Every assumed position is reported.
    #[arg(long)]
    pub(crate) absent_is_reference: bool,
    /// Ignore records whose FILTER is not PASS (their positions become missing).
    /// Default: use them and warn.
    #[arg(long)]
    pub(crate) require_pass: bool,
    /// Stream the whole file even when an index (.tbi/.csi) is present.
    #[arg(long)]
    pub(crate) no_index: bool,
    /// Report every feasible diplotype, not only the top-scoring ones.
    #[arg(long)]
    pub(crate) all_candidates: bool,
    /// Also call CYP2D6 from the VCF (research use only: a VCF cannot show its
    /// deletions, duplications and hybrids; clinical CYP2D6 calls belong in
    /// --outside-calls).
    #[arg(long)]
    pub(crate) research_call_cyp2d6: bool,
    /// Worker threads (0 = all cores).
    #[arg(long, default_value_t = 0)]
    pub(crate) threads: usize,
    /// Do not print the summary or progress.
    #[arg(long, short)]
    pub(crate) quiet: bool,
    #[command(flatten)]
    pub(crate) knowledge: KnowledgeArgs,
}

#[derive(Debug, Args)]
pub(crate) struct KbArgs {
    #[command(subcommand)]
    pub(crate) action: KbAction,
}

#[derive(Debug, Subcommand)]
pub(crate) enum KbAction {
    /// Compile the knowledge sources into one versioned artifact.
    Build {
        /// Where to write the artifact. Default: the cache location.
        #[arg(long)]
        out: Option<PathBuf>,
        #[command(flatten)]
        knowledge: KnowledgeArgs,
    },
    /// Show the knowledge base version and its sources.
    Info {
        #[command(flatten)]
        knowledge: KnowledgeArgs,
    },
}
