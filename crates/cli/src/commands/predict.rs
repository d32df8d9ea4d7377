//! `linmod predict`: labels or probabilities of a saved model, as CSV.

use std::fmt::Write as _;

use anyhow::{Result, bail};
use linmod::linalg::{Design, Mat};
use linmod::models::persist::{ModelFile, SavedModel};

use crate::args::PredictArgs;
use crate::input;
use crate::output::write_text;

pub fn run(args: &PredictArgs) -> Result<()> {
    let file = ModelFile::load(&args.model)?;
    let out = if input::is_svmlight(&args.data) {
        let d = input::svmlight(&args.data, Some(file.model.n_features()))?;
        if matches!(file.model, SavedModel::Mlp(_)) {
            bail!(
                "{}: the network predicts from dense features only (CSV or .npy)",
                args.data.display()
            );
        }
        predictions(args, &file.model, &d.x)?
    } else {
        let data = input::model_features(
            input::features(&args.data, false)?,
            &args.data,
            file.feature_names.as_deref(),
            file.model.n_features(),
        )?;
        predictions(args, &file.model, data.x.as_ref())?
    };
    write_text(args.out.as_deref(), &out)
}

/// The CSV of labels, probabilities or predictions of `model` on `x`.
fn predictions<D: Design + Copy>(args: &PredictArgs, model: &SavedModel, x: D) -> Result<String> {
    let mut out = String::new();
    match model {
        SavedModel::Logistic(m) => {
            if args.proba {
                out.push_str("p1\n");
                for p in m.predict_proba(x)? {
                    let _ = writeln!(out, "{p:?}");
                }
            } else {
                labels(&mut out, &m.predict_with_threshold(x, args.threshold)?);
            }
        }
        SavedModel::Multinomial(m) if args.proba => {
            class_probabilities(&mut out, &m.predict_proba(x)?)
        }
        SavedModel::Multinomial(m) => labels(&mut out, &m.predict(x)?),
        SavedModel::Mlp(m) => match x.as_dense() {
            Some(dense) if args.proba => class_probabilities(&mut out, &m.predict_proba(dense)?),
            Some(dense) => labels(&mut out, &m.predict(dense)?),
            None => bail!("the network predicts from dense features only"),
        },
        SavedModel::Linear(m) => {
            if args.proba {
                bail!(
                    "--proba applies to classifiers; {} is a linear regression",
                    args.model.display()
                );
            }
            out.push_str("prediction\n");
            for v in m.predict(x)? {
                let _ = writeln!(out, "{v:?}");
            }
        }
        _ => bail!(
            "{}: this model kind cannot predict here",
            args.model.display()
        ),
    }
    Ok(out)
}

fn labels(out: &mut String, labels: &[f64]) {
    out.push_str("label\n");
    for l in labels {
        let _ = writeln!(out, "{l}");
    }
}

fn class_probabilities(out: &mut String, p: &Mat<f64>) {
    let header: Vec<String> = (0..p.ncols()).map(|c| format!("p{c}")).collect();
    let _ = writeln!(out, "{}", header.join(","));
    for i in 0..p.nrows() {
        let row: Vec<String> = (0..p.ncols()).map(|c| format!("{:?}", p[(i, c)])).collect();
        let _ = writeln!(out, "{}", row.join(","));
    }
}
