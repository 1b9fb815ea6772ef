//! Output: hit lists as text for people, or as JSON, JSON Lines and CSV for
//! programs. Every printer writes to any `io::Write` and knows nothing of
//! files or terminals; the caller decides about colour.
//!
//! The machine formats share one record, [`Hit`], whose fields are
//! documented in the README and kept stable.

pub mod show;
mod text;

use std::io::{self, Write};
use std::time::Duration;

use serde::Serialize;

pub use text::TextPrinter;

use crate::search::{Hit, Totals};

/// The output formats of `search`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Text,
    Json,
    Jsonl,
    Csv,
}

/// Receives hits one by one, then the totals.
pub trait Printer {
    fn hit(&mut self, hit: &Hit) -> io::Result<()>;
    fn finish(&mut self, totals: &Totals, elapsed: Duration) -> io::Result<()>;
}

/// A printer for `format` writing to `out`.
pub fn printer<'a>(format: Format, out: Box<dyn Write + 'a>, color: bool) -> Box<dyn Printer + 'a> {
    match format {
        Format::Text => Box::new(TextPrinter::new(out, color)),
        Format::Json => Box::new(JsonPrinter { out, count: 0 }),
        Format::Jsonl => Box::new(JsonlPrinter { out }),
        Format::Csv => Box::new(CsvPrinter {
            out: csv::WriterBuilder::new()
                .has_headers(false)
                .from_writer(out),
            wrote_header: false,
        }),
    }
}

/// One JSON object per line.
struct JsonlPrinter<'a> {
    out: Box<dyn Write + 'a>,
}

impl Printer for JsonlPrinter<'_> {
    fn hit(&mut self, hit: &Hit) -> io::Result<()> {
        serde_json::to_writer(&mut self.out, hit)?;
        self.out.write_all(b"\n")
    }

    fn finish(&mut self, _: &Totals, _: Duration) -> io::Result<()> {
        self.out.flush()
    }
}

/// A JSON array of hit objects, written as the hits come.
struct JsonPrinter<'a> {
    out: Box<dyn Write + 'a>,
    count: u64,
}

impl Printer for JsonPrinter<'_> {
    fn hit(&mut self, hit: &Hit) -> io::Result<()> {
        self.out
            .write_all(if self.count == 0 { b"[\n  " } else { b",\n  " })?;
        serde_json::to_writer(&mut self.out, hit)?;
        self.count += 1;
        Ok(())
    }

    fn finish(&mut self, _: &Totals, _: Duration) -> io::Result<()> {
        self.out
            .write_all(if self.count == 0 { b"[]\n" } else { b"\n]\n" })?;
        self.out.flush()
    }
}

/// The CSV columns, in order: the hit fields, with `agency` joined by
/// commas and `highlights` as a JSON array in one cell.
pub const CSV_HEADER: &[&str] = &[
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

#[derive(Serialize)]
struct CsvRow<'a> {
    rank: u64,
    score: f32,
    doc: &'a str,
    path: &'a str,
    para: u64,
    line: u64,
    date: Option<&'a str>,
    title: Option<&'a str>,
    heading: Option<&'a str>,
    kind: &'a str,
    lang: &'a str,
    agency: String,
    comment_author: Option<&'a str>,
    comment_date: Option<&'a str>,
    text: &'a str,
    snippet: String,
    highlights: String,
}

struct CsvPrinter<'a> {
    out: csv::Writer<Box<dyn Write + 'a>>,
    wrote_header: bool,
}

impl CsvPrinter<'_> {
    /// The header row, also for an empty result.
    fn header(&mut self) -> io::Result<()> {
        if !self.wrote_header {
            self.wrote_header = true;
            self.out.write_record(CSV_HEADER).map_err(csv_error)?;
        }
        Ok(())
    }
}

fn csv_error(e: csv::Error) -> io::Error {
    match e.into_kind() {
        csv::ErrorKind::Io(e) => e,
        other => io::Error::other(format!("cannot write CSV: {other:?}")),
    }
}

impl Printer for CsvPrinter<'_> {
    fn hit(&mut self, hit: &Hit) -> io::Result<()> {
        self.header()?;
        let highlights: Vec<[usize; 2]> = hit.highlights.iter().map(|r| [r.start, r.end]).collect();
        let row = CsvRow {
            rank: hit.rank,
            score: hit.score,
            doc: &hit.doc,
            path: &hit.path,
            para: hit.para,
            line: hit.line,
            date: hit.date.as_deref(),
            title: hit.title.as_deref(),
            heading: hit.heading.as_deref(),
            kind: &hit.kind,
            lang: &hit.lang,
            agency: hit.agency.join(","),
            comment_author: hit.comment_author.as_deref(),
            comment_date: hit.comment_date.as_deref(),
            text: &hit.text,
            snippet: hit.snippet.to_html(),
            highlights: serde_json::to_string(&highlights)?,
        };
        self.out.serialize(row).map_err(csv_error)
    }

    fn finish(&mut self, _: &Totals, _: Duration) -> io::Result<()> {
        self.header()?;
        self.out.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_header_names_the_row_fields_in_order() {
        let row = CsvRow {
            rank: 1,
            score: 1.0,
            doc: "d",
            path: "p",
            para: 1,
            line: 1,
            date: None,
            title: None,
            heading: None,
            kind: "body",
            lang: "deu",
            agency: String::new(),
            comment_author: None,
            comment_date: None,
            text: "t",
            snippet: "t".into(),
            highlights: "[]".into(),
        };
        let mut w = csv::Writer::from_writer(Vec::new());
        w.serialize(row).unwrap();
        let bytes = w.into_inner().unwrap();
        let written = String::from_utf8(bytes).unwrap();
        assert_eq!(written.lines().next(), Some(CSV_HEADER.join(",").as_str()));
    }
}
