/* test_merge.c - PREPARE_MERGE/MERGE (spec 13) and `cpet merge`: three shard files of one
 * sweep (one per SLURM array task, say) merged through the API and through the command line
 * equal the same sweep written in one file (every leaf, range and runs row, timestamps of the
 * merge aside); two trajectories of one file merged with move + delete + backup; two pypet
 * fixtures merged; merging into itself, differing parameter sets or types, a merge that keeps
 * no run and deleting a read-only other refuse with specific errors, files unchanged. */
#include <stdlib.h>

#include "maint_test.h"
#include "tree/tree_int.h"
#include <cpet/cpet_store.h>

/* The sweep: x explored over [first, first+count), y fixed; per run results z = x*x + y and
 * w = [x, 2x], derived parameter dx = 2x; a trajectory-level result. */
static void write_sweep(const char *fn, const char *name, int first, int count, double ts,
                        int float_x) {
  cpet_traj *t = NULL;
  CHECK_OK(cpet_traj_create(name, &t));
  CHECK_OK(cpet_traj_set_time(t, ts, NULL));
  cpet_value *v = NULL;
  CHECK_OK(cpet_value_new_float(0.5, &v));
  CHECK_OK(cpet_traj_add_param(t, "parameters.y", CPET_CLASS_PARAMETER, v, "fixed", NULL));
  cpet_value_free(v);
  CHECK_OK(float_x ? cpet_value_new_float(0, &v) : cpet_value_new_int(0, &v));
  CHECK_OK(cpet_traj_add_param(t, "parameters.x", CPET_CLASS_PARAMETER, v, "swept", NULL));
  cpet_value_free(v);
  int64_t xs[16];
  double xf[16];
  for (int i = 0; i < count; i++) {
    xs[i] = first + i;
    xf[i] = first + i + 0.5;
  }
  size_t n[1] = {(size_t)count};
  cpet_value *r = NULL;
  CHECK_OK(float_x ? cpet_value_new_array(CPET_KIND_LIST, CPET_T_PY_FLOAT, 0, 1, n, xf, &r)
                   : cpet_value_new_array(CPET_KIND_LIST, CPET_T_PY_INT, 0, 1, n, xs, &r));
  const char *names[1] = {"x"};
  const cpet_value *ranges[1] = {r};
  CHECK_OK(cpet_traj_explore(t, 1, names, ranges));
  cpet_value_free(r);
  CHECK_OK(cpet_value_new_str("sweep over x", &v));
  CHECK_OK(cpet_traj_add_result(t, "results.meta", CPET_CLASS_RESULT, v, "about", NULL));
  cpet_value_free(v);
  cpet_store *s = NULL;
  CHECK_OK(cpet_store_open(fn, CPET_OPEN_CREATE, NULL, &s));
  CHECK_OK(cpet_store_traj(s, t, CPET_STORE_DATA, 0));
  for (int i = 0; i < count; i++) {
    int x = first + i;
    CHECK_OK(cpet_traj_set_crun(t, i));
    CHECK_OK(cpet_value_new_float((double)x * x + 0.5, &v));
    CHECK_OK(cpet_traj_add_result(t, "z", CPET_CLASS_RESULT, v, "z of x", NULL));
    cpet_value_free(v);
    double w[2] = {x, 2.0 * x};
    size_t s2[1] = {2};
    CHECK_OK(cpet_value_new_array(CPET_KIND_NDARRAY, CPET_T_FLOAT64, 0, 1, s2, w, &v));
    CHECK_OK(cpet_traj_add_result(t, "w", CPET_CLASS_RESULT, v, NULL, NULL));
    cpet_value_free(v);
    CHECK_OK(cpet_value_new_int(2 * x, &v));
    CHECK_OK(cpet_traj_add_param(t, "derived_parameters.dx", CPET_CLASS_PARAMETER, v, NULL, NULL));
    cpet_value_free(v);
    cpet_run_info ri;
    CHECK_OK(cpet_traj_run_info(t, (size_t)i, &ri));
    ri.completed = 1;
    ri.timestamp = 1700000000.0 + x;
    ri.finish_timestamp = ri.timestamp + 0.25;
    snprintf(ri.runtime, sizeof ri.runtime, "0:00:00.250000");
    snprintf(ri.time, sizeof ri.time, "2023_11_14_22h13m%02ds", x);
    snprintf(ri.short_environment_hexsha, sizeof ri.short_environment_hexsha, "abc%04d", x);
    CHECK_OK(cpet_traj_parameter_summary(t, (size_t)i, ri.parameter_summary,
                                         sizeof ri.parameter_summary));
    CHECK_OK(cpet_traj_set_run_info(t, (size_t)i, &ri));
    CHECK_OK(cpet_store_run(s, t, i));
  }
  CHECK_OK(cpet_store_close(s));
  cpet_traj_free(t);
}

typedef struct cmp {
  cpet_traj *other;
  int leaves;
} cmp;

static int same_leaf(cpet_node *n, void *ud) {
  cmp *c = ud;
  const char *full = cpet_node_full_name(n);
  if (cpet_node_kind_of(n) != CPET_NODE_LEAF || strncmp(full, "config.", 7) == 0) return 0;
  cpet_node *m = cpet__traj_find_exact(c->other, full);
  CPET_CHECK_(m != NULL, "leaf %s missing", full);
  if (!m) return 0;
  c->leaves++;
  /* purge_duplicate_comments keeps a comment on the first instance of each file: the merged
   * file has one per shard (pypet's merge copies the nodes with their comments alike) */
  const char *ca = cpet_node_comment(n), *cb = cpet_node_comment(m);
  CPET_CHECK_(strcmp(ca, cb) == 0 || (cpet_node_run_index(n) >= 0 && (!*ca || !*cb)),
              "comment of %s: '%s' != '%s'", full, ca, cb);
  CHECK_STR(cpet_node_class_name(m), cpet_node_class_name(n));
  const cpet_value *a = cpet_param_value(n), *b = cpet_param_value(m);
  CPET_CHECK_((!a && !b) || (a && b && cpet_value_equal(a, b)), "value of %s differs", full);
  CHECK_INT(cpet_param_range_len(m), cpet_param_range_len(n));
  for (size_t i = 0; i < cpet_param_range_len(n) && i < cpet_param_range_len(m); i++)
    CPET_CHECK_(cpet_value_equal(cpet_param_range(n, i), cpet_param_range(m, i)),
                "range %zu of %s differs", i, full);
  CHECK_INT(cpet_leaf_nitems(m), cpet_leaf_nitems(n));
  for (size_t i = 0; i < cpet_leaf_nitems(n); i++) {
    const char *key;
    const cpet_value *v, *w;
    cpet_flag f;
    CHECK_OK(cpet_leaf_item(n, i, &key, &v, &f));
    w = cpet_leaf_get(m, key);
    CPET_CHECK_(w && cpet_value_equal(v, w), "item %s of %s differs", key, full);
  }
  return 0;
}

/* `merged` holds what `full` holds (config aside), and nothing more. */
static void compare(cpet_traj *full, cpet_traj *merged, size_t runs) {
  CHECK_INT(cpet_traj_length(merged), runs);
  CHECK_INT(cpet_traj_length(full), runs);
  CHECK_INT(cpet_traj_nexplored(merged), cpet_traj_nexplored(full));
  cmp c1 = {merged, 0}, c2 = {full, 0};
  CHECK_OK(cpet__traj_walk(full, NULL, same_leaf, &c1));
  CHECK_OK(cpet__traj_walk(merged, NULL, same_leaf, &c2));
  CHECK_INT(c1.leaves, c2.leaves);
  CHECK(c1.leaves >= (int)(3 * runs + 3));
  for (size_t i = 0; i < runs; i++) {
    cpet_run_info a, b;
    CHECK_OK(cpet_traj_run_info(full, i, &a));
    CHECK_OK(cpet_traj_run_info(merged, i, &b));
    CHECK_STR(b.name, a.name);
    CHECK_STR(b.parameter_summary, a.parameter_summary);
    CHECK_STR(b.time, a.time);
    CHECK_STR(b.runtime, a.runtime);
    CHECK_STR(b.short_environment_hexsha, a.short_environment_hexsha);
    CHECK_DBL(b.timestamp, a.timestamp);
    CHECK_DBL(b.finish_timestamp, a.finish_timestamp);
    CHECK_INT(b.completed, a.completed);
  }
}

static int count_merges(cpet_traj *t, int64_t *merged_runs_sum) {
  cpet_node *g = cpet__traj_find_exact(t, "config.merge");
  int n = 0;
  *merged_runs_sum = 0;
  for (size_t i = 0; g && i < cpet_node_nchildren(g); i++) {
    cpet_node *m = cpet_node_child(g, i);
    cpet_node *r = cpet_node_child_by_name(m, "merged_runs");
    int64_t k = 0;
    if (r && cpet_value_to_i64(cpet_param_value(r), &k) == CPET_OK) *merged_runs_sum += k;
    cpet_node *o = cpet_node_child_by_name(cpet_node_child_by_name(m, "other_trajectory"), "name");
    CHECK(o && cpet_param_value(o));
    n++;
  }
  return n;
}

static void shards(void) {
  write_sweep("full.hdf5", "sweep", 0, 9, 1600000000.25, 0);
  write_sweep("s0.hdf5", "sweep", 0, 3, 1600000001.5, 0);
  write_sweep("s1.hdf5", "sweep", 3, 3, 1600000002.5, 0);
  write_sweep("s2.hdf5", "sweep", 6, 3, 1600000003.5, 0);
  uint64_t c1 = mt_checksum("s1.hdf5"), c2 = mt_checksum("s2.hdf5");
  /* through the API: a backup of shard 0 is the target */
  cpet_store *s = NULL, *o = NULL;
  CHECK_OK(cpet_store_open("s0.hdf5", CPET_OPEN_READ, NULL, &s));
  CHECK_OK(cpet_store_backup(s, "sweep", "api.hdf5"));
  CHECK_OK(cpet_store_close(s));
  CHECK_OK(cpet_store_open("api.hdf5", CPET_OPEN_APPEND, NULL, &s));
  cpet_merge_opts mo = CPET_MERGE_OPTS_DEFAULT;
  mo.backup = 0;
  const char *in[2] = {"s1.hdf5", "s2.hdf5"};
  for (int i = 0; i < 2; i++) {
    CHECK_OK(cpet_store_open(in[i], CPET_OPEN_READ, NULL, &o));
    CHECK_OK(cpet_store_merge(s, "sweep", o, "sweep", &mo));
    CHECK_OK(cpet_store_close(o));
  }
  CHECK_OK(cpet_store_close(s));
  CHECK(mt_checksum("s1.hdf5") == c1 && mt_checksum("s2.hdf5") == c2);
  cpet_traj *full = mt_load("full.hdf5", "sweep"), *api = mt_load("api.hdf5", "sweep");
  if (full && api) compare(full, api, 9);
  int64_t sum = 0;
  CHECK_INT(count_merges(api, &sum), 2);
  CHECK_INT(sum, 6);
  cpet_traj_free(api);
  /* through the command line */
  const char *bin = getenv("CPET_BIN");
  if (bin) {
    char cmd[4096];
    snprintf(cmd, sizeof cmd, "\"%s/cpet\" merge cli.hdf5 s0.hdf5 s1.hdf5 s2.hdf5 > /dev/null",
             bin);
    CHECK_INT(system(cmd), 0);
    cpet_traj *cli = mt_load("cli.hdf5", "sweep");
    if (full && cli) compare(full, cli, 9);
    CHECK_INT(count_merges(cli, &sum), 2);
    cpet_traj_free(cli);
    /* merging a shard into a file that holds it already: every run is a duplicate */
    uint64_t before = mt_checksum("cli.hdf5");
    snprintf(cmd, sizeof cmd, "\"%s/cpet\" merge cli.hdf5 s1.hdf5 --remove-duplicates 2> /dev/null",
             bin);
    CHECK(system(cmd) != 0);
    CHECK(mt_checksum("cli.hdf5") == before);
  }
  cpet_traj_free(full);
}

/* Two trajectories of one file; move the nodes, delete the other, back both up. */
static void same_file(void) {
  write_sweep("same.hdf5", "ta", 0, 2, 1600000010.0, 0);
  cpet_store *s = NULL;
  {
    /* a second trajectory in the same file, written through the same code path */
    write_sweep("tmp_tb.hdf5", "tb", 2, 2, 1600000011.0, 0);
    cpet_store *t = NULL;
    CHECK_OK(cpet_store_open("tmp_tb.hdf5", CPET_OPEN_READ, NULL, &t));
    CHECK_OK(cpet_store_backup(t, "tb", "same.hdf5"));
    CHECK_OK(cpet_store_close(t));
  }
  CHECK_OK(cpet_store_open("same.hdf5", CPET_OPEN_APPEND, NULL, &s));
  uint64_t before = mt_checksum("same.hdf5");
  CHECK_ERR(cpet_store_merge(s, "ta", NULL, "ta", NULL), CPET_ERR_INVAL);
  CHECK_ERR(cpet_store_merge(s, "ta", s, "ta", NULL), CPET_ERR_INVAL);
  CHECK_OK(cpet_store_flush(s));
  CHECK(mt_checksum("same.hdf5") == before);
  cpet_merge_opts mo = CPET_MERGE_OPTS_DEFAULT;
  mo.move_data = 1;
  mo.delete_other_trajectory = 1;
  CHECK_OK(cpet_store_merge(s, "ta", NULL, "tb", &mo));
  char *names = NULL;
  size_t n = 0;
  CHECK_OK(cpet_store_list_trajectories(s, &names, &n));
  CHECK_INT(n, 1);
  CHECK_STR(names, "ta");
  cpet_free(names);
  CHECK_OK(cpet_store_close(s));
  cpet_traj *t = mt_load("same.hdf5", "ta");
  CHECK_INT(cpet_traj_length(t), 4);
  cpet_node *z = cpet__traj_find_exact(t, "results.runs.run_00000003.z");
  double d = 0;
  CHECK(z && cpet_value_to_f64(cpet_leaf_get(z, "z"), &d) == CPET_OK);
  CHECK_DBL(d, 3.0 * 3 + 0.5);
  cpet_node *dx = cpet__traj_find_exact(t, "derived_parameters.runs.run_00000002.dx");
  int64_t k = 0;
  CHECK(dx && cpet_value_to_i64(cpet_param_value(dx), &k) == CPET_OK);
  CHECK_INT(k, 4);
  cpet_traj_free(t);
  /* pypet's backups of both, taken before the merge */
  t = mt_load("backup_tb.hdf5", "tb");
  CHECK_INT(cpet_traj_length(t), 2);
  cpet_traj_free(t);
  t = mt_load("backup_ta.hdf5", "ta");
  CHECK_INT(cpet_traj_length(t), 2);
  cpet_traj_free(t);
}

/* pypet fixtures: the QUEUE and the LOCK run of the same job. */
static void fixtures(void) {
  if (mt_copy_fixture("env_queue_purge.hdf5", "q.hdf5") ||
      mt_copy_fixture("env_lock_purge_large_overview.hdf5", "l.hdf5") ||
      mt_copy_fixture("scalars_all_types.hdf5", "sc.hdf5")) {
    CHECK(0);
    return;
  }
  write_sweep("fx.hdf5", "queue_purge", 0, 2, 1600000020.0, 1);
  uint64_t cq = mt_checksum("q.hdf5"), cl = mt_checksum("l.hdf5"), cs = mt_checksum("sc.hdf5"),
           cf = mt_checksum("fx.hdf5");
  cpet_store *q = NULL, *l = NULL, *sc = NULL, *fx = NULL;
  CHECK_OK(cpet_store_open("q.hdf5", CPET_OPEN_APPEND, NULL, &q));
  CHECK_OK(cpet_store_open("l.hdf5", CPET_OPEN_READ, NULL, &l));
  CHECK_OK(cpet_store_open("sc.hdf5", CPET_OPEN_READ, NULL, &sc));
  CHECK_OK(cpet_store_open("fx.hdf5", CPET_OPEN_READ, NULL, &fx));
  cpet_merge_opts mo = CPET_MERGE_OPTS_DEFAULT;
  mo.backup = 0;
  CHECK_ERR(cpet_store_merge(q, "queue_purge", NULL, "queue_purge", &mo), CPET_ERR_INVAL);
  CHECK_ERR(cpet_store_merge(q, "queue_purge", sc, "scalars", &mo), CPET_ERR_TYPE);
  CHECK_ERR(cpet_store_merge(q, "queue_purge", fx, "queue_purge", &mo), CPET_ERR_TYPE);
  mo.remove_duplicates = 1;
  CHECK_ERR(cpet_store_merge(q, "queue_purge", l, "lock_large", &mo), CPET_ERR_INVAL);
  mo.remove_duplicates = 0;
  mo.delete_other_trajectory = 1;
  CHECK_ERR(cpet_store_merge(q, "queue_purge", l, "lock_large", &mo), CPET_ERR_STATE);
  mo.delete_other_trajectory = 0;
  CHECK_OK(cpet_store_close(q));
  CHECK(mt_checksum("q.hdf5") == cq);
  CHECK_OK(cpet_store_open("q.hdf5", CPET_OPEN_APPEND, NULL, &q));
  CHECK_OK(cpet_store_merge(q, "queue_purge", l, "lock_large", &mo));
  CHECK_OK(cpet_store_close(q));
  CHECK_OK(cpet_store_close(l));
  CHECK_OK(cpet_store_close(sc));
  CHECK_OK(cpet_store_close(fx));
  CHECK(mt_checksum("l.hdf5") == cl && mt_checksum("sc.hdf5") == cs &&
        mt_checksum("fx.hdf5") == cf);
  cpet_traj *m = mt_load("q.hdf5", "queue_purge"), *o = mt_load("l.hdf5", "lock_large");
  CHECK_INT(cpet_traj_length(m), 12);
  cpet_node *x = cpet__traj_find_exact(m, "parameters.x"),
            *ox = cpet__traj_find_exact(o, "parameters.x");
  CHECK_INT(cpet_param_range_len(x), 12);
  for (size_t i = 0; i < 6 && x && ox; i++)
    CHECK(cpet_value_equal(cpet_param_range(x, 6 + i), cpet_param_range(ox, i)));
  for (size_t i = 0; i < 6; i++) {
    char a[96], b[96];
    snprintf(a, sizeof a, "results.runs.run_%08zu.alpha", i + 6);
    snprintf(b, sizeof b, "results.runs.run_%08zu.alpha", i);
    cpet_node *na = cpet__traj_find_exact(m, a), *nb = cpet__traj_find_exact(o, b);
    CPET_CHECK_(na && nb &&
                    cpet_value_equal(cpet_leaf_get(na, "alpha"), cpet_leaf_get(nb, "alpha")),
                "%s differs from the other's %s", a, b);
    cpet_run_info ra, rb;
    CHECK_OK(cpet_traj_run_info(m, i + 6, &ra));
    CHECK_OK(cpet_traj_run_info(o, i, &rb));
    CHECK_STR(ra.parameter_summary, rb.parameter_summary);
    CHECK_STR(ra.short_environment_hexsha, rb.short_environment_hexsha);
    CHECK_DBL(ra.timestamp, rb.timestamp);
  }
  int64_t sum = 0;
  CHECK_INT(count_merges(m, &sum), 1);
  CHECK_INT(sum, 6);
  cpet_traj_free(m);
  cpet_traj_free(o);
}

int main(void) {
  static const char *const old[] = {"api.hdf5",       "cli.hdf5",       "same.hdf5", "tmp_tb.hdf5",
                                    "backup_ta.hdf5", "backup_tb.hdf5", NULL};
  mt_rm(old);
  shards();
  same_file();
  fixtures();
  cpet_store *s = NULL;
  CHECK_OK(cpet_store_open_lazy(&s));
  CHECK_OK(cpet_store_merge(s, "a", NULL, "a", NULL));
  CHECK_OK(cpet_store_close(s));
  CPET_TEST_END();
}
