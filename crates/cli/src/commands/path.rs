//! `linmod path`: the lasso / elastic-net regularization path, cross-validation, a figure.

use std::time::Instant;

use anyhow::{Result, bail};
use linmod::linalg::Short;
use linmod::models::linear::{
    CrossValidation, CvResult, LinearPath, RegularizationPath, lambda_max,
};
use serde_json::{Map, Value, json};

use crate::args::{Format, ModelKind, PathArgs};
use crate::input;
use crate::output::{num, print_json, table};
use crate::plot::{Chart, Series};
use crate::progress::with_spinner;

pub fn run(args: &PathArgs, quiet: bool) -> Result<()> {
    if args.model != ModelKind::Linear {
        return super::glm_path::run(args, quiet);
    }
    if args.plot_deviance.is_some() || args.glm.any() {
        bail!(
            "--plot-deviance, --power, --link, --offset, --exposure and --weights apply to \
             the paths of models other than linear"
        );
    }
    let loaded = input::labelled_dense(&args.data, "path")?;
    let data = &loaded.data;
    let (x, y) = (data.x.as_ref(), &data.y[..]);
    let mut cfg = RegularizationPath::new()
        .n_lambdas(args.n_lambdas)
        .l1_ratio(args.l1_ratio);
    if let Some(smallest) = args.l1 {
        let top = lambda_max(x, y, None, true, args.l1_ratio)?;
        if !(smallest > 0.0 && smallest < top) {
            bail!(
                "--l1 {} must lie in (0, lambda_max = {})",
                Short(smallest),
                Short(top)
            );
        }
        cfg = cfg.eps(smallest / top);
    } else {
        cfg = cfg.eps(args.eps);
    }
    if let Some(t) = args.tol {
        cfg = cfg.tol(t);
    }
    if let Some(m) = args.max_iter {
        cfg = cfg.max_iter(m);
    }
    let start = Instant::now();
    let path = with_spinner("fitting the regularization path", quiet, || cfg.fit(x, y))
        .map_err(|e| loaded.locate(e))?;
    let seconds = start.elapsed().as_secs_f64();
    let cv = if args.folds >= 2 {
        Some(with_spinner("cross-validating", quiet, || {
            CrossValidation::new(cfg.clone())
                .folds(args.folds)
                .seed(args.seed)
                .fit(x, y)
        })?)
    } else {
        None
    };
    if let Some(file) = &args.plot {
        path_chart(
            "regularization path",
            &data.feature_names,
            &path,
            cv.as_ref(),
        )
        .write(file)?;
    }
    let all_converged = path.converged.iter().all(|c| *c);
    match args.format {
        Format::Json => {
            let mut m = Map::new();
            m.insert("lambdas".into(), json!(path.lambdas));
            m.insert("l1_ratio".into(), json!(path.l1_ratio));
            m.insert("coefs".into(), json!(path.coefs));
            m.insert("intercepts".into(), json!(path.intercepts));
            m.insert("duality_gaps".into(), json!(path.duality_gaps));
            m.insert("n_iters".into(), json!(path.n_iters));
            m.insert("converged".into(), json!(all_converged));
            m.insert("fit_seconds".into(), json!(seconds));
            m.insert("feature_names".into(), json!(data.feature_names));
            if let Some(cv) = &cv {
                m.insert("lambda_min".into(), json!(cv.lambda_min));
                m.insert("lambda_1se".into(), json!(cv.lambda_1se));
                m.insert("cv_mse_mean".into(), json!(cv.mse_mean));
                m.insert("cv_mse_std_error".into(), json!(cv.mse_std_error));
            }
            print_json(&Value::Object(m))
        }
        Format::Text => {
            outln!(
                "{}",
                path_headline(&path.lambdas, path.l1_ratio, all_converged, seconds)
            );
            let step = (path.len() / 10).max(1);
            let rows: Vec<Vec<String>> = (0..path.len())
                .step_by(step)
                .map(|k| {
                    let nonzero = path.coefs[k].iter().filter(|w| **w != 0.0).count();
                    vec![
                        num(path.lambdas[k], 4),
                        nonzero.to_string(),
                        num(path.duality_gaps[k], 2),
                        path.n_iters[k].to_string(),
                    ]
                })
                .collect();
            out!(
                "{}",
                table(&["lambda", "non-zero", "duality gap", "sweeps"], &rows)
            );
            if let Some(cv) = &cv {
                outln!(
                    "\n{}-fold cross-validation: lambda_min = {} (MSE {}), lambda_1se = {} (MSE {})",
                    args.folds,
                    num(cv.lambda_min, 4),
                    num(cv.mse_mean[cv.index_min], 4),
                    num(cv.lambda_1se, 4),
                    num(cv.mse_mean[cv.index_1se], 4)
                );
            }
            if let Some(file) = &args.plot {
                outln!("figure written to {}", file.display());
            }
            Ok(())
        }
    }
}

/// The first line of a path's text output: the grid, and whether every fit converged.
pub fn path_headline(lambdas: &[f64], l1_ratio: f64, all_converged: bool, seconds: f64) -> String {
    format!(
        "{} penalties from {} down to {}, l1_ratio {l1_ratio}: {} in {seconds:.3} s",
        lambdas.len(),
        num(lambdas.first().copied().unwrap_or(0.0), 4),
        num(lambdas.last().copied().unwrap_or(0.0), 4),
        if all_converged {
            "every fit converged"
        } else {
            "SOME FITS DID NOT CONVERGE"
        }
    )
}

/// The coefficients along a regularization path against the penalty (log scale), with the
/// penalties cross-validation chose marked: `lambda_min` (least mean squared error) and the
/// largest penalty within one standard error of it.
pub fn path_chart(
    title: &str,
    names: &[String],
    path: &LinearPath,
    cv: Option<&CvResult>,
) -> Chart {
    let markers = cv.map_or_else(Vec::new, |cv| {
        [
            (cv.lambda_min, "λ min", "λ_min", &cv.model_min),
            (cv.lambda_1se, "λ 1se", "λ_1se", &cv.model_1se),
        ]
        .into_iter()
        .map(|(lambda, tag, name, model)| {
            let nonzero = model.coef().iter().filter(|w| **w != 0.0).count();
            (
                lambda,
                tag,
                format!("{name} = {} ({nonzero} non-zero)", num(lambda, 3)),
            )
        })
        .collect()
    });
    coefficient_chart(
        title,
        names,
        &path.lambdas,
        |l, j| path.coefs[l][j],
        &markers,
    )
}

/// One line per coefficient `coef(l, j)` against the penalties (log scale), with vertical
/// markers `(lambda, tag, legend entry)`.
pub fn coefficient_chart(
    title: &str,
    names: &[String],
    lambdas: &[f64],
    coef: impl Fn(usize, usize) -> f64,
    markers: &[(f64, &str, String)],
) -> Chart {
    let mut chart = Chart::new(title, "penalty λ (log scale)", "coefficient").log_x();
    for (j, name) in names.iter().enumerate() {
        let pts = lambdas
            .iter()
            .enumerate()
            .map(|(l, lambda)| (*lambda, coef(l, j)))
            .collect();
        chart = chart.with(Series::line(name.clone(), pts));
    }
    for (lambda, tag, entry) in markers {
        chart = chart.vline(*lambda, *tag, entry.clone());
    }
    chart
}
