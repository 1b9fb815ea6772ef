//! Title and heading matches, carried to every paragraph they cover.
//!
//! An article's title is indexed once, on its first paragraph, and a
//! section's heading once, on the section's first paragraph (the index
//! would otherwise repeat them on every paragraph: a third of its size).
//! The paragraphs of an article are added to the index as one batch, so
//! they are consecutive documents of one segment, in order (tantivy keeps
//! that order through merges; deletions remove whole files). A block is
//! therefore a run of documents: an article runs to where the next one
//! begins (the postings of the `start` field, [`ArticleStarts`]), a section
//! as far as the paragraphs whose `section_offset` (the distance from the
//! section's first paragraph) counts on from it.
//!
//! [`BlockJoin`] wraps a query on the title or heading fields: it matches
//! every paragraph of a block whose first paragraph the inner query
//! matches, with that paragraph's score (the idea of Lucene's block join).

use std::fmt;
use std::sync::Arc;

use tantivy::columnar::Column;
use tantivy::query::{EmptyScorer, EnableScoring, Explanation, Query, Scorer, Weight};
use tantivy::{DocId, DocSet, Score, SegmentReader, TERMINATED};

use super::per_segment::PerSegment;
use super::starts::ArticleStarts;
use crate::index::schema::name;

/// Which blocks a match covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Block {
    /// The whole article (title matches).
    Article,
    /// The section under one heading (heading matches).
    Section,
}

impl Block {
    /// A paragraph's distance from the first paragraph of its block, if it
    /// is in one.
    fn offset(self, column: &Column<u64>, doc: DocId) -> Option<u32> {
        let value = column.first(doc)?;
        let offset = match self {
            Block::Article => value.checked_sub(1)?,
            Block::Section => value,
        };
        u32::try_from(offset).ok()
    }

    fn column(self, reader: &SegmentReader) -> tantivy::Result<Column<u64>> {
        let name = match self {
            Block::Article => name::PARA,
            Block::Section => name::SECTION_OFFSET,
        };
        reader.fast_fields().u64(name)
    }
}

/// Each segment's section column (`section_offset`), once opened: for all
/// ranges of a segment, and, shared by a searcher, for all of its queries.
pub type SectionColumns = PerSegment<Column<u64>>;

/// Opens `reader`'s section column into `columns` (if it is not there yet).
pub fn open_section_column(
    columns: &SectionColumns,
    reader: &SegmentReader,
) -> tantivy::Result<Column<u64>> {
    columns.get_or_open(reader, |r| Block::Section.column(r))
}

/// Every paragraph of the blocks whose first paragraph `inner` matches.
pub struct BlockJoin {
    inner: Box<dyn Query>,
    block: Block,
    /// Where a section join finds its segments' columns.
    sections: Arc<SectionColumns>,
}

impl BlockJoin {
    /// A join that opens the section columns it needs, in `sections`.
    pub fn new(inner: Box<dyn Query>, block: Block, sections: &Arc<SectionColumns>) -> BlockJoin {
        BlockJoin {
            inner,
            block,
            sections: Arc::clone(sections),
        }
    }
}

impl Clone for BlockJoin {
    fn clone(&self) -> Self {
        BlockJoin {
            inner: self.inner.box_clone(),
            block: self.block,
            sections: Arc::clone(&self.sections),
        }
    }
}

impl fmt::Debug for BlockJoin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "BlockJoin({:?}, {:?})", self.block, self.inner)
    }
}

impl Query for BlockJoin {
    fn weight(&self, enable_scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        Ok(Box::new(BlockJoinWeight {
            inner: self.inner.weight(enable_scoring)?,
            block: self.block,
            sections: Arc::clone(&self.sections),
        }))
    }

    fn query_terms<'a>(&'a self, visitor: &mut dyn FnMut(&'a tantivy::Term, bool)) {
        self.inner.query_terms(visitor);
    }
}

struct BlockJoinWeight {
    inner: Box<dyn Weight>,
    block: Block,
    /// The sections' column of each segment, for all of its ranges.
    sections: Arc<SectionColumns>,
}

impl Weight for BlockJoinWeight {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        let inner = self.inner.scorer(reader, boost)?;
        // No block of this segment matches: its column (whose opening
        // decodes a header per 512 paragraphs) is not needed.
        if inner.doc() == TERMINATED {
            return Ok(Box::new(EmptyScorer));
        }
        let extent = match self.block {
            Block::Article => Extent::Starts(Box::new(ArticleStarts::open(reader)?)),
            Block::Section => Extent::Offsets(open_section_column(&self.sections, reader)?),
        };
        Ok(Box::new(BlockJoinScorer::new(
            inner,
            extent,
            reader.max_doc(),
        )))
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        let column = self.block.column(reader)?;
        let Some(offset) = self.block.offset(&column, doc) else {
            return Err(tantivy::TantivyError::InvalidArgument(format!(
                "document {doc} is in no {:?} block",
                self.block
            )));
        };
        let first = doc - offset.min(doc);
        let inner = self.inner.explain(reader, first)?;
        let mut explanation = Explanation::new(
            match self.block {
                Block::Article => "the article's title",
                Block::Section => "the section's heading",
            },
            inner.value(),
        );
        explanation.add_detail(inner);
        Ok(explanation)
    }
}

/// The end of the section starting at `first`. The paragraphs that belong
/// to it are a run from `first` (a section is consecutive documents, and no
/// later document can be at the right distance from `first` again), so the
/// end is found by doubling steps and then halving them: a few column reads
/// a section instead of one a paragraph.
fn section_end(column: &Column<u64>, first: DocId, max_doc: DocId) -> DocId {
    let belongs =
        |doc: DocId| doc < max_doc && Block::Section.offset(column, doc) == Some(doc - first);
    // `first + inside` belongs, `first + outside` does not (or is past the
    // segment).
    let (mut inside, mut outside) = (0u32, 1u32);
    while belongs(first.saturating_add(outside)) {
        inside = outside;
        outside = outside.saturating_mul(2);
    }
    while outside - inside > 1 {
        let middle = inside + (outside - inside) / 2;
        if belongs(first + middle) {
            inside = middle;
        } else {
            outside = middle;
        }
    }
    first + outside
}

/// How a scorer tells where blocks end.
enum Extent {
    /// Articles: where each begins. A block ends where the next begins.
    /// (Boxed: a cursor over postings holds a block of them.)
    Starts(Box<ArticleStarts>),
    /// Sections: each paragraph's distance from the first paragraph of its
    /// section (`section_offset`), absent outside sections.
    Offsets(Column<u64>),
}

struct BlockJoinScorer {
    inner: Box<dyn Scorer>,
    extent: Extent,
    max_doc: DocId,
    /// The current paragraph.
    doc: DocId,
    /// The first paragraph of its block (the inner scorer's document).
    first: DocId,
    /// The end of that block (exclusive), found when first needed: a
    /// seek to a paragraph needs only where its block starts.
    end: Option<DocId>,
    score: Score,
}

impl BlockJoinScorer {
    fn new(inner: Box<dyn Scorer>, extent: Extent, max_doc: DocId) -> BlockJoinScorer {
        let mut scorer = BlockJoinScorer {
            inner,
            extent,
            max_doc,
            doc: TERMINATED,
            first: TERMINATED,
            end: Some(TERMINATED),
            score: 0.0,
        };
        scorer.enter();
        scorer
    }

    /// The end of the block starting at `first`.
    fn block_end(&mut self, first: DocId) -> DocId {
        match &mut self.extent {
            Extent::Starts(starts) => starts.after(first).min(self.max_doc),
            Extent::Offsets(column) => section_end(column, first, self.max_doc),
        }
    }

    /// [`DocSet::seek`] when only the ends of blocks are known (articles):
    /// the matching blocks in turn until one ends after `target`. Every
    /// block the inner scorer matches is visited at most once by a scorer,
    /// and they are first paragraphs only.
    fn seek_by_ends(&mut self, target: DocId) -> DocId {
        while self.first != TERMINATED {
            if target < self.end() {
                self.doc = target.max(self.first);
                return self.doc;
            }
            self.inner.advance();
            self.enter();
        }
        self.doc = TERMINATED;
        TERMINATED
    }

    /// Moves to the inner scorer's current document: a new block.
    fn enter(&mut self) -> DocId {
        self.first = self.inner.doc();
        self.doc = self.first;
        if self.first == TERMINATED {
            self.end = Some(TERMINATED);
        } else {
            self.score = self.inner.score();
            self.end = None;
        }
        self.doc
    }

    /// The end of the current block.
    fn end(&mut self) -> DocId {
        match self.end {
            Some(end) => end,
            None => {
                let end = self.block_end(self.first);
                self.end = Some(end);
                end
            }
        }
    }
}

impl DocSet for BlockJoinScorer {
    fn advance(&mut self) -> DocId {
        if self.doc == TERMINATED {
            return TERMINATED;
        }
        if self.doc + 1 < self.end() {
            self.doc += 1;
            return self.doc;
        }
        self.inner.advance();
        self.enter()
    }

    fn seek(&mut self, target: DocId) -> DocId {
        if self.doc >= target {
            return self.doc;
        }
        // Within the current block (known to reach that far).
        if self.end.is_some_and(|end| target < end) {
            self.doc = target;
            return target;
        }
        // Past the segment (an intersection seeks to `TERMINATED` when
        // another of its parts ends): the column has no value there.
        if target >= self.max_doc {
            self.doc = TERMINATED;
            return TERMINATED;
        }
        let column = match &self.extent {
            Extent::Offsets(column) => column,
            Extent::Starts(_) => return self.seek_by_ends(target),
        };
        // The block `target` is in (if any) starts at `target - offset`;
        // otherwise the next match is the next block's first paragraph.
        let first = match Block::Section.offset(column, target) {
            Some(offset) => target - offset.min(target),
            None => target,
        };
        if first > self.first {
            self.inner.seek(first);
        }
        if self.inner.doc() == first && first != target {
            // `target` is in the block starting at `first` (the column
            // says so), which matches.
            self.enter();
            self.doc = target;
            return target;
        }
        // The block of `target` does not match: the next one that does,
        // from its start (which is past `target` or is `target`).
        while self.inner.doc() < target {
            self.inner.advance();
        }
        self.enter()
    }

    fn doc(&self) -> DocId {
        self.doc
    }

    fn size_hint(&self) -> u32 {
        self.inner.size_hint()
    }
}

impl Scorer for BlockJoinScorer {
    fn score(&mut self) -> Score {
        self.score
    }
}
