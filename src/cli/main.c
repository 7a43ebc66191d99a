/* journeymap: the command line, a thin client of libjourneymap (include/journeymap.h only).
 *
 * main() reads the command and its options, sets the process up, and runs the command:
 * options.c (parsing), commands.c (validate, convert), batch.c (render), watch.c (watch),
 * template.c (template),
 * diff.c and lint.c (diff, lint), output_names.c and
 * output_write.c (the output files), messages.c and progress.c (standard error), signals.c. */
#include <fontconfig/fontconfig.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "batch.h"
#include "commands.h"
#include "diff.h"
#include "journeymap.h"
#include "lint.h"
#include "messages.h"
#include "options.h"
#include "output_names.h"
#include "signals.h"
#include "template.h"
#include "watch.h"

/* glibc hands memory back to the kernel as soon as a map's buffers are freed (heap trimmed,
 * blocks over 128 KB unmapped), and the next map of a batch takes page faults to get it
 * again: a third of a batch's system time. Keeping a few MB serves map after map. */
static void keep_freed_memory(void)
{
#ifdef __GLIBC__
    mallopt(M_MMAP_THRESHOLD, 4 << 20);
    mallopt(M_TRIM_THRESHOLD, 64 << 20);
    mallopt(M_TOP_PAD, 4 << 20);
#endif
}

/* This program draws with the library's fonts only, so fontconfig's configuration of the
 * process is an empty one. Otherwise Pango 1.50 has the first font map load the system's
 * (conf.d files, the caches of every installed font: 25 M instructions, a third of rendering
 * a small map) on its FcInit thread, and every font lookup waits for it. */
static void use_no_system_fonts(void)
{
    FcConfig *none = FcConfigCreate();
    if (none) {
        FcConfigSetCurrent(none);
        FcConfigDestroy(none); /* fontconfig holds it now */
    }
}

/* The calls without a command: --help, --version, nothing, or an unknown command. Returns the
 * exit status, or OPTIONS_GO_ON for a command. */
static int answer_without_command(int argc, char **argv)
{
    if (argc < 2) {
        fputs(usage_text, stderr);
        return EXIT_USAGE;
    }
    const char *cmd = argv[1];
    if (strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0 || strcmp(cmd, "help") == 0) {
        fputs(usage_text, stdout);
        return EXIT_OK;
    }
    if (strcmp(cmd, "--version") == 0 || strcmp(cmd, "-V") == 0) {
        printf("journeymap %s\n", jm_version());
        return EXIT_OK;
    }
    static const char *const commands[] = {"render", "validate", "convert", "watch",
                                           "diff",   "lint",     "template"};
    bool known = false;
    for (size_t i = 0; i < sizeof commands / sizeof *commands; i++)
        known |= strcmp(cmd, commands[i]) == 0;
    if (!known) {
        usage_error("unknown command '%s'", cmd);
        return EXIT_USAGE;
    }
    return OPTIONS_GO_ON;
}

/* The library's context (fonts), with the process set up for it; NULL when it cannot be made
 * (why is printed). */
static jm_context *open_context(const opts *o)
{
    install_signal_handlers();
    messages_show_context(isatty(STDERR_FILENO));
    use_no_system_fonts();
    jm_diags *d = jm_diags_new();
    jm_context *ctx = jm_context_new(NULL, d);
    for (size_t i = 0; ctx && i < o->n_font_dirs; i++)
        if (jm_context_add_font_dir(ctx, o->font_dirs[i], d) < 0) {
            jm_context_free(ctx);
            ctx = NULL;
        }
    print_diags(d);
    jm_diags_free(d);
    return ctx;
}

static int run_command(const char *cmd, jm_context *ctx, const opts *o, char **inputs, size_t n)
{
    if (strcmp(cmd, "render") == 0 || strcmp(cmd, "watch") == 0)
        remove_stale_temps(o, inputs, n, o->format >= 0 ? o->format : JM_FORMAT_PNG);
    else if (strcmp(cmd, "convert") == 0 && o->out)
        remove_stale_temps(o, inputs, 1, JM_FORMAT_JSON); /* with o->out, the output is o->out */
    if (strcmp(cmd, "validate") == 0)
        return cmd_validate(ctx, o, inputs, n);
    if (strcmp(cmd, "convert") == 0)
        return cmd_convert(ctx, o, inputs, n);
    if (strcmp(cmd, "watch") == 0)
        return cmd_watch(ctx, o, inputs, n);
    if (strcmp(cmd, "diff") == 0)
        return cmd_diff(ctx, o, inputs);
    if (strcmp(cmd, "lint") == 0)
        return cmd_lint(ctx, o, inputs, n);
    if (strcmp(cmd, "template") == 0)
        return cmd_template(ctx, o);
    return render_batch(ctx, o, inputs, n);
}

int main(int argc, char **argv)
{
    keep_freed_memory();
    int rc = answer_without_command(argc, argv);
    if (rc != OPTIONS_GO_ON)
        return rc;
    const char *cmd = argv[1];
    opts o;
    char **inputs;
    size_t n;
    rc = options_parse(argc, argv, &o, &inputs, &n);
    bool draws = strcmp(cmd, "render") == 0 || strcmp(cmd, "watch") == 0;
    if (rc == OPTIONS_GO_ON && strcmp(cmd, "watch") == 0)
        rc = options_check_watch(&o, inputs, n);
    if (rc == OPTIONS_GO_ON && draws)
        rc = options_check_render(&o, n);
    if (rc == OPTIONS_GO_ON && strcmp(cmd, "template") == 0)
        rc = options_check_template(&o, inputs, n);
    if (rc == OPTIONS_GO_ON && strcmp(cmd, "diff") == 0)
        rc = diff_check(&o, n);
    if (rc == OPTIONS_GO_ON && strcmp(cmd, "lint") == 0)
        rc = lint_check(&o, n);
    if (rc == OPTIONS_GO_ON && draws && n > 1 &&
        find_output_collisions(&o, inputs, n, o.format >= 0 ? o.format : JM_FORMAT_PNG))
        rc = EXIT_USAGE;
    jm_context *ctx = rc == OPTIONS_GO_ON ? open_context(&o) : NULL;
    /* diff and lint say trouble with 2: 1 is their answer (different, an error found) */
    bool answers = strcmp(cmd, "diff") == 0 || strcmp(cmd, "lint") == 0;
    if (rc == OPTIONS_GO_ON)
        rc = ctx ? run_command(cmd, ctx, &o, inputs, n) : answers ? EXIT_USAGE : EXIT_FAILED;
    jm_context_free(ctx);
    options_free(&o);
    return rc;
}
