//! `fundstelle terms WORD...` and `fundstelle terms --top N`

use anyhow::{Result, bail};
use clap::Args;

use fundstelle::analysis;
use fundstelle::output::{Columns, Format, Table, TableOptions};
use fundstelle::search::{
    CompoundOf, FormCount, FormMatcher, SameForm, SameStem, WithPrefix, WithinEdits,
};

use super::common::{FormatArg, found};
use super::{Exit, Global};

/// Show which word forms in the index a word finds, or the most frequent terms
#[derive(Debug, Args)]
#[command(after_help = "\
For each WORD, the surface forms in the paragraph text that an unquoted search
for it finds (same Snowball German stem), with the number of paragraphs that
contain them and how often they occur: see what a query will find before
running it. Forms are shown lowercased, as the index holds them. As in a
query, WORD* lists the forms starting with WORD (what a prefix search finds),
WORD~N the forms within N edits (0-2; what a fuzzy search finds) and a quoted
\"WORD\" only that form.

Examples:
  fundstelle terms Länder
  fundstelle terms Sicherheitsgarantie Waffenruhe
  fundstelle terms --top 20                   the 20 forms found in the most paragraphs
  fundstelle terms --top 20 --stems           the same for stems
  fundstelle terms --format csv Ukraine
  fundstelle terms 'Sicherheits*' '\"Garantien\"'
  fundstelle terms 'Selenskij~1'

Exit status: 0 forms found, 1 none, 2 error.")]
pub struct TermsArgs {
    /// Words to look up
    #[arg(
        value_name = "WORD",
        required_unless_present = "top",
        conflicts_with = "top"
    )]
    words: Vec<String>,

    /// List the N terms found in the most paragraphs
    #[arg(long, value_name = "N")]
    top: Option<usize>,

    /// With --top: list stems instead of surface forms
    #[arg(long, requires = "top")]
    stems: bool,

    /// Output format
    #[arg(short, long, value_enum, default_value_t = FormatArg::Text)]
    format: FormatArg,
}

/// The largest edit distance of `word~N`, as in a query.
const MAX_FUZZY: u8 = 2;

/// Quotation marks a quoted word may be written with.
const QUOTES: &[char] = &['"', '„', '“', '”', '«', '»'];

pub fn run(global: &Global, args: TermsArgs) -> Result<Exit> {
    let format = Format::from(args.format);
    // As the search reads them: `word*` a prefix, `"word"` that form only,
    // an unquoted word its forms and compounds (a word like "Ukraine-Krieg"
    // is two words to the index).
    let mut words = Vec::new();
    let mut prefixes = Vec::new();
    let mut forms = Vec::new();
    let mut fuzzies = Vec::new();
    // An argument of several words (`'Ukraine~1 Paris'`) is several words,
    // as in a query; a quoted one is one form.
    let quoted_whole = |w: &str| {
        let t = w.trim();
        t.len() > 1 && t.starts_with(QUOTES) && t.ends_with(QUOTES)
    };
    // Each word with the spaces before it, its argument, and where in the
    // argument its spaces begin (positions in messages count in the
    // argument as given).
    let mut pieces: Vec<(&str, &str, usize)> = Vec::new();
    for arg in &args.words {
        if quoted_whole(arg) || arg.trim().is_empty() {
            pieces.push((arg, arg, 0));
            continue;
        }
        let mut start = 0;
        for piece in arg.split_whitespace() {
            let end = piece.as_ptr() as usize - arg.as_ptr() as usize + piece.len();
            pieces.push((arg, &arg[start..end], start));
            start = end;
        }
    }
    for (arg, word, start) in pieces {
        let trimmed = word.trim();
        let quoted = quoted_whole(word);
        // As in a query: a `*` anywhere but at the end of an unquoted word
        // is an error, not a word boundary.
        let body = if quoted {
            trimmed
        } else {
            trimmed.strip_suffix('*').unwrap_or(trimmed)
        };
        if !quoted && let Some(at) = body.find('*') {
            // Counted in the word as given, leading spaces too.
            let lead = word.len() - word.trim_start().len();
            bail!(
                "'{arg}', position {}: '*' marks a prefix only at the end of a word, as in Sicherheits*",
                arg[..start + lead + at].chars().count() + 1
            );
        }
        // As in a query: `word~N` (N from 0 to 2, `~` alone 2) the forms
        // within N edits.
        if let Some((fuzzy, distance)) = trimmed.rsplit_once('~').filter(|_| !quoted) {
            let distance = match distance {
                "" => MAX_FUZZY,
                d => d.parse::<u8>().ok().filter(|d| *d <= MAX_FUZZY).ok_or_else(|| {
                    anyhow::anyhow!(
                        "'{arg}', position {}: '~' takes an edit distance from 0 to {MAX_FUZZY}, as in Selenskij~1",
                        arg[..start + word.len() - word.trim_start().len() + fuzzy.len()].chars().count() + 1
                    )
                })?,
            };
            if !fuzzy.chars().any(analysis::is_word_char) {
                bail!("'{word}' has no letters or digits before the '~'");
            }
            fuzzies.push(WithinEdits::new(fuzzy, distance));
            continue;
        }
        if let Some(prefix) = trimmed.strip_suffix('*').filter(|_| !quoted) {
            if !prefix.chars().any(analysis::is_word_char) {
                bail!("'{word}' has no letters or digits before the '*'");
            }
            prefixes.push(WithPrefix::new(prefix));
            continue;
        }
        let analysed = analysis::analyze(trimmed.trim_matches(QUOTES));
        if analysed.is_empty() {
            bail!("'{word}' has no letters or digits to look up");
        }
        let exact = analysed.into_iter().map(|w| w.exact);
        if quoted {
            forms.extend(exact.map(|f| SameForm::new(&f)));
        } else {
            words.extend(exact);
        }
    }
    let (_, searcher) = global.open_to_read()?;
    let found_terms = match args.top {
        Some(n) => searcher.top_terms(n.min(1_000_000), args.stems)?,
        None => {
            let same: Vec<SameStem> = words.iter().map(|w| SameStem::new(w)).collect();
            let compounds: Vec<CompoundOf> =
                words.iter().map(|w| searcher.compounds_of(w)).collect();
            let dyn_matchers: Vec<&dyn FormMatcher> = same
                .iter()
                .map(|m| m as &dyn FormMatcher)
                .chain(compounds.iter().map(|m| m as &dyn FormMatcher))
                .chain(prefixes.iter().map(|m| m as &dyn FormMatcher))
                .chain(fuzzies.iter().map(|m| m as &dyn FormMatcher))
                .chain(forms.iter().map(|m| m as &dyn FormMatcher))
                .collect();
            searcher.forms(&dyn_matchers)?
        }
    };
    let mut columns = Columns::all::<FormCount>();
    if args.top.is_some() {
        columns = Columns::parse::<FormCount>("term,paragraphs,occurrences")
            .map_err(anyhow::Error::msg)?;
    }
    let mut table: Table<FormCount> =
        Table::new(format, columns, global.stdout(), &TableOptions::default())?;
    for t in &found_terms {
        table.row(t)?;
    }
    table.finish(&format!("{} terms", found_terms.len()))?;
    Ok(found(found_terms.len() as u64))
}
