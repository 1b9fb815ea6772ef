//! Highlights and snippets, computed on the words of the paragraph.
//!
//! tantivy's `SnippetGenerator` marks every occurrence of every query term,
//! so a phrase query lights up each lone "der". Here the paragraph is run
//! through the same analysis chain as the index, and a phrase is marked only
//! where its words stand together. Stemmed matches mark the inflected form
//! as written.

use std::ops::Range;

use super::query::Matcher;
use crate::analysis::{self, AnalyzedWord};

/// Byte ranges of `text` that match, sorted and non-overlapping.
pub fn highlights(text: &str, matchers: &[Matcher]) -> Vec<Range<usize>> {
    if matchers.is_empty() {
        return Vec::new();
    }
    let words = analysis::analyze(text);
    let mut ranges = Vec::new();
    for m in matchers {
        find(&words, m, &mut ranges, false);
    }
    merge(ranges)
}

/// Every single occurrence of a matcher in `text`, for concordances: a
/// phrase is one range from its first to its last word (also with slop),
/// overlapping occurrences stay apart, and the same range found by two
/// matchers counts once. Sorted by position.
pub fn occurrences(text: &str, matchers: &[Matcher]) -> Vec<Range<usize>> {
    let words = analysis::analyze(text);
    let mut ranges = Vec::new();
    for m in matchers {
        find(&words, m, &mut ranges, true);
    }
    ranges.sort_by_key(|r| (r.start, r.end));
    ranges.dedup();
    ranges
}

/// Pushes the matches of `m` to `out`: for a sloppy phrase its words one by
/// one, or with `spans` one range around them.
fn find(words: &[AnalyzedWord], m: &Matcher, out: &mut Vec<Range<usize>>, spans: bool) {
    let Some((first_offset, first)) = m.terms.first() else {
        return;
    };
    for (i, w) in words.iter().enumerate() {
        if !first.matches(w) {
            continue;
        }
        if m.slop == 0 {
            // Every term at exactly its relative position.
            let all = m.terms.iter().all(|(offset, term)| {
                words
                    .get(i + offset - first_offset)
                    .is_some_and(|x| term.matches(x))
            });
            if all {
                let (last_offset, _) = m.terms[m.terms.len() - 1];
                let last = &words[i + last_offset - first_offset];
                out.push(w.from..last.to);
            }
        } else {
            // tantivy's slop: each word may stand up to `slop` positions away
            // from where the phrase puts it, in either direction.
            let slop = m.slop as usize;
            let mut marked: Vec<Range<usize>> = Vec::with_capacity(m.terms.len());
            marked.push(w.from..w.to);
            let complete = m.terms.iter().skip(1).all(|(offset, term)| {
                let expected = i + offset - first_offset;
                let lo = expected.saturating_sub(slop);
                let hi = expected.saturating_add(slop).min(words.len() - 1);
                let before = marked.len();
                marked.extend(
                    words[lo.min(hi + 1)..=hi]
                        .iter()
                        .filter(|x| term.matches(x))
                        .map(|x| x.from..x.to),
                );
                marked.len() > before
            });
            if complete && spans {
                let from = marked.iter().map(|r| r.start).min().unwrap_or(w.from);
                let to = marked.iter().map(|r| r.end).max().unwrap_or(w.to);
                out.push(from..to);
            } else if complete {
                out.extend(marked);
            }
        }
    }
}

fn merge(mut ranges: Vec<Range<usize>>) -> Vec<Range<usize>> {
    ranges.sort_by_key(|r| (r.start, r.end));
    let mut out: Vec<Range<usize>> = Vec::with_capacity(ranges.len());
    for r in ranges {
        match out.last_mut() {
            Some(last) if r.start <= last.end => last.end = last.end.max(r.end),
            _ => out.push(r),
        }
    }
    out
}

/// A window of a paragraph with the matches in it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Snippet {
    /// The text shown, with "…" where the paragraph was cut.
    pub text: String,
    /// Byte ranges of matches within `text`.
    pub highlights: Vec<Range<usize>>,
}

/// About how many characters a snippet shows.
pub const SNIPPET_CHARS: usize = 200;
/// A paragraph this much longer than a snippet is still shown whole.
const SNIPPET_SLACK: usize = 40;
const ELLIPSIS: &str = "…";

impl Snippet {
    /// Chooses the window with the most matches, cut at word boundaries.
    pub fn new(text: &str, highlights: &[Range<usize>]) -> Snippet {
        if text.chars().count() <= SNIPPET_CHARS + SNIPPET_SLACK {
            return Snippet {
                text: text.to_string(),
                highlights: highlights.to_vec(),
            };
        }
        let (start, end) = window(text, highlights);
        let mut shown = String::new();
        if start > 0 {
            shown.push_str(ELLIPSIS);
        }
        let shift = shown.len();
        shown.push_str(&text[start..end]);
        if end < text.len() {
            shown.push_str(ELLIPSIS);
        }
        // A match that crosses the edge of the window is marked as far as
        // it is shown.
        let highlights = highlights
            .iter()
            .filter(|h| h.start < end && h.end > start)
            .map(|h| h.start.max(start) - start + shift..h.end.min(end) - start + shift)
            .collect();
        Snippet {
            text: shown,
            highlights,
        }
    }

    /// The snippet as HTML: text escaped, matches in `<mark>…</mark>`.
    pub fn to_html(&self) -> String {
        let mut out = String::with_capacity(self.text.len() + 16 * self.highlights.len());
        self.render(
            |s, out| {
                html_escape::encode_text_to_string(s, out);
            },
            ("<mark>", "</mark>"),
            &mut out,
        );
        out
    }

    /// Calls `plain` for unmarked text and wraps marked text in `marks`.
    pub fn render(
        &self,
        mut plain: impl FnMut(&str, &mut String),
        marks: (&str, &str),
        out: &mut String,
    ) {
        let mut at = 0;
        for h in &self.highlights {
            plain(&self.text[at..h.start], out);
            out.push_str(marks.0);
            plain(&self.text[h.start..h.end], out);
            out.push_str(marks.1);
            at = h.end;
        }
        plain(&self.text[at..], out);
    }
}

/// Byte index `n` characters after `from` (or the end).
pub(crate) fn chars_after(text: &str, from: usize, n: usize) -> usize {
    text[from..]
        .char_indices()
        .nth(n)
        .map_or(text.len(), |(i, _)| from + i)
}

/// Byte index `n` characters before `to` (or 0).
pub(crate) fn chars_before(text: &str, to: usize, n: usize) -> usize {
    if n == 0 {
        return to;
    }
    text[..to]
        .char_indices()
        .rev()
        .nth(n - 1)
        .map_or(0, |(i, _)| i)
}

/// The `[start, end)` window of about [`SNIPPET_CHARS`] around the densest
/// cluster of highlights, cut at word boundaries.
fn window(text: &str, highlights: &[Range<usize>]) -> (usize, usize) {
    // The cluster: the highlight from which the most others fit in a window.
    let best = (0..highlights.len()).max_by_key(|&i| {
        let limit = chars_after(text, highlights[i].start, SNIPPET_CHARS);
        let fit = highlights[i..]
            .iter()
            .take_while(|h| h.end <= limit)
            .count();
        // Prefer the earliest of equally dense clusters.
        (fit, std::cmp::Reverse(i))
    });
    let (mut start, mut end) = match best {
        None => (0, chars_after(text, 0, SNIPPET_CHARS)),
        Some(i) => {
            let limit = chars_after(text, highlights[i].start, SNIPPET_CHARS);
            let cluster_end = highlights[i..]
                .iter()
                .take_while(|h| h.end <= limit)
                .last()
                .map_or(highlights[i].end, |h| h.end);
            let cluster_chars = text[highlights[i].start..cluster_end].chars().count();
            let lead = SNIPPET_CHARS.saturating_sub(cluster_chars) / 3;
            let start = chars_before(text, highlights[i].start, lead);
            let end = chars_after(text, start, SNIPPET_CHARS)
                .max(cluster_end)
                .min(chars_after(text, start, SNIPPET_CHARS + SNIPPET_SLACK));
            (start, end)
        }
    };
    // Rather than cut a match that crosses the end, take it in if it is short.
    if let Some(h) = highlights
        .iter()
        .find(|h| h.start < end && h.end > end && h.end <= chars_after(text, end, SNIPPET_SLACK))
    {
        end = h.end;
    }
    if end == text.len() {
        start = chars_before(text, end, SNIPPET_CHARS).min(start);
    }
    // Cut at word boundaries: move the start forward to a word's beginning
    // and the end back to a word's end, never into a highlight.
    let first_mark = highlights
        .iter()
        .find(|h| h.start >= start)
        .map(|h| h.start);
    let mid_word_start = start > 0 && !text[..start].ends_with(char::is_whitespace);
    if let Some(space) = text[start..]
        .find(char::is_whitespace)
        .filter(|_| mid_word_start)
    {
        let candidate = start + space;
        if first_mark.is_none_or(|m| candidate < m) {
            start = candidate;
        }
    }
    let last_mark = highlights
        .iter()
        .rev()
        .find(|h| h.end <= end)
        .map(|h| h.end);
    let mid_word_end = end < text.len() && !text[end..].starts_with(char::is_whitespace);
    if let Some(space) = text[..end]
        .rfind(char::is_whitespace)
        .filter(|&space| mid_word_end && last_mark.is_none_or(|m| space >= m))
    {
        end = space;
    }
    while start < end && text[start..].starts_with(char::is_whitespace) {
        start += text[start..].chars().next().map_or(1, char::len_utf8);
    }
    while end > start && text[..end].ends_with(char::is_whitespace) {
        end -= text[..end].chars().next_back().map_or(1, char::len_utf8);
    }
    (start, end)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::Query;
    use crate::search::query::TermMatch;

    fn marked(text: &str, query: &str) -> Vec<String> {
        let q = Query::parse(query).unwrap();
        highlights(text, &q.matchers())
            .into_iter()
            .map(|r| text[r].to_string())
            .collect()
    }

    #[test]
    fn stemmed_words_mark_the_inflected_form() {
        assert_eq!(
            marked("Die Länder und das Land, des Landes wegen.", "Länder"),
            ["Länder", "Land", "Landes"]
        );
    }

    #[test]
    fn a_phrase_is_marked_only_where_it_stands_together() {
        let text = "Die Koalition der Willigen tagt; der Rest der Welt schaut auf die Koalition.";
        assert_eq!(
            marked(text, "\"Koalition der Willigen\""),
            ["Koalition der Willigen"]
        );
    }

    #[test]
    fn quoted_words_match_only_their_form() {
        let text = "Sicherheitsgarantie oder Sicherheitsgarantien?";
        assert_eq!(
            marked(text, "\"Sicherheitsgarantien\""),
            ["Sicherheitsgarantien"]
        );
        assert_eq!(
            marked(text, "Sicherheitsgarantie"),
            ["Sicherheitsgarantie", "Sicherheitsgarantien"]
        );
    }

    #[test]
    fn excluded_words_are_never_marked() {
        assert_eq!(
            marked("Truppen aus Russland", "Truppen -Russland"),
            ["Truppen"]
        );
    }

    #[test]
    fn sloppy_phrases_mark_their_words() {
        assert_eq!(
            marked(
                "Koalition der sogenannten Willigen",
                "\"Koalition Willigen\"~2"
            ),
            ["Koalition", "Willigen"]
        );
        assert!(
            marked(
                "Koalition der sogenannten Willigen",
                "\"Koalition Willigen\"~1"
            )
            .is_empty()
        );
    }

    #[test]
    fn occurrences_keep_each_match_and_phrases_whole() {
        let text = "Krieg und Krieg; die Koalition der sogenannten Willigen.";
        let q = Query::parse("Krieg OR \"Koalition Willigen\"~2").unwrap();
        let found: Vec<&str> = occurrences(text, &q.matchers())
            .into_iter()
            .map(|r| &text[r])
            .collect();
        assert_eq!(
            found,
            ["Krieg", "Krieg", "Koalition der sogenannten Willigen"]
        );
        // Two matchers finding the same word give one occurrence.
        let q = Query::parse("Krieg OR Kriege").unwrap();
        assert_eq!(occurrences("Der Krieg.", &q.matchers()).len(), 1);
    }

    #[test]
    fn huge_slop_is_bounded_by_the_paragraph() {
        let text = "Die Willigen und die Koalition tagten gestern.";
        let matchers = vec![Matcher {
            terms: vec![
                (0, TermMatch::Exact("koalition".into())),
                (1, TermMatch::Exact("willigen".into())),
            ],
            slop: u32::MAX,
        }];
        let marks: Vec<&str> = highlights(text, &matchers)
            .into_iter()
            .map(|r| &text[r])
            .collect();
        assert_eq!(marks, ["Willigen", "Koalition"]);
    }

    #[test]
    fn overlapping_phrase_matches_do_not_blow_up_the_snippet() {
        let text = "Krieg ".repeat(500);
        let hs = highlights(&text, &Query::parse("\"Krieg Krieg\"").unwrap().matchers());
        let s = Snippet::new(&text, &hs);
        assert!(
            s.text.chars().count() <= SNIPPET_CHARS + SNIPPET_SLACK + 2,
            "{}",
            s.text.len()
        );
        assert!(!s.highlights.is_empty());
    }

    #[test]
    fn a_phrase_at_the_window_edge_is_shown_whole() {
        let filler = "Wort ".repeat(60);
        let text = format!("Krieg {filler}Koalition der Willigen {filler}");
        let q = Query::parse("Krieg OR \"Koalition der Willigen\"").unwrap();
        let s = Snippet::new(&text, &highlights(&text, &q.matchers()));
        let marked: Vec<&str> = s.highlights.iter().map(|h| &s.text[h.clone()]).collect();
        for m in &marked {
            assert!(
                *m == "Krieg" || *m == "Koalition der Willigen",
                "{marked:?}"
            );
        }
    }

    #[test]
    fn short_paragraphs_are_shown_whole() {
        let s = Snippet::new("Kurzer Text mit Treffer.", &[Range { start: 16, end: 23 }]);
        assert_eq!(s.text, "Kurzer Text mit Treffer.");
        assert_eq!(s.to_html(), "Kurzer Text mit <mark>Treffer</mark>.");
    }

    #[test]
    fn long_paragraphs_are_cut_around_the_densest_cluster() {
        let filler = "Wort ".repeat(100);
        let text = format!("{filler}Krieg und Krieg und Krieg {filler}Krieg");
        let hs = highlights(&text, &Query::parse("Krieg").unwrap().matchers());
        assert_eq!(hs.len(), 4);
        let s = Snippet::new(&text, &hs);
        assert!(s.text.starts_with("…Wort"), "{}", s.text);
        assert!(s.text.ends_with("Wort…"), "{}", s.text);
        assert_eq!(s.highlights.len(), 3, "{}", s.text);
        for h in &s.highlights {
            assert_eq!(&s.text[h.clone()], "Krieg");
        }
        let chars = s.text.chars().count();
        assert!((150..=SNIPPET_CHARS + 2).contains(&chars), "{chars}");
    }

    #[test]
    fn html_escapes_everything_but_the_marks() {
        let s = Snippet::new("<b>Krieg</b> & „Frieden“", &[Range { start: 3, end: 8 }]);
        assert_eq!(
            s.to_html(),
            "&lt;b&gt;<mark>Krieg</mark>&lt;/b&gt; &amp; „Frieden“"
        );
    }
}
