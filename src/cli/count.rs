//! `fundstelle count QUERY [--by GROUPING]`

use std::io::Write as _;

use anyhow::Result;
use clap::Args;

use fundstelle::index::schema::GROUPINGS;
use fundstelle::output::report::write_totals;
use fundstelle::output::{self, Columns, Format, Table};
use fundstelle::search::Group;

use super::common::{FormatArg, QueryArgs, found, page, page_options};
use super::{Exit, Global};

/// Count matching paragraphs and articles, in all or per date, month, article, language, kind
#[derive(Debug, Args)]
#[command(after_help = "\
Like grep -c: no text is loaded, only counted. With --by, one row per value
(sorted; paragraphs without a value, e.g. undated ones, last): the number of
matching paragraphs and of articles with at least one.

Examples:
  fundstelle count Sicherheitsgarantien
  fundstelle count --by date Ukraine
  fundstelle count --by month --format csv Waffenruhe > monate.csv
  fundstelle count --by kind '\"Koalition der Willigen\"'

Exit status: 0 something matched, 1 nothing matched, 2 error.")]
pub struct CountArgs {
    #[command(flatten)]
    query: QueryArgs,

    /// Count per value of: date, month, doc, agency, lang, kind
    #[arg(long, value_name = "GROUPING")]
    by: Option<String>,

    /// Output format
    #[arg(short, long, value_enum, default_value_t = FormatArg::Text)]
    format: FormatArg,
}

pub fn run(global: &Global, args: CountArgs) -> Result<Exit> {
    let scoped = args.query.parse()?;
    let format = Format::from(args.format);
    let (dir, searcher) = global.open()?;
    let scoped = searcher.prepare_scoped(&scoped)?;
    let query = scoped.query.clone();
    let mut out = global.stdout();
    let mut totals = searcher.count(&query)?;
    searcher.count_left_out(&scoped, &mut totals)?;
    let options = page_options(page("count", &args.query, &dir, searcher));
    let Some(by) = args.by.as_deref() else {
        write_totals(&mut out, format, &totals, &options)?;
        out.flush()?;
        return Ok(found(totals.paragraphs));
    };
    let groups = searcher.count_by(&query, &by.to_ascii_lowercase())?;
    // The value column is called after the grouping (a static name).
    let name = GROUPINGS
        .iter()
        .copied()
        .find(|g| g.eq_ignore_ascii_case(by))
        .unwrap_or("value");
    let mut table: Table<Group> =
        Table::new(format, Columns::all::<Group>(), out, &options)?.rename("value", name);
    for g in &groups {
        table.row(g)?;
    }
    let paragraphs = totals.paragraphs;
    let note = output::out_of_scope_note(&totals);
    table.finish(&format!("{paragraphs} paragraphs{note}"))?;
    // The table has no total row: what the scope left out is said on
    // stderr, as `export` does, so that it never disappears silently.
    if totals.out_of_scope > 0 {
        global.note(format_args!("{paragraphs} paragraphs{note}"));
    }
    Ok(found(paragraphs))
}
