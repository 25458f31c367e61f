//! A counter that several threads add to without sharing a cache line.
//!
//! The walk counts every LP and every side test: a few hundred thousand
//! additions per second per thread. On one atomic, two threads pass its
//! cache line back and forth at every addition: in a profile of two
//! threads on ACAS Xu N1,1 (prop 1 box), the locked add of the side-test
//! counter alone took a third of `advance`, and two threads used 12% more
//! CPU time than one. Here each thread adds to its own slot, on a line of
//! its own, and a reading sums the slots.

use crossbeam_utils::CachePadded;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering::Relaxed};

/// Slots per counter. Threads take slots in the order they first count, so
/// the first `SLOTS` threads of a process never share one; later threads
/// share (still correct, only slower). A walk uses a thread per core and
/// the consumer, far below this.
const SLOTS: usize = 32;

/// The next slot to give a thread.
static NEXT_SLOT: AtomicUsize = AtomicUsize::new(0);

thread_local! {
    /// This thread's slot.
    static SLOT: usize = NEXT_SLOT.fetch_add(1, Relaxed) % SLOTS;
}

/// A sum of additions from many threads.
pub(crate) struct StripedCounter {
    slots: Box<[CachePadded<AtomicU64>]>,
}

impl Default for StripedCounter {
    fn default() -> Self {
        StripedCounter {
            slots: (0..SLOTS)
                .map(|_| CachePadded::new(AtomicU64::new(0)))
                .collect(),
        }
    }
}

impl std::fmt::Debug for StripedCounter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.get())
    }
}

impl StripedCounter {
    /// Adds `n`.
    pub(crate) fn add(&self, n: u64) {
        SLOT.with(|&slot| self.slots[slot].fetch_add(n, Relaxed));
    }

    /// The sum so far. Additions that race with the reading may or may
    /// not be in it; once the adding threads are joined, all are.
    pub(crate) fn get(&self) -> u64 {
        self.slots.iter().map(|s| s.load(Relaxed)).sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Eight threads add 1 ten thousand times each, then 3 is added: the
    /// sum is 80,003, whatever slots the threads got.
    #[test]
    fn the_sum_counts_every_addition_from_every_thread() {
        let c = StripedCounter::default();
        std::thread::scope(|s| {
            for _ in 0..8 {
                s.spawn(|| {
                    for _ in 0..10_000 {
                        c.add(1);
                    }
                });
            }
        });
        c.add(3);
        assert_eq!(c.get(), 80_003);
    }
}
