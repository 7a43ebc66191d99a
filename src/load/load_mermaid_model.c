/* The model a Mermaid journey builds (see load_mermaid.h): its stages, personas named by the
 * tasks' actors, and the finish once every persona is known (each task's emotion for each
 * actor, the titles and the description). */
#include <stdio.h>
#include <string.h>

#include "load_mermaid.h"

#define EMOTION_OFFSET 3 /* Mermaid scores 1…5 → emotions −2…+2 */

/* ---- Objects ------------------------------------------------------------------------------ */

long jm_mm_add_stage(mm_parser *p, char *name, int line, int col)
{
    jm_stage *st = jm_build_stage(&p->build, line, col);
    if (!st && p->build.error == JM_BUILD_LIMIT) {
        jm_mm_error_at(p, line, col, "too many sections (the limit is %d)", JM_MAX_STAGES);
        p->too_many = true;
    } else if (!st) {
        jm_mm_out_of_memory(p);
    }
    if (!st) {
        jm_free(name);
        return -1;
    }
    st->name = name;
    return (long)p->map->n_stages - 1;
}

/* Simple persona id from an actor name: ASCII letters and digits lower-cased, other ASCII runs
 * become '-', other characters are kept (ids need not be ASCII). */
static char *persona_id(mm_parser *p, const char *name)
{
    jm_buf b = {0};
    bool dash = false;
    for (const char *c = name; *c; c++) {
        char ch = ascii_lower(*c);
        bool keep =
            (unsigned char)ch >= 0x80 || (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9');
        if (!keep) {
            dash = b.len > 0;
            continue;
        }
        if (dash)
            jm_buf_append(&b, "-", 1);
        dash = false;
        jm_buf_append(&b, &ch, 1);
    }
    if (b.len == 0)
        jm_buf_puts(&b, "persona");
    /* Actors differing only in case or punctuation still need distinct ids. */
    size_t base_len = b.len;
    for (unsigned suffix = 2; !b.failed; suffix++) {
        bool taken = false;
        for (size_t i = 0; i < p->map->n_personas && !taken; i++)
            taken = strcmp(p->map->personas[i].id, b.data) == 0;
        if (!taken)
            break;
        b.len = base_len;
        jm_buf_printf(&b, "-%u", suffix);
    }
    char *id = jm_buf_take(&b);
    if (!id)
        jm_mm_out_of_memory(p);
    return id;
}

/* Index of the persona named [s, e) (added when new), -1 when it cannot be added. */
long jm_mm_persona_index(mm_parser *p, const mm_line *ln, const char *s, const char *e)
{
    jm_map *m = p->map;
    size_t n = (size_t)(e - s);
    for (size_t i = 0; i < m->n_personas; i++)
        if (strlen(m->personas[i].name) == n && memcmp(m->personas[i].name, s, n) == 0)
            return (long)i;
    if (jm_build_full(&p->build, JM_LIST_PERSONAS)) {
        if (!p->persona_limit_reported)
            jm_mm_error_at(p, ln->no, jm_mm_column(ln->text, s),
                           "too many actors (the limit is %d)", JM_MAX_PERSONAS);
        p->persona_limit_reported = true;
        return -1;
    }
    /* Only now: counting the column is linear in the line, and a line may list many actors. */
    int line = ln->no, col = jm_mm_column(ln->text, s);
    char *name = jm_mm_text_copy(p, s, e, line, col);
    char *id = name ? persona_id(p, name) : NULL;
    jm_persona *ps = id ? jm_build_persona(&p->build, line, col) : NULL;
    if (!ps) {
        if (id)
            jm_mm_out_of_memory(p);
        jm_free(name);
        jm_free(id);
        return -1;
    }
    ps->name = name;
    ps->id = id;
    return (long)m->n_personas - 1;
}

/* ---- Finishing ---------------------------------------------------------------------------- */

/* The first that is set and not empty (front matter may say `title: ''`). */
static char *first_of(char *a, char *b, char *c)
{
    return a && *a ? a : b && *b ? b : c && *c ? c : NULL;
}

/* Emotions and actors once the personas are known; title, description and language. */
void jm_mm_finish(mm_parser *p, const jm_load_options *opts, const char *text, size_t len)
{
    jm_map *m = p->map;
    size_t slots = jm_emotion_slots(m);
    if (m->n_touchpoints * slots > JM_MAX_EMOTION_POINTS) { /* reported at the first task over */
        const jm_touchpoint *over = &m->touchpoints[JM_MAX_EMOTION_POINTS / slots];
        jm_mm_error_at(p, over->src.line, over->src.col,
                       "too many tasks for %zu actors: %zu × %zu emotion points (the limit is %d; "
                       "split the journey, or name fewer actors)",
                       slots, m->n_touchpoints, slots, JM_MAX_EMOTION_POINTS);
        return;
    }
    for (size_t i = 0; i < m->n_touchpoints && !p->failed; i++) {
        jm_touchpoint *tp = &m->touchpoints[i];
        uint64_t mask = p->tasks[i].actors;
        tp->base.emotion = jm_calloc(slots, sizeof *tp->base.emotion);
        if (!tp->base.emotion) {
            jm_mm_out_of_memory(p);
            break;
        }
        tp->base.has_emotion = true;
        if (mask) {
            tp->actors = jm_calloc(m->n_personas, sizeof *tp->actors);
            if (!tp->actors) {
                jm_mm_out_of_memory(p);
                break;
            }
        }
        for (size_t k = 0; k < slots; k++) {
            bool takes_part = !mask || (k < 64 && (mask >> k & 1));
            if (mask && k < m->n_personas)
                tp->actors[k] = takes_part;
            tp->base.emotion[k] = takes_part ? p->tasks[i].score - EMOTION_OFFSET : JM_EMOTION_NONE;
        }
    }
    if (p->failed)
        return;

    char *diagram_title = first_of(p->title, p->fm_title, NULL);
    if (p->default_stage >= 0) {
        m->stages[p->default_stage].name = jm_strdup(diagram_title ? diagram_title : "Journey");
        if (!m->stages[p->default_stage].name) {
            jm_mm_out_of_memory(p);
            return;
        }
    }
    const struct mm_at *title_at = NULL; /* where the title is written, if it is */
    if (opts && opts->title && *opts->title) {
        m->title = jm_strdup(opts->title);
    } else if (first_of(diagram_title, p->acc_title, NULL)) {
        m->title = jm_strdup(first_of(diagram_title, p->acc_title, NULL));
        title_at = p->title ? &p->title_at : diagram_title ? &p->fm_title_at : &p->acc_title_at;
    } else {
        m->title = jm_model_default_title(p->file);
    }
    if (title_at && !jm_build_field(&p->build, "/title", title_at->line, title_at->col)) {
        jm_mm_out_of_memory(p);
        return;
    }
    /* accTitle names the diagram for screen readers; when the title is something else it
     * still says what the map is about, so it becomes the description if there is none. */
    bool acc_title_used = m->title && p->acc_title && strcmp(m->title, p->acc_title) == 0;
    if (p->acc_descr) {
        m->description = p->acc_descr;
        p->acc_descr = NULL;
    } else if (p->acc_title && !acc_title_used) {
        m->description = p->acc_title;
        p->acc_title = NULL;
    }
    m->lang = jm_strdup(jm_guess_lang(text, len));
    if (!m->title || !m->lang)
        jm_mm_out_of_memory(p);
    if (p->ignored.failed)
        jm_mm_out_of_memory(p);
    else if (p->ignored.len)
        jm_diag_add(p->diags, JM_SEVERITY_WARNING, p->file, p->ignored_line, p->ignored_col, "",
                    "Mermaid configuration ignored: %s; journeymap draws with its own themes "
                    "(--theme, or \"theme\" in a JSON model)",
                    p->ignored.data);
}
