//! Input formats, encodings and segmentation rules with the real binary:
//! JSON Lines, HTML, every supported encoding, user rule files, the default
//! search scope, agencies and `show`.

mod common;

use std::collections::BTreeSet;

use common::{TestEnv, fixture, seed_lines_where, words};
use serde_json::Value;

fn copy_fixture(env: &TestEnv, name: &str, to: &str) {
    env.write(to, std::fs::read(fixture(name)).unwrap());
}

fn show(env: &TestEnv, doc: &str) -> Value {
    env.show(doc)
}

fn kinds(article: &Value) -> Vec<String> {
    article["paragraphs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["kind"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn every_encoding_decodes_to_the_same_text() {
    let env = TestEnv::empty();
    let names = [
        "encoding-utf8-bom",
        "encoding-utf16le",
        "encoding-utf16be",
        "encoding-windows1252",
        "encoding-latin1",
    ];
    for name in names {
        copy_fixture(&env, &format!("{name}.txt"), &format!("docs/{name}.txt"));
    }
    env.cmd().args(["index", "docs"]).assert().success();
    for name in names {
        let a = show(&env, name);
        let first = a["paragraphs"][0]["text"].as_str().unwrap();
        assert_eq!(
            first, "Grüße aus Köln: Die Länder beraten über Sicherheitsgarantien.",
            "{name}"
        );
        assert_eq!(a["paragraphs"][1]["line"], 3, "{name}");
    }
    let found: BTreeSet<String> = env
        .hits(&["\"Grüße aus Köln\""])
        .iter()
        .map(|h| h["doc"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(found, names.iter().map(|n| n.to_string()).collect());
    // The euro sign and typographic quotes survive Windows-1252.
    let cp1252 = show(&env, "encoding-windows1252");
    assert!(
        cp1252["paragraphs"][1]["text"]
            .as_str()
            .unwrap()
            .contains("„Wir sind bereit.“ Das kostet 5 €.")
    );
}

#[test]
fn json_lines_records_are_articles_and_broken_lines_are_reported() {
    let env = TestEnv::empty();
    copy_fixture(&env, "dump.jsonl", "docs/dump.jsonl");
    let out = env.cmd().args(["index", "docs"]).output().unwrap();
    assert_eq!(
        out.status.code(),
        Some(2),
        "a skipped record makes the status 2"
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("docs/dump.jsonl:3: "), "{stderr}");
    assert!(
        stderr.contains("docs/dump.jsonl:5: 'text' is empty"),
        "{stderr}"
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("indexed 3 articles"));

    let a1 = show(&env, "agentur-1");
    assert_eq!(a1["title"], "Koalition der Willigen tagt in Paris");
    assert_eq!(a1["date"], "2025-09-04");
    assert_eq!(a1["url"], "https://example.org/agentur-1");
    assert_eq!(a1["source"], "Beispielzeitung");
    assert_eq!(a1["author"], "Anna Muster");
    assert_eq!(a1["agency"], serde_json::json!(["dpa"]));
    assert_eq!(kinds(&a1), ["body", "body"]);
    assert!(
        a1["paragraphs"]
            .as_array()
            .unwrap()
            .iter()
            .all(|p| p["line"] == 1)
    );

    let a2 = show(&env, "agentur-2");
    assert_eq!(
        a2["paragraphs"].as_array().unwrap().len(),
        2,
        "newlines split paragraphs"
    );
    let a4 = show(&env, "dump#4");
    assert_eq!(a4["date"], "2025-09-05");
    assert_eq!(a4["paragraphs"][0]["line"], 4);

    let hits = env.hits(&["Luftverteidigung"]);
    assert_eq!(hits.len(), 1);
    assert_eq!(hits[0]["path"], "docs/dump.jsonl");
    assert_eq!(hits[0]["line"], 2);
}

/// A record indexed without a part that is not what it claims (a date
/// that is not one) is a warning, not a skipped record: the status stays 0.
/// A line that is not a JSON object says so.
#[test]
fn json_lines_warnings_are_not_errors() {
    let env = TestEnv::empty();
    env.write(
        "docs/dump.jsonl",
        concat!(
            r#"{"id": "a", "date": "gestern", "text": "Der Bundesrat tagt."}"#,
            "\n",
            r#"{"id": "b", "date": "2025-09-04", "text": "Der Bundestag tagt."}"#,
            "\n",
        ),
    );
    let out = env.cmd().args(["index", "docs"]).output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stdout}{stderr}");
    assert!(stdout.contains("indexed 2 articles"), "{stdout}");
    assert!(!stdout.contains("skipped"), "{stdout}");
    assert!(
        stderr.contains("docs/dump.jsonl:1: warning: 'date' is not a date"),
        "{stderr}"
    );
    assert_eq!(show(&env, "a")["date"], Value::Null);

    env.write("docs/dump.jsonl", "[1, 2]\n\"Text\"\n");
    let out = env.cmd().args(["index", "docs"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains(
            "docs/dump.jsonl:1: not an article record: expected an object with a 'text' field, found an array"
        ),
        "{stderr}"
    );
    assert!(stderr.contains("found a string"), "{stderr}");

    env.write(
        "docs/dump.jsonl",
        "{\"id\": \" \", \"text\": \"Ein Text.\"}\n",
    );
    let out = env.cmd().args(["index", "docs"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("docs/dump.jsonl:1: 'id' is empty: give the record an id, or leave 'id' out to have dump#1"),
        "{stderr}"
    );
}

#[test]
fn html_pages_are_read_as_articles_without_page_furniture() {
    let env = TestEnv::empty();
    copy_fixture(&env, "article.html", "docs/gipfel.html");
    env.cmd().args(["index", "docs"]).assert().success();
    let a = show(&env, "gipfel");
    assert_eq!(a["title"], "Gipfel in Paris: Koalition der Willigen berät");
    assert_eq!(a["date"], "2025-09-04");
    assert_eq!(a["url"], "https://example.org/gipfel-paris");
    assert_eq!(a["source"], "Beispielzeitung");
    assert_eq!(
        kinds(&a),
        [
            "title",
            "body",
            "caption",
            "heading",
            "body",
            "quote",
            "boilerplate"
        ]
    );
    let paras = a["paragraphs"].as_array().unwrap();
    assert_eq!(paras[4]["heading"], "Deutschland hält sich zurück");
    assert!(
        paras[1]["text"]
            .as_str()
            .unwrap()
            .contains("über Sicherheitsgarantien für")
    );
    // Lines point into the source file.
    let source = std::fs::read_to_string(fixture("article.html")).unwrap();
    let lines: Vec<&str> = source.lines().collect();
    for p in paras {
        let line = lines[p["line"].as_u64().unwrap() as usize - 1];
        let first_word = p["text"]
            .as_str()
            .unwrap()
            .split_whitespace()
            .next()
            .unwrap();
        let first_word = first_word.trim_matches(|c: char| !c.is_alphanumeric());
        assert!(line.contains(first_word), "{line} / {first_word}");
    }
    // Script, style, navigation, aside and footer text is not indexed.
    let all = env.hits(&["Sicherheitsgarantien"]);
    let texts: Vec<&str> = all.iter().map(|h| h["text"].as_str().unwrap()).collect();
    assert_eq!(texts.len(), 2, "{texts:?}");
    assert!(
        env.hits(&["Impressum OR Startseite OR Meistgelesen"])
            .is_empty()
    );
}

#[test]
fn an_article_without_metadata_keeps_its_fields_empty() {
    let env = TestEnv::empty();
    copy_fixture(&env, "no-metadata.txt", "docs/ohne.txt");
    env.cmd().args(["index", "docs"]).assert().success();
    let a = show(&env, "ohne");
    assert!(a["title"].is_null());
    assert!(a["date"].is_null());
    assert_eq!(a["agency"], serde_json::json!([]));
    assert_eq!(kinds(&a), ["body", "body"]);
}

#[test]
fn other_extensions_are_counted_not_read() {
    let env = TestEnv::empty();
    copy_fixture(&env, "no-metadata.txt", "docs/a.txt");
    env.write("docs/bild.jpg", b"\xFF\xD8\xFF");
    env.write("docs/notiz.md", "# Notiz");
    let out = env.cmd().args(["index", "docs"]).output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("2 files with other extensions ignored"),
        "{stdout}"
    );
}

#[test]
fn a_user_rule_file_adds_kinds_and_agencies() {
    let env = TestEnv::empty();
    env.write(
        "docs/lokal.txt",
        "Die Stadt plant einen neuen Radweg entlang des Flusses, der bis zum Sommer fertig sein soll. (mna)\n\nHinweis der Redaktion: Dieser Text wurde am Abend ergänzt\n",
    );
    copy_fixture(&env, "rules-user.toml", "meine-regeln.toml");
    env.cmd().args(["index", "docs"]).assert().success();
    let before = show(&env, "lokal");
    assert_ne!(kinds(&before)[1], "boilerplate");
    assert_eq!(before["agency"], serde_json::json!([]));
    env.cmd()
        .args(["index", "--rules", "meine-regeln.toml", "docs"])
        .assert()
        .success();
    let a = show(&env, "lokal");
    assert_eq!(kinds(&a), ["body", "boilerplate"]);
    assert_eq!(a["agency"], serde_json::json!(["mna"]));

    env.write(
        "kaputt.toml",
        "[[kind]]\nkind = \"body\"\npattern = '(('\nreason = \"x\"\n",
    );
    let out = env
        .cmd()
        .args(["index", "--rules", "kaputt.toml", "docs"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("kaputt.toml") && stderr.contains("kind rule 1"),
        "{stderr}"
    );
}

#[test]
fn comments_and_boilerplate_are_searched_only_when_asked_for() {
    let env = TestEnv::indexed_seeds();
    // "Kunde" occurs in the seeds only in the paywall prompt.
    let kunde = seed_lines_where(|l| words(l).iter().any(|w| w == "kunde"));
    assert_eq!(kunde.len(), 1);
    let out = env.cmd().args(["search", "Kunde"]).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("0 paragraphs in 0 articles; 1 more in comments or boilerplate"),
        "{stdout}"
    );
    let with = env.hit_lines(&["Kunde"]);
    assert_eq!(with, kunde);
    let included = env
        .cmd()
        .args([
            "search",
            "--include",
            "boilerplate",
            "--format",
            "jsonl",
            "Kunde",
        ])
        .output()
        .unwrap();
    assert_eq!(included.status.code(), Some(0));

    // The reader comments: only with --include comment or kind:comment.
    let krich = seed_lines_where(|l| words(l).iter().any(|w| w == "truppen"));
    let in_scope = env.hits_in_scope(&["\"Truppen\""]);
    let everything = env.hits(&["\"Truppen\""]);
    assert_eq!(everything.len(), krich.len());
    let comments: Vec<&Value> = everything
        .iter()
        .filter(|h| h["kind"] == "comment")
        .collect();
    assert!(!comments.is_empty());
    assert_eq!(in_scope.len() + comments.len(), everything.len());
    let explicit = env.hits_in_scope(&["\"Truppen\" kind:comment"]);
    assert_eq!(explicit.len(), comments.len());
    for c in explicit {
        assert_eq!(c["comment_author"], "Nomi");
        assert_eq!(c["comment_date"], "2025-09-05T11:16");
        assert!(c["heading"].is_null());
    }
}

#[test]
fn agency_filter_finds_the_credited_copy() {
    let env = TestEnv::indexed_seeds();
    let all = env.hits(&["Ukraine"]);
    let dpa = env.hits(&["Ukraine agency:dpa"]);
    assert!(!dpa.is_empty());
    let expected: BTreeSet<(String, u64)> = all
        .iter()
        .filter(|h| h["agency"].as_array().unwrap().iter().any(|a| a == "dpa"))
        .map(common::doc_line)
        .collect();
    assert_eq!(
        dpa.iter().map(common::doc_line).collect::<BTreeSet<_>>(),
        expected
    );
    // Seeds 002 (a live report with dpa sections) and 004 (dpa copy) only;
    // 001 says "/mit dpa", which is not the same thing.
    let docs: BTreeSet<&str> = dpa.iter().map(|h| h["doc"].as_str().unwrap()).collect();
    assert_eq!(
        docs,
        BTreeSet::from(["002_dc0d09b4cc2bf6e8", "004_cd28801b456d51a2"])
    );
    let mit = env.hits(&["Ukraine", "agency:\"mit dpa\""]);
    assert!(mit.iter().all(|h| h["doc"] == "001_575c36f6a3e195c5"));
    assert!(!mit.is_empty());
}

#[test]
fn show_prints_an_article_or_a_paragraph_with_context() {
    let env = TestEnv::indexed_seeds();
    let out = env
        .cmd()
        .args(["show", "001_575c36f6a3e195c5"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("agency:  mit dpa"), "{text}");
    assert!(
        text.contains("[8] seeds/001_575c36f6a3e195c5.txt:15  quote"),
        "{text}"
    );

    let out = env
        .cmd()
        .args(["show", "001_575c36f6a3e195c5:8", "--context", "1"])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    let shown: Vec<&str> = text.lines().filter(|l| l.contains("] seeds/")).collect();
    assert_eq!(shown.len(), 3, "{text}");
    assert!(shown[1].starts_with(">[8]"), "{text}");

    let out = env.cmd().args(["show", "gibtesnicht"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no article 'gibtesnicht'"));
    let out = env
        .cmd()
        .args(["show", "001_575c36f6a3e195c5:99"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("paragraphs 1 to 21"));
}

#[test]
fn the_rule_file_example_in_the_readme_is_valid() {
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    let start = readme.find("```toml\n").expect("a toml example") + "```toml\n".len();
    let end = start + readme[start..].find("```").unwrap();
    let rules = fundstelle::ingest::Rules::parse(&readme[start..end], "README").unwrap();
    assert_eq!(rules.set().kinds.len(), 1);
    assert!(
        rules.set().kinds[0]
            .pattern
            .is_match("Hinweis der Redaktion: aktualisiert")
    );
    assert_eq!(rules.agencies_in("Ein Satz. (mna)"), ["mna"]);
}
