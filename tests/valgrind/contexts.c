/* Creates and frees a context three times, each loading and rendering a map in every format to
 * memory: run under valgrind (tests/valgrind/run.sh), so that memory a context keeps after it
 * is freed shows up as lost, three times over. */
#include "journeymap.h"

#include <fontconfig/fontconfig.h>
#include <stdio.h>

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: %s MAP\n", argv[0]);
        return 2;
    }
    /* This host draws with the library's fonts only and says so, as the header suggests and the
     * journeymap program does: else Pango loads the system's fontconfig configuration, and
     * fontconfig 2.14 loses about 300 bytes parsing its XML (valgrind: definitely lost under
     * XML_ParseBuffer; any program's leak, not the library's). */
    FcConfig *none = FcConfigCreate();
    FcConfigSetCurrent(none);
    FcConfigDestroy(none);
    for (int round = 0; round < 3; round++) {
        jm_diags *d = jm_diags_new();
        jm_context *ctx = d ? jm_context_new(NULL, d) : NULL;
        jm_map *map = ctx ? jm_map_load_file(ctx, argv[1], NULL, d) : NULL;
        int ok = map != NULL;
        for (int f = JM_FORMAT_PNG; ok && f <= JM_FORMAT_JSON; f++) {
            jm_render_options o;
            jm_render_options_init(&o);
            o.format = (jm_format)f;
            unsigned char *data = NULL;
            size_t len = 0;
            ok = jm_render_to_buffer(ctx, map, &o, &data, &len, d) == 0 && len > 0;
            jm_free(data);
        }
        for (size_t i = 0; d && i < jm_diags_count(d); i++) {
            char *line = jm_diag_format(jm_diags_get(d, i));
            fprintf(stderr, "%s\n", line ? line : "out of memory");
            jm_free(line);
        }
        jm_map_free(map);
        jm_context_free(ctx);
        jm_diags_free(d);
        if (!ok)
            return 1;
    }
    return 0;
}
