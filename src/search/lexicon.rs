//! The index's vocabulary, as the query side needs it: does a stem exist,
//! which terms start (or, through the reversed field, end) with something.

use std::cell::RefCell;
use std::collections::{BTreeSet, HashMap};
use std::ops::Bound;

use std::sync::Arc;

use tantivy::query::FuzzyTermQuery;
use tantivy::schema::Field;
use tantivy::schema::IndexRecordOption;
use tantivy::{DocSet, InvertedIndexReader};

use crate::analysis::{self, compound::Lexicon};
use crate::index::Fields;

/// At most this many terms are collected for one prefix or suffix.
pub const MAX_EXPANSIONS: usize = 10_000;

/// The vocabulary of an open index.
pub struct IndexLexicon<'a> {
    pub searcher: &'a tantivy::Searcher,
    pub fields: &'a Fields,
    /// Answers of [`Lexicon::has_stem`] so far: the compound search asks
    /// about the same pieces again and again.
    known: RefCell<HashMap<String, bool>>,
    /// Answers of [`Lexicon::has_stem_with_prefix`] so far.
    prefixes: RefCell<HashMap<String, bool>>,
    /// The stems of each segment, largest segment first (the likeliest to
    /// have a stem); opened once, not for every question.
    stems: Vec<Arc<InvertedIndexReader>>,
}

impl<'a> IndexLexicon<'a> {
    pub fn new(searcher: &'a tantivy::Searcher, fields: &'a Fields) -> IndexLexicon<'a> {
        let mut segments: Vec<&tantivy::SegmentReader> =
            searcher.segment_readers().iter().collect();
        segments.sort_by_key(|s| std::cmp::Reverse(s.max_doc()));
        let stems = segments
            .iter()
            .filter_map(|s| s.inverted_index(fields.text).ok())
            .collect();
        IndexLexicon {
            searcher,
            fields,
            known: RefCell::new(HashMap::new()),
            prefixes: RefCell::new(HashMap::new()),
            stems,
        }
    }

    /// True when some segment has the stem: stops at the first, without
    /// summing frequencies over all segments.
    fn contains_stem(&self, stem: &str) -> bool {
        self.stems.iter().any(|index| {
            index
                .terms()
                .term_ord(stem.as_bytes())
                .is_ok_and(|o| o.is_some())
        })
    }

    /// True when some segment has a stem starting with `prefix`.
    fn contains_stem_with_prefix(&self, prefix: &str) -> bool {
        self.stems.iter().any(|index| {
            let Ok(mut stream) = index.terms().range().ge(prefix.as_bytes()).into_stream() else {
                return false;
            };
            stream.advance() && stream.key().starts_with(prefix.as_bytes())
        })
    }

    /// Terms of `field` starting with `prefix` (at most [`MAX_EXPANSIONS`]
    /// plus one, so a caller can tell "too many").
    pub fn terms_with_prefix(&self, field: Field, prefix: &str) -> Vec<String> {
        let mut found = BTreeSet::new();
        for segment in self.searcher.segment_readers() {
            let Ok(index) = segment.inverted_index(field) else {
                continue;
            };
            let Ok(mut stream) = index.terms().range().ge(prefix.as_bytes()).into_stream() else {
                continue;
            };
            while stream.advance() {
                let Ok(term) = std::str::from_utf8(stream.key()) else {
                    continue;
                };
                if !term.starts_with(prefix) || found.len() > MAX_EXPANSIONS {
                    break;
                }
                found.insert(term.to_string());
            }
        }
        found.into_iter().collect()
    }

    /// Every term of `field` with the number of paragraphs that have it
    /// (deleted ones included until a merge), most frequent first: for
    /// fields of few values (languages, kinds, agencies, dates).
    pub fn values(&self, field: Field) -> Vec<(String, u64)> {
        let mut counts: HashMap<String, u64> = HashMap::new();
        for segment in self.searcher.segment_readers() {
            let Ok(index) = segment.inverted_index(field) else {
                continue;
            };
            let Ok(mut stream) = index.terms().stream() else {
                continue;
            };
            while stream.advance() {
                let term = String::from_utf8_lossy(stream.key()).into_owned();
                *counts.entry(term).or_default() += u64::from(stream.value().doc_freq);
            }
        }
        let mut values: Vec<(String, u64)> = counts.into_iter().collect();
        values.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        values
    }

    /// True when some segment has a term of `field` within the bounds.
    pub fn has_term_within(&self, field: Field, lower: Bound<&str>, upper: Bound<&str>) -> bool {
        self.searcher.segment_readers().iter().any(|segment| {
            let Ok(index) = segment.inverted_index(field) else {
                return false;
            };
            let range = index.terms().range();
            let range = match lower {
                Bound::Included(l) => range.ge(l.as_bytes()),
                Bound::Excluded(l) => range.gt(l.as_bytes()),
                Bound::Unbounded => range,
            };
            let range = match upper {
                Bound::Included(u) => range.le(u.as_bytes()),
                Bound::Excluded(u) => range.lt(u.as_bytes()),
                Bound::Unbounded => range,
            };
            range.into_stream().is_ok_and(|mut stream| stream.advance())
        })
    }

    /// How many paragraphs contain `term` in `field`.
    pub fn doc_freq(&self, field: Field, term: &str) -> u64 {
        self.searcher
            .doc_freq(&tantivy::Term::from_field_text(field, term))
            .unwrap_or(0)
    }

    /// The terms of `field` within `distance` edits of `word` (at least
    /// those: a Levenshtein automaton walks each segment's dictionary, so
    /// only near terms are visited), with the number of live paragraphs
    /// that have them in each segment that has any, passed to `each`
    /// segment by segment, in dictionary order. (A segment's dictionary
    /// keeps the terms of deleted paragraphs until a merge.)
    pub fn for_each_term_near(
        &self,
        field: Field,
        word: &str,
        distance: u8,
        each: &mut dyn FnMut(&str, u64),
    ) {
        let fuzzy =
            FuzzyTermQuery::new(tantivy::Term::from_field_text(field, word), distance, true);
        for segment in self.searcher.segment_readers() {
            let (Ok(index), Ok(automaton)) = (segment.inverted_index(field), fuzzy.automaton())
            else {
                continue;
            };
            let Ok(mut stream) = index.terms().search(automaton).into_stream() else {
                continue;
            };
            while stream.advance() {
                let Ok(term) = std::str::from_utf8(stream.key()) else {
                    continue;
                };
                let live = if segment.has_deletes() {
                    live_docs(segment, &index, stream.value())
                } else {
                    u64::from(stream.value().doc_freq)
                };
                if live > 0 {
                    each(term, live);
                }
            }
        }
    }
}

/// How many of the paragraphs of a term (its `info` in `index`, of
/// `segment`) are not deleted.
fn live_docs(
    segment: &tantivy::SegmentReader,
    index: &InvertedIndexReader,
    info: &tantivy::postings::TermInfo,
) -> u64 {
    let Ok(mut postings) = index.read_postings_from_terminfo(info, IndexRecordOption::Basic) else {
        return 0;
    };
    let mut live = 0;
    let mut doc = postings.doc();
    while doc != tantivy::TERMINATED {
        live += u64::from(!segment.is_deleted(doc));
        doc = postings.advance();
    }
    live
}

/// The answer for `key` in `answers`, found by `find` the first time.
fn remembered(
    answers: &RefCell<HashMap<String, bool>>,
    key: &str,
    find: impl FnOnce() -> bool,
) -> bool {
    if let Some(&known) = answers.borrow().get(key) {
        return known;
    }
    let known = find();
    answers.borrow_mut().insert(key.to_string(), known);
    known
}

impl Lexicon for IndexLexicon<'_> {
    fn has_stem(&self, stem: &str) -> bool {
        remembered(&self.known, stem, || self.contains_stem(stem))
    }

    fn stems_with_prefix(&self, prefix: &str) -> Vec<String> {
        self.terms_with_prefix(self.fields.text, prefix)
    }

    fn has_stem_with_prefix(&self, prefix: &str) -> bool {
        remembered(&self.prefixes, prefix, || {
            self.contains_stem_with_prefix(prefix)
        })
    }

    fn stems_with_suffix(&self, suffix: &str) -> Vec<String> {
        self.terms_with_prefix(self.fields.text_reversed, &analysis::reverse(suffix))
            .iter()
            .map(|t| analysis::reverse(t))
            .collect()
    }

    fn fork(&self) -> Option<Box<dyn Lexicon + Send + '_>> {
        Some(Box::new(IndexLexicon {
            searcher: self.searcher,
            fields: self.fields,
            known: RefCell::new(HashMap::new()),
            prefixes: RefCell::new(HashMap::new()),
            stems: self.stems.clone(),
        }))
    }
}
