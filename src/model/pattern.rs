//! Activation patterns: one on/off bit per hidden neuron, printed as one bit
//! string per hidden layer joined by `|` (docs/design.md §1), e.g. `0110|101`.

use std::fmt;

/// An activation pattern: `layers[k][i]` is true when neuron `i` of hidden
/// layer `k` is on (`z > 0`); off means `z ≤ 0` (the zero convention).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct Pattern {
    layers: Vec<Vec<bool>>,
}

impl Pattern {
    /// A pattern from its layers.
    pub fn new(layers: Vec<Vec<bool>>) -> Self {
        Pattern { layers }
    }

    /// The bits of each hidden layer.
    pub fn layers(&self) -> &[Vec<bool>] {
        &self.layers
    }

    /// Appends the bits of the next hidden layer.
    pub fn push_layer(&mut self, bits: Vec<bool>) {
        self.layers.push(bits);
    }

    /// Parses the printed form `0110|101`. Returns `None` on any other character.
    pub fn parse(text: &str) -> Option<Self> {
        if text.is_empty() {
            return Some(Pattern::default());
        }
        let layers = text
            .split('|')
            .map(|layer| {
                layer
                    .chars()
                    .map(|c| match c {
                        '0' => Some(false),
                        '1' => Some(true),
                        _ => None,
                    })
                    .collect::<Option<Vec<bool>>>()
            })
            .collect::<Option<Vec<_>>>()?;
        Some(Pattern { layers })
    }
}

impl fmt::Display for Pattern {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // One write, not one per bit: certificates print a pattern per line.
        let width: usize = self.layers.iter().map(|l| l.len() + 1).sum();
        let mut text = String::with_capacity(width);
        for (k, layer) in self.layers.iter().enumerate() {
            if k > 0 {
                text.push('|');
            }
            text.extend(layer.iter().map(|&bit| if bit { '1' } else { '0' }));
        }
        f.write_str(&text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prints_and_parses() {
        let p = Pattern::new(vec![
            vec![false, true, true, false],
            vec![true, false, true],
        ]);
        assert_eq!(p.to_string(), "0110|101");
        assert_eq!(Pattern::parse("0110|101"), Some(p));
        assert_eq!(Pattern::parse("01x"), None);
    }
}
