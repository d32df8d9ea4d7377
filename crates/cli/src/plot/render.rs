//! Drawing a layout with plotters: the shapes on either backend (an SVG document or an RGB
//! buffer), the texts as SVG `<text>` elements or, for a PNG, drawn with the built-in font
//! into the pixels. PNGs are drawn at twice their size and averaged down, which smooths
//! the edges of lines and markers.

use anyhow::{Result, anyhow};
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::FontTransform;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::font::{self, BASELINE};
use super::layout::{
    Align, GUIDE_COLORS, HEIGHT, Layout, PALETTE, Rect, SAMPLE, Sample, TICK, Text, WIDTH,
    marker_radius,
};
use super::{Chart, Mark};

/// SVG coordinates per canvas unit (see [`svg`]).
const SVG_SCALE: f64 = 2.0;
/// PNG pixels per canvas unit (a 1200 x 750 image).
const PNG_SCALE: f64 = 1.5;
/// Pixels drawn per PNG pixel along each axis before averaging.
const SUPERSAMPLE: usize = 2;
/// Dashes: drawn length, gap.
const DASH: (f64, f64) = (6.0, 4.0);
const GRID: RGBColor = RGBColor(228, 228, 228);
const LEGEND_BORDER: RGBColor = RGBColor(190, 190, 190);

/// The figure as an SVG document of 800 x 500 pixels.
pub fn svg(chart: &Chart, layout: &Layout) -> Result<String> {
    // plotters writes whole coordinates: drawn at twice the size, under a view box that
    // halves it, curves are smooth to half a pixel
    let (w, h) = ((WIDTH * SVG_SCALE) as u32, (HEIGHT * SVG_SCALE) as u32);
    let mut out = String::new();
    {
        let root = SVGBackend::with_string(&mut out, (w, h)).into_drawing_area();
        shapes(&root, chart, layout, SVG_SCALE)?;
        for t in layout.texts.iter().chain(&layout.notes) {
            svg_text(&root, t, SVG_SCALE)?;
        }
        root.present().map_err(|e| anyhow!("{e}"))?;
    }
    let drawn = format!("<svg width=\"{w}\" height=\"{h}\"");
    let shown = format!("<svg width=\"{WIDTH}\" height=\"{HEIGHT}\"");
    Ok(out.replacen(&drawn, &shown, 1))
}

/// The figure as a PNG file's bytes, with `Title`, `Description` (see
/// [`Layout::describe`]) and `Software` text chunks.
pub fn png(chart: &Chart, layout: &Layout) -> Result<Vec<u8>> {
    let scale = PNG_SCALE * SUPERSAMPLE as f64;
    let (w, h) = ((WIDTH * scale) as usize, (HEIGHT * scale) as usize);
    let mut buf = vec![255u8; 3 * w * h];
    {
        let root = BitMapBackend::with_buffer(&mut buf, (w as u32, h as u32)).into_drawing_area();
        shapes(&root, chart, layout, scale)?;
        root.present().map_err(|e| anyhow!("{e}"))?;
    }
    for t in layout.texts.iter().chain(&layout.notes) {
        let width = if t.rotated {
            t.bounds.height()
        } else {
            t.bounds.width()
        };
        let origin = if t.rotated {
            (t.x + BASELINE * t.size, t.y + width / 2.0)
        } else {
            (t.bounds.x0, t.y + BASELINE * t.size)
        };
        font::draw_text(
            &mut buf,
            w,
            &t.text,
            (origin.0 * scale, origin.1 * scale),
            t.size * scale,
            (0, 0, 0),
            t.rotated,
        )?;
    }
    let small = downsample(&buf, w, h, SUPERSAMPLE);
    let mut bytes = Vec::new();
    let mut encoder = png::Encoder::new(
        &mut bytes,
        (w / SUPERSAMPLE) as u32,
        (h / SUPERSAMPLE) as u32,
    );
    encoder.set_color(png::ColorType::Rgb);
    encoder.set_depth(png::BitDepth::Eight);
    encoder.add_itxt_chunk("Title".into(), chart.title.clone())?;
    encoder.add_itxt_chunk("Description".into(), layout.describe(chart))?;
    encoder.add_text_chunk(
        "Software".into(),
        format!("linmod {}", env!("CARGO_PKG_VERSION")),
    )?;
    let mut writer = encoder.write_header()?;
    writer.write_image_data(&small)?;
    writer.finish()?;
    Ok(bytes)
}

/// Averages `factor x factor` blocks of an RGB image.
fn downsample(buf: &[u8], w: usize, h: usize, factor: usize) -> Vec<u8> {
    let (sw, sh) = (w / factor, h / factor);
    let mut out = vec![0u8; 3 * sw * sh];
    let n = (factor * factor) as u32;
    for y in 0..sh {
        for x in 0..sw {
            for c in 0..3 {
                let mut sum = 0u32;
                for dy in 0..factor {
                    let row = (y * factor + dy) * w;
                    for dx in 0..factor {
                        sum += u32::from(buf[3 * (row + x * factor + dx) + c]);
                    }
                }
                out[3 * (y * sw + x) + c] = ((sum + n / 2) / n) as u8;
            }
        }
    }
    out
}

fn svg_text<DB: DrawingBackend>(root: &DrawingArea<DB, Shift>, t: &Text, scale: f64) -> Result<()> {
    let h = match t.align {
        Align::Start => HPos::Left,
        Align::Middle => HPos::Center,
        Align::End => HPos::Right,
    };
    // plotters writes `font-size` as the given size / 1.24
    let mut style = ("sans-serif", t.size * scale * 1.24)
        .into_font()
        .color(&BLACK)
        .pos(Pos::new(h, VPos::Top));
    if t.rotated {
        style = style.transform(FontTransform::Rotate270);
    }
    let at = ((t.x * scale).round() as i32, (t.y * scale).round() as i32);
    root.draw(&plotters::element::Text::new(t.text.clone(), at, style))
        .map_err(|e| anyhow!("{e}"))
}

/// Draws everything but the texts, `scale` pixels per canvas unit.
fn shapes<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    chart: &Chart,
    layout: &Layout,
    scale: f64,
) -> Result<()> {
    let pen = Pen { root, scale };
    root.fill(&WHITE).map_err(|e| anyhow!("{e}"))?;
    let plot = layout.plot;
    for t in &layout.x.ticks {
        if let Some(f) = layout.x.fraction(t.value) {
            let x = plot.x0 + f * plot.width();
            pen.line(&[(x, plot.y0), (x, plot.y1)], GRID, 1.0)?;
            pen.line(&[(x, plot.y1), (x, plot.y1 + TICK)], BLACK, 1.0)?;
        }
    }
    for t in &layout.y.ticks {
        if let Some(f) = layout.y.fraction(t.value) {
            let y = plot.y1 - f * plot.height();
            pen.line(&[(plot.x0, y), (plot.x1, y)], GRID, 1.0)?;
            pen.line(&[(plot.x0 - TICK, y), (plot.x0, y)], BLACK, 1.0)?;
        }
    }
    for v in &layout.x.minor {
        if let Some(f) = layout.x.fraction(*v) {
            let x = plot.x0 + f * plot.width();
            pen.line(&[(x, plot.y1), (x, plot.y1 + 0.6 * TICK)], BLACK, 1.0)?;
        }
    }
    for v in &layout.y.minor {
        if let Some(f) = layout.y.fraction(*v) {
            let y = plot.y1 - f * plot.height();
            pen.line(&[(plot.x0 - 0.6 * TICK, y), (plot.x0, y)], BLACK, 1.0)?;
        }
    }
    for (i, g) in chart.guides.iter().enumerate() {
        let color = rgb(GUIDE_COLORS[i % GUIDE_COLORS.len()]);
        let (a, b) = if g.vertical {
            ((g.at, layout.y.lo), (g.at, layout.y.hi))
        } else {
            ((layout.x.lo, g.at), (layout.x.hi, g.at))
        };
        if let (Some(a), Some(b)) = (layout.to_canvas(a), layout.to_canvas(b))
            && let Some((a, b)) = clip(a, b, &plot)
        {
            pen.dashed(&[a, b], color, 1.3)?;
        }
    }
    for (i, s) in chart.series.iter().enumerate() {
        let color = rgb(PALETTE[i % PALETTE.len()]);
        match s.mark {
            Mark::Line | Mark::Dashed => {
                for line in visible_polylines(layout, &s.points) {
                    if s.mark == Mark::Dashed {
                        pen.dashed(&line, color, 2.0)?;
                    } else {
                        pen.line(&line, color, 2.0)?;
                    }
                }
                if s.markers {
                    for c in s.points.iter().filter_map(|p| layout.to_canvas(*p)) {
                        if inside(c, &plot) {
                            pen.dot(c, 3.5, color)?;
                        }
                    }
                }
            }
            Mark::Points => {
                let w_max = s.weights.iter().copied().fold(0.0, f64::max);
                for (k, p) in s.points.iter().enumerate() {
                    let Some(c) = layout.to_canvas(*p) else {
                        continue;
                    };
                    if inside(c, &plot) {
                        let r = marker_radius(s.weights.get(k).copied(), w_max);
                        pen.dot(c, r, color)?;
                    }
                }
            }
        }
    }
    pen.frame(&plot, BLACK, None)?;
    if let Some(frame) = &layout.legend_frame {
        pen.frame(frame, LEGEND_BORDER, Some(WHITE))?;
        for row in &layout.legend {
            match row.sample {
                Sample::Line { color, dashed, dot } => {
                    let ends = [(row.x, row.y), (row.x + SAMPLE, row.y)];
                    if dashed {
                        pen.dashed(&ends, rgb(color), 2.0)?;
                    } else {
                        pen.line(&ends, rgb(color), 2.0)?;
                    }
                    if dot {
                        pen.dot((row.x + SAMPLE / 2.0, row.y), 3.5, rgb(color))?;
                    }
                }
                Sample::Point { color } => {
                    pen.dot((row.x + SAMPLE / 2.0, row.y), 4.5, rgb(color))?
                }
                Sample::Blank => {}
            }
        }
    }
    Ok(())
}

fn inside((x, y): (f64, f64), r: &Rect) -> bool {
    x >= r.x0 && x <= r.x1 && y >= r.y0 && y <= r.y1
}

fn rgb((r, g, b): (u8, u8, u8)) -> RGBColor {
    RGBColor(r, g, b)
}

/// Draws in canvas units on a drawing area of `scale` pixels per unit.
struct Pen<'a, DB: DrawingBackend> {
    root: &'a DrawingArea<DB, Shift>,
    scale: f64,
}

impl<DB: DrawingBackend> Pen<'_, DB> {
    fn px(&self, (x, y): (f64, f64)) -> (i32, i32) {
        (
            (x * self.scale).round() as i32,
            (y * self.scale).round() as i32,
        )
    }

    fn line(&self, points: &[(f64, f64)], color: RGBColor, width: f64) -> Result<()> {
        let pts: Vec<(i32, i32)> = points.iter().map(|p| self.px(*p)).collect();
        let width = ((width * self.scale).round() as u32).max(1);
        self.root
            .draw(&PathElement::new(pts, color.stroke_width(width)))
            .map_err(|e| anyhow!("{e}"))
    }

    /// A polyline drawn as dashes of `DASH.0` units with gaps of `DASH.1`.
    fn dashed(&self, points: &[(f64, f64)], color: RGBColor, width: f64) -> Result<()> {
        let (on, off) = DASH;
        let mut phase = 0.0; // distance into the current dash-and-gap period
        for w in points.windows(2) {
            let (a, b) = (w[0], w[1]);
            let len = ((b.0 - a.0).powi(2) + (b.1 - a.1).powi(2)).sqrt();
            let mut t = 0.0;
            while t < len {
                let at = |d: f64| (a.0 + (b.0 - a.0) * d / len, a.1 + (b.1 - a.1) * d / len);
                if phase < on {
                    let end = (t + on - phase).min(len);
                    self.line(&[at(t), at(end)], color, width)?;
                    phase += end - t;
                    t = end;
                } else {
                    let end = (t + on + off - phase).min(len);
                    phase += end - t;
                    t = end;
                }
                if phase >= on + off {
                    phase = 0.0;
                }
            }
        }
        Ok(())
    }

    fn dot(&self, c: (f64, f64), radius: f64, color: RGBColor) -> Result<()> {
        let r = (radius * self.scale).round() as i32;
        self.root
            .draw(&Circle::new(self.px(c), r, color.filled()))
            .map_err(|e| anyhow!("{e}"))
    }

    fn frame(&self, r: &Rect, border: RGBColor, fill: Option<RGBColor>) -> Result<()> {
        let corners = [self.px((r.x0, r.y0)), self.px((r.x1, r.y1))];
        if let Some(fill) = fill {
            self.root
                .draw(&Rectangle::new(corners, fill.filled()))
                .map_err(|e| anyhow!("{e}"))?;
        }
        let width = self.scale.round().max(1.0) as u32;
        self.root
            .draw(&Rectangle::new(corners, border.stroke_width(width)))
            .map_err(|e| anyhow!("{e}"))
    }
}

/// The parts of a series inside the plot, in canvas units: runs of points the axes can show
/// (a NaN, an infinity or a non-positive value on a log axis breaks the line), each segment
/// clipped to the plot, and points closer than half a unit to the previous one dropped.
fn visible_polylines(layout: &Layout, points: &[(f64, f64)]) -> Vec<Vec<(f64, f64)>> {
    let mut lines = Vec::new();
    let mut run: Vec<(f64, f64)> = Vec::new();
    // the latest point, left out for being too close to the one before it
    let mut skipped: Option<(f64, f64)> = None;
    // whether `run` ends at the previous data point (which was not clipped)
    let mut open = false;
    let mut prev: Option<(f64, f64)> = None;
    for p in points {
        let c = layout.to_canvas(*p);
        let visible = match (prev, c) {
            (Some(a), Some(b)) => clip(a, b, &layout.plot).map(|ends| (ends, b)),
            _ => None,
        };
        match visible {
            Some(((ca, cb), b)) => {
                if !open {
                    close_run(&mut run, &mut skipped, &mut lines);
                    run.push(ca);
                }
                let last = run[run.len() - 1];
                if cb != b || (cb.0 - last.0).abs() >= 0.5 || (cb.1 - last.1).abs() >= 0.5 {
                    run.push(cb);
                    skipped = None;
                } else {
                    skipped = Some(cb);
                }
                open = cb == b;
            }
            None => open = false,
        }
        prev = c;
    }
    close_run(&mut run, &mut skipped, &mut lines);
    lines
}

/// Ends a polyline (with its last point, even if it was left out), keeping it if it has a
/// segment.
fn close_run(
    run: &mut Vec<(f64, f64)>,
    skipped: &mut Option<(f64, f64)>,
    lines: &mut Vec<Vec<(f64, f64)>>,
) {
    if let Some(p) = skipped.take() {
        run.push(p);
    }
    if run.len() >= 2 {
        lines.push(std::mem::take(run));
    } else {
        run.clear();
    }
}

/// The part of the segment `a`-`b` inside `r` (Liang-Barsky), if any.
fn clip(a: (f64, f64), b: (f64, f64), r: &Rect) -> Option<((f64, f64), (f64, f64))> {
    let (dx, dy) = (b.0 - a.0, b.1 - a.1);
    let (mut t0, mut t1) = (0.0f64, 1.0f64);
    for (p, q) in [
        (-dx, a.0 - r.x0),
        (dx, r.x1 - a.0),
        (-dy, a.1 - r.y0),
        (dy, r.y1 - a.1),
    ] {
        if p == 0.0 {
            if q < 0.0 {
                return None;
            }
        } else {
            let t = q / p;
            if p < 0.0 {
                t0 = t0.max(t);
            } else {
                t1 = t1.min(t);
            }
        }
    }
    if t0 > t1 {
        return None;
    }
    let at = |t: f64| (a.0 + t * dx, a.1 + t * dy);
    Some((
        if t0 > 0.0 { at(t0) } else { a },
        if t1 < 1.0 { at(t1) } else { b },
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plot::Series;

    fn unit() -> Rect {
        Rect {
            x0: 0.0,
            y0: 0.0,
            x1: 10.0,
            y1: 10.0,
        }
    }

    #[test]
    fn segments_are_clipped_to_the_rectangle() {
        assert_eq!(
            clip((5.0, 5.0), (5.0, -5.0), &unit()),
            Some(((5.0, 5.0), (5.0, 0.0)))
        );
        assert_eq!(clip((-1.0, -1.0), (-5.0, 20.0), &unit()), None);
        let (a, b) = clip((-5.0, 5.0), (15.0, 5.0), &unit()).unwrap();
        assert_eq!((a, b), ((0.0, 5.0), (10.0, 5.0)));
    }

    #[test]
    fn a_diverging_series_is_cut_at_the_plot_edge() {
        let chart = Chart::new("t", "x", "y")
            .log_y()
            .with(Series::line("ok", vec![(0.0, 1.0), (10.0, 1e-3)]))
            .with(
                Series::line("off", vec![(0.0, 1.0), (1.0, 1e40), (2.0, f64::INFINITY)]).clipped(),
            );
        let layout = chart.layout().unwrap();
        let lines = visible_polylines(&layout, &chart.series[1].points);
        assert_eq!(lines.len(), 1);
        let end = lines[0][lines[0].len() - 1];
        assert!((end.1 - layout.plot.y0).abs() < 1e-9, "{end:?}");
        // 20000 points along a straight line collapse to a few hundred
        let many: Vec<(f64, f64)> = (0..20_000)
            .map(|i| {
                (
                    f64::from(i) / 2000.0,
                    10f64.powf(-3.0 * f64::from(i) / 20_000.0),
                )
            })
            .collect();
        let lines = visible_polylines(&layout, &many);
        assert_eq!(lines.len(), 1);
        assert!(lines[0].len() < 1500, "{}", lines[0].len());
    }

    #[test]
    fn png_and_svg_are_written_with_a_description() {
        let chart = Chart::new("a title", "x", "y")
            .with(
                Series::points("p", vec![(0.0, 0.0), (1.0, 2.0)])
                    .labelled(vec!["a".into(), "b".into()]),
            )
            .hline(1.0, "one");
        let layout = chart.layout().unwrap();
        let bytes = png(&chart, &layout).unwrap();
        let decoder = png::Decoder::new(std::io::Cursor::new(bytes));
        let reader = decoder.read_info().unwrap();
        let info = reader.info();
        assert_eq!((info.width, info.height), (1200, 750));
        let texts: Vec<(String, String)> = info
            .utf8_text
            .iter()
            .map(|t| (t.keyword.clone(), t.get_text().unwrap()))
            .collect();
        assert!(texts.iter().any(|(k, v)| k == "Title" && v == "a title"));
        assert!(
            texts
                .iter()
                .any(|(k, v)| k == "Description" && v.contains("reference line: one at y = 1e0"))
        );
        let svg = svg(&chart, &layout).unwrap();
        assert!(svg.starts_with(r#"<svg width="800" height="500" viewBox="0 0 1600 1000""#));
        assert!(
            svg.starts_with("<svg") && svg.contains(">\na title\n</text>"),
            "{svg}"
        );
    }

    #[test]
    fn downsampling_averages_blocks() {
        let buf = [0u8, 0, 0, 255, 255, 255, 255, 255, 255, 255, 255, 255];
        assert_eq!(downsample(&buf, 2, 2, 2), vec![191, 191, 191]);
    }
}
