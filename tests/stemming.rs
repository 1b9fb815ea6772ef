//! The German analyzer against the Snowball project's reference list: every
//! word of `voc.txt` must stem to the same line of `output.txt`.

use std::path::Path;

use fundstelle::analysis;
use tantivy::tokenizer::TokenStream;

fn read(name: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/snowball-german")
        .join(name);
    std::fs::read_to_string(path).unwrap()
}

#[test]
fn snowball_german_reference_vocabulary_stems_exactly() {
    let voc = read("voc.txt");
    let expected = read("output.txt");
    let words: Vec<&str> = voc.lines().collect();
    let stems: Vec<&str> = expected.lines().collect();
    assert_eq!(
        words.len(),
        stems.len(),
        "voc.txt and output.txt differ in length"
    );
    assert!(words.len() > 30_000, "the reference list looks truncated");

    // The words of the reference list that Snowball stems like a function
    // word ("sicherheit" like "sich"), which fundstelle keeps apart (see
    // `analysis::stemmer`): read off the reference list, where their stems
    // are those of "sich", "nach", "will", "andere" and "weg".
    let separated = [
        "sicher",
        "sichere",
        "sicheren",
        "sicherer",
        "sicheres",
        "sicherheit",
        "sicherlich",
        "sichern",
        "nächst",
        "nächste",
        "nächsten",
        "nächster",
        "wille",
        "willem",
        "willen",
        "willens",
        "ändern",
        "wegen",
    ];
    // The stemming step on its own (the chain adds normalisation steps of
    // its own before it, tested separately).
    let mut mismatches = Vec::new();
    let mut kept_apart = Vec::new();
    for (word, stem) in words.iter().zip(&stems) {
        let got = analysis::stem(word);
        if separated.contains(word) {
            kept_apart.push(*word);
            assert_ne!(got, *stem, "{word} must not stem like a function word");
        } else if got != *stem {
            mismatches.push(format!("{word}: expected {stem}, got {got}"));
        }
    }
    kept_apart.sort_unstable();
    let mut expected_apart = separated.to_vec();
    expected_apart.sort_unstable();
    assert_eq!(
        kept_apart, expected_apart,
        "all of them are in the reference list"
    );
    assert!(
        mismatches.is_empty(),
        "{} of {} words stem differently, e.g.:\n{}",
        mismatches.len(),
        words.len(),
        mismatches[..mismatches.len().min(20)].join("\n")
    );
}

#[test]
fn the_whole_chain_is_the_stemmer_after_normalisation() {
    // The index, the query parser and the highlighter must all agree:
    // tantivy's analyzer, `analyze` and `stem_word` on every reference word.
    let voc = read("voc.txt");
    let mut analyzer = analysis::german_analyzer();
    for word in voc.lines() {
        let expected = analysis::stem(&analysis::normalize::normalize(word)).into_owned();
        let mut stream = analyzer.token_stream(word);
        let mut tokens = Vec::new();
        while stream.advance() {
            tokens.push(stream.token().text.clone());
        }
        assert_eq!(tokens, std::slice::from_ref(&expected), "{word}");
        assert_eq!(analysis::stem_word(word), expected, "{word}");
        let words = analysis::analyze(word);
        assert_eq!(words.len(), 1, "{word}");
        assert_eq!(words[0].stem, expected, "{word}");
    }
}
