//! `fundstelle search QUERY...`

use std::time::Instant;

use anyhow::{Result, bail};
use clap::Args;

use fundstelle::output::{
    self, ArticlePrinter, ArticleSink, Columns, Format, Printer, TextPrinter,
};
use fundstelle::search::{ArticleHit, EmptyFilter, Hit, Limit, Query, Searcher, Sort, Totals};

use super::common::{
    ColorArg, FormatArg, OrderArgs, QueryArgs, found, hit_columns, page, page_options, use_color,
};
use super::{Exit, Global};

/// Hits shown without `-n`.
const DEFAULT_LIMIT: usize = 10;

/// Search the index; prints the best paragraphs with highlighted snippets
#[derive(Debug, Args)]
#[command(after_help = "\
Query syntax:
  Sicherheitsgarantie          every inflected form (Sicherheitsgarantien, …)
  Garantien                    also compounds: Sicherheitsgarantien (whole words rank first)
  Laender, Grossbritannien     umlaut and ß spellings; Minister also finds Ministerin(nen)
  Sicherheits*                 words starting with Sicherheits
  Selenskij~1                  words within 1 edit (0-2)
  \"Koalition der Willigen\"     exact phrase of these word forms (case-insensitive)
  \"Koalition der Will*\"        the last word of a phrase as a prefix
  \"Koalition Willigen\"~2       the words at most 2 positions from where the phrase has them
  Ukraine Krieg                both words (AND is the default)
  Ukraine OR Krieg             either word; AND binds tighter than OR
  -Russland, NOT Russland      without this word
  ( … )                        grouping
  doc:ID  lang:deu  kind:heading  agency:dpa  title:Wort  heading:Wort
  date:2025-09-04  date:2025-09  date:[2025-09-01 TO 2025-09-30]

Reader comments and boilerplate (paywall prompts, teasers) are indexed but only
searched with --include comment,boilerplate or an explicit kind: filter.

Examples:
  fundstelle search Sicherheitsgarantien
  fundstelle search -n 3 --sort date 'Macron OR Merz'
  fundstelle search --per-article 1 Ukraine          the best paragraph of each article
  fundstelle search --articles Waffenruhe            one line per article, with its count
  fundstelle search --all --format csv --fields doc,line,snippet Ukraine
  fundstelle search --explain -n 3 Garantien        why each hit scored as it did

Without an index and without --index, the index is first built from seeds/.")]
pub struct SearchArgs {
    #[command(flatten)]
    query: QueryArgs,

    /// Show the best N paragraphs (articles with --articles); 0 means all
    /// [default: 10]
    #[arg(short = 'n', long, value_name = "N")]
    limit: Option<usize>,

    /// Return every match (streamed in index order unless --sort is given)
    #[arg(short, long)]
    all: bool,

    #[command(flatten)]
    order: OrderArgs,

    /// Output format
    #[arg(short, long, value_enum, default_value_t = FormatArg::Text)]
    format: FormatArg,

    /// Columns of the machine formats, in this order (e.g. doc,date,line,snippet)
    #[arg(long, value_name = "LIST")]
    fields: Option<String>,

    /// When to colour the output (NO_COLOR is honoured with auto)
    #[arg(long, value_enum, default_value_t = ColorArg::Auto, value_name = "WHEN")]
    color: ColorArg,

    /// Show for each hit which terms matched in which field and how each
    /// contributed to the score (machine formats: an `explanation` column)
    #[arg(long)]
    explain: bool,
}

pub fn run(global: &Global, args: SearchArgs) -> Result<Exit> {
    let started = Instant::now();
    let scoped = args.query.parse()?;
    let format = Format::from(args.format);
    if format == Format::Text && args.fields.is_some() {
        bail!("--fields chooses the columns of a machine format; add --format csv, json, …");
    }
    let (all, limit) = match (args.all, args.limit.unwrap_or(DEFAULT_LIMIT)) {
        (true, n) if n != 0 && args.limit.is_some() => {
            bail!("--all shows every hit and -n {n} the best {n}; give one of them")
        }
        (true, _) | (false, 0) => (true, Limit::All),
        (false, n) => (false, Limit::Top(n)),
    };
    let request = args
        .order
        .request(limit, if all { Sort::Index } else { Sort::Score })?;
    let (dir, searcher) = global.open()?;
    if request.sort == Sort::Score && !args.order.articles {
        searcher.open_ahead(&scoped.query);
    }
    // Compounds and prefixes looked up once, for every run below.
    let scoped = searcher.prepare_scoped(&scoped)?;
    let query = &scoped.query;
    let options = page_options(page("search", &args.query, &dir, searcher));
    let color = use_color(args.color);

    let totals = if args.order.articles {
        let columns = match &args.fields {
            Some(spec) => hit_columns(spec, true)?,
            None => Columns::all::<ArticleHit>(),
        };
        let mut printer: Box<dyn ArticleSink> = match format {
            Format::Text => Box::new(ArticlePrinter::new(global.stdout(), color)),
            _ => output::table_printer::<ArticleHit>(format, columns, global.stdout(), &options)?,
        };
        let mut totals = searcher.articles(query, &request, &mut |a| Ok(printer.article(&a)?))?;
        searcher.count_left_out(&scoped, &mut totals)?;
        printer.finish(&totals, started.elapsed())?;
        totals
    } else {
        let mut columns = match &args.fields {
            Some(spec) => hit_columns(spec, false)?,
            None => Columns::all::<Hit>(),
        };
        if args.explain {
            columns = columns.with_extra::<Hit>("explanation");
        }
        let mut printer: Box<dyn Printer> = match format {
            Format::Text => {
                let p = TextPrinter::new(global.stdout(), color);
                Box::new(if request.sort == Sort::Score {
                    p
                } else {
                    p.not_by_score()
                })
            }
            _ => output::table_printer::<Hit>(format, columns, global.stdout(), &options)?,
        };
        let totals = searcher.run_scoped(&scoped, &request, &mut |mut hit| {
            if args.explain {
                hit.explanation = Some(searcher.explain(query, &hit)?);
            }
            Ok(printer.hit(&hit)?)
        })?;
        printer.finish(&totals, started.elapsed())?;
        totals
    };
    if format != Format::Text {
        global.note(format_args!(
            "{}{}",
            output::totals_line(&totals),
            output::out_of_scope_note(&totals)
        ));
    }
    // Hints about what the user typed, not about the kinds of the scope.
    hint_if_nothing(global, searcher, &scoped.unrestricted, &totals);
    global.detail(format_args!(
        "{:.1} ms",
        started.elapsed().as_secs_f64() * 1000.0
    ));
    Ok(found(totals.paragraphs))
}

/// When nothing was found: the closest indexed words ("Meinten Sie"), and a
/// word about lower-case operator words.
/// What to say about a filter no paragraph passes.
fn empty_filter_hint(filter: &EmptyFilter) -> String {
    match filter {
        EmptyFilter::Value {
            field: "doc",
            value,
            ..
        } => format!("hint: no article in the index has the id '{value}'"),
        EmptyFilter::Value {
            field,
            value,
            known,
            of,
        } => {
            let mut hint = format!("hint: no paragraph in the index has {field}:{value}");
            if known.is_empty() {
                hint.push_str(&format!(" (no paragraph has any {field})"));
            } else {
                let listed: Vec<String> = known.iter().map(|(v, n)| format!("{v} ({n})")).collect();
                hint.push_str(&format!("; its {field} values: {}", listed.join(", ")));
                if *of > known.len() {
                    hint.push_str(&format!(" and {} more", of - known.len()));
                }
            }
            hint
        }
        EmptyFilter::Dates {
            first_last: Some((first, last)),
        } => format!(
            "hint: no article in the index is dated within the dates asked for; its dates run from {first} to {last}"
        ),
        EmptyFilter::Dates { first_last: None } => {
            "hint: no article in the index has a date".to_string()
        }
    }
}

pub fn hint_if_nothing(global: &Global, searcher: &Searcher, query: &Query, totals: &Totals) {
    // Notes are not shown with --quiet; the suggestions cost a scan of
    // every segment's dictionary.
    if global.quiet {
        return;
    }
    if totals.paragraphs == 0 && totals.out_of_scope == 0 {
        let suggestions = searcher.suggestions(query);
        if !suggestions.is_empty() {
            let words: Vec<&str> = suggestions.iter().map(|(_, s)| s.as_str()).collect();
            global.note(format_args!("Meinten Sie: {}?", words.join(" ")));
        }
    }
    if totals.paragraphs == 0 && totals.out_of_scope == 0 {
        for filter in searcher.empty_filters(query) {
            global.note(empty_filter_hint(&filter));
        }
    }
    if totals.paragraphs == 0 {
        for word in query.operator_lookalikes() {
            global.note(format_args!(
                "hint: '{word}' was searched as a word; operators are upper case ({})",
                word.to_uppercase()
            ));
        }
    }
}
