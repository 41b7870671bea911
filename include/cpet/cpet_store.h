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

#ifdef __cplusplus
}
#endif
#endif
