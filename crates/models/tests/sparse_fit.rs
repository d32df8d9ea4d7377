//! Sparse designs: the fits of CSR matrices agree with LIBLINEAR / scikit-learn on the same
//! objective, and with the dense form of the same matrix.

use linmod_models::linear::{LinearRegression, LinearSolver};
use linmod_models::logistic::{LogisticRegression, LogisticSolver};
use linmod_models::loss::Logistic;
use linmod_models::objective::LinearObjective;
use linmod_models::{CsrMatrix, Mat, Penalty};
use optim::{Objective, SecondOrder};

// Reference numbers: crates/models/tests/reference/sparse_digits.py
// scikit-learn 1.9.1, liblinear-official (LIBLINEAR 2.50)
// L2_NO_INTERCEPT: l1 = 0.0, l2 = 0.0005564830272676684
const L2_NO_INTERCEPT_OBJECTIVE: f64 = 0.2289530833015079;
const L2_NO_INTERCEPT_COEF: [f64; 64] = [
    0.0,
    0.012934369044569327,
    0.34788448192907634,
    1.6731188933025056,
    -0.28627251742647775,
    2.7478143099356327,
    2.0550354378144893,
    0.0048483938618722215,
    -0.0339142673167695,
    -0.8185222428911725,
    -0.09115121592388328,
    0.5710089917123289,
    1.038477300551268,
    0.7347904600465296,
    -0.5882477629787772,
    -0.2407885899721103,
    0.023526800367757277,
    0.08140107346863211,
    -1.7918786487663574,
    0.48261297622555843,
    0.8314897788668687,
    -1.0535194650702129,
    -1.2953715577419855,
    -0.2993066611577556,
    0.0023307954076249933,
    0.07457732035199309,
    0.27989691164286495,
    1.618272098251793,
    1.0490585114897013,
    0.45290044118230144,
    -0.5829275640335044,
    -0.024836014176529954,
    0.0,
    -1.78281710860931,
    0.41156765704671566,
    0.051239705512592014,
    -0.5748866098210654,
    0.6851943372964393,
    0.8489535050851618,
    0.0,
    -0.0021656286086977426,
    -0.6809891585371182,
    -3.142700210289106,
    -2.0901724275794007,
    0.0446011068002645,
    0.14117128991411493,
    0.7564333901906279,
    -0.2627078400190029,
    -0.004998373339254621,
    -0.5758699085959578,
    -1.016329100051797,
    0.18351196002516246,
    -0.513434894577264,
    -1.6004977889850556,
    -0.7465885488393728,
    0.49951654960420483,
    -0.0008603130871512928,
    -0.08987470878819549,
    0.6133937331785426,
    0.17206892237110447,
    -1.2456064247774583,
    0.3957849225695991,
    -1.1137245136695386,
    0.28432644278127683,
];
// L2_INTERCEPT: l1 = 0.0, l2 = 0.0005564830272676684
const L2_INTERCEPT_OBJECTIVE: f64 = 0.22863757937236479;
const L2_INTERCEPT_INTERCEPT: f64 = -0.8003909177334615;
const L2_INTERCEPT_COEF: [f64; 64] = [
    0.0,
    0.03065494962281,
    0.3838146184191035,
    1.740758404880822,
    -0.20295660965378476,
    2.7927532012397442,
    2.083776941230348,
    0.009651559977746723,
    -0.0368345788909452,
    -0.8025329889024196,
    -0.04083999752912166,
    0.6416150008016678,
    1.0715454806243352,
    0.7624535504994291,
    -0.5528665316098944,
    -0.2393664830534609,
    0.02492972245981084,
    0.10784714075733492,
    -1.789751122763457,
    0.5170555746771786,
    0.8720852129178085,
    -1.0289616578196819,
    -1.2683758804427916,
    -0.3016159353946928,
    0.0027741093538180316,
    0.12425903957664747,
    0.3256727265309866,
    1.6575434643015592,
    1.09832720423543,
    0.47353367863025453,
    -0.5271662683203391,
    -0.02518276845290373,
    0.0,
    -1.754935841919831,
    0.44369355925878073,
    0.08521205682323692,
    -0.5413657033899043,
    0.7377631401328585,
    0.8824835769134836,
    0.0,
    -0.0021217940834483352,
    -0.6501076899279872,
    -3.1396267278092385,
    -2.0586109598810034,
    0.09750351266783128,
    0.1720102149841709,
    0.7834577612747081,
    -0.26981877713593994,
    -0.004721700511342076,
    -0.5749777062214937,
    -0.9977326146760376,
    0.1991712268616964,
    -0.4862847445134475,
    -1.5847945981219906,
    -0.7256743675646863,
    0.4972827782351138,
    -0.0007710998154763999,
    -0.06925881835516084,
    0.6613408857305878,
    0.2458863106447601,
    -1.179252451391242,
    0.443004590367386,
    -1.0608547956750347,
    0.29985822303198323,
];
// L1_NO_INTERCEPT: l1 = 0.0011129660545353367, l2 = 0.0
const L1_NO_INTERCEPT_OBJECTIVE: f64 = 0.2365368940726314;
const L1_NO_INTERCEPT_COEF: [f64; 64] = [
    0.0,
    0.0,
    0.0,
    2.5586064694819948,
    -0.37408244521464684,
    3.444752146777605,
    3.1152546274645534,
    0.0,
    0.0,
    -0.7102063802148126,
    0.0,
    0.2595377493840757,
    1.4584489565908259,
    0.2227277928567946,
    -0.8579704462142228,
    0.0,
    0.0,
    0.0,
    -1.9997130207444274,
    0.5973456958652273,
    0.5572683099778012,
    -0.6350216708220291,
    -2.0683600777378865,
    0.0,
    0.0,
    0.0,
    0.22466113434854465,
    1.9364587331411478,
    1.009916036844182,
    0.08168166912384259,
    0.0,
    0.0,
    0.0,
    -2.659586896360719,
    0.7717297587081161,
    0.0,
    -0.4197243847411336,
    0.7407133037862742,
    1.0899271037532732,
    0.0,
    0.0,
    0.0,
    -4.047217923820963,
    -2.2597095210067364,
    0.0,
    0.0,
    0.46643253175732713,
    0.0,
    0.0,
    0.0,
    -0.6118062581911614,
    0.0,
    -0.22609616609629313,
    -1.761235707079118,
    -0.3718605510051859,
    0.0,
    0.0,
    0.0,
    0.1298464058360005,
    0.0,
    -1.322016500831729,
    0.1993770530809174,
    -1.0045235377863864,
    0.0,
];
// L1_INTERCEPT: l1 = 0.0011129660545353367, l2 = 0.0
const L1_INTERCEPT_OBJECTIVE: f64 = 0.23617501418045805;
const L1_INTERCEPT_INTERCEPT: f64 = -0.921109372363276;
const L1_INTERCEPT_COEF: [f64; 64] = [
    0.0,
    0.0,
    0.0,
    2.7056497237587283,
    -0.26430326823565714,
    3.494700226398904,
    3.1741965389914943,
    0.0,
    0.0,
    -0.652399543279577,
    0.0,
    0.39843347744367463,
    1.4712021989365072,
    0.26995254380559086,
    -0.8039228682394508,
    0.0,
    0.0,
    0.0,
    -1.973772465790977,
    0.5899908857306877,
    0.6281474597386043,
    -0.598946098130661,
    -2.017475994892664,
    0.0,
    0.0,
    0.0,
    0.294894950733238,
    2.0058774454841357,
    1.0529033973404482,
    0.09689224670168528,
    0.0,
    0.0,
    0.0,
    -2.608190176001269,
    0.8351313671222308,
    0.0,
    -0.35068597154976994,
    0.8062388651492911,
    1.1550041463683813,
    0.0,
    0.0,
    0.0,
    -4.064234586208194,
    -2.2080589090063123,
    0.0,
    0.014883836532923998,
    0.4832725940370739,
    0.0,
    0.0,
    0.0,
    -0.5960952367316603,
    0.0,
    -0.1614865489100986,
    -1.736494060113772,
    -0.3646040437836735,
    0.0,
    0.0,
    0.0,
    0.25185653413654546,
    0.0,
    -1.2244346494071185,
    0.23534752133481948,
    -0.8982837761906595,
    0.0,
];

// LASSO: l1 = 0.01, l2 = 0.0
const LASSO_OBJECTIVE: f64 = 2.0291680722496372;
const LASSO_INTERCEPT: f64 = 3.27540644905846;
const LASSO_COEF: [f64; 64] = [
    0.0,
    -0.0,
    -0.0,
    -0.42209270723422426,
    0.583114456836929,
    0.0,
    0.0,
    0.0,
    0.0,
    0.0,
    1.2404147992722883,
    0.07324878754754258,
    -0.8884751247067437,
    -0.5823359304430995,
    0.6999074755772653,
    0.0,
    -0.0,
    0.0,
    1.3847115902983873,
    -0.35500370750558596,
    -0.9693605001852554,
    0.27547174428542337,
    -0.0,
    -0.0,
    0.0,
    -2.004282813488203,
    0.33793750813781515,
    1.419451550337968,
    0.9869894315935114,
    1.5697641187535074,
    -0.280400911053,
    0.0,
    0.0,
    -2.0938473440424903,
    -0.09205533704661709,
    1.6843306497923902,
    -0.0518356410525099,
    0.4547644516736269,
    0.0,
    0.0,
    0.0,
    0.8795183010052778,
    -0.0,
    0.0,
    1.3384680288850201,
    0.7744573946162898,
    0.1818941966946935,
    -0.0,
    0.0,
    0.0,
    -0.0,
    -0.861315311819138,
    -3.190609447562121,
    -0.690403501306762,
    1.022214515833539,
    -0.0,
    0.0,
    -0.0,
    -0.0,
    -0.4973106819684077,
    -0.0010855818269708795,
    -0.9850208774932379,
    -0.057433103114707174,
    -0.684045269670498,
];
// RIDGE: l1 = 0.0, l2 = 0.0002782415136338342
const RIDGE_OBJECTIVE: f64 = 1.685133956389228;
const RIDGE_INTERCEPT: f64 = 3.372783636950609;
const RIDGE_COEF: [f64; 64] = [
    0.0,
    0.13040346954546003,
    -0.1619450043341961,
    -0.43305030222502505,
    0.9063966971013392,
    -0.061330528245147724,
    -0.38880743505972176,
    0.43589272623541153,
    0.8460016295118826,
    -0.1298622235646173,
    1.6142916102007199,
    0.7033303264060077,
    -1.0557555093012634,
    -1.100637314008334,
    1.296131342069418,
    1.5326441140442846,
    -0.29027714005567296,
    0.24300524206771124,
    1.2048412588188933,
    -0.5320057355037786,
    -1.0516735758266722,
    0.7061098872617879,
    -0.7891019288734301,
    -1.990811442821046,
    -0.20344748212506863,
    -2.5468164280012693,
    0.6460963832471639,
    1.3778101317686993,
    1.1086726807907432,
    1.5421185882167954,
    -0.40644972692430537,
    -0.39940891159519704,
    0.0,
    -2.3878974097027994,
    -0.365732817772516,
    2.0986347592975063,
    -0.6667651630854265,
    0.5270978210585872,
    -0.11672443417262383,
    0.0,
    0.5130554584406198,
    1.680399166919691,
    -0.22843357266637387,
    -0.07153909744975397,
    1.764907238134823,
    0.89170353137346,
    0.2152983526606273,
    0.29888687266413816,
    0.8981238384792016,
    0.489619652930494,
    -0.059662981185342384,
    -1.0811853282522406,
    -3.2459051153769427,
    -0.6763336356928388,
    1.5447836887495854,
    -1.6250906906788378,
    0.0031921403313064983,
    -1.176272339133394,
    0.06645964607831777,
    -0.9251268315545803,
    -0.15330867079113908,
    -1.162692156328525,
    -0.0792169585659558,
    -0.9884029162021888,
];

/// Digits with pixels / 16 and label 1 for odd digits, dense and CSR.
fn digits() -> (Mat<f64>, CsrMatrix, Vec<f64>) {
    let d = datasets::digits();
    let x = Mat::from_fn(d.x.nrows(), d.x.ncols(), |i, j| d.x[(i, j)] / 16.0);
    let y = d.y.iter().map(|v| f64::from(*v as u8 % 2 == 1)).collect();
    let csr = CsrMatrix::from_dense(x.as_ref()).unwrap();
    (x, csr, y)
}

const N: f64 = 1797.0;
const C: f64 = 0.5;

fn assert_matches(
    name: &str,
    objective: f64,
    reference: f64,
    coef: &[f64],
    ref_coef: &[f64],
    tol: f64,
) {
    let rel = (objective - reference).abs() / reference;
    assert!(
        rel <= 1e-9,
        "{name}: objective {objective} vs {reference} ({rel:e} relative)"
    );
    for (j, (a, b)) in coef.iter().zip(ref_coef).enumerate() {
        assert!((a - b).abs() <= tol, "{name}: coefficient {j}: {a} vs {b}");
    }
}

#[test]
fn l2_fits_match_liblinear_and_scikit_learn() {
    let (_, x, y) = digits();
    let l2 = 1.0 / (2.0 * N * C);
    for solver in [
        LogisticSolver::TrustRegion,
        LogisticSolver::Lbfgs,
        LogisticSolver::Newton,
    ] {
        let fit = LogisticRegression::new()
            .l2(l2)
            .fit_intercept(false)
            .solver(solver)
            .tol(1e-10)
            .fit(&x, &y)
            .unwrap();
        assert!(fit.converged(), "{solver}");
        assert_matches(
            &format!("{solver}, no intercept"),
            fit.objective(),
            L2_NO_INTERCEPT_OBJECTIVE,
            fit.coef(),
            &L2_NO_INTERCEPT_COEF,
            1e-6,
        );
        let fit = LogisticRegression::new()
            .l2(l2)
            .solver(solver)
            .tol(1e-10)
            .fit(&x, &y)
            .unwrap();
        assert!(fit.converged(), "{solver}");
        assert_matches(
            &format!("{solver}, intercept"),
            fit.objective(),
            L2_INTERCEPT_OBJECTIVE,
            fit.coef(),
            &L2_INTERCEPT_COEF,
            1e-6,
        );
        assert!((fit.intercept() - L2_INTERCEPT_INTERCEPT).abs() < 1e-6);
    }
}

#[test]
fn l1_fits_match_liblinear() {
    let (_, x, y) = digits();
    let l1 = 1.0 / (N * C);
    let fit = LogisticRegression::new()
        .l1(l1)
        .fit_intercept(false)
        .tol(1e-10)
        .fit(&x, &y)
        .unwrap();
    assert!(fit.converged());
    assert_matches(
        "l1, no intercept",
        fit.objective(),
        L1_NO_INTERCEPT_OBJECTIVE,
        fit.coef(),
        &L1_NO_INTERCEPT_COEF,
        1e-5,
    );
    let fit = LogisticRegression::new()
        .l1(l1)
        .tol(1e-10)
        .fit(&x, &y)
        .unwrap();
    assert!(fit.converged());
    assert_matches(
        "l1, intercept",
        fit.objective(),
        L1_INTERCEPT_OBJECTIVE,
        fit.coef(),
        &L1_INTERCEPT_COEF,
        1e-5,
    );
    assert!((fit.intercept() - L1_INTERCEPT_INTERCEPT).abs() < 1e-5);
    // the same zeros as LIBLINEAR
    for (a, b) in fit.coef().iter().zip(&L1_INTERCEPT_COEF) {
        assert_eq!(*a == 0.0, *b == 0.0);
    }
}

#[test]
fn sparse_and_dense_forms_give_the_same_fit() {
    let (dense, x, y) = digits();
    let w: Vec<f64> = (0..y.len()).map(|i| 0.5 + (i % 5) as f64).collect();
    for (penalty, solver) in [
        (Penalty::l2(1e-3).unwrap(), LogisticSolver::Newton),
        (Penalty::l2(1e-3).unwrap(), LogisticSolver::TrustRegion),
        (Penalty::l1(1e-3).unwrap(), LogisticSolver::ProxNewton),
    ] {
        let cfg = LogisticRegression::new()
            .penalty(penalty)
            .solver(solver)
            .tol(1e-13);
        let a = cfg.fit_weighted(dense.as_ref(), &y, &w).unwrap();
        let b = cfg.fit_weighted(&x, &y, &w).unwrap();
        assert!(a.converged() && b.converged(), "{solver}");
        assert!(
            (a.objective() - b.objective()).abs() <= 1e-12 * a.objective(),
            "{solver}"
        );
        let scale = a.coef().iter().fold(1.0f64, |m, v| m.max(v.abs()));
        for (u, v) in a.coef().iter().zip(b.coef()) {
            assert!((u - v).abs() <= 1e-12 * scale, "{solver}: {u} vs {v}");
        }
        assert!((a.intercept() - b.intercept()).abs() <= 1e-12 * scale);
        // predictions take either form too
        let (pa, pb) = (
            a.predict_proba(dense.as_ref()).unwrap(),
            b.predict_proba(&x).unwrap(),
        );
        assert!(pa.iter().zip(&pb).all(|(u, v)| (u - v).abs() <= 1e-12));
    }
}

#[test]
fn hessian_vector_products_reuse_the_recorded_curvature_exactly() {
    let (dense, x, y) = digits();
    let theta: Vec<f64> = (0..65).map(|j| ((j as f64) * 0.7).sin() * 0.3).collect();
    let v: Vec<f64> = (0..65).map(|j| ((j as f64) * 1.3).cos()).collect();
    let mut sparse = LinearObjective::new(&x, &y, Logistic)
        .unwrap()
        .penalty(Penalty::l2(0.01).unwrap())
        .unwrap();
    let mut full = LinearObjective::new(dense.as_ref(), &y, Logistic)
        .unwrap()
        .penalty(Penalty::l2(0.01).unwrap())
        .unwrap();
    let (mut first, mut again, mut reference) = (vec![0.0; 65], vec![0.0; 65], vec![0.0; 65]);
    let mut g = vec![0.0; 65];
    sparse.hessian_vector_product(&theta, &v, &mut first);
    // the gradient pass at theta records the curvature; the next product uses it
    sparse.value_and_gradient(&theta, &mut g);
    sparse.hessian_vector_product(&theta, &v, &mut again);
    full.hessian_vector_product(&theta, &v, &mut reference);
    for ((a, b), r) in first.iter().zip(&again).zip(&reference) {
        assert!(
            (a - r).abs() <= 1e-12 * (1.0 + r.abs()) && (b - r).abs() <= 1e-12 * (1.0 + r.abs()),
            "{a} {b} {r}"
        );
    }
    // a product elsewhere does not use the curvature of theta
    let other: Vec<f64> = theta.iter().map(|t| t + 0.1).collect();
    sparse.hessian_vector_product(&other, &v, &mut again);
    full.hessian_vector_product(&other, &v, &mut reference);
    for (b, r) in again.iter().zip(&reference) {
        assert!((b - r).abs() <= 1e-12 * (1.0 + r.abs()));
    }
}

#[test]
fn multinomial_fits_agree_between_sparse_and_dense_forms() {
    let (dense, _, _) = digits();
    let d = datasets::digits();
    let rows: Vec<usize> = (0..d.y.len()).filter(|&i| d.y[i] < 3.0).collect();
    let x = Mat::from_fn(rows.len(), 64, |i, j| dense[(rows[i], j)]);
    let y: Vec<f64> = rows.iter().map(|&i| d.y[i]).collect();
    let csr = CsrMatrix::from_dense(x.as_ref()).unwrap();
    // Newton ends at a quadratically converged point, so both forms agree to rounding; the
    // trust-region method stops with |g| <= 1e-12 at curvature >= 2e-3: within 5e-10
    for (solver, coef_tol) in [
        (LogisticSolver::Newton, 1e-11),
        (LogisticSolver::TrustRegion, 1e-9),
    ] {
        let cfg = LogisticRegression::new()
            .l2(1e-3)
            .solver(solver)
            .tol(1e-12)
            .multinomial();
        let a = cfg.fit(x.as_ref(), &y).unwrap();
        let b = cfg.fit(&csr, &y).unwrap();
        assert!(a.converged() && b.converged(), "{solver}");
        assert!((a.objective() - b.objective()).abs() <= 1e-12 * a.objective());
        let scale = a.coef().iter().fold(1.0f64, |m, v| m.max(v.abs()));
        for (u, v) in a.coef().iter().zip(b.coef()) {
            assert!((u - v).abs() <= coef_tol * scale, "{solver}: {u} vs {v}");
        }
        assert_eq!(a.predict(x.as_ref()).unwrap(), b.predict(&csr).unwrap());
    }
}

/// The digit itself as a regression target.
fn digit_target() -> Vec<f64> {
    datasets::digits().y
}

#[test]
fn lasso_by_coordinate_descent_on_csc_matches_scikit_learn() {
    let (dense, csr, _) = digits();
    let csc = csr.to_csc().unwrap();
    let t = digit_target();
    // coordinate descent stops when no step is worth more than tol var(y) of the objective:
    // 1e-15 leaves the coefficients within about 1e-7
    let cfg = LinearRegression::new()
        .penalty(Penalty::l1(0.01).unwrap())
        .tol(1e-15);
    let fit = cfg.fit(&csc, &t).unwrap();
    assert_eq!(fit.solver(), LinearSolver::CoordinateDescent);
    assert!(fit.converged());
    let objective = fit.objective().unwrap();
    assert_matches(
        "lasso",
        objective,
        LASSO_OBJECTIVE,
        fit.coef(),
        &LASSO_COEF,
        1e-6,
    );
    assert!((fit.intercept() - LASSO_INTERCEPT).abs() < 1e-6);
    // the dense fit (Gram-mode coordinate descent) reaches the same objective
    let d = cfg.fit(dense.as_ref(), &t).unwrap();
    assert!((d.objective().unwrap() - objective).abs() <= 1e-9 * objective);
    // a CSR design takes FISTA under auto (gradient-mapping test at the default 1e-7)
    let f = cfg.clone().tol(1e-7).fit(&csr, &t).unwrap();
    assert_eq!(f.solver(), LinearSolver::Fista);
    assert!(f.converged());
    assert!((f.objective().unwrap() - objective).abs() <= 1e-6 * objective);
}

#[test]
fn ridge_by_newton_cg_on_sparse_matches_scikit_learn_and_the_dense_fit() {
    let (dense, csr, _) = digits();
    let t = digit_target();
    let cfg = LinearRegression::new()
        .penalty(Penalty::l2(1.0 / (2.0 * N)).unwrap())
        .tol(1e-12);
    let fit = cfg.fit(&csr, &t).unwrap();
    assert_eq!(fit.solver(), LinearSolver::NewtonCg);
    assert!(fit.converged());
    assert_matches(
        "ridge",
        fit.objective().unwrap(),
        RIDGE_OBJECTIVE,
        fit.coef(),
        &RIDGE_COEF,
        1e-6,
    );
    assert!((fit.intercept() - RIDGE_INTERCEPT).abs() < 1e-6);
    let d = cfg.fit(dense.as_ref(), &t).unwrap();
    let scale = d.coef().iter().fold(1.0f64, |m, v| m.max(v.abs()));
    for (a, b) in fit.coef().iter().zip(d.coef()) {
        assert!((a - b).abs() <= 1e-9 * scale, "{a} vs {b}");
    }
    // weighted fits agree too
    let w: Vec<f64> = (0..t.len()).map(|i| 1.0 + (i % 3) as f64).collect();
    let a = cfg.fit_weighted(&csr, &t, &w).unwrap();
    let b = cfg.fit_weighted(dense.as_ref(), &t, &w).unwrap();
    assert!(
        (a.objective().unwrap() - b.objective().unwrap()).abs() <= 1e-12 * b.objective().unwrap()
    );
    // predictions on either form
    let (pa, pb) = (a.predict(&csr).unwrap(), a.predict(dense.as_ref()).unwrap());
    assert!(
        pa.iter()
            .zip(&pb)
            .all(|(u, v)| (u - v).abs() <= 1e-12 * (1.0 + v.abs()))
    );
}

#[test]
fn dense_only_solvers_are_refused_on_sparse_designs() {
    let (_, csr, _) = digits();
    let t = digit_target();
    let err = LinearRegression::new()
        .solver(LinearSolver::Qr)
        .fit(&csr, &t)
        .unwrap_err();
    assert!(
        err.to_string().contains("the qr solver factors a dense X"),
        "{err}"
    );
    let w = vec![1.0; t.len()];
    let err = LinearRegression::new()
        .penalty(Penalty::l1(0.01).unwrap())
        .solver(LinearSolver::CoordinateDescent)
        .fit_weighted(csr.to_csc().unwrap(), &t, &w)
        .unwrap_err();
    assert!(err.to_string().contains("takes no sample weights"), "{err}");
}

mod properties {
    use super::*;
    use linmod_models::loss::{Softmax, Squared};
    use optim::check_objective_gradient;
    use proptest::prelude::*;

    /// A sparse `n x p` matrix from a seed-free strategy: entries kept where `mask` says so.
    fn sparse(n: usize, p: usize, values: &[f64], mask: &[bool]) -> CsrMatrix {
        let dense = Mat::from_fn(n, p, |i, j| {
            if mask[i * p + j] {
                values[i * p + j]
            } else {
                0.0
            }
        });
        CsrMatrix::from_dense(dense.as_ref()).unwrap()
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(24))]

        /// Every loss's gradient on a CSR design matches central differences, with weights,
        /// penalty and intercept; and the Hessian-vector product matches differences of the
        /// gradient.
        #[test]
        fn sparse_objectives_have_consistent_derivatives(
            values in proptest::collection::vec(-2.0f64..2.0, 48),
            mask in proptest::collection::vec(proptest::bool::weighted(0.3), 48),
            theta in proptest::collection::vec(-1.0f64..1.0, 7),
            w in proptest::collection::vec(0.1f64..3.0, 12),
        ) {
            let x = sparse(12, 4, &values, &mask);
            let y01: Vec<f64> = (0..12).map(|i| f64::from(u8::from(i % 3 == 0))).collect();
            let y3: Vec<f64> = (0..12).map(|i| (i % 3) as f64).collect();
            let pen = Penalty::l2(0.05).unwrap();
            let mut lo = LinearObjective::new(&x, &y01, Logistic).unwrap().weights(Some(&w)).unwrap().penalty(pen).unwrap();
            prop_assert!(check_objective_gradient(&mut lo, &theta[..5]) < 1e-6);
            let mut sq = LinearObjective::new(&x, &values[..12], Squared).unwrap().penalty(pen).unwrap();
            prop_assert!(check_objective_gradient(&mut sq, &theta[..5]) < 1e-6);
            let mut sm = LinearObjective::new(&x, &y3, Softmax::new(3)).unwrap().intercept(false).penalty(pen).unwrap();
            let t12: Vec<f64> = (0..12).map(|k| theta[k % 7] * 0.5).collect();
            prop_assert!(check_objective_gradient(&mut sm, &t12) < 1e-6);
            // H v against differences of the gradient along v
            let v = [0.3, -0.2, 0.5, 0.1, -0.4];
            let mut hv = [0.0; 5];
            lo.hessian_vector_product(&theta[..5], &v, &mut hv);
            let h = 1e-6;
            let plus: Vec<f64> = theta[..5].iter().zip(&v).map(|(t, d)| t + h * d).collect();
            let minus: Vec<f64> = theta[..5].iter().zip(&v).map(|(t, d)| t - h * d).collect();
            let (mut gp, mut gm) = ([0.0; 5], [0.0; 5]);
            lo.value_and_gradient(&plus, &mut gp);
            lo.value_and_gradient(&minus, &mut gm);
            for k in 0..5 {
                let fd = (gp[k] - gm[k]) / (2.0 * h);
                prop_assert!((fd - hv[k]).abs() < 1e-6 * (1.0 + hv[k].abs()), "{} vs {}", fd, hv[k]);
            }
        }
    }
}
