//! `fundstelle kwic QUERY [--width N]`

use anyhow::{Result, bail};
use clap::Args;

use fundstelle::output::{self, Columns, Format, KwicPrinter, Table};
use fundstelle::search::{Limit, Occurrence, Sort};

use super::common::{ColorArg, FormatArg, QueryArgs, SortArg, page, page_options, use_color};
use super::{Exit, Global};

/// Concordance: one line per occurrence, with the words to its left and right
#[derive(Debug, Args)]
#[command(after_help = "\
One line per occurrence, not per paragraph; a phrase is one occurrence. The
text format lines up the matches in one column; the machine formats have
separate columns left, match and right (slices of the paragraph text, so
left + match + right is always part of it) and start/end byte offsets.

Examples:
  fundstelle kwic Sicherheitsgarantie
  fundstelle kwic --width 60 '\"Koalition der Willigen\"'
  fundstelle kwic --format csv Waffenruhe > konkordanz.csv
  fundstelle kwic -n 20 --sort date Ukraine

Exit status: 0 occurrences found, 1 none, 2 error.")]
pub struct KwicArgs {
    #[command(flatten)]
    query: QueryArgs,

    /// Characters of context on each side
    #[arg(short, long, default_value_t = 40, value_name = "N")]
    width: usize,

    /// Show at most N lines [default: all]
    #[arg(short = 'n', long, value_name = "N")]
    limit: Option<usize>,

    /// Order of the paragraphs: score, date, doc [default: index order]
    #[arg(long, value_enum, value_name = "ORDER")]
    sort: Option<SortArg>,

    /// Output format
    #[arg(short, long, value_enum, default_value_t = FormatArg::Text)]
    format: FormatArg,

    /// Columns of the machine formats, in this order
    #[arg(long, value_name = "LIST")]
    fields: Option<String>,

    /// When to colour the output (NO_COLOR is honoured with auto)
    #[arg(long, value_enum, default_value_t = ColorArg::Auto, value_name = "WHEN")]
    color: ColorArg,
}

/// Stops the search once enough lines are out.
#[derive(Debug)]
struct Enough;

impl std::fmt::Display for Enough {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("enough lines")
    }
}

impl std::error::Error for Enough {}

pub fn run(global: &Global, args: KwicArgs) -> Result<Exit> {
    if args.width > 10_000 {
        bail!(
            "--width {} is too wide; at most 10000 characters",
            args.width
        );
    }
    let scoped = args.query.parse()?;
    let query = scoped.query.clone();
    if query.matchers().is_empty() {
        bail!(
            "the query has no words to show in context (only filters or exclusions); add a word or a \"phrase\""
        );
    }
    let format = Format::from(args.format);
    let sort = match args.sort {
        None => Sort::Index,
        Some(SortArg::Score) => Sort::Score,
        Some(SortArg::Date) => Sort::Date,
        Some(SortArg::Doc) => Sort::Doc,
    };
    // Every paragraph has at least one occurrence, so N lines need at most
    // N paragraphs.
    let request = fundstelle::search::Request {
        limit: args.limit.map_or(Limit::All, Limit::Top),
        sort,
        per_article: None,
    };
    let wanted = args.limit.map_or(u64::MAX, |n| n as u64);
    let (dir, searcher) = global.open()?;
    let scoped = searcher.prepare_scoped(&scoped)?;
    let query = scoped.query.clone();
    let options = page_options(page("kwic", &args.query, &dir, searcher));
    let out = global.stdout();
    let mut shown = 0u64;
    let result = if format == Format::Text {
        if args.fields.is_some() {
            bail!("--fields chooses the columns of a machine format; add --format csv, jsonl, …");
        }
        let location_width = searcher.longest_doc_id()? + 5;
        let mut printer = KwicPrinter::new(out, use_color(args.color), args.width, location_width);
        let result = searcher.concordance(&query, &request, args.width, &mut |o| {
            if shown >= wanted {
                return Err(Enough.into());
            }
            shown += 1;
            Ok(printer.line(&o)?)
        });
        printer.finish("")?;
        result
    } else {
        let columns = match &args.fields {
            Some(spec) => Columns::parse::<Occurrence>(spec).map_err(anyhow::Error::msg)?,
            None => Columns::all::<Occurrence>(),
        };
        let mut table: Table<Occurrence> = Table::new(format, columns, out, &options)?;
        let result = searcher.concordance(&query, &request, args.width, &mut |o| {
            if shown >= wanted {
                return Err(Enough.into());
            }
            shown += 1;
            Ok(table.row(&o)?)
        });
        table.finish(&format!("{shown} occurrences"))?;
        result
    };
    let left_out = |totals: &mut fundstelle::search::Totals| -> Result<String> {
        searcher.count_left_out(&scoped, totals)?;
        Ok(output::out_of_scope_note(totals))
    };
    match result {
        Ok((mut totals, lines)) if args.limit.is_none() => {
            let left_out = left_out(&mut totals)?;
            global.note(format_args!(
                "{} in {}{left_out}",
                output::plural(lines, "occurrence", "occurrences"),
                output::totals_line(&totals)
            ))
        }
        Ok((mut totals, _)) => {
            let left_out = left_out(&mut totals)?;
            global.note(format_args!(
                "showing the first {} ({} match{left_out})",
                output::plural(shown, "occurrence", "occurrences"),
                output::totals_line(&totals)
            ))
        }
        Err(e) if e.is::<Enough>() => global.note(format_args!(
            "showing the first {}",
            output::plural(shown, "occurrence", "occurrences")
        )),
        Err(e) => return Err(e),
    }
    Ok(super::common::found(shown))
}
