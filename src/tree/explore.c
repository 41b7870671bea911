/* explore.c - parameter values and ranges, exploration (pypet's f_explore, f_expand and
 * utils/explore.py cartesian_product) and the runs' parameter summaries. */
#include <stdio.h>
#include <string.h>

#include "tree/tree_int.h"

/* ---- what each parameter class holds (pypet/parameter.py f_supports) ---- */

/* PARAMETER_SUPPORTED_DATA: every scalar type except numpy bytes_ and None. */
static int scalar_type_ok(cpet_type t) { return t != CPET_T_NONE && t != CPET_T_BYTES; }

static int is_scalar(const cpet_value *v) {
  return cpet_value_kind(v) == CPET_KIND_SCALAR && cpet_value_ndim(v) == 0;
}

static int is_seq(const cpet_value *v) {
  cpet_kind k = cpet_value_kind(v);
  return k == CPET_KIND_LIST || k == CPET_KIND_TUPLE;
}

static size_t seq_len(const cpet_value *v) {
  return cpet_value_type(v) == CPET_T_NONE ? cpet_value_nchildren(v) : cpet_value_nelem(v);
}

/* Element type of a homogeneous list/tuple; CPET_T_NONE if empty or heterogeneous. */
static cpet_type seq_elem_type(const cpet_value *v) {
  if (cpet_value_type(v) != CPET_T_NONE) return cpet_value_type(v);
  size_t n = cpet_value_nchildren(v);
  cpet_type t = CPET_T_NONE;
  for (size_t i = 0; i < n; i++) {
    const cpet_value *c = cpet_value_child(v, i);
    if (!is_scalar(c)) return CPET_T_NONE;
    if (i == 0)
      t = cpet_value_type(c);
    else if (cpet_value_type(c) != t)
      return CPET_T_NONE;
  }
  return t;
}

static cpet_status plain_supports(const cpet_value *v) {
  cpet_kind k = cpet_value_kind(v);
  if (k == CPET_KIND_SCALAR) {
    if (cpet_value_ndim(v) == 0 && scalar_type_ok(cpet_value_type(v))) return CPET_OK;
    return cpet__err(CPET_ERR_TYPE, "a Parameter does not support %s scalars",
                     cpet_type_name(cpet_value_type(v)));
  }
  if (is_seq(v)) {
    if (seq_len(v) == 0)
      return cpet__err(CPET_ERR_TYPE, "a Parameter does not support an empty %s",
                       cpet_kind_name(k));
    cpet_type t = seq_elem_type(v);
    if (!scalar_type_ok(t))
      return cpet__err(CPET_ERR_TYPE,
                       "a Parameter supports only homogeneous %ss of supported "
                       "scalars",
                       cpet_kind_name(k));
    return CPET_OK;
  }
  if (k == CPET_KIND_NDARRAY || k == CPET_KIND_MATRIX) {
    cpet_type t = cpet_value_type(v);
    if (cpet_value_nelem(v) == 0)
      return cpet__err(CPET_ERR_TYPE, "a Parameter does not support an empty %s",
                       cpet_kind_name(k));
    if (t == CPET_T_NONE || t == CPET_T_BYTES || t == CPET_T_PY_BYTES)
      return cpet__err(CPET_ERR_TYPE, "a Parameter does not support %s of %s", cpet_kind_name(k),
                       cpet_type_name(t));
    return CPET_OK;
  }
  return cpet__err(CPET_ERR_TYPE, "a Parameter does not support %s values", cpet_kind_name(k));
}

cpet_status cpet__param_supports(cpet_leaf_class cls, const cpet_value *v) {
  if (!v) return cpet__err(CPET_ERR_INVAL, "NULL parameter value");
  cpet_kind k = cpet_value_kind(v);
  switch (cls) {
  case CPET_CLASS_PICKLE_PARAMETER:
  case CPET_CLASS_CUSTOM:
    return CPET_OK;
  case CPET_CLASS_SPARSE_PARAMETER:
    if (k == CPET_KIND_SPARSE) return CPET_OK;
    /* fall through */
  case CPET_CLASS_ARRAY_PARAMETER:
    /* pypet: `dtype is tuple or dtype is list and len(data) == 0` - any tuple, empty lists */
    if (k == CPET_KIND_TUPLE || (k == CPET_KIND_LIST && seq_len(v) == 0)) return CPET_OK;
    if (k == CPET_KIND_NDARRAY && cpet_value_nelem(v) == 0 && cpet_value_ndim(v) == 1)
      return CPET_OK;
    /* fall through */
  case CPET_CLASS_PARAMETER:
    return plain_supports(v);
  default:
    return cpet__err(CPET_ERR_TYPE, "class %d is not a parameter class", (int)cls);
  }
}

static int same_shape(const cpet_value *a, const cpet_value *b) {
  int nd = cpet_value_ndim(a);
  if (nd != cpet_value_ndim(b)) return 0;
  const size_t *sa = cpet_value_shape(a), *sb = cpet_value_shape(b);
  for (int i = 0; i < nd; i++)
    if (sa[i] != sb[i]) return 0;
  return 1;
}

/* Parameter: same kind and element type; arrays, lists and tuples also the same shape (the
 * one-column table pypet stores needs it). */
static int plain_same_type(const cpet_value *a, const cpet_value *b) {
  cpet_kind k = cpet_value_kind(a);
  if (k != cpet_value_kind(b)) return 0;
  if (is_seq(a)) return seq_elem_type(a) == seq_elem_type(b) && seq_len(a) == seq_len(b);
  if (cpet_value_type(a) != cpet_value_type(b)) return 0;
  if (k == CPET_KIND_NDARRAY || k == CPET_KIND_MATRIX) return same_shape(a, b);
  return 1;
}

int cpet__param_same_type(cpet_leaf_class cls, const cpet_value *a, const cpet_value *b) {
  cpet_kind ka = cpet_value_kind(a), kb = cpet_value_kind(b);
  switch (cls) {
  case CPET_CLASS_PICKLE_PARAMETER:
  case CPET_CLASS_CUSTOM:
    return 1;
  case CPET_CLASS_SPARSE_PARAMETER:
    if (ka == CPET_KIND_SPARSE && kb == CPET_KIND_SPARSE) return 1;
    /* fall through */
  case CPET_CLASS_ARRAY_PARAMETER:
    if ((ka == CPET_KIND_NDARRAY || ka == CPET_KIND_TUPLE || ka == CPET_KIND_MATRIX) && ka == kb)
      return 1;
    /* fall through */
  default:
    return plain_same_type(a, b);
  }
}

static cpet_status check_range_value(const cpet_node *p, const cpet_value *ref, const cpet_value *v,
                                     size_t i) {
  cpet_status st = cpet__param_supports(p->cls, v);
  if (st != CPET_OK) {
    cpet__err_context("range element %zu of `%s`", i, p->full_name);
    return st;
  }
  if (ref && !cpet__param_same_type(p->cls, ref, v))
    return cpet__err(CPET_ERR_EXPLORED,
                     "range element %zu of `%s` is a %s of %s, the default a %s of %s (kind, "
                     "type and shape of an explored parameter cannot change)",
                     i, p->full_name, cpet_kind_name(cpet_value_kind(v)),
                     cpet_type_name(cpet_value_type(v)), cpet_kind_name(cpet_value_kind(ref)),
                     cpet_type_name(cpet_value_type(ref)));
  return CPET_OK;
}

/* ---- parameter getters/setters ---- */

static cpet_status need_param(const cpet_node *p, const char *fn) {
  if (!p) return cpet__err(CPET_ERR_INVAL, "%s: NULL node", fn);
  if (p->kind != CPET_NODE_LEAF || !cpet_node_is_parameter(p))
    return cpet__err(CPET_ERR_TYPE, "%s: `%s` is not a parameter", fn, p->full_name);
  return CPET_OK;
}

const cpet_value *cpet_param_value(const cpet_node *param) { return param->value; }
int cpet_param_is_explored(const cpet_node *param) {
  return param->explored || param->range_len > 0;
}
size_t cpet_param_range_len(const cpet_node *param) { return param->range_len; }
const cpet_value *cpet_param_range(const cpet_node *param, size_t i) {
  return i < param->range_len ? param->range[i] : NULL;
}

const cpet_value *cpet_param_current(const cpet_node *param) {
  int64_t crun = param->traj->crun;
  if (crun >= 0 && (uint64_t)crun < param->range_len) return param->range[crun];
  return param->value;
}

cpet_status cpet_param_set(cpet_node *param, const cpet_value *value) {
  CPET__CHECK(need_param(param, "cpet_param_set"));
  if (!value) return cpet__err(CPET_ERR_INVAL, "cpet_param_set: NULL value");
  if (param->locked) return cpet__err(CPET_ERR_STATE, "parameter `%s` is locked", param->full_name);
  CPET__CHECK(cpet__param_supports(param->cls, value));
  const cpet_value *ref = param->value ? param->value : (param->range_len ? param->range[0] : NULL);
  if (cpet_param_is_explored(param) && ref && !cpet__param_same_type(param->cls, ref, value))
    return cpet__err(CPET_ERR_EXPLORED, "`%s` is explored: its type cannot change",
                     param->full_name);
  cpet_value *copy = NULL;
  CPET__CHECK(cpet_value_copy(value, &copy));
  cpet_value_free(param->value);
  param->value = copy;
  param->loaded = 1;
  return CPET_OK;
}

cpet_status cpet_param_set_range(cpet_node *param, const cpet_value *const *values, size_t n) {
  CPET__CHECK(need_param(param, "cpet_param_set_range"));
  if (n && !values) return cpet__err(CPET_ERR_INVAL, "cpet_param_set_range: NULL values");
  const cpet_value *ref = param->value ? param->value : (n ? values[0] : NULL);
  for (size_t i = 0; i < n; i++)
    CPET__CHECK(check_range_value(param, ref, values[i], i));
  cpet_value **r = n ? cpet__calloc(n, sizeof *r) : NULL;
  if (n && !r) return cpet__err(CPET_ERR_NOMEM, "range of `%s`", param->full_name);
  for (size_t i = 0; i < n; i++) {
    cpet_status st = cpet_value_copy(values[i], &r[i]);
    if (st != CPET_OK) {
      for (size_t j = 0; j < i; j++)
        cpet_value_free(r[j]);
      cpet_free(r);
      return st;
    }
  }
  cpet__leaf_clear_range(param);
  cpet_free(param->range);
  param->range = r;
  param->range_len = param->range_cap = n;
  if (n) param->explored = 1;
  return CPET_OK;
}

cpet_status cpet_traj_mark_explored(cpet_traj *traj, cpet_node *param) {
  if (!traj) return cpet__err(CPET_ERR_INVAL, "cpet_traj_mark_explored: NULL trajectory");
  CPET__CHECK(need_param(param, "cpet_traj_mark_explored"));
  for (size_t i = 0; i < traj->nexplored; i++)
    if (traj->explored[i] == param) return CPET_OK;
  if (traj->nexplored == traj->capexplored) {
    size_t cap = traj->capexplored ? traj->capexplored * 2 : 8;
    cpet_node **e = cpet__realloc(traj->explored, cap * sizeof *e);
    if (!e) return cpet__err(CPET_ERR_NOMEM, "explored parameters");
    traj->explored = e;
    traj->capexplored = cap;
  }
  traj->explored[traj->nexplored++] = param;
  param->explored = 1;
  return CPET_OK;
}

size_t cpet_traj_nexplored(const cpet_traj *traj) { return traj->nexplored; }
cpet_node *cpet_traj_explored(const cpet_traj *traj, size_t i) {
  return i < traj->nexplored ? traj->explored[i] : NULL;
}

/* ---- range elements ---- */

static size_t str_len(const char *s, size_t itemsize) {
  while (itemsize && s[itemsize - 1] == '\0')
    itemsize--;
  return itemsize;
}

/* Number of elements a range value yields (iteration over its first axis). */
static cpet_status range_count(const cpet_value *r, const char *name, size_t *n) {
  cpet_kind k = cpet_value_kind(r);
  if (is_seq(r)) {
    *n = seq_len(r);
    return CPET_OK;
  }
  if ((k == CPET_KIND_NDARRAY || k == CPET_KIND_MATRIX) && cpet_value_ndim(r) >= 1) {
    *n = cpet_value_shape(r)[0];
    return CPET_OK;
  }
  return cpet__err(CPET_ERR_TYPE, "range of `%s`: a %s is no list, tuple or array", name,
                   cpet_kind_name(k));
}

/* Element i as Python iteration yields it: list items, numpy scalars of a 1-d array, rows of
 * n-d arrays (1 x n matrices for a matrix). */
static cpet_status range_elem(const cpet_value *r, size_t i, cpet_value **out) {
  cpet_kind k = cpet_value_kind(r);
  cpet_type t = cpet_value_type(r);
  if (is_seq(r) && t == CPET_T_NONE) return cpet_value_copy(cpet_value_child(r, i), out);
  size_t isz = cpet_value_itemsize(r);
  const char *data = cpet_value_data(r);
  int nd = cpet_value_ndim(r);
  if (is_seq(r) || nd == 1) {
    const char *e = data + i * isz;
    size_t len = isz;
    if (t == CPET_T_PY_STR || t == CPET_T_PY_BYTES || t == CPET_T_STR || t == CPET_T_BYTES)
      len = str_len(e, isz);
    return cpet_value_new_scalar(t, e, len, out);
  }
  const size_t *shape = cpet_value_shape(r);
  size_t row = isz;
  for (int d = 1; d < nd; d++)
    row *= shape[d];
  if (k == CPET_KIND_MATRIX) {
    size_t sh[2] = {1, shape[1]};
    return cpet_value_new_array(k, t, isz, 2, sh, data + i * row, out);
  }
  return cpet_value_new_array(k, t, isz, nd - 1, shape + 1, data + i * row, out);
}

/* ---- exploration ---- */

typedef struct plan {
  cpet_node **params;
  cpet_value ***vals; /* vals[k][i] */
  size_t n, len;
} plan;

static void plan_free(plan *pl) {
  if (pl->vals)
    for (size_t k = 0; k < pl->n; k++) {
      if (!pl->vals[k]) continue;
      for (size_t i = 0; i < pl->len; i++)
        cpet_value_free(pl->vals[k][i]);
      cpet_free(pl->vals[k]);
    }
  cpet_free(pl->vals);
  cpet_free(pl->params);
}

/* Resolves the names to distinct parameters with default values. */
static cpet_status resolve(cpet_traj *t, size_t n, const char *const *names, plan *pl,
                           int want_explored) {
  if (n == 0 || !names) return cpet__err(CPET_ERR_INVAL, "nothing to explore");
  pl->n = n;
  pl->params = cpet__calloc(n, sizeof *pl->params);
  pl->vals = cpet__calloc(n, sizeof *pl->vals);
  if (!pl->params || !pl->vals) return cpet__err(CPET_ERR_NOMEM, "exploration");
  for (size_t k = 0; k < n; k++) {
    cpet_node *p = NULL;
    if (!names[k]) return cpet__err(CPET_ERR_INVAL, "parameter name %zu is NULL", k);
    CPET__CHECK(cpet_traj_find(t, names[k], &p));
    if (p->kind != CPET_NODE_LEAF || !cpet_node_is_parameter(p))
      return cpet__err(CPET_ERR_TYPE,
                       "`%s` is not an appropriate search string for a parameter "
                       "(found `%s`)",
                       names[k], p->full_name);
    for (size_t j = 0; j < k; j++)
      if (pl->params[j] == p) return cpet__err(CPET_ERR_INVAL, "`%s` is named twice", p->full_name);
    if (!want_explored && cpet_param_is_explored(p))
      return cpet__err(CPET_ERR_EXPLORED,
                       "parameter `%s` is already explored; use "
                       "cpet_traj_expand",
                       p->full_name);
    if (want_explored && !cpet_param_is_explored(p))
      return cpet__err(CPET_ERR_STATE,
                       "`%s` is not explored: an expansion must name exactly "
                       "the explored parameters",
                       p->full_name);
    if (!p->value)
      return cpet__err(CPET_ERR_STATE, "parameter `%s` has no default value", p->full_name);
    if (p->locked) return cpet__err(CPET_ERR_STATE, "parameter `%s` is locked", p->full_name);
    pl->params[k] = p;
  }
  return CPET_OK;
}

/* Extracts and checks the elements of every range (zipped: equal lengths). */
static cpet_status build_zipped(plan *pl, const cpet_value *const *ranges) {
  if (!ranges) return cpet__err(CPET_ERR_INVAL, "NULL ranges");
  for (size_t k = 0; k < pl->n; k++) {
    size_t m = 0;
    if (!ranges[k]) return cpet__err(CPET_ERR_INVAL, "range %zu is NULL", k);
    CPET__CHECK(range_count(ranges[k], pl->params[k]->full_name, &m));
    if (m == 0)
      return cpet__err(CPET_ERR_INVAL, "cannot explore `%s` with an empty range",
                       pl->params[k]->full_name);
    if (k == 0) pl->len = m;
    if (m != pl->len)
      return cpet__err(CPET_ERR_INVAL,
                       "the parameters to explore have not the same size "
                       "(`%s`: %zu, `%s`: %zu)",
                       pl->params[0]->full_name, pl->len, pl->params[k]->full_name, m);
  }
  for (size_t k = 0; k < pl->n; k++) {
    pl->vals[k] = cpet__calloc(pl->len, sizeof(cpet_value *));
    if (!pl->vals[k]) return cpet__err(CPET_ERR_NOMEM, "exploration");
    for (size_t i = 0; i < pl->len; i++) {
      CPET__CHECK(range_elem(ranges[k], i, &pl->vals[k][i]));
      CPET__CHECK(check_range_value(pl->params[k], pl->params[k]->value, pl->vals[k][i], i));
    }
  }
  return CPET_OK;
}

/* Cartesian product: the first parameter varies slowest (itertools.product). */
static cpet_status build_product(plan *pl, const cpet_value *const *ranges) {
  size_t *lens = cpet__calloc(pl->n, sizeof *lens);
  if (!lens) return cpet__err(CPET_ERR_NOMEM, "exploration");
  cpet_status st = CPET_OK;
  size_t total = 1;
  for (size_t k = 0; k < pl->n && st == CPET_OK; k++) {
    if (!ranges || !ranges[k]) st = cpet__err(CPET_ERR_INVAL, "range %zu is NULL", k);
    if (st == CPET_OK) st = range_count(ranges[k], pl->params[k]->full_name, &lens[k]);
    if (st == CPET_OK && lens[k] == 0)
      st = cpet__err(CPET_ERR_INVAL, "cannot explore `%s` with an empty range",
                     pl->params[k]->full_name);
    if (st == CPET_OK && cpet__mul_size(total, lens[k], &total) != 0)
      st = cpet__err(CPET_ERR_RANGE, "cartesian product too large");
  }
  /* the factors, one parameter at a time */
  cpet_value ***f = st == CPET_OK ? cpet__calloc(pl->n, sizeof *f) : NULL;
  if (st == CPET_OK && !f) st = cpet__err(CPET_ERR_NOMEM, "exploration");
  for (size_t k = 0; st == CPET_OK && k < pl->n; k++) {
    f[k] = cpet__calloc(lens[k], sizeof **f);
    if (!f[k]) st = cpet__err(CPET_ERR_NOMEM, "exploration");
    for (size_t i = 0; st == CPET_OK && i < lens[k]; i++) {
      st = range_elem(ranges[k], i, &f[k][i]);
      if (st == CPET_OK) st = check_range_value(pl->params[k], pl->params[k]->value, f[k][i], i);
    }
  }
  pl->len = total;
  for (size_t k = 0; st == CPET_OK && k < pl->n; k++) {
    size_t inner = 1; /* product of the lengths after k */
    for (size_t j = k + 1; j < pl->n; j++)
      inner *= lens[j];
    pl->vals[k] = cpet__calloc(total, sizeof(cpet_value *));
    if (!pl->vals[k]) st = cpet__err(CPET_ERR_NOMEM, "exploration of %zu runs", total);
    for (size_t i = 0; st == CPET_OK && i < total; i++)
      st = cpet_value_copy(f[k][(i / inner) % lens[k]], &pl->vals[k][i]);
  }
  if (f) {
    for (size_t k = 0; k < pl->n; k++) {
      if (!f[k]) continue;
      for (size_t i = 0; i < lens[k]; i++)
        cpet_value_free(f[k][i]);
      cpet_free(f[k]);
    }
    cpet_free(f);
  }
  cpet_free(lens);
  return st;
}

static cpet_status reserve_explored(cpet_traj *t, size_t more) {
  size_t need = t->nexplored + more;
  if (need <= t->capexplored) return CPET_OK;
  size_t cap = t->capexplored ? t->capexplored : 8;
  while (cap < need)
    cap *= 2;
  cpet_node **e = cpet__realloc(t->explored, cap * sizeof *e);
  if (!e) return cpet__err(CPET_ERR_NOMEM, "explored parameters");
  t->explored = e;
  t->capexplored = cap;
  return CPET_OK;
}

static cpet_status explore_common(cpet_traj *t, size_t n, const char *const *names,
                                  const cpet_value *const *ranges, int product) {
  if (!t) return cpet__err(CPET_ERR_INVAL, "explore: NULL trajectory");
  for (size_t i = 0; i < t->nruns; i++)
    if (t->runs[i].completed)
      return cpet__err(CPET_ERR_STATE,
                       "run %zu is completed: a trajectory that ran cannot be "
                       "explored again, use cpet_traj_expand",
                       i);
  plan pl = {0};
  cpet_status st = resolve(t, n, names, &pl, 0);
  if (st == CPET_OK) st = product ? build_product(&pl, ranges) : build_zipped(&pl, ranges);
  if (st == CPET_OK && t->nexplored && pl.len != t->nruns)
    st = cpet__err(CPET_ERR_INVAL,
                   "the parameters to explore have not the same size: new "
                   "ranges have %zu values, the trajectory %zu runs",
                   pl.len, t->nruns);
  if (st == CPET_OK) st = reserve_explored(t, n);
  if (st == CPET_OK) st = cpet__traj_resize_runs(t, pl.len, 1);
  if (st != CPET_OK) {
    plan_free(&pl);
    return st;
  }
  for (size_t k = 0; k < n; k++) { /* commit: cannot fail from here */
    cpet_node *p = pl.params[k];
    cpet__leaf_clear_range(p);
    cpet_free(p->range);
    p->range = pl.vals[k];
    p->range_len = p->range_cap = pl.len;
    pl.vals[k] = NULL;
    p->explored = 1;
    t->explored[t->nexplored++] = p;
  }
  plan_free(&pl);
  return CPET_OK;
}

cpet_status cpet_traj_explore(cpet_traj *traj, size_t nparams, const char *const *names,
                              const cpet_value *const *ranges) {
  return explore_common(traj, nparams, names, ranges, 0);
}

cpet_status cpet_traj_explore_product(cpet_traj *traj, size_t nparams, const char *const *names,
                                      const cpet_value *const *ranges) {
  return explore_common(traj, nparams, names, ranges, 1);
}

cpet_status cpet_traj_expand(cpet_traj *traj, size_t nparams, const char *const *names,
                             const cpet_value *const *ranges) {
  if (!traj) return cpet__err(CPET_ERR_INVAL, "cpet_traj_expand: NULL trajectory");
  if (traj->nexplored == 0) return explore_common(traj, nparams, names, ranges, 0);
  plan pl = {0};
  cpet_status st = resolve(traj, nparams, names, &pl, 1);
  if (st == CPET_OK && nparams != traj->nexplored)
    st = cpet__err(CPET_ERR_INVAL, "you have to expand all %zu explored parameters (%zu named)",
                   traj->nexplored, nparams);
  for (size_t k = 0; st == CPET_OK && k < nparams; k++)
    if (pl.params[k]->range_len != traj->nruns)
      st = cpet__err(CPET_ERR_STATE, "`%s` has %zu of %zu range values: load it first",
                     pl.params[k]->full_name, pl.params[k]->range_len, traj->nruns);
  if (st == CPET_OK) st = build_zipped(&pl, ranges);
  size_t old = traj->nruns, total = old + pl.len;
  for (size_t k = 0; st == CPET_OK && k < nparams; k++) {
    cpet_node *p = pl.params[k];
    if (p->range_cap < total) {
      cpet_value **r = cpet__realloc(p->range, total * sizeof *r);
      if (!r)
        st = cpet__err(CPET_ERR_NOMEM, "range of `%s`", p->full_name);
      else {
        p->range = r;
        p->range_cap = total;
      }
    }
  }
  if (st == CPET_OK) st = cpet__traj_resize_runs(traj, total, 0);
  if (st != CPET_OK) {
    plan_free(&pl);
    return st;
  }
  for (size_t k = 0; k < nparams; k++) {
    cpet_node *p = pl.params[k];
    memcpy(p->range + old, pl.vals[k], pl.len * sizeof *p->range);
    p->range_len = total;
    cpet_free(pl.vals[k]);
    pl.vals[k] = NULL;
    p->stored = 0; /* pypet deletes expanded parameters from disk; they are written anew */
  }
  plan_free(&pl);
  return CPET_OK;
}

/* ---- parameter summary (trajectory.py _summarize_explored_parameters) ---- */

cpet_status cpet__traj_parameter_summary_alloc(const cpet_traj *traj, size_t idx, char **out) {
  if (!traj || !out) return cpet__err(CPET_ERR_INVAL, "parameter summary: NULL argument");
  *out = NULL;
  if (idx >= traj->nruns)
    return cpet__err(CPET_ERR_RANGE, "run %zu of a trajectory of length %zu", idx, traj->nruns);
  size_t cap = 256, len = 0;
  char *s = cpet__malloc(cap);
  if (!s) return cpet__err(CPET_ERR_NOMEM, "parameter summary");
  s[0] = '\0';
  char val[1024];
  for (size_t k = 0; k < traj->nexplored; k++) {
    const cpet_node *p = traj->explored[k];
    if (idx < p->range_len)
      cpet_value_repr(p->range[idx], val, sizeof val);
    else
      snprintf(val, sizeof val, "No Evaluation possible (yet)!");
    size_t vlen = strlen(val);
    if (vlen >= CPET__SUMMARY_MAX) { /* valstr[0:509] + "..." */
      memcpy(val + CPET__SUMMARY_MAX - 3, "...", 4);
      vlen = CPET__SUMMARY_MAX;
    }
    /* pypet: `if expparam.v_name in runsummary` - a substring test on the text so far */
    const char *nm = strstr(s, p->name) ? p->full_name : p->name;
    size_t need = len + 4 + strlen(nm) + 2 + vlen + 1;
    if (need > cap) {
      while (cap < need)
        cap *= 2;
      char *ns = cpet__realloc(s, cap);
      if (!ns) {
        cpet_free(s);
        return cpet__err(CPET_ERR_NOMEM, "parameter summary");
      }
      s = ns;
    }
    len += (size_t)sprintf(s + len, "%s%s: %s", k ? ",   " : "", nm, val);
  }
  *out = s;
  return CPET_OK;
}

cpet_status cpet_traj_parameter_summary(const cpet_traj *traj, size_t idx, char *buf, size_t cap) {
  if (!buf || cap == 0) return cpet__err(CPET_ERR_INVAL, "parameter summary: no buffer");
  char *s = NULL;
  CPET__CHECK(cpet__traj_parameter_summary_alloc(traj, idx, &s));
  size_t len = strlen(s);
  if (len < cap) {
    memcpy(buf, s, len + 1);
  } else if (cap >= 4) { /* as the writer cuts strings: width-3 bytes plus "..." */
    memcpy(buf, s, cap - 4);
    memcpy(buf + cap - 4, "...", 4);
  } else {
    memset(buf, '.', cap - 1);
    buf[cap - 1] = '\0';
  }
  cpet_free(s);
  return CPET_OK;
}
