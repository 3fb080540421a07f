//! A tumour's small variants from a VCF/BCF: sample choice, assembly check, allele
//! fraction and depth, and the annotation the caller's pipeline wrote (VEP `CSQ`,
//! snpEff `ANN`).
//!
//! What this reader decides, so that every caller decides it the same way:
//! - which sample is the tumour: the one the case names, else the only sample, else the
//!   only sample whose name says tumour; anything else is an error listing the samples;
//! - whether the file's assembly agrees with the case's (a GRCh37 file in a GRCh38 case
//!   is refused, never matched against GRCh38 keys);
//! - which fields carry allele fraction and depth: the tags the case names (each must be
//!   an INFO or FORMAT field of the header), else FORMAT `AF`, INFO `TVAF`, then the
//!   ratio from FORMAT `AD`; depth from FORMAT `DP`, INFO `TDP`, INFO `DP`;
//! - that only PASS records are used (a record with no FILTER verdict, `.`, is not known
//!   to have passed); the others are counted.
//!
//! What it leaves to the somatic engine: the choice among the annotated transcripts,
//! the protein change's meaning, and any annotation from Tailor's own models.

use std::path::Path;

use tailor_core::normalize_chrom;
use tailor_core::somatic::Assembly;
use tailor_genome::annotation::{AnnotationSchema, AnnotationSource, TranscriptConsequence};
use tailor_genome::{
    DefinitionKind, GenomeBuild, ReaderOptions, SampleSelection, Site, VariantInput,
};

use crate::error::CaseError;

/// What the case says about its tumour VCF.
#[derive(Debug, Clone, Default)]
pub struct TumourVcfOptions {
    /// The tumour sample's name, when the case names it.
    pub tumor_sample: Option<String>,
    /// Tag of the allele fraction, when the case names it.
    pub vaf_tag: Option<String>,
    /// Tag of the read depth, when the case names it.
    pub depth_tag: Option<String>,
    /// The case's assembly.
    pub assembly: Assembly,
}

/// One ALT allele of a PASS record (symbolic and spanning-deletion alleles are skipped).
#[derive(Debug)]
pub struct TumourAllele<'a> {
    /// Chromosome, normalised (`chr7` -> `7`).
    pub chrom: &'a str,
    /// 1-based position.
    pub pos: u64,
    /// REF.
    pub ref_allele: &'a str,
    /// This ALT.
    pub alt: &'a str,
    /// Index of this ALT among the record's ALTs (0-based).
    pub alt_index: usize,
    /// Tumour allele fraction, when the file gives it.
    pub vaf: Option<f64>,
    /// Tumour read depth, when the file gives it.
    pub depth: Option<u32>,
    /// Where the record is: its 1-based line in a text VCF (header lines count), its
    /// record number in a BCF.
    pub record: u64,
    /// The tool whose annotation the file carries, when it carries one.
    pub annotated_by: Option<AnnotationSource>,
    /// Every transcript consequence the file's annotation gives for the record (all
    /// ALTs; each carries its `alt_index`).
    pub consequences: &'a [TranscriptConsequence],
}

/// What was read.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct TumourVcfSummary {
    /// Records in the file.
    pub records: u64,
    /// Records used (PASS).
    pub used: u64,
    /// Records left out by their FILTER (failed, or `.`).
    pub filtered: u64,
    /// The annotation the file carries, when it carries one.
    pub annotation: Option<AnnotationSource>,
    /// The file holds other samples beside the tumour (a tumour-normal call, whose
    /// variants the caller judged somatic against the normal).
    pub matched_normal: bool,
}

/// Which allele-fraction and depth fields a VCF offers, chosen once from its header.
#[derive(Debug, Default)]
struct VafSource {
    vaf_info: Option<String>,
    vaf_format: Option<String>,
    depth_info: Option<String>,
    depth_format: Option<String>,
    ad_format: Option<String>,
}

/// Reads the tumour's alleles, calling `each` for every ALT of every PASS record in file
/// order; `path` names the input in errors.
///
/// ```
/// use std::path::Path;
/// use tailor_case::tumour_vcf::{read_tumour_vcf, TumourVcfOptions};
/// use tailor_genome::VariantInput;
/// let vcf = concat!(
///     "##fileformat=VCFv4.2\n##contig=<ID=chr7,length=159345973>\n",
///     "##FORMAT=<ID=AF,Number=A,Type=Float,Description=\"VAF\">\n",
///     "#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\tTUMOR\n",
///     "chr7\t140753336\t.\tA\tT\t.\tPASS\t.\tAF\t0.31\n",
/// );
/// let input = VariantInput::Bytes { name: "t.vcf".into(), bytes: vcf.as_bytes().into() };
/// let mut seen = Vec::new();
/// let summary = read_tumour_vcf(Path::new("t.vcf"), input, &TumourVcfOptions::default(), |a| {
///     seen.push((a.chrom.to_string(), a.pos, a.alt.to_string(), a.vaf));
/// })?;
/// assert_eq!(seen, [("7".to_string(), 140753336, "T".to_string(), Some(0.31))]);
/// assert_eq!((summary.records, summary.used, summary.matched_normal), (1, 1, false));
/// # Ok::<(), tailor_case::CaseError>(())
/// ```
pub fn read_tumour_vcf(
    path: &Path,
    source: VariantInput,
    options: &TumourVcfOptions,
    mut each: impl FnMut(TumourAllele<'_>),
) -> Result<TumourVcfSummary, CaseError> {
    let input = |message: String| CaseError::File {
        path: path.to_path_buf(),
        message,
    };
    // Sample choice needs the header first: open once, look, then reselect.
    let mut reader = source.open(&ReaderOptions {
        use_index: false,
        allow_grch37: true,
        ..ReaderOptions::default()
    })?;
    let header = reader.header().clone();
    let build = header.build().clone();
    match (build.build, options.assembly) {
        (GenomeBuild::Grch37, Assembly::GRCh38) => {
            return Err(CaseError::Grch37Undeclared {
                path: path.to_path_buf(),
                evidence: format!("the file looks like GRCh37 ({})", build.evidence),
            })
        }
        (GenomeBuild::Grch38, Assembly::GRCh37) => {
            return Err(input(format!(
                "the case says GRCh37 but the file looks like GRCh38 ({})",
                build.evidence
            )))
        }
        _ => {}
    }
    let samples = header.samples().to_vec();
    let sample = match (&options.tumor_sample, samples.len()) {
        (Some(name), _) => {
            if !samples.contains(name) {
                return Err(input(format!(
                    "tumour sample `{name}` is not in the file (samples: {})",
                    samples.join(", ")
                )));
            }
            Some(name.clone())
        }
        (None, 0) => None,
        (None, 1) => Some(samples[0].clone()),
        (None, _) => {
            let tumour: Vec<&String> = samples
                .iter()
                .filter(|n| {
                    let l = n.to_ascii_lowercase();
                    l.contains("tumor") || l.contains("tumour")
                })
                .collect();
            if tumour.len() == 1 {
                Some(tumour[0].clone())
            } else {
                return Err(CaseError::TumorSampleNeeded {
                    path: path.to_path_buf(),
                    found: format!(
                        "the file has {} samples ({})",
                        samples.len(),
                        samples.join(", ")
                    ),
                });
            }
        }
    };
    let defined = |key: &str, kind: DefinitionKind| {
        header
            .definitions()
            .iter()
            .any(|d| d.kind == kind && d.id == key)
    };
    use DefinitionKind::{Format, Info};
    // A tag given by the case must exist (as INFO or FORMAT); otherwise the first
    // default the header defines is used. Returns (FORMAT tag, INFO tag).
    let resolve = |what: &str,
                   given: Option<&String>,
                   defaults: &[(&str, DefinitionKind)]|
     -> Result<(Option<String>, Option<String>), CaseError> {
        if let Some(tag) = given {
            return if defined(tag, Format) {
                Ok((Some(tag.clone()), None))
            } else if defined(tag, Info) {
                Ok((None, Some(tag.clone())))
            } else {
                Err(input(format!(
                    "{what} tag `{tag}` is neither an INFO nor a FORMAT field of the header"
                )))
            };
        }
        Ok(defaults
            .iter()
            .find(|(tag, kind)| defined(tag, *kind))
            .map(|(tag, kind)| match kind {
                Format => (Some(tag.to_string()), None),
                _ => (None, Some(tag.to_string())),
            })
            .unwrap_or((None, None)))
    };
    let (vaf_format, vaf_info) = resolve(
        "VAF",
        options.vaf_tag.as_ref(),
        &[("AF", Format), ("TVAF", Info)],
    )?;
    let (depth_format, depth_info) = resolve(
        "depth",
        options.depth_tag.as_ref(),
        &[("DP", Format), ("TDP", Info), ("DP", Info)],
    )?;
    let src = VafSource {
        vaf_info,
        vaf_format,
        depth_info,
        depth_format,
        ad_format: defined("AD", Format).then(|| "AD".to_string()),
    };
    let format_keys: Vec<String> = [&src.vaf_format, &src.depth_format, &src.ad_format]
        .into_iter()
        .flatten()
        .cloned()
        .collect();
    let schema = AnnotationSchema::from_header(&header);
    reader.reselect(&ReaderOptions {
        samples: SampleSelection::Named(sample.into_iter().collect()),
        use_index: false,
        info: true,
        format_keys,
        allow_grch37: options.assembly == Assembly::GRCh37,
    })?;
    let mut summary = TumourVcfSummary {
        annotation: schema.as_ref().map(AnnotationSchema::source),
        matched_normal: samples.len() > 1,
        ..TumourVcfSummary::default()
    };
    reader.read_all(|site| {
        summary.records += 1;
        if !site.filter.is_pass() {
            summary.filtered += 1;
            return;
        }
        summary.used += 1;
        let consequences = schema.as_ref().map(|sc| sc.parse(site)).unwrap_or_default();
        let chrom = normalize_chrom(&site.chrom);
        for (alt_index, alt) in site.alts.iter().enumerate() {
            if alt == "*" || alt.starts_with('<') || alt == "." {
                continue;
            }
            each(TumourAllele {
                chrom,
                pos: site.pos,
                ref_allele: &site.ref_allele,
                alt,
                alt_index,
                vaf: vaf_of(site, &src, alt_index),
                depth: depth_of(site, &src),
                record: site.record_number,
                annotated_by: summary.annotation,
                consequences: &consequences,
            });
        }
    })?;
    Ok(summary)
}

fn first_number(text: &str, index: usize) -> Option<f64> {
    text.split(',')
        .nth(index)
        .and_then(|v| v.trim().parse::<f64>().ok())
        .filter(|v| v.is_finite())
}

fn vaf_of(site: &Site, src: &VafSource, alt_index: usize) -> Option<f64> {
    if let Some(tag) = &src.vaf_format {
        if let Some(v) = site
            .format_value(0, tag)
            .and_then(|t| first_number(t, alt_index))
        {
            return Some(v);
        }
    }
    if let Some(tag) = &src.vaf_info {
        if let Some(v) = site
            .info_value(tag)
            .and_then(|t| first_number(t, alt_index))
        {
            return Some(v);
        }
    }
    if let Some(tag) = &src.ad_format {
        if let Some(ad) = site.format_value(0, tag) {
            let counts: Vec<f64> = ad
                .split(',')
                .filter_map(|v| v.trim().parse().ok())
                .collect();
            let total: f64 = counts.iter().sum();
            if let Some(alt) = counts.get(alt_index + 1) {
                if total > 0.0 {
                    return Some(alt / total);
                }
            }
        }
    }
    None
}

fn depth_of(site: &Site, src: &VafSource) -> Option<u32> {
    let parse = |t: &str| {
        t.split(',')
            .next()
            .and_then(|v| v.trim().parse::<u32>().ok())
    };
    if let Some(tag) = &src.depth_format {
        if let Some(d) = site.format_value(0, tag).and_then(parse) {
            return Some(d);
        }
    }
    if let Some(tag) = &src.depth_info {
        if let Some(d) = site.info_value(tag).and_then(parse) {
            return Some(d);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    const HEADER: &str = "##fileformat=VCFv4.2\n\
        ##contig=<ID=chr7,length=159345973>\n\
        ##FILTER=<ID=LowQual,Description=\"low\">\n\
        ##FORMAT=<ID=GT,Number=1,Type=String,Description=\"g\">\n\
        ##FORMAT=<ID=AF,Number=A,Type=Float,Description=\"f\">\n\
        ##FORMAT=<ID=AD,Number=R,Type=Integer,Description=\"a\">\n\
        ##FORMAT=<ID=DP,Number=1,Type=Integer,Description=\"d\">\n\
        ##INFO=<ID=TVAF,Number=A,Type=Float,Description=\"t\">\n";

    fn vcf(samples: &str, body: &str) -> VariantInput {
        let text = format!(
            "{HEADER}#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\t{samples}\n{body}"
        );
        VariantInput::Bytes {
            name: "tumour.vcf".into(),
            bytes: Arc::from(text.into_bytes()),
        }
    }

    type Row = (String, u64, String, Option<f64>, Option<u32>, u64);

    fn read(
        input: VariantInput,
        options: &TumourVcfOptions,
    ) -> Result<(Vec<Row>, TumourVcfSummary), CaseError> {
        let mut rows = Vec::new();
        let summary = read_tumour_vcf(Path::new("tumour.vcf"), input, options, |a| {
            rows.push((
                a.chrom.to_string(),
                a.pos,
                a.alt.to_string(),
                a.vaf,
                a.depth,
                a.record,
            ));
        })?;
        Ok((rows, summary))
    }

    #[test]
    fn picks_the_tumour_and_reads_fraction_and_depth() {
        let body =
            "chr7\t100\t.\tA\tT\t.\tPASS\t.\tGT:AF:AD:DP\t0/0:0:50,0:50\t0/1:0.25:30,10:40\n\
                    chr7\t200\t.\tC\tG\t.\tLowQual\t.\tGT:AF:AD:DP\t0/0:0:50,0:50\t0/1:0.5:5,5:10\n\
                    chr7\t250\t.\tC\tG\t.\t.\t.\tGT:AF:AD:DP\t0/0:0:50,0:50\t0/1:0.5:5,5:10\n\
                    chr7\t300\t.\tG\tA,*,<DEL>\t.\tPASS\t.\tGT:AD:DP\t0/0:9,0,0,0:9\t0/1:6,2,1,1:10\n";
        let (rows, summary) =
            read(vcf("NORMAL\tTUMOR", body), &TumourVcfOptions::default()).unwrap();
        assert_eq!(summary.records, 4);
        assert_eq!(summary.used, 2);
        assert_eq!(summary.filtered, 2);
        assert_eq!(summary.annotation, None);
        assert!(summary.matched_normal);
        // The tumour column, not the normal; AF first, the AD ratio when AF is missing;
        // the spanning deletion and the symbolic allele are not alleles of this tumour.
        assert_eq!(
            rows,
            vec![
                (
                    "7".to_string(),
                    100,
                    "T".to_string(),
                    Some(0.25),
                    Some(40),
                    10
                ),
                (
                    "7".to_string(),
                    300,
                    "A".to_string(),
                    Some(0.2),
                    Some(10),
                    13
                ),
            ]
        );
    }

    #[test]
    fn named_tags_and_samples_must_exist() {
        let body = "chr7\t100\t.\tA\tT\t.\tPASS\tTVAF=0.31\tGT:AF:DP\t0/1:0.25:40\n";
        let info_tag = TumourVcfOptions {
            vaf_tag: Some("TVAF".into()),
            ..TumourVcfOptions::default()
        };
        let (rows, _) = read(vcf("S1", body), &info_tag).unwrap();
        assert_eq!(rows[0].3, Some(0.31));
        let missing_tag = TumourVcfOptions {
            depth_tag: Some("XD".into()),
            ..TumourVcfOptions::default()
        };
        let e = read(vcf("S1", body), &missing_tag).unwrap_err();
        assert_eq!(
            e.to_string(),
            "tumour.vcf: depth tag `XD` is neither an INFO nor a FORMAT field of the header"
        );
        let missing_sample = TumourVcfOptions {
            tumor_sample: Some("T9".into()),
            ..TumourVcfOptions::default()
        };
        let e = read(vcf("S1", body), &missing_sample).unwrap_err();
        assert_eq!(
            e.to_string(),
            "tumour.vcf: tumour sample `T9` is not in the file (samples: S1)"
        );
    }

    #[test]
    fn several_samples_and_none_named_is_refused() {
        let body = "chr7\t100\t.\tA\tT\t.\tPASS\t.\tGT\t0/1\t0/1\n";
        let e = read(vcf("A\tB", body), &TumourVcfOptions::default()).unwrap_err();
        assert!(matches!(e, CaseError::TumorSampleNeeded { .. }), "{e:?}");
        assert!(
            e.to_string().contains("the file has 2 samples (A, B)"),
            "{e}"
        );
    }

    #[test]
    fn a_grch37_file_in_a_grch38_case_is_refused() {
        let text = "##fileformat=VCFv4.2\n##reference=file:///ref/hs37d5.fa\n\
                    ##contig=<ID=1,length=249250621>\n\
                    #CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\n1\t100\t.\tA\tT\t.\tPASS\t.\n";
        let input = || VariantInput::Bytes {
            name: "old.vcf".into(),
            bytes: Arc::from(text.as_bytes().to_vec()),
        };
        let e = read(input(), &TumourVcfOptions::default()).unwrap_err();
        assert!(matches!(e, CaseError::Grch37Undeclared { .. }), "{e:?}");
        let declared = TumourVcfOptions {
            assembly: Assembly::GRCh37,
            ..TumourVcfOptions::default()
        };
        let (rows, _) = read(input(), &declared).unwrap();
        assert_eq!(rows.len(), 1);
    }
}
