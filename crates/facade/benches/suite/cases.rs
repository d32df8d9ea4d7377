//! The benchmark cases: data generation and one timed run each.

use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::time::Instant;

use linmod::datasets::simulate::{
    LinearRegression as LinearSim, Logistic as LogisticSim, Multinomial as MultinomialSim,
    Simulator, SparseRegression, SparseText,
};
use linmod::datasets::{CsvOptions, Dataset, SparseDataset, read_csv, write_csv};
use linmod::linalg::{GramScratch, Mat, Parallelism, weighted_gram};
use linmod::models::Penalty;
use linmod::models::glm::{Glm, GlmData, GlmFamily, GlmPath, PathModel};

use crate::insurance::Target;
use linmod::models::linear::{LinearRegression, LinearSolver, RegularizationPath, lambda_max};
use linmod::models::logistic::{LogisticRegression, LogisticSolver};
use linmod::models::loss::Logistic;
use linmod::models::objective::LinearObjective;
use linmod::optim::Objective;
use serde::Serialize;

/// What a case runs.
#[derive(Clone, Debug, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub(crate) enum Work {
    /// One logistic loss-and-gradient pass (`LinearObjective::value_and_gradient`).
    GradientPass,
    /// One weighted Gram matrix `X^T D X` (lower triangle).
    Gram,
    /// An L2-penalized logistic fit.
    Logistic {
        solver: String,
        l2: f64,
        tol: f64,
        max_iter: usize,
    },
    /// An L2-penalized multinomial fit.
    Multinomial {
        classes: usize,
        solver: String,
        l2: f64,
        tol: f64,
    },
    /// A lasso fit.
    Lasso { l1: f64, tol: f64 },
    /// A 100-penalty lasso path.
    LassoPath {
        n_lambdas: usize,
        eps: f64,
        tol: f64,
    },
    /// Ordinary least squares (`auto`).
    Ols,
    /// Ridge regression.
    Ridge { l2: f64 },
    /// A fit on a sparse text-shaped design (`SparseText`, `nnz` entries per row): binary
    /// logistic (`model = "logistic"`) or lasso (`"lasso"`).
    Sparse {
        model: String,
        nnz: usize,
        l1: f64,
        l2: f64,
        intercept: bool,
        tol: f64,
    },
    /// A GLM fit on the insurance-shaped data (`family`: poisson with the exposure, gamma on
    /// the severities, tweedie with power 1.5 on the total amounts with the exposure).
    Glm {
        family: String,
        l1: f64,
        l2: f64,
        tol: f64,
    },
    /// A Poisson lasso path on the insurance-shaped claim counts with the exposure.
    GlmPath {
        n_lambdas: usize,
        eps: f64,
        tol: f64,
    },
    /// Reading a CSV file of `n` rows, `p` features and a target column (`read_csv`); with
    /// `target_only`, a one-column target file (`p = 0`). The file is written beforehand by
    /// another process, and the case reports the read's peak memory over the data's `f64`
    /// bytes.
    CsvRead { target_only: bool },
    /// Reading a CSV of numeric and text columns into a table and encoding it by a formula
    /// (`tables.rs`); the peak memory is reported over the encoded design's bytes.
    TableEncode,
}

#[derive(Clone, Debug, Serialize)]
pub(crate) struct Case {
    pub(crate) name: String,
    pub(crate) n: usize,
    pub(crate) p: usize,
    pub(crate) work: Work,
}

impl Case {
    fn new(name: &str, n: usize, p: usize, work: Work) -> Self {
        Self {
            name: name.into(),
            n,
            p,
            work,
        }
    }

    /// The kind of model in `compare.py`'s terms, when the case is a fit it can compare.
    pub(crate) fn compare_kind(&self) -> Option<&'static str> {
        match &self.work {
            Work::Logistic { solver, .. } if solver == "auto" => Some("logistic"),
            Work::Multinomial { solver, .. } if solver == "auto" => Some("multinomial"),
            Work::Lasso { .. } | Work::LassoPath { .. } | Work::Ols | Work::Ridge { .. } => {
                Some("linear")
            }
            Work::Sparse { model, .. } if model == "lasso" => Some("linear"),
            Work::Sparse { .. } => Some("logistic"),
            Work::Glm { .. } | Work::GlmPath { .. } => Some("glm"),
            _ => None,
        }
    }
}

/// The suite. `quick` shrinks every size for a smoke test.
pub(crate) fn suite(quick: bool) -> Vec<Case> {
    let big = if quick { 20_000 } else { 1_000_000 };
    let mid = if quick { 5_000 } else { 100_000 };
    let l2 = 5e-7; // scikit-learn's C = 1 at n = 1e6
    let tol = 1e-8;
    let mut cases = vec![
        Case::new(
            &format!("gradient_pass_{}x100", big),
            big,
            100,
            Work::GradientPass,
        ),
        Case::new(&format!("weighted_gram_{}x100", big), big, 100, Work::Gram),
    ];
    for p in [20, 100] {
        for solver in [
            "auto",
            "newton",
            "lbfgs",
            "prox-newton",
            "fista",
            "gd",
            "sgd",
        ] {
            // first-order solvers get an iteration (SGD: epoch) budget: they are shown, not
            // expected to reach 1e-8
            let max_iter = match solver {
                "gd" | "fista" => 300,
                "sgd" => 5,
                _ => 1000,
            };
            cases.push(Case::new(
                &format!("logreg_l2_{big}x{p}_{solver}"),
                big,
                p,
                Work::Logistic {
                    solver: solver.into(),
                    l2,
                    tol,
                    max_iter,
                },
            ));
        }
    }
    for solver in ["auto", "newton", "lbfgs"] {
        cases.push(Case::new(
            &format!("multinomial_{mid}x50x5_{solver}"),
            mid,
            50,
            Work::Multinomial {
                classes: 5,
                solver: solver.into(),
                l2: 1.0 / (2.0 * mid as f64),
                tol,
            },
        ));
    }
    cases.push(Case::new(
        &format!("lasso_{mid}x100"),
        mid,
        100,
        Work::Lasso {
            l1: 0.05,
            tol: 1e-8,
        },
    ));
    cases.push(Case::new(
        &format!("lasso_path_{mid}x100"),
        mid,
        100,
        Work::LassoPath {
            n_lambdas: 100,
            eps: 1e-3,
            tol: 1e-8,
        },
    ));
    cases.push(Case::new(&format!("ols_{mid}x100"), mid, 100, Work::Ols));
    cases.push(Case::new(
        &format!("ridge_{mid}x100"),
        mid,
        100,
        Work::Ridge { l2: 1e-3 },
    ));
    // text-shaped sparse designs: rcv1 (2e5 x 5e4, 60 per row) and news20 (2e4 x 1.3e6, 450
    // per row) in the full suite, a small one in --quick
    let shapes: &[(&str, usize, usize, usize)] = if quick {
        &[("text", 5_000, 2_000, 30)]
    } else {
        &[
            ("rcv1", 200_000, 50_000, 60),
            ("news20", 20_000, 1_300_000, 450),
        ]
    };
    for &(shape, n, p, nnz) in shapes {
        let c = 1.0 / n as f64;
        for (model, l1, l2, intercept) in [
            ("logistic", 0.0, 0.5 * c, false),
            ("logistic", 0.0, 0.5 * c, true),
            ("logistic", c, 0.0, false),
            ("lasso", 1e-4, 0.0, true),
        ] {
            let what = match (model, l1 > 0.0, intercept) {
                ("lasso", ..) => "lasso".to_string(),
                (_, true, _) => "logreg_l1".to_string(),
                (_, false, true) => "logreg_l2_intercept".to_string(),
                _ => "logreg_l2".to_string(),
            };
            cases.push(Case::new(
                &format!("sparse_{what}_{shape}"),
                n,
                p,
                Work::Sparse {
                    model: model.into(),
                    nnz,
                    l1,
                    l2,
                    intercept,
                    tol: 1e-6,
                },
            ));
        }
    }
    // the insurance-shaped GLMs: 6e5 policies, 295 columns (glm_*: alpha = 2 l2 = 1e-4 as in
    // glum's benchmark, elastic net with l1_ratio 0.5)
    let policies = if quick { 3_000 } else { 600_000 };
    let p_ins = crate::insurance::n_columns();
    for (family, l1, l2) in [
        ("poisson", 0.0, 5e-5),
        ("poisson", 5e-5, 2.5e-5),
        ("gamma", 0.0, 5e-5),
        ("tweedie", 0.0, 5e-5),
        ("tweedie", 5e-5, 2.5e-5),
    ] {
        let kind = if l1 > 0.0 { "enet" } else { "l2" };
        cases.push(Case::new(
            &format!("glm_{family}_{kind}_{policies}x{p_ins}"),
            policies,
            p_ins,
            Work::Glm {
                family: family.into(),
                l1,
                l2,
                tol: 1e-8,
            },
        ));
    }
    cases.push(Case::new(
        &format!("glm_poisson_lasso_path_{policies}x{p_ins}"),
        policies,
        p_ins,
        Work::GlmPath {
            n_lambdas: if quick { 10 } else { 100 },
            eps: 1e-3,
            tol: 1e-8,
        },
    ));
    let rows = if quick { 20_000 } else { 1_000_000 };
    cases.push(Case::new(
        &format!("csv_read_{rows}x20"),
        rows,
        20,
        Work::CsvRead { target_only: false },
    ));
    cases.push(Case::new(
        &format!("csv_read_target_{rows}"),
        rows,
        0,
        Work::CsvRead { target_only: true },
    ));
    if !quick {
        cases.push(Case::new(
            "table_encode_1000000x20",
            1_000_000,
            20,
            Work::TableEncode,
        ));
    }
    let scaling: &[usize] = if quick {
        &[2_000, 20_000]
    } else {
        &[10_000, 100_000, 1_000_000]
    };
    for &n in scaling {
        cases.push(Case::new(
            &format!("scaling_logreg_l2_{n}x20_auto"),
            n,
            20,
            Work::Logistic {
                solver: "auto".into(),
                l2,
                tol,
                max_iter: 1000,
            },
        ));
    }
    cases
}

/// Coefficients in [-1, 1] that vary with the index.
fn pattern(p: usize) -> Vec<f64> {
    (0..p).map(|j| ((j * 7 % 11) as f64 - 5.0) / 5.0).collect()
}

/// The data of a case, seeded by its shape.
pub(crate) fn data(case: &Case) -> Dataset {
    let (n, p) = (case.n, case.p);
    let seed = (n as u64) * 1000 + p as u64;
    let sim = match &case.work {
        Work::GradientPass | Work::Gram | Work::Logistic { .. } => {
            let mut beta = vec![0.3];
            beta.extend(pattern(p));
            LogisticSim::new(n, beta).simulate(seed).map(|s| s.data)
        }
        Work::Multinomial { classes, .. } => MultinomialSim::random(n, p, *classes)
            .simulate(seed)
            .map(|s| s.data),
        Work::Lasso { .. } | Work::LassoPath { .. } => SparseRegression::new(n, p, 10)
            .correlation(0.5)
            .noise(1.0)
            .simulate(seed)
            .map(|s| s.data),
        Work::Sparse { .. } => unreachable!("sparse cases run through sparse_data"),
        Work::CsvRead { .. } | Work::TableEncode => LinearSim::new(n, pattern(p.max(1)))
            .simulate(seed)
            .map(|s| s.data),
        Work::Glm { family, .. } => {
            let target = match family.as_str() {
                "gamma" => Target::Severity,
                "tweedie" => Target::Total,
                _ => Target::Counts,
            };
            return insurance_dataset(n, target, seed);
        }
        Work::GlmPath { .. } => return insurance_dataset(n, Target::Counts, seed),
        Work::Ols | Work::Ridge { .. } => LinearSim::new(n, pattern(p))
            .intercept(1.0)
            .noise(1.0)
            .simulate(seed)
            .map(|s| s.data),
    };
    sim.unwrap_or_else(|e| panic!("simulating {}: {e}", case.name))
}

/// The insurance-shaped data as a data set: the exposure is the last column of `x`.
fn insurance_dataset(n: usize, target: Target, seed: u64) -> Dataset {
    let (x, y) = crate::insurance::generate(n, target, seed);
    let p = x.ncols() - 1;
    let mut feature_names: Vec<String> = (1..=p).map(|j| format!("x{j}")).collect();
    feature_names.push("exposure".into());
    Dataset {
        x,
        y,
        feature_names,
        target_name: "y".into(),
        target_names: Vec::new(),
        description: "insurance-shaped GLM benchmark data".into(),
    }
}

/// One GLM fit on the insurance data (`x` with the exposure as its last column).
fn glm_fit(family: &str, pen: Penalty, tol: f64, d: &Dataset) -> Run {
    use linmod::models::estimator::Fitted;
    let p = d.n_features() - 1;
    let x = d.x.as_ref().subcols(0, p);
    let exposure: Vec<f64> = d.x.col(p).iter().copied().collect();
    let (fam, data) = match family {
        "gamma" => (
            GlmFamily::Gamma {
                link: linmod::models::loss::GammaLink::Log,
            },
            GlmData::new(&d.y),
        ),
        "tweedie" => (
            GlmFamily::Tweedie { power: 1.5 },
            GlmData::new(&d.y).exposure(&exposure),
        ),
        _ => (GlmFamily::Poisson, GlmData::new(&d.y).exposure(&exposure)),
    };
    let cfg = Glm::new(fam).penalty(pen).tol(tol);
    let (seconds, fit) = timed(|| cfg.fit(x, &data));
    let fit = fit.unwrap_or_else(|e| panic!("{family}: {e}"));
    let report = fit.fit_report();
    Run {
        seconds,
        iterations: report.iterations,
        converged: report.converged,
        objective: report.objective.unwrap_or(f64::NAN),
    }
}

/// One timed run.
#[derive(Clone, Debug, Default, Serialize)]
pub(crate) struct Run {
    pub(crate) seconds: f64,
    pub(crate) iterations: usize,
    pub(crate) converged: bool,
    pub(crate) objective: f64,
}

fn timed<T>(f: impl FnOnce() -> T) -> (f64, T) {
    let t = Instant::now();
    let out = f();
    (t.elapsed().as_secs_f64(), out)
}

/// The CSV file a [`Work::CsvRead`] case reads.
pub(crate) fn csv_path(case: &Case, dir: &Path) -> PathBuf {
    dir.join(format!("{}.csv", case.name))
}

/// Writes the file of a [`Work::CsvRead`] case: the simulated data, or only its target.
pub(crate) fn write_csv_case(case: &Case, dir: &Path) -> Result<(), String> {
    let mut d = data(case);
    if matches!(case.work, Work::CsvRead { target_only: true }) {
        d.x = Mat::zeros(d.n_samples(), 0);
        d.feature_names.clear();
    }
    std::fs::create_dir_all(dir).map_err(|e| e.to_string())?;
    write_csv(csv_path(case, dir), &d).map_err(|e| e.to_string())
}

/// One timed read of a [`Work::CsvRead`] case's file.
pub(crate) fn read_csv_case(case: &Case, dir: &Path) -> (Run, u64) {
    let path = csv_path(case, dir);
    let (seconds, d) = timed(|| read_csv(&path, &CsvOptions::new("y")));
    let d = d.unwrap_or_else(|e| panic!("{}: {e}", case.name));
    let cells = d.n_samples() * (d.n_features() + 1);
    let checksum = d.y.iter().sum::<f64>()
        + (0..d.n_features())
            .map(|j| d.x.col(j).iter().sum::<f64>())
            .sum::<f64>();
    let run = Run {
        seconds,
        iterations: 0,
        converged: true,
        objective: checksum,
    };
    (run, (cells * 8) as u64)
}

pub(crate) fn run(case: &Case, d: &Dataset) -> Run {
    let (x, y) = (d.x.as_ref(), &d.y[..]);
    match &case.work {
        Work::CsvRead { .. } | Work::TableEncode => {
            unreachable!("file cases run through their own readers")
        }
        Work::Sparse { .. } => unreachable!("sparse cases run through run_sparse"),
        Work::GradientPass => {
            let mut obj = LinearObjective::new(x, y, Logistic).expect("simulated 0/1 labels");
            let theta = vec![0.01; case.p + 1];
            let mut g = vec![0.0; case.p + 1];
            obj.value_and_gradient(&theta, &mut g); // warm the buffers
            let (seconds, v) = timed(|| obj.value_and_gradient(&theta, &mut g));
            black_box(&g);
            Run {
                seconds,
                iterations: 1,
                converged: true,
                objective: v,
            }
        }
        Work::Gram => {
            let dvec: Vec<f64> = (0..case.n)
                .map(|i| 0.25 - 1e-7 * (i % 100) as f64)
                .collect();
            let mut scratch = GramScratch::for_matrix(x);
            let mut gram = Mat::<f64>::zeros(case.p, case.p);
            let (seconds, s) = timed(|| {
                weighted_gram(
                    x,
                    &dvec,
                    &mut scratch,
                    Parallelism::Rayon,
                    gram.as_mut(),
                    None,
                )
            });
            black_box(&gram);
            Run {
                seconds,
                iterations: 1,
                converged: true,
                objective: s,
            }
        }
        Work::Logistic {
            solver,
            l2,
            tol,
            max_iter,
        } => {
            let solver: LogisticSolver = solver.parse().expect("known solver");
            let cfg = LogisticRegression::new()
                .l2(*l2)
                .tol(*tol)
                .max_iter(*max_iter)
                .epochs(*max_iter)
                .solver(solver)
                .learning_rate(1.0);
            let (seconds, fit) = timed(|| cfg.fit(x, y));
            let fit = fit.unwrap_or_else(|e| panic!("{}: {e}", case.name));
            Run {
                seconds,
                iterations: fit.n_iter(),
                converged: fit.converged(),
                objective: fit.objective(),
            }
        }
        Work::Multinomial {
            solver, l2, tol, ..
        } => {
            let solver: LogisticSolver = solver.parse().expect("known solver");
            let cfg = LogisticRegression::new()
                .l2(*l2)
                .tol(*tol)
                .solver(solver)
                .multinomial();
            let (seconds, fit) = timed(|| cfg.fit(x, y));
            let fit = fit.unwrap_or_else(|e| panic!("{}: {e}", case.name));
            Run {
                seconds,
                iterations: fit.n_iter(),
                converged: fit.converged(),
                objective: fit.objective(),
            }
        }
        Work::Lasso { l1, tol } => {
            let cfg = LinearRegression::new()
                .penalty(Penalty::l1(*l1).expect("valid"))
                .tol(*tol);
            let (seconds, fit) = timed(|| cfg.fit(x, y));
            let fit = fit.unwrap_or_else(|e| panic!("{}: {e}", case.name));
            let objective = squared_objective(&fit.predict(x).expect("predict"), y)
                + Penalty::l1(*l1).expect("valid").value(fit.coef());
            Run {
                seconds,
                iterations: fit.n_iter(),
                converged: fit.converged(),
                objective,
            }
        }
        Work::LassoPath {
            n_lambdas,
            eps,
            tol,
        } => {
            let cfg = RegularizationPath::new()
                .n_lambdas(*n_lambdas)
                .eps(*eps)
                .tol(*tol);
            let (seconds, path) = timed(|| cfg.fit(x, y));
            let path = path.unwrap_or_else(|e| panic!("{}: {e}", case.name));
            let last = path.len() - 1;
            let objective = squared_objective(&path.predict(last, x).expect("predict"), y)
                + path.penalty(last).value(&path.coefs[last]);
            Run {
                seconds,
                iterations: path.n_iters.iter().sum(),
                converged: path.converged.iter().all(|c| *c),
                objective,
            }
        }
        Work::Glm {
            family,
            l1,
            l2,
            tol,
        } => glm_fit(
            family,
            Penalty::elastic_net(*l1, *l2).expect("valid"),
            *tol,
            d,
        ),
        Work::GlmPath {
            n_lambdas,
            eps,
            tol,
        } => {
            let p = d.n_features() - 1;
            let x = d.x.as_ref().subcols(0, p);
            let exposure: Vec<f64> = d.x.col(p).iter().copied().collect();
            let data = GlmData::new(&d.y).exposure(&exposure);
            let cfg = GlmPath::new(PathModel::Glm(GlmFamily::Poisson))
                .n_lambdas(*n_lambdas)
                .eps(*eps)
                .tol(*tol);
            let (seconds, path) = timed(|| cfg.fit(x, &data));
            let path = path.unwrap_or_else(|e| panic!("{}: {e}", case.name));
            Run {
                seconds,
                iterations: path.n_iters.iter().sum(),
                converged: path.converged.iter().all(|c| *c),
                objective: *path.deviance.last().unwrap_or(&f64::NAN),
            }
        }
        Work::Ols | Work::Ridge { .. } => {
            let pen = match case.work {
                Work::Ridge { l2 } => Penalty::l2(l2).expect("valid"),
                _ => Penalty::none(),
            };
            let cfg = LinearRegression::new()
                .penalty(pen)
                .solver(LinearSolver::Auto);
            let (seconds, fit) = timed(|| cfg.fit(x, y));
            let fit = fit.unwrap_or_else(|e| panic!("{}: {e}", case.name));
            let objective =
                squared_objective(&fit.predict(x).expect("predict"), y) + pen.value(fit.coef());
            Run {
                seconds,
                iterations: fit.n_iter(),
                converged: fit.converged(),
                objective,
            }
        }
    }
}

/// The data of a [`Work::Sparse`] case, seeded by its shape: binary labels, or for the lasso
/// a continuous target with noise.
pub(crate) fn sparse_data(case: &Case) -> SparseDataset {
    let Work::Sparse { model, nnz, .. } = &case.work else {
        unreachable!("only sparse cases have sparse data")
    };
    let sim = SparseText::new(case.n, case.p, *nnz);
    let sim = if model == "lasso" {
        sim.regression(1.0)
    } else {
        sim
    };
    sim.simulate((case.n as u64) * 1000 + case.p as u64)
        .unwrap_or_else(|e| panic!("simulating {}: {e}", case.name))
        .0
}

/// One timed run of a [`Work::Sparse`] case (the lasso on a column-compressed copy, made
/// before the clock starts, as coordinate descent reads columns).
pub(crate) fn run_sparse(case: &Case, d: &SparseDataset) -> Run {
    let Work::Sparse {
        model,
        l1,
        l2,
        intercept,
        tol,
        ..
    } = &case.work
    else {
        unreachable!("only sparse cases run here")
    };
    let pen = Penalty::elastic_net(*l1, *l2).expect("valid");
    let y = &d.y[..];
    let (seconds, iterations, converged, objective) = if model == "lasso" {
        let csc = d.x.to_csc().expect("fits in 32-bit indices");
        let cfg = LinearRegression::new()
            .penalty(pen)
            .fit_intercept(*intercept)
            .tol(*tol);
        let (seconds, fit) = timed(|| cfg.fit(&csc, y));
        let fit = fit.unwrap_or_else(|e| panic!("{}: {e}", case.name));
        let objective = fit.objective().unwrap_or(f64::NAN);
        (seconds, fit.n_iter(), fit.converged(), objective)
    } else {
        let cfg = LogisticRegression::new()
            .penalty(pen)
            .fit_intercept(*intercept)
            .tol(*tol);
        let (seconds, fit) = timed(|| cfg.fit(&d.x, y));
        let fit = fit.unwrap_or_else(|e| panic!("{}: {e}", case.name));
        (seconds, fit.n_iter(), fit.converged(), fit.objective())
    };
    Run {
        seconds,
        iterations,
        converged,
        objective,
    }
}

/// `1/(2n) |y - yhat|^2`.
fn squared_objective(pred: &[f64], y: &[f64]) -> f64 {
    0.5 * linmod::models::metrics::mean_squared_error(y, pred).expect("finite")
}

/// The smallest lasso penalty of a path case (for `compare.py`).
pub(crate) fn path_l1_min(case: &Case, d: &Dataset) -> f64 {
    match &case.work {
        Work::LassoPath { eps, .. } => {
            eps * lambda_max(d.x.as_ref(), &d.y, None, true, 1.0).expect("lambda_max")
        }
        _ => 0.0,
    }
}
