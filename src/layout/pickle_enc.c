/* pickle_enc.c - pickle writers: protocol 0 byte-for-byte as CPython 3.11's pickle.dumps(obj,
 * protocol=0) for plain data (what PyTables stores in attributes), and the protocol-2 pickle of
 * a numpy object array pandas keeps in VLARRAY blocks. */
#include "layout/layout_int.h"
#include "layout/pickle_int.h"
#include "value/value_int.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct obuf {
  char *p;
  size_t n, cap;
  int fail;
  long memo;                          /* next memo index */
  long m_codecs, m_latin1, m_complex; /* memo slots of shared globals/constants, -1 unset */
} obuf;

static void put(obuf *b, const void *s, size_t n) {
  if (b->fail) return;
  if (b->n + n + 1 > b->cap) {
    size_t nc = b->cap ? b->cap : 64;
    while (nc < b->n + n + 1)
      nc *= 2;
    char *np = cpet__realloc(b->p, nc);
    if (!np) {
      b->fail = 1;
      return;
    }
    b->p = np;
    b->cap = nc;
  }
  memcpy(b->p + b->n, s, n);
  b->n += n;
}
static void puts_(obuf *b, const char *s) { put(b, s, strlen(s)); }
/* <op><decimal>[<suffix>]\n, e.g. "p3\n", "I-5\n", "L2147483648L\n". */
static void putf(obuf *b, char op, long long v, const char *suffix) {
  char tmp[48];
  snprintf(tmp, sizeof tmp, "%c%lld%s\n", op, v, suffix);
  puts_(b, tmp);
}
static void memoize(obuf *b) { putf(b, 'p', b->memo++, ""); }

/* repr(float) of CPython: shortest round-trip digits, fixed notation for exponents -4..15. */
static void float_repr(double x, char *out, size_t cap) {
  if (isnan(x)) {
    snprintf(out, cap, "nan");
    return;
  }
  if (isinf(x)) {
    snprintf(out, cap, x < 0 ? "-inf" : "inf");
    return;
  }
  char e[40];
  for (int prec = 0; prec < 17; prec++) {
    snprintf(e, sizeof e, "%.*e", prec, x);
    if (strtod(e, NULL) == x) break;
  }
  /* split "-d.ddde+XX" into sign, digits, exponent (locale-proof: skip non-digits) */
  char digits[32];
  size_t nd = 0;
  const char *q = e;
  int neg = *q == '-';
  if (neg) q++;
  for (; *q && *q != 'e' && *q != 'E'; q++)
    if (*q >= '0' && *q <= '9' && nd < sizeof digits - 1) digits[nd++] = *q;
  int exp = *q ? atoi(q + 1) : 0;
  while (nd > 1 && digits[nd - 1] == '0')
    nd--;
  digits[nd] = 0;
  char buf[64];
  size_t o = 0;
  if (neg) buf[o++] = '-';
  if (exp >= -4 && exp < 16) {
    if (exp < 0) {
      buf[o++] = '0', buf[o++] = '.';
      for (int k = 0; k < -exp - 1; k++)
        buf[o++] = '0';
      for (size_t k = 0; k < nd; k++)
        buf[o++] = digits[k];
    } else {
      for (int k = 0; k <= exp; k++)
        buf[o++] = (size_t)k < nd ? digits[k] : '0';
      buf[o++] = '.';
      if (nd > (size_t)exp + 1)
        for (size_t k = (size_t)exp + 1; k < nd; k++)
          buf[o++] = digits[k];
      else
        buf[o++] = '0';
    }
    buf[o] = 0;
  } else {
    buf[o++] = digits[0];
    if (nd > 1) {
      buf[o++] = '.';
      for (size_t k = 1; k < nd; k++)
        buf[o++] = digits[k];
    }
    snprintf(buf + o, sizeof buf - o, "e%c%02d", exp < 0 ? '-' : '+', exp < 0 ? -exp : exp);
  }
  snprintf(out, cap, "%s", buf);
}

/* UNICODE opcode argument: raw-unicode-escape of the text with \, NUL, \n, \r, \x1a escaped. */
static cpet_status put_unicode(obuf *b, const char *s, size_t n) {
  puts_(b, "V");
  for (size_t i = 0; i < n;) {
    unsigned char c = (unsigned char)s[i];
    size_t len = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
    if (!len || i + len > n) return cpet__err(CPET_ERR_INVAL, "pickle: str is not valid UTF-8");
    uint32_t cp = len == 1 ? c : len == 2 ? c & 0x1f : len == 3 ? c & 0x0f : c & 0x07;
    for (size_t j = 1; j < len; j++) {
      if (((unsigned char)s[i + j] & 0xc0) != 0x80)
        return cpet__err(CPET_ERR_INVAL, "pickle: str is not valid UTF-8");
      cp = cp << 6 | ((unsigned char)s[i + j] & 0x3f);
    }
    i += len;
    char tmp[16];
    if (cp == '\\' || cp == 0 || cp == '\n' || cp == '\r' || cp == 0x1a ||
        (cp >= 0x100 && cp < 0x10000))
      snprintf(tmp, sizeof tmp, "\\u%04x", (unsigned)cp), puts_(b, tmp);
    else if (cp >= 0x10000)
      snprintf(tmp, sizeof tmp, "\\U%08x", (unsigned)cp), puts_(b, tmp);
    else {
      char ch = (char)cp; /* latin-1 byte */
      put(b, &ch, 1);
    }
  }
  puts_(b, "\n");
  return CPET_OK;
}

static cpet_status put_str(obuf *b, const char *s, size_t n) {
  CPET__CHECK(put_unicode(b, s, n));
  memoize(b);
  return CPET_OK;
}

static void put_global(obuf *b, const char *g, long *slot) {
  if (*slot >= 0) {
    putf(b, 'g', *slot, "");
    return;
  }
  puts_(b, g);
  *slot = b->memo;
  memoize(b);
}

static cpet_status put_bytes(obuf *b, const unsigned char *p, size_t n) {
  if (n == 0) {
    /* Python reduces b'' to bytes() with a fresh global each time */
    puts_(b, "c__builtin__\nbytes\n");
    memoize(b);
    puts_(b, "(tR");
    memoize(b);
    return CPET_OK;
  }
  put_global(b, "c_codecs\nencode\n", &b->m_codecs);
  puts_(b, "(");
  /* latin-1 decode: each byte is one code point */
  char *u = cpet__malloc(n * 2 + 1);
  if (!u) return cpet__err(CPET_ERR_NOMEM, "pickle: out of memory");
  size_t o = 0;
  for (size_t i = 0; i < n; i++) {
    if (p[i] < 0x80)
      u[o++] = (char)p[i];
    else
      u[o++] = (char)(0xc0 | p[i] >> 6), u[o++] = (char)(0x80 | (p[i] & 0x3f));
  }
  cpet_status st = put_str(b, u, o);
  cpet_free(u);
  CPET__CHECK(st);
  if (b->m_latin1 >= 0)
    putf(b, 'g', b->m_latin1, "");
  else {
    puts_(b, "Vlatin1\n");
    b->m_latin1 = b->memo;
    memoize(b);
  }
  puts_(b, "t");
  memoize(b);
  puts_(b, "R");
  memoize(b);
  return CPET_OK;
}

/* One element of a Python-typed scalar or typed list/tuple. */
static cpet_status put_elem(obuf *b, cpet_type t, const void *p, size_t itemsize, int scalar) {
  char tmp[64];
  switch (t) {
  case CPET_T_PY_BOOL:
    puts_(b, *(const unsigned char *)p ? "I01\n" : "I00\n");
    return CPET_OK;
  case CPET_T_PY_INT: {
    int64_t v;
    memcpy(&v, p, 8);
    if (v >= INT32_MIN && v <= INT32_MAX)
      putf(b, 'I', (long long)v, "");
    else
      putf(b, 'L', (long long)v, "L");
    return CPET_OK;
  }
  case CPET_T_PY_FLOAT: {
    double d;
    memcpy(&d, p, 8);
    float_repr(d, tmp, sizeof tmp);
    puts_(b, "F");
    puts_(b, tmp);
    puts_(b, "\n");
    return CPET_OK;
  }
  case CPET_T_PY_COMPLEX: {
    double d[2];
    memcpy(d, p, 16);
    put_global(b, "c__builtin__\ncomplex\n", &b->m_complex);
    puts_(b, "(");
    for (int k = 0; k < 2; k++) {
      float_repr(d[k], tmp, sizeof tmp);
      puts_(b, "F");
      puts_(b, tmp);
      puts_(b, "\n");
    }
    puts_(b, "t");
    memoize(b);
    puts_(b, "R");
    memoize(b);
    return CPET_OK;
  }
  case CPET_T_PY_STR:
    return put_str(b, p, scalar ? itemsize : cpet__value_string_len(p, itemsize));
  case CPET_T_PY_BYTES:
    return put_bytes(b, p, scalar ? itemsize : cpet__value_string_len(p, itemsize));
  default:
    return cpet__err(CPET_ERR_UNSUPPORTED,
                     "pickle protocol 0: numpy type %s has no plain-data pickle",
                     cpet_type_name(t));
  }
}

static cpet_status enc(obuf *b, const cpet_value *v, int depth) {
  if (depth > CPET__PICKLE_MAX_DEPTH)
    return cpet__err(CPET_ERR_RANGE, "pickle: nesting deeper than %d", CPET__PICKLE_MAX_DEPTH);
  cpet_kind k = cpet_value_kind(v);
  cpet_type t = cpet_value_type(v);
  if (k == CPET_KIND_SCALAR && cpet_value_ndim(v) == 0) {
    if (t == CPET_T_NONE) {
      puts_(b, "N");
      return CPET_OK;
    }
    return put_elem(b, t, cpet_value_data(v), cpet_value_itemsize(v), 1);
  }
  if (k == CPET_KIND_LIST || k == CPET_KIND_TUPLE) {
    int list = k == CPET_KIND_LIST;
    size_t n = t == CPET_T_NONE ? cpet_value_nchildren(v) : cpet_value_nelem(v);
    if (t != CPET_T_NONE && cpet_value_ndim(v) != 1)
      return cpet__err(CPET_ERR_UNSUPPORTED, "pickle: list of rank %d", cpet_value_ndim(v));
    if (!list && n == 0) {
      puts_(b, "(t");
      return CPET_OK;
    }
    puts_(b, list ? "(l" : "(");
    if (list) memoize(b);
    for (size_t i = 0; i < n; i++) {
      if (t == CPET_T_NONE)
        CPET__CHECK(enc(b, cpet_value_child(v, i), depth + 1));
      else
        CPET__CHECK(put_elem(b, t, (const char *)cpet_value_data(v) + i * cpet_value_itemsize(v),
                             cpet_value_itemsize(v), 0));
      if (list) puts_(b, "a");
    }
    if (!list) {
      puts_(b, "t");
      memoize(b);
    }
    return CPET_OK;
  }
  if (k == CPET_KIND_DICT) {
    puts_(b, "(d");
    memoize(b);
    for (size_t i = 0; i < cpet_value_nchildren(v); i++) {
      const char *key = cpet_value_key(v, i);
      CPET__CHECK(put_str(b, key, strlen(key)));
      CPET__CHECK(enc(b, cpet_value_child(v, i), depth + 1));
      puts_(b, "s");
    }
    return CPET_OK;
  }
  return cpet__err(CPET_ERR_UNSUPPORTED, "pickle protocol 0: cannot encode a %s",
                   cpet_kind_name(k));
}

cpet_status cpet__pickle_encode0(const cpet_value *v, char **out, size_t *len) {
  if (!v || !out || !len) return cpet__err(CPET_ERR_INVAL, "pickle encode: NULL argument");
  *out = NULL;
  *len = 0;
  obuf b = {0};
  b.m_codecs = b.m_latin1 = b.m_complex = -1;
  cpet_status st = enc(&b, v, 0);
  puts_(&b, ".");
  if (st == CPET_OK && b.fail) st = cpet__err(CPET_ERR_NOMEM, "pickle encode: out of memory");
  if (st != CPET_OK) {
    cpet_free(b.p);
    return st;
  }
  b.p[b.n] = 0;
  *out = b.p;
  *len = b.n;
  return CPET_OK;
}

/* ---- protocol 2: numpy object array (pandas' object blocks) ---- */

static void put_binunicode(obuf *b, const char *s, size_t n) {
  unsigned char hdr[5] = {'X', (unsigned char)n, (unsigned char)(n >> 8), (unsigned char)(n >> 16),
                          (unsigned char)(n >> 24)};
  put(b, hdr, 5);
  put(b, s, n);
}

cpet_status cpet__pickle_encode_objarray(const cpet_value *col, int rows2d, unsigned char **out,
                                         size_t *len) {
  *out = NULL;
  *len = 0;
  cpet_type t = cpet_value_type(col);
  if (cpet_value_ndim(col) != 1 || !cpet__type_is_string(t))
    return cpet__err(CPET_ERR_TYPE, "object block: need a 1-d string column");
  size_t n = cpet_value_nelem(col), w = cpet_value_itemsize(col);
  if (n > 0xffffffffu) return cpet__err(CPET_ERR_RANGE, "object block: too many rows");
  int as_bytes = t == CPET_T_PY_BYTES || t == CPET_T_BYTES;
  obuf b = {0};
  b.m_codecs = b.m_latin1 = b.m_complex = -1;
  static const char head[] = "\x80\x02"
                             "cnumpy.core.multiarray\n_reconstruct\n"
                             "cnumpy\nndarray\n"
                             "K\x00\x85"
                             "c_codecs\nencode\n"
                             "X\x01\x00\x00\x00"
                             "b"
                             "X\x06\x00\x00\x00"
                             "latin1"
                             "\x86R"
                             "\x87R"
                             "(K\x01";
  put(&b, head, sizeof head - 1);
  /* shape: (n,) or (n, 1) as BININT */
  unsigned char ni[5] = {'J', (unsigned char)n, (unsigned char)(n >> 8), (unsigned char)(n >> 16),
                         (unsigned char)(n >> 24)};
  put(&b, ni, 5);
  if (rows2d)
    put(&b, "K\x01\x86", 3);
  else
    put(&b, "\x85", 1);
  static const char dt[] = "cnumpy\ndtype\n"
                           "X\x02\x00\x00\x00"
                           "O8"
                           "\x89\x88\x87R"
                           "(K\x03X\x01\x00\x00\x00|NNNJ\xff\xff\xff\xffJ\xff\xff\xff\xffK\x3ftb"
                           "\x89]";
  put(&b, dt, sizeof dt - 1);
  if (n) {
    put(&b, "(", 1);
    for (size_t i = 0; i < n; i++) {
      const char *cell = (const char *)cpet_value_data(col) + i * w;
      size_t cl = cpet__value_string_len(cell, w);
      if (as_bytes) {
        /* BINBYTES is protocol 3; protocol 2 spells bytes as _codecs.encode(str, 'latin1') */
        cpet_status st = put_bytes(&b, (const unsigned char *)cell, cl);
        if (st != CPET_OK) {
          cpet_free(b.p);
          return st;
        }
      } else {
        put_binunicode(&b, cell, cl);
      }
    }
    put(&b, "e", 1);
  }
  put(&b, "tb.", 3);
  if (b.fail) {
    cpet_free(b.p);
    return cpet__err(CPET_ERR_NOMEM, "object block: out of memory");
  }
  *out = (unsigned char *)b.p;
  *len = b.n;
  return CPET_OK;
}
