//! `hash-password`: turns a password read from standard input into a line for the users file
//! (`BI_AUTH_USERS_FILE`), so that operators never hand-craft hashes.

use std::io::BufRead;

use clap::Args;

use super::{Failure, exit};
use crate::auth::{check_user, hash_password};

/// Arguments of `hash-password`.
#[derive(Args, Clone, Debug)]
pub struct HashArgs {
    /// The user name to put in front of the hash; without it only the hash is printed.
    pub user: Option<String>,
}

pub fn run(args: &HashArgs) -> Result<(), Failure> {
    if let Some(user) = &args.user {
        check_user(user).map_err(|problem| usage(&problem))?;
    }
    let mut line = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut line)
        .map_err(|err| {
            usage(&format!(
                "cannot read the password from standard input: {err}"
            ))
        })?;
    let password = line.trim_end_matches(['\n', '\r']);
    if password.is_empty() {
        return Err(usage(
            "no password on standard input; type it and press Enter, or pipe it in: \
             printf '%s\\n' \"$PASSWORD\" | polibase-bi hash-password USER",
        ));
    }
    let hash = hash_password(password).map_err(|err| Failure::new(exit::FAILURE, err))?;
    match &args.user {
        Some(user) => println!("{user}:{hash}"),
        None => println!("{hash}"),
    }
    Ok(())
}

fn usage(message: &str) -> Failure {
    Failure::new(exit::USAGE, anyhow::anyhow!(message.to_string()))
}
