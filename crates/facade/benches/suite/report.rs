//! The report: one row per case, each against its physical floor where it has one.

use std::path::Path;

use serde::Serialize;

use crate::ChildResult;
use crate::cases::{Case, Work};
use crate::machine::Machine;

#[derive(Serialize, Clone, Debug)]
pub(crate) struct Row {
    pub(crate) name: String,
    pub(crate) n: usize,
    pub(crate) p: usize,
    pub(crate) work: Work,
    pub(crate) median_s: f64,
    pub(crate) min_s: f64,
    pub(crate) max_s: f64,
    pub(crate) iterations: usize,
    pub(crate) converged: bool,
    pub(crate) objective: f64,
    /// Time over the bandwidth floor `bytes(X) / read bandwidth` (gradient pass).
    pub(crate) floor_ratio: Option<f64>,
    /// Achieved flop rate over the measured matrix-product rate (Gram).
    pub(crate) flop_fraction: Option<f64>,
    pub(crate) peak_bytes: u64,
    pub(crate) peak_over_x: f64,
}

impl Row {
    pub(crate) fn new(case: &Case, child: &ChildResult, m: &Machine) -> Self {
        let mut t: Vec<f64> = child.runs.iter().map(|r| r.seconds).collect();
        t.sort_by(f64::total_cmp);
        let median = t[t.len() / 2];
        let last = child.runs.last().cloned().expect("at least one run");
        let xb = child.x_bytes as f64;
        let floor_ratio =
            matches!(case.work, Work::GradientPass).then(|| median / (xb / m.read_bandwidth));
        let flop_fraction = matches!(case.work, Work::Gram).then(|| {
            let flops = case.n as f64 * case.p as f64 * (case.p as f64 + 1.0);
            flops / median / m.gemm_flops
        });
        Self {
            name: case.name.clone(),
            n: case.n,
            p: case.p,
            work: case.work.clone(),
            median_s: median,
            min_s: t[0],
            max_s: t[t.len() - 1],
            iterations: last.iterations,
            converged: last.converged,
            objective: last.objective,
            floor_ratio,
            flop_fraction,
            peak_bytes: child.peak_bytes,
            peak_over_x: child.peak_bytes as f64 / xb,
        }
    }

    pub(crate) fn line(&self) -> String {
        let extra = match (self.floor_ratio, self.flop_fraction) {
            (Some(r), _) => format!("  {r:.2}x the bandwidth floor"),
            (_, Some(f)) => format!("  {:.0}% of the matrix-product rate", 100.0 * f),
            _ => String::new(),
        };
        format!(
            "{:<40} {:>9.4} s (min {:.4}, max {:.4})  {:>5} it  {}  obj {:.12e}  peak {:.2}x X{extra}",
            self.name,
            self.median_s,
            self.min_s,
            self.max_s,
            self.iterations,
            if self.converged {
                "converged    "
            } else {
                "NOT converged"
            },
            self.objective,
            self.peak_over_x
        )
    }
}

pub(crate) fn write(dir: &Path, m: &Machine, rows: &[Row], quick: bool) -> Result<(), String> {
    std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let json = serde_json::json!({ "machine": m, "quick": quick, "cases": rows });
    std::fs::write(
        dir.join("report.json"),
        serde_json::to_string_pretty(&json).map_err(|e| e.to_string())?,
    )
    .map_err(|e| e.to_string())?;
    let mut md = String::new();
    md.push_str(&format!(
        "# linmod benchmark{}\n\nlinmod {}; {} ({} cores, {} threads used); read bandwidth {:.1} GB/s ({:.1} GB/s on one thread, {} MB buffer); matrix product {:.1} GFLOP/s.\n\n",
        if quick { " (quick: small sizes, timings not meaningful)" } else { "" },
        m.linmod_version,
        m.cpu,
        m.cores,
        m.threads,
        m.read_bandwidth / 1e9,
        m.read_bandwidth_1 / 1e9,
        m.bandwidth_buffer_bytes >> 20,
        m.gemm_flops / 1e9
    ));
    md.push_str("| case | median s | min s | max s | iterations | converged | objective | against the floor | peak memory / X |\n|---|---|---|---|---|---|---|---|---|\n");
    for r in rows {
        let floor = match (r.floor_ratio, r.flop_fraction) {
            (Some(x), _) => format!("{x:.2}x bandwidth floor"),
            (_, Some(f)) => format!("{:.0}% of matmul rate", 100.0 * f),
            _ => String::new(),
        };
        md.push_str(&format!(
            "| {} | {:.4} | {:.4} | {:.4} | {} | {} | {:.12e} | {} | {:.2} |\n",
            r.name,
            r.median_s,
            r.min_s,
            r.max_s,
            r.iterations,
            r.converged,
            r.objective,
            floor,
            r.peak_over_x
        ));
    }
    std::fs::write(dir.join("report.md"), md).map_err(|e| e.to_string())
}
