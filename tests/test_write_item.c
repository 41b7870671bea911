/* test_write_item.c - the write side of src/layout, one item at a time: every value type x
 * every applicable flag (ARRAY, CARRAY, EARRAY, VLARRAY, TABLE, DICT, SPLIT_TABLE, nested keys),
 * checked on disk with raw HDF5 calls (rank, shape, type class, SRVC_* and PyTables attributes,
 * table members, filters, element values) and read back through cpet__layout_read_item. With an
 * argument the file is kept under that name (tests/check_pytables_write.py). */
#include "write_check.h"

/* ---- item tests ---- */

static void test_scalars(hid_t g) {
  dsinfo i;
  cpet_value *v = vint(42);
  CHECK_OK(cpet__layout_write_item(g, "i", v, CPET_FLAG_AUTO, &ctx));
  CHECK_ERR(cpet__layout_write_item(g, "i", v, CPET_FLAG_AUTO, &ctx), CPET_ERR_EXISTS);
  CHECK_INT(ds_info(g, "i", &i), 0);
  CHECK_INT(i.rank, 0);
  CHECK_INT(i.cls, H5T_INTEGER);
  CHECK_INT(i.tsize, 8);
  CHECK(!i.chunked);
  int64_t x = 0;
  CHECK_INT(ds_read(g, "i", H5T_NATIVE_INT64, &x), 0);
  CHECK_INT(x, 42);
  CHECK_ATTR(g, "i", "SRVC_STORE", "ARRAY");
  CHECK_ATTR(g, "i", "SRVC_DATA_COLL_TYPE", "COLL_SCALAR");
  CHECK_ATTR(g, "i", "SRVC_DATA_SCALAR_TYPE", "int");
  CHECK_ATTR(g, "i", "CLASS", "ARRAY");
  CHECK_ATTR(g, "i", "VERSION", "2.4");
  CHECK_ATTR(g, "i", "FLAVOR", "python");
  CHECK_ATTR(g, "i", "TITLE", "");
  CHECK_INT(attr_cset(g, "i", "SRVC_STORE"), H5T_CSET_UTF8);
  CHECK_INT(attr_cset(g, "i", "CLASS"), H5T_CSET_UTF8);
  check_rt(g, "i", v, CPET_FLAG_ARRAY);
  cpet_value_free(v);

  /* every scalar type: stored rank 0 with its recorded name */
  struct {
    const char *name;
    cpet_type t;
    const char *tname;
    H5T_class_t cls;
    size_t size;
    const char *flavor;
  } sc[] = {
      {"pb", CPET_T_PY_BOOL, "bool", H5T_BITFIELD, 1, "python"},
      {"pf", CPET_T_PY_FLOAT, "float", H5T_FLOAT, 8, "python"},
      {"pc", CPET_T_PY_COMPLEX, "complex", H5T_COMPOUND, 16, "python"},
      {"nb", CPET_T_BOOL, "bool_", H5T_BITFIELD, 1, "numpy"},
      {"i8", CPET_T_INT8, "int8", H5T_INTEGER, 1, "numpy"},
      {"i16", CPET_T_INT16, "int16", H5T_INTEGER, 2, "numpy"},
      {"i32", CPET_T_INT32, "int32", H5T_INTEGER, 4, "numpy"},
      {"i64", CPET_T_INT64, "int64", H5T_INTEGER, 8, "numpy"},
      {"u8", CPET_T_UINT8, "uint8", H5T_INTEGER, 1, "numpy"},
      {"u16", CPET_T_UINT16, "uint16", H5T_INTEGER, 2, "numpy"},
      {"u32", CPET_T_UINT32, "uint32", H5T_INTEGER, 4, "numpy"},
      {"u64", CPET_T_UINT64, "uint64", H5T_INTEGER, 8, "numpy"},
      {"f32", CPET_T_FLOAT32, "float32", H5T_FLOAT, 4, "numpy"},
      {"f64", CPET_T_FLOAT64, "float64", H5T_FLOAT, 8, "numpy"},
      {"c64", CPET_T_COMPLEX64, "complex64", H5T_COMPOUND, 8, "numpy"},
      {"c128", CPET_T_COMPLEX128, "complex128", H5T_COMPOUND, 16, "numpy"},
  };
  unsigned char elem[16] = {1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};
  for (size_t k = 0; k < sizeof sc / sizeof *sc; k++) {
    cpet_value *s = NULL;
    CHECK_OK(cpet_value_new_scalar(sc[k].t, elem, 0, &s));
    CHECK_OK(cpet__layout_write_item(g, sc[k].name, s, CPET_FLAG_AUTO, &ctx));
    CHECK_INT(ds_info(g, sc[k].name, &i), 0);
    CHECK_INT(i.rank, 0);
    CPET_CHECK_(i.cls == sc[k].cls, "%s: class %d", sc[k].name, (int)i.cls);
    CHECK_INT(i.tsize, sc[k].size);
    CHECK_ATTR(g, sc[k].name, "SRVC_DATA_SCALAR_TYPE", sc[k].tname);
    CHECK_ATTR(g, sc[k].name, "FLAVOR", sc[k].flavor);
    check_rt(g, sc[k].name, s, CPET_FLAG_ARRAY);
    cpet_value_free(s);
  }

  /* strings: fixed-length ASCII-cset bytes of the exact length, embedded NULs kept */
  cpet_value *s = NULL;
  CHECK_OK(cpet_value_new_strn("a\0b", 3, &s));
  CHECK_OK(cpet__layout_write_item(g, "s", s, CPET_FLAG_AUTO, &ctx));
  CHECK_INT(ds_info(g, "s", &i), 0);
  CHECK_INT(i.cls, H5T_STRING);
  CHECK_INT(i.tsize, 3);
  char buf[4] = {0};
  hid_t st3 = cpet__h5_type_for(CPET_T_PY_STR, 3, 0);
  CHECK_INT(ds_read(g, "s", st3, buf), 0);
  CHECK(memcmp(buf, "a\0b", 3) == 0);
  H5Tclose(st3);
  CHECK_ATTR(g, "s", "SRVC_DATA_SCALAR_TYPE", "str");
  check_rt(g, "s", s, CPET_FLAG_ARRAY);
  cpet_value_free(s);
  CHECK_OK(cpet_value_new_str("", &s));
  CHECK_OK(cpet__layout_write_item(g, "s_empty", s, CPET_FLAG_AUTO, &ctx));
  CHECK_INT(ds_info(g, "s_empty", &i), 0);
  CHECK_INT(i.tsize, 1);
  check_rt(g, "s_empty", s, CPET_FLAG_ARRAY);
  cpet_value_free(s);
  CHECK_OK(cpet_value_new_bytes("xyz", 3, &s));
  CHECK_OK(cpet__layout_write_item(g, "by", s, CPET_FLAG_AUTO, &ctx));
  CHECK_ATTR(g, "by", "SRVC_DATA_SCALAR_TYPE", "bytes");
  check_rt(g, "by", s, CPET_FLAG_ARRAY);
  cpet_value_free(s);

  /* None has no storage in pypet; scalars cannot be CARRAY/EARRAY */
  CHECK_OK(cpet_value_new_none(&s));
  CHECK_ERR(cpet__layout_write_item(g, "none", s, CPET_FLAG_AUTO, &ctx), CPET_ERR_TYPE);
  CHECK(!cpet__h5_link_exists(g, "none"));
  cpet_value_free(s);
  s = vint(1);
  CHECK_ERR(cpet__layout_write_item(g, "c_scalar", s, CPET_FLAG_CARRAY, &ctx), CPET_ERR_FLAG);
  CHECK_ERR(cpet__layout_write_item(g, "e_scalar", s, CPET_FLAG_EARRAY, &ctx), CPET_ERR_FLAG);
  CHECK_ERR(cpet__layout_write_item(g, "t_scalar", s, CPET_FLAG_TABLE, &ctx), CPET_ERR_FLAG);
  CHECK(!cpet__h5_link_exists(g, "c_scalar"));
  cpet_value_free(s);
}

static void test_sequences(hid_t g) {
  dsinfo i;
  size_t n3 = 3, n0 = 0, n2 = 2;
  int64_t ints[3] = {1, -2, 3};
  cpet_value *l = arr(CPET_KIND_LIST, CPET_T_PY_INT, 1, &n3, ints);
  CHECK_OK(cpet__layout_write_item(g, "ints", l, CPET_FLAG_AUTO, &ctx));
  CHECK_INT(ds_info(g, "ints", &i), 0);
  CHECK_INT(i.rank, 1);
  CHECK_INT(i.dims[0], 3);
  CHECK_INT(i.tsize, 8);
  CHECK(!i.chunked);
  int64_t back[3] = {0};
  CHECK_INT(ds_read(g, "ints", H5T_NATIVE_INT64, back), 0);
  CHECK_INT(back[1], -2);
  CHECK_ATTR(g, "ints", "SRVC_DATA_COLL_TYPE", "COLL_LIST");
  CHECK_ATTR(g, "ints", "SRVC_DATA_SCALAR_TYPE", "int");
  CHECK_ATTR(g, "ints", "FLAVOR", "python");
  check_rt(g, "ints", l, CPET_FLAG_ARRAY);

  /* CARRAY of a list: chunked, compressed, COLL_LIST kept */
  CHECK_OK(cpet__layout_write_item(g, "carray_list", l, CPET_FLAG_CARRAY, &ctx));
  CHECK_INT(ds_info(g, "carray_list", &i), 0);
  CHECK(i.chunked);
  CHECK_INT(i.chunk[0], 3); /* PyTables: 8192; small arrays get a chunk of their own size */
  CHECK_INT(i.maxd[0], 3);
  CHECK_INT(i.nfilters, 2);
  CHECK_INT(i.filt[0], H5Z_FILTER_SHUFFLE);
  CHECK_INT(i.filt[1], H5Z_FILTER_DEFLATE);
  CHECK_ATTR(g, "carray_list", "CLASS", "CARRAY");
  CHECK_INT(attr_cset(g, "carray_list", "CLASS"), H5T_CSET_ASCII);
  CHECK_NOATTR(g, "carray_list", "FLAVOR");
  CHECK_ATTR(g, "carray_list", "SRVC_DATA_COLL_TYPE", "COLL_LIST");
  check_rt(g, "carray_list", l, CPET_FLAG_CARRAY);
  cpet_value_free(l);

  const char *strs[2] = {"a", "bcd"};
  cpet_value *t = NULL;
  CHECK_OK(cpet_value_new_str_array(CPET_KIND_TUPLE, CPET_T_PY_STR, 1, &n2, strs, &t));
  CHECK_OK(cpet__layout_write_item(g, "tup_str", t, CPET_FLAG_AUTO, &ctx));
  CHECK_INT(ds_info(g, "tup_str", &i), 0);
  CHECK_INT(i.cls, H5T_STRING);
  CHECK_INT(i.tsize, 3);
  CHECK_ATTR(g, "tup_str", "SRVC_DATA_COLL_TYPE", "COLL_TUPLE");
  CHECK_ATTR(g, "tup_str", "SRVC_DATA_SCALAR_TYPE", "str");
  check_rt(g, "tup_str", t, CPET_FLAG_ARRAY);
  cpet_value_free(t);

  /* empty list/tuple/dict: float64 (0,), no SCALAR_TYPE */
  cpet_value *el = arr(CPET_KIND_LIST, CPET_T_PY_INT, 1, &n0, NULL), *et = NULL, *ed = NULL;
  CHECK_OK(cpet_value_new_seq(CPET_KIND_TUPLE, &et));
  CHECK_OK(cpet_value_new_dict(&ed));
  CHECK_OK(cpet__layout_write_item(g, "empty_list", el, CPET_FLAG_AUTO, &ctx));
  CHECK_OK(cpet__layout_write_item(g, "empty_tuple", et, CPET_FLAG_AUTO, &ctx));
  CHECK_OK(cpet__layout_write_item(g, "empty_dict", ed, CPET_FLAG_AUTO, &ctx));
  const char *en[3] = {"empty_list", "empty_tuple", "empty_dict"};
  const char *ec[3] = {"COLL_LIST", "COLL_TUPLE", "COLL_EMPTY_DICT"};
  for (int k = 0; k < 3; k++) {
    CHECK_INT(ds_info(g, en[k], &i), 0);
    CHECK_INT(i.rank, 1);
    CHECK_INT(i.dims[0], 0);
    CHECK_INT(i.cls, H5T_FLOAT);
    CHECK_INT(i.tsize, 8);
    CHECK_ATTR(g, en[k], "SRVC_DATA_COLL_TYPE", ec[k]);
    CHECK_NOATTR(g, en[k], "SRVC_DATA_SCALAR_TYPE");
    CHECK_ATTR(g, en[k], "FLAVOR", "python");
  }
  cpet_value *got = NULL;
  CHECK_OK(cpet__layout_read_item(g, "empty_dict", "utf8", &got, NULL));
  CHECK(got && cpet_value_kind(got) == CPET_KIND_DICT && cpet_value_nchildren(got) == 0);
  cpet_value_free(got);
  cpet_value_free(el);
  cpet_value_free(et);
  cpet_value_free(ed);
}

/* PyTables' own chunk computation (used for arrays larger than one chunk). */
static void test_chunkshape(void) {
  hsize_t d2[2] = {200, 50}, c[3];
  cpet__wr_chunkshape(2, d2, 8, 200, c);
  CHECK_INT(c[0], 163);
  CHECK_INT(c[1], 50);
  hsize_t d3[3] = {3, 4, 5};
  cpet__wr_chunkshape(3, d3, 4, 3, c);
  CHECK_INT(c[0], 819);
  hsize_t t = 0;
  cpet__wr_chunkshape(1, &t, 41, 1, c);
  CHECK_INT(c[0], 1598);
  hsize_t big = 1000000; /* 40 MB expected: zone 1 -> 128 KiB chunks */
  cpet__wr_chunkshape(1, &big, 40, 1000000, c);
  CHECK_INT(c[0], 131072 / 40);
}

static void test_arrays(hid_t g) {
  test_chunkshape();
  dsinfo i;
  size_t sh[2] = {2, 3};
  int64_t d6[6] = {1, 2, 3, 4, 5, 6};
  cpet_value *a = arr(CPET_KIND_NDARRAY, CPET_T_INT64, 2, sh, d6);
  CHECK_OK(cpet__layout_write_item(g, "a2d", a, CPET_FLAG_AUTO, &ctx));
  CHECK_INT(ds_info(g, "a2d", &i), 0);
  CHECK_INT(i.rank, 2);
  CHECK_INT(i.dims[0], 2);
  CHECK_INT(i.dims[1], 3);
  CHECK(i.chunked);
  CHECK_INT(i.chunk[0], 2); /* PyTables: 2730 = 64 KiB / (3 x 8 bytes), cut to the extent */
  CHECK_INT(i.chunk[1], 3);
  CHECK_INT(i.maxd[0], 2);
  CHECK_INT(i.filt[0], H5Z_FILTER_SHUFFLE);
  CHECK_INT(i.filt[1], H5Z_FILTER_DEFLATE);
  CHECK_ATTR(g, "a2d", "SRVC_STORE", "CARRAY");
  CHECK_ATTR(g, "a2d", "SRVC_DATA_COLL_TYPE", "COLL_NDARRAY");
  CHECK_NOATTR(g, "a2d", "SRVC_DATA_SCALAR_TYPE");
  CHECK_ATTR(g, "a2d", "VERSION", "1.1");
  int64_t back[6] = {0};
  CHECK_INT(ds_read(g, "a2d", H5T_NATIVE_INT64, back), 0);
  CHECK_INT(back[5], 6);
  check_rt(g, "a2d", a, CPET_FLAG_CARRAY);

  /* the same as contiguous ARRAY, as EARRAY and as VLARRAY */
  CHECK_OK(cpet__layout_write_item(g, "a2d_array", a, CPET_FLAG_ARRAY, &ctx));
  CHECK_INT(ds_info(g, "a2d_array", &i), 0);
  CHECK(!i.chunked);
  CHECK_INT(i.nfilters, 0);
  CHECK_ATTR(g, "a2d_array", "FLAVOR", "numpy");
  check_rt(g, "a2d_array", a, CPET_FLAG_ARRAY);
  CHECK_OK(cpet__layout_write_item(g, "earray", a, CPET_FLAG_EARRAY, &ctx));
  CHECK_INT(ds_info(g, "earray", &i), 0);
  CHECK(i.maxd[0] == H5S_UNLIMITED);
  CHECK_INT(i.maxd[1], 3);
  CHECK_INT(i.chunk[0], 2);
  CHECK_ATTR(g, "earray", "CLASS", "EARRAY");
  CHECK_INT(attr_int(g, "earray", "EXTDIM"), 0);
  CHECK_ATTR(g, "earray", "SRVC_STORE", "EARRAY");
  check_rt(g, "earray", a, CPET_FLAG_EARRAY);
  cpet_value_free(a);

  size_t n4 = 4;
  int64_t d4[4] = {0, 1, 2, 3};
  cpet_value *v1 = arr(CPET_KIND_NDARRAY, CPET_T_INT64, 1, &n4, d4);
  CHECK_OK(cpet__layout_write_item(g, "vlarray", v1, CPET_FLAG_VLARRAY, &ctx));
  CHECK_INT(ds_info(g, "vlarray", &i), 0);
  CHECK_INT(i.cls, H5T_VLEN);
  CHECK_INT(i.dims[0], 1);
  CHECK(i.maxd[0] == H5S_UNLIMITED);
  CHECK_INT(i.chunk[0], 1);
  CHECK_ATTR(g, "vlarray", "CLASS", "VLARRAY");
  CHECK_ATTR(g, "vlarray", "VERSION", "1.4");
  CHECK_ATTR(g, "vlarray", "SRVC_STORE", "VLARRAY");
  hid_t vt = H5Tvlen_create(H5T_NATIVE_INT64);
  hvl_t row = {0, NULL};
  CHECK_INT(ds_read(g, "vlarray", vt, &row), 0);
  CHECK_INT(row.len, 4);
  if (row.len == 4) CHECK_INT(((int64_t *)row.p)[3], 3);
  hid_t sp = H5Screate_simple(1, (hsize_t[]){1}, NULL);
  H5Dvlen_reclaim(vt, sp, H5P_DEFAULT, &row);
  H5Sclose(sp);
  H5Tclose(vt);
  cpet_value_free(v1);

  /* empty and 0-d arrays are contiguous ARRAYs; CARRAY of empty falls back to ARRAY */
  size_t sh0[2] = {0, 3};
  cpet_value *e = arr(CPET_KIND_NDARRAY, CPET_T_FLOAT64, 2, sh0, NULL);
  CHECK_OK(cpet__layout_write_item(g, "empty_2d", e, CPET_FLAG_AUTO, &ctx));
  CHECK_INT(ds_info(g, "empty_2d", &i), 0);
  CHECK(!i.chunked);
  CHECK_INT(i.dims[1], 3);
  CHECK_ATTR(g, "empty_2d", "SRVC_STORE", "ARRAY");
  check_rt(g, "empty_2d", e, CPET_FLAG_ARRAY);
  CHECK_OK(cpet__layout_write_item(g, "empty_carray", e, CPET_FLAG_CARRAY, &ctx));
  CHECK_ATTR(g, "empty_carray", "SRVC_STORE", "ARRAY");
  cpet_value_free(e);

  /* numpy unicode array: bytes on disk, SCALAR_TYPE "str"; a matrix: COLL_MATRIX */
  const char *us[2] = {"abc", "d"};
  size_t n2 = 2;
  cpet_value *u = NULL;
  CHECK_OK(cpet_value_new_str_array(CPET_KIND_NDARRAY, CPET_T_STR, 1, &n2, us, &u));
  CHECK_OK(cpet__layout_write_item(g, "ustr", u, CPET_FLAG_AUTO, &ctx));
  CHECK_INT(ds_info(g, "ustr", &i), 0);
  CHECK_INT(i.cls, H5T_STRING);
  CHECK_INT(i.tsize, 3);
  CHECK_INT(i.chunk[0], 2);
  CHECK_ATTR(g, "ustr", "SRVC_DATA_SCALAR_TYPE", "str");
  check_rt(g, "ustr", u, CPET_FLAG_CARRAY);
  cpet_value_free(u);
  size_t sm[2] = {2, 2};
  double dm[4] = {1, 2, 3, 4.5};
  cpet_value *m = arr(CPET_KIND_MATRIX, CPET_T_FLOAT64, 2, sm, dm);
  CHECK_OK(cpet__layout_write_item(g, "matrix", m, CPET_FLAG_ARRAY, &ctx));
  CHECK_ATTR(g, "matrix", "SRVC_DATA_COLL_TYPE", "COLL_MATRIX");
  check_rt(g, "matrix", m, CPET_FLAG_ARRAY);
  cpet_value_free(m);
}

static void test_tables(hid_t g) {
  dsinfo i;
  size_t n3 = 3, sh32[2] = {3, 2};
  int64_t ints[3] = {1, ((int64_t)1 << 33) + 5, -3};
  double fl[3] = {0.5, 1.5, -2.0}, ar[6] = {1, 2, 3, 4, 5, 6};
  unsigned char bo[3] = {1, 0, 1};
  double cx[6] = {1, 2, 3, 4, 5, 6};
  const char *ss[3] = {"a", "bcd", "xy"};
  cpet_value *t = NULL, *c = NULL;
  CHECK_OK(cpet_value_new_table(&t));
  CHECK_OK(cpet_value_set(t, "ints", arr(CPET_KIND_SCALAR, CPET_T_PY_INT, 1, &n3, ints)));
  CHECK_OK(cpet_value_set(t, "floats", arr(CPET_KIND_SCALAR, CPET_T_PY_FLOAT, 1, &n3, fl)));
  CHECK_OK(cpet_value_new_str_array(CPET_KIND_NDARRAY, CPET_T_PY_STR, 1, &n3, ss, &c));
  void *cb;
  cpet_value *sc = NULL;
  CHECK_OK(cpet__value_new_array_uninit(CPET_KIND_SCALAR, CPET_T_PY_STR, cpet_value_itemsize(c), 1,
                                        &n3, &sc, &cb));
  memcpy(cb, cpet_value_data(c), 3 * cpet_value_itemsize(c));
  cpet_value_free(c);
  CHECK_OK(cpet_value_set(t, "strs", sc));
  CHECK_OK(cpet_value_set(t, "arrs", arr(CPET_KIND_NDARRAY, CPET_T_FLOAT64, 2, sh32, ar)));
  CHECK_OK(cpet_value_set(t, "flags", arr(CPET_KIND_SCALAR, CPET_T_PY_BOOL, 1, &n3, bo)));
  CHECK_OK(cpet_value_set(t, "cplx", arr(CPET_KIND_SCALAR, CPET_T_PY_COMPLEX, 1, &n3, cx)));
  int64_t l6[6] = {1, 2, 3, 4, 5, 6};
  CHECK_OK(cpet_value_set(t, "lst", arr(CPET_KIND_LIST, CPET_T_PY_INT, 2, sh32, l6)));
  CHECK_OK(cpet__layout_write_item(g, "ot", t, CPET_FLAG_AUTO, &ctx));
  CHECK_INT(ds_info(g, "ot", &i), 0);
  CHECK_INT(i.cls, H5T_COMPOUND);
  CHECK_INT(i.rank, 1);
  CHECK_INT(i.dims[0], 3);
  CHECK(i.maxd[0] == H5S_UNLIMITED);
  /* rowsize: arrs 16 + cplx 16 + flags 1 + floats 8 + ints 4 + lst 16 + strs 4 = 65 */
  CHECK_INT(i.tsize, 65);
  CHECK_INT(i.chunk[0], 3); /* PyTables: 65536 / 65, cut to the 3 rows */
  CHECK_INT(i.filt[0], H5Z_FILTER_SHUFFLE);
  CHECK_INT(i.filt[1], H5Z_FILTER_DEFLATE);
  const char *order[7] = {"arrs", "cplx", "flags", "floats", "ints", "lst", "strs"};
  H5T_class_t cls[7] = {H5T_ARRAY,   H5T_COMPOUND, H5T_BITFIELD, H5T_FLOAT,
                        H5T_INTEGER, H5T_ARRAY,    H5T_STRING};
  size_t sizes[7] = {16, 16, 1, 8, 4, 16, 4};
  CHECK_INT(nmembers(g, "ot"), 7);
  for (unsigned k = 0; k < 7; k++) {
    H5T_class_t mc = H5T_NO_CLASS;
    size_t ms = 0;
    char *nm = member(g, "ot", k, &mc, &ms);
    CHECK_STR(nm, order[k]);
    CPET_CHECK_(mc == cls[k], "member %u class %d", k, (int)mc);
    CHECK_INT(ms, sizes[k]);
    cpet_free(nm);
    char an[32];
    snprintf(an, sizeof an, "FIELD_%u_NAME", k);
    CHECK_ATTR(g, "ot", an, order[k]);
  }
  int32_t i32[3];
  CHECK_INT(read_field(g, "ot", "ints", H5T_NATIVE_INT32, 4, i32), 0);
  CHECK_INT(i32[1], 5); /* IntCol wraps like pypet */
  CHECK_INT(i32[2], -3);
  char s4[3][4];
  hid_t st4 = cpet__h5_type_for(CPET_T_PY_STR, 4, 0);
  CHECK_INT(read_field(g, "ot", "strs", st4, 4, s4), 0);
  H5Tclose(st4);
  CHECK(memcmp(s4[1], "bcd", 4) == 0);
  CHECK(memcmp(s4[2], "xy\0\0", 4) == 0);
  CHECK_ATTR(g, "ot", "CLASS", "TABLE");
  CHECK_ATTR(g, "ot", "VERSION", "2.7");
  CHECK_ATTR(g, "ot", "TITLE", "ot");
  CHECK_INT(attr_int(g, "ot", "NROWS"), 3);
  CHECK_ATTR(g, "ot", "SRVC_STORE", "TABLE");
  CHECK_ATTR(g, "ot", "SRVC_COLUMN_ints_COLL_TYPE", "COLL_SCALAR");
  CHECK_ATTR(g, "ot", "SRVC_COLUMN_ints_SCALAR_TYPE", "int");
  CHECK_ATTR(g, "ot", "SRVC_COLUMN_strs_SCALAR_TYPE", "str");
  CHECK_ATTR(g, "ot", "SRVC_COLUMN_flags_SCALAR_TYPE", "bool");
  CHECK_ATTR(g, "ot", "SRVC_COLUMN_cplx_SCALAR_TYPE", "complex");
  CHECK_ATTR(g, "ot", "SRVC_COLUMN_arrs_COLL_TYPE", "COLL_NDARRAY");
  CHECK_NOATTR(g, "ot", "SRVC_COLUMN_arrs_SCALAR_TYPE");
  CHECK_ATTR(g, "ot", "SRVC_COLUMN_lst_COLL_TYPE", "COLL_LIST");
  CHECK_ATTR(g, "ot", "SRVC_COLUMN_lst_SCALAR_TYPE", "int");
  CHECK_NOATTR(g, "ot", "SRVC_DATA_COLL_TYPE");
  /* read back: the wrapped int column differs, every other column round-trips */
  cpet_value *got = NULL;
  CHECK_OK(cpet__layout_read_item(g, "ot", "utf8", &got, NULL));
  if (got) {
    CHECK_INT(cpet_value_kind(got), CPET_KIND_TABLE);
    for (size_t k = 0; k < cpet_value_nchildren(t); k++) {
      const char *key = cpet_value_key(t, k);
      const cpet_value *gc = cpet_value_get(got, key);
      CPET_CHECK_(gc != NULL, "column %s missing", key);
      if (!gc || strcmp(key, "ints") == 0) continue; /* wrapped to int32, checked below */
      for (size_t r = 0; r < 3; r++) {
        cpet_value *a = NULL, *b = NULL;
        cpet__value_cell(cpet_value_child(t, k), r, &a);
        cpet__value_cell(gc, r, &b);
        CPET_CHECK_(a && b && cpet_value_equal(a, b), "table cell %s[%zu] differs", key, r);
        cpet_value_free(a);
        cpet_value_free(b);
      }
    }
    const cpet_value *gi = cpet_value_get(got, "ints");
    int64_t x = 0;
    cpet_value *cell = NULL;
    if (gi && cpet__value_cell(gi, 1, &cell) == CPET_OK) cpet_value_to_i64(cell, &x);
    CHECK_INT(x, 5);
    cpet_value_free(cell);
  }
  cpet_value_free(got);
  cpet_value_free(t);

  /* DICT: a one-row table with SRVC_DATA_COLL_TYPE = COLL_DICT */
  cpet_value *d = NULL, *s = NULL;
  CHECK_OK(cpet_value_new_dict(&d));
  CHECK_OK(cpet_value_set(d, "a", vint(7)));
  CHECK_OK(cpet_value_new_str("hello", &s));
  CHECK_OK(cpet_value_set(d, "s", s));
  int64_t v3[3] = {4, 5, 6};
  CHECK_OK(cpet_value_set(d, "v", arr(CPET_KIND_NDARRAY, CPET_T_INT64, 1, &n3, v3)));
  CHECK_OK(cpet__layout_write_item(g, "dict", d, CPET_FLAG_AUTO, &ctx));
  CHECK_INT(ds_info(g, "dict", &i), 0);
  CHECK_INT(i.dims[0], 1);
  CHECK_ATTR(g, "dict", "SRVC_STORE", "DICT");
  CHECK_ATTR(g, "dict", "SRVC_DATA_COLL_TYPE", "COLL_DICT");
  CHECK_ATTR(g, "dict", "SRVC_COLUMN_s_SCALAR_TYPE", "str");
  CHECK_ATTR(g, "dict", "SRVC_COLUMN_v_COLL_TYPE", "COLL_NDARRAY");
  H5T_class_t mc = H5T_NO_CLASS;
  size_t ms = 0;
  char *nm = member(g, "dict", 1, &mc, &ms);
  CHECK_STR(nm, "s");
  CHECK_INT(ms, 7); /* StringCol(int(1.5 x 5)) */
  cpet_free(nm);
  check_rt(g, "dict", d, CPET_FLAG_DICT);
  CHECK_ERR(cpet__layout_write_item(g, "dict_as_array", d, CPET_FLAG_ARRAY, &ctx), CPET_ERR_FLAG);
  cpet_value_free(d);
}

static void test_split(hid_t g) {
  cpet_value *d = NULL;
  CHECK_OK(cpet_value_new_dict(&d));
  for (int k = 0; k < 600; k++) {
    char key[16];
    snprintf(key, sizeof key, "c%04d", k);
    cpet_value *f = NULL;
    cpet_value_new_float(k * 0.5, &f);
    CHECK_OK(cpet_value_set(d, key, f));
  }
  CHECK_OK(cpet__layout_write_item(g, "wide", d, CPET_FLAG_AUTO, &ctx));
  CHECK_ATTR(g, "wide", "SRVC_STORE", "DICT");
  CHECK_ATTR(g, "wide", "SRVC_DATA_COLL_TYPE", "COLL_DICT");
  CHECK_ATTR(g, "wide", "CLASS", "GROUP");
  CHECK_INT(attr_int(g, "wide", "SPLIT_TABLE"), 1);
  CHECK_INT(nmembers(g, "wide/wide"), 512);
  CHECK_INT(nmembers(g, "wide/wide_1"), 88);
  CHECK_NOATTR(g, "wide/wide", "SRVC_STORE");
  CHECK_NOATTR(g, "wide/wide", "SRVC_COLUMN_c0000_COLL_TYPE");
  H5T_class_t mc = H5T_NO_CLASS;
  size_t ms = 0;
  char *nm = member(g, "wide/wide_1", 0, &mc, &ms);
  CHECK_STR(nm, "c0512");
  cpet_free(nm);
  double x = 0;
  CHECK_INT(read_field(g, "wide/wide_1", "c0599", H5T_NATIVE_DOUBLE, 8, &x), 0);
  CHECK_DBL(x, 299.5);
  dsinfo i;
  CHECK_INT(ds_info(g, "wide/wide__SRVC_STORE", &i), 0);
  CHECK_INT(i.dims[0], 1200);
  CHECK_INT(attr_int(g, "wide/wide__SRVC_STORE", "DATATYPE_TABLE"), 1);
  nm = member(g, "wide/wide__SRVC_STORE", 0, &mc, &ms);
  CHECK_STR(nm, "data_type");
  CHECK_INT(ms, 16); /* int(1.5 x len("COLL_SCALAR")) */
  cpet_free(nm);
  nm = member(g, "wide/wide__SRVC_STORE", 1, &mc, &ms);
  CHECK_STR(nm, "field_name");
  cpet_free(nm);
  char(*rows)[ms] = calloc(1200, ms);
  hid_t st = cpet__h5_type_for(CPET_T_PY_STR, ms, 0);
  CHECK_INT(read_field(g, "wide/wide__SRVC_STORE", "field_name", st, ms, rows), 0);
  H5Tclose(st);
  CHECK(strncmp(rows[0], "SRVC_COLUMN_c0000_COLL_TYPE", ms) == 0);
  CHECK(strncmp(rows[1199], "SRVC_COLUMN_c0599_SCALAR_TYPE", ms) == 0);
  free(rows);
  check_rt(g, "wide", d, CPET_FLAG_DICT);
  cpet_value_free(d);

  /* an ObjectTable of 600 columns: SRVC_STORE TABLE, no COLL_DICT */
  cpet_value *t = NULL;
  CHECK_OK(cpet_value_new_table(&t));
  size_t n2 = 2;
  for (int k = 0; k < 600; k++) {
    char key[16];
    snprintf(key, sizeof key, "k%03d", k);
    int16_t two[2] = {(int16_t)k, (int16_t)-k};
    CHECK_OK(cpet_value_set(t, key, arr(CPET_KIND_SCALAR, CPET_T_INT16, 1, &n2, two)));
  }
  CHECK_OK(cpet__layout_write_item(g, "wide_t", t, CPET_FLAG_TABLE, &ctx));
  CHECK_ATTR(g, "wide_t", "SRVC_STORE", "TABLE");
  CHECK_NOATTR(g, "wide_t", "SRVC_DATA_COLL_TYPE");
  int16_t col[2] = {0};
  CHECK_INT(read_field(g, "wide_t/wide_t_1", "k599", H5T_NATIVE_INT16, 2, col), 0);
  CHECK_INT(col[1], -599);
  cpet_value_free(t);
}

static void test_nested(hid_t g) {
  cpet_value *v = vint(3);
  CHECK_OK(cpet__layout_write_item(g, "level1.level2.value", v, CPET_FLAG_AUTO, &ctx));
  CHECK_OK(cpet__layout_write_item(g, "level1.other", v, CPET_FLAG_AUTO, &ctx));
  CHECK_ERR(cpet__layout_write_item(g, "level1.other", v, CPET_FLAG_AUTO, &ctx), CPET_ERR_EXISTS);
  CHECK_ATTR(g, "level1", "SRVC_STORE", "NESTED_GROUP");
  CHECK_ATTR(g, "level1/level2", "SRVC_STORE", "NESTED_GROUP");
  CHECK_ATTR(g, "level1/level2", "TITLE", "level2");
  CHECK_ATTR(g, "level1", "CLASS", "GROUP");
  CHECK_INT(attr_int(g, "level1", "FILTERS"), 0x10109);
  int64_t x = 0;
  CHECK_INT(ds_read(g, "level1/level2/value", H5T_NATIVE_INT64, &x), 0);
  CHECK_INT(x, 3);
  /* a dotted key through an item that is no nested group fails */
  CHECK_ERR(cpet__layout_write_item(g, "level1.other.x", v, CPET_FLAG_AUTO, &ctx), CPET_ERR_LAYOUT);
  cpet_value_free(v);
}

/* FRAME / SERIES go through the pandas helper; the group carries SRVC_STORE. */
static void test_pandas(hid_t g) {
  size_t n3 = 3;
  double fv[3] = {0.5, 1.5, 2.5};
  int64_t iv[3] = {1, 2, 3};
  cpet_value *fr = NULL, *se = NULL;
  CHECK_OK(cpet_value_new_frame(NULL, NULL, &fr));
  CHECK_OK(cpet_value_set(fr, "f", arr(CPET_KIND_NDARRAY, CPET_T_FLOAT64, 1, &n3, fv)));
  CHECK_OK(cpet_value_set(fr, "i", arr(CPET_KIND_NDARRAY, CPET_T_INT64, 1, &n3, iv)));
  CHECK_OK(cpet__layout_write_item(g, "frame", fr, CPET_FLAG_AUTO, &ctx));
  CHECK_ATTR(g, "frame", "SRVC_STORE", "FRAME");
  cpet_value *got = NULL;
  cpet_flag flag = CPET_FLAG_AUTO;
  CHECK_OK(cpet__layout_read_item(g, "frame", "utf8", &got, &flag));
  CHECK_INT(flag, CPET_FLAG_FRAME);
  if (got) { /* the columns come back; the index representation is the pandas helper's */
    CHECK_INT(cpet_value_kind(got), CPET_KIND_FRAME);
    CHECK(cpet_value_get(got, "f") &&
          cpet_value_equal(cpet_value_get(got, "f"), cpet_value_get(fr, "f")));
    CHECK(cpet_value_get(got, "i") &&
          cpet_value_equal(cpet_value_get(got, "i"), cpet_value_get(fr, "i")));
  }
  cpet_value_free(got);
  CHECK_ERR(cpet__layout_write_item(g, "frame_as_array", fr, CPET_FLAG_ARRAY, &ctx), CPET_ERR_FLAG);
  CHECK_OK(
      cpet_value_new_series(arr(CPET_KIND_NDARRAY, CPET_T_FLOAT64, 1, &n3, fv), NULL, "s", &se));
  CHECK_OK(cpet__layout_write_item(g, "series", se, CPET_FLAG_SERIES, &ctx));
  CHECK_ATTR(g, "series", "SRVC_STORE", "SERIES");
  CHECK_OK(cpet__layout_read_item(g, "series", "utf8", &got, &flag));
  CHECK_INT(flag, CPET_FLAG_SERIES);
  if (got) {
    CHECK_INT(cpet_value_kind(got), CPET_KIND_SERIES);
    CHECK_STR(cpet_value_name(got), "s");
    CHECK_INT(cpet_value_nelem(got), 3);
  }
  cpet_value_free(got);
  cpet_value_free(fr);
  cpet_value_free(se);
}

int main(int argc, char **argv) {
  const char *fname = argc > 1 ? argv[1] : "witem.h5";
  CHECK_OK(cpet__h5_init());
  hid_t f = H5Fcreate(fname, H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
  CHECK(f >= 0);
  const char *groups[7] = {"scalars", "sequences", "arrays", "tables", "split", "nested", "pandas"};
  void (*fns[7])(hid_t) = {test_scalars, test_sequences, test_arrays, test_tables,
                           test_split,   test_nested,    test_pandas};
  for (int k = 0; k < 7; k++) {
    hid_t g = leaf_group(f, groups[k]);
    fns[k](g);
    H5Gclose(g);
  }

  /* complevel 0: chunked datasets without any filter */
  cpet_store_opts o2 = CPET_STORE_OPTS_DEFAULT;
  o2.filters.complevel = 0;
  cpet__wctx c2 = {&o2, 0};
  size_t n3 = 3;
  int64_t d3[3] = {1, 2, 3};
  cpet_value *a = arr(CPET_KIND_NDARRAY, CPET_T_INT64, 1, &n3, d3);
  hid_t g = leaf_group(f, "uncompressed");
  CHECK_OK(cpet__layout_write_item(g, "a", a, CPET_FLAG_AUTO, &c2));
  dsinfo i;
  CHECK_INT(ds_info(g, "a", &i), 0);
  CHECK(i.chunked);
  CHECK_INT(i.nfilters, 0);
  /* fletcher32 without shuffle: first in the pipeline; VLARRAY leaves it out (HDF5 refuses
   * mandatory filters on variable-length data) */
  o2.filters.complevel = 4;
  o2.filters.shuffle = 0;
  o2.filters.fletcher32 = 1;
  CHECK_OK(cpet__layout_write_item(g, "fl", a, CPET_FLAG_AUTO, &c2));
  CHECK_INT(ds_info(g, "fl", &i), 0);
  CHECK_INT(i.nfilters, 2);
  CHECK_INT(i.filt[0], H5Z_FILTER_FLETCHER32);
  CHECK_INT(i.filt[1], H5Z_FILTER_DEFLATE);
  CHECK_OK(cpet__layout_write_item(g, "fl_vl", a, CPET_FLAG_VLARRAY, &c2));
  CHECK_INT(ds_info(g, "fl_vl", &i), 0);
  CHECK_INT(i.nfilters, 1);
  CHECK_INT(i.filt[0], H5Z_FILTER_DEFLATE);
  H5Gclose(g);
  cpet_value_free(a);
  H5Fclose(f);
  CPET_TEST_END();
}
