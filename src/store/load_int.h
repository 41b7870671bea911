/* load_int.h - shared between load_traj.c and load_tree.c (the loading side of the service). */
#ifndef CPET_LOAD_INT_H
#define CPET_LOAD_INT_H

#include "h5/h5_int.h"
#include "store/store_int.h"
#include "tree/tree_int.h"

/* What a tree walk loads. Modes per branch index (cpet_branch: ROOT unused). */
typedef struct cpet__loadctx {
  cpet_store *s;
  cpet_traj *traj;
  hid_t trajgrp;
  char *trajpath; /* "/<name>" as in the file (soft-link targets start with it) */
  cpet_load_mode mode[CPET_BRANCH_OTHER + 1];
  int max_depth; /* -1 unlimited, counted from the walk's start */
  int recursive;
  const char *encoding;
} cpet__loadctx;

/* Loads the HDF5 group `grp` standing for node `full_name` ("" = trajectory root): its
 * groups, leaves and soft links (overview excluded at the root), recursively down to
 * ctx->max_depth (depth = depth of `grp` relative to the start). */
cpet_status cpet__load_children(cpet__loadctx *ctx, hid_t grp, const char *full_name, int depth);

/* Loads one HDF5 group as a node (leaf or group) named `full_name` with `mode`, creating it in
 * the tree; *out receives the node. Recurses into groups when ctx->recursive. */
cpet_status cpet__load_node(cpet__loadctx *ctx, hid_t grp, const char *full_name,
                            cpet_load_mode mode, int depth, cpet_node **out);

/* Reads table `name` of `/<traj>/overview` as an ObjectTable without type recall (raw numpy
 * columns); CPET_ERR_NOTFOUND if absent. */
cpet_status cpet__load_overview_table(hid_t trajgrp, const char *name, cpet_value **out);

/* Opens trajectory `name`'s group; NOTRAJ/NOTFOUND errors as cpet_store_load_traj. */
cpet_status cpet__load_open_traj(cpet_store *s, const char *name, hid_t *out);

/* String / integer / float cell of a raw table (row `row`); defaults when absent. */
char *cpet__load_cell_str(const cpet_value *tab, const char *col, size_t row);
int64_t cpet__load_cell_i64(const cpet_value *tab, const char *col, size_t row, int64_t dflt);
double cpet__load_cell_f64(const cpet_value *tab, const char *col, size_t row, double dflt);
size_t cpet__load_rows(const cpet_value *tab);

#endif
