//! Segments searched in parallel give exactly the hits, scores, order and
//! totals of a search on one thread, on a real index of several segments.

mod common;

use common::{TestEnv, generate_corpus, segments};
use fundstelle::index::IndexDir;
use fundstelle::search::query::Query;
use fundstelle::search::{Limit, Searcher};

type Ranked = Vec<(u64, String, u64, f32)>;

fn run(searcher: &Searcher, text: &str, limit: Limit) -> (Ranked, (u64, u64, u64)) {
    let query = Query::parse(text).unwrap();
    let mut hits = Vec::new();
    let totals = searcher
        .search(&query, limit, &mut |hit| {
            hits.push((hit.rank, hit.path, hit.line, hit.score));
            Ok(())
        })
        .unwrap();
    (
        hits,
        (totals.paragraphs, totals.articles, totals.out_of_scope),
    )
}

#[test]
fn parallel_segments_give_the_hits_of_one_thread() {
    let env = TestEnv::with_seeds();
    // Each run writes the files of the run before again, unchanged, and
    // adds some; the later runs add too few to merge the index into one
    // segment, so each adds a segment.
    for files in [60, 75, 85] {
        generate_corpus(&env, "mehr", files, 12);
        env.cmd()
            .args(["index", "seeds", "mehr"])
            .assert()
            .success();
    }
    let segments = segments(&env);
    assert!(segments >= 2, "{segments} segments");

    let dir = IndexDir::new(env.path().join("index"));
    let one = Searcher::open_with_threads(&dir, 1).unwrap();
    let parallel = Searcher::open_with_threads(&dir, 4).unwrap();
    assert_eq!(one.threads(), 1);
    assert_eq!(parallel.threads(), segments.min(4));

    let mut found = 0;
    for text in [
        "Sicherheitsgarantien",
        "Europa",
        "Ukraine OR Russland",
        "\"Koalition der Willigen\"",
        "Europa -Ukraine",
        "kind:heading Europa",
        "Sicherheit*",
        "Europa lang:deu",
    ] {
        for limit in [Limit::Top(10), Limit::Top(1000), Limit::All] {
            let expected = run(&one, text, limit);
            found += expected.0.len();
            assert_eq!(run(&parallel, text, limit), expected, "{text} {limit:?}");
        }
    }
    // Enough hits, spread over the segments, for the comparison to mean
    // something.
    assert!(found > 1000, "{found} hits");
}
