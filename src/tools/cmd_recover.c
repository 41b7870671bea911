/* cmd_recover.c - `cpet recover FILE_OR_JOURNAL [--out F]`: rebuilds a complete, published
 * sweep file from the skeleton and journal a crashed (or interrupted) sweep left behind
 * (cpet_recover, cpet_recover.h). Serial, no MPI. Journal and skeleton stay in place, so a
 * resumed sweep can follow. Exit codes as every sub-command: 0 ok, 1 usage, 2 error (the
 * message names the status, e.g. CPET_ERR_NOTFOUND when there is no journal). */
#include <stdio.h>
#include <string.h>

#include <cpet/cpet_recover.h>

#include "tools/tools_int.h"

static int usage(void) {
  fprintf(stderr, "usage: cpet recover FILE_OR_JOURNAL [--out FILE]\n"
                  "  FILE_OR_JOURNAL  the sweep's output file name or its <name>.journal\n"
                  "  --out FILE       where to write the recovered file (default: the sweep's "
                  "output name)\n");
  return 1;
}

int cpet_cmd_recover(int argc, char **argv) {
  const char *src = NULL, *out = NULL;
  for (int i = 1; i < argc; i++) {
    if (strcmp(argv[i], "--out") == 0 || strcmp(argv[i], "-o") == 0) {
      if (++i >= argc)
        return usage();
      out = argv[i];
    } else if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0) {
      usage();
      return 0;
    } else if (argv[i][0] == '-' && argv[i][1]) {
      fprintf(stderr, "cpet recover: unknown option '%s'\n", argv[i]);
      return usage();
    } else if (!src) {
      src = argv[i];
    } else {
      return usage();
    }
  }
  if (!src)
    return usage();
  cpet_status st = cpet_recover(src, out);
  if (st != CPET_OK)
    return cpet_tool_fail(st);
  return 0;
}
