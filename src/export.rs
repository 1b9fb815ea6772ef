//! Writing a result file so that nobody ever sees half of it.
//!
//! An [`AtomicFile`] is a temporary file in the target's own folder (so the
//! final rename stays on one file system and is atomic). Only
//! [`AtomicFile::commit`] gives it the target name, after everything has
//! been written and synced. If the export fails or is dropped before that,
//! the temporary file is deleted; if the process is killed, a hidden
//! `.fundstelle-*.part` file may remain, but never a half-written file under
//! the target name.

use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use tempfile::NamedTempFile;

/// A file being written under a temporary name.
pub struct AtomicFile {
    target: PathBuf,
    overwrite: bool,
    temp: BufWriter<NamedTempFile>,
}

impl AtomicFile {
    /// Starts writing `target`; fails at once when it exists and
    /// `overwrite` is false, or when its folder cannot be written.
    pub fn create(target: &Path, overwrite: bool) -> Result<AtomicFile> {
        if target.is_dir() {
            bail!("{} is a folder; give a file name", target.display());
        }
        if !overwrite && target.exists() {
            bail!("{} exists; use --force to overwrite it", target.display());
        }
        let folder = match target.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        if !folder.is_dir() {
            bail!(
                "cannot write {}: there is no folder {}",
                target.display(),
                folder.display()
            );
        }
        let mut builder = tempfile::Builder::new();
        builder.prefix(".fundstelle-").suffix(".part");
        #[cfg(unix)]
        {
            // A temporary file is private (0600); the export is an
            // ordinary file.
            use std::os::unix::fs::PermissionsExt;
            builder.permissions(std::fs::Permissions::from_mode(0o644));
        }
        let temp = builder
            .tempfile_in(&folder)
            .with_context(|| format!("cannot write {}", target.display()))?;
        Ok(AtomicFile {
            target: target.to_path_buf(),
            overwrite,
            temp: BufWriter::new(temp),
        })
    }

    /// Where the temporary file is (for tests and messages).
    pub fn temp_path(&self) -> &Path {
        self.temp.get_ref().path()
    }

    /// Flushes, syncs and renames the file to its target name.
    pub fn commit(self) -> Result<()> {
        let target = self.target;
        let temp = self
            .temp
            .into_inner()
            .map_err(|e| e.into_error())
            .with_context(|| format!("cannot write {}", target.display()))?;
        temp.as_file()
            .sync_all()
            .with_context(|| format!("cannot write {}", target.display()))?;
        let persisted: Result<File, tempfile::PersistError> = if self.overwrite {
            temp.persist(&target)
        } else {
            temp.persist_noclobber(&target)
        };
        persisted.map_err(|e| {
            if e.error.kind() == io::ErrorKind::AlreadyExists {
                anyhow::anyhow!(
                    "{} was created by someone else meanwhile; use --force to overwrite it",
                    target.display()
                )
            } else {
                anyhow::Error::new(e.error).context(format!("cannot write {}", target.display()))
            }
        })?;
        Ok(())
    }
}

impl Write for AtomicFile {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.temp.write(buf)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.temp.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nothing_appears_under_the_target_name_before_commit() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("treffer.csv");
        let mut file = AtomicFile::create(&target, false).unwrap();
        file.write_all(b"a,b\n").unwrap();
        let temp = file.temp_path().to_path_buf();
        assert_eq!(temp.parent(), Some(dir.path()));
        assert!(!target.exists());
        file.commit().unwrap();
        assert_eq!(std::fs::read(&target).unwrap(), b"a,b\n");
        assert!(!temp.exists());
    }

    #[test]
    fn a_dropped_file_leaves_nothing_behind() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("treffer.csv");
        {
            let mut file = AtomicFile::create(&target, false).unwrap();
            file.write_all(b"half").unwrap();
        }
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
    }

    #[test]
    fn an_existing_file_is_kept_unless_overwriting() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("treffer.csv");
        std::fs::write(&target, "alt").unwrap();
        let err = AtomicFile::create(&target, false).err().unwrap();
        assert!(err.to_string().contains("--force"), "{err}");
        let mut file = AtomicFile::create(&target, true).unwrap();
        file.write_all(b"neu").unwrap();
        file.commit().unwrap();
        assert_eq!(std::fs::read_to_string(&target).unwrap(), "neu");
    }
}
