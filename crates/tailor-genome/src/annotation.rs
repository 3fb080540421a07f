//! Per-transcript consequences written into INFO by VEP (`CSQ`) or snpEff (`ANN`).
//!
//! Both tools describe their `|`-separated fields in the INFO header line, so the field
//! positions are read from there ([`AnnotationSchema::from_header`]) rather than assumed:
//! VEP's list depends on its command-line options. Each entry is mapped to the ALT allele
//! it describes, its SO terms to one [`VariantClass`], and its HGVSp to Tailor's short
//! one-letter form, so the matcher never needs to know which tool annotated the file.

mod so_terms;

use std::borrow::Cow;

use tailor_core::somatic::VariantClass;

use crate::header::Header;
use crate::protein::parse_protein;
use crate::site::Site;

pub use so_terms::{so_term_class, so_term_rank};

/// Which tool wrote the annotation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AnnotationSource {
    /// Ensembl VEP (`CSQ`, or another tag set with `--vcf_info_field`).
    Vep,
    /// snpEff (`ANN`).
    SnpEff,
}

/// One transcript-level consequence of one ALT allele. `Default` gives an empty entry
/// of class [`VariantClass::Unknown`] for the first ALT (for building test values).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TranscriptConsequence {
    /// The ALT allele described, 0-based into [`Site::alts`].
    pub alt_index: usize,
    /// Gene symbol (VEP `SYMBOL`, snpEff `Gene_Name`); the gene ID when no symbol is given.
    pub gene: String,
    /// Gene ID (VEP `Gene`, snpEff `Gene_ID`), when given.
    pub gene_id: Option<String>,
    /// Transcript (or other feature) ID as written, version included (`ENST00000646891.2`
    /// or `ENST00000646891`); empty for intergenic entries.
    pub transcript: String,
    /// SO terms (`missense_variant`, `splice_region_variant`...).
    pub consequence_terms: Vec<String>,
    /// The class of the most severe term, refined by the protein change when the terms
    /// do not say (e.g. `protein_altering_variant` with a known HGVSp).
    pub class: VariantClass,
    /// Impact as the tool rated it (`HIGH`, `MODERATE`, `LOW`, `MODIFIER`).
    pub impact: Option<String>,
    /// HGVS coding change without the transcript prefix (`c.1799T>A`).
    pub hgvsc: Option<String>,
    /// The protein change in Tailor's short one-letter form (`V600E`), when the HGVSp
    /// could be read.
    pub hgvsp: Option<String>,
    /// The HGVSp as written (prefix and percent-encoding removed), also when it could not
    /// be read, so callers can say why a variant was not matched at protein level.
    pub hgvsp_raw: Option<String>,
    /// Exon number and exon count (`15/18`).
    pub exon: Option<(u32, u32)>,
    /// Intron number and intron count.
    pub intron: Option<(u32, u32)>,
    /// VEP `CANONICAL=YES`.
    pub canonical: bool,
    /// The transcript is MANE Select (VEP `MANE_SELECT`, or `MANE` in VEP 103).
    pub mane_select: bool,
    /// VEP `PICK=1` (the one consequence VEP's `--flag_pick` chose).
    pub picked: bool,
    /// Transcript biotype (`protein_coding`...).
    pub biotype: Option<String>,
}

impl Default for TranscriptConsequence {
    fn default() -> Self {
        Self {
            alt_index: 0,
            gene: String::new(),
            gene_id: None,
            transcript: String::new(),
            consequence_terms: Vec::new(),
            class: VariantClass::Unknown,
            impact: None,
            hgvsc: None,
            hgvsp: None,
            hgvsp_raw: None,
            exon: None,
            intron: None,
            canonical: false,
            mane_select: false,
            picked: false,
            biotype: None,
        }
    }
}

impl TranscriptConsequence {
    /// The transcript ID without its version (`ENST00000646891`), as MANE lists compare.
    pub fn transcript_unversioned(&self) -> &str {
        strip_version(&self.transcript)
    }

    /// The SO severity rank of the most severe term (0 = most severe).
    pub fn severity_rank(&self) -> usize {
        self.consequence_terms
            .iter()
            .map(|t| so_term_rank(t))
            .min()
            .unwrap_or(usize::MAX)
    }
}

/// Positions of the fields Tailor reads, in one annotation entry.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct Columns {
    allele: Option<usize>,
    consequence: Option<usize>,
    impact: Option<usize>,
    symbol: Option<usize>,
    gene: Option<usize>,
    feature: Option<usize>,
    biotype: Option<usize>,
    exon: Option<usize>,
    intron: Option<usize>,
    /// snpEff's `Rank`: an exon or an intron number, whichever the variant is in.
    rank: Option<usize>,
    hgvsc: Option<usize>,
    hgvsp: Option<usize>,
    canonical: Option<usize>,
    mane_select: Option<usize>,
    pick: Option<usize>,
    allele_num: Option<usize>,
}

/// The layout of a VEP `CSQ` or snpEff `ANN` INFO field, read from the header.
///
/// ```
/// use tailor_genome::annotation::AnnotationSchema;
/// use tailor_genome::{Header, Site};
/// let text = ["##fileformat=VCFv4.2",
///     "##INFO=<ID=CSQ,Number=.,Type=String,Description=\"Consequence annotations from \
///      Ensembl VEP. Format: Allele|Consequence|IMPACT|SYMBOL|Gene|Feature_type|Feature|\
///      BIOTYPE|EXON|INTRON|HGVSc|HGVSp|CANONICAL\">",
///     "#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO"].join("\n");
/// let header = Header::parse(&text).unwrap();
/// let schema = AnnotationSchema::from_header(&header).unwrap();
/// let site = Site {
///     ref_allele: "A".into(),
///     alts: vec!["T".into()],
///     info: "CSQ=T|missense_variant|MODERATE|BRAF|ENSG00000157764|Transcript|\
///            ENST00000646891.2|protein_coding|15/18||ENST00000646891.2:c.1799T>A|\
///            ENSP00000493543.1:p.Val600Glu|YES".into(),
///     ..Site::default()
/// };
/// let consequences = schema.parse(&site);
/// assert_eq!(consequences[0].gene, "BRAF");
/// assert_eq!(consequences[0].hgvsp.as_deref(), Some("V600E"));
/// assert_eq!(consequences[0].exon, Some((15, 18)));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AnnotationSchema {
    source: AnnotationSource,
    tag: String,
    fields: Vec<String>,
    columns: Columns,
}

impl AnnotationSchema {
    /// The schema of the first annotation field in the header: `CSQ`, then `ANN`, then
    /// any other INFO field whose description carries a VEP (`Format: A|B|...`) or snpEff
    /// (`Functional annotations: 'A | B | ...'`) field list. `None` when the file is not
    /// annotated.
    pub fn from_header(header: &Header) -> Option<Self> {
        let infos = || {
            header
                .definitions()
                .iter()
                .filter(|d| d.kind == crate::DefinitionKind::Info)
        };
        let from = |d: &crate::Definition| {
            d.description
                .as_deref()
                .and_then(|text| Self::from_description(&d.id, text))
        };
        for preferred in ["CSQ", "ANN"] {
            if let Some(schema) = infos().filter(|d| d.id == preferred).find_map(from) {
                return Some(schema);
            }
        }
        infos().find_map(from)
    }

    /// The schema described by one INFO description, stored under `tag`.
    ///
    /// ```
    /// use tailor_genome::annotation::{AnnotationSchema, AnnotationSource};
    /// let ann = AnnotationSchema::from_description("ANN", "Functional annotations: \
    ///     'Allele | Annotation | Annotation_Impact | Gene_Name | Gene_ID | Feature_Type | \
    ///     Feature_ID | Transcript_BioType | Rank | HGVS.c | HGVS.p | cDNA.pos / cDNA.length \
    ///     | CDS.pos / CDS.length | AA.pos / AA.length | Distance | ERRORS / WARNINGS / INFO' ")
    ///     .unwrap();
    /// assert_eq!(ann.source(), AnnotationSource::SnpEff);
    /// assert_eq!(ann.fields()[10], "HGVS.p");
    /// ```
    pub fn from_description(tag: &str, description: &str) -> Option<Self> {
        if let Some((_, list)) = description.split_once("Functional annotations:") {
            let list = list
                .trim()
                .trim_matches(|c| c == '\'' || c == '"' || c == ' ');
            let fields: Vec<String> = list.split('|').map(|f| f.trim().to_string()).collect();
            return Self::build(AnnotationSource::SnpEff, tag, fields);
        }
        let (_, list) = description.split_once("Format:")?;
        let list = list.trim().trim_matches(|c| c == '\'' || c == '"');
        let fields: Vec<String> = list.split('|').map(|f| f.trim().to_string()).collect();
        Self::build(AnnotationSource::Vep, tag, fields)
    }

    fn build(source: AnnotationSource, tag: &str, fields: Vec<String>) -> Option<Self> {
        let at = |names: &[&str]| {
            names
                .iter()
                .find_map(|name| fields.iter().position(|f| f.eq_ignore_ascii_case(name)))
        };
        let columns = match source {
            AnnotationSource::Vep => Columns {
                allele: at(&["Allele"]),
                consequence: at(&["Consequence"]),
                impact: at(&["IMPACT"]),
                symbol: at(&["SYMBOL"]),
                gene: at(&["Gene"]),
                feature: at(&["Feature"]),
                biotype: at(&["BIOTYPE"]),
                exon: at(&["EXON"]),
                intron: at(&["INTRON"]),
                rank: None,
                hgvsc: at(&["HGVSc"]),
                hgvsp: at(&["HGVSp"]),
                canonical: at(&["CANONICAL"]),
                mane_select: at(&["MANE_SELECT", "MANE"]),
                pick: at(&["PICK"]),
                allele_num: at(&["ALLELE_NUM"]),
            },
            AnnotationSource::SnpEff => Columns {
                allele: at(&["Allele"]),
                consequence: at(&["Annotation"]),
                impact: at(&["Annotation_Impact"]),
                symbol: at(&["Gene_Name"]),
                gene: at(&["Gene_ID"]),
                feature: at(&["Feature_ID"]),
                biotype: at(&["Transcript_BioType"]),
                exon: None,
                intron: None,
                rank: at(&["Rank"]),
                hgvsc: at(&["HGVS.c"]),
                hgvsp: at(&["HGVS.p"]),
                canonical: None,
                mane_select: None,
                pick: None,
                allele_num: None,
            },
        };
        // Without a consequence column the field is not a consequence annotation.
        columns.consequence?;
        Some(Self {
            source,
            tag: tag.to_string(),
            fields,
            columns,
        })
    }

    /// Which tool wrote the annotation.
    pub fn source(&self) -> AnnotationSource {
        self.source
    }

    /// The INFO key holding it (`CSQ`, `ANN`).
    pub fn tag(&self) -> &str {
        &self.tag
    }

    /// The field names, in entry order.
    pub fn fields(&self) -> &[String] {
        &self.fields
    }

    /// Every consequence annotated on `site` (whose INFO must have been kept, see
    /// [`ReaderOptions::info`](crate::ReaderOptions::info)); empty when it has none.
    /// Entries that cannot be tied to an ALT allele are left out.
    pub fn parse(&self, site: &Site) -> Vec<TranscriptConsequence> {
        match site.info_value(&self.tag) {
            Some(value) => self.parse_value(value, &site.ref_allele, &site.alts),
            None => Vec::new(),
        }
    }

    /// Like [`parse`](Self::parse), on the INFO value itself and the record's alleles.
    pub fn parse_value(
        &self,
        value: &str,
        ref_allele: &str,
        alts: &[String],
    ) -> Vec<TranscriptConsequence> {
        if value.is_empty() {
            return Vec::new();
        }
        let vep_alleles = match self.source {
            AnnotationSource::Vep => vep_allele_strings(ref_allele, alts),
            AnnotationSource::SnpEff => Vec::new(),
        };
        value
            .split(',')
            .filter_map(|entry| self.entry(entry, alts, &vep_alleles))
            .collect()
    }

    fn entry(
        &self,
        entry: &str,
        alts: &[String],
        vep_alleles: &[String],
    ) -> Option<TranscriptConsequence> {
        let values: Vec<&str> = entry.split('|').collect();
        let c = &self.columns;
        let get = |column: Option<usize>| -> Option<Cow<'_, str>> {
            let raw = values.get(column?)?.trim();
            (!raw.is_empty()).then(|| percent_decode(raw))
        };
        let alt_index = self.alt_index(
            get(c.allele).as_deref(),
            get(c.allele_num).as_deref(),
            alts,
            vep_alleles,
        )?;
        let terms: Vec<String> = get(c.consequence)
            .map(|t| {
                t.split('&')
                    .filter(|s| !s.is_empty())
                    .map(str::to_string)
                    .collect()
            })
            .unwrap_or_default();
        let term_refs: Vec<&str> = terms.iter().map(String::as_str).collect();
        let mut class = so_term_class(&term_refs);
        let hgvsp_raw = get(c.hgvsp).map(|p| after_accession(&p, "p.").to_string());
        let protein = hgvsp_raw.as_deref().and_then(|p| parse_protein(p).ok());
        if let Some(protein) = &protein {
            if matches!(
                class,
                VariantClass::Unknown | VariantClass::Exonic | VariantClass::InframeDelins
            ) {
                class = protein.class();
            }
        }
        let gene_id = get(c.gene).map(Cow::into_owned);
        let gene = get(c.symbol)
            .map(Cow::into_owned)
            .or_else(|| gene_id.clone())
            .unwrap_or_default();
        let (mut exon, mut intron) = (
            get(c.exon).and_then(|e| fraction(&e)),
            get(c.intron).and_then(|i| fraction(&i)),
        );
        if let Some(rank) = get(c.rank).and_then(|r| fraction(&r)) {
            let in_intron = term_refs.contains(&"intron_variant")
                && !term_refs
                    .iter()
                    .any(|t| so_term_rank(t) < so_term_rank("intron_variant"));
            if in_intron {
                intron = Some(rank);
            } else {
                exon = Some(rank);
            }
        }
        Some(TranscriptConsequence {
            alt_index,
            gene,
            gene_id,
            transcript: get(c.feature).map(Cow::into_owned).unwrap_or_default(),
            consequence_terms: terms,
            class,
            impact: get(c.impact).map(Cow::into_owned),
            hgvsc: get(c.hgvsc).map(|h| after_accession(&h, "c.").to_string()),
            hgvsp: protein.map(|p| p.short()),
            hgvsp_raw,
            exon,
            intron,
            canonical: get(c.canonical).is_some_and(|v| v.eq_ignore_ascii_case("YES")),
            mane_select: get(c.mane_select).is_some(),
            picked: get(c.pick).is_some_and(|v| v == "1"),
            biotype: get(c.biotype).map(Cow::into_owned),
        })
    }

    /// Which ALT an entry describes: VEP's ALLELE_NUM (1 = first ALT) when present, else
    /// the allele string compared in the tool's convention; a site with one ALT takes
    /// every entry (snpEff's cancer mode writes `ALT-REF` pairs, VEP symbolic alleles
    /// differ from the VCF text).
    fn alt_index(
        &self,
        allele: Option<&str>,
        allele_num: Option<&str>,
        alts: &[String],
        vep_alleles: &[String],
    ) -> Option<usize> {
        if let Some(n) = allele_num.and_then(|n| n.parse::<usize>().ok()) {
            return (n >= 1 && n <= alts.len()).then(|| n - 1);
        }
        let found = allele.and_then(|allele| match self.source {
            AnnotationSource::Vep => vep_alleles.iter().position(|a| a == allele),
            AnnotationSource::SnpEff => alts.iter().position(|a| a == allele),
        });
        found.or_else(|| (alts.len() == 1).then_some(0))
    }
}

/// VEP's allele strings for a VCF record: when every allele starts with the same base,
/// that base is dropped (an empty allele becomes `-`), so `AC>A` is `-` and `A>ATT` is
/// `TT`; otherwise alleles are as written.
fn vep_allele_strings(ref_allele: &str, alts: &[String]) -> Vec<String> {
    let first = ref_allele.as_bytes().first().copied();
    let shared = first.is_some()
        && !alts.is_empty()
        && alts
            .iter()
            .all(|a| a.as_bytes().first().copied() == first && !a.starts_with('<'))
        && (ref_allele.len() > 1 || alts.iter().any(|a| a.len() > 1));
    alts.iter()
        .map(|a| {
            if !shared {
                return a.clone();
            }
            match a.get(1..) {
                Some(rest) if !rest.is_empty() => rest.to_string(),
                _ => "-".to_string(),
            }
        })
        .collect()
}

/// `15/18` -> (15, 18). VEP writes a range (`2-3/10`) when a variant spans exons: the
/// first is kept.
fn fraction(text: &str) -> Option<(u32, u32)> {
    let (number, total) = text.split_once('/')?;
    let number = number.split('-').next()?.trim().parse().ok()?;
    let total = total.trim().parse().ok()?;
    Some((number, total))
}

/// Drops an accession prefix (`ENST00000646891.2:c.1799T>A` -> `c.1799T>A`).
fn after_accession<'t>(text: &'t str, kind: &str) -> &'t str {
    match text.find(&format!(":{kind}")) {
        Some(i) => &text[i + 1..],
        None => text,
    }
}

fn strip_version(id: &str) -> &str {
    match id.rsplit_once('.') {
        Some((base, version))
            if !version.is_empty() && version.bytes().all(|b| b.is_ascii_digit()) =>
        {
            base
        }
        _ => id,
    }
}

/// Decodes `%XX` escapes (VEP writes `;` as `%3B`, `=` as `%3D`, `,` as `%2C`); malformed
/// escapes are kept as written.
fn percent_decode(text: &str) -> Cow<'_, str> {
    if !text.contains('%') {
        return Cow::Borrowed(text);
    }
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = bytes
                .get(i + 1..i + 3)
                .and_then(|h| std::str::from_utf8(h).ok());
            if let Some(value) = hex.and_then(|h| u8::from_str_radix(h, 16).ok()) {
                out.push(value);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    match String::from_utf8(out) {
        Ok(decoded) => Cow::Owned(decoded),
        Err(_) => Cow::Borrowed(text),
    }
}

/// How [`pick_best`] ranks entries: PICK, MANE, preferred, canonical, severity, has HGVSp.
type PickKey = (bool, bool, bool, bool, usize, bool);

/// The consequence to report for one ALT allele: VEP's PICK first, then the MANE Select
/// transcript, then a transcript `prefer` accepts (the caller passes its own list of
/// MANE ENSTs, IDs without version), then the canonical transcript, then the most severe
/// consequence; ties go to the entry with a readable protein change, then file order.
///
/// ```
/// use tailor_genome::annotation::{pick_best, TranscriptConsequence};
/// let a = TranscriptConsequence { transcript: "ENST1.1".into(), canonical: true, ..Default::default() };
/// let b = TranscriptConsequence { transcript: "ENST2.4".into(), ..Default::default() };
/// let all = [a, b];
/// assert_eq!(pick_best(&all, 0, |t| t == "ENST2").unwrap().transcript, "ENST2.4");
/// assert_eq!(pick_best(&all, 0, |_| false).unwrap().transcript, "ENST1.1");
/// assert!(pick_best(&all, 1, |_| false).is_none());
/// ```
pub fn pick_best(
    consequences: &[TranscriptConsequence],
    alt_index: usize,
    prefer: impl Fn(&str) -> bool,
) -> Option<&TranscriptConsequence> {
    let mut best: Option<(&TranscriptConsequence, PickKey)> = None;
    for c in consequences.iter().filter(|c| c.alt_index == alt_index) {
        let key = (
            c.picked,
            c.mane_select,
            prefer(c.transcript_unversioned()),
            c.canonical,
            usize::MAX - c.severity_rank(),
            c.hgvsp.is_some(),
        );
        if best.as_ref().is_none_or(|(_, k)| key > *k) {
            best = Some((c, key));
        }
    }
    best.map(|(c, _)| c)
}

#[cfg(test)]
mod tests;
