/* tools_int.h - shared pieces of the `cpet` command-line tool. */
#ifndef CPET_TOOLS_INT_H
#define CPET_TOOLS_INT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <cpet/cpet_store.h>
#include <cpet/cpet_traj.h>
#include <cpet/cpet_value.h>

/* Sub-commands: argv[0] is the sub-command name. Return the process exit code. */
int cpet_cmd_info(int argc, char **argv);
int cpet_cmd_ls(int argc, char **argv);
int cpet_cmd_repack(int argc, char **argv);
int cpet_cmd_dump(int argc, char **argv);
int cpet_cmd_show(int argc, char **argv);
int cpet_cmd_recover(int argc, char **argv);

/* Prints "cpet: <ERRNAME>: <errmsg>" to stderr and returns 2. */
int cpet_tool_fail(int status);


/* ---- a minimal streaming JSON writer ---- */
typedef struct cpet_jw {
  FILE *f;
  int depth;
  int first[128]; /* per nesting level: no element written yet */
  int after_key;
} cpet_jw;

void cpet_jw_init(cpet_jw *j, FILE *f);
void cpet_jw_obj(cpet_jw *j); /* { */
void cpet_jw_end_obj(cpet_jw *j);
void cpet_jw_arr(cpet_jw *j); /* [ */
void cpet_jw_end_arr(cpet_jw *j);
void cpet_jw_key(cpet_jw *j, const char *k);
void cpet_jw_strn(cpet_jw *j, const char *s, size_t n);
void cpet_jw_str(cpet_jw *j, const char *s);
void cpet_jw_i64(cpet_jw *j, int64_t v);
void cpet_jw_u64(cpet_jw *j, uint64_t v);
/* Shortest round-trip float; NaN/inf as the strings "nan", "inf", "-inf". */
void cpet_jw_f64(cpet_jw *j, double v);
void cpet_jw_bool(cpet_jw *j, int b);
void cpet_jw_null(cpet_jw *j);

/* A value in the fixtures' JSON encoding (fixtures/README.md). */
void cpet_jw_value(cpet_jw *j, const cpet_value *v);
/* A loaded leaf item as pypet shows it: like cpet_jw_value, but a TABLE's numpy scalar
 * columns after the first and a DICT's numpy scalar values become Python scalars (pandas'
 * boxing; the loaded value itself keeps the stored types). */
void cpet_jw_item(cpet_jw *j, const cpet_value *v);

/* numpy dtype string of a typed value ("<f8", "|S2", "<U3", "|b1"). */
void cpet_tool_dtype(const cpet_value *v, char *buf, size_t cap);

/* Helpers shared by json_out.c and json_sparse.c. */
double cpet_tool_elem_f64(cpet_type t, const void *p);
double cpet_tool_elem_imag(cpet_type t, const void *p);
void cpet_tool_hexn(cpet_jw *j, const unsigned char *p, size_t n);
void cpet_tool_array_json(cpet_jw *j, const cpet_value *v, const char *type);
void cpet_tool_sparse_json(cpet_jw *j, const cpet_value *v);
void cpet_tool_pickle_json(cpet_jw *j, const cpet_value *v);

#endif
