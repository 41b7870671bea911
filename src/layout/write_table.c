/* write_table.c - ObjectTables and dicts as PyTables tables (spec 2.3, 6.5-6.7): one compound
 * member per column in alphabetical order, pypet's column rules (Python int -> int32,
 * StringCol(int(1.5 x longest)), array cells -> H5T_ARRAY members), chunked with an unlimited
 * row dimension and compressed, PyTables' NROWS/FIELD_* attributes, and SPLIT_TABLE groups with
 * a `<key>__SRVC_STORE` datatype table for more than 512 columns. */
#include <stdlib.h>
#include <string.h>

#include "filter/filter_int.h"
#include "h5/h5_int.h"
#include "layout/write_int.h"
#include "value/value_int.h"

typedef struct {
  const char *name;
  const cpet_value *col; /* rows x cell */
  cpet_value *owned;     /* column built here (dict entries, idx tables) */
  size_t cell_nelem;     /* elements per cell */
  size_t src_isz;        /* bytes per element in the value */
  size_t dst_isz;        /* bytes per element in the file */
  int i32;               /* Python int scalars: int64 -> int32 (pypet's IntCol) */
  int is_str;
  hid_t base;  /* element type in the file */
  hid_t mtype; /* member type (base or H5T_ARRAY of it) */
  size_t msize, off;
  const char *coll, *stype;
} wcol;

static void cols_free(wcol *c, size_t n) {
  for (size_t i = 0; i < n; i++) {
    if (c[i].mtype >= 0 && c[i].mtype != c[i].base) H5Tclose(c[i].mtype);
    cpet__h5_close(c[i].base);
    cpet_value_free(c[i].owned);
  }
  cpet_free(c);
}

/* Longest stripped string element of a column (min 1), pypet's _prm_get_longest_stringsize. */
static size_t longest_string(const cpet_value *col) {
  size_t n = cpet_value_nelem(col), isz = cpet_value_itemsize(col), best = 1;
  const char *p = cpet_value_data(col);
  for (size_t i = 0; p && i < n && best < isz; i++) {
    size_t l = cpet__value_string_len(p + i * isz, isz);
    if (l > best) best = l;
  }
  return best;
}

/* Fills the type fields of one column from its value. */
static cpet_status col_prepare(wcol *c, size_t nrows) {
  const cpet_value *v = c->col;
  cpet_kind k = cpet_value_kind(v);
  cpet_type t = cpet_value_type(v);
  int nd = cpet_value_ndim(v);
  const size_t *sh = cpet_value_shape(v);
  c->base = c->mtype = -1;
  if (k > CPET_KIND_TUPLE || t == CPET_T_NONE || nd < 1 || !sh || sh[0] != nrows ||
      (k == CPET_KIND_SCALAR && nd != 1))
    return cpet__err(CPET_ERR_TYPE,
                     "column '%s': a %s of %s (rank %d) is no table column of %zu "
                     "rows",
                     c->name, cpet_kind_name(k), cpet_type_name(t), nd, nrows);
  CPET__CHECK(cpet__wr_recall_names(v, 1, &c->coll, &c->stype));
  c->cell_nelem = 1;
  hsize_t cdims[CPET_MAX_NDIM];
  for (int i = 1; i < nd; i++) {
    if (sh[i] == 0)
      return cpet__err(CPET_ERR_TYPE, "column '%s': empty cells cannot be table columns", c->name);
    c->cell_nelem *= (cdims[i - 1] = sh[i]);
  }
  c->src_isz = cpet_value_itemsize(v);
  c->dst_isz = c->src_isz;
  c->is_str = cpet__type_is_string(t);
  c->i32 = k == CPET_KIND_SCALAR && t == CPET_T_PY_INT;
  if (c->is_str) c->dst_isz = (size_t)((double)longest_string(v) * 1.5);
  if (c->i32) c->dst_isz = 4;
  c->base = cpet__h5_type_for(t, c->dst_isz, c->i32);
  if (c->base < 0) return cpet__h5_err("column datatype", c->name);
  c->mtype = nd > 1 ? H5Tarray_create2(c->base, (unsigned)(nd - 1), cdims) : c->base;
  if (c->mtype < 0) return cpet__h5_err("H5Tarray_create2", c->name);
  c->msize = c->dst_isz * c->cell_nelem;
  return CPET_OK;
}

static void col_pack(const wcol *c, char *buf, size_t rowsize, size_t nrows) {
  const char *src = cpet_value_data(c->col);
  if (!src) return;
  size_t cellbytes = c->cell_nelem * c->src_isz;
  for (size_t r = 0; r < nrows; r++) {
    char *dst = buf + r * rowsize + c->off;
    const char *s = src + r * cellbytes;
    if (c->i32) {
      int64_t x;
      memcpy(&x, s, 8);
      int32_t y = (int32_t)(uint32_t)(uint64_t)x; /* IntCol wraps silently, as pypet */
      memcpy(dst, &y, 4);
    } else if (c->is_str && c->src_isz != c->dst_isz) {
      size_t m = c->src_isz < c->dst_isz ? c->src_isz : c->dst_isz;
      for (size_t j = 0; j < c->cell_nelem; j++)
        memcpy(dst + j * c->dst_isz, s + j * c->src_isz, m); /* buf is zeroed: NUL padding */
    } else {
      memcpy(dst, s, cellbytes);
    }
  }
}

static int cmp_col(const void *a, const void *b) {
  return strcmp((*(const wcol *const *)a)->name, (*(const wcol *const *)b)->name);
}

/* FIELD_<i>_NAME / FIELD_<i>_FILL: the fill is a zero of the element type (strings: b''). */
static cpet_status field_attrs(hid_t d, size_t i, const wcol *c) {
  char an[40];
  snprintf(an, sizeof an, "FIELD_%zu_NAME", i);
  CPET__CHECK(cpet__wr_attr_str(d, an, c->name, 0));
  snprintf(an, sizeof an, "FIELD_%zu_FILL", i);
  static const unsigned char zeros[32] = {0};
  if (c->is_str) {
    hid_t t = H5Tcopy(H5T_C_S1);
    if (t < 0 || H5Tset_size(t, 1) < 0 || H5Tset_cset(t, H5T_CSET_ASCII) < 0) {
      cpet__h5_close(t);
      return cpet__h5_err("string fill type", an);
    }
    cpet_status st = cpet__wr_attr_scalar(d, an, t, zeros);
    H5Tclose(t);
    return st;
  }
  return cpet__wr_attr_scalar(d, an, c->base, zeros);
}

/* Writes one table of columns `cols` (pointers; sorted here) with `nrows` rows. `recall`: put
 * the SRVC_COLUMN_* attributes on the table; `store`: SRVC_STORE value or NULL. */
static cpet_status write_cols(hid_t grp, const char *name, wcol **cols, size_t n, size_t nrows,
                              int recall, const char *store, const cpet__wctx *ctx, hid_t *out) {
  *out = -1;
  qsort(cols, n, sizeof *cols, cmp_col); /* PyTables orders unpositioned columns by name */
  size_t rowsize = 0;
  for (size_t i = 0; i < n; i++) {
    cols[i]->off = rowsize;
    rowsize += cols[i]->msize;
  }
  if (rowsize == 0) return cpet__err(CPET_ERR_TYPE, "table '%s' has no columns", name);
  size_t nbytes;
  if (cpet__mul_size(rowsize, nrows, &nbytes))
    return cpet__err(CPET_ERR_RANGE, "table '%s' too large", name);
  hid_t ft = H5Tcreate(H5T_COMPOUND, rowsize);
  if (ft < 0) return cpet__h5_err("H5Tcreate", name);
  for (size_t i = 0; i < n; i++) {
    if (H5Tinsert(ft, cols[i]->name, cols[i]->off, cols[i]->mtype) < 0) {
      H5Tclose(ft);
      return cpet__h5_err("H5Tinsert", cols[i]->name);
    }
  }
  char *buf = nbytes ? cpet__calloc(nbytes, 1) : NULL;
  if (nbytes && !buf) {
    H5Tclose(ft);
    return cpet__err(CPET_ERR_NOMEM, "table '%s': out of memory", name);
  }
  for (size_t i = 0; i < n; i++)
    col_pack(cols[i], buf, rowsize, nrows);

  hsize_t dims = nrows, maxd = H5S_UNLIMITED, chunk;
  cpet__wr_chunkshape(1, &dims, rowsize, (double)nrows, &chunk);
  cpet__wr_chunkshape_fit(1, &dims, &chunk);
  cpet_status st = CPET_OK;
  hid_t dcpl = H5Pcreate(H5P_DATASET_CREATE), sp = -1, d = -1;
  if (dcpl < 0 || H5Pset_chunk(dcpl, 1, &chunk) < 0) st = cpet__h5_err("H5Pset_chunk", name);
  if (st == CPET_OK)
    st = cpet__filter_apply(dcpl, cpet__wr_filters(ctx), rowsize, CPET__FILTER_TABLE);
  if (st == CPET_OK && (sp = H5Screate_simple(1, &dims, &maxd)) < 0)
    st = cpet__h5_err("H5Screate_simple", name);
  if (st == CPET_OK && (d = H5Dcreate2(grp, name, ft, sp, H5P_DEFAULT, dcpl, H5P_DEFAULT)) < 0)
    st = cpet__h5_err("H5Dcreate2", name);
  if (st == CPET_OK && nrows && H5Dwrite(d, ft, H5S_ALL, H5S_ALL, H5P_DEFAULT, buf) < 0)
    st = cpet__h5_err("H5Dwrite", name);
  cpet__h5_close(sp);
  cpet__h5_close(dcpl);
  H5Tclose(ft);
  cpet_free(buf);

  if (st == CPET_OK) st = cpet__wr_pytables_attrs(d, CPET__PT_TABLE, name, NULL, NULL);
  if (st == CPET_OK) {
    int64_t nr = (int64_t)nrows;
    st = cpet__wr_attr_scalar(d, "NROWS", H5T_STD_I64LE, &nr);
  }
  for (size_t i = 0; i < n && st == CPET_OK; i++)
    st = field_attrs(d, i, cols[i]);
  for (size_t i = 0; i < n && st == CPET_OK && recall; i++) {
    char *prefix = cpet__asprintf("SRVC_COLUMN_%s_", cols[i]->name);
    if (!prefix) st = cpet__err(CPET_ERR_NOMEM, "out of memory");
    if (st == CPET_OK) st = cpet__wr_recall_attrs(d, prefix, cols[i]->coll, cols[i]->stype);
    cpet_free(prefix);
  }
  if (st == CPET_OK && store) st = cpet__wr_attr_str(d, "SRVC_STORE", store, 0);
  if (st != CPET_OK) {
    if (d >= 0) {
      H5Dclose(d);
      H5E_BEGIN_TRY { H5Ldelete(grp, name, H5P_DEFAULT); }
      H5E_END_TRY;
    }
    return st;
  }
  *out = d;
  return CPET_OK;
}

/* A column of `n` NUL-padded strings of width = longest (min 1). */
static cpet_status str_column(const char *const *s, size_t n, cpet_value **out) {
  size_t w = 1;
  for (size_t i = 0; i < n; i++)
    if (strlen(s[i]) > w) w = strlen(s[i]);
  void *buf;
  CPET__CHECK(cpet__value_new_array_uninit(CPET_KIND_SCALAR, CPET_T_PY_STR, w, 1, &n, out, &buf));
  for (size_t i = 0; i < n; i++)
    memcpy((char *)buf + i * w, s[i], strlen(s[i]));
  return CPET_OK;
}

/* The `<key>__SRVC_STORE` table of a split table: one row per would-be recall attribute. */
static cpet_status write_datatype_table(hid_t grp, const char *key, const wcol *cols, size_t n,
                                        const cpet__wctx *ctx) {
  size_t cap = 2 * n, m = 0;
  char **fields = cpet__calloc(cap ? cap : 1, sizeof *fields);
  const char **types = cpet__calloc(cap ? cap : 1, sizeof *types);
  char *tname = cpet__asprintf("%s__SRVC_STORE", key);
  cpet_status st = fields && types && tname ? CPET_OK : cpet__err(CPET_ERR_NOMEM, "out of memory");
  for (size_t i = 0; i < n && st == CPET_OK; i++) { /* in the data's column order */
    if (!(fields[m] = cpet__asprintf("SRVC_COLUMN_%s_COLL_TYPE", cols[i].name))) {
      st = cpet__err(CPET_ERR_NOMEM, "out of memory");
      break;
    }
    types[m++] = cols[i].coll;
    if (!cols[i].stype) continue;
    if (!(fields[m] = cpet__asprintf("SRVC_COLUMN_%s_SCALAR_TYPE", cols[i].name))) {
      st = cpet__err(CPET_ERR_NOMEM, "out of memory");
      break;
    }
    types[m++] = cols[i].stype;
  }
  wcol dt[2];
  memset(dt, 0, sizeof dt);
  dt[0].name = "data_type";
  dt[1].name = "field_name";
  dt[0].base = dt[0].mtype = dt[1].base = dt[1].mtype = -1;
  if (st == CPET_OK) st = str_column(types, m, &dt[0].owned);
  if (st == CPET_OK) st = str_column((const char *const *)fields, m, &dt[1].owned);
  for (int i = 0; i < 2 && st == CPET_OK; i++) {
    dt[i].col = dt[i].owned;
    st = col_prepare(&dt[i], m);
  }
  hid_t d = -1;
  wcol *ptrs[2] = {&dt[0], &dt[1]};
  if (st == CPET_OK) st = write_cols(grp, tname, ptrs, 2, m, 0, NULL, ctx, &d);
  if (st == CPET_OK) {
    st = cpet__h5_attr_write_i64(d, "DATATYPE_TABLE", 1);
    H5Dclose(d);
  }
  for (int i = 0; i < 2; i++) {
    if (dt[i].mtype >= 0 && dt[i].mtype != dt[i].base) H5Tclose(dt[i].mtype);
    cpet__h5_close(dt[i].base);
    cpet_value_free(dt[i].owned);
  }
  for (size_t i = 0; fields && i < cap; i++)
    cpet_free(fields[i]);
  cpet_free(fields);
  cpet_free(types);
  cpet_free(tname);
  return st;
}

/* More than 512 columns: a group `name` holding `name`, `name_1`, ... with up to 512 columns
 * each (consecutive in the data's column order) plus the datatype table (spec 6.7). */
static cpet_status write_split(hid_t grp, const char *name, wcol *cols, size_t n, size_t nrows,
                               int is_dict, const cpet__wctx *ctx) {
  hid_t g;
  CPET__CHECK(cpet__wr_group_create(grp, name, NULL, is_dict ? "DICT" : "TABLE", ctx, &g));
  cpet_status st = cpet__h5_attr_write_i64(g, "SPLIT_TABLE", 1);
  if (st == CPET_OK && is_dict) st = cpet__wr_attr_str(g, "SRVC_DATA_COLL_TYPE", "COLL_DICT", 0);
  wcol **ptrs = cpet__malloc(CPET__WR_MAX_COLUMNS * sizeof *ptrs);
  if (!ptrs && st == CPET_OK) st = cpet__err(CPET_ERR_NOMEM, "out of memory");
  for (size_t start = 0, part = 0; start < n && st == CPET_OK; start += CPET__WR_MAX_COLUMNS) {
    size_t m = n - start < CPET__WR_MAX_COLUMNS ? n - start : CPET__WR_MAX_COLUMNS;
    for (size_t i = 0; i < m; i++)
      ptrs[i] = &cols[start + i];
    char *tname = part ? cpet__asprintf("%s_%zu", name, part) : cpet__strdup(name);
    part++;
    if (!tname) {
      st = cpet__err(CPET_ERR_NOMEM, "out of memory");
      break;
    }
    hid_t d;
    st = write_cols(g, tname, ptrs, m, nrows, 0, NULL, ctx, &d);
    if (st == CPET_OK) H5Dclose(d);
    cpet_free(tname);
  }
  cpet_free(ptrs);
  if (st == CPET_OK) st = write_datatype_table(g, name, cols, n, ctx);
  H5Gclose(g);
  if (st != CPET_OK) {
    H5E_BEGIN_TRY { H5Ldelete(grp, name, H5P_DEFAULT); }
    H5E_END_TRY;
  }
  return st;
}

cpet_status cpet__wr_table(hid_t grp, const char *name, const cpet_value *v, int is_dict,
                           const cpet__wctx *ctx) {
  size_t n = cpet_value_nchildren(v);
  if (n == 0) return cpet__err(CPET_ERR_TYPE, "table '%s' has no columns", name);
  size_t nrows = is_dict ? 1 : cpet_value_nelem(v);
  wcol *cols = cpet__calloc(n, sizeof *cols);
  if (!cols) return cpet__err(CPET_ERR_NOMEM, "out of memory");
  for (size_t i = 0; i < n; i++)
    cols[i].base = cols[i].mtype = -1;
  cpet_status st = CPET_OK;
  for (size_t i = 0; i < n && st == CPET_OK; i++) {
    cols[i].name = cpet_value_key(v, i);
    const cpet_value *c = cpet_value_child(v, i);
    if (is_dict) { /* dict values become the single row of their column */
      st = cpet__value_stack(&c, 1, &cols[i].owned);
      if (st != CPET_OK) cpet__err_context("dict key '%s'", cols[i].name);
      c = cols[i].owned;
    }
    cols[i].col = c;
    if (st == CPET_OK) st = col_prepare(&cols[i], nrows);
  }
  if (st == CPET_OK && n > CPET__WR_MAX_COLUMNS) {
    st = write_split(grp, name, cols, n, nrows, is_dict, ctx);
  } else if (st == CPET_OK) {
    wcol **ptrs = cpet__malloc(n * sizeof *ptrs);
    hid_t d = -1;
    if (!ptrs) st = cpet__err(CPET_ERR_NOMEM, "out of memory");
    for (size_t i = 0; st == CPET_OK && i < n; i++)
      ptrs[i] = &cols[i];
    if (st == CPET_OK)
      st = write_cols(grp, name, ptrs, n, nrows, 1, is_dict ? "DICT" : "TABLE", ctx, &d);
    if (st == CPET_OK && is_dict) st = cpet__wr_attr_str(d, "SRVC_DATA_COLL_TYPE", "COLL_DICT", 0);
    if (d >= 0 && H5Dclose(d) < 0 && st == CPET_OK) st = cpet__h5_err("H5Dclose", name);
    if (st != CPET_OK && d >= 0) {
      H5E_BEGIN_TRY { H5Ldelete(grp, name, H5P_DEFAULT); }
      H5E_END_TRY;
    }
    cpet_free(ptrs);
  }
  cols_free(cols, n);
  return st;
}
