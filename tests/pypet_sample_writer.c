/* pypet_sample_writer.c - writes the file tests/check_pypet_load.py loads with pypet 0.7.0:
 * an explored trajectory (zipped int/float, an ArrayParameter with repeated arrays), results and
 * derived parameters stored run by run in shuffled order with a shared (purged) comment,
 * trajectory-level results of many types, links, comments and annotations.
 * Usage: pypet_sample_writer FILE [complib] */
#include <stdio.h>
#include <string.h>

#include <cpet/cpet_error.h>
#include <cpet/cpet_filter.h>
#include <cpet/cpet_store.h>
#include <cpet/cpet_traj.h>
#include <cpet/cpet_value.h>

#define TRY(x)                                                                                     \
  do {                                                                                             \
    int st_ = (x);                                                                                 \
    if (st_) {                                                                                     \
      fprintf(stderr, "%s:%d: %s -> %s: %s\n", __FILE__, __LINE__, #x, cpet_errname(st_),          \
              cpet_errmsg());                                                                      \
      return 1;                                                                                    \
    }                                                                                              \
  } while (0)

static cpet_value *arr(cpet_kind k, cpet_type t, int ndim, const size_t *shape, const void *d) {
  cpet_value *v = NULL;
  if (cpet_value_new_array(k, t, 0, ndim, shape, d, &v) != CPET_OK) return NULL;
  return v;
}

static int add_values(cpet_traj *t) {
  cpet_node *r = NULL;
  cpet_value *v = NULL;
  TRY(cpet_traj_add_result(t, "results.values.scalars", CPET_CLASS_RESULT, NULL,
                           "scalars \xe2\x98\x83", &r));
  TRY(cpet_value_new_int(-5000000000LL, &v));
  TRY(cpet_leaf_set_take(r, "py_int", v, CPET_FLAG_AUTO));
  TRY(cpet_value_new_float(3.25, &v));
  TRY(cpet_leaf_set_take(r, "py_float", v, CPET_FLAG_AUTO));
  TRY(cpet_value_new_bool(1, &v));
  TRY(cpet_leaf_set_take(r, "py_bool", v, CPET_FLAG_AUTO));
  TRY(cpet_value_new_complex(1.5, -2.0, &v));
  TRY(cpet_leaf_set_take(r, "py_complex", v, CPET_FLAG_AUTO));
  TRY(cpet_value_new_str("h\xc3\xa9llo", &v));
  TRY(cpet_leaf_set_take(r, "py_str", v, CPET_FLAG_AUTO));
  TRY(cpet_value_new_bytes("raw", 3, &v));
  TRY(cpet_leaf_set_take(r, "py_bytes", v, CPET_FLAG_AUTO));
  int16_t i16 = -300;
  uint32_t u32 = 4000000000U;
  float f32 = 0.5f;
  TRY(cpet_value_new_scalar(CPET_T_INT16, &i16, 0, &v));
  TRY(cpet_leaf_set_take(r, "int16", v, CPET_FLAG_AUTO));
  TRY(cpet_value_new_scalar(CPET_T_UINT32, &u32, 0, &v));
  TRY(cpet_leaf_set_take(r, "uint32", v, CPET_FLAG_AUTO));
  TRY(cpet_value_new_scalar(CPET_T_FLOAT32, &f32, 0, &v));
  TRY(cpet_leaf_set_take(r, "float32", v, CPET_FLAG_AUTO));

  TRY(cpet_traj_add_result(t, "results.values.containers", CPET_CLASS_RESULT, NULL, NULL, &r));
  int32_t a2[6] = {1, 2, 3, 4, 5, 6};
  size_t s23[2] = {2, 3}, s4[1] = {4}, s3[1] = {3};
  TRY(cpet_leaf_set_take(r, "matrix23", arr(CPET_KIND_NDARRAY, CPET_T_INT32, 2, s23, a2),
                         CPET_FLAG_AUTO));
  TRY(cpet_leaf_set_take(r, "earray", arr(CPET_KIND_NDARRAY, CPET_T_INT32, 2, s23, a2),
                         CPET_FLAG_EARRAY));
  int64_t li[4] = {10, 20, 30, 40};
  double fl[3] = {0.5, 1.5, 2.5};
  TRY(cpet_leaf_set_take(r, "int_list", arr(CPET_KIND_LIST, CPET_T_PY_INT, 1, s4, li),
                         CPET_FLAG_AUTO));
  TRY(cpet_leaf_set_take(r, "float_tuple", arr(CPET_KIND_TUPLE, CPET_T_PY_FLOAT, 1, s3, fl),
                         CPET_FLAG_AUTO));
  cpet_value *d = NULL;
  TRY(cpet_value_new_dict(&d));
  TRY(cpet_value_new_int(7, &v));
  TRY(cpet_value_set(d, "a", v));
  TRY(cpet_value_new_str("text", &v));
  TRY(cpet_value_set(d, "b", v));
  TRY(cpet_leaf_set_take(r, "dict", d, CPET_FLAG_AUTO));
  cpet_value *tab = NULL;
  TRY(cpet_value_new_table(&tab));
  TRY(cpet_value_set(tab, "n", arr(CPET_KIND_SCALAR, CPET_T_PY_INT, 1, s3, li)));
  TRY(cpet_value_set(tab, "f", arr(CPET_KIND_SCALAR, CPET_T_PY_FLOAT, 1, s3, fl)));
  TRY(cpet_leaf_set_take(r, "table", tab, CPET_FLAG_TABLE));
  return 0;
}

int main(int argc, char **argv) {
  if (argc < 2) {
    fprintf(stderr, "usage: %s FILE [complib]\n", argv[0]);
    return 2;
  }
  cpet_store_opts o = CPET_STORE_OPTS_DEFAULT;
  if (argc > 2) TRY(cpet_filter_parse_complib(argv[2], &o.filters));
  o.large_overview_tables = 1;
  cpet_traj *t = NULL;
  cpet_value *v = NULL;
  TRY(cpet_traj_create("interop", &t));
  TRY(cpet_traj_set_comment(t, "written by cpet"));
  TRY(cpet_value_new_str("annotated", &v));
  TRY(cpet_node_annotate(cpet_traj_root(t), "note", v));
  cpet_value_free(v);
  cpet_node *g = NULL;
  TRY(cpet_traj_add_group(t, "parameters.sim", "simulation", &g));
  TRY(cpet_value_new_int(1, &v));
  TRY(cpet_traj_add_param(t, "parameters.sim.x", CPET_CLASS_PARAMETER, v, "x axis", NULL));
  cpet_value_free(v);
  TRY(cpet_value_new_float(0.5, &v));
  TRY(cpet_traj_add_param(t, "parameters.sim.y", CPET_CLASS_PARAMETER, v, "y axis", NULL));
  cpet_value_free(v);
  TRY(cpet_value_new_str("label", &v));
  TRY(cpet_traj_add_param(t, "parameters.label", CPET_CLASS_PARAMETER, v, NULL, NULL));
  cpet_value_free(v);
  double a[3] = {1, 2, 3}, b[3] = {4, 5, 6};
  size_t s3[1] = {3}, s4[1] = {4};
  cpet_value *va = arr(CPET_KIND_NDARRAY, CPET_T_FLOAT64, 1, s3, a);
  cpet_value *vb = arr(CPET_KIND_NDARRAY, CPET_T_FLOAT64, 1, s3, b);
  TRY(cpet_traj_add_param(t, "parameters.vec", CPET_CLASS_ARRAY_PARAMETER, va, NULL, NULL));
  int64_t xs[4] = {1, 2, 3, 4};
  double ys[4] = {0.25, 0.75, 0.25, 0.75};
  cpet_value *rx = arr(CPET_KIND_LIST, CPET_T_PY_INT, 1, s4, xs);
  cpet_value *ry = arr(CPET_KIND_LIST, CPET_T_PY_FLOAT, 1, s4, ys);
  cpet_value *rv = NULL;
  TRY(cpet_value_new_seq(CPET_KIND_LIST, &rv));
  for (int i = 0; i < 4; i++) {
    cpet_value *c = NULL;
    TRY(cpet_value_copy(i % 2 ? vb : va, &c));
    TRY(cpet_value_append(rv, c));
  }
  const char *names[3] = {"x", "y", "vec"};
  const cpet_value *ranges[3] = {rx, ry, rv};
  TRY(cpet_traj_explore(t, 3, names, ranges));
  cpet_value_free(rx);
  cpet_value_free(ry);
  cpet_value_free(rv);
  cpet_value_free(va);
  cpet_value_free(vb);
  if (add_values(t)) return 1;
  cpet_node *target = NULL, *ln = NULL;
  TRY(cpet_traj_find(t, "parameters.sim.x", &target));
  TRY(cpet_traj_add_link(t, "results.links.to_x", target, &ln));
  TRY(cpet_traj_add_link(t, "results.links.to_sim", g, &ln));

  cpet_store *s = NULL;
  remove(argv[1]);
  TRY(cpet_store_open(argv[1], CPET_OPEN_CREATE, &o, &s));
  TRY(cpet_store_traj(s, t, CPET_STORE_DATA, 1));
  const int order[4] = {2, 0, 3, 1};
  for (int k = 0; k < 4; k++) {
    int i = order[k];
    TRY(cpet_traj_set_crun(t, i));
    TRY(cpet_value_new_float(i * 1.5, &v));
    TRY(cpet_traj_add_result(t, "z", CPET_CLASS_RESULT, v, "shared comment", NULL));
    cpet_value_free(v);
    double w[4] = {i, 1, 2, 3};
    cpet_value *wv = arr(CPET_KIND_NDARRAY, CPET_T_FLOAT64, 1, s4, w);
    TRY(cpet_traj_add_result(t, "w", CPET_CLASS_RESULT, wv, NULL, NULL));
    cpet_value_free(wv);
    TRY(cpet_value_new_int(2 * i, &v));
    TRY(cpet_traj_add_param(t, "derived_parameters.twice", CPET_CLASS_PARAMETER, v, "doubled",
                            NULL));
    cpet_value_free(v);
    cpet_run_info ri;
    TRY(cpet_traj_run_info(t, (size_t)i, &ri));
    ri.completed = 1;
    ri.timestamp = 1700000000.0 + i;
    ri.finish_timestamp = ri.timestamp + 0.25;
    snprintf(ri.runtime, sizeof ri.runtime, "0:00:00.250000");
    TRY(cpet_traj_set_run_info(t, (size_t)i, &ri));
    TRY(cpet_store_run(s, t, i));
  }
  TRY(cpet_traj_set_crun(t, -1));
  TRY(cpet_store_traj(s, t, CPET_STORE_DATA, 0));
  TRY(cpet_store_close(s));
  cpet_traj_free(t);
  printf("wrote %s\n", argv[1]);
  return 0;
}
