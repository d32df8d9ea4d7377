//! No wrong answer is reported as converged: one test per class of problem, each asserting the
//! number of correct significant digits against an independent reference.
//!
//! References: 60-digit mpmath computations on exactly the doubles the tests generate (`tests/reference/exactness.py`, whose output is pasted below; each generated
//! data set is checked against the script's checksum), statsmodels for the multinomial logit
//! (`tests/reference/multinomial_ages.py`). Digits are `-log10` of the relative error
//! (`exactness_support::digits`).

use linalg_core::Mat;
use linmod_models::inference::InferenceOptions;
use linmod_models::linear::{LinearRegression, LinearSolver, RegularizationPath, lambda_max};
use linmod_models::logistic::{LogisticRegression, LogisticSolver};
use linmod_models::metrics::regression::{r2_score, root_mean_squared_error};
use linmod_models::{ModelError, Penalty};
use optim::{
    Divergence, Driver, Iteration, Objective, RunOptions, Solver, Start, Step, Stopping,
    Termination,
};

mod exactness_support;
use exactness_support::{digits, min_digits};

// ---- python3 tests/reference/exactness.py (mpmath 1.3.0, 60 digits) -------------------------
// polynomial design: checksum 107906715.93553506, y checksum 32.80774999999999
const POLY_CHECKSUM: (f64, f64) = (107906715.93553506, 32.80774999999999);
const POLY_COEF: [f64; 11] = [
    155.78854386230782,
    -556.5179331114999,
    872.0291323926818,
    -788.9633538754578,
    458.06867601078255,
    -178.7620418965276,
    47.573458469615325,
    -8.537696948448039,
    0.9900485329886558,
    -0.06705732460596642,
    0.0020162936109149004,
];
const POLY_SE: [f64; 11] = [
    1097.3197263331203,
    3460.0484884397974,
    4856.7146258355415,
    3996.6411470025773,
    2135.534208835584,
    774.3176510880559,
    192.97861116687002,
    32.64941870631968,
    3.5896049611886087,
    0.2316432526223197,
    0.006664480174901488,
];
// ordinary design: checksum 90365.25, y checksum -4785.08
const ORDINARY_CHECKSUM: (f64, f64) = (90365.25, -4785.08);
const ORDINARY_COEF: [f64; 5] = [
    -3.638059865914728,
    -0.2498992819134485,
    0.0020026891948069013,
    2.9935742537202272,
    -0.09487663636268764,
];
const ORDINARY_SE: [f64; 5] = [
    1.2810654047431096,
    0.0006932601578447101,
    5.2740224016934e-06,
    0.007915137838226019,
    0.0012781175526960643,
];
// near-collinear pair: checksum 149.99999999399998, y checksum 225.02999998800001
const PAIR_CHECKSUM: (f64, f64) = (149.99999999399998, 225.02999998800001);
const PAIR_COEF: [f64; 3] = [
    0.0005496807519252197,
    -476013.3513469639,
    476016.35149188194,
];
const PAIR_SE: [f64; 3] = [0.003948985655852353, 1039397.336556583, 1039397.3365207013];
// scaled targets: checksum -12.0
const BIG_CHECKSUM: f64 = -12.0;
const OLS_154: [f64; 3] = [
    9.872653578838408e+153,
    3.008001783481733e+154,
    -1.9974053029454337e+154,
];
const LASSO_154: [f64; 3] = [
    9.854412825674547e+153,
    3.000691142664568e+154,
    -1.9899512666120675e+154,
];
const OLS_200: [f64; 3] = [
    9.872653578838408e+199,
    3.0080017834817328e+200,
    -1.9974053029454336e+200,
];
const LASSO_200: [f64; 3] = [
    9.854412825674547e+199,
    3.000691142664568e+200,
    -1.9899512666120674e+200,
];
const OLS_250: [f64; 3] = [
    9.872653578838408e+249,
    3.0080017834817323e+250,
    -1.9974053029454332e+250,
];
const LASSO_250: [f64; 3] = [
    9.854412825674546e+249,
    3.0006911426645676e+250,
    -1.9899512666120673e+250,
];
const OLS_300: [f64; 3] = [
    9.87265357883841e+299,
    3.008001783481733e+300,
    -1.9974053029454335e+300,
];
const LASSO_300: [f64; 3] = [
    9.854412825674548e+299,
    3.0006911426645683e+300,
    -1.9899512666120676e+300,
];
// scaler 154: checksum 1.0075e+156
const SCALER_154: [f64; 2] = [3.3583333333333334e+154, 4.516028552709658e+154];
// scaler 300: checksum 1.0075e+302
const SCALER_300: [f64; 2] = [3.358333333333333e+300, 4.5160285527096586e+300];
// scaler TINY: checksum 1.0074999999999998e-168
const SCALER_TINY: [f64; 2] = [3.358333333333333e-170, 4.516028552709658e-170];
// dose: checksum 180000.0, labels 99.0
const DOSE_MLE: [f64; 2] = [-0.020745408824293418, 4.461623019693699e-07];
// Filip-shaped design: checksum 29562509567.35145, y checksum 65.99654244000001
const FILIP_CHECKSUM: (f64, f64) = (29562509567.35145, 65.99654244000001);
const FILIP_COEF: [f64; 11] = [
    1.8721286987270758,
    1.4667734375636312,
    0.793515352396355,
    0.1609568545190646,
    -0.02587518794465276,
    -0.022912211213426095,
    -0.006029800664058706,
    -0.0008741752601909794,
    -7.456258142960117e-05,
    -3.5178370075225013e-06,
    -7.10944561376394e-08,
];
const FILIP_SE: [f64; 11] = [
    26.891866125857174,
    50.67511346817932,
    42.370571848956395,
    20.70314342515145,
    6.548084765339181,
    1.4011584824574395,
    0.20548743946159556,
    0.020401710774821825,
    0.0013128729400663582,
    4.9466946481198155e-05,
    8.290497206799514e-07,
];
// Pontius-shaped design: checksum 129170056011920.0, y checksum 72.38064482237935
const PONTIUS_CHECKSUM: (f64, f64) = (129170056011920.0, 72.38064482237935);
const PONTIUS_COEF: [f64; 3] = [
    0.6699998724319114,
    7.300000740363139e-07,
    -3.1999733836671177e-15,
];
const PONTIUS_SE: [f64; 3] = [
    1.1009342856822978e-06,
    1.6095334983472708e-12,
    4.962811161768895e-19,
];
// NoInt-shaped design: checksum 715.0, y checksum 1484.5
const NOINT_CHECKSUM: (f64, f64) = (715.0, 1484.5);
const NOINT_COEF: [f64; 1] = [2.073703981968445];
const NOINT_SE: [f64; 1] = [0.01649087211695393];
// Longley-shaped design: checksum 7219277.0, y checksum 1060958.0
const LONGLEY_CHECKSUM: (f64, f64) = (7219277.0, 1060958.0);
const LONGLEY_COEF: [f64; 7] = [
    -1783161.9522975043,
    -14.761029411764717,
    0.014992121848739461,
    0.005953839869281074,
    1.4160730698529418,
    -0.33553538602941224,
    962.9922002655238,
];
const LONGLEY_SE: [f64; 7] = [
    1729607.2526377023,
    61.25436648071822,
    0.028655797057290447,
    0.06798202365849493,
    0.6190462452616642,
    0.599103910858277,
    920.5019719105819,
];
// Wampler-shaped design: checksum 13103146.0, y checksums 13103167.0 310.3996000000001 13083167.0
const WAMPLER_CHECKSUM: (f64, f64, f64, f64) =
    (13103146.0, 13103167.0, 310.3996000000001, 13083167.0);
const WAMPLER2_COEF: [f64; 6] = [
    1.0000000000000007,
    0.09999999999999823,
    0.010000000000000812,
    0.000999999999999873,
    0.00010000000000000799,
    9.999999999999828e-06,
];
const WAMPLER3_COEF: [f64; 6] = [
    -37167.657429527,
    16019.545133244284,
    -198.4004783747683,
    -351.4618525459823,
    33.45079056089959,
    0.19416631289023267,
];
const WAMPLER3_SE: [f64; 6] = [
    31908.10618336371,
    35039.511242009394,
    11553.720522096699,
    1504.368250291421,
    83.69664331720973,
    1.6652091640370652,
];
// ----------------------------------------------------------------------------------------------

// ---- python3 tests/reference/multinomial_ages.py (statsmodels 0.15.0 MNLogit) ----------------
// numpy 2.4.6, statsmodels 0.15.0; converged: True, 7 iterations
const MNLOGIT_PARAMS: [[f64; 4]; 2] = [
    [
        -3.3478086491144565,
        0.06510313436510425,
        0.3388799746721858,
        -0.8103421615059132,
    ],
    [
        -0.8741398924349787,
        0.008183812160803414,
        -0.6801493432751153,
        0.9397784399731366,
    ],
];
const MNLOGIT_BSE: [[f64; 4]; 2] = [
    [
        0.38470658975275884,
        0.006515460799294882,
        0.1359348762678569,
        0.24646599618113935,
    ],
    [
        0.2968397146904246,
        0.005653758028028896,
        0.12571564519893252,
        0.2195231624810076,
    ],
];
const MNLOGIT_LLF: f64 = -535.5075803080638;
// ----------------------------------------------------------------------------------------------

/// The f64 sum of every entry, row by row (as the reference script's `checksum`).
fn checksum(x: &Mat<f64>) -> f64 {
    let mut total = 0.0;
    for i in 0..x.nrows() {
        for j in 0..x.ncols() {
            total += x[(i, j)];
        }
    }
    total
}

fn sum(v: &[f64]) -> f64 {
    v.iter().fold(0.0, |a, b| a + b)
}

/// Intercept first, then the coefficients.
fn estimates(fit: &linmod_models::linear::FittedLinear) -> Vec<f64> {
    std::iter::once(fit.intercept())
        .chain(fit.coef().iter().copied())
        .collect()
}

/// Every closed-form fit that says it converged carries a certificate at rounding level.
fn assert_certified(fit: &linmod_models::linear::FittedLinear, what: &str) {
    assert!(fit.converged(), "{what}: not converged");
    let eta = fit
        .certificate()
        .expect("closed-form fits have a certificate");
    assert!(
        eta <= fit.certificate_bound(),
        "{what}: certificate {eta:e}"
    );
}

/// Checks a generated data set against the reference script's checksums.
fn assert_checksums(x: &Mat<f64>, y: &[f64], expected: (f64, f64), what: &str) {
    assert_eq!(
        (checksum(x).to_bits(), sum(y).to_bits()),
        (expected.0.to_bits(), expected.1.to_bits()),
        "{what}: the generated data differ from the reference script's"
    );
}

/// Columns `x, x^2, ..., x^degree`, each power correctly rounded.
fn powers(xs: &[f64], degree: usize) -> Mat<f64> {
    Mat::from_fn(xs.len(), degree, |i, k| {
        linalg_core::pow_compensated(xs[i], k + 1)
    })
}

/// A deterministic integer "noise" in -5..=5.
fn wiggle(i: usize) -> f64 {
    ((i * 37) % 11) as f64 - 5.0
}

fn poly_data() -> (Mat<f64>, Vec<f64>) {
    let xs: Vec<f64> = (0..60).map(|i| 2.0 + 0.05 * i as f64).collect();
    let y = xs
        .iter()
        .enumerate()
        .map(|(i, &t)| 0.5 + 0.3 * t - 0.02 * t * t * t + wiggle(i) * 1e-3)
        .collect();
    (powers(&xs, 10), y)
}

/// Filip's shape: degree 10 on a narrow interval far from zero, [-8.8, -3.13].
fn filip_data() -> (Mat<f64>, Vec<f64>) {
    let xs: Vec<f64> = (0..82).map(|i| -8.8 + 0.07 * i as f64).collect();
    let y = xs
        .iter()
        .enumerate()
        .map(|(i, &t)| 0.85 + 0.005 * t - 0.0004 * t * t + wiggle(i) * 1e-4)
        .collect();
    (powers(&xs, 10), y)
}

/// Pontius' shape: a quadratic in x up to 3e6.
fn pontius_data() -> (Mat<f64>, Vec<f64>) {
    let xs: Vec<f64> = (0..40)
        .map(|i| 1.5e5 * (i % 20 + 1) as f64 + 7.0 * i as f64)
        .collect();
    let x = Mat::from_fn(40, 2, |i, k| if k == 0 { xs[i] } else { xs[i] * xs[i] });
    let y = xs
        .iter()
        .enumerate()
        .map(|(i, &t)| 0.67 + 7.3e-7 * t - 3.2e-15 * t * t + (((i * 13) % 7) as f64 - 3.0) * 1e-6)
        .collect();
    (x, y)
}

/// NoInt's shape: `y = b x` without an intercept.
fn noint_data() -> (Mat<f64>, Vec<f64>) {
    let x = Mat::from_fn(11, 1, |i, _| 60.0 + i as f64);
    let y = (0..11)
        .map(|i| 130.0 + i as f64 + (((i * 7) % 3) as f64 - 1.0) * 0.5)
        .collect();
    (x, y)
}

/// Longley's shape: 16 yearly rows of six trending, nearly collinear series.
fn longley_data() -> (Mat<f64>, Vec<f64>) {
    let x = Mat::from_fn(16, 6, |i, j| {
        let t = i as f64;
        match j {
            0 => 83.0 + 2.5 * t + ((i * 7) % 5) as f64 * 0.3,
            1 => 234289.0 + 12000.0 * t + ((i * 11) % 7) as f64 * 500.0,
            2 => 2356.0 + 100.0 * t + ((i * 5) % 9) as f64 * 150.0,
            3 => 1590.0 + 90.0 * t + ((i * 3) % 8) as f64 * 20.0,
            4 => 107608.0 + 1300.0 * t + ((i * 3) % 4) as f64 * 40.0,
            _ => 1947.0 + t,
        }
    });
    let y = (0..16)
        .map(|i| 60323.0 + 800.0 * i as f64 + wiggle(i) * 30.0)
        .collect();
    (x, y)
}

/// Wampler's shape: degree 5 on x = 0, ..., 20, with three targets: the exact fit of the
/// integer polynomial with every coefficient 1, the exact fit of coefficients 1, 0.1, ...,
/// 1e-5 (not binary fractions), and the first with noise of magnitude 1e4.
fn wampler_data() -> (Mat<f64>, [Vec<f64>; 3]) {
    let xs: Vec<f64> = (0..21).map(|i| i as f64).collect();
    let exact: Vec<f64> = xs
        .iter()
        .map(|&t| 1.0 + t + t.powi(2) + t.powi(3) + t.powi(4) + t.powi(5))
        .collect();
    let decimal = xs
        .iter()
        .map(|&t| {
            1.0 + 0.1 * t
                + 0.01 * t.powi(2)
                + 0.001 * t.powi(3)
                + 0.0001 * t.powi(4)
                + 0.00001 * t.powi(5)
        })
        .collect();
    let noisy = exact
        .iter()
        .enumerate()
        .map(|(i, v)| v + wiggle(i) * 1e4)
        .collect();
    (powers(&xs, 5), [exact, decimal, noisy])
}

/// The ordinary design: columns of magnitudes 1, 1000 and 1e-1 and one far from zero.
fn ordinary_data() -> (Mat<f64>, Vec<f64>) {
    let x = Mat::from_fn(50, 4, |i, j| match j {
        0 => ((i * 7) % 13) as f64 - 6.0,
        1 => ((i * 11) % 17) as f64 * 100.0,
        2 => ((i * 5) % 9) as f64 / 8.0,
        _ => 1000.0 + ((i * 3) % 7) as f64,
    });
    let y: Vec<f64> = (0..50)
        .map(|i| {
            1.5 - 0.25 * x[(i, 0)] + 0.002 * x[(i, 1)] + 3.0 * x[(i, 2)] - 0.1 * x[(i, 3)]
                + (((i * 13) % 7) as f64 - 3.0) * 0.01
        })
        .collect();
    (x, y)
}

/// Fits by `solver` and returns the digits of the coefficients (intercept first when fitted)
/// and of the standard errors against the references.
fn fit_digits(
    solver: LinearSolver,
    x: &Mat<f64>,
    y: &[f64],
    intercept: bool,
    coef: &[f64],
    se: &[f64],
    what: &str,
) -> (f64, f64) {
    let fit = LinearRegression::new()
        .solver(solver)
        .fit_intercept(intercept)
        .fit(x.as_ref(), y)
        .unwrap();
    assert_certified(&fit, what);
    let est = if intercept {
        estimates(&fit)
    } else {
        fit.coef().to_vec()
    };
    let s = fit
        .summary(x.as_ref(), y, &InferenceOptions::default())
        .unwrap();
    (min_digits(&est, coef, 1.0), min_digits(&s.std_err, se, 1.0))
}

#[test]
fn an_ill_conditioned_polynomial_design_is_solved_to_the_digits_its_data_allow() {
    // degree-10 polynomials on intervals far from zero (condition numbers 4e9 and 9e9
    // after centering and scaling): a rank decision on the unscaled columns truncated such solutions
    let (px, py) = poly_data();
    assert_checksums(&px, &py, POLY_CHECKSUM, "polynomial");
    let (fx, fy) = filip_data();
    assert_checksums(&fx, &fy, FILIP_CHECKSUM, "Filip-shaped");
    for (what, x, y, coef, se) in [
        ("polynomial", &px, &py, &POLY_COEF, &POLY_SE),
        ("Filip-shaped", &fx, &fy, &FILIP_COEF, &FILIP_SE),
    ] {
        for solver in [LinearSolver::Auto, LinearSolver::Qr] {
            let fit = LinearRegression::new()
                .solver(solver)
                .fit(x.as_ref(), y)
                .unwrap();
            assert_eq!(fit.solver(), LinearSolver::Qr);
            assert_eq!(fit.rank(), Some(10), "{what}");
            assert!(fit.aliased().is_empty(), "{what}");
            let (c, s) = fit_digits(solver, x, y, true, coef, se, what);
            // refinement with compensated residuals reaches the rounding of the result;
            // (X^T X)^{-1} from the scaled QR's triangle loses about log10(cond) digits
            assert!(c >= 12.0, "{what} {solver}: {c} digits");
            assert!(s >= 6.0, "{what} {solver}: standard errors {s} digits");
        }
        // the normal equations square the condition number beyond 1 / eps
        let e = LinearRegression::new()
            .solver(LinearSolver::Cholesky)
            .fit(x.as_ref(), y)
            .unwrap_err();
        assert!(
            matches!(e, ModelError::IllConditioned { rcond, .. } if rcond < 1e-10),
            "{what}: {e}"
        );
    }
}

#[test]
fn ordinary_designs_give_eleven_digits_or_more() {
    let (ox, oy) = ordinary_data();
    assert_checksums(&ox, &oy, ORDINARY_CHECKSUM, "ordinary");
    let (px, py) = pontius_data();
    assert_checksums(&px, &py, PONTIUS_CHECKSUM, "Pontius-shaped");
    let (nx, ny) = noint_data();
    assert_checksums(&nx, &ny, NOINT_CHECKSUM, "NoInt-shaped");
    // (the Pontius-shaped residuals are a millionth of the target: the residual variance, and
    // the standard errors with it, lose digits to that cancellation)
    for (what, x, y, intercept, coef, se, se_bound) in [
        (
            "ordinary",
            &ox,
            &oy,
            true,
            &ORDINARY_COEF[..],
            &ORDINARY_SE[..],
            11.0,
        ),
        (
            "Pontius-shaped",
            &px,
            &py,
            true,
            &PONTIUS_COEF,
            &PONTIUS_SE,
            10.0,
        ),
        (
            "NoInt-shaped",
            &nx,
            &ny,
            false,
            &NOINT_COEF,
            &NOINT_SE,
            11.0,
        ),
    ] {
        for solver in [LinearSolver::Auto, LinearSolver::Qr, LinearSolver::Cholesky] {
            let (c, s) = fit_digits(solver, x, y, intercept, coef, se, what);
            assert!(c >= 11.0, "{what} {solver}: {c} digits");
            assert!(s >= se_bound, "{what} {solver}: standard errors {s} digits");
        }
    }

    // harder shapes through auto (QR with refinement)
    let (lx, ly) = longley_data();
    assert_checksums(&lx, &ly, LONGLEY_CHECKSUM, "Longley-shaped");
    let (c, s) = fit_digits(
        LinearSolver::Auto,
        &lx,
        &ly,
        true,
        &LONGLEY_COEF,
        &LONGLEY_SE,
        "Longley-shaped",
    );
    assert!(c >= 14.0 && s >= 11.0, "Longley-shaped: {c} and {s} digits");
    let (wx, [w1, w2, w3]) = wampler_data();
    assert_checksums(
        &wx,
        &w1,
        (WAMPLER_CHECKSUM.0, WAMPLER_CHECKSUM.1),
        "Wampler-shaped",
    );
    assert_eq!(
        (sum(&w2).to_bits(), sum(&w3).to_bits()),
        (WAMPLER_CHECKSUM.2.to_bits(), WAMPLER_CHECKSUM.3.to_bits())
    );
    let (c, s) = fit_digits(
        LinearSolver::Auto,
        &wx,
        &w3,
        true,
        &WAMPLER3_COEF,
        &WAMPLER3_SE,
        "noisy Wampler-shaped",
    );
    assert!(
        c >= 14.0 && s >= 11.0,
        "noisy Wampler-shaped: {c} and {s} digits"
    );
    // exact fits: the integer one is recovered to rounding and has no residual, so t
    // statistics do not exist; the decimal one (coefficients that are not binary fractions)
    // leaves residuals and standard errors at the rounding level of its data
    for (what, y, coef, bound) in [
        ("exact Wampler-shaped", &w1, [1.0; 6], 14.0),
        ("decimal Wampler-shaped", &w2, WAMPLER2_COEF, 13.0),
    ] {
        let fit = LinearRegression::new().fit(wx.as_ref(), y).unwrap();
        assert_eq!(fit.solver(), LinearSolver::Qr, "{what}");
        assert_certified(&fit, what);
        let c = min_digits(&estimates(&fit), &coef, 1.0);
        assert!(c >= bound, "{what}: {c} digits");
        match fit.summary(wx.as_ref(), y, &InferenceOptions::default()) {
            Err(e) => assert!(e.to_string().contains("exact"), "{what}: {e}"),
            Ok(s) => {
                let worst = s
                    .std_err
                    .iter()
                    .zip(&s.estimate)
                    .map(|(se, b)| se / b.abs())
                    .fold(0.0f64, f64::max);
                assert!(worst < 1e-12, "{what}: {worst}");
            }
        }
    }
}

#[test]
fn a_near_collinear_pair_is_refused_by_explicit_cholesky_and_solved_by_qr() {
    let x = Mat::from_fn(40, 2, |i, j| {
        let a = 0.25 * i as f64 - 3.0;
        if j == 0 {
            a
        } else {
            a + 1e-9 * (((i * 37) % 11) as f64 - 5.0)
        }
    });
    let y: Vec<f64> = (0..40)
        .map(|i| x[(i, 0)] + 2.0 * x[(i, 1)] + 0.01 * (((i * 13) % 7) as f64 - 3.0))
        .collect();
    assert_eq!(
        (checksum(&x).to_bits(), sum(&y).to_bits()),
        (PAIR_CHECKSUM.0.to_bits(), PAIR_CHECKSUM.1.to_bits())
    );
    // the Cholesky answer was -1033 / 1034 with p-values of 0.99, reported as a success
    let e = LinearRegression::new()
        .solver(LinearSolver::Cholesky)
        .fit(x.as_ref(), &y)
        .unwrap_err();
    match e {
        ModelError::IllConditioned {
            rcond, threshold, ..
        } => {
            assert!(
                rcond < threshold && threshold.to_bits() == 1e-10f64.to_bits(),
                "{rcond}"
            );
        }
        other => panic!("expected IllConditioned, got {other}"),
    }
    for solver in [LinearSolver::Auto, LinearSolver::Qr] {
        let fit = LinearRegression::new()
            .solver(solver)
            .fit(x.as_ref(), &y)
            .unwrap();
        assert_eq!(fit.solver(), LinearSolver::Qr);
        assert_certified(&fit, "pair");
        let c = min_digits(&estimates(&fit), &PAIR_COEF, 1.0);
        assert!(c >= 12.0, "{solver}: {c} digits, {:?}", fit.coef());
        // and the standard errors that go with it (the Cholesky path's had no digit right)
        let s = fit
            .summary(x.as_ref(), &y, &InferenceOptions::default())
            .unwrap();
        let se = min_digits(&s.std_err, &PAIR_SE, 1.0);
        assert!(se >= 6.0, "{solver}: standard errors {se} digits");
    }
}

fn ages() -> (Mat<f64>, Vec<f64>) {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/data/multinomial_ages.csv"
    ))
    .unwrap();
    let rows: Vec<Vec<f64>> = text
        .lines()
        .skip(1)
        .map(|l| l.split(',').map(|v| v.parse().unwrap()).collect())
        .collect();
    let x = Mat::from_fn(rows.len(), 3, |i, j| rows[i][j]);
    (x, rows.iter().map(|r| r[3]).collect())
}

#[test]
fn an_unpenalized_multinomial_on_unscaled_features_converges_like_a_statistics_package() {
    // ages 20..90 next to a standard-normal and a 0/1 column; Newton on the symmetric
    // parametrization hit its iteration limit 2.6e-5 above the optimum
    let (x, y) = ages();
    for solver in [LogisticSolver::Auto, LogisticSolver::Newton] {
        let fit = LogisticRegression::new()
            .solver(solver)
            .multinomial()
            .fit(x.as_ref(), &y)
            .unwrap();
        assert_eq!(fit.solver(), LogisticSolver::Newton);
        assert!(fit.converged(), "{}", fit.reports()[0].termination);
        assert!(fit.n_iter() <= 15, "{} iterations", fit.n_iter());
        // the symmetric coefficients sum to zero over the classes
        for j in 0..3 {
            let total: f64 = (0..3).map(|c| fit.class_coef(c)[j]).sum();
            assert!(total.abs() < 1e-12, "{total}");
        }
        // statsmodels' base-outcome parameters: class c against class 0
        for c in 1..3 {
            let b = fit.intercepts()[c] - fit.intercepts()[0];
            let w: Vec<f64> = (0..3)
                .map(|j| fit.class_coef(c)[j] - fit.class_coef(0)[j])
                .collect();
            let ours: Vec<f64> = std::iter::once(b).chain(w).collect();
            let d = min_digits(&ours, &MNLOGIT_PARAMS[c - 1], 1.0);
            assert!(d >= 6.0, "class {c}: {d} digits");
        }
        let s = fit
            .summary(x.as_ref(), &y, &InferenceOptions::default())
            .unwrap();
        let se: Vec<f64> = MNLOGIT_BSE.iter().flatten().copied().collect();
        let d = min_digits(&s.std_err, &se, 1.0);
        assert!(d >= 6.0, "standard errors: {d} digits");
        assert!(digits(s.log_likelihood, MNLOGIT_LLF, 1.0) >= 10.0);
    }
    // L-BFGS on the same identifiable problem converges too (it ended in a line-search
    // failure after 3505 iterations at --tol 1e-10)
    let fit = LogisticRegression::new()
        .solver(LogisticSolver::Lbfgs)
        .tol(1e-10)
        .multinomial()
        .fit(x.as_ref(), &y)
        .unwrap();
    assert!(fit.converged(), "{}", fit.reports()[0].termination);
    let b = fit.intercepts()[1] - fit.intercepts()[0];
    assert!(digits(b, MNLOGIT_PARAMS[0][0], 1.0) >= 6.0);
}

fn big_data(magnitude: f64) -> (Mat<f64>, Vec<f64>) {
    let x = Mat::from_fn(40, 2, |i, j| {
        if j == 0 {
            ((i * 7) % 17) as f64 - 8.0
        } else {
            ((i * 7 + 13) % 17) as f64 - 8.0
        }
    });
    let y = (0..40)
        .map(|i| {
            (3.0 * x[(i, 0)] - 2.0 * x[(i, 1)] + 1.0 + (((i * 37) % 11) as f64 - 5.0) / 10.0)
                * magnitude
        })
        .collect();
    (x, y)
}

#[test]
fn targets_and_columns_near_the_limits_of_f64_give_exact_finite_answers() {
    for (m, ols, lasso) in [
        (1e154, OLS_154, LASSO_154),
        (1e200, OLS_200, LASSO_200),
        (1e250, OLS_250, LASSO_250),
        (1e300, OLS_300, LASSO_300),
    ] {
        let (x, y) = big_data(m);
        assert_eq!(checksum(&x).to_bits(), BIG_CHECKSUM.to_bits());
        let fit = LinearRegression::new().fit(x.as_ref(), &y).unwrap();
        assert_certified(&fit, "large target");
        let c = min_digits(&estimates(&fit), &ols, 1.0);
        assert!(c >= 13.0, "OLS at {m:e}: {c} digits");
        // the lasso: the gap was infinite and counted as converged, with all-zero coefficients
        let l = LinearRegression::new()
            .penalty(Penalty::l1(0.2 * m).unwrap())
            .tol(1e-14)
            .fit(x.as_ref(), &y)
            .unwrap();
        assert!(l.converged(), "{:?}", l.report().map(|r| r.termination));
        let gap = l.duality_gap().unwrap();
        assert!(gap.is_finite() && gap >= 0.0);
        let c = min_digits(&estimates(&l), &lasso, 1.0);
        assert!(c >= 7.0, "lasso at {m:e}: {c} digits");
        // lambda_max, the path and the metrics are finite
        let top = lambda_max(x.as_ref(), &y, None, true, 1.0).unwrap();
        assert!(top.is_finite() && top > 0.2 * m);
        let path = RegularizationPath::new()
            .n_lambdas(5)
            .fit(x.as_ref(), &y)
            .unwrap();
        assert!(path.converged.iter().all(|c| *c));
        assert!(path.duality_gaps.iter().all(|g| g.is_finite()));
        let pred = fit.predict(x.as_ref()).unwrap();
        let r2 = r2_score(&y, &pred).unwrap();
        let (x1, y1) = big_data(1.0);
        let r2_ref = LinearRegression::new()
            .fit(x1.as_ref(), &y1)
            .unwrap()
            .score(x1.as_ref(), &y1)
            .unwrap();
        assert!(digits(r2, r2_ref, 1.0) >= 13.0, "{r2} vs {r2_ref}");
        assert!(root_mean_squared_error(&y, &pred).unwrap().is_finite());
    }
    // StandardScaler on columns whose squares overflow or underflow
    for (m, reference) in [
        (1e154, SCALER_154),
        (1e300, SCALER_300),
        (1e-170, SCALER_TINY),
    ] {
        let col = Mat::from_fn(30, 1, |i, _| {
            (((i * 7) % 13) as f64 - 6.0 + 0.25 * i as f64) * m
        });
        let s = datasets::StandardScaler::fit(col.as_ref()).unwrap();
        assert!(
            digits(s.mean()[0], reference[0], 1.0) >= 14.0,
            "{m:e}: {:?}",
            s.mean()
        );
        assert!(
            digits(s.scale()[0], reference[1], 1.0) >= 14.0,
            "{m:e}: {:?}",
            s.scale()
        );
        let z = s.transform(col.as_ref()).unwrap();
        assert!(z.col(0).iter().all(|v| v.is_finite() && v.abs() < 3.0));
    }
}

fn dose_data() -> (Mat<f64>, Vec<f64>) {
    let dose: Vec<f64> = (0..200)
        .map(|i| (((i * 37) % 101) as f64 - 50.0) * 2e4)
        .collect();
    let y = dose
        .iter()
        .enumerate()
        .map(|(i, &d)| f64::from(u8::from((i * 7 + i / 3) % 5 < 2 + usize::from(d > 0.0))))
        .collect();
    (Mat::from_fn(200, 1, |i, _| dose[i]), y)
}

#[test]
fn divergence_is_reported_as_divergence_and_separation_only_when_established() {
    // one feature of magnitude 1e6 and overlapping classes: the MLE exists
    let (x, y) = dose_data();
    assert_eq!(checksum(&x).to_bits(), 180000.0f64.to_bits());
    assert_eq!(sum(&y).to_bits(), 99.0f64.to_bits());
    for solver in [LogisticSolver::GradientDescent, LogisticSolver::Sgd] {
        // the default learning rate (0.1) is far above 2 / L for this scale
        let fit = LogisticRegression::new()
            .solver(solver)
            .fit(x.as_ref(), &y)
            .unwrap();
        assert!(!fit.converged());
        assert!(
            matches!(
                fit.report().termination,
                Termination::Diverged {
                    cause: Divergence::AboveStart | Divergence::NonFinite,
                    ..
                }
            ),
            "{solver:?}: {}",
            fit.report().termination
        );
        let message = fit.report().termination.to_string();
        assert!(message.contains("rescale") && message.contains("learning rate"));
    }
    let newton = LogisticRegression::new().fit(x.as_ref(), &y).unwrap();
    assert!(newton.converged());
    let est = [newton.intercept(), newton.coef()[0]];
    let d = min_digits(&est, &DOSE_MLE, 1.0);
    assert!(d >= 9.0, "{d} digits: {est:?}");
    // separated data stay an error, established by the iterate itself when a first-order
    // solver stops early
    let sep = Mat::from_fn(40, 1, |i, _| i as f64 - 19.5);
    let labels: Vec<f64> = (0..40).map(|i| f64::from(u8::from(i >= 20))).collect();
    for solver in [LogisticSolver::Newton, LogisticSolver::GradientDescent] {
        let e = LogisticRegression::new()
            .solver(solver)
            .max_iter(50)
            .fit(sep.as_ref(), &labels)
            .unwrap_err();
        assert!(
            matches!(e, ModelError::Separation { .. }),
            "{solver:?}: {e}"
        );
    }
}

#[test]
fn no_convergence_test_holds_on_a_non_finite_value_or_gradient() {
    /// A solver whose every step lands on the given value and gradient norm, with a zero
    /// step: any test that trusted them (the gradient, value-change and parameter-change
    /// tests all "hold" on these numbers) would call the run converged.
    struct Lands(f64, f64);
    impl<O: Objective> Solver<O> for Lands {
        type State = ();
        fn init(&self, _: &mut O, _: &mut [f64]) -> optim::Result<((), Start)> {
            Ok(((), Start::new(1.0, 1.0)))
        }
        fn step(&self, _: &mut O, _: &mut (), it: &mut Iteration<'_>) -> Step {
            it.next.copy_from_slice(it.x);
            Step::moved(self.0, self.1, 0.0)
        }
    }
    let stopping = Stopping::default()
        .gradient_tol(1e-8)
        .value_tol(1e-10)
        .param_tol(1e-10)
        .max_iter(10);
    let driver = Driver::new(stopping, RunOptions::default());
    let mut f = optim::FnObjective::new(
        1,
        |x: &[f64]| x[0] * x[0],
        |x: &[f64], g: &mut [f64]| g[0] = 2.0 * x[0],
    );
    for (value, grad_norm) in [
        (f64::NAN, 0.0),
        (1.0, f64::NAN),
        (f64::INFINITY, 0.0),
        (1.0, f64::INFINITY),
    ] {
        let report = driver
            .run(&Lands(value, grad_norm), &mut f, 1, &[0.0], None)
            .unwrap();
        assert!(
            !report.converged(),
            "{value} {grad_norm}: {}",
            report.termination
        );
        assert!(
            matches!(report.termination, Termination::Diverged { .. }),
            "{}",
            report.termination
        );
        // the last finite iterate and its value are what the run returns
        assert!(report.value.is_finite() && report.grad_norm.is_finite());
    }
}

#[test]
fn a_closed_form_solution_without_a_certificate_is_not_converged() {
    let (x, y) = ordinary_data();
    let fit = LinearRegression::new().fit(x.as_ref(), &y).unwrap();
    assert_certified(&fit, "ordinary");
    // the same model with a certificate far above rounding level (as a corrupted solution
    // would have): converged() must say no, and inference is refused
    let mut json: serde_json::Value = serde_json::to_value(&fit).unwrap();
    json["certificate"] = serde_json::json!(1e-6);
    let bad: linmod_models::linear::FittedLinear = serde_json::from_value(json).unwrap();
    assert!(!bad.converged());
    assert!(
        bad.summary(x.as_ref(), &y, &InferenceOptions::default())
            .is_err()
    );
    // and coefficients that are not the least-squares solution fail inference's own check
    let e = linmod_models::inference::ols(
        x.as_ref(),
        &y,
        &fit.coef()
            .iter()
            .map(|c| c * (1.0 + 1e-4))
            .collect::<Vec<_>>(),
        Some(fit.intercept()),
        &InferenceOptions::default(),
    )
    .unwrap_err();
    assert!(e.to_string().contains("not the least-squares fit"), "{e}");
}
