/* proto.c - run records and their framing: what a worker ships and the journal keeps.
 *
 * A run record is self-contained (run index, status, start/finish timestamps and every node
 * the run added, values in cpet_value_encode's format), so the writer, the journal reader and
 * cpet_recover rebuild the same nodes from the same bytes. All integers little-endian. */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "writer/writer_int.h"

#define REC_VERSION 2u          /* 2: large-array descriptions after the header */
#define FRAME_MAGIC 0x4d525043u /* "CPRM" */

enum { NODE_GROUP = 0, NODE_LEAF = 1, NODE_LINK = 2 };

/* ---- buffers ---- */

cpet_status cpet__buf_put(cpet__buf *b, const void *p, size_t n) {
  if (n > SIZE_MAX - b->len) return cpet__err(CPET_ERR_RANGE, "buffer size overflow");
  if (b->len + n > b->cap) {
    size_t cap = b->cap ? b->cap : 256;
    while (cap < b->len + n)
      cap = cap > SIZE_MAX / 2 ? b->len + n : cap * 2;
    unsigned char *q = cpet__realloc(b->p, cap);
    if (!q) return cpet__err(CPET_ERR_NOMEM, "run record buffer of %zu bytes", cap);
    b->p = q;
    b->cap = cap;
  }
  if (n) memcpy(b->p + b->len, p, n);
  b->len += n;
  return CPET_OK;
}

void cpet__put_le32(unsigned char *p, uint32_t v) {
  for (int i = 0; i < 4; i++)
    p[i] = (unsigned char)(v >> (8 * i));
}
uint32_t cpet__get_le32(const unsigned char *p) {
  return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

cpet_status cpet__buf_u8(cpet__buf *b, uint8_t v) { return cpet__buf_put(b, &v, 1); }
cpet_status cpet__buf_u32(cpet__buf *b, uint32_t v) {
  unsigned char q[4];
  cpet__put_le32(q, v);
  return cpet__buf_put(b, q, 4);
}
cpet_status cpet__buf_u64(cpet__buf *b, uint64_t v) {
  unsigned char q[8];
  for (int i = 0; i < 8; i++)
    q[i] = (unsigned char)(v >> (8 * i));
  return cpet__buf_put(b, q, 8);
}
cpet_status cpet__buf_f64(cpet__buf *b, double v) {
  uint64_t u;
  memcpy(&u, &v, 8);
  return cpet__buf_u64(b, u);
}
cpet_status cpet__buf_str(cpet__buf *b, const char *s) {
  size_t n = s ? strlen(s) : 0;
  if (n > UINT32_MAX) return cpet__err(CPET_ERR_RANGE, "string of %zu bytes too long", n);
  CPET__CHECK(cpet__buf_u32(b, (uint32_t)n));
  return cpet__buf_put(b, s, n);
}
cpet_status cpet__buf_value(cpet__buf *b, const cpet_value *v) {
  void *enc = NULL;
  size_t n = 0;
  CPET__CHECK(cpet_value_encode(v, &enc, &n));
  cpet_status st = cpet__buf_u64(b, (uint64_t)n);
  if (st == CPET_OK) st = cpet__buf_put(b, enc, n);
  cpet_free(enc);
  return st;
}
void cpet__buf_free(cpet__buf *b) {
  cpet_free(b->p);
  b->p = NULL;
  b->len = b->cap = 0;
}

cpet_status cpet__rd_bytes(cpet__rd *r, size_t n, const unsigned char **p) {
  if (n > r->len - r->off)
    return cpet__err(CPET_ERR_CORRUPT,
                     "run record truncated: %zu bytes wanted at offset %zu of %zu", n, r->off,
                     r->len);
  *p = r->p + r->off;
  r->off += n;
  return CPET_OK;
}
cpet_status cpet__rd_u8(cpet__rd *r, uint8_t *v) {
  const unsigned char *p = NULL;
  CPET__CHECK(cpet__rd_bytes(r, 1, &p));
  *v = p[0];
  return CPET_OK;
}
cpet_status cpet__rd_u32(cpet__rd *r, uint32_t *v) {
  const unsigned char *p = NULL;
  CPET__CHECK(cpet__rd_bytes(r, 4, &p));
  *v = cpet__get_le32(p);
  return CPET_OK;
}
cpet_status cpet__rd_u64(cpet__rd *r, uint64_t *v) {
  const unsigned char *p = NULL;
  CPET__CHECK(cpet__rd_bytes(r, 8, &p));
  uint64_t u = 0;
  for (int i = 7; i >= 0; i--)
    u = u << 8 | p[i];
  *v = u;
  return CPET_OK;
}
cpet_status cpet__rd_f64(cpet__rd *r, double *v) {
  uint64_t u;
  CPET__CHECK(cpet__rd_u64(r, &u));
  memcpy(v, &u, 8);
  return CPET_OK;
}
cpet_status cpet__rd_str(cpet__rd *r, char **s) {
  uint32_t n;
  const unsigned char *p = NULL;
  CPET__CHECK(cpet__rd_u32(r, &n));
  CPET__CHECK(cpet__rd_bytes(r, n, &p));
  if (n && memchr(p, 0, n)) return cpet__err(CPET_ERR_CORRUPT, "NUL byte inside a record name");
  *s = cpet__strndup((const char *)p, n);
  return *s ? CPET_OK : cpet__err(CPET_ERR_NOMEM, "string of %u bytes", n);
}
cpet_status cpet__rd_value(cpet__rd *r, cpet_value **v) {
  uint64_t n;
  const unsigned char *p = NULL;
  size_t used = 0;
  CPET__CHECK(cpet__rd_u64(r, &n));
  if (n > r->len - r->off) return cpet__err(CPET_ERR_CORRUPT, "value length beyond the record");
  CPET__CHECK(cpet__rd_bytes(r, (size_t)n, &p));
  CPET__CHECK(cpet_value_decode(p, (size_t)n, v, &used));
  if (used != n) {
    cpet_value_free(*v);
    *v = NULL;
    return cpet__err(CPET_ERR_CORRUPT, "value used %zu of %llu bytes", used, (unsigned long long)n);
  }
  return CPET_OK;
}

/* ---- encoding a run ---- */

typedef struct enc_ctx {
  int64_t idx;
  const cpet__large_opts *skip; /* items extracted but kept in their leaves: not encoded */
  cpet__buf *out;
  uint32_t nnodes;
  cpet_status st;
} enc_ctx;

static cpet_status enc_annotations(cpet__buf *b, const cpet_node *n) {
  size_t na = cpet_node_nannotations(n);
  CPET__CHECK(cpet__buf_u32(b, (uint32_t)na));
  for (size_t i = 0; i < na; i++) {
    const char *key;
    const cpet_value *v;
    CPET__CHECK(cpet_node_annotation(n, i, &key, &v));
    CPET__CHECK(cpet__buf_str(b, key));
    CPET__CHECK(cpet__buf_value(b, v));
  }
  return CPET_OK;
}

static cpet_status enc_node(cpet__buf *b, const cpet_node *n, const cpet__large_opts *skip) {
  cpet_node_kind kind = cpet_node_kind_of(n);
  uint8_t k = kind == CPET_NODE_GROUP ? NODE_GROUP : kind == CPET_NODE_LEAF ? NODE_LEAF : NODE_LINK;
  CPET__CHECK(cpet__buf_u8(b, k));
  CPET__CHECK(cpet__buf_str(b, cpet_node_full_name(n)));
  CPET__CHECK(cpet__buf_str(b, cpet_node_comment(n)));
  CPET__CHECK(enc_annotations(b, n));
  if (k == NODE_LINK) {
    const cpet_node *t = cpet_node_link_target(n);
    return cpet__buf_str(b, t ? cpet_node_full_name(t) : "");
  }
  if (k != NODE_LEAF) return CPET_OK;
  CPET__CHECK(cpet__buf_u8(b, (uint8_t)cpet_node_class(n)));
  CPET__CHECK(cpet__buf_str(b, cpet_node_class_name(n)));
  int is_param = cpet_node_is_parameter(n);
  CPET__CHECK(cpet__buf_u8(b, (uint8_t)(is_param ? 1 : 0)));
  if (is_param) {
    const cpet_value *v = cpet_param_value(n);
    CPET__CHECK(cpet__buf_u8(b, v ? 1 : 0));
    return v ? cpet__buf_value(b, v) : CPET_OK;
  }
  size_t ni = cpet_leaf_nitems(n), nk = 0;
  for (size_t i = 0; i < ni; i++)
    nk += !cpet__large_qualifies(n, i, skip);
  CPET__CHECK(cpet__buf_u32(b, (uint32_t)nk));
  for (size_t i = 0; i < ni; i++) {
    if (cpet__large_qualifies(n, i, skip)) continue;
    const char *key;
    const cpet_value *v;
    cpet_flag flag;
    CPET__CHECK(cpet_leaf_item(n, i, &key, &v, &flag));
    CPET__CHECK(cpet__buf_str(b, key));
    CPET__CHECK(cpet__buf_u32(b, (uint32_t)flag));
    CPET__CHECK(cpet__buf_value(b, v));
  }
  return CPET_OK;
}

/* Pre-order walk: parents are encoded (and rebuilt) before their children. */
static void enc_walk(enc_ctx *c, const cpet_node *n) {
  if (c->st != CPET_OK) return;
  if (cpet_node_parent(n) && cpet_node_run_index(n) == c->idx) {
    c->st = enc_node(c->out, n, c->skip);
    c->nnodes++;
  }
  if (cpet_node_kind_of(n) != CPET_NODE_GROUP) return;
  size_t nc = cpet_node_nchildren(n);
  for (size_t i = 0; i < nc && c->st == CPET_OK; i++)
    enc_walk(c, cpet_node_child(n, i));
}

cpet_status cpet__proto_encode_run(cpet_traj *traj, int64_t idx, int32_t status, double start,
                                   double finish, const cpet__large_opts *lo, cpet__buf *out,
                                   cpet__blobs *blobs) {
  size_t at = out->len, nb = blobs ? blobs->n : 0;
  CPET__CHECK(cpet__buf_u32(out, REC_VERSION));
  CPET__CHECK(cpet__buf_u64(out, (uint64_t)idx));
  CPET__CHECK(cpet__buf_u32(out, (uint32_t)status));
  CPET__CHECK(cpet__buf_f64(out, start));
  CPET__CHECK(cpet__buf_f64(out, finish));
  size_t count_at = out->len;
  CPET__CHECK(cpet__buf_u32(out, 0));
  size_t core_at = out->len;
  CPET__CHECK(cpet__buf_u64(out, 0));
  size_t nlarge_at = out->len;
  CPET__CHECK(cpet__buf_u32(out, 0));
  cpet_status st = CPET_OK;
  uint32_t nlarge = 0;
  enc_ctx c = {idx, lo && blobs && lo->keep ? lo : NULL, out, 0, CPET_OK};
  if (status == CPET_OK) {
    /* Large arrays first: extraction removes them from their leaves (unless lo->keep), so
     * the node walk below no longer sees them. */
    if (lo && blobs) st = cpet__large_extract(traj, idx, lo, out, &nlarge, blobs);
    if (st == CPET_OK) enc_walk(&c, cpet_traj_root(traj));
    st = st != CPET_OK ? st : c.st;
  }
  if (st != CPET_OK) {
    out->len = at;
    if (blobs) cpet__blobs_truncate(blobs, nb);
    return st;
  }
  cpet__put_le32(out->p + count_at, c.nnodes);
  cpet__put_le32(out->p + nlarge_at, nlarge);
  uint64_t core = (uint64_t)(out->len - at);
  for (int i = 0; i < 8; i++)
    out->p[core_at + (size_t)i] = (unsigned char)(core >> (8 * i));
  return CPET_OK;
}

static cpet_status rd_hdr(cpet__rd *r, cpet__run_hdr *h) {
  uint32_t ver, st;
  uint64_t idx;
  CPET__CHECK(cpet__rd_u32(r, &ver));
  if (ver != 1 && ver != REC_VERSION)
    return cpet__err(CPET_ERR_VERSION, "run record version %u", ver);
  CPET__CHECK(cpet__rd_u64(r, &idx));
  CPET__CHECK(cpet__rd_u32(r, &st));
  CPET__CHECK(cpet__rd_f64(r, &h->start));
  CPET__CHECK(cpet__rd_f64(r, &h->finish));
  CPET__CHECK(cpet__rd_u32(r, &h->nnodes));
  h->idx = (int64_t)idx;
  h->status = (int32_t)st;
  h->core_len = r->len;
  h->nlarge = 0;
  if (ver >= 2) {
    CPET__CHECK(cpet__rd_u64(r, &h->core_len));
    CPET__CHECK(cpet__rd_u32(r, &h->nlarge));
    if (h->core_len > r->len || h->core_len < r->off)
      return cpet__err(CPET_ERR_CORRUPT, "run record length %llu beyond its %zu bytes",
                       (unsigned long long)h->core_len, r->len);
  }
  if (h->idx < 0) return cpet__err(CPET_ERR_CORRUPT, "negative run index in record");
  return CPET_OK;
}

cpet_status cpet__proto_peek_run(const void *rec, size_t len, cpet__run_hdr *h) {
  cpet__rd r = {rec, len, 0};
  return rd_hdr(&r, h);
}

/* ---- rebuilding a run ---- */

static cpet_status rd_annotations(cpet__rd *r, cpet_node *n) {
  uint32_t na;
  CPET__CHECK(cpet__rd_u32(r, &na));
  for (uint32_t i = 0; i < na; i++) {
    char *key = NULL;
    cpet_value *v = NULL;
    cpet_status st = cpet__rd_str(r, &key);
    if (st == CPET_OK) st = cpet__rd_value(r, &v);
    if (st == CPET_OK) st = cpet_node_annotate(n, key, v);
    cpet_free(key);
    cpet_value_free(v);
    CPET__CHECK(st);
  }
  return CPET_OK;
}

static int is_result_class(cpet_leaf_class c) {
  return c == CPET_CLASS_RESULT || c == CPET_CLASS_SPARSE_RESULT || c == CPET_CLASS_SHARED_RESULT;
}
static int is_param_class(cpet_leaf_class c) {
  return c == CPET_CLASS_PARAMETER || c == CPET_CLASS_ARRAY_PARAMETER ||
         c == CPET_CLASS_SPARSE_PARAMETER;
}

static cpet_status apply_leaf(cpet__rd *r, cpet_traj *traj, const char *name, const char *comment,
                              cpet_node **out) {
  uint8_t cls, is_param, has;
  char *class_name = NULL;
  cpet_value *v = NULL;
  cpet_node *n = NULL;
  cpet_status st = cpet__rd_u8(r, &cls);
  if (st == CPET_OK) st = cpet__rd_str(r, &class_name);
  if (st == CPET_OK) st = cpet__rd_u8(r, &is_param);
  if (st != CPET_OK) goto done;
  if (is_param) {
    st = cpet__rd_u8(r, &has);
    if (st == CPET_OK && has) st = cpet__rd_value(r, &v);
    if (st != CPET_OK) goto done;
    if (v && is_param_class((cpet_leaf_class)cls))
      st = cpet_traj_add_param(traj, name, (cpet_leaf_class)cls, v, comment, &n);
    else {
      st = cpet_traj_add_leaf_raw(traj, name, class_name, &n);
      if (st == CPET_OK && v) st = cpet_param_set(n, v);
      if (st == CPET_OK && comment[0]) st = cpet_node_set_comment(n, comment);
    }
    goto done;
  }
  if (is_result_class((cpet_leaf_class)cls))
    st = cpet_traj_add_result(traj, name, (cpet_leaf_class)cls, NULL, comment[0] ? comment : NULL,
                              &n);
  else {
    st = cpet_traj_add_leaf_raw(traj, name, class_name, &n);
    if (st == CPET_OK && comment[0]) st = cpet_node_set_comment(n, comment);
  }
  uint32_t ni = 0;
  if (st == CPET_OK) st = cpet__rd_u32(r, &ni);
  for (uint32_t i = 0; st == CPET_OK && i < ni; i++) {
    char *key = NULL;
    uint32_t flag = 0;
    cpet_value *item = NULL;
    st = cpet__rd_str(r, &key);
    if (st == CPET_OK) st = cpet__rd_u32(r, &flag);
    if (st == CPET_OK) st = cpet__rd_value(r, &item);
    if (st == CPET_OK && flag > CPET_FLAG_SHARED_DATA) {
      cpet_value_free(item);
      st = cpet__err(CPET_ERR_CORRUPT, "storage flag %u in run record", flag);
    } else if (st == CPET_OK) {
      st = cpet_leaf_set_take(n, key, item, (cpet_flag)flag);
    }
    cpet_free(key);
  }
done:
  cpet_free(class_name);
  cpet_value_free(v);
  *out = n;
  return st;
}

typedef struct link_todo {
  char *name, *target;
} link_todo;

cpet_status cpet__proto_apply_run(cpet_traj *traj, const void *rec, size_t len) {
  cpet__rd r = {rec, len, 0};
  cpet__run_hdr h;
  CPET__CHECK(rd_hdr(&r, &h));
  if ((uint64_t)h.idx >= cpet_traj_length(traj))
    return cpet__err(CPET_ERR_RANGE, "run record %lld beyond the trajectory's %zu runs",
                     (long long)h.idx, cpet_traj_length(traj));
  if (h.status != CPET_OK) return cpet__err(CPET_ERR_STATE, "run %lld failed", (long long)h.idx);
  CPET__CHECK(cpet__large_skip(&r, h.nlarge, NULL, NULL, 0));
  if (r.off > h.core_len)
    return cpet__err(CPET_ERR_CORRUPT, "large-array descriptions beyond the record proper");
  r.len = (size_t)h.core_len; /* inline large-array data (journal form) is not nodes */
  link_todo *links = NULL;
  size_t nlinks = 0;
  cpet_status st = CPET_OK;
  for (uint32_t i = 0; st == CPET_OK && i < h.nnodes; i++) {
    uint8_t kind;
    char *name = NULL, *comment = NULL;
    cpet_node *n = NULL;
    st = cpet__rd_u8(&r, &kind);
    if (st == CPET_OK) st = cpet__rd_str(&r, &name);
    if (st == CPET_OK) st = cpet__rd_str(&r, &comment);
    /* Annotations follow the comment, but the node must exist first: remember where. */
    size_t ann_at = r.off;
    if (st == CPET_OK) {
      uint32_t na;
      st = cpet__rd_u32(&r, &na);
      for (uint32_t a = 0; st == CPET_OK && a < na; a++) {
        char *k = NULL;
        cpet_value *v = NULL;
        st = cpet__rd_str(&r, &k);
        if (st == CPET_OK) st = cpet__rd_value(&r, &v);
        cpet_free(k);
        cpet_value_free(v);
      }
    }
    if (st != CPET_OK) {
    } else if (kind == NODE_GROUP) {
      st = cpet_traj_add_group(traj, name, comment[0] ? comment : NULL, &n);
      if (st == CPET_OK && comment[0]) st = cpet_node_set_comment(n, comment);
    } else if (kind == NODE_LEAF) {
      st = apply_leaf(&r, traj, name, comment, &n);
    } else if (kind == NODE_LINK) {
      char *target = NULL;
      st = cpet__rd_str(&r, &target);
      link_todo *q = st == CPET_OK ? cpet__realloc(links, (nlinks + 1) * sizeof *links) : NULL;
      if (st == CPET_OK && !q) st = cpet__err(CPET_ERR_NOMEM, "link list");
      if (st == CPET_OK) {
        links = q;
        links[nlinks].name = name;
        links[nlinks++].target = target;
        name = NULL;
        target = NULL;
      }
      cpet_free(target);
    } else {
      st = cpet__err(CPET_ERR_CORRUPT, "node kind %u in run record", kind);
    }
    if (st == CPET_OK && n) {
      cpet__rd ar = {r.p, r.len, ann_at};
      st = rd_annotations(&ar, n);
    }
    if (st != CPET_OK && name)
      cpet__err_context("rebuilding '%s' of run %lld", name, (long long)h.idx);
    cpet_free(name);
    cpet_free(comment);
  }
  for (size_t i = 0; i < nlinks; i++) {
    cpet_node *t = NULL;
    if (st == CPET_OK && links[i].target[0]) {
      st = cpet_traj_find(traj, links[i].target, &t);
      if (st == CPET_OK) st = cpet_traj_add_link(traj, links[i].name, t, NULL);
    }
    cpet_free(links[i].name);
    cpet_free(links[i].target);
  }
  cpet_free(links);
  CPET__CHECK(st);

  return cpet__proto_run_row(traj, h.idx, h.start, h.finish);
}

cpet_status cpet__proto_run_row(cpet_traj *traj, int64_t idx, double start, double finish) {
  cpet_run_info ri;
  CPET__CHECK(cpet_traj_run_info(traj, (size_t)idx, &ri));
  ri.completed = 1;
  ri.timestamp = start;
  ri.finish_timestamp = finish;
  cpet__proto_timestr(start, ri.time, sizeof ri.time);
  cpet__proto_timedelta(finish - start, ri.runtime, sizeof ri.runtime);
  CPET__CHECK(cpet_traj_parameter_summary(traj, (size_t)idx, ri.parameter_summary,
                                          sizeof ri.parameter_summary));
  return cpet_traj_set_run_info(traj, (size_t)idx, &ri);
}

cpet_status cpet__proto_blobs(const void *rec, size_t len, size_t *n, uint64_t *lens, size_t cap) {
  cpet__rd r = {rec, len, 0};
  cpet__run_hdr h;
  CPET__CHECK(rd_hdr(&r, &h));
  return cpet__large_skip(&r, h.nlarge, n, lens, cap);
}

cpet_status cpet__proto_core_len(const void *rec, size_t len, size_t *core) {
  cpet__rd r = {rec, len, 0};
  cpet__run_hdr h;
  CPET__CHECK(rd_hdr(&r, &h));
  *core = (size_t)h.core_len;
  return CPET_OK;
}

cpet_status cpet__proto_store_large(cpet_store *store, cpet_traj *traj, const void *rec, size_t len,
                                    const cpet__blob *blobs, size_t nblobs) {
  cpet__rd r = {rec, len, 0};
  cpet__run_hdr h;
  CPET__CHECK(rd_hdr(&r, &h));
  if (!h.nlarge) return CPET_OK;
  const unsigned char *inl = (const unsigned char *)rec + h.core_len;
  return cpet__large_store(store, traj, &r, h.nlarge, blobs, nblobs, inl, len - (size_t)h.core_len);
}

/* ---- dropping a run's nodes ---- */

typedef struct drop_ctx {
  int64_t idx;
  cpet_node **tops;
  size_t n, cap;
  cpet_status st;
} drop_ctx;

static void drop_walk(drop_ctx *c, cpet_node *n) {
  if (c->st != CPET_OK) return;
  if (cpet_node_parent(n) && cpet_node_run_index(n) == c->idx) {
    if (c->n == c->cap) {
      size_t cap = c->cap ? c->cap * 2 : 8;
      cpet_node **q = cpet__realloc(c->tops, cap * sizeof *q);
      if (!q) {
        c->st = cpet__err(CPET_ERR_NOMEM, "node list");
        return;
      }
      c->tops = q;
      c->cap = cap;
    }
    c->tops[c->n++] = n;
    return; /* removed recursively with its topmost ancestor of this run */
  }
  if (cpet_node_kind_of(n) != CPET_NODE_GROUP) return;
  size_t nc = cpet_node_nchildren(n);
  for (size_t i = 0; i < nc; i++)
    drop_walk(c, cpet_node_child(n, i));
}

cpet_status cpet__proto_drop_run(cpet_traj *traj, int64_t idx) {
  drop_ctx c = {idx, NULL, 0, 0, CPET_OK};
  drop_walk(&c, cpet_traj_root(traj));
  for (size_t i = 0; c.st == CPET_OK && i < c.n; i++)
    c.st = cpet_traj_remove(traj, c.tops[i], 1);
  cpet_free(c.tops);
  return c.st;
}

/* ---- framing ---- */

cpet_status cpet__frame_begin(cpet__buf *b) {
  b->len = 0;
  CPET__CHECK(cpet__buf_u32(b, FRAME_MAGIC));
  return cpet__buf_u32(b, 0);
}

cpet_status cpet__frame_add(cpet__buf *b, const void *rec, size_t len) {
  if (b->len < 8) CPET__CHECK(cpet__frame_begin(b));
  CPET__CHECK(cpet__buf_u64(b, (uint64_t)len));
  CPET__CHECK(cpet__buf_put(b, rec, len));
  cpet__put_le32(b->p + 4, cpet__get_le32(b->p + 4) + 1);
  return CPET_OK;
}

cpet_status cpet__frame_open(const void *msg, size_t len, cpet__rd *r, uint32_t *count) {
  r->p = msg;
  r->len = len;
  r->off = 0;
  uint32_t magic;
  CPET__CHECK(cpet__rd_u32(r, &magic));
  if (magic != FRAME_MAGIC) return cpet__err(CPET_ERR_CORRUPT, "bad run message magic %08x", magic);
  return cpet__rd_u32(r, count);
}

cpet_status cpet__frame_next(cpet__rd *r, const void **rec, size_t *len) {
  uint64_t n;
  const unsigned char *p = NULL;
  CPET__CHECK(cpet__rd_u64(r, &n));
  if (n > r->len - r->off) return cpet__err(CPET_ERR_CORRUPT, "run record beyond its message");
  CPET__CHECK(cpet__rd_bytes(r, (size_t)n, &p));
  *rec = p;
  *len = (size_t)n;
  return CPET_OK;
}

/* ---- time ---- */

double cpet__now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

void cpet__proto_timedelta(double seconds, char *buf, size_t cap) {
  /* Times come from run records (a journal may be damaged): keep llround in range. */
  if (!(seconds >= 0)) seconds = 0;
  if (seconds > 1e12) seconds = 1e12;
  long long us = llround(seconds * 1e6);
  long long days = us / 86400000000LL;
  us -= days * 86400000000LL;
  long long h = us / 3600000000LL, m = us / 60000000LL % 60, s = us / 1000000LL % 60,
            f = us % 1000000LL;
  char tail[48];
  if (f)
    snprintf(tail, sizeof tail, "%lld:%02lld:%02lld.%06lld", h, m, s, f);
  else
    snprintf(tail, sizeof tail, "%lld:%02lld:%02lld", h, m, s);
  if (days)
    snprintf(buf, cap, "%lld day%s, %s", days, days == 1 ? "" : "s", tail);
  else
    snprintf(buf, cap, "%s", tail);
}

void cpet__proto_timestr(double ts, char *buf, size_t cap) {
  /* Out-of-range timestamps (damaged records) would make the cast undefined: use 0. */
  if (!(ts >= 0 && ts < 253402300800.0)) ts = 0;
  time_t t = (time_t)floor(ts);
  struct tm tm;
  localtime_r(&t, &tm);
  strftime(buf, cap, "%Y_%m_%d_%Hh%Mm%Ss", &tm);
}
