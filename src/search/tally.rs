//! Counting matches while they are collected: paragraphs, distinct
//! articles, and the matches a scope of kinds leaves out, in the same pass
//! that ranks them.
//!
//! Articles are counted by the ordinals of the `doc` column: a bit per
//! ordinal and segment while collecting (an article's paragraphs are all in
//! one segment). The scope is read from the `kind` column: a match of a kind out
//! of scope is counted as left out and not handed on.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};

use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::{Column, StrColumn};
use tantivy::{DocId, Score, SegmentOrdinal, SegmentReader};

use super::Totals;
use crate::index::schema::name;
use crate::ingest::Kind;

/// Each segment's `doc` column, opened once for the collectors of one
/// search that read it (the counts here, the ties of [`super::top`]):
/// opening it decodes a header per 512 paragraphs into fresh memory.
#[derive(Clone, Default)]
pub(super) struct DocColumns(Arc<Mutex<HashMap<SegmentOrdinal, Option<StrColumn>>>>);

impl DocColumns {
    pub fn get(
        &self,
        ord: SegmentOrdinal,
        segment: &SegmentReader,
    ) -> tantivy::Result<Option<StrColumn>> {
        let mut opened = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(column) = opened.get(&ord) {
            return Ok(column.clone());
        }
        let column = segment.fast_fields().str(name::DOC)?;
        opened.insert(ord, column.clone());
        Ok(column)
    }
}

/// The distinct values of a fast string column among some documents of one
/// segment, as a bit per ordinal.
pub(super) struct OrdSet {
    column: Option<StrColumn>,
    bits: Vec<u64>,
    len: u64,
}

impl OrdSet {
    pub fn new(column: Option<StrColumn>) -> OrdSet {
        let words = column.as_ref().map_or(0, |c| c.num_terms().div_ceil(64));
        OrdSet {
            column,
            bits: vec![0; words],
            len: 0,
        }
    }

    /// Notes the values `doc` has.
    pub fn add(&mut self, doc: DocId) {
        let Some(column) = &self.column else {
            return;
        };
        for ord in column.term_ords(doc) {
            let (word, bit) = ((ord / 64) as usize, 1u64 << (ord % 64));
            if let Some(w) = self.bits.get_mut(word)
                && *w & bit == 0
            {
                *w |= bit;
                self.len += 1;
            }
        }
    }

    /// Number of distinct values noted.
    pub fn len(&self) -> u64 {
        self.len
    }
}

/// The number of distinct articles over several segments' [`OrdSet`]s of
/// the `doc` column: their sum, because an article's paragraphs are all in
/// one segment (an article is added as one batch, and an article id is
/// used by one file only; see `index::writer`).
pub(super) fn distinct(sets: &[OrdSet]) -> u64 {
    sets.iter().map(OrdSet::len).sum()
}

/// Wraps a collector (`TopDocs`, `Count`): hands it the matches in scope and
/// counts paragraphs, articles and the matches left out.
pub(super) struct Tally<C> {
    pub inner: C,
    /// The kinds in scope (`None`: every match is in scope).
    pub scope: Option<Vec<Kind>>,
    /// Shared with `inner` where it reads them too.
    pub doc_columns: DocColumns,
}

pub(super) struct SegmentTally<S> {
    inner: S,
    articles: OrdSet,
    /// The `kind` ordinals of the segment and whether each is in scope.
    kinds: Option<(Column<u64>, Vec<bool>)>,
    paragraphs: u64,
    out_of_scope: u64,
}

/// What one segment counted.
pub(super) struct SegmentCounts {
    paragraphs: u64,
    out_of_scope: u64,
    articles: OrdSet,
}

impl<C: Collector> Collector for Tally<C> {
    type Fruit = (C::Fruit, Totals);
    type Child = SegmentTally<C::Child>;

    fn for_segment(&self, ord: u32, segment: &SegmentReader) -> tantivy::Result<Self::Child> {
        let kinds = match &self.scope {
            None => None,
            Some(scope) => {
                let column = segment.fast_fields().str(name::KIND)?;
                let (ords, in_scope) = match column {
                    Some(column) => {
                        let mut in_scope = Vec::with_capacity(column.num_terms());
                        let mut stream = column.dictionary().stream()?;
                        while stream.advance() {
                            in_scope
                                .push(scope.iter().any(|k| k.as_str().as_bytes() == stream.key()));
                        }
                        (column.ords().clone(), in_scope)
                    }
                    // No kinds at all: nothing is in scope.
                    None => (Column::build_empty_column(segment.max_doc()), Vec::new()),
                };
                Some((ords, in_scope))
            }
        };
        Ok(SegmentTally {
            inner: self.inner.for_segment(ord, segment)?,
            articles: OrdSet::new(self.doc_columns.get(ord, segment)?),
            kinds,
            paragraphs: 0,
            out_of_scope: 0,
        })
    }

    fn requires_scoring(&self) -> bool {
        self.inner.requires_scoring()
    }

    fn merge_fruits(
        &self,
        fruits: Vec<(<C::Child as SegmentCollector>::Fruit, SegmentCounts)>,
    ) -> tantivy::Result<Self::Fruit> {
        let mut inner = Vec::with_capacity(fruits.len());
        let mut totals = Totals::default();
        let mut articles = Vec::with_capacity(fruits.len());
        for (fruit, counts) in fruits {
            inner.push(fruit);
            totals.paragraphs += counts.paragraphs;
            totals.out_of_scope += counts.out_of_scope;
            articles.push(counts.articles);
        }
        totals.articles = distinct(&articles);
        Ok((self.inner.merge_fruits(inner)?, totals))
    }
}

impl<S: SegmentCollector> SegmentCollector for SegmentTally<S> {
    type Fruit = (S::Fruit, SegmentCounts);

    fn collect(&mut self, doc: DocId, score: Score) {
        if let Some((ords, in_scope)) = &self.kinds {
            match ords.first(doc) {
                Some(ord) if in_scope.get(ord as usize).copied().unwrap_or(false) => {}
                Some(_) => {
                    self.out_of_scope += 1;
                    return;
                }
                // A paragraph without a kind is in no scope.
                None => return,
            }
        }
        self.paragraphs += 1;
        self.articles.add(doc);
        self.inner.collect(doc, score);
    }

    fn harvest(self) -> Self::Fruit {
        (
            self.inner.harvest(),
            SegmentCounts {
                paragraphs: self.paragraphs,
                out_of_scope: self.out_of_scope,
                articles: self.articles,
            },
        )
    }
}
