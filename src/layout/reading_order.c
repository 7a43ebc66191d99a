/* The order the elements are drawn and read in: the frame, then the map stage by stage. */
#include <string.h>

#include "layout.h"
#include "reading_order.h"
#include "util/util.h"

/* Kinds of the model objects a reader follows through the journey (a stage's header, a card,
 * a text box, a face …): each is read, with everything inside it, in its stage column. */
static bool is_content_kind(const char *kind)
{
    static const char *const content[] = {
        "stage_header", "card", "action",       "thought",     "pain",   "opportunity",  "badge",
        "metrics",      "item", "state_before", "state_after", "before", "emotion_point"};
    for (size_t k = 0; k < sizeof content / sizeof content[0]; k++)
        if (kind && strcmp(kind, content[k]) == 0)
            return true;
    return false;
}

bool jm_layout_reading_order(jm_layout *lo)
{
    size_t n = lo->n;
    /* root[i]: the model object element i belongs to, or -1 for the frame. Parents come before
     * their children, so one pass settles it. */
    long *root = jm_calloc(n + 1, sizeof *root);
    size_t *order = jm_calloc(n + 1, sizeof *order);
    size_t *start = jm_calloc(n + 2, sizeof *start); /* by column element index + 1 */
    if (!root || !order || !start) {
        jm_free(root);
        jm_free(order);
        jm_free(start);
        return false;
    }
    for (size_t i = 0; i < n; i++) {
        const jm_element *e = &lo->el[i];
        long p = e->parent;
        if (p >= 0 && (size_t)p < i && root[p] >= 0)
            root[i] = root[p];
        else
            root[i] =
                e->column >= 0 && (size_t)e->column < n && is_content_kind(e->kind) ? (long)i : -1;
    }
    /* A stable counting sort: the frame (key 0), then each stage column (key: its element's
     * index + 1, the stages being made left to right). */
#define KEY(i) (root[i] < 0 ? 0 : (size_t)lo->el[root[i]].column + 1)
    for (size_t i = 0; i < n; i++)
        start[KEY(i) + 1]++;
    for (size_t k = 1; k < n + 2; k++)
        start[k] += start[k - 1];
    for (size_t i = 0; i < n; i++)
        order[start[KEY(i)]++] = i;
#undef KEY
    jm_free(root);
    jm_free(start);
    jm_free(lo->order);
    lo->order = order;
    return true;
}
