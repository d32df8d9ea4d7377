//! Step 6: linear regression on diabetes: least squares, gradient descent, the lasso path.

use anyhow::Result;
use linmod::datasets::StandardScaler;
use linmod::models::linear::{CrossValidation, LinearRegression, LinearSolver, RegularizationPath};

use super::Figures;
use super::basics::indent;
use crate::output::{num, table};
use crate::plot::{Chart, Legend, Series};

pub fn diabetes(figs: &mut Figures) -> Result<()> {
    let d = linmod::datasets::diabetes();
    let x = StandardScaler::fit_transform(d.x.as_ref())?.1;
    let y = &d.y;
    outln!("   442 patients, 10 standardized features, target: disease progression after one year");
    let ols = LinearRegression::new()
        .solver(LinearSolver::Qr)
        .fit(x.as_ref(), y)?;
    let gd = LinearRegression::new()
        .solver(LinearSolver::GradientDescent)
        .learning_rate(0.1)
        .tol(1e-10)
        .max_iter(100_000)
        .record_history(true)
        .fit(x.as_ref(), y)?;
    let mut rows = vec![vec![
        "intercept".to_string(),
        num(ols.intercept(), 4),
        num(gd.intercept(), 4),
    ]];
    for (j, name) in d.feature_names.iter().enumerate() {
        rows.push(vec![
            name.clone(),
            num(ols.coef()[j], 4),
            num(gd.coef()[j], 4),
        ]);
    }
    out!(
        "{}",
        indent(&table(
            &["", "least squares (QR)", "gradient descent"],
            &rows
        ))
    );
    outln!(
        "   R^2 = {:.4}; gradient descent (eta = 0.1): {} after {} iterations",
        ols.score(x.as_ref(), y)?,
        if gd.converged() {
            "converged"
        } else {
            "not converged"
        },
        gd.n_iter()
    );
    let history = gd.loss_history();
    let chart = Chart::new(
        "gradient descent on the squared loss (diabetes)",
        "iteration",
        "1/(2n) |y - Xw - b|^2",
    )
    .log_y()
    .with(Series::line(
        "eta = 0.1",
        history
            .iter()
            .enumerate()
            .map(|(i, v)| (i as f64, *v))
            .collect(),
    ));
    figs.save("gd_diabetes.svg", &chart)?;

    let path = RegularizationPath::new()
        .n_lambdas(100)
        .fit(x.as_ref(), y)?;
    let cv = CrossValidation::new(RegularizationPath::new().n_lambdas(100))
        .folds(10)
        .seed(0)
        .fit(x.as_ref(), y)?;
    let mut order: Vec<(usize, usize)> = (0..d.n_features())
        .filter_map(|j| path.coefs.iter().position(|c| c[j] != 0.0).map(|k| (k, j)))
        .collect();
    order.sort();
    let entering: Vec<&str> = order
        .iter()
        .take(4)
        .map(|&(_, j)| d.feature_names[j].as_str())
        .collect();
    outln!(
        "   lasso path, 100 penalties from lambda_max = {}: variables enter in the order {} ...",
        num(path.lambdas[0], 4),
        entering.join(", ")
    );
    outln!(
        "   10-fold cross-validation: lambda_min = {} ({} non-zero), one-standard-error lambda = {} ({} non-zero)",
        num(cv.lambda_min, 4),
        cv.model_min.coef().iter().filter(|w| **w != 0.0).count(),
        num(cv.lambda_1se, 4),
        cv.model_1se.coef().iter().filter(|w| **w != 0.0).count()
    );
    let mut chart = Chart::new(
        "lasso path on diabetes",
        "lambda (log scale)",
        "coefficient",
    )
    .log_x()
    .legend(Legend::Lower);
    for (j, name) in d.feature_names.iter().enumerate() {
        chart = chart.with(Series::line(
            name.clone(),
            path.lambdas
                .iter()
                .zip(&path.coefs)
                .map(|(l, c)| (*l, c[j]))
                .collect(),
        ));
    }
    figs.save("lasso_path.svg", &chart)
}
