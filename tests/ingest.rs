//! Indexing with the real binary: paragraphs, lines, metadata, decoding, and
//! what happens to bad input.

mod common;

use std::collections::BTreeSet;

use common::{TestEnv, doc_line, fixture, seed_files};
use serde_json::Value;

/// Every paragraph of one article, via a `doc:` filter.
fn paragraphs(env: &TestEnv, doc: &str) -> Vec<Value> {
    let mut hits = env.hits(&[&format!("doc:{doc}")]);
    hits.sort_by_key(|h| h["para"].as_u64().unwrap());
    hits
}

#[test]
fn every_non_empty_seed_line_is_one_paragraph_at_its_line() {
    let env = TestEnv::indexed_seeds();
    for (doc, text) in seed_files() {
        let lines: Vec<&str> = text.lines().collect();
        let non_empty: Vec<usize> = (0..lines.len())
            .filter(|&i| !lines[i].trim().is_empty())
            .collect();
        let paras = paragraphs(&env, &doc);
        assert_eq!(paras.len(), non_empty.len(), "{doc}");
        for (n, (para, &i)) in paras.iter().zip(&non_empty).enumerate() {
            assert_eq!(para["para"].as_u64(), Some(n as u64 + 1), "{doc}");
            assert_eq!(para["line"].as_u64(), Some(i as u64 + 1), "{doc}");
            let text = para["text"].as_str().unwrap();
            // The text is the line as written (minus a " date …" header).
            assert!(lines[i].trim().ends_with(text), "{doc}:{}: {text}", i + 1);
            assert!(!text.is_empty());
        }
    }
}

#[test]
fn seed_metadata_comes_from_the_text_and_is_never_invented() {
    let env = TestEnv::indexed_seeds();
    for (doc, text) in seed_files() {
        let first = text.lines().next().unwrap();
        let paras = paragraphs(&env, &doc);
        let date = paras[0]["date"].as_str();
        let title = paras[0]["title"].as_str();
        // Every paragraph carries the same article metadata.
        assert!(
            paras
                .iter()
                .all(|p| p["date"].as_str() == date && p["title"].as_str() == title)
        );
        if let Some(rest) = first.trim_start().strip_prefix("date ") {
            // Seeds 002-004: " date 2025-09-04 Headline".
            assert_eq!(date, Some(&rest[..10]), "{doc}");
            let headline = rest[10..].trim();
            match title {
                Some(t) => {
                    assert_eq!(t, headline, "{doc}");
                    assert_eq!(paras[0]["kind"], "title");
                }
                // A whole lead paragraph after the header is not a title.
                None => assert!(headline.len() > 200, "{doc}: {headline}"),
            }
        }
    }
    // Seed 000 states "Mittwoch5. November 2025" at the top; seed 001 states
    // no publication date at all (only "24. Februar 2022" inside a quote).
    let p000 = paragraphs(&env, "000_d714841662dd548e");
    assert_eq!(p000[0]["date"], "2025-11-05");
    assert!(
        p000[0]["title"]
            .as_str()
            .unwrap()
            .contains("Koalition für Ukraine: 26 Länder"),
        "{}",
        p000[0]["title"]
    );
    let p001 = paragraphs(&env, "001_575c36f6a3e195c5");
    assert!(p001.iter().all(|p| p["date"].is_null()));
    assert!(p001.iter().all(|p| p["title"].is_null()));
}

#[test]
fn headings_are_recognised_and_set_the_heading_of_what_follows() {
    let env = TestEnv::indexed_seeds();
    let paras = paragraphs(&env, "004_cd28801b456d51a2");
    let heading_line = |text: &str| {
        paras
            .iter()
            .find(|p| p["text"] == text)
            .unwrap_or_else(|| panic!("{text}"))
    };
    for heading in [
        "Deutschland hält sich noch bedeckt",
        "Zusagen aus Washington lassen auf sich warten",
        "Drohen Moskau neue Sanktionen?",
    ] {
        let h = heading_line(heading);
        assert_eq!(h["kind"], "heading", "{heading}");
        // The next paragraph stands under it.
        let next = &paras[h["para"].as_u64().unwrap() as usize];
        assert_eq!(next["heading"], heading);
        assert_eq!(next["kind"], "body");
    }
    assert!(
        paras[1]["heading"].is_null(),
        "nothing above the first heading"
    );
}

#[test]
fn hard_wrapped_text_is_joined_into_paragraphs() {
    let env = TestEnv::empty();
    let source = std::fs::read_to_string(fixture("hard-wrapped.txt")).unwrap();
    env.write("docs/hard-wrapped.txt", &source);
    env.cmd().args(["index", "docs"]).assert().success();
    let paras = paragraphs(&env, "hard-wrapped");
    // One paragraph per blank-line separated block, at the block's first line.
    let mut block_starts = Vec::new();
    let lines: Vec<&str> = source.lines().collect();
    for (i, l) in lines.iter().enumerate() {
        if !l.trim().is_empty() && (i == 0 || lines[i - 1].trim().is_empty()) {
            block_starts.push(i as u64 + 1);
        }
    }
    let found: Vec<u64> = paras.iter().map(|p| p["line"].as_u64().unwrap()).collect();
    assert_eq!(found, block_starts);
    let second = paras[1]["text"].as_str().unwrap();
    assert!(
        second.contains("künftige Sicherheitsgarantien für"),
        "{second}"
    );
    assert!(second.contains("Staats- und Regierungschefs"), "{second}");
    assert!(!second.contains('\n'));
    // The rejoined word is found, quoted and unquoted.
    let expected = BTreeSet::from([("hard-wrapped".to_string(), block_starts[1])]);
    assert_eq!(env.hit_lines(&["\"Sicherheitsgarantien\""]), expected);
    assert_eq!(env.hit_lines(&["Sicherheitsgarantie"]), expected);
}

#[test]
fn bom_crlf_and_decomposed_umlauts_are_normalised() {
    let env = TestEnv::empty();
    env.write(
        "docs/windows.txt",
        b"\xEF\xBB\xBFErste Zeile \xC3\xBCber Paris.\r\n\r\nZweite Zeile: die La\xCC\x88nder.\r\n",
    );
    env.cmd().args(["index", "docs"]).assert().success();
    let paras = paragraphs(&env, "windows");
    let lines: Vec<u64> = paras.iter().map(|p| p["line"].as_u64().unwrap()).collect();
    assert_eq!(lines, [1, 3]);
    assert_eq!(paras[0]["text"], "Erste Zeile über Paris.");
    assert!(!paras[1]["text"].as_str().unwrap().contains('\r'));
    assert_eq!(
        env.hit_lines(&["\"Länder\""]),
        BTreeSet::from([("windows".into(), 3)])
    );
}

#[test]
fn bad_files_are_skipped_with_their_path_and_the_run_goes_on() {
    let env = TestEnv::empty();
    env.write("docs/gut.txt", "Ein guter Absatz über die Ukraine.\n");
    env.write("docs/binär.txt", b"PK\x03\x04\x00\x00binary");
    // UTF-16 (by its BOM) with a lone surrogate on line 2.
    env.write("docs/kaputt.txt", b"\xFF\xFEa\x00\n\x00\x00\xD8b\x00");
    env.write("docs/leer.txt", "");
    env.write("docs/notizen.md", "# not an article");
    let out = env.cmd().args(["index", "docs"]).output().unwrap();
    assert_eq!(
        out.status.code(),
        Some(2),
        "skipped files make the status 2"
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stderr.contains("docs/binär.txt") && stderr.contains("binary"),
        "{stderr}"
    );
    assert!(
        stderr.contains("docs/kaputt.txt") && stderr.contains("UTF-16LE (line 2)"),
        "{stderr}"
    );
    // An empty file is named, but as a note, not as an error.
    let about_empty: Vec<&str> = stderr.lines().filter(|l| l.contains("leer.txt")).collect();
    assert_eq!(
        about_empty,
        ["fundstelle: docs/leer.txt: empty (no text), passed over"],
        "{stderr}"
    );
    assert!(stdout.contains("indexed 1 article "), "{stdout}");
    assert!(stdout.contains("1 empty file (no text)"), "{stdout}");
    assert!(
        stdout.contains("1 file with another extension ignored"),
        "{stdout}"
    );
    assert_eq!(env.hit_lines(&["Ukraine"]).len(), 1);
}

#[test]
fn two_files_with_the_same_id_name_both_and_the_first_is_indexed() {
    let env = TestEnv::empty();
    env.write("a/artikel.txt", "Eins.\n");
    env.write("b/artikel.txt", "Zwei.\n");
    let out = env.cmd().args(["index", "a", "b"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("skipped b/artikel.txt")
            && stderr.contains("already used by a/artikel.txt"),
        "{stderr}"
    );
    assert_eq!(env.hits(&["Eins"]).len(), 1);
    assert!(env.hits(&["Zwei"]).is_empty());
}

#[test]
fn rebuilding_replaces_the_index_and_a_failed_build_keeps_the_old_one() {
    let env = TestEnv::indexed_seeds();
    let before = env.hit_lines(&["Ukraine"]);
    assert!(!before.is_empty());
    // A build that fails (a path that does not exist) leaves it untouched.
    env.cmd().args(["index", "seeds", "fehlt"]).assert().code(2);
    assert_eq!(env.hit_lines(&["Ukraine"]), before);
    // A successful rebuild replaces it: only the new corpus is searchable.
    env.write("neu/artikel.txt", "Die Ukraine und die Koalition.\n");
    env.cmd().args(["index", "neu"]).assert().success();
    let after = env.hit_lines(&["Ukraine"]);
    assert_eq!(after, BTreeSet::from([("artikel".to_string(), 1)]));
    // Old generations are cleaned up: exactly one remains.
    let generations = std::fs::read_dir(env.path().join("index"))
        .unwrap()
        .filter(|e| {
            e.as_ref()
                .unwrap()
                .file_name()
                .to_string_lossy()
                .starts_with("gen-")
        })
        .count();
    assert_eq!(generations, 1);
}

#[test]
fn an_abandoned_half_written_generation_does_not_disturb_anything() {
    let env = TestEnv::indexed_seeds();
    let before = env.hit_lines(&["Ukraine"]);
    // What a killed build leaves behind: a generation never made current.
    env.write("index/gen-1-999999/meta.json", "{ not json");
    assert_eq!(env.hit_lines(&["Ukraine"]), before);
    env.cmd().args(["index", "seeds"]).assert().success();
    assert!(!env.path().join("index/gen-1-999999").exists());
    assert_eq!(env.hit_lines(&["Ukraine"]), before);
}

#[test]
fn index_summary_counts_files_articles_and_paragraphs() {
    let env = TestEnv::with_seeds();
    let out = env.cmd().args(["index"]).output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    let stdout = String::from_utf8_lossy(&out.stdout);
    let files = seed_files();
    let paragraphs: usize = files
        .iter()
        .map(|(_, t)| t.lines().filter(|l| !l.trim().is_empty()).count())
        .sum();
    let expected = format!(
        "indexed {n} articles ({paragraphs} paragraphs) from {n} files",
        n = files.len()
    );
    assert!(stdout.contains(&expected), "{stdout}");
    assert!(
        stdout.contains(" s\n") || stdout.contains(" s"),
        "time is reported: {stdout}"
    );
}

#[test]
fn machine_formats_carry_the_documented_fields() {
    let env = TestEnv::indexed_seeds();
    let hits = env.hits(&["Sicherheitsgarantien"]);
    let fields = [
        "rank",
        "score",
        "doc",
        "path",
        "para",
        "line",
        "date",
        "title",
        "heading",
        "kind",
        "lang",
        "agency",
        "comment_author",
        "comment_date",
        "text",
        "snippet",
        "highlights",
    ];
    for hit in &hits {
        let object = hit.as_object().unwrap();
        let keys: BTreeSet<&str> = object.keys().map(String::as_str).collect();
        assert_eq!(keys, fields.iter().copied().collect::<BTreeSet<_>>());
        assert!(hit["snippet"].as_str().unwrap().contains("<mark>"));
        assert!(hit["path"].as_str().unwrap().ends_with(".txt"));
    }

    let out = env
        .cmd()
        .args(["search", "--all", "--format", "csv", "Sicherheitsgarantien"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let mut reader = csv::Reader::from_reader(out.stdout.as_slice());
    let header: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
    assert_eq!(header, fields);
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(
        rows.len(),
        env.hits_in_scope(&["Sicherheitsgarantien"]).len()
    );
    let csv_lines: BTreeSet<(String, u64)> = rows
        .iter()
        .map(|r| (r[2].to_string(), r[5].parse().unwrap()))
        .collect();
    let in_scope = env.hits_in_scope(&["Sicherheitsgarantien"]);
    assert_eq!(csv_lines, in_scope.iter().map(doc_line).collect());
    for row in &rows {
        let text = &row[14];
        let ranges: Vec<[usize; 2]> = serde_json::from_str(&row[16]).unwrap();
        assert!(!ranges.is_empty());
        for [a, b] in ranges {
            assert!(text[a..b].to_lowercase().starts_with("sicherheitsgarantie"));
        }
    }

    let out = env
        .cmd()
        .args(["search", "--format", "json", "Sicherheitsgarantien"])
        .output()
        .unwrap();
    let array: Vec<Value> = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(array.len(), 10);

    let none = env
        .cmd()
        .args(["search", "--format", "csv", "Quantenchromodynamik"])
        .output()
        .unwrap();
    assert_eq!(none.status.code(), Some(1));
    assert_eq!(
        String::from_utf8_lossy(&none.stdout).trim(),
        fields.join(",")
    );
}
