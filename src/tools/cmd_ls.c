/* cmd_ls.c - `cpet ls FILE`: the trajectories, then each tree with classes, item kinds and
 * shapes (a skeleton-plus-data load, read only). */
#include <string.h>

#include "tree/tree_int.h"
#include "tools/tools_int.h"

/* "ndarray <f8 (3, 4)", "int", "dict[3]" ... into buf. */
static void describe(const cpet_value *v, char *buf, size_t cap) {
  cpet_kind k = cpet_value_kind(v);
  char dt[32] = "";
  size_t o;
  if (k == CPET_KIND_SCALAR) {
    snprintf(buf, cap, "%s", cpet_type_name(cpet_value_type(v)));
    return;
  }
  if (k == CPET_KIND_NDARRAY || k == CPET_KIND_MATRIX ||
      ((k == CPET_KIND_LIST || k == CPET_KIND_TUPLE) && cpet_value_type(v) != CPET_T_NONE)) {
    cpet_tool_dtype(v, dt, sizeof dt);
    o = (size_t)snprintf(buf, cap, "%s %s (", cpet_kind_name(k), dt);
    for (int i = 0; i < cpet_value_ndim(v) && o < cap; i++)
      o += (size_t)snprintf(buf + o, cap - o, "%s%zu", i ? ", " : "", cpet_value_shape(v)[i]);
    if (o < cap) snprintf(buf + o, cap - o, cpet_value_ndim(v) == 1 ? ",)" : ")");
    return;
  }
  if (k == CPET_KIND_PICKLE) {
    snprintf(buf, cap, "pickle (protocol %d, %zu bytes)", cpet_value_pickle_protocol(v),
             cpet_value_itemsize(v));
    return;
  }
  if (k == CPET_KIND_SPARSE) {
    snprintf(buf, cap, "sparse (%zu, %zu)", cpet_value_shape(v)[0], cpet_value_shape(v)[1]);
    return;
  }
  size_t rows = cpet_value_ndim(v) ? cpet_value_shape(v)[0] : 0;
  if (k == CPET_KIND_TABLE || k == CPET_KIND_FRAME)
    snprintf(buf, cap, "%s %zu rows x %zu columns", cpet_kind_name(k), rows,
             cpet_value_nchildren(v));
  else
    snprintf(buf, cap, "%s[%zu]", cpet_kind_name(k), cpet_value_nchildren(v));
}

static int ls_cb(cpet_node *n, void *ud) {
  (void)ud;
  int depth = cpet__node_depth(n);
  char buf[256];
  printf("%*s%s", 2 * depth, "", cpet_node_name(n));
  switch (cpet_node_kind_of(n)) {
  case CPET_NODE_GROUP:
    printf("/  [%s]\n", cpet_node_group_class(n));
    break;
  case CPET_NODE_LINK: {
    const char *t = cpet__link_target_name(n);
    printf(" -> %s\n", t ? t : "(dangling)");
    break;
  }
  case CPET_NODE_LEAF:
    printf("  [%s]", cpet_node_class_name(n));
    if (cpet_node_is_parameter(n)) {
      const cpet_value *v = cpet_param_value(n);
      if (v) {
        describe(v, buf, sizeof buf);
        printf(" %s", buf);
      }
      if (cpet_param_is_explored(n)) printf(" explored(%zu)", cpet_param_range_len(n));
      printf("\n");
    } else {
      printf("\n");
      for (size_t i = 0; i < cpet_leaf_nitems(n); i++) {
        const char *key;
        const cpet_value *v;
        cpet_flag f;
        if (cpet_leaf_item(n, i, &key, &v, &f) != CPET_OK) continue;
        describe(v, buf, sizeof buf);
        printf("%*s.%s: %s [%s]\n", 2 * depth + 2, "", key, buf, cpet__flag_name(f));
      }
    }
    break;
  }
  return 0;
}

int cpet_cmd_ls(int argc, char **argv) {
  if (argc != 2) {
    fprintf(stderr, "usage: cpet ls FILE\n");
    return 1;
  }
  cpet_store *s = NULL;
  cpet_status st = cpet_store_open(argv[1], CPET_OPEN_READ, NULL, &s);
  if (st != CPET_OK) return cpet_tool_fail(st);
  char *names = NULL;
  size_t n = 0;
  st = cpet_store_list_trajectories(s, &names, &n);
  if (st == CPET_OK) {
    printf("%s: %zu trajectories\n", argv[1], n);
    const char *p = names;
    for (size_t i = 0; i < n; i++, p += strlen(p) + 1)
      printf("  %s\n", p);
  }
  const char *p = names;
  for (size_t i = 0; st == CPET_OK && i < n; i++, p += strlen(p) + 1) {
    cpet_load_opts o = CPET_LOAD_OPTS_ALL;
    o.name = p;
    o.force = 1;
    cpet_traj *t = NULL;
    st = cpet_store_load_traj(s, &o, &t);
    if (st != CPET_OK) break;
    printf("\n%s  (pypet %s, python %s, %zu runs, %s)\n", p, cpet_traj_version(t),
           cpet_traj_python(t), cpet_traj_length(t), cpet_traj_time(t));
    st = cpet__traj_walk(t, NULL, ls_cb, NULL);
    cpet_traj_free(t);
  }
  cpet_free(names);
  int rc = st == CPET_OK ? 0 : cpet_tool_fail(st);
  cpet_status cst = cpet_store_close(s);
  if (rc == 0 && cst != CPET_OK) rc = cpet_tool_fail(cst);
  return rc;
}
