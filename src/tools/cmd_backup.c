/* cmd_backup.c - `cpet backup FILE [--traj NAME] [--to F]`: pypet's f_backup, a copy of one
 * trajectory into backup_<NAME>.hdf5 beside FILE (or into F). The source is opened read-only. */
#include <string.h>

#include <cpet/cpet_alloc.h>

#include "tools/tools_int.h"

int cpet_cmd_backup(int argc, char **argv); /* registered in cpet_main.c */

static int usage(void) {
  fprintf(stderr, "usage: cpet backup FILE [--traj NAME] [--to BACKUP_FILE]\n");
  return 1;
}

int cpet_cmd_backup(int argc, char **argv) {
  const char *file = NULL, *traj = NULL, *to = NULL;
  for (int i = 1; i < argc; i++) {
    if (i + 1 < argc && !strcmp(argv[i], "--traj"))
      traj = argv[++i];
    else if (i + 1 < argc && !strcmp(argv[i], "--to"))
      to = argv[++i];
    else if (!file && argv[i][0] != '-')
      file = argv[i];
    else
      return usage();
  }
  if (!file) return usage();
  cpet_store *s = NULL;
  char *names = NULL;
  size_t n = 0;
  cpet_status st = cpet_store_open(file, CPET_OPEN_READ, NULL, &s);
  if (st == CPET_OK && !traj) {
    /* pypet's default trajectory: the last one in name order */
    st = cpet_store_list_trajectories(s, &names, &n);
    if (st == CPET_OK && n == 0) {
      fprintf(stderr, "cpet backup: no trajectory in %s\n", file);
      cpet_store_close(s);
      return 2;
    }
    for (const char *p = names; st == CPET_OK && n--; p += strlen(p) + 1)
      traj = p;
  }
  if (st == CPET_OK) st = cpet_store_backup(s, traj, to);
  cpet_status cst = cpet_store_close(s);
  if (st == CPET_OK) st = cst;
  if (st != CPET_OK) {
    cpet_free(names);
    return cpet_tool_fail(st);
  }
  if (to)
    printf("cpet backup: %s -> %s\n", traj, to);
  else
    printf("cpet backup: %s -> backup_%s.hdf5 beside %s\n", traj, traj, file);
  cpet_free(names);
  return 0;
}
