//! Word tokenizer: maximal runs of letters, digits and combining marks.

use tantivy::tokenizer::{Token, TokenStream, Tokenizer};

/// True for characters that belong inside a word.
///
/// Letters (including umlauts and `ß`) and digits do; so do combining marks,
/// so text that escaped NFC normalisation still keeps "a + U+0308" in one
/// word. Everything else (spaces, punctuation, hyphens, apostrophes, `*`)
/// separates words.
pub fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || is_combining_mark(c)
}

fn is_combining_mark(c: char) -> bool {
    matches!(c,
        '\u{0300}'..='\u{036F}'
        | '\u{1AB0}'..='\u{1AFF}'
        | '\u{1DC0}'..='\u{1DFF}'
        | '\u{20D0}'..='\u{20FF}'
        | '\u{FE20}'..='\u{FE2F}')
}

/// Byte ranges of the words of `text`, in order.
///
/// A gender star, colon or underscore before `in`/`innen` stays inside the
/// word ("Vertreter*innen"), so the word can be normalised as one.
pub fn word_spans(text: &str) -> impl Iterator<Item = (usize, usize)> + '_ {
    let mut at = 0;
    std::iter::from_fn(move || {
        let span = next_word(text, at)?;
        at = span.1;
        Some(span)
    })
}

/// The first word of `text` at or after byte `at` (a char boundary).
///
/// ASCII bytes are classified without decoding (most of a German text);
/// other characters are decoded one by one. This is the tokenizer's inner
/// loop, run on every paragraph at index time.
fn next_word(text: &str, at: usize) -> Option<(usize, usize)> {
    let start = skip(text, at, false);
    if start == text.len() {
        return None;
    }
    let mut end = skip(text, start, true);
    if let Some(suffix) = gender_suffix(&text[end..]) {
        end += suffix;
    }
    Some((start, end))
}

/// The first byte at or after `at` that starts a character whose
/// [`is_word_char`] is not `word` (or the end of `text`).
fn skip(text: &str, mut at: usize, word: bool) -> usize {
    let bytes = text.as_bytes();
    while let Some(&b) = bytes.get(at) {
        if b.is_ascii() {
            if b.is_ascii_alphanumeric() != word {
                return at;
            }
            at += 1;
        } else {
            let Some(c) = text.get(at..).and_then(|rest| rest.chars().next()) else {
                return text.len();
            };
            if is_word_char(c) != word {
                return at;
            }
            at += c.len_utf8();
        }
    }
    at
}

/// Length of a gender ending ("*innen", ":in", "_innen") at the start of
/// `rest`, if there is one and a word boundary follows it.
fn gender_suffix(rest: &str) -> Option<usize> {
    let mark = rest
        .chars()
        .next()
        .filter(|c| matches!(c, '*' | ':' | '_'))?;
    let after = &rest[mark.len_utf8()..];
    ["innen", "in"].iter().find_map(|ending| {
        let tail = after.strip_prefix(ending)?;
        (!tail.starts_with(is_word_char)).then(|| mark.len_utf8() + ending.len())
    })
}

/// tantivy tokenizer over [`word_spans`].
#[derive(Clone, Debug, Default)]
pub struct WordTokenizer;

pub struct WordTokenStream<'a> {
    text: &'a str,
    /// Where the next word is looked for.
    at: usize,
    token: Token,
    next_position: usize,
}

impl Tokenizer for WordTokenizer {
    type TokenStream<'a> = WordTokenStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> WordTokenStream<'a> {
        WordTokenStream {
            text,
            at: 0,
            token: Token::default(),
            next_position: 0,
        }
    }
}

impl TokenStream for WordTokenStream<'_> {
    fn advance(&mut self) -> bool {
        let Some((from, to)) = next_word(self.text, self.at) else {
            return false;
        };
        self.at = to;
        self.token.text.clear();
        self.token.text.push_str(&self.text[from..to]);
        self.token.offset_from = from;
        self.token.offset_to = to;
        self.token.position = self.next_position;
        self.token.position_length = 1;
        self.next_position += 1;
        true
    }

    fn token(&self) -> &Token {
        &self.token
    }

    fn token_mut(&mut self) -> &mut Token {
        &mut self.token
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(text: &str) -> Vec<&str> {
        word_spans(text).map(|(a, b)| &text[a..b]).collect()
    }

    #[test]
    fn splits_on_punctuation_and_hyphens() {
        assert_eq!(
            words("Der Ukraine-Krieg: „Koalition der Willigen“ (dpa)."),
            [
                "Der",
                "Ukraine",
                "Krieg",
                "Koalition",
                "der",
                "Willigen",
                "dpa"
            ]
        );
    }

    #[test]
    fn keeps_umlauts_sharp_s_and_digits_inside_words() {
        assert_eq!(
            words("Großbritannien, Länder; F35 und 2025"),
            ["Großbritannien", "Länder", "F35", "und", "2025"]
        );
    }

    #[test]
    fn combining_marks_stay_in_the_word() {
        let decomposed = "La\u{0308}nder";
        assert_eq!(words(decomposed), [decomposed]);
    }

    #[test]
    fn offsets_slice_back_to_the_words() {
        let text = "  Vertreter*innen über d'BRICS  ";
        for (a, b) in word_spans(text) {
            assert!(text[a..b].chars().all(|c| is_word_char(c) || c == '*'));
        }
        assert_eq!(words(text), ["Vertreter*innen", "über", "d", "BRICS"]);
        assert_eq!(
            words("Kandidat:in und Wähler_innen"),
            ["Kandidat:in", "und", "Wähler_innen"]
        );
        assert_eq!(
            words("Uhrzeit 16:30 und a*b"),
            ["Uhrzeit", "16", "30", "und", "a", "b"]
        );
    }

    #[test]
    fn empty_and_punctuation_only_text_has_no_words() {
        assert!(words("").is_empty());
        assert!(words(" – … !? ").is_empty());
    }

    /// The definition the byte scanner implements: maximal runs of
    /// [`is_word_char`], then a gender ending.
    fn reference_spans(text: &str) -> Vec<(usize, usize)> {
        let mut spans = Vec::new();
        let mut at = 0;
        while let Some(found) = text[at..].find(is_word_char) {
            let start = at + found;
            let mut end = text[start..]
                .find(|c| !is_word_char(c))
                .map_or(text.len(), |n| start + n);
            if let Some(suffix) = gender_suffix(&text[end..]) {
                end += suffix;
            }
            spans.push((start, end));
            at = end;
        }
        spans
    }

    proptest::proptest! {
        #[test]
        fn the_byte_scanner_finds_the_words_of_the_definition(
            text in "([a-zA-Z0-9 .,;:*_'\\-]|[äöüßÄÖÜ]|\\PC|\u{0308}|innen|in){0,40}"
        ) {
            let spans: Vec<_> = word_spans(&text).collect();
            proptest::prop_assert_eq!(spans, reference_spans(&text));
        }
    }

    #[test]
    fn positions_count_up_from_zero() {
        let mut tokenizer = WordTokenizer;
        let mut stream = tokenizer.token_stream("eins zwei drei");
        let mut positions = Vec::new();
        while stream.advance() {
            positions.push(stream.token().position);
        }
        assert_eq!(positions, [0, 1, 2]);
    }
}
