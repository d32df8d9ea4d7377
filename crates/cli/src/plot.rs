//! SVG figures: line and point series on linear or logarithmic axes, with axis labels and a
//! legend. SVG text needs no font files, so the figures render anywhere.

use std::path::Path;

use anyhow::{Context, Result, bail};
use plotters::coord::combinators::LogCoord;
use plotters::coord::ranged1d::ValueFormatter;
use plotters::coord::types::RangedCoordf64;
use plotters::prelude::*;

type Lin = RangedCoordf64;
type Log = LogCoord<f64>;

/// How a series is drawn.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mark {
    /// A polyline through the points.
    Line,
    /// Circles at the points.
    Points,
}

/// One named series.
#[derive(Clone, Debug)]
pub struct Series {
    pub name: String,
    pub points: Vec<(f64, f64)>,
    pub mark: Mark,
}

impl Series {
    pub fn line(name: impl Into<String>, points: Vec<(f64, f64)>) -> Self {
        Self {
            name: name.into(),
            points,
            mark: Mark::Line,
        }
    }

    pub fn points(name: impl Into<String>, points: Vec<(f64, f64)>) -> Self {
        Self {
            name: name.into(),
            points,
            mark: Mark::Points,
        }
    }
}

/// The ten colours of matplotlib's `tab10`, distinguishable on white.
const PALETTE: [(u8, u8, u8); 10] = [
    (31, 119, 180),
    (255, 127, 14),
    (44, 160, 44),
    (214, 39, 40),
    (148, 103, 189),
    (140, 86, 75),
    (227, 119, 194),
    (127, 127, 127),
    (188, 189, 34),
    (23, 190, 207),
];

/// Where the legend goes, on the right-hand side of the plot.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Legend {
    Upper,
    Lower,
    Middle,
}

/// A figure: title, axis labels, series.
#[derive(Clone, Debug)]
pub struct Chart {
    pub title: String,
    pub x_label: String,
    pub y_label: String,
    pub log_x: bool,
    pub log_y: bool,
    pub legend: Legend,
    pub series: Vec<Series>,
}

impl Chart {
    pub fn new(
        title: impl Into<String>,
        x_label: impl Into<String>,
        y_label: impl Into<String>,
    ) -> Self {
        Self {
            title: title.into(),
            x_label: x_label.into(),
            y_label: y_label.into(),
            log_x: false,
            log_y: false,
            legend: Legend::Upper,
            series: Vec::new(),
        }
    }

    pub fn log_x(mut self) -> Self {
        self.log_x = true;
        self
    }

    pub fn log_y(mut self) -> Self {
        self.log_y = true;
        self
    }

    pub fn legend(mut self, legend: Legend) -> Self {
        self.legend = legend;
        self
    }

    pub fn with(mut self, series: Series) -> Self {
        self.series.push(series);
        self
    }

    /// The finite data range of one axis (positive values only on a log axis), padded by 5%.
    fn range(&self, axis: fn(&(f64, f64)) -> f64, log: bool) -> Result<(f64, f64)> {
        let values = self
            .series
            .iter()
            .flat_map(|s| s.points.iter().map(axis))
            .filter(|v| v.is_finite() && (!log || *v > 0.0));
        let (lo, hi) = values.fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), v| {
            (a.min(v), b.max(v))
        });
        if !lo.is_finite() {
            bail!("figure `{}` has no finite data to plot", self.title);
        }
        Ok(if log {
            let (a, b) = (lo.ln(), hi.ln().max(lo.ln() + 1e-9));
            let pad = 0.05 * (b - a);
            ((a - pad).exp(), (b + pad).exp())
        } else {
            let span = if hi > lo { hi - lo } else { lo.abs().max(1.0) };
            (lo - 0.05 * span, hi + 0.05 * span)
        })
    }

    /// Writes the figure as an 800 x 500 SVG file.
    pub fn write_svg(&self, path: &Path) -> Result<()> {
        let (x0, x1) = self.range(|p| p.0, self.log_x)?;
        let (y0, y1) = self.range(|p| p.1, self.log_y)?;
        let mut svg = String::new();
        let root = SVGBackend::with_string(&mut svg, (800, 500)).into_drawing_area();
        root.fill(&WHITE).map_err(|e| anyhow::anyhow!("{e}"))?;
        match (self.log_x, self.log_y) {
            (false, false) => self.draw::<Lin, Lin>(&root, (x0..x1).into(), (y0..y1).into()),
            (true, false) => {
                self.draw::<Log, Lin>(&root, (x0..x1).log_scale().into(), (y0..y1).into())
            }
            (false, true) => {
                self.draw::<Lin, Log>(&root, (x0..x1).into(), (y0..y1).log_scale().into())
            }
            (true, true) => self.draw::<Log, Log>(
                &root,
                (x0..x1).log_scale().into(),
                (y0..y1).log_scale().into(),
            ),
        }
        .with_context(|| format!("drawing {}", path.display()))?;
        root.present()
            .map_err(|e| anyhow::anyhow!("cannot draw {}: {e}", path.display()))?;
        drop(root);
        crate::output::write_file(path, |w| Ok(w.write_all(svg.as_bytes())?))
    }

    fn draw<X, Y>(
        &self,
        root: &DrawingArea<SVGBackend<'_>, plotters::coord::Shift>,
        x: X,
        y: Y,
    ) -> Result<()>
    where
        X: Ranged<ValueType = f64> + ValueFormatter<f64>,
        Y: Ranged<ValueType = f64> + ValueFormatter<f64>,
    {
        let err = |e: DrawingAreaErrorKind<_>| anyhow::anyhow!("{e}");
        let mut chart = ChartBuilder::on(root)
            .caption(&self.title, ("sans-serif", 22))
            .margin(12)
            .x_label_area_size(42)
            .y_label_area_size(64)
            .build_cartesian_2d(x, y)
            .map_err(err)?;
        chart
            .configure_mesh()
            .x_desc(&self.x_label)
            .y_desc(&self.y_label)
            .label_style(("sans-serif", 14))
            .axis_desc_style(("sans-serif", 16))
            .draw()
            .map_err(err)?;
        for (i, s) in self.series.iter().enumerate() {
            let (r, g, b) = PALETTE[i % PALETTE.len()];
            let color = RGBColor(r, g, b).to_rgba();
            let pts: Vec<(f64, f64)> = s
                .points
                .iter()
                .copied()
                .filter(|(a, b)| {
                    a.is_finite()
                        && b.is_finite()
                        && (!self.log_x || *a > 0.0)
                        && (!self.log_y || *b > 0.0)
                })
                .collect();
            match s.mark {
                Mark::Line => {
                    chart
                        .draw_series(LineSeries::new(pts, color.stroke_width(2)))
                        .map_err(err)?
                        .label(s.name.clone())
                        .legend(move |(px, py)| {
                            PathElement::new(vec![(px, py), (px + 20, py)], color.stroke_width(2))
                        });
                }
                Mark::Points => {
                    chart
                        .draw_series(pts.into_iter().map(|p| Circle::new(p, 4, color.filled())))
                        .map_err(err)?
                        .label(s.name.clone())
                        .legend(move |(px, py)| Circle::new((px + 10, py), 4, color.filled()));
                }
            }
        }
        if self.series.len() > 1 || self.series.iter().any(|s| !s.name.is_empty()) {
            let position = match self.legend {
                Legend::Upper => SeriesLabelPosition::UpperRight,
                Legend::Lower => SeriesLabelPosition::LowerRight,
                Legend::Middle => SeriesLabelPosition::MiddleRight,
            };
            chart
                .configure_series_labels()
                .position(position)
                .background_style(WHITE.mix(0.85))
                .border_style(BLACK)
                .label_font(("sans-serif", 14))
                .draw()
                .map_err(err)?;
        }
        Ok(())
    }
}
