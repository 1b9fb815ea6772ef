//! The `fundstelle` binary: parse arguments, run, map the outcome to an exit
//! code like grep (0 found, 1 nothing found, 2 error).

mod cli;

use std::io;
use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    limit_malloc_arenas();
    drop_empty_settings();
    let args = cli::Cli::parse();
    match cli::run(args) {
        Ok(exit) => exit.into(),
        Err(err) if is_broken_pipe(&err) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("fundstelle: {err:#}");
            if let Some(advice) = fundstelle::index::damage_advice(&err) {
                eprintln!("fundstelle: {advice}");
            }
            cli::Exit::Error.into()
        }
    }
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
