//! The independent checker of certificate files (docs/design.md §4). It trusts
//! nothing but the network, the domain and the numbers in the file: it
//! recomputes every pattern-dependent row in exact dyadic arithmetic, checks
//! every witness and every multiplier exactly, rebuilds the decision tree,
//! and checks that its leaves are exactly the listed regions, in order.
//!
//! It depends only on the network, the domain, and exact arithmetic
//! (`dyadic.rs`, `exact_network.rs`, `exact_point.rs`): not on the walk, the
//! LP code or the graph, so it can be audited on its own.
//!
//! Why a passed check proves the count: every (cell, neuron) test of the
//! tree is either a cut whose two sides have witnesses, or one-sided with a
//! proof that the other side has no interior (an exact range over the domain
//! box, or Motzkin multipliers), or a row that is exactly constant. So the
//! leaves cover the domain's interior up to sets without interior, each leaf
//! holds its witness (so it has interior), and leaves with different
//! patterns are disjoint: they are exactly the activation regions.

use crate::domain::input_domain::Domain;
use crate::exact::dyadic::Dyadic;
use crate::exact::point::{parse_rational, ExactPoint};
use crate::exact::slice_network::{range_over_box, ExactAffine, ExactHalf, SliceNetwork};
use crate::model::network::Network;
use num_bigint::BigInt;
use num_traits::Signed;
use serde_json::Value;
use std::io::BufRead;

/// The checker's verdict.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verdict {
    /// True when every item checked.
    pub verified: bool,
    /// The number of regions certified (when verified), or listed so far.
    pub regions: u64,
    /// Why the certificate was rejected: the first failing item.
    pub reason: Option<String>,
}

/// A cell of the tree as the checker rebuilds it.
struct Cell {
    layer: usize,
    pattern: Vec<String>,
    map: ExactAffine,
    rows: Vec<(String, ExactHalf)>,
}

/// Checks a certificate read from `lines` against `network` on `domain`.
/// I/O errors reading the file are returned as `Err`; everything else is a
/// verdict.
pub fn verify_certificate(
    network: &Network,
    domain: &Domain,
    lines: impl BufRead,
) -> std::io::Result<Verdict> {
    let mut checker = Checker::new(network, domain);
    for (n, line) in lines.lines().enumerate() {
        let line = line?;
        if let Err(reason) = checker.item(&line) {
            return Ok(Verdict {
                verified: false,
                regions: checker.regions,
                reason: Some(format!("line {}: {reason}", n + 1)),
            });
        }
    }
    Ok(match checker.finished {
        true => Verdict {
            verified: true,
            regions: checker.regions,
            reason: None,
        },
        false => Verdict {
            verified: false,
            regions: checker.regions,
            reason: Some("the certificate ends before its summary line".into()),
        },
    })
}

struct Checker<'a> {
    network: &'a Network,
    domain: &'a Domain,
    slice: SliceNetwork,
    box_bounds: Option<Vec<(Dyadic, Dyadic)>>,
    stack: Vec<Cell>,
    regions: u64,
    header: bool,
    finished: bool,
}

type Check = Result<(), String>;

impl<'a> Checker<'a> {
    fn new(network: &'a Network, domain: &'a Domain) -> Self {
        let slice = SliceNetwork::new(network, domain);
        let box_bounds = slice.box_bounds(domain);
        let rows = slice
            .domain_rows(domain)
            .into_iter()
            .enumerate()
            .filter_map(|(i, r)| r.map(|r| (format!("d{i}"), r)))
            .collect();
        let root = Cell {
            layer: 0,
            pattern: Vec::new(),
            map: ExactAffine::identity(slice.dim()),
            rows,
        };
        Checker {
            network,
            domain,
            slice,
            box_bounds,
            stack: vec![root],
            regions: 0,
            header: false,
            finished: false,
        }
    }

    fn item(&mut self, line: &str) -> Check {
        let v: Value = serde_json::from_str(line).map_err(|e| format!("not valid JSON: {e}"))?;
        if self.finished {
            return Err("an item after the summary".into());
        }
        match (self.header, v["type"].as_str()) {
            (false, Some("header")) => self.header(&v),
            (false, _) => Err("the first line is not the header".into()),
            (true, Some("split")) => self.split(&v),
            (true, Some("region")) => self.region(&v),
            (true, Some("summary")) => self.summary(&v),
            (true, other) => Err(format!("unknown item type {other:?}")),
        }
    }

    fn header(&mut self, v: &Value) -> Check {
        if v["format"] != crate::certify::certificate_file::CERTIFICATE_FORMAT
            || v["version"] != crate::certify::certificate_file::CERTIFICATE_VERSION
        {
            return Err("not a regionwalk certificate of a known version".into());
        }
        if v["network_sha256"].as_str() != Some(&self.network.fingerprint()) {
            return Err("the certificate is for a different network (fingerprint differs)".into());
        }
        if v["domain"] != self.domain.to_json() {
            return Err(format!(
                "the certificate is for a different domain: {}",
                v["domain"]
            ));
        }
        self.header = true;
        Ok(())
    }

    fn split(&mut self, v: &Value) -> Check {
        let cell = self
            .stack
            .pop()
            .ok_or("a split with no cell left to split")?;
        let depth = self.slice.hidden().len();
        let layer = v["layer"].as_u64().ok_or("split without a layer")? as usize;
        let pattern = cell.pattern.join("|");
        let at = format!("split of cell `{pattern}` by layer {layer}");
        if cell.layer == depth {
            return Err(format!(
                "{at}: region {} (the tree's leaf `{pattern}`) is missing: the next cell in tree order is that leaf",
                self.regions
            ));
        }
        if layer != cell.layer {
            return Err(format!(
                "{at}: the next cell in tree order is at layer {} (of {depth})",
                cell.layer
            ));
        }
        if v["pattern"].as_str() != Some(pattern.as_str()) {
            return Err(format!("{at}: the split names pattern {}", v["pattern"]));
        }
        let z = self.slice.hidden()[layer].after(&cell.map);
        let tests = v["tests"].as_array().ok_or(format!("{at}: no tests"))?;
        if tests.len() != z.rows() {
            return Err(format!(
                "{at}: {} neuron tests for {} neurons",
                tests.len(),
                z.rows()
            ));
        }
        // Pieces: (rows, bits so far).
        let mut pieces: Vec<(Vec<(String, ExactHalf)>, String)> = vec![(cell.rows, String::new())];
        for (i, per_piece) in tests.iter().enumerate() {
            let per_piece = per_piece
                .as_array()
                .ok_or(format!("{at}: neuron {i}: not a list"))?;
            if per_piece.len() != pieces.len() {
                return Err(format!(
                    "{at}: neuron {i}: {} tests for {} pieces",
                    per_piece.len(),
                    pieces.len()
                ));
            }
            let (a, c) = (z.row(i), z.bias(i));
            let mut next = Vec::with_capacity(pieces.len() + 1);
            for (p, ((rows, bits), test)) in pieces.into_iter().zip(per_piece).enumerate() {
                let place = format!("{at}: neuron [{layer}, {i}], piece {p}");
                match self
                    .test(test, &rows, a, c)
                    .map_err(|e| format!("{place}: {e}"))?
                {
                    Outcome::OneSided(on) => next.push((rows, format!("{bits}{}", on as u8))),
                    Outcome::Cut => {
                        let tag = format!("n{layer}.{i}");
                        let mut off_rows = rows.clone();
                        off_rows.push((tag.clone(), ExactHalf::side(a, c, false)));
                        let mut on_rows = rows;
                        on_rows.push((tag, ExactHalf::side(a, c, true)));
                        next.push((off_rows, format!("{bits}0")));
                        next.push((on_rows, format!("{bits}1")));
                    }
                }
            }
            pieces = next;
        }
        for (rows, bits) in pieces.into_iter().rev() {
            let mut map = z.clone();
            map.mask_rows(&bits.chars().map(|b| b == '1').collect::<Vec<_>>());
            let mut pattern = cell.pattern.clone();
            pattern.push(bits);
            self.stack.push(Cell {
                layer: layer + 1,
                pattern,
                map,
                rows,
            });
        }
        Ok(())
    }

    /// Checks one test of the row `z = a·y + c` on a piece with `rows`.
    fn test(
        &self,
        test: &Value,
        rows: &[(String, ExactHalf)],
        a: &[Dyadic],
        c: &Dyadic,
    ) -> Result<Outcome, String> {
        let constant = a.iter().all(Dyadic::is_zero);
        if test == "k" {
            return if constant {
                Ok(Outcome::OneSided(c.signum() > 0))
            } else {
                Err("marked constant, but the row is not".into())
            };
        }
        if constant {
            return Err("the row is constant, but the test is not marked so".into());
        }
        if let Some(side) = test.get("box").and_then(Value::as_str) {
            let bounds = self
                .box_bounds
                .as_ref()
                .ok_or("a box bound on a domain that is not a box")?;
            let (lo, hi) = range_over_box(a, c, bounds);
            return match side {
                "on" if lo.signum() >= 0 => Ok(Outcome::OneSided(true)),
                "off" if hi.signum() <= 0 => Ok(Outcome::OneSided(false)),
                _ => Err(format!(
                    "the row's range over the box does not show it {side} throughout"
                )),
            };
        }
        for (key, on) in [("on", true), ("off", false)] {
            if let Some(lambda) = test.get(key) {
                self.motzkin(lambda, rows, &ExactHalf::side(a, c, !on))?;
                return Ok(Outcome::OneSided(on));
            }
        }
        if let Some(cut) = test.get("cut").and_then(Value::as_array) {
            for (k, on) in [(0, false), (1, true)] {
                let w = point(
                    cut.get(k).ok_or("a cut without two witnesses")?,
                    self.slice.dim(),
                )?;
                let side = ExactHalf::side(a, c, on);
                if w.slack_sign(&side) >= 0 {
                    return Err(format!(
                        "the {} witness is not strictly on its side",
                        if on { "on" } else { "off" }
                    ));
                }
                if let Some((tag, _)) = rows.iter().find(|(_, h)| w.slack_sign(h) >= 0) {
                    return Err(format!(
                        "the {} witness violates row {tag}",
                        if on { "on" } else { "off" }
                    ));
                }
            }
            return Ok(Outcome::Cut);
        }
        Err(format!("unknown test {test}"))
    }

    /// Checks Motzkin multipliers: `λ > 0` on named rows (or `s`, the side
    /// shown empty), `Σ λ_j a_j = 0` and `Σ λ_j b_j ≤ 0`.
    fn motzkin(&self, lambda: &Value, rows: &[(String, ExactHalf)], side: &ExactHalf) -> Check {
        let entries = lambda.as_array().ok_or("multipliers are not a list")?;
        if entries.is_empty() {
            return Err("no multipliers".into());
        }
        let mut sum_a = vec![Dyadic::zero(); self.slice.dim()];
        let mut sum_b = Dyadic::zero();
        let mut seen: Vec<&str> = Vec::new();
        for e in entries {
            let tag = e[0].as_str().ok_or("a multiplier without a row name")?;
            let l: BigInt = e[1]
                .as_str()
                .and_then(|s| s.parse().ok())
                .ok_or("a multiplier that is not an integer")?;
            if !l.is_positive() {
                return Err(format!("multiplier of row {tag} is not positive"));
            }
            if seen.contains(&tag) {
                return Err(format!("row {tag} named twice"));
            }
            seen.push(tag);
            let row = if tag == "s" {
                side
            } else {
                &rows
                    .iter()
                    .find(|(t, _)| t == tag)
                    .ok_or(format!("row {tag} is not a row of this piece"))?
                    .1
            };
            for (s, a) in sum_a.iter_mut().zip(&row.a) {
                *s = &*s + &a.mul_int(&l);
            }
            sum_b = &sum_b + &row.b.mul_int(&l);
        }
        if !sum_a.iter().all(Dyadic::is_zero) {
            return Err("the multipliers do not cancel the normals (Σ λ a ≠ 0)".into());
        }
        if sum_b.signum() > 0 {
            return Err("the multipliers' offsets sum to a positive number (Σ λ b > 0)".into());
        }
        Ok(())
    }

    fn region(&mut self, v: &Value) -> Check {
        let id = v["id"].as_u64();
        let at = format!("region {}", v["id"]);
        if id != Some(self.regions) {
            return Err(format!("{at}: expected region id {}", self.regions));
        }
        let cell = self
            .stack
            .pop()
            .ok_or(format!("{at}: every leaf of the tree is already listed"))?;
        if cell.layer != self.slice.hidden().len() {
            return Err(format!(
                "{at}: the next cell in tree order, `{}`, is not a leaf (its split is missing)",
                cell.pattern.join("|")
            ));
        }
        let pattern = cell.pattern.join("|");
        if v["pattern"].as_str() != Some(pattern.as_str()) {
            return Err(format!(
                "{at}: pattern {} but the tree's leaf is `{pattern}`",
                v["pattern"]
            ));
        }
        let w = point(&v["witness"], self.slice.dim()).map_err(|e| format!("{at}: {e}"))?;
        if let Some((tag, _)) = cell.rows.iter().find(|(_, h)| w.slack_sign(h) >= 0) {
            return Err(format!(
                "{at}: the witness is not strictly inside: it violates row {tag}"
            ));
        }
        self.regions += 1;
        Ok(())
    }

    fn summary(&mut self, v: &Value) -> Check {
        if !self.stack.is_empty() {
            return Err(format!(
                "the summary comes while {} cells of the tree are not listed",
                self.stack.len()
            ));
        }
        if v["regions"].as_u64() != Some(self.regions) {
            return Err(format!(
                "the summary says {} regions but {} were listed",
                v["regions"], self.regions
            ));
        }
        self.finished = true;
        Ok(())
    }
}

enum Outcome {
    OneSided(bool),
    Cut,
}

/// Parses a point of `dim` coordinates written as `p/q` strings.
fn point(v: &Value, dim: usize) -> Result<ExactPoint, String> {
    let coords = v.as_array().ok_or("a witness is not a list")?;
    if coords.len() != dim {
        return Err(format!(
            "a witness has {} coordinates, not {dim}",
            coords.len()
        ));
    }
    let q = coords
        .iter()
        .map(|c| c.as_str().and_then(parse_rational))
        .collect::<Option<Vec<_>>>()
        .ok_or("a witness coordinate is not a rational p/q")?;
    Ok(ExactPoint::from_rationals(q))
}
