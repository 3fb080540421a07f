//! The VCF header: file format, contigs, field definitions, samples, genome build.
//!
//! VCF and BCF share the same header text, so one parser serves both; BCF additionally
//! needs the order of definitions to rebuild its string and contig dictionaries.

mod build;
mod structured;

pub use build::{BuildGuess, GenomeBuild};

use crate::error::{ErrorKind, Fault, FaultResult, Location};

/// A `##contig` line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Contig {
    /// ID, as written (e.g. `chr1`).
    pub name: String,
    /// `length=`, when given.
    pub length: Option<u64>,
    /// `assembly=`, when given.
    pub assembly: Option<String>,
    /// `IDX=` (BCF dictionary position), when given.
    pub(crate) idx: Option<usize>,
}

/// The kind of a `##FILTER`, `##INFO` or `##FORMAT` definition.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DefinitionKind {
    /// `##FILTER`.
    Filter,
    /// `##INFO`.
    Info,
    /// `##FORMAT`.
    Format,
}

/// A `##FILTER`, `##INFO` or `##FORMAT` line, reduced to what readers need.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Definition {
    /// Which section.
    pub kind: DefinitionKind,
    /// `ID=`.
    pub id: String,
    /// `Number=` as written (`1`, `A`, `R`, `G`, `.`), when given (FILTER lines have none).
    pub number: Option<String>,
    /// `Type=` as written (`Integer`, `Float`, `Flag`, `Character`, `String`), when given.
    pub value_type: Option<String>,
    /// `Description=`, unquoted, when given. Annotation tools put their field lists here
    /// (VEP's `Format: Allele|Consequence|...`, snpEff's `'Allele | Annotation | ...'`).
    pub description: Option<String>,
    /// `IDX=` (BCF dictionary position), when given.
    pub(crate) idx: Option<usize>,
}

impl Definition {
    /// True for an INFO/FORMAT field declared `Type=Flag` (present or absent, no value).
    pub fn is_flag(&self) -> bool {
        self.value_type.as_deref() == Some("Flag")
    }
}

/// A parsed VCF header.
///
/// ```
/// use tailor_genome::{GenomeBuild, Header};
/// let text = "##fileformat=VCFv4.2\n##contig=<ID=chr1,length=248956422>\n\
///             #CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\tNA12878\n";
/// let header = Header::parse(text).unwrap();
/// assert_eq!(header.file_format(), "VCFv4.2");
/// assert_eq!(header.samples(), ["NA12878"]);
/// assert_eq!(header.build().build, GenomeBuild::Grch38);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Header {
    file_format: String,
    reference: Option<String>,
    contigs: Vec<Contig>,
    definitions: Vec<Definition>,
    samples: Vec<String>,
    build: BuildGuess,
    line_count: u64,
}

impl Header {
    /// Parses complete header text (meta lines and the `#CHROM` line).
    ///
    /// Errors carry the line number; this is the parser the reader itself uses.
    pub fn parse(text: &str) -> Result<Self, crate::Error> {
        let path = std::path::Path::new("<header>");
        let mut builder = HeaderBuilder::default();
        for (i, line) in text.lines().enumerate() {
            let number = i as u64 + 1;
            if let Some(header) = builder
                .push(line.as_bytes(), number)
                .map_err(|f| f.with_path(path))?
            {
                return Ok(header);
            }
        }
        Err(builder.finish_without_columns().with_path(path))
    }

    /// The `##fileformat` value, e.g. `VCFv4.2`.
    pub fn file_format(&self) -> &str {
        &self.file_format
    }

    /// The `##reference` value, when present.
    pub fn reference(&self) -> Option<&str> {
        self.reference.as_deref()
    }

    /// The `##contig` lines in order.
    pub fn contigs(&self) -> &[Contig] {
        &self.contigs
    }

    /// The `##FILTER`, `##INFO` and `##FORMAT` definitions in order.
    pub fn definitions(&self) -> &[Definition] {
        &self.definitions
    }

    /// The `##INFO` definition with this ID, if the header has one.
    ///
    /// ```
    /// use tailor_genome::Header;
    /// let text = ["##fileformat=VCFv4.2",
    ///     "##INFO=<ID=SOMATIC,Number=0,Type=Flag,Description=\"Somatic call\">",
    ///     "#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO"].join("\n");
    /// let header = Header::parse(&text).unwrap();
    /// let somatic = header.info("SOMATIC").unwrap();
    /// assert!(somatic.is_flag());
    /// assert_eq!(somatic.description.as_deref(), Some("Somatic call"));
    /// assert!(header.info("DP").is_none());
    /// ```
    pub fn info(&self, id: &str) -> Option<&Definition> {
        self.definitions
            .iter()
            .find(|d| d.kind == DefinitionKind::Info && d.id == id)
    }

    /// The `##FORMAT` definition with this ID, if the header has one.
    pub fn format(&self, id: &str) -> Option<&Definition> {
        self.definitions
            .iter()
            .find(|d| d.kind == DefinitionKind::Format && d.id == id)
    }

    /// Every sample in the `#CHROM` line, in file order.
    pub fn samples(&self) -> &[String] {
        &self.samples
    }

    /// The genome build the header points to.
    pub fn build(&self) -> &BuildGuess {
        &self.build
    }

    /// Number of header lines including `#CHROM` (so data starts at line `line_count + 1`).
    pub fn line_count(&self) -> u64 {
        self.line_count
    }
}

/// Builds a [`Header`] one line at a time, so the text reader can feed lines straight
/// from its buffer and stop at `#CHROM` without knowing the header's length in advance.
#[derive(Debug, Default)]
pub(crate) struct HeaderBuilder {
    file_format: Option<String>,
    reference: Option<String>,
    /// Where a liftover said the coordinates now are (`##new_reference_genome`, or the
    /// target of `##liftOverFile`/`##liftOverChainFile`), as `(key, value)`.
    liftover: Option<(String, String)>,
    contigs: Vec<Contig>,
    definitions: Vec<Definition>,
    /// Header bytes taken so far (lines plus their newlines).
    bytes: usize,
}

/// The largest header accepted, in bytes. Real headers are far smaller: a 500,000-sample
/// biobank VCF has a `#CHROM` line of about 6 MiB and a few hundred KiB of meta lines.
/// The cap is checked line by line, before a line is parsed, so a hostile header costs at
/// most this much reading.
pub const MAX_HEADER_BYTES: usize = 64 << 20;

/// The most sample columns accepted in one file. Above the largest biobank call sets
/// (UK Biobank, All of Us: about 500,000) with headroom; a header naming more is refused
/// before any per-sample state is built.
pub const MAX_SAMPLES: usize = 2_000_000;

const FIXED_COLUMNS: [&str; 8] = [
    "#CHROM", "POS", "ID", "REF", "ALT", "QUAL", "FILTER", "INFO",
];

impl HeaderBuilder {
    /// Takes one line (without its newline); returns the header once `#CHROM` is read.
    pub(crate) fn push(&mut self, line: &[u8], number: u64) -> FaultResult<Option<Header>> {
        let at = |message: String| Fault::at(Location::Line(number), ErrorKind::Header(message));
        self.bytes = self.bytes.saturating_add(line.len() + 1);
        if self.bytes > MAX_HEADER_BYTES {
            return Err(at(format!(
                "the header is larger than {} MiB; no VCF header is that large (is this \
                 the right file?)",
                MAX_HEADER_BYTES >> 20
            )));
        }
        let line = std::str::from_utf8(line)
            .map_err(|_| at("the line is not valid UTF-8 text".to_string()))?;
        let line = line.strip_suffix('\r').unwrap_or(line);
        if self.file_format.is_none() {
            let version = line.strip_prefix("##fileformat=").ok_or_else(|| {
                Fault::at(
                    Location::Line(number),
                    ErrorKind::NotVariantFile(format!(
                        "the first line must be ##fileformat=VCFv4.x, found {:?}",
                        shorten(line)
                    )),
                )
            })?;
            if !version.starts_with("VCFv4.") {
                return Err(at(format!(
                    "unsupported ##fileformat {version:?}; expected VCFv4.1 to VCFv4.5"
                )));
            }
            self.file_format = Some(version.to_string());
            return Ok(None);
        }
        if let Some(meta) = line.strip_prefix("##") {
            self.meta(meta).map_err(at)?;
            return Ok(None);
        }
        if line.trim().is_empty() {
            // A stray blank line carries nothing; refusing the file for it would not help.
            return Ok(None);
        }
        if line.starts_with("#CHROM") {
            let samples = columns(line).map_err(at)?;
            return Ok(Some(self.finish(samples, number)));
        }
        if line.starts_with('#') {
            return Err(at(format!(
                "expected a ##key=value line or the #CHROM column line, found {:?}",
                shorten(line)
            )));
        }
        Err(Fault::at(
            Location::Line(number),
            ErrorKind::Header(
                "data line found before the #CHROM column line; the header is incomplete"
                    .to_string(),
            ),
        ))
    }

    /// The error for input that ended before `#CHROM`.
    pub(crate) fn finish_without_columns(&self) -> Fault {
        if self.file_format.is_none() {
            Fault::new(ErrorKind::NotVariantFile(
                "no ##fileformat line".to_string(),
            ))
        } else {
            Fault::new(ErrorKind::Header(
                "the file ends before the #CHROM column line".to_string(),
            ))
        }
    }

    fn meta(&mut self, meta: &str) -> Result<(), String> {
        let (key, value) = meta
            .split_once('=')
            .ok_or_else(|| format!("expected ##key=value, found ##{}", shorten(meta)))?;
        let kind = match key {
            "reference" => {
                self.reference = Some(value.to_string());
                return Ok(());
            }
            // CrossMap and Picard write these after a liftover; they are often the only
            // trace of the build in a lifted file without contig lines. The target
            // genome wins over the chain file when both are present.
            "new_reference_genome" | "liftOverFile" | "liftOverChainFile" | "liftover_chain" => {
                if self
                    .liftover
                    .as_ref()
                    .is_none_or(|(k, _)| k != "new_reference_genome")
                {
                    self.liftover = Some((key.to_string(), value.to_string()));
                }
                return Ok(());
            }
            "contig" => None,
            "FILTER" => Some(DefinitionKind::Filter),
            "INFO" => Some(DefinitionKind::Info),
            "FORMAT" => Some(DefinitionKind::Format),
            "fileformat" => return Err("##fileformat appears twice".to_string()),
            _ => {
                // Other structured lines (ALT, SAMPLE, META, PEDIGREE...) are not used,
                // but a broken one still means a broken file.
                if value.starts_with('<') {
                    structured::parse(value).map_err(|e| format!("##{key}: {e}"))?;
                }
                return Ok(());
            }
        };
        let fields = structured::parse(value).map_err(|e| format!("##{key}: {e}"))?;
        let get = |name: &str| {
            fields
                .iter()
                .find(|(k, _)| k == name)
                .map(|(_, v)| v.as_str())
        };
        let id = get("ID")
            .filter(|id| !id.is_empty())
            .ok_or_else(|| format!("##{key} line has no ID"))?
            .to_string();
        let idx =
            match get("IDX") {
                Some(v) => Some(v.parse::<usize>().map_err(|_| {
                    format!("##{key} {id}: IDX must be a whole number, found {v:?}")
                })?),
                None => None,
            };
        match kind {
            None => {
                let length = match get("length") {
                    Some(v) => Some(v.parse::<u64>().map_err(|_| {
                        format!("##contig {id}: length must be a whole number, found {v:?}")
                    })?),
                    None => None,
                };
                let assembly = get("assembly").map(str::to_string);
                self.contigs.push(Contig {
                    name: id,
                    length,
                    assembly,
                    idx,
                });
            }
            Some(kind) => {
                let owned = |name: &str| get(name).map(str::to_string);
                self.definitions.push(Definition {
                    kind,
                    number: owned("Number"),
                    value_type: owned("Type"),
                    description: owned("Description"),
                    id,
                    idx,
                })
            }
        }
        Ok(())
    }

    fn finish(&mut self, samples: Vec<String>, line_count: u64) -> Header {
        let build = build::guess(
            &self.contigs,
            self.reference.as_deref(),
            self.liftover
                .as_ref()
                .map(|(k, v)| (k.as_str(), v.as_str())),
        );
        Header {
            file_format: self.file_format.take().unwrap_or_default(),
            reference: self.reference.take(),
            contigs: std::mem::take(&mut self.contigs),
            definitions: std::mem::take(&mut self.definitions),
            samples,
            build,
            line_count,
        }
    }
}

/// Checks the `#CHROM` line and returns its sample names.
fn columns(line: &str) -> Result<Vec<String>, String> {
    // Counted before anything is collected, so the refusal costs one scan of the line.
    let tabs = memchr_count(line.as_bytes(), b'\t');
    if tabs > MAX_SAMPLES + FIXED_COLUMNS.len() {
        return Err(format!(
            "#CHROM line names {} sample columns; at most {MAX_SAMPLES} are accepted in \
             one file (split the cohort by sample, e.g. with `bcftools view -S`)",
            tabs - FIXED_COLUMNS.len()
        ));
    }
    let cols: Vec<&str> = line.split('\t').collect();
    for (i, expected) in FIXED_COLUMNS.iter().enumerate() {
        match cols.get(i) {
            Some(found) if found == expected => {}
            Some(found) => {
                return Err(format!(
                    "#CHROM line: column {} must be {expected}, found {found:?} (columns are \
                     separated by tabs)",
                    i + 1
                ))
            }
            None => {
                return Err(format!(
                    "#CHROM line has {} tab-separated column(s); expected at least 8 \
                     (#CHROM POS ID REF ALT QUAL FILTER INFO)",
                    cols.len()
                ))
            }
        }
    }
    match cols.get(8) {
        None => return Ok(Vec::new()),
        Some(&"FORMAT") => {}
        Some(found) => {
            return Err(format!(
                "#CHROM line: column 9 must be FORMAT, found {found:?}"
            ))
        }
    }
    let samples: Vec<String> = cols[9..].iter().map(|s| s.to_string()).collect();
    let mut seen = std::collections::HashSet::new();
    for (i, sample) in samples.iter().enumerate() {
        if sample.is_empty() {
            return Err(format!("#CHROM line: sample column {} has no name", i + 1));
        }
        if !seen.insert(sample.as_str()) {
            return Err(format!("#CHROM line: sample {sample:?} appears twice"));
        }
    }
    Ok(samples)
}

fn memchr_count(bytes: &[u8], needle: u8) -> usize {
    bytes.iter().filter(|&&b| b == needle).count()
}

/// Keeps quoted garbage in messages short.
pub(crate) fn shorten(text: &str) -> String {
    const MAX: usize = 60;
    match text.char_indices().nth(MAX) {
        Some((cut, _)) => format!("{}...", &text[..cut]),
        None => text.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const COLUMNS: &str = "#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO";

    fn parse(text: &str) -> Result<Header, crate::Error> {
        Header::parse(text)
    }

    #[test]
    fn too_many_samples_are_refused_before_any_name_is_kept() {
        // One tab past the cap; names are empty, which would be an error of its own, so
        // the sample-count message coming first shows the count is checked before the
        // columns are split and collected.
        let line = format!("{COLUMNS}\tFORMAT{}", "\t".repeat(MAX_SAMPLES + 1));
        let err = columns(&line).unwrap_err();
        assert!(
            err.contains(&format!("names {} sample columns", MAX_SAMPLES + 1)),
            "{err}"
        );
        let ok = format!("{COLUMNS}\tFORMAT\tA\tB");
        assert_eq!(columns(&ok).unwrap(), vec!["A", "B"]);
    }

    #[test]
    fn header_larger_than_the_cap_stops_at_the_line_that_crosses_it() {
        let mut builder = HeaderBuilder::default();
        assert!(builder.push(b"##fileformat=VCFv4.2", 1).unwrap().is_none());
        let meta = format!("##comment={}", "x".repeat(1 << 20));
        let mut stopped_at = None;
        for n in 2..200u64 {
            if let Err(e) = builder.push(meta.as_bytes(), n) {
                assert!(
                    e.kind.to_string().contains("larger than 64 MiB"),
                    "{}",
                    e.kind
                );
                stopped_at = Some(n);
                break;
            }
        }
        // Each meta line is a little over 1 MiB, so the 64th (line 65) crosses the cap.
        assert_eq!(stopped_at, Some(65));
    }

    #[test]
    fn reads_contigs_definitions_and_samples() {
        let text = format!(
            "##fileformat=VCFv4.3\n##reference=GRCh38.fa\n\
             ##contig=<ID=chr1,length=248956422,assembly=GRCh38,IDX=0>\n\
             ##FILTER=<ID=PASS,Description=\"All filters passed\">\n\
             ##INFO=<ID=END,Number=1,Type=Integer,Description=\"End, inclusive\">\n\
             ##FORMAT=<ID=GT,Number=1,Type=String,Description=\"Genotype\">\n\
             ##ALT=<ID=NON_REF,Description=\"Any other allele\">\n\
             ##source=test\n\n{COLUMNS}\tFORMAT\tA\tB\n"
        );
        let h = parse(&text).unwrap();
        assert_eq!(h.file_format(), "VCFv4.3");
        assert_eq!(h.reference(), Some("GRCh38.fa"));
        assert_eq!(h.contigs()[0].name, "chr1");
        assert_eq!(h.contigs()[0].length, Some(248_956_422));
        assert_eq!(h.contigs()[0].idx, Some(0));
        assert_eq!(h.definitions().len(), 3);
        assert_eq!(h.definitions()[1].kind, DefinitionKind::Info);
        assert_eq!(h.definitions()[1].number.as_deref(), Some("1"));
        assert_eq!(h.definitions()[1].value_type.as_deref(), Some("Integer"));
        assert_eq!(
            h.definitions()[1].description.as_deref(),
            Some("End, inclusive")
        );
        assert_eq!(h.definitions()[0].number, None);
        assert_eq!(h.format("GT").map(|d| d.id.as_str()), Some("GT"));
        assert!(h.info("GT").is_none());
        assert_eq!(h.samples(), ["A", "B"]);
        assert_eq!(h.line_count(), 10);
    }

    #[test]
    fn sites_only_header_has_no_samples() {
        let h = parse(&format!("##fileformat=VCFv4.1\n{COLUMNS}\n")).unwrap();
        assert!(h.samples().is_empty());
        let h = parse(&format!("##fileformat=VCFv4.1\n{COLUMNS}\tFORMAT\n")).unwrap();
        assert!(h.samples().is_empty());
    }

    #[test]
    fn rejects_missing_fileformat() {
        let err = parse(&format!("{COLUMNS}\n")).unwrap_err();
        assert!(matches!(err.kind(), ErrorKind::NotVariantFile(_)), "{err}");
        assert!(err.to_string().contains("line 1"), "{err}");
    }

    #[test]
    fn rejects_malformed_lines_with_line_numbers() {
        let cases = [
            "##fileformat=VCFv4.2\n##contig=<ID=chr1,length=abc>\n",
            "##fileformat=VCFv4.2\n##INFO=<ID=DP,Number=1\n",
            "##fileformat=VCFv4.2\n##INFO=<Number=1>\n",
            "##fileformat=VCFv4.2\n##nonsense\n",
            "##fileformat=VCFv4.2\n#CHROM POS ID\n",
            "##fileformat=VCFv4.2\n#comment\n",
            "##fileformat=VCFv4.2\nchr1\t1\t.\tA\tG\t.\t.\t.\n",
        ];
        for text in cases {
            let err = parse(text).unwrap_err();
            assert!(matches!(err.kind(), ErrorKind::Header(_)), "{text}: {err}");
            assert!(err.to_string().contains("line 2"), "{text}: {err}");
        }
    }

    #[test]
    fn rejects_bad_column_lines() {
        for cols in [
            "#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER",
            "#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tSAMPLE1",
            "#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\tA\tA",
            "#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\tA\t",
        ] {
            let err = parse(&format!("##fileformat=VCFv4.2\n{cols}\n")).unwrap_err();
            assert!(matches!(err.kind(), ErrorKind::Header(_)), "{cols}: {err}");
        }
    }

    #[test]
    fn rejects_unsupported_version_and_truncated_header() {
        let err = parse("##fileformat=VCFv3.3\n").unwrap_err();
        assert!(err.to_string().contains("VCFv3.3"), "{err}");
        let err = parse("##fileformat=VCFv4.2\n##source=x\n").unwrap_err();
        assert!(err.to_string().contains("#CHROM"), "{err}");
    }
}
