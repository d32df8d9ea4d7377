//! A classifier with one hidden layer (a multilayer perceptron), trained by `optim`'s
//! minibatch SGD: a non-linear model on the same [`Objective`](optim::Objective) machinery as
//! the linear ones, with hand-written backpropagation and no deep-learning framework.
//!
//! For `x` in `R^p`, `h` hidden units and `K` classes:
//!
//! ```text
//! a = W1^T x + b1,  H = g(a),  z = W2^T H + b2,  P(y = c | x) = softmax_c(z)
//! f = 1/n sum_i [logsumexp(z_i) - z_{i,y_i}] + l2 (|W1|_F^2 + |W2|_F^2)
//! ```
//!
//! with `g` ReLU or tanh ([`Activation`]). Backpropagation on a block of rows is three matrix
//! products after the softmax residual `dZ = (P - Y)/n`: `dW2 = H^T dZ`,
//! `dH = (dZ W2^T) .* g'(A)`, `dW1 = X^T dH` (derivation in `docs/math.md`).
//!
//! | type | role |
//! |---|---|
//! | [`Mlp`] | configuration: width, activation, initialization, penalty, SGD settings |
//! | [`FittedMlp`] | predictions, accuracy, log loss, weights, per-epoch loss history |
//! | [`MlpObjective`] | the loss as an `optim` [`SumOfTerms`](optim::SumOfTerms) objective |
//! | [`Architecture`] | the shape `p -> h -> K` and the layout of the parameter vector |
//! | [`Activation`], [`Init`] | ReLU / tanh, He / Glorot |
//!
//! # Example: the ten digits
//! ```
//! use datasets::{StandardScaler, TrainTestSplit};
//! use linmod_models::mlp::Mlp;
//! let digits = datasets::digits();
//! let (train, test) = TrainTestSplit::new(0.2).seed(0).stratify(true).split(&digits).unwrap();
//! let (scaler, x_train) = StandardScaler::fit_transform(train.x.as_ref()).unwrap();
//! let x_test = scaler.transform(test.x.as_ref()).unwrap();
//! // the exercise trains 100 epochs; 10 are enough for a quick check
//! let fit = Mlp::new().epochs(10).fit(x_train.as_ref(), &train.y).unwrap();
//! let losses = fit.loss_history();
//! for (epoch, loss) in losses.iter().enumerate().step_by(5) {
//!     println!("epoch {epoch:3}: loss {loss:.4}");
//! }
//! assert!(losses[10] < losses[0]);
//! assert!(fit.score(x_test.as_ref(), &test.y).unwrap() > 0.85);
//! ```

mod activation;
mod architecture;
mod fitted;
mod model;
mod network;
mod objective;

pub use activation::{Activation, Init};
pub use architecture::Architecture;
pub use fitted::FittedMlp;
pub use model::Mlp;
pub use objective::MlpObjective;
