//! The command-line interface: subcommands and their options.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::limits;

/// Linear models and the optimizers behind them.
///
/// Without a subcommand, runs the guided tour.
#[derive(Parser, Debug)]
#[command(name = "linmod", version, about, long_about = None)]
pub struct Cli {
    /// Worker threads for the blocked kernels, 1 to 256 (default: one per core). Results
    /// are bit-for-bit the same for any number.
    #[arg(long, global = true, value_name = "N", value_parser = limits::threads)]
    pub threads: Option<usize>,

    /// No progress display on stderr.
    #[arg(long, global = true)]
    pub quiet: bool,

    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// The guided tour of the course on embedded data (the default).
    Tour(TourArgs),
    /// Fit a model to a data file and print (or save) it.
    Fit(FitArgs),
    /// Predict with a saved model.
    Predict(PredictArgs),
    /// Evaluate a saved model on labelled data.
    Evaluate(EvaluateArgs),
    /// Simulate a data set with known parameters.
    Simulate(SimulateArgs),
    /// Lasso / elastic-net regularization path with cross-validation.
    Path(PathArgs),
}

#[derive(Args, Debug, Clone)]
pub struct TourArgs {
    /// Folder for the figures.
    #[arg(long, default_value = "linmod-out")]
    pub out: PathBuf,

    /// Also write every figure as a PNG (1200 x 750) beside its SVG.
    #[arg(long)]
    pub png: bool,
}

/// Where the data come from.
#[derive(Args, Debug, Clone)]
pub struct DataArgs {
    /// Data file: CSV with a header line, Parquet (`.parquet`, read as a table: text columns
    /// categorical), a NumPy `.npy` matrix, or a sparse svmlight / LIBSVM file (`.svm`,
    /// `.svmlight`, `.libsvm`: labels in the file, 1-based indices unless the file uses index
    /// 0).
    #[arg(long, value_name = "FILE")]
    pub data: PathBuf,

    /// The number of features of an svmlight file (an index beyond it is an error; a file
    /// whose highest index is lower is read with this width).
    #[arg(long, value_name = "P")]
    pub n_features: Option<usize>,

    /// Name of the target column in a CSV file.
    #[arg(long, value_name = "NAME", conflicts_with = "target_file")]
    pub target: Option<String>,

    /// Target values in their own file: a `.npy` vector, or a CSV with one column.
    #[arg(long, value_name = "FILE")]
    pub target_file: Option<PathBuf>,

    /// Drop rows holding NaN or infinite values instead of failing.
    #[arg(long)]
    pub drop_non_finite: bool,

    /// A formula `y ~ a + C(b) + a:c` (patsy's notation, as statsmodels'): the target and the
    /// terms. Text columns are categorical (treatment coding, the first level in sorted order
    /// the reference); `- 1` removes the intercept; columns not named are ignored.
    #[arg(long, value_name = "FORMULA", conflicts_with_all = ["target", "target_file", "features", "exclude", "drop_non_finite"])]
    pub formula: Option<String>,

    /// The feature columns (comma-separated), with --target: numeric columns as they are,
    /// text columns categorical.
    #[arg(long, value_name = "A,B,...", value_delimiter = ',', conflicts_with_all = ["exclude", "target_file", "drop_non_finite"])]
    pub features: Option<Vec<String>>,

    /// Columns that are not features (comma-separated), with --target: every other column is
    /// one (text columns categorical).
    #[arg(long, value_name = "A,B,...", value_delimiter = ',', conflicts_with_all = ["target_file", "drop_non_finite"])]
    pub exclude: Option<Vec<String>>,

    /// Rows with a missing value (an empty cell, NA, NaN, null) in a column used: `error`
    /// names the first (the default), `drop` drops them and reports how many.
    #[arg(long, value_enum, value_name = "POLICY", conflicts_with_all = ["target_file", "drop_non_finite"])]
    pub missing: Option<MissingPolicy>,

    /// The cells that mean "missing" (comma-separated, instead of: empty, NA, NaN, null).
    #[arg(long, value_name = "A,B,...", value_delimiter = ',')]
    pub na_values: Option<Vec<String>>,

    /// The type of a column, instead of the inferred one: NAME=text (numbers as categories,
    /// such as codes) or NAME=numeric. Repeat for several columns.
    #[arg(long = "column-type", value_name = "NAME=TYPE")]
    pub column_types: Vec<String>,
}

#[derive(ValueEnum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum MissingPolicy {
    /// The first missing value is an error naming its column and line.
    Error,
    /// Rows with a missing value are dropped (statsmodels' `missing="drop"`).
    Drop,
}

#[derive(ValueEnum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum UnseenPolicy {
    /// An error naming the column, the level and the line.
    Error,
    /// Encoded as the reference level, with a warning.
    Reference,
}

#[derive(ValueEnum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum ModelKind {
    /// Binary logistic regression (labels 0/1).
    Logistic,
    /// Multiclass logistic regression (labels 0..K-1).
    Multinomial,
    /// Linear regression (OLS, ridge, lasso, elastic net).
    Linear,
    /// Poisson GLM, log link (counts, rates with --exposure).
    Poisson,
    /// Gamma GLM, log link (default) or inverse link (positive continuous targets).
    Gamma,
    /// Tweedie GLM with --power P (default 1.5), log link.
    Tweedie,
}

/// The family options and data columns of generalized linear models.
#[derive(Args, Debug, Clone, Default)]
pub struct GlmArgs {
    /// Tweedie power P: 1 < P < 2 compound Poisson-Gamma, P >= 2 (default 1.5).
    #[arg(long, value_name = "P", allow_negative_numbers = true, value_parser = limits::finite)]
    pub power: Option<f64>,

    /// Link of a GLM (default log; gamma also has inverse).
    #[arg(long, value_enum)]
    pub link: Option<LinkKind>,

    /// Column added to the linear predictor of a GLM (not a feature).
    #[arg(long, value_name = "COL")]
    pub offset: Option<String>,

    /// Column whose log is added to the linear predictor of a GLM (> 0; not a feature).
    #[arg(long, value_name = "COL")]
    pub exposure: Option<String>,

    /// Column of prior weights of a GLM, as R's glm(weights = ) (>= 0; not a feature).
    #[arg(long, value_name = "COL")]
    pub weights: Option<String>,
}

impl GlmArgs {
    /// Whether any of the options is given.
    pub fn any(&self) -> bool {
        self.power.is_some()
            || self.link.is_some()
            || self.offset.is_some()
            || self.exposure.is_some()
            || self.weights.is_some()
    }
}

#[derive(ValueEnum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkKind {
    Log,
    Identity,
    Inverse,
}

#[derive(ValueEnum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum PenaltyKind {
    L1,
    L2,
}

#[derive(ValueEnum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Text,
    Json,
}

#[derive(ValueEnum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum Strategy {
    /// One softmax model.
    Softmax,
    /// One binary model per class.
    Ovr,
}

#[derive(Args, Debug, Clone)]
pub struct FitArgs {
    #[command(flatten)]
    pub data: DataArgs,

    /// The model.
    #[arg(long, value_enum)]
    pub model: ModelKind,

    /// L1 strength `l1` of the penalty `l1 |w|_1 + l2 |w|^2` (finite, >= 0: in the units of
    /// the target).
    #[arg(
        long,
        value_name = "X",
        conflicts_with = "c",
        allow_negative_numbers = true,
        value_parser = limits::l1_strength
    )]
    pub l1: Option<f64>,

    /// L2 strength `l2` (0 to 1e100).
    #[arg(
        long,
        value_name = "X",
        conflicts_with = "c",
        allow_negative_numbers = true,
        value_parser = limits::strength
    )]
    pub l2: Option<f64>,

    /// The course's C: the penalty is (1/C) |w|_1 or (1/C) |w|^2 (see --penalty).
    #[arg(
        long,
        value_name = "C",
        requires = "penalty",
        allow_negative_numbers = true,
        value_parser = limits::inverse_strength
    )]
    pub c: Option<f64>,

    /// Which penalty --c sets.
    #[arg(long, value_enum, requires = "c")]
    pub penalty: Option<PenaltyKind>,

    /// Solver: auto, newton, lbfgs, gd, sgd, fista, prox-newton (cd) for logistic models;
    /// auto, qr, cholesky, cd, fista, gd, sgd for linear ones.
    #[arg(long, default_value = "auto")]
    pub solver: String,

    /// Convergence tolerance (gradient infinity norm; duality gap for coordinate descent).
    #[arg(long, value_name = "T", allow_negative_numbers = true, value_parser = limits::non_negative)]
    pub tol: Option<f64>,

    /// Iteration limit (epochs for sgd).
    #[arg(long, value_name = "N")]
    pub max_iter: Option<usize>,

    /// Learning rate of gd and sgd.
    #[arg(long, value_name = "LR", allow_negative_numbers = true, value_parser = limits::positive)]
    pub learning_rate: Option<f64>,

    /// Batch size of sgd.
    #[arg(long, value_name = "N", value_parser = limits::at_least_one)]
    pub batch_size: Option<usize>,

    /// Seed of sgd's shuffling.
    #[arg(long, value_name = "S", default_value_t = 0)]
    pub seed: u64,

    /// Do not fit an intercept.
    #[arg(long)]
    pub no_intercept: bool,

    /// Multiclass strategy.
    #[arg(long, value_enum, default_value = "softmax")]
    pub strategy: Strategy,

    #[command(flatten)]
    pub glm: GlmArgs,

    /// Weigh classes by n / (K n_k).
    #[arg(long)]
    pub balanced: bool,

    /// Confidence level of the intervals in the summary, strictly between 0 and 1.
    #[arg(long, default_value_t = 0.95, allow_negative_numbers = true, value_parser = limits::open_unit_interval)]
    pub level: f64,

    /// Heteroskedasticity-robust (HC1) standard errors.
    #[arg(long)]
    pub robust: bool,

    /// Save the fitted model as JSON.
    #[arg(long, value_name = "FILE")]
    pub save: Option<PathBuf>,

    /// Output format.
    #[arg(long, value_enum, default_value = "text")]
    pub format: Format,
}

#[derive(Args, Debug, Clone)]
pub struct PredictArgs {
    /// A model saved by `linmod fit --save`.
    #[arg(long, value_name = "FILE")]
    pub model: PathBuf,

    /// Features: CSV with a header, whose columns are found by the model's feature names
    /// (other columns are ignored), or `.npy`, whose columns are the model's features in
    /// order, or an svmlight / LIBSVM file (read with the model's number of features; its
    /// labels are ignored).
    #[arg(long, value_name = "FILE")]
    pub data: PathBuf,

    /// Print probabilities (classifiers) instead of labels.
    #[arg(long)]
    pub proba: bool,

    /// Probability threshold of the positive class (binary models), in [0, 1].
    #[arg(long, default_value_t = 0.5, allow_negative_numbers = true, value_parser = limits::unit_interval)]
    pub threshold: f64,

    /// Write the CSV here instead of standard output.
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,

    /// A level of a categorical column that the model did not see (models fitted with
    /// --formula, --features or --exclude): `error` (the default) or `reference`.
    #[arg(long, value_enum, value_name = "POLICY", default_value = "error")]
    pub unseen: UnseenPolicy,
}

#[derive(Args, Debug, Clone)]
pub struct EvaluateArgs {
    /// A model saved by `linmod fit --save`.
    #[arg(long, value_name = "FILE")]
    pub model: PathBuf,

    #[command(flatten)]
    pub data: DataArgs,

    /// Probability threshold of the positive class (binary models), in [0, 1].
    #[arg(long, default_value_t = 0.5, allow_negative_numbers = true, value_parser = limits::unit_interval)]
    pub threshold: f64,

    /// Output format.
    #[arg(long, value_enum, default_value = "text")]
    pub format: Format,

    /// Write the whole confusion matrix as CSV here (the text output shows it only up to 20
    /// classes, and the largest confusions above).
    #[arg(long, value_name = "FILE")]
    pub confusion_matrix: Option<PathBuf>,
    /// A level of a categorical column that the model did not see (models fitted with
    /// --formula, --features or --exclude): `error` (the default) or `reference`.
    #[arg(long, value_enum, value_name = "POLICY", default_value = "error")]
    pub unseen: UnseenPolicy,
}

#[derive(ValueEnum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum SimKind {
    /// The course's simulator: x ~ U(-1, 1), y ~ Bernoulli(sigmoid(beta0 + x.w)).
    Logistic,
    /// y = b + x.w + noise, optionally AR(1)-correlated features.
    Linear,
    /// Softmax classes with random coefficients.
    Multinomial,
}

#[derive(Args, Debug, Clone)]
pub struct SimulateArgs {
    /// What to simulate.
    #[arg(value_enum)]
    pub kind: SimKind,

    /// Rows (rows x features at most 10^8).
    #[arg(long, default_value_t = 1000, value_parser = limits::at_least_one)]
    pub n: usize,

    /// Coefficients; for logistic the first is the intercept (the course's beta). Default:
    /// 1, 1, -1 (logistic) or 1, 2, -1 (linear).
    #[arg(long, value_delimiter = ',', allow_negative_numbers = true, value_parser = limits::finite)]
    pub beta: Option<Vec<f64>>,

    /// Intercept of the linear simulator.
    #[arg(long, default_value_t = 0.0, allow_negative_numbers = true, value_parser = limits::finite)]
    pub intercept: f64,

    /// Noise standard deviation of the linear simulator.
    #[arg(long, default_value_t = 1.0, value_parser = limits::non_negative)]
    pub noise: f64,

    /// AR(1) correlation between neighbouring features (linear), strictly between -1 and 1.
    #[arg(long, default_value_t = 0.0, allow_negative_numbers = true, value_parser = limits::correlation)]
    pub rho: f64,

    /// Features of the multinomial simulator.
    #[arg(long, default_value_t = 5, value_parser = limits::at_least_one)]
    pub p: usize,

    /// Classes of the multinomial simulator (2 to 65536, and at most --n).
    #[arg(long, default_value_t = 3, value_parser = limits::classes)]
    pub classes: usize,

    /// Seed.
    #[arg(long, default_value_t = 42)]
    pub seed: u64,

    /// Output: `.csv` (features and target `y`), or `.npy` (the features; the target goes to
    /// --out-y, by default FILE with `.npy` replaced by `_y.npy`).
    #[arg(long, value_name = "FILE")]
    pub out: PathBuf,

    /// Target file for `.npy` output (another file than --out).
    #[arg(long, value_name = "FILE")]
    pub out_y: Option<PathBuf>,
}

#[derive(Args, Debug, Clone)]
pub struct PathArgs {
    #[command(flatten)]
    pub data: DataArgs,

    /// The model of the path.
    #[arg(long, value_enum, default_value = "linear")]
    pub model: ModelKind,

    /// L1 share of the penalty: 1 is the lasso, below 1 the elastic net (in [0, 1]).
    #[arg(long, default_value_t = 1.0, value_parser = limits::unit_interval)]
    pub l1_ratio: f64,

    /// Number of penalties on the grid (1 to 10000).
    #[arg(long, default_value_t = 100, value_parser = limits::lambdas)]
    pub n_lambdas: usize,

    /// Smallest penalty as a fraction of lambda_max, strictly between 0 and 1.
    #[arg(long, default_value_t = 1e-3, value_parser = limits::open_unit_interval)]
    pub eps: f64,

    /// Smallest penalty (overrides --eps).
    #[arg(long, value_name = "X", value_parser = limits::positive)]
    pub l1: Option<f64>,

    /// Duality-gap tolerance.
    #[arg(long, value_name = "T", allow_negative_numbers = true, value_parser = limits::non_negative)]
    pub tol: Option<f64>,

    /// Sweep limit per penalty.
    #[arg(long, value_name = "N")]
    pub max_iter: Option<usize>,

    /// Cross-validation folds: 0 (no cross-validation) or at least 2.
    #[arg(long, default_value_t = 5, value_parser = limits::folds)]
    pub folds: usize,

    /// Seed of the fold assignment.
    #[arg(long, default_value_t = 0)]
    pub seed: u64,

    /// Write the path figure here: a PNG for a `.png` name, else an SVG. With
    /// cross-validation, lambda_min and the one-standard-error lambda are marked.
    #[arg(long, value_name = "FILE")]
    pub plot: Option<PathBuf>,

    /// Write the cross-validated deviance curve (mean and one standard error) here
    /// (models other than linear).
    #[arg(long, value_name = "FILE")]
    pub plot_deviance: Option<PathBuf>,

    #[command(flatten)]
    pub glm: GlmArgs,

    /// Output format.
    #[arg(long, value_enum, default_value = "text")]
    pub format: Format,
}
