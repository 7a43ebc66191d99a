/* Paper: a laid-out map cut into printed sheets, as pure geometry (see pages.h). Reads the
 * layout's elements (stage columns, lane labels, cards, the header) and never draws. */
#include "pages.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "page_cuts.h"
#include "util/diag.h"
#include "util/util.h"

#define POSTER_OVERLAP 28.0  /* points (about 1 cm) each poster sheet shares with the next */
#define MARK_LEN 12.0        /* cut and alignment marks, points */
#define MARK_TEXT 7.5        /* the sheets' own texts (page number, sheet name), points */
#define SHEET_NAME_TEXT 14.0 /* a poster sheet's name ("B3"), points */
#define FOOTER_ROOM 110.0    /* points kept free of the footer for "page k of n" */
#define COVER_GROW 2.0       /* a cover page's header band grows at most this much */

/* ---- Page sizes --------------------------------------------------------------------------- */

static const struct {
    const char *name;
    double w, h;
} page_sizes[] = {
    [JM_PAGE_AUTO] = {"auto", 0, 0},         [JM_PAGE_A4] = {"A4", 842, 595},
    [JM_PAGE_A3] = {"A3", 1191, 842},        [JM_PAGE_A2] = {"A2", 1684, 1191},
    [JM_PAGE_LETTER] = {"Letter", 792, 612}, [JM_PAGE_TABLOID] = {"Tabloid", 1224, 792},
    [JM_PAGE_A1] = {"A1", 2384, 1684},       [JM_PAGE_A0] = {"A0", 3370, 2384},
};
#define N_PAGE_SIZES (sizeof page_sizes / sizeof page_sizes[0])

bool jm_page_size(jm_page page, double *w, double *h)
{
    if (page <= JM_PAGE_AUTO || (size_t)page >= N_PAGE_SIZES)
        return false;
    *w = page_sizes[page].w;
    *h = page_sizes[page].h;
    return true;
}

const char *jm_page_name(jm_page page)
{
    return (size_t)page < N_PAGE_SIZES ? page_sizes[page].name : "?";
}

/* ---- Building the sheets ------------------------------------------------------------------ */

typedef struct sheets_ctx {
    const jm_layout *lo;
    const map_parts *mp;
    jm_sheets *sh;
    const jm_theme *t;
    bool ru;
    bool failed;
} sheets_ctx;

static jm_sheet *sheet_add(sheets_ctx *c)
{
    jm_sheets *sh = c->sh;
    jm_sheet blank = {0};
    if (!JM_PUSH(sh->v, sh->n, sh->cap, blank)) {
        c->failed = true;
        return NULL;
    }
    jm_sheet *s = &sh->v[sh->n - 1];
    if (!(s->marks = jm_calloc(1, sizeof *s->marks))) {
        c->failed = true;
        return NULL;
    }
    s->marks->width = sh->w;
    s->marks->height = sh->h;
    s->marks->map = c->lo->map;
    s->marks->state = c->lo->state;
    return s;
}

static void piece_add(sheets_ctx *c, jm_sheet *s, double sx, double sy, double sw, double sh,
                      double px, double py, double scale)
{
    jm_page_piece p = {sx, sy, sw, sh, px, py, scale, true, false};
    if (sw > 0 && sh > 0 && !JM_PUSH(s->piece, s->n_pieces, s->cap_pieces, p))
        c->failed = true;
}

static jm_element *mark_push(sheets_ctx *c, jm_sheet *s, const char *kind)
{
    jm_layout *m = s->marks;
    jm_element e = {0};
    e.kind = kind;
    e.parent = -1;
    e.column = -1;
    if (!JM_PUSH(m->el, m->n, m->cap, e)) {
        c->failed = true;
        return NULL;
    }
    return &m->el[m->n - 1];
}

static void mark_line(sheets_ctx *c, jm_sheet *s, double x0, double y0, double x1, double y1)
{
    jm_element *e = mark_push(c, s, "cut_mark");
    if (!e)
        return;
    e->shape = JM_SHAPE_LINE;
    e->x = x0;
    e->y = y0;
    e->w = x1 - x0;
    e->h = y1 - y0;
    e->stroke = c->t->text;
    e->stroke_width = 0.5;
}

/* A one-line text of the sheet's own at (x, y), w wide, aligned as `align`. */
static void mark_text(sheets_ctx *c, jm_sheet *s, const char *kind, const char *text, double x,
                      double y, double w, double size, PangoAlignment align)
{
    if (!c->mp->pc || !text)
        return;
    jm_element *e = mark_push(c, s, kind);
    if (!e)
        return;
    if (!(e->text = jm_strdup(text))) {
        c->failed = true;
        return;
    }
    PangoLayout *pl = pango_layout_new(c->mp->pc);
    PangoFontDescription *fd = pango_font_description_new();
    pango_font_description_set_family(fd, c->t->font_family);
    pango_font_description_set_size(fd, (gint)lround(size * PANGO_SCALE));
    pango_layout_set_font_description(pl, fd);
    pango_font_description_free(fd);
    pango_layout_set_width(pl, (int)(w * PANGO_SCALE));
    pango_layout_set_alignment(pl, align);
    pango_layout_set_ellipsize(pl, PANGO_ELLIPSIZE_END);
    pango_layout_set_text(pl, text, -1);
    int pw, ph;
    pango_layout_get_size(pl, &pw, &ph);
    e->layout = pl;
    e->x = x;
    e->y = y;
    e->w = w;
    e->h = (double)ph / PANGO_SCALE;
    e->color = c->t->text_muted;
}

/* The smallest text on the sheet: every text element a piece shows, at the piece's scale. */
static void sheet_smallest(const jm_layout *lo, jm_sheet *s)
{
    double best = INFINITY;
    for (size_t k = 0; k < s->n_pieces; k++) {
        const jm_page_piece *p = &s->piece[k];
        for (size_t i = 0; i < lo->n; i++) {
            const jm_element *e = &lo->el[i];
            if (!e->layout || !e->text || !*e->text || e->x >= p->sx + p->sw ||
                e->x + e->w <= p->sx || e->y >= p->sy + p->sh || e->y + e->h <= p->sy)
                continue;
            double fs = jm_cut_font_size(e) * p->scale;
            if (fs > 0 && fs < best)
                best = fs;
        }
    }
    s->smallest_text = isfinite(best) ? best : 0;
}

/* "page k of n" at the bottom right; the map's footer line (under the grid, which pages cut
 * off) at the bottom left of every page, on the same line, so that a "Confidential" reaches
 * every sheet that leaves the room; cut short with an ellipsis before the page number. */
static void page_number(sheets_ctx *c, jm_sheet *s, size_t k, size_t n, double cw)
{
    char label[96];
    snprintf(label, sizeof label, c->ru ? "страница %zu из %zu" : "page %zu of %zu", k, n);
    double y = c->sh->h - SHEET_MARGIN + 6;
    mark_text(c, s, "page_number", label, SHEET_MARGIN, y, cw, MARK_TEXT, PANGO_ALIGN_RIGHT);
    if (c->mp->footer && cw > FOOTER_ROOM)
        mark_text(c, s, "footer", c->mp->footer, SHEET_MARGIN, y, cw - FOOTER_ROOM, MARK_TEXT,
                  PANGO_ALIGN_LEFT);
}

/* A page that starts inside a stage (one stage wider than a page) gets the stage's name again
 * at its left: the name's own rectangle of the map, chevron colour around it included, drawn
 * over the cut header. */
static void stage_name_again(sheets_ctx *c, jm_sheet *s, double x0, double x1, double gx, double gy)
{
    const map_parts *mp = c->mp;
    double sc = s->n_pieces ? s->piece[s->n_pieces - 1].scale : 1;
    for (size_t i = 0; i < mp->n_names; i++) {
        const rect *hd = &mp->headers[i], *nm = &mp->names[i];
        if (!(hd->x < x0 - EPS && x0 < hd->x + hd->w - EPS))
            continue;
        double inset = nm->x - hd->x, w = fmin(nm->w, x1 - x0 - 2 * inset);
        size_t before = s->n_pieces;
        if (w > 0)
            piece_add(c, s, nm->x, nm->y, w, nm->h, gx + inset * sc,
                      gy + (nm->y - mp->grid_top) * sc, sc);
        if (s->n_pieces > before)
            s->piece[before].over = true;
    }
}

static void build_pages(sheets_ctx *c, double s, double cw, double ch)
{
    const map_parts *mp = c->mp;
    paged p;
    cuts xs = {0}, ys = {0};
    size_t n = jm_cut_plan(mp, s, cw, ch, &p, &xs, &ys);
    if (n == 0 || xs.n * ys.n + p.cover != n) {
        c->failed = c->failed || n != 0;
        jm_free(xs.v);
        jm_free(ys.v);
        return;
    }
    c->sh->cols = xs.n;
    c->sh->rows = ys.n;
    double m = SHEET_MARGIN, label_w = mp->grid_left - mp->label_x;
    double head_h = mp->head_bottom - mp->grid_top;
    size_t k = 0;
    if (p.cover) {
        /* A page of its own: the header band grown to fill the page's width (or height), up
         * to COVER_GROW times, rather than a strip at the top of an empty page. */
        double band_w = 0;
        for (size_t b = 0; b < p.n_fb; b++)
            band_w = fmax(band_w, p.fb_x[b] + p.first_band[b].w * p.fb_s[b]);
        double f =
            band_w > 0 && p.first_h > 0
                ? fmax(1, fmin(COVER_GROW, fmin(cw / band_w, (ch - MARK_TEXT * 2) / p.first_h)))
                : 1;
        jm_sheet *sh = sheet_add(c);
        for (size_t b = 0; sh && b < p.n_fb; b++)
            piece_add(c, sh, p.first_band[b].x, p.first_band[b].y, p.first_band[b].w,
                      p.first_band[b].h, m + p.fb_x[b] * f, m + p.fb_y[b] * f, p.fb_s[b] * f);
        if (sh)
            page_number(c, sh, ++k, n, cw);
    }
    for (size_t r = 0; r < ys.n; r++) {
        double y0 = r ? ys.v[r - 1] : mp->head_bottom, y1 = ys.v[r];
        for (size_t col = 0; col < xs.n; col++, k++) {
            double x0 = col ? xs.v[col - 1] : mp->grid_left, x1 = xs.v[col];
            jm_sheet *sh = sheet_add(c);
            if (!sh)
                break;
            double band;
            if (k == 0 && !p.cover) {
                for (size_t b = 0; b < p.n_fb; b++)
                    piece_add(c, sh, p.first_band[b].x, p.first_band[b].y, p.first_band[b].w,
                              p.first_band[b].h, m + p.fb_x[b], m + p.fb_y[b], p.fb_s[b]);
                band = p.first_h;
            } else {
                piece_add(c, sh, mp->title.x, mp->title.y, mp->title.w, mp->title.h, m, m,
                          p.title_s);
                band = p.title_h;
            }
            double gy = m + band + BAND_GAP, gx = m + label_w * s;
            piece_add(c, sh, mp->label_x, mp->grid_top, label_w, head_h, m, gy, s);
            piece_add(c, sh, x0, mp->grid_top, x1 - x0, head_h, gx, gy, s);
            stage_name_again(c, sh, x0, x1, gx, gy);
            piece_add(c, sh, mp->label_x, y0, label_w, y1 - y0, m, gy + head_h * s, s);
            piece_add(c, sh, x0, y0, x1 - x0, y1 - y0, gx, gy + head_h * s, s);
            page_number(c, sh, k + 1, n, cw);
        }
    }
    jm_free(xs.v);
    jm_free(ys.v);
}

/* Sheet names as on a map: column letters (A … Z, AA …), row numbers. */
static void sheet_name(char *out, size_t n, size_t col, size_t row)
{
    char letters[8];
    size_t k = sizeof letters - 1;
    letters[k] = '\0';
    col++;
    while (col && k) {
        letters[--k] = (char)('A' + (col - 1) % 26);
        col = (col - 1) / 26;
    }
    snprintf(out, n, "%s%zu", letters + k, row + 1);
}

/* Marks of poster sheet (col,row) of cols×rows, content box m…m+cw × m…m+ch: crop marks at
 * the corners, alignment ticks where the next sheet's edge goes, the sheet's name. */
static void poster_marks(sheets_ctx *c, jm_sheet *s, size_t col, size_t row, double cw, double ch,
                         jm_page poster)
{
    double m = SHEET_MARGIN, x0 = m, y0 = m, x1 = m + cw, y1 = m + ch, g = 3;
    const double cx[2] = {x0, x1}, cy[2] = {y0, y1};
    for (int i = 0; i < 2; i++)
        for (int j = 0; j < 2; j++) {
            double dx = i ? 1 : -1, dy = j ? 1 : -1;
            mark_line(c, s, cx[i] + dx * g, cy[j], cx[i] + dx * (g + MARK_LEN), cy[j]);
            mark_line(c, s, cx[i], cy[j] + dy * g, cx[i], cy[j] + dy * (g + MARK_LEN));
        }
    /* Where the right and lower neighbours' cut edges are laid. */
    if (col + 1 < c->sh->cols) {
        double x = x1 - POSTER_OVERLAP;
        mark_line(c, s, x, y0 - g - MARK_LEN, x, y0 - g);
        mark_line(c, s, x, y1 + g, x, y1 + g + MARK_LEN);
    }
    if (row + 1 < c->sh->rows) {
        double y = y1 - POSTER_OVERLAP;
        mark_line(c, s, x0 - g - MARK_LEN, y, x0 - g, y);
        mark_line(c, s, x1 + g, y, x1 + g + MARK_LEN, y);
    }
    char name[32], text[400];
    sheet_name(name, sizeof name, col, row);
    snprintf(text, sizeof text,
             c->ru ? "%s · плакат %s, %zu × %zu листов: отрежьте поля по меткам слева и сверху, "
                     "наложите на соседний лист до его засечек"
                   : "%s · poster %s, %zu × %zu sheets: trim the left and top margins at the "
                     "marks, lay the sheet over its neighbour up to the neighbour's ticks",
             name, jm_page_name(poster), c->sh->cols, c->sh->rows);
    mark_text(c, s, "sheet_help", text, x0 + MARK_LEN + 2 * g, y1 + g + 1,
              cw - 2 * (MARK_LEN + 2 * g), MARK_TEXT, PANGO_ALIGN_LEFT);
    /* The name large enough to sort the sheets by. */
    mark_text(c, s, "sheet_name", name, x0 + MARK_LEN + 2 * g, 2, cw - 2 * (MARK_LEN + 2 * g),
              SHEET_NAME_TEXT, PANGO_ALIGN_RIGHT);
}

static void build_poster(sheets_ctx *c, jm_page poster, double pw, double ph)
{
    const jm_layout *lo = c->lo;
    double W = 0, H = 0, m = SHEET_MARGIN;
    jm_page_size(poster, &W, &H);
    double s = fmin((W - 2 * m) / lo->width, (H - 2 * m) / lo->height);
    /* Only the part of the poster the map covers is printed. */
    double uw = lo->width * s + 2 * m, uh = lo->height * s + 2 * m;
    double best = INFINITY, sw = pw, sh = ph;
    size_t cols = 1, rows = 1;
    for (int turn = 0; turn < 2; turn++) {
        double w = turn ? ph : pw, h = turn ? pw : ph;
        double cw = w - 2 * m, ch = h - 2 * m;
        size_t nc = uw <= cw ? 1 : (size_t)ceil((uw - POSTER_OVERLAP) / (cw - POSTER_OVERLAP));
        size_t nr = uh <= ch ? 1 : (size_t)ceil((uh - POSTER_OVERLAP) / (ch - POSTER_OVERLAP));
        if ((double)(nc * nr) < best) {
            best = (double)(nc * nr);
            cols = nc;
            rows = nr;
            sw = w;
            sh = h;
        }
    }
    c->sh->w = sw;
    c->sh->h = sh;
    c->sh->cols = cols;
    c->sh->rows = rows;
    double cw = sw - 2 * m, ch = sh - 2 * m;
    for (size_t r = 0; r < rows && !c->failed; r++)
        for (size_t col = 0; col < cols && !c->failed; col++) {
            jm_sheet *s_ = sheet_add(c);
            if (!s_)
                return;
            /* The poster's rectangle this sheet prints, then the same in map points. */
            double qx = (double)col * (cw - POSTER_OVERLAP), qy = (double)r * (ch - POSTER_OVERLAP);
            piece_add(c, s_, (qx - m) / s, (qy - m) / s, cw / s, ch / s, m, m, s);
            poster_marks(c, s_, col, r, cw, ch, poster);
        }
}

static void build_one(sheets_ctx *c, jm_page page)
{
    const jm_layout *lo = c->lo;
    jm_sheets *sh = c->sh;
    double scale = 1, dx = 0, dy = 0;
    sh->w = lo->width;
    sh->h = lo->height;
    if (jm_page_size(page, &sh->w, &sh->h)) {
        scale =
            fmin((sh->w - 2 * SHEET_MARGIN) / lo->width, (sh->h - 2 * SHEET_MARGIN) / lo->height);
        dx = (sh->w - lo->width * scale) / 2;
        dy = (sh->h - lo->height * scale) / 2;
    }
    sh->cols = sh->rows = 1;
    jm_sheet *s = sheet_add(c);
    if (!s)
        return;
    piece_add(c, s, 0, 0, lo->width, lo->height, dx, dy, scale);
    if (s->n_pieces)
        s->piece[0].clip = false;
}
static void warn_small(sheets_ctx *c, const jm_render_options *o, jm_page page, double pw,
                       double ph, jm_diags *diags)
{
    jm_sheets *sh = c->sh;
    if (!(sh->smallest_text > 0 && sh->smallest_text < JM_PAGES_WARN_TEXT))
        return;
    size_t worst = 0;
    for (size_t i = 0; i < sh->n; i++)
        if (sh->v[i].smallest_text > 0 && sh->v[i].smallest_text < sh->v[worst].smallest_text - EPS)
            worst = i;
    /* Which page, when not every page is as small. */
    bool same = true;
    for (size_t i = 0; i < sh->n; i++)
        same = same && fabs(sh->v[i].smallest_text - sh->smallest_text) < 0.05;
    char where[64] = "";
    if (!same)
        snprintf(where, sizeof where, " (%s %zu)", o->poster ? "sheet" : "page", worst + 1);
    char fix[200];
    size_t n = jm_cut_auto_count(c->mp, pw, ph);
    if (o->poster)
        snprintf(fix, sizeof fix, "take a bigger --poster (A0 is the largest) or --pages auto");
    else if (n)
        snprintf(fix, sizeof fix,
                 "--pages auto prints it on %zu %s page%s with text of %g pt or more, or take a "
                 "bigger --page",
                 n, jm_page_name(page), n == 1 ? "" : "s", JM_PAGES_MIN_TEXT);
    else
        snprintf(fix, sizeof fix, "take a bigger --page");
    char sz[32];
    snprintf(sz, sizeof sz, "%.1f", sh->smallest_text);
    jm_diag_add(diags, JM_SEVERITY_WARNING, c->lo->map ? c->lo->map->file : NULL, 0, 0, "",
                "the smallest text in the PDF%s is %s pt, under %g pt and hard to read on paper; "
                "%s",
                where, sz, JM_PAGES_WARN_TEXT, fix);
}

jm_sheets *jm_sheets_new(const jm_layout *lo, const jm_render_options *o, jm_diags *diags)
{
    jm_sheets *sh = jm_calloc(1, sizeof *sh);
    map_parts mp = {0};
    if (!sh || !jm_cut_parts_find(lo, &mp)) {
        jm_free(sh);
        jm_cut_parts_free(&mp);
        jm_diag_add(diags, JM_SEVERITY_ERROR, lo->map ? lo->map->file : NULL, 0, 0, "",
                    "out of memory while cutting the map into pages");
        return NULL;
    }
    sheets_ctx c = {lo, &mp, sh, lo->theme, false, false};
    c.ru = lo->map && lo->map->lang && strncmp(lo->map->lang, "ru", 2) == 0;
    bool paper = o->pages != 0 || o->poster != JM_PAGE_AUTO;
    jm_page page = o->page != JM_PAGE_AUTO || !paper ? o->page : JM_PAGE_A4;
    double pw = 0, ph = 0;
    jm_page_size(page, &pw, &ph);
    if (o->poster != JM_PAGE_AUTO) {
        build_poster(&c, o->poster, pw, ph);
    } else if (o->pages != 0 && mp.ok) {
        pages_choice pc = jm_cut_choose(&mp, pw, ph, o->pages);
        sh->w = pc.w;
        sh->h = pc.h;
        if (pc.s > 0)
            build_pages(&c, pc.s, pc.w - 2 * SHEET_MARGIN, pc.h - 2 * SHEET_MARGIN);
        if (sh->n == 0 && !c.failed) /* nothing fits the page: fit the whole map instead */
            build_one(&c, page);
    } else {
        build_one(&c, page);
    }
    sh->smallest_text = INFINITY;
    for (size_t i = 0; i < sh->n && !c.failed; i++) {
        sheet_smallest(lo, &sh->v[i]);
        if (sh->v[i].smallest_text > 0)
            sh->smallest_text = fmin(sh->smallest_text, sh->v[i].smallest_text);
    }
    if (!isfinite(sh->smallest_text))
        sh->smallest_text = 0;
    if (c.failed) {
        jm_cut_parts_free(&mp);
        jm_sheets_free(sh);
        jm_diag_add(diags, JM_SEVERITY_ERROR, lo->map ? lo->map->file : NULL, 0, 0, "",
                    "out of memory while cutting the map into pages");
        return NULL;
    }
    if (page != JM_PAGE_AUTO)
        warn_small(&c, o, page, pw, ph, diags);
    jm_cut_parts_free(&mp);
    return sh;
}

void jm_sheets_free(jm_sheets *sh)
{
    if (!sh)
        return;
    for (size_t i = 0; i < sh->n; i++) {
        jm_layout_free(sh->v[i].marks);
        jm_free(sh->v[i].piece);
    }
    jm_free(sh->v);
    jm_free(sh);
}
