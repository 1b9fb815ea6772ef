//! Which files to read: the given files, and folders walked recursively in
//! sorted order so that ids and results are the same on every run.

use std::fs;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use walkdir::WalkDir;

use super::packed::PackedList;

/// A file that was looked at but will not be read, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IgnoredFile {
    pub path: PathBuf,
    pub reason: String,
}

/// The files to index, plus what was passed over.
#[derive(Debug, Default)]
pub struct FileList {
    /// The files, sorted by path; a file's article id is [`doc_id`] of its
    /// path. Only the paths are held (no ids, no lookup table), front-coded
    /// ([`PackedList`]): a few bytes a file, however many files there are.
    files: PackedList,
    /// Files with another extension: not an error, only counted.
    pub other_extensions: usize,
    /// Paths that could not be walked (permissions, symlink loops, …), and
    /// files left out because an earlier file has their article id.
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
/// Two files with the same stem would get the same article id: the one
/// later in path order is left out and listed in `unreadable` with the path
/// that has the id (the index never holds an id twice, and a clean build
/// and an update agree on which file has it).
pub fn collect_files(roots: &[PathBuf]) -> Result<FileList> {
    let mut list = FileList::default();
    let mut found = Vec::new();
    for root in roots {
        if !root.exists() {
            if is_link_loop(root) {
                bail!(
                    "{}: a symbolic link loop (following its links never ends)",
                    shown(root)
                );
            }
            if let Some(target) = broken_link(root) {
                bail!(
                    "{}: a symbolic link to {}, which does not exist",
                    shown(root),
                    shown(&target)
                );
            }
            bail!("{}: no such file or folder", shown(root));
        }
        if root.is_file() && !is_article_file(root) {
            // Named on purpose, so not passed over without a word.
            list.unreadable.push(IgnoredFile {
                path: root.clone(),
                reason: format!(
                    "not an article file: fundstelle reads {}",
                    ARTICLE_EXTENSIONS
                        .iter()
                        .map(|e| format!(".{e}"))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            });
            continue;
        }
        let walker = WalkDir::new(root).follow_links(true).sort_by_file_name();
        for entry in walker {
            match entry {
                Ok(entry) if entry.file_type().is_file() => {
                    if is_article_file(entry.path()) {
                        // Without spare capacity: until they are packed,
                        // every path is held as a `PathBuf`.
                        found.push(PathBuf::from(entry.into_path().into_boxed_path()));
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
                    let reason = if err.loop_ancestor().is_some() || is_link_loop(&path) {
                        "symbolic link loop".to_string()
                    } else if let Some(target) = broken_link(&path) {
                        format!(
                            "a symbolic link to {}, which does not exist",
                            shown(&target)
                        )
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
    // A file whose article id an earlier one has is left out, not the run:
    // in an archive of a million files one clash must not stop the rest.
    let clashes = take_clashes(&mut found)?;
    list.unreadable.extend(clashes);
    for path in &found {
        list.files.push(path_bytes(path));
    }
    list.files.shrink_to_fit();
    Ok(list)
}

impl FileList {
    /// The files `paths`, in this order (they are not walked).
    pub fn of(paths: &[PathBuf]) -> FileList {
        let mut list = FileList::default();
        for path in paths {
            list.files.push(path_bytes(path));
        }
        list
    }

    /// How many files there are.
    pub fn len(&self) -> usize {
        self.files.len()
    }

    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }

    /// The `i`th file in path order.
    pub fn get(&self, i: usize) -> Option<PathBuf> {
        self.files.get(i).map(path_from_bytes)
    }

    /// The files in path order.
    pub fn iter(&self) -> impl Iterator<Item = PathBuf> + '_ {
        self.files.iter().map(path_from_bytes)
    }
}

/// A path's bytes (on Unix the bytes themselves, elsewhere the platform's
/// own encoding, WTF-8 on Windows).
fn path_bytes(path: &Path) -> &[u8] {
    path.as_os_str().as_encoded_bytes()
}

#[cfg(unix)]
fn path_from_bytes(bytes: Vec<u8>) -> PathBuf {
    use std::os::unix::ffi::OsStringExt;
    std::ffi::OsString::from_vec(bytes).into()
}

#[cfg(not(unix))]
fn path_from_bytes(bytes: Vec<u8>) -> PathBuf {
    // SAFETY: the bytes are exactly those `path_bytes` took from an
    // `OsStr` (front coding gives back each string whole, byte for byte).
    unsafe { std::ffi::OsString::from_encoded_bytes_unchecked(bytes) }.into()
}

/// True when following the symbolic links of `path` never ends (a link
/// that leads back to itself, links that lead to each other, a loop in a
/// parent folder).
fn is_link_loop(path: &Path) -> bool {
    #[cfg(unix)]
    {
        std::fs::metadata(path).is_err_and(|e| e.raw_os_error() == Some(libc::ELOOP))
    }
    #[cfg(not(unix))]
    {
        let _ = path;
        false
    }
}

/// Where `path` points, when it is a symbolic link whose target is missing.
fn broken_link(path: &Path) -> Option<PathBuf> {
    let is_link = std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink());
    (is_link && std::fs::metadata(path).is_err())
        .then(|| std::fs::read_link(path).ok())
        .flatten()
}

/// Removes from `paths` (sorted) every path whose article id an earlier
/// path already has, and returns them, each with that earlier path.
///
/// The check sorts indices by id (4 bytes a file) instead of building a map
/// of ids, and compares ids borrowed from the paths.
fn take_clashes(paths: &mut Vec<PathBuf>) -> Result<Vec<IgnoredFile>> {
    for path in paths.iter() {
        stem(path)?;
    }
    let count = u32::try_from(paths.len()).context("too many files")?;
    let mut clashes: Vec<(u32, u32)> = Vec::new();
    {
        let id = |i: u32| paths[i as usize].file_stem().map(text_of);
        let mut by_id: Vec<u32> = (0..count).collect();
        // Stable: the paths of one id stay in path order, so the first of
        // each run of equal ids is the one a walk in path order found first.
        by_id.sort_by(|&a, &b| id(a).cmp(&id(b)));
        let mut first = 0;
        for k in 1..by_id.len() {
            if id(by_id[k]) == id(by_id[first]) {
                clashes.push((by_id[k], by_id[first]));
            } else {
                first = k;
            }
        }
    }
    if clashes.is_empty() {
        return Ok(Vec::new());
    }
    clashes.sort_unstable();
    // The same file named twice (`seeds ./seeds`) is one file: the later
    // name goes without a word.
    let same_file = |&(later, owner): &(u32, u32)| {
        let real = |i: u32| fs::canonicalize(&paths[i as usize]).ok();
        real(later).is_some_and(|r| Some(r) == real(owner))
    };
    let ignored = clashes
        .iter()
        .filter(|clash| !same_file(clash))
        .map(|&(later, owner)| IgnoredFile {
            path: paths[later as usize].clone(),
            reason: format!(
                "article id '{}' is already used by {}; rename one of them",
                id_of(&paths[later as usize]),
                shown(&paths[owner as usize])
            ),
        })
        .collect();
    let mut next = clashes.iter().map(|&(later, _)| later).peekable();
    let mut i = 0u32;
    paths.retain(|_| {
        let drop = next.next_if_eq(&i).is_some();
        i += 1;
        !drop
    });
    Ok(ignored)
}

fn stem(path: &Path) -> Result<&std::ffi::OsStr> {
    path.file_stem()
        .with_context(|| format!("{}: file has no name", path.display()))
}

/// Seconds within which a file's time stamps are too recent to trust (a
/// change in the same tick would keep them; FAT counts in 2 seconds).
const RACY_SECONDS: u64 = 2;

/// What an update compares to tell that a file is as it was without
/// reading it: a hash of its size, modification and change times (the
/// change time cannot be set back by `touch` or `cp -p`), inode and
/// device. 0, "read it", when the time stamps are within [`RACY_SECONDS`]
/// of `now` (a change in the same tick could keep them), or where there
/// are no such fields (not Unix). On file systems without a real change
/// time (vfat, exFAT, some network file systems report the modification
/// time) a rewrite of the same size with the modification time set back
/// would be missed; `--rebuild` reads everything.
#[cfg(unix)]
pub fn stat_key(meta: &std::fs::Metadata, now: std::time::SystemTime) -> u64 {
    use std::os::unix::fs::MetadataExt;
    let now = now
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let newest = meta.mtime().max(meta.ctime());
    if u64::try_from(newest).map_or(true, |t| t + RACY_SECONDS >= now) {
        return 0;
    }
    let mut key = Vec::with_capacity(64);
    for n in [
        meta.len(),
        meta.mtime() as u64,
        meta.mtime_nsec() as u64,
        meta.ctime() as u64,
        meta.ctime_nsec() as u64,
        meta.ino(),
        meta.dev(),
    ] {
        key.extend_from_slice(&n.to_le_bytes());
    }
    // Never 0, which means "read it".
    xxhash_rust::xxh3::xxh3_64(&key).max(1)
}

#[cfg(not(unix))]
pub fn stat_key(_meta: &std::fs::Metadata, _now: std::time::SystemTime) -> u64 {
    0
}

/// The article id of a file: its stem.
pub fn doc_id(path: &Path) -> Result<String> {
    Ok(text_of(stem(path)?).into_owned())
}

/// A file name or path as text, without losing anything: bytes that are
/// not UTF-8 are written `\xNN` (as ripgrep shows them), so two names that
/// differ only there stay two names. Borrowed when it is UTF-8.
pub fn text_of(name: &std::ffi::OsStr) -> std::borrow::Cow<'_, str> {
    if let Some(text) = name.to_str() {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::new();
    for chunk in name.as_encoded_bytes().utf8_chunks() {
        out.push_str(chunk.valid());
        for byte in chunk.invalid() {
            out.push_str(&format!("\\x{byte:02X}"));
        }
    }
    std::borrow::Cow::Owned(out)
}

/// The path a text of [`text_of`] stands for: each `\xNN` becomes its byte
/// again (a name with a literal `\xNN` comes back as the byte: good enough
/// to look a file up).
pub fn from_text(text: &str) -> PathBuf {
    if !text.contains("\\x") {
        return PathBuf::from(text);
    }
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes
            .get(i + 2..i + 4)
            .filter(|h| h.iter().all(u8::is_ascii_hexdigit))
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match (bytes[i], bytes.get(i + 1), hex) {
            (b'\\', Some(b'x'), Some(byte)) => {
                out.push(byte);
                i += 4;
            }
            (byte, _, _) => {
                out.push(byte);
                i += 1;
            }
        }
    }
    path_from_bytes(out)
}

/// [`text_of`] for a path, to show it.
pub fn shown(path: &Path) -> std::borrow::Cow<'_, str> {
    text_of(path.as_os_str())
}

/// [`doc_id`] without the error: empty when `path` has no file name (the
/// files listed all have one). For paths read back from the index.
pub fn id_of(path: &Path) -> std::borrow::Cow<'_, str> {
    path.file_stem()
        .map_or(std::borrow::Cow::Borrowed(""), text_of)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn from_text_gives_back_the_name_text_of_wrote() {
        use std::os::unix::ffi::OsStrExt;
        for bytes in [
            &b"Stra\xDFe.txt"[..],
            b"plain.txt",
            b"a/b\xFF\xFE/c",
            b"\xC3",
        ] {
            let name = std::ffi::OsStr::from_bytes(bytes);
            assert_eq!(from_text(&text_of(name)).as_os_str(), name, "{bytes:?}");
        }
    }

    #[test]
    fn walks_folders_sorted_and_counts_other_files() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("b")).unwrap();
        std::fs::write(dir.path().join("b/z.txt"), "z").unwrap();
        std::fs::write(dir.path().join("a.TXT"), "a").unwrap();
        std::fs::write(dir.path().join("notes.md"), "x").unwrap();
        let list = collect_files(&[dir.path().to_path_buf()]).unwrap();
        let docs: Vec<String> = list.iter().map(|p| doc_id(&p).unwrap()).collect();
        assert_eq!(docs, ["a", "z"]);
        assert_eq!(list.other_extensions, 1);
    }

    #[test]
    fn of_files_with_one_stem_the_first_in_path_order_stays_and_the_others_are_named() {
        let dir = tempfile::tempdir().unwrap();
        let files = [
            ("a", "x"),
            ("b", "y"),
            ("c", "y"),
            ("d", "x"),
            ("e", "x"),
            ("f", "z"),
        ];
        for (folder, name) in files {
            std::fs::create_dir(dir.path().join(folder)).unwrap();
            std::fs::write(dir.path().join(folder).join(format!("{name}.txt")), "t").unwrap();
        }
        let list = collect_files(&[dir.path().to_path_buf()]).unwrap();
        let relative = |p: &Path| {
            p.strip_prefix(dir.path())
                .unwrap()
                .to_string_lossy()
                .into_owned()
        };
        let kept: Vec<String> = list.iter().map(|p| relative(&p)).collect();
        assert_eq!(kept, ["a/x.txt", "b/y.txt", "f/z.txt"]);
        let left_out: Vec<(String, &str)> = list
            .unreadable
            .iter()
            .map(|f| (relative(&f.path), f.reason.as_str()))
            .collect();
        assert_eq!(left_out.len(), 3, "{left_out:?}");
        for ((path, reason), (expected, id, owner)) in left_out.iter().zip([
            ("c/y.txt", "y", "b/y.txt"),
            ("d/x.txt", "x", "a/x.txt"),
            ("e/x.txt", "x", "a/x.txt"),
        ]) {
            assert_eq!(path, expected);
            assert!(
                reason.contains(&format!("article id '{id}' is already used by"))
                    && reason.contains(owner)
                    && reason.contains("rename one of them"),
                "{reason}"
            );
        }
    }

    #[cfg(unix)]
    #[test]
    fn the_stat_key_sees_the_change_time_and_distrusts_fresh_stamps() {
        use std::time::{Duration, SystemTime};
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.txt");
        std::fs::write(&path, "Eins").unwrap();
        let meta = std::fs::metadata(&path).unwrap();
        let later = SystemTime::now() + Duration::from_secs(60);
        let key = stat_key(&meta, later);
        assert_ne!(key, 0);
        assert_eq!(stat_key(&std::fs::metadata(&path).unwrap(), later), key);
        // Stamps from just now are not trusted.
        assert_eq!(stat_key(&meta, SystemTime::now()), 0);
        // Other bytes, same size, modification time set back: only the
        // change time differs (kernel time stamps tick every few ms).
        std::thread::sleep(Duration::from_millis(50));
        std::fs::write(&path, "Zwei").unwrap();
        let file = std::fs::File::options().write(true).open(&path).unwrap();
        file.set_modified(meta.modified().unwrap()).unwrap();
        let again = std::fs::metadata(&path).unwrap();
        assert_eq!(again.len(), meta.len());
        assert_eq!(again.modified().unwrap(), meta.modified().unwrap());
        assert_ne!(stat_key(&again, later), key);
    }

    #[test]
    fn missing_root_is_an_error() {
        let err = collect_files(&[PathBuf::from("/nonexistent/fundstelle")]).unwrap_err();
        assert!(err.to_string().contains("/nonexistent/fundstelle"));
    }
}
