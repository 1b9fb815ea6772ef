//! Titles and headings are indexed once per article and section and carried
//! to every paragraph they cover (src/search/join.rs). That relies on an
//! article's paragraphs staying consecutive in one segment, through several
//! indexing threads, commits, merges, updates and deletions. These tests
//! build such an index with the real binary and check `title:` and
//! `heading:` against what every paragraph stores as its title and heading.

mod common;

use std::collections::BTreeMap;

use common::{EVERYTHING, TestEnv, segments};
use serde_json::Value;

/// An invented word, unchanged by the German stemmer (ends in `t`), unique
/// for `n`.
fn word(n: usize) -> String {
    const SYLLABLES: [&str; 8] = ["bal", "tor", "min", "kus", "rad", "fol", "wip", "zan"];
    let mut w = String::from("Q");
    let mut n = n;
    for _ in 0..4 {
        w.push_str(SYLLABLES[n % 8]);
        n /= 8;
    }
    w.push('t');
    w
}

/// Article `i` as an HTML page: a title, a lead, and `1 + i % 3` sections
/// with a heading each and `2 + s` paragraphs under it, except that some
/// sections have one paragraph and some between 9 and 31: blocks of every
/// size from 1 to 40 paragraphs, whose ends the join finds by doubling and
/// halving steps.
fn article(i: usize, version: usize) -> String {
    let mut html = format!(
        "<html><body><h1>Bericht {} Ausgabe {version}</h1>\n<p>Ein einleitender Absatz ohne Überschrift, Nummer {i}.</p>\n",
        word(i + 1000 * version)
    );
    for s in 0..(1 + i % 3) {
        html.push_str(&format!(
            "<h2>Kapitel {}</h2>\n",
            word(100_000 + i * 10 + s + 1000 * version)
        ));
        let count = match (i % 5, s) {
            (0, 0) => 1,
            (1, _) => 9 + i % 23,
            _ => 2 + s,
        };
        for p in 0..count {
            html.push_str(&format!(
                "<p>Der Absatz {p} im Kapitel {s} des Berichts {i} handelt vom Wetter.</p>\n"
            ));
        }
    }
    html.push_str("</body></html>\n");
    html
}

/// Every paragraph's `(doc, para)` with its stored title and heading, and
/// whether its text has the word "Wetter".
fn paragraphs(env: &TestEnv) -> Vec<(String, u64, String, String, bool)> {
    let out = env
        .cmd()
        .args(["search", "--all", "--include", "all", "--format", "jsonl"])
        .arg(EVERYTHING)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| {
            let v: Value = serde_json::from_str(l).unwrap();
            let s = |k: &str| v[k].as_str().unwrap_or("").to_string();
            (
                s("doc"),
                v["para"].as_u64().unwrap(),
                s("title"),
                s("heading"),
                common::words(&s("text")).contains(&"wetter".to_string()),
            )
        })
        .collect()
}

/// `(doc, para)` of every hit of `query`, all kinds included.
fn hits(env: &TestEnv, query: &str) -> Vec<(String, u64)> {
    let out = env
        .cmd()
        .args([
            "search",
            "--all",
            "--include",
            "all",
            "--format",
            "jsonl",
            query,
        ])
        .output()
        .unwrap();
    assert!(matches!(out.status.code(), Some(0 | 1)), "{query}");
    let mut hits: Vec<(String, u64)> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| {
            let v: Value = serde_json::from_str(l).unwrap();
            (
                v["doc"].as_str().unwrap().to_string(),
                v["para"].as_u64().unwrap(),
            )
        })
        .collect();
    hits.sort();
    hits
}

/// `(doc, para, has "Wetter")` of a paragraph a title or heading covers.
type Covered = (String, u64, bool);

/// Checks `title:W` and `heading:W` for every word W of a title or
/// heading against the paragraphs whose stored title or heading holds W,
/// alone and together with a word of the text (which makes tantivy seek in
/// the joined lists rather than walk them).
fn check(env: &TestEnv, words: &[String]) {
    let all = paragraphs(env);
    let mut expected: BTreeMap<(&str, String), Vec<Covered>> = BTreeMap::new();
    // Every third word (of titles and headings, old and new, alternately):
    // each costs four processes.
    for w in words.iter().step_by(3) {
        expected.insert(("title", w.clone()), Vec::new());
        expected.insert(("heading", w.clone()), Vec::new());
    }
    for (doc, para, title, heading, wetter) in &all {
        for (field, value) in [("title", title), ("heading", heading)] {
            for w in value.split_whitespace() {
                if let Some(list) = expected.get_mut(&(field, w.to_string())) {
                    list.push((doc.clone(), *para, *wetter));
                }
            }
        }
    }
    let mut nonempty = 0;
    for ((field, w), mut want) in expected {
        want.sort();
        nonempty += usize::from(!want.is_empty());
        let plain: Vec<(String, u64)> = want.iter().map(|(d, p, _)| (d.clone(), *p)).collect();
        assert_eq!(hits(env, &format!("{field}:{w}")), plain, "{field}:{w}");
        let with_text: Vec<(String, u64)> = want
            .iter()
            .filter(|(_, _, wetter)| *wetter)
            .map(|(d, p, _)| (d.clone(), *p))
            .collect();
        let query = format!("Wetter {field}:{w}");
        assert_eq!(hits(env, &query), with_text, "{query}");
    }
    assert!(nonempty > 0, "no title or heading word is in the index");
}

#[test]
fn titles_and_headings_cover_their_paragraphs_across_segments_and_updates() {
    let env = TestEnv::empty();
    let n = 60;
    for i in 0..n {
        env.write(&format!("corpus/b{i:03}.html"), article(i, 0));
    }
    // Two threads, the smallest memory and tiny commit intervals: several
    // segments, written concurrently, and merges.
    let index = |env: &TestEnv| {
        env.cmd()
            .args(["index", "corpus", "-j", "2", "--memory", "30"])
            .args(["--commit-every", "0.002"])
            .assert()
            .success();
    };
    index(&env);
    // The commits left many small segments; the first build merges them.
    assert_eq!(segments(&env), 1, "segments after the first build");
    let mut words: Vec<String> = (0..n).map(word).collect();
    words.extend((0..n).flat_map(|i| (0..3).map(move |s| word(100_000 + i * 10 + s))));
    check(&env, &words);

    // Change a third of the articles (new title and heading words), delete
    // a tenth, add some: the old words must match nothing, the new ones
    // exactly their paragraphs.
    for i in (0..n).step_by(3) {
        env.write(&format!("corpus/b{i:03}.html"), article(i, 1));
        words.push(word(i + 1000));
        words.extend((0..3).map(|s| word(100_000 + i * 10 + s + 1000)));
    }
    for i in (1..n).step_by(10) {
        std::fs::remove_file(env.path().join(format!("corpus/b{i:03}.html"))).unwrap();
    }
    for i in n..n + 12 {
        env.write(&format!("corpus/b{i:03}.html"), article(i, 0));
        words.push(word(i));
        words.extend((0..3).map(|s| word(100_000 + i * 10 + s)));
    }
    index(&env);
    check(&env, &words);
    assert!(
        hits(&env, &format!("title:{}", word(0))).is_empty(),
        "a replaced title still matches"
    );
}
