// Small C helpers for operating-system calls that Swift's Glibc module does not expose.
#ifndef MOVIECOL_CSUPPORT_H
#define MOVIECOL_CSUPPORT_H

#include <stddef.h>
#include <stdint.h>

/// Keeps freed memory in the heap for reuse instead of unmapping it (see malloc_tuning.c).
void moviecol_keep_freed_memory(void);

/// Starts asynchronous writeback of a file range (Linux sync_file_range), so that a later
/// fsync has little left to write. A no-op elsewhere. Returns 0 or -1 with errno set.
int moviecol_start_writeback(int fd, int64_t offset, int64_t length);

/// Bytes of the calling thread's stack still free below the caller's frame (a large number
/// where the platform does not tell).
size_t moviecol_stack_remaining(void);

/// Whether this CPU has carry-less multiplication (PCLMULQDQ) for moviecol_crc32_clmul.
int moviecol_crc32_clmul_available(void);

/// The reflected CRC-32 (IEEE) register after `n` more bytes at `p`, starting from `crc`
/// (the caller inverts before and after, as zlib does inside crc32()). `n` is a multiple of
/// 16 and at least 64; only when moviecol_crc32_clmul_available().
uint32_t moviecol_crc32_clmul(uint32_t crc, const uint8_t *p, size_t n);

#endif
