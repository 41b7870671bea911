/* write_check.h - raw-HDF5 inspection helpers and value builders shared by test_write_item.c
 * and test_write_leaf.c (the write side of src/layout). */
#ifndef CPET_WRITE_CHECK_H
#define CPET_WRITE_CHECK_H

#include <hdf5.h>
#include <stdlib.h>
#include <string.h>

#include "cpet_test.h"
#include "h5/h5_int.h"
#include "layout/layout_int.h"
#include "layout/write_int.h"
#include "tree/tree_int.h"
#include "value/value_int.h"
#include <cpet/cpet_traj.h>

static cpet_store_opts opts = CPET_STORE_OPTS_DEFAULT;
static cpet__wctx ctx = {&opts, 0};

/* ---- raw HDF5 inspection helpers ---- */

static inline char *attr_str(hid_t obj, const char *path, const char *name) {
  hid_t o = H5Oopen(obj, path, H5P_DEFAULT);
  char *s = NULL;
  if (o >= 0 && cpet__h5_attr_exists(o, name)) cpet__h5_attr_read_str(o, name, &s);
  if (o >= 0) H5Oclose(o);
  return s;
}
#define CHECK_ATTR(obj, path, name, want)                                                          \
  do {                                                                                             \
    char *s_ = attr_str(obj, path, name);                                                          \
    CHECK_STR(s_, want);                                                                           \
    cpet_free(s_);                                                                                 \
  } while (0)
#define CHECK_NOATTR(obj, path, name)                                                              \
  do {                                                                                             \
    char *s_ = attr_str(obj, path, name);                                                          \
    CPET_CHECK_(s_ == NULL, "%s@%s should be absent, is \"%s\"", path, name, s_);                  \
    cpet_free(s_);                                                                                 \
  } while (0)

static inline int attr_cset(hid_t obj, const char *path, const char *name) {
  hid_t a = H5Aopen_by_name(obj, path, name, H5P_DEFAULT, H5P_DEFAULT);
  if (a < 0) return -1;
  hid_t t = H5Aget_type(a);
  int c = H5Tget_class(t) == H5T_STRING ? (int)H5Tget_cset(t) : -2;
  H5Tclose(t);
  H5Aclose(a);
  return c;
}

static inline int64_t attr_int(hid_t obj, const char *path, const char *name) {
  int64_t v = -999;
  hid_t a = H5Aopen_by_name(obj, path, name, H5P_DEFAULT, H5P_DEFAULT);
  if (a < 0) return v;
  H5Aread(a, H5T_NATIVE_INT64, &v);
  H5Aclose(a);
  return v;
}

typedef struct {
  int rank;
  hsize_t dims[8], maxd[8], chunk[8];
  H5T_class_t cls;
  size_t tsize;
  int chunked, nfilters, filt[4];
} dsinfo;

static inline int ds_info(hid_t loc, const char *path, dsinfo *i) {
  memset(i, 0, sizeof *i);
  hid_t d = H5Dopen2(loc, path, H5P_DEFAULT);
  if (d < 0) return -1;
  hid_t sp = H5Dget_space(d), t = H5Dget_type(d), p = H5Dget_create_plist(d);
  i->rank = H5Sget_simple_extent_dims(sp, i->dims, i->maxd);
  i->cls = H5Tget_class(t);
  i->tsize = H5Tget_size(t);
  i->chunked = H5Pget_layout(p) == H5D_CHUNKED;
  if (i->chunked) H5Pget_chunk(p, 8, i->chunk);
  i->nfilters = H5Pget_nfilters(p);
  for (int k = 0; k < i->nfilters && k < 4; k++) {
    unsigned flags, cd[8];
    size_t ncd = 8;
    i->filt[k] = (int)H5Pget_filter2(p, (unsigned)k, &flags, &ncd, cd, 0, NULL, NULL);
  }
  H5Pclose(p);
  H5Tclose(t);
  H5Sclose(sp);
  H5Dclose(d);
  return 0;
}

/* Reads a whole dataset with the given memory type into buf. */
static inline int ds_read(hid_t loc, const char *path, hid_t mtype, void *buf) {
  hid_t d = H5Dopen2(loc, path, H5P_DEFAULT);
  if (d < 0) return -1;
  herr_t e = H5Dread(d, mtype, H5S_ALL, H5S_ALL, H5P_DEFAULT, buf);
  H5Dclose(d);
  return e < 0 ? -1 : 0;
}

/* Compound member i: name and class/size. */
static inline char *member(hid_t loc, const char *path, unsigned i, H5T_class_t *cls,
                           size_t *size) {
  hid_t d = H5Dopen2(loc, path, H5P_DEFAULT);
  if (d < 0) return NULL;
  hid_t t = H5Dget_type(d);
  char *nm = NULL;
  if ((int)i < H5Tget_nmembers(t)) {
    char *n = H5Tget_member_name(t, i);
    nm = cpet__strdup(n);
    H5free_memory(n);
    hid_t mt = H5Tget_member_type(t, i);
    *cls = H5Tget_class(mt);
    *size = H5Tget_size(mt);
    H5Tclose(mt);
  }
  H5Tclose(t);
  H5Dclose(d);
  return nm;
}

static inline int nmembers(hid_t loc, const char *path) {
  hid_t d = H5Dopen2(loc, path, H5P_DEFAULT);
  if (d < 0) return -1;
  hid_t t = H5Dget_type(d);
  int n = H5Tget_nmembers(t);
  H5Tclose(t);
  H5Dclose(d);
  return n;
}

/* Reads one field of a compound table into buf (memory type mt). */
static inline int read_field(hid_t loc, const char *path, const char *field, hid_t mt, size_t sz,
                             void *buf) {
  hid_t c = H5Tcreate(H5T_COMPOUND, sz);
  H5Tinsert(c, field, 0, mt);
  int r = ds_read(loc, path, c, buf);
  H5Tclose(c);
  return r;
}

/* Round trip through the reader: the item must come back equal. */
static inline void check_rt(hid_t grp, const char *name, const cpet_value *want, cpet_flag wflag) {
  cpet_value *got = NULL;
  cpet_flag flag;
  int st = cpet__layout_read_item(grp, name, "utf8", &got, &flag);
  CPET_CHECK_(st == CPET_OK, "read back '%s': %s %s", name, cpet_errname(st), cpet_errmsg());
  if (st != CPET_OK) return;
  CPET_CHECK_(cpet_value_equal(got, want), "round trip of '%s' differs (kind %s type %s)", name,
              cpet_kind_name(cpet_value_kind(got)), cpet_type_name(cpet_value_type(got)));
  if (wflag != CPET_FLAG_AUTO) CHECK_INT(flag, wflag);
  cpet_value_free(got);
}

/* ---- value builders ---- */

static inline cpet_value *arr(cpet_kind k, cpet_type t, int nd, const size_t *sh,
                              const void *data) {
  cpet_value *v = NULL;
  cpet_value_new_array(k, t, 0, nd, sh, data, &v);
  return v;
}

static inline cpet_value *vint(int64_t i) {
  cpet_value *v = NULL;
  cpet_value_new_int(i, &v);
  return v;
}

static inline hid_t leaf_group(hid_t file, const char *name) {
  return H5Gcreate2(file, name, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
}

#endif
