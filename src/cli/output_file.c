/* Output files written atomically, and what a killed run left behind (see output_file.h).
 *
 * The temporary file is created by open(O_CREAT | O_EXCL, 0666), so the kernel applies the
 * umask: asking for the umask means setting it, which would race with any other thread creating
 * a file. Its name carries the writer's process id, and the writer holds a lock on it, so a
 * later run can prove a left-over one is nobody's before removing it: a process id that is gone
 * here, and a lock nobody holds (a writer on another machine sharing the folder, or in another
 * pid namespace, still holds its lock). */
#define _GNU_SOURCE
#include "output_file.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static const char temp_marker[] = ".jm-"; /* .NAME.jm-PID-XXXXXX */
enum { TEMP_RANDOM = 6 };

static char pending[PATH_MAX];

const char *output_pending_temp(void) { return pending; }

/* The longest file name the folder of path takes (255 on most file systems, less on some). */
static size_t name_max_of(const char *path, size_t dirlen)
{
    char dir[PATH_MAX];
    snprintf(dir, sizeof dir, "%.*s", dirlen ? (int)dirlen : 1, dirlen ? path : ".");
    long max = pathconf(dir, _PC_NAME_MAX);
    return max > 32 ? (size_t)max : 255;
}

/* DIR/.NAME.jm-PID- in buf, NAME cut (at a character boundary) so that the whole temporary
 * name, with its random part, fits the folder's limit: any valid output name can be written. */
static bool temp_prefix(const char *path, char *buf, size_t size)
{
    const char *slash = strrchr(path, '/');
    const char *name = slash ? slash + 1 : path;
    size_t dirlen = slash ? (size_t)(slash - path) + 1 : 0;
    char tail[48];
    snprintf(tail, sizeof tail, "%s%ld-", temp_marker, (long)getpid());
    size_t fixed = 1 + strlen(tail) + TEMP_RANDOM, max = name_max_of(path, dirlen);
    size_t keep = strlen(name);
    if (fixed + keep > max) {
        keep = max > fixed ? max - fixed : 0;
        while (keep > 0 && ((unsigned char)name[keep] & 0xC0) == 0x80)
            keep--; /* not inside a UTF-8 character */
    }
    int n = snprintf(buf, size, "%.*s.%.*s%s", (int)dirlen, path, (int)keep, name, tail);
    return n > 0 && (size_t)n + TEMP_RANDOM < size;
}

static void fill_random(char *p, size_t n)
{
    static const char chars[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    unsigned char bytes[16];
    if (getrandom(bytes, n, GRND_NONBLOCK) != (ssize_t)n) {
        struct timespec ts;
        clock_gettime(CLOCK_MONOTONIC, &ts);
        uint64_t x =
            (uint64_t)ts.tv_nsec * 2654435761u ^ (uint64_t)getpid() << 32 ^ (uint64_t)(uintptr_t)p;
        for (size_t i = 0; i < n; i++, x = x * 6364136223846793005u + 1442695040888963407u)
            bytes[i] = (unsigned char)(x >> 56);
    }
    for (size_t i = 0; i < n; i++)
        p[i] = chars[bytes[i] % (sizeof chars - 1)];
}

/* Creates the temporary file for path (mode 0666 less the umask) into tmp; its descriptor, or
 * -1 with errno set. */
static int create_temp(const char *path, char *tmp, size_t size)
{
    if (!temp_prefix(path, tmp, size)) {
        errno = ENAMETOOLONG;
        return -1;
    }
    char *random_part = tmp + strlen(tmp);
    for (int tries = 0; tries < 100; tries++) {
        fill_random(random_part, TEMP_RANDOM);
        random_part[TEMP_RANDOM] = '\0';
        int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0666);
        if (fd >= 0 || errno != EEXIST)
            return fd;
    }
    errno = EEXIST;
    return -1;
}

static int write_all(int fd, const void *data, size_t len)
{
    for (size_t off = 0; off < len;) {
        ssize_t n = write(fd, (const char *)data + off, len - off);
        if (n < 0 && errno != EINTR)
            return errno;
        if (n > 0)
            off += (size_t)n;
    }
    return 0;
}

int output_write_atomic(const char *path, const void *data, size_t len, output_durability how)
{
    char tmp[PATH_MAX];
    int fd = create_temp(path, tmp, sizeof tmp);
    int err = fd < 0 ? errno : 0;
    if (fd >= 0) {
        snprintf(pending, sizeof pending, "%s", tmp);
        flock(fd, LOCK_EX | LOCK_NB); /* ours: a new file nobody else has opened */
        err = write_all(fd, data, len);
        /* Only a file that replaces another is flushed before the rename, so that a power cut
         * leaves the old file or the new one; a new file is left to the system's writeback
         * (fsync per file cost a batch of small maps 1.5 to 4 ms a map). */
        struct stat st;
        if (!err && how == OUTPUT_DURABLE && lstat(path, &st) == 0 && fsync(fd) != 0 &&
            errno != EINVAL)
            err = errno;
        if (close(fd) != 0 && !err)
            err = errno;
        if (!err && rename(tmp, path) != 0)
            err = errno;
        if (err)
            unlink(tmp);
        pending[0] = '\0';
    }
    return err;
}

/* The process id in a temporary file name of ours, else 0. */
static long owner_of(const char *name)
{
    if (name[0] != '.')
        return 0;
    const char *m = NULL;
    for (const char *p = strstr(name + 1, temp_marker); p; p = strstr(p + 1, temp_marker))
        m = p;
    if (!m)
        return 0;
    char *end;
    errno = 0;
    long pid = strtol(m + strlen(temp_marker), &end, 10);
    if (errno || pid <= 0 || *end != '-' || strlen(end + 1) != TEMP_RANDOM)
        return 0;
    for (const char *p = end + 1; *p; p++)
        if (!((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9')))
            return 0;
    return pid;
}

static bool process_alive(long pid) { return kill((pid_t)pid, 0) == 0 || errno == EPERM; }

size_t output_remove_stale_temps(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d)
        return 0;
    int dfd = dirfd(d);
    size_t removed = 0;
    for (struct dirent *e; (e = readdir(d));) {
        long pid = owner_of(e->d_name);
        if (!pid || pid == (long)getpid() || process_alive(pid))
            continue;
        int fd = openat(dfd, e->d_name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
        if (fd < 0)
            continue;
        struct stat st, now;
        /* Ours (same owner, a regular file), nobody's lock, and still the file we opened. */
        if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_uid == geteuid() &&
            flock(fd, LOCK_EX | LOCK_NB) == 0 &&
            fstatat(dfd, e->d_name, &now, AT_SYMLINK_NOFOLLOW) == 0 && now.st_dev == st.st_dev &&
            now.st_ino == st.st_ino && unlinkat(dfd, e->d_name, 0) == 0)
            removed++;
        close(fd);
    }
    closedir(d);
    return removed;
}
