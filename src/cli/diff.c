/* journeymap diff OLD NEW: what changed between two versions of a journey, as text lines or
 * JSON on standard output; exit status as diff(1): 0 same, 1 different, 2 trouble. */
#include "diff.h"

#include <stdio.h>
#include <string.h>

#include "commands.h"
#include "messages.h"
#include "output_names.h"
#include "text_out.h"

int diff_check(opts *o, size_t n)
{
    if (n != 2) {
        usage_error("%s", "diff takes two inputs: OLD NEW");
        return EXIT_USAGE;
    }
    if (o->dir) {
        usage_error("%s", "diff: -d is not an option of diff (-o draws a change map)");
        return EXIT_USAGE;
    }
    if (o->out && strcmp(o->out, "-") == 0) {
        usage_error("%s", "diff -o: name a file (standard output has the report)");
        return EXIT_USAGE;
    }
    if (o->out) {
        int rc = options_check_render(o, 1);
        if (rc != OPTIONS_GO_ON)
            return rc;
        if (o->format == JM_FORMAT_JSON) {
            usage_error("%s", "diff -o: a change map is png, svg, pdf or html");
            return EXIT_USAGE;
        }
    }
    return OPTIONS_GO_ON;
}

static void print_change_text(FILE *f, const jm_diff *diff, const jm_change *c)
{
    bool removed = c->kind == JM_CHANGE_REMOVED;
    const jm_place *p = removed ? &c->old_place : &c->new_place;
    out_position(f, removed ? jm_diff_old_file(diff) : jm_diff_new_file(diff), p->line, p->column);
    fputs(": ", f);
    out_text(f, c->message);
    if (c->kind != JM_CHANGE_ADDED && !removed && c->old_place.line > 0) {
        fputs(" (", f);
        out_position(f, jm_diff_old_file(diff), c->old_place.line, c->old_place.column);
        fputs(")", f);
    }
    fputc('\n', f);
}

static void print_place_json(FILE *f, const char *file, const jm_place *p, bool present)
{
    if (!present) {
        fputs("null", f);
        return;
    }
    fputs("{\"file\": ", f);
    out_json_string(f, file);
    fprintf(f, ", \"line\": %d, \"column\": %d, \"path\": ", p->line, p->column);
    out_json_string(f, p->path);
    fputs("}", f);
}

static void print_change_json(FILE *f, const jm_diff *diff, const jm_change *c)
{
    fprintf(f, "    {\"change\": \"%s\", \"object\": ", jm_change_kind_name(c->kind));
    out_json_string(f, c->object);
    fputs(", \"key\": ", f);
    out_json_string(f, c->key);
    fputs(", \"name\": ", f);
    out_json_string(f, c->name);
    if (c->field) {
        fputs(", \"field\": ", f);
        out_json_string(f, c->field);
    }
    if (c->detail) {
        fputs(strncmp(c->field ? c->field : "", "emotion", 7) == 0 ||
                      strstr(c->field ? c->field : "", ".emotion")
                  ? ", \"persona\": "
                  : ", \"metric\": ",
              f);
        out_json_string(f, c->detail);
    }
    if (c->has_numbers) {
        fputs(", \"old\": ", f);
        out_json_number(f, c->old_number);
        fputs(", \"new\": ", f);
        out_json_number(f, c->new_number);
    } else if (c->old_value || c->new_value) {
        fputs(", \"old\": ", f);
        out_json_string(f, c->old_value);
        fputs(", \"new\": ", f);
        out_json_string(f, c->new_value);
    }
    if (c->direction)
        fprintf(f, ", \"direction\": \"%s\"", c->direction > 0 ? "better" : "worse");
    fputs(",\n     \"old_position\": ", f);
    print_place_json(f, jm_diff_old_file(diff), &c->old_place, c->kind != JM_CHANGE_ADDED);
    fputs(", \"new_position\": ", f);
    print_place_json(f, jm_diff_new_file(diff), &c->new_place, c->kind != JM_CHANGE_REMOVED);
    fputs(",\n     \"message\": ", f);
    out_json_string(f, c->message);
    fputs("}", f);
}

static void print_json(FILE *f, const jm_diff *diff)
{
    size_t count[5] = {0};
    fputs("{\n  \"old\": ", f);
    out_json_string(f, jm_diff_old_file(diff));
    fputs(",\n  \"new\": ", f);
    out_json_string(f, jm_diff_new_file(diff));
    fputs(",\n  \"changes\": [", f);
    for (size_t i = 0; i < jm_diff_count(diff); i++) {
        const jm_change *c = jm_diff_get(diff, i);
        count[c->kind]++;
        fputs(i ? ",\n" : "\n", f);
        print_change_json(f, diff, c);
    }
    fputs(jm_diff_count(diff) ? "\n  ],\n" : "],\n", f);
    fputs("  \"summary\": {", f);
    for (int k = 0; k < 5; k++)
        fprintf(f, "%s\"%s\": %zu", k ? ", " : "", jm_change_kind_name((jm_change_kind)k),
                count[k]);
    fputs("}\n}\n", f);
}

/* -o: the change map, drawn; 0, or -1 with why printed. */
static int draw_change_map(jm_context *ctx, const opts *o, const jm_diff *diff, const jm_map *om,
                           const jm_map *nm, jm_diags *dg)
{
    jm_map *cm = jm_diff_change_map(diff, om, nm, dg);
    jm_render_options ro = o->render;
    ro.format = (jm_format)o->format;
    int rc = cm ? jm_render_to_file(ctx, cm, &ro, o->out, dg) : -1;
    print_diags(dg);
    jm_map_free(cm);
    return rc;
}

int cmd_diff(jm_context *ctx, const opts *o, char **inputs)
{
    if (o->out && (same_file(o->out, inputs[0]) || same_file(o->out, inputs[1]))) {
        fprintf(stderr, "%s: error: the change map would overwrite an input; choose another -o\n",
                o->out);
        return EXIT_USAGE;
    }
    jm_diags *dg = jm_diags_new();
    if (!dg)
        return EXIT_USAGE;
    jm_map *om = load_input(ctx, o, inputs[0], dg, false);
    print_diags(dg);
    jm_map *nm = load_input(ctx, o, inputs[1], dg, false);
    print_diags(dg);
    int rc = EXIT_USAGE; /* trouble */
    jm_diff *diff = om && nm ? jm_diff_new(om, nm) : NULL;
    if (om && nm && !diff)
        fprintf(stderr, "journeymap: error: out of memory\n");
    if (diff) {
        rc = jm_diff_count(diff) ? EXIT_FAILED : EXIT_OK; /* 1: different */
        if (o->out && draw_change_map(ctx, o, diff, om, nm, dg) != 0)
            rc = EXIT_USAGE;
        report_buf r;
        FILE *f = o->quiet ? NULL : report_open(&r);
        if (f) {
            if (o->json)
                print_json(f, diff);
            else
                for (size_t i = 0; i < jm_diff_count(diff); i++)
                    print_change_text(f, diff, jm_diff_get(diff, i));
            if (report_write(&r, NULL) != 0)
                rc = EXIT_USAGE;
        } else if (!o->quiet) {
            fprintf(stderr, "journeymap: error: out of memory\n");
            rc = EXIT_USAGE;
        }
    }
    jm_diff_free(diff);
    jm_map_free(om);
    jm_map_free(nm);
    jm_diags_free(dg);
    return rc;
}
