#!/usr/bin/python3
"""Compares `cpet dump FIXTURE --json` with the fixture's JSON (what pypet reads).

usage: compare_dump.py CPET_BIN FIXTURE.hdf5 [more.hdf5 ...]
Reports every differing JSON path; exit 0 only if all files match. Floats compare with a tiny
relative tolerance; bools never equal numbers; dict key order is ignored, list order is not.
"""
import json
import math
import os
import subprocess
import sys

REL = 1e-12


def is_num(x):
    return isinstance(x, (int, float)) and not isinstance(x, bool)


def compare(a, b, path, out):
    """a: cpet's JSON, b: the fixture's JSON."""
    if is_num(a) and is_num(b):
        if isinstance(a, int) and isinstance(b, int):
            if a != b:
                out.append(f"{path}: {a!r} != expected {b!r}")
        elif not (a == b or abs(a - b) <= REL * max(abs(a), abs(b))):
            out.append(f"{path}: {a!r} != expected {b!r}")
        return
    if type(a) is not type(b):
        out.append(f"{path}: type {type(a).__name__} {short(a)} != expected "
                   f"{type(b).__name__} {short(b)}")
        return
    if isinstance(a, dict):
        for k in b:
            if k not in a:
                out.append(f"{path}.{k}: missing (expected {short(b[k])})")
        for k in a:
            if k not in b:
                out.append(f"{path}.{k}: unexpected {short(a[k])}")
        for k in a:
            if k in b:
                compare(a[k], b[k], f"{path}.{k}", out)
    elif isinstance(a, list):
        if len(a) != len(b):
            out.append(f"{path}: length {len(a)} != expected {len(b)}")
        for i, (x, y) in enumerate(zip(a, b)):
            compare(x, y, f"{path}[{i}]", out)
    elif a != b:
        out.append(f"{path}: {short(a)} != expected {short(b)}")


def short(x):
    s = json.dumps(x, ensure_ascii=False)
    return s if len(s) < 120 else s[:117] + "..."


def main():
    if len(sys.argv) < 3:
        print(__doc__)
        return 1
    cpet = os.path.join(sys.argv[1], "cpet")
    bad = 0
    for h5 in sys.argv[2:]:
        want = json.load(open(os.path.splitext(h5)[0] + ".json", encoding="utf-8"))
        p = subprocess.run([cpet, "dump", h5, "--json"], capture_output=True)
        if p.returncode != 0:
            print(f"{h5}: cpet dump failed ({p.returncode}): {p.stderr.decode(errors='replace')}")
            bad += 1
            continue
        got = json.loads(p.stdout.decode("utf-8"))
        out = []
        compare(got, want, "$", out)
        for line in out:
            print(f"{os.path.basename(h5)}: {line}")
        print(f"{os.path.basename(h5)}: {len(out)} differences")
        bad += bool(out)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
