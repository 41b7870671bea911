/* cmd_dump.c - `cpet dump FILE [--traj NAME] --json`: everything a reader finds in the file, in
 * the JSON schema of shared/fixtures/README.md (schema_version 1). */
#include <stdlib.h>
#include <string.h>

#include "store/load_int.h"
#include "tools/tools_int.h"

static void annotations(cpet_jw *j, const cpet_node *n) {
  cpet_jw_key(j, "annotations");
  cpet_jw_obj(j);
  for (size_t i = 0; i < cpet_node_nannotations(n); i++) {
    const char *k;
    const cpet_value *v;
    if (cpet_node_annotation(n, i, &k, &v) != CPET_OK) continue;
    cpet_jw_key(j, k);
    cpet_jw_value(j, v);
  }
  cpet_jw_end_obj(j);
}

typedef struct {
  cpet_jw *j;
  int pass; /* 0 leaves, 1 groups, 2 links */
} walk_ud;

static void range_json(cpet_jw *j, const cpet_node *p) {
  cpet_jw_arr(j);
  for (size_t i = 0; i < cpet_param_range_len(p); i++) {
    const cpet_value *r = cpet_param_range(p, i);
    if (r)
      cpet_jw_value(j, r);
    else
      cpet_jw_null(j);
  }
  cpet_jw_end_arr(j);
}

static int walk_cb(cpet_node *n, void *ud) {
  walk_ud *w = ud;
  cpet_jw *j = w->j;
  cpet_node_kind k = cpet_node_kind_of(n);
  if (w->pass == 0 && k == CPET_NODE_LEAF) {
    int par = cpet_node_is_parameter(n);
    cpet_jw_key(j, cpet_node_full_name(n));
    cpet_jw_obj(j);
    cpet_jw_key(j, "kind");
    cpet_jw_str(j, par ? "parameter" : "result");
    cpet_jw_key(j, "class");
    cpet_jw_str(j, cpet_node_class_name(n));
    cpet_jw_key(j, "comment");
    cpet_jw_str(j, cpet_node_comment(n) ? cpet_node_comment(n) : "");
    annotations(j, n);
    if (par) {
      const cpet_value *v = cpet_param_value(n);
      cpet_jw_key(j, "value");
      if (v)
        cpet_jw_value(j, v);
      else
        cpet_jw_null(j);
      cpet_jw_key(j, "explored");
      cpet_jw_bool(j, cpet_param_is_explored(n));
      if (cpet_param_is_explored(n)) {
        cpet_jw_key(j, "range");
        range_json(j, n);
      }
    } else {
      cpet_jw_key(j, "items");
      cpet_jw_obj(j);
      for (size_t i = 0; i < cpet_leaf_nitems(n); i++) {
        const char *key;
        const cpet_value *v;
        cpet_flag f;
        if (cpet_leaf_item(n, i, &key, &v, &f) != CPET_OK) continue;
        cpet_jw_key(j, key);
        cpet_jw_item(j, v); /* pypet's view: pandas-boxed TABLE/DICT scalars */
      }
      cpet_jw_end_obj(j);
    }
    cpet_jw_end_obj(j);
  } else if (w->pass == 1 && k == CPET_NODE_GROUP) {
    cpet_jw_key(j, cpet_node_full_name(n));
    cpet_jw_obj(j);
    cpet_jw_key(j, "class");
    cpet_jw_str(j, cpet_node_group_class(n));
    cpet_jw_key(j, "comment");
    cpet_jw_str(j, cpet_node_comment(n) ? cpet_node_comment(n) : "");
    annotations(j, n);
    cpet_jw_end_obj(j);
  } else if (w->pass == 2 && k == CPET_NODE_LINK) {
    const char *t = cpet__link_target_name(n);
    cpet_jw_key(j, cpet_node_full_name(n));
    if (t)
      cpet_jw_str(j, t);
    else
      cpet_jw_null(j);
  }
  return 0;
}

static void settings_json(cpet_jw *j, cpet_store *s, const char *traj) {
  hid_t tg = -1;
  cpet_value *t = NULL;
  cpet_jw_key(j, "hdf5_settings");
  if (cpet__load_open_traj(s, traj, &tg) != CPET_OK ||
      cpet__load_overview_table(tg, "hdf5_settings", &t) != CPET_OK || cpet__load_rows(t) < 1) {
    cpet_errclear();
    cpet_jw_null(j);
  } else {
    static const char *strs[] = {"complib", "pandas_format", "encoding"};
    static const char *bools[] = {"shuffle", "fletcher32", "purge_duplicate_comments"};
    cpet_jw_obj(j);
    for (size_t i = 0; i < 3; i++) {
      char *v = cpet__load_cell_str(t, strs[i], 0);
      cpet_jw_key(j, strs[i]);
      cpet_jw_str(j, v ? v : "");
      cpet_free(v);
    }
    cpet_jw_key(j, "complevel");
    cpet_jw_i64(j, cpet__load_cell_i64(t, "complevel", 0, 0));
    for (size_t i = 0; i < 3; i++) {
      cpet_jw_key(j, bools[i]);
      cpet_jw_bool(j, cpet__load_cell_i64(t, bools[i], 0, 0) != 0);
    }
    cpet_jw_end_obj(j);
  }
  cpet_value_free(t);
  if (tg >= 0) H5Gclose(tg);
}

static int dump_traj(cpet_jw *j, cpet_store *s, const char *name) {
  cpet_load_opts o = CPET_LOAD_OPTS_ALL;
  o.name = name;
  o.force = 1;
  cpet_traj *t = NULL;
  cpet_status st = cpet_store_load_traj(s, &o, &t);
  if (st != CPET_OK) return st;
  cpet_jw_key(j, name);
  cpet_jw_obj(j);
  cpet_jw_key(j, "name");
  cpet_jw_str(j, cpet_traj_name(t));
  cpet_jw_key(j, "comment");
  cpet_jw_str(j, cpet_traj_comment(t));
  cpet_jw_key(j, "version");
  cpet_jw_str(j, cpet_traj_version(t));
  cpet_jw_key(j, "python");
  cpet_jw_str(j, cpet_traj_python(t));
  cpet_jw_key(j, "time");
  cpet_jw_str(j, cpet_traj_time(t));
  cpet_jw_key(j, "timestamp");
  cpet_jw_f64(j, cpet_traj_timestamp(t));
  cpet_jw_key(j, "length");
  cpet_jw_u64(j, cpet_traj_length(t));
  annotations(j, cpet_traj_root(t));
  settings_json(j, s, name);
  cpet_jw_key(j, "runs");
  cpet_jw_arr(j);
  for (size_t i = 0; i < cpet_traj_length(t); i++) {
    cpet_run_info ri;
    if (cpet_traj_run_info(t, i, &ri) != CPET_OK) continue;
    cpet_jw_obj(j);
    cpet_jw_key(j, "name");
    cpet_jw_str(j, ri.name);
    cpet_jw_key(j, "idx");
    cpet_jw_i64(j, ri.idx);
    cpet_jw_key(j, "completed");
    cpet_jw_i64(j, ri.completed);
    cpet_jw_key(j, "time");
    cpet_jw_str(j, ri.time);
    cpet_jw_key(j, "timestamp");
    cpet_jw_f64(j, ri.timestamp);
    cpet_jw_key(j, "finish_timestamp");
    cpet_jw_f64(j, ri.finish_timestamp);
    cpet_jw_key(j, "runtime");
    cpet_jw_str(j, ri.runtime);
    cpet_jw_key(j, "parameter_summary");
    cpet_jw_str(j, ri.parameter_summary);
    cpet_jw_key(j, "short_environment_hexsha");
    cpet_jw_str(j, ri.short_environment_hexsha);
    cpet_jw_end_obj(j);
  }
  cpet_jw_end_arr(j);
  cpet_jw_key(j, "explored_parameters");
  cpet_jw_obj(j);
  for (size_t i = 0; i < cpet_traj_nexplored(t); i++) {
    cpet_node *p = cpet_traj_explored(t, i);
    cpet_jw_key(j, cpet_node_full_name(p));
    range_json(j, p);
  }
  cpet_jw_end_obj(j);
  static const char *sections[] = {"leaves", "groups", "links"};
  for (int pass = 0; pass < 3; pass++) {
    walk_ud w = {j, pass};
    cpet_jw_key(j, sections[pass]);
    cpet_jw_obj(j);
    st = cpet__traj_walk(t, NULL, walk_cb, &w);
    cpet_jw_end_obj(j);
  }
  cpet_jw_end_obj(j);
  cpet_traj_free(t);
  return st;
}

int cpet_cmd_dump(int argc, char **argv) {
  const char *file = NULL, *traj = NULL;
  int json = 0;
  for (int i = 1; i < argc; i++) {
    if (strcmp(argv[i], "--json") == 0)
      json = 1;
    else if (strcmp(argv[i], "--traj") == 0 && i + 1 < argc)
      traj = argv[++i];
    else if (argv[i][0] != '-' && !file)
      file = argv[i];
    else {
      fprintf(stderr, "usage: cpet dump FILE [--traj NAME] --json\n");
      return 1;
    }
  }
  if (!file || !json) {
    fprintf(stderr, "usage: cpet dump FILE [--traj NAME] --json\n");
    return 1;
  }
  cpet_store *s = NULL;
  cpet_status st = cpet_store_open(file, CPET_OPEN_READ, NULL, &s);
  if (st != CPET_OK) return cpet_tool_fail(st);
  char *names = NULL;
  size_t n = 0;
  st = cpet_store_list_trajectories(s, &names, &n);
  if (st == CPET_OK && n == 0)
    st = cpet__err(CPET_ERR_NOTRAJ, "'%s' holds no pypet trajectory", file);
  if (st != CPET_OK) {
    cpet_free(names);
    int rc = cpet_tool_fail(st);
    cpet_store_close(s);
    return rc;
  }
  /* Load everything first so that an error does not leave half a JSON document on stdout. */
  char *buf = NULL;
  size_t len = 0;
  FILE *m = open_memstream(&buf, &len);
  cpet_jw j;
  cpet_jw_init(&j, m);
  const char *base = strrchr(file, '/');
  cpet_jw_obj(&j);
  cpet_jw_key(&j, "schema_version");
  cpet_jw_i64(&j, 1);
  cpet_jw_key(&j, "file");
  cpet_jw_str(&j, base ? base + 1 : file);
  cpet_jw_key(&j, "trajectory_names");
  cpet_jw_arr(&j);
  const char *p = names;
  for (size_t i = 0; i < n; i++, p += strlen(p) + 1)
    cpet_jw_str(&j, p);
  cpet_jw_end_arr(&j);
  cpet_jw_key(&j, "trajectories");
  cpet_jw_obj(&j);
  p = names;
  int found = traj == NULL;
  for (size_t i = 0; i < n && st == CPET_OK; i++, p += strlen(p) + 1) {
    if (traj && strcmp(traj, p) != 0) continue;
    found = 1;
    st = dump_traj(&j, s, p);
  }
  if (st == CPET_OK && !found) st = cpet__err(CPET_ERR_NOTFOUND, "no trajectory '%s'", traj);
  cpet_jw_end_obj(&j);
  cpet_jw_end_obj(&j);
  fputc('\n', m);
  fclose(m);
  cpet_free(names);
  int rc = 0;
  if (st != CPET_OK)
    rc = cpet_tool_fail(st);
  else
    fwrite(buf, 1, len, stdout);
  free(buf);
  cpet_status cst = cpet_store_close(s);
  if (rc == 0 && cst != CPET_OK) rc = cpet_tool_fail(cst);
  return rc;
}
