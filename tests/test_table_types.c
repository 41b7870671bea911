/* test_table_types.c - a loaded ObjectTable or dict keeps exactly the stored element types
 * (int16, uint8, float32, bool_, complex64 columns after the first; numpy scalars as dict
 * values), also after a second store of the loaded value (what `cpet repack` does). Only the
 * JSON view (`cpet dump`) boxes them into Python scalars, as pypet shows them via pandas. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cpet_test.h"
#include "tree/tree_int.h"
#include <cpet/cpet_store.h>
#include <cpet/cpet_traj.h>
#include <cpet/cpet_value.h>

#define ROWS 3

static const int64_t ids[ROWS] = {1, 2, 3};
static const int16_t i16[ROWS] = {-300, 0, 32000};
static const uint8_t u8[ROWS] = {0, 7, 255};
static const float f32[ROWS] = {0.1f, -2.5f, 3.0e38f};
static const unsigned char b1[ROWS] = {1, 0, 1};
static const float c64[2 * ROWS] = {0.5f, -1.0f, 2.25f, 0.0f, -3.5f, 1e-3f};

static const struct {
  const char *name;
  cpet_type t;
  const void *data;
  size_t isz;
} cols[] = {{"id", CPET_T_PY_INT, ids, 8},  {"np16", CPET_T_INT16, i16, 2},
            {"npu8", CPET_T_UINT8, u8, 1},  {"npf32", CPET_T_FLOAT32, f32, 4},
            {"npbool", CPET_T_BOOL, b1, 1}, {"npc64", CPET_T_COMPLEX64, c64, 8}};
#define NCOLS (sizeof cols / sizeof cols[0])

static cpet_traj *build(void) {
  cpet_traj *t = NULL;
  cpet_node *r = NULL;
  CHECK_OK(cpet_traj_create("types", &t));
  CHECK_OK(cpet_traj_add_result(t, "results.typed", CPET_CLASS_RESULT, NULL, NULL, &r));
  if (!r) return t;
  cpet_value *tab = NULL, *d = NULL;
  size_t shape[1] = {ROWS};
  CHECK_OK(cpet_value_new_table(&tab));
  CHECK_OK(cpet_value_new_dict(&d));
  for (size_t c = 0; c < NCOLS; c++) {
    cpet_value *col = NULL, *x = NULL;
    CHECK_OK(cpet_value_new_array(CPET_KIND_SCALAR, cols[c].t, 0, 1, shape, cols[c].data, &col));
    CHECK_OK(cpet_value_set(tab, cols[c].name, col));
    /* Row 1 as the dict value: numpy scalars of every type (plus a Python int). */
    CHECK_OK(cpet_value_new_scalar(cols[c].t, (const char *)cols[c].data + cols[c].isz, 0, &x));
    CHECK_OK(cpet_value_set(d, cols[c].name, x));
  }
  CHECK_OK(cpet_leaf_set_take(r, "ot", tab, CPET_FLAG_TABLE));
  CHECK_OK(cpet_leaf_set_take(r, "dict", d, CPET_FLAG_DICT));
  return t;
}

static void store(const char *file, cpet_traj *t) {
  cpet_store *s = NULL;
  CHECK_OK(cpet_store_open(file, CPET_OPEN_CREATE, NULL, &s));
  if (!s) return;
  CHECK_OK(cpet_store_traj(s, t, CPET_STORE_DATA, 0));
  CHECK_OK(cpet_store_close(s));
}

static cpet_traj *load(const char *file) {
  cpet_store *s = NULL;
  cpet_traj *l = NULL;
  cpet_load_opts lo = CPET_LOAD_OPTS_ALL;
  CHECK_OK(cpet_store_open(file, CPET_OPEN_READ, NULL, &s));
  if (!s) return NULL;
  CHECK_OK(cpet_store_load_traj(s, &lo, &l));
  CHECK_OK(cpet_store_close(s));
  return l;
}

/* Every column / dict value has the stored type, item size and bytes. */
static void check(const cpet_traj *l, const char *what) {
  cpet_node *n = l ? cpet__traj_find_exact((cpet_traj *)l, "results.typed") : NULL;
  CPET_CHECK_(n != NULL, "%s: results.typed missing", what);
  if (!n) return;
  const cpet_value *tab = cpet_leaf_get(n, "ot"), *d = cpet_leaf_get(n, "dict");
  CPET_CHECK_(tab && d, "%s: items missing", what);
  if (!tab || !d) return;
  CHECK_INT(cpet_value_kind(tab), CPET_KIND_TABLE);
  CHECK_INT(cpet_value_kind(d), CPET_KIND_DICT);
  CHECK_UINT(cpet_value_nchildren(tab), NCOLS);
  CHECK_UINT(cpet_value_nchildren(d), NCOLS);
  for (size_t c = 0; c < NCOLS; c++) {
    const cpet_value *col = cpet_value_get(tab, cols[c].name);
    const cpet_value *x = cpet_value_get(d, cols[c].name);
    CPET_CHECK_(col && x, "%s: '%s' missing", what, cols[c].name);
    if (!col || !x) continue;
    CPET_CHECK_(cpet_value_type(col) == cols[c].t, "%s: column %s is %s, stored %s", what,
                cols[c].name, cpet_type_name(cpet_value_type(col)), cpet_type_name(cols[c].t));
    CHECK_INT(cpet_value_kind(col), CPET_KIND_SCALAR);
    CHECK_UINT(cpet_value_itemsize(col), cols[c].isz);
    CHECK_UINT(cpet_value_nelem(col), ROWS);
    CPET_CHECK_(cpet_value_nelem(col) == ROWS &&
                    memcmp(cpet_value_data(col), cols[c].data, ROWS * cols[c].isz) == 0,
                "%s: column %s values differ", what, cols[c].name);
    CPET_CHECK_(cpet_value_type(x) == cols[c].t, "%s: dict value %s is %s, stored %s", what,
                cols[c].name, cpet_type_name(cpet_value_type(x)), cpet_type_name(cols[c].t));
    CHECK_INT(cpet_value_kind(x), CPET_KIND_SCALAR);
    CHECK_UINT(cpet_value_itemsize(x), cols[c].isz);
    CPET_CHECK_(memcmp(cpet_value_data(x), (const char *)cols[c].data + cols[c].isz, cols[c].isz) ==
                    0,
                "%s: dict value %s differs", what, cols[c].name);
  }
  int16_t v16;
  memcpy(&v16, cpet_value_data(cpet_value_get(tab, "np16")), 2);
  CHECK_INT(v16, -300);
  double f;
  CHECK_OK(cpet_value_to_f64(cpet_value_get(d, "npf32"), &f));
  CHECK_DBL(f, -2.5);
}

/* `cpet dump --json` still shows pypet's boxed view: int16 column -> Python int, etc. */
static void check_dump(const char *file) {
  const char *bin = getenv("CPET_BIN");
  if (!bin) return;
  char cmd[1024];
  snprintf(cmd, sizeof cmd, "\"%s/cpet\" dump %s --json", bin, file);
  FILE *p = popen(cmd, "r");
  CPET_CHECK_(p != NULL, "popen %s", cmd);
  if (!p) return;
  size_t cap = 1 << 16, n = 0;
  char *buf = malloc(cap);
  while (buf && n + 1 < cap) {
    size_t k = fread(buf + n, 1, cap - 1 - n, p);
    if (k == 0) break;
    n += k;
  }
  CHECK_INT(pclose(p), 0);
  if (!buf) return;
  buf[n] = 0;
  static const char *want[] = {
      /* first column stays as stored (already a Python int) */
      "\"id\": [{\"type\": \"int\", \"value\": 1}",
      "\"np16\": [{\"type\": \"int\", \"value\": -300}, {\"type\": \"int\", \"value\": 0}",
      "\"npu8\": [{\"type\": \"int\", \"value\": 0}, {\"type\": \"int\", \"value\": 7}",
      "\"npf32\": [{\"type\": \"float\", \"value\": 0.10000000149011612}",
      "\"npbool\": [{\"type\": \"bool\", \"value\": true}",
      "\"npc64\": [{\"type\": \"complex\", \"real\": 0.5, \"imag\": -1.0}",
      /* dict values: every numpy scalar boxed */
      "\"np16\": {\"type\": \"int\", \"value\": 0}",
      "\"npu8\": {\"type\": \"int\", \"value\": 7}",
      "\"npf32\": {\"type\": \"float\", \"value\": -2.5}",
      "\"npbool\": {\"type\": \"bool\", \"value\": false}",
      "\"npc64\": {\"type\": \"complex\", \"real\": 2.25, \"imag\": 0.0}",
  };
  for (size_t i = 0; i < sizeof want / sizeof want[0]; i++)
    CPET_CHECK_(strstr(buf, want[i]) != NULL, "dump of %s lacks %s", file, want[i]);
  CPET_CHECK_(strstr(buf, "int16") == NULL, "dump of %s shows a numpy int16", file);
  free(buf);
}

int main(void) {
  cpet_traj *t = build();
  store("types.hdf5", t);
  cpet_traj *l = load("types.hdf5");
  check(l, "first load");
  /* Storing the loaded values again must keep the types (cpet repack). */
  if (l) store("types_again.hdf5", l);
  cpet_traj *l2 = load("types_again.hdf5");
  check(l2, "second load");
  check_dump("types.hdf5");
  check_dump("types_again.hdf5");
  cpet_traj_free(l2);
  cpet_traj_free(l);
  cpet_traj_free(t);
  CPET_TEST_END();
}
