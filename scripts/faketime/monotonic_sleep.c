/*
 * Preloaded beside Debian 12's libfaketime 0.9.10 for the suite's moved-clock run
 * (scripts/moved-clock.sh builds and uses it).
 *
 * That run moves the wall clock (CLOCK_REALTIME) and leaves the monotonic clock alone
 * (FAKETIME_DONT_FAKE_MONOTONIC=1): Python's timed lock waits (sem_clockwait, which
 * libfaketime 0.9.10 does not wrap) hang for years on a faked monotonic clock. But
 * libfaketime 0.9.10 converts every absolute clock_nanosleep() deadline as if it were on a
 * faked clock, even a CLOCK_MONOTONIC one it does not fake, so Python's time.sleep() (an
 * absolute CLOCK_MONOTONIC deadline) fails with EINVAL. (Both are fixed upstream after
 * 0.9.10.) This sends CLOCK_MONOTONIC sleeps to the kernel unchanged and every other
 * clock's to libfaketime.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

typedef int (*clock_nanosleep_fn)(clockid_t, int, const struct timespec *, struct timespec *);

int clock_nanosleep(clockid_t clock_id, int flags, const struct timespec *request,
                    struct timespec *remain)
{
    static clock_nanosleep_fn next;

    if (clock_id == CLOCK_MONOTONIC) {
        /* clock_nanosleep returns the error number (EINTR, EINVAL), never -1 */
        return syscall(SYS_clock_nanosleep, clock_id, flags, request, remain) == 0 ? 0 : errno;
    }
    if (next == NULL) {
        next = (clock_nanosleep_fn)dlsym(RTLD_NEXT, "clock_nanosleep");
        if (next == NULL)
            return ENOSYS;
    }
    return next(clock_id, flags, request, remain);
}
