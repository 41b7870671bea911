"""Loads a file written by tests/pypet_sample_writer.c with pypet 0.7.0's
load_trajectory(load_all=2, force=True) and compares what pypet finds with what cpet wrote.

Usage: PYTHONPATH=<pypet checkout> python3 check_pypet_load.py FILE
Prints 'N passed, N failed' and exits non-zero on any failure."""
import sys
import warnings

import numpy as np

warnings.filterwarnings("ignore")

from pypet import load_trajectory  # noqa: E402

passed = 0
failed = 0


def check(cond, what):
    global passed, failed
    if cond:
        passed += 1
    else:
        failed += 1
        print("FAILED:", what)


def same(a, b):
    """Equal values of equal Python/numpy types."""
    if type(a) is not type(b):
        return False
    if isinstance(a, np.ndarray):
        return a.dtype == b.dtype and a.shape == b.shape and np.array_equal(a, b)
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    if isinstance(a, (list, tuple)):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    return a == b


def main(fn):
    t = load_trajectory(filename=fn, name="interop", load_all=2, force=True)
    check(t.v_name == "interop", "name")
    check(t.v_comment == "written by cpet", "comment %r" % t.v_comment)
    check(len(t) == 4, "length %d" % len(t))
    check(t.v_annotations.f_get("note") == "annotated", "root annotation")
    check(sorted(t.f_get_explored_parameters().keys())
          == ["parameters.sim.x", "parameters.sim.y", "parameters.vec"], "explored names")

    x = t.f_get("parameters.sim.x")
    check(same(x.f_get_default(), 1), "x default %r" % x.f_get_default())
    check(same(list(x.f_get_range()), [1, 2, 3, 4]), "x range %r" % (x.f_get_range(),))
    check(x.v_comment == "x axis", "x comment")
    y = t.f_get("parameters.sim.y")
    check(same(list(y.f_get_range()), [0.25, 0.75, 0.25, 0.75]), "y range")
    vec = t.f_get("parameters.vec")
    check(type(vec).__name__ == "ArrayParameter", "vec class")
    a, b = np.array([1.0, 2, 3]), np.array([4.0, 5, 6])
    rng = vec.f_get_range()
    check(len(rng) == 4 and all(same(r, e) for r, e in zip(rng, [a, b, a, b])), "vec range")
    check(same(t.f_get("parameters.label").f_get(), "label"), "label")
    check(t.f_get("parameters.sim").v_comment == "simulation", "group comment")
    check(t.f_get("config.hdf5.complevel").v_comment
          == "Compression Level (0 no compression to 9 highest compression)", "config comment")
    check(t.f_get("config.hdf5").v_comment
          == "Settings for the standard HDF5 storage service", "config.hdf5 comment")

    for i in range(4):
        info = t.f_get_run_information(i)
        check(info["completed"] == 1, "run %d completed" % i)
        check(info["timestamp"] == 1700000000.0 + i, "run %d timestamp" % i)
        check(info["runtime"] == "0:00:00.250000", "run %d runtime" % i)
        run = "run_%08d" % i
        z = t.f_get("results.runs.%s.z" % run)
        check(same(z.f_get(), i * 1.5), "z of %s" % run)
        # purge_duplicate_comments: the shared comment sits on the lowest run only
        check(z.v_comment == ("shared comment" if i == 0 else ""), "z comment of %s: %r"
              % (run, z.v_comment))
        w = t.f_get("results.runs.%s.w" % run).f_get()
        check(same(w, np.array([float(i), 1, 2, 3])), "w of %s" % run)
        d = t.f_get("derived_parameters.runs.%s.twice" % run)
        check(same(d.f_get(), 2 * i), "twice of %s" % run)

    s = t.f_get("results.values.scalars")
    check(s.v_comment == "scalars \u2603", "unicode comment")
    expect = {"py_int": -5000000000, "py_float": 3.25, "py_bool": True,
              "py_complex": complex(1.5, -2.0), "py_str": "h\u00e9llo", "py_bytes": b"raw",
              "int16": np.int16(-300), "uint32": np.uint32(4000000000),
              "float32": np.float32(0.5)}
    for k, e in expect.items():
        got = s.f_get(k)
        check(same(got, e), "scalar %s: %r (%s)" % (k, got, type(got).__name__))

    c = t.f_get("results.values.containers")
    m = np.array([[1, 2, 3], [4, 5, 6]], dtype=np.int32)
    check(same(c.f_get("matrix23"), m), "matrix23")
    check(same(c.f_get("earray"), m), "earray")
    check(same(c.f_get("int_list"), [10, 20, 30, 40]), "int_list %r" % (c.f_get("int_list"),))
    check(same(c.f_get("float_tuple"), (0.5, 1.5, 2.5)), "float_tuple")
    check(same(c.f_get("dict"), {"a": 7, "b": "text"}), "dict %r" % (c.f_get("dict"),))
    tab = c.f_get("table")
    check(list(tab["n"]) == [10, 20, 30] and list(tab["f"]) == [0.5, 1.5, 2.5], "table")

    check(t.f_get("results.links.to_x") is x, "link to a leaf")
    check(t.f_get("results.links.to_sim") is t.f_get("parameters.sim"), "link to a group")
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
