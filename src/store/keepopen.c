/* keepopen.c - OPEN_FILE / CLOSE_FILE / FLUSH (pypet's keep-open protocol). cpet holds the file
 * open between calls anyway; these calls let a program release it (e.g. for another process)
 * and take it back, and tell whether it is open (shared data need it). */
#include "h5/h5_close_int.h"
#include "h5/h5_int.h"
#include "store/maint_int.h"
#include "store/overview_int.h"

int cpet_store_is_open(const cpet_store *s) { return s && !s->lazy && s->file >= 0; }

static cpet_status cpet_store_open_file_impl(cpet_store *s) {
  if (!s) return cpet__err(CPET_ERR_INVAL, "store is NULL");
  if (s->lazy) return CPET_OK;
  if (s->file >= 0) return cpet__err(CPET_ERR_STATE, "file '%s' is open already", s->filename);
  if (!s->filename) return cpet__err(CPET_ERR_STATE, "file name not known yet");
  return cpet__store_ensure_open(s, NULL);
}

static cpet_status cpet_store_close_file_impl(cpet_store *s) {
  if (!s) return cpet__err(CPET_ERR_INVAL, "store is NULL");
  if (s->lazy) return CPET_OK;
  if (s->file < 0)
    return cpet__err(CPET_ERR_STATE, "file '%s' is not open",
                     s->filename ? s->filename : "(unnamed)");
  cpet_status st = s->failed ? CPET_OK : cpet_store_flush(s);
  /* Cached overview tables hold ids of this file. */
  cpet__store_state_drop(s);
  /* a failed close of a writable file must not crash HDF5 later (h5close.c) */
  cpet_status cst = cpet__h5_close_file_safely(s->file, s->filename);
  if (st == CPET_OK && !s->failed) st = cst;
  s->file = -1;
  /* Reopening must not truncate what was written. */
  if (s->mode == CPET_OPEN_CREATE) s->mode = CPET_OPEN_APPEND;
  s->opts.overwrite_file = 0;
  return st;
}

static cpet_status cpet_store_flush_file_impl(cpet_store *s) {
  if (!s) return cpet__err(CPET_ERR_INVAL, "store is NULL");
  if (s->lazy) return CPET_OK;
  if (s->file < 0)
    return cpet__err(CPET_ERR_STATE, "cannot flush '%s': the file is not open",
                     s->filename ? s->filename : "(unnamed)");
  return cpet_store_flush(s);
}

/* Public entry points: the error policy applies where a status leaves the library. */
cpet_status cpet_store_open_file(cpet_store *s) {
  return cpet__raise(cpet_store_open_file_impl(s));
}

cpet_status cpet_store_close_file(cpet_store *s) {
  return cpet__raise(cpet_store_close_file_impl(s));
}

cpet_status cpet_store_flush_file(cpet_store *s) {
  return cpet__raise(cpet_store_flush_file_impl(s));
}
