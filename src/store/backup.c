/* backup.c - the BACKUP message (spec 13, pypet's _trj_backup_trajectory): a recursive copy of
 * the trajectory group into another file, `backup_<traj>.hdf5` beside the source by default. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "h5/h5_close_int.h"
#include "h5/h5_int.h"
#include "store/maint_int.h"

/* pypet's os.path.join(dirname(filename), "backup_<traj>.hdf5"). */
static char *default_name(const char *filename, const char *traj) {
  const char *slash = strrchr(filename, '/');
  if (!slash) return cpet__asprintf("backup_%s.hdf5", traj);
  return cpet__asprintf("%.*sbackup_%s.hdf5", (int)(slash - filename + 1), filename, traj);
}

/* PyTables' root attributes of a new file; pypet titles the backup file with its name. */
static cpet_status root_attrs(hid_t f, const char *title) {
  hid_t root = H5Gopen2(f, "/", H5P_DEFAULT);
  if (root < 0) return cpet__h5_err("H5Gopen2", "/");
  cpet_status st = cpet__h5_attr_write_str(root, "CLASS", "GROUP");
  if (st == CPET_OK) st = cpet__h5_attr_write_str(root, "PYTABLES_FORMAT_VERSION", "2.1");
  if (st == CPET_OK) st = cpet__h5_attr_write_str(root, "TITLE", title);
  if (st == CPET_OK) st = cpet__h5_attr_write_str(root, "VERSION", "1.0");
  H5Gclose(root);
  return st;
}

/* Opens (or creates) the backup file read-write; *created says it is new. */
static cpet_status open_backup(const char *fn, hid_t *out, int *created) {
  struct stat sb;
  *out = -1;
  *created = 0;
  if (stat(fn, &sb) == 0) {
    if (S_ISDIR(sb.st_mode)) return cpet__err(CPET_ERR_INVAL, "backup '%s' is a folder", fn);
    htri_t is;
    H5E_BEGIN_TRY { is = H5Fis_hdf5(fn); }
    H5E_END_TRY;
    if (is <= 0) return cpet__err(CPET_ERR_NOTHDF5, "backup file '%s' is not an HDF5 file", fn);
    *out = H5Fopen(fn, H5F_ACC_RDWR, H5P_DEFAULT);
    if (*out < 0) return cpet__h5_err("H5Fopen", fn);
    return CPET_OK;
  }
  *out = H5Fcreate(fn, H5F_ACC_EXCL, H5P_DEFAULT, H5P_DEFAULT);
  if (*out < 0) return cpet__h5_err("H5Fcreate", fn);
  *created = 1;
  cpet_status st = root_attrs(*out, fn);
  if (st != CPET_OK) {
    H5Fclose(*out);
    *out = -1;
    remove(fn);
  }
  return st;
}

static cpet_status cpet_store_backup_impl(cpet_store *s, const char *traj,
                                          const char *backup_filename) {
  if (!s || !traj || !*traj) return cpet__err(CPET_ERR_INVAL, "cpet_store_backup: NULL argument");
  if (s->lazy) return CPET_OK;
  if (backup_filename && !*backup_filename) backup_filename = NULL;
  if (s->file < 0) {
    if (!s->filename) return cpet__err(CPET_ERR_STATE, "file name not known yet");
    CPET__CHECK(cpet__store_ensure_open(s, traj));
  }
  htri_t e = H5Lexists(s->file, traj, H5P_DEFAULT);
  if (e < 0) return cpet__h5_err("H5Lexists", traj);
  if (e == 0) return cpet__err(CPET_ERR_NOTFOUND, "no trajectory '%s' in '%s'", traj, s->filename);
  char *fn = backup_filename ? cpet__strdup(backup_filename) : default_name(s->filename, traj);
  if (!fn) return cpet__err(CPET_ERR_NOMEM, "backup file name");
  cpet_status st = CPET_OK;
  if (cpet__maint_same_file(fn, s->filename)) {
    st = cpet__err(CPET_ERR_INVAL, "cannot back up '%s' onto its own file '%s'", traj, fn);
    cpet_free(fn);
    return st;
  }
  /* Data written through this store must be visible in the copy. */
  if (s->mode != CPET_OPEN_READ && H5Fflush(s->file, H5F_SCOPE_LOCAL) < 0) {
    cpet_free(fn);
    return cpet__h5_err("H5Fflush", s->filename);
  }
  hid_t bf = -1;
  int created = 0;
  st = open_backup(fn, &bf, &created);
  if (st == CPET_OK) {
    e = H5Lexists(bf, traj, H5P_DEFAULT);
    if (e != 0)
      st = e < 0 ? cpet__h5_err("H5Lexists", traj)
                 : cpet__err(CPET_ERR_EXISTS,
                             "cannot back up '%s' into '%s': there is already a trajectory "
                             "with that name",
                             traj, fn);
  }
  if (st == CPET_OK && H5Ocopy(s->file, traj, bf, traj, H5P_DEFAULT, H5P_DEFAULT) < 0)
    st = cpet__h5_err("H5Ocopy", traj);
  if (bf >= 0) { /* flushes; a failure must not crash HDF5 later (h5close.c) */
    cpet_status cst = cpet__h5_close_file_safely(bf, fn);
    if (st == CPET_OK) st = cst;
  }
  if (st != CPET_OK && created) remove(fn);
  if (st == CPET_OK) cpet__log(CPET_LOG_INFO, "store", "backed up '%s' into '%s'", traj, fn);
  cpet_free(fn);
  return st;
}

/* Public entry points: the error policy applies where a status leaves the library. */
cpet_status cpet_store_backup(cpet_store *s, const char *traj, const char *backup_filename) {
  return cpet__raise(cpet_store_backup_impl(s, traj, backup_filename));
}
