//! `linmod predict`: labels or probabilities of a saved model, as CSV.

use std::fmt::Write as _;

use anyhow::{Result, bail};
use linmod::models::persist::{ModelFile, SavedModel};

use crate::args::PredictArgs;
use crate::input;
use crate::output::write_text;

pub fn run(args: &PredictArgs) -> Result<()> {
    let file = ModelFile::load(&args.model)?;
    let data = input::select_columns(
        input::features(&args.data, false)?,
        file.feature_names.as_deref(),
    );
    let x = data.x.as_ref();
    let mut out = String::new();
    match &file.model {
        SavedModel::Logistic(m) => {
            if args.proba {
                out.push_str("p1\n");
                for p in m.predict_proba(x)? {
                    let _ = writeln!(out, "{p:?}");
                }
            } else {
                out.push_str("label\n");
                for l in m.predict_with_threshold(x, args.threshold)? {
                    let _ = writeln!(out, "{l}");
                }
            }
        }
        SavedModel::Multinomial(m) => {
            if args.proba {
                let p = m.predict_proba(x)?;
                let header: Vec<String> = (0..m.n_classes()).map(|c| format!("p{c}")).collect();
                let _ = writeln!(out, "{}", header.join(","));
                for i in 0..p.nrows() {
                    let row: Vec<String> =
                        (0..p.ncols()).map(|c| format!("{:?}", p[(i, c)])).collect();
                    let _ = writeln!(out, "{}", row.join(","));
                }
            } else {
                out.push_str("label\n");
                for l in m.predict(x)? {
                    let _ = writeln!(out, "{l}");
                }
            }
        }
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
    write_text(args.out.as_deref(), &out)
}
