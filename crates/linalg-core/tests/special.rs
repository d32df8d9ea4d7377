//! The stable scalar functions at moderate |z| (up to 1e3) and at the extremes of f64.

#![allow(clippy::float_cmp)] // exact values at the extremes are the point of these tests

mod common;

use linmod_linalg_core::{log_sigmoid, logsumexp, sigmoid, softmax_in_place, softplus};
use proptest::prelude::*;

const EXTREMES: [f64; 10] = [
    0.0,
    -0.0,
    f64::MIN_POSITIVE,
    -f64::MIN_POSITIVE,
    1e-300,
    -1e-300,
    1e300,
    -1e300,
    f64::MAX,
    -f64::MAX,
];

#[test]
fn finite_everywhere_at_the_extremes() {
    for z in EXTREMES {
        let s = sigmoid(z);
        assert!((0.0..=1.0).contains(&s), "sigmoid({z}) = {s}");
        let sp = softplus(z);
        assert!(sp.is_finite() && sp >= 0.0, "softplus({z}) = {sp}");
        let ls = log_sigmoid(z);
        assert!(ls.is_finite() && ls <= 0.0, "log_sigmoid({z}) = {ls}");
    }
    assert_eq!(sigmoid(f64::MAX), 1.0);
    assert_eq!(sigmoid(-f64::MAX), 0.0);
    assert_eq!(softplus(f64::MAX), f64::MAX);
    assert_eq!(softplus(-f64::MAX), 0.0);
    assert_eq!(log_sigmoid(-f64::MAX), -f64::MAX);
    assert_eq!(sigmoid(f64::INFINITY), 1.0);
    assert_eq!(sigmoid(f64::NEG_INFINITY), 0.0);
    assert_eq!(softplus(f64::NEG_INFINITY), 0.0);
}

#[test]
fn tails_keep_relative_precision() {
    // sigma(z) ~ e^z and softplus(z) ~ e^z for very negative z
    for z in [-30.0, -100.0, -500.0, -700.0] {
        let e = f64::exp(z);
        assert!(((sigmoid(z) - e) / e).abs() < 1e-12, "sigmoid({z})");
        assert!(((softplus(z) - e) / e).abs() < 1e-12, "softplus({z})");
    }
    // log sigma(z) ~ -e^{-z} for large z, not rounded to 0 too early
    assert!(log_sigmoid(30.0) < 0.0);
    assert!(((log_sigmoid(30.0) + f64::exp(-30.0)) / f64::exp(-30.0)).abs() < 1e-12);
}

#[test]
fn known_values() {
    assert_eq!(sigmoid(0.0), 0.5);
    assert!((sigmoid(1.0) - 0.731_058_578_630_004_9).abs() < 1e-16);
    assert!((softplus(1.0) - 1.313_261_687_518_222_8).abs() < 1e-15);
    // the course's inverse-logit table: z = 31, 1, -10
    assert!(sigmoid(31.0) > 0.999_999_999_999);
    assert!((sigmoid(1.0) - 0.73).abs() < 0.005);
    assert!(sigmoid(-10.0) < 1e-4);
}

#[test]
fn logsumexp_and_softmax_at_the_extremes() {
    let ln2 = std::f64::consts::LN_2;
    assert_eq!(logsumexp(&[1e3, 1e3]), 1e3 + ln2);
    assert_eq!(logsumexp(&[-1e3, -1e3]), -1e3 + ln2);
    assert_eq!(logsumexp(&[f64::MAX, f64::MAX]), f64::MAX);
    assert_eq!(logsumexp(&[-f64::MAX, -f64::MAX]), -f64::MAX);
    assert_eq!(logsumexp(&[f64::NEG_INFINITY, 0.0]), 0.0);
    assert_eq!(logsumexp(&[f64::NEG_INFINITY; 3]), f64::NEG_INFINITY);
    assert_eq!(logsumexp(&[f64::INFINITY, 0.0]), f64::INFINITY);
    assert!(logsumexp(&[f64::NAN, 0.0]).is_nan());
    let mut z = [f64::MAX, f64::MAX, -f64::MAX];
    let lse = softmax_in_place(&mut z);
    assert_eq!(z, [0.5, 0.5, 0.0]);
    assert_eq!(lse, f64::MAX);
    let mut z = [f64::NEG_INFINITY, 5.0];
    softmax_in_place(&mut z);
    assert_eq!(z, [0.0, 1.0]);
    let mut z = [f64::INFINITY, 1.0, f64::INFINITY];
    softmax_in_place(&mut z);
    assert_eq!(z, [0.5, 0.0, 0.5]);
    let mut z = [f64::NEG_INFINITY; 4];
    softmax_in_place(&mut z);
    assert_eq!(z, [0.25; 4]);
}

proptest! {
    #![proptest_config(common::cases(256))]

    #[test]
    fn sigmoid_is_symmetric_and_bounded(z in -1e3f64..1e3) {
        let s = sigmoid(z);
        prop_assert!((0.0..=1.0).contains(&s));
        prop_assert!((s + sigmoid(-z) - 1.0).abs() <= 2.0 * f64::EPSILON);
    }

    #[test]
    fn softplus_identity_and_naive_agreement(z in -1e3f64..1e3) {
        // softplus(z) - softplus(-z) = z
        let d = softplus(z) - softplus(-z);
        prop_assert!((d - z).abs() <= 4.0 * f64::EPSILON * (1.0 + z.abs()));
        prop_assert!((log_sigmoid(z) + softplus(-z)).abs() == 0.0);
        if z.abs() < 30.0 {
            let naive = (1.0 + z.exp()).ln();
            prop_assert!((softplus(z) - naive).abs() <= 1e-14 * naive.max(1e-300) + 1e-15);
            let naive_s = 1.0 / (1.0 + (-z).exp());
            prop_assert!((sigmoid(z) - naive_s).abs() <= 1e-15);
        }
    }

    #[test]
    fn softmax_is_a_distribution(v in proptest::collection::vec(-1e3f64..1e3, 1..12)) {
        let mut s = v.clone();
        let lse = softmax_in_place(&mut s);
        let total: f64 = s.iter().sum();
        prop_assert!((total - 1.0).abs() <= 1e-14);
        prop_assert!(s.iter().all(|p| (0.0..=1.0).contains(p)));
        prop_assert!((lse - logsumexp(&v)).abs() <= 1e-12 * (1.0 + lse.abs()));
        let m = v.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        prop_assert!(lse >= m && lse <= m + (v.len() as f64).ln() + 1e-12);
    }
}
