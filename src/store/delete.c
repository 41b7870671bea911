/* delete.c - the DELETE and DELETE_LINK messages (spec 13) and the small helpers the
 * maintenance files share (paths, group creation, NROWS). */
#include <string.h>
#include <sys/stat.h>

#include "h5/h5_int.h"
#include "store/maint_int.h"
#include "store/overview_int.h"

/* ---- shared helpers ---- */

char *cpet__maint_path(const char *traj, const char *name) {
  char *p = name && *name ? cpet__asprintf("/%s/%s", traj, name) : cpet__asprintf("/%s", traj);
  if (!p) return NULL;
  for (char *q = p + strlen(traj) + 1; *q; q++)
    if (*q == '.' || *q == ':') *q = '/';
  return p;
}

int cpet__maint_same_file(const char *a, const char *b) {
  if (!a || !b) return 0;
  if (strcmp(a, b) == 0) return 1;
  struct stat sa, sb;
  if (stat(a, &sa) != 0 || stat(b, &sb) != 0) return 0;
  return sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
}

cpet_status cpet__maint_begin_write(cpet_store *s, const char *traj_name) {
  CPET__CHECK(cpet__store_check_writable(s));
  return cpet__store_ensure_open(s, traj_name);
}

cpet_status cpet__maint_make_groups(hid_t file, const char *path) {
  char *p = cpet__strdup(path);
  if (!p) return cpet__err(CPET_ERR_NOMEM, "group path");
  cpet_status st = CPET_OK;
  for (char *q = p + 1;; q++) {
    if (*q != '/' && *q != '\0') continue;
    char c = *q;
    *q = '\0';
    htri_t e = H5Lexists(file, p, H5P_DEFAULT);
    if (e < 0) {
      st = cpet__h5_err("H5Lexists", p);
    } else if (e == 0) {
      hid_t g = H5Gcreate2(file, p, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
      if (g < 0) {
        st = cpet__h5_err("H5Gcreate2", p);
      } else {
        const char *leaf = strrchr(p, '/') + 1;
        st = cpet__h5_attr_write_str(g, "CLASS", "GROUP");
        if (st == CPET_OK) st = cpet__h5_attr_write_str(g, "TITLE", leaf);
        if (st == CPET_OK) st = cpet__h5_attr_write_str(g, "VERSION", "1.0");
        H5Gclose(g);
      }
    }
    *q = c;
    if (st != CPET_OK || c == '\0') break;
  }
  cpet_free(p);
  return st;
}

cpet_status cpet__maint_set_nrows(hid_t dset, int64_t n) {
  htri_t e = H5Aexists(dset, "NROWS");
  if (e < 0) return cpet__h5_err("H5Aexists", "NROWS");
  hid_t a;
  if (e > 0) {
    a = H5Aopen(dset, "NROWS", H5P_DEFAULT);
  } else {
    hid_t sp = H5Screate(H5S_SCALAR);
    a = sp < 0 ? -1 : H5Acreate2(dset, "NROWS", H5T_STD_I64LE, sp, H5P_DEFAULT, H5P_DEFAULT);
    cpet__h5_close(sp);
  }
  if (a < 0) return cpet__h5_err("NROWS attribute", "");
  herr_t r = H5Awrite(a, H5T_NATIVE_INT64, &n);
  H5Aclose(a);
  return r < 0 ? cpet__h5_err("H5Awrite", "NROWS") : CPET_OK;
}

cpet_status cpet__maint_unlink(hid_t file, const char *path) {
  if (H5Ldelete(file, path, H5P_DEFAULT) < 0) return cpet__h5_err("H5Ldelete", path);
  return CPET_OK;
}

static int unstore_one(cpet_node *n, void *ud) {
  (void)ud;
  cpet__node_set_stored(n, 0);
  return 0;
}

void cpet__maint_unstore(cpet_traj *traj, cpet_node *n) {
  cpet__node_set_stored(n, 0);
  if (cpet_node_kind_of(n) == CPET_NODE_GROUP) (void)cpet__traj_walk(traj, n, unstore_one, NULL);
}

/* ---- DELETE ---- */

/* CPET_ERR_EXPLORED if `n` is, or (a group) contains, an explored parameter. */
static cpet_status check_explored(cpet_traj *traj, cpet_node *n) {
  const char *full = cpet_node_full_name(n);
  size_t len = strlen(full);
  for (size_t i = 0; i < cpet_traj_nexplored(traj); i++) {
    const char *e = cpet_node_full_name(cpet_traj_explored(traj, i));
    if (strcmp(e, full) == 0 || (strncmp(e, full, len) == 0 && e[len] == '.'))
      return cpet__err(CPET_ERR_EXPLORED,
                       "'%s' %s the explored parameter '%s': deleting it would break the "
                       "trajectory's runs",
                       full, strcmp(e, full) == 0 ? "is" : "contains", e);
  }
  if (cpet_node_kind_of(n) == CPET_NODE_LEAF && cpet_param_is_explored(n))
    return cpet__err(CPET_ERR_EXPLORED, "'%s' is an explored parameter", full);
  return CPET_OK;
}

/* Number of links directly below group `path` (0 if it is not a group). */
static cpet_status count_children(hid_t file, const char *path, hsize_t *n) {
  *n = 0;
  hid_t o = H5Oopen(file, path, H5P_DEFAULT);
  if (o < 0) return cpet__h5_err("H5Oopen", path);
  int is_group = H5Iget_type(o) == H5I_GROUP;
  H5Oclose(o);
  if (!is_group) return CPET_OK;
  H5G_info_t gi;
  if (H5Gget_info_by_name(file, path, &gi, H5P_DEFAULT) < 0)
    return cpet__h5_err("H5Gget_info_by_name", path);
  *n = gi.nlinks;
  return CPET_OK;
}

static cpet_status delete_parts(cpet_store *s, cpet_node *node, const char *path,
                                const char *const *only, size_t nonly, int remove_from_item) {
  hid_t g = H5Gopen2(s->file, path, H5P_DEFAULT);
  if (g < 0) return cpet__h5_err("H5Gopen2", path);
  cpet_status st = CPET_OK;
  for (size_t i = 0; st == CPET_OK && i < nonly; i++) {
    if (!only[i] || !*only[i]) continue;
    if (remove_from_item && cpet_leaf_get(node, only[i])) st = cpet_leaf_remove_item(node, only[i]);
    char *child = cpet__strdup(only[i]);
    if (!child) {
      st = cpet__err(CPET_ERR_NOMEM, "delete_only");
      break;
    }
    for (char *q = child; *q; q++)
      if (*q == '.') *q = '/';
    if (st == CPET_OK && cpet__h5_link_exists(g, child)) {
      if (H5Ldelete(g, child, H5P_DEFAULT) < 0) st = cpet__h5_err("H5Ldelete", child);
    } else if (st == CPET_OK) {
      cpet__log(CPET_LOG_WARN, "store", "could not delete '%s' from '%s': HDF5 node not found",
                only[i], cpet_node_full_name(node));
    }
    cpet_free(child);
  }
  H5Gclose(g);
  return st;
}

static cpet_status cpet_store_delete_impl(cpet_store *s, cpet_traj *traj, cpet_node *node,
                                          const char *const *delete_only, size_t ndelete_only,
                                          int remove_from_item, int recursive) {
  if (!s || !traj || !node) return cpet__err(CPET_ERR_INVAL, "cpet_store_delete: NULL argument");
  if (s->lazy) return CPET_OK;
  if (node == cpet_traj_root(traj))
    return cpet__err(CPET_ERR_INVAL, "cannot delete the trajectory root this way");
  if (cpet_node_kind_of(node) == CPET_NODE_LINK)
    return cpet__err(CPET_ERR_INVAL, "'%s' is a link: use cpet_store_delete_link",
                     cpet_node_full_name(node));
  if (delete_only && cpet_node_kind_of(node) != CPET_NODE_LEAF)
    return cpet__err(CPET_ERR_INVAL, "delete_only works for leaves only, '%s' is a group",
                     cpet_node_full_name(node));
  CPET__CHECK(check_explored(traj, node));
  CPET__CHECK(cpet__maint_begin_write(s, cpet_traj_name(traj)));
  char *path = cpet__maint_path(cpet_traj_name(traj), cpet_node_full_name(node));
  if (!path) return cpet__err(CPET_ERR_NOMEM, "delete path");
  cpet_status st = CPET_OK;
  if (!cpet__h5_link_exists(s->file, path)) {
    st = cpet__err(CPET_ERR_NOTSTORED, "'%s' is not in '%s'", cpet_node_full_name(node),
                   s->filename);
  } else if (delete_only) {
    st = delete_parts(s, node, path, delete_only, ndelete_only, remove_from_item);
  } else {
    hsize_t nchild = 0;
    st = count_children(s->file, path, &nchild);
    if (st == CPET_OK && cpet_node_kind_of(node) == CPET_NODE_GROUP && !recursive && nchild)
      st = cpet__err(CPET_ERR_STATE,
                     "group '%s' has children in the file; pass recursive to delete them too",
                     cpet_node_full_name(node));
    /* Cached overview tables and purge maps must not outlive what they describe. */
    if (st == CPET_OK) cpet__store_state_drop(s);
    if (st == CPET_OK) st = cpet__maint_unlink(s->file, path);
    if (st == CPET_OK) cpet__maint_unstore(traj, node);
  }
  cpet_free(path);
  return st;
}

/* ---- DELETE_LINK ---- */

static cpet_status cpet_store_delete_link_impl(cpet_store *s, cpet_traj *traj,
                                               const char *link_full_name,
                                               int remove_from_trajectory) {
  if (!s || !traj || !link_full_name || !*link_full_name)
    return cpet__err(CPET_ERR_INVAL, "cpet_store_delete_link: NULL argument");
  if (s->lazy) return CPET_OK;
  CPET__CHECK(cpet__maint_begin_write(s, cpet_traj_name(traj)));
  char *path = cpet__maint_path(cpet_traj_name(traj), link_full_name);
  if (!path) return cpet__err(CPET_ERR_NOMEM, "link path");
  char *slash = strrchr(path, '/');
  *slash = '\0';
  cpet_status st = CPET_OK;
  hid_t parent = cpet__h5_link_exists(s->file, path) ? H5Gopen2(s->file, path, H5P_DEFAULT) : -1;
  int kind = parent >= 0 ? cpet__h5_child_kind(parent, slash + 1, NULL) : 0;
  if (kind == 0)
    st = cpet__err(CPET_ERR_NOTSTORED, "link '%s' is not in '%s'", link_full_name, s->filename);
  else if (kind != 3)
    st = cpet__err(CPET_ERR_TYPE, "'%s' is not a link", link_full_name);
  else if (H5Ldelete(parent, slash + 1, H5P_DEFAULT) < 0)
    st = cpet__h5_err("H5Ldelete", link_full_name);
  cpet__h5_close(parent);
  cpet_free(path);
  if (st == CPET_OK && remove_from_trajectory) {
    cpet_node *n = cpet__traj_find_exact(traj, link_full_name);
    if (n && cpet_node_kind_of(n) == CPET_NODE_LINK) st = cpet_traj_remove(traj, n, 0);
  }
  return st;
}

/* Public entry points: the error policy applies where a status leaves the library. */
cpet_status cpet_store_delete(cpet_store *s, cpet_traj *traj, cpet_node *node,
                              const char *const *delete_only, size_t ndelete_only,
                              int remove_from_item, int recursive) {
  return cpet__raise(cpet_store_delete_impl(s, traj, node, delete_only, ndelete_only,
                                            remove_from_item, recursive));
}

cpet_status cpet_store_delete_link(cpet_store *s, cpet_traj *traj, const char *link_full_name,
                                   int remove_from_trajectory) {
  return cpet__raise(cpet_store_delete_link_impl(s, traj, link_full_name, remove_from_trajectory));
}
