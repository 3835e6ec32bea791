//! The `scratchnet` command: parse the command line, run it, report errors plainly.

mod cli;

use std::io::Write;
use std::process::ExitCode;

use scratchnet::t;

/// Large buffers start on a cache line (`fast/alloc.rs` says why: the fast engine's two
/// threads write the two halves of each weight row).
#[global_allocator]
static ALLOC: scratchnet::fast::CacheLineAlloc = scratchnet::fast::CacheLineAlloc;

fn main() -> ExitCode {
    match cli::run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            // not eprintln!, which panics if standard error is gone (SIGHUP: the terminal closed)
            let (error, hint) = (t!("cli.error", message = err), t!("cli.hint", message = err.hint()));
            let _ = writeln!(std::io::stderr(), "{error}\n{hint}");
            match err {
                // 128 + the signal's number, as a shell reports it: 130 Ctrl-C, 143 SIGTERM, 129 SIGHUP
                scratchnet::Error::Interrupted { .. } => ExitCode::from(cli::signals::exit_status()),
                _ => ExitCode::FAILURE,
            }
        }
    }
}
