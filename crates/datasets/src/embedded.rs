//! Real data sets compiled into the crate.
//!
//! Each accessor parses its file once (on first use) and returns a copy, so repeated calls
//! cost a memory copy. Nothing is read from disk at run time.

use std::path::Path;
use std::sync::OnceLock;

use crate::Dataset;
use crate::csv_io::read_embedded;

const DIGITS: &str = include_str!("../data/digits.csv");
const BREAST_CANCER: &str = include_str!("../data/breast_cancer.csv");
const DIABETES_X: &str = include_str!("../data/diabetes_data_raw.csv");
const DIABETES_Y: &str = include_str!("../data/diabetes_target.csv");
const IRIS: &str = include_str!("../data/iris.csv");
const WINE: &str = include_str!("../data/wine_data.csv");
const CHD_AGE: &str = include_str!("../data/chd_age.csv");

const BREAST_CANCER_FEATURES: [&str; 30] = [
    "mean radius",
    "mean texture",
    "mean perimeter",
    "mean area",
    "mean smoothness",
    "mean compactness",
    "mean concavity",
    "mean concave points",
    "mean symmetry",
    "mean fractal dimension",
    "radius error",
    "texture error",
    "perimeter error",
    "area error",
    "smoothness error",
    "compactness error",
    "concavity error",
    "concave points error",
    "symmetry error",
    "fractal dimension error",
    "worst radius",
    "worst texture",
    "worst perimeter",
    "worst area",
    "worst smoothness",
    "worst compactness",
    "worst concavity",
    "worst concave points",
    "worst symmetry",
    "worst fractal dimension",
];

const WINE_FEATURES: [&str; 13] = [
    "alcohol",
    "malic_acid",
    "ash",
    "alcalinity_of_ash",
    "magnesium",
    "total_phenols",
    "flavanoids",
    "nonflavanoid_phenols",
    "proanthocyanins",
    "color_intensity",
    "hue",
    "od280/od315_of_diluted_wines",
    "proline",
];

/// Handwritten digits: 1797 8x8 grey-level images (features `pixel_0_0` .. `pixel_7_7`, row
/// by row, values 0 to 16), labels 0 to 9.
///
/// Provenance: UCI "Optical Recognition of Handwritten Digits" (test part), E. Alpaydin,
/// C. Kaynak; CC BY 4.0; as distributed with scikit-learn (`load_digits`).
///
/// # Examples
/// ```
/// let d = linmod_datasets::digits();
/// assert_eq!((d.n_samples(), d.n_features()), (1797, 64));
/// assert_eq!(d.class_counts()?[0], 178);
/// assert_eq!(d.feature_names[9], "pixel_1_1");
/// # Ok::<(), linmod_datasets::DatasetError>(())
/// ```
#[must_use]
pub fn digits() -> Dataset {
    static CELL: OnceLock<Dataset> = OnceLock::new();
    CELL.get_or_init(|| {
        let mut d = labelled(
            "digits.csv",
            DIGITS,
            "Handwritten digits: 1797 8x8 grey-level images (values 0..16), labels 0..9. \
             Source: UCI \"Optical Recognition of Handwritten Digits\" (test part), \
             E. Alpaydin, C. Kaynak; CC BY 4.0; as distributed with scikit-learn.",
        );
        d.feature_names = (0..64)
            .map(|k| format!("pixel_{}_{}", k / 8, k % 8))
            .collect();
        d.target_names = (0..10).map(|k| k.to_string()).collect();
        d
    })
    .clone()
}

/// The digits 0 and 1 of [`digits`] (360 images: 178 zeros, 182 ones), labels 0 and 1, in
/// their original order: the binary problem of the course lab.
///
/// # Examples
/// ```
/// let d = linmod_datasets::digits_0_vs_1();
/// assert_eq!(d.n_samples(), 360);
/// assert_eq!(d.class_counts()?, vec![178, 182]);
/// # Ok::<(), linmod_datasets::DatasetError>(())
/// ```
#[must_use]
pub fn digits_0_vs_1() -> Dataset {
    static CELL: OnceLock<Dataset> = OnceLock::new();
    CELL.get_or_init(|| {
        let all = digits();
        let rows: Vec<usize> = (0..all.n_samples()).filter(|&i| all.y[i] <= 1.0).collect();
        // The indices come from the data set itself, so they are in range.
        let mut d = all.select(&rows).expect("rows of the data set");
        d.target_names.truncate(2);
        d.description = format!("Digits 0 and 1 only. {}", all.description);
        d
    })
    .clone()
}

/// Breast cancer diagnosis: 569 tumours, 30 features of the cell nuclei (scikit-learn's names,
/// `mean radius` .. `worst fractal dimension`), target 0 = malignant (212), 1 = benign (357).
///
/// Provenance: UCI "Breast Cancer Wisconsin (Diagnostic)", W. H. Wolberg, W. N. Street,
/// O. L. Mangasarian; CC BY 4.0; as distributed with scikit-learn (`load_breast_cancer`).
///
/// # Examples
/// ```
/// let d = linmod_datasets::breast_cancer();
/// assert_eq!((d.n_samples(), d.n_features()), (569, 30));
/// assert_eq!(d.target_names, vec!["malignant", "benign"]);
/// assert_eq!(d.class_counts()?, vec![212, 357]);
/// # Ok::<(), linmod_datasets::DatasetError>(())
/// ```
#[must_use]
pub fn breast_cancer() -> Dataset {
    static CELL: OnceLock<Dataset> = OnceLock::new();
    CELL.get_or_init(|| {
        let mut d = labelled(
            "breast_cancer.csv",
            after_count_line(BREAST_CANCER),
            "Breast cancer diagnosis: 569 tumours, 30 features of the cell nuclei, \
             0 = malignant, 1 = benign. Source: UCI \"Breast Cancer Wisconsin (Diagnostic)\", \
             W. H. Wolberg, W. N. Street, O. L. Mangasarian; CC BY 4.0; as distributed with \
             scikit-learn.",
        );
        d.feature_names = names(&BREAST_CANCER_FEATURES);
        d.target_names = names(&["malignant", "benign"]);
        d
    })
    .clone()
}

/// Diabetes progression: 442 patients, 10 baseline variables `age, sex, bmi, bp, s1..s6`
/// **raw** (as scikit-learn's `load_diabetes(scaled=False)`: age in years, sex coded 1/2, ...),
/// target a quantitative measure of disease progression one year later (25 to 346).
///
/// Provenance: Efron, Hastie, Johnstone, Tibshirani (2004), "Least Angle Regression", Annals
/// of Statistics; as distributed with scikit-learn.
///
/// # Examples
/// ```
/// let d = linmod_datasets::diabetes();
/// assert_eq!((d.n_samples(), d.n_features()), (442, 10));
/// assert_eq!(d.feature_names[2], "bmi");
/// assert_eq!(d.y[0], 151.0);
/// assert!(d.target_names.is_empty());
/// ```
#[must_use]
pub fn diabetes() -> Dataset {
    static CELL: OnceLock<Dataset> = OnceLock::new();
    CELL.get_or_init(|| {
        let mut d = parsed("diabetes_data_raw.csv", DIABETES_X, b' ', false, false);
        d.y = parsed("diabetes_target.csv", DIABETES_Y, b' ', false, true).y;
        d.description = String::from(
            "Diabetes progression: 442 patients, 10 raw baseline variables (age, sex, bmi, bp, \
             s1..s6), target a quantitative measure of disease progression one year later. \
             Source: Efron, Hastie, Johnstone, Tibshirani (2004), \"Least Angle Regression\", \
             Annals of Statistics; as distributed with scikit-learn.",
        );
        d.feature_names = names(&[
            "age", "sex", "bmi", "bp", "s1", "s2", "s3", "s4", "s5", "s6",
        ]);
        d.target_name = "target".into();
        d
    })
    .clone()
}

/// Fisher's iris flowers: 150 flowers, 4 measurements in cm (`sepal length (cm)`, ...),
/// 3 species `setosa, versicolor, virginica` (50 each).
///
/// Provenance: R. A. Fisher (1936); public domain; as distributed with scikit-learn.
///
/// # Examples
/// ```
/// let d = linmod_datasets::iris();
/// assert_eq!((d.n_samples(), d.n_features()), (150, 4));
/// assert_eq!(d.target_names[2], "virginica");
/// ```
#[must_use]
pub fn iris() -> Dataset {
    static CELL: OnceLock<Dataset> = OnceLock::new();
    CELL.get_or_init(|| {
        let mut d = labelled(
            "iris.csv",
            after_count_line(IRIS),
            "Iris flowers: 150 flowers, 4 measurements (cm), 3 species. Source: R. A. Fisher \
             (1936); public domain; as distributed with scikit-learn.",
        );
        d.feature_names = names(&[
            "sepal length (cm)",
            "sepal width (cm)",
            "petal length (cm)",
            "petal width (cm)",
        ]);
        d.target_names = names(&["setosa", "versicolor", "virginica"]);
        d
    })
    .clone()
}

/// Wines: 178 wines from three cultivars, 13 chemical measurements (scikit-learn's names,
/// `alcohol` .. `proline`), classes `class_0, class_1, class_2` (59, 71, 48).
///
/// Provenance: UCI "Wine", M. Forina et al.; CC BY 4.0; as distributed with scikit-learn.
///
/// # Examples
/// ```
/// let d = linmod_datasets::wine();
/// assert_eq!((d.n_samples(), d.n_features()), (178, 13));
/// assert_eq!(d.class_counts()?, vec![59, 71, 48]);
/// # Ok::<(), linmod_datasets::DatasetError>(())
/// ```
#[must_use]
pub fn wine() -> Dataset {
    static CELL: OnceLock<Dataset> = OnceLock::new();
    CELL.get_or_init(|| {
        let mut d = labelled(
            "wine_data.csv",
            after_count_line(WINE),
            "Wines: 178 wines from three cultivars, 13 chemical measurements. Source: UCI \
             \"Wine\", M. Forina et al.; CC BY 4.0; as distributed with scikit-learn.",
        );
        d.feature_names = names(&WINE_FEATURES);
        d.target_names = names(&["class_0", "class_1", "class_2"]);
        d
    })
    .clone()
}

/// Age and signs of coronary heart disease for 33 people (the lecture table, after Hosmer &
/// Lemeshow, *Applied Logistic Regression*): one feature `age` (years), target `y` = 1 when
/// signs of coronary heart disease were found (14 of 33).
///
/// Unpenalized logistic regression on it gives intercept -6.7085 and age coefficient 0.13150
/// (standard errors 2.354 and 0.04634).
///
/// # Examples
/// ```
/// let d = linmod_datasets::chd_age();
/// assert_eq!(d.x[(0, 0)], 22.0);
/// assert_eq!(d.class_counts()?, vec![19, 14]);
/// # Ok::<(), linmod_datasets::DatasetError>(())
/// ```
#[must_use]
pub fn chd_age() -> Dataset {
    static CELL: OnceLock<Dataset> = OnceLock::new();
    CELL.get_or_init(|| {
        let mut d = parsed("chd_age.csv", CHD_AGE, b',', true, true);
        d.description = String::from(
            "Age and signs of coronary heart disease, 33 people (lecture table after Hosmer & \
             Lemeshow, Applied Logistic Regression).",
        );
        d.target_names = names(&["no signs", "signs of CHD"]);
        d
    })
    .clone()
}

fn names(list: &[&str]) -> Vec<String> {
    list.iter().map(|&s| s.to_owned()).collect()
}

/// The text after the first line (scikit-learn's files start with a line of counts and class
/// names).
fn after_count_line(text: &'static str) -> &'static str {
    text.split_once('\n').map_or("", |(_, rest)| rest)
}

/// Parses an embedded file.
fn parsed(file: &str, text: &'static str, delimiter: u8, header: bool, target: bool) -> Dataset {
    // The embedded files are fixed at compile time and each is parsed by the tests of this
    // module, so a failure here is a defect of the build, not a condition of the run.
    read_embedded(text, Path::new(file), delimiter, header, target).expect("embedded data parse")
}

/// A headerless comma-separated file whose last column is the class label.
fn labelled(file: &str, text: &'static str, description: &str) -> Dataset {
    let mut d = parsed(file, text, b',', false, true).with_target_name("target");
    d.description = description.into();
    d
}

#[cfg(test)]
#[allow(clippy::float_cmp)] // the embedded values are exact copies of the source files
mod tests {
    use super::*;

    fn check_shape(d: &Dataset, n: usize, p: usize) {
        d.check().unwrap();
        assert_eq!((d.n_samples(), d.n_features()), (n, p));
        for j in 0..p {
            assert!(d.x.col_as_slice(j).iter().all(|v| v.is_finite()));
        }
        assert!(!d.description.is_empty());
    }

    fn row(d: &Dataset, i: usize) -> Vec<f64> {
        (0..d.n_features()).map(|j| d.x[(i, j)]).collect()
    }

    #[test]
    fn digits_match_the_source() {
        let d = digits();
        check_shape(&d, 1797, 64);
        assert_eq!(
            d.class_counts().unwrap(),
            vec![178, 182, 177, 183, 181, 182, 181, 179, 174, 180]
        );
        assert_eq!(&row(&d, 0)[..8], &[0.0, 0.0, 5.0, 13.0, 9.0, 1.0, 0.0, 0.0]);
        assert_eq!(d.y[0], 0.0);
        assert_eq!(&row(&d, 1796)[..4], &[0.0, 0.0, 10.0, 14.0]);
        assert_eq!(d.y[1796], 8.0);
        assert!((0..64).all(|j| d.x.col_as_slice(j).iter().all(|v| (0.0..=16.0).contains(v))));
        assert_eq!(d.feature_names[63], "pixel_7_7");
        assert_eq!(d.target_names.len(), 10);
    }

    #[test]
    fn digits_0_vs_1_is_the_binary_subset() {
        let d = digits_0_vs_1();
        check_shape(&d, 360, 64);
        assert_eq!(d.class_counts().unwrap(), vec![178, 182]);
        assert_eq!(row(&d, 0), row(&digits(), 0));
        assert_eq!(d.target_names, vec!["0", "1"]);
    }

    #[test]
    fn breast_cancer_matches_the_source() {
        let d = breast_cancer();
        check_shape(&d, 569, 30);
        assert_eq!(d.class_counts().unwrap(), vec![212, 357]);
        assert_eq!(&row(&d, 0)[..4], &[17.99, 10.38, 122.8, 1001.0]);
        assert_eq!(d.x[(0, 29)], 0.1189);
        assert_eq!(d.y[0], 0.0);
        assert_eq!(d.x[(568, 0)], 7.76);
        assert_eq!(d.y[568], 1.0);
        assert_eq!(d.feature_names[0], "mean radius");
        assert_eq!(d.feature_names[29], "worst fractal dimension");
    }

    #[test]
    fn diabetes_matches_the_source() {
        let d = diabetes();
        check_shape(&d, 442, 10);
        assert_eq!(
            row(&d, 0),
            vec![59.0, 2.0, 32.1, 101.0, 157.0, 93.2, 38.0, 4.0, 4.8598, 87.0]
        );
        assert_eq!((d.y[0], d.y[441]), (151.0, 57.0));
        assert_eq!(d.x[(441, 0)], 36.0);
        assert_eq!(d.feature_names[9], "s6");
        let (lo, hi) =
            d.y.iter()
                .fold((f64::MAX, f64::MIN), |(a, b), &v| (a.min(v), b.max(v)));
        assert_eq!((lo, hi), (25.0, 346.0));
    }

    #[test]
    fn iris_matches_the_source() {
        let d = iris();
        check_shape(&d, 150, 4);
        assert_eq!(d.class_counts().unwrap(), vec![50, 50, 50]);
        assert_eq!(row(&d, 0), vec![5.1, 3.5, 1.4, 0.2]);
        assert_eq!(row(&d, 149), vec![5.9, 3.0, 5.1, 1.8]);
        assert_eq!(d.feature_names[3], "petal width (cm)");
    }

    #[test]
    fn wine_matches_the_source() {
        let d = wine();
        check_shape(&d, 178, 13);
        assert_eq!(d.class_counts().unwrap(), vec![59, 71, 48]);
        assert_eq!(&row(&d, 0)[..3], &[14.23, 1.71, 2.43]);
        assert_eq!(d.x[(0, 12)], 1065.0);
        assert_eq!(d.x[(177, 12)], 560.0);
        assert_eq!(d.feature_names[11], "od280/od315_of_diluted_wines");
    }

    #[test]
    fn chd_table_matches_the_source() {
        let d = chd_age();
        check_shape(&d, 33, 1);
        assert_eq!(d.x[(32, 0)], 81.0);
        assert_eq!(d.class_counts().unwrap(), vec![19, 14]);
        assert_eq!(
            (d.feature_names[0].as_str(), d.target_name.as_str()),
            ("age", "y")
        );
    }

    #[test]
    fn accessors_return_equal_copies() {
        let (a, b) = (iris(), iris());
        assert_eq!(a.x, b.x);
        assert_eq!(a.y, b.y);
    }
}
