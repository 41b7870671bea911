/* h5attr.c - attributes in the encodings PyTables uses (spec 2.1): UTF-8 strings, B8 bools,
 * numpy-typed numbers and arrays, protocol-0 pickles in ASCII strings ending in '.'. */
#include <string.h>

#include "h5/h5_int.h"
#include "layout/layout_int.h"
#include "value/value_int.h"

int cpet__h5_attr_exists(hid_t obj, const char *name) { return H5Aexists(obj, name) > 0; }

cpet_status cpet__h5_attr_delete(hid_t obj, const char *name) {
  htri_t e = H5Aexists(obj, name);
  if (e < 0) return cpet__h5_err("H5Aexists", name);
  if (e > 0 && H5Adelete(obj, name) < 0) return cpet__h5_err("H5Adelete", name);
  return CPET_OK;
}

/* Writes a scalar (or null-space) attribute of type `type` from `buf`, replacing one. */
static cpet_status attr_put(hid_t obj, const char *name, hid_t type, hid_t space, const void *buf) {
  CPET__CHECK(cpet__h5_attr_delete(obj, name));
  hid_t a = H5Acreate2(obj, name, type, space, H5P_DEFAULT, H5P_DEFAULT);
  if (a < 0) return cpet__h5_err("H5Acreate2", name);
  if (buf && H5Awrite(a, type, buf) < 0) {
    cpet_status st = cpet__h5_err("H5Awrite", name);
    H5Aclose(a);
    return st;
  }
  if (H5Aclose(a) < 0) return cpet__h5_err("H5Aclose", name);
  return CPET_OK;
}

static cpet_status write_string(hid_t obj, const char *name, const char *s, size_t len,
                                H5T_cset_t cset) {
  hid_t t = H5Tcopy(H5T_C_S1);
  hid_t sp = H5Screate(len ? H5S_SCALAR : H5S_NULL);
  cpet_status st = CPET_OK;
  if (t < 0 || sp < 0 || H5Tset_size(t, len ? len : 1) < 0 ||
      H5Tset_strpad(t, H5T_STR_NULLTERM) < 0 || H5Tset_cset(t, cset) < 0)
    st = cpet__h5_err("string attribute type", name);
  else
    st = attr_put(obj, name, t, sp, len ? s : NULL);
  cpet__h5_close(t);
  cpet__h5_close(sp);
  return st;
}

cpet_status cpet__h5_attr_write_str(hid_t obj, const char *name, const char *s) {
  return write_string(obj, name, s ? s : "", s ? strlen(s) : 0, H5T_CSET_UTF8);
}

static cpet_status write_scalar(hid_t obj, const char *name, hid_t type, const void *buf) {
  hid_t sp = H5Screate(H5S_SCALAR);
  if (sp < 0) return cpet__h5_err("H5Screate", name);
  cpet_status st = attr_put(obj, name, type, sp, buf);
  H5Sclose(sp);
  return st;
}

cpet_status cpet__h5_attr_write_bool(hid_t obj, const char *name, int b) {
  unsigned char v = b ? 1 : 0;
  return write_scalar(obj, name, H5T_STD_B8LE, &v);
}

cpet_status cpet__h5_attr_write_i64(hid_t obj, const char *name, int64_t v) {
  return write_scalar(obj, name, H5T_STD_I64LE, &v);
}

cpet_status cpet__h5_attr_write_value(hid_t obj, const char *name, const cpet_value *v) {
  cpet_kind k = cpet_value_kind(v);
  cpet_type t = cpet_value_type(v);
  if (k == CPET_KIND_SCALAR && t != CPET_T_NONE) {
    if (t == CPET_T_PY_STR || t == CPET_T_STR)
      return write_string(obj, name, cpet_value_data(v), cpet_value_itemsize(v), H5T_CSET_UTF8);
    if (t == CPET_T_PY_BYTES || t == CPET_T_BYTES)
      return write_string(obj, name, cpet_value_data(v), cpet_value_itemsize(v), H5T_CSET_ASCII);
    hid_t ty = cpet__h5_type_for(t, cpet_value_itemsize(v), 0);
    if (ty < 0) return cpet__err(CPET_ERR_TYPE, "attribute '%s': no HDF5 type", name);
    cpet_status st = write_scalar(obj, name, ty, cpet_value_data(v));
    H5Tclose(ty);
    return st;
  }
  if (k == CPET_KIND_NDARRAY && t != CPET_T_NONE && cpet_value_nelem(v) > 0) {
    int nd = cpet_value_ndim(v);
    hsize_t dims[CPET_MAX_NDIM];
    for (int i = 0; i < nd; i++)
      dims[i] = cpet_value_shape(v)[i];
    hid_t ty = cpet__h5_type_for(t, cpet_value_itemsize(v), 0);
    hid_t sp = nd ? H5Screate_simple(nd, dims, NULL) : H5Screate(H5S_SCALAR);
    cpet_status st;
    if (ty < 0 || sp < 0)
      st = cpet__err(CPET_ERR_TYPE, "attribute '%s': no HDF5 type for the array", name);
    else
      st = attr_put(obj, name, ty, sp, cpet_value_data(v));
    cpet__h5_close(ty);
    cpet__h5_close(sp);
    return st;
  }
  /* None, lists, tuples, dicts: PyTables pickles them with protocol 0 into an ASCII string. */
  char *p = NULL;
  size_t len = 0;
  cpet_status st = cpet__pickle_encode0(v, &p, &len);
  if (st != CPET_OK) return st;
  st = write_string(obj, name, p, len, H5T_CSET_ASCII);
  cpet_free(p);
  return st;
}

/* Raw contents of a string attribute: bytes (fixed: full buffer with trailing NULs stripped;
 * variable: up to the NUL), cset, and whether the dataspace is scalar/null. */
static cpet_status read_raw_string(hid_t a, hid_t ft, const char *name, char **out, size_t *len) {
  hid_t sp = H5Aget_space(a);
  if (sp < 0) return cpet__h5_err("H5Aget_space", name);
  H5S_class_t sc = H5Sget_simple_extent_type(sp);
  hssize_t np = H5Sget_simple_extent_npoints(sp);
  H5Sclose(sp);
  if (sc == H5S_NULL || np == 0) {
    *out = cpet__strdup("");
    *len = 0;
    return *out ? CPET_OK : cpet__err(CPET_ERR_NOMEM, "attribute '%s'", name);
  }
  if (np != 1) return cpet__err(CPET_ERR_TYPE, "attribute '%s' is a string array", name);
  if (H5Tis_variable_str(ft) > 0) {
    hid_t mt = H5Tcopy(H5T_C_S1);
    char *vs = NULL;
    if (mt < 0 || H5Tset_size(mt, H5T_VARIABLE) < 0 || H5Tset_cset(mt, H5Tget_cset(ft)) < 0 ||
        H5Aread(a, mt, &vs) < 0) {
      cpet__h5_close(mt);
      return cpet__h5_err("H5Aread", name);
    }
    H5Tclose(mt);
    *len = vs ? strlen(vs) : 0;
    *out = cpet__strndup(vs ? vs : "", *len);
    if (vs) H5free_memory(vs);
    return *out ? CPET_OK : cpet__err(CPET_ERR_NOMEM, "attribute '%s'", name);
  }
  size_t sz = H5Tget_size(ft);
  char *buf = cpet__calloc(sz + 1, 1);
  if (!buf) return cpet__err(CPET_ERR_NOMEM, "attribute '%s'", name);
  hid_t mt = H5Tcopy(ft);
  if (mt < 0 || H5Aread(a, mt, buf) < 0) {
    cpet__h5_close(mt);
    cpet_free(buf);
    return cpet__h5_err("H5Aread", name);
  }
  H5Tclose(mt);
  while (sz > 0 && buf[sz - 1] == '\0')
    sz--;
  buf[sz] = '\0';
  *out = buf;
  *len = sz;
  return CPET_OK;
}

cpet_status cpet__h5_attr_read_str(hid_t obj, const char *name, char **out) {
  *out = NULL;
  htri_t e = H5Aexists(obj, name);
  if (e < 0) return cpet__h5_err("H5Aexists", name);
  if (e == 0) return cpet__err(CPET_ERR_NOTFOUND, "attribute '%s' not found", name);
  hid_t a = H5Aopen(obj, name, H5P_DEFAULT);
  if (a < 0) return cpet__h5_err("H5Aopen", name);
  hid_t ft = H5Aget_type(a);
  cpet_status st;
  if (ft < 0)
    st = cpet__h5_err("H5Aget_type", name);
  else if (H5Tget_class(ft) != H5T_STRING)
    st = cpet__err(CPET_ERR_TYPE, "attribute '%s' is not a string", name);
  else {
    size_t len;
    st = read_raw_string(a, ft, name, out, &len);
  }
  cpet__h5_close(ft);
  H5Aclose(a);
  return st;
}

int cpet__h5_attr_true(hid_t obj, const char *name) {
  if (H5Aexists(obj, name) <= 0) return 0;
  cpet_value *v = NULL;
  if (cpet__h5_attr_read_value(obj, name, &v) != CPET_OK) return 0;
  int r = 0;
  int64_t i;
  double d;
  if (cpet_value_to_i64(v, &i) == CPET_OK)
    r = i != 0;
  else if (cpet_value_to_f64(v, &d) == CPET_OK)
    r = d != 0;
  else if (cpet_value_kind(v) == CPET_KIND_SCALAR && cpet_value_type(v) != CPET_T_NONE)
    r = cpet_value_itemsize(v) > 0; /* non-empty strings are truthy */
  cpet_value_free(v);
  return r;
}

static cpet_status read_string_value(hid_t a, hid_t ft, const char *name, cpet_value **out) {
  char *s = NULL;
  size_t len = 0;
  CPET__CHECK(read_raw_string(a, ft, name, &s, &len));
  cpet_status st;
  H5T_cset_t cs = H5Tget_cset(ft);
  if (cs == H5T_CSET_ASCII && len > 0 && s[len - 1] == '.') {
    /* PyTables unpickles every ASCII scalar string ending in '.' (spec 2.1). */
    st = cpet__pickle_decode(s, len, out);
    if (st != CPET_OK) {
      cpet_errclear(); /* not a pickle of plain data: kept opaque */
      st = cpet_value_new_pickle(s, len, 0, out);
    }
  } else {
    st = cpet_value_new_scalar(cs == H5T_CSET_UTF8 ? CPET_T_STR : CPET_T_BYTES, s, len, out);
  }
  cpet_free(s);
  return st;
}

cpet_status cpet__h5_attr_read_value(hid_t obj, const char *name, cpet_value **out) {
  *out = NULL;
  htri_t e = H5Aexists(obj, name);
  if (e < 0) return cpet__h5_err("H5Aexists", name);
  if (e == 0) return cpet__err(CPET_ERR_NOTFOUND, "attribute '%s' not found", name);
  hid_t a = H5Aopen(obj, name, H5P_DEFAULT), ft = -1, sp = -1, mt = -1;
  cpet_status st = CPET_OK;
  cpet_value *v = NULL;
  if (a < 0) return cpet__h5_err("H5Aopen", name);
  if ((ft = H5Aget_type(a)) < 0 || (sp = H5Aget_space(a)) < 0) {
    st = cpet__h5_err("H5Aget_type", name);
    goto done;
  }
  H5S_class_t sc = H5Sget_simple_extent_type(sp);
  if (H5Tget_class(ft) == H5T_STRING && (sc != H5S_SIMPLE)) {
    st = read_string_value(a, ft, name, &v);
    goto done;
  }
  cpet_type t;
  size_t isz;
  if ((st = cpet__h5_type_classify(ft, &t, &isz)) != CPET_OK) goto done;
  if (t == CPET_T_BYTES && isz == 0) {
    st = cpet__err(CPET_ERR_UNSUPPORTED, "attribute '%s': variable-length string array", name);
    goto done;
  }
  int nd = 0;
  hsize_t dims[CPET_MAX_NDIM];
  size_t shape[CPET_MAX_NDIM];
  if (sc == H5S_SIMPLE) {
    nd = H5Sget_simple_extent_ndims(sp);
    if (nd < 0 || nd > CPET_MAX_NDIM) {
      st = cpet__err(CPET_ERR_UNSUPPORTED, "attribute '%s': rank %d", name, nd);
      goto done;
    }
    H5Sget_simple_extent_dims(sp, dims, NULL);
    for (int i = 0; i < nd; i++)
      shape[i] = (size_t)dims[i];
  } else if (sc == H5S_NULL) {
    st = cpet_value_new_none(&v);
    goto done;
  }
  void *data = NULL;
  st = cpet__value_new_array_uninit(nd ? CPET_KIND_NDARRAY : CPET_KIND_SCALAR, t, isz, nd, shape,
                                    &v, &data);
  if (st != CPET_OK) goto done;
  if (data) {
    mt = cpet__h5_mem_type(t, isz, ft);
    if (mt < 0 || H5Aread(a, mt, data) < 0) {
      st = cpet__h5_err("H5Aread", name);
      goto done;
    }
  }
done:
  cpet__h5_close(mt);
  cpet__h5_close(ft);
  cpet__h5_close(sp);
  H5Aclose(a);
  if (st != CPET_OK) {
    cpet_value_free(v);
    return st;
  }
  *out = v;
  return CPET_OK;
}

typedef struct {
  int (*fn)(const char *, void *);
  void *ud;
} iter_ctx;

static herr_t iter_cb(hid_t loc, const char *name, const H5A_info_t *info, void *ud) {
  (void)loc;
  (void)info;
  iter_ctx *c = ud;
  return c->fn(name, c->ud) ? 1 : 0;
}

cpet_status cpet__h5_attr_iterate(hid_t obj, int (*fn)(const char *name, void *ud), void *ud) {
  iter_ctx c = {fn, ud};
  hsize_t idx = 0;
  if (H5Aiterate2(obj, H5_INDEX_NAME, H5_ITER_INC, &idx, iter_cb, &c) < 0)
    return cpet__h5_err("H5Aiterate2", "");
  return CPET_OK;
}
