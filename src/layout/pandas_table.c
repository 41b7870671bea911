/* pandas_table.c - pandas table format (spec 11.2): one compound dataset `table` with an
 * `index` column and value columns, described by pickled group attributes (index_cols,
 * values_cols, non_index_axes, data_columns, info) and per-column table attributes
 * (<col>_kind, <col>_dtype, <col>_meta). Frames get one values_block per column (pandas groups
 * equal dtypes; it reads either); series use a data column named after the series. */
#include "h5/h5_int.h"
#include "layout/layout_int.h"
#include "layout/pandas_int.h"
#include "layout/pickle_int.h"
#include "value/value_int.h"

#include <stdio.h>
#include <string.h>

/* ---- reading ---- */

/* Strings of a decoded pickled list (borrowed from `list`). */
static cpet_status str_list(const cpet_value *list, const char ***out, size_t *n) {
  *out = NULL;
  *n = 0;
  if (!list ||
      (cpet_value_kind(list) != CPET_KIND_LIST && cpet_value_kind(list) != CPET_KIND_TUPLE))
    return cpet__err(CPET_ERR_LAYOUT, "pandas table: expected a pickled list of names");
  size_t k = cpet_value_nchildren(list);
  *out = cpet__calloc(k ? k : 1, sizeof **out);
  if (!*out) return cpet__err(CPET_ERR_NOMEM, "pandas: out of memory");
  for (size_t i = 0; i < k; i++) {
    size_t l;
    if (cpet_value_to_str(cpet_value_child(list, i), &(*out)[i], &l) != CPET_OK) {
      cpet_free(*out);
      *out = NULL;
      return cpet__err(CPET_ERR_UNSUPPORTED, "pandas table: column name %zu is no str", i);
    }
  }
  *n = k;
  return CPET_OK;
}

typedef struct tbl {
  hid_t ft;
  size_t rowsize, nrows;
  unsigned char *buf;
} tbl;

/* Member `name`: extracts element `j` of every row into a 1-d ndarray (array members have
 * `*count` elements per row). */
static cpet_status member_column(const tbl *t, const char *name, size_t j, int as_bool,
                                 cpet_value **out, size_t *count) {
  *out = NULL;
  int idx = H5Tget_member_index(t->ft, name);
  if (idx < 0) return cpet__err(CPET_ERR_LAYOUT, "pandas table: no column '%s'", name);
  size_t off = H5Tget_member_offset(t->ft, (unsigned)idx);
  hid_t mt = H5Tget_member_type(t->ft, (unsigned)idx), base = -1;
  size_t cnt = 1;
  cpet_status st = CPET_OK;
  if (mt < 0) return cpet__h5_err("H5Tget_member_type", name);
  if (H5Tget_class(mt) == H5T_ARRAY) {
    int nd = H5Tget_array_ndims(mt);
    hsize_t dims[8];
    if (nd < 1 || nd > 8 || H5Tget_array_dims2(mt, dims) < 0)
      st = cpet__err(CPET_ERR_LAYOUT, "pandas column '%s' dims", name);
    for (int i = 0; st == CPET_OK && i < nd; i++)
      cnt *= (size_t)dims[i];
    base = H5Tget_super(mt);
  } else {
    base = H5Tcopy(mt);
  }
  cpet_type ty = CPET_T_NONE;
  size_t isz = 0;
  if (st == CPET_OK) st = cpet__h5_type_classify(base, &ty, &isz);
  if (st == CPET_OK && j >= cnt)
    st = cpet__err(CPET_ERR_LAYOUT, "pandas column '%s' has %zu cells", name, cnt);
  size_t esz = base >= 0 ? H5Tget_size(base) : 0;
  if (st == CPET_OK && as_bool && esz == 1) ty = CPET_T_BOOL;
  if (st == CPET_OK && !cpet__type_is_string(ty) && esz != cpet_type_size(ty))
    st = cpet__err(CPET_ERR_UNSUPPORTED, "pandas column '%s': element size %zu", name, esz);
  void *dst = NULL;
  if (st == CPET_OK)
    st = cpet__value_new_array_uninit(CPET_KIND_NDARRAY, ty, esz, 1, &t->nrows, out, &dst);
  for (size_t r = 0; st == CPET_OK && dst && r < t->nrows; r++) {
    unsigned char *d = (unsigned char *)dst + r * esz;
    memcpy(d, t->buf + r * t->rowsize + off + j * esz, esz);
    if (cpet__type_is_bool(ty)) *d = *d != 0;
  }
  if (count) *count = cnt;
  cpet__h5_close(base);
  H5Tclose(mt);
  return st;
}

static cpet_status read_tbl(hid_t grp, tbl *t) {
  hid_t ds = H5Dopen2(grp, "table", H5P_DEFAULT);
  if (ds < 0) return cpet__h5_err("H5Dopen2", "table");
  hid_t sp = H5Dget_space(ds);
  cpet_status st = CPET_OK;
  t->ft = H5Dget_type(ds);
  hssize_t n = sp >= 0 ? H5Sget_simple_extent_npoints(sp) : -1;
  if (t->ft < 0 || n < 0 || H5Tget_class(t->ft) != H5T_COMPOUND)
    st = cpet__err(CPET_ERR_LAYOUT, "pandas 'table' is no compound table");
  if (st == CPET_OK) {
    t->nrows = (size_t)n;
    t->rowsize = H5Tget_size(t->ft);
    size_t nb;
    if (cpet__mul_size(t->nrows ? t->nrows : 1, t->rowsize, &nb) || !(t->buf = cpet__malloc(nb)))
      st = cpet__err(CPET_ERR_NOMEM, "pandas table of %zu rows: out of memory", t->nrows);
    else if (t->nrows && H5Dread(ds, t->ft, H5S_ALL, H5S_ALL, H5P_DEFAULT, t->buf) < 0)
      st = cpet__h5_err("H5Dread", "table");
  }
  cpet__h5_close(sp);
  H5Dclose(ds);
  return st;
}

static cpet_status table_attr_str(hid_t grp, const char *name, char **out) {
  hid_t ds = H5Dopen2(grp, "table", H5P_DEFAULT);
  if (ds < 0) return cpet__h5_err("H5Dopen2", "table");
  cpet_status st = cpet__h5_attr_read_str(ds, name, out);
  H5Dclose(ds);
  return st;
}

static cpet_status table_attr_pickle(hid_t grp, const char *name, cpet_value **out) {
  hid_t ds = H5Dopen2(grp, "table", H5P_DEFAULT);
  if (ds < 0) return cpet__h5_err("H5Dopen2", "table");
  cpet_status st = cpet__pd_attr_pickle(ds, name, out);
  H5Dclose(ds);
  return st;
}

cpet_status cpet__pd_read_table(hid_t grp, int series, cpet_value **out) {
  *out = NULL;
  tbl t = {-1, 0, 0, NULL};
  cpet_value *vcols = NULL, *nia = NULL, *info = NULL, *idx = NULL, *frame = NULL, **colv = NULL;
  const char **vc = NULL, **order = NULL;
  size_t nvc = 0, nord = 0;
  char *ikind = NULL;
  cpet_status st = read_tbl(grp, &t);
  if (st == CPET_OK) st = cpet__pd_attr_pickle(grp, "values_cols", &vcols);
  if (st == CPET_OK) st = str_list(vcols, &vc, &nvc);
  if (st == CPET_OK) st = cpet__pd_attr_pickle(grp, "non_index_axes", &nia);
  if (st == CPET_OK) {
    const cpet_value *ax = cpet_value_nchildren(nia) == 1 ? cpet_value_child(nia, 0) : NULL;
    st = str_list(ax && cpet_value_nchildren(ax) == 2 ? cpet_value_child(ax, 1) : NULL, &order,
                  &nord);
  }
  if (st == CPET_OK && cpet__h5_attr_exists(grp, "info"))
    st = cpet__pd_attr_pickle(grp, "info", &info);
  /* index */
  if (st == CPET_OK) st = member_column(&t, "index", 0, 0, &idx, NULL);
  if (st == CPET_OK && table_attr_str(grp, "index_kind", &ikind) == CPET_OK &&
      strcmp(ikind, "string") == 0) {
    cpet_value *s;
    st = cpet__pd_bytes_to_str(idx, &s);
    cpet_value_free(idx);
    idx = s;
  }
  cpet_errclear();
  colv = cpet__calloc(nord ? nord : 1, sizeof *colv);
  if (st == CPET_OK && !colv) st = cpet__err(CPET_ERR_NOMEM, "pandas: out of memory");
  for (size_t b = 0; st == CPET_OK && b < nvc; b++) {
    char an[300];
    cpet_value *kl = NULL;
    const char **labs = NULL;
    size_t nl = 0;
    char *dtype = NULL;
    snprintf(an, sizeof an, "%s_kind", vc[b]);
    st = table_attr_pickle(grp, an, &kl);
    if (st == CPET_OK) st = str_list(kl, &labs, &nl);
    snprintf(an, sizeof an, "%s_dtype", vc[b]);
    if (st == CPET_OK) st = table_attr_str(grp, an, &dtype);
    int as_bool = st == CPET_OK && strcmp(dtype, "bool") == 0;
    int as_str =
        st == CPET_OK && (strncmp(dtype, "bytes", 5) == 0 || strncmp(dtype, "string", 6) == 0 ||
                          strcmp(dtype, "object") == 0);
    for (size_t j = 0; st == CPET_OK && j < nl; j++) {
      size_t c = 0;
      while (c < nord && (colv[c] || strcmp(order[c], labs[j])))
        c++;
      cpet_value *col = NULL;
      if (c == nord)
        st = cpet__err(CPET_ERR_LAYOUT, "pandas table column '%s' not in non_index_axes", labs[j]);
      else
        st = member_column(&t, vc[b], j, as_bool, &col, NULL);
      if (st == CPET_OK && as_str) {
        st = cpet__pd_bytes_to_str(col, &colv[c]);
        cpet_value_free(col);
      } else if (st == CPET_OK)
        colv[c] = col;
    }
    cpet_free(dtype);
    cpet_free(labs);
    cpet_value_free(kl);
  }
  for (size_t c = 0; st == CPET_OK && c < nord; c++)
    if (!colv[c]) st = cpet__err(CPET_ERR_LAYOUT, "pandas table: column '%s' not stored", order[c]);
  if (st == CPET_OK && series) {
    if (nord != 1)
      st = cpet__err(CPET_ERR_LAYOUT, "pandas series table with %zu columns", nord);
    else {
      st = cpet_value_new_series(colv[0], idx, strcmp(order[0], "values") ? order[0] : NULL, out);
      colv[0] = idx = NULL;
    }
  } else if (st == CPET_OK) {
    const cpet_value *ii = info ? cpet_value_get(info, "index") : NULL;
    const cpet_value *in = ii ? cpet_value_get(ii, "index_name") : NULL;
    const char *iname = NULL;
    size_t l;
    if (in && cpet_value_to_str(in, &iname, &l) != CPET_OK) iname = NULL;
    cpet_errclear();
    st = cpet_value_new_frame(idx, iname, &frame);
    idx = NULL;
    for (size_t c = 0; st == CPET_OK && c < nord; c++) {
      st = cpet_value_set(frame, order[c], colv[c]);
      colv[c] = NULL;
    }
    if (st == CPET_OK) *out = frame, frame = NULL;
  }
  for (size_t c = 0; colv && c < nord; c++)
    cpet_value_free(colv[c]);
  cpet_free(colv);
  cpet_value_free(frame);
  cpet_value_free(idx);
  cpet_free(vc);
  cpet_free(order);
  cpet_free(ikind);
  cpet_value_free(vcols);
  cpet_value_free(nia);
  cpet_value_free(info);
  cpet__h5_close(t.ft);
  cpet_free(t.buf);
  return st;
}

/* ---- writing ---- */

static cpet_value *mk_str(const char *s) {
  cpet_value *v = NULL;
  cpet_value_new_str(s, &v);
  return v;
}

/* Appends (taking) to a list/dict, remembering the first failure. */
static void app(cpet_status *st, cpet_value *seq, cpet_value *take) {
  if (!take && *st == CPET_OK) *st = cpet__err(CPET_ERR_NOMEM, "pandas: out of memory");
  if (*st == CPET_OK)
    *st = cpet_value_append(seq, take);
  else
    cpet_value_free(take);
}
static void set(cpet_status *st, cpet_value *d, const char *k, cpet_value *take) {
  if (!take && *st == CPET_OK) *st = cpet__err(CPET_ERR_NOMEM, "pandas: out of memory");
  if (*st == CPET_OK)
    *st = cpet_value_set(d, k, take);
  else
    cpet_value_free(take);
}

static cpet_value *str_list_value(const char *const *names, size_t n) {
  cpet_value *l = NULL;
  if (cpet_value_new_seq(CPET_KIND_LIST, &l) != CPET_OK) return NULL;
  cpet_status st = CPET_OK;
  for (size_t i = 0; i < n; i++)
    app(&st, l, mk_str(names[i]));
  if (st != CPET_OK) cpet_value_free(l), l = NULL;
  return l;
}

/* Writes a value as a PyTables attribute; `take` is freed. */
static cpet_status put_attr(hid_t obj, const char *name, cpet_value *take) {
  if (!take) return cpet__err(CPET_ERR_NOMEM, "pandas attribute '%s': out of memory", name);
  cpet_status st = cpet__h5_attr_write_value(obj, name, take);
  cpet_value_free(take);
  return st;
}

#define INTKEY "__cpet_int_key_1__"

/* info = {1: {'names': [None], 'type': 'Index'}, 'index': {..}, '<col>': {}, ...}; the int key
 * cannot be a cpet dict key, so it is spliced into the protocol-0 text. */
static cpet_status write_info(hid_t g, const char *iname, const char *const *vc, size_t nvc) {
  cpet_value *info = NULL, *ax = NULL, *names = NULL, *none = NULL, *ix = NULL;
  cpet_status st = cpet_value_new_dict(&info);
  if (st == CPET_OK) st = cpet_value_new_dict(&ax);
  if (st == CPET_OK) st = cpet_value_new_seq(CPET_KIND_LIST, &names);
  if (st == CPET_OK) st = cpet_value_new_none(&none);
  app(&st, names, none);
  set(&st, ax, "names", names);
  set(&st, ax, "type", mk_str("Index"));
  set(&st, info, INTKEY, ax);
  if (st == CPET_OK) st = cpet_value_new_dict(&ix);
  if (iname) set(&st, ix, "index_name", mk_str(iname));
  set(&st, info, "index", ix);
  for (size_t i = 0; i < nvc; i++) {
    cpet_value *e = NULL;
    if (st == CPET_OK) st = cpet_value_new_dict(&e);
    set(&st, info, vc[i], e);
  }
  char *p = NULL;
  size_t n = 0;
  if (st == CPET_OK) st = cpet__pickle_encode0(info, &p, &n);
  cpet_value_free(info);
  if (st != CPET_OK) return st;
  const char *pat = "V" INTKEY "\np1\n";
  char *at = strstr(p, pat);
  if (at) {
    size_t pl = strlen(pat);
    memcpy(at, "I1\n", 3);
    memmove(at + 3, at + pl, n - (size_t)(at - p) - pl + 1);
    n -= pl - 3;
  }
  cpet_value *b = NULL;
  st = cpet_value_new_bytes(p, n, &b);
  cpet_free(p);
  return st == CPET_OK ? put_attr(g, "info", b) : st;
}

typedef struct wcol {
  const char *member; /* compound member name */
  const cpet_value *v;
  cpet_type t; /* numpy type written */
  size_t esz, off;
  int array;         /* member is a (1,) array */
  const char *label; /* column label (pandas name) */
} wcol;

static cpet_status dtype_name(const wcol *c, char *buf, size_t cap) {
  if (cpet__type_is_string(c->t))
    snprintf(buf, cap, "bytes%zu", c->esz * 8);
  else if (c->t == CPET_T_BOOL)
    snprintf(buf, cap, "bool");
  else
    snprintf(buf, cap, "%s", cpet_type_name(c->t));
  return CPET_OK;
}

static cpet_status write_table_ds(hid_t g, wcol *cols, size_t nc, size_t rows) {
  hid_t ct = -1, *mts = cpet__calloc(nc, sizeof *mts);
  if (!mts) return cpet__err(CPET_ERR_NOMEM, "pandas table: out of memory");
  size_t rs = 0;
  cpet_status st = CPET_OK;
  for (size_t i = 0; i < nc && st == CPET_OK; i++) {
    hid_t base = cpet__h5_type_for(cols[i].t, cols[i].esz, 0);
    hsize_t one = 1;
    mts[i] = base >= 0 && cols[i].array ? H5Tarray_create2(base, 1, &one)
                                        : (base >= 0 ? H5Tcopy(base) : -1);
    cpet__h5_close(base);
    if (mts[i] < 0)
      st = cpet__err(CPET_ERR_TYPE, "pandas table: no type for column '%s'", cols[i].member);
    cols[i].off = rs;
    rs += cols[i].esz;
  }
  if (st == CPET_OK && (ct = H5Tcreate(H5T_COMPOUND, rs)) < 0)
    st = cpet__h5_err("H5Tcreate", "table");
  for (size_t i = 0; i < nc && st == CPET_OK; i++)
    if (H5Tinsert(ct, cols[i].member, cols[i].off, mts[i]) < 0)
      st = cpet__h5_err("H5Tinsert", cols[i].member);
  unsigned char *buf = st == CPET_OK ? cpet__calloc(rows * rs + 1, 1) : NULL;
  if (st == CPET_OK && !buf) st = cpet__err(CPET_ERR_NOMEM, "pandas table: out of memory");
  for (size_t i = 0; st == CPET_OK && i < nc; i++) {
    const unsigned char *src = cpet_value_data(cols[i].v);
    size_t w = cpet_value_itemsize(cols[i].v);
    for (size_t r = 0; r < rows; r++) {
      unsigned char *d = buf + r * rs + cols[i].off;
      if (cpet__type_is_string(cols[i].t))
        memcpy(d, src + r * w, w < cols[i].esz ? w : cols[i].esz);
      else
        memcpy(d, src + r * w, cols[i].esz);
    }
  }
  hsize_t dims = rows, maxd = H5S_UNLIMITED, chunk = rows ? rows : 1;
  hid_t sp = -1, dcpl = -1, ds = -1;
  if (st == CPET_OK) {
    sp = H5Screate_simple(1, &dims, &maxd);
    dcpl = H5Pcreate(H5P_DATASET_CREATE);
    if (sp < 0 || dcpl < 0 || H5Pset_chunk(dcpl, 1, &chunk) < 0)
      st = cpet__h5_err("table setup", "table");
    else if ((ds = H5Dcreate2(g, "table", ct, sp, H5P_DEFAULT, dcpl, H5P_DEFAULT)) < 0)
      st = cpet__h5_err("H5Dcreate2", "table");
    else if (rows && H5Dwrite(ds, ct, H5S_ALL, H5S_ALL, H5P_DEFAULT, buf) < 0)
      st = cpet__h5_err("H5Dwrite", "table");
  }
  if (st == CPET_OK) st = cpet__h5_attr_write_str(ds, "CLASS", "TABLE");
  if (st == CPET_OK) st = cpet__h5_attr_write_str(ds, "VERSION", "2.7");
  if (st == CPET_OK) st = cpet__h5_attr_write_i64(ds, "NROWS", (int64_t)rows);
  if (st == CPET_OK)
    st = cpet__h5_attr_write_str(ds, "index_kind",
                                 cpet__type_is_string(cols[0].t)  ? "string"
                                 : cpet__type_is_float(cols[0].t) ? "float"
                                                                  : "integer");
  for (size_t i = 1; st == CPET_OK && i < nc; i++) {
    char an[300], dt[32];
    snprintf(an, sizeof an, "%s_dtype", cols[i].member);
    dtype_name(&cols[i], dt, sizeof dt);
    st = cpet__h5_attr_write_str(ds, an, dt);
    snprintf(an, sizeof an, "%s_meta", cols[i].member);
    if (st == CPET_OK) {
      cpet_value *none = NULL;
      st = cpet_value_new_none(&none);
      if (st == CPET_OK) st = put_attr(ds, an, none);
    }
    snprintf(an, sizeof an, "%s_kind", cols[i].member);
    if (st == CPET_OK) st = put_attr(ds, an, str_list_value(&cols[i].label, 1));
  }
  cpet__h5_close(ds);
  cpet__h5_close(dcpl);
  cpet__h5_close(sp);
  cpet__h5_close(ct);
  for (size_t i = 0; i < nc; i++)
    cpet__h5_close(mts[i]);
  cpet_free(mts);
  cpet_free(buf);
  return st;
}

cpet_status cpet__pd_write_table(hid_t g, const cpet_value *v) {
  int series = cpet_value_kind(v) == CPET_KIND_SERIES;
  size_t rows = series ? cpet_value_nelem(v) : cpet_value_shape(v)[0];
  size_t nv = series ? 1 : cpet_value_nchildren(v);
  if (nv == 0) return cpet__err(CPET_ERR_UNSUPPORTED, "pandas table format: frame without columns");
  wcol *cols = cpet__calloc(nv + 1, sizeof *cols);
  char **names = cpet__calloc(nv + 1, sizeof *names);
  cpet_value *range = NULL;
  cpet_status st = cols && names ? CPET_OK : cpet__err(CPET_ERR_NOMEM, "pandas: out of memory");
  /* index column */
  const cpet_value *idx = cpet_value_index(v);
  if (st == CPET_OK && !idx) {
    void *d;
    st = cpet__value_new_array_uninit(CPET_KIND_NDARRAY, CPET_T_INT64, 8, 1, &rows, &range, &d);
    for (size_t i = 0; st == CPET_OK && d && i < rows; i++)
      ((int64_t *)d)[i] = (int64_t)i;
    idx = range;
  }
  if (st == CPET_OK) {
    cpet_type it = cpet__pd_numpy_type(cpet_value_type(idx));
    if (!cpet__type_is_string(it) && it != CPET_T_INT64 && it != CPET_T_FLOAT64)
      st = cpet__err(CPET_ERR_UNSUPPORTED, "pandas table index of type %s (int64, float64 or str)",
                     cpet_type_name(it));
    cols[0] = (wcol){
        "index", idx,    cpet__type_is_string(it) ? CPET_T_BYTES : it, cpet_value_itemsize(idx), 0,
        0,       "index"};
  }
  for (size_t i = 0; st == CPET_OK && i < nv; i++) {
    const cpet_value *c = series ? cpet_value_get(v, "values") : cpet_value_child(v, i);
    const char *label =
        series ? (cpet_value_name(v) ? cpet_value_name(v) : "values") : cpet_value_key(v, i);
    cpet_type t = cpet__pd_numpy_type(cpet_value_type(c));
    if (series)
      names[i + 1] = cpet__strdup(label);
    else
      names[i + 1] = cpet__asprintf("values_block_%zu", i);
    if (!names[i + 1]) st = cpet__err(CPET_ERR_NOMEM, "pandas: out of memory");
    cols[i + 1] = (wcol){
        names[i + 1], c,    cpet__type_is_string(t) ? CPET_T_BYTES : t, cpet_value_itemsize(c), 0,
        !series,      label};
  }
  if (st == CPET_OK) st = write_table_ds(g, cols, nv + 1, rows);
  /* group attributes */
  const char **vc = cpet__calloc(nv, sizeof *vc), **labs = cpet__calloc(nv, sizeof *labs);
  if (st == CPET_OK && (!vc || !labs)) st = cpet__err(CPET_ERR_NOMEM, "pandas: out of memory");
  for (size_t i = 0; st == CPET_OK && i < nv; i++)
    vc[i] = cols[i + 1].member, labs[i] = cols[i + 1].label;
  if (st == CPET_OK)
    st = cpet__h5_attr_write_str(g, "pandas_type", series ? "series_table" : "frame_table");
  if (st == CPET_OK) st = cpet__h5_attr_write_str(g, "pandas_version", "0.15.2");
  if (st == CPET_OK) st = cpet__h5_attr_write_str(g, "encoding", "utf8");
  if (st == CPET_OK) st = cpet__h5_attr_write_str(g, "errors", "strict");
  if (st == CPET_OK)
    st =
        cpet__h5_attr_write_str(g, "table_type", series ? "appendable_series" : "appendable_frame");
  if (st == CPET_OK) st = cpet__h5_attr_write_str(g, "nan_rep", "nan");
  if (st == CPET_OK) st = cpet__h5_attr_write_i64(g, "levels", 1);
  if (st == CPET_OK) st = put_attr(g, "values_cols", str_list_value(vc, nv));
  if (st == CPET_OK) st = put_attr(g, "data_columns", str_list_value(vc, series ? 1 : 0));
  if (st == CPET_OK) {
    cpet_value *l = NULL, *tup = NULL, *one = NULL;
    st = cpet_value_new_seq(CPET_KIND_LIST, &l);
    if (st == CPET_OK) st = cpet_value_new_seq(CPET_KIND_TUPLE, &tup);
    if (st == CPET_OK) st = cpet_value_new_int(0, &one);
    app(&st, tup, one);
    app(&st, tup, mk_str("index"));
    app(&st, l, tup);
    if (st == CPET_OK)
      st = put_attr(g, "index_cols", l);
    else
      cpet_value_free(l);
  }
  if (st == CPET_OK) {
    cpet_value *l = NULL, *tup = NULL, *one = NULL;
    st = cpet_value_new_seq(CPET_KIND_LIST, &l);
    if (st == CPET_OK) st = cpet_value_new_seq(CPET_KIND_TUPLE, &tup);
    if (st == CPET_OK) st = cpet_value_new_int(1, &one);
    app(&st, tup, one);
    app(&st, tup, str_list_value(labs, nv));
    app(&st, l, tup);
    if (st == CPET_OK)
      st = put_attr(g, "non_index_axes", l);
    else
      cpet_value_free(l);
  }
  if (st == CPET_OK) st = write_info(g, series ? NULL : cpet_value_name(v), vc, nv);
  cpet_free(vc);
  cpet_free(labs);
  for (size_t i = 0; names && i <= nv; i++)
    cpet_free(names[i]);
  cpet_free(names);
  cpet_free(cols);
  cpet_value_free(range);
  return st;
}
