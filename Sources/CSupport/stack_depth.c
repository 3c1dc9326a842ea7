// How much of the current thread's stack is left. Parsing, binding and evaluating a statement
// recurse over its trees; checking the room left (PostgreSQL's check_stack_depth) turns a
// statement too deep for this thread's stack into an error instead of a crash, on any
// thread, whatever stack size it was given.
#define _GNU_SOURCE
#include "CSupport.h"
#include <pthread.h>

static _Thread_local const char *stack_low = 0;

size_t moviecol_stack_remaining(void) {
    char here;
    if (!stack_low) {
#if defined(__linux__)
        pthread_attr_t attr;
        void *addr = 0;
        size_t size = 0;
        if (pthread_getattr_np(pthread_self(), &attr) == 0) {
            pthread_attr_getstack(&attr, &addr, &size);
            pthread_attr_destroy(&attr);
        }
        stack_low = addr ? (const char *)addr : (const char *)1;
#else
        stack_low = (const char *)1;
#endif
    }
    // The stack grows down: the room left is the distance to its lowest address.
    return &here > stack_low ? (size_t)(&here - stack_low) : 0;
}
