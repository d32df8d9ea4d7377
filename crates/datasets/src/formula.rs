//! Formulas (`y ~ age + C(sex) + age:fare`) and the design specification they learn from a
//! table: which columns, which levels, which reference, which names.

use serde::{Deserialize, Serialize};

use crate::Dataset;
use crate::design_columns::{Learned, Part, Subterm, subterms};
use crate::error::{DatasetError, Result};
use crate::formula_parse::{self, Factor, FactorSyntax, Literal, NumExpr, Parsed};
use crate::table::{Column, Table, number_label};

/// What to do with a row that has a missing value in a column the design uses.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Missing {
    /// The first missing cell is an error naming its column and line (the default).
    #[default]
    Error,
    /// Rows with a missing value in any column used are dropped (statsmodels'
    /// `missing="drop"`); the count is in [`Frame::dropped`].
    Drop,
}

/// What to do, when a design is applied to new data, with a level of a categorical column that
/// the design did not see when it was learned.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Unseen {
    /// An error naming the column, the level and the line (the default).
    #[default]
    Error,
    /// The row is encoded as the reference level; the count is in [`Frame::unseen`].
    Reference,
}

/// A formula in a documented subset of the Wilkinson notation of patsy, formulaic and R.
///
/// | written | means |
/// |---|---|
/// | `y ~ a + b` | target `y`, terms `a` and `b`, and an intercept |
/// | `sex` (a text column) | categorical, treatment coding: columns `sex[T.level]` for every level but the first in sorted order |
/// | `C(x)` | `x` categorical, even when numeric: `C(x)[T.2]` |
/// | `C(x, Treatment(reference="b"))`, `C(x, Treatment("b"))`, `C(x, Treatment(3))` | the reference level chosen |
/// | `a:b` | interaction: products of the columns of `a` and `b` (numeric or categorical) |
/// | `a*b` | `a + b + a:b` |
/// | `(a + b):c` | `a:c + b:c` |
/// | `- 1`, `+ 0`, `0 +` | no intercept: the first categorical term then keeps all its levels |
/// | `- a` | removes term `a` |
/// | `log(x)`, `np.log(x)`, `log2`, `log10`, `exp`, `sqrt`, `abs` | transforms (with or without `np.`) |
/// | `I(x**2)`, `I(x^2)`, `I(a*b + 1)` | arithmetic: `+ - * / **` (`^` is a power too) |
/// | `` `my col` ``, `Q("my col")` | a column whose name is not an identifier |
///
/// Terms are ordered and coded as patsy does (statsmodels' formulas): grouped by their numeric
/// factors, by degree within a group, and each categorical factor coded with or without its
/// reference so that the design has no redundant column. Names are statsmodels': the factor's
/// text with patsy's spacing (`I(x ** 2)`), `[T.level]` for a treatment column, `[level]` for
/// a full one, `:` between the parts of an interaction. The intercept is not a column of the
/// design: [`DesignSpec::intercept`] tells the model to fit one.
///
/// Anything else (nesting `/`, powers of terms, other contrasts, unknown functions) is a
/// [`DatasetError::Formula`] pointing at its position.
///
/// # Examples
/// ```
/// use linmod_datasets::{Column, Formula, Missing, Table};
/// let table = Table::new(
///     vec!["y".into(), "age".into(), "sex".into()],
///     vec![
///         Column::numeric(vec![0.0, 1.0, 1.0, 0.0]),
///         Column::numeric(vec![22.0, 38.0, f64::NAN, 35.0]),
///         Column::text(["male", "female", "female", "male"].map(Some))?,
///     ],
/// )?;
/// let formula = Formula::parse("y ~ age * sex")?;
/// let (spec, frame) = formula.build(&table, Missing::Drop)?;
/// // patsy's order: the terms without numeric factors first
/// assert_eq!(spec.feature_names(), ["sex[T.male]", "age", "age:sex[T.male]"]);
/// assert!(spec.intercept());
/// assert_eq!((frame.x.nrows(), frame.dropped), (3, 1));
/// assert_eq!(frame.x[(2, 2)], 35.0); // age x (sex == male) on the last row
/// assert_eq!(frame.y, vec![0.0, 1.0, 0.0]);
///
/// let err = Formula::parse("y ~ age + * sex").unwrap_err();
/// assert_eq!(err.to_string(), "formula error at character 11: expected a term (a column name, \
///     C(...), I(...), 0 or 1)\n  y ~ age + * sex\n            ^");
/// # Ok::<(), linmod_datasets::DatasetError>(())
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct Formula {
    text: String,
    parsed: Parsed,
}

impl Formula {
    /// Parses `text`.
    ///
    /// # Errors
    /// [`DatasetError::Formula`] with the 1-based character position of the problem.
    pub fn parse(text: &str) -> Result<Self> {
        Ok(Self {
            text: text.to_owned(),
            parsed: formula_parse::parse(text)?,
        })
    }

    /// The formula as written.
    #[must_use]
    pub fn text(&self) -> &str {
        &self.text
    }

    /// The left side (the target) as written, or `None` for `~ terms`.
    #[must_use]
    pub fn target(&self) -> Option<&str> {
        self.parsed.target.as_ref().map(|f| f.code.as_str())
    }

    /// True unless the formula removes the intercept (`- 1`, `+ 0`).
    #[must_use]
    pub fn has_intercept(&self) -> bool {
        self.parsed.intercept
    }

    /// The names of the table columns the formula uses (target first), each once.
    #[must_use]
    pub fn columns(&self) -> Vec<String> {
        let mut out = Vec::new();
        for f in self.parsed.target.iter().chain(&self.parsed.factors) {
            factor_columns(&f.syntax, &mut out);
        }
        out
    }

    /// Learns the design from `table`: the type of each factor, the levels of the
    /// categorical ones (sorted, the first the reference unless chosen), the column names.
    ///
    /// # Errors
    /// [`DatasetError::MissingColumn`] for a column that is not in the table (with close
    /// matches), [`DatasetError::Design`] for a text column in arithmetic or as the target, a
    /// reference level that is not a level, or a categorical column without levels.
    pub fn spec(&self, table: &Table, missing: Missing) -> Result<DesignSpec> {
        DesignSpec::learn(&self.parsed, Some(self.text.clone()), table, missing)
    }

    /// [`spec`](Self::spec), then [`DesignSpec::fit_frame`]: the design and the target.
    ///
    /// # Errors
    /// As both.
    pub fn build(&self, table: &Table, missing: Missing) -> Result<(DesignSpec, Frame)> {
        let spec = self.spec(table, missing)?;
        let frame = spec.fit_frame(table)?;
        Ok((spec, frame))
    }
}

fn expr_columns(e: &NumExpr, out: &mut Vec<String>) {
    match e {
        NumExpr::Column(c) => {
            if !out.contains(c) {
                out.push(c.clone());
            }
        }
        NumExpr::Number(_) => {}
        NumExpr::Neg(a) | NumExpr::Call(_, a) => expr_columns(a, out),
        NumExpr::Binary(_, a, b) => {
            expr_columns(a, out);
            expr_columns(b, out);
        }
    }
}

fn factor_columns(s: &FactorSyntax, out: &mut Vec<String>) {
    match s {
        FactorSyntax::Expr(e) => expr_columns(e, out),
        FactorSyntax::Categorical { column, .. } => {
            expr_columns(&NumExpr::Column(column.clone()), out)
        }
    }
}

/// A design learned from a table: the formula's factors with their types and levels, the
/// coding of every term, the names of the columns, the target, the intercept and the missing
/// value policy. It is the part of a fitted model that turns raw columns into its features
/// (serializable, so it is saved with the model), and it applies to new tables with
/// [`features`](Self::features).
///
/// Categorical factors keep their codes apart from the products that make the columns, so
/// a categorical block can be emitted as an indicator (sparse) design instead of dense
/// columns.
///
/// # Examples
/// ```
/// use linmod_datasets::{Column, Formula, Missing, Table, Unseen};
/// let fit_table = Table::new(
///     vec!["y".into(), "x".into(), "g".into()],
///     vec![
///         Column::numeric(vec![1.0, 2.0, 3.0]),
///         Column::numeric(vec![1.0, 4.0, 9.0]),
///         Column::text(["a", "b", "c"].map(Some))?,
///     ],
/// )?;
/// let spec = Formula::parse("y ~ np.log(x) + C(g, Treatment('b'))")?.spec(&fit_table, Missing::Error)?;
/// assert_eq!(
///     spec.feature_names(),
///     ["C(g, Treatment('b'))[T.a]", "C(g, Treatment('b'))[T.c]", "np.log(x)"]
/// );
/// let json = serde_json::to_string(&spec).unwrap();
/// let back: linmod_datasets::DesignSpec = serde_json::from_str(&json).unwrap();
/// assert_eq!(back, spec);
///
/// // new rows: no target needed, extra columns ignored
/// let new = Table::new(
///     vec!["g".into(), "x".into(), "other".into()],
///     vec![
///         Column::text(["c", "z"].map(Some))?,
///         Column::numeric(vec![1.0, 1.0]),
///         Column::text([None::<&str>, None])?,
///     ],
/// )?;
/// assert!(spec.features(&new, Unseen::Error).is_err()); // level "z" is new
/// let frame = spec.features(&new, Unseen::Reference)?;
/// assert_eq!((frame.unseen, frame.x[(1, 0)], frame.x[(1, 1)]), (1, 0.0, 0.0));
/// # Ok::<(), linmod_datasets::DatasetError>(())
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DesignSpec {
    /// The formula, when the design came from one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    formula: Option<String>,
    target: Option<Learned>,
    intercept: bool,
    missing: Missing,
    factors: Vec<Learned>,
    subterms: Vec<Subterm>,
    names: Vec<String>,
}

/// A design applied to a table: the features (and the target, when asked), and which table
/// rows they hold.
#[derive(Clone, Debug)]
pub struct Frame {
    /// The features, one column per name of [`DesignSpec::feature_names`].
    pub x: crate::Mat<f64>,
    /// The target (empty when the target was not asked for).
    pub y: Vec<f64>,
    /// The 0-based table row of each row of `x` (rows with missing values are absent under
    /// [`Missing::Drop`]).
    pub rows: Vec<usize>,
    /// Number of rows dropped for a missing value.
    pub dropped: usize,
    /// Number of cells holding a level the design had not seen, encoded as the reference
    /// ([`Unseen::Reference`]).
    pub unseen: usize,
}

impl Frame {
    /// The frame as a [`Dataset`] named after the design (for fitting).
    #[must_use]
    pub fn into_dataset(self, spec: &DesignSpec, description: impl Into<String>) -> Dataset {
        Dataset {
            x: self.x,
            y: self.y,
            feature_names: spec.names.clone(),
            target_name: spec.target_name().unwrap_or("y").to_owned(),
            target_names: Vec::new(),
            description: description.into(),
        }
    }
}

impl DesignSpec {
    /// A design without a formula: the column `target` and the feature columns, numeric
    /// columns as they are and text columns categorical (named `sex[T.male]`), with an
    /// intercept.
    ///
    /// # Errors
    /// As [`Formula::spec`].
    ///
    /// # Examples
    /// ```
    /// use linmod_datasets::{Column, DesignSpec, Missing, Table};
    /// let t = Table::new(
    ///     vec!["id".into(), "sex".into(), "y".into()],
    ///     vec![
    ///         Column::numeric(vec![1.0, 2.0]),
    ///         Column::text(["m", "f"].map(Some))?,
    ///         Column::numeric(vec![0.0, 1.0]),
    ///     ],
    /// )?;
    /// let spec = DesignSpec::from_columns(&t, "y", &["sex".to_string()], Missing::Error)?;
    /// assert_eq!(spec.feature_names(), ["sex[T.m]"]);
    /// # Ok::<(), linmod_datasets::DatasetError>(())
    /// ```
    pub fn from_columns(
        table: &Table,
        target: &str,
        features: &[String],
        missing: Missing,
    ) -> Result<Self> {
        let column = |name: &str| Factor {
            code: name.to_owned(),
            syntax: FactorSyntax::Expr(NumExpr::Column(name.to_owned())),
        };
        let parsed = Parsed {
            target: Some(column(target)),
            intercept: true,
            factors: features.iter().map(|f| column(f)).collect(),
            terms: (0..features.len()).map(|k| vec![k]).collect(),
        };
        Self::learn(&parsed, None, table, missing)
    }

    fn learn(
        parsed: &Parsed,
        formula: Option<String>,
        table: &Table,
        missing: Missing,
    ) -> Result<Self> {
        let target = match &parsed.target {
            None => None,
            Some(f) => match learn_factor(f, table)? {
                Learned::Categorical { column, .. } => {
                    return Err(DatasetError::Design {
                        reason: format!(
                            "the target `{column}` is a text column (or C()): the target must \
                             be numeric (0/1 for a binary logistic model)"
                        ),
                    });
                }
                numeric => Some(numeric),
            },
        };
        let factors = parsed
            .factors
            .iter()
            .map(|f| learn_factor(f, table))
            .collect::<Result<Vec<_>>>()?;
        let numeric: Vec<bool> = factors.iter().map(Learned::is_numeric).collect();
        let subterms = subterms(parsed.intercept, &parsed.terms, &numeric);
        let names = subterms
            .iter()
            .flat_map(|s| s.column_names(&factors))
            .collect();
        Ok(Self {
            formula,
            target,
            intercept: parsed.intercept,
            missing,
            factors,
            subterms,
            names,
        })
    }

    /// The names of the design's columns, in order (statsmodels' names, the intercept
    /// excluded).
    #[must_use]
    pub fn feature_names(&self) -> &[String] {
        &self.names
    }

    /// True when the model fits an intercept (the formula did not remove it).
    #[must_use]
    pub fn intercept(&self) -> bool {
        self.intercept
    }

    /// The formula the design came from, if any.
    #[must_use]
    pub fn formula(&self) -> Option<&str> {
        self.formula.as_deref()
    }

    /// The target as written (`y`, `np.log(y)`), if any.
    #[must_use]
    pub fn target_name(&self) -> Option<&str> {
        self.target.as_ref().map(Learned::code)
    }

    /// The missing-value policy, applied at fit and prediction alike.
    #[must_use]
    pub fn missing(&self) -> Missing {
        self.missing
    }

    /// The table columns the design reads (the target excluded), each once.
    #[must_use]
    pub fn feature_columns(&self) -> Vec<String> {
        let mut out = Vec::new();
        for f in &self.factors {
            match f {
                Learned::Numeric { expr, .. } => expr_columns(expr, &mut out),
                Learned::Categorical { column, .. } => {
                    expr_columns(&NumExpr::Column(column.clone()), &mut out);
                }
            }
        }
        out
    }

    /// How to read a file for this design: only the columns it uses (and the target, when
    /// asked), each with the type it had when the design was learned, so that a text column
    /// of codes (`02134`) stays text and a stray word in a numeric column is an error at its
    /// line.
    ///
    /// # Examples
    /// ```
    /// use linmod_datasets::{Formula, Missing, TableOptions, read_table_from};
    /// let fit = read_table_from("y,zip\n1,02134\n2,10001\n".as_bytes(), "a.csv", &TableOptions::new().column_type("zip", linmod_datasets::ColumnType::Text))?;
    /// let spec = Formula::parse("y ~ zip")?.spec(&fit, Missing::Error)?;
    /// let new = read_table_from("zip,other\n02134,x\n".as_bytes(), "b.csv", &spec.read_options(false))?;
    /// assert_eq!(new.names(), ["zip"]);
    /// assert_eq!(new.column("zip").and_then(|c| c.display(0)).as_deref(), Some("02134"));
    /// # Ok::<(), linmod_datasets::DatasetError>(())
    /// ```
    #[must_use]
    pub fn read_options(&self, with_target: bool) -> crate::TableOptions {
        let mut columns = Vec::new();
        if with_target && let Some(t) = &self.target {
            learned_columns(t, &mut columns);
        }
        let mut options = crate::TableOptions::new();
        for f in &self.factors {
            if let Learned::Categorical {
                column,
                values: None,
                ..
            } = f
            {
                options = options.column_type(column.clone(), crate::ColumnType::Text);
            }
            learned_columns(f, &mut columns);
        }
        for f in self
            .target
            .iter()
            .filter(|_| with_target)
            .chain(&self.factors)
        {
            if let Learned::Numeric { expr, .. } = f {
                let mut numeric = Vec::new();
                expr_columns(expr, &mut numeric);
                for c in numeric {
                    options = options.column_type(c, crate::ColumnType::Numeric);
                }
            }
        }
        options.only(columns)
    }

    /// Checks a deserialized design: levels, references and subterms consistent, names
    /// matching the subterms.
    ///
    /// # Errors
    /// [`DatasetError::Design`] naming the inconsistency.
    pub fn validate(&self) -> Result<()> {
        let bad = |reason: String| Err(DatasetError::Design { reason });
        for f in &self.factors {
            if let Learned::Categorical {
                code,
                labels,
                values,
                reference,
                ..
            } = f
                && (labels.is_empty()
                    || *reference >= labels.len()
                    || values.as_ref().is_some_and(|v| v.len() != labels.len()))
            {
                return bad(format!("the levels of factor `{code}` are inconsistent"));
            }
        }
        for s in &self.subterms {
            if !s.valid(&self.factors) {
                return bad("a term refers to a factor that does not exist".into());
            }
        }
        let names: Vec<String> = self
            .subterms
            .iter()
            .flat_map(|s| s.column_names(&self.factors))
            .collect();
        if names != self.names {
            return bad("the column names do not match the terms".into());
        }
        Ok(())
    }

    /// The design and the target of `table`, with the missing-value policy of the design
    /// (levels unseen when the design was learned are errors).
    ///
    /// # Errors
    /// [`DatasetError::Design`] for a design without a target; otherwise as
    /// [`features`](Self::features), for the target column too.
    pub fn fit_frame(&self, table: &Table) -> Result<Frame> {
        self.labelled(table, Unseen::Error)
    }

    /// The design and the target of `table`, levels unseen when the design was learned
    /// treated as `unseen` says (the input of an evaluation on new labelled rows).
    ///
    /// # Errors
    /// As [`fit_frame`](Self::fit_frame).
    pub fn labelled(&self, table: &Table, unseen: Unseen) -> Result<Frame> {
        if self.target.is_none() {
            return Err(DatasetError::Design {
                reason: "the formula has no target (write `y ~ ...`)".into(),
            });
        }
        self.frame(table, true, unseen)
    }

    /// The design of `table` (no target needed; other columns ignored), with the
    /// missing-value policy of the design.
    ///
    /// # Errors
    /// Each names the column and the 1-based line of the table's file (or the row):
    /// [`DatasetError::MissingColumn`], [`DatasetError::MissingValue`] under
    /// [`Missing::Error`], [`DatasetError::UnseenLevel`] under [`Unseen::Error`],
    /// [`DatasetError::BadValue`] for text in a numeric column or a transform that is not
    /// finite (the logarithm of 0, say), [`DatasetError::EmptyInput`] when every row is
    /// dropped, [`DatasetError::OutOfMemory`].
    pub fn features(&self, table: &Table, unseen: Unseen) -> Result<Frame> {
        self.frame(table, false, unseen)
    }

    fn frame(&self, table: &Table, with_target: bool, unseen: Unseen) -> Result<Frame> {
        let n = table.n_rows();
        // rows with a missing value in a used column
        let mut columns = Vec::new();
        if with_target && let Some(t) = &self.target {
            learned_columns(t, &mut columns);
        }
        for f in &self.factors {
            learned_columns(f, &mut columns);
        }
        let used = columns
            .iter()
            .map(|name| table.require(name).map(|c| (name, c)))
            .collect::<Result<Vec<_>>>()?;
        let mut keep = vec![true; n];
        let mut dropped = 0;
        for (i, keep) in keep.iter_mut().enumerate() {
            if let Some((name, _)) = used.iter().find(|(_, c)| c.is_missing(i)) {
                if self.missing == Missing::Error {
                    return Err(DatasetError::MissingValue {
                        file: table.source().to_path_buf(),
                        line: table.line(i),
                        row: i,
                        column: (*name).clone(),
                    });
                }
                *keep = false;
                dropped += 1;
            }
        }
        let rows: Vec<usize> = (0..n).filter(|&i| keep[i]).collect();
        if rows.is_empty() {
            return Err(DatasetError::EmptyInput {
                file: table.source().to_path_buf(),
                reason: if dropped > 0 {
                    "every row has a missing value in the columns used"
                } else {
                    "no data rows"
                },
            });
        }
        let mut unseen_count = 0;
        let values = self
            .factors
            .iter()
            .map(|f| factor_values(f, table, &rows, unseen, &mut unseen_count))
            .collect::<Result<Vec<_>>>()?;
        let y = match (&self.target, with_target) {
            (Some(t), true) => match factor_values(t, table, &rows, unseen, &mut 0)? {
                Values::Numeric(v) => v.into_owned(),
                Values::Codes(_) => Vec::new(),
            },
            _ => Vec::new(),
        };
        let p = self.names.len();
        let m = rows.len();
        let mut x = crate::Mat::<f64>::new();
        if p > 0 {
            x.try_reserve(m, p).map_err(|_| DatasetError::OutOfMemory {
                file: table.source().to_path_buf(),
                bytes: (m as u64).saturating_mul(p as u64).saturating_mul(8),
            })?;
        }
        x.resize_with(m, p, |_, _| 0.0);
        let mut j = 0;
        for s in &self.subterms {
            for parts in s.columns(&self.factors) {
                let col = x.col_as_slice_mut(j);
                fill_column(col, &parts, &values);
                j += 1;
            }
        }
        Ok(Frame {
            x,
            y,
            rows,
            dropped,
            unseen: unseen_count,
        })
    }
}

fn learned_columns(f: &Learned, out: &mut Vec<String>) {
    match f {
        Learned::Numeric { expr, .. } => expr_columns(expr, out),
        Learned::Categorical { column, .. } => expr_columns(&NumExpr::Column(column.clone()), out),
    }
}

/// The values of a factor on the kept rows: numbers, or level codes.
enum Values<'a> {
    /// Borrowed from the table when the factor is a column and every row is kept.
    Numeric(std::borrow::Cow<'a, [f64]>),
    Codes(Vec<u32>),
}

fn fill_column(col: &mut [f64], parts: &[Part], values: &[Values<'_>]) {
    col.fill(1.0);
    for part in parts {
        match *part {
            Part::Value(k) => {
                if let Values::Numeric(v) = &values[k] {
                    for (c, &v) in col.iter_mut().zip(v.iter()) {
                        *c *= v;
                    }
                }
            }
            Part::Level(k, level) => {
                if let Values::Codes(codes) = &values[k] {
                    for (c, &code) in col.iter_mut().zip(codes) {
                        if code != level {
                            *c = 0.0;
                        }
                    }
                }
            }
        }
    }
}

/// The type and levels of a factor in `table`.
fn learn_factor(f: &Factor, table: &Table) -> Result<Learned> {
    let (column, reference) = match &f.syntax {
        FactorSyntax::Expr(NumExpr::Column(c))
            if matches!(table.require(c)?, Column::Text { .. }) =>
        {
            (c, None)
        }
        FactorSyntax::Expr(e) => {
            check_numeric(e, table, &f.code)?;
            return Ok(Learned::Numeric {
                code: f.code.clone(),
                expr: e.clone(),
            });
        }
        FactorSyntax::Categorical { column, reference } => (column, reference.as_ref()),
    };
    let (labels, values) = match table.require(column)? {
        Column::Text { levels, codes } => {
            let mut seen = vec![false; levels.len()];
            for &c in codes {
                if let Some(s) = seen.get_mut(c as usize) {
                    *s = true;
                }
            }
            let mut labels: Vec<String> = levels
                .iter()
                .zip(&seen)
                .filter(|&(_, &s)| s)
                .map(|(l, _)| l.clone())
                .collect();
            labels.sort_unstable();
            (labels, None)
        }
        Column::Numeric { values, integer } => {
            // (+ 0.0 makes -0 and 0 one level, as they are one value)
            let mut v: Vec<f64> = values
                .iter()
                .filter(|v| !v.is_nan())
                .map(|&v| v + 0.0)
                .collect();
            v.sort_unstable_by(f64::total_cmp);
            v.dedup();
            (
                v.iter().map(|&x| number_label(x, *integer)).collect(),
                Some(v),
            )
        }
    };
    if labels.is_empty() {
        return Err(DatasetError::Design {
            reason: format!("column `{column}` of factor `{}` has no values", f.code),
        });
    }
    let reference = match reference {
        None => 0,
        Some(lit) => {
            let found = match (lit, &values) {
                (Literal::Text(s), None) => labels.iter().position(|l| l == s),
                (Literal::Number(x), Some(v)) => v.iter().position(|v| same_value(*v, *x)),
                (Literal::Number(x), None) => labels
                    .iter()
                    .position(|l| l.parse::<f64>().ok() == Some(*x)),
                (Literal::Text(s), Some(_)) => labels.iter().position(|l| l == s),
            };
            found.ok_or_else(|| DatasetError::Design {
                reason: format!(
                    "factor `{}`: the reference level is not a level of column `{column}` \
                     (its levels: {})",
                    f.code,
                    crate::names::name_list(&labels, 20)
                ),
            })?
        }
    };
    Ok(Learned::Categorical {
        code: f.code.clone(),
        column: column.clone(),
        labels,
        values,
        reference,
    })
}

/// Levels of a numeric column are exact values (0 and -0 being one).
fn same_value(a: f64, b: f64) -> bool {
    (a + 0.0).total_cmp(&(b + 0.0)).is_eq()
}

/// Refuses a text column inside arithmetic.
fn check_numeric(e: &NumExpr, table: &Table, code: &str) -> Result<()> {
    let mut cols = Vec::new();
    expr_columns(e, &mut cols);
    for c in cols {
        if matches!(table.require(&c)?, Column::Text { .. }) {
            return Err(DatasetError::Design {
                reason: format!(
                    "column `{c}` holds text, so `{code}` cannot compute with it; a text \
                     column is a term of its own (categorical), or declare the column numeric"
                ),
            });
        }
    }
    Ok(())
}

/// The values of a factor on `rows` of `table`.
fn factor_values<'a>(
    f: &Learned,
    table: &'a Table,
    rows: &[usize],
    unseen: Unseen,
    unseen_count: &mut usize,
) -> Result<Values<'a>> {
    match f {
        Learned::Numeric { code, expr } => {
            // a column used as it is, on every row: no copy (peak memory is the table and
            // the design)
            let v: std::borrow::Cow<'a, [f64]> = match (expr, table.require_column(expr)) {
                (NumExpr::Column(_), Some(Column::Numeric { values, .. }))
                    if rows.len() == values.len() =>
                {
                    std::borrow::Cow::Borrowed(values)
                }
                _ => std::borrow::Cow::Owned(crate::design_columns::evaluate(expr, table, rows)?),
            };
            if let Some(k) = v.iter().position(|x| !x.is_finite()) {
                let i = rows[k];
                return Err(DatasetError::BadValue {
                    file: table.source().to_path_buf(),
                    line: table.line(i),
                    row: i,
                    column: code.clone(),
                    value: number_label(v[k], false),
                    reason: "the value is not finite (the logarithm or root of a non-positive \
                             number, a division by zero, an overflow)",
                });
            }
            Ok(Values::Numeric(v))
        }
        Learned::Categorical {
            column,
            labels,
            values,
            reference,
            ..
        } => {
            let col = table.require(column)?;
            // the code of each of the table's own levels (numbers matched by value where
            // both sides are numeric, by their printed name otherwise)
            let lookup = |label: &str, value: Option<f64>| -> Option<u32> {
                let k = match (value, values) {
                    (Some(x), Some(v)) => v.iter().position(|&w| same_value(w, x)),
                    _ => labels.iter().position(|l| l == label),
                };
                k.and_then(|k| u32::try_from(k).ok())
            };
            let mut codes = Vec::with_capacity(rows.len());
            let unseen_error = |i: usize, value: String| DatasetError::UnseenLevel {
                file: table.source().to_path_buf(),
                line: table.line(i),
                row: i,
                column: column.clone(),
                value,
                known: labels.clone().into_boxed_slice(),
            };
            let reference = u32::try_from(*reference).unwrap_or(0);
            match col {
                Column::Text { levels, codes: c } => {
                    let map: Vec<Option<u32>> = levels
                        .iter()
                        .map(|l| lookup(l, l.parse().ok().filter(|_| values.is_some())))
                        .collect();
                    for &i in rows {
                        let code = c[i] as usize;
                        match map.get(code).copied().flatten() {
                            Some(k) => codes.push(k),
                            None if unseen == Unseen::Reference => {
                                *unseen_count += 1;
                                codes.push(reference);
                            }
                            None => return Err(unseen_error(i, levels[code].clone())),
                        }
                    }
                }
                Column::Numeric { values: v, integer } => {
                    for &i in rows {
                        let label = number_label(v[i], *integer);
                        match lookup(&label, Some(v[i])) {
                            Some(k) => codes.push(k),
                            None if unseen == Unseen::Reference => {
                                *unseen_count += 1;
                                codes.push(reference);
                            }
                            None => return Err(unseen_error(i, label)),
                        }
                    }
                }
            }
            Ok(Values::Codes(codes))
        }
    }
}
