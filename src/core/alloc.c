/* alloc.c - the pluggable allocator behind every allocation cpet makes. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core_int.h"

static cpet_allocator alloc = {malloc, realloc, free};

cpet_status cpet_set_allocator(const cpet_allocator *a) {
  if (!a) {
    alloc = (cpet_allocator){malloc, realloc, free};
    return CPET_OK;
  }
  if (!a->malloc_fn || !a->realloc_fn || !a->free_fn)
    return cpet__err(CPET_ERR_INVAL, "cpet_set_allocator: all three hooks must be set");
  alloc = *a;
  return CPET_OK;
}

void cpet_free(void *p) {
  if (p) alloc.free_fn(p);
}

void *cpet__malloc(size_t n) { return alloc.malloc_fn(n ? n : 1); }

void *cpet__calloc(size_t count, size_t size) {
  size_t n;
  if (cpet__mul_size(count, size, &n) != 0) return NULL;
  void *p = cpet__malloc(n);
  if (p) memset(p, 0, n ? n : 1);
  return p;
}

void *cpet__realloc(void *p, size_t n) { return alloc.realloc_fn(p, n ? n : 1); }

void *cpet__memdup(const void *p, size_t n) {
  void *q = cpet__malloc(n);
  if (q && n) memcpy(q, p, n);
  return q;
}

char *cpet__strndup(const char *s, size_t n) {
  char *q = cpet__malloc(n + 1);
  if (!q) return NULL;
  if (n) memcpy(q, s, n);
  q[n] = '\0';
  return q;
}

char *cpet__strdup(const char *s) { return s ? cpet__strndup(s, strlen(s)) : NULL; }

int cpet__mul_size(size_t a, size_t b, size_t *out) {
  if (a && b > (size_t)-1 / a) return -1;
  *out = a * b;
  return 0;
}

char *cpet__asprintf(const char *fmt, ...) {
  va_list ap, ap2;
  va_start(ap, fmt);
  va_copy(ap2, ap);
  int n = vsnprintf(NULL, 0, fmt, ap);
  va_end(ap);
  char *s = NULL;
  if (n >= 0 && (s = cpet__malloc((size_t)n + 1)) != NULL) vsnprintf(s, (size_t)n + 1, fmt, ap2);
  va_end(ap2);
  return s;
}
