/* read_table.c - compound tables into ObjectTables (spec 6.5), DICT tables, and split tables
 * with their datatype table (spec 6.7). Columns are read one by one through a one-member
 * compound memory type, so HDF5 matches them by name whatever the file's member order. */
#include <stdlib.h>
#include <string.h>

#include "layout/read_int.h"

/* Recall of a raw column (first dimension = rows) from SRVC_COLUMN_<col>_* (spec 7.4). */
static cpet_status recall_column(cpet_value *col, const char *coll, const char *stype, int box) {
  cpet_type st = CPET_T_NONE;
  int has = stype && *stype && cpet_type_from_name(stype, &st) == CPET_OK;
  if (stype && *stype && !has) cpet_errclear();
  int cellrank = col->ndim - 1;
  if (coll && strcmp(coll, "COLL_SCALAR") == 0) {
    if (cellrank == 0) {
      col->kind = CPET_KIND_SCALAR;
      if (has) CPET__CHECK(cpet__read_retype(col, st));
    }
  } else if (coll && (strcmp(coll, "COLL_LIST") == 0 || strcmp(coll, "COLL_TUPLE") == 0)) {
    if (cellrank == 1) {
      col->kind = coll[5] == 'L' ? CPET_KIND_LIST : CPET_KIND_TUPLE;
      if (has) CPET__CHECK(cpet__read_retype(col, st));
    }
  } else if (coll && (strcmp(coll, "COLL_NDARRAY") == 0 || strcmp(coll, "COLL_MATRIX") == 0) &&
             cellrank > 0) {
    /* (A 0-d array cell stays a numpy scalar, as pypet returns it.) */
    col->kind = (coll[5] == 'M' && cellrank == 2) ? CPET_KIND_MATRIX : CPET_KIND_NDARRAY;
    if (has && (st == CPET_T_PY_STR || st == CPET_T_STR) && cpet__type_is_string(col->type))
      col->type = CPET_T_STR;
  }
  if (box && col->kind == CPET_KIND_SCALAR && !cpet__type_is_string(col->type) &&
      !cpet__type_is_python(col->type))
    CPET__CHECK(cpet__read_retype(col, cpet__read_box_type(col->type)));
  return CPET_OK;
}

/* Reads member `mi` of the compound dataset as a raw column value. */
static cpet_status read_column(hid_t ds, hid_t ft, unsigned mi, size_t rows, const char *tname,
                               char **colname, cpet_value **out) {
  hid_t mft = H5Tget_member_type(ft, mi), elem = -1, mel = -1, mcell = -1, mcomp = -1;
  char *mname = H5Tget_member_name(ft, mi);
  cpet_status st = CPET_OK;
  cpet_value *col = NULL;
  *colname = NULL;
  if (mft < 0 || !mname) {
    st = cpet__h5_err("H5Tget_member_type", tname);
    goto done;
  }
  int cnd = 0;
  hsize_t cd[CPET_MAX_NDIM];
  elem = mft;
  if (H5Tget_class(mft) == H5T_ARRAY) {
    cnd = H5Tget_array_ndims(mft);
    if (cnd < 0 || cnd >= CPET_MAX_NDIM) {
      st = cpet__err(CPET_ERR_UNSUPPORTED, "table '%s' column '%s': rank", tname, mname);
      goto done;
    }
    H5Tget_array_dims2(mft, cd);
    elem = H5Tget_super(mft);
  }
  cpet_type t;
  size_t isz;
  if ((st = cpet__h5_type_classify(elem, &t, &isz)) != CPET_OK) {
    cpet__err_context("table '%s' column '%s'", tname, mname);
    goto done;
  }
  if (cpet__type_is_string(t) && isz == 0) {
    st = cpet__err(CPET_ERR_UNSUPPORTED, "table '%s' column '%s': vlen strings", tname, mname);
    goto done;
  }
  mel = cpet__h5_mem_type(t, isz, elem);
  mcell = cnd ? H5Tarray_create2(mel, (unsigned)cnd, cd) : H5Tcopy(mel);
  if (mel < 0 || mcell < 0) {
    st = cpet__h5_err("column memory type", tname);
    goto done;
  }
  size_t cellbytes = H5Tget_size(mcell);
  mcomp = H5Tcreate(H5T_COMPOUND, cellbytes);
  if (mcomp < 0 || H5Tinsert(mcomp, mname, 0, mcell) < 0) {
    st = cpet__h5_err("H5Tinsert", tname);
    goto done;
  }
  size_t shape[CPET_MAX_NDIM];
  shape[0] = rows;
  for (int i = 0; i < cnd; i++)
    shape[i + 1] = (size_t)cd[i];
  void *data = NULL;
  st = cpet__value_new_array_uninit(cnd ? CPET_KIND_NDARRAY : CPET_KIND_SCALAR, t, isz, cnd + 1,
                                    shape, &col, &data);
  if (st != CPET_OK) goto done;
  if (data && H5Dread(ds, mcomp, H5S_ALL, H5S_ALL, H5P_DEFAULT, data) < 0) {
    st = cpet__h5_err("H5Dread", tname);
    goto done;
  }
  if (!(*colname = cpet__strdup(mname))) st = cpet__err(CPET_ERR_NOMEM, "column name");
done:
  if (elem != mft) cpet__h5_close(elem);
  cpet__h5_close(mft);
  cpet__h5_close(mel);
  cpet__h5_close(mcell);
  cpet__h5_close(mcomp);
  if (mname) H5free_memory(mname);
  if (st != CPET_OK) {
    cpet_value_free(col);
    return st;
  }
  *out = col;
  return CPET_OK;
}

cpet_status cpet__read_table_into(hid_t loc, const char *name, const cpet__attrsrc *src,
                                  long box_from, cpet_value *tab) {
  hid_t ds = H5Dopen2(loc, name, H5P_DEFAULT), ft = -1, sp = -1;
  if (ds < 0) return cpet__h5_err("H5Dopen2", name);
  cpet_status st = CPET_OK;
  cpet__attrsrc own = {ds, 0, NULL, NULL};
  if (!src) src = &own;
  if ((ft = H5Dget_type(ds)) < 0 || (sp = H5Dget_space(ds)) < 0) {
    st = cpet__h5_err("H5Dget_type", name);
    goto done;
  }
  if (H5Tget_class(ft) != H5T_COMPOUND || H5Sget_simple_extent_ndims(sp) != 1) {
    st = cpet__err(CPET_ERR_LAYOUT, "'%s' is not a table (rank-1 compound dataset)", name);
    goto done;
  }
  hsize_t rows;
  H5Sget_simple_extent_dims(sp, &rows, NULL);
  int nm = H5Tget_nmembers(ft);
  for (int i = 0; i < nm && st == CPET_OK; i++) {
    char *cname = NULL;
    cpet_value *col = NULL;
    st = read_column(ds, ft, (unsigned)i, (size_t)rows, name, &cname, &col);
    if (st != CPET_OK) break;
    char *an = cpet__asprintf("SRVC_COLUMN_%s_COLL_TYPE", cname);
    char *bn = cpet__asprintf("SRVC_COLUMN_%s_SCALAR_TYPE", cname);
    char *coll = an ? cpet__read_attr(src, an) : NULL;
    char *stype = bn ? cpet__read_attr(src, bn) : NULL;
    long idx = (long)cpet_value_nchildren(tab);
    st = recall_column(col, coll, stype, box_from >= 0 && idx >= box_from);
    if (st == CPET_OK)
      st = cpet_value_set(tab, cname, col);
    else
      cpet_value_free(col);
    cpet_free(an);
    cpet_free(bn);
    cpet_free(coll);
    cpet_free(stype);
    cpet_free(cname);
  }
done:
  cpet__h5_close(ft);
  cpet__h5_close(sp);
  H5Dclose(ds);
  return st;
}

cpet_status cpet__read_table(hid_t loc, const char *name, const cpet__attrsrc *src, long box_from,
                             cpet_value **out) {
  *out = NULL;
  cpet_value *tab = NULL;
  CPET__CHECK(cpet_value_new_table(&tab));
  cpet_status st = cpet__read_table_into(loc, name, src, box_from, tab);
  if (st != CPET_OK) {
    cpet_value_free(tab);
    return st;
  }
  *out = tab;
  return CPET_OK;
}

/* String cell `row` of column `key` of a raw table, as a new C string. */
static char *cell_str(const cpet_value *tab, const char *key, size_t row) {
  const cpet_value *c = cpet_value_get(tab, key);
  if (!c || !cpet__type_is_string(c->type) || !c->data || c->ndim != 1 || row >= c->shape[0])
    return NULL;
  const char *p = (const char *)c->data + row * c->itemsize;
  return cpet__strndup(p, cpet__value_string_len(p, c->itemsize));
}

static long split_suffix(const char *name, const char *key) {
  size_t kl = strlen(key);
  if (strcmp(name, key) == 0) return 0;
  if (strncmp(name, key, kl) != 0 || name[kl] != '_') return -1;
  char *end;
  long n = strtol(name + kl + 1, &end, 10);
  return (*end || n <= 0) ? -1 : n;
}

cpet_status cpet__read_split_table(hid_t grp, const char *key, long box_from, cpet_value **out) {
  *out = NULL;
  char *dtname = cpet__asprintf("%s__SRVC_STORE", key);
  if (!dtname) return cpet__err(CPET_ERR_NOMEM, "split table");
  cpet__attrsrc src = {-1, 0, NULL, NULL};
  cpet_value *dt = NULL, *tab = NULL;
  char **names = NULL;
  size_t nnames = 0;
  cpet_status st = CPET_OK;
  if (cpet__h5_link_exists(grp, dtname)) {
    cpet__attrsrc none = {-1, 0, NULL, NULL};
    st = cpet__read_table(grp, dtname, &none, -1, &dt);
    size_t rows = (st == CPET_OK && cpet_value_ndim(dt) > 0) ? cpet_value_shape(dt)[0] : 0;
    if (st == CPET_OK && rows) {
      src.names = cpet__calloc(rows, sizeof(char *));
      src.vals = cpet__calloc(rows, sizeof(char *));
      if (!src.names || !src.vals) st = cpet__err(CPET_ERR_NOMEM, "split table");
      for (size_t i = 0; st == CPET_OK && i < rows; i++) {
        src.names[i] = cell_str(dt, "field_name", i);
        src.vals[i] = cell_str(dt, "data_type", i);
        if (!src.names[i] || !src.vals[i])
          st = cpet__err(CPET_ERR_LAYOUT, "split table '%s': bad datatype table", key);
        src.n = i + 1;
      }
    }
  }
  if (st == CPET_OK) st = cpet__h5_list_names(grp, &names, &nnames);
  if (st == CPET_OK) st = cpet_value_new_table(&tab);
  /* Sub-tables in column order: <key>, <key>_1, <key>_2, ... */
  long maxs = -1;
  for (size_t i = 0; st == CPET_OK && i < nnames; i++) {
    long sfx = split_suffix(names[i], key);
    if (sfx > maxs) maxs = sfx;
  }
  for (long want = 0; st == CPET_OK && want <= maxs; want++) {
    for (size_t i = 0; st == CPET_OK && i < nnames; i++) {
      if (split_suffix(names[i], key) != want || strcmp(names[i], dtname) == 0) continue;
      st = cpet__read_table_into(grp, names[i], &src, box_from, tab);
    }
  }
  for (size_t i = 0; i < src.n; i++) {
    cpet_free(src.names[i]);
    cpet_free(src.vals[i]);
  }
  cpet_free(src.names);
  cpet_free(src.vals);
  cpet__h5_free_names(names, nnames);
  cpet_value_free(dt);
  cpet_free(dtname);
  if (st != CPET_OK) {
    cpet_value_free(tab);
    return st;
  }
  *out = tab;
  return CPET_OK;
}

cpet_status cpet__read_table_to_dict(cpet_value *tab, cpet_value **out) {
  *out = NULL;
  cpet_value *d = NULL;
  cpet_status st = cpet_value_new_dict(&d);
  size_t rows = cpet_value_ndim(tab) > 0 ? cpet_value_shape(tab)[0] : 0;
  for (size_t i = 0; st == CPET_OK && rows > 0 && i < cpet_value_nchildren(tab); i++) {
    cpet_value *cell = NULL;
    st = cpet__value_cell(cpet_value_child(tab, i), 0, &cell);
    /* Cells keep their stored type; pandas' to_dict boxing into Python ints/floats
     * (spec 6.6) is left to the viewer, so a re-store writes the same columns. */
    if (st == CPET_OK)
      st = cpet_value_set(d, cpet_value_key(tab, i), cell);
    else
      cpet_value_free(cell);
  }
  cpet_value_free(tab);
  if (st != CPET_OK) {
    cpet_value_free(d);
    return st;
  }
  *out = d;
  return CPET_OK;
}
