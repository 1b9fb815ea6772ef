//! Snowball German stemming through `rust-stemmers`, as a tantivy filter.

use std::borrow::Cow;
use std::mem;
use std::sync::OnceLock;

use rust_stemmers::{Algorithm, Stemmer};
use tantivy::tokenizer::{Token, TokenFilter, TokenStream, Tokenizer};

fn german() -> &'static Stemmer {
    static STEMMER: OnceLock<Stemmer> = OnceLock::new();
    STEMMER.get_or_init(|| Stemmer::create(Algorithm::German))
}

/// Stems one lowercased word with Snowball German.
pub fn stem(word: &str) -> Cow<'_, str> {
    german().stem(word)
}

/// Token filter replacing each token's text by its Snowball German stem.
#[derive(Clone, Copy, Debug, Default)]
pub struct GermanStemmer;

impl TokenFilter for GermanStemmer {
    type Tokenizer<T: Tokenizer> = GermanStemmerFilter<T>;

    fn transform<T: Tokenizer>(self, tokenizer: T) -> GermanStemmerFilter<T> {
        GermanStemmerFilter { inner: tokenizer }
    }
}

#[derive(Clone)]
pub struct GermanStemmerFilter<T> {
    inner: T,
}

impl<T: Tokenizer> Tokenizer for GermanStemmerFilter<T> {
    type TokenStream<'a> = GermanStemmerStream<T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        GermanStemmerStream {
            tail: self.inner.token_stream(text),
            buffer: String::new(),
        }
    }
}

pub struct GermanStemmerStream<T> {
    tail: T,
    buffer: String,
}

impl<T: TokenStream> TokenStream for GermanStemmerStream<T> {
    fn advance(&mut self) -> bool {
        if !self.tail.advance() {
            return false;
        }
        let token = self.tail.token_mut();
        if let Cow::Owned(stemmed) = stem(&token.text) {
            self.buffer = stemmed;
            mem::swap(&mut token.text, &mut self.buffer);
        }
        true
    }

    fn token(&self) -> &Token {
        self.tail.token()
    }

    fn token_mut(&mut self) -> &mut Token {
        self.tail.token_mut()
    }
}

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
