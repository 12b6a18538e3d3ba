//! The demo database file that `serve` uses when no `DATABASE_URL` is set.
//!
//! A missing file is built in a hidden temporary file next to it and renamed
//! into place only when complete, so a crash never leaves half a demo behind
//! and two servers starting together cannot both win. An existing file is
//! served read-only, after checking that it is a complete SQLite file that this
//! program built; anything else is reported with what to do, and never
//! overwritten or deleted.

use std::fs::{self, File};
use std::io::{self, Read};
use std::path::{Path, PathBuf};

use tempfile::NamedTempFile;

use super::{DemoError, DemoOptions, generate};
use crate::clock::Clock;
use crate::config::{DatabaseUrl, Settings};
use crate::db::{Access, Db, DbError, migrate, schema};

/// Table recording that a file is a demo database and how it was generated.
pub const MARKER_TABLE: &str = schema::DEMO_MARKER;

const SQLITE_MAGIC: &[u8; 16] = b"SQLite format 3\0";

/// Opens the demo database at `path`, building it first if it does not exist.
pub async fn open_or_create_demo_file(
    path: &Path,
    settings: &Settings,
    clock: &Clock,
) -> Result<Db, DemoError> {
    match fs::metadata(path) {
        Ok(meta) if meta.is_dir() => Err(refused(
            path,
            "is a directory; set BI_DEMO_PATH to a file path (a missing file is created)",
        )),
        Ok(meta) if !meta.is_file() => Err(refused(
            path,
            "is not a regular file; set BI_DEMO_PATH to a file path",
        )),
        Ok(_) => open_existing(path, settings).await,
        Err(err) if err.kind() == io::ErrorKind::NotFound => create(path, settings, clock).await,
        Err(err) => Err(refused(
            path,
            &format!("cannot be inspected ({err}); {ELSEWHERE}"),
        )),
    }
}

const ELSEWHERE: &str = "set BI_DEMO_PATH to another path";

fn refused(path: &Path, reason: &str) -> DemoError {
    DemoError::DemoFile {
        path: path.to_path_buf(),
        reason: reason.to_string(),
    }
}

/// Builds the demo next to `path`, then moves it into place without replacing anything.
async fn create(path: &Path, settings: &Settings, clock: &Clock) -> Result<Db, DemoError> {
    let temp = temporary_next_to(path)?;
    let db = writable(temp.path(), settings)?;
    let filled = fill(&db, clock).await;
    db.close().await;
    filled?;
    match temp.persist_noclobber(path) {
        Ok(_) => {}
        // Another process finished its own copy first: serve that one.
        Err(err) if err.error.kind() == io::ErrorKind::AlreadyExists => {}
        Err(err) => {
            let reason = format!("cannot be moved into place ({}); {ELSEWHERE}", err.error);
            return Err(refused(path, &reason));
        }
    }
    open_existing(path, settings).await
}

fn temporary_next_to(path: &Path) -> Result<NamedTempFile, DemoError> {
    let directory = match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let mut builder = tempfile::Builder::new();
    builder.prefix(".polibase-bi-demo-").suffix(".sqlite.part");
    // Temporary files are private by default; the demo holds nothing secret.
    #[cfg(unix)]
    builder.permissions(std::os::unix::fs::PermissionsExt::from_mode(0o644));
    builder.tempfile_in(&directory).map_err(|err| {
        let problem = match err.kind() {
            io::ErrorKind::NotFound => "does not exist".to_string(),
            io::ErrorKind::PermissionDenied => "is not writable".to_string(),
            _ => format!("cannot hold it ({err})"),
        };
        let reason = format!(
            "cannot be created: directory {} {problem}; {ELSEWHERE}",
            directory.display()
        );
        refused(path, &reason)
    })
}

fn writable(path: &Path, settings: &Settings) -> Result<Db, DemoError> {
    let url = DatabaseUrl::Sqlite(path.to_path_buf());
    Ok(Db::connect_lazy(&url, settings, Access::ReadWrite)?)
}

/// Migrates and generates the default demo (which records the demo marker).
async fn fill(db: &Db, clock: &Clock) -> Result<(), DemoError> {
    migrate::run(db).await?;
    generate(db, &DemoOptions::default(), clock).await?;
    Ok(())
}

/// Checks an existing file and opens it read-only.
async fn open_existing(path: &Path, settings: &Settings) -> Result<Db, DemoError> {
    check_header(path)?;
    let url = DatabaseUrl::Sqlite(path.to_path_buf());
    let db = Db::connect_lazy(&url, settings, Access::ReadOnly)?;
    if let Err(err) = check_contents(path, &db).await {
        db.close().await;
        return Err(err);
    }
    Ok(db)
}

/// Reads the 100-byte SQLite header: the magic string and the declared size.
fn check_header(path: &Path) -> Result<(), DemoError> {
    let mut header = [0u8; 100];
    let mut file = File::open(path).map_err(|err| unreadable(path, &err))?;
    let length = file.metadata().map_err(|err| unreadable(path, &err))?.len();
    let not_sqlite = || {
        refused(
            path,
            &format!(
                "is not a SQLite database, so not a demo file; {ELSEWHERE} (a missing file is created)"
            ),
        )
    };
    file.read_exact(&mut header).map_err(|_| not_sqlite())?;
    if &header[..16] != SQLITE_MAGIC {
        return Err(not_sqlite());
    }
    let declared = declared_size(&header);
    if length < declared {
        let reason = format!(
            "is truncated ({length} of {declared} bytes); remove it to have it rebuilt, \
             or {ELSEWHERE}"
        );
        return Err(refused(path, &reason));
    }
    Ok(())
}

fn unreadable(path: &Path, err: &io::Error) -> DemoError {
    let reason = match err.kind() {
        io::ErrorKind::PermissionDenied => {
            format!("cannot be read (permission denied); make it readable or {ELSEWHERE}")
        }
        _ => format!("cannot be read ({err}); {ELSEWHERE}"),
    };
    refused(path, &reason)
}

/// Page size × page count from the header, when the header vouches for the count.
fn declared_size(header: &[u8; 100]) -> u64 {
    let page_size = match u16::from_be_bytes([header[16], header[17]]) {
        1 => 65_536,
        size => u64::from(size),
    };
    let be32 = |at: usize| {
        u32::from_be_bytes([header[at], header[at + 1], header[at + 2], header[at + 3]])
    };
    // The page count is only valid when the change counter matches "version valid for".
    if be32(24) != be32(92) {
        return 0;
    }
    page_size * u64::from(be32(28))
}

/// Confirms the file is intact and is one of ours.
async fn check_contents(path: &Path, db: &Db) -> Result<(), DemoError> {
    let corrupt = |detail: String| {
        let reason = format!("is damaged ({detail}); remove it to have it rebuilt, or {ELSEWHERE}");
        refused(path, &reason)
    };
    let tables = schema::table_names(db)
        .await
        .map_err(|err| corrupt(err.to_string()))?;
    let has = |name: &str| tables.iter().any(|t| t == name);
    if !has(MARKER_TABLE) || !has("_sqlx_migrations") {
        let reason = format!(
            "is not a polibase-bi demo database; to serve it set DATABASE_URL=sqlite://{}, \
             otherwise {ELSEWHERE}",
            path.display()
        );
        return Err(refused(path, &reason));
    }
    let Db::Sqlite(pool) = db else {
        return Ok(());
    };
    let verdict: String = sqlx::query_scalar("PRAGMA quick_check(1)")
        .fetch_one(pool)
        .await
        .map_err(|err| corrupt(DbError::from(err).to_string()))?;
    if verdict != "ok" {
        return Err(corrupt(verdict));
    }
    Ok(())
}
