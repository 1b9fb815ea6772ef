//! Orders, groupings, counts, concordance, terms and stats on the seeds.
//! References: the seed files themselves (`common::words`) and the complete
//! hit list of `search --all` (checked against the seeds in tests/search.rs).

mod common;

use std::collections::{BTreeMap, BTreeSet};

use common::{TestEnv, doc_line, seed_files, seed_lines_where, words};
use serde_json::Value;

fn run(env: &TestEnv, args: &[&str]) -> (i32, String, String) {
    let out = env.cmd().args(args).output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

fn jsonl(text: &str) -> Vec<Value> {
    text.lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect()
}

fn score(hit: &Value) -> f64 {
    hit["score"].as_f64().unwrap()
}

#[test]
fn sort_by_date_and_by_doc() {
    let env = TestEnv::indexed_seeds();
    let all = env.hits_in_scope(&["Ukraine"]);
    let by_date = env.hits_in_scope(&["--sort", "date", "Ukraine"]);
    assert_eq!(
        by_date.iter().map(doc_line).collect::<BTreeSet<_>>(),
        all.iter().map(doc_line).collect::<BTreeSet<_>>()
    );
    // Dated first, oldest first; the same date best score first.
    let key = |h: &Value| {
        (
            h["date"].is_null(),
            h["date"].as_str().unwrap_or("").to_string(),
        )
    };
    for pair in by_date.windows(2) {
        assert!(
            key(&pair[0]) <= key(&pair[1]),
            "{} before {}",
            pair[0],
            pair[1]
        );
        if key(&pair[0]) == key(&pair[1]) {
            assert!(score(&pair[0]) >= score(&pair[1]));
        }
    }
    let ranks: Vec<u64> = by_date
        .iter()
        .map(|h| h["rank"].as_u64().unwrap())
        .collect();
    assert_eq!(ranks, (1..=all.len() as u64).collect::<Vec<_>>());

    let by_doc = env.hits_in_scope(&["--sort", "doc", "Ukraine"]);
    let order: Vec<(String, u64)> = by_doc
        .iter()
        .map(|h| {
            (
                h["doc"].as_str().unwrap().to_string(),
                h["para"].as_u64().unwrap(),
            )
        })
        .collect();
    let mut sorted = order.clone();
    sorted.sort();
    assert_eq!(order, sorted);
    assert_eq!(order.len(), all.len());

    // With a limit: the head of the full order.
    let (_, top3, _) = run(
        &env,
        &[
            "search", "-n", "3", "--sort", "date", "--format", "jsonl", "Ukraine",
        ],
    );
    let top3: Vec<(String, u64)> = jsonl(&top3).iter().map(doc_line).collect();
    assert_eq!(
        top3,
        by_date.iter().take(3).map(doc_line).collect::<Vec<_>>()
    );
}

#[test]
fn per_article_keeps_the_best_paragraphs_of_each_article() {
    let env = TestEnv::indexed_seeds();
    let all = env.hits_in_scope(&["--sort", "score", "Ukraine"]);
    let shown = env.hits_in_scope(&["--per-article", "2", "--sort", "score", "Ukraine"]);
    let mut per_doc: BTreeMap<String, Vec<&Value>> = BTreeMap::new();
    for h in &all {
        per_doc
            .entry(h["doc"].as_str().unwrap().to_string())
            .or_default()
            .push(h);
    }
    let expected: BTreeSet<(String, u64)> = per_doc
        .values()
        .flat_map(|hits| hits.iter().take(2).map(|h| doc_line(h)))
        .collect();
    assert_eq!(
        shown.iter().map(doc_line).collect::<BTreeSet<_>>(),
        expected
    );
    // Articles ranked by their best paragraph; each article's paragraphs together.
    let docs: Vec<&str> = shown.iter().map(|h| h["doc"].as_str().unwrap()).collect();
    let mut firsts: Vec<&str> = docs.clone();
    firsts.dedup();
    assert_eq!(
        firsts.len(),
        per_doc.len(),
        "each article's paragraphs together"
    );
    let best: Vec<f64> = firsts.iter().map(|d| score(per_doc[*d][0])).collect();
    assert!(best.windows(2).all(|w| w[0] >= w[1]), "{best:?}");

    // Without --sort and with a limit, best first as well.
    let (_, out, _) = run(
        &env,
        &[
            "search",
            "-n",
            "3",
            "--per-article",
            "1",
            "--format",
            "jsonl",
            "Ukraine",
        ],
    );
    let top: Vec<&str> = firsts.iter().take(3).copied().collect();
    let got = jsonl(&out);
    let got: Vec<&str> = got.iter().map(|h| h["doc"].as_str().unwrap()).collect();
    assert_eq!(got, top);
}

#[test]
fn articles_give_one_row_per_article_with_its_count_and_best_paragraph() {
    let env = TestEnv::indexed_seeds();
    let all = env.hits_in_scope(&["Sicherheitsgarantien"]);
    let (code, out, _) = run(
        &env,
        &[
            "search",
            "--all",
            "--articles",
            "--format",
            "jsonl",
            "Sicherheitsgarantien",
        ],
    );
    assert_eq!(code, 0);
    let rows = jsonl(&out);
    let mut counts: BTreeMap<&str, u64> = BTreeMap::new();
    for h in &all {
        *counts.entry(h["doc"].as_str().unwrap()).or_default() += 1;
    }
    assert_eq!(rows.len(), counts.len());
    for row in &rows {
        let doc = row["doc"].as_str().unwrap();
        assert_eq!(row["matches"].as_u64().unwrap(), counts[doc]);
        let best = all
            .iter()
            .filter(|h| h["doc"] == doc)
            .map(score)
            .fold(f64::MIN, f64::max);
        assert!((score(row) - best).abs() < 1e-4);
        assert!(row["snippet"].as_str().unwrap().contains("<mark>"));
    }
    let (_, text, _) = run(
        &env,
        &[
            "search",
            "--articles",
            "--color",
            "never",
            "Sicherheitsgarantien",
        ],
    );
    assert!(
        text.contains(&format!("showing {} articles", counts.len())),
        "{text}"
    );
}

#[test]
fn count_totals_and_groups_agree_with_the_hits() {
    let env = TestEnv::indexed_seeds();
    let all = env.hits_in_scope(&["Ukraine"]);
    let docs: BTreeSet<&str> = all.iter().map(|h| h["doc"].as_str().unwrap()).collect();
    // The matches the default scope leaves out: comments, boilerplate.
    let left_out = env.hits(&["Ukraine"]).len() - all.len();
    assert!(left_out > 0, "the seeds have comments naming Ukraine");
    let (code, out, _) = run(&env, &["count", "Ukraine"]);
    assert_eq!(code, 0);
    assert_eq!(
        out.trim(),
        format!(
            "{} paragraphs in {} articles; {left_out} more in comments or boilerplate \
             (--include comment,boilerplate)",
            all.len(),
            docs.len()
        )
    );
    // With comments included, the note names only what is still left out.
    let comments = env.hits(&["kind:comment Ukraine"]).len();
    let boilerplate = env.hits(&["kind:boilerplate Ukraine"]).len();
    assert_eq!(comments + boilerplate, left_out);
    assert!(comments > 0 && boilerplate > 0, "{comments} {boilerplate}");
    let (_, out, _) = run(&env, &["count", "--include", "comment", "Ukraine"]);
    assert!(
        out.trim().ends_with(&format!(
            "; {boilerplate} more in boilerplate (--include boilerplate)"
        )),
        "{out}"
    );
    let (_, out, _) = run(&env, &["count", "--include", "boilerplate", "Ukraine"]);
    assert!(
        out.trim().ends_with(&format!(
            "; {comments} more in comments (--include comment)"
        )),
        "{out}"
    );
    let (_, out, _) = run(&env, &["count", "--include", "all", "Ukraine"]);
    assert!(!out.contains("more in"), "{out}");
    // A kind the query excludes itself is not named as left out.
    for query in ["Ukraine -kind:comment", "Ukraine NOT kind:comment"] {
        let (_, out, _) = run(&env, &["count", query]);
        assert!(
            out.trim().ends_with(&format!(
                "; {boilerplate} more in boilerplate (--include boilerplate)"
            )),
            "{query}: {out}"
        );
    }
    let (_, out, _) = run(&env, &["count", "Ukraine -kind:boilerplate"]);
    assert!(
        out.trim().ends_with(&format!(
            "; {comments} more in comments (--include comment)"
        )),
        "{out}"
    );
    // A frequency table has no total row: the note goes to stderr.
    let (_, _, err) = run(
        &env,
        &["count", "--by", "kind", "--format", "csv", "Ukraine"],
    );
    assert!(
        err.contains(&format!(
            "{left_out} more in comments or boilerplate (--include comment,boilerplate)"
        )),
        "{err}"
    );

    let (_, out, _) = run(&env, &["count", "--format", "json", "Ukraine"]);
    let v: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["paragraphs"], all.len());
    assert_eq!(v["out_of_scope"], left_out);
    let (_, out, _) = run(&env, &["count", "--format", "csv", "Ukraine"]);
    assert_eq!(
        out,
        format!(
            "paragraphs,articles,out_of_scope\n{},{},{left_out}\n",
            all.len(),
            docs.len()
        )
    );
    // Markdown and HTML: the same one row as a table.
    let (_, out, _) = run(&env, &["count", "--format", "md", "Ukraine"]);
    assert_eq!(
        out,
        format!(
            "| paragraphs | articles | out_of_scope |\n|---|---|---|\n| {} | {} | {left_out} |\n",
            all.len(),
            docs.len()
        )
    );
    let (_, out, _) = run(&env, &["count", "--format", "html", "Ukraine"]);
    let page = scraper::Html::parse_document(&out);
    let cells = scraper::Selector::parse("tbody tr td").unwrap();
    let row: Vec<String> = page.select(&cells).map(|c| c.text().collect()).collect();
    let expected = [all.len(), docs.len(), left_out].map(|n| n.to_string());
    assert_eq!(row, expected);

    for (by, key) in [
        ("date", 10usize),
        ("month", 7),
        ("doc", 0),
        ("lang", 0),
        ("kind", 0),
    ] {
        let field = if by == "month" { "date" } else { by };
        let mut expected: BTreeMap<String, (u64, BTreeSet<String>)> = BTreeMap::new();
        for h in &all {
            let mut value = h[field].as_str().unwrap_or("").to_string();
            if key > 0 {
                value.truncate(key);
            }
            let e = expected.entry(value).or_default();
            e.0 += 1;
            e.1.insert(h["doc"].as_str().unwrap().to_string());
        }
        let (code, out, _) = run(&env, &["count", "--by", by, "--format", "csv", "Ukraine"]);
        assert_eq!(code, 0, "{by}");
        let mut reader = csv::Reader::from_reader(out.as_bytes());
        assert_eq!(&reader.headers().unwrap()[0], by);
        let got: BTreeMap<String, (u64, u64)> = reader
            .records()
            .map(|r| {
                let r = r.unwrap();
                (
                    r[0].to_string(),
                    (r[1].parse().unwrap(), r[2].parse().unwrap()),
                )
            })
            .collect();
        let expected: BTreeMap<String, (u64, u64)> = expected
            .into_iter()
            .map(|(k, (p, d))| (k, (p, d.len() as u64)))
            .collect();
        assert_eq!(got, expected, "count --by {by}");
    }

    // By agency: a paragraph counts under each agency credited for it.
    let mut expected: BTreeMap<String, u64> = BTreeMap::new();
    for h in &all {
        let agencies = h["agency"].as_array().unwrap();
        for a in agencies {
            *expected.entry(a.as_str().unwrap().to_string()).or_default() += 1;
        }
    }
    let (code, out, _) = run(
        &env,
        &["count", "--by", "agency", "--format", "csv", "Ukraine"],
    );
    assert_eq!(code, 0);
    let got: BTreeMap<String, u64> = csv::Reader::from_reader(out.as_bytes())
        .records()
        .map(|r| r.unwrap())
        .filter(|r| !r[0].is_empty())
        .map(|r| (r[0].to_string(), r[1].parse().unwrap()))
        .collect();
    assert_eq!(got, expected);
    let (code, _, err) = run(&env, &["count", "--by", "wetter", "Ukraine"]);
    assert_eq!(code, 2);
    assert!(
        err.contains("date, month, doc, agency, lang, kind"),
        "{err}"
    );
    let (code, _, _) = run(&env, &["count", "Quantenchromodynamik"]);
    assert_eq!(code, 1);
}

#[test]
fn kwic_gives_one_line_per_occurrence() {
    let env = TestEnv::indexed_seeds();
    let forms = ["sicherheitsgarantie", "sicherheitsgarantien"];
    let expected: usize = seed_files()
        .iter()
        .flat_map(|(_, text)| text.lines().map(words).collect::<Vec<_>>())
        .map(|w| w.iter().filter(|w| forms.contains(&w.as_str())).count())
        .sum();
    let (code, out, _) = run(
        &env,
        &[
            "kwic",
            "--format",
            "jsonl",
            "--width",
            "30",
            "Sicherheitsgarantie",
        ],
    );
    assert_eq!(code, 0);
    let lines = jsonl(&out);
    assert_eq!(lines.len(), expected);
    let texts: BTreeMap<(String, u64), String> = env
        .hits(&["Sicherheitsgarantie"])
        .iter()
        .map(|h| (doc_line(h), h["text"].as_str().unwrap().to_string()))
        .collect();
    for l in &lines {
        let text = &texts[&doc_line(l)];
        let (left, matched, right) = (
            l["left"].as_str().unwrap(),
            l["match"].as_str().unwrap(),
            l["right"].as_str().unwrap(),
        );
        assert!(
            forms.contains(&matched.to_lowercase().as_str()),
            "{matched}"
        );
        assert!(left.chars().count() <= 30 && right.chars().count() <= 30);
        let start = l["start"].as_u64().unwrap() as usize;
        assert_eq!(&text[start..start + matched.len()], matched);
        assert!(text.contains(&format!("{left}{matched}{right}")));
    }

    // A phrase is one line per occurrence of the whole phrase.
    let phrase = ["koalition", "der", "willigen"];
    let occurrences: usize = seed_files()
        .iter()
        .flat_map(|(_, text)| text.lines().map(words).collect::<Vec<_>>())
        .map(|w| w.windows(3).filter(|win| win == &phrase).count())
        .sum();
    let (_, out, _) = run(
        &env,
        &["kwic", "--format", "csv", "\"Koalition der Willigen\""],
    );
    let mut reader = csv::Reader::from_reader(out.as_bytes());
    let matches: Vec<String> = reader
        .records()
        .map(|r| r.unwrap()[6].to_string())
        .collect();
    assert_eq!(matches.len(), occurrences);
    assert!(matches.iter().all(|m| words(m) == phrase));

    // Text: the matches stand in one column.
    let (_, out, _) = run(
        &env,
        &["kwic", "--color", "never", "-n", "4", "Sicherheitsgarantie"],
    );
    let columns: BTreeSet<usize> = out
        .lines()
        .map(|l| l[..l.find("Sicherheitsgarantie").unwrap()].chars().count())
        .collect();
    assert_eq!(out.lines().count(), 4);
    assert_eq!(columns.len(), 1, "{out}");

    let (code, _, err) = run(&env, &["kwic", "kind:heading"]);
    assert_eq!(code, 2);
    assert!(err.contains("no words"), "{err}");
}

/// `kwic -n 0` is no limit (as `search -n 0`); every limit ends with the
/// totals, and "showing the first" only when lines were left out.
#[test]
fn kwic_limits_show_what_they_say() {
    let env = TestEnv::indexed_seeds();
    let forms = ["sicherheitsgarantie", "sicherheitsgarantien"];
    let hits = env.hits_in_scope(&["Sicherheitsgarantie"]);
    let paragraphs = hits.len();
    let articles = hits
        .iter()
        .map(|h| h["doc"].as_str().unwrap())
        .collect::<BTreeSet<_>>()
        .len();
    let total: usize = hits
        .iter()
        .map(|h| {
            let w = words(h["text"].as_str().unwrap());
            w.iter().filter(|w| forms.contains(&w.as_str())).count()
        })
        .sum();
    // Some paragraph has the word twice: N paragraphs hold more than N lines.
    assert!(total > paragraphs && paragraphs > 2, "{total} {paragraphs}");
    let matched = format!("{paragraphs} paragraphs in {articles} articles");
    let kwic = |n: Option<usize>| {
        let mut args = vec!["kwic".to_string(), "--color".into(), "never".into()];
        if let Some(n) = n {
            args.extend(["-n".to_string(), n.to_string()]);
        }
        args.push("Sicherheitsgarantie".into());
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let (code, out, err) = run(&env, &args);
        assert_eq!(code, 0, "{n:?}: {err}");
        (out.lines().count(), err.trim().to_string())
    };
    let everything = format!("fundstelle: {total} occurrences in {matched}");
    for n in [None, Some(0), Some(total), Some(total + 1)] {
        assert_eq!(kwic(n), (total, everything.clone()), "-n {n:?}");
    }
    for n in [1, paragraphs - 1, paragraphs, total - 1] {
        let s = if n == 1 { "" } else { "s" };
        let note = format!("fundstelle: showing the first {n} occurrence{s} ({matched} match)");
        assert_eq!(kwic(Some(n)), (n, note), "-n {n}");
    }
}

/// kwic counts occurrences; what the scope leaves out is counted in
/// paragraphs, and its note says so.
#[test]
fn kwic_names_the_paragraphs_it_leaves_out_as_paragraphs() {
    let env = TestEnv::indexed_seeds();
    let left_out = env.hits(&["Ukraine"]).len() - env.hits_in_scope(&["Ukraine"]).len();
    assert!(left_out > 1, "{left_out}");
    let (code, _, err) = run(&env, &["kwic", "--color", "never", "Ukraine"]);
    assert_eq!(code, 0, "{err}");
    let note = format!(
        "; {left_out} more paragraphs in comments or boilerplate (--include comment,boilerplate)"
    );
    assert!(err.trim_end().ends_with(&note), "{err}");
    let (_, _, err) = run(&env, &["kwic", "-n", "1", "--color", "never", "Ukraine"]);
    assert!(err.contains(&note), "{err}");
}

#[test]
fn terms_lists_the_forms_a_word_finds_with_their_frequencies() {
    let env = TestEnv::indexed_seeds();
    // By reading the seeds: the forms of Land, and its one compound
    // ("Unterstützerländer"; the country names are not lands).
    let forms = [
        "land",
        "lande",
        "landes",
        "länder",
        "ländern",
        "unterstützerländer",
    ];
    let mut expected: BTreeMap<String, (u64, u64)> = BTreeMap::new();
    for (_, text) in seed_files() {
        for line in text.lines() {
            let w = words(line);
            for form in forms {
                let n = w.iter().filter(|x| *x == form).count() as u64;
                if n > 0 {
                    let e = expected.entry(form.to_string()).or_default();
                    e.0 += 1;
                    e.1 += n;
                }
            }
        }
    }
    let (code, out, _) = run(&env, &["terms", "--format", "csv", "Länder"]);
    assert_eq!(code, 0);
    let got: BTreeMap<String, (u64, u64)> = csv::Reader::from_reader(out.as_bytes())
        .records()
        .map(|r| {
            let r = r.unwrap();
            (
                r[0].to_string(),
                (r[1].parse().unwrap(), r[2].parse().unwrap()),
            )
        })
        .collect();
    assert_eq!(got, expected);
    // The forms listed are exactly what the search finds.
    let searched = env.hit_lines(&["Länder"]);
    let with_forms = seed_lines_where(|l| words(l).iter().any(|w| got.contains_key(w)));
    assert_eq!(searched, with_forms);

    let (code, out, _) = run(&env, &["terms", "--top", "3", "--format", "jsonl"]);
    assert_eq!(code, 0);
    let top = jsonl(&out);
    assert_eq!(top.len(), 3);
    let paragraphs: Vec<u64> = top
        .iter()
        .map(|t| t["paragraphs"].as_u64().unwrap())
        .collect();
    assert!(paragraphs.windows(2).all(|w| w[0] >= w[1]));
    // "der" stands in more seed paragraphs than any other word.
    let der = seed_lines_where(|l| words(l).iter().any(|w| w == "der")).len() as u64;
    assert_eq!(top[0]["term"], "der");
    assert_eq!(paragraphs[0], der);

    let (code, _, _) = run(&env, &["terms", "Quantenchromodynamik"]);
    assert_eq!(code, 1);
}

/// `terms WORD~N` lists the forms a fuzzy search finds. By reading the
/// seeds: "Selenskyj" is one edit from "Selenskij" (j for i), "Selenskyjs"
/// two; no other word of the seeds is that close.
#[test]
fn terms_of_one_argument_with_several_words_are_those_of_the_words_apart() {
    let env = TestEnv::indexed_seeds();
    let (code, apart, err) = run(&env, &["terms", "Ukraine~1", "Paris"]);
    assert_eq!(code, 0, "{err}");
    let (code, together, err) = run(&env, &["terms", "Ukraine~1 Paris"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(together, apart);
    assert!(
        apart.contains("paris") && apart.contains("ukraine"),
        "{apart}"
    );
    // The same word twice is the word once.
    let (code, twice, err) = run(&env, &["terms", "Ukraine~1 Ukraine~1"]);
    assert_eq!(code, 0, "{err}");
    let (_, once, _) = run(&env, &["terms", "Ukraine~1"]);
    assert_eq!(twice, once);
    // Positions in errors count in the whole argument.
    let (code, _, err) = run(&env, &["terms", "Paris  Ukraine~7"]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("'Paris  Ukraine~7', position 15:"), "{err}");
}

#[test]
fn terms_lists_the_forms_a_fuzzy_word_finds() {
    let env = TestEnv::indexed_seeds();
    let frequencies = |form: &str| -> (u64, u64) {
        let mut counts = (0, 0);
        for (_, text) in seed_files() {
            for line in text.lines() {
                let n = words(line).iter().filter(|w| *w == form).count() as u64;
                if n > 0 {
                    counts.0 += 1;
                    counts.1 += n;
                }
            }
        }
        counts
    };
    let terms = |word: &str| -> BTreeMap<String, (u64, u64, String)> {
        let (code, out, err) = run(&env, &["terms", "--format", "jsonl", word]);
        assert_eq!(code, 0, "{word}: {err}");
        jsonl(&out)
            .iter()
            .map(|t| {
                let n = |k: &str| t[k].as_u64().unwrap();
                let relation = t["relation"].as_str().unwrap().to_string();
                let term = t["term"].as_str().unwrap().to_string();
                (term, (n("paragraphs"), n("occurrences"), relation))
            })
            .collect()
    };
    let entry = |form: &str| {
        let (p, o) = frequencies(form);
        assert!(p > 0, "{form} is in the seeds");
        (form.to_string(), (p, o, "fuzzy".to_string()))
    };
    let one = terms("Selenskij~1");
    assert_eq!(one, BTreeMap::from([entry("selenskyj")]));
    let two = BTreeMap::from([entry("selenskyj"), entry("selenskyjs")]);
    assert_eq!(terms("Selenskij~2"), two);
    assert_eq!(terms("Selenskij~"), two);
    // The forms listed are exactly what the search finds.
    let searched = env.hit_lines(&["Selenskij~1"]);
    assert_eq!(
        searched,
        seed_lines_where(|l| words(l).iter().any(|w| one.contains_key(w)))
    );
    let (code, _, err) = run(&env, &["terms", "Selenskij~3"]);
    assert_eq!(code, 2);
    assert!(
        err.contains("position 10") && err.contains("from 0 to 2"),
        "{err}"
    );
}

/// `terms` reads `word*` and `"word"` as the search does: the forms with
/// the prefix, and that one form.
#[test]
fn terms_of_a_prefix_and_of_a_quoted_word() {
    let env = TestEnv::indexed_seeds();
    // By reading the seeds: each form and its (paragraphs, occurrences).
    let expected = |keep: &dyn Fn(&str) -> bool| -> BTreeMap<String, (u64, u64)> {
        let mut out: BTreeMap<String, (u64, u64)> = BTreeMap::new();
        for (_, text) in seed_files() {
            for line in text.lines() {
                let mut counts: BTreeMap<String, u64> = BTreeMap::new();
                for w in words(line).into_iter().filter(|w| keep(w)) {
                    *counts.entry(w).or_default() += 1;
                }
                for (w, n) in counts {
                    let e = out.entry(w).or_default();
                    e.0 += 1;
                    e.1 += n;
                }
            }
        }
        out
    };
    let listed = |arg: &str| -> BTreeMap<String, (u64, u64)> {
        let (code, out, err) = run(&env, &["terms", "--format", "csv", arg]);
        assert_eq!(code, 0, "{err}");
        csv::Reader::from_reader(out.as_bytes())
            .records()
            .map(|r| {
                let r = r.unwrap();
                (
                    r[0].to_string(),
                    (r[1].parse().unwrap(), r[2].parse().unwrap()),
                )
            })
            .collect()
    };
    let prefixed = expected(&|w| w.starts_with("sicherheits"));
    assert!(prefixed.len() > 1, "the seeds have several such compounds");
    assert_eq!(listed("Sicherheits*"), prefixed);
    assert_eq!(listed("\"Garantien\""), expected(&|w| w == "garantien"));
    assert_eq!(listed("„Garantien“"), expected(&|w| w == "garantien"));
    // A `*` inside a word is an error, as in a query, naming its position.
    for (arg, position) in [
        ("bundes**", 7),
        ("bun*des", 4),
        ("  ab*c", 5),
        ("über*s*", 5),
    ] {
        let (code, _, err) = run(&env, &["terms", arg]);
        assert_eq!(code, 2, "{arg}: {err}");
        assert!(err.contains(&format!("position {position}")), "{err}");
        let (code, _, err) = run(&env, &["search", arg]);
        assert_eq!(code, 2, "{arg}: {err}");
        assert!(err.contains(&format!("position {position}")), "{err}");
    }
}

/// After a file is removed, its terms stay in the dictionaries until a
/// merge: `terms --top` still lists the n terms of the most live
/// paragraphs, counted live.
#[test]
fn top_terms_count_only_live_paragraphs() {
    let env = TestEnv::empty();
    let zebras: String = (1..=30)
        .map(|n| format!("Zebra Absatz Nummer {n} über Zebras\n\n"))
        .collect();
    let haushalt: String = (1..=5)
        .map(|n| format!("Der Bundestag berät heute über den Haushalt {n}\n\n"))
        .collect();
    env.write("docs/a.txt", &zebras);
    env.write("docs/b.txt", &haushalt);
    env.cmd().args(["index", "docs"]).assert().success();
    std::fs::remove_file(env.path().join("docs/a.txt")).unwrap();
    env.cmd().args(["index", "docs"]).assert().success();
    // Expected from b.txt alone: each form and the lines that have it, the
    // most frequent first, then alphabetically.
    let mut lines_with: BTreeMap<String, u64> = BTreeMap::new();
    for line in haushalt.lines().filter(|l| !l.is_empty()) {
        let forms: BTreeSet<String> = words(line).into_iter().collect();
        for w in forms {
            *lines_with.entry(w).or_default() += 1;
        }
    }
    let mut expected: Vec<(String, u64)> = lines_with.into_iter().collect();
    expected.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    expected.truncate(3);
    assert!(expected.iter().all(|(_, n)| *n == 5), "{expected:?}");
    let (code, out, err) = run(&env, &["terms", "--top", "3", "--format", "jsonl"]);
    assert_eq!(code, 0, "{err}");
    let got: Vec<(String, u64)> = jsonl(&out)
        .iter()
        .map(|t| {
            (
                t["term"].as_str().unwrap().to_string(),
                t["paragraphs"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(got, expected);
}

#[test]
fn stats_describe_the_index() {
    let env = TestEnv::indexed_seeds();
    let seeds = seed_files();
    let paragraphs = seed_lines_where(|_| true).len();
    let (code, out, _) = run(&env, &["stats", "--format", "json"]);
    assert_eq!(code, 0);
    let v: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["articles"], seeds.len());
    assert_eq!(v["paragraphs"], paragraphs);
    let kinds: u64 = v["kinds"]
        .as_array()
        .unwrap()
        .iter()
        .map(|k| k["paragraphs"].as_u64().unwrap())
        .sum();
    assert_eq!(kinds, paragraphs as u64);
    assert_eq!(v["sources"], serde_json::json!(["seeds"]));
    let agencies: BTreeSet<&str> = v["agencies"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["agency"].as_str().or(a["value"].as_str()).unwrap_or(""))
        .collect();
    for credited in ["dpa", "rtr", "afp", "mit dpa"] {
        assert!(agencies.contains(credited), "{credited} in {agencies:?}");
    }
    assert!(v["size_bytes"].as_u64().unwrap() > 1000);
    // A fresh build: one segment holding every paragraph, no merge owed.
    assert_eq!(v["segments"], serde_json::json!([paragraphs]));
    assert_eq!(v["merge_pending"], false);
    assert!(v["forms"].as_u64().unwrap() >= v["stems"].as_u64().unwrap());
    // Every ISO date that a seed's first lines state lies in the range.
    let first = v["first_date"].as_str().unwrap();
    let last = v["last_date"].as_str().unwrap();
    assert!(first <= last);

    let (code, out, _) = run(&env, &["stats"]);
    assert_eq!(code, 0);
    assert!(
        out.contains(&format!("articles   {}", seeds.len())),
        "{out}"
    );
    assert!(out.contains("agencies   ") && out.contains("dpa "), "{out}");
    assert!(
        out.contains(&format!("segments   1 ({paragraphs} paragraphs)")),
        "{out}"
    );
}

#[test]
fn completions_man_page_and_help_examples() {
    let env = TestEnv::empty();
    for shell in ["bash", "zsh", "fish"] {
        let (code, out, _) = run(&env, &["completions", shell]);
        assert_eq!(code, 0);
        assert!(
            out.contains("fundstelle") && out.contains("export"),
            "{shell}"
        );
    }
    let (code, man, _) = run(&env, &["man"]);
    assert_eq!(code, 0);
    assert!(man.contains(".TH fundstelle"), "{man}");
    for sub in [
        "index", "search", "export", "count", "kwic", "terms", "stats",
    ] {
        let (code, help, _) = run(&env, &[sub, "--help"]);
        assert_eq!(code, 0);
        assert!(help.contains("Examples:"), "{sub} --help");
    }
}

#[test]
fn quiet_and_verbose_and_no_progress_bar_off_a_terminal() {
    let env = TestEnv::with_seeds();
    let (code, out, err) = run(&env, &["--verbose", "index", "seeds"]);
    assert_eq!(code, 0);
    assert!(out.starts_with("indexed "));
    let files = seed_files().len();
    assert!(
        err.contains(&format!("committed ({files} of {files} files)")),
        "{err}"
    );
    assert!(
        !err.contains('\r') && !err.contains("ETA"),
        "no progress bar: {err}"
    );

    let (_, _, err) = run(&env, &["search", "--format", "csv", "Ukraine"]);
    assert!(err.contains("paragraphs in"), "{err}");
    let (_, _, err) = run(&env, &["-q", "search", "--format", "csv", "Ukraine"]);
    assert_eq!(err, "");
    let (_, out, _) = run(&env, &["--quiet", "index", "seeds"]);
    assert_eq!(out, "");
    let (code, _, err) = run(&env, &["-q", "count", "--by", "nope", "x"]);
    assert_eq!(code, 2, "errors are printed even when quiet");
    assert!(err.contains("nope"));
}

/// A kind the query only excludes leaves the default scope as it is; a kind
/// it asks for joins the scope.
#[test]
fn kinds_a_query_excludes_leave_the_scope_and_kinds_it_names_join_it() {
    let env = TestEnv::indexed_seeds();
    let lines =
        |hits: &[Value]| -> BTreeSet<(String, u64)> { hits.iter().map(common::doc_line).collect() };
    let of_kind = |hits: &[Value], kind: &str| -> Vec<Value> {
        hits.iter().filter(|h| h["kind"] == kind).cloned().collect()
    };
    let in_scope = env.hits_in_scope(&["Ukraine"]);
    let everything = env.hits(&["Ukraine"]);
    let comments = of_kind(&everything, "comment");
    assert!(
        !comments.is_empty(),
        "the seeds have comments naming Ukraine"
    );
    assert!(!of_kind(&in_scope, "title").is_empty());

    let without_titles: Vec<Value> = in_scope
        .iter()
        .filter(|h| h["kind"] != "title")
        .cloned()
        .collect();
    assert_eq!(
        lines(&env.hits_in_scope(&["Ukraine -kind:title"])),
        lines(&without_titles)
    );
    assert_eq!(
        lines(&env.hits_in_scope(&["Ukraine kind:comment"])),
        lines(&comments)
    );
    // A kind already in scope, under OR: the scope stays the default one.
    let either = env.hits_in_scope(&["kind:heading OR Ukraine"]);
    assert!(
        either
            .iter()
            .all(|h| h["kind"] != "comment" && h["kind"] != "boilerplate"),
        "{either:?}"
    );
    assert!(lines(&in_scope).is_subset(&lines(&either)));
}

/// `--all` and `-n` contradict each other: an error, not one of them
/// silently.
#[test]
fn all_and_a_limit_are_not_given_together() {
    let env = TestEnv::indexed_seeds();
    let (code, out, err) = run(&env, &["search", "--all", "-n", "3", "Ukraine"]);
    assert_eq!(code, 2, "{out}");
    assert!(
        err.contains("--all shows every hit and -n 3 the best 3"),
        "{err}"
    );
    assert!(out.is_empty());
    // `-n 0` means every hit too: no contradiction.
    let (code, _, err) = run(&env, &["search", "--all", "-n", "0", "Ukraine"]);
    assert_eq!(code, 0, "{err}");
}

#[test]
fn equal_scores_come_in_reading_order_whatever_the_segments() {
    // Twelve articles with the same two paragraphs, written by two runs
    // into two segments that interleave in article id order (a, c, e, …
    // then b, d, f, …), so that the order they are stored in is not the
    // reading order.
    let env = TestEnv::empty();
    let names: Vec<String> = ('a'..='l').map(|c| format!("{c}{c}")).collect();
    let same = "Die Koalition tagt heute wieder.";
    // Other articles first, so that the second run adds too little to merge
    // the segments.
    for i in 0..20 {
        env.write(
            &format!("docs/filler{i:02}.txt"),
            format!("Bericht {i}\n\nDas Wetter am Morgen, Teil {i}.\n\nRegen am Abend.\n"),
        );
    }
    for run in 0..2 {
        for name in names.iter().skip(run).step_by(2) {
            env.write(
                &format!("docs/{name}.txt"),
                format!("Artikel {name}\n\n{same}\n\nEin anderer Absatz, {name}.\n\n{same}\n"),
            );
        }
        env.index_keeping_segments(&["docs"]);
    }
    assert!(
        common::segments(&env) >= 2,
        "the test needs several segments"
    );

    let key = |h: &Value| {
        (
            h["doc"].as_str().unwrap().to_string(),
            h["para"].as_u64().unwrap(),
        )
    };
    let every = env.hits(&["Koalition"]);
    assert_eq!(
        every.len(),
        2 * names.len(),
        "both paragraphs of each article"
    );
    assert!(
        every.iter().all(|h| score(h) == score(&every[0])),
        "the test needs equal scores"
    );
    let mut reading: Vec<(String, u64)> = every.iter().map(key).collect();
    reading.sort();
    for n in [1, 3, 7, 24] {
        let top = env.jsonl(&[
            "search",
            "-n",
            &n.to_string(),
            "--include",
            "all",
            "--format",
            "jsonl",
            "Koalition",
        ]);
        let got: Vec<(String, u64)> = top.iter().map(key).collect();
        assert_eq!(got, reading[..n], "search -n {n}");
    }
    let sorted = env.hits(&["--sort", "score", "Koalition"]);
    let got: Vec<(String, u64)> = sorted.iter().map(key).collect();
    assert_eq!(got, reading, "search --all --sort score");
}
