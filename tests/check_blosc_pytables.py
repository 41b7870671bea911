#!/usr/bin/python3
"""PyTables <-> cpet interop for the compression filters (blosc 32001, lzo 305, zlib).

usage: check_blosc_pytables.py TEST_FILTER_ROUNDTRIP_BINARY

1. The C test writes filter_interop.h5 (`--write`); PyTables 3.7 reads every dataset,
   compares the values and the filters it reports (complib, complevel, shuffle, fletcher32).
2. PyTables writes py_interop.h5 with the same data and every complib it supports; the C test
   reads it back through cpet's filters (`--read-pytables`).
The data formulas must match f64_at()/row_at() in test_filter_roundtrip.c.
Exit status 0 on success; prints "interop ok".
"""
import subprocess
import sys

import numpy as np
import tables

ROWS, COLS, NROWS = 300, 70, 5000
LIBS = ["zlib", "blosc", "blosc:blosclz", "blosc:lz4", "blosc:lz4hc", "blosc:snappy",
        "blosc:zlib", "blosc:zstd", "lzo"]


def f64_data():
    i = np.arange(ROWS * COLS)
    return (((i // 4) % 13) * 0.5 + (i // 1000)).astype("f8").reshape(ROWS, COLS)


def table_data():
    i = np.arange(NROWS)
    rec = np.zeros(NROWS, dtype=[("idx", "<i4"), ("name", "S12"), ("value", "<f8")])
    rec["idx"] = i // 4
    rec["value"] = (i % 8) * 0.125
    rec["name"] = [("run_%05d" % (k // 8)).encode() for k in i]
    return rec


def main():
    binary = sys.argv[1]
    failures = []
    f64, tab = f64_data(), table_data()

    # 1. C writes, PyTables reads
    subprocess.run([binary, "--write", "filter_interop.h5"], check=True)
    seen = 0
    with tables.open_file("filter_interop.h5", "r") as h5:
        for idx, lib in enumerate(LIBS):
            key = lib.replace(":", "_")
            if "/arr_" + key not in h5:
                continue
            seen += 1
            arr = h5.get_node("/arr_" + key)
            if not np.array_equal(arr.read(), f64):
                failures.append("arr_%s: values differ" % key)
            flt = arr.filters
            want = (lib, 9, True, bool(idx % 2))
            got = (flt.complib, flt.complevel, flt.shuffle, flt.fletcher32)
            if got != want:
                failures.append("arr_%s: PyTables reports filters %r, wanted %r" % (key, got, want))
            t = h5.get_node("/tab_" + key).read()
            for col in ("idx", "name", "value"):
                if not np.array_equal(t[col], tab[col]):
                    failures.append("tab_%s: column %s differs" % (key, col))
    if seen < 2:
        failures.append("filter_interop.h5 holds only %d complibs" % seen)

    # 2. PyTables writes, C reads
    with tables.open_file("py_interop.h5", "w") as h5:
        for lib in LIBS:
            base, _, codec = lib.partition(":")
            if tables.which_lib_version(base) is None:
                continue
            if codec and codec not in tables.filters.blosc_compressor_list():
                continue
            key = lib.replace(":", "_")
            flt = tables.Filters(complevel=9, complib=lib, shuffle=True)
            h5.create_carray("/", "arr_" + key, obj=f64, chunkshape=(64, 32), filters=flt)
            t = h5.create_table("/", "tab_" + key, description=tab.dtype, filters=flt,
                                chunkshape=(1000,))
            t.append(tab)
    rc = subprocess.run([binary, "--read-pytables", "py_interop.h5"]).returncode
    if rc != 0:
        failures.append("C reader of py_interop.h5 failed (exit %d)" % rc)

    for f in failures:
        print("FAILED:", f)
    if failures:
        return 1
    print("interop ok (%d complibs)" % seen)
    return 0


if __name__ == "__main__":
    sys.exit(main())
