//! The `regionwalk` command line. Parses the flags, runs the subcommand
//! (`cli/`, one file each), and picks the exit code: 0 success, 1 internal
//! failure, 2 bad input, 3 stopped before the end (a limit or a signal; the
//! output is written and says `"complete": false`). A closed stdout
//! (`regionwalk ... | head`) ends the run quietly with 0.

mod cli;

use clap::Parser;
use cli::resolve::BadInput;
use cli::stop::{Incomplete, EXIT_INCOMPLETE};
use cli::Cli;
use regionwalk::{
    CertifyError, CheckFileError, CheckpointError, DomainError, MergeError, ModelError,
    RegionStreamError, SampleError, SpaceError, VnnlibError, WalkError,
};
use std::io;
use std::process::ExitCode;

/// The allocator: mimalloc, not the system's. The walk allocates small
/// vectors at every cut (rows, patterns, bases): glibc's malloc and free
/// were 15–20% of a one-thread walk, and on two threads they took 8–11%
/// more CPU time than on one (arena locks; regions are freed on the thread
/// that consumes them). Same run, one thread, mimalloc against glibc:
/// 1.13–1.18× faster on the five LP-walk benchmark cases and 1.2× on the
/// 2-D walk; two threads on ACAS Xu N1,1 (prop 1 and 5 boxes) 1.81–1.88×
/// one thread. Peak memory is about 16 MB higher (its segments) and stays
/// flat as regions stream (docs/performance.md).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = Cli::parse();
    cli::job::choose_engine(cli.engine.into());
    let result = match cli.threads {
        Some(n) => rayon::ThreadPoolBuilder::new()
            .num_threads(n.max(1))
            .build_global()
            .map_err(|e| anyhow::Error::new(e).context("cannot start the thread pool")),
        None => Ok(()),
    }
    .and_then(|()| cli.command.run());
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) if is_broken_pipe(&err) => ExitCode::SUCCESS,
        Err(err) if err.is::<Incomplete>() => {
            eprintln!("note: {err}");
            ExitCode::from(EXIT_INCOMPLETE)
        }
        Err(err) => {
            eprintln!("error: {}", message(&err));
            ExitCode::from(if is_bad_input(&err) { 2 } else { 1 })
        }
    }
}

/// The error and its causes, joined by `: `, leaving out a cause whose text
/// the message already ends with (some library errors print their cause).
fn message(err: &anyhow::Error) -> String {
    let mut text = String::new();
    for e in err.chain() {
        let part = e.to_string();
        if text.is_empty() {
            text = part;
        } else if !text.ends_with(&part) {
            text = format!("{text}: {part}");
        }
    }
    text
}

/// Whether the run failed because its reader closed the pipe (`| head`).
fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|e| {
        e.downcast_ref::<io::Error>()
            .is_some_and(|io| io.kind() == io::ErrorKind::BrokenPipe)
    })
}

/// Whether the failure is the input's fault (exit 2) rather than the run's.
fn is_bad_input(err: &anyhow::Error) -> bool {
    err.chain().any(|e| {
        e.is::<ModelError>()
            || e.is::<DomainError>()
            || e.is::<VnnlibError>()
            || e.is::<BadInput>()
            || e.is::<MergeError>()
            || e.is::<CheckpointError>()
            || matches!(
                e.downcast_ref::<WalkError>(),
                Some(WalkError::ResumePosition { .. })
            )
            || matches!(
                e.downcast_ref::<RegionStreamError>(),
                Some(RegionStreamError::Walk(WalkError::ResumePosition { .. }))
            )
            || matches!(e.downcast_ref::<SampleError>(), Some(SampleError::Input(_)))
            || matches!(e.downcast_ref::<SpaceError>(), Some(SpaceError::Domain(_)))
            || e.downcast_ref::<CertifyError>()
                .is_some_and(CertifyError::is_bad_input)
            || e.downcast_ref::<CheckFileError>()
                .is_some_and(CheckFileError::is_bad_input)
    })
}
