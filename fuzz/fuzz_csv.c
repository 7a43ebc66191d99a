/* Fuzz target: the CSV loader (delimiter detection, RFC 4180 quoting, header matching, cell
 * values, UTF-8 checks), and the round trip of what it loads through `convert`. */
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    jm_diags *diags = jm_diags_new();
    jm_load_options opts = {JM_INPUT_CSV, size % 2 ? "Fuzzed title" : NULL};
    jm_map *map =
        jm_map_load_buffer(fuzz_context(), "fuzz.csv", (const char *)data, size, &opts, diags);
    fuzz_check_load(map, diags, "fuzz.csv");
    jm_map_free(map);
    jm_diags_free(diags);
    return 0;
}
