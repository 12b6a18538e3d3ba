//! The `polibase-bi` binary: parses the command line and hands over to the library.

use std::process::ExitCode;

fn main() -> ExitCode {
    polibase_bi::cli::main()
}
