/* The command line's options: parsing them into an opts, and the checks that need them all. */
#include "options.h"

#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

const char usage_text[] =
    "Usage:\n"
    "  journeymap render [options] INPUT...     draw maps\n"
    "  journeymap validate [options] INPUT...   check inputs, print every problem, draw nothing\n"
    "  journeymap convert INPUT [-o OUT.json]   any input -> JSON model\n"
    "  journeymap watch [options] INPUT...      render, then again at every change of an\n"
    "                                           input, its theme file or photos (Ctrl-C stops)\n"
    "  journeymap template [options] -o OUT     a blank canvas for a workshop's sticky notes\n"
    "  journeymap diff [options] OLD NEW         what changed between two versions\n"
    "  journeymap lint [options] INPUT...       check maps against journey-mapping rules\n"
    "  journeymap --help | --version\n"
    "\n"
    "INPUT is a JSON model (.json), a Mermaid journey (.mmd, or .md with a ```mermaid block),\n"
    "a CSV export (.csv, .tsv), or - for standard input (see --from).\n"
    "\n"
    "Render (and watch) options:\n"
    "  -o FILE             output file (one input); format from its extension; - is stdout\n"
    "  -d DIR              output folder (many inputs): DIR/<name>.<ext>\n"
    "  -f, --format FMT    png, svg, pdf, html (a page with zoom and card details) or json\n"
    "                      (layout geometry)\n"
    "      --state STATE   before, after or compare (default: compare when the map has states)\n"
    "      --layout LAYOUT detail (a column a touchpoint), overview (a column a stage) or\n"
    "                      auto (default: overview for dense maps, see journeymap(1))\n"
    "      --theme THEME   default, workshop, print, or a theme .json file\n"
    "      --font-dir DIR  add the fonts of DIR (or one font file) for the themes' families;\n"
    "                      repeatable\n"
    "      --scale N       PNG pixels per point (default 2, or less to fit the PNG limits)\n"
    "      --page PAGE     PDF page: auto, a4, a3, a2, a1, a0, letter, tabloid (landscape, fit)\n"
    "      --pages N|auto  PDF on at most N pages (auto: text of 7 pt or more), split at stages;\n"
    "                      every page repeats the title, stage headers and lane labels\n"
    "      --poster SIZE   PDF poster of SIZE (a2, a1, a0 …) tiled over --page sheets (default\n"
    "                      a4) with overlap, cut marks and sheet names for taping up\n"
    "      --svg-id-prefix P  SVG: start every id with P (default: jm + a hash of the map)\n"
    "      --footer TEXT   a line under the map, in place of the model's footer (\"\": none)\n"
    "      --blank         a blank canvas for sticky notes: the map's title, stages and lanes,\n"
    "                      each lane with its question, over empty cells sized for 76 mm notes\n"
    "                      on the poster or page (default A1)\n"
    "  -j, --jobs N        parallel jobs (default: number of cores)\n"
    "  -q, --quiet         no progress bar or summary\n"
    "      --from KIND     kind of standard input: json (default), mermaid, csv\n"
    "      --title TEXT    title for CSV and Mermaid inputs without one\n"
    "\n"
    "Template options (and render's -o, -f, --theme, --page, --pages, --poster, --footer):\n"
    "      --stages N|LIST N numbered stages (default 5), or names separated by commas\n"
    "      --lanes LIST    lane ids (actions, touchpoints, emotions, ...; see journeymap(5)) or\n"
    "                      names of lanes of your own, separated by commas (default: actions,\n"
    "                      touchpoints, thoughts, emotions, pains, opportunities)\n"
    "      --lang LANG     the language of the labels and questions: en (default) or ru\n"
    "      --title TEXT    the canvas's title (default \"Customer journey\")\n"
    "\n"
    "Data options (render, validate, convert):\n"
    "      --data FILE     survey/analytics CSV or TSV joined to every map: the mean per\n"
    "                      touchpoint becomes its emotion, drawn with its quartiles and n;\n"
    "                      numeric columns become metrics (repeatable; see journeymap(1))\n"
    "      --data-scale S  the scale of a score column: A..B (e.g. 1..5, 0..10) or nps\n"
    "      --data-min-n N  points from fewer than N responses are greyed (default 5)\n"
    "      --data-date D   the date stamped in the legend (default: the data's date column)\n"
    "\n"
    "Diff options:\n"
    "      --json          the changes as JSON (default: one line per change)\n"
    "  -o FILE             also draw the change map (png, svg, pdf, html; or -f)\n"
    "  -q, --quiet         print nothing; the exit status says it all\n"
    "  Exit status: 0 the same, 1 different, 2 trouble (bad input, usage).\n"
    "\n"
    "Lint options:\n"
    "  -f, --format FMT    text (default), json or sarif (SARIF 2.1.0)\n"
    "      --rule ID=LEVEL set a rule to off, note, warning or error (ID all: every rule);\n"
    "                      --rule ID.PARAM=N sets a rule's parameter (repeatable)\n"
    "      --list-rules    the rules, their levels and what each checks\n"
    "  -o FILE             also draw the map with its findings marked (png, svg, pdf, html)\n"
    "  Exit status: 0 no error-level finding, 1 some, 2 trouble (bad input, usage).\n"
    "\n"
    "Exit status: 0 all rendered, 1 some input invalid or failed (the rest are rendered),\n"
    "2 bad usage (also: two inputs that would write the same output; nothing is rendered).\n";

void usage_error(const char *fmt, const char *arg)
{
    fprintf(stderr, "journeymap: ");
    fprintf(stderr, fmt, arg);
    fprintf(stderr, "\nTry 'journeymap --help'.\n");
}

/* The library's format names joined by sep ("png, svg, …"), in a static buffer. */
static const char *format_list(const char *sep)
{
    static char list[128];
    size_t len = 0;
    list[0] = '\0';
    for (int f = 0; jm_format_name(f) && len < sizeof list; f++)
        len += (size_t)snprintf(list + len, sizeof list - len, "%s%s", f ? sep : "",
                                jm_format_name(f));
    return list;
}

static bool parse_enum(const char *arg, const char *const *names, int n, int *out)
{
    for (int i = 0; i < n; i++)
        if (strcasecmp(arg, names[i]) == 0) {
            *out = i;
            return true;
        }
    return false;
}

enum {
    OPT_STATE = 256,
    OPT_THEME,
    OPT_SCALE,
    OPT_PAGE,
    OPT_PAGES,
    OPT_POSTER,
    OPT_FROM,
    OPT_TITLE,
    OPT_SVG_ID_PREFIX,
    OPT_LAYOUT,
    OPT_FONT_DIR,
    OPT_DATA,
    OPT_DATA_SCALE,
    OPT_DATA_MIN_N,
    OPT_DATA_DATE,
    OPT_FOOTER,
    OPT_BLANK,
    OPT_STAGES,
    OPT_LANES,
    OPT_LANG,
    OPT_JSON,
    OPT_RULE,
    OPT_LIST_RULES
};
static const struct option long_opts[] = {
    {"output", required_argument, NULL, 'o'},
    {"dir", required_argument, NULL, 'd'},
    {"format", required_argument, NULL, 'f'},
    {"state", required_argument, NULL, OPT_STATE},
    {"layout", required_argument, NULL, OPT_LAYOUT},
    {"theme", required_argument, NULL, OPT_THEME},
    {"font-dir", required_argument, NULL, OPT_FONT_DIR},
    {"scale", required_argument, NULL, OPT_SCALE},
    {"page", required_argument, NULL, OPT_PAGE},
    {"pages", required_argument, NULL, OPT_PAGES},
    {"poster", required_argument, NULL, OPT_POSTER},
    {"svg-id-prefix", required_argument, NULL, OPT_SVG_ID_PREFIX},
    {"footer", required_argument, NULL, OPT_FOOTER},
    {"blank", no_argument, NULL, OPT_BLANK},
    {"stages", required_argument, NULL, OPT_STAGES},
    {"lanes", required_argument, NULL, OPT_LANES},
    {"lang", required_argument, NULL, OPT_LANG},
    {"jobs", required_argument, NULL, 'j'},
    {"quiet", no_argument, NULL, 'q'},
    {"from", required_argument, NULL, OPT_FROM},
    {"title", required_argument, NULL, OPT_TITLE},
    {"data", required_argument, NULL, OPT_DATA},
    {"data-scale", required_argument, NULL, OPT_DATA_SCALE},
    {"data-min-n", required_argument, NULL, OPT_DATA_MIN_N},
    {"data-date", required_argument, NULL, OPT_DATA_DATE},
    {"json", no_argument, NULL, OPT_JSON},
    {"rule", required_argument, NULL, OPT_RULE},
    {"list-rules", no_argument, NULL, OPT_LIST_RULES},
    {"help", no_argument, NULL, 'h'},
    {NULL, 0, NULL, 0}};
/* In the order of jm_state, jm_layout_kind, jm_page and jm_input_kind (the formats are the
 * library's: jm_format_name). */
static const char *const states[] = {"auto", "before", "after", "compare"};
static const char *const layouts[] = {"auto", "detail", "overview"};
static const char *const pages[] = {"auto", "a4", "a3", "a2", "letter", "tabloid", "a1", "a0"};
static const char *const kinds[] = {"auto", "json", "mermaid", "csv"};
static const char *const lint_formats[] = {"text", "json", "sarif"};

static bool is_command(const opts *o, const char *name) { return strcmp(o->command, name) == 0; }

/* --data-scale: "nps", or "A..B" with A < B. */
static int parse_data_scale(const char *arg, jm_data_options *d)
{
    if (strcasecmp(arg, "nps") == 0) {
        d->score_kind = JM_SCORE_NPS;
        return OPTIONS_GO_ON;
    }
    const char *sep = strstr(arg, "..");
    char left[64], *end;
    if (sep && sep > arg && (size_t)(sep - arg) < sizeof left) {
        memcpy(left, arg, (size_t)(sep - arg));
        left[sep - arg] = '\0';
        double a = strtod(left, &end);
        bool a_ok = !*end;
        double b = strtod(sep + 2, &end);
        if (a_ok && end != sep + 2 && !*end && a < b && isfinite(a) && isfinite(b)) {
            d->score_kind = JM_SCORE_RANGE;
            d->score_min = a;
            d->score_max = b;
            return OPTIONS_GO_ON;
        }
    }
    usage_error("--data-scale takes A..B with A below B (1..5, 0..10) or nps, got '%s'", arg);
    return EXIT_USAGE;
}

/* Applies option c (as getopt_long returned it, its argument in optarg) to o; returns
 * OPTIONS_GO_ON, or the exit status when the program should stop. Long: one flat case per
 * option, most of them a line or an enum lookup; split, they would only be harder to scan. */
static int apply_option(int c, opts *o)
{
    int v;
    switch (c) {
    case 'o': o->out = optarg; break;
    case 'd': o->dir = optarg; break;
    case 'f':
        if (is_command(o, "lint")) {
            if (!parse_enum(optarg, lint_formats, 3, &o->lint_format)) {
                usage_error("unknown lint format '%s' (text, json, sarif)", optarg);
                return EXIT_USAGE;
            }
        } else if ((o->format = jm_format_from_name(optarg)) < 0) {
            char msg[160];
            snprintf(msg, sizeof msg, "unknown format '%%s' (%s)", format_list(", "));
            usage_error(msg, optarg);
            return EXIT_USAGE;
        }
        break;
    case OPT_STATE:
        if (!parse_enum(optarg, states, 4, &v)) {
            usage_error("unknown state '%s' (before, after, compare)", optarg);
            return EXIT_USAGE;
        }
        o->render.state = (jm_state)v;
        break;
    case OPT_LAYOUT:
        if (!parse_enum(optarg, layouts, 3, &v)) {
            usage_error("unknown layout '%s' (auto, detail, overview)", optarg);
            return EXIT_USAGE;
        }
        o->render.layout = (jm_layout_kind)v;
        break;
    case OPT_THEME: o->render.theme = optarg; break;
    case OPT_FONT_DIR:
        if (o->n_font_dirs == sizeof o->font_dirs / sizeof o->font_dirs[0]) {
            usage_error("--font-dir given more than %s times", "16");
            return EXIT_USAGE;
        }
        o->font_dirs[o->n_font_dirs++] = optarg;
        break;
    case OPT_SVG_ID_PREFIX: o->render.svg_id_prefix = optarg; break;
    case OPT_FOOTER: o->render.footer = optarg; break;
    case OPT_BLANK: o->render.blank = 1; break;
    case OPT_STAGES: o->stages = optarg; break;
    case OPT_LANES: o->lanes = optarg; break;
    case OPT_LANG:
        if (strcasecmp(optarg, "en") != 0 && strcasecmp(optarg, "ru") != 0) {
            usage_error("--lang takes en or ru, got '%s'", optarg);
            return EXIT_USAGE;
        }
        o->lang = optarg;
        break;
    case OPT_SCALE: {
        char *end;
        double s = strtod(optarg, &end);
        if (*end || !(s > 0 && s <= 16)) {
            usage_error("--scale takes a number above 0 and at most 16, got '%s'", optarg);
            return EXIT_USAGE;
        }
        o->render.scale = s;
        break;
    }
    case OPT_PAGE:
        if (!parse_enum(optarg, pages, 8, &v)) {
            usage_error("unknown page '%s' (auto, a4, a3, a2, a1, a0, letter, tabloid)", optarg);
            return EXIT_USAGE;
        }
        o->render.page = (jm_page)v;
        break;
    case OPT_PAGES: {
        char *end;
        long n = strtol(optarg, &end, 10);
        if (strcasecmp(optarg, "auto") == 0) {
            o->render.pages = JM_PAGES_AUTO;
        } else if (*optarg && !*end && n >= 1 && n <= 1000) {
            o->render.pages = (int)n;
        } else {
            usage_error("--pages takes auto or a number of pages from 1 to 1000, got '%s'", optarg);
            return EXIT_USAGE;
        }
        break;
    }
    case OPT_POSTER:
        if (!parse_enum(optarg, pages, 8, &v) || v == 0) {
            usage_error("unknown poster size '%s' (a4, a3, a2, a1, a0, letter, tabloid)", optarg);
            return EXIT_USAGE;
        }
        o->render.poster = (jm_page)v;
        break;
    case 'j': {
        char *end;
        o->jobs = strtol(optarg, &end, 10);
        if (*end || o->jobs < 1 || o->jobs > 256) {
            usage_error("-j takes a number from 1 to 256, got '%s'", optarg);
            return EXIT_USAGE;
        }
        break;
    }
    case 'q': o->quiet = true; break;
    case OPT_FROM:
        if (!parse_enum(optarg, kinds, 4, &v) || v == 0) {
            usage_error("unknown input kind '%s' (json, mermaid, csv)", optarg);
            return EXIT_USAGE;
        }
        o->from = (jm_input_kind)v;
        break;
    case OPT_TITLE: o->title = optarg; break;
    case OPT_DATA: {
        const char **v = realloc(o->data, (o->n_data + 1) * sizeof *v);
        if (!v) {
            fprintf(stderr, "journeymap: error: out of memory\n");
            return EXIT_FAILED;
        }
        o->data = v;
        o->data[o->n_data++] = optarg;
        break;
    }
    case OPT_DATA_SCALE: return parse_data_scale(optarg, &o->data_opts);
    case OPT_DATA_MIN_N: {
        char *end;
        long n = strtol(optarg, &end, 10);
        if (*end || n < 1 || n > 1000000) {
            usage_error("--data-min-n takes a number from 1 to 1000000, got '%s'", optarg);
            return EXIT_USAGE;
        }
        o->data_opts.min_n = (size_t)n;
        break;
    }
    case OPT_DATA_DATE: o->data_opts.date = optarg; break;
    case OPT_JSON: o->json = true; break;
    case OPT_LIST_RULES: o->list_rules = true; break;
    case OPT_RULE: {
        const char **r = realloc(o->rules, (o->n_rules + 1) * sizeof *r);
        if (!r) {
            fputs("journeymap: error: out of memory\n", stderr);
            return EXIT_USAGE;
        }
        o->rules = r;
        o->rules[o->n_rules++] = optarg;
        break;
    }
    case 'h': fputs(usage_text, stdout); return EXIT_OK;
    default: fputs("Try 'journeymap --help'.\n", stderr); return EXIT_USAGE;
    }
    return OPTIONS_GO_ON;
}

int options_parse(int argc, char **argv, opts *o, char ***inputs, size_t *n)
{
    *o = (opts){0};
    o->command = argv[1];
    o->format = -1;
    jm_render_options_init(&o->render);
    jm_data_options_init(&o->data_opts);
    o->from = JM_INPUT_JSON;
    optind = 2;
    int c;
    while ((c = getopt_long(argc, argv, "o:d:f:j:qh", long_opts, NULL)) != -1) {
        int rc = apply_option(c, o);
        if (rc != OPTIONS_GO_ON)
            return rc;
    }
    *inputs = argv + optind;
    *n = (size_t)(argc - optind);
    if (*n == 0 && !o->list_rules && !is_command(o, "template")) {
        usage_error("%s: no INPUT given", argv[1]);
        return EXIT_USAGE;
    }
    return OPTIONS_GO_ON;
}

void options_free(opts *o)
{
    free(o->data);
    o->data = NULL;
    free(o->rules);
    o->rules = NULL;
    o->n_rules = 0;
}

int options_check_render(opts *o, size_t n)
{
    if (!is_command(o, "template") && (o->stages || o->lanes || o->lang)) {
        usage_error("%s are template's options (journeymap template --stages ... -o OUT)",
                    "--stages, --lanes and --lang");
        return EXIT_USAGE;
    }
    if (o->out && o->dir) {
        usage_error("%s", "-o and -d cannot be used together");
        return EXIT_USAGE;
    }
    if (o->out && n > 1) {
        usage_error("%s", "-o takes one INPUT; use -d DIR for several");
        return EXIT_USAGE;
    }
    if (o->out && strcmp(o->out, "-") == 0 && o->format < 0) {
        usage_error("-o - (standard output) needs -f %s", format_list("|"));
        return EXIT_USAGE;
    }
    if (o->out && o->format < 0 && strcmp(o->out, "-") != 0) {
        o->format = jm_format_from_path(o->out);
        if (o->format < 0) {
            char msg[160];
            snprintf(msg, sizeof msg, "cannot tell the format of '%%s'; use -f %s",
                     format_list("|"));
            usage_error(msg, o->out);
            return EXIT_USAGE;
        }
    }
    if (o->render.pages != 0 || o->render.poster != JM_PAGE_AUTO) {
        if (o->format < 0)
            o->format = JM_FORMAT_PDF; /* -d DIR: pages are PDF */
        if (o->format != JM_FORMAT_PDF) {
            usage_error("%s makes PDF pages: use -f pdf or -o FILE.pdf",
                        o->render.poster != JM_PAGE_AUTO ? "--poster" : "--pages");
            return EXIT_USAGE;
        }
    }
    if (o->dir) {
        struct stat st;
        if (stat(o->dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
            fprintf(stderr, "journeymap: error: %s: not a folder (create it first)\n", o->dir);
            return EXIT_FAILED;
        }
    }
    return OPTIONS_GO_ON;
}

int options_check_template(opts *o, char **inputs, size_t n)
{
    if (n > 0) {
        usage_error("template takes no INPUT, got '%s' (render --blank INPUT draws a model's own "
                    "stages and lanes)",
                    inputs[0]);
        return EXIT_USAGE;
    }
    if (!o->out) {
        usage_error("%s", "template: give the output with -o FILE (png, svg, pdf, html, json)");
        return EXIT_USAGE;
    }
    return options_check_render(o, 1);
}
