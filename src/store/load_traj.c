/* load_traj.c - loading a trajectory (spec 4.1-4.4, 10.1, 14.3): choosing it by name or index,
 * overview/info with the version check, runs, hdf5_settings, explorations, then the tree. */
#include <stdlib.h>
#include <string.h>

#include "layout/read_int.h"
#include "store/load_int.h"

cpet_status cpet__load_open_traj(cpet_store *s, const char *name, hid_t *out) {
  *out = -1;
  if (cpet_name_check(name) != CPET_OK)
    return cpet__err(CPET_ERR_NOTFOUND, "no trajectory '%s' in '%s' (invalid name)", name,
                     s->filename);
  char *info = cpet__asprintf("%s/overview/info", name);
  if (!info) return cpet__err(CPET_ERR_NOMEM, "trajectory path");
  int ok = cpet__h5_link_exists(s->file, info);
  cpet_free(info);
  if (!ok) {
    char *names = NULL;
    size_t n = 0;
    if (cpet_store_list_trajectories(s, &names, &n) == CPET_OK && n == 0) {
      cpet_free(names);
      return cpet__err(CPET_ERR_NOTRAJ, "'%s' holds no pypet trajectory", s->filename);
    }
    cpet_free(names);
    return cpet__err(CPET_ERR_NOTFOUND, "no trajectory '%s' in '%s'", name, s->filename);
  }
  hid_t g = H5Gopen2(s->file, name, H5P_DEFAULT);
  if (g < 0) return cpet__h5_err("H5Gopen2", name);
  *out = g;
  return CPET_OK;
}

/* The trajectory name to load: opts->name, or the index-th in name order. */
static cpet_status choose_name(cpet_store *s, const cpet_load_opts *o, char **out) {
  char *names = NULL;
  size_t n = 0;
  CPET__CHECK(cpet_store_list_trajectories(s, &names, &n));
  cpet_status st = CPET_OK;
  if (n == 0) {
    st = cpet__err(CPET_ERR_NOTRAJ, "'%s' holds no pypet trajectory", s->filename);
  } else if (o->name) {
    const char *p = names;
    size_t i = 0;
    while (i < n && strcmp(p, o->name) != 0)
      p += strlen(p) + 1, i++;
    if (i == n)
      st = cpet__err(CPET_ERR_NOTFOUND, "no trajectory '%s' in '%s'", o->name, s->filename);
    else if (!(*out = cpet__strdup(o->name)))
      st = cpet__err(CPET_ERR_NOMEM, "name");
  } else {
    long idx = o->index < 0 ? (long)n + o->index : o->index;
    if (idx < 0 || idx >= (long)n) {
      st = cpet__err(CPET_ERR_RANGE, "trajectory index %d out of range (%zu trajectories in '%s')",
                     o->index, n, s->filename);
    } else {
      const char *p = names;
      for (long i = 0; i < idx; i++)
        p += strlen(p) + 1;
      if (!(*out = cpet__strdup(p))) st = cpet__err(CPET_ERR_NOMEM, "name");
    }
  }
  cpet_free(names);
  return st;
}

static cpet_status read_info(cpet_store *s, hid_t tg, cpet_traj *traj, const cpet_load_opts *o,
                             size_t *length) {
  cpet_value *t = NULL;
  CPET__CHECK(cpet__load_overview_table(tg, "info", &t));
  cpet_status st = CPET_OK;
  if (cpet__load_rows(t) < 1) {
    cpet_value_free(t);
    return cpet__err(CPET_ERR_LAYOUT, "overview/info of '%s' has no row", cpet_traj_name(traj));
  }
  char *version = cpet__load_cell_str(t, "version", 0);
  char *python = cpet__load_cell_str(t, "python", 0);
  char *comment = cpet__load_cell_str(t, "comment", 0);
  char *time = cpet__load_cell_str(t, "time", 0);
  double ts = cpet__load_cell_f64(t, "timestamp", 0, 0.0);
  int64_t len = cpet__load_cell_i64(t, "length", 0, 1);
  if (!version || !python || !comment || !time) st = cpet__err(CPET_ERR_NOMEM, "info");
  if (st == CPET_OK) {
    const char *want_v = o->expect_version, *want_p = o->expect_python;
    int bad = (want_v && strcmp(want_v, version) != 0) || (want_p && strcmp(want_p, python) != 0);
    if (bad && !o->force)
      st = cpet__err(CPET_ERR_VERSION,
                     "trajectory '%s' was written by pypet %s / python %s, reader expects %s / %s "
                     "(load with force to accept)",
                     cpet_traj_name(traj), version, python, want_v ? want_v : "any",
                     want_p ? want_p : "any");
    else if (bad)
      cpet__log(CPET_LOG_WARN, "load", "version mismatch (%s / %s) accepted (force)", version,
                python);
  }
  if (st == CPET_OK && !o->as_new) {
    st = cpet_traj_set_versions(traj, version, python);
    if (st == CPET_OK) st = cpet_traj_set_comment(traj, comment);
    if (st == CPET_OK) st = cpet_traj_set_time(traj, ts, time);
  }
  *length = len > 0 ? (size_t)len : 1;
  cpet_free(version);
  cpet_free(python);
  cpet_free(comment);
  cpet_free(time);
  cpet_value_free(t);
  return st;
}

static void copy_cell(const cpet_value *t, const char *col, size_t row, char *dst, size_t cap) {
  char *v = cpet__load_cell_str(t, col, row);
  snprintf(dst, cap, "%s", v ? v : "");
  cpet_free(v);
}

static cpet_status read_runs(hid_t tg, cpet_traj *traj, size_t length, int as_new) {
  if (as_new) return cpet_traj_set_length(traj, length);
  cpet_value *t = NULL;
  cpet_status st = cpet__load_overview_table(tg, "runs", &t);
  if (st == CPET_ERR_NOTFOUND)
    return cpet__err(CPET_ERR_LAYOUT, "trajectory '%s' has no overview/runs table",
                     cpet_traj_name(traj));
  CPET__CHECK(st);
  size_t n = cpet__load_rows(t);
  st = cpet_traj_set_length(traj, n ? n : 1);
  for (size_t i = 0; st == CPET_OK && i < n; i++) {
    cpet_run_info ri;
    memset(&ri, 0, sizeof ri);
    ri.idx = (int64_t)i;
    copy_cell(t, "name", i, ri.name, sizeof ri.name);
    ri.completed = (int)cpet__load_cell_i64(t, "completed", i, 0);
    copy_cell(t, "time", i, ri.time, sizeof ri.time);
    ri.timestamp = cpet__load_cell_f64(t, "timestamp", i, 0);
    ri.finish_timestamp = cpet__load_cell_f64(t, "finish_timestamp", i, 0);
    copy_cell(t, "runtime", i, ri.runtime, sizeof ri.runtime);
    copy_cell(t, "parameter_summary", i, ri.parameter_summary, sizeof ri.parameter_summary);
    copy_cell(t, "short_environment_hexsha", i, ri.short_environment_hexsha,
              sizeof ri.short_environment_hexsha);
    st = cpet_traj_set_run_info(traj, i, &ri);
  }
  cpet_value_free(t);
  return st;
}

/* hdf5_settings become the service's settings for later writes (spec 4.3). */
static void read_settings(cpet_store *s, hid_t tg) {
  cpet_value *t = NULL;
  if (cpet__load_overview_table(tg, "hdf5_settings", &t) != CPET_OK || cpet__load_rows(t) < 1) {
    cpet__log(CPET_LOG_WARN, "load", "no overview/hdf5_settings; keeping the defaults");
    cpet_errclear();
    cpet_value_free(t);
    return;
  }
  char *complib = cpet__load_cell_str(t, "complib", 0);
  cpet_filter_opts f = s->opts.filters;
  if (complib && cpet_filter_parse_complib(complib, &f) != CPET_OK) {
    cpet__log(CPET_LOG_WARN, "load", "complib '%s' not understood; keeping %d", complib,
              (int)s->opts.filters.complib);
    cpet_errclear();
    f = s->opts.filters;
  }
  f.complevel = (int)cpet__load_cell_i64(t, "complevel", 0, f.complevel);
  f.shuffle = (int)cpet__load_cell_i64(t, "shuffle", 0, f.shuffle);
  f.fletcher32 = (int)cpet__load_cell_i64(t, "fletcher32", 0, f.fletcher32);
  s->opts.filters = f;
  char *pf = cpet__load_cell_str(t, "pandas_format", 0);
  if (pf && *pf) s->opts.pandas_format = pf[0] == 't' ? CPET_PANDAS_TABLE : CPET_PANDAS_FIXED;
  char *enc = cpet__load_cell_str(t, "encoding", 0);
  if (enc && *enc) {
    cpet_free(s->opt_encoding);
    s->opt_encoding = enc;
    s->opts.encoding = enc;
    enc = NULL;
  }
  s->opts.purge_duplicate_comments =
      (int)cpet__load_cell_i64(t, "purge_duplicate_comments", 0, s->opts.purge_duplicate_comments);
  s->opts.results_per_run =
      (int)cpet__load_cell_i64(t, "results_per_run", 0, s->opts.results_per_run);
  s->opts.derived_parameters_per_run = (int)cpet__load_cell_i64(t, "derived_parameters_per_run", 0,
                                                                s->opts.derived_parameters_per_run);
  cpet_free(complib);
  cpet_free(pf);
  cpet_free(enc);
  cpet_value_free(t);
}

/* Names of explored parameters (overview/explorations), or the legacy SRVC_INIT_LENGTH walk. */
static cpet_status read_explorations(hid_t tg, char ***names, size_t *n) {
  *names = NULL;
  *n = 0;
  cpet_value *t = NULL;
  cpet_status st = cpet__load_overview_table(tg, "explorations", &t);
  if (st == CPET_ERR_NOTFOUND) {
    cpet_errclear();
    return CPET_OK; /* the legacy fallback runs after the walk (mark_legacy) */
  }
  CPET__CHECK(st);
  size_t rows = cpet__load_rows(t);
  *names = cpet__calloc(rows + 1, sizeof **names);
  if (!*names) st = cpet__err(CPET_ERR_NOMEM, "explorations");
  for (size_t i = 0; st == CPET_OK && i < rows; i++) {
    if (!((*names)[i] = cpet__load_cell_str(t, "explorations", i)))
      st = cpet__err(CPET_ERR_NOMEM, "explorations");
    *n = i + 1;
  }
  cpet_value_free(t);
  return st;
}

static int legacy_cb(cpet_node *n, void *ud) {
  cpet__loadctx *ctx = ud;
  if (cpet_node_kind_of(n) != CPET_NODE_LEAF || !cpet_node_is_parameter(n)) return 0;
  char *p = cpet__strdup(cpet_node_full_name(n));
  if (!p) return CPET_ERR_NOMEM;
  for (char *q = p; *q; q++)
    if (*q == '.') *q = '/';
  hid_t g;
  int expl = 0;
  H5E_BEGIN_TRY { g = H5Gopen2(ctx->trajgrp, p, H5P_DEFAULT); }
  H5E_END_TRY;
  if (g >= 0) {
    expl = cpet__h5_attr_true(g, "SRVC_INIT_LENGTH");
    H5Gclose(g);
  }
  cpet_free(p);
  if (expl) {
    cpet_status st = cpet_traj_mark_explored(ctx->traj, n);
    if (st != CPET_OK) return st;
  }
  return 0;
}

static cpet_status cpet_store_load_into_impl(cpet_store *s, cpet_traj *traj,
                                             const cpet_load_opts *opts) {
  if (!s || !traj) return cpet__err(CPET_ERR_INVAL, "cpet_store_load_into: NULL argument");
  if (s->lazy) return CPET_OK;
  cpet_load_opts def = CPET_LOAD_OPTS_DEFAULT, o = opts ? *opts : def;
  const char *name = o.name ? o.name : cpet_traj_name(traj);
  CPET__CHECK(cpet__store_ensure_open(s, name));
  hid_t tg = -1;
  CPET__CHECK(cpet__load_open_traj(s, name, &tg));
  cpet__loadctx ctx;
  memset(&ctx, 0, sizeof ctx);
  ctx.s = s;
  ctx.traj = traj;
  ctx.trajgrp = tg;
  ctx.recursive = 1;
  ctx.max_depth = -1;
  char **expl = NULL;
  size_t nexpl = 0, length = 1;
  cpet_status st = read_info(s, tg, traj, &o, &length);
  if (st == CPET_OK) st = read_runs(tg, traj, length, o.as_new);
  if (st == CPET_OK) read_settings(s, tg);
  ctx.encoding = s->opts.encoding;
  if (st == CPET_OK) st = read_explorations(tg, &expl, &nexpl);
  if (st == CPET_OK && !(ctx.trajpath = cpet__asprintf("/%s", name)))
    st = cpet__err(CPET_ERR_NOMEM, "load");
  if (o.as_new) {
    ctx.mode[CPET_BRANCH_CONFIG] = ctx.mode[CPET_BRANCH_PARAMETERS] = CPET_LOAD_DATA;
  } else {
    ctx.mode[CPET_BRANCH_CONFIG] = ctx.mode[CPET_BRANCH_PARAMETERS] = o.load_parameters;
    ctx.mode[CPET_BRANCH_DERIVED] = o.load_derived_parameters;
    ctx.mode[CPET_BRANCH_RESULTS] = o.load_results;
    ctx.mode[CPET_BRANCH_OTHER] = o.load_other_data;
  }
  if (st == CPET_OK && !o.as_new) {
    /* Annotations of the trajectory itself live on its group; the comment is info's. */
    cpet_node *root = cpet_traj_root(traj);
    st = cpet__layout_read_meta(tg, root);
    if (st == CPET_OK) st = cpet_node_set_comment(root, cpet_traj_comment(traj));
  }
  if (st == CPET_OK) st = cpet__load_children(&ctx, tg, "", 0);
  for (size_t i = 0; st == CPET_OK && i < nexpl; i++) {
    cpet_node *p = cpet__traj_find_exact(traj, expl[i]);
    if (p && cpet_node_kind_of(p) == CPET_NODE_LEAF && cpet_node_is_parameter(p))
      st = cpet_traj_mark_explored(traj, p);
  }
  if (st == CPET_OK && !expl) {
    cpet_node *branch = cpet__traj_find_exact(traj, "parameters");
    if (branch) st = cpet__traj_walk(traj, branch, legacy_cb, &ctx);
    branch = cpet__traj_find_exact(traj, "derived_parameters");
    if (st == CPET_OK && branch) st = cpet__traj_walk(traj, branch, legacy_cb, &ctx);
  }
  if (st == CPET_OK && !o.as_new) cpet__node_set_stored(cpet_traj_root(traj), 1);
  for (size_t i = 0; i < nexpl; i++)
    cpet_free(expl[i]);
  cpet_free(expl);
  cpet_free(ctx.trajpath);
  H5Gclose(tg);
  return st;
}

static cpet_status cpet_store_load_traj_impl(cpet_store *s, const cpet_load_opts *opts,
                                             cpet_traj **out) {
  if (!s || !out) return cpet__err(CPET_ERR_INVAL, "cpet_store_load_traj: NULL argument");
  *out = NULL;
  if (s->lazy) return cpet__err(CPET_ERR_STATE, "the lazy service holds no trajectory");
  cpet_load_opts def = CPET_LOAD_OPTS_DEFAULT, o = opts ? *opts : def;
  if (!s->filename && !o.name)
    return cpet__err(CPET_ERR_STATE, "file name not known: give the trajectory name");
  CPET__CHECK(cpet__store_ensure_open(s, o.name));
  char *name = NULL;
  CPET__CHECK(choose_name(s, &o, &name));
  cpet_traj *traj = NULL;
  cpet_status st = cpet_traj_create(name, &traj);
  o.name = name;
  if (st == CPET_OK) st = cpet_store_load_into(s, traj, &o);
  cpet_free(name);
  if (st != CPET_OK) {
    cpet_traj_free(traj);
    return st;
  }
  *out = traj;
  return CPET_OK;
}

/* Public entry points: the error policy applies where a status leaves the library. */
cpet_status cpet_store_load_into(cpet_store *s, cpet_traj *traj, const cpet_load_opts *opts) {
  return cpet__raise(cpet_store_load_into_impl(s, traj, opts));
}

cpet_status cpet_store_load_traj(cpet_store *s, const cpet_load_opts *opts, cpet_traj **out) {
  return cpet__raise(cpet_store_load_traj_impl(s, opts, out));
}
