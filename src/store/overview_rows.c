/* overview_rows.c - the rows pypet keeps in the overview group: info, runs, hdf5_settings,
 * explorations and the per-leaf informational rows with their value previews (spec 4). */
#include <stdio.h>
#include <string.h>

#include "h5/h5_int.h"
#include "store/overview_int.h"
#include "tree/tree_int.h"

#define RUN_BLOCK 1024 /* rows per read/write block when syncing the runs table */

static size_t time_width(const cpet_traj *traj) {
  size_t n = strlen(cpet_traj_time(traj));
  return n ? n : 1;
}

/* The versions recorded in info: the service's setting when it differs from pypet's default,
 * else the trajectory's own (a loaded trajectory keeps the versions it was written with). */
static const char *pick(const char *opt, const char *def, const char *traj) {
  if (opt && strcmp(opt, def) != 0) return opt;
  return traj && *traj ? traj : (opt ? opt : def);
}

cpet_status cpet__overview_write_info(cpet__sctx *c) {
  cpet__ovtab *t = cpet__sctx_table(c, CPET__OV_INFO);
  if (!t) {
    CPET__CHECK(cpet__ov_create(c->ovgrp, CPET__OV_INFO, time_width(c->traj), &c->eff.filters,
                                &c->tab[CPET__OV_INFO]));
    c->tabstate[CPET__OV_INFO] = 1;
    t = &c->tab[CPET__OV_INFO];
  }
  char *row = cpet__calloc(1, t->rowsize);
  if (!row) return cpet__err(CPET_ERR_NOMEM, "info row");
  cpet__ov_set_str(t, row, "name", cpet_traj_name(c->traj));
  cpet__ov_set_str(t, row, "time", cpet_traj_time(c->traj));
  cpet__ov_set_int(t, row, "length", (int64_t)cpet_traj_length(c->traj));
  cpet__ov_set_f64(t, row, "timestamp", cpet_traj_timestamp(c->traj));
  cpet__ov_set_str(t, row, "comment", cpet_traj_comment(c->traj));
  cpet__ov_set_str(t, row, "python",
                   pick(c->s->opts.python_version, "3.11.2", cpet_traj_python(c->traj)));
  cpet__ov_set_str(t, row, "version",
                   pick(c->s->opts.pypet_version, "0.7.0", cpet_traj_version(c->traj)));
  cpet_status st = cpet__ov_write(t, 0, row, 1);
  cpet_free(row);
  return st;
}

static const char *const OPTIONAL_COLS[CPET__OV_NOPTIONAL] = {
    "config_overview",  "parameters_overview",          "derived_parameters_overview",
    "results_overview", "explored_parameters_overview", "derived_parameters_summary",
    "results_summary"};

cpet_status cpet__overview_write_hdf5(cpet__sctx *c) {
  cpet__ovtab *t = cpet__sctx_table(c, CPET__OV_HDF5);
  if (!t) {
    CPET__CHECK(
        cpet__ov_create(c->ovgrp, CPET__OV_HDF5, 1, &c->eff.filters, &c->tab[CPET__OV_HDF5]));
    c->tabstate[CPET__OV_HDF5] = 1;
    t = &c->tab[CPET__OV_HDF5];
  }
  char *row = cpet__calloc(1, t->rowsize);
  if (!row) return cpet__err(CPET_ERR_NOMEM, "hdf5_settings row");
  char lib[CPET_FILTER_NAME_MAX];
  if (cpet_filter_complib_name(&c->eff.filters, lib, sizeof lib) != CPET_OK) strcpy(lib, "zlib");
  /* 7 bytes: "blosc:lz4" is stored as "blosc:l", exactly like pypet (spec 4.3). */
  char cut[8];
  snprintf(cut, sizeof cut, "%s", lib);
  cpet__ov_set_str(t, row, "complib", cut);
  cpet__ov_set_int(t, row, "complevel", c->eff.filters.complevel);
  cpet__ov_set_bool(t, row, "shuffle", c->eff.filters.shuffle);
  cpet__ov_set_bool(t, row, "fletcher32", c->eff.filters.fletcher32);
  cpet__ov_set_str(t, row, "pandas_format",
                   c->eff.pandas_format == CPET_PANDAS_TABLE ? "table" : "fixed");
  cpet__ov_set_str(t, row, "encoding", c->eff.encoding ? c->eff.encoding : "utf8");
  for (int i = 0; i < CPET__OV_NOPTIONAL; i++)
    cpet__ov_set_bool(t, row, OPTIONAL_COLS[i], c->enabled[i]);
  cpet__ov_set_bool(t, row, "purge_duplicate_comments", c->eff.purge_duplicate_comments);
  cpet__ov_set_int(t, row, "results_per_run", c->eff.results_per_run);
  cpet__ov_set_int(t, row, "derived_parameters_per_run", c->eff.derived_parameters_per_run);
  cpet_status st = cpet__ov_write(t, 0, row, 1);
  cpet_free(row);
  return st;
}

cpet_status cpet__overview_write_explorations(cpet__sctx *c) {
  size_t n = cpet_traj_nexplored(c->traj);
  cpet__ovtab *t = cpet__sctx_table(c, CPET__OV_EXPLORATIONS);
  if (t && n > 0 && t->nrows != n) {
    cpet__ov_close(t);
    cpet__tstate_forget(c->st, CPET__OV_EXPLORATIONS);
    c->tabstate[CPET__OV_EXPLORATIONS] = -1;
    CPET__CHECK(cpet__ov_remove(c->ovgrp, CPET__OV_EXPLORATIONS));
    t = NULL;
  }
  if (t) return CPET_OK;
  size_t longest = 0;
  for (size_t i = 0; i < n; i++) {
    size_t l = strlen(cpet_node_full_name(cpet_traj_explored(c->traj, i)));
    if (l > longest) longest = l;
  }
  /* pypet: StringCol(int(1.5 * longest)), StringCol(1) when nothing is explored. */
  size_t width = n ? longest * 3 / 2 : 1;
  t = &c->tab[CPET__OV_EXPLORATIONS];
  CPET__CHECK(cpet__ov_create(c->ovgrp, CPET__OV_EXPLORATIONS, width, &c->eff.filters, t));
  c->tabstate[CPET__OV_EXPLORATIONS] = 1;
  if (n == 0) return CPET_OK;
  char *rows = cpet__calloc(n, t->rowsize);
  if (!rows) return cpet__err(CPET_ERR_NOMEM, "explorations rows");
  for (size_t i = 0; i < n; i++)
    cpet__ov_set_str(t, rows + i * t->rowsize, "explorations",
                     cpet_node_full_name(cpet_traj_explored(c->traj, i)));
  cpet_status st = cpet__ov_append(t, rows, n);
  cpet_free(rows);
  return st;
}

static cpet_status create_runs(cpet__sctx *c) {
  CPET__CHECK(cpet__ov_create(c->ovgrp, CPET__OV_RUNS, time_width(c->traj), &c->eff.filters,
                              &c->tab[CPET__OV_RUNS]));
  c->tabstate[CPET__OV_RUNS] = 1;
  return CPET_OK;
}

cpet_status cpet__overview_create_tables(cpet__sctx *c) {
  if (!cpet__sctx_table(c, CPET__OV_RUNS)) CPET__CHECK(create_runs(c));
  for (int i = 0; i < CPET__OV_NOPTIONAL; i++) {
    cpet__ov_kind k = (cpet__ov_kind)(CPET__OV_FIRST_INFO + i);
    if (!c->enabled[i] || cpet__sctx_table(c, k)) continue;
    CPET__CHECK(cpet__ov_create(c->ovgrp, k, 1, &c->eff.filters, &c->tab[k]));
    c->tabstate[k] = 1;
  }
  return CPET_OK;
}

static void fill_run(const cpet__ovtab *t, void *row, const cpet_run_info *ri) {
  memset(row, 0, t->rowsize);
  cpet__ov_set_int(t, row, "idx", ri->idx);
  cpet__ov_set_str(t, row, "name", ri->name);
  cpet__ov_set_str(t, row, "time", ri->time);
  cpet__ov_set_f64(t, row, "timestamp", ri->timestamp);
  cpet__ov_set_f64(t, row, "finish_timestamp", ri->finish_timestamp);
  cpet__ov_set_str(t, row, "runtime", ri->runtime);
  cpet__ov_set_str(t, row, "parameter_summary", ri->parameter_summary);
  cpet__ov_set_str(t, row, "short_environment_hexsha", ri->short_environment_hexsha);
  cpet__ov_set_int(t, row, "completed", ri->completed);
}

/* Writes rows [first, first+n) of `traj` into t; rows already equal on disk (by the cache, or
 * by comparing with the file when the cache does not know them) are skipped. */
static cpet_status runs_block(cpet__ovtab *t, struct cpet__tstate *st, const cpet_traj *traj,
                              size_t first, size_t n, char *buf, char *disk) {
  int need_disk = 0;
  uint64_t hashes[RUN_BLOCK];
  unsigned char dirty[RUN_BLOCK];
  for (size_t i = 0; i < n; i++) {
    cpet_run_info ri;
    CPET__CHECK(cpet_traj_run_info(traj, first + i, &ri));
    char *row = buf + i * t->rowsize;
    fill_run(t, row, &ri);
    hashes[i] = cpet__ov_hash(row, t->rowsize);
    size_t idx = first + i;
    if (idx >= t->nrows) {
      dirty[i] = 1;
    } else {
      uint64_t known = st ? cpet__tstate_runhash(st, idx) : 0;
      dirty[i] = known == 0 ? 2 : known != hashes[i];
      if (known == 0) need_disk = 1;
    }
  }
  if (need_disk) {
    size_t have = first < t->nrows ? (size_t)(t->nrows - first) : 0;
    if (have > n) have = n;
    CPET__CHECK(cpet__ov_read(t, first, have, disk));
    for (size_t i = 0; i < have; i++)
      if (dirty[i] == 2)
        dirty[i] = memcmp(disk + i * t->rowsize, buf + i * t->rowsize, t->rowsize) != 0;
  }
  for (size_t i = 0; i < n;) {
    if (!dirty[i]) {
      i++;
      continue;
    }
    size_t j = i;
    while (j < n && dirty[j])
      j++;
    CPET__CHECK(cpet__ov_write(t, first + i, buf + i * t->rowsize, j - i));
    i = j;
  }
  if (st)
    for (size_t i = 0; i < n; i++)
      CPET__CHECK(cpet__tstate_set_runhash(st, first + i, hashes[i]));
  return CPET_OK;
}

static cpet_status runs_range(cpet__ovtab *t, struct cpet__tstate *st, const cpet_traj *traj,
                              size_t first, size_t count) {
  size_t len = cpet_traj_length(traj);
  if (first > len) first = len;
  if (count > len - first) count = len - first;
  /* Never leave a gap: rows between the table's end and `first` are written too. */
  if (first > t->nrows) {
    count += first - (size_t)t->nrows;
    first = (size_t)t->nrows;
  }
  if (count == 0) return CPET_OK;
  size_t blk = count < RUN_BLOCK ? count : RUN_BLOCK;
  char *buf = cpet__malloc(blk * t->rowsize);
  char *disk = cpet__malloc(blk * t->rowsize);
  cpet_status s = (buf && disk) ? CPET_OK : cpet__err(CPET_ERR_NOMEM, "runs rows");
  for (size_t i = 0; s == CPET_OK && i < count; i += RUN_BLOCK) {
    size_t n = count - i < RUN_BLOCK ? count - i : RUN_BLOCK;
    s = runs_block(t, st, traj, first + i, n, buf, disk);
  }
  cpet_free(buf);
  cpet_free(disk);
  return s;
}

cpet_status cpet__overview_runs_rows(cpet__sctx *c, size_t first, size_t count) {
  cpet__ovtab *t = cpet__sctx_table(c, CPET__OV_RUNS);
  if (!t) {
    CPET__CHECK(create_runs(c));
    t = &c->tab[CPET__OV_RUNS];
  }
  return runs_range(t, c->st, c->traj, first, count);
}

cpet_status cpet__overview_sync_runs(cpet__sctx *c) {
  return cpet__overview_runs_rows(c, 0, cpet_traj_length(c->traj));
}

cpet_status cpet__overview_write_runs(hid_t trajgrp, const cpet_traj *traj, size_t first,
                                      size_t count) {
  if (trajgrp < 0 || !traj) return cpet__err(CPET_ERR_INVAL, "write runs: bad arguments");
  hid_t ov = H5Gopen2(trajgrp, "overview", H5P_DEFAULT);
  if (ov < 0) return cpet__h5_err("H5Gopen2", "overview");
  cpet__ovtab t;
  cpet_status st = cpet__ov_open(ov, CPET__OV_RUNS, &t);
  if (st == CPET_OK) {
    st = runs_range(&t, NULL, traj, first, count);
    cpet__ov_close(&t);
  }
  H5Gclose(ov);
  return st;
}

/* ---- leaf rows ---- */

static void append(char *buf, size_t cap, size_t *len, const char *s) {
  size_t n = strlen(s);
  if (*len + n >= cap) n = cap - 1 - *len;
  memcpy(buf + *len, s, n);
  *len += n;
  buf[*len] = '\0';
}

void cpet__overview_preview(const cpet_node *leaf, char *buf, size_t cap) {
  char tmp[256], acc[512];
  size_t len = 0;
  acc[0] = '\0';
  if (cpet_node_is_parameter(leaf)) {
    const cpet_value *v = cpet_param_value(leaf);
    if (v)
      cpet_value_repr(v, acc, sizeof acc);
    else
      snprintf(acc, sizeof acc, "No Evaluation possible (yet)!");
  } else {
    /* pypet's Result.f_val_to_str: "key=repr, " until longer than 64, then cut. */
    size_t n = cpet_leaf_nitems(leaf);
    for (size_t i = 0; i < n && len <= CPET__OV_VALUE_LEN; i++) {
      const char *key;
      const cpet_value *v;
      cpet_flag f;
      if (cpet_leaf_item(leaf, i, &key, &v, &f) != CPET_OK) break;
      if (i) append(acc, sizeof acc, &len, ", ");
      append(acc, sizeof acc, &len, key);
      append(acc, sizeof acc, &len, "=");
      cpet_value_repr(v, tmp, sizeof tmp);
      append(acc, sizeof acc, &len, tmp);
    }
  }
  cpet__ov_cut(acc, buf, cap);
}

static void location_of(const cpet_node *n, char *buf, size_t cap) {
  const char *full = cpet_node_full_name(n);
  const char *dot = strrchr(full, '.');
  size_t l = dot ? (size_t)(dot - full) : 0;
  if (l >= cap) l = cap - 1;
  memcpy(buf, full, l);
  buf[l] = '\0';
}

void cpet__overview_fill_leaf(const cpet__ovtab *t, void *row, const cpet_node *leaf) {
  char loc[1024], val[CPET__OV_VALUE_LEN + 1];
  location_of(leaf, loc, sizeof loc);
  cpet__overview_preview(leaf, val, sizeof val);
  cpet__ov_set_str(t, row, "location", loc);
  cpet__ov_set_str(t, row, "name", cpet_node_name(leaf));
  cpet__ov_set_str(t, row, "value", val);
  cpet__ov_set_str(t, row, "comment", cpet_node_comment(leaf));
}

/* pypet: repr of the first 1024 // 3 + 10 range elements joined by ", ", cut to 1024. */
static void range_text(const cpet_node *leaf, char *buf, size_t cap) {
  size_t n = cpet_param_range_len(leaf), len = 0, max = CPET__OV_RANGE_LEN / 3 + 10;
  char tmp[CPET__OV_RANGE_LEN + 8];
  char *acc = cpet__malloc(2 * CPET__OV_RANGE_LEN + 16);
  if (!acc) {
    buf[0] = '\0';
    return;
  }
  acc[0] = '\0';
  for (size_t i = 0; i < n && i < max && len <= CPET__OV_RANGE_LEN; i++) {
    const cpet_value *v = cpet_param_range(leaf, i);
    if (!v) break;
    if (i) append(acc, 2 * CPET__OV_RANGE_LEN + 16, &len, ", ");
    cpet_value_repr(v, tmp, sizeof tmp);
    append(acc, 2 * CPET__OV_RANGE_LEN + 16, &len, tmp);
  }
  cpet__ov_cut(acc, buf, cap);
  cpet_free(acc);
}

/* Adds (or, while the table has fewer than 2 rows, modifies: pypet cannot remove a table's
 * first row, so it searches there) the row of `leaf`. */
static cpet_status add_leaf_row(cpet__ovtab *t, const cpet_node *leaf, int explored) {
  if (t->nrows >= CPET__OV_MAX_ROWS) return CPET_OK;
  char *row = cpet__calloc(2, t->rowsize);
  if (!row) return cpet__err(CPET_ERR_NOMEM, "overview row");
  cpet__overview_fill_leaf(t, row, leaf);
  if (explored) {
    char *range = cpet__malloc(CPET__OV_RANGE_LEN + 1);
    if (!range) {
      cpet_free(row);
      return cpet__err(CPET_ERR_NOMEM, "overview row");
    }
    range_text(leaf, range, CPET__OV_RANGE_LEN + 1);
    cpet__ov_set_int(t, row, "length", (int64_t)cpet_param_range_len(leaf));
    cpet__ov_set_str(t, row, "range", range);
    cpet_free(range);
  }
  hsize_t at = t->nrows;
  cpet_status st = CPET_OK;
  if (t->nrows > 0 && t->nrows < 2) {
    char *other = row + t->rowsize;
    st = cpet__ov_read(t, 0, 1, other);
    char a[CPET__OV_COMMENT_LEN + 1], b[CPET__OV_COMMENT_LEN + 1];
    cpet__ov_get_str(t, other, "location", a, sizeof a);
    cpet__ov_get_str(t, row, "location", b, sizeof b);
    int same = strcmp(a, b) == 0;
    cpet__ov_get_str(t, other, "name", a, sizeof a);
    cpet__ov_get_str(t, row, "name", b, sizeof b);
    if (st == CPET_OK && same && strcmp(a, b) == 0) at = 0;
  }
  if (st == CPET_OK) st = cpet__ov_write(t, at, row, 1);
  cpet_free(row);
  return st;
}

cpet_status cpet__overview_leaf_rows(cpet__sctx *c, const cpet_node *leaf) {
  cpet__ov_kind k;
  switch (cpet_node_branch(leaf)) {
  case CPET_BRANCH_CONFIG:
    k = CPET__OV_CONFIG;
    break;
  case CPET_BRANCH_PARAMETERS:
    k = CPET__OV_PARAMS;
    break;
  case CPET_BRANCH_DERIVED:
    k = CPET__OV_DERIVED;
    break;
  case CPET_BRANCH_RESULTS:
    k = CPET__OV_RESULTS;
    break;
  default:
    return CPET_OK; /* pypet looks for "<branch>_overview", which does not exist */
  }
  /* pypet writes into whichever tables exist in the file. */
  cpet__ovtab *t = cpet__sctx_table(c, k);
  if (t) CPET__CHECK(add_leaf_row(t, leaf, 0));
  if (cpet_node_is_parameter(leaf) && cpet_param_is_explored(leaf)) {
    t = cpet__sctx_table(c, CPET__OV_EXPLORED);
    if (t) CPET__CHECK(add_leaf_row(t, leaf, 1));
  }
  return CPET_OK;
}
