/* store_node.c - storing nodes: the recursive tree store shared with the TRAJECTORY message,
 * and the SINGLE_RUN, LEAF, GROUP and LIST messages (spec 10.2, 12.1). */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "h5/h5_int.h"
#include "store/overview_int.h"
#include "tree/tree_int.h"

/* What an OVERWRITE_DATA store of a leaf rewrites. */
typedef struct ovr {
  int all;                 /* everything (no list given) */
  const char *const *keys; /* item keys (never NULL when !all) */
  size_t nkeys;
  int comment, annotations;
} ovr;

static cpet_status open_or_create(hid_t parent, const char *name, hid_t *out, int *newly) {
  htri_t e = H5Lexists(parent, name, H5P_DEFAULT);
  if (e < 0) return cpet__h5_err("H5Lexists", name);
  *newly = e == 0;
  *out = e ? H5Gopen2(parent, name, H5P_DEFAULT)
           : H5Gcreate2(parent, name, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
  if (*out < 0) return cpet__h5_err(e ? "H5Gopen2" : "H5Gcreate2", name);
  return CPET_OK;
}

/* pypet's _grp_store_group (not recursive): comment if absent (or overwriting), annotations. */
static cpet_status group_meta(hid_t g, cpet_node *n, int overwrite) {
  const char *comment = cpet_node_comment(n);
  if (comment && *comment && (overwrite || !cpet__h5_attr_exists(g, "SRVC_INIT_COMMENT")))
    CPET__CHECK(cpet__h5_attr_write_str(g, "SRVC_INIT_COMMENT", comment));
  return cpet__layout_write_annotations(g, n, overwrite);
}

/* Opens the HDF5 group of n's parent, creating missing ancestors (with their comments and
 * annotations, as pypet stores the path to a node). Caller closes *out unless it is c->tgrp. */
static cpet_status open_parent(cpet__sctx *c, cpet_node *n, hid_t *out) {
  cpet_node *chain[256];
  int depth = 0;
  for (cpet_node *p = cpet_node_parent(n); p && cpet_node_parent(p); p = cpet_node_parent(p)) {
    if (depth == (int)(sizeof chain / sizeof *chain))
      return cpet__err(CPET_ERR_RANGE, "'%s' is nested too deeply", cpet_node_full_name(n));
    chain[depth++] = p;
  }
  hid_t g = c->tgrp;
  for (int i = depth - 1; i >= 0; i--) {
    hid_t ng = -1;
    int newly = 0;
    cpet_status st = open_or_create(g, cpet_node_name(chain[i]), &ng, &newly);
    if (st == CPET_OK && (newly || !cpet__node_is_stored(chain[i]))) {
      st = group_meta(ng, chain[i], 0);
      if (st == CPET_OK) cpet__node_set_stored(chain[i], 1);
    }
    if (g != c->tgrp) H5Gclose(g);
    if (st != CPET_OK) {
      cpet__h5_close(ng);
      return st;
    }
    g = ng;
  }
  *out = g;
  return CPET_OK;
}

static void close_parent(cpet__sctx *c, hid_t g) {
  if (g >= 0 && g != c->tgrp) H5Gclose(g);
}

static cpet_status store_leaf_in(cpet__sctx *c, cpet_node *n, hid_t g, int newly,
                                 cpet_store_mode mode, const ovr *o) {
  static const char *const none[1] = {NULL};
  int ow = mode == CPET_STORE_OVERWRITE_DATA && !newly;
  cpet_store_mode lm = mode == CPET_STORE_DATA_SKIPPING ? CPET_STORE_DATA : mode;
  const char *const *keys = NULL;
  size_t nkeys = 0;
  if (ow && o && !o->all) {
    keys = o->keys ? o->keys : none;
    nkeys = o->nkeys;
  }
  CPET__CHECK(cpet__layout_write_leaf(g, n, lm, keys, nkeys, &c->wctx));
  int ow_ann = ow && (!o || o->all || o->annotations);
  int ow_meta = ow && (!o || o->all || o->comment);
  CPET__CHECK(cpet__layout_write_annotations(g, n, ow_ann));
  if (newly || ow_meta) CPET__CHECK(cpet__summary_leaf_comment(c, n, g, !newly));
  if (newly) CPET__CHECK(cpet__overview_leaf_rows(c, n));
  cpet__node_set_stored(n, 1);
  return CPET_OK;
}

/* "/<traj>/a/b/c" for the full name a.b.c. */
static char *abs_path(const cpet_traj *traj, const char *full) {
  char *p = cpet__asprintf("/%s/%s", cpet_traj_name(traj), full);
  if (p)
    for (char *q = p + strlen(cpet_traj_name(traj)) + 2; *q; q++)
      if (*q == '.') *q = '/';
  return p;
}

static cpet_status store_link(cpet__sctx *c, cpet_node *n, hid_t parent) {
  const char *name = cpet_node_name(n);
  htri_t e = H5Lexists(parent, name, H5P_DEFAULT);
  if (e < 0) return cpet__h5_err("H5Lexists", name);
  if (e > 0) return CPET_OK;
  cpet_node *target = cpet_node_link_target(n);
  const char *tname = target ? cpet_node_full_name(target) : cpet__link_target_name(n);
  if (!tname || !*tname) {
    cpet__log(CPET_LOG_WARN, "store", "link '%s' has no target; not stored",
              cpet_node_full_name(n));
    return CPET_OK;
  }
  char *path = abs_path(c->traj, tname);
  if (!path) return cpet__err(CPET_ERR_NOMEM, "link path");
  cpet_status st = CPET_OK;
  if (target && !cpet__h5_link_exists(c->s->file, path)) {
    /* pypet stores the target (skipping what exists) before linking to it. */
    hid_t pg = -1;
    st = open_parent(c, target, &pg);
    if (st == CPET_OK) st = cpet__store_node(c, target, pg, CPET_STORE_DATA_SKIPPING, 0);
    close_parent(c, pg);
  }
  if (st == CPET_OK && H5Lcreate_soft(path, parent, name, H5P_DEFAULT, H5P_DEFAULT) < 0)
    st = cpet__h5_err("H5Lcreate_soft", name);
  if (st == CPET_OK) cpet__node_set_stored(n, 1);
  cpet_free(path);
  return st;
}

static cpet_status store_node_ex(cpet__sctx *c, cpet_node *n, hid_t parent, cpet_store_mode mode,
                                 int depth, const ovr *o) {
  if (mode == CPET_STORE_NOTHING) return CPET_OK;
  cpet_node_kind k = cpet_node_kind_of(n);
  if (k == CPET_NODE_LINK) return store_link(c, n, parent);
  int skip = mode == CPET_STORE_DATA_SKIPPING && cpet__node_is_stored(n);
  if (k == CPET_NODE_LEAF && skip) return CPET_OK;
  hid_t g;
  int newly;
  CPET__CHECK(open_or_create(parent, cpet_node_name(n), &g, &newly));
  cpet_status st = CPET_OK;
  if (k == CPET_NODE_LEAF) {
    st = store_leaf_in(c, n, g, newly, mode, o);
  } else {
    if (!skip) {
      st = group_meta(g, n, mode == CPET_STORE_OVERWRITE_DATA && !newly);
      if (st == CPET_OK) cpet__node_set_stored(n, 1);
    }
    size_t nc = cpet_node_nchildren(n);
    for (size_t i = 0; st == CPET_OK && depth != 0 && i < nc; i++)
      st = store_node_ex(c, cpet_node_child(n, i), g, mode, depth > 0 ? depth - 1 : -1, NULL);
  }
  if (H5Gclose(g) < 0 && st == CPET_OK) st = cpet__h5_err("H5Gclose", cpet_node_name(n));
  return st;
}

cpet_status cpet__store_node(cpet__sctx *c, cpet_node *n, hid_t parent, cpet_store_mode mode,
                             int depth) {
  return store_node_ex(c, n, parent, mode, depth, NULL);
}

/* ---- validation before the first write ---- */

static cpet_status validate_leaf(cpet_node *n) {
  size_t ni = cpet_leaf_nitems(n);
  for (size_t i = 0; i < ni; i++) {
    const char *key;
    const cpet_value *v;
    cpet_flag f;
    CPET__CHECK(cpet_leaf_item(n, i, &key, &v, &f));
    cpet_status st = cpet__flag_check(f, v);
    cpet_leaf_class cls = cpet_node_class(n);
    if (st == CPET_OK && cpet_value_kind(v) == CPET_KIND_SPARSE &&
        cls != CPET_CLASS_SPARSE_RESULT && cls != CPET_CLASS_SPARSE_PARAMETER)
      st = cpet__err(CPET_ERR_TYPE, "sparse matrices need a Sparse* leaf class");
    if (st != CPET_OK) {
      cpet__err_context("item '%s' of '%s'", key, cpet_node_full_name(n));
      return st;
    }
  }
  return CPET_OK;
}

cpet_status cpet__store_validate(cpet_node *n, cpet_store_mode mode, int depth) {
  if (mode == CPET_STORE_NOTHING) return CPET_OK;
  cpet_node_kind k = cpet_node_kind_of(n);
  if (k == CPET_NODE_LEAF)
    return mode == CPET_STORE_DATA_SKIPPING && cpet__node_is_stored(n) ? CPET_OK : validate_leaf(n);
  if (k != CPET_NODE_GROUP || depth == 0) return CPET_OK;
  size_t nc = cpet_node_nchildren(n);
  for (size_t i = 0; i < nc; i++)
    CPET__CHECK(cpet__store_validate(cpet_node_child(n, i), mode, depth > 0 ? depth - 1 : -1));
  return CPET_OK;
}

/* ---- entry points ---- */

static cpet_status begin_existing(cpet__sctx *c, cpet_store *s, cpet_traj *traj) {
  cpet_status st = cpet__sctx_begin(c, s, traj, 1);
  if (st == CPET_OK && (c->tgrp < 0 || c->ovgrp < 0))
    st = cpet__err(CPET_ERR_STATE,
                   "trajectory '%s' is not in '%s' yet: store it first (cpet_store_traj, "
                   "only_init=1 is enough)",
                   cpet_traj_name(traj), s->filename);
  return st;
}

static cpet_status check_common(cpet_store *s, cpet_traj *traj) {
  if (!s || !traj) return cpet__err(CPET_ERR_INVAL, "store call: NULL argument");
  return cpet__store_check_writable(s);
}

/* Collects the topmost nodes of run idx below g: names are looked up directly in `runs` and
 * run-set groups (which may have 100,000 children), other groups are walked. */
typedef struct runlist {
  cpet_node **v;
  size_t n, cap;
} runlist;

static cpet_status runlist_add(runlist *l, cpet_node *n) {
  if (l->n == l->cap) {
    size_t nc = l->cap ? 2 * l->cap : 8;
    cpet_node **nv = cpet__realloc(l->v, nc * sizeof *nv);
    if (!nv) return cpet__err(CPET_ERR_NOMEM, "run nodes");
    l->v = nv;
    l->cap = nc;
  }
  l->v[l->n++] = n;
  return CPET_OK;
}

static int is_run_set_name(const char *s, int64_t *set) {
  if (strncmp(s, "run_set_", 8) != 0) return 0;
  if (strcmp(s + 8, "ALL") == 0) {
    *set = -1;
    return 1;
  }
  int64_t v = 0;
  const char *d = s + 8;
  if (strlen(d) < 5) return 0;
  for (; *d; d++) {
    if (*d < '0' || *d > '9') return 0;
    v = v * 10 + (*d - '0');
  }
  *set = v;
  return 1;
}

static cpet_status find_run(cpet_node *g, int64_t idx, const char *rname, const char *sname,
                            runlist *out) {
  cpet_node *r = cpet_node_child_by_name(g, rname);
  if (r) CPET__CHECK(runlist_add(out, r));
  cpet_node *set = cpet_node_child_by_name(g, sname);
  if (set && cpet_node_kind_of(set) == CPET_NODE_GROUP)
    CPET__CHECK(find_run(set, idx, rname, sname, out));
  int64_t dummy;
  const char *gname = cpet_node_name(g);
  if (strcmp(gname, "runs") == 0 || is_run_set_name(gname, &dummy)) return CPET_OK;
  size_t nc = cpet_node_nchildren(g);
  for (size_t i = 0; i < nc; i++) {
    cpet_node *ch = cpet_node_child(g, i);
    if (ch == r || ch == set) continue;
    const char *nm = cpet_node_name(ch);
    int64_t ri, si;
    if (cpet_node_run_index(ch) == idx) {
      CPET__CHECK(runlist_add(out, ch));
      continue;
    }
    if (cpet_node_kind_of(ch) != CPET_NODE_GROUP) continue;
    if (cpet__run_index_from_name(nm, &ri) || is_run_set_name(nm, &si)) continue;
    CPET__CHECK(find_run(ch, idx, rname, sname, out));
  }
  return CPET_OK;
}

static double now_s(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* pypet's display_time: a progress line at most every display_time seconds (logged at INFO,
 * i.e. with CPET_DEBUG=2 or more; the library itself never prints). */
static void report_progress(cpet_store *s, const cpet_traj *traj) {
  double t = now_s();
  if (s->runs_stored++ == 0) s->t_first = s->t_last_report = t;
  if (s->opts.display_time <= 0 || t - s->t_last_report < s->opts.display_time) return;
  s->t_last_report = t;
  double el = t - s->t_first;
  cpet__log(CPET_LOG_INFO, "store", "'%s': %zu of %zu runs stored (%.0f runs/s)",
            cpet_traj_name(traj), s->runs_stored, cpet_traj_length(traj),
            el > 0 ? (double)s->runs_stored / el : 0.0);
}

static cpet_status cpet_store_run_impl(cpet_store *s, cpet_traj *traj, int64_t idx) {
  CPET__CHECK(check_common(s, traj));
  if (s->lazy) return CPET_OK;
  if (idx < 0 || (size_t)idx >= cpet_traj_length(traj))
    return cpet__err(CPET_ERR_RANGE, "run %lld is not a run of '%s' (%zu runs)", (long long)idx,
                     cpet_traj_name(traj), cpet_traj_length(traj));
  cpet__sctx c;
  cpet_status st = cpet__sctx_begin(&c, s, traj, 1);
  if (st == CPET_OK && (c.tgrp < 0 || c.ovgrp < 0)) {
    /* Not initialised yet: do what the Environment's f_store(only_init=True) does. */
    cpet__sctx_end(&c, CPET_OK);
    CPET__CHECK(cpet_store_traj(s, traj, CPET_STORE_NOTHING, 1));
    st = cpet__sctx_begin(&c, s, traj, 1);
  }
  char rname[32], sname[32];
  runlist l = {NULL, 0, 0};
  if (st == CPET_OK) st = cpet_run_name(idx, rname, sizeof rname);
  if (st == CPET_OK) st = cpet_run_set_name(idx, sname, sizeof sname);
  if (st == CPET_OK) st = find_run(cpet_traj_root(traj), idx, rname, sname, &l);
  for (size_t i = 0; st == CPET_OK && i < l.n; i++)
    st = cpet__store_validate(l.v[i], CPET_STORE_DATA_SKIPPING, -1);
  for (size_t i = 0; st == CPET_OK && i < l.n; i++) {
    hid_t pg = -1;
    st = open_parent(&c, l.v[i], &pg);
    if (st == CPET_OK) st = cpet__store_node(&c, l.v[i], pg, CPET_STORE_DATA_SKIPPING, -1);
    close_parent(&c, pg);
  }
  if (st == CPET_OK) st = cpet__overview_runs_rows(&c, (size_t)idx, 1);
  cpet_free(l.v);
  st = cpet__sctx_end(&c, st);
  if (st == CPET_OK) report_progress(s, traj);
  return st;
}

static int listed(const char *const *list, size_t n, const char *what) {
  for (size_t i = 0; i < n; i++)
    if (list[i] && strcmp(list[i], what) == 0) return 1;
  return 0;
}

static cpet_status cpet_store_leaf_impl(cpet_store *s, cpet_traj *traj, cpet_node *leaf,
                                        cpet_store_mode mode, const char *const *overwrite,
                                        size_t noverwrite) {
  CPET__CHECK(check_common(s, traj));
  if (s->lazy) return CPET_OK;
  if (!leaf || cpet_node_kind_of(leaf) != CPET_NODE_LEAF)
    return cpet__err(CPET_ERR_INVAL, "cpet_store_leaf: not a leaf");
  if (mode < CPET_STORE_NOTHING || mode > CPET_STORE_OVERWRITE_DATA)
    return cpet__err(CPET_ERR_INVAL, "unknown store mode %d", (int)mode);
  if (mode == CPET_STORE_NOTHING) return CPET_OK;
  ovr o = {1, NULL, 0, 0, 0};
  const char **keys = NULL;
  if (overwrite && mode == CPET_STORE_OVERWRITE_DATA) {
    keys = cpet__calloc(noverwrite + 1, sizeof *keys);
    if (!keys) return cpet__err(CPET_ERR_NOMEM, "overwrite keys");
    o.all = 0;
    o.comment = listed(overwrite, noverwrite, "comment");
    o.annotations = listed(overwrite, noverwrite, "annotations");
    for (size_t i = 0; i < noverwrite; i++)
      if (overwrite[i] && strcmp(overwrite[i], "comment") != 0 &&
          strcmp(overwrite[i], "annotations") != 0)
        keys[o.nkeys++] = overwrite[i];
    o.keys = keys;
  }
  cpet__sctx c;
  cpet_status st = begin_existing(&c, s, traj);
  if (st == CPET_OK) st = cpet__store_validate(leaf, mode, 0);
  hid_t pg = -1;
  if (st == CPET_OK) st = open_parent(&c, leaf, &pg);
  if (st == CPET_OK) st = store_node_ex(&c, leaf, pg, mode, 0, &o);
  close_parent(&c, pg);
  cpet_free(keys);
  return cpet__sctx_end(&c, st);
}

static cpet_status store_one(cpet__sctx *c, cpet_node *n, cpet_store_mode mode, int depth) {
  if (n == cpet_traj_root(c->traj)) {
    cpet_status st = group_meta(c->tgrp, n, mode == CPET_STORE_OVERWRITE_DATA);
    size_t nc = cpet_node_nchildren(n);
    for (size_t i = 0; st == CPET_OK && depth != 0 && i < nc; i++)
      st = cpet__store_node(c, cpet_node_child(n, i), c->tgrp, mode, depth > 0 ? depth - 1 : -1);
    return st;
  }
  hid_t pg = -1;
  cpet_status st = open_parent(c, n, &pg);
  if (st == CPET_OK) st = cpet__store_node(c, n, pg, mode, depth);
  close_parent(c, pg);
  return st;
}

static cpet_status cpet_store_group_impl(cpet_store *s, cpet_traj *traj, cpet_node *group,
                                         cpet_store_mode mode, int recursive, int max_depth) {
  CPET__CHECK(check_common(s, traj));
  if (s->lazy) return CPET_OK;
  if (!group || cpet_node_kind_of(group) != CPET_NODE_GROUP)
    return cpet__err(CPET_ERR_INVAL, "cpet_store_group: not a group");
  if (mode < CPET_STORE_NOTHING || mode > CPET_STORE_OVERWRITE_DATA)
    return cpet__err(CPET_ERR_INVAL, "unknown store mode %d", (int)mode);
  if (mode == CPET_STORE_NOTHING) return CPET_OK;
  int depth = recursive ? (max_depth < 0 ? -1 : max_depth) : 0;
  cpet__sctx c;
  cpet_status st = begin_existing(&c, s, traj);
  if (st == CPET_OK) st = cpet__store_validate(group, mode, depth);
  if (st == CPET_OK) st = store_one(&c, group, mode, depth);
  return cpet__sctx_end(&c, st);
}

static cpet_status cpet_store_list_impl(cpet_store *s, cpet_traj *traj, cpet_node *const *nodes,
                                        size_t n, cpet_store_mode mode) {
  CPET__CHECK(check_common(s, traj));
  if (s->lazy) return CPET_OK;
  if (n && !nodes) return cpet__err(CPET_ERR_INVAL, "cpet_store_list: nodes is NULL");
  if (mode < CPET_STORE_NOTHING || mode > CPET_STORE_OVERWRITE_DATA)
    return cpet__err(CPET_ERR_INVAL, "unknown store mode %d", (int)mode);
  if (mode == CPET_STORE_NOTHING || n == 0) return CPET_OK;
  for (size_t i = 0; i < n; i++)
    if (!nodes[i]) return cpet__err(CPET_ERR_INVAL, "cpet_store_list: node %zu is NULL", i);
  cpet__sctx c;
  cpet_status st = begin_existing(&c, s, traj);
  for (size_t i = 0; st == CPET_OK && i < n; i++)
    st = cpet__store_validate(nodes[i], mode, 0);
  for (size_t i = 0; st == CPET_OK && i < n; i++)
    st = store_one(&c, nodes[i], mode, 0);
  return cpet__sctx_end(&c, st);
}

/* Public entry points: the error policy applies where a status leaves the library. */
cpet_status cpet_store_run(cpet_store *s, cpet_traj *traj, int64_t idx) {
  return cpet__raise(cpet_store_run_impl(s, traj, idx));
}

cpet_status cpet_store_leaf(cpet_store *s, cpet_traj *traj, cpet_node *leaf, cpet_store_mode mode,
                            const char *const *overwrite, size_t noverwrite) {
  return cpet__raise(cpet_store_leaf_impl(s, traj, leaf, mode, overwrite, noverwrite));
}

cpet_status cpet_store_group(cpet_store *s, cpet_traj *traj, cpet_node *group, cpet_store_mode mode,
                             int recursive, int max_depth) {
  return cpet__raise(cpet_store_group_impl(s, traj, group, mode, recursive, max_depth));
}

cpet_status cpet_store_list(cpet_store *s, cpet_traj *traj, cpet_node *const *nodes, size_t n,
                            cpet_store_mode mode) {
  return cpet__raise(cpet_store_list_impl(s, traj, nodes, n, mode));
}
