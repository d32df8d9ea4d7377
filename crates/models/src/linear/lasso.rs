//! Cyclic coordinate descent for the lasso and the elastic net on the centered problem
//! `P(w) = 1/(2n) |S^{1/2}(y_c - X_c w)|^2 + l1 |w|_1 + l2 |w|^2`, with a duality-gap stopping
//! rule, active-set sweeps and gap-safe screening.
//!
//! # Coordinate update
//! With `Q_jj = x_cj^T S x_cj / n` and the correlation `c_j = x_cj^T S r / n` of feature `j`
//! with the residual `r = y_c - X_c w`,
//! `w_j <- S(Q_jj w_j + c_j, l1) / (Q_jj + 2 l2)` (`S` the soft-thresholding).
//!
//! # Duality gap
//! Let `rho = X_c^T S r / n - 2 l2 w` (minus the gradient of the smooth part) and
//! `A = r^T S r / n + 2 l2 |w|^2`. Writing the elastic net as a lasso on augmented data
//! (`[S^{1/2} X_c; sqrt(2 n l2) I]`, as scikit-learn's `enet_coordinate_descent` does), the
//! rescaled residual `kappa [S^{1/2} r; -sqrt(2 n l2) w]`, `kappa = min(1, l1 / |rho|_inf)`, is
//! dual feasible and gives the gap
//!
//! ```text
//! l1 > 0:   G = 1/2 (1 - kappa)^2 A + l1 |w|_1 - kappa rho.w
//! l1 = 0:   G = |rho|^2 / (4 l2)      (strong convexity: P(w) - P* <= |grad P|^2 / (2 mu), mu = 2 l2)
//! ```
//!
//! Both bound `P(w) - P(w*)` from above and vanish at the solution. The run stops when
//! `G <= tol * y_c^T S y_c / n` (scikit-learn's `tol * |y|^2 / n_samples` on our scale).
//!
//! # Gap-safe screening
//! The dual is 1-strongly concave, so the dual solution lies within `sqrt(2 n G)` of the
//! feasible point above; a feature with `kappa |rho_j| + sqrt(2 (Q_jj + 2 l2) G) < l1` is zero
//! at the solution (Fercoq, Gramfort & Salmon, "Mind the duality gap: safer rules for the
//! lasso", ICML 2015) and is removed from the sweeps.

use linalg_core::{Mat, MatRef, PassScratch, mul_xw, symmetrize_lower};
use optim::{
    Criterion, Iterate, Monitor, Observer, Report, RunOptions, Stopping, Termination,
    soft_threshold,
};

use super::centering::Centered;
use super::direct::NormalEquations;
use super::solver::CdMode;
use crate::cd;
use crate::error::{ModelError, Result};
use crate::penalty::Penalty;

/// `auto` uses Gram mode only for at most this many features (glmnet's limit).
const GRAM_MAX_FEATURES: usize = 500;
/// ... and only when centering through the Gram matrix loses at most 4 digits.
const GRAM_MAX_AMPLIFICATION: f64 = 1e4;

/// Settings of one coordinate-descent solve.
#[derive(Clone, Copy, Debug)]
pub(crate) struct CdSettings {
    /// Relative duality-gap tolerance.
    pub tol: f64,
    /// Limit on sweeps (full and active-set).
    pub max_iter: usize,
    pub record_history: bool,
}

/// What one solve returns.
#[derive(Clone, Debug)]
pub(crate) struct CdRun {
    /// Built by `optim::Monitor`; `x` holds the coefficients `w`.
    pub report: Report,
    /// The duality gap at the returned coefficients.
    pub gap: f64,
}

/// The part of coordinate descent that depends on how the fit is tracked.
pub(crate) enum Engine<'d, 'a> {
    Gram(GramEngine),
    Residual(ResidualEngine<'d, 'a>),
}

pub(crate) struct GramEngine {
    /// `Q = X_c^T S X_c / n`, both triangles.
    q: Mat<f64>,
    /// `-X_c^T S y_c / n` (the linear term of the quadratic).
    linear: Vec<f64>,
    /// `Q w`.
    qw: Vec<f64>,
    /// `y_c^T S y_c / n`.
    yy: f64,
}

pub(crate) struct ResidualEngine<'d, 'a> {
    data: &'d Centered<'a>,
    yc: Vec<f64>,
    /// `r = y_c - X_c w`.
    r: Vec<f64>,
    /// `Q_jj`.
    col_sq: Vec<f64>,
    /// Buffers for `S r / n` and for a non-contiguous column.
    sr: Vec<f64>,
    column: Vec<f64>,
    scratch: PassScratch,
    /// `X_c^T S r / n` and `r^T S r / n` for the current `r`, valid while `fresh`: a path's
    /// next solve starts where the last one ended, so its first gap needs no pass over `X`.
    cached_corr: Vec<f64>,
    cached_rss: f64,
    fresh: bool,
}

/// An engine at `w = 0` with the statistics every solve needs.
pub(crate) struct Prepared<'d, 'a> {
    pub engine: Engine<'d, 'a>,
    /// The mode `CdMode::Auto` resolved to.
    pub mode: CdMode,
    /// `X_c^T S y_c / n` (the correlations at `w = 0`).
    pub xty: Vec<f64>,
    /// `y_c^T S y_c / n` (the scale of the gap tolerance).
    pub scale: f64,
}

impl<'d, 'a> Prepared<'d, 'a> {
    /// Builds the engine for `mode` with `w = 0`.
    pub fn new(data: &'d Centered<'a>, mode: CdMode) -> Self {
        let yc = data.centered_target();
        let yy = data.target_scale(&yc);
        let (n, p) = (data.n(), data.p());
        let mut col_sq = None;
        let mode = match mode {
            CdMode::Auto if n >= 2 * p && p <= GRAM_MAX_FEATURES => {
                let sq = centered_column_squares(data);
                // centering through the Gram matrix loses log10(1 + m_j^2 / var_j) digits
                let amplification = (0..p)
                    .filter(|&j| sq[j] > 0.0)
                    .map(|j| (sq[j] + data.x_mean[j] * data.x_mean[j]) / sq[j])
                    .fold(1.0, f64::max);
                col_sq = Some(sq);
                if amplification <= GRAM_MAX_AMPLIFICATION {
                    CdMode::Gram
                } else {
                    CdMode::Residual
                }
            }
            CdMode::Auto => CdMode::Residual,
            m => m,
        };
        if mode == CdMode::Gram {
            let eq = NormalEquations::new(data, &yc, 0.0);
            let mut q = eq.matrix;
            symmetrize_lower(q.as_mut());
            let xty = eq.rhs;
            let engine = GramEngine {
                q,
                linear: xty.iter().map(|v| -v).collect(),
                qw: vec![0.0; p],
                yy,
            };
            Prepared {
                engine: Engine::Gram(engine),
                mode,
                xty,
                scale: yy,
            }
        } else {
            let xty = data.xty(&yc);
            let engine = ResidualEngine {
                data,
                r: yc.clone(),
                yc,
                col_sq: col_sq.unwrap_or_else(|| centered_column_squares(data)),
                sr: vec![0.0; n],
                column: Vec::new(),
                scratch: PassScratch::for_matrix(data.x, 1),
                cached_corr: vec![0.0; p],
                cached_rss: 0.0,
                fresh: false,
            };
            Prepared {
                engine: Engine::Residual(engine),
                mode,
                xty,
                scale: yy,
            }
        }
    }
}

impl Engine<'_, '_> {
    /// Fails with [`ModelError::Overflow`] when the squares the engine holds overflowed
    /// (columns beyond about `1e154`): no gap or update computed from them would mean
    /// anything.
    pub fn check_finite(&self) -> Result<()> {
        let bad = match self {
            Engine::Gram(e) => (0..e.q.nrows())
                .any(|j| !e.q.col(j).iter().all(|v| v.is_finite()) || !e.linear[j].is_finite()),
            Engine::Residual(e) => e.col_sq.iter().any(|v| !v.is_finite()),
        };
        if bad {
            return Err(ModelError::Overflow {
                what: "the squared norm of a centered column (values beyond about 1e154: rescale \
                       the features)",
            });
        }
        Ok(())
    }

    /// `Q_jj`.
    fn curvature(&self, j: usize) -> f64 {
        match self {
            Engine::Gram(e) => e.q[(j, j)],
            Engine::Residual(e) => e.col_sq[j],
        }
    }

    /// Makes the tracked state match `w` (after a warm start).
    pub fn reset(&mut self, w: &[f64]) {
        match self {
            Engine::Gram(e) => {
                for (i, v) in e.qw.iter_mut().enumerate() {
                    *v = (0..w.len()).map(|j| e.q[(i, j)] * w[j]).sum();
                }
            }
            Engine::Residual(e) => {
                e.fresh = false;
                let data = e.data;
                let p = w.len();
                let offset = -data.x_mean.iter().zip(w).map(|(a, b)| a * b).sum::<f64>();
                // r = y_c - (X w - m.w), one blocked pass over X
                mul_xw(
                    data.x,
                    MatRef::from_column_major_slice(w, p, 1),
                    &[offset],
                    &mut e.r,
                    data.par,
                );
                for (r, y) in e.r.iter_mut().zip(&e.yc) {
                    *r = y - *r;
                }
            }
        }
    }

    /// One pass of coordinate updates over `coords`; returns the largest
    /// `(Q_jj + 2 l2) dw_j^2` (twice the objective decrease the change is worth).
    fn sweep(&mut self, w: &mut [f64], coords: &[usize], penalty: Penalty) -> f64 {
        match self {
            Engine::Gram(e) => cd::sweep(
                e.q.as_ref(),
                &e.linear,
                penalty,
                &(0..w.len()),
                w,
                &mut e.qw,
                coords.iter().copied(),
            ),
            Engine::Residual(e) => e.sweep(w, coords, penalty),
        }
    }

    /// Sets `w_j = value`, keeping the state consistent.
    fn set(&mut self, w: &mut [f64], j: usize, value: f64) {
        let delta = value - w[j];
        if delta == 0.0 {
            return;
        }
        w[j] = value;
        match self {
            Engine::Gram(e) => {
                for (v, qk) in e.qw.iter_mut().zip(e.q.col(j).iter()) {
                    *v += delta * qk;
                }
            }
            Engine::Residual(e) => {
                e.fresh = false;
                let m = e.data.x_mean[j];
                let col = column(e.data, j, &mut e.column);
                for (r, x) in e.r.iter_mut().zip(col) {
                    *r -= delta * (x - m);
                }
            }
        }
    }

    /// Writes the correlations `X_c^T S r / n` into `out` and returns `r^T S r / n`.
    fn correlations(&mut self, w: &[f64], out: &mut [f64]) -> f64 {
        match self {
            Engine::Gram(e) => {
                let mut cw = 0.0;
                let mut wqw = 0.0;
                for j in 0..w.len() {
                    out[j] = -e.linear[j] - e.qw[j];
                    cw -= e.linear[j] * w[j];
                    wqw += w[j] * e.qw[j];
                }
                (e.yy - 2.0 * cw + wqw).max(0.0)
            }
            Engine::Residual(e) => {
                if e.fresh {
                    out.copy_from_slice(&e.cached_corr);
                    return e.cached_rss;
                }
                let data = e.data;
                let nf = data.n() as f64;
                let mut rss = 0.0;
                for (i, (sr, r)) in e.sr.iter_mut().zip(&e.r).enumerate() {
                    let s = data.weight(i);
                    *sr = s * r / nf;
                    rss += s * r * r;
                }
                data.xtv_centered_into(&e.sr, &mut e.scratch, out);
                e.cached_corr.copy_from_slice(out);
                e.cached_rss = rss / nf;
                e.fresh = true;
                rss / nf
            }
        }
    }
}

impl ResidualEngine<'_, '_> {
    fn sweep(&mut self, w: &mut [f64], coords: &[usize], penalty: Penalty) -> f64 {
        let data = self.data;
        let nf = data.n() as f64;
        let mut max_change = 0.0f64;
        for &j in coords {
            let denom = self.col_sq[j] + 2.0 * penalty.l2;
            if denom <= 0.0 {
                // a constant column: the loss does not depend on w_j
                continue;
            }
            let m = data.x_mean[j];
            let col = column(data, j, &mut self.column);
            let dot = match &data.weights {
                None => centered_dot(col, &self.r, m),
                Some(s) => weighted_centered_dot(col, &self.r, s, m),
            };
            let old = w[j];
            let new = soft_threshold(self.col_sq[j] * old + dot / nf, penalty.l1) / denom;
            let delta = new - old;
            if delta != 0.0 {
                self.fresh = false;
                w[j] = new;
                for (r, x) in self.r.iter_mut().zip(col) {
                    *r -= delta * (x - m);
                }
                max_change = max_change.max(denom * delta * delta);
            }
        }
        max_change
    }
}

/// Independent partial sums in a dot product: a single running sum is bound by the latency
/// of floating-point addition; eight let the compiler keep several vector lanes busy.
const LANES: usize = 8;

/// `sum_i (x_i - m) r_i`.
fn centered_dot(x: &[f64], r: &[f64], m: f64) -> f64 {
    let mut acc = [0.0; LANES];
    let (xc, rc) = (x.chunks_exact(LANES), r.chunks_exact(LANES));
    let tail: f64 = xc
        .remainder()
        .iter()
        .zip(rc.remainder())
        .map(|(a, b)| (a - m) * b)
        .sum();
    for (xs, rs) in xc.zip(rc) {
        for k in 0..LANES {
            acc[k] += (xs[k] - m) * rs[k];
        }
    }
    acc.iter().sum::<f64>() + tail
}

/// `sum_i s_i (x_i - m) r_i`.
fn weighted_centered_dot(x: &[f64], r: &[f64], s: &[f64], m: f64) -> f64 {
    let mut acc = [0.0; LANES];
    let (xc, rc, sc) = (
        x.chunks_exact(LANES),
        r.chunks_exact(LANES),
        s.chunks_exact(LANES),
    );
    let tail: f64 = xc
        .remainder()
        .iter()
        .zip(rc.remainder())
        .zip(sc.remainder())
        .map(|((a, b), c)| c * (a - m) * b)
        .sum();
    for ((xs, rs), ss) in xc.zip(rc).zip(sc) {
        for k in 0..LANES {
            acc[k] += ss[k] * (xs[k] - m) * rs[k];
        }
    }
    acc.iter().sum::<f64>() + tail
}

/// Column `j` of `X` as a slice, copied into `buf` only when `X` is not column-major.
fn column<'b>(data: &'b Centered<'_>, j: usize, buf: &'b mut Vec<f64>) -> &'b [f64] {
    match data.x.col(j).try_as_col_major() {
        Some(c) => c.as_slice(),
        None => {
            buf.clear();
            buf.extend(data.x.col(j).iter().copied());
            buf
        }
    }
}

/// `Q_jj = sum_i s_i (x_ij - m_j)^2 / n`, centered exactly.
pub(crate) fn centered_column_squares(data: &Centered<'_>) -> Vec<f64> {
    let nf = data.n() as f64;
    (0..data.p())
        .map(|j| {
            let m = data.x_mean[j];
            data.x
                .col(j)
                .iter()
                .enumerate()
                .map(|(i, x)| data.weight(i) * (x - m) * (x - m))
                .sum::<f64>()
                / nf
        })
        .collect()
}

/// The duality gap and optimality measures at one point.
#[derive(Clone, Copy, Debug)]
struct DualCheck {
    gap: f64,
    /// `kappa` of the dual point.
    kappa: f64,
    /// Largest violation of the optimality conditions (the norm of the minimum-norm
    /// subgradient).
    kkt: f64,
    /// `P(w)`.
    primal: f64,
}

/// The gap of the module documentation; `corr` holds `X_c^T S r / n` and is turned into
/// `rho` in place.
fn dual_check(w: &[f64], corr: &mut [f64], rss: f64, penalty: Penalty) -> DualCheck {
    let Penalty { l1, l2 } = penalty;
    let mut w_l1 = 0.0;
    let mut w_sq = 0.0;
    let mut rho_w = 0.0;
    let mut rho_max = 0.0f64;
    let mut rho_sq = 0.0;
    let mut kkt = 0.0f64;
    for (rho, &wj) in corr.iter_mut().zip(w) {
        *rho -= 2.0 * l2 * wj;
        w_l1 += wj.abs();
        w_sq += wj * wj;
        rho_w += *rho * wj;
        rho_max = rho_max.max(rho.abs());
        rho_sq += *rho * *rho;
        let violation = if wj == 0.0 {
            (rho.abs() - l1).max(0.0)
        } else {
            (*rho - l1 * wj.signum()).abs()
        };
        kkt = kkt.max(violation);
    }
    let primal = 0.5 * rss + l1 * w_l1 + l2 * w_sq;
    let (gap, kappa) = if l1 > 0.0 {
        let kappa = if rho_max > l1 { l1 / rho_max } else { 1.0 };
        let a = rss + 2.0 * l2 * w_sq;
        (
            0.5 * (1.0 - kappa) * (1.0 - kappa) * a + l1 * w_l1 - kappa * rho_w,
            kappa,
        )
    } else {
        (rho_sq / (4.0 * l2), 1.0)
    };
    DualCheck {
        gap: gap.max(0.0),
        kappa,
        kkt,
        primal,
    }
}

/// Runs coordinate descent from `w` (the engine's state must match `w`) for `penalty`
/// (`l1 > 0` or `l2 > 0`), updating `w` in place.
///
/// Iterations are sweeps: a full sweep over the features not screened out, then sweeps over
/// the non-zero ones until their largest change is below the gap tolerance. After such a round
/// the duality gap is computed (`O(p)` in Gram mode; one pass over `X` in residual mode, where
/// it is skipped while the full sweep still changed a coordinate by more than the tolerance),
/// screening is applied, and the [`Monitor`] records the iteration (history and observer see
/// these checkpoints).
pub(crate) fn solve(
    engine: &mut Engine<'_, '_>,
    w: &mut [f64],
    penalty: Penalty,
    scale: f64,
    settings: CdSettings,
    observer: Option<&mut dyn Observer>,
) -> CdRun {
    let p = w.len();
    let stopping = Stopping::default()
        .max_iter(settings.max_iter)
        .gradient_tol(None);
    let options = RunOptions {
        record_history: settings.record_history,
        observe_every: 1,
    };
    let mut monitor = Monitor::new(stopping, options, observer);
    if scale == 0.0 {
        // a constant target: w = 0 is the solution for every penalty
        for j in 0..p {
            engine.set(w, j, 0.0);
        }
    }
    let gap_tol = settings.tol * scale;
    let mut corr = vec![0.0; p];
    let mut candidates: Vec<usize> = (0..p).collect();
    let mut active: Vec<usize> = Vec::with_capacity(p);
    let mut w_before = w.to_vec();
    let mut check = checkpoint(engine, w, &mut corr, penalty, &mut candidates);
    monitor.evaluations.gradient += 1;
    let mut sweeps = 0;
    let start = monitor.start(check.primal, check.kkt);
    // a non-finite gap (or scale) certifies nothing, whatever it compares to
    let certified = |gap: f64| gap.is_finite() && gap_tol.is_finite() && gap <= gap_tol;
    let termination = if certified(check.gap) {
        Termination::Converged {
            criterion: Criterion::DualityGap,
        }
    } else if let Some(t) = start {
        t
    } else {
        loop {
            let previous = check.primal;
            let full_change = engine.sweep(w, &candidates, penalty);
            sweeps += 1;
            active.clear();
            active.extend(candidates.iter().copied().filter(|&j| w[j] != 0.0));
            if !active.is_empty() && active.len() < candidates.len() {
                while sweeps < settings.max_iter {
                    let change = engine.sweep(w, &active, penalty);
                    sweeps += 1;
                    if change <= gap_tol {
                        break;
                    }
                }
            }
            // in residual mode the gap costs a pass over X, as much as a sweep: skip it while
            // the full sweep still moved a coordinate by more than the tolerance
            let costly = matches!(engine, Engine::Residual(_));
            if costly && full_change > gap_tol && sweeps < settings.max_iter {
                continue;
            }
            check = checkpoint(engine, w, &mut corr, penalty, &mut candidates);
            monitor.evaluations.gradient += 1;
            let max_change = w
                .iter()
                .zip(&w_before)
                .fold(0.0f64, |m, (a, b)| m.max((a - b).abs()));
            w_before.copy_from_slice(w);
            let stop = monitor.iteration(&Iterate {
                iteration: sweeps,
                x: w,
                value: check.primal,
                previous_value: previous,
                grad_norm: check.kkt,
                step: 1.0,
                max_change,
            });
            if certified(check.gap) {
                break Termination::Converged {
                    criterion: Criterion::DualityGap,
                };
            }
            if let Some(t) = stop {
                break t;
            }
        }
    };
    let report = monitor.finish(w.to_vec(), check.primal, check.kkt, sweeps, termination);
    CdRun {
        report,
        gap: check.gap,
    }
}

/// Computes the gap at `w` and screens features out of `candidates` (gap-safe rule). A
/// screened feature that is not zero yet is set to zero and the gap recomputed.
fn checkpoint(
    engine: &mut Engine<'_, '_>,
    w: &mut [f64],
    corr: &mut [f64],
    penalty: Penalty,
    candidates: &mut Vec<usize>,
) -> DualCheck {
    let rss = engine.correlations(w, corr);
    let check = dual_check(w, corr, rss, penalty);
    if penalty.l1 <= 0.0 {
        return check;
    }
    let mut moved = false;
    // the factor keeps rounding in the gap from screening a feature on the boundary
    let threshold = penalty.l1 * (1.0 - 1e-9);
    candidates.retain(|&j| {
        let radius = (2.0 * (engine.curvature(j) + 2.0 * penalty.l2) * check.gap).sqrt();
        let keep = check.kappa * corr[j].abs() + radius >= threshold;
        if !keep && w[j] != 0.0 {
            engine.set(w, j, 0.0);
            moved = true;
        }
        keep
    });
    if moved {
        let rss = engine.correlations(w, corr);
        dual_check(w, corr, rss, penalty)
    } else {
        check
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_gap_vanishes_at_a_lasso_solution_and_not_elsewhere() {
        // one feature with Q = 1 and correlation c = 2 at w = 0: the lasso solution is
        // w* = S(2, l1) = 1.5 for l1 = 0.5, with residual correlation l1 = 0.5 there
        let pen = Penalty::l1(0.5).unwrap();
        // at w*: corr = 2 - 1.5 = 0.5, rss = yy - 2 c w + w^2 = yy - 6 + 2.25
        let yy = 5.0;
        let mut corr = [0.5];
        let at_opt = dual_check(&[1.5], &mut corr, yy - 6.0 + 2.25, pen);
        assert!(at_opt.gap.abs() < 1e-14, "{at_opt:?}");
        assert!(at_opt.kkt.abs() < 1e-14);
        let mut corr = [2.0];
        let at_zero = dual_check(&[0.0], &mut corr, yy, pen);
        // P(0) - P(w*) = yy/2 - (yy/2 - 3 + 1.125 + 0.75) = 1.125 <= gap
        assert!(at_zero.gap >= 1.125 - 1e-12, "{at_zero:?}");
        assert!((at_zero.kkt - 1.5).abs() < 1e-14);
    }

    #[test]
    fn the_ridge_gap_bounds_the_suboptimality() {
        // P(w) = (yy - 2 c w + q w^2)/2 + l2 w^2 with q = 1, c = 2, l2 = 0.5: w* = 1
        let pen = Penalty::l2(0.5).unwrap();
        let yy = 5.0;
        let p = |w: f64| 0.5 * (yy - 4.0 * w + w * w) + 0.5 * w * w;
        for w in [0.0, 0.5, 1.0, 3.0] {
            let mut corr = [2.0 - w];
            let check = dual_check(&[w], &mut corr, yy - 4.0 * w + w * w, pen);
            let sub = p(w) - p(1.0);
            assert!(check.gap >= sub - 1e-12, "w={w}: gap {} < {sub}", check.gap);
            assert!((check.primal - p(w)).abs() < 1e-12);
        }
    }
}
