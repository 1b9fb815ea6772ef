//! Which file owns each article id, so that ids stay unique in the index.
//!
//! Held for the whole run, one claim per article, so it is compact. Almost
//! every article id is the stem of its file's name, and the stems of the
//! listed files are unique (`ingest::files` checks), so such a claim is one
//! bit: "file `i` owns its stem" (a file whose stem an earlier one has is
//! left out of the list). Only ids that are not their file's stem
//! (articles of JSON Lines files) are kept as strings. Such an id may still
//! be another file's stem; that is looked up by the hash of the stem, in a
//! table built the first time it is needed.

use std::cell::OnceCell;
use std::collections::HashMap;

use std::path::Path;

use crate::ingest::FileList;
use crate::ingest::files::id_of;

#[derive(Debug)]
pub struct Owners<'a> {
    files: &'a FileList,
    /// Whether file `i` owns the id that is its stem.
    owns_stem: Vec<bool>,
    /// Ids that are not their owner's stem → the owner.
    others: HashMap<Box<str>, u32>,
    /// (hash of the stem, file) of every file, sorted; built when an id
    /// that is not its file's stem is first looked up.
    stems: OnceCell<Vec<(u64, u32)>>,
    count: usize,
}

impl<'a> Owners<'a> {
    pub fn new(files: &'a FileList) -> Owners<'a> {
        Owners {
            files,
            owns_stem: vec![false; files.len()],
            others: HashMap::new(),
            stems: OnceCell::new(),
            count: 0,
        }
    }

    /// How many ids are owned.
    pub fn len(&self) -> usize {
        self.count
    }

    /// The file that owns `id`, if any. `file` and `path` are the file
    /// asking (the likely owner of its own stem).
    pub fn owner(&self, id: &str, file: usize, path: &str) -> Option<usize> {
        if let Some(&owner) = self.others.get(id) {
            return Some(owner as usize);
        }
        let with_stem = if id_of(Path::new(path)) == id {
            Some(file)
        } else {
            self.file_with_stem(id)
        };
        with_stem.filter(|&f| self.owns_stem.get(f).copied().unwrap_or(false))
    }

    /// Notes that `file` (at `path`) owns `id`, which nobody owns yet.
    pub fn claim(&mut self, id: &str, file: usize, path: &str) {
        if id_of(Path::new(path)) == id {
            if let Some(owns) = self.owns_stem.get_mut(file)
                && !*owns
            {
                *owns = true;
                self.count += 1;
            }
        } else if self
            .others
            .insert(id.into(), u32::try_from(file).unwrap_or(u32::MAX))
            .is_none()
        {
            self.count += 1;
        }
    }

    /// Gives up `file`'s claim on `id`, if it has one.
    pub fn release(&mut self, id: &str, file: usize, path: &str) {
        if id_of(Path::new(path)) == id {
            if let Some(owns) = self.owns_stem.get_mut(file)
                && *owns
            {
                *owns = false;
                self.count -= 1;
            }
        } else if self.others.get(id).is_some_and(|&o| o as usize == file) {
            self.others.remove(id);
            self.count -= 1;
        }
    }

    /// The listed file whose stem is `id`.
    fn file_with_stem(&self, id: &str) -> Option<usize> {
        let stems = self.stems.get_or_init(|| {
            let mut stems: Vec<(u64, u32)> = self
                .files
                .iter()
                .enumerate()
                .map(|(i, path)| {
                    let hash = hash(&id_of(&path));
                    (hash, u32::try_from(i).unwrap_or(u32::MAX))
                })
                .collect();
            stems.sort_unstable();
            stems
        });
        let wanted = hash(id);
        let first = stems.partition_point(|&(h, _)| h < wanted);
        // Different stems may share a hash: compare the stems themselves.
        stems[first..]
            .iter()
            .take_while(|&&(h, _)| h == wanted)
            .map(|&(_, i)| i as usize)
            .find(|&i| self.files.get(i).is_some_and(|p| id_of(&p) == id))
    }
}

fn hash(s: &str) -> u64 {
    xxhash_rust::xxh3::xxh3_64(s.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    fn files(paths: &[&str]) -> FileList {
        FileList::of(&paths.iter().map(PathBuf::from).collect::<Vec<_>>())
    }

    #[test]
    fn stems_and_other_ids_are_owned_once_and_released() {
        let list = files(&["d/a.txt", "d/b.jsonl", "d/c.txt"]);
        let mut owners = Owners::new(&list);
        assert_eq!(owners.owner("a", 0, "d/a.txt"), None);
        owners.claim("a", 0, "d/a.txt");
        owners.claim("x", 1, "d/b.jsonl");
        assert_eq!(owners.len(), 2);
        assert_eq!(owners.owner("a", 0, "d/a.txt"), Some(0));
        // Asked by another file: "a" is file 0's stem, found by its hash.
        assert_eq!(owners.owner("a", 1, "d/b.jsonl"), Some(0));
        assert_eq!(owners.owner("x", 2, "d/c.txt"), Some(1));
        // The stem of file 2, not claimed by it.
        assert_eq!(owners.owner("c", 1, "d/b.jsonl"), None);
        // Only the owner's release counts.
        owners.release("x", 2, "d/c.txt");
        assert_eq!(owners.owner("x", 2, "d/c.txt"), Some(1));
        owners.release("x", 1, "d/b.jsonl");
        owners.release("a", 0, "d/a.txt");
        assert_eq!(owners.len(), 0);
        assert_eq!(owners.owner("a", 1, "d/b.jsonl"), None);
        assert_eq!(owners.owner("x", 0, "d/a.txt"), None);
    }

    #[test]
    fn a_file_can_claim_another_files_stem_as_an_other_id() {
        // b.jsonl holds an article "c"; c.txt comes later and finds it taken.
        let list = files(&["b.jsonl", "c.txt"]);
        let mut owners = Owners::new(&list);
        owners.claim("c", 0, "b.jsonl");
        assert_eq!(owners.owner("c", 1, "c.txt"), Some(0));
        assert_eq!(owners.len(), 1);
    }
}
