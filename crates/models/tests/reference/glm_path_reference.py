"""Reference numbers for crates/models/tests/glm_path.rs.

Run with `python3 glm_path_reference.py`; prints Rust constants. Produced with glum 3.4.1,
scikit-learn 1.9.1 (its copies of the data), numpy.

Paths use glmnet's penalty lambda [r |w|_1 + (1 - r)/2 |w|^2], which is glum's alpha with
l1_ratio r; lambda_max = max_j |g_j| / r with g the gradient of the mean half deviance at the
intercept-only fit, and the grid is lambda_max * eps^(i / (m - 1)), eps = 1e-3, m = 100.
glum is fitted at three penalties of each grid and the objective of its solution reported.

Data: the diabetes data (features standardized, population sd; target = disease
progression) for Poisson; the breast-cancer data (569 x 30, standardized; 0 = malignant,
1 = benign) for the binomial (logistic) path.
"""
import numpy as np
from glum import GeneralizedLinearRegressor
from sklearn.datasets import load_breast_cancer, load_diabetes

GL = dict(gradient_tol=1e-13, step_size_tol=1e-16, max_iter=100_000, scale_predictors=False)


def standardize(X):
    return (X - X.mean(axis=0)) / X.std(axis=0)


def run(name, X, y, family, r, null_mu, unit_dev):
    n = len(y)
    g = X.T @ (null_mu - y) / n  # d(mean half deviance)/dw at w = 0 (canonical links)
    top = np.abs(g).max() / r
    grid = top * 1e-3 ** (np.arange(100) / 99)
    print(f"const {name}_LAMBDA_MAX: f64 = {float(top)!r};")
    for i in (10, 50, 99):
        lam = grid[i]
        m = GeneralizedLinearRegressor(family=family, alpha=lam, l1_ratio=r, **GL).fit(X, y)
        z = X @ m.coef_ + m.intercept_
        obj = unit_dev(y, z).mean() / 2 + lam * r * np.abs(m.coef_).sum() + lam * (1 - r) / 2 * (m.coef_ ** 2).sum()
        print(f"const {name}_OBJECTIVE_{i}: f64 = {float(obj)!r};")
        print(f"const {name}_NONZERO_{i}: usize = {int((m.coef_ != 0).sum())};")


X, y = load_diabetes(return_X_y=True, scaled=False)
Xs = standardize(X)
poisson_dev = lambda y, z: 2 * (np.where(y > 0, y * (np.log(np.where(y > 0, y, 1)) - z), 0) - y + np.exp(z))
run("POISSON", Xs, y, "poisson", 1.0, y.mean(), poisson_dev)
run("POISSON_EN", Xs, y, "poisson", 0.5, y.mean(), poisson_dev)

Xb, yb = load_breast_cancer(return_X_y=True)
Xbs = standardize(Xb)
binomial_dev = lambda y, z: 2 * (np.logaddexp(0, z) - y * z)
run("LOGISTIC", Xbs, yb, "binomial", 1.0, yb.mean(), binomial_dev)
