/* large.c - large arrays outside the run records: extraction on the worker, compression of
 * their chunks through HDF5's own filter pipeline, and direct chunk writes on the writer.
 *
 * Why an in-memory HDF5 file for compression: the chunks a worker produces must be
 * byte-identical to what the writer's H5Dwrite would have produced (shuffle then deflate,
 * blosc with its hdf5-blosc header, fletcher32, lzo...). Running the very same filter
 * pipeline (H5Dwrite into a core-driver file, then H5Dread_chunk) guarantees that for every
 * filter cpet supports, at the cost of one memcpy of the compressed bytes.
 *
 * This file includes hdf5.h although it lives in src/writer: the direct chunk path is part
 * of the writer protocol, and the layout helpers it calls (write_int.h) take HDF5 ids.
 *
 * Description of one array in a record (little-endian):
 *   str leaf, str key, u8 cpet_type, u64 itemsize, u8 rank, rank x u64 dims,
 *   rank x u64 chunk, str coll, str stype, u8 mode (0 raw, 1 chunks, 2 dropped: lazy),
 *   u8 complib, u8 codec + 1, u8 complevel, u8 shuffle, u8 fletcher32,
 *   mode 1: u64 nchunks, nchunks x (u64 bytes, u32 filter mask),
 *   u64 blob bytes. */
#include <hdf5.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "filter/filter_int.h"
#include "h5/h5_int.h"
#include "layout/write_int.h"
#include "store/store_int.h"
#include "tree/tree_int.h"
#include "value/value_int.h"
#include "writer/writer_int.h"

enum { MODE_RAW = 0, MODE_CHUNKS = 1, MODE_DROPPED = 2 /* lazy sweeps: nothing travels */ };

static int qualifies(const cpet_node *leaf, const cpet__item *it, size_t min_bytes);

typedef struct lmeta {
  char *leaf, *key, *coll, *stype;
  cpet_type type;
  size_t itemsize;
  int rank;
  hsize_t dims[CPET_MAX_NDIM], chunk[CPET_MAX_NDIM];
  int mode;
  cpet_filter_opts f;
  uint64_t nchunks;
  const unsigned char *ctab; /* nchunks x 12 bytes inside the record */
  uint64_t bytes;
} lmeta;

static void lmeta_free(lmeta *m) {
  cpet_free(m->leaf);
  cpet_free(m->key);
  cpet_free(m->coll);
  cpet_free(m->stype);
  memset(m, 0, sizeof *m);
}

/* ---- blobs ---- */

void cpet__blobs_truncate(cpet__blobs *b, size_t from) {
  for (size_t i = from; i < b->n; i++) {
    cpet_free(b->v[i].own);
    cpet_value_free(b->v[i].val);
  }
  if (from < b->n) b->n = from;
}

void cpet__blobs_free(cpet__blobs *b) {
  cpet__blobs_truncate(b, 0);
  cpet_free(b->v);
  b->v = NULL;
  b->n = b->cap = 0;
}

static cpet_status blobs_push(cpet__blobs *b, const cpet__blob *x) {
  if (b->n == b->cap) {
    size_t cap = b->cap ? 2 * b->cap : 8;
    cpet__blob *v = cpet__realloc(b->v, cap * sizeof *v);
    if (!v) return cpet__err(CPET_ERR_NOMEM, "blob list");
    b->v = v;
    b->cap = cap;
  }
  b->v[b->n++] = *x;
  return CPET_OK;
}

cpet_status cpet__blobs_move(cpet__blobs *dst, cpet__blobs *src) {
  for (size_t i = 0; i < src->n; i++) {
    cpet_status st = blobs_push(dst, &src->v[i]);
    if (st != CPET_OK) {
      /* dst did not take blobs [i, n): they stay with src, which frees them */
      memmove(src->v, src->v + i, (src->n - i) * sizeof *src->v);
      src->n -= i;
      return st;
    }
  }
  src->n = 0;
  return CPET_OK;
}

/* ---- the dataset layout shared by both sides ---- */

/* The dataset-creation list write_item.c's CARRAY writer builds for these filters. */
static hid_t make_dcpl(int rank, const hsize_t *chunk, const cpet_filter_opts *f, size_t tsize,
                       cpet_status *st) {
  hid_t p = H5Pcreate(H5P_DATASET_CREATE);
  if (p < 0 || H5Pset_chunk(p, rank, chunk) < 0) {
    *st = cpet__h5_err("H5Pset_chunk", NULL);
    cpet__h5_close(p);
    return -1;
  }
  *st = cpet__filter_apply(p, f, tsize, CPET__FILTER_CARRAY);
  if (*st != CPET_OK) {
    H5Pclose(p);
    return -1;
  }
  return p;
}

static hid_t make_space(const lmeta *m) {
  hsize_t maxd[CPET_MAX_NDIM];
  for (int i = 0; i < m->rank; i++)
    maxd[i] = m->dims[i] > m->chunk[i] ? m->dims[i] : m->chunk[i];
  return H5Screate_simple(m->rank, m->dims, maxd);
}

/* Advances a row-major chunk offset; 0 when past the last chunk. */
static int next_chunk(const lmeta *m, hsize_t *off) {
  for (int i = m->rank - 1; i >= 0; i--) {
    off[i] += m->chunk[i];
    if (off[i] < m->dims[i]) return 1;
    off[i] = 0;
  }
  return 0;
}

static uint64_t count_chunks(const lmeta *m) {
  uint64_t n = 1;
  for (int i = 0; i < m->rank; i++)
    n *= (m->dims[i] + m->chunk[i] - 1) / m->chunk[i];
  return n;
}

/* ---- worker: compression ---- */

/* Chunks of `data` as the filter pipeline writes them, concatenated into *out (caller frees),
 * with per-chunk sizes and masks appended to `meta`. */
static cpet_status compress(const lmeta *m, const void *data, cpet__buf *meta, void **out,
                            size_t *outlen) {
  static unsigned counter;
  *out = NULL;
  *outlen = 0;
  CPET__CHECK(cpet__h5_init());
  size_t nbytes = m->itemsize;
  for (int i = 0; i < m->rank; i++)
    nbytes *= m->dims[i];
  char name[64];
  snprintf(name, sizeof name, "cpet-large-%ld-%u.h5", (long)getpid(), counter++);
  cpet_status st = CPET_OK;
  hid_t fapl = H5Pcreate(H5P_FILE_ACCESS), f = -1, dcpl = -1, dapl = -1, sp = -1, ft = -1, d = -1;
  size_t inc = nbytes / 4 > ((size_t)1 << 20) ? nbytes / 4 : ((size_t)1 << 20);
  if (fapl < 0 || H5Pset_fapl_core(fapl, inc, 0) < 0) st = cpet__h5_err("H5Pset_fapl_core", name);
  if (st == CPET_OK && (f = H5Fcreate(name, H5F_ACC_TRUNC, H5P_DEFAULT, fapl)) < 0)
    st = cpet__h5_err("H5Fcreate (core)", name);
  if (st == CPET_OK) dcpl = make_dcpl(m->rank, m->chunk, &m->f, m->itemsize, &st);
  /* No chunk cache: every chunk goes through the filters as soon as it is complete. */
  if (st == CPET_OK &&
      ((dapl = H5Pcreate(H5P_DATASET_ACCESS)) < 0 || H5Pset_chunk_cache(dapl, 0, 0, 1.0) < 0))
    st = cpet__h5_err("H5Pset_chunk_cache", name);
  if (st == CPET_OK &&
      ((sp = make_space(m)) < 0 || (ft = cpet__h5_type_for(m->type, m->itemsize, 0)) < 0))
    st = cpet__h5_err("dataspace/type", name);
  if (st == CPET_OK && (d = H5Dcreate2(f, "a", ft, sp, H5P_DEFAULT, dcpl, dapl)) < 0)
    st = cpet__h5_err("H5Dcreate2 (core)", name);
  if (st == CPET_OK && H5Dwrite(d, ft, H5S_ALL, H5S_ALL, H5P_DEFAULT, data) < 0)
    st = cpet__h5_err("H5Dwrite (core)", name);
  cpet__buf cb = {0};
  uint64_t n = count_chunks(m);
  if (st == CPET_OK) st = cpet__buf_u64(meta, n);
  hsize_t off[CPET_MAX_NDIM] = {0};
  for (uint64_t i = 0; st == CPET_OK && i < n; i++) {
    hsize_t sz = 0;
    uint32_t mask = 0;
    if (H5Dget_chunk_storage_size(d, off, &sz) < 0) {
      st = cpet__h5_err("H5Dget_chunk_storage_size", name);
      break;
    }
    if (cb.len + sz > cb.cap) {
      size_t want = cb.cap ? cb.cap : (size_t)(sz * (n - i) + 64);
      while (want < cb.len + sz)
        want *= 2;
      unsigned char *q = cpet__realloc(cb.p, want);
      if (!q) {
        st = cpet__err(CPET_ERR_NOMEM, "compressed chunks of %zu bytes", want);
        break;
      }
      cb.p = q;
      cb.cap = want;
    }
    if (sz && H5Dread_chunk(d, H5P_DEFAULT, off, &mask, cb.p + cb.len) < 0) {
      st = cpet__h5_err("H5Dread_chunk", name);
      break;
    }
    cb.len += sz;
    st = cpet__buf_u64(meta, sz);
    if (st == CPET_OK) st = cpet__buf_u32(meta, mask);
    next_chunk(m, off);
  }
  cpet__h5_close(d);
  cpet__h5_close(ft);
  cpet__h5_close(sp);
  cpet__h5_close(dapl);
  cpet__h5_close(dcpl);
  if (f >= 0 && H5Fclose(f) < 0 && st == CPET_OK) st = cpet__h5_err("H5Fclose (core)", name);
  cpet__h5_close(fapl);
  if (st != CPET_OK) {
    cpet__buf_free(&cb);
    return st;
  }
  *out = cb.p;
  *outlen = cb.len;
  return CPET_OK;
}

/* ---- worker: extraction ---- */

int cpet__large_qualifies(const cpet_node *leaf, size_t i, const cpet__large_opts *lo) {
  return lo && lo->min_bytes && i < leaf->nitems && qualifies(leaf, &leaf->items[i], lo->min_bytes);
}

static int qualifies(const cpet_node *leaf, const cpet__item *it, size_t min_bytes) {
  const cpet_value *v = it->value;
  if (!v || it->flag != CPET_FLAG_CARRAY || strchr(it->key, '.')) return 0;
  if (cpet_value_kind(v) != CPET_KIND_NDARRAY || cpet_value_ndim(v) < 1) return 0;
  cpet_type t = cpet_value_type(v);
  if (t < CPET_T_BOOL || t > CPET_T_COMPLEX128) return 0;
  if (cpet_node_class(leaf) != CPET_CLASS_RESULT) return 0;
  size_t n = cpet_value_nelem(v), isz = cpet_value_itemsize(v);
  return n > 0 && isz > 0 && n <= SIZE_MAX / isz && n * isz >= min_bytes;
}

static cpet_status put_meta_head(cpet__buf *b, const cpet_node *leaf, const cpet__item *it,
                                 lmeta *m) {
  const cpet_value *v = it->value;
  m->type = cpet_value_type(v);
  m->itemsize = cpet_value_itemsize(v);
  m->rank = cpet_value_ndim(v);
  const size_t *sh = cpet_value_shape(v);
  for (int i = 0; i < m->rank; i++)
    m->dims[i] = sh[i];
  /* write_item.c's choice for a CARRAY: PyTables' chunk shape cut to the data. */
  cpet__wr_chunkshape(m->rank, m->dims, m->itemsize, (double)m->dims[0], m->chunk);
  cpet__wr_chunkshape_fit(m->rank, m->dims, m->chunk);
  const char *coll = NULL, *stype = NULL;
  CPET__CHECK(cpet__wr_recall_names(v, 0, &coll, &stype));
  CPET__CHECK(cpet__buf_str(b, cpet_node_full_name(leaf)));
  CPET__CHECK(cpet__buf_str(b, it->key));
  CPET__CHECK(cpet__buf_u8(b, (uint8_t)m->type));
  CPET__CHECK(cpet__buf_u64(b, m->itemsize));
  CPET__CHECK(cpet__buf_u8(b, (uint8_t)m->rank));
  for (int i = 0; i < m->rank; i++)
    CPET__CHECK(cpet__buf_u64(b, m->dims[i]));
  for (int i = 0; i < m->rank; i++)
    CPET__CHECK(cpet__buf_u64(b, m->chunk[i]));
  CPET__CHECK(cpet__buf_str(b, coll));
  CPET__CHECK(cpet__buf_str(b, stype));
  CPET__CHECK(cpet__buf_u8(b, (uint8_t)m->mode));
  CPET__CHECK(cpet__buf_u8(b, (uint8_t)m->f.complib));
  CPET__CHECK(cpet__buf_u8(b, (uint8_t)(m->f.blosc_codec + 1)));
  CPET__CHECK(cpet__buf_u8(b, (uint8_t)m->f.complevel));
  CPET__CHECK(cpet__buf_u8(b, (uint8_t)(m->f.shuffle != 0)));
  return cpet__buf_u8(b, (uint8_t)(m->f.fletcher32 != 0));
}

/* Extracts one item: description into `b`, blob into `blobs`, item out of the leaf. */
static cpet_status extract_one(cpet_node *leaf, size_t i, const cpet__large_opts *lo, cpet__buf *b,
                               cpet__blobs *blobs) {
  cpet__item *it = &leaf->items[i];
  lmeta m;
  memset(&m, 0, sizeof m);
  m.f = lo->filters;
  int filtered = m.f.complevel > 0 || m.f.fletcher32;
  m.mode = lo->drop ? MODE_DROPPED : filtered && lo->compress ? MODE_CHUNKS : MODE_RAW;
  size_t at = b->len;
  cpet_status st = put_meta_head(b, leaf, it, &m);
  cpet__blob x = {NULL, 0, NULL, NULL};
  if (st == CPET_OK && m.mode == MODE_CHUNKS) {
    void *p = NULL;
    size_t n = 0;
    st = compress(&m, cpet_value_data(it->value), b, &p, &n);
    x.p = x.own = p;
    x.len = n;
  } else if (st == CPET_OK && m.mode == MODE_RAW) {
    x.p = cpet_value_data(it->value);
    x.len = cpet_value_nelem(it->value) * cpet_value_itemsize(it->value);
  }
  if (st == CPET_OK) st = cpet__buf_u64(b, x.len);
  if (st == CPET_OK) st = blobs_push(blobs, &x);
  if (st != CPET_OK) {
    cpet_free(x.own);
    b->len = at;
    return st;
  }
  if (lo->keep) return CPET_OK;
  if (m.mode == MODE_RAW) {
    /* The blob borrows the value's buffer: take the value out of the leaf, no copy. */
    cpet_value *none = NULL;
    st = cpet_value_new_none(&none);
    if (st != CPET_OK) {
      blobs->n--;
      b->len = at;
      return st;
    }
    blobs->v[blobs->n - 1].val = it->value;
    it->value = none;
  }
  return cpet_leaf_remove_item(leaf, it->key);
}

typedef struct xctx {
  int64_t idx;
  const cpet__large_opts *lo;
  cpet__buf *out;
  cpet__blobs *blobs;
  uint32_t count;
  cpet_status st;
} xctx;

static void xwalk(xctx *c, cpet_node *n) {
  if (c->st != CPET_OK) return;
  if (cpet_node_kind_of(n) == CPET_NODE_LEAF) {
    if (cpet_node_run_index(n) != c->idx) return;
    for (size_t i = 0; i < n->nitems && c->st == CPET_OK;) {
      if (!qualifies(n, &n->items[i], c->lo->min_bytes)) {
        i++;
        continue;
      }
      c->st = extract_one(n, i, c->lo, c->out, c->blobs);
      c->count++;
      if (c->lo->keep) i++; /* otherwise item i is gone and i names the next one */
    }
    return;
  }
  if (cpet_node_kind_of(n) != CPET_NODE_GROUP) return;
  for (size_t i = 0; i < n->nchildren && c->st == CPET_OK; i++)
    xwalk(c, n->children[i]);
}

cpet_status cpet__large_extract(cpet_traj *traj, int64_t idx, const cpet__large_opts *lo,
                                cpet__buf *out, uint32_t *count, cpet__blobs *blobs) {
  *count = 0;
  if (!lo || !lo->min_bytes) return CPET_OK;
  xctx c = {idx, lo, out, blobs, 0, CPET_OK};
  xwalk(&c, cpet_traj_root(traj));
  *count = c.count;
  return c.st;
}

/* ---- reading descriptions ---- */

static cpet_status rd_meta(cpet__rd *r, lmeta *m) {
  memset(m, 0, sizeof *m);
  uint8_t u8;
  uint64_t u64;
  cpet_status st = cpet__rd_str(r, &m->leaf);
  if (st == CPET_OK) st = cpet__rd_str(r, &m->key);
  if (st == CPET_OK) st = cpet__rd_u8(r, &u8);
  m->type = (cpet_type)u8;
  if (st == CPET_OK) st = cpet__rd_u64(r, &u64);
  m->itemsize = (size_t)u64;
  if (st == CPET_OK) st = cpet__rd_u8(r, &u8);
  m->rank = u8;
  if (st == CPET_OK && (m->rank < 1 || m->rank > CPET_MAX_NDIM || m->type < CPET_T_BOOL ||
                        m->type > CPET_T_COMPLEX128 || m->itemsize == 0 || m->itemsize > 16))
    st = cpet__err(CPET_ERR_CORRUPT, "bad large-array description (rank %d, type %d)", m->rank,
                   (int)m->type);
  for (int i = 0; st == CPET_OK && i < m->rank; i++)
    if ((st = cpet__rd_u64(r, &u64)) == CPET_OK) m->dims[i] = u64;
  for (int i = 0; st == CPET_OK && i < m->rank; i++) {
    if ((st = cpet__rd_u64(r, &u64)) == CPET_OK) m->chunk[i] = u64;
    if (st == CPET_OK && (u64 == 0 || m->dims[i] == 0))
      st = cpet__err(CPET_ERR_CORRUPT, "zero chunk or dimension in a large array");
  }
  if (st == CPET_OK) st = cpet__rd_str(r, &m->coll);
  if (st == CPET_OK) st = cpet__rd_str(r, &m->stype);
  uint8_t f[6] = {0};
  for (int i = 0; st == CPET_OK && i < 6; i++)
    st = cpet__rd_u8(r, &f[i]);
  m->mode = f[0];
  m->f.complib = (cpet_complib)f[1];
  m->f.blosc_codec = (int)f[2] - 1;
  m->f.complevel = f[3];
  m->f.shuffle = f[4];
  m->f.fletcher32 = f[5];
  if (st == CPET_OK && m->mode != MODE_RAW && m->mode != MODE_CHUNKS && m->mode != MODE_DROPPED)
    st = cpet__err(CPET_ERR_CORRUPT, "large-array mode %d", m->mode);
  if (st == CPET_OK && m->mode == MODE_CHUNKS) {
    st = cpet__rd_u64(r, &m->nchunks);
    if (st == CPET_OK && m->nchunks != count_chunks(m))
      st = cpet__err(CPET_ERR_CORRUPT, "large array with %llu chunks, expected %llu",
                     (unsigned long long)m->nchunks, (unsigned long long)count_chunks(m));
    if (st == CPET_OK && m->nchunks > (r->len - r->off) / 12)
      st = cpet__err(CPET_ERR_CORRUPT, "chunk table beyond the record");
    if (st == CPET_OK) st = cpet__rd_bytes(r, (size_t)m->nchunks * 12, &m->ctab);
  }
  if (st == CPET_OK) st = cpet__rd_u64(r, &m->bytes);
  if (st == CPET_OK && m->mode == MODE_DROPPED && m->bytes)
    st = cpet__err(CPET_ERR_CORRUPT, "dropped large array with data");
  if (st == CPET_OK && m->mode == MODE_RAW) {
    uint64_t want = m->itemsize;
    for (int i = 0; i < m->rank; i++)
      want *= m->dims[i];
    if (want != m->bytes) st = cpet__err(CPET_ERR_CORRUPT, "raw large array of wrong size");
  }
  if (st == CPET_OK && m->mode == MODE_CHUNKS) {
    uint64_t sum = 0;
    for (uint64_t i = 0; i < m->nchunks; i++) {
      cpet__rd cr = {m->ctab + 12 * i, 12, 0};
      uint64_t sz = 0;
      cpet__rd_u64(&cr, &sz);
      sum += sz;
    }
    if (sum != m->bytes) st = cpet__err(CPET_ERR_CORRUPT, "chunk sizes do not add up");
  }
  if (st != CPET_OK) lmeta_free(m);
  return st;
}

cpet_status cpet__large_skip(cpet__rd *r, uint32_t n, size_t *nblobs, uint64_t *lens, size_t cap) {
  for (uint32_t i = 0; i < n; i++) {
    lmeta m;
    CPET__CHECK(rd_meta(r, &m));
    if (lens && i < cap) lens[i] = m.bytes;
    lmeta_free(&m);
  }
  if (nblobs) *nblobs = n;
  return CPET_OK;
}

/* ---- writer: the dataset ---- */

static char *abs_path(const cpet_traj *traj, const char *full) {
  char *p = cpet__asprintf("/%s/%s", cpet_traj_name(traj), full);
  if (p)
    for (char *q = p + strlen(cpet_traj_name(traj)) + 2; *q; q++)
      if (*q == '.') *q = '/';
  return p;
}

static cpet_status write_one(cpet_store *s, cpet_traj *traj, const lmeta *m, const void *data) {
  char *path = abs_path(traj, m->leaf);
  if (!path) return cpet__err(CPET_ERR_NOMEM, "path");
  cpet_status st = CPET_OK;
  hid_t g = H5Gopen2(s->file, path, H5P_DEFAULT), sp = -1, ft = -1, dcpl = -1, d = -1;
  if (g < 0) st = cpet__h5_err("H5Gopen2 (leaf of a large array)", path);
  if (st == CPET_OK) dcpl = make_dcpl(m->rank, m->chunk, &m->f, m->itemsize, &st);
  if (st == CPET_OK &&
      ((sp = make_space(m)) < 0 || (ft = cpet__h5_type_for(m->type, m->itemsize, 0)) < 0))
    st = cpet__h5_err("dataspace/type", m->key);
  if (st == CPET_OK && (d = H5Dcreate2(g, m->key, ft, sp, H5P_DEFAULT, dcpl, H5P_DEFAULT)) < 0)
    st = cpet__h5_err("H5Dcreate2", m->key);
  if (st == CPET_OK && m->mode == MODE_RAW &&
      H5Dwrite(d, ft, H5S_ALL, H5S_ALL, H5P_DEFAULT, data) < 0)
    st = cpet__h5_err("H5Dwrite", m->key);
  if (st == CPET_OK && m->mode == MODE_CHUNKS) {
    hsize_t off[CPET_MAX_NDIM] = {0};
    const unsigned char *p = data;
    for (uint64_t i = 0; st == CPET_OK && i < m->nchunks; i++) {
      cpet__rd cr = {m->ctab + 12 * i, 12, 0};
      uint64_t sz = 0;
      uint32_t mask = 0;
      cpet__rd_u64(&cr, &sz);
      cpet__rd_u32(&cr, &mask);
      if (sz && H5Dwrite_chunk(d, H5P_DEFAULT, mask, off, (size_t)sz, p) < 0)
        st = cpet__h5_err("H5Dwrite_chunk", m->key);
      p += sz;
      next_chunk(m, off);
    }
  }
  if (st == CPET_OK) st = cpet__wr_pytables_attrs(d, CPET__PT_CARRAY, NULL, "numpy", NULL);
  if (st == CPET_OK) st = cpet__wr_attr_str(d, "SRVC_STORE", "CARRAY", 0);
  if (st == CPET_OK)
    st = cpet__wr_recall_attrs(d, "SRVC_DATA_", m->coll, m->stype[0] ? m->stype : NULL);
  if (d >= 0 && H5Dclose(d) < 0 && st == CPET_OK) st = cpet__h5_err("H5Dclose", m->key);
  if (st != CPET_OK && d >= 0) {
    H5E_BEGIN_TRY { H5Ldelete(g, m->key, H5P_DEFAULT); }
    H5E_END_TRY;
  }
  cpet__h5_close(dcpl);
  cpet__h5_close(ft);
  cpet__h5_close(sp);
  cpet__h5_close(g);
  if (st != CPET_OK) cpet__err_context("large array '%s' of '%s'", m->key, m->leaf);
  cpet_free(path);
  return st;
}

cpet_status cpet__large_store(cpet_store *s, cpet_traj *traj, cpet__rd *r, uint32_t n,
                              const cpet__blob *blobs, size_t nblobs, const unsigned char *inl,
                              size_t inl_len) {
  if (blobs && nblobs != n)
    return cpet__err(CPET_ERR_CORRUPT, "%zu blobs for %u large arrays", nblobs, n);
  if (s->lazy) return CPET_OK;
  if (s->file < 0) return cpet__err(CPET_ERR_STATE, "large arrays before the file is open");
  size_t at = 0;
  for (uint32_t i = 0; i < n; i++) {
    lmeta m;
    CPET__CHECK(rd_meta(r, &m));
    const void *data;
    cpet_status st = CPET_OK;
    if (blobs) {
      data = blobs[i].p;
      if (blobs[i].len != m.bytes) st = cpet__err(CPET_ERR_CORRUPT, "blob of the wrong size");
    } else {
      data = inl + at;
      if (m.bytes > inl_len - at) st = cpet__err(CPET_ERR_CORRUPT, "large array beyond record");
      at += (size_t)m.bytes;
    }
    if (st == CPET_OK && m.mode == MODE_DROPPED)
      st = cpet__err(CPET_ERR_STATE, "large array '%s' was dropped by a lazy worker", m.key);
    if (st == CPET_OK) st = write_one(s, traj, &m, data);
    lmeta_free(&m);
    CPET__CHECK(st);
  }
  return CPET_OK;
}
