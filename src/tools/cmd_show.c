/* cmd_show.c - `cpet show FILE ITEM [--traj NAME]`: one node by full name, readable: class,
 * comment, annotations, and each value's repr plus its JSON encoding. */
#include <string.h>

#include "tree/tree_int.h"
#include "tools/tools_int.h"

static void show_value(const char *label, const cpet_value *v) {
  char buf[512];
  cpet_value_repr(v, buf, sizeof buf);
  printf("  %s = %s\n    ", label, buf);
  cpet_jw j;
  cpet_jw_init(&j, stdout);
  cpet_jw_value(&j, v);
  printf("\n");
}

int cpet_cmd_show(int argc, char **argv) {
  const char *file = NULL, *item = NULL, *traj = NULL;
  for (int i = 1; i < argc; i++) {
    if (strcmp(argv[i], "--traj") == 0 && i + 1 < argc)
      traj = argv[++i];
    else if (!file)
      file = argv[i];
    else if (!item)
      item = argv[i];
    else
      file = NULL, i = argc;
  }
  if (!file || !item) {
    fprintf(stderr, "usage: cpet show FILE ITEM [--traj NAME]\n");
    return 1;
  }
  cpet_store *s = NULL;
  cpet_status st = cpet_store_open(file, CPET_OPEN_READ, NULL, &s);
  if (st != CPET_OK) return cpet_tool_fail(st);
  cpet_load_opts o = CPET_LOAD_OPTS_DEFAULT;
  o.name = traj;
  o.force = 1;
  o.load_parameters = CPET_LOAD_SKELETON;
  cpet_traj *t = NULL;
  st = cpet_store_load_traj(s, &o, &t);
  cpet_node *n = NULL;
  if (st == CPET_OK) st = cpet_store_load_tree(s, t, item, 1, CPET_LOAD_DATA, -1);
  if (st == CPET_OK) {
    n = cpet__traj_find_exact(t, item);
    if (!n) st = cpet_traj_find(t, item, &n);
  }
  if (st == CPET_OK) {
    printf("%s.%s\n", cpet_traj_name(t), cpet_node_full_name(n));
    cpet_node_kind k = cpet_node_kind_of(n);
    printf("  kind: %s\n", k == CPET_NODE_LEAF ? "leaf" : k == CPET_NODE_GROUP ? "group" : "link");
    if (k == CPET_NODE_LEAF)
      printf("  class: %s\n", cpet_node_class_name(n));
    else if (k == CPET_NODE_GROUP)
      printf("  class: %s\n", cpet_node_group_class(n));
    printf("  comment: %s\n", cpet_node_comment(n) ? cpet_node_comment(n) : "");
    for (size_t i = 0; i < cpet_node_nannotations(n); i++) {
      const char *key;
      const cpet_value *v;
      if (cpet_node_annotation(n, i, &key, &v) == CPET_OK) {
        char lab[300];
        snprintf(lab, sizeof lab, "annotation %s", key);
        show_value(lab, v);
      }
    }
    if (k == CPET_NODE_LEAF && cpet_node_is_parameter(n)) {
      if (cpet_param_value(n)) show_value("value", cpet_param_value(n));
      for (size_t i = 0; i < cpet_param_range_len(n); i++) {
        char lab[64];
        snprintf(lab, sizeof lab, "range[%zu]", i);
        if (cpet_param_range(n, i)) show_value(lab, cpet_param_range(n, i));
      }
    } else if (k == CPET_NODE_LEAF) {
      for (size_t i = 0; i < cpet_leaf_nitems(n); i++) {
        const char *key;
        const cpet_value *v;
        cpet_flag f;
        if (cpet_leaf_item(n, i, &key, &v, &f) == CPET_OK) show_value(key, v);
      }
    } else if (k == CPET_NODE_GROUP) {
      for (size_t i = 0; i < cpet_node_nchildren(n); i++)
        printf("  child: %s\n", cpet_node_name(cpet_node_child(n, i)));
    } else {
      const char *tn = cpet__link_target_name(n);
      printf("  target: %s\n", tn ? tn : "(dangling)");
    }
  }
  cpet_traj_free(t);
  int rc = st == CPET_OK ? 0 : cpet_tool_fail(st);
  cpet_status cst = cpet_store_close(s);
  if (rc == 0 && cst != CPET_OK) rc = cpet_tool_fail(cst);
  return rc;
}
