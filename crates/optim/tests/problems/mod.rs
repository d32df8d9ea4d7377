//! Problems shared by the solver tests.

/// The lasso `1/(2n) |A w - y|^2 + l1 |w|_1` on a fixed 40 x 6 design with a sparse truth,
/// written as the quadratic `w^T Q w / 2 + c^T w` (plus a constant): `(Q, c)`, `Q` row-major.
pub fn lasso_quadratic() -> (Vec<f64>, Vec<f64>) {
    let (n, p) = (40, 6);
    let a: Vec<f64> = (0..n * p)
        .map(|k| ((k * 7919) % 113) as f64 / 56.5 - 1.0)
        .collect();
    let truth = [2.0, 0.0, -1.5, 0.0, 0.0, 0.4];
    let y: Vec<f64> = (0..n)
        .map(|i| {
            (0..p).map(|j| a[i * p + j] * truth[j]).sum::<f64>() + 0.05 * ((i as f64) * 1.3).sin()
        })
        .collect();
    // 1/(2n)|Aw - y|^2 = w^T (A^T A / n) w / 2 - (A^T y / n).w + const
    let mut ata = vec![0.0; p * p];
    let mut aty = vec![0.0; p];
    for i in 0..n {
        for j in 0..p {
            aty[j] -= a[i * p + j] * y[i] / n as f64;
            for k in 0..p {
                ata[j * p + k] += a[i * p + j] * a[i * p + k] / n as f64;
            }
        }
    }
    (ata, aty)
}
