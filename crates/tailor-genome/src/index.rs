//! Tabix (`.tbi`) and CSI (`.csi`) indexes: which stretches of a BGZF file hold the
//! records of a region.
//!
//! Both formats list, per contig, bins of the hierarchical binning scheme, each with
//! chunks (pairs of virtual offsets). A query collects the chunks of every bin that can
//! overlap the region, drops those that end before the region's first record (linear
//! index for tabix, bin `loffset` for CSI), and merges what is left so that each BGZF
//! block is read at most once.

mod binning;

use std::collections::HashMap;
use std::fs::File;
use std::path::{Path, PathBuf};

use tailor_core::normalize_chrom;

use crate::bgzf;

/// Which index format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum IndexKind {
    Tabix,
    Csi,
}

#[derive(Debug, Clone, Default)]
struct Bin {
    loffset: u64,
    /// This bin's chunks: a range of [`Reference::chunks`].
    chunks: std::ops::Range<usize>,
}

#[derive(Debug, Clone, Default)]
struct Reference {
    bins: HashMap<u32, Bin>,
    /// The chunks of all bins, one allocation per contig rather than one per bin.
    chunks: Vec<(u64, u64)>,
    linear: Vec<u64>,
}

/// A loaded index.
///
/// Loading inflates the file and walks it once, checking every count and recording where
/// each contig's bins start; a contig's bins are only turned into lookup tables when a
/// query first needs them. A whole-genome index holds hundreds of thousands of bins, and
/// a pharmacogene query touches a dozen contigs, so this keeps index loading from
/// dominating an indexed run.
#[derive(Debug)]
pub(crate) struct Index {
    path: PathBuf,
    kind: IndexKind,
    min_shift: u32,
    depth: u32,
    /// Contig names in index order; `None` for CSI indexes of BCF files, whose contigs are
    /// the BCF header's dictionary.
    names: Option<Vec<String>>,
    /// The inflated index.
    data: Vec<u8>,
    /// Per contig: where its bins start in `data`, and its tables once built.
    references: Vec<(usize, std::sync::OnceLock<Reference>)>,
    /// Largest chunk end over all contigs (found during the walk).
    last_offset: Option<u64>,
}

/// Little-endian reader over the inflated index with bounds checks, so a damaged index
/// gives an error rather than a panic or a huge allocation.
struct Bytes<'a> {
    data: &'a [u8],
    pos: usize,
}

impl<'a> Bytes<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8], String> {
        let end = self
            .pos
            .checked_add(n)
            .filter(|&e| e <= self.data.len())
            .ok_or_else(|| format!("ends early at byte {} (needed {n} more)", self.pos))?;
        let slice = &self.data[self.pos..end];
        self.pos = end;
        Ok(slice)
    }

    fn i32(&mut self) -> Result<i32, String> {
        let b = self.take(4)?;
        Ok(i32::from_le_bytes([b[0], b[1], b[2], b[3]]))
    }

    fn u32(&mut self) -> Result<u32, String> {
        let b = self.take(4)?;
        Ok(u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
    }

    fn u64(&mut self) -> Result<u64, String> {
        let b = self.take(8)?;
        let mut a = [0u8; 8];
        a.copy_from_slice(b);
        Ok(u64::from_le_bytes(a))
    }

    /// A count that must fit in what is left, at `min_size` bytes per item.
    fn count(&mut self, what: &str, min_size: usize) -> Result<usize, String> {
        let n = self.i32()?;
        let n = usize::try_from(n).map_err(|_| format!("negative {what} count {n}"))?;
        let left = self.data.len() - self.pos;
        if n.saturating_mul(min_size) > left {
            return Err(format!(
                "{what} count {n} does not fit in the remaining {left} bytes"
            ));
        }
        Ok(n)
    }
}

impl Index {
    /// Finds the index beside `data_path` (`x.tbi`/`x.csi`, either may be the only one).
    pub(crate) fn locate(data_path: &Path, bcf: bool) -> Option<(PathBuf, IndexKind)> {
        let with = |ext: &str| {
            let mut name = data_path.as_os_str().to_owned();
            name.push(ext);
            PathBuf::from(name)
        };
        let candidates: &[(&str, IndexKind)] = if bcf {
            &[(".csi", IndexKind::Csi)]
        } else {
            &[(".tbi", IndexKind::Tabix), (".csi", IndexKind::Csi)]
        };
        candidates
            .iter()
            .map(|&(ext, kind)| (with(ext), kind))
            .find(|(path, _)| path.is_file())
    }

    /// Reads and parses an index file.
    pub(crate) fn load(path: &Path, kind: IndexKind) -> Result<Self, String> {
        let file = File::open(path).map_err(|e| format!("cannot open: {e}"))?;
        let mut stream = bgzf::Stream::new(file, 0);
        let mut data = Vec::new();
        while stream
            .fill(&mut data)
            .map_err(|f| format!("cannot decompress: {}", f.kind))?
        {}
        let mut bytes = Bytes {
            data: &data,
            pos: 0,
        };
        let magic = bytes.take(4)?;
        let expected: &[u8] = match kind {
            IndexKind::Tabix => b"TBI\x01",
            IndexKind::Csi => b"CSI\x01",
        };
        if magic != expected {
            return Err(format!(
                "not a {} index (magic {magic:02x?})",
                if kind == IndexKind::Tabix {
                    "tabix"
                } else {
                    "CSI"
                }
            ));
        }
        let (min_shift, depth, names, n_ref) = match kind {
            IndexKind::Tabix => {
                let n_ref = bytes.count("reference", 8)?;
                let names = tabix_names(&mut bytes)?;
                (14, 5, Some(names), n_ref)
            }
            IndexKind::Csi => {
                let min_shift = bytes.i32()?;
                let depth = bytes.i32()?;
                if !(0..=31).contains(&min_shift)
                    || !(0..=10).contains(&depth)
                    || min_shift + 3 * depth > 60
                {
                    return Err(format!("invalid CSI min_shift {min_shift} / depth {depth}"));
                }
                let l_aux = bytes.count("aux byte", 1)?;
                let aux = bytes.take(l_aux)?;
                let names = if aux.len() >= 28 {
                    let mut aux_bytes = Bytes { data: aux, pos: 0 };
                    Some(tabix_names(&mut aux_bytes)?)
                } else {
                    None
                };
                let n_ref = bytes.count("reference", 4)?;
                (min_shift as u32, depth as u32, names, n_ref)
            }
        };
        // Walk every contig once: validate the counts, note where each contig starts,
        // and find the largest chunk end; the tables themselves are built on demand.
        // The pseudo-bin holds contig statistics, not chunks.
        let pseudo_bin = binning::first_bin(depth + 1) as u32 + 1;
        let mut references = Vec::with_capacity(n_ref);
        let mut last_offset: Option<u64> = None;
        for _ in 0..n_ref {
            references.push((bytes.pos, std::sync::OnceLock::new()));
            let n_bin = bytes.count("bin", 8)?;
            for _ in 0..n_bin {
                let bin = bytes.u32()?;
                if kind == IndexKind::Csi {
                    bytes.u64()?;
                }
                let n_chunk = bytes.count("chunk", 16)?;
                for _ in 0..n_chunk {
                    bytes.u64()?;
                    let end = bytes.u64()?;
                    if bin != pseudo_bin {
                        last_offset = Some(last_offset.map_or(end, |l| l.max(end)));
                    }
                }
            }
            if kind == IndexKind::Tabix {
                let n_intv = bytes.count("linear index", 8)?;
                bytes.take(n_intv * 8)?;
            }
        }
        if let Some(names) = &names {
            if names.len() != references.len() {
                return Err(format!(
                    "names {} contigs but has data for {}",
                    names.len(),
                    references.len()
                ));
            }
        }
        Ok(Self {
            path: path.to_path_buf(),
            kind,
            min_shift,
            depth,
            names,
            data,
            references,
            last_offset,
        })
    }

    /// The bins of contig `reference`, built on first use from the validated bytes.
    fn reference(&self, reference: usize) -> Option<&Reference> {
        let (start, cell) = self.references.get(reference)?;
        Some(cell.get_or_init(|| {
            // The walk in `load` already checked every count and length, so this parse
            // cannot run out of bytes; an error would only leave the contig empty.
            self.parse_reference(*start).unwrap_or_default()
        }))
    }

    fn parse_reference(&self, start: usize) -> Result<Reference, String> {
        let mut bytes = Bytes {
            data: &self.data,
            pos: start,
        };
        let pseudo_bin = binning::first_bin(self.depth + 1) as u32 + 1;
        let mut reference = Reference::default();
        let n_bin = bytes.count("bin", 8)?;
        reference.bins.reserve(n_bin);
        for _ in 0..n_bin {
            let bin = bytes.u32()?;
            let loffset = if self.kind == IndexKind::Csi {
                bytes.u64()?
            } else {
                0
            };
            let n_chunk = bytes.count("chunk", 16)?;
            let first = reference.chunks.len();
            for _ in 0..n_chunk {
                let chunk = (bytes.u64()?, bytes.u64()?);
                if bin != pseudo_bin {
                    reference.chunks.push(chunk);
                }
            }
            if bin != pseudo_bin {
                let chunks = first..reference.chunks.len();
                reference.bins.insert(bin, Bin { loffset, chunks });
            }
        }
        if self.kind == IndexKind::Tabix {
            let n_intv = bytes.count("linear index", 8)?;
            reference.linear = (0..n_intv).map(|_| bytes.u64()).collect::<Result<_, _>>()?;
        }
        Ok(reference)
    }

    pub(crate) fn path(&self) -> &Path {
        &self.path
    }

    /// The largest chunk end: where the last indexed record ends, i.e. the end of the
    /// data for an index that matches its file.
    pub(crate) fn last_offset(&self) -> Option<u64> {
        self.last_offset
    }

    /// Index reference numbers whose contig normalises to `chrom`. `bcf_contigs` names the
    /// references of a CSI index without names (BCF).
    pub(crate) fn references_for(&self, chrom: &str, bcf_contigs: &[Option<String>]) -> Vec<usize> {
        let chrom = normalize_chrom(chrom);
        let matches = |name: &str| normalize_chrom(name) == chrom;
        match &self.names {
            Some(names) => names
                .iter()
                .enumerate()
                .filter(|(_, n)| matches(n))
                .map(|(i, _)| i)
                .collect(),
            None => bcf_contigs
                .iter()
                .enumerate()
                .filter(|(i, n)| *i < self.references.len() && n.as_deref().is_some_and(matches))
                .map(|(i, _)| i)
                .collect(),
        }
    }

    /// Chunks that may hold records overlapping 1-based inclusive `start..=end` on a
    /// reference (unsorted, unmerged).
    pub(crate) fn chunks(&self, reference: usize, start: u64, end: u64, out: &mut Vec<(u64, u64)>) {
        let Some(r) = self.reference(reference) else {
            return;
        };
        let beg = start.saturating_sub(1);
        let end = end.max(beg + 1);
        let min_offset = match self.kind {
            IndexKind::Tabix => {
                let window = (beg >> self.min_shift) as usize;
                r.linear
                    .get(window)
                    .or(if window >= r.linear.len() {
                        r.linear.last()
                    } else {
                        None
                    })
                    .copied()
                    .unwrap_or(0)
            }
            IndexKind::Csi => binning::ancestry(beg, self.min_shift, self.depth)
                .find_map(|bin| r.bins.get(&bin))
                .map_or(0, |bin| bin.loffset),
        };
        let pool = &r.chunks;
        let mut take = |bin: &Bin| {
            let chunks = pool.get(bin.chunks.clone()).unwrap_or(&[]);
            out.extend(chunks.iter().filter(|&&(_, e)| e > min_offset));
        };
        // A huge interval (a whole chromosome, or more) spans more bin numbers than the
        // index holds: then walk the index's bins instead of the region's.
        if binning::region_bin_count(beg, end, self.min_shift, self.depth) > r.bins.len() as u64 {
            for (&number, bin) in &r.bins {
                if binning::bin_span(number, self.min_shift, self.depth)
                    .is_some_and(|(s, e)| s < end && e > beg)
                {
                    take(bin);
                }
            }
        } else {
            for number in binning::region_bins(beg, end, self.min_shift, self.depth) {
                if let Some(bin) = r.bins.get(&number) {
                    take(bin);
                }
            }
        }
    }
}

/// Sorts chunks and merges those that overlap or share a BGZF block, so that every block
/// is inflated once and chunk order is file order.
pub(crate) fn merge_chunks(mut chunks: Vec<(u64, u64)>) -> Vec<(u64, u64)> {
    chunks.retain(|&(s, e)| s < e);
    chunks.sort_unstable();
    let mut merged: Vec<(u64, u64)> = Vec::with_capacity(chunks.len());
    for (s, e) in chunks {
        match merged.last_mut() {
            Some(last) if s <= last.1 || s >> 16 <= last.1 >> 16 => last.1 = last.1.max(e),
            _ => merged.push((s, e)),
        }
    }
    merged
}

/// The tabix header (also the aux data of CSI indexes written by tabix): format and
/// column settings, then NUL-separated contig names.
fn tabix_names(bytes: &mut Bytes<'_>) -> Result<Vec<String>, String> {
    for _ in 0..6 {
        bytes.i32()?; // format, col_seq, col_beg, col_end, meta, skip
    }
    let l_nm = bytes.count("name byte", 1)?;
    let names = bytes.take(l_nm)?;
    Ok(names
        .split(|&b| b == 0)
        .filter(|n| !n.is_empty())
        .map(|n| String::from_utf8_lossy(n).into_owned())
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn merging_joins_overlapping_and_same_block_chunks() {
        let chunks = vec![
            (10 << 16, (20 << 16) | 5),
            ((20 << 16) | 100, 30 << 16),
            (5 << 16, 6 << 16),
            (50 << 16, 60 << 16),
            (7, 7),
        ];
        assert_eq!(
            merge_chunks(chunks),
            vec![
                (5 << 16, 6 << 16),
                (10 << 16, 30 << 16),
                (50 << 16, 60 << 16)
            ]
        );
    }

    #[test]
    fn rejects_garbage_without_panicking() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("x.tbi");
        std::fs::write(&path, bgzf::compress(b"TBI\x01\xff\xff\xff\x7f")).unwrap();
        assert!(Index::load(&path, IndexKind::Tabix).is_err());
        std::fs::write(&path, bgzf::compress(b"CSI\x01")).unwrap();
        assert!(Index::load(&path, IndexKind::Tabix)
            .unwrap_err()
            .contains("tabix"));
        std::fs::write(&path, b"plain").unwrap();
        assert!(Index::load(&path, IndexKind::Csi).is_err());
    }
}
