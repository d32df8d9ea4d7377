//! [`Penalized`]: a smooth objective plus an elastic-net penalty as a [`Composite`] objective.

use linalg_core::MatMut;

use crate::elastic_net::ElasticNet;
use crate::objective::{Composite, Objective, SecondOrder};

/// A smooth objective `f` plus an [`ElasticNet`] penalty `h`: a [`Composite`] objective for
/// [`Fista`](crate::Fista).
///
/// As an [`Objective`] it is the smooth part only; the penalty enters through the proximal
/// operator.
///
/// # Examples
/// ```
/// use linmod_optim::{ElasticNet, Fista, Penalized, testfns::Quadratic};
/// // f = (x - 3)^2 / 2, h = |x|: minimizer 2
/// let q = Quadratic::new(vec![1.0], vec![-3.0]).unwrap();
/// let mut obj = Penalized::new(q, ElasticNet::new(1.0, 0.0).unwrap());
/// let report = Fista::default().minimize(&mut obj, &[0.0]).unwrap();
/// assert!((report.x[0] - 2.0).abs() < 1e-8);
/// ```
#[derive(Clone, Debug)]
pub struct Penalized<O> {
    /// The smooth part `f`.
    pub smooth: O,
    /// The penalty `h`.
    pub penalty: ElasticNet,
}

impl<O> Penalized<O> {
    /// `f + h`.
    pub fn new(smooth: O, penalty: ElasticNet) -> Self {
        Self { smooth, penalty }
    }
}

impl<O: Objective> Objective for Penalized<O> {
    fn dim(&self) -> usize {
        self.smooth.dim()
    }

    fn value(&mut self, x: &[f64]) -> f64 {
        self.smooth.value(x)
    }

    fn gradient(&mut self, x: &[f64], g: &mut [f64]) {
        self.smooth.gradient(x, g);
    }

    fn value_and_gradient(&mut self, x: &[f64], g: &mut [f64]) -> f64 {
        self.smooth.value_and_gradient(x, g)
    }
}

impl<O: SecondOrder> SecondOrder for Penalized<O> {
    fn hessian(&mut self, x: &[f64], h: MatMut<'_, f64>) {
        self.smooth.hessian(x, h);
    }

    fn hessian_vector_product(&mut self, x: &[f64], v: &[f64], out: &mut [f64]) {
        self.smooth.hessian_vector_product(x, v, out);
    }
}

impl<O: Objective> Composite for Penalized<O> {
    fn nonsmooth_value(&self, x: &[f64]) -> f64 {
        self.penalty.value(x)
    }

    fn prox(&self, t: f64, x: &mut [f64]) {
        self.penalty.prox(t, x);
    }
}
