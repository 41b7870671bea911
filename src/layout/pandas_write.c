/* pandas_write.c - DataFrame/Series groups as pandas.HDFStore.put(format='fixed') writes them
 * (spec 11.1): axis0/axis1 or index/values arrays with kind/name/transposed attributes,
 * transposed block values, string labels as fixed-width bytes, string columns as pandas'
 * VLARRAY object pickle. Unlike pandas we give every column its own block (pandas reads any
 * block split), which keeps columns of equal dtype apart but loads identically. */
#include "h5/h5_int.h"
#include "layout/layout_int.h"
#include "layout/pandas_int.h"
#include "layout/pickle_int.h"
#include "value/value_int.h"

#include <stdio.h>
#include <string.h>

cpet_type cpet__pd_numpy_type(cpet_type t) {
  switch (t) {
  case CPET_T_PY_INT:
    return CPET_T_INT64;
  case CPET_T_PY_FLOAT:
    return CPET_T_FLOAT64;
  case CPET_T_PY_BOOL:
    return CPET_T_BOOL;
  case CPET_T_PY_COMPLEX:
    return CPET_T_COMPLEX128;
  default:
    return t;
  }
}

/* Contiguous dataset of `t` with dims; data in the cpet element layout. */
static cpet_status write_ds(hid_t grp, const char *name, cpet_type t, size_t itemsize, int nd,
                            const hsize_t *dims, const void *data) {
  hid_t ty = cpet__h5_type_for(t, itemsize, 0);
  hid_t sp = H5Screate_simple(nd, dims, NULL);
  hid_t ds = -1;
  cpet_status st = CPET_OK;
  if (ty < 0 || sp < 0)
    st = cpet__err(CPET_ERR_TYPE, "pandas '%s': no HDF5 type for %s", name, cpet_type_name(t));
  else if ((ds = H5Dcreate2(grp, name, ty, sp, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT)) < 0)
    st = cpet__h5_err("H5Dcreate2", name);
  else if (data && H5Dwrite(ds, ty, H5S_ALL, H5S_ALL, H5P_DEFAULT, data) < 0)
    st = cpet__h5_err("H5Dwrite", name);
  if (st == CPET_OK) st = cpet__h5_attr_write_str(ds, "CLASS", "ARRAY");
  if (st == CPET_OK) st = cpet__h5_attr_write_str(ds, "VERSION", "2.4");
  if (st == CPET_OK) st = cpet__h5_attr_write_bool(ds, "transposed", 1);
  cpet__h5_close(ds);
  cpet__h5_close(sp);
  cpet__h5_close(ty);
  return st;
}

static cpet_status set_ds_attr_str(hid_t grp, const char *ds, const char *attr, const char *val) {
  hid_t d = H5Dopen2(grp, ds, H5P_DEFAULT);
  if (d < 0) return cpet__h5_err("H5Dopen2", ds);
  cpet_status st = cpet__h5_attr_write_str(d, attr, val);
  H5Dclose(d);
  return st;
}

/* Name attribute: the text (UTF-8) or pickled None "N." as pandas does. */
static cpet_status write_name_attr(hid_t obj, const char *name) {
  if (name) return cpet__h5_attr_write_str(obj, "name", name);
  cpet_value *none;
  CPET__CHECK(cpet_value_new_none(&none));
  cpet_status st = cpet__h5_attr_write_value(obj, "name", none);
  cpet_value_free(none);
  return st;
}

/* An index/label array with kind and name; `idx` NULL: integer 0..rows-1. */
static cpet_status write_index(hid_t grp, const char *dsname, const cpet_value *idx, size_t rows,
                               const char *name) {
  cpet_status st;
  const char *kind;
  hsize_t dims[1] = {rows};
  if (!idx) {
    int64_t *r = cpet__malloc((rows ? rows : 1) * sizeof *r);
    if (!r) return cpet__err(CPET_ERR_NOMEM, "pandas index: out of memory");
    for (size_t i = 0; i < rows; i++)
      r[i] = (int64_t)i;
    st = write_ds(grp, dsname, CPET_T_INT64, 8, 1, dims, r);
    cpet_free(r);
    kind = "integer";
  } else {
    cpet_type t = cpet_value_type(idx);
    if (cpet__type_is_string(t)) {
      st = write_ds(grp, dsname, CPET_T_BYTES, cpet_value_itemsize(idx), 1, dims,
                    cpet_value_data(idx));
      kind = "string";
    } else if (cpet__type_is_int(t) || cpet__type_is_float(t)) {
      int isint = cpet__type_is_int(t);
      size_t n = cpet_value_nelem(idx);
      void *buf = cpet__malloc((n ? n : 1) * 8);
      if (!buf) return cpet__err(CPET_ERR_NOMEM, "pandas index: out of memory");
      st = CPET_OK;
      for (size_t i = 0; i < n && st == CPET_OK; i++) {
        cpet_value *cell;
        st = cpet__value_cell(idx, i, &cell);
        if (st == CPET_OK && isint)
          st = cpet_value_to_i64(cell, (int64_t *)buf + i);
        else if (st == CPET_OK)
          st = cpet_value_to_f64(cell, (double *)buf + i);
        cpet_value_free(cell);
      }
      if (st == CPET_OK)
        st = write_ds(grp, dsname, isint ? CPET_T_INT64 : CPET_T_FLOAT64, 8, 1, dims, buf);
      cpet_free(buf);
      kind = isint ? "integer" : "float";
    } else {
      return cpet__err(CPET_ERR_UNSUPPORTED, "pandas index of type %s", cpet_type_name(t));
    }
  }
  CPET__CHECK(st);
  CPET__CHECK(set_ds_attr_str(grp, dsname, "kind", kind));
  hid_t d = H5Dopen2(grp, dsname, H5P_DEFAULT);
  if (d < 0) return cpet__h5_err("H5Dopen2", dsname);
  st = write_name_attr(d, name);
  H5Dclose(d);
  return st;
}

/* Object (string) values: VLARRAY of uint8 holding one pickle, PSEUDOATOM=object. */
static cpet_status write_object(hid_t grp, const char *dsname, const cpet_value *col, int rows2d) {
  unsigned char *pk;
  size_t pl;
  CPET__CHECK(cpet__pickle_encode_objarray(col, rows2d, &pk, &pl));
  hvl_t row = {pl, pk};
  hsize_t one = 1, maxd = H5S_UNLIMITED, chunk = 1;
  hid_t vt = H5Tvlen_create(H5T_STD_U8LE);
  hid_t sp = H5Screate_simple(1, &one, &maxd);
  hid_t dcpl = H5Pcreate(H5P_DATASET_CREATE);
  hid_t ds = -1;
  cpet_status st = CPET_OK;
  if (vt < 0 || sp < 0 || dcpl < 0 || H5Pset_chunk(dcpl, 1, &chunk) < 0)
    st = cpet__h5_err("VLARRAY setup", dsname);
  else if ((ds = H5Dcreate2(grp, dsname, vt, sp, H5P_DEFAULT, dcpl, H5P_DEFAULT)) < 0)
    st = cpet__h5_err("H5Dcreate2", dsname);
  else if (H5Dwrite(ds, vt, H5S_ALL, H5S_ALL, H5P_DEFAULT, &row) < 0)
    st = cpet__h5_err("H5Dwrite", dsname);
  if (st == CPET_OK) st = cpet__h5_attr_write_str(ds, "CLASS", "VLARRAY");
  if (st == CPET_OK) st = cpet__h5_attr_write_str(ds, "VERSION", "1.4");
  if (st == CPET_OK) st = cpet__h5_attr_write_str(ds, "PSEUDOATOM", "object");
  if (st == CPET_OK) st = cpet__h5_attr_write_bool(ds, "transposed", 1);
  cpet__h5_close(ds);
  cpet__h5_close(dcpl);
  cpet__h5_close(sp);
  cpet__h5_close(vt);
  cpet_free(pk);
  return st;
}

/* Values of one column: numeric as (rows, 1) / (rows,), strings as object pickle. */
static cpet_status write_values(hid_t grp, const char *dsname, const cpet_value *col, int frame) {
  cpet_type t = cpet_value_type(col);
  if (cpet__type_is_string(t)) return write_object(grp, dsname, col, frame);
  size_t rows = cpet_value_nelem(col);
  hsize_t dims[2] = {rows, 1};
  return write_ds(grp, dsname, cpet__pd_numpy_type(t), cpet_value_itemsize(col), frame ? 2 : 1,
                  dims, cpet_value_data(col));
}

/* Labels as a fixed-width bytes array. */
static cpet_status write_labels(hid_t grp, const char *dsname, const char *const *keys, size_t n) {
  size_t w = 1;
  for (size_t i = 0; i < n; i++)
    if (strlen(keys[i]) > w) w = strlen(keys[i]);
  char *buf = cpet__calloc(n ? n * w : 1, 1);
  if (!buf) return cpet__err(CPET_ERR_NOMEM, "pandas labels: out of memory");
  for (size_t i = 0; i < n; i++)
    memcpy(buf + i * w, keys[i], strlen(keys[i]));
  cpet_value *lab = NULL;
  cpet_status st = cpet_value_new_array(CPET_KIND_NDARRAY, CPET_T_BYTES, w, 1, &n, buf, &lab);
  cpet_free(buf);
  if (st == CPET_OK) st = write_index(grp, dsname, lab, n, NULL);
  cpet_value_free(lab);
  return st;
}

static cpet_status write_common(hid_t g, const char *type) {
  CPET__CHECK(cpet__h5_attr_write_str(g, "pandas_type", type));
  CPET__CHECK(cpet__h5_attr_write_str(g, "pandas_version", "0.15.2"));
  CPET__CHECK(cpet__h5_attr_write_str(g, "encoding", "utf8"));
  return cpet__h5_attr_write_str(g, "errors", "strict");
}

static cpet_status write_fixed(hid_t g, const cpet_value *v) {
  size_t rows =
      cpet_value_kind(v) == CPET_KIND_SERIES ? cpet_value_nelem(v) : cpet_value_shape(v)[0];
  if (rows == 0)
    return cpet__err(CPET_ERR_UNSUPPORTED, "pandas fixed format: empty %s not written",
                     cpet_kind_name(cpet_value_kind(v)));
  if (cpet_value_kind(v) == CPET_KIND_SERIES) {
    CPET__CHECK(write_common(g, "series"));
    CPET__CHECK(cpet__h5_attr_write_str(g, "index_variety", "regular"));
    CPET__CHECK(write_name_attr(g, cpet_value_name(v)));
    CPET__CHECK(write_index(g, "index", cpet_value_index(v), rows, NULL));
    return write_values(g, "values", cpet_value_get(v, "values"), 0);
  }
  size_t nc = cpet_value_nchildren(v);
  if (nc == 0) return cpet__err(CPET_ERR_UNSUPPORTED, "pandas fixed format: frame without columns");
  CPET__CHECK(write_common(g, "frame"));
  CPET__CHECK(cpet__h5_attr_write_i64(g, "ndim", 2));
  CPET__CHECK(cpet__h5_attr_write_i64(g, "nblocks", (int64_t)nc));
  CPET__CHECK(cpet__h5_attr_write_str(g, "axis0_variety", "regular"));
  CPET__CHECK(cpet__h5_attr_write_str(g, "axis1_variety", "regular"));
  const char **keys = cpet__malloc(nc * sizeof *keys);
  if (!keys) return cpet__err(CPET_ERR_NOMEM, "pandas: out of memory");
  for (size_t i = 0; i < nc; i++)
    keys[i] = cpet_value_key(v, i);
  cpet_status st = write_labels(g, "axis0", keys, nc);
  if (st == CPET_OK) st = write_index(g, "axis1", cpet_value_index(v), rows, cpet_value_name(v));
  for (size_t i = 0; st == CPET_OK && i < nc; i++) {
    char nm[64];
    snprintf(nm, sizeof nm, "block%zu_items_variety", i);
    st = cpet__h5_attr_write_str(g, nm, "regular");
    snprintf(nm, sizeof nm, "block%zu_items", i);
    if (st == CPET_OK) st = write_labels(g, nm, &keys[i], 1);
    snprintf(nm, sizeof nm, "block%zu_values", i);
    if (st == CPET_OK) st = write_values(g, nm, cpet_value_child(v, i), 1);
  }
  cpet_free(keys);
  return st;
}

cpet_status cpet__pandas_write(hid_t parent, const char *name, const cpet_value *v,
                               cpet_pandas_format fmt, const cpet__wctx *ctx) {
  (void)ctx;
  if (!v || !name) return cpet__err(CPET_ERR_INVAL, "pandas write: NULL argument");
  cpet_kind k = cpet_value_kind(v);
  if (k != CPET_KIND_FRAME && k != CPET_KIND_SERIES)
    return cpet__err(CPET_ERR_TYPE, "pandas write '%s': value is a %s", name, cpet_kind_name(k));
  htri_t ex = H5Lexists(parent, name, H5P_DEFAULT);
  if (ex > 0) return cpet__err(CPET_ERR_EXISTS, "pandas write: '%s' exists", name);
  hid_t g = H5Gcreate2(parent, name, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
  if (g < 0) return cpet__h5_err("H5Gcreate2", name);
  cpet_status st =
      cpet__h5_attr_write_str(g, "SRVC_STORE", k == CPET_KIND_FRAME ? "FRAME" : "SERIES");
  if (st == CPET_OK) st = cpet__h5_attr_write_str(g, "CLASS", "GROUP");
  if (st == CPET_OK) st = cpet__h5_attr_write_str(g, "VERSION", "1.0");
  if (st == CPET_OK) st = fmt == CPET_PANDAS_TABLE ? cpet__pd_write_table(g, v) : write_fixed(g, v);
  H5Gclose(g);
  if (st != CPET_OK) {
    cpet__err_context("pandas item '%s'", name);
    H5Ldelete(parent, name, H5P_DEFAULT); /* no half-written group */
  }
  return st;
}
