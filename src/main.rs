//! The `scratchnet` command: parse the command line, run it, report errors plainly.

mod cli;

use std::process::ExitCode;

/// Large buffers start on a cache line (`fast/alloc.rs` says why: the fast engine's two
/// threads write the two halves of each weight row).
#[global_allocator]
static ALLOC: scratchnet::fast::CacheLineAlloc = scratchnet::fast::CacheLineAlloc;

fn main() -> ExitCode {
    match cli::run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("error: {err}");
            eprintln!("hint: {}", err.hint());
            match err {
                scratchnet::Error::Interrupted { .. } => ExitCode::from(130), // the shell's code for Ctrl-C
                _ => ExitCode::FAILURE,
            }
        }
    }
}
