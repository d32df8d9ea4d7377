"""High-precision references for crates/models/tests/exactness.rs.

Run with `python3 exactness.py` from this directory; prints Rust constants. Produced with
mpmath 1.3.0 at 60 significant digits (statsmodels 0.15.0 for the logistic cross-check).

Every data set is generated here and in the Rust test by the same f64 formulas (IEEE
arithmetic evaluated in the same order gives the same doubles in both languages), and each
test asserts that its generated data match by a checksum printed below. The references are
the exact answers for those doubles: least squares by the normal equations in 60-digit
arithmetic (the data's condition numbers, below 1e13 after scaling, leave more than 30 correct
digits), the lasso by coordinate descent in 60-digit arithmetic to a change below 1e-45, the
logistic maximum-likelihood estimate by Newton's method in 60-digit arithmetic, and means and
standard deviations of columns directly.
"""
from fractions import Fraction

import mpmath as mp

mp.mp.dps = 60


def two_prod(a, b):
    """The f64 product and its exact error (what an FMA gives), via exact rationals."""
    p = a * b
    return p, float(Fraction(a) * Fraction(b) - Fraction(p))


def two_sum(a, b):
    s = a + b
    bb = s - a
    return s, (a - (s - bb)) + (b - bb)


def power(x, k):
    """linalg_core::pow_compensated: x^k carried in double-double, rounded once."""
    hi, lo = 1.0, 0.0
    for _ in range(k):
        p, e = two_prod(hi, x)
        hi, lo = two_sum(p, lo * x + e)
    return hi + lo


def checksum(rows):
    """The f64 sum of all entries, row by row (the Rust tests add them in the same order)."""
    total = 0.0
    for r in rows:
        for v in r:
            total += v
    return total


def lstsq(rows, y, intercept=True):
    """Least squares on the exact doubles: coefficients (intercept first) and standard errors."""
    X = [([mp.mpf(1)] if intercept else []) + [mp.mpf(v) for v in r] for r in rows]
    A = mp.matrix(X)
    b = mp.matrix([mp.mpf(v) for v in y])
    ata = A.T * A
    beta = mp.lu_solve(ata, A.T * b)
    res = b - A * beta
    n, k = A.rows, A.cols
    sigma2 = sum(r * r for r in res) / (n - k)
    inv = mp.inverse(ata)
    se = [mp.sqrt(sigma2 * inv[j, j]) for j in range(k)]
    return [beta[j] for j in range(k)], se


def rust(name, values):
    """A Rust constant: each value rounded to the nearest double, printed to round-trip."""
    print(f"const {name}: [f64; {len(values)}] = [{', '.join(repr(float(v)) for v in values)}];")


# 1. A degree-10 polynomial in x on [2, 4.95]: condition number 9e9 after centering and
#    scaling the columns to unit norm (Filip's is 4e9).
poly_x = [2.0 + 0.05 * i for i in range(60)]
poly_rows = [[power(x, k) for k in range(1, 11)] for x in poly_x]
poly_y = [0.5 + 0.3 * x - 0.02 * x * x * x + ((i * 37 % 11) - 5) * 1e-3 for i, x in enumerate(poly_x)]
beta, se = lstsq(poly_rows, poly_y)
print(f"// polynomial design: checksum {checksum(poly_rows)!r}, y checksum {checksum([poly_y])!r}")
rust("POLY_COEF", beta)
rust("POLY_SE", se)

# 2. An ordinary design: four integer-valued columns of different scales, an intercept.
ord_rows = [[float((i * 7) % 13) - 6.0, float((i * 11) % 17) * 100.0, float((i * 5) % 9) / 8.0,
             1000.0 + float((i * 3) % 7)] for i in range(50)]
ord_y = [1.5 - 0.25 * r[0] + 0.002 * r[1] + 3.0 * r[2] - 0.1 * r[3] + ((i * 13 % 7) - 3) * 0.01
         for i, r in enumerate(ord_rows)]
beta, se = lstsq(ord_rows, ord_y)
print(f"// ordinary design: checksum {checksum(ord_rows)!r}, y checksum {checksum([ord_y])!r}")
rust("ORDINARY_COEF", beta)
rust("ORDINARY_SE", se)

# 3. A near-collinear pair: x and x + 1e-9 noise (condition number about 2e9).
pair_rows = []
for i in range(40):
    a = 0.25 * i - 3.0
    pair_rows.append([a, a + 1e-9 * float((i * 37 % 11) - 5)])
pair_y = [r[0] + 2.0 * r[1] + 0.01 * float((i * 13 % 7) - 3) for i, r in enumerate(pair_rows)]
beta, se = lstsq(pair_rows, pair_y)
print(f"// near-collinear pair: checksum {checksum(pair_rows)!r}, y checksum {checksum([pair_y])!r}")
rust("PAIR_COEF", beta)
rust("PAIR_SE", se)

# 4. Targets of magnitude 1e154 .. 1e300: OLS and the lasso (l1 = 0.2 * magnitude).
big_rows = [[float((i * 7) % 17) - 8.0, float((i * 7 + 13) % 17) - 8.0] for i in range(40)]
print(f"// scaled targets: checksum {checksum(big_rows)!r}")
for tag, m in [("154", 1e154), ("200", 1e200), ("250", 1e250), ("300", 1e300)]:
    y = [(3.0 * r[0] - 2.0 * r[1] + 1.0 + float((i * 37) % 11 - 5) / 10.0) * m for i, r in enumerate(big_rows)]
    beta, _ = lstsq(big_rows, y)
    rust(f"OLS_{tag}", beta)
    # the lasso on the centered problem by coordinate descent in 60 digits
    n = len(y)
    X = [[mp.mpf(v) for v in r] for r in big_rows]
    Y = [mp.mpf(v) for v in y]
    xm = [sum(r[j] for r in X) / n for j in range(2)]
    ym = sum(Y) / n
    Xc = [[r[j] - xm[j] for j in range(2)] for r in X]
    Yc = [v - ym for v in Y]
    l1 = mp.mpf(0.2 * m)
    q = [sum(r[j] ** 2 for r in Xc) / n for j in range(2)]
    w = [mp.mpf(0), mp.mpf(0)]
    for sweep in range(10000):
        change = mp.mpf(0)
        for j in range(2):
            r = [Yc[i] - sum(Xc[i][k] * w[k] for k in range(2)) for i in range(n)]
            c = sum(Xc[i][j] * r[i] for i in range(n)) / n + q[j] * w[j]
            new = mp.sign(c) * max(abs(c) - l1, 0) / q[j]
            change = max(change, abs(new - w[j]))
            w[j] = new
        if change < mp.mpf(m) * mp.mpf("1e-45"):
            break
    b0 = ym - sum(xm[j] * w[j] for j in range(2))
    rust(f"LASSO_{tag}", [b0] + w)

# 5. StandardScaler on columns of magnitude 1e154 .. 1e300 (and 1e-170, whose squares underflow).
for tag, m in [("154", 1e154), ("300", 1e300), ("TINY", 1e-170)]:
    col = [(float((i * 7) % 13) - 6.0 + 0.25 * i) * m for i in range(30)]
    v = [mp.mpf(c) for c in col]
    mean = sum(v) / len(v)
    std = mp.sqrt(sum((c - mean) ** 2 for c in v) / len(v))
    print(f"// scaler {tag}: checksum {checksum([col])!r}")
    rust(f"SCALER_{tag}", [mean, std])

# 6. Logistic regression on a dose of magnitude 1e6 (the classes overlap): the MLE by
#    Newton's method in 60 digits, which gradient descent with the default learning rate
#    cannot reach (it diverges).
dose = [float((i * 37) % 101 - 50) * 2e4 for i in range(200)]
label = [1.0 if (i * 7 + i // 3) % 5 < 2 + (1 if d > 0 else 0) else 0.0 for i, d in enumerate(dose)]
th = [mp.mpf(0), mp.mpf(0)]
for _ in range(100):
    g = [mp.mpf(0), mp.mpf(0)]
    h = [[mp.mpf(0)] * 2 for _ in range(2)]
    for d, yv in zip(dose, label):
        xv = [mp.mpf(1), mp.mpf(d)]
        z = th[0] + th[1] * xv[1]
        p = 1 / (1 + mp.exp(-z))
        for a in range(2):
            g[a] += (p - yv) * xv[a]
            for b in range(2):
                h[a][b] += p * (1 - p) * xv[a] * xv[b]
    step = mp.lu_solve(mp.matrix(h), mp.matrix(g))
    th = [th[0] - step[0], th[1] - step[1]]
    if max(abs(step[0]), abs(step[1]) * 1e6) < mp.mpf("1e-50"):
        break
print(f"// dose: checksum {checksum([dose])!r}, labels {sum(label)!r}")
rust("DOSE_MLE", th)

# 7. Generated problems of the shapes of NIST's StRD linear-regression suite (whose certified
#    files are not part of the repository: `cargo run -p linmod-models --example nist_strd --
#    DIR` checks them). Each is exact arithmetic on the doubles both languages generate.
#    a) Filip's shape: a degree-10 polynomial in x on [-8.8, -3.13], 82 points.
filip_x = [-8.8 + 0.07 * i for i in range(82)]
filip_rows = [[power(x, k) for k in range(1, 11)] for x in filip_x]
filip_y = [0.85 + 0.005 * x - 0.0004 * x * x + ((i * 37 % 11) - 5) * 1e-4 for i, x in enumerate(filip_x)]
beta, se = lstsq(filip_rows, filip_y)
print(f"// Filip-shaped design: checksum {checksum(filip_rows)!r}, y checksum {checksum([filip_y])!r}")
rust("FILIP_COEF", beta)
rust("FILIP_SE", se)

#    b) Pontius' shape: y = b0 + b1 x + b2 x^2 with x up to 3e6 (x^2 near 1e13).
pont_x = [1.5e5 * float(i % 20 + 1) + 7.0 * float(i) for i in range(40)]
pont_rows = [[x, x * x] for x in pont_x]
pont_y = [0.67 + 7.3e-7 * x - 3.2e-15 * x * x + ((i * 13 % 7) - 3) * 1e-6 for i, x in enumerate(pont_x)]
beta, se = lstsq(pont_rows, pont_y)
print(f"// Pontius-shaped design: checksum {checksum(pont_rows)!r}, y checksum {checksum([pont_y])!r}")
rust("PONTIUS_COEF", beta)
rust("PONTIUS_SE", se)

#    c) NoInt's shape: y = b1 x without an intercept.
noint_x = [60.0 + float(i) for i in range(11)]
noint_y = [130.0 + float(i) + ((i * 7 % 3) - 1) * 0.5 for i in range(11)]
beta, se = lstsq([[x] for x in noint_x], noint_y, intercept=False)
print(f"// NoInt-shaped design: checksum {checksum([noint_x])!r}, y checksum {checksum([noint_y])!r}")
rust("NOINT_COEF", beta)
rust("NOINT_SE", se)

#    d) Longley's shape: 16 yearly rows of six trending, nearly collinear economic series.
long_rows = []
for i in range(16):
    t = float(i)
    long_rows.append([83.0 + 2.5 * t + float((i * 7) % 5) * 0.3,
                      234289.0 + 12000.0 * t + float((i * 11) % 7) * 500.0,
                      2356.0 + 100.0 * t + float((i * 5) % 9) * 150.0,
                      1590.0 + 90.0 * t + float((i * 3) % 8) * 20.0,
                      107608.0 + 1300.0 * t + float((i * 3) % 4) * 40.0,
                      1947.0 + t])
long_y = [60323.0 + 800.0 * float(i) + float((i * 37) % 11 - 5) * 30.0 for i in range(16)]
beta, se = lstsq(long_rows, long_y)
print(f"// Longley-shaped design: checksum {checksum(long_rows)!r}, y checksum {checksum([long_y])!r}")
rust("LONGLEY_COEF", beta)
rust("LONGLEY_SE", se)

#    e) Wampler's shape: degree 5 in x = 0, ..., 20. An exact fit with integer data (every
#       coefficient 1), one with decimal coefficients (not binary fractions), and one with
#       noise of magnitude 1e4.
wamp_x = [float(i) for i in range(21)]
wamp_rows = [[power(x, k) for k in range(1, 6)] for x in wamp_x]
wamp1_y = [1.0 + x + x ** 2 + x ** 3 + x ** 4 + x ** 5 for x in wamp_x]
wamp2_y = [1.0 + 0.1 * x + 0.01 * x ** 2 + 0.001 * x ** 3 + 0.0001 * x ** 4 + 0.00001 * x ** 5 for x in wamp_x]
wamp3_y = [v + float((i * 37) % 11 - 5) * 1e4 for i, v in enumerate(wamp1_y)]
print(f"// Wampler-shaped design: checksum {checksum(wamp_rows)!r}, y checksums "
      f"{checksum([wamp1_y])!r} {checksum([wamp2_y])!r} {checksum([wamp3_y])!r}")
for tag, y in [("WAMPLER2", wamp2_y), ("WAMPLER3", wamp3_y)]:
    beta, se = lstsq(wamp_rows, y)
    rust(f"{tag}_COEF", beta)
    if tag == "WAMPLER3":
        rust(f"{tag}_SE", se)
