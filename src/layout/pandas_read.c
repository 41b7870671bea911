/* pandas_read.c - reads pandas groups written by HDFStore.put: fixed format here (spec 11.1),
 * table format in pandas_table.c. Values come back as pandas returns them: numeric columns with
 * their numpy type, string labels/index and object columns as Python str (PY_STR) arrays. */
#include "h5/h5_int.h"
#include "layout/layout_int.h"
#include "layout/pandas_int.h"
#include "layout/pickle_int.h"
#include "value/value_int.h"

#include <stdio.h>
#include <string.h>

cpet_status cpet__pd_read_dataset(hid_t grp, const char *name, cpet_value **out) {
  *out = NULL;
  hid_t ds = H5Dopen2(grp, name, H5P_DEFAULT);
  if (ds < 0) return cpet__h5_err("H5Dopen2", name);
  hid_t ft = H5Dget_type(ds), sp = H5Dget_space(ds), mt = -1;
  cpet_status st = CPET_OK;
  cpet_type t;
  size_t isz = 0;
  hsize_t dims[CPET_MAX_NDIM];
  size_t shape[CPET_MAX_NDIM];
  int nd = sp >= 0 ? H5Sget_simple_extent_ndims(sp) : -1;
  if (ft < 0 || nd < 0 || nd > CPET_MAX_NDIM) st = cpet__h5_err("dataset type/space", name);
  if (st == CPET_OK) st = cpet__h5_type_classify(ft, &t, &isz);
  if (st == CPET_OK) {
    H5Sget_simple_extent_dims(sp, dims, NULL);
    for (int i = 0; i < nd; i++)
      shape[i] = (size_t)dims[i];
    void *buf;
    st = cpet__value_new_array_uninit(CPET_KIND_NDARRAY, t, isz, nd, shape, out, &buf);
    if (st == CPET_OK && buf) {
      mt = cpet__h5_mem_type(t, isz, ft);
      if (mt < 0 || H5Dread(ds, mt, H5S_ALL, H5S_ALL, H5P_DEFAULT, buf) < 0)
        st = cpet__h5_err("H5Dread", name);
      if (st == CPET_OK && cpet__type_is_bool(t))
        for (size_t i = 0; i < cpet_value_nelem(*out); i++)
          ((unsigned char *)buf)[i] = ((unsigned char *)buf)[i] != 0;
    }
  }
  cpet__h5_close(mt);
  cpet__h5_close(ft);
  cpet__h5_close(sp);
  H5Dclose(ds);
  if (st != CPET_OK) {
    cpet_value_free(*out);
    *out = NULL;
  }
  return st;
}

cpet_status cpet__pd_bytes_to_str(const cpet_value *in, cpet_value **out) {
  if (cpet_value_type(in) != CPET_T_BYTES) return cpet_value_copy(in, out);
  return cpet_value_new_array(CPET_KIND_NDARRAY, CPET_T_PY_STR, cpet_value_itemsize(in),
                              cpet_value_ndim(in), cpet_value_shape(in), cpet_value_data(in), out);
}

cpet_status cpet__pd_attr_pickle(hid_t obj, const char *name, cpet_value **out) {
  char *s = NULL;
  *out = NULL;
  hid_t a = H5Aopen(obj, name, H5P_DEFAULT);
  if (a < 0) return cpet__err(CPET_ERR_NOTFOUND, "pandas attribute '%s' missing", name);
  hid_t t = H5Aget_type(a);
  size_t n = t >= 0 ? H5Tget_size(t) : 0;
  cpet_status st = CPET_OK;
  if (t < 0 || H5Tget_class(t) != H5T_STRING || H5Tis_variable_str(t) > 0 || n == 0)
    st = cpet__err(CPET_ERR_LAYOUT, "pandas attribute '%s' is no pickled string", name);
  else if (!(s = cpet__calloc(n + 1, 1)))
    st = cpet__err(CPET_ERR_NOMEM, "pandas: out of memory");
  else if (H5Aread(a, t, s) < 0)
    st = cpet__h5_err("H5Aread", name);
  if (st == CPET_OK) {
    while (n && s[n - 1] == 0)
      n--;
    st = cpet__pickle_decode_ex(s, n, CPET__PICKLE_INTKEYS, out);
    if (st != CPET_OK) cpet__err_context("pandas attribute '%s'", name);
  }
  cpet_free(s);
  cpet__h5_close(t);
  H5Aclose(a);
  return st;
}

/* Name attribute of a pandas array/group: a UTF-8 string, or a pickle ("N." = None). */
static cpet_status read_name(hid_t obj, char **name) {
  *name = NULL;
  if (!cpet__h5_attr_exists(obj, "name")) return CPET_OK;
  cpet_value *v = NULL;
  CPET__CHECK(cpet__h5_attr_read_value(obj, "name", &v));
  const char *s;
  size_t n;
  cpet_status st = CPET_OK;
  if (cpet_value_to_str(v, &s, &n) == CPET_OK) {
    if (!(*name = cpet__strndup(s, n))) st = cpet__err(CPET_ERR_NOMEM, "pandas: out of memory");
  } else if (!(cpet_value_kind(v) == CPET_KIND_SCALAR && cpet_value_type(v) == CPET_T_NONE)) {
    int64_t i;
    if (cpet_value_to_i64(v, &i) == CPET_OK)
      *name = cpet__asprintf("%lld", (long long)i);
    else
      st = cpet__err(CPET_ERR_UNSUPPORTED, "pandas: name that is no str/int/None");
  }
  cpet_errclear();
  cpet_value_free(v);
  return st;
}

/* An index/label array (kind string -> PY_STR) or pandas' empty placeholder. */
static cpet_status read_index(hid_t g, const char *dsname, cpet_value **out, char **name) {
  *out = NULL;
  if (name) *name = NULL;
  hid_t ds = H5Dopen2(g, dsname, H5P_DEFAULT);
  if (ds < 0) return cpet__h5_err("H5Dopen2", dsname);
  char *kind = NULL, *vt = NULL;
  cpet_status st = CPET_OK;
  if (cpet__h5_attr_exists(ds, "kind")) st = cpet__h5_attr_read_str(ds, "kind", &kind);
  if (st == CPET_OK && name) st = read_name(ds, name);
  int empty = cpet__h5_attr_exists(ds, "value_type");
  if (st == CPET_OK && empty) st = cpet__h5_attr_read_str(ds, "value_type", &vt);
  H5Dclose(ds);
  if (st == CPET_OK && empty) {
    size_t zero = 0;
    cpet_type t = strcmp(vt, "float64") == 0 ? CPET_T_FLOAT64
                  : strcmp(vt, "int64") == 0 ? CPET_T_INT64
                                             : CPET_T_PY_STR;
    st = cpet_value_new_array(CPET_KIND_NDARRAY, t, 1, 1, &zero, NULL, out);
  } else if (st == CPET_OK) {
    cpet_value *raw = NULL;
    st = cpet__pd_read_dataset(g, dsname, &raw);
    if (st == CPET_OK && kind && (strcmp(kind, "string") == 0 || strcmp(kind, "unicode") == 0))
      st = cpet__pd_bytes_to_str(raw, out);
    else if (st == CPET_OK && kind && strcmp(kind, "integer") && strcmp(kind, "float") &&
             strcmp(kind, "boolean"))
      st = cpet__err(CPET_ERR_UNSUPPORTED, "pandas index kind '%s' of '%s'", kind, dsname);
    else if (st == CPET_OK)
      *out = raw, raw = NULL;
    cpet_value_free(raw);
  }
  cpet_free(kind);
  cpet_free(vt);
  if (st != CPET_OK && name) {
    cpet_free(*name);
    *name = NULL;
  }
  return st;
}

/* Label strings of a labels array (ints become their decimal text). */
static cpet_status labels(const cpet_value *lab, char ***out, size_t *n) {
  *n = cpet_value_nelem(lab);
  *out = cpet__calloc(*n ? *n : 1, sizeof **out);
  if (!*out) return cpet__err(CPET_ERR_NOMEM, "pandas: out of memory");
  size_t w = cpet_value_itemsize(lab);
  for (size_t i = 0; i < *n; i++) {
    if (cpet__type_is_string(cpet_value_type(lab))) {
      const char *cell = (const char *)cpet_value_data(lab) + i * w;
      (*out)[i] = cpet__strndup(cell, cpet__value_string_len(cell, w));
    } else {
      cpet_value *c;
      int64_t iv;
      CPET__CHECK(cpet__value_cell(lab, i, &c));
      if (cpet_value_to_i64(c, &iv) == CPET_OK) (*out)[i] = cpet__asprintf("%lld", (long long)iv);
      cpet_value_free(c);
    }
    if (!(*out)[i]) return cpet__err(CPET_ERR_UNSUPPORTED, "pandas: column label %zu", i);
  }
  cpet_errclear();
  return CPET_OK;
}

static void free_labels(char **l, size_t n) {
  if (!l) return;
  for (size_t i = 0; i < n; i++)
    cpet_free(l[i]);
  cpet_free(l);
}

/* Values of a block/series: 2-D (rows, k) when transposed, or the VLARRAY object pickle. */
static cpet_status read_values(hid_t g, const char *dsname, cpet_value **out) {
  *out = NULL;
  hid_t ds = H5Dopen2(g, dsname, H5P_DEFAULT);
  if (ds < 0) return cpet__h5_err("H5Dopen2", dsname);
  int transposed = cpet__h5_attr_true(ds, "transposed");
  int empty = cpet__h5_attr_exists(ds, "value_type");
  hid_t ft = H5Dget_type(ds);
  int vlen = ft >= 0 && H5Tget_class(ft) == H5T_VLEN;
  cpet_status st = CPET_OK;
  cpet_value *raw = NULL;
  if (empty) {
    st = cpet__err(CPET_ERR_UNSUPPORTED, "pandas: empty block '%s'", dsname);
  } else if (vlen) {
    hid_t sp = H5Dget_space(ds), mt = H5Tvlen_create(H5T_NATIVE_UCHAR);
    hssize_t np = sp >= 0 ? H5Sget_simple_extent_npoints(sp) : -1;
    hvl_t *rows = np > 0 ? cpet__calloc((size_t)np, sizeof *rows) : NULL;
    if (np < 1 || mt < 0 || !rows)
      st = cpet__err(CPET_ERR_LAYOUT, "pandas object block '%s' is empty", dsname);
    else if (H5Dread(ds, mt, H5S_ALL, H5S_ALL, H5P_DEFAULT, rows) < 0)
      st = cpet__h5_err("H5Dread", dsname);
    else {
      st = cpet__pickle_decode(rows[0].p, rows[0].len, &raw);
      if (st != CPET_OK)
        cpet__err_context("object column '%s' (pandas pickle of a numpy object array)", dsname);
      else if (cpet_value_kind(raw) != CPET_KIND_NDARRAY)
        st = cpet__err(CPET_ERR_UNSUPPORTED, "pandas object block '%s' is no ndarray", dsname);
      H5Dvlen_reclaim(mt, sp, H5P_DEFAULT, rows);
    }
    cpet_free(rows);
    cpet__h5_close(mt);
    cpet__h5_close(sp);
  }
  cpet__h5_close(ft);
  H5Dclose(ds);
  if (st == CPET_OK && !vlen) st = cpet__pd_read_dataset(g, dsname, &raw);
  if (st != CPET_OK) {
    cpet_value_free(raw);
    return st;
  }
  if (!transposed && cpet_value_ndim(raw) == 2) {
    /* old layout (items, rows): transpose into (rows, items) */
    const size_t *sh = cpet_value_shape(raw);
    size_t tsh[2] = {sh[1], sh[0]}, w = cpet_value_itemsize(raw);
    void *buf;
    cpet_value *tr;
    st =
        cpet__value_new_array_uninit(CPET_KIND_NDARRAY, cpet_value_type(raw), w, 2, tsh, &tr, &buf);
    for (size_t i = 0; st == CPET_OK && buf && i < sh[0]; i++)
      for (size_t j = 0; j < sh[1]; j++)
        memcpy((char *)buf + (j * sh[0] + i) * w,
               (const char *)cpet_value_data(raw) + (i * sh[1] + j) * w, w);
    cpet_value_free(raw);
    if (st != CPET_OK) return st;
    raw = tr;
  }
  *out = raw;
  return CPET_OK;
}

/* Column j of a (rows, k) array as a 1-d ndarray. */
static cpet_status column_of(const cpet_value *block, size_t j, cpet_value **out) {
  if (cpet_value_ndim(block) == 1 && j == 0) return cpet_value_copy(block, out);
  if (cpet_value_ndim(block) != 2 || j >= cpet_value_shape(block)[1])
    return cpet__err(CPET_ERR_LAYOUT, "pandas block of rank %d has no column %zu",
                     cpet_value_ndim(block), j);
  size_t rows = cpet_value_shape(block)[0], k = cpet_value_shape(block)[1],
         w = cpet_value_itemsize(block);
  void *buf;
  CPET__CHECK(cpet__value_new_array_uninit(CPET_KIND_NDARRAY, cpet_value_type(block), w, 1, &rows,
                                           out, &buf));
  for (size_t r = 0; buf && r < rows; r++)
    memcpy((char *)buf + r * w, (const char *)cpet_value_data(block) + (r * k + j) * w, w);
  return CPET_OK;
}

static cpet_status read_fixed_frame(hid_t g, cpet_value **out) {
  cpet_value *ax0 = NULL, *idx = NULL, *frame = NULL;
  char *iname = NULL, **cols = NULL;
  size_t ncols = 0;
  int64_t nblocks = 0;
  cpet_value *nb = NULL;
  cpet_status st = read_index(g, "axis0", &ax0, NULL);
  if (st == CPET_OK) st = labels(ax0, &cols, &ncols);
  if (st == CPET_OK) st = read_index(g, "axis1", &idx, &iname);
  if (st == CPET_OK) st = cpet__h5_attr_read_value(g, "nblocks", &nb);
  if (st == CPET_OK) st = cpet_value_to_i64(nb, &nblocks);
  if (st == CPET_OK && (nblocks < 0 || nblocks > 100000))
    st = cpet__err(CPET_ERR_LAYOUT, "pandas nblocks %lld", (long long)nblocks);
  cpet_value **colv = cpet__calloc(ncols ? ncols : 1, sizeof *colv);
  if (st == CPET_OK && !colv) st = cpet__err(CPET_ERR_NOMEM, "pandas: out of memory");
  for (int64_t b = 0; st == CPET_OK && b < nblocks; b++) {
    char nm[64];
    cpet_value *items = NULL, *vals = NULL;
    char **il = NULL;
    size_t ni = 0;
    snprintf(nm, sizeof nm, "block%lld_items", (long long)b);
    st = read_index(g, nm, &items, NULL);
    if (st == CPET_OK) st = labels(items, &il, &ni);
    snprintf(nm, sizeof nm, "block%lld_values", (long long)b);
    if (st == CPET_OK) st = read_values(g, nm, &vals);
    for (size_t j = 0; st == CPET_OK && j < ni; j++) {
      size_t c = 0;
      while (c < ncols && (colv[c] || strcmp(cols[c], il[j])))
        c++;
      if (c == ncols)
        st = cpet__err(CPET_ERR_LAYOUT, "pandas block item '%s' not in axis0", il[j]);
      else
        st = column_of(vals, j, &colv[c]);
    }
    free_labels(il, ni);
    cpet_value_free(items);
    cpet_value_free(vals);
  }
  for (size_t c = 0; st == CPET_OK && c < ncols; c++)
    if (!colv[c]) st = cpet__err(CPET_ERR_LAYOUT, "pandas column '%s' in no block", cols[c]);
  if (st == CPET_OK) {
    st = cpet_value_new_frame(idx, iname, &frame);
    idx = NULL;
  }
  for (size_t c = 0; st == CPET_OK && c < ncols; c++) {
    st = cpet_value_set(frame, cols[c], colv[c]);
    colv[c] = NULL;
  }
  for (size_t c = 0; colv && c < ncols; c++)
    cpet_value_free(colv[c]);
  cpet_free(colv);
  free_labels(cols, ncols);
  cpet_value_free(ax0);
  cpet_value_free(idx);
  cpet_value_free(nb);
  cpet_free(iname);
  if (st != CPET_OK) {
    cpet_value_free(frame);
    return st;
  }
  *out = frame;
  return CPET_OK;
}

static cpet_status read_fixed_series(hid_t g, cpet_value **out) {
  cpet_value *idx = NULL, *vals = NULL, *col = NULL;
  char *name = NULL;
  cpet_status st = read_name(g, &name);
  if (st == CPET_OK) st = read_index(g, "index", &idx, NULL);
  if (st == CPET_OK) st = read_values(g, "values", &vals);
  if (st == CPET_OK) st = column_of(vals, 0, &col);
  cpet_value_free(vals);
  if (st == CPET_OK)
    st = cpet_value_new_series(col, idx, name, out);
  else
    cpet_value_free(col), cpet_value_free(idx);
  cpet_free(name);
  return st;
}

cpet_status cpet__pandas_read(hid_t grp, cpet_value **out) {
  if (!out) return cpet__err(CPET_ERR_INVAL, "pandas read: NULL out");
  *out = NULL;
  char *type = NULL;
  cpet_status st = cpet__h5_attr_read_str(grp, "pandas_type", &type);
  if (st != CPET_OK) return cpet__err(CPET_ERR_LAYOUT, "pandas group without pandas_type");
  if (strcmp(type, "frame") == 0)
    st = read_fixed_frame(grp, out);
  else if (strcmp(type, "series") == 0)
    st = read_fixed_series(grp, out);
  else if (strcmp(type, "frame_table") == 0)
    st = cpet__pd_read_table(grp, 0, out);
  else if (strcmp(type, "series_table") == 0)
    st = cpet__pd_read_table(grp, 1, out);
  else
    st = cpet__err(CPET_ERR_UNSUPPORTED, "pandas_type '%s'", type);
  cpet_free(type);
  return st;
}
