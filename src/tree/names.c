/* names.c - pypet's naming rules: name checks, dotted paths, shortcuts and wildcards, run names,
 * flag and class names. Mirrors pypet/naturalnaming.py (_check_names, _translate_shortcut,
 * _replace_wildcards) and trajectory.py (make_run_name, make_set_name). */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tree/tree_int.h"

/* ---- single components ---- */

static int admissible_char(unsigned char ch) {
  return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
         ch == '_' || ch == '-';
}

/* Returns NULL if `c` is a valid component, else the rule that failed (static text). */
static const char *component_fault(const char *c) {
  size_t len = strlen(c);
  if (len == 0) return "contains no characters, please use at least 1";
  if (c[0] == '_') return "starts with a leading underscore";
  for (size_t i = 0; i < len; i++)
    if (!admissible_char((unsigned char)c[i]))
      return "contains non-admissible characters (use only [A-Za-z0-9_-])";
  if (len >= CPET__NAME_MAX) return "is too long (names must be shorter than 128 characters)";
  return NULL;
}

/* pypet only warns about these (SyntaxWarning): names of its own methods/attributes and Python
 * keywords stay usable, but not through natural-naming attribute access. */
static int pypet_warns(const char *c) {
  static const char *const kw[] = {
      "False", "None",     "True",  "and",    "as",   "assert", "async",  "await",    "break",
      "class", "continue", "def",   "del",    "elif", "else",   "except", "finally",  "for",
      "from",  "global",   "if",    "import", "in",   "is",     "lambda", "nonlocal", "not",
      "or",    "pass",     "raise", "return", "try",  "while",  "with",   "yield"};
  if (strncmp(c, "f_", 2) == 0 || strncmp(c, "v_", 2) == 0) return 1;
  for (size_t i = 0; i < sizeof kw / sizeof kw[0]; i++)
    if (strcmp(c, kw[i]) == 0) return 1;
  return 0;
}

cpet_status cpet_name_check(const char *component) {
  if (!component) return cpet__err(CPET_ERR_INVAL, "cpet_name_check: NULL name");
  const char *why = component_fault(component);
  if (why) return cpet__err(CPET_ERR_NAME, "name `%.200s` %s", component, why);
  if (pypet_warns(component))
    cpet__log(CPET_LOG_WARN, "tree",
              "`%s` is a pypet method/attribute or Python keyword; pypet can only reach it "
              "with [] notation",
              component);
  return CPET_OK;
}

/* ---- run names ---- */

cpet_status cpet_run_name(int64_t idx, char *buf, size_t cap) {
  if (!buf) return cpet__err(CPET_ERR_INVAL, "cpet_run_name: NULL buffer");
  if (idx < -1) return cpet__err(CPET_ERR_RANGE, "run index %" PRId64 " < -1", idx);
  int n = idx == -1 ? snprintf(buf, cap, "run_ALL") : snprintf(buf, cap, "run_%08" PRId64, idx);
  if (n < 0 || (size_t)n >= cap)
    return cpet__err(CPET_ERR_RANGE, "run name buffer of %zu bytes too small", cap);
  return CPET_OK;
}

cpet_status cpet_run_set_name(int64_t idx, char *buf, size_t cap) {
  if (!buf) return cpet__err(CPET_ERR_INVAL, "cpet_run_set_name: NULL buffer");
  if (idx < -1) return cpet__err(CPET_ERR_RANGE, "run index %" PRId64 " < -1", idx);
  int n = idx == -1 ? snprintf(buf, cap, "run_set_ALL")
                    : snprintf(buf, cap, "run_set_%05" PRId64, idx / 1000);
  if (n < 0 || (size_t)n >= cap)
    return cpet__err(CPET_ERR_RANGE, "run set name buffer of %zu bytes too small", cap);
  return CPET_OK;
}

int cpet__run_index_from_name(const char *name, int64_t *idx) {
  if (strcmp(name, "run_ALL") == 0) {
    if (idx) *idx = -1;
    return 1;
  }
  if (strncmp(name, "run_", 4) != 0) return 0;
  const char *d = name + 4;
  size_t nd = strlen(d);
  if (nd < 8 || nd > 18) return 0;
  for (size_t i = 0; i < nd; i++)
    if (d[i] < '0' || d[i] > '9') return 0;
  if (nd > 8 && d[0] == '0') return 0; /* not what run_%08d produces */
  int64_t v = 0;
  for (size_t i = 0; i < nd; i++)
    v = v * 10 + (d[i] - '0');
  if (idx) *idx = v;
  return 1;
}

int cpet__is_wildcard(const char *name) {
  return strcmp(name, "$") == 0 || strcmp(name, "crun") == 0 || strcmp(name, "$set") == 0 ||
         strcmp(name, "crunset") == 0;
}

cpet_branch cpet__branch_of(const char *first) {
  if (strcmp(first, "config") == 0) return CPET_BRANCH_CONFIG;
  if (strcmp(first, "parameters") == 0) return CPET_BRANCH_PARAMETERS;
  if (strcmp(first, "derived_parameters") == 0) return CPET_BRANCH_DERIVED;
  if (strcmp(first, "results") == 0) return CPET_BRANCH_RESULTS;
  return CPET_BRANCH_OTHER;
}

/* ---- dotted paths ---- */

void cpet__path_free(cpet__path *p) {
  if (!p) return;
  for (size_t i = 0; i < p->n; i++)
    cpet_free(p->c[i]);
  cpet_free(p->c);
  p->c = NULL;
  p->n = 0;
}

cpet_status cpet__path_split(const char *name, cpet__path *out) {
  out->c = NULL;
  out->n = 0;
  if (!name) return cpet__err(CPET_ERR_INVAL, "NULL name");
  size_t n = 1;
  for (const char *s = name; *s; s++)
    if (*s == '.') n++;
  out->c = cpet__calloc(n, sizeof *out->c);
  if (!out->c) return cpet__err(CPET_ERR_NOMEM, "splitting `%.200s`", name);
  const char *start = name;
  for (size_t i = 0; i < n; i++) {
    const char *dot = strchr(start, '.');
    size_t len = dot ? (size_t)(dot - start) : strlen(start);
    out->c[i] = cpet__strndup(start, len);
    if (!out->c[i]) {
      out->n = i;
      cpet__path_free(out);
      return cpet__err(CPET_ERR_NOMEM, "splitting `%.200s`", name);
    }
    out->n = i + 1;
    start = dot ? dot + 1 : start + len;
  }
  return CPET_OK;
}

/* "<digits>" or "A" after a prefix, as pypet's `index.isdigit()` / `index == "A"`. Returns 1
 * with *idx (-1 for A) or 0. Indices beyond int64 are left untranslated. */
static int shortcut_index(const char *s, int64_t *idx) {
  if (strcmp(s, "A") == 0) {
    *idx = -1;
    return 1;
  }
  if (!*s) return 0;
  for (const char *p = s; *p; p++)
    if (*p < '0' || *p > '9') return 0;
  errno = 0;
  long long v = strtoll(s, NULL, 10);
  if (errno == ERANGE) return 0;
  *idx = v;
  return 1;
}

/* Shortcut translation of one component into buf; returns 1 if translated. */
static int translate_shortcut(const char *c, char *buf, size_t cap) {
  int64_t idx;
  const char *us = strchr(c, '_');
  if (us && strchr(us + 1, '_') == NULL) { /* exactly two parts */
    size_t plen = (size_t)(us - c);
    int is_run = (plen == 3 && strncmp(c, "run", 3) == 0) || (plen == 1 && c[0] == 'r');
    int is_set =
        (plen == 8 && strncmp(c, "runtoset", 8) == 0) || (plen == 3 && strncmp(c, "rts", 3) == 0);
    if ((is_run || is_set) && shortcut_index(us + 1, &idx)) {
      if (is_run) return cpet_run_name(idx, buf, cap) == CPET_OK;
      return cpet_run_set_name(idx, buf, cap) == CPET_OK;
    }
  }
  static const char *const sc[][2] = {{"par", "parameters"},
                                      {"dpar", "derived_parameters"},
                                      {"res", "results"},
                                      {"conf", "config"}};
  for (size_t i = 0; i < 4; i++)
    if (strcmp(c, sc[i][0]) == 0) {
      snprintf(buf, cap, "%s", sc[i][1]);
      return 1;
    }
  return 0;
}

cpet_status cpet__path_translate(cpet__path *p, int64_t run_idx, size_t *nwild) {
  char buf[64];
  size_t w = 0;
  for (size_t i = 0; i < p->n; i++) {
    const char *c = p->c[i];
    int done = 0;
    if (translate_shortcut(c, buf, sizeof buf)) {
      done = 1;
    } else if (strcmp(c, "$") == 0 || strcmp(c, "crun") == 0) {
      CPET__CHECK(cpet_run_name(run_idx, buf, sizeof buf));
      done = 1;
      w++;
    } else if (strcmp(c, "$set") == 0 || strcmp(c, "crunset") == 0) {
      CPET__CHECK(cpet_run_set_name(run_idx, buf, sizeof buf));
      done = 1;
      w++;
    }
    if (done) {
      char *t = cpet__strdup(buf);
      if (!t) return cpet__err(CPET_ERR_NOMEM, "translating `%s`", c);
      cpet_free(p->c[i]);
      p->c[i] = t;
    }
  }
  if (nwild) *nwild = w;
  return CPET_OK;
}

char *cpet__path_join(const cpet__path *p, size_t from, size_t to) {
  size_t len = 1;
  for (size_t i = from; i < to; i++)
    len += strlen(p->c[i]) + 1;
  char *s = cpet__malloc(len);
  if (!s) return NULL;
  char *w = s;
  for (size_t i = from; i < to; i++) {
    size_t l = strlen(p->c[i]);
    if (i > from) *w++ = '.';
    memcpy(w, p->c[i], l);
    w += l;
  }
  *w = '\0';
  return s;
}

cpet_status cpet__path_insert(cpet__path *p, size_t pos, const char *comp) {
  char **c = cpet__realloc(p->c, (p->n + 1) * sizeof *c);
  if (!c) return cpet__err(CPET_ERR_NOMEM, "extending a name");
  p->c = c;
  char *dup = cpet__strdup(comp);
  if (!dup) return cpet__err(CPET_ERR_NOMEM, "extending a name");
  memmove(c + pos + 1, c + pos, (p->n - pos) * sizeof *c);
  c[pos] = dup;
  p->n++;
  return CPET_OK;
}

cpet_status cpet__path_check(const cpet__path *p, int at_root, const char *what) {
  if (p->n == 0) return cpet__err(CPET_ERR_NAME, "empty name");
  if (at_root && strcmp(p->c[0], "overview") == 0)
    return cpet__err(CPET_ERR_NAME,
                     "`%.200s`: `overview` cannot be added directly under the root node, this is "
                     "a reserved keyword",
                     what);
  for (size_t i = 0; i < p->n; i++) {
    const char *why = component_fault(p->c[i]);
    if (why)
      return cpet__err(CPET_ERR_NAME, "`%.200s`: component %zu `%.200s` %s", what, i + 1, p->c[i],
                       why);
  }
  for (size_t i = 0; i < p->n; i++)
    if (pypet_warns(p->c[i]))
      cpet__log(CPET_LOG_WARN, "tree",
                "`%s` in `%s` is a pypet method/attribute or Python keyword; pypet can only "
                "reach it with [] notation",
                p->c[i], what);
  return CPET_OK;
}

/* ---- storage flags and leaf classes ---- */

static const char *const flag_names[] = {"AUTO",  "ARRAY", "CARRAY", "EARRAY", "VLARRAY",
                                         "TABLE", "DICT",  "FRAME",  "SERIES", "SHARED_DATA_"};

const char *cpet__flag_name(cpet_flag f) {
  if ((int)f < 0 || (size_t)f >= sizeof flag_names / sizeof flag_names[0]) return NULL;
  return flag_names[f];
}

cpet_status cpet__flag_from_name(const char *name, cpet_flag *out) {
  if (!name || !out) return cpet__err(CPET_ERR_INVAL, "cpet__flag_from_name: NULL argument");
  for (size_t i = 1; i < sizeof flag_names / sizeof flag_names[0]; i++)
    if (strcmp(name, flag_names[i]) == 0) {
      *out = (cpet_flag)i;
      return CPET_OK;
    }
  if (strncmp(name, "SHARED_DATA_", 12) == 0) {
    *out = CPET_FLAG_SHARED_DATA;
    return CPET_OK;
  }
  return cpet__err(CPET_ERR_FLAG, "unknown storage flag `%.100s`", name);
}

static const char *const class_names[] = {"Parameter",       "ArrayParameter", "SparseParameter",
                                          "PickleParameter", "Result",         "SparseResult",
                                          "PickleResult",    "SharedResult"};

const char *cpet__class_name(cpet_leaf_class c) {
  if ((int)c < 0 || (size_t)c >= sizeof class_names / sizeof class_names[0]) return NULL;
  return class_names[c];
}

cpet_status cpet__class_from_name(const char *name, cpet_leaf_class *out) {
  if (!name || !out) return cpet__err(CPET_ERR_INVAL, "cpet__class_from_name: NULL argument");
  for (size_t i = 0; i < sizeof class_names / sizeof class_names[0]; i++)
    if (strcmp(name, class_names[i]) == 0) {
      *out = (cpet_leaf_class)i;
      return CPET_OK;
    }
  return cpet__err(CPET_ERR_NOTFOUND, "unknown leaf class `%.100s`", name);
}

int cpet__class_is_parameter(cpet_leaf_class c) {
  return c == CPET_CLASS_PARAMETER || c == CPET_CLASS_ARRAY_PARAMETER ||
         c == CPET_CLASS_SPARSE_PARAMETER || c == CPET_CLASS_PICKLE_PARAMETER;
}

cpet_flag cpet__flag_default(const cpet_value *v) {
  if (!v) return CPET_FLAG_ARRAY;
  switch (cpet_value_kind(v)) {
  case CPET_KIND_TABLE:
    return CPET_FLAG_TABLE;
  case CPET_KIND_DICT:
    return cpet_value_nchildren(v) ? CPET_FLAG_DICT : CPET_FLAG_ARRAY;
  case CPET_KIND_NDARRAY:
  case CPET_KIND_MATRIX:
    /* pypet: len(array) == 0 -> ARRAY; a chunked dataset cannot be empty or 0-d either */
    return cpet_value_ndim(v) > 0 && cpet_value_nelem(v) > 0 ? CPET_FLAG_CARRAY : CPET_FLAG_ARRAY;
  case CPET_KIND_FRAME:
    return CPET_FLAG_FRAME;
  case CPET_KIND_SERIES:
    return CPET_FLAG_SERIES;
  default:
    return CPET_FLAG_ARRAY;
  }
}

cpet_status cpet__flag_check(cpet_flag f, const cpet_value *v) {
  if (!v) return cpet__err(CPET_ERR_INVAL, "cpet__flag_check: NULL value");
  cpet_kind k = cpet_value_kind(v);
  const char *fname = cpet__flag_name(f);
  if (!fname) return cpet__err(CPET_ERR_INVAL, "invalid storage flag %d", (int)f);
  int ok = 0;
  int arr = k == CPET_KIND_NDARRAY || k == CPET_KIND_MATRIX;
  int seq = k == CPET_KIND_LIST || k == CPET_KIND_TUPLE;
  switch (f) {
  case CPET_FLAG_AUTO:
    ok = 1;
    break;
  case CPET_FLAG_ARRAY:
    ok = k == CPET_KIND_SCALAR || arr || seq || k == CPET_KIND_SPARSE || k == CPET_KIND_PICKLE ||
         (k == CPET_KIND_DICT && cpet_value_nchildren(v) == 0);
    break;
  case CPET_FLAG_CARRAY: /* chunked: needs rank >= 1 and data */
    ok = (arr || seq) && cpet_value_ndim(v) >= 1 && cpet_value_nelem(v) > 0;
    break;
  case CPET_FLAG_EARRAY:
    ok = (arr || seq) && cpet_value_ndim(v) >= 1;
    break;
  case CPET_FLAG_VLARRAY:
    ok = (arr || seq) && cpet_value_ndim(v) >= 1;
    break;
  case CPET_FLAG_TABLE:
    ok = k == CPET_KIND_TABLE;
    break;
  case CPET_FLAG_DICT:
    ok = k == CPET_KIND_DICT && cpet_value_nchildren(v) > 0;
    break;
  case CPET_FLAG_FRAME:
    ok = k == CPET_KIND_FRAME;
    break;
  case CPET_FLAG_SERIES:
    ok = k == CPET_KIND_SERIES;
    break;
  case CPET_FLAG_SHARED_DATA:
    ok = arr || seq || k == CPET_KIND_TABLE || k == CPET_KIND_FRAME;
    break;
  }
  if (!ok)
    return cpet__err(CPET_ERR_FLAG, "storage flag %s cannot hold a %s%s", fname,
                     (cpet_value_nelem(v) == 0 && (arr || seq)) ||
                             (k == CPET_KIND_DICT && cpet_value_nchildren(v) == 0)
                         ? "empty "
                         : "",
                     cpet_kind_name(k));
  return CPET_OK;
}
