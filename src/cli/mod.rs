//! The command line: parse, then dispatch on the subcommand.

use std::process::ExitCode;

pub fn run() -> ExitCode {
    ExitCode::SUCCESS
}
