/* npz.c - .npy (format 1.0 writer, 1.0-3.0 reader) and a small ZIP reader/writer, as used by
 * scipy.sparse.save_npz. Every offset read from the input is checked against its length. */
#include "layout/npz_int.h"
#include "value/value_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#define CORRUPT(...) cpet__err(CPET_ERR_CORRUPT, __VA_ARGS__)
#define NOMEM(what) cpet__err(CPET_ERR_NOMEM, "%s: out of memory", what)

static uint32_t rd16(const unsigned char *p) { return (uint32_t)p[0] | (uint32_t)p[1] << 8; }
static uint32_t rd32(const unsigned char *p) {
  return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}
static uint64_t rd64(const unsigned char *p) { return rd32(p) | (uint64_t)rd32(p + 4) << 32; }
static void wr16(unsigned char *p, uint32_t v) {
  p[0] = (unsigned char)v, p[1] = (unsigned char)(v >> 8);
}
static void wr32(unsigned char *p, uint32_t v) {
  for (int i = 0; i < 4; i++)
    p[i] = (unsigned char)(v >> (8 * i));
}

/* ---- .npy ---- */

static const struct {
  cpet_type t;
  const char *descr;
} NPY_TYPES[] = {
    {CPET_T_PY_BOOL, "|b1"},   {CPET_T_BOOL, "|b1"},        {CPET_T_PY_INT, "<i8"},
    {CPET_T_INT8, "|i1"},      {CPET_T_INT16, "<i2"},       {CPET_T_INT32, "<i4"},
    {CPET_T_INT64, "<i8"},     {CPET_T_UINT8, "|u1"},       {CPET_T_UINT16, "<u2"},
    {CPET_T_UINT32, "<u4"},    {CPET_T_UINT64, "<u8"},      {CPET_T_PY_FLOAT, "<f8"},
    {CPET_T_FLOAT32, "<f4"},   {CPET_T_FLOAT64, "<f8"},     {CPET_T_PY_COMPLEX, "<c16"},
    {CPET_T_COMPLEX64, "<c8"}, {CPET_T_COMPLEX128, "<c16"},
};

cpet_status cpet__npy_write(const cpet_value *v, unsigned char **out, size_t *len) {
  *out = NULL;
  *len = 0;
  cpet_kind k = cpet_value_kind(v);
  cpet_type t = cpet_value_type(v);
  if (k > CPET_KIND_TUPLE || t == CPET_T_NONE)
    return cpet__err(CPET_ERR_TYPE, "npy: cannot write a %s", cpet_kind_name(k));
  char descr[32] = "";
  for (size_t i = 0; i < sizeof NPY_TYPES / sizeof NPY_TYPES[0]; i++)
    if (NPY_TYPES[i].t == t) snprintf(descr, sizeof descr, "%s", NPY_TYPES[i].descr);
  size_t isz = cpet_value_itemsize(v);
  if (t == CPET_T_BYTES || t == CPET_T_PY_BYTES) snprintf(descr, sizeof descr, "|S%zu", isz);
  if (!descr[0])
    return cpet__err(CPET_ERR_UNSUPPORTED, "npy: element type %s not written", cpet_type_name(t));
  char shape[CPET_MAX_NDIM * 24 + 8];
  size_t o = 0;
  int nd = cpet_value_ndim(v);
  const size_t *sh = cpet_value_shape(v);
  o += (size_t)snprintf(shape + o, sizeof shape - o, "(");
  for (int i = 0; i < nd; i++)
    o += (size_t)snprintf(shape + o, sizeof shape - o, "%zu%s", sh[i],
                          nd == 1      ? ","
                          : i + 1 < nd ? ", "
                                       : "");
  snprintf(shape + o, sizeof shape - o, ")");
  char hdr[1024];
  int hl = snprintf(hdr, sizeof hdr, "{'descr': '%s', 'fortran_order': False, 'shape': %s, }",
                    descr, shape);
  size_t total = 10 + (size_t)hl + 1;
  size_t pad = (64 - total % 64) % 64;
  size_t hlen = (size_t)hl + pad + 1;
  size_t nbytes = cpet_value_nelem(v) * isz;
  unsigned char *b = cpet__malloc(10 + hlen + nbytes + 1);
  if (!b) return NOMEM("npy");
  memcpy(b, "\x93NUMPY\x01\x00", 8);
  wr16(b + 8, (uint32_t)hlen);
  memcpy(b + 10, hdr, (size_t)hl);
  memset(b + 10 + hl, ' ', pad);
  b[10 + hlen - 1] = '\n';
  if (nbytes) memcpy(b + 10 + hlen, cpet_value_data(v), nbytes);
  *out = b;
  *len = 10 + hlen + nbytes;
  return CPET_OK;
}

/* Finds 'key': in the header dict and returns a pointer after the colon and spaces. */
static const char *hdr_find(const char *h, const char *key) {
  char pat[32];
  snprintf(pat, sizeof pat, "'%s':", key);
  const char *p = strstr(h, pat);
  if (!p) return NULL;
  p += strlen(pat);
  while (*p == ' ')
    p++;
  return p;
}

static cpet_status npy_dtype(const char *d, cpet_type *t, size_t *size, int *swap, int *ucs4) {
  *swap = d[0] == '>';
  *ucs4 = 0;
  if (d[0] != '<' && d[0] != '>' && d[0] != '|' && d[0] != '=')
    return cpet__err(CPET_ERR_UNSUPPORTED, "npy: dtype '%s'", d);
  char kind = d[1];
  char *endp;
  long n = strtol(d + 2, &endp, 10);
  if (endp == d + 2 || *endp != '\'' || n <= 0 || n > (1L << 30))
    return cpet__err(CPET_ERR_UNSUPPORTED, "npy: dtype '%.16s'", d);
  for (size_t i = 2; i < sizeof NPY_TYPES / sizeof NPY_TYPES[0]; i++) {
    const char *nd = NPY_TYPES[i].descr;
    if (nd[1] == kind && atol(nd + 2) == n && cpet__type_is_python(NPY_TYPES[i].t) == 0) {
      *t = NPY_TYPES[i].t;
      *size = (size_t)n;
      return CPET_OK;
    }
  }
  if (kind == 'b' && n == 1) return *t = CPET_T_BOOL, *size = 1, CPET_OK;
  if (kind == 'S') return *t = CPET_T_BYTES, *size = (size_t)n, *swap = 0, CPET_OK;
  if (kind == 'U') return *t = CPET_T_STR, *size = (size_t)n * 4, *ucs4 = 1, CPET_OK;
  return cpet__err(CPET_ERR_UNSUPPORTED, "npy: dtype '%.16s'", d);
}

cpet_status cpet__npy_read(const unsigned char *p, size_t len, cpet_value **out) {
  *out = NULL;
  if (len < 10 || memcmp(p, "\x93NUMPY", 6) != 0) return CORRUPT("npy: bad magic");
  int major = p[6];
  size_t hlen, off;
  if (major == 1)
    hlen = rd16(p + 8), off = 10;
  else if (major == 2 || major == 3) {
    if (len < 12) return CORRUPT("npy: truncated header");
    hlen = rd32(p + 8), off = 12;
  } else
    return cpet__err(CPET_ERR_VERSION, "npy: format version %d", major);
  if (hlen > len - off || hlen > 65536) return CORRUPT("npy: header beyond data");
  char *h = cpet__strndup((const char *)p + off, hlen);
  if (!h) return NOMEM("npy");
  cpet_status st = CPET_OK;
  const char *d = hdr_find(h, "descr"), *f = hdr_find(h, "fortran_order"),
             *s = hdr_find(h, "shape");
  cpet_type t = CPET_T_NONE;
  size_t esize = 0, shape[CPET_MAX_NDIM], nelem = 1;
  int swap = 0, ucs4 = 0, fortran = 0, nd = 0;
  if (!d || !f || !s || *d != '\'' || *s != '(') st = CORRUPT("npy: header '%s'", h);
  if (st == CPET_OK) st = npy_dtype(d + 1, &t, &esize, &swap, &ucs4);
  if (st == CPET_OK) {
    fortran = strncmp(f, "True", 4) == 0;
    const char *q = s + 1;
    while (st == CPET_OK && *q != ')') {
      while (*q == ' ' || *q == ',')
        q++;
      if (*q == ')') break;
      char *endp;
      unsigned long long dim = strtoull(q, &endp, 10);
      if (endp == q || nd >= CPET_MAX_NDIM || dim > ((size_t)1 << 48))
        st = CORRUPT("npy: shape in '%s'", h);
      else if (cpet__mul_size(nelem, (size_t)dim, &nelem))
        st = CORRUPT("npy: shape overflow");
      else
        shape[nd++] = (size_t)dim, q = endp;
    }
  }
  cpet_free(h);
  CPET__CHECK(st);
  off += hlen;
  size_t nbytes;
  if (cpet__mul_size(nelem, esize, &nbytes) || nbytes > len - off)
    return CORRUPT("npy: %zu elements of %zu bytes beyond the data", nelem, esize);
  const unsigned char *data = p + off;
  size_t width = esize;
  unsigned char *conv = NULL;
  if (ucs4) { /* UTF-32 cells -> fixed-width UTF-8 */
    size_t chars = esize / 4, cap;
    if (cpet__mul_size(nelem ? nelem : 1, chars * 4, &cap)) return CORRUPT("npy: too big");
    conv = cpet__calloc(cap + 1, 1);
    if (!conv) return NOMEM("npy");
    width = 1;
    for (size_t i = 0; i < nelem; i++) {
      size_t o = 0;
      unsigned char *dst = conv + i * chars * 4;
      for (size_t c = 0; c < chars; c++) {
        const unsigned char *q = data + i * esize + c * 4;
        uint32_t cp = swap
                          ? (uint32_t)q[0] << 24 | (uint32_t)q[1] << 16 | (uint32_t)q[2] << 8 | q[3]
                          : rd32(q);
        if (cp == 0) break;
        if (cp > 0x10ffff) {
          cpet_free(conv);
          return CORRUPT("npy: invalid code point");
        }
        if (cp < 0x80)
          dst[o++] = (unsigned char)cp;
        else if (cp < 0x800)
          dst[o++] = (unsigned char)(0xc0 | cp >> 6),
          dst[o++] = (unsigned char)(0x80 | (cp & 0x3f));
        else if (cp < 0x10000)
          dst[o++] = (unsigned char)(0xe0 | cp >> 12),
          dst[o++] = (unsigned char)(0x80 | ((cp >> 6) & 0x3f)),
          dst[o++] = (unsigned char)(0x80 | (cp & 0x3f));
        else
          dst[o++] = (unsigned char)(0xf0 | cp >> 18),
          dst[o++] = (unsigned char)(0x80 | ((cp >> 12) & 0x3f)),
          dst[o++] = (unsigned char)(0x80 | ((cp >> 6) & 0x3f)),
          dst[o++] = (unsigned char)(0x80 | (cp & 0x3f));
      }
      if (o > width) width = o;
    }
    /* compact to `width` */
    for (size_t i = 0; i < nelem; i++)
      memmove(conv + i * width, conv + i * chars * 4, width);
    data = conv;
  }
  void *buf;
  st = cpet__value_new_array_uninit(CPET_KIND_NDARRAY, t, width, nd, shape, out, &buf);
  if (st == CPET_OK && buf) {
    if (fortran && nd > 1) {
      size_t idx[CPET_MAX_NDIM] = {0};
      for (size_t e = 0; e < nelem; e++) {
        size_t src = 0, stride = 1;
        for (int k = 0; k < nd; k++)
          src += idx[k] * stride, stride *= shape[k];
        memcpy((char *)buf + e * width, data + src * width, width);
        for (int k = nd - 1; k >= 0 && ++idx[k] == shape[k]; k--)
          idx[k] = 0;
      }
    } else {
      memcpy(buf, data, nelem * width);
    }
    if (swap && !ucs4 && t != CPET_T_BYTES && width > 1) {
      size_t w = cpet__type_is_complex(t) ? width / 2 : width;
      unsigned char *b = buf;
      for (size_t i = 0; i < nelem * width; i += w)
        for (size_t a = 0, z = w - 1; a < z; a++, z--) {
          unsigned char tmp = b[i + a];
          b[i + a] = b[i + z];
          b[i + z] = tmp;
        }
    }
    if (cpet__type_is_bool(t))
      for (size_t i = 0; i < nelem; i++)
        ((unsigned char *)buf)[i] = ((unsigned char *)buf)[i] != 0;
  }
  cpet_free(conv);
  return st;
}

/* ---- ZIP ---- */

void cpet__zip_free(cpet__zip_member *m, size_t n) {
  if (!m) return;
  for (size_t i = 0; i < n; i++) {
    cpet_free(m[i].name);
    cpet_free(m[i].data);
  }
  cpet_free(m);
}

static cpet_status inflate_raw(const unsigned char *src, size_t slen, unsigned char *dst,
                               size_t dlen) {
  z_stream zs;
  memset(&zs, 0, sizeof zs);
  if (inflateInit2(&zs, -15) != Z_OK) return cpet__err(CPET_ERR_NOMEM, "zip: inflateInit failed");
  cpet_status st = CPET_OK;
  size_t done_in = 0, done_out = 0;
  int rc = Z_OK;
  /* feed in <= 1 GiB pieces: z_stream counts are 32-bit */
  while (rc == Z_OK) {
    size_t in = slen - done_in, outn = dlen - done_out;
    zs.next_in = (Bytef *)(src + done_in);
    zs.avail_in = (uInt)(in > (1u << 30) ? (1u << 30) : in);
    zs.next_out = dst + done_out;
    zs.avail_out = (uInt)(outn > (1u << 30) ? (1u << 30) : outn);
    uInt ai = zs.avail_in, ao = zs.avail_out;
    rc = inflate(&zs, Z_NO_FLUSH);
    done_in += ai - zs.avail_in;
    done_out += ao - zs.avail_out;
    if (rc == Z_OK && ai == zs.avail_in && ao == zs.avail_out) rc = Z_BUF_ERROR;
  }
  if (rc != Z_STREAM_END || done_out != dlen) st = CORRUPT("zip: deflate stream corrupt (%d)", rc);
  inflateEnd(&zs);
  return st;
}

/* Zip64 extended info extra field: replaces the 0xffffffff fields in order. */
static void zip64_sizes(const unsigned char *ex, size_t exlen, uint64_t *usize, uint64_t *csize,
                        uint64_t *off) {
  size_t i = 0;
  while (i + 4 <= exlen) {
    uint32_t id = rd16(ex + i), sz = rd16(ex + i + 2);
    if (i + 4 + sz > exlen) return;
    if (id == 1) {
      const unsigned char *q = ex + i + 4, *qe = q + sz;
      if (*usize == 0xffffffffu && q + 8 <= qe) *usize = rd64(q), q += 8;
      if (*csize == 0xffffffffu && q + 8 <= qe) *csize = rd64(q), q += 8;
      if (off && *off == 0xffffffffu && q + 8 <= qe) *off = rd64(q);
      return;
    }
    i += 4 + sz;
  }
}

cpet_status cpet__zip_read(const unsigned char *z, size_t len, cpet__zip_member **members,
                           size_t *nout) {
  *members = NULL;
  *nout = 0;
  if (len < 22) return CORRUPT("zip: too short (%zu bytes)", len);
  size_t eocd = (size_t)-1;
  size_t lo = len > 22 + 65535 ? len - 22 - 65535 : 0;
  for (size_t i = len - 22 + 1; i-- > lo;)
    if (rd32(z + i) == 0x06054b50) {
      eocd = i;
      break;
    }
  if (eocd == (size_t)-1) return CORRUPT("zip: no end of central directory");
  size_t n = rd16(z + eocd + 10);
  uint64_t cdoff = rd32(z + eocd + 16);
  if (n > CPET__ZIP_MAX_MEMBERS) return cpet__err(CPET_ERR_RANGE, "zip: %zu members", n);
  if (cdoff == 0xffffffffu && eocd >= 20 && rd32(z + eocd - 20) == 0x07064b50) {
    uint64_t e64 = rd64(z + eocd - 20 + 8);
    if (e64 > len - 56) return CORRUPT("zip: zip64 end record beyond data");
    if (rd32(z + e64) != 0x06064b50) return CORRUPT("zip: bad zip64 end record");
    cdoff = rd64(z + e64 + 48);
  }
  cpet__zip_member *m = cpet__calloc(n ? n : 1, sizeof *m);
  if (!m) return NOMEM("zip");
  cpet_status st = CPET_OK;
  size_t p = (size_t)cdoff;
  if (cdoff > len) st = CORRUPT("zip: central directory beyond data");
  for (size_t i = 0; st == CPET_OK && i < n; i++) {
    if (p > len || len - p < 46 || rd32(z + p) != 0x02014b50) {
      st = CORRUPT("zip: bad central directory entry %zu", i);
      break;
    }
    uint32_t method = rd16(z + p + 10), crc = rd32(z + p + 16);
    uint64_t csize = rd32(z + p + 20), usize = rd32(z + p + 24), loff = rd32(z + p + 42);
    size_t nl = rd16(z + p + 28), el = rd16(z + p + 30), cl = rd16(z + p + 32);
    if (len - p - 46 < nl + el + cl) {
      st = CORRUPT("zip: central entry %zu beyond data", i);
      break;
    }
    zip64_sizes(z + p + 46 + nl, el, &usize, &csize, &loff);
    m[i].name = cpet__strndup((const char *)z + p + 46, nl);
    if (!m[i].name) {
      st = NOMEM("zip");
      break;
    }
    p += 46 + nl + el + cl;
    if (loff > len || len - loff < 30 || rd32(z + loff) != 0x04034b50) {
      st = CORRUPT("zip: bad local header of '%s'", m[i].name);
      break;
    }
    uint64_t doff = loff + 30 + rd16(z + loff + 26) + rd16(z + loff + 28);
    if (doff > len || csize > len - doff) {
      st = CORRUPT("zip: member '%s' beyond data", m[i].name);
      break;
    }
    if (usize > CPET__ZIP_MAX_MEMBER) {
      st = cpet__err(CPET_ERR_RANGE, "zip: member '%s' of %llu bytes", m[i].name,
                     (unsigned long long)usize);
      break;
    }
    m[i].data = cpet__malloc((size_t)usize + 1);
    m[i].len = (size_t)usize;
    if (!m[i].data) {
      st = NOMEM("zip");
      break;
    }
    if (method == 0) {
      if (csize != usize)
        st = CORRUPT("zip: stored member '%s' with differing sizes", m[i].name);
      else if (usize)
        memcpy(m[i].data, z + doff, (size_t)usize);
    } else if (method == 8) {
      st = inflate_raw(z + doff, (size_t)csize, m[i].data, (size_t)usize);
    } else {
      st = cpet__err(CPET_ERR_UNSUPPORTED, "zip: compression method %u of '%s'", method, m[i].name);
    }
    if (st == CPET_OK) {
      uLong c = crc32(0L, Z_NULL, 0);
      for (size_t k = 0; k < m[i].len; k += 1u << 30)
        c = crc32(c, m[i].data + k, (uInt)(m[i].len - k > (1u << 30) ? (1u << 30) : m[i].len - k));
      if ((uint32_t)c != crc) st = CORRUPT("zip: CRC mismatch in '%s'", m[i].name);
    }
  }
  if (st != CPET_OK) {
    cpet__zip_free(m, n);
    return st;
  }
  *members = m;
  *nout = n;
  return CPET_OK;
}

cpet_status cpet__zip_write(const cpet__zip_member *m, size_t n, unsigned char **out, size_t *len) {
  *out = NULL;
  *len = 0;
  if (n > 0xffff) return cpet__err(CPET_ERR_RANGE, "zip: %zu members", n);
  size_t total = 22;
  for (size_t i = 0; i < n; i++) {
    size_t nl = strlen(m[i].name);
    if (nl > 0xffff || m[i].len >= 0xffffffffu)
      return cpet__err(CPET_ERR_RANGE, "zip: member '%s' too large for a plain zip", m[i].name);
    total += 30 + 46 + 2 * nl + m[i].len;
  }
  if (total >= 0xffffffffu) return cpet__err(CPET_ERR_RANGE, "zip: archive too large");
  unsigned char *b = cpet__calloc(total + 1, 1);
  size_t *offs = cpet__calloc(n ? n : 1, sizeof *offs);
  uint32_t *crcs = cpet__calloc(n ? n : 1, sizeof *crcs);
  if (!b || !offs || !crcs) {
    cpet_free(b);
    cpet_free(offs);
    cpet_free(crcs);
    return NOMEM("zip");
  }
  size_t p = 0;
  for (size_t i = 0; i < n; i++) {
    size_t nl = strlen(m[i].name);
    crcs[i] = (uint32_t)crc32(crc32(0L, Z_NULL, 0), m[i].data, (uInt)m[i].len);
    offs[i] = p;
    wr32(b + p, 0x04034b50);
    wr16(b + p + 4, 20);    /* version needed */
    wr16(b + p + 12, 0x21); /* date 1980-01-01 */
    wr32(b + p + 14, crcs[i]);
    wr32(b + p + 18, (uint32_t)m[i].len);
    wr32(b + p + 22, (uint32_t)m[i].len);
    wr16(b + p + 26, (uint32_t)nl);
    memcpy(b + p + 30, m[i].name, nl);
    if (m[i].len) memcpy(b + p + 30 + nl, m[i].data, m[i].len);
    p += 30 + nl + m[i].len;
  }
  size_t cd = p;
  for (size_t i = 0; i < n; i++) {
    size_t nl = strlen(m[i].name);
    wr32(b + p, 0x02014b50);
    wr16(b + p + 4, 20);
    wr16(b + p + 6, 20);
    wr16(b + p + 14, 0x21);
    wr32(b + p + 16, crcs[i]);
    wr32(b + p + 20, (uint32_t)m[i].len);
    wr32(b + p + 24, (uint32_t)m[i].len);
    wr16(b + p + 28, (uint32_t)nl);
    wr32(b + p + 38, 0x81800000u); /* external attrs: regular file 0600, as zipfile */
    wr32(b + p + 42, (uint32_t)offs[i]);
    memcpy(b + p + 46, m[i].name, nl);
    p += 46 + nl;
  }
  wr32(b + p, 0x06054b50);
  wr16(b + p + 8, (uint32_t)n);
  wr16(b + p + 10, (uint32_t)n);
  wr32(b + p + 12, (uint32_t)(p - cd));
  wr32(b + p + 16, (uint32_t)cd);
  p += 22;
  cpet_free(offs);
  cpet_free(crcs);
  *out = b;
  *len = p;
  return CPET_OK;
}
