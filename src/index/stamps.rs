//! Stat keys learnt after a file was indexed.
//!
//! The index records a file's stat key (`ingest::files::stat_key`) when it
//! adds the file. A file whose stamps change while its content does not
//! (touched, copied to another disk, restored from a backup) is read,
//! found unchanged by its content hash and not indexed again, so the index
//! keeps its old key, and every later update would read it again. Such
//! files' new keys are kept here instead, beside the index in its
//! generation folder, as `(path, content hash, stat key)`.
//!
//! The file is only a cache: an entry counts only while the index holds the
//! same content hash for the path, so a stale entry (a killed run, a file
//! changed since) is ignored, and a missing or damaged file costs reads,
//! never a wrong answer. It is written whole to a temporary file and
//! renamed over the old one.

use std::fs::File;
use std::io::{self, BufReader, BufWriter, Read, Write};
use std::path::Path;

/// The file's name in a generation folder.
pub const FILE: &str = "stamps";
/// Its first bytes: the format, so that another format reads as empty.
const MAGIC: &[u8; 8] = b"fst-stm1";
/// A longer path is damage (paths are at most a few KB).
const MAX_PATH_BYTES: u64 = 1 << 16;

/// Calls `each(path, hash, stat)` for every entry of the generation at
/// `generation`. A missing, unreadable or damaged file has no entries (up
/// to the damage).
pub fn read(generation: &Path, each: &mut dyn FnMut(&str, u64, u64)) {
    let Ok(file) = File::open(generation.join(FILE)) else {
        return;
    };
    let mut input = BufReader::new(file);
    let mut magic = [0u8; 8];
    if input.read_exact(&mut magic).is_err() || &magic != MAGIC {
        return;
    }
    let mut path = Vec::new();
    while let Ok(length) = read_u64(&mut input) {
        if length > MAX_PATH_BYTES {
            return;
        }
        path.resize(length as usize, 0);
        if input.read_exact(&mut path).is_err() {
            return;
        }
        let (Ok(hash), Ok(stat)) = (read_u64(&mut input), read_u64(&mut input)) else {
            return;
        };
        if let Ok(path) = std::str::from_utf8(&path) {
            each(path, hash, stat);
        }
    }
}

/// Replaces the entries of the generation at `generation` by `entries`
/// (`(path, hash, stat)`); with none, removes the file.
pub fn write<S: AsRef<str>>(
    generation: &Path,
    entries: impl Iterator<Item = (S, u64, u64)>,
) -> io::Result<()> {
    let target = generation.join(FILE);
    let temporary = generation.join(format!("{FILE}.tmp"));
    let mut out = BufWriter::new(File::create(&temporary)?);
    out.write_all(MAGIC)?;
    let mut any = false;
    for (path, hash, stat) in entries {
        let path = path.as_ref();
        any = true;
        out.write_all(&(path.len() as u64).to_le_bytes())?;
        out.write_all(path.as_bytes())?;
        out.write_all(&hash.to_le_bytes())?;
        out.write_all(&stat.to_le_bytes())?;
    }
    out.into_inner().map_err(io::IntoInnerError::into_error)?;
    if any {
        std::fs::rename(&temporary, &target)
    } else {
        std::fs::remove_file(&temporary)?;
        match std::fs::remove_file(&target) {
            Err(e) if e.kind() != io::ErrorKind::NotFound => Err(e),
            _ => Ok(()),
        }
    }
}

fn read_u64(input: &mut impl Read) -> io::Result<u64> {
    let mut bytes = [0u8; 8];
    input.read_exact(&mut bytes)?;
    Ok(u64::from_le_bytes(bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entries(dir: &Path) -> Vec<(String, u64, u64)> {
        let mut out = Vec::new();
        read(dir, &mut |p, h, s| out.push((p.to_string(), h, s)));
        out
    }

    #[test]
    fn entries_are_read_back_and_none_removes_the_file() {
        let dir = tempfile::tempdir().unwrap();
        assert!(entries(dir.path()).is_empty(), "no file, no entries");
        let written = [("a/b.txt", 1, 2), ("ä/ü ß.txt", u64::MAX, 7)];
        write(dir.path(), written.iter().copied()).unwrap();
        let expected: Vec<_> = written
            .iter()
            .map(|&(p, h, s)| (p.to_string(), h, s))
            .collect();
        assert_eq!(entries(dir.path()), expected);
        assert!(!dir.path().join(format!("{FILE}.tmp")).exists());

        write(dir.path(), std::iter::empty::<(&str, u64, u64)>()).unwrap();
        assert!(!dir.path().join(FILE).exists());
        assert!(entries(dir.path()).is_empty());
    }

    #[test]
    fn a_damaged_file_gives_the_entries_before_the_damage() {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), [("one", 1, 1), ("two", 2, 2)].into_iter()).unwrap();
        let path = dir.path().join(FILE);
        let bytes = std::fs::read(&path).unwrap();
        // Cut inside the second entry's stat key.
        std::fs::write(&path, &bytes[..bytes.len() - 3]).unwrap();
        assert_eq!(entries(dir.path()), vec![("one".to_string(), 1, 1)]);
        // Another format: nothing.
        std::fs::write(&path, b"something else entirely").unwrap();
        assert!(entries(dir.path()).is_empty());
        // A length that cannot be allocated is damage, not a crash.
        let mut huge = MAGIC.to_vec();
        huge.extend_from_slice(&u64::MAX.to_le_bytes());
        std::fs::write(&path, huge).unwrap();
        assert!(entries(dir.path()).is_empty());
    }
}
