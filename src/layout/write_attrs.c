/* write_attrs.c - attributes of written leaf data: PyTables' bookkeeping (CLASS, VERSION, TITLE,
 * FLAVOR, EXTDIM, FILTERS), pypet's type recall (SRVC_DATA_* / SRVC_COLUMN_*), nested groups and
 * annotations (SRVC_AN_*, SRVC_ANNOTATED). */
#include <string.h>

#include "h5/h5_int.h"
#include "layout/write_int.h"
#include "value/value_int.h"

static const cpet_filter_opts default_filters = CPET_FILTER_OPTS_DEFAULT;

const cpet_filter_opts *cpet__wr_filters(const cpet__wctx *ctx) {
  return ctx && ctx->opts ? &ctx->opts->filters : &default_filters;
}

/* ---- raw attribute writers ---- */

cpet_status cpet__wr_attr_scalar(hid_t obj, const char *name, hid_t type, const void *buf) {
  hid_t sp = H5Screate(H5S_SCALAR);
  if (sp < 0) return cpet__h5_err("H5Screate", name);
  hid_t a = H5Acreate2(obj, name, type, sp, H5P_DEFAULT, H5P_DEFAULT);
  H5Sclose(sp);
  if (a < 0) return cpet__h5_err("H5Acreate2", name);
  cpet_status st = CPET_OK;
  if (H5Awrite(a, type, buf) < 0) st = cpet__h5_err("H5Awrite", name);
  if (H5Aclose(a) < 0 && st == CPET_OK) st = cpet__h5_err("H5Aclose", name);
  return st;
}

cpet_status cpet__wr_attr_str(hid_t obj, const char *name, const char *s, int ascii) {
  size_t len = s ? strlen(s) : 0;
  hid_t t = H5Tcopy(H5T_C_S1);
  if (t < 0) return cpet__h5_err("H5Tcopy", name);
  if (H5Tset_size(t, len ? len : 1) < 0 || H5Tset_strpad(t, H5T_STR_NULLTERM) < 0 ||
      H5Tset_cset(t, ascii ? H5T_CSET_ASCII : H5T_CSET_UTF8) < 0) {
    H5Tclose(t);
    return cpet__h5_err("string attribute type", name);
  }
  cpet_status st = CPET_OK;
  if (len) {
    st = cpet__wr_attr_scalar(obj, name, t, s);
  } else { /* PyTables writes "" as a null dataspace (spec 2.1) */
    hid_t sp = H5Screate(H5S_NULL);
    hid_t a = sp < 0 ? -1 : H5Acreate2(obj, name, t, sp, H5P_DEFAULT, H5P_DEFAULT);
    if (a < 0) st = cpet__h5_err("H5Acreate2", name);
    if (a >= 0 && H5Aclose(a) < 0) st = cpet__h5_err("H5Aclose", name);
    cpet__h5_close(sp);
  }
  H5Tclose(t);
  return st;
}

/* ---- PyTables bookkeeping ---- */

int64_t cpet__wr_filters_packed(const cpet_filter_opts *o) {
  if (!o || o->complevel <= 0) return o && o->fletcher32 ? (int64_t)0x2 << 16 : 0;
  /* tables.filters.all_complibs of PyTables 3.7, 1-based */
  int lib = 1;
  switch (o->complib) {
  case CPET_COMPLIB_ZLIB:
    lib = 1;
    break;
  case CPET_COMPLIB_LZO:
    lib = 2;
    break;
  case CPET_COMPLIB_BZIP2:
    lib = 3;
    break;
  case CPET_COMPLIB_BLOSC:
    lib = o->blosc_codec < 0 ? 4 : 5 + o->blosc_codec;
    break;
  }
  int flags = (o->shuffle ? 0x1 : 0) | (o->fletcher32 ? 0x2 : 0);
  return (int64_t)o->complevel | ((int64_t)lib << 8) | ((int64_t)flags << 16);
}

cpet_status cpet__wr_pytables_attrs(hid_t obj, cpet__ptclass cls, const char *title,
                                    const char *flavor, const cpet_filter_opts *filters) {
  /* PyTables 3.7 writes the CArray/EArray attributes with ASCII cset, the others UTF-8. */
  static const struct {
    const char *cls, *version;
    int ascii;
  } tab[] = {{"GROUP", "1.0", 0},  {"TABLE", "2.7", 0},  {"ARRAY", "2.4", 0},
             {"CARRAY", "1.1", 1}, {"EARRAY", "1.1", 1}, {"VLARRAY", "1.4", 0}};
  int ascii = tab[cls].ascii;
  CPET__CHECK(cpet__wr_attr_str(obj, "CLASS", tab[cls].cls, ascii));
  CPET__CHECK(cpet__wr_attr_str(obj, "VERSION", tab[cls].version, ascii));
  CPET__CHECK(cpet__wr_attr_str(obj, "TITLE", title, ascii));
  if (flavor && cls == CPET__PT_ARRAY) CPET__CHECK(cpet__wr_attr_str(obj, "FLAVOR", flavor, 0));
  if (cls == CPET__PT_EARRAY) {
    int32_t extdim = 0;
    CPET__CHECK(cpet__wr_attr_scalar(obj, "EXTDIM", H5T_STD_I32LE, &extdim));
  }
  if (cls == CPET__PT_GROUP) {
    int64_t packed = cpet__wr_filters_packed(filters);
    CPET__CHECK(cpet__wr_attr_scalar(obj, "FILTERS", H5T_STD_I64LE, &packed));
  }
  return CPET_OK;
}

cpet_status cpet__wr_group_create(hid_t parent, const char *name, const char *title,
                                  const char *srvc_store, const cpet__wctx *ctx, hid_t *out) {
  *out = -1;
  hid_t g = H5Gcreate2(parent, name, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
  if (g < 0) return cpet__h5_err("H5Gcreate2", name);
  cpet_status st = cpet__wr_pytables_attrs(g, CPET__PT_GROUP, title, NULL, cpet__wr_filters(ctx));
  if (st == CPET_OK && srvc_store) st = cpet__wr_attr_str(g, "SRVC_STORE", srvc_store, 0);
  if (st != CPET_OK) {
    H5Gclose(g);
    H5Ldelete(parent, name, H5P_DEFAULT);
    return st;
  }
  *out = g;
  return CPET_OK;
}

/* ---- type recall (spec 7.2) ---- */

static const char *unicode_array_stype(cpet_type t) {
  /* numpy unicode arrays are written as bytes and recorded "str" (spec 6.2) */
  return t == CPET_T_STR || t == CPET_T_PY_STR ? "str" : NULL;
}

cpet_status cpet__wr_recall_names(const cpet_value *v, int is_column, const char **coll,
                                  const char **stype) {
  *coll = NULL;
  *stype = NULL;
  cpet_kind k = cpet_value_kind(v);
  cpet_type t = cpet_value_type(v);
  switch (k) {
  case CPET_KIND_SCALAR:
    if (t == CPET_T_NONE) break;
    *coll = "COLL_SCALAR";
    *stype = cpet_type_name(t);
    return CPET_OK;
  case CPET_KIND_PICKLE: /* pickle.dumps() returns bytes */
    *coll = "COLL_SCALAR";
    *stype = "bytes";
    return CPET_OK;
  case CPET_KIND_LIST:
  case CPET_KIND_TUPLE: {
    *coll = k == CPET_KIND_LIST ? "COLL_LIST" : "COLL_TUPLE";
    /* the element type of element 0, so only for non-empty sequences */
    size_t n = is_column ? (cpet_value_ndim(v) >= 2 ? cpet_value_shape(v)[1] : 0)
                         : (t == CPET_T_NONE ? cpet_value_nchildren(v) : cpet_value_nelem(v));
    if (n == 0) return CPET_OK;
    if (t != CPET_T_NONE) {
      *stype = cpet_type_name(t);
      return CPET_OK;
    }
    const cpet_value *c0 = cpet_value_child(v, 0);
    if (c0 && cpet_value_kind(c0) == CPET_KIND_SCALAR && cpet_value_type(c0) != CPET_T_NONE) {
      *stype = cpet_type_name(cpet_value_type(c0));
      return CPET_OK;
    }
    break;
  }
  case CPET_KIND_NDARRAY:
  case CPET_KIND_MATRIX:
    *coll = k == CPET_KIND_NDARRAY ? "COLL_NDARRAY" : "COLL_MATRIX";
    *stype = unicode_array_stype(t);
    return CPET_OK;
  case CPET_KIND_DICT:
    if (is_column) break;
    *coll = cpet_value_nchildren(v) ? "COLL_DICT" : "COLL_EMPTY_DICT";
    return CPET_OK;
  default:
    break;
  }
  *coll = NULL;
  return cpet__err(CPET_ERR_TYPE, "pypet cannot record the type of a %s of %s", cpet_kind_name(k),
                   cpet_type_name(t));
}

cpet_status cpet__wr_recall_attrs(hid_t obj, const char *prefix, const char *coll,
                                  const char *stype) {
  char name[320];
  size_t pl = strlen(prefix);
  if (pl + sizeof "SCALAR_TYPE" > sizeof name)
    return cpet__err(CPET_ERR_NAME, "column name too long for an attribute: '%s'", prefix);
  memcpy(name, prefix, pl);
  memcpy(name + pl, "COLL_TYPE", sizeof "COLL_TYPE");
  CPET__CHECK(cpet__wr_attr_str(obj, name, coll, 0));
  if (!stype) return CPET_OK;
  memcpy(name + pl, "SCALAR_TYPE", sizeof "SCALAR_TYPE");
  return cpet__wr_attr_str(obj, name, stype, 0);
}

/* ---- annotations (spec 8.2) ---- */

typedef struct {
  char **names;
  size_t n, cap;
  int oom;
} an_list;

static int collect_an(const char *name, void *ud) {
  an_list *l = ud;
  if (strncmp(name, "SRVC_AN_", 8) != 0) return 0;
  if (l->n == l->cap) {
    size_t cap = l->cap ? 2 * l->cap : 8;
    char **p = cpet__realloc(l->names, cap * sizeof *p);
    if (!p) {
      l->oom = 1;
      return 1;
    }
    l->names = p;
    l->cap = cap;
  }
  if (!(l->names[l->n] = cpet__strdup(name))) {
    l->oom = 1;
    return 1;
  }
  l->n++;
  return 0;
}

static cpet_status delete_annotations(hid_t grp) {
  if (!cpet__h5_attr_true(grp, "SRVC_ANNOTATED")) return CPET_OK; /* as pypet: only if flagged */
  an_list l = {0};
  cpet_status st = cpet__h5_attr_iterate(grp, collect_an, &l);
  if (st == CPET_OK && l.oom) st = cpet__err(CPET_ERR_NOMEM, "annotations: out of memory");
  for (size_t i = 0; i < l.n && st == CPET_OK; i++)
    st = cpet__h5_attr_delete(grp, l.names[i]);
  if (st == CPET_OK) st = cpet__h5_attr_delete(grp, "SRVC_ANNOTATED");
  for (size_t i = 0; i < l.n; i++)
    cpet_free(l.names[i]);
  cpet_free(l.names);
  return st;
}

cpet_status cpet__layout_write_annotations(hid_t grp, const cpet_node *node, int overwrite) {
  if (grp < 0 || !node) return cpet__err(CPET_ERR_INVAL, "write annotations: bad argument");
  if (overwrite) CPET__CHECK(delete_annotations(grp));
  size_t n = cpet_node_nannotations(node);
  int changed = 0;
  for (size_t i = 0; i < n; i++) {
    const char *key;
    const cpet_value *val;
    CPET__CHECK(cpet_node_annotation(node, i, &key, &val));
    char *an = cpet__asprintf("SRVC_AN_%s", key);
    if (!an) return cpet__err(CPET_ERR_NOMEM, "annotations: out of memory");
    cpet_status st = CPET_OK;
    /* only new keys are added; existing ones stay unless overwriting (deleted above) */
    if (!cpet__h5_attr_exists(grp, an)) {
      st = cpet__h5_attr_write_value(grp, an, val);
      changed = 1;
    }
    if (st != CPET_OK) cpet__err_context("annotation '%s' of '%s'", key, cpet_node_full_name(node));
    cpet_free(an);
    CPET__CHECK(st);
  }
  if (changed) CPET__CHECK(cpet__h5_attr_write_bool(grp, "SRVC_ANNOTATED", 1));
  return CPET_OK;
}
