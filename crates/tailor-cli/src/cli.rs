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
    /// Somatic interpretation: tumour VCF/MAF/CNA/fusions/biomarkers to AMP/ASCO/CAP
    /// tiers, matched therapies and resistance, with an evidence trail per finding.
    Somatic(Box<SomaticArgs>),
    /// Clinical report for one case: clinician report (HTML, PDF), patient summary,
    /// FHIR Genomics Reporting bundle and interpretation.json.
    Report(ReportArgs),
    /// Knowledge base: build the compiled artifact or show what it holds.
    Kb(KbArgs),
    /// Administration of a Tailor data directory: the key, users, API tokens.
    Admin(AdminArgs),
    /// The audit trail of a Tailor data directory.
    Audit(AuditArgs),
    /// The tumour board web app: the HTTP API over a data directory (cases, uploads,
    /// engine runs, reports), with API tokens and an audit event for every access.
    Serve(Box<ServeArgs>),
}

#[derive(Debug, Args)]
pub(crate) struct ServeArgs {
    /// Address and port to listen on. Keep it on loopback behind a TLS-terminating
    /// reverse proxy; Tailor itself does not speak TLS.
    #[arg(long, default_value = "127.0.0.1:8080")]
    pub(crate) bind: std::net::SocketAddr,
    /// The largest upload of one case (all its files), in MiB.
    #[arg(long, default_value_t = 512)]
    pub(crate) max_upload_mb: usize,
    /// Sign a browser session out after this many minutes without a request.
    #[arg(long, default_value_t = 15)]
    pub(crate) idle_minutes: u64,
    #[command(flatten)]
    pub(crate) store: StoreArgs,
    #[command(flatten)]
    pub(crate) knowledge: KnowledgeArgs,
}

/// Where a data directory is and how to open it; every command that opens one takes the
/// same flags as `tailor serve`.
#[derive(Debug, Args)]
pub(crate) struct StoreArgs {
    /// The data directory (SQLite database, uploaded files, rendered reports).
    #[arg(long, default_value = "tailor-data")]
    pub(crate) data_dir: PathBuf,
    /// A PostgreSQL URL (postgres://...) to use instead of the SQLite file in the data
    /// directory.
    #[arg(long)]
    pub(crate) database: Option<String>,
    /// The installation key (64 hexadecimal digits; make one with `tailor admin
    /// new-key`). The environment variable TAILOR_KEY may hold the key instead.
    #[arg(long)]
    pub(crate) key_file: Option<PathBuf>,
    /// Use a publicly known key, for trying Tailor out with no real patient data: it
    /// protects nothing.
    #[arg(long)]
    pub(crate) dev_insecure_key: bool,
}

#[derive(Debug, Args)]
pub(crate) struct AdminArgs {
    #[command(subcommand)]
    pub(crate) action: AdminAction,
}

#[derive(Debug, Subcommand)]
pub(crate) enum AdminAction {
    /// Write a new random installation key to a file (readable by its owner only).
    NewKey {
        /// The key file to create (an existing file is never overwritten).
        #[arg(long)]
        out: PathBuf,
    },
    /// Create a user with a role, on boards (created when new); the password is read
    /// from standard input.
    AddUser {
        #[command(flatten)]
        store: StoreArgs,
        /// User name: letters, digits, '.', '_' or '-'.
        #[arg(long)]
        username: String,
        /// admin, pathologist, oncologist, pharmacist, counsellor, coordinator or viewer.
        #[arg(long)]
        role: String,
        /// A board the user belongs to (repeat for several).
        #[arg(long = "board")]
        boards: Vec<String>,
        /// Read the password from standard input (one line), never from the command line.
        #[arg(long, required = true)]
        password_stdin: bool,
    },
    /// Make an API token for a user (for pipelines); printed once, stored hashed.
    AddToken {
        #[command(flatten)]
        store: StoreArgs,
        /// The user the token acts as.
        #[arg(long)]
        username: String,
        /// What the token is for (shown to administrators).
        #[arg(long, default_value = "api")]
        label: String,
    },
}

#[derive(Debug, Args)]
pub(crate) struct AuditArgs {
    #[command(subcommand)]
    pub(crate) action: AuditAction,
}

#[derive(Debug, Subcommand)]
pub(crate) enum AuditAction {
    /// Check the hash chain of the audit trail: exit 0 when intact, 1 naming the first
    /// row that was edited, deleted, inserted or moved (2 when it cannot be checked).
    Verify {
        #[command(flatten)]
        store: StoreArgs,
    },
    /// Write the audit trail as a FHIR R4 Bundle of AuditEvent resources (IHE Basic
    /// Audit Log Patterns), for an audit repository outside the database.
    Export {
        #[command(flatten)]
        store: StoreArgs,
        /// The bundle to write (JSON).
        #[arg(long)]
        out: PathBuf,
        /// Only events after this sequence number (for incremental exports).
        #[arg(long, default_value_t = 0)]
        after: i64,
    },
}

#[derive(Debug, Args)]
pub(crate) struct ReportArgs {
    /// Case manifest (YAML): patient pseudonym, tumour type, somatic and germline files,
    /// medications, specimen, test, clinician.
    #[arg(long)]
    pub(crate) case: PathBuf,
    /// Output folder for report.html, report.pdf, patient-summary.html,
    /// report.fhir.json and interpretation.json.
    #[arg(long, short)]
    pub(crate) out: PathBuf,
    /// Do not print the summary.
    #[arg(long, short)]
    pub(crate) quiet: bool,
    #[command(flatten)]
    pub(crate) knowledge: KnowledgeArgs,
}

#[derive(Debug, Args)]
pub(crate) struct SomaticArgs {
    /// Case manifest (YAML: patient pseudonym, tumour type, purity, files). Flags below
    /// add to it or, without a manifest, describe the case on their own.
    #[arg(long)]
    pub(crate) case: Option<PathBuf>,
    /// Output folder; `somatic.json` and `somatic.tsv` are written there.
    #[arg(long, short)]
    pub(crate) out: PathBuf,
    /// Patient pseudonym (without --case; default `anonymous`). Never a real identifier.
    #[arg(long)]
    pub(crate) patient: Option<String>,
    /// Somatic VCF/BCF (plain, gzip or bgzip), tumour-only or tumour-normal.
    #[arg(long)]
    pub(crate) vcf: Option<PathBuf>,
    /// Tumour sample column of the VCF (or Tumor_Sample_Barcode of a multi-sample MAF).
    #[arg(long)]
    pub(crate) tumor_sample: Option<String>,
    /// INFO or FORMAT tag with the tumour VAF (default: FORMAT AF, INFO TVAF, or AD).
    #[arg(long)]
    pub(crate) vaf_tag: Option<String>,
    /// INFO or FORMAT tag with the tumour depth (default: FORMAT DP, INFO TDP or DP).
    #[arg(long)]
    pub(crate) depth_tag: Option<String>,
    /// MAF (GDC/cBioPortal).
    #[arg(long)]
    pub(crate) maf: Option<PathBuf>,
    /// Gene-level copy number (cBioPortal discrete -2..2, or `gene call` TSV).
    #[arg(long)]
    pub(crate) cna: Option<PathBuf>,
    /// Allele-specific copy-number segments (`Chromosome Start End nMajor nMinor`).
    #[arg(long)]
    pub(crate) segments: Option<PathBuf>,
    /// Fusions (`GENEA--GENEB` TSV, Arriba or STAR-Fusion output).
    #[arg(long)]
    pub(crate) fusions: Option<PathBuf>,
    /// Biomarkers (TSV `name value` or YAML: TMB, MSI, MMR, PD-L1 TPS/CPS, HER2 IHC/ISH, ER, PR, HRD).
    #[arg(long)]
    pub(crate) biomarkers: Option<PathBuf>,
    /// Tumour type as an OncoTree code (e.g. LUAD, COAD, BRCA).
    #[arg(long)]
    pub(crate) tumor_type: Option<String>,
    /// Tumour purity as a fraction (0-1].
    #[arg(long)]
    pub(crate) purity: Option<f64>,
    /// Sample type: tissue or ctDNA.
    #[arg(long)]
    pub(crate) sample_type: Option<String>,
    /// Assembly of the inputs: GRCh38 (default) or GRCh37 (protein-level matching only).
    #[arg(long)]
    pub(crate) assembly: Option<String>,
    /// Panel size in megabases, for TMB from the VCF/MAF.
    #[arg(long)]
    pub(crate) panel_size_mb: Option<f64>,
    /// Panel BED (0-based), for TMB (size and which variants count).
    #[arg(long)]
    pub(crate) panel_bed: Option<PathBuf>,
    /// Minimum total copies for a gene amplification from segments.
    #[arg(long, default_value_t = 6)]
    pub(crate) amp_min_copies: u32,
    /// Do not print the summary.
    #[arg(long, short)]
    pub(crate) quiet: bool,
    #[command(flatten)]
    pub(crate) knowledge: KnowledgeArgs,
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
    /// merged by sample, e.g. one file per chromosome or per gene. May be left out when
    /// --outside-calls gives the diplotypes (one person, from another caller or typing).
    #[arg(required_unless_present = "outside_calls")]
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
