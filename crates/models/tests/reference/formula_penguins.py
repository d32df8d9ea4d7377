"""Reference fits for crates/models/tests/formula_penguins.rs and crates/cli/tests/formula.rs.

statsmodels' formula API with missing="drop" on the embedded Palmer penguins table
(crates/datasets/data/penguins.csv: text columns species, island, sex; NA gaps), plus a
derived 0/1 column `male` (1 for sex == "male", missing where sex is missing) for the logit.
Prints the names, coefficients and standard errors, and predictions on raw new rows
(NEW_ROWS: text levels, no target, extra columns).

Run from the repository root: python3 crates/models/tests/reference/formula_penguins.py
(statsmodels 0.14, pandas 2, patsy 1.0).
"""
import numpy as np  # noqa: F401  (the formulas call np.log)
import pandas as pd
import statsmodels.formula.api as smf

df = pd.read_csv("crates/datasets/data/penguins.csv")
df["male"] = np.where(df["sex"].isna(), np.nan, (df["sex"] == "male").astype(float))

OLS = ("body_mass_g ~ flipper_length_mm + C(species, Treatment(reference='Gentoo')) * sex"
       " + np.log(bill_depth_mm) + I(bill_length_mm**2)")
LOGIT = "male ~ bill_depth_mm + body_mass_g + species + C(year)"

NEW_ROWS = "crates/models/tests/data/penguins_new_rows.csv"


def show(name, fit):
    print(f"// {name}: {fit.model.formula}")
    print(f"names: {list(fit.params.index)}")
    print(f"coef: [{', '.join(repr(float(v)) for v in fit.params)}]")
    print(f"se: [{', '.join(repr(float(v)) for v in fit.bse)}]")
    print(f"nobs: {int(fit.nobs)}")


new = pd.read_csv(NEW_ROWS)
ols = smf.ols(OLS, df, missing="drop").fit()
show("ols", ols)
print(f"predict: [{', '.join(repr(float(v)) for v in ols.predict(new))}]")
logit = smf.logit(LOGIT, df, missing="drop").fit(method="newton", tol=1e-14, maxiter=100, disp=0)
show("logit", logit)
print(f"predict: [{', '.join(repr(float(v)) for v in logit.predict(new))}]")
