//! Golden segmentation tests: for every seed, the checked-in expectation in
//! `tests/golden/DOC.tsv` (decided by reading the seed; the reasons are
//! noted in each file) must match what the indexer made of it, in full.

mod common;

use common::{TestEnv, seed_files};
use serde_json::Value;

fn field(v: &Value) -> String {
    match v {
        Value::Null => "-".into(),
        Value::String(s) if s.is_empty() => "-".into(),
        Value::String(s) => s.clone(),
        Value::Array(a) if a.is_empty() => "-".into(),
        Value::Array(a) => a
            .iter()
            .map(|x| x.as_str().unwrap_or_default().to_string())
            .collect::<Vec<_>>()
            .join(","),
        other => other.to_string(),
    }
}

/// The article as `show --format json` reports it, in the golden layout.
fn actual(env: &TestEnv, doc: &str) -> Vec<String> {
    let a: Value = env.show(doc);
    let mut lines = vec![
        format!("title\t{}", field(&a["title"])),
        format!("date\t{}", field(&a["date"])),
        format!("lang\t{}", field(&a["lang"])),
        format!("agency\t{}", field(&a["agency"])),
    ];
    for p in a["paragraphs"].as_array().unwrap() {
        lines.push(
            [
                p["line"].to_string(),
                field(&p["kind"]),
                field(&p["lang"]),
                field(&p["agency"]),
                field(&p["heading"]),
                field(&p["comment_author"]),
                field(&p["comment_date"]),
            ]
            .join("\t"),
        );
    }
    lines
}

fn expected(doc: &str) -> Vec<String> {
    let path = format!("{}/tests/golden/{doc}.tsv", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{path}: {e}"))
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .map(str::to_string)
        .collect()
}

#[test]
fn every_seed_is_segmented_as_a_reader_would() {
    let env = TestEnv::indexed_seeds();
    let mut report = Vec::new();
    for (doc, text) in seed_files() {
        let want = expected(&doc);
        let got = actual(&env, &doc);
        let paragraphs = text.lines().filter(|l| !l.trim().is_empty()).count();
        assert_eq!(
            got.len() - 4,
            paragraphs,
            "{doc}: one paragraph per non-empty line"
        );
        for (i, (w, g)) in want.iter().zip(&got).enumerate() {
            if w != g {
                report.push(format!("{doc} row {i}:\n  expected {w}\n  got      {g}"));
            }
        }
        if want.len() != got.len() {
            report.push(format!(
                "{doc}: expected {} rows, got {}",
                want.len(),
                got.len()
            ));
        }
    }
    assert!(
        report.is_empty(),
        "{} differences:\n{}",
        report.len(),
        report.join("\n")
    );
}
