/* cpet_store.h - the HDF5 storage service: pypet 0.7.0's HDF5StorageService in C.
 *
 * A cpet_store is one HDF5 file holding one or more trajectories in pypet's exact layout
 * (shared/spec/pypet-hdf5-format.md). It stores cpet_traj trees (whole, per run, per leaf,
 * per group/subtree, lists of nodes) and loads them back, including files written by pypet.
 *
 * Ownership: cpet_store_open returns a handle the caller releases with cpet_store_close
 * (which flushes, reports a status and frees in every case). Trajectories are never owned by
 * the store: the caller keeps `cpet_traj *` across calls. Loaded trajectories returned through
 * `cpet_traj **out` belong to the caller (cpet_traj_free). Lists returned as `char *` are
 * caller-owned (cpet_free).
 *
 * Errors: "message or data not understood" is CPET_ERR_UNSUPPORTED; "data not in storage" is
 * CPET_ERR_NOTSTORED; a file that is not HDF5 is CPET_ERR_NOTHDF5, an HDF5 file without (that)
 * trajectory CPET_ERR_NOTRAJ / CPET_ERR_NOTFOUND, a version mismatch without `force`
 * CPET_ERR_VERSION. A failed call leaves the file as it was before the call wherever the
 * layout allows (checks run before the first write).
 */
#ifndef CPET_STORE_H
#define CPET_STORE_H

#include <stddef.h>
#include <stdint.h>
#include <cpet/cpet_error.h>
#include <cpet/cpet_filter.h>
#include <cpet/cpet_traj.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct cpet_store cpet_store;

/** pandas storage format for FRAME/SERIES items. */
typedef enum cpet_pandas_format { CPET_PANDAS_FIXED = 0, CPET_PANDAS_TABLE } cpet_pandas_format;

/** Options of the service, with pypet's defaults in CPET_STORE_OPTS_DEFAULT. Strings are
 *  copied at open. */
typedef struct cpet_store_opts {
  const char *file_title;        /* NULL: the trajectory name, as pypet */
  int overwrite_file;            /* 1: truncate an existing file at open */
  const char *encoding;          /* data string encoding, "utf8" */
  cpet_filter_opts filters;      /* complib, complevel, shuffle, fletcher32 */
  cpet_pandas_format pandas_format;
  int purge_duplicate_comments;  /* needs summary_tables */
  int summary_tables;
  int small_overview_tables;     /* config/parameters/explored_parameters overviews */
  int large_overview_tables;     /* results/derived_parameters overviews */
  int results_per_run;           /* expected-rows hints, 0 = unknown */
  int derived_parameters_per_run;
  double display_time;           /* seconds between progress messages (logging) */
  const char *pypet_version;     /* recorded in overview/info, "0.7.0" */
  const char *python_version;    /* recorded in overview/info, "3.11.2" */
} cpet_store_opts;

#define CPET_STORE_OPTS_DEFAULT                                                                  \
  {NULL, 0, "utf8", CPET_FILTER_OPTS_DEFAULT, CPET_PANDAS_FIXED, 1, 1, 1, 0, 0, 0, 20.0, "0.7.0", \
   "3.11.2"}

/** How the file is opened. */
typedef enum cpet_open_mode {
  CPET_OPEN_READ = 0, /* read only; every store call fails with CPET_ERR_STATE */
  CPET_OPEN_APPEND,   /* read/write; created if missing (pypet's 'a') */
  CPET_OPEN_CREATE    /* truncate or create (pypet's overwrite_file / 'w') */
} cpet_open_mode;

/** Store modes (pypet's store_data). */
typedef enum cpet_store_mode {
  CPET_STORE_NOTHING = 0,
  CPET_STORE_DATA_SKIPPING = 1, /* only nodes never stored */
  CPET_STORE_DATA = 2,          /* new nodes, and new items of stored leaves */
  CPET_STORE_OVERWRITE_DATA = 3 /* rewrite the items the leaves hold now */
} cpet_store_mode;

/** Load modes (pypet's load_parameters etc.). */
typedef enum cpet_load_mode {
  CPET_LOAD_NOTHING = 0,
  CPET_LOAD_SKELETON = 1,
  CPET_LOAD_DATA = 2,
  CPET_LOAD_OVERWRITE_DATA = 3
} cpet_load_mode;

/** Options of a trajectory load. */
typedef struct cpet_load_opts {
  const char *name;          /* trajectory name, or NULL to use `index` */
  int index;                 /* index in name order, negatives from the end (-1 = last) */
  int as_new;                /* load parameters only, as a fresh trajectory */
  cpet_load_mode load_parameters; /* config and parameters */
  cpet_load_mode load_derived_parameters;
  cpet_load_mode load_results;
  cpet_load_mode load_other_data;
  int force;                 /* accept a version mismatch */
  const char *expect_version; /* reader's pypet version for the check ("0.7.0") */
  const char *expect_python;  /* reader's python version; NULL: accept any */
} cpet_load_opts;

/** pypet's load_trajectory defaults: parameters LOAD_DATA, the rest LOAD_SKELETON, last
 *  trajectory. */
#define CPET_LOAD_OPTS_DEFAULT                                                                   \
  {NULL, -1, 0, CPET_LOAD_DATA, CPET_LOAD_SKELETON, CPET_LOAD_SKELETON, CPET_LOAD_SKELETON, 0,   \
   "0.7.0", NULL}
/** Everything with data (pypet's load_all=2). */
#define CPET_LOAD_OPTS_ALL                                                                       \
  {NULL, -1, 0, CPET_LOAD_DATA, CPET_LOAD_DATA, CPET_LOAD_DATA, CPET_LOAD_DATA, 0, "0.7.0", NULL}

/* ---- file ---- */

/** Opens (or creates) `filename`. A NULL or folder-only filename is completed as pypet does
 *  once a trajectory is stored (`./hdf5/<trajectory>.hdf5`, `<folder>/<trajectory>.hdf5`): in
 *  that case the file is opened lazily by the first store call. `opts` may be NULL (defaults).
 *  Registers the blosc/lzo filters. Caller closes with cpet_store_close. */
CPET_API cpet_status cpet_store_open(const char *filename, cpet_open_mode mode,
                                     const cpet_store_opts *opts, cpet_store **out);
/** Flushes, closes and frees. NULL accepted (returns CPET_OK). The handle is gone in every
 *  case; the status tells whether the close flushed cleanly. */
CPET_API cpet_status cpet_store_close(cpet_store *store);
/** Flushes HDF5 buffers and fsyncs the file. */
CPET_API cpet_status cpet_store_flush(cpet_store *store);
/** The file's path (borrowed; NULL while not yet determined). */
CPET_API const char *cpet_store_filename(const cpet_store *store);
/** Effective options (borrowed). */
CPET_API const cpet_store_opts *cpet_store_get_opts(const cpet_store *store);
/** Trajectory names in the file, sorted (pypet's index order), as one caller-owned buffer of
 *  NUL-terminated strings (release with cpet_free); *n receives the count. */
CPET_API cpet_status cpet_store_list_trajectories(cpet_store *store, char **names, size_t *n);

/* ---- store ---- */

/** Stores a whole trajectory (pypet's TRAJECTORY message). `only_init`: only the trajectory
 *  group, overview tables, info, hdf5_settings, explorations and runs rows. */
CPET_API cpet_status cpet_store_traj(cpet_store *store, cpet_traj *traj, cpet_store_mode mode,
                                     int only_init);
/** Stores what run `idx` added (SINGLE_RUN): every node whose run index is idx, plus links,
 *  and its runs-table row. */
CPET_API cpet_status cpet_store_run(cpet_store *store, cpet_traj *traj, int64_t idx);
/** Stores one leaf (LEAF); `mode` as above. With OVERWRITE_DATA, `overwrite` (may be NULL)
 *  lists the item keys or the parts "comment" / "annotations" to rewrite; NULL rewrites all. */
CPET_API cpet_status cpet_store_leaf(cpet_store *store, cpet_traj *traj, cpet_node *leaf,
                                     cpet_store_mode mode, const char *const *overwrite,
                                     size_t noverwrite);
/** Stores a group (GROUP), recursively if asked, down to max_depth (-1: unlimited). */
CPET_API cpet_status cpet_store_group(cpet_store *store, cpet_traj *traj, cpet_node *group,
                                      cpet_store_mode mode, int recursive, int max_depth);
/** Stores a list of nodes (LIST). */
CPET_API cpet_status cpet_store_list(cpet_store *store, cpet_traj *traj, cpet_node *const *nodes,
                                     size_t n, cpet_store_mode mode);

/* ---- load ---- */

/** Loads a trajectory (TRAJECTORY) into a new caller-owned cpet_traj. `opts` NULL: defaults. */
CPET_API cpet_status cpet_store_load_traj(cpet_store *store, const cpet_load_opts *opts,
                                          cpet_traj **out);
/** Loads (more of) a trajectory into an existing one, with per-branch modes. */
CPET_API cpet_status cpet_store_load_into(cpet_store *store, cpet_traj *traj,
                                          const cpet_load_opts *opts);
/** Loads one leaf's data (LEAF). `only` / `except` (may be NULL, not both) restrict item keys;
 *  keys not found are reported as a warning in the log, not an error. */
CPET_API cpet_status cpet_store_load_leaf(cpet_store *store, cpet_traj *traj, cpet_node *leaf,
                                          const char *const *only, size_t nonly,
                                          const char *const *except, size_t nexcept);
/** Loads the subtree below `full_name` (GROUP/TREE): `recursive`, `load_data` (a load mode),
 *  `max_depth` (-1 unlimited). The node is created if needed. */
CPET_API cpet_status cpet_store_load_tree(cpet_store *store, cpet_traj *traj,
                                          const char *full_name, int recursive,
                                          cpet_load_mode load_data, int max_depth);

/* ---- the lazy service ---- */

/** A service that accepts every call and stores nothing (debugging, timing compute alone). */
CPET_API cpet_status cpet_store_open_lazy(cpet_store **out);

/* ====================================================================================== */
/* ---- storage maintenance: delete, links, merge, backup, keep-open files --------------- */
/* (pypet's DELETE, DELETE_LINK, PREPARE_MERGE, MERGE, BACKUP, OPEN_FILE, CLOSE_FILE, FLUSH; */
/*  implemented in src/store/delete.c, merge*.c, backup.c, keepopen.c. Shared data:        */
/*  cpet_shared.h.) Every function below returns CPET_OK without touching anything on the  */
/*  lazy service, and CPET_ERR_STATE on a read-only store when it would write.              */
/* ====================================================================================== */

/** DELETE (pypet's f_delete_item(s)): removes `node`'s HDF5 group (leaf or group) from the
 *  file. The tree is not changed except that the removed nodes count as never stored (a later
 *  store writes them anew); use cpet_traj_remove to drop them from the tree too.
 *  - `delete_only` (n keys, may be NULL): only these children of a leaf group are removed
 *    (HDF5 child names such as `drop_me`, dotted keys for nested items); missing keys are a
 *    warning in the log, as in pypet. With `remove_from_item` the keys are also removed from
 *    the leaf's items in memory.
 *  - a group with children in the file needs `recursive` (else CPET_ERR_STATE).
 *  Errors (all before the first write): CPET_ERR_EXPLORED for an explored parameter or a
 *  group holding one (pypet would break the ranges; cpet refuses); CPET_ERR_NOTSTORED if the
 *  node is not in the file; CPET_ERR_INVAL for the root, a link node (use
 *  cpet_store_delete_link) or delete_only on a group. Overview rows are not removed (pypet);
 *  links pointing at deleted nodes dangle. */
CPET_API cpet_status cpet_store_delete(cpet_store *store, cpet_traj *traj, cpet_node *node,
                                       const char *const *delete_only, size_t ndelete_only,
                                       int remove_from_item, int recursive);

/** DELETE_LINK (f_delete_links): removes the soft link `link_full_name` (dotted, below the
 *  trajectory) from the file; with `remove_from_trajectory` also the link node from `traj`.
 *  CPET_ERR_NOTSTORED if absent, CPET_ERR_TYPE if that path is not a soft link. */
CPET_API cpet_status cpet_store_delete_link(cpet_store *store, cpet_traj *traj,
                                            const char *link_full_name,
                                            int remove_from_trajectory);

/** BACKUP (f_backup): copies the whole group `/<traj_name>` recursively into `backup_filename`
 *  (created if missing, with PyTables' root attributes), or, if NULL, into
 *  `backup_<traj_name>.hdf5` in the folder of the store's file. The source is only read.
 *  CPET_ERR_EXISTS if the backup file already holds a trajectory of that name, CPET_ERR_INVAL
 *  if the backup file is the source file itself, CPET_ERR_NOTHDF5 if it exists but is not
 *  HDF5, CPET_ERR_NOTFOUND if the trajectory is not in the source. A backup file created by
 *  the call is removed again when the copy fails. */
CPET_API cpet_status cpet_store_backup(cpet_store *store, const char *traj_name,
                                       const char *backup_filename);

/** Options of a merge (pypet's f_merge keyword arguments). */
typedef struct cpet_merge_opts {
  int backup;                      /* back up both trajectories first (pypet's default 1) */
  int move_data;                   /* move instead of copy (same file only; else copies) */
  int delete_other_trajectory;     /* remove the other trajectory's group afterwards */
  int remove_duplicates;           /* drop runs whose parameter point exists already */
  int keep_info;                   /* record config.merge.merge_<sha7>_<time>.* */
  int keep_other_trajectory_info;  /* ... including other_trajectory.{name,timestamp,length} */
  int merge_config;                /* copy config.git/.environment/.merge leaves missing here */
  const char *const *ignore_data;  /* full names left out of checks and merging */
  size_t nignore_data;
} cpet_merge_opts;

#define CPET_MERGE_OPTS_DEFAULT {1, 0, 0, 0, 1, 1, 1, NULL, 0}

/** Merges trajectory `other_name` of `other` (NULL or the same store: the same file) into
 *  trajectory `traj_name` of `store`, as pypet's traj.f_merge(other) followed by its final
 *  store: both must have the same parameters (derived parameters of single runs aside) with
 *  values of the same types; explored parameters (and parameters whose values differ) get the
 *  other's values appended to their ranges; the other's runs become runs len..len+n-1 (runs
 *  table rows with their times, completion and a new parameter summary); every result and
 *  derived parameter of the other is copied (or moved) with its run groups renamed to the new
 *  indices (`run_00000000` -> `run_0000000N`, `run_set_*` likewise); links are merged; the
 *  merge is recorded under config.merge.merge_<hexsha7>_<time>. Results under run_ALL are not
 *  merged (pypet's fast merge skips them too).
 *  Errors, all raised before the first write: CPET_ERR_INVAL when merging a trajectory into
 *  itself or when remove_duplicates discards every run; CPET_ERR_TYPE when the parameter sets
 *  differ or a parameter's values differ in type (the message names them); CPET_ERR_NOTFOUND /
 *  CPET_ERR_NOTRAJ for missing trajectories; CPET_ERR_STATE for delete_other_trajectory on a
 *  read-only other store; CPET_ERR_EXISTS if the backup files exist already. */
CPET_API cpet_status cpet_store_merge(cpet_store *store, const char *traj_name, cpet_store *other,
                                      const char *other_name, const cpet_merge_opts *opts);

/** PREPARE_MERGE (the service half pypet calls from f_merge): stores `traj` if it was never
 *  stored, updates overview/info (length), deletes the groups of the `changed` parameters
 *  (full names; they are rewritten by the next store) and writes the runs rows from
 *  `old_length` to the trajectory's length with fresh parameter summaries. */
CPET_API cpet_status cpet_store_prepare_merge(cpet_store *store, cpet_traj *traj,
                                              const char *const *changed, size_t nchanged,
                                              size_t old_length);

/** MERGE (the node copy of pypet's fast merge): copies (`move` 1: moves, same file only) each
 *  node `old_names[i]` of trajectory `other_name` (in `other`, NULL = this store) to
 *  `new_names[i]` of `traj_name`, creating missing parent groups; then, with
 *  `delete_other`, removes the other trajectory. CPET_ERR_NOTFOUND if a source node is missing
 *  (checked for all before copying), CPET_ERR_EXISTS if a destination exists. */
CPET_API cpet_status cpet_store_merge_items(cpet_store *store, const char *traj_name,
                                            cpet_store *other, const char *other_name,
                                            const char *const *old_names,
                                            const char *const *new_names, size_t n, int move,
                                            int delete_other);

/* ---- keeping the file open (OPEN_FILE / CLOSE_FILE / FLUSH) ----
 * cpet keeps the HDF5 file open from cpet_store_open (or from the first call of a store whose
 * file is named lazily) until cpet_store_close: that is pypet's OPEN_FILE state. CLOSE_FILE
 * releases the file while keeping the handle (another process may then open the file); the
 * next store/load call, or OPEN_FILE, reopens it (in append mode: a store created with
 * CPET_OPEN_CREATE is not truncated again). Shared data (cpet_shared.h) need the file open. */

/** 1 if the store's HDF5 file is open now, else 0 (also for NULL and the lazy service). */
CPET_API int cpet_store_is_open(const cpet_store *store);
/** OPEN_FILE: opens the file again after cpet_store_close_file. CPET_ERR_STATE if it is open
 *  already ("open twice") or its name is not known yet. */
CPET_API cpet_status cpet_store_open_file(cpet_store *store);
/** CLOSE_FILE: flushes and closes the file (handles of shared data become invalid).
 *  CPET_ERR_STATE if the file is not open. */
CPET_API cpet_status cpet_store_close_file(cpet_store *store);
/** FLUSH: as cpet_store_flush, but CPET_ERR_STATE when the file is not open (pypet's FLUSH
 *  needs an open file). */
CPET_API cpet_status cpet_store_flush_file(cpet_store *store);

#ifdef __cplusplus
}
#endif
#endif
