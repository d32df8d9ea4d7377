//! The table case: a CSV file of numeric and text columns read into a table and encoded by
//! a formula (treatment-coded categories), the work `pandas.read_csv` plus formulaic's
//! `model_matrix` do (`bench/compare.py --table FILE`).

use std::io::{BufWriter, Write};
use std::path::Path;
use std::time::Instant;

use linmod::datasets::{Formula, Missing, TableOptions, read_table};

use crate::cases::{Case, Run};

/// Numeric feature columns, and the number of levels of each text column.
pub(crate) const NUMERIC: usize = 15;
pub(crate) const LEVELS: [usize; 5] = [2, 3, 5, 8, 12];

/// The formula: every column, text columns categorical.
pub(crate) fn formula() -> String {
    let numeric = (1..=NUMERIC).map(|j| format!("x{j}"));
    let text = (1..=LEVELS.len()).map(|j| format!("t{j}"));
    format!(
        "y ~ {}",
        numeric.chain(text).collect::<Vec<_>>().join(" + ")
    )
}

/// Writes the case's file: `y`, `x1..x15` (numbers with 6 decimals), `t1..t5` (words
/// `lvl0`, `lvl1`, ...), from a fixed sequence (a 64-bit LCG), so that every run and
/// `compare.py` read the same bytes.
pub(crate) fn write_table_case(case: &Case, path: &Path) -> Result<(), String> {
    let file = std::fs::File::create(path).map_err(|e| e.to_string())?;
    let mut w = BufWriter::with_capacity(1 << 20, file);
    let names: Vec<String> = std::iter::once("y".to_string())
        .chain((1..=NUMERIC).map(|j| format!("x{j}")))
        .chain((1..=LEVELS.len()).map(|j| format!("t{j}")))
        .collect();
    let io = |e: std::io::Error| e.to_string();
    writeln!(w, "{}", names.join(",")).map_err(io)?;
    let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut next = move || {
        state = state
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        state >> 11
    };
    #[allow(clippy::cast_precision_loss)]
    let unit = |r: u64| r as f64 / (1u64 << 53) as f64;
    for _ in 0..case.n {
        let xs: Vec<f64> = (0..NUMERIC).map(|_| unit(next()) * 2.0 - 1.0).collect();
        let y: f64 = xs.iter().sum::<f64>() + unit(next());
        write!(w, "{y:.6}").map_err(io)?;
        for x in &xs {
            write!(w, ",{x:.6}").map_err(io)?;
        }
        for &l in &LEVELS {
            write!(w, ",lvl{}", next() % l as u64).map_err(io)?;
        }
        writeln!(w).map_err(io)?;
    }
    w.flush().map_err(io)
}

/// One timed read and encoding; the bytes are those of the encoded design.
pub(crate) fn encode_table_case(case: &Case, path: &Path) -> (Run, u64) {
    let formula = Formula::parse(&formula()).unwrap_or_else(|e| panic!("{}: {e}", case.name));
    let t = Instant::now();
    let table = read_table(path, &TableOptions::new().only(formula.columns()))
        .unwrap_or_else(|e| panic!("{}: {e}", case.name));
    let (_, frame) = formula
        .build(&table, Missing::Error)
        .unwrap_or_else(|e| panic!("{}: {e}", case.name));
    drop(table);
    let seconds = t.elapsed().as_secs_f64();
    let checksum = (0..frame.x.ncols())
        .map(|j| frame.x.col(j).iter().sum::<f64>())
        .sum::<f64>();
    let bytes = (frame.x.nrows() * frame.x.ncols() * 8) as u64;
    let run = Run {
        seconds,
        iterations: 0,
        converged: true,
        objective: checksum,
    };
    (run, bytes)
}
