/* Fuzz target: the Mermaid loader, on the input as a .mmd file and as a Markdown file (whose
 * first ```mermaid journey block is read), and the round trip through `convert`. */
#include "fuzz.h"

static void load_as(const char *name, const uint8_t *data, size_t size, const char *title)
{
    jm_diags *diags = jm_diags_new();
    jm_load_options opts = {JM_INPUT_MERMAID, title};
    jm_map *map = jm_map_load_buffer(fuzz_context(), name, (const char *)data, size, &opts, diags);
    fuzz_check_load(map, diags, name);
    jm_map_free(map);
    jm_diags_free(diags);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    load_as("fuzz.mmd", data, size, NULL);
    /* The title option replaces a missing title; the file name is the last resort. */
    load_as("fuzz.md", data, size, size % 2 ? "Fuzzed title" : NULL);
    return 0;
}
