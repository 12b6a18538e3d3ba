//! `export`: computes the dashboard once and writes it into a directory, for scheduled
//! reports: one CSV per panel, the Excel workbook, or the JSON document.
//!
//! The rule this command keeps: a file in the output directory is either complete or absent.
//! Every file is written to a temporary file in the same directory and renamed into place, and
//! the directory is checked before the (possibly long) computation starts.

use std::path::{Path, PathBuf};

use anyhow::{Context as _, anyhow};
use clap::{Args, ValueEnum};

use super::{Failure, clock, exit};
use crate::config::Settings;
use crate::export::{self, ExportError, PANELS, csv, xlsx};
use crate::metrics::document::Dashboard;
use crate::metrics::filter::Filters;
use crate::metrics::{Context, MetricsError, compute};
use crate::web::Lang;

/// What to write.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// One CSV file per panel (UTF-8 with BOM).
    Csv,
    /// One Excel workbook with a sheet per panel.
    Xlsx,
    /// The dashboard document as the JSON API serves it.
    Json,
}

#[derive(Args, Clone, Debug)]
pub struct ExportArgs {
    /// File format to write.
    #[arg(long, value_enum)]
    pub format: Format,

    /// Directory to write into; created when missing.
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,

    /// Filters as the page's URL carries them, e.g. 'period=90d&type=市町村'.
    #[arg(long, value_name = "QUERY")]
    pub query: Option<String>,

    /// Period: 7d, 30d, 90d, 365d or custom (with --from and --to).
    #[arg(long)]
    pub period: Option<String>,

    /// First day of a custom period (YYYY-MM-DD).
    #[arg(long)]
    pub from: Option<String>,

    /// Last day of a custom period (YYYY-MM-DD).
    #[arg(long)]
    pub to: Option<String>,

    /// Body type: 国, 都道府県, 市町村 or 未分類.
    #[arg(long = "type", value_name = "TYPE")]
    pub body_type: Option<String>,

    /// Prefecture as a JIS number 01–47, or `unknown`.
    #[arg(long)]
    pub prefecture: Option<String>,

    /// Conference id.
    #[arg(long)]
    pub conference: Option<String>,

    /// Language of headers, titles and file names: ja or en.
    #[arg(long)]
    pub lang: Option<String>,
}

impl ExportArgs {
    /// The flags as one query string, so that they are checked exactly like the API's.
    fn query(&self) -> String {
        let flags = [
            ("period", &self.period),
            ("from", &self.from),
            ("to", &self.to),
            ("type", &self.body_type),
            ("prefecture", &self.prefecture),
            ("conference", &self.conference),
            ("lang", &self.lang),
        ];
        let mut query = url::form_urlencoded::Serializer::new(String::new());
        for (key, value) in flags {
            if let Some(value) = value {
                query.append_pair(key, value);
            }
        }
        let flags = query.finish();
        let given = self.query.as_deref().unwrap_or_default();
        let given = given.trim_start_matches('?');
        match (given.is_empty(), flags.is_empty()) {
            (true, _) => flags,
            (false, true) => given.to_owned(),
            (false, false) => format!("{given}&{flags}"),
        }
    }
}

pub async fn run(settings: &Settings, args: &ExportArgs) -> Result<(), Failure> {
    let query = args.query();
    let filters = Filters::from_query(&query).map_err(|err| usage(err.to_string()))?;
    let lang = export::lang_from_query(&query).map_err(usage)?;
    prepare_directory(&args.out)?;
    let db = super::serve::open_database(settings).await?;
    let context = Context::from_settings(db.clone(), clock(settings), settings);
    let outcome = compute::dashboard(&context, &filters).await;
    db.close().await;
    let doc = outcome.map_err(metrics_failure)?;
    let files = render(&doc, args.format, lang)?;
    for (name, bytes) in &files {
        let path = write_atomically(&args.out, name, bytes)?;
        println!("{}", path.display());
    }
    Ok(())
}

fn usage(message: String) -> Failure {
    Failure::new(
        exit::USAGE,
        anyhow!("{message}; see `polibase-bi export --help`"),
    )
}

fn metrics_failure(err: MetricsError) -> Failure {
    let code = match err {
        MetricsError::InvalidParameter(_) => exit::USAGE,
        MetricsError::Unavailable(_) | MetricsError::Busy(_) => exit::DATABASE,
        MetricsError::Failed(_) => exit::FAILURE,
    };
    Failure::new(code, anyhow!(err).context("cannot compute the dashboard"))
}

/// Creates `dir` when missing and proves that files can be created in it.
fn prepare_directory(dir: &Path) -> Result<(), Failure> {
    let failure = |reason: String| {
        Failure::new(
            exit::USAGE,
            anyhow!("cannot write into --out {}: {reason}", dir.display()),
        )
    };
    if dir.exists() && !dir.is_dir() {
        return Err(failure("it is a file, not a directory".into()));
    }
    std::fs::create_dir_all(dir).map_err(|err| failure(err.to_string()))?;
    tempfile::NamedTempFile::new_in(dir)
        .map(drop)
        .map_err(|err| failure(err.to_string()))
}

/// Every file of the export as `(file name, bytes)`, all rendered before any is written.
fn render(doc: &Dashboard, format: Format, lang: Lang) -> Result<Vec<(String, Vec<u8>)>, Failure> {
    let date = doc.as_of.date_naive();
    let failed = |err: ExportError| Failure::new(exit::FAILURE, err);
    match format {
        Format::Json => {
            let json = serde_json::to_vec_pretty(doc).context("cannot serialise the dashboard")?;
            Ok(vec![(csv::file_name("dashboard", date, "json"), json)])
        }
        Format::Xlsx => {
            let bytes = xlsx::workbook(doc, lang).map_err(failed)?;
            Ok(vec![(csv::file_name("dashboard", date, "xlsx"), bytes)])
        }
        Format::Csv => {
            let mut files = Vec::new();
            for panel in &PANELS {
                match panel.table(doc, lang) {
                    Ok(table) => files.push((
                        csv::file_name(panel.name, date, "csv"),
                        csv::to_bytes(&table).map_err(failed)?,
                    )),
                    Err(err) => eprintln!("warning: skipped {}: {err}", panel.name),
                }
            }
            Ok(files)
        }
    }
}

/// Writes `bytes` to `dir/name` through a temporary file renamed into place.
fn write_atomically(dir: &Path, name: &str, bytes: &[u8]) -> Result<PathBuf, Failure> {
    let path = dir.join(name);
    let failure = |err: std::io::Error| {
        Failure::new(
            exit::FAILURE,
            anyhow!(err).context(format!("cannot write {}", path.display())),
        )
    };
    let mut file = tempfile::NamedTempFile::new_in(dir).map_err(failure)?;
    std::io::Write::write_all(&mut file, bytes).map_err(failure)?;
    #[cfg(unix)]
    {
        // Temporary files are private; a report is as readable as any file the user creates.
        use std::os::unix::fs::PermissionsExt as _;
        let readable = std::fs::Permissions::from_mode(0o644);
        file.as_file().set_permissions(readable).map_err(failure)?;
    }
    file.as_file().sync_all().map_err(failure)?;
    file.persist(&path).map_err(|err| failure(err.error))?;
    Ok(path)
}
