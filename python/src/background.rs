//! Long runs off the Python thread: the job runs on a thread of its own
//! (in a rayon pool of the size asked for), while the calling thread waits
//! with the GIL released and wakes to let Python handle Ctrl-C.

use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::sync::Arc;
use std::time::Duration;

/// How often a waiting thread wakes to check for Ctrl-C: short enough to
/// feel immediate, long enough to cost nothing.
pub const SIGNAL_POLL: Duration = Duration::from_millis(100);

/// Set when Python gave up on a run (Ctrl-C, or a dropped iterator); the
/// walks check it between regions and stop.
#[derive(Clone, Default)]
pub struct Cancel(Arc<AtomicBool>);

impl Cancel {
    /// Asks the run to stop.
    pub fn set(&self) {
        self.0.store(true, Ordering::Relaxed);
    }

    /// Whether the run should stop.
    pub fn is_set(&self) -> bool {
        self.0.load(Ordering::Relaxed)
    }

    /// The error a walk's region sink returns to stop the walk.
    pub fn stop() -> regionwalk::WalkError {
        regionwalk::WalkError::Sink(std::io::Error::other("interrupted from Python"))
    }
}

/// Waits up to [`SIGNAL_POLL`] for a message on `rx` with the GIL
/// released; hands `rx` back with what came.
pub fn wait<T: Send>(
    py: Python<'_>,
    rx: Receiver<T>,
) -> (Receiver<T>, Result<T, RecvTimeoutError>) {
    py.detach(move || {
        let got = rx.recv_timeout(SIGNAL_POLL);
        (rx, got)
    })
}

/// A rayon pool of `threads` threads, or `None` for rayon's global pool.
pub fn pool(threads: Option<usize>) -> PyResult<Option<Arc<rayon::ThreadPool>>> {
    match threads {
        None => Ok(None),
        Some(0) => Err(PyValueError::new_err("threads must be at least 1")),
        Some(n) => rayon::ThreadPoolBuilder::new()
            .num_threads(n)
            .build()
            .map(|p| Some(Arc::new(p)))
            .map_err(|e| PyValueError::new_err(format!("cannot start {n} threads: {e}"))),
    }
}

/// Starts `job` on a thread of its own, inside `pool` if given.
pub fn spawn<T: Send + 'static>(
    pool: Option<Arc<rayon::ThreadPool>>,
    job: impl FnOnce() -> T + Send + 'static,
) -> std::thread::JoinHandle<T> {
    std::thread::spawn(move || match pool {
        Some(p) => p.install(job),
        None => job(),
    })
}

/// Runs `job` in the background and waits for its result, releasing the
/// GIL. On Ctrl-C it sets `cancel` and raises `KeyboardInterrupt` at once;
/// a job that watches `cancel` then stops by itself.
pub fn run<T: Send + 'static>(
    py: Python<'_>,
    threads: Option<usize>,
    cancel: Cancel,
    job: impl FnOnce() -> T + Send + 'static,
) -> PyResult<T> {
    let pool = pool(threads)?;
    let (tx, mut rx) = mpsc::sync_channel(1);
    spawn(pool, move || {
        let _ = tx.send(job());
    });
    loop {
        let (back, got) = wait(py, rx);
        rx = back;
        match got {
            Ok(value) => return Ok(value),
            Err(RecvTimeoutError::Timeout) => {
                if let Err(e) = py.check_signals() {
                    cancel.set();
                    return Err(e);
                }
            }
            Err(RecvTimeoutError::Disconnected) => {
                return Err(crate::errors::WalkError::new_err(
                    "the walk's thread stopped without a result (a panic)",
                ))
            }
        }
    }
}
