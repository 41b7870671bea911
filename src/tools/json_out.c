/* json_out.c - the fixtures' JSON encoding of values (shared/fixtures/README.md): Python and
 * numpy scalars, ndarrays with dtype/shape/values/first/last/sum/sha256, containers, pypet
 * ObjectTables, pandas objects, sparse matrices as sorted COO, decoded pickles. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "layout/layout_int.h"
#include "layout/pickle_int.h"
#include "layout/read_int.h"
#include "core/hash_int.h"
#include "tools/tools_int.h"
#include "value/value_int.h"

#define elem_f64 cpet_tool_elem_f64
#define elem_imag cpet_tool_elem_imag
#define hexn cpet_tool_hexn
#define array_json cpet_tool_array_json

/* ---- writer ---- */

void cpet_jw_init(cpet_jw *j, FILE *f) {
  memset(j, 0, sizeof *j);
  j->f = f;
  j->first[0] = 1;
}

static void sep(cpet_jw *j) {
  if (j->after_key) {
    j->after_key = 0;
    return;
  }
  if (!j->first[j->depth]) fputs(", ", j->f);
  j->first[j->depth] = 0;
}

static void open_(cpet_jw *j, char c) {
  sep(j);
  fputc(c, j->f);
  if (j->depth < 127) j->depth++;
  j->first[j->depth] = 1;
}

void cpet_jw_obj(cpet_jw *j) { open_(j, '{'); }
void cpet_jw_arr(cpet_jw *j) { open_(j, '['); }
void cpet_jw_end_obj(cpet_jw *j) {
  j->depth--;
  fputc('}', j->f);
}
void cpet_jw_end_arr(cpet_jw *j) {
  j->depth--;
  fputc(']', j->f);
}

static void raw_str(cpet_jw *j, const char *s, size_t n) {
  fputc('"', j->f);
  for (size_t i = 0; i < n; i++) {
    unsigned char c = (unsigned char)s[i];
    if (c == '"' || c == '\\')
      fprintf(j->f, "\\%c", c);
    else if (c == '\n')
      fputs("\\n", j->f);
    else if (c == '\t')
      fputs("\\t", j->f);
    else if (c == '\r')
      fputs("\\r", j->f);
    else if (c < 0x20)
      fprintf(j->f, "\\u%04x", c);
    else
      fputc(c, j->f);
  }
  fputc('"', j->f);
}

void cpet_jw_key(cpet_jw *j, const char *k) {
  sep(j);
  raw_str(j, k, strlen(k));
  fputs(": ", j->f);
  j->after_key = 1;
}
void cpet_jw_strn(cpet_jw *j, const char *s, size_t n) {
  sep(j);
  raw_str(j, s, n);
}
void cpet_jw_str(cpet_jw *j, const char *s) { cpet_jw_strn(j, s, strlen(s)); }
void cpet_jw_i64(cpet_jw *j, int64_t v) {
  sep(j);
  fprintf(j->f, "%lld", (long long)v);
}
void cpet_jw_u64(cpet_jw *j, uint64_t v) {
  sep(j);
  fprintf(j->f, "%llu", (unsigned long long)v);
}
void cpet_jw_bool(cpet_jw *j, int b) {
  sep(j);
  fputs(b ? "true" : "false", j->f);
}
void cpet_jw_null(cpet_jw *j) {
  sep(j);
  fputs("null", j->f);
}

void cpet_jw_f64(cpet_jw *j, double v) {
  if (isnan(v)) return cpet_jw_str(j, "nan");
  if (isinf(v)) return cpet_jw_str(j, v > 0 ? "inf" : "-inf");
  char buf[40];
  for (int p = 1; p <= 17; p++) { /* shortest text that reads back as the same double */
    snprintf(buf, sizeof buf, "%.*g", p, v);
    if (strtod(buf, NULL) == v) break;
  }
  if (!strpbrk(buf, ".en")) strcat(buf, ".0"); /* a float stays a float, as Python writes it */
  sep(j);
  fputs(buf, j->f);
}

/* ---- element access ---- */

double elem_f64(cpet_type t, const void *p) {
  switch (t) {
  case CPET_T_PY_BOOL:
  case CPET_T_BOOL:
  case CPET_T_UINT8:
    return *(const uint8_t *)p;
  case CPET_T_INT8:
    return *(const int8_t *)p;
  case CPET_T_INT16: {
    int16_t v;
    memcpy(&v, p, 2);
    return v;
  }
  case CPET_T_UINT16: {
    uint16_t v;
    memcpy(&v, p, 2);
    return v;
  }
  case CPET_T_INT32: {
    int32_t v;
    memcpy(&v, p, 4);
    return v;
  }
  case CPET_T_UINT32: {
    uint32_t v;
    memcpy(&v, p, 4);
    return v;
  }
  case CPET_T_PY_INT:
  case CPET_T_INT64: {
    int64_t v;
    memcpy(&v, p, 8);
    return (double)v;
  }
  case CPET_T_UINT64: {
    uint64_t v;
    memcpy(&v, p, 8);
    return (double)v;
  }
  case CPET_T_FLOAT32:
  case CPET_T_COMPLEX64: {
    float v;
    memcpy(&v, p, 4);
    return v;
  }
  default: {
    double v;
    memcpy(&v, p, 8);
    return v;
  }
  }
}

double elem_imag(cpet_type t, const void *p) {
  if (t == CPET_T_COMPLEX64) {
    float v[2];
    memcpy(v, p, 8);
    return v[1];
  }
  double v[2];
  memcpy(v, p, 16);
  return v[1];
}

void hexn(cpet_jw *j, const unsigned char *p, size_t n) {
  char *h = malloc(2 * n + 1);
  if (!h) return cpet_jw_str(j, "");
  for (size_t i = 0; i < n; i++)
    sprintf(h + 2 * i, "%02x", p[i]);
  cpet_jw_strn(j, h, 2 * n);
  free(h);
}

/* One element as a plain JSON value (array "values", first/last). */
static void elem_json(cpet_jw *j, cpet_type t, size_t isz, const void *p) {
  if (cpet__type_is_bool(t)) return cpet_jw_bool(j, *(const uint8_t *)p != 0);
  if (t == CPET_T_UINT64) {
    uint64_t v;
    memcpy(&v, p, 8);
    return cpet_jw_u64(j, v);
  }
  if (cpet__type_is_int(t)) {
    int64_t x;
    if (t == CPET_T_INT64 || t == CPET_T_PY_INT)
      memcpy(&x, p, 8);
    else
      x = (int64_t)elem_f64(t, p); /* narrower ints are exact in a double */
    return cpet_jw_i64(j, x);
  }
  if (cpet__type_is_float(t)) return cpet_jw_f64(j, elem_f64(t, p));
  if (cpet__type_is_complex(t)) {
    cpet_jw_arr(j);
    cpet_jw_f64(j, elem_f64(t, p));
    cpet_jw_f64(j, elem_imag(t, p));
    return cpet_jw_end_arr(j);
  }
  size_t n = cpet__value_string_len(p, isz);
  if (t == CPET_T_BYTES || t == CPET_T_PY_BYTES) return hexn(j, p, n);
  cpet_jw_strn(j, p, n);
}

static size_t utf8_chars(const char *s, size_t n) {
  size_t c = 0;
  for (size_t i = 0; i < n; i++)
    if (((unsigned char)s[i] & 0xC0) != 0x80) c++;
  return c;
}

/* Largest character count of the string cells (numpy's <U width), at least 1. */
static size_t str_width(const cpet_value *v) {
  size_t w = 1;
  for (size_t i = 0; i < v->nelem; i++) {
    const char *p = (const char *)v->data + i * v->itemsize;
    size_t c = utf8_chars(p, cpet__value_string_len(p, v->itemsize));
    if (c > w) w = c;
  }
  return w;
}

void cpet_tool_dtype(const cpet_value *v, char *buf, size_t cap) {
  cpet_type t = v->type;
  switch (t) {
  case CPET_T_PY_BOOL:
  case CPET_T_BOOL:
    snprintf(buf, cap, "|b1");
    return;
  case CPET_T_INT8:
    snprintf(buf, cap, "|i1");
    return;
  case CPET_T_UINT8:
    snprintf(buf, cap, "|u1");
    return;
  case CPET_T_INT16:
    snprintf(buf, cap, "<i2");
    return;
  case CPET_T_UINT16:
    snprintf(buf, cap, "<u2");
    return;
  case CPET_T_INT32:
    snprintf(buf, cap, "<i4");
    return;
  case CPET_T_UINT32:
    snprintf(buf, cap, "<u4");
    return;
  case CPET_T_PY_INT:
  case CPET_T_INT64:
    snprintf(buf, cap, "<i8");
    return;
  case CPET_T_UINT64:
    snprintf(buf, cap, "<u8");
    return;
  case CPET_T_FLOAT32:
    snprintf(buf, cap, "<f4");
    return;
  case CPET_T_PY_FLOAT:
  case CPET_T_FLOAT64:
    snprintf(buf, cap, "<f8");
    return;
  case CPET_T_COMPLEX64:
    snprintf(buf, cap, "<c8");
    return;
  case CPET_T_PY_COMPLEX:
  case CPET_T_COMPLEX128:
    snprintf(buf, cap, "<c16");
    return;
  case CPET_T_PY_BYTES:
  case CPET_T_BYTES:
    snprintf(buf, cap, "|S%zu", v->itemsize);
    return;
  case CPET_T_PY_STR:
  case CPET_T_STR:
    snprintf(buf, cap, "<U%zu",
             v->kind == CPET_KIND_SCALAR ? utf8_chars(v->data, v->itemsize) : str_width(v));
    return;
  default:
    snprintf(buf, cap, "|O");
    return;
  }
}

/* ---- arrays ---- */

/* numpy's pairwise summation (umath loops), so float sums match bit for bit. */
static double pairwise(const cpet_value *v, size_t off, size_t n, int imag) {
  const unsigned char *d = v->data;
#define EL(i)                                                                                      \
  (imag ? elem_imag(v->type, d + (off + (i)) * v->itemsize)                                        \
        : elem_f64(v->type, d + (off + (i)) * v->itemsize))
  if (n < 8) {
    double r = 0.;
    for (size_t i = 0; i < n; i++)
      r += EL(i);
    return r;
  }
  if (n <= 128) {
    double r[8];
    size_t i;
    for (int k = 0; k < 8; k++)
      r[k] = EL(k);
    for (i = 8; i < n - (n % 8); i += 8)
      for (int k = 0; k < 8; k++)
        r[k] += EL(i + k);
    double res = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]));
    for (; i < n; i++)
      res += EL(i);
    return res;
  }
#undef EL
  size_t n2 = n / 2;
  n2 -= n2 % 8;
  return pairwise(v, off, n2, imag) + pairwise(v, off + n2, n - n2, imag);
}

static void nested_values(cpet_jw *j, const cpet_value *v, int dim, size_t *pos) {
  if (dim == v->ndim) {
    elem_json(j, v->type, v->itemsize, (const char *)v->data + (*pos)++ * v->itemsize);
    return;
  }
  cpet_jw_arr(j);
  for (size_t i = 0; i < v->shape[dim]; i++)
    nested_values(j, v, dim + 1, pos);
  cpet_jw_end_arr(j);
}

/* Raw numpy buffer of an array for the digest: unicode cells become UCS-4 of the <U width. */
static void digest(cpet_jw *j, const cpet_value *v) {
  char hex[65];
  if (v->type == CPET_T_STR || v->type == CPET_T_PY_STR) {
    size_t w = str_width(v), n = v->nelem;
    uint32_t *u = calloc(n * w + 1, 4);
    for (size_t i = 0; u && i < n; i++) {
      const unsigned char *p = (const unsigned char *)v->data + i * v->itemsize;
      size_t len = cpet__value_string_len((const char *)p, v->itemsize), k = 0;
      for (size_t b = 0; b < len && k < w;) {
        uint32_t cp = p[b];
        int extra = cp >= 0xF0 ? 3 : cp >= 0xE0 ? 2 : cp >= 0xC0 ? 1 : 0;
        if (extra) cp &= 0x3Fu >> extra;
        b++;
        for (int e = 0; e < extra && b < len; e++)
          cp = (cp << 6) | (p[b++] & 0x3F);
        u[i * w + k++] = cp; /* little-endian host */
      }
    }
    cpet__sha256_hex(u ? (void *)u : (void *)"", u ? n * w * 4 : 0, hex);
    free(u);
  } else {
    cpet__sha256_hex(v->data ? v->data : "", v->nelem * v->itemsize, hex);
  }
  cpet_jw_key(j, "sha256");
  cpet_jw_str(j, hex);
}

void array_json(cpet_jw *j, const cpet_value *v, const char *type) {
  char dt[32];
  cpet_tool_dtype(v, dt, sizeof dt);
  cpet_jw_obj(j);
  cpet_jw_key(j, "type");
  cpet_jw_str(j, type);
  cpet_jw_key(j, "dtype");
  cpet_jw_str(j, dt);
  cpet_jw_key(j, "shape");
  cpet_jw_arr(j);
  for (int i = 0; i < v->ndim; i++)
    cpet_jw_u64(j, v->shape[i]);
  cpet_jw_end_arr(j);
  if (v->nelem <= 64) {
    size_t pos = 0;
    cpet_jw_key(j, "values");
    nested_values(j, v, 0, &pos);
  }
  if (v->nelem > 0) {
    cpet_jw_key(j, "first");
    elem_json(j, v->type, v->itemsize, v->data);
    cpet_jw_key(j, "last");
    elem_json(j, v->type, v->itemsize, (const char *)v->data + (v->nelem - 1) * v->itemsize);
  }
  if (!cpet__type_is_string(v->type)) {
    cpet_jw_key(j, "sum");
    if (cpet__type_is_complex(v->type)) {
      cpet_jw_arr(j);
      cpet_jw_f64(j, pairwise(v, 0, v->nelem, 0));
      cpet_jw_f64(j, pairwise(v, 0, v->nelem, 1));
      cpet_jw_end_arr(j);
    } else if (cpet__type_is_float(v->type)) {
      cpet_jw_f64(j, pairwise(v, 0, v->nelem, 0));
    } else {
      double s = 0; /* integer sums are exact in numpy; done sequentially here */
      for (size_t i = 0; i < v->nelem; i++)
        s += elem_f64(v->type, (const char *)v->data + i * v->itemsize);
      cpet_jw_f64(j, s);
    }
  }
  digest(j, v);
  cpet_jw_end_obj(j);
}

/* pandas-style array: strings become object arrays of Python str/bytes. */
static void pandas_array(cpet_jw *j, const cpet_value *v) {
  if (!cpet__type_is_string(v->type)) return array_json(j, v, "ndarray");
  cpet_jw_obj(j);
  cpet_jw_key(j, "type");
  cpet_jw_str(j, "ndarray");
  cpet_jw_key(j, "dtype");
  cpet_jw_str(j, "|O");
  cpet_jw_key(j, "shape");
  cpet_jw_arr(j);
  cpet_jw_u64(j, v->nelem);
  cpet_jw_end_arr(j);
  cpet_jw_key(j, "items");
  cpet_jw_arr(j);
  int bytes = v->type == CPET_T_BYTES || v->type == CPET_T_PY_BYTES;
  for (size_t i = 0; i < v->nelem; i++) {
    const char *p = (const char *)v->data + i * v->itemsize;
    cpet_jw_obj(j);
    cpet_jw_key(j, "type");
    cpet_jw_str(j, bytes ? "bytes" : "str");
    cpet_jw_key(j, bytes ? "hex" : "value");
    if (bytes)
      hexn(j, (const unsigned char *)p, cpet__value_string_len(p, v->itemsize));
    else
      cpet_jw_strn(j, p, cpet__value_string_len(p, v->itemsize));
    cpet_jw_end_obj(j);
  }
  cpet_jw_end_arr(j);
  cpet_jw_end_obj(j);
}

static const char *pandas_dtype(cpet_type t) {
  if (cpet__type_is_string(t)) return "object";
  if (cpet__type_is_bool(t)) return "bool";
  if (t == CPET_T_PY_INT) return "int64";
  if (t == CPET_T_PY_FLOAT) return "float64";
  if (t == CPET_T_PY_COMPLEX) return "complex128";
  return cpet_type_name(t);
}

static void scalar_json(cpet_jw *j, const cpet_value *v) {
  cpet_type t = v->type;
  cpet_jw_obj(j);
  cpet_jw_key(j, "type");
  cpet_jw_str(j, cpet_type_name(t));
  if (t == CPET_T_NONE) return cpet_jw_end_obj(j);
  if (!cpet__type_is_python(t)) {
    char dt[32];
    cpet_tool_dtype(v, dt, sizeof dt);
    cpet_jw_key(j, "dtype");
    cpet_jw_str(j, dt);
  }
  if (cpet__type_is_complex(t)) {
    cpet_jw_key(j, "real");
    cpet_jw_f64(j, elem_f64(t, v->data));
    cpet_jw_key(j, "imag");
    cpet_jw_f64(j, elem_imag(t, v->data));
  } else if (t == CPET_T_BYTES || t == CPET_T_PY_BYTES) {
    cpet_jw_key(j, "hex");
    hexn(j, v->data, v->itemsize);
  } else if (t == CPET_T_STR || t == CPET_T_PY_STR) {
    cpet_jw_key(j, "value");
    cpet_jw_strn(j, v->data, v->itemsize);
  } else {
    cpet_jw_key(j, "value");
    elem_json(j, t, v->itemsize, v->data);
  }
  cpet_jw_end_obj(j);
}

/* Typed list/tuple: one scalar value per element. */
static void typed_seq(cpet_jw *j, const cpet_value *v) {
  cpet_jw_obj(j);
  cpet_jw_key(j, "type");
  cpet_jw_str(j, v->kind == CPET_KIND_LIST ? "list" : "tuple");
  cpet_jw_key(j, "items");
  cpet_jw_arr(j);
  if (v->ndim == 1) {
    for (size_t i = 0; i < v->nelem; i++) {
      const char *p = (const char *)v->data + i * v->itemsize;
      size_t isz =
          cpet__type_is_string(v->type) ? cpet__value_string_len(p, v->itemsize) : v->itemsize;
      cpet_value *s = NULL;
      if (cpet_value_new_scalar(v->type, p, isz, &s) == CPET_OK) scalar_json(j, s);
      cpet_value_free(s);
    }
  } else {
    for (size_t i = 0; i < v->shape[0]; i++) {
      cpet_value *c = NULL;
      cpet_value tmp = *v;
      tmp.kind = CPET_KIND_NDARRAY;
      if (cpet__value_cell(&tmp, i, &c) == CPET_OK) array_json(j, c, "ndarray");
      cpet_value_free(c);
    }
  }
  cpet_jw_end_arr(j);
  cpet_jw_end_obj(j);
}

/* ---- containers ---- */

static void index_json(cpet_jw *j, const cpet_value *v, size_t rows) {
  const cpet_value *idx = cpet_value_index(v);
  if (idx) return pandas_array(j, idx);
  cpet_value *r = NULL;
  void *buf = NULL;
  size_t shape[1] = {rows};
  if (cpet__value_new_array_uninit(CPET_KIND_NDARRAY, CPET_T_INT64, 8, 1, shape, &r, &buf) ==
      CPET_OK) {
    for (size_t i = 0; i < rows; i++)
      ((int64_t *)buf)[i] = (int64_t)i; /* RangeIndex values */
    array_json(j, r, "ndarray");
  }
  cpet_value_free(r);
}

static void nullable_str(cpet_jw *j, const char *s) {
  if (s)
    cpet_jw_str(j, s);
  else
    cpet_jw_null(j);
}

/* A scalar cell (taken) in pypet's view: pandas boxes numpy scalars into Python ones. The
 * loader keeps the stored types (so a re-store writes the file back unchanged); the boxing
 * happens only here, when showing what pypet shows. */
static void boxed_json(cpet_jw *j, cpet_value *cell, int box) {
  if (box && cell->kind == CPET_KIND_SCALAR && !cpet__type_is_string(cell->type) &&
      cpet__read_retype(cell, cpet__read_box_type(cell->type)) != CPET_OK)
    cpet_errclear(); /* not convertible: shown as stored */
  cpet_jw_value(j, cell);
  cpet_value_free(cell);
}

/* `box`: every scalar value as pandas' to_dict returns it (DICT items, spec 6.6). */
static void dict_json(cpet_jw *j, const cpet_value *v, int box) {
  cpet_jw_obj(j);
  cpet_jw_key(j, "type");
  cpet_jw_str(j, "dict");
  cpet_jw_key(j, "items");
  cpet_jw_obj(j);
  for (size_t i = 0; i < v->nchildren; i++) {
    const cpet_value *c = v->children[i];
    cpet_value *cp = NULL;
    cpet_jw_key(j, v->keys[i]);
    if (box && c->kind == CPET_KIND_SCALAR && cpet_value_copy(c, &cp) == CPET_OK)
      boxed_json(j, cp, 1);
    else
      cpet_jw_value(j, c);
  }
  cpet_jw_end_obj(j);
  cpet_jw_end_obj(j);
}

/* `box_from` >= 0: numpy scalar columns from that index on are shown as Python scalars, as
 * pypet's ObjectTable (a DataFrame) returns them (spec 6.5). */
static void table_json(cpet_jw *j, const cpet_value *v, long box_from) {
  size_t rows = v->ndim ? v->shape[0] : 0;
  cpet_jw_obj(j);
  cpet_jw_key(j, "type");
  cpet_jw_str(j, "ObjectTable");
  cpet_jw_key(j, "columns");
  cpet_jw_arr(j);
  for (size_t i = 0; i < v->nchildren; i++)
    cpet_jw_str(j, v->keys[i]);
  cpet_jw_end_arr(j);
  cpet_jw_key(j, "nrows");
  cpet_jw_u64(j, rows);
  cpet_jw_key(j, "data");
  cpet_jw_obj(j);
  for (size_t i = 0; i < v->nchildren; i++) {
    const cpet_value *col = v->children[i];
    int box = box_from >= 0 && (long)i >= box_from && col->kind == CPET_KIND_SCALAR &&
              !cpet__type_is_python(col->type);
    cpet_jw_key(j, v->keys[i]);
    cpet_jw_arr(j);
    for (size_t r = 0; r < rows; r++) {
      cpet_value *cell = NULL;
      if (cpet__value_cell(col, r, &cell) == CPET_OK)
        boxed_json(j, cell, box);
      else
        cpet_jw_null(j);
    }
    cpet_jw_end_arr(j);
  }
  cpet_jw_end_obj(j);
  cpet_jw_end_obj(j);
}

void cpet_jw_item(cpet_jw *j, const cpet_value *v) {
  if (v->kind == CPET_KIND_DICT) return dict_json(j, v, 1);
  if (v->kind == CPET_KIND_TABLE) return table_json(j, v, 1);
  cpet_jw_value(j, v);
}

void cpet_jw_value(cpet_jw *j, const cpet_value *v) {
  switch (v->kind) {
  case CPET_KIND_SCALAR:
    return scalar_json(j, v);
  case CPET_KIND_NDARRAY:
    return array_json(j, v, "ndarray");
  case CPET_KIND_MATRIX:
    return array_json(j, v, "matrix");
  case CPET_KIND_LIST:
  case CPET_KIND_TUPLE:
    if (v->type != CPET_T_NONE) return typed_seq(j, v);
    cpet_jw_obj(j);
    cpet_jw_key(j, "type");
    cpet_jw_str(j, v->kind == CPET_KIND_LIST ? "list" : "tuple");
    cpet_jw_key(j, "items");
    cpet_jw_arr(j);
    for (size_t i = 0; i < v->nchildren; i++)
      cpet_jw_value(j, v->children[i]);
    cpet_jw_end_arr(j);
    return cpet_jw_end_obj(j);
  case CPET_KIND_DICT:
    return dict_json(j, v, 0);
  case CPET_KIND_TABLE:
    return table_json(j, v, -1);
  case CPET_KIND_FRAME: {
    size_t rows = v->ndim ? v->shape[0] : 0;
    cpet_jw_obj(j);
    cpet_jw_key(j, "type");
    cpet_jw_str(j, "DataFrame");
    cpet_jw_key(j, "columns");
    cpet_jw_arr(j);
    for (size_t i = 0; i < v->nchildren; i++)
      cpet_jw_str(j, v->keys[i]);
    cpet_jw_end_arr(j);
    cpet_jw_key(j, "index");
    index_json(j, v, rows);
    cpet_jw_key(j, "index_name");
    nullable_str(j, v->name);
    cpet_jw_key(j, "dtypes");
    cpet_jw_obj(j);
    for (size_t i = 0; i < v->nchildren; i++) {
      cpet_jw_key(j, v->keys[i]);
      cpet_jw_str(j, pandas_dtype(v->children[i]->type));
    }
    cpet_jw_end_obj(j);
    cpet_jw_key(j, "data");
    cpet_jw_obj(j);
    for (size_t i = 0; i < v->nchildren; i++) {
      cpet_jw_key(j, v->keys[i]);
      pandas_array(j, v->children[i]);
    }
    cpet_jw_end_obj(j);
    return cpet_jw_end_obj(j);
  }
  case CPET_KIND_SERIES: {
    const cpet_value *vals = cpet_value_get(v, "values");
    cpet_jw_obj(j);
    cpet_jw_key(j, "type");
    cpet_jw_str(j, "Series");
    cpet_jw_key(j, "name");
    nullable_str(j, v->name);
    cpet_jw_key(j, "dtype");
    cpet_jw_str(j, vals ? pandas_dtype(vals->type) : "object");
    cpet_jw_key(j, "index");
    index_json(j, v, vals ? vals->nelem : 0);
    cpet_jw_key(j, "values");
    if (vals)
      pandas_array(j, vals);
    else
      cpet_jw_null(j);
    return cpet_jw_end_obj(j);
  }
  case CPET_KIND_SPARSE:
    return cpet_tool_sparse_json(j, v);
  case CPET_KIND_PICKLE:
    return cpet_tool_pickle_json(j, v);
  default:
    cpet_jw_obj(j);
    cpet_jw_key(j, "type");
    cpet_jw_str(j, "unknown");
    return cpet_jw_end_obj(j);
  }
}
