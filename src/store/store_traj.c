/* store_traj.c - the TRAJECTORY store message (spec 10.2, 10.3, 12.1): the trajectory group,
 * config.hdf5.* settings, overview meta data and, unless only_init, every branch. Also the
 * per-call store context every store entry point uses. */
#include <stdio.h>
#include <string.h>

#include "h5/h5_int.h"
#include "store/overview_int.h"
#include "tree/tree_int.h"

/* ---- the store context ---- */

cpet__ovtab *cpet__sctx_table(cpet__sctx *c, cpet__ov_kind k) {
  if (c->ovgrp < 0) return NULL;
  if (c->tabstate[k] == 0) {
    cpet__ovtab *kept = cpet__tstate_tab(c->st, k);
    if (kept) {
      c->tab[k] = *kept;
      c->tabstate[k] = 1;
      return &c->tab[k];
    }
    cpet_status st = cpet__ov_open(c->ovgrp, k, &c->tab[k]);
    c->tabstate[k] = st == CPET_OK ? 1 : -1;
    if (st != CPET_OK && st != CPET_ERR_NOTFOUND)
      cpet__log(CPET_LOG_WARN, "store", "overview table '%s' unreadable: %s", cpet__ov_name(k),
                cpet_errmsg());
  }
  return c->tabstate[k] == 1 ? &c->tab[k] : NULL;
}

static int param_bool(cpet_traj *traj, const char *name, int def) {
  cpet_node *n = cpet__traj_find_exact(traj, name);
  const cpet_value *v = n && cpet_node_kind_of(n) == CPET_NODE_LEAF ? cpet_param_value(n) : NULL;
  int64_t i;
  return v && cpet_value_to_i64(v, &i) == CPET_OK ? i != 0 : def;
}

static int64_t param_int(cpet_traj *traj, const char *name, int64_t def) {
  cpet_node *n = cpet__traj_find_exact(traj, name);
  const cpet_value *v = n && cpet_node_kind_of(n) == CPET_NODE_LEAF ? cpet_param_value(n) : NULL;
  int64_t i;
  return v && cpet_value_to_i64(v, &i) == CPET_OK ? i : def;
}

/* Borrowed text of a str parameter (NULL if absent or not text). */
static const char *param_str(cpet_traj *traj, const char *name) {
  cpet_node *n = cpet__traj_find_exact(traj, name);
  const cpet_value *v = n && cpet_node_kind_of(n) == CPET_NODE_LEAF ? cpet_param_value(n) : NULL;
  const char *s;
  size_t len;
  if (!v || cpet_value_to_str(v, &s, &len) != CPET_OK) return NULL;
  return s;
}

static const char *const OPT_NAMES[CPET__OV_NOPTIONAL] = {
    "config.hdf5.overview.config_overview",
    "config.hdf5.overview.parameters_overview",
    "config.hdf5.overview.derived_parameters_overview",
    "config.hdf5.overview.results_overview",
    "config.hdf5.overview.explored_parameters_overview",
    "config.hdf5.overview.derived_parameters_summary",
    "config.hdf5.overview.results_summary"};

/* The service's options with the trajectory's config.hdf5.* on top (pypet's
 * _srvc_check_hdf_properties). The encoding string is borrowed from the trajectory. */
static cpet_status effective_opts(cpet__sctx *c) {
  const cpet_store_opts *o = &c->s->opts;
  cpet_traj *tr = c->traj;
  c->eff = *o;
  int def[CPET__OV_NOPTIONAL] = {o->small_overview_tables, o->small_overview_tables,
                                 o->large_overview_tables, o->large_overview_tables,
                                 o->small_overview_tables, o->summary_tables,
                                 o->summary_tables};
  for (int i = 0; i < CPET__OV_NOPTIONAL; i++)
    c->enabled[i] = param_bool(tr, OPT_NAMES[i], def[i]);
  const char *lib = param_str(tr, "config.hdf5.complib");
  if (lib && cpet_filter_parse_complib(lib, &c->eff.filters) != CPET_OK)
    return cpet__err(CPET_ERR_INVAL, "config.hdf5.complib '%s' is not a compression library", lib);
  c->eff.filters.complevel = (int)param_int(tr, "config.hdf5.complevel", o->filters.complevel);
  c->eff.filters.shuffle = param_bool(tr, "config.hdf5.shuffle", o->filters.shuffle);
  c->eff.filters.fletcher32 = param_bool(tr, "config.hdf5.fletcher32", o->filters.fletcher32);
  const char *enc = param_str(tr, "config.hdf5.encoding");
  if (enc && *enc) c->eff.encoding = enc;
  const char *pf = param_str(tr, "config.hdf5.pandas_format");
  if (pf) {
    if (strcmp(pf, "fixed") == 0 || strcmp(pf, "f") == 0)
      c->eff.pandas_format = CPET_PANDAS_FIXED;
    else if (strcmp(pf, "table") == 0 || strcmp(pf, "t") == 0)
      c->eff.pandas_format = CPET_PANDAS_TABLE;
    else
      return cpet__err(CPET_ERR_INVAL, "config.hdf5.pandas_format '%s' is not fixed or table", pf);
  }
  c->eff.purge_duplicate_comments =
      param_bool(tr, "config.hdf5.purge_duplicate_comments", o->purge_duplicate_comments);
  c->eff.results_per_run = (int)param_int(tr, "config.hdf5.results_per_run", o->results_per_run);
  c->eff.derived_parameters_per_run =
      (int)param_int(tr, "config.hdf5.derived_parameters_per_run", o->derived_parameters_per_run);
  c->eff.summary_tables = c->enabled[5] && c->enabled[6];
  if (c->eff.purge_duplicate_comments && !c->eff.summary_tables)
    return cpet__err(CPET_ERR_INVAL, "purge_duplicate_comments needs the summary tables; enable "
                                     "summary_tables or disable purging");
  if (c->eff.filters.complevel < 0 || c->eff.filters.complevel > 9)
    return cpet__err(CPET_ERR_INVAL, "complevel %d is not in 0..9", c->eff.filters.complevel);
  c->wctx.opts = &c->eff;
  c->wctx.expected_rows = 0;
  return CPET_OK;
}

cpet_status cpet__sctx_begin(cpet__sctx *c, cpet_store *s, cpet_traj *traj, int open_traj) {
  memset(c, 0, sizeof *c);
  c->s = s;
  c->traj = traj;
  c->tgrp = c->ovgrp = -1;
  for (int i = 0; i < CPET__OV_COUNT; i++)
    c->tab[i].dset = c->tab[i].mtype = -1;
  if (!traj) return cpet__err(CPET_ERR_INVAL, "trajectory is NULL");
  CPET__CHECK(cpet__store_ensure_open(s, cpet_traj_name(traj)));
  CPET__CHECK(effective_opts(c));
  CPET__CHECK(cpet__tstate_get(c));
  if (!open_traj) return CPET_OK;
  const char *name = cpet_traj_name(traj);
  htri_t e = H5Lexists(s->file, name, H5P_DEFAULT);
  if (e < 0) return cpet__h5_err("H5Lexists", name);
  if (e == 0) return CPET_OK;
  c->tgrp = H5Gopen2(s->file, name, H5P_DEFAULT);
  if (c->tgrp < 0) return cpet__h5_err("H5Gopen2", name);
  e = H5Lexists(c->tgrp, "overview", H5P_DEFAULT);
  if (e > 0) {
    c->ovgrp = H5Gopen2(c->tgrp, "overview", H5P_DEFAULT);
    if (c->ovgrp < 0) return cpet__h5_err("H5Gopen2", "overview");
  }
  return CPET_OK;
}

cpet_status cpet__sctx_end(cpet__sctx *c, cpet_status st) {
  for (int i = 0; i < CPET__OV_COUNT; i++)
    if (c->tabstate[i] == 1) {
      if (c->st)
        cpet__tstate_keep(c->st, (cpet__ov_kind)i, &c->tab[i]);
      else
        cpet__ov_close(&c->tab[i]);
    }
  if (c->ovgrp >= 0 && H5Gclose(c->ovgrp) < 0 && st == CPET_OK)
    st = cpet__h5_err("H5Gclose", "overview");
  if (c->tgrp >= 0 && H5Gclose(c->tgrp) < 0 && st == CPET_OK)
    st = cpet__h5_err("H5Gclose", "trajectory");
  c->ovgrp = c->tgrp = -1;
  return st;
}

/* ---- config.hdf5.* (pypet's _srvc_set_config) ---- */

static cpet_status add_config(cpet_traj *traj, const char *name, cpet_value *take,
                              const char *comment) {
  cpet_status st = CPET_OK;
  if (!take) return cpet__err(CPET_ERR_NOMEM, "config value");
  if (!cpet__traj_find_exact(traj, name))
    st = cpet_traj_add_param(traj, name, CPET_CLASS_PARAMETER, take, comment, NULL);
  cpet_value_free(take);
  return st;
}

static cpet_value *vbool(int b) {
  cpet_value *v = NULL;
  return cpet_value_new_bool(b != 0, &v) == CPET_OK ? v : NULL;
}
static cpet_value *vint(int64_t i) {
  cpet_value *v = NULL;
  return cpet_value_new_int(i, &v) == CPET_OK ? v : NULL;
}
static cpet_value *vstr(const char *s) {
  cpet_value *v = NULL;
  return cpet_value_new_str(s, &v) == CPET_OK ? v : NULL;
}

/* Adds the service's settings as config parameters the trajectory does not have yet, with
 * pypet's exact comments and order. */
static cpet_status add_hdf5_config(cpet_store *s, cpet_traj *traj) {
  const cpet_store_opts *o = &s->opts;
  const int tables[CPET__OV_NOPTIONAL] = {o->small_overview_tables, o->small_overview_tables,
                                          o->large_overview_tables, o->large_overview_tables,
                                          o->small_overview_tables, o->summary_tables,
                                          o->summary_tables};
  for (int i = 0; i < CPET__OV_NOPTIONAL; i++)
    CPET__CHECK(add_config(traj, OPT_NAMES[i], vbool(tables[i]),
                           "Whether or not to have an overview table with that name"));
  CPET__CHECK(add_config(traj, "config.hdf5.purge_duplicate_comments",
                         vbool(o->purge_duplicate_comments),
                         "Whether comments of results and derived parameters should only be "
                         "stored for the very first instance. Works only if the summary tables "
                         "are active."));
  CPET__CHECK(add_config(traj, "config.hdf5.results_per_run", vint(o->results_per_run),
                         "Expected number of results per run, a good guess can increase "
                         "storage performance"));
  CPET__CHECK(add_config(traj, "config.hdf5.derived_parameters_per_run",
                         vint(o->derived_parameters_per_run),
                         "Expected number of derived parameters per run, a good guess can "
                         "increase storage performance"));
  CPET__CHECK(add_config(traj, "config.hdf5.complevel", vint(o->filters.complevel),
                         "Compression Level (0 no compression to 9 highest compression)"));
  char lib[CPET_FILTER_NAME_MAX];
  CPET__CHECK(cpet_filter_complib_name(&o->filters, lib, sizeof lib));
  CPET__CHECK(add_config(traj, "config.hdf5.complib", vstr(lib), "Compression Algorithm"));
  CPET__CHECK(add_config(traj, "config.hdf5.encoding", vstr(o->encoding ? o->encoding : "utf8"),
                         "Encoding for unicode characters"));
  CPET__CHECK(add_config(traj, "config.hdf5.fletcher32", vbool(o->filters.fletcher32),
                         "Whether to use fletcher 32 checksum"));
  CPET__CHECK(add_config(traj, "config.hdf5.shuffle", vbool(o->filters.shuffle),
                         "Whether to use shuffle filtering."));
  CPET__CHECK(add_config(traj, "config.hdf5.pandas_format",
                         vstr(o->pandas_format == CPET_PANDAS_TABLE ? "table" : "fixed"),
                         "How to store pandas data frames, either 'fixed' ('f') or 'table' "
                         "('t')."));
  cpet_node *g = cpet__traj_find_exact(traj, "config.hdf5");
  if (g && !*cpet_node_comment(g))
    CPET__CHECK(cpet_node_set_comment(g, "Settings for the standard HDF5 storage service"));
  return CPET_OK;
}

/* ---- the trajectory group and its meta data ---- */

static cpet_status pytables_group_attrs(hid_t g, const char *title) {
  CPET__CHECK(cpet__h5_attr_write_str(g, "CLASS", "GROUP"));
  CPET__CHECK(cpet__h5_attr_write_str(g, "TITLE", title));
  return cpet__h5_attr_write_str(g, "VERSION", "1.0");
}

/* Creates /<traj> and /<traj>/overview if missing and opens them into the context. */
cpet_status cpet__store_create_traj_group(cpet__sctx *c) {
  const char *name = cpet_traj_name(c->traj);
  if (c->tgrp < 0) {
    c->tgrp = H5Gcreate2(c->s->file, name, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    if (c->tgrp < 0) return cpet__h5_err("H5Gcreate2", name);
    CPET__CHECK(pytables_group_attrs(c->tgrp, name));
  }
  if (c->ovgrp < 0) {
    htri_t e = H5Lexists(c->tgrp, "overview", H5P_DEFAULT);
    if (e < 0) return cpet__h5_err("H5Lexists", "overview");
    if (e > 0) {
      c->ovgrp = H5Gopen2(c->tgrp, "overview", H5P_DEFAULT);
      if (c->ovgrp < 0) return cpet__h5_err("H5Gopen2", "overview");
    } else {
      c->ovgrp = H5Gcreate2(c->tgrp, "overview", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
      if (c->ovgrp < 0) return cpet__h5_err("H5Gcreate2", "overview");
      CPET__CHECK(pytables_group_attrs(c->ovgrp, "overview"));
    }
  }
  return CPET_OK;
}

/* pypet's _trj_store_meta_data: info, runs, hdf5_settings, the root's comment and
 * annotations, explorations and the enabled overview tables. */
cpet_status cpet__store_meta(cpet__sctx *c) {
  CPET__CHECK(cpet__overview_write_info(c));
  CPET__CHECK(cpet__overview_create_tables(c));
  CPET__CHECK(cpet__overview_write_hdf5(c));
  CPET__CHECK(cpet__overview_sync_runs(c));
  cpet_node *root = cpet_traj_root(c->traj);
  const char *comment = cpet_traj_comment(c->traj);
  if (comment && *comment && !cpet__h5_attr_exists(c->tgrp, "SRVC_INIT_COMMENT"))
    CPET__CHECK(cpet__h5_attr_write_str(c->tgrp, "SRVC_INIT_COMMENT", comment));
  CPET__CHECK(cpet__layout_write_annotations(c->tgrp, root, 0));
  return cpet__overview_write_explorations(c);
}

static cpet_status cpet_store_traj_impl(cpet_store *s, cpet_traj *traj, cpet_store_mode mode,
                                        int only_init) {
  if (!s || !traj) return cpet__err(CPET_ERR_INVAL, "cpet_store_traj: NULL argument");
  if (s->lazy) return CPET_OK;
  CPET__CHECK(cpet__store_check_writable(s));
  if (mode < CPET_STORE_NOTHING || mode > CPET_STORE_OVERWRITE_DATA)
    return cpet__err(CPET_ERR_INVAL, "unknown store mode %d", (int)mode);
  const char *name = cpet_traj_name(traj);
  CPET__CHECK(cpet__store_ensure_open(s, name));
  cpet_node *root = cpet_traj_root(traj);
  htri_t e = H5Lexists(s->file, name, H5P_DEFAULT);
  if (e < 0) return cpet__h5_err("H5Lexists", name);
  if (e > 0 && !cpet__node_is_stored(root))
    return cpet__err(CPET_ERR_EXISTS,
                     "a trajectory named '%s' exists in '%s' but this trajectory was never "
                     "stored there or loaded from it (use a new name or overwrite the file)",
                     name, s->filename);
  CPET__CHECK(add_hdf5_config(s, traj));
  if (only_init) mode = CPET_STORE_NOTHING;
  cpet__sctx c;
  cpet_status st = cpet__sctx_begin(&c, s, traj, 1);
  if (st == CPET_OK && mode != CPET_STORE_NOTHING)
    st = cpet__store_validate(root, mode, -1); /* before the first write */
  if (st == CPET_OK) st = cpet__store_create_traj_group(&c);
  if (st == CPET_OK) st = cpet__store_meta(&c);
  if (st == CPET_OK && mode != CPET_STORE_NOTHING) {
    size_t n = cpet_node_nchildren(root);
    for (size_t i = 0; st == CPET_OK && i < n; i++)
      st = cpet__store_node(&c, cpet_node_child(root, i), c.tgrp, mode, -1);
  }
  if (st == CPET_OK) cpet__node_set_stored(root, 1);
  st = cpet__sctx_end(&c, st);
  if (st != CPET_OK && st != CPET_ERR_INVAL && st != CPET_ERR_FLAG && st != CPET_ERR_TYPE)
    cpet__log(CPET_LOG_ERROR, "store", "storing trajectory '%s' failed: %s", name, cpet_errmsg());
  return st;
}

/* Public entry points: the error policy applies where a status leaves the library. */
cpet_status cpet_store_traj(cpet_store *s, cpet_traj *traj, cpet_store_mode mode, int only_init) {
  return cpet__raise(cpet_store_traj_impl(s, traj, mode, only_init));
}
