//! The `fundstelle` binary: parse arguments, run, map the outcome to an exit
//! code like grep (0 found, 1 nothing found, 2 error).

mod cli;

use std::io;
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, Ordering};

use clap::Parser;

fn main() -> ExitCode {
    limit_malloc_arenas();
    drop_empty_settings();
    let args = cli::Cli::parse();
    quiet_index_panics();
    let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| cli::run(args)));
    let damage = INDEX_PANIC.get().map(|what| {
        format!(
            "the index is damaged: tantivy stopped reading it ({what}); {}",
            fundstelle::index::REBUILD_HINT
        )
    });
    match outcome {
        Ok(Ok(exit)) => {
            // A panic in one of tantivy's own threads that the run got
            // past (a merge that stopped): said, not hidden.
            if let Some(damage) = damage {
                eprintln!("fundstelle: warning: {damage}");
            }
            exit.into()
        }
        Ok(Err(err)) if is_broken_pipe(&err) => ExitCode::SUCCESS,
        Ok(Err(err)) => {
            eprintln!("fundstelle: {err:#}");
            if let Some(damage) = damage {
                eprintln!("fundstelle: {damage}");
            } else if let Some(advice) = fundstelle::index::damage_advice(&err) {
                eprintln!("fundstelle: {advice}");
            }
            cli::Exit::Error.into()
        }
        Err(panic) => match damage {
            Some(damage) if !OWN_PANIC.load(Ordering::SeqCst) => {
                eprintln!("fundstelle: {damage}");
                cli::Exit::Error.into()
            }
            // A bug of fundstelle's own: the default hook has said where.
            _ => std::panic::resume_unwind(panic),
        },
    }
}

/// The first panic raised inside tantivy's crates, as `message at
/// file:line`.
static INDEX_PANIC: std::sync::OnceLock<String> = std::sync::OnceLock::new();

/// Whether a panic was raised in fundstelle's own code (or anywhere but
/// tantivy): then the run ends as a panic, whatever else happened.
static OWN_PANIC: AtomicBool = AtomicBool::new(false);

/// tantivy trusts the files it wrote: where one is damaged, reading it can
/// panic (an index out of bounds in its postings, a slice past the end of
/// a file) instead of returning an error, on the main thread or in one of
/// its merge threads. Such a panic is a damaged index, not a bug to show
/// with a backtrace: its message is kept for the error `main` prints
/// (exit 2, with the advice to rebuild). A panic is tantivy's when it is
/// raised in one of its crates' files or, raised elsewhere (in `core`, or
/// in a crate tantivy decodes with, such as `bitpacking`), when the
/// innermost function of its stack that is tantivy's or fundstelle's is
/// tantivy's; fundstelle's own code called by tantivy (a collector, a
/// tokenizer) is fundstelle's. Panics anywhere else go to the default
/// hook.
fn quiet_index_panics() {
    let default = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let place = info.location();
        let tantivys = place.is_some_and(|l| in_index_crate(l.file()))
            || innermost_owner(&std::backtrace::Backtrace::force_capture().to_string())
                == Some(Owner::Tantivy);
        match place.filter(|_| tantivys) {
            Some(place) => {
                let payload = info.payload();
                let message = payload
                    .downcast_ref::<&str>()
                    .copied()
                    .or_else(|| payload.downcast_ref::<String>().map(String::as_str))
                    .unwrap_or("panic");
                let _ = INDEX_PANIC.set(format!(
                    "{message} at {}:{}",
                    from_crate_folder(place.file()),
                    place.line()
                ));
            }
            None => {
                OWN_PANIC.store(true, Ordering::SeqCst);
                default(info);
            }
        }
    }));
}

/// Whose code a function of a backtrace is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Owner {
    Tantivy,
    Fundstelle,
}

/// The owner of the innermost function of a backtrace (as `Backtrace`
/// prints it: `  3: tantivy::postings::…`, innermost first) that is
/// tantivy's or fundstelle's, below the panic machinery (the hook itself
/// and `std::panicking` up to the panic's place). A method of a trait is
/// its type's: `<fundstelle::…::BlockJoinScorer as tantivy::DocSet>::
/// advance` is fundstelle's. None without symbols.
fn innermost_owner(backtrace: &str) -> Option<Owner> {
    let frames: Vec<&str> = backtrace
        .lines()
        .filter_map(|line| {
            let (number, name) = line.trim_start().split_once(": ")?;
            number.bytes().all(|b| b.is_ascii_digit()).then_some(name)
        })
        .collect();
    // The first (innermost) frame of the machinery: the hook is called
    // from it, and the frames from it to the panic's place are std's and
    // core's. Frames further out can be std's panicking again
    // (`std::panicking::catch_unwind` around `main`'s run).
    let below_panic = frames
        .iter()
        .position(|f| f.contains("panicking::") || f.contains("rust_begin_unwind"))
        .map_or(0, |i| i + 1);
    frames[below_panic..].iter().find_map(|frame| {
        let path = frame.trim_start_matches('<');
        let krate = path.split("::").next()?;
        if krate == "fundstelle" {
            Some(Owner::Fundstelle)
        } else if krate.starts_with("tantivy") || krate == "ownedbytes" {
            Some(Owner::Tantivy)
        } else {
            None
        }
    })
}

/// Whether a source file is one of tantivy's crates (or `ownedbytes`,
/// its byte slices), as Cargo unpacks them: a folder `name-version`.
fn in_index_crate(file: &str) -> bool {
    file.split(['/', '\\']).any(is_index_crate_folder)
}

fn is_index_crate_folder(folder: &str) -> bool {
    folder.rsplit_once('-').is_some_and(|(name, version)| {
        (name.starts_with("tantivy") || name == "ownedbytes")
            && version.starts_with(|c: char| c.is_ascii_digit())
    })
}

/// `…/registry/src/…/tantivy-0.27.0/src/postings/merger.rs` as
/// `tantivy-0.27.0/src/postings/merger.rs`: from the last folder named as
/// Cargo unpacks a crate (`name-1.2.3`).
fn from_crate_folder(file: &str) -> &str {
    let mut start = None;
    let mut at = 0;
    for folder in file.split(['/', '\\']) {
        let unpacked = folder.rsplit_once('-').is_some_and(|(_, version)| {
            version.starts_with(|c: char| c.is_ascii_digit()) && version.contains('.')
        });
        if unpacked {
            start = Some(at);
        }
        at += folder.len() + 1;
    }
    start.map_or(file, |start| &file[start..])
}

/// glibc gives each thread that allocates its own malloc arena (up to
/// eight per core); indexing runs a dozen threads, and the memory freed in
/// one arena is not reused by the others: peak memory of a full build was
/// 330 MB with the default and 255 MB with two arenas (BENCHMARKS.md).
fn limit_malloc_arenas() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only changes allocator settings; it is called before
    // any other thread exists.
    unsafe {
        libc::mallopt(libc::M_ARENA_MAX, 2);
    }
}

/// The environment variables that stand for options.
const SETTINGS: [&str; 2] = ["FUNDSTELLE_INDEX", "FUNDSTELLE_RULES"];

/// An empty setting (`export FUNDSTELLE_RULES=`, the shell's way to clear
/// one) counts as unset, not as an empty path for clap to refuse.
fn drop_empty_settings() {
    for var in SETTINGS {
        if std::env::var_os(var).is_some_and(|v| v.is_empty()) {
            // SAFETY: no other thread exists yet that could read the
            // environment.
            unsafe { std::env::remove_var(var) }
        }
    }
}

/// `fundstelle search … | head` closing the pipe early is not an error.
fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|cause| {
        cause
            .downcast_ref::<io::Error>()
            .is_some_and(|e| e.kind() == io::ErrorKind::BrokenPipe)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn panics_in_tantivys_crates_are_told_from_fundstelles_own() {
        let registry = "/root/.cargo/registry/src/index.crates.io-1949cf8c6b5b557f";
        for file in [
            "tantivy-0.27.0/src/postings/merger.rs",
            "ownedbytes-0.9.0/src/lib.rs",
            "tantivy-columnar-0.27.0/src/column/mod.rs",
        ] {
            let full = format!("{registry}/{file}");
            assert!(in_index_crate(&full), "{full}");
            assert_eq!(from_crate_folder(&full), file);
        }
        assert_eq!(
            from_crate_folder(&format!("{registry}/bitpacking-0.9.3/src/bitpacker4x.rs")),
            "bitpacking-0.9.3/src/bitpacker4x.rs"
        );
        for file in [
            "src/index/writer.rs",
            "/home/me/tantivy-tests/fundstelle/src/main.rs",
            &format!("{registry}/whatlang-0.18.0/src/lib.rs"),
        ] {
            assert!(!in_index_crate(file), "{file}");
        }
    }

    /// Backtraces as `std::backtrace::Backtrace` prints them (abridged).
    #[test]
    fn a_panic_is_the_code_of_the_innermost_function_below_the_panic_machinery() {
        let bitpacking = "   0: std::backtrace::Backtrace::force_capture
             at /rustc/x/library/std/src/backtrace.rs:312:9
   1: fundstelle::quiet_index_panics::{{closure}}
   2: std::panicking::panic_with_hook
   3: core::panicking::panic_fmt
   4: bitpacking::bitpacker4x::BitPacker4x::decompress
   5: tantivy::positions::reader::PositionReader::read
   6: <tantivy::query::phrase_query::PhraseScorer<T> as tantivy::docset::DocSet>::advance
   7: fundstelle::search::Searcher::top_by_score
   8: fundstelle::main::{{closure}}
   9: std::panicking::catch_unwind::do_call
  10: __rust_try
  11: std::panicking::catch_unwind
  12: fundstelle::main";
        assert_eq!(innermost_owner(bitpacking), Some(Owner::Tantivy));
        let ours = "   0: std::backtrace::Backtrace::force_capture
   1: fundstelle::quiet_index_panics::{{closure}}
   2: std::panicking::panic_with_hook
   3: core::panicking::panic_bounds_check
   4: <fundstelle::search::join::BlockJoinScorer as tantivy::docset::DocSet>::advance
   5: tantivy::collector::Collector::collect_segment
   6: fundstelle::main";
        assert_eq!(innermost_owner(ours), Some(Owner::Fundstelle));
        assert_eq!(innermost_owner("   0: <unknown>\n   1: <unknown>"), None);
    }
}
