//! The unpenalized softmax problem in an identifiable form: class 0 as the reference.
//!
//! The softmax probabilities do not change when one vector is added to every class's
//! coefficients (and one constant to every intercept), so without a penalty the objective
//! of the symmetric parametrization is flat along those directions and its Hessian is
//! singular. A Newton solver then has to shift the Hessian to factor it, and a shift large
//! enough to matter swamps the directions of low curvature (features of large magnitude,
//! such as ages): it crawls. Fixing class 0's parameters at zero removes the flat
//! directions without changing the set of probabilities the model can express: the
//! remaining `(K - 1)(p + 1)` parameters are the log-odds of each class against class 0
//! (statistics packages' "base outcome" multinomial logit), the Hessian is positive definite
//! whenever the design has full rank and the classes are not separated, and Newton's method
//! converges quadratically.
//!
//! [`ReferenceClass`] wraps any objective of the symmetric layout and exposes the reduced
//! problem; [`to_symmetric`] maps a reduced solution back to the representative whose
//! parameters sum to zero over the classes, the parametrization the model reports.

use linalg_core::{Mat, MatMut};
use optim::{Objective, SecondOrder};

/// The reduced problem of a softmax objective with `p` features, `k` classes and (when
/// `intercept`) `k` intercepts, in the symmetric layout `[W (p x K, column-major), b (K)]`.
/// Reduced parameters are `[W_1, ..., W_{K-1}, b_1, ..., b_{K-1}]`: class 0's are 0.
pub(crate) struct ReferenceClass<O> {
    full: O,
    p: usize,
    k: usize,
    intercept: bool,
    theta: Vec<f64>,
    grad: Vec<f64>,
    vec_in: Vec<f64>,
    hess: Mat<f64>,
}

impl<O: SecondOrder> ReferenceClass<O> {
    /// Wraps `full`, whose dimension must be `(p + intercept) k`.
    pub fn new(full: O, p: usize, k: usize, intercept: bool) -> Self {
        let d = (p + usize::from(intercept)) * k;
        assert_eq!(
            full.dim(),
            d,
            "the objective does not have the softmax layout"
        );
        Self {
            full,
            p,
            k,
            intercept,
            theta: vec![0.0; d],
            grad: vec![0.0; d],
            vec_in: vec![0.0; d],
            hess: Mat::zeros(0, 0),
        }
    }

    /// Index in the symmetric layout of reduced parameter `r`.
    fn full_index(&self, r: usize) -> usize {
        let coefs = self.p * (self.k - 1);
        if r < coefs {
            self.p + r
        } else {
            self.p * self.k + 1 + (r - coefs)
        }
    }

    /// Writes the symmetric-layout vector with class 0 at zero into `out`.
    fn expand(&self, reduced: &[f64], out: &mut [f64]) {
        out.fill(0.0);
        for (r, v) in reduced.iter().enumerate() {
            out[self.full_index(r)] = *v;
        }
    }

    fn gather(&self, full: &[f64], out: &mut [f64]) {
        for (r, v) in out.iter_mut().enumerate() {
            *v = full[self.full_index(r)];
        }
    }
}

impl<O: SecondOrder> Objective for ReferenceClass<O> {
    fn dim(&self) -> usize {
        (self.p + usize::from(self.intercept)) * (self.k - 1)
    }

    fn value(&mut self, x: &[f64]) -> f64 {
        let mut theta = std::mem::take(&mut self.theta);
        self.expand(x, &mut theta);
        let v = self.full.value(&theta);
        self.theta = theta;
        v
    }

    fn gradient(&mut self, x: &[f64], g: &mut [f64]) {
        self.value_and_gradient(x, g);
    }

    fn value_and_gradient(&mut self, x: &[f64], g: &mut [f64]) -> f64 {
        let (mut theta, mut grad) = (
            std::mem::take(&mut self.theta),
            std::mem::take(&mut self.grad),
        );
        self.expand(x, &mut theta);
        let v = self.full.value_and_gradient(&theta, &mut grad);
        self.gather(&grad, g);
        self.theta = theta;
        self.grad = grad;
        v
    }
}

impl<O: SecondOrder> SecondOrder for ReferenceClass<O> {
    /// The rows and columns of the symmetric Hessian that belong to classes `1..K` (its lower
    /// triangle maps to the lower triangle: the index map is increasing).
    fn hessian(&mut self, x: &[f64], mut h: MatMut<'_, f64>) {
        let d = self.theta.len();
        if self.hess.nrows() != d {
            self.hess = Mat::zeros(d, d);
        }
        let mut theta = std::mem::take(&mut self.theta);
        self.expand(x, &mut theta);
        self.full.hessian(&theta, self.hess.as_mut());
        self.theta = theta;
        let m = self.dim();
        for c in 0..m {
            let fc = self.full_index(c);
            for r in c..m {
                h[(r, c)] = self.hess[(self.full_index(r), fc)];
            }
        }
    }

    fn hessian_vector_product(&mut self, x: &[f64], v: &[f64], out: &mut [f64]) {
        let (mut theta, mut grad, mut vin) = (
            std::mem::take(&mut self.theta),
            std::mem::take(&mut self.grad),
            std::mem::take(&mut self.vec_in),
        );
        self.expand(x, &mut theta);
        self.expand(v, &mut vin);
        self.full.hessian_vector_product(&theta, &vin, &mut grad);
        self.gather(&grad, out);
        self.theta = theta;
        self.grad = grad;
        self.vec_in = vin;
    }
}

/// The symmetric-layout parameters of a reduced solution, moved to the representative whose
/// coefficients (and intercepts) sum to zero over the classes: the same probabilities.
pub(crate) fn to_symmetric(reduced: &[f64], p: usize, k: usize, intercept: bool) -> Vec<f64> {
    let d = (p + usize::from(intercept)) * k;
    let mut full = vec![0.0; d];
    full[p..p * k].copy_from_slice(&reduced[..p * (k - 1)]);
    if intercept {
        full[p * k + 1..].copy_from_slice(&reduced[p * (k - 1)..]);
    }
    let kf = k as f64;
    for j in 0..p {
        let mean = (0..k).map(|c| full[c * p + j]).sum::<f64>() / kf;
        (0..k).for_each(|c| full[c * p + j] -= mean);
    }
    if intercept {
        let b = &mut full[p * k..];
        let mean = b.iter().sum::<f64>() / kf;
        b.iter_mut().for_each(|v| *v -= mean);
    }
    full
}

/// The reduced parameters (log-odds against class 0) of symmetric-layout parameters.
pub(crate) fn to_reference(full: &[f64], p: usize, k: usize, intercept: bool) -> Vec<f64> {
    let mut out = Vec::with_capacity((p + usize::from(intercept)) * (k - 1));
    for c in 1..k {
        out.extend((0..p).map(|j| full[c * p + j] - full[j]));
    }
    if intercept {
        out.extend((1..k).map(|c| full[p * k + c] - full[p * k]));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::loss::Softmax;
    use crate::objective::MultinomialObjective;
    use linalg_core::mat;
    use optim::check_objective_gradient;

    #[test]
    fn the_reduced_problem_is_the_symmetric_one_with_class_0_fixed() {
        let x = mat![
            [0.5, 10.0],
            [-1.0, 20.0],
            [1.5, 35.0],
            [0.0, 50.0],
            [2.0, 60.0]
        ];
        let y = [0.0, 1.0, 2.0, 1.0, 2.0];
        let objective = || MultinomialObjective::new(x.as_ref(), &y, Softmax::new(3)).unwrap();
        let mut full = objective();
        let mut reduced = ReferenceClass::new(objective(), 2, 3, true);
        assert_eq!(reduced.dim(), 6);
        let r = [0.1, -0.02, 0.3, 0.01, -0.5, 0.2];
        assert!(check_objective_gradient(&mut reduced, &r) < 1e-7);
        let sym = to_symmetric(&r, 2, 3, true);
        // same probabilities, so the same loss
        assert!((reduced.value(&r) - full.value(&sym)).abs() < 1e-15);
        let back = to_reference(&sym, 2, 3, true);
        for (a, b) in back.iter().zip(&r) {
            assert!((a - b).abs() < 1e-15);
        }
        // the reduced Hessian is positive definite where the symmetric one is singular
        let mut h = Mat::<f64>::zeros(6, 6);
        reduced.hessian(&r, h.as_mut());
        assert!(linalg_core::Cholesky::new(h.as_ref()).is_ok());
        // and agrees with the Hessian-vector product
        let v = [1.0, 0.0, -1.0, 0.5, 0.0, 2.0];
        let mut hv = [0.0; 6];
        reduced.hessian_vector_product(&r, &v, &mut hv);
        for i in 0..6 {
            let row: f64 = (0..6)
                .map(|j| if i >= j { h[(i, j)] } else { h[(j, i)] } * v[j])
                .sum();
            assert!((row - hv[i]).abs() < 1e-12, "{row} vs {}", hv[i]);
        }
    }
}
