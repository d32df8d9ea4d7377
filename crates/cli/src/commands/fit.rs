//! `linmod fit`: fit a model to a data file, print it (text or JSON) and optionally save it.

use std::time::Instant;

use anyhow::{Result, bail};
use linmod::datasets::Dataset;
use linmod::linalg::Short;
use linmod::models::estimator::{FitReport, Fitted as Estimator};
use linmod::models::inference::{CovarianceType, InferenceOptions, Summary};
use linmod::models::linear::{LinearRegression, LinearSolver};
use linmod::models::logistic::{ClassWeight, LogisticRegression, LogisticSolver, Multiclass};
use linmod::models::persist::{ModelFile, SavedModel};
use linmod::models::{FitSettings, Penalty};
use serde_json::{Map, Value, json};

use crate::args::{FitArgs, Format, ModelKind, PenaltyKind, Strategy};
use crate::input::{self, Labelled};
use crate::output::{add_summary, num, print_json, table};
use crate::progress::with_spinner;

/// The penalty from --l1/--l2 or --c/--penalty (the course's C: the strength is 1/C).
pub fn penalty(
    l1: Option<f64>,
    l2: Option<f64>,
    c: Option<f64>,
    kind: Option<PenaltyKind>,
) -> Result<Penalty> {
    Ok(match (c, kind) {
        (Some(c), Some(PenaltyKind::L1)) => Penalty::inverse_c_l1(c)?,
        (Some(c), Some(PenaltyKind::L2)) => Penalty::inverse_c_l2(c)?,
        _ => Penalty::elastic_net(l1.unwrap_or(0.0), l2.unwrap_or(0.0))?,
    })
}

/// What every fit reports, whatever the model.
pub(super) struct Fitted {
    pub(super) model: SavedModel,
    pub(super) json: Map<String, Value>,
    pub(super) text: String,
}

pub fn run(args: &FitArgs, quiet: bool) -> Result<()> {
    let mut loaded = input::labelled(&args.data)?;
    // a formula decides the intercept (`- 1` removes it)
    let with_design;
    let args = match &loaded.design {
        Some(d) if args.data.formula.is_some() && args.no_intercept && d.spec.intercept() => {
            bail!("--no-intercept and a formula: write `- 1` in the formula instead")
        }
        Some(d) if !d.spec.intercept() => {
            with_design = FitArgs {
                no_intercept: true,
                ..args.clone()
            };
            &with_design
        }
        _ => args,
    };
    let pen = penalty(args.l1, args.l2, args.c, args.penalty)?;
    let glm = matches!(
        args.model,
        ModelKind::Poisson | ModelKind::Gamma | ModelKind::Tweedie
    );
    if !glm && args.glm.any() {
        bail!(
            "--offset, --exposure, --weights, --power and --link apply to --model poisson, gamma and tweedie"
        );
    }
    let mut fitted = match args.model {
        ModelKind::Logistic | ModelKind::Multinomial => fit_logistic(args, &loaded, pen, quiet)?,
        ModelKind::Linear => fit_linear(args, &loaded, pen, quiet)?,
        ModelKind::Poisson | ModelKind::Gamma | ModelKind::Tweedie => {
            super::fit_glm::fit_glm(args, &mut loaded, pen, quiet)?
        }
    };
    let data = &loaded.data;
    if let Some(d) = &loaded.design {
        if let Some(formula) = d.spec.formula() {
            fitted.json.insert("formula".into(), json!(formula));
        }
        fitted.json.insert("dropped_rows".into(), json!(d.dropped));
        if d.dropped > 0 {
            fitted.text = format!(
                "{} row(s) with a missing value in the columns used were dropped\n{}",
                d.dropped, fitted.text
            );
        }
    }
    if let Some(path) = &args.save {
        // names are the contract of CSV input; a `.npy` file has none, so its model is
        // applied by position
        let names = input::has_column_names(&args.data.data).then(|| data.feature_names.clone());
        let mut file = ModelFile::new(fitted.model, names)?;
        if let Some(d) = &loaded.design {
            file = file.with_design(serde_json::to_value(&d.spec)?);
        }
        file.save(path)?;
    }
    match args.format {
        Format::Json => print_json(&Value::Object(fitted.json)),
        Format::Text => {
            out!("{}", fitted.text);
            if let Some(path) = &args.save {
                outln!("model saved to {}", path.display());
            }
            Ok(())
        }
    }
}

pub(super) fn inference_options(args: &FitArgs, data: &Dataset) -> InferenceOptions {
    InferenceOptions::default()
        .level(args.level)
        .covariance(if args.robust {
            CovarianceType::Hc1
        } else {
            CovarianceType::Nonrobust
        })
        .names(data.feature_names.clone())
        .dependent(data.target_name.clone())
        // statsmodels' formula API names the intercept so
        .intercept_name(if args.data.formula.is_some() {
            "Intercept"
        } else {
            "const"
        })
}

pub(super) fn base_json(
    args: &FitArgs,
    loaded: &Labelled,
    solver: &str,
    pen: Penalty,
) -> Map<String, Value> {
    let data = &loaded.data;
    let mut m = Map::new();
    m.insert(
        "model".into(),
        json!(format!("{:?}", args.model).to_lowercase()),
    );
    m.insert("solver".into(), json!(solver));
    m.insert("n_samples".into(), json!(loaded.n_samples()));
    m.insert("n_features".into(), json!(loaded.n_features()));
    m.insert("feature_names".into(), json!(data.feature_names));
    m.insert("target".into(), json!(data.target_name));
    m.insert("fit_intercept".into(), json!(!args.no_intercept));
    m.insert("l1".into(), json!(pen.l1));
    m.insert("l2".into(), json!(pen.l2));
    m
}

/// The fit's report in the JSON: how it stopped, its optimality measure and the objective
/// (or, beyond f64's range, a note: JSON has no infinity), and the wall time of the fit.
pub(super) fn report_json(m: &mut Map<String, Value>, report: &FitReport, seconds: f64) {
    m.insert("iterations".into(), json!(report.iterations));
    m.insert("converged".into(), json!(report.converged));
    m.insert("termination".into(), json!(report.termination));
    m.insert("optimality".into(), json!(report.optimality));
    m.insert("optimality_measure".into(), json!(report.measure));
    match report.objective {
        Some(v) => m.insert("objective".into(), json!(v)),
        None => m.insert("objective_note".into(), json!(OBJECTIVE_OVERFLOW)),
    };
    m.insert("fit_seconds".into(), json!(seconds));
}

/// What replaces an objective value that is beyond the range of f64.
const OBJECTIVE_OVERFLOW: &str = "the objective is beyond the range of f64 (targets above about 1e154); the coefficients are exact";

/// The report as a line of text: how it stopped, iterations, objective, time.
pub(super) fn report_line(report: &FitReport, seconds: f64) -> String {
    let objective = report.objective.map_or_else(
        || OBJECTIVE_OVERFLOW.to_string(),
        |v| format!("objective {v:.10}"),
    );
    format!(
        "{} after {} iterations; {objective}; {seconds:.3} s\n",
        report.termination, report.iterations
    )
}

pub(super) fn header(args: &FitArgs, loaded: &Labelled, solver: &str, pen: Penalty) -> String {
    let data = &loaded.data;
    format!(
        "{} on {} rows x {} features (target `{}`), solver {solver}, penalty l1 = {}, l2 = {}\n",
        format!("{:?}", args.model).to_lowercase(),
        loaded.n_samples(),
        loaded.n_features(),
        data.target_name,
        Short(pen.l1),
        Short(pen.l2)
    )
}

pub(super) fn coefficient_table(names: &[String], coef: &[f64], intercept: Option<f64>) -> String {
    let mut rows: Vec<Vec<String>> = Vec::new();
    if let Some(b) = intercept {
        rows.push(vec!["intercept".into(), num(b, 6)]);
    }
    rows.extend(
        names
            .iter()
            .zip(coef)
            .map(|(n, c)| vec![n.clone(), num(*c, 6)]),
    );
    table(&["", "coef"], &rows)
}

/// The summary table when inference ran, else the coefficients and (when inference was
/// attempted and refused) the reason.
pub(super) fn add_inference(
    json: &mut Map<String, Value>,
    text: &mut String,
    summary: Option<linmod::models::Result<Summary>>,
    coefficients: String,
) {
    match summary {
        Some(Ok(s)) => {
            add_summary(json, &s);
            text.push_str(&s.to_text());
        }
        Some(Err(e)) => {
            json.insert("inference_unavailable".into(), json!(e.to_string()));
            text.push_str(&coefficients);
            text.push_str(&format!("no statistical summary: {e}\n"));
        }
        None => text.push_str(&coefficients),
    }
}

/// The shared solver settings of the flags: tolerance, iterations (epochs for `sgd`),
/// learning rate, batch size and seed.
pub(super) fn fit_settings(args: &FitArgs, sgd: bool) -> FitSettings {
    let mut s = FitSettings {
        tol: args.tol,
        learning_rate: args.learning_rate,
        batch_size: args.batch_size,
        seed: args.seed,
        ..FitSettings::default()
    };
    if sgd {
        s.epochs = args.max_iter;
    } else {
        s.max_iter = args.max_iter;
    }
    s
}

/// The labels of a classifier: those of a sparse file for a binary model may be written -1 /
/// +1 (LIBSVM's convention), read as 0 / 1.
fn binary_labels<'a>(args: &FitArgs, loaded: &'a Labelled) -> std::borrow::Cow<'a, [f64]> {
    let y = &loaded.data.y;
    // labels are read exactly from the file: -1 and +1 are exact
    let signed = y
        .iter()
        .all(|v| v.to_bits() == (-1f64).to_bits() || v.to_bits() == 1f64.to_bits());
    if loaded.sparse.is_some() && args.model == ModelKind::Logistic && signed {
        std::borrow::Cow::Owned(y.iter().map(|v| f64::from(u8::from(*v > 0.0))).collect())
    } else {
        std::borrow::Cow::Borrowed(y)
    }
}

fn fit_logistic(args: &FitArgs, loaded: &Labelled, pen: Penalty, quiet: bool) -> Result<Fitted> {
    let data = &loaded.data;
    let solver: LogisticSolver = args.solver.parse()?;
    let mut cfg = LogisticRegression::new()
        .penalty(pen)
        .fit_intercept(!args.no_intercept)
        .solver(solver)
        .with_settings(fit_settings(args, solver == LogisticSolver::Sgd));
    if args.balanced {
        cfg = cfg.class_weight(ClassWeight::Balanced);
    }
    let x = data.x.as_ref();
    let y = &binary_labels(args, loaded)[..];
    if args.model == ModelKind::Logistic {
        let start = Instant::now();
        let fit = with_spinner("fitting logistic regression", quiet, || {
            match &loaded.sparse {
                Some(sparse) => cfg.fit(sparse, y),
                None => cfg.fit(x, y),
            }
        })
        .map_err(|e| loaded.locate(e))?;
        let seconds = start.elapsed().as_secs_f64();
        let solver_name = fit.solver().to_string();
        let mut json = base_json(args, loaded, &solver_name, pen);
        json.insert("coef".into(), json!(fit.coef()));
        json.insert("intercept".into(), json!(fit.intercept()));
        let report = Estimator::fit_report(&fit);
        report_json(&mut json, &report, seconds);
        let mut text = header(args, loaded, &solver_name, pen);
        text.push_str(&report_line(&report, seconds));
        text.push('\n');
        let summary = (pen.is_none() && fit.converged() && loaded.sparse.is_none())
            .then(|| fit.summary(x, y, &inference_options(args, data)));
        let coefs = coefficient_table(
            &data.feature_names,
            fit.coef(),
            (!args.no_intercept).then_some(fit.intercept()),
        );
        add_inference(&mut json, &mut text, summary, coefs);
        return Ok(Fitted {
            model: SavedModel::Logistic(fit),
            json,
            text,
        });
    }
    let strategy = match args.strategy {
        Strategy::Softmax => Multiclass::Softmax,
        Strategy::Ovr => Multiclass::OneVsRest,
    };
    let start = Instant::now();
    let fit = with_spinner("fitting multinomial regression", quiet, || {
        let cfg = cfg.multinomial().strategy(strategy);
        match &loaded.sparse {
            Some(sparse) => cfg.fit(sparse, y),
            None => cfg.fit(x, y),
        }
    })
    .map_err(|e| loaded.locate(e))?;
    let seconds = start.elapsed().as_secs_f64();
    let solver_name = fit.solver().to_string();
    let k = fit.n_classes();
    let mut json = base_json(args, loaded, &solver_name, pen);
    let per_class: Vec<Vec<f64>> = (0..k).map(|c| fit.class_coef(c).to_vec()).collect();
    json.insert("n_classes".into(), json!(k));
    json.insert(
        "strategy".into(),
        json!(format!("{:?}", args.strategy).to_lowercase()),
    );
    json.insert("coef".into(), json!(per_class));
    json.insert("intercept".into(), json!(fit.intercepts()));
    let report = Estimator::fit_report(&fit);
    report_json(&mut json, &report, seconds);
    let mut text = header(args, loaded, &solver_name, pen);
    text.push_str(&report_line(&report, seconds));
    text.push('\n');
    let mut headers: Vec<String> = vec![String::new()];
    headers.extend((0..k).map(|c| format!("class {c}")));
    let mut rows = vec![
        std::iter::once("intercept".to_string())
            .chain(fit.intercepts().iter().map(|b| num(*b, 5)))
            .collect::<Vec<_>>(),
    ];
    for (j, name) in data.feature_names.iter().enumerate() {
        rows.push(
            std::iter::once(name.clone())
                .chain((0..k).map(|c| num(fit.class_coef(c)[j], 5)))
                .collect(),
        );
    }
    let coefficients = table(
        &headers.iter().map(String::as_str).collect::<Vec<_>>(),
        &rows,
    );
    text.push_str(&coefficients);
    // statsmodels' MNLogit table: log-odds against class 0 with standard errors
    let summary = (pen.is_none()
        && strategy == Multiclass::Softmax
        && !args.balanced
        && fit.converged()
        && loaded.sparse.is_none())
    .then(|| fit.summary(x, y, &inference_options(args, data)));
    if summary.is_some() {
        text.push('\n');
    }
    add_inference(&mut json, &mut text, summary, String::new());
    Ok(Fitted {
        model: SavedModel::Multinomial(fit),
        json,
        text,
    })
}

fn fit_linear(args: &FitArgs, loaded: &Labelled, pen: Penalty, quiet: bool) -> Result<Fitted> {
    let data = &loaded.data;
    if args.balanced || args.strategy != Strategy::Softmax {
        bail!("--balanced and --strategy apply to classifiers only");
    }
    let solver: LinearSolver = args.solver.parse()?;
    let mut cfg = LinearRegression::new()
        .penalty(pen)
        .fit_intercept(!args.no_intercept)
        .solver(solver)
        .seed(args.seed);
    if let Some(t) = args.tol {
        cfg = cfg.tol(t);
    }
    if let Some(m) = args.max_iter {
        cfg = if solver == LinearSolver::Sgd {
            cfg.epochs(m)
        } else {
            cfg.max_iter(m)
        };
    }
    if let Some(lr) = args.learning_rate {
        cfg = cfg.learning_rate(lr);
    }
    if let Some(b) = args.batch_size {
        cfg = cfg.batch_size(b);
    }
    let (x, y) = (data.x.as_ref(), &data.y[..]);
    let start = Instant::now();
    let fit = with_spinner("fitting linear regression", quiet, || {
        match &loaded.sparse {
            // coordinate descent reads columns: a column-compressed copy of the rows
            Some(sparse) if pen.has_l1() => cfg.fit(&sparse.to_csc()?, y),
            Some(sparse) => cfg.fit(sparse, y),
            None => cfg.fit(x, y),
        }
    })
    .map_err(|e| loaded.locate(e))?;
    let seconds = start.elapsed().as_secs_f64();
    let solver_name = fit.solver().to_string();
    let report = Estimator::fit_report(&fit);
    let mut json = base_json(args, loaded, &solver_name, pen);
    json.insert("coef".into(), json!(fit.coef()));
    json.insert("intercept".into(), json!(fit.intercept()));
    if let Some(gap) = fit.duality_gap() {
        json.insert("duality_gap".into(), json!(gap));
    }
    let aliased: Vec<&str> = fit
        .aliased()
        .iter()
        .map(|&j| data.feature_names[j].as_str())
        .collect();
    if let Some(eta) = fit.certificate() {
        json.insert("certificate".into(), json!(eta));
        json.insert("certificate_bound".into(), json!(fit.certificate_bound()));
    }
    if let Some(rank) = fit.rank() {
        json.insert("rank".into(), json!(rank));
        json.insert("aliased".into(), json!(aliased));
    }
    if let Some(c) = fit.condition_estimate() {
        json.insert("condition_estimate".into(), json!(c));
    }
    if fit.target_scale().to_bits() != 1f64.to_bits() {
        json.insert("target_scale".into(), json!(fit.target_scale()));
    }
    report_json(&mut json, &report, seconds);
    let mut text = header(args, loaded, &solver_name, pen);
    text.push_str(&report_line(&report, seconds));
    if let Some(eta) = fit.certificate() {
        text.push_str(&format!(
            "relative residual of the normal equations {eta:.2e} (rounding bound {:.2e})\n",
            fit.certificate_bound()
        ));
    }
    if !aliased.is_empty() {
        text.push_str(&format!(
            "rank {} of {}: {} numerically a linear combination of the other columns after \
             scaling every column to unit norm (minimum-norm coefficients)\n",
            fit.rank().unwrap_or(0),
            fit.n_features(),
            aliased.join(", ")
        ));
    }
    if let Some(gap) = fit.duality_gap() {
        text.push_str(&format!("duality gap {gap:.3e}"));
        if fit.target_scale().to_bits() != 1f64.to_bits() {
            // the gap of the objective itself is beyond f64: it is the rescaled problem's
            text.push_str(&format!(
                " (of the problem with the target divided by {:.3e})",
                fit.target_scale()
            ));
        }
        text.push('\n');
    }
    text.push('\n');
    let intercept = (!args.no_intercept).then_some(fit.intercept());
    let summary = (pen.is_none() && fit.converged() && loaded.sparse.is_none()).then(|| {
        linmod::models::inference::ols(x, y, fit.coef(), intercept, &inference_options(args, data))
    });
    let coefs = coefficient_table(&data.feature_names, fit.coef(), intercept);
    add_inference(&mut json, &mut text, summary, coefs);
    Ok(Fitted {
        model: SavedModel::Linear(fit),
        json,
        text,
    })
}
