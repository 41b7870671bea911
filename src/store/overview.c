/* overview.c - pypet's compound overview tables (spec 4): creation with PyTables' column
 * layout and attributes, row access by column name, and the info/runs/hdf5_settings/
 * explorations/leaf rows the store writes. */
#include <stdio.h>
#include <string.h>

#include "filter/filter_int.h"
#include "h5/h5_int.h"
#include "store/overview_int.h"
#include "tree/tree_int.h"

typedef struct coldef {
  const char *name;
  char kind;
  size_t width; /* strings; 0 = the caller's strwidth */
} coldef;

#define OV_END                                                                                     \
  { NULL, 0, 0 }

static const coldef INFO_COLS[] = {
    {"name", 's', 512},    {"time", 's', 0},     {"length", 'i', 0},    {"timestamp", 'f', 0},
    {"comment", 's', 512}, {"python", 's', 128}, {"version", 's', 128}, OV_END};
static const coldef RUNS_COLS[] = {{"idx", 'i', 0},
                                   {"name", 's', 128},
                                   {"time", 's', 0},
                                   {"timestamp", 'f', 0},
                                   {"finish_timestamp", 'f', 0},
                                   {"runtime", 's', 18},
                                   {"parameter_summary", 's', 512},
                                   {"short_environment_hexsha", 's', 7},
                                   {"completed", 'i', 0},
                                   OV_END};
static const coldef HDF5_COLS[] = {{"complib", 's', 7},
                                   {"complevel", 'i', 0},
                                   {"shuffle", 'b', 0},
                                   {"fletcher32", 'b', 0},
                                   {"pandas_format", 's', 7},
                                   {"encoding", 's', 11},
                                   {"config_overview", 'b', 0},
                                   {"parameters_overview", 'b', 0},
                                   {"derived_parameters_overview", 'b', 0},
                                   {"results_overview", 'b', 0},
                                   {"explored_parameters_overview", 'b', 0},
                                   {"derived_parameters_summary", 'b', 0},
                                   {"results_summary", 'b', 0},
                                   {"purge_duplicate_comments", 'b', 0},
                                   {"results_per_run", 'i', 0},
                                   {"derived_parameters_per_run", 'i', 0},
                                   OV_END};
static const coldef EXPL_COLS[] = {{"explorations", 's', 0}, OV_END};
static const coldef LEAF_COLS[] = {
    {"location", 's', 512}, {"name", 's', 128}, {"value", 's', 64}, {"comment", 's', 512}, OV_END};
static const coldef EXPLORED_COLS[] = {{"location", 's', 512},
                                       {"name", 's', 128},
                                       {"value", 's', 64},
                                       {"comment", 's', 512},
                                       {"length", 'i', 0},
                                       {"range", 's', 1024},
                                       OV_END};
static const coldef SUMMARY_COLS[] = {{"location", 's', 512}, {"name", 's', 128},
                                      {"value", 's', 64},     {"hexdigest", 's', 64},
                                      {"comment", 's', 512},  OV_END};

static const char *const NAMES[CPET__OV_COUNT] = {"info",
                                                  "runs",
                                                  "hdf5_settings",
                                                  "explorations",
                                                  "config_overview",
                                                  "parameters_overview",
                                                  "derived_parameters_overview",
                                                  "results_overview",
                                                  "explored_parameters_overview",
                                                  "derived_parameters_summary",
                                                  "results_summary"};

const char *cpet__ov_name(cpet__ov_kind k) {
  return (int)k >= 0 && k < CPET__OV_COUNT ? NAMES[k] : "?";
}

static const coldef *cols_of(cpet__ov_kind k) {
  switch (k) {
  case CPET__OV_INFO:
    return INFO_COLS;
  case CPET__OV_RUNS:
    return RUNS_COLS;
  case CPET__OV_HDF5:
    return HDF5_COLS;
  case CPET__OV_EXPLORATIONS:
    return EXPL_COLS;
  case CPET__OV_EXPLORED:
    return EXPLORED_COLS;
  case CPET__OV_DERIVED_SUMMARY:
  case CPET__OV_RESULTS_SUMMARY:
    return SUMMARY_COLS;
  default:
    return LEAF_COLS;
  }
}

/* PyTables sizes chunks from expectedrows: 64 KiB for the small tables, 128 KiB for the ones
 * that grow with the runs (observed in pypet's files). */
static size_t chunk_bytes(cpet__ov_kind k) {
  return (k == CPET__OV_DERIVED || k == CPET__OV_RESULTS || k == CPET__OV_DERIVED_SUMMARY ||
          k == CPET__OV_RESULTS_SUMMARY)
             ? 131072
             : 65536;
}

void cpet__ov_close(cpet__ovtab *t) {
  if (!t) return;
  cpet__h5_close(t->mtype);
  cpet__h5_close(t->dset);
  t->mtype = t->dset = -1;
}

/* Fills t->cols from the compound type t->mtype. */
static cpet_status describe(cpet__ovtab *t, const char *what) {
  int n = H5Tget_nmembers(t->mtype);
  if (n < 0 || H5Tget_class(t->mtype) != H5T_COMPOUND)
    return cpet__err(CPET_ERR_CORRUPT, "overview table '%s' is not a compound table", what);
  t->rowsize = H5Tget_size(t->mtype);
  t->ncols = 0;
  for (int i = 0; i < n && t->ncols < CPET__OV_MAXCOLS; i++) {
    char *nm = H5Tget_member_name(t->mtype, (unsigned)i);
    hid_t mt = H5Tget_member_type(t->mtype, (unsigned)i);
    if (!nm || mt < 0) {
      if (nm) H5free_memory(nm);
      cpet__h5_close(mt);
      return cpet__h5_err("H5Tget_member_type", what);
    }
    cpet__ovcol *c = &t->cols[t->ncols++];
    snprintf(c->name, sizeof c->name, "%s", nm);
    H5free_memory(nm);
    c->off = H5Tget_member_offset(t->mtype, (unsigned)i);
    c->size = H5Tget_size(mt);
    switch (H5Tget_class(mt)) {
    case H5T_STRING:
      c->kind = H5Tis_variable_str(mt) > 0 ? 'x' : 's';
      break;
    case H5T_INTEGER:
      c->kind = (c->size == 4 || c->size == 8) ? 'i' : 'x';
      break;
    case H5T_FLOAT:
      c->kind = c->size == 8 ? 'f' : 'x';
      break;
    case H5T_BITFIELD:
      c->kind = c->size == 1 ? 'b' : 'x';
      break;
    default:
      c->kind = 'x';
      break;
    }
    H5Tclose(mt);
  }
  return CPET_OK;
}

static cpet_status refresh_nrows(cpet__ovtab *t, const char *what) {
  hid_t sp = H5Dget_space(t->dset);
  hsize_t dims[1] = {0};
  if (sp < 0 || H5Sget_simple_extent_ndims(sp) != 1 ||
      H5Sget_simple_extent_dims(sp, dims, NULL) < 0) {
    cpet__h5_close(sp);
    return cpet__err(CPET_ERR_CORRUPT, "overview table '%s' is not rank 1", what);
  }
  H5Sclose(sp);
  t->nrows = dims[0];
  return CPET_OK;
}

cpet_status cpet__ov_open(hid_t ovgrp, cpet__ov_kind k, cpet__ovtab *t) {
  const char *nm = cpet__ov_name(k);
  t->dset = t->mtype = -1;
  t->ncols = 0;
  htri_t e = H5Lexists(ovgrp, nm, H5P_DEFAULT);
  if (e < 0) return cpet__h5_err("H5Lexists", nm);
  if (e == 0) return cpet__err(CPET_ERR_NOTFOUND, "overview table '%s' not found", nm);
  t->dset = H5Dopen2(ovgrp, nm, H5P_DEFAULT);
  if (t->dset < 0) return cpet__h5_err("H5Dopen2", nm);
  t->mtype = H5Dget_type(t->dset);
  cpet_status st = t->mtype < 0 ? cpet__h5_err("H5Dget_type", nm) : describe(t, nm);
  if (st == CPET_OK) st = refresh_nrows(t, nm);
  if (st != CPET_OK) cpet__ov_close(t);
  return st;
}

static cpet_status attr_raw(hid_t obj, const char *name, hid_t type, const void *buf) {
  hid_t sp = H5Screate(H5S_SCALAR);
  if (sp < 0) return cpet__h5_err("H5Screate", name);
  hid_t a = H5Acreate2(obj, name, type, sp, H5P_DEFAULT, H5P_DEFAULT);
  H5Sclose(sp);
  if (a < 0) return cpet__h5_err("H5Acreate2", name);
  herr_t w = H5Awrite(a, type, buf);
  if (H5Aclose(a) < 0 || w < 0) return cpet__h5_err("H5Awrite", name);
  return CPET_OK;
}

static cpet_status write_nrows(cpet__ovtab *t) {
  int64_t n = (int64_t)t->nrows;
  htri_t e = H5Aexists(t->dset, "NROWS");
  if (e < 0) return cpet__h5_err("H5Aexists", "NROWS");
  if (e == 0) return attr_raw(t->dset, "NROWS", H5T_STD_I64LE, &n);
  hid_t a = H5Aopen(t->dset, "NROWS", H5P_DEFAULT);
  if (a < 0) return cpet__h5_err("H5Aopen", "NROWS");
  herr_t w = H5Awrite(a, H5T_NATIVE_INT64, &n);
  if (H5Aclose(a) < 0 || w < 0) return cpet__h5_err("H5Awrite", "NROWS");
  return CPET_OK;
}

/* PyTables' table attributes (spec 2.2): CLASS, VERSION, TITLE, FIELD_i_NAME/FILL, NROWS. */
static cpet_status table_attrs(cpet__ovtab *t, cpet__ov_kind k) {
  CPET__CHECK(cpet__h5_attr_write_str(t->dset, "CLASS", "TABLE"));
  CPET__CHECK(cpet__h5_attr_write_str(t->dset, "VERSION", "2.7"));
  /* pypet creates explorations without a title. */
  CPET__CHECK(
      cpet__h5_attr_write_str(t->dset, "TITLE", k == CPET__OV_EXPLORATIONS ? "" : NAMES[k]));
  for (int i = 0; i < t->ncols; i++) {
    char an[64];
    snprintf(an, sizeof an, "FIELD_%d_NAME", i);
    CPET__CHECK(cpet__h5_attr_write_str(t->dset, an, t->cols[i].name));
    snprintf(an, sizeof an, "FIELD_%d_FILL", i);
    const cpet__ovcol *c = &t->cols[i];
    if (c->kind == 's') {
      hid_t st = H5Tcopy(H5T_C_S1);
      char zero = 0;
      cpet_status s = (st < 0 || H5Tset_size(st, 1) < 0) ? cpet__h5_err("H5Tset_size", an)
                                                         : attr_raw(t->dset, an, st, &zero);
      cpet__h5_close(st);
      CPET__CHECK(s);
    } else if (c->kind == 'i') {
      int32_t z = 0;
      CPET__CHECK(attr_raw(t->dset, an, H5T_STD_I32LE, &z));
    } else if (c->kind == 'f') {
      double z = 0.0;
      CPET__CHECK(attr_raw(t->dset, an, H5T_IEEE_F64LE, &z));
    } else {
      unsigned char z = 0;
      CPET__CHECK(attr_raw(t->dset, an, H5T_STD_B8LE, &z));
    }
  }
  return write_nrows(t);
}

static hid_t build_type(const coldef *cols, size_t strwidth) {
  size_t size = 0;
  for (const coldef *c = cols; c->name; c++)
    size += c->kind == 's'   ? (c->width ? c->width : strwidth)
            : c->kind == 'i' ? 4
            : c->kind == 'f' ? 8
                             : 1;
  hid_t t = H5Tcreate(H5T_COMPOUND, size);
  if (t < 0) return -1;
  size_t off = 0;
  for (const coldef *c = cols; c->name; c++) {
    hid_t m;
    size_t w;
    if (c->kind == 's') {
      w = c->width ? c->width : strwidth;
      m = H5Tcopy(H5T_C_S1);
      if (m < 0 || H5Tset_size(m, w) < 0 || H5Tset_strpad(m, H5T_STR_NULLTERM) < 0 ||
          H5Tset_cset(m, H5T_CSET_ASCII) < 0) {
        cpet__h5_close(m);
        H5Tclose(t);
        return -1;
      }
    } else {
      m = H5Tcopy(c->kind == 'i' ? H5T_STD_I32LE : c->kind == 'f' ? H5T_IEEE_F64LE : H5T_STD_B8LE);
      w = H5Tget_size(m);
    }
    herr_t r = H5Tinsert(t, c->name, off, m);
    H5Tclose(m);
    if (r < 0) {
      H5Tclose(t);
      return -1;
    }
    off += w;
  }
  return t;
}

cpet_status cpet__ov_create(hid_t ovgrp, cpet__ov_kind k, size_t strwidth,
                            const cpet_filter_opts *f, cpet__ovtab *t) {
  const char *nm = cpet__ov_name(k);
  t->dset = t->mtype = -1;
  t->ncols = 0;
  t->nrows = 0;
  htri_t e = H5Lexists(ovgrp, nm, H5P_DEFAULT);
  if (e < 0) return cpet__h5_err("H5Lexists", nm);
  if (e > 0) return cpet__err(CPET_ERR_EXISTS, "overview table '%s' exists", nm);
  if (strwidth == 0) strwidth = 1;
  t->mtype = build_type(cols_of(k), strwidth);
  if (t->mtype < 0) return cpet__h5_err("overview table type", nm);
  cpet_status st = describe(t, nm);
  if (st != CPET_OK) {
    cpet__ov_close(t);
    return st;
  }
  hsize_t chunk = chunk_bytes(k) / t->rowsize;
  if (chunk < 1) chunk = 1;
  hsize_t dims[1] = {0}, maxdims[1] = {H5S_UNLIMITED};
  hid_t sp = H5Screate_simple(1, dims, maxdims);
  hid_t dcpl = H5Pcreate(H5P_DATASET_CREATE);
  if (sp < 0 || dcpl < 0 || H5Pset_chunk(dcpl, 1, &chunk) < 0)
    st = cpet__h5_err("table creation properties", nm);
  if (st == CPET_OK) st = cpet__filter_apply(dcpl, f, t->rowsize, CPET__FILTER_TABLE);
  if (st == CPET_OK) {
    t->dset = H5Dcreate2(ovgrp, nm, t->mtype, sp, H5P_DEFAULT, dcpl, H5P_DEFAULT);
    if (t->dset < 0) st = cpet__h5_err("H5Dcreate2", nm);
  }
  cpet__h5_close(sp);
  cpet__h5_close(dcpl);
  if (st == CPET_OK) st = table_attrs(t, k);
  if (st != CPET_OK) cpet__ov_close(t);
  return st;
}

cpet_status cpet__ov_remove(hid_t ovgrp, cpet__ov_kind k) {
  const char *nm = cpet__ov_name(k);
  htri_t e = H5Lexists(ovgrp, nm, H5P_DEFAULT);
  if (e < 0) return cpet__h5_err("H5Lexists", nm);
  if (e > 0 && H5Ldelete(ovgrp, nm, H5P_DEFAULT) < 0) return cpet__h5_err("H5Ldelete", nm);
  return CPET_OK;
}

static const cpet__ovcol *col(const cpet__ovtab *t, const char *name) {
  for (int i = 0; i < t->ncols; i++)
    if (strcmp(t->cols[i].name, name) == 0) return &t->cols[i];
  return NULL;
}

size_t cpet__ov_col_size(const cpet__ovtab *t, const char *name) {
  const cpet__ovcol *c = col(t, name);
  return c ? c->size : 0;
}

void cpet__ov_cut(const char *s, char *out, size_t cap) {
  if (cap == 0) return;
  size_t width = cap - 1, n = s ? strlen(s) : 0;
  if (n <= width) {
    if (n) memcpy(out, s, n);
    out[n] = '\0';
    return;
  }
  size_t k = width >= 3 ? width - 3 : 0;
  while (k > 0 && ((unsigned char)s[k] & 0xC0) == 0x80)
    k--; /* keep UTF-8 characters whole */
  memcpy(out, s, k);
  size_t dots = width - k < 3 ? width - k : 3;
  memcpy(out + k, "...", dots);
  out[k + dots] = '\0';
}

void cpet__ov_set_str(const cpet__ovtab *t, void *row, const char *name, const char *s) {
  const cpet__ovcol *c = col(t, name);
  if (!c || c->kind != 's') return;
  char *cell = (char *)row + c->off;
  char tmp[1100];
  char *buf = c->size + 1 <= sizeof tmp ? tmp : cpet__malloc(c->size + 1);
  memset(cell, 0, c->size);
  if (!buf) return;
  cpet__ov_cut(s ? s : "", buf, c->size + 1);
  memcpy(cell, buf, strlen(buf));
  if (buf != tmp) cpet_free(buf);
}

void cpet__ov_set_int(const cpet__ovtab *t, void *row, const char *name, int64_t v) {
  const cpet__ovcol *c = col(t, name);
  if (!c || c->kind != 'i') return;
  if (c->size == 4) {
    int32_t x = (int32_t)v; /* IntCol wraps like numpy's int32 cast */
    memcpy((char *)row + c->off, &x, 4);
  } else {
    memcpy((char *)row + c->off, &v, 8);
  }
}

void cpet__ov_set_f64(const cpet__ovtab *t, void *row, const char *name, double v) {
  const cpet__ovcol *c = col(t, name);
  if (c && c->kind == 'f') memcpy((char *)row + c->off, &v, 8);
}

void cpet__ov_set_bool(const cpet__ovtab *t, void *row, const char *name, int b) {
  const cpet__ovcol *c = col(t, name);
  if (c && c->kind == 'b') ((unsigned char *)row)[c->off] = b ? 1 : 0;
}

void cpet__ov_get_str(const cpet__ovtab *t, const void *row, const char *name, char *buf,
                      size_t cap) {
  if (!cap) return;
  buf[0] = '\0';
  const cpet__ovcol *c = col(t, name);
  if (!c || c->kind != 's') return;
  size_t n = c->size < cap - 1 ? c->size : cap - 1;
  memcpy(buf, (const char *)row + c->off, n);
  buf[n] = '\0';
}

int64_t cpet__ov_get_int(const cpet__ovtab *t, const void *row, const char *name) {
  const cpet__ovcol *c = col(t, name);
  if (!c || c->kind != 'i') return 0;
  if (c->size == 4) {
    int32_t x;
    memcpy(&x, (const char *)row + c->off, 4);
    return x;
  }
  int64_t x;
  memcpy(&x, (const char *)row + c->off, 8);
  return x;
}

double cpet__ov_get_f64(const cpet__ovtab *t, const void *row, const char *name) {
  const cpet__ovcol *c = col(t, name);
  double x = 0.0;
  if (c && c->kind == 'f') memcpy(&x, (const char *)row + c->off, 8);
  return x;
}

static cpet_status rows_io(const cpet__ovtab *t, hsize_t first, size_t n, void *rows, int write) {
  hsize_t start[1] = {first}, count[1] = {n};
  hid_t fs = H5Dget_space(t->dset);
  hid_t ms = H5Screate_simple(1, count, NULL);
  cpet_status st = CPET_OK;
  if (fs < 0 || ms < 0 || H5Sselect_hyperslab(fs, H5S_SELECT_SET, start, NULL, count, NULL) < 0)
    st = cpet__h5_err("table selection", "overview");
  else if (write ? H5Dwrite(t->dset, t->mtype, ms, fs, H5P_DEFAULT, rows) < 0
                 : H5Dread(t->dset, t->mtype, ms, fs, H5P_DEFAULT, rows) < 0)
    st = cpet__h5_err(write ? "H5Dwrite" : "H5Dread", "overview table");
  cpet__h5_close(fs);
  cpet__h5_close(ms);
  return st;
}

cpet_status cpet__ov_write(cpet__ovtab *t, hsize_t first, const void *rows, size_t n) {
  if (n == 0) return CPET_OK;
  int grew = 0;
  if (first + n > t->nrows) {
    hsize_t dims[1] = {first + n};
    if (H5Dset_extent(t->dset, dims) < 0) return cpet__h5_err("H5Dset_extent", "overview table");
    t->nrows = first + n;
    grew = 1;
  }
  CPET__CHECK(rows_io(t, first, n, (void *)rows, 1));
  return grew ? write_nrows(t) : CPET_OK;
}

cpet_status cpet__ov_append(cpet__ovtab *t, const void *rows, size_t n) {
  return cpet__ov_write(t, t->nrows, rows, n);
}

cpet_status cpet__ov_read(const cpet__ovtab *t, hsize_t first, size_t n, void *rows) {
  if (n == 0) return CPET_OK;
  if (first + n > t->nrows) return cpet__err(CPET_ERR_RANGE, "overview rows out of range");
  return rows_io(t, first, n, rows, 0);
}

uint64_t cpet__ov_hash(const void *p, size_t n) {
  const unsigned char *b = p;
  uint64_t h = 1469598103934665603ULL;
  for (size_t i = 0; i < n; i++)
    h = (h ^ b[i]) * 1099511628211ULL;
  return h ? h : 1;
}
