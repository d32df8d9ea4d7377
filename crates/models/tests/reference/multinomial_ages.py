"""Reference numbers for the multinomial test of crates/models/tests/exactness.rs.

Run with `python3 multinomial_ages.py` from this directory: writes ../data/multinomial_ages.csv
(the data, 17 significant digits) and prints Rust constants. Produced with numpy 2.4.6 and
statsmodels 0.15.0.

The data: 600 rows, an age column of whole years 20..90 (unscaled), a standard-normal column
and a 0/1 column; three classes drawn from a softmax model with class 0 as the base. The
reference is statsmodels' `MNLogit` (base outcome class 0) fitted by Newton's method until the
parameters change by less than 1e-14, whose parameters are the log-odds of classes 1 and 2 against class 0.
"""
import numpy as np
import statsmodels
import statsmodels.api as sm

rng = np.random.default_rng(20240615)
n = 600
age = rng.integers(20, 91, size=n).astype(float)
z = rng.standard_normal(n)
flag = (rng.random(n) < 0.4).astype(float)
X = np.column_stack([age, z, flag])
# log-odds against class 0: class 1 rises with age, class 2 with z and the flag
eta1 = -3.0 + 0.06 * age + 0.3 * z - 0.5 * flag
eta2 = -1.0 + 0.01 * age - 0.8 * z + 1.0 * flag
eta = np.column_stack([np.zeros(n), eta1, eta2])
prob = np.exp(eta - eta.max(axis=1, keepdims=True))
prob /= prob.sum(axis=1, keepdims=True)
y = np.array([rng.choice(3, p=p) for p in prob]).astype(float)

with open("../data/multinomial_ages.csv", "w") as f:
    f.write("age,z,flag,y\n")
    for row, label in zip(X, y):
        f.write(",".join(repr(float(v)) for v in row) + f",{int(label)}\n")

res = sm.MNLogit(y, sm.add_constant(X)).fit(method="newton", maxiter=100, tol=1e-14, disp=False)
print(f"// numpy {np.__version__}, statsmodels {statsmodels.__version__}; converged: {res.mle_retvals['converged']}, "
      f"{res.mle_retvals['iterations']} iterations")
# params: (p + 1) x (K - 1), rows const, age, z, flag; columns y=1, y=2
for name, m in [("MNLOGIT_PARAMS", res.params), ("MNLOGIT_BSE", res.bse)]:
    m = np.asarray(m)
    rows = ", ".join("[" + ", ".join(repr(float(v)) for v in m[:, c]) + "]" for c in range(m.shape[1]))
    print(f"const {name}: [[f64; 4]; 2] = [{rows}];")
print(f"const MNLOGIT_LLF: f64 = {float(res.llf)!r};")
print(f"const MNLOGIT_LLNULL: f64 = {float(res.llnull)!r};")
