//! Building and updating the index from article files.
//!
//! One run, whether it builds a new generation or updates the current one:
//!
//! 1. read the manifest (path → content hash, article ids) from the index;
//! 2. delete the paragraphs of files that are no longer there;
//! 3. worker threads read every file and hash it; an unchanged file (same
//!    hash) is not decoded at all, and one whose size, times and inode are
//!    as recorded (`ingest::files::stat_key`) is not even read; a new or
//!    changed one is decoded, segmented, classified and language-tagged
//!    ([`pipeline`]);
//! 4. the one writer takes the results in file order, deletes the old
//!    paragraphs of a changed file and adds the new ones (in the same
//!    commit), and commits every `commit_every` bytes of new input, so a
//!    killed run loses at most that much work.

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use tantivy::index::{SegmentId, SegmentMeta};
use tantivy::indexer::{IndexWriterOptions, UserOperation};
use tantivy::merge_policy::{LogMergePolicy, MergeCandidate, MergePolicy};
use tantivy::{Index, IndexWriter, ReloadPolicy, TantivyDocument, Term};

use super::damage;
use super::in_flight::{InFlight, Tracked};
use super::manifest;
use super::owners::Owners;
use super::pipeline::ordered_map;
use super::pread::ReadingDirectory;
use super::stamps;
use super::{
    CommitState, Fields, IndexDir, IndexMeta, SCHEMA_VERSION, commit_state, now, read_meta, schema,
    while_busy, write_meta,
};
use crate::analysis::{self, compound};
use crate::ingest::{self, Article, FileArticles, FileList, Rules, SkipReason};

/// The content hash recorded for a file that is in the index only in part
/// (see `Run::update`): no file's hash, so the file always counts as
/// changed.
const PARTIAL: u64 = 0;

/// tantivy needs at least this much writer memory per indexing thread
/// (its `MEMORY_BUDGET_NUM_BYTES_MIN`, not exported).
pub const MIN_MEMORY_PER_THREAD: usize = 15_000_000;

/// Segments are merged until they hold this many paragraphs, not beyond.
/// With tantivy's default (10 million) peak memory grew with the corpus, to
/// 620 MB on 2.9 million paragraphs (BENCHMARKS.md): merges then mapped the
/// segments they merged, and every page read counted in the process's
/// memory. They are now read, not mapped ([`ReadingDirectory`]), but a merge
/// still reads a segment's whole document store at once, so the cap still
/// bounds what a merge holds. The cap was 200,000, which left 10-15
/// segments on the benchmark corpus, and each query pays per segment; at
/// 800,000 (about 90 MB of index per segment) the same corpus had 3 and
/// queries took half the time. The last merge of a build goes further:
/// [`MAX_COMPACTED_PARAGRAPHS`].
const MAX_MERGED_PARAGRAPHS: usize = 800_000;

/// Merges run one at a time (tantivy's default is four threads). When
/// merges mapped the segments they merged, two at once took a build of
/// 715 MB of text over 290 MB (BENCHMARKS.md); each still holds a
/// segment's document store while it copies it. Merges that wait their
/// turn leave a few more segments for a while, which [`compact`] merges at
/// the end.
const MERGE_THREADS: usize = 1;

/// After an update, the segments below this many paragraphs are merged into
/// one (the default of [`BuildOptions::small_segment`]). Each update writes
/// a segment of its own, and tantivy's log policy waits for eight of a size
/// before it merges them; but every query pays per segment (term look-ups,
/// compound expansion, opening files): one more small segment cost the
/// benchmark's queries 14% (BENCHMARKS.md, eighth round). Merging them
/// costs about 11 µs a paragraph, so an update rewrites at most about a
/// second's worth; a segment that grows past this is left to the policy.
pub const SMALL_SEGMENT_PARAGRAPHS: usize = MAX_MERGED_PARAGRAPHS / 8;

/// The merge at the end of a first build (or of a run that adds a quarter
/// of the index) makes segments of up to this many paragraphs, so that
/// most archives are searched in one segment: a query pays per segment for
/// every term it looks up and for the first touches of each segment's
/// files, and on the 155 MB benchmark corpus (2.1 million paragraphs) the
/// query mix took a median of 9.7 ms in one segment against 11.3 ms in
/// three (BENCHMARKS.md, fourteenth round). The merged segments are each
/// at most [`MAX_MERGED_PARAGRAPHS`], read one at a time, so what the
/// merge holds grows with its output only by a few bytes a paragraph (peak
/// 146 MB for that corpus, against 168 MB with three segments); the price
/// is the time of one more pass over the index (2.2 s of 21 s there), and
/// room on the disk for a copy of the index while it runs
/// ([`compaction_cap`] falls back to the smaller cap without it).
const MAX_COMPACTED_PARAGRAPHS: usize = 3_000_000;

fn merge_policy() -> CappedMerges {
    let mut policy = LogMergePolicy::default();
    policy.set_max_docs_before_merge(MAX_MERGED_PARAGRAPHS);
    CappedMerges(policy)
}

/// tantivy's log merge policy, with each merge split into merges of at
/// most [`MAX_MERGED_PARAGRAPHS`]. The log policy merges a whole level of
/// similar segments at once (eight or more), so its cap on the segments it
/// considers did not bound what a merge produces: a build of 715 MB with a
/// smaller writer budget (more, smaller segments) peaked at 686 MB.
#[derive(Debug)]
struct CappedMerges(LogMergePolicy);

impl MergePolicy for CappedMerges {
    fn compute_merge_candidates(&self, segments: &[SegmentMeta]) -> Vec<MergeCandidate> {
        let docs: HashMap<SegmentId, u32> =
            segments.iter().map(|s| (s.id(), s.num_docs())).collect();
        self.0
            .compute_merge_candidates(segments)
            .into_iter()
            .flat_map(|candidate| {
                let sized = candidate
                    .0
                    .into_iter()
                    .map(|id| (id, docs.get(&id).copied().unwrap_or(0)))
                    .collect();
                capped_groups(sized, MAX_MERGED_PARAGRAPHS)
            })
            .map(MergeCandidate)
            .collect()
    }
}

/// `segments` (id, paragraphs) grouped, smallest first, into merges of at
/// most `cap` paragraphs; groups of one segment are left out.
fn capped_groups(mut segments: Vec<(SegmentId, u32)>, cap: usize) -> Vec<Vec<SegmentId>> {
    segments.sort_by_key(|(_, docs)| *docs);
    let mut groups: Vec<Vec<SegmentId>> = Vec::new();
    let mut group = Vec::new();
    let mut size = 0usize;
    for (id, docs) in segments {
        let docs = docs as usize;
        if !group.is_empty() && size + docs > cap {
            groups.push(std::mem::take(&mut group));
            size = 0;
        }
        size += docs;
        group.push(id);
    }
    groups.push(group);
    groups.retain(|g| g.len() > 1);
    groups
}

/// How a run builds or updates the index.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    /// Build a new generation from scratch even when the current one could
    /// be updated.
    pub rebuild: bool,
    /// tantivy's writer memory budget in bytes, shared by its threads.
    pub memory: usize,
    /// Threads reading files (and at most as many tantivy indexing threads).
    pub threads: usize,
    /// Commit after this many bytes of new or changed input.
    pub commit_every: u64,
    /// After an update (also one that changed nothing), merge the segments
    /// with fewer paragraphs than this into one; 0: leave them to the merge
    /// policy.
    pub small_segment: usize,
    /// The folder the run works in as the user names it (symbolic links
    /// kept), when the caller changed into it; recorded for the next run.
    pub workdir: Option<PathBuf>,
}

impl Default for BuildOptions {
    fn default() -> Self {
        BuildOptions {
            rebuild: false,
            memory: 64 * 1024 * 1024,
            threads: std::thread::available_parallelism().map_or(2, |n| n.get()),
            commit_every: 64 * 1024 * 1024,
            workdir: None,
            small_segment: SMALL_SEGMENT_PARAGRAPHS,
        }
    }
}

/// What a run tells its caller while it works.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BuildEvent {
    /// The current index cannot be updated; a full build follows.
    Rebuilding { reason: String },
    /// A commit is about to start (`done` of `files` files processed).
    Committing { done: usize, files: usize },
    /// The commit finished.
    Committed { done: usize, files: usize },
    /// One more file is done (read, or unchanged and skipped).
    File { done: usize, files: usize },
    /// A file's paragraphs were added, replaced or removed (`path` as the
    /// index stores it).
    Changed { path: String, change: Change },
}

/// What a run did to one file in the index.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Change {
    Added,
    Updated,
    Removed,
}

impl Change {
    pub fn as_str(self) -> &'static str {
        match self {
            Change::Added => "added",
            Change::Updated => "updated",
            Change::Removed => "removed",
        }
    }
}

/// A file that was not indexed, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SkippedFile {
    pub path: PathBuf,
    pub reason: String,
}

/// What a run did.
#[derive(Debug, Default)]
pub struct BuildReport {
    /// Article files found.
    pub files: usize,
    /// Files read for the first time, read again because they changed,
    /// whose paragraphs were removed because they are gone (or now yield
    /// nothing), and left alone because their content is the same.
    pub added: usize,
    pub updated: usize,
    pub removed: usize,
    pub unchanged: usize,
    /// Of the unchanged files, those not read at all: their size, times
    /// and inode were as when they were indexed.
    pub not_read: usize,
    /// Of the unchanged files that were read, those whose new stamps were
    /// kept (`index::stamps`), so that the next run does not read them.
    pub stamps_learnt: usize,
    /// Whether a new generation was built (rather than one updated).
    pub rebuilt: bool,
    /// Articles and paragraphs in the index after the run.
    pub articles: u64,
    pub paragraphs: u64,
    /// Files with other extensions, passed over.
    pub other_extensions: usize,
    /// Files that could not be read or decoded.
    pub skipped: Vec<SkippedFile>,
    /// Files without any text: not an error, only reported.
    pub empty: Vec<PathBuf>,
    /// Parts of files that were skipped (a malformed JSON line, an article
    /// id used by another file): `(path, line, reason)`.
    pub problems: Vec<(PathBuf, usize, String)>,
    /// Parts of records dropped while the record was indexed (a date that
    /// is not one): `(path, line, what)`. Not errors.
    pub warnings: Vec<(PathBuf, usize, String)>,
    /// Why the merge after the last commit failed (a full disk): the run itself is committed,
    /// and the next run tries the merge again.
    pub merge_failed: Option<String>,
    /// The disk had no room for a copy of the index, so the merge a build
    /// owes kept to segments of [`MAX_MERGED_PARAGRAPHS`] and is still
    /// owed: the next run with room merges further.
    pub merge_short_of_room: bool,
    pub elapsed: Duration,
}

impl IndexDir {
    /// Brings the index up to date with `files`: updates the current
    /// generation, or builds a new one when asked to or when the current one
    /// cannot be updated.
    ///
    /// `sources` are the paths as the user gave them, recorded in the index.
    pub fn build(
        &self,
        files: &FileList,
        sources: &[PathBuf],
        rules: &Rules,
        options: &BuildOptions,
        on_event: &mut dyn FnMut(BuildEvent),
    ) -> Result<BuildReport> {
        let started = Instant::now();
        self.check_usable()?;
        let _lock = self.lock()?;
        // A damaged pointer: the generations stay until a new one is
        // complete (one of them may be whole, and mended by hand).
        let mut pointer_damaged = false;
        let current = match self.current() {
            Ok(current) => current,
            Err(err) => {
                on_event(BuildEvent::Rebuilding {
                    reason: damage::without_hint(&format!("{err:#}")),
                });
                pointer_damaged = true;
                None
            }
        };
        let reusable = match (&current, options.rebuild) {
            (Some(dir), false) => match updatable(dir, rules)? {
                Ok(index) => Some((dir.clone(), index)),
                Err(reason) => {
                    on_event(BuildEvent::Rebuilding {
                        reason: damage::without_hint(&reason),
                    });
                    None
                }
            },
            _ => None,
        };
        // Abandoned generations of killed builds go first.
        if !pointer_damaged {
            self.remove_stale_generations(
                &current.iter().map(PathBuf::as_path).collect::<Vec<_>>(),
            );
        }

        let run = Run {
            files,
            sources,
            rules,
            options,
        };
        let failed = || format!("cannot update the index at {}", self.root.display());
        let mut report = match reusable {
            Some((dir, index)) => {
                let (mut report, merge) = run
                    .update(&index, &dir, None, on_event)
                    .with_context(failed)?;
                run.merge(&index, &dir, merge, &mut report)
                    .with_context(failed)?;
                report
            }
            None => {
                let generation = self.new_generation()?;
                // In an empty folder the new generation is published at
                // once: its commits are then visible, and a killed first
                // build is carried on by the next run. Otherwise the old
                // index stays in use until the new one is complete.
                let publish_early = current.is_none() && !pointer_damaged;
                let result = create_generation(&generation, rules).and_then(|index| {
                    let publish = publish_early.then_some(self);
                    let (report, merge) = run.update(&index, &generation, publish, on_event)?;
                    Ok((index, report, merge))
                });
                match result {
                    Ok((index, mut report, merge)) => {
                        if !publish_early && let Err(err) = self.publish(&generation) {
                            // The index in use stays; the new one would only
                            // take the room (the next run removes it anyway).
                            let _ = std::fs::remove_dir_all(&generation);
                            return Err(err).with_context(failed);
                        }
                        self.remove_stale_generations(&[&generation]);
                        report.rebuilt = true;
                        run.merge(&index, &generation, merge, &mut report)
                            .with_context(failed)?;
                        report
                    }
                    Err(err) => {
                        if !publish_early
                            || self.current().ok().flatten() != Some(generation.clone())
                        {
                            let _ = std::fs::remove_dir_all(&generation);
                        }
                        return Err(err).with_context(failed);
                    }
                }
            }
        };
        report.elapsed = started.elapsed();
        Ok(report)
    }
}

/// The index in `dir` opened for an update (its files checked the way a
/// search opens them), or why it must be rebuilt instead: built by another
/// version or with other rules, or damaged. An error is neither: a failure
/// that a rebuild would not mend (permissions, resources).
fn updatable(dir: &Path, rules: &Rules) -> Result<Result<Index, String>> {
    let meta = match read_meta(dir) {
        Ok(meta) => meta,
        Err(e) => return Ok(Err(format!("{e:#}"))),
    };
    if meta.fundstelle_version != env!("CARGO_PKG_VERSION") {
        return Ok(Err(format!(
            "the index was built by fundstelle {}, this is {}",
            meta.fundstelle_version,
            env!("CARGO_PKG_VERSION")
        )));
    }
    if meta.rules != fingerprint(rules) {
        return Ok(Err(
            "the segmentation rules changed since the index was built".to_string(),
        ));
    }
    let opened = ReadingDirectory::open(dir)
        .and_then(Index::open)
        .and_then(|index| {
            // Opening a reader opens every segment's files.
            index
                .reader_builder()
                .reload_policy(ReloadPolicy::Manual)
                .try_into()
                .map(|_| index)
        });
    match opened {
        Ok(index) => Ok(Ok(index)),
        Err(e) => match damage::damage(&e) {
            Some(what) => Ok(Err(format!(
                "the index at {} is damaged: {what}",
                dir.display()
            ))),
            None => Err(e).with_context(|| format!("cannot open the index at {}", dir.display())),
        },
    }
}

fn fingerprint(rules: &Rules) -> String {
    format!("{:016x}", rules.fingerprint)
}

/// Creates an empty tantivy index and its `fundstelle.json` in `dir`.
fn create_generation(dir: &Path, rules: &Rules) -> Result<Index> {
    let index = ReadingDirectory::open(dir)
        .and_then(|directory| Index::create(directory, schema::schema(), schema::settings()))
        .with_context(|| format!("cannot create an index in {}", dir.display()))?;
    write_meta(
        dir,
        &IndexMeta {
            schema_version: SCHEMA_VERSION,
            fundstelle_version: env!("CARGO_PKG_VERSION").to_string(),
            rules: fingerprint(rules),
            created_at: now(),
        },
    )?;
    Ok(index)
}

/// What a worker made of one file.
enum FileOutcome {
    /// Same bytes as the indexed version: nothing to do. `read`: whether
    /// it had to be read to know; `learnt`: then its manifest entry and its
    /// new stat key, when that differs from the recorded one.
    Unchanged {
        read: bool,
        learnt: Option<(u32, u64)>,
    },
    /// New or changed (or unreadable): its articles, or why there are none.
    Read {
        hash: u64,
        /// [`ingest::files::stat_key`] before it was read.
        stat: u64,
        size: u64,
        result: Result<FileArticles, SkipReason>,
    },
}

/// The parts of a run that do not change while it works.
struct Run<'a> {
    files: &'a FileList,
    sources: &'a [PathBuf],
    rules: &'a Rules,
    options: &'a BuildOptions,
}

impl Run<'_> {
    /// Updates `index`, in the folder `generation`, to match the files,
    /// and says what to merge once the run is published ([`Run::merge`]).
    /// With `publish`, the generation is made current right after its first
    /// commit.
    fn update(
        &self,
        index: &Index,
        generation: &Path,
        publish: Option<&IndexDir>,
        on_event: &mut dyn FnMut(BuildEvent),
    ) -> Result<(BuildReport, Merge)> {
        analysis::register(index.tokenizers());
        let fields = Fields::new(&index.schema())?;
        let (mut manifest, mut paragraphs) = {
            let reader = index
                .reader_builder()
                .reload_policy(ReloadPolicy::Manual)
                .try_into()
                .context("cannot read the index")?;
            let searcher = reader.searcher();
            (manifest::read(&searcher)?, searcher.num_docs())
        };
        let paragraphs_before = paragraphs;
        // Stat keys learnt by earlier runs for files whose stamps changed
        // but not their content: `(manifest entry, stat key)`.
        let mut learnt: Vec<(u32, u64)> = Vec::new();
        stamps::read(generation, &mut |path, hash, stat| {
            if let Some((i, entry)) = manifest.find(path)
                && entry.hash == hash
                && let Ok(i) = u32::try_from(i)
            {
                learnt.push((i, stat));
            }
        });
        for &(i, stat) in &learnt {
            manifest.set_stat(i as usize, stat);
        }
        let previous = commit_state(index);
        let memory = self.options.memory.max(MIN_MEMORY_PER_THREAD);
        let writer_threads = self
            .options
            .threads
            .clamp(1, (memory / MIN_MEMORY_PER_THREAD).max(1));
        let options = IndexWriterOptions::builder()
            .num_worker_threads(writer_threads)
            .memory_budget_per_thread(memory / writer_threads)
            .num_merge_threads(MERGE_THREADS)
            .build();
        let mut writer: IndexWriter<Tracked> =
            open_writer(index, options).context("cannot start the index writer")?;
        writer.set_merge_policy(Box::new(merge_policy()));

        let files = self.files;
        let mut report = BuildReport {
            files: files.len(),
            other_extensions: files.other_extensions,
            skipped: files
                .unreadable
                .iter()
                .map(|f| SkippedFile {
                    path: f.path.clone(),
                    reason: f.reason.clone(),
                })
                .collect(),
            ..BuildReport::default()
        };
        // The index folder is the generation's parent.
        let (cwd, cwd_from_index, rules_file) = super::where_built(
            self.sources,
            generation.parent().unwrap_or(generation),
            self.rules.file.as_deref(),
            self.options.workdir.as_deref(),
        );
        let mut state = CommitState {
            complete: false,
            committed_at: 0,
            sources: self
                .sources
                .iter()
                .map(|p| p.display().to_string())
                .collect(),
            cwd,
            cwd_from_index,
            rules_file,
            files: 0,
            articles: 0,
            paragraphs: 0,
            merge_pending: previous.as_ref().is_some_and(|p| p.merge_pending),
        };
        if let Some(dir) = publish {
            commit(&mut writer, &mut state, paragraphs_before, paragraphs, 0)?;
            dir.publish(generation)?;
        }

        // Which of the listed files each manifest entry is (`GONE`: none).
        const GONE: u32 = u32::MAX;
        let mut listed_as: Vec<u32> = vec![GONE; manifest.len()];
        if !manifest.is_empty() {
            for (i, path) in files.iter().enumerate() {
                if let Some((m, _)) = manifest.find(&path_key(&path)) {
                    listed_as[m] = u32::try_from(i).unwrap_or(GONE);
                }
            }
        }
        // Which file owns each article id (by its index in the file list):
        // ids stay unique in the index. The files of the index that are no
        // longer listed own nothing: their paragraphs go first.
        let mut owners = Owners::new(files);
        let mut changes = 0usize;
        for ((path, entry), &listed) in manifest.iter().zip(&listed_as) {
            match listed {
                GONE => {
                    writer.delete_term(Term::from_field_text(fields.path, &path));
                    paragraphs -= entry.paragraphs;
                    report.removed += 1;
                    changes += 1;
                    on_event(BuildEvent::Changed {
                        path: path.to_string(),
                        change: Change::Removed,
                    });
                }
                i => {
                    for doc in entry.docs(&path) {
                        owners.claim(&doc, i as usize, &path);
                    }
                }
            }
        }
        let learnt_before = learnt.len();
        learnt.retain(|&(m, _)| listed_as[m as usize] != GONE);
        // Whether the kept keys must be written again: some were of files
        // gone, or (below) of files indexed anew, or keys were learnt.
        let mut stamps_changed = learnt.len() != learnt_before;
        let learnt_before = learnt.len();
        drop(listed_as);

        let rules = self.rules;
        let manifest = &manifest;
        // Time stamps from this second on are too recent to trust.
        let run_started = std::time::SystemTime::now();
        // `trust_index`: a file the index holds as it is now need not be
        // read (false for a file that must be indexed anew all the same).
        let read = |i: usize, trust_index: bool| -> FileOutcome {
            let path = files.get(i).unwrap_or_default();
            let path = &path;
            let known = manifest.find(&path_key(path)).filter(|_| trust_index);
            // Size, times and inode as when it was read: not read again
            // (a million unchanged files are then a million `stat`s, not a
            // million reads). Otherwise the content hash decides.
            let stat =
                std::fs::metadata(path).map_or(0, |m| ingest::files::stat_key(&m, run_started));
            if stat != 0 && known.is_some_and(|(_, entry)| entry.stat == stat) {
                return FileOutcome::Unchanged {
                    read: false,
                    learnt: None,
                };
            }
            let (doc, bytes) =
                match ingest::doc_id(path).and_then(|doc| Ok((doc, std::fs::read(path)?))) {
                    Ok(read) => read,
                    Err(e) => {
                        return FileOutcome::Read {
                            hash: 0,
                            stat: 0,
                            size: 0,
                            result: Err(SkipReason::Unreadable(e.to_string())),
                        };
                    }
                };
            let hash = xxhash_rust::xxh3::xxh3_64(&bytes);
            if let Some((m, entry)) = known
                && entry.hash == hash
            {
                let learnt = (stat != 0 && stat != entry.stat)
                    .then(|| u32::try_from(m).ok().map(|m| (m, stat)))
                    .flatten();
                return FileOutcome::Unchanged { read: true, learnt };
            }
            // A bug in the ingest must cost one file, not the whole run.
            let result = catch_unwind(AssertUnwindSafe(|| {
                ingest::parse_file(path, &doc, &bytes, rules)
            }))
            .unwrap_or_else(|panic| {
                let what = panic
                    .downcast_ref::<&str>()
                    .map(|s| s.to_string())
                    .or_else(|| panic.downcast_ref::<String>().cloned())
                    .unwrap_or_default();
                Err(SkipReason::Internal(what))
            });
            FileOutcome::Read {
                hash,
                stat,
                size: bytes.len() as u64,
                result,
            }
        };

        let work = |i: usize| read(i, true);

        let total = files.len();
        let mut since_commit = 0u64;
        // Files whose paragraphs were deleted before their turn, because a
        // file earlier in path order took one of their article ids (as in
        // a clean build, which reads the files in path order): indexed
        // anew when their turn comes.
        let mut dispossessed: HashSet<usize> = HashSet::new();
        // Files read again and indexed anew: their learnt keys are void.
        let mut reindexed: Vec<u32> = Vec::new();
        let threads = self.options.threads.max(1);
        let in_flight = InFlight::default();
        ordered_map(
            total,
            threads,
            4 * threads,
            work,
            |i, outcome| -> Result<()> {
                on_event(BuildEvent::File {
                    done: i + 1,
                    files: total,
                });
                let was_dispossessed = dispossessed.contains(&i);
                let outcome = match outcome {
                    FileOutcome::Unchanged { .. } if was_dispossessed => read(i, false),
                    outcome => outcome,
                };
                let FileOutcome::Read {
                    hash,
                    stat,
                    size,
                    result,
                } = outcome
                else {
                    report.unchanged += 1;
                    match outcome {
                        FileOutcome::Unchanged { read: false, .. } => report.not_read += 1,
                        FileOutcome::Unchanged {
                            learnt: Some(new), ..
                        } => {
                            learnt.push(new);
                            report.stamps_learnt += 1;
                        }
                        _ => {}
                    }
                    return Ok(());
                };
                // Decoded here only for files that were read: on an update
                // most are not, and this thread is the one that waits.
                let path = &files.get(i).unwrap_or_default();
                let key = path_key(path);
                // A dispossessed file's paragraphs are gone already.
                let old = manifest.find(&key).filter(|_| !was_dispossessed);
                if let Some((m, _)) = old {
                    reindexed.push(m as u32);
                }
                let old = old.map(|(_, entry)| entry);
                if let Some(old) = old {
                    writer.delete_term(Term::from_field_text(fields.path, &key));
                    for doc in old.docs(&key) {
                        owners.release(&doc, i, &key);
                    }
                    paragraphs -= old.paragraphs;
                }
                let mut added_any = false;
                match result {
                    Ok(found) => {
                        for (line, what) in found.warnings {
                            report.warnings.push((path.clone(), line, what));
                        }
                        let mut whole = found.problems.is_empty();
                        for (line, reason) in found.problems {
                            report.problems.push((path.clone(), line, reason));
                        }
                        // The articles whose ids no other file (and no
                        // earlier article of this one) has.
                        let mut kept = Vec::with_capacity(found.articles.len());
                        for article in found.articles {
                            // An id held by a file later in path order is
                            // this file's, as in a clean build: the other
                            // file gives up its paragraphs now and is
                            // indexed anew when its turn comes.
                            if let Some(later) = owners
                                .owner(&article.doc, i, &key)
                                .filter(|&owner| owner > i)
                            {
                                let later_path = files.get(later).unwrap_or_default();
                                let later_key = path_key(&later_path);
                                if let Some((m, entry)) = manifest.find(&later_key)
                                    && dispossessed.insert(later)
                                {
                                    writer.delete_term(Term::from_field_text(
                                        fields.path,
                                        &later_key,
                                    ));
                                    for doc in entry.docs(&later_key) {
                                        owners.release(&doc, later, &later_key);
                                    }
                                    paragraphs -= entry.paragraphs;
                                    reindexed.push(m as u32);
                                }
                            }
                            if let Some(owner) = owners.owner(&article.doc, i, &key) {
                                let line =
                                    article.paragraphs.first().map_or(0, |p| p.line as usize);
                                report.problems.push((
                                    path.clone(),
                                    line,
                                    format!(
                                        "article id '{}' is already used by {}; skipped",
                                        article.doc,
                                        path_key(&files.get(owner).unwrap_or_default())
                                    ),
                                ));
                                whole = false;
                                continue;
                            }
                            owners.claim(&article.doc, i, &key);
                            kept.push(article);
                        }
                        // A file of which something was left out (a bad
                        // record, an id that another file has) is recorded
                        // without its hash and stamps: the next run reads it
                        // again, reports again what is still wrong and adds
                        // what has become possible (an id given up since).
                        let recorded = if whole { (hash, stat) } else { (PARTIAL, 0) };
                        for article in kept {
                            let first = (!added_any).then_some(recorded);
                            // One batch: an article's paragraphs must be
                            // consecutive documents of one segment (see
                            // search::join).
                            let documents = documents(&fields, &article, &key, first);
                            in_flight.wait_below(MAX_IN_FLIGHT, documents.len());
                            let batch: Vec<UserOperation<Tracked>> =
                                in_flight.track(documents).map(UserOperation::Add).collect();
                            if let Err(err) = writer.run(batch) {
                                return Err(writer_error(&mut writer, err)).with_context(|| {
                                    format!("cannot add {} to the index", path_key(path))
                                });
                            }
                            paragraphs += article.paragraphs.len() as u64;
                            added_any = true;
                        }
                    }
                    Err(SkipReason::Empty) => report.empty.push(path.clone()),
                    Err(reason) => report.skipped.push(SkippedFile {
                        path: path.clone(),
                        reason: reason.to_string(),
                    }),
                }
                let change = match (old.is_some() || was_dispossessed, added_any) {
                    (true, true) => {
                        report.updated += 1;
                        Change::Updated
                    }
                    (true, false) => {
                        report.removed += 1;
                        Change::Removed
                    }
                    (false, true) => {
                        report.added += 1;
                        Change::Added
                    }
                    // Not in the index and still nothing to add (empty,
                    // binary, unreadable, or only articles whose ids other
                    // files hold): the index is as it was.
                    (false, false) => return Ok(()),
                };
                on_event(BuildEvent::Changed {
                    path: key.to_string(),
                    change,
                });
                changes += 1;
                since_commit += size.max(1);
                if since_commit >= self.options.commit_every {
                    on_event(BuildEvent::Committing {
                        done: i + 1,
                        files: total,
                    });
                    state.articles = owners.len() as u64;
                    commit(
                        &mut writer,
                        &mut state,
                        paragraphs_before,
                        paragraphs,
                        i + 1,
                    )?;
                    on_event(BuildEvent::Committed {
                        done: i + 1,
                        files: total,
                    });
                    since_commit = 0;
                }
                Ok(())
            },
        )?;

        state.complete = true;
        state.articles = owners.len() as u64;
        let up_to_date = previous.as_ref().is_some_and(|p| {
            p.complete
                && p.sources == state.sources
                && p.cwd == state.cwd
                && p.cwd_from_index == state.cwd_from_index
                && p.rules_file == state.rules_file
                && p.files == total as u64
        });
        if changes > 0 || since_commit > 0 || !up_to_date || publish.is_some() {
            on_event(BuildEvent::Committing {
                done: total,
                files: total,
            });
            commit(
                &mut writer,
                &mut state,
                paragraphs_before,
                paragraphs,
                total,
            )?;
            on_event(BuildEvent::Committed {
                done: total,
                files: total,
            });
        }
        reindexed.sort_unstable();
        stamps_changed |= learnt.len() != learnt_before
            || learnt[..learnt_before]
                .iter()
                .any(|(m, _)| reindexed.binary_search(m).is_ok());
        // Only a cache: a run that cannot keep it still did its work, and
        // the next one reads those files again (and says nothing was kept).
        if stamps_changed && keep_learnt(generation, manifest, learnt, &reindexed).is_err() {
            report.stamps_learnt = 0;
        }
        writer
            .wait_merging_threads()
            .context("cannot finish merging the index")?;
        // The files of segments merged away can still be on the disk, which
        // publishing and the last merge need (without changes there were no
        // merges, and the writer removed what killed runs left).
        if report.added + report.updated + report.removed > 0 {
            collect_garbage(index);
        }
        // After a first build or a large addition, the merge policy leaves
        // a dozen segments: merge them into as few as
        // MAX_COMPACTED_PARAGRAPHS allows (one for most archives). So does
        // the run after such a run was killed (in the middle or in its
        // merge): the commit state says the merge is owed.
        // Small daily updates never rewrite a large segment, but their own
        // small segments are merged into one, also when nothing changed: a
        // run killed or failed while merging leaves small segments that the
        // next one merges.
        let merge = if state.merge_pending || owes_full_merge(paragraphs_before, paragraphs) {
            Merge::Everything
        } else if self.options.small_segment > 0 {
            Merge::Small
        } else {
            Merge::Nothing
        };
        report.articles = state.articles;
        report.paragraphs = paragraphs;
        Ok((report, merge))
    }

    /// Merges what `merge` says, once the run is
    /// committed and, for a new generation, published with the old ones
    /// gone (joining the whole index needs about its size free again). A
    /// full disk is a warning in the report, not an error: the run's work
    /// is saved, searches work, and the merge's own files go. Any other
    /// failure (a damaged segment) is an error.
    fn merge(
        &self,
        index: &Index,
        generation: &Path,
        merge: Merge,
        report: &mut BuildReport,
    ) -> Result<()> {
        let memory = self.options.memory.max(MIN_MEMORY_PER_THREAD);
        let merged = match merge {
            Merge::Everything => {
                let cap = compaction_cap(index, generation);
                compact(index, memory, usize::MAX, cap).and_then(|()| {
                    if merged_as_with_room(cap, report.paragraphs) {
                        settle(index)
                    } else {
                        // Still owed: the next run with room merges further.
                        report.merge_short_of_room = true;
                        Ok(())
                    }
                })
            }
            Merge::Small => compact(
                index,
                memory,
                self.options.small_segment,
                MAX_COMPACTED_PARAGRAPHS,
            ),
            Merge::Nothing => Ok(()),
        };
        match merged {
            Ok(()) => Ok(()),
            Err(err) if damage::disk_full(&err) => {
                report.merge_failed = Some(format!("{err:#}"));
                collect_garbage(index);
                Ok(())
            }
            Err(err) => Err(err.context("cannot merge the index")),
        }
    }
}

/// Removes the files of `index` that no commit needs (segments merged
/// away, a failed merge's output). Best effort: what stays is removed by
/// the next writer.
fn collect_garbage(index: &Index) {
    let options = IndexWriterOptions::builder()
        .num_worker_threads(1)
        .memory_budget_per_thread(MIN_MEMORY_PER_THREAD)
        .build();
    if let Ok(writer) = writer_once_free::<TantivyDocument>(index, options) {
        let _ = writer.garbage_collect_files().wait();
    }
}

/// Whether a run that found `before` paragraphs in the index and leaves
/// `after` owes the merge of the whole index: a first build, or a run that
/// adds at least a quarter of what the index then holds.
fn owes_full_merge(before: u64, after: u64) -> bool {
    after > 0 && before <= after.saturating_sub(before) * 3
}

/// Whether a merge with segments of up to `cap` paragraphs left an index
/// of `paragraphs` as a merge with room for a copy would have.
fn merged_as_with_room(cap: usize, paragraphs: u64) -> bool {
    cap >= MAX_COMPACTED_PARAGRAPHS || paragraphs <= cap as u64
}

/// Records that the merge a build owed is done
/// ([`CommitState::merge_pending`]): a commit of nothing, with the last
/// commit's state but for that.
fn settle(index: &Index) -> Result<()> {
    let Some(mut state) = commit_state(index).filter(|s| s.merge_pending) else {
        return Ok(());
    };
    state.merge_pending = false;
    let options = IndexWriterOptions::builder()
        .num_worker_threads(1)
        .memory_budget_per_thread(MIN_MEMORY_PER_THREAD)
        .build();
    let mut writer: IndexWriter = open_writer(index, options)?;
    writer.set_merge_policy(Box::new(tantivy::merge_policy::NoMergePolicy));
    let mut prepared = writer.prepare_commit()?;
    prepared.set_payload(&serde_json::to_string(&state)?);
    prepared.commit()?;
    writer.wait_merging_threads()?;
    Ok(())
}

/// What a run merges after its last commit ([`Run::merge`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Merge {
    /// Every segment, into as few as fit (a first build, a large addition).
    Everything,
    /// The small segments, into one (other updates).
    Small,
    /// Nothing.
    Nothing,
}

/// Writes the stat keys learnt (`(manifest entry, key)`, in the order
/// learnt) of the files not indexed anew (`reindexed`: manifest entries,
/// sorted) to the generation's [`stamps`] file.
fn keep_learnt(
    generation: &Path,
    manifest: &manifest::Manifest,
    mut learnt: Vec<(u32, u64)>,
    reindexed: &[u32],
) -> std::io::Result<()> {
    // Stable: of one entry's keys, the one learnt last comes last.
    learnt.sort_by_key(|&(m, _)| m);
    let mut kept: Vec<(u32, u64)> = Vec::with_capacity(learnt.len());
    for (m, stat) in learnt {
        match kept.last_mut() {
            Some(last) if last.0 == m => last.1 = stat,
            _ => kept.push((m, stat)),
        }
    }
    kept.retain(|(m, _)| reindexed.binary_search(m).is_err());
    let entries = kept.iter().filter_map(|&(m, stat)| {
        let (path, entry) = manifest.at(m as usize)?;
        Some((path, entry.hash, stat))
    });
    stamps::write(generation, entries)
}

/// A segment in which more than this share of the paragraphs are deleted
/// (their files changed or went) is rewritten without them, even alone:
/// deleted paragraphs still take disk space and still count in BM25's
/// statistics until a merge, and tantivy merges a large segment only with
/// others of its size.
const MAX_DELETED_SHARE: f64 = 0.25;

/// The largest merge at the end of a build that the disk has room for. A
/// merge writes its segment before the segments it merged go, so joining
/// the whole index needs about its size free again; with less, the merges
/// stay within [`MAX_MERGED_PARAGRAPHS`], which the build's own merges
/// needed room for already.
fn compaction_cap(index: &Index, generation: &Path) -> usize {
    let needed: u64 = index
        .load_metas()
        .map(|metas| metas.list_segment_files())
        .unwrap_or_default()
        .iter()
        .filter_map(|file| std::fs::metadata(generation.join(file)).ok())
        .map(|m| m.len())
        .sum();
    cap_for_room(needed, fs4::available_space(generation).ok())
}

/// [`compaction_cap`] for an index of `needed` bytes with `free` bytes
/// free (unknown: as if there were room), with a tenth to spare.
fn cap_for_room(needed: u64, free: Option<u64>) -> usize {
    match free {
        Some(free) if free < needed.saturating_add(needed / 10) => MAX_MERGED_PARAGRAPHS,
        _ => MAX_COMPACTED_PARAGRAPHS,
    }
}

/// Merges the index's segments of fewer than `below` paragraphs, smallest
/// first, into groups of at most `cap` paragraphs, and rewrites
/// alone any other segment more than [`MAX_DELETED_SHARE`] of which is
/// deleted. Each merge is committed by tantivy on its own: a killed merge
/// leaves the last committed state.
fn compact(index: &Index, memory: usize, below: usize, cap: usize) -> Result<()> {
    // Only ids and counts are kept: a live `SegmentMeta` keeps tantivy's
    // garbage collection from removing its segment's files after a merge.
    let segments: Vec<(SegmentId, u32, f64)> = index
        .searchable_segment_metas()?
        .iter()
        .map(|s| {
            let deleted = f64::from(s.num_deleted_docs()) / f64::from(s.max_doc().max(1));
            (s.id(), s.num_docs(), deleted)
        })
        .collect();
    let mut groups = capped_groups(
        segments
            .iter()
            .filter(|(_, docs, _)| (*docs as usize) < below)
            .map(|&(id, docs, _)| (id, docs))
            .collect(),
        cap,
    );
    for &(id, _, deleted) in &segments {
        if deleted > MAX_DELETED_SHARE && !groups.iter().flatten().any(|g| *g == id) {
            groups.push(vec![id]);
        }
    }
    if groups.is_empty() {
        return Ok(());
    }
    let options = IndexWriterOptions::builder()
        .num_worker_threads(1)
        .memory_budget_per_thread(memory.max(MIN_MEMORY_PER_THREAD))
        .build();
    let mut writer: IndexWriter = open_writer(index, options)?;
    writer.set_merge_policy(Box::new(tantivy::merge_policy::NoMergePolicy));
    for group in &groups {
        writer.merge(group).wait()?;
    }
    writer.wait_merging_threads()?;
    Ok(())
}

/// A writer on `index` whose first operation comes after the last commit.
///
/// tantivy numbers operations from the committed opstamp on, so a new
/// writer's first operation gets the opstamp of the commit before it. A
/// segment whose deletes were applied at that commit then counts as having
/// seen that operation: when a merge of committed segments starts before
/// this writer's first commit (the merge policy starts one as soon as the
/// first new segment is written), it skips a delete with that opstamp for
/// that segment, and the merged segment goes on from where another one
/// stood. The paragraphs that delete was for survive next to their new
/// version. A killed run left just such a state (small committed segments
/// and a commit that applied deletes), and the file changed first after it
/// ended up in the index twice. An empty batch spends that one opstamp.
fn open_writer<D: tantivy::Document>(
    index: &Index,
    options: IndexWriterOptions,
) -> tantivy::Result<IndexWriter<D>> {
    let writer = writer_once_free(index, options)?;
    // Files a killed run wrote after its last commit are not part of the
    // index, but their names are those this run would write next: a kill
    // between writing a segment's deletes (`<segment>.<opstamp>.del`) and
    // the commit made every later commit fail on that file. They go first.
    writer.garbage_collect_files().wait()?;
    writer.run(Vec::new())?;
    Ok(writer)
}

/// How long a writer waits for tantivy's lock on a generation.
const WRITER_LOCK_WAIT: Duration = Duration::from_secs(2);

/// A tantivy writer on `index`, waiting up to [`WRITER_LOCK_WAIT`] while
/// tantivy's own lock on the folder is busy ([`while_busy`]). A run holds
/// the index's build lock ([`IndexDir`]), so no other fundstelle run can
/// hold tantivy's; but a run right after another in the same process (a
/// library user, the tests) could find the lock of the writer just dropped
/// still held for a moment.
fn writer_once_free<D: tantivy::Document>(
    index: &Index,
    options: IndexWriterOptions,
) -> tantivy::Result<IndexWriter<D>> {
    while_busy(
        WRITER_LOCK_WAIT,
        |e| {
            matches!(
                e,
                tantivy::TantivyError::LockFailure(
                    tantivy::directory::error::LockError::LockBusy,
                    _
                )
            )
        },
        || index.writer_with_options(options.clone()),
    )
}

/// The error that stopped tantivy's indexing threads (a full disk, …):
/// `add_document` only says that they stopped; joining them, as a commit
/// does, gives the cause.
fn writer_error(writer: &mut IndexWriter<Tracked>, err: tantivy::TantivyError) -> anyhow::Error {
    match writer.prepare_commit() {
        Err(cause) => cause.into(),
        Ok(prepared) => {
            let _ = prepared.abort();
            err.into()
        }
    }
}

/// Commits everything added and deleted so far, with the state as payload
/// (`before`: the paragraphs the index held when the run started).
fn commit(
    writer: &mut IndexWriter<Tracked>,
    state: &mut CommitState,
    before: u64,
    paragraphs: u64,
    files: usize,
) -> Result<()> {
    state.merge_pending |= owes_full_merge(before, paragraphs);
    state.paragraphs = paragraphs;
    state.files = files as u64;
    state.committed_at = now();
    let mut prepared = writer.prepare_commit().context("cannot commit the index")?;
    prepared.set_payload(&serde_json::to_string(state)?);
    prepared.commit().context("cannot commit the index")?;
    Ok(())
}

/// The key of a file in the index: its path as given, as text (bytes of a
/// file name that are not UTF-8 as `\xNN`, as it is shown; borrowed when it
/// is UTF-8).
fn path_key(path: &Path) -> Cow<'_, str> {
    ingest::files::shown(path)
}

/// The tantivy documents (one per paragraph) of an article. `file`, the
/// file's content hash and stat key, goes on the first paragraph of the
/// file's first article.
fn documents(
    f: &Fields,
    article: &Article,
    path: &str,
    file: Option<(u64, u64)>,
) -> Vec<TantivyDocument> {
    let mut documents = Vec::with_capacity(article.paragraphs.len());
    let mut section_start = 0;
    for (i, p) in article.paragraphs.iter().enumerate() {
        let mut d = TantivyDocument::new();
        d.add_text(f.doc, &article.doc);
        d.add_text(f.path, path);
        if i == 0 {
            d.add_text(f.start, super::schema::ARTICLE_START);
            if let Some((hash, stat)) = file {
                d.add_u64(f.file_hash, hash);
                if stat != 0 {
                    d.add_u64(f.file_stat, stat);
                }
            }
            d.add_text(
                f.text_reversed,
                distinct_words(article.paragraphs.iter().map(|p| p.text.as_str())),
            );
            if let Some(title) = &article.title {
                d.add_text(f.title, title);
                d.add_text(f.title_exact, title);
            }
        }
        if let Some(title) = &article.title {
            d.add_text(f.title_shown, title);
        }
        if let Some(date) = &article.date {
            d.add_text(f.date, date);
        }
        d.add_text(f.lang, &p.lang);
        d.add_text(f.article_lang, &article.lang);
        d.add_text(f.kind, p.kind.as_str());
        d.add_u64(f.para, u64::from(p.para));
        d.add_u64(f.line, u64::from(p.line));
        if let Some(heading) = p.heading.as_deref() {
            let previous = i.checked_sub(1).map(|j| &article.paragraphs[j].heading);
            if previous.is_none_or(|h| h.as_deref() != Some(heading)) {
                section_start = i;
                d.add_text(f.heading, heading);
                d.add_text(f.heading_exact, heading);
            }
            d.add_u64(f.section_offset, (i - section_start) as u64);
            d.add_text(f.heading_shown, heading);
        }
        d.add_text(f.text, &p.text);
        d.add_text(f.text_exact, &p.text);
        for agency in &p.agency {
            d.add_text(f.agency, agency);
        }
        if !article.agency.is_empty() {
            d.add_text(f.article_agency, article.agency.join(","));
        }
        d.add_f64(f.lang_confidence, p.lang_confidence);
        for (field, value) in [
            (f.comment_author, &p.comment_author),
            (f.comment_date, &p.comment_date),
            (f.url, &article.url),
            (f.source, &article.source),
            (f.author, &article.author),
        ] {
            if let Some(value) = value {
                d.add_text(field, value);
            }
        }
        documents.push(d);
    }
    documents
}

/// How many paragraphs may wait for tantivy's indexing threads. tantivy's
/// queue holds 10,000 operations, and an article is one operation (a
/// batch), so without this bound a fast ingest queued tens of thousands of
/// articles: peak memory grew past 400 MB.
const MAX_IN_FLIGHT: usize = 5_000;

/// Every distinct whitespace-separated word of an article's paragraphs
/// that could be a compound, once each: what the reversed-stem field needs
/// (its terms, not where they occur), at a fraction of the analysis work of
/// the whole text. A compound has two parts of at least
/// [`compound::MIN_PART_CHARS`] letters, so shorter words are left out
/// (with one letter to spare: stemming turns `ß` into `ss`).
fn distinct_words<'a>(paragraphs: impl Iterator<Item = &'a str>) -> String {
    let shortest = 2 * compound::MIN_PART_CHARS - 1;
    let mut seen: rustc_hash::FxHashSet<&str> = rustc_hash::FxHashSet::default();
    let mut words = String::new();
    for text in paragraphs {
        for word in text.split_whitespace() {
            // Punctuation around a word is not part of its tokens: "Datei,"
            // and "(Datei" are the word "Datei", once, and its length is
            // that of its letters.
            let word = word.trim_matches(|c: char| !analysis::is_word_char(c));
            if word.chars().count() >= shortest && seen.insert(word) {
                words.push_str(word);
                words.push('\n');
            }
        }
    }
    words
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    /// Each word once, without the punctuation around it, and only words
    /// long enough to hold two compound parts (five letters: see
    /// [`compound::MIN_PART_CHARS`]).
    #[test]
    fn distinct_words_are_the_words_without_their_punctuation() {
        let paragraphs = [
            "Die Datei, die (Datei) und „Datei“ – Haus. Hausbau!",
            "Lehrer*innen: E-Mail-Adresse; Datei... Fuß",
        ];
        let words = distinct_words(paragraphs.into_iter());
        let got: Vec<&str> = words.lines().collect();
        assert_eq!(
            got,
            ["Datei", "Hausbau", "Lehrer*innen", "E-Mail-Adresse"],
            "{words:?}"
        );
    }

    /// A delete that is the first operation of a writer must reach the
    /// paragraphs it is for, also through a merge of committed segments
    /// started before the writer's first commit (tantivy's own writer loses
    /// it there: see [`open_writer`]).
    #[test]
    fn a_writers_first_delete_survives_a_merge_before_its_first_commit() {
        use tantivy::collector::Count;
        use tantivy::query::TermQuery;
        use tantivy::schema::{IndexRecordOption, STRING, Schema};

        let mut builder = Schema::builder();
        let path = builder.add_text_field("path", STRING);
        let index = Index::create_in_ram(builder.build());
        let options = || {
            IndexWriterOptions::builder()
                .num_worker_threads(1)
                .memory_budget_per_thread(MIN_MEMORY_PER_THREAD)
                .build()
        };
        let term = |p: &str| Term::from_field_text(path, p);
        let doc = |p: &str| {
            let mut d = TantivyDocument::new();
            d.add_text(path, p);
            d
        };
        let mut writer: IndexWriter = open_writer(&index, options()).unwrap();
        writer.set_merge_policy(Box::new(tantivy::merge_policy::NoMergePolicy));
        writer.add_document(doc("a")).unwrap();
        writer.add_document(doc("gone")).unwrap();
        writer.commit().unwrap();
        writer.add_document(doc("b")).unwrap();
        writer.commit().unwrap();
        // The last commit applies a delete to the first segment only.
        writer.delete_term(term("gone"));
        writer.commit().unwrap();
        drop(writer);
        let metas = index.load_metas().unwrap();
        let with_deletes: Vec<SegmentId> = metas
            .segments
            .iter()
            .filter(|s| s.delete_opstamp() == Some(metas.opstamp))
            .map(|s| s.id())
            .collect();
        let without: Vec<SegmentId> = metas
            .segments
            .iter()
            .filter(|s| s.delete_opstamp().is_none())
            .map(|s| s.id())
            .collect();
        assert_eq!((with_deletes.len(), without.len()), (1, 1), "{metas:?}");

        let mut writer: IndexWriter = open_writer(&index, options()).unwrap();
        writer.set_merge_policy(Box::new(tantivy::merge_policy::NoMergePolicy));
        let first = writer.delete_term(term("a"));
        assert!(first > metas.opstamp, "{first} after {}", metas.opstamp);
        // The segment without deletes first: the merged one goes on from
        // where its delete cursor stands.
        writer.merge(&[without[0], with_deletes[0]]).wait().unwrap();
        writer.commit().unwrap();
        drop(writer);
        let searcher = index.reader().unwrap().searcher();
        let count = |p: &str| {
            searcher
                .search(&TermQuery::new(term(p), IndexRecordOption::Basic), &Count)
                .unwrap()
        };
        assert_eq!((count("a"), count("gone"), count("b")), (0, 0, 1));
        assert_eq!(searcher.segment_readers().len(), 1);
    }

    #[test]
    fn merges_are_capped_and_keep_every_segment_once() {
        let sizes = [
            500_000, 300_000, 300_000, 200_000, 10_000, 10_000, 790_000, 900_000,
        ];
        let segments: Vec<(SegmentId, u32)> = sizes
            .iter()
            .map(|&n| (SegmentId::generate_random(), n))
            .collect();
        let size_of = |id: &SegmentId| segments.iter().find(|(s, _)| s == id).map(|(_, n)| *n);
        let groups = capped_groups(segments.clone(), MAX_MERGED_PARAGRAPHS);
        let mut seen = HashSet::new();
        for group in &groups {
            assert!(group.len() > 1, "a merge of one segment");
            let total: u32 = group.iter().filter_map(size_of).sum();
            assert!(total as usize <= MAX_MERGED_PARAGRAPHS, "{total}");
            for id in group {
                assert!(seen.insert(*id), "a segment in two merges");
            }
        }
        // The small ones are merged: 10k + 10k + 200k + 300k (520k), then
        // 300k + 500k (800k); 790k and 900k stay alone.
        assert_eq!(groups.len(), 2);
        assert_eq!(seen.len(), 6);
    }

    /// A merge short of room is done when the smaller cap made no
    /// difference (an index that fits one such segment), and owed again
    /// otherwise.
    #[test]
    fn a_merge_short_of_room_stays_owed_where_the_cap_mattered() {
        assert!(merged_as_with_room(MAX_COMPACTED_PARAGRAPHS, 10_000_000));
        assert!(merged_as_with_room(MAX_MERGED_PARAGRAPHS, 9_600));
        assert!(merged_as_with_room(
            MAX_MERGED_PARAGRAPHS,
            MAX_MERGED_PARAGRAPHS as u64
        ));
        assert!(!merged_as_with_room(
            MAX_MERGED_PARAGRAPHS,
            MAX_MERGED_PARAGRAPHS as u64 + 1
        ));
    }

    #[test]
    fn the_last_merge_joins_the_whole_index_only_with_room_for_a_copy() {
        let mb = 1_000_000;
        assert_eq!(
            cap_for_room(100 * mb, Some(500 * mb)),
            MAX_COMPACTED_PARAGRAPHS
        );
        assert_eq!(
            cap_for_room(100 * mb, Some(111 * mb)),
            MAX_COMPACTED_PARAGRAPHS
        );
        assert_eq!(
            cap_for_room(100 * mb, Some(109 * mb)),
            MAX_MERGED_PARAGRAPHS
        );
        assert_eq!(cap_for_room(100 * mb, Some(0)), MAX_MERGED_PARAGRAPHS);
        assert_eq!(cap_for_room(100 * mb, None), MAX_COMPACTED_PARAGRAPHS);
        assert_eq!(
            cap_for_room(u64::MAX, Some(u64::MAX)),
            MAX_COMPACTED_PARAGRAPHS
        );
    }

    #[test]
    fn the_last_merge_of_a_build_joins_segments_the_policy_keeps_apart() {
        // The three segments the policy left of the benchmark corpus: no
        // two fit a merge during the build, all three fit the last one.
        let sizes = [736_079, 726_340, 670_325];
        let segments: Vec<(SegmentId, u32)> = sizes
            .iter()
            .map(|&n| (SegmentId::generate_random(), n))
            .collect();
        assert!(capped_groups(segments.clone(), MAX_MERGED_PARAGRAPHS).is_empty());
        let groups = capped_groups(segments.clone(), MAX_COMPACTED_PARAGRAPHS);
        assert_eq!(groups.len(), 1);
        assert_eq!(groups[0].len(), 3);
        // Twice as many are more than one last merge may make: two merges
        // (four of the six, smallest first, then two), none past the cap.
        let twice: Vec<(SegmentId, u32)> = sizes
            .iter()
            .chain(&sizes)
            .map(|&n| (SegmentId::generate_random(), n))
            .collect();
        let groups = capped_groups(twice.clone(), MAX_COMPACTED_PARAGRAPHS);
        assert_eq!(groups.len(), 2);
        for group in groups {
            let total: usize = group
                .iter()
                .filter_map(|id| twice.iter().find(|(s, _)| s == id))
                .map(|(_, n)| *n as usize)
                .sum();
            assert!(total <= MAX_COMPACTED_PARAGRAPHS, "{total}");
        }
    }
}
