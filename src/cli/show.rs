//! `fundstelle show DOC[:PARA]`

use std::io::{self, BufWriter, Write};

use anyhow::{Result, bail};
use clap::{Args, ValueEnum};

use fundstelle::output::show::write_article;

use super::{Exit, Global};

/// Show an article as the indexer understood it: metadata and every paragraph
#[derive(Debug, Args)]
#[command(after_help = "\
Examples:
  fundstelle show 000_d714841662dd548e             the whole article
  fundstelle show 000_d714841662dd548e:24 -C 2     paragraph 24 and two on each side
  fundstelle show --format json 001_575c36f6a3e195c5")]
pub struct ShowArgs {
    /// The article id (its file name without extension), optionally with
    /// `:PARA` for one paragraph
    #[arg(value_name = "DOC[:PARA]")]
    target: String,

    /// With DOC:PARA, also show N paragraphs before and after
    #[arg(short = 'C', long, default_value_t = 0, value_name = "N")]
    context: u64,

    /// Output format
    #[arg(short, long, value_enum, default_value_t = ShowFormat::Text)]
    format: ShowFormat,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum ShowFormat {
    /// For people
    Text,
    /// The article and its paragraphs as one JSON object
    Json,
}

pub fn run(global: &Global, args: ShowArgs) -> Result<Exit> {
    let (dir, searcher) = global.open_to_read()?;
    // "doc:12" is paragraph 12 of "doc", unless the whole thing is an id.
    let (doc, para) = match args.target.rsplit_once(':') {
        Some((doc, para)) if para.chars().all(|c| c.is_ascii_digit()) && !para.is_empty() => {
            match searcher.article(&args.target)? {
                Some(_) => (args.target.as_str(), None),
                None => (doc, Some(para.parse::<u64>()?)),
            }
        }
        _ => (args.target.as_str(), None),
    };
    let Some(mut article) = searcher.article(doc)? else {
        bail!(
            "no article '{doc}' in the index at {}; article ids are file names without extension \
             (see `fundstelle search` output)",
            dir.root().display()
        );
    };
    let range = match para {
        Some(p) if p == 0 || p > article.paragraphs.len() as u64 => bail!(
            "article '{doc}' has paragraphs 1 to {}, not {p}",
            article.paragraphs.len()
        ),
        Some(p) => Some((p.saturating_sub(args.context), p + args.context)),
        None => None,
    };
    let mut out = match args.format {
        ShowFormat::Text => global.stdout(),
        ShowFormat::Json => Box::new(BufWriter::new(io::stdout().lock())),
    };
    match args.format {
        ShowFormat::Text => write_article(&mut out, &article, range, para)?,
        ShowFormat::Json => {
            if let Some((from, to)) = range {
                article
                    .paragraphs
                    .retain(|p| p.para >= from && p.para <= to);
            }
            serde_json::to_writer_pretty(&mut out, &article)?;
            writeln!(out)?;
        }
    }
    out.flush()?;
    Ok(Exit::Found)
}
