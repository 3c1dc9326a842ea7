// Early writeback for data files: ingest writes hundreds of megabytes and then fsyncs once.
// Kicking off writeback as the data is written overlaps the disk work with parsing.
#define _GNU_SOURCE
#include "CSupport.h"
#include <fcntl.h>

int moviecol_start_writeback(int fd, int64_t offset, int64_t length) {
#if defined(__linux__)
    return sync_file_range(fd, offset, length, SYNC_FILE_RANGE_WRITE);
#else
    (void)fd; (void)offset; (void)length;
    return 0;
#endif
}
