"""Reference fits for crates/models/tests/logistic_real_data.rs.

Breast cancer (569 x 30), features standardized with the population standard deviation,
scikit-learn's LogisticRegression with converted penalties (l2 = 1/(2 n C), l1 = 1/(n C)).
Run: python3 logistic_breast_cancer.py (prints Rust arrays).
"""
import numpy as np, sklearn, warnings
from sklearn.linear_model import LogisticRegression
warnings.simplefilter("ignore")
d = np.loadtxt('crates/datasets/data/breast_cancer.csv', delimiter=',', skiprows=1)
X, y = d[:, :30], d[:, 30]
X = (X - X.mean(0)) / X.std(0)
n = X.shape[0]
print("// scikit-learn", sklearn.__version__)
def obj(coef, b, l1, l2):
    z = X @ coef + b
    return np.mean(np.logaddexp(0, z) - y * z) + l1 * np.abs(coef).sum() + l2 * (coef ** 2).sum()
def dump(name, m, l1, l2):
    c = m.coef_[0]
    print(f"// {name}: objective {float(obj(c, m.intercept_[0], l1, l2))!r}")
    print(f"const {name}_INTERCEPT: f64 = {float(m.intercept_[0])!r};")
    print(f"const {name}_COEF: [f64; 30] = [" + ", ".join(repr(float(v)) for v in c) + "];")
for C, name in [(0.1, "L2_C0_1"), (1.0, "L2_C1")]:
    m = LogisticRegression(C=C, solver='newton-cholesky', tol=1e-14, max_iter=1000).fit(X, y)
    dump(name, m, 0, 1 / (2 * n * C))
for C, name in [(0.1, "L1_C0_1"), (1.0, "L1_C1")]:
    m = LogisticRegression(C=C, l1_ratio=1.0, solver='saga', tol=1e-15, max_iter=2000000).fit(X, y)
    dump(name, m, 1 / (n * C), 0)
