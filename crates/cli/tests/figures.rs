//! Every figure of the tour, rendered to PNG by `linmod tour --png`, read back: the image,
//! and the description of its axes it carries (`Description` text chunk), whose tick labels
//! and ranges are checked, for all figures and for what each one must show.

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

/// One axis as the description states it.
#[derive(Debug)]
struct AxisFacts {
    log: bool,
    lo: f64,
    hi: f64,
    labels: Vec<String>,
}

/// What a PNG says about itself.
#[derive(Debug)]
struct Figure {
    width: u32,
    height: u32,
    title: String,
    description: String,
    x: AxisFacts,
    y: AxisFacts,
}

/// The number a tick label stands for: `0.25`, `−20`, `10⁻³`, `2×10⁶`.
fn label_value(label: &str) -> Option<f64> {
    let label = label.replace('−', "-");
    if let Ok(v) = label.parse() {
        return Some(v);
    }
    let (mantissa, power) = match label.split_once('×') {
        Some((m, p)) => (m.parse().ok()?, p.to_string()),
        None => (1.0, label.clone()),
    };
    let exponent: String = power
        .strip_prefix("10")?
        .chars()
        .map(|c| {
            let digit = "⁰¹²³⁴⁵⁶⁷⁸⁹".chars().position(|s| s == c);
            match (c, digit) {
                ('⁻', _) => Some('-'),
                (_, Some(d)) => char::from_digit(d as u32, 10),
                _ => None,
            }
        })
        .collect::<Option<String>>()?;
    Some(mantissa * 10f64.powi(exponent.parse().ok()?))
}

/// `"<name> axis: <title>; <scale>; from <lo> to <hi>; ticks <a>, <b>, ..."`
fn axis_facts(description: &str, name: &str) -> AxisFacts {
    let prefix = format!("{name} axis: ");
    let line = description
        .lines()
        .find(|l| l.starts_with(&prefix))
        .unwrap_or_else(|| panic!("no {name} axis in\n{description}"));
    let mut parts = line.rsplitn(4, "; ");
    let ticks = parts.next().unwrap();
    let range = parts.next().unwrap();
    let scale = parts.next().unwrap();
    let (lo, hi) = range
        .strip_prefix("from ")
        .and_then(|r| r.split_once(" to "))
        .unwrap_or_else(|| panic!("no range in `{line}`"));
    AxisFacts {
        log: scale == "logarithmic",
        lo: lo.parse().unwrap(),
        hi: hi.parse().unwrap(),
        labels: ticks
            .strip_prefix("ticks ")
            .unwrap()
            .split(", ")
            .map(str::to_string)
            .collect(),
    }
}

fn read_png(path: &Path) -> Figure {
    let file = std::fs::File::open(path).unwrap();
    let reader = png::Decoder::new(std::io::BufReader::new(file))
        .read_info()
        .unwrap();
    let info = reader.info();
    let text = |key: &str| {
        info.utf8_text
            .iter()
            .find(|t| t.keyword == key)
            .map(|t| t.get_text().unwrap())
            .unwrap_or_else(|| panic!("{} has no {key}", path.display()))
    };
    let description = text("Description");
    Figure {
        width: info.width,
        height: info.height,
        title: text("Title"),
        x: axis_facts(&description, "x"),
        y: axis_facts(&description, "y"),
        description,
    }
}

/// What holds for every axis: a finite range, two or more distinct short labels, each the
/// value of a tick inside the range, in increasing order; decades as `10ᵏ` on long log axes.
fn check_axis(name: &str, a: &AxisFacts) {
    assert!(
        a.lo.is_finite() && a.hi.is_finite() && a.lo < a.hi,
        "{name}: {a:?}"
    );
    assert!(!a.log || a.lo > 0.0, "{name}: {a:?}");
    assert!(a.labels.len() >= 2, "{name}: too few ticks {a:?}");
    let mut previous = f64::NEG_INFINITY;
    for label in &a.labels {
        assert!(
            !label.is_empty() && label.chars().count() <= 8,
            "{name}: label `{label}` is empty or long"
        );
        let v = label_value(label).unwrap_or_else(|| panic!("{name}: label `{label}`"));
        assert!(
            v >= a.lo && v <= a.hi,
            "{name}: tick {label} outside [{}, {}]",
            a.lo,
            a.hi
        );
        assert!(
            v > previous,
            "{name}: labels not increasing: {:?}",
            a.labels
        );
        previous = v;
    }
    if a.log && a.hi / a.lo > 1e3 {
        assert!(
            a.labels.iter().all(|l| l.starts_with("10")),
            "{name}: a long log axis labels its decades 10ᵏ: {:?}",
            a.labels
        );
    }
}

#[test]
fn every_tour_figure_renders_to_png_with_readable_axes() {
    let dir = tempfile::tempdir().unwrap();
    linmod(&["tour", "--png", "--out", "figs"], dir.path());
    let mut figures = BTreeMap::new();
    for entry in std::fs::read_dir(dir.path().join("figs")).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "png") {
            let svg = path.with_extension("svg");
            assert!(svg.exists(), "{} has no SVG beside it", path.display());
            let stem = path.file_stem().unwrap().to_string_lossy().into_owned();
            figures.insert(stem, read_png(&path));
        }
    }
    let names: Vec<&str> = figures.keys().map(String::as_str).collect();
    assert_eq!(
        names,
        [
            "chd",
            "gd_diabetes",
            "gd_learning_rates",
            "gd_one_variable",
            "l1_sparsity",
            "lasso_path",
            "mlp_loss",
            "regularization",
            "sigmoid"
        ]
    );
    for (name, f) in &figures {
        assert_eq!((f.width, f.height), (1200, 750), "{name}");
        assert!(!f.title.is_empty());
        check_axis(&format!("{name} x"), &f.x);
        check_axis(&format!("{name} y"), &f.y);
    }

    // the diverging run is clipped: the axis spans the converging runs, down to the
    // tolerance, and no further right than the slowest run's 1032 iterations
    let f = &figures["gd_one_variable"];
    assert!(f.y.log && f.y.hi < 1e4 && f.y.lo < 1e-8, "{:?}", f.y);
    assert!(f.x.hi > 1032.0 && f.x.hi < 1200.0, "{:?}", f.x);
    assert!(
        f.description.contains("(line, clipped to the axes)"),
        "{}",
        f.description
    );

    // 20449 iterations down to the stopping rule, and the predicted rate beside them
    let f = &figures["gd_diabetes"];
    assert!(
        f.x.hi > 20_000.0 && f.y.lo < 1e-8 && f.y.hi > 100.0,
        "{f:?}"
    );
    assert!(f.description.contains("(dashed line)"), "{}", f.description);

    // lambda_min and the one-standard-error lambda are marked on the lasso path
    let f = &figures["lasso_path"];
    assert!(f.x.log);
    assert_eq!(
        f.description.matches("reference line: λ_").count(),
        2,
        "{}",
        f.description
    );

    // counts are whole numbers, C runs over decades
    let f = &figures["l1_sparsity"];
    assert!(
        f.y.labels.iter().all(|l| l.parse::<u32>().is_ok()),
        "{:?}",
        f.y
    );
    assert_eq!(
        figures["regularization"]
            .x
            .labels
            .first()
            .map(String::as_str),
        Some("10⁻³")
    );

    // the network's loss falls from about 3 to 0.06: labelled 0.1 ... 2, nothing garbled
    let f = &figures["mlp_loss"];
    assert!(
        f.y.log && f.y.labels.iter().any(|l| l == "0.1") && f.y.labels.iter().any(|l| l == "1")
    );

    // the prevalence points carry their group sizes
    let f = &figures["chd"];
    assert!(
        f.description
            .contains("series: share with signs of CHD (k/n, area ∝ n) (points, labelled 0/5 1/6 2/7 4/7 4/5 2/2 1/1)"),
        "{}",
        f.description
    );
    assert!(
        f.x.lo < 20.0 && f.x.hi > 85.0 && f.x.hi < 100.0,
        "{:?}",
        f.x
    );
}

/// Runs `linmod` in `dir`, failing the test with its stderr if it fails.
fn linmod(args: &[&str], dir: &Path) {
    let out = Command::new(env!("CARGO_BIN_EXE_linmod"))
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "linmod {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn the_path_figure_is_a_png_when_asked_and_marks_the_chosen_penalties() {
    let dir = tempfile::tempdir().unwrap();
    let dir = dir.path();
    linmod(
        &[
            "simulate",
            "linear",
            "--n",
            "300",
            "--beta",
            "2,-1,0.5,0,0",
            "--seed",
            "1",
            "--out",
            "x.npy",
        ],
        dir,
    );
    linmod(
        &[
            "path",
            "--data",
            "x.npy",
            "--target-file",
            "x_y.npy",
            "--plot",
            "path.png",
        ],
        dir,
    );
    let f = read_png(&dir.join("path.png"));
    check_axis("path x", &f.x);
    check_axis("path y", &f.y);
    assert!(f.x.log, "{:?}", f.x);
    for name in ["x1", "x5", "λ_min", "λ_1se"] {
        assert!(f.description.contains(name), "{name}: {}", f.description);
    }
}

#[test]
fn tick_labels_parse_back() {
    assert_eq!(label_value("0.25"), Some(0.25));
    assert_eq!(label_value("−20"), Some(-20.0));
    assert_eq!(label_value("10⁻³"), Some(1e-3));
    assert_eq!(label_value("2×10⁶"), Some(2e6));
    assert_eq!(label_value("ten"), None);
}
