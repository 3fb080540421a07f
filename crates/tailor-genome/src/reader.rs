//! [`VariantReader`]: the one read path for VCF and BCF.

mod options;
mod selection;
mod stats;

pub(crate) use options::FieldRequest;
pub use options::{ReaderOptions, SampleSelection};
pub(crate) use selection::Selection;
pub use stats::ReadStats;

use std::fs::File;
use std::path::{Path, PathBuf};

use crate::bcf::{self, Dictionary, RecordParser};
use crate::bgzf;
use crate::error::{Error, ErrorKind, Fault, FaultResult, Location};
use crate::header::{GenomeBuild, Header, HeaderBuilder};
use crate::index::{self, Index};
use crate::input::{self, Compression, FileKind, Format, Input, Origin, Source};
use crate::site::Site;
use crate::targets::{TargetIndex, Targets, Wanted};
use crate::vcf::LineParser;

/// Streaming threads: inflating a small file on the calling thread is faster than
/// starting workers.
const THREADED_FROM_BYTES: u64 = 4 << 20;

/// One variant input: a file on disk, or bytes held in memory under a display name (an
/// uploaded part). Engines take these so that a server never writes an upload to disk.
#[derive(Debug, Clone)]
pub enum VariantInput {
    /// A VCF/BCF file, read in place (with its index, when one is beside it).
    File(PathBuf),
    /// VCF/BCF bytes; `name` stands for them in errors and results.
    Bytes {
        /// The display name (a file name).
        name: PathBuf,
        /// The bytes, shared.
        bytes: std::sync::Arc<[u8]>,
    },
}

impl VariantInput {
    /// The path or display name.
    pub fn name(&self) -> &Path {
        match self {
            VariantInput::File(path) => path,
            VariantInput::Bytes { name, .. } => name,
        }
    }

    /// Opens a reader over the input.
    pub fn open(&self, options: &ReaderOptions) -> Result<VariantReader, Error> {
        match self {
            VariantInput::File(path) => VariantReader::open(path, options),
            VariantInput::Bytes { name, bytes } => VariantReader::from_bytes(
                &name.display().to_string(),
                std::sync::Arc::clone(bytes),
                options,
            ),
        }
    }
}

impl From<PathBuf> for VariantInput {
    fn from(path: PathBuf) -> Self {
        VariantInput::File(path)
    }
}

/// Reads variant records overlapping target positions from a VCF or BCF file.
///
/// ```no_run
/// use tailor_genome::{ReaderOptions, Targets, VariantReader};
/// let mut reader = VariantReader::open("sample.vcf.gz".as_ref(), &ReaderOptions::default())?;
/// let mut targets = Targets::new();
/// targets.add("chr10", 94_781_859, 94_781_859);
/// let stats = reader.read_targets(&targets, |site| {
///     println!("{}:{} {:?}", site.chrom, site.pos, site.genotypes[0].alleles);
/// })?;
/// println!("{} of {} records matched", stats.records_matched, stats.records_scanned);
/// # Ok::<(), tailor_genome::Error>(())
/// ```
#[derive(Debug)]
pub struct VariantReader {
    /// The name errors and results give the input: the file's path, or the name a caller
    /// gave bytes held in memory.
    path: PathBuf,
    origin: Origin,
    format: Format,
    header: Header,
    selection: Selection,
    samples: Vec<String>,
    request: FieldRequest,
    index: Option<Index>,
    index_problem: Option<String>,
    dictionary: Option<Dictionary>,
    threads: usize,
    /// The input as the header left it, kept for the first whole-file read when that read
    /// would stream on the calling thread anyway: a small file is then inflated and
    /// scanned once, not once for the header and again for the records.
    after_header: Option<Input>,
}

impl VariantReader {
    /// Opens a file: detects BCF / BGZF VCF / gzip VCF / plain VCF by magic bytes, parses
    /// the header, resolves the sample selection, refuses GRCh37 (unless
    /// [`ReaderOptions::allow_grch37`]), and loads an index
    /// beside the file when `options.use_index` (an index older than the file is ignored:
    /// it may point to the wrong places).
    pub fn open(path: &Path, options: &ReaderOptions) -> Result<Self, Error> {
        Self::open_inner(path, Origin::File(path.to_path_buf()), options)
            .map_err(|f| f.with_path(path))
    }

    /// Reads a VCF or BCF held in memory (an upload, a part of a request), plain, gzip or
    /// BGZF, detected from the bytes as for a file. `name` stands for the input in errors
    /// and results (a file name, never a path on the server). No index is used: the bytes
    /// are streamed, which gives the same records as an indexed read.
    ///
    /// ```
    /// use tailor_genome::{ReaderOptions, VariantReader};
    /// let vcf = b"##fileformat=VCFv4.2\n##contig=<ID=chr1,length=248956422>\n\
    ///     #CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\n\
    ///     chr1\t100\t.\tA\tG\t.\tPASS\t.\n";
    /// let mut reader =
    ///     VariantReader::from_bytes("upload.vcf", vcf.to_vec(), &ReaderOptions::default())?;
    /// let mut positions = Vec::new();
    /// reader.read_all(|site| positions.push(site.pos))?;
    /// assert_eq!(positions, [100]);
    /// # Ok::<(), tailor_genome::Error>(())
    /// ```
    pub fn from_bytes(
        name: &str,
        bytes: impl Into<std::sync::Arc<[u8]>>,
        options: &ReaderOptions,
    ) -> Result<Self, Error> {
        let path = Path::new(name);
        let options = ReaderOptions {
            use_index: false,
            ..options.clone()
        };
        Self::open_inner(path, Origin::Memory(bytes.into()), &options)
            .map_err(|f| f.with_path(path))
    }

    /// Reads a VCF or BCF from any reader (a request body, a decompressing stream): the
    /// bytes are read into memory first, because reading takes more than one pass. As
    /// [`VariantReader::from_bytes`] otherwise.
    pub fn from_reader(
        name: &str,
        mut reader: impl std::io::Read,
        options: &ReaderOptions,
    ) -> Result<Self, Error> {
        let mut bytes = Vec::new();
        reader
            .read_to_end(&mut bytes)
            .map_err(|e| Fault::from(e).with_path(Path::new(name)))?;
        Self::from_bytes(name, bytes, options)
    }

    fn open_inner(path: &Path, origin: Origin, options: &ReaderOptions) -> FaultResult<Self> {
        let format = input::detect(&origin)?;
        if format.compression == Compression::Bgzf && !bgzf::has_eof_marker(&mut origin.open()?)? {
            return Err(Fault::new(ErrorKind::Truncated(
                "the BGZF end-of-file marker is missing, so data was cut off (an interrupted \
                 copy or download?)"
                    .to_string(),
            )));
        }
        let mut input = Input::new(Source::open(&origin, format.compression, 0)?);
        let header = match format.kind {
            FileKind::Vcf => read_vcf_header(&mut input)?,
            FileKind::Bcf => bcf::read_header(&mut input)?,
        };
        if header.build().build == GenomeBuild::Grch37 && !options.allow_grch37 {
            return Err(Fault::new(ErrorKind::Grch37 {
                evidence: header.build().evidence.clone(),
            }));
        }
        let dictionary = match format.kind {
            FileKind::Bcf => Some(
                Dictionary::from_header(&header).map_err(|m| Fault::new(ErrorKind::Header(m)))?,
            ),
            FileKind::Vcf => None,
        };
        let (selection, samples) = Selection::resolve(&header, &options.samples)?;
        let (index, index_problem) = match &origin {
            Origin::File(file) if options.use_index && format.compression == Compression::Bgzf => {
                load_index(file, format.kind == FileKind::Bcf)?
            }
            _ => (None, None),
        };
        let size = origin.len()?;
        let threads = if size >= THREADED_FROM_BYTES { 2 } else { 0 };
        Ok(Self {
            path: path.to_path_buf(),
            origin,
            format,
            header,
            selection,
            samples,
            request: FieldRequest::from_options(options),
            index,
            index_problem,
            dictionary,
            threads,
            after_header: (threads == 0).then_some(input),
        })
    }

    /// Chooses samples and fields again once the header has been read: a caller that
    /// picks its sample from the header (the tumour of a tumour/normal pair) opens once,
    /// looks, then reselects, instead of parsing the header twice. The index choice made
    /// at open stays; the assembly check is made again with `options.allow_grch37`.
    pub fn reselect(&mut self, options: &ReaderOptions) -> Result<(), Error> {
        let path = self.path.clone();
        let fault = |f: Fault| f.with_path(&path);
        if self.header.build().build == GenomeBuild::Grch37 && !options.allow_grch37 {
            return Err(fault(Fault::new(ErrorKind::Grch37 {
                evidence: self.header.build().evidence.clone(),
            })));
        }
        let (selection, samples) =
            Selection::resolve(&self.header, &options.samples).map_err(fault)?;
        self.selection = selection;
        self.samples = samples;
        self.request = FieldRequest::from_options(options);
        Ok(())
    }

    /// The selected samples, in file order (the order of [`Site::genotypes`]).
    pub fn samples(&self) -> &[String] {
        &self.samples
    }

    /// The file being read.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The parsed header.
    pub fn header(&self) -> &Header {
        &self.header
    }

    /// The detected container and compression.
    pub fn format(&self) -> Format {
        self.format
    }

    /// The index in use, if any.
    pub fn index_path(&self) -> Option<&Path> {
        self.index.as_ref().map(Index::path)
    }

    /// Why an index beside the file is not used, when there is one and it is not: it is
    /// older than the data, or it points to places where the data has no BGZF block (it
    /// was built for another version of the file). Reading then streams the whole file,
    /// which gives the same records, only slower; callers may want to tell the user.
    pub fn index_problem(&self) -> Option<&str> {
        self.index_problem.as_deref()
    }

    /// Sets how many threads inflate BGZF blocks when streaming a whole file (0 = inflate
    /// on the calling thread). The default is 2 for files of 4 MiB and more, else 0.
    pub fn set_decompression_threads(&mut self, threads: usize) {
        self.threads = threads;
    }

    /// Calls `f` for every record overlapping `targets`, in file order.
    ///
    /// A record spans `POS..=END` (see [`Site::end`]), so a gVCF reference block that
    /// starts before a target and covers it is reported. With an index only the target
    /// regions are read; otherwise the whole file is streamed and non-target records are
    /// skipped after reading CHROM and POS. Can be called repeatedly.
    pub fn read_targets(
        &mut self,
        targets: &Targets,
        f: impl FnMut(&Site),
    ) -> Result<ReadStats, Error> {
        if targets.is_empty() {
            return Ok(ReadStats::default());
        }
        let index = TargetIndex::new(targets);
        self.read(Wanted::Targets(&index), f)
            .map_err(|fault| fault.with_path(&self.path))
    }

    /// Calls `f` for every record of the file, in file order (whole-file analyses such as
    /// somatic interpretation).
    pub fn read_all(&mut self, f: impl FnMut(&Site)) -> Result<ReadStats, Error> {
        self.read(Wanted::All, f)
            .map_err(|fault| fault.with_path(&self.path))
    }

    fn read(&mut self, wanted: Wanted<'_>, f: impl FnMut(&Site)) -> FaultResult<ReadStats> {
        // An index is only ever loaded for a file (see `open_inner`).
        if let (Some(index), Wanted::Targets(targets), Origin::File(file)) =
            (&self.index, wanted, &self.origin)
        {
            let chunks = self.index_chunks(index, targets);
            let mut cursor = bgzf::Cursor::new(File::open(file)?)?;
            // Check every place the index sends us before reading anything, so that a
            // mismatched index can be set aside without having reported records twice.
            let mut mismatch = None;
            for &(start, _) in &chunks {
                if !cursor.is_valid_position(start)? {
                    mismatch = Some(start);
                    break;
                }
            }
            match mismatch {
                None => {
                    return match self.format.kind {
                        FileKind::Vcf => self.indexed_vcf(cursor, &chunks, wanted, f),
                        FileKind::Bcf => self.indexed_bcf(cursor, &chunks, wanted, f),
                    }
                }
                Some(start) => {
                    self.index_problem = Some(mismatch_message(index.path(), start));
                    self.index = None;
                }
            }
        }
        let (input, resumed) = match self.after_header.take() {
            Some(input) => (input, true),
            None => {
                let source = Source::open(&self.origin, self.format.compression, self.threads)?;
                (Input::new(source), false)
            }
        };
        match self.format.kind {
            FileKind::Vcf => self.stream_vcf(input, resumed, wanted, f),
            FileKind::Bcf => self.stream_bcf(input, resumed, wanted, f),
        }
    }

    fn index_chunks(&self, index: &Index, targets: &TargetIndex) -> Vec<(u64, u64)> {
        let bcf_contigs = self
            .dictionary
            .as_ref()
            .map(Dictionary::contigs)
            .unwrap_or_default();
        let mut chunks = Vec::new();
        for (chrom, intervals) in targets.chromosomes() {
            for reference in index.references_for(chrom, bcf_contigs) {
                for &(start, end) in intervals {
                    index.chunks(reference, start, end, &mut chunks);
                }
            }
        }
        index::merge_chunks(chunks)
    }

    /// Streams the records of `input`, which is at the start of the file, or just past the
    /// header when `resumed`.
    fn stream_vcf(
        &self,
        mut input: Input,
        resumed: bool,
        wanted: Wanted<'_>,
        mut f: impl FnMut(&Site),
    ) -> FaultResult<ReadStats> {
        let mut parser = LineParser::new(
            wanted,
            &self.selection,
            self.header.samples(),
            &self.request,
        );
        let mut stats = ReadStats::default();
        let mut line_number = if resumed { self.header.line_count() } else { 0 };
        while line_number < self.header.line_count() {
            if input.line()?.is_none() {
                break;
            }
            line_number += 1;
        }
        while let Some((start, end)) = input.line()? {
            line_number += 1;
            stats.records_scanned += 1;
            let line = &input.data()[start..end];
            let wanted = parser
                .process(line, line_number)
                .map_err(|fault| fault.or_at(|| Location::Line(line_number)))?;
            if wanted {
                stats.records_matched += 1;
                f(&parser.site);
            }
        }
        stats.blocks_decompressed = input.blocks_read();
        Ok(stats)
    }

    fn indexed_vcf(
        &self,
        mut cursor: bgzf::Cursor<File>,
        chunks: &[(u64, u64)],
        wanted: Wanted<'_>,
        mut f: impl FnMut(&Site),
    ) -> FaultResult<ReadStats> {
        let mut parser = LineParser::new(
            wanted,
            &self.selection,
            self.header.samples(),
            &self.request,
        );
        let mut stats = ReadStats {
            used_index: true,
            ..ReadStats::default()
        };
        let mut last: Option<u64> = None;
        for &(start, end) in chunks {
            cursor.seek(start)?;
            while let Some(voffset) = cursor.voffset()? {
                if voffset >= end {
                    break;
                }
                let Some((s, e)) = cursor.line()? else {
                    break;
                };
                if last.is_some_and(|l| voffset <= l) {
                    continue;
                }
                last = Some(voffset);
                let line = &cursor.data()[s..e];
                if line.first() == Some(&b'#') {
                    continue;
                }
                stats.records_scanned += 1;
                let wanted = parser
                    .process(line, 0)
                    .map_err(|fault| fault.or_at(|| vcf_site(line)))?;
                if wanted {
                    stats.records_matched += 1;
                    f(&parser.site);
                }
            }
        }
        stats.blocks_decompressed = cursor.blocks_read();
        Ok(stats)
    }

    /// As [`VariantReader::stream_vcf`], for BCF.
    fn stream_bcf(
        &self,
        mut input: Input,
        resumed: bool,
        wanted: Wanted<'_>,
        mut f: impl FnMut(&Site),
    ) -> FaultResult<ReadStats> {
        let dictionary = self.bcf_dictionary()?;
        if !resumed {
            bcf::read_header(&mut input)?;
        }
        let mut parser = RecordParser::new(
            wanted,
            &self.selection,
            self.header.samples(),
            dictionary,
            &self.request,
        );
        let mut stats = ReadStats::default();
        let mut number = 0u64;
        loop {
            if !input.ensure(bcf::LENGTHS)? {
                if input.remaining() > 0 {
                    return Err(Fault::at(
                        Location::Record(number + 1),
                        ErrorKind::Truncated("the BCF record is cut off".to_string()),
                    ));
                }
                break;
            }
            number += 1;
            let at = Location::Record(number);
            let pos = input.position();
            let (l_shared, l_indiv) = bcf::record_lengths(&input.data()[pos..pos + bcf::LENGTHS])
                .map_err(|fault| fault.or_at(|| at.clone()))?;
            let total = bcf::LENGTHS + l_shared + l_indiv;
            if !input.ensure(total)? {
                return Err(Fault::at(
                    at,
                    ErrorKind::Truncated("the BCF record is cut off".to_string()),
                ));
            }
            let pos = input.position();
            let body = &input.data()[pos + bcf::LENGTHS..pos + total];
            stats.records_scanned += 1;
            let wanted = parser
                .process(body, l_shared, number)
                .map_err(|fault| fault.or_at(|| at.clone()))?;
            if wanted {
                stats.records_matched += 1;
                f(&parser.site);
            }
            input.consume(total);
        }
        stats.blocks_decompressed = input.blocks_read();
        Ok(stats)
    }

    fn indexed_bcf(
        &self,
        mut cursor: bgzf::Cursor<File>,
        chunks: &[(u64, u64)],
        wanted: Wanted<'_>,
        mut f: impl FnMut(&Site),
    ) -> FaultResult<ReadStats> {
        let dictionary = self.bcf_dictionary()?;
        let mut parser = RecordParser::new(
            wanted,
            &self.selection,
            self.header.samples(),
            dictionary,
            &self.request,
        );
        let mut stats = ReadStats {
            used_index: true,
            ..ReadStats::default()
        };
        let mut last: Option<u64> = None;
        for &(start, end) in chunks {
            cursor.seek(start)?;
            while let Some(voffset) = cursor.voffset()? {
                if voffset >= end {
                    break;
                }
                let cut_off = || {
                    Fault::at(
                        Location::Offset(voffset >> 16),
                        ErrorKind::Truncated("a BCF record is cut off".to_string()),
                    )
                };
                if !cursor.ensure(bcf::LENGTHS)? {
                    return Err(cut_off());
                }
                let pos = cursor.position();
                let (l_shared, l_indiv) =
                    bcf::record_lengths(&cursor.data()[pos..pos + bcf::LENGTHS])
                        .map_err(|fault| fault.or_at(|| Location::Offset(voffset >> 16)))?;
                let total = bcf::LENGTHS + l_shared + l_indiv;
                if !cursor.ensure(total)? {
                    return Err(cut_off());
                }
                let pos = cursor.position();
                if last.is_some_and(|l| voffset <= l) {
                    cursor.consume(total);
                    continue;
                }
                last = Some(voffset);
                let body = &cursor.data()[pos + bcf::LENGTHS..pos + total];
                stats.records_scanned += 1;
                let wanted = parser.process(body, l_shared, 0).map_err(|fault| {
                    fault.or_at(|| {
                        bcf::locate(body, dictionary).unwrap_or(Location::Offset(voffset >> 16))
                    })
                })?;
                if wanted {
                    stats.records_matched += 1;
                    f(&parser.site);
                }
                cursor.consume(total);
            }
        }
        stats.blocks_decompressed = cursor.blocks_read();
        Ok(stats)
    }

    fn bcf_dictionary(&self) -> FaultResult<&Dictionary> {
        self.dictionary
            .as_ref()
            .ok_or_else(|| Fault::new(ErrorKind::Header("BCF dictionary missing".to_string())))
    }
}

/// CHROM:POS of a VCF line, to name a record reached through an index.
fn vcf_site(line: &[u8]) -> Location {
    let mut fields = line.splitn(3, |&b| b == b'\t');
    let chrom = String::from_utf8_lossy(fields.next().unwrap_or_default()).into_owned();
    let pos = fields.next().and_then(crate::vcf::parse_u64);
    Location::Site { chrom, pos }
}

fn read_vcf_header(input: &mut Input) -> FaultResult<Header> {
    let mut builder = HeaderBuilder::default();
    let mut number = 0u64;
    while let Some((start, end)) = input.line()? {
        number += 1;
        if let Some(header) = builder.push(&input.data()[start..end], number)? {
            return Ok(header);
        }
    }
    Err(builder.finish_without_columns())
}

/// Loads the index beside the data file, unless it is older than the data (a stale index
/// points into a previous version of the file and would silently miss records); returns
/// the reason when an index is present but set aside.
fn load_index(path: &Path, bcf: bool) -> FaultResult<(Option<Index>, Option<String>)> {
    let Some((index_path, kind)) = Index::locate(path, bcf) else {
        return Ok((None, None));
    };
    let modified = |p: &Path| std::fs::metadata(p).and_then(|m| m.modified()).ok();
    if let (Some(data_time), Some(index_time)) = (modified(path), modified(&index_path)) {
        if index_time < data_time {
            return Ok((
                None,
                Some(format!(
                    "index {} is older than the data file, so it may not match it; it is \
                     ignored (rebuild it with `bcftools index` or `tabix`)",
                    index_path.display()
                )),
            ));
        }
    }
    let index = Index::load(&index_path, kind).map_err(|message| {
        Fault::new(ErrorKind::Index {
            index: index_path.clone(),
            message,
        })
    })?;
    // An index copied along with a different version of the file (so not older than it)
    // still betrays itself at the end: its last record must end where the data ends.
    if let Some(last) = index.last_offset() {
        let mut cursor = bgzf::Cursor::new(File::open(path)?)?;
        let fits = cursor.is_valid_position(last)?
            && cursor.seek(last).is_ok()
            && matches!(cursor.voffset(), Ok(None));
        if !fits {
            return Ok((None, Some(mismatch_message(&index_path, last))));
        }
    }
    Ok((Some(index), None))
}

fn mismatch_message(index: &Path, voffset: u64) -> String {
    format!(
        "index {} does not match the data: it points to byte offset {} (in-block offset {}), \
         which is not where the file's BGZF blocks and records are; it was built for another \
         version of the file. It is ignored, so reading streams the whole file; rebuild it \
         with `bcftools index` or `tabix`",
        index.display(),
        voffset >> 16,
        voffset & 0xffff
    )
}
