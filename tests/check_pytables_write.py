"""Reads the leaf data test_write_leaf wrote with PyTables (as pypet does) and h5py.

Usage: check_pytables_write.py <test_write_item binary> <test_write_leaf binary>
Runs the binaries to produce pt_items.h5 / pt_leaves.h5, then checks node classes, PyTables attributes and values.
Prints "pytables write ok" on success."""
import subprocess
import sys
import warnings

import h5py
import numpy as np
import tables

ITEMS, LEAVES = "pt_items.h5", "pt_leaves.h5"
failures = []


def check(cond, what):
    if not cond:
        failures.append(what)
        print("FAILED:", what)


def main():
    subprocess.run([sys.argv[1], ITEMS], check=True, stdout=subprocess.DEVNULL)
    subprocess.run([sys.argv[2], LEAVES], check=True, stdout=subprocess.DEVNULL)
    warnings.simplefilter("ignore")
    with tables.open_file(LEAVES, "r") as f:
        for node in f.walk_nodes("/"):
            if isinstance(node, tables.Leaf):
                node.read()
        check(f.get_node("/sr/m__spsp__").read()[:4] == b"504b", "sparse hex is a zip")

    with tables.open_file(ITEMS, "r") as f:
        # every leaf PyTables finds can be read (what ptdump/ViTables do)
        nleaves = 0
        for node in f.walk_nodes("/"):
            if isinstance(node, tables.Leaf):
                node.read()
                nleaves += 1
        check(nleaves >= 50, "leaves found: %d" % nleaves)

        i = f.get_node("/scalars/i")
        check(type(i).__name__ == "Array", "scalars/i class %s" % type(i).__name__)
        check(i.read() == 42 and i.flavor == "python", "scalars/i = %r" % i.read())
        check(i.attrs.SRVC_STORE == "ARRAY", "SRVC_STORE is str")
        check(i.attrs.SRVC_DATA_SCALAR_TYPE == "int", "SCALAR_TYPE int")
        s = f.get_node("/scalars/s").read()
        check(s == b"a\x00b", "embedded NUL kept: %r" % s)
        c = f.get_node("/scalars/pc").read()
        check(complex(c) == complex(np.frombuffer(bytes([1] + [0] * 15), "<c16")[0]),
              "complex scalar %r" % c)
        check(f.get_node("/scalars/pb").read() == True, "bool scalar")
        check(f.get_node("/scalars/u64").read().dtype == np.uint64, "uint64 scalar dtype")

        check(f.get_node("/sequences/ints").read() == [1, -2, 3], "list ints (python flavor)")
        check(f.get_node("/sequences/tup_str").read() == [b"a", b"bcd"], "tuple of str")
        e = f.get_node("/sequences/empty_dict")
        check(e.read() == [] and e.attrs.SRVC_DATA_COLL_TYPE == "COLL_EMPTY_DICT", "empty dict")
        cl = f.get_node("/sequences/carray_list")
        check(type(cl).__name__ == "CArray", "carray_list is %s" % type(cl).__name__)
        check(list(cl.read()) == [1, -2, 3], "carray_list values")
        check(cl.filters.complevel == 9 and cl.filters.complib == "zlib" and cl.filters.shuffle,
              "carray filters %r" % cl.filters)

        a = f.get_node("/arrays/a2d")
        check(type(a).__name__ == "CArray" and a.chunkshape == (2, 3),
              "a2d %s %r" % (type(a).__name__, a.chunkshape))
        check((a.read() == np.arange(1, 7).reshape(2, 3)).all(), "a2d values")
        ea = f.get_node("/arrays/earray")
        check(type(ea).__name__ == "EArray" and ea.extdim == 0, "earray class")
        check((ea.read() == np.arange(1, 7).reshape(2, 3)).all(), "earray values")
        vl = f.get_node("/arrays/vlarray")
        check(type(vl).__name__ == "VLArray", "vlarray class")
        rows = vl.read()
        check(len(rows) == 1 and list(rows[0]) == [0, 1, 2, 3], "vlarray rows %r" % rows)
        check(list(f.get_node("/arrays/ustr").read()) == [b"abc", b"d"], "unicode array bytes")
        check(f.get_node("/arrays/empty_2d").read().shape == (0, 3), "empty 2-d")

        ot = f.get_node("/tables/ot")
        check(type(ot).__name__ == "Table", "ot is %s" % type(ot).__name__)
        check(ot.colnames == ["arrs", "cplx", "flags", "floats", "ints", "lst", "strs"],
              "ot columns %r" % ot.colnames)
        check(ot.coldtypes["ints"] == np.int32, "Python int column is int32")
        check(ot.coldtypes["strs"] == np.dtype("S4"), "StringCol(4)")
        check(ot.coldtypes["flags"] == np.bool_, "bool column")
        check(ot.coldtypes["cplx"] == np.complex128, "complex column")
        check(ot.coldtypes["arrs"] == np.dtype(("<f8", (2,))), "array column")
        check(list(ot.col("ints")) == [1, 5, -3], "ints wrap like pypet")
        check(list(ot.col("strs")) == [b"a", b"bcd", b"xy"], "strs")
        check(ot.nrows == 3 and ot.filters.complevel == 9, "ot nrows/filters")
        d = f.get_node("/tables/dict")
        check(d.attrs.SRVC_DATA_COLL_TYPE == "COLL_DICT" and d.nrows == 1, "dict table")
        check(list(d.col("v")[0]) == [4, 5, 6] and d.col("s")[0] == b"hello", "dict values")

        w = f.get_node("/split/wide")
        check(w._v_attrs.SPLIT_TABLE == 1 and w._v_attrs.SRVC_STORE == "DICT", "split group")
        check(len(f.get_node("/split/wide/wide").colnames) == 512, "split 512 columns")
        check(f.get_node("/split/wide/wide_1").col("c0599")[0] == 299.5, "split value")
        dt = f.get_node("/split/wide/wide__SRVC_STORE")
        check(dt.nrows == 1200 and dt.attrs.DATATYPE_TABLE == 1, "datatype table")
        check(dt[0]["field_name"] == b"SRVC_COLUMN_c0000_COLL_TYPE", "datatype row 0")

        lv = f.get_node("/nested/level1")
        check(lv._v_attrs.SRVC_STORE == "NESTED_GROUP" and lv._v_title == "level1", "nested")
        check(f.get_node("/nested/level1/level2/value").read() == 3, "nested value")


    with h5py.File(ITEMS, "r") as h:
        check(h["scalars/i"][()] == 42, "h5py scalar")
        check(list(h["tables/ot"]["ints"]) == [1, 5, -3], "h5py table")
        store = h["nested/level1"].attrs["SRVC_STORE"]
        check(getattr(store, "decode", lambda: store)() == "NESTED_GROUP", "h5py utf8 attr")

    if failures:
        print("%d failure(s)" % len(failures))
        sys.exit(1)
    print("pytables write ok")


if __name__ == "__main__":
    main()
