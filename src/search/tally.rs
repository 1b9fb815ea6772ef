//! Counting matches while they are collected: paragraphs, distinct
//! articles, and the matches a scope of kinds leaves out, in the same pass
//! that ranks them.
//!
//! Articles are counted from where they begin ([`ArticleCount`]): the
//! matches of a segment arrive in increasing order, and an article's
//! paragraphs are consecutive. The scope is read from the postings of the
//! `kind` field ([`KindScope`]): a match of a kind out of scope is counted
//! as left out and not handed on.

use tantivy::collector::{Collector, SegmentCollector};
use tantivy::postings::SegmentPostings;
use tantivy::schema::IndexRecordOption;
use tantivy::{DocId, DocSet, Score, SegmentReader};

use super::Totals;
use super::starts::ArticleCount;
use crate::index::schema::name;
use crate::ingest::Kind;

/// Which paragraphs of a segment a scope of kinds keeps, from the postings
/// of the `kind` field: those of the kinds in scope or those of the kinds
/// out of it, whichever hold fewer paragraphs (the default scope leaves out
/// comments and boilerplate, a few percent). Matches arrive in increasing
/// order, so each is a comparison with a cursor or two, where reading the
/// `kind` column cost a look-up per match and opening it a header per 512
/// paragraphs. Every paragraph has exactly one kind (`index::writer`).
pub(super) struct KindScope {
    /// Cursors over the postings of the kinds listed.
    listed: Vec<SegmentPostings>,
    /// Whether the kinds listed are those in scope.
    listed_in_scope: bool,
}

impl KindScope {
    fn open(segment: &SegmentReader, scope: &[Kind]) -> tantivy::Result<KindScope> {
        let field = segment.schema().get_field(name::KIND)?;
        let index = segment.inverted_index(field)?;
        let (mut inside, mut outside) = ((Vec::new(), 0u64), (Vec::new(), 0u64));
        let mut stream = index.terms().stream()?;
        while stream.advance() {
            let info = stream.value().clone();
            let side = if scope.iter().any(|k| k.as_str().as_bytes() == stream.key()) {
                &mut inside
            } else {
                &mut outside
            };
            side.1 += u64::from(info.doc_freq);
            side.0.push(info);
        }
        let listed_in_scope = inside.1 <= outside.1;
        let infos = if listed_in_scope { inside.0 } else { outside.0 };
        let listed = infos
            .iter()
            .map(|info| index.read_postings_from_terminfo(info, IndexRecordOption::Basic))
            .collect::<std::io::Result<Vec<_>>>()?;
        Ok(KindScope {
            listed,
            listed_in_scope,
        })
    }

    /// Whether `doc`, not before the document asked about last, is of a
    /// kind in scope.
    fn in_scope(&mut self, doc: DocId) -> bool {
        let listed = self.listed.iter_mut().any(|postings| {
            if postings.doc() < doc {
                postings.seek(doc);
            }
            postings.doc() == doc
        });
        listed == self.listed_in_scope
    }
}

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
    /// Which matches the scope keeps (`None`: all).
    kinds: Option<KindScope>,
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
            Some(scope) => Some(KindScope::open(segment, scope)?),
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
        if let Some(kinds) = &mut self.kinds
            && !kinds.in_scope(doc)
        {
            self.out_of_scope += 1;
            return;
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
