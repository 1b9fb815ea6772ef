//! Search: run a [`Query`] against an index and produce [`Hit`]s.
//!
//! Two ways to run a query:
//! - with a limit, the best paragraphs by BM25 (tantivy's `TopDocs`), plus
//!   the number of all matching paragraphs and articles;
//! - without a limit, every matching paragraph, streamed in index order
//!   straight from tantivy's scorers, so memory does not grow with the
//!   number of hits.
//!
//! Search reads only the index: the stored paragraph text is all the
//! highlighter needs.

mod article;
pub mod highlight;
pub mod query;

use std::collections::HashSet;
use std::ops::Range;

use anyhow::{Context, Result};
use serde::Serialize;
use tantivy::collector::{Collector, SegmentCollector, TopDocs};
use tantivy::columnar::StrColumn;
use tantivy::query::EnableScoring;
use tantivy::schema::{Field, Value};
use tantivy::{DocAddress, DocId, IndexReader, Score, SegmentReader, TantivyDocument};

pub use article::{ArticleView, ParagraphView};
pub use highlight::Snippet;
pub use query::{Query, QueryError};

use crate::index::schema::name;
use crate::index::{CommitState, Fields, IndexDir, IndexMeta};

/// One matching paragraph, ready to print.
#[derive(Debug, Clone, Serialize)]
pub struct Hit {
    /// 1-based position in the result list.
    pub rank: u64,
    /// BM25 score (higher is better).
    pub score: f32,
    pub doc: String,
    pub path: String,
    pub para: u64,
    pub line: u64,
    pub date: Option<String>,
    pub title: Option<String>,
    pub heading: Option<String>,
    pub kind: String,
    pub lang: String,
    /// Agency credits covering the paragraph (`dpa`, `mit dpa`, …).
    pub agency: Vec<String>,
    /// For reader comments: who wrote it and when (`YYYY-MM-DDTHH:MM`).
    pub comment_author: Option<String>,
    pub comment_date: Option<String>,
    /// The whole paragraph.
    pub text: String,
    /// The shown window, matches marked (`<mark>` in machine formats).
    #[serde(serialize_with = "snippet_as_html")]
    pub snippet: Snippet,
    /// `[start, end)` byte ranges of the matches in `text`.
    #[serde(serialize_with = "ranges_as_pairs")]
    pub highlights: Vec<Range<usize>>,
}

fn snippet_as_html<S: serde::Serializer>(s: &Snippet, ser: S) -> Result<S::Ok, S::Error> {
    ser.serialize_str(&s.to_html())
}

fn ranges_as_pairs<S: serde::Serializer>(r: &[Range<usize>], ser: S) -> Result<S::Ok, S::Error> {
    ser.collect_seq(r.iter().map(|r| [r.start, r.end]))
}

/// How many paragraphs and articles matched in all.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Totals {
    pub paragraphs: u64,
    pub articles: u64,
    /// Matching paragraphs left out because their kind is not in scope.
    pub out_of_scope: u64,
}

/// How many hits to return.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Limit {
    /// The best `n` by score.
    Top(usize),
    /// Every hit, streamed in index order.
    All,
}

/// An open index, ready to answer queries.
pub struct Searcher {
    reader: IndexReader,
    fields: Fields,
    meta: IndexMeta,
    state: Option<CommitState>,
}

impl Searcher {
    pub fn open(dir: &IndexDir) -> Result<Searcher> {
        // An `index` run in another process may commit and remove the files
        // of replaced segments between our reading tantivy's meta.json and
        // opening the segments; a second attempt then sees the new commit.
        let mut attempt = 0;
        loop {
            attempt += 1;
            match Self::try_open(dir) {
                Err(_) if attempt < 3 => {
                    std::thread::sleep(std::time::Duration::from_millis(20));
                }
                result => return result,
            }
        }
    }

    fn try_open(dir: &IndexDir) -> Result<Searcher> {
        let open = dir.open()?;
        let reader = open
            .index
            .reader()
            .with_context(|| format!("cannot read the index at {}", dir.root().display()))?;
        Ok(Searcher {
            reader,
            fields: open.fields,
            meta: open.meta,
            state: open.state,
        })
    }

    /// The state of the last commit: whether the index is complete, what it
    /// was built from.
    pub fn state(&self) -> Option<&CommitState> {
        self.state.as_ref()
    }

    pub fn meta(&self) -> &IndexMeta {
        &self.meta
    }

    /// Runs `query`, calling `each` for every hit in rank order, and returns
    /// the totals over all matches.
    pub fn search(
        &self,
        query: &Query,
        limit: Limit,
        each: &mut dyn FnMut(Hit) -> Result<()>,
    ) -> Result<Totals> {
        let searcher = self.reader.searcher();
        let tantivy_query = query.to_tantivy(&self.fields);
        let matchers = query.matchers();
        let make_hit = |rank: u64, score: Score, doc: TantivyDocument| -> Hit {
            self.hit(rank, score, &doc, &matchers)
        };
        match limit {
            Limit::Top(n) => {
                // No more hits than paragraphs: a huge --limit must not
                // allocate for hits that cannot exist.
                let n = n.min(usize::try_from(searcher.num_docs()).unwrap_or(usize::MAX));
                let collector = (TopDocs::with_limit(n.max(1)).order_by_score(), ArticleCount);
                let (top, totals) = searcher.search(&tantivy_query, &collector)?;
                for (rank, (score, address)) in top.into_iter().take(n).enumerate() {
                    let doc: TantivyDocument = searcher.doc(address)?;
                    each(make_hit(rank as u64 + 1, score, doc))?;
                }
                Ok(totals)
            }
            Limit::All => {
                let mut totals = Totals::default();
                let mut articles: HashSet<String> = HashSet::new();
                self.stream_all(&searcher, tantivy_query.as_ref(), &mut |score, doc| {
                    totals.paragraphs += 1;
                    let hit = make_hit(totals.paragraphs, score, doc);
                    if !articles.contains(&hit.doc) {
                        articles.insert(hit.doc.clone());
                    }
                    each(hit)
                })?;
                totals.articles = articles.len() as u64;
                Ok(totals)
            }
        }
    }

    /// Calls `each` for every matching paragraph, in index order, straight
    /// from tantivy's scorers: nothing is collected.
    fn stream_all(
        &self,
        searcher: &tantivy::Searcher,
        query: &dyn tantivy::query::Query,
        each: &mut dyn FnMut(Score, TantivyDocument) -> Result<()>,
    ) -> Result<()> {
        let weight = query.weight(EnableScoring::enabled_from_searcher(searcher))?;
        for (ordinal, segment) in searcher.segment_readers().iter().enumerate() {
            let mut scorer = weight.scorer(segment, 1.0)?;
            let mut doc_id = scorer.doc();
            while doc_id != tantivy::TERMINATED {
                if !segment.is_deleted(doc_id) {
                    let doc: TantivyDocument =
                        searcher.doc(DocAddress::new(ordinal as u32, doc_id))?;
                    each(scorer.score(), doc)?;
                }
                doc_id = scorer.advance();
            }
        }
        Ok(())
    }

    /// How many paragraphs and articles match, without fetching them.
    pub fn count(&self, query: &Query) -> Result<Totals> {
        let searcher = self.reader.searcher();
        Ok(searcher.search(&query.to_tantivy(&self.fields), &ArticleCount)?)
    }

    fn hit(
        &self,
        rank: u64,
        score: Score,
        doc: &TantivyDocument,
        matchers: &[query::Matcher],
    ) -> Hit {
        let f = &self.fields;
        let text = str_field(doc, f.text).unwrap_or_default();
        let highlights = highlight::highlights(&text, matchers);
        Hit {
            rank,
            score,
            doc: str_field(doc, f.doc).unwrap_or_default(),
            path: str_field(doc, f.path).unwrap_or_default(),
            para: u64_field(doc, f.para),
            line: u64_field(doc, f.line),
            date: str_field(doc, f.date),
            title: str_field(doc, f.title),
            heading: str_field(doc, f.heading),
            kind: str_field(doc, f.kind).unwrap_or_default(),
            lang: str_field(doc, f.lang).unwrap_or_default(),
            agency: doc
                .get_all(f.agency)
                .filter_map(|v| v.as_str())
                .map(str::to_string)
                .collect(),
            comment_author: str_field(doc, f.comment_author),
            comment_date: str_field(doc, f.comment_date),
            snippet: Snippet::new(&text, &highlights),
            highlights,
            text,
        }
    }
}

fn str_field(doc: &TantivyDocument, field: Field) -> Option<String> {
    doc.get_first(field)
        .and_then(|v| v.as_str())
        .map(str::to_string)
}

fn u64_field(doc: &TantivyDocument, field: Field) -> u64 {
    doc.get_first(field).and_then(|v| v.as_u64()).unwrap_or(0)
}

/// Counts matching paragraphs and distinct articles (via the `doc` column).
struct ArticleCount;

struct SegmentArticleCount {
    column: Option<StrColumn>,
    paragraphs: u64,
    ordinals: HashSet<u64>,
}

impl Collector for ArticleCount {
    type Fruit = Totals;
    type Child = SegmentArticleCount;

    fn for_segment(&self, _: u32, segment: &SegmentReader) -> tantivy::Result<SegmentArticleCount> {
        Ok(SegmentArticleCount {
            column: segment.fast_fields().str(name::DOC)?,
            paragraphs: 0,
            ordinals: HashSet::new(),
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, fruits: Vec<(u64, HashSet<String>)>) -> tantivy::Result<Totals> {
        let mut articles = HashSet::new();
        let mut paragraphs = 0;
        for (count, docs) in fruits {
            paragraphs += count;
            articles.extend(docs);
        }
        Ok(Totals {
            paragraphs,
            articles: articles.len() as u64,
            out_of_scope: 0,
        })
    }
}

impl SegmentCollector for SegmentArticleCount {
    type Fruit = (u64, HashSet<String>);

    fn collect(&mut self, doc: DocId, _: Score) {
        self.paragraphs += 1;
        if let Some(column) = &self.column {
            self.ordinals.extend(column.term_ords(doc));
        }
    }

    fn harvest(self) -> (u64, HashSet<String>) {
        let mut names = HashSet::with_capacity(self.ordinals.len());
        if let Some(column) = &self.column {
            for ord in self.ordinals {
                let mut name = String::new();
                if column.ord_to_str(ord, &mut name).unwrap_or(false) {
                    names.insert(name);
                }
            }
        }
        (self.paragraphs, names)
    }
}
