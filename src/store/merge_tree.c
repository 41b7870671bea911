/* merge_tree.c - the in-memory half of a merge, following pypet 0.7.0's Trajectory.f_merge:
 * parameter-space check, range extension, run information, the rename list of results and
 * derived parameters (run groups renamed to the new run indices), links, config and the
 * config.merge record. Nothing here touches a file. */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "core/hash_int.h"
#include "store/merge_int.h"

/* ---- string lists ---- */

cpet_status cpet__strlist_add(cpet__strlist *l, const char *s) {
  if (l->n == l->cap) {
    size_t cap = l->cap ? l->cap * 2 : 16;
    char **v = cpet__realloc(l->v, cap * sizeof *v);
    if (!v) return cpet__err(CPET_ERR_NOMEM, "name list");
    l->v = v;
    l->cap = cap;
  }
  if (!(l->v[l->n] = cpet__strdup(s))) return cpet__err(CPET_ERR_NOMEM, "name list");
  l->n++;
  return CPET_OK;
}

void cpet__strlist_free(cpet__strlist *l) {
  for (size_t i = 0; i < l->n; i++)
    cpet_free(l->v[i]);
  cpet_free(l->v);
  memset(l, 0, sizeof *l);
}

int cpet__strlist_has(const cpet__strlist *l, const char *s) {
  for (size_t i = 0; i < l->n; i++)
    if (strcmp(l->v[i], s) == 0) return 1;
  return 0;
}

void cpet__mplan_free(cpet__mplan *p) {
  cpet_free(p->used);
  cpet__strlist_free(&p->ignore);
  cpet__strlist_free(&p->changed);
  cpet__strlist_free(&p->old_names);
  cpet__strlist_free(&p->new_names);
  cpet__strlist_free(&p->link_names);
  cpet__strlist_free(&p->link_targets);
}

/* ---- leaf lists ---- */

static int collect_leaf(cpet_node *n, void *ud) {
  if (cpet_node_kind_of(n) == CPET_NODE_LEAF && cpet__strlist_add(ud, cpet_node_full_name(n)))
    return CPET_ERR_NOMEM;
  return 0;
}

static cpet_status leaves_below(cpet_traj *t, const char *branch, cpet__strlist *out) {
  cpet_node *b = cpet__traj_find_exact(t, branch);
  if (!b || cpet_node_kind_of(b) != CPET_NODE_GROUP) return CPET_OK;
  return cpet__traj_walk(t, b, collect_leaf, out);
}

static int collect_link(cpet_node *n, void *ud) {
  if (cpet_node_kind_of(n) == CPET_NODE_LINK && cpet__strlist_add(ud, cpet_node_full_name(n)))
    return CPET_ERR_NOMEM;
  return 0;
}

/* ---- run names ---- */

/* run_%08d -> index (>= 0), run_ALL -> -1; 0 if not a run name. */
static int run_of(const char *c, int64_t *idx) { return cpet__run_index_from_name(c, idx); }

/* run_set_%05d -> set number; run_set_ALL -> -1; 0 if none. */
static int set_of(const char *c, int64_t *set) {
  if (strncmp(c, "run_set_", 8) != 0) return 0;
  if (strcmp(c + 8, "ALL") == 0) {
    *set = -1;
    return 1;
  }
  if (strlen(c + 8) != 5) return 0;
  int64_t v = 0;
  for (const char *q = c + 8; *q; q++) {
    if (*q < '0' || *q > '9') return 0;
    v = v * 10 + (*q - '0');
  }
  *set = v;
  return 1;
}

/* A component naming a run of either trajectory or run_ALL (pypet's run-difference rule). */
static int is_run_comp(const cpet__mplan *p, const char *c) {
  int64_t i;
  if (!run_of(c, &i)) return 0;
  return i < 0 || (size_t)i < p->old_len || (size_t)i < p->other_len;
}

static cpet_status has_run_comp(const cpet__mplan *p, const char *full, int *out) {
  cpet__path ph;
  CPET__CHECK(cpet__path_split(full, &ph));
  *out = 0;
  for (size_t i = 0; i < ph.n && !*out; i++)
    *out = is_run_comp(p, ph.c[i]);
  cpet__path_free(&ph);
  return CPET_OK;
}

/* pypet's _rename_full_name through other's reversed wildcards. Returns 1 and a new name in
 * *out (caller frees) when every translated component belongs to a used run; 0 when a
 * component is a translation of no used run (run_ALL, run_set_ALL, dropped duplicates). */
static cpet_status rename_full(const cpet__mplan *p, const char *full, char **out, int *ok) {
  cpet__path ph;
  *out = NULL;
  *ok = 1;
  CPET__CHECK(cpet__path_split(full, &ph));
  cpet_status st = CPET_OK;
  for (size_t i = 0; i < ph.n && *ok && st == CPET_OK; i++) {
    int64_t idx, set;
    char buf[32];
    if (run_of(ph.c[i], &idx)) {
      if (idx < 0) {
        *ok = 0; /* run_ALL: not an allowed translation in pypet's fast merge */
      } else if ((size_t)idx < p->other_len) {
        if (p->used[idx] < 0)
          *ok = 0;
        else
          cpet_run_name(p->used[idx], buf, sizeof buf);
        if (*ok) {
          cpet_free(ph.c[i]);
          if (!(ph.c[i] = cpet__strdup(buf))) st = cpet__err(CPET_ERR_NOMEM, "rename");
        }
      }
    } else if (set_of(ph.c[i], &set)) {
      if (set < 0) {
        *ok = 0;
      } else if ((size_t)set * 1000 < p->other_len) {
        int64_t first = -1;
        for (size_t r = (size_t)set * 1000; r < p->other_len && r < (size_t)set * 1000 + 1000; r++)
          if (p->used[r] >= 0) {
            first = p->used[r];
            break;
          }
        if (first < 0) {
          *ok = 0;
        } else {
          cpet_run_set_name(first, buf, sizeof buf);
          cpet_free(ph.c[i]);
          if (!(ph.c[i] = cpet__strdup(buf))) st = cpet__err(CPET_ERR_NOMEM, "rename");
        }
      }
    }
  }
  if (st == CPET_OK && *ok && !(*out = cpet__path_join(&ph, 0, ph.n)))
    st = cpet__err(CPET_ERR_NOMEM, "rename");
  cpet__path_free(&ph);
  return st;
}

/* ---- parameter-space check ---- */

static cpet_status check_side(cpet__mplan *p, cpet_traj *a, cpet_traj *b, const char *which) {
  cpet__strlist l = {0};
  cpet_status st = leaves_below(a, "parameters", &l);
  if (st == CPET_OK) st = leaves_below(a, "derived_parameters", &l);
  for (size_t i = 0; st == CPET_OK && i < l.n; i++) {
    if (cpet__strlist_has(&p->ignore, l.v[i])) continue;
    int runs = 0;
    st = has_run_comp(p, l.v[i], &runs);
    if (st != CPET_OK || runs) continue;
    cpet_node *mine = cpet__traj_find_exact(a, l.v[i]);
    cpet_node *theirs = cpet__traj_find_exact(b, l.v[i]);
    if (!theirs || cpet_node_kind_of(theirs) != CPET_NODE_LEAF) {
      st = cpet__err(CPET_ERR_TYPE,
                     "cannot merge trajectories '%s' and '%s': they do not live in the same "
                     "space, parameter '%s' is only found in the %s one",
                     cpet_traj_name(p->me), cpet_traj_name(p->other), l.v[i], which);
      break;
    }
    const cpet_value *va = cpet_param_value(mine), *vb = cpet_param_value(theirs);
    if (cpet_node_class(mine) != cpet_node_class(theirs) ||
        (va && vb && !cpet__param_same_type(cpet_node_class(mine), va, vb)))
      st = cpet__err(
          CPET_ERR_TYPE,
          "cannot merge trajectories: values of parameter '%s' are not of the same "
          "type (%s %s / %s %s)",
          l.v[i], cpet_node_class_name(mine), va ? cpet_type_name(cpet_value_type(va)) : "empty",
          cpet_node_class_name(theirs), vb ? cpet_type_name(cpet_value_type(vb)) : "empty");
  }
  cpet__strlist_free(&l);
  return st;
}

cpet_status cpet__merge_check(cpet__mplan *p) {
  CPET__CHECK(check_side(p, p->me, p->other, "current"));
  return check_side(p, p->other, p->me, "other");
}

/* ---- parameters and runs ---- */

static const cpet_value *value_at(const cpet_node *n, size_t run) {
  return cpet_param_is_explored(n) ? cpet_param_range(n, run) : cpet_param_value(n);
}

static int same_value(const cpet_value *a, const cpet_value *b) {
  if (!a || !b) return a == b;
  return cpet_value_equal(a, b);
}

/* 1 if some component of `full` is one of the other trajectory's wildcard translations. */
static int other_wild(const cpet__mplan *p, const char *full) {
  cpet__path ph;
  if (cpet__path_split(full, &ph) != CPET_OK) return 1;
  int w = 0;
  for (size_t i = 0; i < ph.n && !w; i++) {
    int64_t x;
    if (run_of(ph.c[i], &x))
      w = x < 0 || (size_t)x < p->other_len;
    else if (set_of(ph.c[i], &x))
      w = x < 0 || (size_t)x * 1000 < p->other_len;
  }
  cpet__path_free(&ph);
  return w;
}

static cpet_status extend_param(cpet__mplan *p, const char *name) {
  cpet_node *mine = cpet__traj_find_exact(p->me, name);
  cpet_node *theirs = cpet__traj_find_exact(p->other, name);
  size_t total = p->old_len + p->nused;
  if (cpet_param_is_explored(mine) && cpet_param_range_len(mine) != p->old_len)
    return cpet__err(CPET_ERR_LAYOUT, "range of '%s' has %zu values, the trajectory %zu runs", name,
                     cpet_param_range_len(mine), p->old_len);
  if (cpet_param_is_explored(theirs) && cpet_param_range_len(theirs) != p->other_len)
    return cpet__err(CPET_ERR_LAYOUT, "range of the other '%s' has %zu values for %zu runs", name,
                     cpet_param_range_len(theirs), p->other_len);
  const cpet_value **vals = cpet__calloc(total, sizeof *vals);
  if (!vals) return cpet__err(CPET_ERR_NOMEM, "range of '%s'", name);
  for (size_t i = 0; i < p->old_len; i++)
    vals[i] = value_at(mine, i);
  for (size_t i = 0; i < p->other_len; i++)
    if (p->used[i] >= 0) vals[p->used[i]] = value_at(theirs, i);
  cpet_status st = CPET_OK;
  for (size_t i = 0; i < total && st == CPET_OK; i++)
    if (!vals[i]) st = cpet__err(CPET_ERR_NOTSTORED, "parameter '%s' has no value", name);
  cpet__node_set_locked(mine, 0);
  if (st == CPET_OK) st = cpet_param_set_range(mine, (const cpet_value *const *)vals, total);
  if (st == CPET_OK) st = cpet_traj_mark_explored(p->me, mine);
  cpet_free(vals);
  return st;
}

static cpet_status new_runs(cpet__mplan *p) {
  CPET__CHECK(cpet_traj_set_length(p->me, p->old_len + p->nused));
  for (size_t i = 0; i < p->other_len; i++) {
    if (p->used[i] < 0) continue;
    cpet_run_info ri;
    CPET__CHECK(cpet_traj_run_info(p->other, i, &ri));
    CPET__CHECK(cpet_traj_parameter_summary(p->me, (size_t)p->used[i], ri.parameter_summary,
                                            sizeof ri.parameter_summary));
    CPET__CHECK(cpet_traj_set_run_info(p->me, (size_t)p->used[i], &ri));
  }
  return CPET_OK;
}

cpet_status cpet__merge_params(cpet__mplan *p, int remove_duplicates) {
  cpet__strlist l = {0};
  cpet_status st = leaves_below(p->other, "parameters", &l);
  if (st == CPET_OK) st = leaves_below(p->other, "derived_parameters", &l);
  for (size_t i = 0; st == CPET_OK && i < l.n; i++) {
    if (cpet__strlist_has(&p->ignore, l.v[i]) || other_wild(p, l.v[i])) continue;
    cpet_node *mine = cpet__traj_find_exact(p->me, l.v[i]);
    cpet_node *theirs = cpet__traj_find_exact(p->other, l.v[i]);
    if (!mine) continue; /* only possible below run groups, excluded above */
    int ea = cpet_param_is_explored(mine), eb = cpet_param_is_explored(theirs);
    if (ea || eb || !same_value(cpet_param_value(mine), cpet_param_value(theirs))) {
      st = cpet__strlist_add(&p->changed, l.v[i]);
      if (!ea && !eb) remove_duplicates = 0; /* differing defaults: every point differs */
    }
  }
  cpet__strlist_free(&l);
  if (st != CPET_OK) return st;
  p->used = cpet__calloc(p->other_len ? p->other_len : 1, sizeof *p->used);
  if (!p->used) return cpet__err(CPET_ERR_NOMEM, "run map");
  for (size_t i = 0; i < p->other_len; i++)
    p->used[i] = 1;
  for (size_t i = 0; remove_duplicates && i < p->other_len; i++)
    for (size_t j = 0; j < p->old_len; j++) {
      int same = 1;
      for (size_t k = 0; k < p->changed.n && same; k++) {
        cpet_node *a = cpet__traj_find_exact(p->me, p->changed.v[k]);
        cpet_node *b = cpet__traj_find_exact(p->other, p->changed.v[k]);
        same = same_value(value_at(a, j), value_at(b, i));
      }
      if (same) {
        p->used[i] = 0;
        break;
      }
    }
  p->nused = 0;
  for (size_t i = 0; i < p->other_len; i++)
    p->used[i] = p->used[i] ? (int64_t)(p->old_len + p->nused++) : -1;
  if (p->nused == 0)
    return cpet__err(CPET_ERR_INVAL,
                     "the merge discards all runs of '%s' (merging a trajectory with itself?)",
                     cpet_traj_name(p->other));
  for (size_t k = 0; k < p->changed.n; k++)
    CPET__CHECK(extend_param(p, p->changed.v[k]));
  for (size_t k = 0; k < p->changed.n; k++)
    CPET__CHECK(cpet__strlist_add(&p->ignore, p->changed.v[k]));
  return new_runs(p);
}

/* ---- results and derived parameters ---- */

static cpet_status rename_branch(cpet__mplan *p, const char *branch, int derived) {
  cpet__strlist l = {0};
  cpet_status st = leaves_below(p->other, branch, &l);
  for (size_t i = 0; st == CPET_OK && i < l.n; i++) {
    if (cpet__strlist_has(&p->ignore, l.v[i])) continue;
    char *nn = NULL;
    int ok = 0;
    st = rename_full(p, l.v[i], &nn, &ok);
    if (st != CPET_OK) break;
    if (!ok) {
      cpet__log(CPET_LOG_INFO, "merge", "'%s' belongs to no merged run (or run_ALL): skipped",
                l.v[i]);
    } else if (cpet__traj_find_exact(p->me, nn)) {
      cpet_node *mine = cpet__traj_find_exact(p->me, nn);
      cpet_node *theirs = cpet__traj_find_exact(p->other, l.v[i]);
      if (!derived || !same_value(cpet_param_value(mine), cpet_param_value(theirs)))
        cpet__log(CPET_LOG_WARN, "merge", "'%s' exists already, '%s' is not merged", nn, l.v[i]);
    } else {
      st = cpet__strlist_add(&p->old_names, l.v[i]);
      if (st == CPET_OK) st = cpet__strlist_add(&p->new_names, nn);
    }
    cpet_free(nn);
  }
  cpet__strlist_free(&l);
  return st;
}

cpet_status cpet__merge_renames(cpet__mplan *p) {
  CPET__CHECK(rename_branch(p, "derived_parameters", 1));
  return rename_branch(p, "results", 0);
}

/* ---- links ---- */

cpet_status cpet__merge_links(cpet__mplan *p) {
  cpet__strlist l = {0};
  cpet_status st = cpet__traj_walk(p->other, NULL, collect_link, &l);
  for (size_t i = 0; st == CPET_OK && i < l.n; i++) {
    cpet_node *ln = cpet__traj_find_exact(p->other, l.v[i]);
    const char *tname = cpet__link_target_name(ln);
    if (!tname || cpet__strlist_has(&p->ignore, l.v[i])) continue;
    char *nl = NULL, *nt = NULL;
    int ok1 = 0, ok2 = 0;
    st = rename_full(p, l.v[i], &nl, &ok1);
    if (st == CPET_OK) st = rename_full(p, tname, &nt, &ok2);
    if (st == CPET_OK && ok1 && ok2 && !cpet__traj_find_exact(p->me, nl)) {
      if (cpet__traj_find_exact(p->me, nt) || cpet__strlist_has(&p->new_names, nt)) {
        st = cpet__traj_add_link_path(p->me, nl, nt, NULL);
        if (st == CPET_OK) st = cpet__strlist_add(&p->link_names, nl);
        if (st == CPET_OK) st = cpet__strlist_add(&p->link_targets, nt);
      } else {
        cpet__log(CPET_LOG_WARN, "merge", "link '%s' -> '%s': target not merged, skipped", nl, nt);
      }
    }
    cpet_free(nl);
    cpet_free(nt);
  }
  cpet__strlist_free(&l);
  return st;
}

/* ---- config ---- */

static cpet_status copy_annotations(cpet_node *dst, const cpet_node *src) {
  for (size_t i = 0; i < cpet_node_nannotations(src); i++) {
    const char *k;
    const cpet_value *v;
    CPET__CHECK(cpet_node_annotation(src, i, &k, &v));
    CPET__CHECK(cpet_node_annotate(dst, k, v));
  }
  return CPET_OK;
}

cpet_status cpet__merge_config(cpet__mplan *p) {
  static const char *const groups[] = {"config.git", "config.environment", "config.merge"};
  for (size_t g = 0; g < 3; g++) {
    cpet__strlist l = {0};
    cpet_status st = leaves_below(p->other, groups[g], &l);
    for (size_t i = 0; st == CPET_OK && i < l.n; i++) {
      if (cpet__traj_find_exact(p->me, l.v[i])) continue;
      cpet_node *src = cpet__traj_find_exact(p->other, l.v[i]), *dst = NULL;
      cpet_leaf_class cls = cpet_node_class(src);
      if (cls != CPET_CLASS_PARAMETER && cls != CPET_CLASS_ARRAY_PARAMETER &&
          cls != CPET_CLASS_SPARSE_PARAMETER) {
        cpet__log(CPET_LOG_WARN, "merge", "config '%s' of class %s not merged", l.v[i],
                  cpet_node_class_name(src));
        continue;
      }
      st = cpet_traj_add_param(p->me, l.v[i], cls, cpet_param_value(src), cpet_node_comment(src),
                               &dst);
      if (st == CPET_OK) st = copy_annotations(dst, src);
    }
    cpet__strlist_free(&l);
    CPET__CHECK(st);
  }
  return CPET_OK;
}

/* ---- config.merge record ---- */

/* Python's str(float), which pypet feeds into the merge's SHA-1. */
static void py_float(double x, char *buf, size_t cap) {
  cpet_value *v = NULL;
  buf[0] = '\0';
  if (cpet_value_new_float(x, &v) == CPET_OK) cpet_value_repr(v, buf, cap);
  cpet_value_free(v);
}

cpet_status cpet__merge_id(const cpet__mplan *p, double timestamp, const char *version,
                           char name[64], char hexsha[41]) {
  char t1[64], t2[64];
  py_float(cpet_traj_timestamp(p->me), t1, sizeof t1);
  py_float(cpet_traj_timestamp(p->other), t2, sizeof t2);
  char *msg = cpet__asprintf("%s%s%s%s%s", cpet_traj_name(p->me), t1, cpet_traj_name(p->other), t2,
                             version);
  if (!msg) return cpet__err(CPET_ERR_NOMEM, "merge id");
  cpet__sha1_hex(msg, strlen(msg), hexsha);
  cpet_free(msg);
  time_t tt = (time_t)timestamp;
  struct tm tm;
  char when[32] = "";
  if (localtime_r(&tt, &tm)) strftime(when, sizeof when, "%Y_%m_%d_%Hh%Mm%Ss", &tm);
  snprintf(name, 64, "merge_%.7s_%s", hexsha, when);
  return CPET_OK;
}

static cpet_status add_cfg(cpet__mplan *p, const char *mname, const char *key, cpet_value *take,
                           const char *comment) {
  if (!take) return cpet__err(CPET_ERR_NOMEM, "merge record");
  char *full = cpet__asprintf("config.merge.%s.%s", mname, key);
  cpet_status st = full
                       ? cpet_traj_add_param(p->me, full, CPET_CLASS_PARAMETER, take, comment, NULL)
                       : cpet__err(CPET_ERR_NOMEM, "merge record");
  cpet_free(full);
  cpet_value_free(take);
  return st;
}

static cpet_value *v_int(int64_t i) {
  cpet_value *v = NULL;
  return cpet_value_new_int(i, &v) == CPET_OK ? v : NULL;
}
static cpet_value *v_float(double x) {
  cpet_value *v = NULL;
  return cpet_value_new_float(x, &v) == CPET_OK ? v : NULL;
}
static cpet_value *v_str(const char *s) {
  cpet_value *v = NULL;
  return cpet_value_new_str(s, &v) == CPET_OK ? v : NULL;
}
static cpet_value *v_bool(int b) {
  cpet_value *v = NULL;
  return cpet_value_new_bool(b, &v) == CPET_OK ? v : NULL;
}

cpet_status cpet__merge_record(cpet__mplan *p, const char *m, const char *hexsha, double timestamp,
                               int remove_duplicates, int keep_other, const char *version) {
  CPET__CHECK(add_cfg(p, m, "merged_runs", v_int((int64_t)p->nused), "Number of merged runs"));
  CPET__CHECK(add_cfg(p, m, "timestamp", v_float(timestamp), "Timestamp of merge"));
  CPET__CHECK(add_cfg(p, m, "hexsha", v_str(hexsha), "SHA-1 identifier of the merge"));
  CPET__CHECK(add_cfg(p, m, "remove_duplicates", v_bool(remove_duplicates),
                      "Option to remove duplicate entries"));
  /* pypet records ignore_data as a tuple of the names given by the user. */
  size_t nign = p->ignore.n - p->changed.n;
  if (nign) {
    const char **names = cpet__calloc(nign, sizeof *names);
    if (!names) return cpet__err(CPET_ERR_NOMEM, "merge record");
    for (size_t i = 0; i < nign; i++)
      names[i] = p->ignore.v[i];
    size_t shape[1] = {nign};
    cpet_value *tup = NULL;
    cpet_status st = cpet_value_new_str_array(CPET_KIND_TUPLE, CPET_T_PY_STR, 1, shape,
                                              (const char *const *)names, &tup);
    cpet_free(names);
    CPET__CHECK(st);
    CPET__CHECK(add_cfg(p, m, "ignore_data", tup, "Data to ignore during merge"));
  }
  /* pypet reads len(self) after extending the ranges: the length after the merge. */
  CPET__CHECK(add_cfg(p, m, "length_before_merge", v_int((int64_t)cpet_traj_length(p->me)),
                      "Length of trajectory before merge"));
  cpet_node *g = cpet__traj_find_exact(p->me, "config.merge");
  if (g) CPET__CHECK(cpet_node_set_comment(g, "Settings and information of the different merges"));
  if (strcmp(cpet_traj_version(p->me), version) != 0)
    CPET__CHECK(add_cfg(p, m, "version", v_str(cpet_traj_version(p->me)),
                        "Pypet version if it differs from the version of the trajectory"));
  if (!keep_other) return CPET_OK;
  if (strcmp(cpet_traj_version(p->other), cpet_traj_version(p->me)) != 0)
    CPET__CHECK(add_cfg(p, m, "other_trajectory.version", v_str(cpet_traj_version(p->other)),
                        "The version of pypet you used to manage the other trajectory. Only "
                        "added if other trajectory's version differs from current trajectory "
                        "version."));
  CPET__CHECK(add_cfg(p, m, "other_trajectory.name", v_str(cpet_traj_name(p->other)),
                      "Name of other trajectory merged into the current one"));
  CPET__CHECK(add_cfg(p, m, "other_trajectory.timestamp", v_float(cpet_traj_timestamp(p->other)),
                      "Timestamp of creation of other trajectory merged into the current one"));
  CPET__CHECK(add_cfg(p, m, "other_trajectory.length", v_int((int64_t)p->other_len),
                      "Length of other trajectory"));
  const char *oc = cpet_traj_comment(p->other);
  if (oc && *oc)
    CPET__CHECK(
        add_cfg(p, m, "other_trajectory.comment", v_str(oc), "Comment of other trajectory"));
  return CPET_OK;
}
