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

    /// Show at most N lines; 0 means all, as with search [default: all]
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
    // `-n 0` is no limit, as for `search`.
    let limit = args.limit.filter(|&n| n > 0);
    // Every paragraph has at least one occurrence, so N lines need at most
    // N paragraphs.
    let request = fundstelle::search::Request {
        limit: limit.map_or(Limit::All, Limit::Top),
        sort,
        per_article: None,
    };
    let wanted = limit.map_or(u64::MAX, |n| n as u64);
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
    // Everything was shown when the run ended by itself and visited every
    // matching paragraph; stopped at the limit, it did not say how many
    // match, which is counted then (no text is read for that).
    let (mut totals, everything) = match result {
        Ok((totals, _)) => {
            let everything = limit.is_none_or(|n| totals.paragraphs <= n as u64);
            (totals, everything)
        }
        Err(e) if e.is::<Enough>() => (searcher.count(&query)?, false),
        Err(e) => return Err(e),
    };
    searcher.count_left_out(&scoped, &mut totals)?;
    let left_out = output::out_of_scope_paragraphs_note(&totals);
    let lines = output::plural(shown, "occurrence", "occurrences");
    let totals = output::totals_line(&totals);
    if everything {
        global.note(format_args!("{lines} in {totals}{left_out}"));
    } else {
        global.note(format_args!(
            "showing the first {lines} ({totals} match{left_out})"
        ));
    }
    Ok(super::common::found(shown))
}
