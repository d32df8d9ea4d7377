//! Step 6: linear regression on diabetes: least squares, gradient descent, the lasso path.

use anyhow::{Result, anyhow, bail};
use linmod::datasets::StandardScaler;
use linmod::linalg::faer::Side;
use linmod::linalg::{MatRef, column_means, column_stds};
use linmod::models::linear::{CrossValidation, LinearRegression, LinearSolver, RegularizationPath};

use super::Figures;
use super::basics::indent;
use crate::commands::path::path_chart;
use crate::output::{num, table};
use crate::plot::{Chart, Series};

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
    // Why so many iterations: on standardized features X^T X / n is the correlation matrix,
    // and gradient descent shrinks the error along its eigenvector of the smallest eigenvalue
    // by (1 - eta lambda_min) per iteration.
    let n = x.nrows() as f64;
    let gram = x.transpose() * &x;
    let eig = gram
        .self_adjoint_eigenvalues(Side::Lower)
        .map_err(|e| anyhow!("eigenvalues of X^T X: {e:?}"))?;
    let (lambda_min, lambda_max) = (eig[0] / n, eig[eig.len() - 1] / n);
    let eta = 0.1;
    let rate = 1.0 - eta * lambda_min;
    // the most correlated pair of features
    let p = x.ncols();
    let (mut a, mut b) = (0, 1);
    for i in 0..p {
        for j in 0..i {
            if gram[(i, j)].abs() > gram[(a, b)].abs() {
                (a, b) = (i, j);
            }
        }
    }
    outln!(
        "   why {} iterations? The eigenvalues of X^T X / n, the features' correlation matrix, run from",
        gd.n_iter()
    );
    outln!(
        "   lambda_min = {lambda_min:.4} to lambda_max = {lambda_max:.3} (correlated features: r({}, {}) = {:.2}, for one).",
        d.feature_names[b],
        d.feature_names[a],
        gram[(a, b)] / n
    );
    outln!(
        "   Each iteration shrinks the error along the direction of lambda_min by 1 - eta lambda_min = {rate:.5}:"
    );
    outln!(
        "   1 / (eta lambda_min) = {:.0} iterations per factor e. A larger eta diverges beyond 2 / lambda_max = {:.2};",
        1.0 / (eta * lambda_min),
        2.0 / lambda_max
    );
    outln!(
        "   least squares solves in one step what gradient descent needs thousands of steps for"
    );
    let Some(report) = gd.report() else {
        bail!("gradient descent returned no report");
    };
    let history = &report.history;
    let Some(last) = history.last().copied() else {
        bail!("gradient descent recorded no history");
    };
    // the stopping rule of the linear models' gradient descent: max |g| <= tol sd(y)
    let y_col = MatRef::from_column_major_slice(y, y.len(), 1);
    let tol = 1e-10 * column_stds(y_col, &column_means(y_col, None), 0)[0];
    let predicted = history
        .iter()
        .map(|h| {
            let back = last.iteration as f64 - h.iteration as f64;
            (h.iteration as f64, last.grad_norm / rate.powf(back))
        })
        .filter(|(_, g)| *g <= history[0].grad_norm)
        .collect();
    let chart = Chart::new(
        "gradient descent on the squared loss (diabetes)",
        "iteration",
        "max |gradient|  (log scale)",
    )
    .log_y()
    .with(Series::line(
        format!("η = 0.1, final loss {}", num(report.value, 2)),
        history
            .iter()
            .map(|h| (h.iteration as f64, h.grad_norm))
            .collect(),
    ))
    .with(Series::dashed(
        format!("(1 − η λ_min)ᵗ, λ_min = {lambda_min:.4}"),
        predicted,
    ))
    .hline(tol, "stopping rule: 10⁻¹⁰ sd(y)");
    figs.save("gd_diabetes", &chart)?;

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
    let chart = path_chart("lasso path on diabetes", &d.feature_names, &path, Some(&cv));
    figs.save("lasso_path", &chart)
}
