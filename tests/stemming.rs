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

    let mut analyzer = analysis::german_analyzer();
    let mut mismatches = Vec::new();
    for (word, stem) in words.iter().zip(&stems) {
        let mut stream = analyzer.token_stream(word);
        let mut tokens = Vec::new();
        while stream.advance() {
            tokens.push(stream.token().text.clone());
        }
        if tokens != [stem.to_string()] {
            mismatches.push(format!("{word}: expected {stem}, got {tokens:?}"));
        }
    }
    assert!(
        mismatches.is_empty(),
        "{} of {} words stem differently, e.g.:\n{}",
        mismatches.len(),
        words.len(),
        mismatches[..mismatches.len().min(20)].join("\n")
    );
}

#[test]
fn analyze_and_the_tantivy_analyzer_agree_on_the_reference_list() {
    // The highlighter uses `analysis::analyze`; it must stem like the index.
    let voc = read("voc.txt");
    let expected = read("output.txt");
    for (word, stem) in voc.lines().zip(expected.lines()).step_by(97) {
        let words = analysis::analyze(word);
        assert_eq!(words.len(), 1, "{word}");
        assert_eq!(words[0].stem, stem, "{word}");
    }
}
