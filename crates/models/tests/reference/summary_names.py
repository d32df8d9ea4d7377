"""Reference table for crates/models/tests/summary_text.rs.

statsmodels' Logit summary of breast cancer's target (1 = benign) on two raw features whose
names are longer than ten characters, "mean radius" and "mean concave points".
Run from the repository root: python3 crates/models/tests/reference/summary_names.py
"""
import numpy as np, pandas as pd, statsmodels, statsmodels.api as sm
d = np.loadtxt('crates/datasets/data/breast_cancer.csv', delimiter=',', skiprows=1)
X = pd.DataFrame({"mean radius": d[:, 0], "mean concave points": d[:, 7]})
r = sm.Logit(d[:, 30], sm.add_constant(X)).fit(disp=0, tol=1e-12)
print("statsmodels", statsmodels.__version__)
print(r.summary())
