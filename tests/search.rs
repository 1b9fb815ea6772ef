//! Searching the seeds with the real binary: results are compared with what
//! a plain scan of the seed files says they must be.

mod common;

use std::collections::{BTreeMap, BTreeSet};

use common::{TestEnv, doc_line, highlighted, seed_lines_where, segments, words};

fn has_any_word(line: &str, forms: &[&str]) -> bool {
    words(line).iter().any(|w| forms.contains(&w.as_str()))
}

/// True when `phrase` (lowercased words) occurs as consecutive words.
fn has_phrase(line: &str, phrase: &[&str]) -> bool {
    let w = words(line);
    w.windows(phrase.len())
        .any(|win| win.iter().zip(phrase).all(|(a, b)| a == b))
}

#[test]
fn sicherheitsgarantie_finds_exactly_the_paragraphs_with_its_forms() {
    let env = TestEnv::indexed_seeds();
    let forms = ["sicherheitsgarantie", "sicherheitsgarantien"];
    let expected = seed_lines_where(|l| has_any_word(l, &forms));
    assert!(expected.len() >= 10, "the seeds mention it often");
    let hits = env.hits(&["Sicherheitsgarantie"]);
    let found: BTreeSet<_> = hits.iter().map(doc_line).collect();
    assert_eq!(found, expected);
    for hit in &hits {
        let marked = highlighted(hit);
        assert!(!marked.is_empty(), "hit without highlight: {hit}");
        for m in marked {
            assert!(
                forms.contains(&m.to_lowercase().as_str()),
                "{m} highlighted"
            );
        }
    }
}

#[test]
fn a_quoted_phrase_finds_exactly_the_paragraphs_with_the_phrase() {
    let env = TestEnv::indexed_seeds();
    let phrase = ["koalition", "der", "willigen"];
    let expected = seed_lines_where(|l| has_phrase(l, &phrase));
    assert!(expected.len() >= 5);
    let hits = env.hits(&["\"Koalition der Willigen\""]);
    assert_eq!(hits.iter().map(doc_line).collect::<BTreeSet<_>>(), expected);
    for hit in &hits {
        // The phrase is marked as a whole, never a lone "der".
        for m in highlighted(hit) {
            assert_eq!(words(&m), phrase, "{m}");
        }
    }
}

#[test]
fn laender_finds_every_form_of_land_and_only_those() {
    let env = TestEnv::indexed_seeds();
    let forms = ["land", "lande", "landes", "länder", "ländern"];
    let mut expected = seed_lines_where(|l| has_any_word(l, &forms));
    // By reading the seeds: the one compound that is a kind of Land is
    // "Unterstützerländer"; "Russland", "Deutschland", "Finnland", "Estland",
    // "Griechenland", "Niederlande" are names, not lands.
    expected.extend(seed_lines_where(|l| {
        has_any_word(l, &["unterstützerländer"])
    }));
    let hits = env.hits(&["Länder"]);
    assert_eq!(hits.iter().map(doc_line).collect::<BTreeSet<_>>(), expected);
    let marked: BTreeSet<String> = hits
        .iter()
        .flat_map(highlighted)
        .map(|m| m.to_lowercase())
        .collect();
    for form in ["land", "länder", "unterstützerländer"] {
        assert!(marked.contains(form), "{form} not among {marked:?}");
    }
    let allowed = [
        "land",
        "lande",
        "landes",
        "länder",
        "ländern",
        "unterstützerländer",
    ];
    assert!(
        marked.iter().all(|m| allowed.contains(&m.as_str())),
        "{marked:?}"
    );
}

#[test]
fn quoted_word_matches_only_that_form() {
    let env = TestEnv::empty();
    env.write(
        "docs/formen.txt",
        "Die Ukraine fordert eine Sicherheitsgarantie.\n\nEuropa berät über Sicherheitsgarantien.\n\nEin Absatz ohne das Wort.\n",
    );
    env.cmd().args(["index", "docs"]).assert().success();
    let exact = env.hit_lines(&["\"Sicherheitsgarantien\""]);
    assert_eq!(exact, BTreeSet::from([("formen".to_string(), 3)]));
    let exact = env.hit_lines(&["\"Sicherheitsgarantie\""]);
    assert_eq!(exact, BTreeSet::from([("formen".to_string(), 1)]));
    let any = env.hit_lines(&["Sicherheitsgarantien"]);
    assert_eq!(any.len(), 2);
}

#[test]
fn hyphenated_compounds_are_found_by_their_parts_and_long_words_whole() {
    let env = TestEnv::empty();
    let long = "Rindfleischetikettierungsüberwachungsaufgabenübertragungsgesetz";
    env.write(
        "docs/a.txt",
        format!("Der Ukraine-Krieg dauert an.\n\nDas {long} wurde 2013 aufgehoben.\n"),
    );
    env.cmd().args(["index", "docs"]).assert().success();
    assert_eq!(env.hit_lines(&["Krieg"]), BTreeSet::from([("a".into(), 1)]));
    assert_eq!(
        env.hit_lines(&["Ukraine-Krieg"]),
        BTreeSet::from([("a".into(), 1)])
    );
    assert_eq!(env.hit_lines(&[long]), BTreeSet::from([("a".into(), 3)]));
    assert_eq!(
        env.hit_lines(&[&format!("\"{long}\"")]),
        BTreeSet::from([("a".into(), 3)])
    );
}

#[test]
fn excluded_words_remove_paragraphs_and_are_never_highlighted() {
    let env = TestEnv::indexed_seeds();
    let truppen = env.hit_lines(&["Truppen"]);
    let russland = env.hit_lines(&["Russland"]);
    let expected: BTreeSet<_> = truppen.difference(&russland).cloned().collect();
    assert!(!expected.is_empty() && expected.len() < truppen.len());
    for query in [
        ["--", "-Russland", "Truppen"],
        ["Truppen", "NOT", "Russland"],
    ] {
        let hits = env.hits(&query);
        assert_eq!(hits.iter().map(doc_line).collect::<BTreeSet<_>>(), expected);
        for hit in &hits {
            for m in highlighted(hit) {
                assert!(!m.to_lowercase().starts_with("russland"), "{m}");
            }
        }
    }
}

/// `--` and `-–` between words are punctuation, as a lone `-` is: they
/// exclude nothing. `--` right before a word is an error, not a double
/// negation.
#[test]
fn dashes_between_words_exclude_nothing() {
    let env = TestEnv::indexed_seeds();
    let both = env.hit_lines(&["Ukraine Russland"]);
    let without = env.hit_lines(&["--", "Ukraine -Russland"]);
    assert!(!both.is_empty() && !without.is_empty());
    assert!(both.is_disjoint(&without));
    for dashes in ["--", "-–", "---", "+-"] {
        let query = format!("Ukraine {dashes} Russland");
        assert_eq!(env.hit_lines(&["--", &query]), both, "{query}");
    }
    let out = env
        .cmd()
        .args(["search", "--", "Ukraine --Russland"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("position 9") && stderr.contains("-Russland leaves it out"),
        "{stderr}"
    );
}

#[test]
fn or_and_parentheses_combine_result_sets() {
    let env = TestEnv::indexed_seeds();
    let a = env.hit_lines(&["Macron"]);
    let b = env.hit_lines(&["Merz"]);
    let c = env.hit_lines(&["Trump"]);
    let union: BTreeSet<_> = a.union(&b).cloned().collect();
    assert_eq!(env.hit_lines(&["Macron OR Merz"]), union);
    let expected: BTreeSet<_> = union.intersection(&c).cloned().collect();
    assert_eq!(env.hit_lines(&["(Macron OR Merz) AND Trump"]), expected);
    assert_eq!(env.hit_lines(&["(Macron OR Merz) +Trump"]), expected);
}

#[test]
fn filters_keep_exactly_the_matching_subset() {
    let env = TestEnv::indexed_seeds();
    let all = env.hits(&["Ukraine"]);
    assert!(all.len() > 20);
    let subset = |pred: &dyn Fn(&serde_json::Value) -> bool| -> BTreeSet<(String, u64)> {
        all.iter().filter(|h| pred(h)).map(doc_line).collect()
    };

    let doc = "003_9fedab82a9c88a2c";
    let by_doc = env.hit_lines(&["Ukraine", &format!("doc:{doc}")]);
    assert!(!by_doc.is_empty());
    assert_eq!(by_doc, subset(&|h| h["doc"] == doc));

    let by_lang = env.hit_lines(&["Ukraine lang:deu"]);
    assert_eq!(by_lang, subset(&|h| h["lang"] == "deu"));

    let by_kind = env.hit_lines(&["Ukraine", "kind:heading"]);
    assert!(!by_kind.is_empty());
    assert_eq!(by_kind, subset(&|h| h["kind"] == "heading"));

    let in_september = |h: &serde_json::Value| {
        h["date"]
            .as_str()
            .is_some_and(|d| ("2025-09-01"..="2025-09-30").contains(&d))
    };
    let range = env.hit_lines(&["Ukraine date:[2025-09-01 TO 2025-09-30]"]);
    assert!(!range.is_empty());
    assert_eq!(range, subset(&in_september));
    let flags = env.hit_lines(&["--from", "2025-09-01", "--to", "2025-09-30", "Ukraine"]);
    assert_eq!(flags, range);
    let month = env.hit_lines(&["Ukraine date:2025-09"]);
    assert_eq!(month, range);

    let later = env.hit_lines(&["--from", "2025-09-05", "Ukraine"]);
    assert!(!later.is_empty());
    assert_eq!(
        later,
        subset(&|h| h["date"].as_str().is_some_and(|d| d >= "2025-09-05"))
    );

    // Reversed flags are an error naming both dates, as a reversed range in
    // the query is, for every querying command.
    for command in [
        vec!["search"],
        vec!["count"],
        vec!["kwic"],
        vec!["export", "-o", "-", "--format", "csv"],
    ] {
        let out = env
            .cmd()
            .args(&command)
            .args(["--from", "2025-11", "--to", "2025-09-30", "Ukraine"])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{command:?}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            stderr.contains("--from 2025-11 is later than --to 2025-09-30"),
            "{command:?}: {stderr}"
        );
        assert!(out.stdout.is_empty(), "{command:?}");
    }

    let title = env.hit_lines(&["title:Witkoff"]);
    let title_docs: BTreeSet<String> = title.iter().map(|(d, _)| d.clone()).collect();
    assert_eq!(
        title_docs,
        BTreeSet::from(["002_dc0d09b4cc2bf6e8".to_string()])
    );
}

#[test]
fn exit_codes_follow_grep() {
    let env = TestEnv::indexed_seeds();
    env.cmd().args(["search", "Ukraine"]).assert().code(0);
    env.cmd()
        .args(["search", "Quantenchromodynamik"])
        .assert()
        .code(1)
        .stdout(predicates::str::contains("0 paragraphs"));
    let out = env
        .cmd()
        .args(["search", "\"Koalition der Willigen"])
        .assert()
        .code(2)
        .get_output()
        .clone();
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(stderr.contains("unclosed quote"), "{stderr}");
    assert!(stderr.contains("position 1"), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
}

#[test]
fn malformed_queries_say_what_and_where() {
    let env = TestEnv::indexed_seeds();
    for (query, needle) in [
        ("Gar*ntie", "position 4"),
        ("Garantie~7", "position 9"),
        ("Krieg AND", "needs a search term on its right"),
        ("(Krieg OR Frieden", "never closed"),
        ("ort:Paris", "unknown field 'ort'"),
        ("ort:Paris", "doc, date, lang, kind"),
        ("kind:tabelle", "unknown kind"),
        ("date:2025-02-30", "no such day"),
        ("date:2025-9x", "not a date"),
        ("NOT -Paris", "two negations"),
        ("title:-Witkoff", "position 7"),
        ("title:-Witkoff", "write -title:Witkoff"),
        ("title:+Witkoff", "write +title:Witkoff"),
        ("title:--Witkoff", "write -title:Witkoff"),
    ] {
        let out = env.cmd().args(["search", query]).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{query}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains(needle), "{query}: {stderr}");
        assert!(
            stderr.contains(query),
            "{query}: the query is shown: {stderr}"
        );
    }
}

#[test]
fn missing_index_says_how_to_build_one() {
    let env = TestEnv::empty();
    let out = env
        .cmd()
        .args(["--index", "nirgends", "search", "Ukraine"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("fundstelle index"), "{stderr}");
    assert!(stderr.contains("nirgends"), "{stderr}");
}

#[test]
fn first_search_on_a_fresh_clone_builds_the_index_from_seeds() {
    let env = TestEnv::with_seeds();
    // A clone has the index folder with only its README in it.
    let readme = std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/index/README.md")).unwrap();
    env.write("index/README.md", readme);
    assert!(!env.path().join("index/CURRENT").exists());
    let out = env
        .cmd()
        .args(["search", "Sicherheitsgarantien"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(stderr.lines().count(), 1, "one line on stderr: {stderr}");
    assert!(stderr.contains("seeds"), "{stderr}");
    assert!(env.path().join("index/CURRENT").exists());
    // The second search uses it silently.
    let out = env
        .cmd()
        .args(["search", "Sicherheitsgarantien"])
        .output()
        .unwrap();
    assert!(out.stderr.is_empty());
}

#[test]
fn index_location_from_flag_and_environment() {
    let env = TestEnv::with_seeds();
    env.cmd()
        .args(["--index", "elsewhere", "index", "seeds"])
        .assert()
        .success();
    assert!(env.path().join("elsewhere/CURRENT").exists());
    assert!(!env.path().join("index").exists());
    env.cmd()
        .env("FUNDSTELLE_INDEX", "elsewhere")
        .args(["search", "Ukraine"])
        .assert()
        .code(0);
    assert!(
        !env.path().join("index").exists(),
        "no default build with an explicit index"
    );
}

#[test]
fn empty_settings_in_the_environment_count_as_unset() {
    // `export FUNDSTELLE_INDEX=` clears a setting: the default index and
    // the built-in rules, not an error about an empty path.
    let env = TestEnv::with_seeds();
    env.cmd()
        .env("FUNDSTELLE_INDEX", "")
        .env("FUNDSTELLE_RULES", "")
        .args(["index", "seeds"])
        .assert()
        .success();
    assert!(env.path().join("index/CURRENT").exists());
    let out = env
        .cmd()
        .env("FUNDSTELLE_INDEX", "")
        .args(["count", "Sicherheitsgarantien"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn text_output_shows_rank_location_snippet_and_totals() {
    let env = TestEnv::indexed_seeds();
    let out = env
        .cmd()
        .args([
            "search",
            "--limit",
            "3",
            "--color",
            "never",
            "Sicherheitsgarantien",
        ])
        .output()
        .unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(!stdout.contains('\u{1b}'));
    let expected = seed_lines_where(|l| has_any_word(l, &["sicherheitsgarantien"]));
    let articles: BTreeSet<&String> = expected.iter().map(|(d, _)| d).collect();
    let last = stdout.lines().last().unwrap();
    assert!(
        last.starts_with(&format!(
            "{} paragraphs in {} articles, showing the best 3",
            expected.len(),
            articles.len()
        )),
        "{last}"
    );
    assert!(last.ends_with(" ms)"), "{last}");
    let locations: Vec<&str> = stdout
        .lines()
        .filter(|l| l.trim_start().starts_with(|c: char| c.is_ascii_digit()) && l.contains(".txt:"))
        .collect();
    assert_eq!(locations.len(), 3, "{stdout}");
    assert!(
        locations[0].trim_start().starts_with("1. seeds/"),
        "{stdout}"
    );

    let colored = env
        .cmd()
        .args(["search", "--color", "always", "Sicherheitsgarantien"])
        .output()
        .unwrap();
    let colored = String::from_utf8(colored.stdout).unwrap();
    assert!(
        colored.contains("\u{1b}[1m\u{1b}[31mSicherheitsgarantien\u{1b}[0m"),
        "matches in bold red: {colored}"
    );
}

#[test]
fn limit_picks_the_best_and_all_returns_everything() {
    let env = TestEnv::indexed_seeds();
    let all = env.hits(&["Ukraine"]);
    let top = env.jsonl(&["search", "--limit", "5", "--format", "jsonl", "Ukraine"]);
    assert_eq!(top.len(), 5);
    let ranks: Vec<u64> = top.iter().map(|h| h["rank"].as_u64().unwrap()).collect();
    assert_eq!(ranks, [1, 2, 3, 4, 5]);
    let scores: Vec<f64> = top.iter().map(|h| h["score"].as_f64().unwrap()).collect();
    assert!(scores.windows(2).all(|w| w[0] >= w[1]), "{scores:?}");
    let mut all_scores: Vec<f64> = all.iter().map(|h| h["score"].as_f64().unwrap()).collect();
    all_scores.sort_by(|a, b| b.partial_cmp(a).unwrap());
    assert!(
        (all_scores[0] - scores[0]).abs() < 1e-4,
        "the best of all is first"
    );
    let zero = env.hits(&["--limit", "0", "Ukraine"]);
    assert_eq!(zero.len(), all.len());
}

#[test]
fn a_closed_pipe_is_not_an_error() {
    use std::io::{BufRead, BufReader};
    use std::process::Stdio;

    let env = TestEnv::empty();
    // Enough hits that the output cannot fit into a pipe buffer.
    let body: String = (0..3000)
        .map(|i| format!("Absatz {i} über die Koalition der Willigen in Paris.\n\n"))
        .collect();
    env.write("docs/viele.txt", body);
    env.cmd().args(["index", "docs"]).assert().success();
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("fundstelle"))
        .current_dir(env.path())
        .env_remove("FUNDSTELLE_INDEX")
        .args(["search", "--all", "--format", "jsonl", "Koalition"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut first)
        .unwrap();
    assert!(first.starts_with('{'));
    // The reader is gone now, like `| head -1`.
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn absurd_limits_and_nesting_are_handled() {
    let env = TestEnv::indexed_seeds();
    let all = env.hits(&["Ukraine"]).len();
    let out = env
        .cmd()
        .args([
            "search",
            "--include",
            "all",
            "-n",
            "18446744073709551615",
            "--format",
            "jsonl",
            "Ukraine",
        ])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(String::from_utf8_lossy(&out.stdout).lines().count(), all);
    let deep = format!("{}Ukraine{}", "(".repeat(3000), ")".repeat(3000));
    let out = env.cmd().args(["search", &deep]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("levels deep"));
}

#[test]
fn lower_case_or_gets_a_hint_when_nothing_is_found() {
    let env = TestEnv::indexed_seeds();
    let out = env
        .cmd()
        .args(["search", "Ukraine or Kanada"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("operators are upper case (OR)"));
}

#[test]
fn totals_count_each_match_once_over_several_segments_and_the_scope() {
    let env = TestEnv::with_seeds();
    env.index_keeping_segments(&["seeds"]);
    // A second run with a copy of the shortest seed under another name
    // (another article id) writes it into a second segment (it adds too
    // little for the run to merge the segments, and small segments are
    // kept apart).
    let (doc, text) = common::seed_files()
        .into_iter()
        .min_by_key(|(_, text)| text.lines().count())
        .unwrap();
    env.write(&format!("seeds/copy_{doc}.txt"), text);
    // And a file of several articles (JSON Lines), whose articles follow
    // one another in the second segment: one with a title, one without,
    // and one with a title again.
    env.write(
        "seeds/dump.jsonl",
        std::fs::read(common::fixture("dump.jsonl")).unwrap(),
    );
    env.index_keeping_segments(&["seeds"]);
    // (The two new files may be written by two indexing threads into a
    // segment each.)
    assert!(segments(&env) >= 2, "the test needs several segments");
    for query in [
        "\"der\"",
        "Ukraine",
        "Sicherheitsgarantien",
        "Kunde",
        "kind:comment",
        // In a text and in the title of the next article of the file.
        "Artikel",
        // A title carried to the paragraphs of its article only.
        "Koalition",
        "Absatz OR Paris",
    ] {
        // Every match of every kind, listed one by one (streamed), and the
        // kinds the default scope leaves out.
        let every = env.hits(&[query]);
        let left_out = |h: &&serde_json::Value| {
            ["comment", "boilerplate"].contains(&h["kind"].as_str().unwrap())
        };
        let (out, kept): (Vec<&serde_json::Value>, Vec<&serde_json::Value>) =
            if query.starts_with("kind:") {
                (Vec::new(), every.iter().collect())
            } else {
                every.iter().partition(left_out)
            };
        let articles: BTreeSet<&str> = kept.iter().map(|h| h["doc"].as_str().unwrap()).collect();
        let plural =
            |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
        let mut expected = format!(
            "{} in {}",
            plural(kept.len(), "paragraph", "paragraphs"),
            plural(articles.len(), "article", "articles")
        );
        if kept.len() > 1 {
            expected.push_str(", showing the best 1");
        }
        if !out.is_empty() {
            expected.push_str(&format!("; {} more in comments or boilerplate", out.len()));
        }
        let output = env
            .cmd()
            .args(["search", "-n", "1", "--color", "never", query])
            .output()
            .unwrap();
        let stdout = String::from_utf8(output.stdout).unwrap();
        let last = stdout.lines().last().unwrap_or_default();
        assert!(
            last.starts_with(&expected),
            "{query}: {last}, expected {expected}"
        );
    }
}

/// The counts `field` has over every paragraph, most frequent first (ties
/// by value), as the hint for an empty filter lists them.
fn value_counts(every: &[serde_json::Value], field: &str) -> String {
    let mut counts: BTreeMap<String, u64> = BTreeMap::new();
    for hit in every {
        match &hit[field] {
            serde_json::Value::String(v) => *counts.entry(v.clone()).or_default() += 1,
            serde_json::Value::Array(vs) => {
                for v in vs {
                    *counts.entry(v.as_str().unwrap().to_string()).or_default() += 1;
                }
            }
            _ => {}
        }
    }
    let mut counts: Vec<(String, u64)> = counts.into_iter().collect();
    counts.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    counts
        .iter()
        .map(|(v, n)| format!("{v} ({n})"))
        .collect::<Vec<_>>()
        .join(", ")
}

#[test]
fn a_filter_no_paragraph_passes_is_named_with_the_values_the_index_has() {
    let env = TestEnv::indexed_seeds();
    let every = env.hits(&[common::EVERYTHING]);
    let stderr = |query: &str| {
        let out = env.cmd().args(["search", query]).output().unwrap();
        assert_eq!(out.status.code(), Some(1), "{query}");
        String::from_utf8(out.stderr).unwrap()
    };

    let langs = value_counts(&every, "lang");
    assert!(
        stderr("Ukraine lang:en").contains(&format!(
            "hint: no paragraph in the index has lang:en; its lang values: {langs}\n"
        )),
        "{}",
        stderr("Ukraine lang:en")
    );
    let agencies = value_counts(&every, "agency");
    assert!(!agencies.is_empty(), "the seeds credit agencies");
    assert!(stderr("Ukraine agency:dpaa").contains(&format!(
        "hint: no paragraph in the index has agency:dpaa; its agency values: {agencies}\n"
    )));
    let dates: BTreeSet<&str> = every.iter().filter_map(|h| h["date"].as_str()).collect();
    let (first, last) = (dates.first().unwrap(), dates.last().unwrap());
    assert!(
        stderr("Ukraine date:2030").contains(&format!("its dates run from {first} to {last}\n"))
    );
    assert!(stderr("doc:nix").contains("hint: no article in the index has the id 'nix'"));

    // Filters some paragraph passes are not named, even when the query as
    // a whole finds nothing; excluded ones are not filters.
    let lang = every[0]["lang"].as_str().unwrap();
    assert!(!stderr(&format!("Rindfleischetikettierung lang:{lang}")).contains("hint: no"));
    let out = env
        .cmd()
        .args(["search", "Ukraine -lang:en"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert!(!String::from_utf8_lossy(&out.stderr).contains("hint: no"));
}

/// The hints of a search that finds nothing are about the filters typed,
/// not the kinds of the default scope: in an index of body text only (a
/// fixture without title or headings), a plain word gives no kind hint,
/// and `kind:heading` one about heading alone.
#[test]
fn kind_hints_name_only_the_kinds_typed() {
    let env = TestEnv::empty();
    std::fs::create_dir(env.path().join("docs")).unwrap();
    std::fs::copy(
        common::fixture("no-metadata.txt"),
        env.path().join("docs/no-metadata.txt"),
    )
    .unwrap();
    env.cmd().args(["index", "docs"]).assert().success();
    let kinds = env.hits(&[common::EVERYTHING]);
    assert!(!kinds.is_empty());
    assert!(kinds.iter().all(|h| h["kind"] == "body"), "only body text");
    let stderr = |query: &str| {
        let out = env.cmd().args(["search", query]).output().unwrap();
        assert_eq!(out.status.code(), Some(1), "{query}");
        String::from_utf8(out.stderr).unwrap()
    };
    let plain = stderr("Quantenphysik");
    assert!(!plain.contains("hint: no paragraph"), "{plain}");
    let heading = stderr("Waffenstillstand kind:heading");
    let hints: Vec<&str> = heading.lines().filter(|l| l.contains("hint:")).collect();
    assert_eq!(
        hints,
        [format!(
            "fundstelle: hint: no paragraph in the index has kind:heading; its kind values: body ({})",
            kinds.len()
        )],
        "{heading}"
    );
}

/// A clause written many times is one clause: 3000 copies of a fuzzy word
/// find the same paragraphs with the same scores as one (each copy used to
/// be compiled and scored: 764 MB, and 3000 times the score).
#[test]
fn a_repeated_clause_counts_once() {
    let env = TestEnv::indexed_seeds();
    let once = env.hits(&["Selenskij~2 Krieg"]);
    assert!(!once.is_empty());
    let many = vec!["Selenskij~2 Krieg"; 3000].join(" ");
    assert_eq!(env.hits(&[&many]), once);
    let either = env.hits(&["Selenskij~2 OR Krieg"]);
    assert!(either.len() > once.len());
    assert_eq!(
        env.hits(&["Selenskij~2 OR Krieg OR Krieg OR Selenskij~2"]),
        either
    );
}
