"""Ctrl-C (simulated with _thread.interrupt_main) during long runs: the
wait must end with KeyboardInterrupt at once, and the run's thread must stop
soon after rather than run on to its end in the background.

The networks are random and wide but fixed by their seeds, so each run is
long for a reason outside the code under test: a first layer of 100 or 150
lines in general position cuts the square into thousands of cells. Measured
uninterrupted on a shared 2-core machine: the certified count of the
[100, 100] net takes about 15 s, the graph of the [150, 150] net 13 s,
sampling 2 x 10^6 points of the [100, 100] net about 30 s (10^6 took 16 s)
and its exact sample (the areas of its regions) 52 s.
A run that ignored the stop would still be going at STOP_WAIT."""

import _thread
import contextlib
import signal
import threading
import time

import pytest
import regionwalk as rw
from conftest import random_net
from regionwalk import _native

# When the simulated Ctrl-C comes: well inside every run above.
INTERRUPT_AFTER = 0.3
# How long a stopped run may take to end: a walk looks at its stop flag
# between regions and every 1024 expansions, which takes well under a
# second here (0.02-0.9 s measured); the rest is margin for a loaded CI.
STOP_WAIT = 5.0


def no_jobs_within(seconds):
    """Whether every background job has ended within ``seconds``."""
    start = time.perf_counter()
    while _native.running_jobs() and time.perf_counter() - start < seconds:
        time.sleep(0.01)
    return _native.running_jobs() == 0


@contextlib.contextmanager
def python_sigint():
    """Python's own SIGINT handler while the block runs. A process started
    in the background by a non-interactive shell (as a CI runner may start
    it) inherits SIGINT ignored; Python then installs no handler, and
    `interrupt_main` does nothing. Ctrl-C at a terminal always meets
    Python's handler, so the tests install it."""
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


def interrupted(run, after=INTERRUPT_AFTER):
    """Runs ``run()`` with a Ctrl-C after ``after`` seconds; returns how long
    the KeyboardInterrupt took to come."""
    # Iterators that earlier tests dropped stop their walks at their next
    # region: let them.
    assert no_jobs_within(STOP_WAIT)
    timer = threading.Timer(after, _thread.interrupt_main)
    start = time.perf_counter()
    with python_sigint():
        timer.start()
        with pytest.raises(KeyboardInterrupt):
            run()
        raised = time.perf_counter() - start
        timer.join()
    assert no_jobs_within(STOP_WAIT), f"the run went on for more than {STOP_WAIT} s after Ctrl-C"
    return raised


def test_ctrl_c_stops_a_certified_count():
    net = random_net([100, 100], seed=5)
    raised = interrupted(lambda: rw.count(net, box=[-1, 1], certify=True))
    assert raised < INTERRUPT_AFTER + 1.0


def test_ctrl_c_stops_a_graph():
    net = random_net([150, 150], seed=5)
    raised = interrupted(lambda: rw.graph(net, box=[-1, 1]))
    assert raised < INTERRUPT_AFTER + 1.0


def test_ctrl_c_stops_a_sample():
    net = random_net([100, 100], seed=5)
    raised = interrupted(lambda: rw.sample(net, box=[-1, 1], samples=2 * 10**6, seed=1))
    assert raised < INTERRUPT_AFTER + 1.0


def test_ctrl_c_stops_the_exact_volumes_of_a_sample():
    # The walk of the [100, 100] net takes under a second, the exact areas
    # of its 6,538 regions about 50 s: a Ctrl-C after 2 s comes while the
    # areas are computed (or, on a slow machine, during the walk).
    net = random_net([100, 100], seed=5)
    raised = interrupted(lambda: rw.sample(net, box=[-1, 1], samples=100, seed=1, exact=True), after=2.0)
    assert raised < 2.0 + 1.0


def test_ctrl_c_stops_a_loop_over_exact_regions():
    # The exact walk of the [100, 100] net hands over its 6,538 regions
    # (its count) in about 15 s; the loop ends with the KeyboardInterrupt (in the wait or
    # in the loop's own code), and the walk stops once the iterator is
    # closed (by the wait) or dropped (here).
    net = random_net([100, 100], seed=5)
    assert no_jobs_within(STOP_WAIT)
    seen = []

    def loop():
        it = rw.regions(net, box=[-1, 1], exact=True)
        seen.append(it)
        for _ in it:
            pass

    interrupted_at = time.perf_counter()
    timer = threading.Timer(INTERRUPT_AFTER, _thread.interrupt_main)
    with python_sigint():
        timer.start()
        with pytest.raises(KeyboardInterrupt):
            loop()
        timer.join()
    assert time.perf_counter() - interrupted_at < INTERRUPT_AFTER + 1.0
    it = seen.pop()
    produced = it.produced
    assert produced < 6538
    del it
    assert no_jobs_within(STOP_WAIT)
