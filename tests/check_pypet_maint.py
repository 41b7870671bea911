#!/usr/bin/python3
"""pypet 0.7.0 loads the files the maintenance tests leave behind (run after test_merge,
test_delete and test_shared, from the build's testdirs folder): merged sweeps with their
runs and ranges, a pypet fixture with a deleted result and link, and cpet's shared data
through pypet's SharedResult proxies. Prints 'N passed, N failed'.

usage: PYTHONPATH=<pypet checkout> check_pypet_maint.py TESTDIRS"""
import os
import sys
import warnings

warnings.filterwarnings("ignore")
from pypet import StorageContextManager, load_trajectory  # noqa: E402

passed = failed = 0


def check(cond, what):
    global passed, failed
    if cond:
        passed += 1
    else:
        failed += 1
        print("FAILED:", what)


def load(path, name):
    return load_trajectory(filename=path, name=name, load_all=2, force=True)


d = sys.argv[1]
for fn in ("api.hdf5", "cli.hdf5"):
    t = load(os.path.join(d, "test_merge", fn), "sweep")
    check(len(t) == 9, f"{fn}: 9 runs")
    check(list(t.f_get("parameters.x").f_get_range()) == list(range(9)), f"{fn}: x range")
    for i in range(9):
        info = t.f_get_run_information(i)
        check(info["parameter_summary"] == f"x: {i}", f"{fn}: summary of run {i}")
        check(info["completed"] == 1, f"{fn}: run {i} completed")
        t.v_idx = i
        check(t.results.runs.crun.z == i * i + 0.5, f"{fn}: z of run {i}")
        check(t.derived_parameters.runs.crun.dx == 2 * i, f"{fn}: dx of run {i}")
    t.v_idx = -1
    merges = [k for k in t.config.merge.f_to_dict() if k.endswith(".merged_runs")]
    check(len(merges) == 2, f"{fn}: two merges recorded")

t = load(os.path.join(d, "test_merge", "q.hdf5"), "queue_purge")
check(len(t) == 12, "fixture merge: 12 runs")
check(list(t.f_get("parameters.y").f_get_range()) == [0.25, 0.75] * 6, "fixture merge: y range")
t.v_idx = 9
check(t.results.runs.crun.alpha == 2.75, "fixture merge: alpha of run 9")

t = load(os.path.join(d, "test_merge", "same.hdf5"), "ta")
check(len(t) == 4 and list(t.f_get("x").f_get_range()) == [0, 1, 2, 3], "same-file merge")

t = load(os.path.join(d, "test_delete", "del_fixture.hdf5"), "linked")
check("energy" not in t.results.analysis, "deleted result gone")
check("mass_link" not in t.results.analysis, "deleted link gone")
check(t.parameters.physics.mass is not None, "mass kept")

t = load(os.path.join(d, "test_shared", "shared.hdf5"), "sh")
r = t.f_get("results.shared")
check(type(r).__name__ == "SharedResult", "SharedResult class")
with StorageContextManager(t):
    rows = r.tab.read()
    check(list(rows["a"]) == [100, 2, 50, 11, 12], "shared table column a")
    check(list(rows["b"][3:]) == [-1.0, -2.0], "shared table column b")
    check(r.earr.read().shape == (5, 3), "shared earray rows")
    check([list(x) for x in r.vl[0:2]] == [[1, 2, 3], [6, 7]], "shared vlarray rows")
    check(list(r.carr.read()) == [1.0, 9.0, 9.0, 4.0], "shared carray")
    check(list(r.frame.read()["f"]) == [1.5, 2.5, 3.5], "shared pandas frame")
print(f"{passed} passed, {failed} failed")
