//! Who may use the dashboard: the access settings, the users file (`user:hash` lines, argon2 or
//! bcrypt) and password hashing for `hash-password`.
//!
//! The file is read and every line validated once at start, so that a typo stops the server
//! with the file name and line instead of locking everyone out later. Passwords and hashes
//! never appear in an error message or a log line.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::str::FromStr;

use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use clap::Args;
use rand::RngCore;

use crate::http::Access;

/// The access-control settings of `serve`; with neither set, the dashboard is open.
#[derive(Args, Clone, Default)]
pub struct AuthSettings {
    /// File of `user:hash` lines (argon2 or bcrypt); when set, the page and API need HTTP basic
    /// auth. Make lines with `polibase-bi hash-password USER`.
    #[arg(long, env = "BI_AUTH_USERS_FILE", global = true)]
    pub auth_users_file: Option<PathBuf>,

    /// Bearer token accepted for /api/* (`Authorization: Bearer <token>`), for scripts.
    #[arg(long, env = "BI_API_TOKEN", global = true, hide_env_values = true)]
    pub api_token: Option<String>,
}

impl std::fmt::Debug for AuthSettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AuthSettings")
            .field("auth_users_file", &self.auth_users_file)
            .field("api_token", &self.api_token.as_ref().map(|_| "****"))
            .finish()
    }
}

impl AuthSettings {
    /// Reads the users file, if any, and builds the access policy.
    pub fn access(&self) -> Result<Access, AuthError> {
        let users = self
            .auth_users_file
            .as_deref()
            .map(Users::load)
            .transpose()?;
        let token = self.api_token.clone().filter(|t| !t.trim().is_empty());
        Ok(Access::new(users, token))
    }
}

/// Why the users file or a password cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum AuthError {
    #[error("cannot read the users file {}: {source}", path.display())]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("users file {}, line {line}: {problem}", path.display())]
    Line {
        path: PathBuf,
        line: usize,
        problem: String,
    },
    #[error(
        "the users file {} names no user; add lines made with `polibase-bi hash-password USER`",
        path.display()
    )]
    Empty { path: PathBuf },
    #[error("{0}")]
    Input(String),
    #[error("the password could not be hashed: {0}")]
    Hash(String),
}

/// A stored password hash, by scheme.
#[derive(Clone, Debug)]
enum Hash {
    Argon2(String),
    Bcrypt(String),
}

impl Hash {
    /// Recognises and validates one hash; the error says which schemes are accepted.
    fn parse(text: &str) -> Result<Self, String> {
        if text.starts_with("$argon2") {
            check_argon2(text).map_err(|err| format!("the argon2 hash is malformed ({err})"))?;
            return Ok(Self::Argon2(text.to_string()));
        }
        if ["$2a$", "$2b$", "$2y$"].iter().any(|p| text.starts_with(p)) {
            bcrypt::HashParts::from_str(text)
                .map_err(|err| format!("the bcrypt hash is malformed ({err})"))?;
            return Ok(Self::Bcrypt(text.to_string()));
        }
        let scheme: String = text.chars().take_while(|c| *c != ',').take(12).collect();
        Err(format!(
            "unknown hash scheme `{scheme}…`; expected $argon2id$… or bcrypt $2b$…, \
             made with `polibase-bi hash-password USER`"
        ))
    }

    fn verify(&self, password: &str) -> bool {
        match self {
            Self::Argon2(text) => PasswordHash::new(text).is_ok_and(|hash| {
                Argon2::default()
                    .verify_password(password.as_bytes(), &hash)
                    .is_ok()
            }),
            Self::Bcrypt(text) => bcrypt::verify(password, text).unwrap_or(false),
        }
    }
}

/// Whether an argon2 PHC string names a known variant, usable parameters, a salt and a hash.
fn check_argon2(text: &str) -> Result<(), String> {
    let hash = PasswordHash::new(text).map_err(|err| err.to_string())?;
    argon2::Algorithm::try_from(hash.algorithm).map_err(|err| err.to_string())?;
    argon2::Params::try_from(&hash).map_err(|err| err.to_string())?;
    if hash.salt.is_none() || hash.hash.is_none() {
        return Err("no salt or no hash".into());
    }
    Ok(())
}

/// An argon2id hash of a random password nobody knows: unknown users are checked against it,
/// so that a refusal takes as long for them as for a known user.
const DUMMY: &str = "$argon2id$v=19$m=19456,t=2,p=1$\
                     c29tZXNhbHRmb3JkdW1teQ$8B1sAvKg9j0hXsd1yT0mK0m5nSgT0wQkAe6Uwq2E9dI";

/// The users allowed in, with their password hashes.
#[derive(Clone, Debug)]
pub struct Users {
    hashes: HashMap<String, Hash>,
}

impl Users {
    /// Reads and validates a users file.
    pub fn load(path: &Path) -> Result<Self, AuthError> {
        let text = std::fs::read_to_string(path).map_err(|source| AuthError::Read {
            path: path.to_path_buf(),
            source,
        })?;
        Self::parse(&text)
            .map_err(|(line, problem)| AuthError::Line {
                path: path.to_path_buf(),
                line,
                problem,
            })?
            .ok_or_else(|| AuthError::Empty {
                path: path.to_path_buf(),
            })
    }

    /// Parses `user:hash` lines; `#` comments and blank lines are skipped. `None` when no
    /// user is named; the error carries the 1-based line number.
    fn parse(text: &str) -> Result<Option<Self>, (usize, String)> {
        let mut hashes = HashMap::new();
        for (index, raw) in text.lines().enumerate() {
            let line = raw.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let (user, hash) = parse_line(line).map_err(|problem| (index + 1, problem))?;
            if hashes.insert(user.to_string(), hash).is_some() {
                return Err((index + 1, format!("user `{user}` is listed twice")));
            }
        }
        Ok((!hashes.is_empty()).then_some(Self { hashes }))
    }

    /// Whether `password` is `user`'s. CPU-heavy by design: call from a blocking thread.
    pub fn verify(&self, user: &str, password: &str) -> bool {
        match self.hashes.get(user) {
            Some(hash) => hash.verify(password),
            None => {
                // Spend the same time as for a real user, then refuse.
                let _ = Hash::Argon2(DUMMY.to_string()).verify(password);
                false
            }
        }
    }
}

fn parse_line(line: &str) -> Result<(&str, Hash), String> {
    let Some((user, hash)) = line.split_once(':') else {
        return Err(
            "expected `user:hash`; make lines with `polibase-bi hash-password USER`".into(),
        );
    };
    let user = user.trim();
    check_user(user)?;
    Ok((user, Hash::parse(hash.trim())?))
}

/// A user name must be usable in HTTP basic auth: not empty, no `:`, no spaces or controls.
pub fn check_user(user: &str) -> Result<(), String> {
    if user.is_empty() {
        return Err("the user name is empty".into());
    }
    if user
        .chars()
        .any(|c| c == ':' || c.is_whitespace() || c.is_control())
    {
        return Err(format!(
            "user name `{user}` contains `:`, a space or a control character"
        ));
    }
    Ok(())
}

/// An argon2id hash (default parameters, random salt) of `password`.
pub fn hash_password(password: &str) -> Result<String, AuthError> {
    if password.is_empty() {
        return Err(AuthError::Input("the password is empty".into()));
    }
    let mut salt = [0u8; 16];
    rand::thread_rng().fill_bytes(&mut salt);
    let salt = SaltString::encode_b64(&salt).map_err(|err| AuthError::Hash(err.to_string()))?;
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|hash| hash.to_string())
        .map_err(|err| AuthError::Hash(err.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn comments_blank_lines_and_both_schemes_are_read() {
        let argon = hash_password("pw-a").unwrap();
        let bcrypt = bcrypt::hash("pw-b", 4).unwrap();
        let text = format!("# users\n\nalice:{argon}\n  bob : {bcrypt}  \n");

        let users = Users::parse(&text).unwrap().unwrap();

        assert!(users.verify("alice", "pw-a"));
        assert!(!users.verify("alice", "pw-b"));
        assert!(users.verify("bob", "pw-b"));
        assert!(!users.verify("carol", "pw-a"));
    }

    #[test]
    fn bad_lines_name_their_number() {
        let cases = [
            ("# c\nalice\n", 2, "expected `user:hash`"),
            ("alice:$1$abc$def\n", 1, "unknown hash scheme"),
            (
                "\n\nalice:$argon2id$nonsense\n",
                3,
                "argon2 hash is malformed",
            ),
            ("alice:$2b$04$short\n", 1, "bcrypt hash is malformed"),
            (":$2b$04$x\n", 1, "empty"),
        ];

        for (text, line, words) in cases {
            let (number, problem) = Users::parse(text).unwrap_err();

            assert_eq!(number, line, "{text}");
            assert!(problem.contains(words), "{problem}");
        }
    }

    #[test]
    fn the_token_is_masked_in_debug_output() {
        let settings = AuthSettings {
            auth_users_file: None,
            api_token: Some("tok-secret".into()),
        };

        let shown = format!("{settings:?}");

        assert!(
            !shown.contains("tok-secret") && shown.contains("****"),
            "{shown}"
        );
    }

    #[test]
    fn the_dummy_hash_is_well_formed() {
        assert_eq!(check_argon2(DUMMY), Ok(()));
    }
}
