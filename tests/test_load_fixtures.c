/* test_load_fixtures.c - every trajectory of every pypet fixture loads with CPET_LOAD_OPTS_ALL
 * (force); spot checks of values, ranges, links, annotations and run information against the
 * fixtures' JSON. The full item-by-item comparison is the fixture_* tests (compare_dump.py). */
#include <dirent.h>
#include <stdio.h>
#include <string.h>

#include <cpet/cpet_alloc.h>
#include <cpet/cpet_store.h>

#include "cpet_test.h"

static cpet_traj *load(const char *file, const char *name) {
  char path[1024];
  snprintf(path, sizeof path, "%s/%s", cpet_test_fixtures(), file);
  cpet_store *s = NULL;
  cpet_traj *t = NULL;
  CHECK_OK(cpet_store_open(path, CPET_OPEN_READ, NULL, &s));
  if (!s) return NULL;
  cpet_load_opts o = CPET_LOAD_OPTS_ALL;
  o.name = name;
  o.force = 1;
  CHECK_OK(cpet_store_load_traj(s, &o, &t));
  CHECK_OK(cpet_store_close(s));
  return t;
}

static const cpet_value *item(cpet_traj *t, const char *leaf, const char *key) {
  cpet_node *n = NULL;
  if (cpet_traj_find(t, leaf, &n) != CPET_OK || !n) return NULL;
  return key ? cpet_leaf_get(n, key) : cpet_param_value(n);
}

static double f64(const cpet_value *v) {
  double d = -12345;
  if (v) cpet_value_to_f64(v, &d);
  return d;
}

int main(void) {
  /* every fixture, every trajectory */
  DIR *d = opendir(cpet_test_fixtures());
  CHECK(d != NULL);
  int nfiles = 0;
  for (struct dirent *e; d && (e = readdir(d));) {
    size_t l = strlen(e->d_name);
    if (l < 5 || strcmp(e->d_name + l - 5, ".hdf5") != 0) continue;
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", cpet_test_fixtures(), e->d_name);
    cpet_store *s = NULL;
    CHECK_OK(cpet_store_open(path, CPET_OPEN_READ, NULL, &s));
    char *names = NULL;
    size_t n = 0;
    CHECK_OK(cpet_store_list_trajectories(s, &names, &n));
    CHECK(n >= 1);
    const char *p = names;
    for (size_t i = 0; i < n; i++, p += strlen(p) + 1) {
      cpet_load_opts o = CPET_LOAD_OPTS_ALL;
      o.name = p;
      o.force = 1;
      cpet_traj *t = NULL;
      int st = cpet_store_load_traj(s, &o, &t);
      CPET_CHECK_(st == CPET_OK, "%s/%s: %s %s", e->d_name, p, cpet_errname(st), cpet_errmsg());
      if (t) CHECK(cpet_traj_count(t) > 10);
      cpet_traj_free(t);
    }
    cpet_free(names);
    CHECK_OK(cpet_store_close(s));
    nfiles++;
  }
  if (d) closedir(d);
  CHECK_INT(nfiles, 13);

  cpet_traj *t = load("scalars_all_types.hdf5", NULL);
  if (t) {
    CHECK_STR(cpet_traj_name(t), "scalars");
    CHECK_INT(cpet_value_type(item(t, "parameters.np.uint8", NULL)), CPET_T_UINT8);
    CHECK_DBL(f64(item(t, "parameters.np.uint8", NULL)), 255);
    CHECK_DBL(f64(item(t, "parameters.quirks.int_beyond_int32", NULL)), 5);
    CHECK_INT(cpet_value_type(item(t, "parameters.py.float", NULL)), CPET_T_PY_FLOAT);
    const cpet_value *b = item(t, "results.quirks.bytes_trailing_nul", "b");
    CHECK(b && cpet_value_itemsize(b) == 2 && memcmp(cpet_value_data(b), "ab", 2) == 0);
    cpet_traj_free(t);
  }
  t = load("env_single_cartesian.hdf5", "cartesian");
  if (t) {
    CHECK_INT(cpet_traj_length(t), 6);
    CHECK_INT(cpet_traj_nexplored(t), 3);
    cpet_node *vec = NULL;
    CHECK_OK(cpet_traj_find(t, "parameters.vec", &vec));
    if (vec) {
      CHECK_INT(cpet_param_range_len(vec), 6);
      const cpet_value *r5 = cpet_param_range(vec, 5);
      CHECK(r5 && cpet_value_nelem(r5) == 3 && ((const double *)cpet_value_data(r5))[2] == 6.0);
    }
    cpet_run_info ri;
    CHECK_OK(cpet_traj_run_info(t, 1, &ri));
    CHECK_STR(ri.name, "run_00000001");
    CHECK_INT(ri.completed, 1);
    CHECK_STR(ri.short_environment_hexsha, "02e4da6");
    cpet_traj_free(t);
  }
  t = load("links_annotations.hdf5", "linked");
  if (t) {
    cpet_node *root = cpet_traj_root(t), *mass = NULL;
    const cpet_value *a = cpet_node_annotation_get(root, "created_by_run");
    CHECK(a && cpet_value_type(a) == CPET_T_INT64 && f64(a) == 3);
    CHECK_OK(cpet_traj_find(t, "results.analysis.mass_link", &mass));
    CHECK(mass && strcmp(cpet_node_full_name(mass), "parameters.physics.mass") == 0);
    const cpet_value *meta = mass ? cpet_node_annotation_get(mass, "meta") : NULL;
    CHECK(meta && cpet_value_kind(meta) == CPET_KIND_DICT && cpet_value_nchildren(meta) == 2);
    cpet_traj_free(t);
  }
  CPET_TEST_END();
}
