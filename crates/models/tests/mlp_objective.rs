//! Property tests of the network objective: its values agree with a naive per-row
//! implementation, and its full and minibatch gradients with central differences, for random
//! small networks and batches, both activations, with and without L2. `PROPTEST_CASES=N` runs
//! more cases.

mod support;

use linalg_core::Mat;
use linmod_models::mlp::{Activation, Architecture, Init, MlpObjective};
use optim::{Objective, SumOfTerms, central_gradient, check_objective_gradient};
use proptest::prelude::*;

#[derive(Clone, Debug)]
struct Case {
    x: Mat<f64>,
    labels: Vec<usize>,
    hidden: usize,
    classes: usize,
    activation: Activation,
    l2: f64,
    theta: Vec<f64>,
    batch: Vec<usize>,
}

impl Case {
    fn arch(&self) -> Architecture {
        Architecture::new(self.x.ncols(), self.hidden, self.classes).unwrap()
    }

    fn y(&self) -> Vec<f64> {
        self.labels.iter().map(|&l| l as f64).collect()
    }

    fn objective(&self) -> MlpObjective<'_> {
        MlpObjective::new(
            self.x.as_ref(),
            &self.y(),
            self.arch(),
            self.activation,
            self.l2,
        )
        .unwrap()
    }
}

fn case() -> impl Strategy<Value = Case> {
    (
        1usize..=12,
        1usize..=4,
        1usize..=5,
        2usize..=4,
        prop_oneof![Just(Activation::Relu), Just(Activation::Tanh)],
    )
        .prop_flat_map(|(n, p, hidden, classes, activation)| {
            let dim = (p + classes + 1) * hidden + classes;
            (
                proptest::collection::vec(-2.0f64..2.0, n * p),
                proptest::collection::vec(0..classes, n),
                prop_oneof![Just(0.0), 0.0f64..1.0],
                proptest::collection::vec(-1.5f64..1.5, dim),
                proptest::sample::subsequence((0..n).collect::<Vec<_>>(), 1..=n),
            )
                .prop_map(move |(xv, labels, l2, theta, batch)| Case {
                    x: Mat::from_fn(n, p, |i, j| xv[i + j * n]),
                    labels,
                    hidden,
                    classes,
                    activation,
                    l2,
                    theta,
                    batch,
                })
        })
}

/// The objective on `rows`, one row and one unit at a time, straight from the formula; also
/// returns the smallest `|pre-activation|` met (how close a ReLU is to its kink).
fn reference(c: &Case, theta: &[f64], rows: &[usize]) -> (f64, f64) {
    let arch = c.arch();
    let (p, h, k) = (c.x.ncols(), c.hidden, c.classes);
    let (w1, b1, w2, b2) = (
        &theta[arch.w1_range()],
        &theta[arch.b1_range()],
        &theta[arch.w2_range()],
        &theta[arch.b2_range()],
    );
    let mut total = 0.0;
    let mut closest = f64::INFINITY;
    for &i in rows {
        let hidden: Vec<f64> = (0..h)
            .map(|u| {
                let a = b1[u] + (0..p).map(|j| c.x[(i, j)] * w1[u * p + j]).sum::<f64>();
                closest = closest.min(a.abs());
                match c.activation {
                    Activation::Relu => a.max(0.0),
                    _ => a.tanh(),
                }
            })
            .collect();
        let z: Vec<f64> = (0..k)
            .map(|cl| b2[cl] + (0..h).map(|u| hidden[u] * w2[cl * h + u]).sum::<f64>())
            .collect();
        let m = z.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        let lse = m + z.iter().map(|v| (v - m).exp()).sum::<f64>().ln();
        total += lse - z[c.labels[i]];
    }
    let squares: f64 = w1.iter().chain(w2).map(|w| w * w).sum();
    (total / rows.len() as f64 + c.l2 * squares, closest)
}

/// Central differences are meaningless across a ReLU kink: skip the rare case whose
/// pre-activations come within 1e-4 of 0 (the difference step is about 1e-5).
fn far_from_kinks(c: &Case, closest: f64) -> bool {
    c.activation != Activation::Relu || closest > 1e-4
}

proptest! {
    #![proptest_config(support::cases(48))]

    #[test]
    fn full_objective_and_gradient(c in case()) {
        let all: Vec<usize> = (0..c.x.nrows()).collect();
        let (expected, closest) = reference(&c, &c.theta, &all);
        prop_assume!(far_from_kinks(&c, closest));
        let mut obj = c.objective();
        let value = obj.value(&c.theta);
        prop_assert!((value - expected).abs() <= 1e-12 * (1.0 + expected.abs()), "{} vs {}", value, expected);
        let mut g = vec![0.0; obj.dim()];
        let fused = obj.value_and_gradient(&c.theta, &mut g);
        prop_assert!((fused - value).abs() <= 1e-14 * (1.0 + value.abs()));
        let err = check_objective_gradient(&mut obj, &c.theta);
        prop_assert!(err < 1e-6, "gradient relative error {}", err);
    }

    #[test]
    fn batch_objective_and_gradient(c in case()) {
        let (expected, closest) = reference(&c, &c.theta, &c.batch);
        prop_assume!(far_from_kinks(&c, closest));
        let mut obj = c.objective();
        let mut g = vec![0.0; obj.dim()];
        let value = obj.batch_value_and_gradient(&c.theta, &c.batch, &mut g);
        prop_assert!((value - expected).abs() <= 1e-12 * (1.0 + expected.abs()), "{} vs {}", value, expected);
        let mut probe = c.objective();
        let mut scratch = vec![0.0; obj.dim()];
        let mut fd = vec![0.0; obj.dim()];
        central_gradient(|t| probe.batch_value_and_gradient(t, &c.batch, &mut scratch), &c.theta, &mut fd);
        let diff = g.iter().zip(&fd).map(|(a, b)| (a - b).powi(2)).sum::<f64>().sqrt();
        let err = diff / fd.iter().map(|v| v * v).sum::<f64>().sqrt().max(1.0);
        prop_assert!(err < 1e-6, "batch gradient relative error {}", err);
    }
}

#[test]
fn blocks_of_a_large_pass_agree_with_one_batch_of_every_row() {
    // 700 rows: three row blocks in the full pass, one batch in the minibatch path
    let (n, p) = (700, 5);
    let x = Mat::from_fn(n, p, |i, j| ((i * 31 + j * 17) % 23) as f64 / 11.5 - 1.0);
    let y: Vec<f64> = (0..n).map(|i| (i % 3) as f64).collect();
    let arch = Architecture::new(p, 6, 3).unwrap();
    let theta = arch.initial_parameters(Init::He, 5);
    let mut obj = MlpObjective::new(x.as_ref(), &y, arch, Activation::Relu, 0.1).unwrap();
    let mut g_full = vec![0.0; arch.dim()];
    let full = obj.value_and_gradient(&theta, &mut g_full);
    let every_row: Vec<usize> = (0..n).rev().collect();
    let mut g_batch = vec![0.0; arch.dim()];
    let batch = obj.batch_value_and_gradient(&theta, &every_row, &mut g_batch);
    assert!(
        (full - batch).abs() < 1e-13 * full.abs(),
        "{full} vs {batch}"
    );
    for (a, b) in g_full.iter().zip(&g_batch) {
        assert!((a - b).abs() < 1e-13 * (1.0 + a.abs()), "{a} vs {b}");
    }
}

#[test]
fn zero_weights_predict_uniform_probabilities() {
    let x = Mat::from_fn(10, 3, |i, j| (i + j) as f64);
    let y: Vec<f64> = (0..10).map(|i| (i % 4) as f64).collect();
    let arch = Architecture::new(3, 5, 4).unwrap();
    let mut obj = MlpObjective::new(x.as_ref(), &y, arch, Activation::Tanh, 0.5).unwrap();
    let value = obj.value(&vec![0.0; arch.dim()]);
    assert!((value - 4f64.ln()).abs() < 1e-15, "{value}");
}

#[test]
fn huge_logits_give_exact_finite_losses() {
    // logits of +-1e3 overflow exp but not logsumexp: the loss is 0 or 2000, never inf or NaN
    let x = Mat::from_fn(2, 1, |i, _| if i == 0 { 1.0 } else { -1.0 });
    let arch = Architecture::new(1, 1, 2).unwrap();
    // h = relu(x); z = (0, 1000 h): row 0 has z = (0, 1000), row 1 has z = (0, 0)
    let mut theta = vec![0.0; arch.dim()];
    theta[arch.w1_range()][0] = 1.0;
    theta[arch.w2_range()][1] = 1000.0;
    let mut obj = MlpObjective::new(x.as_ref(), &[0.0, 0.0], arch, Activation::Relu, 0.0).unwrap();
    let mut g = vec![0.0; arch.dim()];
    let value = obj.value_and_gradient(&theta, &mut g);
    assert!(
        (value - (1000.0 + 2f64.ln()) / 2.0).abs() < 1e-12,
        "{value}"
    );
    assert!(g.iter().all(|v| v.is_finite()));
}
