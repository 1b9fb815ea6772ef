//! The columns of every kind of row, in their default order. These names
//! are the machine formats' contract (documented in the README) and what
//! `--fields` picks from. Adding a field to a row is one name here and one
//! arm in its `cell`.

use super::table::{Cell, Record};
use crate::search::{ArticleHit, FormCount, Group, Hit, Occurrence, Totals};

fn opt(value: &Option<String>) -> Cell<'_> {
    value.as_deref().map_or(Cell::Null, Cell::Text)
}

impl Record for Hit {
    const COLUMNS: &'static [&'static str] = &[
        "rank",
        "score",
        "doc",
        "path",
        "para",
        "line",
        "date",
        "title",
        "heading",
        "kind",
        "lang",
        "agency",
        "comment_author",
        "comment_date",
        "text",
        "snippet",
        "highlights",
    ];

    const EXTRA_COLUMNS: &'static [&'static str] = &["explanation"];

    fn cell(&self, i: usize) -> Cell<'_> {
        let name = Self::COLUMNS
            .get(i)
            .or_else(|| Self::EXTRA_COLUMNS.get(i - Self::COLUMNS.len()))
            .copied()
            .unwrap_or("");
        match name {
            "rank" => Cell::Int(self.rank),
            "score" => Cell::Float(self.score),
            "doc" => Cell::Text(&self.doc),
            "path" => Cell::Text(&self.path),
            "para" => Cell::Int(self.para),
            "line" => Cell::Int(self.line),
            "date" => opt(&self.date),
            "title" => opt(&self.title),
            "heading" => opt(&self.heading),
            "kind" => Cell::Text(&self.kind),
            "lang" => Cell::Text(&self.lang),
            "agency" => Cell::List(&self.agency),
            "comment_author" => opt(&self.comment_author),
            "comment_date" => opt(&self.comment_date),
            "text" => Cell::Text(&self.text),
            "snippet" => Cell::Marked(&self.snippet),
            "highlights" => Cell::Ranges(&self.highlights),
            "explanation" => self.explanation.as_ref().map_or(Cell::Null, Cell::Json),
            _ => Cell::Null,
        }
    }
}

/// An article row: its rank, how many of its paragraphs matched, and its
/// best paragraph's fields.
impl Record for ArticleHit {
    const COLUMNS: &'static [&'static str] = &[
        "rank",
        "score",
        "doc",
        "path",
        "date",
        "title",
        "matches",
        "para",
        "line",
        "heading",
        "kind",
        "lang",
        "text",
        "snippet",
        "highlights",
    ];

    fn cell(&self, i: usize) -> Cell<'_> {
        match Self::COLUMNS[i] {
            "matches" => Cell::Int(self.matches),
            name => {
                let j = Hit::COLUMNS.iter().position(|c| *c == name).unwrap_or(0);
                self.best.cell(j)
            }
        }
    }
}

/// A concordance line.
impl Record for Occurrence {
    const COLUMNS: &'static [&'static str] = &[
        "doc", "path", "line", "para", "date", "left", "match", "right", "start", "end",
    ];

    fn cell(&self, i: usize) -> Cell<'_> {
        match Self::COLUMNS[i] {
            "doc" => Cell::Text(&self.doc),
            "path" => Cell::Text(&self.path),
            "line" => Cell::Int(self.line),
            "para" => Cell::Int(self.para),
            "date" => opt(&self.date),
            "left" => Cell::Text(&self.left),
            "match" => Cell::Text(&self.matched),
            "right" => Cell::Text(&self.right),
            "start" => Cell::Int(self.start as u64),
            "end" => Cell::Int(self.end as u64),
            _ => Cell::Null,
        }
    }
}

/// A row of `count --by`; the table renames `value` to the grouping.
impl Record for Group {
    const COLUMNS: &'static [&'static str] = &["value", "paragraphs", "articles"];

    fn cell(&self, i: usize) -> Cell<'_> {
        match i {
            0 => opt(&self.key),
            1 => Cell::Int(self.paragraphs),
            _ => Cell::Int(self.articles),
        }
    }
}

/// A row of `terms`.
impl Record for FormCount {
    const COLUMNS: &'static [&'static str] = &["term", "paragraphs", "occurrences", "relation"];

    fn cell(&self, i: usize) -> Cell<'_> {
        match i {
            0 => Cell::Text(&self.term),
            1 => Cell::Int(self.paragraphs),
            2 => Cell::Int(self.occurrences),
            _ if self.relation.is_empty() => Cell::Null,
            _ => Cell::Text(self.relation),
        }
    }
}

/// The one row of `count` without `--by`.
impl Record for Totals {
    const COLUMNS: &'static [&'static str] = &["paragraphs", "articles", "out_of_scope"];

    fn cell(&self, i: usize) -> Cell<'_> {
        match i {
            0 => Cell::Int(self.paragraphs),
            1 => Cell::Int(self.articles),
            _ => Cell::Int(self.out_of_scope),
        }
    }
}
