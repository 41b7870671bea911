/* merge.c - merging trajectories in files (spec 13): PREPARE_MERGE, MERGE (the fast in-file or
 * file-to-file node copy of pypet's HDF5StorageService) and cpet_store_merge, which runs
 * pypet's whole Trajectory.f_merge on two stored trajectories: load, check, extend ranges and
 * runs in memory (merge_tree.c), prepare the file, copy the nodes, record, store. */
#include <string.h>
#include <sys/time.h>

#include "h5/h5_int.h"
#include "store/merge_int.h"
#include "store/overview_int.h"

/* ---- PREPARE_MERGE ---- */

static cpet_status delete_changed(cpet_store *s, cpet_traj *traj, const char *const *changed,
                                  size_t n) {
  cpet__store_state_drop(s);
  for (size_t i = 0; i < n; i++) {
    char *path = cpet__maint_path(cpet_traj_name(traj), changed[i]);
    if (!path) return cpet__err(CPET_ERR_NOMEM, "merge");
    cpet_status st = CPET_OK;
    if (cpet__h5_link_exists(s->file, path)) st = cpet__maint_unlink(s->file, path);
    cpet_free(path);
    CPET__CHECK(st);
    cpet_node *node = cpet__traj_find_exact(traj, changed[i]);
    if (node) cpet__maint_unstore(traj, node);
  }
  return CPET_OK;
}

static cpet_status cpet_store_prepare_merge_impl(cpet_store *s, cpet_traj *traj,
                                                 const char *const *changed, size_t nchanged,
                                                 size_t old_length) {
  if (!s || !traj || (nchanged && !changed))
    return cpet__err(CPET_ERR_INVAL, "cpet_store_prepare_merge: NULL argument");
  if (s->lazy) return CPET_OK;
  CPET__CHECK(cpet__maint_begin_write(s, cpet_traj_name(traj)));
  if (!cpet__node_is_stored(cpet_traj_root(traj)))
    CPET__CHECK(cpet_store_traj(s, traj, CPET_STORE_DATA, 0));
  CPET__CHECK(delete_changed(s, traj, changed, nchanged));
  cpet__sctx c;
  cpet_status st = cpet__sctx_begin(&c, s, traj, 1);
  if (st == CPET_OK && (c.tgrp < 0 || c.ovgrp < 0))
    st = cpet__err(CPET_ERR_NOTFOUND, "trajectory '%s' is not in '%s'", cpet_traj_name(traj),
                   s->filename);
  if (st == CPET_OK) st = cpet__overview_write_info(&c);
  size_t len = cpet_traj_length(traj);
  if (st == CPET_OK && len > old_length)
    st = cpet__overview_runs_rows(&c, old_length, len - old_length);
  return cpet__sctx_end(&c, st);
}

/* ---- MERGE ---- */

static cpet_status merge_items(cpet_store *s, const char *traj, cpet_store *o, const char *oname,
                               const char *const *old_names, const char *const *new_names, size_t n,
                               int move, int delete_other) {
  int same = o == s;
  if (!cpet__h5_link_exists(o->file, oname))
    return cpet__err(CPET_ERR_NOTFOUND,
                     "cannot merge '%s' and '%s': the second trajectory is "
                     "not in '%s'",
                     traj, oname, o->filename);
  char **src = cpet__calloc(n ? n : 1, sizeof *src), **dst = cpet__calloc(n ? n : 1, sizeof *dst);
  cpet_status st = src && dst ? CPET_OK : cpet__err(CPET_ERR_NOMEM, "merge");
  for (size_t i = 0; st == CPET_OK && i < n; i++) {
    src[i] = cpet__maint_path(oname, old_names[i]);
    dst[i] = cpet__maint_path(traj, new_names[i]);
    if (!src[i] || !dst[i])
      st = cpet__err(CPET_ERR_NOMEM, "merge");
    else if (!cpet__h5_link_exists(o->file, src[i]))
      st = cpet__err(CPET_ERR_NOTFOUND, "'%s' is not in trajectory '%s'", old_names[i], oname);
    else if (cpet__h5_link_exists(s->file, dst[i]))
      st = cpet__err(CPET_ERR_EXISTS, "'%s' exists already in '%s'", new_names[i], traj);
  }
  hid_t lcpl = st == CPET_OK ? H5Pcreate(H5P_LINK_CREATE) : -1;
  if (st == CPET_OK && lcpl < 0) st = cpet__h5_err("H5Pcreate", "lcpl");
  for (size_t i = 0; st == CPET_OK && i < n; i++) {
    char *slash = strrchr(dst[i], '/');
    *slash = '\0';
    st = cpet__maint_make_groups(s->file, dst[i]);
    *slash = '/';
    if (st != CPET_OK) break;
    if (move && same) {
      if (H5Lmove(o->file, src[i], s->file, dst[i], lcpl, H5P_DEFAULT) < 0)
        st = cpet__h5_err("H5Lmove", src[i]);
    } else if (H5Ocopy(o->file, src[i], s->file, dst[i], H5P_DEFAULT, lcpl) < 0) {
      st = cpet__h5_err("H5Ocopy", src[i]);
    }
  }
  cpet__h5_close(lcpl);
  if (st == CPET_OK && delete_other) {
    if (o->mode == CPET_OPEN_READ)
      st = cpet__err(CPET_ERR_STATE, "cannot delete '%s': '%s' is opened read-only", oname,
                     o->filename);
    else {
      cpet__store_state_drop(o);
      st = cpet__maint_unlink(o->file, oname);
    }
  }
  for (size_t i = 0; i < n && src && dst; i++) {
    cpet_free(src[i]);
    cpet_free(dst[i]);
  }
  cpet_free(src);
  cpet_free(dst);
  return st;
}

/* Resolves `other` (NULL, this store, or a store of the same file -> this store). */
static cpet_store *pick_other(cpet_store *s, cpet_store *o) {
  if (!o || o == s) return s;
  if (s->filename && o->filename && cpet__maint_same_file(s->filename, o->filename)) return s;
  return o;
}

static cpet_status cpet_store_merge_items_impl(cpet_store *s, const char *traj, cpet_store *other,
                                               const char *oname, const char *const *old_names,
                                               const char *const *new_names, size_t n, int move,
                                               int delete_other) {
  if (!s || !traj || !oname || (n && (!old_names || !new_names)))
    return cpet__err(CPET_ERR_INVAL, "cpet_store_merge_items: NULL argument");
  if (s->lazy) return CPET_OK;
  CPET__CHECK(cpet__maint_begin_write(s, traj));
  cpet_store *o = pick_other(s, other);
  if (o != s && o->file < 0) CPET__CHECK(cpet__store_ensure_open(o, oname));
  if (delete_other && o->mode == CPET_OPEN_READ)
    return cpet__err(CPET_ERR_STATE, "cannot delete '%s': '%s' is opened read-only", oname,
                     o->filename);
  return merge_items(s, traj, o, oname, old_names, new_names, n, move, delete_other);
}

/* ---- the whole merge ---- */

/* Parameters with data, the rest as skeleton; trajectory-level derived parameters with data
 * (pypet compares them too). */
static cpet_status load_side(cpet_store *s, const char *name, cpet_traj **out) {
  cpet_load_opts lo = CPET_LOAD_OPTS_DEFAULT;
  lo.name = name;
  lo.force = 1;
  CPET__CHECK(cpet_store_load_traj(s, &lo, out));
  cpet_node *d = cpet__traj_find_exact(*out, "derived_parameters");
  cpet_status st = CPET_OK;
  if (d && cpet_node_kind_of(d) == CPET_NODE_GROUP) {
    for (size_t i = 0; st == CPET_OK && i < cpet_node_nchildren(d); i++) {
      cpet_node *c = cpet_node_child(d, i);
      int64_t idx;
      if (strcmp(cpet_node_name(c), "runs") == 0 ||
          cpet__run_index_from_name(cpet_node_name(c), &idx))
        continue;
      if (cpet_node_kind_of(c) == CPET_NODE_LEAF)
        st = cpet_store_load_leaf(s, *out, c, NULL, 0, NULL, 0);
      else if (cpet_node_kind_of(c) == CPET_NODE_GROUP)
        st = cpet_store_load_tree(s, *out, cpet_node_full_name(c), 1, CPET_LOAD_DATA, -1);
    }
  }
  if (st != CPET_OK) {
    cpet_traj_free(*out);
    *out = NULL;
  }
  return st;
}

static double now(void) {
  struct timeval tv;
  gettimeofday(&tv, NULL);
  return (double)tv.tv_sec + (double)tv.tv_usec * 1e-6;
}

/* Everything that can refuse the merge, before anything is written. */
static cpet_status plan_merge(cpet__mplan *p, const cpet_merge_opts *o, double ts,
                              const char *version, char mname[64], char hexsha[41]) {
  for (size_t i = 0; i < o->nignore_data; i++)
    CPET__CHECK(cpet__strlist_add(&p->ignore, o->ignore_data[i]));
  CPET__CHECK(cpet__merge_check(p));
  CPET__CHECK(cpet__merge_params(p, o->remove_duplicates));
  CPET__CHECK(cpet__merge_renames(p));
  CPET__CHECK(cpet__merge_links(p));
  CPET__CHECK(cpet__merge_id(p, ts, version, mname, hexsha));
  if (o->keep_info) {
    char *g = cpet__asprintf("config.merge.%s", mname);
    int exists = g && cpet__traj_find_exact(p->me, g);
    cpet_free(g);
    if (exists) return cpet__err(CPET_ERR_EXISTS, "a merge named '%s' is recorded already", mname);
  }
  return CPET_OK;
}

static cpet_status cpet_store_merge_impl(cpet_store *s, const char *name, cpet_store *other,
                                         const char *oname, const cpet_merge_opts *opts) {
  if (!s || !name || !oname) return cpet__err(CPET_ERR_INVAL, "cpet_store_merge: NULL argument");
  if (s->lazy) return CPET_OK;
  cpet_merge_opts o = CPET_MERGE_OPTS_DEFAULT;
  if (opts) o = *opts;
  CPET__CHECK(cpet__maint_begin_write(s, name));
  cpet_store *os = pick_other(s, other);
  if (os == s && strcmp(name, oname) == 0)
    return cpet__err(CPET_ERR_INVAL, "cannot merge trajectory '%s' into itself", name);
  if (os != s && os->file < 0) CPET__CHECK(cpet__store_ensure_open(os, oname));
  if (o.delete_other_trajectory && os->mode == CPET_OPEN_READ)
    return cpet__err(CPET_ERR_STATE, "cannot delete '%s' after merging: '%s' is read-only", oname,
                     os->filename);
  if (o.move_data && os != s)
    cpet__log(CPET_LOG_INFO, "merge", "'%s' is in another file: copying instead of moving", oname);
  cpet__mplan p;
  memset(&p, 0, sizeof p);
  cpet_status st = load_side(s, name, &p.me);
  if (st == CPET_OK) st = load_side(os, oname, &p.other);
  char mname[64] = "", hexsha[41] = "";
  double ts = now();
  const char *version = s->opts.pypet_version ? s->opts.pypet_version : "0.7.0";
  if (st == CPET_OK) {
    p.old_len = cpet_traj_length(p.me);
    p.other_len = cpet_traj_length(p.other);
    st = plan_merge(&p, &o, ts, version, mname, hexsha);
  }
  /* pypet backs up the other trajectory first, then the current one. */
  if (st == CPET_OK && o.backup) st = cpet_store_backup(os, oname, NULL);
  if (st == CPET_OK && o.backup) st = cpet_store_backup(s, name, NULL);
  /* From here on the file changes. */
  if (st == CPET_OK)
    st =
        cpet_store_prepare_merge(s, p.me, (const char *const *)p.changed.v, p.changed.n, p.old_len);
  if (st == CPET_OK)
    st = merge_items(s, name, os, oname, (const char *const *)p.old_names.v,
                     (const char *const *)p.new_names.v, p.old_names.n, o.move_data && os == s,
                     o.delete_other_trajectory);
  if (st == CPET_OK && o.merge_config) st = cpet__merge_config(&p);
  if (st == CPET_OK && o.keep_info)
    st = cpet__merge_record(&p, mname, hexsha, ts, o.remove_duplicates,
                            o.keep_other_trajectory_info, version);
  if (st == CPET_OK) st = cpet_store_traj(s, p.me, CPET_STORE_DATA, 0);
  if (st == CPET_OK)
    cpet__log(CPET_LOG_INFO, "merge", "merged '%s' (%zu runs, %zu nodes) into '%s' (now %zu runs)",
              oname, p.nused, p.old_names.n, name, cpet_traj_length(p.me));
  cpet_traj_free(p.me);
  cpet_traj_free(p.other);
  cpet__mplan_free(&p);
  return st;
}

/* Public entry points: the error policy applies where a status leaves the library. */
cpet_status cpet_store_prepare_merge(cpet_store *s, cpet_traj *traj, const char *const *changed,
                                     size_t nchanged, size_t old_length) {
  return cpet__raise(cpet_store_prepare_merge_impl(s, traj, changed, nchanged, old_length));
}

cpet_status cpet_store_merge_items(cpet_store *s, const char *traj, cpet_store *other,
                                   const char *oname, const char *const *old_names,
                                   const char *const *new_names, size_t n, int move,
                                   int delete_other) {
  return cpet__raise(cpet_store_merge_items_impl(s, traj, other, oname, old_names, new_names, n,
                                                 move, delete_other));
}

cpet_status cpet_store_merge(cpet_store *s, const char *name, cpet_store *other, const char *oname,
                             const cpet_merge_opts *opts) {
  return cpet__raise(cpet_store_merge_impl(s, name, other, oname, opts));
}
