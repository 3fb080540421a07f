//! The somatic read: INFO text and requested FORMAT values, from VCF and BCF alike.

use crate::common;

use std::path::Path;

use common::*;
use tailor_genome::{ReaderOptions, SampleSelection, Site, Targets, VariantReader};

const KEYS: [&str; 6] = ["AD", "AF", "DP", "FT", "DPT", "GT"];

fn somatic_options() -> ReaderOptions {
    ReaderOptions {
        info: true,
        format_keys: KEYS.iter().map(|k| k.to_string()).collect(),
        use_index: false,
        ..ReaderOptions::default()
    }
}

/// Every requested FORMAT value of every selected sample, for readable failure output.
fn format_table(site: &Site, samples: usize) -> Vec<Vec<Option<String>>> {
    (0..samples)
        .map(|s| {
            KEYS.iter()
                .map(|k| site.format_value(s, k).map(str::to_string))
                .collect()
        })
        .collect()
}

#[test]
fn info_and_format_values_read_as_written() {
    let sites = read_all(&fixture("somatic.vcf"), &somatic_options());
    assert_eq!(sites.len(), 5);
    let braf = &sites[0];
    assert_eq!(braf.info_value("DP"), Some("120"));
    assert_eq!(braf.info_value("TVAF"), Some("0.25"));
    assert_eq!(braf.info_value("SOMATIC"), Some(""));
    assert_eq!(braf.info_value("DB"), Some(""));
    assert_eq!(braf.info_value("TAL"), Some("mutect2,strelka"));
    assert!(braf
        .info_value("CSQ")
        .is_some_and(|csq| csq.contains("p.Val600Glu") && csq.split(',').count() == 2));
    assert_eq!(braf.info_value("END"), None);
    assert_eq!(braf.format_value(0, "AD"), Some("90,30"));
    assert_eq!(braf.format_value(0, "AF"), Some("0.25"));
    assert_eq!(braf.format_value(0, "DPT"), Some("120"));
    assert_eq!(braf.format_value(0, "GT"), Some("0/1"));
    assert_eq!(braf.format_value(1, "AF"), Some("0"));
    assert_eq!(braf.format_value(1, "DPT"), None, "'.' reads as None");
    assert_eq!(braf.format_value(0, "GQ"), None, "not requested");

    let kras = &sites[1];
    assert_eq!(kras.info_value("DP"), Some("."));
    assert_eq!(kras.info_value("TVAF"), Some("0.5,."));
    assert_eq!(kras.info_value("SCORE"), Some("-3,.,300,70000"));
    assert_eq!(kras.info_value("SOMATIC"), None);
    assert_eq!(kras.format_value(0, "AD"), Some(".,3,4"));
    assert_eq!(kras.format_value(0, "AF"), Some(".,0.1"));
    assert_eq!(kras.format_value(1, "AD"), Some("12,.,."));
    assert_eq!(kras.format_value(0, "FT"), None, "FT is not in this FORMAT");

    let insertion = &sites[2];
    assert_eq!(insertion.info, "", "INFO '.' is kept as empty text");
    assert_eq!(insertion.format_value(0, "AD"), Some("10,5"));
    assert_eq!(
        insertion.format_value(0, "DP"),
        None,
        "dropped trailing field"
    );
    assert_eq!(insertion.format_value(1, "AD"), None);

    let tp53 = &sites[3];
    assert_eq!(tp53.info_value("TVAF"), Some("1e-05"));
    assert_eq!(tp53.format_value(0, "FT"), Some("lowAD;lowDP"));
    assert_eq!(tp53.format_value(0, "AF"), Some("0.000123"));
    assert_eq!(tp53.format_value(1, "AF"), Some("3.5e+20"));
    assert_eq!(tp53.format_value(0, "GT"), Some("0|1"));

    let deletion = &sites[4];
    assert_eq!(deletion.end, 7_675_100);
    assert_eq!(
        deletion.info_value("SCORE"),
        Some("-128,127,-32768,2147483647")
    );
    assert_eq!(deletion.format_value(0, "AD"), Some("3,4"));
    assert_eq!(deletion.format_value(1, "AD"), None);
    assert_eq!(deletion.format_value(1, "GT"), Some("0/0"));
}

fn assert_same_sites(path: &Path, expected: &[Site], options: &ReaderOptions) {
    let sites = without_numbers(read_all(path, options));
    assert_eq!(sites.len(), expected.len(), "{}", path.display());
    for (got, want) in sites.iter().zip(expected) {
        assert_eq!(got.info, want.info, "{} at {}", path.display(), want.pos);
        assert_eq!(
            format_table(got, 2),
            format_table(want, 2),
            "{} at {}",
            path.display(),
            want.pos
        );
        assert_eq!(got, want, "{} at {}", path.display(), want.pos);
    }
}

#[test]
fn bcf_renders_typed_values_as_the_vcf_text() {
    let options = somatic_options();
    let expected = without_numbers(read_all(&fixture("somatic.vcf"), &options));
    // Written by htslib (committed), so this runs without bcftools too.
    assert_same_sites(&fixture("somatic.bcf"), &expected, &options);
    if have("bcftools") {
        let dir = tempfile::tempdir().unwrap();
        for (flag, name) in [("-Ob", "fresh.bcf"), ("-Ou", "fresh.u.bcf")] {
            let out = dir.path().join(name);
            let status = std::process::Command::new("bcftools")
                .args(["view", flag, "-o"])
                .arg(&out)
                .arg(fixture("somatic.vcf"))
                .status()
                .unwrap();
            assert!(status.success());
            assert_same_sites(&out, &expected, &options);
        }
    }
}

#[test]
fn default_options_keep_neither_info_nor_format_values() {
    for name in ["somatic.vcf", "somatic.bcf"] {
        let sites = read_all(&fixture(name), &streamed());
        assert!(sites.iter().all(|s| s.info.is_empty()), "{name}");
        assert!(sites.iter().all(|s| s.format.keys().is_empty()), "{name}");
        assert_eq!(sites[0].info_value("DP"), None);
        assert_eq!(sites[0].format_value(0, "AD"), None);
        // Genotypes are read as before.
        assert_eq!(sites[1].genotypes[0].alleles, vec![Some(1), Some(2)]);
    }
}

#[test]
fn format_values_follow_the_sample_selection_and_targets() {
    let options = ReaderOptions {
        samples: SampleSelection::Named(vec!["NORMAL".into()]),
        ..somatic_options()
    };
    let mut targets = Targets::new();
    targets.add("12", 25_245_350, 25_245_350);
    for name in ["somatic.vcf", "somatic.bcf"] {
        let (sites, _) = read(&fixture(name), &options, &targets);
        assert_eq!(sites.len(), 1, "{name}");
        assert_eq!(sites[0].format.samples(), 1);
        assert_eq!(sites[0].format_value(0, "AD"), Some("12,.,."), "{name}");
        assert_eq!(sites[0].format_value(0, "AF"), Some("0,0"), "{name}");
        assert_eq!(sites[0].format_value(1, "AD"), None, "{name}");
        assert_eq!(sites[0].info_value("SCORE"), Some("-3,.,300,70000"));
    }
}

#[test]
fn grch37_is_read_when_allowed() {
    let dir = tempfile::tempdir().unwrap();
    let text = "##fileformat=VCFv4.2\n##contig=<ID=chr1,length=249250621>\n\
                #CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\nchr1\t5\t.\tA\tG\t.\t.\tDP=3\n";
    let path = write(dir.path(), "b37.vcf", text.as_bytes());
    assert!(VariantReader::open(&path, &ReaderOptions::default()).is_err());
    let options = ReaderOptions {
        allow_grch37: true,
        info: true,
        ..ReaderOptions::default()
    };
    let sites = read_all(&path, &options);
    assert_eq!(sites[0].info_value("DP"), Some("3"));
}

/// PCGR's real tumour-normal example (TVAF/TDP in INFO, DPT/ADT in FORMAT): the values a
/// somatic read needs come out of the VCF, and out of the BCF bcftools makes from it.
#[test]
fn pcgr_example_tags_read_from_vcf_and_bcf() {
    let vcf = shared_data().join("onco/testdata/pcgr/T001-COAD.grch38.vcf.gz");
    let options = ReaderOptions {
        info: true,
        format_keys: vec!["DPT".into(), "ADT".into(), "AL".into()],
        use_index: false,
        ..ReaderOptions::default()
    };
    let sites = read_all(&vcf, &options);
    assert!(sites.len() > 100);
    let first = &sites[0];
    assert_eq!(first.info_value("TVAF"), Some("0.275862068966"));
    assert_eq!(first.info_value("TDP"), Some("29"));
    assert_eq!(first.format_value(0, "DPT"), Some("29"));
    assert_eq!(first.format_value(0, "ADT"), Some("21,8"));
    assert_eq!(first.format_value(0, "AL"), Some("1,3,4,2"));
    for site in &sites {
        let tdp: u32 = site.info_value("TDP").unwrap().parse().unwrap();
        let dpt: u32 = site.format_value(0, "DPT").unwrap().parse().unwrap();
        assert_eq!(tdp, dpt, "{}:{}", site.chrom, site.pos);
    }
    if !have("bcftools") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let bcf = dir.path().join("coad.bcf");
    let status = std::process::Command::new("bcftools")
        .args(["view", "-Ob", "-o"])
        .arg(&bcf)
        .arg(&vcf)
        .status()
        .unwrap();
    assert!(status.success());
    let from_bcf = read_all(&bcf, &options);
    assert_eq!(from_bcf.len(), sites.len());
    for (b, v) in from_bcf.iter().zip(&sites) {
        let at = format!("{}:{}", v.chrom, v.pos);
        // BCF stores floats in 32 bits and prints six significant digits, as bcftools.
        let tvaf = |s: &Site| -> f64 { s.info_value("TVAF").unwrap().parse().unwrap() };
        assert!((tvaf(b) - tvaf(v)).abs() <= 1e-5 * tvaf(v).abs(), "{at}");
        for key in ["TDP", "TAL", "TCGA_CODE"] {
            assert_eq!(b.info_value(key), v.info_value(key), "{at} {key}");
        }
        for key in ["DPT", "ADT", "AL"] {
            assert_eq!(b.format_value(0, key), v.format_value(0, key), "{at} {key}");
        }
    }
}
