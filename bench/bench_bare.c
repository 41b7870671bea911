/* bench_bare.c - the baseline: a bare HDF5 writer of pypet's exact layout for the workload
 * (run groups, leaf groups with SRVC_* attributes, scalar datasets, and the array as a CARRAY
 * with PyTables' chunk choice: 8192 elements for a 1-d array). No tables, no bookkeeping. */
#include <hdf5.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench.h"
#include "filter/filter_int.h"

static void sattr(hid_t obj, const char *name, const char *s) {
  hid_t t = H5Tcopy(H5T_C_S1);
  H5Tset_size(t, strlen(s));
  H5Tset_cset(t, H5T_CSET_UTF8);
  hid_t sp = H5Screate(H5S_SCALAR);
  hid_t a = H5Acreate2(obj, name, t, sp, H5P_DEFAULT, H5P_DEFAULT);
  H5Awrite(a, t, s);
  H5Aclose(a);
  H5Sclose(sp);
  H5Tclose(t);
}

static void battr(hid_t obj, const char *name) {
  unsigned char one = 1;
  hid_t sp = H5Screate(H5S_SCALAR);
  hid_t a = H5Acreate2(obj, name, H5T_STD_B8LE, sp, H5P_DEFAULT, H5P_DEFAULT);
  H5Awrite(a, H5T_NATIVE_B8, &one);
  H5Aclose(a);
  H5Sclose(sp);
}

static hid_t leaf(hid_t parent, const char *name) {
  hid_t g = H5Gcreate2(parent, name, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
  sattr(g, "SRVC_INIT_CLASS_NAME", "Result");
  battr(g, "SRVC_LEAF");
  return g;
}

int bench_bare(const bench_workload *w, const char *path, bench_result *r) {
  double *arr = malloc(w->array_len * sizeof(double) + 1);
  if (!arr) return 1;
  H5Eset_auto2(H5E_DEFAULT, NULL, NULL);
  cpet_filter_register_all();
  double t0 = bench_now();
  hid_t f = H5Fcreate(path, H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
  if (f < 0) {
    free(arr);
    return 1;
  }
  hid_t lcpl = H5Pcreate(H5P_LINK_CREATE);
  H5Pset_create_intermediate_group(lcpl, 1);
  hid_t runs = H5Gcreate2(f, "/bench/results/runs", lcpl, H5P_DEFAULT, H5P_DEFAULT);
  /* PyTables' choice for a 1-d float64 CArray of either size: 8192-element (64 KiB) chunks,
   * maxdims = max(dims, chunk). */
  hsize_t chunk = 8192;
  hid_t dcpl = H5Pcreate(H5P_DATASET_CREATE);
  H5Pset_chunk(dcpl, 1, &chunk);
  cpet__filter_apply(dcpl, &w->filters, sizeof(double), 0);
  hsize_t dims = w->array_len;
  hsize_t maxd = dims > chunk ? dims : chunk;
  hid_t asp = H5Screate_simple(1, &dims, &maxd);
  hid_t ssp = H5Screate(H5S_SCALAR);
  double bytes = 0;
  for (size_t i = 0; i < w->runs; i++) {
    char name[32];
    snprintf(name, sizeof name, "run_%08zu", i);
    hid_t rg = H5Gcreate2(runs, name, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    for (size_t k = 0; k < w->nscalars; k++) {
      char sn[32];
      snprintf(sn, sizeof sn, "s%zu", k);
      hid_t g = leaf(rg, sn);
      double v = (double)i + (double)k;
      hid_t d = H5Dcreate2(g, sn, H5T_IEEE_F64LE, ssp, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
      H5Dwrite(d, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, &v);
      sattr(d, "SRVC_STORE", "ARRAY");
      sattr(d, "SRVC_DATA_COLL_TYPE", "COLL_SCALAR");
      sattr(d, "SRVC_DATA_SCALAR_TYPE", "float");
      H5Dclose(d);
      H5Gclose(g);
      bytes += 8;
    }
    if (w->array_len) {
      hid_t g = leaf(rg, "trace");
      bench_fill(arr, w->array_len, i);
      hid_t d = H5Dcreate2(g, "trace", H5T_IEEE_F64LE, asp, H5P_DEFAULT, dcpl, H5P_DEFAULT);
      H5Dwrite(d, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, arr);
      sattr(d, "SRVC_STORE", "CARRAY");
      sattr(d, "SRVC_DATA_COLL_TYPE", "COLL_NDARRAY");
      H5Dclose(d);
      H5Gclose(g);
      bytes += 8.0 * (double)w->array_len;
    }
    H5Gclose(rg);
  }
  H5Sclose(asp);
  H5Sclose(ssp);
  H5Pclose(dcpl);
  H5Pclose(lcpl);
  H5Gclose(runs);
  int rc = H5Fclose(f) < 0;
  r->seconds = bench_now() - t0;
  r->bytes = bytes;
  free(arr);
  return rc;
}
