//! Axis ranges and ticks: padded data ranges, "nice" linear steps, decades on logarithmic
//! axes labelled `10ᵏ`, and labels short enough to sit side by side.

/// One labelled tick.
#[derive(Clone, Debug, PartialEq)]
pub struct Tick {
    pub value: f64,
    pub label: String,
}

/// A finished axis: its range, labelled ticks and unlabelled minor ticks.
#[derive(Clone, Debug, PartialEq)]
pub struct Axis {
    pub lo: f64,
    pub hi: f64,
    pub log: bool,
    pub ticks: Vec<Tick>,
    pub minor: Vec<f64>,
}

impl Axis {
    /// Where `v` lies between `lo` (0) and `hi` (1), in the axis's own scale; `None` for a
    /// value a logarithmic axis cannot show or a non-finite one.
    pub fn fraction(&self, v: f64) -> Option<f64> {
        if !v.is_finite() || (self.log && v <= 0.0) {
            return None;
        }
        Some(if self.log {
            (v.ln() - self.lo.ln()) / (self.hi.ln() - self.lo.ln())
        } else {
            (v - self.lo) / (self.hi - self.lo)
        })
    }

    /// Chooses the ticks of `[lo, hi]` for an axis `length` units long: as many as fit,
    /// at most one per `min_spacing` units, with labels that do not run into each other
    /// (`extent` gives a label's size along the axis). An `integer` linear axis has whole
    /// steps (counts).
    pub fn fit(
        lo: f64,
        hi: f64,
        log: bool,
        integer: bool,
        length: f64,
        min_spacing: f64,
        extent: impl Fn(&str) -> f64,
    ) -> Self {
        let mut max_count = ((length / min_spacing).floor() as usize + 1).clamp(2, 12);
        loop {
            let (ticks, minor) = if log {
                log_ticks(lo, hi, max_count)
            } else {
                (linear_ticks(lo, hi, max_count, integer), Vec::new())
            };
            let axis = Self {
                lo,
                hi,
                log,
                ticks,
                minor,
            };
            if max_count == 2 || axis.labels_fit(length, &extent) {
                return axis;
            }
            max_count -= 1;
        }
    }

    /// Whether neighbouring labels, centred on their ticks, keep a gap of a few units.
    fn labels_fit(&self, length: f64, extent: &impl Fn(&str) -> f64) -> bool {
        let at = |t: &Tick| self.fraction(t.value).unwrap_or(0.0) * length;
        self.ticks.windows(2).all(|w| {
            let room = at(&w[1]) - at(&w[0]);
            room >= 0.5 * (extent(&w[0].label) + extent(&w[1].label)) + 8.0
        })
    }
}

/// The range of `values` (positive ones only on a logarithmic axis), padded by 4% of its
/// span on each side (in the log scale on a logarithmic axis); `None` without a usable value.
pub fn padded_range(values: impl Iterator<Item = f64>, log: bool) -> Option<(f64, f64)> {
    let (lo, hi) = values
        .filter(|v| v.is_finite() && (!log || *v > 0.0))
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), v| {
            (a.min(v), b.max(v))
        });
    if !lo.is_finite() {
        return None;
    }
    Some(if log {
        let (a, b) = (lo.log10(), hi.log10());
        let pad = if b > a { 0.04 * (b - a) } else { 0.5 };
        (10f64.powf(a - pad), 10f64.powf(b + pad))
    } else {
        let pad = if hi > lo {
            0.04 * (hi - lo)
        } else {
            0.5 * lo.abs().max(1.0)
        };
        (lo - pad, hi + pad)
    })
}

/// Multiples of a step of 1, 2, 2.5 or 5 times a power of ten inside `[lo, hi]`: the
/// smallest such step giving at most `max_count` ticks (for `integer` ticks, a whole step
/// of 1, 2 or 5 times a power of ten).
pub fn linear_ticks(lo: f64, hi: f64, max_count: usize, integer: bool) -> Vec<Tick> {
    let span = hi - lo;
    if !(span > 0.0 && span.is_finite()) {
        return Vec::new();
    }
    let mantissas: &[f64] = if integer {
        &[1.0, 2.0, 5.0]
    } else {
        &[1.0, 2.0, 2.5, 5.0]
    };
    let count = |step: f64| (hi / step + 1e-9).floor() - (lo / step - 1e-9).ceil() + 1.0;
    // from a power of ten below any step that could do, upwards
    let mut power = 10f64.powf((span / max_count.max(2) as f64).log10().floor() - 1.0);
    if integer {
        power = power.max(1.0);
    }
    let step = 'search: loop {
        for m in mantissas {
            if count(m * power) <= max_count as f64 {
                break 'search m * power;
            }
        }
        power *= 10.0;
    };
    let first = (lo / step - 1e-9).ceil() as i64;
    let last = (hi / step + 1e-9).floor() as i64;
    let values: Vec<f64> = (first..=last).map(|k| k as f64 * step).collect();
    let decimals = decimals_of(step);
    let big = values.iter().fold(0.0f64, |m, v| m.max(v.abs())) >= 1e6;
    values
        .into_iter()
        .map(|value| Tick {
            value,
            label: minus_sign(if big || decimals > 4 {
                scientific(value)
            } else {
                // `+ 0.0` turns -0.0 into 0.0, so that no label reads "-0"
                format!("{:.*}", decimals, value + 0.0)
            }),
        })
        .collect()
}

/// A typographic minus sign (U+2212) for a leading hyphen.
fn minus_sign(label: String) -> String {
    match label.strip_prefix('-') {
        Some(rest) => format!("−{rest}"),
        None => label,
    }
}

/// The decimals that show every multiple of `step` exactly (2.5 needs one, 0.25 two).
fn decimals_of(step: f64) -> usize {
    (0..=12)
        .find(|&d| {
            let scaled = step * 10f64.powi(d as i32);
            (scaled - scaled.round()).abs() <= 1e-6 * scaled.max(1.0)
        })
        .unwrap_or(12)
}

/// Ticks of a logarithmic axis: decades labelled `10ᵏ` (every `s`-th decade when there are
/// more than `max_count`) with unlabelled minor ticks at 2..9 times each decade; on spans of
/// under three decades, 1, 2 and 5 times each decade (or every integer multiple) labelled as
/// plain numbers.
pub fn log_ticks(lo: f64, hi: f64, max_count: usize) -> (Vec<Tick>, Vec<f64>) {
    if !(lo > 0.0 && hi > lo && hi.is_finite()) {
        return (Vec::new(), Vec::new());
    }
    let e_lo = (lo.log10() - 1e-9).ceil() as i32;
    let e_hi = (hi.log10() + 1e-9).floor() as i32;
    let decades = (e_hi - e_lo + 1).max(0) as usize;
    let inside = |v: f64| v >= lo * (1.0 - 1e-12) && v <= hi * (1.0 + 1e-12);
    if decades >= 3 {
        let stride = decades.div_ceil(max_count.max(2)) as i32;
        let ticks = (e_lo..=e_hi)
            .filter(|k| k.rem_euclid(stride) == 0)
            .map(|k| Tick {
                value: power_of_ten(k),
                label: format!("10{}", superscript(k)),
            })
            .collect();
        let minor = if stride == 1 {
            (e_lo - 1..=e_hi)
                .flat_map(|k| (2..10).map(move |m| f64::from(m) * power_of_ten(k)))
                .filter(|v| inside(*v))
                .collect()
        } else {
            Vec::new()
        };
        return (ticks, minor);
    }
    let multiples_inside = |multiples: &[i32]| -> Vec<f64> {
        (e_lo - 1..=e_hi)
            .flat_map(|k| multiples.iter().map(move |&m| times_power_of_ten(m, k)))
            .filter(|v| inside(*v))
            .collect()
    };
    let mut values = multiples_inside(&[1, 2, 5]);
    if values.len() < 3 {
        values = multiples_inside(&[1, 2, 3, 4, 5, 6, 7, 8, 9]);
    }
    let ticks = values
        .into_iter()
        .map(|value| Tick {
            value,
            label: plain_or_scientific(value),
        })
        .collect();
    (ticks, Vec::new())
}

/// `10^k`, exact for the powers a double holds exactly and correctly rounded otherwise.
fn power_of_ten(k: i32) -> f64 {
    times_power_of_ten(1, k)
}

/// `m 10^k` rounded once: `m / 10^-k` for negative `k`, so that `5 10^-2` is the double
/// closest to 0.05.
fn times_power_of_ten(m: i32, k: i32) -> f64 {
    if k >= 0 {
        f64::from(m) * 10f64.powi(k)
    } else {
        f64::from(m) / 10f64.powi(-k)
    }
}

/// The shortest decimal of `v` when it has at most 6 characters, else `m×10ᵏ`.
fn plain_or_scientific(v: f64) -> String {
    let plain = format!("{v}");
    if plain.chars().count() <= 6 {
        plain
    } else {
        scientific(v)
    }
}

/// `v` as `m×10ᵏ` with a mantissa of at most three significant digits (`0` for zero).
fn scientific(v: f64) -> String {
    if v == 0.0 {
        return "0".to_string();
    }
    let k = v.abs().log10().floor() as i32;
    let m = v / 10f64.powi(k);
    let mantissa = format!("{:.2}", m);
    let mantissa = mantissa.trim_end_matches('0').trim_end_matches('.');
    if mantissa == "1" {
        format!("10{}", superscript(k))
    } else if mantissa == "-1" {
        format!("-10{}", superscript(k))
    } else {
        format!("{mantissa}×10{}", superscript(k))
    }
}

/// `k` in superscript digits (`⁻¹²`).
pub fn superscript(k: i32) -> String {
    k.to_string()
        .chars()
        .map(|c| match c {
            '-' => '⁻',
            '0' => '⁰',
            '1' => '¹',
            '2' => '²',
            '3' => '³',
            '4' => '⁴',
            '5' => '⁵',
            '6' => '⁶',
            '7' => '⁷',
            '8' => '⁸',
            _ => '⁹',
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn labels(ticks: &[Tick]) -> Vec<&str> {
        ticks.iter().map(|t| t.label.as_str()).collect()
    }

    #[test]
    fn linear_steps_are_nice_and_labels_exact() {
        assert_eq!(
            labels(&linear_ticks(-0.05, 1.05, 6, false)),
            ["0.0", "0.2", "0.4", "0.6", "0.8", "1.0"]
        );
        assert_eq!(
            labels(&linear_ticks(-1000.0, 21_000.0, 6, false)),
            ["0", "5000", "10000", "15000", "20000"]
        );
        assert_eq!(
            labels(&linear_ticks(-0.6, 10.6, 6, false)),
            ["0", "2", "4", "6", "8", "10"]
        );
        assert_eq!(
            labels(&linear_ticks(0.0, 1.0, 5, false)),
            ["0.00", "0.25", "0.50", "0.75", "1.00"]
        );
        // no "-0.0" from a tick at zero
        assert!(
            linear_ticks(-1.0, 1.0, 5, false)
                .iter()
                .all(|t| t.label != "-0.0" && t.label != "−0.0")
        );
        assert_eq!(
            labels(&linear_ticks(0.0, 3e6, 4, false)),
            ["0", "10⁶", "2×10⁶", "3×10⁶"]
        );
    }

    #[test]
    fn log_axes_label_decades_as_powers_of_ten() {
        let (ticks, minor) = log_ticks(3e-4, 2e4, 10);
        assert_eq!(
            labels(&ticks),
            ["10⁻³", "10⁻²", "10⁻¹", "10⁰", "10¹", "10²", "10³", "10⁴"]
        );
        assert!(minor.contains(&2e-3) && minor.iter().all(|v| (3e-4..=2e4).contains(v)));
        // 24 decades, at most 7 labels: every fourth decade
        let (ticks, _) = log_ticks(1e-12, 1e12, 7);
        assert_eq!(
            labels(&ticks),
            ["10⁻¹²", "10⁻⁸", "10⁻⁴", "10⁰", "10⁴", "10⁸", "10¹²"]
        );
        // under three decades: 1, 2, 5 times each
        let (ticks, _) = log_ticks(0.04, 4.0, 10);
        assert_eq!(labels(&ticks), ["0.05", "0.1", "0.2", "0.5", "1", "2"]);
        let (ticks, _) = log_ticks(0.25, 0.9, 10);
        assert_eq!(
            labels(&ticks),
            ["0.3", "0.4", "0.5", "0.6", "0.7", "0.8", "0.9"]
        );
    }

    #[test]
    fn large_and_small_values_are_written_with_powers_of_ten() {
        assert_eq!(scientific(-2.5e-7), "-2.5×10⁻⁷");
        assert_eq!(scientific(1e-3), "10⁻³");
        assert_eq!(plain_or_scientific(0.0005), "0.0005");
        assert_eq!(plain_or_scientific(0.00002), "2×10⁻⁵");
    }

    #[test]
    fn ranges_are_padded_and_skip_what_the_axis_cannot_show() {
        let (lo, hi) = padded_range([0.0, 10.0, f64::NAN].into_iter(), false).unwrap();
        assert!((lo + 0.4).abs() < 1e-12 && (hi - 10.4).abs() < 1e-12);
        let (lo, hi) = padded_range([-1.0, 0.0, 1e-2, 1e2].into_iter(), true).unwrap();
        assert!((lo.log10() + 2.16).abs() < 1e-9 && (hi.log10() - 2.16).abs() < 1e-9);
        assert_eq!(padded_range([f64::INFINITY].into_iter(), false), None);
        let (lo, hi) = padded_range([3.0, 3.0].into_iter(), false).unwrap();
        assert!(lo < 3.0 && hi > 3.0);
    }

    #[test]
    fn ticks_thin_out_until_the_labels_fit() {
        // 20 units per character: five-character labels need 100 units each
        let width = |s: &str| 20.0 * s.chars().count() as f64;
        let axis = Axis::fit(0.0, 20_000.0, false, false, 400.0, 40.0, width);
        assert!(axis.labels_fit(400.0, &width));
        assert!(
            axis.ticks.len() >= 2 && axis.ticks.len() <= 4,
            "{:?}",
            axis.ticks
        );
    }
}
