//! Reading a whole BGZF file front to back, optionally inflating on worker threads.
//!
//! Streaming an unindexed whole-genome VCF is dominated by inflation, so that work is
//! spread over threads: one thread cuts the compressed input into batches of whole
//! blocks, `n` workers inflate batches round-robin, and the caller receives batches in
//! file order while the next ones are being inflated. With `threads == 0` the same steps
//! run on the calling thread (small files, where starting threads costs more than it saves).

use std::io::Read;
use std::sync::mpsc::{channel, sync_channel, Receiver, Sender, SyncSender};
use std::thread::JoinHandle;

use super::block::{self, Header};
use crate::error::{ErrorKind, Fault, FaultResult, Location};

/// Blocks per batch: ~1 MiB of text, enough to amortise channel hand-offs.
const BATCH_BLOCKS: usize = 16;
/// Bytes asked of the operating system per read.
const READ_CHUNK: usize = 1 << 20;

/// Whole compressed blocks, with each block's position in `data` and in the file.
struct Batch {
    data: Vec<u8>,
    blocks: Vec<(usize, usize, u64)>,
}

/// Cuts a compressed byte stream into whole blocks and checks that it ends properly.
struct Splitter<R> {
    inner: R,
    buf: Vec<u8>,
    start: usize,
    /// File offset of `buf[start]`.
    offset: u64,
    eof: bool,
    last_block_empty: bool,
    done: bool,
}

impl<R: Read> Splitter<R> {
    fn new(inner: R) -> Self {
        Self {
            inner,
            buf: Vec::new(),
            start: 0,
            offset: 0,
            eof: false,
            last_block_empty: false,
            done: false,
        }
    }

    fn next_batch(&mut self) -> FaultResult<Option<Batch>> {
        if self.done {
            return Ok(None);
        }
        let mut batch = Batch {
            data: Vec::new(),
            blocks: Vec::new(),
        };
        while batch.blocks.len() < BATCH_BLOCKS {
            let available = &self.buf[self.start..];
            let header = block::parse_header(available)
                .map_err(|m| Fault::at(Location::Offset(self.offset), ErrorKind::Corrupt(m)))?;
            let needed = match header {
                Header::Size(n) if available.len() >= n => {
                    let whole = &available[..n];
                    self.last_block_empty = block::data_len(whole) == 0;
                    batch.blocks.push((batch.data.len(), n, self.offset));
                    batch.data.extend_from_slice(whole);
                    self.start += n;
                    self.offset += n as u64;
                    continue;
                }
                Header::Size(n) | Header::NeedAtLeast(n) => n,
            };
            if self.eof {
                if available.is_empty() {
                    self.done = true;
                    if !self.last_block_empty {
                        return Err(Fault::new(ErrorKind::Truncated(
                            "the BGZF end-of-file marker is missing, so data was cut off \
                             (an interrupted copy or download?)"
                                .to_string(),
                        )));
                    }
                    break;
                }
                return Err(Fault::at(
                    Location::Offset(self.offset),
                    ErrorKind::Truncated(format!(
                        "the last BGZF block is incomplete ({} of at least {needed} bytes)",
                        available.len()
                    )),
                ));
            }
            self.read_more()?;
        }
        Ok((!batch.blocks.is_empty()).then_some(batch))
    }

    fn read_more(&mut self) -> FaultResult<()> {
        self.buf.drain(..self.start);
        self.start = 0;
        // `read_to_end` on a `Take` appends without zero-filling the spare capacity first.
        let got = (&mut self.inner)
            .take(READ_CHUNK as u64)
            .read_to_end(&mut self.buf)
            .map_err(|e| Fault::at(Location::Offset(self.offset), ErrorKind::Io(e)))?;
        if got == 0 {
            self.eof = true;
        }
        Ok(())
    }
}

fn inflate_batch(
    batch: &Batch,
    decompressor: &mut libdeflater::Decompressor,
    out: &mut Vec<u8>,
) -> FaultResult<()> {
    for &(start, len, offset) in &batch.blocks {
        block::inflate(&batch.data[start..start + len], decompressor, out)
            .map_err(|m| Fault::at(Location::Offset(offset), ErrorKind::Corrupt(m)))?;
    }
    Ok(())
}

/// A BGZF file read front to back.
pub(crate) struct Stream {
    inner: Inner,
    blocks: u64,
}

enum Inner {
    Inline {
        splitter: Splitter<Box<dyn Read + Send>>,
        decompressor: libdeflater::Decompressor,
    },
    Threaded(Threaded),
}

impl Stream {
    /// Starts reading; `threads` workers inflate in the background (0 = none).
    pub(crate) fn new<R: Read + Send + 'static>(reader: R, threads: usize) -> Self {
        let splitter = Splitter::new(Box::new(reader) as Box<dyn Read + Send>);
        let inner = if threads == 0 {
            Inner::Inline {
                splitter,
                decompressor: libdeflater::Decompressor::new(),
            }
        } else {
            Inner::Threaded(Threaded::spawn(splitter, threads))
        };
        Self { inner, blocks: 0 }
    }

    /// Appends the next stretch of inflated data to `out`; false once the file is done.
    pub(crate) fn fill(&mut self, out: &mut Vec<u8>) -> FaultResult<bool> {
        match &mut self.inner {
            Inner::Inline {
                splitter,
                decompressor,
            } => match splitter.next_batch()? {
                Some(batch) => {
                    inflate_batch(&batch, decompressor, out)?;
                    self.blocks += batch.blocks.len() as u64;
                    Ok(true)
                }
                None => Ok(false),
            },
            Inner::Threaded(threaded) => match threaded.next()? {
                Some((data, blocks)) => {
                    self.blocks += blocks;
                    if out.is_empty() {
                        let spent = std::mem::replace(out, data);
                        threaded.recycle(spent);
                    } else {
                        out.extend_from_slice(&data);
                        threaded.recycle(data);
                    }
                    Ok(true)
                }
                None => Ok(false),
            },
        }
    }

    /// Blocks inflated so far.
    pub(crate) fn blocks_read(&self) -> u64 {
        self.blocks
    }
}

enum Job {
    Batch(Batch),
    Fail(Fault),
    End,
}

enum Output {
    Data(Vec<u8>, u64),
    Fail(Fault),
    End,
}

/// The background pipeline: a splitter thread and round-robin inflating workers.
struct Threaded {
    results: Vec<Receiver<Output>>,
    recycle: Vec<Sender<Vec<u8>>>,
    next: usize,
    finished: bool,
    handles: Vec<JoinHandle<()>>,
    /// A thread could not be started: reported on the first read.
    startup: Option<Fault>,
}

impl Threaded {
    fn spawn(mut splitter: Splitter<Box<dyn Read + Send>>, workers: usize) -> Self {
        let mut jobs: Vec<SyncSender<Job>> = Vec::new();
        let mut results = Vec::new();
        let mut recycle = Vec::new();
        let mut handles = Vec::new();
        let mut startup = None;
        for i in 0..workers {
            let (job_tx, job_rx) = sync_channel::<Job>(2);
            let (out_tx, out_rx) = sync_channel::<Output>(2);
            let (spent_tx, spent_rx) = channel::<Vec<u8>>();
            let spawned = std::thread::Builder::new()
                .name(format!("bgzf-inflate-{i}"))
                .spawn(move || worker(job_rx, out_tx, spent_rx));
            match spawned {
                Ok(handle) => handles.push(handle),
                Err(e) => {
                    startup = Some(Fault::new(ErrorKind::Io(e)));
                    break;
                }
            }
            jobs.push(job_tx);
            results.push(out_rx);
            recycle.push(spent_tx);
        }
        if startup.is_none() {
            let spawned = std::thread::Builder::new()
                .name("bgzf-split".to_string())
                .spawn(move || {
                    let mut seq = 0usize;
                    loop {
                        let job = match splitter.next_batch() {
                            Ok(Some(batch)) => Job::Batch(batch),
                            Ok(None) => Job::End,
                            Err(fault) => Job::Fail(fault),
                        };
                        let last = !matches!(job, Job::Batch(_));
                        if jobs[seq % jobs.len()].send(job).is_err() || last {
                            return;
                        }
                        seq += 1;
                    }
                });
            match spawned {
                Ok(handle) => handles.push(handle),
                Err(e) => startup = Some(Fault::new(ErrorKind::Io(e))),
            }
        }
        Self {
            results,
            recycle,
            next: 0,
            finished: false,
            handles,
            startup,
        }
    }

    fn next(&mut self) -> FaultResult<Option<(Vec<u8>, u64)>> {
        if let Some(fault) = self.startup.take() {
            self.finished = true;
            return Err(fault);
        }
        if self.finished || self.results.is_empty() {
            return Ok(None);
        }
        let i = self.next % self.results.len();
        match self.results[i].recv() {
            Ok(Output::Data(data, blocks)) => {
                self.next += 1;
                Ok(Some((data, blocks)))
            }
            Ok(Output::Fail(fault)) => {
                self.finished = true;
                Err(fault)
            }
            Ok(Output::End) => {
                self.finished = true;
                Ok(None)
            }
            Err(_) => {
                self.finished = true;
                Err(Fault::new(ErrorKind::Io(std::io::Error::other(
                    "a BGZF decompression thread stopped unexpectedly",
                ))))
            }
        }
    }

    /// Hands a spent buffer back to the worker that will fill the next batch.
    fn recycle(&mut self, spent: Vec<u8>) {
        let n = self.recycle.len();
        if n > 0 {
            let _ = self.recycle[self.next.wrapping_sub(1) % n].send(spent);
        }
    }
}

fn worker(jobs: Receiver<Job>, out: SyncSender<Output>, spent: Receiver<Vec<u8>>) {
    let mut decompressor = libdeflater::Decompressor::new();
    for job in jobs {
        let message = match job {
            Job::Batch(batch) => {
                let mut data = spent.try_recv().unwrap_or_default();
                data.clear();
                match inflate_batch(&batch, &mut decompressor, &mut data) {
                    Ok(()) => Output::Data(data, batch.blocks.len() as u64),
                    Err(fault) => Output::Fail(fault),
                }
            }
            Job::Fail(fault) => Output::Fail(fault),
            Job::End => Output::End,
        };
        let last = !matches!(message, Output::Data(..));
        if out.send(message).is_err() || last {
            return;
        }
    }
}

impl Drop for Threaded {
    fn drop(&mut self) {
        // Closing the channels makes every thread's next send or receive fail, so each
        // one returns; only then is joining them safe.
        self.results.clear();
        self.recycle.clear();
        for handle in self.handles.drain(..) {
            let _ = handle.join();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bgzf::compress_with_block_size;

    fn sample_text() -> Vec<u8> {
        (0..50_000)
            .flat_map(|i| format!("chr1\t{i}\t.\tA\tG\t.\tPASS\t.\n").into_bytes())
            .collect()
    }

    fn read_all(bytes: Vec<u8>, threads: usize) -> FaultResult<Vec<u8>> {
        let mut stream = Stream::new(std::io::Cursor::new(bytes), threads);
        let mut out = Vec::new();
        while stream.fill(&mut out)? {}
        Ok(out)
    }

    #[test]
    fn inline_and_threaded_give_the_same_bytes() {
        let text = sample_text();
        let bytes = compress_with_block_size(&text, 10_000);
        assert_eq!(read_all(bytes.clone(), 0).unwrap(), text);
        assert_eq!(read_all(bytes.clone(), 1).unwrap(), text);
        assert_eq!(read_all(bytes, 2).unwrap(), text);
    }

    #[test]
    fn truncation_is_an_error_in_both_modes() {
        let bytes = compress_with_block_size(&sample_text(), 10_000);
        for threads in [0, 2] {
            // Cut inside a block.
            let err = read_all(bytes[..bytes.len() / 2].to_vec(), threads).unwrap_err();
            assert!(
                matches!(err.kind, ErrorKind::Truncated(_)),
                "{:?}",
                err.kind
            );
            // Cut exactly before the EOF marker: every block is whole.
            let err = read_all(bytes[..bytes.len() - 28].to_vec(), threads).unwrap_err();
            assert!(
                matches!(err.kind, ErrorKind::Truncated(_)),
                "{:?}",
                err.kind
            );
        }
    }

    #[test]
    fn corruption_is_reported_with_its_offset() {
        let mut bytes = compress_with_block_size(&sample_text(), 10_000);
        let n = bytes.len();
        bytes[n / 2] ^= 0x55;
        for threads in [0, 2] {
            let err = read_all(bytes.clone(), threads).unwrap_err();
            assert!(matches!(err.kind, ErrorKind::Corrupt(_)), "{:?}", err.kind);
            assert!(matches!(err.location, Some(Location::Offset(_))));
        }
    }

    #[test]
    fn dropping_a_stream_early_stops_its_threads() {
        let bytes = compress_with_block_size(&sample_text(), 1_000);
        let mut stream = Stream::new(std::io::Cursor::new(bytes), 2);
        let mut out = Vec::new();
        assert!(stream.fill(&mut out).unwrap());
        drop(stream);
    }
}
