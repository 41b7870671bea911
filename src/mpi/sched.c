/* sched.c - which rank computes which run.
 *
 * Dynamic (default): the writer hands out batches of run indices on request. The batch shrinks
 * with the work left (guided self-scheduling: remaining / (2 x workers), at most batch_size,
 * at least 1), so early batches amortise the request and the last runs spread over every
 * worker. Static: block-cyclic blocks of batch_size runs, worker w taking blocks w, w + W, ...
 * with no messages at all. Runs already in the journal (resume) are skipped by both. */
#include "mpi/mpi_int.h"

void cpet__sched_take(cpet_env *e, int64_t *out, size_t cap, size_t *n) {
  *n = 0;
  if (e->sched_left < 0) {
    e->sched_left = 0;
    for (int64_t i = 0; i < e->nruns; i++)
      e->sched_left += !e->done[i];
  }
  if (!e->sched_left) return;
  int64_t k = e->sched_left / (2 * (int64_t)e->nworkers);
  if (k > (int64_t)cap) k = (int64_t)cap;
  if (k > e->opts.batch_size) k = e->opts.batch_size;
  if (k < 1) k = 1;
  while (*n < (size_t)k && e->sched_next < e->nruns) {
    if (!e->done[e->sched_next]) {
      out[(*n)++] = e->sched_next;
      e->sched_left--;
    }
    e->sched_next++;
  }
}

int64_t cpet__sched_static_next(cpet_env *e) {
  int64_t bs = e->opts.batch_size, stride = bs * (int64_t)e->nworkers;
  for (;;) {
    int64_t idx = e->static_block * stride + (int64_t)e->widx * bs + e->static_off;
    if (idx >= e->nruns) return -1;
    if (++e->static_off == bs) {
      e->static_off = 0;
      e->static_block++;
    }
    if (!e->done[idx]) return idx;
  }
}
