/* layout_int.h - pypet's on-disk layout of leaf data, shared by the store and load paths.
 * Contract between src/layout (leaf data, tables, pandas, sparse) and src/store (service). */
#ifndef CPET_LAYOUT_INT_H
#define CPET_LAYOUT_INT_H

#include <hdf5.h>

#include "core/core_int.h"
#include <cpet/cpet_store.h>
#include <cpet/cpet_traj.h>
#include <cpet/cpet_value.h>

/* What a leaf writer needs to know about the service. */
typedef struct cpet__wctx {
  const cpet_store_opts *opts; /* filters, encoding, pandas format */
  size_t expected_rows;        /* chunking hint (results_per_run etc.), 0 = unknown */
} cpet__wctx;

/* ---- writing (src/layout/write_*.c) ---- */

/* Writes one item `key` of a leaf into the leaf group: dotted keys become NESTED_GROUP groups;
 * the dataset gets SRVC_STORE and the SRVC_DATA_* / SRVC_COLUMN_* type-recall attributes.
 * `flag` AUTO applies pypet's default. Tables wider than 512 columns become SPLIT_TABLEs.
 * CPET_ERR_EXISTS if the child exists (the caller decides about overwriting). */
cpet_status cpet__layout_write_item(hid_t leafgrp, const char *key, const cpet_value *v,
                                    cpet_flag flag, const cpet__wctx *ctx);

/* Writes a leaf's data in its class layout (Parameter: data/explored_data tables;
 * ArrayParameter: data__rr__, explored__rr__/set_%05d/xa_%08d, explored_data__rr__;
 * SparseParameter: data__spsp__, xspm__spsp__%08d, explored_data__spsp__; Result: one child per
 * item; SparseResult: <key>__spsp__ for sparse items; PickleParameter/PickleResult: carried
 * pickles) plus SRVC_LEAF and SRVC_INIT_CLASS_NAME. With STORE_DATA only keys not yet present
 * are written; with OVERWRITE_DATA the keys listed in `overwrite` (NULL: all keys the leaf holds)
 * are deleted first. Comments and annotations are the caller's (summary/purge logic). */
cpet_status cpet__layout_write_leaf(hid_t leafgrp, const cpet_node *leaf, cpet_store_mode mode,
                                    const char *const *overwrite, size_t noverwrite,
                                    const cpet__wctx *ctx);

/* Writes the annotations of a node as SRVC_AN_<key> (+ SRVC_ANNOTATED); with `overwrite` all
 * existing SRVC_AN_* are deleted first, otherwise only keys not on disk are added. */
cpet_status cpet__layout_write_annotations(hid_t grp, const cpet_node *node, int overwrite);

/* ---- reading (src/layout/read_*.c) ---- */

/* Reads one child of a leaf group by its SRVC_STORE flag with pypet's type recall; `encoding`
 * decodes str data. Nested groups are handled by cpet__layout_read_leaf. */
cpet_status cpet__layout_read_item(hid_t leafgrp, const char *child, const char *encoding,
                                   cpet_value **out, cpet_flag *flag);

/* Reads a leaf's data into `leaf` according to its class (parameter default + range, result
 * items, sparse and pickle layouts, nested keys). `only`/`except` filter item keys (may be NULL).
 * Tolerates pypet's double-store junk (spec 6.9) for parameters. */
cpet_status cpet__layout_read_leaf(hid_t leafgrp, cpet_node *leaf, const char *encoding,
                                   const char *const *only, size_t nonly,
                                   const char *const *except, size_t nexcept);

/* Reads SRVC_INIT_COMMENT and, if SRVC_ANNOTATED, every SRVC_AN_* into the node. */
cpet_status cpet__layout_read_meta(hid_t grp, cpet_node *node);

/* ---- pandas (src/layout/pandas_*.c) ---- */

/* Writes a FRAME/SERIES value as pandas.HDFStore.put would (fixed or table format) into a new
 * group `name` below `parent`, plus SRVC_STORE. */
cpet_status cpet__pandas_write(hid_t parent, const char *name, const cpet_value *v,
                               cpet_pandas_format fmt, const cpet__wctx *ctx);
/* Reads a pandas group (fixed or table format) into a FRAME or SERIES value. Object columns
 * that pandas pickled are returned as CPET_KIND_PICKLE cells-less columns when they cannot be
 * decoded. Caller frees. */
cpet_status cpet__pandas_read(hid_t grp, cpet_value **out);

/* ---- sparse matrices (src/layout/sparse_*.c) ---- */

/* scipy.sparse.save_npz as a lowercase hex string (ZIP of .npy members, stored). Caller frees. */
cpet_status cpet__sparse_to_hex(const cpet_value *v, char **hex, size_t *len);
/* Parses the hex of a save_npz archive (stored or deflated members) into a SPARSE value. */
cpet_status cpet__sparse_from_hex(const char *hex, size_t len, cpet_value **out);

/* ---- pickle (src/layout/pickle.c) ---- */

/* Decodes a protocol 0-2 pickle of None/bool/int/float/complex/str/bytes/list/tuple/dict into a
 * value; CPET_ERR_UNSUPPORTED for anything else (callers then keep a CPET_KIND_PICKLE). */
cpet_status cpet__pickle_decode(const void *p, size_t len, cpet_value **out);
/* Encodes None/bool/int/float/str/list/tuple/dict with protocol 0 as PyTables does for
 * attributes (ends in '.'). Caller frees. */
cpet_status cpet__pickle_encode0(const cpet_value *v, char **out, size_t *len);

#endif
