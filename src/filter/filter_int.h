/* filter_int.h - internal side of the filter module: compression settings -> HDF5 dataset
 * creation property lists, and the in-process filters 32001 (blosc) and 305 (lzo). */
#ifndef CPET_FILTER_INT_H
#define CPET_FILTER_INT_H

#include <cpet/cpet_filter.h>
#include <hdf5.h>

/* HDF5 filter ids registered with The HDF Group and used by PyTables. */
#define CPET__FILTER_BLOSC 32001
#define CPET__FILTER_LZO 305
#define CPET__FILTER_BZIP2 307

/* Revision of the blosc filter (hdf5-blosc's FILTER_BLOSC_VERSION; 2 = multiple codecs). */
#define CPET__BLOSC_FILTER_REVISION 2

/* What kind of PyTables object a dataset is. It decides the last two cd_values of lzo/bzip2
 * (10 x PyTables object version, PyTables class code: tables.h's TablesType). The values are
 * chosen so that the `is_table` argument below also works as a plain boolean. */
enum {
  CPET__FILTER_CARRAY = 0, /* chunked fixed-size array: lzo cd = [L, 11, 4] */
  CPET__FILTER_TABLE = 1,  /* compound table:           lzo cd = [L, 27, 0] */
  CPET__FILTER_EARRAY = 2, /* extendable array:         lzo cd = [L, 11, 2] */
  CPET__FILTER_VLARRAY = 3 /* variable-length array:    lzo cd = [L, 14, 3] */
};

/* Appends o's filters to the dataset-creation property list dcpl (which the caller owns and
 * has made chunked, or will make chunked before H5Dcreate), in PyTables 3.7's order:
 *   fletcher32 (if o->fletcher32) -> shuffle (zlib/lzo/bzip2 with o->shuffle) -> compressor.
 * zlib: deflate cd=[L]. blosc: 32001 alone with cd=[0,0,0,0,L,shuffle] (+[codec] for
 * "blosc:<codec>"); slots 0..3 become [2, 2, typesize, chunk bytes] in the filter's set_local
 * callback at H5Dcreate. lzo/bzip2: 305/307 cd=[L, version*10, class] (see enum above).
 * complevel 0 attaches nothing except fletcher32. type_size is the dataset's element size in
 * bytes (0 if unknown); it is informational only: the shuffle and blosc set_local callbacks
 * take the sizes they need from the dataset's type and chunk dims at H5Dcreate.
 * On error nothing has been added to dcpl except when HDF5 itself fails (CPET_ERR_HDF5).
 * is_table: 0/1 (CArray/Table) or a CPET__FILTER_* kind. Registers the built-in filters.
 * Errors: CPET_ERR_INVAL (bad dcpl/opts), CPET_ERR_RANGE (complevel outside 0..9),
 * CPET_ERR_UNSUPPORTED (complib/codec not available in this build), CPET_ERR_HDF5. */
cpet_status cpet__filter_apply(hid_t dcpl, const cpet_filter_opts *o, size_t type_size,
                               int is_table);

/* Reads the filter pipeline of a dataset-creation property list (e.g. from H5Dget_create_plist)
 * back into *out. No filter -> zlib with complevel 0. Shuffle is reported for HDF5's shuffle
 * filter and for blosc's own shuffle (cd[5] != 0). Filters cpet does not know (e.g. szip,
 * nbit) make it return CPET_ERR_UNSUPPORTED with *out filled from the filters it did know.
 * Errors: CPET_ERR_INVAL (NULL out), CPET_ERR_HDF5, CPET_ERR_UNSUPPORTED. */
cpet_status cpet__filter_describe(hid_t dcpl, cpet_filter_opts *out);

/* Same as cpet_filter_register_all(); called by the HDF5 layer before any file I/O. */
cpet_status cpet__filter_register_all(void);

/* Per-filter registration (each calls H5Zregister; no locking: use cpet__filter_register_all). */
cpet_status cpet__filter_blosc_register(void);
#ifdef CPET_HAVE_LZO
cpet_status cpet__filter_lzo_register(void);
#endif

#endif
