/* cmd_repack.c - `cpet repack SRC DST [--traj NAME] [--complib LIB] [--complevel L]
 * [--shuffle 0|1] [--fletcher32 0|1]`: loads trajectories completely and stores them anew in
 * DST, what pypet users do with ptrepack after overwrites (space of deleted data is not
 * reclaimed in place) or to change compression. The trajectory's config.hdf5.* parameters are
 * updated to the new settings, since they, not the service options, decide how pypet and cpet
 * store it later. */
#include <stdlib.h>
#include <string.h>

#include <cpet/cpet_alloc.h>

#include "tools/tools_int.h"

static cpet_status set_param(cpet_traj *t, const char *name, cpet_value *take) {
  cpet_node *n = NULL;
  cpet_status st = CPET_OK;
  if (take && cpet_traj_find(t, name, &n) == CPET_OK) st = cpet_param_set(n, take);
  cpet_value_free(take);
  return st;
}

enum { SET_LIB = 1, SET_LEVEL = 2, SET_SHUFFLE = 4, SET_FLETCHER = 8 };

/* Writes the settings given on the command line into the trajectory's config.hdf5.* (when it
 * has them); the others keep the source's values. */
static cpet_status apply_filters(cpet_traj *t, const cpet_filter_opts *f, int which) {
  char lib[CPET_FILTER_NAME_MAX];
  cpet_value *v = NULL;
  cpet_status st = cpet_filter_complib_name(f, lib, sizeof lib);
  if (st == CPET_OK && (which & SET_LIB) && (st = cpet_value_new_str(lib, &v)) == CPET_OK)
    st = set_param(t, "config.hdf5.complib", v);
  if (st == CPET_OK && (which & SET_LEVEL) && (st = cpet_value_new_int(f->complevel, &v)) == CPET_OK)
    st = set_param(t, "config.hdf5.complevel", v);
  if (st == CPET_OK && (which & SET_SHUFFLE) &&
      (st = cpet_value_new_bool(f->shuffle, &v)) == CPET_OK)
    st = set_param(t, "config.hdf5.shuffle", v);
  if (st == CPET_OK && (which & SET_FLETCHER) &&
      (st = cpet_value_new_bool(f->fletcher32, &v)) == CPET_OK)
    st = set_param(t, "config.hdf5.fletcher32", v);
  return st;
}

static int usage(void) {
  fprintf(stderr, "usage: cpet repack SRC DST [--traj NAME] [--complib LIB] [--complevel L] "
                  "[--shuffle 0|1] [--fletcher32 0|1]\n");
  return 1;
}

int cpet_cmd_repack(int argc, char **argv) {
  const char *src = NULL, *dst = NULL, *only = NULL;
  cpet_store_opts o = CPET_STORE_OPTS_DEFAULT;
  int set_filters = 0;
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i];
    if (i + 1 < argc && !strcmp(a, "--traj")) {
      only = argv[++i];
    } else if (i + 1 < argc && !strcmp(a, "--complib")) {
      cpet_status pst = cpet_filter_parse_complib(argv[++i], &o.filters);
      if (pst != CPET_OK) return cpet_tool_fail(pst);
      set_filters |= SET_LIB;
    } else if (i + 1 < argc && !strcmp(a, "--complevel")) {
      o.filters.complevel = atoi(argv[++i]);
      set_filters |= SET_LEVEL;
    } else if (i + 1 < argc && !strcmp(a, "--shuffle")) {
      o.filters.shuffle = atoi(argv[++i]) != 0;
      set_filters |= SET_SHUFFLE;
    } else if (i + 1 < argc && !strcmp(a, "--fletcher32")) {
      o.filters.fletcher32 = atoi(argv[++i]) != 0;
      set_filters |= SET_FLETCHER;
    } else if (!src) {
      src = a;
    } else if (!dst) {
      dst = a;
    } else {
      return usage();
    }
  }
  if (!src || !dst) return usage();
  if (!strcmp(src, dst)) {
    fprintf(stderr, "cpet repack: SRC and DST must differ\n");
    return 1;
  }
  cpet_store *in = NULL, *out = NULL;
  char *names = NULL;
  size_t n = 0;
  cpet_status st = cpet_store_open(src, CPET_OPEN_READ, NULL, &in);
  if (st == CPET_OK) st = cpet_store_list_trajectories(in, &names, &n);
  if (st == CPET_OK) st = cpet_store_open(dst, CPET_OPEN_CREATE, &o, &out);
  const char *p = names;
  size_t done = 0;
  for (size_t i = 0; st == CPET_OK && i < n; i++, p += strlen(p) + 1) {
    if (only && strcmp(only, p)) continue;
    cpet_load_opts lo = CPET_LOAD_OPTS_ALL;
    lo.name = p;
    lo.force = 1;
    cpet_traj *t = NULL;
    st = cpet_store_load_traj(in, &lo, &t);
    if (st == CPET_OK && set_filters) st = apply_filters(t, &o.filters, set_filters);
    if (st == CPET_OK) st = cpet_store_traj(out, t, CPET_STORE_DATA, 0);
    if (st == CPET_OK) done++;
    cpet_traj_free(t);
  }
  cpet_free(names);
  cpet_store_close(in);
  cpet_status cst = cpet_store_close(out);
  if (st == CPET_OK) st = cst;
  if (st == CPET_OK && only && done == 0) {
    fprintf(stderr, "cpet repack: no trajectory '%s' in %s\n", only, src);
    remove(dst);
    return 2;
  }
  if (st != CPET_OK) {
    remove(dst);
    return cpet_tool_fail(st);
  }
  printf("cpet repack: %zu trajectories %s -> %s\n", done, src, dst);
  return 0;
}
