/* overview_int.h - the store side of the service: pypet's overview tables (spec 4), the summary
 * tables with comment purging (spec 9.1), and the per-call store context shared by
 * store_traj.c, store_node.c, overview.c and summary.c.
 *
 * Tables are PyTables `Table`s: rank-1 chunked, unlimited compound datasets with the column
 * names, types, widths and order pypet writes, plus CLASS/VERSION/TITLE/NROWS/FIELD_i_* so that
 * PyTables (and so pypet) reads them as its own. A cpet__ovtab is opened from the file's own
 * compound type, so tables written by pypet (other widths, e.g. info.time) are handled too. */
#ifndef CPET_OVERVIEW_INT_H
#define CPET_OVERVIEW_INT_H

#include <hdf5.h>

#include "layout/layout_int.h"
#include "store/store_int.h"
#include <cpet/cpet_traj.h>

/* The overview tables. CONFIG..RESULTS_SUMMARY are in pypet's NAME_TABLE_MAPPING order, which
 * is also the order of their flags in hdf5_settings and of config.hdf5.overview.*. */
typedef enum cpet__ov_kind {
  CPET__OV_INFO = 0,
  CPET__OV_RUNS,
  CPET__OV_HDF5,
  CPET__OV_EXPLORATIONS,
  CPET__OV_CONFIG,
  CPET__OV_PARAMS,
  CPET__OV_DERIVED,
  CPET__OV_RESULTS,
  CPET__OV_EXPLORED,
  CPET__OV_DERIVED_SUMMARY,
  CPET__OV_RESULTS_SUMMARY,
  CPET__OV_COUNT
} cpet__ov_kind;

#define CPET__OV_FIRST_INFO CPET__OV_CONFIG /* first of the 7 optional tables */
#define CPET__OV_NOPTIONAL 7
#define CPET__OV_MAX_ROWS 1000 /* HDF5_MAX_OVERVIEW_TABLE_LENGTH */
#define CPET__OV_VALUE_LEN 64
#define CPET__OV_COMMENT_LEN 512
#define CPET__OV_RANGE_LEN 1024
#define CPET__OV_MAXCOLS 20

typedef struct cpet__ovcol {
  char name[40];
  char kind; /* 's' string, 'i' integer, 'f' float, 'b' bitfield/bool, 'x' other (skipped) */
  size_t off, size;
} cpet__ovcol;

typedef struct cpet__ovtab {
  hid_t dset;  /* -1 when closed */
  hid_t mtype; /* in-memory row type: a copy of the file's compound type */
  size_t rowsize;
  hsize_t nrows;
  int ncols;
  cpet__ovcol cols[CPET__OV_MAXCOLS];
} cpet__ovtab;

/* pypet's name of a table ("info", "results_summary", ...). */
const char *cpet__ov_name(cpet__ov_kind k);
/* Creates table `k` in the overview group with pypet's columns (explorations: string width
 * `strwidth`, at least 1), chunked/unlimited with the filters of `f`, and PyTables' attributes.
 * CPET_ERR_EXISTS if present. */
cpet_status cpet__ov_create(hid_t ovgrp, cpet__ov_kind k, size_t strwidth,
                            const cpet_filter_opts *f, cpet__ovtab *t);
/* Opens table `k`; CPET_ERR_NOTFOUND if absent. */
cpet_status cpet__ov_open(hid_t ovgrp, cpet__ov_kind k, cpet__ovtab *t);
void cpet__ov_close(cpet__ovtab *t);
/* Removes a table (explorations is rewritten when the explored count changes). */
cpet_status cpet__ov_remove(hid_t ovgrp, cpet__ov_kind k);

/* Row cells; `row` points to t->rowsize bytes. Unknown columns are ignored (setters) or read
 * as ""/0 (getters). Strings longer than the column are cut to width-3 bytes (at a UTF-8
 * character boundary) plus "...". */
void cpet__ov_set_str(const cpet__ovtab *t, void *row, const char *col, const char *s);
void cpet__ov_set_int(const cpet__ovtab *t, void *row, const char *col, int64_t v);
void cpet__ov_set_f64(const cpet__ovtab *t, void *row, const char *col, double v);
void cpet__ov_set_bool(const cpet__ovtab *t, void *row, const char *col, int b);
/* Copies a string cell into buf (NUL-terminated, cut to cap-1). */
void cpet__ov_get_str(const cpet__ovtab *t, const void *row, const char *col, char *buf,
                      size_t cap);
int64_t cpet__ov_get_int(const cpet__ovtab *t, const void *row, const char *col);
double cpet__ov_get_f64(const cpet__ovtab *t, const void *row, const char *col);
/* Width of a column in bytes (0 if absent). */
size_t cpet__ov_col_size(const cpet__ovtab *t, const char *col);

/* Appends n rows (updates NROWS). */
cpet_status cpet__ov_append(cpet__ovtab *t, const void *rows, size_t n);
/* Writes rows [first, first+n), extending the table when they go past its end. */
cpet_status cpet__ov_write(cpet__ovtab *t, hsize_t first, const void *rows, size_t n);
/* Reads rows [first, first+n) (must exist). */
cpet_status cpet__ov_read(const cpet__ovtab *t, hsize_t first, size_t n, void *rows);

/* Cuts `s` into `out` (cap bytes incl. NUL) the way pypet's _all_cut_string does for a column
 * of width cap-1: longer strings become width-3 bytes + "...". UTF-8 characters are not split. */
void cpet__ov_cut(const char *s, char *out, size_t cap);

/* ---- the per-call store context ---- */

struct cpet__tstate; /* persistent per (store, trajectory): summary.c */

typedef struct cpet__sctx {
  cpet_store *s;
  cpet_traj *traj;
  struct cpet__tstate *st;
  hid_t tgrp, ovgrp; /* -1 until opened */
  cpet__ovtab tab[CPET__OV_COUNT];
  signed char tabstate[CPET__OV_COUNT]; /* 0 not looked at, 1 open, -1 absent (open tables
                                           are handed to the persistent state at the end) */
  cpet_store_opts eff;                  /* service options with config.hdf5.* applied */
  int enabled[CPET__OV_NOPTIONAL];      /* which optional tables are maintained */
  cpet__wctx wctx;
} cpet__sctx;

/* Starts a store call: lazy/writable checks are the caller's. Opens the file (lazy naming),
 * computes the effective options (config.hdf5.* of the trajectory over the service's) and
 * checks them (purge without summary tables -> CPET_ERR_INVAL). `open_traj`: open /<traj> and
 * its overview group if they exist (tgrp stays -1 otherwise). */
cpet_status cpet__sctx_begin(cpet__sctx *c, cpet_store *s, cpet_traj *traj, int open_traj);
/* Closes every id the context opened. Returns `st` (or a close error when st is CPET_OK). */
cpet_status cpet__sctx_end(cpet__sctx *c, cpet_status st);
/* The table of kind k, opened on first use; NULL if the file has none (not an error). */
cpet__ovtab *cpet__sctx_table(cpet__sctx *c, cpet__ov_kind k);

/* ---- storing nodes (store_traj.c, store_node.c) ---- */

/* Creates /<traj> and /<traj>/overview if missing (PyTables group attributes) and opens them. */
cpet_status cpet__store_create_traj_group(cpet__sctx *c);
/* pypet's _trj_store_meta_data: info, runs, hdf5_settings, root comment/annotations,
 * explorations, the enabled overview tables. */
cpet_status cpet__store_meta(cpet__sctx *c);
/* Checks, without writing, every leaf a store of `start` (down to `depth`, -1 unlimited) would
 * write: each item's flag must hold its value (CPET_ERR_FLAG / CPET_ERR_TYPE otherwise). */
cpet_status cpet__store_validate(cpet_node *start, cpet_store_mode mode, int depth);
/* Stores node `n` into `parent` (the open HDF5 group of n's parent): groups (created, comment,
 * annotations; children while depth != 0, -1 unlimited), leaves (layout data, annotations,
 * comment/summary, overview rows when created) and links (soft links). */
cpet_status cpet__store_node(cpet__sctx *c, cpet_node *n, hid_t parent, cpet_store_mode mode,
                             int depth);

/* ---- overview rows (overview_rows.c) ---- */

/* info row 0 (add or modify). */
cpet_status cpet__overview_write_info(cpet__sctx *c);
/* hdf5_settings row 0 (add or modify) from the effective options. */
cpet_status cpet__overview_write_hdf5(cpet__sctx *c);
/* explorations: created, or dropped and rewritten when the explored count changed. */
cpet_status cpet__overview_write_explorations(cpet__sctx *c);
/* Creates the runs table and every enabled optional table that is missing. */
cpet_status cpet__overview_create_tables(cpet__sctx *c);
/* runs rows: appends rows for new runs and rewrites rows whose content changed. */
cpet_status cpet__overview_sync_runs(cpet__sctx *c);
/* Writes runs rows [first, first+count) from the trajectory, appending (with placeholders for
 * any gap) when the table is shorter. For the MPI writer: `trajgrp` is the open /<traj> group;
 * the runs table must exist (created by a trajectory store). */
cpet_status cpet__overview_write_runs(hid_t trajgrp, const cpet_traj *traj, size_t first,
                                      size_t count);
/* Same through a context (creates the table if missing, updates the row cache). */
cpet_status cpet__overview_runs_rows(cpet__sctx *c, size_t first, size_t count);
/* Adds the row of a newly created leaf to its branch's overview table (and, for explored
 * parameters, to explored_parameters_overview), while the table has < 1000 rows. */
cpet_status cpet__overview_leaf_rows(cpet__sctx *c, const cpet_node *leaf);
/* pypet's f_val_to_str preview: repr(value) for parameters, "k=repr(v), ..." for results; cut
 * to `cap`-1 bytes with "...". */
void cpet__overview_preview(const cpet_node *leaf, char *buf, size_t cap);
/* Fills location/name/value/comment of an overview or summary row. */
void cpet__overview_fill_leaf(const cpet__ovtab *t, void *row, const cpet_node *leaf);

/* ---- summary tables and comment purging (summary.c) ---- */

/* Decides the leaf's SRVC_INIT_COMMENT (spec 9.1 as cpet implements it): writes or removes the
 * attribute on `leafgrp`, moves it from a higher-run instance when needed, maintains the
 * summary table row. `overwrite`: a rewrite of an existing leaf (OVERWRITE_DATA). */
cpet_status cpet__summary_leaf_comment(cpet__sctx *c, const cpet_node *leaf, hid_t leafgrp,
                                       int overwrite);
/* Releases the state the store keeps for `s` (purge maps, runs row cache). The service's close
 * should call it; states of closed stores are otherwise dropped when their file id changes and
 * at exit. */
void cpet__store_state_drop(cpet_store *s);
/* The persistent state for (c->s, traj name, current file id); created on first use. */
cpet_status cpet__tstate_get(cpet__sctx *c);
/* Tables kept open across calls while the file stays open, so that consecutive single-run
 * stores reuse the chunk cache instead of re-opening and re-compressing a chunk each time. */
cpet__ovtab *cpet__tstate_tab(struct cpet__tstate *st, cpet__ov_kind k);
void cpet__tstate_keep(struct cpet__tstate *st, cpet__ov_kind k, const cpet__ovtab *t);
/* Forgets (without closing) a cached table: the caller closed or removed it. */
void cpet__tstate_forget(struct cpet__tstate *st, cpet__ov_kind k);
/* Runs-row cache (hash of the last row bytes written per run index); 0 = unknown. */
uint64_t cpet__tstate_runhash(struct cpet__tstate *st, size_t idx);
cpet_status cpet__tstate_set_runhash(struct cpet__tstate *st, size_t idx, uint64_t h);
/* FNV-1a of n bytes (never 0). */
uint64_t cpet__ov_hash(const void *p, size_t n);

#endif
