//! "Meinten Sie …?": the closest indexed words to a query's unknown words.

use super::Searcher;
use super::query::{Node, Query, TextField};
use crate::analysis;

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
