/* pickle_conv.c - turns the inert object graph of pickle.c into cpet values: builtins, complex,
 * bytes (`_codecs.encode(str, 'latin1')` of protocols 0-2), numpy scalars
 * (`numpy.core.multiarray.scalar`) and arrays (`_reconstruct` + BUILD state, protocol-5
 * `_frombuffer`), including object arrays of str as pandas pickles them. Anything else is
 * CPET_ERR_UNSUPPORTED so callers can keep the raw pickle. */
#include "layout/pickle_int.h"
#include "value/value_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define UNSUP(...) cpet__err(CPET_ERR_UNSUPPORTED, "pickle: " __VA_ARGS__)

int cpet__pobj_is_global(const cpet__pobj *o, const char *module, const char *name) {
  return o && o->t == CPET__P_GLOBAL && strcmp(o->s, module) == 0 && strcmp(o->s2, name) == 0;
}

/* numpy moved its modules to numpy._core in 2.0; pickles name either. */
static int is_np(const cpet__pobj *o, const char *sub, const char *name) {
  char a[64], b[64];
  snprintf(a, sizeof a, "numpy.core.%s", sub);
  snprintf(b, sizeof b, "numpy._core.%s", sub);
  return cpet__pobj_is_global(o, a, name) || cpet__pobj_is_global(o, b, name);
}

static int is_builtin(const cpet__pobj *o, const char *name) {
  return cpet__pobj_is_global(o, "__builtin__", name) || cpet__pobj_is_global(o, "builtins", name);
}

static const cpet__pobj *call_args(const cpet__pobj *o) { return o->items[1]; }

/* Decodes UTF-8 into code points; returns count or (size_t)-1 on invalid input. */
static size_t utf8_cps(const char *s, size_t n, uint32_t *cps) {
  size_t k = 0;
  for (size_t i = 0; i < n;) {
    unsigned char c = (unsigned char)s[i];
    uint32_t cp;
    size_t len = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
    if (!len || i + len > n) return (size_t)-1;
    cp = len == 1 ? c : len == 2 ? c & 0x1f : len == 3 ? c & 0x0f : c & 0x07;
    for (size_t j = 1; j < len; j++)
      cp = cp << 6 | ((unsigned char)s[i + j] & 0x3f);
    cps[k++] = cp;
    i += len;
  }
  return k;
}

/* A bytes-like object: bytes, latin-1 str (Python 2 pickles), or _codecs.encode(str, latin1).
 * Returns a malloc'ed copy. */
static cpet_status get_bytes(const cpet__pobj *o, unsigned char **out, size_t *len) {
  *out = NULL;
  if (o->t == CPET__P_BYTES) {
    *out = cpet__memdup(o->s, o->n ? o->n : 1);
    *len = o->n;
    return *out ? CPET_OK : cpet__err(CPET_ERR_NOMEM, "pickle: out of memory");
  }
  if (o->t == CPET__P_CALL && cpet__pobj_is_global(o->items[0], "_codecs", "encode")) {
    const cpet__pobj *a = call_args(o);
    if (a->nitems != 2 || a->items[0]->t != CPET__P_STR || a->items[1]->t != CPET__P_STR ||
        (strcmp(a->items[1]->s, "latin1") && strcmp(a->items[1]->s, "latin-1")))
      return UNSUP("_codecs.encode with other arguments than (str, 'latin1')");
    o = a->items[0];
  } else if (o->t == CPET__P_CALL && is_builtin(o->items[0], "bytes") &&
             call_args(o)->nitems == 0) {
    *out = cpet__malloc(1);
    *len = 0;
    return *out ? CPET_OK : cpet__err(CPET_ERR_NOMEM, "pickle: out of memory");
  } else if (o->t != CPET__P_STR) {
    return UNSUP("expected bytes");
  }
  uint32_t *cps = cpet__malloc((o->n + 1) * sizeof *cps);
  unsigned char *b = cpet__malloc(o->n + 1);
  size_t k = cps && b ? utf8_cps(o->s, o->n, cps) : 0;
  cpet_status st = CPET_OK;
  if (!cps || !b)
    st = cpet__err(CPET_ERR_NOMEM, "pickle: out of memory");
  else if (k == (size_t)-1)
    st = cpet__err(CPET_ERR_CORRUPT, "pickle: invalid UTF-8");
  for (size_t i = 0; st == CPET_OK && i < k; i++) {
    if (cps[i] > 0xff)
      st = UNSUP("latin-1 text with code point U+%04X", (unsigned)cps[i]);
    else
      b[i] = (unsigned char)cps[i];
  }
  cpet_free(cps);
  if (st != CPET_OK) {
    cpet_free(b);
    return st;
  }
  *out = b;
  *len = k;
  return CPET_OK;
}

/* ---- numpy dtypes ---- */

typedef struct npdtype {
  cpet_type t; /* NONE: object */
  size_t size; /* bytes per element in the pickle (U: 4 per char) */
  int swap;    /* big-endian data */
  int ucs4;    /* 'U' */
} npdtype;

static cpet_status parse_dtype(const cpet__pobj *o, npdtype *d) {
  memset(d, 0, sizeof *d);
  if (o->t != CPET__P_CALL || (!is_np(o->items[0], "multiarray", "dtype") &&
                               !cpet__pobj_is_global(o->items[0], "numpy", "dtype")))
    return UNSUP("array dtype is not a numpy.dtype");
  const cpet__pobj *a = call_args(o);
  if (a->nitems < 1 || a->items[0]->t != CPET__P_STR) return UNSUP("dtype without a type code");
  const char *code = a->items[0]->s;
  char kind = code[0];
  long n = 0;
  if (code[1]) {
    char *endp;
    n = strtol(code + 1, &endp, 10);
    if (*endp || n < 0 || n > (1L << 30)) return UNSUP("dtype code '%s'", code);
  }
  char endian = '|';
  long elsize = -1;
  const cpet__pobj *st = o->state;
  if (st && st->t == CPET__P_TUPLE && st->nitems >= 8) {
    if (st->items[1]->t == CPET__P_STR && st->items[1]->n == 1) endian = st->items[1]->s[0];
    if (st->items[2]->t != CPET__P_NONE || st->items[3]->t != CPET__P_NONE)
      return UNSUP("structured or sub-array dtypes");
    if (st->items[5]->t == CPET__P_INT) elsize = (long)st->items[5]->i;
  }
  d->swap = endian == '>';
  static const struct {
    char k;
    long n;
    cpet_type t;
  } map[] = {{'b', 1, CPET_T_BOOL},       {'i', 1, CPET_T_INT8},    {'i', 2, CPET_T_INT16},
             {'i', 4, CPET_T_INT32},      {'i', 8, CPET_T_INT64},   {'u', 1, CPET_T_UINT8},
             {'u', 2, CPET_T_UINT16},     {'u', 4, CPET_T_UINT32},  {'u', 8, CPET_T_UINT64},
             {'f', 4, CPET_T_FLOAT32},    {'f', 8, CPET_T_FLOAT64}, {'c', 8, CPET_T_COMPLEX64},
             {'c', 16, CPET_T_COMPLEX128}};
  for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
    if (map[i].k == kind && map[i].n == n) {
      d->t = map[i].t;
      d->size = (size_t)n;
      return CPET_OK;
    }
  if (kind == 'O') {
    d->t = CPET_T_NONE;
    return CPET_OK;
  }
  if (kind == 'S' || kind == 'U') {
    if (elsize < 0) elsize = kind == 'U' ? n * 4 : n;
    if (elsize <= 0 || (kind == 'U' && elsize % 4))
      return UNSUP("string dtype of size %ld", elsize);
    d->t = kind == 'S' ? CPET_T_BYTES : CPET_T_STR;
    d->size = (size_t)elsize;
    d->ucs4 = kind == 'U';
    return CPET_OK;
  }
  return UNSUP("numpy dtype '%s'", code);
}

static void swap_elems(unsigned char *p, size_t n, size_t size, int complex_pairs) {
  size_t w = complex_pairs ? size / 2 : size;
  for (size_t i = 0; i < n * size; i += w)
    for (size_t a = 0, b = w - 1; a < b; a++, b--) {
      unsigned char t = p[i + a];
      p[i + a] = p[i + b];
      p[i + b] = t;
    }
}

/* Converts `n` UCS4 cells of `size` bytes into fixed-width UTF-8 cells; *width = max length. */
static cpet_status ucs4_to_utf8(const unsigned char *raw, size_t n, size_t size, int swap,
                                char **out, size_t *width) {
  size_t chars = size / 4, w = 1;
  size_t cap;
  if (cpet__mul_size(n ? n : 1, chars * 4 + 1, &cap))
    return cpet__err(CPET_ERR_RANGE, "pickle: too big");
  char *tmp = cpet__calloc(cap, 1);
  size_t *lens = cpet__calloc(n ? n : 1, sizeof *lens);
  if (!tmp || !lens) {
    cpet_free(tmp);
    cpet_free(lens);
    return cpet__err(CPET_ERR_NOMEM, "pickle: out of memory");
  }
  for (size_t i = 0; i < n; i++) {
    char *dst = tmp + i * (chars * 4 + 1);
    size_t o = 0, last = 0;
    for (size_t c = 0; c < chars; c++) {
      const unsigned char *q = raw + i * size + c * 4;
      uint32_t cp = swap ? (uint32_t)q[0] << 24 | (uint32_t)q[1] << 16 | (uint32_t)q[2] << 8 | q[3]
                         : (uint32_t)q[3] << 24 | (uint32_t)q[2] << 16 | (uint32_t)q[1] << 8 | q[0];
      if (cp > 0x10ffff) {
        cpet_free(tmp);
        cpet_free(lens);
        return cpet__err(CPET_ERR_CORRUPT, "pickle: invalid code point in U array");
      }
      char u[4];
      size_t k =
          cp < 0x80    ? (u[0] = (char)cp, 1)
          : cp < 0x800 ? (u[0] = (char)(0xc0 | cp >> 6), u[1] = (char)(0x80 | (cp & 0x3f)), 2)
          : cp < 0x10000
              ? (u[0] = (char)(0xe0 | cp >> 12), u[1] = (char)(0x80 | ((cp >> 6) & 0x3f)),
                 u[2] = (char)(0x80 | (cp & 0x3f)), 3)
              : (u[0] = (char)(0xf0 | cp >> 18), u[1] = (char)(0x80 | ((cp >> 12) & 0x3f)),
                 u[2] = (char)(0x80 | ((cp >> 6) & 0x3f)), u[3] = (char)(0x80 | (cp & 0x3f)), 4);
      memcpy(dst + o, u, k);
      o += k;
      if (cp) last = o; /* numpy strips trailing NULs */
    }
    lens[i] = last;
    if (last > w) w = last;
  }
  char *res = cpet__calloc(n ? n * w : 1, 1);
  if (res)
    for (size_t i = 0; i < n; i++)
      memcpy(res + i * w, tmp + i * (chars * 4 + 1), lens[i]);
  cpet_free(tmp);
  cpet_free(lens);
  if (!res) return cpet__err(CPET_ERR_NOMEM, "pickle: out of memory");
  *out = res;
  *width = w;
  return CPET_OK;
}

/* Fortran-ordered raw data -> C order. */
static cpet_status f_to_c(unsigned char **data, size_t nelem, size_t size, int ndim,
                          const size_t *shape) {
  if (ndim < 2 || nelem == 0) return CPET_OK;
  unsigned char *dst = cpet__malloc(nelem * size);
  if (!dst) return cpet__err(CPET_ERR_NOMEM, "pickle: out of memory");
  size_t idx[CPET_MAX_NDIM] = {0};
  for (size_t e = 0; e < nelem; e++) {
    size_t off = 0, stride = 1;
    for (int d = 0; d < ndim; d++)
      off += idx[d] * stride, stride *= shape[d];
    memcpy(dst + e * size, *data + off * size, size);
    for (int d = ndim - 1; d >= 0; d--) {
      if (++idx[d] < shape[d]) break;
      idx[d] = 0;
    }
  }
  cpet_free(*data);
  *data = dst;
  return CPET_OK;
}

/* Object array from a list of str (or bytes) items: PY_STR/PY_BYTES ndarray. */
static cpet_status object_array(const cpet__pobj *list, int ndim, const size_t *shape, size_t nelem,
                                cpet_kind kind, cpet_value **out) {
  if (list->t != CPET__P_LIST || list->nitems != nelem)
    return UNSUP("object array state is no list of %zu items", nelem);
  cpet__ptype pt = nelem ? list->items[0]->t : CPET__P_STR;
  size_t w = 1;
  for (size_t i = 0; i < nelem; i++) {
    const cpet__pobj *it = list->items[i];
    if (it->t != pt || (pt != CPET__P_STR && pt != CPET__P_BYTES))
      return UNSUP("object array with items other than str (or all bytes)");
    if (it->n > w) w = it->n;
  }
  void *buf;
  CPET__CHECK(cpet__value_new_array_uninit(
      kind, pt == CPET__P_STR ? CPET_T_PY_STR : CPET_T_PY_BYTES, w, ndim, shape, out, &buf));
  for (size_t i = 0; i < nelem; i++)
    memcpy((char *)buf + i * w, list->items[i]->s, list->items[i]->n);
  return CPET_OK;
}

/* Builds an ndarray (or matrix) from dtype, shape, order and raw data / object list. */
static cpet_status build_array(const cpet__pobj *dtobj, const cpet__pobj *shp, int fortran,
                               const cpet__pobj *raw, cpet_kind kind, cpet_value **out) {
  npdtype d;
  CPET__CHECK(parse_dtype(dtobj, &d));
  if (shp->t != CPET__P_TUPLE || shp->nitems > CPET_MAX_NDIM) return UNSUP("array shape");
  size_t shape[CPET_MAX_NDIM];
  int ndim = (int)shp->nitems;
  size_t nelem = 1;
  for (int i = 0; i < ndim; i++) {
    if (shp->items[i]->t != CPET__P_INT || shp->items[i]->i < 0) return UNSUP("array shape");
    shape[i] = (size_t)shp->items[i]->i;
    if (cpet__mul_size(nelem, shape[i], &nelem)) return cpet__err(CPET_ERR_RANGE, "pickle: shape");
  }
  if (kind == CPET_KIND_MATRIX && ndim != 2) kind = CPET_KIND_NDARRAY;
  if (d.t == CPET_T_NONE) {
    if (fortran && ndim > 1) return UNSUP("Fortran-ordered object arrays");
    return object_array(raw, ndim, shape, nelem, kind, out);
  }
  unsigned char *bytes;
  size_t blen, need;
  CPET__CHECK(get_bytes(raw, &bytes, &blen));
  if (cpet__mul_size(nelem, d.size, &need) || blen != need) {
    cpet_free(bytes);
    return cpet__err(CPET_ERR_CORRUPT, "pickle: array data of %zu bytes for %zu elements", blen,
                     nelem);
  }
  cpet_status st = fortran ? f_to_c(&bytes, nelem, d.size, ndim, shape) : CPET_OK;
  if (st == CPET_OK && d.ucs4) {
    char *u8;
    size_t w;
    st = ucs4_to_utf8(bytes, nelem, d.size, d.swap, &u8, &w);
    if (st == CPET_OK) st = cpet_value_new_array(kind, CPET_T_STR, w, ndim, shape, u8, out);
    cpet_free(u8);
  } else if (st == CPET_OK) {
    if (d.swap && d.size > 1 && d.t != CPET_T_BYTES)
      swap_elems(bytes, nelem, d.size, cpet__type_is_complex(d.t));
    st = cpet_value_new_array(kind, d.t, d.size, ndim, shape, bytes, out);
  }
  cpet_free(bytes);
  return st;
}

static cpet_status np_scalar(const cpet__pobj *a, cpet_value **out) {
  if (a->nitems != 2) return UNSUP("numpy scalar arguments");
  npdtype d;
  CPET__CHECK(parse_dtype(a->items[0], &d));
  if (d.t == CPET_T_NONE) return UNSUP("numpy object scalar");
  unsigned char *b;
  size_t n;
  CPET__CHECK(get_bytes(a->items[1], &b, &n));
  cpet_status st;
  if (n != d.size) {
    st = cpet__err(CPET_ERR_CORRUPT, "pickle: numpy scalar of %zu bytes, dtype has %zu", n, d.size);
  } else if (d.ucs4) {
    char *u8;
    size_t w;
    st = ucs4_to_utf8(b, 1, d.size, d.swap, &u8, &w);
    if (st == CPET_OK) st = cpet_value_new_scalar(CPET_T_STR, u8, strnlen(u8, w), out);
    cpet_free(u8);
  } else {
    if (d.swap && d.t != CPET_T_BYTES) swap_elems(b, 1, d.size, cpet__type_is_complex(d.t));
    size_t len = d.t == CPET_T_BYTES ? cpet__value_string_len((char *)b, n) : n;
    st = cpet_value_new_scalar(d.t, b, len, out);
  }
  cpet_free(b);
  return st;
}

static cpet_status conv_call(const cpet__pobj *o, cpet_value **out) {
  const cpet__pobj *fn = o->items[0], *a = call_args(o);
  if (is_builtin(fn, "complex")) {
    double re = 0, im = 0;
    for (size_t i = 0; i < a->nitems && i < 2; i++) {
      const cpet__pobj *x = a->items[i];
      if (x->t != CPET__P_FLOAT && x->t != CPET__P_INT) return UNSUP("complex() arguments");
      *(i ? &im : &re) = x->t == CPET__P_FLOAT ? x->f : (double)x->i;
    }
    if (a->nitems > 2) return UNSUP("complex() arguments");
    return cpet_value_new_complex(re, im, out);
  }
  if (cpet__pobj_is_global(fn, "_codecs", "encode") || is_builtin(fn, "bytes")) {
    unsigned char *b;
    size_t n;
    CPET__CHECK(get_bytes(o, &b, &n));
    cpet_status st = cpet_value_new_bytes(b, n, out);
    cpet_free(b);
    return st;
  }
  if (is_np(fn, "multiarray", "scalar")) return np_scalar(a, out);
  if (is_np(fn, "multiarray", "_reconstruct")) {
    if (a->nitems < 1) return UNSUP("_reconstruct arguments");
    cpet_kind kind = cpet__pobj_is_global(a->items[0], "numpy", "ndarray") ? CPET_KIND_NDARRAY
                     : cpet__pobj_is_global(a->items[0], "numpy.matrixlib.defmatrix", "matrix") ||
                             cpet__pobj_is_global(a->items[0], "numpy", "matrix")
                         ? CPET_KIND_MATRIX
                         : CPET_KIND_COUNT;
    if (kind == CPET_KIND_COUNT) return UNSUP("_reconstruct of an ndarray subclass");
    const cpet__pobj *s = o->state;
    if (!s || s->t != CPET__P_TUPLE || (s->nitems != 5 && s->nitems != 4))
      return UNSUP("ndarray state");
    size_t k = s->nitems == 5 ? 1 : 0;
    const cpet__pobj *f = s->items[k + 2];
    if (f->t != CPET__P_BOOL && f->t != CPET__P_INT) return UNSUP("ndarray state order flag");
    return build_array(s->items[k + 1], s->items[k], f->i != 0, s->items[k + 3], kind, out);
  }
  if (is_np(fn, "numeric", "_frombuffer")) {
    if (a->nitems != 4 || a->items[3]->t != CPET__P_STR) return UNSUP("_frombuffer arguments");
    return build_array(a->items[1], a->items[2], a->items[3]->s[0] == 'F', a->items[0],
                       CPET_KIND_NDARRAY, out);
  }
  if (fn->t == CPET__P_GLOBAL) return UNSUP("object of class %s.%s", fn->s, fn->s2);
  return UNSUP("call of a non-global");
}

cpet_status cpet__pickle_to_value(const cpet__pobj *o, int flags, int depth, cpet_value **out) {
  *out = NULL;
  if (depth > CPET__PICKLE_MAX_DEPTH)
    return cpet__err(CPET_ERR_RANGE, "pickle: nesting deeper than %d (or a cycle)",
                     CPET__PICKLE_MAX_DEPTH);
  cpet_status st;
  switch (o->t) {
  case CPET__P_NONE:
    return cpet_value_new_none(out);
  case CPET__P_BOOL:
    return cpet_value_new_bool(o->i != 0, out);
  case CPET__P_INT:
    return cpet_value_new_int(o->i, out);
  case CPET__P_BIGINT:
    return UNSUP("integer beyond 64 bits");
  case CPET__P_FLOAT:
    return cpet_value_new_float(o->f, out);
  case CPET__P_STR:
    return cpet_value_new_strn(o->s, o->n, out);
  case CPET__P_BYTES:
    return cpet_value_new_bytes(o->s, o->n, out);
  case CPET__P_LIST:
  case CPET__P_TUPLE: {
    CPET__CHECK(cpet_value_new_seq(o->t == CPET__P_LIST ? CPET_KIND_LIST : CPET_KIND_TUPLE, out));
    for (size_t i = 0; i < o->nitems; i++) {
      cpet_value *c;
      st = cpet__pickle_to_value(o->items[i], flags, depth + 1, &c);
      if (st == CPET_OK) st = cpet_value_append(*out, c);
      if (st != CPET_OK) {
        cpet_value_free(*out);
        *out = NULL;
        return st;
      }
    }
    return CPET_OK;
  }
  case CPET__P_DICT: {
    CPET__CHECK(cpet_value_new_dict(out));
    for (size_t i = 0; i + 1 < o->nitems; i += 2) {
      const cpet__pobj *k = o->items[i];
      char num[32];
      const char *key = NULL;
      if (k->t == CPET__P_STR && strlen(k->s) == k->n)
        key = k->s;
      else if (k->t == CPET__P_INT && (flags & CPET__PICKLE_INTKEYS))
        snprintf(num, sizeof num, "%lld", (long long)k->i), key = num;
      cpet_value *c = NULL;
      st = key ? cpet__pickle_to_value(o->items[i + 1], flags, depth + 1, &c)
               : UNSUP("dict key that is not a str");
      if (st == CPET_OK) st = cpet_value_set(*out, key, c);
      if (st != CPET_OK) {
        cpet_value_free(*out);
        *out = NULL;
        return st;
      }
    }
    return CPET_OK;
  }
  case CPET__P_SET:
    return UNSUP("set/frozenset");
  case CPET__P_GLOBAL:
    return UNSUP("bare global %s.%s", o->s, o->s2);
  case CPET__P_CALL:
    return conv_call(o, out);
  }
  return UNSUP("unknown object");
}
