//! Opening an index for reading in a folder that cannot be written to (a
//! read-only mount, an archive on a share, files of another user).
//!
//! tantivy's reader takes the index's meta lock while it loads a commit,
//! and taking it creates a lock file: in a read-only folder that fails,
//! and with it every search. The lock keeps a writer's garbage collection
//! from deleting a commit's files while a reader opens them; where the
//! folder cannot be written, no writer can run, so reading without it is
//! safe. Everything else is tantivy's own `MmapDirectory`.

use std::io;
use std::path::Path;
use std::sync::Arc;

use tantivy::directory::error::{
    DeleteError, LockError, OpenDirectoryError, OpenReadError, OpenWriteError,
};
use tantivy::directory::{
    Directory, DirectoryLock, FileHandle, Lock, META_LOCK, MmapDirectory, WatchCallback,
    WatchHandle, WritePtr,
};

#[derive(Debug, Clone)]
pub(crate) struct ReadDirectory(MmapDirectory);

impl ReadDirectory {
    pub fn open(path: &Path) -> Result<ReadDirectory, OpenDirectoryError> {
        MmapDirectory::open(path).map(ReadDirectory)
    }
}

/// A lock that cannot be taken because the folder is not writable.
fn not_writable(err: &LockError) -> bool {
    matches!(err, LockError::IoError(e) if matches!(
        e.kind(),
        io::ErrorKind::PermissionDenied | io::ErrorKind::ReadOnlyFilesystem
    ))
}

impl Directory for ReadDirectory {
    fn get_file_handle(&self, path: &Path) -> Result<Arc<dyn FileHandle>, OpenReadError> {
        self.0.get_file_handle(path)
    }

    fn delete(&self, path: &Path) -> Result<(), DeleteError> {
        self.0.delete(path)
    }

    fn exists(&self, path: &Path) -> Result<bool, OpenReadError> {
        self.0.exists(path)
    }

    fn open_write(&self, path: &Path) -> Result<WritePtr, OpenWriteError> {
        self.0.open_write(path)
    }

    fn atomic_read(&self, path: &Path) -> Result<Vec<u8>, OpenReadError> {
        self.0.atomic_read(path)
    }

    fn atomic_write(&self, path: &Path, data: &[u8]) -> io::Result<()> {
        self.0.atomic_write(path, data)
    }

    fn sync_directory(&self) -> io::Result<()> {
        self.0.sync_directory()
    }

    fn acquire_lock(&self, lock: &Lock) -> Result<DirectoryLock, LockError> {
        match self.0.acquire_lock(lock) {
            Err(err) if lock.filepath == META_LOCK.filepath && not_writable(&err) => {
                Ok(DirectoryLock::from(Box::new(())))
            }
            other => other,
        }
    }

    fn watch(&self, watch_callback: WatchCallback) -> tantivy::Result<WatchHandle> {
        self.0.watch(watch_callback)
    }
}
