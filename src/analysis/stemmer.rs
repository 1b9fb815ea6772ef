//! Snowball German stemming through `rust-stemmers`, with a short list of
//! words kept apart from the function words Snowball gives their stem.
//!
//! Snowball cuts some content words down to the stem of a very frequent
//! function word: "Sicherheit", "sicher", "sichern" → `sich` (the pronoun),
//! "nächste" → `nach`, "Willen" → `will`, "ändern" → `and` ("andere").
//! A search for `Sicherheit` would then find every paragraph with "sich".
//! [`SEPARATED`] gives those words a stem of their own; every other word
//! keeps Snowball's stem (a test checks the whole reference vocabulary).

use std::borrow::Cow;
use std::sync::OnceLock;

use rust_stemmers::{Algorithm, Stemmer};

use super::map::MapText;

fn german() -> &'static Stemmer {
    static STEMMER: OnceLock<Stemmer> = OnceLock::new();
    STEMMER.get_or_init(|| Stemmer::create(Algorithm::German))
}

/// Words Snowball stems like a function word, and the stem they get
/// instead: `(Snowball's stem, words starting with, stem)`. The words are
/// lowercased, before umlauts are folded (so "ändern" is told from
/// "andern", a form of "ander").
pub const SEPARATED: &[(&str, &str, &str)] = &[
    // sicher, sichere, Sicherheit, sicherlich, sichern: not "sich".
    ("sich", "sicher", "sicher"),
    // nächst, nächste, nächsten: not "nach".
    ("nach", "nächst", "nachst"),
    // Wille, Willen, Willens: not "will" (wollen).
    ("will", "wille", "wille"),
    // ändern: not "and" (andere, anders); with "Änderung" (`ander`).
    ("and", "änder", "ander"),
    // The preposition "wegen": not "Weg", "Wege".
    ("weg", "wegen", "wegen"),
];

/// Stems one lowercased word with Snowball German, keeping the words of
/// [`SEPARATED`] apart.
pub fn stem(word: &str) -> Cow<'_, str> {
    let stemmed = german().stem(word);
    for &(snowball, start, instead) in SEPARATED {
        if stemmed == snowball && word.starts_with(start) {
            return Cow::Borrowed(instead);
        }
    }
    stemmed
}

/// Token filter replacing each token's text by its Snowball German stem.
pub const GERMAN_STEMMER: MapText = MapText::new(|word, out| out.push_str(&stem(word)));

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stems_plural_and_umlaut_forms_together() {
        assert_eq!(stem("länder"), stem("land"));
        assert_eq!(stem("garantien"), stem("garantie"));
        assert_ne!(stem("land"), stem("russland"));
    }

    #[test]
    fn content_words_are_kept_apart_from_function_words() {
        for (content, function) in [
            ("sicherheit", "sich"),
            ("sicher", "sich"),
            ("sichern", "sich"),
            ("nächste", "nach"),
            ("willen", "will"),
            ("ändern", "andere"),
            ("wegen", "weg"),
        ] {
            assert_ne!(stem(content), stem(function), "{content} / {function}");
        }
        // Their own forms still meet.
        assert_eq!(stem("sicherheit"), stem("sichere"));
        assert_eq!(stem("nächsten"), stem("nächste"));
        assert_eq!(stem("wille"), stem("willens"));
        assert_eq!(stem("ändern"), stem("änderung"));
        assert_eq!(stem("wege"), stem("weg"));
        // The function words keep Snowball's stems.
        assert_eq!(stem("sich"), "sich");
        assert_eq!(stem("nach"), "nach");
        assert_eq!(stem("willst"), "will");
        assert_eq!(stem("anderen"), "and");
    }
}
