/* journeymap template: a blank canvas for a workshop from the command line alone. The stages,
 * lanes, language and title given become a JSON model, loaded like any input, and drawn as a
 * blank canvas (jm_render_options.blank) — the same picture `render --blank` makes of a model
 * with those stages and lanes. */
#define _GNU_SOURCE /* open_memstream */
#include "template.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "messages.h"
#include "output_write.h"
#include "text_out.h"

/* Stages when --stages is not given: numbered, for the group to name. */
#define DEFAULT_STAGES 5
#define MAX_TEMPLATE_STAGES 100

static bool is_russian(const opts *o) { return o->lang && strncmp(o->lang, "ru", 2) == 0; }

/* --stages N: N numbered stages; else the names, separated by commas. */
static int parse_stage_count(const char *arg)
{
    if (!arg)
        return DEFAULT_STAGES;
    char *end;
    long n = strtol(arg, &end, 10);
    if (*arg && !*end)
        return n >= 1 && n <= MAX_TEMPLATE_STAGES ? (int)n : -1;
    return 0; /* a list */
}

/* A comma-separated item of list from *p, spaces around it trimmed, in out (size n); false at
 * the end of the list. */
static bool next_item(const char **p, char *out, size_t n)
{
    if (!**p)
        return false;
    const char *s = *p, *comma = strchr(s, ',');
    const char *e = comma ? comma : s + strlen(s);
    *p = comma ? comma + 1 : e;
    while (s < e && isspace((unsigned char)*s))
        s++;
    while (e > s && isspace((unsigned char)e[-1]))
        e--;
    size_t len = (size_t)(e - s) < n - 1 ? (size_t)(e - s) : n - 1;
    memcpy(out, s, len);
    out[len] = '\0';
    return true;
}

/* A lane id of the model: letters, digits, '_' and '-'. */
static bool is_lane_id(const char *s)
{
    if (!*s)
        return false;
    for (; *s; s++)
        if (!isalnum((unsigned char)*s) && *s != '_' && *s != '-')
            return false;
    return true;
}

/* Checks --stages and --lanes before anything is loaded; prints what is wrong. */
static int check_lists(const opts *o)
{
    int n = parse_stage_count(o->stages);
    if (n < 0) {
        usage_error("--stages takes a number from 1 to 100 or names separated by commas, got '%s'",
                    o->stages);
        return EXIT_USAGE;
    }
    char item[1024], other[1024];
    int count = 0;
    for (const char *p = n == 0 ? o->stages : ""; next_item(&p, item, sizeof item);) {
        if (!*item) {
            usage_error("--stages has an empty name in '%s'", o->stages);
            return EXIT_USAGE;
        }
        if (++count > MAX_TEMPLATE_STAGES) {
            usage_error("--stages names more than %s stages", "100");
            return EXIT_USAGE;
        }
    }
    for (const char *p = o->lanes ? o->lanes : ""; next_item(&p, item, sizeof item);) {
        if (!*item) {
            usage_error("--lanes has an empty name in '%s'", o->lanes);
            return EXIT_USAGE;
        }
        for (const char *q = p; next_item(&q, other, sizeof other);)
            if (strcmp(item, other) == 0) {
                usage_error("--lanes names '%s' twice", item);
                return EXIT_USAGE;
            }
    }
    return OPTIONS_GO_ON;
}

/* The model: title, language, stages and the lanes (an id of the model, or any other name
 * for a lane of that name). */
static void write_model(FILE *f, const opts *o)
{
    bool ru = is_russian(o);
    fputs("{\"journeymap\": 1,\n \"title\": ", f);
    out_json_string(f, o->title ? o->title : ru ? "Путь клиента" : "Customer journey");
    fputs(",\n \"lang\": ", f);
    out_json_string(f, o->lang ? o->lang : "en");
    fputs(",\n \"stages\": [", f);
    int n = parse_stage_count(o->stages);
    char item[1024];
    if (n > 0) {
        for (int i = 1; i <= n; i++)
            fprintf(f, "%s\n  {\"id\": \"s%d\", \"name\": \"%s %d\"}", i > 1 ? "," : "", i,
                    ru ? "Этап" : "Stage", i);
    } else {
        int i = 0;
        for (const char *p = o->stages; next_item(&p, item, sizeof item);) {
            fprintf(f, "%s\n  {\"id\": \"s%d\", \"name\": ", i ? "," : "", i + 1);
            out_json_string(f, item);
            fputc('}', f);
            i++;
        }
    }
    fputs("]", f);
    if (o->lanes) {
        fputs(",\n \"lanes\": [", f);
        int i = 0;
        for (const char *p = o->lanes; next_item(&p, item, sizeof item); i++) {
            fputs(i ? ",\n  " : "\n  ", f);
            if (is_lane_id(item)) {
                out_json_string(f, item);
            } else {
                fprintf(f, "{\"id\": \"lane%d\", \"name\": ", i + 1);
                out_json_string(f, item);
                fputc('}', f);
            }
        }
        fputs("]", f);
    }
    fputs("}\n", f);
}

int cmd_template(jm_context *ctx, const opts *o)
{
    int rc = check_lists(o);
    if (rc != OPTIONS_GO_ON)
        return rc;
    report_buf model;
    if (!report_open(&model)) {
        fputs("journeymap: error: out of memory\n", stderr);
        return EXIT_FAILED;
    }
    write_model(model.f, o);
    bool failed = ferror(model.f) || fclose(model.f) != 0 || !model.data;
    if (failed) {
        free(model.data);
        fputs("journeymap: error: out of memory\n", stderr);
        return EXIT_FAILED;
    }
    jm_diags *d = jm_diags_new();
    jm_load_options lo = {JM_INPUT_JSON, NULL};
    jm_map *m = jm_map_load_buffer(ctx, "template", model.data, model.len, &lo, d);
    free(model.data);
    rc = EXIT_FAILED;
    if (m) {
        jm_render_options ro = o->render;
        ro.format = (jm_format)(o->format >= 0 ? o->format : JM_FORMAT_PNG);
        ro.blank = 1;
        unsigned char *data;
        size_t len;
        if (jm_render_to_buffer(ctx, m, &ro, &data, &len, d) == 0) {
            print_diags(d);
            if (strcmp(o->out, "-") == 0)
                rc = write_stdout(data, len) == 0 ? EXIT_OK : EXIT_FAILED;
            else
                rc = write_output(o->out, data, len, "template", OUTPUT_DURABLE) == 0 ? EXIT_OK
                                                                                      : EXIT_FAILED;
            jm_free(data);
        }
    }
    print_diags(d);
    jm_map_free(m);
    jm_diags_free(d);
    return rc;
}
