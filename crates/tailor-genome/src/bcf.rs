//! BCF 2.2 records, decoded only as far as a [`Site`] needs.
//!
//! A record starts with two lengths (shared part, per-sample part), then CHROM, POS and
//! the reference length as fixed integers. The skip test reads just those three; only
//! wanted records have their alleles, FILTER, INFO END and FORMAT GT/PS decoded.

mod dictionary;
mod typed;

pub(crate) use dictionary::Dictionary;
use typed::{Bytes, Int, Type};

use crate::error::{ErrorKind, Fault, FaultResult, Location};
use crate::header::{Header, HeaderBuilder};
use crate::input::Input;
use crate::reader::{FieldRequest, Selection};
use crate::site::{refill_strings, Filter, Genotype, Site};
use crate::targets::{self, Probe, Wanted};

/// Bytes before the record body: `l_shared` and `l_indiv`.
pub(crate) const LENGTHS: usize = 8;
/// Fixed part of the shared block: CHROM, POS, rlen, QUAL, n_info/n_allele, n_sample/n_fmt.
const FIXED: usize = 24;
/// Refuse records claiming more than this, rather than trying to buffer them.
const MAX_RECORD: usize = crate::input::MAX_LINE;

fn invalid(message: impl Into<String>) -> Fault {
    Fault::new(ErrorKind::InvalidRecord(message.into()))
}

/// Reads the magic, header length and header text at the start of a BCF stream.
pub(crate) fn read_header(input: &mut Input) -> FaultResult<Header> {
    if !input.ensure(9)? {
        return Err(Fault::new(ErrorKind::Truncated(
            "the BCF file ends inside its magic number".to_string(),
        )));
    }
    let start = input.position();
    let head = &input.data()[start..start + 9];
    if &head[..3] != b"BCF" {
        return Err(Fault::new(ErrorKind::NotVariantFile(
            "missing BCF magic".to_string(),
        )));
    }
    let (major, minor) = (head[3], head[4]);
    if (major, minor) != (2, 2) {
        return Err(Fault::new(ErrorKind::NotVariantFile(format!(
            "BCF version {major}.{minor} is not supported; expected BCF 2.2 (convert with \
             `bcftools view -Ob`)"
        ))));
    }
    let l_text = u32::from_le_bytes([head[5], head[6], head[7], head[8]]) as usize;
    if l_text > crate::header::MAX_HEADER_BYTES {
        return Err(Fault::new(ErrorKind::Header(format!(
            "BCF header claims {l_text} bytes; at most {} MiB are accepted",
            crate::header::MAX_HEADER_BYTES >> 20
        ))));
    }
    if !input.ensure(9 + l_text)? {
        return Err(Fault::new(ErrorKind::Truncated(
            "the BCF file ends inside its header".to_string(),
        )));
    }
    let text = &input.data()[start + 9..start + 9 + l_text];
    let text_len = text.iter().position(|&b| b == 0).unwrap_or(text.len());
    let mut builder = HeaderBuilder::default();
    let mut header = None;
    for (i, line) in text[..text_len].split(|&b| b == b'\n').enumerate() {
        if line.is_empty() {
            continue;
        }
        if let Some(done) = builder.push(line, i as u64 + 1)? {
            header = Some(done);
            break;
        }
    }
    let header = header.ok_or_else(|| builder.finish_without_columns())?;
    input.consume(9 + l_text);
    Ok(header)
}

/// The lengths at the start of a record: (`l_shared`, `l_indiv`), checked for sanity.
pub(crate) fn record_lengths(bytes: &[u8]) -> FaultResult<(usize, usize)> {
    let l_shared = u32::from_le_bytes([bytes[0], bytes[1], bytes[2], bytes[3]]) as usize;
    let l_indiv = u32::from_le_bytes([bytes[4], bytes[5], bytes[6], bytes[7]]) as usize;
    if l_shared < FIXED {
        return Err(invalid(format!(
            "the shared part of the record is {l_shared} bytes, less than the fixed {FIXED}"
        )));
    }
    if l_shared + l_indiv > MAX_RECORD {
        return Err(invalid(format!(
            "the record claims {} bytes",
            l_shared + l_indiv
        )));
    }
    Ok((l_shared, l_indiv))
}

/// CHROM and POS of a record body, for locating errors in indexed reads.
pub(crate) fn locate(body: &[u8], dictionary: &Dictionary) -> Option<Location> {
    let chrom = i32::from_le_bytes(body.get(0..4)?.try_into().ok()?);
    let pos = i32::from_le_bytes(body.get(4..8)?.try_into().ok()?);
    Some(Location::Site {
        chrom: dictionary.contig(chrom)?.to_string(),
        pos: u64::try_from(i64::from(pos) + 1).ok(),
    })
}

/// Turns wanted records into [`Site`]s.
pub(crate) struct RecordParser<'a> {
    wanted: Wanted<'a>,
    selection: &'a Selection,
    sample_names: &'a [String],
    dictionary: &'a Dictionary,
    contig_intervals: Vec<Option<&'a [(u64, u64)]>>,
    keep_info: bool,
    /// Dictionary number of each requested FORMAT key (slot order); empty when none.
    format_numbers: Vec<Option<usize>>,
    /// Per requested key, where its data sits in the current record's per-sample block:
    /// (type, values per sample, byte offset). Reused across records.
    format_fields: Vec<Option<(Type, usize, usize)>>,
    pub(crate) site: Site,
}

impl<'a> RecordParser<'a> {
    pub(crate) fn new(
        wanted: Wanted<'a>,
        selection: &'a Selection,
        sample_names: &'a [String],
        dictionary: &'a Dictionary,
        request: &FieldRequest,
    ) -> Self {
        let contig_intervals = match wanted {
            Wanted::All => Vec::new(),
            Wanted::Targets(index) => dictionary
                .contigs()
                .iter()
                .map(|name| name.as_deref().and_then(|n| index.intervals(n)))
                .collect(),
        };
        let site = Site::with_samples(selection.columns.len(), request);
        let format_numbers: Vec<Option<usize>> = request
            .format_keys
            .iter()
            .map(|key| dictionary.number(key))
            .collect();
        Self {
            wanted,
            selection,
            sample_names,
            dictionary,
            contig_intervals,
            keep_info: request.info,
            format_fields: vec![None; format_numbers.len()],
            format_numbers,
            site,
        }
    }

    /// Fills `self.site` from a record body (shared then per-sample bytes) if wanted.
    pub(crate) fn process(
        &mut self,
        body: &[u8],
        l_shared: usize,
        record_number: u64,
    ) -> FaultResult<bool> {
        let (shared, indiv) = body.split_at(l_shared.min(body.len()));
        if shared.len() < FIXED {
            return Err(invalid("the record is shorter than its fixed fields"));
        }
        let int = |at: usize| {
            i32::from_le_bytes([shared[at], shared[at + 1], shared[at + 2], shared[at + 3]])
        };
        let chrom_id = int(0);
        let pos0 = int(4);
        let rlen = int(8);
        // BCF stores POS 0-based as a 32-bit signed integer; the 1-based value must pass
        // the same rule as a text VCF's POS.
        let pos = u64::try_from(i64::from(pos0) + 1)
            .ok()
            .and_then(|p| tailor_core::position::check_position(p).ok())
            .ok_or_else(|| {
                Fault::new(ErrorKind::InvalidPosition(
                    tailor_core::position::position_error(
                        (i64::from(pos0) + 1).to_string().as_bytes(),
                    ),
                ))
            })?;
        let intervals = match self.wanted {
            Wanted::All => None,
            Wanted::Targets(_) => {
                let Ok(i) = usize::try_from(chrom_id) else {
                    return Err(self.unknown_contig(chrom_id));
                };
                match self.contig_intervals.get(i) {
                    Some(Some(intervals)) => Some(*intervals),
                    Some(None) => return Ok(false),
                    None => return Err(self.unknown_contig(chrom_id)),
                }
            }
        };
        if let Some(intervals) = intervals {
            match targets::probe(intervals, pos) {
                Probe::Hit => {}
                Probe::Miss => return Ok(false),
                Probe::NextStart(next) => {
                    let span_end = pos + u64::try_from(rlen).unwrap_or(1).max(1) - 1;
                    if span_end < next {
                        return Ok(false);
                    }
                }
            }
        }
        let n_info = usize::from(u16::from_le_bytes([shared[16], shared[17]]));
        let n_allele = usize::from(u16::from_le_bytes([shared[18], shared[19]]));
        let n_sample = u32::from_le_bytes([shared[20], shared[21], shared[22], 0]) as usize;
        let n_fmt = usize::from(shared[23]);
        let chrom = self
            .dictionary
            .contig(chrom_id)
            .ok_or_else(|| self.unknown_contig(chrom_id))?;
        let site = &mut self.site;
        site.record_number = record_number;
        site.chrom.clear();
        site.chrom.push_str(chrom);
        site.pos = pos;
        let mut bytes = Bytes::new(&shared[FIXED..]);
        let id = bytes.string().map_err(invalid)?;
        if id.is_empty() || id == b"." {
            site.ids.clear();
        } else {
            refill_strings(&mut site.ids, utf8(id, "ID")?.split(';'));
        }
        if n_allele == 0 {
            return Err(invalid("the record has no REF allele"));
        }
        let mut ref_len = 0;
        let mut alt_count = 0;
        for i in 0..n_allele {
            let allele = utf8(bytes.string().map_err(invalid)?, "allele")?;
            if i == 0 {
                if allele.is_empty() {
                    return Err(invalid("REF is empty"));
                }
                site.ref_allele.clear();
                site.ref_allele.push_str(allele);
                ref_len = allele.len() as u64;
            } else {
                if let Some(slot) = site.alts.get_mut(alt_count) {
                    slot.clear();
                    slot.push_str(allele);
                } else {
                    site.alts.push(allele.to_string());
                }
                alt_count += 1;
            }
        }
        site.alts.truncate(alt_count);
        self.filter(&mut bytes)?;
        let info_end = if self.keep_info {
            self.info_with_text(&mut bytes, n_info)?
        } else {
            let mut info_end = None;
            for _ in 0..n_info {
                let key = bytes.typed_int().map_err(invalid)?;
                let is_end = matches!(key, Int::Value(k) if Some(k as usize) == self.dictionary.end && k >= 0);
                if is_end {
                    let (ty, count) = bytes.descriptor().map_err(invalid)?;
                    let values = bytes.take(count * ty.size()).map_err(invalid)?;
                    if count > 0 && matches!(ty, Type::Int8 | Type::Int16 | Type::Int32) {
                        if let Int::Value(v) = typed::decode_int(ty, &values[..ty.size()]) {
                            info_end = u64::try_from(v).ok();
                        }
                    }
                } else {
                    bytes.skip_vector().map_err(invalid)?;
                }
            }
            info_end
        };
        let site = &mut self.site;
        let ref_end = pos + ref_len - 1;
        site.end = if Site::span_from_info_end(&site.alts) {
            info_end.unwrap_or(ref_end).max(pos)
        } else {
            ref_end
        };
        self.genotypes(indiv, n_sample, n_fmt)?;
        Ok(match intervals {
            Some(intervals) => targets::overlaps(intervals, self.site.pos, self.site.end),
            None => true,
        })
    }

    /// The INFO loop of a read that keeps INFO text: renders every entry into
    /// `site.info` and returns INFO END. Separate from the default loop, which only looks
    /// for END, so that the PGx read does not pay for it.
    #[inline(never)]
    fn info_with_text(&mut self, bytes: &mut Bytes<'_>, n_info: usize) -> FaultResult<Option<u64>> {
        let mut info_end = None;
        self.site.info.clear();
        for _ in 0..n_info {
            let key = bytes.typed_int().map_err(invalid)?;
            let (ty, count) = bytes.descriptor().map_err(invalid)?;
            let len = count
                .checked_mul(ty.size())
                .ok_or_else(|| invalid("INFO value too large"))?;
            let values = bytes.take(len).map_err(invalid)?;
            let Int::Value(k) = key else {
                continue;
            };
            let is_end = k >= 0 && Some(k as usize) == self.dictionary.end;
            if is_end && count > 0 && matches!(ty, Type::Int8 | Type::Int16 | Type::Int32) {
                if let Int::Value(v) = typed::decode_int(ty, &values[..ty.size()]) {
                    info_end = u64::try_from(v).ok();
                }
            }
            self.info_entry(k, ty, count, values)?;
        }
        Ok(info_end)
    }

    /// Appends one INFO entry to `site.info` as VCF text (`KEY` for a flag, else
    /// `KEY=value`).
    // Kept out of line: the default (PGx) read never calls it, and inlining it would
    // grow the per-record loop.
    #[inline(never)]
    fn info_entry(&mut self, k: i32, ty: Type, count: usize, values: &[u8]) -> FaultResult<()> {
        let name = self.dictionary.string(k).ok_or_else(|| {
            invalid(format!(
                "INFO refers to key number {k}, which the header does not define"
            ))
        })?;
        let info = &mut self.site.info;
        if !info.is_empty() {
            info.push(';');
        }
        info.push_str(name);
        if count == 0 || ty == Type::Missing || self.dictionary.is_info_flag(k) {
            return Ok(());
        }
        info.push('=');
        typed::render(ty, values, info).map_err(|m| invalid(format!("INFO {name}: {m}")))
    }

    fn unknown_contig(&self, chrom_id: i32) -> Fault {
        invalid(format!(
            "CHROM refers to contig number {chrom_id}, which the header does not define"
        ))
    }

    fn filter(&mut self, bytes: &mut Bytes<'_>) -> FaultResult<()> {
        let (ty, count) = bytes.descriptor().map_err(invalid)?;
        let values = bytes
            .take(
                count
                    .checked_mul(ty.size())
                    .ok_or_else(|| invalid("FILTER too long"))?,
            )
            .map_err(invalid)?;
        let mut names: Vec<&str> = Vec::with_capacity(count);
        if ty.size() > 0 {
            for chunk in values.chunks_exact(ty.size()) {
                match typed::decode_int(ty, chunk) {
                    Int::Value(k) => names.push(self.dictionary.string(k).ok_or_else(|| {
                        invalid(format!(
                            "FILTER refers to key number {k}, which the header does not define"
                        ))
                    })?),
                    Int::Missing | Int::EndOfVector => {}
                }
            }
        }
        self.site.filter = match names.as_slice() {
            [] => Filter::Missing,
            ["PASS"] => Filter::Pass,
            names => Filter::Failed(names.iter().map(|n| n.to_string()).collect()),
        };
        Ok(())
    }

    fn genotypes(&mut self, indiv: &[u8], n_sample: usize, n_fmt: usize) -> FaultResult<()> {
        if n_fmt == 0 {
            for gt in &mut self.site.genotypes {
                gt.set_missing();
            }
            self.site.format.clear();
            return Ok(());
        }
        let total = self.selection.total;
        if n_sample != total {
            return Err(Fault::new(ErrorKind::SampleColumns {
                expected: total,
                found: n_sample,
            }));
        }
        let mut bytes = Bytes::new(indiv);
        let mut gt_field = None;
        let mut ps_field = None;
        for _ in 0..n_fmt {
            let key = bytes.typed_int().map_err(invalid)?;
            let (ty, count) = bytes.descriptor().map_err(invalid)?;
            let len = count
                .checked_mul(ty.size())
                .and_then(|n| n.checked_mul(n_sample))
                .ok_or_else(|| invalid("FORMAT field too large"))?;
            let data = bytes.take(len).map_err(invalid)?;
            if let Int::Value(k) = key {
                let k = usize::try_from(k).ok();
                if k.is_some() && k == self.dictionary.gt {
                    gt_field = Some((ty, count, data));
                } else if k.is_some() && k == self.dictionary.ps {
                    ps_field = Some((ty, count, data));
                }
            }
        }
        // A second pass, only for somatic reads, so that the default loop above stays as
        // lean as the PGx hot path needs (measured: folding it in cost ~5% on BCF).
        let wants_values = !self.format_numbers.is_empty();
        if wants_values {
            self.locate_format_fields(indiv, n_fmt, n_sample)?;
        }
        let alt_count = self.site.alts.len();
        for (slot, &column) in self.selection.columns.iter().enumerate() {
            let genotype = &mut self.site.genotypes[slot];
            let name = &self.sample_names[column];
            match gt_field {
                Some((ty, count, data)) => {
                    decode_gt(ty, count, data, column, alt_count, genotype, name)?
                }
                None => genotype.set_missing(),
            }
            genotype.phase_set = match ps_field {
                Some((ty, count, data)) if count > 0 => {
                    let value = sample_values(ty, count, data, column)
                        .ok_or_else(|| invalid(format!("sample {name}: PS is not an integer")))?
                        .next();
                    match value {
                        Some(Int::Value(v)) => Some(u64::try_from(v).map_err(|_| {
                            invalid(format!("sample {name}: PS must not be negative, found {v}"))
                        })?),
                        _ => None,
                    }
                }
                _ => None,
            };
        }
        if wants_values {
            for slot in 0..self.selection.columns.len() {
                let column = self.selection.columns[slot];
                self.keep_values(indiv, slot, column)?;
            }
        }
        Ok(())
    }

    /// Finds where each requested FORMAT key's data sits in the per-sample block.
    #[inline(never)]
    fn locate_format_fields(
        &mut self,
        indiv: &[u8],
        n_fmt: usize,
        n_sample: usize,
    ) -> FaultResult<()> {
        self.format_fields.iter_mut().for_each(|f| *f = None);
        let mut bytes = Bytes::new(indiv);
        for _ in 0..n_fmt {
            let key = bytes.typed_int().map_err(invalid)?;
            let (ty, count) = bytes.descriptor().map_err(invalid)?;
            let len = count
                .checked_mul(ty.size())
                .and_then(|n| n.checked_mul(n_sample))
                .ok_or_else(|| invalid("FORMAT field too large"))?;
            let offset = bytes.position();
            bytes.take(len).map_err(invalid)?;
            let Int::Value(k) = key else { continue };
            let k = usize::try_from(k).ok();
            for (slot, number) in self.format_numbers.iter().enumerate() {
                if k.is_some() && *number == k && self.format_fields[slot].is_none() {
                    self.format_fields[slot] = Some((ty, count, offset));
                }
            }
        }
        Ok(())
    }

    /// Renders the requested FORMAT values of file column `column` into slot row `slot`.
    /// GT requested as a value is rendered from the decoded genotype.
    // Kept out of line: the default (PGx) read never calls it, and inlining it would
    // grow the per-record loop.
    #[inline(never)]
    fn keep_values(&mut self, indiv: &[u8], slot: usize, column: usize) -> FaultResult<()> {
        let gt_number = self.dictionary.gt;
        for (k, field) in self.format_fields.iter().enumerate() {
            let Some(text) = self.site.format.slot(slot, k) else {
                continue;
            };
            text.clear();
            let Some((ty, count, offset)) = *field else {
                continue;
            };
            if self.format_numbers[k].is_some() && self.format_numbers[k] == gt_number {
                render_gt(&self.site.genotypes[slot], text);
                continue;
            }
            let width = count * ty.size();
            let values = offset
                .checked_add(column * width)
                .and_then(|start| indiv.get(start..start + width))
                .ok_or_else(|| invalid("a FORMAT field is cut off"))?;
            if let Err(m) = typed::render(ty, values, text) {
                return Err(invalid(format!(
                    "sample {}: FORMAT {}: {m}",
                    self.sample_names.get(column).map_or("?", String::as_str),
                    self.site.format.keys().get(k).map_or("?", String::as_str)
                )));
            }
            // A missing value is an empty slot, as for text VCF.
            if text == "." {
                text.clear();
            }
        }
        Ok(())
    }
}

/// GT as VCF text (`0/1`, `1|0`, `.`) from a decoded genotype.
fn render_gt(genotype: &Genotype, out: &mut String) {
    use std::fmt::Write;
    for (i, allele) in genotype.alleles.iter().enumerate() {
        if i > 0 {
            out.push(if genotype.phased { '|' } else { '/' });
        }
        match allele {
            Some(a) => {
                let _ = write!(out, "{a}");
            }
            None => out.push('.'),
        }
    }
}

/// The integer values of one sample in a FORMAT field, or `None` for non-integer types.
fn sample_values(
    ty: Type,
    count: usize,
    data: &[u8],
    column: usize,
) -> Option<impl Iterator<Item = Int> + '_> {
    if !matches!(ty, Type::Int8 | Type::Int16 | Type::Int32) {
        return None;
    }
    let width = count * ty.size();
    let values = data.get(column * width..(column + 1) * width)?;
    Some(
        values
            .chunks_exact(ty.size())
            .map(move |chunk| typed::decode_int(ty, chunk)),
    )
}

/// GT in BCF: each allele is `(index + 1) << 1 | phased`, 0 for `.`, padded with
/// end-of-vector for lower ploidy. The phase bit of allele i > 0 is the separator before
/// it; on the first allele it is VCF 4.4's explicit prefix.
fn decode_gt(
    ty: Type,
    count: usize,
    data: &[u8],
    column: usize,
    alt_count: usize,
    genotype: &mut Genotype,
    sample: &str,
) -> FaultResult<()> {
    let values = sample_values(ty, count, data, column)
        .ok_or_else(|| invalid(format!("sample {sample}: GT is not stored as integers")))?;
    genotype.alleles.clear();
    let mut separators = 0usize;
    let mut all_phased = true;
    for (i, value) in values.enumerate() {
        let raw = match value {
            Int::EndOfVector => break,
            Int::Missing => 0,
            Int::Value(v) => v,
        };
        let phased = raw & 1 == 1;
        if i > 0 || phased {
            separators += 1;
            all_phased &= phased;
        }
        let index = (raw >> 1) - 1;
        let allele = if index < 0 { None } else { Some(index as u32) };
        genotype.alleles.push(allele);
    }
    if genotype.alleles.is_empty() {
        genotype.set_missing();
        return Ok(());
    }
    genotype.phased = separators > 0 && all_phased;
    if let Some(&allele) = genotype
        .alleles
        .iter()
        .flatten()
        .find(|&&a| a as usize > alt_count)
    {
        let text = genotype
            .alleles
            .iter()
            .map(|a| a.map_or(".".to_string(), |a| a.to_string()))
            .collect::<Vec<_>>()
            .join(if genotype.phased { "|" } else { "/" });
        return Err(Fault::new(ErrorKind::AlleleOutOfRange {
            sample: sample.to_string(),
            genotype: text,
            allele,
            alt_count,
        }));
    }
    Ok(())
}

fn utf8<'b>(bytes: &'b [u8], what: &str) -> FaultResult<&'b str> {
    std::str::from_utf8(bytes).map_err(|_| invalid(format!("{what} is not valid UTF-8 text")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gt_decoding_matches_vcf_text_semantics() {
        let mut g = Genotype::default();
        // "0|1", "1/1", ".", "1" (haploid, padded), "./."
        let data: [u8; 10] = [2, 5, 4, 4, 0, 0x81, 4, 0x81, 0, 0];
        let cases: [(usize, Vec<Option<u32>>, bool); 5] = [
            (0, vec![Some(0), Some(1)], true),
            (1, vec![Some(1), Some(1)], false),
            (2, vec![None], false),
            (3, vec![Some(1)], false),
            (4, vec![None, None], false),
        ];
        for (column, alleles, phased) in cases {
            decode_gt(Type::Int8, 2, &data, column, 1, &mut g, "S").unwrap();
            assert_eq!(
                (g.alleles.clone(), g.phased),
                (alleles, phased),
                "column {column}"
            );
        }
        let err = decode_gt(Type::Int8, 2, &[2, 6], 0, 1, &mut g, "S").unwrap_err();
        assert!(matches!(
            err.kind,
            ErrorKind::AlleleOutOfRange { allele: 2, .. }
        ));
        assert!(decode_gt(Type::Float, 1, &[0, 0, 0, 0], 0, 1, &mut g, "S").is_err());
        assert!(decode_gt(Type::Int8, 2, &[2, 4], 5, 1, &mut g, "S").is_err());
    }

    #[test]
    fn record_lengths_are_checked() {
        assert!(record_lengths(&[10, 0, 0, 0, 0, 0, 0, 0]).is_err());
        assert_eq!(record_lengths(&[24, 0, 0, 0, 3, 0, 0, 0]).unwrap(), (24, 3));
        assert!(record_lengths(&[0xff, 0xff, 0xff, 0x7f, 0xff, 0xff, 0xff, 0x7f]).is_err());
    }
}
