/* read_int.h - shared between the leaf-data readers read_item.c, read_table.c, read_leaf.c. */
#ifndef CPET_READ_INT_H
#define CPET_READ_INT_H

#include "h5/h5_int.h"
#include "layout/layout_int.h"
#include "value/value_int.h"

/* Where type-recall attributes come from: the dataset's attributes, or (split tables) the
 * rows of the `<key>__SRVC_STORE` datatype table. */
typedef struct cpet__attrsrc {
  hid_t obj; /* >= 0: read attributes of this object */
  size_t n;  /* else: n (name, value) pairs */
  char **names, **vals;
} cpet__attrsrc;

/* A string attribute from `src` (caller frees), or NULL when absent / not a string. */
char *cpet__read_attr(const cpet__attrsrc *src, const char *name);

/* Converts every element of the freshly read typed value `v` (owned, not shared) to type `to`
 * in place (strings keep their width; numbers convert as numpy's astype). */
cpet_status cpet__read_retype(cpet_value *v, cpet_type to);

/* pypet's type recall (spec 7.4) on a raw array value (taken); *out the recalled value. */
cpet_status cpet__read_recall(cpet_value *raw, const char *coll, const char *stype,
                              cpet_value **out);

/* Reads a compound table dataset `name` below `loc` into an ObjectTable (recall per column
 * from `src`, NULL: the dataset's own attributes). `box_from` >= 0: numpy scalar columns
 * from that column index on become Python scalars (pandas re-typing); the item loader passes
 * -1 so loaded values keep the stored types. */
cpet_status cpet__read_table(hid_t loc, const char *name, const cpet__attrsrc *src, long box_from,
                             cpet_value **out);
/* Appends the columns of table `name` below `loc` to the existing ObjectTable `tab`. */
cpet_status cpet__read_table_into(hid_t loc, const char *name, const cpet__attrsrc *src,
                                  long box_from, cpet_value *tab);

/* A TABLE/DICT node that is a group with SPLIT_TABLE (spec 6.7) -> ObjectTable. */
cpet_status cpet__read_split_table(hid_t grp, const char *key, long box_from, cpet_value **out);

/* ObjectTable -> dict of row 0, cells with their stored types (no pandas boxing). */
cpet_status cpet__read_table_to_dict(cpet_value *tab_take, cpet_value **out);

/* Python equivalent of a numpy scalar type (int8 -> int, float32 -> float, bool_ -> bool,
 * complex64 -> complex); other types unchanged. Used by `cpet dump` for pypet's view. */
cpet_type cpet__read_box_type(cpet_type t);

#endif
