/* tree_int.h - the trajectory tree's representation and the helpers the storage layer needs.
 *
 * Public semantics live in cpet_traj.h. This file adds:
 *   - struct cpet_traj / struct cpet_node (one struct for groups, leaves and links);
 *   - per-node bookkeeping for the storage layer (stored / loaded / locked flags);
 *   - loader entry points that bypass pypet's naming conveniences (no shortcut translation,
 *     no `runs.<run>` insertion, dangling links by path);
 *   - depth-first iteration, flag and class names, pypet's default storage flag;
 *   - the name parser shared by the tree files.
 *
 * Child lookup: every group keeps its children in insertion order plus, once it has more than
 * CPET__CHILD_HASH_MIN children, a chained hash index (`cbuckets`, chained through `cnext`).
 * Short names: the trajectory keeps a hash map name -> doubly linked list of nodes with that
 * name (`sn_prev`/`sn_next`), so natural-naming lookups do not walk the tree.
 */
#ifndef CPET_TREE_INT_H
#define CPET_TREE_INT_H

#include <stddef.h>
#include <stdint.h>
#include <cpet/cpet_traj.h>
#include <cpet/cpet_value.h>

#include "core/core_int.h"

/* pypet's name rules and placeholders. */
#define CPET__NAME_MAX 128      /* names must be shorter (HDF5_STRCOL_MAX_NAME_LENGTH) */
#define CPET__SUMMARY_MAX 512   /* HDF5_STRCOL_MAX_COMMENT_LENGTH */
#define CPET__CHILD_HASH_MIN 16 /* children before a group builds its hash index */
#define CPET__RUN_ALL_IDX (-2)  /* cpet_node_run_index of nodes below run_ALL */

typedef struct cpet__item {
  char *key;
  cpet_value *value;
  cpet_flag flag; /* never AUTO once stored in a leaf */
} cpet__item;

typedef struct cpet__annot {
  char *key;
  cpet_value *value;
} cpet__annot;

typedef struct cpet__sname cpet__sname; /* short-name index entry (find.c) */

struct cpet_node {
  cpet_traj *traj;
  cpet_node *parent; /* NULL for the root */
  char *name;        /* last component ("" for the root) */
  char *full_name;   /* dotted, "" for the root */
  cpet_node_kind kind;
  cpet_branch branch;
  int depth;       /* root 0, branch groups 1 */
  int64_t run_idx; /* pypet's run branch: >= 0 run, CPET__RUN_ALL_IDX, -1 trajectory */
  char *comment;   /* NULL means "" */

  /* children (groups only), insertion order + hash index */
  cpet_node **children;
  size_t nchildren, capchildren;
  cpet_node **cbuckets; /* NULL until nchildren >= CPET__CHILD_HASH_MIN */
  size_t ncbuckets;
  cpet_node *cnext; /* chain in the parent's bucket */

  /* short-name index membership */
  cpet__sname *sn;
  cpet_node *sn_prev, *sn_next;

  cpet__annot *annots;
  size_t nannots, capannots;

  /* leaves */
  cpet_leaf_class cls;
  char *class_name; /* pypet class name (custom names kept verbatim) */
  cpet__item *items;
  size_t nitems, capitems;
  cpet_value *value;  /* parameter default (NULL: empty) */
  cpet_value **range; /* explored range */
  size_t range_len, range_cap;
  int explored; /* registered as explored (range may be unloaded) */
  int locked;   /* pypet's v_locked: cpet_param_set refuses */
  int loaded;   /* the storage layer loaded (or the user set) the data */

  /* every node */
  int stored; /* the node exists in the file */

  /* links */
  cpet_node *target;
  char *target_name; /* full name of an unresolved (dangling) target, else NULL */
};

struct cpet_traj {
  char *name;
  char *comment;
  double timestamp;
  char time[32];
  char *version, *python;
  cpet_node *root;
  size_t count; /* nodes below the root */
  int64_t crun;

  cpet_run_info *runs;
  size_t nruns, capruns;

  cpet_node **explored; /* exploration order */
  size_t nexplored, capexplored;

  cpet_node **links; /* every link node, for dangling-target bookkeeping */
  size_t nlinks, caplinks;

  cpet__sname **sbuckets; /* short-name index */
  size_t nsbuckets, nsnames;
};

/* ---- storage-layer bookkeeping ---- */

int cpet__node_is_stored(const cpet_node *n);
void cpet__node_set_stored(cpet_node *n, int stored);
/* Leaves: 1 once data were loaded from the file (or set in memory). */
int cpet__leaf_is_loaded(const cpet_node *n);
void cpet__leaf_set_loaded(cpet_node *n, int loaded);
/* pypet's parameter lock: cpet_param_set returns CPET_ERR_STATE while locked. */
int cpet__node_is_locked(const cpet_node *n);
void cpet__node_set_locked(cpet_node *n, int locked);
/* Depth below the root (root 0). */
int cpet__node_depth(const cpet_node *n);
/* Full name of a link's target: the resolved target's, or the dangling path; NULL otherwise. */
const char *cpet__link_target_name(const cpet_node *n);

/* ---- loader entry points (no shortcuts, no wildcards, no run insertion) ---- */

/* Adds the node `full_name` of `kind`, creating missing parent groups. Components are checked
 * with cpet_name_check (plus `overview` at the root). GROUP: returns an existing group.
 * LEAF: `class_name` picks the class (NULL -> by branch: "Parameter" under config/parameters/
 * derived_parameters, "Result" elsewhere; unknown names -> CPET_CLASS_CUSTOM). LINK: a dangling
 * link (use cpet__traj_add_link_path to give a target). CPET_ERR_EXISTS if a node of another
 * kind (or a leaf/link) exists there. `out` may be NULL. */
cpet_status cpet__traj_add_node_exact(cpet_traj *traj, const char *full_name, cpet_node_kind kind,
                                      const char *class_name, cpet_node **out);
/* Adds the link `name` (full name) to `target_full_name`, resolved now if that node exists and
 * otherwise on first use (cpet_node_link_target); dangling links are allowed. */
cpet_status cpet__traj_add_link_path(cpet_traj *traj, const char *name,
                                     const char *target_full_name, cpet_node **out);
/* Exact lookup by full name: no shortcuts, wildcards or link following (NULL if absent; ""
 * is the root). Intermediate links are not traversed. */
cpet_node *cpet__traj_find_exact(const cpet_traj *traj, const char *full_name);
/* Full pypet summary of run idx (not cut to a buffer); caller frees with cpet_free. */
cpet_status cpet__traj_parameter_summary_alloc(const cpet_traj *traj, size_t idx, char **out);

/* Depth-first, pre-order, insertion-order walk of `start` (NULL: the root; the root itself is
 * not visited) and everything below it. Link targets are not entered. `fn` returns 0 to go on,
 * 1 to skip the node's children, or a negative cpet_status to stop: the walk returns it.
 * `fn` must not add or remove nodes. */
cpet_status cpet__traj_walk(cpet_traj *traj, cpet_node *start, int (*fn)(cpet_node *, void *),
                            void *ud);

/* ---- flags and classes ---- */

/* "ARRAY", "CARRAY", "EARRAY", "VLARRAY", "TABLE", "DICT", "FRAME", "SERIES", "SHARED_DATA_";
 * "AUTO" for CPET_FLAG_AUTO, NULL for out-of-range values. */
const char *cpet__flag_name(cpet_flag f);
/* Parses a SRVC_STORE value (SHARED_DATA_ matched as a prefix). CPET_ERR_FLAG otherwise. */
cpet_status cpet__flag_from_name(const char *name, cpet_flag *out);
/* pypet's default flag for a value (spec 6): TABLE, DICT (non-empty dict), ARRAY (scalars,
 * lists, tuples, empty ndarray/dict, sparse, pickle), CARRAY (non-empty ndarray/matrix),
 * FRAME, SERIES. */
cpet_flag cpet__flag_default(const cpet_value *v);
/* CPET_OK if `f` can hold `v`; CPET_ERR_FLAG with a message if not; CPET_ERR_INVAL for an
 * invalid flag. AUTO accepts everything. */
cpet_status cpet__flag_check(cpet_flag f, const cpet_value *v);
/* "Parameter", "ArrayParameter", ..., NULL for CUSTOM / out of range. */
const char *cpet__class_name(cpet_leaf_class c);
/* Known class name -> class; CPET_ERR_NOTFOUND for others (callers use CPET_CLASS_CUSTOM). */
cpet_status cpet__class_from_name(const char *name, cpet_leaf_class *out);
/* 1 for the four parameter classes. */
int cpet__class_is_parameter(cpet_leaf_class c);

/* ---- names (names.c) ---- */

typedef struct cpet__path {
  char **c;
  size_t n;
} cpet__path;

/* Splits at dots; empty components are kept (the check reports them). */
cpet_status cpet__path_split(const char *name, cpet__path *out);
void cpet__path_free(cpet__path *p);
/* pypet's _translate_shortcut + _replace_wildcards on every component: par, dpar, res, conf,
 * run_N/r_N, run_A/r_A, runtoset_N/rts_N, $/crun, $set/crunset (for run `run_idx`, -1 = ALL).
 * *nwild (may be NULL) counts replaced wildcards. */
cpet_status cpet__path_translate(cpet__path *p, int64_t run_idx, size_t *nwild);
/* Checks every component (cpet_name_check rules) and `overview` as first component when
 * `at_root`. `what` names the full name in the message. */
cpet_status cpet__path_check(const cpet__path *p, int at_root, const char *what);
/* Joins components [from, to) with dots into a new string (NULL on out of memory). */
char *cpet__path_join(const cpet__path *p, size_t from, size_t to);
/* Inserts a copy of `comp` at position `pos`. */
cpet_status cpet__path_insert(cpet__path *p, size_t pos, const char *comp);
/* 1 if `name` is a canonical run name (run_%08d); sets *idx. run_ALL -> 1 with idx -1. */
int cpet__run_index_from_name(const char *name, int64_t *idx);
/* 1 for `$`, `crun`, `$set`, `crunset`. */
int cpet__is_wildcard(const char *name);
/* Branch of a first component ("config" -> CONFIG, ...; others OTHER). */
cpet_branch cpet__branch_of(const char *first);

/* ---- node internals shared by the tree files (node.c) ---- */

cpet_node *cpet__node_new(cpet_traj *traj, cpet_node *parent, const char *name,
                          cpet_node_kind kind);
/* Links a new node as the last child of its parent and into the indexes. */
cpet_status cpet__node_attach(cpet_node *parent, cpet_node *child);
/* Unlinks `n` from its parent and the indexes and frees it with everything below. */
void cpet__node_destroy(cpet_node *n);
/* Frees a detached subtree (no index bookkeeping). */
void cpet__node_free_tree(cpet_node *n);
void cpet__leaf_clear_range(cpet_node *n);

/* ---- short-name index (find.c) ---- */

cpet_status cpet__sname_add(cpet_traj *traj, cpet_node *n);
void cpet__sname_remove(cpet_traj *traj, cpet_node *n);
void cpet__sname_free_all(cpet_traj *traj);

/* ---- runs table / exploration (traj.c, explore.c) ---- */

void cpet__run_info_placeholder(cpet_run_info *ri, size_t idx);
/* Resizes the runs table, new rows are placeholders; reset_all also resets the kept rows. */
cpet_status cpet__traj_resize_runs(cpet_traj *traj, size_t n, int reset_all);
/* Parameter class support (spec 8.1): CPET_OK or CPET_ERR_TYPE with a message. */
cpet_status cpet__param_supports(cpet_leaf_class cls, const cpet_value *v);
/* pypet's _values_of_same_type for class `cls` (1/0). */
int cpet__param_same_type(cpet_leaf_class cls, const cpet_value *a, const cpet_value *b);

#endif
