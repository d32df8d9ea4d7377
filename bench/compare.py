#!/usr/bin/env python3
"""Side-by-side timing of linmod against scikit-learn and glum on identical data.

Usage:
    python3 -m pip install scikit-learn glum threadpoolctl   # once
    cargo xtask compare [--only NAME,...] [--reps 3]          # all of the below in one command
    # or by hand:
    cargo build --release -p linmod-cli
    cargo xtask bench --write-data DIR                         # writes DIR/cases.json + .npy files
    python3 bench/compare.py DIR [--linmod target/release/linmod] [--reps 3] [--only NAME,...]
    # the table case (a CSV with text columns, read and encoded by a formula):
    cargo xtask bench --filter table_encode --out DIR            # writes DIR/table_encode_1000000x20.csv
    python3 bench/compare.py --table DIR/table_encode_1000000x20.csv [--reps 3]

The machines are shared and noisy: compare ratios from one run, and repeat a run before believing a change of
less than about 20%.

GLM cases ("kind": "glm", with "family" and "exposure_last_column") are the insurance-shaped
problems of the suite: the script times glum on them (alpha = l1 + 2 l2, the exposure as an offset)
and reports its objective in linmod's convention; linmod's times and objectives are those of the
suite's report (`target/bench/report.md`), on the same data.

DIR/cases.json is a list of cases:
    {"name": "logreg_l2_1e6x100", "kind": "logistic" | "multinomial" | "linear",
     "x": "X.npy", "y": "y.npy", "l1": 0.0, "l2": 5e-7, "tol": 1e-8, "path": false}
X is a 2-D float64 array (n x p), y a 1-D array (0/1 for logistic, 0..K-1 for multinomial, real for linear).
Sparse cases give "x": "NAME.svm" (an svmlight file with 1-based indices and the labels in it, no "y") and
"intercept": false when the model has none; their references add LIBLINEAR (pip install liblinear-official:
-s 0, the trust-region Newton method, for L2 without intercept; -s 6, newGLMNET, for L1), with -e tol.
Objectives follow linmod's conventions (DESIGN.md section 2): mean loss + l1*|w|_1 + l2*|w|^2, intercept
fitted and unpenalized; "path": true asks for a 100-lambda lasso path (l1 is then the smallest lambda).

For every case it times the references (median of --reps runs, fit only, data already in memory) and,
if --linmod is given, runs `linmod fit --data X --target-file y ... --format json` and reads its
`fit_seconds` and `objective`. It prints a table with the objective reached by each tool and the ratio
linmod / fastest reference, and writes DIR/compare.json.
"""
import json, os, subprocess, sys, time, warnings, argparse

# Some machines set OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE to work around old OpenBLAS builds; with a current
# numpy they pin a slower kernel (on an AVX-512 machine: Haswell instead of SkylakeX, about 2x slower on
# lbfgs). The references must run at their best, so these variables are dropped before numpy loads.
for _k in [k for k in os.environ if k.startswith("OPENBLAS_")]:
    del os.environ[_k]
import numpy as np

def objective(kind, X, y, coef, icpt, l1, l2):
    if kind == "linear":
        r = y - X @ coef - icpt
        data = 0.5 * np.mean(r * r)
    elif kind == "logistic":
        z = X @ coef + icpt
        data = np.mean(np.logaddexp(0, z) - y * z)
    else:
        Z = X @ coef + icpt                      # coef p x K
        m = Z.max(1, keepdims=True)
        lse = np.log(np.exp(Z - m).sum(1)) + m[:, 0]
        data = np.mean(lse - Z[np.arange(len(y)), y.astype(int)])
    return float(data + l1 * np.abs(coef).sum() + l2 * (coef ** 2).sum())

def glm_objective(family, X, y, offset, coef, icpt, l1, l2):
    """linmod's GLM objective: 1/(2n) sum unit_deviance + l1 |w|_1 + l2 |w|^2 (log link)."""
    z = X @ coef + icpt + offset
    mu = np.exp(z)
    if family == "poisson":
        dev = 2 * (np.where(y > 0, y * np.log(np.where(y > 0, y, 1) / mu), 0) - y + mu)
    elif family == "gamma":
        dev = 2 * (y / mu - np.log(y / mu) - 1)
    else:
        p = 1.5
        dev = 2 * (np.power(y, 2 - p) / ((1 - p) * (2 - p)) - y * mu ** (1 - p) / (1 - p) + mu ** (2 - p) / (2 - p))
    return float(dev.mean() / 2 + l1 * np.abs(coef).sum() + l2 * (coef ** 2).sum())

def glm_references(case, X, y, reps):
    """glum on an insurance-shaped GLM case: the exposure is the last column of X (an offset
    log(exposure)); alpha = l1 + 2 l2, l1_ratio = l1 / alpha."""
    from glum import GeneralizedLinearRegressor as G, TweedieDistribution
    family = case["family"]
    offset = np.zeros(len(y))
    if case.get("exposure_last_column"):
        offset = np.log(X[:, -1]); X = np.ascontiguousarray(X[:, :-1])
    elif family == "gamma":
        X = np.ascontiguousarray(X[:, :-1])
    fam = TweedieDistribution(1.5) if family == "tweedie" else family
    l1, l2, tol = case["l1"], case["l2"], case["tol"]
    res = {}
    if case.get("path"):
        t, _ = median_time(lambda: G(family=fam, l1_ratio=1.0, alpha_search=True, n_alphas=100,
                                     min_alpha_ratio=1e-3, gradient_tol=tol).fit(X, y, offset=offset), reps)
        res["glum-path"] = (t, float("nan"))
        return res
    alpha = l1 + 2 * l2; r = l1 / alpha
    for s in ["irls-cd", "lbfgs"] if l1 == 0 else ["irls-cd"]:
        t, m = median_time(lambda: G(family=fam, alpha=alpha, l1_ratio=r, solver=s, gradient_tol=tol,
                                     max_iter=10000).fit(X, y, offset=offset), reps)
        res[f"glum-{s}"] = (t, glm_objective(family, X, y, offset, m.coef_, m.intercept_, l1, l2))
    return res

def median_time(f, reps):
    ts, out = [], None
    for _ in range(reps):
        t = time.perf_counter(); out = f(); ts.append(time.perf_counter() - t)
    return float(np.median(ts)), out

def liblinear(case, X, y, reps):
    """LIBLINEAR on a sparse case: -s 0 (L2) or -s 6 (L1), C converted from l2 or l1."""
    try:
        from liblinear import liblinearutil as ll
    except ImportError:
        return {}
    n, l1, l2, tol = X.shape[0], case["l1"], case["l2"], case["tol"]
    if l1 > 0 and l2 > 0:
        return {}
    solver, C = (6, 1.0 / (n * l1)) if l1 > 0 else (0, 1.0 / (2 * n * l2))
    intercept = case.get("intercept", True)
    opts = f"-s {solver} -c {C!r} -e {tol!r} -q" + (" -B 1 -R" if intercept else "")
    prob = ll.problem(np.where(y > 0.5, 1, -1), X)
    t, m = median_time(lambda: ll.train(prob, ll.parameter(opts)), reps)
    w, b = m.get_decfun()
    sign = 1.0 if m.get_labels()[0] == 1 else -1.0
    w, b = sign * np.array(w), sign * b
    return {f"liblinear-s{solver}": (t, objective("logistic", X, y, w, b if intercept else 0.0, l1, l2))}

def references(case, X, y, reps):
    from sklearn import linear_model as lm
    kind, l1, l2, tol, n = case["kind"], case["l1"], case["l2"], case["tol"], X.shape[0]
    res = {}
    warnings.simplefilter("ignore")
    intercept = case.get("intercept", True)
    if case["x"].endswith(".svm") and kind == "logistic":
        res.update(liblinear(case, X, y, reps))
        if l1 > 0 or not intercept:
            return res
    if kind in ("logistic", "multinomial") and l1 == 0.0:
        C = np.inf if l2 == 0 else 1.0 / (2 * n * l2)
        sparse = case["x"].endswith(".svm")
        # newton-cholesky and glum's IRLS form a dense p x p Hessian: out of memory at text widths
        solvers = ["lbfgs"] if sparse else ["lbfgs", "newton-cholesky"] + (["newton-cg"] if kind == "multinomial" else [])
        for s in solvers:
            t, m = median_time(lambda: lm.LogisticRegression(C=C, solver=s, tol=tol, max_iter=10000).fit(X, y), reps)
            coef = m.coef_.ravel() if kind == "logistic" else m.coef_.T
            icpt = m.intercept_[0] if kind == "logistic" else m.intercept_
            res[f"sklearn-{s}"] = (t, objective(kind, X, y, coef, icpt, l1, l2))
        if kind == "logistic":
            try:
                from glum import GeneralizedLinearRegressor as G
                for s in (["lbfgs"] if sparse else ["irls-cd", "lbfgs"]):
                    t, m = median_time(lambda: G(family="binomial", alpha=2 * l2, l1_ratio=0.0, solver=s,
                                                 gradient_tol=tol, max_iter=10000).fit(X, y), reps)
                    res[f"glum-{s}"] = (t, objective(kind, X, y, m.coef_, m.intercept_, l1, l2))
            except ImportError:
                pass
    elif kind == "logistic":
        # elastic net / L1 logistic: saga is scikit-learn's only general option
        alpha = l1 + 2 * l2; r = l1 / alpha
        C = 1.0 / (n * alpha)
        t, m = median_time(lambda: lm.LogisticRegression(C=C, l1_ratio=r, penalty="elasticnet", solver="saga",
                                                          tol=tol, max_iter=100000).fit(X, y), reps)
        res["sklearn-saga"] = (t, objective(kind, X, y, m.coef_.ravel(), m.intercept_[0], l1, l2))
        try:
            from glum import GeneralizedLinearRegressor as G
            t, m = median_time(lambda: G(family="binomial", alpha=alpha, l1_ratio=r, solver="irls-cd",
                                         gradient_tol=tol, max_iter=10000).fit(X, y), reps)
            res["glum-irls-cd"] = (t, objective(kind, X, y, m.coef_, m.intercept_, l1, l2))
        except ImportError:
            pass
    elif kind == "linear":
        if case.get("path"):
            alpha_min = l1
            def path():
                Xc = X - X.mean(0); yc = y - y.mean()
                amax = np.abs(Xc.T @ yc).max() / n
                return lm.lasso_path(Xc, yc, n_alphas=100, eps=alpha_min / amax, tol=tol)
            t, _ = median_time(path, reps)
            res["sklearn-lasso_path"] = (t, float("nan"))
        elif l1 > 0:
            alpha = l1 + 2 * l2; r = l1 / alpha
            t, m = median_time(lambda: lm.ElasticNet(alpha=alpha, l1_ratio=r, tol=tol, max_iter=100000).fit(X, y), reps)
            res["sklearn-cd"] = (t, objective(kind, X, y, m.coef_, m.intercept_, l1, l2))
        elif l2 > 0:
            t, m = median_time(lambda: lm.Ridge(alpha=2 * n * l2, solver="cholesky").fit(X, y), reps)
            res["sklearn-ridge-cholesky"] = (t, objective(kind, X, y, m.coef_, m.intercept_, l1, l2))
        else:
            t, m = median_time(lambda: lm.LinearRegression().fit(X, y), reps)
            res["sklearn-lstsq"] = (t, objective(kind, X, y, m.coef_, m.intercept_, l1, l2))
    return res

def run_linmod(binary, d, case, reps):
    cmd = [binary, "fit", "--data", os.path.join(d, case["x"])]
    if case.get("y"): cmd += ["--target-file", os.path.join(d, case["y"])]
    cmd += ["--model", case["kind"], "--tol", repr(case["tol"]), "--format", "json", "--quiet"]
    if not case.get("intercept", True): cmd += ["--no-intercept"]
    if case["l1"]: cmd += ["--l1", repr(case["l1"])]
    if case["l2"]: cmd += ["--l2", repr(case["l2"])]
    if case.get("path"): cmd = [binary, "path"] + cmd[2:]
    times, obj = [], float("nan")
    for _ in range(reps):
        out = subprocess.run(cmd, capture_output=True, text=True)
        if out.returncode != 0:
            return float("nan"), float("nan"), out.stderr.strip().splitlines()[-1:] or ["failed"]
        js = json.loads(out.stdout)
        times.append(js["fit_seconds"]); obj = js.get("objective", float("nan"))
    return float(np.median(times)), obj, None

def table_formula(path):
    """The bench suite's formula (crates/facade/benches/suite/tables.rs): every column, text categorical."""
    with open(path) as f:
        names = f.readline().strip().split(",")
    return "y ~ " + " + ".join(n for n in names if n != "y")


def table_child(path):
    """One read + encode in this process: pandas.read_csv, then formulaic's model_matrix; prints seconds,
    peak resident memory (bytes) and the design's bytes."""
    import resource
    import pandas as pd
    from formulaic import model_matrix
    formula = table_formula(path)
    t = time.perf_counter()
    df = pd.read_csv(path)
    y, X = model_matrix(formula, df)
    seconds = time.perf_counter() - t
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    print(json.dumps({"seconds": seconds, "peak_bytes": peak, "x_bytes": int(X.values.nbytes), "shape": list(X.shape)}))


def table_compare(path, reps):
    """pandas + formulaic on the table case, each run in a fresh process (so that peak memory is the run's)."""
    import formulaic, pandas
    runs = []
    for _ in range(reps):
        out = subprocess.run([sys.executable, __file__, "--table-child", path], capture_output=True, text=True, check=True)
        runs.append(json.loads(out.stdout))
    runs.sort(key=lambda r: r["seconds"])
    best = runs[len(runs) // 2]
    print(f"pandas {pandas.__version__} read_csv + formulaic {formulaic.__version__} model_matrix on {path}:")
    print(f"   median {best['seconds']:.3f} s of {reps}; peak memory {best['peak_bytes'] / 1e6:.0f} MB "
          f"= {best['peak_bytes'] / best['x_bytes']:.2f} x the design ({best['shape'][0]} x {best['shape'][1]}, "
          f"intercept included, {best['x_bytes'] / 1e6:.0f} MB)")


def main():
    if len(sys.argv) == 3 and sys.argv[1] == "--table-child":
        return table_child(sys.argv[2])
    ap = argparse.ArgumentParser()
    ap.add_argument("dir", nargs="?"); ap.add_argument("--linmod"); ap.add_argument("--reps", type=int, default=3)
    ap.add_argument("--only", default="")
    ap.add_argument("--table", help="time pandas read_csv + formulaic model_matrix on this CSV instead")
    a = ap.parse_args()
    if a.table:
        return table_compare(a.table, a.reps)
    if not a.dir:
        ap.error("give DIR (the cases written by `cargo xtask bench --write-data DIR`) or --table FILE")
    cases = json.load(open(os.path.join(a.dir, "cases.json")))
    try:
        from threadpoolctl import threadpool_info
        blas = [f"{i.get('internal_api')} {i.get('version')} {i.get('architecture')} x{i.get('num_threads')}" for i in threadpool_info()]
        print("reference BLAS:", "; ".join(blas) or "unknown")
    except ImportError:
        print("reference BLAS: unknown (pip install threadpoolctl to see which kernel numpy runs)")
    only = set(filter(None, a.only.split(",")))
    report = []
    for case in cases:
        if only and case["name"] not in only:
            continue
        if case["x"].endswith(".svm"):
            from sklearn.datasets import load_svmlight_file
            X, y = load_svmlight_file(os.path.join(a.dir, case["x"]), zero_based=False)
        else:
            X = np.load(os.path.join(a.dir, case["x"])); y = np.load(os.path.join(a.dir, case["y"]))
        refs = glm_references(case, X, y, a.reps) if case["kind"] == "glm" else references(case, X, y, a.reps)
        row = {"case": case["name"], "refs": {k: {"seconds": t, "objective": o} for k, (t, o) in refs.items()}}
        if a.linmod and case["kind"] != "glm":  # GLM cases: linmod's times are the suite's
            t, o, err = run_linmod(a.linmod, a.dir, case, a.reps)
            row["linmod"] = {"seconds": t, "objective": o, "error": err}
            best = min(v[0] for v in refs.values()) if refs else float("nan")
            row["ratio_to_fastest_reference"] = t / best if best else float("nan")
        report.append(row)
        print(f"{case['name']}:")
        for k, (t, o) in refs.items():
            print(f"   {k:28s} {t:9.4f} s   objective {o:.12g}")
        if a.linmod and case["kind"] != "glm":
            l = row["linmod"]
            print(f"   {'linmod':28s} {l['seconds']:9.4f} s   objective {l['objective']:.12g}"
                  f"   ratio to fastest reference {row['ratio_to_fastest_reference']:.3f}" + (f"   ERROR {l['error']}" if l['error'] else ""))
        sys.stdout.flush()
    json.dump(report, open(os.path.join(a.dir, "compare.json"), "w"), indent=1)

if __name__ == "__main__":
    main()
