/* journeymap lint INPUT...: each map checked against the rules (libjourneymap's jm_lint_map),
 * the findings as text lines, JSON or SARIF 2.1.0 on standard output. Exit status: 0 no
 * error-level finding, 1 some, 2 trouble (an input that does not load, bad usage). */
#include "lint.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "messages.h"
#include "output_names.h"
#include "text_out.h"

/* The command line's --rule settings, or NULL (why printed). */
static jm_lint_settings *settings_from(const opts *o)
{
    jm_lint_settings *s = jm_lint_settings_new();
    jm_diags *d = jm_diags_new();
    bool ok = s && d;
    for (size_t i = 0; ok && i < o->n_rules; i++)
        ok = jm_lint_settings_set(s, o->rules[i], d) == 0;
    for (size_t i = 0; i < jm_diags_count(d); i++)
        fprintf(stderr, "journeymap: %s\n", jm_diags_get(d, i)->message);
    if (!s || !d)
        fputs("journeymap: error: out of memory\n", stderr);
    jm_diags_free(d);
    if (!ok) {
        jm_lint_settings_free(s);
        return NULL;
    }
    return s;
}

int lint_list_rules(const opts *o)
{
    jm_lint_settings *s = settings_from(o);
    if (!s)
        return EXIT_USAGE;
    jm_lint_settings_free(s);
    size_t n;
    const jm_lint_rule *r = jm_lint_rules(&n);
    for (size_t i = 0; i < n; i++) {
        printf("%-27s %-8s %s", r[i].id, jm_lint_level_name(r[i].level), r[i].summary);
        if (r[i].param)
            printf(" (%s.%s=%g)", r[i].id, r[i].param, r[i].param_default);
        putchar('\n');
    }
    return EXIT_OK;
}

int lint_check(opts *o, size_t n)
{
    if (o->list_rules)
        return lint_list_rules(o);
    if (o->dir) {
        usage_error("%s", "lint: -d is not an option of lint (-o draws one map with its findings)");
        return EXIT_USAGE;
    }
    if (!o->out)
        return OPTIONS_GO_ON;
    if (strcmp(o->out, "-") == 0) {
        usage_error("%s", "lint -o: name a file (standard output has the report)");
        return EXIT_USAGE;
    }
    if (n > 1) {
        usage_error("%s", "lint -o draws one map: give one INPUT");
        return EXIT_USAGE;
    }
    /* -f is the report's format here: the drawing's comes from the file name */
    o->format = jm_format_from_path(o->out);
    if (o->format < 0 || o->format == JM_FORMAT_JSON) {
        usage_error("lint -o: cannot tell the format of '%s' (a map with its findings is .png, "
                    ".svg, .pdf or .html)",
                    o->out);
        return EXIT_USAGE;
    }
    if (o->render.pages != 0) {
        /* pages cut the grid, and the list under it would be on none of them */
        usage_error("%s", "lint -o: --pages is not for a map with its findings (one page, or "
                          "--poster)");
        return EXIT_USAGE;
    }
    return options_check_render(o, n);
}

/* ---- Text and JSON -------------------------------------------------------------------------- */

static void print_text(FILE *f, const jm_finding *g)
{
    out_position(f, g->file, g->line, g->column);
    fprintf(f, ": %s: ", jm_lint_level_name(g->level));
    if (g->path && *g->path) {
        out_text(f, g->path);
        fputs(": ", f);
    }
    out_text(f, g->message);
    fprintf(f, " [%s]\n", g->rule);
}

static void print_json(FILE *f, jm_findings **lists, size_t n)
{
    size_t count[4] = {0}, k = 0;
    fputs("{\n  \"findings\": [", f);
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < jm_findings_count(lists[i]); j++) {
            const jm_finding *g = jm_findings_get(lists[i], j);
            count[g->level & 3]++;
            fputs(k++ ? ",\n    {\"file\": " : "\n    {\"file\": ", f);
            out_json_string(f, g->file);
            fprintf(f, ", \"line\": %d, \"column\": %d, \"path\": ", g->line, g->column);
            out_json_string(f, g->path);
            fprintf(f, ", \"rule\": \"%s\", \"level\": \"%s\",\n     \"message\": ", g->rule,
                    jm_lint_level_name(g->level));
            out_json_string(f, g->message);
            fputs("}", f);
        }
    fputs(k ? "\n  ],\n" : "],\n", f);
    fprintf(f, "  \"summary\": {\"error\": %zu, \"warning\": %zu, \"note\": %zu}\n}\n",
            count[JM_LINT_ERROR], count[JM_LINT_WARNING], count[JM_LINT_NOTE]);
}

/* ---- SARIF 2.1.0 ---------------------------------------------------------------------------- */

/* A file name as a relative URI reference: every byte but unreserved ones and '/' escaped. */
static void out_uri(FILE *f, const char *s)
{
    fputc('"', f);
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
            strchr("-._~/", c))
            fputc(c, f);
        else
            fprintf(f, "%%%02X", c);
    }
    fputc('"', f);
}

static const char *sarif_level(jm_lint_level l)
{
    return l == JM_LINT_ERROR     ? "error"
           : l == JM_LINT_WARNING ? "warning"
           : l == JM_LINT_NOTE    ? "note"
                                  : "none";
}

static void print_sarif_rules(FILE *f)
{
    size_t n;
    const jm_lint_rule *r = jm_lint_rules(&n);
    for (size_t i = 0; i < n; i++) {
        fprintf(f,
                "%s            {\"id\": \"%s\", \"shortDescription\": {\"text\": ", i ? ",\n" : "",
                r[i].id);
        out_json_string(f, r[i].summary);
        fputs("},\n             \"defaultConfiguration\": ", f);
        if (r[i].level == JM_LINT_OFF)
            fputs("{\"enabled\": false}", f);
        else
            fprintf(f, "{\"level\": \"%s\"}", sarif_level(r[i].level));
        if (r[i].param) {
            fprintf(f, ",\n             \"properties\": {\"%s\": ", r[i].param);
            out_json_number(f, r[i].param_default);
            fputs("}", f);
        }
        fputs("}", f);
    }
}

static int rule_index(const char *id)
{
    size_t n;
    const jm_lint_rule *r = jm_lint_rules(&n);
    for (size_t i = 0; i < n; i++)
        if (strcmp(r[i].id, id) == 0)
            return (int)i;
    return -1;
}

static void print_sarif(FILE *f, jm_findings **lists, size_t n)
{
    fputs("{\n  \"$schema\": \"https://json.schemastore.org/sarif-2.1.0.json\",\n"
          "  \"version\": \"2.1.0\",\n  \"runs\": [\n    {\n"
          "      \"tool\": {\n        \"driver\": {\n          \"name\": \"journeymap\",\n",
          f);
    fprintf(f, "          \"version\": \"%s\",\n          \"rules\": [\n", jm_version());
    print_sarif_rules(f);
    fputs("\n          ]\n        }\n      },\n", f);
    /* our columns count characters, not UTF-16 code units (SARIF's default) */
    fputs("      \"columnKind\": \"unicodeCodePoints\",\n      \"results\": [", f);
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < jm_findings_count(lists[i]); j++) {
            const jm_finding *g = jm_findings_get(lists[i], j);
            fprintf(f, "%s        {\"ruleId\": \"%s\", \"ruleIndex\": %d, \"level\": \"%s\",\n",
                    k++ ? ",\n" : "\n", g->rule, rule_index(g->rule), sarif_level(g->level));
            fputs("         \"message\": {\"text\": ", f);
            out_json_string(f, g->message);
            fputs("},\n         \"locations\": [{\"physicalLocation\": {\"artifactLocation\": "
                  "{\"uri\": ",
                  f);
            out_uri(f, g->file);
            fputs("}", f);
            if (g->line > 0) {
                fprintf(f, ", \"region\": {\"startLine\": %d", g->line);
                if (g->column > 0)
                    fprintf(f, ", \"startColumn\": %d", g->column);
                fputs("}", f);
            }
            fputs("}", f);
            if (g->path && *g->path) {
                fputs(", \"logicalLocations\": [{\"fullyQualifiedName\": ", f);
                out_json_string(f, g->path);
                fputs(", \"kind\": \"object\"}]", f);
            }
            fputs("}]}", f);
        }
    fputs(k ? "\n      ]\n    }\n  ]\n}\n" : "]\n    }\n  ]\n}\n", f);
}

/* ---- The command ---------------------------------------------------------------------------- */

/* -o: the map drawn with its findings marked; 0, or -1 with why printed. */
static int draw_findings(jm_context *ctx, const opts *o, const jm_map *m, const jm_findings *f,
                         jm_diags *d)
{
    jm_render_options ro = o->render;
    ro.format = (jm_format)o->format;
    ro.findings = f;
    int rc = jm_render_to_file(ctx, m, &ro, o->out, d);
    print_diags(d);
    return rc;
}

int cmd_lint(jm_context *ctx, const opts *o, char **inputs, size_t n)
{
    jm_lint_settings *s = settings_from(o);
    if (!s)
        return EXIT_USAGE;
    jm_findings **lists = calloc(n ? n : 1, sizeof *lists);
    if (o->out && n == 1 && same_file(o->out, inputs[0])) {
        fprintf(stderr, "%s: error: the drawing would overwrite the input; choose another -o\n",
                o->out);
        free(lists);
        jm_lint_settings_free(s);
        return EXIT_USAGE;
    }
    jm_diags *d = jm_diags_new();
    int rc = lists && d ? EXIT_OK : EXIT_USAGE;
    bool trouble = rc != EXIT_OK;
    for (size_t i = 0; lists && d && i < n; i++) {
        jm_map *m = load_input(ctx, o, inputs[i], d, false);
        print_diags(d);
        if (!m) {
            trouble = true; /* the others are still checked */
            continue;
        }
        lists[i] = jm_lint_map(m, s);
        if (!lists[i]) {
            fputs("journeymap: error: out of memory\n", stderr);
            trouble = true;
        }
        for (size_t j = 0; j < jm_findings_count(lists[i]); j++)
            if (jm_findings_get(lists[i], j)->level == JM_LINT_ERROR)
                rc = EXIT_FAILED;
        if (o->out && lists[i] && draw_findings(ctx, o, m, lists[i], d) != 0)
            trouble = true;
        jm_map_free(m);
    }
    if (lists && !o->quiet) {
        report_buf r;
        FILE *f = report_open(&r);
        if (!f) {
            fputs("journeymap: error: out of memory\n", stderr);
            trouble = true;
        } else {
            if (o->lint_format == LINT_JSON)
                print_json(f, lists, n);
            else if (o->lint_format == LINT_SARIF)
                print_sarif(f, lists, n);
            else
                for (size_t i = 0; i < n; i++)
                    for (size_t j = 0; j < jm_findings_count(lists[i]); j++)
                        print_text(f, jm_findings_get(lists[i], j));
            if (report_write(&r, NULL) != 0)
                trouble = true;
        }
    }
    for (size_t i = 0; lists && i < n; i++)
        jm_findings_free(lists[i]);
    free(lists);
    jm_diags_free(d);
    jm_lint_settings_free(s);
    return trouble ? EXIT_USAGE : rc;
}
