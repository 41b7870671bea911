/* node.c - nodes: allocation, children (insertion order + hash index), getters, comments,
 * annotations, leaf items and the depth-first walk. */
#include <stdio.h>
#include <string.h>

#include "tree/tree_int.h"

static size_t str_hash(const char *s) {
  size_t h = 1469598103934665603ull; /* FNV-1a */
  for (; *s; s++)
    h = (h ^ (unsigned char)*s) * 1099511628211ull;
  return h;
}

/* ---- allocation ---- */

cpet_node *cpet__node_new(cpet_traj *traj, cpet_node *parent, const char *name,
                          cpet_node_kind kind) {
  cpet_node *n = cpet__calloc(1, sizeof *n);
  if (!n) return NULL;
  n->traj = traj;
  n->parent = parent;
  n->kind = kind;
  n->name = cpet__strdup(name);
  if (parent && parent->parent)
    n->full_name = cpet__asprintf("%s.%s", parent->full_name, name);
  else
    n->full_name = cpet__strdup(name);
  if (!n->name || !n->full_name) {
    cpet_free(n->name);
    cpet_free(n->full_name);
    cpet_free(n);
    return NULL;
  }
  n->depth = parent ? parent->depth + 1 : 0;
  if (!parent)
    n->branch = CPET_BRANCH_ROOT;
  else if (!parent->parent)
    n->branch = cpet__branch_of(name);
  else
    n->branch = parent->branch;
  n->run_idx = -1;
  if (parent && parent->run_idx != -1) {
    n->run_idx = parent->run_idx;
  } else if (parent) {
    int64_t idx;
    if (cpet__run_index_from_name(name, &idx)) n->run_idx = idx < 0 ? CPET__RUN_ALL_IDX : idx;
  }
  n->cls = CPET_CLASS_RESULT;
  return n;
}

static void free_node_data(cpet_node *n) {
  for (size_t i = 0; i < n->nannots; i++) {
    cpet_free(n->annots[i].key);
    cpet_value_free(n->annots[i].value);
  }
  cpet_free(n->annots);
  for (size_t i = 0; i < n->nitems; i++) {
    cpet_free(n->items[i].key);
    cpet_value_free(n->items[i].value);
  }
  cpet_free(n->items);
  cpet_value_free(n->value);
  cpet__leaf_clear_range(n);
  cpet_free(n->range);
  cpet_free(n->children);
  cpet_free(n->cbuckets);
  cpet_free(n->name);
  cpet_free(n->full_name);
  cpet_free(n->comment);
  cpet_free(n->class_name);
  cpet_free(n->target_name);
  cpet_free(n);
}

void cpet__node_free_tree(cpet_node *n) {
  if (!n) return;
  for (size_t i = 0; i < n->nchildren; i++)
    cpet__node_free_tree(n->children[i]);
  free_node_data(n);
}

void cpet__leaf_clear_range(cpet_node *n) {
  for (size_t i = 0; i < n->range_len; i++)
    cpet_value_free(n->range[i]);
  n->range_len = 0;
}

/* ---- children and the hash index ---- */

static void bucket_insert(cpet_node *parent, cpet_node *child) {
  size_t b = str_hash(child->name) & (parent->ncbuckets - 1);
  child->cnext = parent->cbuckets[b];
  parent->cbuckets[b] = child;
}

static cpet_status rehash(cpet_node *parent, size_t nb) {
  cpet_node **nbk = cpet__calloc(nb, sizeof *nbk);
  if (!nbk) return cpet__err(CPET_ERR_NOMEM, "child index of `%s`", parent->full_name);
  cpet_free(parent->cbuckets);
  parent->cbuckets = nbk;
  parent->ncbuckets = nb;
  for (size_t i = 0; i < parent->nchildren; i++)
    bucket_insert(parent, parent->children[i]);
  return CPET_OK;
}

cpet_status cpet__node_attach(cpet_node *parent, cpet_node *child) {
  if (parent->nchildren == parent->capchildren) {
    size_t cap = parent->capchildren ? parent->capchildren * 2 : 4;
    cpet_node **c = cpet__realloc(parent->children, cap * sizeof *c);
    if (!c) return cpet__err(CPET_ERR_NOMEM, "adding `%s`", child->full_name);
    parent->children = c;
    parent->capchildren = cap;
  }
  CPET__CHECK(cpet__sname_add(parent->traj, child));
  if (child->kind == CPET_NODE_LINK) {
    cpet_traj *t = parent->traj;
    if (t->nlinks == t->caplinks) {
      size_t cap = t->caplinks ? t->caplinks * 2 : 8;
      cpet_node **l = cpet__realloc(t->links, cap * sizeof *l);
      if (!l) {
        cpet__sname_remove(t, child);
        return cpet__err(CPET_ERR_NOMEM, "adding link `%s`", child->full_name);
      }
      t->links = l;
      t->caplinks = cap;
    }
    t->links[t->nlinks++] = child;
  }
  parent->children[parent->nchildren++] = child;
  parent->traj->count++;
  if (parent->cbuckets) {
    if (parent->nchildren > parent->ncbuckets) {
      if (rehash(parent, parent->ncbuckets * 2) != CPET_OK) { /* keep the old index */
        bucket_insert(parent, child);
      }
    } else {
      bucket_insert(parent, child);
    }
  } else if (parent->nchildren >= CPET__CHILD_HASH_MIN) {
    if (rehash(parent, 64) != CPET_OK) cpet_errclear(); /* linear lookup still works */
  }
  return CPET_OK;
}

cpet_node *cpet_node_child_by_name(const cpet_node *n, const char *name) {
  if (!n || !name) return NULL;
  if (n->cbuckets) {
    size_t b = str_hash(name) & (n->ncbuckets - 1);
    for (cpet_node *c = n->cbuckets[b]; c; c = c->cnext)
      if (strcmp(c->name, name) == 0) return c;
    return NULL;
  }
  for (size_t i = 0; i < n->nchildren; i++)
    if (strcmp(n->children[i]->name, name) == 0) return n->children[i];
  return NULL;
}

static void unindex_tree(cpet_traj *t, cpet_node *n) {
  for (size_t i = 0; i < n->nchildren; i++)
    unindex_tree(t, n->children[i]);
  cpet__sname_remove(t, n);
  t->count--;
  if (n->kind == CPET_NODE_LINK) {
    for (size_t i = 0; i < t->nlinks; i++)
      if (t->links[i] == n) {
        memmove(t->links + i, t->links + i + 1, (t->nlinks - i - 1) * sizeof *t->links);
        t->nlinks--;
        break;
      }
  }
  for (size_t i = 0; i < t->nexplored; i++)
    if (t->explored[i] == n) {
      memmove(t->explored + i, t->explored + i + 1, (t->nexplored - i - 1) * sizeof(cpet_node *));
      t->nexplored--;
      break;
    }
}

static int is_below(const cpet_node *n, const cpet_node *top) {
  for (; n; n = n->parent)
    if (n == top) return 1;
  return 0;
}

void cpet__node_destroy(cpet_node *n) {
  cpet_node *p = n->parent;
  cpet_traj *t = n->traj;
  if (!p) return;
  unindex_tree(t, n);
  /* Links into the removed subtree become dangling (by path), never stale pointers. */
  for (size_t i = 0; i < t->nlinks; i++) {
    cpet_node *l = t->links[i];
    if (l->target && is_below(l->target, n)) {
      char *nm = cpet__strdup(l->target->full_name);
      cpet_free(l->target_name);
      l->target_name = nm;
      l->target = NULL;
    }
  }
  for (size_t i = 0; i < p->nchildren; i++)
    if (p->children[i] == n) {
      memmove(p->children + i, p->children + i + 1, (p->nchildren - i - 1) * sizeof n);
      p->nchildren--;
      break;
    }
  if (p->cbuckets) {
    size_t b = str_hash(n->name) & (p->ncbuckets - 1);
    for (cpet_node **pp = &p->cbuckets[b]; *pp; pp = &(*pp)->cnext)
      if (*pp == n) {
        *pp = n->cnext;
        break;
      }
  }
  cpet__node_free_tree(n);
}

/* ---- getters ---- */

cpet_node_kind cpet_node_kind_of(const cpet_node *n) { return n->kind; }
const char *cpet_node_name(const cpet_node *n) { return n->name; }
const char *cpet_node_full_name(const cpet_node *n) { return n->full_name; }
cpet_branch cpet_node_branch(const cpet_node *n) { return n->branch; }
cpet_node *cpet_node_parent(const cpet_node *n) { return n->parent; }
size_t cpet_node_nchildren(const cpet_node *n) { return n->nchildren; }
cpet_node *cpet_node_child(const cpet_node *n, size_t i) {
  return i < n->nchildren ? n->children[i] : NULL;
}
int64_t cpet_node_run_index(const cpet_node *n) { return n->run_idx; }
int cpet__node_depth(const cpet_node *n) { return n->depth; }

cpet_node *cpet_node_link_target(const cpet_node *n) {
  if (n->kind != CPET_NODE_LINK) return NULL;
  if (!n->target && n->target_name) {
    cpet_node *t = cpet__traj_find_exact(n->traj, n->target_name);
    if (t && t->kind == CPET_NODE_LINK) t = t->target;
    if (t && t->parent) { /* resolve once; the link keeps the pointer from now on */
      cpet_node *m = (cpet_node *)n;
      m->target = t;
      cpet_free(m->target_name);
      m->target_name = NULL;
    }
  }
  return n->target;
}

const char *cpet__link_target_name(const cpet_node *n) {
  if (n->kind != CPET_NODE_LINK) return NULL;
  if (n->target) return n->target->full_name;
  return n->target_name;
}

cpet_leaf_class cpet_node_class(const cpet_node *n) { return n->cls; }
const char *cpet_node_class_name(const cpet_node *n) {
  if (n->kind != CPET_NODE_LEAF) return "";
  return n->class_name ? n->class_name : cpet__class_name(n->cls);
}

const char *cpet_node_group_class(const cpet_node *n) {
  if (n->kind != CPET_NODE_GROUP) return "";
  switch (n->branch) {
  case CPET_BRANCH_ROOT:
    return "Trajectory";
  case CPET_BRANCH_CONFIG:
    return "ConfigGroup";
  case CPET_BRANCH_PARAMETERS:
    return "ParameterGroup";
  case CPET_BRANCH_DERIVED:
    return "DerivedParameterGroup";
  case CPET_BRANCH_RESULTS:
    return "ResultGroup";
  default:
    return "NNGroupNode";
  }
}

int cpet_node_is_parameter(const cpet_node *n) {
  if (n->kind != CPET_NODE_LEAF) return 0;
  if (n->cls == CPET_CLASS_CUSTOM)
    return n->branch == CPET_BRANCH_CONFIG || n->branch == CPET_BRANCH_PARAMETERS ||
           n->branch == CPET_BRANCH_DERIVED;
  return cpet__class_is_parameter(n->cls);
}

int cpet__node_is_stored(const cpet_node *n) { return n->stored; }
void cpet__node_set_stored(cpet_node *n, int stored) { n->stored = stored != 0; }
int cpet__leaf_is_loaded(const cpet_node *n) { return n->loaded; }
void cpet__leaf_set_loaded(cpet_node *n, int loaded) { n->loaded = loaded != 0; }
int cpet__node_is_locked(const cpet_node *n) { return n->locked; }
void cpet__node_set_locked(cpet_node *n, int locked) { n->locked = locked != 0; }

/* ---- comments ---- */

const char *cpet_node_comment(const cpet_node *n) { return n->comment ? n->comment : ""; }

cpet_status cpet_node_set_comment(cpet_node *n, const char *comment) {
  if (!n) return cpet__err(CPET_ERR_INVAL, "cpet_node_set_comment: NULL node");
  char *c = NULL;
  if (comment && *comment) {
    c = cpet__strdup(comment);
    if (!c) return cpet__err(CPET_ERR_NOMEM, "comment of `%s`", n->full_name);
  }
  cpet_free(n->comment);
  n->comment = c;
  return CPET_OK;
}

/* ---- annotations ---- */

cpet_status cpet_node_annotate(cpet_node *n, const char *key, const cpet_value *value) {
  if (!n || !key || !value) return cpet__err(CPET_ERR_INVAL, "cpet_node_annotate: NULL argument");
  if (!*key) return cpet__err(CPET_ERR_NAME, "empty annotation key on `%s`", n->full_name);
  cpet_value *copy = NULL;
  CPET__CHECK(cpet_value_copy(value, &copy));
  for (size_t i = 0; i < n->nannots; i++)
    if (strcmp(n->annots[i].key, key) == 0) {
      cpet_value_free(n->annots[i].value);
      n->annots[i].value = copy;
      return CPET_OK;
    }
  if (n->nannots == n->capannots) {
    size_t cap = n->capannots ? n->capannots * 2 : 4;
    cpet__annot *a = cpet__realloc(n->annots, cap * sizeof *a);
    if (!a) {
      cpet_value_free(copy);
      return cpet__err(CPET_ERR_NOMEM, "annotation `%s`", key);
    }
    n->annots = a;
    n->capannots = cap;
  }
  char *k = cpet__strdup(key);
  if (!k) {
    cpet_value_free(copy);
    return cpet__err(CPET_ERR_NOMEM, "annotation `%s`", key);
  }
  n->annots[n->nannots].key = k;
  n->annots[n->nannots].value = copy;
  n->nannots++;
  return CPET_OK;
}

size_t cpet_node_nannotations(const cpet_node *n) { return n->nannots; }

cpet_status cpet_node_annotation(const cpet_node *n, size_t i, const char **key,
                                 const cpet_value **value) {
  if (!n) return cpet__err(CPET_ERR_INVAL, "cpet_node_annotation: NULL node");
  if (i >= n->nannots)
    return cpet__err(CPET_ERR_RANGE, "annotation %zu of %zu on `%s`", i, n->nannots, n->full_name);
  if (key) *key = n->annots[i].key;
  if (value) *value = n->annots[i].value;
  return CPET_OK;
}

const cpet_value *cpet_node_annotation_get(const cpet_node *n, const char *key) {
  if (!n || !key) return NULL;
  for (size_t i = 0; i < n->nannots; i++)
    if (strcmp(n->annots[i].key, key) == 0) return n->annots[i].value;
  return NULL;
}

/* ---- leaf items ---- */

static cpet_status check_item_key(const cpet_node *leaf, const char *key) {
  if (!*key) return cpet__err(CPET_ERR_NAME, "empty item key in `%s`", leaf->full_name);
  const char *s = key;
  for (;;) {
    const char *dot = strchr(s, '.');
    size_t len = dot ? (size_t)(dot - s) : strlen(s);
    if (len == 0)
      return cpet__err(CPET_ERR_NAME, "item key `%.200s` of `%s` has an empty component", key,
                       leaf->full_name);
    if (!dot) break;
    s = dot + 1;
  }
  if (strchr(key, '/'))
    return cpet__err(CPET_ERR_NAME, "item key `%.200s` of `%s` contains `/`", key, leaf->full_name);
  return CPET_OK;
}

cpet_status cpet_leaf_set_take(cpet_node *leaf, const char *key, cpet_value *take, cpet_flag flag) {
  cpet_status st = CPET_OK;
  if (!leaf || !key || !take) {
    st = cpet__err(CPET_ERR_INVAL, "cpet_leaf_set: NULL argument");
    goto fail;
  }
  if (leaf->kind != CPET_NODE_LEAF) {
    st = cpet__err(CPET_ERR_TYPE, "`%s` is not a leaf", leaf->full_name);
    goto fail;
  }
  if (leaf->cls == CPET_CLASS_PARAMETER || leaf->cls == CPET_CLASS_ARRAY_PARAMETER ||
      leaf->cls == CPET_CLASS_SPARSE_PARAMETER) {
    st = cpet__err(CPET_ERR_STATE, "`%s` is a %s: set its value with cpet_param_set",
                   leaf->full_name, cpet_node_class_name(leaf));
    goto fail;
  }
  if ((st = check_item_key(leaf, key)) != CPET_OK) goto fail;
  if (flag == CPET_FLAG_AUTO)
    flag = leaf->cls == CPET_CLASS_SHARED_RESULT ? CPET_FLAG_SHARED_DATA : cpet__flag_default(take);
  st = cpet__flag_check(flag, take);
  if (st == CPET_ERR_FLAG) {
    cpet__err_context("item `%s` of `%s`", key, leaf->full_name);
    st = CPET_ERR_TYPE; /* the public contract of cpet_leaf_set */
  }
  if (st != CPET_OK) goto fail;
  for (size_t i = 0; i < leaf->nitems; i++)
    if (strcmp(leaf->items[i].key, key) == 0) {
      cpet_value_free(leaf->items[i].value);
      leaf->items[i].value = take;
      leaf->items[i].flag = flag;
      leaf->loaded = 1;
      return CPET_OK;
    }
  if (leaf->nitems == leaf->capitems) {
    size_t cap = leaf->capitems ? leaf->capitems * 2 : 4;
    cpet__item *it = cpet__realloc(leaf->items, cap * sizeof *it);
    if (!it) {
      st = cpet__err(CPET_ERR_NOMEM, "item `%s`", key);
      goto fail;
    }
    leaf->items = it;
    leaf->capitems = cap;
  }
  char *k = cpet__strdup(key);
  if (!k) {
    st = cpet__err(CPET_ERR_NOMEM, "item `%s`", key);
    goto fail;
  }
  leaf->items[leaf->nitems].key = k;
  leaf->items[leaf->nitems].value = take;
  leaf->items[leaf->nitems].flag = flag;
  leaf->nitems++;
  leaf->loaded = 1;
  return CPET_OK;
fail:
  cpet_value_free(take);
  return st;
}

cpet_status cpet_leaf_set(cpet_node *leaf, const char *key, const cpet_value *value,
                          cpet_flag flag) {
  if (!value) return cpet__err(CPET_ERR_INVAL, "cpet_leaf_set: NULL value");
  cpet_value *copy = NULL;
  CPET__CHECK(cpet_value_copy(value, &copy));
  return cpet_leaf_set_take(leaf, key, copy, flag);
}

size_t cpet_leaf_nitems(const cpet_node *leaf) { return leaf->nitems; }

cpet_status cpet_leaf_item(const cpet_node *leaf, size_t i, const char **key,
                           const cpet_value **value, cpet_flag *flag) {
  if (!leaf) return cpet__err(CPET_ERR_INVAL, "cpet_leaf_item: NULL leaf");
  if (i >= leaf->nitems)
    return cpet__err(CPET_ERR_RANGE, "item %zu of %zu in `%s`", i, leaf->nitems, leaf->full_name);
  if (key) *key = leaf->items[i].key;
  if (value) *value = leaf->items[i].value;
  if (flag) *flag = leaf->items[i].flag;
  return CPET_OK;
}

const cpet_value *cpet_leaf_get(const cpet_node *leaf, const char *key) {
  if (!leaf || !key) return NULL;
  for (size_t i = 0; i < leaf->nitems; i++)
    if (strcmp(leaf->items[i].key, key) == 0) return leaf->items[i].value;
  return NULL;
}

cpet_status cpet_leaf_remove_item(cpet_node *leaf, const char *key) {
  if (!leaf || !key) return cpet__err(CPET_ERR_INVAL, "cpet_leaf_remove_item: NULL argument");
  for (size_t i = 0; i < leaf->nitems; i++)
    if (strcmp(leaf->items[i].key, key) == 0) {
      cpet_free(leaf->items[i].key);
      cpet_value_free(leaf->items[i].value);
      memmove(leaf->items + i, leaf->items + i + 1, (leaf->nitems - i - 1) * sizeof *leaf->items);
      leaf->nitems--;
      return CPET_OK;
    }
  return cpet__err(CPET_ERR_NOTFOUND, "no item `%.200s` in `%s`", key, leaf->full_name);
}

cpet_status cpet_leaf_clear(cpet_node *leaf) {
  if (!leaf) return cpet__err(CPET_ERR_INVAL, "cpet_leaf_clear: NULL leaf");
  if (leaf->kind != CPET_NODE_LEAF)
    return cpet__err(CPET_ERR_TYPE, "`%s` is not a leaf", leaf->full_name);
  for (size_t i = 0; i < leaf->nitems; i++) {
    cpet_free(leaf->items[i].key);
    cpet_value_free(leaf->items[i].value);
  }
  leaf->nitems = 0;
  cpet_value_free(leaf->value);
  leaf->value = NULL;
  cpet__leaf_clear_range(leaf);
  leaf->loaded = 0;
  return CPET_OK;
}

int cpet_leaf_is_empty(const cpet_node *leaf) {
  return leaf->nitems == 0 && leaf->value == NULL && leaf->range_len == 0;
}

/* ---- walk ---- */

static int walk_rec(cpet_node *n, int (*fn)(cpet_node *, void *), void *ud) {
  int r = fn(n, ud);
  if (r < 0) return r;
  if (r == 1) return 0;
  for (size_t i = 0; i < n->nchildren; i++) {
    r = walk_rec(n->children[i], fn, ud);
    if (r < 0) return r;
  }
  return 0;
}

cpet_status cpet__traj_walk(cpet_traj *traj, cpet_node *start, int (*fn)(cpet_node *, void *),
                            void *ud) {
  if (!traj || !fn) return cpet__err(CPET_ERR_INVAL, "cpet__traj_walk: NULL argument");
  if (!start) start = traj->root;
  if (start->parent) return (cpet_status)walk_rec(start, fn, ud);
  for (size_t i = 0; i < start->nchildren; i++) {
    int r = walk_rec(start->children[i], fn, ud);
    if (r < 0) return (cpet_status)r;
  }
  return CPET_OK;
}
