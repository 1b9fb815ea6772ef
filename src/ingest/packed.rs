//! A list of byte strings (paths) in little memory: front coding.
//!
//! Each string is stored as the length of the prefix it shares with the
//! string before it, and the rest. Sorted paths share most of their bytes
//! (`archiv/2025/09/04/artikel-0815.txt` after `…/artikel-0814.txt`), so a
//! million paths take a few bytes each instead of a `PathBuf` apiece (24
//! bytes, plus the path and the allocator's overhead). Every
//! [`RESTART`]th string is stored whole, so that any string is found by
//! decoding at most that many.

use std::cmp::Ordering;

/// Strings between two stored whole.
const RESTART: usize = 16;

/// Byte strings in the order they were pushed.
#[derive(Debug, Default, Clone)]
pub struct PackedList {
    bytes: Vec<u8>,
    /// Where each run of [`RESTART`] strings starts in `bytes`.
    restarts: Vec<usize>,
    len: usize,
    /// The last string pushed, to share its prefix.
    last: Vec<u8>,
}

impl PackedList {
    pub fn new() -> PackedList {
        PackedList::default()
    }

    /// Appends `item` as the last string.
    pub fn push(&mut self, item: &[u8]) {
        let shared = if self.len.is_multiple_of(RESTART) {
            self.restarts.push(self.bytes.len());
            0
        } else {
            self.last
                .iter()
                .zip(item)
                .take_while(|(a, b)| a == b)
                .count()
        };
        write_varint(&mut self.bytes, shared);
        write_varint(&mut self.bytes, item.len() - shared);
        self.bytes.extend_from_slice(&item[shared..]);
        self.last.clear();
        self.last.extend_from_slice(item);
        self.len += 1;
    }

    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Gives back unused capacity, once everything is pushed.
    pub fn shrink_to_fit(&mut self) {
        self.bytes.shrink_to_fit();
        self.restarts.shrink_to_fit();
        self.last = Vec::new();
    }

    /// The `i`th string.
    pub fn get(&self, i: usize) -> Option<Vec<u8>> {
        if i >= self.len {
            return None;
        }
        let mut cursor = self.cursor_at(i / RESTART);
        for _ in 0..i % RESTART {
            cursor.next();
        }
        cursor.next().map(<[u8]>::to_vec)
    }

    /// Every string, in order.
    pub fn iter(&self) -> impl Iterator<Item = Vec<u8>> + '_ {
        let mut cursor = self.cursor_at(0);
        std::iter::from_fn(move || cursor.next().map(<[u8]>::to_vec))
    }

    /// Binary search for `key` by `cmp` (the order the strings were pushed
    /// in): `Ok(i)` where it is, `Err(i)` where it would be inserted.
    pub fn search_by(
        &self,
        key: &[u8],
        cmp: impl Fn(&[u8], &[u8]) -> Ordering,
    ) -> Result<usize, usize> {
        // The last run whose first (whole) string is not after `key`.
        let run = self.restarts.partition_point(|&start| {
            let first = whole_at(&self.bytes, start);
            cmp(first, key) != Ordering::Greater
        });
        if run == 0 {
            return Err(0);
        }
        let run = run - 1;
        let mut cursor = self.cursor_at(run);
        let mut i = run * RESTART;
        while let Some(item) = cursor.next() {
            match cmp(item, key) {
                Ordering::Less => i += 1,
                Ordering::Equal => return Ok(i),
                Ordering::Greater => return Err(i),
            }
            if i.is_multiple_of(RESTART) {
                break;
            }
        }
        Err(i)
    }

    fn cursor_at(&self, run: usize) -> Cursor<'_> {
        Cursor {
            bytes: &self.bytes,
            pos: self.restarts.get(run).copied().unwrap_or(self.bytes.len()),
            left: self.len.saturating_sub(run * RESTART),
            current: Vec::new(),
        }
    }
}

/// Decodes strings one after the other from a restart point.
struct Cursor<'a> {
    bytes: &'a [u8],
    pos: usize,
    left: usize,
    current: Vec<u8>,
}

impl Cursor<'_> {
    fn next(&mut self) -> Option<&[u8]> {
        if self.left == 0 {
            return None;
        }
        self.left -= 1;
        let shared = read_varint(self.bytes, &mut self.pos);
        let rest = read_varint(self.bytes, &mut self.pos);
        let end = (self.pos + rest).min(self.bytes.len());
        self.current.truncate(shared);
        self.current.extend_from_slice(&self.bytes[self.pos..end]);
        self.pos = end;
        Some(&self.current)
    }
}

/// The string stored whole at `start` (a restart point).
fn whole_at(bytes: &[u8], start: usize) -> &[u8] {
    let mut pos = start;
    let _shared = read_varint(bytes, &mut pos);
    let len = read_varint(bytes, &mut pos);
    &bytes[pos..(pos + len).min(bytes.len())]
}

fn write_varint(out: &mut Vec<u8>, mut n: usize) {
    while n >= 0x80 {
        out.push((n as u8) | 0x80);
        n >>= 7;
    }
    out.push(n as u8);
}

fn read_varint(bytes: &[u8], pos: &mut usize) -> usize {
    let mut n = 0usize;
    let mut shift = 0;
    while let Some(&b) = bytes.get(*pos) {
        *pos += 1;
        n |= usize::from(b & 0x7f) << shift;
        if b & 0x80 == 0 {
            break;
        }
        shift += 7;
    }
    n
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Vec<Vec<u8>> {
        // Sorted, with shared prefixes of every length, an empty string, a
        // long one (two-byte lengths) and non-UTF-8 bytes.
        let mut items: Vec<Vec<u8>> = vec![
            b"".to_vec(),
            b"a".to_vec(),
            "ab/ü".as_bytes().to_vec(),
            vec![b'a', b'b', 0xff, 0xfe],
            "x".repeat(300).into_bytes(),
        ];
        for folder in 0..7 {
            for file in 0..23 {
                items.push(format!("archiv/{folder:02}/artikel-{file:04}.txt").into_bytes());
            }
        }
        items.sort();
        items
    }

    fn packed(items: &[Vec<u8>]) -> PackedList {
        let mut list = PackedList::new();
        for item in items {
            list.push(item);
        }
        list
    }

    #[test]
    fn every_string_comes_back_by_position_and_in_order() {
        let items = sample();
        let mut list = packed(&items);
        list.shrink_to_fit();
        assert_eq!(list.len(), items.len());
        assert_eq!(list.iter().collect::<Vec<_>>(), items);
        for (i, item) in items.iter().enumerate() {
            assert_eq!(list.get(i).as_ref(), Some(item), "string {i}");
        }
        assert_eq!(list.get(items.len()), None);
    }

    #[test]
    fn search_agrees_with_a_search_of_the_plain_list() {
        let items = sample();
        let list = packed(&items);
        let mut keys = items.clone();
        keys.extend([
            b"archiv/03/artikel-0005.txu".to_vec(),
            b"archiv/99".to_vec(),
            b"zzz".to_vec(),
            b"aa".to_vec(),
        ]);
        for key in &keys {
            assert_eq!(
                list.search_by(key, |a, b| a.cmp(b)),
                items.binary_search(key),
                "{}",
                String::from_utf8_lossy(key)
            );
        }
        assert_eq!(PackedList::new().search_by(b"a", |a, b| a.cmp(b)), Err(0));
    }

    #[test]
    fn sorted_paths_take_fewer_bytes_than_the_paths() {
        let items = sample();
        let mut list = packed(&items);
        list.shrink_to_fit();
        let plain: usize = items.iter().map(Vec::len).sum();
        let held = list.bytes.capacity() + list.restarts.capacity() * size_of::<usize>();
        assert!(held * 2 < plain, "{held} of {plain}");
    }
}
