/* sparse_io.c - SparseParameter/SparseResult serialisation (spec 8.1): scipy.sparse.save_npz
 * into memory, then the archive bytes as a lowercase hex string. We write stored members in
 * scipy's order (indices, indptr | offsets, format, shape, data); we read stored or deflated
 * archives as scipy/numpy write them. */
#include "layout/layout_int.h"
#include "layout/npz_int.h"
#include "value/value_int.h"

#include <string.h>

static const char *const FMT_NAMES[] = {"csr", "csc", "bsr", "dia"};

cpet_status cpet__sparse_to_hex(const cpet_value *v, char **hex, size_t *len) {
  if (!v || !hex || !len) return cpet__err(CPET_ERR_INVAL, "sparse to hex: NULL argument");
  *hex = NULL;
  *len = 0;
  if (cpet_value_kind(v) != CPET_KIND_SPARSE)
    return cpet__err(CPET_ERR_TYPE, "sparse to hex: value is a %s",
                     cpet_kind_name(cpet_value_kind(v)));
  cpet_sparse_format f = cpet_value_sparse_format(v);
  const size_t *sh = cpet_value_shape(v);
  int64_t shape64[2] = {(int64_t)sh[0], (int64_t)sh[1]};
  size_t two = 2;
  cpet_value *shapev = NULL, *fmtv = NULL;
  cpet_status st =
      cpet_value_new_array(CPET_KIND_NDARRAY, CPET_T_INT64, 0, 1, &two, shape64, &shapev);
  if (st == CPET_OK) st = cpet_value_new_scalar(CPET_T_BYTES, FMT_NAMES[f], 3, &fmtv);
  const char *names[5];
  const cpet_value *vals[5];
  size_t n = 0;
  if (f == CPET_SPARSE_DIA) {
    names[n] = "offsets.npy", vals[n++] = cpet_value_get(v, "offsets");
  } else {
    names[n] = "indices.npy", vals[n++] = cpet_value_get(v, "indices");
    names[n] = "indptr.npy", vals[n++] = cpet_value_get(v, "indptr");
  }
  names[n] = "format.npy", vals[n++] = fmtv;
  names[n] = "shape.npy", vals[n++] = shapev;
  names[n] = "data.npy", vals[n++] = cpet_value_get(v, "data");
  cpet__zip_member mem[5];
  memset(mem, 0, sizeof mem);
  for (size_t i = 0; st == CPET_OK && i < n; i++) {
    if (!vals[i])
      st = cpet__err(CPET_ERR_INVAL, "sparse to hex: member %s missing", names[i]);
    else
      st = cpet__npy_write(vals[i], &mem[i].data, &mem[i].len);
    mem[i].name = (char *)names[i];
  }
  unsigned char *zip = NULL;
  size_t zlen = 0;
  if (st == CPET_OK) st = cpet__zip_write(mem, n, &zip, &zlen);
  for (size_t i = 0; i < n; i++)
    cpet_free(mem[i].data);
  cpet_value_free(shapev);
  cpet_value_free(fmtv);
  if (st != CPET_OK) return st;
  char *h = cpet__malloc(zlen * 2 + 1);
  if (!h) {
    cpet_free(zip);
    return cpet__err(CPET_ERR_NOMEM, "sparse to hex: out of memory");
  }
  static const char digits[] = "0123456789abcdef";
  for (size_t i = 0; i < zlen; i++)
    h[2 * i] = digits[zip[i] >> 4], h[2 * i + 1] = digits[zip[i] & 15];
  h[zlen * 2] = 0;
  cpet_free(zip);
  *hex = h;
  *len = zlen * 2;
  return CPET_OK;
}

static int hexval(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

static cpet_status member(cpet__zip_member *m, size_t n, const char *name, int required,
                          cpet_value **out) {
  *out = NULL;
  for (size_t i = 0; i < n; i++)
    if (strcmp(m[i].name, name) == 0) {
      cpet_status st = cpet__npy_read(m[i].data, m[i].len, out);
      if (st != CPET_OK) cpet__err_context("sparse member %s", name);
      return st;
    }
  return required ? cpet__err(CPET_ERR_CORRUPT, "sparse archive: member %s missing", name)
                  : CPET_OK;
}

cpet_status cpet__sparse_from_hex(const char *hex, size_t len, cpet_value **out) {
  if (!hex || !out) return cpet__err(CPET_ERR_INVAL, "sparse from hex: NULL argument");
  *out = NULL;
  while (len && (hex[len - 1] == 0 || hex[len - 1] == ' '))
    len--; /* padded string cells */
  if (len % 2) return cpet__err(CPET_ERR_CORRUPT, "sparse hex of odd length %zu", len);
  unsigned char *zip = cpet__malloc(len / 2 + 1);
  if (!zip) return cpet__err(CPET_ERR_NOMEM, "sparse from hex: out of memory");
  for (size_t i = 0; i < len / 2; i++) {
    int a = hexval(hex[2 * i]), b = hexval(hex[2 * i + 1]);
    if (a < 0 || b < 0) {
      cpet_free(zip);
      return cpet__err(CPET_ERR_CORRUPT, "sparse hex: bad digit at %zu", 2 * i);
    }
    zip[i] = (unsigned char)(a << 4 | b);
  }
  cpet__zip_member *m = NULL;
  size_t n = 0;
  cpet_status st = cpet__zip_read(zip, len / 2, &m, &n);
  cpet_free(zip);
  CPET__CHECK(st);
  cpet_value *fmt = NULL, *shape = NULL, *data = NULL, *a = NULL, *b = NULL;
  int f = -1;
  st = member(m, n, "format.npy", 1, &fmt);
  if (st == CPET_OK) {
    if (cpet_value_type(fmt) != CPET_T_BYTES || cpet_value_nelem(fmt) != 1)
      st = cpet__err(CPET_ERR_CORRUPT, "sparse archive: format.npy is no bytes scalar");
    else
      for (int i = 0; i < 4; i++) {
        size_t l = cpet__value_string_len(cpet_value_data(fmt), cpet_value_itemsize(fmt));
        if (l == 3 && memcmp(cpet_value_data(fmt), FMT_NAMES[i], 3) == 0) f = i;
      }
    if (st == CPET_OK && f < 0)
      st = cpet__err(CPET_ERR_UNSUPPORTED,
                     "sparse archive: format '%.8s' (pypet knows csr/csc/bsr/dia)",
                     (const char *)cpet_value_data(fmt));
  }
  if (st == CPET_OK) st = member(m, n, "shape.npy", 1, &shape);
  if (st == CPET_OK) st = member(m, n, "data.npy", 1, &data);
  if (st == CPET_OK) st = member(m, n, f == CPET_SPARSE_DIA ? "offsets.npy" : "indices.npy", 1, &a);
  if (st == CPET_OK && f != CPET_SPARSE_DIA) st = member(m, n, "indptr.npy", 1, &b);
  cpet__zip_free(m, n);
  int64_t dims[2] = {-1, -1};
  if (st == CPET_OK) {
    if (cpet_value_nelem(shape) != 2 || !cpet__type_is_int(cpet_value_type(shape)))
      st = cpet__err(CPET_ERR_CORRUPT, "sparse archive: shape.npy is no pair of ints");
    for (size_t i = 0; st == CPET_OK && i < 2; i++) {
      cpet_value *cell;
      st = cpet__value_cell(shape, i, &cell);
      if (st == CPET_OK) st = cpet_value_to_i64(cell, &dims[i]);
      cpet_value_free(cell);
      if (st == CPET_OK && dims[i] < 0) st = cpet__err(CPET_ERR_CORRUPT, "sparse: negative shape");
    }
  }
  cpet_value_free(fmt);
  cpet_value_free(shape);
  if (st != CPET_OK) {
    cpet_value_free(data);
    cpet_value_free(a);
    cpet_value_free(b);
    return st;
  }
  return cpet_value_new_sparse((cpet_sparse_format)f, (size_t)dims[0], (size_t)dims[1], data, a, b,
                               out);
}
