//! BGZF: the blocked gzip that makes VCF and BCF files seekable.
//!
//! A BGZF file is a series of independent gzip members ("blocks") of at most 64 KiB of
//! data each, ending with a fixed empty block (the EOF marker). Independence is what lets
//! us inflate blocks on several threads and jump into the middle of a file through an
//! index. We inflate with libdeflate, which is about twice as fast as zlib on whole
//! blocks, and check every block's CRC32 so that damage is reported instead of decoded.
//!
//! Only [`compress`] and [`compress_with_block_size`] are public: they write BGZF for
//! tests and small outputs.

mod block;
mod cursor;
mod stream;

pub(crate) use block::{has_eof_marker, is_bgzf};
pub(crate) use cursor::Cursor;
pub(crate) use stream::Stream;

/// The largest uncompressed payload htslib puts in one block; keeping to it guarantees
/// that even incompressible data fits in a block's 64 KiB size limit.
const MAX_PAYLOAD: usize = 0xff00;

/// Compresses `data` as BGZF with full-size blocks and the EOF marker.
///
/// ```
/// let bytes = tailor_genome::bgzf::compress(b"##fileformat=VCFv4.2\n");
/// assert_eq!(&bytes[..4], &[0x1f, 0x8b, 8, 4]);
/// ```
pub fn compress(data: &[u8]) -> Vec<u8> {
    compress_with_block_size(data, MAX_PAYLOAD)
}

/// Compresses `data` as BGZF with at most `block_size` bytes per block (clamped to
/// 1..=65280), so tests can force lines and records to straddle block boundaries.
pub fn compress_with_block_size(data: &[u8], block_size: usize) -> Vec<u8> {
    let block_size = block_size.clamp(1, MAX_PAYLOAD);
    let mut compressor = libdeflater::Compressor::new(libdeflater::CompressionLvl::default());
    let mut out = Vec::with_capacity(data.len() / 3 + 64);
    let mut scratch = vec![0u8; compressor.deflate_compress_bound(block_size)];
    for chunk in data.chunks(block_size) {
        let written = compressor
            .deflate_compress(chunk, &mut scratch)
            .unwrap_or_default();
        block::write_block(&mut out, &scratch[..written], chunk);
    }
    out.extend_from_slice(&block::EOF_MARKER);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compressed_output_ends_with_eof_marker_and_inflates_back() {
        let data: Vec<u8> = (0..200_000u32)
            .flat_map(|i| (i % 251).to_le_bytes())
            .collect();
        let bytes = compress(&data);
        assert!(bytes.ends_with(&block::EOF_MARKER));
        let mut stream = Stream::new(std::io::Cursor::new(bytes), 0);
        let mut out = Vec::new();
        while stream.fill(&mut out).unwrap() {}
        assert_eq!(out, data);
    }
}
