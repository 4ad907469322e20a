//! The `segurdoc` binary: parses arguments, runs the library, maps the outcome to an exit code.

use std::process::ExitCode;

/// mimalloc instead of glibc's allocator: a build allocates and frees
/// millions of short strings from two threads, and glibc's free lists made
/// `_int_malloc` 16 % of a national build.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    segurdoc::cli::main(std::env::args_os())
}
