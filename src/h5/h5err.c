/* h5err.c - HDF5 library setup and the translation of HDF5's error stack into cpet statuses.
 * HDF5's own printing is switched off once; every failing H5* call is reported through
 * cpet__h5_err, which walks the stack (innermost entry first) for a one-line message. */
#include <errno.h>
#include <pthread.h>
#include <string.h>

#include "filter/filter_int.h"
#include "h5/h5_close_int.h"
#include "h5/h5_int.h"

static pthread_once_t h5_once = PTHREAD_ONCE_INIT;
static cpet_status h5_init_status = CPET_OK;

static void h5_init_once(void) {
  if (H5open() < 0) {
    h5_init_status = CPET_ERR_HDF5;
    return;
  }
  /* Library code never prints: errors reach the caller through cpet_errmsg(). */
  H5Eset_auto2(H5E_DEFAULT, NULL, NULL);
  h5_init_status = cpet__filter_register_all();
}

cpet_status cpet__h5_init(void) {
  if (cpet__h5_quarantined())
    return cpet__err(CPET_ERR_STATE, "HDF5 is unusable in this process after a file could not "
                                     "be flushed or closed (disk full or I/O error)");
  pthread_once(&h5_once, h5_init_once);
  /* Threads other than the first have their own default stack in thread-safe builds. */
  H5Eset_auto2(H5E_DEFAULT, NULL, NULL);
  if (h5_init_status != CPET_OK)
    return cpet__err(h5_init_status, "HDF5 initialisation failed (filters or H5open)");
  return CPET_OK;
}

typedef struct {
  int n;
  char inner[256]; /* innermost description */
  char func[64];
  char file[64]; /* copied: the stack's strings die with it */
  unsigned line;
  int nospace, io;
} walk_state;

static herr_t walk_cb(unsigned n, const H5E_error2_t *e, void *ud) {
  walk_state *w = ud;
  const char *d = e->desc ? e->desc : "";
  if (n == 0) {
    snprintf(w->inner, sizeof w->inner, "%s", d);
    snprintf(w->func, sizeof w->func, "%s", e->func_name ? e->func_name : "?");
    const char *fn = e->file_name ? strrchr(e->file_name, '/') : NULL;
    snprintf(w->file, sizeof w->file, "%s", fn ? fn + 1 : e->file_name ? e->file_name : "?");
    w->line = e->line;
  }
  /* Disk full shows up as a sec2 write failure carrying errno 28 in the text. */
  if (strstr(d, "No space") || strstr(d, "errno = 28")) w->nospace = 1;
  if (e->min_num == H5E_WRITEERROR || e->min_num == H5E_READERROR || e->min_num == H5E_SEEKERROR ||
      e->min_num == H5E_CLOSEERROR)
    w->io = 1;
  w->n++;
  return 0;
}

cpet_status cpet__h5_err(const char *what, const char *path) {
  /* The OS's report of the failing write: the HDF5 stack may have been cleared by a cleanup
   * call (H5Sclose, H5Dclose) before this runs, so errno is the reliable witness of a full
   * disk wherever the failure surfaced. */
  int os_err = errno;
  walk_state w;
  memset(&w, 0, sizeof w);
  hid_t stack = H5Eget_current_stack();
  if (stack >= 0) {
    H5Ewalk2(stack, H5E_WALK_UPWARD, walk_cb, &w);
    H5Eclose_stack(stack);
  }
  if (os_err == ENOSPC || os_err == EDQUOT) w.nospace = 1;
  cpet_status st = w.nospace ? CPET_ERR_NOSPACE : (w.io ? CPET_ERR_IO : CPET_ERR_HDF5);
  if (w.n == 0)
    return cpet__err(st, "%s '%s': HDF5 call failed", what ? what : "HDF5", path ? path : "");
  return cpet__err(st, "%s '%s': %s (%s, %s:%u)", what ? what : "HDF5", path ? path : "", w.inner,
                   w.func, w.file, w.line);
}

void cpet__h5_close(hid_t id) {
  if (id < 0) return;
  /* The id may be of any kind; close it by its type and discard errors (cleanup path). */
  H5E_BEGIN_TRY {
    switch (H5Iget_type(id)) {
    case H5I_FILE:
      H5Fclose(id);
      break;
    case H5I_GROUP:
      H5Gclose(id);
      break;
    case H5I_DATATYPE:
      H5Tclose(id);
      break;
    case H5I_DATASPACE:
      H5Sclose(id);
      break;
    case H5I_DATASET:
      H5Dclose(id);
      break;
    case H5I_ATTR:
      H5Aclose(id);
      break;
    case H5I_GENPROP_LST:
      H5Pclose(id);
      break;
    default:
      break;
    }
  }
  H5E_END_TRY;
}
