//! What every solver's run shares: builder setters for the stopping rules and run options,
//! the `minimize` entry points, the evaluation of the starting point, and the step from one
//! iterate to the next through the [`Monitor`].

/// Adds the setters of the `stopping: Stopping` and `options: RunOptions` fields to a solver.
macro_rules! common_setters {
    () => {
        /// Replaces all stopping rules.
        #[must_use]
        pub fn stopping(mut self, stopping: $crate::Stopping) -> Self {
            self.stopping = stopping;
            self
        }

        /// Sets the iteration limit (see [`Stopping`](crate::Stopping)).
        #[must_use]
        pub fn max_iter(mut self, max_iter: usize) -> Self {
            self.stopping.max_iter = max_iter;
            self
        }

        /// Sets (or with `None` disables) the test `max |g| <= tol`.
        #[must_use]
        pub fn gradient_tol(mut self, tol: impl Into<Option<f64>>) -> Self {
            self.stopping.gradient_tol = tol.into();
            self
        }

        /// Sets (or disables) the test `max |g| <= tol * max |g0|`.
        #[must_use]
        pub fn relative_gradient_tol(mut self, tol: impl Into<Option<f64>>) -> Self {
            self.stopping.relative_gradient_tol = tol.into();
            self
        }

        /// Sets (or disables) the relative objective-change test.
        #[must_use]
        pub fn value_tol(mut self, tol: impl Into<Option<f64>>) -> Self {
            self.stopping.value_tol = tol.into();
            self
        }

        /// Sets (or disables) the parameter-change test `max |x_t - x_{t-1}| <= tol`.
        #[must_use]
        pub fn param_tol(mut self, tol: impl Into<Option<f64>>) -> Self {
            self.stopping.param_tol = tol.into();
            self
        }

        /// Keeps the per-iteration history in the report (default off).
        #[must_use]
        pub fn record_history(mut self, on: bool) -> Self {
            self.options.record_history = on;
            self
        }

        /// Calls the observer every `k` iterations (default 1).
        #[must_use]
        pub fn observe_every(mut self, k: usize) -> Self {
            self.options.observe_every = k.max(1);
            self
        }
    };
}

/// Adds `minimize` and `minimize_observed` to a solver with a private
/// `run(&self, obj, x0, Option<&mut dyn Observer>)`; `$bound` is the capability it needs.
macro_rules! entry_points {
    ($bound:path, $what:literal) => {
        /// Minimizes `obj` from `x0`.
        ///
        /// # Errors
        /// Invalid configuration, a starting point of the wrong length, or a non-finite
        /// objective at the start. Stopping for any other reason (iteration limit,
        /// divergence, failed line search) is reported in
        /// [`Report::termination`](crate::Report::termination).
        pub fn minimize<O: $bound + ?Sized>(
            &self,
            obj: &mut O,
            x0: &[f64],
        ) -> $crate::Result<$crate::Report> {
            self.run(obj, x0, None)
        }

        #[doc = concat!("As [`minimize`](Self::minimize), calling `observer` every `observe_every` ", $what, ".")]
        ///
        /// # Errors
        /// As [`minimize`](Self::minimize).
        pub fn minimize_observed<O: $bound + ?Sized>(
            &self,
            obj: &mut O,
            x0: &[f64],
            observer: &mut dyn $crate::Observer,
        ) -> $crate::Result<$crate::Report> {
            self.run(obj, x0, Some(observer))
        }
    };
}

pub(crate) use common_setters;
pub(crate) use entry_points;

use crate::error::{OptimError, Result};
use crate::line_search::Trial;
use crate::monitor::{Iterate, Monitor, Observer, RunOptions};
use crate::objective::Objective;
use crate::report::{Report, Termination};
use crate::stopping::Stopping;
use crate::vecops::{first_non_finite, max_abs_diff, norm_inf};

/// The current iterate with its value and gradient.
pub(crate) struct Current {
    pub x: Vec<f64>,
    pub g: Vec<f64>,
    pub f: f64,
    pub gnorm: f64,
    /// Iterations completed.
    pub done: usize,
}

impl Current {
    /// Moves to the accepted trial point (value `f_new` after a step of length `step`),
    /// reports the iteration to the monitor, and returns a termination when the run must
    /// stop: a test held, the limit was reached, or the iterate no longer changes.
    pub fn advance(
        &mut self,
        trial: &mut Trial,
        f_new: f64,
        step: f64,
        monitor: &mut Monitor<'_>,
    ) -> Option<Termination> {
        self.done += 1;
        let max_change = max_abs_diff(&trial.x, &self.x);
        let f_old = self.f;
        std::mem::swap(&mut self.x, &mut trial.x);
        std::mem::swap(&mut self.g, &mut trial.gradient);
        self.f = f_new;
        self.gnorm = norm_inf(&self.g);
        let it = Iterate {
            iteration: self.done,
            x: &self.x,
            value: self.f,
            previous_value: f_old,
            grad_norm: self.gnorm,
            step,
            max_change,
        };
        monitor
            .iteration(&it)
            .or((max_change == 0.0).then_some(Termination::Stalled))
    }

    /// The report of a run that ended with `termination`.
    pub fn finish(self, monitor: Monitor<'_>, termination: Termination) -> Report {
        monitor.finish(self.x, self.f, self.gnorm, self.done, termination)
    }
}

/// How a run begins: either it is already over at the starting point (a gradient test holds
/// or the limit is 0), or it runs from the evaluated start.
pub(crate) enum Begin<'o> {
    Over(Report),
    Run(Monitor<'o>, Current),
}

/// Validates the start, evaluates the objective there and asks the monitor whether to run.
pub(crate) fn begin<'o, O: Objective + ?Sized>(
    obj: &mut O,
    x0: &[f64],
    stopping: Stopping,
    options: RunOptions,
    observer: Option<&'o mut dyn Observer>,
) -> Result<Begin<'o>> {
    let mut g = vec![0.0; x0.len()];
    let (f, gnorm) = evaluate_start(obj, x0, &mut g)?;
    let mut monitor = Monitor::new(stopping, options, observer);
    monitor.evaluations.value += 1;
    monitor.evaluations.gradient += 1;
    let current = Current {
        x: x0.to_vec(),
        g,
        f,
        gnorm,
        done: 0,
    };
    Ok(match monitor.start(f, gnorm) {
        Some(t) => Begin::Over(current.finish(monitor, t)),
        None => Begin::Run(monitor, current),
    })
}

/// Checks the starting point and evaluates the objective there (value, gradient into `g`,
/// gradient infinity norm), with typed errors for anything non-finite.
pub(crate) fn evaluate_start<O: Objective + ?Sized>(
    obj: &mut O,
    x0: &[f64],
    g: &mut [f64],
) -> Result<(f64, f64)> {
    let n = obj.dim();
    if x0.len() != n {
        return Err(OptimError::DimensionMismatch {
            expected: n,
            found: x0.len(),
        });
    }
    if let Some((index, value)) = first_non_finite(x0) {
        return Err(OptimError::NonFiniteStart {
            what: "starting point",
            index,
            value,
        });
    }
    let f = obj.value_and_gradient(x0, g);
    if !f.is_finite() {
        return Err(OptimError::NonFiniteStart {
            what: "objective value",
            index: 0,
            value: f,
        });
    }
    if let Some((index, value)) = first_non_finite(g) {
        return Err(OptimError::NonFiniteStart {
            what: "gradient",
            index,
            value,
        });
    }
    Ok((f, norm_inf(g)))
}
