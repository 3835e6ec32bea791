//! The `scratchnet` command: parse the command line, run it, report errors plainly.

mod cli;

use std::process::ExitCode;

fn main() -> ExitCode {
    match cli::run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("error: {err}");
            eprintln!("hint: {}", err.hint());
            ExitCode::FAILURE
        }
    }
}
