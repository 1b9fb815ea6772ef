//! Result lists beyond "the best N by score": every hit sorted by date or in
//! reading order, at most N paragraphs per article, one row per article, and
//! counts per date, language, kind or article.
//!
//! Two strategies, chosen by what is asked:
//! - **streaming** (index order, no grouping): hits are loaded and handed on
//!   as tantivy's scorers find them; memory stays flat for any number of
//!   hits. This is what `export` does by default.
//! - **candidates** (any other order, or grouping): first every match is
//!   noted as a small [`Candidate`] (score, address and sort keys from fast
//!   columns, 24 bytes), then the candidates are sorted and grouped, and only
//!   the paragraphs that are shown are loaded. Memory grows with the number
//!   of matches (24 MB for a million), never with their text.

use std::cmp::Ordering;
use std::collections::{BTreeMap, HashSet};

use anyhow::{Result, bail};
use rustc_hash::{FxHashMap, FxHashSet};
use tantivy::columnar::{Column, StrColumn};
use tantivy::query::{EnableScoring, Query as TantivyQuery};
use tantivy::{DocAddress, DocId, Score};

use super::{Hit, Limit, Query, Scoped, Searcher, Totals};
use crate::index::schema::{GROUPINGS, name};

/// The order of a result list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sort {
    /// Best BM25 score first.
    Score,
    /// Oldest article first (undated last); same date: best score first.
    Date,
    /// Reading order: by article id, then paragraph number.
    Doc,
    /// As the index holds them (file order for a fresh index); streamed.
    Index,
}

/// What to return: how many, in which order, how many per article.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Request {
    pub limit: Limit,
    pub sort: Sort,
    /// At most this many (best-scoring) paragraphs per article; the articles
    /// are then ordered by `sort` applied to their best paragraph.
    pub per_article: Option<usize>,
}

/// One matching article: its best paragraph and how many paragraphs matched.
#[derive(Debug, Clone)]
pub struct ArticleHit {
    /// The best-scoring paragraph, with the article's rank in the list.
    pub best: Hit,
    /// Number of matching paragraphs in the article.
    pub matches: u64,
}

/// A row of `count --by`: how many paragraphs and articles have this value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Group {
    /// The value (`None`: the paragraph has none, e.g. an undated article).
    pub key: Option<String>,
    pub paragraphs: u64,
    pub articles: u64,
}

/// A match as tantivy's scorer reports it.
pub(super) struct Match {
    pub segment_ord: u32,
    pub doc_id: DocId,
    pub score: Score,
}

impl Match {
    pub fn address(&self) -> DocAddress {
        DocAddress::new(self.segment_ord, self.doc_id)
    }
}

/// Calls `f` for every live paragraph matching `query`, in index order.
pub(super) fn for_each_match(
    searcher: &tantivy::Searcher,
    query: &dyn TantivyQuery,
    scoring: bool,
    f: &mut dyn FnMut(Match) -> Result<()>,
) -> Result<()> {
    let enable = if scoring {
        EnableScoring::enabled_from_searcher(searcher)
    } else {
        EnableScoring::disabled_from_searcher(searcher)
    };
    let weight = query.weight(enable)?;
    for (ordinal, segment) in searcher.segment_readers().iter().enumerate() {
        let mut scorer = weight.scorer(segment, 1.0)?;
        let mut doc_id = scorer.doc();
        while doc_id != tantivy::TERMINATED {
            if !segment.is_deleted(doc_id) {
                f(Match {
                    segment_ord: ordinal as u32,
                    doc_id,
                    score: if scoring { scorer.score() } else { 0.0 },
                })?;
            }
            doc_id = scorer.advance();
        }
    }
    Ok(())
}

/// For each segment, the rank of each local ordinal of a fast string field
/// among the field's values over all segments: local ordinals only compare
/// within one segment.
struct GlobalValues {
    /// `ranks[segment][local ordinal]`.
    ranks: Vec<Vec<u32>>,
}

fn column_values(column: &StrColumn) -> Result<Vec<String>> {
    let mut values = Vec::with_capacity(column.num_terms());
    let mut stream = column.dictionary().stream()?;
    while stream.advance() {
        values.push(String::from_utf8_lossy(stream.key()).into_owned());
    }
    Ok(values)
}

impl GlobalValues {
    fn of(columns: &[Option<StrColumn>]) -> Result<GlobalValues> {
        let local: Vec<Vec<String>> = columns
            .iter()
            .map(|c| c.as_ref().map_or(Ok(Vec::new()), column_values))
            .collect::<Result<_>>()?;
        let mut values: Vec<String> = local.iter().flatten().cloned().collect();
        values.sort_unstable();
        values.dedup();
        let ranks = local
            .iter()
            .map(|segment| {
                segment
                    .iter()
                    .map(|v| values.binary_search(v).unwrap_or(0) as u32)
                    .collect()
            })
            .collect();
        Ok(GlobalValues { ranks })
    }

    /// The global rank of the first value `doc` has in `column`.
    fn rank(&self, segment: usize, column: Option<&StrColumn>, doc: DocId) -> Option<u32> {
        let ord = column?.term_ords(doc).next()?;
        self.ranks.get(segment)?.get(ord as usize).copied()
    }
}

/// A noted match: everything needed to order and group it, nothing more.
#[derive(Debug, Clone, Copy)]
struct Candidate {
    score: Score,
    address: DocAddress,
    /// Global rank of the article id.
    doc: u32,
    /// Global rank of the date; `u32::MAX` when undated (sorts last).
    date: u32,
    para: u32,
}

/// Best score first; equal scores in reading order (article id, then
/// paragraph), as the best `n` by score (`top`) has them: not in the order
/// they are stored, which depends on the indexing threads.
fn by_score(a: &Candidate, b: &Candidate) -> Ordering {
    b.score
        .total_cmp(&a.score)
        .then_with(|| (a.doc, a.para, a.address).cmp(&(b.doc, b.para, b.address)))
}

fn compare(sort: Sort, a: &Candidate, b: &Candidate) -> Ordering {
    match sort {
        Sort::Score => by_score(a, b),
        Sort::Date => a.date.cmp(&b.date).then_with(|| by_score(a, b)),
        Sort::Doc => (a.doc, a.para, a.address).cmp(&(b.doc, b.para, b.address)),
        Sort::Index => a.address.cmp(&b.address),
    }
}

/// The paragraphs of one article among the candidates, best first.
struct ArticleGroup {
    members: Vec<Candidate>,
    matches: u64,
    /// Where the article's first matching paragraph is.
    first: DocAddress,
}

impl ArticleGroup {
    fn best(&self) -> &Candidate {
        &self.members[0]
    }
}

/// Groups candidates by article; each group's members best first, cut to
/// `keep`.
fn group_by_article(mut candidates: Vec<Candidate>, keep: usize) -> Vec<ArticleGroup> {
    candidates.sort_unstable_by(|a, b| a.doc.cmp(&b.doc).then_with(|| by_score(a, b)));
    let mut groups: Vec<ArticleGroup> = Vec::new();
    for c in candidates {
        match groups.last_mut() {
            Some(g) if g.best().doc == c.doc => {
                g.matches += 1;
                g.first = g.first.min(c.address);
                if g.members.len() < keep {
                    g.members.push(c);
                }
            }
            _ => groups.push(ArticleGroup {
                members: vec![c],
                matches: 1,
                first: c.address,
            }),
        }
    }
    groups
}

/// Articles in the order of `sort` applied to their best paragraph (in
/// index order: their first paragraph).
fn order_groups(groups: &mut [ArticleGroup], sort: Sort) {
    match sort {
        Sort::Index => {
            for g in groups.iter_mut() {
                g.members.sort_unstable_by_key(|c| c.address);
            }
            groups.sort_unstable_by_key(|g| g.first);
        }
        _ => {
            groups.sort_unstable_by(|a, b| compare(sort, a.best(), b.best()));
            if sort == Sort::Doc {
                for g in groups.iter_mut() {
                    g.members.sort_unstable_by(|a, b| compare(Sort::Doc, a, b));
                }
            }
        }
    }
}

fn take(limit: Limit) -> usize {
    match limit {
        Limit::Top(n) => n,
        Limit::All => usize::MAX,
    }
}

impl Searcher {
    /// Runs `query` as `request` asks, calling `each` for every hit in
    /// order, and returns the totals over all matches.
    pub fn run(
        &self,
        query: &Query,
        request: &Request,
        each: &mut dyn FnMut(Hit) -> Result<()>,
    ) -> Result<Totals> {
        match (request.sort, request.per_article, request.limit) {
            (Sort::Index, None, limit) => self.stream(query, limit, each),
            (Sort::Score, None, Limit::Top(n)) => self.top_by_score(query, None, n, each),
            (sort, per_article, limit) => {
                let searcher = self.reader.searcher();
                let query = &self.prepare(&searcher, query)?;
                let matchers = query.hit_matchers();
                let candidates = self.candidates(&searcher, query)?;
                let totals = totals_of(&candidates);
                let chosen: Vec<Candidate> = match per_article {
                    None => sorted_prefix(candidates, take(limit), |a, b| compare(sort, a, b)),
                    Some(keep) => {
                        let mut groups = group_by_article(candidates, keep);
                        order_groups(&mut groups, sort);
                        groups
                            .into_iter()
                            .flat_map(|g| g.members)
                            .take(take(limit))
                            .collect()
                    }
                };
                for (rank, c) in chosen.iter().enumerate() {
                    each(self.load(&searcher, rank as u64 + 1, c.score, c.address, &matchers)?)?;
                }
                Ok(totals)
            }
        }
    }

    /// Like [`Searcher::run`] on the restricted query, with the matches the
    /// scope leaves out counted in `Totals::out_of_scope`. The best `n` by
    /// score take one pass: the unrestricted query, with the scope applied
    /// while collecting.
    pub fn run_scoped(
        &self,
        scoped: &Scoped,
        request: &Request,
        each: &mut dyn FnMut(Hit) -> Result<()>,
    ) -> Result<Totals> {
        match (request.sort, request.per_article, request.limit) {
            (Sort::Score, None, Limit::Top(n)) => {
                let mut totals =
                    self.top_by_score(&scoped.unrestricted, scoped.kinds.as_deref(), n, each)?;
                totals.left_out_kinds = scoped.left_out_kinds();
                Ok(totals)
            }
            _ => {
                // One look-up of compounds and prefixes for both runs.
                let scoped = &self.prepare_scoped(scoped)?;
                let mut totals = self.run(&scoped.query, request, each)?;
                self.count_left_out(scoped, &mut totals)?;
                Ok(totals)
            }
        }
    }

    /// Counts the matching paragraphs the scope leaves out into `totals`,
    /// with the kinds it leaves out.
    pub fn count_left_out(&self, scoped: &Scoped, totals: &mut Totals) -> Result<()> {
        totals.out_of_scope = match &scoped.left_out {
            Some(q) => self.count(q)?.paragraphs,
            None => 0,
        };
        totals.left_out_kinds = scoped.left_out_kinds();
        Ok(())
    }

    /// One row per matching article (its best paragraph and the number of
    /// its matching paragraphs), ordered as `request.sort` says; the limit
    /// counts articles.
    pub fn articles(
        &self,
        query: &Query,
        request: &Request,
        each: &mut dyn FnMut(ArticleHit) -> Result<()>,
    ) -> Result<Totals> {
        let searcher = self.reader.searcher();
        let query = &self.prepare(&searcher, query)?;
        let matchers = query.hit_matchers();
        let candidates = self.candidates(&searcher, query)?;
        let totals = totals_of(&candidates);
        let mut groups = group_by_article(candidates, 1);
        order_groups(&mut groups, request.sort);
        for (rank, g) in groups.iter().take(take(request.limit)).enumerate() {
            let best = g.best();
            let hit = self.load(
                &searcher,
                rank as u64 + 1,
                best.score,
                best.address,
                &matchers,
            )?;
            each(ArticleHit {
                best: hit,
                matches: g.matches,
            })?;
        }
        Ok(totals)
    }

    /// Notes every match with its sort keys.
    fn candidates(&self, searcher: &tantivy::Searcher, query: &Query) -> Result<Vec<Candidate>> {
        let segments = searcher.segment_readers();
        let str_columns = |field: &str| -> Result<Vec<Option<StrColumn>>> {
            segments
                .iter()
                .map(|s| Ok(s.fast_fields().str(field)?))
                .collect()
        };
        let docs = str_columns(name::DOC)?;
        let dates = str_columns(name::DATE)?;
        let paras: Vec<Option<Column<u64>>> = segments
            .iter()
            .map(|s| s.fast_fields().u64(name::PARA).ok())
            .collect();
        let doc_ranks = GlobalValues::of(&docs)?;
        let date_ranks = GlobalValues::of(&dates)?;
        let mut out = Vec::new();
        let tantivy_query = query.to_tantivy(&self.fields, &self.sections);
        for_each_match(searcher, tantivy_query.as_ref(), true, &mut |m| {
            let s = m.segment_ord as usize;
            out.push(Candidate {
                score: m.score,
                address: m.address(),
                doc: doc_ranks
                    .rank(s, docs[s].as_ref(), m.doc_id)
                    .unwrap_or(u32::MAX),
                date: date_ranks
                    .rank(s, dates[s].as_ref(), m.doc_id)
                    .unwrap_or(u32::MAX),
                para: paras[s]
                    .as_ref()
                    .and_then(|c| c.first(m.doc_id))
                    .map_or(0, |p| u32::try_from(p).unwrap_or(u32::MAX)),
            });
            Ok(())
        })?;
        Ok(out)
    }

    /// How many matching paragraphs and articles have each value of
    /// `grouping` (one of [`GROUPINGS`]), sorted by value, undated or
    /// unset last.
    pub fn count_by(&self, query: &Query, grouping: &str) -> Result<Vec<Group>> {
        let available = self.groupings();
        if !available.contains(&grouping) {
            let reason = if GROUPINGS.contains(&grouping) {
                format!("this index records no '{grouping}'")
            } else {
                format!("'{grouping}' is not a grouping")
            };
            bail!(
                "cannot count by '{grouping}': {reason}; count by one of: {}",
                available.join(", ")
            );
        }
        let (field, month) = match grouping {
            "month" => (name::DATE, true),
            other => (other, false),
        };
        let searcher = self.reader.searcher();
        let query = &self.prepare(&searcher, query)?;
        let segments = searcher.segment_readers();
        let mut keys = Vec::with_capacity(segments.len());
        let mut docs = Vec::with_capacity(segments.len());
        for s in segments {
            keys.push(s.fast_fields().str(field)?);
            docs.push(s.fast_fields().str(name::DOC)?);
        }
        // Per segment: key ordinal (None: no value) → paragraphs, and the
        // distinct (key ordinal, article ordinal) pairs. Ordinals, not
        // strings: each key is turned into its string once per segment.
        #[derive(Default, Clone)]
        struct Tally {
            paragraphs: FxHashMap<Option<u64>, u64>,
            articles: FxHashSet<(Option<u64>, u64)>,
        }
        let mut tallies: Vec<Tally> = vec![Tally::default(); segments.len()];
        let tantivy_query = query.to_tantivy(&self.fields, &self.sections);
        for_each_match(&searcher, tantivy_query.as_ref(), false, &mut |m| {
            let s = m.segment_ord as usize;
            let doc_ord = docs[s].as_ref().and_then(|c| c.term_ords(m.doc_id).next());
            let tally = &mut tallies[s];
            let mut note = |key: Option<u64>| {
                *tally.paragraphs.entry(key).or_default() += 1;
                if let Some(doc) = doc_ord {
                    tally.articles.insert((key, doc));
                }
            };
            let mut any = false;
            if let Some(column) = &keys[s] {
                for ord in column.term_ords(m.doc_id) {
                    any = true;
                    note(Some(ord));
                }
            }
            if !any {
                note(None);
            }
            Ok(())
        })?;
        // Articles are summed over segments (an article's paragraphs are all
        // in one segment, see `tally::distinct`) and over the dates of a
        // month (an article has one date).
        let mut merged: BTreeMap<(bool, Option<String>), (u64, u64)> = BTreeMap::new();
        for (s, tally) in tallies.into_iter().enumerate() {
            let mut articles: FxHashMap<Option<u64>, u64> = FxHashMap::default();
            for (key, _) in tally.articles {
                *articles.entry(key).or_default() += 1;
            }
            for (key_ord, paragraphs) in tally.paragraphs {
                let mut key = match (key_ord, &keys[s]) {
                    (Some(ord), Some(column)) => ord_to_string(column, ord)?,
                    _ => None,
                };
                if month {
                    key = key.map(|d| d.chars().take(7).collect());
                }
                // Sort real values first, the missing value last.
                let entry = merged.entry((key.is_none(), key)).or_default();
                entry.0 += paragraphs;
                entry.1 += articles.get(&key_ord).copied().unwrap_or(0);
            }
        }
        Ok(merged
            .into_iter()
            .map(|((_, key), (paragraphs, articles))| Group {
                key,
                paragraphs,
                articles,
            })
            .collect())
    }

    /// The groupings this index supports, in the order of [`GROUPINGS`].
    pub fn groupings(&self) -> Vec<&'static str> {
        let schema = self.reader.searcher().schema().clone();
        GROUPINGS
            .iter()
            .copied()
            .filter(|g| {
                let field = if *g == "month" { name::DATE } else { g };
                schema
                    .get_field(field)
                    .is_ok_and(|f| schema.get_field_entry(f).is_fast())
            })
            .collect()
    }
}

fn ord_to_string(column: &StrColumn, ord: u64) -> Result<Option<String>> {
    let mut s = String::new();
    Ok(column.ord_to_str(ord, &mut s)?.then_some(s))
}

fn totals_of(candidates: &[Candidate]) -> Totals {
    let articles: HashSet<u32> = candidates.iter().map(|c| c.doc).collect();
    Totals {
        paragraphs: candidates.len() as u64,
        articles: articles.len() as u64,
        ..Totals::default()
    }
}

/// The first `n` of `items` in the order of `cmp`, sorted; a partial sort
/// when `n` is smaller than the list.
fn sorted_prefix<T>(mut items: Vec<T>, n: usize, cmp: impl Fn(&T, &T) -> Ordering) -> Vec<T> {
    if n < items.len() {
        if n == 0 {
            return Vec::new();
        }
        items.select_nth_unstable_by(n - 1, &cmp);
        items.truncate(n);
    }
    items.sort_unstable_by(&cmp);
    items
}

#[cfg(test)]
mod tests {
    use super::*;

    fn c(doc: u32, score: f32, seq: u32) -> Candidate {
        Candidate {
            score,
            address: DocAddress::new(0, seq),
            doc,
            date: doc,
            para: seq,
        }
    }

    #[test]
    fn sorted_prefix_is_the_head_of_the_full_sort() {
        let items: Vec<u32> = (0..100).map(|i| (i * 37) % 101).collect();
        let mut full = items.clone();
        full.sort_unstable();
        for n in [0, 1, 5, 99, 100, 1000] {
            let head = sorted_prefix(items.clone(), n, |a, b| a.cmp(b));
            assert_eq!(head, full[..n.min(full.len())]);
        }
    }

    #[test]
    fn articles_keep_their_best_paragraphs_and_are_ranked_by_the_best() {
        let candidates = vec![
            c(0, 1.0, 0),
            c(0, 3.0, 1),
            c(0, 2.0, 2),
            c(1, 5.0, 3),
            c(1, 0.5, 4),
            c(2, 0.1, 5),
        ];
        let mut groups = group_by_article(candidates, 2);
        order_groups(&mut groups, Sort::Score);
        let shown: Vec<Vec<u32>> = groups
            .iter()
            .map(|g| g.members.iter().map(|c| c.address.doc_id).collect())
            .collect();
        assert_eq!(shown, vec![vec![3, 4], vec![1, 2], vec![5]]);
        let matches: Vec<u64> = groups.iter().map(|g| g.matches).collect();
        assert_eq!(matches, [2, 3, 1]);
    }

    #[test]
    fn date_order_puts_undated_last_and_breaks_ties_by_score() {
        let mut items = vec![c(0, 1.0, 0), c(0, 2.0, 1), c(1, 9.0, 2)];
        items[0].date = 5;
        items[1].date = 5;
        items[2].date = u32::MAX;
        let sorted = sorted_prefix(items, 10, |a, b| compare(Sort::Date, a, b));
        let order: Vec<u32> = sorted.iter().map(|c| c.address.doc_id).collect();
        assert_eq!(order, [1, 0, 2]);
    }
}
