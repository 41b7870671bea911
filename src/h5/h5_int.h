/* h5_int.h - the low-level HDF5 helpers every storage file uses: error stack -> cpet_errmsg,
 * cpet_type <-> HDF5 type mapping, PyTables/pypet attribute encodings, compound tables.
 * Only src/h5, src/store, src/layout and src/filter include hdf5.h. */
#ifndef CPET_H5_INT_H
#define CPET_H5_INT_H

#include <hdf5.h>

#include "core/core_int.h"
#include <cpet/cpet_value.h>

/* Turns off HDF5's automatic error printing and registers the blosc/lzo filters; idempotent. */
cpet_status cpet__h5_init(void);

/* Returns CPET_ERR_HDF5 (or CPET_ERR_NOSPACE/CPET_ERR_IO when the stack says so) with a message
 * "<what> '<path>': <innermost HDF5 message> (file:line)" built from the current error stack. */
cpet_status cpet__h5_err(const char *what, const char *path);

/* Closes any HDF5 id if valid (>= 0); for cleanup paths. */
void cpet__h5_close(hid_t id);

/* ---- types ---- */

/* File/memory type for elements of `t` (little-endian standard types; strings fixed-length
 * `itemsize` NULLTERM ASCII cset as PyTables writes data; bool -> H5T_STD_B8LE bitfield; complex
 * -> compound {r, i}). `in_table`: PY_INT becomes int32 as pypet's IntCol. Caller closes. */
hid_t cpet__h5_type_for(cpet_type t, size_t itemsize, int in_table);

/* Classifies a dataset/attribute/member type read from a file into the numpy element type
 * PyTables returns (B8 -> BOOL, I64 -> INT64, {r,i} -> COMPLEX*, strings -> BYTES with their
 * size, enum bool -> BOOL). CPET_ERR_UNSUPPORTED for anything else. */
cpet_status cpet__h5_type_classify(hid_t ftype, cpet_type *t, size_t *itemsize);
/* Memory type to read elements classified as `t` from a dataset/attribute of file type
 * `ftype` (may be -1): fixed strings and enum bools copy the file type (bytes verbatim), the
 * rest as cpet__h5_type_for(t, itemsize, 0). Caller closes. */
hid_t cpet__h5_mem_type(cpet_type t, size_t itemsize, hid_t ftype);

/* ---- attributes ---- */

int cpet__h5_attr_exists(hid_t obj, const char *name);
cpet_status cpet__h5_attr_delete(hid_t obj, const char *name);
/* Scalar fixed-length UTF-8-cset string attribute (replaces an existing one); "" is written
 * with a null dataspace like PyTables. */
cpet_status cpet__h5_attr_write_str(hid_t obj, const char *name, const char *s);
/* Scalar H5T_STD_B8LE attribute. */
cpet_status cpet__h5_attr_write_bool(hid_t obj, const char *name, int b);
cpet_status cpet__h5_attr_write_i64(hid_t obj, const char *name, int64_t v);
/* A value as PyTables stores attributes (annotations): strings UTF-8, numbers with their numpy
 * type, arrays as array attributes, None/lists/tuples/dicts pickled with protocol 0 into an
 * ASCII-cset string ending in '.'. CPET_ERR_TYPE for values that have no attribute form. */
cpet_status cpet__h5_attr_write_value(hid_t obj, const char *name, const cpet_value *v);
/* Reads a string attribute (fixed or variable length, any cset, null dataspace -> "") into a
 * caller-owned NUL-terminated string. CPET_ERR_NOTFOUND if absent. */
cpet_status cpet__h5_attr_read_str(hid_t obj, const char *name, char **out);
/* Truthiness of an attribute (bitfield, int or enum); 0 if absent. */
int cpet__h5_attr_true(hid_t obj, const char *name);
/* Reads any attribute as a value the way pypet shows it (numpy scalars, numpy.str_ text,
 * arrays, protocol-0 pickles of None/bool/int/float/str/list/tuple/dict decoded; other pickles
 * become CPET_KIND_PICKLE). Caller frees. */
cpet_status cpet__h5_attr_read_value(hid_t obj, const char *name, cpet_value **out);
/* Calls fn for each attribute name of obj (in creation/name order); stops on non-zero. */
cpet_status cpet__h5_attr_iterate(hid_t obj, int (*fn)(const char *name, void *ud), void *ud);

/* ---- groups and links ---- */

/* Opens `path` (relative to loc) as a group, creating missing groups when `create`. */
cpet_status cpet__h5_group_open(hid_t loc, const char *path, int create, hid_t *out);
int cpet__h5_link_exists(hid_t loc, const char *path); /* every component checked */
/* Names of the links directly below group `grp` in name order (HDF5's H5_INDEX_NAME), as a
 * caller-owned array of caller-owned strings; free with cpet__h5_free_names. */
cpet_status cpet__h5_list_names(hid_t grp, char ***names, size_t *n);
void cpet__h5_free_names(char **names, size_t n);
/* Kind of the link `name` below `grp`: 0 absent, 1 group, 2 dataset, 3 soft link, 4 other.
 * For soft links *target (may be NULL) receives a caller-owned copy of the target path. */
int cpet__h5_child_kind(hid_t grp, const char *name, char **target);

#endif
