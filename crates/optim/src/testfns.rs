//! Test functions with known minimizers, in the `f` / `f_gradient` / `f_hessian` style of
//! argmin-testfunctions, implementing [`Objective`] and [`SecondOrder`].

use linalg_core::{Cholesky, Mat, MatMut};

use crate::error::{OptimError, Result};
use crate::objective::{Objective, SecondOrder};

/// The convex quadratic `f(x) = x^T A x / 2 + b^T x` with symmetric positive-definite `A`.
///
/// Gradient `A x + b`, Hessian `A`, unique minimizer `x* = -A^{-1} b`. The gradient is
/// Lipschitz with constant `L = lambda_max(A)`, so gradient descent converges for learning
/// rates below `2 / L`.
///
/// # Examples
/// ```
/// use linmod_optim::{Objective, testfns::Quadratic};
/// let mut q = Quadratic::new(vec![2.0, 0.0, 0.0, 8.0], vec![-2.0, -8.0]).unwrap();
/// let xstar = q.minimizer();
/// assert!((xstar[0] - 1.0).abs() < 1e-15 && (xstar[1] - 1.0).abs() < 1e-15);
/// assert_eq!(q.lipschitz(), 8.0);
/// assert_eq!(q.value(&[1.0, 1.0]), -5.0);
/// ```
#[derive(Clone, Debug)]
pub struct Quadratic {
    a: Mat<f64>,
    b: Vec<f64>,
}

impl Quadratic {
    /// `A` given row-major (`n^2` entries), `b` of length `n`.
    ///
    /// # Errors
    /// [`OptimError::InvalidParameter`] when `A` is not `n x n`, not symmetric, or not
    /// positive definite.
    pub fn new(a_row_major: Vec<f64>, b: Vec<f64>) -> Result<Self> {
        let n = b.len();
        let invalid = |requirement| OptimError::InvalidParameter {
            name: "A",
            value: f64::NAN,
            requirement,
        };
        if a_row_major.len() != n * n {
            return Err(invalid("an n x n matrix, n = len(b)"));
        }
        let a = Mat::from_fn(n, n, |i, j| a_row_major[i * n + j]);
        for i in 0..n {
            for j in 0..i {
                if (a[(i, j)] - a[(j, i)]).abs() > 1e-12 * (a[(i, j)].abs() + a[(j, i)].abs()) {
                    return Err(invalid("symmetric"));
                }
            }
        }
        Cholesky::new(a.as_ref()).map_err(|_| invalid("positive definite"))?;
        Ok(Self { a, b })
    }

    /// The minimizer `-A^{-1} b`.
    #[must_use]
    pub fn minimizer(&self) -> Vec<f64> {
        let mut x: Vec<f64> = self.b.iter().map(|v| -v).collect();
        // A was checked positive definite in `new`
        if let Ok(chol) = Cholesky::new(self.a.as_ref()) {
            chol.solve_in_place(&mut x);
        }
        x
    }

    /// The largest eigenvalue of `A` (the Lipschitz constant of the gradient), by power
    /// iteration on the positive-definite `A`.
    #[must_use]
    pub fn lipschitz(&self) -> f64 {
        let n = self.b.len();
        let mut v = vec![1.0; n];
        let mut lambda = 0.0;
        for _ in 0..10_000 {
            let w: Vec<f64> = (0..n)
                .map(|i| (0..n).map(|j| self.a[(i, j)] * v[j]).sum())
                .collect();
            let norm = w.iter().map(|x| x * x).sum::<f64>().sqrt();
            let next = norm / v.iter().map(|x| x * x).sum::<f64>().sqrt();
            v = w.iter().map(|x| x / norm).collect();
            let converged = (next - lambda).abs() <= 1e-15 * next;
            lambda = next;
            if converged {
                break;
            }
        }
        lambda
    }
}

impl Objective for Quadratic {
    fn dim(&self) -> usize {
        self.b.len()
    }

    fn value(&mut self, x: &[f64]) -> f64 {
        let n = self.b.len();
        let mut s = 0.0;
        for i in 0..n {
            let ax: f64 = (0..n).map(|j| self.a[(i, j)] * x[j]).sum();
            s += x[i] * (0.5 * ax + self.b[i]);
        }
        s
    }

    fn gradient(&mut self, x: &[f64], g: &mut [f64]) {
        let n = self.b.len();
        for (i, gi) in g.iter_mut().enumerate() {
            *gi = self.b[i] + (0..n).map(|j| self.a[(i, j)] * x[j]).sum::<f64>();
        }
    }
}

impl SecondOrder for Quadratic {
    fn hessian(&mut self, _x: &[f64], mut h: MatMut<'_, f64>) {
        h.copy_from(&self.a);
    }

    fn hessian_vector_product(&mut self, _x: &[f64], v: &[f64], out: &mut [f64]) {
        let n = self.b.len();
        for (i, o) in out.iter_mut().enumerate() {
            *o = (0..n).map(|j| self.a[(i, j)] * v[j]).sum();
        }
    }
}

/// The Rosenbrock function `f(x, y) = (a - x)^2 + b (y - x^2)^2`, default `a = 1`, `b = 100`.
///
/// Minimum `f = 0` at `(a, a^2)`; the classic start is `(-1.2, 1)`. Non-convex, with a curved
/// valley that defeats plain gradient descent.
///
/// # Examples
/// ```
/// use linmod_optim::{Objective, testfns::Rosenbrock};
/// let mut r = Rosenbrock::default();
/// assert_eq!(r.value(&[1.0, 1.0]), 0.0);
/// assert!((r.value(&[-1.2, 1.0]) - 24.2).abs() < 1e-12);
/// ```
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Rosenbrock {
    /// Location parameter `a`.
    pub a: f64,
    /// Curvature parameter `b`.
    pub b: f64,
}

impl Default for Rosenbrock {
    fn default() -> Self {
        Self { a: 1.0, b: 100.0 }
    }
}

impl Objective for Rosenbrock {
    fn dim(&self) -> usize {
        2
    }

    fn value(&mut self, x: &[f64]) -> f64 {
        (self.a - x[0]).powi(2) + self.b * (x[1] - x[0] * x[0]).powi(2)
    }

    fn gradient(&mut self, x: &[f64], g: &mut [f64]) {
        let r = x[1] - x[0] * x[0];
        g[0] = -2.0 * (self.a - x[0]) - 4.0 * self.b * x[0] * r;
        g[1] = 2.0 * self.b * r;
    }
}

impl SecondOrder for Rosenbrock {
    fn hessian(&mut self, x: &[f64], mut h: MatMut<'_, f64>) {
        h[(0, 0)] = 2.0 - 4.0 * self.b * (x[1] - 3.0 * x[0] * x[0]);
        h[(1, 0)] = -4.0 * self.b * x[0];
        h[(0, 1)] = h[(1, 0)];
        h[(1, 1)] = 2.0 * self.b;
    }

    fn hessian_vector_product(&mut self, x: &[f64], v: &[f64], out: &mut [f64]) {
        let mut h = Mat::<f64>::zeros(2, 2);
        self.hessian(x, h.as_mut());
        out[0] = h[(0, 0)] * v[0] + h[(0, 1)] * v[1];
        out[1] = h[(1, 0)] * v[0] + h[(1, 1)] * v[1];
    }
}

/// The quartic `f(x) = x^4 - 3 x^3 + 2`, with `f'(x) = 4 x^3 - 9 x^2` (the course's "find the
/// minimum by gradient descent" exercise).
///
/// Its minimum is at `x = 9/4` (`f = -6.54296875`); `x = 0` is a stationary inflection point,
/// so runs should start at `x > 0`. From `x = 6` gradient descent with learning rate 0.01
/// converges; with 0.1 the first step overshoots wildly.
///
/// # Examples
/// ```
/// use linmod_optim::{GradientDescent, testfns::Quartic};
/// let r = GradientDescent::new(0.01).minimize(&mut Quartic, &[6.0]).unwrap();
/// assert!(r.converged() && (r.x[0] - 2.25).abs() < 1e-6);
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Quartic;

impl Quartic {
    /// The minimizer `9/4`.
    pub const MINIMIZER: f64 = 2.25;
    /// The minimum value.
    pub const MINIMUM: f64 = -6.542_968_75;
}

impl Objective for Quartic {
    fn dim(&self) -> usize {
        1
    }

    fn value(&mut self, x: &[f64]) -> f64 {
        x[0].powi(4) - 3.0 * x[0].powi(3) + 2.0
    }

    fn gradient(&mut self, x: &[f64], g: &mut [f64]) {
        g[0] = 4.0 * x[0].powi(3) - 9.0 * x[0] * x[0];
    }
}

impl SecondOrder for Quartic {
    fn hessian(&mut self, x: &[f64], mut h: MatMut<'_, f64>) {
        h[(0, 0)] = 12.0 * x[0] * x[0] - 18.0 * x[0];
    }

    fn hessian_vector_product(&mut self, x: &[f64], v: &[f64], out: &mut [f64]) {
        out[0] = (12.0 * x[0] * x[0] - 18.0 * x[0]) * v[0];
    }
}
