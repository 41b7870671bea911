/* pickle_int.h - the small pickle virtual machine shared by pickle.c (opcode parser),
 * pickle_conv.c (objects -> cpet_value, numpy reconstruct) and pickle_enc.c (writers).
 *
 * The parser builds a graph of `cpet__pobj` nodes (shared references through the memo are kept
 * as shared pointers, as in Python); every node lives in an arena freed in one go, so shared
 * or even cyclic graphs from hostile input never double-free or leak. */
#ifndef CPET_PICKLE_INT_H
#define CPET_PICKLE_INT_H

#include <stddef.h>
#include <stdint.h>

#include "core/core_int.h"
#include <cpet/cpet_value.h>

/* Hard limits (a pickle beyond them is rejected with CPET_ERR_RANGE). */
#define CPET__PICKLE_MAX_DEPTH 64      /* nesting when converting to values */
#define CPET__PICKLE_MAX_STACK 100000  /* stack + mark entries */
#define CPET__PICKLE_MAX_MEMO 1000000  /* memo slots */
#define CPET__PICKLE_MAX_OBJS 10000000 /* objects in one pickle */

typedef enum cpet__ptype {
  CPET__P_NONE = 0,
  CPET__P_BOOL,
  CPET__P_INT,    /* fits int64 */
  CPET__P_BIGINT, /* did not fit int64: kept as an unsupported marker */
  CPET__P_FLOAT,
  CPET__P_STR, /* UTF-8 bytes */
  CPET__P_BYTES,
  CPET__P_LIST,
  CPET__P_TUPLE,
  CPET__P_DICT,   /* items[2i] = key, items[2i+1] = value */
  CPET__P_SET,    /* set/frozenset: only carried, never converted */
  CPET__P_GLOBAL, /* module + name in str/len pairs (s = module, s2 = name) */
  CPET__P_CALL    /* REDUCE/NEWOBJ: items[0] = callable, items[1] = args; state via BUILD */
} cpet__ptype;

typedef struct cpet__pobj cpet__pobj;
struct cpet__pobj {
  cpet__ptype t;
  int64_t i; /* BOOL, INT */
  double f;  /* FLOAT */
  char *s;   /* STR, BYTES, GLOBAL module (NUL-terminated, length n) */
  size_t n;
  char *s2; /* GLOBAL name */
  cpet__pobj **items;
  size_t nitems, cap;
  cpet__pobj *state; /* BUILD state (CALL) */
};

typedef struct cpet__parena {
  cpet__pobj **objs;
  size_t n, cap;
} cpet__parena;

/* Runs the pickle and returns its result (owned by `arena`); CPET_ERR_CORRUPT for malformed
 * input, CPET_ERR_UNSUPPORTED for opcodes outside the subset, CPET_ERR_RANGE beyond limits. */
cpet_status cpet__pickle_run(const unsigned char *p, size_t len, cpet__parena *arena,
                             cpet__pobj **result);
void cpet__pickle_arena_free(cpet__parena *arena);

/* Flags for the object -> value conversion. */
#define CPET__PICKLE_INTKEYS 1 /* dict keys that are ints become their decimal text */

cpet_status cpet__pickle_to_value(const cpet__pobj *o, int flags, int depth, cpet_value **out);

/* Decode with flags (see above). */
cpet_status cpet__pickle_decode_ex(const void *p, size_t len, int flags, cpet_value **out);

/* 1 if `o` is GLOBAL module.name. */
int cpet__pobj_is_global(const cpet__pobj *o, const char *module, const char *name);

/* Protocol-2 pickle of a numpy object ndarray holding the 1-d str column `col` (type PY_STR /
 * STR / BYTES cells; bytes cells are pickled as Python bytes), as pandas' VLARRAY object block
 * of shape (1, n) (`rows2d` = 1) or 1-d. Caller frees *out. */
cpet_status cpet__pickle_encode_objarray(const cpet_value *col, int rows2d, unsigned char **out,
                                         size_t *len);

#endif
