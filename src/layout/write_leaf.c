/* write_leaf.c - a leaf's data in its class layout (spec 8.1): the leaf becomes pypet's
 * store_dict (key -> value + flag), which is then written item by item with the store-mode
 * rules of HDF5StorageService._prm_store_parameter_or_result (spec 10.2). */
#include <string.h>

#include "h5/h5_int.h"
#include "layout/write_int.h"
#include "value/value_int.h"

/* One entry of pypet's store_dict. */
typedef struct {
  char *key;           /* owned; dotted keys are nested groups */
  const char *ukey;    /* the leaf's item key it comes from (overwrite lists name these) */
  const cpet_value *v; /* value (borrowed, or `owned`) */
  cpet_value *owned;
  cpet_flag flag;
  char *raw; /* owned str/bytes payload written as a scalar (hex, pickles) */
  size_t rawlen;
  const char *stype; /* recorded type of `raw` */
} wentry;

typedef struct {
  wentry *e;
  size_t n, cap;
} elist;

static void elist_free(elist *l) {
  for (size_t i = 0; i < l->n; i++) {
    cpet_free(l->e[i].key);
    cpet_value_free(l->e[i].owned);
    cpet_free(l->e[i].raw);
  }
  cpet_free(l->e);
}

/* Appends an entry; takes `key`, `owned` and `raw` even on failure. */
static cpet_status elist_add(elist *l, char *key, const char *ukey, const cpet_value *v,
                             cpet_value *owned, cpet_flag flag, char *raw, size_t rawlen,
                             const char *stype) {
  if (!key) goto oom;
  if (l->n == l->cap) {
    size_t cap = l->cap ? 2 * l->cap : 8;
    wentry *p = cpet__realloc(l->e, cap * sizeof *p);
    if (!p) goto oom;
    l->e = p;
    l->cap = cap;
  }
  wentry *e = &l->e[l->n++];
  e->key = key;
  e->ukey = ukey ? ukey : key;
  e->v = owned ? owned : v;
  e->owned = owned;
  e->flag = flag;
  e->raw = raw;
  e->rawlen = rawlen;
  e->stype = stype;
  return CPET_OK;
oom:
  cpet_free(key);
  cpet_value_free(owned);
  cpet_free(raw);
  return cpet__err(CPET_ERR_NOMEM, "leaf store: out of memory");
}

/* ---- deduplication of explored ranges (identical contents share one dataset) ---- */

typedef struct {
  size_t *slots; /* unique index + 1, open addressing */
  size_t cap;
  uint64_t *hash;
  const void **item;
  size_t *len;
  size_t n;
} dedup;

static uint64_t fnv(uint64_t h, const void *p, size_t n) {
  const unsigned char *b = p;
  for (size_t i = 0; i < n; i++)
    h = (h ^ b[i]) * 1099511628211ULL;
  return h;
}

static uint64_t value_hash(const cpet_value *v) {
  uint64_t h = 1469598103934665603ULL;
  int k = cpet_value_kind(v), t = cpet_value_type(v), nd = cpet_value_ndim(v);
  h = fnv(h, &k, sizeof k);
  h = fnv(h, &t, sizeof t);
  h = fnv(h, &nd, sizeof nd);
  if (nd) h = fnv(h, cpet_value_shape(v), (size_t)nd * sizeof(size_t));
  const void *d = cpet_value_data(v);
  if (d) h = fnv(h, d, cpet_value_nelem(v) * cpet_value_itemsize(v));
  return h;
}

static cpet_status dedup_init(dedup *d, size_t n) {
  memset(d, 0, sizeof *d);
  d->cap = 16;
  while (d->cap < 2 * n)
    d->cap *= 2;
  d->slots = cpet__calloc(d->cap, sizeof *d->slots);
  d->hash = cpet__calloc(n ? n : 1, sizeof *d->hash);
  d->item = cpet__calloc(n ? n : 1, sizeof *d->item);
  d->len = cpet__calloc(n ? n : 1, sizeof *d->len);
  if (!d->slots || !d->hash || !d->item || !d->len)
    return cpet__err(CPET_ERR_NOMEM, "leaf store: out of memory");
  return CPET_OK;
}

static void dedup_free(dedup *d) {
  cpet_free(d->slots);
  cpet_free(d->hash);
  cpet_free(d->item);
  cpet_free(d->len);
}

/* Index of the first item equal to `item` (values when len == SIZE_MAX, else raw bytes),
 * adding it if new (*added = 1). Capacity for every item was reserved by dedup_init. */
static size_t dedup_find(dedup *d, const void *item, size_t len, int *added) {
  uint64_t h = len == SIZE_MAX ? value_hash(item) : fnv(1469598103934665603ULL, item, len);
  size_t mask = d->cap - 1;
  for (size_t s = (size_t)h & mask;; s = (s + 1) & mask) {
    size_t u = d->slots[s];
    if (u == 0) {
      d->hash[d->n] = h;
      d->item[d->n] = item;
      d->len[d->n] = len;
      d->slots[s] = ++d->n;
      *added = 1;
      return d->n - 1;
    }
    u--;
    if (d->hash[u] != h || d->len[u] != len) continue;
    if (len == SIZE_MAX ? cpet_value_equal(d->item[u], item) : !memcmp(d->item[u], item, len)) {
      *added = 0;
      return u;
    }
  }
}

/* ---- building the store_dict of each class ---- */

/* ObjectTable {col: [cells...]} of a parameter value / range (Parameter._store). */
static cpet_status param_table(const cpet_value *const *cells, size_t n, cpet_value **out) {
  *out = NULL;
  cpet_value *col = NULL, *t = NULL;
  CPET__CHECK(cpet__value_stack(cells, n, &col));
  cpet_status st = cpet_value_new_table(&t);
  if (st == CPET_OK)
    st = cpet_value_set(t, "data", col);
  else
    cpet_value_free(col);
  if (st != CPET_OK) {
    cpet_value_free(t);
    return st;
  }
  *out = t;
  return CPET_OK;
}

static cpet_status add_parameter(elist *l, const cpet_node *leaf) {
  const cpet_value *v = cpet_param_value(leaf);
  if (v) {
    cpet_value *t;
    CPET__CHECK(param_table(&v, 1, &t));
    CPET__CHECK(elist_add(l, cpet__strdup("data"), NULL, NULL, t, CPET_FLAG_TABLE, NULL, 0, NULL));
  }
  size_t n = cpet_param_range_len(leaf);
  if (n == 0) return CPET_OK;
  const cpet_value **cells = cpet__malloc(n * sizeof *cells);
  if (!cells) return cpet__err(CPET_ERR_NOMEM, "out of memory");
  for (size_t i = 0; i < n; i++)
    cells[i] = cpet_param_range(leaf, i);
  cpet_value *t;
  cpet_status st = param_table(cells, n, &t);
  cpet_free(cells);
  CPET__CHECK(st);
  return elist_add(l, cpet__strdup("explored_data"), NULL, NULL, t, CPET_FLAG_TABLE, NULL, 0, NULL);
}

static cpet_status add_idx_table(elist *l, const char *name, const int64_t *idx, size_t n) {
  cpet_value *col = NULL, *t = NULL;
  void *buf;
  CPET__CHECK(cpet__value_new_array_uninit(CPET_KIND_SCALAR, CPET_T_PY_INT, 8, 1, &n, &col, &buf));
  if (n) memcpy(buf, idx, n * sizeof *idx);
  cpet_status st = cpet_value_new_table(&t);
  if (st == CPET_OK)
    st = cpet_value_set(t, "idx", col);
  else
    cpet_value_free(col);
  if (st != CPET_OK) {
    cpet_value_free(t);
    return st;
  }
  return elist_add(l, cpet__strdup(name), NULL, NULL, t, CPET_FLAG_TABLE, NULL, 0, NULL);
}

static int is_array_value(const cpet_value *v) {
  cpet_kind k = cpet_value_kind(v);
  return k == CPET_KIND_NDARRAY || k == CPET_KIND_MATRIX || k == CPET_KIND_LIST ||
         k == CPET_KIND_TUPLE;
}

/* Entries that keep the range by number: one per distinct element, and `table` mapping each
 * run to its element. `name` formats the entry key of distinct element j; `raw` (may be NULL)
 * turns an element into bytes compared instead of the value. */
typedef cpet_status (*raw_fn)(const cpet_value *v, char **raw, size_t *len, const char **stype);

static cpet_status add_indexed_range(elist *l, const cpet_node *leaf, const char *table,
                                     char *(*name)(size_t j), raw_fn raw) {
  size_t n = cpet_param_range_len(leaf);
  if (n == 0) return CPET_OK;
  int64_t *idx = cpet__malloc(n * sizeof *idx);
  char **raws = raw ? cpet__calloc(n, sizeof *raws) : NULL;
  size_t *lens = raw ? cpet__calloc(n, sizeof *lens) : NULL;
  dedup d;
  cpet_status st = dedup_init(&d, n);
  if (st == CPET_OK && (!idx || (raw && (!raws || !lens))))
    st = cpet__err(CPET_ERR_NOMEM, "out of memory");
  for (size_t i = 0; i < n && st == CPET_OK; i++) {
    const cpet_value *v = cpet_param_range(leaf, i);
    const char *stype = NULL;
    int added;
    size_t j;
    if (raw) {
      st = raw(v, &raws[i], &lens[i], &stype);
      if (st != CPET_OK) break;
      j = dedup_find(&d, raws[i], lens[i], &added);
    } else {
      j = dedup_find(&d, v, SIZE_MAX, &added);
    }
    idx[i] = (int64_t)j;
    if (!added) continue;
    if (raw) { /* the entry takes the payload; the dedup table keeps pointing at it */
      st = elist_add(l, name(j), NULL, NULL, NULL, CPET_FLAG_ARRAY, raws[i], lens[i], stype);
      raws[i] = NULL;
    } else {
      st = elist_add(l, name(j), NULL, v, NULL, CPET_FLAG_AUTO, NULL, 0, NULL);
    }
  }
  if (st == CPET_OK) st = add_idx_table(l, table, idx, n);
  for (size_t i = 0; raws && i < n; i++)
    cpet_free(raws[i]);
  cpet_free(raws);
  cpet_free(lens);
  cpet_free(idx);
  dedup_free(&d);
  return st;
}

static char *xa_name(size_t j) {
  return cpet__asprintf("explored__rr__.set_%05zu.xa_%08zu", j / 1000, j);
}
static char *xspm_name(size_t j) { return cpet__asprintf("xspm__spsp__%08zu", j); }
static char *xp_name(size_t j) { return cpet__asprintf("xp_%08zu", j); }

static cpet_status add_array_parameter(elist *l, const cpet_node *leaf) {
  const cpet_value *v = cpet_param_value(leaf);
  if (!v || !is_array_value(v)) return add_parameter(l, leaf); /* pypet's fallback */
  CPET__CHECK(
      elist_add(l, cpet__strdup("data__rr__"), NULL, v, NULL, CPET_FLAG_AUTO, NULL, 0, NULL));
  return add_indexed_range(l, leaf, "explored_data__rr__", xa_name, NULL);
}

static cpet_status sparse_raw(const cpet_value *v, char **raw, size_t *len, const char **stype) {
  *stype = "str";
  if (cpet_value_kind(v) != CPET_KIND_SPARSE)
    return cpet__err(CPET_ERR_TYPE, "sparse range element is a %s",
                     cpet_kind_name(cpet_value_kind(v)));
  return cpet__sparse_to_hex(v, raw, len);
}

static cpet_status add_sparse_parameter(elist *l, const cpet_node *leaf) {
  const cpet_value *v = cpet_param_value(leaf);
  if (!v || cpet_value_kind(v) != CPET_KIND_SPARSE) return add_array_parameter(l, leaf);
  char *hex;
  size_t len;
  const char *stype;
  CPET__CHECK(sparse_raw(v, &hex, &len, &stype));
  CPET__CHECK(elist_add(l, cpet__strdup("data__spsp__"), NULL, NULL, NULL, CPET_FLAG_ARRAY, hex,
                        len, stype));
  return add_indexed_range(l, leaf, "explored_data__spsp__", xspm_name, sparse_raw);
}

/* Pickle bytes of a value: carried pickles as they are, plain values pickled with protocol 0
 * (what PyTables would do for attributes; pypet's own pickles cannot be rebuilt in C). */
static cpet_status pickle_raw(const cpet_value *v, char **raw, size_t *len, const char **stype) {
  *stype = "bytes";
  if (cpet_value_kind(v) == CPET_KIND_PICKLE) {
    *len = cpet_value_itemsize(v);
    *raw = cpet__memdup(cpet_value_data(v), *len ? *len : 1);
    return *raw ? CPET_OK : cpet__err(CPET_ERR_NOMEM, "out of memory");
  }
  return cpet__pickle_encode0(v, raw, len);
}

static int pickle_protocol(const cpet_value *v) {
  return v && cpet_value_kind(v) == CPET_KIND_PICKLE && cpet_value_pickle_protocol(v) >= 0
             ? cpet_value_pickle_protocol(v)
             : 0;
}

static cpet_status add_protocol(elist *l, int protocol) {
  cpet_value *p;
  CPET__CHECK(cpet_value_new_int(protocol, &p));
  return elist_add(l, cpet__strdup("__pckl_prtcl__"), NULL, NULL, p, CPET_FLAG_ARRAY, NULL, 0,
                   NULL);
}

static cpet_status add_pickle_parameter(elist *l, const cpet_node *leaf) {
  const cpet_value *v = cpet_param_value(leaf);
  if (v) {
    char *raw;
    size_t len;
    const char *stype;
    CPET__CHECK(pickle_raw(v, &raw, &len, &stype));
    CPET__CHECK(
        elist_add(l, cpet__strdup("data"), NULL, NULL, NULL, CPET_FLAG_ARRAY, raw, len, stype));
    CPET__CHECK(add_protocol(l, pickle_protocol(v)));
  }
  return add_indexed_range(l, leaf, "explored_data", xp_name, pickle_raw);
}

static cpet_status add_result(elist *l, const cpet_node *leaf, cpet_leaf_class cls) {
  size_t n = cpet_leaf_nitems(leaf);
  int protocol = -1, has_protocol = 0;
  for (size_t i = 0; i < n; i++) {
    const char *key;
    const cpet_value *v;
    cpet_flag flag;
    CPET__CHECK(cpet_leaf_item(leaf, i, &key, &v, &flag));
    if (cls == CPET_CLASS_PICKLE_RESULT && strcmp(key, "__pckl_prtcl__") == 0) {
      has_protocol = 1; /* loaded with the leaf: written back as it is */
      CPET__CHECK(elist_add(l, cpet__strdup(key), key, v, NULL, flag, NULL, 0, NULL));
    } else if (cls == CPET_CLASS_PICKLE_RESULT) {
      char *raw;
      size_t len;
      const char *stype;
      CPET__CHECK(pickle_raw(v, &raw, &len, &stype));
      if (protocol < 0) protocol = pickle_protocol(v);
      CPET__CHECK(
          elist_add(l, cpet__strdup(key), key, NULL, NULL, CPET_FLAG_ARRAY, raw, len, stype));
    } else if (cpet_value_kind(v) == CPET_KIND_SPARSE) {
      if (cls != CPET_CLASS_SPARSE_RESULT)
        return cpet__err(CPET_ERR_TYPE, "item '%s': sparse matrices need a SparseResult", key);
      char *hex;
      size_t len;
      const char *stype;
      CPET__CHECK(sparse_raw(v, &hex, &len, &stype));
      CPET__CHECK(elist_add(l, cpet__asprintf("%s__spsp__", key), key, NULL, NULL, CPET_FLAG_ARRAY,
                            hex, len, stype));
    } else {
      CPET__CHECK(elist_add(l, cpet__strdup(key), key, v, NULL, flag, NULL, 0, NULL));
    }
  }
  if (cls == CPET_CLASS_PICKLE_RESULT && !has_protocol)
    CPET__CHECK(add_protocol(l, protocol < 0 ? 0 : protocol));
  return CPET_OK;
}

static cpet_status build_store_dict(elist *l, const cpet_node *leaf) {
  cpet_leaf_class cls = cpet_node_class(leaf);
  switch (cls) {
  case CPET_CLASS_PARAMETER:
    return add_parameter(l, leaf);
  case CPET_CLASS_ARRAY_PARAMETER:
    return add_array_parameter(l, leaf);
  case CPET_CLASS_SPARSE_PARAMETER:
    return add_sparse_parameter(l, leaf);
  case CPET_CLASS_PICKLE_PARAMETER:
    return add_pickle_parameter(l, leaf);
  case CPET_CLASS_CUSTOM:
    /* custom parameter classes: pypet's Parameter protocol; custom results: items */
    if (cpet_node_is_parameter(leaf) && cpet_param_value(leaf)) return add_parameter(l, leaf);
    return add_result(l, leaf, CPET_CLASS_RESULT);
  default:
    return add_result(l, leaf, cls);
  }
}

/* ---- writing the store_dict ---- */

/* HDF5 path of a dotted key ("a.b" -> "a/b"); caller frees. */
static char *h5_path(const char *key) {
  char *p = cpet__strdup(key);
  for (char *c = p; c && *c; c++)
    if (*c == '.') *c = '/';
  return p;
}

static int listed(const wentry *e, const char *const *names, size_t n) {
  if (!names) return 1;
  for (size_t i = 0; i < n; i++)
    if (names[i] && (strcmp(names[i], e->key) == 0 || strcmp(names[i], e->ukey) == 0)) return 1;
  return 0;
}

static cpet_status delete_path(hid_t leafgrp, const char *key) {
  char *p = h5_path(key);
  if (!p) return cpet__err(CPET_ERR_NOMEM, "out of memory");
  cpet_status st = CPET_OK;
  if (cpet__h5_link_exists(leafgrp, p) && H5Ldelete(leafgrp, p, H5P_DEFAULT) < 0)
    st = cpet__h5_err("H5Ldelete", key);
  cpet_free(p);
  return st;
}

/* The group of the last opened dotted-key prefix, kept while consecutive keys share it. */
typedef struct {
  const char *key; /* key whose prefix is open (borrowed from the entry list) */
  size_t len;      /* prefix length */
  hid_t grp;
  int fresh;
} nest_cache;

static cpet_status entry_parent(hid_t leafgrp, int leaf_fresh, const wentry *e, nest_cache *c,
                                const cpet__wctx *ctx, hid_t *grp, const char **name, int *fresh) {
  const char *last = strrchr(e->key, '.');
  if (!last) {
    *grp = leafgrp;
    *name = e->key;
    *fresh = leaf_fresh;
    return CPET_OK;
  }
  size_t len = (size_t)(last - e->key);
  *name = last + 1;
  if (c->grp >= 0 && c->len == len && memcmp(c->key, e->key, len) == 0) {
    *grp = c->grp;
    *fresh = c->fresh;
    return CPET_OK;
  }
  if (c->grp >= 0) H5Gclose(c->grp);
  c->grp = -1;
  int created = 0;
  CPET__CHECK(cpet__wr_open_nested(leafgrp, e->key, len, ctx, &c->grp, &created));
  c->key = e->key;
  c->len = len;
  c->fresh = created;
  *grp = c->grp;
  *fresh = created;
  return CPET_OK;
}

static cpet_status write_entry(hid_t grp, const char *name, const wentry *e,
                               const cpet__wctx *ctx) {
  if (e->raw || !e->v) return cpet__wr_bytes_scalar(grp, name, e->raw, e->rawlen, e->stype);
  return cpet__wr_value(grp, name, e->v, e->flag, ctx);
}

static cpet_status write_meta(hid_t leafgrp, const cpet_node *leaf) {
  const char *cname = cpet_node_class_name(leaf);
  if (!cname || !*cname)
    return cpet__err(CPET_ERR_INVAL, "leaf '%s' has no class name", cpet_node_full_name(leaf));
  if (!cpet__h5_attr_true(leafgrp, "SRVC_LEAF"))
    CPET__CHECK(cpet__h5_attr_write_bool(leafgrp, "SRVC_LEAF", 1));
  char *old = NULL;
  int same = cpet__h5_attr_exists(leafgrp, "SRVC_INIT_CLASS_NAME") &&
             cpet__h5_attr_read_str(leafgrp, "SRVC_INIT_CLASS_NAME", &old) == CPET_OK &&
             strcmp(old, cname) == 0;
  cpet_free(old);
  return same ? CPET_OK : cpet__h5_attr_write_str(leafgrp, "SRVC_INIT_CLASS_NAME", cname);
}

cpet_status cpet__layout_write_leaf(hid_t leafgrp, const cpet_node *leaf, cpet_store_mode mode,
                                    const char *const *overwrite, size_t noverwrite,
                                    const cpet__wctx *ctx) {
  if (leafgrp < 0 || !leaf || cpet_node_kind_of(leaf) != CPET_NODE_LEAF)
    return cpet__err(CPET_ERR_INVAL, "write leaf: bad argument");
  if (mode == CPET_STORE_NOTHING) return CPET_OK;
  elist l = {0};
  cpet_status st = build_store_dict(&l, leaf);
  if (st == CPET_OK) st = write_meta(leafgrp, leaf);
  if (st == CPET_OK && mode == CPET_STORE_OVERWRITE_DATA) {
    for (size_t i = 0; i < l.n && st == CPET_OK; i++)
      if (listed(&l.e[i], overwrite, noverwrite)) st = delete_path(leafgrp, l.e[i].key);
  }
  H5G_info_t gi;
  if (st == CPET_OK && H5Gget_info(leafgrp, &gi) < 0) st = cpet__h5_err("H5Gget_info", NULL);
  int leaf_fresh = st == CPET_OK && gi.nlinks == 0;
  nest_cache c = {NULL, 0, -1, 0};
  size_t nwritten = 0;
  unsigned char *written = l.n ? cpet__calloc(l.n, 1) : NULL;
  if (l.n && !written && st == CPET_OK) st = cpet__err(CPET_ERR_NOMEM, "out of memory");
  for (size_t i = 0; i < l.n && st == CPET_OK; i++) {
    hid_t grp;
    const char *name;
    int fresh;
    st = entry_parent(leafgrp, leaf_fresh, &l.e[i], &c, ctx, &grp, &name, &fresh);
    if (st != CPET_OK) break;
    if (!fresh) { /* pypet never changes data found on disk (only OVERWRITE deletes first) */
      htri_t e = H5Lexists(grp, name, H5P_DEFAULT);
      if (e < 0) st = cpet__h5_err("H5Lexists", l.e[i].key);
      if (e != 0) continue;
    }
    st = write_entry(grp, name, &l.e[i], ctx);
    if (st == CPET_OK) {
      written[i] = 1;
      nwritten++;
    } else {
      cpet__err_context("leaf '%s'", cpet_node_full_name(leaf));
    }
  }
  if (c.grp >= 0) H5Gclose(c.grp);
  if (st != CPET_OK && nwritten) { /* as pypet: remove what this call added */
    for (size_t i = 0; i < l.n; i++) {
      char *p = written[i] ? h5_path(l.e[i].key) : NULL;
      if (!p) continue;
      H5E_BEGIN_TRY { H5Ldelete(leafgrp, p, H5P_DEFAULT); }
      H5E_END_TRY;
      cpet_free(p);
    }
  }
  cpet_free(written);
  elist_free(&l);
  return st;
}
