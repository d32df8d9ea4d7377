//! `linmod evaluate`: metrics of a saved model on labelled data.

use anyhow::{Result, bail};
use linmod::datasets::Dataset;
use linmod::models::metrics::{self, ConfusionMatrix};
use linmod::models::persist::{ModelFile, SavedModel};
use serde_json::{Map, Value, json};

use crate::args::{EvaluateArgs, Format};
use crate::input;
use crate::limits::CONFUSION_TABLE_CLASSES;
use crate::output::{num, print_json, table, write_file};

/// A regression metric of `(y_true, y_pred)`.
type Metric = fn(&[f64], &[f64]) -> linmod::models::Result<f64>;

pub fn run(args: &EvaluateArgs) -> Result<()> {
    let file = ModelFile::load(&args.model)?;
    let design = input::saved_design(&file, &args.model)?;
    let (loaded, y, data) = match design {
        Some(spec) => {
            let d = &args.data;
            if d.formula.is_some() || d.features.is_some() || d.exclude.is_some() {
                bail!(
                    "{}: the model file holds its design (formula and columns); evaluate \
                     takes only --data",
                    args.model.display()
                );
            }
            if d.missing.is_some() {
                bail!(
                    "{}: missing values follow the model's policy (`{:?}` at fit)",
                    args.model.display(),
                    spec.missing()
                );
            }
            let mut loaded = input::labelled_by_design(&spec, &args.data.data, args.unseen)?;
            let y = std::mem::take(&mut loaded.data.y);
            let data = std::mem::replace(&mut loaded.data, empty());
            if let Some(d) = &loaded.design
                && d.dropped > 0
            {
                extra_dropped(d.dropped);
            }
            (loaded, y, data)
        }
        None => {
            let mut loaded = input::labelled_dense(&args.data, "evaluate")?;
            let y = std::mem::take(&mut loaded.data.y);
            let data = input::model_features(
                std::mem::replace(&mut loaded.data, empty()),
                &args.data.data,
                file.feature_names.as_deref(),
                file.model.n_features(),
            )?;
            (loaded, y, data)
        }
    };
    let x = data.x.as_ref();
    let locate = |e| loaded.locate(e);
    let mut m = Map::new();
    let mut rows: Vec<(String, f64)> = Vec::new();
    let mut extra = String::new();
    match &file.model {
        SavedModel::Logistic(model) => {
            let proba = model.predict_proba(x)?;
            let labels = model.predict_with_threshold(x, args.threshold)?;
            let cm = ConfusionMatrix::new(&y, &labels, 2).map_err(locate)?;
            rows.push(("accuracy".into(), cm.accuracy()));
            rows.push(("precision".into(), cm.precision(1)?));
            rows.push(("recall".into(), cm.recall(1)?));
            rows.push(("f1".into(), cm.f1(1)?));
            rows.push(("log_loss".into(), model.log_loss(x, &y).map_err(locate)?));
            rows.push(("brier".into(), metrics::brier_score(&y, &proba)?));
            match metrics::roc_auc(&y, &proba) {
                Ok(auc) => rows.push(("roc_auc".into(), auc)),
                Err(e) => extra.push_str(&format!("roc_auc unavailable: {e}\n")),
            }
            m.insert("threshold".into(), json!(args.threshold));
            confusion_output(&mut m, &mut extra, &cm, args)?;
        }
        SavedModel::Mlp(model) => {
            let labels = model.predict(x)?;
            let cm = ConfusionMatrix::new(&y, &labels, model.n_classes()).map_err(locate)?;
            multiclass_rows(&mut rows, &cm, model.log_loss(x, &y).map_err(locate)?);
            confusion_output(&mut m, &mut extra, &cm, args)?;
        }
        SavedModel::Multinomial(model) => {
            let labels = model.predict(x)?;
            let cm = ConfusionMatrix::new(&y, &labels, model.n_classes()).map_err(locate)?;
            multiclass_rows(&mut rows, &cm, model.log_loss(x, &y).map_err(locate)?);
            confusion_output(&mut m, &mut extra, &cm, args)?;
        }
        SavedModel::Linear(model) => {
            let pred = model.predict(x)?;
            if args.confusion_matrix.is_some() {
                bail!(
                    "--confusion-matrix applies to classifiers; {} is a linear regression",
                    args.model.display()
                );
            }
            let regression: [(&str, Metric); 5] = [
                ("mse", metrics::mean_squared_error),
                ("rmse", metrics::regression::root_mean_squared_error),
                ("mae", metrics::regression::mean_absolute_error),
                ("r2", metrics::regression::r2_score),
                (
                    "explained_variance",
                    metrics::regression::explained_variance_score,
                ),
            ];
            let mut unavailable = Map::new();
            for (name, metric) in regression {
                match metric(&y, &pred) {
                    Ok(v) => rows.push((name.into(), v)),
                    // a metric beyond f64 (the MSE of targets above 1e154) is named, not printed
                    // as inf; every other metric is still reported
                    Err(e @ linmod::models::ModelError::Overflow { .. }) => {
                        extra.push_str(&format!("{name} unavailable: {e}\n"));
                        unavailable.insert(name.into(), json!(e.to_string()));
                    }
                    Err(e) => return Err(e.into()),
                }
            }
            if !unavailable.is_empty() {
                m.insert("unavailable".into(), Value::Object(unavailable));
            }
        }
        _ => bail!(
            "{}: this model kind cannot be evaluated here",
            args.model.display()
        ),
    }
    for (k, v) in &rows {
        m.insert(k.clone(), json!(v));
    }
    m.insert("n_samples".into(), json!(y.len()));
    match args.format {
        Format::Json => print_json(&Value::Object(m)),
        Format::Text => {
            let body: Vec<Vec<String>> = rows
                .iter()
                .map(|(k, v)| vec![k.clone(), num(*v, 6)])
                .collect();
            out!("{}", table(&["metric", "value"], &body));
            out!("{extra}");
            Ok(())
        }
    }
}

/// The count of rows dropped for a missing value, on standard error.
fn extra_dropped(dropped: usize) {
    eprintln!("note: {dropped} row(s) with a missing value in the columns used were dropped");
}

fn multiclass_rows(rows: &mut Vec<(String, f64)>, cm: &ConfusionMatrix, log_loss: f64) {
    let (p, r, f) = cm.macro_averages();
    rows.push(("accuracy".into(), cm.accuracy()));
    rows.push(("macro_precision".into(), p));
    rows.push(("macro_recall".into(), r));
    rows.push(("macro_f1".into(), f));
    rows.push(("log_loss".into(), log_loss));
}

/// An empty data set, left behind when the loaded one is moved out.
fn empty() -> Dataset {
    Dataset {
        x: linmod::linalg::Mat::new(),
        y: Vec::new(),
        feature_names: Vec::new(),
        target_name: String::new(),
        target_names: Vec::new(),
        description: String::new(),
    }
}

/// The confusion matrix in the output: whole up to `CONFUSION_TABLE_CLASSES` classes, else
/// its largest confusions; and the whole matrix as CSV in `--confusion-matrix FILE`.
fn confusion_output(
    m: &mut Map<String, Value>,
    extra: &mut String,
    cm: &ConfusionMatrix,
    args: &EvaluateArgs,
) -> Result<()> {
    let k = cm.n_classes();
    if k <= CONFUSION_TABLE_CLASSES {
        m.insert("confusion_matrix".into(), json!(cm.counts));
        extra.push_str(&confusion_text(cm));
    } else {
        let top = cm.top_confusions(CONFUSION_TABLE_CLASSES);
        let cells: Vec<Value> = top
            .iter()
            .map(|&(t, p, c)| json!({"true": t, "predicted": p, "count": c}))
            .collect();
        m.insert("top_confusions".into(), Value::Array(cells));
        let rows: Vec<Vec<String>> = top
            .iter()
            .map(|&(t, p, c)| vec![t.to_string(), p.to_string(), c.to_string()])
            .collect();
        extra.push_str(&format!(
            "\n{k} classes: the {} largest confusions (--confusion-matrix FILE writes the whole matrix)\n{}",
            top.len(),
            table(&["true", "predicted", "count"], &rows)
        ));
    }
    if let Some(path) = &args.confusion_matrix {
        write_file(path, |w| {
            let header: Vec<String> = (0..k).map(|c| format!("predicted_{c}")).collect();
            writeln!(w, "true,{}", header.join(","))?;
            for (t, row) in cm.counts.iter().enumerate() {
                let cells: Vec<String> = row.iter().map(ToString::to_string).collect();
                writeln!(w, "{t},{}", cells.join(","))?;
            }
            Ok(())
        })?;
    }
    Ok(())
}

fn confusion_text(cm: &ConfusionMatrix) -> String {
    let k = cm.n_classes();
    let mut headers = vec!["true \\ predicted".to_string()];
    headers.extend((0..k).map(|c| c.to_string()));
    let rows: Vec<Vec<String>> = (0..k)
        .map(|t| {
            std::iter::once(t.to_string())
                .chain(cm.counts[t].iter().map(|c| c.to_string()))
                .collect()
        })
        .collect();
    format!(
        "\nconfusion matrix\n{}",
        table(
            &headers.iter().map(String::as_str).collect::<Vec<_>>(),
            &rows
        )
    )
}
