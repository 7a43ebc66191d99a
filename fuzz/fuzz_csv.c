/* Fuzz target: the CSV loader (delimiter detection, RFC 4180 quoting, header matching, cell
 * values, UTF-8 checks), and the round trip of what it loads through `convert`; and the same
 * bytes as survey data (--data) joined to a small map, laid out, and converted. */
#include "fuzz.h"

static const char data_map[] =
    "{\"journeymap\": 1, \"title\": \"T\", \"scale\": {\"min\": 1, \"max\": 5},"
    " \"personas\": [{\"id\": \"p\", \"name\": \"P\"}, {\"id\": \"q\", \"name\": \"Q\"}],"
    " \"stages\": [{\"id\": \"s\", \"name\": \"S\"}], \"touchpoints\": ["
    "{\"id\": \"a\", \"stage\": \"s\", \"name\": \"A\", \"emotion\": 2, \"metrics\":"
    " [{\"name\": \"x\", \"value\": 1}]}, {\"id\": \"b\", \"stage\": \"s\", \"name\": \"B\","
    " \"actors\": [\"q\"]}]}";

/* The bytes as data joined to data_map: an error exactly when the join fails, and a joined
 * map that lays out and converts to a model that loads. */
static void fuzz_data(const uint8_t *data, size_t size)
{
    jm_diags *diags = jm_diags_new();
    jm_map *map =
        jm_map_load_buffer(fuzz_context(), "map.json", data_map, sizeof data_map - 1, NULL, diags);
    if (!map)
        fuzz_fail("the data target's map does not load", diags);
    jm_data_options o;
    jm_data_options_init(&o);
    o.score_kind = (jm_score_kind)(size % 3);
    o.score_min = 0;
    o.score_max = 10;
    o.min_n = 1 + size % 7;
    o.notes = (int)(size % 2);
    int rc = jm_map_join_data_buffer(map, "fuzz.csv", (const char *)data, size, &o, diags);
    if ((rc != 0) != (jm_diags_error_count(diags) != 0))
        fuzz_fail("the join's result and its errors disagree", diags);
    if (rc == 0) {
        jm_render_options ro;
        jm_render_options_init(&ro);
        ro.format = JM_FORMAT_JSON;
        unsigned char *out = NULL;
        size_t len = 0;
        if (jm_render_to_buffer(fuzz_context(), map, &ro, &out, &len, diags) != 0)
            fuzz_fail("a map with joined data does not lay out", diags);
        jm_free(out);
        fuzz_check_load(map, diags, "fuzz.csv");
    }
    jm_map_free(map);
    jm_diags_free(diags);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_data(data, size);
    jm_diags *diags = jm_diags_new();
    jm_load_options opts = {JM_INPUT_CSV, size % 2 ? "Fuzzed title" : NULL};
    jm_map *map =
        jm_map_load_buffer(fuzz_context(), "fuzz.csv", (const char *)data, size, &opts, diags);
    fuzz_check_load(map, diags, "fuzz.csv");
    jm_map_free(map);
    jm_diags_free(diags);
    return 0;
}
