//! The index on disk: where it lives, how it is built and updated, how it
//! is opened.
//!
//! An index folder holds *generations* (`gen-…/`, each a complete tantivy
//! index plus `fundstelle.json`) and a pointer file `CURRENT` naming the one
//! in use. Readers open whatever `CURRENT` names.
//!
//! `index` normally updates the current generation in place: the index is
//! its own manifest (every paragraph carries its file's path and content
//! hash, see [`manifest`]), so only new and changed files are read, and the
//! paragraphs of changed and vanished files are deleted in the same tantivy
//! commit that adds their replacements. tantivy commits are atomic, and an
//! update commits at bounded intervals, so the folder always holds the last
//! committed state and a killed run loses at most one interval; the next run
//! carries on from there.
//!
//! A full build (`--rebuild`, another schema version, other rules) writes a
//! new generation next to the old one and switches `CURRENT` to it by an
//! atomic rename only when it is complete; a first build in an empty folder
//! publishes its generation at once, so that it too can be resumed. The next
//! run removes abandoned generations.
//!
//! A run holds an exclusive lock on `.lock`, so two never work on the same
//! folder at once. Other files in the folder (its README) are left alone.

mod damage;
mod in_flight;
pub mod manifest;

mod owners;
mod pipeline;
mod pread;
mod read_only;
pub mod schema;
mod stamps;
mod writer;

use std::fs::{self, File};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use serde::{Deserialize, Serialize};
use tantivy::Index;

pub(crate) use damage::read_error;
pub use damage::{REBUILD_HINT, advice as damage_advice};
pub use schema::{Fields, SCHEMA_VERSION};
pub use writer::{BuildEvent, BuildOptions, BuildReport, Change, SkippedFile};

use crate::analysis;

const CURRENT: &str = "CURRENT";
const META_FILE: &str = "fundstelle.json";
const CURRENT_TMP: &str = "CURRENT.tmp";
const LOCK_FILE: &str = ".lock";
/// How long a run waits for the build lock before saying who holds it.
const LOCK_WAIT: Duration = Duration::from_millis(500);
const GENERATION_PREFIX: &str = "gen-";
/// Files that may be in an index folder before its first build: what keeps
/// an empty folder in a repository (this project's `index/README.md`).
const PLACEHOLDERS: &[&str] = &["README.md", "README", ".gitkeep", ".gitignore"];

/// Whether a file of this name can be one that fundstelle or tantivy writes
/// in a generation: tantivy's segment files (`<32 hex digits>.<ext>`), its
/// `meta.json` and hidden files (`.managed.json`, locks, temporary files),
/// fundstelle's own.
fn is_index_file(name: &std::ffi::OsStr) -> bool {
    let name = name.to_string_lossy();
    let segment = name
        .split_once('.')
        .is_some_and(|(id, _)| id.len() == 32 && id.bytes().all(|b| b.is_ascii_hexdigit()));
    segment
        || name.starts_with('.')
        || [META_FILE, "meta.json", stamps::FILE].contains(&name.as_ref())
        || name.strip_suffix(".tmp") == Some(stamps::FILE)
}

/// Whether `path` is a generation folder fundstelle made: `gen-<ms>-<pid>`
/// holding only files an index has (a tantivy index has no subfolders). A
/// folder of the user's named so is not one: it holds other files.
fn is_generation(path: &Path) -> bool {
    let name = path.file_name().unwrap_or_default().to_string_lossy();
    let Some((millis, pid)) = name
        .strip_prefix(GENERATION_PREFIX)
        .and_then(|rest| rest.split_once('-'))
    else {
        return false;
    };
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if !digits(millis) || !digits(pid) {
        return false;
    }
    // `symlink_metadata`: a link named like a generation is not followed.
    let is_dir = fs::symlink_metadata(path).is_ok_and(|m| m.is_dir());
    is_dir
        && fs::read_dir(path).is_ok_and(|entries| {
            entries
                .flatten()
                .all(|e| e.file_type().is_ok_and(|t| !t.is_dir()) && is_index_file(&e.file_name()))
        })
}

/// What fundstelle records about a generation next to tantivy's own files
/// (`fundstelle.json`, written once when the generation is created).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct IndexMeta {
    pub schema_version: u32,
    #[serde(default)]
    pub fundstelle_version: String,
    /// Fingerprint (xxh3-64, hex) of the segmentation rules the paragraphs
    /// were classified with; other rules mean a rebuild.
    #[serde(default)]
    pub rules: String,
    /// Seconds since the Unix epoch when the generation was created.
    #[serde(default)]
    pub created_at: u64,
}

/// The state of the last commit, stored as tantivy's commit payload, so it
/// is exactly as atomic as the commit it describes.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, Eq)]
pub struct CommitState {
    /// False while a run is under way (intermediate commits) or when it was
    /// interrupted; the next `index` run completes it.
    pub complete: bool,
    /// Seconds since the Unix epoch.
    pub committed_at: u64,
    /// The paths the index was built from, as given.
    pub sources: Vec<String>,
    /// The folder the run was started in, which relative `sources` are
    /// relative to (empty in indexes of earlier versions).
    #[serde(default)]
    pub cwd: String,
    /// The same folder as a path from the index folder (`..` for an index
    /// inside it), so that it moves with a project that is copied or moved
    /// with its index; empty where there is none.
    #[serde(default)]
    pub cwd_from_index: String,
    /// The user's rule file the run used (empty: the built-in rules).
    #[serde(default)]
    pub rules_file: String,
    pub files: u64,
    pub articles: u64,
    pub paragraphs: u64,
    /// The index owes the merge that ends a first build or a large
    /// addition (into as few segments as fit): set by every commit of such
    /// a run, cleared by a commit after that merge. A run killed before
    /// the merge is done (or whose merge found the disk full) leaves it
    /// set, and the next run merges, however little it adds.
    #[serde(default)]
    pub merge_pending: bool,
}

pub(crate) fn now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}

/// Where the index in use was built from, as its last commit records it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recorded {
    /// The paths as they were given.
    pub sources: Vec<PathBuf>,
    /// The folder they were given in, when the index records it.
    pub cwd: Option<PathBuf>,
    /// That folder as a path from the index folder.
    pub cwd_from_index: Option<PathBuf>,
    /// The user's rule file the index was built with.
    pub rules_file: Option<PathBuf>,
}

impl Recorded {
    /// The folder a run must work in to find the relative sources where
    /// they were given: `Ok(None)` when that is the current folder (or no
    /// source is relative). The places that may be that folder: the one
    /// recorded as a path from the index folder (a project moved with its
    /// index), the one recorded as it was (an index moved on its own), and
    /// for an index of a version that recorded neither, the index folder's
    /// parent and the current folder. A place counts when it holds every
    /// relative source and some of the files the index holds
    /// (`known_files`, paths as recorded; not checked when there are none),
    /// so a folder that merely has a folder of the same name (or `.`) is
    /// not taken for the archive. One place is the folder; none, or two
    /// (a copy of the project beside the original), is an error that says
    /// what to do.
    pub fn folder(&self, index_root: &Path, known_files: &[String]) -> Result<Option<PathBuf>> {
        let relative: Vec<&PathBuf> = self.sources.iter().filter(|s| s.is_relative()).collect();
        if relative.is_empty() {
            return Ok(None);
        }
        let here = logical_cwd();
        // The index folder as the system finds it: the path from it is
        // recorded between real folders, so `..` means what it says.
        let root = fs::canonicalize(index_root).unwrap_or_else(|_| {
            here.as_ref().map_or_else(
                || index_root.to_path_buf(),
                |h| normalize(&h.join(index_root)),
            )
        });
        let beside_index = match (&self.cwd_from_index, &self.cwd) {
            (Some(rel), _) => Some(normalize(&root.join(rel))),
            (None, None) => root.parent().map(Path::to_path_buf),
            (None, Some(_)) => None,
        };
        let mut places: Vec<PathBuf> = Vec::new();
        places.extend(beside_index.clone());
        places.extend(self.cwd.clone());
        if self.cwd.is_none() {
            places.extend(here.clone());
        }
        let real = |p: &Path| fs::canonicalize(p).ok();
        // Nothing moved: the folder beside the index is the one recorded.
        // It is the archive even if none of its files are left.
        let recorded_real = self.cwd.as_deref().and_then(real);
        let unmoved =
            recorded_real.is_some() && beside_index.as_deref().and_then(real) == recorded_real;
        let files: Vec<PathBuf> = known_files
            .iter()
            .map(|f| crate::ingest::files::from_text(f))
            .filter(|f| f.is_relative())
            .collect();
        let counts = |place: &Path| {
            relative.iter().all(|s| place.join(s).exists())
                && ((unmoved && real(place) == recorded_real)
                    || files.is_empty()
                    || files.iter().any(|f| place.join(f).is_file()))
        };
        let mut found: Vec<(PathBuf, PathBuf)> = Vec::new();
        for place in places {
            if let Some(real) = real(&place)
                && !found.iter().any(|(r, _)| *r == real)
                && counts(&place)
            {
                found.push((real, place));
            }
        }
        let shown_place = self
            .cwd
            .as_deref()
            .or(root.parent())
            .map(|p| p.display().to_string())
            .unwrap_or_default();
        match found.as_slice() {
            [] => bail!(
                "this index was built from {} in {shown_place}; no folder holds them with the \
                 files this index has (not there, nor beside the index): name the files or \
                 folders to index (fundstelle index PATH...), also if you removed its files",
                self.shown_sources()
            ),
            [(real, place)] => {
                let here_real = here.as_deref().and_then(|h| fs::canonicalize(h).ok());
                Ok((here_real.as_ref() != Some(real)).then(|| place.clone()))
            }
            [(_, first), (_, second), ..] => bail!(
                "this index was built from {}, and both {} and {} hold them (a copy?): run \
                 `index` with PATHs in the folder you mean, which it then records",
                self.shown_sources(),
                first.display(),
                second.display()
            ),
        }
    }

    /// The sources as a list to show.
    pub fn shown_sources(&self) -> String {
        self.sources
            .iter()
            .map(|s| crate::ingest::files::shown(s).into_owned())
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// The current folder as the shell names it (`$PWD`, which keeps the
/// symbolic links it was entered through) when that is the current folder,
/// else as the system does.
pub(crate) fn logical_cwd() -> Option<PathBuf> {
    let real = std::env::current_dir().ok()?;
    if let Some(pwd) = std::env::var_os("PWD").map(PathBuf::from)
        && pwd.is_absolute()
        && fs::canonicalize(&pwd).ok() == fs::canonicalize(&real).ok()
    {
        return Some(normalize(&pwd));
    }
    Some(real)
}

/// `path` with its `.` and `..` resolved by the letters alone.
pub(crate) fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for part in path.components() {
        match part {
            std::path::Component::CurDir => {}
            std::path::Component::ParentDir => {
                match out.components().next_back() {
                    None | Some(std::path::Component::ParentDir) => out.push(".."),
                    // The root's parent is the root.
                    Some(std::path::Component::RootDir | std::path::Component::Prefix(_)) => {}
                    Some(_) => {
                        out.pop();
                    }
                }
            }
            part => out.push(part),
        }
    }
    out
}

/// What a commit records of where a run worked, for the next run without
/// PATHs: the folder relative `sources` were given in (logical, see
/// [`logical_cwd`]), that folder as a path from the index folder, and the
/// user's rule file (relative to that folder when it is inside it). All
/// empty but the rule file when no source is relative.
pub(crate) fn where_built(
    sources: &[PathBuf],
    index_root: &Path,
    rules_file: Option<&Path>,
    workdir: Option<&Path>,
) -> (String, String, String) {
    let show = |p: &Path| p.display().to_string();
    let cwd = workdir
        .map(Path::to_path_buf)
        .or_else(logical_cwd)
        .filter(|_| sources.iter().any(|s| s.is_relative()));
    let Some(cwd) = cwd else {
        return (
            String::new(),
            String::new(),
            rules_file.map(show).unwrap_or_default(),
        );
    };
    // The index as the system finds it from where the process is (`..`
    // after a symbolic link is the real parent), not from the shell's name
    // of the folder.
    let root = fs::canonicalize(index_root).unwrap_or_else(|_| normalize(&cwd.join(index_root)));
    let real_cwd = fs::canonicalize(&cwd).unwrap_or_else(|_| cwd.clone());
    let from_index = path_between(&root, &real_cwd);
    let rules = rules_file.map(|file| {
        file.strip_prefix(&real_cwd)
            .map_or_else(|_| show(file), show)
    });
    (show(&cwd), show(&from_index), rules.unwrap_or_default())
}

/// The path from folder `from` to folder `to` (both absolute, without `.`
/// or `..`): `..` for its parent, `b` for a subfolder.
pub(crate) fn path_between(from: &Path, to: &Path) -> PathBuf {
    let from: Vec<_> = from.components().collect();
    let to: Vec<_> = to.components().collect();
    let common = from.iter().zip(&to).take_while(|(a, b)| a == b).count();
    let mut path = PathBuf::new();
    for _ in common..from.len() {
        path.push("..");
    }
    for part in &to[common..] {
        path.push(part);
    }
    if path.as_os_str().is_empty() {
        path.push(".");
    }
    path
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
    /// `None` for an index whose last commit carries no state.
    pub state: Option<CommitState>,
    /// The number of documents of each searchable segment (deleted ones
    /// included), from the same reading of tantivy's `meta.json`.
    pub segment_docs: Vec<u32>,
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
                        "{}: damaged pointer file; {REBUILD_HINT}",
                        pointer.display()
                    );
                }
                Ok(Some(self.root.join(name)))
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(_) if self.root.is_file() => bail!(
                "{} is a file, not an index folder; give --index the folder of an index",
                self.root.display()
            ),
            Err(e) => Err(e).with_context(|| format!("cannot read {}", pointer.display())),
        }
    }

    /// True when the folder holds a built index.
    pub fn exists(&self) -> bool {
        matches!(self.current(), Ok(Some(_)))
    }

    /// True when the folder holds an index, readable or not (its pointer
    /// file).
    pub fn has_index_files(&self) -> bool {
        // Generations without a pointer are builds that never finished
        // their first commit: no index, removed by the next run.
        self.root.join(CURRENT).exists()
    }

    /// Opens the index in use for reading.
    pub fn open(&self) -> Result<OpenIndex> {
        let Some(dir) = self.current()? else {
            bail!(
                "no index at {}: build one with `fundstelle index [PATH]...`",
                self.root.display()
            );
        };
        let meta = read_meta(&dir)?;
        let index = read_only::ReadDirectory::open(&dir)
            .map_err(tantivy::TantivyError::from)
            .and_then(Index::open)
            .map_err(|e| damage::read_error(&self.root, e))?;
        analysis::register(index.tokenizers());
        let fields = Fields::new(&index.schema()).with_context(|| {
            format!(
                "the index at {} has another layout; {REBUILD_HINT}",
                self.root.display()
            )
        })?;
        // One reading of tantivy's meta.json (a few thousand bytes of JSON)
        // for both; tantivy reads it again to open the segments.
        let metas = index.load_metas().ok();
        let state = metas.as_ref().and_then(state_of);
        let segment_docs = metas
            .map(|m| m.segments.iter().map(|s| s.max_doc()).collect())
            .unwrap_or_default();
        Ok(OpenIndex {
            index,
            fields,
            meta,
            generation: dir,
            state,
            segment_docs,
        })
    }

    /// The sources of the index in use, read from the record of its last
    /// commit without opening the index: also for an index of another
    /// format or with damaged segments, so that a rebuild of it can read
    /// the same sources. `None` when there is no index or no record.
    pub fn recorded(&self) -> Option<Recorded> {
        /// tantivy's `meta.json`: only its payload is read.
        #[derive(Deserialize)]
        struct Metas {
            payload: Option<String>,
        }
        /// The part of a [`CommitState`] that says where it was built,
        /// which every version with a payload has (`sources`) or may have.
        #[derive(Deserialize)]
        struct Where {
            sources: Vec<PathBuf>,
            #[serde(default)]
            cwd: String,
            #[serde(default)]
            cwd_from_index: String,
            #[serde(default)]
            rules_file: String,
        }
        let generation = self.current().ok()??;
        let metas: Metas =
            serde_json::from_slice(&fs::read(generation.join("meta.json")).ok()?).ok()?;
        let at: Where = serde_json::from_str(&metas.payload?).ok()?;
        let path = |s: String| (!s.is_empty()).then(|| PathBuf::from(s));
        (!at.sources.is_empty()).then(|| Recorded {
            sources: at.sources,
            cwd: path(at.cwd),
            cwd_from_index: path(at.cwd_from_index),
            rules_file: path(at.rules_file),
        })
    }

    /// Relative paths of files the index holds, as recorded: about `n` of
    /// each segment, spread evenly over its paths in order (so that
    /// removing the oldest files of a dated archive does not remove them
    /// all); none when the index cannot be read.
    pub fn sample_paths(&self, n: usize) -> Vec<String> {
        let Ok(open) = self.open() else {
            return Vec::new();
        };
        let Ok(reader) = open
            .index
            .reader_builder()
            .reload_policy(tantivy::ReloadPolicy::Manual)
            .try_into()
        else {
            return Vec::new();
        };
        let reader: tantivy::IndexReader = reader;
        let searcher = reader.searcher();
        let mut out = Vec::new();
        for segment in searcher.segment_readers() {
            let Ok(inverted) = segment.inverted_index(open.fields.path) else {
                continue;
            };
            // Relative paths only (those are what tells a folder), spread
            // over all of them: absolute ones sort first.
            let terms = inverted.terms();
            let step = (terms.num_terms() / n.max(1)).max(1);
            let Ok(mut stream) = terms.stream() else {
                continue;
            };
            let mut first_relative = None;
            let mut taken = 0;
            let mut i = 0usize;
            while stream.advance() {
                let Ok(path) = std::str::from_utf8(stream.key()) else {
                    continue;
                };
                i += 1;
                if Path::new(path).is_absolute() {
                    continue;
                }
                if i.is_multiple_of(step) {
                    out.push(path.to_string());
                    taken += 1;
                } else if first_relative.is_none() {
                    first_relative = Some(path.to_string());
                }
            }
            if taken == 0 {
                out.extend(first_relative);
            }
        }
        out
    }

    /// `paths`, one for one, with each that names the same file or folder
    /// as a path the index was built from (`./seeds`, `/home/me/seeds` for
    /// `seeds`) spelt as the index recorded it. Files are known by their
    /// paths as given, so another spelling of the same folder would make
    /// every file look new, and a run would rebuild what it has. Paths that
    /// do not exist, and every path when there is no readable index, are
    /// returned as they are.
    pub fn as_recorded(&self, paths: &[PathBuf]) -> Vec<PathBuf> {
        let recorded: Vec<(PathBuf, PathBuf)> = self
            .recorded()
            .map(|r| r.sources)
            .unwrap_or_default()
            .into_iter()
            .filter_map(|source| Some((fs::canonicalize(&source).ok()?, source)))
            .collect();
        paths
            .iter()
            .map(|path| {
                if recorded.iter().any(|(_, source)| source == path) {
                    return path.clone();
                }
                fs::canonicalize(path)
                    .ok()
                    .and_then(|real| recorded.iter().find(|(r, _)| *r == real))
                    .map_or_else(|| path.clone(), |(_, source)| source.clone())
            })
            .collect()
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
        let locked = while_busy(
            LOCK_WAIT,
            |e| matches!(e, fs::TryLockError::WouldBlock),
            || file.try_lock(),
        );
        match locked {
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
        let tmp = self.root.join(CURRENT_TMP);
        let mut file =
            File::create(&tmp).with_context(|| format!("cannot write {}", tmp.display()))?;
        file.write_all(format!("{name}\n").as_bytes())
            .and_then(|()| file.sync_all())
            .with_context(|| format!("cannot write {}", tmp.display()))?;
        fs::rename(&tmp, self.root.join(CURRENT))
            .with_context(|| format!("cannot update {}", self.root.join(CURRENT).display()))?;
        if let Ok(dir) = File::open(&self.root) {
            // Make the rename itself durable; not all platforms allow it.
            let _ = dir.sync_all();
        }
        Ok(())
    }

    /// Removes every generation but those in `keep` (old ones and abandoned
    /// builds). Only folders that fundstelle made are touched: named as
    /// [`Self::new_generation`] names them and holding files only, as a
    /// tantivy index does.
    fn remove_stale_generations(&self, keep: &[&Path]) {
        let Ok(entries) = fs::read_dir(&self.root) else {
            return;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if is_generation(&path) && !keep.contains(&path.as_path()) {
                // Best effort: a reader on another platform may still hold it.
                let _ = fs::remove_dir_all(&path);
            }
        }
    }

    /// Checks that the folder can take an index: a folder that holds one, a
    /// new or empty one, or one with only what an earlier run left. Any
    /// other file in it is the user's, and a first build would mix the
    /// index with it.
    fn check_usable(&self) -> Result<()> {
        let root = &self.root;
        let entries = match fs::read_dir(root) {
            Ok(entries) => entries,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
            Err(_) if root.exists() && !root.is_dir() => bail!(
                "{} is a file, not a folder; give --index the path of a folder (a missing one is created)",
                root.display()
            ),
            Err(e) => {
                return Err(e)
                    .with_context(|| format!("cannot read index folder {}", root.display()));
            }
        };
        if root.join(CURRENT).exists() {
            return Ok(());
        }
        let ours = |path: &Path| {
            let name = path.file_name().unwrap_or_default();
            name == LOCK_FILE
                || name == CURRENT_TMP
                || PLACEHOLDERS.iter().any(|p| name == *p)
                || is_generation(path)
        };
        let mut foreign: Vec<String> = entries
            .flatten()
            .map(|e| e.path())
            .filter(|p| !ours(p))
            .map(|p| {
                p.file_name()
                    .unwrap_or_default()
                    .to_string_lossy()
                    .into_owned()
            })
            .collect();
        if foreign.is_empty() {
            return Ok(());
        }
        foreign.sort();
        let shown = foreign.len().min(3);
        let more = match foreign.len() - shown {
            0 => String::new(),
            n => format!(" and {n} more"),
        };
        bail!(
            "{} is not empty and holds no fundstelle index ({}{more}); give --index a new or empty folder",
            root.display(),
            foreign[..shown].join(", ")
        )
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

/// `attempt` again every few milliseconds for up to `wait` while it fails
/// because a lock is `busy`. A lock just released can be held a moment
/// longer by a process that another thread of this one is starting: the
/// locks are `flock`s, and a new process holds the files it inherited until
/// it replaces its image. That moment is waited for, a run holding the lock
/// is not.
fn while_busy<T, E>(
    wait: Duration,
    busy: impl Fn(&E) -> bool,
    mut attempt: impl FnMut() -> Result<T, E>,
) -> Result<T, E> {
    let started = Instant::now();
    loop {
        match attempt() {
            Err(e) if busy(&e) && started.elapsed() < wait => {
                std::thread::sleep(Duration::from_millis(5));
            }
            result => return result,
        }
    }
}

/// Reads a generation's `fundstelle.json` and checks its schema version.
fn read_meta(generation: &Path) -> Result<IndexMeta> {
    let meta_path = generation.join(META_FILE);
    let unreadable = |e: &dyn std::fmt::Display| {
        anyhow::anyhow!("cannot read {}: {e}; {REBUILD_HINT}", meta_path.display())
    };
    let value: serde_json::Value = fs::read(&meta_path)
        .map_err(anyhow::Error::from)
        .and_then(|bytes| Ok(serde_json::from_slice(&bytes)?))
        .map_err(|e| unreadable(&e))?;
    // The version is checked before anything else is interpreted: another
    // version may have other fields.
    let version = value.get("schema_version").and_then(|v| v.as_u64());
    if version != Some(u64::from(SCHEMA_VERSION)) {
        let by = value
            .get("fundstelle_version")
            .and_then(|v| v.as_str())
            .unwrap_or("another version");
        bail!(
            "the index at {} was built by fundstelle {by} (index format {}); this fundstelle \
             reads format {SCHEMA_VERSION}; {REBUILD_HINT}",
            generation.parent().unwrap_or(generation).display(),
            version.map_or("unknown".to_string(), |v| v.to_string()),
        );
    }
    serde_json::from_value(value).map_err(|e| unreadable(&e))
}

fn write_meta(generation: &Path, meta: &IndexMeta) -> Result<()> {
    let meta_path = generation.join(META_FILE);
    let file = File::create(&meta_path)
        .with_context(|| format!("cannot write {}", meta_path.display()))?;
    serde_json::to_writer_pretty(&file, meta)?;
    file.sync_all()
        .with_context(|| format!("cannot write {}", meta_path.display()))?;
    Ok(())
}

/// The state stored with the last commit, if any.
fn commit_state(index: &Index) -> Option<CommitState> {
    state_of(&index.load_metas().ok()?)
}

fn state_of(metas: &tantivy::IndexMeta) -> Option<CommitState> {
    serde_json::from_str(metas.payload.as_ref()?).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_between_folders_lead_there() {
        let between = |a: &str, b: &str| path_between(Path::new(a), Path::new(b));
        assert_eq!(between("/p/index", "/p"), Path::new(".."));
        assert_eq!(
            between("/data/idx", "/home/me/news"),
            Path::new("../../home/me/news")
        );
        assert_eq!(between("/p", "/p/sub"), Path::new("sub"));
        assert_eq!(between("/p", "/p"), Path::new("."));
        // Followed from the first folder, each leads to the second.
        for (from, to) in [("/data/idx", "/home/me/news"), ("/a/b/c", "/a/x")] {
            let joined = Path::new(from).join(path_between(Path::new(from), Path::new(to)));
            let mut resolved = PathBuf::new();
            for part in joined.components() {
                match part {
                    std::path::Component::ParentDir => {
                        resolved.pop();
                    }
                    std::path::Component::CurDir => {}
                    part => resolved.push(part),
                }
            }
            assert_eq!(resolved, Path::new(to));
        }
    }
}
