//! `fundstelle index [PATH]...`

use std::path::PathBuf;

use anyhow::{Context, Result};
use clap::Args;

use fundstelle::index::{BuildEvent, BuildOptions, BuildReport, IndexDir};
use fundstelle::ingest::files::shown;
use fundstelle::ingest::{Rules, collect_files};
use fundstelle::output::plural;

use super::{DEFAULT_CORPUS, DEFAULT_INDEX, Exit, Global};

/// Build or update the index from article files
#[derive(Debug, Args)]
#[command(after_help = "\
Reads .txt, .jsonl/.ndjson and .html/.htm files; folders are read
recursively in sorted order.

On an existing index only new and changed files are read (a file is changed
when its content hash differs); the paragraphs of files that are no longer
among PATHs are removed. Without PATHs, the index is updated from the
paths it was built from (read in the folder it was built in) with the
rules it was built with. --rebuild builds a new index from scratch, which
replaces the old one only once it is complete.

The index is committed every --commit-every MB of new input: a killed or
failed run keeps everything up to the last commit, and the next run carries
on from there. Searches during a run see the last commit. On a terminal a
progress bar shows the rate and the time left; --verbose reports commits.

Examples:
  fundstelle index                      update index/ from what it was built
                                        from (a new one from seeds/)
  fundstelle index ~/artikel/ mehr.txt  folders and files
  fundstelle index --rebuild ~/artikel/ start from scratch
  fundstelle --index /tmp/idx index ~/artikel/

Exit status: 0 all files indexed, 2 error or some files skipped.")]
pub struct IndexArgs {
    /// Files or folders to index [default: those the index was built from;
    /// seeds for a new index]
    #[arg(value_name = "PATH")]
    paths: Vec<PathBuf>,

    /// Segmentation rules of your own (TOML, same format as the built-in
    /// src/ingest/rules.toml), tried before the built-in ones
    #[arg(long, value_name = "FILE", env = "FUNDSTELLE_RULES")]
    rules: Option<PathBuf>,

    /// Build a new index from scratch instead of updating the current one
    #[arg(long)]
    rebuild: bool,

    /// Memory budget of the index writer in MB (at least 15; each indexing
    /// thread needs 15)
    #[arg(long, value_name = "MB", default_value_t = 64,
          value_parser = clap::value_parser!(u64).range(15..=4000))]
    memory: u64,

    /// Commit after this many MB of new or changed input
    #[arg(long, value_name = "MB", default_value_t = 64.0)]
    commit_every: f64,

    /// Threads reading and analysing files [default: number of cores]
    #[arg(long, short = 'j', value_name = "N",
          value_parser = clap::value_parser!(u64).range(1..=256))]
    threads: Option<u64>,
}

impl IndexArgs {
    fn options(&self) -> Result<BuildOptions> {
        if !(self.commit_every > 0.0 && self.commit_every.is_finite()) {
            anyhow::bail!("--commit-every must be a positive number of MB");
        }
        let mut options = BuildOptions {
            rebuild: self.rebuild,
            memory: self.memory as usize * 1024 * 1024,
            commit_every: (self.commit_every * 1024.0 * 1024.0) as u64,
            ..BuildOptions::default()
        };
        if let Some(threads) = self.threads {
            options.threads = threads as usize;
        }
        Ok(options)
    }
}

pub fn run(global: &Global, args: IndexArgs) -> Result<Exit> {
    return_freed_blocks();
    let mut dir = IndexDir::new(
        global
            .index
            .clone()
            .unwrap_or_else(|| PathBuf::from(DEFAULT_INDEX)),
    );
    let mut options = args.options()?;
    // Compiled first: a relative rules path is the user's, from here.
    let mut rules = args
        .rules
        .as_deref()
        .map(Rules::with_user_file)
        .transpose()?;
    let paths = if args.paths.is_empty() {
        recorded_paths(global, &mut dir, &mut options, &mut rules)?
    } else {
        args.paths.clone()
    };
    let rules = rules.unwrap_or_else(Rules::built_in);
    let paths = if options.rebuild || args.paths.is_empty() {
        paths
    } else {
        let spelt = dir.as_recorded(&paths);
        for (given, recorded) in paths.iter().zip(&spelt) {
            if given != recorded {
                global.note(format_args!(
                    "indexing {} as {}, the way this index was built from it (files are known by their paths as given)",
                    given.display(),
                    recorded.display()
                ));
            }
        }
        spelt
    };
    let report = build(&dir, &paths, &rules, &options, global)?;
    print_report(&dir, &report, global);
    Ok(if report.skipped.is_empty() && report.problems.is_empty() {
        Exit::Found
    } else {
        Exit::Error
    })
}

/// What `index` without PATHs reads: what the index was built from, in the
/// folder that holds it (changed into, with `dir` made absolute first), and
/// with its rules unless `--rules` was given; the seeds for a new index.
fn recorded_paths(
    global: &Global,
    dir: &mut IndexDir,
    options: &mut BuildOptions,
    rules: &mut Option<Rules>,
) -> Result<Vec<PathBuf>> {
    let Some(recorded) = dir.recorded() else {
        // What is there cannot say what it was built from: the seeds must
        // not take the place of an archive.
        if dir.has_index_files() {
            anyhow::bail!(
                "cannot read what the index at {} was built from; name the files or folders \
                 to index (fundstelle index PATH...)",
                dir.root().display()
            );
        }
        return Ok(vec![PathBuf::from(DEFAULT_CORPUS)]);
    };
    let sources = recorded.shown_sources();
    if let Some(folder) = recorded.folder(dir.root(), &dir.sample_paths(SAMPLED_FILES))? {
        // The same index from the other folder: as the system finds it
        // (`..` after a symbolic link is the real parent).
        let root = std::fs::canonicalize(dir.root())
            .with_context(|| format!("cannot resolve {}", dir.root().display()))?;
        *dir = IndexDir::new(root);
        std::env::set_current_dir(&folder)
            .with_context(|| format!("cannot enter {}", folder.display()))?;
        options.workdir = Some(folder.clone());
        global.note(format_args!(
            "reading {sources} in {}, the folder that holds {} and the files this index has",
            folder.display(),
            if recorded.sources.len() == 1 {
                "it"
            } else {
                "them"
            }
        ));
    } else if recorded.sources != [PathBuf::from(DEFAULT_CORPUS)] {
        global.note(format_args!(
            "reading {sources}, what this index was built from"
        ));
    }
    // After the change of folder: a rule file inside it is recorded
    // relative to it.
    if rules.is_none()
        && let Some(file) = &recorded.rules_file
    {
        *rules = Some(Rules::with_user_file(file).with_context(|| {
            format!(
                "this index was built with the rules in {}; give --rules FILE",
                file.display()
            )
        })?);
        global.note(format_args!(
            "with the rules in {}, as this index was built",
            file.display()
        ));
    }
    Ok(recorded.sources)
}

/// How many of each segment's files are looked for to tell that a folder
/// is the one the index was built from.
const SAMPLED_FILES: usize = 16;

/// Allocations from this size up are mapped on their own while indexing
/// (see [`return_freed_blocks`]).
#[cfg(all(target_os = "linux", target_env = "gnu"))]
const MMAP_THRESHOLD: libc::c_int = 256 * 1024;

/// Makes glibc map blocks from [`MMAP_THRESHOLD`] up on their own, so that
/// they go back to the system when freed. Its default threshold rises to
/// the size of any such block that is freed, so tantivy's 1 MB arena pages
/// (a writer budget's worth per segment) and the large buffers of flushes
/// and merges were then taken from the heap, where freed memory stays
/// resident: a full build of 715 MB of text peaked at 304 MB instead of 222
/// MB (BENCHMARKS.md). Searches keep the default, which reuses their large
/// buffers.
fn return_freed_blocks() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only changes allocator settings; it is called before
    // the run starts any thread.
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, MMAP_THRESHOLD);
    }
}

/// Collects the files under `paths` and brings the index up to date, with a
/// progress bar on a terminal.
pub fn build(
    dir: &IndexDir,
    paths: &[PathBuf],
    rules: &Rules,
    options: &BuildOptions,
    global: &Global,
) -> Result<BuildReport> {
    let files = collect_files(paths)?;
    let bar = global.progress(files.len() as u64, "indexing");
    let report = dir.build(&files, paths, rules, options, &mut |event| {
        if let BuildEvent::File { done, .. } = event {
            bar.set_position(done as u64);
        } else {
            bar.suspend(|| report_event(&event, global.verbose));
        }
    });
    bar.finish_and_clear();
    report
}

fn report_event(event: &BuildEvent, verbose: bool) {
    match event {
        BuildEvent::Rebuilding { reason } => {
            eprintln!("fundstelle: rebuilding the index: {reason}")
        }
        BuildEvent::Committing { done, files } if verbose => {
            eprintln!("fundstelle: committing ({done} of {files} files)")
        }
        BuildEvent::Committed { done, files } if verbose => {
            eprintln!("fundstelle: committed ({done} of {files} files)")
        }
        BuildEvent::Changed { path, change } if verbose => {
            eprintln!("fundstelle: {} {path}", change.as_str())
        }
        _ => {}
    }
}

/// How many empty files a run names without `--verbose`.
const MAX_EMPTY_SHOWN: usize = 10;

fn print_report(dir: &IndexDir, report: &BuildReport, global: &Global) {
    for (path, line, what) in &report.warnings {
        eprintln!("fundstelle: {}:{line}: warning: {what}", shown(path));
    }
    for (path, line, reason) in &report.problems {
        eprintln!("fundstelle: {}:{line}: {reason}", shown(path));
    }
    for skipped in &report.skipped {
        eprintln!(
            "fundstelle: skipped {}: {}",
            shown(&skipped.path),
            skipped.reason
        );
    }
    if let Some(err) = &report.merge_failed {
        eprintln!(
            "fundstelle: warning: the index is saved, but merging its segments failed ({err}); \
             searches work, a little slower, and the next `fundstelle index` tries the merge again \
             (with more room on the disk, it merges as far as without the failure)"
        );
    }
    if global.quiet {
        return;
    }
    if report.merge_short_of_room {
        eprintln!(
            "fundstelle: note: the disk has no room for a copy of the index, which merging it into \
             as few segments as possible needs; its segments stay smaller (searches are a little \
             slower), and the next `fundstelle index` with room merges them"
        );
    }
    println!(
        "indexed {} ({}) from {} into {} in {:.2} s",
        plural(report.articles, "article", "articles"),
        plural(report.paragraphs, "paragraph", "paragraphs"),
        plural(report.files as u64, "file", "files"),
        dir.root().display(),
        report.elapsed.as_secs_f64()
    );
    println!(
        "files: {} added, {} updated, {} removed, {} unchanged{}",
        report.added,
        report.updated,
        report.removed,
        report.unchanged,
        if report.rebuilt { " (new index)" } else { "" }
    );
    if global.verbose && report.unchanged > 0 {
        eprintln!(
            "fundstelle: {} of the unchanged files not read again (same size, times and inode)",
            report.not_read
        );
        match report.stamps_learnt {
            0 => {}
            1 => eprintln!(
                "fundstelle: 1 unchanged file was read because its stamps changed; \
                 its new stamps are kept, so the next run does not read it"
            ),
            n => eprintln!(
                "fundstelle: {n} unchanged files were read because their stamps changed; \
                 their new stamps are kept, so the next run does not read them"
            ),
        }
    }
    if !report.empty.is_empty() {
        // Named on stderr, the first few unless --verbose.
        let shown_empty = if global.verbose {
            report.empty.len()
        } else {
            report.empty.len().min(MAX_EMPTY_SHOWN)
        };
        for path in &report.empty[..shown_empty] {
            eprintln!("fundstelle: {}: empty (no text), passed over", shown(path));
        }
        if shown_empty < report.empty.len() {
            eprintln!(
                "fundstelle: … and {} more (--verbose names them all)",
                plural(
                    (report.empty.len() - shown_empty) as u64,
                    "empty file",
                    "empty files"
                )
            );
        }
        println!(
            "{} (no text) passed over",
            plural(report.empty.len() as u64, "empty file", "empty files")
        );
    }
    if !report.problems.is_empty() {
        println!(
            "{} skipped because of errors (see above)",
            plural(report.problems.len() as u64, "record", "records")
        );
    }
    if !report.skipped.is_empty() {
        println!(
            "{} skipped because of errors (see above)",
            plural(report.skipped.len() as u64, "file", "files")
        );
    }
    if report.other_extensions > 0 {
        println!(
            "{} ignored",
            plural(
                report.other_extensions as u64,
                "file with another extension",
                "files with other extensions"
            )
        );
    }
}
