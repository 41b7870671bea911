/* service.c - the storage service handle: opening/creating the HDF5 file (default sec2 driver),
 * lazy file naming as pypet does it, flush/fsync, close, and the trajectory listing. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "h5/h5_close_int.h"
#include "h5/h5_int.h"
#include "store/overview_int.h"
#include "store/store_int.h"

static int is_dir(const char *p) {
  struct stat st;
  return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

static int file_exists(const char *p) {
  struct stat st;
  return stat(p, &st) == 0;
}

/* mkdir -p of the directory part of `path` (pypet creates missing folders on store). */
static cpet_status make_parent_dirs(const char *path) {
  char *d = cpet__strdup(path);
  if (!d) return cpet__err(CPET_ERR_NOMEM, "path '%s'", path);
  char *slash = strrchr(d, '/');
  cpet_status st = CPET_OK;
  if (slash && slash != d) {
    *slash = '\0';
    for (char *p = d + 1; *p && st == CPET_OK; p++) {
      if (*p != '/') continue;
      *p = '\0';
      if (mkdir(d, 0777) != 0 && errno != EEXIST)
        st = cpet__err(CPET_ERR_IO, "cannot create folder '%s': %s", d, strerror(errno));
      *p = '/';
    }
    if (st == CPET_OK && mkdir(d, 0777) != 0 && errno != EEXIST)
      st = cpet__err(CPET_ERR_IO, "cannot create folder '%s': %s", d, strerror(errno));
  }
  cpet_free(d);
  return st;
}

static void free_store(cpet_store *s) {
  if (!s) return;
  cpet_free(s->filename);
  cpet_free(s->folder);
  cpet_free(s->opt_title);
  cpet_free(s->opt_encoding);
  cpet_free(s->opt_pypet);
  cpet_free(s->opt_python);
  cpet_free(s);
}

static cpet_status copy_opts(cpet_store *s, const cpet_store_opts *o) {
  cpet_store_opts def = CPET_STORE_OPTS_DEFAULT;
  s->opts = o ? *o : def;
  if (s->opts.file_title && !(s->opt_title = cpet__strdup(s->opts.file_title)))
    return cpet__err(CPET_ERR_NOMEM, "store options");
  s->opt_encoding = cpet__strdup(s->opts.encoding ? s->opts.encoding : "utf8");
  s->opt_pypet = cpet__strdup(s->opts.pypet_version ? s->opts.pypet_version : "0.7.0");
  s->opt_python = cpet__strdup(s->opts.python_version ? s->opts.python_version : "3.11.2");
  if (!s->opt_encoding || !s->opt_pypet || !s->opt_python)
    return cpet__err(CPET_ERR_NOMEM, "store options");
  s->opts.file_title = s->opt_title;
  s->opts.encoding = s->opt_encoding;
  s->opts.pypet_version = s->opt_pypet;
  s->opts.python_version = s->opt_python;
  return CPET_OK;
}

/* Distinguishes "not HDF5", "truncated/corrupt HDF5" and other open failures. */
static cpet_status open_error(const char *fn) {
  htri_t is;
  H5E_BEGIN_TRY { is = H5Fis_hdf5(fn); }
  H5E_END_TRY;
  if (is == 0) return cpet__err(CPET_ERR_NOTHDF5, "'%s' is not an HDF5 file", fn);
  cpet_status st = cpet__h5_err("H5Fopen", fn);
  const char *m = cpet_errmsg();
  if (st == CPET_ERR_NOSPACE) return st;
  if (is < 0 || strstr(m, "truncated") || strstr(m, "eof") || strstr(m, "signature") ||
      strstr(m, "superblock") || st == CPET_ERR_IO) {
    char *copy = cpet__strdup(m);
    st = cpet__err(is < 0 ? CPET_ERR_NOTHDF5 : CPET_ERR_CORRUPT,
                   "'%s' is a truncated or corrupt HDF5 file (%s)", fn, copy ? copy : "");
    cpet_free(copy);
  }
  return st;
}

/* Writes PyTables' root attributes on a freshly created file (informational, spec 2.2). */
static cpet_status init_root(hid_t f, const char *title) {
  hid_t root = H5Gopen2(f, "/", H5P_DEFAULT);
  if (root < 0) return cpet__h5_err("H5Gopen2", "/");
  cpet_status st = cpet__h5_attr_write_str(root, "CLASS", "GROUP");
  if (st == CPET_OK) st = cpet__h5_attr_write_str(root, "PYTABLES_FORMAT_VERSION", "2.1");
  if (st == CPET_OK) st = cpet__h5_attr_write_str(root, "TITLE", title ? title : "");
  if (st == CPET_OK) st = cpet__h5_attr_write_str(root, "VERSION", "1.0");
  H5Gclose(root);
  return st;
}

static cpet_status open_file(cpet_store *s, const char *title) {
  const char *fn = s->filename;
  hid_t fapl = H5Pcreate(H5P_FILE_ACCESS);
  if (fapl < 0) return cpet__h5_err("H5Pcreate", fn);
  /* Strong close: cpet_store_close must really release the file even if an id leaked. */
  if (H5Pset_fclose_degree(fapl, H5F_CLOSE_STRONG) < 0 || H5Pset_fapl_sec2(fapl) < 0) {
    H5Pclose(fapl);
    return cpet__h5_err("H5Pset_fapl_sec2", fn);
  }
  int exists = file_exists(fn);
  cpet_status st = CPET_OK;
  hid_t f = -1;
  int truncate =
      s->mode == CPET_OPEN_CREATE || (s->mode == CPET_OPEN_APPEND && s->opts.overwrite_file);
  if (s->mode == CPET_OPEN_READ && !exists) {
    st = cpet__err(CPET_ERR_NOTFOUND, "file '%s' does not exist", fn);
  } else if (exists && is_dir(fn)) {
    st = cpet__err(CPET_ERR_INVAL, "'%s' is a folder", fn);
  } else if (exists && !truncate) {
    htri_t is;
    H5E_BEGIN_TRY { is = H5Fis_hdf5(fn); }
    H5E_END_TRY;
    if (is == 0) {
      st = cpet__err(CPET_ERR_NOTHDF5, "'%s' is not an HDF5 file", fn);
    } else {
      f = H5Fopen(fn, s->mode == CPET_OPEN_READ ? H5F_ACC_RDONLY : H5F_ACC_RDWR, fapl);
      if (f < 0) st = open_error(fn);
    }
  } else {
    st = make_parent_dirs(fn);
    if (st == CPET_OK) {
      f = H5Fcreate(fn, H5F_ACC_TRUNC, H5P_DEFAULT, fapl);
      if (f < 0)
        st = cpet__h5_err("H5Fcreate", fn);
      else if ((st = init_root(f, s->opts.file_title ? s->opts.file_title : title)) != CPET_OK) {
        H5Fclose(f);
        f = -1;
      }
    }
  }
  H5Pclose(fapl);
  if (st != CPET_OK) return st;
  s->file = f;
  cpet__log(CPET_LOG_INFO, "store", "opened '%s' (mode %d)", fn, (int)s->mode);
  return CPET_OK;
}

static cpet_status cpet_store_open_impl(const char *filename, cpet_open_mode mode,
                                        const cpet_store_opts *opts, cpet_store **out) {
  if (!out) return cpet__err(CPET_ERR_INVAL, "cpet_store_open: out is NULL");
  *out = NULL;
  if (mode != CPET_OPEN_READ && mode != CPET_OPEN_APPEND && mode != CPET_OPEN_CREATE)
    return cpet__err(CPET_ERR_INVAL, "cpet_store_open: unknown mode %d", (int)mode);
  if (filename && !*filename) filename = NULL;
  CPET__CHECK(cpet__h5_init());
  cpet_store *s = cpet__calloc(1, sizeof *s);
  if (!s) return cpet__err(CPET_ERR_NOMEM, "cpet_store_open");
  s->file = -1;
  s->mode = mode;
  cpet_status st = copy_opts(s, opts);
  if (st == CPET_OK && filename) {
    size_t n = strlen(filename);
    if (filename[n - 1] == '/' || is_dir(filename)) {
      /* Folder only: the trajectory name completes it at the first store/load. */
      s->folder = filename[n - 1] == '/' ? cpet__strdup(filename) : cpet__asprintf("%s/", filename);
      if (!s->folder) st = cpet__err(CPET_ERR_NOMEM, "cpet_store_open");
    } else if (!(s->filename = cpet__strdup(filename))) {
      st = cpet__err(CPET_ERR_NOMEM, "cpet_store_open");
    } else {
      st = open_file(s, NULL);
    }
  }
  if (st != CPET_OK) {
    free_store(s);
    return st;
  }
  *out = s;
  return CPET_OK;
}

cpet_status cpet__store_ensure_open(cpet_store *s, const char *traj_name) {
  if (!s) return cpet__err(CPET_ERR_INVAL, "store is NULL");
  if (s->lazy) return cpet__err(CPET_ERR_STATE, "the lazy service has no file");
  if (s->failed)
    return cpet__err(CPET_ERR_STATE, "the store failed earlier; only close is allowed");
  if (s->file >= 0) return CPET_OK;
  if (!s->filename) {
    if (!traj_name || !*traj_name)
      return cpet__err(CPET_ERR_STATE, "file name not known yet (no trajectory name)");
    s->filename = s->folder ? cpet__asprintf("%s%s.hdf5", s->folder, traj_name)
                            : cpet__asprintf("./hdf5/%s.hdf5", traj_name);
    if (!s->filename) return cpet__err(CPET_ERR_NOMEM, "file name");
  }
  cpet_status st = open_file(s, traj_name);
  if (st != CPET_OK && !s->folder) {
    /* Keep the handle reusable: a later call may retry with the same derived name. */
  }
  return st;
}

cpet_status cpet__store_check_writable(cpet_store *s) {
  if (!s) return cpet__err(CPET_ERR_INVAL, "store is NULL");
  if (s->failed)
    return cpet__err(CPET_ERR_STATE, "the store failed earlier; only close is allowed");
  if (s->mode == CPET_OPEN_READ)
    return cpet__err(CPET_ERR_STATE, "store '%s' is opened read-only",
                     s->filename ? s->filename : "(unnamed)");
  return CPET_OK;
}

static cpet_status cpet_store_close_impl(cpet_store *s) {
  if (!s) return CPET_OK;
  cpet_status st = CPET_OK;
  /* Cached overview tables and purge maps hold HDF5 ids of this file: release them first. */
  cpet__store_state_drop(s);
  if (s->file >= 0) {
    /* A failed H5Fclose would crash HDF5 at exit: flush first, divert on failure (h5close.c). */
    st = cpet__h5_close_file_safely(s->file, s->filename);
    if (s->failed) st = CPET_OK; /* the earlier error was reported */
    s->file = -1;
  }
  free_store(s);
  return st;
}

static cpet_status cpet_store_flush_impl(cpet_store *s) {
  if (!s) return cpet__err(CPET_ERR_INVAL, "store is NULL");
  if (s->lazy || s->file < 0) return CPET_OK;
  if (s->failed)
    return cpet__err(CPET_ERR_STATE, "the store failed earlier; only close is allowed");
  if (s->mode == CPET_OPEN_READ) return CPET_OK;
  if (H5Fflush(s->file, H5F_SCOPE_GLOBAL) < 0) return cpet__h5_err("H5Fflush", s->filename);
  hid_t fapl = H5Fget_access_plist(s->file);
  void *handle = NULL;
  cpet_status st = CPET_OK;
  if (fapl < 0 || H5Fget_vfd_handle(s->file, fapl, &handle) < 0 || !handle)
    st = cpet__h5_err("H5Fget_vfd_handle", s->filename);
  else if (fsync(*(int *)handle) != 0)
    st = cpet__err(errno == ENOSPC ? CPET_ERR_NOSPACE : CPET_ERR_IO, "fsync '%s': %s", s->filename,
                   strerror(errno));
  cpet__h5_close(fapl);
  return st;
}

const char *cpet_store_filename(const cpet_store *s) { return s ? s->filename : NULL; }

const cpet_store_opts *cpet_store_get_opts(const cpet_store *s) { return s ? &s->opts : NULL; }

static int cmp_str(const void *a, const void *b) {
  return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static cpet_status cpet_store_list_trajectories_impl(cpet_store *s, char **names, size_t *n) {
  if (!s || !names || !n) return cpet__err(CPET_ERR_INVAL, "cpet_store_list_trajectories");
  *names = NULL;
  *n = 0;
  if (s->lazy) return CPET_OK;
  if (s->file < 0) {
    if (!s->filename) return cpet__err(CPET_ERR_STATE, "file name not known yet");
    CPET__CHECK(cpet__store_ensure_open(s, NULL));
  }
  hid_t root = H5Gopen2(s->file, "/", H5P_DEFAULT);
  if (root < 0) return cpet__h5_err("H5Gopen2", "/");
  char **all = NULL;
  size_t nall = 0, ntraj = 0, bytes = 0;
  cpet_status st = cpet__h5_list_names(root, &all, &nall);
  for (size_t i = 0; st == CPET_OK && i < nall; i++) {
    char *p = cpet__asprintf("%s/overview/info", all[i]);
    if (!p) {
      st = cpet__err(CPET_ERR_NOMEM, "listing trajectories");
      break;
    }
    int ok = cpet__h5_child_kind(root, all[i], NULL) == 1 && cpet__h5_link_exists(root, p);
    cpet_free(p);
    if (ok) {
      all[ntraj] = all[i];
      if (ntraj != i) all[i] = NULL;
      bytes += strlen(all[ntraj]) + 1;
      ntraj++;
    } else {
      cpet_free(all[i]);
      all[i] = NULL;
    }
  }
  H5Gclose(root);
  if (st == CPET_OK && ntraj) {
    qsort(all, ntraj, sizeof *all, cmp_str);
    char *buf = cpet__malloc(bytes);
    if (!buf)
      st = cpet__err(CPET_ERR_NOMEM, "listing trajectories");
    else {
      char *p = buf;
      for (size_t i = 0; i < ntraj; i++) {
        size_t l = strlen(all[i]) + 1;
        memcpy(p, all[i], l);
        p += l;
      }
      *names = buf;
      *n = ntraj;
    }
  }
  cpet__h5_free_names(all, nall);
  return st;
}

cpet_status cpet_store_open_lazy(cpet_store **out) {
  if (!out) return cpet__err(CPET_ERR_INVAL, "cpet_store_open_lazy: out is NULL");
  cpet_store *s = cpet__calloc(1, sizeof *s);
  if (!s) return cpet__err(CPET_ERR_NOMEM, "cpet_store_open_lazy");
  s->file = -1;
  s->lazy = 1;
  s->mode = CPET_OPEN_APPEND;
  cpet_status st = copy_opts(s, NULL);
  if (st != CPET_OK) {
    free_store(s);
    return st;
  }
  *out = s;
  return CPET_OK;
}

/* Public entry points: the error policy applies where a status leaves the library. */
cpet_status cpet_store_open(const char *filename, cpet_open_mode mode, const cpet_store_opts *opts,
                            cpet_store **out) {
  return cpet__raise(cpet_store_open_impl(filename, mode, opts, out));
}

cpet_status cpet_store_close(cpet_store *s) { return cpet__raise(cpet_store_close_impl(s)); }

cpet_status cpet_store_flush(cpet_store *s) { return cpet__raise(cpet_store_flush_impl(s)); }

cpet_status cpet_store_list_trajectories(cpet_store *s, char **names, size_t *n) {
  return cpet__raise(cpet_store_list_trajectories_impl(s, names, n));
}
