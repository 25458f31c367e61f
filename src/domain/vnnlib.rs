//! The input box of a VNN-LIB property file.
//!
//! VNN-LIB (an SMT-LIB subset) declares inputs `X_0, X_1, …` and outputs
//! `Y_0, …`, then asserts constraints. Region enumeration needs only the input
//! set, and reads it when it is a box:
//!
//! ```text
//! (declare-const X_0 Real)
//! (assert (<= X_0 0.5))
//! (assert (>= X_0 -0.5))
//! ```
//!
//! Accepted on inputs: `(<= X_i c)`, `(>= X_i c)` (also `<`, `>`, the number on
//! either side, `(- c)` for a negative number), and `(and …)` of such bounds.
//! Assertions that mention only outputs are ignored. Anything else that
//! mentions an input (a disjunction `or`, a constraint across inputs, a mix of
//! inputs and outputs) is a [`VnnlibError::NotABox`] with its line. Several
//! bounds on one side of an input are intersected.

use crate::error::VnnlibError;
use std::path::Path;

/// Reads the input box of a VNN-LIB file: `(lo, hi)` for each input `X_i`,
/// in order. `lo == hi` (a fixed input) is allowed.
pub fn load_vnnlib_box(path: &Path) -> Result<Vec<(f64, f64)>, VnnlibError> {
    let text = std::fs::read_to_string(path).map_err(|source| VnnlibError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    parse_vnnlib_box(&text, path)
}

/// Refuses an input index that no file of this size can reach: a box on
/// `X_0 .. X_i` declares and bounds `i + 1` inputs, many bytes each, so `i`
/// is below the file's length. The walk's tables are sized by the largest
/// index, which a hostile `X_99999999999` must not blow up.
fn check_index(i: usize, text: &str, path: &Path, line: usize) -> Result<(), VnnlibError> {
    if i < text.len() {
        return Ok(());
    }
    Err(syntax(
        path,
        line,
        format!(
            "X_{i}: more inputs than a file of {} bytes can declare",
            text.len()
        ),
    ))
}

/// Parses the input box of VNN-LIB text; `path` names it in errors.
pub fn parse_vnnlib_box(text: &str, path: &Path) -> Result<Vec<(f64, f64)>, VnnlibError> {
    let path = path.to_path_buf();
    let forms = parse_sexprs(text, &path)?;
    let mut declared: Vec<bool> = Vec::new();
    let mut lo: Vec<Option<f64>> = Vec::new();
    let mut hi: Vec<Option<f64>> = Vec::new();
    let mut first_line: Vec<usize> = Vec::new();
    for form in &forms {
        let line = form.line();
        let Expr::List(items, _) = form else {
            return Err(syntax(
                &path,
                line,
                format!("expected a command, found `{}`", form.text()),
            ));
        };
        let head = items.first().and_then(Expr::atom).unwrap_or("");
        match head {
            "declare-const" => {
                if let Some(Var::Input(i)) = items.get(1).and_then(Expr::atom).and_then(variable) {
                    check_index(i, text, &path, line)?;
                    if declared.len() <= i {
                        declared.resize(i + 1, false);
                    }
                    declared[i] = true;
                }
            }
            "assert" => {
                let [_, body] = items.as_slice() else {
                    return Err(syntax(&path, line, "`assert` takes one expression".into()));
                };
                let (inputs, outputs) = mentions(body);
                if inputs.is_empty() {
                    continue; // the output property
                }
                let not_a_box = |message: String| VnnlibError::NotABox {
                    path: path.clone(),
                    line,
                    message,
                };
                if outputs {
                    return Err(not_a_box("the assertion mixes inputs and outputs".into()));
                }
                let mut found = Vec::new();
                bounds(body, &mut found).map_err(not_a_box)?;
                for (i, side, c) in found {
                    check_index(i, text, &path, line)?;
                    if lo.len() <= i {
                        lo.resize(i + 1, None);
                        hi.resize(i + 1, None);
                        first_line.resize(i + 1, 0);
                    }
                    if first_line[i] == 0 {
                        first_line[i] = line;
                    }
                    match side {
                        Side::Lower => lo[i] = Some(lo[i].map_or(c, |v: f64| v.max(c))),
                        Side::Upper => hi[i] = Some(hi[i].map_or(c, |v: f64| v.min(c))),
                    }
                }
            }
            _ => {}
        }
    }
    if let Some(i) = (0..lo.len()).find(|&i| {
        (lo[i].is_some() || hi[i].is_some()) && !declared.get(i).copied().unwrap_or(false)
    }) {
        return Err(syntax(
            &path,
            first_line[i],
            format!("X_{i} is bounded but never declared"),
        ));
    }
    let n = declared.len();
    if n == 0 {
        return Err(VnnlibError::NoInputs { path });
    }
    lo.resize(n, None);
    hi.resize(n, None);
    let mut result = Vec::with_capacity(n);
    for i in 0..n {
        let (Some(l), Some(h)) = (lo[i], hi[i]) else {
            let side = if lo[i].is_none() { "lower" } else { "upper" };
            return Err(VnnlibError::MissingBound {
                path,
                input: i,
                side,
            });
        };
        if l > h {
            return Err(VnnlibError::EmptyBound {
                path,
                input: i,
                lo: l,
                hi: h,
            });
        }
        result.push((l, h));
    }
    Ok(result)
}

#[derive(Clone, Copy)]
enum Side {
    Lower,
    Upper,
}

/// Collects `(input, side, value)` from a conjunction of bounds, or says why
/// the expression is not one.
fn bounds(e: &Expr, out: &mut Vec<(usize, Side, f64)>) -> Result<(), String> {
    let Expr::List(items, _) = e else {
        return Err(format!("`{}` is not a constraint", e.text()));
    };
    let head = items.first().and_then(Expr::atom).unwrap_or("");
    match head {
        "and" => items[1..].iter().try_for_each(|x| bounds(x, out)),
        "or" => {
            Err("a disjunction (`or`) of input constraints: the input set is not one box".into())
        }
        "<=" | "<" | ">=" | ">" => {
            let [_, a, b] = items.as_slice() else {
                return Err(format!("`{}` is not a comparison of two terms", e.text()));
            };
            let upper = head.starts_with('<');
            match (input_of(a), number(b), number(a), input_of(b)) {
                (Some(i), Some(c), _, _) => {
                    out.push((i, if upper { Side::Upper } else { Side::Lower }, c));
                    Ok(())
                }
                (_, _, Some(c), Some(i)) => {
                    out.push((i, if upper { Side::Lower } else { Side::Upper }, c));
                    Ok(())
                }
                _ => Err(format!(
                    "`{}` is a linear constraint across inputs, not a bound of one input by a number",
                    e.text()
                )),
            }
        }
        "not" => Err(format!("`{}` is a negation, not a bound", e.text())),
        _ => Err(format!(
            "`{}` is not a bound of one input by a number",
            e.text()
        )),
    }
}

fn input_of(e: &Expr) -> Option<usize> {
    match e.atom().and_then(variable) {
        Some(Var::Input(i)) => Some(i),
        _ => None,
    }
}

/// A number: a decimal atom, or `(- c)`.
fn number(e: &Expr) -> Option<f64> {
    match e {
        Expr::Atom(a, _) => a.parse::<f64>().ok().filter(|v| v.is_finite()),
        Expr::List(items, _) => match items.as_slice() {
            [op, x] if op.atom() == Some("-") => number(x).map(|v| -v),
            _ => None,
        },
    }
}

enum Var {
    Input(usize),
    Output,
}

fn variable(name: &str) -> Option<Var> {
    if let Some(i) = name.strip_prefix("X_") {
        i.parse().ok().map(Var::Input)
    } else if let Some(j) = name.strip_prefix("Y_") {
        j.parse::<usize>().ok().map(|_| Var::Output)
    } else {
        None
    }
}

/// The inputs mentioned in `e`, and whether any output is.
fn mentions(e: &Expr) -> (Vec<usize>, bool) {
    let (mut inputs, mut outputs) = (Vec::new(), false);
    fn walk(e: &Expr, inputs: &mut Vec<usize>, outputs: &mut bool) {
        match e {
            Expr::Atom(a, _) => match variable(a) {
                Some(Var::Input(i)) => inputs.push(i),
                Some(Var::Output) => *outputs = true,
                None => {}
            },
            Expr::List(items, _) => items.iter().for_each(|x| walk(x, inputs, outputs)),
        }
    }
    walk(e, &mut inputs, &mut outputs);
    (inputs, outputs)
}

/// An S-expression with the line (1-based) where it starts.
enum Expr {
    Atom(String, usize),
    List(Vec<Expr>, usize),
}

impl Expr {
    fn line(&self) -> usize {
        match self {
            Expr::Atom(_, l) | Expr::List(_, l) => *l,
        }
    }

    fn atom(&self) -> Option<&str> {
        match self {
            Expr::Atom(a, _) => Some(a),
            Expr::List(..) => None,
        }
    }

    /// The expression as text, for messages.
    fn text(&self) -> String {
        match self {
            Expr::Atom(a, _) => a.clone(),
            Expr::List(items, _) => {
                let inner: Vec<String> = items.iter().map(Expr::text).collect();
                let s = format!("({})", inner.join(" "));
                if s.chars().count() > 80 {
                    format!("{}…", s.chars().take(80).collect::<String>())
                } else {
                    s
                }
            }
        }
    }
}

fn syntax(path: &Path, line: usize, message: String) -> VnnlibError {
    VnnlibError::Syntax {
        path: path.to_path_buf(),
        line,
        message,
    }
}

/// Splits the text into top-level S-expressions; `;` starts a comment.
fn parse_sexprs(text: &str, path: &Path) -> Result<Vec<Expr>, VnnlibError> {
    let mut stack: Vec<(Vec<Expr>, usize)> = vec![(Vec::new(), 0)];
    let mut line = 1;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\n' => line += 1,
            ';' => {
                while chars.peek().is_some_and(|&c| c != '\n') {
                    chars.next();
                }
            }
            '(' => stack.push((Vec::new(), line)),
            ')' => {
                if stack.len() == 1 {
                    return Err(syntax(path, line, "unmatched `)`".into()));
                }
                let (items, start) = stack.pop().expect("checked above");
                stack
                    .last_mut()
                    .expect("the top level stays")
                    .0
                    .push(Expr::List(items, start));
            }
            c if c.is_whitespace() => {}
            c => {
                let mut atom = String::from(c);
                while let Some(&d) = chars.peek() {
                    if d.is_whitespace() || d == '(' || d == ')' || d == ';' {
                        break;
                    }
                    atom.push(d);
                    chars.next();
                }
                stack
                    .last_mut()
                    .expect("the top level stays")
                    .0
                    .push(Expr::Atom(atom, line));
            }
        }
    }
    if stack.len() > 1 {
        let start = stack.last().map(|s| s.1).unwrap_or(line);
        return Err(syntax(path, start, "this `(` is never closed".into()));
    }
    Ok(stack.pop().map(|s| s.0).unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Vec<(f64, f64)>, VnnlibError> {
        parse_vnnlib_box(text, Path::new("p.vnnlib"))
    }

    const DECL: &str =
        "(declare-const X_0 Real)\n(declare-const X_1 Real)\n(declare-const Y_0 Real)\n";

    #[test]
    fn plain_bounds_in_any_spelling() {
        let text = format!(
            "{DECL}; a comment (with parentheses\n(assert (<= X_0 0.5))\n(assert (>= X_0 -0.5))\n\
             (assert (and (< -1 X_1) (>= 2e0 X_1) (<= X_1 3)))\n(assert (<= Y_0 (- 1)))\n"
        );
        assert_eq!(parse(&text).unwrap(), vec![(-0.5, 0.5), (-1.0, 2.0)]);
    }

    #[test]
    fn not_a_box_says_why_and_where() {
        let text = format!(
            "{DECL}(assert (<= X_0 1))\n(assert (>= X_0 0))\n(assert (or (<= X_1 1) (>= X_1 2)))\n"
        );
        let e = parse(&text).unwrap_err().to_string();
        assert!(e.contains("line 6") && e.contains("disjunction"), "{e}");
        let text = format!("{DECL}(assert (<= X_0 X_1))\n");
        let e = parse(&text).unwrap_err().to_string();
        assert!(e.contains("line 4") && e.contains("across inputs"), "{e}");
        let text = format!("{DECL}(assert (<= (+ X_0 X_1) 1))\n");
        let e = parse(&text).unwrap_err().to_string();
        assert!(e.contains("line 4") && e.contains("across inputs"), "{e}");
        let text = format!("{DECL}(assert (<= X_0 Y_0))\n");
        let e = parse(&text).unwrap_err().to_string();
        assert!(e.contains("mixes inputs and outputs"), "{e}");
    }

    #[test]
    fn missing_empty_and_malformed() {
        let text = format!("{DECL}(assert (<= X_0 1))\n(assert (>= X_0 0))\n(assert (<= X_1 1))\n");
        let e = parse(&text).unwrap_err().to_string();
        assert!(e.contains("X_1 has no lower bound"), "{e}");
        let text = format!("{DECL}(assert (<= X_0 1))\n(assert (>= X_0 2))\n(assert (<= X_1 1))\n(assert (>= X_1 0))\n");
        let e = parse(&text).unwrap_err().to_string();
        assert!(e.contains("X_0") && e.contains("empty"), "{e}");
        let e = parse("(declare-const X_0 Real)\n(assert (<= X_0 1)\n")
            .unwrap_err()
            .to_string();
        assert!(e.contains("line 2") && e.contains("never closed"), "{e}");
        let e = parse("(assert (<= Y_0 1))").unwrap_err().to_string();
        assert!(e.contains("no inputs"), "{e}");
    }
}
