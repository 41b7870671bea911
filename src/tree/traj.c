/* traj.c - trajectory lifetime, meta data, the runs table and adding/removing nodes with
 * pypet's naming conveniences (_add_generic / _add_prefix of pypet/naturalnaming.py). */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "tree/tree_int.h"

/* ---- lifetime and meta data ---- */

static void format_time(double ts, char *buf, size_t cap) {
  time_t t = (time_t)ts;
  struct tm tmv;
  if (!localtime_r(&t, &tmv) || strftime(buf, cap, "%Y_%m_%d_%Hh%Mm%Ss", &tmv) == 0)
    snprintf(buf, cap, "1970_01_01_00h00m00s");
}

cpet_status cpet_traj_create(const char *name, cpet_traj **out) {
  if (!name || !out) return cpet__err(CPET_ERR_INVAL, "cpet_traj_create: NULL argument");
  *out = NULL;
  if (strchr(name, '.'))
    return cpet__err(CPET_ERR_NAME, "trajectory name `%.200s`: dots are not allowed", name);
  CPET__CHECK(cpet_name_check(name));
  cpet_traj *t = cpet__calloc(1, sizeof *t);
  if (!t) return cpet__err(CPET_ERR_NOMEM, "trajectory `%s`", name);
  t->crun = -1;
  t->name = cpet__strdup(name);
  t->version = cpet__strdup("0.7.0");
  t->python = cpet__strdup("3.11.2");
  t->root = cpet__node_new(t, NULL, "", CPET_NODE_GROUP);
  if (!t->name || !t->version || !t->python || !t->root ||
      cpet__traj_resize_runs(t, 1, 1) != CPET_OK) {
    cpet_traj_free(t);
    return cpet__err(CPET_ERR_NOMEM, "trajectory `%s`", name);
  }
  struct timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  t->timestamp = (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
  format_time(t->timestamp, t->time, sizeof t->time);
  *out = t;
  return CPET_OK;
}

void cpet_traj_free(cpet_traj *traj) {
  if (!traj) return;
  cpet__node_free_tree(traj->root);
  cpet__sname_free_all(traj);
  cpet_free(traj->name);
  cpet_free(traj->comment);
  cpet_free(traj->version);
  cpet_free(traj->python);
  cpet_free(traj->runs);
  cpet_free(traj->explored);
  cpet_free(traj->links);
  cpet_free(traj);
}

const char *cpet_traj_name(const cpet_traj *traj) { return traj->name; }
const char *cpet_traj_comment(const cpet_traj *traj) { return traj->comment ? traj->comment : ""; }
cpet_status cpet_traj_set_comment(cpet_traj *traj, const char *comment) {
  if (!traj) return cpet__err(CPET_ERR_INVAL, "cpet_traj_set_comment: NULL trajectory");
  char *c = cpet__strdup(comment ? comment : "");
  if (!c) return cpet__err(CPET_ERR_NOMEM, "trajectory comment");
  cpet_free(traj->comment);
  traj->comment = c;
  return CPET_OK;
}
double cpet_traj_timestamp(const cpet_traj *traj) { return traj->timestamp; }
const char *cpet_traj_time(const cpet_traj *traj) { return traj->time; }

cpet_status cpet_traj_set_time(cpet_traj *traj, double timestamp, const char *time) {
  if (!traj) return cpet__err(CPET_ERR_INVAL, "cpet_traj_set_time: NULL trajectory");
  if (time && strlen(time) >= sizeof traj->time)
    return cpet__err(CPET_ERR_RANGE, "time string `%.64s` longer than %zu bytes", time,
                     sizeof traj->time - 1);
  traj->timestamp = timestamp;
  if (time)
    snprintf(traj->time, sizeof traj->time, "%s", time);
  else
    format_time(timestamp, traj->time, sizeof traj->time);
  return CPET_OK;
}

const char *cpet_traj_version(const cpet_traj *traj) { return traj->version; }
const char *cpet_traj_python(const cpet_traj *traj) { return traj->python; }

cpet_status cpet_traj_set_versions(cpet_traj *traj, const char *version, const char *python) {
  if (!traj) return cpet__err(CPET_ERR_INVAL, "cpet_traj_set_versions: NULL trajectory");
  char *v = version ? cpet__strdup(version) : NULL;
  char *p = python ? cpet__strdup(python) : NULL;
  if ((version && !v) || (python && !p)) {
    cpet_free(v);
    cpet_free(p);
    return cpet__err(CPET_ERR_NOMEM, "versions");
  }
  if (v) {
    cpet_free(traj->version);
    traj->version = v;
  }
  if (p) {
    cpet_free(traj->python);
    traj->python = p;
  }
  return CPET_OK;
}

cpet_node *cpet_traj_root(cpet_traj *traj) { return traj->root; }

/* ---- runs table ---- */

void cpet__run_info_placeholder(cpet_run_info *ri, size_t idx) {
  memset(ri, 0, sizeof *ri);
  ri->idx = (int64_t)idx;
  cpet_run_name((int64_t)idx, ri->name, sizeof ri->name);
  ri->completed = 0;
  /* pypet's ">>Maybe time`s gone on strike", cut to the 20-byte time column */
  snprintf(ri->time, sizeof ri->time, "%.20s", ">>Maybe time`s gone on strike");
  ri->timestamp = 42.0;
  ri->finish_timestamp = 1.337;
  snprintf(ri->runtime, sizeof ri->runtime, "forever and ever");
  snprintf(ri->parameter_summary, sizeof ri->parameter_summary, "Not yet my friend!");
  snprintf(ri->short_environment_hexsha, sizeof ri->short_environment_hexsha, "N/A");
}

cpet_status cpet__traj_resize_runs(cpet_traj *t, size_t n, int reset_all) {
  if (n == 0) return cpet__err(CPET_ERR_RANGE, "a trajectory has at least one run");
  if (n > t->capruns) {
    size_t cap = t->capruns ? t->capruns : 4;
    while (cap < n)
      cap *= 2;
    cpet_run_info *r = cpet__realloc(t->runs, cap * sizeof *r);
    if (!r) return cpet__err(CPET_ERR_NOMEM, "runs table of %zu rows", n);
    t->runs = r;
    t->capruns = cap;
  }
  for (size_t i = reset_all ? 0 : t->nruns; i < n; i++)
    cpet__run_info_placeholder(&t->runs[i], i);
  t->nruns = n;
  if (t->crun >= (int64_t)n) t->crun = -1;
  return CPET_OK;
}

size_t cpet_traj_length(const cpet_traj *traj) { return traj->nruns; }

cpet_status cpet_traj_set_length(cpet_traj *traj, size_t n) {
  if (!traj) return cpet__err(CPET_ERR_INVAL, "cpet_traj_set_length: NULL trajectory");
  return cpet__traj_resize_runs(traj, n, 0);
}

cpet_status cpet_traj_run_info(const cpet_traj *traj, size_t idx, cpet_run_info *out) {
  if (!traj || !out) return cpet__err(CPET_ERR_INVAL, "cpet_traj_run_info: NULL argument");
  if (idx >= traj->nruns)
    return cpet__err(CPET_ERR_RANGE, "run %zu of a trajectory of length %zu", idx, traj->nruns);
  *out = traj->runs[idx];
  return CPET_OK;
}

cpet_status cpet_traj_set_run_info(cpet_traj *traj, size_t idx, const cpet_run_info *in) {
  if (!traj || !in) return cpet__err(CPET_ERR_INVAL, "cpet_traj_set_run_info: NULL argument");
  if (idx >= traj->nruns)
    return cpet__err(CPET_ERR_RANGE, "run %zu of a trajectory of length %zu", idx, traj->nruns);
  cpet_run_info *r = &traj->runs[idx];
  *r = *in;
  r->idx = (int64_t)idx;
  cpet_run_name((int64_t)idx, r->name, sizeof r->name);
  r->time[sizeof r->time - 1] = '\0';
  r->runtime[sizeof r->runtime - 1] = '\0';
  r->parameter_summary[sizeof r->parameter_summary - 1] = '\0';
  r->short_environment_hexsha[sizeof r->short_environment_hexsha - 1] = '\0';
  return CPET_OK;
}

cpet_status cpet_traj_set_crun(cpet_traj *traj, int64_t idx) {
  if (!traj) return cpet__err(CPET_ERR_INVAL, "cpet_traj_set_crun: NULL trajectory");
  if (idx < -1 || (idx >= 0 && (uint64_t)idx >= traj->nruns))
    return cpet__err(CPET_ERR_RANGE, "run %" PRId64 " of a trajectory of length %zu", idx,
                     traj->nruns);
  traj->crun = idx;
  return CPET_OK;
}

int64_t cpet_traj_crun(const cpet_traj *traj) { return traj->crun; }

/* ---- adding nodes ---- */

/* Walks `p` from the root: creates missing groups (all but the last component) and the last
 * node of `kind`. Nothing is created before every conflict is known. */
static cpet_status add_path(cpet_traj *t, const cpet__path *p, cpet_node_kind kind, int sensitive,
                            cpet_node **out) {
  char *what = cpet__path_join(p, 0, p->n);
  if (!what) return cpet__err(CPET_ERR_NOMEM, "adding a node");
  cpet_status st = CPET_OK;
  cpet_node *cur = t->root;
  size_t i = 0;
  for (; i < p->n; i++) { /* existing prefix */
    cpet_node *c = cpet_node_child_by_name(cur, p->c[i]);
    if (!c) break;
    if (i + 1 == p->n) {
      if (kind == CPET_NODE_GROUP && c->kind == CPET_NODE_GROUP) {
        *out = c;
        goto done;
      }
      st = cpet__err(CPET_ERR_EXISTS, "`%s` already exists (a %s)", what,
                     c->kind == CPET_NODE_GROUP  ? "group"
                     : c->kind == CPET_NODE_LEAF ? "leaf"
                                                 : "link");
      goto done;
    }
    if (c->kind != CPET_NODE_GROUP) {
      st = cpet__err(CPET_ERR_TYPE, "`%s`: `%s` is a %s and cannot have children", what,
                     c->full_name, c->kind == CPET_NODE_LEAF ? "leaf" : "link");
      goto done;
    }
    cur = c;
  }
  if (sensitive && t->crun >= 0) {
    st = cpet__err(CPET_ERR_STATE,
                   "`%s`: config and parameter data cannot be added during a single run", what);
    goto done;
  }
  for (; i < p->n; i++) {
    cpet_node_kind k = i + 1 == p->n ? kind : CPET_NODE_GROUP;
    cpet_node *n = cpet__node_new(t, cur, p->c[i], k);
    if (!n) {
      st = cpet__err(CPET_ERR_NOMEM, "adding `%s`", what);
      goto done;
    }
    if ((st = cpet__node_attach(cur, n)) != CPET_OK) {
      cpet__node_free_tree(n);
      goto done;
    }
    cur = n;
  }
  *out = cur;
done:
  cpet_free(what);
  return st;
}

static cpet_status parse_user_name(cpet_traj *t, const char *name, cpet__path *p) {
  if (!name) return cpet__err(CPET_ERR_INVAL, "NULL name");
  CPET__CHECK(cpet__path_split(name, p));
  cpet_status st = cpet__path_translate(p, t->crun, NULL);
  if (st == CPET_OK) st = cpet__path_check(p, 1, name);
  if (st != CPET_OK) cpet__path_free(p);
  return st;
}

/* 1 if a component is a run of this trajectory or run_ALL (pypet: `in _run_information`). */
static int has_run_name(const cpet_traj *t, const cpet__path *p) {
  for (size_t i = 0; i < p->n; i++) {
    int64_t idx;
    if (cpet__run_index_from_name(p->c[i], &idx) && (idx < 0 || (uint64_t)idx < t->nruns)) return 1;
  }
  return 0;
}

/* pypet's _add_prefix for results / derived parameters: `branch` is prepended unless the name
 * starts with it; inside a run `runs.<run>` follows the branch unless a component is a run
 * name or run_ALL. A name given with its branch is treated as added from that branch group
 * (`traj.res.f_add_result`): `results.runs.x` -> `results.runs.<run>.x`, `results.runs` alone
 * is left alone. */
static cpet_status add_prefix(cpet_traj *t, cpet__path *p, const char *branch, int run_prefix) {
  int explicit_branch = strcmp(p->c[0], branch) == 0;
  if (explicit_branch && p->n == 1)
    return cpet__err(CPET_ERR_NAME, "`%s` is a reserved name for a group under root", branch);
  if (!explicit_branch) CPET__CHECK(cpet__path_insert(p, 0, branch));
  if (!run_prefix || t->crun < 0 || has_run_name(t, p)) return CPET_OK;
  char crun[32];
  CPET__CHECK(cpet_run_name(t->crun, crun, sizeof crun));
  if (explicit_branch && p->n >= 2 && strcmp(p->c[1], "runs") == 0) {
    if (p->n == 2) return CPET_OK;
    return cpet__path_insert(p, 2, crun);
  }
  CPET__CHECK(cpet__path_insert(p, 1, "runs"));
  return cpet__path_insert(p, 2, crun);
}

static cpet_status set_leaf_class(cpet_node *n, cpet_leaf_class cls, const char *class_name) {
  n->cls = cls;
  cpet_free(n->class_name);
  n->class_name = NULL;
  if (cls == CPET_CLASS_CUSTOM) {
    n->class_name = cpet__strdup(class_name ? class_name : "");
    if (!n->class_name) return cpet__err(CPET_ERR_NOMEM, "class name");
  }
  return CPET_OK;
}

cpet_status cpet_traj_add_group(cpet_traj *traj, const char *name, const char *comment,
                                cpet_node **out) {
  if (!traj) return cpet__err(CPET_ERR_INVAL, "cpet_traj_add_group: NULL trajectory");
  cpet__path p;
  CPET__CHECK(parse_user_name(traj, name, &p));
  cpet_branch b = cpet__branch_of(p.c[0]);
  cpet_node *n = NULL;
  cpet_status st = add_path(traj, &p, CPET_NODE_GROUP,
                            b == CPET_BRANCH_CONFIG || b == CPET_BRANCH_PARAMETERS, &n);
  cpet__path_free(&p);
  if (st == CPET_OK && comment) st = cpet_node_set_comment(n, comment);
  if (st == CPET_OK && out) *out = n;
  return st;
}

cpet_status cpet_traj_add_param(cpet_traj *traj, const char *name, cpet_leaf_class cls,
                                const cpet_value *value, const char *comment, cpet_node **out) {
  if (!traj) return cpet__err(CPET_ERR_INVAL, "cpet_traj_add_param: NULL trajectory");
  if (cls != CPET_CLASS_PARAMETER && cls != CPET_CLASS_ARRAY_PARAMETER &&
      cls != CPET_CLASS_SPARSE_PARAMETER)
    return cpet__err(CPET_ERR_INVAL,
                     "`%.200s`: parameters are Parameter, ArrayParameter or "
                     "SparseParameter (class %d)",
                     name ? name : "", (int)cls);
  if (value) CPET__CHECK(cpet__param_supports(cls, value));
  cpet__path p;
  CPET__CHECK(parse_user_name(traj, name, &p));
  cpet_branch b = cpet__branch_of(p.c[0]);
  cpet_status st = CPET_OK;
  if (b == CPET_BRANCH_DERIVED)
    st = add_prefix(traj, &p, "derived_parameters", 1);
  else if (b != CPET_BRANCH_CONFIG && b != CPET_BRANCH_PARAMETERS)
    st = add_prefix(traj, &p, "parameters", 0);
  if (st == CPET_OK && p.n < 2)
    st = cpet__err(CPET_ERR_NAME, "`%s` is a reserved name for a group under root", p.c[0]);
  b = cpet__branch_of(p.c[0]);
  cpet_value *copy = NULL;
  if (st == CPET_OK && value) st = cpet_value_copy(value, &copy);
  cpet_node *n = NULL;
  if (st == CPET_OK) st = add_path(traj, &p, CPET_NODE_LEAF, b != CPET_BRANCH_DERIVED, &n);
  cpet__path_free(&p);
  if (st != CPET_OK) {
    cpet_value_free(copy);
    return st;
  }
  set_leaf_class(n, cls, NULL);
  n->value = copy;
  n->loaded = copy != NULL;
  if (comment && (st = cpet_node_set_comment(n, comment)) != CPET_OK) {
    cpet__node_destroy(n);
    return st;
  }
  if (out) *out = n;
  return CPET_OK;
}

cpet_status cpet_traj_add_result(cpet_traj *traj, const char *name, cpet_leaf_class cls,
                                 const cpet_value *value, const char *comment, cpet_node **out) {
  if (!traj) return cpet__err(CPET_ERR_INVAL, "cpet_traj_add_result: NULL trajectory");
  if (cls != CPET_CLASS_RESULT && cls != CPET_CLASS_SPARSE_RESULT &&
      cls != CPET_CLASS_SHARED_RESULT)
    return cpet__err(CPET_ERR_INVAL,
                     "`%.200s`: results are Result, SparseResult or "
                     "SharedResult (class %d)",
                     name ? name : "", (int)cls);
  cpet__path p;
  CPET__CHECK(parse_user_name(traj, name, &p));
  cpet_status st = CPET_OK;
  cpet_node *top = cpet_node_child_by_name(traj->root, p.c[0]);
  int other = p.n > 1 && top && top->kind == CPET_NODE_GROUP &&
              cpet__branch_of(p.c[0]) == CPET_BRANCH_OTHER;
  if (!other) st = add_prefix(traj, &p, "results", 1);
  cpet_node *n = NULL;
  if (st == CPET_OK) st = add_path(traj, &p, CPET_NODE_LEAF, 0, &n);
  cpet__path_free(&p);
  if (st != CPET_OK) return st;
  set_leaf_class(n, cls, NULL);
  if (comment) st = cpet_node_set_comment(n, comment);
  if (st == CPET_OK && value) st = cpet_leaf_set(n, n->name, value, CPET_FLAG_AUTO);
  if (st != CPET_OK) {
    cpet__node_destroy(n);
    return st;
  }
  if (out) *out = n;
  return CPET_OK;
}

cpet_status cpet_traj_add_link(cpet_traj *traj, const char *name, cpet_node *target,
                               cpet_node **out) {
  if (!traj || !target) return cpet__err(CPET_ERR_INVAL, "cpet_traj_add_link: NULL argument");
  if (target->traj != traj)
    return cpet__err(CPET_ERR_INVAL,
                     "`%.200s`: you can only link to items within the "
                     "trajectory tree",
                     name ? name : "");
  if (target->kind == CPET_NODE_LINK) target = cpet_node_link_target(target);
  if (!target || !target->parent)
    return cpet__err(CPET_ERR_INVAL,
                     "`%.200s`: cannot link to the root node or a dangling "
                     "link",
                     name ? name : "");
  cpet__path p;
  CPET__CHECK(parse_user_name(traj, name, &p));
  cpet_status st = CPET_OK;
  if (p.n == 1 && cpet__branch_of(p.c[0]) != CPET_BRANCH_OTHER)
    st = cpet__err(CPET_ERR_NAME, "`%s` is a reserved name for a group under root", p.c[0]);
  cpet_node *n = NULL;
  if (st == CPET_OK) st = add_path(traj, &p, CPET_NODE_LINK, 0, &n);
  cpet__path_free(&p);
  if (st != CPET_OK) return st;
  n->target = target;
  if (out) *out = n;
  return CPET_OK;
}

cpet_status cpet__traj_add_node_exact(cpet_traj *traj, const char *full_name, cpet_node_kind kind,
                                      const char *class_name, cpet_node **out) {
  if (!traj || !full_name) return cpet__err(CPET_ERR_INVAL, "add_node_exact: NULL argument");
  cpet__path p;
  CPET__CHECK(cpet__path_split(full_name, &p));
  cpet_status st = cpet__path_check(&p, 1, full_name);
  cpet_node *n = NULL;
  if (st == CPET_OK) st = add_path(traj, &p, kind, 0, &n);
  cpet__path_free(&p);
  if (st != CPET_OK) return st;
  if (kind == CPET_NODE_LEAF) {
    cpet_leaf_class cls;
    if (!class_name) {
      cls = (n->branch == CPET_BRANCH_CONFIG || n->branch == CPET_BRANCH_PARAMETERS ||
             n->branch == CPET_BRANCH_DERIVED)
                ? CPET_CLASS_PARAMETER
                : CPET_CLASS_RESULT;
    } else if (cpet__class_from_name(class_name, &cls) != CPET_OK) {
      cpet_errclear();
      cls = CPET_CLASS_CUSTOM;
    }
    if ((st = set_leaf_class(n, cls, class_name)) != CPET_OK) {
      cpet__node_destroy(n);
      return st;
    }
  }
  if (out) *out = n;
  return CPET_OK;
}

cpet_status cpet_traj_add_leaf_raw(cpet_traj *traj, const char *full_name, const char *class_name,
                                   cpet_node **out) {
  if (!class_name) return cpet__err(CPET_ERR_INVAL, "cpet_traj_add_leaf_raw: NULL class name");
  return cpet__traj_add_node_exact(traj, full_name, CPET_NODE_LEAF, class_name, out);
}

cpet_status cpet__traj_add_link_path(cpet_traj *traj, const char *name,
                                     const char *target_full_name, cpet_node **out) {
  if (!traj || !name || !target_full_name)
    return cpet__err(CPET_ERR_INVAL, "add_link_path: NULL argument");
  if (!*target_full_name)
    return cpet__err(CPET_ERR_INVAL, "`%.200s`: cannot link to the root node", name);
  char *tn = cpet__strdup(target_full_name);
  if (!tn) return cpet__err(CPET_ERR_NOMEM, "link `%.200s`", name);
  cpet_node *n = NULL;
  cpet_status st = cpet__traj_add_node_exact(traj, name, CPET_NODE_LINK, NULL, &n);
  if (st != CPET_OK) {
    cpet_free(tn);
    return st;
  }
  n->target_name = tn;
  (void)cpet_node_link_target(n); /* resolves now if the target exists */
  if (out) *out = n;
  return CPET_OK;
}

/* ---- removing ---- */

static int find_explored(cpet_node *n, void *ud) {
  (void)ud;
  return (n->kind == CPET_NODE_LEAF && n->explored) ? (int)CPET_ERR_EXPLORED : 0;
}

cpet_status cpet_traj_remove(cpet_traj *traj, cpet_node *node, int recursive) {
  if (!traj || !node) return cpet__err(CPET_ERR_INVAL, "cpet_traj_remove: NULL argument");
  if (node->traj != traj) return cpet__err(CPET_ERR_INVAL, "node of another trajectory");
  if (!node->parent) return cpet__err(CPET_ERR_INVAL, "the root cannot be removed");
  if (node->nchildren && !recursive)
    return cpet__err(CPET_ERR_STATE, "`%s` has %zu children; remove recursively", node->full_name,
                     node->nchildren);
  if (cpet__traj_walk(traj, node, find_explored, NULL) == CPET_ERR_EXPLORED)
    return cpet__err(CPET_ERR_EXPLORED, "`%s` is or contains an explored parameter",
                     node->full_name);
  cpet__node_destroy(node);
  return CPET_OK;
}
