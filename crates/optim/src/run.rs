//! What every solver's configuration shares: builder setters for the stopping rules and run
//! options, and the `minimize` entry points that hand the solver to the [`Driver`].
//!
//! [`Driver`]: crate::Driver

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

/// Adds `minimize` and `minimize_observed` to a solver with `stopping: Stopping` and
/// `options: RunOptions` fields, a `check` method and a [`Solver`](crate::Solver)
/// implementation; `$bound` is the capability it needs and `$what` what its iterations are.
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
            self.minimize_with(obj, x0, None)
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
            self.minimize_with(obj, x0, Some(observer))
        }

        /// [`minimize_observed`](Self::minimize_observed) when an observer is given, else
        /// [`minimize`](Self::minimize).
        ///
        /// # Errors
        /// As [`minimize`](Self::minimize).
        pub fn minimize_with<O: $bound + ?Sized>(
            &self,
            obj: &mut O,
            x0: &[f64],
            observer: Option<&mut dyn $crate::Observer>,
        ) -> $crate::Result<$crate::Report> {
            self.check()?;
            let dim = obj.dim();
            $crate::Driver::new(self.stopping, self.options).run(self, obj, dim, x0, observer)
        }
    };
}

pub(crate) use common_setters;
pub(crate) use entry_points;
