//! The formula's text to terms: a tokenizer and a recursive-descent parser for the subset of
//! the Wilkinson notation that [`Formula`](crate::Formula) documents, evaluated into terms
//! exactly as patsy evaluates them (so that term order, intercept handling and duplicate
//! removal agree with statsmodels').

use serde::{Deserialize, Serialize};

use crate::error::{DatasetError, Result};

/// A token and the 1-based character position where it starts.
#[derive(Clone, Debug, PartialEq)]
struct Token {
    kind: Tok,
    pos: usize,
}

#[derive(Clone, Debug, PartialEq)]
enum Tok {
    Ident(String),
    Number(String),
    /// A quoted string: its value and its text with the quotes.
    Str(String, String),
    /// A column name in backticks.
    Backtick(String),
    Op(&'static str),
}

impl Tok {
    fn text(&self) -> String {
        match self {
            Tok::Ident(s) | Tok::Number(s) => s.clone(),
            Tok::Str(_, raw) => raw.clone(),
            Tok::Backtick(s) => format!("`{s}`"),
            Tok::Op(s) => (*s).to_owned(),
        }
    }
}

const OPERATORS: [&str; 13] = [
    "**", "~", "+", "-", "*", "/", ":", "(", ")", ",", "=", "^", "|",
];

fn tokenize(text: &str) -> Result<Vec<Token>> {
    let chars: Vec<char> = text.chars().collect();
    let mut tokens = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let pos = i + 1;
        if c.is_whitespace() {
            i += 1;
        } else if c.is_alphabetic() || c == '_' {
            let start = i;
            while i < chars.len()
                && (chars[i].is_alphanumeric() || chars[i] == '_' || chars[i] == '.')
            {
                i += 1;
            }
            tokens.push(Token {
                kind: Tok::Ident(chars[start..i].iter().collect()),
                pos,
            });
        } else if c.is_ascii_digit()
            || (c == '.' && chars.get(i + 1).is_some_and(char::is_ascii_digit))
        {
            let start = i;
            while i < chars.len() && (chars[i].is_ascii_digit() || chars[i] == '.') {
                i += 1;
            }
            if i < chars.len() && (chars[i] == 'e' || chars[i] == 'E') {
                let mut j = i + 1;
                if j < chars.len() && (chars[j] == '+' || chars[j] == '-') {
                    j += 1;
                }
                if j < chars.len() && chars[j].is_ascii_digit() {
                    i = j;
                    while i < chars.len() && chars[i].is_ascii_digit() {
                        i += 1;
                    }
                }
            }
            tokens.push(Token {
                kind: Tok::Number(chars[start..i].iter().collect()),
                pos,
            });
        } else if c == '"' || c == '\'' || c == '`' {
            let start = i;
            i += 1;
            let mut value = String::new();
            loop {
                match chars.get(i) {
                    None => {
                        return Err(error(text, pos, "this quote is never closed"));
                    }
                    Some(&q) if q == c => break,
                    Some('\\') if c != '`' && i + 1 < chars.len() => {
                        value.push(chars[i + 1]);
                        i += 2;
                    }
                    Some(&other) => {
                        value.push(other);
                        i += 1;
                    }
                }
            }
            i += 1;
            let raw: String = chars[start..i].iter().collect();
            tokens.push(Token {
                kind: if c == '`' {
                    Tok::Backtick(value)
                } else {
                    Tok::Str(value, raw)
                },
                pos,
            });
        } else {
            let rest: String = chars[i..chars.len().min(i + 2)].iter().collect();
            let op = OPERATORS
                .iter()
                .find(|op| rest.starts_with(*op))
                .ok_or_else(|| error(text, pos, &format!("unexpected character {c:?}")))?;
            i += op.chars().count();
            tokens.push(Token {
                kind: Tok::Op(op),
                pos,
            });
        }
    }
    Ok(tokens)
}

pub(crate) fn error(formula: &str, position: usize, reason: &str) -> DatasetError {
    DatasetError::Formula {
        formula: formula.to_owned(),
        position,
        reason: reason.to_owned(),
    }
}

/// A numeric expression: a column, a constant, arithmetic and elementary functions.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum NumExpr {
    Column(String),
    Number(f64),
    Neg(Box<NumExpr>),
    Binary(BinOp, Box<NumExpr>, Box<NumExpr>),
    Call(Func, Box<NumExpr>),
}

/// An arithmetic operator.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum BinOp {
    Add,
    Sub,
    Mul,
    Div,
    Pow,
}

/// An elementary function.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum Func {
    Log,
    Log2,
    Log10,
    Exp,
    Sqrt,
    Abs,
}

impl Func {
    fn from_name(name: &str) -> Option<Self> {
        let bare = name
            .strip_prefix("np.")
            .or_else(|| name.strip_prefix("numpy."))
            .unwrap_or(name);
        Some(match bare {
            "log" => Func::Log,
            "log2" => Func::Log2,
            "log10" => Func::Log10,
            "exp" => Func::Exp,
            "sqrt" => Func::Sqrt,
            "abs" | "absolute" => Func::Abs,
            _ => return None,
        })
    }
}

/// A reference level as written in `Treatment(reference=...)`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum Literal {
    Text(String),
    Number(f64),
}

/// What a factor is, as written.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum FactorSyntax {
    /// A numeric expression; a bare column name of a text column is categorical.
    Expr(NumExpr),
    /// `C(column)`, with an optional reference level.
    Categorical {
        column: String,
        reference: Option<Literal>,
    },
}

/// A factor: its name (patsy's normalized code) and what it computes.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub(crate) struct Factor {
    pub code: String,
    pub syntax: FactorSyntax,
}

/// A parsed formula: the target factor, whether there is an intercept, the factors and the
/// terms (sets of factor indices, in patsy's order of appearance; the intercept excluded).
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Parsed {
    pub target: Option<Factor>,
    pub intercept: bool,
    pub factors: Vec<Factor>,
    pub terms: Vec<Vec<usize>>,
}

/// A term-level expression.
enum TermAst {
    Zero(usize),
    One(usize),
    Factor(usize),
    Binary(&'static str, usize, Box<TermAst>, Box<TermAst>),
}

/// patsy's intermediate result: intercept present, intercept removed, terms.
struct Terms {
    intercept: bool,
    removed: bool,
    terms: Vec<Vec<usize>>,
}

impl Terms {
    fn new(intercept: bool, removed: bool, terms: Vec<Vec<usize>>) -> Self {
        let mut unique: Vec<Vec<usize>> = Vec::with_capacity(terms.len());
        for t in terms {
            if !unique.iter().any(|u| same_term(u, &t)) {
                unique.push(t);
            }
        }
        Self {
            intercept,
            removed,
            terms: unique,
        }
    }
}

/// Terms are sets of factors.
fn same_term(a: &[usize], b: &[usize]) -> bool {
    a.len() == b.len() && a.iter().all(|f| b.contains(f))
}

struct Parser<'a> {
    text: &'a str,
    tokens: Vec<Token>,
    at: usize,
    factors: Vec<Factor>,
}

impl Parser<'_> {
    fn peek(&self) -> Option<&Tok> {
        self.tokens.get(self.at).map(|t| &t.kind)
    }

    fn pos(&self) -> usize {
        self.tokens
            .get(self.at)
            .map_or(self.text.chars().count() + 1, |t| t.pos)
    }

    fn is_op(&self, op: &str) -> bool {
        matches!(self.peek(), Some(Tok::Op(o)) if *o == op)
    }

    fn fail<T>(&self, reason: &str) -> Result<T> {
        Err(error(self.text, self.pos(), reason))
    }

    fn expect(&mut self, op: &str, what: &str) -> Result<()> {
        if self.is_op(op) {
            self.at += 1;
            Ok(())
        } else {
            self.fail(&format!("expected {what}"))
        }
    }

    // ---- term level: patsy's operators and precedence (+ - < * / < : < **)

    fn sum(&mut self) -> Result<TermAst> {
        let mut left = self.product()?;
        while let Some(Tok::Op(op @ ("+" | "-"))) = self.peek() {
            let (op, pos) = (*op, self.pos());
            self.at += 1;
            let right = self.product()?;
            left = TermAst::Binary(op, pos, Box::new(left), Box::new(right));
        }
        Ok(left)
    }

    fn product(&mut self) -> Result<TermAst> {
        let mut left = self.interaction()?;
        while let Some(Tok::Op(op @ ("*" | "/"))) = self.peek() {
            let (op, pos) = (*op, self.pos());
            if op == "/" {
                return self.fail("nesting (`/`) is not supported; write `a + a:b`");
            }
            self.at += 1;
            let right = self.interaction()?;
            left = TermAst::Binary(op, pos, Box::new(left), Box::new(right));
        }
        Ok(left)
    }

    fn interaction(&mut self) -> Result<TermAst> {
        let mut left = self.unary()?;
        while self.is_op(":") {
            let pos = self.pos();
            self.at += 1;
            let right = self.unary()?;
            left = TermAst::Binary(":", pos, Box::new(left), Box::new(right));
        }
        if self.is_op("**") || self.is_op("^") {
            return self.fail(
                "powers of terms (`(a + b)**2`) are not supported; write the interactions, \
                 or I(x**2) for the square of a number",
            );
        }
        Ok(left)
    }

    fn unary(&mut self) -> Result<TermAst> {
        let pos = self.pos();
        match self.peek() {
            Some(Tok::Op("+")) => {
                self.at += 1;
                self.unary()
            }
            Some(Tok::Op("-")) => {
                self.at += 1;
                match self.unary()? {
                    TermAst::Zero(p) => Ok(TermAst::One(p)),
                    TermAst::One(p) => Ok(TermAst::Zero(p)),
                    _ => Err(error(
                        self.text,
                        pos,
                        "unary minus applies to 0 or 1 only (`- 1` removes the intercept)",
                    )),
                }
            }
            Some(Tok::Op("(")) => {
                self.at += 1;
                let inner = self.sum()?;
                self.expect(")", "`)`")?;
                Ok(inner)
            }
            Some(Tok::Number(n)) => {
                let n = n.clone();
                self.at += 1;
                match n.parse::<f64>().map(f64::to_bits) {
                    Ok(bits) if bits == 0f64.to_bits() => Ok(TermAst::Zero(pos)),
                    Ok(bits) if bits == 1f64.to_bits() => Ok(TermAst::One(pos)),
                    _ => Err(error(
                        self.text,
                        pos,
                        "numbers other than 0 and 1 are not terms; write I(...) for arithmetic",
                    )),
                }
            }
            Some(Tok::Ident(_) | Tok::Backtick(_)) => self.factor().map(TermAst::Factor),
            Some(_) => self.fail("expected a term (a column name, C(...), I(...), 0 or 1)"),
            None => self.fail("the formula ends where a term is expected"),
        }
    }

    // ---- factors

    /// Parses one factor and returns its index (a factor written twice is one factor).
    fn factor(&mut self) -> Result<usize> {
        let start = self.at;
        let syntax = match self.peek().cloned() {
            Some(Tok::Backtick(name)) => {
                self.at += 1;
                FactorSyntax::Expr(NumExpr::Column(name))
            }
            Some(Tok::Ident(name)) => {
                self.at += 1;
                if !self.is_op("(") {
                    FactorSyntax::Expr(NumExpr::Column(name))
                } else if name == "C" {
                    self.categorical()?
                } else {
                    self.at = start;
                    FactorSyntax::Expr(self.atom()?)
                }
            }
            _ => return self.fail("expected a factor"),
        };
        let code = normalize(&self.tokens[start..self.at]);
        if let Some(k) = self.factors.iter().position(|f| f.code == code) {
            return Ok(k);
        }
        self.factors.push(Factor { code, syntax });
        Ok(self.factors.len() - 1)
    }

    /// `C(column)` or `C(column, Treatment(...))`, after `C`.
    fn categorical(&mut self) -> Result<FactorSyntax> {
        self.expect("(", "`(`")?;
        let column = self.column_name()?;
        let mut reference = None;
        if self.is_op(",") {
            self.at += 1;
            let pos = self.pos();
            match self.peek() {
                Some(Tok::Ident(c)) if c == "Treatment" || c == "T" => {
                    self.at += 1;
                    if self.is_op("(") {
                        self.at += 1;
                        if let Some(Tok::Ident(k)) = self.peek()
                            && k == "reference"
                        {
                            self.at += 1;
                            self.expect("=", "`=` after `reference`")?;
                        }
                        reference = Some(self.literal()?);
                        self.expect(")", "`)` after the reference level")?;
                    }
                }
                Some(Tok::Ident(c)) => {
                    return Err(error(
                        self.text,
                        pos,
                        &format!("contrast `{c}` is not supported: only Treatment coding is"),
                    ));
                }
                _ => return self.fail("expected a contrast, such as Treatment(reference=\"a\")"),
            }
        }
        self.expect(")", "`)` closing C(")?;
        Ok(FactorSyntax::Categorical { column, reference })
    }

    fn literal(&mut self) -> Result<Literal> {
        let negative = self.is_op("-");
        if negative {
            self.at += 1;
        }
        match self.peek().cloned() {
            Some(Tok::Str(v, _)) if !negative => {
                self.at += 1;
                Ok(Literal::Text(v))
            }
            Some(Tok::Number(n)) => {
                let v: f64 = n.parse().or_else(|_| self.fail("not a number"))?;
                self.at += 1;
                Ok(Literal::Number(if negative { -v } else { v }))
            }
            _ => self.fail("expected a level: a quoted string or a number"),
        }
    }

    /// A column: a name, a name in backticks, or `Q("name")`.
    fn column_name(&mut self) -> Result<String> {
        match self.peek().cloned() {
            Some(Tok::Backtick(name)) => {
                self.at += 1;
                Ok(name)
            }
            Some(Tok::Ident(q))
                if q == "Q"
                    && self
                        .tokens
                        .get(self.at + 1)
                        .is_some_and(|t| t.kind == Tok::Op("(")) =>
            {
                self.at += 2;
                let Some(Tok::Str(name, _)) = self.peek().cloned() else {
                    return self.fail("Q( takes a quoted column name");
                };
                self.at += 1;
                self.expect(")", "`)` closing Q(")?;
                Ok(name)
            }
            Some(Tok::Ident(name)) => {
                self.at += 1;
                Ok(name)
            }
            _ => self.fail("expected a column name"),
        }
    }

    // ---- numeric expressions (inside I(...) and functions): + - < * / < unary < ** ^

    fn num_sum(&mut self) -> Result<NumExpr> {
        let mut left = self.num_product()?;
        while let Some(Tok::Op(op @ ("+" | "-"))) = self.peek() {
            let op = if *op == "+" { BinOp::Add } else { BinOp::Sub };
            self.at += 1;
            let right = self.num_product()?;
            left = NumExpr::Binary(op, Box::new(left), Box::new(right));
        }
        Ok(left)
    }

    fn num_product(&mut self) -> Result<NumExpr> {
        let mut left = self.num_unary()?;
        while let Some(Tok::Op(op @ ("*" | "/"))) = self.peek() {
            let op = if *op == "*" { BinOp::Mul } else { BinOp::Div };
            self.at += 1;
            let right = self.num_unary()?;
            left = NumExpr::Binary(op, Box::new(left), Box::new(right));
        }
        Ok(left)
    }

    fn num_unary(&mut self) -> Result<NumExpr> {
        match self.peek() {
            Some(Tok::Op("-")) => {
                self.at += 1;
                Ok(NumExpr::Neg(Box::new(self.num_unary()?)))
            }
            Some(Tok::Op("+")) => {
                self.at += 1;
                self.num_unary()
            }
            _ => self.num_power(),
        }
    }

    fn num_power(&mut self) -> Result<NumExpr> {
        let base = self.atom()?;
        if self.is_op("**") || self.is_op("^") {
            self.at += 1;
            // right-associative, and binds tighter than a unary minus on its left
            let exponent = self.num_unary()?;
            return Ok(NumExpr::Binary(
                BinOp::Pow,
                Box::new(base),
                Box::new(exponent),
            ));
        }
        Ok(base)
    }

    fn atom(&mut self) -> Result<NumExpr> {
        let pos = self.pos();
        match self.peek().cloned() {
            Some(Tok::Number(n)) => {
                self.at += 1;
                n.parse()
                    .map(NumExpr::Number)
                    .map_err(|_| error(self.text, pos, "not a number"))
            }
            Some(Tok::Op("(")) => {
                self.at += 1;
                let inner = self.num_sum()?;
                self.expect(")", "`)`")?;
                Ok(inner)
            }
            Some(Tok::Backtick(_)) => Ok(NumExpr::Column(self.column_name()?)),
            Some(Tok::Ident(name)) => {
                if !self
                    .tokens
                    .get(self.at + 1)
                    .is_some_and(|t| t.kind == Tok::Op("("))
                {
                    self.at += 1;
                    return Ok(NumExpr::Column(name));
                }
                if name == "Q" {
                    return Ok(NumExpr::Column(self.column_name()?));
                }
                self.at += 2;
                let inner = self.num_sum()?;
                self.expect(")", "`)` closing the call")?;
                if name == "I" {
                    return Ok(inner);
                }
                match Func::from_name(&name) {
                    Some(f) => Ok(NumExpr::Call(f, Box::new(inner))),
                    None if name == "C" => Err(error(
                        self.text,
                        pos,
                        "C(...) makes a factor categorical: it cannot be part of arithmetic",
                    )),
                    None => Err(error(
                        self.text,
                        pos,
                        &format!(
                            "unknown function `{name}`: the functions are C, I, Q, log, log2, \
                             log10, exp, sqrt and abs (also with the prefix `np.`)"
                        ),
                    )),
                }
            }
            Some(Tok::Str(..)) => self.fail("a quoted string is not a number"),
            _ => self.fail("expected a number, a column or a function call"),
        }
    }
}

/// The text of a factor as patsy normalizes it (and statsmodels prints it): binary operators
/// between spaces, a space after a comma, none inside parentheses or after a unary sign.
fn normalize(tokens: &[Token]) -> String {
    let mut out = String::new();
    let mut prev: Option<&Tok> = None;
    for t in tokens {
        let unary_context =
            matches!(prev, None | Some(Tok::Op(_))) && !matches!(prev, Some(Tok::Op(")")));
        match &t.kind {
            Tok::Op(op @ ("+" | "-")) if unary_context => out.push_str(op),
            Tok::Op(op @ ("+" | "-" | "*" | "/" | "**" | "^" | ":" | "|")) => {
                out.push(' ');
                out.push_str(op);
                out.push(' ');
            }
            Tok::Op(",") => out.push_str(", "),
            other => out.push_str(&other.text()),
        }
        prev = Some(&t.kind);
    }
    out
}

/// Evaluates the term-level tree as patsy's `Evaluator` does.
fn evaluate(ast: &TermAst, text: &str) -> Result<Terms> {
    Ok(match ast {
        TermAst::Zero(_) => Terms::new(false, true, Vec::new()),
        TermAst::One(_) => Terms::new(true, false, Vec::new()),
        TermAst::Factor(k) => Terms::new(false, false, vec![vec![*k]]),
        TermAst::Binary(op, pos, left, right) => {
            let l = evaluate(left, text)?;
            match (*op, &**right) {
                ("+", TermAst::Zero(_)) => return Ok(Terms::new(false, true, l.terms)),
                ("-", TermAst::Zero(_)) => return Ok(Terms::new(true, false, l.terms)),
                ("-", TermAst::One(_)) => return Ok(Terms::new(false, true, l.terms)),
                _ => {}
            }
            let r = evaluate(right, text)?;
            match *op {
                "+" if r.intercept => Terms::new(true, false, [l.terms, r.terms].concat()),
                "+" => Terms::new(l.intercept, l.removed, [l.terms, r.terms].concat()),
                "-" => {
                    let terms = l
                        .terms
                        .into_iter()
                        .filter(|t| !r.terms.iter().any(|u| same_term(t, u)))
                        .collect();
                    if r.intercept {
                        Terms::new(false, true, terms)
                    } else {
                        Terms::new(l.intercept, l.removed, terms)
                    }
                }
                _ => {
                    if l.intercept || r.intercept {
                        return Err(error(
                            text,
                            *pos,
                            "the intercept (1) cannot interact with anything",
                        ));
                    }
                    let mut inter = Vec::new();
                    for a in &l.terms {
                        for b in &r.terms {
                            let mut t = a.clone();
                            t.extend(b.iter().filter(|f| !a.contains(f)));
                            inter.push(t);
                        }
                    }
                    if *op == "*" {
                        Terms::new(false, false, [l.terms, r.terms, inter].concat())
                    } else {
                        Terms::new(false, false, inter)
                    }
                }
            }
        }
    })
}

/// Parses a formula `target ~ terms` (or `~ terms`, without a target).
pub(crate) fn parse(text: &str) -> Result<Parsed> {
    let tokens = tokenize(text)?;
    let mut p = Parser {
        text,
        tokens,
        at: 0,
        factors: Vec::new(),
    };
    let tilde = p
        .tokens
        .iter()
        .position(|t| t.kind == Tok::Op("~"))
        .ok_or_else(|| {
            error(
                text,
                1,
                "a formula needs `~` between the target and the terms",
            )
        })?;
    let target = if tilde == 0 {
        None
    } else {
        let k = p.factor()?;
        if p.at != tilde {
            return p.fail("the left side is one column or transform (such as log(y))");
        }
        Some(p.factors.remove(k))
    };
    p.at = tilde + 1;
    if p.peek().is_none() {
        return p.fail("no terms after `~` (write `1` for an intercept only)");
    }
    let ast = p.sum()?;
    if p.at < p.tokens.len() {
        return p.fail(if p.is_op("~") {
            "a formula has one `~`"
        } else {
            "unexpected text after the terms (a missing `+`?)"
        });
    }
    let terms = evaluate(&ast, text)?;
    Ok(Parsed {
        target,
        intercept: !terms.removed,
        factors: p.factors,
        terms: terms.terms,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(text: &str) -> (bool, Vec<String>) {
        let p = parse(text).unwrap();
        let terms = p
            .terms
            .iter()
            .map(|t| {
                t.iter()
                    .map(|&k| p.factors[k].code.as_str())
                    .collect::<Vec<_>>()
                    .join(":")
            })
            .collect();
        (p.intercept, terms)
    }

    #[test]
    fn terms_as_patsy_evaluates_them() {
        assert_eq!(names("y ~ a + b"), (true, vec!["a".into(), "b".into()]));
        assert_eq!(
            names("y ~ a*b"),
            (true, vec!["a".into(), "b".into(), "a:b".into()])
        );
        assert_eq!(
            names("y ~ a + b - 1"),
            (false, vec!["a".into(), "b".into()])
        );
        assert_eq!(names("y ~ 0 + a"), (false, vec!["a".into()]));
        assert_eq!(names("y ~ a + 0 + 1"), (true, vec!["a".into()]));
        assert_eq!(names("y ~ -1 + a"), (false, vec!["a".into()]));
        assert_eq!(names("y ~ a + a + b:a - b:a"), (true, vec!["a".into()]));
        assert_eq!(
            names("y ~ (a + b):c"),
            (true, vec!["a:c".into(), "b:c".into()])
        );
        assert_eq!(
            names("y ~ I(x**2) + np.log( x ) + C(s,Treatment(reference='m'))"),
            (
                true,
                vec![
                    "I(x ** 2)".into(),
                    "np.log(x)".into(),
                    "C(s, Treatment(reference='m'))".into()
                ]
            )
        );
        assert_eq!(names("y ~ I(-x + 2*z)").1, vec!["I(-x + 2 * z)"]);
    }

    #[test]
    fn numeric_expressions_follow_python_precedence() {
        let p = parse("y ~ I(-x**2)").unwrap();
        let FactorSyntax::Expr(e) = &p.factors[0].syntax else {
            panic!("numeric")
        };
        let x = Box::new(NumExpr::Column("x".into()));
        let two = Box::new(NumExpr::Number(2.0));
        assert_eq!(
            *e,
            NumExpr::Neg(Box::new(NumExpr::Binary(BinOp::Pow, x, two)))
        );
    }

    #[test]
    fn errors_point_at_the_problem() {
        let pos = |text: &str| match parse(text).unwrap_err() {
            DatasetError::Formula { position, .. } => position,
            e => panic!("{e}"),
        };
        assert_eq!(pos("y ~ a + + "), 11);
        assert_eq!(pos("y ~ a / b"), 7);
        assert_eq!(pos("y ~ foo(a)"), 5);
        assert_eq!(pos("y ~ C(a, Sum)"), 10);
        assert_eq!(pos("y ~ a b"), 7);
        assert_eq!(pos("y a"), 1);
        assert_eq!(pos("y ~ 1:a"), 6);
        assert_eq!(pos("y ~ a + 2"), 9);
        let e = parse("y ~ a + $").unwrap_err();
        assert_eq!(
            e.to_string(),
            "formula error at character 9: unexpected character '$'\n  y ~ a + $\n          ^"
        );
    }
}
