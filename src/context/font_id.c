/* A font file's identity (fontcache.h), apart from the cache so that its generator, which
 * writes the identities, computes them with the same code. */
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fontcache.h"

/* Table records read at most: fonts have 10 to 30 tables; more is not worth reading. */
#define MAX_TABLES 128

static uint32_t be32(const unsigned char *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

bool jm_font_id_read(const char *path, jm_font_id *id)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return false;
    bool ok = false;
    struct stat st;
    unsigned char dir[12 + 16 * MAX_TABLES], head[12];
    ssize_t got;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || (got = pread(fd, dir, sizeof dir, 0)) < 12)
        goto done;
    /* TrueType outlines, CFF outlines, or Apple's TrueType tag. */
    uint32_t version = be32(dir);
    if (version != 0x00010000 && version != 0x4F54544F /* OTTO */ &&
        version != 0x74727565 /* true */)
        goto done;
    size_t n = (size_t)dir[4] << 8 | dir[5], len = 12 + 16 * n;
    if (n > MAX_TABLES || (size_t)got < len)
        goto done;
    id->size = (uint64_t)st.st_size;
    id->directory = 0xcbf29ce484222325u;
    for (size_t i = 0; i < len; i++)
        id->directory = (id->directory ^ dir[i]) * 0x100000001b3u;
    for (size_t i = 0; i < n; i++) {
        const unsigned char *rec = dir + 12 + 16 * i;
        if (memcmp(rec, "head", 4) != 0)
            continue;
        uint32_t offset = be32(rec + 8);
        if (be32(rec + 12) >= sizeof head && pread(fd, head, sizeof head, offset) == sizeof head) {
            id->revision = be32(head + 4);
            id->checksum = be32(head + 8);
            ok = true;
        }
        break;
    }
done:
    close(fd);
    return ok;
}
