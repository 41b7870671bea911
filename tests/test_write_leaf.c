/* test_write_leaf.c - the write side of src/layout, whole leaves: Parameter, ArrayParameter
 * (deduplicated xa_ arrays), PickleParameter, SparseParameter, Result (nested keys, flags),
 * SparseResult, PickleResult, the STORE_DATA / OVERWRITE_DATA rules and annotations, checked
 * with raw HDF5 calls and read back through cpet__layout_read_leaf. With an argument the file is
 * kept under that name (tests/check_pytables_write.py). */
#include "write_check.h"

/* ---- leaves ---- */

static cpet_value *seq_of(cpet_value **items, size_t n) {
  cpet_value *s = NULL;
  cpet_value_new_seq(CPET_KIND_LIST, &s);
  for (size_t i = 0; i < n; i++)
    cpet_value_append(s, items[i]);
  return s;
}

static void test_leaves(hid_t file) {
  cpet_traj *traj = NULL, *t2 = NULL;
  CHECK_OK(cpet_traj_create("wl", &traj));
  CHECK_OK(cpet_traj_create("rd", &t2));
  cpet_node *x = NULL, *vec = NULL;
  cpet_value *one = vint(1);
  CHECK_OK(cpet_traj_add_param(traj, "parameters.x", CPET_CLASS_PARAMETER, one, NULL, &x));
  size_t n3 = 3;
  double a0[3] = {1, 2, 3}, a1[3] = {4, 5, 6};
  cpet_value *va = arr(CPET_KIND_NDARRAY, CPET_T_FLOAT64, 1, &n3, a0);
  CHECK_OK(cpet_traj_add_param(traj, "parameters.vec", CPET_CLASS_ARRAY_PARAMETER, va, NULL, &vec));
  int64_t xr[3] = {1, 2, 3};
  cpet_value *xrange = arr(CPET_KIND_LIST, CPET_T_PY_INT, 1, &n3, xr);
  cpet_value *vr[3] = {NULL, arr(CPET_KIND_NDARRAY, CPET_T_FLOAT64, 1, &n3, a1), NULL};
  cpet_value_copy(va, &vr[0]);
  cpet_value_copy(va, &vr[2]);
  cpet_value *vrange = seq_of(vr, 3);
  const char *names[2] = {"parameters.x", "parameters.vec"};
  const cpet_value *ranges[2] = {xrange, vrange};
  CHECK_OK(cpet_traj_explore(traj, 2, names, ranges));

  /* Parameter: data + explored_data tables, int32 column recorded "int" */
  hid_t g = leaf_group(file, "x");
  CHECK_OK(cpet__layout_write_leaf(g, x, CPET_STORE_DATA, NULL, 0, &ctx));
  CHECK(cpet__h5_attr_true(g, "SRVC_LEAF"));
  CHECK_ATTR(g, ".", "SRVC_INIT_CLASS_NAME", "Parameter");
  dsinfo i;
  CHECK_INT(ds_info(g, "data", &i), 0);
  CHECK_INT(i.dims[0], 1);
  CHECK_ATTR(g, "data", "SRVC_STORE", "TABLE");
  CHECK_ATTR(g, "data", "SRVC_COLUMN_data_SCALAR_TYPE", "int");
  int32_t r[3] = {0};
  CHECK_INT(read_field(g, "explored_data", "data", H5T_NATIVE_INT32, 4, r), 0);
  CHECK_INT(r[0], 1);
  CHECK_INT(r[2], 3);
  cpet_node *x2 = NULL;
  CHECK_OK(cpet__traj_add_node_exact(t2, "parameters.x", CPET_NODE_LEAF, "Parameter", &x2));
  CHECK_OK(cpet__layout_read_leaf(g, x2, "utf8", NULL, 0, NULL, 0));
  CHECK(cpet_param_value(x2) && cpet_value_equal(cpet_param_value(x2), one));
  CHECK_INT(cpet_param_range_len(x2), 3);
  for (size_t k = 0; k < 3 && cpet_param_range_len(x2) == 3; k++)
    CHECK(cpet_value_equal(cpet_param_range(x2, k), cpet_param_range(x, k)));
  H5Gclose(g);

  /* ArrayParameter: identical range arrays share one xa_ dataset */
  g = leaf_group(file, "vec");
  CHECK_OK(cpet__layout_write_leaf(g, vec, CPET_STORE_DATA, NULL, 0, &ctx));
  CHECK_ATTR(g, ".", "SRVC_INIT_CLASS_NAME", "ArrayParameter");
  CHECK_ATTR(g, "data__rr__", "SRVC_STORE", "CARRAY");
  CHECK_ATTR(g, "explored__rr__", "SRVC_STORE", "NESTED_GROUP");
  CHECK_ATTR(g, "explored__rr__/set_00000", "SRVC_STORE", "NESTED_GROUP");
  CHECK(cpet__h5_link_exists(g, "explored__rr__/set_00000/xa_00000000"));
  CHECK(cpet__h5_link_exists(g, "explored__rr__/set_00000/xa_00000001"));
  CHECK(!cpet__h5_link_exists(g, "explored__rr__/set_00000/xa_00000002"));
  CHECK_INT(read_field(g, "explored_data__rr__", "idx", H5T_NATIVE_INT32, 4, r), 0);
  CHECK_INT(r[0], 0);
  CHECK_INT(r[1], 1);
  CHECK_INT(r[2], 0);
  CHECK_ATTR(g, "explored_data__rr__", "SRVC_COLUMN_idx_SCALAR_TYPE", "int");
  cpet_node *v2 = NULL;
  CHECK_OK(cpet__traj_add_node_exact(t2, "parameters.vec", CPET_NODE_LEAF, "ArrayParameter", &v2));
  CHECK_OK(cpet__layout_read_leaf(g, v2, "utf8", NULL, 0, NULL, 0));
  CHECK(cpet_param_value(v2) && cpet_value_equal(cpet_param_value(v2), va));
  CHECK_INT(cpet_param_range_len(v2), 3);
  for (size_t k = 0; k < 3 && cpet_param_range_len(v2) == 3; k++)
    CHECK(cpet_value_equal(cpet_param_range(v2, k), vr[k]));
  /* storing again with STORE_DATA changes nothing and does not fail */
  CHECK_OK(cpet__layout_write_leaf(g, vec, CPET_STORE_DATA, NULL, 0, &ctx));
  H5Gclose(g);

  /* Result: items with their flags; store modes */
  cpet_node *res = NULL;
  cpet_value *z = vint(42);
  CHECK_OK(cpet_traj_add_result(traj, "results.r", CPET_CLASS_RESULT, z, NULL, &res));
  CHECK_OK(cpet_leaf_set_take(res, "arr", arr(CPET_KIND_NDARRAY, CPET_T_FLOAT64, 1, &n3, a1),
                              CPET_FLAG_EARRAY));
  CHECK_OK(cpet_leaf_set_take(res, "deep.er.v", vint(9), CPET_FLAG_AUTO));
  CHECK_OK(cpet_leaf_set_take(res, "deep.w", vint(10), CPET_FLAG_AUTO));
  g = leaf_group(file, "r");
  CHECK_OK(cpet__layout_write_leaf(g, res, CPET_STORE_DATA, NULL, 0, &ctx));
  CHECK_ATTR(g, ".", "SRVC_INIT_CLASS_NAME", "Result");
  CHECK_ATTR(g, "r", "SRVC_STORE", "ARRAY");
  CHECK_ATTR(g, "arr", "SRVC_STORE", "EARRAY");
  CHECK_ATTR(g, "deep", "SRVC_STORE", "NESTED_GROUP");
  CHECK(cpet__h5_link_exists(g, "deep/er/v"));
  CHECK(cpet__h5_link_exists(g, "deep/w"));
  cpet_node *r2 = NULL;
  CHECK_OK(cpet__traj_add_node_exact(t2, "results.r", CPET_NODE_LEAF, "Result", &r2));
  CHECK_OK(cpet__layout_read_leaf(g, r2, "utf8", NULL, 0, NULL, 0));
  CHECK_INT(cpet_leaf_nitems(r2), 4);
  for (size_t k = 0; k < cpet_leaf_nitems(res); k++) {
    const char *key;
    const cpet_value *v;
    cpet_flag f;
    cpet_leaf_item(res, k, &key, &v, &f);
    const cpet_value *gv = cpet_leaf_get(r2, key);
    CPET_CHECK_(gv && cpet_value_equal(gv, v), "result item '%s' round trip", key);
  }
  /* STORE_DATA keeps what is on disk and adds new keys; OVERWRITE rewrites listed keys */
  CHECK_OK(cpet_leaf_set_take(res, "r", vint(43), CPET_FLAG_AUTO));
  CHECK_OK(cpet_leaf_set_take(res, "new", vint(5), CPET_FLAG_AUTO));
  CHECK_OK(cpet__layout_write_leaf(g, res, CPET_STORE_DATA, NULL, 0, &ctx));
  int64_t xv = 0;
  CHECK_INT(ds_read(g, "r", H5T_NATIVE_INT64, &xv), 0);
  CHECK_INT(xv, 42);
  CHECK(cpet__h5_link_exists(g, "new"));
  const char *ow[1] = {"r"};
  CHECK_OK(cpet__layout_write_leaf(g, res, CPET_STORE_OVERWRITE_DATA, ow, 1, &ctx));
  CHECK_INT(ds_read(g, "r", H5T_NATIVE_INT64, &xv), 0);
  CHECK_INT(xv, 43);
  CHECK_OK(cpet_leaf_set_take(res, "new", vint(6), CPET_FLAG_AUTO));
  CHECK_OK(cpet_leaf_remove_item(res, "deep.w"));
  CHECK_OK(cpet__layout_write_leaf(g, res, CPET_STORE_OVERWRITE_DATA, NULL, 0, &ctx));
  CHECK_INT(ds_read(g, "new", H5T_NATIVE_INT64, &xv), 0);
  CHECK_INT(xv, 6);
  CHECK(cpet__h5_link_exists(g, "deep/w")); /* keys the leaf no longer has are kept */
  H5Gclose(g);

  /* PickleResult: carried pickles as bytes + __pckl_prtcl__ */
  cpet_node *pr = NULL;
  CHECK_OK(cpet_traj_add_leaf_raw(traj, "results.p", "PickleResult", &pr));
  cpet_value *pk = NULL;
  CHECK_OK(cpet_value_new_pickle("\x80\x04K\x05.", 5, 4, &pk));
  CHECK_OK(cpet_leaf_set(pr, "p", pk, CPET_FLAG_AUTO));
  g = leaf_group(file, "p");
  CHECK_OK(cpet__layout_write_leaf(g, pr, CPET_STORE_DATA, NULL, 0, &ctx));
  CHECK_ATTR(g, ".", "SRVC_INIT_CLASS_NAME", "PickleResult");
  CHECK_ATTR(g, "p", "SRVC_DATA_SCALAR_TYPE", "bytes");
  CHECK_INT(ds_info(g, "p", &i), 0);
  CHECK_INT(i.tsize, 5);
  CHECK_INT(ds_read(g, "__pckl_prtcl__", H5T_NATIVE_INT64, &xv), 0);
  CHECK_INT(xv, 4);
  H5Gclose(g);

  /* PickleParameter: xp_ per distinct pickle, explored_data idx table */
  cpet_node *pp = NULL;
  CHECK_OK(cpet_traj_add_leaf_raw(traj, "parameters.pp", "PickleParameter", &pp));
  cpet_value *pk2 = NULL;
  CHECK_OK(cpet_value_new_pickle("\x80\x02K\x06.", 5, 2, &pk2));
  CHECK_OK(cpet_param_set(pp, pk2));
  const cpet_value *pr3[3] = {pk2, pk, pk2};
  int st = cpet_param_set_range(pp, pr3, 3);
  g = leaf_group(file, "pp");
  CHECK_OK(cpet__layout_write_leaf(g, pp, CPET_STORE_DATA, NULL, 0, &ctx));
  CHECK(cpet__h5_link_exists(g, "data"));
  CHECK_INT(ds_read(g, "__pckl_prtcl__", H5T_NATIVE_INT64, &xv), 0);
  CHECK_INT(xv, 2);
  if (st == CPET_OK) {
    CHECK(cpet__h5_link_exists(g, "xp_00000000"));
    CHECK(cpet__h5_link_exists(g, "xp_00000001"));
    CHECK(!cpet__h5_link_exists(g, "xp_00000002"));
    CHECK_INT(read_field(g, "explored_data", "idx", H5T_NATIVE_INT32, 4, r), 0);
    CHECK_INT(r[2], 0);
  }
  H5Gclose(g);

  /* SparseParameter / SparseResult: hex strings of save_npz */
  double sd[2] = {1, 2};
  int32_t sidx[2] = {0, 2}, sptr[3] = {0, 1, 2};
  size_t n2 = 2, n3p = 3;
  cpet_value *sp = NULL;
  CHECK_OK(cpet_value_new_sparse(CPET_SPARSE_CSR, 2, 3,
                                 arr(CPET_KIND_NDARRAY, CPET_T_FLOAT64, 1, &n2, sd),
                                 arr(CPET_KIND_NDARRAY, CPET_T_INT32, 1, &n2, sidx),
                                 arr(CPET_KIND_NDARRAY, CPET_T_INT32, 1, &n3p, sptr), &sp));
  cpet_node *sr = NULL, *spar = NULL;
  CHECK_OK(cpet_traj_add_result(traj, "results.sr", CPET_CLASS_SPARSE_RESULT, NULL, NULL, &sr));
  CHECK_OK(cpet_leaf_set(sr, "m", sp, CPET_FLAG_AUTO));
  CHECK_OK(cpet_leaf_set_take(sr, "plain", vint(1), CPET_FLAG_AUTO));
  g = leaf_group(file, "sr");
  CHECK_OK(cpet__layout_write_leaf(g, sr, CPET_STORE_DATA, NULL, 0, &ctx));
  CHECK_ATTR(g, "m__spsp__", "SRVC_DATA_SCALAR_TYPE", "str");
  CHECK_ATTR(g, "m__spsp__", "SRVC_DATA_COLL_TYPE", "COLL_SCALAR");
  CHECK(cpet__h5_link_exists(g, "plain"));
  cpet_node *sr2 = NULL;
  CHECK_OK(cpet__traj_add_node_exact(t2, "results.sr", CPET_NODE_LEAF, "SparseResult", &sr2));
  CHECK_OK(cpet__layout_read_leaf(g, sr2, "utf8", NULL, 0, NULL, 0));
  CHECK(cpet_leaf_get(sr2, "m") && cpet_value_equal(cpet_leaf_get(sr2, "m"), sp));
  H5Gclose(g);
  CHECK_OK(
      cpet_traj_add_param(traj, "parameters.spar", CPET_CLASS_SPARSE_PARAMETER, sp, NULL, &spar));
  const cpet_value *spr[2] = {sp, sp};
  st = cpet_param_set_range(spar, spr, 2);
  g = leaf_group(file, "spar");
  CHECK_OK(cpet__layout_write_leaf(g, spar, CPET_STORE_DATA, NULL, 0, &ctx));
  CHECK_ATTR(g, "data__spsp__", "SRVC_DATA_SCALAR_TYPE", "str");
  if (st == CPET_OK) {
    CHECK(cpet__h5_link_exists(g, "xspm__spsp__00000000"));
    CHECK(!cpet__h5_link_exists(g, "xspm__spsp__00000001"));
    CHECK_INT(read_field(g, "explored_data__spsp__", "idx", H5T_NATIVE_INT32, 4, r), 0);
    CHECK_INT(r[1], 0);
  }
  H5Gclose(g);

  /* annotations: added once, SRVC_ANNOTATED set, overwrite replaces */
  cpet_value *an = vint(3);
  CHECK_OK(cpet_node_annotate(res, "k", an));
  g = H5Gopen2(file, "r", H5P_DEFAULT);
  CHECK_OK(cpet__layout_write_annotations(g, res, 0));
  CHECK(cpet__h5_attr_true(g, "SRVC_ANNOTATED"));
  CHECK_INT(attr_int(g, ".", "SRVC_AN_k"), 3);
  cpet_value_free(an);
  an = vint(4);
  CHECK_OK(cpet_node_annotate(res, "k", an));
  CHECK_OK(cpet__layout_write_annotations(g, res, 0));
  CHECK_INT(attr_int(g, ".", "SRVC_AN_k"), 3);
  CHECK_OK(cpet__layout_write_annotations(g, res, 1));
  CHECK_INT(attr_int(g, ".", "SRVC_AN_k"), 4);
  H5Gclose(g);

  cpet_value_free(an);
  cpet_value_free(sp);
  cpet_value_free(pk);
  cpet_value_free(pk2);
  cpet_value_free(z);
  cpet_value_free(one);
  cpet_value_free(va);
  cpet_value_free(xrange);
  cpet_value_free(vrange);
  cpet_traj_free(traj);
  cpet_traj_free(t2);
}

int main(int argc, char **argv) {
  const char *fname = argc > 1 ? argv[1] : "wleaf.h5";
  CHECK_OK(cpet__h5_init());
  hid_t f = H5Fcreate(fname, H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
  CHECK(f >= 0);
  test_leaves(f);
  H5Fclose(f);
  CPET_TEST_END();
}
