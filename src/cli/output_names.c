/* Where each input's output goes, and the checks on those names before a batch starts. */
#define _GNU_SOURCE /* asprintf, strndup */
#include "output_names.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "output_file.h"

bool same_file(const char *a, const char *b)
{
    if (strcmp(a, "-") == 0 || strcmp(b, "-") == 0)
        return false;
    struct stat sa, sb;
    if (stat(a, &sa) != 0 || stat(b, &sb) != 0)
        return strcmp(a, b) == 0;
    return sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
}

/* DIR/<input name without extension>.<ext>, or next to the input when no -o/-d. */
char *output_path(const opts *o, const char *input, int format)
{
    if (o->out)
        return strdup(o->out);
    const char *base = strrchr(input, '/');
    base = base ? base + 1 : input;
    if (strcmp(input, "-") == 0)
        base = "stdin";
    size_t stem = strlen(base);
    const char *dot = strrchr(base, '.');
    if (dot && dot != base)
        stem = (size_t)(dot - base);
    char *path;
    if (o->dir) {
        if (asprintf(&path, "%s/%.*s.%s", o->dir, (int)stem, base, jm_format_name(format)) < 0)
            return NULL;
    } else {
        size_t dirlen = (size_t)(base - input);
        if (asprintf(&path, "%.*s%.*s.%s", (int)dirlen, input, (int)stem, base,
                     jm_format_name(format)) < 0)
            return NULL;
    }
    return path;
}

/* Output collisions: two inputs never write the same file.
 *
 * Outputs are named after their inputs, so a/x.csv and b/x.mmd rendered into one folder would
 * both write x.png and one map would be lost; an output may also be another input of the batch.
 * Such a batch is refused before anything is rendered. Files are compared by identity (device
 * and inode) where they exist, else by their folder's identity and their name. */

typedef struct out_key {
    dev_t dev;
    ino_t ino;
    const char *name; /* the file name in folder (dev, ino), or "" for the file (dev, ino) */
    size_t input;     /* index of the input it belongs to */
    bool is_output;   /* else the input itself */
} out_key;

/* Keys the file at path: its own identity if it exists, else its folder's and its name. */
static bool key_of(const char *path, out_key *k)
{
    struct stat st;
    if (stat(path, &st) == 0) {
        k->dev = st.st_dev;
        k->ino = st.st_ino;
        k->name = "";
        return true;
    }
    const char *slash = strrchr(path, '/');
    char *dir = slash ? strndup(path, slash == path ? 1 : (size_t)(slash - path)) : strdup(".");
    bool ok = dir && stat(dir, &st) == 0;
    free(dir);
    if (!ok)
        return false; /* no such folder: the write itself will fail and say so */
    k->dev = st.st_dev;
    k->ino = st.st_ino;
    k->name = slash ? slash + 1 : path;
    return true;
}

static int compare_keys(const void *pa, const void *pb)
{
    const out_key *a = pa, *b = pb;
    if (a->dev != b->dev)
        return a->dev < b->dev ? -1 : 1;
    if (a->ino != b->ino)
        return a->ino < b->ino ? -1 : 1;
    int c = strcmp(a->name, b->name);
    if (c)
        return c;
    if (a->input != b->input) /* report the earliest inputs first */
        return a->input < b->input ? -1 : 1;
    return (int)a->is_output - (int)b->is_output;
}

/* Prints every collision among the batch's outputs (and between an output and another input);
 * returns how many were found. */
size_t find_output_collisions(const opts *o, char **inputs, size_t n, int format)
{
    out_key *keys = calloc(2 * n + 1, sizeof *keys);
    char **outs = calloc(n + 1, sizeof *outs);
    size_t nk = 0, found = 0;
    if (!keys || !outs)
        goto done;
    for (size_t i = 0; i < n; i++) {
        outs[i] = output_path(o, inputs[i], format);
        if (outs[i] && strcmp(outs[i], "-") != 0 && key_of(outs[i], &keys[nk])) {
            keys[nk].input = i;
            keys[nk++].is_output = true;
        }
        struct stat st;
        if (strcmp(inputs[i], "-") != 0 && stat(inputs[i], &st) == 0) {
            keys[nk] = (out_key){st.st_dev, st.st_ino, "", i, false};
            nk++;
        }
    }
    qsort(keys, nk, sizeof *keys, compare_keys);
    for (size_t g = 0; g < nk;) {
        size_t end = g + 1;
        while (end < nk && keys[end].dev == keys[g].dev && keys[end].ino == keys[g].ino &&
               strcmp(keys[end].name, keys[g].name) == 0)
            end++;
        /* The first output of the group against every other member; an output over its own
         * input is refused per input, as with one input. */
        size_t first = end;
        for (size_t k = g; k < end && first == end; k++)
            if (keys[k].is_output)
                first = k;
        for (size_t k = g; first < end && k < end; k++) {
            size_t a = keys[first].input, b = keys[k].input;
            if (k == first || a == b)
                continue;
            if (keys[k].is_output && strcmp(inputs[a], inputs[b]) == 0)
                fprintf(stderr, "journeymap: error: %s is given twice (output %s)\n", inputs[a],
                        outs[a]);
            else if (keys[k].is_output)
                fprintf(stderr, "journeymap: error: %s and %s would both be written to %s\n",
                        inputs[a], inputs[b], outs[a]);
            else
                fprintf(stderr, "journeymap: error: the output of %s, %s, is the input %s\n",
                        inputs[a], outs[a], inputs[b]);
            found++;
        }
        g = end;
    }
    if (found)
        fprintf(stderr, "journeymap: nothing rendered: give the inputs different names, or "
                        "render them into different folders (-d)\n");
done:
    if (outs)
        for (size_t i = 0; i < n; i++)
            free(outs[i]);
    free(outs);
    free(keys);
    return found;
}

/* Left-over temporary files. */

static int compare_strings(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Removes, from each folder this run writes into, the temporary files a killed run of this
 * program left there (see output_remove_stale_temps), and says so unless -q. */
void remove_stale_temps(const opts *o, char **inputs, size_t n, int format)
{
    char **dirs = calloc(n, sizeof *dirs);
    size_t nd = 0;
    for (size_t i = 0; dirs && i < n; i++) {
        char *out = output_path(o, inputs[i], format);
        if (out && strcmp(out, "-") != 0) {
            char *slash = strrchr(out, '/');
            if (!slash)
                strcpy(out, ".");
            else
                slash[slash == out] = '\0'; /* "/x.png" is in "/" */
            dirs[nd++] = out;
        } else {
            free(out);
        }
    }
    if (dirs)
        qsort(dirs, nd, sizeof *dirs, compare_strings);
    for (size_t i = 0; i < nd; i++) {
        size_t removed =
            i > 0 && strcmp(dirs[i], dirs[i - 1]) == 0 ? 0 : output_remove_stale_temps(dirs[i]);
        if (removed && !o->quiet)
            fprintf(stderr,
                    "journeymap: removed %zu temporary file%s left in %s by a run that was "
                    "killed\n",
                    removed, removed == 1 ? "" : "s", dirs[i]);
    }
    for (size_t i = 0; i < nd; i++)
        free(dirs[i]);
    free(dirs);
}
