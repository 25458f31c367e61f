//! Independent tasks run on worker threads, their items handed to one
//! consumer in task order, with memory bounded by a window of tasks in
//! flight and a bounded channel per task.
//!
//! Workers claim tasks in order, and never more than `window` tasks past
//! the one being consumed; each streams its items into its own channel in
//! batches of up to `capacity` items, and waits when a batch is waiting
//! already (backpressure). So at most `2 × window × capacity` items wait at
//! any time, whatever the number of items per task, and the consumer sees
//! them in the order a single thread would. Batches, not single items, cross
//! threads: a send per item cost a wake-up of the consumer per region, about
//! a sixth of a one-thread walk of ACAS Xu N1,1 (context switches and lock
//! contention in a profile).
//! The task being consumed has always been claimed (claims go in order) and
//! its worker only waits on the consumer, so the scheme cannot deadlock.

use std::collections::VecDeque;
use std::sync::atomic::{AtomicBool, Ordering::Relaxed};
use std::sync::mpsc::{sync_channel, Receiver, RecvTimeoutError, SyncSender};
use std::sync::{Condvar, Mutex};
use std::time::Duration;

/// Batches a task's channel holds before its worker waits. A worker that
/// runs ahead of the task being consumed can finish a task of up to
/// `(BATCHES_WAITING + 1) × capacity` items and go on to the next. With one
/// batch, any task of more than two batches stalled its worker until the
/// consumer reached it: two threads walked ACAS Xu N1,1 prop 3 only 1.34×
/// faster than one; with 32 (and a window of 8 tasks per thread) 1.84×, at
/// a peak of 44 MB against 18 MB for one thread (idle machine, same run).
const BATCHES_WAITING: usize = 32;

/// How often the consumer asks whether to stop while no item arrives.
const POLL: Duration = Duration::from_millis(50);

/// The sizes of the stream.
#[derive(Debug, Clone, Copy)]
pub(crate) struct StreamSizes {
    /// Worker threads.
    pub threads: usize,
    /// Tasks claimed but not yet consumed, at most.
    pub window: usize,
    /// Items waiting per task, at most.
    pub capacity: usize,
}

/// Where a task's worker sends its items.
pub(crate) struct Out<'a, I, E> {
    tx: Sender<I, E>,
    quit: &'a AtomicBool,
    /// The batch being filled.
    batch: Vec<I>,
    capacity: usize,
}

impl<I, E> Out<'_, I, E> {
    /// Sends `item` (in a batch); false when the stream is over (stopped,
    /// or failed) and the task should return.
    pub fn send(&mut self, item: I) -> bool {
        if self.quit.load(Relaxed) {
            return false;
        }
        self.batch.push(item);
        self.batch.len() < self.capacity || self.flush()
    }

    /// Sends the batch being filled, if any; false when the stream is over.
    fn flush(&mut self) -> bool {
        if self.batch.is_empty() {
            return true;
        }
        let batch = std::mem::replace(&mut self.batch, Vec::with_capacity(self.capacity));
        self.tx.send(Ok(batch)).is_ok()
    }

    /// Whether the stream still wants items.
    pub fn live(&self) -> bool {
        !self.quit.load(Relaxed)
    }
}

/// How a stream ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct StreamEnd {
    /// Tasks whose items were all consumed: the first `done` tasks.
    pub done: usize,
    /// Whether `stop` ended it before every task was done.
    pub stopped: bool,
}

/// What a task's channel carries: batches of items, or the task's error.
type Sender<I, E> = SyncSender<Result<Vec<I>, E>>;

/// The queue of unclaimed tasks.
struct Queue<T, I, E> {
    tasks: VecDeque<(usize, T, Sender<I, E>)>,
    /// Tasks consumed so far.
    consumed: usize,
}

/// Runs `work` on every task on `sizes.threads` threads and hands the items
/// to `consume` in task order. `stop` is asked, with the number of tasks
/// done so far, after every item and while waiting; when it says so the
/// stream ends early (with `stopped`). A task's
/// error, or the consumer's, ends the stream and is returned.
pub(crate) fn ordered_stream<T, I, E>(
    tasks: Vec<T>,
    sizes: StreamSizes,
    work: impl Fn(T, &mut Out<'_, I, E>) -> Result<(), E> + Sync,
    mut consume: impl FnMut(I) -> Result<(), E>,
    mut stop: impl FnMut(usize) -> bool,
) -> Result<StreamEnd, E>
where
    T: Send,
    I: Send,
    E: Send,
{
    let mut receivers: Vec<Receiver<Result<Vec<I>, E>>> = Vec::with_capacity(tasks.len());
    let mut queue = VecDeque::with_capacity(tasks.len());
    for (i, task) in tasks.into_iter().enumerate() {
        let (tx, rx) = sync_channel(BATCHES_WAITING);
        receivers.push(rx);
        queue.push_back((i, task, tx));
    }
    let shared = (
        Mutex::new(Queue {
            tasks: queue,
            consumed: 0,
        }),
        Condvar::new(),
    );
    let quit = AtomicBool::new(false);
    let window = sizes.window.max(1);
    std::thread::scope(|scope| {
        for _ in 0..sizes.threads.max(1) {
            scope.spawn(|| worker(&shared, &quit, (window, sizes.capacity.max(1)), &work));
        }
        let end = consumer(receivers, &shared, &mut consume, &mut stop);
        quit.store(true, Relaxed);
        shared.1.notify_all();
        end
    })
}

/// A worker: claims the next task while the window allows, and runs it.
fn worker<T, I, E>(
    (queue, ready): &(Mutex<Queue<T, I, E>>, Condvar),
    quit: &AtomicBool,
    (window, capacity): (usize, usize),
    work: &(impl Fn(T, &mut Out<'_, I, E>) -> Result<(), E> + Sync),
) {
    loop {
        let (task, tx) = {
            let mut q = queue.lock().unwrap_or_else(|e| e.into_inner());
            loop {
                if quit.load(Relaxed) {
                    return;
                }
                match q.tasks.front() {
                    None => return,
                    Some((i, _, _)) if *i < q.consumed + window => break,
                    Some(_) => q = ready.wait(q).unwrap_or_else(|e| e.into_inner()),
                }
            }
            let (_, task, tx) = q.tasks.pop_front().expect("checked above");
            (task, tx)
        };
        let mut out = Out {
            tx,
            quit,
            batch: Vec::with_capacity(capacity),
            capacity,
        };
        let result = work(task, &mut out);
        // The consumer may be gone already; then neither matters.
        if out.flush() {
            if let Err(e) = result {
                let _ = out.tx.send(Err(e));
            }
        }
    }
}

/// The consumer: drains the tasks' channels in order. Dropping the
/// receivers on the way out frees any worker waiting to send.
fn consumer<T, I, E>(
    receivers: Vec<Receiver<Result<Vec<I>, E>>>,
    (queue, ready): &(Mutex<Queue<T, I, E>>, Condvar),
    consume: &mut impl FnMut(I) -> Result<(), E>,
    stop: &mut impl FnMut(usize) -> bool,
) -> Result<StreamEnd, E> {
    for (done, rx) in receivers.iter().enumerate() {
        loop {
            if stop(done) {
                return Ok(StreamEnd {
                    done,
                    stopped: true,
                });
            }
            match rx.recv_timeout(POLL) {
                Ok(Ok(batch)) => {
                    let mut items = batch.into_iter();
                    consume(items.next().expect("batches are never empty"))?;
                    for item in items {
                        if stop(done) {
                            return Ok(StreamEnd {
                                done,
                                stopped: true,
                            });
                        }
                        consume(item)?;
                    }
                }
                Ok(Err(e)) => return Err(e),
                Err(RecvTimeoutError::Timeout) => {}
                Err(RecvTimeoutError::Disconnected) => break,
            }
        }
        queue.lock().unwrap_or_else(|e| e.into_inner()).consumed = done + 1;
        ready.notify_all();
    }
    Ok(StreamEnd {
        done: receivers.len(),
        stopped: false,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sizes(threads: usize) -> StreamSizes {
        StreamSizes {
            threads,
            window: 3,
            capacity: 2,
        }
    }

    /// Task `t` sends `t` items `(t, 0..t)`; the expected order is the
    /// sequential one, built by two nested loops.
    #[test]
    fn items_come_in_task_order_for_any_thread_count() {
        let expected: Vec<(usize, usize)> =
            (0..20).flat_map(|t| (0..t).map(move |k| (t, k))).collect();
        for threads in 1..=4 {
            let mut got = Vec::new();
            let end = ordered_stream(
                (0..20).collect(),
                sizes(threads),
                |t: usize, out: &mut Out<'_, (usize, usize), ()>| {
                    for k in 0..t {
                        if !out.send((t, k)) {
                            break;
                        }
                    }
                    Ok(())
                },
                |item| {
                    got.push(item);
                    Ok(())
                },
                |_| false,
            )
            .unwrap();
            assert_eq!(got, expected, "{threads} threads");
            assert_eq!(
                end,
                StreamEnd {
                    done: 20,
                    stopped: false
                }
            );
        }
    }

    /// Stopping after the 10th item: tasks 0..=4 hold 0+1+2+3+4 = 10 items,
    /// so the stop comes after task 4's last item but before its channel is
    /// seen closed: 4 tasks are known done, and task 4 is the unfinished one
    /// (of which a prefix, here all, was consumed).
    #[test]
    fn a_stop_ends_the_stream_and_counts_the_finished_tasks() {
        let seen = std::cell::Cell::new(0);
        let end = ordered_stream(
            (0..20).collect(),
            sizes(2),
            |t: usize, out: &mut Out<'_, usize, ()>| {
                for k in 0..t {
                    if !out.send(k) {
                        break;
                    }
                }
                Ok(())
            },
            |_| {
                seen.set(seen.get() + 1);
                Ok(())
            },
            |_| seen.get() >= 10,
        )
        .unwrap();
        assert_eq!(seen.get(), 10);
        assert_eq!(
            end,
            StreamEnd {
                done: 4,
                stopped: true
            }
        );
    }

    #[test]
    fn a_task_error_ends_the_stream() {
        let err = ordered_stream(
            (0..50).collect(),
            sizes(2),
            |t: usize, out: &mut Out<'_, usize, String>| {
                if t == 7 {
                    return Err(format!("task {t}"));
                }
                out.send(t);
                Ok(())
            },
            |_| Ok(()),
            |_| false,
        )
        .unwrap_err();
        assert_eq!(err, "task 7");
    }
}
