//! Mutation Annotation Format (MAF) files as written by GDC, cBioPortal, vcf2maf and the
//! TCGA legacy pipelines.
//!
//! A MAF already carries the annotation the engine needs (gene, protein change,
//! `Variant_Classification`), so the reader keeps those columns as text and translates the
//! classification into [`VariantClass`]; parsing the protein change into Tailor's
//! one-letter form is left to the HGVS parser, which is shared with VCF annotations.
//! Columns are found by name, never by position, because every producer adds, drops and
//! reorders them.

use std::io::Read;
use std::path::Path;

use tailor_core::normalize_chrom;
use tailor_core::position::parse_position;
use tailor_core::somatic::{Assembly, VariantClass};

use crate::error::{CaseError, Shown, Unquoted};
use crate::text::{check_width, is_missing, Header, Lines, Separator};

/// One row of a MAF: one allele of one somatic variant in one tumour sample.
#[derive(Debug, Clone, PartialEq)]
pub struct MafRecord {
    /// 1-based line number in the file, for messages and the evidence trail.
    pub line: usize,
    /// `Hugo_Symbol` (`Unknown` for intergenic rows, as MAF writes it).
    pub gene: String,
    /// `Chromosome`, normalised with [`tailor_core::normalize_chrom`].
    pub chrom: String,
    /// `Start_Position` (1-based; for insertions the base before the insertion).
    pub start: u64,
    /// `End_Position`, or computed from the reference allele length when the column is absent.
    pub end: u64,
    /// `Reference_Allele` (`-` for insertions), upper case.
    pub ref_allele: String,
    /// The tumour allele: `Tumor_Seq_Allele2`, or `Tumor_Seq_Allele1` when allele 2 equals
    /// the reference (some producers put the variant allele there), upper case.
    pub alt_allele: String,
    /// `Variant_Classification` in Tailor's vocabulary ([`VariantClass::Unknown`] when absent
    /// or not a MAF term).
    pub classification: VariantClass,
    /// `Variant_Classification` as written.
    pub variant_classification: Option<String>,
    /// `Variant_Type` as written (SNP, DNP, INS, DEL, ...).
    pub variant_type: Option<String>,
    /// Protein change as written: `HGVSp_Short`, else `HGVSp`, else the legacy
    /// `amino_acid_change` / `Protein_Change` columns.
    pub protein: Option<String>,
    /// `HGVSc` as written.
    pub hgvsc: Option<String>,
    /// `Transcript_ID` (legacy: `transcript_name`).
    pub transcript: Option<String>,
    /// `Exon_Number` as (exon, exon count); for a range such as `19-20/28`, the first exon.
    pub exon: Option<(u32, u32)>,
    /// `t_depth`: tumour read depth.
    pub t_depth: Option<u32>,
    /// `t_alt_count`: tumour reads with the alternate allele.
    pub t_alt_count: Option<u32>,
    /// `t_ref_count`: tumour reads with the reference allele.
    pub t_ref_count: Option<u32>,
    /// Variant allele fraction: `t_alt_count / t_depth`, or `t_alt_count / (t_alt_count +
    /// t_ref_count)` when the depth is absent or zero.
    pub vaf: Option<f64>,
    /// `Tumor_Sample_Barcode`.
    pub sample: Option<String>,
    /// `Matched_Norm_Sample_Barcode`: the normal the tumour was called against, when the
    /// producer says (a paired call is somatic by construction).
    pub normal_sample: Option<String>,
    /// `NCBI_Build` (`GRCh37`, `37`, `hg19` ... ; `GRCh38`, `38`, `hg38`).
    pub build: Option<Assembly>,
}

/// All rows of a MAF, in file order, with the tumour samples they name.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct MafTable {
    /// The rows.
    pub records: Vec<MafRecord>,
    /// Distinct `Tumor_Sample_Barcode` values in order of first appearance; a cohort MAF
    /// names many, and the engine must pick one (or refuse) rather than mix patients.
    pub samples: Vec<String>,
}

impl MafTable {
    /// The rows of one tumour, in file order: the sample the case names (it must be in
    /// the table), else every row when the table names at most one sample; a cohort MAF
    /// with no sample named is refused rather than mixing patients. A row whose
    /// `NCBI_Build` disagrees with the case's assembly is an error naming the line.
    pub fn tumour_records(
        &self,
        path: &Path,
        tumor_sample: Option<&str>,
        assembly: Assembly,
    ) -> Result<Vec<&MafRecord>, CaseError> {
        let sample = match (tumor_sample, self.samples.len()) {
            (Some(name), _) => {
                if !self.samples.iter().any(|s| s == name) {
                    return Err(CaseError::file_error(
                        path,
                        format!(
                            "tumour sample `{name}` is not in the MAF's Tumor_Sample_Barcode \
                             column ({} samples)",
                            self.samples.len()
                        ),
                    ));
                }
                Some(name)
            }
            (None, 0 | 1) => None,
            (None, n) => {
                let shown: Vec<&str> = self.samples.iter().take(5).map(String::as_str).collect();
                return Err(CaseError::TumorSampleNeeded {
                    path: path.to_path_buf(),
                    found: format!(
                        "the MAF holds {n} tumour samples (e.g. {})",
                        shown.join(", ")
                    ),
                });
            }
        };
        let mut rows = Vec::new();
        for r in &self.records {
            if let (Some(want), Some(have)) = (sample, &r.sample) {
                if want != have {
                    continue;
                }
            }
            if let Some(build) = r.build {
                if build != assembly {
                    let evidence = format!(
                        "line {}: NCBI_Build says {build} but the case is {assembly}",
                        r.line
                    );
                    return Err(if build == Assembly::GRCh37 {
                        CaseError::Grch37Undeclared {
                            path: path.to_path_buf(),
                            evidence,
                        }
                    } else {
                        CaseError::file_error(path, format!("{evidence}; fix the case's assembly"))
                    });
                }
            }
            rows.push(r);
        }
        Ok(rows)
    }
}

/// Reads a MAF file (plain or gzip).
///
/// ```no_run
/// let table = tailor_case::maf::read_maf(std::path::Path::new("calls.maf"))?;
/// for r in &table.records {
///     println!("{} {:?}", r.gene, r.protein);
/// }
/// # Ok::<(), tailor_case::CaseError>(())
/// ```
pub fn read_maf(path: &Path) -> Result<MafTable, CaseError> {
    parse(Lines::open(path)?)
}

/// Reads MAF text (plain or gzip bytes) from any reader; `source` names it in errors.
///
/// ```
/// use std::path::Path;
/// let maf = "#version 2.4\nHugo_Symbol\tChromosome\tStart_Position\tReference_Allele\tTumor_Seq_Allele2\tHGVSp_Short\n\
///            BRAF\tchr7\t140753336\tA\tT\tp.V600E\n";
/// let table = tailor_case::maf::read_maf_from(maf.as_bytes(), Path::new("mem.maf"))?;
/// assert_eq!(table.records[0].chrom, "7");
/// assert_eq!(table.records[0].protein.as_deref(), Some("p.V600E"));
/// # Ok::<(), tailor_case::CaseError>(())
/// ```
pub fn read_maf_from<R: Read + 'static>(reader: R, source: &Path) -> Result<MafTable, CaseError> {
    parse(Lines::from_reader(reader, source)?)
}

/// Column positions, found once from the header.
struct Columns {
    gene: usize,
    chrom: usize,
    start: usize,
    end: Option<usize>,
    ref_allele: usize,
    allele1: Option<usize>,
    allele2: usize,
    classification: Option<usize>,
    variant_type: Option<usize>,
    build: Option<usize>,
    /// Protein columns in order of preference.
    protein: Vec<usize>,
    hgvsc: Option<usize>,
    transcript: Option<usize>,
    exon: Option<usize>,
    t_depth: Option<usize>,
    t_alt: Option<usize>,
    t_ref: Option<usize>,
    sample: Option<usize>,
    normal_sample: Option<usize>,
}

impl Columns {
    fn from_header(header: &Header, path: &Path) -> Result<Columns, CaseError> {
        let protein = [
            "HGVSp_Short",
            "HGVSp",
            "amino_acid_change",
            "Protein_Change",
        ]
        .iter()
        .filter_map(|name| header.find(&[name]))
        .collect();
        Ok(Columns {
            gene: header.require(path, &["Hugo_Symbol"])?,
            chrom: header.require(path, &["Chromosome"])?,
            start: header.require(path, &["Start_Position", "Start_position"])?,
            end: header.find(&["End_Position", "End_position"]),
            ref_allele: header.require(path, &["Reference_Allele"])?,
            allele1: header.find(&["Tumor_Seq_Allele1"]),
            allele2: header.require(path, &["Tumor_Seq_Allele2"])?,
            classification: header.find(&["Variant_Classification"]),
            variant_type: header.find(&["Variant_Type"]),
            build: header.find(&["NCBI_Build"]),
            protein,
            hgvsc: header.find(&["HGVSc"]),
            transcript: header.find(&["Transcript_ID", "transcript_name"]),
            exon: header.find(&["Exon_Number"]),
            t_depth: header.find(&["t_depth"]),
            t_alt: header.find(&["t_alt_count"]),
            t_ref: header.find(&["t_ref_count"]),
            sample: header.find(&["Tumor_Sample_Barcode"]),
            normal_sample: header.find(&["Matched_Norm_Sample_Barcode"]),
        })
    }
}

fn parse(mut lines: Lines) -> Result<MafTable, CaseError> {
    let path = lines.path().to_path_buf();
    let header = match lines.next_content_line()? {
        None => {
            return Err(CaseError::file_error(
                &path,
                "empty MAF: no header line with a `Hugo_Symbol` column",
            ))
        }
        Some((n, line)) => {
            let fields = Separator::Tab.split(line);
            if !fields.iter().any(|f| f.eq_ignore_ascii_case("Hugo_Symbol")) {
                return Err(CaseError::line_error(
                    &path,
                    n,
                    None,
                    format!(
                        "expected the MAF header (tab-separated, starting with `Hugo_Symbol`), found {}",
                        Unquoted(fields.len())
                    ),
                ));
            }
            Header::new(&fields, n)
        }
    };
    let cols = Columns::from_header(&header, &path)?;
    let mut table = MafTable::default();
    while let Some((n, line)) = lines.next_content_line()? {
        let fields = Separator::Tab.split(line);
        check_width(&path, n, &fields, &header)?;
        let record = Row {
            path: &path,
            line: n,
            fields: &fields,
            header: &header,
        }
        .record(&cols)?;
        if let Some(s) = &record.sample {
            if !table.samples.contains(s) {
                table.samples.push(s.clone());
            }
        }
        table.records.push(record);
    }
    if table.records.is_empty() {
        return Err(CaseError::line_error(
            &path,
            header.line,
            None,
            "the MAF has a header but no variant rows",
        ));
    }
    Ok(table)
}

/// One data line with what is needed to report errors about its fields.
struct Row<'a> {
    path: &'a Path,
    line: usize,
    fields: &'a [&'a str],
    header: &'a Header,
}

impl Row<'_> {
    fn get(&self, col: usize) -> &str {
        self.fields.get(col).copied().unwrap_or("")
    }

    /// The value of an optional column, `None` when absent or a missing-value marker.
    fn opt(&self, col: Option<usize>) -> Option<&str> {
        col.map(|c| self.get(c)).filter(|v| !is_missing(v))
    }

    fn error(&self, col: usize, message: impl Into<String>) -> CaseError {
        CaseError::line_error(
            self.path,
            self.line,
            self.header.names.get(col).map(String::as_str),
            message,
        )
    }

    fn required(&self, col: usize) -> Result<&str, CaseError> {
        let v = self.get(col);
        if is_missing(v) {
            Err(self.error(col, "required value is empty"))
        } else {
            Ok(v)
        }
    }

    fn count(&self, col: Option<usize>) -> Result<Option<u32>, CaseError> {
        let (Some(c), Some(v)) = (col, self.opt(col)) else {
            return Ok(None);
        };
        v.parse::<u32>()
            .map(Some)
            .map_err(|_| self.error(c, format!("expected a read count, found {}", Shown(v))))
    }

    fn record(&self, cols: &Columns) -> Result<MafRecord, CaseError> {
        let gene = self.required(cols.gene)?.to_owned();
        let chrom = normalize_chrom(self.required(cols.chrom)?).to_owned();
        let start_text = self.required(cols.start)?;
        let start =
            parse_position(start_text).map_err(|e| self.error(cols.start, e.to_string()))?;
        let ref_allele = self.allele(cols.ref_allele)?;
        let alt2 = self
            .opt(Some(cols.allele2))
            .map(|_| self.allele(cols.allele2))
            .transpose()?;
        let alt1 = match cols.allele1 {
            Some(c) if self.opt(Some(c)).is_some() => Some(self.allele(c)?),
            _ => None,
        };
        let alt_allele = match (alt2, alt1) {
            (Some(a2), _) if a2 != ref_allele => a2,
            (_, Some(a1)) if a1 != ref_allele => a1,
            _ => {
                return Err(self.error(
                    cols.allele2,
                    "no tumour allele (Tumor_Seq_Allele2, Tumor_Seq_Allele1) differs from the reference allele",
                ))
            }
        };
        let end = match cols.end.and_then(|c| self.opt(Some(c)).map(|v| (c, v))) {
            Some((c, v)) => match parse_position(v) {
                Ok(e) if e >= start => e,
                Ok(_) => {
                    return Err(
                        self.error(c, format!("end {v} is before the start position {start}"))
                    )
                }
                Err(e) => return Err(self.error(c, e.to_string())),
            },
            // MAF convention: an insertion spans the two bases around it.
            None if ref_allele == "-" => start.saturating_add(1),
            None => start.saturating_add(ref_allele.len() as u64 - 1),
        };
        let variant_classification = self.opt(cols.classification).map(str::to_owned);
        let classification = variant_classification
            .as_deref()
            .map_or(VariantClass::Unknown, classify);
        let protein = cols
            .protein
            .iter()
            .find_map(|&c| self.opt(Some(c)))
            .map(str::to_owned);
        let exon = match cols.exon {
            Some(c) => match self.opt(Some(c)) {
                Some(v) => Some(parse_exon(v).ok_or_else(|| {
                    self.error(
                        c,
                        format!("expected `exon/total` such as `19/28`, found {}", Shown(v)),
                    )
                })?),
                None => None,
            },
            None => None,
        };
        let t_depth = self.count(cols.t_depth)?;
        let t_alt_count = self.count(cols.t_alt)?;
        let t_ref_count = self.count(cols.t_ref)?;
        let vaf = match (t_alt_count, t_depth, t_ref_count) {
            (Some(alt), Some(depth), _) if depth > 0 => Some(f64::from(alt) / f64::from(depth)),
            (Some(alt), _, Some(r)) if u64::from(alt) + u64::from(r) > 0 => {
                Some(f64::from(alt) / (f64::from(alt) + f64::from(r)))
            }
            _ => None,
        };
        let build = match cols.build {
            Some(c) => match self.opt(Some(c)) {
                Some(v) => Some(parse_build(v).ok_or_else(|| {
                    self.error(
                        c,
                        format!("unknown genome build {}; expected GRCh37 (37, hg19) or GRCh38 (38, hg38)", Shown(v)),
                    )
                })?),
                None => None,
            },
            None => None,
        };
        Ok(MafRecord {
            line: self.line,
            gene,
            chrom,
            start,
            end,
            ref_allele,
            alt_allele,
            classification,
            variant_classification,
            variant_type: self.opt(cols.variant_type).map(str::to_owned),
            protein,
            hgvsc: self.opt(cols.hgvsc).map(str::to_owned),
            transcript: self.opt(cols.transcript).map(str::to_owned),
            exon,
            t_depth,
            t_alt_count,
            t_ref_count,
            vaf,
            sample: self.opt(cols.sample).map(str::to_owned),
            normal_sample: self.opt(cols.normal_sample).map(str::to_owned),
            build,
        })
    }

    /// An allele: bases (`ACGTN`, any case) or `-`, returned upper case.
    fn allele(&self, col: usize) -> Result<String, CaseError> {
        let v = self.required(col)?;
        if v == "-" || v.bytes().all(|b| b"ACGTNacgtn".contains(&b)) {
            Ok(v.to_ascii_uppercase())
        } else {
            Err(self.error(
                col,
                format!("expected bases (A, C, G, T, N) or `-`, found {}", Shown(v)),
            ))
        }
    }
}

/// Translates a MAF `Variant_Classification` into Tailor's vocabulary.
///
/// Covers the GDC MAF terms and the older TCGA/Oncotator ones; anything else is
/// [`VariantClass::Unknown`] (the raw text is kept beside it).
///
/// ```
/// use tailor_core::somatic::VariantClass;
/// assert_eq!(tailor_case::maf::classify("In_Frame_Del"), VariantClass::InframeDeletion);
/// assert_eq!(tailor_case::maf::classify("3'UTR"), VariantClass::NonCoding);
/// ```
pub fn classify(variant_classification: &str) -> VariantClass {
    match variant_classification.trim() {
        "Missense_Mutation" | "Missense" => VariantClass::Missense,
        "Nonsense_Mutation" | "Nonsense" => VariantClass::Nonsense,
        "Frame_Shift_Del" | "Frame_Shift_Ins" | "Frame_Shift" => VariantClass::Frameshift,
        "In_Frame_Del" => VariantClass::InframeDeletion,
        "In_Frame_Ins" => VariantClass::InframeInsertion,
        "Splice_Site" | "Splice_Site_SNP" | "Splice_Site_Del" | "Splice_Site_Ins" => {
            VariantClass::SpliceSite
        }
        "Splice_Region" => VariantClass::SpliceRegion,
        "Translation_Start_Site" | "Start_Codon_SNP" | "Start_Codon_Del" | "Start_Codon_Ins" => {
            VariantClass::StartLost
        }
        "Nonstop_Mutation" | "Stop_Codon_Del" | "Stop_Codon_Ins" => VariantClass::StopLost,
        "Silent" => VariantClass::Synonymous,
        // De novo start codons are created in the 5' UTR: the protein itself is unchanged.
        "3'UTR"
        | "5'UTR"
        | "Intron"
        | "IGR"
        | "RNA"
        | "lincRNA"
        | "3'Flank"
        | "5'Flank"
        | "Targeted_Region"
        | "De_novo_Start_InFrame"
        | "De_novo_Start_OutOfFrame" => VariantClass::NonCoding,
        _ => VariantClass::Unknown,
    }
}

/// `19/28` -> (19, 28); `19-20/28` -> (19, 28).
fn parse_exon(text: &str) -> Option<(u32, u32)> {
    let (exon, total) = text.split_once('/')?;
    let first = exon.split('-').next()?;
    let exon = first.trim().parse().ok()?;
    let total = total.trim().parse().ok()?;
    (exon >= 1 && exon <= total).then_some((exon, total))
}

/// Maps an `NCBI_Build` value to an assembly.
fn parse_build(text: &str) -> Option<Assembly> {
    match text.trim().to_ascii_lowercase().as_str() {
        "grch37" | "37" | "hg19" | "b37" | "grch37-lite" | "grch37lite" => Some(Assembly::GRCh37),
        "grch38" | "38" | "hg38" | "b38" => Some(Assembly::GRCh38),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEADER: &str = "Hugo_Symbol\tNCBI_Build\tChromosome\tStart_Position\tEnd_Position\tVariant_Classification\tReference_Allele\tTumor_Seq_Allele1\tTumor_Seq_Allele2\tHGVSp_Short\tExon_Number\tt_depth\tt_alt_count\tt_ref_count\tTumor_Sample_Barcode";

    fn read(text: &str) -> Result<MafTable, CaseError> {
        read_maf_from(
            std::io::Cursor::new(text.as_bytes().to_vec()),
            Path::new("t.maf"),
        )
    }

    #[test]
    fn reads_a_row_with_all_fields() {
        let maf = format!("#version 2.4\n{HEADER}\nEGFR\t38\tchr7\t55174772\t55174786\tIn_Frame_Del\tGGAATTAAGAGAAGC\tGGAATTAAGAGAAGC\t-\tp.E746_A750del\t19/28\t200\t50\t150\tT1\n");
        let t = read(&maf).unwrap();
        let r = &t.records[0];
        assert_eq!(r.line, 3);
        assert_eq!(
            (r.chrom.as_str(), r.start, r.end),
            ("7", 55174772, 55174786)
        );
        assert_eq!(r.alt_allele, "-");
        assert_eq!(r.classification, VariantClass::InframeDeletion);
        assert_eq!(r.exon, Some((19, 28)));
        assert_eq!(r.vaf, Some(0.25));
        assert_eq!(r.build, Some(Assembly::GRCh38));
        assert_eq!(t.samples, vec!["T1".to_string()]);
    }

    #[test]
    fn allele1_is_used_when_allele2_is_the_reference() {
        let maf = format!("{HEADER}\nKRAS\tGRCh38\t12\t25245350\t25245350\tMissense_Mutation\tC\tA\tC\tp.G12V\t2/6\t.\t10\t30\tT1\n");
        let r = &read(&maf).unwrap().records[0];
        assert_eq!(r.alt_allele, "A");
        assert_eq!(r.vaf, Some(0.25), "alt / (alt + ref) when depth is missing");
    }

    #[test]
    fn bad_values_name_line_and_column() {
        let cases = [
            (
                "BRAF\t38\t7\tx140\t1\tSilent\tA\tA\tT\t.\t.\t.\t.\t.\tT",
                "column `Start_Position`",
            ),
            (
                "BRAF\t36\t7\t140\t140\tSilent\tA\tA\tT\t.\t.\t.\t.\t.\tT",
                "column `NCBI_Build`",
            ),
            (
                "BRAF\t38\t7\t140\t140\tSilent\tA\tA\tZ\t.\t.\t.\t.\t.\tT",
                "column `Tumor_Seq_Allele2`",
            ),
            (
                "BRAF\t38\t7\t140\t139\tSilent\tA\tA\tT\t.\t.\t.\t.\t.\tT",
                "column `End_Position`",
            ),
            (
                "BRAF\t38\t7\t140\t140\tSilent\tA\tA\tT\t.\tnineteen\t.\t.\t.\tT",
                "column `Exon_Number`",
            ),
            (
                "BRAF\t38\t7\t140\t140\tSilent\tA\tA\tT\t.\t.\t-1\t.\t.\tT",
                "column `t_depth`",
            ),
            (
                "BRAF\t38\t7\t140\t140\tSilent\tA\tA\tA\t.\t.\t.\t.\t.\tT",
                "differs from the reference",
            ),
            (
                "\t38\t7\t140\t140\tSilent\tA\tA\tT\t.\t.\t.\t.\t.\tT",
                "column `Hugo_Symbol`",
            ),
        ];
        for (row, want) in cases {
            let e = read(&format!("{HEADER}\n{row}\n")).unwrap_err().to_string();
            assert!(e.starts_with("t.maf:2: "), "{e}");
            assert!(e.contains(want), "{e} should contain {want}");
        }
    }

    #[test]
    fn classification_covers_the_gdc_terms() {
        for (term, class) in [
            ("Frame_Shift_Ins", VariantClass::Frameshift),
            ("Splice_Site", VariantClass::SpliceSite),
            ("Splice_Region", VariantClass::SpliceRegion),
            ("Translation_Start_Site", VariantClass::StartLost),
            ("Nonstop_Mutation", VariantClass::StopLost),
            ("Silent", VariantClass::Synonymous),
            ("De_novo_Start_OutOfFrame", VariantClass::NonCoding),
            ("IGR", VariantClass::NonCoding),
            ("Something_Else", VariantClass::Unknown),
        ] {
            assert_eq!(classify(term), class, "{term}");
        }
    }

    #[test]
    fn exon_ranges_take_the_first_exon() {
        assert_eq!(parse_exon("19-20/28"), Some((19, 28)));
        assert_eq!(parse_exon("29/28"), None);
        assert_eq!(parse_exon("19"), None);
    }

    #[test]
    fn one_tumour_is_chosen_from_a_cohort_maf() {
        let row = |gene: &str, build: &str, sample: &str| {
            format!("{gene}\t{build}\t7\t100\t100\tMissense_Mutation\tA\tA\tT\tp.V1E\t1/2\t10\t5\t5\t{sample}\n")
        };
        let maf = format!(
            "{HEADER}\n{}{}{}",
            row("BRAF", "GRCh38", "T1"),
            row("KRAS", "GRCh38", "T2"),
            row("EGFR", "GRCh38", "T1")
        );
        let t = read(&maf).unwrap();
        let path = Path::new("t.maf");
        let e = t.tumour_records(path, None, Assembly::GRCh38).unwrap_err();
        assert!(matches!(e, CaseError::TumorSampleNeeded { .. }), "{e:?}");
        assert!(
            e.to_string()
                .contains("the MAF holds 2 tumour samples (e.g. T1, T2)"),
            "{e}"
        );
        let genes: Vec<&str> = t
            .tumour_records(path, Some("T1"), Assembly::GRCh38)
            .unwrap()
            .iter()
            .map(|r| r.gene.as_str())
            .collect();
        assert_eq!(genes, ["BRAF", "EGFR"]);
        let e = t
            .tumour_records(path, Some("T3"), Assembly::GRCh38)
            .unwrap_err();
        assert_eq!(
            e.to_string(),
            "t.maf: tumour sample `T3` is not in the MAF's Tumor_Sample_Barcode column (2 samples)"
        );
        // The build of a row of the chosen tumour must agree with the case.
        let old = read(&format!("{HEADER}\n{}", row("BRAF", "37", "T1"))).unwrap();
        let e = old
            .tumour_records(path, None, Assembly::GRCh38)
            .unwrap_err();
        assert!(matches!(e, CaseError::Grch37Undeclared { .. }), "{e:?}");
        assert!(
            e.to_string()
                .starts_with("t.maf: line 2: NCBI_Build says GRCh37"),
            "{e}"
        );
        assert_eq!(
            old.tumour_records(path, None, Assembly::GRCh37)
                .unwrap()
                .len(),
            1
        );
    }
}
