//! Segments searched in parallel give exactly the hits, scores, order and
//! totals of a search on one thread, on a real index of several segments:
//! the ranked search, in the default scope and without, and the counts.
//! (Streamed results, `--all` and the other orders, run on one thread.)
//! Grouped counts over several segments agree with the hits themselves.

mod common;

use std::collections::{BTreeMap, BTreeSet};

use common::{EVERYTHING, TestEnv, generate_corpus, segments};
use fundstelle::index::IndexDir;
use fundstelle::ingest::Kind;
use fundstelle::search::{Limit, Query, Request, Searcher, Sort, Totals};

type Ranked = Vec<(u64, String, u64, f32)>;

/// The best `n` hits of `text` and the totals: as asked, and in the
/// default scope (the matches it leaves out counted as the CLI does).
fn run(searcher: &Searcher, text: &str, n: usize) -> [(Ranked, Totals); 2] {
    let query = Query::parse(text).unwrap();
    // As `search` does: the columns start opening on the search threads
    // (with one thread, nothing happens).
    searcher.open_ahead(&query);
    let request = Request {
        limit: Limit::Top(n),
        sort: Sort::Score,
        per_article: None,
    };
    let ranked = |scoped: bool| {
        let mut hits = Vec::new();
        let mut keep = |hit: fundstelle::search::Hit| {
            hits.push((hit.rank, hit.path, hit.line, hit.score));
            Ok(())
        };
        let totals = if scoped {
            let scoped = query.clone().in_scope(&Kind::DEFAULT_SCOPE);
            let mut totals = searcher.run_scoped(&scoped, &request, &mut keep).unwrap();
            let ranked_left_out = totals.out_of_scope;
            searcher.count_left_out(&scoped, &mut totals).unwrap();
            assert_eq!(totals.out_of_scope, ranked_left_out, "{text}");
            totals
        } else {
            searcher.search(&query, request.limit, &mut keep).unwrap()
        };
        let counted = searcher.count(&query).unwrap();
        if !scoped {
            assert_eq!(counted.paragraphs, totals.paragraphs, "{text}");
        }
        (hits, totals)
    };
    [ranked(false), ranked(true)]
}

/// Indexes the seeds and generated articles in runs that leave an index of
/// several segments; returns how many.
fn index_of_several_segments(env: &TestEnv) -> usize {
    // Each run writes the files of the run before again, unchanged, and
    // adds some; the later runs add too few to merge the index into one
    // segment, and keep small segments apart, so each adds a segment.
    for files in [60, 75, 85] {
        generate_corpus(env, "mehr", files, 12);
        env.index_keeping_segments(&["seeds", "mehr"]);
    }
    let segments = segments(env);
    assert!(segments >= 2, "{segments} segments");
    segments
}

#[test]
fn parallel_segments_give_the_hits_of_one_thread() {
    let env = TestEnv::with_seeds();
    let segments = index_of_several_segments(&env);

    let dir = IndexDir::new(env.path().join("index"));
    let one = Searcher::open_with_threads(&dir, 1).unwrap();
    let parallel = Searcher::open_with_threads(&dir, 4).unwrap();
    // The thread pool tantivy's searcher runs on.
    assert_eq!(one.threads(), 1);
    assert_eq!(parallel.threads(), segments.min(4));

    let (mut found, mut left_out) = (0, 0);
    for text in [
        "Sicherheitsgarantien",
        "Europa",
        "Ukraine OR Russland",
        "\"Koalition der Willigen\"",
        "Europa -Ukraine",
        "kind:heading Europa",
        "Sicherheit*",
        "Europa lang:deu",
        "title:Europa Ukraine",
    ] {
        for n in [10, 1000] {
            let expected = run(&one, text, n);
            found += expected[0].0.len();
            left_out += expected[1].1.out_of_scope;
            assert_eq!(run(&parallel, text, n), expected, "{text} {n}");
        }
    }
    // Enough hits, spread over the segments, and matches the scope leaves
    // out, for the comparison to mean something.
    assert!(found > 1000, "{found} hits");
    assert!(left_out > 0, "nothing left out of scope");
}

/// `count --by` counts ordinals per segment and adds the segments up; the
/// expected groups here come from every matching paragraph's own stored
/// values, articles counted by id over the whole index.
#[test]
fn grouped_counts_over_several_segments_agree_with_the_hits() {
    let env = TestEnv::with_seeds();
    index_of_several_segments(&env);
    let dir = IndexDir::new(env.path().join("index"));
    let searcher = Searcher::open_with_threads(&dir, 1).unwrap();
    for text in ["Europa", "Ukraine OR Russland", EVERYTHING] {
        let query = Query::parse(text).unwrap();
        let mut hits = Vec::new();
        searcher
            .search(&query, Limit::All, &mut |hit| {
                hits.push(hit);
                Ok(())
            })
            .unwrap();
        assert!(hits.len() > 100, "{text}: {} hits", hits.len());
        for grouping in ["date", "month", "doc", "agency", "lang", "kind"] {
            let mut expected: BTreeMap<Option<String>, (u64, BTreeSet<String>)> = BTreeMap::new();
            for hit in &hits {
                let keys: BTreeSet<Option<String>> = match grouping {
                    "date" => [hit.date.clone()].into(),
                    "month" => [hit.date.as_ref().map(|d| d[..7].to_string())].into(),
                    "doc" => [Some(hit.doc.clone())].into(),
                    "agency" if hit.agency.is_empty() => [None].into(),
                    "agency" => hit.agency.iter().cloned().map(Some).collect(),
                    "lang" => [Some(hit.lang.clone())].into(),
                    _ => [Some(hit.kind.clone())].into(),
                };
                for key in keys {
                    let entry = expected.entry(key).or_default();
                    entry.0 += 1;
                    entry.1.insert(hit.doc.clone());
                }
            }
            let expected: BTreeMap<_, _> = expected
                .into_iter()
                .map(|(key, (paragraphs, docs))| (key, (paragraphs, docs.len() as u64)))
                .collect();
            let counted: BTreeMap<_, _> = searcher
                .count_by(&query, grouping)
                .unwrap()
                .into_iter()
                .map(|g| (g.key, (g.paragraphs, g.articles)))
                .collect();
            assert_eq!(counted, expected, "{text} by {grouping}");
        }
    }
}
