//! Command-line definitions and wiring. No logic of its own: every
//! subcommand turns its arguments into calls of the library.

mod index;
mod search;
mod show;

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Result;
use clap::{Parser, Subcommand};

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
  fundstelle search --all --format csv Ukraine > treffer.csv
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

    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    Index(index::IndexArgs),
    Search(search::SearchArgs),
    Show(show::ShowArgs),
}

/// Runs the command line and returns the exit code.
pub fn run(cli: Cli) -> Result<Exit> {
    match cli.command {
        Command::Index(args) => index::run(cli.index, args),
        Command::Search(args) => search::run(cli.index, args),
        Command::Show(args) => show::run(cli.index, args),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn clap_definition_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn every_argument_has_help() {
        let cmd = Cli::command();
        for sub in cmd.get_subcommands() {
            assert!(sub.get_about().is_some(), "{} has no help", sub.get_name());
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
