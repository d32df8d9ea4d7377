//! The linmod benchmark suite, run by `cargo xtask bench`.
//!
//! Every case runs in a child process (this binary with `--child NAME`), so that its peak
//! memory is its own: data generation, then `--reps` timed runs. The parent measures the
//! machine (read bandwidth, matrix-product rate), collects the children's results and writes
//! `target/bench/report.md` and `report.json`. `--write-data DIR` writes the fit cases as
//! `.npy` files and `cases.json` for `bench/compare.py`.

mod cases;
mod insurance;
mod machine;
mod report;
mod tables;

use std::path::PathBuf;
use std::process::Command;

use serde::{Deserialize, Serialize};

use cases::{Case, Run, Work};

struct Args {
    quick: bool,
    filter: Vec<String>,
    reps: Option<usize>,
    child: Option<String>,
    write_data: Option<PathBuf>,
    out: PathBuf,
}

fn parse() -> Result<Args, String> {
    let mut a = Args {
        quick: false,
        filter: Vec::new(),
        reps: None,
        child: None,
        write_data: None,
        // cargo runs benches in the package directory; the report belongs to the workspace
        out: PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../target/bench")),
    };
    let mut it = std::env::args().skip(1);
    while let Some(arg) = it.next() {
        let mut value = |name: &str| it.next().ok_or(format!("{name} needs a value"));
        match arg.as_str() {
            "--quick" => a.quick = true,
            "--filter" => a
                .filter
                .extend(value("--filter")?.split(',').map(String::from)),
            "--reps" => {
                a.reps = Some(
                    value("--reps")?
                        .parse()
                        .map_err(|e| format!("--reps: {e}"))?,
                )
            }
            "--child" => a.child = Some(value("--child")?),
            "--write-data" => a.write_data = Some(PathBuf::from(value("--write-data")?)),
            "--out" => a.out = PathBuf::from(value("--out")?),
            // cargo bench passes --bench to harness-less targets
            "--bench" => {}
            other => return Err(format!("unknown argument `{other}`")),
        }
    }
    Ok(a)
}

/// What a child reports.
#[derive(Serialize, Deserialize, Clone, Debug)]
pub(crate) struct ChildResult {
    pub(crate) runs: Vec<RunOut>,
    pub(crate) peak_bytes: u64,
    pub(crate) x_bytes: u64,
}

#[derive(Serialize, Deserialize, Clone, Debug)]
pub(crate) struct RunOut {
    pub(crate) seconds: f64,
    pub(crate) iterations: usize,
    pub(crate) converged: bool,
    pub(crate) objective: f64,
}

impl From<Run> for RunOut {
    fn from(r: Run) -> Self {
        Self {
            seconds: r.seconds,
            iterations: r.iterations,
            converged: r.converged,
            objective: r.objective,
        }
    }
}

/// Peak resident memory of this process so far (`VmHWM`), in bytes.
fn peak_rss() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|kb| kb.parse::<u64>().ok())
        })
        .map_or(0, |kb| kb * 1024)
}

/// Resident memory of this process now (`VmRSS`), in bytes.
fn current_rss() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmRSS:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|kb| kb.parse::<u64>().ok())
        })
        .map_or(0, |kb| kb * 1024)
}

/// A CSV case's child: the file was written by another process, so the peak is the read's
/// own, measured above the process's resident memory before it (the high-water mark is reset
/// to the current size first).
fn csv_child(case: &cases::Case, dir: &std::path::Path, reps: usize) -> Result<(), String> {
    let _ = std::fs::write("/proc/self/clear_refs", "5");
    let before = current_rss();
    let mut runs = Vec::new();
    let mut data_bytes = 0;
    for _ in 0..reps {
        let (run, bytes) = if matches!(case.work, Work::TableEncode) {
            tables::encode_table_case(case, &cases::csv_path(case, dir))
        } else {
            cases::read_csv_case(case, dir)
        };
        runs.push(run.into());
        data_bytes = bytes;
    }
    let out = ChildResult {
        runs,
        peak_bytes: peak_rss().saturating_sub(before),
        x_bytes: data_bytes,
    };
    println!(
        "{}",
        serde_json::to_string(&out).map_err(|e| e.to_string())?
    );
    Ok(())
}

fn child(name: &str, quick: bool, reps: usize, dir: &std::path::Path) -> Result<(), String> {
    let case = cases::suite(quick)
        .into_iter()
        .find(|c| c.name == name)
        .ok_or(format!("no case `{name}`"))?;
    if matches!(case.work, Work::CsvRead { .. } | Work::TableEncode) {
        return csv_child(&case, dir, reps);
    }
    if matches!(case.work, Work::Sparse { .. }) {
        let d = cases::sparse_data(&case);
        let runs: Vec<RunOut> = (0..reps)
            .map(|_| cases::run_sparse(&case, &d).into())
            .collect();
        // the CSR arrays: 8 bytes per value, 4 per index, 8 per row offset
        let x_bytes = (d.x.nnz() * 12 + (d.x.indptr().len()) * 8) as u64;
        let out = ChildResult {
            runs,
            peak_bytes: peak_rss(),
            x_bytes,
        };
        println!(
            "{}",
            serde_json::to_string(&out).map_err(|e| e.to_string())?
        );
        return Ok(());
    }
    let d = cases::data(&case);
    let runs: Vec<RunOut> = (0..reps).map(|_| cases::run(&case, &d).into()).collect();
    let out = ChildResult {
        runs,
        peak_bytes: peak_rss(),
        x_bytes: (d.n_samples() * d.n_features() * 8) as u64,
    };
    println!(
        "{}",
        serde_json::to_string(&out).map_err(|e| e.to_string())?
    );
    Ok(())
}

fn reps_for(case: &Case, quick: bool, override_reps: Option<usize>) -> usize {
    if let Some(r) = override_reps {
        return r;
    }
    if quick {
        return 1;
    }
    match case.work {
        Work::GradientPass | Work::Gram => 7,
        _ => 3,
    }
}

fn write_data(dir: &std::path::Path, quick: bool, filter: &[String]) -> Result<(), String> {
    use linmod::datasets::{NpyOrder, write_npy_dataset};
    std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let mut entries = Vec::new();
    let mut written: Vec<(String, String, String)> = Vec::new();
    for case in cases::suite(quick) {
        let Some(kind) = case.compare_kind() else {
            continue;
        };
        if !filter.is_empty() && !filter.iter().any(|f| case.name.contains(f.as_str())) {
            continue;
        }
        if let Work::Sparse {
            l1,
            l2,
            intercept,
            tol,
            ..
        } = &case.work
        {
            let d = cases::sparse_data(&case);
            let xf = format!("{}.svm", case.name);
            linmod::datasets::write_svmlight(dir.join(&xf), &d.x, &d.y)
                .map_err(|e| e.to_string())?;
            entries.push(serde_json::json!({
                "name": case.name, "kind": kind, "x": xf, "l1": l1, "l2": l2, "tol": tol,
                "intercept": intercept, "path": false
            }));
            eprintln!("wrote {}", case.name);
            continue;
        }
        let d = cases::data(&case);
        // cases on the same data share files
        let target = match &case.work {
            Work::Glm { family, .. } => family.as_str(),
            _ => "",
        };
        let key = format!(
            "{:?}-{}-{}-{target}",
            std::mem::discriminant(&case.work),
            case.n,
            case.p
        );
        let (xf, yf) = match written.iter().find(|w| w.0 == key) {
            Some(w) => (w.1.clone(), w.2.clone()),
            None => {
                let (xf, yf) = (
                    format!("{}_X.npy", case.name),
                    format!("{}_y.npy", case.name),
                );
                write_npy_dataset(dir.join(&xf), dir.join(&yf), &d, NpyOrder::C)
                    .map_err(|e| e.to_string())?;
                written.push((key, xf.clone(), yf.clone()));
                (xf, yf)
            }
        };
        let (l1, l2, tol, path) = match &case.work {
            Work::Logistic { l2, tol, .. } | Work::Multinomial { l2, tol, .. } => {
                (0.0, *l2, *tol, false)
            }
            Work::Lasso { l1, tol } => (*l1, 0.0, *tol, false),
            Work::LassoPath { tol, .. } => (cases::path_l1_min(&case, &d), 0.0, *tol, true),
            Work::Ridge { l2 } => (0.0, *l2, 1e-8, false),
            Work::Glm { l1, l2, tol, .. } => (*l1, *l2, *tol, false),
            Work::GlmPath { tol, .. } => (0.0, 0.0, *tol, true),
            _ => (0.0, 0.0, 1e-8, false),
        };
        // GLM cases: the exposure is the last column of X (none for gamma's severities)
        let family = match &case.work {
            Work::Glm { family, .. } => family.as_str(),
            Work::GlmPath { .. } => "poisson",
            _ => "",
        };
        entries.push(serde_json::json!({
            "name": case.name, "kind": kind, "x": xf, "y": yf, "l1": l1, "l2": l2, "tol": tol, "path": path,
            "family": family, "exposure_last_column": family == "poisson" || family == "tweedie"
        }));
        eprintln!("wrote {}", case.name);
    }
    let text = serde_json::to_string_pretty(&entries).map_err(|e| e.to_string())?;
    std::fs::write(dir.join("cases.json"), text).map_err(|e| e.to_string())
}

fn main() {
    let args = match parse() {
        Ok(a) => a,
        Err(e) => {
            eprintln!("bench: {e}");
            std::process::exit(2);
        }
    };
    if let Some(name) = &args.child {
        let reps = args.reps.unwrap_or(1);
        if let Err(e) = child(name, args.quick, reps, &args.out) {
            eprintln!("bench child: {e}");
            std::process::exit(1);
        }
        return;
    }
    if let Some(dir) = &args.write_data {
        if let Err(e) = write_data(dir, args.quick, &args.filter) {
            eprintln!("bench: {e}");
            std::process::exit(1);
        }
        return;
    }
    let machine = machine::measure(args.quick);
    eprintln!(
        "machine: {} ({} cores, {} threads); read {:.1} GB/s ({:.1} GB/s on one thread); matrix product {:.1} GFLOP/s",
        machine.cpu,
        machine.cores,
        machine.threads,
        machine.read_bandwidth / 1e9,
        machine.read_bandwidth_1 / 1e9,
        machine.gemm_flops / 1e9
    );
    let exe = std::env::current_exe().expect("own path");
    let mut results = Vec::new();
    for case in cases::suite(args.quick) {
        if !args.filter.is_empty() && !args.filter.iter().any(|f| case.name.contains(f.as_str())) {
            continue;
        }
        let reps = reps_for(&case, args.quick, args.reps);
        if matches!(case.work, Work::CsvRead { .. } | Work::TableEncode) {
            // written here, so that the child's peak memory is the read's alone
            let written = if matches!(case.work, Work::TableEncode) {
                std::fs::create_dir_all(&args.out)
                    .map_err(|e| e.to_string())
                    .and_then(|()| {
                        tables::write_table_case(&case, &cases::csv_path(&case, &args.out))
                    })
            } else {
                cases::write_csv_case(&case, &args.out)
            };
            if let Err(e) = written {
                eprintln!("{}: cannot write its file: {e}", case.name);
                std::process::exit(1);
            }
        }
        let mut cmd = Command::new(&exe);
        cmd.args(["--out", &args.out.display().to_string()]);
        cmd.args(["--child", &case.name, "--reps", &reps.to_string()]);
        if args.quick {
            cmd.arg("--quick");
        }
        let out = cmd.output().expect("child runs");
        if !out.status.success() {
            eprintln!(
                "{}: FAILED\n{}",
                case.name,
                String::from_utf8_lossy(&out.stderr)
            );
            std::process::exit(1);
        }
        let child: ChildResult = match serde_json::from_slice(&out.stdout) {
            Ok(c) => c,
            Err(e) => {
                eprintln!("{}: unreadable child output ({e})", case.name);
                std::process::exit(1);
            }
        };
        // (the table case's file stays for `bench/compare.py --table`)
        if matches!(case.work, Work::CsvRead { .. }) {
            let _ = std::fs::remove_file(cases::csv_path(&case, &args.out));
        }
        let row = report::Row::new(&case, &child, &machine);
        eprintln!("{}", row.line());
        results.push(row);
    }
    if let Err(e) = report::write(&args.out, &machine, &results, args.quick) {
        eprintln!("bench: {e}");
        std::process::exit(1);
    }
    eprintln!("report: {}/report.md and report.json", args.out.display());
}
