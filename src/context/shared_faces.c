/* FreeType faces opened once per process (shared_faces.h). */
#include "shared_faces.h"

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
