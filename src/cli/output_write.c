/* Writing a rendered output: to standard output, into a device or FIFO in place, or atomically
 * into a file; a failure is reported against its input. */
#include "output_write.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "messages.h"
#include "output_file.h"
#include "signals.h"

/* Writes into a device or a FIFO in place: renaming a file over it would replace the device
 * itself (as root, `-o /dev/null` would turn /dev/null into a regular file). */
static int write_special(const char *path, const void *data, size_t len, const char *input)
{
    int fd = open(path, O_WRONLY | O_NOCTTY | O_CLOEXEC);
    int err = fd < 0 ? errno : 0;
    for (size_t off = 0; !err && off < len;) {
        ssize_t n = write(fd, (const char *)data + off, len - off);
        if (n < 0 && errno != EINTR)
            err = errno;
        else if (n > 0)
            off += (size_t)n;
    }
    if (fd >= 0 && close(fd) != 0 && !err)
        err = errno;
    if (err)
        report("%s: error: cannot write %s: %s\n", input, path, strerror(err));
    return err ? -1 : 0;
}

/* Writes an output file. A regular file (or a new one) is written atomically: a temporary file
 * in the same folder, renamed into place when complete; a symbolic link is followed, so the
 * file it names is replaced and the link stays a link. The handled signals are held back during
 * the write: rendering, the long part, stays interruptible; the write is short and runs to its
 * end, so an interrupt leaves either the complete new file or the old one. */
int write_output(const char *path, const void *data, size_t len, const char *input,
                 output_durability how)
{
    struct stat st;
    char *real = NULL;
    if (lstat(path, &st) == 0 && S_ISLNK(st.st_mode))
        real = realpath(path, NULL); /* NULL for a dangling link: then it is replaced */
    const char *target = real ? real : path;
    int rc;
    if (stat(target, &st) == 0 && S_ISDIR(st.st_mode)) {
        report("%s: error: cannot write %s: it is a folder\n", input, path);
        rc = -1;
    } else if (stat(target, &st) == 0 && !S_ISREG(st.st_mode)) {
        rc = write_special(target, data, len, input);
    } else {
        sigset_t old;
        hold_signals(&old);
        int err = output_write_atomic(target, data, len, how);
        if (err)
            report("%s: error: cannot write %s: %s\n", input, path, strerror(err));
        rc = err ? -1 : 0;
        sigprocmask(SIG_SETMASK, &old, NULL);
    }
    free(real);
    return rc;
}

int write_stdout(const unsigned char *data, size_t len)
{
    size_t off = 0;
    while (off < len) {
        ssize_t n = write(STDOUT_FILENO, data + off, len - off);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            report("journeymap: error: cannot write to standard output: %s\n", strerror(errno));
            return -1;
        }
        off += (size_t)n;
    }
    return 0;
}
