//! Where the articles of a segment begin: the postings of the `start`
//! field, which holds a term on the first paragraph of every article only.
//!
//! An article's paragraphs are consecutive documents of one segment (an
//! article is added as one batch; see `index::writer`), so the article a
//! paragraph belongs to runs from the last start at or before it to the
//! next start after it. Walking these postings alongside documents in
//! increasing order tells where one article ends and the next begins with
//! a comparison per document, where reading an article id or a paragraph
//! number from a column costs a block look-up and a decode per document,
//! and opening that column a header per 512 paragraphs.

use tantivy::postings::SegmentPostings;
use tantivy::schema::IndexRecordOption;
use tantivy::{DocId, DocSet, SegmentReader, TERMINATED, Term};

use crate::index::schema::{ARTICLE_START, name};

/// A forward-only cursor over the first paragraphs of a segment's articles.
pub(super) struct ArticleStarts {
    /// `None`: the segment has no articles.
    postings: Option<SegmentPostings>,
}

impl ArticleStarts {
    pub fn open(segment: &SegmentReader) -> tantivy::Result<ArticleStarts> {
        let field = segment.schema().get_field(name::START)?;
        let term = Term::from_field_text(field, ARTICLE_START);
        let postings = segment
            .inverted_index(field)?
            .read_postings(&term, IndexRecordOption::Basic)?;
        Ok(ArticleStarts { postings })
    }

    /// The first article start after `doc` (`TERMINATED` when `doc` is in
    /// the segment's last article). Calls must not go back: `doc` is at
    /// least the previous call's.
    pub fn after(&mut self, doc: DocId) -> DocId {
        let Some(postings) = &mut self.postings else {
            return TERMINATED;
        };
        if postings.doc() > doc {
            postings.doc()
        } else {
            // A document is below TERMINATED: no overflow.
            postings.seek(doc + 1)
        }
    }
}

/// The distinct articles among documents of one segment seen in increasing
/// order.
pub(super) struct ArticleCount {
    starts: ArticleStarts,
    /// Where the article after the last counted one begins: a document
    /// from here on is in an article not counted yet.
    next: DocId,
    len: u64,
}

impl ArticleCount {
    pub fn open(segment: &SegmentReader) -> tantivy::Result<ArticleCount> {
        Ok(ArticleCount {
            starts: ArticleStarts::open(segment)?,
            next: 0,
            len: 0,
        })
    }

    /// Notes `doc`, which is not before the document noted last.
    pub fn add(&mut self, doc: DocId) {
        if doc >= self.next {
            self.len += 1;
            self.next = self.starts.after(doc);
        }
    }

    /// Number of distinct articles noted.
    pub fn len(&self) -> u64 {
        self.len
    }
}
