/* The commands that draw nothing (validate, convert), and loading an input for every command. */
#include "commands.h"

#include <stdio.h>
#include <string.h>

#include "messages.h"
#include "output_names.h"
#include "output_write.h"

jm_map *load_input(jm_context *ctx, const opts *o, const char *input, jm_diags *d, bool notes)
{
    jm_load_options lo = {JM_INPUT_AUTO, o->title};
    if (strcmp(input, "-") == 0)
        lo.kind = o->from;
    jm_map *m = jm_map_load_file(ctx, input, &lo, d);
    jm_data_options data = o->data_opts;
    data.notes = notes;
    for (size_t i = 0; m && i < o->n_data; i++)
        if (jm_map_join_data_file(m, o->data[i], &data, d) != 0) {
            jm_map_free(m);
            m = NULL;
        }
    return m;
}

int cmd_validate(jm_context *ctx, const opts *o, char **inputs, size_t n)
{
    int rc = EXIT_OK;
    jm_diags *d = jm_diags_new();
    for (size_t i = 0; i < n; i++) {
        jm_map *m = load_input(ctx, o, inputs[i], d, true);
        /* The theme as render would take it: its errors, missing font families, contrast. */
        if (m && jm_map_check_theme(ctx, m, o->render.theme, d) != 0) {
            jm_map_free(m);
            m = NULL;
        }
        print_diags(d);
        if (!m)
            rc = EXIT_FAILED;
        else if (!o->quiet) {
            size_t tps = jm_map_touchpoint_count(m);
            printf("%s: ok (%zu touchpoint%s)\n", inputs[i], tps, tps == 1 ? "" : "s");
        }
        jm_map_free(m);
    }
    jm_diags_free(d);
    return rc;
}

int cmd_convert(jm_context *ctx, const opts *o, char **inputs, size_t n)
{
    if (n != 1) {
        usage_error("%s", "convert takes exactly one INPUT");
        return EXIT_USAGE;
    }
    const char *out = o->out ? o->out : "-";
    if (same_file(out, inputs[0])) {
        fprintf(stderr, "%s: error: the output would overwrite the input; choose another -o\n",
                inputs[0]);
        return EXIT_FAILED;
    }
    jm_diags *d = jm_diags_new();
    jm_map *m = load_input(ctx, o, inputs[0], d, false);
    print_diags(d);
    int rc = EXIT_FAILED;
    if (m) {
        char *json = jm_map_to_json(m);
        if (json) {
            if (strcmp(out, "-") == 0)
                rc = write_stdout((unsigned char *)json, strlen(json)) == 0 ? EXIT_OK : EXIT_FAILED;
            else
                rc = write_output(out, json, strlen(json), inputs[0], OUTPUT_DURABLE) == 0
                         ? EXIT_OK
                         : EXIT_FAILED;
            print_diags(d);
            jm_free(json);
        }
        jm_map_free(m);
    }
    jm_diags_free(d);
    return rc;
}
