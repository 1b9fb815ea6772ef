//! Parallel work, delivered in order, with bounded memory.
//!
//! Reading, decoding, segmenting and language detection of one file do not
//! depend on any other file, so worker threads do them in parallel. The
//! tantivy writer is one consumer that must see the files in their sorted
//! order (so that a parallel build is the same index as a sequential one).
//! Workers take the next file from a shared counter, but never run more than
//! `window` files ahead of the consumer, and hand results over through a
//! bounded channel; results that arrive early wait in a small reorder
//! buffer. So at most `window` files' results are in memory, whatever the
//! corpus size.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::mpsc::sync_channel;
use std::sync::{Condvar, Mutex};

/// Calls `work` on every item `0..items` on `threads` threads and `consume`
/// on the results in item order, on the calling thread. Stops early (and
/// returns the error) when `consume` fails.
pub fn ordered_map<R, E>(
    items: usize,
    threads: usize,
    window: usize,
    work: impl Fn(usize) -> R + Sync,
    mut consume: impl FnMut(usize, R) -> Result<(), E>,
) -> Result<(), E>
where
    R: Send,
{
    let threads = threads.max(1);
    let window = window.max(1);
    let next = AtomicUsize::new(0);
    let stop = AtomicBool::new(false);
    // How many results the consumer has taken, and how many workers wait
    // for it to take more (only then is there anyone to wake: a wake-up
    // per file cost a tenth of an update of unchanged files).
    let consumed = (Mutex::new((0usize, 0usize)), Condvar::new());
    std::thread::scope(|scope| {
        let (sender, receiver) = sync_channel::<(usize, R)>(window);
        for _ in 0..threads {
            let sender = sender.clone();
            let (next, stop, consumed, work) = (&next, &stop, &consumed, &work);
            scope.spawn(move || {
                loop {
                    let i = next.fetch_add(1, Ordering::SeqCst);
                    if i >= items {
                        return;
                    }
                    {
                        let (lock, ready) = consumed;
                        let mut state = lock.lock().unwrap_or_else(|e| e.into_inner());
                        while i >= state.0 + window && !stop.load(Ordering::SeqCst) {
                            state.1 += 1;
                            state = ready.wait(state).unwrap_or_else(|e| e.into_inner());
                            state.1 -= 1;
                        }
                    }
                    if stop.load(Ordering::SeqCst) {
                        return;
                    }
                    let result = work(i);
                    if sender.send((i, result)).is_err() {
                        return;
                    }
                }
            });
        }
        drop(sender);

        let outcome = (|| {
            let mut early: BTreeMap<usize, R> = BTreeMap::new();
            let mut expected = 0;
            for (i, result) in receiver.iter() {
                early.insert(i, result);
                while let Some(result) = early.remove(&expected) {
                    consume(expected, result)?;
                    expected += 1;
                    let (lock, ready) = &consumed;
                    let mut state = lock.lock().unwrap_or_else(|e| e.into_inner());
                    state.0 = expected;
                    if state.1 > 0 {
                        ready.notify_all();
                    }
                }
            }
            Ok(())
        })();
        if outcome.is_err() {
            // Under the lock: a worker between its check of `stop` and its
            // wait would otherwise miss the wake-up.
            let state = consumed.0.lock().unwrap_or_else(|e| e.into_inner());
            stop.store(true, Ordering::SeqCst);
            drop(state);
            consumed.1.notify_all();
        }
        // Dropping the receiver makes pending sends fail, so workers end.
        drop(receiver);
        outcome
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn results_arrive_in_order_whatever_the_timing() {
        let items: Vec<u64> = (0..200).collect();
        let mut seen = Vec::new();
        ordered_map(
            items.len(),
            4,
            3,
            |i| {
                let n = items[i];
                // Uneven work, so that results finish out of order.
                std::thread::sleep(std::time::Duration::from_micros((n * 37) % 500));
                n * 2
            },
            |i, r| {
                assert_eq!(r, items[i] * 2);
                seen.push(i);
                Ok::<(), ()>(())
            },
        )
        .unwrap();
        assert_eq!(seen, (0..200).collect::<Vec<_>>());
    }

    #[test]
    fn workers_never_run_more_than_the_window_ahead() {
        let items: Vec<usize> = (0..100).collect();
        let consumed = AtomicUsize::new(0);
        ordered_map(
            items.len(),
            4,
            5,
            |i| {
                assert!(
                    i < consumed.load(Ordering::SeqCst) + 5,
                    "item {i} too early"
                );
            },
            |i, ()| {
                consumed.store(i + 1, Ordering::SeqCst);
                Ok::<(), ()>(())
            },
        )
        .unwrap();
    }

    #[test]
    fn an_error_of_the_consumer_stops_everything() {
        let items: Vec<usize> = (0..10_000).collect();
        let worked = AtomicUsize::new(0);
        let result = ordered_map(
            items.len(),
            2,
            4,
            |_| {
                worked.fetch_add(1, Ordering::SeqCst);
            },
            |i, ()| if i == 10 { Err(i) } else { Ok(()) },
        );
        assert_eq!(result, Err(10));
        assert!(worked.load(Ordering::SeqCst) < 100);
    }
}
