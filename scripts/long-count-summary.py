#!/usr/bin/env python3
"""Summarises a run of scripts/long-count.sh: per segment its regions,
regions per second (wall and CPU), peak memory; the frontier subtrees done;
the subtrees' sizes as far as the 5 s progress lines resolve them; and an
estimate of the total count from the frontier.

The estimate: a finished subtree's end is seen between two progress lines,
so the finished subtrees fall into *units* (one subtree, or several that
ended between the same two lines) of known size. The total is estimated as
frontier x (regions in finished subtrees) / (subtrees finished): the mean
subtree times the frontier. Its spread is shown by a bootstrap over the
units (resampled with replacement, 10,000 times, fixed seed): the 5th and
95th percentiles. Both assume the finished subtrees are like the rest; they
are the first in tree order, one corner of the input box, not a random
sample, and subtree sizes are very uneven, so the estimate is rough.

Usage: scripts/long-count-summary.py WORKDIR
"""
import json
import random
import re
import sys
from pathlib import Path


def time_fields(path):
    text = path.read_text() if path.exists() else ""
    get = lambda pat: (re.search(pat, text) or [None, None])[1]
    rss = get(r"Maximum resident set size \(kbytes\): (\d+)")
    user = get(r"User time \(seconds\): ([\d.]+)")
    return (int(rss) / 1024 if rss else None, float(user) if user else None)


def main(work):
    work = Path(work)
    segments = sorted(int(p.suffix[1:]) for p in work.glob("out.*"))
    base, done, frontier = 0, 0, None
    points = [(0, 0)]  # (cumulative regions, subtrees done)
    print("segment | regions so far | regions in it | wall s | regions/s | CPU s | regions/CPU s | peak RSS MB | subtrees done")
    for seg in segments:
        text = (work / f"out.{seg}").read_text().strip()
        if not text:
            continue  # still running
        out = json.loads(text)
        for line in (work / f"err.{seg}").read_text().splitlines():
            if line.startswith('{"progress"'):
                p = json.loads(line)["progress"]
                frontier = p["frontier"]
                points.append((base + p["regions"], p["subtrees_done"]))
        stopped = out.get("stopped")
        frontier = stopped["frontier"] if stopped else frontier
        done = stopped["subtrees_done"] if stopped else frontier
        points.append((out["regions"], done))
        rss, user = time_fields(work / f"time.{seg}")
        n = out["regions"] - base
        wall = out["seconds"]
        print(f"{seg} | {out['regions']:,} | {n:,} | {wall:.0f} | {n / wall:,.0f} | "
              f"{user or 0:.0f} | {n / user if user else 0:,.0f} | {rss or 0:.1f} | {done} of {frontier}")
        base = out["regions"]
    # Units: subtrees whose ends fall between the same two progress lines.
    units, last_end, last_done = [], 0, 0
    for (r0, d0), (r1, d1) in zip(points, points[1:]):
        if d1 > d0 and d0 >= last_done:
            end = (r0 + r1) / 2 if d1 < frontier else r1
            units.append((d1 - last_done, end - last_end, r1 - r0))
            last_end, last_done = end, d1
    print(f"\nfinished subtrees: {last_done} of {frontier}, holding about {last_end:,.0f} regions")
    print("units (subtrees, regions, +- half the progress step):")
    print("  " + "; ".join(f"{c}: {r:,.0f} (+-{s / 2:,.0f})" for c, r, s in units))
    if not units or not frontier:
        return
    ratio = lambda us: sum(u[1] for u in us) / sum(u[0] for u in us)
    estimate = frontier * ratio(units)
    rng = random.Random(1)
    boot = sorted(frontier * ratio([rng.choice(units) for _ in units]) for _ in range(10000))
    print(f"estimate of the total: {estimate:,.0f} "
          f"(bootstrap 5%-95%: {boot[500]:,.0f} to {boot[9500]:,.0f}); "
          f"regions so far: {base:,}")


if __name__ == "__main__":
    main(sys.argv[1])
