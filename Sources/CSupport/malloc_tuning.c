// glibc maps allocations over 128 KiB with mmap and unmaps them on free, and trims the heap
// eagerly. Ingest allocates and frees the same multi-megabyte column buffers chunk after
// chunk, so each chunk would fault its pages in again. Raising both thresholds lets the
// next chunk reuse the previous chunk's pages; memory stays bounded by the chunk pipeline.
#include "CSupport.h"
#if defined(__GLIBC__)
#include <malloc.h>
#endif

void moviecol_keep_freed_memory(void) {
#if defined(__GLIBC__)
    mallopt(M_MMAP_THRESHOLD, 256 << 20);
    mallopt(M_TRIM_THRESHOLD, 512 << 20);
#endif
}
