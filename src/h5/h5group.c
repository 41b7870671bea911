/* h5group.c - groups, links and child listings. */
#include <string.h>

#include "h5/h5_int.h"

cpet_status cpet__h5_group_open(hid_t loc, const char *path, int create, hid_t *out) {
  *out = -1;
  if (!create || cpet__h5_link_exists(loc, path)) {
    hid_t g = H5Gopen2(loc, path, H5P_DEFAULT);
    if (g < 0) {
      if (!create && !cpet__h5_link_exists(loc, path))
        return cpet__err(CPET_ERR_NOTFOUND, "group '%s' not found", path);
      return cpet__h5_err("H5Gopen2", path);
    }
    *out = g;
    return CPET_OK;
  }
  /* Create missing intermediate groups, as PyTables' createparents. */
  hid_t lcpl = H5Pcreate(H5P_LINK_CREATE);
  if (lcpl < 0 || H5Pset_create_intermediate_group(lcpl, 1) < 0) {
    cpet__h5_close(lcpl);
    return cpet__h5_err("H5Pset_create_intermediate_group", path);
  }
  hid_t g = H5Gcreate2(loc, path, lcpl, H5P_DEFAULT, H5P_DEFAULT);
  H5Pclose(lcpl);
  if (g < 0) return cpet__h5_err("H5Gcreate2", path);
  *out = g;
  return CPET_OK;
}

int cpet__h5_link_exists(hid_t loc, const char *path) {
  if (!path || !*path) return 0;
  size_t n = strlen(path);
  char *buf = cpet__strdup(path);
  if (!buf) return 0;
  int ok = 1;
  /* H5Lexists fails (rather than returning false) when an intermediate link is missing. */
  for (size_t i = 1; i <= n && ok; i++) {
    if (i == n || buf[i] == '/') {
      char c = buf[i];
      buf[i] = '\0';
      htri_t e;
      H5E_BEGIN_TRY { e = H5Lexists(loc, buf, H5P_DEFAULT); }
      H5E_END_TRY;
      ok = e > 0;
      buf[i] = c;
    }
  }
  cpet_free(buf);
  return ok;
}

typedef struct {
  char **names;
  size_t n, cap;
  int oom;
} names_ctx;

static herr_t names_cb(hid_t g, const char *name, const H5L_info_t *info, void *ud) {
  (void)g;
  (void)info;
  names_ctx *c = ud;
  if (c->n == c->cap) {
    size_t nc = c->cap ? 2 * c->cap : 16;
    char **nn = cpet__realloc(c->names, nc * sizeof *nn);
    if (!nn) {
      c->oom = 1;
      return -1;
    }
    c->names = nn;
    c->cap = nc;
  }
  if (!(c->names[c->n] = cpet__strdup(name))) {
    c->oom = 1;
    return -1;
  }
  c->n++;
  return 0;
}

void cpet__h5_free_names(char **names, size_t n) {
  if (!names) return;
  for (size_t i = 0; i < n; i++)
    cpet_free(names[i]);
  cpet_free(names);
}

cpet_status cpet__h5_list_names(hid_t grp, char ***names, size_t *n) {
  names_ctx c = {NULL, 0, 0, 0};
  hsize_t idx = 0;
  *names = NULL;
  *n = 0;
  if (H5Literate(grp, H5_INDEX_NAME, H5_ITER_INC, &idx, names_cb, &c) < 0) {
    cpet__h5_free_names(c.names, c.n);
    if (c.oom) return cpet__err(CPET_ERR_NOMEM, "listing group children");
    return cpet__h5_err("H5Literate", "");
  }
  *names = c.names;
  *n = c.n;
  return CPET_OK;
}

int cpet__h5_child_kind(hid_t grp, const char *name, char **target) {
  H5L_info_t li;
  if (target) *target = NULL;
  herr_t r;
  H5E_BEGIN_TRY { r = H5Lget_info(grp, name, &li, H5P_DEFAULT); }
  H5E_END_TRY;
  if (r < 0) return 0;
  if (li.type == H5L_TYPE_SOFT) {
    if (target) {
      char *buf = cpet__calloc(li.u.val_size + 1, 1);
      if (buf && H5Lget_val(grp, name, buf, li.u.val_size + 1, H5P_DEFAULT) >= 0)
        *target = buf;
      else
        cpet_free(buf);
    }
    return 3;
  }
  if (li.type != H5L_TYPE_HARD) return 4;
  H5O_info_t oi;
  H5E_BEGIN_TRY { r = H5Oget_info_by_name2(grp, name, &oi, H5O_INFO_BASIC, H5P_DEFAULT); }
  H5E_END_TRY;
  if (r < 0) return 4;
  return oi.type == H5O_TYPE_GROUP ? 1 : oi.type == H5O_TYPE_DATASET ? 2 : 4;
}
