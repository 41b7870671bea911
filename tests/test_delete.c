/* test_delete.c - DELETE and DELETE_LINK (spec 13): parts of a leaf, whole leaves, empty
 * groups, recursive subtrees and links, on a cpet-written file and on a copy of a pypet
 * fixture; explored parameters and other bad input refuse with a specific error and leave the
 * file's bytes as they were. */
#include "maint_test.h"
#include "tree/tree_int.h"
#include <cpet/cpet_store.h>

static cpet_node *find(cpet_traj *t, const char *name) {
  cpet_node *n = cpet__traj_find_exact(t, name);
  CPET_CHECK_(n != NULL, "node %s missing", name);
  return n;
}

static void add_float(cpet_node *leaf, const char *key, double x) {
  cpet_value *v = NULL;
  CHECK_OK(cpet_value_new_float(x, &v));
  CHECK_OK(cpet_leaf_set_take(leaf, key, v, CPET_FLAG_AUTO));
}

static void write_file(const char *fn) {
  cpet_traj *t = NULL;
  CHECK_OK(cpet_traj_create("deltraj", &t));
  cpet_value *v = NULL;
  CHECK_OK(cpet_value_new_float(0.5, &v));
  CHECK_OK(cpet_traj_add_param(t, "parameters.y", CPET_CLASS_PARAMETER, v, "fixed", NULL));
  cpet_value_free(v);
  CHECK_OK(cpet_value_new_int(1, &v));
  CHECK_OK(cpet_traj_add_param(t, "parameters.x", CPET_CLASS_PARAMETER, v, NULL, NULL));
  cpet_value_free(v);
  int64_t xs[3] = {1, 2, 3};
  size_t n3[1] = {3};
  cpet_value *rx = NULL;
  CHECK_OK(cpet_value_new_array(CPET_KIND_LIST, CPET_T_PY_INT, 0, 1, n3, xs, &rx));
  const char *names[1] = {"x"};
  const cpet_value *ranges[1] = {rx};
  CHECK_OK(cpet_traj_explore(t, 1, names, ranges));
  cpet_value_free(rx);
  cpet_node *r = NULL;
  CHECK_OK(cpet_traj_add_result(t, "results.r1", CPET_CLASS_RESULT, NULL, "two items", &r));
  add_float(r, "a", 1.0);
  add_float(r, "b", 2.0);
  CHECK_OK(cpet_traj_add_result(t, "results.sub.l1", CPET_CLASS_RESULT, NULL, NULL, &r));
  add_float(r, "z", 1.0);
  CHECK_OK(cpet_traj_add_result(t, "results.sub.deeper.l2", CPET_CLASS_RESULT, NULL, NULL, &r));
  add_float(r, "z", 2.0);
  CHECK_OK(cpet_traj_add_group(t, "results.empty", "nothing here", NULL));
  CHECK_OK(cpet_traj_add_link(t, "results.to_y", find(t, "parameters.y"), NULL));
  cpet_store *s = NULL;
  CHECK_OK(cpet_store_open(fn, CPET_OPEN_CREATE, NULL, &s));
  CHECK_OK(cpet_store_traj(s, t, CPET_STORE_DATA, 0));
  CHECK_OK(cpet_store_close(s));
  cpet_traj_free(t);
}

/* A call on a freshly opened copy must fail with `want` and leave the bytes alone. */
static void refused(const char *fn, const char *name, const char *node, int how, int want) {
  uint64_t before = mt_checksum(fn);
  cpet_store *s = NULL;
  CHECK_OK(cpet_store_open(fn, CPET_OPEN_APPEND, NULL, &s));
  cpet_traj *t = mt_load_from(s, name);
  if (t) {
    cpet_node *n = cpet__traj_find_exact(t, node);
    if (how == 0) CHECK_ERR(cpet_store_delete(s, t, n, NULL, 0, 0, 0), want);
    if (how == 1) CHECK_ERR(cpet_store_delete(s, t, n, NULL, 0, 0, 1), want);
    if (how == 2) CHECK_ERR(cpet_store_delete_link(s, t, node, 0), want);
  }
  CHECK_OK(cpet_store_close(s));
  cpet_traj_free(t);
  CPET_CHECK_(mt_checksum(fn) == before, "%s changed after a refused delete of %s", fn, node);
}

static void cpet_written(void) {
  const char *fn = "del.hdf5";
  write_file(fn);
  refused(fn, "deltraj", "parameters.x", 0, CPET_ERR_EXPLORED);
  refused(fn, "deltraj", "parameters", 1, CPET_ERR_EXPLORED);
  refused(fn, "deltraj", "results.sub", 0, CPET_ERR_STATE);
  refused(fn, "deltraj", "results.r1", 2, CPET_ERR_TYPE);
  refused(fn, "deltraj", "results.nolink", 2, CPET_ERR_NOTSTORED);

  cpet_store *s = NULL;
  CHECK_OK(cpet_store_open(fn, CPET_OPEN_APPEND, NULL, &s));
  cpet_traj *t = mt_load_from(s, "deltraj");
  cpet_node *r1 = find(t, "results.r1");
  const char *only[2] = {"b", "not_there"};
  CHECK_OK(cpet_store_delete(s, t, r1, only, 2, 1, 0));
  CHECK(cpet_leaf_get(r1, "b") == NULL);
  CHECK(cpet_leaf_get(r1, "a") != NULL);
  CHECK_ERR(cpet_store_delete(s, t, find(t, "results.sub"), only, 1, 0, 1), CPET_ERR_INVAL);
  CHECK_OK(cpet_store_delete(s, t, find(t, "parameters.y"), NULL, 0, 0, 0));
  CHECK_OK(cpet_store_delete(s, t, find(t, "results.sub"), NULL, 0, 0, 1));
  CHECK_OK(cpet_store_delete(s, t, find(t, "results.empty"), NULL, 0, 0, 0));
  CHECK_OK(cpet_store_delete_link(s, t, "results.to_y", 1));
  CHECK(cpet__traj_find_exact(t, "results.to_y") == NULL);
  /* nodes added after the store are not in the file */
  cpet_node *fresh = NULL;
  CHECK_OK(cpet_traj_add_result(t, "results.fresh", CPET_CLASS_RESULT, NULL, NULL, &fresh));
  CHECK_ERR(cpet_store_delete(s, t, fresh, NULL, 0, 0, 0), CPET_ERR_NOTSTORED);
  cpet_traj_free(t);
  CHECK_OK(cpet_store_close(s));

  CHECK_OK(cpet_store_open(fn, CPET_OPEN_READ, NULL, &s));
  t = mt_load_from(s, "deltraj");
  r1 = find(t, "results.r1");
  CHECK_INT(cpet_leaf_nitems(r1), 1);
  double a = 0;
  CHECK_OK(cpet_value_to_f64(cpet_leaf_get(r1, "a"), &a));
  CHECK_DBL(a, 1.0);
  CHECK_STR(cpet_node_comment(r1), "two items");
  CHECK(cpet__traj_find_exact(t, "parameters.y") == NULL);
  CHECK(cpet__traj_find_exact(t, "results.sub") == NULL);
  CHECK(cpet__traj_find_exact(t, "results.sub.deeper.l2") == NULL);
  CHECK(cpet__traj_find_exact(t, "results.empty") == NULL);
  CHECK(cpet__traj_find_exact(t, "results.to_y") == NULL);
  cpet_node *x = find(t, "parameters.x");
  CHECK_INT(cpet_param_range_len(x), 3);
  CHECK_INT(cpet_traj_length(t), 3);
  cpet_traj_free(t);
  CHECK_OK(cpet_store_close(s));
}

/* links_annotations.hdf5 (pypet-written): delete a result and a link. */
static void pypet_written(void) {
  const char *fn = "del_fixture.hdf5";
  if (mt_copy_fixture("links_annotations.hdf5", fn)) {
    CHECK(0);
    return;
  }
  refused(fn, "linked", "parameters.physics.mass", 2, CPET_ERR_TYPE);
  cpet_store *s = NULL;
  CHECK_OK(cpet_store_open(fn, CPET_OPEN_APPEND, NULL, &s));
  cpet_traj *t = mt_load_from(s, "linked");
  CHECK_OK(cpet_store_delete(s, t, find(t, "results.analysis.energy"), NULL, 0, 0, 0));
  CHECK_OK(cpet_store_delete_link(s, t, "results.analysis.mass_link", 0));
  CHECK_OK(cpet_store_delete(s, t, find(t, "misc.note"), NULL, 0, 0, 0));
  cpet_traj_free(t);
  CHECK_OK(cpet_store_close(s));

  CHECK_OK(cpet_store_open(fn, CPET_OPEN_READ, NULL, &s));
  t = mt_load_from(s, "linked");
  CHECK(cpet__traj_find_exact(t, "results.analysis.energy") == NULL);
  CHECK(cpet__traj_find_exact(t, "results.analysis.mass_link") == NULL);
  CHECK(cpet__traj_find_exact(t, "misc.note") == NULL);
  cpet_node *g = find(t, "results.analysis.physics_group");
  CHECK(g && cpet_node_kind_of(g) == CPET_NODE_LINK);
  cpet_node *m = find(t, "parameters.physics.mass");
  CHECK(m && cpet_param_value(m) != NULL);
  cpet_traj_free(t);
  CHECK_OK(cpet_store_close(s));
}

static void lazy(void) {
  cpet_store *s = NULL;
  cpet_traj *t = NULL;
  CHECK_OK(cpet_store_open_lazy(&s));
  CHECK_OK(cpet_traj_create("lazy", &t));
  cpet_node *r = NULL;
  CHECK_OK(cpet_traj_add_result(t, "results.r", CPET_CLASS_RESULT, NULL, NULL, &r));
  CHECK_OK(cpet_store_delete(s, t, r, NULL, 0, 0, 1));
  CHECK_OK(cpet_store_delete_link(s, t, "results.l", 0));
  cpet_traj_free(t);
  CHECK_OK(cpet_store_close(s));
}

int main(void) {
  cpet_written();
  pypet_written();
  lazy();
  CPET_TEST_END();
}
