/* cpet_main.c - `cpet <command> ...`: dispatch, usage and exit codes (0 ok, 1 usage, 2 error). */
#include <stdio.h>
#include <string.h>

#include <cpet/cpet_error.h>

#include "tools/tools_int.h"

/* storage maintenance commands (cmd_merge.c, cmd_backup.c) */
int cpet_cmd_merge(int argc, char **argv);
int cpet_cmd_backup(int argc, char **argv);

static const struct {
  const char *name;
  int (*fn)(int, char **);
  const char *help;
} cmds[] = {
    {"info", cpet_cmd_info, "info FILE [--traj NAME]         what a sweep file holds, in a screenful"},
    {"ls", cpet_cmd_ls, "ls FILE                         trajectories and their trees"},
    {"dump", cpet_cmd_dump, "dump FILE [--traj NAME] --json  everything a reader finds, as JSON"},
    {"repack", cpet_cmd_repack, "repack SRC DST [--traj NAME] [--complib LIB] [--complevel L]  load and store anew"},
    {"recover", cpet_cmd_recover, "recover FILE_OR_JOURNAL [--out F]  rebuild a crashed sweep's file from its journal"},
    {"merge", cpet_cmd_merge, "merge OUT IN... [--traj NAME]     merge the trajectories of several files (shards of one sweep) into OUT"},
    {"backup", cpet_cmd_backup, "backup FILE [--traj NAME] [--to F]  copy a trajectory to backup_NAME.hdf5 (or F)"},
    {"show", cpet_cmd_show, "show FILE ITEM [--traj NAME]    one node (full name) in detail"},
};

static int usage(FILE *f) {
  fprintf(f, "usage: cpet <command> [args]\ncommands:\n");
  for (size_t i = 0; i < sizeof cmds / sizeof cmds[0]; i++)
    fprintf(f, "  %s\n", cmds[i].help);
  return f == stdout ? 0 : 1;
}

int cpet_tool_fail(int status) {
  fprintf(stderr, "cpet: %s: %s\n", cpet_errname(status), cpet_errmsg());
  return 2;
}

int main(int argc, char **argv) {
  if (argc < 2) return usage(stderr);
  if (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "help") == 0)
    return usage(stdout);
  for (size_t i = 0; i < sizeof cmds / sizeof cmds[0]; i++)
    if (strcmp(argv[1], cmds[i].name) == 0) return cmds[i].fn(argc - 1, argv + 1);
  fprintf(stderr, "cpet: unknown command '%s'\n", argv[1]);
  return usage(stderr);
}
