//! `fundstelle export QUERY -o FILE`

use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::{Context, Result, bail};
use clap::Args;

use fundstelle::export::AtomicFile;
use fundstelle::output::{self, Columns, Format, Record, Table, TableOptions};
use fundstelle::search::{ArticleHit, Hit, Limit, Sort};

use super::common::{FormatArg, OrderArgs, QueryArgs, found, hit_columns, page};
use super::{Exit, Global};

/// Write every hit to a file: CSV, TSV, JSON Lines, JSON, Markdown or HTML
#[derive(Debug, Args)]
#[command(after_help = "\
The format comes from the file's extension (.csv .tsv .jsonl .json .md .html)
or from --format. Hits are written as they are found, in index order (file
order for a fresh index), so memory stays flat for any number of hits; --sort,
--per-article and --articles need to note every match first (24 bytes each).
The file appears under its name only when it is complete: it is written to a
hidden temporary file in the same folder and renamed at the end.

Examples:
  fundstelle export Sicherheitsgarantien -o treffer.csv
  fundstelle export Ukraine -o treffer.csv --delimiter ';' --bom   for a German spreadsheet
  fundstelle export Ukraine -o treffer.md --fields doc,date,title,line,snippet
  fundstelle export '\"Koalition der Willigen\"' -o bericht.html --sort date
  fundstelle export Waffenruhe --articles -o artikel.jsonl
  fundstelle export Ukraine -o - --format jsonl | jq .doc

Exit status: 0 hits written, 1 no hits (the file has only its header), 2 error.")]
pub struct ExportArgs {
    #[command(flatten)]
    query: QueryArgs,

    /// The file to write ('-' for standard output, with --format)
    #[arg(short, long, value_name = "FILE")]
    output: PathBuf,

    /// Format (default: from the file extension)
    #[arg(short, long, value_enum)]
    format: Option<FormatArg>,

    /// Columns, in this order (default: every field; see the README)
    #[arg(long, value_name = "LIST")]
    fields: Option<String>,

    /// CSV field delimiter, one character (';' for German spreadsheets)
    #[arg(long, value_name = "CHAR", value_parser = parse_delimiter)]
    delimiter: Option<u8>,

    /// Begin CSV/TSV with a UTF-8 byte order mark (so spreadsheets see UTF-8)
    #[arg(long)]
    bom: bool,

    /// Replace FILE if it exists
    #[arg(long)]
    force: bool,

    /// Write at most N hits (articles with --articles) [default: all]
    #[arg(short = 'n', long, value_name = "N")]
    limit: Option<usize>,

    #[command(flatten)]
    order: OrderArgs,
}

fn parse_delimiter(s: &str) -> Result<u8, String> {
    let s = if s == "\\t" || s == "tab" { "\t" } else { s };
    match s.as_bytes() {
        [b] if b.is_ascii() && *b != b'"' && *b != b'\n' && *b != b'\r' => Ok(*b),
        _ => Err(format!(
            "'{s}' is not a delimiter: give one ASCII character such as ',' ';' or tab (not a quote or line break)"
        )),
    }
}

fn format_of(path: &Path, explicit: Option<FormatArg>) -> Result<Format> {
    if let Some(f) = explicit {
        if f == FormatArg::Text {
            bail!("export writes a table: --format csv, tsv, jsonl, json, md or html");
        }
        return Ok(f.into());
    }
    if path == Path::new("-") {
        bail!("-o - writes to standard output; say in which format with --format");
    }
    let extension = path.extension().and_then(|e| e.to_str()).unwrap_or("");
    Format::from_extension(extension).with_context(|| {
        format!(
            "cannot tell the format of {} from its extension; use .csv .tsv .jsonl .json .md .html or --format",
            path.display()
        )
    })
}

pub fn run(global: &Global, args: ExportArgs) -> Result<Exit> {
    let started = Instant::now();
    let scoped = args.query.parse()?;
    let format = format_of(&args.output, args.format)?;
    let name = format!("{format:?}").to_lowercase();
    if args.delimiter.is_some() && format != Format::Csv {
        bail!("--delimiter is for CSV; this export is {name}");
    }
    if args.bom && !matches!(format, Format::Csv | Format::Tsv) {
        bail!("--bom is for CSV and TSV; this export is {name}");
    }
    let limit = match args.limit {
        None | Some(0) => Limit::All,
        Some(n) => Limit::Top(n),
    };
    let request = args.order.request(limit, Sort::Index)?;
    let (dir, searcher) = global.open()?;
    let scoped = searcher.prepare_scoped(&scoped)?;
    let query = scoped.query.clone();
    let to_stdout = args.output == Path::new("-");
    let mut file = if to_stdout {
        None
    } else {
        Some(AtomicFile::create(&args.output, args.force)?)
    };
    let options = TableOptions {
        delimiter: args.delimiter.unwrap_or(b','),
        bom: args.bom,
        page: page("export", &args.query, &dir, searcher),
    };
    // A progress bar needs the total first: counting is cheap (no stored
    // text is read), so do it only when the bar is shown.
    let bar = global.progress(0, "exporting");
    if !bar.is_hidden() {
        let totals = searcher.count(&query)?;
        let expected = match (args.order.articles, limit) {
            (true, Limit::Top(n)) => totals.articles.min(n as u64),
            (true, Limit::All) => totals.articles,
            (false, Limit::Top(n)) => totals.paragraphs.min(n as u64),
            (false, Limit::All) => totals.paragraphs,
        };
        bar.set_length(expected);
    }
    let out: Box<dyn Write + '_> = match &mut file {
        Some(f) => Box::new(f),
        None => Box::new(io::BufWriter::new(io::stdout().lock())),
    };
    let (mut totals, rows) = if args.order.articles {
        let mut table = table::<ArticleHit>(format, args.fields.as_deref(), true, out, &options)?;
        let totals = searcher.articles(&query, &request, &mut |a| {
            bar.inc(1);
            Ok(table.row(&a)?)
        })?;
        table.finish(&output::totals_line(&totals))?;
        (totals, table.rows())
    } else {
        let mut table = table::<Hit>(format, args.fields.as_deref(), false, out, &options)?;
        let totals = searcher.run(&query, &request, &mut |hit| {
            bar.inc(1);
            Ok(table.row(&hit)?)
        })?;
        table.finish(&output::totals_line(&totals))?;
        (totals, table.rows())
    };
    bar.finish_and_clear();
    searcher.count_left_out(&scoped, &mut totals)?;
    if let Some(file) = file {
        file.commit()?;
    }
    let what = if args.order.articles {
        "articles"
    } else {
        "hits"
    };
    if !to_stdout {
        global.note(format_args!(
            "wrote {rows} {what} to {} ({}{}; {:.2} s)",
            args.output.display(),
            output::totals_line(&totals),
            output::out_of_scope_note(&totals),
            started.elapsed().as_secs_f64()
        ));
    } else if totals.out_of_scope > 0 {
        global.note(format_args!(
            "{}{}",
            output::totals_line(&totals),
            output::out_of_scope_note(&totals)
        ));
    }
    Ok(found(rows))
}

fn table<'a, R: Record>(
    format: Format,
    fields: Option<&str>,
    articles: bool,
    out: Box<dyn Write + 'a>,
    options: &TableOptions,
) -> Result<Table<'a, R>> {
    let columns = match fields {
        Some(spec) => hit_columns(spec, articles)?,
        None => Columns::all::<R>(),
    };
    Ok(Table::new(format, columns, out, options)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delimiters_are_single_ascii_characters() {
        assert_eq!(parse_delimiter(";"), Ok(b';'));
        assert_eq!(parse_delimiter("\\t"), Ok(b'\t'));
        assert!(parse_delimiter("ab").is_err());
        assert!(parse_delimiter("\"").is_err());
        assert!(parse_delimiter("§").is_err());
    }

    #[test]
    fn the_format_comes_from_the_extension_or_the_flag() {
        assert_eq!(format_of(Path::new("a.CSV"), None).unwrap(), Format::Csv);
        assert_eq!(
            format_of(Path::new("a.txt"), Some(FormatArg::Md)).unwrap(),
            Format::Markdown
        );
        let err = format_of(Path::new("a.xlsx"), None)
            .unwrap_err()
            .to_string();
        assert!(err.contains("a.xlsx") && err.contains("--format"), "{err}");
        assert!(format_of(Path::new("-"), None).is_err());
    }
}
