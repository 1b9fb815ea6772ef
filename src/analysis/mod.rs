//! German text analysis: the one place that decides what a "word" is and
//! which forms of it are the same.
//!
//! The chain is deliberately small and every step is a plain function that
//! can be tested on its own:
//!
//! 1. [`WordTokenizer`] cuts text into runs of letters and digits. Umlauts and
//!    `ß` are letters, so they stay inside words; hyphens, apostrophes and
//!    gender stars are separators, so "Ukraine-Krieg" yields `Ukraine` and
//!    `Krieg`. Every token keeps its byte offsets into the original text; the
//!    highlighter relies on that.
//! 2. [`lowercase`] folds case.
//! 3. [`normalize`] folds umlaut digraphs (`Laender` → `länder`) and strips
//!    feminine person endings (`Ministerinnen` → `minister`).
//! 4. [`stem`] applies the Snowball German stemmer from `rust-stemmers`, the
//!    only stemmer in the project (tantivy 0.27's own `Stemmer` filter uses a
//!    different Snowball implementation with different German stems). It
//!    also turns `ß` into `ss` and removes umlauts.
//!
//! [`stem_word`] runs steps 2-4 on one word. The analyzers run steps 3-4
//! as one filter, [`german_form`], which remembers the forms it computed
//! (per thread): the same strings, without stemming a frequent word again. [`compound`] finds indexed
//! compounds that contain a word, at query time.
//!
//! No step drops long tokens: German compounds longer than 40 bytes are real
//! words and must be found.
//!
//! Three analyzers are registered with tantivy under fixed names and used
//! for indexing and for query parsing alike: [`GERMAN`] (all steps, for
//! unquoted words), [`EXACT`] (steps 1-2, for quoted text) and [`REVERSED`]
//! (the German stems written backwards, so that compounds ending in a word
//! can be found by a prefix scan). The highlighter calls [`analyze`], which
//! runs the very same steps.

pub mod compound;
mod map;
pub mod normalize;
mod stemmer;
mod tokenizer;

pub use map::MapText;
pub use normalize::GERMAN_NORMALIZER;
pub use stemmer::{GERMAN_STEMMER, stem};
pub use tokenizer::{WordTokenizer, is_word_char};

use tantivy::tokenizer::{LowerCaser, TextAnalyzer, TokenizerManager};

/// Name of the stemming analyzer (unquoted words).
pub const GERMAN: &str = "fundstelle_german";
/// Name of the exact analyzer (quoted text): lowercased surface forms.
pub const EXACT: &str = "fundstelle_exact";
/// Name of the analyzer writing German stems backwards.
pub const REVERSED: &str = "fundstelle_reversed";

/// The analyzer for unquoted words: words, lowercase, German normalisation,
/// Snowball German stem.
pub fn german_analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(WordTokenizer)
        .filter(LowerCaser)
        .filter(GERMAN_FORM)
        .build()
}

/// The German stems, each written backwards.
pub fn reversed_analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(WordTokenizer)
        .filter(LowerCaser)
        .filter(GERMAN_FORM)
        .filter(REVERSE)
        .build()
}

/// Forms remembered per thread before the memory starts over (a few MB:
/// German news vocabularies are larger, but the frequent words come back at
/// once).
const REMEMBERED: usize = 100_000;
/// Longer words are not remembered, so that the memory stays bounded
/// whatever a file holds (a 20 MB "word" of base64).
const LONGEST_REMEMBERED: usize = 64;

thread_local! {
    /// [`german_form`]'s memory: lowercased word → form.
    static FORMS: std::cell::RefCell<rustc_hash::FxHashMap<Box<str>, Box<str>>> =
        std::cell::RefCell::new(rustc_hash::FxHashMap::default());
}

/// Steps 3 and 4 on a lowercased word: [`normalize`] then [`stem`],
/// remembered per thread. A text repeats its words (a tenth of the
/// distinct words make most of its tokens), and stemming was 8% of all
/// indexing time (BENCHMARKS.md); the remembered forms are the same
/// strings the two steps return.
pub fn german_form(lowercased: &str) -> String {
    let mut form = String::new();
    german_form_into(lowercased, &mut form);
    form
}

/// [`german_form`], appended to `out`: the token filter's step, which
/// copies a remembered form without allocating.
pub fn german_form_into(lowercased: &str, out: &mut String) {
    let compute = || stem(&normalize::normalize(lowercased)).into_owned();
    if lowercased.len() > LONGEST_REMEMBERED {
        out.push_str(&compute());
        return;
    }
    FORMS.with_borrow_mut(|forms| {
        if let Some(form) = forms.get(lowercased) {
            out.push_str(form);
            return;
        }
        let form = compute();
        out.push_str(&form);
        if forms.len() >= REMEMBERED {
            forms.clear();
        }
        forms.insert(lowercased.into(), form.into_boxed_str());
    })
}

/// Token filter applying [`german_form`].
pub const GERMAN_FORM: MapText = MapText::new(german_form_into);

/// Writes a string backwards (by characters).
pub fn reverse(s: &str) -> String {
    s.chars().rev().collect()
}

/// Token filter writing each token backwards.
pub const REVERSE: MapText = MapText::new(|word, out| out.extend(word.chars().rev()));

/// Lowercase, normalise and stem one word: the form unquoted words are
/// indexed and searched by.
pub fn stem_word(word: &str) -> String {
    stem(&normalize::normalize(&lowercase(word))).into_owned()
}

/// `ä`, `ö`, `ü` → `a`, `o`, `u` and `ß` → `ss`, as the stemmer does.
pub fn fold_umlauts(word: &str) -> String {
    let mut out = String::with_capacity(word.len());
    for c in word.chars() {
        match c {
            'ä' => out.push('a'),
            'ö' => out.push('o'),
            'ü' => out.push('u'),
            'ß' => out.push_str("ss"),
            c => out.push(c),
        }
    }
    out
}

/// The analyzer for quoted text: words, lowercase, nothing else.
pub fn exact_analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(WordTokenizer)
        .filter(LowerCaser)
        .build()
}

/// Registers both analyzers under [`GERMAN`] and [`EXACT`].
pub fn register(manager: &TokenizerManager) {
    manager.register(GERMAN, german_analyzer());
    manager.register(EXACT, exact_analyzer());
    manager.register(REVERSED, reversed_analyzer());
}

/// Lowercases a word the way tantivy's `LowerCaser` does (char by char,
/// without the final-sigma rule), so that query-side and highlight-side
/// folding agree with the index.
pub fn lowercase(word: &str) -> String {
    if word.is_ascii() {
        word.to_ascii_lowercase()
    } else {
        word.chars().flat_map(char::to_lowercase).collect()
    }
}

/// One word of a text, with everything the search needs to know about it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AnalyzedWord {
    /// 0-based word position (the position tantivy indexes).
    pub position: usize,
    /// Byte range of the word in the analysed text.
    pub from: usize,
    pub to: usize,
    /// Lowercased surface form (what quoted queries match).
    pub exact: String,
    /// Stemmed form (what unquoted queries match).
    pub stem: String,
}

/// Runs the analysis chain over `text` and returns every word with its
/// offsets, surface form and stem.
pub fn analyze(text: &str) -> Vec<AnalyzedWord> {
    tokenizer::word_spans(text)
        .enumerate()
        .map(|(position, (from, to))| {
            let exact = lowercase(&text[from..to]);
            // Remembered: snippets of many hits analyse the same words.
            let stem = german_form(&exact);
            AnalyzedWord {
                position,
                from,
                to,
                exact,
                stem,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use tantivy::tokenizer::TokenStream;

    /// The remembered forms are exactly what normalising and stemming give,
    /// the first time and every time after, also once the memory has
    /// started over.
    #[test]
    fn remembered_forms_are_the_computed_ones() {
        let seeds = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("seeds");
        let mut words: Vec<String> = Vec::new();
        for entry in std::fs::read_dir(seeds).unwrap() {
            let text = std::fs::read_to_string(entry.unwrap().path()).unwrap();
            words.extend(tokenizer::word_spans(&text).map(|(a, b)| lowercase(&text[a..b])));
        }
        assert!(words.len() > 3000, "{}", words.len());
        let computed = |w: &str| stem(&normalize::normalize(w)).into_owned();
        for _ in 0..2 {
            for word in &words {
                assert_eq!(german_form(word), computed(word), "{word}");
            }
        }
        // More distinct words than are remembered, then the seeds again.
        let remembered = || FORMS.with_borrow(|forms| forms.len());
        for n in 0..REMEMBERED + 50 {
            let word = format!("wort{n}ungen");
            assert_eq!(german_form(&word), computed(&word));
            assert!(remembered() <= REMEMBERED);
        }
        for word in &words {
            assert_eq!(german_form(word), computed(word), "{word}");
        }
        // A long word is computed each time, not remembered.
        let long =
            "donaudampfschifffahrtsgesellschaftskapitänswitwenrentenversicherungen".repeat(3);
        let before = remembered();
        for _ in 0..2 {
            assert_eq!(german_form(&long), computed(&long));
            assert_eq!(remembered(), before);
        }
    }

    fn tantivy_tokens(
        mut analyzer: TextAnalyzer,
        text: &str,
    ) -> Vec<(usize, usize, usize, String)> {
        let mut stream = analyzer.token_stream(text);
        let mut out = Vec::new();
        while stream.advance() {
            let t = stream.token();
            out.push((t.position, t.offset_from, t.offset_to, t.text.clone()));
        }
        out
    }

    #[test]
    fn analyze_agrees_with_the_registered_analyzers() {
        let text =
            "Die Sicherheitsgarantien für die Ukraine-Krieg-Parteien, Länder & Großbritannien.";
        let words = analyze(text);
        let german = tantivy_tokens(german_analyzer(), text);
        let exact = tantivy_tokens(exact_analyzer(), text);
        assert_eq!(words.len(), german.len());
        assert_eq!(words.len(), exact.len());
        for ((w, g), e) in words.iter().zip(&german).zip(&exact) {
            assert_eq!((w.position, w.from, w.to), (g.0, g.1, g.2));
            assert_eq!(w.stem, g.3);
            assert_eq!(w.exact, e.3);
        }
    }

    #[test]
    fn inflected_forms_share_a_stem() {
        let stems: Vec<String> = ["Land", "Landes", "Länder", "Ländern"]
            .iter()
            .map(|w| stem(&lowercase(w)).into_owned())
            .collect();
        assert!(stems.iter().all(|s| s == &stems[0]), "{stems:?}");
        assert_eq!(
            stem("sicherheitsgarantie"),
            stem("sicherheitsgarantien"),
            "singular and plural must meet"
        );
    }

    #[test]
    fn umlaut_spellings_and_feminine_forms_meet() {
        assert_eq!(stem_word("Laender"), stem_word("Länder"));
        assert_eq!(stem_word("Grossbritannien"), stem_word("Großbritannien"));
        assert_eq!(stem_word("Praesident"), stem_word("Präsident"));
        assert_eq!(stem_word("Ministerinnen"), stem_word("Minister"));
        assert_eq!(stem_word("Politikerin"), stem_word("Politiker"));
        assert_eq!(stem_word("Vertreter*innen"), stem_word("Vertreter"));
        assert_ne!(stem_word("Putin"), stem_word("Put"));
    }

    #[test]
    fn reversed_analyzer_writes_stems_backwards() {
        let tokens = tantivy_tokens(reversed_analyzer(), "Sicherheitsgarantien");
        assert_eq!(tokens[0].3, reverse(&stem_word("Sicherheitsgarantien")));
    }

    #[test]
    fn long_compounds_are_kept_whole() {
        let word = "Rindfleischetikettierungsüberwachungsaufgabenübertragungsgesetz";
        assert!(word.len() > 40);
        let tokens = tantivy_tokens(german_analyzer(), word);
        assert_eq!(tokens.len(), 1);
        assert_eq!(tokens[0].1, 0);
        assert_eq!(tokens[0].2, word.len());
    }
}
