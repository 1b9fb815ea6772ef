//! How many paragraphs wait for tantivy's indexing threads, so that a fast
//! ingest cannot queue the whole corpus in memory.
//!
//! Every paragraph passes here, so the count is an atomic: taking a
//! paragraph up is one atomic subtraction, and only the (single) thread
//! that waits for room is ever woken. A mutex and a wake-up per paragraph
//! cost about 3% of a build's CPU time (BENCHMARKS.md, seventh round).

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Condvar, Mutex};

use tantivy::TantivyDocument;

/// Paragraphs handed to tantivy and not yet taken up by its indexing
/// threads.
#[derive(Default, Clone)]
pub struct InFlight(Arc<State>);

#[derive(Default)]
struct State {
    /// Paragraphs in flight.
    count: AtomicUsize,
    /// 0 when nobody waits; else one more than the count the waiter waits
    /// for (it is woken when the count falls below this).
    wake_below: AtomicUsize,
    lock: Mutex<()>,
    room: Condvar,
}

impl InFlight {
    /// Counts `docs` until tantivy turns each into its own document type.
    pub fn track(&self, docs: Vec<TantivyDocument>) -> impl Iterator<Item = Tracked> + '_ {
        self.0.count.fetch_add(docs.len(), Ordering::SeqCst);
        docs.into_iter().map(|doc| Tracked {
            doc,
            in_flight: self.clone(),
        })
    }

    /// Waits until `more` paragraphs fit under `limit` (or nothing is in
    /// flight: a bigger article still goes, alone).
    pub fn wait_below(&self, limit: usize, more: usize) {
        let state = &*self.0;
        // The count that lets `more` in: `limit - more`, or 0 when `more`
        // alone is over the limit.
        let target = limit.saturating_sub(more);
        if state.count.load(Ordering::SeqCst) <= target {
            return;
        }
        let mut guard = state.lock.lock().unwrap_or_else(|e| e.into_inner());
        // Announced before the count is read again (both sequentially
        // consistent): a paragraph taken up after this read sees the
        // announcement and wakes us; one taken up before it is in the count.
        state.wake_below.store(target + 1, Ordering::SeqCst);
        while state.count.load(Ordering::SeqCst) > target {
            guard = state.room.wait(guard).unwrap_or_else(|e| e.into_inner());
        }
        state.wake_below.store(0, Ordering::SeqCst);
    }

    fn taken(&self) {
        let state = &*self.0;
        let left = state.count.fetch_sub(1, Ordering::SeqCst).saturating_sub(1);
        if left < state.wake_below.load(Ordering::SeqCst) {
            // Under the lock, so that the waiter is inside `wait` (it holds
            // the lock from its announcement until then).
            let _guard = state.lock.lock().unwrap_or_else(|e| e.into_inner());
            state.room.notify_all();
        }
    }
}

/// A paragraph on its way into tantivy, counted in [`InFlight`].
pub struct Tracked {
    doc: TantivyDocument,
    in_flight: InFlight,
}

impl Drop for Tracked {
    fn drop(&mut self) {
        self.in_flight.taken();
    }
}

impl tantivy::Document for Tracked {
    type Value<'a> = <TantivyDocument as tantivy::Document>::Value<'a>;
    type FieldsValuesIter<'a> = <TantivyDocument as tantivy::Document>::FieldsValuesIter<'a>;

    fn iter_fields_and_values(&self) -> Self::FieldsValuesIter<'_> {
        self.doc.iter_fields_and_values()
    }

    fn into_tantivy_document(mut self) -> TantivyDocument {
        std::mem::take(&mut self.doc)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::mpsc::sync_channel;

    fn docs(n: usize) -> Vec<TantivyDocument> {
        (0..n).map(|_| TantivyDocument::default()).collect()
    }

    #[test]
    fn counts_what_is_tracked_until_it_is_dropped() {
        let in_flight = InFlight::default();
        let tracked: Vec<Tracked> = in_flight.track(docs(7)).collect();
        assert_eq!(in_flight.0.count.load(Ordering::SeqCst), 7);
        drop(tracked);
        assert_eq!(in_flight.0.count.load(Ordering::SeqCst), 0);
    }

    #[test]
    fn a_batch_over_the_limit_goes_alone_when_nothing_is_in_flight() {
        // Returns at once: nothing would ever wake it otherwise.
        InFlight::default().wait_below(10, 50);
    }

    /// A consumer on another thread drops paragraphs one by one; the
    /// producer never has more than the limit in flight (but for a batch
    /// that goes alone), and never waits for a wake-up that does not come.
    #[test]
    fn the_producer_waits_for_room_and_is_woken() {
        const LIMIT: usize = 20;
        let in_flight = InFlight::default();
        let (send, receive) = sync_channel::<Tracked>(1_000);
        let consumer = std::thread::spawn(move || {
            let mut taken = 0;
            for tracked in receive {
                if taken % 7 == 0 {
                    std::thread::sleep(std::time::Duration::from_micros(50));
                }
                drop(tracked);
                taken += 1;
            }
            taken
        });
        let mut sent = 0;
        for round in 0..300 {
            let batch = 1 + round % 9;
            in_flight.wait_below(LIMIT, batch);
            let before = in_flight.0.count.load(Ordering::SeqCst);
            assert!(before + batch <= LIMIT, "{before} in flight, {batch} more");
            for tracked in in_flight.track(docs(batch)).collect::<Vec<_>>() {
                send.send(tracked).unwrap();
            }
            sent += batch;
        }
        // One batch bigger than the limit: it waits for the rest to drain.
        in_flight.wait_below(LIMIT, LIMIT + 5);
        assert_eq!(in_flight.0.count.load(Ordering::SeqCst), 0);
        drop(send);
        assert_eq!(consumer.join().unwrap(), sent);
    }
}
