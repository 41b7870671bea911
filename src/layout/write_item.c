/* write_item.c - one item of a leaf as pypet stores it: ARRAY (contiguous), CARRAY (chunked),
 * EARRAY (extendable), VLARRAY (one variable-length row), TABLE/DICT (write_table.c),
 * FRAME/SERIES (pandas helper), dotted keys as NESTED_GROUP groups (spec 2.4, 6, 7). */
#include <math.h>
#include <string.h>

#include "filter/filter_int.h"
#include "h5/h5_int.h"
#include "layout/write_int.h"
#include "tree/tree_int.h"
#include "value/value_int.h"

/* ---- flags ---- */



/* ---- chunk shapes (tables/idxutils.py calc_chunksize + tables/leaf.py _calc_chunkshape) ---- */

static size_t pt_chunksize(double expected_mb) {
  if (expected_mb < 1) expected_mb = 1;
  if (expected_mb > 1e7) expected_mb = 1e7;
  int zone = (int)log10(expected_mb);
  /* csformula(10**zone) = 8 KiB * 2**zone, then x8 "for sequential access" */
  return ((size_t)8192 << zone) * 8;
}

void cpet__wr_chunkshape(int rank, const hsize_t *dims, size_t itemsize, double expectedrows,
                         hsize_t *chunk) {
  if (rank <= 0) return;
  if (itemsize == 0) itemsize = 1;
  double rowsize = (double)itemsize;
  for (int i = 1; i < rank; i++)
    rowsize *= (double)(dims[i] ? dims[i] : 1);
  double expected_mb = floor(expectedrows * rowsize / (1024.0 * 1024.0));
  hsize_t nitems = pt_chunksize(expected_mb) / itemsize;
  if (nitems == 0) nitems = 1;
  for (int i = 0; i < rank; i++)
    chunk[i] = dims[i] ? dims[i] : 1;
  chunk[0] = 1;
  hsize_t n = 1;
  for (int i = 0; i < rank; i++)
    n *= chunk[i];
  if (n <= nitems) {
    chunk[0] = nitems / n;
    return;
  }
  for (int j = 0; j < rank; j++) { /* trim further dimensions until the chunk fits */
    chunk[j] = 1;
    n = 1;
    for (int i = 0; i < rank; i++)
      n *= chunk[i];
    if (n <= nitems) {
      chunk[j] = nitems / n;
      return;
    }
  }
  chunk[rank - 1] = nitems;
}

void cpet__wr_chunkshape_fit(int rank, const hsize_t *dims, hsize_t *chunk) {
  for (int i = 0; i < rank; i++) {
    hsize_t d = dims[i] ? dims[i] : 1;
    if (chunk[i] > d) chunk[i] = d;
  }
}

/* ---- array descriptions ---- */

/* What goes into one array dataset, independent of where the bytes come from. */
typedef struct {
  cpet_type t;
  size_t itemsize; /* file element size for strings (>= 1) */
  int rank;
  hsize_t dims[CPET_MAX_NDIM];
  hsize_t nelem;
  const void *data;
  const char *coll, *stype, *flavor;
} wr_arr;

/* An object list/tuple of equally typed scalars (the tree may keep such lists untyped) is
 * stacked into one typed buffer; anything else has no array form in pypet. */
static cpet_status stack_object_seq(const cpet_value *v, cpet_value **tmp) {
  size_t n = cpet_value_nchildren(v);
  const cpet_value **cells = cpet__malloc((n ? n : 1) * sizeof *cells);
  if (!cells) return cpet__err(CPET_ERR_NOMEM, "out of memory");
  cpet_status st = CPET_OK;
  for (size_t i = 0; i < n && st == CPET_OK; i++) {
    cells[i] = cpet_value_child(v, i);
    if (cpet_value_kind(cells[i]) != CPET_KIND_SCALAR || cpet_value_type(cells[i]) == CPET_T_NONE)
      st = cpet__err(CPET_ERR_TYPE,
                     "pypet stores only flat lists/tuples of scalars (item %zu is "
                     "a %s)",
                     i, cpet_kind_name(cpet_value_kind(cells[i])));
  }
  if (st == CPET_OK) st = cpet__value_stack(cells, n, tmp);
  cpet_free(cells);
  return st;
}

/* Fills `a` from a value stored with an array flag; *tmp receives a temporary the caller frees
 * (stacked object lists). */
static cpet_status describe(const cpet_value *v, wr_arr *a, cpet_value **tmp) {
  memset(a, 0, sizeof *a);
  *tmp = NULL;
  cpet_kind k = cpet_value_kind(v);
  CPET__CHECK(cpet__wr_recall_names(v, 0, &a->coll, &a->stype));
  if ((k == CPET_KIND_LIST || k == CPET_KIND_TUPLE) && cpet_value_type(v) == CPET_T_NONE &&
      cpet_value_nchildren(v) > 0) {
    CPET__CHECK(stack_object_seq(v, tmp));
    v = *tmp;
    k = CPET_KIND_LIST;
  }
  a->t = cpet_value_type(v);
  a->itemsize = cpet_value_itemsize(v);
  a->data = cpet_value_data(v);
  a->flavor = "numpy";
  switch (k) {
  case CPET_KIND_SCALAR:
    a->rank = 0;
    a->nelem = 1;
    if (cpet__type_is_python(a->t)) a->flavor = "python";
    break;
  case CPET_KIND_PICKLE:
    a->t = CPET_T_PY_BYTES;
    a->rank = 0;
    a->nelem = 1;
    a->flavor = "python";
    break;
  case CPET_KIND_DICT: /* empty dict: stored as an empty tuple, i.e. float64 (0,) */
  case CPET_KIND_LIST:
  case CPET_KIND_TUPLE:
    a->flavor = "python";
    a->rank = 1;
    a->nelem = a->dims[0] = cpet_value_nelem(v);
    if (k == CPET_KIND_DICT || a->nelem == 0 || a->t == CPET_T_NONE) {
      a->t = CPET_T_FLOAT64; /* numpy.array([]) */
      a->itemsize = 8;
      a->nelem = a->dims[0] = 0;
      a->data = NULL;
    }
    break;
  case CPET_KIND_NDARRAY:
  case CPET_KIND_MATRIX: {
    a->rank = cpet_value_ndim(v);
    const size_t *sh = cpet_value_shape(v);
    a->nelem = 1;
    for (int i = 0; i < a->rank; i++)
      a->nelem *= (a->dims[i] = sh[i]);
    break;
  }
  default:
    cpet_value_free(*tmp);
    *tmp = NULL;
    return cpet__err(CPET_ERR_FLAG, "a %s cannot be stored as an array", cpet_kind_name(k));
  }
  if (cpet__type_is_string(a->t) && a->itemsize == 0) a->itemsize = 1; /* "" -> S1 */
  return CPET_OK;
}

/* ---- dataset writers ---- */

static cpet_status finish_array(hid_t d, cpet__ptclass cls, const wr_arr *a, const char *store) {
  CPET__CHECK(cpet__wr_pytables_attrs(d, cls, NULL, a->flavor, NULL));
  CPET__CHECK(cpet__wr_attr_str(d, "SRVC_STORE", store, 0));
  return cpet__wr_recall_attrs(d, "SRVC_DATA_", a->coll, a->stype);
}

/* Creates `name` of type `ft` and shape a->dims (maxdims `maxd`, NULL = fixed) with `dcpl`,
 * writes `buf` (memory type = file type: all types are little-endian standard types) and
 * returns the open dataset. */
static cpet_status create_write(hid_t grp, const char *name, hid_t ft, int rank,
                                const hsize_t *dims, const hsize_t *maxd, hid_t dcpl,
                                const void *buf, hsize_t nelem, hid_t *out) {
  *out = -1;
  hid_t sp = rank == 0 ? H5Screate(H5S_SCALAR) : H5Screate_simple(rank, dims, maxd);
  if (sp < 0) return cpet__h5_err("H5Screate", name);
  hid_t d = H5Dcreate2(grp, name, ft, sp, H5P_DEFAULT, dcpl, H5P_DEFAULT);
  /* Read the error stack before H5Sclose clears it (a full disk must stay NOSPACE). */
  cpet_status cst = d < 0 ? cpet__h5_err("H5Dcreate2", name) : CPET_OK;
  H5Sclose(sp);
  if (d < 0) return cst;
  if (buf && nelem > 0 && H5Dwrite(d, ft, H5S_ALL, H5S_ALL, H5P_DEFAULT, buf) < 0) {
    cpet_status st = cpet__h5_err("H5Dwrite", name);
    H5Dclose(d);
    H5Ldelete(grp, name, H5P_DEFAULT);
    return st;
  }
  *out = d;
  return CPET_OK;
}

/* Closes d; on failure (st != OK) also unlinks the half-written dataset. */
static cpet_status close_or_unlink(hid_t grp, const char *name, hid_t d, cpet_status st) {
  if (d >= 0 && H5Dclose(d) < 0 && st == CPET_OK) st = cpet__h5_err("H5Dclose", name);
  if (st != CPET_OK && d >= 0) {
    H5E_BEGIN_TRY { H5Ldelete(grp, name, H5P_DEFAULT); }
    H5E_END_TRY;
  }
  return st;
}

static cpet_status write_contiguous(hid_t grp, const char *name, const wr_arr *a) {
  hid_t ft = cpet__h5_type_for(a->t, a->itemsize, 0);
  if (ft < 0) return cpet__h5_err("datatype", name);
  hid_t d;
  cpet_status st =
      create_write(grp, name, ft, a->rank, a->dims, NULL, H5P_DEFAULT, a->data, a->nelem, &d);
  H5Tclose(ft);
  if (st != CPET_OK) return st;
  return close_or_unlink(grp, name, d, finish_array(d, CPET__PT_ARRAY, a, "ARRAY"));
}

static hid_t chunked_dcpl(int rank, const hsize_t *chunk, const cpet__wctx *ctx, size_t tsize,
                          int kind, cpet_status *st) {
  hid_t p = H5Pcreate(H5P_DATASET_CREATE);
  if (p < 0 || H5Pset_chunk(p, rank, chunk) < 0) {
    *st = cpet__h5_err("H5Pset_chunk", NULL);
    cpet__h5_close(p);
    return -1;
  }
  cpet_filter_opts fo = *cpet__wr_filters(ctx);
  /* HDF5 refuses mandatory filters (fletcher32) on variable-length data ("not suitable for
   * filters"); the optional ones are accepted and kept in the pipeline as PyTables shows. */
  if (kind == CPET__FILTER_VLARRAY) fo.fletcher32 = 0;
  *st = cpet__filter_apply(p, &fo, tsize, kind);
  if (*st != CPET_OK) {
    H5Pclose(p);
    return -1;
  }
  return p;
}

/* CARRAY (fixed extent; PyTables sets maxdims = max(dims, chunk)) or EARRAY (dim 0
 * unlimited, 1000 expected rows as PyTables' create_earray default). */
static cpet_status write_chunked(hid_t grp, const char *name, const wr_arr *a, int earray,
                                 const cpet__wctx *ctx) {
  hsize_t chunk[CPET_MAX_NDIM], maxd[CPET_MAX_NDIM];
  cpet__wr_chunkshape(a->rank, a->dims, a->itemsize, earray ? 1000.0 : (double)a->dims[0], chunk);
  cpet__wr_chunkshape_fit(a->rank, a->dims, chunk);
  for (int i = 0; i < a->rank; i++)
    maxd[i] = a->dims[i] > chunk[i] ? a->dims[i] : chunk[i];
  if (earray) maxd[0] = H5S_UNLIMITED;
  hid_t ft = cpet__h5_type_for(a->t, a->itemsize, 0);
  if (ft < 0) return cpet__h5_err("datatype", name);
  cpet_status st;
  hid_t dcpl = chunked_dcpl(a->rank, chunk, ctx, a->itemsize,
                            earray ? CPET__FILTER_EARRAY : CPET__FILTER_CARRAY, &st);
  hid_t d = -1;
  if (dcpl >= 0) {
    st = create_write(grp, name, ft, a->rank, a->dims, maxd, dcpl, a->data, a->nelem, &d);
    H5Pclose(dcpl);
  }
  H5Tclose(ft);
  if (st != CPET_OK) return st;
  return close_or_unlink(
      grp, name, d,
      finish_array(d, earray ? CPET__PT_EARRAY : CPET__PT_CARRAY, a, earray ? "EARRAY" : "CARRAY"));
}

/* VLARRAY: pypet appends the whole value as one row of a VLEN of the element type. */
static cpet_status write_vlarray(hid_t grp, const char *name, const wr_arr *a,
                                 const cpet__wctx *ctx) {
  hid_t base = cpet__h5_type_for(a->t, a->itemsize, 0);
  if (base < 0) return cpet__h5_err("datatype", name);
  hid_t ft = H5Tvlen_create(base);
  H5Tclose(base);
  if (ft < 0) return cpet__h5_err("H5Tvlen_create", name);
  /* pypet writes exactly one row: a one-row chunk (PyTables would take 64 KiB / base size) */
  hsize_t chunk = 1;
  hsize_t dims = 1, maxd = H5S_UNLIMITED;
  hvl_t row = {(size_t)a->nelem, (void *)a->data};
  cpet_status st;
  hid_t dcpl = chunked_dcpl(1, &chunk, ctx, sizeof(hvl_t), CPET__FILTER_VLARRAY, &st);
  hid_t d = -1;
  if (dcpl >= 0) {
    st = create_write(grp, name, ft, 1, &dims, &maxd, dcpl, &row, 1, &d);
    H5Pclose(dcpl);
  }
  H5Tclose(ft);
  if (st != CPET_OK) return st;
  return close_or_unlink(grp, name, d, finish_array(d, CPET__PT_VLARRAY, a, "VLARRAY"));
}

/* VLARRAY of several rows: what a pypet VLARRAY item loads as (a list of its rows), written
 * back row by row so a load/store cycle (cpet repack) keeps the dataset as it was. The type
 * recall attributes are those of the first row, as pypet recorded them for the whole value. */
static cpet_status write_vlarray_rows(hid_t grp, const char *name, const cpet_value *rows,
                                      const cpet__wctx *ctx) {
  size_t n = cpet_value_nchildren(rows);
  wr_arr a0;
  cpet_value *tmp0 = NULL;
  CPET__CHECK(describe(cpet_value_child(rows, 0), &a0, &tmp0));
  hvl_t *vl = cpet__calloc(n, sizeof *vl);
  cpet_status st = vl ? CPET_OK : cpet__err(CPET_ERR_NOMEM, "VLARRAY '%s': %zu rows", name, n);
  for (size_t i = 0; st == CPET_OK && i < n; i++) {
    const cpet_value *r = cpet_value_child(rows, i);
    if (cpet_value_type(r) != a0.t || cpet_value_itemsize(r) != a0.itemsize ||
        !cpet_value_data(r))
      st = cpet__err(CPET_ERR_TYPE, "VLARRAY '%s': row %zu differs in type from row 0", name, i);
    else
      vl[i] = (hvl_t){cpet_value_nelem(r), (void *)cpet_value_data(r)};
  }
  hid_t base = st == CPET_OK ? cpet__h5_type_for(a0.t, a0.itemsize, 0) : -1;
  hid_t ft = base >= 0 ? H5Tvlen_create(base) : -1;
  if (st == CPET_OK && ft < 0) st = cpet__h5_err("H5Tvlen_create", name);
  cpet__h5_close(base);
  hsize_t chunk = 1, dims = n, maxd = H5S_UNLIMITED;
  hid_t d = -1;
  if (st == CPET_OK) {
    hid_t dcpl = chunked_dcpl(1, &chunk, ctx, sizeof(hvl_t), CPET__FILTER_VLARRAY, &st);
    if (dcpl >= 0) {
      st = create_write(grp, name, ft, 1, &dims, &maxd, dcpl, vl, n, &d);
      H5Pclose(dcpl);
    }
  }
  cpet__h5_close(ft);
  if (st == CPET_OK)
    st = close_or_unlink(grp, name, d, finish_array(d, CPET__PT_VLARRAY, &a0, "VLARRAY"));
  cpet_free(vl);
  cpet_value_free(tmp0);
  return st;
}

static int is_row_list(const cpet_value *v) {
  if (cpet_value_kind(v) != CPET_KIND_LIST || cpet_value_type(v) != CPET_T_NONE ||
      cpet_value_nchildren(v) == 0)
    return 0;
  for (size_t i = 0; i < cpet_value_nchildren(v); i++) {
    cpet_kind k = cpet_value_kind(cpet_value_child(v, i));
    if (k != CPET_KIND_NDARRAY && k != CPET_KIND_LIST && k != CPET_KIND_TUPLE) return 0;
  }
  return 1;
}

cpet_status cpet__wr_bytes_scalar(hid_t grp, const char *name, const void *buf, size_t len,
                                  const char *stype) {
  wr_arr a;
  memset(&a, 0, sizeof a);
  a.t = CPET_T_PY_BYTES;
  a.itemsize = len ? len : 1;
  a.nelem = 1;
  static const char zero = 0;
  a.data = len ? buf : &zero;
  a.coll = "COLL_SCALAR";
  a.stype = stype;
  a.flavor = "python";
  return write_contiguous(grp, name, &a);
}

static cpet_status write_array_flag(hid_t grp, const char *name, const cpet_value *v,
                                    cpet_flag flag, const cpet__wctx *ctx) {
  if (flag == CPET_FLAG_VLARRAY && is_row_list(v)) return write_vlarray_rows(grp, name, v, ctx);
  wr_arr a;
  cpet_value *tmp = NULL;
  CPET__CHECK(describe(v, &a, &tmp));
  cpet_status st;
  switch (flag) {
  case CPET_FLAG_CARRAY:
  case CPET_FLAG_EARRAY:
    if (a.rank == 0) {
      st = cpet__err(CPET_ERR_FLAG, "%s needs an array or sequence, not a scalar",
                     cpet__flag_name(flag));
    } else if (flag == CPET_FLAG_CARRAY && a.nelem == 0) {
      st = write_contiguous(grp, name, &a); /* HDF5 cannot chunk an empty fixed extent */
    } else {
      st = write_chunked(grp, name, &a, flag == CPET_FLAG_EARRAY, ctx);
    }
    break;
  case CPET_FLAG_VLARRAY:
    st = write_vlarray(grp, name, &a, ctx);
    break;
  default:
    st = write_contiguous(grp, name, &a);
    break;
  }
  cpet_value_free(tmp);
  return st;
}

static cpet_status write_pandas(hid_t grp, const char *name, const cpet_value *v,
                                const cpet__wctx *ctx) {
  cpet_pandas_format fmt = ctx && ctx->opts ? ctx->opts->pandas_format : CPET_PANDAS_FIXED;
  return cpet__pandas_write(grp, name, v, fmt, ctx);
}

/* Checks that `flag` can hold `v` (kind-level; array details are checked by the writers).
 * Looser than the tree's cpet__flag_check on purpose: data loaded from files (VLARRAY rows, an
 * explicit CARRAY of an empty array, written contiguous as pypet would) must write back. */
static cpet_status check_flag(cpet_flag flag, const cpet_value *v) {
  cpet_kind k = cpet_value_kind(v);
  int ok;
  switch (flag) {
  case CPET_FLAG_ARRAY:
  case CPET_FLAG_CARRAY:
  case CPET_FLAG_EARRAY:
  case CPET_FLAG_VLARRAY:
    ok = k == CPET_KIND_SCALAR || k == CPET_KIND_NDARRAY || k == CPET_KIND_MATRIX ||
         k == CPET_KIND_LIST || k == CPET_KIND_TUPLE || k == CPET_KIND_PICKLE ||
         (k == CPET_KIND_DICT && cpet_value_nchildren(v) == 0 && flag == CPET_FLAG_ARRAY);
    break;
  case CPET_FLAG_TABLE:
    ok = k == CPET_KIND_TABLE;
    break;
  case CPET_FLAG_DICT:
    ok = k == CPET_KIND_DICT;
    break;
  case CPET_FLAG_FRAME:
    ok = k == CPET_KIND_FRAME;
    break;
  case CPET_FLAG_SERIES:
    ok = k == CPET_KIND_SERIES;
    break;
  default:
    return cpet__err(CPET_ERR_INVAL, "invalid storage flag %d", (int)flag);
  }
  if (!ok)
    return cpet__err(CPET_ERR_FLAG, "flag %s cannot hold a %s", cpet__flag_name(flag),
                     cpet_kind_name(k));
  return CPET_OK;
}

cpet_status cpet__wr_value(hid_t grp, const char *name, const cpet_value *v, cpet_flag flag,
                           const cpet__wctx *ctx) {
  if (!v) return cpet__err(CPET_ERR_INVAL, "item '%s': NULL value", name);
  cpet_flag shared = CPET_FLAG_AUTO;
  if (flag == CPET_FLAG_SHARED_DATA) { /* pypet's SharedResult: the underlying kind's layout */
    shared = cpet__flag_default(v);
    flag = shared;
  }
  if (flag == CPET_FLAG_AUTO) flag = cpet__flag_default(v);
  if (cpet_value_kind(v) == CPET_KIND_SPARSE)
    return cpet__err(CPET_ERR_TYPE, "item '%s': sparse matrices need a Sparse* leaf class", name);
  CPET__CHECK(check_flag(flag, v));
  cpet_status st;
  switch (flag) {
  case CPET_FLAG_TABLE:
    st = cpet__wr_table(grp, name, v, 0, ctx);
    break;
  case CPET_FLAG_DICT:
    /* pypet cannot build a table without columns: {} goes to ARRAY as an empty tuple */
    st = cpet_value_nchildren(v) ? cpet__wr_table(grp, name, v, 1, ctx)
                                 : write_array_flag(grp, name, v, CPET_FLAG_ARRAY, ctx);
    break;
  case CPET_FLAG_FRAME:
  case CPET_FLAG_SERIES:
    st = write_pandas(grp, name, v, ctx);
    break;
  default:
    st = write_array_flag(grp, name, v, flag, ctx);
    break;
  }
  if (st == CPET_OK && shared != CPET_FLAG_AUTO) {
    /* SRVC_STORE becomes SHARED_DATA_ and SRVC_SHARED_TYPE keeps the kind (spec 6.10) */
    hid_t o = H5Oopen(grp, name, H5P_DEFAULT);
    if (o < 0) return cpet__h5_err("H5Oopen", name);
    st = cpet__h5_attr_write_str(o, "SRVC_STORE", "SHARED_DATA_");
    if (st == CPET_OK)
      st = cpet__h5_attr_write_str(o, "SRVC_SHARED_TYPE", cpet__flag_name(shared));
    H5Oclose(o);
  }
  if (st != CPET_OK) cpet__err_context("item '%s'", name);
  return st;
}

/* ---- dotted keys ---- */

cpet_status cpet__wr_open_nested(hid_t leafgrp, const char *prefix, size_t len,
                                 const cpet__wctx *ctx, hid_t *out, int *created) {
  *out = -1;
  if (created) *created = 0;
  char *path = cpet__strndup(prefix, len);
  if (!path) return cpet__err(CPET_ERR_NOMEM, "out of memory");
  hid_t cur = leafgrp;
  cpet_status st = CPET_OK;
  char *comp = path;
  int made = 0;
  while (comp && st == CPET_OK) {
    char *dot = strchr(comp, '.');
    if (dot) *dot = '\0';
    hid_t next = -1;
    /* below a group created just now nothing can exist yet */
    htri_t e = made ? 0 : H5Lexists(cur, comp, H5P_DEFAULT);
    if (e < 0) {
      st = cpet__h5_err("H5Lexists", comp);
    } else if (e > 0) {
      next = H5Gopen2(cur, comp, H5P_DEFAULT);
      if (next < 0) {
        st = cpet__err(CPET_ERR_LAYOUT, "'%s' exists and is no group", comp);
      } else {
        char *store = NULL;
        if (cpet__h5_attr_read_str(next, "SRVC_STORE", &store) != CPET_OK ||
            strcmp(store, "NESTED_GROUP") != 0)
          st = cpet__err(CPET_ERR_LAYOUT, "'%s' is of type '%s', not NESTED_GROUP", comp,
                         store ? store : "?");
        cpet_free(store);
      }
    } else {
      st = cpet__wr_group_create(cur, comp, comp, "NESTED_GROUP", ctx, &next);
      made = 1;
    }
    if (cur != leafgrp) H5Gclose(cur);
    cur = next;
    comp = dot ? dot + 1 : NULL;
  }
  cpet_free(path);
  if (st != CPET_OK) {
    if (cur >= 0 && cur != leafgrp) H5Gclose(cur);
    return st;
  }
  if (created) *created = made;
  *out = cur;
  return CPET_OK;
}

cpet_status cpet__layout_write_item(hid_t leafgrp, const char *key, const cpet_value *v,
                                    cpet_flag flag, const cpet__wctx *ctx) {
  if (leafgrp < 0 || !key || !*key || !v)
    return cpet__err(CPET_ERR_INVAL, "write item: bad argument");
  const char *last = strrchr(key, '.');
  hid_t grp = leafgrp;
  if (last) {
    cpet_status st = cpet__wr_open_nested(leafgrp, key, (size_t)(last - key), ctx, &grp, NULL);
    if (st != CPET_OK) {
      cpet__err_context("item '%s'", key);
      return st;
    }
  }
  const char *name = last ? last + 1 : key;
  cpet_status st;
  htri_t e = H5Lexists(grp, name, H5P_DEFAULT);
  if (e < 0)
    st = cpet__h5_err("H5Lexists", key);
  else if (e > 0)
    st = cpet__err(CPET_ERR_EXISTS, "item '%s' already exists", key);
  else
    st = cpet__wr_value(grp, name, v, flag, ctx);
  if (grp != leafgrp) H5Gclose(grp);
  return st;
}
