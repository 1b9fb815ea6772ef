//! `fundstelle search QUERY...`

use std::io::{self, BufWriter, IsTerminal};
use std::path::PathBuf;
use std::time::Instant;

use anyhow::{Context, Result};
use clap::{Args, ValueEnum};

use fundstelle::index::{BuildOptions, IndexDir};
use fundstelle::ingest::{Kind, Rules};
use fundstelle::output::{self, Format};
use fundstelle::search::{Limit, Query, Searcher};

use super::{DEFAULT_CORPUS, DEFAULT_INDEX, Exit};

/// Search the index; prints the best paragraphs with highlighted snippets
#[derive(Debug, Args)]
#[command(after_help = "\
Query syntax:
  Sicherheitsgarantie          every inflected form (Sicherheitsgarantien, …)
  \"Koalition der Willigen\"     exact phrase of these word forms (case-insensitive)
  \"Koalition Willigen\"~2       the words at most 2 positions from where the phrase has them
  Ukraine Krieg                both words (AND is the default)
  Ukraine OR Krieg             either word; AND binds tighter than OR
  -Russland, NOT Russland      without this word
  ( … )                        grouping
  doc:ID  lang:deu  kind:heading  agency:dpa  title:Wort  heading:Wort
  date:2025-09-04  date:2025-09  date:[2025-09-01 TO 2025-09-30]

Reader comments and boilerplate (paywall prompts, teasers) are indexed but only
searched with --include comment,boilerplate or an explicit kind: filter.

Without an index and without --index, the index is first built from seeds/.")]
pub struct SearchArgs {
    /// The query (several arguments are joined with spaces)
    #[arg(required = true, value_name = "QUERY")]
    query: Vec<String>,

    /// Show the best N paragraphs; 0 means all
    #[arg(short = 'n', long, default_value_t = 10, value_name = "N")]
    limit: usize,

    /// Return every matching paragraph, streamed in index order
    #[arg(short, long)]
    all: bool,

    /// Output format
    #[arg(short, long, value_enum, default_value_t = FormatArg::Text)]
    format: FormatArg,

    /// When to colour the output (NO_COLOR is honoured with auto)
    #[arg(long, value_enum, default_value_t = ColorArg::Auto, value_name = "WHEN")]
    color: ColorArg,

    /// Only paragraphs of articles dated on or after DATE (YYYY-MM-DD)
    #[arg(long, value_name = "DATE")]
    from: Option<String>,

    /// Only paragraphs of articles dated on or before DATE (YYYY-MM-DD)
    #[arg(long, value_name = "DATE")]
    to: Option<String>,

    /// Also search these kinds, left out by default: comment, boilerplate
    /// (comma-separated; `all` for every kind)
    #[arg(long, value_name = "KINDS", value_delimiter = ',')]
    include: Vec<String>,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum FormatArg {
    /// For people: path:line, metadata, highlighted snippet
    Text,
    /// A JSON array of hits
    Json,
    /// One JSON object per hit and line
    Jsonl,
    /// CSV with a header row
    Csv,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum ColorArg {
    Auto,
    Always,
    Never,
}

fn use_color(choice: ColorArg) -> bool {
    match choice {
        ColorArg::Always => true,
        ColorArg::Never => false,
        ColorArg::Auto => {
            io::stdout().is_terminal()
                && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
                && std::env::var("TERM").map_or(true, |t| t != "dumb")
        }
    }
}

pub fn run(index: Option<PathBuf>, args: SearchArgs) -> Result<Exit> {
    let started = Instant::now();
    let mut query = Query::parse(&args.query.join(" "))?;
    query
        .restrict_dates(args.from.as_deref(), args.to.as_deref())
        .map_err(anyhow::Error::msg)?;

    let dir = match index {
        Some(path) => IndexDir::new(path),
        None => {
            let dir = IndexDir::new(DEFAULT_INDEX);
            build_default_if_missing(&dir)?;
            dir
        }
    };
    let searcher = Searcher::open(&dir)?;
    if searcher.state().is_some_and(|s| !s.complete) {
        eprintln!(
            "fundstelle: note: the index is incomplete (an `index` run is under way or was \
             interrupted); results cover the files indexed so far"
        );
    }
    let left_out = if query.names_kinds() {
        None
    } else {
        query.restrict_kinds(&scope(&args.include)?)
    };

    let format = match args.format {
        FormatArg::Text => Format::Text,
        FormatArg::Json => Format::Json,
        FormatArg::Jsonl => Format::Jsonl,
        FormatArg::Csv => Format::Csv,
    };
    let limit = if args.all || args.limit == 0 {
        Limit::All
    } else {
        Limit::Top(args.limit)
    };
    let stdout = BufWriter::new(io::stdout().lock());
    let mut printer = output::printer(format, Box::new(stdout), use_color(args.color));
    let mut totals = searcher.search(&query, limit, &mut |hit| Ok(printer.hit(&hit)?))?;
    if let Some(left_out) = &left_out {
        totals.out_of_scope = searcher.count(left_out)?.paragraphs;
    }
    printer.finish(&totals, started.elapsed())?;
    if format != Format::Text {
        let mut line = format!(
            "fundstelle: {} paragraphs in {} articles",
            totals.paragraphs, totals.articles
        );
        if totals.out_of_scope > 0 {
            line.push_str(&format!(
                "; {} more in comments or boilerplate (--include comment,boilerplate)",
                totals.out_of_scope
            ));
        }
        eprintln!("{line}");
    }
    if totals.paragraphs == 0 {
        for word in query.operator_lookalikes() {
            eprintln!(
                "fundstelle: hint: '{word}' was searched as a word; operators are upper case ({})",
                word.to_uppercase()
            );
        }
    }
    Ok(if totals.paragraphs > 0 {
        Exit::Found
    } else {
        Exit::NotFound
    })
}

/// The kinds to search: the default scope plus `--include`.
fn scope(include: &[String]) -> Result<Vec<Kind>> {
    let mut kinds = Kind::DEFAULT_SCOPE.to_vec();
    for name in include.iter().map(|s| s.trim()).filter(|s| !s.is_empty()) {
        if name.eq_ignore_ascii_case("all") {
            return Ok(Kind::ALL.to_vec());
        }
        let kind: Kind = name
            .parse()
            .map_err(|e: String| anyhow::anyhow!("--include: {e}"))?;
        if !kinds.contains(&kind) {
            kinds.push(kind);
        }
    }
    Ok(kinds)
}

/// On a fresh clone, the first search builds the default index from seeds/.
fn build_default_if_missing(dir: &IndexDir) -> Result<()> {
    let corpus = PathBuf::from(DEFAULT_CORPUS);
    if dir.exists() || !corpus.is_dir() {
        return Ok(());
    }
    eprintln!(
        "fundstelle: no index yet; building {} from {} first",
        dir.root().display(),
        corpus.display()
    );
    super::index::build(
        dir,
        &[corpus],
        &Rules::built_in(),
        &BuildOptions::default(),
        &mut |_| {},
    )
    .context("building the default index failed")?;
    Ok(())
}
