//! Command-line definitions and wiring. No logic of its own: every
//! subcommand turns its arguments into calls of the library. The clap
//! definitions are also the source of the man page and the shell
//! completions (`fundstelle man`, `fundstelle completions SHELL`).

mod common;
mod count;
mod export;
mod index;
mod kwic;
mod pager;
mod search;
mod show;
mod stats;
mod terms;

use std::io::{self, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Result;
use clap::{Args, CommandFactory, Parser, Subcommand};

pub use common::Global;

/// Exit statuses, as grep has them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    /// Something matched (or the command succeeded).
    Found = 0,
    /// The search ran and nothing matched.
    NotFound = 1,
    /// An error: bad arguments, bad query, missing index, skipped files.
    Error = 2,
}

impl From<Exit> for ExitCode {
    fn from(exit: Exit) -> ExitCode {
        ExitCode::from(exit as u8)
    }
}

/// Default index folder, relative to the working directory.
pub const DEFAULT_INDEX: &str = "index";
/// Default corpus, relative to the working directory.
pub const DEFAULT_CORPUS: &str = "seeds";

const ABOUT: &str = "Full-text search for German news articles: finds paragraphs, \
matches every inflected form, highlights the matches and says where they are (path:line).";

const EXAMPLES: &str = "\
Examples:
  fundstelle index seeds/                      build the index from a folder
  fundstelle search Sicherheitsgarantien       best 10 paragraphs, any inflected form
  fundstelle search '\"Koalition der Willigen\"'  an exact phrase
  fundstelle export Ukraine -o treffer.csv     every hit into a file (format from the extension)
  fundstelle count --by month Waffenruhe       how often, month by month
  fundstelle kwic Garantie                     one line per occurrence, in context
  fundstelle terms Länder                      which word forms a query finds
  fundstelle stats                             what the index holds
  fundstelle search -- -Russland Truppen       a query that starts with '-'
  fundstelle show 000_d714841662dd548e         an article as the indexer saw it

Exit status: 0 something found, 1 nothing found, 2 error.";

#[derive(Debug, Parser)]
#[command(name = "fundstelle", version, about = ABOUT, after_help = EXAMPLES)]
#[command(propagate_version = true)]
pub struct Cli {
    /// Index folder to build or search [default: index]
    #[arg(long, global = true, env = "FUNDSTELLE_INDEX", value_name = "DIR")]
    index: Option<PathBuf>,

    /// Never send output through a pager (by default long output on a
    /// terminal goes through $PAGER or less)
    #[arg(long, global = true)]
    no_pager: bool,

    /// Print nothing on stderr but errors (no notes, totals, progress)
    #[arg(short, long, global = true, conflicts_with = "verbose")]
    quiet: bool,

    /// Say more on stderr: which index, how long, which files
    #[arg(short, long, global = true)]
    verbose: bool,

    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    Index(index::IndexArgs),
    Search(search::SearchArgs),
    Show(show::ShowArgs),
    Export(export::ExportArgs),
    Count(count::CountArgs),
    Kwic(kwic::KwicArgs),
    Terms(terms::TermsArgs),
    Stats(stats::StatsArgs),
    Completions(CompletionsArgs),
    Man(ManArgs),
}

/// Print a shell completion script
#[derive(Debug, Args)]
#[command(after_help = "\
Examples:
  fundstelle completions bash > ~/.local/share/bash-completion/completions/fundstelle
  fundstelle completions zsh > ~/.zfunc/_fundstelle
  fundstelle completions fish > ~/.config/fish/completions/fundstelle.fish")]
struct CompletionsArgs {
    /// The shell to complete in
    #[arg(value_enum)]
    shell: clap_complete::Shell,
}

/// Print the manual page (roff)
#[derive(Debug, Args)]
#[command(after_help = "\
Examples:
  fundstelle man | man -l -
  fundstelle man > ~/.local/share/man/man1/fundstelle.1")]
struct ManArgs {}

/// Runs the command line and returns the exit code.
pub fn run(cli: Cli) -> Result<Exit> {
    let global = Global {
        index: cli.index,
        pager: !cli.no_pager,
        quiet: cli.quiet,
        verbose: cli.verbose,
    };
    match cli.command {
        Command::Index(args) => index::run(&global, args),
        Command::Search(args) => search::run(&global, args),
        Command::Show(args) => show::run(&global, args),
        Command::Export(args) => export::run(&global, args),
        Command::Count(args) => count::run(&global, args),
        Command::Kwic(args) => kwic::run(&global, args),
        Command::Terms(args) => terms::run(&global, args),
        Command::Stats(args) => stats::run(&global, args),
        Command::Completions(args) => {
            let mut out = io::stdout().lock();
            clap_complete::generate(args.shell, &mut Cli::command(), "fundstelle", &mut out);
            out.flush()?;
            Ok(Exit::Found)
        }
        Command::Man(_) => {
            let mut out = io::stdout().lock();
            clap_mangen::Man::new(Cli::command()).render(&mut out)?;
            out.flush()?;
            Ok(Exit::Found)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clap_definition_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn every_argument_has_help_and_every_subcommand_examples() {
        let cmd = Cli::command();
        for sub in cmd.get_subcommands() {
            assert!(sub.get_about().is_some(), "{} has no help", sub.get_name());
            let after = sub
                .get_after_help()
                .map(|h| h.to_string())
                .unwrap_or_default();
            assert!(
                after.contains("Examples:"),
                "{} has no examples in --help",
                sub.get_name()
            );
            for arg in sub.get_arguments() {
                assert!(
                    arg.get_help().is_some() || arg.get_id() == "help" || arg.get_id() == "version",
                    "{} --{} has no help",
                    sub.get_name(),
                    arg.get_id()
                );
            }
        }
    }
}
