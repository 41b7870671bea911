/* test_tree.c - groups, leaves, comments, annotations, links, natural-naming lookup, results in
 * runs, removal, leaf items with storage flags, and the internal loader entry points. */
#include <cpet/cpet_traj.h>
#include <cpet/cpet_value.h>

#include "cpet_test.h"
#include "tree/tree_int.h"

static cpet_value *ival(int64_t i) {
  cpet_value *v = NULL;
  cpet_value_new_int(i, &v);
  return v;
}
static cpet_value *fval(double x) {
  cpet_value *v = NULL;
  cpet_value_new_float(x, &v);
  return v;
}

static void test_groups_and_leaves(void) {
  cpet_traj *t = NULL;
  CHECK_OK(cpet_traj_create("tree", &t));
  CHECK_UINT(cpet_traj_count(t), 0);
  cpet_node *root = cpet_traj_root(t);
  CHECK_STR(cpet_node_full_name(root), "");
  CHECK_INT(cpet_node_branch(root), CPET_BRANCH_ROOT);
  CHECK(cpet_node_parent(root) == NULL);

  cpet_node *g = NULL, *g2 = NULL;
  CHECK_OK(cpet_traj_add_group(t, "parameters.neuron", "neuron group", &g));
  CHECK_UINT(cpet_traj_count(t), 2);
  CHECK_STR(cpet_node_name(g), "neuron");
  CHECK_STR(cpet_node_comment(g), "neuron group");
  CHECK_STR(cpet_node_group_class(g), "ParameterGroup");
  CHECK_INT(cpet_node_branch(g), CPET_BRANCH_PARAMETERS);
  CHECK_OK(cpet_traj_add_group(t, "parameters.neuron", NULL, &g2)); /* returns the existing */
  CHECK(g == g2);
  CHECK_UINT(cpet_traj_count(t), 2);
  CHECK_STR(cpet_node_group_class(cpet_node_parent(g)), "ParameterGroup");
  CHECK_OK(cpet_traj_add_group(t, "config.c", NULL, &g2));
  CHECK_STR(cpet_node_group_class(g2), "ConfigGroup");
  CHECK_OK(cpet_traj_add_group(t, "derived_parameters.d", NULL, &g2));
  CHECK_STR(cpet_node_group_class(g2), "DerivedParameterGroup");
  CHECK_OK(cpet_traj_add_group(t, "results.r", NULL, &g2));
  CHECK_STR(cpet_node_group_class(g2), "ResultGroup");
  CHECK_OK(cpet_traj_add_group(t, "analysis.a", NULL, &g2));
  CHECK_STR(cpet_node_group_class(g2), "NNGroupNode");
  CHECK_INT(cpet_node_branch(g2), CPET_BRANCH_OTHER);
  CHECK_STR(cpet_node_group_class(root), "Trajectory");

  /* parameters: name without branch goes under parameters */
  cpet_node *tau = NULL, *p = NULL;
  cpet_value *v = fval(0.01);
  CHECK_OK(cpet_traj_add_param(t, "neuron.tau", CPET_CLASS_PARAMETER, v, "tau", &tau));
  CHECK_STR(cpet_node_full_name(tau), "parameters.neuron.tau");
  CHECK(cpet_node_parent(tau) == g);
  CHECK_INT(cpet_node_kind_of(tau), CPET_NODE_LEAF);
  CHECK_STR(cpet_node_class_name(tau), "Parameter");
  CHECK_STR(cpet_node_group_class(tau), "");
  CHECK(cpet_node_is_parameter(tau));
  CHECK(cpet_value_equal(cpet_param_value(tau), v));
  CHECK(cpet_param_current(tau) == cpet_param_value(tau));
  CHECK(!cpet_leaf_is_empty(tau));
  CHECK_ERR(cpet_traj_add_param(t, "neuron.tau", CPET_CLASS_PARAMETER, v, NULL, NULL),
            CPET_ERR_EXISTS);
  CHECK_ERR(cpet_traj_add_group(t, "parameters.neuron.tau", NULL, NULL), CPET_ERR_EXISTS);
  CHECK_ERR(cpet_traj_add_group(t, "parameters.neuron.tau.below", NULL, NULL), CPET_ERR_TYPE);
  CHECK_ERR(cpet_traj_add_param(t, "x", CPET_CLASS_RESULT, v, NULL, NULL), CPET_ERR_INVAL);
  CHECK_ERR(cpet_traj_add_param(t, "x", CPET_CLASS_PICKLE_PARAMETER, v, NULL, NULL),
            CPET_ERR_INVAL);
  CHECK_OK(cpet_traj_add_param(t, "config.c.verbose", CPET_CLASS_PARAMETER, v, NULL, &p));
  CHECK_STR(cpet_node_full_name(p), "config.c.verbose");
  CHECK_OK(cpet_traj_add_param(t, "results.oops", CPET_CLASS_PARAMETER, v, NULL, &p));
  CHECK_STR(cpet_node_full_name(p), "parameters.results.oops"); /* as pypet's prefixing */
  CHECK_OK(cpet_traj_add_param(t, "empty", CPET_CLASS_PARAMETER, NULL, NULL, &p));
  CHECK(cpet_leaf_is_empty(p));
  CHECK(cpet_param_value(p) == NULL);

  /* parameter value support per class */
  cpet_value *none = NULL, *bytes_ = NULL, *arr = NULL, *empty_arr = NULL, *tup = NULL;
  cpet_value_new_none(&none);
  const char bb[3] = "abc";
  cpet_value_new_scalar(CPET_T_BYTES, bb, 3, &bytes_);
  size_t sh0 = 0, sh3 = 3;
  double d3[3] = {1, 2, 3};
  cpet_value_new_array(CPET_KIND_NDARRAY, CPET_T_FLOAT64, 0, 1, &sh0, NULL, &empty_arr);
  cpet_value_new_array(CPET_KIND_NDARRAY, CPET_T_FLOAT64, 0, 1, &sh3, d3, &arr);
  cpet_value_new_seq(CPET_KIND_TUPLE, &tup);
  size_t before = cpet_traj_count(t);
  CHECK_ERR(cpet_traj_add_param(t, "n1", CPET_CLASS_PARAMETER, none, NULL, NULL), CPET_ERR_TYPE);
  CHECK_ERR(cpet_traj_add_param(t, "n2", CPET_CLASS_PARAMETER, bytes_, NULL, NULL), CPET_ERR_TYPE);
  CHECK_ERR(cpet_traj_add_param(t, "n3", CPET_CLASS_PARAMETER, empty_arr, NULL, NULL),
            CPET_ERR_TYPE);
  CHECK_ERR(cpet_traj_add_param(t, "n4", CPET_CLASS_PARAMETER, tup, NULL, NULL), CPET_ERR_TYPE);
  CHECK_UINT(cpet_traj_count(t), before);
  CHECK_OK(cpet_traj_add_param(t, "a1", CPET_CLASS_ARRAY_PARAMETER, empty_arr, NULL, NULL));
  CHECK_OK(cpet_traj_add_param(t, "a2", CPET_CLASS_ARRAY_PARAMETER, tup, NULL, NULL));
  CHECK_OK(cpet_traj_add_param(t, "a3", CPET_CLASS_PARAMETER, arr, NULL, &p));
  CHECK_STR(cpet_node_class_name(p), "Parameter");
  CHECK_OK(cpet_traj_add_param(t, "a4", CPET_CLASS_SPARSE_PARAMETER, arr, NULL, &p));
  CHECK_STR(cpet_node_class_name(p), "SparseParameter");

  /* cpet_param_set */
  CHECK_OK(cpet_param_set(tau, arr)); /* not explored: any supported value */
  CHECK_ERR(cpet_param_set(tau, none), CPET_ERR_TYPE);
  cpet__node_set_locked(tau, 1);
  CHECK(cpet__node_is_locked(tau));
  CHECK_ERR(cpet_param_set(tau, v), CPET_ERR_STATE);
  cpet__node_set_locked(tau, 0);
  CHECK_OK(cpet_param_set(tau, v));

  /* results */
  cpet_node *r = NULL;
  cpet_value *z = ival(42);
  CHECK_OK(cpet_traj_add_result(t, "z", CPET_CLASS_RESULT, z, "the answer", &r));
  CHECK_STR(cpet_node_full_name(r), "results.z");
  CHECK(!cpet_node_is_parameter(r));
  CHECK_STR(cpet_node_class_name(r), "Result");
  CHECK_UINT(cpet_leaf_nitems(r), 1);
  CHECK(cpet_value_equal(cpet_leaf_get(r, "z"), z));
  CHECK_ERR(cpet_traj_add_result(t, "z", CPET_CLASS_PARAMETER, z, NULL, NULL), CPET_ERR_INVAL);
  CHECK_OK(cpet_traj_add_result(t, "analysis.a.rr", CPET_CLASS_RESULT, z, NULL, &r));
  CHECK_STR(cpet_node_full_name(r), "analysis.a.rr"); /* existing other-data branch */
  CHECK_OK(cpet_traj_add_result(t, "nobranch.rr", CPET_CLASS_RESULT, NULL, NULL, &r));
  CHECK_STR(cpet_node_full_name(r), "results.nobranch.rr");
  CHECK(cpet_leaf_is_empty(r));
  before = cpet_traj_count(t);
  CHECK_ERR(cpet_traj_add_result(t, "res", CPET_CLASS_RESULT, z, NULL, NULL), CPET_ERR_NAME);
  CHECK_ERR(cpet_traj_add_result(t, "results", CPET_CLASS_RESULT, z, NULL, NULL), CPET_ERR_NAME);
  CHECK_ERR(cpet_traj_add_param(t, "par", CPET_CLASS_PARAMETER, z, NULL, NULL), CPET_ERR_NAME);
  CHECK_UINT(cpet_traj_count(t), before);
  CHECK_OK(cpet_traj_add_result(t, "g.res", CPET_CLASS_RESULT, z, NULL, &r));
  CHECK_STR(cpet_node_full_name(r), "results.g.results"); /* pypet translates `res` */
  CHECK_OK(cpet_traj_add_result(t, "sp", CPET_CLASS_SPARSE_RESULT, NULL, NULL, &r));
  CHECK_STR(cpet_node_class_name(r), "SparseResult");

  /* comments and annotations */
  CHECK_STR(cpet_node_comment(tau), "tau");
  CHECK_OK(cpet_node_set_comment(tau, "new"));
  CHECK_STR(cpet_node_comment(tau), "new");
  CHECK_OK(cpet_node_set_comment(tau, NULL));
  CHECK_STR(cpet_node_comment(tau), "");
  CHECK_UINT(cpet_node_nannotations(tau), 0);
  CHECK_OK(cpet_node_annotate(tau, "unit", v));
  CHECK_OK(cpet_node_annotate(tau, "sch\xc3\xb6n", z)); /* any key */
  CHECK_OK(cpet_node_annotate(tau, "unit", z));         /* replaced in place */
  CHECK_UINT(cpet_node_nannotations(tau), 2);
  const char *key = NULL;
  const cpet_value *av = NULL;
  CHECK_OK(cpet_node_annotation(tau, 0, &key, &av));
  CHECK_STR(key, "unit");
  CHECK(cpet_value_equal(av, z));
  CHECK_ERR(cpet_node_annotation(tau, 2, &key, &av), CPET_ERR_RANGE);
  CHECK(cpet_node_annotation_get(tau, "sch\xc3\xb6n") != NULL);
  CHECK(cpet_node_annotation_get(tau, "nope") == NULL);
  CHECK_ERR(cpet_node_annotate(tau, "", z), CPET_ERR_NAME);
  CHECK_OK(cpet_node_annotate(root, "traj_note", z));
  CHECK_OK(cpet_traj_set_comment(t, "a comment"));
  CHECK_STR(cpet_traj_comment(t), "a comment");

  /* children in insertion order */
  CHECK_UINT(cpet_node_nchildren(root), 5);
  CHECK_STR(cpet_node_name(cpet_node_child(root, 0)), "parameters");
  CHECK_STR(cpet_node_name(cpet_node_child(root, 4)), "analysis");
  CHECK(cpet_node_child(root, 5) == NULL);
  CHECK(cpet_node_child_by_name(root, "results") != NULL);
  CHECK(cpet_node_child_by_name(root, "nope") == NULL);

  cpet_value_free(v);
  cpet_value_free(z);
  cpet_value_free(none);
  cpet_value_free(bytes_);
  cpet_value_free(arr);
  cpet_value_free(empty_arr);
  cpet_value_free(tup);
  cpet_traj_free(t);
}

static void test_find_and_links(void) {
  cpet_traj *t = NULL;
  CHECK_OK(cpet_traj_create("find", &t));
  cpet_value *v = ival(3);
  cpet_node *tau = NULL, *tau2 = NULL, *n = NULL, *l = NULL, *grp = NULL;
  CHECK_OK(cpet_traj_add_param(t, "neuron.tau", CPET_CLASS_PARAMETER, v, NULL, &tau));
  CHECK_OK(cpet_traj_add_param(t, "neuron.v_rest", CPET_CLASS_PARAMETER, v, NULL, NULL));
  CHECK_OK(cpet_traj_add_param(t, "syn.w", CPET_CLASS_PARAMETER, v, NULL, NULL));
  CHECK_OK(cpet_traj_add_param(t, "syn2.w", CPET_CLASS_PARAMETER, v, NULL, NULL));
  CHECK_OK(cpet_traj_add_result(t, "deep.er.tau", CPET_CLASS_RESULT, v, NULL, &tau2));
  CHECK_OK(cpet_traj_find(t, "parameters.neuron.tau", &n));
  CHECK(n == tau);
  CHECK_OK(cpet_traj_find(t, "tau", &n)); /* shallowest wins: depth 3 vs 4 */
  CHECK(n == tau);
  CHECK_OK(cpet_traj_find(t, "neuron.tau", &n));
  CHECK(n == tau);
  CHECK_OK(cpet_traj_find(t, "par.neuron.tau", &n)); /* shortcut */
  CHECK(n == tau);
  CHECK_OK(cpet_traj_find(t, "results.tau", &n));
  CHECK(n == tau2);
  CHECK_OK(cpet_traj_find(t, "er.tau", &n));
  CHECK(n == tau2);
  CHECK_OK(cpet_traj_find(t, "v_rest", &n));
  CHECK_STR(cpet_node_full_name(n), "parameters.neuron.v_rest");
  CHECK_ERR(cpet_traj_find(t, "w", &n), CPET_ERR_NAME); /* ambiguous */
  CHECK(strstr(cpet_errmsg(), "parameters.syn.w") != NULL);
  CHECK(strstr(cpet_errmsg(), "parameters.syn2.w") != NULL);
  CHECK_OK(cpet_traj_find(t, "syn2.w", &n));
  CHECK_STR(cpet_node_full_name(n), "parameters.syn2.w");
  CHECK_ERR(cpet_traj_find(t, "nothing", &n), CPET_ERR_NOTFOUND);
  CHECK_ERR(cpet_traj_find(t, "tau.below", &n), CPET_ERR_NOTFOUND);
  CHECK_ERR(cpet_traj_find(t, "_tau", &n), CPET_ERR_NAME);
  CHECK_OK(cpet_traj_find(t, "", &n));
  CHECK(n == cpet_traj_root(t));

  /* links: to leaves and groups, lookup through them */
  CHECK_OK(cpet_traj_find(t, "parameters.neuron", &grp));
  CHECK_OK(cpet_traj_add_link(t, "results.analysis.tau_link", tau, &l));
  CHECK_INT(cpet_node_kind_of(l), CPET_NODE_LINK);
  CHECK(cpet_node_link_target(l) == tau);
  CHECK(cpet_node_link_target(tau) == NULL);
  CHECK_STR(cpet__link_target_name(l), "parameters.neuron.tau");
  CHECK_OK(cpet_traj_find(t, "results.analysis.tau_link", &n));
  CHECK(n == tau);
  CHECK_OK(cpet_traj_add_link(t, "nlink", grp, &l)); /* directly under the root */
  CHECK_OK(cpet_traj_find(t, "nlink.v_rest", &n));
  CHECK_STR(cpet_node_full_name(n), "parameters.neuron.v_rest");
  CHECK_OK(cpet_traj_add_link(t, "results.l2", l, &n)); /* link to a link: its target */
  CHECK(cpet_node_link_target(n) == grp);
  CHECK_ERR(cpet_traj_add_link(t, "results.l3", cpet_traj_root(t), NULL), CPET_ERR_INVAL);
  CHECK_ERR(cpet_traj_add_link(t, "results.l2", tau, NULL), CPET_ERR_EXISTS);
  CHECK_ERR(cpet_traj_add_group(t, "nlink.sub", NULL, NULL), CPET_ERR_TYPE);

  /* dangling links by path (loader) */
  cpet_node *dl = NULL;
  CHECK_OK(cpet__traj_add_link_path(t, "results.later", "parameters.later.x", &dl));
  CHECK(cpet_node_link_target(dl) == NULL);
  CHECK_ERR(cpet_traj_find(t, "results.later", &n), CPET_ERR_NOTFOUND);
  cpet_node *lx = NULL;
  CHECK_OK(cpet_traj_add_param(t, "later.x", CPET_CLASS_PARAMETER, v, NULL, &lx));
  CHECK(cpet_node_link_target(dl) == lx);
  CHECK_OK(cpet_traj_find(t, "results.later", &n));
  CHECK(n == lx);

  /* remove: links to removed nodes become dangling */
  size_t before = cpet_traj_count(t);
  CHECK_ERR(cpet_traj_remove(t, grp, 0), CPET_ERR_STATE);
  CHECK_ERR(cpet_traj_remove(t, cpet_traj_root(t), 1), CPET_ERR_INVAL);
  CHECK_OK(cpet_traj_remove(t, grp, 1));
  CHECK_UINT(cpet_traj_count(t), before - 3);
  CHECK(cpet_node_link_target(l) == NULL);
  CHECK_STR(cpet__link_target_name(l), "parameters.neuron");
  CHECK_OK(cpet_traj_find(t, "tau", &n));
  CHECK(n == tau2); /* only the result is left */
  CHECK_ERR(cpet_traj_find(t, "v_rest", &n), CPET_ERR_NOTFOUND);
  CHECK_ERR(cpet_traj_find(t, "nlink.v_rest", &n), CPET_ERR_NOTFOUND);
  CHECK_OK(cpet_traj_find(t, "syn.w", &n));
  CHECK_OK(cpet_traj_remove(t, n, 0));
  CHECK_OK(cpet_traj_find(t, "w", &n)); /* no longer ambiguous */
  CHECK_STR(cpet_node_full_name(n), "parameters.syn2.w");
  /* re-adding a removed node resolves the dangling link again */
  CHECK_OK(cpet_traj_add_group(t, "parameters.neuron", NULL, &grp));
  CHECK(cpet_node_link_target(l) == grp);
  cpet_value_free(v);
  cpet_traj_free(t);
}

static void test_many_children(void) {
  cpet_traj *t = NULL;
  CHECK_OK(cpet_traj_create("many", &t));
  char name[64];
  cpet_value *v = ival(1);
  CHECK_OK(cpet_traj_set_length(t, 5000));
  for (int i = 0; i < 5000; i++) {
    CHECK_OK(cpet_traj_set_crun(t, i));
    cpet_node *r = NULL;
    int st = cpet_traj_add_result(t, "z", CPET_CLASS_RESULT, v, NULL, &r);
    if (st != CPET_OK) {
      CHECK_OK(st);
      break;
    }
  }
  CHECK_OK(cpet_traj_set_crun(t, -1));
  CHECK_UINT(cpet_traj_count(t), 2 + 5000 * 2);
  cpet_node *runs = NULL, *n = NULL;
  CHECK_OK(cpet_traj_find(t, "results.runs", &runs));
  CHECK_UINT(cpet_node_nchildren(runs), 5000);
  CHECK_STR(cpet_node_name(cpet_node_child(runs, 4321)), "run_00004321");
  snprintf(name, sizeof name, "run_%08d", 3333);
  CHECK(cpet_node_child_by_name(runs, name) != NULL);
  CHECK_OK(cpet_traj_find(t, "results.runs.run_00004999.z", &n));
  CHECK_INT(cpet_node_run_index(n), 4999);
  CHECK_ERR(cpet_traj_find(t, "z", &n), CPET_ERR_NAME);
  CHECK_OK(cpet_traj_find(t, "run_00000017.z", &n));
  CHECK_STR(cpet_node_full_name(n), "results.runs.run_00000017.z");
  CHECK_OK(cpet_traj_find(t, "r_18.z", &n));
  CHECK_STR(cpet_node_full_name(n), "results.runs.run_00000018.z");
  /* removing from the middle keeps the hash index consistent */
  CHECK_OK(cpet_traj_find(t, "results.runs.run_00002500", &n));
  CHECK_OK(cpet_traj_remove(t, n, 1));
  CHECK(cpet_node_child_by_name(runs, "run_00002500") == NULL);
  CHECK(cpet_node_child_by_name(runs, "run_00002501") != NULL);
  CHECK_STR(cpet_node_name(cpet_node_child(runs, 2500)), "run_00002501");
  CHECK_UINT(cpet_traj_count(t), 2 + 4999 * 2);
  cpet_value_free(v);
  cpet_traj_free(t);
}

static int count_cb(cpet_node *n, void *ud) {
  (*(size_t *)ud)++;
  return cpet_node_kind_of(n) == CPET_NODE_LEAF && strcmp(cpet_node_name(n), "skip") == 0 ? 1 : 0;
}
static int stop_cb(cpet_node *n, void *ud) {
  (*(size_t *)ud)++;
  return strcmp(cpet_node_name(n), "b") == 0 ? CPET_ERR_CALLBACK : 0;
}
static int order_cb(cpet_node *n, void *ud) {
  char *s = ud;
  strcat(s, cpet_node_name(n));
  strcat(s, " ");
  return strcmp(cpet_node_name(n), "g") == 0 ? 1 : 0;
}

static void test_items_flags_internal(void) {
  cpet_traj *t = NULL;
  CHECK_OK(cpet_traj_create("items", &t));
  cpet_node *r = NULL, *p = NULL;
  cpet_value *i1 = ival(1), *dict = NULL, *edict = NULL, *arr = NULL, *earr = NULL, *tab = NULL;
  cpet_value_new_dict(&dict);
  cpet_value_set(dict, "k", ival(5));
  cpet_value_new_dict(&edict);
  size_t sh = 2, sh0 = 0;
  int64_t d2[2] = {1, 2};
  cpet_value_new_array(CPET_KIND_NDARRAY, CPET_T_INT64, 0, 1, &sh, d2, &arr);
  cpet_value_new_array(CPET_KIND_NDARRAY, CPET_T_INT64, 0, 1, &sh0, NULL, &earr);
  cpet_value_new_table(&tab);
  cpet_value *col = NULL;
  cpet_value_new_array(CPET_KIND_NDARRAY, CPET_T_INT64, 0, 1, &sh, d2, &col);
  cpet_value_set(tab, "c", col);

  CHECK_OK(cpet_traj_add_result(t, "r", CPET_CLASS_RESULT, NULL, NULL, &r));
  CHECK_OK(cpet_leaf_set(r, "a", i1, CPET_FLAG_AUTO));
  CHECK_OK(cpet_leaf_set(r, "d", dict, CPET_FLAG_AUTO));
  CHECK_OK(cpet_leaf_set(r, "e", edict, CPET_FLAG_AUTO));
  CHECK_OK(cpet_leaf_set(r, "arr", arr, CPET_FLAG_AUTO));
  CHECK_OK(cpet_leaf_set(r, "earr", earr, CPET_FLAG_AUTO));
  CHECK_OK(cpet_leaf_set(r, "t", tab, CPET_FLAG_AUTO));
  CHECK_OK(cpet_leaf_set(r, "grp.sub.x", arr, CPET_FLAG_EARRAY));
  CHECK_UINT(cpet_leaf_nitems(r), 7);
  const char *key;
  const cpet_value *val;
  cpet_flag f;
  cpet_flag want[7] = {CPET_FLAG_ARRAY, CPET_FLAG_DICT,  CPET_FLAG_ARRAY, CPET_FLAG_CARRAY,
                       CPET_FLAG_ARRAY, CPET_FLAG_TABLE, CPET_FLAG_EARRAY};
  for (size_t i = 0; i < 7; i++) {
    CHECK_OK(cpet_leaf_item(r, i, &key, &val, &f));
    CPET_CHECK_(f == want[i], "item %s flag %s, wanted %s", key, cpet__flag_name(f),
                cpet__flag_name(want[i]));
  }
  CHECK_ERR(cpet_leaf_item(r, 7, &key, &val, &f), CPET_ERR_RANGE);
  /* flags that cannot hold the value */
  CHECK_ERR(cpet_leaf_set(r, "x", i1, CPET_FLAG_TABLE), CPET_ERR_TYPE);
  CHECK_ERR(cpet_leaf_set(r, "x", i1, CPET_FLAG_CARRAY), CPET_ERR_TYPE);
  CHECK_ERR(cpet_leaf_set(r, "x", earr, CPET_FLAG_CARRAY), CPET_ERR_TYPE);
  CHECK_ERR(cpet_leaf_set(r, "x", edict, CPET_FLAG_DICT), CPET_ERR_TYPE);
  CHECK_ERR(cpet_leaf_set(r, "x", dict, CPET_FLAG_ARRAY), CPET_ERR_TYPE);
  CHECK_ERR(cpet_leaf_set(r, "x", tab, CPET_FLAG_FRAME), CPET_ERR_TYPE);
  CHECK_ERR(cpet_leaf_set(r, "x", arr, CPET_FLAG_SERIES), CPET_ERR_TYPE);
  CHECK_ERR(cpet_leaf_set(r, "x", arr, (cpet_flag)99), CPET_ERR_INVAL);
  CHECK_ERR(cpet_leaf_set(r, "", arr, CPET_FLAG_AUTO), CPET_ERR_NAME);
  CHECK_ERR(cpet_leaf_set(r, "a..b", arr, CPET_FLAG_AUTO), CPET_ERR_NAME);
  CHECK_UINT(cpet_leaf_nitems(r), 7);
  CHECK_OK(cpet_leaf_set(r, "a", arr, CPET_FLAG_ARRAY)); /* replace in place */
  CHECK_OK(cpet_leaf_item(r, 0, &key, &val, &f));
  CHECK_STR(key, "a");
  CHECK(cpet_value_equal(val, arr));
  CHECK_OK(cpet_leaf_remove_item(r, "e"));
  CHECK_ERR(cpet_leaf_remove_item(r, "e"), CPET_ERR_NOTFOUND);
  CHECK(cpet_leaf_get(r, "e") == NULL);
  cpet_value *take = ival(9);
  CHECK_OK(cpet_leaf_set_take(r, "taken", take, CPET_FLAG_AUTO));
  CHECK(cpet_leaf_get(r, "taken") == take);
  CHECK_ERR(cpet_leaf_set_take(r, "bad", ival(9), CPET_FLAG_TABLE), CPET_ERR_TYPE); /* freed */
  CHECK_OK(cpet_leaf_clear(r));
  CHECK(cpet_leaf_is_empty(r));

  /* shared results default to SHARED_DATA_ */
  cpet_node *sr = NULL;
  CHECK_OK(cpet_traj_add_result(t, "shared", CPET_CLASS_SHARED_RESULT, NULL, NULL, &sr));
  CHECK_OK(cpet_leaf_set(sr, "arr", arr, CPET_FLAG_AUTO));
  CHECK_OK(cpet_leaf_item(sr, 0, &key, &val, &f));
  CHECK_INT(f, CPET_FLAG_SHARED_DATA);
  /* parameters hold their value through cpet_param_set */
  CHECK_OK(cpet_traj_add_param(t, "p", CPET_CLASS_PARAMETER, i1, NULL, &p));
  CHECK_ERR(cpet_leaf_set(p, "data", i1, CPET_FLAG_AUTO), CPET_ERR_STATE);
  CHECK_ERR(cpet_leaf_set(cpet_traj_root(t), "data", i1, CPET_FLAG_AUTO), CPET_ERR_TYPE);

  /* flag names and defaults */
  const char *names[] = {"ARRAY", "CARRAY", "EARRAY", "VLARRAY",     "TABLE",
                         "DICT",  "FRAME",  "SERIES", "SHARED_DATA_"};
  for (int i = 0; i < 9; i++) {
    cpet_flag g;
    CHECK_STR(cpet__flag_name((cpet_flag)(i + 1)), names[i]);
    CHECK_OK(cpet__flag_from_name(names[i], &g));
    CHECK_INT(g, i + 1);
  }
  cpet_flag g;
  CHECK_OK(cpet__flag_from_name("SHARED_DATA_CARRAY", &g));
  CHECK_INT(g, CPET_FLAG_SHARED_DATA);
  CHECK_ERR(cpet__flag_from_name("NESTED", &g), CPET_ERR_FLAG);
  CHECK_ERR(cpet__flag_check(CPET_FLAG_TABLE, i1), CPET_ERR_FLAG);
  CHECK_INT(cpet__flag_default(i1), CPET_FLAG_ARRAY);
  CHECK_INT(cpet__flag_default(dict), CPET_FLAG_DICT);
  CHECK_INT(cpet__flag_default(edict), CPET_FLAG_ARRAY);
  CHECK_INT(cpet__flag_default(arr), CPET_FLAG_CARRAY);
  CHECK_INT(cpet__flag_default(earr), CPET_FLAG_ARRAY);
  CHECK_INT(cpet__flag_default(tab), CPET_FLAG_TABLE);
  cpet_leaf_class c;
  CHECK_OK(cpet__class_from_name("SharedResult", &c));
  CHECK_INT(c, CPET_CLASS_SHARED_RESULT);
  CHECK_STR(cpet__class_name(CPET_CLASS_ARRAY_PARAMETER), "ArrayParameter");
  CHECK_ERR(cpet__class_from_name("BrianParameter", &c), CPET_ERR_NOTFOUND);

  /* loader entry points: exact names, no shortcuts, no run insertion */
  cpet_node *n = NULL;
  CHECK_OK(cpet_traj_set_length(t, 10));
  CHECK_OK(cpet_traj_set_crun(t, 4));
  CHECK_OK(cpet__traj_add_node_exact(t, "results.res.x", CPET_NODE_LEAF, "Result", &n));
  CHECK_STR(cpet_node_full_name(n), "results.res.x");
  CHECK_OK(cpet__traj_add_node_exact(t, "parameters.q", CPET_NODE_LEAF, NULL, &n));
  CHECK_STR(cpet_node_class_name(n), "Parameter");
  CHECK_OK(cpet__traj_add_node_exact(t, "parameters.b", CPET_NODE_LEAF, "BrianParameter", &n));
  CHECK_INT(cpet_node_class(n), CPET_CLASS_CUSTOM);
  CHECK_STR(cpet_node_class_name(n), "BrianParameter");
  CHECK(cpet_node_is_parameter(n));
  CHECK_OK(cpet_traj_add_leaf_raw(t, "results.pk", "PickleResult", &n));
  CHECK_INT(cpet_node_class(n), CPET_CLASS_PICKLE_RESULT);
  CHECK_ERR(cpet__traj_add_node_exact(t, "results.res.x", CPET_NODE_LEAF, NULL, NULL),
            CPET_ERR_EXISTS);
  CHECK_ERR(cpet__traj_add_node_exact(t, "overview.x", CPET_NODE_GROUP, NULL, NULL), CPET_ERR_NAME);
  CHECK_OK(cpet__traj_add_node_exact(t, "results.res", CPET_NODE_GROUP, NULL, &n));
  CHECK(cpet__traj_find_exact(t, "results.res") == n);
  CHECK(cpet__traj_find_exact(t, "res") == NULL);
  CHECK(cpet__traj_find_exact(t, "") == cpet_traj_root(t));
  CHECK(!cpet__node_is_stored(n));
  cpet__node_set_stored(n, 1);
  CHECK(cpet__node_is_stored(n));
  CHECK(cpet__leaf_is_loaded(p));
  cpet__leaf_set_loaded(p, 0);
  CHECK(!cpet__leaf_is_loaded(p));
  CHECK_OK(cpet_traj_set_crun(t, -1));

  /* walk: pre-order, insertion order, skip and stop */
  cpet_traj *w = NULL;
  CHECK_OK(cpet_traj_create("walk", &w));
  CHECK_OK(cpet_traj_add_group(w, "g.a", NULL, NULL));
  CHECK_OK(cpet_traj_add_group(w, "h.b.c", NULL, NULL));
  CHECK_OK(cpet_traj_add_group(w, "h.d", NULL, NULL));
  char order[256] = "";
  CHECK_OK(cpet__traj_walk(w, NULL, order_cb, order));
  CHECK_STR(order, "g h b c d ");
  size_t cnt = 0;
  CHECK_OK(cpet__traj_walk(w, NULL, count_cb, &cnt));
  CHECK_UINT(cnt, 6);
  cnt = 0;
  CHECK_ERR(cpet__traj_walk(w, NULL, stop_cb, &cnt), CPET_ERR_CALLBACK);
  CHECK_UINT(cnt, 4);
  order[0] = '\0';
  CHECK_OK(cpet__traj_walk(w, cpet__traj_find_exact(w, "h"), order_cb, order));
  CHECK_STR(order, "h b c d ");
  cpet_traj_free(w);

  cpet_value_free(i1);
  cpet_value_free(dict);
  cpet_value_free(edict);
  cpet_value_free(arr);
  cpet_value_free(earr);
  cpet_value_free(tab);
  cpet_traj_free(t);
}

static void test_meta(void) {
  cpet_traj *t = NULL;
  CHECK_OK(cpet_traj_create("meta", &t));
  CHECK(cpet_traj_timestamp(t) > 1.0e9);
  CHECK_UINT(strlen(cpet_traj_time(t)), 20);
  CHECK_STR(cpet_traj_version(t), "0.7.0");
  CHECK_STR(cpet_traj_python(t), "3.11.2");
  CHECK_OK(cpet_traj_set_versions(t, "0.6.1", NULL));
  CHECK_STR(cpet_traj_version(t), "0.6.1");
  CHECK_STR(cpet_traj_python(t), "3.11.2");
  CHECK_OK(cpet_traj_set_time(t, 1700000000.5, "2023_11_14_22h13m20s"));
  CHECK_STR(cpet_traj_time(t), "2023_11_14_22h13m20s");
  CHECK_DBL(cpet_traj_timestamp(t), 1700000000.5);
  CHECK_OK(cpet_traj_set_time(t, 1700000000.0, NULL));
  CHECK_UINT(strlen(cpet_traj_time(t)), 20);
  CHECK_STR(cpet_traj_comment(t), "");
  /* runs table placeholders (pypet's _add_run_info) */
  CHECK_UINT(cpet_traj_length(t), 1);
  cpet_run_info ri;
  CHECK_OK(cpet_traj_run_info(t, 0, &ri));
  CHECK_INT(ri.idx, 0);
  CHECK_STR(ri.name, "run_00000000");
  CHECK_STR(ri.time, ">>Maybe time`s gone ");
  CHECK_DBL(ri.timestamp, 42.0);
  CHECK_DBL(ri.finish_timestamp, 1.337);
  CHECK_STR(ri.runtime, "forever and ever");
  CHECK_STR(ri.parameter_summary, "Not yet my friend!");
  CHECK_STR(ri.short_environment_hexsha, "N/A");
  CHECK_INT(ri.completed, 0);
  CHECK_ERR(cpet_traj_run_info(t, 1, &ri), CPET_ERR_RANGE);
  CHECK_ERR(cpet_traj_set_length(t, 0), CPET_ERR_RANGE);
  CHECK_OK(cpet_traj_set_length(t, 3));
  ri.completed = 1;
  snprintf(ri.runtime, sizeof ri.runtime, "0:00:00.007797");
  ri.idx = 77;
  CHECK_OK(cpet_traj_set_run_info(t, 2, &ri));
  CHECK_OK(cpet_traj_run_info(t, 2, &ri));
  CHECK_INT(ri.idx, 2);
  CHECK_STR(ri.name, "run_00000002");
  CHECK_INT(ri.completed, 1);
  CHECK_STR(ri.runtime, "0:00:00.007797");
  CHECK_OK(cpet_traj_set_crun(t, 2));
  CHECK_OK(cpet_traj_set_length(t, 2)); /* shrinking below crun clears it */
  CHECK_INT(cpet_traj_crun(t), -1);
  cpet_traj_free(t);
  cpet_traj_free(NULL);
}

int main(void) {
  test_groups_and_leaves();
  test_find_and_links();
  test_many_children();
  test_items_flags_internal();
  test_meta();
  CPET_TEST_END();
}
