//! Where everything of a figure goes, in units of an 800 x 500 canvas: the plot area, the
//! axes with their ticks, and every text with its measured box. Space is reserved from the
//! outside in (title, tags of reference lines, axis titles, tick labels, the legend on the
//! right), so texts cannot cover each other or the data; `check` verifies it.

use anyhow::{Result, bail};

use super::axis::{Axis, padded_range};
use super::font::Metrics;
use super::{Chart, Mark};

pub const WIDTH: f64 = 800.0;
pub const HEIGHT: f64 = 500.0;
const MARGIN: f64 = 12.0;
/// Line height, in ems.
const LINE: f64 = 1.25;
const TITLE: f64 = 17.0;
const AXIS_TITLE: f64 = 14.0;
pub const TICK_LABEL: f64 = 12.0;
const LEGEND: f64 = 12.0;
const TAG: f64 = 12.0;
const NOTE: f64 = 11.0;
pub const TICK: f64 = 5.0;
const GAP: f64 = 6.0;
/// From the plot's edge to the x tick labels, and from the plot's top to the tags above it:
/// more than half a tick label's height, the most a y tick label reaches beyond the plot.
const LABEL_GAP: f64 = TICK + 3.5;
const TAG_GAP: f64 = 9.0;
/// Legend: inner padding, sample length.
const PAD: f64 = 8.0;
pub const SAMPLE: f64 = 26.0;

/// The ten colours of matplotlib's `tab10`, distinguishable on white.
pub const PALETTE: [(u8, u8, u8); 10] = [
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

/// Reference lines are black and greys, apart from the series' colours.
pub const GUIDE_COLORS: [(u8, u8, u8); 3] = [(0, 0, 0), (100, 100, 100), (160, 160, 160)];

/// An axis-aligned rectangle.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Rect {
    pub x0: f64,
    pub y0: f64,
    pub x1: f64,
    pub y1: f64,
}

impl Rect {
    fn overlaps(&self, other: &Rect) -> bool {
        self.x0 < other.x1 && other.x0 < self.x1 && self.y0 < other.y1 && other.y0 < self.y1
    }

    fn inside(&self, outer: &Rect) -> bool {
        self.x0 >= outer.x0 && self.x1 <= outer.x1 && self.y0 >= outer.y0 && self.y1 <= outer.y1
    }

    pub fn width(&self) -> f64 {
        self.x1 - self.x0
    }

    pub fn height(&self) -> f64 {
        self.y1 - self.y0
    }
}

/// How a text sits on its anchor point, along its direction.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Align {
    Start,
    Middle,
    End,
}

/// One text: its anchor (`y` is the top of the line; a rotated text runs upwards with its
/// top edge at `x`), size (em) and the box it covers.
#[derive(Clone, Debug, PartialEq)]
pub struct Text {
    pub text: String,
    pub x: f64,
    pub y: f64,
    pub size: f64,
    pub align: Align,
    pub rotated: bool,
    pub bounds: Rect,
}

impl Text {
    fn new(m: Metrics, text: &str, (x, y): (f64, f64), size: f64, align: Align) -> Self {
        let w = m.width(text, size);
        let x0 = match align {
            Align::Start => x,
            Align::Middle => x - w / 2.0,
            Align::End => x - w,
        };
        Self {
            text: text.to_string(),
            x,
            y,
            size,
            align,
            rotated: false,
            bounds: Rect {
                x0,
                y0: y,
                x1: x0 + w,
                y1: y + LINE * size,
            },
        }
    }

    /// A text running upwards, centred on `y`, its top edge at `x`.
    fn rotated(m: Metrics, text: &str, (x, y): (f64, f64), size: f64) -> Self {
        let w = m.width(text, size);
        Self {
            text: text.to_string(),
            x,
            y,
            size,
            align: Align::Middle,
            rotated: true,
            bounds: Rect {
                x0: x,
                y0: y - w / 2.0,
                x1: x + LINE * size,
                y1: y + w / 2.0,
            },
        }
    }
}

/// What a legend row shows before its text.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Sample {
    Line {
        color: (u8, u8, u8),
        dashed: bool,
        dot: bool,
    },
    Point {
        color: (u8, u8, u8),
    },
    /// No sample: a row of text only.
    Blank,
}

/// A legend row: its sample, left-aligned at `x` and centred on `y`.
#[derive(Clone, Debug, PartialEq)]
pub struct LegendRow {
    pub sample: Sample,
    pub x: f64,
    pub y: f64,
}

/// Everything placed.
#[derive(Clone, Debug)]
pub struct Layout {
    pub plot: Rect,
    pub x: Axis,
    pub y: Axis,
    /// Title, axis titles, tick labels, legend texts, tags of reference lines.
    pub texts: Vec<Text>,
    /// Texts beside points, where they found room.
    pub notes: Vec<Text>,
    pub legend_frame: Option<Rect>,
    pub legend: Vec<LegendRow>,
}

impl Layout {
    /// The canvas position of a data point; `None` when an axis cannot show it.
    pub fn to_canvas(&self, (x, y): (f64, f64)) -> Option<(f64, f64)> {
        let fx = self.x.fraction(x)?;
        let fy = self.y.fraction(y)?;
        Some((
            self.plot.x0 + fx * self.plot.width(),
            self.plot.y1 - fy * self.plot.height(),
        ))
    }

    /// Fails if a text leaves the canvas or covers another one.
    pub fn check(&self) -> Result<()> {
        let canvas = Rect {
            x0: 0.0,
            y0: 0.0,
            x1: WIDTH,
            y1: HEIGHT,
        };
        let all: Vec<&Text> = self.texts.iter().chain(&self.notes).collect();
        for (i, a) in all.iter().enumerate() {
            if !a.bounds.inside(&canvas) {
                bail!("the text `{}` does not fit on the canvas", a.text);
            }
            if let Some(b) = all[i + 1..].iter().find(|b| a.bounds.overlaps(&b.bounds)) {
                bail!("the texts `{}` and `{}` overlap", a.text, b.text);
            }
        }
        Ok(())
    }

    /// A plain-text description of the figure: title, axes (scale, range, tick labels),
    /// series and reference lines. PNG files carry it as their `Description`.
    pub fn describe(&self, chart: &Chart) -> String {
        let axis = |name: &str, label: &str, a: &Axis| {
            let labels: Vec<&str> = a.ticks.iter().map(|t| t.label.as_str()).collect();
            format!(
                "{name} axis: {label}; {}; from {:e} to {:e}; ticks {}\n",
                if a.log { "logarithmic" } else { "linear" },
                a.lo,
                a.hi,
                labels.join(", ")
            )
        };
        let mut out = format!("{}\n", chart.title);
        out += &axis("x", &chart.x_label, &self.x);
        out += &axis("y", &chart.y_label, &self.y);
        for s in &chart.series {
            let mark = match s.mark {
                Mark::Line => "line",
                Mark::Dashed => "dashed line",
                Mark::Points => "points",
            };
            let clip = if s.sets_range {
                ""
            } else {
                ", clipped to the axes"
            };
            let labels = if s.labels.is_empty() {
                String::new()
            } else {
                format!(", labelled {}", s.labels.join(" "))
            };
            out += &format!("series: {} ({mark}{clip}{labels})\n", s.name);
        }
        for g in &chart.guides {
            let (axis, at) = if g.vertical { ("x", g.at) } else { ("y", g.at) };
            out += &format!("reference line: {} at {axis} = {at:e}\n", g.name);
        }
        out
    }
}

/// The data range of one axis over the series that set ranges and the reference lines.
fn range(chart: &Chart, x_axis: bool) -> Result<(f64, f64)> {
    let log = if x_axis { chart.log_x } else { chart.log_y };
    let from_series = chart
        .series
        .iter()
        .filter(|s| s.sets_range)
        .flat_map(|s| s.points.iter())
        .map(|p| if x_axis { p.0 } else { p.1 });
    let from_guides = chart
        .guides
        .iter()
        .filter(|g| g.vertical == x_axis)
        .map(|g| g.at);
    match padded_range(from_series.chain(from_guides), log) {
        Some(r) => Ok(r),
        None => bail!(
            "no finite{} data for the {} axis",
            if log { ", positive" } else { "" },
            if x_axis { "x" } else { "y" }
        ),
    }
}

/// The legend's rows: named series, then named reference lines. Beyond the rows a column
/// beside the plot holds, the last series give way to a row counting them; names longer
/// than `MAX_NAME` characters are cut.
fn legend_entries(chart: &Chart) -> Vec<(String, Sample)> {
    let series = chart
        .series
        .iter()
        .enumerate()
        .filter(|(_, s)| !s.name.is_empty());
    let mut rows: Vec<(String, Sample)> = series
        .map(|(i, s)| {
            let color = PALETTE[i % PALETTE.len()];
            let sample = match s.mark {
                Mark::Points => Sample::Point { color },
                Mark::Line => Sample::Line {
                    color,
                    dashed: false,
                    dot: s.markers,
                },
                Mark::Dashed => Sample::Line {
                    color,
                    dashed: true,
                    dot: s.markers,
                },
            };
            (shortened(&s.name), sample)
        })
        .collect();
    let guides: Vec<(String, Sample)> = chart
        .guides
        .iter()
        .enumerate()
        .filter(|(_, g)| !g.name.is_empty())
        .map(|(i, g)| {
            let sample = Sample::Line {
                color: GUIDE_COLORS[i % GUIDE_COLORS.len()],
                dashed: true,
                dot: false,
            };
            (shortened(&g.name), sample)
        })
        .collect();
    if rows.len() + guides.len() > MAX_ROWS {
        let keep = MAX_ROWS.saturating_sub(guides.len() + 1);
        let left_out = rows.len() - keep;
        rows.truncate(keep);
        rows.push((format!("… and {left_out} more"), Sample::Blank));
    }
    rows.extend(guides);
    rows
}

/// `name` cut to `MAX_NAME` characters, the last one an ellipsis.
fn shortened(name: &str) -> String {
    if name.chars().count() <= MAX_NAME {
        name.to_string()
    } else {
        name.chars().take(MAX_NAME - 1).chain(['…']).collect()
    }
}

/// Height of a legend row.
const ROW: f64 = 1.4 * LEGEND;
/// The most legend rows a column beside the plot holds.
const MAX_ROWS: usize =
    ((HEIGHT - 2.0 * MARGIN - LINE * TITLE - TAG_GAP - 2.0 * PAD) / ROW) as usize;
/// Legend entries are cut to this many characters.
const MAX_NAME: usize = 32;
/// Legends of up to this many rows go below the plot, in rows of entries side by side;
/// longer ones in a column on the right.
const MAX_BELOW: usize = 4;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Side {
    Right,
    Bottom,
}

/// Where the legend goes and how its entries are arranged.
struct LegendPlan {
    /// `None` without a legend: a single entry repeats what the title says.
    side: Option<Side>,
    /// Each entry's offset from the left padding and its row.
    slots: Vec<(f64, usize)>,
    width: f64,
    height: f64,
}

impl LegendPlan {
    fn new(m: Metrics, entries: &[(String, Sample)]) -> Self {
        let widths: Vec<f64> = entries
            .iter()
            .map(|(name, _)| SAMPLE + GAP + m.width(name, LEGEND))
            .collect();
        if entries.len() < 2 {
            return Self {
                side: None,
                slots: Vec::new(),
                width: 0.0,
                height: 0.0,
            };
        }
        // side by side below the plot, wrapping at the canvas width
        let room = WIDTH - 2.0 * MARGIN - 2.0 * PAD;
        let mut slots = Vec::new();
        let (mut x, mut row, mut widest) = (0.0f64, 0usize, 0.0f64);
        for w in &widths {
            if x > 0.0 && x + w > room {
                (x, row) = (0.0, row + 1);
            }
            slots.push((x, row));
            widest = widest.max(x + w);
            x += w + 3.0 * GAP;
        }
        if entries.len() <= MAX_BELOW && row < 2 {
            return Self {
                side: Some(Side::Bottom),
                slots,
                width: widest + 2.0 * PAD,
                height: ROW * (row + 1) as f64 + 2.0 * PAD,
            };
        }
        let widest = widths.iter().copied().fold(0.0, f64::max);
        Self {
            side: Some(Side::Right),
            slots: (0..entries.len()).map(|k| (0.0, k)).collect(),
            width: widest + 2.0 * PAD,
            height: ROW * entries.len() as f64 + 2.0 * PAD,
        }
    }
}

/// The radius of a point marker of relative area `w` (of the largest `w_max`).
pub fn marker_radius(w: Option<f64>, w_max: f64) -> f64 {
    match w {
        Some(w) if w_max > 0.0 && w > 0.0 => 2.5 + 5.5 * (w / w_max).sqrt(),
        _ => 4.0,
    }
}

pub fn layout(chart: &Chart) -> Result<Layout> {
    let m = Metrics::get()?;
    let (x_lo, x_hi) = range(chart, true)?;
    let (y_lo, y_hi) = range(chart, false)?;
    let entries = legend_entries(chart);
    let legend = LegendPlan::new(m, &entries);
    let right = match legend.side {
        Some(Side::Right) => WIDTH - MARGIN - legend.width - 2.0 * GAP,
        _ => WIDTH - MARGIN,
    };
    let legend_below = match legend.side {
        Some(Side::Bottom) => legend.height + GAP,
        _ => 0.0,
    };
    let tagged = chart.guides.iter().any(|g| g.vertical && !g.tag.is_empty());
    let mut tag_rows = usize::from(tagged);
    loop {
        let title_h = LINE * TITLE;
        let tags_h = tag_rows as f64 * LINE * TAG;
        // half a tick label above the top tick and below the bottom one stays clear of the
        // title, the tags and the x labels
        let top = MARGIN + title_h + TAG_GAP + tags_h + if tag_rows > 0 { TAG_GAP } else { 0.0 };
        let bottom = HEIGHT
            - MARGIN
            - legend_below
            - LINE * AXIS_TITLE
            - GAP
            - LINE * TICK_LABEL
            - LABEL_GAP;
        let y = Axis::fit(
            y_lo,
            y_hi,
            chart.log_y,
            chart.integer_y,
            bottom - top,
            40.0,
            |_| LINE * TICK_LABEL,
        );
        let y_label_w = y
            .ticks
            .iter()
            .map(|t| m.width(&t.label, TICK_LABEL))
            .fold(0.0, f64::max);
        let left = MARGIN + LINE * AXIS_TITLE + GAP + y_label_w + 3.0 + TICK;
        if right - left < 150.0 {
            bail!("the legend leaves no room for the plot");
        }
        let x = Axis::fit(x_lo, x_hi, chart.log_x, false, right - left, 80.0, |s| {
            m.width(s, TICK_LABEL)
        });
        let plot = Rect {
            x0: left,
            y0: top,
            x1: right,
            y1: bottom,
        };
        let mut layout = Layout {
            plot,
            x,
            y,
            texts: Vec::new(),
            notes: Vec::new(),
            legend_frame: None,
            legend: Vec::new(),
        };
        // the title over the plot, kept on the canvas
        let title_w = m.width(&chart.title, TITLE);
        let centre = (0.5 * (left + right))
            .max(MARGIN + title_w / 2.0)
            .min(WIDTH - MARGIN - title_w / 2.0);
        layout.texts.push(Text::new(
            m,
            &chart.title,
            (centre, MARGIN),
            TITLE,
            Align::Middle,
        ));
        layout.texts.push(Text::new(
            m,
            &chart.x_label,
            (
                0.5 * (left + right),
                HEIGHT - MARGIN - legend_below - LINE * AXIS_TITLE,
            ),
            AXIS_TITLE,
            Align::Middle,
        ));
        layout.texts.push(Text::rotated(
            m,
            &chart.y_label,
            (MARGIN, 0.5 * (top + bottom)),
            AXIS_TITLE,
        ));
        for t in &layout.x.ticks {
            if let Some(f) = layout.x.fraction(t.value) {
                let at = (left + f * plot.width(), bottom + LABEL_GAP);
                let label = Text::new(m, &t.label, at, TICK_LABEL, Align::Middle);
                layout.texts.push(label);
            }
        }
        for t in &layout.y.ticks {
            if let Some(f) = layout.y.fraction(t.value) {
                let centre = bottom - f * plot.height();
                let at = (left - TICK - 3.0, centre - 0.5 * LINE * TICK_LABEL);
                layout
                    .texts
                    .push(Text::new(m, &t.label, at, TICK_LABEL, Align::End));
            }
        }
        if let Some(side) = legend.side {
            let (x0, y0) = match side {
                // from just below the title, beside the tags of reference lines
                Side::Right => (right + 2.0 * GAP, MARGIN + LINE * TITLE + TAG_GAP),
                Side::Bottom => (
                    (0.5 * (left + right) - legend.width / 2.0).max(MARGIN),
                    HEIGHT - MARGIN - legend.height,
                ),
            };
            layout.legend_frame = Some(Rect {
                x0,
                y0,
                x1: x0 + legend.width,
                y1: y0 + legend.height,
            });
            for (k, (name, sample)) in entries.iter().enumerate() {
                let (dx, row) = legend.slots[k];
                let (x, centre) = (x0 + PAD + dx, y0 + PAD + ROW * (row as f64 + 0.5));
                // samples at the middle of the lower-case letters, above the line's centre
                layout.legend.push(LegendRow {
                    sample: *sample,
                    x,
                    y: centre - 0.12 * LEGEND,
                });
                let at = (x + SAMPLE + GAP, centre - 0.5 * LINE * LEGEND);
                layout
                    .texts
                    .push(Text::new(m, name, at, LEGEND, Align::Start));
            }
        }
        let needed = place_tags(chart, &mut layout, m);
        if needed <= tag_rows {
            place_notes(chart, &mut layout, m);
            layout.check()?;
            return Ok(layout);
        }
        tag_rows = needed;
    }
}

/// Writes the tags of vertical reference lines above the plot, each in the first row where
/// it covers no other tag; returns the number of rows used.
fn place_tags(chart: &Chart, layout: &mut Layout, m: Metrics) -> usize {
    let mut rows: Vec<Vec<Rect>> = Vec::new();
    let first_row_top = layout.plot.y0 - TAG_GAP - LINE * TAG;
    for g in chart
        .guides
        .iter()
        .filter(|g| g.vertical && !g.tag.is_empty())
    {
        let Some(f) = layout.x.fraction(g.at) else {
            continue;
        };
        if !(0.0..=1.0).contains(&f) {
            continue;
        }
        let x = layout.plot.x0 + f * layout.plot.width();
        let w = m.width(&g.tag, TAG);
        // over the plot, clear of a legend on its right
        let x = x.clamp(MARGIN + w / 2.0, layout.plot.x1 - w / 2.0);
        let mut row = 0;
        loop {
            let y = first_row_top - row as f64 * LINE * TAG;
            let text = Text::new(m, &g.tag, (x, y), TAG, Align::Middle);
            if rows.len() <= row {
                rows.push(Vec::new());
            }
            if rows[row].iter().all(|r| !r.overlaps(&text.bounds)) {
                rows[row].push(text.bounds);
                layout.texts.push(text);
                break;
            }
            row += 1;
        }
    }
    rows.len()
}

/// Writes the labels of labelled point series above their points (below when there is no
/// room above), skipping a label that would cover another text.
fn place_notes(chart: &Chart, layout: &mut Layout, m: Metrics) {
    for s in chart.series.iter().filter(|s| s.mark == Mark::Points) {
        let w_max = s.weights.iter().copied().fold(0.0, f64::max);
        for (i, (p, label)) in s.points.iter().zip(&s.labels).enumerate() {
            let Some((x, y)) = layout.to_canvas(*p) else {
                continue;
            };
            let r = marker_radius(s.weights.get(i).copied(), w_max);
            let h = LINE * NOTE;
            let above = Text::new(m, label, (x, y - r - 2.0 - h), NOTE, Align::Middle);
            let below = Text::new(m, label, (x, y + r + 2.0), NOTE, Align::Middle);
            let fits = |t: &Text| {
                t.bounds.inside(&layout.plot)
                    && layout
                        .texts
                        .iter()
                        .chain(&layout.notes)
                        .all(|o| !o.bounds.overlaps(&t.bounds))
            };
            if fits(&above) {
                layout.notes.push(above);
            } else if fits(&below) {
                layout.notes.push(below);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plot::Series;

    fn long_legend_chart() -> Chart {
        let mut c = Chart::new(
            "lasso path on diabetes",
            "penalty λ (log scale)",
            "coefficient",
        )
        .log_x();
        for j in 0..10 {
            let pts = (0..50)
                .map(|k| {
                    let l = 45.0 * 0.9f64.powi(k);
                    (l, (j as f64 - 5.0) * 10.0 / (1.0 + l))
                })
                .collect();
            c = c.with(Series::line(format!("feature number {j}"), pts));
        }
        c.vline(1.29, "λ min", "λ_min = 1.29 (7 non-zero)").vline(
            1.5,
            "λ 1se",
            "one-standard-error λ = 1.5",
        )
    }

    #[test]
    fn nothing_overlaps_with_a_long_legend_and_close_tags() {
        let c = long_legend_chart();
        let l = c.layout().unwrap();
        l.check().unwrap();
        // the two tags are too close for one row: the second goes above the first
        let tags: Vec<&Text> = l
            .texts
            .iter()
            .filter(|t| t.text.starts_with("λ "))
            .collect();
        assert_eq!(tags.len(), 2);
        assert!(tags[1].bounds.y1 <= tags[0].bounds.y0, "{tags:?}");
        // the legend sits right of the plot
        let frame = l.legend_frame.unwrap();
        assert!(frame.x0 > l.plot.x1);
        assert_eq!(l.legend.len(), 12);
    }

    #[test]
    fn a_legend_of_many_long_names_is_cut_to_fit() {
        let mut c = Chart::new("forty features", "penalty", "coefficient").log_x();
        for j in 0..40 {
            let name = format!("feature {j} with a name much longer than any legend should hold");
            c = c.with(Series::line(name, vec![(1.0, f64::from(j)), (10.0, 0.0)]));
        }
        let c = c
            .vline(2.0, "a", "first guide")
            .vline(5.0, "b", "second guide");
        let l = c.layout().unwrap();
        assert_eq!(l.legend.len(), MAX_ROWS);
        let legend: Vec<&str> = l.texts.iter().map(|t| t.text.as_str()).collect();
        let more = format!("… and {} more", 40 - (MAX_ROWS - 3));
        assert!(legend.contains(&more.as_str()), "{legend:?}");
        assert!(legend.contains(&"second guide"));
        assert!(legend.iter().all(|t| t.chars().count() <= MAX_NAME));
        assert!(l.plot.width() > 300.0, "{:?}", l.plot);
    }

    #[test]
    fn a_clipped_series_does_not_stretch_the_axes() {
        let c = Chart::new("t", "iteration", "|f'(x)|")
            .log_y()
            .with(Series::line("ok", vec![(0.0, 10.0), (100.0, 1e-8)]))
            .with(Series::line("diverges", vec![(0.0, 10.0), (3.0, 1e160)]).clipped())
            .hline(1e-8, "tolerance");
        let l = c.layout().unwrap();
        assert!(l.y.hi < 1e3 && l.y.lo < 1e-8, "{:?}", (l.y.lo, l.y.hi));
        assert!(l.y.ticks.iter().all(|t| t.label.starts_with("10")));
        let d = l.describe(&c);
        assert!(
            d.contains("series: diverges (line, clipped to the axes)"),
            "{d}"
        );
        assert!(d.contains("y axis: |f'(x)|; logarithmic; from"), "{d}");
    }

    #[test]
    fn labels_of_crowded_points_are_dropped_rather_than_overlapped() {
        let pts: Vec<(f64, f64)> = (0..60).map(|i| (f64::from(i) * 0.01, 0.5)).collect();
        let labels = (0..60).map(|i| format!("{i} of 60")).collect();
        let c = Chart::new("t", "x", "y").with(Series::points("groups", pts).labelled(labels));
        let l = c.layout().unwrap();
        // labels alternate above and below their points, and the rest are left out
        assert!(
            l.notes.len() > 10 && l.notes.len() < 60,
            "{}",
            l.notes.len()
        );
        l.check().unwrap();
    }

    #[test]
    fn a_chart_without_data_is_an_error() {
        let c = Chart::new("empty", "x", "y")
            .log_y()
            .with(Series::line("", vec![(1.0, -1.0)]));
        let err = format!("{:#}", c.layout().unwrap_err());
        assert!(
            err.contains("no finite, positive data for the y axis"),
            "{err}"
        );
    }
}
