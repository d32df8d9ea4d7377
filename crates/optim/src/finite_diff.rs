//! Central finite differences, to verify analytic gradients and Hessians.

use crate::objective::Objective;

/// The step of a central difference at `x`: `h = eps^(1/3) * max(1, |x|)`.
///
/// `eps^(1/3)` balances the truncation error `O(h^2)` of the central difference against the
/// rounding error `O(eps / h)`, giving about 10 correct digits for well-scaled functions.
///
/// # Examples
/// ```
/// use linmod_optim::fd_step;
/// assert!((fd_step(0.0) - 6.055454452393343e-6).abs() < 1e-20);
/// assert_eq!(fd_step(100.0), 100.0 * fd_step(0.0));
/// ```
#[must_use]
pub fn fd_step(x: f64) -> f64 {
    f64::EPSILON.cbrt() * x.abs().max(1.0)
}

/// Writes the central-difference gradient of `f` at `x` into `out`:
/// `out_j = (f(x + h_j e_j) - f(x - h_j e_j)) / (2 h_j)` with `h_j = fd_step(x_j)`.
///
/// Costs `2 n` evaluations of `f`.
///
/// # Panics
/// If `out` and `x` differ in length.
///
/// # Examples
/// ```
/// use linmod_optim::central_gradient;
/// let mut g = [0.0; 2];
/// central_gradient(|x: &[f64]| x[0] * x[0] + 3.0 * x[1], &[2.0, 0.0], &mut g);
/// assert!((g[0] - 4.0).abs() < 1e-9 && (g[1] - 3.0).abs() < 1e-9);
/// ```
pub fn central_gradient<F: FnMut(&[f64]) -> f64>(mut f: F, x: &[f64], out: &mut [f64]) {
    assert_eq!(out.len(), x.len(), "gradient buffer has the wrong length");
    let mut xp = x.to_vec();
    for j in 0..x.len() {
        let h = fd_step(x[j]);
        xp[j] = x[j] + h;
        let fp = f(&xp);
        xp[j] = x[j] - h;
        let fm = f(&xp);
        xp[j] = x[j];
        // (x + h) - (x - h) is not exactly 2h in floating point; divide by the true spacing
        out[j] = (fp - fm) / ((x[j] + h) - (x[j] - h));
    }
}

/// The central-difference Hessian of a function from its gradient, `n x n` row-major:
/// column `j` is `(g(x + h_j e_j) - g(x - h_j e_j)) / (2 h_j)`, then the result is symmetrized.
///
/// Costs `2 n` gradient evaluations.
///
/// # Examples
/// ```
/// use linmod_optim::central_hessian;
/// // f = x0^2 x1 has Hessian [[2 x1, 2 x0], [2 x0, 0]]
/// let grad = |x: &[f64], g: &mut [f64]| { g[0] = 2.0 * x[0] * x[1]; g[1] = x[0] * x[0]; };
/// let h = central_hessian(grad, &[1.0, 3.0]);
/// assert!((h[0] - 6.0).abs() < 1e-8 && (h[1] - 2.0).abs() < 1e-8 && h[3].abs() < 1e-8);
/// ```
#[must_use]
pub fn central_hessian<G: FnMut(&[f64], &mut [f64])>(mut grad: G, x: &[f64]) -> Vec<f64> {
    let n = x.len();
    let mut h = vec![0.0; n * n];
    let mut xp = x.to_vec();
    let mut gp = vec![0.0; n];
    let mut gm = vec![0.0; n];
    for j in 0..n {
        let step = fd_step(x[j]);
        xp[j] = x[j] + step;
        grad(&xp, &mut gp);
        xp[j] = x[j] - step;
        grad(&xp, &mut gm);
        xp[j] = x[j];
        let spacing = (x[j] + step) - (x[j] - step);
        for i in 0..n {
            h[i * n + j] = (gp[i] - gm[i]) / spacing;
        }
    }
    for i in 0..n {
        for j in 0..i {
            let avg = 0.5 * (h[i * n + j] + h[j * n + i]);
            h[i * n + j] = avg;
            h[j * n + i] = avg;
        }
    }
    h
}

/// Compares an analytic gradient with central differences at `x`, like scipy's `check_grad`,
/// and returns the relative error `|g - g_fd|_2 / max(1, |g_fd|_2)`.
///
/// With the default step a correct gradient of a smooth, well-scaled function gives an error
/// around `1e-10`; a wrong one gives an error of order 1. Use `1e-6` as a pass threshold.
///
/// # Examples
/// ```
/// use linmod_optim::check_gradient;
/// let f = |x: &[f64]| x[0].sin();
/// let right = |x: &[f64], g: &mut [f64]| g[0] = x[0].cos();
/// let wrong = |x: &[f64], g: &mut [f64]| g[0] = -x[0].cos();
/// assert!(check_gradient(f, right, &[0.3]) < 1e-9);
/// assert!(check_gradient(f, wrong, &[0.3]) > 1.0);
/// ```
#[must_use]
pub fn check_gradient<F, G>(f: F, mut grad: G, x: &[f64]) -> f64
where
    F: FnMut(&[f64]) -> f64,
    G: FnMut(&[f64], &mut [f64]),
{
    let mut g = vec![0.0; x.len()];
    grad(x, &mut g);
    let mut fd = vec![0.0; x.len()];
    central_gradient(f, x, &mut fd);
    relative_error(&g, &fd)
}

/// [`check_gradient`] for an [`Objective`]: compares its `gradient` with central differences
/// of its `value` at `x`.
///
/// # Examples
/// ```
/// use linmod_optim::{check_objective_gradient, testfns::Rosenbrock};
/// assert!(check_objective_gradient(&mut Rosenbrock::default(), &[-1.2, 1.0]) < 1e-8);
/// ```
pub fn check_objective_gradient<O: Objective + ?Sized>(obj: &mut O, x: &[f64]) -> f64 {
    let mut g = vec![0.0; x.len()];
    obj.gradient(x, &mut g);
    let mut fd = vec![0.0; x.len()];
    central_gradient(|y| obj.value(y), x, &mut fd);
    relative_error(&g, &fd)
}

fn relative_error(g: &[f64], fd: &[f64]) -> f64 {
    let diff = g
        .iter()
        .zip(fd)
        .map(|(a, b)| (a - b) * (a - b))
        .sum::<f64>()
        .sqrt();
    diff / fd.iter().map(|v| v * v).sum::<f64>().sqrt().max(1.0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]

        /// Quadratics `f = x^T A x / 2 + b^T x`: the difference gradient is exact up to
        /// rounding and the difference Hessian recovers `A`.
        #[test]
        fn quadratic_gradient_and_hessian(
            entries in proptest::collection::vec(-2.0f64..2.0, 9),
            b in proptest::collection::vec(-2.0f64..2.0, 3),
            x in proptest::collection::vec(-5.0f64..5.0, 3),
        ) {
            let a: Vec<f64> = (0..9).map(|k| {
                let (i, j) = (k / 3, k % 3);
                entries[i * 3 + j] + entries[j * 3 + i]
            }).collect();
            let f = |x: &[f64]| {
                let mut s = 0.0;
                for i in 0..3 { for j in 0..3 { s += 0.5 * x[i] * a[i * 3 + j] * x[j]; } s += b[i] * x[i]; }
                s
            };
            let grad = |x: &[f64], g: &mut [f64]| {
                for i in 0..3 { g[i] = b[i] + (0..3).map(|j| a[i * 3 + j] * x[j]).sum::<f64>(); }
            };
            let err = check_gradient(f, grad, &x);
            prop_assert!(err < 1e-8, "relative error {}", err);
            let h = central_hessian(grad, &x);
            for k in 0..9 {
                prop_assert!((h[k] - a[k]).abs() < 1e-7 * (1.0 + a[k].abs()));
            }
        }
    }

    #[test]
    fn a_planted_error_is_detected() {
        let f = |x: &[f64]| x[0] * x[0] * x[1];
        let off = |x: &[f64], g: &mut [f64]| {
            g[0] = 2.0 * x[0] * x[1];
            g[1] = x[0] * x[0] * 1.01;
        };
        assert!(check_gradient(f, off, &[2.0, 1.0]) > 1e-3);
    }
}
