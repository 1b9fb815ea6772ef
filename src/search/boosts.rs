//! A query whose matches score more for each of some other queries they
//! also match: the word in the form typed, in the title, in the heading.
//!
//! tantivy's `BooleanQuery` of a required clause and optional ones scores
//! the same, but it walks the optional clauses as a union, window by
//! window, visiting every document they match. A title match covers every
//! paragraph of its article ([`super::join`]), so for a word common in
//! titles that is most of the segment, for a few thousand matches. Here
//! each optional clause is only moved to the next match of the required
//! one, which skips.

use std::fmt;

use tantivy::query::{EmptyScorer, EnableScoring, Explanation, Query, Scorer, Weight};
use tantivy::{DocId, DocSet, Score, SegmentReader, TERMINATED};

/// The matches of `required`, each scored as `required` scores it plus
/// the score of each of `boosts` that matches it.
pub struct Boosted {
    required: Box<dyn Query>,
    boosts: Vec<Box<dyn Query>>,
}

impl Boosted {
    pub fn new(required: Box<dyn Query>, boosts: Vec<Box<dyn Query>>) -> Boosted {
        Boosted { required, boosts }
    }
}

impl Clone for Boosted {
    fn clone(&self) -> Self {
        Boosted {
            required: self.required.box_clone(),
            boosts: self.boosts.iter().map(|b| b.box_clone()).collect(),
        }
    }
}

impl fmt::Debug for Boosted {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Boosted({:?}, {:?})", self.required, self.boosts)
    }
}

impl Query for Boosted {
    fn weight(&self, enable_scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        let required = self.required.weight(enable_scoring)?;
        // Without scores the boosts change nothing.
        let boosts = if enable_scoring.is_scoring_enabled() {
            self.boosts
                .iter()
                .map(|b| b.weight(enable_scoring))
                .collect::<tantivy::Result<_>>()?
        } else {
            Vec::new()
        };
        Ok(Box::new(BoostedWeight { required, boosts }))
    }

    fn query_terms<'a>(&'a self, visitor: &mut dyn FnMut(&'a tantivy::Term, bool)) {
        self.required.query_terms(visitor);
        for boost in &self.boosts {
            boost.query_terms(visitor);
        }
    }
}

struct BoostedWeight {
    required: Box<dyn Weight>,
    boosts: Vec<Box<dyn Weight>>,
}

impl Weight for BoostedWeight {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        let required = self.required.scorer(reader, boost)?;
        if required.doc() == TERMINATED {
            return Ok(Box::new(EmptyScorer));
        }
        let boosts = self
            .boosts
            .iter()
            .map(|b| b.scorer(reader, boost))
            .collect::<tantivy::Result<Vec<_>>>()?
            .into_iter()
            .filter(|b| b.doc() != TERMINATED)
            .collect();
        Ok(Box::new(BoostedScorer { required, boosts }))
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        let mut scorer = self.scorer(reader, 1.0)?;
        // A scorer only moves forward: one already past `doc` (its first
        // match is later) does not match it either.
        if scorer.doc() > doc || scorer.seek(doc) != doc {
            return Err(tantivy::TantivyError::InvalidArgument(format!(
                "document {doc} does not match"
            )));
        }
        let mut explanation = Explanation::new("sum of", scorer.score());
        explanation.add_detail(self.required.explain(reader, doc)?);
        for boost in &self.boosts {
            if let Ok(detail) = boost.explain(reader, doc) {
                explanation.add_detail(detail);
            }
        }
        Ok(explanation)
    }
}

struct BoostedScorer {
    required: Box<dyn Scorer>,
    /// The boosts that match anything in the segment.
    boosts: Vec<Box<dyn Scorer>>,
}

impl DocSet for BoostedScorer {
    fn advance(&mut self) -> DocId {
        self.required.advance()
    }

    fn seek(&mut self, target: DocId) -> DocId {
        self.required.seek(target)
    }

    fn doc(&self) -> DocId {
        self.required.doc()
    }

    fn size_hint(&self) -> u32 {
        self.required.size_hint()
    }

    /// The required clause's: each boost moves only to its matches.
    fn cost(&self) -> u64 {
        self.required.cost()
    }
}

impl Scorer for BoostedScorer {
    fn score(&mut self) -> Score {
        let doc = self.required.doc();
        let mut score = self.required.score();
        for boost in &mut self.boosts {
            // A boost only moves forward, to the match being scored.
            let at = if boost.doc() < doc {
                boost.seek(doc)
            } else {
                boost.doc()
            };
            if at == doc {
                score += boost.score();
            }
        }
        score
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::index::schema::name;
    use crate::search::join::{Block, BlockJoin};
    use tantivy::collector::{Collector, SegmentCollector};
    use tantivy::query::{BooleanQuery, BoostQuery, Occur, TermQuery};
    use tantivy::schema::{FAST, Field, IndexRecordOption, STRING, Schema};
    use tantivy::{Index, TantivyDocument, Term};

    /// Every match with its score, by segment and document.
    struct All;
    struct SegmentAll(u32, Vec<(u32, DocId, Score)>);

    impl Collector for All {
        type Fruit = Vec<(u32, DocId, Score)>;
        type Child = SegmentAll;
        fn for_segment(&self, ord: u32, _: &SegmentReader) -> tantivy::Result<SegmentAll> {
            Ok(SegmentAll(ord, Vec::new()))
        }
        fn requires_scoring(&self) -> bool {
            true
        }
        fn merge_fruits(&self, fruits: Vec<Self::Fruit>) -> tantivy::Result<Self::Fruit> {
            Ok(fruits.concat())
        }
    }

    impl SegmentCollector for SegmentAll {
        type Fruit = Vec<(u32, DocId, Score)>;
        fn collect(&mut self, doc: DocId, score: Score) {
            self.1.push((self.0, doc, score));
        }
        fn harvest(self) -> Self::Fruit {
            self.1
        }
    }

    /// What a document of [`corpus`] has: its words, its article's title
    /// words and its section's heading words.
    struct Paragraph {
        text: Vec<&'static str>,
        title: Vec<&'static str>,
        heading: Vec<&'static str>,
    }

    /// A test index: its fields for text, titles and headings, and each
    /// segment's paragraphs in document order.
    type Corpus = (Index, Field, Field, Field, Vec<Vec<Paragraph>>);

    /// Articles of random length with random words in their paragraphs
    /// and titles (on the first paragraph), in several segments; and each
    /// segment's documents in order.
    fn corpus(seed: u64) -> Corpus {
        let mut b = Schema::builder();
        let text = b.add_text_field("text", STRING);
        let title = b.add_text_field("title", STRING);
        let heading = b.add_text_field("heading", STRING);
        let para = b.add_u64_field(name::PARA, FAST);
        let section = b.add_u64_field(name::SECTION_OFFSET, FAST);
        let which = b.add_u64_field("segment", FAST);
        let start = b.add_text_field(name::START, STRING);
        let index = Index::create_in_ram(b.build());
        let mut writer = index.writer_with_num_threads(1, 15_000_000).unwrap();
        let mut state = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        let mut next = |n: u64| {
            state = state
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (state >> 33) % n
        };
        let words = ["a", "b", "c", "d"];
        let mut segments = Vec::new();
        for segment in 0..3 {
            let mut paragraphs_of_segment = Vec::new();
            for _article in 0..(20 + segment * 7) {
                let paragraphs = 1 + next(12);
                let mut batch = Vec::new();
                let mut title_words = Vec::new();
                let mut heading_words: Vec<&str> = Vec::new();
                let mut section_first = 1;
                for p in 1..=paragraphs {
                    let mut doc = TantivyDocument::new();
                    doc.add_u64(para, p);
                    doc.add_u64(which, segment);
                    let mut text_words = Vec::new();
                    for _ in 0..next(3) {
                        text_words.push(words[next(4) as usize]);
                    }
                    if p == 1 {
                        doc.add_text(start, crate::index::schema::ARTICLE_START);
                        for _ in 0..next(2) {
                            title_words.push(words[next(4) as usize]);
                        }
                        for w in &title_words {
                            doc.add_text(title, w);
                        }
                    }
                    for w in &text_words {
                        doc.add_text(text, w);
                    }
                    // A section, or a run of paragraphs without a heading,
                    // begins with the article and at random within it.
                    if p == 1 || next(3) == 0 {
                        section_first = p;
                        heading_words.clear();
                        if next(2) == 0 {
                            for _ in 0..1 + next(2) {
                                heading_words.push(words[next(4) as usize]);
                            }
                        }
                        for w in &heading_words {
                            doc.add_text(heading, w);
                        }
                    }
                    // The distance from the section's first paragraph, as
                    // the index has it: only inside sections.
                    if !heading_words.is_empty() {
                        doc.add_u64(section, p - section_first);
                    }
                    paragraphs_of_segment.push(Paragraph {
                        text: text_words,
                        title: title_words.clone(),
                        heading: heading_words.clone(),
                    });
                    batch.push(tantivy::indexer::UserOperation::Add(doc));
                }
                writer.run(batch).unwrap();
            }
            writer.commit().unwrap();
            segments.push(paragraphs_of_segment);
        }
        (index, text, title, heading, segments)
    }

    /// A paragraph's words in a field of its block.
    type BlockWords = fn(&Paragraph) -> &[&'static str];

    /// Each word of [`corpus`] with each join: its block, the field the
    /// join's inner query searches, and the words a paragraph's block has
    /// there.
    fn joins(title: Field, heading: Field) -> Vec<(&'static str, Block, Field, BlockWords)> {
        let mut all = Vec::new();
        for w in ["a", "b", "c", "d"] {
            all.push((w, Block::Article, title, (|p| &p.title) as BlockWords));
            all.push((w, Block::Section, heading, (|p| &p.heading) as BlockWords));
        }
        all
    }

    /// Section columns opened for one query only.
    fn sections() -> std::sync::Arc<crate::search::join::SectionColumns> {
        std::sync::Arc::new(crate::search::per_segment::PerSegment::new())
    }

    fn term(field: Field, word: &str) -> Box<dyn Query> {
        Box::new(TermQuery::new(
            Term::from_field_text(field, word),
            IndexRecordOption::WithFreqs,
        ))
    }

    /// The same matches and scores as tantivy's boolean query of a
    /// required clause and optional ones, alone and inside another query
    /// (which seeks it); and the explanation gives the score.
    #[test]
    fn scores_as_a_boolean_query_of_required_and_optional_clauses() {
        for seed in 0..24 {
            let (index, text, title, heading, _) = corpus(seed);
            let searcher = index.reader().unwrap().searcher();
            assert!(searcher.segment_readers().len() > 1);
            let boosts = |w: &str| -> Vec<Box<dyn Query>> {
                vec![
                    Box::new(BoostQuery::new(term(text, w), 0.5)),
                    Box::new(BoostQuery::new(
                        Box::new(BlockJoin::new(term(title, w), Block::Article, &sections())),
                        0.3,
                    )),
                    Box::new(BlockJoin::new(
                        term(heading, "d"),
                        Block::Section,
                        &sections(),
                    )),
                ]
            };
            for (required, boost) in [("a", "b"), ("b", "a"), ("c", "c"), ("d", "a")] {
                let ours: Box<dyn Query> =
                    Box::new(Boosted::new(term(text, required), boosts(boost)));
                let mut clauses = vec![(Occur::Must, term(text, required))];
                clauses.extend(boosts(boost).into_iter().map(|q| (Occur::Should, q)));
                let theirs: Box<dyn Query> = Box::new(BooleanQuery::new(clauses));
                let and = |q: &dyn Query| -> Box<dyn Query> {
                    Box::new(BooleanQuery::new(vec![
                        (Occur::Must, q.box_clone()),
                        (Occur::Must, term(text, "b")),
                    ]))
                };
                for (ours, theirs) in [
                    (ours.box_clone(), theirs.box_clone()),
                    (and(ours.as_ref()), and(theirs.as_ref())),
                ] {
                    let a = searcher.search(ours.as_ref(), &All).unwrap();
                    let b = searcher.search(theirs.as_ref(), &All).unwrap();
                    assert_eq!(a.len(), b.len(), "seed {seed}: {ours:?}");
                    for (x, y) in a.iter().zip(&b) {
                        assert_eq!((x.0, x.1), (y.0, y.1), "seed {seed}: {ours:?}");
                        assert!((x.2 - y.2).abs() < 1e-5, "seed {seed}: {x:?} {y:?}");
                    }
                }
                // Explained alone, and as a part of an OR whose matches
                // it need not have (its scorer may start past them).
                let or: Box<dyn Query> = Box::new(BooleanQuery::new(vec![
                    (Occur::Should, ours.box_clone()),
                    (Occur::Should, term(text, "d")),
                ]));
                for query in [&ours, &or] {
                    for &(segment, doc, score) in
                        searcher.search(query.as_ref(), &All).unwrap().iter()
                    {
                        let explained = query
                            .explain(&searcher, tantivy::DocAddress::new(segment, doc))
                            .unwrap();
                        assert!((explained.value() - score).abs() < 1e-5, "seed {seed}");
                    }
                }
            }
        }
    }

    /// A title match covers every paragraph of its article, a heading
    /// match every paragraph of its section, and nothing else, however the
    /// join is moved: alone (advanced), and in an
    /// intersection with a paragraph's words (advanced and sought in turn).
    #[test]
    fn a_block_join_matches_the_paragraphs_of_matching_blocks() {
        for seed in 0..24 {
            let (index, text, title, heading, segments) = corpus(seed);
            let searcher = index.reader().unwrap().searcher();
            for (w, block, field, words) in joins(title, heading) {
                for x in [None, Some("a"), Some("b")] {
                    let join: Box<dyn Query> =
                        Box::new(BlockJoin::new(term(field, w), block, &sections()));
                    let query: Box<dyn Query> = match x {
                        None => join,
                        Some(x) => Box::new(BooleanQuery::new(vec![
                            (Occur::Must, join),
                            (Occur::Must, term(text, x)),
                        ])),
                    };
                    let mut got: Vec<(usize, DocId)> = searcher
                        .search(query.as_ref(), &All)
                        .unwrap()
                        .into_iter()
                        .map(|(segment, doc, _)| {
                            let reader = searcher.segment_reader(segment);
                            let which = reader.fast_fields().u64("segment").unwrap();
                            (which.first(doc).unwrap() as usize, doc)
                        })
                        .collect();
                    got.sort();
                    let mut expected = Vec::new();
                    for (i, paragraphs) in segments.iter().enumerate() {
                        for (doc, p) in paragraphs.iter().enumerate() {
                            if words(p).contains(&w) && x.is_none_or(|x| p.text.contains(&x)) {
                                expected.push((i, doc as DocId));
                            }
                        }
                    }
                    assert_eq!(got, expected, "seed {seed}: {query:?}");
                }
            }
        }
    }

    /// Moved by any mix of `advance` and `seek`, a block join is always at
    /// the first paragraph at or after where it was sent that belongs to a
    /// block whose first paragraph matches.
    #[test]
    fn a_block_join_advances_and_seeks_to_the_next_covered_paragraph() {
        for seed in 0..24 {
            let (index, _, title, heading, segments) = corpus(seed);
            let searcher = index.reader().unwrap().searcher();
            let mut state = seed + 1;
            let mut next = |n: u32| {
                state = state
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                ((state >> 33) % u64::from(n)) as u32
            };
            for reader in searcher.segment_readers() {
                let which = reader.fast_fields().u64("segment").unwrap();
                let paragraphs = &segments[which.first(0).unwrap() as usize];
                for (w, block, field, words) in joins(title, heading) {
                    let covered: Vec<DocId> = (0..paragraphs.len() as DocId)
                        .filter(|&d| words(&paragraphs[d as usize]).contains(&w))
                        .collect();
                    let expect = |target: DocId| {
                        covered
                            .iter()
                            .copied()
                            .find(|&d| d >= target)
                            .unwrap_or(TERMINATED)
                    };
                    let join = BlockJoin::new(term(field, w), block, &sections());
                    let weight = join
                        .weight(EnableScoring::disabled_from_searcher(&searcher))
                        .unwrap();
                    let mut scorer = weight.scorer(reader, 1.0).unwrap();
                    assert_eq!(scorer.doc(), expect(0), "seed {seed} {w} {block:?}");
                    while scorer.doc() != TERMINATED {
                        let at = scorer.doc();
                        let got = if next(2) == 0 {
                            (scorer.advance(), expect(at + 1))
                        } else {
                            // Often just past the current block.
                            let target = at + 1 + next(14);
                            (scorer.seek(target), expect(target))
                        };
                        assert_eq!(got.0, got.1, "seed {seed} {w} {block:?} from {at}");
                    }
                }
            }
        }
    }
}
