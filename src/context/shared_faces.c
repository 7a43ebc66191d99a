/* FreeType faces and font files kept once per process (shared_faces.h). */
#define _GNU_SOURCE /* memfd_create */
#include "shared_faces.h"

#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <fontconfig/fcfreetype.h>
#include <glib.h>
#include <pthread.h>
#include <stdio.h>

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static FT_Library library;
static GHashTable *faces; /* "INDEX:FILE" → FT_Face, never freed (shared_faces.h) */

bool jm_pattern_add_shared_face(FcPattern *p)
{
    FcChar8 *file;
    int index = 0;
    FT_Face face;
    if (FcPatternGetString(p, FC_FILE, 0, &file) != FcResultMatch ||
        FcPatternGetFTFace(p, FC_FT_FACE, 0, &face) == FcResultMatch)
        return false;
    FcPatternGetInteger(p, FC_INDEX, 0, &index);
    char *key = g_strdup_printf("%d:%s", index, (const char *)file);
    pthread_mutex_lock(&lock);
    if (!faces && FT_Init_FreeType(&library) == 0)
        faces = g_hash_table_new(g_str_hash, g_str_equal);
    face = faces ? g_hash_table_lookup(faces, key) : NULL;
    if (faces && !face) {
        if (FT_New_Face(library, (const char *)file, index, &face) == 0)
            g_hash_table_insert(faces, key, face), key = NULL;
        else
            face = NULL;
    }
    pthread_mutex_unlock(&lock);
    g_free(key);
    return face && FcPatternAddFTFace(p, FC_FT_FACE, face);
}

typedef struct memory_font {
    const void *data; /* the file mapped, to tell two fonts of one hash apart */
    size_t len;
    char path[32];
} memory_font;

static GHashTable *memory_fonts; /* hash of the bytes → GSList of memory_font, never freed */

const char *jm_font_bytes_path(const unsigned char *data, size_t len)
{
    guint hash = 2166136261u; /* FNV-1a */
    for (size_t i = 0; i < len; i++)
        hash = (hash ^ data[i]) * 16777619u;
    const char *path = NULL;
    pthread_mutex_lock(&lock);
    if (!memory_fonts)
        memory_fonts = g_hash_table_new(g_direct_hash, g_direct_equal);
    GSList *same = g_hash_table_lookup(memory_fonts, GUINT_TO_POINTER(hash));
    for (GSList *l = same; l && !path; l = l->next) {
        memory_font *m = l->data;
        if (m->len == len && memcmp(m->data, data, len) == 0)
            path = m->path;
    }
    int fd = path || !len ? -1 : memfd_create("journeymap-font", MFD_CLOEXEC);
    if (fd >= 0) {
        size_t done = 0;
        while (done < len) {
            ssize_t n = write(fd, data + done, len - done);
            if (n <= 0)
                break;
            done += (size_t)n;
        }
        void *map = done == len ? mmap(NULL, len, PROT_READ, MAP_SHARED, fd, 0) : MAP_FAILED;
        if (map != MAP_FAILED) {
            memory_font *m = g_new(memory_font, 1);
            m->data = map;
            m->len = len;
            snprintf(m->path, sizeof m->path, "/proc/self/fd/%d", fd);
            g_hash_table_insert(memory_fonts, GUINT_TO_POINTER(hash), g_slist_prepend(same, m));
            path = m->path;
        } else {
            close(fd);
        }
    }
    pthread_mutex_unlock(&lock);
    return path;
}
