"""Reference numbers for crates/models/tests/glm_exactness.rs and glm_penalized.rs.

Run with `python3 glm_reference.py` from this directory; prints Rust constants. Produced with
statsmodels 0.15.0, scikit-learn 1.9.1, glum 3.4.1, scipy 1.17.1, numpy.

Data: scikit-learn's `load_diabetes(scaled=False)` (identical to crates/datasets/data/diabetes_*):
442 patients, 10 raw baseline variables, target = disease progression (integers 25..346); and
../shared/data/chd_age.csv (33 rows of age and signs of coronary heart disease) grouped by age
into successes out of trials.

statsmodels' GLM reproduces R's glm for coefficients, deviances, Pearson chi-squared, the
dispersion (Pearson / df_resid) and the standard errors (expected information times the
dispersion); R's AIC and log-likelihood are computed here by hand where they differ from
statsmodels' (Gamma: R uses the dispersion deviance / sum(weights) and counts it as a
parameter; binomial: R's dbinom of the counts).
"""
from pathlib import Path

import numpy as np
import statsmodels.api as sm
from scipy import stats
from sklearn.datasets import load_diabetes
from sklearn.linear_model import GammaRegressor, PoissonRegressor, TweedieRegressor
from glum import GeneralizedLinearRegressor

X, y = load_diabetes(return_X_y=True, scaled=False)
n = len(y)
NAMES = ["age", "sex", "bmi", "bp", "s1", "s2", "s3", "s4", "s5", "s6"]
fam = sm.families
links = sm.families.links


def arr(v):
    return "[" + ", ".join(repr(float(a)) for a in v) + "]"


def show(name, res, extra=None):
    print(f"// {name}")
    print(f"const {name}_PARAMS: [f64; {len(res.params)}] = {arr(res.params)};")
    print(f"const {name}_BSE: [f64; {len(res.bse)}] = {arr(res.bse)};")
    print(f"const {name}_DEVIANCE: f64 = {float(res.deviance)!r};")
    print(f"const {name}_NULL_DEVIANCE: f64 = {float(res.null_deviance)!r};")
    print(f"const {name}_PEARSON: f64 = {float(res.pearson_chi2)!r};")
    print(f"const {name}_SCALE: f64 = {float(res.scale)!r};")
    for k, v in (extra or {}).items():
        print(f"const {name}_{k}: f64 = {float(v)!r};")
    print()


def fit(endog, exog, family, **kw):
    return sm.GLM(endog, exog, family=family, **kw).fit(tol=1e-15, maxiter=1000)


cols = lambda names: X[:, [NAMES.index(c) for c in names]]
X1 = sm.add_constant(X)

# 1. Poisson, all ten raw features (R's AIC = statsmodels' for Poisson)
r = fit(y, X1, fam.Poisson())
show("POISSON", r, {"AIC": r.aic, "LLF": r.llf})

# 2. Poisson with an exposure (age) and prior weights (sex, 1 or 2) on bmi, bp, s5
Xb = sm.add_constant(cols(["bmi", "bp", "s5"]))
age, sex = X[:, 0], X[:, 1]
r = fit(y, Xb, fam.Poisson(), exposure=age, var_weights=sex)
llf = np.sum(sex * stats.poisson.logpmf(y, r.mu))
show("POISSON_EXPOSURE", r, {"AIC": -2 * llf + 2 * 4, "LLF": llf})

# 3. Gamma, log link, all ten features: R's AIC by hand
def gamma_r(res, w, rank):
    disp = res.deviance / np.sum(w)
    ll = np.sum(w * stats.gamma.logpdf(y, a=1 / disp, scale=res.mu * disp))
    return {"AIC": -2 * ll + 2 + 2 * rank, "LLF": ll}

r = fit(y, X1, fam.Gamma(links.Log()))
show("GAMMA_LOG", r, gamma_r(r, np.ones(n), 11))

# 4. Gamma, inverse link, on bmi, bp, s5, with prior weights
r = fit(y, Xb, fam.Gamma(links.InversePower()), var_weights=sex)
show("GAMMA_INVERSE", r, gamma_r(r, sex, 4))

# 5. Tweedie p = 1.5 and p = 3, log link
r = fit(y, X1, fam.Tweedie(var_power=1.5, link=links.Log()))
show("TWEEDIE15", r)
Xc = sm.add_constant(cols(["bmi", "s5"]))
r = fit(y, Xc, fam.Tweedie(var_power=3.0, link=links.Log()))
show("TWEEDIE3", r)

# 6. Poisson without an intercept, offset log(age): R's null deviance has mu = exp(offset)
Xd = cols(["bmi", "bp"]) / 100.0
r = fit(y, Xd, fam.Poisson(), offset=np.log(age))
mu0 = np.exp(np.log(age))
null = np.sum(2 * (y * np.log(y / mu0) - y + mu0))
show("POISSON_NOINT", r, {"R_NULL_DEVIANCE": null})

# 7. binomial counts: chd by age, successes out of trials
chd = np.loadtxt(Path(__file__).resolve().parents[4] / ".." / "shared/data/chd_age.csv",
                 delimiter=",", skiprows=1)
ages = np.unique(chd[:, 0])
succ = np.array([chd[chd[:, 0] == a, 1].sum() for a in ages])
trials = np.array([(chd[:, 0] == a).sum() for a in ages], dtype=float)
print(f"const CHD_AGES: [f64; {len(ages)}] = {arr(ages)};")
print(f"const CHD_SUCCESSES: [f64; {len(ages)}] = {arr(succ)};")
print(f"const CHD_TRIALS: [f64; {len(ages)}] = {arr(trials)};")
r = fit(np.column_stack([succ, trials - succ]), sm.add_constant(ages), fam.Binomial())
ll = np.sum(stats.binom.logpmf(succ, trials, r.mu))
show("BINOMIAL_COUNTS", r, {"AIC": -2 * ll + 2 * 2, "LLF": ll})

# penalized fits on standardized features (population standard deviation)
Xs = (X - X.mean(axis=0)) / X.std(axis=0)


def objective(coef, b, family, power, l1, l2):
    mu = np.exp(Xs @ coef + b)
    if family == "poisson":
        dev = 2 * (np.where(y > 0, y * np.log(y / mu), 0) - y + mu)
    elif family == "gamma":
        dev = 2 * (y / mu - np.log(y / mu) - 1)
    else:
        p = power
        dev = 2 * (y ** (2 - p) / ((1 - p) * (2 - p)) - y * mu ** (1 - p) / (1 - p) + mu ** (2 - p) / (2 - p))
    return dev.mean() / 2 + l1 * np.abs(coef).sum() + l2 * (coef ** 2).sum()


def show_pen(name, coef, b, family, power, l1, l2):
    print(f"// {name}: l1 = {l1!r}, l2 = {l2!r}")
    print(f"const {name}_COEF: [f64; 10] = {arr(coef)};")
    print(f"const {name}_INTERCEPT: f64 = {float(b)!r};")
    print(f"const {name}_OBJECTIVE: f64 = {float(objective(coef, b, family, power, l1, l2))!r};")
    print()


TIGHT = dict(solver="newton-cholesky", tol=1e-14, max_iter=10_000)
m = PoissonRegressor(alpha=0.01, **TIGHT).fit(Xs, y)
show_pen("SK_POISSON", m.coef_, m.intercept_, "poisson", 1, 0.0, 0.01 / 2)
m = GammaRegressor(alpha=0.1, **TIGHT).fit(Xs, y)
show_pen("SK_GAMMA", m.coef_, m.intercept_, "gamma", 2, 0.0, 0.1 / 2)
m = TweedieRegressor(power=1.5, link="log", alpha=0.1, **TIGHT).fit(Xs, y)
show_pen("SK_TWEEDIE", m.coef_, m.intercept_, "tweedie", 1.5, 0.0, 0.1 / 2)

GL = dict(gradient_tol=1e-13, step_size_tol=1e-16, max_iter=10_000, scale_predictors=False)
m = GeneralizedLinearRegressor(family="poisson", alpha=0.05, l1_ratio=0.5, **GL).fit(Xs, y)
show_pen("GLUM_POISSON_EN", m.coef_, m.intercept_, "poisson", 1, 0.05 * 0.5, 0.05 * 0.5 / 2)
m = GeneralizedLinearRegressor(family="gamma", alpha=0.02, l1_ratio=1.0, **GL).fit(Xs, y)
show_pen("GLUM_GAMMA_L1", m.coef_, m.intercept_, "gamma", 2, 0.02, 0.0)
m = GeneralizedLinearRegressor(family="tweedie", alpha=0.05, l1_ratio=0.5, **GL,
                               ).set_params(family=__import__("glum").TweedieDistribution(1.5)).fit(Xs, y)
show_pen("GLUM_TWEEDIE_EN", m.coef_, m.intercept_, "tweedie", 1.5, 0.05 * 0.5, 0.05 * 0.5 / 2)
