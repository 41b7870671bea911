/* merge_int.h - the in-memory half of a merge (merge_tree.c: pypet's Trajectory.f_merge,
 * _merge_parameters, _merge_results, _merge_derived_parameters, _merge_links, _merge_config)
 * shared with the file half (merge.c: PREPARE_MERGE, MERGE, the final store). */
#ifndef CPET_MERGE_INT_H
#define CPET_MERGE_INT_H

#include "store/maint_int.h"

typedef struct cpet__strlist {
  char **v;
  size_t n, cap;
} cpet__strlist;

cpet_status cpet__strlist_add(cpet__strlist *l, const char *s);
void cpet__strlist_free(cpet__strlist *l);
int cpet__strlist_has(const cpet__strlist *l, const char *s);

typedef struct cpet__mplan {
  cpet_traj *me, *other; /* both loaded (parameters with data, the rest as skeleton) */
  size_t old_len, other_len;
  int64_t *used; /* other run index -> new index in `me`, -1 if dropped */
  size_t nused;
  cpet__strlist ignore;  /* full names left alone (options + changed parameters) */
  cpet__strlist changed; /* parameters whose ranges were extended (PREPARE_MERGE deletes) */
  cpet__strlist old_names, new_names;     /* nodes to copy: other's name -> new name in `me` */
  cpet__strlist link_names, link_targets; /* links to add to `me` */
} cpet__mplan;

void cpet__mplan_free(cpet__mplan *p);

/* pypet's _check_if_both_have_same_parameters: CPET_ERR_TYPE when the parameter sets differ
 * (beyond derived parameters of single runs) or a value's type differs. Changes nothing. */
cpet_status cpet__merge_check(cpet__mplan *p);

/* pypet's _merge_parameters + _merge_single_runs on `me` in memory: used runs, extended
 * ranges (changed), new runs with the other's run information and new summaries.
 * CPET_ERR_INVAL when remove_duplicates drops every run (nothing is changed then). */
cpet_status cpet__merge_params(cpet__mplan *p, int remove_duplicates);

/* pypet's _merge_derived_parameters + _merge_results: fills old_names/new_names. Nodes whose
 * new name exists in `me` are skipped (logged). */
cpet_status cpet__merge_renames(cpet__mplan *p);

/* pypet's _merge_links: adds the other's links (renamed) to `me`. */
cpet_status cpet__merge_links(cpet__mplan *p);

/* pypet's _merge_config: config.git / config.environment / config.merge leaves of the other
 * that `me` lacks are added as copies. */
cpet_status cpet__merge_config(cpet__mplan *p);

/* The name of the config.merge group of this merge, "merge_<hexsha7>_<time>", and the full
 * hexsha (pypet: sha1(name + str(timestamp) + other name + str(other timestamp) + VERSION)). */
cpet_status cpet__merge_id(const cpet__mplan *p, double timestamp, const char *version,
                           char name[64], char hexsha[41]);

/* Adds config.merge.<name>.* as pypet's f_merge with keep_info. */
cpet_status cpet__merge_record(cpet__mplan *p, const char *name, const char *hexsha,
                               double timestamp, int remove_duplicates, int keep_other,
                               const char *version);

#endif
