//! Building an index generation from article files.

use std::collections::HashSet;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use tantivy::{Index, IndexWriter, TantivyDocument};

use super::{Fields, IndexDir, IndexMeta, META_FILE, SCHEMA_VERSION, schema};
use crate::analysis;
use crate::ingest::{self, Article, FileList, Rules};

/// Memory budget of tantivy's writer, shared by its threads.
const WRITER_MEMORY: usize = 128 * 1024 * 1024;

/// A file that was not indexed, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SkippedFile {
    pub path: PathBuf,
    pub reason: String,
}

/// What a build did.
#[derive(Debug, Default)]
pub struct BuildReport {
    /// Article files found.
    pub files: usize,
    pub articles: u64,
    pub paragraphs: u64,
    /// Files with other extensions, passed over.
    pub other_extensions: usize,
    /// Files that could not be read or decoded.
    pub skipped: Vec<SkippedFile>,
    /// Files without any text: not an error, only reported.
    pub empty: Vec<PathBuf>,
    /// Parts of files that were skipped (a malformed JSON line): `(path,
    /// line, reason)`.
    pub problems: Vec<(PathBuf, usize, String)>,
    pub elapsed: Duration,
}

impl IndexDir {
    /// Builds a fresh index from `files` and makes it the one in use.
    ///
    /// `sources` are the paths as the user gave them, recorded in the index.
    /// `on_article` is called after each file, for progress reporting.
    pub fn build(
        &self,
        files: &FileList,
        sources: &[PathBuf],
        rules: &Rules,
        on_article: &mut dyn FnMut(&Article),
    ) -> Result<BuildReport> {
        let started = Instant::now();
        let _lock = self.lock()?;
        let generation = self.new_generation()?;
        let result = write_generation(&generation, files, sources, rules, on_article);
        match result {
            Ok(mut report) => {
                self.publish(&generation)?;
                self.remove_stale_generations(&generation);
                report.elapsed = started.elapsed();
                Ok(report)
            }
            Err(err) => {
                let _ = std::fs::remove_dir_all(&generation);
                Err(err)
            }
        }
    }
}

fn write_generation(
    dir: &std::path::Path,
    files: &FileList,
    sources: &[PathBuf],
    rules: &Rules,
    on_article: &mut dyn FnMut(&Article),
) -> Result<BuildReport> {
    let index = Index::create_in_dir(dir, schema::schema())
        .with_context(|| format!("cannot create an index in {}", dir.display()))?;
    analysis::register(index.tokenizers());
    let fields = Fields::new(&index.schema())?;
    let mut writer: IndexWriter = index
        .writer(WRITER_MEMORY)
        .context("cannot start the index writer")?;

    let mut report = BuildReport {
        files: files.files.len(),
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
    let mut docs: HashSet<String> = HashSet::new();
    for (doc, path) in &files.files {
        match ingest::read_file(path, doc, rules) {
            Ok(found) => {
                for (line, reason) in found.problems {
                    report.problems.push((path.clone(), line, reason));
                }
                for article in found.articles {
                    if !docs.insert(article.doc.clone()) {
                        let line = article.paragraphs.first().map_or(0, |p| p.line as usize);
                        report.problems.push((
                            path.clone(),
                            line,
                            format!(
                                "article id '{}' is already used by another file; skipped",
                                article.doc
                            ),
                        ));
                        continue;
                    }
                    for document in documents(&fields, &article) {
                        writer.add_document(document)?;
                    }
                    report.articles += 1;
                    report.paragraphs += article.paragraphs.len() as u64;
                    on_article(&article);
                }
            }
            Err(ingest::SkipReason::Empty) => report.empty.push(path.clone()),
            Err(reason) => report.skipped.push(SkippedFile {
                path: path.clone(),
                reason: reason.to_string(),
            }),
        }
    }
    writer.commit().context("cannot commit the index")?;
    writer
        .wait_merging_threads()
        .context("cannot finish merging the index")?;

    let meta = IndexMeta {
        schema_version: SCHEMA_VERSION,
        fundstelle_version: env!("CARGO_PKG_VERSION").to_string(),
        built_at: std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_secs())
            .unwrap_or(0),
        sources: sources.iter().map(|p| p.display().to_string()).collect(),
        articles: report.articles,
        paragraphs: report.paragraphs,
    };
    let meta_path = dir.join(META_FILE);
    let file = std::fs::File::create(&meta_path)
        .with_context(|| format!("cannot write {}", meta_path.display()))?;
    serde_json::to_writer_pretty(&file, &meta)?;
    file.sync_all()?;
    Ok(report)
}

/// The tantivy documents (one per paragraph) of an article.
fn documents<'a>(
    f: &'a Fields,
    article: &'a Article,
) -> impl Iterator<Item = TantivyDocument> + 'a {
    let path = article.path.display().to_string();
    article.paragraphs.iter().map(move |p| {
        let mut d = TantivyDocument::new();
        d.add_text(f.doc, &article.doc);
        d.add_text(f.path, &path);
        if let Some(title) = &article.title {
            d.add_text(f.title, title);
            d.add_text(f.title_exact, title);
        }
        if let Some(date) = &article.date {
            d.add_text(f.date, date);
        }
        d.add_text(f.lang, &p.lang);
        d.add_text(f.article_lang, &article.lang);
        d.add_text(f.kind, p.kind.as_str());
        d.add_u64(f.para, u64::from(p.para));
        d.add_u64(f.line, u64::from(p.line));
        if let Some(heading) = &p.heading {
            d.add_text(f.heading, heading);
            d.add_text(f.heading_exact, heading);
        }
        d.add_text(f.text, &p.text);
        d.add_text(f.text_exact, &p.text);
        d.add_text(f.text_reversed, &p.text);
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
        d
    })
}
