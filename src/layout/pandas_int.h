/* pandas_int.h - helpers shared by pandas_write.c, pandas_read.c and pandas_table.c. */
#ifndef CPET_PANDAS_INT_H
#define CPET_PANDAS_INT_H

#include <hdf5.h>

#include "core/core_int.h"
#include <cpet/cpet_value.h>

/* Reads a numeric/bool/fixed-string dataset into an NDARRAY (strings as BYTES, B8 as BOOL). */
cpet_status cpet__pd_read_dataset(hid_t grp, const char *name, cpet_value **out);
/* Fixed-width |S cells (BYTES) -> PY_STR ndarray with trailing NULs stripped (pandas decodes
 * string index/labels to Python str). Other values are copied. */
cpet_status cpet__pd_bytes_to_str(const cpet_value *in, cpet_value **out);
/* numpy type a cpet element type becomes in a DataFrame (PY_INT -> INT64 ...). */
cpet_type cpet__pd_numpy_type(cpet_type t);
/* Reads a table-format pandas group. */
cpet_status cpet__pd_read_table(hid_t grp, int series, cpet_value **out);
/* Writes a table-format pandas group's content (group exists, SRVC_STORE set by caller). */
cpet_status cpet__pd_write_table(hid_t grp, const cpet_value *v);
/* Decodes a pickled (protocol 0) attribute into a value with int dict keys as text. */
cpet_status cpet__pd_attr_pickle(hid_t obj, const char *name, cpet_value **out);

#endif
