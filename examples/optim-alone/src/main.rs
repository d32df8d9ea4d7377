//! Poisson regression with `linmod-optim` as the only dependency: the objective, its gradient
//! and Hessian written here, minimized by Newton's method and by L-BFGS.
//!
//! Counts `y_i` with rate `mu_i = exp(b0 + b1 x_i1 + b2 x_i2)` have the mean negative
//! log-likelihood (dropping the constant `log y_i!`)
//!
//! ```text
//! f(b) = 1/n sum_i [exp(eta_i) - y_i eta_i],   eta_i = x_i . b  (x_i0 = 1)
//! grad f(b) = 1/n X^T (mu - y),   Hessian = 1/n X^T diag(mu) X
//! ```
//!
//! Run with `cargo run -p optim-alone`.

use linmod_optim::{
    Lbfgs, MatMut, Newton, Objective, Report, SecondOrder, check_objective_gradient,
};

/// The true coefficients (intercept first) the counts are drawn from.
const TRUTH: [f64; 3] = [0.5, 0.8, -0.4];

/// Rows `(1, x1, x2)` and counts.
struct PoissonNll {
    rows: Vec<[f64; 3]>,
    counts: Vec<f64>,
}

impl PoissonNll {
    fn eta(&self, i: usize, b: &[f64]) -> f64 {
        self.rows[i].iter().zip(b).map(|(x, b)| x * b).sum()
    }

    fn n(&self) -> f64 {
        self.rows.len() as f64
    }
}

impl Objective for PoissonNll {
    fn dim(&self) -> usize {
        3
    }

    fn value(&mut self, b: &[f64]) -> f64 {
        let total: f64 = (0..self.rows.len())
            .map(|i| {
                let eta = self.eta(i, b);
                eta.exp() - self.counts[i] * eta
            })
            .sum();
        total / self.n()
    }

    fn gradient(&mut self, b: &[f64], g: &mut [f64]) {
        g.fill(0.0);
        for i in 0..self.rows.len() {
            let r = self.eta(i, b).exp() - self.counts[i];
            for (gj, xj) in g.iter_mut().zip(&self.rows[i]) {
                *gj += r * xj / self.n();
            }
        }
    }
}

impl SecondOrder for PoissonNll {
    // `h` is a `MatMut` re-exported by linmod-optim: no faer dependency needed. Solvers read
    // the lower triangle only.
    fn hessian(&mut self, b: &[f64], mut h: MatMut<'_, f64>) {
        h.fill(0.0);
        for i in 0..self.rows.len() {
            let mu = self.eta(i, b).exp() / self.n();
            let x = &self.rows[i];
            for j in 0..3 {
                for k in 0..=j {
                    h[(j, k)] += mu * x[j] * x[k];
                }
            }
        }
    }

    fn hessian_vector_product(&mut self, b: &[f64], v: &[f64], out: &mut [f64]) {
        out.fill(0.0);
        for i in 0..self.rows.len() {
            let x = &self.rows[i];
            let xv: f64 = x.iter().zip(v).map(|(a, b)| a * b).sum();
            let w = self.eta(i, b).exp() * xv / self.n();
            for (o, xj) in out.iter_mut().zip(x) {
                *o += w * xj;
            }
        }
    }
}

/// The `i`-th point of the van der Corput sequence in base 2: evenly spread numbers in (0, 1),
/// so that the example needs no random-number generator.
fn van_der_corput(mut i: u64) -> f64 {
    let (mut value, mut scale) = (0.0, 0.5);
    i += 1;
    while i > 0 {
        value += scale * (i & 1) as f64;
        i >>= 1;
        scale /= 2.0;
    }
    value
}

/// The smallest count `k` with `P(Y <= k) >= u` for `Y ~ Poisson(mu)`.
fn poisson_quantile(mu: f64, u: f64) -> f64 {
    let (mut k, mut p) = (0.0, (-mu).exp());
    let mut cdf = p;
    while cdf < u && k < 1000.0 {
        k += 1.0;
        p *= mu / k;
        cdf += p;
    }
    k
}

/// 400 rows on a grid of `(x1, x2)` in `[-1, 1]^2`, counts at evenly spread quantiles.
fn data() -> PoissonNll {
    let (mut rows, mut counts) = (Vec::new(), Vec::new());
    for i in 0..400u64 {
        let x1 = -1.0 + 2.0 * (i % 20) as f64 / 19.0;
        let x2 = -1.0 + 2.0 * (i / 20) as f64 / 19.0;
        let mu = (TRUTH[0] + TRUTH[1] * x1 + TRUTH[2] * x2).exp();
        rows.push([1.0, x1, x2]);
        counts.push(poisson_quantile(mu, van_der_corput(i)));
    }
    PoissonNll { rows, counts }
}

fn print_row(name: &str, r: &Report) {
    println!(
        "{name:<8} {:>10} {:>10} {:>10}  {:>5} iterations  {:.12}  {}",
        format!("{:.6}", r.x[0]),
        format!("{:.6}", r.x[1]),
        format!("{:.6}", r.x[2]),
        r.iterations,
        r.value,
        r.termination
    );
}

fn main() -> Result<(), linmod_optim::OptimError> {
    let mut nll = data();
    let start = [0.0; 3];

    // check the derivatives before trusting them
    let error = check_objective_gradient(&mut nll, &[0.1, 0.2, -0.3]);
    println!("gradient vs central differences: relative error {error:.1e}");
    assert!(error < 1e-6, "the analytic gradient is wrong");

    let newton = Newton::default()
        .gradient_tol(1e-10)
        .minimize(&mut nll, &start)?;
    let lbfgs = Lbfgs::default()
        .gradient_tol(1e-10)
        .minimize(&mut nll, &start)?;
    println!("{:<8} {:>10} {:>10} {:>10}", "solver", "b0", "b1", "b2");
    println!(
        "{:<8} {:>10} {:>10} {:>10}",
        "truth", TRUTH[0], TRUTH[1], TRUTH[2]
    );
    print_row("newton", &newton);
    print_row("l-bfgs", &lbfgs);

    assert!(newton.converged() && lbfgs.converged());
    for (j, truth) in TRUTH.iter().enumerate() {
        assert!(
            (newton.x[j] - lbfgs.x[j]).abs() < 1e-7,
            "the solvers disagree on b{j}"
        );
        assert!(
            (newton.x[j] - truth).abs() < 0.15,
            "b{j} is far from the truth"
        );
    }
    assert!(newton.iterations < lbfgs.iterations);
    Ok(())
}
