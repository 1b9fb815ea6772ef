//! `fundstelle export`: files in every format, read back with real parsers
//! and compared with what `search --all` says (itself checked against the
//! seeds in tests/search.rs); safe writing; refusing to overwrite.

mod common;

use std::collections::BTreeSet;
use std::path::Path;

use common::{TestEnv, doc_line};
use serde_json::Value;

fn export(env: &TestEnv, args: &[&str]) -> std::process::Output {
    env.cmd().arg("export").args(args).output().unwrap()
}

/// The folder's file names (to see that no temporary file is left).
fn names(dir: &Path) -> BTreeSet<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect()
}

#[test]
fn every_format_holds_every_hit_and_only_the_named_file_appears() {
    let env = TestEnv::indexed_seeds();
    let reference = env.hits_in_scope(&["Sicherheitsgarantien"]);
    assert!(reference.len() > 10);
    let expected: Vec<(String, u64)> = reference.iter().map(doc_line).collect();
    let before = names(env.path());

    for name in ["t.csv", "t.tsv", "t.jsonl", "t.json", "t.md", "t.html"] {
        let out = export(&env, &["Sicherheitsgarantien", "-o", name]);
        assert_eq!(
            out.status.code(),
            Some(0),
            "{name}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            stderr.contains(&format!("wrote {} hits to {name}", reference.len())),
            "{stderr}"
        );
    }
    let mut after = names(env.path());
    for name in ["t.csv", "t.tsv", "t.jsonl", "t.json", "t.md", "t.html"] {
        assert!(after.remove(name), "{name} missing");
    }
    assert_eq!(after, before, "no temporary files left behind");

    let read = |name: &str| std::fs::read(env.path().join(name)).unwrap();
    for (name, delimiter) in [("t.csv", b','), ("t.tsv", b'\t')] {
        let bytes = read(name);
        // TSV is never quoted.
        let mut reader = csv::ReaderBuilder::new()
            .delimiter(delimiter)
            .quoting(delimiter != b'\t')
            .from_reader(bytes.as_slice());
        let rows: Vec<(String, u64)> = reader
            .records()
            .map(|r| {
                let r = r.unwrap();
                (r[2].to_string(), r[5].parse().unwrap())
            })
            .collect();
        assert_eq!(rows, expected, "{name}");
    }
    let jsonl: Vec<Value> = String::from_utf8(read("t.jsonl"))
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(jsonl, reference, "jsonl is exactly what search --all gives");
    let json: Vec<Value> = serde_json::from_slice(&read("t.json")).unwrap();
    assert_eq!(json, reference);

    let md = String::from_utf8(read("t.md")).unwrap();
    assert_eq!(md.lines().count(), reference.len() + 2);

    let html = String::from_utf8(read("t.html")).unwrap();
    let page = scraper::Html::parse_document(&html);
    let rows = scraper::Selector::parse("tbody tr").unwrap();
    let doc = scraper::Selector::parse("td.doc").unwrap();
    let line = scraper::Selector::parse("td.line").unwrap();
    let found: Vec<(String, u64)> = page
        .select(&rows)
        .map(|r| {
            let d: String = r.select(&doc).next().unwrap().text().collect();
            let l: String = r.select(&line).next().unwrap().text().collect();
            (d, l.parse().unwrap())
        })
        .collect();
    assert_eq!(found, expected);
    let query = scraper::Selector::parse("dd.query").unwrap();
    let q: String = page.select(&query).next().unwrap().text().collect();
    assert_eq!(q, "Sicherheitsgarantien");
    assert!(html.contains("<dt>Exported</dt>") && html.contains("<dt>Index</dt>"));
}

#[test]
fn fields_pick_and_order_columns_and_csv_suits_a_german_spreadsheet() {
    let env = TestEnv::indexed_seeds();
    let reference = env.hits_in_scope(&["Ukraine"]);
    let out = export(
        &env,
        &[
            "Ukraine",
            "-o",
            "t.csv",
            "--delimiter",
            ";",
            "--bom",
            "--fields",
            "doc,date,title,line,snippet",
        ],
    );
    assert_eq!(out.status.code(), Some(0));
    let bytes = std::fs::read(env.path().join("t.csv")).unwrap();
    assert!(bytes.starts_with("\u{feff}".as_bytes()), "BOM first");
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(b';')
        .from_reader(&bytes[3..]);
    let header: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
    assert_eq!(header, ["doc", "date", "title", "line", "snippet"]);
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), reference.len());
    for (row, hit) in rows.iter().zip(&reference) {
        assert_eq!(&row[0], hit["doc"].as_str().unwrap());
        assert_eq!(&row[1], hit["date"].as_str().unwrap_or(""));
        assert_eq!(&row[2], hit["title"].as_str().unwrap_or(""));
        assert_eq!(&row[4], hit["snippet"].as_str().unwrap());
    }

    let bad = export(&env, &["Ukraine", "-o", "u.csv", "--fields", "doc,nope"]);
    assert_eq!(bad.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&bad.stderr);
    assert!(
        stderr.contains("'nope'") && stderr.contains("snippet"),
        "{stderr}"
    );
    assert!(!env.path().join("u.csv").exists());
}

#[test]
fn an_existing_file_is_kept_unless_forced() {
    let env = TestEnv::indexed_seeds();
    env.write("t.csv", "meine Tabelle");
    let out = export(&env, &["Ukraine", "-o", "t.csv"]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("t.csv") && stderr.contains("--force"),
        "{stderr}"
    );
    assert!(!stderr.contains("panicked"));
    assert_eq!(
        std::fs::read_to_string(env.path().join("t.csv")).unwrap(),
        "meine Tabelle"
    );

    let out = export(&env, &["Ukraine", "-o", "t.csv", "--force"]);
    assert_eq!(out.status.code(), Some(0));
    assert!(
        std::fs::read_to_string(env.path().join("t.csv"))
            .unwrap()
            .starts_with("rank,")
    );
}

#[test]
fn user_errors_name_the_file_or_flag() {
    let env = TestEnv::indexed_seeds();
    let cases: &[(&[&str], &str)] = &[
        (&["Ukraine", "-o", "t.xlsx"], "t.xlsx"),
        (&["Ukraine", "-o", "-"], "--format"),
        (
            &["Ukraine", "-o", "fehlt/t.csv"],
            "cannot write fehlt/t.csv: there is no folder fehlt",
        ),
        (
            &["Ukraine", "-o", "t.csv", "--delimiter", "ab"],
            "delimiter",
        ),
        (
            &["Ukraine", "-o", "t.json", "--delimiter", ";"],
            "--delimiter is for CSV; this export is json",
        ),
        (
            &["Ukraine", "-o", "t.json", "--bom"],
            "--bom is for CSV and TSV; this export is json",
        ),
        (
            &["Ukraine", "-o", "t.csv", "--fields", "doc,matches"],
            "'doc,matches' are fields of article rows (add --articles)",
        ),
        (
            &["Ukraine", "-o", "t.csv", "--per-article", "0"],
            "--per-article",
        ),
    ];
    for (args, needle) in cases {
        let out = export(&env, args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains(needle), "{args:?}: {stderr}");
        assert!(!stderr.contains("panicked") && !stderr.contains("backtrace"));
        assert!(!stderr.contains(".part"), "no temporary name: {stderr}");
    }
    assert!(!env.path().join("t.json").exists());
}

#[test]
fn no_hits_write_a_header_and_exit_1() {
    let env = TestEnv::indexed_seeds();
    let out = export(&env, &["Quantenchromodynamik", "-o", "leer.csv"]);
    assert_eq!(out.status.code(), Some(1));
    let text = std::fs::read_to_string(env.path().join("leer.csv")).unwrap();
    assert_eq!(text.lines().count(), 1);
    assert!(text.starts_with("rank,score,doc"));
}

#[test]
fn standard_output_with_a_format() {
    let env = TestEnv::indexed_seeds();
    let reference = env.hits_in_scope(&["Waffenruhe"]);
    let out = export(&env, &["Waffenruhe", "-o", "-", "--format", "jsonl"]);
    assert_eq!(
        out.status.code(),
        Some(if reference.is_empty() { 1 } else { 0 })
    );
    let lines: Vec<Value> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines, reference);
}

/// An article with everything a format could choke on, indexed and exported
/// end to end: each format gives back the line as written.
#[test]
fn german_text_with_quotes_semicolons_pipes_and_markup_survives_every_format() {
    let env = TestEnv::empty();
    let line = "Merz sagte: „Wir stehen zur Ukraine“; Macron: \"Ja | nein\" <script>alert(1)</script> & Öl, Maß";
    env.write(
        "artikel/a.txt",
        format!("Ein Titel über die Ukraine mit | Pipe\n\n{line}\n"),
    );
    env.cmd().args(["index", "artikel"]).assert().success();
    let hits = env.hits_in_scope(&["Ukraine"]);
    let texts: BTreeSet<String> = hits
        .iter()
        .map(|h| h["text"].as_str().unwrap().to_string())
        .collect();
    assert!(texts.contains(line), "{texts:?}");

    for name in ["a.csv", "a.md", "a.html", "a.jsonl"] {
        let out = export(
            &env,
            &["Ukraine", "-o", name, "--fields", "line,text,snippet"],
        );
        assert_eq!(out.status.code(), Some(0), "{name}");
    }
    let csv_bytes = std::fs::read(env.path().join("a.csv")).unwrap();
    let csv_texts: BTreeSet<String> = csv::Reader::from_reader(csv_bytes.as_slice())
        .records()
        .map(|r| r.unwrap()[1].to_string())
        .collect();
    assert_eq!(csv_texts, texts);

    let html = std::fs::read_to_string(env.path().join("a.html")).unwrap();
    let page = scraper::Html::parse_document(&html);
    let script = scraper::Selector::parse("script").unwrap();
    assert_eq!(page.select(&script).count(), 0);
    let cells = scraper::Selector::parse("td.text").unwrap();
    let html_texts: BTreeSet<String> = page.select(&cells).map(|c| c.text().collect()).collect();
    assert_eq!(html_texts, texts);

    let md = std::fs::read_to_string(env.path().join("a.md")).unwrap();
    assert_eq!(md.lines().count(), hits.len() + 2);
    assert!(md.contains("Ja \\| nein"), "{md}");
    assert!(md.contains("\\<script\\>"), "{md}");
}

/// The HTML page of every command that writes one names the command and
/// the query as typed (escaped: markup in the query is text on the page).
#[test]
fn every_html_page_shows_its_command_and_query() {
    let env = TestEnv::indexed_seeds();
    let query = "Krieg <Ukraine> & \"Russland\"";
    let select = |css: &str| scraper::Selector::parse(css).unwrap();
    for command in [
        vec!["search", "--format", "html"],
        vec!["count", "--format", "html", "--by", "month"],
        vec!["kwic", "--format", "html"],
        vec!["export", "-o", "-", "--format", "html"],
    ] {
        let out = env.cmd().args(&command).arg(query).output().unwrap();
        assert_eq!(out.status.code(), Some(0), "{command:?}");
        let html = String::from_utf8(out.stdout).unwrap();
        let page = scraper::Html::parse_document(&html);
        let text = |css: &str| -> String {
            let element = page.select(&select(css)).next();
            element.map(|e| e.text().collect()).unwrap_or_default()
        };
        let name = format!("fundstelle {}", command[0]);
        assert_eq!(text("title"), format!("{name}: {query}"), "{command:?}");
        assert_eq!(text("h1"), name, "{command:?}");
        assert_eq!(text("dd.query"), query, "{command:?}");
        assert!(text("dd.index").starts_with("index"), "{command:?}");
        // The query's markup is escaped: no element came from it.
        assert_eq!(page.select(&select("ukraine")).count(), 0, "{command:?}");
        assert!(page.select(&select("tbody tr")).count() > 0, "{command:?}");
    }
}

/// TSV from the binary splits on tabs alone: a paragraph with a tab and
/// quotes is one row of as many fields as the header, its tab a space and
/// its quotes as written.
#[test]
fn tsv_is_never_quoted() {
    let env = TestEnv::empty();
    env.write(
        "docs/a.txt",
        "Ein Titel über Zölle und Handel heute\n\nDer Minister sagte \"Zölle\tsind schlecht\" und ging.\n",
    );
    env.cmd().args(["index", "docs"]).assert().success();
    for args in [
        vec!["search", "--format", "tsv", "--fields", "doc,text,line"],
        vec![
            "export",
            "-o",
            "-",
            "--format",
            "tsv",
            "--fields",
            "doc,text,line",
        ],
    ] {
        let out = env.cmd().args(&args).arg("Minister").output().unwrap();
        assert_eq!(out.status.code(), Some(0), "{args:?}");
        let stdout = String::from_utf8(out.stdout).unwrap();
        let rows: Vec<Vec<&str>> = stdout.lines().map(|l| l.split('\t').collect()).collect();
        assert_eq!(
            rows,
            [
                vec!["doc", "text", "line"],
                vec![
                    "a",
                    "Der Minister sagte \"Zölle sind schlecht\" und ging.",
                    "3"
                ]
            ],
            "{args:?}"
        );
    }
}
