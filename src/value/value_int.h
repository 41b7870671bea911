/* value_int.h - the cpet_value struct and the helpers the HDF5 reader/writer, the tree and the
 * codec share. Public semantics live in cpet_value.h; this file adds the representation.
 *
 * Representation by kind (all typed data packed, C order, layout of cpet_value.h):
 *
 *   kind     type    ndim / shape                 data            children (keys)
 *   SCALAR   NONE    0                            NULL            -            (None)
 *   SCALAR   typed   0                            1 element       -
 *   SCALAR   typed   1 (rows)                     rows elements   -            (table column
 *                                                                               of scalars)
 *   NDARRAY  typed   0..CPET_MAX_NDIM             nelem elements  -
 *   MATRIX   typed   2 (3 as a table column)      nelem elements  -
 *   LIST/    typed   1 (2 as a table column)      nelem elements  -
 *   TUPLE    NONE    1 (nchildren)                NULL            items (no keys)
 *   DICT     NONE    0                            NULL            entries (keys)
 *   TABLE    NONE    1 (rows)                     NULL            columns (keys)
 *   FRAME    NONE    2 (rows, ncols)              NULL            1-d columns (keys), index,
 *                                                                 name = index name
 *   SERIES   values' 1 (rows)                     NULL            "values", index, name
 *   SPARSE   data's  2 (nrows, ncols)             NULL            "data" + "indices","indptr"
 *                                                                 (csr/csc/bsr) or "offsets"
 *   PICKLE   PY_BYTES 0, itemsize = byte length   the pickle      -            (protocol)
 *
 * DataFrame columns, indexes and Series values are 1-d typed NDARRAYs. Sparse parts are
 * NDARRAYs; indices/indptr/offsets are INT32 or INT64.
 *
 * A table column is a value whose kind/type are those of its cells and whose first dimension
 * is the row count (see cpet__value_cell / cpet__value_stack).
 *
 * Every typed data buffer is allocated with one extra, zeroed byte, so a string scalar's data is
 * always NUL-terminated (its length is still `itemsize`). nelem of containers without typed
 * data is the number of children (rows for tables and frames).
 */
#ifndef CPET_VALUE_INT_H
#define CPET_VALUE_INT_H

#include <stddef.h>
#include <stdint.h>
#include <cpet/cpet_value.h>

#include "core/core_int.h"

struct cpet_value {
  cpet_kind kind;
  cpet_type type;
  size_t itemsize;             /* bytes per element (string types: fixed width) */
  int ndim;                    /* 0..CPET_MAX_NDIM */
  size_t shape[CPET_MAX_NDIM]; /* first ndim entries valid */
  size_t nelem;                /* product of shape (typed data), children/rows otherwise */
  void *data;                  /* nelem * itemsize bytes (+1 zero byte), or NULL */
  size_t nchildren, capchildren;
  cpet_value **children; /* owned */
  char **keys;           /* owned; NULL for object lists, else one key per child */
  cpet_value *index;     /* owned; frame/series index, NULL = RangeIndex */
  char *name;            /* owned; series name / frame index name */
  cpet_sparse_format sparse_fmt;
  int protocol; /* pickle protocol, -1 otherwise */
};

/* Deepest nesting the codec encodes and decodes (guards the decoder's recursion). */
#define CPET__VALUE_MAX_DEPTH 64

/* ---- type classification (pure) ---- */

/* PY_STR, PY_BYTES, STR, BYTES: elements are fixed-width NUL-padded byte strings. */
int cpet__type_is_string(cpet_type t);
/* PY_INT and the numpy ints/uints. */
int cpet__type_is_int(cpet_type t);
/* numpy uints only (their top bit is not a sign: needs care in conversions). */
int cpet__type_is_uint(cpet_type t);
/* PY_FLOAT, FLOAT32, FLOAT64. */
int cpet__type_is_float(cpet_type t);
/* PY_COMPLEX, COMPLEX64, COMPLEX128. */
int cpet__type_is_complex(cpet_type t);
/* PY_BOOL, BOOL. */
int cpet__type_is_bool(cpet_type t);
/* The Python builtins PY_BOOL..PY_BYTES (pypet records "int", "float", ...), not numpy types. */
int cpet__type_is_python(cpet_type t);

/* ---- construction without copies (the HDF5 reader fills the buffer itself) ---- */

/* As cpet_value_new_array() but the element buffer is allocated zeroed and returned in *data
 * (borrowed from *out, NULL when empty) for the caller to fill. Same checks: shape product and
 * byte size overflow -> CPET_ERR_RANGE before anything is allocated. Also accepts kind SCALAR
 * with ndim 0 (one element) or 1 (a table column of scalars). The caller owns *out. */
cpet_status cpet__value_new_array_uninit(cpet_kind kind, cpet_type t, size_t itemsize, int ndim,
                                         const size_t *shape, cpet_value **out, void **data);

/* Mutable view of the element buffer (NULL for containers). Only for filling a freshly built
 * value before it is shared: values are immutable once handed out. Bool elements written
 * through it must be 0 or 1. */
void *cpet__value_data_mut(cpet_value *v);

/* Sets (copies) a series name or a frame's index name; NULL clears it. The HDF5 reader learns
 * the name after building the value. CPET_ERR_TYPE for other kinds. */
cpet_status cpet__value_set_name(cpet_value *v, const char *name);

/* Replaces the index of a frame or series by `take` (1-d ndarray whose length is the row count;
 * NULL: RangeIndex). Takes ownership of `take` even on failure. */
cpet_status cpet__value_set_index(cpet_value *v, cpet_value *take);

/* ---- table columns / explored ranges ---- */

/* Row `row` of a column (a value whose first dimension is the row count) as a new caller-owned
 * value of the cell kind: SCALAR column -> scalar, LIST/TUPLE -> rank-1 list/tuple, MATRIX ->
 * rank-2 matrix, NDARRAY -> array of the remaining dimensions. A string scalar cell loses its
 * trailing NUL padding (numpy |S semantics); string array cells keep the column's width.
 * CPET_ERR_RANGE if row >= rows, CPET_ERR_TYPE if `column` is no column. */
cpet_status cpet__value_cell(const cpet_value *column, size_t row, cpet_value **out);

/* Inverse of cpet__value_cell: n >= 1 cells of equal kind, type and shape (borrowed) become
 * one new caller-owned column of shape (n, cellshape...). For strings the column's itemsize is
 * the largest cell itemsize (min 1) and shorter cells are NUL-padded. CPET_ERR_TYPE when the
 * cells disagree or are not typed, CPET_ERR_INVAL when n == 0. */
cpet_status cpet__value_stack(const cpet_value *const *cells, size_t n, cpet_value **column);

/* Byte length of a fixed-width string element without its trailing NULs (numpy strips them). */
size_t cpet__value_string_len(const char *cell, size_t itemsize);

/* ---- shared between the value files (not for other modules) ---- */

/* Allocates an empty value of `kind`/`type` (no data, no children). NULL on out of memory. */
cpet_value *cpet__value_alloc(cpet_kind kind, cpet_type t);
/* Validates kind/type/ndim/shape of a typed array and computes nelem and the byte size.
 * CPET_ERR_INVAL / CPET_ERR_TYPE / CPET_ERR_RANGE with a message. */
cpet_status cpet__value_check_array(cpet_kind kind, cpet_type t, size_t *itemsize, int ndim,
                                    const size_t *shape, size_t *nelem, size_t *nbytes);
/* Appends a (key, child) pair, taking `child` (freed on failure) and copying key (may be NULL
 * for object lists). */
cpet_status cpet__value_push_child(cpet_value *v, const char *key, cpet_value *child);
/* Ensures room for `n` more children without reallocating (decoder pre-sizing). */
cpet_status cpet__value_reserve(cpet_value *v, size_t n);
/* Byte size of the typed data (nelem * itemsize; 0 for containers). */
size_t cpet__value_nbytes(const cpet_value *v);

#endif
