/* maint_int.h - helpers shared by the storage-maintenance files (delete.c, backup.c,
 * keepopen.c, merge.c, merge_tree.c, shared.c, shared_table.c). */
#ifndef CPET_MAINT_INT_H
#define CPET_MAINT_INT_H

#include <hdf5.h>

#include "store/store_int.h"
#include "tree/tree_int.h"

/* "/<traj>/<a>/<b>" for a node name whose components are separated by '.' or ':' ("" = the
 * trajectory group). Caller frees. NULL on out of memory. */
char *cpet__maint_path(const char *traj, const char *name);

/* 1 if both paths name the same existing file (same device and inode), or are equal strings. */
int cpet__maint_same_file(const char *a, const char *b);

/* Start of a writing maintenance call: CPET_ERR_STATE unless writable, then opens the file
 * (lazy naming from traj_name). The lazy service is the caller's (it returns CPET_OK). */
cpet_status cpet__maint_begin_write(cpet_store *s, const char *traj_name);

/* Creates every missing group of the absolute path `path` (a group path, "/a/b/c") in `file`
 * with PyTables' group attributes (CLASS, TITLE = name, VERSION), as pypet's
 * _all_create_or_get_groups. */
cpet_status cpet__maint_make_groups(hid_t file, const char *path);

/* Sets the PyTables NROWS attribute (int64) of a table dataset, creating it if missing. */
cpet_status cpet__maint_set_nrows(hid_t dset, int64_t n);

/* Removes the HDF5 object (group, dataset or link) at absolute `path`. */
cpet_status cpet__maint_unlink(hid_t file, const char *path);

/* Marks `n` and every node below it as not stored. */
void cpet__maint_unstore(cpet_traj *traj, cpet_node *n);

#endif
