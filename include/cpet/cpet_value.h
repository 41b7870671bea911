/* cpet_value.h - typed values: everything pypet stores, and the exact type it comes back as.
 *
 * A cpet_value is an opaque, immutable-once-built tree. Its *kind* says which Python container
 * it is (scalar, ndarray, matrix, list, tuple, dict, ObjectTable, DataFrame, Series, sparse
 * matrix, pickle) and its *type* says the element type, distinguishing Python builtins
 * (`int`, `float`, ...) from numpy scalars (`int64`, `float64`, ...) because pypet records that
 * difference and rebuilds it on load.
 *
 * Element memory layout (host little-endian; all data are packed, C order):
 *   bool types       1 byte, 0 or 1
 *   PY_INT           int64_t                 PY_FLOAT          double
 *   PY_COMPLEX       double[2] (re, im)      COMPLEX64/128     float[2] / double[2]
 *   string types     `itemsize` bytes, NUL-padded (numpy |S semantics; text is UTF-8). A scalar
 *                    string keeps embedded NULs and its exact length (itemsize = byte length).
 *
 * Ownership: values returned through `cpet_value **out` belong to the caller and are released
 * with cpet_value_free(). Functions that take a `cpet_value *` argument named `take` take
 * ownership of it even when they fail; all others copy. `const` results (children, data,
 * keys) are borrowed from their parent value and live as long as it does.
 *
 * Getters on a valid handle cannot fail; they return their result directly. Everything that can
 * fail returns a cpet_status.
 */
#ifndef CPET_VALUE_H
#define CPET_VALUE_H

#include <stddef.h>
#include <stdint.h>
#include <cpet/cpet_error.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Element types. The comment gives pypet's recorded type name (SRVC_*_SCALAR_TYPE). */
typedef enum cpet_type {
  CPET_T_NONE = 0,     /* Python None / no element type (object containers) */
  CPET_T_PY_BOOL,      /* "bool" */
  CPET_T_PY_INT,       /* "int" (int64 in arrays, int32 in table cells, as pypet) */
  CPET_T_PY_FLOAT,     /* "float" */
  CPET_T_PY_COMPLEX,   /* "complex" */
  CPET_T_PY_STR,       /* "str" */
  CPET_T_PY_BYTES,     /* "bytes" */
  CPET_T_BOOL,         /* "bool_" */
  CPET_T_INT8,         /* "int8" */
  CPET_T_INT16,        /* "int16" */
  CPET_T_INT32,        /* "int32" */
  CPET_T_INT64,        /* "int64" */
  CPET_T_UINT8,        /* "uint8" */
  CPET_T_UINT16,       /* "uint16" */
  CPET_T_UINT32,       /* "uint32" */
  CPET_T_UINT64,       /* "uint64" */
  CPET_T_FLOAT32,      /* "float32" */
  CPET_T_FLOAT64,      /* "float64" */
  CPET_T_COMPLEX64,    /* "complex64" */
  CPET_T_COMPLEX128,   /* "complex128" */
  CPET_T_STR,          /* "str_": numpy unicode (arrays of it record "str") */
  CPET_T_BYTES,        /* "bytes_": numpy bytes */
  CPET_T_COUNT
} cpet_type;

/** Containers, i.e. the Python class a value is rebuilt as. */
typedef enum cpet_kind {
  CPET_KIND_SCALAR = 0, /* one element of `type` (type NONE: Python None) */
  CPET_KIND_NDARRAY,    /* numpy.ndarray of any rank, 0-d and empty included */
  CPET_KIND_MATRIX,     /* numpy.matrix (rank 2) */
  CPET_KIND_LIST,       /* list: homogeneous typed 1-d data, or (type NONE) children */
  CPET_KIND_TUPLE,      /* tuple: as LIST */
  CPET_KIND_DICT,       /* dict: keyed children */
  CPET_KIND_TABLE,      /* pypet ObjectTable: keyed column children */
  CPET_KIND_FRAME,      /* pandas.DataFrame: index + keyed 1-d column children */
  CPET_KIND_SERIES,     /* pandas.Series: index + one child "values" + name */
  CPET_KIND_SPARSE,     /* scipy.sparse csr/csc/bsr/dia */
  CPET_KIND_PICKLE,     /* opaque pickle bytes + protocol: carried, never interpreted */
  CPET_KIND_COUNT
} cpet_kind;

typedef enum cpet_sparse_format {
  CPET_SPARSE_CSR = 0,
  CPET_SPARSE_CSC,
  CPET_SPARSE_BSR,
  CPET_SPARSE_DIA
} cpet_sparse_format;

/** Largest rank a value may have (numpy's limit). */
#define CPET_MAX_NDIM 32

typedef struct cpet_value cpet_value;

/* ---- type helpers (pure) ---- */

/** pypet's recorded name of a type ("int", "float64", "bool_"); "NoneType" for CPET_T_NONE. */
CPET_API const char *cpet_type_name(cpet_type t);
/** Parses a recorded type name, including legacy "<type 'int'>" forms. */
CPET_API cpet_status cpet_type_from_name(const char *name, cpet_type *out);
/** Bytes per element in memory; 0 for string types (their itemsize is per value). */
CPET_API size_t cpet_type_size(cpet_type t);
/** Name of a kind ("ndarray", "list", "DataFrame", ...). */
CPET_API const char *cpet_kind_name(cpet_kind k);

/* ---- construction: scalars (all return a caller-owned value) ---- */

/** None. */
CPET_API cpet_status cpet_value_new_none(cpet_value **out);
/** Python bool. */
CPET_API cpet_status cpet_value_new_bool(int b, cpet_value **out);
/** Python int. */
CPET_API cpet_status cpet_value_new_int(int64_t i, cpet_value **out);
/** Python float. */
CPET_API cpet_status cpet_value_new_float(double x, cpet_value **out);
/** Python complex. */
CPET_API cpet_status cpet_value_new_complex(double re, double im, cpet_value **out);
/** Python str from a NUL-terminated UTF-8 string (copied). */
CPET_API cpet_status cpet_value_new_str(const char *s, cpet_value **out);
/** Python str of exactly `len` bytes (may hold NULs; copied). */
CPET_API cpet_status cpet_value_new_strn(const char *s, size_t len, cpet_value **out);
/** Python bytes (copied). */
CPET_API cpet_status cpet_value_new_bytes(const void *p, size_t len, cpet_value **out);
/** Any scalar: `elem` points to one element in the layout above; for string types `itemsize`
 *  is its byte length, otherwise it is ignored. */
CPET_API cpet_status cpet_value_new_scalar(cpet_type t, const void *elem, size_t itemsize,
                                           cpet_value **out);

/* ---- construction: arrays, lists, tuples ---- */

/** ndarray / matrix / typed list / typed tuple of `type` with the given shape; `data` holds
 *  prod(shape) elements (copied; may be NULL when the array is empty). Lists and tuples are
 *  rank 1. Sizes are checked for overflow before anything is allocated. */
CPET_API cpet_status cpet_value_new_array(cpet_kind kind, cpet_type t, size_t itemsize, int ndim,
                                          const size_t *shape, const void *data,
                                          cpet_value **out);
/** As cpet_value_new_array, but the elements start zeroed and `*data` (may be NULL) receives
 *  the value's own buffer (NULL for an empty array) for the caller to fill in place: large
 *  arrays then need no copy. The buffer belongs to the value and is valid until it is freed;
 *  fill it before handing the value to any other cpet call. Array kinds only (NDARRAY, MATRIX,
 *  LIST, TUPLE), else CPET_ERR_INVAL. */
CPET_API cpet_status cpet_value_new_array_zeroed(cpet_kind kind, cpet_type t, size_t itemsize,
                                                 int ndim, const size_t *shape, cpet_value **out,
                                                 void **data);
/** Array of strings from n C strings (copied); itemsize = the longest byte length (min 1). */
CPET_API cpet_status cpet_value_new_str_array(cpet_kind kind, cpet_type t, int ndim,
                                              const size_t *shape, const char *const *strs,
                                              cpet_value **out);
/** Empty object list or tuple (type NONE); fill with cpet_value_append. */
CPET_API cpet_status cpet_value_new_seq(cpet_kind kind, cpet_value **out);
/** Appends `take` to an object list/tuple. */
CPET_API cpet_status cpet_value_append(cpet_value *seq, cpet_value *take);

/* ---- construction: dict, ObjectTable, pandas, sparse, pickle ---- */

/** Empty dict; fill with cpet_value_set. */
CPET_API cpet_status cpet_value_new_dict(cpet_value **out);
/** Empty ObjectTable; fill with cpet_value_set (each column an array whose first dimension is
 *  the row count, the rest the cell shape; its kind and type are those of the cells: a SCALAR
 *  kind column of type PY_INT is a column of Python ints). All columns need the same rows. */
CPET_API cpet_status cpet_value_new_table(cpet_value **out);
/** DataFrame with the given index (`take`, 1-d ndarray; NULL: a RangeIndex); add 1-d columns
 *  with cpet_value_set. `index_name` may be NULL. */
CPET_API cpet_status cpet_value_new_frame(cpet_value *index_take, const char *index_name,
                                          cpet_value **out);
/** Series of 1-d `values_take` with `index_take` (NULL: RangeIndex); `name` may be NULL. */
CPET_API cpet_status cpet_value_new_series(cpet_value *values_take, cpet_value *index_take,
                                           const char *name, cpet_value **out);
/** Sets `key` of a dict, table or frame to `take` (replacing an existing key in place;
 *  otherwise appended, so insertion order is kept). */
CPET_API cpet_status cpet_value_set(cpet_value *container, const char *key, cpet_value *take);
/** Sparse matrix. csr/csc/bsr: `a` = indices, `b` = indptr (int32 ndarrays); dia: `a` =
 *  offsets, `b` = NULL. `data_take` is 1-d (csr/csc), 3-d (bsr) or 2-d (dia). All taken. */
CPET_API cpet_status cpet_value_new_sparse(cpet_sparse_format fmt, size_t nrows, size_t ncols,
                                           cpet_value *data_take, cpet_value *a_take,
                                           cpet_value *b_take, cpet_value **out);
/** Opaque pickle (copied). */
CPET_API cpet_status cpet_value_new_pickle(const void *bytes, size_t len, int protocol,
                                           cpet_value **out);

/* ---- lifetime ---- */

/** Frees a value and everything below it. NULL is accepted. */
CPET_API void cpet_value_free(cpet_value *v);
/** Deep copy into a new caller-owned value. */
CPET_API cpet_status cpet_value_copy(const cpet_value *v, cpet_value **out);
/** 1 if both values are of the same kind, type, shape and hold identical elements (NaN equals
 *  NaN bit-for-bit; string cells compare without trailing NULs), else 0. */
CPET_API int cpet_value_equal(const cpet_value *a, const cpet_value *b);

/* ---- getters (borrowed results; cannot fail on a valid value) ---- */

CPET_API cpet_kind cpet_value_kind(const cpet_value *v);
CPET_API cpet_type cpet_value_type(const cpet_value *v);
/** Bytes per element (string types: the fixed width). */
CPET_API size_t cpet_value_itemsize(const cpet_value *v);
/** Rank: 0 for scalars, 1 for lists/tuples/series, n for arrays; tables: 1 + cell rank. */
CPET_API int cpet_value_ndim(const cpet_value *v);
/** Shape (ndim entries; NULL when ndim is 0). Sparse: (nrows, ncols). */
CPET_API const size_t *cpet_value_shape(const cpet_value *v);
/** Number of elements (product of the shape; 1 for scalars). */
CPET_API size_t cpet_value_nelem(const cpet_value *v);
/** The element buffer (nelem * itemsize bytes), NULL for containers without typed data. */
CPET_API const void *cpet_value_data(const cpet_value *v);
/** Number of children (dict entries, table/frame columns, object-list items). */
CPET_API size_t cpet_value_nchildren(const cpet_value *v);
/** Child i (NULL if out of range). */
CPET_API const cpet_value *cpet_value_child(const cpet_value *v, size_t i);
/** Key of child i (NULL for list items or out of range). */
CPET_API const char *cpet_value_key(const cpet_value *v, size_t i);
/** Child by key (NULL if absent). */
CPET_API const cpet_value *cpet_value_get(const cpet_value *v, const char *key);
/** Frame/series index (NULL: RangeIndex or not a pandas value). */
CPET_API const cpet_value *cpet_value_index(const cpet_value *v);
/** Series name, frame index name (NULL if unnamed). */
CPET_API const char *cpet_value_name(const cpet_value *v);
/** Sparse format (CSR for non-sparse values). */
CPET_API cpet_sparse_format cpet_value_sparse_format(const cpet_value *v);
/** Pickle protocol (-1 for non-pickles). */
CPET_API int cpet_value_pickle_protocol(const cpet_value *v);

/* ---- typed access to scalars ---- */

/** Converts a numeric or bool scalar (or 1-element array) to double. CPET_ERR_TYPE otherwise. */
CPET_API cpet_status cpet_value_to_f64(const cpet_value *v, double *out);
/** Converts an integer or bool scalar (or 1-element array) to int64 (CPET_ERR_RANGE if a
 *  uint64 does not fit). CPET_ERR_TYPE for other types. */
CPET_API cpet_status cpet_value_to_i64(const cpet_value *v, int64_t *out);
/** Borrowed bytes of a string/bytes scalar and their length. CPET_ERR_TYPE otherwise. */
CPET_API cpet_status cpet_value_to_str(const cpet_value *v, const char **s, size_t *len);

/* ---- binary encoding (writer protocol, crash journal) ---- */

/** Encodes a value into a new caller-owned buffer (release with cpet_free). The encoding is
 *  versioned, self-describing and little-endian. */
CPET_API cpet_status cpet_value_encode(const cpet_value *v, void **buf, size_t *len);
/** Decodes one value from `buf`. Every length is checked against the remaining input before
 *  any allocation or read; corrupt input returns CPET_ERR_CORRUPT (or CPET_ERR_VERSION) and
 *  never reads out of bounds. `*consumed` (may be NULL) receives the bytes used. */
CPET_API cpet_status cpet_value_decode(const void *buf, size_t len, cpet_value **out,
                                       size_t *consumed);

/** Writes a short Python-like repr of the value into buf (cut with "..." to fit `cap`), the way
 *  pypet previews values in overview tables (`repr(value)`); returns CPET_OK. */
CPET_API cpet_status cpet_value_repr(const cpet_value *v, char *buf, size_t cap);

#ifdef __cplusplus
}
#endif
#endif
