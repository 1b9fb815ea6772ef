//! The judged quality set: for each query in `tests/quality/judged.tsv`, the
//! paragraphs a German reader expects (decided by reading the seeds; the
//! word forms behind each judgment are in `make_judged.py`). Precision and
//! recall must both be 1.0 for every query; the table is printed either way.

mod common;

use std::collections::BTreeSet;

use common::{TestEnv, seed_files};

#[test]
fn judged_queries_have_full_precision_and_recall() {
    let env = TestEnv::indexed_seeds();
    let docs: Vec<String> = seed_files().into_iter().map(|(d, _)| d).collect();
    let full_doc = |prefix: &str| -> String {
        docs.iter()
            .find(|d| d.starts_with(prefix))
            .unwrap_or_else(|| panic!("no seed {prefix}"))
            .clone()
    };
    let judged = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/quality/judged.tsv"
    ))
    .unwrap();
    let mut table = vec![format!(
        "{:<42} {:>4} {:>4} {:>4} {:>9} {:>6}",
        "query", "exp", "got", "ok", "precision", "recall"
    )];
    let mut failures = Vec::new();
    let mut queries = 0;
    for row in judged
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
    {
        let cols: Vec<&str> = row.split('\t').collect();
        let (query, expected, why) = (cols[0], cols[1], cols.get(2).unwrap_or(&""));
        let expected: BTreeSet<(String, u64)> = expected
            .split_whitespace()
            .map(|p| {
                let (prefix, line) = p.split_once(':').unwrap();
                (full_doc(prefix), line.parse().unwrap())
            })
            .collect();
        let got = env.hit_lines(&[query]);
        let correct = got.intersection(&expected).count();
        let precision = if got.is_empty() {
            1.0
        } else {
            correct as f64 / got.len() as f64
        };
        let recall = if expected.is_empty() {
            1.0
        } else {
            correct as f64 / expected.len() as f64
        };
        table.push(format!(
            "{query:<42} {:>4} {:>4} {:>4} {precision:>9.2} {recall:>6.2}",
            expected.len(),
            got.len(),
            correct
        ));
        if precision < 1.0 || recall < 1.0 {
            let short = |s: &BTreeSet<(String, u64)>| -> Vec<String> {
                s.iter().map(|(d, l)| format!("{}:{l}", &d[..3])).collect()
            };
            failures.push(format!(
                "{query} ({why}):\n  unexpected {:?}\n  missing    {:?}",
                short(&got.difference(&expected).cloned().collect()),
                short(&expected.difference(&got).cloned().collect())
            ));
        }
        queries += 1;
    }
    println!("{}", table.join("\n"));
    assert!(queries >= 40, "the judged set has {queries} queries");
    assert!(
        failures.is_empty(),
        "{}\n\n{}",
        table.join("\n"),
        failures.join("\n")
    );
}
