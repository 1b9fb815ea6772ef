//! Snowball German stemming through `rust-stemmers`.

use std::borrow::Cow;
use std::sync::OnceLock;

use rust_stemmers::{Algorithm, Stemmer};

use super::map::MapText;

fn german() -> &'static Stemmer {
    static STEMMER: OnceLock<Stemmer> = OnceLock::new();
    STEMMER.get_or_init(|| Stemmer::create(Algorithm::German))
}

/// Stems one lowercased word with Snowball German.
pub fn stem(word: &str) -> Cow<'_, str> {
    german().stem(word)
}

/// [`stem`] as an owned string, for the token filter.
pub fn stem_owned(word: &str) -> String {
    stem(word).into_owned()
}

/// Token filter replacing each token's text by its Snowball German stem.
pub const GERMAN_STEMMER: MapText = MapText::new(stem_owned);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stems_plural_and_umlaut_forms_together() {
        assert_eq!(stem("länder"), stem("land"));
        assert_eq!(stem("garantien"), stem("garantie"));
        assert_ne!(stem("land"), stem("russland"));
    }
}
