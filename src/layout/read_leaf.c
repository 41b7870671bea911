/* read_leaf.c - a leaf group's data by class (spec 8.1): parameter default + explored range
 * (Parameter, ArrayParameter, SparseParameter, PickleParameter layouts), result items with
 * nested keys, sparse and pickle results; plus comments and annotations (spec 8.2). */
#include <stdio.h>
#include <string.h>

#include "layout/read_int.h"

/* ---- comments and annotations ---- */

typedef struct {
  hid_t grp;
  cpet_node *node;
  cpet_status st;
} ann_ctx;

static int ann_cb(const char *name, void *ud) {
  ann_ctx *c = ud;
  if (strncmp(name, "SRVC_AN_", 8) != 0) return 0;
  cpet_value *v = NULL;
  c->st = cpet__h5_attr_read_value(c->grp, name, &v);
  if (c->st == CPET_OK) {
    c->st = cpet_node_annotate(c->node, name + 8, v);
    cpet_value_free(v);
  }
  return c->st != CPET_OK;
}

cpet_status cpet__layout_read_meta(hid_t grp, cpet_node *node) {
  if (H5Aexists(grp, "SRVC_INIT_COMMENT") > 0) {
    char *c = NULL;
    CPET__CHECK(cpet__h5_attr_read_str(grp, "SRVC_INIT_COMMENT", &c));
    cpet_status st = cpet_node_set_comment(node, c);
    cpet_free(c);
    CPET__CHECK(st);
  }
  if (!cpet__h5_attr_true(grp, "SRVC_ANNOTATED")) return CPET_OK;
  ann_ctx c = {grp, node, CPET_OK};
  CPET__CHECK(cpet__h5_attr_iterate(grp, ann_cb, &c));
  return c.st;
}

/* ---- helpers ---- */

static int has(hid_t g, const char *name) { return cpet__h5_link_exists(g, name); }

/* Column `data` (or `idx`) of a parameter table, as the table value (caller frees). */
static cpet_status read_param_table(hid_t g, const char *name, const char *col, cpet_value **tab,
                                    const cpet_value **column) {
  cpet_flag f;
  CPET__CHECK(cpet__layout_read_item(g, name, NULL, tab, &f));
  *column = cpet_value_kind(*tab) == CPET_KIND_TABLE ? cpet_value_get(*tab, col) : NULL;
  if (!*column || cpet_value_ndim(*column) < 1) {
    cpet_value_free(*tab);
    *tab = NULL;
    return cpet__err(CPET_ERR_LAYOUT, "'%s' has no column '%s'", name, col);
  }
  return CPET_OK;
}

static size_t col_rows(const cpet_value *c) { return cpet_value_shape(c)[0]; }

/* Reads the idx column of an explored_data* table into a caller-owned int64 array. */
static cpet_status read_idx(hid_t g, const char *name, int64_t **idx, size_t *n) {
  cpet_value *tab = NULL;
  const cpet_value *col;
  CPET__CHECK(read_param_table(g, name, "idx", &tab, &col));
  size_t rows = col_rows(col);
  cpet_status st = CPET_OK;
  *idx = cpet__calloc(rows + 1, sizeof **idx);
  if (!*idx) st = cpet__err(CPET_ERR_NOMEM, "explored indices");
  for (size_t i = 0; st == CPET_OK && i < rows; i++) {
    cpet_value *cell = NULL;
    st = cpet__value_cell(col, i, &cell);
    if (st == CPET_OK) st = cpet_value_to_i64(cell, &(*idx)[i]);
    cpet_value_free(cell);
  }
  cpet_value_free(tab);
  if (st != CPET_OK) {
    cpet_free(*idx);
    *idx = NULL;
    return st;
  }
  *n = rows;
  return CPET_OK;
}

static cpet_status set_range_take(cpet_node *leaf, cpet_value **vals, size_t n) {
  cpet_status st = cpet_param_set_range(leaf, (const cpet_value *const *)vals, n);
  for (size_t i = 0; i < n; i++)
    cpet_value_free(vals[i]);
  cpet_free(vals);
  return st;
}

/* Reads the values of runs from dataset names built by `fmt` % idx, sharing duplicates. */
static cpet_status read_indexed_range(hid_t g, const char *idxtable, cpet_node *leaf,
                                      cpet_status (*load)(hid_t, int64_t, cpet_value **)) {
  int64_t *idx = NULL;
  size_t n = 0;
  CPET__CHECK(read_idx(g, idxtable, &idx, &n));
  cpet_value **vals = cpet__calloc(n + 1, sizeof *vals);
  cpet_status st = vals ? CPET_OK : cpet__err(CPET_ERR_NOMEM, "explored range");
  for (size_t i = 0; st == CPET_OK && i < n; i++) {
    size_t j = 0;
    while (j < i && idx[j] != idx[i])
      j++;
    if (j < i)
      st = cpet_value_copy(vals[j], &vals[i]); /* deduplicated on disk, shared in pypet */
    else
      st = load(g, idx[i], &vals[i]);
  }
  cpet_free(idx);
  if (st != CPET_OK) {
    for (size_t i = 0; vals && i < n; i++)
      cpet_value_free(vals[i]);
    cpet_free(vals);
    return st;
  }
  return set_range_take(leaf, vals, n);
}

static cpet_status load_xa(hid_t g, int64_t i, cpet_value **out) {
  char name[96];
  snprintf(name, sizeof name, "explored__rr__/set_%05lld/xa_%08lld", (long long)(i / 1000),
           (long long)i);
  if (!has(g, name)) return cpet__err(CPET_ERR_LAYOUT, "ArrayParameter: '%s' missing", name);
  cpet_flag f;
  return cpet__layout_read_item(g, name, NULL, out, &f);
}

static cpet_status sparse_from_item(hid_t g, const char *name, cpet_value **out) {
  cpet_value *s = NULL;
  cpet_flag f;
  CPET__CHECK(cpet__layout_read_item(g, name, NULL, &s, &f));
  const char *hex;
  size_t len;
  cpet_status st = cpet_value_to_str(s, &hex, &len);
  if (st == CPET_OK) st = cpet__sparse_from_hex(hex, len, out);
  cpet_value_free(s);
  return st;
}

static cpet_status load_xspm(hid_t g, int64_t i, cpet_value **out) {
  char name[64];
  snprintf(name, sizeof name, "xspm__spsp__%08lld", (long long)i);
  return sparse_from_item(g, name, out);
}

static int read_protocol(hid_t g) {
  cpet_value *p = NULL;
  cpet_flag f;
  int64_t v = 0;
  if (!has(g, "__pckl_prtcl__") ||
      cpet__layout_read_item(g, "__pckl_prtcl__", NULL, &p, &f) != CPET_OK ||
      cpet_value_to_i64(p, &v) != CPET_OK) {
    cpet_errclear();
    v = -1;
  }
  cpet_value_free(p);
  return (int)v;
}

static cpet_status pickle_from_item(hid_t g, const char *name, int proto, cpet_value **out) {
  cpet_value *b = NULL;
  cpet_flag f;
  CPET__CHECK(cpet__layout_read_item(g, name, NULL, &b, &f));
  const char *p;
  size_t len;
  cpet_status st = cpet_value_to_str(b, &p, &len);
  if (st == CPET_OK) st = cpet_value_new_pickle(p, len, proto, out);
  cpet_value_free(b);
  return st;
}

/* Protocol of the PickleParameter whose range is being read (the range loader callback has no
 * user pointer; thread-local keeps concurrent loads apart). */
static _Thread_local int t_proto;

static cpet_status load_xp(hid_t g, int64_t i, cpet_value **out) {
  char name[64];
  snprintf(name, sizeof name, "xp_%08lld", (long long)i);
  return pickle_from_item(g, name, t_proto, out);
}

/* Parameter layout: data[0].data, explored_data[*].data. */
static cpet_status read_plain_param(hid_t g, cpet_node *leaf) {
  cpet_value *tab = NULL, *v = NULL;
  const cpet_value *col;
  CPET__CHECK(read_param_table(g, "data", "data", &tab, &col));
  cpet_status st = col_rows(col) ? cpet__value_cell(col, 0, &v)
                                 : cpet__err(CPET_ERR_LAYOUT, "parameter table 'data' is empty");
  if (st == CPET_OK) st = cpet_param_set(leaf, v);
  cpet_value_free(v);
  cpet_value_free(tab);
  if (st != CPET_OK || !has(g, "explored_data")) return st;
  CPET__CHECK(read_param_table(g, "explored_data", "data", &tab, &col));
  size_t n = col_rows(col);
  cpet_value **vals = cpet__calloc(n + 1, sizeof *vals);
  st = vals ? CPET_OK : cpet__err(CPET_ERR_NOMEM, "explored range");
  for (size_t i = 0; st == CPET_OK && i < n; i++)
    st = cpet__value_cell(col, i, &vals[i]);
  cpet_value_free(tab);
  if (st != CPET_OK) {
    for (size_t i = 0; vals && i < n; i++)
      cpet_value_free(vals[i]);
    cpet_free(vals);
    return st;
  }
  return set_range_take(leaf, vals, n);
}

static cpet_status read_param(hid_t g, cpet_node *leaf) {
  cpet_leaf_class cls = cpet_node_class(leaf);
  cpet_value *v = NULL;
  cpet_flag f;
  cpet_status st;
  if (cls == CPET_CLASS_SPARSE_PARAMETER && has(g, "data__spsp__")) {
    CPET__CHECK(sparse_from_item(g, "data__spsp__", &v));
    st = cpet_param_set(leaf, v);
    cpet_value_free(v);
    if (st == CPET_OK && has(g, "explored_data__spsp__"))
      st = read_indexed_range(g, "explored_data__spsp__", leaf, load_xspm);
    return st;
  }
  if ((cls == CPET_CLASS_ARRAY_PARAMETER || cls == CPET_CLASS_SPARSE_PARAMETER) &&
      has(g, "data__rr__")) {
    CPET__CHECK(cpet__layout_read_item(g, "data__rr__", NULL, &v, &f));
    st = cpet_param_set(leaf, v);
    cpet_value_free(v);
    /* Look up exactly the names needed: pypet's double-store junk is ignored (spec 6.9). */
    if (st == CPET_OK && has(g, "explored_data__rr__"))
      st = read_indexed_range(g, "explored_data__rr__", leaf, load_xa);
    return st;
  }
  if (cls == CPET_CLASS_PICKLE_PARAMETER) {
    int proto = read_protocol(g);
    CPET__CHECK(pickle_from_item(g, "data", proto < 0 ? 2 : proto, &v));
    st = cpet_param_set(leaf, v);
    cpet_value_free(v);
    if (st == CPET_OK && has(g, "explored_data")) {
      t_proto = proto < 0 ? 2 : proto;
      st = read_indexed_range(g, "explored_data", leaf, load_xp);
    }
    return st;
  }
  if (!has(g, "data")) return CPET_OK; /* an empty parameter */
  return read_plain_param(g, leaf);
}

/* ---- results ---- */

typedef struct {
  const char *const *only;
  size_t nonly;
  const char *const *except;
  size_t nexcept;
} keyfilter;

static int wanted(const keyfilter *kf, const char *key) {
  if (kf->only && kf->nonly) {
    for (size_t i = 0; i < kf->nonly; i++)
      if (strcmp(kf->only[i], key) == 0) return 1;
    return 0;
  }
  for (size_t i = 0; kf->except && i < kf->nexcept; i++)
    if (strcmp(kf->except[i], key) == 0) return 0;
  return 1;
}

static cpet_status set_item(cpet_node *leaf, const char *key, cpet_value *v, cpet_flag f) {
  cpet_value *copy = NULL;
  if (f != CPET_FLAG_AUTO && cpet_value_copy(v, &copy) != CPET_OK) copy = NULL;
  cpet_status st = cpet_leaf_set_take(leaf, key, v, f);
  if (st == CPET_ERR_TYPE && copy) {
    /* The tree refuses the recorded flag for this value (e.g. VLARRAY rows): keep the data. */
    cpet__log(CPET_LOG_DEBUG, "load", "item '%s': flag %d not accepted, using AUTO", key, (int)f);
    cpet_errclear();
    st = cpet_leaf_set_take(leaf, key, copy, CPET_FLAG_AUTO);
    copy = NULL;
  }
  cpet_value_free(copy);
  return st;
}

static cpet_status read_result_group(hid_t g, cpet_node *leaf, const char *prefix,
                                     const keyfilter *kf, int depth) {
  if (depth > 64) return cpet__err(CPET_ERR_LAYOUT, "nested groups too deep");
  cpet_leaf_class cls = cpet_node_class(leaf);
  int proto = cls == CPET_CLASS_PICKLE_RESULT ? read_protocol(g) : -1;
  char **names = NULL;
  size_t n = 0;
  CPET__CHECK(cpet__h5_list_names(g, &names, &n));
  cpet_status st = CPET_OK;
  for (size_t i = 0; st == CPET_OK && i < n; i++) {
    const char *nm = names[i];
    if (cls == CPET_CLASS_PICKLE_RESULT && strcmp(nm, "__pckl_prtcl__") == 0) continue;
    char *key = cpet__asprintf("%s%s", prefix, nm);
    if (!key) {
      st = cpet__err(CPET_ERR_NOMEM, "item key");
      break;
    }
    int kind = cpet__h5_child_kind(g, nm, NULL);
    char *store = NULL;
    if (kind == 1 && H5Aexists_by_name(g, nm, "SRVC_STORE", H5P_DEFAULT) > 0) {
      hid_t sub = H5Gopen2(g, nm, H5P_DEFAULT);
      if (sub >= 0) {
        if (cpet__h5_attr_read_str(sub, "SRVC_STORE", &store) != CPET_OK) cpet_errclear();
        if (store && strcmp(store, "NESTED_GROUP") == 0) {
          char *np = cpet__asprintf("%s.", key);
          st = np ? read_result_group(sub, leaf, np, kf, depth + 1)
                  : cpet__err(CPET_ERR_NOMEM, "item key");
          cpet_free(np);
          H5Gclose(sub);
          cpet_free(store);
          cpet_free(key);
          continue;
        }
        H5Gclose(sub);
      }
    }
    cpet_free(store);
    size_t kl = strlen(key);
    int sparse = cls == CPET_CLASS_SPARSE_RESULT && kl > 8 && strcmp(key + kl - 8, "__spsp__") == 0;
    if (sparse) key[kl - 8] = '\0';
    if (!wanted(kf, key)) {
      cpet_free(key);
      continue;
    }
    cpet_value *v = NULL;
    cpet_flag f = CPET_FLAG_AUTO;
    if (sparse)
      st = sparse_from_item(g, nm, &v);
    else if (cls == CPET_CLASS_PICKLE_RESULT)
      st = pickle_from_item(g, nm, proto < 0 ? 0 : proto, &v);
    else
      st = cpet__layout_read_item(g, nm, NULL, &v, &f);
    if (st == CPET_OK) st = set_item(leaf, key, v, f);
    if (st != CPET_OK) cpet__err_context("leaf '%s' item '%s'", cpet_node_full_name(leaf), key);
    cpet_free(key);
  }
  cpet__h5_free_names(names, n);
  return st;
}

cpet_status cpet__layout_read_leaf(hid_t leafgrp, cpet_node *leaf, const char *encoding,
                                   const char *const *only, size_t nonly, const char *const *except,
                                   size_t nexcept) {
  (void)encoding;
  if (cpet_node_is_parameter(leaf)) {
    cpet_status st = read_param(leafgrp, leaf);
    if (st != CPET_OK) cpet__err_context("parameter '%s'", cpet_node_full_name(leaf));
    return st;
  }
  keyfilter kf = {only, nonly, except, nexcept};
  return read_result_group(leafgrp, leaf, "", &kf, 0);
}
