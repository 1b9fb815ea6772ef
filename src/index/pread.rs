//! The folder an `index` run works in: tantivy's `MmapDirectory`, except
//! that files are read with positioned reads instead of being mapped.
//!
//! A merge reads nearly every page of the segments it merges. Through a
//! mapping, every page read counts in the process's memory (its resident
//! set) until the merge ends: that was half the peak of a build, and the
//! reason merges were capped at a size (BENCHMARKS.md, tenth round). Read
//! into memory, a page is held only while tantivy uses it, and the kernel's
//! page cache, which keeps the file for the next read, is not the process's
//! memory. Searches keep mapping the index (`read_only`, `Index::open`):
//! a query touches a few pages of each file, and mapping them costs less
//! than reading them.

use std::fs::File;
use std::io;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use tantivy::HasLen;
use tantivy::directory::error::{DeleteError, LockError, OpenReadError, OpenWriteError};
use tantivy::directory::{
    Directory, DirectoryLock, FileHandle, Lock, MmapDirectory, OwnedBytes, WatchCallback,
    WatchHandle, WritePtr,
};

/// How much is read at once for small reads: tantivy reads a merge's
/// postings term by term, a few bytes each, in the order of the file, so
/// one read serves the next few hundred.
const WINDOW_BYTES: usize = 256 * 1024;

#[derive(Debug, Clone)]
pub(crate) struct ReadingDirectory {
    mmap: MmapDirectory,
    root: PathBuf,
}

impl ReadingDirectory {
    pub fn open(path: &Path) -> tantivy::Result<ReadingDirectory> {
        Ok(ReadingDirectory {
            mmap: MmapDirectory::open(path)?,
            root: path.to_path_buf(),
        })
    }
}

impl Directory for ReadingDirectory {
    fn get_file_handle(&self, path: &Path) -> Result<Arc<dyn FileHandle>, OpenReadError> {
        let full = self.root.join(path);
        let file = File::open(&full).map_err(|e| {
            if e.kind() == io::ErrorKind::NotFound {
                OpenReadError::FileDoesNotExist(full.clone())
            } else {
                OpenReadError::wrap_io_error(e, full.clone())
            }
        })?;
        let len = file
            .metadata()
            .map_err(|e| OpenReadError::wrap_io_error(e, full.clone()))?
            .len();
        let len = usize::try_from(len).map_err(|_| {
            OpenReadError::wrap_io_error(io::Error::other("file too large"), full.clone())
        })?;
        Ok(Arc::new(ReadFile {
            file,
            len,
            window: Mutex::new(None),
        }))
    }

    fn delete(&self, path: &Path) -> Result<(), DeleteError> {
        self.mmap.delete(path)
    }

    fn exists(&self, path: &Path) -> Result<bool, OpenReadError> {
        self.mmap.exists(path)
    }

    fn open_write(&self, path: &Path) -> Result<WritePtr, OpenWriteError> {
        self.mmap.open_write(path)
    }

    fn atomic_read(&self, path: &Path) -> Result<Vec<u8>, OpenReadError> {
        self.mmap.atomic_read(path)
    }

    fn atomic_write(&self, path: &Path, data: &[u8]) -> io::Result<()> {
        self.mmap.atomic_write(path, data)
    }

    fn sync_directory(&self) -> io::Result<()> {
        self.mmap.sync_directory()
    }

    fn acquire_lock(&self, lock: &Lock) -> Result<DirectoryLock, LockError> {
        self.mmap.acquire_lock(lock)
    }

    fn watch(&self, watch_callback: WatchCallback) -> tantivy::Result<WatchHandle> {
        self.mmap.watch(watch_callback)
    }
}

/// An open segment file, read where tantivy asks. tantivy never changes a
/// file once written, and the open descriptor keeps a deleted file's data
/// until it is dropped, as a handle's contract requires.
#[derive(Debug)]
struct ReadFile {
    file: File,
    len: usize,
    /// The last window read for small reads: where it starts, its bytes.
    window: Mutex<Option<(usize, OwnedBytes)>>,
}

impl HasLen for ReadFile {
    fn len(&self) -> usize {
        self.len
    }
}

impl ReadFile {
    fn read_at(&self, range: Range<usize>) -> io::Result<OwnedBytes> {
        let mut buffer = vec![0u8; range.len()];
        read_exact_at(&self.file, &mut buffer, range.start as u64)?;
        Ok(OwnedBytes::new(buffer))
    }
}

impl FileHandle for ReadFile {
    fn read_bytes(&self, range: Range<usize>) -> io::Result<OwnedBytes> {
        if range.end > self.len || range.start > range.end {
            return Err(io::Error::new(
                io::ErrorKind::UnexpectedEof,
                format!("read of {range:?} in a file of {} bytes", self.len),
            ));
        }
        if range.is_empty() {
            return Ok(OwnedBytes::empty());
        }
        if range.len() >= WINDOW_BYTES {
            return self.read_at(range);
        }
        let mut window = self
            .window
            .lock()
            .map_err(|_| io::Error::other("a reading thread panicked"))?;
        if let Some((start, bytes)) = window.as_ref()
            && range.start >= *start
            && range.end <= start + bytes.len()
        {
            return Ok(bytes.slice(range.start - start..range.end - start));
        }
        let start = range.start;
        let bytes = self.read_at(start..self.len.min(start + WINDOW_BYTES))?;
        let wanted = bytes.slice(0..range.len());
        *window = Some((start, bytes));
        Ok(wanted)
    }
}

#[cfg(unix)]
fn read_exact_at(file: &File, buffer: &mut [u8], offset: u64) -> io::Result<()> {
    std::os::unix::fs::FileExt::read_exact_at(file, buffer, offset)
}

#[cfg(windows)]
fn read_exact_at(file: &File, mut buffer: &mut [u8], mut offset: u64) -> io::Result<()> {
    while !buffer.is_empty() {
        match std::os::windows::fs::FileExt::seek_read(file, buffer, offset) {
            Ok(0) => return Err(io::ErrorKind::UnexpectedEof.into()),
            Ok(n) => {
                buffer = &mut buffer[n..];
                offset += n as u64;
            }
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// A file of `len` bytes, each the low byte of its offset's hash, and a
    /// handle for it from the directory.
    fn file(len: usize) -> (tempfile::TempDir, Vec<u8>, Arc<dyn FileHandle>) {
        let dir = tempfile::tempdir().unwrap();
        let bytes: Vec<u8> = (0..len)
            .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
            .collect();
        std::fs::write(dir.path().join("f.idx"), &bytes).unwrap();
        let directory = ReadingDirectory::open(dir.path()).unwrap();
        let handle = directory.get_file_handle(Path::new("f.idx")).unwrap();
        (dir, bytes, handle)
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]
        /// Any sequence of reads, small ones in and around the window and
        /// large ones, gives the bytes of the file at those offsets.
        #[test]
        fn reads_give_the_bytes_of_the_file(
            reads in proptest::collection::vec((0usize..1_000_000, 0usize..300_000), 1..40),
        ) {
            let len = 3 * WINDOW_BYTES + 12_345;
            let (_dir, bytes, handle) = file(len);
            prop_assert_eq!(handle.len(), len);
            for (start, n) in reads {
                let start = start % len;
                let end = (start + n % 4_000 + if n > 250_000 { n } else { 0 }).min(len);
                let got = handle.read_bytes(start..end).unwrap();
                prop_assert_eq!(got.as_slice(), &bytes[start..end], "{}..{}", start, end);
            }
        }
    }

    #[test]
    fn reads_in_order_are_served_from_one_window() {
        let (_dir, bytes, handle) = file(2 * WINDOW_BYTES);
        // Consecutive small reads, the way a merge reads postings, then one
        // that runs over the window's end.
        let mut at = 10;
        while at + 100 < WINDOW_BYTES + 10 {
            assert_eq!(
                handle.read_bytes(at..at + 100).unwrap().as_slice(),
                &bytes[at..at + 100]
            );
            at += 100;
        }
        let edge = WINDOW_BYTES + 5;
        assert_eq!(
            handle.read_bytes(edge - 50..edge + 50).unwrap().as_slice(),
            &bytes[edge - 50..edge + 50]
        );
        // An earlier part again, after the window moved on.
        assert_eq!(handle.read_bytes(0..8).unwrap().as_slice(), &bytes[0..8]);
    }

    #[test]
    fn empty_reads_are_empty_and_reads_past_the_end_are_errors() {
        let (_dir, _bytes, handle) = file(1000);
        assert!(handle.read_bytes(1000..1000).unwrap().is_empty());
        assert!(handle.read_bytes(0..0).unwrap().is_empty());
        let err = handle.read_bytes(990..1001).unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::UnexpectedEof);
        assert!(handle.read_bytes(1001..1002).is_err());
    }

    #[test]
    fn an_empty_file_reads_as_empty() {
        let (_dir, _bytes, handle) = file(0);
        assert_eq!(handle.len(), 0);
        assert!(handle.read_bytes(0..0).unwrap().is_empty());
    }

    #[test]
    fn a_missing_file_is_named() {
        let dir = tempfile::tempdir().unwrap();
        let directory = ReadingDirectory::open(dir.path()).unwrap();
        match directory.get_file_handle(Path::new("gone.store")) {
            Err(OpenReadError::FileDoesNotExist(path)) => {
                assert_eq!(path, dir.path().join("gone.store"));
            }
            other => panic!("expected a missing file, got {other:?}"),
        }
    }
}
