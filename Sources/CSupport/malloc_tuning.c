// glibc maps allocations over 128 KiB with mmap and unmaps them on free, and trims the heap
// eagerly. Ingest allocates and frees the same multi-megabyte column buffers chunk after
// chunk, so each chunk would fault its pages in again. Raising both thresholds lets the
// next chunk reuse the previous chunk's pages; memory stays bounded by the chunk pipeline.
//
// Not one arena for all threads (M_ARENA_MAX 1): it spared a window query over 25M rows its
// page faults (2.4 s to 2.1 s: worker arenas map buffers over 64 MiB on their own and unmap
// them when freed) but made every parallel aggregation and the build about 10% slower on the
// shared arena's lock.
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
