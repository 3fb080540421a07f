//! What kind of file this is, and its bytes front to back.
//!
//! Detection uses magic bytes, never the file name: pipelines name files inconsistently
//! (`.vcf.gz` that is plain gzip, `.bgz`, `.bcf` without compression), and a wrong guess
//! would either fail confusingly or, worse, read garbage.

use std::fs::File;
use std::io::{BufReader, Cursor, Read};
use std::path::PathBuf;
use std::sync::Arc;
use tailor_core::input_file::FileProblem;

use flate2::read::MultiGzDecoder;

use crate::bgzf;
use crate::error::{ErrorKind, Fault, FaultResult};

/// How the bytes are compressed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Compression {
    /// Not compressed.
    None,
    /// Ordinary gzip (not seekable; cannot be indexed).
    Gzip,
    /// Blocked gzip, as written by `bgzip` and `bcftools`.
    Bgzf,
}

/// Which variant format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    /// Text VCF.
    Vcf,
    /// Binary BCF.
    Bcf,
}

/// The detected format of a file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Format {
    /// VCF or BCF.
    pub kind: FileKind,
    /// Compression.
    pub compression: Compression,
}

/// Where a reader's bytes come from: a file on disk, or bytes already in memory (an
/// upload, a test, a part of a larger document). The reader reads its input more than
/// once (header, then records), so it keeps the origin and opens it again per pass.
#[derive(Debug, Clone)]
pub(crate) enum Origin {
    /// A regular file.
    File(PathBuf),
    /// Bytes held in memory; shared, so a second pass copies nothing.
    Memory(Arc<[u8]>),
}

/// An opened origin: a file, or a cursor over the shared bytes.
pub(crate) enum Opened {
    File(File),
    Memory(Cursor<Arc<[u8]>>),
}

impl Read for Opened {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        match self {
            Opened::File(f) => f.read(buf),
            Opened::Memory(c) => c.read(buf),
        }
    }
}

impl std::io::Seek for Opened {
    fn seek(&mut self, pos: std::io::SeekFrom) -> std::io::Result<u64> {
        match self {
            Opened::File(f) => f.seek(pos),
            Opened::Memory(c) => c.seek(pos),
        }
    }
}

impl Origin {
    /// Opens the bytes from the start.
    pub(crate) fn open(&self) -> std::io::Result<Opened> {
        Ok(match self {
            Origin::File(path) => Opened::File(File::open(path)?),
            Origin::Memory(bytes) => Opened::Memory(Cursor::new(Arc::clone(bytes))),
        })
    }

    /// The size in bytes.
    pub(crate) fn len(&self) -> std::io::Result<u64> {
        match self {
            Origin::File(path) => Ok(std::fs::metadata(path)?.len()),
            Origin::Memory(bytes) => Ok(bytes.len() as u64),
        }
    }
}

const GZIP_MAGIC: [u8; 2] = [0x1f, 0x8b];
pub(crate) const BCF_MAGIC: [u8; 3] = *b"BCF";

/// Looks at the first bytes (inflating them if compressed) to tell what the file is.
pub(crate) fn detect(origin: &Origin) -> FaultResult<Format> {
    // The reader opens the file again for each pass and seeks in it, which pipes and
    // devices cannot do; say so instead of failing later with "illegal seek".
    if let Origin::File(path) = origin {
        if let Some(problem) = FileProblem::of(&std::fs::metadata(path)) {
            return Err(Fault::new(ErrorKind::NotAFile(problem)));
        }
    }
    let mut opened = origin.open()?;
    let start = read_prefix(&mut opened, 32)?;
    if start.is_empty() {
        return Err(Fault::new(ErrorKind::Empty));
    }
    let compression = if start.starts_with(&GZIP_MAGIC) {
        if bgzf::is_bgzf(&start) {
            Compression::Bgzf
        } else {
            Compression::Gzip
        }
    } else {
        Compression::None
    };
    let content = if compression == Compression::None {
        start
    } else {
        let mut input = Input::new(Source::open(origin, compression, 0)?);
        input.ensure(16)?;
        input.data()[input.position()..].to_vec()
    };
    if content.starts_with(&BCF_MAGIC) {
        return Ok(Format {
            kind: FileKind::Bcf,
            compression,
        });
    }
    if content.starts_with(b"#") {
        // The header parser explains what is wrong with a '#' file that is not VCF.
        return Ok(Format {
            kind: FileKind::Vcf,
            compression,
        });
    }
    let what = if compression == Compression::None {
        "the file"
    } else {
        "the decompressed data"
    };
    Err(Fault::new(ErrorKind::NotVariantFile(format!(
        "{what} starts with {}; a VCF starts with ##fileformat=VCF and a BCF with BCF\\2",
        describe(&content)
    ))))
}

/// Names what the first bytes look like without quoting them: the file may be one the
/// user never meant to hand over (a path followed out of a case folder), so its content
/// stays out of the message. Known formats are named; anything else is "text" or
/// "binary data".
fn describe(bytes: &[u8]) -> String {
    const KNOWN: [(&[u8], &str); 12] = [
        (b"%PDF", "a PDF document"),
        (b"PK\x03\x04", "a ZIP archive (an Excel or Word file?)"),
        (b"\x89PNG", "a PNG image"),
        (b"\x7fELF", "a program (ELF binary)"),
        (b"BAM\x01", "a BAM alignment file"),
        (b"CRAM", "a CRAM alignment file"),
        (b"\xd0\xcf\x11\xe0", "an old Office document"),
        (b"<", "HTML or XML"),
        (b"{", "JSON"),
        (b">", "FASTA sequence"),
        (
            b"Hugo_Symbol",
            "a MAF table (give it as the MAF input, not as a VCF)",
        ),
        (b"@", "FASTQ reads or a SAM header"),
    ];
    if bytes.is_empty() {
        return "nothing (no data)".to_string();
    }
    if let Some((_, name)) = KNOWN.iter().find(|(magic, _)| bytes.starts_with(magic)) {
        return format!("what looks like {name}");
    }
    let texty = bytes
        .iter()
        .all(|b| b.is_ascii_graphic() || matches!(b, b' ' | b'\t' | b'\n' | b'\r'));
    if texty {
        "text that is not a VCF header".to_string()
    } else {
        "binary data".to_string()
    }
}

fn read_prefix(file: &mut impl Read, n: usize) -> FaultResult<Vec<u8>> {
    let mut buf = Vec::with_capacity(n);
    file.by_ref().take(n as u64).read_to_end(&mut buf)?;
    Ok(buf)
}

/// The bytes of a file front to back, decompressed.
pub(crate) enum Source {
    Plain(Opened),
    Gzip(Box<MultiGzDecoder<BufReader<Opened>>>),
    Bgzf(bgzf::Stream),
}

/// How much to read per call from plain or gzip sources.
const CHUNK: usize = 1 << 20;

/// The longest line or BCF record accepted. Real lines are far shorter (a 100,000-sample
/// VCF line is ~1 MiB); the cap stops binary garbage without newlines from being buffered
/// until memory runs out.
pub(crate) const MAX_LINE: usize = 256 << 20;

pub(crate) fn line_too_long() -> Fault {
    Fault::new(ErrorKind::InvalidRecord(format!(
        "a line or record is longer than {} MiB; the file is probably not a VCF or BCF",
        MAX_LINE >> 20
    )))
}

impl Source {
    /// Opens `origin` for reading from the start; `threads` inflating workers for BGZF.
    pub(crate) fn open(
        origin: &Origin,
        compression: Compression,
        threads: usize,
    ) -> FaultResult<Self> {
        let file = origin.open()?;
        Ok(match compression {
            Compression::None => Source::Plain(file),
            Compression::Gzip => Source::Gzip(Box::new(MultiGzDecoder::new(
                BufReader::with_capacity(CHUNK, file),
            ))),
            Compression::Bgzf => Source::Bgzf(bgzf::Stream::new(file, threads)),
        })
    }

    /// Appends more bytes to `out`; false at the end of the data.
    pub(crate) fn fill(&mut self, out: &mut Vec<u8>) -> FaultResult<bool> {
        let reader: &mut dyn Read = match self {
            Source::Bgzf(stream) => return stream.fill(out),
            Source::Plain(file) => file,
            Source::Gzip(decoder) => decoder.as_mut(),
        };
        // `read_to_end` on a `Take` appends without zero-filling the spare capacity first.
        let got = reader
            .take(CHUNK as u64)
            .read_to_end(out)
            .map_err(gzip_fault)?;
        Ok(got > 0)
    }

    /// BGZF blocks inflated so far (0 for other sources).
    pub(crate) fn blocks_read(&self) -> u64 {
        match self {
            Source::Bgzf(stream) => stream.blocks_read(),
            _ => 0,
        }
    }
}

/// flate2 reports a cut-off stream as `UnexpectedEof` and damage as `InvalidInput` /
/// `InvalidData`; say so in the user's terms.
fn gzip_fault(err: std::io::Error) -> Fault {
    match err.kind() {
        std::io::ErrorKind::UnexpectedEof => Fault::new(ErrorKind::Truncated(
            "the gzip stream ends before its end-of-stream marker, so data was cut off".to_string(),
        )),
        std::io::ErrorKind::InvalidInput | std::io::ErrorKind::InvalidData => {
            Fault::new(ErrorKind::Corrupt(format!("gzip: {err}")))
        }
        _ => Fault::new(ErrorKind::Io(err)),
    }
}

/// A growing window over a [`Source`], handing out lines (VCF) or byte runs (BCF).
pub(crate) struct Input {
    source: Source,
    buf: Vec<u8>,
    pos: usize,
    eof: bool,
}

impl std::fmt::Debug for Input {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Input")
            .field("buffered", &self.buf.len())
            .field("pos", &self.pos)
            .field("eof", &self.eof)
            .finish_non_exhaustive()
    }
}

impl Input {
    pub(crate) fn new(source: Source) -> Self {
        Self {
            source,
            buf: Vec::new(),
            pos: 0,
            eof: false,
        }
    }

    /// The buffered bytes; ranges from [`Input::line`] index into this.
    pub(crate) fn data(&self) -> &[u8] {
        &self.buf
    }

    /// Position of the next unread byte in [`Input::data`].
    pub(crate) fn position(&self) -> usize {
        self.pos
    }

    /// Marks `n` bytes as read.
    pub(crate) fn consume(&mut self, n: usize) {
        self.pos = (self.pos + n).min(self.buf.len());
    }

    /// Bytes left unread, for reporting a cut-off record.
    pub(crate) fn remaining(&self) -> usize {
        self.buf.len() - self.pos
    }

    pub(crate) fn blocks_read(&self) -> u64 {
        self.source.blocks_read()
    }

    /// The next line without its `\n`, as a range into [`Input::data`]; `None` at the end.
    /// A last line without a newline is returned too.
    pub(crate) fn line(&mut self) -> FaultResult<Option<(usize, usize)>> {
        let mut scanned = self.pos;
        loop {
            if let Some(i) = memchr::memchr(b'\n', &self.buf[scanned..]) {
                let start = self.pos;
                let end = scanned + i;
                self.pos = end + 1;
                return Ok(Some((start, end)));
            }
            if self.eof {
                if self.pos < self.buf.len() {
                    let range = (self.pos, self.buf.len());
                    self.pos = self.buf.len();
                    return Ok(Some(range));
                }
                return Ok(None);
            }
            if self.buf.len() - self.pos > MAX_LINE {
                return Err(line_too_long());
            }
            scanned = self.refill()?;
        }
    }

    /// Makes at least `n` unread bytes available; false if the data ends first.
    pub(crate) fn ensure(&mut self, n: usize) -> FaultResult<bool> {
        if n > MAX_LINE {
            return Err(line_too_long());
        }
        while self.buf.len() - self.pos < n {
            if self.eof {
                return Ok(false);
            }
            self.refill()?;
        }
        Ok(true)
    }

    /// Moves unread bytes to the front and appends more; returns where unscanned data
    /// starts.
    fn refill(&mut self) -> FaultResult<usize> {
        self.buf.drain(..self.pos);
        self.pos = 0;
        let scanned = self.buf.len();
        if !self.source.fill(&mut self.buf)? {
            self.eof = true;
        }
        Ok(scanned)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;
    use std::path::Path;

    fn file(path: impl AsRef<Path>) -> Origin {
        Origin::File(path.as_ref().to_path_buf())
    }

    fn write(bytes: &[u8]) -> tempfile::NamedTempFile {
        let mut f = tempfile::NamedTempFile::new().unwrap();
        f.write_all(bytes).unwrap();
        f
    }

    fn gzip(bytes: &[u8]) -> Vec<u8> {
        let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        enc.write_all(bytes).unwrap();
        enc.finish().unwrap()
    }

    const VCF: &[u8] = b"##fileformat=VCFv4.2\n#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\n";

    #[test]
    fn detects_every_container() {
        let cases: [(Vec<u8>, FileKind, Compression); 5] = [
            (VCF.to_vec(), FileKind::Vcf, Compression::None),
            (gzip(VCF), FileKind::Vcf, Compression::Gzip),
            (bgzf::compress(VCF), FileKind::Vcf, Compression::Bgzf),
            (
                b"BCF\x02\x02rest".to_vec(),
                FileKind::Bcf,
                Compression::None,
            ),
            (
                bgzf::compress(b"BCF\x02\x02rest"),
                FileKind::Bcf,
                Compression::Bgzf,
            ),
        ];
        for (bytes, kind, compression) in cases {
            let f = write(&bytes);
            let format = detect(&file(f.path())).unwrap();
            assert_eq!(format, Format { kind, compression });
        }
    }

    #[test]
    fn rejects_empty_and_garbage() {
        let f = write(b"");
        assert!(matches!(
            detect(&file(f.path())).unwrap_err().kind,
            ErrorKind::Empty
        ));
        let f = write(&[0x7f, b'E', b'L', b'F', 0, 1, 2]);
        let err = detect(&file(f.path())).unwrap_err();
        assert!(matches!(err.kind, ErrorKind::NotVariantFile(_)));
        assert!(err.kind.to_string().contains("ELF binary"), "{}", err.kind);
        // The content itself is never quoted: the file may not be the user's to show.
        let f = write(b"root:x:0:0:root:/root:/bin/sh\n");
        let shown = detect(&file(f.path())).unwrap_err().kind.to_string();
        assert!(shown.contains("text that is not a VCF header"), "{shown}");
        assert!(!shown.contains("root"), "{shown}");
        let dir = tempfile::tempdir().unwrap();
        let err = detect(&file(dir.path())).unwrap_err();
        assert_eq!(err.kind.to_string(), "is a directory, not a file");
        let err = detect(&file(Path::new("/dev/null"))).unwrap_err();
        assert!(
            err.kind.to_string().starts_with("is not a regular file"),
            "{}",
            err.kind
        );
        let err = detect(&file(dir.path().join("absent.vcf"))).unwrap_err();
        assert_eq!(err.kind.to_string(), "no such file");
        let f = write(&gzip(b"hello world, not a vcf"));
        let err = detect(&file(f.path())).unwrap_err();
        assert!(
            err.kind.to_string().contains("decompressed data"),
            "{}",
            err.kind
        );
    }

    #[test]
    fn truncated_plain_gzip_is_an_error() {
        let text: Vec<u8> = (0..20_000)
            .flat_map(|i| format!("line {i}\n").into_bytes())
            .collect();
        let gz = gzip(&text);
        let f = write(&gz[..gz.len() - 10]);
        let mut input = Input::new(Source::open(&file(f.path()), Compression::Gzip, 0).unwrap());
        let err = loop {
            match input.line() {
                Ok(Some(_)) => continue,
                Ok(None) => panic!("a truncated gzip read to the end without error"),
                Err(e) => break e,
            }
        };
        assert!(
            matches!(err.kind, ErrorKind::Truncated(_)),
            "{:?}",
            err.kind
        );
    }

    #[test]
    fn multi_member_gzip_reads_every_member() {
        let mut bytes = gzip(b"a\nb\n");
        bytes.extend(gzip(b"c\n"));
        let f = write(&bytes);
        let mut input = Input::new(Source::open(&file(f.path()), Compression::Gzip, 0).unwrap());
        let mut lines = Vec::new();
        while let Some((s, e)) = input.line().unwrap() {
            lines.push(input.data()[s..e].to_vec());
        }
        assert_eq!(lines, vec![b"a".to_vec(), b"b".to_vec(), b"c".to_vec()]);
    }

    #[test]
    fn last_line_without_newline_is_returned() {
        let f = write(b"x\ny");
        let mut input = Input::new(Source::open(&file(f.path()), Compression::None, 0).unwrap());
        assert_eq!(input.line().unwrap(), Some((0, 1)));
        let (s, e) = input.line().unwrap().unwrap();
        assert_eq!(&input.data()[s..e], b"y");
        assert_eq!(input.line().unwrap(), None);
    }
}
