//! One tantivy token filter for every analysis step that rewrites a token's
//! text with a plain function (normalise, stem, reverse): the steps stay
//! plain functions, tested on their own, and share this adapter.

use std::mem;

use tantivy::tokenizer::{Token, TokenFilter, TokenStream, Tokenizer};

/// Applies `f` to the text of every token.
#[derive(Clone, Copy)]
pub struct MapText {
    f: fn(&str) -> String,
}

impl MapText {
    pub const fn new(f: fn(&str) -> String) -> Self {
        MapText { f }
    }
}

impl TokenFilter for MapText {
    type Tokenizer<T: Tokenizer> = MapTextFilter<T>;

    fn transform<T: Tokenizer>(self, tokenizer: T) -> MapTextFilter<T> {
        MapTextFilter {
            inner: tokenizer,
            f: self.f,
        }
    }
}

#[derive(Clone)]
pub struct MapTextFilter<T> {
    inner: T,
    f: fn(&str) -> String,
}

impl<T: Tokenizer> Tokenizer for MapTextFilter<T> {
    type TokenStream<'a> = MapTextStream<T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        MapTextStream {
            tail: self.inner.token_stream(text),
            f: self.f,
        }
    }
}

pub struct MapTextStream<T> {
    tail: T,
    f: fn(&str) -> String,
}

impl<T: TokenStream> TokenStream for MapTextStream<T> {
    fn advance(&mut self) -> bool {
        if !self.tail.advance() {
            return false;
        }
        let token = self.tail.token_mut();
        let mut mapped = (self.f)(&token.text);
        mem::swap(&mut token.text, &mut mapped);
        true
    }

    fn token(&self) -> &Token {
        self.tail.token()
    }

    fn token_mut(&mut self) -> &mut Token {
        self.tail.token_mut()
    }
}
