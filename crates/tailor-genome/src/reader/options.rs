//! How to open a file.

/// Which samples to read genotypes for.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum SampleSelection {
    /// Every sample in the file.
    #[default]
    All,
    /// These samples (any order; duplicates ignored). Each must be in the file.
    Named(Vec<String>),
}

/// How to open a file.
///
/// The defaults read what allele matching needs (position, alleles, FILTER, GT/PS) and
/// nothing else, so a whole-genome PGx read stays at memory speed. Somatic reads ask for
/// more: the raw INFO text (for VEP CSQ / snpEff ANN and tags such as TVAF) and a few
/// FORMAT fields (AF, AD, DP...), which cost time only when asked for.
///
/// ```
/// use tailor_genome::ReaderOptions;
/// let somatic = ReaderOptions {
///     info: true,
///     format_keys: vec!["AF".into(), "AD".into(), "DP".into()],
///     ..ReaderOptions::default()
/// };
/// assert!(somatic.use_index);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReaderOptions {
    /// Samples to read.
    pub samples: SampleSelection,
    /// Use a `.tbi`/`.csi` index beside the file when there is one (default true).
    pub use_index: bool,
    /// Keep the INFO column as text in [`Site::info`](crate::Site::info) (BCF INFO is
    /// rendered as VCF text). Default false: INFO is skipped except for `END`.
    pub info: bool,
    /// FORMAT fields to keep, as text, for every selected sample (read them with
    /// [`Site::format_value`](crate::Site::format_value)). Default empty: only GT and PS
    /// are decoded. Duplicates are ignored.
    pub format_keys: Vec<String>,
    /// Accept a file whose header points to GRCh37 instead of refusing it (default
    /// false). Only for callers that then match against GRCh37 knowledge explicitly.
    pub allow_grch37: bool,
}

impl Default for ReaderOptions {
    fn default() -> Self {
        Self {
            samples: SampleSelection::All,
            use_index: true,
            info: false,
            format_keys: Vec::new(),
            allow_grch37: false,
        }
    }
}

/// What a read keeps beyond the fixed fields: resolved once from [`ReaderOptions`] and
/// shared by the VCF and BCF parsers.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct FieldRequest {
    /// Keep the INFO text.
    pub(crate) info: bool,
    /// FORMAT keys to keep, first occurrence order, without duplicates.
    pub(crate) format_keys: Vec<String>,
}

impl FieldRequest {
    pub(crate) fn from_options(options: &ReaderOptions) -> Self {
        let mut format_keys: Vec<String> = Vec::with_capacity(options.format_keys.len());
        for key in &options.format_keys {
            if !format_keys.contains(key) {
                format_keys.push(key.clone());
            }
        }
        Self {
            info: options.info,
            format_keys,
        }
    }
}
