//! Printing: aligned text tables, numbers, JSON, and files given with --out.

use std::io::Write;
use std::path::Path;

use anyhow::{Context, Result};
use linmod::models::inference::Summary;
use serde_json::{Map, Value, json};

/// Writes to standard output; a closed pipe (`linmod tour | head`) becomes [`BrokenPipe`],
/// which `main` turns into a quiet exit instead of a panic.
pub fn emit(args: std::fmt::Arguments<'_>, newline: bool) -> Result<()> {
    let mut out = std::io::stdout().lock();
    let written = out.write_fmt(args).and_then(|()| {
        if newline {
            out.write_all(b"\n")
        } else {
            Ok(())
        }
    });
    match written {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Err(BrokenPipe.into()),
        other => Ok(other?),
    }
}

/// Standard output was closed by the reader.
#[derive(Debug)]
pub struct BrokenPipe;

impl std::fmt::Display for BrokenPipe {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("standard output was closed")
    }
}

impl std::error::Error for BrokenPipe {}

/// `print!` to standard output, returning early on a closed pipe.
#[macro_export]
macro_rules! out {
    ($($t:tt)*) => { $crate::output::emit(format_args!($($t)*), false)? };
}

/// `println!` to standard output, returning early on a closed pipe.
#[macro_export]
macro_rules! outln {
    () => { $crate::output::emit(format_args!(""), true)? };
    ($($t:tt)*) => { $crate::output::emit(format_args!($($t)*), true)? };
}

/// An aligned text table: the first column left-aligned, the others right-aligned.
pub fn table(headers: &[&str], rows: &[Vec<String>]) -> String {
    let cols = headers.len();
    let mut width: Vec<usize> = headers.iter().map(|h| h.len()).collect();
    for row in rows {
        for (w, cell) in width.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let line = |cells: Vec<&str>| -> String {
        let mut s = String::new();
        for (j, cell) in cells.iter().enumerate().take(cols) {
            if j == 0 {
                s.push_str(&format!("{cell:<w$}", w = width[0]));
            } else {
                s.push_str(&format!("  {cell:>w$}", w = width[j]));
            }
        }
        s.trim_end().to_string() + "\n"
    };
    let mut out = line(headers.to_vec());
    out.push_str(&line(
        width
            .iter()
            .map(|w| "-".repeat(*w))
            .collect::<Vec<_>>()
            .iter()
            .map(String::as_str)
            .collect(),
    ));
    for row in rows {
        out.push_str(&line(row.iter().map(String::as_str).collect()));
    }
    out
}

/// A number with `digits` significant decimals, switching to scientific notation for very
/// large or small magnitudes.
pub fn num(v: f64, digits: usize) -> String {
    let a = v.abs();
    if v == 0.0 || (1e-4..1e7).contains(&a) {
        format!("{v:.digits$}")
    } else {
        format!("{v:.digits$e}")
    }
}

/// Prints JSON to standard output.
pub fn print_json(v: &Value) -> Result<()> {
    let text = serde_json::to_string_pretty(v)?;
    emit(format_args!("{text}"), true)
}

/// Writes `text` to `path`, or to standard output without a path.
pub fn write_text(path: Option<&Path>, text: &str) -> Result<()> {
    match path {
        Some(p) => write_file(p, |w| Ok(w.write_all(text.as_bytes())?)),
        None => emit(format_args!("{text}"), false),
    }
}

/// Writes a file the command replaces (models, predictions, figures, simulated data)
/// atomically: `write` fills a temporary file in the same folder, which is flushed and
/// renamed into place, so an interrupted or failed write leaves the old file intact.
pub fn write_file(path: &Path, write: impl FnOnce(&mut dyn Write) -> Result<()>) -> Result<()> {
    // `write_atomically` takes an I/O error; the command's own error is kept aside and
    // returned as it is
    let mut failure = None;
    let written = linmod::models::persist::write_atomically(path, |w| {
        write(w).map_err(|e| {
            failure = Some(e);
            std::io::Error::other("the write failed")
        })
    });
    match (written, failure) {
        (_, Some(e)) => Err(e),
        (Err(e), None) => Err(e).with_context(|| format!("cannot write {}", path.display())),
        (Ok(()), None) => Ok(()),
    }
}

/// The inference arrays of a summary (intercept first), merged into a JSON object.
pub fn add_summary(obj: &mut Map<String, Value>, s: &Summary) {
    obj.insert("names".into(), json!(s.names));
    obj.insert("std_err".into(), json!(s.std_err));
    obj.insert("statistic".into(), json!(s.statistic));
    obj.insert("p_value".into(), json!(s.p_value));
    obj.insert("conf_low".into(), json!(s.conf_low));
    obj.insert("conf_high".into(), json!(s.conf_high));
    obj.insert("confidence_level".into(), json!(s.level));
    obj.insert("covariance_type".into(), json!(s.covariance));
    let mut stats = Map::new();
    stats.insert("n_obs".into(), json!(s.n_obs));
    stats.insert("df_model".into(), json!(s.df_model));
    stats.insert("df_resid".into(), json!(s.df_resid));
    stats.insert("log_likelihood".into(), json!(s.log_likelihood));
    stats.insert("aic".into(), json!(s.aic));
    stats.insert("bic".into(), json!(s.bic));
    if let Some(l) = &s.logit {
        stats.insert("ll_null".into(), json!(l.ll_null));
        stats.insert("deviance".into(), json!(l.deviance));
        stats.insert("pseudo_r2".into(), json!(l.pseudo_r2));
        stats.insert("llr".into(), json!(l.llr));
        stats.insert("llr_p_value".into(), json!(l.llr_p_value));
    }
    if let Some(o) = &s.ols {
        stats.insert("r2".into(), json!(o.r2));
        stats.insert("adj_r2".into(), json!(o.adj_r2));
        stats.insert("f_statistic".into(), json!(o.f_statistic));
        stats.insert("f_p_value".into(), json!(o.f_p_value));
        stats.insert("sigma2".into(), json!(o.sigma2));
    }
    obj.insert("statistics".into(), Value::Object(stats));
}
