/* test_explore.c - zipped and cartesian exploration, expansion, run names, parameter summaries
 * as pypet prints them, refused type changes, and a 100,000-run exploration. */
#include <cpet/cpet_traj.h>
#include <cpet/cpet_value.h>

#include "cpet_test.h"
#include "tree/tree_int.h"

static cpet_value *ilist(const int64_t *x, size_t n) {
  cpet_value *v = NULL;
  cpet_value_new_array(CPET_KIND_LIST, CPET_T_PY_INT, 0, 1, &n, x, &v);
  return v;
}
static cpet_value *flist(const double *x, size_t n) {
  cpet_value *v = NULL;
  cpet_value_new_array(CPET_KIND_LIST, CPET_T_PY_FLOAT, 0, 1, &n, x, &v);
  return v;
}
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
static int64_t as_i(const cpet_value *v) {
  int64_t i = -999;
  if (v) cpet_value_to_i64(v, &i);
  return i;
}
static double as_f(const cpet_value *v) {
  double d = -999;
  if (v) cpet_value_to_f64(v, &d);
  return d;
}

static cpet_traj *make_xy(cpet_node **x, cpet_node **y) {
  cpet_traj *t = NULL;
  CHECK_OK(cpet_traj_create("explore", &t));
  cpet_value *a = ival(0), *b = fval(0.0);
  CHECK_OK(cpet_traj_add_param(t, "x", CPET_CLASS_PARAMETER, a, NULL, x));
  CHECK_OK(cpet_traj_add_param(t, "group.y", CPET_CLASS_PARAMETER, b, NULL, y));
  cpet_value_free(a);
  cpet_value_free(b);
  return t;
}

static void test_product(void) {
  cpet_node *x, *y;
  cpet_traj *t = make_xy(&x, &y);
  int64_t xs[] = {1, 2, 3};
  double ys[] = {0.25, 0.5};
  cpet_value *rx = ilist(xs, 3), *ry = flist(ys, 2);
  const char *names[] = {"x", "y"};
  const cpet_value *ranges[] = {rx, ry};
  CHECK_UINT(cpet_traj_length(t), 1);
  CHECK_OK(cpet_traj_explore_product(t, 2, names, ranges));
  CHECK_UINT(cpet_traj_length(t), 6);
  CHECK_UINT(cpet_traj_nexplored(t), 2);
  CHECK(cpet_traj_explored(t, 0) == x);
  CHECK(cpet_traj_explored(t, 1) == y);
  CHECK(cpet_param_is_explored(x));
  CHECK_UINT(cpet_param_range_len(y), 6);
  int64_t wx[] = {1, 1, 2, 2, 3, 3};
  double wy[] = {0.25, 0.5, 0.25, 0.5, 0.25, 0.5};
  for (size_t i = 0; i < 6; i++) {
    CHECK_INT(as_i(cpet_param_range(x, i)), wx[i]);
    CHECK_DBL(as_f(cpet_param_range(y, i)), wy[i]);
    CHECK_INT(cpet_value_type(cpet_param_range(x, i)), CPET_T_PY_INT);
  }
  CHECK(cpet_param_range(x, 6) == NULL);
  char buf[600];
  CHECK_OK(cpet_traj_parameter_summary(t, 0, buf, sizeof buf));
  CHECK_STR(buf, "x: 1,   y: 0.25");
  CHECK_OK(cpet_traj_parameter_summary(t, 5, buf, sizeof buf));
  CHECK_STR(buf, "x: 3,   y: 0.5");
  CHECK_ERR(cpet_traj_parameter_summary(t, 6, buf, sizeof buf), CPET_ERR_RANGE);
  CHECK_OK(cpet_traj_parameter_summary(t, 0, buf, 8)); /* cut as the writer cuts strings */
  CHECK_STR(buf, "x: 1...");
  /* run info rows are placeholders; names follow run_%08d */
  cpet_run_info ri;
  CHECK_OK(cpet_traj_run_info(t, 5, &ri));
  CHECK_STR(ri.name, "run_00000005");
  CHECK_STR(ri.parameter_summary, "Not yet my friend!");
  /* the current value follows the selected run */
  CHECK_INT(as_i(cpet_param_current(x)), 0);
  CHECK_OK(cpet_traj_set_crun(t, 3));
  CHECK_INT(as_i(cpet_param_current(x)), 2);
  CHECK_DBL(as_f(cpet_param_current(y)), 0.5);
  CHECK_OK(cpet_traj_set_crun(t, -1));
  CHECK_INT(as_i(cpet_param_current(x)), 0);
  /* explored parameters cannot be removed (nor their groups) */
  cpet_node *g = NULL;
  CHECK_OK(cpet_traj_find(t, "parameters.group", &g));
  CHECK_ERR(cpet_traj_remove(t, g, 1), CPET_ERR_EXPLORED);
  CHECK_ERR(cpet_traj_remove(t, x, 0), CPET_ERR_EXPLORED);
  /* exploring again is refused; expanding works */
  CHECK_ERR(cpet_traj_explore(t, 1, names, ranges), CPET_ERR_EXPLORED);
  cpet_value_free(rx);
  cpet_value_free(ry);
  cpet_traj_free(t);
}

static void test_zipped_expand(void) {
  cpet_node *x, *y;
  cpet_traj *t = make_xy(&x, &y);
  int64_t xs[] = {1, 2, 3};
  double ys[] = {0.25, 0.5, 0.75};
  cpet_value *rx = ilist(xs, 3), *ry = flist(ys, 3), *ry2 = flist(ys, 2);
  const char *names[] = {"parameters.x", "group.y"};
  const cpet_value *ranges[] = {rx, ry};
  const cpet_value *bad[] = {rx, ry2};
  size_t count = cpet_traj_count(t);
  CHECK_ERR(cpet_traj_explore(t, 2, names, bad), CPET_ERR_INVAL); /* unequal lengths */
  CHECK(!cpet_param_is_explored(x));
  CHECK_UINT(cpet_traj_nexplored(t), 0);
  CHECK_UINT(cpet_traj_length(t), 1);
  const char *dup[] = {"x", "parameters.x"};
  CHECK_ERR(cpet_traj_explore(t, 2, dup, ranges), CPET_ERR_INVAL);
  CHECK_OK(cpet_traj_explore(t, 1, names, ranges)); /* one at a time, as pypet allows */
  CHECK_UINT(cpet_traj_length(t), 3);
  CHECK_ERR(cpet_traj_explore(t, 1, names + 1, bad + 1), CPET_ERR_INVAL); /* length 2 != 3 */
  CHECK(!cpet_param_is_explored(y));
  CHECK_OK(cpet_traj_explore(t, 1, names + 1, ranges + 1));
  CHECK_UINT(cpet_traj_nexplored(t), 2);
  CHECK_UINT(cpet_traj_count(t), count);
  for (size_t i = 0; i < 3; i++) {
    CHECK_INT(as_i(cpet_param_range(x, i)), xs[i]);
    CHECK_DBL(as_f(cpet_param_range(y, i)), ys[i]);
  }
  char buf[600];
  CHECK_OK(cpet_traj_parameter_summary(t, 2, buf, sizeof buf));
  CHECK_STR(buf, "x: 3,   y: 0.75");

  /* expand: all explored parameters, zipped */
  int64_t xe[] = {10, 20};
  double ye[] = {1.5, 2.5};
  cpet_value *rxe = ilist(xe, 2), *rye = flist(ye, 2);
  const cpet_value *er[] = {rxe, rye};
  CHECK_ERR(cpet_traj_expand(t, 1, names, er), CPET_ERR_INVAL); /* y missing */
  CHECK_UINT(cpet_traj_length(t), 3);
  cpet_run_info ri;
  CHECK_OK(cpet_traj_run_info(t, 1, &ri));
  ri.completed = 1;
  CHECK_OK(cpet_traj_set_run_info(t, 1, &ri));
  CHECK_ERR(cpet_traj_explore(t, 1, names, ranges), CPET_ERR_STATE); /* a run completed */
  cpet__node_set_stored(x, 1);
  CHECK_OK(cpet_traj_expand(t, 2, names, er));
  CHECK_UINT(cpet_traj_length(t), 5);
  CHECK_UINT(cpet_param_range_len(x), 5);
  CHECK_INT(as_i(cpet_param_range(x, 4)), 20);
  CHECK_DBL(as_f(cpet_param_range(y, 3)), 1.5);
  CHECK(!cpet__node_is_stored(x)); /* pypet rewrites expanded parameters */
  CHECK_OK(cpet_traj_run_info(t, 1, &ri));
  CHECK_INT(ri.completed, 1); /* old rows are kept */
  CHECK_OK(cpet_traj_run_info(t, 4, &ri));
  CHECK_STR(ri.name, "run_00000004");
  CHECK_INT(ri.completed, 0);
  CHECK_OK(cpet_traj_parameter_summary(t, 4, buf, sizeof buf));
  CHECK_STR(buf, "x: 20,   y: 2.5");
  /* expansion with a wrong type changes nothing */
  const cpet_value *er_bad[] = {rye, rye};
  CHECK_ERR(cpet_traj_expand(t, 2, names, er_bad), CPET_ERR_EXPLORED);
  CHECK_UINT(cpet_traj_length(t), 5);
  CHECK_UINT(cpet_param_range_len(x), 5);
  CHECK_UINT(cpet_param_range_len(y), 5);

  cpet_value_free(rx);
  cpet_value_free(ry);
  cpet_value_free(ry2);
  cpet_value_free(rxe);
  cpet_value_free(rye);
  cpet_traj_free(t);
}

static void test_refusals(void) {
  cpet_node *x, *y;
  cpet_traj *t = make_xy(&x, &y);
  int64_t xs[] = {1, 2};
  double ys[] = {0.5, 1.5};
  cpet_value *rx = ilist(xs, 2), *ry = flist(ys, 2);
  const char *nx[] = {"x"};
  const char *nunk[] = {"nope"};
  const cpet_value *r_f[] = {ry}; /* floats for an int parameter */
  const cpet_value *r_i[] = {rx};
  size_t count = cpet_traj_count(t);
  CHECK_ERR(cpet_traj_explore(t, 1, nunk, r_i), CPET_ERR_NOTFOUND);
  CHECK_ERR(cpet_traj_explore(t, 1, nx, r_f), CPET_ERR_EXPLORED);
  CHECK(!cpet_param_is_explored(x));
  CHECK_UINT(cpet_traj_length(t), 1);
  CHECK_UINT(cpet_traj_nexplored(t), 0);
  CHECK_UINT(cpet_traj_count(t), count);
  /* a numpy int64 range for a Python int parameter is a type change too */
  int64_t raw[] = {1, 2};
  size_t two = 2;
  cpet_value *np = NULL;
  cpet_value_new_array(CPET_KIND_NDARRAY, CPET_T_INT64, 0, 1, &two, raw, &np);
  const cpet_value *r_np[] = {np};
  CHECK_ERR(cpet_traj_explore(t, 1, nx, r_np), CPET_ERR_EXPLORED);
  /* results and groups are not parameters; empty ranges refused */
  cpet_value *z = ival(1);
  CHECK_OK(cpet_traj_add_result(t, "rr", CPET_CLASS_RESULT, z, NULL, NULL));
  const char *nres[] = {"results.rr"};
  CHECK_ERR(cpet_traj_explore(t, 1, nres, r_i), CPET_ERR_TYPE);
  cpet_value *empty = NULL;
  size_t zero = 0;
  cpet_value_new_array(CPET_KIND_LIST, CPET_T_PY_INT, 0, 1, &zero, NULL, &empty);
  const cpet_value *r_e[] = {empty};
  CHECK_ERR(cpet_traj_explore(t, 1, nx, r_e), CPET_ERR_INVAL);
  const cpet_value *r_scalar[] = {z};
  CHECK_ERR(cpet_traj_explore(t, 1, nx, r_scalar), CPET_ERR_TYPE);
  cpet_node *e = NULL;
  CHECK_OK(cpet_traj_add_param(t, "noval", CPET_CLASS_PARAMETER, NULL, NULL, &e));
  const char *ne[] = {"noval"};
  CHECK_ERR(cpet_traj_explore(t, 1, ne, r_i), CPET_ERR_STATE);
  CHECK_UINT(cpet_traj_nexplored(t), 0);

  /* explored: the type of the default cannot change, the value can */
  CHECK_OK(cpet_traj_explore(t, 1, nx, r_i));
  cpet_value *f = fval(1.0), *i9 = ival(9);
  CHECK_ERR(cpet_param_set(x, f), CPET_ERR_EXPLORED);
  CHECK_INT(as_i(cpet_param_value(x)), 0);
  CHECK_OK(cpet_param_set(x, i9));
  CHECK_INT(as_i(cpet_param_value(x)), 9);
  const cpet_value *set_bad[] = {f, f};
  CHECK_ERR(cpet_param_set_range(x, set_bad, 2), CPET_ERR_EXPLORED);
  CHECK_UINT(cpet_param_range_len(x), 2);
  const cpet_value *set_ok[] = {i9, z, i9};
  CHECK_OK(cpet_param_set_range(x, set_ok, 3));
  CHECK_UINT(cpet_param_range_len(x), 3);
  CHECK_INT(as_i(cpet_param_range(x, 1)), 1);

  /* arrays: Parameter keeps the shape, ArrayParameter does not */
  double d3[] = {1, 2, 3}, d6[] = {1, 2, 3, 4, 5, 6};
  size_t s3 = 3, s23[2] = {2, 3}, s13[2] = {1, 3};
  cpet_value *a3 = NULL, *m23 = NULL, *m13 = NULL;
  cpet_value_new_array(CPET_KIND_NDARRAY, CPET_T_FLOAT64, 0, 1, &s3, d3, &a3);
  cpet_value_new_array(CPET_KIND_NDARRAY, CPET_T_FLOAT64, 0, 2, s23, d6, &m23);
  cpet_value_new_array(CPET_KIND_NDARRAY, CPET_T_FLOAT64, 0, 2, s13, d3, &m13);
  cpet_node *pa = NULL, *aa = NULL;
  CHECK_OK(cpet_traj_add_param(t, "pa", CPET_CLASS_PARAMETER, a3, NULL, &pa));
  CHECK_OK(cpet_traj_add_param(t, "aa", CPET_CLASS_ARRAY_PARAMETER, a3, NULL, &aa));
  const cpet_value *rows[] = {m13, m13, m13}; /* 3 rows of (3,) arrays */
  CHECK_ERR(cpet_param_set_range(pa, rows, 3), CPET_ERR_EXPLORED);
  const char *npa[] = {"pa"}, *naa[] = {"aa"};
  const cpet_value *r_m[] = {m23}; /* iterating a (2,3) array yields two (3,) arrays */
  const cpet_value *r_m13[] = {m13};
  cpet_traj *t2 = NULL;
  CHECK_OK(cpet_traj_create("arr", &t2));
  cpet_node *q = NULL, *qa = NULL;
  CHECK_OK(cpet_traj_add_param(t2, "q", CPET_CLASS_PARAMETER, a3, NULL, &q));
  CHECK_OK(cpet_traj_add_param(t2, "qa", CPET_CLASS_ARRAY_PARAMETER, m13, NULL, &qa));
  const char *nq[] = {"q"}, *nqa[] = {"qa"};
  CHECK_OK(cpet_traj_explore(t2, 1, nq, r_m));
  CHECK_UINT(cpet_param_range_len(q), 2);
  CHECK_UINT(cpet_value_ndim(cpet_param_range(q, 1)), 1);
  CHECK_DBL(((const double *)cpet_value_data(cpet_param_range(q, 1)))[0], 4.0);
  CHECK_OK(cpet_traj_explore(t2, 1, nqa, r_m)); /* (3,) rows for a (1,3) default: fine */
  (void)npa;
  (void)naa;
  (void)r_m13;
  cpet_traj_free(t2);

  cpet_value_free(a3);
  cpet_value_free(m23);
  cpet_value_free(m13);
  cpet_value_free(f);
  cpet_value_free(i9);
  cpet_value_free(z);
  cpet_value_free(empty);
  cpet_value_free(np);
  cpet_value_free(rx);
  cpet_value_free(ry);
  cpet_traj_free(t);
}

static void test_summary_names(void) {
  /* The short name is used unless it already occurs in the summary text (a substring test). */
  cpet_traj *t = NULL;
  CHECK_OK(cpet_traj_create("summary", &t));
  cpet_value *i0 = ival(0);
  CHECK_OK(cpet_traj_add_param(t, "a.x", CPET_CLASS_PARAMETER, i0, NULL, NULL));
  CHECK_OK(cpet_traj_add_param(t, "b.x", CPET_CLASS_PARAMETER, i0, NULL, NULL));
  CHECK_OK(cpet_traj_add_param(t, "xx", CPET_CLASS_PARAMETER, i0, NULL, NULL));
  CHECK_OK(cpet_traj_add_param(t, "long", CPET_CLASS_PARAMETER, i0, NULL, NULL));
  int64_t v1[] = {1}, v2[] = {2}, v3[] = {3};
  cpet_value *r1 = ilist(v1, 1), *r2 = ilist(v2, 1), *r3 = ilist(v3, 1);
  const char *names[] = {"xx", "a.x", "b.x"};
  const cpet_value *ranges[] = {r3, r1, r2};
  CHECK_OK(cpet_traj_explore(t, 3, names, ranges));
  char buf[2048];
  CHECK_OK(cpet_traj_parameter_summary(t, 0, buf, sizeof buf));
  CHECK_STR(buf, "xx: 3,   parameters.a.x: 1,   parameters.b.x: 2");
  /* value texts of 512 characters or more are cut to 509 plus "..." */
  cpet_traj *t3 = NULL;
  CHECK_OK(cpet_traj_create("cut", &t3));
  char s600[601];
  memset(s600, 'q', 600);
  s600[600] = '\0';
  cpet_value *sv = NULL, *sl = NULL;
  cpet_value_new_str("short", &sv);
  CHECK_OK(cpet_traj_add_param(t3, "s", CPET_CLASS_PARAMETER, sv, NULL, NULL));
  const char *strs[] = {s600};
  size_t one = 1;
  CHECK_OK(cpet_value_new_str_array(CPET_KIND_LIST, CPET_T_PY_STR, 1, &one, strs, &sl));
  const char *ns[] = {"s"};
  const cpet_value *rs[] = {sl};
  CHECK_OK(cpet_traj_explore(t3, 1, ns, rs));
  char *full = NULL;
  CHECK_OK(cpet__traj_parameter_summary_alloc(t3, 0, &full));
  if (full) {
    CHECK_UINT(strlen(full), 3 + 512);
    CHECK(strncmp(full, "s: 'qqq", 7) == 0);
    CHECK_STR(full + strlen(full) - 4, "q...");
    cpet_free(full);
  }
  cpet_value_free(sv);
  cpet_value_free(sl);
  cpet_traj_free(t3);
  cpet_value_free(i0);
  cpet_value_free(r1);
  cpet_value_free(r2);
  cpet_value_free(r3);
  cpet_traj_free(t);
}

static void test_object_ranges(void) {
  /* an object list of values as a range; tuples for a tuple parameter */
  cpet_traj *t = NULL;
  CHECK_OK(cpet_traj_create("obj", &t));
  cpet_value *def = NULL, *seq = NULL;
  cpet_value_new_str("a", &def);
  cpet_node *p = NULL;
  CHECK_OK(cpet_traj_add_param(t, "name", CPET_CLASS_PARAMETER, def, NULL, &p));
  cpet_value_new_seq(CPET_KIND_LIST, &seq);
  const char *w[] = {"b", "cc", "ddd"};
  for (int i = 0; i < 3; i++) {
    cpet_value *s = NULL;
    cpet_value_new_str(w[i], &s);
    cpet_value_append(seq, s);
  }
  const char *names[] = {"name"};
  const cpet_value *ranges[] = {seq};
  CHECK_OK(cpet_traj_explore(t, 1, names, ranges));
  const char *s;
  size_t len;
  CHECK_OK(cpet_value_to_str(cpet_param_range(p, 2), &s, &len));
  CHECK_UINT(len, 3);
  char buf[100];
  CHECK_OK(cpet_traj_parameter_summary(t, 1, buf, sizeof buf));
  CHECK_STR(buf, "name: 'cc'");
  cpet_value_free(def);
  cpet_value_free(seq);
  cpet_traj_free(t);
}

static void test_100k(void) {
  cpet_node *x, *y;
  cpet_traj *t = make_xy(&x, &y);
  enum { NX = 1000, NY = 100 };
  static int64_t xs[NX];
  static double ys[NY];
  for (int i = 0; i < NX; i++)
    xs[i] = i;
  for (int i = 0; i < NY; i++)
    ys[i] = i * 0.5;
  cpet_value *rx = ilist(xs, NX), *ry = flist(ys, NY);
  const char *names[] = {"x", "y"};
  const cpet_value *ranges[] = {rx, ry};
  CHECK_OK(cpet_traj_explore_product(t, 2, names, ranges));
  CHECK_UINT(cpet_traj_length(t), 100000);
  CHECK_INT(as_i(cpet_param_range(x, 0)), 0);
  CHECK_DBL(as_f(cpet_param_range(y, 0)), 0.0);
  CHECK_INT(as_i(cpet_param_range(x, 12345)), 123);
  CHECK_DBL(as_f(cpet_param_range(y, 12345)), 22.5);
  CHECK_INT(as_i(cpet_param_range(x, 99999)), 999);
  CHECK_DBL(as_f(cpet_param_range(y, 99999)), 49.5);
  char buf[600];
  CHECK_OK(cpet_traj_parameter_summary(t, 99999, buf, sizeof buf));
  CHECK_STR(buf, "x: 999,   y: 49.5");
  cpet_run_info ri;
  CHECK_OK(cpet_traj_run_info(t, 99999, &ri));
  CHECK_STR(ri.name, "run_00099999");
  /* results in many runs stay fast to add and find */
  cpet_value *z = ival(1);
  for (int64_t i = 0; i < 100000; i += 1) {
    cpet_traj_set_crun(t, i);
    if (cpet_traj_add_result(t, "$set.$.z", CPET_CLASS_RESULT, z, NULL, NULL) != CPET_OK) {
      CHECK_OK(-1);
      break;
    }
  }
  cpet_traj_set_crun(t, 77777);
  cpet_node *n = NULL;
  CHECK_OK(cpet_traj_find(t, "results.$set.$.z", &n));
  CHECK_STR(cpet_node_full_name(n), "results.run_set_00077.run_00077777.z");
  CHECK_OK(cpet_traj_find(t, "run_00077777.z", &n));
  CHECK_INT(cpet_node_run_index(n), 77777);
  cpet_value_free(z);
  cpet_value_free(rx);
  cpet_value_free(ry);
  cpet_traj_free(t);
}

int main(void) {
  test_product();
  test_zipped_expand();
  test_refusals();
  test_summary_names();
  test_object_ranges();
  test_100k();
  CPET_TEST_END();
}
