//! The exact regions as a sampling report needs them, gathered as they
//! stream by (from a walk or a file) so that no region's record is held:
//! the sample's patterns are known before the regions come, so each region
//! is at once matched to them or found missed. What is kept is what the
//! report shows or sums over: the volume fraction of every region (for the
//! expected curve), the regions the sample missed (listed in the report),
//! and the regions it hit (at most one per pattern it saw).

use crate::sample::discovery::PatternCount;
use crate::sample::region_reader::RegionRecord;
use crate::sample::report::{MissedRegion, RegionData};
use crate::sample::volume::Volume;
use std::collections::HashMap;

/// The regions seen so far, matched against a sample's patterns.
#[derive(Debug, Clone, PartialEq)]
pub struct RegionTally {
    /// Each pattern the sample saw, with its hits.
    seen: HashMap<String, u64>,
    /// The region of each seen pattern that is one.
    region_of: HashMap<String, u64>,
    /// `p_r` of every region, in order.
    fractions: Vec<f64>,
    /// The regions no point fell in, in order.
    missed: Vec<MissedRegion>,
    /// The regions some point fell in, in order.
    hit: Vec<RegionData>,
}

impl RegionTally {
    /// A tally against the patterns a sample saw.
    pub fn new(seen: &[PatternCount]) -> Self {
        RegionTally {
            seen: seen
                .iter()
                .map(|p| (p.pattern.to_string(), p.hits))
                .collect(),
            region_of: HashMap::new(),
            fractions: Vec::new(),
            missed: Vec::new(),
            hit: Vec::new(),
        }
    }

    /// Adds the next region, with its volume.
    pub fn add(&mut self, region: &RegionRecord, volume: Volume) {
        self.fractions.push(volume.fraction);
        match self.seen.get(&region.pattern) {
            Some(&points) => {
                self.region_of.insert(region.pattern.clone(), region.id);
                self.hit.push(RegionData {
                    id: region.id,
                    pattern: region.pattern.clone(),
                    points,
                    volume_fraction: volume.fraction,
                });
            }
            None => self.missed.push(MissedRegion {
                id: region.id,
                pattern: region.pattern.clone(),
                radius: region.radius,
                volume,
            }),
        }
    }

    /// The id of the region with `pattern`, if the sample saw it and it is
    /// a region.
    pub fn region_of(&self, pattern: &str) -> Option<u64> {
        self.region_of.get(pattern).copied()
    }

    /// The number of regions.
    pub fn regions(&self) -> u64 {
        self.fractions.len() as u64
    }

    /// `p_r` of every region, in order.
    pub fn fractions(&self) -> &[f64] {
        &self.fractions
    }

    /// `p_r` of every region, the regions the sample missed, and those it
    /// hit, each in order.
    pub fn into_parts(self) -> (Vec<f64>, Vec<MissedRegion>, Vec<RegionData>) {
        (self.fractions, self.missed, self.hit)
    }
}
