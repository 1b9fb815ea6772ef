//! What is in the index: the surface forms a word matches, and the most
//! frequent terms.
//!
//! Both walk the term dictionary of a field. An index may have several
//! segments, each with its own sorted dictionary; [`merged_terms`] merges
//! them like a k-way merge sort, so every term is seen once with its
//! document frequency summed, in memory proportional to the number of
//! segments.
//!
//! Which forms a word matches is decided by [`FormMatcher`]s: [`SameStem`]
//! (the forms whose normalised stem is the word's: inflections, umlaut
//! spellings, feminine forms) and [`CompoundOf`] (the compounds containing
//! the word) — together exactly what an unquoted word finds; [`WithPrefix`]
//! what `prefix*` finds, [`WithinEdits`] what `word~N` finds, [`SameForm`]
//! what a quoted word finds.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use anyhow::Result;
use tantivy::postings::Postings;
use tantivy::postings::TermInfo;
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{DocSet, TERMINATED};

use super::Searcher;
use crate::analysis;

/// Decides whether a surface form (lowercased, as in the `text_exact`
/// field) is one the user's word matches, and says how.
pub trait FormMatcher {
    /// `Some(relation)` when `form` matches, e.g. `"inflection"`.
    fn relation(&self, form: &str) -> Option<&'static str>;
}

/// The forms with the same Snowball German stem as a word: what an unquoted
/// word finds.
#[derive(Debug, Clone)]
pub struct SameStem {
    word: String,
    stem: String,
}

impl SameStem {
    /// The matcher for one word (lowercased and stemmed here).
    pub fn new(word: &str) -> SameStem {
        let stem = analysis::stem_word(word);
        let word = analysis::lowercase(word);
        SameStem { word, stem }
    }
}

impl FormMatcher for SameStem {
    fn relation(&self, form: &str) -> Option<&'static str> {
        if form == self.word {
            Some("word")
        } else if analysis::stem_word(form) == self.stem {
            Some("inflection")
        } else {
            None
        }
    }
}

/// The forms of the compounds in the index that contain a word.
#[derive(Debug, Clone)]
pub struct CompoundOf {
    stems: Vec<String>,
}

impl FormMatcher for CompoundOf {
    fn relation(&self, form: &str) -> Option<&'static str> {
        self.stems
            .contains(&analysis::stem_word(form))
            .then_some("compound")
    }
}

/// The forms starting with a prefix: what `prefix*` finds.
#[derive(Debug, Clone)]
pub struct WithPrefix {
    prefix: String,
}

impl WithPrefix {
    /// The matcher for `prefix` (without the `*`; lowercased here).
    pub fn new(prefix: &str) -> WithPrefix {
        WithPrefix {
            prefix: analysis::lowercase(prefix),
        }
    }
}

impl FormMatcher for WithPrefix {
    fn relation(&self, form: &str) -> Option<&'static str> {
        form.starts_with(&self.prefix).then_some("prefix")
    }
}

/// The forms within a number of edits (insertions, deletions,
/// substitutions, transpositions of neighbours) of a word: what `word~N`
/// finds.
#[derive(Debug, Clone)]
pub struct WithinEdits {
    word: String,
    distance: u8,
}

impl WithinEdits {
    /// The matcher for `word~distance` (the word lowercased here, as the
    /// query compares it with the forms).
    pub fn new(word: &str, distance: u8) -> WithinEdits {
        WithinEdits {
            word: analysis::lowercase(word),
            distance,
        }
    }
}

impl FormMatcher for WithinEdits {
    fn relation(&self, form: &str) -> Option<&'static str> {
        // The same measure as the highlighter's (`TermMatch::Fuzzy`).
        (strsim::osa_distance(form, &self.word) <= usize::from(self.distance)).then_some("fuzzy")
    }
}

/// One form only: what a quoted word finds.
#[derive(Debug, Clone)]
pub struct SameForm {
    form: String,
}

impl SameForm {
    /// The matcher for one analysed word's form (`AnalyzedWord::exact`).
    pub fn new(form: &str) -> SameForm {
        SameForm {
            form: form.to_string(),
        }
    }
}

impl FormMatcher for SameForm {
    fn relation(&self, form: &str) -> Option<&'static str> {
        (form == self.form).then_some("word")
    }
}

/// A term of the index with its frequencies.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FormCount {
    /// The term as indexed (lowercased surface form, or stem).
    pub term: String,
    /// Paragraphs containing it.
    pub paragraphs: u64,
    /// How often it occurs in all.
    pub occurrences: u64,
    /// How it relates to the word asked about (`word`, `inflection`, …);
    /// empty in a list of the most frequent terms.
    pub relation: &'static str,
}

/// A term's dictionary entry in each segment that has it: (segment, entry).
type Entries = [(usize, TermInfo)];

/// Calls `f` once for every term of `field` over all segments, in byte
/// order, with the term's dictionary entry in each segment that has it.
fn merged_terms(
    searcher: &tantivy::Searcher,
    field: Field,
    f: &mut dyn FnMut(&[u8], &Entries) -> Result<()>,
) -> Result<()> {
    let readers = searcher
        .segment_readers()
        .iter()
        .map(|s| s.inverted_index(field))
        .collect::<tantivy::Result<Vec<_>>>()?;
    let mut streams = readers
        .iter()
        .map(|r| r.terms().stream())
        .collect::<std::io::Result<Vec<_>>>()?;
    // The next term of each stream, smallest first.
    let mut heap: BinaryHeap<Reverse<(Vec<u8>, usize)>> = BinaryHeap::new();
    for (i, s) in streams.iter_mut().enumerate() {
        if s.advance() {
            heap.push(Reverse((s.key().to_vec(), i)));
        }
    }
    let mut entries: Vec<(usize, TermInfo)> = Vec::new();
    while let Some(Reverse((term, i))) = heap.pop() {
        entries.clear();
        entries.push((i, streams[i].value().clone()));
        while heap.peek().is_some_and(|Reverse((t, _))| *t == term) {
            if let Some(Reverse((_, j))) = heap.pop() {
                entries.push((j, streams[j].value().clone()));
            }
        }
        f(&term, &entries)?;
        for &(j, _) in &entries {
            if streams[j].advance() {
                heap.push(Reverse((streams[j].key().to_vec(), j)));
            }
        }
    }
    Ok(())
}

impl Searcher {
    /// The matcher for the compounds of this index that contain `word`.
    pub fn compounds_of(&self, word: &str) -> CompoundOf {
        let searcher = self.reader.searcher();
        CompoundOf {
            stems: analysis::compound::compounds_containing(word, &self.lexicon(&searcher)),
        }
    }

    /// The surface forms in the paragraph text that any of `matchers`
    /// accepts, most frequent first.
    pub fn forms(&self, matchers: &[&dyn FormMatcher]) -> Result<Vec<FormCount>> {
        let searcher = self.reader.searcher();
        let field = self.fields.text_exact;
        let mut found = Vec::new();
        merged_terms(&searcher, field, &mut |term, entries| {
            let Ok(form) = std::str::from_utf8(term) else {
                return Ok(());
            };
            if let Some(relation) = matchers.iter().find_map(|m| m.relation(form)) {
                let count = self.count_term(&searcher, field, form, entries, relation)?;
                // Only in deleted paragraphs (their terms stay in the
                // dictionary until a merge): not in the index any more.
                if count.paragraphs > 0 {
                    found.push(count);
                }
            }
            Ok(())
        })?;
        sort_by_frequency(&mut found);
        Ok(found)
    }

    /// The `n` terms found in the most paragraphs: surface forms, or stems
    /// with `stems`.
    pub fn top_terms(&self, n: usize, stems: bool) -> Result<Vec<FormCount>> {
        let searcher = self.reader.searcher();
        let field = if stems {
            self.fields.text
        } else {
            self.fields.text_exact
        };
        // The dictionaries' counts include deleted paragraphs (their terms
        // stay until a merge): exact without deletions, otherwise an upper
        // bound, refined below.
        let exact = !searcher.segment_readers().iter().any(|s| s.has_deletes());
        let mut best = TopN::new(n);
        let mut bounds: Vec<(u64, Vec<u8>)> = Vec::new();
        merged_terms(&searcher, field, &mut |term, entries| {
            let paragraphs: u64 = entries.iter().map(|(_, t)| u64::from(t.doc_freq)).sum();
            if exact {
                best.offer(paragraphs, term.to_vec());
            } else {
                bounds.push((paragraphs, term.to_vec()));
            }
            Ok(())
        })?;
        let count = |term: &[u8]| -> Result<FormCount> {
            let term = String::from_utf8_lossy(term);
            let entries = self.term_entries(&searcher, field, &term)?;
            self.count_term(&searcher, field, &term, &entries, "")
        };
        // Live counts, in order of their bounds, until no bound can beat
        // the n-th live count found.
        bounds.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
        for (bound, term) in bounds {
            if !best.would_keep(bound, &term) {
                break;
            }
            let live = count(&term)?.paragraphs;
            if live > 0 {
                best.offer(live, term);
            }
        }
        let mut out = best
            .into_terms()
            .iter()
            .map(|term| count(term))
            .collect::<Result<Vec<_>>>()?;
        out.retain(|c| c.paragraphs > 0);
        out.sort_by(|a, b| {
            (b.paragraphs, b.occurrences)
                .cmp(&(a.paragraphs, a.occurrences))
                .then_with(|| a.term.cmp(&b.term))
        });
        Ok(out)
    }

    /// Number of distinct terms of the paragraph text: (surface forms, stems).
    pub fn term_counts(&self) -> Result<(u64, u64)> {
        let searcher = self.reader.searcher();
        let count = |field| -> Result<u64> {
            let mut n = 0;
            merged_terms(&searcher, field, &mut |_, _| {
                n += 1;
                Ok(())
            })?;
            Ok(n)
        };
        Ok((count(self.fields.text_exact)?, count(self.fields.text)?))
    }

    fn term_entries(
        &self,
        searcher: &tantivy::Searcher,
        field: Field,
        term: &str,
    ) -> Result<Vec<(usize, TermInfo)>> {
        let mut entries = Vec::new();
        for (i, segment) in searcher.segment_readers().iter().enumerate() {
            if let Some(info) = segment
                .inverted_index(field)?
                .terms()
                .get(term.as_bytes())?
            {
                entries.push((i, info));
            }
        }
        Ok(entries)
    }

    /// Paragraph and occurrence counts of one term (reads its postings).
    fn count_term(
        &self,
        searcher: &tantivy::Searcher,
        field: Field,
        term: &str,
        entries: &Entries,
        relation: &'static str,
    ) -> Result<FormCount> {
        let mut paragraphs = 0;
        let mut occurrences = 0;
        for (i, info) in entries {
            let segment = searcher.segment_reader(*i as u32);
            let mut postings = segment
                .inverted_index(field)?
                .read_postings_from_terminfo(info, IndexRecordOption::WithFreqs)?;
            let mut doc = postings.doc();
            while doc != TERMINATED {
                if !segment.is_deleted(doc) {
                    paragraphs += 1;
                    occurrences += u64::from(postings.term_freq());
                }
                doc = postings.advance();
            }
        }
        Ok(FormCount {
            term: term.to_string(),
            paragraphs,
            occurrences,
            relation,
        })
    }
}

fn sort_by_frequency(terms: &mut [FormCount]) {
    terms.sort_by(|a, b| {
        (b.occurrences, b.paragraphs)
            .cmp(&(a.occurrences, a.paragraphs))
            .then_with(|| a.term.cmp(&b.term))
    });
}

/// The best `n` terms offered: the most paragraphs first, and of equally
/// frequent terms the alphabetically first.
struct TopN {
    n: usize,
    /// A min-heap: (paragraphs, reversed term), the worst on top.
    heap: BinaryHeap<Reverse<(u64, Reverse<Vec<u8>>)>>,
}

impl TopN {
    fn new(n: usize) -> TopN {
        TopN {
            n,
            heap: BinaryHeap::new(),
        }
    }

    /// True when a term of `paragraphs` would be among the best n.
    fn would_keep(&self, paragraphs: u64, term: &[u8]) -> bool {
        self.heap.len() < self.n
            || self
                .heap
                .peek()
                .is_some_and(|Reverse((worst, Reverse(worst_term)))| {
                    (paragraphs, Reverse(term)) > (*worst, Reverse(worst_term.as_slice()))
                })
    }

    fn offer(&mut self, paragraphs: u64, term: Vec<u8>) {
        if !self.would_keep(paragraphs, &term) {
            return;
        }
        if self.heap.len() == self.n {
            self.heap.pop();
        }
        self.heap.push(Reverse((paragraphs, Reverse(term))));
    }

    fn into_terms(self) -> Vec<Vec<u8>> {
        self.heap
            .into_iter()
            .map(|Reverse((_, Reverse(term)))| term)
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_stem_accepts_inflections_and_umlaut_forms() {
        let m = SameStem::new("Länder");
        assert_eq!(m.relation("länder"), Some("word"));
        assert_eq!(m.relation("land"), Some("inflection"));
        assert_eq!(m.relation("landes"), Some("inflection"));
        assert_eq!(m.relation("ländern"), Some("inflection"));
        assert_eq!(m.relation("landung"), None);
    }
}
