//! Robustness: hundreds of pseudo-random mutations of valid VCF, BGZF, gzip and BCF files
//! (and of their indexes) go through open + read; errors are fine, panics are not.
//! The same harness runs under libFuzzer in /fuzz (target `vcf_reader`).

use crate::common;

use std::panic::AssertUnwindSafe;
use std::path::Path;

use common::*;
use tailor_genome::{bgzf, ReaderOptions, SampleSelection, Targets, VariantReader};

/// xorshift64*: deterministic, so a failing case can be replayed from its seed.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

/// Bytes that matter to the parsers, so mutations hit interesting paths more often than
/// uniformly random bytes would.
const SPECIAL: &[u8] = b"\t\n\r:/|.;,=<>#0123456789-\0\xff";

fn mutate(data: &[u8], rng: &mut Rng) -> Vec<u8> {
    let mut out = data.to_vec();
    for _ in 0..=rng.below(4) {
        if out.is_empty() {
            out.push(b'#');
        }
        let at = rng.below(out.len());
        match rng.below(7) {
            0 => out[at] ^= 1 << rng.below(8),
            1 => out[at] = SPECIAL[rng.below(SPECIAL.len())],
            2 => out.truncate(at),
            3 => {
                let len = rng.below(16).min(out.len() - at);
                out.drain(at..at + len);
            }
            4 => {
                let byte = SPECIAL[rng.below(SPECIAL.len())];
                let n = 1 + rng.below(8);
                out.splice(at..at, std::iter::repeat_n(byte, n));
            }
            5 => {
                let len = rng.below(64).min(out.len() - at);
                let copy = out[at..at + len].to_vec();
                let to = rng.below(out.len());
                out.splice(to..to, copy);
            }
            _ => out[at] = rng.next() as u8,
        }
    }
    out
}

fn exercise(path: &Path, threads: usize) {
    let mut targets = Targets::new();
    targets.add("chr1", 150, 650);
    targets.add("2", 100, 100);
    for options in [
        ReaderOptions::default(),
        ReaderOptions {
            samples: SampleSelection::Named(vec!["S2".into()]),
            use_index: false,
            ..ReaderOptions::default()
        },
    ] {
        if let Ok(mut reader) = VariantReader::open(path, &options) {
            reader.set_decompression_threads(threads);
            let _ = reader.read_targets(&targets, |site| {
                assert!(site.end >= site.pos);
                assert_eq!(site.genotypes.len(), reader_samples(&options));
            });
            let _ = reader.read_all(|_| {});
        }
    }
}

fn reader_samples(options: &ReaderOptions) -> usize {
    match &options.samples {
        SampleSelection::All => 3,
        SampleSelection::Named(names) => names.len(),
    }
}

#[test]
fn mutated_inputs_never_panic() {
    let text = std::fs::read(fixture("forms.vcf")).unwrap();
    let bcf = std::fs::read(fixture("forms.bcf")).unwrap();
    let bcf_index = std::fs::read(fixture("forms.bcf.csi")).unwrap();
    let raw_bcf = std::fs::read(fixture("forms.raw.bcf")).unwrap();
    let seeds: [(&str, Vec<u8>, usize); 6] = [
        ("plain.vcf", text.clone(), 300),
        ("gz.vcf.gz", gzip(&text), 60),
        (
            "bgzf.vcf.gz",
            bgzf::compress_with_block_size(&text, 200),
            100,
        ),
        ("bgzf-inflated.vcf.gz", text.clone(), 100), // mutate text, then compress
        ("f.bcf", bcf.clone(), 150),
        ("raw.bcf", raw_bcf.clone(), 200),
    ];
    let dir = tempfile::tempdir().unwrap();
    let mut rng = Rng(0x5eed_1234_abcd_0001);
    let mut cases = 0;
    for (name, seed, count) in seeds {
        for i in 0..count {
            let mut bytes = mutate(&seed, &mut rng);
            if name == "bgzf-inflated.vcf.gz" {
                bytes = bgzf::compress_with_block_size(&bytes, 100);
            }
            let path = write(dir.path(), name, &bytes);
            if name == "f.bcf" {
                // Keep a valid index beside mutated data, or a mutated index beside valid
                // data, so index queries land in damaged places.
                let index = if i % 2 == 0 {
                    bcf_index.clone()
                } else {
                    mutate(&bcf_index, &mut rng)
                };
                if i % 2 == 1 {
                    std::fs::write(&path, &bcf).unwrap();
                }
                write(dir.path(), "f.bcf.csi", &index);
            }
            let threads = i % 3;
            let outcome = std::panic::catch_unwind(AssertUnwindSafe(|| exercise(&path, threads)));
            assert!(
                outcome.is_ok(),
                "{name} case {i} panicked; input kept at {}",
                dir.keep().join(name).display()
            );
            cases += 1;
        }
    }
    assert!(cases >= 900);
}
