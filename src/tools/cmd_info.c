/* cmd_info.c - `cpet info FILE [--traj NAME]`: what a sweep file holds, in a screenful: per
 * trajectory the runs (completed / total), the explored parameters with their ranges, the
 * other parameters, and the results of the first completed run with their values or shapes. */
#include <string.h>

#include "tree/tree_int.h"
#include "tools/tools_int.h"

typedef struct count_ud {
  size_t leaves[6];
  size_t run_leaves;
} count_ud;

static int count_cb(cpet_node *n, void *ud) {
  count_ud *c = ud;
  if (cpet_node_kind_of(n) == CPET_NODE_LEAF) {
    c->leaves[cpet_node_branch(n)]++;
    if (cpet_node_run_index(n) >= 0) c->run_leaves++;
  }
  return 0;
}

static void preview(const cpet_value *v, char *buf, size_t cap) {
  if (!v) {
    snprintf(buf, cap, "(no data)");
    return;
  }
  cpet_value_repr(v, buf, cap);
}

typedef struct show_ud {
  int64_t run;
} show_ud;

static int show_cb(cpet_node *n, void *ud) {
  show_ud *s = ud;
  if (cpet_node_kind_of(n) != CPET_NODE_LEAF || cpet_node_run_index(n) != s->run) return 0;
  char buf[72];
  size_t nitems = cpet_leaf_nitems(n);
  for (size_t i = 0; i < nitems; i++) {
    const char *key = NULL;
    const cpet_value *v = NULL;
    if (cpet_leaf_item(n, i, &key, &v, NULL) != CPET_OK) continue;
    preview(v, buf, sizeof buf);
    printf("    %-60s %s\n", cpet_node_full_name(n), buf);
  }
  if (cpet_node_is_parameter(n)) {
    preview(cpet_param_value(n), buf, sizeof buf);
    printf("    %-60s %s\n", cpet_node_full_name(n), buf);
  }
  return 0;
}

static int info_one(cpet_store *store, const char *name) {
  cpet_load_opts lo = CPET_LOAD_OPTS_DEFAULT;
  lo.name = name;
  lo.force = 1;
  cpet_traj *t = NULL;
  cpet_status st = cpet_store_load_traj(store, &lo, &t);
  if (st != CPET_OK) return cpet_tool_fail(st);
  size_t len = cpet_traj_length(t), done = 0;
  int64_t first = -1;
  for (size_t i = 0; i < len; i++) {
    cpet_run_info ri;
    if (cpet_traj_run_info(t, i, &ri) == CPET_OK && ri.completed) {
      done++;
      if (first < 0) first = (int64_t)i;
    }
  }
  count_ud c = {{0}, 0};
  cpet__traj_walk(t, cpet_traj_root(t), count_cb, &c);
  printf("trajectory %s  (created %s, pypet %s / python %s)\n", cpet_traj_name(t),
         cpet_traj_time(t), cpet_traj_version(t), cpet_traj_python(t));
  if (*cpet_traj_comment(t)) printf("  \"%s\"\n", cpet_traj_comment(t));
  printf("  runs: %zu of %zu completed\n", done, len);
  printf("  leaves: %zu config, %zu parameters, %zu derived parameters, %zu results "
         "(%zu inside runs)\n",
         c.leaves[CPET_BRANCH_CONFIG], c.leaves[CPET_BRANCH_PARAMETERS],
         c.leaves[CPET_BRANCH_DERIVED], c.leaves[CPET_BRANCH_RESULTS], c.run_leaves);
  char buf[96];
  size_t nexp = cpet_traj_nexplored(t);
  printf("  explored parameters (%zu):\n", nexp);
  for (size_t i = 0; i < nexp; i++) {
    cpet_node *p = cpet_traj_explored(t, i);
    size_t n = cpet_param_range_len(p);
    printf("    %-32s %zu values:", cpet_node_full_name(p), n);
    for (size_t k = 0; k < n && k < 6; k++) {
      preview(cpet_param_range(p, k), buf, 24);
      printf(" %s", buf);
    }
    printf("%s\n", n > 6 ? " ..." : "");
  }
  if (first >= 0) {
    char rn[32];
    cpet_run_name(first, rn, sizeof rn);
    char path[64];
    int ok = 0;
    for (int b = 0; b < 2; b++) {
      snprintf(path, sizeof path, "%s.runs.%s", b ? "derived_parameters" : "results", rn);
      if (cpet_store_load_tree(store, t, path, 1, CPET_LOAD_DATA, -1) == CPET_OK) ok = 1;
    }
    cpet_run_info ri;
    cpet_traj_run_info(t, (size_t)first, &ri);
    printf("  first completed run %s (%s, runtime %s):\n", rn, ri.parameter_summary, ri.runtime);
    show_ud s = {first};
    if (ok) cpet__traj_walk(t, cpet_traj_root(t), show_cb, &s);
  }
  cpet_traj_free(t);
  return 0;
}

int cpet_cmd_info(int argc, char **argv) {
  const char *file = NULL, *traj = NULL;
  for (int i = 1; i < argc; i++) {
    if (!strcmp(argv[i], "--traj") && i + 1 < argc) traj = argv[++i];
    else if (!file) file = argv[i];
    else {
      fprintf(stderr, "usage: cpet info FILE [--traj NAME]\n");
      return 1;
    }
  }
  if (!file) {
    fprintf(stderr, "usage: cpet info FILE [--traj NAME]\n");
    return 1;
  }
  cpet_store *store = NULL;
  cpet_status st = cpet_store_open(file, CPET_OPEN_READ, NULL, &store);
  if (st != CPET_OK) return cpet_tool_fail(st);
  char *names = NULL;
  size_t n = 0;
  int rc = 0;
  st = cpet_store_list_trajectories(store, &names, &n);
  if (st != CPET_OK) rc = cpet_tool_fail(st);
  const char *p = names;
  for (size_t i = 0; rc == 0 && i < n; i++, p += strlen(p) + 1)
    if (!traj || !strcmp(traj, p)) rc = info_one(store, p);
  cpet_free(names);
  st = cpet_store_close(store);
  if (rc == 0 && st != CPET_OK) rc = cpet_tool_fail(st);
  return rc;
}
