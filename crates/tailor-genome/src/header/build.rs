//! Which reference genome a file is aligned to, from its header alone.
//!
//! Tailor's knowledge is in GRCh38 coordinates; applying it to GRCh37 positions silently
//! produces wrong calls (the same number is a different base), so the reader must refuse
//! GRCh37 files and say why. Evidence, strongest first: contig lengths (exact numbers that
//! differ between builds for every primary chromosome), then `##contig` `assembly=`, then
//! the `##reference` line (often just a file name such as `hs37d5.fa`).

use tailor_core::normalize_chrom;

use super::Contig;

/// A reference genome build.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum GenomeBuild {
    /// GRCh37 / hg19 / b37.
    Grch37,
    /// GRCh38 / hg38.
    Grch38,
    /// The header does not say.
    Unknown,
}

/// The build a header points to, and the fact that decided it (for messages).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BuildGuess {
    /// The build.
    pub build: GenomeBuild,
    /// Human-readable evidence, e.g. `contig chr1 has length 249250621 (GRCh37; GRCh38 is
    /// 248956422)`; empty when the build is unknown.
    pub evidence: String,
}

/// Primary chromosome lengths: (name, GRCh37, GRCh38). Both builds' mitochondrion is the
/// 16,569-base rCRS, so it cannot tell them apart and is left out.
const LENGTHS: [(&str, u64, u64); 24] = [
    ("1", 249_250_621, 248_956_422),
    ("2", 243_199_373, 242_193_529),
    ("3", 198_022_430, 198_295_559),
    ("4", 191_154_276, 190_214_555),
    ("5", 180_915_260, 181_538_259),
    ("6", 171_115_067, 170_805_979),
    ("7", 159_138_663, 159_345_973),
    ("8", 146_364_022, 145_138_636),
    ("9", 141_213_431, 138_394_717),
    ("10", 135_534_747, 133_797_422),
    ("11", 135_006_516, 135_086_622),
    ("12", 133_851_895, 133_275_309),
    ("13", 115_169_878, 114_364_328),
    ("14", 107_349_540, 107_043_718),
    ("15", 102_531_392, 101_991_189),
    ("16", 90_354_753, 90_338_345),
    ("17", 81_195_210, 83_257_441),
    ("18", 78_077_248, 80_373_285),
    ("19", 59_128_983, 58_617_616),
    ("20", 63_025_520, 64_444_167),
    ("21", 48_129_895, 46_709_983),
    ("22", 51_304_566, 50_818_468),
    ("X", 155_270_560, 156_040_895),
    ("Y", 59_373_566, 57_227_415),
];

/// Guesses the build from contig lines and the `##reference` value.
pub(crate) fn guess(
    contigs: &[Contig],
    reference: Option<&str>,
    liftover: Option<(&str, &str)>,
) -> BuildGuess {
    if let Some(guess) = from_lengths(contigs) {
        return guess;
    }
    for contig in contigs {
        if let Some(assembly) = &contig.assembly {
            if let Some(build) = from_name(assembly) {
                return BuildGuess {
                    build,
                    evidence: format!("##contig {} declares assembly={assembly}", contig.name),
                };
            }
        }
    }
    if let Some(reference) = reference {
        if let Some(build) = from_name(reference) {
            return BuildGuess {
                build,
                evidence: format!("##reference={reference}"),
            };
        }
    }
    if let Some((key, value)) = liftover {
        let build = if key == "new_reference_genome" {
            from_name(value)
        } else {
            chain_target(value)
        };
        if let Some(build) = build {
            return BuildGuess {
                build,
                evidence: format!("##{key}={value}"),
            };
        }
    }
    BuildGuess {
        build: GenomeBuild::Unknown,
        evidence: String::new(),
    }
}

/// The target build of a UCSC-style chain file name (`hg38ToHg19.over.chain.gz` ->
/// GRCh37): the part after `To`.
fn chain_target(path: &str) -> Option<GenomeBuild> {
    let name = path
        .rsplit(['/', '\\'])
        .next()
        .unwrap_or(path)
        .to_ascii_lowercase();
    let (_, target) = name.split_once("to")?;
    let target: String = target
        .trim_start_matches(|c: char| !c.is_ascii_alphanumeric())
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric())
        .collect();
    from_name(&target)
}

/// Decides by contig lengths; the majority wins if a header mixes builds (it should not).
fn from_lengths(contigs: &[Contig]) -> Option<BuildGuess> {
    let mut grch37: Vec<String> = Vec::new();
    let mut grch38: Vec<String> = Vec::new();
    for contig in contigs {
        let Some(length) = contig.length else {
            continue;
        };
        let name = normalize_chrom(&contig.name);
        let Some(&(_, l37, l38)) = LENGTHS.iter().find(|(n, _, _)| *n == name) else {
            continue;
        };
        if length == l37 {
            grch37.push(format!(
                "contig {} has length {length}, the GRCh37 length (GRCh38's is {l38})",
                contig.name
            ));
        } else if length == l38 {
            grch38.push(format!(
                "contig {} has length {length}, the GRCh38 length",
                contig.name
            ));
        }
    }
    let (build, facts) = match (grch37.len(), grch38.len()) {
        (0, 0) => return None,
        (a, b) if a > b => (GenomeBuild::Grch37, grch37),
        _ => (GenomeBuild::Grch38, grch38),
    };
    let mut evidence = facts[0].clone();
    if facts.len() > 1 {
        evidence.push_str(&format!(", and {} more contig(s) agree", facts.len() - 1));
    }
    Some(BuildGuess { build, evidence })
}

/// Recognises build names inside free text such as `file:///ref/hs37d5.fa.gz` or
/// `GRCh38.p14`, by whole tokens so that `b37` does not match inside an unrelated word.
fn from_name(text: &str) -> Option<GenomeBuild> {
    const GRCH37: [&str; 8] = [
        "grch37",
        "hg19",
        "b37",
        "hs37",
        "hs37d5",
        "v37",
        "assembly19",
        "37",
    ];
    const GRCH38: [&str; 9] = [
        "grch38",
        "hg38",
        "b38",
        "hs38",
        "hs38dh",
        "hs38d1",
        "v38",
        "assembly38",
        "38",
    ];
    let lower = text.to_ascii_lowercase();
    let tokens: Vec<&str> = lower
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|t| !t.is_empty())
        .collect();
    // A bare number only counts when the text is nothing but a build label ("37"), so a
    // path like "/data/run38/ref.fa" is not taken as evidence.
    let bare_only = tokens.len() == 1;
    let has = |names: &[&str]| {
        tokens.iter().any(|t| {
            names
                .iter()
                .any(|n| t == n && (bare_only || *n != "37" && *n != "38"))
        })
    };
    match (has(&GRCH37), has(&GRCH38)) {
        (true, false) => Some(GenomeBuild::Grch37),
        (false, true) => Some(GenomeBuild::Grch38),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn contig(name: &str, length: Option<u64>, assembly: Option<&str>) -> Contig {
        Contig {
            name: name.into(),
            length,
            assembly: assembly.map(str::to_string),
            idx: None,
        }
    }

    #[test]
    fn lengths_decide_the_build() {
        let g = guess(&[contig("chr1", Some(249_250_621), None)], None, None);
        assert_eq!(g.build, GenomeBuild::Grch37);
        assert!(g.evidence.contains("249250621"), "{}", g.evidence);
        let g = guess(
            &[contig("1", Some(248_956_422), None)],
            Some("hs37d5.fa"),
            None,
        );
        assert_eq!(g.build, GenomeBuild::Grch38);
    }

    #[test]
    fn assembly_then_reference_are_used_without_lengths() {
        let g = guess(&[contig("chr1", None, Some("GRCh38.p14"))], None, None);
        assert_eq!(g.build, GenomeBuild::Grch38);
        let g = guess(&[contig("1", None, Some("b37"))], None, None);
        assert_eq!(g.build, GenomeBuild::Grch37);
        let g = guess(&[], Some("file:///refs/human_g1k_v37.fasta"), None);
        assert_eq!(g.build, GenomeBuild::Grch37);
        assert_eq!(g.evidence, "##reference=file:///refs/human_g1k_v37.fasta");
        let g = guess(&[], Some("/refs/Homo_sapiens_assembly38.fasta"), None);
        assert_eq!(g.build, GenomeBuild::Grch38);
    }

    #[test]
    fn unrelated_text_is_not_evidence() {
        assert_eq!(
            guess(&[], Some("/data/run38/ref.fa"), None).build,
            GenomeBuild::Unknown
        );
        assert_eq!(
            guess(&[], Some("xb37y.fa"), None).build,
            GenomeBuild::Unknown
        );
        assert_eq!(guess(&[], None, None).build, GenomeBuild::Unknown);
    }

    #[test]
    fn liftover_lines_name_the_target_build() {
        // As CrossMap writes them (PCGR's T001 examples).
        let g = guess(
            &[],
            None,
            Some(("liftOverFile", "/vep/chainFiles/hg38ToHg19.over.chain.gz")),
        );
        assert_eq!(g.build, GenomeBuild::Grch37);
        assert!(g.evidence.contains("hg38ToHg19"), "{}", g.evidence);
        let g = guess(
            &[],
            None,
            Some(("liftOverChainFile", "/db/hg19Tohg38.over.chain.gz")),
        );
        assert_eq!(g.build, GenomeBuild::Grch38);
        let g = guess(
            &[],
            None,
            Some(("new_reference_genome", "/vep/hg19/ucsc.hg19.fa")),
        );
        assert_eq!(g.build, GenomeBuild::Grch37);
        let g = guess(
            &[],
            None,
            Some(("liftOverFile", "GRCh37_to_GRCh38.chain.gz")),
        );
        assert_eq!(g.build, GenomeBuild::Grch38);
        assert_eq!(
            guess(&[], None, Some(("liftOverFile", "custom.chain"))).build,
            GenomeBuild::Unknown
        );
        // Contig lengths outrank a liftover line.
        let g = guess(
            &[contig("1", Some(248_956_422), None)],
            None,
            Some(("liftOverFile", "hg38ToHg19.over.chain.gz")),
        );
        assert_eq!(g.build, GenomeBuild::Grch38);
        assert_eq!(
            guess(&[contig("chrM", Some(16_569), None)], None, None).build,
            GenomeBuild::Unknown
        );
    }
}
