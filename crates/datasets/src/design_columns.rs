//! From terms to design columns: patsy's choice of coding for each categorical factor of a
//! term (so that the columns are not redundant), the columns' names, and the evaluation of
//! numeric factors.

use serde::{Deserialize, Serialize};

use crate::error::{DatasetError, Result};
use crate::formula_parse::{BinOp, Func, NumExpr};
use crate::table::{Column, Table};

/// A factor as learned: numeric (an expression) or categorical (a column and its levels).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub(crate) enum Learned {
    Numeric {
        code: String,
        expr: NumExpr,
    },
    Categorical {
        code: String,
        column: String,
        /// The levels' names, sorted (by value for a numeric column).
        labels: Vec<String>,
        /// The levels' values, for a numeric column.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        values: Option<Vec<f64>>,
        /// Index of the reference level in `labels`.
        reference: usize,
    },
}

impl Learned {
    pub(crate) fn code(&self) -> &str {
        match self {
            Learned::Numeric { code, .. } | Learned::Categorical { code, .. } => code,
        }
    }

    pub(crate) fn is_numeric(&self) -> bool {
        matches!(self, Learned::Numeric { .. })
    }
}

/// One part of a design column: a numeric factor's value, or the indicator of a level.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Part {
    Value(usize),
    Level(usize, u32),
}

/// How a factor enters a subterm.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum Coding {
    /// A numeric factor: its value.
    Value,
    /// A categorical factor with all its levels (`x[a]`, `x[b]`).
    Full,
    /// A categorical factor without its reference level (`x[T.b]`).
    Treatment,
}

/// The factors of one group of design columns, in the term's order, with their coding.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Subterm {
    factors: Vec<(usize, Coding)>,
}

impl Subterm {
    /// The columns as products of parts; the left-most factor varies fastest (as in R and
    /// patsy).
    pub(crate) fn columns(&self, factors: &[Learned]) -> Vec<Vec<Part>> {
        let choices: Vec<Vec<Part>> = self
            .factors
            .iter()
            .map(|&(k, coding)| match (&factors[k], coding) {
                (
                    Learned::Categorical {
                        labels, reference, ..
                    },
                    Coding::Full | Coding::Treatment,
                ) => (0..labels.len())
                    .filter(|l| coding == Coding::Full || l != reference)
                    .map(|l| Part::Level(k, u32::try_from(l).unwrap_or(u32::MAX)))
                    .collect(),
                _ => vec![Part::Value(k)],
            })
            .collect();
        let mut out = vec![Vec::new()];
        for choice in &choices {
            let mut next = Vec::with_capacity(out.len() * choice.len());
            for part in choice {
                for prefix in &out {
                    let mut p: Vec<Part> = prefix.clone();
                    p.push(*part);
                    next.push(p);
                }
            }
            out = next;
        }
        out
    }

    /// The names of the columns: statsmodels' (`x`, `g[T.b]`, `g[b]`, `x:g[T.b]`).
    pub(crate) fn column_names(&self, factors: &[Learned]) -> Vec<String> {
        self.columns(factors)
            .iter()
            .map(|parts| {
                let coding = |k: usize| {
                    self.factors
                        .iter()
                        .find(|(f, _)| *f == k)
                        .map_or(Coding::Value, |&(_, c)| c)
                };
                parts
                    .iter()
                    .map(|part| match *part {
                        Part::Value(k) => factors[k].code().to_owned(),
                        Part::Level(k, l) => {
                            let label = match &factors[k] {
                                Learned::Categorical { labels, .. } => {
                                    labels.get(l as usize).map_or("", String::as_str)
                                }
                                Learned::Numeric { .. } => "",
                            };
                            let t = if coding(k) == Coding::Treatment {
                                "T."
                            } else {
                                ""
                            };
                            format!("{}[{t}{label}]", factors[k].code())
                        }
                    })
                    .collect::<Vec<_>>()
                    .join(":")
            })
            .collect()
    }

    /// True when every factor exists and its coding matches its kind.
    pub(crate) fn valid(&self, factors: &[Learned]) -> bool {
        self.factors.iter().all(|&(k, c)| match factors.get(k) {
            Some(Learned::Numeric { .. }) => c == Coding::Value,
            Some(Learned::Categorical { .. }) => c != Coding::Value,
            None => false,
        })
    }
}

/// A subterm during patsy's simplification: categorical factors with "full" flags.
type Expanded = Vec<(usize, bool)>;

/// The subterms of every term, in column order, as patsy's `_make_subterm_infos` and
/// `pick_contrasts_for_term` choose them: terms are grouped by their set of numeric factors
/// (the group without numeric factors first, holding the intercept), sorted by degree within
/// a group; for each term, the subsets of its categorical factors not yet used in the group
/// become subterms, and a subterm absorbs a subterm with one factor less, that factor then
/// coded in full.
pub(crate) fn subterms(intercept: bool, terms: &[Vec<usize>], numeric: &[bool]) -> Vec<Subterm> {
    let mut all: Vec<&[usize]> = Vec::new();
    if intercept {
        all.push(&[]);
    }
    all.extend(terms.iter().map(Vec::as_slice));
    let numeric_set = |t: &[usize]| {
        let mut s: Vec<usize> = t.iter().copied().filter(|&f| numeric[f]).collect();
        s.sort_unstable();
        s
    };
    let mut buckets: Vec<(Vec<usize>, Vec<&[usize]>)> = Vec::new();
    for t in all {
        let key = numeric_set(t);
        match buckets.iter_mut().find(|(k, _)| *k == key) {
            Some((_, members)) => members.push(t),
            None => buckets.push((key, vec![t])),
        }
    }
    if let Some(k) = buckets.iter().position(|(key, _)| key.is_empty()) {
        let b = buckets.remove(k);
        buckets.insert(0, b);
    }
    let mut out = Vec::new();
    for (_, mut members) in buckets {
        members.sort_by_key(|t| t.len());
        let mut used: Vec<Vec<usize>> = Vec::new();
        for term in members {
            let cats: Vec<usize> = term.iter().copied().filter(|&f| !numeric[f]).collect();
            let mut expanded: Vec<Expanded> = Vec::new();
            for subset in sorted_subsets(&cats) {
                let mut key = subset.clone();
                key.sort_unstable();
                if !used.contains(&key) {
                    used.push(key);
                    expanded.push(subset.iter().map(|&f| (f, false)).collect());
                }
            }
            simplify(&mut expanded);
            for e in expanded {
                let factors = term
                    .iter()
                    .filter_map(|&f| {
                        if numeric[f] {
                            Some((f, Coding::Value))
                        } else {
                            e.iter().find(|(g, _)| *g == f).map(|&(_, full)| {
                                (
                                    f,
                                    if full {
                                        Coding::Full
                                    } else {
                                        Coding::Treatment
                                    },
                                )
                            })
                        }
                    })
                    .collect::<Vec<_>>();
                if !(factors.is_empty() && term.is_empty()) {
                    out.push(Subterm { factors });
                }
            }
        }
    }
    out
}

/// The subsets of `items`, by size, then in lexicographic order of positions (patsy's
/// `_subsets_sorted`).
fn sorted_subsets(items: &[usize]) -> Vec<Vec<usize>> {
    let n = items.len();
    let mut masks: Vec<Vec<usize>> = (0u32..(1 << n))
        .map(|m| (0..n).filter(|&i| m & (1 << i) != 0).collect())
        .collect();
    masks.sort_by(|a, b| a.len().cmp(&b.len()).then_with(|| a.cmp(b)));
    masks
        .into_iter()
        .map(|idx| idx.into_iter().map(|i| items[i]).collect())
        .collect()
}

/// patsy's `_simplify_subterms`: greedily, left to right, a subterm absorbs an earlier one
/// with one factor less (that factor, reduced in the longer one, becomes full).
fn simplify(subterms: &mut Vec<Expanded>) {
    'again: loop {
        for short in 0..subterms.len() {
            for long in short + 1..subterms.len() {
                let (s, l) = (&subterms[short], &subterms[long]);
                if l.len() == s.len() + 1 && s.iter().all(|e| l.contains(e)) {
                    let extra: Vec<(usize, bool)> =
                        l.iter().copied().filter(|e| !s.contains(e)).collect();
                    if let [(f, false)] = extra[..] {
                        let mut merged = s.clone();
                        merged.push((f, true));
                        subterms[long] = merged;
                        subterms.remove(short);
                        continue 'again;
                    }
                }
            }
        }
        break;
    }
}

/// The values of a numeric expression on `rows` of `table`.
pub(crate) fn evaluate(e: &NumExpr, table: &Table, rows: &[usize]) -> Result<Vec<f64>> {
    Ok(match e {
        NumExpr::Column(name) => match table.require(name)? {
            Column::Numeric { values, .. } => rows.iter().map(|&i| values[i]).collect(),
            Column::Text { levels, codes } => {
                // a column read as text where numbers are needed: name the first cell
                // that is not a number
                let i = rows
                    .iter()
                    .copied()
                    .find(|&i| {
                        levels
                            .get(codes[i] as usize)
                            .is_some_and(|l| l.parse::<f64>().is_err())
                    })
                    .unwrap_or(rows[0]);
                return Err(DatasetError::BadValue {
                    file: table.source().to_path_buf(),
                    line: table.line(i),
                    row: i,
                    column: name.clone(),
                    value: format!(
                        "{:?}",
                        levels.get(codes[i] as usize).map_or("", String::as_str)
                    ),
                    reason: "not a number (the column was numeric when the design was learned)",
                });
            }
        },
        NumExpr::Number(v) => vec![*v; rows.len()],
        NumExpr::Neg(a) => {
            let mut v = evaluate(a, table, rows)?;
            v.iter_mut().for_each(|x| *x = -*x);
            v
        }
        NumExpr::Call(f, a) => {
            let mut v = evaluate(a, table, rows)?;
            let f: fn(f64) -> f64 = match f {
                Func::Log => f64::ln,
                Func::Log2 => f64::log2,
                Func::Log10 => f64::log10,
                Func::Exp => f64::exp,
                Func::Sqrt => f64::sqrt,
                Func::Abs => f64::abs,
            };
            v.iter_mut().for_each(|x| *x = f(*x));
            v
        }
        NumExpr::Binary(op, a, b) => {
            let mut v = evaluate(a, table, rows)?;
            let w = evaluate(b, table, rows)?;
            let f: fn(f64, f64) -> f64 = match op {
                BinOp::Add => |x, y| x + y,
                BinOp::Sub => |x, y| x - y,
                BinOp::Mul => |x, y| x * y,
                BinOp::Div => |x, y| x / y,
                BinOp::Pow => power,
            };
            v.iter_mut().zip(&w).for_each(|(x, &y)| *x = f(*x, y));
            v
        }
    })
}

/// `x ** y` as numpy computes it for an array and a scalar exponent: the fast paths for 2,
/// 0.5 and -1 (`x * x`, `sqrt`, `1 / x`), C's `pow` otherwise.
#[allow(clippy::float_cmp)] // the fast paths are for these exact exponents
fn power(x: f64, y: f64) -> f64 {
    if y == 2.0 {
        x * x
    } else if y == 0.5 {
        x.sqrt()
    } else if y == -1.0 {
        1.0 / x
    } else {
        x.powf(y)
    }
}
