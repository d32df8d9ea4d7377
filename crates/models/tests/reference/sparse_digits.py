"""Reference fits for crates/models/tests/sparse_fit.rs.

Digits (1797 x 64, pixel values / 16, 51% zeros, three all-zero columns) as a SciPy CSR
matrix; label 1 for odd digits. Penalties converted to linmod's convention
(l2 = 1/(2 n C), l1 = 1/(n C)); every objective below is evaluated in that convention,
mean log loss + penalty, by numpy at the reference library's solution.

- L2 without intercept: LIBLINEAR -s 0 (trust-region Newton), eps 1e-12.
- L2 with intercept: scikit-learn newton-cholesky, tol 1e-14.
- L1 without intercept: LIBLINEAR -s 6 (newGLMNET), eps 1e-12.
- L1 with intercept: LIBLINEAR -s 6 -B 1 -R (bias not regularized), eps 1e-12.
- Lasso (target: the digit, 0..9) with intercept: scikit-learn Lasso(alpha = 0.01), tol 1e-14
  (l1 = alpha).
- Ridge with intercept: scikit-learn Ridge(alpha = 1.0, solver 'sparse_cg', tol 1e-14)
  (l2 = alpha / (2 n)); objective 1/(2n)|r|^2 + l2 |w|^2.

Run from the repository root: python3 crates/models/tests/reference/sparse_digits.py
(prints Rust constants).
"""
import warnings

import numpy as np
import scipy.sparse as sp
import sklearn
from liblinear import liblinearutil as ll
from sklearn.linear_model import LogisticRegression

warnings.simplefilter("ignore")
d = np.loadtxt("crates/datasets/data/digits.csv", delimiter=",")
X = sp.csr_matrix(d[:, :64] / 16.0)
y = (d[:, 64] % 2 == 1).astype(float)
n = X.shape[0]
print(f"// scikit-learn {sklearn.__version__}, liblinear-official (LIBLINEAR 2.50)")


def objective(w, b, l1, l2):
    z = X @ w + b
    return float(np.mean(np.logaddexp(0, z) - y * z) + l1 * np.abs(w).sum() + l2 * (w**2).sum())


def dump(name, w, b, l1, l2):
    print(f"// {name}: l1 = {l1!r}, l2 = {l2!r}")
    print(f"const {name}_OBJECTIVE: f64 = {objective(w, b, l1, l2)!r};")
    if name.endswith("_INTERCEPT") and not name.endswith("NO_INTERCEPT"):
        print(f"const {name}_INTERCEPT: f64 = {float(b)!r};")
    print(f"const {name}_COEF: [f64; 64] = [" + ", ".join(repr(float(v)) for v in w) + "];")


def liblinear(C, solver, bias):
    labels = [1 if v > 0.5 else -1 for v in y]
    opts = f"-s {solver} -c {C!r} -e 1e-12 -q" + (" -B 1 -R" if bias else "")
    m = ll.train(labels, X, opts)
    w, b = m.get_decfun()
    # LIBLINEAR's decision function is for the first label it saw; flip to label 1
    sign = 1.0 if m.get_labels()[0] == 1 else -1.0
    return sign * np.array(w), sign * b


C = 0.5
w, b = liblinear(C, 0, False)
dump("L2_NO_INTERCEPT", w, 0.0, 0.0, 1 / (2 * n * C))
m = LogisticRegression(C=C, solver="newton-cholesky", tol=1e-14, max_iter=1000).fit(X, y)
dump("L2_INTERCEPT", m.coef_[0], m.intercept_[0], 0.0, 1 / (2 * n * C))
w, b = liblinear(C, 6, False)
dump("L1_NO_INTERCEPT", w, 0.0, 1 / (n * C), 0.0)
w, b = liblinear(C, 6, True)
dump("L1_INTERCEPT", w, b, 1 / (n * C), 0.0)

from sklearn.linear_model import Lasso, Ridge

t = d[:, 64]


def least_squares(w, b, l1, l2):
    r = t - (X @ w + b)
    return float(0.5 * np.mean(r**2) + l1 * np.abs(w).sum() + l2 * (w**2).sum())


def dump_ls(name, w, b, l1, l2):
    print(f"// {name}: l1 = {l1!r}, l2 = {l2!r}")
    print(f"const {name}_OBJECTIVE: f64 = {least_squares(w, b, l1, l2)!r};")
    print(f"const {name}_INTERCEPT: f64 = {float(b)!r};")
    print(f"const {name}_COEF: [f64; 64] = [" + ", ".join(repr(float(v)) for v in w) + "];")


m = Lasso(alpha=0.01, tol=1e-14, max_iter=1000000).fit(X, t)
dump_ls("LASSO", m.coef_, m.intercept_, 0.01, 0.0)
m = Ridge(alpha=1.0, solver="sparse_cg", tol=1e-14, max_iter=100000).fit(X, t)
dump_ls("RIDGE", m.coef_, m.intercept_, 0.0, 1.0 / (2 * n))
