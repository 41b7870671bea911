#!/usr/bin/python3
"""pypet 0.7.0 loads cpet-repacked copies of the fixtures with the same values as the
originals: both are loaded with load_trajectory(load_all=2, force=True) and every leaf's data,
comment, annotations and the run information are compared (types included).

usage: PYTHONPATH=<pypet checkout> check_pypet_repack.py ORIGINAL.hdf5 COPY.hdf5 [ORIG COPY ...]
Prints 'N passed, N failed'."""
import sys
import warnings

import numpy as np

warnings.filterwarnings("ignore")
import pandas as pd  # noqa: E402
from pypet import load_trajectory  # noqa: E402
from pypet.storageservice import HDF5StorageService  # noqa: E402

passed = failed = 0


def same(a, b):
    if type(a) is not type(b):
        return False
    if isinstance(a, (pd.DataFrame, pd.Series)):
        return a.equals(b)
    if isinstance(a, np.ndarray):
        return a.dtype == b.dtype and a.shape == b.shape and (
            np.array_equal(a, b, equal_nan=a.dtype.kind in "fc") if a.dtype.kind in "fc"
            else np.array_equal(a, b))
    if hasattr(a, "tocoo") and hasattr(a, "shape"):
        return a.shape == b.shape and a.dtype == b.dtype and (a != b).nnz == 0
    if isinstance(a, (list, tuple)):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    if isinstance(a, float) and a != a:
        return b != b
    try:
        return bool(a == b)
    except Exception:
        return repr(a) == repr(b)


def leaf_data(leaf):
    if hasattr(leaf, "f_get_range") and leaf.v_is_parameter:
        d = {"value": leaf.f_get() if not leaf.f_is_empty() else None}
        if leaf.f_has_range():
            d["range"] = list(leaf.f_get_range())
        return d
    return {k: v for k, v in leaf.f_to_dict().items()} if hasattr(leaf, "f_to_dict") else {}


def compare(orig, copy):
    global passed, failed
    names = HDF5StorageService  # noqa: F841 (import check)
    import tables
    with tables.open_file(orig) as f:
        trajs = sorted(g._v_name for g in f.root._f_iter_nodes("Group"))
    for name in trajs:
        a = load_trajectory(filename=orig, name=name, load_all=2, force=True)
        b = load_trajectory(filename=copy, name=name, load_all=2, force=True)
        la = a.f_to_dict(fast_access=False)
        lb = b.f_to_dict(fast_access=False)
        if set(la) != set(lb):
            failed += 1
            print(f"{name}: leaves differ: {sorted(set(la) ^ set(lb))[:10]}")
            continue
        for k in sorted(la):
            x, y = la[k], lb[k]
            ok = (x.v_comment == y.v_comment and type(x).__name__ == type(y).__name__ and
                  same(leaf_data(x), leaf_data(y)) and
                  same(x.v_annotations.f_to_dict(), y.v_annotations.f_to_dict()))
            if ok:
                passed += 1
            else:
                failed += 1
                print(f"{name}: {k} differs: {leaf_data(x)!r:.200} vs {leaf_data(y)!r:.200}")
        ra, rb = a.f_get_run_information(copy=True), b.f_get_run_information(copy=True)
        if same(ra, rb):
            passed += 1
        else:
            failed += 1
            print(f"{name}: run information differs")


for i in range(1, len(sys.argv) - 1, 2):
    try:
        compare(sys.argv[i], sys.argv[i + 1])
    except Exception as e:  # a load failure is a failure, not a crash of the checker
        failed += 1
        print(f"{sys.argv[i]}: {type(e).__name__}: {e}")
print(f"{passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
