/* test_store_errors.c - store calls that must fail without touching the file: read-only
 * stores, a trajectory name taken by another trajectory, flags that cannot hold their data,
 * purging without summary tables, node stores before the trajectory is in the file. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cpet_test.h"
#include "tree/tree_int.h"
#include <cpet/cpet_store.h>
#include <cpet/cpet_traj.h>
#include <cpet/cpet_value.h>

static char *slurp(const char *fn, size_t *n) {
  FILE *f = fopen(fn, "rb");
  if (!f) return NULL;
  fseek(f, 0, SEEK_END);
  long len = ftell(f);
  fseek(f, 0, SEEK_SET);
  char *b = malloc((size_t)len + 1);
  *n = b ? fread(b, 1, (size_t)len, f) : 0;
  fclose(f);
  return b;
}

static int same_bytes(const char *fn, const char *before, size_t nbefore) {
  size_t n = 0;
  char *now = slurp(fn, &n);
  int same = now && n == nbefore && memcmp(now, before, n) == 0;
  free(now);
  return same;
}

static cpet_traj *small(const char *name) {
  cpet_traj *t = NULL;
  CHECK_OK(cpet_traj_create(name, &t));
  cpet_value *v = NULL;
  CHECK_OK(cpet_value_new_float(1.5, &v));
  CHECK_OK(cpet_traj_add_param(t, "parameters.a", CPET_CLASS_PARAMETER, v, "a", NULL));
  CHECK_OK(cpet_traj_add_result(t, "results.r", CPET_CLASS_RESULT, v, "r", NULL));
  cpet_value_free(v);
  return t;
}

/* Forces an item's flag past cpet_leaf_set's own check, as a corrupted in-memory tree or a
 * future setter might: the store must still refuse before writing. */
static void force_flag(cpet_node *leaf, const char *key, cpet_flag f) {
  for (size_t i = 0; i < leaf->nitems; i++)
    if (strcmp(leaf->items[i].key, key) == 0) leaf->items[i].flag = f;
}

int main(void) {
  const char *fn = "errors.hdf5";
  cpet_store *s = NULL;
  cpet_traj *t = small("first");
  CHECK_OK(cpet_store_open(fn, CPET_OPEN_CREATE, NULL, &s));
  CHECK_OK(cpet_store_traj(s, t, CPET_STORE_DATA, 0));
  CHECK_OK(cpet_store_close(s));
  size_t n0 = 0;
  char *bytes = slurp(fn, &n0);
  CHECK(bytes != NULL);

  /* Read-only: every store call is CPET_ERR_STATE and the file stays as it is. */
  CHECK_OK(cpet_store_open(fn, CPET_OPEN_READ, NULL, &s));
  cpet_node *leaf = NULL, *grp = NULL;
  CHECK_OK(cpet_traj_find(t, "results.r", &leaf));
  CHECK_OK(cpet_traj_find(t, "parameters", &grp));
  CHECK_ERR(cpet_store_traj(s, t, CPET_STORE_DATA, 0), CPET_ERR_STATE);
  CHECK_ERR(cpet_store_traj(s, t, CPET_STORE_DATA, 1), CPET_ERR_STATE);
  CHECK_ERR(cpet_store_run(s, t, 0), CPET_ERR_STATE);
  CHECK_ERR(cpet_store_leaf(s, t, leaf, CPET_STORE_OVERWRITE_DATA, NULL, 0), CPET_ERR_STATE);
  CHECK_ERR(cpet_store_group(s, t, grp, CPET_STORE_DATA, 1, -1), CPET_ERR_STATE);
  CHECK_ERR(cpet_store_list(s, t, &leaf, 1, CPET_STORE_DATA), CPET_ERR_STATE);
  CHECK_OK(cpet_store_close(s));
  CHECK(same_bytes(fn, bytes, n0));

  /* A different trajectory object with a name the file already holds. */
  cpet_traj *other = small("first");
  CHECK_OK(cpet_store_open(fn, CPET_OPEN_APPEND, NULL, &s));
  CHECK_ERR(cpet_store_traj(s, other, CPET_STORE_DATA, 0), CPET_ERR_EXISTS);
  CHECK_ERR(cpet_store_traj(s, other, CPET_STORE_DATA, 1), CPET_ERR_EXISTS);
  CHECK_OK(cpet_store_close(s));
  CHECK(same_bytes(fn, bytes, n0));
  cpet_traj_free(other);

  /* Flags that cannot hold their data: TABLE for a 3-d array, DICT for a list. */
  const char *bad_keys[2] = {"cube", "seq"};
  const cpet_flag bad_flags[2] = {CPET_FLAG_TABLE, CPET_FLAG_DICT};
  for (int k = 0; k < 2; k++) {
    cpet_traj *b = small("flags");
    cpet_node *r = NULL;
    CHECK_OK(cpet_traj_add_result(b, "results.bad", CPET_CLASS_RESULT, NULL, NULL, &r));
    int32_t data[8] = {1, 2, 3, 4, 5, 6, 7, 8};
    size_t shape[3] = {2, 2, 2};
    cpet_value *v = NULL;
    if (k == 0)
      CHECK_OK(cpet_value_new_array(CPET_KIND_NDARRAY, CPET_T_INT32, 0, 3, shape, data, &v));
    else
      CHECK_OK(cpet_value_new_array(CPET_KIND_LIST, CPET_T_INT32, 0, 1, shape, data, &v));
    /* The setter already refuses... */
    CHECK_ERR(cpet_leaf_set(r, bad_keys[k], v, bad_flags[k]), CPET_ERR_TYPE);
    /* ...and the store refuses a tree that holds one anyway, before its first write. */
    CHECK_OK(cpet_leaf_set(r, bad_keys[k], v, CPET_FLAG_AUTO));
    force_flag(r, bad_keys[k], bad_flags[k]);
    cpet_value_free(v);
    CHECK_OK(cpet_store_open(fn, CPET_OPEN_APPEND, NULL, &s));
    CHECK_ERR(cpet_store_traj(s, b, CPET_STORE_DATA, 0), CPET_ERR_FLAG);
    CHECK_OK(cpet_store_close(s));
    CHECK(same_bytes(fn, bytes, n0));
    cpet_traj_free(b);
  }

  /* A bad flag on a leaf stored by itself, and in a run. */
  CHECK_OK(cpet_store_open(fn, CPET_OPEN_APPEND, NULL, &s));
  cpet_value *seq = NULL;
  size_t sh[1] = {3};
  int64_t d3[3] = {1, 2, 3};
  CHECK_OK(cpet_value_new_array(CPET_KIND_LIST, CPET_T_PY_INT, 0, 1, sh, d3, &seq));
  CHECK_OK(cpet_leaf_set(leaf, "extra", seq, CPET_FLAG_AUTO));
  force_flag(leaf, "extra", CPET_FLAG_DICT);
  CHECK_ERR(cpet_store_leaf(s, t, leaf, CPET_STORE_DATA, NULL, 0), CPET_ERR_FLAG);
  CHECK_ERR(cpet_store_list(s, t, &leaf, 1, CPET_STORE_DATA), CPET_ERR_FLAG);
  CHECK_OK(cpet_store_close(s));
  CHECK(same_bytes(fn, bytes, n0));
  cpet_value_free(seq);

  /* purge_duplicate_comments without summary tables is refused at store time. */
  cpet_store_opts o = CPET_STORE_OPTS_DEFAULT;
  o.summary_tables = 0;
  o.purge_duplicate_comments = 1;
  cpet_traj *p = small("purge_bad");
  CHECK_OK(cpet_store_open(fn, CPET_OPEN_APPEND, &o, &s));
  CHECK_ERR(cpet_store_traj(s, p, CPET_STORE_DATA, 0), CPET_ERR_INVAL);
  CHECK_OK(cpet_store_close(s));
  CHECK(same_bytes(fn, bytes, n0));
  cpet_traj_free(p);

  /* Node stores need the trajectory in the file first. */
  cpet_traj *fresh = small("fresh");
  cpet_node *fl = NULL;
  CHECK_OK(cpet_traj_find(fresh, "results.r", &fl));
  CHECK_OK(cpet_store_open(fn, CPET_OPEN_APPEND, NULL, &s));
  CHECK_ERR(cpet_store_leaf(s, fresh, fl, CPET_STORE_DATA, NULL, 0), CPET_ERR_STATE);
  CHECK_ERR(cpet_store_run(s, fresh, 7), CPET_ERR_RANGE);
  CHECK_ERR(cpet_store_leaf(s, fresh, cpet_traj_root(fresh), CPET_STORE_DATA, NULL, 0),
            CPET_ERR_INVAL);
  CHECK_OK(cpet_store_close(s));
  CHECK(same_bytes(fn, bytes, n0));
  cpet_traj_free(fresh);

  /* The lazy service accepts everything and writes nothing. */
  CHECK_OK(cpet_store_open_lazy(&s));
  CHECK_OK(cpet_store_traj(s, t, CPET_STORE_DATA, 0));
  CHECK_OK(cpet_store_run(s, t, 0));
  CHECK_OK(cpet_store_leaf(s, t, leaf, CPET_STORE_DATA, NULL, 0));
  CHECK_OK(cpet_store_close(s));
  CHECK(same_bytes(fn, bytes, n0));

  free(bytes);
  cpet_traj_free(t);
  CPET_TEST_END();
}
