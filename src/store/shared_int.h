/* shared_int.h - the shared-data handle, shared by shared.c (handles, arrays, pandas) and
 * shared_table.c (tables). */
#ifndef CPET_SHARED_INT_H
#define CPET_SHARED_INT_H

#include <hdf5.h>

#include "store/maint_int.h"
#include <cpet/cpet_shared.h>

struct cpet_shared {
  cpet_store *s;
  hid_t fid;      /* the store's file id when the handle was made */
  hid_t obj;      /* the dataset (or pandas group) */
  cpet_flag kind; /* underlying flag; AUTO for a lazy handle */
  char *name;     /* "<path>/<item>" for messages */
  char **cols;    /* table column names (NULL until asked) */
  size_t ncols;
};

/* CPET_ERR_STATE unless the handle's file is still open. */
cpet_status cpet__shared_check(const cpet_shared *h);

/* ---- tables (shared_table.c) ---- */
cpet_status cpet__shtab_nrows(cpet_shared *h, size_t *n);
cpet_status cpet__shtab_cols(cpet_shared *h);
cpet_status cpet__shtab_read(cpet_shared *h, size_t start, size_t stop, cpet_value **out);
cpet_status cpet__shtab_read_col(cpet_shared *h, const char *col, size_t start, size_t stop,
                                 cpet_value **out);
/* Writes the rows of an ObjectTable from `start`; `extend` appends (the table grows first). */
cpet_status cpet__shtab_write(cpet_shared *h, size_t start, const cpet_value *rows, int extend);
cpet_status cpet__shtab_write_col(cpet_shared *h, const char *col, size_t start,
                                  const cpet_value *cells);

#endif
