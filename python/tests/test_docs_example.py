"""The worked example of docs/python.md, run as the page writes it.

The page shows the example's code and, below it, what it prints. This test
runs that code block in a fresh interpreter (in a temporary folder, so the
picture it saves lands there) and compares its output with the page's, so
the numbers a reader sees (125 regions, 27 holding data, 232 shared facets)
are what the package prints today, not what it printed once.

Two kinds of line are compared apart from the rest: the three "fullest
regions" lines print float witnesses and slopes rounded to 3 decimals, which
could move in the last digit with another BLAS; for those the point counts
and region ids must match and the numbers must agree within 0.01.
"""

import pathlib
import re
import subprocess
import sys

DOC = pathlib.Path(__file__).resolve().parents[2] / "docs" / "python.md"
FULLEST = re.compile(r"^\s*(\d+) points\s+region (\d+)\s+witness \[(.*)\]\s+output slope \[(.*)\]$")


def worked_example():
    text = DOC.read_text()
    section = text[text.index("## A worked example"):]
    match = re.search(r"```python\n(.*?)```\s*prints\s*```text\n(.*?)```", section, re.S)
    assert match, "docs/python.md: the worked example and its printed output"
    return match.group(1), match.group(2)


def numbers(text):
    return [float(v) for v in text.split()]


def test_the_worked_example_prints_what_the_page_shows(tmp_path):
    code, shown = worked_example()
    (tmp_path / "docs" / "pictures").mkdir(parents=True)
    run = subprocess.run(
        [sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, timeout=600
    )
    assert run.returncode == 0, run.stderr
    printed = run.stdout.splitlines()
    expected = shown.rstrip("\n").splitlines()
    assert len(printed) == len(expected), run.stdout
    for got, want in zip(printed, expected):
        g, w = FULLEST.match(got), FULLEST.match(want)
        if w:
            assert g, (got, want)
            assert g.group(1, 2) == w.group(1, 2), (got, want)
            for k in (3, 4):
                a, b = numbers(g.group(k)), numbers(w.group(k))
                assert len(a) == len(b) and all(abs(x - y) <= 0.01 for x, y in zip(a, b)), (got, want)
        else:
            assert got == want
    assert (tmp_path / "docs" / "pictures" / "python-blobs.png").stat().st_size > 1000
