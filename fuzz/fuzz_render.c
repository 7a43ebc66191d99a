/* Fuzz target, end to end: load → layout → render every format (PNG, SVG, PDF, layout JSON, HTML)
 * to memory, as the CLI does. The first byte chooses the options; the rest is the input:
 *   bits 0-1  input kind: JSON, Mermaid, CSV, JSON
 *   bits 2-3  state: auto, before, after, compare
 *   bits 4-5  theme: the model's, default, workshop, print
 *   bits 6-7  PDF page: auto, A4, A3, letter
 * SVG and layout JSON are laid out in the overview layout, the other formats in the automatic
 * one (mostly detail), so that both layouts are fuzzed.
 * PNG is drawn at a small scale: the pixels are not what is being tested, and a large map at
 * the default scale would only make each run slower. Every layout JSON must parse (jansson) and
 * every SVG must be well-formed XML (libxml2, linked into the fuzz targets only): a number
 * written as inf or a character XML forbids would break the reader of the file. */
#define _GNU_SOURCE /* memmem */
#include <jansson.h>
#include <libxml/parser.h>

#include "fuzz.h"

static const jm_input_kind kinds[4] = {JM_INPUT_JSON, JM_INPUT_MERMAID, JM_INPUT_CSV,
                                       JM_INPUT_JSON};
static const char *const names[4] = {"fuzz.json", "fuzz.mmd", "fuzz.csv", "fuzz.json"};
static const char *const themes[4] = {NULL, "default", "workshop", "print"};
static const jm_page pages[4] = {JM_PAGE_AUTO, JM_PAGE_A4, JM_PAGE_A3, JM_PAGE_LETTER};

/* The output must start like a file of its format; PNG and SVG must also be complete. */
static bool output_ok(jm_format f, const unsigned char *p, size_t n)
{
    switch (f) {
    case JM_FORMAT_PNG:
        return n > 20 && memcmp(p, "\x89PNG\r\n\x1a\n", 8) == 0 &&
               memcmp(p + n - 8, "IEND", 4) == 0;
    case JM_FORMAT_SVG: {
        static const char end[] = "</svg>\n";
        if (!(n > 20 && memmem(p, n < 200 ? n : 200, "<svg", 4) != NULL &&
              (memcmp(p + n - 6, "</svg>", 6) == 0 || memcmp(p + n - 7, end, 7) == 0)))
            return false;
        xmlDocPtr doc = xmlReadMemory((const char *)p, (int)n, "fuzz.svg", NULL,
                                      XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
        xmlFreeDoc(doc);
        return doc != NULL;
    }
    case JM_FORMAT_PDF:
        return n > 20 && memcmp(p, "%PDF-", 5) == 0 && memmem(p + n - 8, 8, "%%EOF", 5) != NULL;
    case JM_FORMAT_JSON: {
        if (!(n > 2 && p[0] == '{' && memmem(p, n, "\"elements\"", 10) != NULL))
            return false;
        json_error_t err;
        json_t *doc = json_loadb((const char *)p, n, 0, &err);
        json_decref(doc);
        return doc != NULL;
    }
    case JM_FORMAT_HTML:
        return n > 20 && memcmp(p, "<!DOCTYPE html>", 15) == 0 && memmem(p, n, "<svg", 4) &&
               memcmp(p + n - 8, "</html>\n", 8) == 0;
    }
    return false;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    unsigned opt = data[0];
    jm_context *ctx = fuzz_context();
    jm_diags *diags = jm_diags_new();
    jm_load_options lo = {kinds[opt & 3], NULL};
    jm_map *map =
        jm_map_load_buffer(ctx, names[opt & 3], (const char *)data + 1, size - 1, &lo, diags);
    if (map) {
        for (int f = JM_FORMAT_PNG; f <= JM_FORMAT_HTML; f++) {
            jm_render_options ro;
            jm_render_options_init(&ro);
            ro.format = (jm_format)f;
            ro.state = (jm_state)(opt >> 2 & 3);
            ro.layout =
                f == JM_FORMAT_SVG || f == JM_FORMAT_JSON ? JM_LAYOUT_OVERVIEW : JM_LAYOUT_AUTO;
            ro.theme = themes[opt >> 4 & 3];
            ro.page = pages[opt >> 6 & 3];
            ro.scale = 0.25;
            unsigned char *out = NULL;
            size_t len = 0;
            size_t errors = jm_diags_error_count(diags);
            int rc = jm_render_to_buffer(ctx, map, &ro, &out, &len, diags);
            if (rc == 0 && !output_ok((jm_format)f, out, len))
                fuzz_fail("a render succeeded with an incomplete, unparsable or foreign output",
                          diags);
            if (rc != 0 && jm_diags_error_count(diags) == errors)
                fuzz_fail("a render failed without an error", diags);
            if (rc != 0 && out)
                fuzz_fail("a failed render returned data", diags);
            jm_free(out);
        }
    }
    jm_map_free(map);
    jm_diags_free(diags);
    return 0;
}
