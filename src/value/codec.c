/* codec.c - versioned, self-describing binary encoding of values (writer protocol, journal).
 *
 * Layout (all integers little-endian; u64 lengths; element data little-endian, packed):
 *
 *   value   := "CPTV" u8 version(=1) node
 *   node    := u8 kind, u8 type, body
 *   body by kind:
 *     typed (SCALAR/NDARRAY/MATRIX/LIST/TUPLE, type != NONE):
 *             u64 itemsize, u8 ndim, ndim * u64 shape, nelem * itemsize data bytes
 *     SCALAR NONE:          (nothing)
 *     LIST/TUPLE NONE:      u64 n, n * node
 *     DICT/TABLE:           u64 n, n * (str key, node)
 *     FRAME:                u8 flags (1 index, 2 name), [node index], [str name],
 *                           u64 n, n * (str key, node)
 *     SERIES:               u8 flags (1 index, 2 name), node values, [node index], [str name]
 *     SPARSE:               u8 format, u64 nrows, u64 ncols, u8 nparts (2 dia, 3 others),
 *                           nparts * node (data, indices|offsets, indptr)
 *     PICKLE:               u32 protocol (two's complement), u64 len, len bytes
 *   str     := u64 len, len bytes (no NUL)
 *
 * The decoder rebuilds values through the public constructors, so a decoded value satisfies
 * every invariant a built one does; it checks every length against the remaining input before
 * allocating or reading, bounds recursion at CPET__VALUE_MAX_DEPTH and reports
 * CPET_ERR_CORRUPT (bad magic, truncation, inconsistent content) or CPET_ERR_VERSION.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "value/value_int.h"

#define CODEC_MAGIC "CPTV"
#define CODEC_VERSION 1
#define FLAG_INDEX 1u
#define FLAG_NAME 2u

static int host_is_big_endian(void) {
  const uint16_t one = 1;
  unsigned char c;
  memcpy(&c, &one, 1);
  return c == 0;
}

/* Reverses the bytes of every element (complex: of each component) in place; only called on
 * big-endian hosts, where the in-memory layout differs from the wire layout. */
static void swap_elems(void *buf, size_t nelem, cpet_type t) {
  size_t sz = cpet_type_size(t), n = nelem;
  if (cpet__type_is_complex(t)) {
    sz /= 2;
    n *= 2;
  }
  if (sz < 2 || cpet__type_is_string(t)) return;
  unsigned char *p = buf;
  for (size_t i = 0; i < n; i++, p += sz)
    for (size_t a = 0, b = sz - 1; a < b; a++, b--) {
      unsigned char x = p[a];
      p[a] = p[b];
      p[b] = x;
    }
}

/* ---- encoder ---- */

typedef struct wr {
  unsigned char *buf;
  size_t len, cap;
} wr;

static cpet_status w_bytes(wr *w, const void *p, size_t n) {
  if (n > w->cap - w->len) {
    size_t want = w->cap ? w->cap : 256;
    while (want - w->len < n) {
      if (want > SIZE_MAX / 2) return cpet__err(CPET_ERR_RANGE, "value encode: too large");
      want *= 2;
    }
    unsigned char *b = cpet__realloc(w->buf, want);
    if (!b) return cpet__err(CPET_ERR_NOMEM, "value encode: out of memory (%zu bytes)", want);
    w->buf = b;
    w->cap = want;
  }
  if (n) memcpy(w->buf + w->len, p, n);
  w->len += n;
  return CPET_OK;
}

static cpet_status w_u8(wr *w, unsigned v) {
  unsigned char c = (unsigned char)v;
  return w_bytes(w, &c, 1);
}

static cpet_status w_u64(wr *w, uint64_t v) {
  unsigned char b[8];
  for (int i = 0; i < 8; i++)
    b[i] = (unsigned char)(v >> (8 * i));
  return w_bytes(w, b, 8);
}

static cpet_status w_str(wr *w, const char *s) {
  size_t n = strlen(s);
  CPET__CHECK(w_u64(w, n));
  return w_bytes(w, s, n);
}

static cpet_status w_node(wr *w, const cpet_value *v, int depth);

static cpet_status w_keyed(wr *w, const cpet_value *v, int depth) {
  CPET__CHECK(w_u64(w, v->nchildren));
  for (size_t i = 0; i < v->nchildren; i++) {
    CPET__CHECK(w_str(w, v->keys[i]));
    CPET__CHECK(w_node(w, v->children[i], depth + 1));
  }
  return CPET_OK;
}

static cpet_status w_typed(wr *w, const cpet_value *v) {
  CPET__CHECK(w_u64(w, v->itemsize));
  CPET__CHECK(w_u8(w, (unsigned)v->ndim));
  for (int i = 0; i < v->ndim; i++)
    CPET__CHECK(w_u64(w, v->shape[i]));
  size_t nb = cpet__value_nbytes(v);
  size_t at = w->len;
  CPET__CHECK(w_bytes(w, v->data, nb));
  if (host_is_big_endian()) swap_elems(w->buf + at, v->nelem, v->type);
  return CPET_OK;
}

static cpet_status w_node(wr *w, const cpet_value *v, int depth) {
  if (depth > CPET__VALUE_MAX_DEPTH)
    return cpet__err(CPET_ERR_RANGE, "value encode: nested deeper than %d levels",
                     CPET__VALUE_MAX_DEPTH);
  CPET__CHECK(w_u8(w, (unsigned)v->kind));
  CPET__CHECK(w_u8(w, (unsigned)v->type));
  unsigned flags = (v->index ? FLAG_INDEX : 0) | (v->name ? FLAG_NAME : 0);
  switch (v->kind) {
  case CPET_KIND_SCALAR:
  case CPET_KIND_NDARRAY:
  case CPET_KIND_MATRIX:
  case CPET_KIND_LIST:
  case CPET_KIND_TUPLE:
    if (v->type != CPET_T_NONE) return w_typed(w, v);
    if (v->kind == CPET_KIND_SCALAR) return CPET_OK;
    CPET__CHECK(w_u64(w, v->nchildren));
    for (size_t i = 0; i < v->nchildren; i++)
      CPET__CHECK(w_node(w, v->children[i], depth + 1));
    return CPET_OK;
  case CPET_KIND_DICT:
  case CPET_KIND_TABLE:
    return w_keyed(w, v, depth);
  case CPET_KIND_FRAME:
    CPET__CHECK(w_u8(w, flags));
    if (v->index) CPET__CHECK(w_node(w, v->index, depth + 1));
    if (v->name) CPET__CHECK(w_str(w, v->name));
    return w_keyed(w, v, depth);
  case CPET_KIND_SERIES:
    CPET__CHECK(w_u8(w, flags));
    CPET__CHECK(w_node(w, v->children[0], depth + 1));
    if (v->index) CPET__CHECK(w_node(w, v->index, depth + 1));
    if (v->name) CPET__CHECK(w_str(w, v->name));
    return CPET_OK;
  case CPET_KIND_SPARSE:
    CPET__CHECK(w_u8(w, (unsigned)v->sparse_fmt));
    CPET__CHECK(w_u64(w, v->shape[0]));
    CPET__CHECK(w_u64(w, v->shape[1]));
    CPET__CHECK(w_u8(w, (unsigned)v->nchildren));
    for (size_t i = 0; i < v->nchildren; i++)
      CPET__CHECK(w_node(w, v->children[i], depth + 1));
    return CPET_OK;
  case CPET_KIND_PICKLE: {
    uint32_t p = (uint32_t)v->protocol;
    unsigned char b[4] = {(unsigned char)p, (unsigned char)(p >> 8), (unsigned char)(p >> 16),
                          (unsigned char)(p >> 24)};
    CPET__CHECK(w_bytes(w, b, 4));
    CPET__CHECK(w_u64(w, v->itemsize));
    return w_bytes(w, v->data, v->itemsize);
  }
  default:
    return cpet__err(CPET_ERR_INVAL, "value encode: unknown kind %d", (int)v->kind);
  }
}

cpet_status cpet_value_encode(const cpet_value *v, void **buf, size_t *len) {
  if (!v || !buf || !len) return cpet__err(CPET_ERR_INVAL, "cpet_value_encode: NULL argument");
  *buf = NULL;
  *len = 0;
  wr w = {NULL, 0, 0};
  cpet_status st = w_bytes(&w, CODEC_MAGIC, 4);
  if (st == CPET_OK) st = w_u8(&w, CODEC_VERSION);
  if (st == CPET_OK) st = w_node(&w, v, 1);
  if (st != CPET_OK) {
    cpet_free(w.buf);
    return st;
  }
  *buf = w.buf;
  *len = w.len;
  return CPET_OK;
}

/* ---- decoder ---- */

typedef struct rd {
  const unsigned char *p;
  size_t left, start; /* start: total input length, for offsets in messages */
} rd;

static size_t r_off(const rd *r) { return r->start - r->left; }

static cpet_status corrupt(const rd *r, const char *what) {
  return cpet__err(CPET_ERR_CORRUPT, "value decode: %s at byte %zu", what, r_off(r));
}

/* Turns a constructor's complaint about decoded content into CPET_ERR_CORRUPT. */
static cpet_status corrupt_from(const rd *r, cpet_status st) {
  if (st == CPET_ERR_NOMEM || st == CPET_ERR_CORRUPT) return st;
  char why[256];
  snprintf(why, sizeof why, "%s", cpet_errmsg());
  return cpet__err(CPET_ERR_CORRUPT, "value decode: inconsistent content before byte %zu (%s)",
                   r_off(r), why);
}

static cpet_status r_bytes(rd *r, size_t n, const unsigned char **p) {
  *p = NULL;
  if (n > r->left) return corrupt(r, "truncated input");
  *p = r->p;
  r->p += n;
  r->left -= n;
  return CPET_OK;
}

static cpet_status r_u8(rd *r, unsigned *v) {
  const unsigned char *p;
  *v = 0;
  CPET__CHECK(r_bytes(r, 1, &p));
  *v = p[0];
  return CPET_OK;
}

static cpet_status r_u64(rd *r, uint64_t *v) {
  const unsigned char *p;
  *v = 0;
  CPET__CHECK(r_bytes(r, 8, &p));
  uint64_t x = 0;
  for (int i = 7; i >= 0; i--)
    x = (x << 8) | p[i];
  *v = x;
  return CPET_OK;
}

/* A length that must fit the remaining input (each unit `unit` bytes at least). */
static cpet_status r_len(rd *r, size_t unit, size_t *n) {
  uint64_t x;
  *n = 0;
  CPET__CHECK(r_u64(r, &x));
  if (x > r->left / unit) return corrupt(r, "length larger than the remaining input");
  *n = (size_t)x;
  return CPET_OK;
}

/* A NUL-free string; caller frees *s with cpet_free. */
static cpet_status r_str(rd *r, char **s) {
  size_t n;
  const unsigned char *p;
  *s = NULL;
  CPET__CHECK(r_len(r, 1, &n));
  CPET__CHECK(r_bytes(r, n, &p));
  if (memchr(p, '\0', n)) return corrupt(r, "NUL inside a key or name");
  if (!(*s = cpet__strndup((const char *)p, n)))
    return cpet__err(CPET_ERR_NOMEM, "value decode: out of memory");
  return CPET_OK;
}

static cpet_status r_node(rd *r, int depth, cpet_value **out);

static cpet_status r_typed(rd *r, cpet_kind kind, cpet_type t, cpet_value **out) {
  uint64_t isz64, dim;
  unsigned ndim;
  size_t shape[CPET_MAX_NDIM];
  CPET__CHECK(r_u64(r, &isz64));
  CPET__CHECK(r_u8(r, &ndim));
  if (ndim > CPET_MAX_NDIM) return corrupt(r, "rank above 32");
  for (unsigned i = 0; i < ndim; i++) {
    CPET__CHECK(r_u64(r, &dim));
    if (dim > SIZE_MAX) return corrupt(r, "dimension too large");
    shape[i] = (size_t)dim;
  }
  if (isz64 > SIZE_MAX) return corrupt(r, "itemsize too large");
  size_t isz = (size_t)isz64, nelem, nbytes;
  if (!cpet__type_is_string(t) && isz != cpet_type_size(t)) return corrupt(r, "bad itemsize");
  cpet_status st = cpet__value_check_array(kind, t, &isz, (int)ndim, shape, &nelem, &nbytes);
  if (st != CPET_OK) return corrupt_from(r, st);
  if (nbytes > r->left) return corrupt(r, "array data larger than the remaining input");
  const unsigned char *p;
  CPET__CHECK(r_bytes(r, nbytes, &p));
  if (cpet__type_is_bool(t))
    for (size_t i = 0; i < nbytes; i++)
      if (p[i] > 1) return corrupt(r, "bool element neither 0 nor 1");
  void *buf;
  st = cpet__value_new_array_uninit(kind, t, isz, (int)ndim, shape, out, &buf);
  if (st != CPET_OK) return corrupt_from(r, st);
  if (buf) {
    memcpy(buf, p, nbytes);
    if (host_is_big_endian()) swap_elems(buf, nelem, t);
  }
  return CPET_OK;
}

/* n keyed children into container *v (dict, table, frame); frees nothing on error: the caller
 * frees *v. */
static cpet_status r_keyed(rd *r, int depth, cpet_value *v) {
  size_t n;
  CPET__CHECK(r_len(r, 10, &n)); /* key length + kind + type at least */
  CPET__CHECK(cpet__value_reserve(v, n));
  for (size_t i = 0; i < n; i++) {
    char *key;
    cpet_value *child;
    CPET__CHECK(r_str(r, &key));
    if (cpet_value_get(v, key)) {
      cpet_free(key);
      return corrupt(r, "duplicate key");
    }
    cpet_status st = r_node(r, depth + 1, &child);
    if (st == CPET_OK) {
      st = cpet_value_set(v, key, child);
      if (st != CPET_OK) st = corrupt_from(r, st);
    }
    cpet_free(key);
    CPET__CHECK(st);
  }
  return CPET_OK;
}

/* Optional index and name of a frame/series per `flags`. */
static cpet_status r_pandas_tail(rd *r, int depth, unsigned flags, cpet_value **index,
                                 char **name) {
  *index = NULL;
  *name = NULL;
  if (flags & ~(FLAG_INDEX | FLAG_NAME)) return corrupt(r, "unknown pandas flags");
  if (flags & FLAG_INDEX) CPET__CHECK(r_node(r, depth + 1, index));
  if (flags & FLAG_NAME) {
    cpet_status st = r_str(r, name);
    if (st != CPET_OK) {
      cpet_value_free(*index);
      *index = NULL;
      return st;
    }
  }
  return CPET_OK;
}

static cpet_status r_sparse(rd *r, int depth, cpet_type t, cpet_value **out) {
  unsigned fmt, nparts;
  uint64_t nrows, ncols;
  CPET__CHECK(r_u8(r, &fmt));
  CPET__CHECK(r_u64(r, &nrows));
  CPET__CHECK(r_u64(r, &ncols));
  CPET__CHECK(r_u8(r, &nparts));
  if (fmt > CPET_SPARSE_DIA) return corrupt(r, "unknown sparse format");
  if (nparts != (fmt == CPET_SPARSE_DIA ? 2u : 3u)) return corrupt(r, "bad sparse part count");
  if (nrows > SIZE_MAX || ncols > SIZE_MAX) return corrupt(r, "sparse shape too large");
  cpet_value *parts[3] = {NULL, NULL, NULL};
  cpet_status st = CPET_OK;
  for (unsigned i = 0; i < nparts && st == CPET_OK; i++)
    st = r_node(r, depth + 1, &parts[i]);
  if (st != CPET_OK) {
    for (int i = 0; i < 3; i++)
      cpet_value_free(parts[i]);
    return st;
  }
  st = cpet_value_new_sparse((cpet_sparse_format)fmt, (size_t)nrows, (size_t)ncols, parts[0],
                             parts[1], parts[2], out);
  if (st != CPET_OK) return corrupt_from(r, st);
  if ((*out)->type != t) {
    cpet_value_free(*out);
    *out = NULL;
    return corrupt(r, "sparse type differs from its data");
  }
  return CPET_OK;
}

static cpet_status r_pickle(rd *r, cpet_value **out) {
  const unsigned char *p;
  size_t n;
  CPET__CHECK(r_bytes(r, 4, &p));
  uint32_t u = (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
  int protocol = u == UINT32_MAX ? -1 : u <= 255 ? (int)u : -2;
  if (protocol < -1) return corrupt(r, "pickle protocol out of range");
  CPET__CHECK(r_len(r, 1, &n));
  CPET__CHECK(r_bytes(r, n, &p));
  cpet_status st = cpet_value_new_pickle(p, n, protocol, out);
  return st == CPET_OK ? st : corrupt_from(r, st);
}

static cpet_status r_node(rd *r, int depth, cpet_value **out) {
  *out = NULL;
  if (depth > CPET__VALUE_MAX_DEPTH) return corrupt(r, "nesting too deep");
  unsigned k, t;
  CPET__CHECK(r_u8(r, &k));
  CPET__CHECK(r_u8(r, &t));
  if (k >= CPET_KIND_COUNT) return corrupt(r, "unknown kind");
  if (t >= CPET_T_COUNT) return corrupt(r, "unknown element type");
  cpet_kind kind = (cpet_kind)k;
  cpet_type type = (cpet_type)t;
  int untyped = kind == CPET_KIND_DICT || kind == CPET_KIND_TABLE || kind == CPET_KIND_FRAME;
  if (untyped && type != CPET_T_NONE) return corrupt(r, "container with an element type");
  cpet_status st = CPET_OK;
  cpet_value *v = NULL, *index = NULL;
  char *name = NULL;
  unsigned flags;
  size_t n;
  switch (kind) {
  case CPET_KIND_SCALAR:
  case CPET_KIND_NDARRAY:
  case CPET_KIND_MATRIX:
  case CPET_KIND_LIST:
  case CPET_KIND_TUPLE:
    if (type != CPET_T_NONE) return r_typed(r, kind, type, out);
    if (kind == CPET_KIND_SCALAR) return cpet_value_new_none(out);
    if (kind != CPET_KIND_LIST && kind != CPET_KIND_TUPLE) return corrupt(r, "untyped array");
    CPET__CHECK(cpet_value_new_seq(kind, &v));
    st = r_len(r, 2, &n);
    if (st == CPET_OK) st = cpet__value_reserve(v, n);
    for (size_t i = 0; st == CPET_OK && i < n; i++) {
      cpet_value *child;
      st = r_node(r, depth + 1, &child);
      if (st == CPET_OK) st = cpet_value_append(v, child);
    }
    break;
  case CPET_KIND_DICT:
  case CPET_KIND_TABLE:
    st = kind == CPET_KIND_DICT ? cpet_value_new_dict(&v) : cpet_value_new_table(&v);
    if (st == CPET_OK) st = r_keyed(r, depth, v);
    break;
  case CPET_KIND_FRAME:
    CPET__CHECK(r_u8(r, &flags));
    CPET__CHECK(r_pandas_tail(r, depth, flags, &index, &name));
    st = cpet_value_new_frame(index, name, &v);
    if (st != CPET_OK) st = corrupt_from(r, st);
    if (st == CPET_OK) st = r_keyed(r, depth, v);
    break;
  case CPET_KIND_SERIES: {
    cpet_value *values = NULL;
    CPET__CHECK(r_u8(r, &flags));
    CPET__CHECK(r_node(r, depth + 1, &values));
    st = r_pandas_tail(r, depth, flags, &index, &name);
    if (st != CPET_OK) {
      cpet_value_free(values);
      return st;
    }
    st = cpet_value_new_series(values, index, name, &v);
    if (st != CPET_OK)
      st = corrupt_from(r, st);
    else if (v->type != type)
      st = corrupt(r, "Series type differs from its values");
    break;
  }
  case CPET_KIND_SPARSE:
    return r_sparse(r, depth, type, out);
  case CPET_KIND_PICKLE:
    if (type != CPET_T_PY_BYTES) return corrupt(r, "pickle of a non-bytes type");
    return r_pickle(r, out);
  default:
    return corrupt(r, "unknown kind");
  }
  cpet_free(name);
  if (st != CPET_OK) {
    cpet_value_free(v);
    return st;
  }
  *out = v;
  return CPET_OK;
}

cpet_status cpet_value_decode(const void *buf, size_t len, cpet_value **out, size_t *consumed) {
  if (!out) return cpet__err(CPET_ERR_INVAL, "cpet_value_decode: NULL out");
  *out = NULL;
  if (consumed) *consumed = 0;
  if (!buf && len) return cpet__err(CPET_ERR_INVAL, "cpet_value_decode: NULL buffer");
  if (len < 5 || memcmp(buf, CODEC_MAGIC, 4) != 0)
    return cpet__err(CPET_ERR_CORRUPT, "value decode: no cpet value encoding (bad magic)");
  const unsigned char *p = buf;
  if (p[4] != CODEC_VERSION)
    return cpet__err(CPET_ERR_VERSION, "value decode: encoding version %u, this cpet reads %u",
                     p[4], CODEC_VERSION);
  rd r = {p + 5, len - 5, len};
  CPET__CHECK(r_node(&r, 1, out));
  if (consumed) *consumed = len - r.left;
  return CPET_OK;
}
