//! Progress on stderr while a walk runs: a spinner counting regions, or,
//! for the commands that take a run control, a bar over the walk's frontier
//! and JSON progress lines.

use clap::Args;
use indicatif::{ProgressBar, ProgressStyle};
use regionwalk::RunControl;
use std::io::IsTerminal;
use std::sync::atomic::{AtomicBool, Ordering::Relaxed};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// A spinner on stderr, shown only on a terminal and only once a run has
/// taken over a second.
pub struct Progress {
    start: Instant,
    enabled: bool,
    bar: Option<ProgressBar>,
}

impl Progress {
    pub fn new() -> Self {
        Progress {
            start: Instant::now(),
            enabled: std::io::stderr().is_terminal(),
            bar: None,
        }
    }

    /// Shows that `regions` regions are done.
    pub fn tick(&mut self, regions: u64) {
        if !self.enabled || (self.bar.is_none() && self.start.elapsed() < Duration::from_secs(1)) {
            return;
        }
        let bar = self.bar.get_or_insert_with(|| {
            let bar = ProgressBar::new_spinner();
            bar.set_style(
                ProgressStyle::with_template("{spinner} {pos} regions, {elapsed} ({per_sec})")
                    .expect("valid template"),
            );
            bar.enable_steady_tick(Duration::from_millis(200));
            bar
        });
        bar.set_position(regions);
    }

    /// Clears the spinner.
    pub fn finish(self) {
        if let Some(bar) = self.bar {
            bar.finish_and_clear();
        }
    }
}

/// The progress flags of the enumerating commands.
#[derive(Args, Clone, Copy)]
pub struct ProgressArgs {
    /// No progress bar.
    #[arg(long)]
    pub quiet: bool,
    /// Every SECONDS, write a JSON progress line to stderr (for scripts and clusters): `{"progress": {...}}`.
    #[arg(long, value_name = "SECONDS")]
    pub progress_json: Option<f64>,
}

/// How often the watcher looks at the walk.
const WATCH_EVERY: Duration = Duration::from_millis(200);

/// A thread that shows where a walk is, from its [`RunControl`]: on a
/// terminal a bar over the top-level frontier (regions found, regions/s,
/// subtrees done, and indicatif's estimate of the time left from the
/// fraction of subtrees done), and with `--progress-json` a JSON line on
/// stderr every so often. It reads the control's counters only, so it also
/// speaks while no region comes out.
pub struct Watcher {
    done: Arc<AtomicBool>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Watcher {
    /// Starts watching the walk under `control`.
    pub fn start(args: &ProgressArgs, control: &'static RunControl) -> Watcher {
        let done = Arc::new(AtomicBool::new(false));
        let show_bar = !args.quiet && std::io::stderr().is_terminal();
        let every = args
            .progress_json
            .filter(|s| s.is_finite() && *s > 0.0)
            .map(Duration::from_secs_f64);
        let thread = (show_bar || every.is_some()).then(|| {
            let done = done.clone();
            std::thread::spawn(move || watch(control, show_bar, every, &done))
        });
        Watcher { done, thread }
    }

    /// Stops watching and clears the bar.
    pub fn finish(mut self) {
        self.done.store(true, Relaxed);
        if let Some(t) = self.thread.take() {
            t.thread().unpark();
            let _ = t.join();
        }
    }
}

fn watch(control: &RunControl, show_bar: bool, every: Option<Duration>, done: &AtomicBool) {
    let start = Instant::now();
    let mut bar: Option<ProgressBar> = None;
    let mut last_line = start;
    while !done.load(Relaxed) {
        std::thread::park_timeout(WATCH_EVERY);
        let p = control.position();
        let seconds = start.elapsed().as_secs_f64();
        let rate = p.regions as f64 / seconds.max(1e-9);
        if show_bar && p.frontier > 0 && start.elapsed() >= Duration::from_secs(1) {
            let bar = bar.get_or_insert_with(|| {
                let bar = ProgressBar::new(p.frontier);
                bar.set_style(
                    ProgressStyle::with_template(
                        "{msg} [{bar:30}] {pos}/{len} subtrees, {elapsed} (about {eta} left)",
                    )
                    .expect("valid template"),
                );
                bar
            });
            bar.set_position(p.subtrees_done);
            bar.set_message(format!("{} regions, {rate:.0}/s", p.regions));
        }
        if let Some(every) = every {
            if last_line.elapsed() >= every {
                last_line = Instant::now();
                let line = serde_json::json!({"progress": {
                    "regions": p.regions,
                    "regions_per_second": rate,
                    "frontier": p.frontier,
                    "subtrees_done": p.subtrees_done,
                    "fraction_done": p.subtrees_done as f64 / p.frontier.max(1) as f64,
                    "seconds": seconds,
                }});
                eprintln!("{line}");
            }
        }
    }
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
}
