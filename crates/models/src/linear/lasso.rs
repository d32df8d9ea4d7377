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
use optim::{Certificate, CoordinateDescent, Coordinates, ElasticNet, Observer, Report};

use super::centering::Centered;
use super::direct::NormalEquations;
use super::solver::CdMode;
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
    /// The report of `optim::CoordinateDescent`; `x` holds the coefficients `w`.
    pub report: Report,
    /// The duality gap at the returned coefficients.
    pub gap: f64,
}

/// The lasso problem in one of the two ways of tracking the fit.
pub(crate) enum Engine<'d, 'a> {
    Gram(Lasso<GramEngine>),
    Residual(Lasso<ResidualEngine<'d, 'a>>),
}

/// How coordinate descent keeps track of the fit: everything that depends on the mode.
pub(crate) trait Tracking {
    /// `Q_jj`.
    fn curvature(&self, j: usize) -> f64;
    /// `-X_cj^T S r / n`, the partial derivative of the loss in `w_j`.
    fn partial(&mut self, j: usize) -> f64;
    /// `w_j` changed by `delta`.
    fn update(&mut self, j: usize, delta: f64);
    /// Writes the correlations `X_c^T S r / n` into `out` and returns `r^T S r / n`.
    fn correlations(&mut self, w: &[f64], out: &mut [f64]) -> f64;
    /// `r^T S r / n`.
    fn rss(&mut self, w: &[f64]) -> f64;
    /// Makes the tracked state match `w` (after a warm start).
    fn reset(&mut self, w: &[f64]);
    /// True when the gap costs `O(p)`, false when it costs a pass over `X`.
    fn cheap_gap(&self) -> bool;
}

/// The centered elastic-net least-squares problem for `optim::CoordinateDescent`: the
/// tracked fit, and the last duality check (which screening uses).
pub(crate) struct Lasso<T> {
    tracking: T,
    /// `rho = X_c^T S r / n - 2 l2 w` at the last certificate.
    rho: Vec<f64>,
    check: DualCheck,
}

impl<T> Lasso<T> {
    fn new(tracking: T, p: usize) -> Self {
        Self {
            tracking,
            rho: vec![0.0; p],
            check: DualCheck {
                gap: f64::INFINITY,
                kappa: 0.0,
                kkt: f64::INFINITY,
                primal: f64::INFINITY,
            },
        }
    }
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
    /// Buffers for `S r / n` and for a non-contiguous column (`column_j` says which).
    sr: Vec<f64>,
    column: Vec<f64>,
    column_j: usize,
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
                engine: Engine::Gram(Lasso::new(engine, p)),
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
                column_j: usize::MAX,
                scratch: PassScratch::for_matrix(data.x, 1),
                cached_corr: vec![0.0; p],
                cached_rss: 0.0,
                fresh: false,
            };
            Prepared {
                engine: Engine::Residual(Lasso::new(engine, p)),
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
            Engine::Gram(l) => {
                let e = &l.tracking;
                (0..e.q.nrows())
                    .any(|j| !e.q.col(j).iter().all(|v| v.is_finite()) || !e.linear[j].is_finite())
            }
            Engine::Residual(l) => l.tracking.col_sq.iter().any(|v| !v.is_finite()),
        };
        if bad {
            return Err(ModelError::Overflow {
                what: "the squared norm of a centered column (values beyond about 1e154: rescale \
                       the features)",
            });
        }
        Ok(())
    }

    /// Makes the tracked state match `w` (after a warm start).
    pub fn reset(&mut self, w: &[f64]) {
        match self {
            Engine::Gram(l) => l.tracking.reset(w),
            Engine::Residual(l) => l.tracking.reset(w),
        }
    }
}

impl Tracking for GramEngine {
    fn curvature(&self, j: usize) -> f64 {
        self.q[(j, j)]
    }

    fn partial(&mut self, j: usize) -> f64 {
        self.qw[j] + self.linear[j]
    }

    fn update(&mut self, j: usize, delta: f64) {
        for (v, qk) in self.qw.iter_mut().zip(self.q.col(j).iter()) {
            *v += delta * qk;
        }
    }

    fn correlations(&mut self, w: &[f64], out: &mut [f64]) -> f64 {
        for (o, (c, qw)) in out.iter_mut().zip(self.linear.iter().zip(&self.qw)) {
            *o = -c - qw;
        }
        self.rss(w)
    }

    fn rss(&mut self, w: &[f64]) -> f64 {
        let mut cw = 0.0;
        let mut wqw = 0.0;
        for (wj, (c, qw)) in w.iter().zip(self.linear.iter().zip(&self.qw)) {
            cw -= c * wj;
            wqw += wj * qw;
        }
        (self.yy - 2.0 * cw + wqw).max(0.0)
    }

    fn reset(&mut self, w: &[f64]) {
        for (i, v) in self.qw.iter_mut().enumerate() {
            *v = (0..w.len()).map(|j| self.q[(i, j)] * w[j]).sum();
        }
    }

    fn cheap_gap(&self) -> bool {
        true
    }
}

impl Tracking for ResidualEngine<'_, '_> {
    fn curvature(&self, j: usize) -> f64 {
        self.col_sq[j]
    }

    fn partial(&mut self, j: usize) -> f64 {
        let data = self.data;
        let m = data.x_mean[j];
        let col = column(data, j, &mut self.column, &mut self.column_j);
        let dot = match &data.weights {
            None => centered_dot(col, &self.r, m),
            Some(s) => weighted_centered_dot(col, &self.r, s, m),
        };
        -dot / data.n() as f64
    }

    fn update(&mut self, j: usize, delta: f64) {
        self.fresh = false;
        let m = self.data.x_mean[j];
        let col = column(self.data, j, &mut self.column, &mut self.column_j);
        for (r, x) in self.r.iter_mut().zip(col) {
            *r -= delta * (x - m);
        }
    }

    fn correlations(&mut self, w: &[f64], out: &mut [f64]) -> f64 {
        if self.fresh {
            out.copy_from_slice(&self.cached_corr);
            return self.cached_rss;
        }
        let rss = self.rss(w);
        let data = self.data;
        let nf = data.n() as f64;
        for (i, (sr, r)) in self.sr.iter_mut().zip(&self.r).enumerate() {
            *sr = data.weight(i) * r / nf;
        }
        data.xtv_centered_into(&self.sr, &mut self.scratch, out);
        self.cached_corr.copy_from_slice(out);
        self.cached_rss = rss;
        self.fresh = true;
        rss
    }

    fn rss(&mut self, _w: &[f64]) -> f64 {
        let data = self.data;
        let rss: f64 = (self.r.iter().enumerate())
            .map(|(i, r)| data.weight(i) * r * r)
            .fold(0.0, |acc, v| acc + v);
        rss / data.n() as f64
    }

    fn reset(&mut self, w: &[f64]) {
        self.fresh = false;
        let data = self.data;
        let p = w.len();
        let offset = -data.x_mean.iter().zip(w).map(|(a, b)| a * b).sum::<f64>();
        // r = y_c - (X w - m.w), one blocked pass over X
        mul_xw(
            data.x,
            MatRef::from_column_major_slice(w, p, 1),
            &[offset],
            &mut self.r,
            data.par,
        );
        for (r, y) in self.r.iter_mut().zip(&self.yc) {
            *r = y - *r;
        }
    }

    fn cheap_gap(&self) -> bool {
        false
    }
}

impl<T: Tracking> Coordinates for Lasso<T> {
    fn dim(&self) -> usize {
        self.rho.len()
    }

    fn value(&mut self, w: &[f64]) -> f64 {
        0.5 * self.tracking.rss(w)
    }

    fn partial(&mut self, _w: &[f64], j: usize) -> f64 {
        self.tracking.partial(j)
    }

    fn curvature(&self, j: usize) -> f64 {
        self.tracking.curvature(j)
    }

    fn update(&mut self, j: usize, delta: f64) {
        self.tracking.update(j, delta);
    }

    /// The duality gap of the module documentation.
    fn certificate(&mut self, w: &[f64], penalty: &ElasticNet) -> Certificate {
        let rss = self.tracking.correlations(w, &mut self.rho);
        self.check = dual_check(w, &mut self.rho, rss, penalty);
        Certificate {
            value: self.check.primal,
            optimality: self.check.kkt,
            gap: Some(self.check.gap),
        }
    }

    fn cheap_certificate(&self) -> bool {
        self.tracking.cheap_gap()
    }

    /// The gap-safe rule of the module documentation, from the last certificate.
    fn screen(&mut self, w: &mut [f64], penalty: &ElasticNet, candidates: &mut Vec<usize>) -> bool {
        let (l1, l2) = (penalty.l1(), penalty.l2());
        if l1 <= 0.0 {
            return false;
        }
        let mut moved = false;
        // the factor keeps rounding in the gap from screening a feature on the boundary
        let threshold = l1 * (1.0 - 1e-9);
        let check = self.check;
        candidates.retain(|&j| {
            let radius = (2.0 * (self.tracking.curvature(j) + 2.0 * l2) * check.gap).sqrt();
            let keep = check.kappa * self.rho[j].abs() + radius >= threshold;
            if !keep && w[j] != 0.0 {
                self.tracking.update(j, -w[j]);
                w[j] = 0.0;
                moved = true;
            }
            keep
        });
        moved
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

/// Column `j` of `X` as a slice, copied into `buf` only when `X` is not column-major (and
/// `buf` does not hold it yet: `buf_j` says which column it holds).
fn column<'b>(
    data: &'b Centered<'_>,
    j: usize,
    buf: &'b mut Vec<f64>,
    buf_j: &mut usize,
) -> &'b [f64] {
    match data.x.col(j).try_as_col_major() {
        Some(c) => c.as_slice(),
        None => {
            if *buf_j != j {
                buf.clear();
                buf.extend(data.x.col(j).iter().copied());
                *buf_j = j;
            }
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
pub(crate) struct DualCheck {
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
fn dual_check(w: &[f64], corr: &mut [f64], rss: f64, penalty: &ElasticNet) -> DualCheck {
    let (l1, l2) = (penalty.l1(), penalty.l2());
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

/// Runs `optim::CoordinateDescent` from `w` (the engine's state must match `w`) for
/// `penalty` (`l1 > 0` or `l2 > 0`), updating `w` in place; the gap tolerance is
/// `settings.tol * scale`.
///
/// Iterations are sweeps: a full sweep over the features not screened out, then sweeps over
/// the non-zero ones until their largest change is below the gap tolerance. After such a round
/// the duality gap is computed (`O(p)` in Gram mode; one pass over `X` in residual mode, where
/// it is skipped while the full sweep still changed a coordinate by more than the tolerance),
/// screening is applied, and the driver records the iteration (history and observer see these
/// checkpoints).
pub(crate) fn solve(
    engine: &mut Engine<'_, '_>,
    w: &mut [f64],
    penalty: Penalty,
    scale: f64,
    settings: CdSettings,
    observer: Option<&mut dyn Observer>,
) -> Result<CdRun> {
    if scale == 0.0 {
        // a constant target: w = 0 is the solution for every penalty
        for (j, wj) in w.iter_mut().enumerate() {
            let delta = -*wj;
            *wj = 0.0;
            if delta != 0.0 {
                match engine {
                    Engine::Gram(l) => l.tracking.update(j, delta),
                    Engine::Residual(l) => l.tracking.update(j, delta),
                }
            }
        }
    }
    let cd = CoordinateDescent::new(ElasticNet::new(penalty.l1, penalty.l2)?)
        .tol(settings.tol * scale)
        .max_iter(settings.max_iter)
        .record_history(settings.record_history);
    let (report, gap) = match engine {
        Engine::Gram(l) => (cd.minimize_with(l, w, observer)?, l.check.gap),
        Engine::Residual(l) => (cd.minimize_with(l, w, observer)?, l.check.gap),
    };
    w.copy_from_slice(&report.x);
    Ok(CdRun { report, gap })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_gap_vanishes_at_a_lasso_solution_and_not_elsewhere() {
        // one feature with Q = 1 and correlation c = 2 at w = 0: the lasso solution is
        // w* = S(2, l1) = 1.5 for l1 = 0.5, with residual correlation l1 = 0.5 there
        let pen = ElasticNet::new(0.5, 0.0).unwrap();
        // at w*: corr = 2 - 1.5 = 0.5, rss = yy - 2 c w + w^2 = yy - 6 + 2.25
        let yy = 5.0;
        let mut corr = [0.5];
        let at_opt = dual_check(&[1.5], &mut corr, yy - 6.0 + 2.25, &pen);
        assert!(at_opt.gap.abs() < 1e-14, "{at_opt:?}");
        assert!(at_opt.kkt.abs() < 1e-14);
        let mut corr = [2.0];
        let at_zero = dual_check(&[0.0], &mut corr, yy, &pen);
        // P(0) - P(w*) = yy/2 - (yy/2 - 3 + 1.125 + 0.75) = 1.125 <= gap
        assert!(at_zero.gap >= 1.125 - 1e-12, "{at_zero:?}");
        assert!((at_zero.kkt - 1.5).abs() < 1e-14);
    }

    #[test]
    fn the_ridge_gap_bounds_the_suboptimality() {
        // P(w) = (yy - 2 c w + q w^2)/2 + l2 w^2 with q = 1, c = 2, l2 = 0.5: w* = 1
        let pen = ElasticNet::new(0.0, 0.5).unwrap();
        let yy = 5.0;
        let p = |w: f64| 0.5 * (yy - 4.0 * w + w * w) + 0.5 * w * w;
        for w in [0.0, 0.5, 1.0, 3.0] {
            let mut corr = [2.0 - w];
            let check = dual_check(&[w], &mut corr, yy - 4.0 * w + w * w, &pen);
            let sub = p(w) - p(1.0);
            assert!(check.gap >= sub - 1e-12, "w={w}: gap {} < {sub}", check.gap);
            assert!((check.primal - p(w)).abs() < 1e-12);
        }
    }
}
