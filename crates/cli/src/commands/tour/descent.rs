//! Step 3: gradient descent on a function of one variable and on the logistic loss, with
//! several learning rates.

use anyhow::Result;
use linmod::datasets::{StandardScaler, TrainTestSplit};
use linmod::models::logistic::{LogisticRegression, LogisticSolver};
use linmod::optim::GradientDescent;
use linmod::optim::testfns::Quartic;

use super::Figures;
use super::basics::indent;
use crate::output::{num, table};
use crate::plot::{Chart, Series};

pub fn learning_rates(figs: &mut Figures) -> Result<()> {
    outln!(
        "   f(x) = x^4 - 3x^3 + 2 has its minimum at x = 9/4; gradient descent x <- x - eta f'(x) from x = 6:"
    );
    let tol = 1e-8;
    let mut rows = Vec::new();
    let mut chart = Chart::new(
        "gradient descent on f(x) = x⁴ − 3x³ + 2 from x = 6",
        "iteration",
        "|f′(x)|  (log scale)",
    )
    .log_y();
    for eta in [0.001, 0.01, 0.1] {
        let r = GradientDescent::new(eta)
            .max_iter(20_000)
            .gradient_tol(tol)
            .record_history(true)
            .minimize(&mut Quartic, &[6.0])?;
        rows.push(vec![
            format!("{eta}"),
            r.iterations.to_string(),
            num(r.x[0], 6),
            r.termination.label().to_string(),
        ]);
        // the gradient is what the stopping rule tests: each curve ends where the table's
        // iteration count says
        let pts = r
            .history
            .iter()
            .map(|h| (h.iteration as f64, h.grad_norm))
            .collect();
        chart = chart.with(if r.converged() {
            Series::line(format!("η = {eta}"), pts)
        } else {
            // a diverging run would stretch the axis to 1e120: drawn until it leaves the plot
            Series::line(
                format!("η = {eta} ({}, clipped)", r.termination.label()),
                pts,
            )
            .clipped()
        });
    }
    chart = chart.hline(tol, "stopping rule |f′(x)| ≤ 10⁻⁸");
    out!(
        "{}",
        indent(&table(&["eta", "iterations", "x", "termination"], &rows))
    );
    // f''(9/4) = 12 (9/4)^2 - 18 (9/4)
    let curvature = 20.25;
    let factor = |eta: f64| (1.0 - eta * curvature).abs();
    outln!(
        "   near x = 9/4 each step multiplies f'(x) by |1 - eta f''(9/4)| = |1 - 20.25 eta|: {:.3} for eta = 0.001,",
        factor(0.001)
    );
    outln!(
        "   {:.3} for eta = 0.01, so far fewer steps; for eta = 0.1 the factor is {:.3} > 1 and the steps grow:",
        factor(0.01),
        factor(0.1)
    );
    outln!(
        "   x jumps from 6 to -48, where f is far above its starting value: reported as divergence (the next\n   \
         steps would go to 4.6e4 and overflow)"
    );
    figs.save("gd_one_variable", &chart)?;

    outln!(
        "\n   logistic loss on digits 0 vs 1 (80/20 split, standardized with the training statistics, l2 = 1e-3):"
    );
    let d = linmod::datasets::digits_0_vs_1();
    let (train, _) = TrainTestSplit::new(0.2).seed(0).stratify(true).split(&d)?;
    let x = StandardScaler::fit_transform(train.x.as_ref())?.1;
    let mut rows = Vec::new();
    let mut chart = Chart::new(
        "gradient descent on the logistic loss, digits 0 vs 1",
        "iteration",
        "mean log loss  (log scale)",
    )
    .log_y();
    for eta in [0.001, 0.01, 0.1, 1.0] {
        let fit = LogisticRegression::new()
            .l2(1e-3)
            .solver(LogisticSolver::GradientDescent)
            .learning_rate(eta)
            .max_iter(300)
            .record_history(true)
            .fit(x.as_ref(), &train.y)?;
        let h = &fit.report().history;
        rows.push(vec![
            format!("{eta}"),
            num(h[0].value, 4),
            num(h.get(10).map_or(f64::NAN, |r| r.value), 4),
            num(fit.objective(), 4),
            fit.report().termination.label().to_string(),
        ]);
        let pts = h.iter().map(|r| (r.iteration as f64, r.value)).collect();
        chart = chart.with(Series::line(format!("η = {eta}"), pts));
    }
    out!(
        "{}",
        indent(&table(
            &["eta", "loss at 0", "at 10", "at 300", "termination"],
            &rows
        ))
    );
    outln!(
        "   too small a rate crawls; on standardized features the loss tolerates rates up to about 1"
    );
    figs.save("gd_learning_rates", &chart)
}
