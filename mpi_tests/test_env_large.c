/* test_env_large.c - large arrays through the writer rank: workers compress the chunks, the
 * writer stores them with H5Dwrite_chunk (uncompressed arrays travel as their own buffer).
 * For zlib 9 + shuffle, blosc and no compression, with both schedulers:
 *   - every element reads back (through cpet and through plain H5Dread),
 *   - every chunk is byte-identical (same size, filter mask and bytes) to the file a single
 *     rank writes through the ordinary H5Dwrite filter pipeline, and the filters and chunk
 *     shapes are the same,
 *   - `cpet dump --json` of both files is identical apart from timestamps,
 *   - with workers and compression the writer received fewer bytes than the raw data.
 * The reference is the same for every rank count, so the files agree across rank counts. */
#include <hdf5.h>

#include "env_common.h"

#define LRUNS 8
#define NA 40000 /* float64: 320 kB, 5 chunks of 8192 (the last one partial) */
#define BR 300   /* int32 300 x 400: 480 kB, chunks of 40 x 400 (the last one partial) */
#define BC 400

static double a_val(int64_t run, size_t i) {
  return (double)((i * 7 + (size_t)run * 13) % 1000) * 0.5;
}
static int32_t b_val(int64_t run, size_t r, size_t c) {
  return (int32_t)((r * 3 + c * 5 + (size_t)run) % 4096) - 2048;
}

static cpet_status make_ltraj(cpet_traj **out) {
  cpet_traj *t = NULL;
  cpet_value *x = NULL, *rx = NULL;
  int64_t xv[LRUNS];
  size_t n = LRUNS;
  for (int i = 0; i < LRUNS; i++)
    xv[i] = i;
  cpet_status st = cpet_traj_create("large", &t);
  if (st == CPET_OK) st = cpet_value_new_int(0, &x);
  if (st == CPET_OK)
    st = cpet_traj_add_param(t, "parameters.x", CPET_CLASS_PARAMETER, x, "run number", NULL);
  if (st == CPET_OK) st = cpet_value_new_array(CPET_KIND_LIST, CPET_T_PY_INT, 0, 1, &n, xv, &rx);
  if (st == CPET_OK) {
    const char *names[1] = {"parameters.x"};
    const cpet_value *ranges[1] = {rx};
    st = cpet_traj_explore(t, 1, names, ranges);
  }
  cpet_value_free(x);
  cpet_value_free(rx);
  if (st != CPET_OK) {
    cpet_traj_free(t);
    t = NULL;
  }
  *out = t;
  return st;
}

static cpet_status large_run(cpet_traj *traj, int64_t idx, void *ud) {
  (void)ud;
  double *a = malloc(NA * sizeof *a);
  int32_t *b = malloc(BR * BC * sizeof *b);
  if (!a || !b) {
    free(a);
    free(b);
    return CPET_ERR_NOMEM;
  }
  for (size_t i = 0; i < NA; i++)
    a[i] = a_val(idx, i);
  for (size_t r = 0; r < BR; r++)
    for (size_t c = 0; c < BC; c++)
      b[r * BC + c] = b_val(idx, r, c);
  size_t na = NA, bdims[2] = {BR, BC};
  cpet_value *va = NULL, *vb = NULL, *vn = NULL;
  cpet_node *leaf = NULL;
  cpet_status st = cpet_value_new_array(CPET_KIND_NDARRAY, CPET_T_FLOAT64, 8, 1, &na, a, &va);
  if (st == CPET_OK)
    st = cpet_value_new_array(CPET_KIND_NDARRAY, CPET_T_INT32, 4, 2, bdims, b, &vb);
  if (st == CPET_OK) st = cpet_value_new_int(idx * 10, &vn);
  if (st == CPET_OK)
    st = cpet_traj_add_result(traj, "results.runs.$.big", CPET_CLASS_RESULT, NULL, "big arrays",
                              &leaf);
  if (st == CPET_OK) st = cpet_leaf_set_take(leaf, "a", va, CPET_FLAG_AUTO), va = NULL;
  if (st == CPET_OK) st = cpet_leaf_set_take(leaf, "b", vb, CPET_FLAG_AUTO), vb = NULL;
  if (st == CPET_OK) st = cpet_leaf_set_take(leaf, "n", vn, CPET_FLAG_AUTO), vn = NULL;
  cpet_value_free(va);
  cpet_value_free(vb);
  cpet_value_free(vn);
  free(a);
  free(b);
  return st;
}

static int lazy_mode = 0;

static cpet_status sweep(MPI_Comm comm, const char *file, cpet_sched sched,
                         const cpet_store_opts *so, int keep_journal,
                         cpet_env_stats *writer_stats) {
  cpet_traj *traj = NULL;
  TRY(make_ltraj(&traj));
  cpet_env_opts eo = CPET_ENV_OPTS_DEFAULT;
  eo.sched = sched;
  eo.batch_size = 2;
  eo.store_opts = so;
  eo.large_array_bytes = 100000;
  eo.keep_journal = keep_journal;
  eo.lazy = lazy_mode;
  eo.max_inflight_bytes = (size_t)2 << 20; /* a few runs in flight: flow control is exercised */
  cpet_env *env = NULL;
  cpet_status st = cpet_env_init(comm, &eo, file, traj, &env);
  if (st == CPET_OK) st = cpet_env_run(env, large_run, NULL);
  if (env && writer_stats) cpet_env_report(env, writer_stats);
  cpet_status fs = cpet_env_finalize(&env);
  cpet_traj_free(traj);
  return st != CPET_OK ? st : fs;
}

/* `cpet dump --json` of a file with the values of time-like keys and the file name blanked. */
static char *dump(const char *file) {
  char cmd[1024];
  const char *bin = getenv("CPET_BIN");
  snprintf(cmd, sizeof cmd, "%s/cpet dump --json %s", bin ? bin : ".", file);
  FILE *p = popen(cmd, "r");
  if (!p) return NULL;
  size_t cap = 1 << 16, len = 0;
  char *s = malloc(cap);
  int c;
  while (s && (c = fgetc(p)) != EOF) {
    if (len + 1 == cap) s = realloc(s, cap *= 2);
    if (s) s[len++] = (char)c;
  }
  if (pclose(p) != 0 || !s) {
    free(s);
    return NULL;
  }
  s[len] = 0;
  static const char *keys[] = {
      "\"time\": ", "\"timestamp\": ", "\"finish_timestamp\": ", "\"runtime\": ", "\"file\": "};
  for (size_t k = 0; k < sizeof keys / sizeof *keys; k++) {
    char *q = s;
    while ((q = strstr(q, keys[k])) != NULL) {
      q += strlen(keys[k]);
      char *e = q;
      while (*e && *e != ',' && *e != '}')
        e++;
      memmove(q, e, strlen(e) + 1);
    }
  }
  return s;
}

/* Chunk-by-chunk comparison of dataset `path` in two open files, plus plain H5Dread values. */
static void compare_dataset(hid_t f1, hid_t f2, const char *path, int64_t run, int is_a) {
  hid_t d1 = H5Dopen2(f1, path, H5P_DEFAULT), d2 = H5Dopen2(f2, path, H5P_DEFAULT);
  CHECK(d1 >= 0 && d2 >= 0);
  if (d1 < 0 || d2 < 0) {
    if (d1 >= 0) H5Dclose(d1);
    if (d2 >= 0) H5Dclose(d2);
    return;
  }
  hid_t p1 = H5Dget_create_plist(d1), p2 = H5Dget_create_plist(d2);
  hsize_t c1[2] = {0, 0}, c2[2] = {0, 0};
  int r1 = H5Pget_chunk(p1, 2, c1), r2 = H5Pget_chunk(p2, 2, c2);
  CHECK_INT(r1, r2);
  CHECK_INT(c1[0], c2[0]);
  CHECK_INT(c1[1], c2[1]);
  CHECK_INT(H5Pget_nfilters(p1), H5Pget_nfilters(p2));
  for (int i = 0; i < H5Pget_nfilters(p1) && i < H5Pget_nfilters(p2); i++) {
    unsigned fl1, fl2, cd1[8] = {0}, cd2[8] = {0};
    size_t n1 = 8, n2 = 8;
    H5Z_filter_t z1 = H5Pget_filter2(p1, (unsigned)i, &fl1, &n1, cd1, 0, NULL, NULL);
    H5Z_filter_t z2 = H5Pget_filter2(p2, (unsigned)i, &fl2, &n2, cd2, 0, NULL, NULL);
    CHECK_INT(z1, z2);
    CHECK_INT(n1, n2);
    CHECK(memcmp(cd1, cd2, sizeof cd1) == 0);
  }
  hid_t sp = H5Dget_space(d1);
  hsize_t dims[2] = {0, 0};
  int rank = H5Sget_simple_extent_dims(sp, dims, NULL);
  H5Sclose(sp);
  CHECK_INT(rank, is_a ? 1 : 2);
  size_t nchunks = 0, same = 0;
  hsize_t off[2] = {0, 0};
  unsigned char *b1 = malloc(1 << 20), *b2 = malloc(1 << 20);
  for (;;) {
    hsize_t s1 = 0, s2 = 0;
    uint32_t m1 = 9, m2 = 9;
    H5Dget_chunk_storage_size(d1, off, &s1);
    H5Dget_chunk_storage_size(d2, off, &s2);
    if (s1 == s2 && s1 <= (1 << 20) && H5Dread_chunk(d1, H5P_DEFAULT, off, &m1, b1) >= 0 &&
        H5Dread_chunk(d2, H5P_DEFAULT, off, &m2, b2) >= 0 && m1 == m2 &&
        memcmp(b1, b2, (size_t)s1) == 0)
      same++;
    nchunks++;
    int k = rank - 1;
    for (; k >= 0; k--) {
      off[k] += c1[k];
      if (off[k] < dims[k]) break;
      off[k] = 0;
    }
    if (k < 0 || c1[0] == 0) break;
  }
  CHECK_INT(same, nchunks);
  CHECK_INT(nchunks, is_a ? 5 : 8);
  free(b1);
  free(b2);
  /* Plain HDF5 reads the values back, element by element. */
  size_t bad = 0;
  if (is_a) {
    double *v = malloc(NA * sizeof *v);
    CHECK(H5Dread(d1, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, v) >= 0);
    for (size_t i = 0; i < NA; i++)
      bad += v[i] != a_val(run, i);
    free(v);
  } else {
    int32_t *v = malloc(BR * BC * sizeof *v);
    CHECK(H5Dread(d1, H5T_NATIVE_INT32, H5S_ALL, H5S_ALL, H5P_DEFAULT, v) >= 0);
    for (size_t r = 0; r < BR; r++)
      for (size_t c = 0; c < BC; c++)
        bad += v[r * BC + c] != b_val(run, r, c);
    free(v);
  }
  CHECK_INT(bad, 0);
  H5Pclose(p1);
  H5Pclose(p2);
  H5Dclose(d1);
  H5Dclose(d2);
}

/* Loads `file` through cpet and checks every element of every run. */
static void check_loaded(const char *file) {
  cpet_traj *t = NULL;
  CHECK_OK(load_all(file, &t));
  if (!t) return;
  for (int64_t i = 0; i < LRUNS; i++) {
    char name[128];
    cpet_node *n = NULL;
    snprintf(name, sizeof name, "results.runs.run_%08lld.big", (long long)i);
    CHECK_OK(cpet_traj_find(t, name, &n));
    if (!n) continue;
    CHECK_STR(cpet_node_comment(n), i == 0 ? "big arrays" : "");
    const cpet_value *a = cpet_leaf_get(n, "a"), *b = cpet_leaf_get(n, "b");
    int64_t nv = -1;
    CHECK_OK(cpet_value_to_i64(cpet_leaf_get(n, "n"), &nv));
    CHECK_INT(nv, i * 10);
    CHECK(a && b);
    if (!a || !b) continue;
    CHECK_INT(cpet_value_nelem(a), NA);
    CHECK_INT(cpet_value_type(b), CPET_T_INT32);
    CHECK_INT(cpet_value_ndim(b), 2);
    size_t bad = 0;
    const double *av = cpet_value_data(a);
    for (size_t k = 0; av && cpet_value_nelem(a) == NA && k < NA; k++)
      bad += av[k] != a_val(i, k);
    const int32_t *bv = cpet_value_data(b);
    for (size_t k = 0; bv && cpet_value_nelem(b) == BR * BC && k < BR * BC; k++)
      bad += bv[k] != b_val(i, k / BC, k % BC);
    CHECK_INT(bad, 0);
  }
  cpet_traj_free(t);
}

static void one(const char *tag, cpet_sched sched, const cpet_store_opts *so, int rank, int size) {
  char file[128], ref[128];
  snprintf(file, sizeof file, "large_%s.hdf5", tag);
  snprintf(ref, sizeof ref, "large_%s_ref.hdf5", tag);
  cpet_env_stats ws;
  memset(&ws, 0, sizeof ws);
  cpet_status st = sweep(MPI_COMM_WORLD, file, sched, so, 1, &ws);
  CHECK_OK(st);
  CHECK(cpet_mt_same((int)st));
  if (size > 1 && rank == size - 1 && so->filters.complevel > 0) {
    /* The workers compressed: the writer received compressed chunks, not the raw arrays. */
    uint64_t raw = (uint64_t)LRUNS * (NA * 8 + BR * BC * 4);
    CHECK(ws.bytes < raw / 2);
  }
  if (rank == 0) {
    /* The reference: one rank, the ordinary H5Dwrite filter pipeline. */
    CHECK_OK(sweep(MPI_COMM_SELF, ref, sched, so, 0, NULL));
    check_loaded(file);
    /* The journal holds the arrays after their records (compressed chunks from workers, raw
     * bytes from a single rank): recovery must rebuild the same file. */
    char rec[160];
    snprintf(rec, sizeof rec, "large_%s_recovered.hdf5", tag);
    CHECK_OK(cpet_recover(file, rec));
    check_loaded(rec);
    hid_t f1 = H5Fopen(file, H5F_ACC_RDONLY, H5P_DEFAULT);
    hid_t f2 = H5Fopen(ref, H5F_ACC_RDONLY, H5P_DEFAULT);
    CHECK(f1 >= 0 && f2 >= 0);
    for (int64_t i = 0; f1 >= 0 && f2 >= 0 && i < LRUNS; i++) {
      char p[160];
      snprintf(p, sizeof p, "/large/results/runs/run_%08lld/big/a", (long long)i);
      compare_dataset(f1, f2, p, i, 1);
      snprintf(p, sizeof p, "/large/results/runs/run_%08lld/big/b", (long long)i);
      compare_dataset(f1, f2, p, i, 0);
    }
    if (f1 >= 0) H5Fclose(f1);
    hid_t f3 = H5Fopen(rec, H5F_ACC_RDONLY, H5P_DEFAULT);
    CHECK(f3 >= 0);
    for (int64_t i = 0; f3 >= 0 && f2 >= 0 && i < LRUNS; i += 3) {
      char p[160];
      snprintf(p, sizeof p, "/large/results/runs/run_%08lld/big/a", (long long)i);
      compare_dataset(f3, f2, p, i, 1);
      snprintf(p, sizeof p, "/large/results/runs/run_%08lld/big/b", (long long)i);
      compare_dataset(f3, f2, p, i, 0);
    }
    if (f3 >= 0) H5Fclose(f3);
    if (f2 >= 0) H5Fclose(f2);
    char *d1 = dump(file), *d2 = dump(ref), *d3 = dump(rec);
    CHECK(d1 && d2 && d3);
    if (d1 && d2 && d3) {
      CHECK(strlen(d1) > 1000);
      CHECK(strcmp(d1, d2) == 0);
      CHECK(strcmp(d3, d2) == 0);
    }
    free(d1);
    free(d2);
    free(d3);
  }
  MPI_Barrier(MPI_COMM_WORLD);
}

int main(int argc, char **argv) {
  MPI_Init(&argc, &argv);
  int rank, size;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  MPI_Comm_size(MPI_COMM_WORLD, &size);
  cpet_store_opts so = CPET_STORE_OPTS_DEFAULT; /* zlib 9 + shuffle */
  one("zlib_dynamic", CPET_SCHED_DYNAMIC, &so, rank, size);
  one("zlib_static", CPET_SCHED_STATIC, &so, rank, size);
  cpet_store_opts sb = CPET_STORE_OPTS_DEFAULT;
  CHECK_OK(cpet_filter_parse_complib("blosc", &sb.filters));
  sb.filters.complevel = 5;
  one("blosc_dynamic", CPET_SCHED_DYNAMIC, &sb, rank, size);
  cpet_store_opts sn = CPET_STORE_OPTS_DEFAULT;
  sn.filters.complevel = 0;
  one("none_static", CPET_SCHED_STATIC, &sn, rank, size);
  /* Lazy: the arrays never leave the workers; the sweep still completes on every rank. */
  lazy_mode = 1;
  cpet_env_stats ws;
  memset(&ws, 0, sizeof ws);
  cpet_status st = sweep(MPI_COMM_WORLD, "lazy.hdf5", CPET_SCHED_DYNAMIC, &so, 0, &ws);
  CHECK_OK(st);
  CHECK(cpet_mt_same((int)st));
  if (size > 1 && rank == size - 1) {
    CHECK_INT(ws.runs, LRUNS);
    CHECK(ws.bytes < 100000); /* descriptions only */
  }
  CHECK(access("lazy.hdf5", F_OK) != 0);
  CPET_TEST_END();
}
