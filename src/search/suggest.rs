//! When nothing is found: "Meinten Sie …?", the closest indexed words to a
//! query's unknown words, and the filters no paragraph of the index passes
//! (`lang:en`, `date:2030`), with the values the index has.

use super::Searcher;
use super::query::{self, Node, Query, TextField, ValueField};
use crate::analysis;

/// How many of a field's values a hint lists.
const KNOWN_VALUES: usize = 10;

/// A filter of a query that no paragraph of the index passes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EmptyFilter {
    /// `field:value`, with the field's values in the index and their
    /// paragraphs, most frequent first (at most ten; none for `doc`).
    Value {
        field: &'static str,
        value: String,
        known: Vec<(String, u64)>,
        /// How many values the field has in all.
        of: usize,
    },
    /// `date:…`, with the first and the last date in the index (none when
    /// no article is dated).
    Dates {
        first_last: Option<(String, String)>,
    },
}

/// The largest edit distance a suggestion may have (1 for short words).
const MAX_DISTANCE: usize = 2;
const SHORT_WORD_CHARS: usize = 5;

impl Searcher {
    /// For each word of `query` that the index does not know, the closest
    /// indexed surface form (the most frequent among the closest), written
    /// with the query word's capitalisation. Empty when there is nothing to
    /// suggest.
    pub fn suggestions(&self, query: &Query) -> Vec<(String, String)> {
        let searcher = self.reader.searcher();
        let lexicon = self.lexicon(&searcher);
        let mut words = Vec::new();
        collect_words(&query.root, &mut words);
        let mut out = Vec::new();
        for word in words {
            let lower = analysis::lowercase(&word);
            if lexicon.doc_freq(self.fields.text, &analysis::stem_word(&word)) > 0
                || lexicon.doc_freq(self.fields.text_exact, &lower) > 0
            {
                continue;
            }
            let limit = if lower.chars().count() <= SHORT_WORD_CHARS {
                1
            } else {
                MAX_DISTANCE
            };
            let length = lower.chars().count();
            let mut best: Option<(usize, u64, String)> = None;
            // The automaton finds the candidates; the edit distance below
            // decides, as it would over every term.
            let near = u8::try_from(limit).unwrap_or(u8::MAX);
            lexicon.for_each_term_near(self.fields.text_exact, &lower, near, &mut |term, freq| {
                if term.chars().count().abs_diff(length) > limit {
                    return;
                }
                let distance = strsim::osa_distance(term, &lower);
                if distance == 0 || distance > limit {
                    return;
                }
                let better = match &best {
                    None => true,
                    Some((d, f, _)) => distance < *d || (distance == *d && freq > *f),
                };
                if better {
                    best = Some((distance, freq, term.to_string()));
                }
            });
            if let Some((_, _, term)) = best {
                out.push((word.clone(), capitalise_like(&term, &word)));
            }
        }
        out
    }

    /// The filters of `query` (not the excluded ones) that no paragraph
    /// of the index passes.
    pub fn empty_filters(&self, query: &Query) -> Vec<EmptyFilter> {
        let searcher = self.reader.searcher();
        let lexicon = self.lexicon(&searcher);
        let mut out: Vec<EmptyFilter> = Vec::new();
        for node in query.filters() {
            if !query::passes_nothing(node, &lexicon) {
                continue;
            }
            let filter = match node {
                Node::Value { field, value } => {
                    let known = if *field == ValueField::Doc {
                        Vec::new()
                    } else {
                        lexicon.values(field.field(&self.fields))
                    };
                    EmptyFilter::Value {
                        field: field.name(),
                        value: value.clone(),
                        of: known.len(),
                        known: known.into_iter().take(KNOWN_VALUES).collect(),
                    }
                }
                Node::Dates { .. } => {
                    let dates = lexicon.values(self.fields.date);
                    let first = dates.iter().map(|(d, _)| d).min().cloned();
                    let last = dates.iter().map(|(d, _)| d).max().cloned();
                    EmptyFilter::Dates {
                        first_last: first.zip(last),
                    }
                }
                _ => continue,
            };
            if !out.contains(&filter) {
                out.push(filter);
            }
        }
        out
    }
}

/// The unquoted and fuzzy words a user asked for (not excluded ones).
fn collect_words(node: &Node, out: &mut Vec<String>) {
    match node {
        Node::And(c) | Node::Or(c) => c.iter().for_each(|n| collect_words(n, out)),
        Node::Words {
            field: TextField::Text,
            text,
            ..
        }
        | Node::Fuzzy {
            field: TextField::Text,
            text,
            ..
        } if analysis::analyze(text).len() == 1 => out.push(
            text.trim_matches(|c: char| !analysis::is_word_char(c))
                .to_string(),
        ),
        _ => {}
    }
}

fn capitalise_like(term: &str, like: &str) -> String {
    if like.chars().next().is_some_and(char::is_uppercase) {
        let mut chars = term.chars();
        chars
            .next()
            .map(|c| c.to_uppercase().chain(chars).collect())
            .unwrap_or_default()
    } else {
        term.to_string()
    }
}
