/* pickle.c - a bounds-checked pickle virtual machine for the subset pypet files contain:
 * protocol 0-2 in full for plain data, plus the protocol 3-5 opcodes (FRAME, MEMOIZE,
 * STACK_GLOBAL, SHORT_BINUNICODE, BINBYTES*) pandas and numpy use. It never executes anything:
 * GLOBAL/REDUCE build inert nodes that pickle_conv.c recognises (numpy arrays and scalars,
 * complex, _codecs.encode). Every read is checked against the input end; stack, memo and object
 * counts are capped, so garbage input gives an error, never a crash. */
#include "layout/layout_int.h"
#include "layout/pickle_int.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

typedef struct vm {
  const unsigned char *p, *end;
  cpet__parena *arena;
  cpet__pobj **stack;
  size_t sn, scap;
  size_t *marks;
  size_t mn, mcap;
  cpet__pobj **memo;
  size_t memocap;
  size_t memo_next; /* MEMOIZE index */
} vm;

void cpet__pickle_arena_free(cpet__parena *a) {
  if (!a) return;
  for (size_t i = 0; i < a->n; i++) {
    cpet__pobj *o = a->objs[i];
    cpet_free(o->s);
    cpet_free(o->s2);
    cpet_free(o->items);
    cpet_free(o);
  }
  cpet_free(a->objs);
  a->objs = NULL;
  a->n = a->cap = 0;
}

static cpet__pobj *pnew(vm *m, cpet__ptype t) {
  cpet__parena *a = m->arena;
  if (a->n >= CPET__PICKLE_MAX_OBJS) return NULL;
  if (a->n == a->cap) {
    size_t nc = a->cap ? a->cap * 2 : 64;
    cpet__pobj **no = cpet__realloc(a->objs, nc * sizeof *no);
    if (!no) return NULL;
    a->objs = no;
    a->cap = nc;
  }
  cpet__pobj *o = cpet__calloc(1, sizeof *o);
  if (!o) return NULL;
  o->t = t;
  a->objs[a->n++] = o;
  return o;
}

#define NOMEM() cpet__err(CPET_ERR_NOMEM, "pickle: out of memory")
#define BAD(...) cpet__err(CPET_ERR_CORRUPT, "pickle: " __VA_ARGS__)

static cpet_status item_push(cpet__pobj *o, cpet__pobj *it) {
  if (o->nitems == o->cap) {
    size_t nc = o->cap ? o->cap * 2 : 4;
    cpet__pobj **ni = cpet__realloc(o->items, nc * sizeof *ni);
    if (!ni) return NOMEM();
    o->items = ni;
    o->cap = nc;
  }
  o->items[o->nitems++] = it;
  return CPET_OK;
}

static cpet_status push(vm *m, cpet__pobj *o) {
  if (!o) return NOMEM();
  if (m->sn + m->mn >= CPET__PICKLE_MAX_STACK)
    return cpet__err(CPET_ERR_RANGE, "pickle: stack deeper than %d", CPET__PICKLE_MAX_STACK);
  if (m->sn == m->scap) {
    size_t nc = m->scap ? m->scap * 2 : 32;
    cpet__pobj **ns = cpet__realloc(m->stack, nc * sizeof *ns);
    if (!ns) return NOMEM();
    m->stack = ns;
    m->scap = nc;
  }
  m->stack[m->sn++] = o;
  return CPET_OK;
}

static cpet_status pop(vm *m, cpet__pobj **o) {
  size_t floor = m->mn ? m->marks[m->mn - 1] : 0;
  if (m->sn <= floor) return BAD("stack underflow");
  *o = m->stack[--m->sn];
  return CPET_OK;
}

static cpet_status top(vm *m, cpet__pobj **o) {
  size_t floor = m->mn ? m->marks[m->mn - 1] : 0;
  if (m->sn <= floor) return BAD("empty stack");
  *o = m->stack[m->sn - 1];
  return CPET_OK;
}

static cpet_status mark(vm *m) {
  if (m->sn + m->mn >= CPET__PICKLE_MAX_STACK)
    return cpet__err(CPET_ERR_RANGE, "pickle: too many marks");
  if (m->mn == m->mcap) {
    size_t nc = m->mcap ? m->mcap * 2 : 16;
    size_t *nm = cpet__realloc(m->marks, nc * sizeof *nm);
    if (!nm) return NOMEM();
    m->marks = nm;
    m->mcap = nc;
  }
  m->marks[m->mn++] = m->sn;
  return CPET_OK;
}

/* Pops the mark; items above it are stack[*from .. sn). */
static cpet_status pop_mark(vm *m, size_t *from) {
  if (!m->mn) return BAD("no MARK");
  *from = m->marks[--m->mn];
  return CPET_OK;
}

static cpet_status need(vm *m, size_t n) {
  if ((size_t)(m->end - m->p) < n) return BAD("truncated");
  return CPET_OK;
}

static cpet_status readline(vm *m, const char **s, size_t *n) {
  const unsigned char *nl = memchr(m->p, '\n', (size_t)(m->end - m->p));
  if (!nl) return BAD("unterminated line");
  *s = (const char *)m->p;
  *n = (size_t)(nl - m->p);
  m->p = nl + 1;
  return CPET_OK;
}

static uint64_t rd_le(const unsigned char *p, int n) {
  uint64_t v = 0;
  for (int i = n - 1; i >= 0; i--)
    v = (v << 8) | p[i];
  return v;
}

static cpet_status memo_put(vm *m, uint64_t idx, cpet__pobj *o) {
  if (idx >= CPET__PICKLE_MAX_MEMO) return cpet__err(CPET_ERR_RANGE, "pickle: memo index too big");
  if (idx >= m->memocap) {
    size_t nc = m->memocap ? m->memocap : 16;
    while (nc <= idx)
      nc *= 2;
    cpet__pobj **nm = cpet__realloc(m->memo, nc * sizeof *nm);
    if (!nm) return NOMEM();
    memset(nm + m->memocap, 0, (nc - m->memocap) * sizeof *nm);
    m->memo = nm;
    m->memocap = nc;
  }
  m->memo[idx] = o;
  return CPET_OK;
}

static cpet_status memo_get(vm *m, uint64_t idx) {
  if (idx >= m->memocap || !m->memo[idx])
    return BAD("memo key %llu missing", (unsigned long long)idx);
  return push(m, m->memo[idx]);
}

/* Decimal text (protocol 0 INT/LONG/GET/PUT args): optional sign, digits, optional 'L'. */
static cpet_status parse_dec(const char *s, size_t n, int allow_l, int64_t *v, int *big) {
  *big = 0;
  if (allow_l && n && s[n - 1] == 'L') n--;
  size_t i = 0;
  int neg = 0;
  if (i < n && (s[i] == '-' || s[i] == '+')) neg = s[i++] == '-';
  if (i == n) return BAD("bad integer text");
  uint64_t acc = 0;
  for (; i < n; i++) {
    if (s[i] < '0' || s[i] > '9') return BAD("bad integer text");
    unsigned d = (unsigned)(s[i] - '0');
    if (acc > (UINT64_MAX - d) / 10)
      *big = 1;
    else
      acc = acc * 10 + d;
  }
  if (!*big && (neg ? acc > (uint64_t)INT64_MAX + 1 : acc > (uint64_t)INT64_MAX)) *big = 1;
  if (!*big) *v = neg ? (int64_t)(0 - acc) : (int64_t)acc;
  return CPET_OK;
}

static cpet_status push_int(vm *m, int64_t v, int big) {
  cpet__pobj *o = pnew(m, big ? CPET__P_BIGINT : CPET__P_INT);
  if (o) o->i = v;
  return push(m, o);
}

/* LONG1/LONG4: little-endian two's complement. */
static cpet_status push_long_bytes(vm *m, const unsigned char *b, size_t n) {
  if (n == 0) return push_int(m, 0, 0);
  if (n > 8) {
    /* fits only if the extra bytes are pure sign extension */
    unsigned char ext = (b[7] & 0x80) ? 0xff : 0;
    for (size_t i = 8; i < n; i++)
      if (b[i] != ext) return push_int(m, 0, 1);
    n = 8;
  }
  uint64_t u = rd_le(b, (int)n);
  if (n < 8 && (b[n - 1] & 0x80)) u |= ~(uint64_t)0 << (8 * n);
  return push_int(m, (int64_t)u, 0);
}

static cpet_status push_sbytes(vm *m, cpet__ptype t, const void *s, size_t n) {
  cpet__pobj *o = pnew(m, t);
  if (!o) return NOMEM();
  o->s = cpet__malloc(n + 1);
  if (!o->s) return NOMEM();
  if (n) memcpy(o->s, s, n);
  o->s[n] = 0;
  o->n = n;
  return push(m, o);
}

static size_t utf8_put(char *out, uint32_t cp) {
  if (cp < 0x80) return out[0] = (char)cp, 1;
  if (cp < 0x800) return out[0] = (char)(0xc0 | cp >> 6), out[1] = (char)(0x80 | (cp & 0x3f)), 2;
  if (cp < 0x10000) {
    out[0] = (char)(0xe0 | cp >> 12);
    out[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
    out[2] = (char)(0x80 | (cp & 0x3f));
    return 3;
  }
  out[0] = (char)(0xf0 | cp >> 18);
  out[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
  out[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
  out[3] = (char)(0x80 | (cp & 0x3f));
  return 4;
}

static int hexval(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

/* Protocol-0 UNICODE: raw-unicode-escape (bytes are latin-1 code points, \uXXXX, \UXXXXXXXX). */
static cpet_status push_raw_unicode(vm *m, const char *s, size_t n) {
  char *buf = cpet__malloc(n * 4 + 1);
  if (!buf) return NOMEM();
  size_t o = 0;
  for (size_t i = 0; i < n;) {
    unsigned char c = (unsigned char)s[i];
    if (c == '\\' && i + 1 < n && (s[i + 1] == 'u' || s[i + 1] == 'U')) {
      int digits = s[i + 1] == 'u' ? 4 : 8;
      if (i + 2 + (size_t)digits > n) {
        cpet_free(buf);
        return BAD("truncated \\u escape");
      }
      uint32_t cp = 0;
      for (int k = 0; k < digits; k++) {
        int h = hexval(s[i + 2 + k]);
        if (h < 0) {
          cpet_free(buf);
          return BAD("bad \\u escape");
        }
        cp = cp * 16 + (uint32_t)h;
      }
      if (cp > 0x10ffff) {
        cpet_free(buf);
        return BAD("code point out of range");
      }
      o += utf8_put(buf + o, cp);
      i += 2 + (size_t)digits;
    } else {
      o += utf8_put(buf + o, c);
      i++;
    }
  }
  cpet_status st = push_sbytes(m, CPET__P_STR, buf, o);
  cpet_free(buf);
  return st;
}

/* Protocol-0 STRING: a Python 2 repr ('...' or "...") with backslash escapes; Python 3 loads
 * it as str when ASCII (encoding="ASCII" default). */
static cpet_status push_string_repr(vm *m, const char *s, size_t n) {
  if (n < 2 || (s[0] != '\'' && s[0] != '"') || s[n - 1] != s[0]) return BAD("bad STRING quotes");
  s++, n -= 2;
  char *buf = cpet__malloc(n + 1);
  if (!buf) return NOMEM();
  size_t o = 0;
  for (size_t i = 0; i < n; i++) {
    char c = s[i];
    if (c == '\\' && i + 1 < n) {
      char e = s[++i];
      switch (e) {
      case 'n':
        c = '\n';
        break;
      case 't':
        c = '\t';
        break;
      case 'r':
        c = '\r';
        break;
      case '\\':
        c = '\\';
        break;
      case '\'':
        c = '\'';
        break;
      case '"':
        c = '"';
        break;
      case 'x':
        if (i + 2 < n && hexval(s[i + 1]) >= 0 && hexval(s[i + 2]) >= 0) {
          c = (char)(hexval(s[i + 1]) * 16 + hexval(s[i + 2]));
          i += 2;
          break;
        }
        cpet_free(buf);
        return BAD("bad \\x escape");
      default:
        if (e >= '0' && e <= '7') {
          int v = e - '0';
          for (int k = 0; k < 2 && i + 1 < n && s[i + 1] >= '0' && s[i + 1] <= '7'; k++)
            v = v * 8 + (s[++i] - '0');
          c = (char)v;
        } else {
          buf[o++] = '\\';
          c = e;
        }
      }
    }
    buf[o++] = c;
  }
  int ascii = 1;
  for (size_t i = 0; i < o; i++)
    ascii &= (unsigned char)buf[i] < 0x80;
  cpet_status st = ascii ? push_sbytes(m, CPET__P_STR, buf, o)
                         : cpet__err(CPET_ERR_UNSUPPORTED, "pickle: non-ASCII Python 2 str");
  cpet_free(buf);
  return st;
}

/* Valid UTF-8 check for BINUNICODE payloads (Python raises on invalid ones). */
static int utf8_valid(const unsigned char *s, size_t n) {
  for (size_t i = 0; i < n;) {
    unsigned char c = s[i];
    size_t k = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
    if (!k || i + k > n) return 0;
    for (size_t j = 1; j < k; j++)
      if ((s[i + j] & 0xc0) != 0x80) return 0;
    i += k;
  }
  return 1;
}

static cpet_status push_counted(vm *m, cpet__ptype t, int lenbytes) {
  CPET__CHECK(need(m, (size_t)lenbytes));
  uint64_t n = rd_le(m->p, lenbytes);
  m->p += lenbytes;
  if (n > (uint64_t)(m->end - m->p))
    return BAD("string length %llu beyond input", (unsigned long long)n);
  if (t == CPET__P_STR && !utf8_valid(m->p, (size_t)n)) return BAD("invalid UTF-8 in str");
  cpet_status st = push_sbytes(m, t, m->p, (size_t)n);
  m->p += n;
  return st;
}

static cpet_status make_seq(vm *m, cpet__ptype t, size_t from) {
  cpet__pobj *o = pnew(m, t);
  if (!o) return NOMEM();
  for (size_t i = from; i < m->sn; i++)
    CPET__CHECK(item_push(o, m->stack[i]));
  m->sn = from;
  return push(m, o);
}

static cpet_status tuple_n(vm *m, size_t n) {
  size_t floor = m->mn ? m->marks[m->mn - 1] : 0;
  if (m->sn - floor < n) return BAD("stack underflow in TUPLE%zu", n);
  return make_seq(m, CPET__P_TUPLE, m->sn - n);
}

static cpet_status add_items(vm *m, cpet__pobj *target, size_t from, int pairs) {
  if (pairs && (m->sn - from) % 2) return BAD("odd SETITEMS");
  if (target->t != (pairs ? CPET__P_DICT : CPET__P_LIST) && !(!pairs && target->t == CPET__P_SET))
    return cpet__err(CPET_ERR_UNSUPPORTED, "pickle: %s on a non-%s object",
                     pairs ? "SETITEM" : "APPEND", pairs ? "dict" : "list");
  for (size_t i = from; i < m->sn; i++)
    CPET__CHECK(item_push(target, m->stack[i]));
  m->sn = from;
  return CPET_OK;
}

static cpet_status make_global(vm *m, const char *mod, size_t nm, const char *name, size_t nn) {
  cpet__pobj *o = pnew(m, CPET__P_GLOBAL);
  if (!o || !(o->s = cpet__strndup(mod, nm)) || !(o->s2 = cpet__strndup(name, nn))) return NOMEM();
  o->n = nm;
  return push(m, o);
}

static cpet_status make_call(vm *m, cpet__pobj *fn, cpet__pobj *args) {
  cpet__pobj *o = pnew(m, CPET__P_CALL);
  if (!o) return NOMEM();
  CPET__CHECK(item_push(o, fn));
  CPET__CHECK(item_push(o, args));
  return push(m, o);
}

static cpet_status step(vm *m, unsigned char op, int *stop) {
  const char *s = NULL;
  size_t n = 0, from = 0;
  int64_t iv = 0;
  int big = 0;
  cpet__pobj *a = NULL, *b = NULL, *c = NULL;
  switch (op) {
  case '(':
    return mark(m);
  case '.':
    *stop = 1;
    return CPET_OK;
  case '0':
    return pop(m, &a);
  case '1':
    CPET__CHECK(pop_mark(m, &from));
    m->sn = from;
    return CPET_OK;
  case '2':
    CPET__CHECK(top(m, &a));
    return push(m, a);
  case 'F': {
    CPET__CHECK(readline(m, &s, &n));
    char tmp[64];
    if (n == 0 || n >= sizeof tmp) return BAD("bad FLOAT text");
    memcpy(tmp, s, n);
    tmp[n] = 0;
    char *endp;
    double d = strtod(tmp, &endp);
    if (*endp) return BAD("bad FLOAT text '%s'", tmp);
    a = pnew(m, CPET__P_FLOAT);
    if (a) a->f = d;
    return push(m, a);
  }
  case 'G':
    CPET__CHECK(need(m, 8));
    {
      uint64_t u = 0;
      for (int k = 0; k < 8; k++)
        u = (u << 8) | m->p[k]; /* big-endian */
      m->p += 8;
      a = pnew(m, CPET__P_FLOAT);
      if (a) memcpy(&a->f, &u, 8);
    }
    return push(m, a);
  case 'I':
    CPET__CHECK(readline(m, &s, &n));
    if (n == 2 && s[0] == '0' && (s[1] == '0' || s[1] == '1')) {
      a = pnew(m, CPET__P_BOOL);
      if (a) a->i = s[1] == '1';
      return push(m, a);
    }
    CPET__CHECK(parse_dec(s, n, 0, &iv, &big));
    return push_int(m, iv, big);
  case 'L':
    CPET__CHECK(readline(m, &s, &n));
    CPET__CHECK(parse_dec(s, n, 1, &iv, &big));
    return push_int(m, iv, big);
  case 'J':
    CPET__CHECK(need(m, 4));
    iv = (int32_t)(uint32_t)rd_le(m->p, 4);
    m->p += 4;
    return push_int(m, iv, 0);
  case 'K':
    CPET__CHECK(need(m, 1));
    iv = m->p[0];
    m->p += 1;
    return push_int(m, iv, 0);
  case 'M':
    CPET__CHECK(need(m, 2));
    iv = (int64_t)rd_le(m->p, 2);
    m->p += 2;
    return push_int(m, iv, 0);
  case 0x8a:
  case 0x8b: {
    int lb = op == 0x8a ? 1 : 4;
    CPET__CHECK(need(m, (size_t)lb));
    uint64_t ln = rd_le(m->p, lb);
    m->p += lb;
    if (op == 0x8b && (ln & 0x80000000u)) return BAD("negative LONG4 length");
    if (ln > (uint64_t)(m->end - m->p)) return BAD("LONG beyond input");
    const unsigned char *bp = m->p;
    m->p += ln;
    return push_long_bytes(m, bp, (size_t)ln);
  }
  case 'N':
    return push(m, pnew(m, CPET__P_NONE));
  case 0x88:
  case 0x89:
    a = pnew(m, CPET__P_BOOL);
    if (a) a->i = op == 0x88;
    return push(m, a);
  case 'S':
    CPET__CHECK(readline(m, &s, &n));
    return push_string_repr(m, s, n);
  case 'T':
  case 'U': {
    /* Python 2 str: Python 3 decodes it with ASCII; bytes >= 0x80 fail there too */
    size_t before = m->sn;
    CPET__CHECK(push_counted(m, CPET__P_BYTES, op == 'T' ? 4 : 1));
    a = m->stack[before];
    for (size_t i = 0; i < a->n; i++)
      if ((unsigned char)a->s[i] >= 0x80)
        return cpet__err(CPET_ERR_UNSUPPORTED, "pickle: non-ASCII Python 2 str");
    a->t = CPET__P_STR;
    return CPET_OK;
  }
  case 'V':
    CPET__CHECK(readline(m, &s, &n));
    return push_raw_unicode(m, s, n);
  case 'X':
    return push_counted(m, CPET__P_STR, 4);
  case 0x8c:
    return push_counted(m, CPET__P_STR, 1);
  case 0x8d:
    return push_counted(m, CPET__P_STR, 8);
  case 'B':
    return push_counted(m, CPET__P_BYTES, 4);
  case 'C':
    return push_counted(m, CPET__P_BYTES, 1);
  case 0x8e:
    return push_counted(m, CPET__P_BYTES, 8);
  case 0x96:
    return push_counted(m, CPET__P_BYTES, 8); /* bytearray: carried as bytes */
  case 0x98:
    return CPET_OK; /* READONLY_BUFFER: no-op on bytes */
  case ']':
    return push(m, pnew(m, CPET__P_LIST));
  case '}':
    return push(m, pnew(m, CPET__P_DICT));
  case ')':
    return push(m, pnew(m, CPET__P_TUPLE));
  case 0x8f:
    return push(m, pnew(m, CPET__P_SET));
  case 'l':
    CPET__CHECK(pop_mark(m, &from));
    return make_seq(m, CPET__P_LIST, from);
  case 't':
    CPET__CHECK(pop_mark(m, &from));
    return make_seq(m, CPET__P_TUPLE, from);
  case 0x91:
    CPET__CHECK(pop_mark(m, &from));
    return make_seq(m, CPET__P_SET, from);
  case 'd':
    CPET__CHECK(pop_mark(m, &from));
    if ((m->sn - from) % 2) return BAD("odd DICT");
    return make_seq(m, CPET__P_DICT, from);
  case 0x85:
    return tuple_n(m, 1);
  case 0x86:
    return tuple_n(m, 2);
  case 0x87:
    return tuple_n(m, 3);
  case 'a':
    if (m->sn < 2 || (m->mn && m->sn - 2 < m->marks[m->mn - 1])) return BAD("APPEND underflow");
    return add_items(m, m->stack[m->sn - 2], m->sn - 1, 0);
  case 's':
    if (m->sn < 3 || (m->mn && m->sn - 3 < m->marks[m->mn - 1])) return BAD("SETITEM underflow");
    return add_items(m, m->stack[m->sn - 3], m->sn - 2, 1);
  case 'e':
  case 'u':
  case 0x90:
    CPET__CHECK(pop_mark(m, &from));
    if (from == 0 || (m->mn && from - 1 < m->marks[m->mn - 1]))
      return BAD("APPENDS without target");
    return add_items(m, m->stack[from - 1], from, op == 'u');
  case 'p':
    CPET__CHECK(readline(m, &s, &n));
    CPET__CHECK(parse_dec(s, n, 0, &iv, &big));
    if (big || iv < 0) return BAD("bad PUT index");
    CPET__CHECK(top(m, &a));
    return memo_put(m, (uint64_t)iv, a);
  case 'q':
  case 'r': {
    int nb = op == 'q' ? 1 : 4;
    CPET__CHECK(need(m, (size_t)nb));
    uint64_t idx = rd_le(m->p, nb);
    m->p += nb;
    CPET__CHECK(top(m, &a));
    return memo_put(m, idx, a);
  }
  case 0x94:
    CPET__CHECK(top(m, &a));
    return memo_put(m, m->memo_next++, a);
  case 'g':
    CPET__CHECK(readline(m, &s, &n));
    CPET__CHECK(parse_dec(s, n, 0, &iv, &big));
    if (big || iv < 0) return BAD("bad GET index");
    return memo_get(m, (uint64_t)iv);
  case 'h':
  case 'j': {
    int nb = op == 'h' ? 1 : 4;
    CPET__CHECK(need(m, (size_t)nb));
    uint64_t idx = rd_le(m->p, nb);
    m->p += nb;
    return memo_get(m, idx);
  }
  case 'c': {
    const char *mod = NULL;
    size_t nm = 0;
    CPET__CHECK(readline(m, &mod, &nm));
    CPET__CHECK(readline(m, &s, &n));
    return make_global(m, mod, nm, s, n);
  }
  case 0x93:
    CPET__CHECK(pop(m, &b));
    CPET__CHECK(pop(m, &a));
    if (a->t != CPET__P_STR || b->t != CPET__P_STR) return BAD("STACK_GLOBAL needs two str");
    return make_global(m, a->s, a->n, b->s, b->n);
  case 'R':
  case 0x81:
    CPET__CHECK(pop(m, &b));
    CPET__CHECK(pop(m, &a));
    if (b->t != CPET__P_TUPLE) return BAD("REDUCE/NEWOBJ args are no tuple");
    return make_call(m, a, b);
  case 0x92:
    CPET__CHECK(pop(m, &c)); /* kwargs: only an empty dict is understood */
    CPET__CHECK(pop(m, &b));
    CPET__CHECK(pop(m, &a));
    if (b->t != CPET__P_TUPLE || c->t != CPET__P_DICT || c->nitems)
      return cpet__err(CPET_ERR_UNSUPPORTED, "pickle: NEWOBJ_EX with keyword arguments");
    return make_call(m, a, b);
  case 'b':
    CPET__CHECK(pop(m, &b));
    CPET__CHECK(top(m, &a));
    if (a->t != CPET__P_CALL || a->state)
      return cpet__err(CPET_ERR_UNSUPPORTED, "pickle: BUILD on a non-reconstructed object");
    a->state = b;
    return CPET_OK;
  case 0x80:
    CPET__CHECK(need(m, 1));
    if (m->p[0] > 5) return cpet__err(CPET_ERR_VERSION, "pickle: protocol %d", m->p[0]);
    m->p++;
    return CPET_OK;
  case 0x95: /* FRAME: the length is only a read-ahead hint; opcodes continue inline */
    CPET__CHECK(need(m, 8));
    if (rd_le(m->p, 8) > (uint64_t)(m->end - m->p - 8)) return BAD("FRAME beyond input");
    m->p += 8;
    return CPET_OK;
  default:
    return cpet__err(CPET_ERR_UNSUPPORTED, "pickle: opcode 0x%02x not supported", op);
  }
}

cpet_status cpet__pickle_run(const unsigned char *p, size_t len, cpet__parena *arena,
                             cpet__pobj **result) {
  *result = NULL;
  if (!p && len) return cpet__err(CPET_ERR_INVAL, "pickle: NULL input");
  vm m = {0};
  m.p = p;
  m.end = p + len;
  m.arena = arena;
  cpet_status st = CPET_OK;
  int stop = 0;
  while (st == CPET_OK && !stop) {
    if (m.p >= m.end) {
      st = BAD("no STOP opcode");
      break;
    }
    unsigned char op = *m.p++;
    st = step(&m, op, &stop);
  }
  if (st == CPET_OK) {
    if (m.sn != 1 || m.mn)
      st = BAD("stack holds %zu items at STOP", m.sn);
    else
      *result = m.stack[0];
  }
  cpet_free(m.stack);
  cpet_free(m.marks);
  cpet_free(m.memo);
  return st;
}

cpet_status cpet__pickle_decode_ex(const void *p, size_t len, int flags, cpet_value **out) {
  if (!out) return cpet__err(CPET_ERR_INVAL, "pickle decode: NULL out");
  *out = NULL;
  cpet__parena arena = {0};
  cpet__pobj *res;
  cpet_status st = cpet__pickle_run(p, len, &arena, &res);
  if (st == CPET_OK) st = cpet__pickle_to_value(res, flags, 0, out);
  cpet__pickle_arena_free(&arena);
  return st;
}

cpet_status cpet__pickle_decode(const void *p, size_t len, cpet_value **out) {
  return cpet__pickle_decode_ex(p, len, 0, out);
}
