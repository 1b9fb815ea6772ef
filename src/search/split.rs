//! A query's matches collected on all of the searcher's threads, a large
//! segment in several ranges of documents at once.
//!
//! tantivy searches segments in parallel, one thread each; a full build
//! leaves one large segment, so a query ran on one thread while the other
//! cores waited. Here a segment of many documents is cut into ranges that
//! each begin where an article begins ([`ArticleStarts`]), so that no
//! article's paragraphs are in two ranges: a collector that counts
//! articles per segment ([`super::tally`]) counts each range as it would a
//! segment, and a range's matches still arrive in increasing order. Each
//! range gets its own scorer, moved to the range's first document.

use std::cmp::Reverse;
use std::ops::Range;

use tantivy::collector::{Collector, SegmentCollector};
use tantivy::error::DataCorruption;
use tantivy::query::{EnableScoring, Query, Weight};
use tantivy::{DocId, DocSet, Executor, SegmentOrdinal, SegmentReader, TERMINATED, TantivyError};

use super::starts::ArticleStarts;

/// When a segment is cut, and when its ranges are searched apart.
#[derive(Debug, Clone, Copy)]
struct Limits {
    /// A segment is cut only into ranges of at least this many documents.
    min_range: u32,
    /// The ranges are searched apart only when the query's scorer costs
    /// (about: postings to read, tantivy's `DocSet::cost`) at least this
    /// much per term of the query: each range creates a scorer, about a
    /// microsecond a term (a word with its compounds has hundreds, most of
    /// them read at once, [`super::any_term`]), which the range must save
    /// in matches.
    cost_per_term: u64,
    /// ... and at least this much in all.
    min_cost: u64,
    /// A query of more terms is not cut at all: the ranges' scorers,
    /// each made on its own thread at the same time, slow each other down
    /// (they fault in the same pages of the dictionary and the postings)
    /// by more than ranges save.
    max_terms: u64,
}

/// About 15 MB of text a range, some 40 postings a term, and no more than
/// 2,000 terms (BENCHMARKS.md, eighteenth and nineteenth rounds): the
/// words of the benchmark's mix, their compounds included, a word AND
/// another with hundreds of compounds each, and phrases of common words
/// are cut; a rare word is not.
const LIMITS: Limits = Limits {
    min_range: 200_000,
    cost_per_term: 40,
    min_cost: 5_000,
    max_terms: 2_000,
};

/// How many ranges a segment of `max_doc` documents is cut into at most.
pub(super) fn ranges_at_most(max_doc: u32) -> usize {
    (max_doc / LIMITS.min_range).max(1) as usize
}

/// One range of one segment's documents.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Job {
    segment: SegmentOrdinal,
    docs: Range<DocId>,
}

/// Runs `query` with `collector` like tantivy's `Searcher::search`, with a
/// large segment's ranges on different threads when that pays. The
/// collector must accept several segment collectors for one segment, each
/// given the matches of its range (articles whole), and merge their fruits
/// as it merges those of segments.
pub(super) fn search<C: Collector>(
    searcher: &tantivy::Searcher,
    query: &dyn Query,
    collector: &C,
) -> tantivy::Result<C::Fruit> {
    search_in_ranges(searcher, query, collector, LIMITS)
}

fn search_in_ranges<C: Collector>(
    searcher: &tantivy::Searcher,
    query: &dyn Query,
    collector: &C,
    limits: Limits,
) -> tantivy::Result<C::Fruit> {
    let executor = searcher.index().search_executor();
    let threads = match executor {
        Executor::ThreadPool(pool) => pool.current_num_threads(),
        Executor::SingleThread => 1,
    };
    let scoring = if collector.requires_scoring() {
        EnableScoring::enabled_from_searcher(searcher)
    } else {
        EnableScoring::disabled_from_searcher(searcher)
    };
    let weight = query.weight(scoring)?;
    let mut terms = 0u64;
    query.query_terms(&mut |_, _| terms += 1);
    let least_cost = (limits.cost_per_term * terms).max(limits.min_cost);
    let readers = searcher.segment_readers();
    let cuts = if terms > limits.max_terms { 1 } else { threads };
    let mut jobs = jobs(readers, cuts, limits.min_range)?;
    // The largest first: a thread that finishes early takes the small ones.
    jobs.sort_by_key(|job| Reverse(job.docs.len()));
    let fruits = executor.map(
        |job: Job| {
            let reader = &readers[job.segment as usize];
            collect_range(collector, weight.as_ref(), reader, job, least_cost)
        },
        jobs.into_iter(),
    )?;
    collector.merge_fruits(fruits.into_iter().flatten().collect())
}

/// The ranges to search: with `threads` threads, a segment holding more
/// than its share of all documents is cut into ranges of about that share
/// (at least `min_range` documents each, each from an article's start),
/// the others are whole. A segment's ranges are listed in order.
fn jobs(readers: &[SegmentReader], threads: usize, min_range: u32) -> tantivy::Result<Vec<Job>> {
    let total: u64 = readers.iter().map(|r| u64::from(r.max_doc())).sum();
    let share = total.div_ceil(threads.max(1) as u64).max(1);
    let mut jobs = Vec::new();
    for (ord, reader) in readers.iter().enumerate() {
        let segment = ord as SegmentOrdinal;
        let max_doc = reader.max_doc();
        let parts = u64::from(max_doc)
            .div_ceil(share)
            .min(u64::from(max_doc / min_range.max(1)))
            .max(1);
        let mut from = 0;
        if parts > 1 {
            let mut starts = ArticleStarts::open(reader)?;
            for part in 1..parts {
                // The first article start at or after an even cut (and
                // after the range before).
                let cut = (u64::from(max_doc) * part / parts) as DocId;
                let to = starts.after(cut.saturating_sub(1).max(from));
                if to == TERMINATED || to >= max_doc {
                    break;
                }
                jobs.push(Job {
                    segment,
                    docs: from..to,
                });
                from = to;
            }
        }
        jobs.push(Job {
            segment,
            docs: from..max_doc,
        });
    }
    Ok(jobs)
}

/// The fruit of one range, as tantivy collects a segment (deleted
/// documents are skipped); `None` for a later range of a segment whose
/// scorer costs less than `least_cost`: the first range then takes the
/// whole segment. Each range decides alone, from its own scorer, and they
/// all agree: the cost is the whole segment's.
fn collect_range<C: Collector>(
    collector: &C,
    weight: &dyn Weight,
    reader: &SegmentReader,
    job: Job,
    least_cost: u64,
) -> tantivy::Result<Option<<C::Child as SegmentCollector>::Fruit>> {
    let mut scorer = weight.scorer(reader, 1.0)?;
    let whole = 0..reader.max_doc();
    let mut docs = job.docs;
    // A range that is not the whole segment is one of several.
    if docs != whole && scorer.cost() < least_cost {
        if docs.start > 0 {
            return Ok(None);
        }
        docs = whole;
    }
    let mut child = collector.for_segment(job.segment, reader)?;
    let mut doc = scorer.doc();
    if doc < docs.start {
        doc = scorer.seek(docs.start);
    }
    let alive = reader.alive_bitset();
    let scoring = collector.requires_scoring();
    // TERMINATED is above every range.
    while doc < docs.end {
        if alive.is_none_or(|a| a.is_alive(doc)) {
            child.collect(doc, if scoring { scorer.score() } else { 0.0 });
        }
        doc = scorer.advance();
    }
    // Past the last range a scorer can only be done: damaged postings can
    // point past the segment's end (where tantivy's own search panics).
    if docs.end == reader.max_doc() && doc != TERMINATED {
        return Err(TantivyError::DataCorruption(DataCorruption::comment_only(
            format!(
                "a match at document {doc} past the end of segment {} ({} documents)",
                reader.segment_id().short_uuid_string(),
                reader.max_doc()
            ),
        )));
    }
    Ok(Some(child.harvest()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::index::schema::{ARTICLE_START, name};
    use crate::ingest::Kind;
    use crate::search::tally::Tally;
    use crate::search::top::TopByScore;
    use tantivy::collector::Count;
    use tantivy::query::{BooleanQuery, Occur, TermQuery};
    use tantivy::schema::{FAST, Field, IndexRecordOption, STRING, Schema, TEXT};
    use tantivy::{Index, TantivyDocument, Term};

    /// Articles of random length (their paragraphs with random words and
    /// kinds) in a large segment and a small one, some articles deleted;
    /// and the text field.
    fn corpus(seed: u64) -> (Index, Field) {
        let mut b = Schema::builder();
        let doc_id = b.add_text_field(name::DOC, STRING | FAST);
        let start = b.add_text_field(name::START, STRING);
        let kind = b.add_text_field(name::KIND, STRING);
        let text = b.add_text_field(name::TEXT, TEXT);
        let mut index = Index::create_in_ram(b.build());
        let mut writer = index.writer_with_num_threads(1, 15_000_000).unwrap();
        let mut state = seed.wrapping_add(1442695040888963407);
        let mut next = |n: u64| {
            state = state
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (state >> 33) % n
        };
        let words = ["a", "b", "c", "d", "e", "f"];
        let kinds = [Kind::Body, Kind::Heading, Kind::Comment, Kind::Boilerplate];
        let mut article = 0;
        for articles in [300, 20] {
            for _ in 0..articles {
                article += 1;
                // Ids not in the order of addition: ties are ordered by id.
                let id = format!("{:04}", (article * 7919) % 10_000);
                let mut batch = Vec::new();
                for p in 0..1 + next(12) {
                    let mut doc = TantivyDocument::new();
                    doc.add_text(doc_id, &id);
                    if p == 0 {
                        doc.add_text(start, ARTICLE_START);
                    }
                    doc.add_text(kind, kinds[next(4) as usize].as_str());
                    let paragraph: Vec<&str> =
                        (0..next(4)).map(|_| words[next(6) as usize]).collect();
                    doc.add_text(text, paragraph.join(" "));
                    batch.push(tantivy::indexer::UserOperation::Add(doc));
                }
                writer.run(batch).unwrap();
                if next(25) == 0 {
                    writer.delete_term(Term::from_field_text(doc_id, &id));
                }
            }
            writer.commit().unwrap();
        }
        index.set_multithread_executor(3).unwrap();
        (index, text)
    }

    fn queries(text: Field) -> Vec<Box<dyn Query>> {
        let term = |w: &str| -> Box<dyn Query> {
            Box::new(TermQuery::new(
                Term::from_field_text(text, w),
                IndexRecordOption::WithFreqs,
            ))
        };
        let mut all = Vec::new();
        for w in ["a", "b", "f"] {
            all.push(term(w));
        }
        all.push(Box::new(BooleanQuery::new(vec![
            (Occur::Should, term("c")),
            (Occur::Should, term("d")),
        ])));
        all.push(Box::new(BooleanQuery::new(vec![
            (Occur::Must, term("e")),
            (Occur::MustNot, term("a")),
        ])));
        all
    }

    /// Where the articles of a segment begin.
    fn article_starts(reader: &SegmentReader) -> Vec<DocId> {
        let mut starts = ArticleStarts::open(reader).unwrap();
        let mut all = vec![0];
        loop {
            let next = starts.after(*all.last().unwrap());
            if next == TERMINATED {
                return all;
            }
            all.push(next);
        }
    }

    #[test]
    fn the_ranges_cover_each_segment_once_and_begin_at_article_starts() {
        for seed in 0..8 {
            let (index, _) = corpus(seed);
            let searcher = index.reader().unwrap().searcher();
            let readers = searcher.segment_readers();
            assert_eq!(readers.len(), 2);
            for (threads, min_range) in [(1, 10), (2, 10), (3, 10), (8, 10), (2, 100_000)] {
                let jobs = jobs(readers, threads, min_range).unwrap();
                for (ord, reader) in readers.iter().enumerate() {
                    let ranges: Vec<&Range<DocId>> = jobs
                        .iter()
                        .filter(|j| j.segment as usize == ord)
                        .map(|j| &j.docs)
                        .collect();
                    // In order, without gaps or overlaps, from 0 to the end.
                    assert_eq!(ranges[0].start, 0);
                    assert_eq!(ranges.last().unwrap().end, reader.max_doc());
                    for pair in ranges.windows(2) {
                        assert_eq!(pair[0].end, pair[1].start);
                        assert!(!pair[0].is_empty());
                    }
                    let starts = article_starts(reader);
                    for r in &ranges {
                        assert!(starts.contains(&r.start), "seed {seed}: {r:?}");
                    }
                    // The large segment is cut as far as the threads and
                    // the least range allow; the small one is not.
                    let large = reader.max_doc() > 1000;
                    let expected = if large && min_range == 10 {
                        threads.min(starts.len())
                    } else {
                        1
                    };
                    assert_eq!(ranges.len(), expected, "seed {seed}, {threads} threads");
                }
            }
        }
    }

    /// A scorer that costs too little leaves a segment whole: its first
    /// range counts every match, the later ones give nothing.
    #[test]
    fn a_cheap_scorer_leaves_the_segment_to_its_first_range() {
        let (index, text) = corpus(3);
        let searcher = index.reader().unwrap().searcher();
        let readers = searcher.segment_readers();
        let query = queries(text).remove(0);
        let weight = query
            .weight(EnableScoring::disabled_from_searcher(&searcher))
            .unwrap();
        let jobs = jobs(readers, 2, 10).unwrap();
        let (first, later): (Vec<Job>, Vec<Job>) = jobs
            .into_iter()
            .filter(|j| j.docs != (0..readers[j.segment as usize].max_doc()))
            .partition(|j| j.docs.start == 0);
        assert_eq!((first.len(), later.len()), (1, 1));
        let reader = &readers[first[0].segment as usize];
        let count = |job: &Job, least_cost| {
            collect_range(&Count, weight.as_ref(), reader, job.clone(), least_cost).unwrap()
        };
        let whole = Count.collect_segment(weight.as_ref(), 0, reader).unwrap();
        assert_eq!(count(&first[0], u64::MAX), Some(whole));
        assert_eq!(count(&later[0], u64::MAX), None);
        let (a, b) = (count(&first[0], 0).unwrap(), count(&later[0], 0).unwrap());
        assert!(a > 0 && b > 0);
        assert_eq!(a + b, whole);
    }

    /// The best hits, their order among equal scores, and the counts of
    /// paragraphs, articles and what the scope leaves out are those of
    /// tantivy's own search of whole segments.
    #[test]
    fn ranges_find_what_whole_segments_find() {
        for seed in 0..8 {
            let (index, text) = corpus(seed);
            let searcher = index.reader().unwrap().searcher();
            // Ranges searched apart, and a segment's first range taking it
            // whole because the scorer costs too little.
            let cut = Limits {
                min_range: 10,
                cost_per_term: 0,
                min_cost: 0,
                max_terms: u64::MAX,
            };
            let costly = Limits {
                cost_per_term: u64::MAX / 1000,
                ..cut
            };
            let many_terms = Limits {
                max_terms: 0,
                ..cut
            };
            for (query, limits) in queries(text).into_iter().flat_map(|q| {
                [
                    (q.box_clone(), cut),
                    (q.box_clone(), costly),
                    (q, many_terms),
                ]
            }) {
                for scope in [None, Some(Kind::DEFAULT_SCOPE.to_vec())] {
                    let top = Tally {
                        inner: TopByScore::new(25),
                        scope: scope.clone(),
                    };
                    let whole = searcher.search(query.as_ref(), &top).unwrap();
                    let cut = search_in_ranges(&searcher, query.as_ref(), &top, limits).unwrap();
                    assert!(whole.1.paragraphs > 0, "seed {seed}: {query:?}");
                    assert_eq!(cut, whole, "seed {seed}: {query:?}, scope {scope:?}");
                    let count = Tally {
                        inner: Count,
                        scope,
                    };
                    assert_eq!(
                        search_in_ranges(&searcher, query.as_ref(), &count, limits).unwrap(),
                        searcher.search(query.as_ref(), &count).unwrap()
                    );
                }
            }
        }
    }
}
