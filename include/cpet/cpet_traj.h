/* cpet_traj.h - the trajectory tree: groups, parameters, results, links, exploration, runs.
 *
 * A trajectory is pypet's tree below one HDF5 group: branches `config`, `parameters`,
 * `derived_parameters`, `results` (and any other name), groups, leaves and soft links, named
 * with pypet's natural naming (`parameters.neuron.tau`). Serial-safe: no MPI, no HDF5.
 *
 * Ownership: the trajectory owns every node (rule 2 of cpet.h). A `cpet_node *` stays valid
 * until that node is removed or the trajectory is freed; never free it. Values passed in are
 * copied (functions taking `take` arguments take ownership, even on failure). `const` results
 * are borrowed from their node and live as long as it does, unless the node's data change.
 *
 * Names: each component matches ^[A-Za-z0-9_-]+$, does not start with `_` (except the ones
 * pypet reserves, never accepted from users), is shorter than 128 characters; `overview` is
 * reserved below the trajectory. Wildcards: `$` / `crun` = the current run name (`run_ALL`
 * when no run is selected), `$set` / `crunset` = its run set (`run_set_00000`). An invalid
 * name returns CPET_ERR_NAME, says which rule failed in cpet_errmsg(), and adds nothing.
 */
#ifndef CPET_TRAJ_H
#define CPET_TRAJ_H

#include <stddef.h>
#include <stdint.h>
#include <cpet/cpet_error.h>
#include <cpet/cpet_value.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct cpet_traj cpet_traj;
typedef struct cpet_node cpet_node;

typedef enum cpet_node_kind { CPET_NODE_GROUP = 0, CPET_NODE_LEAF, CPET_NODE_LINK } cpet_node_kind;

typedef enum cpet_branch {
  CPET_BRANCH_ROOT = 0, /* the trajectory itself */
  CPET_BRANCH_CONFIG,
  CPET_BRANCH_PARAMETERS,
  CPET_BRANCH_DERIVED,  /* derived_parameters */
  CPET_BRANCH_RESULTS,
  CPET_BRANCH_OTHER
} cpet_branch;

/** Leaf classes (SRVC_INIT_CLASS_NAME). */
typedef enum cpet_leaf_class {
  CPET_CLASS_PARAMETER = 0,
  CPET_CLASS_ARRAY_PARAMETER,
  CPET_CLASS_SPARSE_PARAMETER,
  CPET_CLASS_PICKLE_PARAMETER, /* read-only: loaded from pypet files, stored back as is */
  CPET_CLASS_RESULT,
  CPET_CLASS_SPARSE_RESULT,
  CPET_CLASS_PICKLE_RESULT,    /* read-only, as above */
  CPET_CLASS_SHARED_RESULT,
  CPET_CLASS_CUSTOM            /* unknown class name: carried through by name */
} cpet_leaf_class;

/** Storage flags (SRVC_STORE); AUTO applies pypet's type-to-flag mapping. */
typedef enum cpet_flag {
  CPET_FLAG_AUTO = 0,
  CPET_FLAG_ARRAY,
  CPET_FLAG_CARRAY,
  CPET_FLAG_EARRAY,
  CPET_FLAG_VLARRAY,
  CPET_FLAG_TABLE,
  CPET_FLAG_DICT,
  CPET_FLAG_FRAME,
  CPET_FLAG_SERIES,
  CPET_FLAG_SHARED_DATA
} cpet_flag;

/** One row of the runs table (overview/runs). Strings are NUL-terminated. */
typedef struct cpet_run_info {
  int64_t idx;
  char name[32];                 /* run_%08d */
  int completed;                 /* 1 once the run finished and is stored */
  char time[32];                 /* start, %Y_%m_%d_%Hh%Mm%Ss */
  double timestamp;              /* start, seconds since the epoch */
  double finish_timestamp;
  char runtime[32];              /* str(timedelta), e.g. 0:00:00.007797 */
  char parameter_summary[520];   /* "x: 1,   y: 0.25" */
  char short_environment_hexsha[8];
} cpet_run_info;

/* ---- trajectory lifetime and meta data ---- */

/** New empty trajectory named `name` (validated), timestamped now. Caller frees with
 *  cpet_traj_free. */
CPET_API cpet_status cpet_traj_create(const char *name, cpet_traj **out);
/** Frees the trajectory and every node. NULL accepted. */
CPET_API void cpet_traj_free(cpet_traj *traj);
CPET_API const char *cpet_traj_name(const cpet_traj *traj);
/** Trajectory comment ("" if none; borrowed). */
CPET_API const char *cpet_traj_comment(const cpet_traj *traj);
CPET_API cpet_status cpet_traj_set_comment(cpet_traj *traj, const char *comment);
/** Creation time: seconds since the epoch and pypet's "%Y_%m_%d_%Hh%Mm%Ss" string. */
CPET_API double cpet_traj_timestamp(const cpet_traj *traj);
CPET_API const char *cpet_traj_time(const cpet_traj *traj);
/** Sets both (the time string is derived from the timestamp in local time unless `time` is
 *  given). Used when loading. */
CPET_API cpet_status cpet_traj_set_time(cpet_traj *traj, double timestamp, const char *time);
/** Writer versions recorded in overview/info (defaults "0.7.0" / "3.11.2"). */
CPET_API const char *cpet_traj_version(const cpet_traj *traj);
CPET_API const char *cpet_traj_python(const cpet_traj *traj);
CPET_API cpet_status cpet_traj_set_versions(cpet_traj *traj, const char *version,
                                            const char *python);
/** The root node (branch ROOT): comment and annotations of the trajectory itself. */
CPET_API cpet_node *cpet_traj_root(cpet_traj *traj);

/* ---- adding nodes ---- */

/** Adds (or returns the existing) group at `name` (a full name), creating missing parents.
 *  `comment` may be NULL. */
CPET_API cpet_status cpet_traj_add_group(cpet_traj *traj, const char *name, const char *comment,
                                         cpet_node **out);
/** Adds a parameter leaf of class `cls` (PARAMETER, ARRAY_PARAMETER, SPARSE_PARAMETER) holding
 *  a copy of `value`. `name` is a full name under `config`, `parameters` or
 *  `derived_parameters`, or a name without branch, which goes under `parameters`. In a run
 *  (see cpet_traj_set_crun) derived parameters go under `derived_parameters.runs.<run>`.
 *  `out` may be NULL. CPET_ERR_EXISTS if a node of that name exists. */
CPET_API cpet_status cpet_traj_add_param(cpet_traj *traj, const char *name, cpet_leaf_class cls,
                                         const cpet_value *value, const char *comment,
                                         cpet_node **out);
/** Adds a result leaf of class `cls` (RESULT, SPARSE_RESULT, SHARED_RESULT). `name` is a full
 *  name under `results` (or an other-data branch), or a name without branch, which goes under
 *  `results`; inside a run pypet's `runs.<run>` is inserted after the branch unless a
 *  component already is a run name or wildcard. If `value` is not NULL it becomes the item
 *  named after the leaf (pypet's `f_add_result("z", 42)`). */
CPET_API cpet_status cpet_traj_add_result(cpet_traj *traj, const char *name, cpet_leaf_class cls,
                                          const cpet_value *value, const char *comment,
                                          cpet_node **out);
/** Adds a soft link `name` (full name) pointing at `target` (a group or leaf of this
 *  trajectory). */
CPET_API cpet_status cpet_traj_add_link(cpet_traj *traj, const char *name, cpet_node *target,
                                        cpet_node **out);
/** Adds a leaf with an explicit class name as read from a file (custom/pickle classes). Used by
 *  the storage layer; users call the typed functions above. */
CPET_API cpet_status cpet_traj_add_leaf_raw(cpet_traj *traj, const char *full_name,
                                            const char *class_name, cpet_node **out);
/** Removes a node (and, with `recursive`, everything below it). Explored parameters refuse
 *  (CPET_ERR_EXPLORED); a group with children without `recursive` refuses (CPET_ERR_STATE).
 *  Pointers to removed nodes become invalid. */
CPET_API cpet_status cpet_traj_remove(cpet_traj *traj, cpet_node *node, int recursive);

/* ---- finding nodes ---- */

/** Natural-naming lookup: a full name (`parameters.neuron.tau`), a name relative to the root
 *  with wildcards (`results.runs.$.z`: the current run first, then `run_ALL`), or a unique
 *  short name (`tau`). CPET_ERR_NOTFOUND if absent, CPET_ERR_NAME if a short name is
 *  ambiguous (the message lists candidates). Links are followed to their targets. */
CPET_API cpet_status cpet_traj_find(cpet_traj *traj, const char *name, cpet_node **out);
/** Number of nodes of all kinds in the tree (the root excluded). */
CPET_API size_t cpet_traj_count(const cpet_traj *traj);

/* ---- node getters (borrowed; cannot fail on a valid node) ---- */

CPET_API cpet_node_kind cpet_node_kind_of(const cpet_node *n);
/** Last name component (""-for the root). */
CPET_API const char *cpet_node_name(const cpet_node *n);
/** Dot-separated full name below the trajectory ("" for the root). */
CPET_API const char *cpet_node_full_name(const cpet_node *n);
CPET_API cpet_branch cpet_node_branch(const cpet_node *n);
CPET_API cpet_node *cpet_node_parent(const cpet_node *n);
/** Children in insertion order. */
CPET_API size_t cpet_node_nchildren(const cpet_node *n);
CPET_API cpet_node *cpet_node_child(const cpet_node *n, size_t i);
/** Child by name (NULL if absent). */
CPET_API cpet_node *cpet_node_child_by_name(const cpet_node *n, const char *name);
/** Link target (NULL for non-links or dangling links). */
CPET_API cpet_node *cpet_node_link_target(const cpet_node *n);
/** Leaf class, and its pypet name ("Parameter", or the custom name). */
CPET_API cpet_leaf_class cpet_node_class(const cpet_node *n);
CPET_API const char *cpet_node_class_name(const cpet_node *n);
/** pypet's in-memory group class: NNGroupNode, ParameterGroup, ResultGroup, ConfigGroup,
 *  DerivedParameterGroup. */
CPET_API const char *cpet_node_group_class(const cpet_node *n);
/** 1 for parameters (config, parameters, derived parameters), 0 for results. */
CPET_API int cpet_node_is_parameter(const cpet_node *n);
/** Run index a node belongs to (pypet's run branch): the index of the run name in its full
 *  name, -2 for `run_ALL`, -1 for trajectory-level nodes. */
CPET_API int64_t cpet_node_run_index(const cpet_node *n);
CPET_API const char *cpet_node_comment(const cpet_node *n);
CPET_API cpet_status cpet_node_set_comment(cpet_node *n, const char *comment);

/* ---- annotations (any node; values copied) ---- */

CPET_API cpet_status cpet_node_annotate(cpet_node *n, const char *key, const cpet_value *value);
CPET_API size_t cpet_node_nannotations(const cpet_node *n);
/** Annotation i: key and value (borrowed). CPET_ERR_RANGE if i is out of range. */
CPET_API cpet_status cpet_node_annotation(const cpet_node *n, size_t i, const char **key,
                                          const cpet_value **value);
/** Annotation by key, NULL if absent. */
CPET_API const cpet_value *cpet_node_annotation_get(const cpet_node *n, const char *key);

/* ---- leaf items (results: any number; parameters: managed by the param functions) ---- */

/** Sets item `key` of a leaf to a copy of `value` with storage flag `flag`. Keys may contain
 *  dots (nested groups on disk). CPET_ERR_TYPE if the flag cannot hold the value. */
CPET_API cpet_status cpet_leaf_set(cpet_node *leaf, const char *key, const cpet_value *value,
                                   cpet_flag flag);
/** As cpet_leaf_set, taking ownership of `take`. */
CPET_API cpet_status cpet_leaf_set_take(cpet_node *leaf, const char *key, cpet_value *take,
                                        cpet_flag flag);
CPET_API size_t cpet_leaf_nitems(const cpet_node *leaf);
/** Item i: key, value and flag (borrowed). CPET_ERR_RANGE if out of range. */
CPET_API cpet_status cpet_leaf_item(const cpet_node *leaf, size_t i, const char **key,
                                    const cpet_value **value, cpet_flag *flag);
/** Item by key (NULL if absent). */
CPET_API const cpet_value *cpet_leaf_get(const cpet_node *leaf, const char *key);
/** Removes item `key` (CPET_ERR_NOTFOUND if absent). */
CPET_API cpet_status cpet_leaf_remove_item(cpet_node *leaf, const char *key);
/** Drops all data of a leaf (items, default value, range) but keeps the node (skeleton). */
CPET_API cpet_status cpet_leaf_clear(cpet_node *leaf);
/** 1 if the leaf holds no data (a skeleton). */
CPET_API int cpet_leaf_is_empty(const cpet_node *leaf);

/* ---- parameters ---- */

/** Default value of a parameter (NULL if empty). */
CPET_API const cpet_value *cpet_param_value(const cpet_node *param);
/** Replaces the default value (copied). CPET_ERR_EXPLORED if explored and the type changes;
 *  CPET_ERR_STATE if locked. */
CPET_API cpet_status cpet_param_set(cpet_node *param, const cpet_value *value);
CPET_API int cpet_param_is_explored(const cpet_node *param);
/** Length of the explored range (0 if not explored). */
CPET_API size_t cpet_param_range_len(const cpet_node *param);
/** Element i of the range (borrowed; NULL if out of range). */
CPET_API const cpet_value *cpet_param_range(const cpet_node *param, size_t i);
/** The value in the current run: range[crun] when explored and a run is selected, else the
 *  default. */
CPET_API const cpet_value *cpet_param_current(const cpet_node *param);
/** Sets a parameter's range directly (`n` values, copied; their kind/type/shape must equal the
 *  default's, else CPET_ERR_EXPLORED). Used when loading; users call cpet_traj_explore. */
CPET_API cpet_status cpet_param_set_range(cpet_node *param, const cpet_value *const *values,
                                          size_t n);

/* ---- exploration and runs ---- */

/** Explores parameters with zipped ranges: `ranges[k]` is a list/tuple/1-d ndarray value (its
 *  elements become the values of `names[k]`) or an object list of values; all ranges must have
 *  the same length. Already explored parameters are extended (pypet's f_expand) only through
 *  cpet_traj_expand. On error nothing changes. */
CPET_API cpet_status cpet_traj_explore(cpet_traj *traj, size_t nparams, const char *const *names,
                                       const cpet_value *const *ranges);
/** As cpet_traj_explore with the cartesian product of the ranges (first name varies slowest,
 *  as pypet's cartesian_product). */
CPET_API cpet_status cpet_traj_explore_product(cpet_traj *traj, size_t nparams,
                                               const char *const *names,
                                               const cpet_value *const *ranges);
/** Appends runs: every explored parameter must be named, with zipped ranges. */
CPET_API cpet_status cpet_traj_expand(cpet_traj *traj, size_t nparams, const char *const *names,
                                      const cpet_value *const *ranges);
/** Number of runs (1 when nothing is explored, as pypet). */
CPET_API size_t cpet_traj_length(const cpet_traj *traj);
/** Explored parameters in exploration order. */
CPET_API size_t cpet_traj_nexplored(const cpet_traj *traj);
CPET_API cpet_node *cpet_traj_explored(const cpet_traj *traj, size_t i);
/** Registers an explored parameter in exploration order without touching its range (used by
 *  the loader, which reads overview/explorations). */
CPET_API cpet_status cpet_traj_mark_explored(cpet_traj *traj, cpet_node *param);
/** Selects run `idx` (or -1 for none): `$`, `crun` and cpet_param_current follow it. */
CPET_API cpet_status cpet_traj_set_crun(cpet_traj *traj, int64_t idx);
CPET_API int64_t cpet_traj_crun(const cpet_traj *traj);
/** Run information of run idx (a copy into *out). */
CPET_API cpet_status cpet_traj_run_info(const cpet_traj *traj, size_t idx, cpet_run_info *out);
/** Replaces run idx's information (idx and name are taken from idx). */
CPET_API cpet_status cpet_traj_set_run_info(cpet_traj *traj, size_t idx, const cpet_run_info *in);
/** Resizes the runs table to n rows (new rows get pypet's placeholders). Used by the loader. */
CPET_API cpet_status cpet_traj_set_length(cpet_traj *traj, size_t n);
/** pypet's parameter summary of run idx ("x: 1,   y: 0.25") into buf. */
CPET_API cpet_status cpet_traj_parameter_summary(const cpet_traj *traj, size_t idx, char *buf,
                                                 size_t cap);

/* ---- names (pure helpers) ---- */

/** Validates one name component; CPET_ERR_NAME with the failed rule in cpet_errmsg(). */
CPET_API cpet_status cpet_name_check(const char *component);
/** "run_%08d" of idx (or "run_ALL" for -1) into buf (>= 16 bytes). */
CPET_API cpet_status cpet_run_name(int64_t idx, char *buf, size_t cap);
/** "run_set_%05d" of idx / 1000 (or "run_set_ALL" for -1) into buf (>= 16 bytes). */
CPET_API cpet_status cpet_run_set_name(int64_t idx, char *buf, size_t cap);

#ifdef __cplusplus
}
#endif
#endif
