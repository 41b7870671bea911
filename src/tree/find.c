/* find.c - natural-naming lookup (pypet's _get/_perform_get/_search) over a short-name index.
 *
 * The index maps every short name to the list of nodes carrying it, so looking up `tau` or
 * `results.runs.run_00000007.z` never walks the tree: each component is either a direct child
 * (hash lookup) or the shallowest indexed node of that name below the current node. Two
 * candidates at the same (shallowest) depth make the name ambiguous, as pypet's
 * NotUniqueNodeError. */
#include <stdio.h>
#include <string.h>

#include "tree/tree_int.h"

struct cpet__sname {
  char *name;
  cpet_node *head;
  size_t count;
  cpet__sname *next;
};

static size_t sn_hash(const char *s) {
  size_t h = 1469598103934665603ull;
  for (; *s; s++)
    h = (h ^ (unsigned char)*s) * 1099511628211ull;
  return h;
}

static cpet__sname *sn_lookup(const cpet_traj *t, const char *name) {
  if (!t->sbuckets) return NULL;
  for (cpet__sname *e = t->sbuckets[sn_hash(name) & (t->nsbuckets - 1)]; e; e = e->next)
    if (strcmp(e->name, name) == 0) return e;
  return NULL;
}

static cpet_status sn_grow(cpet_traj *t) {
  size_t nb = t->nsbuckets ? t->nsbuckets * 2 : 256;
  cpet__sname **b = cpet__calloc(nb, sizeof *b);
  if (!b) return cpet__err(CPET_ERR_NOMEM, "short-name index");
  for (size_t i = 0; i < t->nsbuckets; i++) {
    cpet__sname *e = t->sbuckets[i];
    while (e) {
      cpet__sname *nx = e->next;
      size_t h = sn_hash(e->name) & (nb - 1);
      e->next = b[h];
      b[h] = e;
      e = nx;
    }
  }
  cpet_free(t->sbuckets);
  t->sbuckets = b;
  t->nsbuckets = nb;
  return CPET_OK;
}

cpet_status cpet__sname_add(cpet_traj *t, cpet_node *n) {
  cpet__sname *e = sn_lookup(t, n->name);
  if (!e) {
    if (t->nsnames >= t->nsbuckets) CPET__CHECK(sn_grow(t));
    e = cpet__calloc(1, sizeof *e);
    if (!e || !(e->name = cpet__strdup(n->name))) {
      cpet_free(e);
      return cpet__err(CPET_ERR_NOMEM, "short-name index");
    }
    size_t h = sn_hash(e->name) & (t->nsbuckets - 1);
    e->next = t->sbuckets[h];
    t->sbuckets[h] = e;
    t->nsnames++;
  }
  n->sn = e;
  n->sn_prev = NULL;
  n->sn_next = e->head;
  if (e->head) e->head->sn_prev = n;
  e->head = n;
  e->count++;
  return CPET_OK;
}

void cpet__sname_remove(cpet_traj *t, cpet_node *n) {
  cpet__sname *e = n->sn;
  if (!e) return;
  if (n->sn_prev)
    n->sn_prev->sn_next = n->sn_next;
  else
    e->head = n->sn_next;
  if (n->sn_next) n->sn_next->sn_prev = n->sn_prev;
  n->sn = NULL;
  n->sn_prev = n->sn_next = NULL;
  if (--e->count == 0) {
    cpet__sname **pp = &t->sbuckets[sn_hash(e->name) & (t->nsbuckets - 1)];
    while (*pp != e)
      pp = &(*pp)->next;
    *pp = e->next;
    cpet_free(e->name);
    cpet_free(e);
    t->nsnames--;
  }
}

void cpet__sname_free_all(cpet_traj *t) {
  for (size_t i = 0; i < t->nsbuckets; i++) {
    cpet__sname *e = t->sbuckets[i];
    while (e) {
      cpet__sname *nx = e->next;
      cpet_free(e->name);
      cpet_free(e);
      e = nx;
    }
  }
  cpet_free(t->sbuckets);
  t->sbuckets = NULL;
  t->nsbuckets = t->nsnames = 0;
}

/* ---- exact lookup ---- */

cpet_node *cpet__traj_find_exact(const cpet_traj *traj, const char *full_name) {
  if (!traj || !full_name) return NULL;
  cpet_node *n = traj->root;
  const char *s = full_name;
  if (!*s) return n;
  char buf[CPET__NAME_MAX + 1];
  for (;;) {
    const char *dot = strchr(s, '.');
    size_t len = dot ? (size_t)(dot - s) : strlen(s);
    if (len == 0 || len > CPET__NAME_MAX) return NULL;
    memcpy(buf, s, len);
    buf[len] = '\0';
    n = cpet_node_child_by_name(n, buf);
    if (!n) return NULL;
    if (!dot) return n;
    if (n->kind != CPET_NODE_GROUP) return NULL;
    s = dot + 1;
  }
}

/* ---- natural naming ---- */

static cpet_node *follow(cpet_node *n) {
  if (n && n->kind == CPET_NODE_LINK) return cpet_node_link_target(n);
  return n;
}

/* 1 if `n` lies strictly below `top` (the root contains everything). */
static int strictly_below(const cpet_node *n, const cpet_node *top) {
  if (n->depth <= top->depth) return 0;
  if (!top->parent) return 1;
  while (n->depth > top->depth)
    n = n->parent;
  return n == top;
}

/* pypet's _search for one component below `node`: a direct child, else the shallowest node of
 * that name below `node`, which must be unique at its depth. */
static cpet_status search(const cpet_traj *t, cpet_node *node, const char *key, const char *what,
                          cpet_node **out) {
  cpet_node *c = cpet_node_child_by_name(node, key);
  if (c) {
    *out = c;
    return CPET_OK;
  }
  cpet__sname *e = sn_lookup(t, key);
  cpet_node *best = NULL, *second = NULL;
  if (e) {
    for (cpet_node *n = e->head; n; n = n->sn_next) {
      if (!strictly_below(n, node)) continue;
      if (!best || n->depth < best->depth) {
        best = n;
        second = NULL;
      } else if (n->depth == best->depth) {
        second = n;
      }
    }
  }
  if (!best)
    return cpet__err(CPET_ERR_NOTFOUND, "`%.200s`: `%s` not found below `%s`", what, key,
                     node->parent ? node->full_name : "the trajectory");
  if (second) {
    /* List the candidates (insertion order is not kept by the index; sort is not needed). */
    char list[600];
    size_t used = 0, n = 0;
    list[0] = '\0';
    for (cpet_node *m = e->head; m; m = m->sn_next) {
      if (m->depth != best->depth || !strictly_below(m, node)) continue;
      if (n++ >= 8) {
        snprintf(list + used, sizeof list - used, ", ...");
        break;
      }
      int w = snprintf(list + used, sizeof list - used, "%s`%s`", used ? ", " : "", m->full_name);
      if (w < 0 || (size_t)w >= sizeof list - used) break;
      used += (size_t)w;
    }
    return cpet__err(CPET_ERR_NAME, "`%.200s` is ambiguous: `%s` matches %s", what, key, list);
  }
  *out = best;
  return CPET_OK;
}

static cpet_status perform_get(const cpet_traj *t, const cpet__path *p, const char *what,
                               cpet_node **out) {
  cpet_node *cur = t->root;
  for (size_t i = 0; i < p->n; i++) {
    if (cur->kind != CPET_NODE_GROUP)
      return cpet__err(CPET_ERR_NOTFOUND, "`%.200s`: `%s` is a leaf, `%s` cannot be below it", what,
                       cur->full_name, p->c[i]);
    cpet_node *next = NULL;
    CPET__CHECK(search(t, cur, p->c[i], what, &next));
    cpet_node *tgt = follow(next);
    if (!tgt)
      return cpet__err(CPET_ERR_NOTFOUND, "`%.200s`: link `%s` is dangling", what, next->full_name);
    cur = tgt;
  }
  *out = cur;
  return CPET_OK;
}

cpet_status cpet_traj_find(cpet_traj *traj, const char *name, cpet_node **out) {
  if (!traj || !name || !out) return cpet__err(CPET_ERR_INVAL, "cpet_traj_find: NULL argument");
  *out = NULL;
  if (!*name) {
    *out = traj->root;
    return CPET_OK;
  }
  cpet__path p;
  CPET__CHECK(cpet__path_split(name, &p));
  size_t nwild = 0;
  cpet_status st = cpet__path_translate(&p, traj->crun, &nwild);
  for (size_t i = 0; st == CPET_OK && i < p.n; i++) {
    if (p.c[i][0] == '\0')
      st = cpet__err(CPET_ERR_NAME, "`%.200s`: component %zu is empty", name, i + 1);
    else if (p.c[i][0] == '_')
      st = cpet__err(CPET_ERR_NAME,
                     "`%.200s`: leading underscores are not allowed for group or parameter "
                     "names (`%s`)",
                     name, p.c[i]);
  }
  if (st != CPET_OK) {
    cpet__path_free(&p);
    return st;
  }
  st = perform_get(traj, &p, name, out);
  if (st == CPET_ERR_NOTFOUND && nwild && traj->crun >= 0) {
    /* pypet: with a run selected, `$` is tried as the run first, then as run_ALL. */
    cpet__path q;
    cpet_status st2 = cpet__path_split(name, &q);
    if (st2 == CPET_OK) st2 = cpet__path_translate(&q, -1, NULL);
    if (st2 == CPET_OK) {
      char keep[512];
      snprintf(keep, sizeof keep, "%s", cpet_errmsg());
      st2 = perform_get(traj, &q, name, out);
      if (st2 == CPET_ERR_NOTFOUND) cpet__err(CPET_ERR_NOTFOUND, "%s", keep);
      if (st2 != CPET_ERR_NOTFOUND) st = st2;
    }
    cpet__path_free(&q);
  }
  cpet__path_free(&p);
  return st;
}

size_t cpet_traj_count(const cpet_traj *traj) { return traj ? traj->count : 0; }
