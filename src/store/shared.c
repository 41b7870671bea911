/* shared.c - shared data handles (pypet's ACCESS_DATA requests create_shared_data,
 * make_shared, make_ordinary and the SharedArray/SharedEArray/SharedVLArray/SharedPandasFrame
 * operations) on the store's open file. Tables are in shared_table.c. */
#include <stdint.h>
#include <string.h>

#include "h5/h5_int.h"
#include "layout/layout_int.h"
#include "store/shared_int.h"
#include "value/value_int.h"

cpet_status cpet__shared_check(const cpet_shared *h) {
  if (!h) return cpet__err(CPET_ERR_INVAL, "shared data handle is NULL");
  if (h->kind == CPET_FLAG_AUTO) return CPET_OK; /* lazy */
  if (h->s->file < 0 || h->s->file != h->fid || H5Iis_valid(h->obj) <= 0)
    return cpet__err(CPET_ERR_STATE, "shared data '%s': the file was closed", h->name);
  return CPET_OK;
}

/* The open leaf group `path` of trajectory `traj`; CPET_ERR_STATE if the file is closed. */
static cpet_status open_node(cpet_store *s, const char *traj, const char *path, hid_t *g) {
  *g = -1;
  if (!traj || !path) return cpet__err(CPET_ERR_INVAL, "shared data: NULL name");
  if (s->file < 0)
    return cpet__err(CPET_ERR_STATE, "shared data need the file open (cpet_store_open_file)");
  char *p = cpet__maint_path(traj, path);
  if (!p) return cpet__err(CPET_ERR_NOMEM, "shared data path");
  cpet_status st = CPET_OK;
  if (!cpet__h5_link_exists(s->file, p))
    st = cpet__err(CPET_ERR_NOTSTORED, "'%s' of trajectory '%s' is not in '%s'", path, traj,
                   s->filename);
  else if ((*g = H5Gopen2(s->file, p, H5P_DEFAULT)) < 0)
    st = cpet__h5_err("H5Gopen2", p);
  cpet_free(p);
  return st;
}

static cpet_status new_handle(cpet_store *s, const char *path, const char *item,
                              cpet_shared **out) {
  cpet_shared *h = cpet__calloc(1, sizeof *h);
  if (!h) return cpet__err(CPET_ERR_NOMEM, "shared data handle");
  h->s = s;
  h->fid = s->file;
  h->obj = -1;
  h->name = cpet__asprintf("%s/%s", path ? path : "", item ? item : "");
  if (!h->name) {
    cpet_free(h);
    return cpet__err(CPET_ERR_NOMEM, "shared data handle");
  }
  *out = h;
  return CPET_OK;
}

void cpet_shared_close(cpet_shared *h) {
  if (!h) return;
  if (h->obj >= 0 && H5Iis_valid(h->obj) > 0) H5Oclose(h->obj);
  for (size_t i = 0; i < h->ncols; i++)
    cpet_free(h->cols[i]);
  cpet_free(h->cols);
  cpet_free(h->name);
  cpet_free(h);
}

static cpet_status open_item(cpet_store *s, hid_t g, const char *path, const char *item,
                             cpet_shared **out) {
  if (!cpet__h5_link_exists(g, item))
    return cpet__err(CPET_ERR_NOTSTORED, "'%s' has no item '%s'", path, item);
  cpet_shared *h = NULL;
  CPET__CHECK(new_handle(s, path, item, &h));
  char *store = NULL;
  cpet_status st = CPET_OK;
  if ((h->obj = H5Oopen(g, item, H5P_DEFAULT)) < 0) st = cpet__h5_err("H5Oopen", item);
  if (st == CPET_OK && (st = cpet__h5_attr_read_str(h->obj, "SRVC_STORE", &store)) != CPET_OK)
    st = cpet__err(CPET_ERR_LAYOUT, "'%s' has no SRVC_STORE attribute", h->name);
  if (st == CPET_OK && strncmp(store, "SHARED_DATA_", 12) == 0) {
    cpet_free(store);
    store = NULL;
    if (cpet__h5_attr_read_str(h->obj, "SRVC_SHARED_TYPE", &store) != CPET_OK)
      st = cpet__err(CPET_ERR_LAYOUT, "shared data '%s' without SRVC_SHARED_TYPE", h->name);
  }
  if (st == CPET_OK) st = cpet__flag_from_name(store, &h->kind);
  if (st == CPET_OK && (h->kind == CPET_FLAG_DICT || h->kind == CPET_FLAG_SHARED_DATA))
    st = cpet__err(CPET_ERR_UNSUPPORTED, "'%s' (%s) cannot be accessed as shared data", h->name,
                   store);
  cpet_free(store);
  if (st != CPET_OK) {
    cpet_shared_close(h);
    return st;
  }
  *out = h;
  return CPET_OK;
}

static cpet_status lazy_handle(cpet_store *s, const char *path, const char *item,
                               cpet_shared **out) {
  if (!out) return CPET_OK;
  CPET__CHECK(new_handle(s, path, item, out));
  (*out)->kind = CPET_FLAG_AUTO;
  return CPET_OK;
}

cpet_status cpet_shared_open(cpet_store *s, const char *traj, const char *path, const char *item,
                             cpet_shared **out) {
  if (!s || !out || !item) return cpet__err(CPET_ERR_INVAL, "cpet_shared_open: NULL argument");
  *out = NULL;
  if (s->lazy) return lazy_handle(s, path, item, out);
  hid_t g;
  CPET__CHECK(open_node(s, traj, path, &g));
  cpet_status st = open_item(s, g, path, item, out);
  H5Gclose(g);
  return st;
}

/* Replaces SRVC_STORE by SHARED_DATA_ and keeps the flag in SRVC_SHARED_TYPE (or back). */
static cpet_status mark(hid_t g, const char *item, int shared) {
  hid_t o = H5Oopen(g, item, H5P_DEFAULT);
  if (o < 0) return cpet__h5_err("H5Oopen", item);
  char *store = NULL;
  cpet_status st = cpet__h5_attr_read_str(o, "SRVC_STORE", &store);
  if (st != CPET_OK) st = cpet__err(CPET_ERR_LAYOUT, "'%s' has no SRVC_STORE attribute", item);
  int is_shared = st == CPET_OK && strncmp(store, "SHARED_DATA_", 12) == 0;
  if (st == CPET_OK && shared && !is_shared) {
    st = cpet__h5_attr_write_str(o, "SRVC_SHARED_TYPE", store);
    if (st == CPET_OK) st = cpet__h5_attr_write_str(o, "SRVC_STORE", "SHARED_DATA_");
  } else if (st == CPET_OK && !shared && is_shared) {
    char *under = NULL;
    st = cpet__h5_attr_read_str(o, "SRVC_SHARED_TYPE", &under);
    if (st == CPET_OK) st = cpet__h5_attr_write_str(o, "SRVC_STORE", under);
    if (st == CPET_OK) st = cpet__h5_attr_delete(o, "SRVC_SHARED_TYPE");
    cpet_free(under);
  }
  cpet_free(store);
  H5Oclose(o);
  return st;
}

cpet_status cpet_shared_set_shared(cpet_store *s, const char *traj, const char *path,
                                   const char *item, int shared) {
  if (!s || !item) return cpet__err(CPET_ERR_INVAL, "cpet_shared_set_shared: NULL argument");
  if (s->lazy) return CPET_OK;
  CPET__CHECK(cpet__store_check_writable(s));
  hid_t g;
  CPET__CHECK(open_node(s, traj, path, &g));
  cpet_status st = cpet__h5_link_exists(g, item)
                       ? mark(g, item, shared)
                       : cpet__err(CPET_ERR_NOTSTORED, "'%s' has no item '%s'", path, item);
  H5Gclose(g);
  return st;
}

cpet_status cpet_shared_create(cpet_store *s, const char *traj, const char *path, const char *item,
                               cpet_flag kind, const cpet_value *data, cpet_shared **out) {
  if (out) *out = NULL;
  if (!s || !item || !data) return cpet__err(CPET_ERR_INVAL, "cpet_shared_create: NULL argument");
  if (kind == CPET_FLAG_SHARED_DATA || kind == CPET_FLAG_DICT || kind < CPET_FLAG_AUTO ||
      kind > CPET_FLAG_SHARED_DATA)
    return cpet__err(CPET_ERR_INVAL, "shared data cannot be created as flag %d", (int)kind);
  if (s->lazy) return lazy_handle(s, path, item, out);
  CPET__CHECK(cpet__store_check_writable(s));
  if (kind == CPET_FLAG_AUTO) kind = cpet__flag_default(data);
  CPET__CHECK(cpet__flag_check(kind, data));
  hid_t g;
  CPET__CHECK(open_node(s, traj, path, &g));
  cpet_status st = CPET_OK;
  if (cpet__h5_link_exists(g, item))
    st = cpet__err(CPET_ERR_EXISTS, "'%s' has an item '%s' already", path, item);
  /* pypet's SharedPandasFrame puts its frames in table format. */
  cpet_store_opts o = s->opts;
  o.pandas_format = CPET_PANDAS_TABLE;
  cpet__wctx w = {&o, 0};
  if (st == CPET_OK) st = cpet__layout_write_item(g, item, data, kind, &w);
  if (st == CPET_OK) st = mark(g, item, 1);
  if (st == CPET_OK && out) st = open_item(s, g, path, item, out);
  H5Gclose(g);
  return st;
}

cpet_flag cpet_shared_kind(const cpet_shared *h) { return h ? h->kind : CPET_FLAG_AUTO; }

static int is_array(cpet_flag k) {
  return k == CPET_FLAG_ARRAY || k == CPET_FLAG_CARRAY || k == CPET_FLAG_EARRAY;
}

/* Dimensions of the dataset (rank <= CPET_MAX_NDIM). */
static cpet_status dims_of(const cpet_shared *h, int *rank, hsize_t *d, hsize_t *maxd) {
  hid_t sp = H5Dget_space(h->obj);
  if (sp < 0) return cpet__h5_err("H5Dget_space", h->name);
  *rank = H5Sget_simple_extent_ndims(sp);
  cpet_status st = CPET_OK;
  if (*rank < 0 || *rank > CPET_MAX_NDIM || H5Sget_simple_extent_dims(sp, d, maxd) < 0)
    st = cpet__h5_err("H5Sget_simple_extent_dims", h->name);
  H5Sclose(sp);
  return st;
}

cpet_status cpet_shared_nrows(cpet_shared *h, size_t *n) {
  CPET__CHECK(cpet__shared_check(h));
  if (!n) return cpet__err(CPET_ERR_INVAL, "cpet_shared_nrows: NULL n");
  *n = 0;
  if (h->kind == CPET_FLAG_AUTO) return CPET_OK;
  if (h->kind == CPET_FLAG_TABLE) return cpet__shtab_nrows(h, n);
  if (h->kind == CPET_FLAG_FRAME || h->kind == CPET_FLAG_SERIES)
    return cpet__err(CPET_ERR_UNSUPPORTED, "row count of pandas item '%s'", h->name);
  int rank;
  hsize_t d[CPET_MAX_NDIM];
  CPET__CHECK(dims_of(h, &rank, d, NULL));
  *n = rank == 0 ? 1 : (size_t)d[0];
  return CPET_OK;
}

cpet_status cpet_shared_ncols(cpet_shared *h, size_t *n) {
  CPET__CHECK(cpet__shared_check(h));
  if (h->kind != CPET_FLAG_TABLE) return cpet__err(CPET_ERR_TYPE, "'%s' is not a table", h->name);
  CPET__CHECK(cpet__shtab_cols(h));
  *n = h->ncols;
  return CPET_OK;
}

const char *cpet_shared_colname(cpet_shared *h, size_t i) {
  if (!h || h->kind != CPET_FLAG_TABLE || cpet__shtab_cols(h) != CPET_OK || i >= h->ncols)
    return NULL;
  return h->cols[i];
}

/* Reads rows [a, b) of an array dataset into an ndarray of the stored type. */
static cpet_status read_array(cpet_shared *h, size_t a, size_t b, cpet_value **out) {
  int rank;
  hsize_t d[CPET_MAX_NDIM];
  CPET__CHECK(dims_of(h, &rank, d, NULL));
  if (rank > 0 && b > d[0]) b = (size_t)d[0];
  if (rank > 0 && a > b) return cpet__err(CPET_ERR_RANGE, "rows %zu..%zu of '%s'", a, b, h->name);
  size_t shape[CPET_MAX_NDIM];
  for (int i = 0; i < rank; i++)
    shape[i] = (size_t)d[i];
  if (rank > 0) shape[0] = b - a;
  hid_t ft = H5Dget_type(h->obj);
  if (ft < 0) return cpet__h5_err("H5Dget_type", h->name);
  cpet_type t;
  size_t isz;
  cpet_status st = cpet__h5_type_classify(ft, &t, &isz);
  hid_t mt = st == CPET_OK ? cpet__h5_mem_type(t, isz, ft) : -1;
  void *data = NULL;
  if (st == CPET_OK)
    st = cpet__value_new_array_uninit(CPET_KIND_NDARRAY, t, isz, rank, shape, out, &data);
  if (st == CPET_OK && data) {
    hid_t fs = H5Dget_space(h->obj), ms = -1;
    hsize_t off[CPET_MAX_NDIM] = {0}, cnt[CPET_MAX_NDIM];
    for (int i = 0; i < rank; i++)
      cnt[i] = shape[i];
    off[0] = a;
    if (rank > 0) {
      ms = H5Screate_simple(rank, cnt, NULL);
      if (H5Sselect_hyperslab(fs, H5S_SELECT_SET, off, NULL, cnt, NULL) < 0) ms = -1;
    } else {
      ms = H5Screate(H5S_SCALAR);
    }
    if (fs < 0 || ms < 0 || H5Dread(h->obj, mt, ms, fs, H5P_DEFAULT, data) < 0)
      st = cpet__h5_err("H5Dread", h->name);
    cpet__h5_close(ms);
    cpet__h5_close(fs);
  }
  if (st != CPET_OK && *out) {
    cpet_value_free(*out);
    *out = NULL;
  }
  cpet__h5_close(mt);
  H5Tclose(ft);
  return st;
}

/* VLARRAY rows [a, b) as a list of 1-d ndarrays. */
static cpet_status read_vlarray(cpet_shared *h, size_t a, size_t b, cpet_value **out) {
  int rank;
  hsize_t d[CPET_MAX_NDIM];
  CPET__CHECK(dims_of(h, &rank, d, NULL));
  if (rank != 1) return cpet__err(CPET_ERR_LAYOUT, "VLARRAY '%s' is not 1-d", h->name);
  if (b > d[0]) b = (size_t)d[0];
  if (a > b) return cpet__err(CPET_ERR_RANGE, "rows %zu..%zu of '%s'", a, b, h->name);
  hid_t ft = H5Dget_type(h->obj), base = ft >= 0 ? H5Tget_super(ft) : -1, mb = -1, mt = -1;
  cpet_type t = CPET_T_NONE;
  size_t isz = 0;
  cpet_status st = base < 0 ? cpet__h5_err("VLARRAY type", h->name) : CPET_OK;
  if (st == CPET_OK) st = cpet__h5_type_classify(base, &t, &isz);
  if (st == CPET_OK &&
      ((mb = cpet__h5_mem_type(t, isz, base)) < 0 || (mt = H5Tvlen_create(mb)) < 0))
    st = cpet__h5_err("H5Tvlen_create", h->name);
  size_t n = b - a;
  hvl_t *rows = n ? cpet__calloc(n, sizeof *rows) : NULL;
  if (st == CPET_OK && n && !rows) st = cpet__err(CPET_ERR_NOMEM, "VLARRAY rows");
  hid_t fs = -1, ms = -1;
  if (st == CPET_OK) st = cpet_value_new_seq(CPET_KIND_LIST, out);
  if (st == CPET_OK && n) {
    hsize_t off[1] = {a}, cnt[1] = {n};
    fs = H5Dget_space(h->obj);
    ms = H5Screate_simple(1, cnt, NULL);
    if (fs < 0 || ms < 0 || H5Sselect_hyperslab(fs, H5S_SELECT_SET, off, NULL, cnt, NULL) < 0 ||
        H5Dread(h->obj, mt, ms, fs, H5P_DEFAULT, rows) < 0)
      st = cpet__h5_err("H5Dread", h->name);
    for (size_t i = 0; st == CPET_OK && i < n; i++) {
      cpet_value *r = NULL;
      size_t shape[1] = {rows[i].len};
      st = cpet_value_new_array(CPET_KIND_NDARRAY, t, isz, 1, shape, rows[i].p, &r);
      if (st == CPET_OK) st = cpet_value_append(*out, r);
    }
    H5Dvlen_reclaim(mt, ms, H5P_DEFAULT, rows);
  }
  if (st != CPET_OK) {
    cpet_value_free(*out);
    *out = NULL;
  }
  cpet_free(rows);
  cpet__h5_close(ms);
  cpet__h5_close(fs);
  cpet__h5_close(mt);
  cpet__h5_close(mb);
  cpet__h5_close(base);
  cpet__h5_close(ft);
  return st;
}

cpet_status cpet_shared_read(cpet_shared *h, size_t start, size_t stop, cpet_value **out) {
  CPET__CHECK(cpet__shared_check(h));
  if (!out) return cpet__err(CPET_ERR_INVAL, "cpet_shared_read: NULL out");
  *out = NULL;
  if (h->kind == CPET_FLAG_AUTO)
    return cpet__err(CPET_ERR_NOTSTORED, "the lazy service stores no shared data");
  if (start > stop) return cpet__err(CPET_ERR_RANGE, "start %zu > stop %zu", start, stop);
  if (h->kind == CPET_FLAG_TABLE) return cpet__shtab_read(h, start, stop, out);
  if (h->kind == CPET_FLAG_VLARRAY) return read_vlarray(h, start, stop, out);
  if (h->kind == CPET_FLAG_FRAME || h->kind == CPET_FLAG_SERIES)
    return cpet__pandas_read(h->obj, out);
  return read_array(h, start, stop, out);
}

/* Writes `rows` (n rows of the dataset's row shape, or one row) at row `start` of an array
 * dataset, growing it first with `extend` (EARRAY). */
static cpet_status write_array(cpet_shared *h, size_t start, const cpet_value *rows, int extend) {
  int rank;
  hsize_t d[CPET_MAX_NDIM], maxd[CPET_MAX_NDIM];
  CPET__CHECK(dims_of(h, &rank, d, maxd));
  int nd = cpet_value_ndim(rows);
  const size_t *sh = cpet_value_shape(rows);
  if (!cpet_value_data(rows) && cpet_value_nelem(rows))
    return cpet__err(CPET_ERR_TYPE, "rows for '%s' are not typed data", h->name);
  int one = nd == rank - 1;
  if (rank == 0 ? nd != 0 : (!one && nd != rank))
    return cpet__err(CPET_ERR_TYPE, "'%s' has rank %d, the rows rank %d", h->name, rank, nd);
  hsize_t cnt[CPET_MAX_NDIM], off[CPET_MAX_NDIM] = {0};
  for (int i = 1; i < rank; i++) {
    cnt[i] = d[i];
    if (sh[i - one] != d[i])
      return cpet__err(CPET_ERR_TYPE, "row shape of '%s' differs in dimension %d", h->name, i);
  }
  if (rank > 0) {
    cnt[0] = one ? 1 : sh[0];
    if (extend) {
      if (maxd[0] != H5S_UNLIMITED)
        return cpet__err(CPET_ERR_TYPE, "'%s' cannot grow (not an EARRAY)", h->name);
      start = (size_t)d[0];
      hsize_t nd2[CPET_MAX_NDIM];
      memcpy(nd2, d, sizeof(hsize_t) * (size_t)rank);
      nd2[0] += cnt[0];
      if (H5Dset_extent(h->obj, nd2) < 0) return cpet__h5_err("H5Dset_extent", h->name);
    } else if (start > d[0] || cnt[0] > d[0] - start) {
      return cpet__err(CPET_ERR_RANGE, "rows %zu..%zu past the end of '%s' (%zu rows)", start,
                       start + (size_t)cnt[0], h->name, (size_t)d[0]);
    }
    off[0] = start;
  }
  hid_t mt = cpet__h5_type_for(cpet_value_type(rows), cpet_value_itemsize(rows), 0);
  hid_t fs = H5Dget_space(h->obj);
  hid_t ms = rank ? H5Screate_simple(rank, cnt, NULL) : H5Screate(H5S_SCALAR);
  cpet_status st = CPET_OK;
  if (mt < 0 || fs < 0 || ms < 0 ||
      (rank && H5Sselect_hyperslab(fs, H5S_SELECT_SET, off, NULL, cnt, NULL) < 0))
    st = cpet__h5_err("selection", h->name);
  else if (cnt[0] && H5Dwrite(h->obj, mt, ms, fs, H5P_DEFAULT, cpet_value_data(rows)) < 0)
    st = cpet__h5_err("H5Dwrite", h->name);
  if (st != CPET_OK && extend && rank) (void)H5Dset_extent(h->obj, d);
  cpet__h5_close(ms);
  cpet__h5_close(fs);
  cpet__h5_close(mt);
  return st;
}

static cpet_status append_vlrow(cpet_shared *h, const cpet_value *row) {
  if (cpet_value_ndim(row) > 1 || (!cpet_value_data(row) && cpet_value_nelem(row)))
    return cpet__err(CPET_ERR_TYPE, "a VLARRAY row is a 1-d array of typed data");
  int rank;
  hsize_t d[CPET_MAX_NDIM];
  CPET__CHECK(dims_of(h, &rank, d, NULL));
  hid_t et = cpet__h5_type_for(cpet_value_type(row), cpet_value_itemsize(row), 0);
  hid_t mt = et >= 0 ? H5Tvlen_create(et) : -1;
  hvl_t v = {cpet_value_nelem(row), (void *)(uintptr_t)cpet_value_data(row)};
  hsize_t nd[1] = {d[0] + 1}, off[1] = {d[0]}, cnt[1] = {1};
  cpet_status st = mt < 0 ? cpet__h5_err("H5Tvlen_create", h->name) : CPET_OK;
  if (st == CPET_OK && H5Dset_extent(h->obj, nd) < 0) st = cpet__h5_err("H5Dset_extent", h->name);
  hid_t fs = st == CPET_OK ? H5Dget_space(h->obj) : -1, ms = H5Screate_simple(1, cnt, NULL);
  if (st == CPET_OK &&
      (fs < 0 || H5Sselect_hyperslab(fs, H5S_SELECT_SET, off, NULL, cnt, NULL) < 0 ||
       H5Dwrite(h->obj, mt, ms, fs, H5P_DEFAULT, &v) < 0)) {
    st = cpet__h5_err("H5Dwrite", h->name);
    (void)H5Dset_extent(h->obj, d);
  }
  cpet__h5_close(ms);
  cpet__h5_close(fs);
  cpet__h5_close(mt);
  cpet__h5_close(et);
  return st;
}

cpet_status cpet_shared_write(cpet_shared *h, size_t start, const cpet_value *rows) {
  CPET__CHECK(cpet__shared_check(h));
  if (!rows) return cpet__err(CPET_ERR_INVAL, "cpet_shared_write: NULL rows");
  CPET__CHECK(cpet__store_check_writable(h->s));
  if (h->kind == CPET_FLAG_AUTO) return CPET_OK;
  if (h->kind == CPET_FLAG_TABLE) return cpet__shtab_write(h, start, rows, 0);
  if (!is_array(h->kind))
    return cpet__err(CPET_ERR_UNSUPPORTED, "rows of %s item '%s' cannot be rewritten",
                     cpet__flag_name(h->kind), h->name);
  return write_array(h, start, rows, 0);
}

cpet_status cpet_shared_append(cpet_shared *h, const cpet_value *rows) {
  CPET__CHECK(cpet__shared_check(h));
  if (!rows) return cpet__err(CPET_ERR_INVAL, "cpet_shared_append: NULL rows");
  CPET__CHECK(cpet__store_check_writable(h->s));
  if (h->kind == CPET_FLAG_AUTO) return CPET_OK;
  if (h->kind == CPET_FLAG_TABLE) return cpet__shtab_write(h, 0, rows, 1);
  if (h->kind == CPET_FLAG_VLARRAY) return append_vlrow(h, rows);
  if (h->kind == CPET_FLAG_EARRAY) return write_array(h, 0, rows, 1);
  return cpet__err(CPET_ERR_TYPE, "%s item '%s' cannot grow", cpet__flag_name(h->kind), h->name);
}

cpet_status cpet_shared_read_column(cpet_shared *h, const char *col, size_t start, size_t stop,
                                    cpet_value **out) {
  CPET__CHECK(cpet__shared_check(h));
  if (!col || !out) return cpet__err(CPET_ERR_INVAL, "cpet_shared_read_column: NULL argument");
  *out = NULL;
  if (h->kind == CPET_FLAG_AUTO)
    return cpet__err(CPET_ERR_NOTSTORED, "the lazy service stores no shared data");
  if (h->kind != CPET_FLAG_TABLE) return cpet__err(CPET_ERR_TYPE, "'%s' is not a table", h->name);
  return cpet__shtab_read_col(h, col, start, stop, out);
}

cpet_status cpet_shared_modify_column(cpet_shared *h, const char *col, size_t start,
                                      const cpet_value *cells) {
  CPET__CHECK(cpet__shared_check(h));
  if (!col || !cells) return cpet__err(CPET_ERR_INVAL, "cpet_shared_modify_column: NULL argument");
  CPET__CHECK(cpet__store_check_writable(h->s));
  if (h->kind == CPET_FLAG_AUTO) return CPET_OK;
  if (h->kind != CPET_FLAG_TABLE) return cpet__err(CPET_ERR_TYPE, "'%s' is not a table", h->name);
  return cpet__shtab_write_col(h, col, start, cells);
}
