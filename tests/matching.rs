//! German matching with the real binary: compounds and their ranking,
//! umlaut spellings, feminine forms, fuzzy and prefix search, suggestions,
//! highlighting and --explain.

mod common;

use std::collections::BTreeSet;

use common::{TestEnv, highlighted};

fn fixture_env(text: &str) -> TestEnv {
    let env = TestEnv::empty();
    env.write("docs/artikel.txt", text);
    env.cmd().args(["index", "docs"]).assert().success();
    env
}

fn lines(env: &TestEnv, query: &str) -> BTreeSet<u64> {
    env.hits(&[query])
        .iter()
        .map(|h| h["line"].as_u64().unwrap())
        .collect()
}

#[test]
fn feminine_and_plural_person_forms_meet() {
    let env = fixture_env(
        "Die Politikerin sprach lange.\n\nEin Politiker widersprach.\n\nDie Ministerinnen trafen sich.\n\nDer Minister fehlte.\n\nDie Verteidigungsministerin reiste ab.\n\nIn Berlin und bei Putin blieb alles ruhig.\n",
    );
    assert_eq!(lines(&env, "Politiker"), BTreeSet::from([1, 3]));
    assert_eq!(lines(&env, "Politikerin"), BTreeSet::from([1, 3]));
    assert_eq!(lines(&env, "Minister"), BTreeSet::from([5, 7, 9]));
    assert_eq!(lines(&env, "Verteidigungsminister"), BTreeSet::from([9]));
    // Words that merely end in -in are not feminine forms.
    assert_eq!(lines(&env, "Berl"), BTreeSet::new());
    assert_eq!(lines(&env, "Putin"), BTreeSet::from([11]));
}

#[test]
fn umlaut_and_sharp_s_spellings_meet_both_ways_but_quotes_stay_exact() {
    let env = fixture_env(
        "Grossbritannien und die Laender der Union.\n\nGroßbritannien und die Länder der Union.\n\nDer Praesident sprach.\n",
    );
    assert_eq!(lines(&env, "Großbritannien"), BTreeSet::from([1, 3]));
    assert_eq!(lines(&env, "Grossbritannien"), BTreeSet::from([1, 3]));
    assert_eq!(lines(&env, "Länder"), BTreeSet::from([1, 3]));
    assert_eq!(lines(&env, "Präsident"), BTreeSet::from([5]));
    assert_eq!(lines(&env, "\"Laender\""), BTreeSet::from([1]));
    assert_eq!(lines(&env, "\"Länder\""), BTreeSet::from([3]));
    let marked: BTreeSet<String> = env.hits(&["Länder"]).iter().flat_map(highlighted).collect();
    assert_eq!(
        marked,
        BTreeSet::from(["Laender".to_string(), "Länder".to_string()])
    );
}

#[test]
fn whole_words_rank_above_compound_parts_and_compounds_are_marked_whole() {
    let env = TestEnv::indexed_seeds();
    let mut hits = env.jsonl(&[
        "search",
        "--include",
        "all",
        "--limit",
        "0",
        "--format",
        "jsonl",
        "Garantien",
    ]);
    hits.sort_by(|a, b| {
        b["score"]
            .as_f64()
            .partial_cmp(&a["score"].as_f64())
            .unwrap()
    });
    let whole = |h: &serde_json::Value| highlighted(h).iter().any(|m| m == "Garantien");
    let first_compound_only = hits.iter().position(|h| !whole(h)).unwrap();
    assert!(first_compound_only > 0);
    assert!(
        hits[first_compound_only..].iter().all(|h| !whole(h)),
        "every whole-word match ranks above every compound-only match"
    );
    for h in &hits[first_compound_only..] {
        assert!(
            highlighted(h).iter().all(|m| m == "Sicherheitsgarantien"),
            "{h}"
        );
    }
}

/// Every occurrence of a word, its inflections and its compounds is
/// highlighted: the highlighter's count of marked words equals what the
/// index's own dictionary counts (`terms`: occurrences of each form the
/// word finds). Words with compounds before and after their stem, so a
/// look-up among the compound stems that is not in order misses some.
#[test]
fn every_form_a_word_finds_is_highlighted_in_every_hit() {
    let env = TestEnv::indexed_seeds();
    for word in [
        "Sicherheit",
        "Krieg",
        "Staat",
        "Regierung",
        "Garantie",
        "Frieden",
    ] {
        let forms = env.jsonl(&["terms", "--format", "jsonl", word]);
        assert!(
            forms.iter().any(|f| f["relation"] == "compound"),
            "{word} has no compounds in the seeds"
        );
        let in_index: u64 = forms
            .iter()
            .map(|f| f["occurrences"].as_u64().unwrap())
            .sum();
        let marked: usize = env.hits(&[word]).iter().map(|h| highlighted(h).len()).sum();
        assert_eq!(marked as u64, in_index, "{word}");
    }
}

#[test]
fn prefix_and_fuzzy_matches_are_highlighted_like_any_other() {
    let env = TestEnv::indexed_seeds();
    for hit in env.hits(&["Sicherheits*"]) {
        let marked = highlighted(&hit);
        assert!(!marked.is_empty());
        assert!(
            marked.iter().all(|m| m.starts_with("Sicherheits")),
            "{marked:?}"
        );
    }
    for hit in env.hits(&["Selenskij~1"]) {
        assert_eq!(
            highlighted(&hit).iter().collect::<BTreeSet<_>>(),
            BTreeSet::from([&"Selenskyj".to_string()])
        );
    }
    for hit in env.hits(&["\"Koalition der Will*\""]) {
        for m in highlighted(&hit) {
            assert!(
                m == "Koalition der Willigen" || m == "Koalition der Willingen",
                "{m}"
            );
        }
    }
}

#[test]
fn nothing_found_suggests_the_closest_indexed_words() {
    let env = TestEnv::indexed_seeds();
    let out = env.cmd().args(["search", "Selenskij"]).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("Meinten Sie: Selenskyj?"), "{stderr}");
    let out = env
        .cmd()
        .args(["search", "Quantenchromodynamik"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(!String::from_utf8_lossy(&out.stderr).contains("Meinten"));
    // Swapped letters count as one edit; long words may be two edits off.
    for (typo, word) in [
        ("Selesnkyj", "Selenskyj"),
        ("Luxembrug", "Luxemburg"),
        ("Sicherhietsgarantiem", "Sicherheitsgarantien"),
    ] {
        let out = env.cmd().args(["search", typo]).output().unwrap();
        assert_eq!(out.status.code(), Some(1), "{typo}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            stderr.contains(&format!("Meinten Sie: {word}?")),
            "{typo}: {stderr}"
        );
    }
}

#[test]
fn explain_shows_terms_fields_and_contributions() {
    let env = TestEnv::indexed_seeds();
    let out = env
        .cmd()
        .args([
            "search",
            "--explain",
            "--color",
            "never",
            "-n",
            "3",
            "Garantien",
            "Witkoff",
        ])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("text:witkoff"), "{text}");
    assert!(text.contains("title:witkoff (weight 0.5)"), "{text}");
    assert!(
        text.contains("(weight 0.1)"),
        "compound contributions are shown: {text}"
    );
    let json = env
        .cmd()
        .args([
            "search",
            "--explain",
            "--format",
            "jsonl",
            "-n",
            "1",
            "Witkoff",
        ])
        .output()
        .unwrap();
    let hit: serde_json::Value =
        serde_json::from_slice(json.stdout.split(|b| *b == b'\n').next().unwrap()).unwrap();
    let score = hit["score"].as_f64().unwrap();
    let explained = hit["explanation"]["value"].as_f64().unwrap();
    assert!((score - explained).abs() < 1e-4, "{score} vs {explained}");
}

#[test]
fn title_and_heading_matches_count_for_more() {
    let env = fixture_env(
        " date 2025-09-04 Witkoff reist nach Paris\n\nEin Absatz über Witkoff und die Reise, der lang genug ist, um kein Titel zu sein, und der endet.\n\nZwischenüberschrift ohne den Namen\n\nEin Absatz über Witkoff und die Reise, der lang genug ist, um kein Titel zu sein, und der endet.\n",
    );
    let other = fixture_env(
        " date 2025-09-04 Ein ganz anderer Titel hier\n\nEin Absatz über Witkoff und die Reise, der lang genug ist, um kein Titel zu sein, und der endet.\n",
    );
    // The same paragraph text: under a title naming Witkoff, the title adds
    // to its score; under another title it does not.
    let explained = |env: &TestEnv| {
        let out = env
            .cmd()
            .args([
                "search",
                "--explain",
                "--color",
                "never",
                "Witkoff",
                "kind:body",
            ])
            .output()
            .unwrap();
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    assert!(explained(&env).contains("title:witkoff"));
    assert!(!explained(&other).contains("title:witkoff"));
}

/// Punctuation typed after a word, as in a question, is not part of it: the
/// word finds its compounds as without it.
#[test]
fn punctuation_after_a_word_keeps_its_compounds() {
    let env = fixture_env(
        "Die Luftverteidigung wurde verstärkt.\n\nÜber Verteidigung sprach niemand.\n\nDie Sicherheitsgarantien fehlen.\n\nGarantien gab es nicht.\n\nAnderes Thema.\n",
    );
    // From the fixture: "Verteidigung" is on line 3 and inside the compound
    // on line 1; "Garantien" on line 7 and inside the compound on line 5.
    assert_eq!(lines(&env, "Verteidigung"), BTreeSet::from([1, 3]));
    assert_eq!(lines(&env, "Garantien"), BTreeSet::from([5, 7]));
    for mark in ["?", ".", "!", ",", ":", ";", "…"] {
        assert_eq!(
            lines(&env, &format!("Verteidigung{mark}")),
            BTreeSet::from([1, 3]),
            "Verteidigung{mark}"
        );
        assert_eq!(
            lines(&env, &format!("Garantien{mark}")),
            BTreeSet::from([5, 7]),
            "Garantien{mark}"
        );
    }
    // A question as typed.
    assert_eq!(
        lines(&env, "Welche Garantien?"),
        BTreeSet::new(),
        "every word must match"
    );
    assert_eq!(
        lines(&env, "Sicherheitsgarantien fehlen?"),
        BTreeSet::from([5])
    );
}

/// Words that Snowball stems like a frequent function word are kept apart
/// from it: `Sicherheit` does not find "sich", `nächste` not "nach".
#[test]
fn content_words_do_not_find_the_function_word_snowball_gives_their_stem() {
    let env = fixture_env(
        "Die Sicherheit Europas.\n\nEr freute sich.\n\nDas ist sicher.\n\nIm nächsten Jahr.\n\nNach dem Treffen.\n\nGegen seinen Willen.\n\nEr will nicht.\n\nSie ändern das.\n\nDie anderen nicht.\n\nWegen des Regens.\n\nAuf dem Weg.\n",
    );
    // Lines from the fixture: the word's own forms, not the function word.
    assert_eq!(lines(&env, "Sicherheit"), BTreeSet::from([1, 5]));
    assert_eq!(lines(&env, "sich"), BTreeSet::from([3]));
    assert_eq!(lines(&env, "nächste"), BTreeSet::from([7]));
    assert_eq!(lines(&env, "nach"), BTreeSet::from([9]));
    assert_eq!(lines(&env, "Wille"), BTreeSet::from([11]));
    assert_eq!(lines(&env, "will"), BTreeSet::from([13]));
    assert_eq!(lines(&env, "ändern"), BTreeSet::from([15]));
    assert_eq!(lines(&env, "andere"), BTreeSet::from([17]));
    assert_eq!(lines(&env, "wegen"), BTreeSet::from([19]));
    assert_eq!(lines(&env, "Weg"), BTreeSet::from([21]));
}

/// Of the forms sharing a stem, the one typed ranks first.
#[test]
fn the_form_typed_ranks_above_other_forms_of_its_stem() {
    // Same length, same stem (Snowball: "sicherung" and "sicherheit" both
    // `sicher`); "Sicherung" comes first in the file, so without the
    // form's own weight the tie would put it first.
    let env = fixture_env("Die Sicherung hält.\n\nDie Sicherheit hält.\n");
    // Ranked (`hits` lists every hit in index order).
    let ranked = |query: &str| -> Vec<u64> {
        let out = env
            .cmd()
            .args(["search", "-n", "10", "--format", "jsonl", query])
            .output()
            .unwrap();
        String::from_utf8_lossy(&out.stdout)
            .lines()
            .map(|l| {
                serde_json::from_str::<serde_json::Value>(l).unwrap()["line"]
                    .as_u64()
                    .unwrap()
            })
            .collect()
    };
    assert_eq!(ranked("Sicherheit"), vec![3, 1]);
    assert_eq!(ranked("Sicherung"), vec![1, 3]);
}

/// Words only in deleted paragraphs (a file removed from the index) are
/// neither suggested nor listed, although the index's dictionary keeps them
/// until its segments are merged.
#[test]
fn words_of_removed_files_are_not_suggested_or_listed() {
    let env = TestEnv::empty();
    env.write("docs/a.txt", "Der Bundestag hat das Gesetz beschlossen.\n");
    env.write("docs/b.txt", "Die Sitzung wurde vertagt.\n");
    env.cmd().args(["index", "docs"]).assert().success();
    let suggestion = |env: &TestEnv| {
        let out = env.cmd().args(["search", "beschlossenn"]).output().unwrap();
        assert_eq!(out.status.code(), Some(1));
        String::from_utf8_lossy(&out.stderr).contains("Meinten Sie: beschlossen?")
    };
    let listed = |env: &TestEnv| {
        let out = env.cmd().args(["terms", "beschlossen"]).output().unwrap();
        String::from_utf8_lossy(&out.stdout).contains("beschlossen ")
    };
    assert!(suggestion(&env), "suggested while the file is indexed");
    assert!(listed(&env), "listed while the file is indexed");

    std::fs::remove_file(env.path().join("docs/a.txt")).unwrap();
    env.cmd()
        .args(["index", "docs"])
        .assert()
        .success()
        .stdout(predicates::str::contains("1 removed"));
    assert!(!suggestion(&env), "suggested after the file was removed");
    assert!(!listed(&env), "listed after the file was removed");
}

/// `title:` and `heading:` words find compounds as plain words do, and
/// counting them with the default scope (which intersects the title match
/// with the kinds in scope) works.
#[test]
fn title_words_find_compounds_too() {
    let env = TestEnv::empty();
    // A header line as in the seeds: date, then the title.
    env.write(
        "docs/a.txt",
        " date 2025-09-04 Sicherheitsgarantien für Kiew\n\nDie Koalition tagt in Paris.\n\nEin zweiter Absatz.\n",
    );
    env.write(
        "docs/b.txt",
        " date 2025-09-04 Garantien gefordert\n\nDer Bundestag berät.\n",
    );
    env.write(
        "docs/c.txt",
        " date 2025-09-04 Wetter am Montag\n\nEs regnet.\n",
    );
    env.cmd().args(["index", "docs"]).assert().success();
    // Every paragraph of the articles whose title has the word or a
    // compound of it: a (3 paragraphs) and b (2), not c.
    let docs = |query: &str| -> BTreeSet<String> {
        env.hits(&[query])
            .iter()
            .map(|h| h["doc"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(
        docs("title:Garantien"),
        BTreeSet::from(["a".into(), "b".into()])
    );
    assert_eq!(docs("title:\"Garantien\""), BTreeSet::from(["b".into()]));
    let out = env
        .cmd()
        .args(["count", "title:Garantien"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(
        String::from_utf8_lossy(&out.stdout).trim(),
        "5 paragraphs in 2 articles"
    );
}

/// A title match counted with the default scope: the count intersects the
/// title's block join with the kinds left out, and must not run the join
/// past the end of a segment (it once panicked on the seeds).
#[test]
fn title_matches_are_counted_with_what_the_scope_leaves_out() {
    let env = TestEnv::indexed_seeds();
    for query in ["title:Koalition", "title:Ukraine", "heading:Garantien"] {
        let in_scope = env.hits_in_scope(&[query]).len();
        let all = env.hits(&[query]).len();
        let out = env.cmd().args(["count", query]).output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(0), "{query}: {stderr}");
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(
            stdout.starts_with(&format!("{in_scope} paragraphs in ")),
            "{query}: {stdout}"
        );
        if all > in_scope {
            assert!(
                stdout.contains(&format!("; {} more in comments", all - in_scope)),
                "{query}: {stdout}"
            );
        }
    }
}
