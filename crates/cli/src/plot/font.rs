//! The figures' font: a subset of DejaVu Sans compiled into the binary (`assets/`), used to
//! measure every text of a layout and to draw the texts of PNG figures. SVG figures name the
//! generic `sans-serif` family; DejaVu Sans is as wide as common sans-serif fonts or wider,
//! so a layout measured with it does not overlap in a viewer's font either.

use std::sync::OnceLock;

use ab_glyph::{Font, FontRef, PxScale, ScaleFont, point};
use anyhow::{Result, anyhow};

/// DejaVu Sans 2.37, subset by `assets/subset-font.sh` (licence in `assets/`).
static BYTES: &[u8] = include_bytes!("../../assets/DejaVuSans-subset.ttf");

/// Where the baseline lies below the top of a line of text, in ems: SVG's `dy="0.76em"`,
/// which plotters writes for texts anchored at their top.
pub const BASELINE: f64 = 0.76;

/// The parsed font, or why it could not be parsed (a build defect, reported as an error).
fn font() -> Result<&'static FontRef<'static>> {
    static FONT: OnceLock<std::result::Result<FontRef<'static>, String>> = OnceLock::new();
    FONT.get_or_init(|| FontRef::try_from_slice(BYTES).map_err(|e| e.to_string()))
        .as_ref()
        .map_err(|e| anyhow!("the figures' built-in font is unreadable: {e}"))
}

/// The font's scale for text whose em is `size` pixels (ab_glyph scales by the height from
/// descender to ascender, which is larger than the em).
fn scale(font: &FontRef<'static>, size: f64) -> PxScale {
    let em = font.units_per_em().unwrap_or(2048.0);
    PxScale::from((size * f64::from(font.height_unscaled() / em)) as f32)
}

/// Text measurement with the figures' font.
#[derive(Clone, Copy)]
pub struct Metrics(&'static FontRef<'static>);

impl Metrics {
    /// The metrics of the built-in font.
    pub fn get() -> Result<Self> {
        font().map(Self)
    }

    /// The width of `text` at an em of `size` units.
    pub fn width(self, text: &str, size: f64) -> f64 {
        let scaled = self.0.as_scaled(scale(self.0, size));
        text.chars()
            .map(|c| f64::from(scaled.h_advance(self.0.glyph_id(c))))
            .sum()
    }
}

/// Draws `text` with its baseline starting at `(x, y)` into an RGB buffer `width` pixels
/// wide, blending `color` by the glyphs' coverage. With `rotated`, the text runs upwards
/// (rotated by 90 degrees counter-clockwise) from `(x, y)`.
#[allow(clippy::too_many_arguments)]
pub fn draw_text(
    buf: &mut [u8],
    width: usize,
    text: &str,
    (x, y): (f64, f64),
    size: f64,
    color: (u8, u8, u8),
    rotated: bool,
) -> Result<()> {
    let font = font()?;
    let scale = scale(font, size);
    let scaled = font.as_scaled(scale);
    let height = buf.len() / (3 * width);
    let mut pen = 0.0f32;
    for c in text.chars() {
        let id = font.glyph_id(c);
        let glyph = id.with_scale_and_position(scale, point(pen, 0.0));
        pen += scaled.h_advance(id);
        let Some(outline) = font.outline_glyph(glyph) else {
            continue; // a space
        };
        let bounds = outline.px_bounds();
        outline.draw(|gx, gy, coverage| {
            // glyph coordinates relative to the baseline origin of the text
            let (u, v) = (
                f64::from(bounds.min.x) + f64::from(gx),
                f64::from(bounds.min.y) + f64::from(gy),
            );
            let (px, py) = if rotated {
                (x + v, y - u)
            } else {
                (x + u, y + v)
            };
            let (px, py) = (px.round(), py.round());
            if px < 0.0 || py < 0.0 || px >= width as f64 || py >= height as f64 {
                return;
            }
            let at = 3 * (py as usize * width + px as usize);
            let a = f64::from(coverage.clamp(0.0, 1.0));
            for (k, channel) in [color.0, color.1, color.2].into_iter().enumerate() {
                let old = f64::from(buf[at + k]);
                buf[at + k] = (old + a * (f64::from(channel) - old)).round() as u8;
            }
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_font_covers_the_figures_characters() {
        let font = font().unwrap();
        for c in "Az09 λη×⁻⁰¹²³⁴⁵⁶⁷⁸⁹ᵗ−≤∝′–…↑·".chars() {
            assert_ne!(font.glyph_id(c).0, 0, "no glyph for {c:?}");
        }
    }

    #[test]
    fn widths_grow_with_text_and_size() {
        let m = Metrics::get().unwrap();
        let a = m.width("iteration", 12.0);
        assert!(a > 40.0 && a < 70.0, "{a}");
        assert!((m.width("iteration", 24.0) - 2.0 * a).abs() < 1e-3);
        assert!(m.width("W", 12.0) > m.width("i", 12.0));
    }

    #[test]
    fn drawing_darkens_pixels_only_near_the_text() {
        let (w, h) = (60, 20);
        let mut buf = vec![255u8; 3 * w * h];
        draw_text(&mut buf, w, "Hi", (2.0, 15.0), 14.0, (0, 0, 0), false).unwrap();
        let dark: Vec<usize> = (0..w * h).filter(|&p| buf[3 * p] < 128).collect();
        assert!(!dark.is_empty());
        assert!(dark.iter().all(|&p| p % w < 25 && p / w <= 15));
    }
}
