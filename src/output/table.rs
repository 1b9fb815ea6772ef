//! Tables of records in every machine format, and as aligned text.
//!
//! Each kind of row (a hit, an article, a concordance line, a count) is a
//! [`Record`]: a fixed list of named columns and a typed [`Cell`] for each.
//! A [`Table`] writes records in one [`Format`] with a chosen list of
//! columns ([`Columns`], from `--fields`), row by row as they come, so
//! memory does not grow with the number of rows (except for the aligned
//! text table, which must see every row to size its columns).
//!
//! Escaping is the writer's job, per format: the `csv` crate quotes
//! (RFC 4180), TSV never quotes and writes tabs and line breaks inside a
//! field as spaces, `serde_json` escapes JSON, Markdown cells get every inline
//! metacharacter backslash-escaped and line breaks as `<br>`, and the HTML
//! page escapes every piece of data; the only markup in it is what this
//! module writes itself.

use std::fmt::Write as _;
use std::io::{self, Write};
use std::marker::PhantomData;
use std::ops::Range;

use serde::Serialize;
use serde::ser::{SerializeMap, SerializeSeq};

use super::Format;
use crate::search::Snippet;

/// A typed value of one column.
#[derive(Debug, Clone)]
pub enum Cell<'a> {
    Int(u64),
    Float(f32),
    Text(&'a str),
    Owned(String),
    /// No value: JSON `null`, an empty cell elsewhere.
    Null,
    /// A snippet with marked matches: HTML with `<mark>` in JSON and CSV,
    /// bold in Markdown, `<mark>` on the HTML page.
    Marked(&'a Snippet),
    /// Byte ranges: an array of `[start, end]` pairs (JSON text in CSV).
    Ranges(&'a [Range<usize>]),
    /// A list of strings: a JSON array, joined by commas elsewhere.
    List(&'a [String]),
    /// Structured data (an explanation): JSON as it is, JSON text elsewhere.
    Json(&'a serde_json::Value),
}

impl Cell<'_> {
    /// The cell as one string, for CSV and text (no escaping).
    pub fn plain(&self) -> String {
        match self {
            Cell::Int(n) => n.to_string(),
            Cell::Float(x) => x.to_string(),
            Cell::Text(s) => s.to_string(),
            Cell::Owned(s) => s.clone(),
            Cell::Null => String::new(),
            Cell::Marked(s) => s.to_html(),
            Cell::Ranges(r) => ranges_json(r),
            Cell::List(items) => items.join(","),
            Cell::Json(value) => value.to_string(),
        }
    }
}

fn ranges_json(ranges: &[Range<usize>]) -> String {
    let pairs: Vec<[usize; 2]> = ranges.iter().map(|r| [r.start, r.end]).collect();
    serde_json::to_string(&pairs).unwrap_or_default()
}

impl Serialize for Cell<'_> {
    fn serialize<S: serde::Serializer>(&self, ser: S) -> Result<S::Ok, S::Error> {
        match self {
            Cell::Int(n) => ser.serialize_u64(*n),
            Cell::Float(x) => ser.serialize_f32(*x),
            Cell::Text(s) => ser.serialize_str(s),
            Cell::Owned(s) => ser.serialize_str(s),
            Cell::Null => ser.serialize_none(),
            Cell::Marked(s) => ser.serialize_str(&s.to_html()),
            Cell::List(items) => ser.collect_seq(items.iter()),
            Cell::Json(value) => value.serialize(ser),
            Cell::Ranges(ranges) => {
                let mut seq = ser.serialize_seq(Some(ranges.len()))?;
                for r in ranges.iter() {
                    seq.serialize_element(&[r.start, r.end])?;
                }
                seq.end()
            }
        }
    }
}

/// A kind of row with named columns.
pub trait Record {
    /// Every column, in the default order.
    const COLUMNS: &'static [&'static str];
    /// Columns written only when asked for (`--fields`, `--explain`); their
    /// indices follow those of `COLUMNS`.
    const EXTRA_COLUMNS: &'static [&'static str] = &[];
    /// The value of column `i` (of `COLUMNS`, then `EXTRA_COLUMNS`).
    fn cell(&self, i: usize) -> Cell<'_>;
}

/// The name of column `i` of `R`.
fn column_name<R: Record>(i: usize) -> &'static str {
    R::COLUMNS
        .get(i)
        .or_else(|| R::EXTRA_COLUMNS.get(i - R::COLUMNS.len()))
        .copied()
        .unwrap_or("")
}

/// The columns to write, as indices into [`Record::COLUMNS`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Columns(Vec<usize>);

impl Columns {
    /// Every column of `R`.
    pub fn all<R: Record>() -> Columns {
        Columns((0..R::COLUMNS.len()).collect())
    }

    /// Columns from a comma-separated list of names (`--fields`), in the
    /// order given; an unknown name is an error that lists the known ones.
    pub fn parse<R: Record>(spec: &str) -> Result<Columns, String> {
        let mut picked = Vec::new();
        for name in spec.split(',').map(str::trim).filter(|n| !n.is_empty()) {
            let known = R::COLUMNS.iter().chain(R::EXTRA_COLUMNS);
            match known.clone().position(|c| c.eq_ignore_ascii_case(name)) {
                Some(i) if picked.contains(&i) => {
                    return Err(format!("field '{name}' is listed twice"));
                }
                Some(i) => picked.push(i),
                None => {
                    return Err(format!(
                        "unknown field '{name}'; the fields are: {}",
                        R::COLUMNS.join(",")
                    ));
                }
            }
        }
        if picked.is_empty() {
            return Err(format!(
                "no fields given; the fields are: {}",
                R::COLUMNS.join(",")
            ));
        }
        Ok(Columns(picked))
    }

    /// These columns and the extra column `name` of `R`, if it has one.
    pub fn with_extra<R: Record>(mut self, name: &str) -> Columns {
        if let Some(j) = R::EXTRA_COLUMNS.iter().position(|c| *c == name) {
            let i = R::COLUMNS.len() + j;
            if !self.0.contains(&i) {
                self.0.push(i);
            }
        }
        self
    }

    fn names<R: Record>(&self) -> impl Iterator<Item = &'static str> + '_ {
        self.0.iter().map(|&i| column_name::<R>(i))
    }
}

/// What the HTML page says about where its rows come from.
#[derive(Debug, Clone, Default)]
pub struct Page {
    /// Page heading, e.g. "fundstelle export".
    pub title: String,
    /// The query as typed.
    pub query: String,
    /// When the export was made (UTC, human-readable).
    pub exported_at: String,
    /// The index: folder and when it was built.
    pub index: String,
}

/// Format options beyond the format itself.
#[derive(Debug, Clone)]
pub struct TableOptions {
    /// Field delimiter of CSV (`,` unless changed; TSV always uses a tab).
    pub delimiter: u8,
    /// Start CSV/TSV with a UTF-8 byte order mark (for spreadsheets).
    pub bom: bool,
    /// For the HTML page.
    pub page: Page,
}

impl Default for TableOptions {
    fn default() -> Self {
        TableOptions {
            delimiter: b',',
            bom: false,
            page: Page::default(),
        }
    }
}

enum Sink<'a> {
    Csv(Box<csv::Writer<Box<dyn Write + 'a>>>),
    Plain(Box<dyn Write + 'a>),
}

/// Writes records of type `R` as a table, one row at a time.
pub struct Table<'a, R: Record> {
    format: Format,
    columns: Columns,
    /// Header names, one per column (the record's names unless renamed).
    names: Vec<&'static str>,
    sink: Sink<'a>,
    page: Page,
    rows: u64,
    started: bool,
    /// Aligned text needs every row before it can print one.
    buffered: Vec<Vec<String>>,
    /// Per column: only numbers so far (right-aligned in text).
    numeric: Vec<bool>,
    _record: PhantomData<fn(&R)>,
}

impl<'a, R: Record> Table<'a, R> {
    pub fn new(
        format: Format,
        columns: Columns,
        mut out: Box<dyn Write + 'a>,
        options: &TableOptions,
    ) -> io::Result<Table<'a, R>> {
        if options.bom && matches!(format, Format::Csv | Format::Tsv) {
            out.write_all("\u{feff}".as_bytes())?;
        }
        let sink = match format {
            Format::Csv => Sink::Csv(Box::new(
                csv::WriterBuilder::new()
                    .has_headers(false)
                    .delimiter(options.delimiter)
                    .from_writer(out),
            )),
            _ => Sink::Plain(out),
        };
        let names: Vec<&'static str> = columns.names::<R>().collect();
        Ok(Table {
            format,
            numeric: vec![true; names.len()],
            columns,
            names,
            sink,
            page: options.page.clone(),
            rows: 0,
            started: false,
            buffered: Vec::new(),
            _record: PhantomData,
        })
    }

    /// Calls column `from` `to` in the header and the JSON keys (e.g. the
    /// `value` of a count as `date`).
    pub fn rename(mut self, from: &str, to: &'static str) -> Self {
        for name in &mut self.names {
            if *name == from {
                *name = to;
            }
        }
        self
    }

    /// Writes what comes before the first row (header, page head).
    fn start(&mut self) -> io::Result<()> {
        if self.started {
            return Ok(());
        }
        self.started = true;
        let names = self.names.clone();
        match (&mut self.sink, self.format) {
            (Sink::Csv(w), _) => w.write_record(&names).map_err(csv_error),
            (Sink::Plain(out), Format::Markdown) => {
                let header: Vec<String> = names.iter().map(|n| markdown_text(n)).collect();
                writeln!(out, "| {} |", header.join(" | "))?;
                writeln!(out, "|{}", "---|".repeat(names.len()))
            }
            (Sink::Plain(out), Format::Html) => html_head(out, &self.page, &names),
            (Sink::Plain(out), Format::Tsv) => writeln!(out, "{}", names.join("\t")),
            (Sink::Plain(_), Format::Text) => {
                self.buffered
                    .push(names.iter().map(|n| n.to_string()).collect());
                Ok(())
            }
            (Sink::Plain(out), Format::Json) => out.write_all(b"["),
            (Sink::Plain(_), _) => Ok(()),
        }
    }

    /// Writes one record.
    pub fn row(&mut self, record: &R) -> io::Result<()> {
        self.start()?;
        let first = self.rows == 0;
        self.rows += 1;
        let cells: Vec<Cell> = self.columns.0.iter().map(|&i| record.cell(i)).collect();
        match (&mut self.sink, self.format) {
            (Sink::Csv(w), _) => w
                .write_record(cells.iter().map(Cell::plain))
                .map_err(csv_error),
            (Sink::Plain(out), Format::Json | Format::Jsonl) => {
                if self.format == Format::Json {
                    out.write_all(if first { b"\n  " } else { b",\n  " })?;
                }
                serde_json::to_writer(&mut *out, &JsonRow(&self.names, &cells))?;
                if self.format == Format::Jsonl {
                    out.write_all(b"\n")?;
                }
                Ok(())
            }
            (Sink::Plain(out), Format::Tsv) => {
                let cells: Vec<String> = cells.iter().map(|c| tsv_field(&c.plain())).collect();
                writeln!(out, "{}", cells.join("\t"))
            }
            (Sink::Plain(out), Format::Markdown) => {
                let cells: Vec<String> = cells.iter().map(markdown_cell).collect();
                writeln!(out, "| {} |", cells.join(" | "))
            }
            (Sink::Plain(out), Format::Html) => {
                let mut row = String::from("<tr>");
                for (name, cell) in self.names.iter().zip(&cells) {
                    // Column names are this program's own ASCII identifiers.
                    let _ = write!(row, "<td class=\"{name}\">");
                    html_cell(cell, &mut row);
                    row.push_str("</td>");
                }
                row.push_str("</tr>\n");
                out.write_all(row.as_bytes())
            }
            (Sink::Plain(_), _) => {
                for (numeric, cell) in self.numeric.iter_mut().zip(&cells) {
                    *numeric &= matches!(cell, Cell::Int(_) | Cell::Float(_));
                }
                self.buffered.push(
                    cells
                        .iter()
                        .map(|c| match c {
                            Cell::Null => "(none)".to_string(),
                            c => one_line(&c.plain()),
                        })
                        .collect(),
                );
                Ok(())
            }
        }
    }

    /// Number of rows written so far.
    pub fn rows(&self) -> u64 {
        self.rows
    }

    /// Closes the table; `summary` ends the HTML page (e.g. the totals).
    pub fn finish(&mut self, summary: &str) -> io::Result<()> {
        self.start()?;
        let rows = self.rows;
        match (&mut self.sink, self.format) {
            (Sink::Csv(w), _) => return w.flush(),
            (Sink::Plain(out), Format::Json) => {
                out.write_all(if rows == 0 { b"]\n" } else { b"\n]\n" })?
            }
            (Sink::Plain(out), Format::Html) => html_tail(out, summary)?,
            (Sink::Plain(out), Format::Text) => {
                write_aligned(out, &self.buffered, &self.numeric)?;
                self.buffered.clear();
            }
            (Sink::Plain(_), _) => {}
        }
        if let Sink::Plain(out) = &mut self.sink {
            out.flush()?;
        }
        Ok(())
    }
}

fn csv_error(e: csv::Error) -> io::Error {
    match e.into_kind() {
        csv::ErrorKind::Io(e) => e,
        other => io::Error::other(format!("{other:?}")),
    }
}

/// A JSON object with the columns in their order (serde_json's own map
/// would sort the keys).
struct JsonRow<'r, 'c>(&'r [&'r str], &'r [Cell<'c>]);

impl Serialize for JsonRow<'_, '_> {
    fn serialize<S: serde::Serializer>(&self, ser: S) -> Result<S::Ok, S::Error> {
        let mut map = ser.serialize_map(Some(self.0.len()))?;
        for (name, cell) in self.0.iter().zip(self.1) {
            map.serialize_entry(name, cell)?;
        }
        map.end()
    }
}

// ---------------------------------------------------------------- TSV

/// A TSV field: never quoted (so `cut` and `awk -F'\t'` see the columns),
/// with the characters that would end the field or the row as spaces: tab,
/// line feed, carriage return, and what other readers take for line breaks
/// (vertical tab, form feed, the file, group and record separators, NEL,
/// the Unicode line and paragraph separators: all that Python's
/// `splitlines` splits at); quotes stay as they are.
pub fn tsv_field(text: &str) -> String {
    text.replace(
        [
            '\t', '\n', '\r', '\u{0B}', '\u{0C}', '\u{1C}', '\u{1D}', '\u{1E}', '\u{85}',
            '\u{2028}', '\u{2029}',
        ],
        " ",
    )
}

// ---------------------------------------------------------------- Markdown

/// Text as the content of a Markdown table cell that renders literally:
/// every inline metacharacter backslash-escaped (including `|`, which would
/// end the cell), line breaks as `<br>` (a table row is one line).
pub fn markdown_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    let mut previous = ' ';
    while let Some(c) = chars.next() {
        let next = chars.peek().copied().unwrap_or(' ');
        match c {
            '\r' if next == '\n' => {}
            '\n' | '\r' => out.push_str("<br>"),
            // Inside a word (`000_d71…`) an underscore is never emphasis.
            '_' if previous.is_alphanumeric() && next.is_alphanumeric() => out.push(c),
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '|' | '&' | '~' | '!' | '#' => {
                out.push('\\');
                out.push(c);
            }
            _ => out.push(c),
        }
        previous = c;
    }
    out
}

fn markdown_cell(cell: &Cell) -> String {
    match cell {
        Cell::Marked(snippet) => {
            let mut out = String::new();
            snippet.render(
                |s, out| out.push_str(&markdown_text(s)),
                ("**", "**"),
                &mut out,
            );
            out
        }
        other => markdown_text(&other.plain()),
    }
}

// ---------------------------------------------------------------- HTML

const STYLE: &str = "\
body{font-family:system-ui,sans-serif;margin:2rem;color:#222}\
h1{font-size:1.4rem}dl{display:grid;grid-template-columns:max-content auto;gap:.2rem 1rem}\
dt{font-weight:bold}table{border-collapse:collapse;width:100%}\
th,td{border:1px solid #ccc;padding:.3rem .5rem;vertical-align:top;text-align:left}\
th{background:#f3f3f3}td{white-space:pre-wrap}td.snippet,td.text{min-width:30rem}\
mark{background:#ffe066;font-weight:bold}footer{margin-top:1rem;color:#555}";

fn escape(text: &str) -> String {
    html_escape::encode_text(text).into_owned()
}

fn html_head(out: &mut dyn Write, page: &Page, names: &[&str]) -> io::Result<()> {
    let title = if page.query.is_empty() {
        escape(&page.title)
    } else {
        format!("{}: {}", escape(&page.title), escape(&page.query))
    };
    writeln!(out, "<!DOCTYPE html>")?;
    writeln!(out, "<html lang=\"de\">")?;
    writeln!(out, "<head>")?;
    writeln!(out, "<meta charset=\"utf-8\">")?;
    writeln!(out, "<title>{title}</title>")?;
    writeln!(out, "<style>{STYLE}</style>")?;
    writeln!(out, "</head>")?;
    writeln!(out, "<body>")?;
    writeln!(out, "<header>")?;
    writeln!(out, "<h1>{}</h1>", escape(&page.title))?;
    writeln!(out, "<dl>")?;
    writeln!(
        out,
        "<dt>Query</dt><dd class=\"query\"><code>{}</code></dd>",
        escape(&page.query)
    )?;
    writeln!(
        out,
        "<dt>Exported</dt><dd class=\"exported\">{}</dd>",
        escape(&page.exported_at)
    )?;
    writeln!(
        out,
        "<dt>Index</dt><dd class=\"index\">{}</dd>",
        escape(&page.index)
    )?;
    writeln!(out, "</dl>")?;
    writeln!(out, "</header>")?;
    writeln!(out, "<table>")?;
    let header: String = names
        .iter()
        .map(|n| format!("<th>{}</th>", escape(n)))
        .collect();
    writeln!(out, "<thead><tr>{header}</tr></thead>")?;
    writeln!(out, "<tbody>")
}

fn html_cell(cell: &Cell, out: &mut String) {
    match cell {
        Cell::Marked(snippet) => out.push_str(&snippet.to_html()),
        other => out.push_str(&escape(&other.plain())),
    }
}

fn html_tail(out: &mut dyn Write, summary: &str) -> io::Result<()> {
    writeln!(out, "</tbody>")?;
    writeln!(out, "</table>")?;
    writeln!(out, "<footer><p>{}</p></footer>", escape(summary))?;
    writeln!(out, "</body>")?;
    writeln!(out, "</html>")
}

// ---------------------------------------------------------------- text

/// Line breaks and tabs as spaces, so a row stays one line.
fn one_line(s: &str) -> String {
    s.chars()
        .map(|c| if c.is_whitespace() { ' ' } else { c })
        .collect()
}

/// Rows as columns padded to their widest cell (in characters), two spaces
/// apart; the last column is not padded.
pub fn write_aligned(out: &mut dyn Write, rows: &[Vec<String>], right: &[bool]) -> io::Result<()> {
    let columns = rows.iter().map(Vec::len).max().unwrap_or(0);
    let widths: Vec<usize> = (0..columns)
        .map(|i| {
            rows.iter()
                .filter_map(|r| r.get(i))
                .map(|c| c.chars().count())
                .max()
                .unwrap_or(0)
        })
        .collect();
    for row in rows {
        let mut line = String::new();
        for (i, cell) in row.iter().enumerate() {
            if i > 0 {
                line.push_str("  ");
            }
            let pad = widths[i].saturating_sub(cell.chars().count());
            let last = i + 1 == row.len();
            if right.get(i).copied().unwrap_or(false) {
                line.push_str(&" ".repeat(pad));
                line.push_str(cell);
            } else {
                line.push_str(cell);
                if !last {
                    line.push_str(&" ".repeat(pad));
                }
            }
        }
        writeln!(out, "{}", line.trim_end())?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_tsv_field_is_one_line_for_every_reader_of_lines() {
        let text = "a\tb\nc\rd\u{0B}e\u{0C}f\u{85}g\u{2028}h\u{2029}i\u{1C}j\u{1D}k\u{1E}l \"m\"";
        let field = tsv_field(text);
        assert_eq!(field, "a b c d e f g h i j k l \"m\"");
        // Rust's own idea of a line break agrees: nothing is left of one.
        assert!(
            !field
                .chars()
                .any(|c| c.is_control() || matches!(c, '\u{2028}' | '\u{2029}'))
        );
    }

    struct Row {
        n: u64,
        text: String,
        missing: Option<String>,
    }

    impl Record for Row {
        const COLUMNS: &'static [&'static str] = &["n", "text", "missing"];
        fn cell(&self, i: usize) -> Cell<'_> {
            match i {
                0 => Cell::Int(self.n),
                1 => Cell::Text(&self.text),
                _ => self.missing.as_deref().map_or(Cell::Null, Cell::Text),
            }
        }
    }

    fn render(format: Format, columns: Columns, rows: &[Row], options: &TableOptions) -> String {
        let mut buf = Vec::new();
        {
            let mut t: Table<Row> =
                Table::new(format, columns, Box::new(&mut buf), options).unwrap();
            for r in rows {
                t.row(r).unwrap();
            }
            t.finish("2 rows").unwrap();
        }
        String::from_utf8(buf).unwrap()
    }

    fn rows() -> Vec<Row> {
        vec![
            Row {
                n: 1,
                text: "a | b".into(),
                missing: None,
            },
            Row {
                n: 22,
                text: "Zeile\nzwei; \"zitiert\"".into(),
                missing: Some("x".into()),
            },
        ]
    }

    #[test]
    fn columns_are_picked_by_name_in_the_order_given() {
        let c = Columns::parse::<Row>("text, n").unwrap();
        assert_eq!(c, Columns(vec![1, 0]));
        let err = Columns::parse::<Row>("n,nope").unwrap_err();
        assert!(
            err.contains("'nope'") && err.contains("n,text,missing"),
            "{err}"
        );
        assert!(Columns::parse::<Row>("n,n").is_err());
        assert!(Columns::parse::<Row>(" , ").is_err());
    }

    #[test]
    fn json_keeps_the_column_order_and_writes_null() {
        let out = render(
            Format::Jsonl,
            Columns::parse::<Row>("text,missing,n").unwrap(),
            &rows(),
            &TableOptions::default(),
        );
        let first = out.lines().next().unwrap();
        assert_eq!(first, r#"{"text":"a | b","missing":null,"n":1}"#);
        let json = render(
            Format::Json,
            Columns::all::<Row>(),
            &[],
            &TableOptions::default(),
        );
        assert_eq!(json, "[]\n");
    }

    #[test]
    fn markdown_escapes_pipes_and_breaks_lines() {
        assert_eq!(markdown_text("a | b"), "a \\| b");
        assert_eq!(markdown_text("x\r\ny*z_<b>"), "x<br>y\\*z\\_\\<b\\>");
        assert_eq!(markdown_text("000_d7 _a_"), "000_d7 \\_a\\_");
        assert_eq!(markdown_text("000_d7 _a_"), "000_d7 \\_a\\_");
        let out = render(
            Format::Markdown,
            Columns::all::<Row>(),
            &rows(),
            &TableOptions::default(),
        );
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(lines.len(), 4, "{out}");
        assert_eq!(lines[2], "| 1 | a \\| b |  |");
    }

    #[test]
    fn aligned_text_pads_columns_and_right_aligns_numbers() {
        let out = render(
            Format::Text,
            Columns::all::<Row>(),
            &rows(),
            &TableOptions::default(),
        );
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(lines[0], " n  text                   missing");
        assert_eq!(lines[1], format!(" 1  {:<21}  (none)", "a | b"));
        assert_eq!(lines[2], "22  Zeile zwei; \"zitiert\"  x");
    }
}
