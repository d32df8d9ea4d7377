//! Proximal Newton with a coordinate-descent inner solver, for L1 and elastic-net penalties.

use std::ops::Range;

use linalg_core::{Mat, symmetrize_lower};
use optim::{Iterate, Monitor, Report, RunOptions, SecondOrder, Stopping, Termination};

use crate::cd::{CdSettings, minimize_quadratic};
use crate::error::{ModelError, Result};
use crate::penalty::Penalty;

/// Proximal Newton (Lee, Sun & Saunders, "Proximal Newton-type methods for minimizing
/// composite functions", SIAM J. Optim. 24, 2014), the method of glmnet and glum for L1
/// penalized generalized linear models.
///
/// To minimize `F = f + l1 |theta_J|_1` (`f` smooth, including any L2 term), each iteration
/// builds the quadratic model of `f` at `theta` with the exact Hessian `H` and gradient `g`,
/// minimizes `g.d + d^T H d / 2 + l1 |theta_J + d_J|_1` by cyclic coordinate descent
/// (`crate::cd`), and backtracks along `d` until
/// `F(theta + t d) <= F(theta) + 1e-4 t Delta`, `Delta = g.d + l1 (|theta_J + d_J|_1 - |theta_J|_1)`.
///
/// Optimality is measured by the minimum-norm subgradient of `F` (infinity norm): for
/// `j in J`, `g_j + l1 sign(theta_j)` where `theta_j != 0` and `max(|g_j| - l1, 0)` where
/// `theta_j = 0`; `g_j` for free coordinates. The gradient tests of [`Stopping`] apply to it.
pub(crate) struct ProxNewton {
    l1: f64,
    penalized: Range<usize>,
    stopping: Stopping,
    options: RunOptions,
}

impl ProxNewton {
    pub(crate) fn new(
        l1: f64,
        penalized: Range<usize>,
        stopping: Stopping,
        options: RunOptions,
    ) -> Self {
        Self {
            l1,
            penalized,
            stopping,
            options,
        }
    }

    fn l1_norm(&self, theta: &[f64]) -> f64 {
        theta[self.penalized.clone()].iter().map(|v| v.abs()).sum()
    }

    /// Infinity norm of the minimum-norm subgradient of `f + l1 |theta_J|_1`.
    fn optimality(&self, theta: &[f64], g: &[f64]) -> f64 {
        let mut worst = 0.0f64;
        for (j, (&t, &gj)) in theta.iter().zip(g).enumerate() {
            let v = if !self.penalized.contains(&j) {
                gj.abs()
            } else if t != 0.0 {
                (gj + self.l1 * t.signum()).abs()
            } else {
                (gj.abs() - self.l1).max(0.0)
            };
            worst = worst.max(v);
        }
        worst
    }

    pub(crate) fn minimize<O: SecondOrder + ?Sized>(
        &self,
        obj: &mut O,
        x0: &[f64],
    ) -> Result<Report> {
        self.stopping.check()?;
        let dim = obj.dim();
        if x0.len() != dim {
            return Err(ModelError::LengthMismatch {
                what_a: "parameters",
                len_a: dim,
                what_b: "starting point",
                len_b: x0.len(),
            });
        }
        let mut monitor = Monitor::new(self.stopping, self.options, None);
        let mut theta = x0.to_vec();
        let mut g = vec![0.0; dim];
        let f = obj.value_and_gradient(&theta, &mut g);
        monitor.evaluations.value += 1;
        monitor.evaluations.gradient += 1;
        if !f.is_finite() {
            return Err(optim::OptimError::NonFiniteStart {
                what: "objective value",
                index: 0,
                value: f,
            }
            .into());
        }
        let mut big_f = f + self.l1 * self.l1_norm(&theta);
        let mut opt = self.optimality(&theta, &g);
        if let Some(t) = monitor.start(big_f, opt) {
            return Ok(monitor.finish(theta, big_f, opt, 0, t));
        }
        let penalty = Penalty {
            l1: self.l1,
            l2: 0.0,
        };
        let mut h = Mat::<f64>::zeros(dim, dim);
        let mut u = vec![0.0; dim];
        let mut hu = vec![0.0; dim];
        let mut c = vec![0.0; dim];
        let mut trial = vec![0.0; dim];
        let mut g_trial = vec![0.0; dim];
        let mut done = 0;
        let termination = loop {
            let iter = done + 1;
            obj.hessian(&theta, h.as_mut());
            monitor.evaluations.hessian += 1;
            symmetrize_lower(h.as_mut());
            // model: 1/2 u^T H u + (g - H theta)^T u, warm-started at u = theta
            u.copy_from_slice(&theta);
            for i in 0..dim {
                hu[i] = (0..dim).map(|k| h[(i, k)] * theta[k]).sum();
                c[i] = g[i] - hu[i];
            }
            // the inner problem is solved more accurately as the outer iterates converge
            let inner = CdSettings {
                tol: (1e-4 * opt * opt).max(1e-30),
                max_sweeps: 10_000,
            };
            minimize_quadratic(
                h.as_ref(),
                &c,
                penalty,
                self.penalized.clone(),
                &mut u,
                &mut hu,
                inner,
            );
            // predicted decrease, summed per coordinate: |u_j| - |theta_j| is exact where the
            // totals |u|_1 - |theta|_1 would cancel catastrophically near the solution
            let mut delta = 0.0;
            for j in 0..dim {
                delta += g[j] * (u[j] - theta[j]);
                if self.penalized.contains(&j) {
                    delta += self.l1 * (u[j].abs() - theta[j].abs());
                }
            }
            if delta.is_nan() || delta > 0.0 {
                break Termination::Stalled;
            }
            let mut t = 1.0;
            let mut accepted = None;
            for _ in 0..60 {
                for j in 0..dim {
                    trial[j] = theta[j] + t * (u[j] - theta[j]);
                }
                let f_trial = obj.value_and_gradient(&trial, &mut g_trial);
                monitor.evaluations.value += 1;
                monitor.evaluations.gradient += 1;
                let big_trial = f_trial + self.l1 * self.l1_norm(&trial);
                let rounding = 4.0 * f64::EPSILON * big_f.abs();
                if big_trial.is_finite() && big_trial <= big_f + 1e-4 * t * delta + rounding {
                    accepted = Some(big_trial);
                    break;
                }
                t *= 0.5;
            }
            let Some(big_new) = accepted else {
                break Termination::LineSearchFailed {
                    reason: optim::LineSearchFailure::MaxEvaluations,
                };
            };
            done = iter;
            let max_change = theta
                .iter()
                .zip(&trial)
                .fold(0.0f64, |m, (a, b)| m.max((a - b).abs()));
            std::mem::swap(&mut theta, &mut trial);
            std::mem::swap(&mut g, &mut g_trial);
            let big_old = big_f;
            big_f = big_new;
            opt = self.optimality(&theta, &g);
            let it = Iterate {
                iteration: iter,
                x: &theta,
                value: big_f,
                previous_value: big_old,
                grad_norm: opt,
                step: t,
                max_change,
            };
            if let Some(term) = monitor.iteration(&it) {
                break term;
            }
            if max_change == 0.0 {
                break Termination::Stalled;
            }
        };
        Ok(monitor.finish(theta, big_f, opt, done, termination))
    }
}
