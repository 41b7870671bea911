/* cmd_merge.c - `cpet merge OUT IN... [--traj NAME] [--remove-duplicates] [--backup]`: merges
 * the trajectories of several files (say one per SLURM array task, each holding a shard of one
 * sweep) into one trajectory in OUT, as pypet's f_merge_many. If OUT does not exist, the first
 * input's trajectory is copied into it and the others are merged into that copy; if OUT exists,
 * every input is merged into its trajectory (--traj NAME, or its last one). Inputs are only
 * read. Each input contributes the trajectory named NAME, or its last one. */
#include <string.h>
#include <sys/stat.h>

#include <cpet/cpet_alloc.h>

#include "tools/tools_int.h"

int cpet_cmd_merge(int argc, char **argv); /* registered in cpet_main.c */

static int usage(void) {
  fprintf(stderr, "usage: cpet merge OUT IN [IN...] [--traj NAME] [--remove-duplicates] "
                  "[--backup]\n");
  return 1;
}

/* The trajectory to take from `s`: `want` if given, else the last in name order (caller
 * frees *buf). */
static cpet_status pick(cpet_store *s, const char *want, char **buf, const char **name) {
  size_t n = 0;
  *name = NULL;
  cpet_status st = cpet_store_list_trajectories(s, buf, &n);
  for (const char *p = *buf; st == CPET_OK && n--; p += strlen(p) + 1)
    if (!want || !strcmp(want, p)) *name = p;
  if (st == CPET_OK && !*name) {
    fprintf(stderr, "cpet merge: no trajectory%s%s in %s\n", want ? " " : "", want ? want : "",
            cpet_store_filename(s));
    return CPET_ERR_NOTFOUND;
  }
  return st;
}

int cpet_cmd_merge(int argc, char **argv) {
  const char *out = NULL, *want = NULL;
  const char *ins[4096];
  int nin = 0;
  cpet_merge_opts mo = CPET_MERGE_OPTS_DEFAULT;
  mo.backup = 0;
  for (int i = 1; i < argc; i++) {
    if (i + 1 < argc && !strcmp(argv[i], "--traj"))
      want = argv[++i];
    else if (!strcmp(argv[i], "--remove-duplicates"))
      mo.remove_duplicates = 1;
    else if (!strcmp(argv[i], "--backup"))
      mo.backup = 1;
    else if (argv[i][0] == '-')
      return usage();
    else if (!out)
      out = argv[i];
    else if (nin < (int)(sizeof ins / sizeof ins[0]))
      ins[nin++] = argv[i];
    else
      return usage();
  }
  if (!out || nin < 1) return usage();
  struct stat sb;
  int fresh = stat(out, &sb) != 0;
  cpet_store *dst = NULL, *src = NULL;
  char *dbuf = NULL, *sbuf = NULL;
  const char *target = NULL, *oname = NULL;
  cpet_status st = CPET_OK;
  int first = 0, merged = 0;
  if (fresh) {
    /* The first input becomes the target: copied as a whole, as a backup would. */
    st = cpet_store_open(ins[0], CPET_OPEN_READ, NULL, &src);
    if (st == CPET_OK) st = pick(src, want, &sbuf, &oname);
    if (st == CPET_OK) st = cpet_store_backup(src, oname, out);
    cpet_store_close(src);
    src = NULL;
    cpet_free(sbuf);
    sbuf = NULL;
    first = 1;
  }
  if (st == CPET_OK) st = cpet_store_open(out, CPET_OPEN_APPEND, NULL, &dst);
  if (st == CPET_OK) st = pick(dst, fresh ? NULL : want, &dbuf, &target);
  for (int i = first; st == CPET_OK && i < nin; i++) {
    st = cpet_store_open(ins[i], CPET_OPEN_READ, NULL, &src);
    if (st == CPET_OK) st = pick(src, want, &sbuf, &oname);
    if (st == CPET_OK) st = cpet_store_merge(dst, target, src, oname, &mo);
    if (st == CPET_OK) merged++;
    if (st != CPET_OK) fprintf(stderr, "cpet merge: merging %s failed\n", ins[i]);
    cpet_store_close(src);
    src = NULL;
    cpet_free(sbuf);
    sbuf = NULL;
  }
  size_t runs = 0;
  if (st == CPET_OK) {
    cpet_load_opts lo = CPET_LOAD_OPTS_DEFAULT;
    lo.name = target;
    lo.force = 1;
    lo.load_parameters = CPET_LOAD_SKELETON;
    cpet_traj *t = NULL;
    if (cpet_store_load_traj(dst, &lo, &t) == CPET_OK) runs = cpet_traj_length(t);
    cpet_traj_free(t);
  }
  if (st == CPET_OK)
    printf("cpet merge: %d file(s) merged into '%s' in %s (%zu runs)\n", merged + first, target,
           out, runs);
  cpet_status cst = cpet_store_close(dst);
  if (st == CPET_OK) st = cst;
  cpet_free(dbuf);
  if (st != CPET_OK && fresh) remove(out); /* no half-merged file of our own making */
  return st == CPET_OK ? 0 : cpet_tool_fail(st);
}
