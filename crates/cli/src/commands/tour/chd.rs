//! Step 7: the coronary-heart-disease table: prevalence by age group, the fitted sigmoid and
//! the statistical summary.

use anyhow::Result;
use linmod::linalg::{Mat, sigmoid};
use linmod::models::inference::InferenceOptions;
use linmod::models::linear::LinearRegression;
use linmod::models::logistic::LogisticRegression;

use super::Figures;
use super::basics::indent;
use crate::output::table;
use crate::plot::{Chart, Series};

pub fn chd(figs: &mut Figures) -> Result<()> {
    let d = linmod::datasets::chd_age();
    let ages: Vec<f64> = d.x.col(0).iter().copied().collect();
    let fit = LogisticRegression::new()
        .tol(1e-10)
        .fit(d.x.as_ref(), &d.y)?;
    outln!(
        "   the lecture's table of {} people, their age and whether they show signs of coronary heart disease;",
        ages.len()
    );
    outln!("   not the 100 people of the textbook's data set (Hosmer and Lemeshow's CHDAGE)");
    let mut rows = Vec::new();
    let mut prevalence = Vec::new();
    let mut sizes = Vec::new();
    let mut counts = Vec::new();
    for lo in (20..90).step_by(10) {
        let members: Vec<usize> = (0..ages.len())
            .filter(|&i| ages[i] >= f64::from(lo) && ages[i] < f64::from(lo + 10))
            .collect();
        if members.is_empty() {
            continue;
        }
        let sick = members.iter().filter(|&&i| d.y[i] > 0.5).count();
        let mid = f64::from(lo) + 4.5;
        let share = sick as f64 / members.len() as f64;
        prevalence.push((mid, share));
        sizes.push(members.len() as f64);
        counts.push(format!("{sick}/{}", members.len()));
        rows.push(vec![
            format!("{lo}-{}", lo + 9),
            format!("{sick} of {}", members.len()),
            format!("{share:.2}"),
            format!("{:.2}", sigmoid(fit.intercept() + fit.coef()[0] * mid)),
        ]);
    }
    let (smallest, largest) = sizes
        .iter()
        .fold((f64::INFINITY, 0.0f64), |(a, b), &n| (a.min(n), b.max(n)));
    outln!(
        "   in groups of ten years, {smallest} to {largest} people each: the prevalences are rough"
    );
    out!(
        "{}",
        indent(&table(
            &[
                "age group",
                "signs of CHD",
                "prevalence",
                "fitted P at the middle"
            ],
            &rows
        ))
    );
    let curve: Vec<(f64, f64)> = (150..=900)
        .map(|i| f64::from(i) / 10.0)
        .map(|a| (a, sigmoid(fit.intercept() + fit.coef()[0] * a)))
        .collect();
    // the least-squares line through the prevalences: what a linear model would say
    let mids = Mat::from_fn(prevalence.len(), 1, |i, _| prevalence[i].0);
    let shares: Vec<f64> = prevalence.iter().map(|p| p.1).collect();
    let ols = LinearRegression::new().fit(mids.as_ref(), &shares)?;
    let ends = Mat::from_fn(2, 1, |i, _| if i == 0 { 15.0 } else { 90.0 });
    let at_ends = ols.predict(ends.as_ref())?;
    let line = vec![(15.0, at_ends[0]), (90.0, at_ends[1])];
    let chart = Chart::new(
        "coronary heart disease by age",
        "age (years)",
        "probability of signs of CHD",
    )
    .with(
        Series::points("share with signs of CHD (k/n, area ∝ n)", prevalence)
            .weighted(sizes)
            .labelled(counts),
    )
    .with(Series::line("logistic fit", curve))
    .with(Series::line("a straight line (leaves [0, 1])", line));
    figs.save("chd", &chart)?;
    let s = fit.summary(
        d.x.as_ref(),
        &d.y,
        &InferenceOptions::default()
            .names(vec!["age".into()])
            .dependent("chd"),
    )?;
    outln!();
    out!("{}", indent(&s.to_text()));
    outln!(
        "   each year of age multiplies the odds by e^{:.4} = {:.3}",
        fit.coef()[0],
        fit.coef()[0].exp()
    );
    Ok(())
}
