//! The centered parametrization of a linear model with intercepts.

use linalg_core::{Mat, MatMut};
use optim::{Objective, SecondOrder, SumOfTerms};

/// An objective in the centered parameters `(W, c)`, `c_k = b_k + m.W_k`, of an objective
/// `F(W, b)` whose last `k` parameters are intercepts: `F'(W, c) = F(W, c - W^T m)`, with `m`
/// the column means of `X`.
///
/// The linear predictors are the same (`X W + b = (X - 1 m^T) W + c`) and the penalty, on `W`
/// only, too, so both problems have the same minimizers. In the centered parameters the
/// Hessian is the Gram matrix of the centered columns: uncentered columns with large means
/// are nearly collinear with the intercept, which slows coordinate descent (the inner solver
/// of proximal Newton) by orders of magnitude; centered, they are not. No matrix is formed:
/// values, gradients (`g'_W = g_W - m g_b^T`, `g'_c = g_b`), Hessians (`T^T H T`) and
/// Hessian-vector products are mapped.
#[derive(Debug)]
pub(crate) struct Centered<'o, O> {
    inner: &'o mut O,
    means: Vec<f64>,
    k: usize,
    theta: Vec<f64>,
    v: Vec<f64>,
    h: Mat<f64>,
}

impl<'o, O: Objective> Centered<'o, O> {
    /// `inner` with `k` intercepts after `means.len() k` coefficients.
    pub(crate) fn new(inner: &'o mut O, means: Vec<f64>, k: usize) -> Self {
        let d = inner.dim();
        debug_assert_eq!(d, means.len() * k + k);
        Self {
            inner,
            means,
            k,
            theta: vec![0.0; d],
            v: vec![0.0; d],
            h: Mat::zeros(0, 0),
        }
    }

    /// `m . W_c` for the coefficients of predictor `c` in `x`.
    fn shift(&self, x: &[f64], c: usize) -> f64 {
        let p = self.means.len();
        self.means
            .iter()
            .zip(&x[c * p..(c + 1) * p])
            .map(|(m, w)| m * w)
            .sum()
    }

    /// The original parameters of centered ones: `b = c - W^T m`.
    pub(crate) fn to_original(&self, x: &[f64], out: &mut [f64]) {
        let pk = self.means.len() * self.k;
        out.copy_from_slice(x);
        for c in 0..self.k {
            out[pk + c] = x[pk + c] - self.shift(x, c);
        }
    }

    /// The centered parameters of original ones: `c = b + W^T m`.
    pub(crate) fn centered_of(&self, x: &[f64]) -> Vec<f64> {
        let pk = self.means.len() * self.k;
        let mut out = x.to_vec();
        for c in 0..self.k {
            out[pk + c] = x[pk + c] + self.shift(x, c);
        }
        out
    }

    /// `g' = T^T g` in place: `g'_W_c = g_W_c - m g_b_c`.
    fn map_gradient(&self, g: &mut [f64]) {
        let p = self.means.len();
        let pk = p * self.k;
        for c in 0..self.k {
            let gb = g[pk + c];
            for (gj, m) in g[c * p..(c + 1) * p].iter_mut().zip(&self.means) {
                *gj -= m * gb;
            }
        }
    }

    fn load(&mut self, x: &[f64]) {
        let mut theta = std::mem::take(&mut self.theta);
        self.to_original(x, &mut theta);
        self.theta = theta;
    }
}

impl<O: Objective> Objective for Centered<'_, O> {
    fn dim(&self) -> usize {
        self.inner.dim()
    }

    fn value(&mut self, x: &[f64]) -> f64 {
        self.load(x);
        self.inner.value(&self.theta)
    }

    fn gradient(&mut self, x: &[f64], g: &mut [f64]) {
        self.value_and_gradient(x, g);
    }

    fn value_and_gradient(&mut self, x: &[f64], g: &mut [f64]) -> f64 {
        self.load(x);
        let f = self.inner.value_and_gradient(&self.theta, g);
        self.map_gradient(g);
        f
    }
}

impl<O: SecondOrder> SecondOrder for Centered<'_, O> {
    /// `T^T H T` from the inner lower triangle: columns then rows of the coefficients of
    /// predictor `c` lose `m_j` times the intercept's.
    fn hessian(&mut self, x: &[f64], mut h: MatMut<'_, f64>) {
        self.load(x);
        let d = self.theta.len();
        if self.h.nrows() != d {
            self.h = Mat::zeros(d, d);
        }
        self.inner.hessian(&self.theta, self.h.as_mut());
        linalg_core::symmetrize_lower(self.h.as_mut());
        let p = self.means.len();
        let pk = p * self.k;
        // H T: column w_cj -= m_j column b_c
        for c in 0..self.k {
            for (j, &m) in self.means.iter().enumerate() {
                if m != 0.0 {
                    for r in 0..d {
                        let hb = self.h[(r, pk + c)];
                        self.h[(r, c * p + j)] -= m * hb;
                    }
                }
            }
        }
        // T^T (H T): row w_cj -= m_j row b_c
        for c in 0..self.k {
            for (j, &m) in self.means.iter().enumerate() {
                if m != 0.0 {
                    for col in 0..d {
                        let hb = self.h[(pk + c, col)];
                        self.h[(c * p + j, col)] -= m * hb;
                    }
                }
            }
        }
        for col in 0..d {
            for r in col..d {
                h[(r, col)] = self.h[(r, col)];
            }
        }
    }

    fn hessian_vector_product(&mut self, x: &[f64], v: &[f64], out: &mut [f64]) {
        self.load(x);
        // T v: the intercept part of v loses W_v^T m
        let mut tv = std::mem::take(&mut self.v);
        self.to_original(v, &mut tv);
        self.inner.hessian_vector_product(&self.theta, &tv, out);
        self.v = tv;
        self.map_gradient(out);
    }
}

impl<O: SumOfTerms> SumOfTerms for Centered<'_, O> {
    fn n_terms(&self) -> usize {
        self.inner.n_terms()
    }

    fn batch_value_and_gradient(&mut self, x: &[f64], batch: &[usize], g: &mut [f64]) -> f64 {
        self.load(x);
        let f = self.inner.batch_value_and_gradient(&self.theta, batch, g);
        self.map_gradient(g);
        f
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::loss::Poisson;
    use crate::objective::LinearObjective;
    use optim::{central_hessian, check_objective_gradient};

    #[test]
    fn centered_derivatives_are_those_of_the_reparametrized_function() {
        let x = linalg_core::mat![[50.0, 1.0], [52.0, 3.0], [47.0, 2.0], [55.0, 0.5]];
        let y = [1.0, 3.0, 0.0, 2.0];
        let mut inner = LinearObjective::new(x.as_ref(), &y, Poisson).unwrap();
        let mut centered = Centered::new(&mut inner, vec![51.0, 1.625], 1);
        let theta = [0.01, -0.2, 0.3];
        assert!(check_objective_gradient(&mut centered, &theta) < 1e-7);
        let mut h = Mat::<f64>::zeros(3, 3);
        centered.hessian(&theta, h.as_mut());
        let fd = central_hessian(|t, g| centered.gradient(t, g), &theta);
        let v = [0.3, -1.0, 0.7];
        let mut hv = [0.0; 3];
        centered.hessian_vector_product(&theta, &v, &mut hv);
        for i in 0..3 {
            for j in 0..=i {
                assert!((h[(i, j)] - fd[i * 3 + j]).abs() <= 1e-6 * (1.0 + h[(i, j)].abs()));
            }
            let full = |a: usize, b: usize| if a >= b { h[(a, b)] } else { h[(b, a)] };
            let expect: f64 = (0..3).map(|j| full(i, j) * v[j]).sum();
            assert!((hv[i] - expect).abs() <= 1e-10 * (1.0 + expect.abs()));
        }
        let back = centered.centered_of(&[0.01, -0.2, 0.3]);
        let mut original = [0.0; 3];
        centered.to_original(&back, &mut original);
        assert!((original[2] - 0.3).abs() < 1e-15);
    }
}
