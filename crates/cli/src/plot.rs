//! Figures: line and point series on linear or logarithmic axes, reference lines, a legend
//! beside the plot, written as SVG or PNG.
//!
//! `axis` chooses ranges and ticks (decades labelled `10ᵏ` on logarithmic axes), `layout`
//! places every text, measured with the built-in font (`font`), so that none overlaps
//! another, and `render` draws a layout with plotters: as SVG (text as `<text>`, shown in the
//! viewer's sans-serif font) or as a PNG rendered in pure Rust, whose text chunks hold the
//! figure's title and a description of its axes.

mod axis;
mod font;
mod layout;
mod render;

use std::path::Path;

use anyhow::{Context, Result};

pub use layout::Layout;

/// How a series is drawn.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mark {
    /// A polyline through the points.
    Line,
    /// A dashed polyline (a prediction or a reference curve).
    Dashed,
    /// Circles at the points.
    Points,
}

/// One named series.
#[derive(Clone, Debug)]
pub struct Series {
    pub name: String,
    pub points: Vec<(f64, f64)>,
    pub mark: Mark,
    /// Whether the axis ranges cover this series. A run that diverges is drawn clipped to
    /// the axes instead of stretching them.
    pub sets_range: bool,
    /// Texts beside the points (points only), such as group sizes.
    pub labels: Vec<String>,
    /// Relative marker areas (points only); empty for equal markers.
    pub weights: Vec<f64>,
    /// Dots at the points of a line.
    pub markers: bool,
}

impl Series {
    fn new(name: impl Into<String>, points: Vec<(f64, f64)>, mark: Mark) -> Self {
        Self {
            name: name.into(),
            points,
            mark,
            sets_range: true,
            labels: Vec::new(),
            weights: Vec::new(),
            markers: false,
        }
    }

    pub fn line(name: impl Into<String>, points: Vec<(f64, f64)>) -> Self {
        Self::new(name, points, Mark::Line)
    }

    pub fn dashed(name: impl Into<String>, points: Vec<(f64, f64)>) -> Self {
        Self::new(name, points, Mark::Dashed)
    }

    pub fn points(name: impl Into<String>, points: Vec<(f64, f64)>) -> Self {
        Self::new(name, points, Mark::Points)
    }

    /// Draws the series clipped to axes chosen without it.
    pub fn clipped(mut self) -> Self {
        self.sets_range = false;
        self
    }

    /// Marks the points of a line with dots.
    pub fn with_markers(mut self) -> Self {
        self.markers = true;
        self
    }

    /// Writes `labels[i]` beside point `i`.
    pub fn labelled(mut self, labels: Vec<String>) -> Self {
        self.labels = labels;
        self
    }

    /// Makes the area of marker `i` proportional to `weights[i]`.
    pub fn weighted(mut self, weights: Vec<f64>) -> Self {
        self.weights = weights;
        self
    }
}

/// A dashed reference line across the plot at a value of one axis.
#[derive(Clone, Debug)]
pub struct Guide {
    /// A vertical line at `x = at` (else a horizontal one at `y = at`).
    pub vertical: bool,
    pub at: f64,
    /// A short name written above the plot at a vertical line (may be empty).
    pub tag: String,
    /// The legend's entry.
    pub name: String,
}

/// A figure: title, axis labels, series and reference lines.
#[derive(Clone, Debug)]
pub struct Chart {
    pub title: String,
    pub x_label: String,
    pub y_label: String,
    pub log_x: bool,
    pub log_y: bool,
    /// The y axis counts: whole-numbered ticks.
    pub integer_y: bool,
    pub series: Vec<Series>,
    pub guides: Vec<Guide>,
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
            integer_y: false,
            series: Vec::new(),
            guides: Vec::new(),
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

    pub fn integer_y(mut self) -> Self {
        self.integer_y = true;
        self
    }

    pub fn with(mut self, series: Series) -> Self {
        self.series.push(series);
        self
    }

    /// A vertical reference line at `x`, tagged `tag` above the plot.
    pub fn vline(mut self, x: f64, tag: impl Into<String>, name: impl Into<String>) -> Self {
        self.guides.push(Guide {
            vertical: true,
            at: x,
            tag: tag.into(),
            name: name.into(),
        });
        self
    }

    /// A horizontal reference line at `y`.
    pub fn hline(mut self, y: f64, name: impl Into<String>) -> Self {
        self.guides.push(Guide {
            vertical: false,
            at: y,
            tag: String::new(),
            name: name.into(),
        });
        self
    }

    /// The figure's layout: axes, ticks and the place of every text.
    ///
    /// # Errors
    /// No finite data to plot, or texts that cannot be placed without overlapping.
    pub fn layout(&self) -> Result<Layout> {
        layout::layout(self).with_context(|| format!("laying out the figure `{}`", self.title))
    }

    /// Writes the figure to `path`: a PNG for a `.png` extension, else an SVG.
    pub fn write(&self, path: &Path) -> Result<()> {
        let layout = self.layout()?;
        let is_png = path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("png"));
        let bytes = if is_png {
            render::png(self, &layout)?
        } else {
            render::svg(self, &layout)?.into_bytes()
        };
        crate::output::write_file(path, |w| Ok(w.write_all(&bytes)?))
    }
}
