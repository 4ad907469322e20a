//! The `segurdoc` binary: parses arguments, runs the library, maps the outcome to an exit code.

use std::process::ExitCode;

fn main() -> ExitCode {
    segurdoc::cli::main(std::env::args_os())
}
