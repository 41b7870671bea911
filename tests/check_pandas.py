"""Loads the pandas_out.h5 that test_pandas_io writes with pandas.read_hdf and checks every
frame/series holds exactly the values the C test put in (fixed and table format)."""
import math
import os
import sys

try:
    import pandas as pd
except ImportError as e:  # pragma: no cover - pandas missing: skip, do not fail
    print("pandas not available:", e)
    sys.exit(0)

path = sys.argv[1] if len(sys.argv) > 1 else "pandas_out.h5"
if not os.path.exists(path):
    print("missing", path)
    sys.exit(1)

fails = 0


def check(cond, what):
    global fails
    if not cond:
        fails += 1
        print("FAILED:", what)


def same(a, b):
    return a == b or (isinstance(a, float) and isinstance(b, float) and math.isnan(a) and math.isnan(b))


for key in ["fixed_frame", "fixed_frame_stridx", "table_frame", "table_frame_stridx"]:
    df = pd.read_hdf(path, key)
    check(list(df.columns) == ["i64", "f64", "i32", "flag", "name"], f"{key} columns {list(df.columns)}")
    check(str(df["i64"].dtype) == "int64" and list(df["i64"]) == [1, -2, 1 << 40], f"{key} i64")
    check(all(same(a, b) for a, b in zip(list(df["f64"]), [0.5, float("nan"), -1e300])), f"{key} f64")
    check(str(df["i32"].dtype) == "int32" and list(df["i32"]) == [7, 8, 9], f"{key} i32")
    check(str(df["flag"].dtype) == "bool" and list(df["flag"]) == [True, False, True], f"{key} flag")
    check(list(df["name"]) == ["ann", "b\u00f6b", ""], f"{key} name {list(df['name'])}")
    if key.endswith("stridx"):
        check(list(df.index) == ["r1", "r2", "r3"] and df.index.name is None, f"{key} index")
    else:
        check(list(df.index) == [10, 20, 30] and df.index.name == "key", f"{key} index {df.index}")

for key in ["fixed_series", "fixed_series_unnamed", "table_series", "table_series_unnamed"]:
    s = pd.read_hdf(path, key)
    check(isinstance(s, pd.Series), f"{key} is a Series")
    check(str(s.dtype) == "int16" and list(s) == [1, 2, 3, -4], f"{key} values {list(s)}")
    check(s.name == (None if key.endswith("unnamed") else "counts"), f"{key} name {s.name}")
    check(list(s.index) == [0, 1, 2, 3], f"{key} index")

print("check_pandas:", "OK" if not fails else f"{fails} failures")
sys.exit(1 if fails else 0)
