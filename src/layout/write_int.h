/* write_int.h - shared helpers of the leaf writers (write_item.c, write_table.c, write_leaf.c,
 * write_attrs.c): PyTables bookkeeping attributes, pypet's type-recall attributes, chunk shapes
 * and dataset creation in exactly the layout pypet 0.7.0 / PyTables 3.7 produce. */
#ifndef CPET_LAYOUT_WRITE_INT_H
#define CPET_LAYOUT_WRITE_INT_H

#include <hdf5.h>

#include "layout/layout_int.h"

/* PyTables' tables.parameters.MAX_COLUMNS: wider tables become SPLIT_TABLE groups. */
#define CPET__WR_MAX_COLUMNS 512

/* What PyTables class a new HDF5 object stands for (decides CLASS/VERSION/TITLE/FLAVOR and
 * their character sets, which differ between classes in PyTables 3.7). */
typedef enum cpet__ptclass {
  CPET__PT_GROUP = 0,
  CPET__PT_TABLE,
  CPET__PT_ARRAY,
  CPET__PT_CARRAY,
  CPET__PT_EARRAY,
  CPET__PT_VLARRAY
} cpet__ptclass;

/* ---- write_attrs.c ---- */

/* Attribute writers for objects created just now: no existence check, one H5Acreate each.
 * `ascii` selects H5T_CSET_ASCII instead of UTF-8. A NULL or empty `s` is written like
 * PyTables writes "": a size-1 string with a null dataspace. */
cpet_status cpet__wr_attr_str(hid_t obj, const char *name, const char *s, int ascii);
/* Scalar attribute of `type` (file and memory type are the same: host is little-endian). */
cpet_status cpet__wr_attr_scalar(hid_t obj, const char *name, hid_t type, const void *buf);

/* CLASS, VERSION, TITLE (NULL -> empty), and FLAVOR (arrays only, NULL -> none), EXTDIM (earray)
 * and FILTERS (groups, from `filters`) exactly as PyTables 3.7 writes them. */
cpet_status cpet__wr_pytables_attrs(hid_t obj, cpet__ptclass cls, const char *title,
                                    const char *flavor, const cpet_filter_opts *filters);

/* PyTables' packed FILTERS attribute value of a group for these settings (spec 2.5). */
int64_t cpet__wr_filters_packed(const cpet_filter_opts *o);

/* pypet's type-recall pair for a value stored as an array (`is_column` 0) or for the cells of
 * a table column (`is_column` 1; column = rows x cell). *stype is NULL when pypet writes no
 * SCALAR_TYPE. CPET_ERR_TYPE for values pypet cannot recall (None, nested object lists...). */
cpet_status cpet__wr_recall_names(const cpet_value *v, int is_column, const char **coll,
                                  const char **stype);
/* Writes <prefix>COLL_TYPE and, if any, <prefix>SCALAR_TYPE. */
cpet_status cpet__wr_recall_attrs(hid_t obj, const char *prefix, const char *coll,
                                  const char *stype);

/* Creates group `name` below `parent` as pypet's _all_create_or_get_group does (PyTables
 * attributes with TITLE = `title`, FILTERS) and, if `srvc_store` is not NULL, SRVC_STORE. */
cpet_status cpet__wr_group_create(hid_t parent, const char *name, const char *title,
                                  const char *srvc_store, const cpet__wctx *ctx, hid_t *out);

/* The service's filter settings (pypet's defaults when ctx/opts are NULL). */
const cpet_filter_opts *cpet__wr_filters(const cpet__wctx *ctx);

/* ---- write_item.c ---- */

/* PyTables' chunk shape (Leaf._calc_chunkshape with calc_chunksize) for an array of `rank`
 * dims whose elements have `itemsize` bytes and `expectedrows` rows are expected. */
void cpet__wr_chunkshape(int rank, const hsize_t *dims, size_t itemsize, double expectedrows,
                         hsize_t *chunk);

/* Shrinks a chunk shape to the data's extent (at least 1 per dimension): small datasets get one
 * chunk of their own size instead of PyTables' 64 KiB minimum, which makes writing and
 * compressing them much cheaper; readers (PyTables, h5py, pypet) do not care about chunk
 * shapes. */
void cpet__wr_chunkshape_fit(int rank, const hsize_t *dims, hsize_t *chunk);

/* Writes one item `name` directly into the open group `grp` (no dotted keys, no existence
 * check): the dispatcher behind cpet__layout_write_item. `flag` AUTO applies pypet's default. */
cpet_status cpet__wr_value(hid_t grp, const char *name, const cpet_value *v, cpet_flag flag,
                           const cpet__wctx *ctx);

/* Opens the NESTED_GROUP chain of the first `len` bytes of a dotted key below `leafgrp`,
 * creating missing groups; *created (may be NULL) says the innermost group is new (so nothing
 * below it exists yet). CPET_ERR_LAYOUT if a component exists but is no nested group. */
cpet_status cpet__wr_open_nested(hid_t leafgrp, const char *prefix, size_t len,
                                 const cpet__wctx *ctx, hid_t *out, int *created);

/* A Python str / bytes scalar (ARRAY, COLL_SCALAR, SCALAR_TYPE `stype`) straight from a buffer
 * of `len` bytes (embedded NULs kept): sparse hex strings and pickles without a copy. */
cpet_status cpet__wr_bytes_scalar(hid_t grp, const char *name, const void *buf, size_t len,
                                  const char *stype);


/* ---- write_table.c ---- */

/* Writes an ObjectTable (`v` of kind TABLE) or a non-empty dict (`is_dict`, one row) as a
 * PyTables table `name` below `grp` with pypet's column rules, or as a SPLIT_TABLE group when
 * it has more than 512 columns. Sets SRVC_STORE (TABLE/DICT) and the type-recall attributes. */
cpet_status cpet__wr_table(hid_t grp, const char *name, const cpet_value *v, int is_dict,
                           const cpet__wctx *ctx);

#endif
