/* Pairing objects of two maps by id, then by name (match.h). */
#include "match.h"

#include <string.h>

#include "util/util.h"

static char fold(char c) { return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c; }
static bool space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

bool jm_match_same_name(const char *a, const char *b)
{
    if (!a || !b)
        return false;
    while (space(*a))
        a++;
    while (space(*b))
        b++;
    for (;;) {
        bool sa = space(*a), sb = space(*b);
        if (sa || sb) {
            while (space(*a))
                a++;
            while (space(*b))
                b++;
            /* a run of spaces matches a run of spaces, and the end matches trailing spaces */
            if (!*a && !*b)
                return true;
            if (!(sa && sb))
                return false;
            continue;
        }
        if (!*a || !*b)
            return !*a && !*b;
        if (fold(*a) != fold(*b))
            return false;
        a++;
        b++;
    }
}

void jm_match(const jm_match_key *old_keys, size_t n_old, const jm_match_key *new_keys,
              size_t n_new, long *new_to_old, long *old_to_new)
{
    for (size_t i = 0; i < n_new; i++)
        new_to_old[i] = -1;
    for (size_t j = 0; j < n_old; j++)
        old_to_new[j] = -1;
    /* ids */
    for (size_t i = 0; i < n_new; i++) {
        if (!new_keys[i].id)
            continue;
        for (size_t j = 0; j < n_old; j++)
            if (old_to_new[j] < 0 && old_keys[j].id &&
                strcmp(old_keys[j].id, new_keys[i].id) == 0) {
                new_to_old[i] = (long)j;
                old_to_new[j] = (long)i;
                break;
            }
    }
    /* names: the same group first, then any */
    for (int pass = 0; pass < 2; pass++)
        for (size_t i = 0; i < n_new; i++) {
            if (new_to_old[i] >= 0 || !new_keys[i].name)
                continue;
            if (pass == 0 && new_keys[i].group < 0)
                continue;
            for (size_t j = 0; j < n_old; j++) {
                if (old_to_new[j] >= 0 || (pass == 0 && old_keys[j].group != new_keys[i].group))
                    continue;
                if (jm_match_same_name(old_keys[j].name, new_keys[i].name)) {
                    new_to_old[i] = (long)j;
                    old_to_new[j] = (long)i;
                    break;
                }
            }
        }
}

bool jm_match_moved(const long *new_to_old, size_t n_new, bool *moved)
{
    /* Longest increasing run of old indexes (quadratic: stages are at most JM_MAX_STAGES). */
    size_t *len = jm_calloc(n_new ? n_new : 1, sizeof *len);
    long *prev = jm_calloc(n_new ? n_new : 1, sizeof *prev);
    for (size_t i = 0; i < n_new; i++)
        moved[i] = false;
    if (!len || !prev) {
        jm_free(len);
        jm_free(prev);
        return false;
    }
    long best = -1;
    for (size_t i = 0; i < n_new; i++) {
        prev[i] = -1;
        if (new_to_old[i] < 0)
            continue;
        len[i] = 1;
        for (size_t k = 0; k < i; k++)
            if (new_to_old[k] >= 0 && new_to_old[k] < new_to_old[i] && len[k] + 1 > len[i]) {
                len[i] = len[k] + 1;
                prev[i] = (long)k;
            }
        if (best < 0 || len[i] > len[best])
            best = (long)i;
    }
    for (size_t i = 0; i < n_new; i++)
        moved[i] = new_to_old[i] >= 0;
    for (long k = best; k >= 0; k = prev[k])
        moved[k] = false;
    jm_free(len);
    jm_free(prev);
    return true;
}
