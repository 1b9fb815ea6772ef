//! The index as its own manifest: which files it holds, in which version,
//! and which article ids each file contributed.
//!
//! Every paragraph carries its file's `path`, and a file's first paragraph
//! its `file_hash` (fast fields), so the manifest is read from the committed index itself. There is no
//! second file that could disagree with the index after a crash: whatever
//! tantivy committed last is, by construction, what the manifest says.

use std::collections::{BTreeSet, HashMap};

use anyhow::{Context, Result};
use tantivy::Searcher;

use super::schema::name;

/// What the index holds of one file.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct FileEntry {
    /// xxh3-64 of the file's bytes when it was indexed.
    pub hash: u64,
    /// The article ids the file contributed.
    pub docs: BTreeSet<String>,
    /// How many paragraphs it contributed.
    pub paragraphs: u64,
}

/// `path → entry` for every file with paragraphs in the index.
pub type Manifest = HashMap<String, FileEntry>;

/// Reads the manifest from the live (not deleted) paragraphs of `searcher`.
///
/// Per segment, the distinct (path, hash, doc) ordinal triples are gathered
/// from the columns first and turned into strings once, so this costs a few
/// column reads per paragraph and one dictionary lookup per file.
pub fn read(searcher: &Searcher) -> Result<Manifest> {
    let mut manifest = Manifest::new();
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
        let mut path_names: HashMap<u64, String> = HashMap::new();
        for ((path_ord, doc_ord), (hash, paragraphs)) in triples {
            let path = match path_names.get(&path_ord) {
                Some(p) => p.clone(),
                None => {
                    let mut p = String::new();
                    paths.ord_to_str(path_ord, &mut p)?;
                    path_names.insert(path_ord, p.clone());
                    p
                }
            };
            let mut doc = String::new();
            docs.ord_to_str(doc_ord, &mut doc)?;
            let entry = manifest.entry(path).or_default();
            if let Some(hash) = hash {
                entry.hash = hash;
            }
            entry.paragraphs += paragraphs;
            entry.docs.insert(doc);
        }
    }
    Ok(manifest)
}
