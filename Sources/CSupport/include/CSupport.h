// Small C helpers for things Swift's Glibc module does not expose.
#ifndef MOVIECOL_CSUPPORT_H
#define MOVIECOL_CSUPPORT_H

/// Keeps freed memory in the heap for reuse instead of unmapping it (see malloc_tuning.c).
void moviecol_keep_freed_memory(void);

#endif
