//! What is opened once per segment and shared by the scorers and
//! collectors of its ranges ([`super::split`]) and, kept by the searcher,
//! by all of its queries ([`super::Searcher::open_ahead`]): columns, whose
//! opening decodes a header per 512 paragraphs (some 4,000 of them in a
//! segment of two million paragraphs, a tenth of a query process's page
//! faults).

use std::sync::{Arc, Mutex, PoisonError};

use tantivy::SegmentReader;
use tantivy::index::SegmentId;

/// A value per segment, opened by the first range (or thread opening
/// ahead) that asks for it; a range asking while it is being opened waits
/// for it.
pub(super) struct PerSegment<T> {
    opened: Mutex<Vec<(SegmentId, Slot<T>)>>,
}

/// A segment's value, once opened.
type Slot<T> = Arc<Mutex<Option<T>>>;

impl<T: Clone> PerSegment<T> {
    pub fn new() -> PerSegment<T> {
        PerSegment {
            opened: Mutex::new(Vec::new()),
        }
    }

    /// The value for `reader`'s segment, opened with `open` the first time.
    /// A failed opening is not kept: the next range tries again (and fails
    /// as this one did).
    pub fn get_or_open(
        &self,
        reader: &SegmentReader,
        open: impl FnOnce(&SegmentReader) -> tantivy::Result<T>,
    ) -> tantivy::Result<T> {
        let id = reader.segment_id();
        let slot = {
            let mut opened = self.opened.lock().unwrap_or_else(PoisonError::into_inner);
            match opened.iter().find(|(segment, _)| *segment == id) {
                Some((_, slot)) => Arc::clone(slot),
                None => {
                    let slot = Arc::new(Mutex::new(None));
                    opened.push((id, Arc::clone(&slot)));
                    slot
                }
            }
        };
        let mut value = slot.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(value) = value.as_ref() {
            return Ok(value.clone());
        }
        let opened = open(reader)?;
        *value = Some(opened.clone());
        Ok(opened)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use tantivy::schema::{STRING, Schema};
    use tantivy::{Index, doc};

    #[test]
    fn each_segment_is_opened_once_and_a_failure_is_not_kept() {
        let mut b = Schema::builder();
        let word = b.add_text_field("word", STRING);
        let index = Index::create_in_ram(b.build());
        let mut writer = index.writer_with_num_threads(1, 15_000_000).unwrap();
        for w in ["a", "b"] {
            writer.add_document(doc!(word => w)).unwrap();
            writer.commit().unwrap();
        }
        let searcher = index.reader().unwrap().searcher();
        let readers = searcher.segment_readers();
        assert_eq!(readers.len(), 2);
        let memo = PerSegment::new();
        let opened = AtomicUsize::new(0);
        let open = |r: &SegmentReader| {
            opened.fetch_add(1, Ordering::SeqCst);
            Ok(r.segment_id())
        };
        // Ranges on several threads ask for both segments' values.
        std::thread::scope(|s| {
            for _ in 0..4 {
                s.spawn(|| {
                    for reader in readers {
                        assert_eq!(memo.get_or_open(reader, open).unwrap(), reader.segment_id());
                    }
                });
            }
        });
        assert_eq!(opened.load(Ordering::SeqCst), 2);

        let failing = PerSegment::<u32>::new();
        let fail = |_: &SegmentReader| Err(tantivy::TantivyError::InvalidArgument("no".into()));
        assert!(failing.get_or_open(&readers[0], fail).is_err());
        assert_eq!(failing.get_or_open(&readers[0], |_| Ok(7)).unwrap(), 7);
        assert_eq!(failing.get_or_open(&readers[0], fail).unwrap(), 7);
    }
}
