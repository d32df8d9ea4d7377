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
    if input::is_svmlight(&args.data) {
        let d = input::svmlight(&args.data, Some(file.model.n_features()))?;
        if matches!(file.model, SavedModel::Mlp(_) | SavedModel::Glm(_)) {
            bail!(
                "{}: networks and GLMs predict from dense features only (CSV or .npy)",
                args.data.display()
            );
        }
        let out = predictions(args, &file.model, &d.x)?;
        return write_text(args.out.as_deref(), &out);
    }
    // a GLM's offset and exposure columns apply when the data have them
    let glm_columns = match &file.model {
        SavedModel::Glm(m) => [m.offset_column(), m.exposure_column()],
        _ => [None, None],
    };
    // a model with a design reads raw columns; its output names each row's line, since
    // rows with missing values may be dropped (the fit's policy)
    let (x, lines, known) = match input::saved_design(&file, &args.model)? {
        Some(spec) => {
            let table = input::design_table(&spec, &args.data, false)?;
            let frame = spec
                .features(&table, input::unseen(args.unseen))
                .map_err(input::explained)?;
            input::warn_unseen(frame.unseen, &args.data);
            let lines: Vec<String> = frame
                .rows
                .iter()
                .map(|&i| {
                    table
                        .line(i)
                        .map_or_else(|| (i + 1).to_string(), |l| l.to_string())
                })
                .collect();
            let known = glm_columns.map(|name| match name.and_then(|n| table.column(n)) {
                Some(linmod::datasets::Column::Numeric { values, .. }) => {
                    Some(frame.rows.iter().map(|&i| values[i]).collect::<Vec<f64>>())
                }
                _ => None,
            });
            (frame.x, Some(lines), known)
        }
        None => {
            let raw = input::features(&args.data, false)?;
            let known = glm_columns.map(|name| {
                name.and_then(|n| raw.feature_names.iter().position(|f| f == n))
                    .map(|j| raw.x.col(j).iter().copied().collect::<Vec<f64>>())
            });
            let data = input::model_features(
                raw,
                &args.data,
                file.feature_names.as_deref(),
                file.model.n_features(),
            )?;
            (data.x, None, known)
        }
    };
    let x = x.as_ref();
    let mut out = match &file.model {
        SavedModel::Glm(m) => glm_predictions(args, m, x, &known)?,
        model => predictions(args, model, x)?,
    };
    if let Some(lines) = lines {
        out = with_lines(&out, &lines);
    }
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

/// The predicted means of a GLM on `x`, with its offset and exposure columns when the data
/// have them.
fn glm_predictions(
    args: &PredictArgs,
    m: &linmod::models::glm::FittedGlm,
    x: linmod::linalg::MatRef<'_, f64>,
    known: &[Option<Vec<f64>>; 2],
) -> Result<String> {
    if args.proba {
        bail!(
            "--proba applies to classifiers; {} is a GLM",
            args.model.display()
        );
    }
    let [offset, exposure] = known;
    let mut out = String::from("prediction\n");
    for v in m.predict(x, exposure.as_deref(), offset.as_deref())? {
        let _ = writeln!(out, "{v:?}");
    }
    Ok(out)
}

/// The CSV with a first column `line`: the 1-based line of each row's input.
fn with_lines(csv: &str, lines: &[String]) -> String {
    let mut out = String::with_capacity(csv.len() + 8 * lines.len());
    let mut rows = csv.lines();
    if let Some(header) = rows.next() {
        let _ = writeln!(out, "line,{header}");
    }
    for (row, line) in rows.zip(lines) {
        let _ = writeln!(out, "{line},{row}");
    }
    out
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
