/* Fuzz target: the theme loader (a theme file, and a model's "theme" object found by its JSON
 * pointer). A theme that applies without error must hold only values the layout can use. */
#include <math.h>

#include "fuzz.h"
#include "theme/theme.h"

static bool color_ok(jm_rgba c)
{
    return c.r >= 0 && c.r <= 1 && c.g >= 0 && c.g <= 1 && c.b >= 0 && c.b <= 1 && c.a >= 0 &&
           c.a <= 1;
}

static bool font_ok(jm_font_role f)
{
    return f.size >= 4 && f.size <= 200 && f.weight >= 100 && f.weight <= 900;
}

static void check_theme(const jm_theme *t, jm_diags *diags)
{
    const jm_font_role fonts[] = {t->font_title,      t->font_subtitle, t->font_stage, t->font_lane,
                                  t->font_card_title, t->font_body,     t->font_small};
    for (size_t i = 0; i < sizeof fonts / sizeof fonts[0]; i++)
        if (!font_ok(fonts[i]))
            fuzz_fail("a font role out of range was accepted", diags);
    const jm_rgba colors[] = {t->background,
                              t->text,
                              t->card_fill,
                              t->curve,
                              t->link,
                              t->stage_text,
                              t->stage_palette[JM_THEME_PALETTE - 1],
                              t->persona_palette[JM_THEME_PALETTE - 1]};
    for (size_t i = 0; i < sizeof colors / sizeof colors[0]; i++)
        if (!color_ok(colors[i]))
            fuzz_fail("a colour out of range was accepted", diags);
    const double sizes[] = {t->line_spacing,     t->margin,         t->gap,
                            t->padding,          t->card_width,     t->card_min_height,
                            t->lane_label_width, t->emotion_height, t->icon_size,
                            t->stroke_width};
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++)
        if (!isfinite(sizes[i]) || sizes[i] < 0 || sizes[i] > 1000)
            fuzz_fail("a size out of range was accepted", diags);
    if (t->max_lines < 1 || t->max_lines > 200 || !t->name || !*t->name || !t->font_family ||
        !*t->font_family)
        fuzz_fail("an invalid setting was accepted", diags);
}

static void apply_at(const uint8_t *data, size_t size, const char *at)
{
    jm_diags *diags = jm_diags_new();
    jm_theme *t = jm_theme_new_default();
    if (!t)
        abort();
    int rc = jm_theme_apply_json(t, "fuzz-theme.json", (const char *)data, size, at, diags);
    if (rc == 0 && jm_diags_error_count(diags))
        fuzz_fail("success reported with errors", diags);
    if (rc != 0 && !jm_diags_error_count(diags))
        fuzz_fail("failure reported without an error", diags);
    if (rc == 0)
        check_theme(t, diags);
    jm_theme *copy = jm_theme_copy(t);
    jm_theme_free(copy);
    jm_theme_free(t);
    jm_diags_free(diags);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    apply_at(data, size, "");       /* a theme file */
    apply_at(data, size, "/theme"); /* a model's "theme" object */
    return 0;
}
