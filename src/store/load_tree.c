/* load_tree.c - walking a trajectory's HDF5 groups into the tree (spec 5, 10.1, 14.3):
 * groups, leaves (class from SRVC_INIT_CLASS_NAME), soft links, comments, annotations and leaf
 * data per load mode; plus cpet_store_load_leaf and cpet_store_load_tree. */
#include <string.h>

#include "layout/layout_int.h"
#include "layout/read_int.h"
#include "store/load_int.h"

/* ---- raw table cells ---- */

size_t cpet__load_rows(const cpet_value *tab) {
  return cpet_value_ndim(tab) > 0 ? cpet_value_shape(tab)[0] : 0;
}

char *cpet__load_cell_str(const cpet_value *tab, const char *col, size_t row) {
  const cpet_value *c = cpet_value_get(tab, col);
  if (!c || !cpet__type_is_string(cpet_value_type(c)) || row >= cpet__load_rows(tab))
    return cpet__strdup("");
  const char *p = (const char *)cpet_value_data(c) + row * cpet_value_itemsize(c);
  return cpet__strndup(p, cpet__value_string_len(p, cpet_value_itemsize(c)));
}

static int cell_num(const cpet_value *tab, const char *col, size_t row, cpet_value **cell) {
  const cpet_value *c = cpet_value_get(tab, col);
  *cell = NULL;
  if (!c || row >= cpet__load_rows(tab) || cpet__value_cell(c, row, cell) != CPET_OK) {
    cpet_errclear();
    return 0;
  }
  return 1;
}

int64_t cpet__load_cell_i64(const cpet_value *tab, const char *col, size_t row, int64_t dflt) {
  cpet_value *cell;
  int64_t v = dflt;
  if (cell_num(tab, col, row, &cell) && cpet_value_to_i64(cell, &v) != CPET_OK) {
    cpet_errclear();
    v = dflt;
  }
  cpet_value_free(cell);
  return v;
}

double cpet__load_cell_f64(const cpet_value *tab, const char *col, size_t row, double dflt) {
  cpet_value *cell;
  double v = dflt;
  if (cell_num(tab, col, row, &cell) && cpet_value_to_f64(cell, &v) != CPET_OK) {
    cpet_errclear();
    v = dflt;
  }
  cpet_value_free(cell);
  return v;
}

cpet_status cpet__load_overview_table(hid_t trajgrp, const char *name, cpet_value **out) {
  *out = NULL;
  char *path = cpet__asprintf("overview/%s", name);
  if (!path) return cpet__err(CPET_ERR_NOMEM, "overview table");
  cpet_status st;
  if (!cpet__h5_link_exists(trajgrp, path)) {
    st = cpet__err(CPET_ERR_NOTFOUND, "overview table '%s' not found", name);
  } else {
    cpet__attrsrc none = {-1, 0, NULL, NULL};
    st = cpet__read_table(trajgrp, path, &none, -1, out);
  }
  cpet_free(path);
  return st;
}

/* ---- the walk ---- */

static cpet_load_mode mode_for(const cpet__loadctx *ctx, const char *full_name) {
  size_t n = strcspn(full_name, ".");
  char first[CPET__NAME_MAX + 1];
  if (n > CPET__NAME_MAX) n = CPET__NAME_MAX;
  memcpy(first, full_name, n);
  first[n] = '\0';
  return ctx->mode[cpet__branch_of(first)];
}

static cpet_status load_leaf_data(cpet__loadctx *ctx, hid_t g, cpet_node *leaf,
                                  cpet_load_mode mode) {
  if (mode < CPET_LOAD_DATA) return CPET_OK;
  if (mode == CPET_LOAD_DATA && !cpet_leaf_is_empty(leaf)) return CPET_OK;
  if (mode == CPET_LOAD_OVERWRITE_DATA) {
    if (cpet__node_is_locked(leaf)) return CPET_OK; /* pypet skips locked parameters */
    CPET__CHECK(cpet_leaf_clear(leaf));
  }
  CPET__CHECK(cpet__layout_read_leaf(g, leaf, ctx->encoding, NULL, 0, NULL, 0));
  cpet__leaf_set_loaded(leaf, 1);
  return CPET_OK;
}

static char *join_name(const char *parent, const char *child) {
  return *parent ? cpet__asprintf("%s.%s", parent, child) : cpet__strdup(child);
}

/* Soft link `name` below `grp`: target must be a node of this trajectory that exists. */
static cpet_status load_link(cpet__loadctx *ctx, hid_t grp, const char *name, const char *full_name,
                             const char *target) {
  size_t tl = strlen(ctx->trajpath);
  htri_t ok;
  H5E_BEGIN_TRY { ok = H5Oexists_by_name(grp, name, H5P_DEFAULT); }
  H5E_END_TRY;
  if (!target || strncmp(target, ctx->trajpath, tl) != 0 || target[tl] != '/' || ok <= 0) {
    cpet__log(CPET_LOG_WARN, "load",
              "link '%s' -> '%s' is dangling or leaves the trajectory; "
              "skipped",
              full_name, target ? target : "?");
    return CPET_OK;
  }
  char *tfull = cpet__strdup(target + tl + 1);
  if (!tfull) return cpet__err(CPET_ERR_NOMEM, "link target");
  for (char *p = tfull; *p; p++)
    if (*p == '/') *p = '.';
  cpet_status st = CPET_OK;
  cpet_node *existing = cpet__traj_find_exact(ctx->traj, full_name);
  if (!existing) st = cpet__traj_add_link_path(ctx->traj, full_name, tfull, NULL);
  cpet_free(tfull);
  return st;
}

cpet_status cpet__load_node(cpet__loadctx *ctx, hid_t g, const char *full_name, cpet_load_mode mode,
                            int depth, cpet_node **out) {
  cpet_node *node = cpet__traj_find_exact(ctx->traj, full_name);
  int leaf = cpet__h5_attr_true(g, "SRVC_LEAF");
  cpet_status st = CPET_OK;
  int fresh = node == NULL;
  if (!node) {
    char *cls = NULL;
    if (leaf && H5Aexists(g, "SRVC_INIT_CLASS_NAME") > 0 &&
        cpet__h5_attr_read_str(g, "SRVC_INIT_CLASS_NAME", &cls) != CPET_OK)
      return cpet__err(CPET_ERR_LAYOUT, "leaf '%s': unreadable SRVC_INIT_CLASS_NAME", full_name);
    st = cpet__traj_add_node_exact(ctx->traj, full_name, leaf ? CPET_NODE_LEAF : CPET_NODE_GROUP,
                                   cls, &node);
    cpet_free(cls);
    if (st != CPET_OK) return st;
  }
  if (out) *out = node;
  if (fresh || mode == CPET_LOAD_OVERWRITE_DATA) CPET__CHECK(cpet__layout_read_meta(g, node));
  cpet__node_set_stored(node, 1);
  if (cpet_node_kind_of(node) == CPET_NODE_LEAF) {
    st = load_leaf_data(ctx, g, node, mode);
    if (st != CPET_OK) cpet__err_context("loading leaf '%s'", full_name);
    return st;
  }
  if (!ctx->recursive || (ctx->max_depth >= 0 && depth >= ctx->max_depth)) return CPET_OK;
  return cpet__load_children(ctx, g, full_name, depth);
}

cpet_status cpet__load_children(cpet__loadctx *ctx, hid_t grp, const char *full_name, int depth) {
  char **names = NULL;
  size_t n = 0;
  CPET__CHECK(cpet__h5_list_names(grp, &names, &n));
  cpet_status st = CPET_OK;
  for (size_t i = 0; st == CPET_OK && i < n; i++) {
    if (!*full_name && strcmp(names[i], "overview") == 0) continue;
    char *target = NULL;
    int kind = cpet__h5_child_kind(grp, names[i], &target);
    char *child = join_name(full_name, names[i]);
    if (!child) {
      cpet_free(target);
      st = cpet__err(CPET_ERR_NOMEM, "node name");
      break;
    }
    cpet_load_mode mode = mode_for(ctx, child);
    if (mode != CPET_LOAD_NOTHING && cpet_name_check(names[i]) != CPET_OK) {
      cpet__log(CPET_LOG_WARN, "load", "'%s' is no valid node name; skipped", child);
      cpet_errclear();
    } else if (mode != CPET_LOAD_NOTHING && kind == 1) {
      hid_t g = H5Gopen2(grp, names[i], H5P_DEFAULT);
      if (g < 0)
        st = cpet__h5_err("H5Gopen2", child);
      else {
        st = cpet__load_node(ctx, g, child, mode, depth + 1, NULL);
        H5Gclose(g);
      }
    } else if (mode != CPET_LOAD_NOTHING && kind == 3) {
      st = load_link(ctx, grp, names[i], child, target);
    }
    /* Datasets directly in non-leaf groups are ignored, as pypet does (spec 3). */
    cpet_free(target);
    cpet_free(child);
  }
  cpet__h5_free_names(names, n);
  return st;
}

/* ---- LEAF and TREE loads ---- */

static char *h5_path(const char *full_name) {
  char *p = cpet__strdup(full_name);
  if (!p) return NULL;
  for (char *q = p; *q; q++)
    if (*q == '.') *q = '/';
  return p;
}

static cpet_status open_node_group(cpet_store *s, cpet_traj *traj, const char *full_name, hid_t *tg,
                                   hid_t *g) {
  *tg = *g = -1;
  CPET__CHECK(cpet__store_ensure_open(s, cpet_traj_name(traj)));
  CPET__CHECK(cpet__load_open_traj(s, cpet_traj_name(traj), tg));
  if (!*full_name) {
    *g = H5Gopen2(*tg, ".", H5P_DEFAULT);
    if (*g < 0) return cpet__h5_err("H5Gopen2", cpet_traj_name(traj));
    return CPET_OK;
  }
  char *p = h5_path(full_name);
  if (!p) return cpet__err(CPET_ERR_NOMEM, "path");
  cpet_status st = CPET_OK;
  if (!cpet__h5_link_exists(*tg, p) || cpet__h5_child_kind(*tg, p, NULL) != 1)
    st = cpet__err(CPET_ERR_NOTSTORED, "'%s' is not in storage (trajectory '%s')", full_name,
                   cpet_traj_name(traj));
  else if ((*g = H5Gopen2(*tg, p, H5P_DEFAULT)) < 0)
    st = cpet__h5_err("H5Gopen2", full_name);
  cpet_free(p);
  return st;
}

static cpet_status cpet_store_load_leaf_impl(cpet_store *s, cpet_traj *traj, cpet_node *leaf,
                                             const char *const *only, size_t nonly,
                                             const char *const *except, size_t nexcept) {
  if (!s || !traj || !leaf) return cpet__err(CPET_ERR_INVAL, "cpet_store_load_leaf: NULL argument");
  if (s->lazy) return CPET_OK;
  if (cpet_node_kind_of(leaf) != CPET_NODE_LEAF)
    return cpet__err(CPET_ERR_INVAL, "'%s' is not a leaf", cpet_node_full_name(leaf));
  if (only && nonly && except && nexcept)
    return cpet__err(CPET_ERR_INVAL, "load_leaf: give either only or except, not both");
  hid_t tg, g;
  cpet_status st = open_node_group(s, traj, cpet_node_full_name(leaf), &tg, &g);
  if (st == CPET_OK && !cpet__h5_attr_true(g, "SRVC_LEAF"))
    st = cpet__err(CPET_ERR_NOTSTORED, "'%s' is stored as a group, not a leaf",
                   cpet_node_full_name(leaf));
  if (st == CPET_OK) {
    for (size_t i = 0; only && i < nonly; i++) {
      char *p = h5_path(only[i]);
      if (p && !cpet__h5_link_exists(g, p) &&
          !(cpet__h5_link_exists(g, only[i]) ||
            (cpet_node_class(leaf) == CPET_CLASS_SPARSE_RESULT)))
        cpet__log(CPET_LOG_WARN, "load", "leaf '%s': item '%s' not in storage",
                  cpet_node_full_name(leaf), only[i]);
      cpet_free(p);
    }
    st = cpet__layout_read_leaf(g, leaf, s->opts.encoding, only, nonly, except, nexcept);
    if (st == CPET_OK) {
      cpet__leaf_set_loaded(leaf, 1);
      cpet__node_set_stored(leaf, 1);
    }
  }
  cpet__h5_close(g);
  cpet__h5_close(tg);
  return st;
}

static cpet_status cpet_store_load_tree_impl(cpet_store *s, cpet_traj *traj, const char *full_name,
                                             int recursive, cpet_load_mode load_data,
                                             int max_depth) {
  if (!s || !traj) return cpet__err(CPET_ERR_INVAL, "cpet_store_load_tree: NULL argument");
  if (s->lazy) return CPET_OK;
  if (!full_name) full_name = "";
  if ((int)load_data < CPET_LOAD_NOTHING || load_data > CPET_LOAD_OVERWRITE_DATA)
    return cpet__err(CPET_ERR_INVAL, "load_tree: bad load mode %d", (int)load_data);
  hid_t tg, g;
  cpet_status st = open_node_group(s, traj, full_name, &tg, &g);
  cpet__loadctx ctx;
  memset(&ctx, 0, sizeof ctx);
  ctx.s = s;
  ctx.traj = traj;
  ctx.trajgrp = tg;
  ctx.recursive = recursive;
  ctx.max_depth = max_depth;
  ctx.encoding = s->opts.encoding;
  for (int b = 0; b <= CPET_BRANCH_OTHER; b++)
    ctx.mode[b] = load_data;
  if (st == CPET_OK && !(ctx.trajpath = cpet__asprintf("/%s", cpet_traj_name(traj))))
    st = cpet__err(CPET_ERR_NOMEM, "load_tree");
  if (st == CPET_OK && load_data != CPET_LOAD_NOTHING) {
    if (!*full_name) {
      st = cpet__load_children(&ctx, g, "", 0);
    } else {
      /* Parents first (skeleton), so their comments and annotations are known too. */
      char *p = cpet__strdup(full_name);
      for (char *dot = p ? strchr(p, '.') : NULL; st == CPET_OK && dot;
           dot = strchr(dot + 1, '.')) {
        *dot = '\0';
        if (!cpet__traj_find_exact(traj, p)) {
          char *hp = h5_path(p);
          hid_t pg = hp ? H5Gopen2(tg, hp, H5P_DEFAULT) : -1;
          if (pg < 0)
            st = cpet__h5_err("H5Gopen2", p);
          else {
            int rec = ctx.recursive;
            ctx.recursive = 0;
            st = cpet__load_node(&ctx, pg, p, CPET_LOAD_SKELETON, 0, NULL);
            ctx.recursive = rec;
            H5Gclose(pg);
          }
          cpet_free(hp);
        }
        *dot = '.';
      }
      cpet_free(p);
      if (st == CPET_OK) st = cpet__load_node(&ctx, g, full_name, load_data, 0, NULL);
    }
  }
  cpet_free(ctx.trajpath);
  cpet__h5_close(g);
  cpet__h5_close(tg);
  return st;
}

/* Public entry points: the error policy applies where a status leaves the library. */
cpet_status cpet_store_load_leaf(cpet_store *s, cpet_traj *traj, cpet_node *leaf,
                                 const char *const *only, size_t nonly, const char *const *except,
                                 size_t nexcept) {
  return cpet__raise(cpet_store_load_leaf_impl(s, traj, leaf, only, nonly, except, nexcept));
}

cpet_status cpet_store_load_tree(cpet_store *s, cpet_traj *traj, const char *full_name,
                                 int recursive, cpet_load_mode load_data, int max_depth) {
  return cpet__raise(
      cpet_store_load_tree_impl(s, traj, full_name, recursive, load_data, max_depth));
}
