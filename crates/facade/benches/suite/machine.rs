//! What the machine can do, measured in the same run as the cases: sustained read bandwidth
//! and a dense matrix-product flop rate.

use std::hint::black_box;
use std::time::Instant;

use linmod::linalg::Mat;
use linmod::linalg::faer::linalg::matmul::matmul;
use linmod::linalg::faer::{Accum, Par};
use rayon::prelude::*;
use serde::Serialize;

#[derive(Serialize, Clone, Debug)]
pub(crate) struct Machine {
    pub(crate) cpu: String,
    pub(crate) cores: usize,
    pub(crate) threads: usize,
    pub(crate) linmod_version: String,
    /// Read bandwidth with all threads, bytes per second.
    pub(crate) read_bandwidth: f64,
    /// Read bandwidth with one thread, bytes per second.
    pub read_bandwidth_1: f64,
    /// Matrix-product rate with all threads, flop per second.
    pub(crate) gemm_flops: f64,
    pub(crate) bandwidth_buffer_bytes: usize,
}

fn cpu_model() -> String {
    std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|t| {
            t.lines()
                .find(|l| l.starts_with("model name"))
                .map(|l| l.split(':').nth(1).unwrap_or("").trim().to_string())
        })
        .unwrap_or_else(|| "unknown".into())
}

/// Best of `reps` timings of `f`.
pub(crate) fn best_of(reps: usize, mut f: impl FnMut()) -> f64 {
    (0..reps)
        .map(|_| {
            let t = Instant::now();
            f();
            t.elapsed().as_secs_f64()
        })
        .fold(f64::INFINITY, f64::min)
}

/// Sums a buffer of `bytes` bytes: the time to stream it from memory.
fn read_bandwidth(buf: &[f64], parallel: bool) -> f64 {
    let secs = best_of(5, || {
        let s: f64 = if parallel {
            buf.par_chunks(1 << 16).map(|c| c.iter().sum::<f64>()).sum()
        } else {
            buf.chunks(1 << 16).map(|c| c.iter().sum::<f64>()).sum()
        };
        black_box(s);
    });
    std::mem::size_of_val(buf) as f64 / secs
}

pub(crate) fn measure(quick: bool) -> Machine {
    let bytes = if quick { 80 << 20 } else { 800 << 20 };
    let buf: Vec<f64> = (0..bytes / 8).map(|i| (i % 7) as f64).collect();
    let read_bandwidth = read_bandwidth(&buf, true);
    let read_bandwidth_1 = read_bandwidth_1thread(&buf);
    drop(buf);
    let n = if quick { 500 } else { 1500 };
    let a = Mat::<f64>::from_fn(n, n, |i, j| ((i * 3 + j) % 11) as f64 - 5.0);
    let b = Mat::<f64>::from_fn(n, n, |i, j| ((i + 2 * j) % 13) as f64 - 6.0);
    let mut c = Mat::<f64>::zeros(n, n);
    let secs = best_of(3, || {
        matmul(
            c.as_mut(),
            Accum::Replace,
            a.as_ref(),
            b.as_ref(),
            1.0,
            Par::rayon(0),
        )
    });
    black_box(&c);
    Machine {
        cpu: cpu_model(),
        cores: std::thread::available_parallelism().map_or(1, usize::from),
        threads: rayon::current_num_threads(),
        linmod_version: env!("CARGO_PKG_VERSION").into(),
        read_bandwidth,
        read_bandwidth_1,
        gemm_flops: 2.0 * (n as f64).powi(3) / secs,
        bandwidth_buffer_bytes: bytes,
    }
}

fn read_bandwidth_1thread(buf: &[f64]) -> f64 {
    read_bandwidth(buf, false)
}
