//! The index as its own manifest: which files it holds, in which version,
//! and which article ids each file contributed.
//!
//! Every paragraph carries its file's `path`, and a file's first paragraph
//! its `file_hash` and `file_stat` (fast fields), so the manifest is read
//! from the committed index itself. There is no second file that could
//! disagree with the index after a crash: whatever tantivy committed last
//! is, by construction, what the manifest says.

use std::borrow::Cow;
use std::collections::HashMap;
use std::path::Path;

use anyhow::{Context, Result, bail};
use tantivy::Searcher;

use super::schema::name;
use crate::ingest::{self, packed::PackedList};

/// What the index holds of one file.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct FileEntry {
    /// xxh3-64 of the file's bytes when it was indexed.
    pub hash: u64,
    /// Its size, times and inode then (`ingest::files::stat_key`; 0: none).
    pub stat: u64,
    /// How many paragraphs it contributed.
    pub paragraphs: u64,
    /// The article ids the file contributed, sorted, each once; empty when
    /// the only one is the file's stem (the usual case: see [`FileEntry::docs`]).
    ids: Box<[Box<str>]>,
}

impl FileEntry {
    fn new(
        path: &str,
        (hash, stat): (u64, u64),
        paragraphs: u64,
        mut docs: Vec<Box<str>>,
    ) -> FileEntry {
        // Every file in the index has an article; no ids would read as
        // "the stem".
        debug_assert!(!docs.is_empty(), "{path} has no article ids");
        docs.sort();
        docs.dedup();
        let ids = if docs.len() == 1 && *docs[0] == *stem(path) {
            Box::default()
        } else {
            docs.into_boxed_slice()
        };
        FileEntry {
            hash,
            stat,
            paragraphs,
            ids,
        }
    }

    /// The article ids the file at `path` contributed, sorted.
    pub fn docs<'a>(&'a self, path: &'a str) -> Vec<Cow<'a, str>> {
        if self.ids.is_empty() {
            vec![stem(path)]
        } else {
            self.ids.iter().map(|d| Cow::Borrowed(&**d)).collect()
        }
    }
}

/// The article id a file's stem gives (the usual one).
fn stem(path: &str) -> Cow<'_, str> {
    ingest::files::id_of(Path::new(path))
}

/// Every file with paragraphs in the index, sorted by path.
///
/// Held for a whole incremental run, so it is compact: the paths
/// front-coded ([`PackedList`]), one small entry per file, and a file's
/// article id not stored when it is the file's stem. A million files take
/// about 50 MB.
#[derive(Debug, Default)]
pub struct Manifest {
    /// Paths as UTF-8 bytes, in byte order.
    paths: PackedList,
    entries: Vec<FileEntry>,
}

impl Manifest {
    /// The entry of the file stored under `path`, and its position in
    /// [`Manifest::iter`].
    pub fn find(&self, path: &str) -> Option<(usize, &FileEntry)> {
        let i = self.paths.search_by(path.as_bytes(), Ord::cmp).ok()?;
        Some((i, &self.entries[i]))
    }

    pub fn get(&self, path: &str) -> Option<&FileEntry> {
        self.find(path).map(|(_, entry)| entry)
    }

    /// The path and entry at `i` (as in [`Manifest::find`]).
    pub fn at(&self, i: usize) -> Option<(String, &FileEntry)> {
        Some((utf8(self.paths.get(i)?), self.entries.get(i)?))
    }

    /// Takes `stat` as the stat key of the entry at `i`: one learnt after
    /// the file was indexed (`index::stamps`).
    pub fn set_stat(&mut self, i: usize, stat: u64) {
        if let Some(entry) = self.entries.get_mut(i) {
            entry.stat = stat;
        }
    }

    /// `(path, entry)` in path order.
    pub fn iter(&self) -> impl Iterator<Item = (String, &FileEntry)> {
        self.paths.iter().map(utf8).zip(&self.entries)
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    fn push(&mut self, path: &str, entry: FileEntry) {
        self.paths.push(path.as_bytes());
        self.entries.push(entry);
    }

    fn shrink_to_fit(&mut self) {
        self.paths.shrink_to_fit();
        self.entries.shrink_to_fit();
    }

    /// Joins the manifests of several segments (each sorted by path) into
    /// one: a file's articles may lie in several segments.
    fn join(parts: Vec<Manifest>) -> Manifest {
        let mut heads: Vec<_> = parts.iter().map(|m| m.iter().peekable()).collect();
        let mut joined = Manifest::default();
        // The smallest path among the heads, and every part that has it.
        while let Some(path) = heads
            .iter_mut()
            .filter_map(|h| h.peek().map(|(p, _)| p.clone()))
            .min()
        {
            let mut hash = 0;
            let mut stat = 0;
            let mut paragraphs = 0;
            let mut docs: Vec<Box<str>> = Vec::new();
            for head in &mut heads {
                if let Some((_, entry)) = head.next_if(|(p, _)| *p == path) {
                    // The hash is on a file's first paragraph, so in one part.
                    hash = hash.max(entry.hash);
                    stat = stat.max(entry.stat);
                    paragraphs += entry.paragraphs;
                    docs.extend(entry.docs(&path).into_iter().map(Box::from));
                }
            }
            joined.push(&path, FileEntry::new(&path, (hash, stat), paragraphs, docs));
        }
        joined.shrink_to_fit();
        joined
    }
}

/// One file's triples of a segment, gathered.
#[derive(Default)]
struct Gathered {
    /// Its path's ordinal.
    ord: u64,
    /// (hash, stat), from its first paragraph.
    versions: (u64, u64),
    paragraphs: u64,
    ids: Vec<Box<str>>,
}

impl Gathered {
    fn entry(self, path: &str) -> FileEntry {
        FileEntry::new(path, self.versions, self.paragraphs, self.ids)
    }
}

fn utf8(bytes: Vec<u8>) -> String {
    String::from_utf8(bytes).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

/// Reads the manifest from the live (not deleted) paragraphs of `searcher`.
///
/// Per segment, the distinct (path, hash, doc) ordinal triples are gathered
/// from the columns first and turned into strings once, so this costs a few
/// column reads per paragraph and one dictionary lookup per file and
/// article. Each segment's part is compact already; the parts are joined
/// in one pass.
pub fn read(searcher: &Searcher) -> Result<Manifest> {
    let mut parts = Vec::new();
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
        let stats = fast
            .u64(name::FILE_STAT)
            .context("the index has no file_stat column")?;
        // (path, doc) → ((hash, stat), paragraphs); hash and stat are on a
        // file's first paragraph only.
        let mut triples: HashMap<(u64, u64), ((u64, u64), u64)> = HashMap::new();
        for id in segment.doc_ids_alive() {
            let (Some(path), Some(doc)) = (paths.term_ords(id).next(), docs.term_ords(id).next())
            else {
                continue;
            };
            let entry = triples.entry((path, doc)).or_insert(((0, 0), 0));
            entry.1 += 1;
            if let Some(hash) = hashes.first(id) {
                entry.0 = (hash, stats.first(id).unwrap_or(0));
            }
        }
        let mut triples: Vec<_> = triples.into_iter().collect();
        // Ordinals are in string order: a file's triples become neighbours,
        // and the files come in path order.
        triples.sort_unstable_by_key(|&(key, _)| key);
        // Ordinals to text: the dictionaries are read in order, not looked
        // up one ordinal at a time (each look-up decodes a block from its
        // start: a third of an update's time on a million files). Paths
        // are needed in ordinal order; ids in any order, so they are
        // packed first.
        let mut ids = PackedList::new();
        let mut stream = docs.dictionary().stream()?;
        while stream.advance() {
            ids.push(stream.key());
        }
        let mut path_terms = paths.dictionary().stream()?;
        let mut path_at: Option<u64> = None;
        let mut part = Manifest::default();
        let mut path = String::new();
        // The file being gathered: its path ordinal, (hash, stat),
        // paragraphs and ids.
        let mut file: Option<Gathered> = None;
        for ((path_ord, doc_ord), (versions, paragraphs)) in triples {
            if file.as_ref().is_some_and(|f| f.ord != path_ord)
                && let Some(done) = file.take()
            {
                part.push(&path, done.entry(&path));
            }
            if file.is_none() {
                while path_at != Some(path_ord) {
                    if !path_terms.advance() {
                        bail!("the index's path column lacks the term {path_ord}");
                    }
                    path_at = Some(path_terms.term_ord());
                }
                path = utf8(path_terms.key().to_vec());
                file = Some(Gathered {
                    ord: path_ord,
                    ..Gathered::default()
                });
            }
            let doc = ids
                .get(doc_ord as usize)
                .with_context(|| format!("the index's doc column lacks the term {doc_ord}"))?;
            if let Some(f) = &mut file {
                f.versions = f.versions.max(versions);
                f.paragraphs += paragraphs;
                f.ids.push(utf8(doc).into());
            }
        }
        if let Some(done) = file {
            part.push(&path, done.entry(&path));
        }
        part.shrink_to_fit();
        parts.push(part);
    }
    Ok(match parts.len() {
        1 => parts.pop().unwrap_or_default(),
        _ => Manifest::join(parts),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn part(files: &[(&str, u64, &[&str], u64)]) -> Manifest {
        let mut m = Manifest::default();
        for &(path, hash, docs, paragraphs) in files {
            let docs = docs.iter().map(|&d| d.into()).collect();
            m.push(
                path,
                FileEntry::new(path, (hash, hash + 100), paragraphs, docs),
            );
        }
        m
    }

    fn docs(m: &Manifest, path: &str) -> Vec<String> {
        let entry = m.get(path).unwrap();
        entry.docs(path).into_iter().map(Cow::into_owned).collect()
    }

    #[test]
    fn parts_of_one_file_are_joined_and_looked_up_by_path() {
        let manifest = Manifest::join(vec![
            part(&[("a.txt", 7, &["a"], 2), ("b.jsonl", 9, &["b1"], 3)]),
            part(&[("b.jsonl", 0, &["b2", "b3"], 4), ("c/d.txt", 5, &["d"], 1)]),
        ]);
        assert_eq!(manifest.len(), 3);
        let paths: Vec<String> = manifest.iter().map(|(p, _)| p).collect();
        assert_eq!(paths, ["a.txt", "b.jsonl", "c/d.txt"]);
        let (i, b) = manifest.find("b.jsonl").unwrap();
        assert_eq!(i, 1);
        assert_eq!(b.hash, 9);
        assert_eq!(b.stat, 109);
        assert_eq!(b.paragraphs, 7);
        assert_eq!(docs(&manifest, "b.jsonl"), ["b1", "b2", "b3"]);
        assert_eq!(manifest.get("a.txt").map(|a| a.hash), Some(7));
        assert!(manifest.get("c.txt").is_none());
        assert!(manifest.get("").is_none());
    }

    #[test]
    fn a_stem_id_is_not_stored_but_given_back() {
        let m = part(&[
            ("x/a.txt", 1, &["a"], 1),
            ("x/b.jsonl", 2, &["b"], 1),
            ("x/c.jsonl", 3, &["c", "z"], 2),
            ("x/d.txt", 4, &["other"], 1),
        ]);
        // Only the ids that are not the file's stem are held.
        let held: Vec<usize> = m.entries.iter().map(|e| e.ids.len()).collect();
        assert_eq!(held, [0, 0, 2, 1]);
        assert_eq!(docs(&m, "x/a.txt"), ["a"]);
        assert_eq!(docs(&m, "x/b.jsonl"), ["b"]);
        assert_eq!(docs(&m, "x/c.jsonl"), ["c", "z"]);
        assert_eq!(docs(&m, "x/d.txt"), ["other"]);
    }
}
