/* shared_table.c - shared tables (pypet's SharedTable over a PyTables Table): rows read as an
 * ObjectTable, rows appended or modified, single columns read and modified. Columns are read
 * and written one at a time through a one-member compound memory type, so HDF5 converts each
 * cell to the file's column type and leaves the other columns alone. */
#include <stdint.h>
#include <string.h>

#include "h5/h5_int.h"
#include "store/shared_int.h"
#include "value/value_int.h"

#define MAX_CELL_DIMS 8

typedef struct colinfo {
  cpet_type t;
  size_t itemsize;
  int cndim;
  hsize_t cdims[MAX_CELL_DIMS];
  hid_t mem; /* memory type of one cell */
} colinfo;

cpet_status cpet__shtab_nrows(cpet_shared *h, size_t *n) {
  hid_t sp = H5Dget_space(h->obj);
  if (sp < 0) return cpet__h5_err("H5Dget_space", h->name);
  hsize_t d[1] = {0};
  int r = H5Sget_simple_extent_ndims(sp);
  if (r == 1) H5Sget_simple_extent_dims(sp, d, NULL);
  H5Sclose(sp);
  if (r != 1) return cpet__err(CPET_ERR_LAYOUT, "table '%s' is not one-dimensional", h->name);
  *n = (size_t)d[0];
  return CPET_OK;
}

cpet_status cpet__shtab_cols(cpet_shared *h) {
  if (h->cols) return CPET_OK;
  hid_t ft = H5Dget_type(h->obj);
  if (ft < 0) return cpet__h5_err("H5Dget_type", h->name);
  cpet_status st = CPET_OK;
  int nm = H5Tget_class(ft) == H5T_COMPOUND ? H5Tget_nmembers(ft) : -1;
  if (nm < 0)
    st = cpet__err(CPET_ERR_TYPE, "'%s' is not a table", h->name);
  else if (!(h->cols = cpet__calloc(nm ? (size_t)nm : 1, sizeof *h->cols)))
    st = cpet__err(CPET_ERR_NOMEM, "table columns");
  for (int i = 0; st == CPET_OK && i < nm; i++) {
    char *n = H5Tget_member_name(ft, (unsigned)i);
    if (!n || !(h->cols[i] = cpet__strdup(n))) st = cpet__err(CPET_ERR_NOMEM, "column name");
    if (n) H5free_memory(n);
    h->ncols = (size_t)i + 1;
  }
  H5Tclose(ft);
  return st;
}

static long col_index(cpet_shared *h, const char *col) {
  for (size_t i = 0; i < h->ncols; i++)
    if (strcmp(h->cols[i], col) == 0) return (long)i;
  return -1;
}

static cpet_status col_info(cpet_shared *h, long idx, colinfo *ci) {
  memset(ci, 0, sizeof *ci);
  ci->mem = -1;
  hid_t ft = H5Dget_type(h->obj);
  hid_t mt = ft >= 0 ? H5Tget_member_type(ft, (unsigned)idx) : -1;
  hid_t base = -1, elem = -1;
  cpet_status st = mt < 0 ? cpet__h5_err("H5Tget_member_type", h->cols[idx]) : CPET_OK;
  if (st == CPET_OK && H5Tget_class(mt) == H5T_ARRAY) {
    ci->cndim = H5Tget_array_ndims(mt);
    if (ci->cndim < 1 || ci->cndim > MAX_CELL_DIMS || H5Tget_array_dims2(mt, ci->cdims) < 0)
      st = cpet__err(CPET_ERR_UNSUPPORTED, "column '%s': cell rank", h->cols[idx]);
    base = H5Tget_super(mt);
  } else if (st == CPET_OK) {
    base = H5Tcopy(mt);
  }
  if (st == CPET_OK) st = cpet__h5_type_classify(base, &ci->t, &ci->itemsize);
  if (st == CPET_OK && (elem = cpet__h5_mem_type(ci->t, ci->itemsize, base)) < 0)
    st = cpet__h5_err("memory type", h->cols[idx]);
  if (st == CPET_OK) {
    ci->mem = ci->cndim ? H5Tarray_create2(elem, (unsigned)ci->cndim, ci->cdims) : H5Tcopy(elem);
    if (ci->mem < 0) st = cpet__h5_err("H5Tarray_create2", h->cols[idx]);
  }
  cpet__h5_close(elem);
  cpet__h5_close(base);
  cpet__h5_close(mt);
  cpet__h5_close(ft);
  return st;
}

/* Reads or writes `n` rows of column `idx` from row `start` through cell type `cell`. */
static cpet_status col_io(cpet_shared *h, long idx, hid_t cell, size_t start, size_t n, void *buf,
                          int write) {
  if (n == 0) return CPET_OK;
  size_t cb = H5Tget_size(cell);
  hid_t ct = H5Tcreate(H5T_COMPOUND, cb);
  hid_t fs = H5Dget_space(h->obj);
  hsize_t off[1] = {start}, cnt[1] = {n};
  hid_t ms = H5Screate_simple(1, cnt, NULL);
  cpet_status st = CPET_OK;
  if (ct < 0 || fs < 0 || ms < 0 || H5Tinsert(ct, h->cols[idx], 0, cell) < 0 ||
      H5Sselect_hyperslab(fs, H5S_SELECT_SET, off, NULL, cnt, NULL) < 0)
    st = cpet__h5_err("column selection", h->cols[idx]);
  else if (write ? H5Dwrite(h->obj, ct, ms, fs, H5P_DEFAULT, buf) < 0
                 : H5Dread(h->obj, ct, ms, fs, H5P_DEFAULT, buf) < 0)
    st = cpet__h5_err(write ? "H5Dwrite" : "H5Dread", h->cols[idx]);
  cpet__h5_close(ms);
  cpet__h5_close(fs);
  cpet__h5_close(ct);
  return st;
}

static cpet_status clamp(cpet_shared *h, size_t start, size_t *stop) {
  size_t n;
  CPET__CHECK(cpet__shtab_nrows(h, &n));
  if (*stop > n) *stop = n;
  if (start > *stop)
    return cpet__err(CPET_ERR_RANGE, "rows %zu..%zu of '%s' (%zu rows)", start, *stop, h->name, n);
  return CPET_OK;
}

static cpet_status read_col(cpet_shared *h, long idx, size_t start, size_t stop, cpet_value **out) {
  colinfo ci;
  CPET__CHECK(col_info(h, idx, &ci));
  size_t shape[1 + MAX_CELL_DIMS];
  shape[0] = stop - start;
  for (int i = 0; i < ci.cndim; i++)
    shape[1 + i] = (size_t)ci.cdims[i];
  void *data = NULL;
  cpet_status st = cpet__value_new_array_uninit(ci.cndim ? CPET_KIND_NDARRAY : CPET_KIND_SCALAR,
                                                ci.t, ci.itemsize, 1 + ci.cndim, shape, out, &data);
  if (st == CPET_OK && data) st = col_io(h, idx, ci.mem, start, shape[0], data, 0);
  if (st != CPET_OK) {
    cpet_value_free(*out);
    *out = NULL;
  }
  cpet__h5_close(ci.mem);
  return st;
}

cpet_status cpet__shtab_read_col(cpet_shared *h, const char *col, size_t start, size_t stop,
                                 cpet_value **out) {
  CPET__CHECK(cpet__shtab_cols(h));
  long idx = col_index(h, col);
  if (idx < 0) return cpet__err(CPET_ERR_NOTFOUND, "table '%s' has no column '%s'", h->name, col);
  CPET__CHECK(clamp(h, start, &stop));
  return read_col(h, idx, start, stop, out);
}

cpet_status cpet__shtab_read(cpet_shared *h, size_t start, size_t stop, cpet_value **out) {
  CPET__CHECK(cpet__shtab_cols(h));
  CPET__CHECK(clamp(h, start, &stop));
  cpet_value *tab = NULL;
  CPET__CHECK(cpet_value_new_table(&tab));
  cpet_status st = CPET_OK;
  for (size_t i = 0; st == CPET_OK && i < h->ncols; i++) {
    cpet_value *c = NULL;
    st = read_col(h, (long)i, start, stop, &c);
    if (st == CPET_OK) st = cpet_value_set(tab, h->cols[i], c);
  }
  if (st != CPET_OK)
    cpet_value_free(tab);
  else
    *out = tab;
  return st;
}

/* Rows `cells` holds for column ci (n cells, or one cell), checking the cell shape. */
static cpet_status cell_rows(cpet_shared *h, long idx, const colinfo *ci, const cpet_value *cells,
                             size_t *n) {
  int nd = cpet_value_ndim(cells);
  const size_t *sh = cpet_value_shape(cells);
  int first = nd == ci->cndim + 1;
  if (!first && nd != ci->cndim)
    return cpet__err(CPET_ERR_TYPE, "column '%s' of '%s' holds cells of rank %d, got rank %d",
                     h->cols[idx], h->name, ci->cndim, nd);
  for (int i = 0; i < ci->cndim; i++)
    if (sh[i + first] != (size_t)ci->cdims[i])
      return cpet__err(CPET_ERR_TYPE, "column '%s' of '%s': cell shape differs", h->cols[idx],
                       h->name);
  if (!cpet_value_data(cells) && cpet_value_nelem(cells))
    return cpet__err(CPET_ERR_TYPE, "column '%s': cells are not typed data", h->cols[idx]);
  *n = first ? sh[0] : 1;
  return CPET_OK;
}

static cpet_status write_col(cpet_shared *h, long idx, size_t start, const cpet_value *cells,
                             size_t n) {
  colinfo ci;
  CPET__CHECK(col_info(h, idx, &ci));
  hid_t elem = cpet__h5_type_for(cpet_value_type(cells), cpet_value_itemsize(cells), 0);
  hid_t cell = elem < 0   ? -1
               : ci.cndim ? H5Tarray_create2(elem, (unsigned)ci.cndim, ci.cdims)
                          : H5Tcopy(elem);
  cpet_status st = cell < 0 ? cpet__err(CPET_ERR_TYPE, "column '%s': no HDF5 type for %s",
                                        h->cols[idx], cpet_type_name(cpet_value_type(cells)))
                            : CPET_OK;
  if (st == CPET_OK)
    st = col_io(h, idx, cell, start, n, (void *)(uintptr_t)cpet_value_data(cells), 1);
  cpet__h5_close(cell);
  cpet__h5_close(elem);
  cpet__h5_close(ci.mem);
  return st;
}

cpet_status cpet__shtab_write_col(cpet_shared *h, const char *col, size_t start,
                                  const cpet_value *cells) {
  CPET__CHECK(cpet__shtab_cols(h));
  long idx = col_index(h, col);
  if (idx < 0) return cpet__err(CPET_ERR_NOTFOUND, "table '%s' has no column '%s'", h->name, col);
  colinfo ci;
  CPET__CHECK(col_info(h, idx, &ci));
  size_t n = 0, rows = 0;
  cpet_status st = cell_rows(h, idx, &ci, cells, &n);
  cpet__h5_close(ci.mem);
  CPET__CHECK(st);
  CPET__CHECK(cpet__shtab_nrows(h, &rows));
  if (start > rows || n > rows - start)
    return cpet__err(CPET_ERR_RANGE, "rows %zu..%zu past the end of '%s' (%zu rows)", start,
                     start + n, h->name, rows);
  return write_col(h, idx, start, cells, n);
}

cpet_status cpet__shtab_write(cpet_shared *h, size_t start, const cpet_value *rows, int extend) {
  CPET__CHECK(cpet__shtab_cols(h));
  if (!rows || cpet_value_kind(rows) != CPET_KIND_TABLE)
    return cpet__err(CPET_ERR_TYPE, "rows for table '%s' must be an ObjectTable", h->name);
  if (cpet_value_nchildren(rows) != h->ncols)
    return cpet__err(CPET_ERR_TYPE, "table '%s' has %zu columns, the rows %zu", h->name, h->ncols,
                     cpet_value_nchildren(rows));
  size_t n = 0;
  for (size_t i = 0; i < h->ncols; i++) {
    const cpet_value *c = cpet_value_get(rows, h->cols[i]);
    if (!c) return cpet__err(CPET_ERR_TYPE, "rows lack column '%s' of '%s'", h->cols[i], h->name);
    colinfo ci;
    CPET__CHECK(col_info(h, (long)i, &ci));
    size_t k = 0;
    cpet_status st = cell_rows(h, (long)i, &ci, c, &k);
    cpet__h5_close(ci.mem);
    CPET__CHECK(st);
    if (i && k != n) return cpet__err(CPET_ERR_TYPE, "columns of the rows differ in length");
    n = k;
  }
  size_t have;
  CPET__CHECK(cpet__shtab_nrows(h, &have));
  if (extend) {
    start = have;
    hsize_t nd[1] = {have + n};
    if (H5Dset_extent(h->obj, nd) < 0) return cpet__h5_err("H5Dset_extent", h->name);
  } else if (start > have || n > have - start) {
    return cpet__err(CPET_ERR_RANGE, "rows %zu..%zu past the end of '%s' (%zu rows)", start,
                     start + n, h->name, have);
  }
  cpet_status st = CPET_OK;
  for (size_t i = 0; st == CPET_OK && i < h->ncols; i++)
    st = write_col(h, (long)i, start, cpet_value_get(rows, h->cols[i]), n);
  if (extend && st != CPET_OK) {
    hsize_t od[1] = {have};
    (void)H5Dset_extent(h->obj, od);
  }
  if (extend && st == CPET_OK) st = cpet__maint_set_nrows(h->obj, (int64_t)(have + n));
  return st;
}
