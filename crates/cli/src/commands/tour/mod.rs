//! `linmod tour`: the course, step by step, on embedded data. Prints compact tables and
//! writes SVG figures (and PNG copies with `--png`).

mod basics;
mod chd;
mod descent;
mod digits;
mod linear;
mod regularization;

use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::{Context, Result};

use crate::args::TourArgs;
use crate::plot::Chart;

/// Where the figures go, in which formats, and the list of those written.
pub struct Figures {
    dir: PathBuf,
    png: bool,
    written: Vec<PathBuf>,
}

impl Figures {
    fn new(dir: &Path, png: bool) -> Result<Self> {
        std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
        Ok(Self {
            dir: dir.to_path_buf(),
            png,
            written: Vec::new(),
        })
    }

    /// Writes `chart` as `name.svg` (and `name.png`) and prints where.
    pub fn save(&mut self, name: &str, chart: &Chart) -> Result<()> {
        let svg = self.dir.join(format!("{name}.svg"));
        chart.write(&svg)?;
        if self.png {
            let png = svg.with_extension("png");
            chart.write(&png)?;
            outln!("   figure: {} (and .png)", svg.display());
        } else {
            outln!("   figure: {}", svg.display());
        }
        self.written.push(svg);
        Ok(())
    }
}

fn step(n: usize, title: &str) -> Result<()> {
    outln!("\n{n}. {title}\n{}", "-".repeat(title.len() + 3));
    Ok(())
}

pub fn run(args: &TourArgs) -> Result<()> {
    let start = Instant::now();
    outln!(
        "linmod {} - a guided tour of linear models, on data embedded in the binary",
        env!("CARGO_PKG_VERSION")
    );
    outln!("figures are written to {}/", args.out.display());
    let mut figs = Figures::new(&args.out, args.png)?;
    step(1, "The sigmoid, odds and the inverse logit")?;
    basics::sigmoid_and_log_odds(&mut figs)?;
    step(
        2,
        "Logistic regression by IRLS (Newton's method): the course exercise",
    )?;
    basics::irls_exercise()?;
    step(3, "Gradient descent and the learning rate")?;
    descent::learning_rates(&mut figs)?;
    step(
        4,
        "Digits: 0 vs 1, then all ten classes (logistic models and a small network)",
    )?;
    digits::digits(&mut figs)?;
    step(
        5,
        "Regularization: C, accuracy, log loss and sparsity (breast cancer)",
    )?;
    regularization::sweep(&mut figs)?;
    step(
        6,
        "Linear regression: least squares, gradient descent and the lasso path (diabetes)",
    )?;
    linear::diabetes(&mut figs)?;
    step(
        7,
        "Coronary heart disease by age: the S-shaped curve and its statistics",
    )?;
    chd::chd(&mut figs)?;
    outln!(
        "\ntour finished in {:.1} s; {} figures in {}/",
        start.elapsed().as_secs_f64(),
        figs.written.len(),
        figs.dir.display()
    );
    Ok(())
}
