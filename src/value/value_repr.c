/* value_repr.c - Python-like repr() of values, for previews in overview tables.
 *
 * Scalars print exactly as Python 3 / numpy 1.24 print them (shortest round-trip floats,
 * Python string quoting). Arrays follow numpy's style on one line (no line breaks between
 * rows, no column padding); pandas and scipy objects get a compact one-line summary.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "value/value_int.h"

/* Output into the caller's buffer; `full` once something did not fit. */
typedef struct sb {
  char *buf;
  size_t cap, len;
  int full;
} sb;

static void put(sb *b, const char *s, size_t n) {
  if (b->full) return;
  size_t room = b->cap - 1 - b->len;
  if (n > room) {
    n = room;
    b->full = 1;
  }
  memcpy(b->buf + b->len, s, n);
  b->len += n;
}

static void puts_(sb *b, const char *s) { put(b, s, strlen(s)); }

/* ---- numbers ---- */

enum { FLT_PY, FLT_BARE, FLT_NUMPY }; /* "1.0" (Python), "1" (complex part), "1." (array) */

/* Shortest repr of x that reads back as the same double (or float when is_f32). */
static void fmt_float(double x, int is_f32, int mode, char *out, size_t cap) {
  if (isnan(x)) {
    snprintf(out, cap, "nan");
    return;
  }
  if (isinf(x)) {
    snprintf(out, cap, x < 0 ? "-inf" : "inf");
    return;
  }
  char tmp[40];
  for (int p = 1; p <= 17; p++) {
    snprintf(tmp, sizeof tmp, "%.*e", p - 1, x);
    double y = strtod(tmp, NULL);
    if (is_f32 ? (float)y == (float)x : y == x) break;
  }
  /* tmp = [-]d[.ddd]e[+-]XX: split into sign, digits and decimal exponent. */
  char digits[24];
  size_t nd = 0;
  const char *p = tmp;
  int neg = *p == '-';
  if (neg) p++;
  for (; *p && *p != 'e'; p++)
    if (*p != '.' && nd < sizeof digits - 1) digits[nd++] = *p;
  while (nd > 1 && digits[nd - 1] == '0')
    nd--;
  digits[nd] = '\0';
  int exp = *p == 'e' ? atoi(p + 1) : 0;
  char *o = out, *end = out + cap - 1;
#define EMIT(c)                                                                                    \
  do {                                                                                             \
    if (o < end) *o++ = (c);                                                                       \
  } while (0)
  if (neg) EMIT('-');
  if (exp >= -4 && exp < 16) {
    if (exp >= 0) {
      for (int i = 0; i <= exp; i++)
        EMIT((size_t)i < nd ? digits[i] : '0');
      if (nd > (size_t)exp + 1) {
        EMIT('.');
        for (size_t i = (size_t)exp + 1; i < nd; i++)
          EMIT(digits[i]);
      } else if (mode == FLT_PY) {
        EMIT('.');
        EMIT('0');
      } else if (mode == FLT_NUMPY) {
        EMIT('.');
      }
    } else {
      EMIT('0');
      EMIT('.');
      for (int i = 0; i < -exp - 1; i++)
        EMIT('0');
      for (size_t i = 0; i < nd; i++)
        EMIT(digits[i]);
    }
  } else {
    EMIT(digits[0]);
    if (nd > 1) {
      EMIT('.');
      for (size_t i = 1; i < nd; i++)
        EMIT(digits[i]);
    }
    char e[16];
    snprintf(e, sizeof e, "e%c%02d", exp < 0 ? '-' : '+', exp < 0 ? -exp : exp);
    for (char *q = e; *q; q++)
      EMIT(*q);
  }
#undef EMIT
  *o = '\0';
}

static void put_float(sb *b, double x, int is_f32, int mode) {
  char t[48];
  fmt_float(x, is_f32, mode, t, sizeof t);
  puts_(b, t);
}

static void put_complex(sb *b, double re, double im, int is_f32, int in_array) {
  char r[48], i[48];
  int mode = in_array ? FLT_NUMPY : FLT_BARE;
  fmt_float(im, is_f32, mode, i, sizeof i);
  if (!in_array && re == 0 && !signbit(re)) {
    puts_(b, i);
    puts_(b, "j");
    return;
  }
  fmt_float(re, is_f32, mode, r, sizeof r);
  if (!in_array) puts_(b, "(");
  puts_(b, r);
  if (i[0] != '-') puts_(b, "+");
  puts_(b, i);
  puts_(b, in_array ? "j" : "j)");
}

/* ---- strings ---- */

/* Length of a valid UTF-8 sequence at p (max n bytes), 0 if invalid. */
static size_t utf8_len(const unsigned char *p, size_t n) {
  size_t l = p[0] >= 0xF0 && p[0] <= 0xF4 ? 4 : p[0] >= 0xE0 ? 3 : p[0] >= 0xC2 ? 2 : 0;
  if (p[0] >= 0xF5 || l == 0 || l > n) return 0;
  for (size_t i = 1; i < l; i++)
    if ((p[i] & 0xC0) != 0x80) return 0;
  return l;
}

static void put_quoted(sb *b, const char *s, size_t n, int is_bytes) {
  const unsigned char *p = (const unsigned char *)s;
  int sq = memchr(s, '\'', n) != NULL, dq = memchr(s, '"', n) != NULL;
  char q = (sq && !dq) ? '"' : '\'';
  if (is_bytes) puts_(b, "b");
  put(b, &q, 1);
  for (size_t i = 0; i < n && !b->full; i++) {
    unsigned char c = p[i];
    char esc[8];
    if (c == '\\' || c == (unsigned char)q) {
      esc[0] = '\\', esc[1] = (char)c;
      put(b, esc, 2);
    } else if (c == '\n') {
      puts_(b, "\\n");
    } else if (c == '\r') {
      puts_(b, "\\r");
    } else if (c == '\t') {
      puts_(b, "\\t");
    } else if (c < 0x20 || c == 0x7f) {
      snprintf(esc, sizeof esc, "\\x%02x", c);
      puts_(b, esc);
    } else if (c < 0x80) {
      put(b, (const char *)&p[i], 1);
    } else {
      size_t l = is_bytes ? 0 : utf8_len(p + i, n - i);
      if (l) {
        put(b, (const char *)p + i, l);
        i += l - 1;
      } else {
        snprintf(esc, sizeof esc, "\\x%02x", c);
        puts_(b, esc);
      }
    }
  }
  put(b, &q, 1);
}

/* ---- elements ---- */

/* One element of type t at p; `exact` keeps a string's full itemsize (scalars). */
static void put_elem(sb *b, cpet_type t, const void *p, size_t itemsize, int in_array, int exact) {
  char t_[32];
  union {
    int8_t i8;
    int16_t i16;
    int32_t i32;
    int64_t i64;
    uint8_t u8;
    uint16_t u16;
    uint32_t u32;
    uint64_t u64;
    float f[2];
    double d[2];
  } u;
  size_t sz = cpet_type_size(t);
  if (sz) memcpy(&u, p, sz);
  switch (t) {
  case CPET_T_PY_BOOL:
  case CPET_T_BOOL:
    puts_(b, u.u8 ? "True" : "False");
    return;
  case CPET_T_INT8:
    snprintf(t_, sizeof t_, "%d", u.i8);
    break;
  case CPET_T_INT16:
    snprintf(t_, sizeof t_, "%d", u.i16);
    break;
  case CPET_T_INT32:
    snprintf(t_, sizeof t_, "%ld", (long)u.i32);
    break;
  case CPET_T_PY_INT:
  case CPET_T_INT64:
    snprintf(t_, sizeof t_, "%lld", (long long)u.i64);
    break;
  case CPET_T_UINT8:
    snprintf(t_, sizeof t_, "%u", u.u8);
    break;
  case CPET_T_UINT16:
    snprintf(t_, sizeof t_, "%u", u.u16);
    break;
  case CPET_T_UINT32:
    snprintf(t_, sizeof t_, "%lu", (unsigned long)u.u32);
    break;
  case CPET_T_UINT64:
    snprintf(t_, sizeof t_, "%llu", (unsigned long long)u.u64);
    break;
  case CPET_T_FLOAT32:
    put_float(b, u.f[0], 1, in_array ? FLT_NUMPY : FLT_PY);
    return;
  case CPET_T_PY_FLOAT:
  case CPET_T_FLOAT64:
    put_float(b, u.d[0], 0, in_array ? FLT_NUMPY : FLT_PY);
    return;
  case CPET_T_COMPLEX64:
    put_complex(b, u.f[0], u.f[1], 1, in_array);
    return;
  case CPET_T_PY_COMPLEX:
  case CPET_T_COMPLEX128:
    put_complex(b, u.d[0], u.d[1], 0, in_array);
    return;
  case CPET_T_PY_STR:
  case CPET_T_STR:
  case CPET_T_PY_BYTES:
  case CPET_T_BYTES: {
    size_t n = exact ? itemsize : cpet__value_string_len(p, itemsize);
    put_quoted(b, p, n, t == CPET_T_PY_BYTES || t == CPET_T_BYTES);
    return;
  }
  default:
    puts_(b, "None");
    return;
  }
  puts_(b, t_);
}

/* Nested brackets over dimensions [dim, ndim) of v's data starting at element `off`. */
static void put_nested(sb *b, const cpet_value *v, int dim, size_t off, const char *open,
                       const char *close, int in_array) {
  if (b->full) return;
  if (dim == v->ndim) {
    put_elem(b, v->type, (const char *)v->data + off * v->itemsize, v->itemsize, in_array, 0);
    return;
  }
  size_t stride = 1;
  for (int d = dim + 1; d < v->ndim; d++)
    stride *= v->shape[d];
  puts_(b, open);
  for (size_t i = 0; i < v->shape[dim] && !b->full; i++) {
    if (i) puts_(b, ", ");
    put_nested(b, v, dim + 1, off + i * stride, open, close, in_array);
  }
  if (v->shape[dim] == 1 && dim == v->ndim - 1 && strcmp(close, ")") == 0) puts_(b, ",");
  puts_(b, close);
}

static void put_dtype(sb *b, const cpet_value *v) {
  char t[48];
  switch (v->type) {
  case CPET_T_PY_INT:
  case CPET_T_INT64:
  case CPET_T_PY_FLOAT:
  case CPET_T_FLOAT64:
  case CPET_T_PY_BOOL:
  case CPET_T_BOOL:
  case CPET_T_PY_COMPLEX:
  case CPET_T_COMPLEX128:
    if (v->nelem) return;
    snprintf(t, sizeof t, ", dtype=%s",
             cpet__type_is_bool(v->type)    ? "bool"
             : cpet__type_is_int(v->type)   ? "int64"
             : cpet__type_is_float(v->type) ? "float64"
                                            : "complex128");
    break;
  case CPET_T_PY_STR:
  case CPET_T_STR:
    snprintf(t, sizeof t, ", dtype='<U%zu'", v->itemsize);
    break;
  case CPET_T_PY_BYTES:
  case CPET_T_BYTES:
    snprintf(t, sizeof t, ", dtype='|S%zu'", v->itemsize);
    break;
  default:
    snprintf(t, sizeof t, ", dtype=%s", cpet_type_name(v->type));
    break;
  }
  puts_(b, t);
}

static void put_array(sb *b, const cpet_value *v) {
  puts_(b, v->kind == CPET_KIND_MATRIX ? "matrix(" : "array(");
  if (v->nelem == 0 && v->ndim > 1) {
    puts_(b, "[], shape=(");
    for (int d = 0; d < v->ndim; d++) {
      char t[32];
      snprintf(t, sizeof t, d ? ", %zu" : "%zu", v->shape[d]);
      puts_(b, t);
    }
    puts_(b, ")");
  } else {
    put_nested(b, v, 0, 0, "[", "]", 1);
  }
  put_dtype(b, v);
  puts_(b, ")");
}

static void put_value(sb *b, const cpet_value *v);

static void put_children(sb *b, const cpet_value *v, const char *open, const char *close) {
  puts_(b, open);
  for (size_t i = 0; i < v->nchildren && !b->full; i++) {
    if (i) puts_(b, ", ");
    if (v->keys) {
      put_quoted(b, v->keys[i], strlen(v->keys[i]), 0);
      puts_(b, ": ");
    }
    put_value(b, v->children[i]);
  }
  if (v->kind == CPET_KIND_TUPLE && v->nchildren == 1) puts_(b, ",");
  puts_(b, close);
}

/* A column or 1-d pandas array as a list of its cells. */
static void put_cells(sb *b, const cpet_value *c) {
  if (c->kind == CPET_KIND_NDARRAY && c->ndim > 1) {
    puts_(b, "[");
    for (size_t r = 0; r < c->shape[0] && !b->full; r++) {
      cpet_value *cell;
      if (r) puts_(b, ", ");
      if (cpet__value_cell(c, r, &cell) != CPET_OK) break;
      put_value(b, cell);
      cpet_value_free(cell);
    }
    puts_(b, "]");
    return;
  }
  put_nested(b, c, 0, 0, "[", c->kind == CPET_KIND_TUPLE && c->ndim == 1 ? ")" : "]", 0);
}

static const char *numpy_type_name(cpet_type t) {
  switch (t) {
  case CPET_T_PY_BOOL:
    return "bool_";
  case CPET_T_PY_INT:
    return "int64";
  case CPET_T_PY_FLOAT:
    return "float64";
  case CPET_T_PY_COMPLEX:
    return "complex128";
  case CPET_T_PY_STR:
    return "str_";
  case CPET_T_PY_BYTES:
    return "bytes_";
  default:
    return cpet_type_name(t);
  }
}

static void put_value(sb *b, const cpet_value *v) {
  char t[200];
  if (b->full) return;
  switch (v->kind) {
  case CPET_KIND_SCALAR:
    if (v->type == CPET_T_NONE)
      puts_(b, "None");
    else if (v->ndim == 0)
      put_elem(b, v->type, v->data, v->itemsize, 0, 1);
    else
      put_cells(b, v);
    return;
  case CPET_KIND_NDARRAY:
  case CPET_KIND_MATRIX:
    put_array(b, v);
    return;
  case CPET_KIND_LIST:
  case CPET_KIND_TUPLE: {
    const char *open = v->kind == CPET_KIND_LIST ? "[" : "(";
    const char *close = v->kind == CPET_KIND_LIST ? "]" : ")";
    if (v->type == CPET_T_NONE)
      put_children(b, v, open, close);
    else if (v->ndim == 1)
      put_nested(b, v, 0, 0, open, close, 0);
    else
      put_cells(b, v);
    return;
  }
  case CPET_KIND_DICT:
    put_children(b, v, "{", "}");
    return;
  case CPET_KIND_TABLE:
  case CPET_KIND_FRAME:
    puts_(b, v->kind == CPET_KIND_TABLE ? "ObjectTable({" : "DataFrame({");
    for (size_t i = 0; i < v->nchildren && !b->full; i++) {
      if (i) puts_(b, ", ");
      put_quoted(b, v->keys[i], strlen(v->keys[i]), 0);
      puts_(b, ": ");
      put_cells(b, v->children[i]);
    }
    puts_(b, "}");
    break;
  case CPET_KIND_SERIES:
    puts_(b, "Series(");
    put_cells(b, v->children[0]);
    break;
  case CPET_KIND_SPARSE: {
    static const char *const fmts[] = {"Compressed Sparse Row", "Compressed Sparse Column",
                                       "Block Sparse Row", "DIAgonal"};
    snprintf(t, sizeof t,
             "<%zux%zu sparse matrix of type '<class 'numpy.%s'>' with %zu stored elements in "
             "%s format>",
             v->shape[0], v->shape[1], numpy_type_name(v->type), v->children[0]->nelem,
             fmts[v->sparse_fmt]);
    puts_(b, t);
    return;
  }
  case CPET_KIND_PICKLE:
    snprintf(t, sizeof t, "<pickle protocol %d, %zu bytes>", v->protocol, v->itemsize);
    puts_(b, t);
    return;
  default:
    puts_(b, "<?>");
    return;
  }
  /* pandas tails: index and names */
  if (v->index) {
    puts_(b, ", index=");
    put_cells(b, v->index);
  }
  if (v->name) {
    puts_(b, v->kind == CPET_KIND_FRAME ? ", index_name=" : ", name=");
    put_quoted(b, v->name, strlen(v->name), 0);
  }
  puts_(b, ")");
}

cpet_status cpet_value_repr(const cpet_value *v, char *buf, size_t cap) {
  if (!buf || cap == 0) return CPET_OK;
  sb b = {buf, cap, 0, 0};
  if (!v)
    puts_(&b, "NULL");
  else
    put_value(&b, v);
  if (b.full && cap >= 4) {
    size_t at = cap - 4;
    /* do not cut a UTF-8 sequence in half */
    while (at > 0 && ((unsigned char)buf[at] & 0xC0) == 0x80)
      at--;
    memcpy(buf + at, "...", 3);
    b.len = at + 3;
  }
  buf[b.len] = '\0';
  return CPET_OK;
}
