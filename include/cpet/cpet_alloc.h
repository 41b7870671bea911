/* cpet_alloc.h - memory returned to the caller and the pluggable allocator. */
#ifndef CPET_ALLOC_H
#define CPET_ALLOC_H

#include <stddef.h>
#include <cpet/cpet_error.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Releases a buffer that a cpet function handed to the caller (every `char *` or `void *`
 *  result documented as caller-owned). NULL is accepted. Never use plain free() on them. */
CPET_API void cpet_free(void *p);

/** Allocator hooks; all three must be set together. */
typedef struct cpet_allocator {
  void *(*malloc_fn)(size_t size);
  void *(*realloc_fn)(void *p, size_t size);
  void (*free_fn)(void *p);
} cpet_allocator;

/** Replaces the allocator used for everything cpet allocates from now on. Call it before any
 *  other cpet function; memory allocated before must not outlive the switch. NULL restores
 *  the C library's. Returns CPET_ERR_INVAL if only some hooks are set. */
CPET_API cpet_status cpet_set_allocator(const cpet_allocator *a);

#ifdef __cplusplus
}
#endif
#endif
