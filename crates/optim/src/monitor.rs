//! The stopping rules at work: convergence tests, the iteration limit, history and the
//! observer callback, applied by the [`Driver`](crate::Driver) after every step.

use std::time::Instant;

use crate::report::{Evaluations, IterationRecord, Report, Termination};
use crate::stopping::{Criterion, Stopping};

/// What the observer sees every `observe_every` iterations.
#[derive(Clone, Copy, Debug)]
pub struct Progress<'a> {
    /// Iteration just completed.
    pub iteration: usize,
    /// Objective value.
    pub value: f64,
    /// Infinity norm of the gradient.
    pub grad_norm: f64,
    /// Step length of the iteration.
    pub step: f64,
    /// Seconds since the start of the run.
    pub seconds: f64,
    /// The current iterate.
    pub x: &'a [f64],
}

/// The observer's answer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Control {
    /// Go on.
    Continue,
    /// Stop now; the run ends with [`Termination::StoppedByObserver`].
    Stop,
}

/// A callback run every `observe_every` iterations (progress bars, "print the loss every 50
/// steps"). Closures `FnMut(&Progress) -> Control` are observers.
///
/// # Examples
/// ```
/// use linmod_optim::{Control, GradientDescent, Progress, testfns::Quadratic};
/// let mut q = Quadratic::new(vec![1.0], vec![-1.0]).unwrap();
/// let mut seen = Vec::new();
/// let mut log = |p: &Progress<'_>| { seen.push(p.iteration); Control::Continue };
/// GradientDescent::new(0.5).observe_every(2).minimize_observed(&mut q, &[0.0], &mut log).unwrap();
/// assert_eq!(&seen[..3], &[2, 4, 6]);
/// ```
pub trait Observer {
    /// Called with the state after an iteration.
    fn observe(&mut self, progress: &Progress<'_>) -> Control;
}

impl<F: FnMut(&Progress<'_>) -> Control> Observer for F {
    fn observe(&mut self, progress: &Progress<'_>) -> Control {
        self(progress)
    }
}

/// Options of a run that are not stopping rules.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RunOptions {
    /// Keep one [`IterationRecord`] per iteration in the report (default false).
    pub record_history: bool,
    /// Call the observer every this many iterations (default 1).
    pub observe_every: usize,
}

impl Default for RunOptions {
    fn default() -> Self {
        Self {
            record_history: false,
            observe_every: 1,
        }
    }
}

/// The state after one iteration, as the driver reports it to the [`Monitor`].
#[derive(Clone, Copy, Debug)]
pub(crate) struct Iterate<'a> {
    /// Iteration number (1 for the first).
    pub iteration: usize,
    /// The new iterate.
    pub x: &'a [f64],
    /// Objective value at the new iterate.
    pub value: f64,
    /// Objective value at the previous iterate.
    pub previous_value: f64,
    /// The optimality measure at the new iterate.
    pub grad_norm: f64,
    /// Step length taken.
    pub step: f64,
    /// `max_j |x_new,j - x_old,j|`.
    pub max_change: f64,
}

/// Applies the stopping rules of one run, keeps its history and calls its observer.
pub(crate) struct Monitor<'o> {
    stopping: Stopping,
    options: RunOptions,
    observer: Option<&'o mut dyn Observer>,
    start: Instant,
    initial_grad_norm: f64,
    history: Vec<IterationRecord>,
}

impl<'o> Monitor<'o> {
    /// A monitor for one run.
    pub fn new(
        stopping: Stopping,
        options: RunOptions,
        observer: Option<&'o mut dyn Observer>,
    ) -> Self {
        Self {
            stopping,
            options,
            observer,
            start: Instant::now(),
            initial_grad_norm: f64::NAN,
            history: Vec::new(),
        }
    }

    /// Records the starting point; returns a termination when a test already holds (the
    /// solver's own `converged`, else a gradient test) or the iteration limit is 0.
    pub fn start(
        &mut self,
        value: f64,
        grad_norm: f64,
        converged: Option<Criterion>,
    ) -> Option<Termination> {
        self.initial_grad_norm = grad_norm;
        if self.options.record_history {
            self.history.push(IterationRecord {
                iteration: 0,
                value,
                grad_norm,
                step: 0.0,
            });
        }
        if let Some(c) = converged
            .or_else(|| self.gradient_test(grad_norm))
            .filter(|_| value.is_finite() && grad_norm.is_finite())
        {
            return Some(Termination::Converged { criterion: c });
        }
        (self.stopping.max_iter == 0).then_some(Termination::MaxIterations)
    }

    /// The gradient tests; none holds for a non-finite gradient norm (a NaN compares false,
    /// and an infinite norm could pass an infinite tolerance scale).
    fn gradient_test(&self, grad_norm: f64) -> Option<Criterion> {
        if !grad_norm.is_finite() {
            return None;
        }
        if self.stopping.gradient_tol.is_some_and(|t| grad_norm <= t) {
            return Some(Criterion::GradientNorm);
        }
        if self
            .stopping
            .relative_gradient_tol
            .is_some_and(|t| grad_norm <= t * self.initial_grad_norm)
        {
            return Some(Criterion::RelativeGradientNorm);
        }
        None
    }

    /// Records an iteration and returns a termination when a convergence test holds (the
    /// solver's own `converged`, else one of [`Stopping`]), the observer stops the run, or
    /// the iteration limit is reached (in that order of priority: a test that holds at the
    /// last allowed iteration counts as convergence). No test holds while the value or the
    /// gradient norm is not finite.
    pub fn iteration(
        &mut self,
        it: &Iterate<'_>,
        converged: Option<Criterion>,
    ) -> Option<Termination> {
        if self.options.record_history {
            self.history.push(IterationRecord {
                iteration: it.iteration,
                value: it.value,
                grad_norm: it.grad_norm,
                step: it.step,
            });
        }
        // a non-finite value or gradient certifies nothing: no test may hold on it
        let finite = it.value.is_finite() && it.grad_norm.is_finite();
        let criterion = finite
            .then(|| converged.or_else(|| self.gradient_test(it.grad_norm)))
            .flatten()
            .or_else(|| {
                if !(finite && it.previous_value.is_finite()) {
                    return None;
                }
                let scale = it.value.abs().max(it.previous_value.abs()).max(1.0);
                if self
                    .stopping
                    .value_tol
                    .is_some_and(|t| (it.previous_value - it.value).abs() <= t * scale)
                {
                    Some(Criterion::ValueChange)
                } else if self.stopping.param_tol.is_some_and(|t| it.max_change <= t) {
                    Some(Criterion::ParameterChange)
                } else {
                    None
                }
            });
        if let Some(criterion) = criterion {
            return Some(Termination::Converged { criterion });
        }
        if let Some(obs) = self.observer.as_deref_mut()
            && it
                .iteration
                .is_multiple_of(self.options.observe_every.max(1))
        {
            let progress = Progress {
                iteration: it.iteration,
                value: it.value,
                grad_norm: it.grad_norm,
                step: it.step,
                seconds: self.start.elapsed().as_secs_f64(),
                x: it.x,
            };
            if obs.observe(&progress) == Control::Stop {
                return Some(Termination::StoppedByObserver);
            }
        }
        (it.iteration >= self.stopping.max_iter).then_some(Termination::MaxIterations)
    }

    /// Builds the report.
    pub fn finish(
        self,
        x: Vec<f64>,
        value: f64,
        grad_norm: f64,
        iterations: usize,
        termination: Termination,
        evaluations: Evaluations,
    ) -> Report {
        Report {
            x,
            value,
            grad_norm,
            iterations,
            evaluations,
            elapsed: self.start.elapsed(),
            termination,
            history: self.history,
        }
    }
}
