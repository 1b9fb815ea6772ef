//! The index as its own manifest: which files it holds, in which version,
//! and which article ids each file contributed.
//!
//! Every paragraph carries its file's `path`, and a file's first paragraph
//! its `file_hash` (fast fields), so the manifest is read from the committed index itself. There is no
//! second file that could disagree with the index after a crash: whatever
//! tantivy committed last is, by construction, what the manifest says.

use std::collections::HashMap;

use anyhow::{Context, Result};
use tantivy::Searcher;

use super::schema::name;

/// What the index holds of one file.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct FileEntry {
    /// xxh3-64 of the file's bytes when it was indexed.
    pub hash: u64,
    /// The article ids the file contributed, sorted, each once.
    pub docs: Box<[Box<str>]>,
    /// How many paragraphs it contributed.
    pub paragraphs: u64,
}

/// Every file with paragraphs in the index, sorted by path.
///
/// A sorted list rather than a map: an incremental run holds it for the
/// whole run, and for a large corpus a hash map of `String`s (and a tree
/// set of ids per file) cost several times the bytes of the paths.
#[derive(Debug, Default)]
pub struct Manifest {
    files: Vec<(Box<str>, FileEntry)>,
}

impl Manifest {
    /// The entry of the file stored under `path`, and its position in
    /// [`Manifest::iter`].
    pub fn find(&self, path: &str) -> Option<(usize, &FileEntry)> {
        let i = self.files.binary_search_by(|(p, _)| (**p).cmp(path)).ok()?;
        Some((i, &self.files[i].1))
    }

    pub fn get(&self, path: &str) -> Option<&FileEntry> {
        self.find(path).map(|(_, entry)| entry)
    }

    /// `(path, entry)` in path order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &FileEntry)> {
        self.files.iter().map(|(p, e)| (&**p, e))
    }

    pub fn len(&self) -> usize {
        self.files.len()
    }

    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }

    /// Sorts `parts` (one per file and segment) by path and joins the parts
    /// of the same file: a file's articles may lie in several segments.
    fn from_parts(mut parts: Vec<(Box<str>, PartEntry)>) -> Manifest {
        parts.sort_by(|a, b| a.0.cmp(&b.0));
        let mut files: Vec<(Box<str>, FileEntry)> = Vec::new();
        let mut parts = parts.into_iter().peekable();
        while let Some((path, first)) = parts.next() {
            let mut hash = first.hash;
            let mut docs = first.docs;
            let mut paragraphs = first.paragraphs;
            while let Some((_, more)) = parts.next_if(|(p, _)| *p == path) {
                hash = hash.or(more.hash);
                docs.extend(more.docs);
                paragraphs += more.paragraphs;
            }
            docs.sort();
            docs.dedup();
            files.push((
                path,
                FileEntry {
                    hash: hash.unwrap_or(0),
                    docs: docs.into_boxed_slice(),
                    paragraphs,
                },
            ));
        }
        files.shrink_to_fit();
        Manifest { files }
    }
}

/// What one segment holds of one file.
struct PartEntry {
    /// On the file's first paragraph only, so in one segment only.
    hash: Option<u64>,
    docs: Vec<Box<str>>,
    paragraphs: u64,
}

/// Reads the manifest from the live (not deleted) paragraphs of `searcher`.
///
/// Per segment, the distinct (path, hash, doc) ordinal triples are gathered
/// from the columns first and turned into strings once, so this costs a few
/// column reads per paragraph and one dictionary lookup per file and
/// article.
pub fn read(searcher: &Searcher) -> Result<Manifest> {
    let mut parts: Vec<(Box<str>, PartEntry)> = Vec::new();
    for segment in searcher.segment_readers() {
        let fast = segment.fast_fields();
        let paths = fast
            .str(name::PATH)?
            .context("the index has no path column")?;
        let docs = fast
            .str(name::DOC)?
            .context("the index has no doc column")?;
        let hashes = fast
            .u64(name::FILE_HASH)
            .context("the index has no file_hash column")?;
        // (path, doc) → (hash, paragraphs); the hash is on a file's first
        // paragraph only.
        let mut triples: HashMap<(u64, u64), (Option<u64>, u64)> = HashMap::new();
        for id in segment.doc_ids_alive() {
            let (Some(path), Some(doc)) = (paths.term_ords(id).next(), docs.term_ords(id).next())
            else {
                continue;
            };
            let entry = triples.entry((path, doc)).or_insert((None, 0));
            entry.1 += 1;
            if let Some(hash) = hashes.first(id) {
                entry.0 = Some(hash);
            }
        }
        let mut triples: Vec<_> = triples.into_iter().collect();
        // Ordinals are in string order: a file's triples become neighbours.
        triples.sort_unstable_by_key(|&(key, _)| key);
        let mut text = String::new();
        let mut last_path = None;
        for ((path_ord, doc_ord), (hash, paragraphs)) in triples {
            if last_path != Some(path_ord) {
                paths.ord_to_str(path_ord, &mut text)?;
                parts.push((
                    text.as_str().into(),
                    PartEntry {
                        hash: None,
                        docs: Vec::new(),
                        paragraphs: 0,
                    },
                ));
                last_path = Some(path_ord);
            }
            docs.ord_to_str(doc_ord, &mut text)?;
            let Some((_, part)) = parts.last_mut() else {
                continue;
            };
            part.hash = part.hash.or(hash);
            part.paragraphs += paragraphs;
            part.docs.push(text.as_str().into());
        }
    }
    Ok(Manifest::from_parts(parts))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn part(hash: Option<u64>, docs: &[&str], paragraphs: u64) -> PartEntry {
        PartEntry {
            hash,
            docs: docs.iter().map(|&d| d.into()).collect(),
            paragraphs,
        }
    }

    #[test]
    fn parts_of_one_file_are_joined_and_looked_up_by_path() {
        let manifest = Manifest::from_parts(vec![
            ("b.jsonl".into(), part(None, &["b2", "b3"], 4)),
            ("a.txt".into(), part(Some(7), &["a"], 2)),
            ("b.jsonl".into(), part(Some(9), &["b1"], 3)),
        ]);
        assert_eq!(manifest.len(), 2);
        let paths: Vec<&str> = manifest.iter().map(|(p, _)| p).collect();
        assert_eq!(paths, ["a.txt", "b.jsonl"]);
        let (i, b) = manifest.find("b.jsonl").unwrap();
        assert_eq!(i, 1);
        assert_eq!(b.hash, 9);
        assert_eq!(b.paragraphs, 7);
        let docs: Vec<&str> = b.docs.iter().map(|d| &**d).collect();
        assert_eq!(docs, ["b1", "b2", "b3"]);
        assert_eq!(manifest.get("a.txt").map(|a| a.hash), Some(7));
        assert!(manifest.get("c.txt").is_none());
    }
}
