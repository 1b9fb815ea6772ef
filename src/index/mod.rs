//! The index on disk: where it lives, how it is built, how it is opened.
//!
//! An index folder holds one or more *generations* (`gen-…/`, each a complete
//! tantivy index plus `fundstelle.json`) and a pointer file `CURRENT` naming
//! the one in use. A build writes a new generation next to the old one,
//! commits it, and only then replaces `CURRENT` by an atomic rename. A build
//! that fails or is killed therefore never touches the index in use; its
//! half-written generation is removed by the next build. Readers open
//! whatever `CURRENT` names.
//!
//! A build holds an exclusive lock on `.lock`, so two builds never run on the
//! same folder at once. Other files in the folder (its README) are left
//! alone.

pub mod schema;
mod writer;

use std::fs::{self, File};
use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use serde::{Deserialize, Serialize};
use tantivy::Index;

pub use schema::{Fields, SCHEMA_VERSION};
pub use writer::{BuildReport, SkippedFile};

use crate::analysis;

const CURRENT: &str = "CURRENT";
const META_FILE: &str = "fundstelle.json";
const LOCK_FILE: &str = ".lock";
const GENERATION_PREFIX: &str = "gen-";

/// What fundstelle records about an index next to tantivy's own files.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct IndexMeta {
    pub schema_version: u32,
    pub fundstelle_version: String,
    /// Seconds since the Unix epoch at the end of the build.
    pub built_at: u64,
    /// The paths the index was built from, as given.
    pub sources: Vec<String>,
    pub articles: u64,
    pub paragraphs: u64,
}

/// An index folder (default `index/`).
#[derive(Debug, Clone)]
pub struct IndexDir {
    root: PathBuf,
}

/// An opened, readable index.
pub struct OpenIndex {
    pub index: Index,
    pub fields: Fields,
    pub meta: IndexMeta,
    /// The generation folder in use (for its size on disk).
    pub generation: PathBuf,
}

impl IndexDir {
    pub fn new(root: impl Into<PathBuf>) -> Self {
        IndexDir { root: root.into() }
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    /// The generation in use, if the folder holds a built index.
    fn current(&self) -> Result<Option<PathBuf>> {
        let pointer = self.root.join(CURRENT);
        match fs::read_to_string(&pointer) {
            Ok(name) => {
                let name = name.trim();
                if !name.starts_with(GENERATION_PREFIX) || name.contains(['/', '\\']) {
                    bail!(
                        "{}: damaged pointer file; rebuild with `fundstelle index`",
                        pointer.display()
                    );
                }
                Ok(Some(self.root.join(name)))
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(e).with_context(|| format!("cannot read {}", pointer.display())),
        }
    }

    /// True when the folder holds a built index.
    pub fn exists(&self) -> bool {
        matches!(self.current(), Ok(Some(_)))
    }

    /// Opens the index in use for reading.
    pub fn open(&self) -> Result<OpenIndex> {
        let Some(dir) = self.current()? else {
            bail!(
                "no index at {}: build one with `fundstelle index [PATH]...`",
                self.root.display()
            );
        };
        let meta_path = dir.join(META_FILE);
        let meta: IndexMeta = fs::read(&meta_path)
            .map_err(anyhow::Error::from)
            .and_then(|bytes| Ok(serde_json::from_slice(&bytes)?))
            .with_context(|| {
                format!(
                    "cannot read {}; rebuild with `fundstelle index`",
                    meta_path.display()
                )
            })?;
        if meta.schema_version != SCHEMA_VERSION {
            bail!(
                "the index at {} was built by fundstelle {} (index format {}), this is format {}; \
                 rebuild it with `fundstelle index`",
                self.root.display(),
                meta.fundstelle_version,
                meta.schema_version,
                SCHEMA_VERSION
            );
        }
        let index = Index::open_in_dir(&dir).with_context(|| {
            format!(
                "cannot open the index at {}; rebuild with `fundstelle index`",
                dir.display()
            )
        })?;
        analysis::register(index.tokenizers());
        let fields = Fields::new(&index.schema())?;
        Ok(OpenIndex {
            index,
            fields,
            meta,
            generation: dir,
        })
    }

    /// Takes the folder's build lock, or says who holds it.
    fn lock(&self) -> Result<File> {
        fs::create_dir_all(&self.root)
            .with_context(|| format!("cannot create index folder {}", self.root.display()))?;
        let path = self.root.join(LOCK_FILE);
        let file = File::options()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&path)
            .with_context(|| format!("cannot write to index folder {}", self.root.display()))?;
        match file.try_lock() {
            Ok(()) => Ok(file),
            Err(fs::TryLockError::WouldBlock) => bail!(
                "the index at {} is being updated by another process; try again when it has finished",
                self.root.display()
            ),
            Err(fs::TryLockError::Error(e)) => {
                Err(e).with_context(|| format!("cannot lock {}", path.display()))
            }
        }
    }

    /// Makes `generation` the index in use (atomic rename of `CURRENT`).
    fn publish(&self, generation: &Path) -> Result<()> {
        let name = generation
            .file_name()
            .context("generation folder has no name")?
            .to_string_lossy();
        let tmp = self.root.join(format!("{CURRENT}.tmp"));
        let mut file =
            File::create(&tmp).with_context(|| format!("cannot write {}", tmp.display()))?;
        file.write_all(format!("{name}\n").as_bytes())?;
        file.sync_all()?;
        fs::rename(&tmp, self.root.join(CURRENT))
            .with_context(|| format!("cannot update {}", self.root.join(CURRENT).display()))?;
        if let Ok(dir) = File::open(&self.root) {
            // Make the rename itself durable; not all platforms allow it.
            let _ = dir.sync_all();
        }
        Ok(())
    }

    /// Removes every generation but `keep` (old ones and crashed builds).
    fn remove_stale_generations(&self, keep: &Path) {
        let Ok(entries) = fs::read_dir(&self.root) else {
            return;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            let is_generation = entry
                .file_name()
                .to_string_lossy()
                .starts_with(GENERATION_PREFIX);
            if is_generation && path != keep {
                // Best effort: a reader on another platform may still hold it.
                let _ = fs::remove_dir_all(&path);
            }
        }
    }

    fn new_generation(&self) -> Result<PathBuf> {
        let millis = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_millis())
            .unwrap_or(0);
        let dir = self.root.join(format!(
            "{GENERATION_PREFIX}{millis}-{}",
            std::process::id()
        ));
        fs::create_dir_all(&dir).with_context(|| format!("cannot create {}", dir.display()))?;
        Ok(dir)
    }
}
