/* h5types.c - cpet_type <-> HDF5 datatypes, following what PyTables writes and what numpy
 * returns when PyTables reads (little-endian standard types, B8 bools, {r, i} complex). */
#include <string.h>

#include "h5/h5_int.h"

static hid_t complex_type(hid_t part, size_t partsize) {
  hid_t c = H5Tcreate(H5T_COMPOUND, 2 * partsize);
  if (c < 0) return -1;
  if (H5Tinsert(c, "r", 0, part) < 0 || H5Tinsert(c, "i", partsize, part) < 0) {
    H5Tclose(c);
    return -1;
  }
  return c;
}

hid_t cpet__h5_type_for(cpet_type t, size_t itemsize, int in_table) {
  switch (t) {
  case CPET_T_PY_BOOL:
  case CPET_T_BOOL:
    return H5Tcopy(H5T_STD_B8LE);
  case CPET_T_PY_INT:
    return H5Tcopy(in_table ? H5T_STD_I32LE : H5T_STD_I64LE);
  case CPET_T_INT8:
    return H5Tcopy(H5T_STD_I8LE);
  case CPET_T_INT16:
    return H5Tcopy(H5T_STD_I16LE);
  case CPET_T_INT32:
    return H5Tcopy(H5T_STD_I32LE);
  case CPET_T_INT64:
    return H5Tcopy(H5T_STD_I64LE);
  case CPET_T_UINT8:
    return H5Tcopy(H5T_STD_U8LE);
  case CPET_T_UINT16:
    return H5Tcopy(H5T_STD_U16LE);
  case CPET_T_UINT32:
    return H5Tcopy(H5T_STD_U32LE);
  case CPET_T_UINT64:
    return H5Tcopy(H5T_STD_U64LE);
  case CPET_T_FLOAT32:
    return H5Tcopy(H5T_IEEE_F32LE);
  case CPET_T_PY_FLOAT:
  case CPET_T_FLOAT64:
    return H5Tcopy(H5T_IEEE_F64LE);
  case CPET_T_COMPLEX64:
    return complex_type(H5T_IEEE_F32LE, 4);
  case CPET_T_PY_COMPLEX:
  case CPET_T_COMPLEX128:
    return complex_type(H5T_IEEE_F64LE, 8);
  case CPET_T_PY_STR:
  case CPET_T_PY_BYTES:
  case CPET_T_STR:
  case CPET_T_BYTES: {
    hid_t s = H5Tcopy(H5T_C_S1);
    if (s < 0) return -1;
    if (H5Tset_size(s, itemsize ? itemsize : 1) < 0 || H5Tset_strpad(s, H5T_STR_NULLTERM) < 0 ||
        H5Tset_cset(s, H5T_CSET_ASCII) < 0) {
      H5Tclose(s);
      return -1;
    }
    return s;
  }
  default:
    return -1;
  }
}

/* A compound of exactly two float members named r and i: PyTables' complex column/atom. */
static int is_complex(hid_t ftype, size_t *partsize) {
  if (H5Tget_nmembers(ftype) != 2) return 0;
  int ok = 1;
  for (unsigned i = 0; i < 2 && ok; i++) {
    char *nm = H5Tget_member_name(ftype, i);
    hid_t mt = H5Tget_member_type(ftype, i);
    ok = nm && mt >= 0 && strcmp(nm, i == 0 ? "r" : "i") == 0 && H5Tget_class(mt) == H5T_FLOAT;
    if (ok) *partsize = H5Tget_size(mt);
    if (nm) H5free_memory(nm);
    if (mt >= 0) H5Tclose(mt);
  }
  return ok;
}

cpet_status cpet__h5_type_classify(hid_t ftype, cpet_type *t, size_t *itemsize) {
  H5T_class_t cls = H5Tget_class(ftype);
  size_t sz = H5Tget_size(ftype);
  *itemsize = sz;
  switch (cls) {
  case H5T_INTEGER: {
    int sgn = H5Tget_sign(ftype) == H5T_SGN_2;
    switch (sz) {
    case 1:
      *t = sgn ? CPET_T_INT8 : CPET_T_UINT8;
      return CPET_OK;
    case 2:
      *t = sgn ? CPET_T_INT16 : CPET_T_UINT16;
      return CPET_OK;
    case 4:
      *t = sgn ? CPET_T_INT32 : CPET_T_UINT32;
      return CPET_OK;
    case 8:
      *t = sgn ? CPET_T_INT64 : CPET_T_UINT64;
      return CPET_OK;
    default:
      break;
    }
    break;
  }
  case H5T_FLOAT:
    if (sz == 4) {
      *t = CPET_T_FLOAT32;
      return CPET_OK;
    }
    if (sz == 8) {
      *t = CPET_T_FLOAT64;
      return CPET_OK;
    }
    break;
  case H5T_BITFIELD:
    if (sz == 1) {
      *t = CPET_T_BOOL;
      *itemsize = 1;
      return CPET_OK;
    }
    break;
  case H5T_ENUM:
    /* h5py writes numpy bools as an int8 enum {FALSE, TRUE}. */
    if (sz == 1 && H5Tget_nmembers(ftype) == 2) {
      *t = CPET_T_BOOL;
      *itemsize = 1;
      return CPET_OK;
    }
    break;
  case H5T_COMPOUND: {
    size_t part = 0;
    if (is_complex(ftype, &part) && (part == 4 || part == 8)) {
      *t = part == 4 ? CPET_T_COMPLEX64 : CPET_T_COMPLEX128;
      *itemsize = 2 * part;
      return CPET_OK;
    }
    break;
  }
  case H5T_STRING: {
    htri_t vl = H5Tis_variable_str(ftype);
    *t = CPET_T_BYTES;
    if (vl > 0) *itemsize = 0; /* variable length: the caller reads it separately */
    return CPET_OK;
  }
  default:
    break;
  }
  return cpet__err(CPET_ERR_UNSUPPORTED, "HDF5 datatype class %d of size %zu not supported",
                   (int)cls, sz);
}

hid_t cpet__h5_mem_type(cpet_type t, size_t itemsize, hid_t ftype) {
  if (t == CPET_T_STR || t == CPET_T_BYTES || t == CPET_T_PY_STR || t == CPET_T_PY_BYTES) {
    /* Same fixed-length type as the file: bytes copied verbatim (embedded NULs kept). */
    if (ftype >= 0 && H5Tget_class(ftype) == H5T_STRING && H5Tis_variable_str(ftype) <= 0)
      return H5Tcopy(ftype);
    return cpet__h5_type_for(t, itemsize, 0);
  }
  if ((t == CPET_T_BOOL || t == CPET_T_PY_BOOL) && ftype >= 0 && H5Tget_class(ftype) == H5T_ENUM)
    return H5Tcopy(ftype); /* enum values 0/1 are the bool bytes */
  return cpet__h5_type_for(t, itemsize, 0);
}
