//! Counting matches while they are collected: paragraphs, distinct
//! articles, and the matches a scope of kinds leaves out, in the same pass
//! that ranks them.
//!
//! Articles are counted from where they begin ([`ArticleCount`]): the
//! matches of a segment arrive in increasing order, and an article's
//! paragraphs are consecutive. The scope is read from the `kind` column: a
//! match of a kind out of scope is counted as left out and not handed on.

use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::Column;
use tantivy::{DocId, Score, SegmentReader};

use super::Totals;
use super::starts::ArticleCount;
use crate::index::schema::name;
use crate::ingest::Kind;

/// Wraps a collector (`TopDocs`, `Count`): hands it the matches in scope and
/// counts paragraphs, articles and the matches left out.
pub(super) struct Tally<C> {
    pub inner: C,
    /// The kinds in scope (`None`: every match is in scope).
    pub scope: Option<Vec<Kind>>,
}

pub(super) struct SegmentTally<S> {
    inner: S,
    articles: ArticleCount,
    /// The `kind` ordinals of the segment and whether each is in scope.
    kinds: Option<(Column<u64>, Vec<bool>)>,
    paragraphs: u64,
    out_of_scope: u64,
}

/// What one segment counted.
pub(super) struct SegmentCounts {
    paragraphs: u64,
    out_of_scope: u64,
    articles: u64,
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
            articles: ArticleCount::open(segment)?,
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
        for (fruit, counts) in fruits {
            inner.push(fruit);
            totals.paragraphs += counts.paragraphs;
            totals.out_of_scope += counts.out_of_scope;
            // An article's paragraphs are all in one segment.
            totals.articles += counts.articles;
        }
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
                articles: self.articles.len(),
            },
        )
    }
}
