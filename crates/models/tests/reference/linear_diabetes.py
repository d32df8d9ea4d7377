"""Reference numbers for crates/models/tests/linear_diabetes.rs.

Run with `python3 linear_diabetes.py`; prints Rust constants. Produced with scikit-learn 1.9.1,
numpy 2.4.6, statsmodels 0.15.0. The diabetes data are scikit-learn's `load_diabetes(scaled=False)`
(identical to crates/datasets/data/diabetes_*.csv), standardized with the population standard
deviation (ddof = 0), raw target.
"""
import numpy as np
import sklearn
import statsmodels
from sklearn.datasets import load_diabetes
from sklearn.linear_model import ElasticNet, Lasso, LinearRegression, Ridge, lasso_path

X, y = load_diabetes(return_X_y=True, scaled=False)
Xs = (X - X.mean(axis=0)) / X.std(axis=0)
n = len(y)
names = ["age", "sex", "bmi", "bp", "s1", "s2", "s3", "s4", "s5", "s6"]
TIGHT = dict(tol=1e-14, max_iter=10_000_000)


def show(name, model, extra=""):
    coef = ", ".join(repr(float(c)) for c in model.coef_)
    print(f"// {name}{extra}")
    print(f"const {name}_COEF: [f64; 10] = [{coef}];")
    print(f"const {name}_INTERCEPT: f64 = {float(model.intercept_)!r};")


print(f"// scikit-learn {sklearn.__version__}, numpy {np.__version__}, statsmodels {statsmodels.__version__}")
ols = LinearRegression().fit(Xs, y)
show("OLS", ols)
print(f"const OLS_R2: f64 = {ols.score(Xs, y)!r};")

show("RIDGE", Ridge(alpha=100.0, solver="cholesky").fit(Xs, y), ": Ridge(alpha=100)")
show("LASSO", Lasso(alpha=1.0, **TIGHT).fit(Xs, y), ": Lasso(alpha=1)")
show("ENET", ElasticNet(alpha=0.5, l1_ratio=0.7, **TIGHT).fit(Xs, y), ": ElasticNet(alpha=0.5, l1_ratio=0.7)")

# weights normalized to sum to n, so that Ridge's sum-of-squares alpha converts with n
s = 0.5 + (np.arange(n) % 5) / 2.0
s = s * n / s.sum()
show("RIDGE_W", Ridge(alpha=100.0, solver="cholesky").fit(Xs, y, sample_weight=s),
     ": Ridge(alpha=100), weights 0.5 + (i % 5)/2")
show("LASSO_W", Lasso(alpha=1.0, **TIGHT).fit(Xs, y, sample_weight=s),
     ": Lasso(alpha=1), weights 0.5 + (i % 5)/2")

alphas, coefs, _ = lasso_path(Xs, y - y.mean(), alphas=100, eps=1e-3, tol=1e-14, max_iter=10**7)
print(f"const LAMBDA_MAX: f64 = {float(alphas[0])!r};")
entry = []
for k in range(coefs.shape[1]):
    for j in np.nonzero(coefs[:, k])[0]:
        if names[j] not in entry:
            entry.append(names[j])
print("// order in which variables enter the lasso path:", entry)
