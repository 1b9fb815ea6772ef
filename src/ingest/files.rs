//! Which files to read: the given files, and folders walked recursively in
//! sorted order so that ids and results are the same on every run.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use walkdir::WalkDir;

/// A file that was looked at but will not be read, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IgnoredFile {
    pub path: PathBuf,
    pub reason: String,
}

/// The files to index, each with its article id, plus what was passed over.
#[derive(Debug, Default)]
pub struct FileList {
    /// `(doc id, path)`, sorted by path.
    pub files: Vec<(String, PathBuf)>,
    /// Files with another extension: not an error, only counted.
    pub other_extensions: usize,
    /// Paths that could not be walked (permissions, symlink loops, …).
    pub unreadable: Vec<IgnoredFile>,
}

/// The extensions read as articles (see `formats`).
pub const ARTICLE_EXTENSIONS: &[&str] = &["txt", "jsonl", "ndjson", "html", "htm"];

fn is_article_file(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| ARTICLE_EXTENSIONS.iter().any(|t| t.eq_ignore_ascii_case(e)))
}

/// Collects the article files under `roots`.
///
/// Two files with the same stem would get the same article id; that is an
/// error naming both, because silently dropping one would lose an article.
pub fn collect_files(roots: &[PathBuf]) -> Result<FileList> {
    let mut list = FileList::default();
    let mut found = Vec::new();
    for root in roots {
        if !root.exists() {
            bail!("{}: no such file or folder", root.display());
        }
        let walker = WalkDir::new(root).follow_links(true).sort_by_file_name();
        for entry in walker {
            match entry {
                Ok(entry) if entry.file_type().is_file() => {
                    if is_article_file(entry.path()) {
                        found.push(entry.into_path());
                    } else {
                        list.other_extensions += 1;
                    }
                }
                Ok(_) => {}
                Err(err) => {
                    let path = err
                        .path()
                        .map(Path::to_path_buf)
                        .unwrap_or_else(|| root.clone());
                    let reason = if err.loop_ancestor().is_some() {
                        "symbolic link loop".to_string()
                    } else {
                        err.io_error()
                            .map(|e| e.to_string())
                            .unwrap_or_else(|| err.to_string())
                    };
                    list.unreadable.push(IgnoredFile { path, reason });
                }
            }
        }
    }
    found.sort();
    found.dedup();
    let mut by_doc: BTreeMap<String, PathBuf> = BTreeMap::new();
    for path in found {
        let doc = doc_id(&path)?;
        if let Some(first) = by_doc.get(&doc) {
            bail!(
                "two files have the same article id '{doc}': {} and {}; rename one of them",
                first.display(),
                path.display()
            );
        }
        by_doc.insert(doc.clone(), path.clone());
        list.files.push((doc, path));
    }
    Ok(list)
}

/// The article id of a file: its stem.
pub fn doc_id(path: &Path) -> Result<String> {
    let stem = path
        .file_stem()
        .with_context(|| format!("{}: file has no name", path.display()))?;
    Ok(stem.to_string_lossy().into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn walks_folders_sorted_and_counts_other_files() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("b")).unwrap();
        std::fs::write(dir.path().join("b/z.txt"), "z").unwrap();
        std::fs::write(dir.path().join("a.TXT"), "a").unwrap();
        std::fs::write(dir.path().join("notes.md"), "x").unwrap();
        let list = collect_files(&[dir.path().to_path_buf()]).unwrap();
        let docs: Vec<&str> = list.files.iter().map(|(d, _)| d.as_str()).collect();
        assert_eq!(docs, ["a", "z"]);
        assert_eq!(list.other_extensions, 1);
    }

    #[test]
    fn same_stem_twice_is_an_error_naming_both() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("x")).unwrap();
        std::fs::write(dir.path().join("art.txt"), "a").unwrap();
        std::fs::write(dir.path().join("x/art.txt"), "b").unwrap();
        let err = collect_files(&[dir.path().to_path_buf()])
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("art.txt") && err.contains("x/art.txt"),
            "{err}"
        );
    }

    #[test]
    fn missing_root_is_an_error() {
        let err = collect_files(&[PathBuf::from("/nonexistent/fundstelle")]).unwrap_err();
        assert!(err.to_string().contains("/nonexistent/fundstelle"));
    }
}
