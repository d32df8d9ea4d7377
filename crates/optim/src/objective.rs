//! What a solver needs from the function it minimizes: one capability per trait.

use linalg_core::MatMut;

use crate::elastic_net::ElasticNet;
use crate::vecops::nan_max;

/// A differentiable function `f: R^n -> R` to minimize.
///
/// Implement [`value`](Self::value) and [`gradient`](Self::gradient); override
/// [`value_and_gradient`](Self::value_and_gradient) when both can be computed together more
/// cheaply (every model in linmod does, with one pass over the data). Methods take `&mut self`
/// so that implementations can keep scratch buffers.
///
/// # Examples
/// ```
/// use linmod_optim::Objective;
/// /// f(x) = sum_i (x_i - i)^2
/// struct Bowl;
/// impl Objective for Bowl {
///     fn dim(&self) -> usize { 3 }
///     fn value(&mut self, x: &[f64]) -> f64 {
///         x.iter().enumerate().map(|(i, v)| (v - i as f64).powi(2)).sum()
///     }
///     fn gradient(&mut self, x: &[f64], g: &mut [f64]) {
///         for (i, (gi, v)) in g.iter_mut().zip(x).enumerate() { *gi = 2.0 * (v - i as f64); }
///     }
/// }
/// let mut g = [0.0; 3];
/// assert_eq!(Bowl.value_and_gradient(&[0.0, 1.0, 2.0], &mut g), 0.0);
/// assert_eq!(g, [0.0; 3]);
/// ```
pub trait Objective {
    /// Number of variables `n`.
    fn dim(&self) -> usize;

    /// `f(x)`.
    fn value(&mut self, x: &[f64]) -> f64;

    /// Writes `grad f(x)` into `g` (length `n`).
    fn gradient(&mut self, x: &[f64], g: &mut [f64]);

    /// Writes `grad f(x)` into `g` and returns `f(x)`. The default calls
    /// [`gradient`](Self::gradient) then [`value`](Self::value).
    fn value_and_gradient(&mut self, x: &[f64], g: &mut [f64]) -> f64 {
        self.gradient(x, g);
        self.value(x)
    }
}

/// Second-order information: the Hessian and Hessian-vector products.
///
/// # Examples
/// ```
/// use linmod_optim::{Objective, SecondOrder};
/// use linmod_optim::{Mat, MatMut};
/// /// f(x) = x0^2 + 3 x1^2
/// struct Ellipse;
/// impl Objective for Ellipse {
///     fn dim(&self) -> usize { 2 }
///     fn value(&mut self, x: &[f64]) -> f64 { x[0] * x[0] + 3.0 * x[1] * x[1] }
///     fn gradient(&mut self, x: &[f64], g: &mut [f64]) { g[0] = 2.0 * x[0]; g[1] = 6.0 * x[1]; }
/// }
/// impl SecondOrder for Ellipse {
///     fn hessian(&mut self, _x: &[f64], mut h: MatMut<'_, f64>) {
///         h[(0, 0)] = 2.0; h[(1, 0)] = 0.0; h[(1, 1)] = 6.0;
///     }
///     fn hessian_vector_product(&mut self, _x: &[f64], v: &[f64], out: &mut [f64]) {
///         out[0] = 2.0 * v[0]; out[1] = 6.0 * v[1];
///     }
/// }
/// let mut h = Mat::<f64>::zeros(2, 2);
/// Ellipse.hessian(&[1.0, 1.0], h.as_mut());
/// assert_eq!(h[(1, 1)], 6.0);
/// ```
pub trait SecondOrder: Objective {
    /// Writes the Hessian `grad^2 f(x)` into `h` (`n x n`). Only the lower triangle, diagonal
    /// included, must be written; solvers read nothing else.
    fn hessian(&mut self, x: &[f64], h: MatMut<'_, f64>);

    /// Writes `grad^2 f(x) v` into `out`.
    fn hessian_vector_product(&mut self, x: &[f64], v: &[f64], out: &mut [f64]);
}

/// A composite objective `F(x) = f(x) + h(x)`: `f` smooth (the [`Objective`] part), `h`
/// convex, possibly non-smooth, with a cheap proximal operator (an L1 or elastic-net penalty).
///
/// See [`Penalized`](crate::Penalized) to combine any smooth objective with the elastic-net
/// penalty.
pub trait Composite: Objective {
    /// `h(x)`.
    fn nonsmooth_value(&self, x: &[f64]) -> f64;

    /// Replaces `x` by `prox_{t h}(x) = argmin_u h(u) + |u - x|^2 / (2 t)`.
    fn prox(&self, t: f64, x: &mut [f64]);
}

/// An objective that is a mean of terms, `f(x) = 1/N sum_i f_i(x)` (plus a regularizer), for
/// minibatch stochastic gradient descent.
///
/// The [`Objective`] methods give the full objective (used for epoch losses and the final
/// report); [`batch_value_and_gradient`](Self::batch_value_and_gradient) the estimate on a
/// batch.
pub trait SumOfTerms: Objective {
    /// Number of terms `N`.
    fn n_terms(&self) -> usize;

    /// Writes the gradient of the batch objective `1/|B| sum_{i in B} f_i(x)` (plus the
    /// regularizer, so that its expectation is the full gradient) into `g` and returns its
    /// value.
    fn batch_value_and_gradient(&mut self, x: &[f64], batch: &[usize], g: &mut [f64]) -> f64;
}

/// A smooth function `f` minimized one coordinate at a time, with an elastic-net penalty, by
/// [`CoordinateDescent`](crate::CoordinateDescent).
///
/// The problem keeps whatever makes one coordinate cheap (a residual `y - X x`, or `Q x` for
/// a quadratic `x^T Q x / 2 + c^T x`) up to date through [`update`](Self::update); that
/// state must describe the starting point handed to the solver. A coordinate step minimizes
/// the one-dimensional model `f + g_j d + curvature_j d^2 / 2` plus the penalty, which is
/// exact when `f` is quadratic (least squares, a Newton model) and a majorization, hence
/// still a descent step, when `curvature_j` bounds the second derivative along `j`.
///
/// # Examples
/// `f(x) = |x - a|^2 / 2`, whose coordinates are independent:
/// ```
/// use linmod_optim::{Coordinates, CoordinateDescent, ElasticNet};
/// struct Separable { a: Vec<f64> }
/// impl Coordinates for Separable {
///     fn dim(&self) -> usize { self.a.len() }
///     fn value(&mut self, x: &[f64]) -> f64 {
///         x.iter().zip(&self.a).map(|(x, a)| 0.5 * (x - a) * (x - a)).sum()
///     }
///     fn partial(&mut self, x: &[f64], j: usize) -> f64 { x[j] - self.a[j] }
///     fn curvature(&self, _j: usize) -> f64 { 1.0 }
///     fn update(&mut self, _j: usize, _delta: f64) {} // nothing tracked
/// }
/// let mut f = Separable { a: vec![3.0, 0.5] };
/// let cd = CoordinateDescent::new(ElasticNet::new(1.0, 0.0).unwrap());
/// let r = cd.minimize(&mut f, &[0.0, 0.0]).unwrap();
/// assert!(r.converged());
/// assert_eq!(r.x, vec![2.0, 0.0]); // soft-thresholding of a at 1
/// ```
pub trait Coordinates {
    /// Number of variables `n`.
    fn dim(&self) -> usize;

    /// `f(x)` (without the penalty).
    fn value(&mut self, x: &[f64]) -> f64;

    /// `df/dx_j` at `x`.
    fn partial(&mut self, x: &[f64], j: usize) -> f64;

    /// The second derivative of `f` along coordinate `j` (for a quadratic, `Q_jj`), or an
    /// upper bound on it.
    fn curvature(&self, j: usize) -> f64;

    /// Coordinate `j` of the iterate has just changed by `delta`: brings the tracked state up
    /// to date.
    fn update(&mut self, j: usize, delta: f64);

    /// The value of `f + h` at `x`, its optimality measure and, when the problem has a dual,
    /// a duality gap (an upper bound on `f + h - min (f + h)`).
    ///
    /// The default computes `f(x) + h(x)` and the minimum-norm subgradient
    /// ([`ElasticNet::optimality`]) from the partial derivatives, with no gap.
    fn certificate(&mut self, x: &[f64], penalty: &ElasticNet) -> Certificate {
        let value = self.value(x) + penalty.value(x);
        let optimality = (0..x.len()).fold(0.0, |m, j| {
            let g = self.partial(x, j);
            nan_max(m, penalty.coordinate_optimality(j, x[j], g))
        });
        Certificate {
            value,
            optimality,
            gap: None,
        }
    }

    /// True when a [`certificate`](Self::certificate) costs much less than a sweep, so that
    /// the solver can afford one after every round of sweeps; otherwise (the default) one is
    /// computed only when the last full sweep changed little.
    fn cheap_certificate(&self) -> bool {
        false
    }

    /// Removes from `candidates` the coordinates that are provably zero at the solution
    /// (screening, from the last certificate), setting any that are not zero yet to zero
    /// through [`update`](Self::update). Returns true when `x` changed. The default screens
    /// nothing.
    fn screen(&mut self, x: &mut [f64], penalty: &ElasticNet, candidates: &mut Vec<usize>) -> bool {
        let _ = (x, penalty, candidates);
        false
    }
}

/// What [`Coordinates::certificate`] reports about a point.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Certificate {
    /// `f(x) + h(x)`.
    pub value: f64,
    /// The infinity norm of the minimum-norm subgradient of `f + h` (zero at a minimizer).
    pub optimality: f64,
    /// A duality gap, when the problem has one.
    pub gap: Option<f64>,
}

impl<O: Objective + ?Sized> Objective for &mut O {
    fn dim(&self) -> usize {
        (**self).dim()
    }

    fn value(&mut self, x: &[f64]) -> f64 {
        (**self).value(x)
    }

    fn gradient(&mut self, x: &[f64], g: &mut [f64]) {
        (**self).gradient(x, g);
    }

    fn value_and_gradient(&mut self, x: &[f64], g: &mut [f64]) -> f64 {
        (**self).value_and_gradient(x, g)
    }
}

impl<O: SecondOrder + ?Sized> SecondOrder for &mut O {
    fn hessian(&mut self, x: &[f64], h: MatMut<'_, f64>) {
        (**self).hessian(x, h);
    }

    fn hessian_vector_product(&mut self, x: &[f64], v: &[f64], out: &mut [f64]) {
        (**self).hessian_vector_product(x, v, out);
    }
}

impl<O: SumOfTerms + ?Sized> SumOfTerms for &mut O {
    fn n_terms(&self) -> usize {
        (**self).n_terms()
    }

    fn batch_value_and_gradient(&mut self, x: &[f64], batch: &[usize], g: &mut [f64]) -> f64 {
        (**self).batch_value_and_gradient(x, batch, g)
    }
}

/// An [`Objective`] made of two closures, for quick experiments.
///
/// # Examples
/// ```
/// use linmod_optim::{FnObjective, Objective};
/// let mut f = FnObjective::new(
///     1,
///     |x: &[f64]| (x[0] - 2.0).powi(2),
///     |x: &[f64], g: &mut [f64]| g[0] = 2.0 * (x[0] - 2.0),
/// );
/// assert_eq!(f.value(&[0.0]), 4.0);
/// ```
pub struct FnObjective<F, G> {
    dim: usize,
    f: F,
    g: G,
}

impl<F, G> FnObjective<F, G>
where
    F: FnMut(&[f64]) -> f64,
    G: FnMut(&[f64], &mut [f64]),
{
    /// A function of `dim` variables with value `f` and gradient `g`.
    pub fn new(dim: usize, f: F, g: G) -> Self {
        Self { dim, f, g }
    }
}

impl<F, G> Objective for FnObjective<F, G>
where
    F: FnMut(&[f64]) -> f64,
    G: FnMut(&[f64], &mut [f64]),
{
    fn dim(&self) -> usize {
        self.dim
    }

    fn value(&mut self, x: &[f64]) -> f64 {
        (self.f)(x)
    }

    fn gradient(&mut self, x: &[f64], g: &mut [f64]) {
        (self.g)(x, g)
    }
}
