//! `stats`: what an index holds, where it came from, how big it is.

use std::path::Path;

use anyhow::Result;

use super::{Group, Query, Searcher};
use crate::index::schema::GROUPINGS;

/// A summary of the index in use.
#[derive(Debug, Clone)]
pub struct Stats {
    pub articles: u64,
    pub paragraphs: u64,
    /// Paragraphs per kind (`title`, `heading`, `body`, …).
    pub kinds: Vec<Group>,
    /// Paragraphs per language.
    pub languages: Vec<Group>,
    /// Paragraphs and articles per agency; `None` when the index records no
    /// agency.
    pub agencies: Option<Vec<Group>>,
    /// Oldest and newest article date, if any article has one.
    pub dates: Option<(String, String)>,
    /// Articles without a date.
    pub undated_articles: u64,
    /// Distinct surface forms and stems in the paragraph text.
    pub forms: u64,
    pub stems: u64,
    /// Bytes of the index generation in use.
    pub size_bytes: u64,
    /// Seconds since the Unix epoch at the end of the build.
    pub built_at: u64,
    pub fundstelle_version: String,
    pub schema_version: u32,
    /// The paths the index was built from.
    pub sources: Vec<String>,
    /// Files processed by an `index` run that has not finished, when the
    /// last commit is one of its intermediate ones.
    pub incomplete_after: Option<u64>,
    /// Paragraphs (deleted ones left out) per segment, largest first: every
    /// query pays per segment.
    pub segments: Vec<u64>,
    /// The merge that ends a build is owed (the build was killed, or the
    /// disk had no room for it): the next `index` run does it.
    pub merge_pending: bool,
}

fn folder_size(dir: &Path) -> u64 {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .flatten()
        .filter_map(|e| e.metadata().ok())
        .filter(|m| m.is_file())
        .map(|m| m.len())
        .sum()
}

impl Searcher {
    /// Counts everything [`Stats`] reports (one pass per grouping over the
    /// fast columns and one over each term dictionary).
    pub fn stats(&self) -> Result<Stats> {
        let all = Query::everything();
        let totals = self.count(&all)?;
        let by = |grouping: &str| self.count_by(&all, grouping);
        let dates = by("date")?;
        let dated: Vec<&String> = dates.iter().filter_map(|g| g.key.as_ref()).collect();
        let undated_articles = dates
            .iter()
            .filter(|g| g.key.is_none())
            .map(|g| g.articles)
            .sum();
        let agencies = if self.groupings().contains(&"agency") {
            Some(by("agency")?)
        } else {
            debug_assert!(GROUPINGS.contains(&"agency"));
            None
        };
        let (forms, stems) = self.term_counts()?;
        Ok(Stats {
            articles: totals.articles,
            paragraphs: totals.paragraphs,
            kinds: by("kind")?,
            languages: by("lang")?,
            agencies,
            dates: match (dated.first(), dated.last()) {
                (Some(a), Some(b)) => Some(((*a).clone(), (*b).clone())),
                _ => None,
            },
            undated_articles,
            forms,
            stems,
            size_bytes: folder_size(&self.generation),
            built_at: self.built_at(),
            fundstelle_version: self.meta.fundstelle_version.clone(),
            schema_version: self.meta.schema_version,
            sources: self.sources(),
            incomplete_after: self.incomplete_after(),
            segments: {
                let searcher = self.reader.searcher();
                let mut sizes: Vec<u64> = searcher
                    .segment_readers()
                    .iter()
                    .map(|s| u64::from(s.num_docs()))
                    .collect();
                sizes.sort_unstable_by(|a, b| b.cmp(a));
                sizes
            },
            merge_pending: self.state().is_some_and(|s| s.merge_pending),
        })
    }
}
