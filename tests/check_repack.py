#!/usr/bin/python3
"""`cpet repack` keeps everything pypet reads: repacks every fixture (as is, and to blosc:lz4)
and compares `cpet dump --json` of the copy with the fixture's JSON.

usage: check_repack.py CPET_BIN WORKDIR FIXTURE.hdf5 [...]
Only the settings the repack changes on purpose may differ (file name; complib/complevel in
hdf5_settings and config.hdf5.*).
"""
import json
import os
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from compare_dump import compare  # noqa: E402

CHANGED = {"complib", "complevel"}


def drop_settings(doc):
    for t in doc["trajectories"].values():
        for k in CHANGED:
            t["hdf5_settings"].pop(k, None)
            t["leaves"].pop("config.hdf5." + k, None)


def main():
    cpet = os.path.join(sys.argv[1], "cpet")
    work = sys.argv[2]
    os.makedirs(work, exist_ok=True)
    bad = 0
    for h5 in sys.argv[3:]:
        stem = os.path.splitext(os.path.basename(h5))[0]
        want = json.load(open(os.path.splitext(h5)[0] + ".json", encoding="utf-8"))
        for variant, extra in (("same", []), ("lz4", ["--complib", "blosc:lz4", "--complevel", "5"])):
            out = os.path.join(work, f"{stem}_{variant}.hdf5")
            if os.path.exists(out):
                os.remove(out)
            p = subprocess.run([cpet, "repack", h5, out] + extra, capture_output=True)
            if p.returncode != 0:
                print(f"{stem}/{variant}: repack failed: {p.stderr.decode(errors='replace')}")
                bad += 1
                continue
            p = subprocess.run([cpet, "dump", out, "--json"], capture_output=True)
            if p.returncode != 0:
                print(f"{stem}/{variant}: dump failed: {p.stderr.decode(errors='replace')}")
                bad += 1
                continue
            got = json.loads(p.stdout.decode("utf-8"))
            exp = json.loads(json.dumps(want))
            got["file"] = exp["file"]
            if variant != "same":
                drop_settings(got)
                drop_settings(exp)
            diffs = []
            compare(got, exp, "$", diffs)
            for d in diffs[:40]:
                print(f"{stem}/{variant}: {d}")
            print(f"{stem}/{variant}: {len(diffs)} differences")
            bad += bool(diffs)
    print(f"{len(sys.argv) - 3 - bad} passed, {bad} failed")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
