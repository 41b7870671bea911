/* json_sparse.c - the JSON encodings of sparse matrices (sorted COO, as scipy's tocoo) and of
 * pickles (decoded when plain data; sets shown by their repr). Split from json_out.c. */
#include <stdlib.h>
#include <string.h>

#include "layout/layout_int.h"
#include "layout/pickle_int.h"
#include "tools/tools_int.h"
#include "value/value_int.h"

#define elem_f64 cpet_tool_elem_f64
#define elem_imag cpet_tool_elem_imag
#define hexn cpet_tool_hexn
#define array_json cpet_tool_array_json

/* ---- sparse ---- */

typedef struct {
  int64_t r, c;
  size_t k; /* element index into data */
} coo;

static int coo_cmp(const void *a, const void *b) {
  const coo *x = a, *y = b;
  if (x->r != y->r) return x->r < y->r ? -1 : 1;
  if (x->c != y->c) return x->c < y->c ? -1 : 1;
  return x->k < y->k ? -1 : x->k > y->k;
}

static int64_t ival(const cpet_value *a, size_t i) {
  return (int64_t)elem_f64(a->type, (const char *)a->data + i * a->itemsize);
}

void cpet_tool_sparse_json(cpet_jw *j, const cpet_value *v) {
  const cpet_value *data = cpet_value_get(v, "data");
  const char *fmt[] = {"csr", "csc", "bsr", "dia"};
  cpet_sparse_format f = v->sparse_fmt;
  size_t nr = v->shape[0], nc = v->shape[1], n = 0, nnz = 0;
  coo *e = NULL;
  if (data) {
    e = calloc(data->nelem + 1, sizeof *e);
    if (f == CPET_SPARSE_DIA) {
      const cpet_value *off = cpet_value_get(v, "offsets");
      size_t L = data->ndim == 2 ? data->shape[1] : 0;
      for (size_t d = 0; off && d < off->nelem; d++) {
        int64_t o = ival(off, d);
        nnz += (size_t)(o > 0 ? ((int64_t)nr < (int64_t)nc - o ? (int64_t)nr : (int64_t)nc - o)
                              : ((int64_t)nr + o < (int64_t)nc ? (int64_t)nr + o : (int64_t)nc));
        for (size_t col = 0; col < L && col < nc; col++) {
          int64_t row = (int64_t)col - o;
          size_t k = d * L + col;
          if (row < 0 || row >= (int64_t)nr ||
              elem_f64(data->type, (char *)data->data + k * data->itemsize) == 0)
            continue;
          e[n++] = (coo){row, (int64_t)col, k};
        }
      }
    } else {
      const cpet_value *ind = cpet_value_get(v, "indices"), *ptr = cpet_value_get(v, "indptr");
      size_t R = 1, C = 1;
      if (f == CPET_SPARSE_BSR && data->ndim == 3) R = data->shape[1], C = data->shape[2];
      for (size_t o = 0; ind && ptr && o + 1 < ptr->nelem; o++)
        for (int64_t k = ival(ptr, o); k < ival(ptr, o + 1); k++)
          for (size_t a = 0; a < R; a++)
            for (size_t b = 0; b < C; b++) {
              int64_t major = (int64_t)(o * R + a),
                      minor = ival(ind, (size_t)k) * (int64_t)C + (int64_t)b;
              size_t di = (size_t)k * R * C + a * C + b;
              if (n < data->nelem)
                e[n++] = f == CPET_SPARSE_CSC ? (coo){minor, major, di} : (coo){major, minor, di};
            }
      nnz = n;
    }
    qsort(e, n, sizeof *e, coo_cmp);
  }
  cpet_jw_obj(j);
  char tname[32];
  snprintf(tname, sizeof tname, "%s_matrix", fmt[f & 3]);
  cpet_jw_key(j, "type");
  cpet_jw_str(j, tname);
  cpet_jw_key(j, "format");
  cpet_jw_str(j, fmt[f & 3]);
  cpet_jw_key(j, "shape");
  cpet_jw_arr(j);
  cpet_jw_u64(j, nr);
  cpet_jw_u64(j, nc);
  cpet_jw_end_arr(j);
  if (data) {
    char dt[32];
    cpet_tool_dtype(data, dt, sizeof dt);
    cpet_jw_key(j, "dtype");
    cpet_jw_str(j, dt);
  }
  cpet_jw_key(j, "nnz");
  cpet_jw_u64(j, nnz);
  cpet_jw_key(j, "row");
  cpet_jw_arr(j);
  for (size_t i = 0; i < n; i++)
    cpet_jw_i64(j, e[i].r);
  cpet_jw_end_arr(j);
  cpet_jw_key(j, "col");
  cpet_jw_arr(j);
  for (size_t i = 0; i < n; i++)
    cpet_jw_i64(j, e[i].c);
  cpet_jw_end_arr(j);
  if (data) {
    cpet_value *dv = NULL;
    void *buf = NULL;
    size_t shape[1] = {n};
    if (cpet__value_new_array_uninit(CPET_KIND_NDARRAY, data->type, data->itemsize, 1, shape, &dv,
                                     &buf) == CPET_OK) {
      for (size_t i = 0; i < n && buf; i++)
        memcpy((char *)buf + i * data->itemsize, (char *)data->data + e[i].k * data->itemsize,
               data->itemsize);
      cpet_jw_key(j, "data");
      array_json(j, dv, "ndarray");
    }
    cpet_value_free(dv);
  }
  free(e);
  cpet_jw_end_obj(j);
}

/* ---- pickles ---- */

static void pobj_repr(FILE *f, const cpet__pobj *o) {
  switch (o->t) {
  case CPET__P_INT:
    fprintf(f, "%lld", (long long)o->i);
    break;
  case CPET__P_BOOL:
    fputs(o->i ? "True" : "False", f);
    break;
  case CPET__P_NONE:
    fputs("None", f);
    break;
  case CPET__P_FLOAT:
    fprintf(f, "%.17g", o->f);
    break;
  case CPET__P_STR:
    fprintf(f, "'%.*s'", (int)o->n, o->s);
    break;
  default:
    fputs("...", f);
    break;
  }
}

void cpet_tool_pickle_json(cpet_jw *j, const cpet_value *v) {
  cpet_value *d = NULL;
  if (cpet__pickle_decode(v->data, v->itemsize, &d) == CPET_OK) {
    cpet_jw_value(j, d);
    cpet_value_free(d);
    return;
  }
  cpet_errclear();
  /* Sets are carried by the pickle VM but have no value form: show their repr. */
  cpet__parena arena = {NULL, 0, 0};
  cpet__pobj *o = NULL;
  cpet_jw_obj(j);
  if (cpet__pickle_run(v->data, v->itemsize, &arena, &o) == CPET_OK && o && o->t == CPET__P_SET) {
    char *buf = NULL;
    size_t len = 0;
    FILE *m = open_memstream(&buf, &len);
    if (m) {
      fputc('{', m);
      for (size_t i = 0; i < o->nitems; i++) {
        if (i) fputs(", ", m);
        pobj_repr(m, o->items[i]);
      }
      fputc('}', m);
      fclose(m);
    }
    cpet_jw_key(j, "type");
    cpet_jw_str(j, "set");
    cpet_jw_key(j, "repr");
    cpet_jw_str(j, buf ? buf : "");
    free(buf);
  } else {
    cpet_errclear();
    cpet_jw_key(j, "type");
    cpet_jw_str(j, "pickle");
    cpet_jw_key(j, "protocol");
    cpet_jw_i64(j, v->protocol);
    cpet_jw_key(j, "hex");
    hexn(j, v->data, v->itemsize);
  }
  cpet__pickle_arena_free(&arena);
  cpet_jw_end_obj(j);
}
