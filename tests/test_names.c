/* test_names.c - pypet's naming rules: accepted and rejected names, shortcuts, wildcards and
 * run names. Every rejected name returns CPET_ERR_NAME and adds nothing. */
#include <cpet/cpet_traj.h>
#include <cpet/cpet_value.h>

#include "cpet_test.h"

static cpet_traj *traj;

/* A rejected group name: CPET_ERR_NAME, a message, and no node added. */
static void reject_group(const char *name) {
  size_t before = cpet_traj_count(traj);
  cpet_node *n = NULL;
  int st = cpet_traj_add_group(traj, name, NULL, &n);
  CPET_CHECK_(st == CPET_ERR_NAME, "add_group(\"%s\") -> %s, wanted CPET_ERR_NAME", name,
              cpet_errname(st));
  CPET_CHECK_(strlen(cpet_errmsg()) > 0, "no message for \"%s\"", name);
  CPET_CHECK_(cpet_traj_count(traj) == before, "\"%s\" added nodes", name);
}

static void accept_group(const char *name, const char *want_full) {
  cpet_node *n = NULL;
  int st = cpet_traj_add_group(traj, name, NULL, &n);
  CPET_CHECK_(st == CPET_OK, "add_group(\"%s\") -> %s: %s", name, cpet_errname(st), cpet_errmsg());
  if (st == CPET_OK) CHECK_STR(cpet_node_full_name(n), want_full);
}

static cpet_value *ival(int64_t i) {
  cpet_value *v = NULL;
  cpet_value_new_int(i, &v);
  return v;
}

static void test_components(void) {
  char n127[128], n128[129];
  memset(n127, 'a', 127);
  n127[127] = '\0';
  memset(n128, 'b', 128);
  n128[128] = '\0';
  CHECK_OK(cpet_name_check("a"));
  CHECK_OK(cpet_name_check("Az09_-x"));
  CHECK_OK(cpet_name_check("-lead-dash"));
  CHECK_OK(cpet_name_check("9starts_with_digit"));
  CHECK_OK(cpet_name_check(n127));
  CHECK_ERR(cpet_name_check(n128), CPET_ERR_NAME);
  CHECK(strstr(cpet_errmsg(), "128") != NULL);
  CHECK_ERR(cpet_name_check(""), CPET_ERR_NAME);
  CHECK(strstr(cpet_errmsg(), "no characters") != NULL);
  CHECK_ERR(cpet_name_check("_x"), CPET_ERR_NAME);
  CHECK(strstr(cpet_errmsg(), "underscore") != NULL);
  CHECK_ERR(cpet_name_check("a b"), CPET_ERR_NAME);
  CHECK(strstr(cpet_errmsg(), "non-admissible") != NULL);
  CHECK_ERR(cpet_name_check("caf\xc3\xa9"), CPET_ERR_NAME);
  CHECK_ERR(cpet_name_check("a.b"), CPET_ERR_NAME);
  CHECK_ERR(cpet_name_check("a$b"), CPET_ERR_NAME);
  CHECK_ERR(cpet_name_check("$"), CPET_ERR_NAME); /* wildcards only inside full names */
  CHECK_ERR(cpet_name_check("a/b"), CPET_ERR_NAME);
  /* pypet only warns about its own method names and Python keywords */
  CHECK_OK(cpet_name_check("f_get"));
  CHECK_OK(cpet_name_check("v_name"));
  CHECK_OK(cpet_name_check("class"));
  CHECK_OK(cpet_name_check("overview"));
  CHECK_ERR(cpet_name_check(NULL), CPET_ERR_INVAL);
}

static void test_full_names(void) {
  char n127[128], n128[129], buf[400];
  memset(n127, 'a', 127);
  n127[127] = '\0';
  memset(n128, 'b', 128);
  n128[128] = '\0';
  reject_group("");
  reject_group("a.b..c");
  reject_group(".a");
  reject_group("a.");
  reject_group("_x");
  reject_group("a._hidden");
  reject_group("a.b c");
  reject_group("gr\xc3\xbc\xc3\x9f");
  reject_group("tab\tname");
  reject_group("overview");
  reject_group("overview.x");
  reject_group("a.$x");
  reject_group(n128);
  snprintf(buf, sizeof buf, "results.%s.x", n128); /* cpet checks every component */
  reject_group(buf);
  CHECK_UINT(cpet_traj_count(traj), 0);

  accept_group(n127, n127);
  snprintf(buf, sizeof buf, "results.%s", n127);
  accept_group(buf, buf);
  accept_group("results.overview", "results.overview"); /* only reserved under the root */
  accept_group("other.f_get.class", "other.f_get.class");
  accept_group("x-y.9", "x-y.9");

  /* parameters and results check the given name before the branch is prepended */
  size_t before = cpet_traj_count(traj);
  cpet_value *v = ival(1);
  CHECK_ERR(cpet_traj_add_param(traj, "overview", CPET_CLASS_PARAMETER, v, NULL, NULL),
            CPET_ERR_NAME);
  CHECK_ERR(cpet_traj_add_result(traj, "overview", CPET_CLASS_RESULT, v, NULL, NULL),
            CPET_ERR_NAME);
  CHECK_ERR(cpet_traj_add_param(traj, "a..b", CPET_CLASS_PARAMETER, v, NULL, NULL), CPET_ERR_NAME);
  CHECK_ERR(cpet_traj_add_result(traj, "r._z", CPET_CLASS_RESULT, v, NULL, NULL), CPET_ERR_NAME);
  CHECK_UINT(cpet_traj_count(traj), before);
  cpet_node *p = NULL;
  CHECK_OK(cpet_traj_add_param(traj, "parameters.overview", CPET_CLASS_PARAMETER, v, NULL, &p));
  CHECK_STR(cpet_node_full_name(p), "parameters.overview");

  /* links: no branch name directly under the root */
  before = cpet_traj_count(traj);
  CHECK_ERR(cpet_traj_add_link(traj, "results", p, NULL), CPET_ERR_NAME);
  CHECK_ERR(cpet_traj_add_link(traj, "parameters", p, NULL), CPET_ERR_NAME);
  CHECK_ERR(cpet_traj_add_link(traj, "config", p, NULL), CPET_ERR_NAME);
  CHECK_ERR(cpet_traj_add_link(traj, "derived_parameters", p, NULL), CPET_ERR_NAME);
  CHECK_ERR(cpet_traj_add_link(traj, "overview", p, NULL), CPET_ERR_NAME);
  CHECK_ERR(cpet_traj_add_link(traj, "l._x", p, NULL), CPET_ERR_NAME);
  CHECK_UINT(cpet_traj_count(traj), before);
  cpet_node *l = NULL;
  CHECK_OK(cpet_traj_add_link(traj, "toplink", p, &l));
  CHECK_OK(cpet_traj_add_link(traj, "other.results", p, &l)); /* not under the root: fine */
  cpet_value_free(v);
}

static void test_traj_names(void) {
  cpet_traj *t = NULL;
  char n128[129];
  memset(n128, 't', 128);
  n128[128] = '\0';
  CHECK_ERR(cpet_traj_create("my.traj", &t), CPET_ERR_NAME);
  CHECK(t == NULL);
  CHECK_ERR(cpet_traj_create("_t", &t), CPET_ERR_NAME);
  CHECK_ERR(cpet_traj_create("", &t), CPET_ERR_NAME);
  CHECK_ERR(cpet_traj_create("a b", &t), CPET_ERR_NAME);
  CHECK_ERR(cpet_traj_create(n128, &t), CPET_ERR_NAME);
  n128[127] = '\0';
  CHECK_OK(cpet_traj_create(n128, &t));
  cpet_traj_free(t);
  t = NULL;
  CHECK_OK(cpet_traj_create("overview", &t)); /* pypet does not reserve trajectory names */
  CHECK_STR(cpet_traj_name(t), "overview");
  cpet_traj_free(t);
}

static void test_run_names(void) {
  char b[32];
  CHECK_OK(cpet_run_name(0, b, sizeof b));
  CHECK_STR(b, "run_00000000");
  CHECK_OK(cpet_run_name(999, b, sizeof b));
  CHECK_STR(b, "run_00000999");
  CHECK_OK(cpet_run_name(1000, b, sizeof b));
  CHECK_STR(b, "run_00001000");
  CHECK_OK(cpet_run_name(-1, b, sizeof b));
  CHECK_STR(b, "run_ALL");
  CHECK_OK(cpet_run_name(123456789, b, sizeof b));
  CHECK_STR(b, "run_123456789");
  CHECK_OK(cpet_run_set_name(0, b, sizeof b));
  CHECK_STR(b, "run_set_00000");
  CHECK_OK(cpet_run_set_name(999, b, sizeof b));
  CHECK_STR(b, "run_set_00000");
  CHECK_OK(cpet_run_set_name(1000, b, sizeof b));
  CHECK_STR(b, "run_set_00001");
  CHECK_OK(cpet_run_set_name(-1, b, sizeof b));
  CHECK_STR(b, "run_set_ALL");
  CHECK_ERR(cpet_run_name(-2, b, sizeof b), CPET_ERR_RANGE);
  CHECK_ERR(cpet_run_set_name(-5, b, sizeof b), CPET_ERR_RANGE);
  CHECK_ERR(cpet_run_name(0, b, 8), CPET_ERR_RANGE);
  CHECK_ERR(cpet_run_name(0, NULL, 8), CPET_ERR_INVAL);
}

static const char *add_res(const char *name) {
  cpet_node *n = NULL;
  cpet_value *v = ival(7);
  int st = cpet_traj_add_result(traj, name, CPET_CLASS_RESULT, v, NULL, &n);
  cpet_value_free(v);
  CPET_CHECK_(st == CPET_OK, "add_result(\"%s\") -> %s: %s", name, cpet_errname(st), cpet_errmsg());
  return st == CPET_OK ? cpet_node_full_name(n) : "";
}

static void test_wildcards(void) {
  cpet_traj *t0 = traj;
  CHECK_OK(cpet_traj_create("wild", &traj));
  /* no current run: $ -> run_ALL, $set -> run_set_ALL, no runs insertion */
  CHECK_STR(add_res("runs.$.z"), "results.runs.run_ALL.z");
  CHECK_STR(add_res("$set.$.w"), "results.run_set_ALL.run_ALL.w");
  CHECK_STR(add_res("crunset.crun.w2"), "results.run_set_ALL.run_ALL.w2");
  CHECK_STR(add_res("plain"), "results.plain");
  CHECK_STR(add_res("results.explicit"), "results.explicit");
  /* pypet's shortcuts */
  CHECK_STR(add_res("res.r_5.y"), "results.run_00000005.y");
  CHECK_STR(add_res("run_7.y"), "results.run_00000007.y");
  CHECK_STR(add_res("r_A.y"), "results.run_ALL.y");
  CHECK_STR(add_res("rts_1500.y"), "results.run_set_00001.y");
  CHECK_STR(add_res("runtoset_A.y"), "results.run_set_ALL.y");
  cpet_node *p = NULL;
  cpet_value *v = ival(1);
  CHECK_OK(cpet_traj_add_param(traj, "par.x", CPET_CLASS_PARAMETER, v, NULL, &p));
  CHECK_STR(cpet_node_full_name(p), "parameters.x");
  CHECK_OK(cpet_traj_add_param(traj, "conf.c", CPET_CLASS_PARAMETER, v, NULL, &p));
  CHECK_STR(cpet_node_full_name(p), "config.c");
  CHECK_OK(cpet_traj_add_param(traj, "dpar.d", CPET_CLASS_PARAMETER, v, NULL, &p));
  CHECK_STR(cpet_node_full_name(p), "derived_parameters.d");
  CHECK_INT(cpet_node_run_index(p), -1);

  /* with a current run */
  CHECK_OK(cpet_traj_set_length(traj, 2000));
  CHECK_ERR(cpet_traj_set_crun(traj, 2000), CPET_ERR_RANGE);
  CHECK_ERR(cpet_traj_set_crun(traj, -2), CPET_ERR_RANGE);
  CHECK_OK(cpet_traj_set_crun(traj, 3));
  CHECK_STR(add_res("$set.$.w"), "results.run_set_00000.run_00000003.w");
  CHECK_STR(add_res("crun.q"), "results.run_00000003.q"); /* a run name: no runs. */
  CHECK_STR(add_res("z"), "results.runs.run_00000003.z");
  CHECK_STR(add_res("g.z"), "results.runs.run_00000003.g.z");
  CHECK_STR(add_res("runs.$.z2"), "results.runs.run_00000003.z2");
  CHECK_STR(add_res("runs.r_A.z3"), "results.runs.run_ALL.z3"); /* run_ALL: no insertion */
  CHECK_STR(add_res("results.runs.z4"), "results.runs.run_00000003.z4");
  CHECK_STR(add_res("results.z5"), "results.runs.run_00000003.z5");
  CHECK_STR(add_res("run_00000004.other"), "results.run_00000004.other");
  /* run_99999999 is no run of this trajectory: pypet inserts runs.<crun> */
  CHECK_STR(add_res("run_99999999.zz"), "results.runs.run_00000003.run_99999999.zz");
  cpet_node *n = NULL;
  CHECK_OK(cpet_traj_find(traj, "results.runs.$.z", &n));
  CHECK_STR(cpet_node_full_name(n), "results.runs.run_00000003.z");
  CHECK_INT(cpet_node_run_index(n), 3);
  /* `$` falls back to run_ALL when the run has no such node */
  CHECK_OK(cpet_traj_find(traj, "results.runs.crun.z3", &n));
  CHECK_STR(cpet_node_full_name(n), "results.runs.run_ALL.z3");
  CHECK_INT(cpet_node_run_index(n), -2);
  CHECK_ERR(cpet_traj_find(traj, "results.runs.$.nothing", &n), CPET_ERR_NOTFOUND);
  CHECK_OK(cpet_traj_set_crun(traj, 1500));
  CHECK_STR(add_res("$set.$.w"), "results.run_set_00001.run_00001500.w");
  /* derived parameters inside a run; parameters and config refused */
  CHECK_OK(cpet_traj_add_param(traj, "derived_parameters.d", CPET_CLASS_PARAMETER, v, NULL, &p));
  CHECK_STR(cpet_node_full_name(p), "derived_parameters.runs.run_00001500.d");
  CHECK_INT(cpet_node_run_index(p), 1500);
  size_t before = cpet_traj_count(traj);
  CHECK_ERR(cpet_traj_add_param(traj, "y", CPET_CLASS_PARAMETER, v, NULL, NULL), CPET_ERR_STATE);
  CHECK_ERR(cpet_traj_add_param(traj, "config.y", CPET_CLASS_PARAMETER, v, NULL, NULL),
            CPET_ERR_STATE);
  CHECK_UINT(cpet_traj_count(traj), before);
  CHECK_OK(cpet_traj_set_crun(traj, -1));
  CHECK_OK(cpet_traj_find(traj, "results.runs.$.z3", &n));
  CHECK_STR(cpet_node_full_name(n), "results.runs.run_ALL.z3");
  cpet_value_free(v);
  cpet_traj_free(traj);
  traj = t0;
}

int main(void) {
  CHECK_OK(cpet_traj_create("names", &traj));
  test_components();
  test_full_names();
  test_traj_names();
  test_run_names();
  test_wildcards();
  cpet_traj_free(traj);
  CPET_TEST_END();
}
