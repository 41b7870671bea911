/* value.c - type helpers, constructors and lifetime of cpet_value. */
#include <stdint.h>
#include <string.h>

#include "value/value_int.h"

/* ---- types ---- */

static const char *const type_names[CPET_T_COUNT] = {
    "NoneType", "bool",    "int",       "float",      "complex", "str",    "bytes",  "bool_",
    "int8",     "int16",   "int32",     "int64",      "uint8",   "uint16", "uint32", "uint64",
    "float32",  "float64", "complex64", "complex128", "str_",    "bytes_"};

static const size_t type_sizes[CPET_T_COUNT] = {0, 1, 8, 8, 16, 0, 0, 1, 1,  2, 4,
                                                8, 1, 2, 4, 8,  4, 8, 8, 16, 0, 0};

const char *cpet_type_name(cpet_type t) {
  if ((int)t < 0 || t >= CPET_T_COUNT) return "unknown";
  return type_names[t];
}

size_t cpet_type_size(cpet_type t) {
  if ((int)t < 0 || t >= CPET_T_COUNT) return 0;
  return type_sizes[t];
}

static const struct {
  const char *name;
  cpet_type t;
} type_aliases[] = {
    {"long", CPET_T_PY_INT},       {"unicode", CPET_T_PY_STR},   {"bool8", CPET_T_BOOL},
    {"int_", CPET_T_INT64},        {"float_", CPET_T_FLOAT64},   {"complex_", CPET_T_COMPLEX128},
    {"string_", CPET_T_BYTES},     {"unicode_", CPET_T_STR},     {"bytes0", CPET_T_BYTES},
    {"str0", CPET_T_STR},          {"double", CPET_T_FLOAT64},   {"single", CPET_T_FLOAT32},
    {"longlong", CPET_T_INT64},    {"ulonglong", CPET_T_UINT64}, {"cdouble", CPET_T_COMPLEX128},
    {"csingle", CPET_T_COMPLEX64}, {"None", CPET_T_NONE},
};

cpet_status cpet_type_from_name(const char *name, cpet_type *out) {
  if (!name || !out) return cpet__err(CPET_ERR_INVAL, "cpet_type_from_name: NULL argument");
  const char *s = name;
  size_t n = strlen(s);
  /* Legacy "<type 'int'>" / "<class 'numpy.int64'>" forms: keep what is inside the quotes. */
  if ((strncmp(s, "<type '", 7) == 0 || strncmp(s, "<class '", 8) == 0) && n >= 10 &&
      strcmp(s + n - 2, "'>") == 0) {
    s = strchr(s, '\'') + 1;
    n = (size_t)(name + strlen(name) - 2 - s);
  }
  if (n > 6 && strncmp(s, "numpy.", 6) == 0) {
    s += 6;
    n -= 6;
  }
  for (int t = 0; t < CPET_T_COUNT; t++) {
    if (strlen(type_names[t]) == n && strncmp(type_names[t], s, n) == 0) {
      *out = (cpet_type)t;
      return CPET_OK;
    }
  }
  for (size_t i = 0; i < sizeof type_aliases / sizeof type_aliases[0]; i++) {
    if (strlen(type_aliases[i].name) == n && strncmp(type_aliases[i].name, s, n) == 0) {
      *out = type_aliases[i].t;
      return CPET_OK;
    }
  }
  return cpet__err(CPET_ERR_TYPE, "unknown scalar type name '%s'", name);
}

const char *cpet_kind_name(cpet_kind k) {
  static const char *const names[CPET_KIND_COUNT] = {
      "scalar",      "ndarray",   "matrix", "list",   "tuple", "dict",
      "ObjectTable", "DataFrame", "Series", "sparse", "pickle"};
  if ((int)k < 0 || k >= CPET_KIND_COUNT) return "unknown";
  return names[k];
}

int cpet__type_is_string(cpet_type t) {
  return t == CPET_T_PY_STR || t == CPET_T_PY_BYTES || t == CPET_T_STR || t == CPET_T_BYTES;
}
int cpet__type_is_uint(cpet_type t) { return t >= CPET_T_UINT8 && t <= CPET_T_UINT64; }
int cpet__type_is_int(cpet_type t) {
  return t == CPET_T_PY_INT || (t >= CPET_T_INT8 && t <= CPET_T_UINT64);
}
int cpet__type_is_float(cpet_type t) {
  return t == CPET_T_PY_FLOAT || t == CPET_T_FLOAT32 || t == CPET_T_FLOAT64;
}
int cpet__type_is_complex(cpet_type t) {
  return t == CPET_T_PY_COMPLEX || t == CPET_T_COMPLEX64 || t == CPET_T_COMPLEX128;
}
int cpet__type_is_bool(cpet_type t) { return t == CPET_T_PY_BOOL || t == CPET_T_BOOL; }
int cpet__type_is_python(cpet_type t) { return t >= CPET_T_PY_BOOL && t <= CPET_T_PY_BYTES; }

size_t cpet__value_string_len(const char *cell, size_t itemsize) {
  while (itemsize > 0 && cell[itemsize - 1] == '\0')
    itemsize--;
  return itemsize;
}

/* ---- allocation ---- */

cpet_value *cpet__value_alloc(cpet_kind kind, cpet_type t) {
  cpet_value *v = cpet__calloc(1, sizeof *v);
  if (!v) return NULL;
  v->kind = kind;
  v->type = t;
  v->protocol = -1;
  v->itemsize = cpet_type_size(t);
  return v;
}

size_t cpet__value_nbytes(const cpet_value *v) { return v->data ? v->nelem * v->itemsize : 0; }

void cpet_value_free(cpet_value *v) {
  if (!v) return;
  for (size_t i = 0; i < v->nchildren; i++) {
    cpet_value_free(v->children[i]);
    if (v->keys) cpet_free(v->keys[i]);
  }
  cpet_free(v->children);
  cpet_free(v->keys);
  cpet_value_free(v->index);
  cpet_free(v->name);
  cpet_free(v->data);
  cpet_free(v);
}

/* Largest dimension / element count / byte size accepted: numpy's npy_intp limit. */
#define DIM_MAX ((size_t)PTRDIFF_MAX)

cpet_status cpet__value_check_array(cpet_kind kind, cpet_type t, size_t *itemsize, int ndim,
                                    const size_t *shape, size_t *nelem, size_t *nbytes) {
  if ((int)t <= CPET_T_NONE || t >= CPET_T_COUNT)
    return cpet__err(t == CPET_T_NONE ? CPET_ERR_TYPE : CPET_ERR_INVAL,
                     "typed %s needs an element type (got %d)", cpet_kind_name(kind), (int)t);
  if (ndim < 0 || ndim > CPET_MAX_NDIM)
    return cpet__err(CPET_ERR_RANGE, "rank %d outside 0..%d", ndim, CPET_MAX_NDIM);
  if (ndim > 0 && !shape) return cpet__err(CPET_ERR_INVAL, "rank %d but shape is NULL", ndim);
  int lo, hi;
  switch (kind) {
  case CPET_KIND_SCALAR:
    lo = 0, hi = 1;
    break;
  case CPET_KIND_NDARRAY:
    lo = 0, hi = CPET_MAX_NDIM;
    break;
  case CPET_KIND_MATRIX:
    lo = 2, hi = 3;
    break;
  case CPET_KIND_LIST:
  case CPET_KIND_TUPLE:
    lo = 1, hi = 2;
    break;
  default:
    return cpet__err(CPET_ERR_TYPE, "kind %s cannot hold a typed array", cpet_kind_name(kind));
  }
  if (ndim < lo || ndim > hi)
    return cpet__err(CPET_ERR_INVAL, "%s of rank %d (allowed %d..%d)", cpet_kind_name(kind), ndim,
                     lo, hi);
  size_t isz = cpet_type_size(t);
  if (cpet__type_is_string(t)) {
    isz = *itemsize;
    if (isz == 0 && !(kind == CPET_KIND_SCALAR && ndim == 0))
      return cpet__err(CPET_ERR_INVAL, "string array of itemsize 0");
    if (isz > DIM_MAX) return cpet__err(CPET_ERR_RANGE, "string itemsize %zu too large", isz);
  }
  size_t n = 1, nz = 1; /* nz: product of the non-zero dimensions, must not overflow either */
  for (int i = 0; i < ndim; i++) {
    if (shape[i] > DIM_MAX)
      return cpet__err(CPET_ERR_RANGE, "dimension %d of size %zu too large", i, shape[i]);
    if (shape[i] == 0) {
      n = 0;
      continue;
    }
    if (cpet__mul_size(nz, shape[i], &nz) != 0 || nz > DIM_MAX)
      return cpet__err(CPET_ERR_RANGE, "shape product overflows at dimension %d", i);
    if (n) n = nz;
  }
  size_t nb;
  if (cpet__mul_size(nz, isz, &nb) != 0 || nb > DIM_MAX - 1)
    return cpet__err(CPET_ERR_RANGE, "array of %zu elements of %zu bytes is too large", nz, isz);
  *itemsize = isz;
  *nelem = n;
  *nbytes = n * isz;
  return CPET_OK;
}

/* `zero`: callers that overwrite every byte (cpet_value_new_array) skip zeroing a buffer that
 * may be megabytes; the byte after the data is zeroed in any case. */
static cpet_status array_alloc(cpet_kind kind, cpet_type t, size_t itemsize, int ndim,
                               const size_t *shape, cpet_value **out, void **data, int zero) {
  if (!out) return cpet__err(CPET_ERR_INVAL, "new array: NULL out");
  *out = NULL;
  if (data) *data = NULL;
  size_t nelem, nbytes;
  CPET__CHECK(cpet__value_check_array(kind, t, &itemsize, ndim, shape, &nelem, &nbytes));
  cpet_value *v = cpet__value_alloc(kind, t);
  if (!v) return cpet__err(CPET_ERR_NOMEM, "new array: out of memory");
  v->itemsize = itemsize;
  v->ndim = ndim;
  for (int i = 0; i < ndim; i++)
    v->shape[i] = shape[i];
  v->nelem = nelem;
  v->data = zero ? cpet__calloc(nbytes + 1, 1) : cpet__malloc(nbytes + 1);
  if (!v->data) {
    cpet_free(v);
    return cpet__err(CPET_ERR_NOMEM, "new array: cannot allocate %zu bytes", nbytes);
  }
  ((char *)v->data)[nbytes] = 0;
  *out = v;
  if (data) *data = nbytes ? v->data : NULL;
  return CPET_OK;
}

cpet_status cpet__value_new_array_uninit(cpet_kind kind, cpet_type t, size_t itemsize, int ndim,
                                         const size_t *shape, cpet_value **out, void **data) {
  return array_alloc(kind, t, itemsize, ndim, shape, out, data, 1);
}

cpet_status cpet_value_new_array_zeroed(cpet_kind kind, cpet_type t, size_t itemsize, int ndim,
                                        const size_t *shape, cpet_value **out, void **data) {
  if (kind != CPET_KIND_NDARRAY && kind != CPET_KIND_MATRIX && kind != CPET_KIND_LIST &&
      kind != CPET_KIND_TUPLE)
    return cpet__err(CPET_ERR_INVAL, "new array: kind %s is not an array kind",
                     cpet_kind_name(kind));
  return array_alloc(kind, t, itemsize, ndim, shape, out, data, 1);
}

void *cpet__value_data_mut(cpet_value *v) { return v ? v->data : NULL; }

/* Bools are stored as 0/1 whatever the caller passed. */
static void normalize_bools(cpet_value *v) {
  if (!cpet__type_is_bool(v->type) || !v->data) return;
  unsigned char *p = v->data;
  for (size_t i = 0; i < v->nelem; i++)
    p[i] = p[i] != 0;
}

cpet_status cpet_value_new_array(cpet_kind kind, cpet_type t, size_t itemsize, int ndim,
                                 const size_t *shape, const void *data, cpet_value **out) {
  void *buf;
  if (!data) {
    /* Only an empty array may come without data: check before allocating anything. */
    CPET__CHECK(array_alloc(kind, t, itemsize, ndim, shape, out, &buf, 1));
  } else {
    CPET__CHECK(array_alloc(kind, t, itemsize, ndim, shape, out, &buf, 0));
  }
  if (buf) {
    if (!data) {
      size_t n = (*out)->nelem;
      cpet_value_free(*out);
      *out = NULL;
      return cpet__err(CPET_ERR_INVAL, "new array: data is NULL for %zu elements", n);
    }
    memcpy(buf, data, cpet__value_nbytes(*out));
    normalize_bools(*out);
  }
  return CPET_OK;
}

/* ---- scalars ---- */

cpet_status cpet_value_new_scalar(cpet_type t, const void *elem, size_t itemsize,
                                  cpet_value **out) {
  if (!out) return cpet__err(CPET_ERR_INVAL, "new scalar: NULL out");
  *out = NULL;
  if (t == CPET_T_NONE) {
    cpet_value *v = cpet__value_alloc(CPET_KIND_SCALAR, CPET_T_NONE);
    if (!v) return cpet__err(CPET_ERR_NOMEM, "new scalar: out of memory");
    v->nelem = 1;
    *out = v;
    return CPET_OK;
  }
  if (!elem && !(cpet__type_is_string(t) && itemsize == 0))
    return cpet__err(CPET_ERR_INVAL, "new scalar of type %s: NULL element", cpet_type_name(t));
  return cpet_value_new_array(CPET_KIND_SCALAR, t, itemsize, 0, NULL, elem, out);
}

cpet_status cpet_value_new_none(cpet_value **out) {
  return cpet_value_new_scalar(CPET_T_NONE, NULL, 0, out);
}
cpet_status cpet_value_new_bool(int b, cpet_value **out) {
  uint8_t x = b != 0;
  return cpet_value_new_scalar(CPET_T_PY_BOOL, &x, 0, out);
}
cpet_status cpet_value_new_int(int64_t i, cpet_value **out) {
  return cpet_value_new_scalar(CPET_T_PY_INT, &i, 0, out);
}
cpet_status cpet_value_new_float(double x, cpet_value **out) {
  return cpet_value_new_scalar(CPET_T_PY_FLOAT, &x, 0, out);
}
cpet_status cpet_value_new_complex(double re, double im, cpet_value **out) {
  double c[2] = {re, im};
  return cpet_value_new_scalar(CPET_T_PY_COMPLEX, c, 0, out);
}
cpet_status cpet_value_new_str(const char *s, cpet_value **out) {
  if (!s) {
    if (out) *out = NULL;
    return cpet__err(CPET_ERR_INVAL, "cpet_value_new_str: NULL string");
  }
  return cpet_value_new_scalar(CPET_T_PY_STR, s, strlen(s), out);
}
cpet_status cpet_value_new_strn(const char *s, size_t len, cpet_value **out) {
  return cpet_value_new_scalar(CPET_T_PY_STR, s, len, out);
}
cpet_status cpet_value_new_bytes(const void *p, size_t len, cpet_value **out) {
  return cpet_value_new_scalar(CPET_T_PY_BYTES, p, len, out);
}

cpet_status cpet_value_new_str_array(cpet_kind kind, cpet_type t, int ndim, const size_t *shape,
                                     const char *const *strs, cpet_value **out) {
  if (!out) return cpet__err(CPET_ERR_INVAL, "new str array: NULL out");
  *out = NULL;
  if (!cpet__type_is_string(t))
    return cpet__err(CPET_ERR_TYPE, "new str array: %s is no string type", cpet_type_name(t));
  /* Validate the shape with itemsize 1 first so the element count is trustworthy. */
  size_t one = 1, nelem, nbytes;
  CPET__CHECK(cpet__value_check_array(kind, t, &one, ndim, shape, &nelem, &nbytes));
  if (nelem && !strs) return cpet__err(CPET_ERR_INVAL, "new str array: strs is NULL");
  size_t w = 1;
  for (size_t i = 0; i < nelem; i++) {
    if (!strs[i]) return cpet__err(CPET_ERR_INVAL, "new str array: string %zu is NULL", i);
    size_t l = strlen(strs[i]);
    if (l > w) w = l;
  }
  void *buf;
  CPET__CHECK(cpet__value_new_array_uninit(kind, t, w, ndim, shape, out, &buf));
  for (size_t i = 0; i < nelem; i++)
    memcpy((char *)buf + i * w, strs[i], strlen(strs[i]));
  return CPET_OK;
}

/* ---- containers ---- */

cpet_status cpet__value_reserve(cpet_value *v, size_t n) {
  if (n <= v->capchildren - v->nchildren) return CPET_OK;
  size_t want;
  if (n > SIZE_MAX / 2 / sizeof(void *) - v->nchildren)
    return cpet__err(CPET_ERR_RANGE, "too many children (%zu)", n);
  want = v->nchildren + n;
  if (want < 2 * v->capchildren) want = 2 * v->capchildren;
  if (want < 4) want = 4;
  cpet_value **c = cpet__realloc(v->children, want * sizeof *c);
  if (!c) return cpet__err(CPET_ERR_NOMEM, "out of memory growing a %s", cpet_kind_name(v->kind));
  v->children = c;
  int keyed = v->kind != CPET_KIND_LIST && v->kind != CPET_KIND_TUPLE;
  if (keyed) {
    char **k = cpet__realloc(v->keys, want * sizeof *k);
    if (!k) return cpet__err(CPET_ERR_NOMEM, "out of memory growing a %s", cpet_kind_name(v->kind));
    v->keys = k;
  }
  v->capchildren = want;
  return CPET_OK;
}

cpet_status cpet__value_push_child(cpet_value *v, const char *key, cpet_value *child) {
  char *k = NULL;
  cpet_status st = cpet__value_reserve(v, 1);
  if (st == CPET_OK && v->keys) {
    k = cpet__strdup(key ? key : "");
    if (!k) st = cpet__err(CPET_ERR_NOMEM, "out of memory copying key");
  }
  if (st != CPET_OK) {
    cpet_value_free(child);
    return st;
  }
  if (v->keys) v->keys[v->nchildren] = k;
  v->children[v->nchildren++] = child;
  return CPET_OK;
}

static int is_object_seq(const cpet_value *v) {
  return (v->kind == CPET_KIND_LIST || v->kind == CPET_KIND_TUPLE) && v->type == CPET_T_NONE;
}

cpet_status cpet_value_new_seq(cpet_kind kind, cpet_value **out) {
  if (!out) return cpet__err(CPET_ERR_INVAL, "new seq: NULL out");
  *out = NULL;
  if (kind != CPET_KIND_LIST && kind != CPET_KIND_TUPLE)
    return cpet__err(CPET_ERR_TYPE, "new seq: kind %s is no list/tuple", cpet_kind_name(kind));
  cpet_value *v = cpet__value_alloc(kind, CPET_T_NONE);
  if (!v) return cpet__err(CPET_ERR_NOMEM, "new seq: out of memory");
  v->ndim = 1;
  *out = v;
  return CPET_OK;
}

cpet_status cpet_value_append(cpet_value *seq, cpet_value *take) {
  if (!take) return cpet__err(CPET_ERR_INVAL, "append: NULL item");
  if (take == seq) return cpet__err(CPET_ERR_INVAL, "append: a list cannot contain itself");
  if (!seq) {
    cpet_value_free(take);
    return cpet__err(CPET_ERR_INVAL, "append: NULL list");
  }
  if (!is_object_seq(seq)) {
    cpet_value_free(take);
    return cpet__err(CPET_ERR_TYPE, "append: %s of %s is no object list/tuple",
                     cpet_kind_name(seq->kind), cpet_type_name(seq->type));
  }
  CPET__CHECK(cpet__value_push_child(seq, NULL, take));
  seq->shape[0] = seq->nelem = seq->nchildren;
  return CPET_OK;
}

static cpet_status new_keyed(cpet_kind kind, int ndim, cpet_value **out) {
  if (!out) return cpet__err(CPET_ERR_INVAL, "new %s: NULL out", cpet_kind_name(kind));
  *out = cpet__value_alloc(kind, CPET_T_NONE);
  if (!*out) return cpet__err(CPET_ERR_NOMEM, "new %s: out of memory", cpet_kind_name(kind));
  (*out)->ndim = ndim;
  (*out)->keys = NULL;
  return CPET_OK;
}

cpet_status cpet_value_new_dict(cpet_value **out) { return new_keyed(CPET_KIND_DICT, 0, out); }
cpet_status cpet_value_new_table(cpet_value **out) { return new_keyed(CPET_KIND_TABLE, 1, out); }

static int is_1d_array(const cpet_value *v) {
  return v && v->kind == CPET_KIND_NDARRAY && v->ndim == 1 && v->type != CPET_T_NONE;
}

/* Rows of a frame/series from its index or columns; (size_t)-1 when unknown (no columns). */
static size_t pandas_rows(const cpet_value *v, size_t skip) {
  if (v->index) return v->index->shape[0];
  for (size_t i = 0; i < v->nchildren; i++)
    if (i != skip) return v->children[i]->shape[0];
  return (size_t)-1;
}

static void update_shape(cpet_value *v) {
  size_t rows;
  switch (v->kind) {
  case CPET_KIND_DICT:
    v->nelem = v->nchildren;
    break;
  case CPET_KIND_TABLE:
    v->shape[0] = v->nelem = v->nchildren ? v->children[0]->shape[0] : 0;
    break;
  case CPET_KIND_FRAME:
    rows = pandas_rows(v, (size_t)-1);
    v->shape[0] = v->nelem = rows == (size_t)-1 ? 0 : rows;
    v->shape[1] = v->nchildren;
    break;
  case CPET_KIND_SERIES:
    v->shape[0] = v->nelem = v->children[0]->shape[0];
    break;
  default:
    break;
  }
}

cpet_status cpet__value_set_index(cpet_value *v, cpet_value *take) {
  if (!v || (v->kind != CPET_KIND_FRAME && v->kind != CPET_KIND_SERIES)) {
    cpet_value_free(take);
    return cpet__err(v ? CPET_ERR_TYPE : CPET_ERR_INVAL, "set index: not a DataFrame/Series");
  }
  if (take && !is_1d_array(take)) {
    cpet_value_free(take);
    return cpet__err(CPET_ERR_TYPE, "index must be a 1-d typed ndarray");
  }
  size_t rows = v->kind == CPET_KIND_SERIES ? v->children[0]->shape[0]
                : v->nchildren              ? v->children[0]->shape[0]
                                            : (size_t)-1;
  if (take && rows != (size_t)-1 && take->shape[0] != rows) {
    size_t got = take->shape[0];
    cpet_value_free(take);
    return cpet__err(CPET_ERR_RANGE, "index of length %zu for %zu rows", got, rows);
  }
  cpet_value_free(v->index);
  v->index = take;
  update_shape(v);
  return CPET_OK;
}

cpet_status cpet__value_set_name(cpet_value *v, const char *name) {
  if (!v || (v->kind != CPET_KIND_FRAME && v->kind != CPET_KIND_SERIES))
    return cpet__err(v ? CPET_ERR_TYPE : CPET_ERR_INVAL, "set name: not a DataFrame/Series");
  char *n = NULL;
  if (name && !(n = cpet__strdup(name))) return cpet__err(CPET_ERR_NOMEM, "set name: no memory");
  cpet_free(v->name);
  v->name = n;
  return CPET_OK;
}

cpet_status cpet_value_new_frame(cpet_value *index_take, const char *index_name, cpet_value **out) {
  cpet_status st = new_keyed(CPET_KIND_FRAME, 2, out);
  if (st == CPET_OK)
    st = cpet__value_set_index(*out, index_take);
  else
    cpet_value_free(index_take);
  if (st == CPET_OK) st = cpet__value_set_name(*out, index_name);
  if (st != CPET_OK && out) {
    cpet_value_free(*out);
    *out = NULL;
  }
  return st;
}

cpet_status cpet_value_new_series(cpet_value *values_take, cpet_value *index_take, const char *name,
                                  cpet_value **out) {
  cpet_status st = CPET_OK;
  if (!out)
    st = cpet__err(CPET_ERR_INVAL, "new Series: NULL out");
  else if (!is_1d_array(values_take))
    st = cpet__err(CPET_ERR_TYPE, "Series values must be a 1-d typed ndarray");
  if (st != CPET_OK) {
    cpet_value_free(values_take);
    cpet_value_free(index_take);
    if (out) *out = NULL;
    return st;
  }
  st = new_keyed(CPET_KIND_SERIES, 1, out);
  if (st == CPET_OK) {
    (*out)->type = values_take->type;
    (*out)->itemsize = values_take->itemsize;
    st = cpet__value_push_child(*out, "values", values_take);
    values_take = NULL;
  }
  if (st == CPET_OK)
    st = cpet__value_set_index(*out, index_take);
  else
    cpet_value_free(index_take);
  if (st == CPET_OK) st = cpet__value_set_name(*out, name);
  cpet_value_free(values_take);
  if (st != CPET_OK) {
    cpet_value_free(*out);
    *out = NULL;
  }
  return st;
}

/* Checks that `c` may be column `key` of a table (replacing child `skip`, if any). */
static cpet_status check_column(const cpet_value *t, const char *key, const cpet_value *c,
                                size_t skip) {
  if (!*key)
    return cpet__err(CPET_ERR_NAME, "%s column with an empty name", cpet_kind_name(t->kind));
  if (t->kind == CPET_KIND_FRAME) {
    if (!is_1d_array(c))
      return cpet__err(CPET_ERR_TYPE, "DataFrame column '%s' must be a 1-d typed ndarray", key);
  } else {
    int cell_rank = c->kind == CPET_KIND_SCALAR ? 0 : c->kind == CPET_KIND_MATRIX ? 2 : 1;
    if (c->type == CPET_T_NONE || c->kind > CPET_KIND_TUPLE || c->ndim < 1 ||
        (c->kind != CPET_KIND_NDARRAY && c->ndim != cell_rank + 1))
      return cpet__err(CPET_ERR_TYPE,
                       "ObjectTable column '%s' must be a typed column (%s of rank %d)", key,
                       cpet_kind_name(c->kind), c->ndim);
  }
  size_t rows = t->kind == CPET_KIND_FRAME ? pandas_rows(t, skip) : (size_t)-1;
  if (t->kind == CPET_KIND_TABLE)
    for (size_t i = 0; i < t->nchildren && rows == (size_t)-1; i++)
      if (i != skip) rows = t->children[i]->shape[0];
  if (rows != (size_t)-1 && c->shape[0] != rows)
    return cpet__err(CPET_ERR_RANGE, "column '%s' has %zu rows, the %s has %zu", key, c->shape[0],
                     cpet_kind_name(t->kind), rows);
  return CPET_OK;
}

cpet_status cpet_value_set(cpet_value *container, const char *key, cpet_value *take) {
  cpet_status st = CPET_OK;
  if (!container || !key || !take)
    st = cpet__err(CPET_ERR_INVAL, "cpet_value_set: NULL argument");
  else if (take == container)
    return cpet__err(CPET_ERR_INVAL, "cpet_value_set: a value cannot contain itself");
  else if (container->kind != CPET_KIND_DICT && container->kind != CPET_KIND_TABLE &&
           container->kind != CPET_KIND_FRAME)
    st =
        cpet__err(CPET_ERR_TYPE, "cpet_value_set: %s has no keys", cpet_kind_name(container->kind));
  if (st != CPET_OK) {
    cpet_value_free(take);
    return st;
  }
  size_t pos = container->nchildren;
  for (size_t i = 0; i < container->nchildren; i++)
    if (strcmp(container->keys[i], key) == 0) pos = i;
  if (container->kind != CPET_KIND_DICT) {
    st = check_column(container, key, take, pos);
    if (st != CPET_OK) {
      cpet_value_free(take);
      return st;
    }
  }
  if (pos < container->nchildren) {
    cpet_value_free(container->children[pos]);
    container->children[pos] = take;
  } else {
    CPET__CHECK(cpet__value_push_child(container, key, take));
  }
  update_shape(container);
  return CPET_OK;
}

static int is_index_array(const cpet_value *v) {
  return is_1d_array(v) && (v->type == CPET_T_INT32 || v->type == CPET_T_INT64);
}

static cpet_status check_sparse(cpet_sparse_format fmt, size_t nrows, size_t ncols,
                                const cpet_value *d, const cpet_value *a, const cpet_value *b) {
  if (!d || !a) return cpet__err(CPET_ERR_INVAL, "sparse: data and indices/offsets are required");
  if (d->kind != CPET_KIND_NDARRAY || d->type == CPET_T_NONE)
    return cpet__err(CPET_ERR_TYPE, "sparse: data must be a typed ndarray");
  if (!is_index_array(a))
    return cpet__err(CPET_ERR_TYPE, "sparse: indices/offsets must be 1-d int");
  size_t junk;
  if (nrows > DIM_MAX || ncols > DIM_MAX || cpet__mul_size(nrows, ncols, &junk) != 0)
    return cpet__err(CPET_ERR_RANGE, "sparse: shape (%zu, %zu) too large", nrows, ncols);
  if (fmt == CPET_SPARSE_DIA) {
    if (b) return cpet__err(CPET_ERR_INVAL, "sparse dia: takes no indptr");
    if (d->ndim != 2 || d->shape[0] != a->shape[0])
      return cpet__err(CPET_ERR_RANGE, "sparse dia: data must be (n_offsets, L)");
    return CPET_OK;
  }
  if (!is_index_array(b)) return cpet__err(CPET_ERR_TYPE, "sparse: indptr must be 1-d int");
  size_t major = fmt == CPET_SPARSE_CSC ? ncols : nrows;
  if (fmt == CPET_SPARSE_BSR) {
    if (d->ndim != 3 || d->shape[1] == 0 || d->shape[2] == 0)
      return cpet__err(CPET_ERR_RANGE, "sparse bsr: data must be (nblocks, R, C)");
    if (nrows % d->shape[1] || ncols % d->shape[2])
      return cpet__err(CPET_ERR_RANGE, "sparse bsr: blocks do not tile the shape");
    major = nrows / d->shape[1];
  } else if (d->ndim != 1) {
    return cpet__err(CPET_ERR_RANGE, "sparse csr/csc: data must be 1-d");
  }
  if (a->shape[0] != d->shape[0])
    return cpet__err(CPET_ERR_RANGE, "sparse: %zu indices for %zu stored entries", a->shape[0],
                     d->shape[0]);
  if (b->shape[0] != major + 1)
    return cpet__err(CPET_ERR_RANGE, "sparse: indptr of length %zu, wanted %zu", b->shape[0],
                     major + 1);
  return CPET_OK;
}

cpet_status cpet_value_new_sparse(cpet_sparse_format fmt, size_t nrows, size_t ncols,
                                  cpet_value *data_take, cpet_value *a_take, cpet_value *b_take,
                                  cpet_value **out) {
  cpet_status st = CPET_OK;
  if (!out)
    st = cpet__err(CPET_ERR_INVAL, "new sparse: NULL out");
  else if ((int)fmt < CPET_SPARSE_CSR || fmt > CPET_SPARSE_DIA)
    st = cpet__err(CPET_ERR_INVAL, "new sparse: unknown format %d", (int)fmt);
  else
    st = check_sparse(fmt, nrows, ncols, data_take, a_take, b_take);
  if (st == CPET_OK) st = new_keyed(CPET_KIND_SPARSE, 2, out);
  if (st != CPET_OK) {
    cpet_value_free(data_take);
    cpet_value_free(a_take);
    cpet_value_free(b_take);
    if (out) *out = NULL;
    return st;
  }
  cpet_value *v = *out;
  v->type = data_take->type;
  v->itemsize = data_take->itemsize;
  v->sparse_fmt = fmt;
  v->shape[0] = nrows;
  v->shape[1] = ncols;
  v->nelem = nrows * ncols;
  st = cpet__value_push_child(v, "data", data_take);
  if (st == CPET_OK)
    st = cpet__value_push_child(v, fmt == CPET_SPARSE_DIA ? "offsets" : "indices", a_take);
  else
    cpet_value_free(a_take);
  if (b_take) {
    if (st == CPET_OK)
      st = cpet__value_push_child(v, "indptr", b_take);
    else
      cpet_value_free(b_take);
  }
  if (st != CPET_OK) {
    cpet_value_free(v);
    *out = NULL;
  }
  return st;
}

cpet_status cpet_value_new_pickle(const void *bytes, size_t len, int protocol, cpet_value **out) {
  if (!out) return cpet__err(CPET_ERR_INVAL, "new pickle: NULL out");
  *out = NULL;
  if (!bytes && len) return cpet__err(CPET_ERR_INVAL, "new pickle: NULL bytes");
  if (protocol < -1 || protocol > 255)
    return cpet__err(CPET_ERR_RANGE, "new pickle: protocol %d outside -1..255", protocol);
  if (len > DIM_MAX - 1) return cpet__err(CPET_ERR_RANGE, "new pickle: %zu bytes", len);
  cpet_value *v = cpet__value_alloc(CPET_KIND_PICKLE, CPET_T_PY_BYTES);
  if (!v || !(v->data = cpet__calloc(len + 1, 1))) {
    cpet_free(v);
    return cpet__err(CPET_ERR_NOMEM, "new pickle: out of memory");
  }
  if (len) memcpy(v->data, bytes, len);
  v->itemsize = len;
  v->nelem = 1;
  v->protocol = protocol;
  *out = v;
  return CPET_OK;
}
