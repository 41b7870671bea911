/* value_get.c - getters, typed access, copy, equality and table-column helpers. */
#include <stdint.h>
#include <string.h>

#include "value/value_int.h"

/* ---- getters ---- */

cpet_kind cpet_value_kind(const cpet_value *v) { return v->kind; }
cpet_type cpet_value_type(const cpet_value *v) { return v->type; }
size_t cpet_value_itemsize(const cpet_value *v) { return v->itemsize; }
int cpet_value_ndim(const cpet_value *v) { return v->ndim; }
const size_t *cpet_value_shape(const cpet_value *v) { return v->ndim ? v->shape : NULL; }
size_t cpet_value_nelem(const cpet_value *v) { return v->nelem; }
const void *cpet_value_data(const cpet_value *v) { return v->data; }
size_t cpet_value_nchildren(const cpet_value *v) { return v->nchildren; }

const cpet_value *cpet_value_child(const cpet_value *v, size_t i) {
  return i < v->nchildren ? v->children[i] : NULL;
}

const char *cpet_value_key(const cpet_value *v, size_t i) {
  return (v->keys && i < v->nchildren) ? v->keys[i] : NULL;
}

const cpet_value *cpet_value_get(const cpet_value *v, const char *key) {
  if (!v->keys || !key) return NULL;
  for (size_t i = 0; i < v->nchildren; i++)
    if (strcmp(v->keys[i], key) == 0) return v->children[i];
  return NULL;
}

const cpet_value *cpet_value_index(const cpet_value *v) { return v->index; }
const char *cpet_value_name(const cpet_value *v) { return v->name; }

cpet_sparse_format cpet_value_sparse_format(const cpet_value *v) {
  return v->kind == CPET_KIND_SPARSE ? v->sparse_fmt : CPET_SPARSE_CSR;
}

int cpet_value_pickle_protocol(const cpet_value *v) {
  return v->kind == CPET_KIND_PICKLE ? v->protocol : -1;
}

/* ---- typed access ---- */

/* The single element of a numeric scalar or 1-element typed array, NULL otherwise. */
static const void *single_elem(const cpet_value *v) {
  if (!v || !v->data || v->nelem != 1 || v->kind > CPET_KIND_TUPLE) return NULL;
  return v->data;
}

/* Reads integer element `p` of type t; *neg_big set when a uint64 exceeds INT64_MAX. */
static int64_t read_int(cpet_type t, const void *p, uint64_t *u) {
  int8_t i8;
  int16_t i16;
  int32_t i32;
  int64_t i64;
  uint8_t u8;
  uint16_t u16;
  uint32_t u32;
  uint64_t u64;
  *u = 0;
  switch (t) {
  case CPET_T_PY_BOOL:
  case CPET_T_BOOL:
  case CPET_T_UINT8:
    memcpy(&u8, p, 1);
    return u8;
  case CPET_T_INT8:
    memcpy(&i8, p, 1);
    return i8;
  case CPET_T_INT16:
    memcpy(&i16, p, 2);
    return i16;
  case CPET_T_UINT16:
    memcpy(&u16, p, 2);
    return u16;
  case CPET_T_INT32:
    memcpy(&i32, p, 4);
    return i32;
  case CPET_T_UINT32:
    memcpy(&u32, p, 4);
    return u32;
  case CPET_T_UINT64:
    memcpy(&u64, p, 8);
    *u = u64;
    return (int64_t)(u64 & INT64_MAX);
  default:
    memcpy(&i64, p, 8);
    return i64;
  }
}

cpet_status cpet_value_to_f64(const cpet_value *v, double *out) {
  const void *p = single_elem(v);
  if (!out) return cpet__err(CPET_ERR_INVAL, "cpet_value_to_f64: NULL out");
  if (!p ||
      !(cpet__type_is_int(v->type) || cpet__type_is_bool(v->type) || cpet__type_is_float(v->type)))
    return cpet__err(CPET_ERR_TYPE, "cannot convert %s of %s to float",
                     v ? cpet_kind_name(v->kind) : "NULL", v ? cpet_type_name(v->type) : "-");
  if (v->type == CPET_T_FLOAT32) {
    float f;
    memcpy(&f, p, 4);
    *out = f;
  } else if (cpet__type_is_float(v->type)) {
    memcpy(out, p, 8);
  } else if (v->type == CPET_T_UINT64) {
    uint64_t u;
    memcpy(&u, p, 8);
    *out = (double)u;
  } else {
    uint64_t u;
    *out = (double)read_int(v->type, p, &u);
  }
  return CPET_OK;
}

cpet_status cpet_value_to_i64(const cpet_value *v, int64_t *out) {
  const void *p = single_elem(v);
  if (!out) return cpet__err(CPET_ERR_INVAL, "cpet_value_to_i64: NULL out");
  if (!p || !(cpet__type_is_int(v->type) || cpet__type_is_bool(v->type)))
    return cpet__err(CPET_ERR_TYPE, "cannot convert %s of %s to int",
                     v ? cpet_kind_name(v->kind) : "NULL", v ? cpet_type_name(v->type) : "-");
  uint64_t u;
  int64_t i = read_int(v->type, p, &u);
  if (u > (uint64_t)INT64_MAX)
    return cpet__err(CPET_ERR_RANGE, "uint64 %llu does not fit int64", (unsigned long long)u);
  *out = i;
  return CPET_OK;
}

cpet_status cpet_value_to_str(const cpet_value *v, const char **s, size_t *len) {
  if (!s || !len) return cpet__err(CPET_ERR_INVAL, "cpet_value_to_str: NULL out");
  if (!v || !((v->kind == CPET_KIND_SCALAR && v->ndim == 0 && cpet__type_is_string(v->type)) ||
              v->kind == CPET_KIND_PICKLE))
    return cpet__err(CPET_ERR_TYPE, "%s of %s is no string scalar",
                     v ? cpet_kind_name(v->kind) : "NULL", v ? cpet_type_name(v->type) : "-");
  *s = v->data;
  *len = v->itemsize;
  return CPET_OK;
}

/* ---- copy ---- */

static cpet_status copy_rec(const cpet_value *v, cpet_value **out) {
  *out = NULL;
  cpet_value *c = cpet__value_alloc(v->kind, v->type);
  if (!c) return cpet__err(CPET_ERR_NOMEM, "copy: out of memory");
  *c = *v;
  c->data = NULL;
  c->children = NULL;
  c->keys = NULL;
  c->nchildren = c->capchildren = 0;
  c->index = NULL;
  c->name = NULL;
  cpet_status st = CPET_OK;
  /* nbytes + 1 zeroed: keeps the trailing-NUL invariant without reading past nbytes */
  size_t nb = cpet__value_nbytes(v);
  if (v->data && !(c->data = cpet__calloc(nb + 1, 1)))
    st = cpet__err(CPET_ERR_NOMEM, "copy: out of memory");
  else if (v->data && nb)
    memcpy(c->data, v->data, nb);
  if (st == CPET_OK && v->name && !(c->name = cpet__strdup(v->name)))
    st = cpet__err(CPET_ERR_NOMEM, "copy: out of memory");
  if (st == CPET_OK && v->index) st = copy_rec(v->index, &c->index);
  if (st == CPET_OK && v->nchildren) st = cpet__value_reserve(c, v->nchildren);
  for (size_t i = 0; st == CPET_OK && i < v->nchildren; i++) {
    cpet_value *child;
    st = copy_rec(v->children[i], &child);
    if (st == CPET_OK) st = cpet__value_push_child(c, v->keys ? v->keys[i] : NULL, child);
  }
  if (st != CPET_OK) {
    cpet_value_free(c);
    return st;
  }
  *out = c;
  return CPET_OK;
}

cpet_status cpet_value_copy(const cpet_value *v, cpet_value **out) {
  if (!v || !out) {
    if (out) *out = NULL;
    return cpet__err(CPET_ERR_INVAL, "cpet_value_copy: NULL argument");
  }
  return copy_rec(v, out);
}

/* ---- equality ---- */

static int str_elems_equal(const cpet_value *a, const cpet_value *b) {
  const char *pa = a->data, *pb = b->data;
  for (size_t i = 0; i < a->nelem; i++) {
    const char *ea = pa + i * a->itemsize, *eb = pb + i * b->itemsize;
    size_t la = cpet__value_string_len(ea, a->itemsize),
           lb = cpet__value_string_len(eb, b->itemsize);
    if (la != lb || memcmp(ea, eb, la) != 0) return 0;
  }
  return 1;
}

int cpet_value_equal(const cpet_value *a, const cpet_value *b) {
  if (a == b) return 1;
  if (!a || !b) return 0;
  if (a->kind != b->kind || a->type != b->type || a->ndim != b->ndim || a->nelem != b->nelem ||
      a->nchildren != b->nchildren)
    return 0;
  for (int i = 0; i < a->ndim; i++)
    if (a->shape[i] != b->shape[i]) return 0;
  if (a->kind == CPET_KIND_SPARSE && a->sparse_fmt != b->sparse_fmt) return 0;
  if (a->kind == CPET_KIND_PICKLE && a->protocol != b->protocol) return 0;
  if (!a->data != !b->data) return 0;
  if (a->data) {
    int str_cells = cpet__type_is_string(a->type) && a->kind != CPET_KIND_PICKLE &&
                    !(a->kind == CPET_KIND_SCALAR && a->ndim == 0);
    if (str_cells) {
      if (!str_elems_equal(a, b)) return 0;
    } else if (a->itemsize != b->itemsize || memcmp(a->data, b->data, cpet__value_nbytes(a)) != 0) {
      return 0;
    }
  }
  if (!a->name != !b->name || (a->name && strcmp(a->name, b->name) != 0)) return 0;
  if (!a->index != !b->index || (a->index && !cpet_value_equal(a->index, b->index))) return 0;
  for (size_t i = 0; i < a->nchildren; i++) {
    if (a->kind == CPET_KIND_DICT) { /* dict equality ignores insertion order */
      const cpet_value *bc = cpet_value_get(b, a->keys[i]);
      if (!bc || !cpet_value_equal(a->children[i], bc)) return 0;
      continue;
    }
    if (a->keys && strcmp(a->keys[i], b->keys[i]) != 0) return 0;
    if (!cpet_value_equal(a->children[i], b->children[i])) return 0;
  }
  return 1;
}

/* ---- columns ---- */

/* Rank of one cell of a column of `kind` (NDARRAY: any, -1). */
static int cell_rank(cpet_kind kind) {
  switch (kind) {
  case CPET_KIND_SCALAR:
    return 0;
  case CPET_KIND_LIST:
  case CPET_KIND_TUPLE:
    return 1;
  case CPET_KIND_MATRIX:
    return 2;
  default:
    return -1;
  }
}

static int is_typed_kind(cpet_kind k) { return k <= CPET_KIND_TUPLE; }

cpet_status cpet__value_cell(const cpet_value *column, size_t row, cpet_value **out) {
  if (!column || !out) return cpet__err(CPET_ERR_INVAL, "value cell: NULL argument");
  *out = NULL;
  int r = cell_rank(column->kind);
  if (!is_typed_kind(column->kind) || column->type == CPET_T_NONE || !column->data ||
      column->ndim < 1 || (r >= 0 && column->ndim != r + 1))
    return cpet__err(CPET_ERR_TYPE, "value cell: %s of %s (rank %d) is no column",
                     cpet_kind_name(column->kind), cpet_type_name(column->type), column->ndim);
  if (row >= column->shape[0])
    return cpet__err(CPET_ERR_RANGE, "value cell: row %zu of %zu", row, column->shape[0]);
  size_t per = column->shape[0] ? column->nelem / column->shape[0] : 0;
  size_t cellbytes = per * column->itemsize;
  const char *src = (const char *)column->data + row * cellbytes;
  size_t isz = column->itemsize;
  if (column->kind == CPET_KIND_SCALAR && cpet__type_is_string(column->type))
    isz = cpet__value_string_len(src, isz);
  void *buf;
  CPET__CHECK(cpet__value_new_array_uninit(column->kind, column->type, isz, column->ndim - 1,
                                           column->shape + 1, out, &buf));
  if (buf) memcpy(buf, src, cpet__value_nbytes(*out));
  return CPET_OK;
}

cpet_status cpet__value_stack(const cpet_value *const *cells, size_t n, cpet_value **column) {
  if (!column) return cpet__err(CPET_ERR_INVAL, "value stack: NULL out");
  *column = NULL;
  if (!cells || n == 0) return cpet__err(CPET_ERR_INVAL, "value stack: no cells");
  const cpet_value *c0 = cells[0];
  if (!c0) return cpet__err(CPET_ERR_INVAL, "value stack: cell 0 is NULL");
  int r = cell_rank(c0->kind);
  if (!is_typed_kind(c0->kind) || c0->type == CPET_T_NONE || (r >= 0 && c0->ndim != r) ||
      c0->ndim >= CPET_MAX_NDIM)
    return cpet__err(CPET_ERR_TYPE, "value stack: %s of %s (rank %d) cannot be a cell",
                     cpet_kind_name(c0->kind), cpet_type_name(c0->type), c0->ndim);
  size_t w = c0->itemsize;
  for (size_t i = 1; i < n; i++) {
    const cpet_value *c = cells[i];
    if (!c) return cpet__err(CPET_ERR_INVAL, "value stack: cell %zu is NULL", i);
    int same = c->kind == c0->kind && c->type == c0->type && c->ndim == c0->ndim;
    for (int d = 0; same && d < c0->ndim; d++)
      same = c->shape[d] == c0->shape[d];
    if (!same)
      return cpet__err(CPET_ERR_TYPE, "value stack: cell %zu (%s of %s) differs from cell 0", i,
                       cpet_kind_name(c->kind), cpet_type_name(c->type));
    if (c->itemsize > w) w = c->itemsize;
  }
  if (w == 0) w = 1;
  size_t shape[CPET_MAX_NDIM];
  shape[0] = n;
  for (int d = 0; d < c0->ndim; d++)
    shape[d + 1] = c0->shape[d];
  void *buf;
  CPET__CHECK(
      cpet__value_new_array_uninit(c0->kind, c0->type, w, c0->ndim + 1, shape, column, &buf));
  if (!buf) return CPET_OK;
  char *dst = buf;
  for (size_t i = 0; i < n; i++) {
    const cpet_value *c = cells[i];
    if (c->itemsize == w) {
      memcpy(dst, c->data, c->nelem * w);
    } else { /* shorter strings: NUL-pad every element to the column width */
      for (size_t j = 0; j < c->nelem; j++)
        memcpy(dst + j * w, (const char *)c->data + j * c->itemsize, c->itemsize);
    }
    dst += c0->nelem * w;
  }
  return CPET_OK;
}
