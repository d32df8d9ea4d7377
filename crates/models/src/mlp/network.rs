//! The forward pass and backpropagation on a block of rows, in matrix form.
//!
//! A block of `m` rows `X_b` (`m x p`) goes through
//!
//! ```text
//! H   = g(X_b W1 + 1 b1^T)                        m x h
//! Z^T = W2^T H^T + b2 1^T                         K x m   (a row's logits are contiguous)
//! loss_i = logsumexp(z_i) - z_{i,y_i}
//! ```
//!
//! and back, with `s` the scale of the mean (`1/n` or `1/|B|`):
//!
//! ```text
//! dZ  = s (softmax(Z) - Y)                        m x K   (Y one-hot)
//! dW2 += H^T dZ,   db2 += dZ^T 1
//! dH  = (dZ W2^T) .* g'(A)                        m x h
//! dW1 += X_b^T dH, db1 += dH^T 1
//! ```
//!
//! Five matrix products per block, each `Par::Seq` so that results do not depend on threads;
//! the only per-row loops run over the `K` classes (softmax) and the `h` units (activation).

use linalg_core::faer::Accum;
use linalg_core::{MatMut, MatRef, logsumexp, matmul_seq, softmax_in_place};

use crate::mlp::activation::Activation;
use crate::mlp::architecture::Architecture;

/// Rows per block of the full-data and prediction passes: a block of `X` (256 x 64 x 8 B =
/// 128 KiB for the digits) and its `H` and `dH` stay in the L2 cache together.
pub(crate) const BLOCK_ROWS: usize = 256;

/// The weights of a network, borrowed from a parameter vector.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Network<'a> {
    arch: Architecture,
    activation: Activation,
    w1: MatRef<'a, f64>,
    b1: &'a [f64],
    w2: MatRef<'a, f64>,
    b2: &'a [f64],
}

impl<'a> Network<'a> {
    /// The network with parameters `theta` (layout of [`Architecture`]).
    ///
    /// # Panics
    /// If `theta.len() != arch.dim()`: callers (the objective, the fitted model) hold vectors
    /// of that length by construction.
    pub(crate) fn new(arch: Architecture, activation: Activation, theta: &'a [f64]) -> Self {
        assert_eq!(
            theta.len(),
            arch.dim(),
            "parameter vector has the wrong length"
        );
        let [w1, b1, w2, b2] = arch.split(theta);
        let (p, h, k) = (arch.n_features(), arch.hidden(), arch.n_classes());
        Self {
            arch,
            activation,
            w1: MatRef::from_column_major_slice(w1, p, h),
            b1,
            w2: MatRef::from_column_major_slice(w2, h, k),
            b2,
        }
    }
}

/// Buffers for one block of rows, grown to the largest block seen and then reused: after the
/// first block of a given size, passes allocate nothing.
#[derive(Clone, Debug, Default)]
pub(crate) struct Workspace {
    /// `H` (`m x h`, column-major), kept for the backward pass.
    hidden: Vec<f64>,
    /// `dH` (`m x h`, column-major).
    delta: Vec<f64>,
    /// `Z^T`, then `dZ^T` (`K x m`, column-major).
    logits: Vec<f64>,
}

fn grow(buf: &mut Vec<f64>, len: usize) {
    if buf.len() < len {
        buf.resize(len, 0.0);
    }
}

/// `dst = lhs rhs` or `dst += lhs rhs`, sequentially, leaving the vector unit clean for the
/// activations that follow (see `linalg_core::matmul_seq`).
fn product(dst: MatMut<'_, f64>, accum: Accum, lhs: MatRef<'_, f64>, rhs: MatRef<'_, f64>) {
    matmul_seq(dst, accum, lhs, rhs, 1.0);
}

impl Workspace {
    /// Runs the forward pass on the block `xb`; afterwards
    /// [`logits_mut`](Self::logits_mut) holds the block's logits, row after row.
    pub(crate) fn forward(&mut self, net: &Network<'_>, xb: MatRef<'_, f64>) {
        let (m, h, k) = (xb.nrows(), net.arch.hidden(), net.arch.n_classes());
        if m == 0 {
            return;
        }
        grow(&mut self.hidden, m * h);
        grow(&mut self.logits, k * m);
        let hidden = &mut self.hidden[..m * h];
        product(
            MatMut::from_column_major_slice_mut(hidden, m, h),
            Accum::Replace,
            xb,
            net.w1,
        );
        for (col, &b) in hidden.chunks_exact_mut(m).zip(net.b1) {
            net.activation.apply_with_bias(col, b);
        }
        let logits = &mut self.logits[..k * m];
        product(
            MatMut::from_column_major_slice_mut(logits, k, m),
            Accum::Replace,
            net.w2.transpose(),
            MatRef::from_column_major_slice(hidden, m, h).transpose(),
        );
        for z in logits.chunks_exact_mut(k) {
            z.iter_mut().zip(net.b2).for_each(|(z, b)| *z += b);
        }
    }

    /// The logits of the last forward pass over `m` rows, `K` per row.
    pub(crate) fn logits_mut(&mut self, m: usize, k: usize) -> &mut [f64] {
        &mut self.logits[..k * m]
    }

    /// Forward pass on `xb` with labels `y`; returns `sum_i [logsumexp(z_i) - z_{i,y_i}]` and,
    /// with `grad` (layout of [`Architecture`]), adds the gradient of `scale` times that sum.
    ///
    /// # Panics
    /// If `y` is shorter than the block, a label is not below `K`, or `grad` has the wrong
    /// length (all invariants of the callers).
    pub(crate) fn block(
        &mut self,
        net: &Network<'_>,
        xb: MatRef<'_, f64>,
        y: &[usize],
        scale: f64,
        grad: Option<&mut [f64]>,
    ) -> f64 {
        let (m, k) = (xb.nrows(), net.arch.n_classes());
        if m == 0 {
            return 0.0;
        }
        self.forward(net, xb);
        let logits = self.logits[..k * m].chunks_exact_mut(k).zip(&y[..m]);
        let Some(grad) = grad else {
            return logits.map(|(z, &yi)| logsumexp(z) - z[yi]).sum();
        };
        let mut loss = 0.0;
        for (z, &yi) in logits {
            let zy = z[yi];
            loss += softmax_in_place(z) - zy;
            z[yi] -= 1.0;
            z.iter_mut().for_each(|v| *v *= scale);
        }
        self.backward(net, xb, grad);
        loss
    }

    /// Backpropagates `dZ^T` (in `logits`) through the network, adding into `grad`.
    fn backward(&mut self, net: &Network<'_>, xb: MatRef<'_, f64>, grad: &mut [f64]) {
        let arch = net.arch;
        let (m, p, h, k) = (
            xb.nrows(),
            arch.n_features(),
            arch.hidden(),
            arch.n_classes(),
        );
        let [gw1, gb1, gw2, gb2] = arch.split_mut(grad);
        let dz_t = &self.logits[..k * m];
        for dz in dz_t.chunks_exact(k) {
            gb2.iter_mut().zip(dz).for_each(|(g, d)| *g += d);
        }
        let dz_t = MatRef::from_column_major_slice(dz_t, k, m);
        let hidden = &self.hidden[..m * h];
        product(
            MatMut::from_column_major_slice_mut(gw2, h, k),
            Accum::Add,
            MatRef::from_column_major_slice(hidden, m, h).transpose(),
            dz_t.transpose(),
        );
        grow(&mut self.delta, m * h);
        let delta = &mut self.delta[..m * h];
        product(
            MatMut::from_column_major_slice_mut(delta, m, h),
            Accum::Replace,
            dz_t.transpose(),
            net.w2.transpose(),
        );
        for ((d, hcol), gb) in delta
            .chunks_exact_mut(m)
            .zip(hidden.chunks_exact(m))
            .zip(gb1.iter_mut())
        {
            net.activation.scale_by_derivative(hcol, d);
            *gb += d.iter().sum::<f64>();
        }
        product(
            MatMut::from_column_major_slice_mut(gw1, p, h),
            Accum::Add,
            xb.transpose(),
            MatRef::from_column_major_slice(delta, m, h),
        );
    }
}
