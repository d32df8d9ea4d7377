//! Classification metrics against hand-computed values and an independent Mann-Whitney AUC.

#![allow(clippy::float_cmp)] // small hand-computed cases are exact in binary

mod support;

use linmod_models::ModelError;
use linmod_models::metrics::{
    ConfusionMatrix, brier_score, log_loss, precision_recall_f1, roc_auc, roc_curve,
    threshold_sweep,
};
use proptest::prelude::*;

/// `U / (n_pos n_neg)`: the fraction of (positive, negative) pairs ordered correctly, ties
/// counting one half, by brute force over all pairs.
fn mann_whitney(y: &[f64], s: &[f64]) -> f64 {
    let mut u = 0.0;
    let (mut np, mut nn) = (0.0, 0.0);
    for (i, &yi) in y.iter().enumerate() {
        if yi == 1.0 {
            np += 1.0;
            for (j, &yj) in y.iter().enumerate() {
                if yj == 0.0 {
                    u += if s[i] > s[j] {
                        1.0
                    } else if s[i] == s[j] {
                        0.5
                    } else {
                        0.0
                    };
                }
            }
        } else {
            nn += 1.0;
        }
    }
    u / (np * nn)
}

proptest! {
    #![proptest_config(support::cases(128))]

    #[test]
    fn auc_is_the_mann_whitney_statistic(
        pairs in proptest::collection::vec((any::<bool>(), 0u8..6), 2..40)
    ) {
        let y: Vec<f64> = pairs.iter().map(|(b, _)| f64::from(u8::from(*b))).collect();
        // few distinct scores: many ties
        let s: Vec<f64> = pairs.iter().map(|(_, v)| f64::from(*v) / 5.0).collect();
        let pos = y.iter().filter(|v| **v == 1.0).count();
        prop_assume!(pos > 0 && pos < y.len());
        let auc = roc_auc(&y, &s).unwrap();
        prop_assert!((auc - mann_whitney(&y, &s)).abs() < 1e-12, "{} vs {}", auc, mann_whitney(&y, &s));
    }
}

#[test]
fn confusion_matrix_and_averages_by_hand() {
    // true: 0 0 1 1 2 2 2, predicted: 0 1 1 1 2 0 2
    let t = [0.0, 0.0, 1.0, 1.0, 2.0, 2.0, 2.0];
    let p = [0.0, 1.0, 1.0, 1.0, 2.0, 0.0, 2.0];
    let cm = ConfusionMatrix::new(&t, &p, 3).unwrap();
    assert_eq!(cm.counts, vec![vec![1, 1, 0], vec![0, 2, 0], vec![1, 0, 2]]);
    assert_eq!(cm.accuracy(), 5.0 / 7.0);
    // class 0: P = 1/2, R = 1/2; class 1: P = 2/3, R = 1; class 2: P = 1, R = 2/3
    assert_eq!(
        (cm.precision(0).unwrap(), cm.recall(0).unwrap()),
        (0.5, 0.5)
    );
    assert_eq!(
        (cm.precision(1).unwrap(), cm.recall(1).unwrap()),
        (2.0 / 3.0, 1.0)
    );
    assert_eq!(
        (cm.precision(2).unwrap(), cm.recall(2).unwrap()),
        (1.0, 2.0 / 3.0)
    );
    assert!((cm.f1(1).unwrap() - 0.8).abs() < 1e-15);
    let (mp, mr, _) = cm.macro_averages();
    assert!((mp - (0.5 + 2.0 / 3.0 + 1.0) / 3.0).abs() < 1e-15);
    assert!((mr - (0.5 + 1.0 + 2.0 / 3.0) / 3.0).abs() < 1e-15);
}

#[test]
fn binary_precision_recall_and_zero_division() {
    let (p, r, f) = precision_recall_f1(&[1.0, 1.0, 1.0, 0.0], &[1.0, 0.0, 0.0, 0.0]).unwrap();
    assert_eq!((p, r), (1.0, 1.0 / 3.0));
    assert!((f - 0.5).abs() < 1e-15);
    // nothing predicted positive: precision 0 by convention, not NaN
    let (p, _, f) = precision_recall_f1(&[1.0, 0.0], &[0.0, 0.0]).unwrap();
    assert_eq!((p, f), (0.0, 0.0));
}

#[test]
fn roc_curve_with_ties_and_auc_extremes() {
    let roc = roc_curve(&[0.0, 1.0, 0.0, 1.0], &[0.5, 0.5, 0.2, 0.9]).unwrap();
    assert_eq!(roc.thresholds, vec![f64::INFINITY, 0.9, 0.5, 0.2]);
    assert_eq!(roc.fpr, vec![0.0, 0.0, 0.5, 1.0]);
    assert_eq!(roc.tpr, vec![0.0, 0.5, 1.0, 1.0]);
    assert_eq!(roc_auc(&[0.0, 1.0], &[0.1, 0.9]).unwrap(), 1.0);
    assert_eq!(roc_auc(&[0.0, 1.0], &[0.9, 0.1]).unwrap(), 0.0);
    assert_eq!(roc_auc(&[0.0, 1.0], &[0.5, 0.5]).unwrap(), 0.5);
    assert!(matches!(
        roc_auc(&[1.0, 1.0], &[0.1, 0.2]),
        Err(ModelError::SingleClass { .. })
    ));
}

#[test]
fn probability_losses_by_hand() {
    let ll = log_loss(&[1.0, 0.0], &[0.8, 0.4]).unwrap();
    assert!((ll - (-(0.8f64.ln()) - 0.6f64.ln()) / 2.0).abs() < 1e-15);
    assert_eq!(log_loss(&[1.0], &[0.0]).unwrap(), f64::INFINITY);
    assert_eq!(
        brier_score(&[1.0, 0.0, 1.0], &[1.0, 0.0, 0.5]).unwrap(),
        0.25 / 3.0
    );
    let e = log_loss(&[1.0, 0.0], &[0.5, 1.5]).unwrap_err();
    assert_eq!(
        e.to_string(),
        "invalid probability 1.5 at index 1: probabilities must be in [0, 1]"
    );
    let e = brier_score(&[2.0], &[0.5]).unwrap_err();
    assert!(e.to_string().contains("invalid label 2 at row 0"), "{e}");
}

#[test]
fn thresholds_trade_precision_for_recall() {
    let y = [0.0, 0.0, 1.0, 1.0, 1.0, 0.0];
    let p = [0.2, 0.6, 0.55, 0.8, 0.9, 0.3];
    let rows = threshold_sweep(&y, &p, &[0.5, 0.75]).unwrap();
    // at 0.5: predicted 0 1 1 1 1 0 -> TP 3, FP 1
    assert_eq!((rows[0].precision, rows[0].recall), (0.75, 1.0));
    // at 0.75: predicted 0 0 0 1 1 0 -> TP 2, FP 0
    assert_eq!((rows[1].precision, rows[1].recall), (1.0, 2.0 / 3.0));
    assert_eq!(rows[1].accuracy, 5.0 / 6.0);
    assert!(threshold_sweep(&y, &p, &[1.2]).is_err());
}
