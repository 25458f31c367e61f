//! Long runs off the Python thread: the job runs on a thread of its own
//! (in a rayon pool of the size asked for), while the calling thread waits
//! with the GIL released and wakes to let Python handle Ctrl-C.

use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use regionwalk::RunControl;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// How often a waiting thread wakes to check for Ctrl-C: short enough to
/// feel immediate, long enough to cost nothing.
pub const SIGNAL_POLL: Duration = Duration::from_millis(100);

/// Set when Python gave up on a run (Ctrl-C, or a dropped iterator). The
/// library's walks watch its [`RunControl`] (between regions, and while a
/// subtree is being walked) and stop; a sink may also check [`Cancel::is_set`].
#[derive(Clone)]
pub struct Cancel(Arc<Lease>);

/// A [`RunControl`] lent to one run. The walks take controls by `'static`
/// reference, so they live in a pool: taken for a run, given back when the
/// run and its Python side are done with it, unless it was interrupted
/// (its flag cannot be lowered again; such a control, a few dozen bytes
/// per Ctrl-C, is kept out of the pool for good).
struct Lease {
    control: &'static RunControl,
    /// The run should stop.
    set: AtomicBool,
    /// The control's flag is raised.
    raised: AtomicBool,
}

/// The controls no run holds now: at most as many as ever ran at once.
static POOL: Mutex<Vec<&'static RunControl>> = Mutex::new(Vec::new());

impl Default for Cancel {
    fn default() -> Self {
        let pooled = POOL.lock().ok().and_then(|mut p| p.pop());
        let control = pooled.unwrap_or_else(|| Box::leak(Box::new(RunControl::new())));
        Cancel(Arc::new(Lease {
            control,
            set: AtomicBool::new(false),
            raised: AtomicBool::new(false),
        }))
    }
}

impl Drop for Lease {
    fn drop(&mut self) {
        if !self.raised.load(Ordering::Relaxed) {
            if let Ok(mut pool) = POOL.lock() {
                pool.push(self.control);
            }
        }
    }
}

impl Cancel {
    /// Asks the run to stop at once: the walk checks its control even
    /// between regions.
    pub fn set(&self) {
        self.0.set.store(true, Ordering::Relaxed);
        self.0.raised.store(true, Ordering::Relaxed);
        self.0.control.interrupt();
    }

    /// Asks the run to stop at its next region (a dropped iterator): the
    /// control stays unraised, so it goes back to the pool.
    pub fn abandon(&self) {
        self.0.set.store(true, Ordering::Relaxed);
    }

    /// Whether the run should stop.
    pub fn is_set(&self) -> bool {
        self.0.set.load(Ordering::Relaxed)
    }

    /// The control to hand the library's walks.
    pub fn control(&self) -> &'static RunControl {
        self.0.control
    }

    /// The error a walk's region sink returns to stop the walk.
    pub fn stop() -> regionwalk::WalkError {
        regionwalk::WalkError::Sink(std::io::Error::other("interrupted from Python"))
    }

    /// The error a job returns when it stopped because Python gave up on
    /// it (nobody reads it: Python has raised `KeyboardInterrupt`).
    pub fn stopped() -> PyErr {
        crate::errors::WalkError::new_err("interrupted from Python")
    }
}

/// Background jobs still running: what the tests watch to see a job stop.
static RUNNING: AtomicUsize = AtomicUsize::new(0);

/// The number of background jobs still running (walks Python gave up on
/// included, until they stop).
#[pyfunction]
pub fn running_jobs() -> usize {
    RUNNING.load(Ordering::SeqCst)
}

/// Counts a job as running while it lives, panics included.
struct Running;

impl Running {
    fn start() -> Running {
        RUNNING.fetch_add(1, Ordering::SeqCst);
        Running
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        RUNNING.fetch_sub(1, Ordering::SeqCst);
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
    let running = Running::start();
    std::thread::spawn(move || {
        let _running = running;
        match pool {
            Some(p) => p.install(job),
            None => job(),
        }
    })
}

/// Runs `job` in the background and waits for its result, releasing the
/// GIL. On Ctrl-C it sets `cancel` and raises `KeyboardInterrupt` at once;
/// the job, which watches `cancel`, then stops by itself.
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
