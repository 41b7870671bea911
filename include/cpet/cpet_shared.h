/* cpet_shared.h - shared data (pypet's ACCESS_DATA message, SharedResult with SharedArray,
 * SharedCArray, SharedEArray, SharedVLArray, SharedTable, SharedPandasFrame; spec 6.10).
 *
 * Shared data are datasets of a stored leaf that a program reads and changes in place while
 * the store's file is open (cpet_store_is_open), instead of loading and storing whole items.
 * On disk they carry SRVC_STORE = "SHARED_DATA_" and SRVC_SHARED_TYPE = the underlying flag,
 * so pypet and cpet loaders see them as pypet's shared data.
 *
 * Addressing: `traj` is the trajectory name, `path` the stored node (usually a SharedResult
 * leaf) as a full name with ':' or '.' separators ("results:runs:run_00000000:sim"), `item`
 * the dataset below it.
 *
 * Ownership: handles come from cpet_shared_create / cpet_shared_open and are released with
 * cpet_shared_close (also after the file was closed). A handle is bound to the file as it was
 * open when the handle was made: after cpet_store_close_file (or cpet_store_close, which must
 * come after cpet_shared_close) every call but cpet_shared_close fails with CPET_ERR_STATE.
 * Values returned through `cpet_value **out` belong to the caller (cpet_value_free).
 *
 * Row conventions: arrays are addressed along their first dimension (rows); a table's rows
 * are given and returned as an ObjectTable (cpet_value_new_table) whose columns are named as
 * the table's columns, each an array of `nrows` cells (SCALAR kind with ndim 1 for scalar cells,
 * NDARRAY for array cells) - the numpy structured array PyTables returns, column by column.
 * Numbers are converted to the column's type as HDF5 converts them; strings are cut or padded
 * to the column width.
 *
 * The lazy service accepts every call: create/open succeed with a handle that stores nothing,
 * reads there return CPET_ERR_NOTSTORED.
 */
#ifndef CPET_SHARED_H
#define CPET_SHARED_H

#include <stddef.h>
#include <cpet/cpet_error.h>
#include <cpet/cpet_store.h>
#include <cpet/cpet_traj.h>
#include <cpet/cpet_value.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct cpet_shared cpet_shared;

/** Creates shared data `item` below the stored node `path` from `data` (pypet's
 *  create_shared_data): `kind` ARRAY, CARRAY, EARRAY (growable along the first dimension),
 *  VLARRAY (one row per append; `data` is the first row), TABLE (`data` an ObjectTable with
 *  the first rows), FRAME/SERIES (pandas table format), or AUTO (pypet's default flag for the
 *  data). Filters are the store's. `out` may be NULL; otherwise it receives an open handle.
 *  Errors: CPET_ERR_STATE if the file is not open; CPET_ERR_NOTSTORED if `path` is not in the
 *  file; CPET_ERR_EXISTS if `item` exists; CPET_ERR_FLAG / CPET_ERR_TYPE if `kind` cannot hold
 *  `data`; CPET_ERR_INVAL for SHARED_DATA / DICT as kind. */
CPET_API cpet_status cpet_shared_create(cpet_store *store, const char *traj, const char *path,
                                        const char *item, cpet_flag kind, const cpet_value *data,
                                        cpet_shared **out);
/** Opens existing shared data (or any array/table item of a leaf: pypet's ACCESS_DATA does not
 *  insist on the SHARED_DATA_ mark). CPET_ERR_STATE if the file is not open, CPET_ERR_NOTSTORED
 *  if absent, CPET_ERR_LAYOUT without SRVC_STORE. */
CPET_API cpet_status cpet_shared_open(cpet_store *store, const char *traj, const char *path,
                                      const char *item, cpet_shared **out);
/** Releases the handle (NULL accepted). Never fails. */
CPET_API void cpet_shared_close(cpet_shared *h);
/** The underlying flag (ARRAY ... FRAME, SERIES); AUTO for the lazy service. */
CPET_API cpet_flag cpet_shared_kind(const cpet_shared *h);
/** Rows: the first dimension of arrays (1 for a 0-d array), the rows of tables and
 *  VLARRAYs. */
CPET_API cpet_status cpet_shared_nrows(cpet_shared *h, size_t *n);
/** Table columns: count and names (borrowed until the handle is closed). CPET_ERR_TYPE for
 *  non-tables. */
CPET_API cpet_status cpet_shared_ncols(cpet_shared *h, size_t *n);
CPET_API const char *cpet_shared_colname(cpet_shared *h, size_t i);

/** Reads rows [start, stop) (stop is clamped to the row count; SIZE_MAX = all): arrays as an
 *  ndarray of the stored type, VLARRAYs as a list of 1-d ndarrays, tables as an ObjectTable,
 *  pandas items whole (start/stop ignored). CPET_ERR_RANGE if start > stop. */
CPET_API cpet_status cpet_shared_read(cpet_shared *h, size_t start, size_t stop, cpet_value **out);
/** Overwrites rows from `start` (pypet's __setitem__ / modify_rows): arrays take an array whose
 *  shape is (n, row shape...) or one row's shape; tables an ObjectTable with every column.
 *  CPET_ERR_RANGE if the rows go past the end, CPET_ERR_TYPE on shape/column mismatch,
 *  CPET_ERR_UNSUPPORTED for VLARRAY and pandas items. */
CPET_API cpet_status cpet_shared_write(cpet_shared *h, size_t start, const cpet_value *rows);
/** Appends rows: EARRAY (as cpet_shared_write), VLARRAY (one row: a 1-d array or typed list),
 *  TABLE (an ObjectTable with every column; PyTables' NROWS is updated). CPET_ERR_TYPE for
 *  ARRAY/CARRAY (fixed size) and pandas items. */
CPET_API cpet_status cpet_shared_append(cpet_shared *h, const cpet_value *rows);
/** Table column `col` rows [start, stop) as a column array (see above). */
CPET_API cpet_status cpet_shared_read_column(cpet_shared *h, const char *col, size_t start,
                                             size_t stop, cpet_value **out);
/** Overwrites column `col` from row `start` with the cells of `cells` (an array of n cells, or
 *  one cell) - pypet's modify_column. CPET_ERR_NOTFOUND for an unknown column,
 *  CPET_ERR_RANGE past the end. */
CPET_API cpet_status cpet_shared_modify_column(cpet_shared *h, const char *col, size_t start,
                                               const cpet_value *cells);

/** pypet's make_shared (shared 1) / make_ordinary (shared 0) requests: marks an existing item
 *  as shared data or turns it back into an ordinary item of its underlying flag.
 *  CPET_ERR_STATE if the file is not open, CPET_ERR_NOTSTORED if absent. */
CPET_API cpet_status cpet_shared_set_shared(cpet_store *store, const char *traj, const char *path,
                                            const char *item, int shared);

#ifdef __cplusplus
}
#endif
#endif
