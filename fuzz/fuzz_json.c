/* Fuzz target: the JSON loader (raw-text checks, jansson, validation, positions), and the
 * round trip of what it loads through `convert`. */
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    jm_diags *diags = jm_diags_new();
    jm_load_options opts = {JM_INPUT_JSON, NULL};
    jm_map *map =
        jm_map_load_buffer(fuzz_context(), "fuzz.json", (const char *)data, size, &opts, diags);
    fuzz_check_load(map, diags, "fuzz.json");
    jm_map_free(map);
    jm_diags_free(diags);
    return 0;
}
