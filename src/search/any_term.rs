//! Any of many terms of one field, each with a boost: scored as tantivy's
//! `BooleanQuery` of boosted `TermQuery` SHOULD clauses scores it, the BM25
//! score of each term a paragraph has, times the term's boost, summed.
//!
//! A word with its compounds is hundreds of terms (`Benutzer`: the stem
//! and 240 compounds), most of them in a few paragraphs. For each term of
//! each segment (and of each range of one, [`super::split`]) tantivy makes
//! a scorer of more than a kilobyte, with a BM25 weight that carries the
//! explanation of its idf and a table of 256 norms, and its union walks
//! them all, window by window. For a word with compounds that was about a
//! millisecond of a search process before the first match (BENCHMARKS.md,
//! nineteenth round). Here the terms in at most [`RARE_DOCS`] paragraphs
//! of the index are read at once: each segment's scorer reads their
//! postings, scores each posting as tantivy would, and keeps one list of
//! documents with their summed scores, which the frequent terms' own
//! scorers join as one more clause.

use std::fmt;
use std::sync::Arc;

use tantivy::fieldnorm::FieldNormReader;
use tantivy::query::{
    Bm25StatisticsProvider, Bm25Weight, BooleanQuery, BoostQuery, EmptyScorer, EnableScoring,
    Explanation, Occur, Query, Scorer, TermQuery, Weight,
};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{DocId, DocSet, Score, SegmentReader, TERMINATED, TantivyError, Term};

/// A term in at most this many paragraphs of the index is read at once.
/// Its postings fit in two blocks of 128; a range of a segment reads them
/// for the whole segment, which costs less than a scorer for the term.
const RARE_DOCS: u64 = 256;

/// Matches of any of `terms` (all of one field), scored as the sum of the
/// BM25 scores of those a paragraph has, each times its boost.
#[derive(Clone)]
pub struct AnyTerm {
    terms: Vec<(Term, Score)>,
}

impl AnyTerm {
    /// `terms` with their boosts, all of one field.
    pub fn new(terms: Vec<(Term, Score)>) -> AnyTerm {
        AnyTerm { terms }
    }
}

impl fmt::Debug for AnyTerm {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "AnyTerm({} terms, first {:?})",
            self.terms.len(),
            self.terms.first()
        )
    }
}

/// A term query, boosted when its boost is not 1.
fn term_query(term: &Term, boost: Score) -> Box<dyn Query> {
    let query = Box::new(TermQuery::new(term.clone(), IndexRecordOption::WithFreqs));
    if boost == 1.0 {
        query
    } else {
        Box::new(BoostQuery::new(query, boost))
    }
}

impl Query for AnyTerm {
    fn weight(&self, scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        let statistics: Option<&dyn Bm25StatisticsProvider> = match scoring {
            EnableScoring::Enabled {
                statistics_provider,
                ..
            } => Some(statistics_provider),
            EnableScoring::Disabled { searcher_opt, .. } => {
                searcher_opt.map(|s| s as &dyn Bm25StatisticsProvider)
            }
        };
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        let mut rare = Vec::new();
        let total_docs = match statistics {
            Some(statistics) => statistics.total_num_docs()?,
            None => 0,
        };
        for (term, boost) in &self.terms {
            let docs = match statistics {
                Some(statistics) => statistics.doc_freq(term)?,
                // Without statistics every term gets tantivy's scorer.
                None => u64::MAX,
            };
            if docs == 0 {
                continue;
            }
            if docs <= RARE_DOCS {
                rare.push(Rare {
                    term: term.clone(),
                    boost: *boost,
                    docs,
                    weight: idf(docs, total_docs) * (1.0 + K1),
                });
            } else {
                clauses.push((Occur::Should, term_query(term, *boost)));
            }
        }
        if let (Some(first), Some(statistics)) = (rare.first(), statistics) {
            let field = first.term.field();
            let average_fieldnorm =
                statistics.total_num_tokens(field)? as Score / total_docs as Score;
            clauses.push((
                Occur::Should,
                Box::new(RareTermsQuery(Arc::new(RareTerms {
                    field,
                    terms: rare,
                    norms: norms(average_fieldnorm),
                    scoring: scoring.is_scoring_enabled(),
                    total_docs,
                    average_fieldnorm,
                }))),
            ));
        }
        if clauses.is_empty() {
            return Ok(Box::new(tantivy::query::EmptyWeight));
        }
        BooleanQuery::new(clauses).weight(scoring)
    }

    fn query_terms<'a>(&'a self, visitor: &mut dyn FnMut(&'a Term, bool)) {
        for (term, _) in &self.terms {
            visitor(term, false);
        }
    }
}

// BM25 as tantivy computes it (`tantivy::query::bm25`, whose parts are
// private), operation for operation, so that a rare term scores exactly
// what its `TermQuery` scores (tested below).
const K1: Score = 1.2;
const B: Score = 0.75;

fn idf(doc_freq: u64, doc_count: u64) -> Score {
    let x = (doc_count.saturating_sub(doc_freq) as Score + 0.5) / (doc_freq as Score + 0.5);
    (1.0 + x).ln()
}

/// The length part of the BM25 denominator for each field norm id.
fn norms(average_fieldnorm: Score) -> [Score; 256] {
    let mut norms = [0.0; 256];
    for (id, norm) in norms.iter_mut().enumerate() {
        let fieldnorm = FieldNormReader::id_to_fieldnorm(id as u8);
        *norm = K1 * (1.0 - B + B * fieldnorm as Score / average_fieldnorm);
    }
    norms
}

/// A rare term with its boost, its number of paragraphs in the index and
/// its BM25 weight (idf times (1 + k1), before the boost).
#[derive(Debug, Clone)]
struct Rare {
    term: Term,
    boost: Score,
    docs: u64,
    weight: Score,
}

/// The rare terms as a query of their own, for the `BooleanQuery` that
/// joins them to the frequent ones: their weights are already computed
/// (by [`AnyTerm::weight`]), so its weight only shares them.
#[derive(Clone)]
struct RareTermsQuery(Arc<RareTerms>);

impl fmt::Debug for RareTermsQuery {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "RareTermsQuery({} terms)", self.0.terms.len())
    }
}

impl Query for RareTermsQuery {
    fn weight(&self, _: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        Ok(Box::new(RareTermsWeight(Arc::clone(&self.0))))
    }

    fn query_terms<'a>(&'a self, visitor: &mut dyn FnMut(&'a Term, bool)) {
        for rare in &self.0.terms {
            visitor(&rare.term, false);
        }
    }
}

/// The rare terms of one field with what scoring them needs.
struct RareTerms {
    field: Field,
    terms: Vec<Rare>,
    /// The length part of the BM25 denominator by field norm id.
    norms: [Score; 256],
    scoring: bool,
    /// For explanations, as tantivy gives them.
    total_docs: u64,
    average_fieldnorm: Score,
}

/// Each segment's scorer reads all the rare terms' postings at once.
struct RareTermsWeight(Arc<RareTerms>);

impl RareTerms {
    /// Each rare term's postings in `reader`, a block of documents and
    /// their term frequencies at a time, passed to `each` with the term.
    fn postings(
        &self,
        reader: &SegmentReader,
        mut each: impl FnMut(&Rare, &[DocId], &[u32]),
    ) -> tantivy::Result<()> {
        let index = reader.inverted_index(self.field)?;
        let option = if self.scoring {
            IndexRecordOption::WithFreqs
        } else {
            IndexRecordOption::Basic
        };
        for rare in &self.terms {
            let Some(info) = index.get_term_info(&rare.term)? else {
                continue;
            };
            let mut block = index.read_block_postings_from_terminfo(&info, option)?;
            loop {
                let docs = block.docs();
                if docs.is_empty() {
                    break;
                }
                each(rare, docs, block.freqs());
                block.advance();
            }
        }
        Ok(())
    }

    fn fieldnorms(&self, reader: &SegmentReader) -> tantivy::Result<FieldNormReader> {
        Ok(reader
            .fieldnorms_readers()
            .get_field(self.field)?
            .unwrap_or_else(|| FieldNormReader::constant(reader.max_doc(), 1)))
    }
}

impl Weight for RareTermsWeight {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        let weight = &self.0;
        let fieldnorms = weight.fieldnorms(reader)?;
        // Each posting as its document and its score's bits, sorted: by
        // document, and a document's scores in increasing order (the
        // order of positive floats' bits), in which they are summed.
        let mut postings: Vec<u64> = Vec::new();
        weight.postings(reader, |rare, docs, freqs| {
            // As tantivy boosts a term's BM25 weight: by the product of
            // the boosts above it and its own.
            let factor = boost * rare.boost;
            let term_weight = if factor == 1.0 {
                rare.weight
            } else {
                rare.weight * factor
            };
            for (at, &doc) in docs.iter().enumerate() {
                let score: Score = if weight.scoring {
                    let freq = freqs.get(at).copied().unwrap_or(1) as Score;
                    let norm = weight.norms[fieldnorms.fieldnorm_id(doc) as usize];
                    term_weight * (freq / (freq + norm))
                } else {
                    0.0
                };
                postings.push(u64::from(doc) << 32 | u64::from(score.to_bits()));
            }
        })?;
        if postings.is_empty() {
            return Ok(Box::new(EmptyScorer));
        }
        let cost = postings.len() as u64;
        postings.sort_unstable();
        let mut docs: Vec<DocId> = Vec::with_capacity(postings.len());
        let mut scores: Vec<Score> = Vec::with_capacity(postings.len());
        for posting in postings {
            let doc = (posting >> 32) as DocId;
            let score = Score::from_bits(posting as u32);
            match (docs.last(), scores.last_mut()) {
                (Some(&last), Some(sum)) if last == doc => *sum += score,
                _ => {
                    docs.push(doc);
                    scores.push(score);
                }
            }
        }
        Ok(Box::new(ListScorer {
            docs,
            scores,
            at: 0,
            cost,
        }))
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        let weight = &self.0;
        let fieldnorms = weight.fieldnorms(reader)?;
        let fieldnorm_id = fieldnorms.fieldnorm_id(doc);
        let mut details = Vec::new();
        weight.postings(reader, |rare, docs, freqs| {
            let Ok(at) = docs.binary_search(&doc) else {
                return;
            };
            let freq = freqs.get(at).copied().unwrap_or(1);
            // tantivy's explanation of a term query's score, boosted as a
            // boost query explains it.
            let mut term =
                Bm25Weight::for_one_term(rare.docs, weight.total_docs, weight.average_fieldnorm)
                    .explain(fieldnorm_id, freq);
            term.add_context(format!("Term={:?}", rare.term));
            details.push(if rare.boost == 1.0 {
                term
            } else {
                let mut boosted = Explanation::new_with_string(
                    format!("Boost x{} of ...", rare.boost),
                    term.value() * rare.boost,
                );
                boosted.add_detail(term);
                boosted
            });
        })?;
        if details.is_empty() {
            return Err(TantivyError::InvalidArgument(format!(
                "Document #({doc}) does not match"
            )));
        }
        let mut scorer = self.scorer(reader, 1.0)?;
        let score = if scorer.seek(doc) == doc {
            scorer.score()
        } else {
            0.0
        };
        let mut explanation = Explanation::new("sum of the rare terms it has", score);
        for detail in details {
            explanation.add_detail(detail);
        }
        Ok(explanation)
    }
}

/// Documents in increasing order, each with its score.
struct ListScorer {
    docs: Vec<DocId>,
    scores: Vec<Score>,
    at: usize,
    /// The postings read (a document with two of the terms counts twice),
    /// as tantivy's union of their scorers would cost.
    cost: u64,
}

impl DocSet for ListScorer {
    fn advance(&mut self) -> DocId {
        self.at = (self.at + 1).min(self.docs.len());
        self.doc()
    }

    fn seek(&mut self, target: DocId) -> DocId {
        if self.doc() < target {
            self.at += self.docs[self.at..].partition_point(|&d| d < target);
        }
        self.doc()
    }

    fn doc(&self) -> DocId {
        self.docs.get(self.at).copied().unwrap_or(TERMINATED)
    }

    fn size_hint(&self) -> u32 {
        (self.docs.len() - self.at) as u32
    }

    fn cost(&self) -> u64 {
        self.cost
    }
}

impl Scorer for ListScorer {
    fn score(&mut self) -> Score {
        self.scores.get(self.at).copied().unwrap_or(0.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tantivy::collector::{Count, DocSetCollector, TopDocs};
    use tantivy::schema::{Schema, TEXT};
    use tantivy::{DocAddress, Index, IndexWriter, TantivyDocument};

    /// Paragraphs of a few frequent words (in about a third of them each)
    /// and many rare ones (`r0` … `r59`, each in a few), of varied
    /// lengths, in two segments, some deleted; and the text field.
    fn corpus() -> (Index, Field) {
        let mut b = Schema::builder();
        let text = b.add_text_field("text", TEXT);
        let index = Index::create_in_ram(b.build());
        let mut writer: IndexWriter = index.writer_with_num_threads(1, 15_000_000).unwrap();
        let mut state = 7u64;
        let mut next = |n: u64| {
            state = state
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (state >> 33) % n
        };
        for segment in 0..2 {
            for _ in 0..1500 {
                let mut words = Vec::new();
                for _ in 0..1 + next(12) {
                    words.push(match next(10) {
                        0..=5 => ["a", "b", "c"][next(3) as usize].to_string(),
                        _ => format!("r{}", next(60)),
                    });
                }
                let mut doc = TantivyDocument::new();
                doc.add_text(text, words.join(" "));
                writer.add_document(doc).unwrap();
            }
            if segment == 1 {
                writer.delete_term(Term::from_field_text(text, "r7"));
            }
            writer.commit().unwrap();
        }
        (index, text)
    }

    /// The terms asked for: frequent and rare ones (and one in no
    /// paragraph), with boosts of 1 and less.
    fn terms(text: Field) -> Vec<(Term, Score)> {
        let mut terms = vec![(Term::from_field_text(text, "a"), 1.0)];
        terms.push((Term::from_field_text(text, "b"), 0.1));
        for i in 0..60 {
            let boost = if i % 3 == 0 { 1.0 } else { 0.1 };
            terms.push((Term::from_field_text(text, &format!("r{i}")), boost));
        }
        terms.push((Term::from_field_text(text, "nowhere"), 0.1));
        terms
    }

    /// The same as a `BooleanQuery` of boosted term queries.
    fn boolean(terms: &[(Term, Score)]) -> BooleanQuery {
        BooleanQuery::new(
            terms
                .iter()
                .map(|(t, b)| (Occur::Should, term_query(t, *b)))
                .collect(),
        )
    }

    fn all_scored(index: &Index, query: &dyn Query) -> Vec<(DocAddress, Score)> {
        let searcher = index.reader().unwrap().searcher();
        let mut hits = searcher
            .search(query, &TopDocs::with_limit(100_000).order_by_score())
            .unwrap()
            .into_iter()
            .map(|(s, a)| (a, s))
            .collect::<Vec<_>>();
        hits.sort_by_key(|&(a, _)| a);
        hits
    }

    #[test]
    fn the_corpus_has_rare_and_frequent_terms() {
        let (index, text) = corpus();
        let searcher = index.reader().unwrap().searcher();
        let docs = |w: &str| searcher.doc_freq(&Term::from_field_text(text, w)).unwrap();
        assert!(docs("a") > RARE_DOCS && docs("b") > RARE_DOCS);
        assert!((0..60).all(|i| (1..=RARE_DOCS).contains(&docs(&format!("r{i}")))));
    }

    #[test]
    fn scores_as_a_boolean_query_of_its_terms() {
        let (index, text) = corpus();
        let terms = terms(text);
        for terms in [&terms[..], &terms[2..], &terms[..2], &terms[5..6]] {
            let ours = all_scored(&index, &AnyTerm::new(terms.to_vec()));
            let theirs = all_scored(&index, &boolean(terms));
            assert!(!theirs.is_empty());
            assert_eq!(ours.len(), theirs.len());
            for ((a, s), (b, t)) in ours.iter().zip(&theirs) {
                assert_eq!(a, b);
                assert!((s - t).abs() <= t.abs() * 1e-6, "{a:?}: {s} against {t}");
            }
        }
    }

    #[test]
    fn a_rare_term_alone_scores_exactly_as_its_term_query() {
        let (index, text) = corpus();
        for (term, boost) in &terms(text)[2..8] {
            let ours = all_scored(&index, &AnyTerm::new(vec![(term.clone(), *boost)]));
            let theirs = all_scored(&index, term_query(term, *boost).as_ref());
            assert!(!theirs.is_empty());
            assert_eq!(ours, theirs, "{term:?}");
        }
    }

    #[test]
    fn joined_with_another_clause_and_counted_unscored() {
        let (index, text) = corpus();
        let terms = terms(text);
        let searcher = index.reader().unwrap().searcher();
        let with = |any: Box<dyn Query>| {
            BooleanQuery::new(vec![
                (Occur::Must, any),
                (
                    Occur::Must,
                    term_query(&Term::from_field_text(text, "c"), 1.0),
                ),
            ])
        };
        // An intersection seeks in the rare terms' list.
        let ours = with(Box::new(AnyTerm::new(terms[2..].to_vec())));
        let theirs = with(Box::new(boolean(&terms[2..])));
        let found = |q: &dyn Query| searcher.search(q, &DocSetCollector).unwrap();
        assert_eq!(found(&ours), found(&theirs));
        assert!(!found(&ours).is_empty());
        assert_eq!(
            searcher
                .search(&AnyTerm::new(terms.clone()), &Count)
                .unwrap(),
            searcher.search(&boolean(&terms), &Count).unwrap()
        );
    }

    #[test]
    fn seeks_where_the_boolean_query_seeks() {
        let (index, text) = corpus();
        let terms = terms(text);
        let searcher = index.reader().unwrap().searcher();
        let scoring = EnableScoring::enabled_from_searcher(&searcher);
        for terms in [&terms[..], &terms[2..]] {
            let ours = AnyTerm::new(terms.to_vec()).weight(scoring).unwrap();
            let theirs = boolean(terms).weight(scoring).unwrap();
            for reader in searcher.segment_readers() {
                let mut ours = ours.scorer(reader, 1.0).unwrap();
                let mut theirs = theirs.scorer(reader, 1.0).unwrap();
                let mut sought = 0;
                for target in (1..reader.max_doc() + 5).step_by(37) {
                    if theirs.doc() < target {
                        sought += 1;
                        assert_eq!(ours.seek(target), theirs.seek(target), "{target}");
                    }
                    assert_eq!(ours.doc(), theirs.doc());
                }
                assert!(sought > 10);
            }
        }
    }

    #[test]
    fn explains_each_rare_term_it_has() {
        let (index, text) = corpus();
        let terms = terms(text);
        let query = AnyTerm::new(terms.clone());
        let searcher = index.reader().unwrap().searcher();
        let hits = all_scored(&index, &query);
        let mut explained = 0;
        for &(address, score) in hits.iter().step_by(97) {
            let explanation = query.explain(&searcher, address).unwrap();
            assert!((explanation.value() - score).abs() <= score * 1e-5);
            let json = explanation.to_pretty_json();
            explained += usize::from(json.contains("sum of the rare terms"));
        }
        assert!(explained > 0);
    }

    #[test]
    fn visits_all_of_its_terms() {
        let (_, text) = corpus();
        let terms = terms(text);
        let mut seen = Vec::new();
        AnyTerm::new(terms.clone()).query_terms(&mut |t, _| seen.push(t.clone()));
        assert_eq!(seen, terms.into_iter().map(|(t, _)| t).collect::<Vec<_>>());
    }
}
