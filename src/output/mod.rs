//! Output: hit lists as text for people, or as tables for programs and
//! colleagues (JSON, JSON Lines, CSV, TSV, Markdown, an HTML page). Every
//! printer writes to any `io::Write` and knows nothing of files or
//! terminals; the caller decides about colour and where the bytes go.
//!
//! The machine formats share one record per kind of row (a [`Hit`], an
//! [`ArticleHit`], a concordance line, a count), whose columns are listed in
//! [`records`] and documented in the README; they are a stable contract.

mod kwic;
pub mod records;
pub mod report;
pub mod show;
pub mod table;
mod text;

use std::io::{self, Write};
use std::time::Duration;

pub use kwic::KwicPrinter;
pub use table::{Columns, Page, Record, Table, TableOptions};
pub use text::{ArticlePrinter, TextPrinter};

use crate::search::{ArticleHit, Hit, Totals};

/// The output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// For people; may change between versions.
    Text,
    Json,
    Jsonl,
    Csv,
    Tsv,
    /// A Markdown (GitHub) table.
    Markdown,
    /// A self-contained HTML page.
    Html,
}

impl Format {
    /// The formats a file can be written in, with their file extensions.
    pub const FILE_FORMATS: &'static [(&'static str, Format)] = &[
        ("csv", Format::Csv),
        ("tsv", Format::Tsv),
        ("jsonl", Format::Jsonl),
        ("ndjson", Format::Jsonl),
        ("json", Format::Json),
        ("md", Format::Markdown),
        ("markdown", Format::Markdown),
        ("html", Format::Html),
        ("htm", Format::Html),
    ];

    /// The format a file name asks for by its extension.
    pub fn from_extension(extension: &str) -> Option<Format> {
        Format::FILE_FORMATS
            .iter()
            .find(|(e, _)| e.eq_ignore_ascii_case(extension))
            .map(|&(_, f)| f)
    }
}

/// Receives hits one by one, then the totals.
pub trait Printer {
    fn hit(&mut self, hit: &Hit) -> io::Result<()>;
    fn finish(&mut self, totals: &Totals, elapsed: Duration) -> io::Result<()>;
}

/// Receives articles (`--articles`) one by one, then the totals.
pub trait ArticleSink {
    fn article(&mut self, article: &ArticleHit) -> io::Result<()>;
    fn finish(&mut self, totals: &Totals, elapsed: Duration) -> io::Result<()>;
}

/// "22 paragraphs in 5 articles".
pub fn totals_line(totals: &Totals) -> String {
    format!(
        "{} in {}",
        plural(totals.paragraphs, "paragraph", "paragraphs"),
        plural(totals.articles, "article", "articles")
    )
}

/// "; 3 more in comments or boilerplate (--include comment,boilerplate)"
/// when the scope left matches out, naming the kinds it leaves out, so
/// nothing disappears silently; empty otherwise.
pub fn out_of_scope_note(totals: &Totals) -> String {
    left_out_note(totals, "")
}

/// [`out_of_scope_note`] after a count of something else than paragraphs
/// (`kwic`'s occurrences): "; 2 more paragraphs in comments …".
pub fn out_of_scope_paragraphs_note(totals: &Totals) -> String {
    let unit = if totals.out_of_scope == 1 {
        " paragraph"
    } else {
        " paragraphs"
    };
    left_out_note(totals, unit)
}

/// "; N more{unit} in …", or nothing when the scope left nothing out.
fn left_out_note(totals: &Totals, unit: &str) -> String {
    let count = totals.out_of_scope;
    if totals.out_of_scope == 0 {
        return String::new();
    }
    let kinds = totals.left_out_kinds;
    if kinds.is_empty() {
        return format!("; {count} more{unit} out of scope (--include all)");
    }
    // Comments before boilerplate, as `--help` names them.
    let names: Vec<&str> = kinds.iter().rev().map(|k| k.plural()).collect();
    let flags: Vec<&str> = kinds.iter().rev().map(|k| k.as_str()).collect();
    format!(
        "; {count} more{unit} in {} (--include {})",
        names.join(" or "),
        flags.join(",")
    )
}

/// "1 paragraph", "2 paragraphs".
pub fn plural(n: u64, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// A printer for `format` writing every hit field to `out`.
pub fn printer<'a>(format: Format, out: Box<dyn Write + 'a>, color: bool) -> Box<dyn Printer + 'a> {
    match format {
        Format::Text => Box::new(TextPrinter::new(out, color)),
        _ => match table_printer(format, Columns::all::<Hit>(), out, &TableOptions::default()) {
            Ok(p) => p,
            Err(e) => Box::new(Failed(Some(e))),
        },
    }
}

/// A printer writing the chosen columns of every hit as a table.
pub fn table_printer<'a, R: Record + 'a>(
    format: Format,
    columns: Columns,
    out: Box<dyn Write + 'a>,
    options: &TableOptions,
) -> io::Result<Box<TablePrinter<'a, R>>> {
    Ok(Box::new(TablePrinter(Table::new(
        format, columns, out, options,
    )?)))
}

/// A [`Table`] of hits or articles, closed with the totals.
pub struct TablePrinter<'a, R: Record>(pub Table<'a, R>);

impl Printer for TablePrinter<'_, Hit> {
    fn hit(&mut self, hit: &Hit) -> io::Result<()> {
        self.0.row(hit)
    }

    fn finish(&mut self, totals: &Totals, _: Duration) -> io::Result<()> {
        self.0.finish(&totals_line(totals))
    }
}

impl ArticleSink for TablePrinter<'_, ArticleHit> {
    fn article(&mut self, article: &ArticleHit) -> io::Result<()> {
        self.0.row(article)
    }

    fn finish(&mut self, totals: &Totals, _: Duration) -> io::Result<()> {
        self.0.finish(&totals_line(totals))
    }
}

/// A printer that could not start: reports the error at the first write.
struct Failed(Option<io::Error>);

impl Printer for Failed {
    fn hit(&mut self, _: &Hit) -> io::Result<()> {
        self.0.take().map_or(Ok(()), Err)
    }

    fn finish(&mut self, _: &Totals, _: Duration) -> io::Result<()> {
        self.0.take().map_or(Ok(()), Err)
    }
}

/// `YYYY-MM-DD HH:MM UTC` for seconds since the Unix epoch (no time zone
/// database needed; the civil-from-days algorithm of Howard Hinnant).
pub fn utc_time(secs: u64) -> String {
    let days = (secs / 86_400) as i64;
    let rest = secs % 86_400;
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02} {:02}:{:02} UTC",
        rest / 3600,
        rest % 3600 / 60
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utc_time_agrees_with_known_dates() {
        assert_eq!(utc_time(0), "1970-01-01 00:00 UTC");
        // 2000-02-29 12:34 UTC, a leap day.
        assert_eq!(utc_time(951_827_640), "2000-02-29 12:34 UTC");
        assert_eq!(utc_time(1_762_300_800), "2025-11-05 00:00 UTC");
    }

    #[test]
    fn file_extensions_name_formats() {
        assert_eq!(Format::from_extension("CSV"), Some(Format::Csv));
        assert_eq!(Format::from_extension("md"), Some(Format::Markdown));
        assert_eq!(Format::from_extension("xlsx"), None);
    }
}
