//! `fundstelle index [PATH]...`

use std::path::PathBuf;

use anyhow::Result;
use clap::Args;

use fundstelle::index::{BuildReport, IndexDir};
use fundstelle::ingest::{Rules, collect_files};

use super::{DEFAULT_CORPUS, DEFAULT_INDEX, Exit, Global};

/// Build the index from article files (replaces an existing index)
#[derive(Debug, Args)]
#[command(after_help = "\
Reads .txt, .jsonl/.ndjson and .html/.htm files; folders are read
recursively in sorted order. The new index
replaces the old one only once it is complete: a failed or interrupted run
leaves the previous index in place. On a terminal a progress bar shows the
rate and the time left.

Examples:
  fundstelle index                      index seeds/ into index/
  fundstelle index ~/artikel/ mehr.txt  folders and files
  fundstelle --index /tmp/idx index ~/artikel/

Exit status: 0 all files indexed, 2 error or some files skipped.")]
pub struct IndexArgs {
    /// Files or folders to index [default: seeds]
    #[arg(value_name = "PATH")]
    paths: Vec<PathBuf>,

    /// Segmentation rules of your own (TOML, same format as the built-in
    /// src/ingest/rules.toml), tried before the built-in ones
    #[arg(long, value_name = "FILE", env = "FUNDSTELLE_RULES")]
    rules: Option<PathBuf>,
}

pub fn run(global: &Global, args: IndexArgs) -> Result<Exit> {
    let dir = IndexDir::new(
        global
            .index
            .clone()
            .unwrap_or_else(|| PathBuf::from(DEFAULT_INDEX)),
    );
    let paths = if args.paths.is_empty() {
        vec![PathBuf::from(DEFAULT_CORPUS)]
    } else {
        args.paths
    };
    let rules = match &args.rules {
        Some(file) => Rules::with_user_file(file)?,
        None => Rules::built_in(),
    };
    let report = build(&dir, &paths, &rules, global)?;
    print_report(&dir, &report, global);
    Ok(if report.skipped.is_empty() && report.problems.is_empty() {
        Exit::Found
    } else {
        Exit::Error
    })
}

/// Collects the files under `paths` and builds the index from them, with a
/// progress bar on a terminal.
pub fn build(
    dir: &IndexDir,
    paths: &[PathBuf],
    rules: &Rules,
    global: &Global,
) -> Result<BuildReport> {
    let files = collect_files(paths)?;
    let bar = global.progress(files.files.len() as u64, "indexing");
    let mut last_path = None;
    let report = dir.build(&files, paths, rules, &mut |article| {
        // A JSON Lines file holds many articles: count files, not articles.
        if last_path.as_ref() != Some(&article.path) {
            bar.inc(1);
            last_path = Some(article.path.clone());
        }
        if global.verbose {
            bar.suspend(|| {
                eprintln!(
                    "fundstelle: indexed {} ({} paragraphs)",
                    article.path.display(),
                    article.paragraphs.len()
                )
            });
        }
    });
    bar.finish_and_clear();
    report
}

fn print_report(dir: &IndexDir, report: &BuildReport, global: &Global) {
    for (path, line, reason) in &report.problems {
        eprintln!("fundstelle: {}:{line}: {reason}", path.display());
    }
    for skipped in &report.skipped {
        eprintln!(
            "fundstelle: skipped {}: {}",
            skipped.path.display(),
            skipped.reason
        );
    }
    if global.quiet {
        return;
    }
    println!(
        "indexed {} articles ({} paragraphs) from {} files into {} in {:.2} s",
        report.articles,
        report.paragraphs,
        report.files,
        dir.root().display(),
        report.elapsed.as_secs_f64()
    );
    if !report.empty.is_empty() {
        println!("{} empty files (no text) passed over", report.empty.len());
    }
    if !report.problems.is_empty() {
        println!(
            "{} records skipped because of errors (see above)",
            report.problems.len()
        );
    }
    if !report.skipped.is_empty() {
        println!(
            "{} files skipped because of errors (see above)",
            report.skipped.len()
        );
    }
    if report.other_extensions > 0 {
        println!(
            "{} files with other extensions ignored",
            report.other_extensions
        );
    }
}
