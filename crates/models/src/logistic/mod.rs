//! Logistic regression: binary ([`LogisticRegression`]) and multiclass
//! ([`MultinomialRegression`], softmax or one-vs-rest), every penalty, several solvers.
//!
//! The objectives ([`LogisticObjective`](crate::objective::LogisticObjective),
//! [`MultinomialObjective`](crate::objective::MultinomialObjective)) are the generic
//! [`LinearObjective`](crate::objective::LinearObjective) with the [`Logistic`](crate::loss::Logistic)
//! and [`Softmax`](crate::loss::Softmax) losses: one fused pass over `X` per value and
//! gradient, the Hessian by weighted Gram matrices, Hessian-vector products in one pass. Every
//! solver of [`LogisticSolver`] runs on them.
//!
//! # IRLS is Newton's method
//! For `f(beta) = -1/n sum_i [y_i log p_i + (1 - y_i) log(1 - p_i)]`, `p = sigma(X beta)`, the
//! gradient is `-X^T (y - p) / n` and the Hessian `X^T W X / n`, `W = diag(p_i (1 - p_i))`.
//! The Newton step `beta+ = beta + (X^T W X)^{-1} X^T (y - p)` equals
//! `beta+ = (X^T W X)^{-1} X^T W z` with the adjusted response `z = X beta + W^{-1} (y - p)`:
//! a weighted least-squares fit, recomputed each iteration (IRLS). [`LogisticSolver::Newton`]
//! computes exactly this step, keeping `W` as the vector of weights `p_i (1 - p_i)` inside the
//! Gram kernel (`docs/math.md` has the derivation).

mod binary;
mod class_weight;
pub(crate) mod identifiability;
mod mnlogit;
mod multinomial;
mod reference_class;
pub(crate) mod solver;

pub use binary::{FittedLogistic, LogisticRegression};
pub use class_weight::ClassWeight;
pub use multinomial::{FittedMultinomial, Multiclass, MultinomialRegression};
pub use solver::LogisticSolver;
