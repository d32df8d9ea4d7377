"""Reference designs for crates/datasets/tests/formula_patsy.rs.

Builds the design matrices of a few formulas on the embedded Palmer penguins table
(crates/datasets/data/penguins.csv) with patsy, as statsmodels' formula API does
(missing rows dropped), and prints, for each formula, the number of rows, the column names
(the intercept excluded: linmod fits it apart) and each column's sum and sum of squares.

Run from the repository root: python3 crates/datasets/tests/reference/formula_designs.py
(pandas 2, patsy 1.0).
"""
import numpy as np  # noqa: F401  (the formulas call np.log)
import pandas as pd
import patsy

FORMULAS = [
    "body_mass_g ~ bill_length_mm + species + sex",
    "body_mass_g ~ C(island, Treatment(reference='Dream')) * sex",
    "body_mass_g ~ flipper_length_mm:species + np.log(bill_depth_mm) + I(bill_length_mm**2) - 1",
    "body_mass_g ~ 0 + species:sex + island",
    "body_mass_g ~ C(year) + bill_depth_mm*species",
    "body_mass_g ~ species + C(year, Treatment(2009)):sex",
    "np.log(body_mass_g) ~ I(flipper_length_mm / 10 - 20) + species:island",
    "body_mass_g ~ sex:bill_length_mm + species:sex:bill_depth_mm",
]



def rust(s):
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


df = pd.read_csv("crates/datasets/data/penguins.csv")
for f in FORMULAS:
    y, x = patsy.dmatrices(f, df, NA_action="drop", return_type="dataframe", eval_env=0)
    names = [c for c in x.columns if c != "Intercept"]
    print("    Case {")
    print(f"        formula: {rust(f)},")
    print(f"        rows: {len(x)},")
    print(f"        intercept: {str('Intercept' in x.columns).lower()},")
    print(f"        names: &[{', '.join(rust(n) for n in names)}],")
    print(f"        y_sum: {float(y.iloc[:, 0].sum())!r},")
    print(f"        sums: &{[float(x[c].sum()) for c in names]!r},")
    print(f"        squares: &{[float((x[c] ** 2).sum()) for c in names]!r},")
    print("    },")
