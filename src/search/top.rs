//! The best `n` matches by score, equal scores in reading order: article
//! id, then paragraph number.
//!
//! tantivy's `TopDocs` orders equal scores by where the paragraphs are
//! stored (segment, then document), and which segment a paragraph lands
//! in depends on the indexing threads: two builds of the same files could
//! list tied hits (common: BM25 norms are coarse) in different orders.
//! Here each segment keeps its best `n` by (score, article id ordinal,
//! document); a segment's ordinals are in the order of the ids themselves,
//! so that is the global order restricted to the segment, and the merge
//! compares the ids' text. Within an article, document order is paragraph
//! order: an article's paragraphs are consecutive documents of one segment,
//! added in order (`index::writer`), and merges keep that order; so the
//! paragraph numbers need not be read.

use std::cmp::Ordering;
use std::collections::BinaryHeap;
use std::sync::Arc;

use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::StrColumn;
use tantivy::{DocAddress, DocId, Score, SegmentOrdinal, SegmentReader};

use super::per_segment::PerSegment;
use crate::index::schema::name;

/// A match of the segment being collected.
#[derive(Debug, Clone, Copy)]
struct Local {
    score: Score,
    /// Ordinal of the article id in the segment's `doc` column (none:
    /// `u64::MAX`, last).
    article: u64,
    doc: DocId,
}

/// Better first: higher score, then reading order.
fn local_order(a: &Local, b: &Local) -> Ordering {
    b.score
        .total_cmp(&a.score)
        .then(a.article.cmp(&b.article))
        .then(a.doc.cmp(&b.doc))
}

impl PartialEq for Local {
    fn eq(&self, other: &Self) -> bool {
        local_order(self, other) == Ordering::Equal
    }
}
impl Eq for Local {}
impl PartialOrd for Local {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
/// The worst kept match is the greatest: the top of the heap.
impl Ord for Local {
    fn cmp(&self, other: &Self) -> Ordering {
        local_order(self, other)
    }
}

/// A segment's kept match with its article id as text, for the merge.
pub(super) struct Kept {
    score: Score,
    /// `None` (no id) sorts last, as in the other orders (`results`).
    article: Option<String>,
    address: DocAddress,
}

fn global_order(a: &Kept, b: &Kept) -> Ordering {
    b.score
        .total_cmp(&a.score)
        .then_with(|| (a.article.is_none(), &a.article).cmp(&(b.article.is_none(), &b.article)))
        .then(a.address.cmp(&b.address))
}

/// The best `n` matches by score, ties in reading order.
pub(super) struct TopByScore {
    n: usize,
    /// Each segment's `doc` column, for all of its ranges (and, shared by
    /// a searcher, for all of its queries).
    columns: Arc<DocColumns>,
}

impl TopByScore {
    #[cfg(test)]
    pub fn new(n: usize) -> TopByScore {
        TopByScore::with_columns(n, Arc::new(PerSegment::new()))
    }

    /// With the `doc` columns opened so far (see [`open_doc_column`]).
    pub fn with_columns(n: usize, columns: Arc<DocColumns>) -> TopByScore {
        TopByScore { n, columns }
    }
}

/// Each segment's `doc` column, once opened.
pub(super) type DocColumns = PerSegment<Option<StrColumn>>;

/// Opens `reader`'s `doc` column into `columns` (if it is not there yet).
pub(super) fn open_doc_column(
    columns: &DocColumns,
    reader: &SegmentReader,
) -> tantivy::Result<Option<StrColumn>> {
    columns.get_or_open(reader, |r| r.fast_fields().str(name::DOC))
}

pub(super) struct SegmentTop {
    n: usize,
    segment: SegmentOrdinal,
    heap: BinaryHeap<Local>,
    /// The `doc` column, opened at the first match (a segment or range
    /// without matches leaves it closed: opening it decodes a header per
    /// 512 paragraphs).
    articles: Articles,
}

enum Articles {
    Closed {
        columns: Arc<DocColumns>,
        reader: Box<SegmentReader>,
    },
    Open(Option<StrColumn>),
    /// The column could not be opened: the error, for the merge.
    Failed(tantivy::TantivyError),
}

impl Articles {
    fn column(&mut self) -> Option<&StrColumn> {
        if let Articles::Closed { columns, reader } = self {
            *self = match open_doc_column(columns, reader) {
                Ok(column) => Articles::Open(column),
                Err(e) => Articles::Failed(e),
            };
        }
        match self {
            Articles::Open(column) => column.as_ref(),
            _ => None,
        }
    }
}

impl Collector for TopByScore {
    type Fruit = Vec<(Score, DocAddress)>;
    type Child = SegmentTop;

    fn for_segment(
        &self,
        segment: SegmentOrdinal,
        reader: &SegmentReader,
    ) -> tantivy::Result<SegmentTop> {
        Ok(SegmentTop {
            n: self.n,
            segment,
            heap: BinaryHeap::with_capacity(self.n.min(4096)),
            articles: Articles::Closed {
                columns: Arc::clone(&self.columns),
                reader: Box::new(reader.clone()),
            },
        })
    }

    fn requires_scoring(&self) -> bool {
        true
    }

    fn merge_fruits(
        &self,
        fruits: Vec<tantivy::Result<Vec<Kept>>>,
    ) -> tantivy::Result<Self::Fruit> {
        let mut all = Vec::new();
        for fruit in fruits {
            all.extend(fruit?);
        }
        all.sort_unstable_by(global_order);
        all.truncate(self.n);
        Ok(all.into_iter().map(|k| (k.score, k.address)).collect())
    }
}

impl SegmentTop {
    fn local(&mut self, doc: DocId, score: Score) -> Local {
        let article = self
            .articles
            .column()
            .and_then(|c| c.term_ords(doc).next())
            .unwrap_or(u64::MAX);
        Local {
            score,
            article,
            doc,
        }
    }
}

impl SegmentCollector for SegmentTop {
    type Fruit = tantivy::Result<Vec<Kept>>;

    fn collect(&mut self, doc: DocId, score: Score) {
        if self.n == 0 {
            return;
        }
        if self.heap.len() < self.n {
            let local = self.local(doc, score);
            self.heap.push(local);
            return;
        }
        // Most matches score below the worst kept one: no column is read.
        let Some(worst) = self.heap.peek() else {
            return;
        };
        if score < worst.score {
            return;
        }
        let local = self.local(doc, score);
        if let Some(mut worst) = self.heap.peek_mut()
            && local < *worst
        {
            *worst = local;
        }
    }

    fn harvest(self) -> tantivy::Result<Vec<Kept>> {
        let column = match self.articles {
            Articles::Failed(e) => return Err(e),
            Articles::Open(column) => column,
            Articles::Closed { .. } => None,
        };
        // The ids of the kept matches, read in one pass over the sorted
        // ordinals (one look-up each was a fifth of a `-n 100000`).
        let mut ords: Vec<u64> = self
            .heap
            .iter()
            .map(|l| l.article)
            .filter(|&o| o != u64::MAX)
            .collect();
        ords.sort_unstable();
        ords.dedup();
        let mut names: Vec<String> = Vec::with_capacity(ords.len());
        let complete = column.as_ref().is_some_and(|c| {
            c.dictionary()
                .sorted_ords_to_term_cb(&ords, |bytes| {
                    names.push(String::from_utf8_lossy(bytes).into_owned())
                })
                .unwrap_or(false)
        }) && names.len() == ords.len();
        let name = |article: u64| -> Option<String> {
            if !complete {
                return None;
            }
            let i = ords.binary_search(&article).ok()?;
            names.get(i).cloned()
        };
        Ok(self
            .heap
            .into_iter()
            .map(|local| Kept {
                score: local.score,
                article: name(local.article),
                address: DocAddress::new(self.segment, local.doc),
            })
            .collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn local(score: Score, article: u64, doc: DocId) -> Local {
        Local {
            score,
            article,
            doc,
        }
    }

    #[test]
    fn the_heap_keeps_the_best_and_breaks_ties_by_reading_order() {
        let mut heap = BinaryHeap::new();
        for l in [
            local(1.0, 5, 0),
            local(2.0, 9, 1),
            local(1.0, 2, 3),
            local(1.0, 2, 2),
        ] {
            heap.push(l);
        }
        // The top of the heap is the worst: the lowest score, the last in
        // reading order among those (article, then document: paragraph
        // order within an article).
        assert_eq!(heap.peek().map(|l| l.doc), Some(0));
        let sorted: Vec<DocId> = heap.into_sorted_vec().iter().map(|l| l.doc).collect();
        assert_eq!(sorted, vec![1, 2, 3, 0]);
    }
}
