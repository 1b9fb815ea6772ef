//! Search: run a [`Query`] against an index and produce [`Hit`]s.
//!
//! Three ways to run a query:
//! - with a limit, the best paragraphs by BM25 (equal scores in reading
//!   order: [`top`]), plus
//!   the number of all matching paragraphs and articles;
//! - in index order, every matching paragraph streamed straight from
//!   tantivy's scorers, so memory does not grow with the number of hits;
//! - in any other order or grouped by article ([`results`]): every match
//!   noted as a small candidate from fast columns, sorted, and only the
//!   shown paragraphs loaded.
//!
//! Beside hits: counts ([`Searcher::count`], [`Searcher::count_by`]), the
//! concordance ([`kwic`]), the forms of a word ([`terms`]) and [`stats`].
//!
//! Search reads only the index: the stored paragraph text is all the
//! highlighter needs.

mod any_term;
mod article;
mod boosts;
pub mod highlight;
mod join;
pub mod kwic;
pub mod lexicon;
mod per_segment;
pub mod query;
pub mod results;
mod split;
mod starts;
pub mod stats;
mod suggest;
mod tally;
pub mod terms;
mod top;

use std::ops::Range;
use std::sync::Arc;

use anyhow::Result;
use serde::Serialize;
use tantivy::collector::Count;
use tantivy::query::EnableScoring;
use tantivy::schema::{Field, Value};
use tantivy::{DocAddress, IndexReader, Score, TantivyDocument};

pub use article::{ArticleView, ParagraphView};
pub use highlight::Snippet;
pub use kwic::Occurrence;
pub use query::{Query, QueryError, Scoped};
pub use results::{ArticleHit, Group, Request, Sort};
pub use stats::Stats;
pub use suggest::EmptyFilter;
pub use terms::{CompoundOf, FormCount, FormMatcher, SameForm, SameStem, WithPrefix, WithinEdits};

use crate::index::schema::name;
use crate::index::{CommitState, Fields, IndexDir, IndexMeta};
use crate::ingest::{Kind, KindSet};
use per_segment::PerSegment;
use starts::ArticleCount;
use tally::Tally;
use top::TopByScore;

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
    /// With `--explain`: how the score came about (tantivy's explanation,
    /// field numbers replaced by names).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub explanation: Option<serde_json::Value>,
    /// Where the paragraph is in the index (for explaining it).
    #[serde(skip)]
    pub address: DocAddress,
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
    /// The kinds the scope leaves out (for the note that names them).
    #[serde(skip)]
    pub left_out_kinds: KindSet,
}

/// How many hits to return.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Limit {
    /// The best `n` by score.
    Top(usize),
    /// Every hit, streamed in index order.
    All,
}

/// How many of the best hits are loaded on the search threads at once.
const HITS_LOADED_AT_ONCE: usize = 64;

/// An open index, ready to answer queries.
pub struct Searcher {
    reader: IndexReader,
    fields: Fields,
    meta: IndexMeta,
    generation: std::path::PathBuf,
    state: Option<CommitState>,
    /// The segments' `doc` columns (for the best hits' ties) and section
    /// columns (for heading matches), once opened: for every query.
    doc_columns: Arc<top::DocColumns>,
    sections: Arc<join::SectionColumns>,
}

impl Searcher {
    /// Opens the index for searching, its segments searched in parallel
    /// on all cores (at most one thread per segment).
    pub fn open(dir: &IndexDir) -> Result<Searcher> {
        let cores = std::thread::available_parallelism().map_or(1, usize::from);
        Self::open_with_threads(dir, cores)
    }

    /// Opens the index for searching with at most `threads` threads.
    pub fn open_with_threads(dir: &IndexDir, threads: usize) -> Result<Searcher> {
        // An `index` run in another process may commit and remove the files
        // of replaced segments between our reading tantivy's meta.json and
        // opening the segments; a second attempt then sees the new commit.
        let mut attempt = 0;
        loop {
            attempt += 1;
            match Self::try_open(dir, threads) {
                Err(_) if attempt < 3 => {
                    std::thread::sleep(std::time::Duration::from_millis(20));
                }
                result => return result,
            }
        }
    }

    fn try_open(dir: &IndexDir, threads: usize) -> Result<Searcher> {
        let mut open = dir.open()?;
        // A query with many matches spends most of its time in each
        // segment's scorers and collectors: segments are searched in
        // parallel (BENCHMARKS.md, sixth round), and so are the ranges of a
        // large one (`split`): one thread per segment or range.
        let ranges: usize = open
            .segment_docs
            .iter()
            .map(|&docs| split::ranges_at_most(docs))
            .sum();
        let threads = threads.clamp(1, ranges.max(1));
        if threads > 1 {
            // Without a pool the search runs on this thread alone.
            let _ = open.index.set_multithread_executor(threads);
        }
        // Manual reloads: a search process reads one commit and needs no
        // thread watching for the next.
        let reader = open
            .index
            .reader_builder()
            .reload_policy(tantivy::ReloadPolicy::Manual)
            .try_into()
            .map_err(|e| crate::index::read_error(dir.root(), e))?;
        Ok(Searcher {
            reader,
            fields: open.fields,
            meta: open.meta,
            generation: open.generation,
            state: open.state,
            doc_columns: Arc::new(PerSegment::new()),
            sections: Arc::new(PerSegment::new()),
        })
    }

    /// Starts opening, on the search threads, the columns a ranked search
    /// of `query` reads in each segment: the `doc` column (ties among the
    /// best hits) and, for a query with words (their heading boost), the
    /// section column. In a segment of two million paragraphs, decoding
    /// their headers takes a fraction of a millisecond, which the search's
    /// first range would otherwise spend while the others wait for it;
    /// meanwhile this thread goes on (looking up compounds). What is not
    /// open yet when the search needs it is opened then.
    pub fn open_ahead(&self, query: &Query) {
        let searcher = self.reader.searcher();
        let tantivy::Executor::ThreadPool(pool) = searcher.index().search_executor() else {
            return;
        };
        let sections = query.has_words();
        for reader in searcher.segment_readers() {
            let reader = reader.clone();
            let docs = Arc::clone(&self.doc_columns);
            let section_columns = Arc::clone(&self.sections);
            // An error is the search's to report, when it opens the column.
            pool.spawn(move || {
                let _ = top::open_doc_column(&docs, &reader);
                if sections {
                    let _ = join::open_section_column(&section_columns, &reader);
                }
            });
        }
    }

    /// How many threads search the segments: those of the executor that
    /// tantivy's searcher runs on.
    pub fn threads(&self) -> usize {
        match self.reader.searcher().index().search_executor() {
            tantivy::Executor::ThreadPool(pool) => pool.current_num_threads(),
            tantivy::Executor::SingleThread => 1,
        }
    }

    /// The state of the last commit: whether the index is complete, what it
    /// was built from.
    pub fn state(&self) -> Option<&CommitState> {
        self.state.as_ref()
    }

    /// When the last commit is one of a run that has not finished (still
    /// running, or killed): the number of files that run had processed.
    pub fn incomplete_after(&self) -> Option<u64> {
        self.state.as_ref().filter(|s| !s.complete).map(|s| s.files)
    }

    pub fn meta(&self) -> &IndexMeta {
        &self.meta
    }

    /// When the index was last committed (seconds since the Unix epoch).
    pub fn built_at(&self) -> u64 {
        self.state
            .as_ref()
            .map_or(self.meta.created_at, |s| s.committed_at)
    }

    /// The paths the index was built from, as given.
    pub fn sources(&self) -> Vec<String> {
        self.state
            .as_ref()
            .map(|s| s.sources.clone())
            .unwrap_or_default()
    }

    /// Length in characters of the longest article id (to align columns).
    pub fn longest_doc_id(&self) -> Result<usize> {
        let searcher = self.reader.searcher();
        let mut longest = 0;
        for segment in searcher.segment_readers() {
            if let Some(column) = segment.fast_fields().str(name::DOC)? {
                let mut stream = column.dictionary().stream()?;
                while stream.advance() {
                    longest = longest.max(String::from_utf8_lossy(stream.key()).chars().count());
                }
            }
        }
        Ok(longest)
    }

    /// Runs `query`, calling `each` for every hit in rank order, and returns
    /// the totals over all matches: the best `n` by score, or every hit in
    /// index order. See [`Searcher::run`] for the other orders.
    pub fn search(
        &self,
        query: &Query,
        limit: Limit,
        each: &mut dyn FnMut(Hit) -> Result<()>,
    ) -> Result<Totals> {
        let sort = match limit {
            Limit::Top(_) => Sort::Score,
            Limit::All => Sort::Index,
        };
        self.run(
            query,
            &Request {
                limit,
                sort,
                per_article: None,
            },
            each,
        )
    }

    /// The best `n` by score, equal scores in reading order (memory grows
    /// with `n`, not with the number of matches: [`top`]). With `scope`, `query` is not
    /// restricted to it: matches of other kinds are left out (and counted)
    /// while collecting, from the `kind` column, in the same pass.
    fn top_by_score(
        &self,
        query: &Query,
        scope: Option<&[Kind]>,
        n: usize,
        each: &mut dyn FnMut(Hit) -> Result<()>,
    ) -> Result<Totals> {
        let (searcher, tantivy_query, matchers) = self.plan(query)?;
        // No more hits than paragraphs: a huge --limit must not allocate for
        // hits that cannot exist.
        let n = n.min(usize::try_from(searcher.num_docs()).unwrap_or(usize::MAX));
        let collector = Tally {
            inner: TopByScore::with_columns(n.max(1), Arc::clone(&self.doc_columns)),
            scope: scope.map(<[Kind]>::to_vec),
        };
        let (top, totals) = split::search(&searcher, tantivy_query.as_ref(), &collector)?;
        // The best hits' stored paragraphs (a block to decompress each) and
        // snippets on the search threads too, a few at a time (memory does
        // not grow with `n`), handed on in rank order.
        let top: Vec<(u64, (Score, DocAddress))> = (1..).zip(top.into_iter().take(n)).collect();
        for chunk in top.chunks(HITS_LOADED_AT_ONCE) {
            let hits = searcher.index().search_executor().map(
                |&(rank, (score, address))| {
                    Ok(self.load(&searcher, rank, score, address, &matchers))
                },
                chunk.iter(),
            )?;
            for hit in hits {
                each(hit?)?;
            }
        }
        Ok(totals)
    }

    /// Every hit in index order, straight from tantivy's scorers: memory
    /// stays flat however many there are. With `Limit::Top(n)` only the
    /// first `n` are loaded; the rest are only counted.
    fn stream(
        &self,
        query: &Query,
        limit: Limit,
        each: &mut dyn FnMut(Hit) -> Result<()>,
    ) -> Result<Totals> {
        let (searcher, tantivy_query, matchers) = self.plan(query)?;
        let wanted = match limit {
            Limit::Top(n) => n as u64,
            Limit::All => u64::MAX,
        };
        let mut totals = Totals::default();
        let mut articles = searcher
            .segment_readers()
            .iter()
            .map(ArticleCount::open)
            .collect::<tantivy::Result<Vec<_>>>()?;
        results::for_each_match(&searcher, tantivy_query.as_ref(), true, &mut |m| {
            totals.paragraphs += 1;
            articles[m.segment_ord as usize].add(m.doc_id);
            if totals.paragraphs <= wanted {
                let doc: TantivyDocument = searcher.doc(m.address())?;
                each(self.hit(totals.paragraphs, m.score, m.address(), &doc, &matchers))?;
            }
            Ok(())
        })?;
        // An article's paragraphs are all in one segment.
        totals.articles = articles.iter().map(ArticleCount::len).sum();
        Ok(totals)
    }

    /// Loads the paragraph at `address` as a hit.
    fn load(
        &self,
        searcher: &tantivy::Searcher,
        rank: u64,
        score: Score,
        address: DocAddress,
        matchers: &[query::Matcher],
    ) -> Result<Hit> {
        let doc: TantivyDocument = searcher.doc(address)?;
        Ok(self.hit(rank, score, address, &doc, matchers))
    }

    /// Calls `each` for every matching paragraph, in index order, straight
    /// from tantivy's scorers: nothing is collected.
    fn stream_all(
        &self,
        searcher: &tantivy::Searcher,
        query: &dyn tantivy::query::Query,
        each: &mut dyn FnMut(Score, DocAddress, TantivyDocument) -> Result<()>,
    ) -> Result<()> {
        let weight = query.weight(EnableScoring::enabled_from_searcher(searcher))?;
        for (ordinal, segment) in searcher.segment_readers().iter().enumerate() {
            let mut scorer = weight.scorer(segment, 1.0)?;
            let mut doc_id = scorer.doc();
            while doc_id != tantivy::TERMINATED {
                if !segment.is_deleted(doc_id) {
                    let address = DocAddress::new(ordinal as u32, doc_id);
                    let doc: TantivyDocument = searcher.doc(address)?;
                    each(scorer.score(), address, doc)?;
                }
                doc_id = scorer.advance();
            }
        }
        Ok(())
    }

    /// How many paragraphs and articles match, without fetching them.
    pub fn count(&self, query: &Query) -> Result<Totals> {
        let searcher = self.reader.searcher();
        let query = self.prepare(&searcher, query)?;
        let collector = Tally {
            inner: Count,
            scope: None,
        };
        Ok(searcher
            .search(&query.to_tantivy(&self.fields, &self.sections), &collector)?
            .1)
    }

    /// A searcher, the prepared query as tantivy runs it, and what the
    /// highlighter marks.
    fn plan(
        &self,
        query: &Query,
    ) -> Result<(
        tantivy::Searcher,
        Box<dyn tantivy::query::Query>,
        Vec<query::Matcher>,
    )> {
        let searcher = self.reader.searcher();
        let query = self.prepare(&searcher, query)?;
        let tantivy_query = query.to_tantivy(&self.fields, &self.sections);
        Ok((searcher, tantivy_query, query.hit_matchers()))
    }

    /// `scoped` with what depends on the index filled in, once for the
    /// query and the counts of what its scope leaves out: running the
    /// result looks nothing up again.
    pub fn prepare_scoped(&self, scoped: &Scoped) -> Result<Scoped> {
        let unrestricted = self.prepare(&self.reader.searcher(), &scoped.unrestricted)?;
        Ok(Scoped::of(unrestricted, scoped.kinds.clone()))
    }

    /// The query with what depends on the index filled in (compounds,
    /// prefix expansions). Every way of running a query goes through here.
    fn prepare(&self, searcher: &tantivy::Searcher, query: &Query) -> Result<Query> {
        let mut query = query.clone();
        if query.expanded {
            return Ok(query);
        }
        query.expand(&self.lexicon(searcher))?;
        Ok(query)
    }

    fn lexicon<'a>(&'a self, searcher: &'a tantivy::Searcher) -> lexicon::IndexLexicon<'a> {
        lexicon::IndexLexicon::new(searcher, &self.fields)
    }

    /// How `query` scored `hit`: tantivy's explanation with field names.
    pub fn explain(&self, query: &Query, hit: &Hit) -> Result<serde_json::Value> {
        let searcher = self.reader.searcher();
        let query = self.prepare(&searcher, query)?;
        let explanation = query
            .to_tantivy(&self.fields, &self.sections)
            .explain(&searcher, hit.address)?;
        let mut value = serde_json::to_value(&explanation)?;
        let schema = searcher.schema();
        name_fields(&mut value, &|id| {
            schema
                .fields()
                .find(|(f, _)| f.field_id() == id)
                .map(|(_, entry)| entry.name().to_string())
        });
        Ok(value)
    }

    fn hit(
        &self,
        rank: u64,
        score: Score,
        address: DocAddress,
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
            title: str_field(doc, f.title_shown),
            heading: str_field(doc, f.heading_shown),
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
            explanation: None,
            address,
            text,
        }
    }
}

/// Replaces "field=12" in explanation texts by the field's name.
fn name_fields(value: &mut serde_json::Value, name_of: &dyn Fn(u32) -> Option<String>) {
    match value {
        serde_json::Value::String(s) => {
            if let Some(start) = s.find("field=") {
                let digits: String = s[start + 6..]
                    .chars()
                    .take_while(char::is_ascii_digit)
                    .collect();
                if let Some(name) = digits.parse().ok().and_then(name_of) {
                    *s = s.replacen(&format!("field={digits}"), &format!("field={name}"), 1);
                }
            }
        }
        serde_json::Value::Array(items) => items.iter_mut().for_each(|v| name_fields(v, name_of)),
        serde_json::Value::Object(map) => map.values_mut().for_each(|v| name_fields(v, name_of)),
        _ => {}
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
