/* Built-in icons. Each icon adds subpaths on a 24×24 grid (content within 2…22, like Lucide)
 * and the whole icon is stroked once, so overlapping parts never double a translucent colour.
 * Dots are zero-length segments: with round caps they stroke as discs one line-width wide. */
#include "icons.h"

#include <math.h>
#include <string.h>

#define GRID 24.0      /* icon design grid */
#define LINE_WIDTH 2.0 /* in grid units: size/12 */

#define DEG (M_PI / 180.0)

/* ---- Path helpers (grid units) ------------------------------------------------------------ */

static void seg(cairo_t *cr, double x1, double y1, double x2, double y2)
{
    cairo_move_to(cr, x1, y1);
    cairo_line_to(cr, x2, y2);
}

static void dot(cairo_t *cr, double x, double y)
{
    cairo_move_to(cr, x, y);
    cairo_close_path(cr);
}

static void circle(cairo_t *cr, double cx, double cy, double r)
{
    cairo_new_sub_path(cr);
    cairo_arc(cr, cx, cy, r, 0, 2 * M_PI);
    cairo_close_path(cr);
}

void jm_path_rounded_rect(cairo_t *cr, double x, double y, double w, double h, double r)
{
    cairo_new_sub_path(cr);
    cairo_arc(cr, x + w - r, y + r, r, -M_PI / 2, 0);
    cairo_arc(cr, x + w - r, y + h - r, r, 0, M_PI / 2);
    cairo_arc(cr, x + r, y + h - r, r, M_PI / 2, M_PI);
    cairo_arc(cr, x + r, y + r, r, M_PI, 3 * M_PI / 2);
    cairo_close_path(cr);
}

/* A closed polygon through n points given as x0, y0, x1, y1 … */
static void poly(cairo_t *cr, const double *xy, size_t n, bool closed)
{
    cairo_move_to(cr, xy[0], xy[1]);
    for (size_t i = 1; i < n; i++)
        cairo_line_to(cr, xy[2 * i], xy[2 * i + 1]);
    if (closed)
        cairo_close_path(cr);
}

#define POLY(cr, closed, ...)                                                                      \
    do {                                                                                           \
        static const double pts_[] = {__VA_ARGS__};                                                \
        poly(cr, pts_, sizeof pts_ / sizeof pts_[0] / 2, closed);                                  \
    } while (0)

/* A square speech bubble with its tail at bottom-left (sms, word of mouth). */
static void square_bubble(cairo_t *cr, double x, double y, double w, double h)
{
    const double r = 2;
    cairo_new_sub_path(cr);
    cairo_arc(cr, x + w - r, y + r, r, -M_PI / 2, 0);
    cairo_arc(cr, x + w - r, y + h - r, r, 0, M_PI / 2);
    cairo_line_to(cr, x + 6, y + h);
    cairo_line_to(cr, x, y + h + 4);
    cairo_arc(cr, x + r, y + r, r, M_PI, 3 * M_PI / 2);
    cairo_close_path(cr);
}

/* ---- Channels: online ---------------------------------------------------------------------- */

static void icon_website(cairo_t *cr) /* globe */
{
    circle(cr, 12, 12, 10);
    seg(cr, 2, 12, 22, 12);
    cairo_move_to(cr, 12, 2);
    cairo_curve_to(cr, 6.7, 7.5, 6.7, 16.5, 12, 22);
    cairo_curve_to(cr, 17.3, 16.5, 17.3, 7.5, 12, 2);
    cairo_close_path(cr);
}

static void icon_app(cairo_t *cr) /* smartphone */
{
    jm_path_rounded_rect(cr, 6, 2, 12, 20, 2.5);
    dot(cr, 12, 18);
}

static void icon_email(cairo_t *cr) /* envelope */
{
    jm_path_rounded_rect(cr, 2, 4.5, 20, 15, 2);
    POLY(cr, false, 2.5, 7, 12, 13, 21.5, 7);
}

static void icon_social(cairo_t *cr) /* share nodes */
{
    circle(cr, 18, 5, 3);
    circle(cr, 6, 12, 3);
    circle(cr, 18, 19, 3);
    seg(cr, 8.6, 13.5, 15.4, 17.5);
    seg(cr, 15.4, 6.5, 8.6, 10.5);
}

static void icon_messenger(cairo_t *cr) /* round speech bubble */
{
    cairo_new_sub_path(cr);
    cairo_arc(cr, 12.5, 11.5, 9, 150 * DEG, (360 + 115) * DEG);
    cairo_line_to(cr, 2.5, 21.5);
    cairo_close_path(cr);
}

static void icon_chatbot(cairo_t *cr) /* robot head */
{
    jm_path_rounded_rect(cr, 4, 8, 16, 12, 2);
    POLY(cr, false, 12, 8, 12, 4, 8.5, 4);
    seg(cr, 2, 14, 4, 14);
    seg(cr, 20, 14, 22, 14);
    seg(cr, 9, 13, 9, 15);
    seg(cr, 15, 13, 15, 15);
}

static void icon_sms(cairo_t *cr) /* square bubble with three dots */
{
    square_bubble(cr, 3, 3, 18, 14);
    dot(cr, 8, 10);
    dot(cr, 12, 10);
    dot(cr, 16, 10);
}

static void icon_online_ads(cairo_t *cr) /* "AD" badge */
{
    jm_path_rounded_rect(cr, 2, 5, 20, 14, 2.5);
    POLY(cr, false, 5.5, 15.5, 8.25, 8.5, 11, 15.5);
    seg(cr, 6.6, 13, 9.9, 13);
    cairo_move_to(cr, 14, 8.5);
    cairo_line_to(cr, 15.2, 8.5);
    cairo_arc(cr, 15.2, 12, 3.5, -M_PI / 2, M_PI / 2);
    cairo_line_to(cr, 14, 15.5);
    cairo_close_path(cr);
}

static void icon_search(cairo_t *cr) /* magnifier */
{
    circle(cr, 10.5, 10.5, 7);
    seg(cr, 15.5, 15.5, 21, 21);
}

static void icon_blog(cairo_t *cr) /* page with lines and a pen */
{
    POLY(cr, false, 13, 21, 6, 21, 4, 19, 4, 5, 6, 3, 16, 3, 18, 5, 18, 9);
    seg(cr, 8, 8, 14, 8);
    seg(cr, 8, 12, 12, 12);
    seg(cr, 8, 16, 10, 16);
    POLY(cr, true, 20.5, 11.5, 22.5, 13.5, 16, 20, 13.5, 20.5, 14, 18);
}

static void icon_reviews(cairo_t *cr) /* star */
{
    const double cx = 12, cy = 12.8, ro = 10.2, ri = 4.4;
    for (int i = 0; i < 10; i++) {
        double a = (-90 + 36 * i) * DEG, r = i % 2 ? ri : ro;
        if (i == 0)
            cairo_move_to(cr, cx + r * cos(a), cy + r * sin(a));
        else
            cairo_line_to(cr, cx + r * cos(a), cy + r * sin(a));
    }
    cairo_close_path(cr);
}

static void icon_video(cairo_t *cr) /* play button */
{
    jm_path_rounded_rect(cr, 2, 4, 20, 16, 4);
    POLY(cr, true, 10, 8.5, 15.5, 12, 10, 15.5);
}

/* ---- Channels: offline --------------------------------------------------------------------- */

static void icon_phone(cairo_t *cr) /* call-centre headset */
{
    cairo_new_sub_path(cr);
    cairo_arc(cr, 12, 13, 8, M_PI, 2 * M_PI);
    jm_path_rounded_rect(cr, 3, 12, 4, 7, 1.5);
    jm_path_rounded_rect(cr, 17, 12, 4, 7, 1.5);
    cairo_move_to(cr, 19, 19);
    cairo_curve_to(cr, 19, 21, 17.5, 22, 15, 22);
    cairo_line_to(cr, 13, 22);
}

static void icon_store(cairo_t *cr) /* shop with an awning */
{
    cairo_move_to(cr, 4, 3);
    cairo_line_to(cr, 20, 3);
    cairo_line_to(cr, 22, 8);
    for (int i = 0; i < 4; i++)
        cairo_arc(cr, 19.5 - 5 * i, 8, 2.5, 0, M_PI);
    cairo_close_path(cr);
    seg(cr, 8, 3, 7, 8);
    seg(cr, 12, 3, 12, 8);
    seg(cr, 16, 3, 17, 8);
    POLY(cr, false, 4, 12, 4, 21, 20, 21, 20, 12);
    POLY(cr, false, 10, 21, 10, 15, 14, 15, 14, 21);
}

static void icon_branch(cairo_t *cr) /* building with columns */
{
    POLY(cr, true, 3, 8, 12, 3, 21, 8);
    for (int i = 0; i < 4; i++)
        seg(cr, 6 + 4 * i, 11, 6 + 4 * i, 17.5);
    seg(cr, 4, 17.5, 20, 17.5);
    seg(cr, 3, 21, 21, 21);
}

static void icon_atm(cairo_t *cr) /* cash slot with a banknote */
{
    jm_path_rounded_rect(cr, 2, 3, 20, 7, 2);
    seg(cr, 5, 6.5, 19, 6.5);
    POLY(cr, false, 6, 6.5, 6, 21, 18, 21, 18, 6.5);
    circle(cr, 12, 14.5, 2.2);
}

static void icon_event(cairo_t *cr) /* calendar */
{
    jm_path_rounded_rect(cr, 3, 4, 18, 18, 2);
    seg(cr, 3, 10, 21, 10);
    seg(cr, 8, 2, 8, 6);
    seg(cr, 16, 2, 16, 6);
    dot(cr, 8, 14);
    dot(cr, 12, 14);
    dot(cr, 16, 14);
    dot(cr, 8, 18);
    dot(cr, 12, 18);
}

static void icon_exhibition(cairo_t *cr) /* booth: banner, poles, counter */
{
    jm_path_rounded_rect(cr, 2, 2.5, 20, 7, 1.5);
    seg(cr, 4.5, 9.5, 4.5, 21);
    seg(cr, 19.5, 9.5, 19.5, 21);
    jm_path_rounded_rect(cr, 8, 14, 8, 7, 1);
    seg(cr, 2, 21, 22, 21);
}

static void icon_mall(cairo_t *cr) /* shopping bag */
{
    POLY(cr, true, 4.5, 7, 19.5, 7, 20.5, 21, 3.5, 21);
    cairo_new_sub_path(cr);
    cairo_arc(cr, 12, 7, 4, M_PI, 2 * M_PI);
}

static void icon_tv(cairo_t *cr) /* screen with antenna */
{
    jm_path_rounded_rect(cr, 2, 7, 20, 14, 2);
    POLY(cr, false, 7, 2, 12, 7, 17, 2);
}

static void icon_radio(cairo_t *cr) /* receiver: speaker, dial, antenna */
{
    jm_path_rounded_rect(cr, 2, 8, 20, 13, 2);
    seg(cr, 6, 8, 18, 3);
    circle(cr, 8, 14.5, 3.2);
    seg(cr, 14.5, 12, 18, 12);
    seg(cr, 14.5, 14.5, 18, 14.5);
    seg(cr, 14.5, 17, 18, 17);
}

static void icon_outdoor(cairo_t *cr) /* billboard on two posts */
{
    jm_path_rounded_rect(cr, 2, 3, 20, 12, 1.5);
    seg(cr, 8, 15, 8, 21);
    seg(cr, 16, 15, 16, 21);
    seg(cr, 6, 7, 14, 7);
    seg(cr, 6, 10.5, 11, 10.5);
}

static void icon_print(cairo_t *cr) /* newspaper: a page with a folded-out back column */
{
    cairo_move_to(cr, 4, 21);
    cairo_line_to(cr, 20, 21);
    cairo_arc_negative(cr, 20, 19, 2, M_PI / 2, 0);
    cairo_line_to(cr, 22, 5);
    cairo_arc_negative(cr, 20, 5, 2, 0, -M_PI / 2);
    cairo_line_to(cr, 10, 3);
    cairo_arc_negative(cr, 10, 5, 2, -M_PI / 2, -M_PI);
    cairo_line_to(cr, 8, 19);
    cairo_arc(cr, 6, 19, 2, 0, M_PI / 2);
    cairo_close_path(cr);
    cairo_move_to(cr, 4, 21);
    cairo_arc(cr, 4, 19, 2, M_PI / 2, M_PI);
    cairo_line_to(cr, 2, 10);
    cairo_arc(cr, 4, 10, 2, M_PI, 1.5 * M_PI);
    cairo_line_to(cr, 8, 8);
    jm_path_rounded_rect(cr, 11, 6, 8, 4, 0.5);
    seg(cr, 11, 14, 19, 14);
    seg(cr, 11, 17.5, 16, 17.5);
}

static void icon_direct_mail(cairo_t *cr) /* mailbox with flag */
{
    cairo_move_to(cr, 2, 19);
    cairo_line_to(cr, 2, 9.5);
    cairo_arc(cr, 6.5, 9.5, 4.5, M_PI, 1.5 * M_PI);
    cairo_line_to(cr, 18, 5);
    cairo_arc(cr, 18, 9, 4, 1.5 * M_PI, 2 * M_PI);
    cairo_line_to(cr, 22, 19);
    cairo_close_path(cr);
    cairo_move_to(cr, 11, 19);
    cairo_line_to(cr, 11, 9.5);
    cairo_arc_negative(cr, 6.5, 9.5, 4.5, 0, -M_PI / 2);
    seg(cr, 5, 12, 8, 12);
    POLY(cr, false, 15, 12, 15, 2, 19, 2, 19, 5);
}

static void icon_word_of_mouth(cairo_t *cr) /* two speech bubbles */
{
    square_bubble(cr, 2, 2, 12, 9);
    /* the second bubble, mirrored, behind the first */
    cairo_move_to(cr, 16, 8);
    cairo_line_to(cr, 20, 8);
    cairo_arc(cr, 20, 10, 2, -M_PI / 2, 0);
    cairo_line_to(cr, 22, 22);
    cairo_line_to(cr, 18, 18);
    cairo_line_to(cr, 12, 18);
    cairo_arc(cr, 12, 16, 2, M_PI / 2, M_PI);
    cairo_line_to(cr, 10, 15);
}

static void icon_delivery(cairo_t *cr) /* truck */
{
    POLY(cr, false, 5, 17, 2, 17, 2, 5, 14, 5, 14, 17);
    seg(cr, 9, 17, 15, 17);
    POLY(cr, false, 14, 8.5, 18, 8.5, 22, 13, 22, 17, 19, 17);
    circle(cr, 7, 17.5, 2);
    circle(cr, 17, 17.5, 2);
}

static void icon_staff(cairo_t *cr) /* person with a tie */
{
    circle(cr, 12, 7, 4);
    cairo_move_to(cr, 5, 21);
    cairo_line_to(cr, 5, 19);
    cairo_curve_to(cr, 5, 16.8, 6.8, 15, 9, 15);
    cairo_line_to(cr, 15, 15);
    cairo_curve_to(cr, 17.2, 15, 19, 16.8, 19, 19);
    cairo_line_to(cr, 19, 21);
    POLY(cr, true, 12, 15, 13.1, 17.3, 12, 20.5, 10.9, 17.3);
}

/* ---- Channels: the product ------------------------------------------------------------------ */

static void icon_packaging(cairo_t *cr) /* cardboard box */
{
    POLY(cr, true, 12, 2, 21, 7, 21, 17, 12, 22, 3, 17, 3, 7);
    POLY(cr, false, 3, 7, 12, 12, 21, 7);
    seg(cr, 12, 12, 12, 22);
    seg(cr, 7.5, 4.5, 16.5, 9.5);
}

static void icon_label(cairo_t *cr) /* tag */
{
    POLY(cr, true, 2, 2, 11.5, 2, 22, 12.5, 12.5, 22, 2, 11.5);
    circle(cr, 7, 7, 1.5);
}

static void icon_manual(cairo_t *cr) /* open book */
{
    cairo_move_to(cr, 2, 4);
    cairo_line_to(cr, 8, 4);
    cairo_curve_to(cr, 10.2, 4, 12, 5.8, 12, 8);
    cairo_line_to(cr, 12, 21);
    cairo_curve_to(cr, 12, 19.3, 10.7, 18, 9, 18);
    cairo_line_to(cr, 2, 18);
    cairo_close_path(cr);
    cairo_move_to(cr, 22, 4);
    cairo_line_to(cr, 16, 4);
    cairo_curve_to(cr, 13.8, 4, 12, 5.8, 12, 8);
    cairo_move_to(cr, 12, 21);
    cairo_curve_to(cr, 12, 19.3, 13.3, 18, 15, 18);
    cairo_line_to(cr, 22, 18);
    cairo_line_to(cr, 22, 4);
}

static void icon_product_ui(cairo_t *cr) /* window with sliders */
{
    jm_path_rounded_rect(cr, 2, 3, 20, 18, 2);
    seg(cr, 2, 8, 22, 8);
    seg(cr, 6, 12.5, 18, 12.5);
    circle(cr, 10, 12.5, 1.6);
    seg(cr, 6, 17, 18, 17);
    circle(cr, 15, 17, 1.6);
}

static void icon_loyalty(cairo_t *cr) /* gift */
{
    jm_path_rounded_rect(cr, 3, 8, 18, 4, 1);
    POLY(cr, false, 5, 12, 5, 21, 19, 21, 19, 12);
    seg(cr, 12, 8, 12, 21);
    cairo_move_to(cr, 12, 8);
    cairo_curve_to(cr, 11, 4, 6, 2.5, 6.5, 6);
    cairo_curve_to(cr, 6.8, 7.5, 9, 8, 12, 8);
    cairo_curve_to(cr, 13, 4, 18, 2.5, 17.5, 6);
    cairo_curve_to(cr, 17.2, 7.5, 15, 8, 12, 8);
}

static void icon_support(cairo_t *cr) /* lifebuoy */
{
    circle(cr, 12, 12, 10);
    circle(cr, 12, 12, 4);
    for (int i = 0; i < 4; i++) {
        double a = (45 + 90 * i) * DEG;
        seg(cr, 12 + 4 * cos(a), 12 + 4 * sin(a), 12 + 10 * cos(a), 12 + 10 * sin(a));
    }
}

static void icon_invoice(cairo_t *cr) /* receipt with a torn edge */
{
    cairo_move_to(cr, 4, 2);
    for (int i = 0; i < 8; i++)
        cairo_line_to(cr, 4 + 2 * (i + 1), i % 2 ? 2 : 3.5);
    cairo_line_to(cr, 20, 22);
    for (int i = 0; i < 8; i++)
        cairo_line_to(cr, 20 - 2 * (i + 1), i % 2 ? 22 : 20.5);
    cairo_close_path(cr);
    seg(cr, 8, 8, 16, 8);
    seg(cr, 8, 12, 16, 12);
    seg(cr, 8, 16, 13, 16);
}

/* ---- Markers ------------------------------------------------------------------------------ */

static void icon_generic(cairo_t *cr) /* a dot in a circle */
{
    circle(cr, 12, 12, 9);
    circle(cr, 12, 12, 1.5);
}

static void icon_persona(cairo_t *cr) /* person in a circle */
{
    circle(cr, 12, 12, 10);
    circle(cr, 12, 10, 3.2);
    cairo_move_to(cr, 6.5, 19.2);
    cairo_curve_to(cr, 7.2, 16.7, 9.3, 15.5, 12, 15.5);
    cairo_curve_to(cr, 14.7, 15.5, 16.8, 16.7, 17.5, 19.2);
}

static void icon_moment_of_truth(cairo_t *cr) /* lightning bolt */
{
    POLY(cr, true, 13.5, 2, 4, 13.5, 11.5, 13.5, 10.5, 22, 20, 10.5, 12.5, 10.5);
}

static void icon_pain(cairo_t *cr) /* warning triangle */
{
    POLY(cr, true, 12, 3, 22, 20.5, 2, 20.5);
    seg(cr, 12, 9.5, 12, 13.5);
    dot(cr, 12, 17);
}

static void icon_opportunity(cairo_t *cr) /* light bulb */
{
    cairo_move_to(cr, 9, 16);
    cairo_line_to(cr, 9, 14.8);
    cairo_arc(cr, 12, 8.5, 6.3, 125 * DEG, (360 + 55) * DEG);
    cairo_line_to(cr, 15, 14.8);
    cairo_line_to(cr, 15, 16);
    cairo_close_path(cr);
    seg(cr, 9, 19, 15, 19);
    seg(cr, 10, 22, 14, 22);
}

static void icon_thought(cairo_t *cr) /* cloud of thought with trailing bubbles */
{
    cairo_new_sub_path(cr);
    cairo_arc(cr, 8, 9, 4, 100 * DEG, 250 * DEG);
    cairo_arc(cr, 13, 6.5, 4.5, 200 * DEG, 330 * DEG);
    cairo_arc(cr, 18, 9.5, 3.8, 270 * DEG, 450 * DEG);
    cairo_arc(cr, 12.5, 12, 3.6, 30 * DEG, 150 * DEG);
    cairo_close_path(cr);
    circle(cr, 5.5, 17, 1.6);
    dot(cr, 3, 21);
}

static void icon_metric(cairo_t *cr) /* bar chart */
{
    POLY(cr, false, 3, 3, 3, 21, 21, 21);
    seg(cr, 8, 17, 8, 12);
    seg(cr, 13, 17, 13, 7);
    seg(cr, 18, 17, 18, 11);
}

static void icon_goal(cairo_t *cr) /* target */
{
    circle(cr, 12, 12, 10);
    circle(cr, 12, 12, 6);
    circle(cr, 12, 12, 2);
}

/* ---- Registry ----------------------------------------------------------------------------- */

/* One list drives both tables; "generic" first, it is the fallback. */
/* clang-format off */
#define ICONS(X)                                                                              \
    X(generic) X(website) X(app) X(email) X(social) X(messenger) X(chatbot) X(sms)           \
    X(online_ads) X(search) X(blog) X(reviews) X(video) X(phone) X(store) X(branch) X(atm)   \
    X(event) X(exhibition) X(mall) X(tv) X(radio) X(outdoor) X(print) X(direct_mail)         \
    X(word_of_mouth) X(delivery) X(staff) X(packaging) X(label) X(manual) X(product_ui)      \
    X(loyalty) X(support) X(invoice) X(persona) X(moment_of_truth) X(pain) X(opportunity)    \
    X(thought) X(metric) X(goal)
/* clang-format on */

#define ICON_NAME(n) #n,
#define ICON_PATH(n) icon_##n,
static const char *const icon_names[] = {ICONS(ICON_NAME)};
static void (*const icon_paths[])(cairo_t *) = {ICONS(ICON_PATH)};

#define N_ICONS (sizeof icon_names / sizeof icon_names[0])

static long icon_find(const char *name)
{
    for (size_t i = 0; name && i < N_ICONS; i++)
        if (strcmp(icon_names[i], name) == 0)
            return (long)i;
    return -1;
}

bool jm_icon_exists(const char *name) { return icon_find(name) >= 0; }

const char *const *jm_icon_names(size_t *n)
{
    *n = N_ICONS;
    return icon_names;
}

void jm_icon_path(cairo_t *cr, const char *name, double x, double y, double size)
{
    long i = icon_find(name);
    cairo_new_path(cr);
    cairo_translate(cr, x, y);
    cairo_scale(cr, size / GRID, size / GRID);
    icon_paths[i < 0 ? 0 : i](cr);
    /* Stroke in the grid's user space so the width scales with the icon. */
    cairo_set_line_width(cr, LINE_WIDTH);
    cairo_set_line_cap(cr, CAIRO_LINE_CAP_ROUND);
    cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
    cairo_set_dash(cr, NULL, 0, 0);
}

void jm_icon_draw(cairo_t *cr, const char *name, double x, double y, double size, jm_rgba color)
{
    if (!(size > 0))
        return;
    cairo_save(cr);
    jm_icon_path(cr, name, x, y, size);
    cairo_set_source_rgba(cr, color.r, color.g, color.b, color.a);
    cairo_stroke(cr);
    cairo_restore(cr);
}
