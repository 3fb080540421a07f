//! One BGZF block: header parsing, inflation with checks, writing.

use std::io::{Read, Seek, SeekFrom};

/// The 28-byte empty block every BGZF file ends with; its absence means truncation.
pub(crate) const EOF_MARKER: [u8; 28] = [
    0x1f, 0x8b, 0x08, 0x04, 0x00, 0x00, 0x00, 0x00, 0x00, 0xff, 0x06, 0x00, 0x42, 0x43, 0x02, 0x00,
    0x1b, 0x00, 0x03, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
];

/// Fixed gzip header bytes before the extra field.
const FIXED_HEADER: usize = 12;
/// CRC32 + ISIZE.
const TRAILER: usize = 8;
/// A block holds at most 64 KiB of data.
const MAX_DATA: usize = 65_536;

/// What the bytes at the start of a buffer say about the block there.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Header {
    /// At least this many bytes are needed to know the block's size.
    NeedAtLeast(usize),
    /// The whole block is this many bytes long.
    Size(usize),
}

/// Reads a block header: gzip magic, FEXTRA, and the `BC` subfield with the block size.
pub(crate) fn parse_header(data: &[u8]) -> Result<Header, String> {
    if data.len() < FIXED_HEADER {
        return Ok(Header::NeedAtLeast(FIXED_HEADER));
    }
    if data[0] != 0x1f || data[1] != 0x8b || data[2] != 8 {
        return Err("expected a gzip block header (1f 8b 08)".to_string());
    }
    if data[3] & 4 == 0 {
        return Err("gzip member without the BGZF extra field".to_string());
    }
    let xlen = usize::from(u16::from_le_bytes([data[10], data[11]]));
    if data.len() < FIXED_HEADER + xlen {
        return Ok(Header::NeedAtLeast(FIXED_HEADER + xlen));
    }
    let mut extra = &data[FIXED_HEADER..FIXED_HEADER + xlen];
    while extra.len() >= 4 {
        let len = usize::from(u16::from_le_bytes([extra[2], extra[3]]));
        let Some(payload) = extra.get(4..4 + len) else {
            break;
        };
        if extra[0] == b'B' && extra[1] == b'C' && len == 2 {
            let size = usize::from(u16::from_le_bytes([payload[0], payload[1]])) + 1;
            if size < FIXED_HEADER + xlen + TRAILER {
                return Err(format!("BGZF block size {size} is too small"));
            }
            return Ok(Header::Size(size));
        }
        extra = &extra[4 + len..];
    }
    Err("gzip member without the BGZF block-size (BC) subfield".to_string())
}

/// True when the first bytes of a file are a BGZF block header.
pub(crate) fn is_bgzf(start: &[u8]) -> bool {
    matches!(parse_header(start), Ok(Header::Size(_)))
}

/// The ISIZE (uncompressed length) field of a complete block.
pub(crate) fn data_len(block: &[u8]) -> usize {
    let n = block.len();
    if n < TRAILER {
        return 0;
    }
    u32::from_le_bytes([block[n - 4], block[n - 3], block[n - 2], block[n - 1]]) as usize
}

/// Inflates one complete block, appending its data to `out`; checks size and CRC32.
pub(crate) fn inflate(
    block: &[u8],
    decompressor: &mut libdeflater::Decompressor,
    out: &mut Vec<u8>,
) -> Result<(), String> {
    let n = block.len();
    if n < FIXED_HEADER + TRAILER {
        return Err(format!("BGZF block of {n} bytes is too short"));
    }
    let xlen = usize::from(u16::from_le_bytes([block[10], block[11]]));
    let cdata = block
        .get(FIXED_HEADER + xlen..n - TRAILER)
        .ok_or_else(|| format!("BGZF block of {n} bytes is too short for its header"))?;
    let crc = u32::from_le_bytes([block[n - 8], block[n - 7], block[n - 6], block[n - 5]]);
    let size = data_len(block);
    if size > MAX_DATA {
        return Err(format!(
            "BGZF block claims {size} bytes of data (at most 65536)"
        ));
    }
    let start = out.len();
    out.resize(start + size, 0);
    let inflated = decompressor.deflate_decompress(cdata, &mut out[start..]);
    match inflated {
        Ok(got) if got == size => {}
        Ok(got) => {
            out.truncate(start);
            return Err(format!(
                "block inflates to {got} bytes but its header says {size}"
            ));
        }
        Err(_) => {
            out.truncate(start);
            return Err("invalid deflate data in block".to_string());
        }
    }
    if libdeflater::crc32(&out[start..]) != crc {
        out.truncate(start);
        return Err("block checksum (CRC32) mismatch".to_string());
    }
    Ok(())
}

/// Appends one block made of already-deflated `cdata` whose plain text is `plain`.
pub(crate) fn write_block(out: &mut Vec<u8>, cdata: &[u8], plain: &[u8]) {
    let bsize = (FIXED_HEADER + 6 + cdata.len() + TRAILER - 1) as u16;
    out.extend_from_slice(&[
        0x1f, 0x8b, 8, 4, 0, 0, 0, 0, 0, 0xff, 6, 0, b'B', b'C', 2, 0,
    ]);
    out.extend_from_slice(&bsize.to_le_bytes());
    out.extend_from_slice(cdata);
    out.extend_from_slice(&libdeflater::crc32(plain).to_le_bytes());
    out.extend_from_slice(&(plain.len() as u32).to_le_bytes());
}

/// Checks that a seekable BGZF input ends with the EOF marker block.
///
/// htslib only warns about a missing marker; we refuse, because a VCF cut at a block
/// boundary reads as a complete, shorter file, and a missing record in PGx silently turns
/// into a reference call.
pub(crate) fn has_eof_marker<R: Read + Seek>(reader: &mut R) -> std::io::Result<bool> {
    let len = reader.seek(SeekFrom::End(0))?;
    if len < EOF_MARKER.len() as u64 {
        return Ok(false);
    }
    reader.seek(SeekFrom::End(-(EOF_MARKER.len() as i64)))?;
    let mut tail = [0u8; 28];
    reader.read_exact(&mut tail)?;
    reader.seek(SeekFrom::Start(0))?;
    Ok(tail == EOF_MARKER)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn eof_marker_parses_as_an_empty_block() {
        assert_eq!(parse_header(&EOF_MARKER), Ok(Header::Size(28)));
        let mut d = libdeflater::Decompressor::new();
        let mut out = Vec::new();
        inflate(&EOF_MARKER, &mut d, &mut out).unwrap();
        assert!(out.is_empty());
        assert_eq!(data_len(&EOF_MARKER), 0);
    }

    #[test]
    fn header_needs_more_bytes_or_rejects_plain_gzip() {
        assert_eq!(parse_header(&EOF_MARKER[..5]), Ok(Header::NeedAtLeast(12)));
        assert_eq!(parse_header(&EOF_MARKER[..14]), Ok(Header::NeedAtLeast(18)));
        let mut plain = EOF_MARKER;
        plain[3] = 0;
        assert!(parse_header(&plain).is_err());
        let mut other_subfield = EOF_MARKER;
        other_subfield[12] = b'X';
        assert!(parse_header(&other_subfield).is_err());
        assert!(parse_header(b"not gzip at all").is_err());
    }

    #[test]
    fn inflate_detects_crc_and_size_damage() {
        let bytes = crate::bgzf::compress(b"hello world\n");
        let Header::Size(size) = parse_header(&bytes).unwrap() else {
            panic!("expected a size")
        };
        let mut d = libdeflater::Decompressor::new();
        let mut out = Vec::new();
        inflate(&bytes[..size], &mut d, &mut out).unwrap();
        assert_eq!(out, b"hello world\n");

        let mut bad_crc = bytes[..size].to_vec();
        bad_crc[size - 8] ^= 1;
        let err = inflate(&bad_crc, &mut d, &mut Vec::new()).unwrap_err();
        assert!(err.contains("CRC32"), "{err}");

        let mut bad_size = bytes[..size].to_vec();
        bad_size[size - 4] += 1;
        assert!(inflate(&bad_size, &mut d, &mut Vec::new()).is_err());

        let mut bad_data = bytes[..size].to_vec();
        bad_data[18] ^= 0xff;
        bad_data[19] ^= 0xff;
        assert!(inflate(&bad_data, &mut d, &mut Vec::new()).is_err());
    }
}
