//! `linmod fit --model poisson|gamma|tweedie`: GLMs with offset, exposure and weight columns.

use std::time::Instant;

use anyhow::Result;
use linmod::linalg::Short;
use linmod::models::estimator::Fitted as Estimator;
use linmod::models::glm::{FittedGlm, Glm, GlmData, GlmFamily};
use linmod::models::logistic::LogisticSolver;
use linmod::models::persist::SavedModel;
use linmod::models::{ModelError, Penalty};
use serde_json::{Map, Value, json};

use super::fit::{
    Fitted, add_inference, base_json, coefficient_table, fit_settings, header, inference_options,
    report_json, report_line,
};
use crate::args::{FitArgs, LinkKind, ModelKind, Strategy};
use crate::input::Labelled;
use crate::progress::with_spinner;

/// The family of `--model`, `--power` and `--link`.
pub fn family(model: ModelKind, power: Option<f64>, link: Option<LinkKind>) -> Result<GlmFamily> {
    let name = match model {
        ModelKind::Poisson => "poisson",
        ModelKind::Gamma => "gamma",
        ModelKind::Tweedie => "tweedie",
        other => anyhow::bail!("{other:?} is not a GLM family"),
    };
    let link = link.map(|l| match l {
        LinkKind::Log => "log",
        LinkKind::Identity => "identity",
        LinkKind::Inverse => "inverse",
    });
    Ok(GlmFamily::from_names(name, power, link)?)
}

/// The offset, exposure and weight columns named by the flags, taken out of the features.
pub struct KnownColumns {
    pub offset: Option<Vec<f64>>,
    pub exposure: Option<Vec<f64>>,
    pub weights: Option<Vec<f64>>,
}

impl KnownColumns {
    pub fn take(
        loaded: &mut Labelled,
        offset: Option<&str>,
        exposure: Option<&str>,
        weights: Option<&str>,
    ) -> Result<Self> {
        let mut take = |name: Option<&str>, flag: &str| -> Result<Option<Vec<f64>>> {
            name.map(|n| loaded.take_column(n, flag)).transpose()
        };
        Ok(Self {
            offset: take(offset, "--offset")?,
            exposure: take(exposure, "--exposure")?,
            weights: take(weights, "--weights")?,
        })
    }

    /// The GLM data of target `y` with these columns.
    pub fn data<'a>(&'a self, y: &'a [f64]) -> GlmData<'a> {
        let mut d = GlmData::new(y);
        if let Some(o) = &self.offset {
            d = d.offset(o);
        }
        if let Some(e) = &self.exposure {
            d = d.exposure(e);
        }
        if let Some(w) = &self.weights {
            d = d.weights(w);
        }
        d
    }
}

/// A GLM error located in the data file: the row's line and the column of the flag.
pub fn locate(
    loaded: &Labelled,
    columns: [(&str, Option<&String>); 3],
    e: ModelError,
) -> anyhow::Error {
    let column = |what: &str| {
        columns
            .iter()
            .find(|(w, _)| *w == what)
            .and_then(|(_, c)| c.cloned())
    };
    match e {
        ModelError::InvalidValue {
            what,
            row,
            value,
            requirement,
        } => {
            let place = match column(what) {
                Some(c) => loaded.place_in(row, &c),
                None => loaded.place(row),
            };
            anyhow::anyhow!("{place}: invalid {what} {}: {requirement}", Short(value))
        }
        ModelError::InvalidWeight { row, value } if column("weights").is_some() => {
            let c = column("weights").unwrap_or_default();
            anyhow::anyhow!(
                "{}: invalid weight {}: weights must be finite, >= 0 and not all 0",
                loaded.place_in(row, &c),
                Short(value)
            )
        }
        other => loaded.locate(other),
    }
}

pub(super) fn fit_glm(
    args: &FitArgs,
    loaded: &mut Labelled,
    pen: Penalty,
    quiet: bool,
) -> Result<Fitted> {
    if args.balanced || args.strategy != Strategy::Softmax {
        anyhow::bail!("--balanced and --strategy apply to classifiers only");
    }
    if loaded.sparse.is_some() {
        anyhow::bail!(
            "--model poisson, gamma and tweedie read CSV or .npy data; svmlight files are for \
             --model logistic and linear"
        );
    }
    let family = family(args.model, args.glm.power, args.glm.link)?;
    let known = KnownColumns::take(
        loaded,
        args.glm.offset.as_deref(),
        args.glm.exposure.as_deref(),
        args.glm.weights.as_deref(),
    )?;
    let solver: LogisticSolver = args.solver.parse()?;
    let cfg = Glm::new(family)
        .penalty(pen)
        .fit_intercept(!args.no_intercept)
        .solver(solver)
        .with_settings(fit_settings(args, solver == LogisticSolver::Sgd));
    let data = &loaded.data;
    let (x, y) = (data.x.as_ref(), &data.y[..]);
    let glm_data = known.data(y);
    let columns = [
        ("offset", args.glm.offset.as_ref()),
        ("exposure", args.glm.exposure.as_ref()),
        ("weights", args.glm.weights.as_ref()),
    ];
    let start = Instant::now();
    let fit = with_spinner("fitting a generalized linear model", quiet, || {
        cfg.fit(x, &glm_data)
    })
    .map_err(|e| locate(loaded, columns, e))?
    .with_known_columns(args.glm.offset.clone(), args.glm.exposure.clone());
    let seconds = start.elapsed().as_secs_f64();
    let solver_name = fit.solver().to_string();
    let mut json = base_json(args, loaded, &solver_name, pen);
    json.insert("family".into(), json!(family.to_string()));
    json.insert("link".into(), json!(family.link_name()));
    if let GlmFamily::Tweedie { power } = family {
        json.insert("power".into(), json!(power));
    }
    json.insert("offset".into(), json!(args.glm.offset));
    json.insert("exposure".into(), json!(args.glm.exposure));
    json.insert("weights".into(), json!(args.glm.weights));
    json.insert("coef".into(), json!(fit.coef()));
    json.insert("intercept".into(), json!(fit.intercept()));
    let report = Estimator::fit_report(&fit);
    report_json(&mut json, &report, seconds);
    let mut text = header(args, loaded, &solver_name, pen);
    text.push_str(&format!("family {family}\n"));
    text.push_str(&report_line(&report, seconds));
    text.push_str(&statistics_line(&fit));
    text.push('\n');
    let summary = (pen.is_none() && fit.converged())
        .then(|| fit.summary(x, &glm_data, &inference_options(args, data)));
    let coefs = coefficient_table(
        &data.feature_names,
        fit.coef(),
        (!args.no_intercept).then_some(fit.intercept()),
    );
    add_inference(&mut json, &mut text, summary, coefs);
    add_statistics(&mut json, &fit);
    Ok(Fitted {
        model: SavedModel::Glm(fit),
        json,
        text,
    })
}

fn statistics_line(fit: &FittedGlm) -> String {
    let s = fit.statistics();
    let mut line = format!(
        "deviance {:.6} on {} degrees of freedom (null deviance {:.6} on {}), scale {:.6}",
        s.deviance, s.df_resid, s.null_deviance, s.df_null, s.scale
    );
    if let (Some(ll), Some(aic)) = (s.log_likelihood, s.aic) {
        line.push_str(&format!(", log-likelihood {ll:.4}, AIC {aic:.4}"));
    }
    line.push('\n');
    line
}

/// The GLM's goodness of fit under `statistics`, beside the summary's numbers (one place for
/// every model): `deviance`, `null_deviance`, `pearson_chi2`, `scale`, `log_likelihood` and
/// `aic` (R's; `null` where the family defines none).
fn add_statistics(json: &mut Map<String, Value>, fit: &FittedGlm) {
    let s = fit.statistics();
    let entry = json
        .entry("statistics")
        .or_insert_with(|| Value::Object(Map::new()));
    if let Value::Object(m) = entry {
        m.insert("deviance".into(), json!(s.deviance));
        m.insert("null_deviance".into(), json!(s.null_deviance));
        m.insert("pearson_chi2".into(), json!(s.pearson_chi2));
        m.insert("scale".into(), json!(s.scale));
        m.insert("log_likelihood".into(), json!(s.log_likelihood));
        m.insert("aic".into(), json!(s.aic));
        m.insert("n_obs".into(), json!(s.n_obs));
        m.insert("df_resid".into(), json!(s.df_resid));
        m.insert("df_null".into(), json!(s.df_null));
    }
}
