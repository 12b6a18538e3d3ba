//! Embeds the browser assets into the binary under content-hashed names.
//!
//! The chart library is not committed: it is pinned in `web/package-lock.json` and installed
//! into `web/node_modules` with `npm ci` when missing. Every file of `assets/` and the chart
//! library are then listed in a generated Rust file (`$OUT_DIR/assets.rs`) with a public name
//! that carries a hash of the content, so the server can let browsers cache them forever and a
//! new build is never served from a stale cache. The hash is a hand-written FNV-1a, which,
//! unlike `DefaultHasher`, gives the same name on every Rust version and platform.

use std::env;
use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

/// Where `npm ci` puts the single minified ECharts bundle the page loads.
const ECHARTS: &str = "web/node_modules/echarts/dist/echarts.min.js";

fn main() {
    println!("cargo:rerun-if-changed=web/package-lock.json");
    println!("cargo:rerun-if-changed=web/package.json");
    println!("cargo:rerun-if-changed=assets");
    println!("cargo:rerun-if-changed={ECHARTS}");

    let root = PathBuf::from(env::var("CARGO_MANIFEST_DIR").expect("CARGO_MANIFEST_DIR is set"));
    ensure_echarts(&root);

    let mut sources = vec![(String::from("echarts.min.js"), root.join(ECHARTS))];
    sources.extend(own_assets(&root.join("assets")));
    sources.sort();

    let out = PathBuf::from(env::var("OUT_DIR").expect("OUT_DIR is set")).join("assets.rs");
    fs::write(&out, generate(&sources)).expect("write the generated asset table");
}

/// Installs the pinned chart library when `web/node_modules` lacks it.
fn ensure_echarts(root: &Path) {
    if root.join(ECHARTS).is_file() {
        return;
    }
    let status = Command::new("npm")
        .args(["ci", "--no-audit", "--no-fund", "--prefix"])
        .arg(root.join("web"))
        .status();
    match status {
        Ok(status) if status.success() && root.join(ECHARTS).is_file() => {}
        Ok(status) => panic!(
            "`npm ci --prefix web` failed ({status}); the dashboard needs {ECHARTS}. \
             Run it by hand to see why (network access to the npm registry is required once)."
        ),
        Err(err) => panic!(
            "could not run npm ({err}). Install Node.js and npm (https://nodejs.org/), \
             then build again: the build fetches the pinned chart library with `npm ci`."
        ),
    }
}

/// Lists the regular files directly inside `assets/` as (logical name, path).
fn own_assets(dir: &Path) -> Vec<(String, PathBuf)> {
    let entries = fs::read_dir(dir).expect("read the assets directory");
    let mut files = Vec::new();
    for entry in entries {
        let path = entry.expect("read an assets directory entry").path();
        let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
            continue;
        };
        if path.is_file() && !name.starts_with('.') {
            files.push((name.to_owned(), path));
        }
    }
    files
}

/// Writes the asset table: logical name, hashed public name, bytes and content type.
fn generate(sources: &[(String, PathBuf)]) -> String {
    let mut code = String::from("/// (logical name, public name, bytes, content type)\n");
    code.push_str("pub(crate) static ASSETS: &[(&str, &str, &[u8], &str)] = &[\n");
    for (name, path) in sources {
        let bytes = fs::read(path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()));
        let public = hashed_name(name, &bytes);
        let path = path.canonicalize().expect("canonical asset path");
        writeln!(
            code,
            "    ({name:?}, {public:?}, include_bytes!({path:?}), {:?}),",
            content_type(name)
        )
        .expect("write to a String");
    }
    code.push_str("];\n");
    code
}

/// `echarts.min.js` becomes `echarts.<hash>.min.js`: the hash goes after the first dot.
fn hashed_name(name: &str, bytes: &[u8]) -> String {
    let hash = format!("{:016x}", fnv1a(bytes));
    match name.split_once('.') {
        Some((stem, ext)) => format!("{stem}.{}.{ext}", &hash[..10]),
        None => format!("{name}.{}", &hash[..10]),
    }
}

/// 64-bit FNV-1a: tiny, stable and good enough to tell two builds of a file apart.
fn fnv1a(bytes: &[u8]) -> u64 {
    const OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
    const PRIME: u64 = 0x0000_0100_0000_01b3;
    bytes
        .iter()
        .fold(OFFSET, |hash, &b| (hash ^ u64::from(b)).wrapping_mul(PRIME))
}

fn content_type(name: &str) -> &'static str {
    match name.rsplit_once('.').map(|(_, ext)| ext) {
        Some("js") => "text/javascript; charset=utf-8",
        Some("css") => "text/css; charset=utf-8",
        Some("json") => "application/json",
        Some("svg") => "image/svg+xml",
        Some("png") => "image/png",
        Some("ico") => "image/x-icon",
        Some("woff2") => "font/woff2",
        _ => "application/octet-stream",
    }
}
