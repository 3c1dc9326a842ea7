// glibc maps allocations over 128 KiB with mmap and unmaps them on free, and trims the heap
// eagerly. Ingest allocates and frees the same multi-megabyte column buffers chunk after
// chunk, so each chunk would fault its pages in again. Raising both thresholds lets the
// next chunk reuse the previous chunk's pages; memory stays bounded by the chunk pipeline.
//
// One arena for every thread: glibc gives each worker thread its own arena of 64 MiB heaps,
// and a column buffer larger than a heap is mapped on its own and unmapped when freed, so a
// sort or window over 25M rows faulted in fresh pages for every buffer (half its time in the
// kernel). In one arena, buffers freed by one worker are reused by the next allocation of any
// worker (small allocations stay in each thread's cache, so the shared lock is rarely taken).
// A window query at 25M ratings went from 2.4 s (1.2 s of it in the kernel) to 2.1 s.
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

#if defined(__GLIBC__)
/// Before main, before any thread exists (the command runs on a Dispatch thread, which
/// would already have its own arena).
__attribute__((constructor)) static void moviecol_single_arena(void) {
    mallopt(M_ARENA_MAX, 1);
}
#endif
