//! Independent tasks run on worker threads, their items handed to one
//! consumer in task order, with memory bounded by a window of tasks in
//! flight and a bounded channel per task; a task may split off its last
//! part to a worker that has nothing to do.
//!
//! Workers claim tasks in order, and never more than `window` tasks past
//! the one being consumed; each streams its items into its own channel in
//! batches of up to `capacity` items, and waits when a batch is waiting
//! already (backpressure). So at most `window × (BATCHES_WAITING + 1) ×
//! capacity` items of tasks wait at
//! any time, whatever the number of items per task, and the consumer sees
//! them in the order a single thread would. Batches, not single items, cross
//! threads: a send per item cost a wake-up of the consumer per region, about
//! a sixth of a one-thread walk of ACAS Xu N1,1 (context switches and lock
//! contention in a profile).
//!
//! **Parts.** A walk's subtrees are uneven: most hold a handful of regions,
//! a few thousands. At the end of a run, or when the window holds a
//! worker back, one thread walked a large subtree while the other waited.
//! So a running task asks [`Out::idle_worker`], and may hand its last part
//! (for a walk, the bottom of its depth-first stack: the siblings nearest
//! the root, whose regions come after all the others it holds) to the
//! waiting worker with [`Out::split_off`]. The part streams into a channel
//! of its own; the task, when done, sends that channel to the consumer
//! after its last items (`Then`), so the consumer reads the part's items
//! next: the order is the one a single thread gives. A task split twice
//! hands its later part the earlier part's channel first: the parts chain
//! in order. Parts are only handed to a worker already waiting, one each,
//! and taken before new tasks; so every part is being run, and the task
//! being consumed, with all its parts, is always being run or done.
//! Workers wait only on the consumer or for work, so the scheme cannot
//! deadlock. Parts not yet consumed are at most `window` too, so at most
//! twice as many items wait as without parts.

use std::collections::VecDeque;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering::Relaxed};
use std::sync::mpsc::{sync_channel, Receiver, SyncSender, TryRecvError, TrySendError};
use std::sync::{Condvar, Mutex, MutexGuard};
use std::time::Duration;

/// Batches a task's channel holds before its worker waits. A worker that
/// runs ahead of the task being consumed can finish a task of up to
/// `(BATCHES_WAITING + 1) × capacity` items and go on to the next. With one
/// batch, any task of more than two batches stalled its worker until the
/// consumer reached it: two threads walked ACAS Xu N1,1 prop 3 only 1.34×
/// faster than one; with 32 (and a window of 8 tasks per thread) 1.84×, at
/// a peak of 44 MB against 18 MB for one thread (idle machine, same run).
const BATCHES_WAITING: usize = 32;

/// How long the consumer sleeps when no item is ready, unless a worker
/// wakes it: how often it asks whether to stop, and how long a finished
/// item may wait to be handed out. The consumer does not sleep in the
/// channel's receive, where every batch sent would wake it (and on two
/// cores a woken consumer preempts a worker); a worker wakes it only where
/// it would otherwise wait for it: the window full, its channel full, or
/// nothing left to run. Two threads on ACAS Xu N1,1 prop 3, same run:
/// 4,200–4,600 context switches before, 730 after, 2% less CPU time.
const NAP: Duration = Duration::from_millis(5);

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

/// What a task's (or part's) channel carries.
enum Message<I, E> {
    /// Items, in order.
    Items(Vec<I>),
    /// The channel of the part that comes next; the last message.
    Then(Receiver<Message<I, E>>),
    /// The task's error; the last message.
    Failed(E),
}

/// Where a task sends its items.
type Sender<I, E> = SyncSender<Message<I, E>>;

/// Work for a worker: a task's index, the task, its channel, and the
/// channel of the part that comes after it (if it is a part split off a
/// task that was split before).
type Job<T, I, E> = (usize, T, Sender<I, E>, Option<Receiver<Message<I, E>>>);

/// What the workers and the consumer share.
struct Shared<T, I, E> {
    queue: Mutex<Queue<T, I, E>>,
    /// Signalled when a task is consumed, a part is handed out, or the
    /// stream ends.
    ready: Condvar,
    /// Set when the stream is over.
    quit: AtomicBool,
    /// The consumer's thread, woken by a worker about to wait for it.
    consumer: std::thread::Thread,
    /// Workers waiting for work, less the parts handed out and not yet
    /// taken: how many more parts a running task may hand out. Read without
    /// the lock by running tasks, changed under it.
    wanted: AtomicUsize,
    window: usize,
}

/// The tasks not yet claimed, the parts not yet taken, and the counts.
struct Queue<T, I, E> {
    tasks: VecDeque<Job<T, I, E>>,
    parts: Vec<Job<T, I, E>>,
    /// Tasks consumed so far.
    consumed: usize,
    /// Workers running a task or a part (which may yet split).
    running: usize,
    /// Workers waiting for work.
    waiting: usize,
    /// Parts handed out whose items are not all consumed; at most the
    /// window, so the parts count as tasks in flight in the memory bound.
    parts_live: usize,
}

impl<T, I, E> Shared<T, I, E> {
    /// Sends `message` on `tx`, waking the consumer first if the channel
    /// is full (the worker then waits for it); false when the consumer is
    /// gone.
    fn send(&self, tx: &Sender<I, E>, message: Message<I, E>) -> bool {
        match tx.try_send(message) {
            Ok(()) => true,
            Err(TrySendError::Full(message)) => {
                self.consumer.unpark();
                tx.send(message).is_ok()
            }
            Err(TrySendError::Disconnected(_)) => false,
        }
    }

    fn lock(&self) -> MutexGuard<'_, Queue<T, I, E>> {
        self.queue.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Keeps `wanted` equal to the workers waiting less the parts untaken.
    fn update_wanted(&self, q: &Queue<T, I, E>) {
        self.wanted
            .store(q.waiting.saturating_sub(q.parts.len()), Relaxed);
    }
}

/// Where a task's worker sends its items.
pub(crate) struct Out<'a, T, I, E> {
    tx: Sender<I, E>,
    /// The task's index.
    index: usize,
    /// The channel of the part that comes after this task's own items.
    then: Option<Receiver<Message<I, E>>>,
    shared: &'a Shared<T, I, E>,
    /// The batch being filled.
    batch: Vec<I>,
    capacity: usize,
}

impl<T, I, E> Out<'_, T, I, E> {
    /// Sends `item` (in a batch); false when the stream is over (stopped,
    /// or failed) and the task should return.
    pub fn send(&mut self, item: I) -> bool {
        if self.shared.quit.load(Relaxed) {
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
        self.shared.send(&self.tx, Message::Items(batch))
    }

    /// Whether the stream still wants items.
    pub fn live(&self) -> bool {
        !self.shared.quit.load(Relaxed)
    }

    /// Whether a worker waits for work that [`Out::split_off`] would give
    /// it. Cheap: one load, for asking often.
    pub fn idle_worker(&self) -> bool {
        self.shared.wanted.load(Relaxed) > 0
    }

    /// Hands `part`, whose items come after all those this task still
    /// sends, to a waiting worker; gives it back when no worker waits.
    pub fn split_off(&mut self, part: T) -> Result<(), T> {
        let mut q = self.shared.lock();
        if q.waiting <= q.parts.len()
            || q.parts_live >= self.shared.window
            || self.shared.quit.load(Relaxed)
        {
            return Err(part);
        }
        q.parts_live += 1;
        let (tx, rx) = sync_channel(BATCHES_WAITING);
        let after = self.then.replace(rx);
        q.parts.push((self.index, part, tx, after));
        self.shared.update_wanted(&q);
        drop(q);
        self.shared.ready.notify_all();
        Ok(())
    }

    /// Ends the task: its last batch, then its error or the channel of the
    /// part after it.
    fn finish(mut self, result: Result<(), E>) {
        // The consumer may be gone already; then none of it matters.
        if !self.flush() {
            return;
        }
        let last = match result {
            Err(e) => Message::Failed(e),
            Ok(()) => match self.then.take() {
                Some(rx) => Message::Then(rx),
                None => return,
            },
        };
        self.shared.send(&self.tx, last);
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

/// Runs `work` on every task on `sizes.threads` threads and hands the items
/// to `consume` in task order. `stop` is asked, with the number of tasks
/// done so far, after every item and while waiting; when it says so the
/// stream ends early (with `stopped`). A task's
/// error, or the consumer's, ends the stream and is returned. `work` is
/// given the index of the task (or of the task a part was split off).
pub(crate) fn ordered_stream<T, I, E>(
    tasks: Vec<T>,
    sizes: StreamSizes,
    work: impl Fn(usize, T, &mut Out<'_, T, I, E>) -> Result<(), E> + Sync,
    mut consume: impl FnMut(I) -> Result<(), E>,
    mut stop: impl FnMut(usize) -> bool,
) -> Result<StreamEnd, E>
where
    T: Send,
    I: Send,
    E: Send,
{
    let mut receivers = Vec::with_capacity(tasks.len());
    let mut queue = VecDeque::with_capacity(tasks.len());
    for (i, task) in tasks.into_iter().enumerate() {
        let (tx, rx) = sync_channel(BATCHES_WAITING);
        receivers.push(rx);
        queue.push_back((i, task, tx, None));
    }
    let shared = Shared {
        queue: Mutex::new(Queue {
            tasks: queue,
            parts: Vec::new(),
            consumed: 0,
            running: 0,
            waiting: 0,
            parts_live: 0,
        }),
        ready: Condvar::new(),
        quit: AtomicBool::new(false),
        consumer: std::thread::current(),
        wanted: AtomicUsize::new(0),
        window: sizes.window.max(1),
    };
    std::thread::scope(|scope| {
        for _ in 0..sizes.threads.max(1) {
            scope.spawn(|| worker(&shared, sizes.capacity.max(1), &work));
        }
        let end = consumer(receivers, &shared, &mut consume, &mut stop);
        shared.quit.store(true, Relaxed);
        // Under the lock, so a worker between its look at `quit` and its
        // wait cannot miss the wake-up.
        drop(shared.lock());
        shared.ready.notify_all();
        end
    })
}

/// A worker: takes a part handed out, or claims the next task while the
/// window allows, and runs it; returns when nothing is left to run or
/// split, or the stream is over.
fn worker<T, I, E>(
    shared: &Shared<T, I, E>,
    capacity: usize,
    work: &(impl Fn(usize, T, &mut Out<'_, T, I, E>) -> Result<(), E> + Sync),
) {
    loop {
        let (index, task, tx, then) = {
            let mut q = shared.lock();
            loop {
                if shared.quit.load(Relaxed) {
                    return;
                }
                if let Some(part) = q.parts.pop() {
                    q.running += 1;
                    shared.update_wanted(&q);
                    break part;
                }
                match q.tasks.front() {
                    Some((i, ..)) if *i < q.consumed + shared.window => {
                        q.running += 1;
                        break q.tasks.pop_front().expect("checked above");
                    }
                    // Nothing left to claim, and nobody left to split.
                    None if q.running == 0 => {
                        drop(q);
                        shared.ready.notify_all();
                        // The last items wait for the consumer.
                        shared.consumer.unpark();
                        return;
                    }
                    _ => {
                        q.waiting += 1;
                        shared.update_wanted(&q);
                        // The window may be waiting for the consumer.
                        shared.consumer.unpark();
                        q = shared.ready.wait(q).unwrap_or_else(|e| e.into_inner());
                        q.waiting -= 1;
                        shared.update_wanted(&q);
                    }
                }
            }
        };
        let mut out = Out {
            tx,
            index,
            then,
            shared,
            batch: Vec::with_capacity(capacity),
            capacity,
        };
        let result = work(index, task, &mut out);
        out.finish(result);
        let mut q = shared.lock();
        q.running -= 1;
        if q.running == 0 && q.tasks.is_empty() {
            drop(q);
            shared.ready.notify_all();
        }
    }
}

/// The consumer: drains the tasks' channels in order, each followed by
/// the channels of its parts. Dropping the receivers on the way out frees
/// any worker waiting to send.
fn consumer<T, I, E>(
    receivers: Vec<Receiver<Message<I, E>>>,
    shared: &Shared<T, I, E>,
    consume: &mut impl FnMut(I) -> Result<(), E>,
    stop: &mut impl FnMut(usize) -> bool,
) -> Result<StreamEnd, E> {
    let tasks = receivers.len();
    for (done, mut rx) in receivers.into_iter().enumerate() {
        // Whether `rx` is a part's channel (every one after the task's own).
        let mut part = false;
        loop {
            if stop(done) {
                return Ok(StreamEnd {
                    done,
                    stopped: true,
                });
            }
            match rx.try_recv() {
                Ok(Message::Items(batch)) => {
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
                Ok(Message::Then(next)) => {
                    if part {
                        shared.lock().parts_live -= 1;
                    }
                    part = true;
                    rx = next;
                }
                Ok(Message::Failed(e)) => return Err(e),
                Err(TryRecvError::Empty) => std::thread::park_timeout(NAP),
                Err(TryRecvError::Disconnected) => break,
            }
        }
        let mut q = shared.lock();
        q.consumed = done + 1;
        q.parts_live -= usize::from(part);
        drop(q);
        shared.ready.notify_all();
    }
    Ok(StreamEnd {
        done: tasks,
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
                |_, t: usize, out: &mut Out<'_, usize, (usize, usize), ()>| {
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
            |_, t: usize, out: &mut Out<'_, usize, usize, ()>| {
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

    /// A task is a range of numbers to send in order; while a worker
    /// waits, a running task hands the upper half of what it has left to
    /// it as a part. The consumer must see 0..N in order whatever the
    /// splits, and with more than one thread splits must happen: there are
    /// fewer tasks than threads, so workers wait from the start (each task
    /// waits, up to a few seconds, for a worker to wait before it starts).
    /// A part may split again, and a task may split twice, so parts chain.
    #[test]
    fn parts_split_off_keep_the_order() {
        use std::sync::atomic::AtomicUsize;
        use std::time::Instant;
        const N: usize = 20_000;
        for threads in 1..=4 {
            let splits = AtomicUsize::new(0);
            let mut got = Vec::with_capacity(N);
            let tasks = vec![(0, N / 2), (N / 2, N)];
            let end = ordered_stream(
                tasks,
                StreamSizes {
                    threads,
                    window: 1,
                    capacity: 7,
                },
                |_, (lo, mut hi): (usize, usize), out: &mut Out<'_, (usize, usize), usize, ()>| {
                    let began = Instant::now();
                    while threads > 1
                        && lo == 0
                        && !out.idle_worker()
                        && began.elapsed() < Duration::from_secs(5)
                    {
                        std::thread::yield_now();
                    }
                    let mut k = lo;
                    while k < hi {
                        if hi - k > 64 && out.idle_worker() {
                            let mid = k + (hi - k) / 2;
                            if out.split_off((mid, hi)).is_ok() {
                                splits.fetch_add(1, Relaxed);
                                hi = mid;
                            }
                        }
                        if !out.send(k) {
                            break;
                        }
                        k += 1;
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
            assert_eq!(got, (0..N).collect::<Vec<_>>(), "{threads} threads");
            assert_eq!(
                end,
                StreamEnd {
                    done: 2,
                    stopped: false
                }
            );
            if threads > 1 {
                assert!(splits.load(Relaxed) > 0, "{threads} threads: no split");
            } else {
                assert_eq!(splits.load(Relaxed), 0);
            }
        }
    }

    /// An error in a part ends the stream, after the items before it.
    #[test]
    fn an_error_in_a_part_ends_the_stream() {
        let mut got = Vec::new();
        let err = ordered_stream(
            vec![(0usize, 1000usize, true)],
            StreamSizes {
                threads: 3,
                window: 1,
                capacity: 4,
            },
            |_,
             (lo, mut hi, first): (usize, usize, bool),
             out: &mut Out<'_, (usize, usize, bool), usize, String>| {
                if first {
                    while !out.idle_worker() {
                        std::thread::yield_now();
                    }
                    let _ = out.split_off((500, hi, false)).map(|()| hi = 500);
                } else {
                    return Err(format!("part at {lo}"));
                }
                for k in lo..hi {
                    out.send(k);
                }
                Ok(())
            },
            |item| {
                got.push(item);
                Ok(())
            },
            |_| false,
        )
        .unwrap_err();
        assert_eq!(err, "part at 500");
        assert_eq!(got, (0..500).collect::<Vec<_>>());
    }

    #[test]
    fn a_task_error_ends_the_stream() {
        let err = ordered_stream(
            (0..50).collect(),
            sizes(2),
            |_, t: usize, out: &mut Out<'_, usize, usize, String>| {
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
