/* summary.c - the summary tables and purge_duplicate_comments with cpet's rule (spec 9.1), plus
 * the small state a store keeps per trajectory between calls.
 *
 * The rule: instances of a result/derived parameter across runs are one item when their full
 * names are equal with the run and run-set segments wildcarded. Per item and comment text the
 * comment attribute lives on the instance with the lowest run index; every other instance with
 * the same text has none. When a lower run with that text is stored later, the attribute moves
 * (written there, removed from the previous holder) and the summary row is pointed at it. So
 * every distinct comment text of an item survives once, whatever the storage order.
 *
 * The per-item state (a hash map keyed by "<wildcarded name>\n<sha1>") lives in memory and is
 * rebuilt from the summary table when a file is (re)opened, so it works across calls and scales
 * with the number of items, not of runs. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "h5/h5_close_int.h"
#include "h5/h5_int.h"
#include "store/overview_int.h"
#include "tree/tree_int.h"

#if defined(__has_include)
#if __has_include("core/hash_int.h")
#include "core/hash_int.h"
#define CPET__HAVE_HASH_INT 1
#endif
#endif
#ifndef CPET__HAVE_HASH_INT
void cpet__sha1_hex(const void *data, size_t n, char out[41]); /* src/core/sha1.c */
#endif

typedef struct pentry {
  char *key;    /* wildcarded full name '\n' hexdigest */
  char *holder; /* full name of the instance carrying the attribute */
  int64_t run;  /* its run index (-1: outside runs) */
  hsize_t row;  /* summary table row */
} pentry;

typedef struct pmap {
  pentry **slots;
  size_t cap, n;
  int loaded;
} pmap;

struct cpet__tstate {
  cpet_store *s;
  hid_t file;
  char *traj;
  pmap maps[2]; /* derived_parameters_summary, results_summary */
  uint64_t *runhash;
  size_t nrunhash;
  cpet__ovtab tab[CPET__OV_COUNT]; /* tables kept open while the file is (dset -1: none) */
  struct cpet__tstate *next;
};

static struct cpet__tstate *g_states;
static int g_atexit;

static void map_free(pmap *m) {
  for (size_t i = 0; i < m->cap; i++)
    if (m->slots[i]) {
      cpet_free(m->slots[i]->key);
      cpet_free(m->slots[i]->holder);
      cpet_free(m->slots[i]);
    }
  cpet_free(m->slots);
  memset(m, 0, sizeof *m);
}

static void close_tabs(struct cpet__tstate *t) {
  /* After a failed flush/close HDF5 must not be called again (h5close.c): leave the ids. */
  if (cpet__h5_quarantined()) return;
  for (int k = 0; k < CPET__OV_COUNT; k++) {
    /* After the service closed the file (H5F_CLOSE_STRONG) these ids are already invalid. */
    H5E_BEGIN_TRY { cpet__ov_close(&t->tab[k]); }
    H5E_END_TRY;
  }
}

static void state_reset(struct cpet__tstate *t) {
  close_tabs(t);
  map_free(&t->maps[0]);
  map_free(&t->maps[1]);
  cpet_free(t->runhash);
  t->runhash = NULL;
  t->nrunhash = 0;
}

static void state_free(struct cpet__tstate *t) {
  state_reset(t);
  cpet_free(t->traj);
  cpet_free(t);
}

static void drop_all(void) {
  while (g_states) {
    struct cpet__tstate *n = g_states->next;
    state_free(g_states);
    g_states = n;
  }
}

void cpet__store_state_drop(cpet_store *s) {
  struct cpet__tstate **p = &g_states;
  while (*p) {
    if ((*p)->s == s) {
      struct cpet__tstate *d = *p;
      *p = d->next;
      state_free(d);
    } else {
      p = &(*p)->next;
    }
  }
}

cpet_status cpet__tstate_get(cpet__sctx *c) {
  const char *name = cpet_traj_name(c->traj);
  struct cpet__tstate **p = &g_states;
  while (*p) {
    struct cpet__tstate *t = *p;
    if (t->s == c->s && strcmp(t->traj, name) == 0) {
      if (t->file != c->s->file) { /* reopened (or a new store at a reused address) */
        state_reset(t);
        t->file = c->s->file;
      }
      c->st = t;
      return CPET_OK;
    }
    /* States of this address whose file is gone belong to a closed store: drop them. */
    if (t->s == c->s && t->file != c->s->file) {
      *p = t->next;
      state_free(t);
      continue;
    }
    p = &t->next;
  }
  struct cpet__tstate *t = cpet__calloc(1, sizeof *t);
  if (!t || !(t->traj = cpet__strdup(name))) {
    cpet_free(t);
    return cpet__err(CPET_ERR_NOMEM, "store state");
  }
  t->s = c->s;
  t->file = c->s->file;
  for (int k = 0; k < CPET__OV_COUNT; k++)
    t->tab[k].dset = t->tab[k].mtype = -1;
  t->next = g_states;
  g_states = t;
  if (!g_atexit) {
    g_atexit = 1;
    atexit(drop_all);
  }
  c->st = t;
  return CPET_OK;
}

cpet__ovtab *cpet__tstate_tab(struct cpet__tstate *st, cpet__ov_kind k) {
  return st && st->tab[k].dset >= 0 ? &st->tab[k] : NULL;
}

void cpet__tstate_keep(struct cpet__tstate *st, cpet__ov_kind k, const cpet__ovtab *t) {
  if (st) st->tab[k] = *t;
}

void cpet__tstate_forget(struct cpet__tstate *st, cpet__ov_kind k) {
  if (st) st->tab[k].dset = st->tab[k].mtype = -1;
}

uint64_t cpet__tstate_runhash(struct cpet__tstate *st, size_t idx) {
  return st && idx < st->nrunhash ? st->runhash[idx] : 0;
}

cpet_status cpet__tstate_set_runhash(struct cpet__tstate *st, size_t idx, uint64_t h) {
  if (!st) return CPET_OK;
  if (idx >= st->nrunhash) {
    size_t n = st->nrunhash ? st->nrunhash : 64;
    while (n <= idx)
      n *= 2;
    uint64_t *r = cpet__realloc(st->runhash, n * sizeof *r);
    if (!r) return cpet__err(CPET_ERR_NOMEM, "runs cache");
    memset(r + st->nrunhash, 0, (n - st->nrunhash) * sizeof *r);
    st->runhash = r;
    st->nrunhash = n;
  }
  st->runhash[idx] = h;
  return CPET_OK;
}

/* ---- the hash map ---- */

static size_t slot_of(const pmap *m, const char *key) {
  size_t i = (size_t)cpet__ov_hash(key, strlen(key)) & (m->cap - 1);
  while (m->slots[i] && strcmp(m->slots[i]->key, key) != 0)
    i = (i + 1) & (m->cap - 1);
  return i;
}

static pentry *map_get(const pmap *m, const char *key) {
  return m->cap ? m->slots[slot_of(m, key)] : NULL;
}

static cpet_status map_put(pmap *m, pentry *e) {
  if ((m->n + 1) * 2 > m->cap) {
    size_t nc = m->cap ? m->cap * 2 : 64;
    pmap nm = {cpet__calloc(nc, sizeof(pentry *)), nc, 0, m->loaded};
    if (!nm.slots) return cpet__err(CPET_ERR_NOMEM, "summary map");
    for (size_t i = 0; i < m->cap; i++)
      if (m->slots[i]) {
        nm.slots[slot_of(&nm, m->slots[i]->key)] = m->slots[i];
        nm.n++;
      }
    cpet_free(m->slots);
    *m = nm;
  }
  m->slots[slot_of(m, e->key)] = e;
  m->n++;
  return CPET_OK;
}

/* ---- names ---- */

static int is_run_set(const char *c) {
  if (strncmp(c, "run_set_", 8) != 0 || strlen(c) != 13) return 0;
  for (int i = 8; i < 13; i++)
    if (c[i] < '0' || c[i] > '9') return 0;
  return 1;
}

/* "<name with run_%08d -> $ and run_set_%05d -> $set>\n<hex>"; *run gets the index of the
 * (last) run component, -1 if none. */
static char *make_key(const char *full, const char *hex, int64_t *run) {
  size_t n = strlen(full);
  char *out = cpet__malloc(n + 48 + 2);
  if (!out) return NULL;
  size_t o = 0;
  *run = -1;
  const char *p = full;
  while (*p) {
    const char *e = strchr(p, '.');
    size_t l = e ? (size_t)(e - p) : strlen(p);
    char comp[160];
    int64_t idx;
    if (l < sizeof comp) {
      memcpy(comp, p, l);
      comp[l] = '\0';
    } else {
      comp[0] = '\0';
    }
    if (o) out[o++] = '.';
    if (comp[0] && cpet__run_index_from_name(comp, &idx) && idx >= 0) {
      out[o++] = '$';
      *run = idx;
    } else if (comp[0] && is_run_set(comp)) {
      memcpy(out + o, "$set", 4);
      o += 4;
    } else {
      memcpy(out + o, p, l);
      o += l;
    }
    p = e ? e + 1 : p + l;
  }
  out[o++] = '\n';
  memcpy(out + o, hex, 40);
  out[o + 40] = '\0';
  return out;
}

static int map_index(cpet__ov_kind k) { return k == CPET__OV_DERIVED_SUMMARY ? 0 : 1; }

static cpet_status add_entry(pmap *m, const char *full, const char *hex, hsize_t row) {
  int64_t run;
  char *key = make_key(full, hex, &run);
  pentry *e = cpet__calloc(1, sizeof *e);
  if (!key || !e || !(e->holder = cpet__strdup(full))) {
    cpet_free(key);
    cpet_free(e);
    return cpet__err(CPET_ERR_NOMEM, "summary map");
  }
  e->key = key;
  e->run = run;
  e->row = row;
  pentry *old = map_get(m, key);
  if (old) { /* pypet-written tables may repeat an item: keep the lowest run */
    if (run >= 0 && (old->run < 0 || run < old->run)) {
      cpet_free(old->holder);
      old->holder = e->holder;
      old->run = run;
      old->row = row;
      e->holder = NULL;
    }
    cpet_free(e->holder);
    cpet_free(e->key);
    cpet_free(e);
    return CPET_OK;
  }
  cpet_status st = map_put(m, e);
  if (st != CPET_OK) {
    cpet_free(e->key);
    cpet_free(e->holder);
    cpet_free(e);
  }
  return st;
}

/* Rebuilds the map from the table (once per open file). */
static cpet_status map_load(pmap *m, const cpet__ovtab *t) {
  if (m->loaded) return CPET_OK;
  const size_t block = 512;
  char *rows = cpet__malloc(block * t->rowsize);
  if (!rows) return cpet__err(CPET_ERR_NOMEM, "summary rows");
  cpet_status st = CPET_OK;
  for (hsize_t i = 0; st == CPET_OK && i < t->nrows; i += block) {
    size_t n = t->nrows - i < block ? (size_t)(t->nrows - i) : block;
    st = cpet__ov_read(t, i, n, rows);
    for (size_t j = 0; st == CPET_OK && j < n; j++) {
      const char *r = rows + j * t->rowsize;
      char loc[CPET__OV_COMMENT_LEN + 1], name[160], hex[80], full[CPET__OV_COMMENT_LEN + 170];
      cpet__ov_get_str(t, r, "location", loc, sizeof loc);
      cpet__ov_get_str(t, r, "name", name, sizeof name);
      cpet__ov_get_str(t, r, "hexdigest", hex, sizeof hex);
      if (strlen(hex) != 40) continue;
      snprintf(full, sizeof full, "%s%s%s", loc, *loc ? "." : "", name);
      st = add_entry(m, full, hex, i + j);
    }
  }
  cpet_free(rows);
  if (st == CPET_OK) m->loaded = 1;
  return st;
}

/* ---- the comment decision ---- */

static cpet_status summary_row(cpet__ovtab *t, hsize_t at, const cpet_node *leaf, const char *hex) {
  char *row = cpet__calloc(1, t->rowsize);
  if (!row) return cpet__err(CPET_ERR_NOMEM, "summary row");
  cpet__overview_fill_leaf(t, row, leaf);
  cpet__ov_set_str(t, row, "hexdigest", hex);
  cpet_status st = cpet__ov_write(t, at, row, 1);
  cpet_free(row);
  return st;
}

/* Removes SRVC_INIT_COMMENT from the node `full` (gone nodes are fine). */
static cpet_status unset_comment(cpet__sctx *c, const char *full) {
  char *path = cpet__strdup(full);
  if (!path) return cpet__err(CPET_ERR_NOMEM, "path");
  for (char *q = path; *q; q++)
    if (*q == '.') *q = '/';
  cpet_status st = CPET_OK;
  if (cpet__h5_link_exists(c->tgrp, path)) {
    hid_t g = H5Gopen2(c->tgrp, path, H5P_DEFAULT);
    if (g < 0)
      st = cpet__h5_err("H5Gopen2", path);
    else {
      st = cpet__h5_attr_delete(g, "SRVC_INIT_COMMENT");
      H5Gclose(g);
    }
  }
  cpet_free(path);
  return st;
}

cpet_status cpet__summary_leaf_comment(cpet__sctx *c, const cpet_node *leaf, hid_t leafgrp,
                                       int overwrite) {
  const char *comment = cpet_node_comment(leaf);
  if (!comment || !*comment) return CPET_OK; /* pypet never writes (or clears) empty comments */
  cpet__ov_kind k;
  cpet_branch b = cpet_node_branch(leaf);
  if (b == CPET_BRANCH_DERIVED)
    k = CPET__OV_DERIVED_SUMMARY;
  else if (b == CPET_BRANCH_RESULTS)
    k = CPET__OV_RESULTS_SUMMARY;
  else
    return cpet__h5_attr_write_str(leafgrp, "SRVC_INIT_COMMENT", comment);
  cpet__ovtab *t = cpet__sctx_table(c, k);
  if (!t) return cpet__h5_attr_write_str(leafgrp, "SRVC_INIT_COMMENT", comment);
  if (!c->st) CPET__CHECK(cpet__tstate_get(c));
  pmap *m = &c->st->maps[map_index(k)];
  CPET__CHECK(map_load(m, t));

  char hex[41];
  cpet__sha1_hex(comment, strlen(comment), hex);
  const char *full = cpet_node_full_name(leaf);
  int64_t run;
  char *key = make_key(full, hex, &run);
  if (!key) return cpet__err(CPET_ERR_NOMEM, "summary key");
  pentry *e = map_get(m, key);
  cpet_free(key);
  int purge = c->eff.purge_duplicate_comments;
  int write = 1;
  if (!e) {
    hsize_t at = t->nrows;
    CPET__CHECK(summary_row(t, at, leaf, hex));
    CPET__CHECK(add_entry(m, full, hex, at));
  } else if (strcmp(e->holder, full) == 0) {
    write = 1; /* this instance is the holder */
  } else if (run >= 0 && (e->run < 0 || run < e->run)) {
    /* A lower run with the same text: the attribute moves here. */
    if (purge) CPET__CHECK(unset_comment(c, e->holder));
    char *h = cpet__strdup(full);
    if (!h) return cpet__err(CPET_ERR_NOMEM, "summary holder");
    cpet_free(e->holder);
    e->holder = h;
    e->run = run;
    CPET__CHECK(summary_row(t, e->row, leaf, hex));
  } else if (run < 0) {
    write = 1; /* items outside runs are never purged */
  } else {
    write = !purge;
  }
  if (write) return cpet__h5_attr_write_str(leafgrp, "SRVC_INIT_COMMENT", comment);
  if (overwrite) return cpet__h5_attr_delete(leafgrp, "SRVC_INIT_COMMENT");
  return CPET_OK;
}
