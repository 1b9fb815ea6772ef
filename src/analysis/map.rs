//! One tantivy token filter for every analysis step that rewrites a token's
//! text with a plain function (normalise, stem, reverse): the steps stay
//! plain functions, tested on their own, and share this adapter.
//!
//! A step writes its result into a buffer the stream keeps, which then
//! trades places with the token's text: no string allocated per token and
//! step (BENCHMARKS.md, seventh round).

use std::mem;

use tantivy::tokenizer::{Token, TokenFilter, TokenStream, Tokenizer};

/// A step: appends the rewritten form of a token's text to the (empty)
/// buffer.
pub type Step = fn(&str, &mut String);

/// Applies a [`Step`] to the text of every token.
#[derive(Clone, Copy)]
pub struct MapText {
    f: Step,
}

impl MapText {
    pub const fn new(f: Step) -> Self {
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
    f: Step,
}

impl<T: Tokenizer> Tokenizer for MapTextFilter<T> {
    type TokenStream<'a> = MapTextStream<T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        MapTextStream {
            tail: self.inner.token_stream(text),
            f: self.f,
            buffer: String::new(),
        }
    }
}

pub struct MapTextStream<T> {
    tail: T,
    f: Step,
    buffer: String,
}

impl<T: TokenStream> TokenStream for MapTextStream<T> {
    fn advance(&mut self) -> bool {
        if !self.tail.advance() {
            return false;
        }
        let token = self.tail.token_mut();
        self.buffer.clear();
        (self.f)(&token.text, &mut self.buffer);
        mem::swap(&mut token.text, &mut self.buffer);
        true
    }

    fn token(&self) -> &Token {
        self.tail.token()
    }

    fn token_mut(&mut self) -> &mut Token {
        self.tail.token_mut()
    }
}
