//! `linmod path --model logistic|multinomial|poisson|gamma|tweedie`: regularization paths and
//! cross-validation of the GLM families and the logistic models, with figures.

use std::time::Instant;

use anyhow::{Result, bail};
use linmod::models::glm::{GlmCv, GlmPath, GlmPathFit, PathModel};
use serde_json::{Map, Value, json};

use super::fit_glm::{KnownColumns, family, locate};
use super::path::{coefficient_chart, path_headline};
use crate::args::{Format, ModelKind, PathArgs};
use crate::input;
use crate::output::{num, print_json, table};
use crate::plot::{Chart, Series};
use crate::progress::with_spinner;

pub fn run(args: &PathArgs, quiet: bool) -> Result<()> {
    let model = match args.model {
        ModelKind::Logistic => PathModel::Logistic,
        ModelKind::Multinomial => PathModel::Multinomial,
        ModelKind::Linear => bail!("the linear path has its own command path"),
        other => PathModel::Glm(family(other, args.glm.power, args.glm.link)?),
    };
    if !matches!(model, PathModel::Glm(_)) && (args.glm.power.is_some() || args.glm.link.is_some())
    {
        bail!("--power and --link apply to --model poisson, gamma and tweedie");
    }
    if args.l1.is_some() {
        bail!("--l1 sets the smallest penalty of the linear path; use --eps for this model");
    }
    let mut loaded = input::labelled(&args.data)?;
    let known = KnownColumns::take(
        &mut loaded,
        args.glm.offset.as_deref(),
        args.glm.exposure.as_deref(),
        args.glm.weights.as_deref(),
    )?;
    let data = &loaded.data;
    let (x, y) = (data.x.as_ref(), &data.y[..]);
    let glm_data = known.data(y);
    let mut cfg = GlmPath::new(model)
        .n_lambdas(args.n_lambdas)
        .l1_ratio(args.l1_ratio)
        .eps(args.eps);
    if let Some(t) = args.tol {
        cfg = cfg.tol(t);
    }
    if let Some(m) = args.max_iter {
        cfg = cfg.max_iter(m);
    }
    let columns = [
        ("offset", args.glm.offset.as_ref()),
        ("exposure", args.glm.exposure.as_ref()),
        ("weights", args.glm.weights.as_ref()),
    ];
    let start = Instant::now();
    let (path, cv) = if args.folds >= 2 {
        let cv = with_spinner("fitting and cross-validating the path", quiet, || {
            cfg.cross_validate(x, &glm_data, args.folds, args.seed)
        })
        .map_err(|e| locate(&loaded, columns, e))?;
        (cv.path.clone(), Some(cv))
    } else {
        let path = with_spinner("fitting the regularization path", quiet, || {
            cfg.fit(x, &glm_data)
        })
        .map_err(|e| locate(&loaded, columns, e))?;
        (path, None)
    };
    let seconds = start.elapsed().as_secs_f64();
    let names = coefficient_names(&data.feature_names, path.outputs);
    if let Some(file) = &args.plot {
        chart(&names, &path, cv.as_ref()).write(file)?;
    }
    if let Some(file) = &args.plot_deviance {
        let Some(cv) = &cv else {
            bail!("--plot-deviance needs cross-validation (--folds 2 or more)");
        };
        deviance_chart(cv).write(file)?;
    }
    let all_converged = path.converged.iter().all(|c| *c);
    match args.format {
        Format::Json => {
            let mut m = Map::new();
            m.insert(
                "model".into(),
                json!(format!("{:?}", args.model).to_lowercase()),
            );
            m.insert("lambdas".into(), json!(path.lambdas));
            m.insert("l1_ratio".into(), json!(path.l1_ratio));
            m.insert("outputs".into(), json!(path.outputs));
            m.insert("coefs".into(), json!(path.coefs));
            m.insert("intercepts".into(), json!(path.intercepts));
            m.insert("deviance".into(), json!(path.deviance));
            m.insert("n_iters".into(), json!(path.n_iters));
            m.insert("converged".into(), json!(all_converged));
            m.insert("fit_seconds".into(), json!(seconds));
            m.insert("feature_names".into(), json!(data.feature_names));
            if let Some(cv) = &cv {
                m.insert("lambda_min".into(), json!(cv.lambda_min));
                m.insert("lambda_1se".into(), json!(cv.lambda_1se));
                m.insert("cv_deviance_mean".into(), json!(cv.deviance_mean));
                m.insert("cv_deviance_std_error".into(), json!(cv.deviance_std_error));
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
                .map(|l| {
                    vec![
                        num(path.lambdas[l], 4),
                        path.nonzero(l).to_string(),
                        num(path.deviance[l], 6),
                        path.n_iters[l].to_string(),
                    ]
                })
                .collect();
            out!(
                "{}",
                table(&["lambda", "non-zero", "deviance", "iterations"], &rows)
            );
            if let Some(cv) = &cv {
                outln!(
                    "\n{}-fold cross-validation: lambda_min = {} (mean deviance {}), lambda_1se = {} (mean deviance {})",
                    args.folds,
                    num(cv.lambda_min, 4),
                    num(cv.deviance_mean[cv.index_min], 5),
                    num(cv.lambda_1se, 4),
                    num(cv.deviance_mean[cv.index_1se], 5)
                );
            }
            for file in [&args.plot, &args.plot_deviance].into_iter().flatten() {
                outln!("figure written to {}", file.display());
            }
            Ok(())
        }
    }
}

/// The names of the coefficients: the features, per class for several outputs.
fn coefficient_names(features: &[String], outputs: usize) -> Vec<String> {
    if outputs == 1 {
        return features.to_vec();
    }
    (0..outputs)
        .flat_map(|c| features.iter().map(move |f| format!("{f} (class {c})")))
        .collect()
}

fn chart(names: &[String], path: &GlmPathFit, cv: Option<&GlmCv>) -> Chart {
    let markers: Vec<(f64, &str, String)> = cv.map_or_else(Vec::new, |cv| {
        vec![
            (
                cv.lambda_min,
                "λ min",
                format!(
                    "λ_min = {} ({} non-zero)",
                    num(cv.lambda_min, 3),
                    path.nonzero(cv.index_min)
                ),
            ),
            (
                cv.lambda_1se,
                "λ 1se",
                format!(
                    "λ_1se = {} ({} non-zero)",
                    num(cv.lambda_1se, 3),
                    path.nonzero(cv.index_1se)
                ),
            ),
        ]
    });
    coefficient_chart(
        "regularization path",
        names,
        &path.lambdas,
        |l, j| path.coefs[l][j],
        &markers,
    )
}

/// The mean held-out deviance against the penalty, with one standard error either side and
/// the chosen penalties marked.
fn deviance_chart(cv: &GlmCv) -> Chart {
    let lambdas = &cv.path.lambdas;
    let line = |sign: f64| -> Vec<(f64, f64)> {
        lambdas
            .iter()
            .enumerate()
            .map(|(l, lambda)| {
                (
                    *lambda,
                    cv.deviance_mean[l] + sign * cv.deviance_std_error[l],
                )
            })
            .collect()
    };
    Chart::new(
        "cross-validated deviance",
        "penalty λ (log scale)",
        "mean deviance per row",
    )
    .log_x()
    .with(Series::line("mean held-out deviance", line(0.0)).with_markers())
    .with(Series::dashed("+ 1 standard error", line(1.0)))
    .with(Series::dashed("- 1 standard error", line(-1.0)))
    .vline(
        cv.lambda_min,
        "λ min",
        format!("λ_min = {}", num(cv.lambda_min, 3)),
    )
    .vline(
        cv.lambda_1se,
        "λ 1se",
        format!("λ_1se = {}", num(cv.lambda_1se, 3)),
    )
}
