//! Concordance (key word in context): one line per occurrence of the query
//! in the paragraph text, with the context to its left and right.
//!
//! Occurrences come from the highlighter's matchers, so a concordance shows
//! exactly what a search highlights, one line per phrase occurrence (not per
//! word). `left`, `matched` and `right` are slices of the paragraph text,
//! unaltered: `left + matched + right` is always a part of `text`.

use anyhow::Result;

use super::highlight::{self, chars_after, chars_before};
use super::{Hit, Query, Request, Searcher, Totals};

/// One occurrence of the query with its context.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Occurrence {
    pub doc: String,
    pub path: String,
    pub para: u64,
    pub line: u64,
    pub date: Option<String>,
    /// Up to `width` characters before the match.
    pub left: String,
    pub matched: String,
    /// Up to `width` characters after the match.
    pub right: String,
    /// Byte range of the match in the paragraph text.
    pub start: usize,
    pub end: usize,
}

/// The occurrences of `matchers` in a hit's paragraph.
pub fn occurrences_in(
    hit: &Hit,
    matchers: &[super::query::Matcher],
    width: usize,
) -> Vec<Occurrence> {
    let text = &hit.text;
    highlight::occurrences(text, matchers)
        .into_iter()
        .map(|r| Occurrence {
            doc: hit.doc.clone(),
            path: hit.path.clone(),
            para: hit.para,
            line: hit.line,
            date: hit.date.clone(),
            left: text[chars_before(text, r.start, width)..r.start].to_string(),
            matched: text[r.clone()].to_string(),
            right: text[r.end..chars_after(text, r.end, width)].to_string(),
            start: r.start,
            end: r.end,
        })
        .collect()
}

impl Searcher {
    /// Every occurrence of `query` in the paragraphs `request` selects, in
    /// their order, with `width` characters of context on each side. Returns
    /// the totals of matching paragraphs and the number of occurrences.
    pub fn concordance(
        &self,
        query: &Query,
        request: &Request,
        width: usize,
        each: &mut dyn FnMut(Occurrence) -> Result<()>,
    ) -> Result<(Totals, u64)> {
        let mut query = self.prepare(&self.reader.searcher(), query)?;
        let matchers = query.matchers();
        // The hits need no highlights of their own: the occurrences are
        // found here, in one pass over each paragraph's words.
        query.highlight = false;
        let mut lines = 0;
        let totals = self.run(&query, request, &mut |hit| {
            for occurrence in occurrences_in(&hit, &matchers, width) {
                lines += 1;
                each(occurrence)?;
            }
            Ok(())
        })?;
        Ok((totals, lines))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::Snippet;

    fn hit(text: &str) -> Hit {
        Hit {
            rank: 1,
            score: 1.0,
            doc: "d".into(),
            path: "d.txt".into(),
            para: 1,
            line: 1,
            date: None,
            title: None,
            heading: None,
            kind: "body".into(),
            lang: "deu".into(),
            agency: Vec::new(),
            comment_author: None,
            comment_date: None,
            text: text.into(),
            snippet: Snippet::new(text, &[]),
            highlights: Vec::new(),
            explanation: None,
            address: tantivy::DocAddress::new(0, 0),
        }
    }

    #[test]
    fn context_is_cut_at_the_width_in_characters() {
        let h = hit("Über Länder hinweg: Länder und Ländergrenzen");
        let q = Query::parse("Länder").unwrap();
        let found = occurrences_in(&h, &q.matchers(), 6);
        assert_eq!(found.len(), 2);
        assert_eq!(
            (
                found[0].left.as_str(),
                found[0].matched.as_str(),
                found[0].right.as_str()
            ),
            ("Über ", "Länder", " hinwe")
        );
        assert_eq!(
            (found[1].left.as_str(), found[1].right.as_str()),
            (
                "hinweg: ".chars().skip(2).collect::<String>().as_str(),
                " und L"
            )
        );
        for o in &found {
            let joined = format!("{}{}{}", o.left, o.matched, o.right);
            assert!(h.text.contains(&joined));
            assert_eq!(&h.text[o.start..o.end], o.matched);
        }
    }

    #[test]
    fn a_phrase_is_one_occurrence() {
        let h = hit("Die Koalition der Willigen tagt.");
        let q = Query::parse("\"Koalition der Willigen\"").unwrap();
        let found = occurrences_in(&h, &q.matchers(), 40);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].matched, "Koalition der Willigen");
        assert_eq!(found[0].left, "Die ");
        assert_eq!(found[0].right, " tagt.");
    }
}
