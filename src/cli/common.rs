//! What several subcommands share: global options, opening the index, the
//! query, result order, colour, formats, the pager, the progress bar.

use std::io::{self, BufWriter, IsTerminal, Write};
use std::path::PathBuf;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use anyhow::{Context, Result, bail};
use clap::{Args, ValueEnum};
use indicatif::{ProgressBar, ProgressStyle};

use fundstelle::index::IndexDir;
use fundstelle::ingest::Kind;
use fundstelle::ingest::files::shown;
use fundstelle::output::{Columns, Format, Page, TableOptions, utc_time};
use fundstelle::search::{ArticleHit, Hit, Limit, Query, Request, Scoped, Searcher, Sort};

use super::pager::Pager;
use super::{DEFAULT_CORPUS, DEFAULT_INDEX};

/// Options every subcommand has, turned into a plain struct once.
#[derive(Debug, Clone)]
pub struct Global {
    pub index: Option<PathBuf>,
    pub pager: bool,
    pub quiet: bool,
    pub verbose: bool,
}

impl Global {
    /// A note on stderr, unless `--quiet`.
    pub fn note(&self, message: impl std::fmt::Display) {
        if !self.quiet {
            eprintln!("fundstelle: {message}");
        }
    }

    /// A detail on stderr, only with `--verbose`.
    pub fn detail(&self, message: impl std::fmt::Display) {
        if self.verbose {
            eprintln!("fundstelle: {message}");
        }
    }

    /// Standard output for people: through the pager when stdout is a
    /// terminal (unless `--no-pager`), buffered either way.
    pub fn stdout(&self) -> Box<dyn Write> {
        if self.pager
            && io::stdout().is_terminal()
            && let Some(pager) = Pager::start()
        {
            return Box::new(BufWriter::new(pager));
        }
        Box::new(BufWriter::new(io::stdout().lock()))
    }

    /// The index folder, building the default one from `seeds/` on a fresh
    /// clone, and the searcher on it, for one command. The searcher lives
    /// until the process exits: dropping it unmapped the index files one by
    /// one (11% of the samples of a short search in `perf record`; without
    /// it the process took a third less CPU time, BENCHMARKS.md), which the
    /// kernel does at once when the process ends.
    pub fn open(&self) -> Result<(IndexDir, &'static Searcher)> {
        self.open_with(Searcher::open)
    }

    /// Like [`open`](Self::open), for a command that reads the index but
    /// runs no search (`show`, `stats`, `terms`): no threads to start.
    pub fn open_to_read(&self) -> Result<(IndexDir, &'static Searcher)> {
        self.open_with(|dir| Searcher::open_with_threads(dir, 1))
    }

    fn open_with(
        &self,
        open: impl FnOnce(&IndexDir) -> Result<Searcher>,
    ) -> Result<(IndexDir, &'static Searcher)> {
        let dir = match &self.index {
            Some(path) => IndexDir::new(path),
            None => {
                let dir = IndexDir::new(DEFAULT_INDEX);
                self.build_default_if_missing(&dir)?;
                dir
            }
        };
        let searcher: &'static Searcher = Box::leak(Box::new(open(&dir)?));
        if let Some(files) = searcher.incomplete_after() {
            let option = match &self.index {
                Some(path) => format!(" --index {}", shell_word(&shown(path))),
                None => String::new(),
            };
            self.note(format_args!(
                "the index at {} is incomplete: an `index` run is under way or was stopped \
                 after {files} files; results are those of its last commit \
                 (`fundstelle{option} index` completes it, reading {} again)",
                dir.root().display(),
                searcher.sources().join(", ")
            ));
        }
        self.detail(format_args!(
            "index {} built {} from {}",
            dir.root().display(),
            fundstelle::output::utc_time(searcher.built_at()),
            searcher.sources().join(", ")
        ));
        Ok((dir, searcher))
    }

    /// On a fresh clone, the first search builds the default index from
    /// seeds/.
    fn build_default_if_missing(&self, dir: &IndexDir) -> Result<()> {
        let corpus = PathBuf::from(DEFAULT_CORPUS);
        // A damaged index is not replaced by the seeds: opening it says
        // what is wrong.
        if dir.has_index_files() || !corpus.is_dir() {
            return Ok(());
        }
        self.note(format_args!(
            "no index yet; building {} from {} first",
            dir.root().display(),
            corpus.display()
        ));
        super::index::build(
            dir,
            &[corpus],
            &fundstelle::ingest::Rules::built_in(),
            &fundstelle::index::BuildOptions::default(),
            self,
        )
        .context("building the default index failed")?;
        Ok(())
    }

    /// A progress bar with rate and ETA on stderr, drawn only when stderr
    /// is a terminal and not `--quiet`.
    pub fn progress(&self, len: u64, what: &str) -> ProgressBar {
        if self.quiet || !io::stderr().is_terminal() {
            return ProgressBar::hidden();
        }
        let style =
            ProgressStyle::with_template("{msg} [{bar:30}] {pos}/{len} {per_sec} ETA {eta}")
                .map(|s| s.progress_chars("=> "))
                .unwrap_or_else(|_| ProgressStyle::default_bar());
        let bar = ProgressBar::new(len)
            .with_style(style)
            .with_message(what.to_string());
        bar.enable_steady_tick(Duration::from_millis(200));
        bar
    }
}

/// The query words and the date flags, shared by every querying command.
#[derive(Debug, Args)]
pub struct QueryArgs {
    /// The query (several arguments are joined with spaces)
    #[arg(required = true, value_name = "QUERY")]
    pub query: Vec<String>,

    /// Only paragraphs of articles dated on or after DATE (YYYY-MM-DD, YYYY-MM or YYYY)
    #[arg(long, value_name = "DATE")]
    pub from: Option<String>,

    /// Only paragraphs of articles dated on or before DATE (YYYY-MM-DD, YYYY-MM or YYYY)
    #[arg(long, value_name = "DATE")]
    pub to: Option<String>,

    /// Also search these kinds, left out by default: comment, boilerplate
    /// (comma-separated; `all` for every kind)
    #[arg(long, value_name = "KINDS", value_delimiter = ',')]
    pub include: Vec<String>,
}

impl QueryArgs {
    /// The query as typed, with the date flags, restricted to the default
    /// scope plus `--include` (unless it names kinds itself).
    pub fn parse(&self) -> Result<Scoped> {
        let mut query = Query::parse(&self.text())?;
        query
            .restrict_dates(self.from.as_deref(), self.to.as_deref())
            .map_err(anyhow::Error::msg)?;
        Ok(query.in_scope(&scope(&self.include)?))
    }
}

impl QueryArgs {
    /// The query as typed (several arguments joined with spaces).
    pub fn text(&self) -> String {
        self.query.join(" ")
    }
}

/// What the HTML page of `fundstelle COMMAND` says about itself: the
/// command, the query as typed, when it was written, from which index.
pub fn page(command: &str, query: &QueryArgs, dir: &IndexDir, searcher: &Searcher) -> Page {
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    Page {
        title: format!("fundstelle {command}"),
        query: query.text(),
        exported_at: utc_time(now),
        index: format!(
            "{} (built {} from {})",
            dir.root().display(),
            utc_time(searcher.built_at()),
            searcher.sources().join(", ")
        ),
    }
}

/// Table options with only the HTML page set.
pub fn page_options(page: Page) -> TableOptions {
    TableOptions {
        page,
        ..TableOptions::default()
    }
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

/// How results are ordered and grouped.
#[derive(Debug, Args)]
pub struct OrderArgs {
    /// Order: score (best first), date (oldest first; same date: best
    /// first), doc (reading order: article id, paragraph). Without it: by
    /// score, or index order with --all / export (streamed, least memory)
    #[arg(long, value_enum, value_name = "ORDER")]
    pub sort: Option<SortArg>,

    /// At most N (best-scoring) paragraphs per article; articles ranked by
    /// their best paragraph
    #[arg(long, value_name = "N", conflicts_with = "articles")]
    pub per_article: Option<usize>,

    /// One row per matching article: its number of matching paragraphs and
    /// its best paragraph
    #[arg(long)]
    pub articles: bool,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum SortArg {
    /// Best BM25 score first
    Score,
    /// Oldest article first, undated last; same date: best score first
    Date,
    /// Article id, then paragraph number
    Doc,
}

impl OrderArgs {
    /// The request for `limit`; without `--sort`, `default` decides.
    pub fn request(&self, limit: Limit, default: Sort) -> Result<Request> {
        if self.per_article == Some(0) {
            bail!("--per-article 0 would show nothing; give at least 1");
        }
        let sort = match self.sort {
            Some(SortArg::Score) => Sort::Score,
            Some(SortArg::Date) => Sort::Date,
            Some(SortArg::Doc) => Sort::Doc,
            None => default,
        };
        Ok(Request {
            limit,
            sort,
            per_article: self.per_article,
        })
    }
}

/// Every output format as a command-line value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FormatArg {
    /// For people
    Text,
    /// A JSON array of objects
    Json,
    /// One JSON object per line
    Jsonl,
    /// Comma-separated values with a header row (RFC 4180 quoting)
    Csv,
    /// Tab-separated values with a header row (never quoted; tabs and line
    /// breaks in a field become spaces)
    Tsv,
    /// A Markdown table
    #[value(alias = "markdown")]
    Md,
    /// A self-contained HTML page
    Html,
}

impl From<FormatArg> for Format {
    fn from(f: FormatArg) -> Format {
        match f {
            FormatArg::Text => Format::Text,
            FormatArg::Json => Format::Json,
            FormatArg::Jsonl => Format::Jsonl,
            FormatArg::Csv => Format::Csv,
            FormatArg::Tsv => Format::Tsv,
            FormatArg::Md => Format::Markdown,
            FormatArg::Html => Format::Html,
        }
    }
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum ColorArg {
    /// Colour when stdout is a terminal and NO_COLOR is not set
    Auto,
    /// Always colour
    Always,
    /// Never colour
    Never,
}

/// The columns `--fields` asks for in a hit list: of paragraph rows, or
/// with `--articles` of article rows. Names that are the other rows' fields
/// say so.
pub fn hit_columns(spec: &str, articles: bool) -> Result<Columns> {
    let (columns, other, other_rows) = if articles {
        (
            Columns::parse::<ArticleHit>(spec),
            Columns::parse::<Hit>(spec),
            "paragraph rows (without --articles)",
        )
    } else {
        (
            Columns::parse::<Hit>(spec),
            Columns::parse::<ArticleHit>(spec),
            "article rows (add --articles)",
        )
    };
    columns.map_err(|e| match other {
        Ok(_) => anyhow::anyhow!("--fields: {e}; '{spec}' are fields of {other_rows}"),
        Err(_) => anyhow::anyhow!("--fields: {e}"),
    })
}

pub fn use_color(choice: ColorArg) -> bool {
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

/// The grep-like exit status for a number of results.
pub fn found(n: u64) -> super::Exit {
    if n > 0 {
        super::Exit::Found
    } else {
        super::Exit::NotFound
    }
}

/// `word` as a shell reads it back: in single quotes unless it is plain.
fn shell_word(word: &str) -> String {
    let plain = |c: char| c.is_ascii_alphanumeric() || "/._-+=:,@%".contains(c);
    if !word.is_empty() && word.chars().all(plain) {
        word.to_string()
    } else {
        format!("'{}'", word.replace('\'', r"'\''"))
    }
}
