//! Random access into a BGZF file by virtual offset, for index queries.
//!
//! An index names positions as virtual offsets: `(compressed block offset << 16) |
//! offset inside the inflated block`. The cursor seeks to a block, inflates only the blocks
//! it actually reads, and reports the virtual offset of its position so the caller can
//! stop at the end of an index chunk.

use std::io::{Read, Seek, SeekFrom};

use super::block::{self, Header};
use crate::error::{ErrorKind, Fault, FaultResult, Location};

#[derive(Debug, Clone, Copy)]
struct Loaded {
    coffset: u64,
    start: usize,
    len: usize,
    next: u64,
}

/// A seekable reader of inflated BGZF data.
pub(crate) struct Cursor<R> {
    inner: R,
    file_pos: u64,
    file_len: u64,
    decompressor: libdeflater::Decompressor,
    data: Vec<u8>,
    blocks: Vec<Loaded>,
    pos: usize,
    scratch: Vec<u8>,
    blocks_read: u64,
}

impl<R: Read + Seek> Cursor<R> {
    pub(crate) fn new(mut inner: R) -> FaultResult<Self> {
        let file_len = inner.seek(SeekFrom::End(0))?;
        inner.seek(SeekFrom::Start(0))?;
        Ok(Self {
            inner,
            file_pos: 0,
            file_len,
            decompressor: libdeflater::Decompressor::new(),
            data: Vec::new(),
            blocks: Vec::new(),
            pos: 0,
            scratch: Vec::new(),
            blocks_read: 0,
        })
    }

    /// Blocks inflated so far.
    pub(crate) fn blocks_read(&self) -> u64 {
        self.blocks_read
    }

    /// The inflated bytes; ranges returned by [`Cursor::line`] index into this.
    pub(crate) fn data(&self) -> &[u8] {
        &self.data
    }

    /// Moves to a virtual offset, reusing the loaded block when it is the same one.
    pub(crate) fn seek(&mut self, voffset: u64) -> FaultResult<()> {
        let coffset = voffset >> 16;
        let within = (voffset & 0xffff) as usize;
        let loaded = match self.blocks.iter().find(|b| b.coffset == coffset) {
            Some(block) => *block,
            None => {
                self.data.clear();
                self.blocks.clear();
                self.pos = 0;
                match self.read_block(coffset)? {
                    Some(block) => block,
                    None => {
                        return Err(Fault::at(
                            Location::Offset(coffset),
                            ErrorKind::Truncated(format!(
                                "the index points to byte offset {coffset}, past the end of \
                                 the {}-byte file",
                                self.file_len
                            )),
                        ))
                    }
                }
            }
        };
        if within > loaded.len {
            return Err(Fault::at(
                Location::Offset(coffset),
                ErrorKind::Corrupt(format!(
                    "the index points {within} bytes into a block of {} bytes",
                    loaded.len
                )),
            ));
        }
        self.pos = loaded.start + within;
        Ok(())
    }

    /// True when `voffset` names a real position: a BGZF block starts at its compressed
    /// offset and the block holds at least its in-block offset. Reads only the block's
    /// header and trailer, so a whole index can be checked before any record is read.
    pub(crate) fn is_valid_position(&mut self, voffset: u64) -> FaultResult<bool> {
        let coffset = voffset >> 16;
        let within = voffset & 0xffff;
        if coffset >= self.file_len {
            return Ok(false);
        }
        let mut header = [0u8; 18];
        let available = usize::try_from((self.file_len - coffset).min(18)).unwrap_or(18);
        self.inner.seek(SeekFrom::Start(coffset))?;
        self.inner.read_exact(&mut header[..available])?;
        let size = match block::parse_header(&header[..available]) {
            Ok(Header::Size(n)) => n as u64,
            Ok(Header::NeedAtLeast(_)) | Err(_) => {
                self.file_pos = coffset + available as u64;
                return Ok(false);
            }
        };
        if coffset + size > self.file_len {
            self.file_pos = coffset + available as u64;
            return Ok(false);
        }
        let mut isize = [0u8; 4];
        self.inner.seek(SeekFrom::Start(coffset + size - 4))?;
        self.inner.read_exact(&mut isize)?;
        self.file_pos = coffset + size;
        Ok(within <= u64::from(u32::from_le_bytes(isize)))
    }

    /// The virtual offset of the next unread byte; `None` at the end of the file.
    pub(crate) fn voffset(&mut self) -> FaultResult<Option<u64>> {
        while self.pos >= self.data.len() {
            if !self.load_next()? {
                return Ok(None);
            }
        }
        let block = self
            .blocks
            .iter()
            .rev()
            .find(|b| b.start <= self.pos)
            .copied()
            .unwrap_or(Loaded {
                coffset: 0,
                start: 0,
                len: 0,
                next: 0,
            });
        Ok(Some(
            (block.coffset << 16) | (self.pos - block.start) as u64,
        ))
    }

    /// The next line (without `\n`) as a range into [`Cursor::data`]; `None` at the end.
    pub(crate) fn line(&mut self) -> FaultResult<Option<(usize, usize)>> {
        self.compact();
        let mut scanned = self.pos;
        loop {
            if let Some(i) = memchr::memchr(b'\n', &self.data[scanned..]) {
                let start = self.pos;
                let end = scanned + i;
                self.pos = end + 1;
                return Ok(Some((start, end)));
            }
            scanned = self.data.len();
            if scanned - self.pos > crate::input::MAX_LINE {
                return Err(crate::input::line_too_long());
            }
            if !self.load_next()? {
                if self.pos < self.data.len() {
                    let range = (self.pos, self.data.len());
                    self.pos = self.data.len();
                    return Ok(Some(range));
                }
                return Ok(None);
            }
        }
    }

    /// Makes at least `n` unread bytes available; false if the file ends first.
    pub(crate) fn ensure(&mut self, n: usize) -> FaultResult<bool> {
        if n > crate::input::MAX_LINE {
            return Err(crate::input::line_too_long());
        }
        self.compact();
        while self.data.len() - self.pos < n {
            if !self.load_next()? {
                return Ok(false);
            }
        }
        Ok(true)
    }

    /// Position of the next unread byte in [`Cursor::data`].
    pub(crate) fn position(&self) -> usize {
        self.pos
    }

    /// Marks `n` bytes as read.
    pub(crate) fn consume(&mut self, n: usize) {
        self.pos = (self.pos + n).min(self.data.len());
    }

    /// Drops blocks that lie wholly before the current position.
    fn compact(&mut self) {
        let keep_from = self
            .blocks
            .iter()
            .position(|b| b.start + b.len > self.pos)
            .unwrap_or(self.blocks.len().saturating_sub(1));
        if keep_from == 0 {
            return;
        }
        let cut = self.blocks[keep_from].start.min(self.pos);
        self.data.drain(..cut);
        self.pos -= cut;
        self.blocks.drain(..keep_from);
        for block in &mut self.blocks {
            block.start -= cut;
        }
    }

    /// Appends the next non-empty block; false at the end of the file.
    fn load_next(&mut self) -> FaultResult<bool> {
        let Some(mut next) = self.blocks.last().map(|b| b.next) else {
            return Ok(false);
        };
        loop {
            match self.read_block(next)? {
                None => return Ok(false),
                Some(block) if block.len == 0 => next = block.next,
                Some(_) => return Ok(true),
            }
        }
    }

    /// Reads and inflates the block at `coffset`, appending it; `None` at end of file.
    fn read_block(&mut self, coffset: u64) -> FaultResult<Option<Loaded>> {
        if coffset >= self.file_len {
            return Ok(None);
        }
        if self.file_pos != coffset {
            self.inner.seek(SeekFrom::Start(coffset))?;
            self.file_pos = coffset;
        }
        self.scratch.clear();
        let size = loop {
            let header = block::parse_header(&self.scratch)
                .map_err(|m| Fault::at(Location::Offset(coffset), ErrorKind::Corrupt(m)))?;
            let want = match header {
                Header::Size(n) => n,
                Header::NeedAtLeast(n) => n,
            };
            let have = self.scratch.len();
            if want > have {
                self.scratch.resize(want, 0);
                self.inner
                    .read_exact(&mut self.scratch[have..])
                    .map_err(|e| truncated_or_io(e, coffset))?;
                self.file_pos += (want - have) as u64;
            }
            if let Header::Size(n) = header {
                break n;
            }
        };
        let start = self.data.len();
        block::inflate(
            &self.scratch[..size],
            &mut self.decompressor,
            &mut self.data,
        )
        .map_err(|m| Fault::at(Location::Offset(coffset), ErrorKind::Corrupt(m)))?;
        self.blocks_read += 1;
        let loaded = Loaded {
            coffset,
            start,
            len: self.data.len() - start,
            next: coffset + size as u64,
        };
        if loaded.len > 0 || self.blocks.is_empty() {
            self.blocks.push(loaded);
        } else if let Some(last) = self.blocks.last_mut() {
            // An empty block between two others: remember where reading continues.
            last.next = loaded.next;
        }
        Ok(Some(loaded))
    }
}

fn truncated_or_io(err: std::io::Error, coffset: u64) -> Fault {
    if err.kind() == std::io::ErrorKind::UnexpectedEof {
        Fault::at(
            Location::Offset(coffset),
            ErrorKind::Truncated("a BGZF block is cut off at the end of the file".to_string()),
        )
    } else {
        Fault::at(Location::Offset(coffset), ErrorKind::Io(err))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bgzf::compress_with_block_size;

    fn lines() -> Vec<u8> {
        (0..2_000)
            .flat_map(|i| format!("line {i}\n").into_bytes())
            .collect()
    }

    #[test]
    fn reads_lines_across_blocks_and_reports_virtual_offsets() {
        let text = lines();
        let bytes = compress_with_block_size(&text, 333);
        let mut cursor = Cursor::new(std::io::Cursor::new(bytes)).unwrap();
        cursor.seek(0).unwrap();
        let mut seen = Vec::new();
        let mut offsets = Vec::new();
        while let Some(v) = cursor.voffset().unwrap() {
            offsets.push(v);
            let Some((s, e)) = cursor.line().unwrap() else {
                break;
            };
            seen.extend_from_slice(&cursor.data()[s..e]);
            seen.push(b'\n');
        }
        assert_eq!(seen, text);
        assert!(offsets.windows(2).all(|w| w[0] < w[1]));

        // Seeking back to a recorded offset yields the same line again.
        let target = offsets[1234];
        cursor.seek(target).unwrap();
        let (s, e) = cursor.line().unwrap().unwrap();
        assert_eq!(&cursor.data()[s..e], b"line 1234");
        assert!(cursor.blocks_read() > 0);
    }

    #[test]
    fn positions_are_validated_against_block_boundaries() {
        let bytes = compress_with_block_size(&lines(), 333);
        let Header::Size(first) = block::parse_header(&bytes).unwrap() else {
            panic!("expected a block")
        };
        let mut cursor = Cursor::new(std::io::Cursor::new(bytes.clone())).unwrap();
        assert!(cursor.is_valid_position(0).unwrap());
        assert!(cursor.is_valid_position(333).unwrap());
        assert!(!cursor.is_valid_position(334).unwrap());
        assert!(cursor.is_valid_position((first as u64) << 16).unwrap());
        assert!(!cursor
            .is_valid_position(((first as u64) + 4) << 16)
            .unwrap());
        assert!(!cursor
            .is_valid_position((bytes.len() as u64 + 1) << 16)
            .unwrap());
        // Checking does not disturb reading.
        cursor.seek(0).unwrap();
        let (s, e) = cursor.line().unwrap().unwrap();
        assert_eq!(&cursor.data()[s..e], b"line 0");
    }

    #[test]
    fn seeking_past_the_end_or_into_a_cut_block_fails() {
        let bytes = compress_with_block_size(&lines(), 333);
        let len = bytes.len() as u64;
        let mut cursor = Cursor::new(std::io::Cursor::new(bytes.clone())).unwrap();
        assert!(cursor.seek((len + 10) << 16).is_err());
        let mut cut = Cursor::new(std::io::Cursor::new(bytes[..100].to_vec())).unwrap();
        let err = cut.seek(0).unwrap_err();
        assert!(
            matches!(err.kind, ErrorKind::Truncated(_)),
            "{:?}",
            err.kind
        );
        let mut cursor = Cursor::new(std::io::Cursor::new(bytes)).unwrap();
        assert!(cursor.seek(60_000).is_err());
    }
}
