/* render_example: the smallest complete program on libjourneymap.
 *
 *     render_example INPUT OUTPUT
 *
 * Loads INPUT (a JSON model, a Mermaid journey or a CSV export), renders it to OUTPUT in the
 * format its extension names (.png, .svg, .pdf or .json), then renders it once more into
 * memory as SVG, as a program that serves maps over HTTP would. Every problem the library
 * finds is printed as "FILE:LINE:COL: error: PATH: message".
 *
 * Build it against an installed journeymap with pkg-config:
 *
 *     cc render_example.c $(pkg-config --cflags --libs journeymap) -o render_example
 *
 * or with CMake: find_package(journeymap) and link journeymap::journeymap. */
#include <stdio.h>
#include <string.h>

#include <journeymap.h>

/* Prints and forgets every diagnostic collected so far. */
static void print_diags(jm_diags *diags)
{
    for (size_t i = 0; i < jm_diags_count(diags); i++) {
        char *line = jm_diag_format(jm_diags_get(diags, i));
        if (line)
            fprintf(stderr, "%s\n", line);
        jm_free(line);
    }
    jm_diags_clear(diags);
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: %s INPUT OUTPUT.{png,svg,pdf,json}\n", argv[0]);
        return 2;
    }
    const char *input = argv[1], *output = argv[2];
    int format = jm_format_from_path(output);
    if (format < 0) {
        fprintf(stderr, "%s: the extension must be .png, .svg, .pdf or .json\n", output);
        return 2;
    }

    int status = 1;
    jm_diags *diags = jm_diags_new();
    if (!diags)
        return 1;

    /* 1. The context: the bundled fonts and the themes. Create it once and reuse it for every
     *    map; NULL finds the data folder (JOURNEYMAP_DATA_DIR, else the installation). */
    jm_context *ctx = jm_context_new(NULL, diags);
    jm_map *map = NULL;
    unsigned char *svg = NULL;
    size_t svg_len = 0;
    if (!ctx)
        goto done;

    /* 2. Load and validate: NULL when the input has any error, and every error is in diags.
     *    Warnings (an unknown key, an unknown channel) leave a map and are in diags too. */
    map = jm_map_load_file(ctx, input, NULL, diags);
    print_diags(diags);
    if (!map)
        goto done;
    printf("%s: \"%s\", %zu touchpoints (journeymap %s)\n", input, jm_map_title(map),
           jm_map_touchpoint_count(map), jm_version());

    /* 3. Render to a file. The file is written atomically: a failure never leaves a partial
     *    file behind nor harms an existing one. */
    jm_render_options opts;
    jm_render_options_init(&opts); /* PNG at 2 pixels a point, the map's own theme */
    opts.format = (jm_format)format;
    if (jm_render_to_file(ctx, map, &opts, output, diags) != 0)
        goto done;
    printf("wrote %s\n", output);

    /* 4. Render to memory: the bytes are ours, freed with jm_free. */
    opts.format = JM_FORMAT_SVG;
    opts.state = JM_STATE_AUTO; /* "compare" when touchpoints have before/after states */
    if (jm_render_to_buffer(ctx, map, &opts, &svg, &svg_len, diags) != 0)
        goto done;
    printf("rendered %zu bytes of SVG in memory\n", svg_len);
    status = 0;

done:
    print_diags(diags);
    jm_free(svg);
    jm_map_free(map);
    jm_context_free(ctx);
    jm_diags_free(diags);
    return status;
}
