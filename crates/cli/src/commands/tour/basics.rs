//! Steps 1 and 2: the sigmoid and the log odds; the IRLS exercise on simulated data.

use anyhow::Result;
use linmod::linalg::{sigmoid, softplus};
use linmod::models::inference::InferenceOptions;
use linmod::models::logistic::{LogisticRegression, LogisticSolver};
use linmod::optim::Stopping;

use super::Figures;
use crate::output::{num, table};
use crate::plot::{Chart, Series};

pub fn sigmoid_and_log_odds(figs: &mut Figures) -> Result<()> {
    outln!(
        "   prediction in three steps: z = b + w.x, P = sigmoid(z) = 1 / (1 + e^-z), label = [P >= 0.5]"
    );
    let examples = [
        (-9.0, 4.0, 10.0, -5.0, 0.0),
        (3.0, -6.0, 3.0, -4.0, -4.0),
        (10.0, 6.0, 0.0, -5.0, 4.0),
    ];
    let rows: Vec<Vec<String>> = examples
        .iter()
        .map(|&(b, w1, x1, w2, x2)| {
            let z: f64 = b + w1 * x1 + w2 * x2;
            let p = sigmoid(z);
            vec![
                format!("{b}"),
                format!("{w1}"),
                format!("{x1}"),
                format!("{w2}"),
                format!("{x2}"),
                format!("{z}"),
                format!("{p:.2}"),
            ]
        })
        .collect();
    out!(
        "{}",
        indent(&table(&["b", "w1", "x1", "w2", "x2", "z", "P"], &rows))
    );
    outln!("   the log odds log(P / (1 - P)) equal z: the model is linear in the log odds");
    outln!(
        "   the log loss of one example is -y log P - (1 - y) log(1 - P); a batch's loss is the mean. Two predictions"
    );
    outln!("   for an example whose label is y = 1 (the course's numbers):");
    // from the log odds, -log P = softplus(-z), which stays accurate when P is near 0 or 1
    for (p, verdict) in [
        (0.96f64, "confident and right"),
        (0.014, "confident and wrong"),
    ] {
        let z = (p / (1.0 - p)).ln();
        outln!(
            "   P = {p:<5} ({verdict}) costs -log P = {:.3}",
            softplus(-z)
        );
    }
    let xs: Vec<f64> = (0..=240).map(|i| -12.0 + 0.1 * f64::from(i)).collect();
    let chart = Chart::new(
        "sigmoid(z) = 1 / (1 + exp(−z))",
        "z = b + w·x",
        "probability",
    )
    .with(Series::line(
        "sigmoid(z)",
        xs.iter().map(|&z| (z, sigmoid(z))).collect(),
    ))
    .with(Series::line(
        "1 − sigmoid(z) = sigmoid(−z)",
        xs.iter().map(|&z| (z, sigmoid(-z))).collect(),
    ));
    figs.save("sigmoid", &chart)
}

pub fn irls_exercise() -> Result<()> {
    let sim = linmod::datasets::simulate::logistic(10_000, &[1.0, 1.0, -1.0], 42)?;
    let (x, y) = (sim.data.x.as_ref(), &sim.data.y[..]);
    outln!(
        "   simulated: n = 10000, X = [1, U(-1, 1), U(-1, 1)], beta = (1, 1, -1), y ~ Bernoulli(sigmoid(X beta)), seed 42"
    );
    let newton = LogisticRegression::new()
        .solver(LogisticSolver::Newton)
        .stopping(
            Stopping::default()
                .gradient_tol(None)
                .param_tol(1e-8)
                .max_iter(100),
        )
        .record_history(true)
        .fit(x, y)?;
    outln!(
        "   IRLS from beta = 0 with the rule max |beta_t - beta_(t-1)| <= 1e-8: {} in {} iterations",
        if newton.converged() {
            "converged"
        } else {
            "NOT converged"
        },
        newton.n_iter()
    );
    let summary = newton.summary(x, y, &InferenceOptions::default())?;
    let truth = sim.truth.beta();
    let rows: Vec<Vec<String>> = (0..3)
        .map(|j| {
            vec![
                format!("beta{j}"),
                format!("{}", truth[j]),
                num(summary.estimate[j], 4),
                num(summary.std_err[j], 4),
                format!(
                    "{:.2}",
                    (summary.estimate[j] - truth[j]) / summary.std_err[j]
                ),
            ]
        })
        .collect();
    out!(
        "{}",
        indent(&table(
            &["", "truth", "estimate", "std err", "(est - truth) / se"],
            &rows
        ))
    );
    outln!(
        "   (the course's solution, about (0.991, 0.947, -0.940), comes from numpy's generator; these data come from"
    );
    outln!(
        "   a ChaCha generator, and any draw's estimates scatter around the truth by about a standard error)"
    );
    let steps: Vec<String> = newton
        .report()
        .history
        .iter()
        .map(|h| num(h.value, 8))
        .collect();
    outln!("   loss per iteration: {}", steps.join(", "));
    let lbfgs = LogisticRegression::new()
        .solver(LogisticSolver::Lbfgs)
        .tol(1e-10)
        .fit(x, y)?;
    let gd = LogisticRegression::new()
        .solver(LogisticSolver::GradientDescent)
        .learning_rate(2.0)
        .tol(1e-9)
        .max_iter(5000)
        .fit(x, y)?;
    let rows: Vec<Vec<String>> = [
        ("newton (IRLS)", &newton),
        ("l-bfgs", &lbfgs),
        ("gradient descent", &gd),
    ]
    .iter()
    .map(|(name, f)| {
        vec![
            (*name).to_string(),
            f.n_iter().to_string(),
            format!("{:.12}", f.objective()),
            format!("{:.6}", f.intercept()),
            format!("{:.6}", f.coef()[0]),
            format!("{:.6}", f.coef()[1]),
        ]
    })
    .collect();
    outln!("   the same optimum from three solvers:");
    out!(
        "{}",
        indent(&table(
            &["solver", "iterations", "mean log loss", "b", "w1", "w2"],
            &rows
        ))
    );
    Ok(())
}

/// Indents every line of a table by three spaces.
pub fn indent(text: &str) -> String {
    text.lines().map(|l| format!("   {l}\n")).collect()
}
