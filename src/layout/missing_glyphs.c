/* Warnings for the characters of a map that no font has (missing_glyphs.h). */
#include "missing_glyphs.h"

#include <stdio.h>
#include <string.h>

#include "context/fallback.h"
#include "util/diag.h"
#include "util/util.h"

typedef struct checker {
    jm_context *ctx;
    const jm_map *m;
    jm_diags *diags;
    GHashTable *seen; /* characters warned about */
} checker;

/* text, found at src's path + field (field NULL: at src's path itself). */
static void check_text(checker *k, const char *text, const jm_src *src, const char *field)
{
    if (!text || !jm_fallback_needed(k->ctx, text))
        return;
    for (const char *p = text; *p; p = g_utf8_next_char(p)) {
        gunichar c = g_utf8_get_char(p);
        if (c < 0x80 || jm_fallback_has_char(k->ctx, c))
            continue;
        if (!k->seen)
            k->seen = g_hash_table_new(g_direct_hash, g_direct_equal);
        if (g_hash_table_contains(k->seen, GUINT_TO_POINTER(c)))
            continue;
        g_hash_table_add(k->seen, GUINT_TO_POINTER(c));
        char path[512];
        snprintf(path, sizeof path, "%s%s%s", src && src->path ? src->path : "", field ? "/" : "",
                 field ? field : "");
        /* The character itself when a terminal can show it. */
        char shown[16] = "";
        GUnicodeType type = g_unichar_type(c);
        if (type != G_UNICODE_UNASSIGNED && type != G_UNICODE_PRIVATE_USE &&
            type != G_UNICODE_SURROGATE) {
            char u[8];
            u[g_unichar_to_utf8(c, u)] = '\0';
            snprintf(shown, sizeof shown, " (%s)", u);
        }
        const char *pkg = jm_font_package(c);
        /* The field's own position where the input's positions are still known (right
         * after loading: a JSON model's key, a Mermaid or CSV field), else the object's. */
        int line = src ? src->line : 0, col = src ? src->col : 0;
        jm_map_field_position(k->m, path, &line, &col);
        jm_diag_add(k->diags, JM_SEVERITY_WARNING, k->m->file, line, col, path,
                    "no font has U+%04X%s; %s%s", (unsigned)c, shown,
                    pkg ? "install " : "it is drawn as a box (no font package is known to have it)",
                    pkg ? pkg : "");
    }
}

static void check_list(checker *k, const jm_strlist *l, const jm_src *src, const char *field)
{
    for (size_t i = 0; i < l->n; i++) {
        char f[64];
        snprintf(f, sizeof f, "%s/%zu", field, i);
        check_text(k, l->v[i], src, l->single ? field : f);
    }
}

static void check_kv(checker *k, const jm_kv *kv, size_t n, const jm_src *src, const char *field)
{
    for (size_t i = 0; i < n; i++) {
        char f[64];
        snprintf(f, sizeof f, "%s/%s", field, kv[i].key);
        check_text(k, kv[i].key, src, f);
        check_text(k, kv[i].value, src, f);
    }
}

static void check_metrics(checker *k, const jm_metrics *ms)
{
    for (size_t i = 0; i < ms->n; i++) {
        check_text(k, ms->v[i].name, &ms->v[i].src, "name");
        check_text(k, ms->v[i].unit, &ms->v[i].src, "unit");
    }
}

static void check_state(checker *k, const jm_tp_state *st, const jm_src *src)
{
    check_text(k, st->description, src, "description");
    check_list(k, &st->action, src, "action");
    check_list(k, &st->thought, src, "thought");
    check_list(k, &st->pain, src, "pain");
    check_list(k, &st->opportunity, src, "opportunity");
    check_metrics(k, &st->metrics);
}

void jm_fallback_check_map(jm_context *ctx, const jm_map *m, jm_diags *diags)
{
    checker k = {ctx, m, diags, NULL};
    jm_src top = {"", 0, 0};
    check_text(&k, m->title, &top, "title");
    check_text(&k, m->subtitle, &top, "subtitle");
    for (size_t i = 0; i < m->n_personas; i++) {
        const jm_persona *p = &m->personas[i];
        check_text(&k, p->name, &p->src, "name");
        check_text(&k, p->quote, &p->src, "quote");
        check_text(&k, p->description, &p->src, "description");
        check_kv(&k, p->demographics, p->n_demographics, &p->src, "demographics");
        check_kv(&k, p->psychographics, p->n_psychographics, &p->src, "psychographics");
        check_list(&k, &p->goals, &p->src, "goals");
        check_list(&k, &p->needs, &p->src, "needs");
        check_list(&k, &p->frustrations, &p->src, "frustrations");
    }
    for (size_t i = 0; i < m->n_stages; i++) {
        const jm_stage *s = &m->stages[i];
        check_text(&k, s->name, &s->src, "name");
        check_text(&k, s->description, &s->src, "description");
        check_text(&k, s->goal, &s->src, "goal");
        check_list(&k, &s->questions, &s->src, "questions");
        check_metrics(&k, &s->metrics);
    }
    for (size_t i = 0; i < m->n_channels; i++)
        check_text(&k, m->channels[i].name, &m->channels[i].src, "name");
    for (size_t i = 0; i < m->n_touchpoints; i++) {
        const jm_touchpoint *t = &m->touchpoints[i];
        check_text(&k, t->name, &t->src, "name");
        check_state(&k, &t->base, &t->src);
        if (t->before.present)
            check_state(&k, &t->before, &t->before.src);
        if (t->after.present)
            check_state(&k, &t->after, &t->after.src);
    }
    for (size_t i = 0; i < m->n_items; i++)
        check_text(&k, m->items[i].text, &m->items[i].src, "text");
    for (size_t i = 0; i < m->n_custom_lanes; i++)
        check_text(&k, m->custom_lanes[i].name, &m->custom_lanes[i].src, "name");
    for (int i = 0; i < 2; i++)
        check_text(&k, m->state_label[i], &top, i ? "states/after/label" : "states/before/label");
    if (k.seen)
        g_hash_table_destroy(k.seen);
}
