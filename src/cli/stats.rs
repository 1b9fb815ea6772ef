//! `fundstelle stats`

use anyhow::{Result, bail};
use clap::Args;

use fundstelle::output::Format;
use fundstelle::output::report::write_stats;

use super::common::FormatArg;
use super::{Exit, Global};

/// Show what the index holds: articles, paragraphs by kind, languages, dates, terms, size,
/// segments, sources
#[derive(Debug, Args)]
#[command(after_help = "\
Examples:
  fundstelle stats
  fundstelle stats --format json
  fundstelle --index /tmp/idx stats")]
pub struct StatsArgs {
    /// Output format: text or json
    #[arg(short, long, value_enum, default_value_t = FormatArg::Text)]
    format: FormatArg,
}

pub fn run(global: &Global, args: StatsArgs) -> Result<Exit> {
    let format = Format::from(args.format);
    if !matches!(format, Format::Text | Format::Json) {
        bail!("stats are written as text or json (--format text|json)");
    }
    let (dir, searcher) = global.open_to_read()?;
    let stats = searcher.stats()?;
    let mut out = global.stdout();
    write_stats(&mut out, format, &dir.root().display().to_string(), &stats)?;
    Ok(Exit::Found)
}
