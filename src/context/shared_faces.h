/* FreeType faces opened once per process and handed to cairo through the fonts' patterns
 * (FC_FT_FACE).
 *
 * Why: cairo 1.16 opens the face of a font file itself, keeps at most ten open in the whole
 * process and closes another thread's to open an eleventh (cairo-ft-font.c, MAX_OPEN_FACES):
 * it reads that face's lock count without its lock, and closes faces with FT_Done_Face while
 * another thread opens one with FT_New_Face on the same FT_Library, which FreeType forbids. A
 * map in many scripts, rendered from several threads, then fails with "error occurred in
 * libfreetype", draws wrong glyphs, or crashes (tests/threads with the mixed-script golden).
 * A face given in the pattern is never closed by cairo, and cairo locks it for every use.
 *
 * The faces are never closed: cairo's caches of scaled fonts keep the face's address after
 * the last context that used it is freed, and a new face at the same address would inherit
 * its glyphs. They are few (the fallback families of fallback.c and the users' fonts), and the
 * files are mapped, not read. */
#ifndef JM_SHARED_FACES_H
#define JM_SHARED_FACES_H

#include <fontconfig/fontconfig.h>
#include <stdbool.h>
#include <stddef.h>

/* Adds to p (a font pattern with FC_FILE and FC_INDEX) the process's face of that file and
 * index, opening it the first time. false when it cannot be opened or out of memory (p is
 * then unchanged, and cairo opens the file itself). Thread-safe. */
bool jm_pattern_add_shared_face(FcPattern *p);

/* A path that reads as the len bytes of data (a font a model names, read with the model):
 * "/proc/self/fd/N" of an anonymous in-memory file made the first time these bytes come and
 * kept for the process, like the faces, so that one path always holds the same font for
 * cairo's and Pango's caches. Borrowed; NULL when it cannot be made. Thread-safe. */
const char *jm_font_bytes_path(const unsigned char *data, size_t len);

#endif
