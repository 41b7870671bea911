/* recover.c - cpet_recover: a complete file from a sweep's skeleton and journal.
 *
 * The skeleton (<name>.skel) is a closed HDF5 file written before the first run; the journal
 * holds every acknowledged run record. Recovery copies the skeleton to <out>.partial, loads
 * the trajectory from it, stores each intact journal record as the writer would have
 * (SINGLE_RUN, runs row completed = 1), stores the trajectory and renames the result to <out>.
 * It never modifies the journal or the skeleton, so it can be repeated and a resume can
 * follow. No MPI needed. */
#include <string.h>
#include <unistd.h>

#include "writer/writer_int.h"
#include <cpet/cpet_mpi.h>

static int ends_with(const char *s, const char *suffix) {
  size_t n = strlen(s), k = strlen(suffix);
  return n >= k && strcmp(s + n - k, suffix) == 0;
}

static cpet_status cpet_recover_impl(const char *journal_or_file, const char *out_file) {
  if (!journal_or_file || !*journal_or_file)
    return cpet__err(CPET_ERR_INVAL, "cpet_recover: no journal or file name");
  char *base = NULL, *journal = NULL, *skel = NULL, *out = NULL, *partial = NULL;
  if (ends_with(journal_or_file, ".journal"))
    base = cpet__strndup(journal_or_file, strlen(journal_or_file) - strlen(".journal"));
  else
    base = cpet__strdup(journal_or_file);
  if (base) {
    journal = cpet__asprintf("%s.journal", base);
    skel = cpet__asprintf("%s.skel", base);
    out = out_file ? cpet__strdup(out_file) : cpet__strdup(base);
  }
  if (out) partial = cpet__asprintf("%s.partial", out);
  cpet_status st = CPET_OK;
  cpet_store *store = NULL;
  cpet_traj *traj = NULL;
  int64_t nruns = 0, nrec = 0, n = 0;
  if (!base || !journal || !skel || !out || !partial) {
    st = cpet__err(CPET_ERR_NOMEM, "paths");
    goto done;
  }
  st = cpet__journal_read(journal, NULL, &nruns, NULL, NULL, NULL, &nrec);
  if (st != CPET_OK) goto done;
  if (access(skel, R_OK) != 0) {
    st = cpet__err(CPET_ERR_NOTFOUND, "skeleton '%s' of journal '%s' is missing", skel, journal);
    goto done;
  }
  st = cpet__copy_file(skel, partial);
  if (st == CPET_OK) st = cpet_store_open(partial, CPET_OPEN_APPEND, NULL, &store);
  if (st == CPET_OK) {
    cpet_load_opts lo = CPET_LOAD_OPTS_ALL;
    st = cpet_store_load_traj(store, &lo, &traj);
  }
  if (st == CPET_OK && (int64_t)cpet_traj_length(traj) != nruns)
    st = cpet__err(CPET_ERR_INCONSISTENT, "skeleton has %zu runs, journal %lld",
                   cpet_traj_length(traj), (long long)nruns);
  unsigned char *seen = NULL;
  if (st == CPET_OK && !(seen = cpet__calloc((size_t)(nruns ? nruns : 1), 1)))
    st = cpet__err(CPET_ERR_NOMEM, "run flags");
  if (st == CPET_OK) st = cpet__writer_replay(store, traj, journal, seen, nruns, &n);
  cpet_free(seen);
  if (st == CPET_OK) st = cpet_store_traj(store, traj, CPET_STORE_DATA, 0);
  if (st == CPET_OK) {
    st = cpet__writer_publish(store, partial, out);
    store = NULL;
  }
  if (st == CPET_OK)
    cpet__log(CPET_LOG_INFO, "recover", "'%s': %lld of %lld runs recovered from %lld records", out,
              (long long)n, (long long)nruns, (long long)nrec);
done:
  if (store) cpet_store_close(store);
  if (st != CPET_OK && partial) unlink(partial);
  cpet_traj_free(traj);
  cpet_free(base);
  cpet_free(journal);
  cpet_free(skel);
  cpet_free(out);
  cpet_free(partial);
  return st;
}

/* Public entry points: the error policy applies where a status leaves the library. */
cpet_status cpet_recover(const char *journal_or_file, const char *out_file) {
  return cpet__raise(cpet_recover_impl(journal_or_file, out_file));
}
