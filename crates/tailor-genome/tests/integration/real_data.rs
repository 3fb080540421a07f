//! The reader on real public files from ../shared/data: PharmCAT's positions file,
//! 1000 Genomes 3,202-sample gene files (tabix-indexed) and GeT-RM whole-genome calls.
//! Index and streaming paths must give identical sites; where bcftools is installed, the
//! genotypes are checked against it, and BCF made by bcftools must read like its VCF.

use crate::common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::*;
use tailor_genome::{Filter, ReaderOptions, SampleSelection, Site, Targets, VariantReader};

fn thousand_genomes(gene: &str) -> PathBuf {
    shared_data().join(format!("pgx/1kgp-grch38/{gene}.vcf.gz"))
}

fn getrm(chrom: &str) -> PathBuf {
    shared_data().join(format!(
        "pgx/getrm-wgs/PharmCAT_tutorial_get-rm_wgs_30x_grch38_{chrom}.vcf.bgz"
    ))
}

/// Indexed and streamed reads of the same file give the same sites, for all targets and
/// for a narrow region where the index must limit what is read; returns the indexed sites
/// for all targets.
fn check_indexed_equals_streamed(path: &Path, targets: &Targets) -> Vec<Site> {
    let (indexed, istats) = read(path, &ReaderOptions::default(), targets);
    let (streamed_sites, sstats) = read(path, &streamed(), targets);
    assert!(
        istats.used_index && !sstats.used_index,
        "{}",
        path.display()
    );
    assert_eq!(
        without_numbers(streamed_sites),
        indexed,
        "{}",
        path.display()
    );
    assert!(indexed.iter().all(|s| s.record_number == 0));

    let mut cyp2c19 = Targets::new();
    cyp2c19.add("chr10", 94_760_000, 94_860_000);
    let (narrow, nstats) = read(path, &ReaderOptions::default(), &cyp2c19);
    let (streamed_narrow, snstats) = read(path, &streamed(), &cyp2c19);
    assert!(nstats.used_index);
    assert_eq!(without_numbers(streamed_narrow), narrow);
    assert!(!narrow.is_empty());
    assert!(
        nstats.records_scanned < snstats.records_scanned / 4,
        "the index should limit reading: {nstats:?} vs {snstats:?}"
    );
    indexed
}

#[test]
fn pharmcat_positions_read_the_same_indexed_and_streamed() {
    let dir = shared_data().join("pgx/pharmcat-3.1.1/positions");
    let uniallelic = dir.join("pharmcat_positions.uniallelic.vcf.bgz");
    let sites = check_indexed_equals_streamed(&uniallelic, &targets_from(&uniallelic));
    assert!(sites.len() > 1000);

    let path = pharmcat_positions();
    let streamed_sites = read_all(&path, &streamed());
    assert_eq!(streamed_sites.len(), 1202);
    // Streaming numbers records by line: the header has 21 lines.
    assert_eq!(streamed_sites[0].record_number, 22);
    let first = &streamed_sites[0];
    assert_eq!((first.chrom.as_str(), first.pos), ("chr1", 97_078_987));
    assert_eq!(first.ids, vec!["rs114096998"]);
    assert_eq!(
        (first.ref_allele.as_str(), first.alts.as_slice()),
        ("G", &["T".to_string()][..])
    );
    assert_eq!(first.filter, Filter::Pass);
    assert_eq!(first.genotypes[0].alleles, vec![Some(0), Some(0)]);

    // With an index that matches (built here when bcftools is available; the shipped one
    // does not match, see the next test).
    if have("bcftools") {
        let tmp = tempfile::tempdir().unwrap();
        let copy = tmp.path().join("positions.vcf.bgz");
        std::fs::copy(&path, &copy).unwrap();
        bcftools(&["index", "--csi", copy.to_str().unwrap()]);
        let indexed = check_indexed_equals_streamed(&copy, &targets_from(&path));
        assert_eq!(indexed, without_numbers(streamed_sites));
    } else {
        eprintln!("bcftools not installed: not re-indexing pharmcat_positions.vcf.bgz");
    }
}

#[test]
fn pharmcat_positions_shipped_index_is_recognised_as_not_matching() {
    // PharmCAT 3.1.1 ships a .csi that does not match its .bgz (built for another
    // compression of the same text; `bcftools view -r` fails with "Invalid BGZF header at
    // offset 375"). Its last chunk ends at byte offset 10761, where no block starts (the
    // data ends at 10744), so the reader sets it aside at open, says why, and streams
    // instead (same records).
    let path = pharmcat_positions();
    let targets = targets_from(&path);
    let mut reader = VariantReader::open(&path, &ReaderOptions::default()).unwrap();
    assert!(reader.index_path().is_none());
    let problem = reader.index_problem().expect("the mismatch is reported");
    assert!(problem.contains("does not match"), "{problem}");
    assert!(problem.contains("byte offset 10761"), "{problem}");
    let mut sites = Vec::new();
    let stats = reader
        .read_targets(&targets, |s| sites.push(s.clone()))
        .unwrap();
    assert!(!stats.used_index);
    let (expected, _) = read(&path, &streamed(), &targets);
    assert_eq!(sites, expected);
    assert_eq!(sites.len(), 1202);
}

#[test]
fn thousand_genomes_read_the_same_indexed_and_streamed() {
    let targets = targets_from(&pharmcat_positions());
    for gene in ["CYP2C19", "CYP2D6", "SLCO1B1", "UGT1A1", "TPMT"] {
        let path = thousand_genomes(gene);
        let (indexed, istats) = read(&path, &ReaderOptions::default(), &targets);
        let (streamed_sites, sstats) = read(&path, &streamed(), &targets);
        assert!(istats.used_index, "{gene}");
        assert!(!indexed.is_empty(), "{gene}");
        assert_eq!(without_numbers(streamed_sites), indexed, "{gene}");
        assert!(istats.records_scanned <= sstats.records_scanned);
        assert!(indexed.iter().all(|s| s.genotypes.len() == 3202), "{gene}");
        // 1000 Genomes calls are phased diploid (haploid on chrX in males).
        for site in &indexed {
            for gt in &site.genotypes {
                assert!(
                    gt.phased || gt.alleles.len() == 1,
                    "{gene} {}:{}",
                    site.chrom,
                    site.pos
                );
            }
        }
    }
}

#[test]
fn thousand_genomes_sample_selection_picks_the_right_columns() {
    let path = thousand_genomes("CYP2C19");
    let targets = targets_from(&pharmcat_positions());
    let (all, _) = read(&path, &ReaderOptions::default(), &targets);
    let reader = VariantReader::open(&path, &ReaderOptions::default()).unwrap();
    let names = reader.samples().to_vec();
    let pick = vec![names[3000].clone(), names[7].clone()];
    let options = ReaderOptions {
        samples: SampleSelection::Named(pick),
        use_index: true,
        ..ReaderOptions::default()
    };
    let (some, _) = read(&path, &options, &targets);
    assert_eq!(
        VariantReader::open(&path, &options).unwrap().samples(),
        [names[7].clone(), names[3000].clone()]
    );
    for (a, s) in all.iter().zip(&some) {
        assert_eq!(
            s.genotypes,
            vec![a.genotypes[7].clone(), a.genotypes[3000].clone()]
        );
    }
}

#[test]
fn getrm_whole_genome_calls_read_for_pgx_targets() {
    let targets = targets_from(&pharmcat_positions());
    let mut matched = 0;
    for chrom in ["chr1", "chr10", "chr19", "chr22"] {
        let path = getrm(chrom);
        let (sites, stats) = read(&path, &ReaderOptions::default(), &targets);
        assert!(!stats.used_index, "no index ships with these files");
        assert!(stats.records_scanned > 50_000, "{chrom}: {stats:?}");
        assert!(!sites.is_empty(), "{chrom}");
        for site in &sites {
            assert!(targets.overlaps(&site.chrom, site.pos, site.end));
            assert_eq!(site.genotypes.len(), 3);
        }
        matched += sites.len();
    }
    assert!(matched > 100, "{matched}");
    let reader = VariantReader::open(&getrm("chr10"), &ReaderOptions::default()).unwrap();
    assert_eq!(reader.samples(), ["NA18526", "NA18565", "NA18861"]);
    assert_eq!(
        reader.header().build().build,
        tailor_genome::GenomeBuild::Grch38
    );
}

#[test]
fn getrm_preprocessed_single_sample_files_read_whole() {
    let dir = shared_data().join("pgx/getrm-wgs");
    for sample in ["NA18526", "NA18565", "NA18861"] {
        let sites = read_all(
            &dir.join(format!("{sample}.preprocessed.vcf")),
            &ReaderOptions::default(),
        );
        assert!(sites.len() > 100, "{sample}");
        assert!(sites.iter().all(|s| s.genotypes.len() == 1));
    }
}

// ---- independent checks with bcftools (installed by .ci/run) ----

fn render(gt: &tailor_genome::Genotype) -> String {
    let sep = if gt.phased { "|" } else { "/" };
    gt.alleles
        .iter()
        .map(|a| a.map_or(".".to_string(), |a| a.to_string()))
        .collect::<Vec<_>>()
        .join(sep)
}

fn regions_file(dir: &Path) -> PathBuf {
    let mut text = String::new();
    let mut reader = VariantReader::open(&pharmcat_positions(), &ReaderOptions::default()).unwrap();
    reader
        .read_all(|s| text.push_str(&format!("{}\t{}\t{}\n", s.chrom, s.pos, s.end)))
        .unwrap();
    write(dir, "regions.tsv", text.as_bytes())
}

fn bcftools(args: &[&str]) -> String {
    let out = Command::new("bcftools").args(args).output().unwrap();
    assert!(
        out.status.success(),
        "bcftools {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

fn as_query_lines(sites: &[Site]) -> Vec<String> {
    sites
        .iter()
        .map(|s| {
            let alt = if s.alts.is_empty() {
                ".".to_string()
            } else {
                s.alts.join(",")
            };
            let gts: Vec<String> = s.genotypes.iter().map(render).collect();
            format!(
                "{}\t{}\t{}\t{}\t{}",
                s.chrom,
                s.pos,
                s.ref_allele,
                alt,
                gts.join("\t")
            )
        })
        .collect()
}

#[test]
fn genotypes_agree_with_bcftools() {
    if !have("bcftools") {
        eprintln!(
            "SKIPPED: bcftools not installed; forms.bcf (tests/integration/fixtures.rs) still checks BCF"
        );
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let regions = regions_file(dir.path());
    let regions = regions.to_str().unwrap();
    let targets = targets_from(&pharmcat_positions());
    let format = "%CHROM\t%POS\t%REF\t%ALT[\t%GT]\n";
    let cases = [
        (thousand_genomes("CYP2C19"), "-R"),
        (thousand_genomes("CYP2D6"), "-R"),
        (getrm("chr10"), "-T"),
        (getrm("chr19"), "-T"),
    ];
    for (path, how) in cases {
        let overlap = if how == "-R" {
            "--regions-overlap"
        } else {
            "--targets-overlap"
        };
        let expected: Vec<String> = bcftools(&[
            "query",
            how,
            regions,
            overlap,
            "record",
            "-f",
            format,
            path.to_str().unwrap(),
        ])
        .lines()
        .map(str::to_string)
        .collect();
        let (sites, _) = read(&path, &ReaderOptions::default(), &targets);
        assert!(!expected.is_empty());
        assert_eq!(as_query_lines(&sites), expected, "{}", path.display());
    }
}

#[test]
fn bcf_made_by_bcftools_reads_like_its_vcf() {
    if !have("bcftools") {
        eprintln!(
            "SKIPPED: bcftools not installed; forms.bcf (tests/integration/fixtures.rs) still checks BCF"
        );
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let targets = targets_from(&pharmcat_positions());
    for (name, vcf) in [
        ("kgp.bcf", thousand_genomes("CYP2C19")),
        ("getrm.bcf", getrm("chr22")),
        ("positions.bcf", pharmcat_positions()),
    ] {
        let bcf = dir.path().join(name);
        let bcf_str = bcf.to_str().unwrap();
        bcftools(&["view", "-Ob", "-o", bcf_str, vcf.to_str().unwrap()]);
        bcftools(&["index", bcf_str]);
        let (from_vcf, _) = read(&vcf, &streamed(), &targets);
        let (streamed_bcf, sstats) = read(&bcf, &streamed(), &targets);
        let (indexed_bcf, istats) = read(&bcf, &ReaderOptions::default(), &targets);
        assert!(istats.used_index && !sstats.used_index, "{name}");
        assert!(!from_vcf.is_empty(), "{name}");
        let expected = without_numbers(from_vcf);
        assert_eq!(without_numbers(streamed_bcf), expected, "{name} streamed");
        assert_eq!(indexed_bcf, expected, "{name} indexed");
    }
}

#[test]
fn whole_chromosome_and_unbounded_targets_use_the_index_sanely() {
    let path = thousand_genomes("CYP2C19");
    let options = ReaderOptions {
        samples: SampleSelection::Named(vec!["HG00096".into()]),
        use_index: true,
        ..ReaderOptions::default()
    };
    let streaming = ReaderOptions {
        use_index: false,
        ..options.clone()
    };
    for (start, end) in [(1, 133_797_422), (1, u64::MAX), (94_800_000, u64::MAX)] {
        let mut targets = Targets::new();
        targets.add("chr10", start, end);
        let (indexed, stats) = read(&path, &options, &targets);
        let (expected, _) = read(&path, &streaming, &targets);
        assert!(stats.used_index);
        assert_eq!(indexed, without_numbers(expected), "{start}..={end}");
        assert!(!indexed.is_empty());
    }
}
