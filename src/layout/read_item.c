/* read_item.c - one child of a leaf group: arrays (ARRAY/CARRAY/EARRAY/VLARRAY) with pypet's
 * type recall (spec 7.4), and the dispatch on SRVC_STORE for tables, dicts, pandas objects and
 * shared-data nodes. */
#include <complex.h>
#include <string.h>

#include "layout/read_int.h"

char *cpet__read_attr(const cpet__attrsrc *src, const char *name) {
  if (src->obj >= 0) {
    char *s = NULL;
    if (H5Aexists(src->obj, name) <= 0) return NULL;
    if (cpet__h5_attr_read_str(src->obj, name, &s) != CPET_OK) {
      cpet_errclear();
      return NULL;
    }
    return s;
  }
  for (size_t i = 0; i < src->n; i++)
    if (strcmp(src->names[i], name) == 0) return cpet__strdup(src->vals[i]);
  return NULL;
}

/* ---- element conversion ---- */

typedef struct {
  int kind; /* 0 int, 1 uint, 2 float, 3 complex, 4 bool */
  int64_t i;
  uint64_t u;
  double re, im;
} num;

static num load_num(cpet_type t, const void *p) {
  num n = {0, 0, 0, 0, 0};
  switch (t) {
  case CPET_T_PY_BOOL:
  case CPET_T_BOOL:
    n.kind = 4, n.i = *(const uint8_t *)p != 0;
    break;
  case CPET_T_INT8:
    n.i = *(const int8_t *)p;
    break;
  case CPET_T_INT16: {
    int16_t v;
    memcpy(&v, p, 2);
    n.i = v;
    break;
  }
  case CPET_T_INT32: {
    int32_t v;
    memcpy(&v, p, 4);
    n.i = v;
    break;
  }
  case CPET_T_PY_INT:
  case CPET_T_INT64:
    memcpy(&n.i, p, 8);
    break;
  case CPET_T_UINT8:
    n.kind = 1, n.u = *(const uint8_t *)p;
    break;
  case CPET_T_UINT16: {
    uint16_t v;
    memcpy(&v, p, 2);
    n.kind = 1, n.u = v;
    break;
  }
  case CPET_T_UINT32: {
    uint32_t v;
    memcpy(&v, p, 4);
    n.kind = 1, n.u = v;
    break;
  }
  case CPET_T_UINT64:
    n.kind = 1;
    memcpy(&n.u, p, 8);
    break;
  case CPET_T_FLOAT32: {
    float v;
    memcpy(&v, p, 4);
    n.kind = 2, n.re = v;
    break;
  }
  case CPET_T_PY_FLOAT:
  case CPET_T_FLOAT64:
    n.kind = 2;
    memcpy(&n.re, p, 8);
    break;
  case CPET_T_COMPLEX64: {
    float v[2];
    memcpy(v, p, 8);
    n.kind = 3, n.re = v[0], n.im = v[1];
    break;
  }
  case CPET_T_PY_COMPLEX:
  case CPET_T_COMPLEX128: {
    double v[2];
    memcpy(v, p, 16);
    n.kind = 3, n.re = v[0], n.im = v[1];
    break;
  }
  default:
    break;
  }
  if (n.kind == 0 || n.kind == 4)
    n.u = (uint64_t)n.i, n.re = (double)n.i;
  else if (n.kind == 1)
    n.i = (int64_t)n.u, n.re = (double)n.u;
  else {
    n.i = (int64_t)n.re;
    n.u = (uint64_t)n.i;
  }
  return n;
}

static void store_num(cpet_type t, void *p, num n) {
  switch (t) {
  case CPET_T_PY_BOOL:
  case CPET_T_BOOL:
    *(uint8_t *)p = (n.kind == 2 || n.kind == 3) ? (n.re != 0 || n.im != 0) : n.u != 0;
    break;
  case CPET_T_INT8:
    *(int8_t *)p = (int8_t)n.i;
    break;
  case CPET_T_INT16: {
    int16_t v = (int16_t)n.i;
    memcpy(p, &v, 2);
    break;
  }
  case CPET_T_INT32: {
    int32_t v = (int32_t)n.i;
    memcpy(p, &v, 4);
    break;
  }
  case CPET_T_PY_INT:
  case CPET_T_INT64:
    memcpy(p, &n.i, 8);
    break;
  case CPET_T_UINT8:
    *(uint8_t *)p = (uint8_t)n.u;
    break;
  case CPET_T_UINT16: {
    uint16_t v = (uint16_t)n.u;
    memcpy(p, &v, 2);
    break;
  }
  case CPET_T_UINT32: {
    uint32_t v = (uint32_t)n.u;
    memcpy(p, &v, 4);
    break;
  }
  case CPET_T_UINT64:
    memcpy(p, &n.u, 8);
    break;
  case CPET_T_FLOAT32: {
    float v = (float)n.re;
    memcpy(p, &v, 4);
    break;
  }
  case CPET_T_PY_FLOAT:
  case CPET_T_FLOAT64:
    memcpy(p, &n.re, 8);
    break;
  case CPET_T_COMPLEX64: {
    float v[2] = {(float)n.re, (float)n.im};
    memcpy(p, v, 8);
    break;
  }
  case CPET_T_PY_COMPLEX:
  case CPET_T_COMPLEX128: {
    double v[2] = {n.re, n.im};
    memcpy(p, v, 16);
    break;
  }
  default:
    break;
  }
}

cpet_status cpet__read_retype(cpet_value *v, cpet_type to) {
  if (v->type == to || v->type == CPET_T_NONE || !v->data) {
    if (v->type != CPET_T_NONE) v->type = to;
    return CPET_OK;
  }
  int fs = cpet__type_is_string(v->type), ts = cpet__type_is_string(to);
  if (fs || ts) {
    if (fs && ts) {
      v->type = to;
      return CPET_OK;
    }
    return cpet__err(CPET_ERR_TYPE, "cannot convert %s data to %s", cpet_type_name(v->type),
                     cpet_type_name(to));
  }
  size_t tsz = cpet_type_size(to);
  if (tsz == v->itemsize) {
    /* Same width: convert in place element by element (a load, then a store). */
    unsigned char *p = v->data;
    for (size_t i = 0; i < v->nelem; i++)
      store_num(to, p + i * tsz, load_num(v->type, p + i * tsz));
  } else {
    size_t nb;
    if (cpet__mul_size(v->nelem, tsz, &nb) != 0) return cpet__err(CPET_ERR_RANGE, "retype");
    unsigned char *nd = cpet__calloc(nb + 1, 1);
    if (!nd) return cpet__err(CPET_ERR_NOMEM, "retype");
    const unsigned char *p = v->data;
    for (size_t i = 0; i < v->nelem; i++)
      store_num(to, nd + i * tsz, load_num(v->type, p + i * v->itemsize));
    cpet_free(v->data);
    v->data = nd;
    v->itemsize = tsz;
  }
  v->type = to;
  return CPET_OK;
}

cpet_type cpet__read_box_type(cpet_type t) {
  if (cpet__type_is_int(t)) return CPET_T_PY_INT;
  if (cpet__type_is_float(t)) return CPET_T_PY_FLOAT;
  if (cpet__type_is_complex(t)) return CPET_T_PY_COMPLEX;
  if (cpet__type_is_bool(t)) return CPET_T_PY_BOOL;
  return t;
}

/* ---- type recall ---- */

static int parse_stype(const char *stype, cpet_type *t) {
  if (!stype || !*stype) return 0;
  if (cpet_type_from_name(stype, t) != CPET_OK) {
    cpet__log(CPET_LOG_WARN, "load", "unknown recorded type '%s' ignored", stype);
    cpet_errclear();
    return 0;
  }
  return 1;
}

/* Drops the trailing NULs of a string scalar (numpy |S semantics). */
static void strip_scalar(cpet_value *v) {
  if (v->kind == CPET_KIND_SCALAR && v->ndim == 0 && cpet__type_is_string(v->type) && v->data)
    v->itemsize = cpet__value_string_len(v->data, v->itemsize);
}

cpet_status cpet__read_recall(cpet_value *raw, const char *coll, const char *stype,
                              cpet_value **out) {
  *out = NULL;
  cpet_type st = CPET_T_NONE;
  int has_st = parse_stype(stype, &st);
  cpet_status s = CPET_OK;
  if (coll && strcmp(coll, "COLL_EMPTY_DICT") == 0) {
    cpet_value_free(raw);
    return cpet_value_new_dict(out);
  }
  if (raw->kind == CPET_KIND_LIST && raw->type == CPET_T_NONE) { /* VLARRAY rows: keep */
    *out = raw;
    return CPET_OK;
  }
  if (coll && strcmp(coll, "COLL_SCALAR") == 0) {
    /* Element 0 of whatever came back, as the recorded type. */
    if (raw->nelem == 0) {
      cpet_value_free(raw);
      return cpet__err(CPET_ERR_LAYOUT, "COLL_SCALAR data without elements");
    }
    raw->kind = CPET_KIND_SCALAR;
    raw->ndim = 0;
    raw->nelem = 1;
    if (has_st) s = cpet__read_retype(raw, st);
    strip_scalar(raw);
  } else if (coll && (strcmp(coll, "COLL_LIST") == 0 || strcmp(coll, "COLL_TUPLE") == 0)) {
    cpet_kind k = coll[5] == 'L' ? CPET_KIND_LIST : CPET_KIND_TUPLE;
    if (raw->nelem == 0) {
      cpet_value_free(raw);
      return cpet_value_new_seq(k, out);
    }
    if (raw->ndim <= 1) {
      raw->kind = k;
      raw->ndim = 1;
      raw->shape[0] = raw->nelem;
      if (has_st) s = cpet__read_retype(raw, st);
    } else {
      /* A sequence of rows (nested sequences): items are arrays of the remaining rank. */
      cpet_value *seq = NULL;
      raw->kind = CPET_KIND_NDARRAY;
      if (has_st) s = cpet__read_retype(raw, st);
      if (s == CPET_OK) s = cpet_value_new_seq(k, &seq);
      for (size_t i = 0; s == CPET_OK && i < raw->shape[0]; i++) {
        cpet_value *c = NULL;
        s = cpet__value_cell(raw, i, &c);
        if (s == CPET_OK) s = cpet_value_append(seq, c);
      }
      cpet_value_free(raw);
      if (s != CPET_OK) {
        cpet_value_free(seq);
        return s;
      }
      *out = seq;
      return CPET_OK;
    }
  } else if (raw->kind == CPET_KIND_NDARRAY) {
    if (has_st && (st == CPET_T_PY_STR || st == CPET_T_STR) && cpet__type_is_string(raw->type))
      raw->type = CPET_T_STR; /* numpy.char.decode: a unicode array */
    if (coll && strcmp(coll, "COLL_MATRIX") == 0 && raw->ndim == 2) raw->kind = CPET_KIND_MATRIX;
  } else {
    strip_scalar(raw);
  }
  if (s != CPET_OK) {
    cpet_value_free(raw);
    return s;
  }
  *out = raw;
  return CPET_OK;
}

/* ---- raw reads ---- */

static cpet_status read_vlarray(hid_t ds, hid_t ft, const char *name, cpet_value **out) {
  hid_t base = H5Tget_super(ft), sp = H5Dget_space(ds), mbase = -1, mt = -1;
  cpet_status st = CPET_OK;
  cpet_value *seq = NULL;
  hvl_t *rows = NULL;
  hssize_t n = sp >= 0 ? H5Sget_simple_extent_npoints(sp) : -1;
  cpet_type t;
  size_t isz;
  int cnd = 0;
  size_t cshape[CPET_MAX_NDIM];
  hid_t elem = base;
  if (base < 0 || n < 0) {
    st = cpet__h5_err("H5Tget_super", name);
    goto done;
  }
  if (H5Tget_class(base) == H5T_ARRAY) { /* an atom with a shape */
    hsize_t d[CPET_MAX_NDIM];
    cnd = H5Tget_array_ndims(base);
    if (cnd < 0 || cnd >= CPET_MAX_NDIM) {
      st = cpet__err(CPET_ERR_UNSUPPORTED, "'%s': VLARRAY atom rank", name);
      goto done;
    }
    H5Tget_array_dims2(base, d);
    for (int i = 0; i < cnd; i++)
      cshape[i] = (size_t)d[i];
    elem = H5Tget_super(base);
  }
  if ((st = cpet__h5_type_classify(elem, &t, &isz)) != CPET_OK) goto done;
  if ((mbase = cpet__h5_mem_type(t, isz, elem)) < 0) {
    st = cpet__h5_err("memory type", name);
    goto done;
  }
  if (cnd) {
    hsize_t d[CPET_MAX_NDIM];
    for (int i = 0; i < cnd; i++)
      d[i] = cshape[i];
    hid_t a = H5Tarray_create2(mbase, (unsigned)cnd, d);
    H5Tclose(mbase);
    mbase = a;
  }
  mt = H5Tvlen_create(mbase);
  rows = cpet__calloc((size_t)n + 1, sizeof *rows);
  if (!rows) {
    st = cpet__err(CPET_ERR_NOMEM, "'%s'", name);
    goto done;
  }
  if (mt < 0 || H5Dread(ds, mt, H5S_ALL, H5S_ALL, H5P_DEFAULT, rows) < 0) {
    st = cpet__h5_err("H5Dread", name);
    goto done;
  }
  if ((st = cpet_value_new_seq(CPET_KIND_LIST, &seq)) != CPET_OK) goto done;
  size_t per = 1;
  for (int i = 0; i < cnd; i++)
    per *= cshape[i];
  for (hssize_t r = 0; r < n && st == CPET_OK; r++) {
    size_t shape[CPET_MAX_NDIM];
    shape[0] = rows[r].len;
    for (int i = 0; i < cnd; i++)
      shape[i + 1] = cshape[i];
    cpet_value *row = NULL;
    void *data = NULL;
    st = cpet__value_new_array_uninit(CPET_KIND_NDARRAY, t, isz, cnd + 1, shape, &row, &data);
    if (st == CPET_OK && data) memcpy(data, rows[r].p, rows[r].len * per * isz);
    if (st == CPET_OK) st = cpet_value_append(seq, row);
  }
  H5Dvlen_reclaim(mt, sp, H5P_DEFAULT, rows);
done:
  cpet_free(rows);
  if (elem != base) cpet__h5_close(elem);
  cpet__h5_close(base);
  cpet__h5_close(mbase);
  cpet__h5_close(mt);
  cpet__h5_close(sp);
  if (st != CPET_OK) {
    cpet_value_free(seq);
    return st;
  }
  *out = seq;
  return CPET_OK;
}

/* Reads a non-table dataset as PyTables does with numpy flavor: rank-0 -> scalar, else ndarray. */
static cpet_status read_array(hid_t ds, const char *name, cpet_value **out) {
  hid_t ft = H5Dget_type(ds), sp = -1, mt = -1;
  cpet_status st = CPET_OK;
  cpet_value *v = NULL;
  if (ft < 0) return cpet__h5_err("H5Dget_type", name);
  if (H5Tget_class(ft) == H5T_VLEN) {
    st = read_vlarray(ds, ft, name, out);
    H5Tclose(ft);
    return st;
  }
  cpet_type t;
  size_t isz;
  if ((st = cpet__h5_type_classify(ft, &t, &isz)) != CPET_OK) goto done;
  if (cpet__type_is_string(t) && isz == 0) {
    st = cpet__err(CPET_ERR_UNSUPPORTED, "'%s': variable-length strings", name);
    goto done;
  }
  if ((sp = H5Dget_space(ds)) < 0) {
    st = cpet__h5_err("H5Dget_space", name);
    goto done;
  }
  int nd = H5Sget_simple_extent_ndims(sp);
  if (nd < 0 || nd > CPET_MAX_NDIM) {
    st = cpet__err(CPET_ERR_UNSUPPORTED, "'%s': rank %d", name, nd);
    goto done;
  }
  hsize_t dims[CPET_MAX_NDIM];
  size_t shape[CPET_MAX_NDIM];
  H5Sget_simple_extent_dims(sp, dims, NULL);
  for (int i = 0; i < nd; i++)
    shape[i] = (size_t)dims[i];
  void *data = NULL;
  st = cpet__value_new_array_uninit(nd ? CPET_KIND_NDARRAY : CPET_KIND_SCALAR, t, isz, nd, shape,
                                    &v, &data);
  if (st != CPET_OK) goto done;
  if (data) {
    if ((mt = cpet__h5_mem_type(t, isz, ft)) < 0 ||
        H5Dread(ds, mt, H5S_ALL, H5S_ALL, H5P_DEFAULT, data) < 0) {
      st = cpet__h5_err("H5Dread", name);
      goto done;
    }
  }
  /* Legacy PyTables 2 empty arrays: [0] plus PTCOMPAT__empty__dtype. */
  if (H5Aexists(ds, "PTCOMPAT__empty__dtype") > 0 && v->nelem == 1) {
    v->kind = CPET_KIND_NDARRAY;
    v->ndim = 1;
    v->shape[0] = 0;
    v->nelem = 0;
  }
done:
  cpet__h5_close(mt);
  cpet__h5_close(sp);
  H5Tclose(ft);
  if (st != CPET_OK) {
    cpet_value_free(v);
    return st;
  }
  *out = v;
  return CPET_OK;
}

static cpet_status read_array_item(hid_t loc, const char *name, cpet_value **out) {
  hid_t ds = H5Dopen2(loc, name, H5P_DEFAULT);
  if (ds < 0) return cpet__h5_err("H5Dopen2", name);
  cpet_value *raw = NULL;
  cpet_status st = read_array(ds, name, &raw);
  if (st == CPET_OK) {
    cpet__attrsrc src = {ds, 0, NULL, NULL};
    char *coll = cpet__read_attr(&src, "SRVC_DATA_COLL_TYPE");
    char *stype = cpet__read_attr(&src, "SRVC_DATA_SCALAR_TYPE");
    st = cpet__read_recall(raw, coll, stype, out);
    cpet_free(coll);
    cpet_free(stype);
  }
  H5Dclose(ds);
  return st;
}

static cpet_flag flag_of(const char *s) {
  static const struct {
    const char *n;
    cpet_flag f;
  } m[] = {{"ARRAY", CPET_FLAG_ARRAY},   {"CARRAY", CPET_FLAG_CARRAY},
           {"EARRAY", CPET_FLAG_EARRAY}, {"VLARRAY", CPET_FLAG_VLARRAY},
           {"TABLE", CPET_FLAG_TABLE},   {"DICT", CPET_FLAG_DICT},
           {"FRAME", CPET_FLAG_FRAME},   {"SERIES", CPET_FLAG_SERIES}};
  for (size_t i = 0; i < sizeof m / sizeof m[0]; i++)
    if (strcmp(s, m[i].n) == 0) return m[i].f;
  return CPET_FLAG_AUTO;
}

/* Reads a TABLE or DICT node (dataset or split-table group). */
static cpet_status read_table_item(hid_t loc, const char *child, int is_group, int dict,
                                   cpet_value **out) {
  cpet_value *tab = NULL;
  cpet_status st;
  /* No pandas boxing here: the value keeps the stored column types, so storing it again
   * writes the same file; tools show pypet's boxed view (cpet dump). */
  if (is_group) {
    hid_t g = H5Gopen2(loc, child, H5P_DEFAULT);
    if (g < 0) return cpet__h5_err("H5Gopen2", child);
    st = cpet__read_split_table(g, child, -1, &tab);
    H5Gclose(g);
  } else {
    st = cpet__read_table(loc, child, NULL, -1, &tab);
  }
  if (st != CPET_OK) return st;
  if (!dict) {
    *out = tab;
    return CPET_OK;
  }
  return cpet__read_table_to_dict(tab, out);
}

cpet_status cpet__layout_read_item(hid_t leafgrp, const char *child, const char *encoding,
                                   cpet_value **out, cpet_flag *flag) {
  (void)encoding; /* utf8/ascii text is kept as UTF-8 bytes; other encodings are not decoded */
  *out = NULL;
  if (flag) *flag = CPET_FLAG_AUTO;
  int kind = cpet__h5_child_kind(leafgrp, child, NULL);
  if (kind != 1 && kind != 2)
    return cpet__err(CPET_ERR_NOTSTORED, "item '%s' not in storage", child);
  hid_t obj = H5Oopen(leafgrp, child, H5P_DEFAULT);
  if (obj < 0) return cpet__h5_err("H5Oopen", child);
  char *store = NULL, *dictcoll = NULL;
  cpet_status st = cpet__h5_attr_read_str(obj, "SRVC_STORE", &store);
  if (st == CPET_OK && strncmp(store, "SHARED_DATA_", 12) == 0) {
    /* Shared data are read as the kind of data they hold (spec 6.10). */
    char *under = NULL;
    if (cpet__h5_attr_read_str(obj, "SRVC_SHARED_TYPE", &under) == CPET_OK) {
      cpet_free(store);
      store = under;
      if (flag) *flag = CPET_FLAG_SHARED_DATA;
    } else {
      cpet_errclear();
    }
  }
  if (st == CPET_OK && strcmp(store, "DICT") != 0 && strcmp(store, "TABLE") == 0 &&
      H5Aexists(obj, "SRVC_DATA_COLL_TYPE") > 0)
    (void)cpet__h5_attr_read_str(obj, "SRVC_DATA_COLL_TYPE", &dictcoll);
  H5Oclose(obj);
  if (st != CPET_OK) {
    cpet_free(store);
    if (st == CPET_ERR_NOTFOUND)
      return cpet__err(CPET_ERR_LAYOUT, "'%s' has no SRVC_STORE attribute", child);
    return st;
  }
  cpet_flag f = flag_of(store);
  if (flag && *flag == CPET_FLAG_AUTO) *flag = f;
  if (f == CPET_FLAG_ARRAY || f == CPET_FLAG_CARRAY || f == CPET_FLAG_EARRAY ||
      f == CPET_FLAG_VLARRAY) {
    st = kind == 2 ? read_array_item(leafgrp, child, out)
                   : cpet__err(CPET_ERR_LAYOUT, "'%s' (%s) is not a dataset", child, store);
  } else if (f == CPET_FLAG_TABLE || f == CPET_FLAG_DICT) {
    int dict = f == CPET_FLAG_DICT || (dictcoll && strcmp(dictcoll, "COLL_DICT") == 0);
    st = read_table_item(leafgrp, child, kind == 1, dict, out);
  } else if (f == CPET_FLAG_FRAME || f == CPET_FLAG_SERIES) {
    if (kind != 1) {
      st = cpet__err(CPET_ERR_UNSUPPORTED, "'%s': not a pandas group", child);
    } else {
      hid_t g = H5Gopen2(leafgrp, child, H5P_DEFAULT);
      if (g < 0)
        st = cpet__h5_err("H5Gopen2", child);
      else {
        st = cpet__pandas_read(g, out);
        H5Gclose(g);
      }
    }
  } else if (strcmp(store, "NESTED_GROUP") == 0) {
    st = cpet__err(CPET_ERR_INVAL, "'%s' is a nested group, not an item", child);
  } else {
    st = cpet__err(CPET_ERR_UNSUPPORTED, "'%s': unknown storage flag '%s'", child, store);
  }
  cpet_free(store);
  cpet_free(dictcoll);
  return st;
}
