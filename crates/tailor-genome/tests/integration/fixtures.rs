//! The reader on small byte-literal files: every genotype form, every container, every
//! error a user can hit, with the file and line named in the message.

use crate::common;

use std::path::Path;

use common::*;
use tailor_genome::{
    bgzf, Compression, ErrorKind, FileKind, Filter, ReaderOptions, SampleSelection, Targets,
    VariantReader,
};

const HEADER: &str = "##fileformat=VCFv4.2\n\
##contig=<ID=chr1,length=248956422>\n\
##FORMAT=<ID=GT,Number=1,Type=String,Description=\"Genotype\">\n\
#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\tS1\tS2\n";

fn vcf(records: &str) -> Vec<u8> {
    format!("{HEADER}{records}").into_bytes()
}

fn open_err(path: &Path) -> tailor_genome::Error {
    VariantReader::open(path, &ReaderOptions::default()).unwrap_err()
}

fn read_err(path: &Path) -> tailor_genome::Error {
    let mut reader = VariantReader::open(path, &streamed()).unwrap();
    reader.read_all(|_| {}).unwrap_err()
}

/// The first error, whether opening (which reads ahead) or reading finds it.
fn any_err(path: &Path) -> tailor_genome::Error {
    match VariantReader::open(path, &streamed()) {
        Ok(mut reader) => reader.read_all(|_| {}).unwrap_err(),
        Err(err) => err,
    }
}

type Alleles = Vec<Option<u32>>;

fn alleles(sites: &[tailor_genome::Site], sample: usize) -> Vec<(Alleles, bool)> {
    sites
        .iter()
        .map(|s| {
            (
                s.genotypes[sample].alleles.clone(),
                s.genotypes[sample].phased,
            )
        })
        .collect()
}

#[test]
fn every_genotype_form_reads_as_written() {
    let sites = read_all(&fixture("forms.vcf"), &ReaderOptions::default());
    assert_eq!(sites.len(), 9);
    let s = |v: &[Option<u32>], phased: bool| (v.to_vec(), phased);
    let (o, i) = (Some(0), Some(1));
    assert_eq!(
        alleles(&sites, 0),
        vec![
            s(&[o, i], false),
            s(&[None, None], false),
            s(&[None], false),
            s(&[None], false), // FORMAT without GT
            s(&[o, i], true),
            s(&[i, i], false),
            s(&[o, o], false),
            s(&[o, o], false),
            s(&[i, Some(2)], false),
        ]
    );
    assert_eq!(
        alleles(&sites, 1),
        vec![
            s(&[o, i], true),
            s(&[o, None], false),
            s(&[i, Some(2)], false),
            s(&[None], false),
            s(&[i, o], true),
            s(&[o, i], false), // trailing DP dropped
            s(&[o, o], false),
            s(&[o], false), // haploid
            s(&[o, Some(2)], false),
        ]
    );
    assert_eq!(
        alleles(&sites, 2),
        vec![
            s(&[i], false),
            s(&[None, i], false),
            s(&[Some(2), i], true),
            s(&[None], false),
            s(&[o, o], false),
            s(&[None], false),
            s(&[o, o], false),
            s(&[None, None], false),
            s(&[o, o], true),
        ]
    );
    // PS: integer, dropped trailing field, '.'.
    let ps: Vec<_> = sites[4].genotypes.iter().map(|g| g.phase_set).collect();
    assert_eq!(ps, vec![Some(500), None, None]);
    // Columns other than genotypes.
    assert_eq!(sites[1].ids, vec!["rs2", "rs3"]);
    assert!(sites[2].ids.is_empty());
    assert_eq!(sites[0].filter, Filter::Pass);
    assert_eq!(sites[1].filter, Filter::Failed(vec!["q10".into()]));
    assert_eq!(
        sites[2].filter,
        Filter::Failed(vec!["q10".into(), "lowDP".into()])
    );
    assert_eq!(sites[3].filter, Filter::Missing);
    assert_eq!((sites[5].pos, sites[5].end), (600, 601));
    assert_eq!(sites[6].alts, vec!["<NON_REF>"]);
    assert_eq!((sites[6].pos, sites[6].end), (700, 799));
    assert!(sites[7].alts.is_empty());
    assert_eq!(sites[7].end, 850);
    assert_eq!(sites[8].alts, vec!["*", "A"]);
    assert_eq!(sites[0].record_number, 14);
    assert_eq!(sites[8].record_number, 22);
}

#[test]
fn bcf_written_by_htslib_reads_like_its_vcf() {
    let expected = without_numbers(read_all(&fixture("forms.vcf"), &ReaderOptions::default()));
    for name in ["forms.bcf", "forms.u.bcf", "forms.raw.bcf"] {
        let path = fixture(name);
        let reader = VariantReader::open(&path, &ReaderOptions::default()).unwrap();
        assert_eq!(reader.format().kind, FileKind::Bcf);
        let sites = read_all(&path, &ReaderOptions::default());
        assert_eq!(sites[0].record_number, 1, "{name}");
        assert_eq!(without_numbers(sites), expected, "{name}");
    }
    let compression = |name: &str| {
        VariantReader::open(&fixture(name), &ReaderOptions::default())
            .unwrap()
            .format()
            .compression
    };
    assert_eq!(compression("forms.u.bcf"), Compression::Bgzf);
    assert_eq!(compression("forms.raw.bcf"), Compression::None);
    // Through the CSI index, with targets hitting a reference block from the side.
    let mut targets = Targets::new();
    targets.add("1", 750, 750);
    targets.add("chr2", 100, 100);
    let (sites, stats) = read(&fixture("forms.bcf"), &ReaderOptions::default(), &targets);
    assert!(stats.used_index);
    let positions: Vec<u64> = sites.iter().map(|s| s.pos).collect();
    assert_eq!(positions, vec![700, 100]);
    assert_eq!(
        without_numbers(sites),
        vec![expected[6].clone(), expected[8].clone()]
    );
}

#[test]
fn plain_gzip_and_bgzf_containers_read_the_same() {
    let text = std::fs::read(fixture("forms.vcf")).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let expected = read_all(&fixture("forms.vcf"), &ReaderOptions::default());
    let cases = [
        ("plain.vcf", text.clone(), Compression::None),
        ("x.vcf.gz", gzip(&text), Compression::Gzip),
        ("y.vcf.gz", bgzf::compress(&text), Compression::Bgzf),
        // Tiny blocks: lines and the header straddle block boundaries.
        (
            "z.vcf.gz",
            bgzf::compress_with_block_size(&text, 7),
            Compression::Bgzf,
        ),
    ];
    for (name, bytes, compression) in cases {
        let path = write(dir.path(), name, &bytes);
        let mut reader = VariantReader::open(&path, &ReaderOptions::default()).unwrap();
        assert_eq!(reader.format().compression, compression, "{name}");
        for threads in [0, 2] {
            reader.set_decompression_threads(threads);
            let mut sites = Vec::new();
            reader.read_all(|s| sites.push(s.clone())).unwrap();
            assert_eq!(sites, expected, "{name} with {threads} threads");
        }
    }
}

#[test]
fn concatenated_bgzf_and_gzip_members_are_one_file() {
    let text =
        vcf("chr1\t1\t.\tA\tG\t.\t.\t.\tGT\t0/1\t1/1\nchr1\t2\t.\tA\tG\t.\t.\t.\tGT\t0/0\t0/1\n");
    let (a, b) = text.split_at(HEADER.len() + 10);
    let dir = tempfile::tempdir().unwrap();
    for (name, bytes) in [
        (
            "bgzf.vcf.gz",
            [bgzf::compress(a), bgzf::compress(b)].concat(),
        ),
        ("gzip.vcf.gz", [gzip(a), gzip(b)].concat()),
    ] {
        let path = write(dir.path(), name, &bytes);
        let sites = read_all(&path, &ReaderOptions::default());
        assert_eq!(sites.len(), 2, "{name}");
        assert_eq!(sites[1].genotypes[1].alleles, vec![Some(0), Some(1)]);
    }
}

#[test]
fn windows_line_endings_and_missing_final_newline_are_accepted() {
    let text =
        vcf("chr1\t1\t.\tA\tG\t.\t.\t.\tGT\t0/1\t1/1\nchr1\t2\t.\tA\tG\t.\t.\t.\tGT\t0/0\t0|1")
            .iter()
            .flat_map(|&b| {
                if b == b'\n' {
                    vec![b'\r', b'\n']
                } else {
                    vec![b]
                }
            })
            .collect::<Vec<u8>>();
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), "crlf.vcf", &text);
    let sites = read_all(&path, &ReaderOptions::default());
    assert_eq!(sites.len(), 2);
    assert!(sites[1].genotypes[1].phased);
}

#[test]
fn named_samples_come_back_in_file_order() {
    let options = ReaderOptions {
        samples: SampleSelection::Named(vec!["S3".into(), "S1".into(), "S3".into()]),
        use_index: true,
        ..ReaderOptions::default()
    };
    let reader = VariantReader::open(&fixture("forms.vcf"), &options).unwrap();
    assert_eq!(reader.samples(), ["S1", "S3"]);
    let sites = read_all(&fixture("forms.vcf"), &options);
    assert_eq!(sites[2].genotypes.len(), 2);
    assert_eq!(sites[2].genotypes[1].alleles, vec![Some(2), Some(1)]);
    let none = ReaderOptions {
        samples: SampleSelection::Named(vec![]),
        use_index: true,
        ..ReaderOptions::default()
    };
    assert!(read_all(&fixture("forms.vcf"), &none)
        .iter()
        .all(|s| s.genotypes.is_empty()));
}

#[test]
fn targets_select_overlapping_records_in_any_chromosome_naming() {
    let mut targets = Targets::new();
    targets.add("1", 200, 200); // SNV
    targets.add("chr1", 601, 601); // inside a deletion starting at 600
    targets.add("1", 820, 830); // inside a reference block 800..=850
    targets.add("2", 100, 100);
    targets.add("3", 1, 1_000_000); // absent chromosome
    let (sites, stats) = read(&fixture("forms.vcf"), &ReaderOptions::default(), &targets);
    let positions: Vec<(String, u64)> = sites.iter().map(|s| (s.chrom.clone(), s.pos)).collect();
    assert_eq!(
        positions,
        vec![
            ("chr1".into(), 200),
            ("chr1".into(), 600),
            ("chr1".into(), 800),
            ("chr2".into(), 100)
        ]
    );
    assert_eq!(stats.records_scanned, 9);
    assert_eq!(stats.records_matched, 4);
    assert!(!stats.used_index);
    // A second read gives the same answer.
    let mut reader = VariantReader::open(&fixture("forms.vcf"), &ReaderOptions::default()).unwrap();
    let mut first = Vec::new();
    let mut second = Vec::new();
    reader
        .read_targets(&targets, |s| first.push(s.clone()))
        .unwrap();
    reader
        .read_targets(&targets, |s| second.push(s.clone()))
        .unwrap();
    assert_eq!(first, second);
    assert_eq!(first, sites);
    // Empty targets read nothing.
    let stats = reader
        .read_targets(&Targets::new(), |_| panic!("no site expected"))
        .unwrap();
    assert_eq!(stats.records_scanned, 0);
}

// ---- errors: each names the file, the line or record, and what is wrong ----

fn assert_message(err: &tailor_genome::Error, path: &Path, parts: &[&str]) {
    let text = err.to_string();
    assert!(
        text.starts_with(&format!("{}: ", path.display())),
        "message should start with the path: {text}"
    );
    for part in parts {
        assert!(text.contains(part), "{text:?} should contain {part:?}");
    }
}

#[test]
fn truncated_gzip_is_an_error() {
    let text: String = (1..5000)
        .map(|i| format!("chr1\t{i}\t.\tA\tG\t.\t.\t.\tGT\t0/1\t1/1\n"))
        .collect();
    let gz = gzip(&vcf(&text));
    let dir = tempfile::tempdir().unwrap();
    for cut in [gz.len() - 4, gz.len() * 2 / 3, 40] {
        let path = write(dir.path(), "cut.vcf.gz", &gz[..cut]);
        let err = any_err(&path);
        assert!(matches!(err.kind(), ErrorKind::Truncated(_)), "{err}");
        assert_message(&err, &path, &["truncated"]);
    }
    let path = write(dir.path(), "cut.vcf.gz", &gz[..gz.len() * 2 / 3]);
    let err = any_err(&path);
    assert!(matches!(err.kind(), ErrorKind::Truncated(_)), "{err}");
    assert_message(&err, &path, &["truncated"]);
}

#[test]
fn truncated_bgzf_is_an_error_at_open_and_while_streaming() {
    let text: String = (1..5000)
        .map(|i| format!("chr1\t{i}\t.\tA\tG\t.\t.\t.\tGT\t0/1\t1/1\n"))
        .collect();
    let bytes = bgzf::compress_with_block_size(&vcf(&text), 4000);
    let dir = tempfile::tempdir().unwrap();
    // Cut mid-block, and cut exactly before the EOF marker (every remaining block whole).
    for (name, cut) in [
        ("mid.vcf.gz", bytes.len() / 2),
        ("eof.vcf.gz", bytes.len() - 28),
    ] {
        let path = write(dir.path(), name, &bytes[..cut]);
        let err = open_err(&path);
        assert!(matches!(err.kind(), ErrorKind::Truncated(_)), "{err}");
        assert_message(&err, &path, &["truncated", "end-of-file marker"]);
    }
    // Damage in the middle of an otherwise complete file: found while reading, with the
    // byte offset of the bad block.
    let mut damaged = bytes.clone();
    let n = damaged.len();
    damaged[n / 2] ^= 0x5a;
    let path = write(dir.path(), "bad.vcf.gz", &damaged);
    let err = read_err(&path);
    assert!(matches!(err.kind(), ErrorKind::Corrupt(_)), "{err}");
    assert_message(&err, &path, &["byte offset"]);
}

#[test]
fn files_that_are_not_vcf_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let cases: [(&str, Vec<u8>, ErrorKind); 5] = [
        ("empty.vcf", vec![], ErrorKind::Empty),
        (
            "elf.vcf",
            vec![0x7f, b'E', b'L', b'F', 2, 1, 1, 0, 0, 0],
            ErrorKind::NotVariantFile(String::new()),
        ),
        (
            "csv.vcf",
            b"a,b,c\n1,2,3\n".to_vec(),
            ErrorKind::NotVariantFile(String::new()),
        ),
        (
            "noformat.vcf",
            b"#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\n".to_vec(),
            ErrorKind::NotVariantFile(String::new()),
        ),
        (
            "gzjunk.vcf.gz",
            gzip(&[0u8, 1, 2, 3, 200, 201]),
            ErrorKind::NotVariantFile(String::new()),
        ),
    ];
    for (name, bytes, expected) in cases {
        let path = write(dir.path(), name, &bytes);
        let err = open_err(&path);
        assert_eq!(
            std::mem::discriminant(err.kind()),
            std::mem::discriminant(&expected),
            "{name}: {err}"
        );
        assert_message(&err, &path, &[]);
    }
    let path = write(
        dir.path(),
        "nocolumns.vcf",
        b"##fileformat=VCFv4.2\n##source=x\n",
    );
    let err = open_err(&path);
    assert!(matches!(err.kind(), ErrorKind::Header(_)), "{err}");
    assert_message(&err, &path, &["#CHROM"]);
}

#[test]
fn malformed_header_line_is_named_by_line_number() {
    let dir = tempfile::tempdir().unwrap();
    let text = "##fileformat=VCFv4.2\n##contig=<ID=chr1,length=248956422>\n\
                ##INFO=<ID=DP,Number=1,Type=Integer,Description=\"unterminated>\n\
                #CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\n";
    let path = write(dir.path(), "h.vcf", text.as_bytes());
    let err = open_err(&path);
    assert!(matches!(err.kind(), ErrorKind::Header(_)), "{err}");
    assert_message(&err, &path, &["line 3", "##INFO"]);
}

#[test]
fn record_errors_name_the_line() {
    let dir = tempfile::tempdir().unwrap();
    // HEADER has 4 lines, so the first record is line 5 and the bad one line 6.
    let good = "chr1\t1\t.\tA\tG\t.\t.\t.\tGT\t0/1\t1/1\n";
    let cases = [
        (
            "few.vcf",
            "chr1\t2\t.\tA\tG\t.\t.\n",
            "at least 8",
            "TooFewColumns",
        ),
        (
            "pos.vcf",
            "chr1\t2x\t.\tA\tG\t.\t.\t.\tGT\t0/1\t1/1\n",
            "POS: expected a 1-based position from 1 to 2147483647, found `2x`",
            "InvalidPosition",
        ),
        (
            "allele.vcf",
            "chr1\t2\t.\tA\tG\t.\t.\t.\tGT\t0/1\t0/2\n",
            "sample S2",
            "AlleleOutOfRange",
        ),
        (
            "samples.vcf",
            "chr1\t2\t.\tA\tG\t.\t.\t.\tGT\t0/1\n",
            "2 samples",
            "SampleColumns",
        ),
        (
            "gt.vcf",
            "chr1\t2\t.\tA\tG\t.\t.\t.\tGT\t0/1\tAB\n",
            "cannot parse genotype",
            "InvalidGenotype",
        ),
    ];
    for (name, bad, words, kind) in cases {
        let path = write(dir.path(), name, &vcf(&format!("{good}{bad}")));
        let err = read_err(&path);
        assert_message(&err, &path, &["line 6", words]);
        assert!(
            format!("{:?}", err.kind()).starts_with(kind),
            "{name}: {:?}",
            err.kind()
        );
        assert_eq!(err.location(), Some(&tailor_genome::Location::Line(6)));
    }
    // Genotype index beyond ALT: the message says which allele and how many ALTs exist.
    let path = dir.path().join("allele.vcf");
    let err = read_err(&path);
    assert_message(&err, &path, &["\"0/2\"", "allele 2", "1 ALT"]);
}

#[test]
fn unknown_sample_lists_the_available_ones() {
    let options = ReaderOptions {
        samples: SampleSelection::Named(vec!["S1".into(), "NA12878".into()]),
        use_index: true,
        ..ReaderOptions::default()
    };
    let path = fixture("forms.vcf");
    let err = VariantReader::open(&path, &options).unwrap_err();
    assert!(matches!(err.kind(), ErrorKind::UnknownSample { .. }));
    assert_message(&err, &path, &["\"NA12878\"", "S1, S2, S3"]);
}

#[test]
fn grch37_is_refused_with_the_reason() {
    let dir = tempfile::tempdir().unwrap();
    let columns = "#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\n";
    let cases = [
        (
            "len.vcf",
            "##contig=<ID=chr1,length=249250621>\n",
            "249250621",
        ),
        ("asm.vcf", "##contig=<ID=1,assembly=b37>\n", "assembly=b37"),
        (
            "ref.vcf",
            "##reference=file:///ref/hs37d5.fa.gz\n",
            "hs37d5",
        ),
    ];
    for (name, meta, evidence) in cases {
        let text = format!("##fileformat=VCFv4.2\n{meta}{columns}");
        let path = write(dir.path(), name, text.as_bytes());
        let err = open_err(&path);
        assert!(matches!(err.kind(), ErrorKind::Grch37 { .. }), "{err}");
        assert_message(&err, &path, &["GRCh37", evidence]);
    }
    // The same in BGZF and BCF containers is refused too (the check is on the header).
    let text = format!("##fileformat=VCFv4.2\n##contig=<ID=chr1,length=249250621>\n{columns}");
    let path = write(dir.path(), "len.vcf.gz", &bgzf::compress(text.as_bytes()));
    assert!(matches!(open_err(&path).kind(), ErrorKind::Grch37 { .. }));
}

#[test]
fn corrupt_and_stale_indexes() {
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read(fixture("forms.vcf")).unwrap();
    let data = write(dir.path(), "f.vcf.gz", &bgzf::compress(&text));
    // Garbage index: a clear error naming the index.
    let index = write(
        dir.path(),
        "f.vcf.gz.tbi",
        &bgzf::compress(b"TBI\x01garbage"),
    );
    let err = open_err(&data);
    assert!(matches!(err.kind(), ErrorKind::Index { .. }), "{err}");
    assert!(err.to_string().contains("f.vcf.gz.tbi"), "{err}");
    // Without the index option the same file reads.
    assert_eq!(read_all(&data, &streamed()).len(), 9);
    // An index older than the data is ignored rather than trusted.
    let old = std::time::SystemTime::now() - std::time::Duration::from_secs(3600);
    std::fs::File::options()
        .write(true)
        .open(&index)
        .unwrap()
        .set_modified(old)
        .unwrap();
    let reader = VariantReader::open(&data, &ReaderOptions::default()).unwrap();
    assert!(reader.index_path().is_none());
    assert!(
        reader.index_problem().unwrap().contains("older"),
        "{:?}",
        reader.index_problem()
    );
}

/// Rewrites every chunk start of one reference in a CSI index (BCF flavour, no aux data).
fn csi_with_bad_chunk_starts(csi_bgzf: &[u8], reference: usize, start: u64) -> Vec<u8> {
    let mut data = Vec::new();
    let mut decoder = flate2::read::MultiGzDecoder::new(csi_bgzf);
    std::io::Read::read_to_end(&mut decoder, &mut data).unwrap();
    let i32_at = |d: &[u8], p: usize| i32::from_le_bytes(d[p..p + 4].try_into().unwrap()) as usize;
    let mut p = 4 + 8;
    let l_aux = i32_at(&data, p);
    p += 4 + l_aux;
    let n_ref = i32_at(&data, p);
    p += 4;
    for r in 0..n_ref {
        let n_bin = i32_at(&data, p);
        p += 4;
        for _ in 0..n_bin {
            p += 4 + 8; // bin, loffset
            let n_chunk = i32_at(&data, p);
            p += 4;
            for _ in 0..n_chunk {
                if r == reference {
                    data[p..p + 8].copy_from_slice(&start.to_le_bytes());
                }
                p += 16;
            }
        }
    }
    bgzf::compress(&data)
}

#[test]
fn an_index_pointing_to_no_block_is_set_aside_before_any_record_is_reported() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("f.bcf");
    std::fs::copy(fixture("forms.bcf"), &data).unwrap();
    let csi = std::fs::read(fixture("forms.bcf.csi")).unwrap();
    // chr2's chunks now start at byte offset 3, inside the first block's header.
    write(
        dir.path(),
        "f.bcf.csi",
        &csi_with_bad_chunk_starts(&csi, 1, 3 << 16),
    );
    let mut targets = Targets::new();
    targets.add("chr1", 100, 100);
    targets.add("chr2", 100, 100);
    let mut reader = VariantReader::open(&data, &ReaderOptions::default()).unwrap();
    assert!(
        reader.index_problem().is_none(),
        "the end of the index still fits"
    );
    let mut sites = Vec::new();
    let stats = reader
        .read_targets(&targets, |s| sites.push(s.clone()))
        .unwrap();
    assert!(!stats.used_index);
    assert!(reader.index_problem().unwrap().contains("byte offset 3"));
    let (expected, _) = read(&fixture("forms.bcf"), &streamed(), &targets);
    assert_eq!(sites, expected);
    assert_eq!(sites.len(), 2);
}
