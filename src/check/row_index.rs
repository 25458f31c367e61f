//! Rows found by the keys of their names. A multiplier names a row of its
//! piece (`d3`, `n1.7`); the checker keeps beside each row a key of its
//! name ([`key_of`]), and, per split, the place of each of the cell's rows
//! by its key ([`RowIndex`]), so that a name finds its row at once instead
//! of by a scan of the piece's rows (on ACAS Xu N1,1 over property 4, a
//! third of a million names, against pieces of about 30 rows).
//!
//! The index is a hint: a place it gives is taken only when the row there
//! has the key asked for, and a key it does not hold (a row a cut of this
//! split added, or a cell of another split) is found by the scan. So it
//! can make a lookup slower, never find another row than the scan would
//! (a piece's rows have distinct names, hence distinct keys).

/// The key no row has: a source whose numbers do not fit a key (far beyond
/// any network's), or a name that is not a row's.
pub(super) const NO_KEY: u32 = u32::MAX;

/// The least key of a neuron's row: keys below are domain rows.
const NEURON_KEY: u32 = 1 << 31;

/// Neurons of a layer a key tells apart (`2^20`); layers are told apart up
/// to `2^11 − 1` (the last would reach [`NO_KEY`]).
const KEY_INDEX_BITS: u32 = 20;

/// The key of a row's name: `i` for domain row `i` (`layer` `None`),
/// `2^31 + 2^20·layer + index` for neuron `[layer, index]`; [`NO_KEY`] when
/// the numbers do not fit. Two names with keys other than `NO_KEY` have the
/// same key exactly when they are the same name.
pub(super) fn key_of(layer: Option<usize>, index: usize) -> u32 {
    match layer {
        None if index < NEURON_KEY as usize => index as u32,
        Some(layer) if index < 1 << KEY_INDEX_BITS && layer < (1 << 11) - 1 => {
            NEURON_KEY | (layer as u32) << KEY_INDEX_BITS | index as u32
        }
        _ => NO_KEY,
    }
}

/// The places of one cell's rows by their keys: a slot per domain row
/// (`0..domain`) and per neuron of the hidden layers (`domain +
/// layer·width + index`), each holding the place it was given and the
/// generation it was given in, so that indexing a new cell's rows clears
/// nothing.
#[derive(Debug, Default)]
pub(super) struct RowIndex {
    slots: Vec<(u32, u32)>,
    generation: u32,
    domain: usize,
    width: usize,
}

impl RowIndex {
    /// An index for `domain` domain rows and `layers` hidden layers of at
    /// most `width` neurons (an empty one when that is more slots than a
    /// few million: it then holds nothing, and every row is scanned for).
    pub(super) fn new(domain: usize, layers: usize, width: usize) -> Self {
        let slots = layers
            .checked_mul(width)
            .and_then(|n| n.checked_add(domain))
            .filter(|&n| n <= 1 << 22)
            .unwrap_or(0);
        RowIndex {
            slots: vec![(0, 0); slots],
            generation: 0,
            domain,
            width,
        }
    }

    /// The slot of `key`, if the index has one.
    fn slot(&self, key: u32) -> Option<usize> {
        let at = match key < NEURON_KEY {
            true => Some(key as usize).filter(|&i| i < self.domain),
            false => {
                let index = (key & ((1 << KEY_INDEX_BITS) - 1)) as usize;
                let layer = ((key & !NEURON_KEY) >> KEY_INDEX_BITS) as usize;
                let at = self.domain + layer * self.width + index;
                (key != NO_KEY && index < self.width).then_some(at)
            }
        };
        at.filter(|&at| at < self.slots.len())
    }

    /// Indexes the rows whose keys are `keys`, in order (their places),
    /// forgetting the rows indexed before.
    pub(super) fn index(&mut self, keys: impl Iterator<Item = u32>) {
        self.generation = self.generation.wrapping_add(1);
        if self.generation == 0 {
            // After 2^32 generations, a stale slot could seem current.
            self.slots.iter_mut().for_each(|s| *s = (0, 0));
            self.generation = 1;
        }
        for (place, key) in keys.enumerate() {
            if let (Some(at), Ok(place)) = (self.slot(key), u32::try_from(place)) {
                self.slots[at] = (self.generation, place);
            }
        }
    }

    /// The place of the row with `key` among `len` rows whose keys
    /// `key_at` gives: the place indexed for it if that row has the key,
    /// else the first such row found by a scan; `None` if no row has it.
    pub(super) fn find(
        &self,
        key: u32,
        len: usize,
        key_at: impl Fn(usize) -> u32,
    ) -> Option<usize> {
        if key == NO_KEY {
            return None;
        }
        if let Some(at) = self.slot(key) {
            let (generation, place) = self.slots[at];
            let place = place as usize;
            if generation == self.generation && place < len && key_at(place) == key {
                return Some(place);
            }
        }
        (0..len).find(|&k| key_at(k) == key)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The index finds what a scan finds (the reference), for keys of rows
    /// indexed, of rows added after indexing, of rows indexed for another
    /// cell and of no row, and for keys beyond its slots.
    #[test]
    fn the_index_finds_what_a_scan_finds() {
        use rand::{Rng, SeedableRng};
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(43);
        let mut index = RowIndex::new(10, 3, 8);
        let key = |rng: &mut rand_chacha::ChaCha8Rng| match rng.gen_range(0..4) {
            0 => key_of(None, rng.gen_range(0..12)),
            1 => NO_KEY,
            _ => key_of(Some(rng.gen_range(0..4)), rng.gen_range(0..10)),
        };
        let mut hits = 0;
        for _ in 0..2000 {
            // Distinct keys, as a piece's rows have.
            let mut keys: Vec<u32> = Vec::new();
            for _ in 0..rng.gen_range(0..20) {
                let k = key(&mut rng);
                if k != NO_KEY && !keys.contains(&k) {
                    keys.push(k);
                }
            }
            let indexed = rng.gen_range(0..=keys.len());
            index.index(keys[..indexed].iter().copied());
            // Rows a cut adds after indexing, or fewer rows (another piece).
            let len = rng.gen_range(0..=keys.len());
            for _ in 0..20 {
                let k = key(&mut rng);
                let scan = (0..len).find(|&i| keys[i] == k && k != NO_KEY);
                let found = index.find(k, len, |i| keys[i]);
                assert_eq!(found, scan, "{k} in {keys:?}[..{len}]");
                hits += usize::from(found.is_some());
            }
        }
        assert!(hits > 1000, "{hits}");
        // An indexed row is found at its place without a scan: reading any
        // other place's key would panic.
        let keys = [key_of(None, 3), key_of(Some(2), 7), key_of(Some(0), 1)];
        index.index(keys.iter().copied());
        for (place, &k) in keys.iter().enumerate() {
            let only = |i: usize| {
                if i == place {
                    keys[i]
                } else {
                    panic!("scanned {i}")
                }
            };
            assert_eq!(index.find(k, keys.len(), only), Some(place));
        }
        // An index too large to hold is empty, and still finds by scanning.
        let huge = RowIndex::new(10, usize::MAX, 8);
        assert_eq!(huge.find(key_of(None, 1), 2, |i| key_of(None, i)), Some(1));
    }
}
