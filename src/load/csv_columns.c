/* The CSV loader's column names and channel spellings (see csv_columns.h). */
#include <stdio.h>
#include <string.h>

#include "csv_columns.h"
#include "model/channels.h"
#include "util/util.h"

/* Header names, as slugs (see slugify); the first one of each column is its canonical name. */
static const struct {
    const char *name;
    csv_column column;
} column_names[] = {
    {"id", COL_ID},
    {"stage", COL_STAGE},
    {"phase", COL_STAGE},
    {"этап", COL_STAGE},
    {"стадия", COL_STAGE},
    {"фаза", COL_STAGE},
    {"channel", COL_CHANNEL},
    {"канал", COL_CHANNEL},
    {"name", COL_NAME},
    {"touchpoint", COL_NAME},
    {"touch_point", COL_NAME},
    {"task", COL_NAME},
    {"точка_контакта", COL_NAME},
    {"название", COL_NAME},
    {"action", COL_ACTION},
    {"действие", COL_ACTION},
    {"действия", COL_ACTION},
    {"description", COL_DESCRIPTION},
    {"описание", COL_DESCRIPTION},
    {"thought", COL_THOUGHT},
    {"thoughts", COL_THOUGHT},
    {"мысль", COL_THOUGHT},
    {"мысли", COL_THOUGHT},
    {"pain", COL_PAIN},
    {"pains", COL_PAIN},
    {"pain_point", COL_PAIN},
    {"боль", COL_PAIN},
    {"боли", COL_PAIN},
    {"проблема", COL_PAIN},
    {"opportunity", COL_OPPORTUNITY},
    {"opportunities", COL_OPPORTUNITY},
    {"возможность", COL_OPPORTUNITY},
    {"возможности", COL_OPPORTUNITY},
    {"emotion", COL_EMOTION},
    {"score", COL_EMOTION},
    {"эмоция", COL_EMOTION},
    {"оценка", COL_EMOTION},
    {"before", COL_BEFORE},
    {"as_is", COL_BEFORE},
    {"до", COL_BEFORE},
    {"до_оптимизации", COL_BEFORE},
    {"after", COL_AFTER},
    {"to_be", COL_AFTER},
    {"после", COL_AFTER},
    {"после_оптимизации", COL_AFTER},
    {"before_emotion", COL_BEFORE_EMOTION},
    {"эмоция_до", COL_BEFORE_EMOTION},
    {"after_emotion", COL_AFTER_EMOTION},
    {"эмоция_после", COL_AFTER_EMOTION},
    {"url", COL_URL},
    {"link", COL_URL},
    {"ссылка", COL_URL},
    {"owner", COL_OWNER},
    {"владелец", COL_OWNER},
    {"ответственный", COL_OWNER},
    {"notes", COL_NOTES},
    {"note", COL_NOTES},
    {"заметки", COL_NOTES},
    {"комментарий", COL_NOTES},
    {"moment_of_truth", COL_MOMENT_OF_TRUTH},
    {"mot", COL_MOMENT_OF_TRUTH},
    {"момент_истины", COL_MOMENT_OF_TRUTH},
    {"contact", COL_CONTACT},
    {"тип_контакта", COL_CONTACT},
    {"status", COL_STATUS},
    {"статус", COL_STATUS},
    {"priority", COL_PRIORITY},
    {"приоритет", COL_PRIORITY},
};
#define N_COLUMN_NAMES (sizeof column_names / sizeof column_names[0])

/* Russian spellings of built-in channels beyond the catalogue's own name_ru, as slugs. */
static const struct {
    const char *name, *id;
} channel_names_ru[] = {
    {"веб_сайт", "website"},
    {"сайт_банка", "website"},
    {"интернет_банк", "website"},
    {"приложение", "app"},
    {"мобильный_банк", "app"},
    {"колл_центр", "phone"},
    {"call_центр", "phone"},
    {"контакт_центр", "phone"},
    {"горячая_линия", "phone"},
    {"телефон", "phone"},
    {"отделения", "branch"},
    {"отделение_банка", "branch"},
    {"отделения_банка", "branch"},
    {"офис", "branch"},
    {"почта", "email"},
    {"электронная_почта", "email"},
    {"социальные_сети", "social"},
    {"соц_сети", "social"},
    {"магазины", "store"},
    {"банкоматы", "atm"},
    {"чат", "messenger"},
    {"смс", "sms"},
};

/* Copies the UTF-8 character s[0, n) to out, lower-casing ASCII and Russian Cyrillic letters
 * (U+0400…U+042F → U+0450…U+044F, the same number of bytes). */
static void lower_char(const char *s, size_t n, char *out)
{
    unsigned char c = (unsigned char)s[0], d = n > 1 ? (unsigned char)s[1] : 0;
    memcpy(out, s, n);
    if (n == 1 && c >= 'A' && c <= 'Z') {
        out[0] = (char)(c + 32);
    } else if (n == 2 && c == 0xD0 && d < 0xB0) {
        if (d < 0x90) { /* Ѐ…Џ → ѐ…џ */
            out[0] = (char)0xD1;
            out[1] = (char)(d + 0x10);
        } else if (d < 0xA0) { /* А…П → а…п */
            out[1] = (char)(d + 0x20);
        } else { /* Р…Я → р…я */
            out[0] = (char)0xD1;
            out[1] = (char)(d - 0x20);
        }
    }
}

/* A comparable form of a name: letters lower-cased, each run of ASCII characters other than
 * letters and digits turned into one '_' (none at the ends), other characters kept. Writes at
 * most cap bytes with the NUL; returns the length, or 0 when empty or too long. */
size_t jm_csv_slugify(const char *s, size_t n, char *out, size_t cap)
{
    size_t len = 0;
    bool gap = false;
    for (size_t i = 0; i < n;) {
        unsigned char c = (unsigned char)s[i];
        if (c < 0x80 && !((c | 0x20) >= 'a' && (c | 0x20) <= 'z') && !(c >= '0' && c <= '9')) {
            gap = len > 0;
            i++;
            continue;
        }
        size_t k = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
        if (k > n - i)
            k = n - i;
        if (len + 1 + k + 1 > cap)
            return 0;
        if (gap)
            out[len++] = '_';
        gap = false;
        lower_char(s + i, k, out + len);
        len += k;
        i += k;
    }
    out[len] = '\0';
    return len;
}

int jm_csv_column_lookup(const char *slug)
{
    for (size_t i = 0; i < N_COLUMN_NAMES; i++)
        if (strcmp(column_names[i].name, slug) == 0)
            return (int)column_names[i].column;
    return -1;
}

const char *jm_csv_column_name(csv_column c)
{
    for (size_t i = 0; i < N_COLUMN_NAMES; i++)
        if (column_names[i].column == c)
            return column_names[i].name;
    return "?";
}

/* "phase, этап, …": the other accepted names of a column, as one would write them. */
void jm_csv_column_synonyms(csv_column c, char *out, size_t n)
{
    size_t len = 0;
    out[0] = '\0';
    for (size_t i = 0, k = 0; i < N_COLUMN_NAMES; i++) {
        if (column_names[i].column != c || k++ == 0)
            continue;
        int w = snprintf(out + len, n - len, "%s%s", len ? ", " : "", column_names[i].name);
        if (w < 0 || (size_t)w >= n - len)
            break;
        for (char *u = out + len; *u; u++)
            if (*u == '_')
                *u = ' ';
        len += (size_t)w;
    }
}

static bool slug_matches(const char *name, const char *slug)
{
    char buf[SLUG_MAX];
    return jm_csv_slugify(name, strlen(name), buf, sizeof buf) && strcmp(buf, slug) == 0;
}

/* The built-in channel a cell names (by id, alias, English or Russian name), or NULL. */
const jm_builtin_channel *jm_csv_builtin_for(const char *slug)
{
    const jm_builtin_channel *b = jm_builtin_channel_find(slug);
    if (b)
        return b;
    size_t n;
    const jm_builtin_channel *all = jm_builtin_channels(&n);
    for (size_t i = 0; i < n; i++)
        if (slug_matches(all[i].name, slug) || slug_matches(all[i].name_ru, slug))
            return &all[i];
    for (size_t i = 0; i < sizeof channel_names_ru / sizeof channel_names_ru[0]; i++)
        if (strcmp(channel_names_ru[i].name, slug) == 0)
            return jm_builtin_channel_find(channel_names_ru[i].id);
    return NULL;
}

const char *jm_csv_column_hint(const char *slug)
{
    const char *candidates[N_COLUMN_NAMES];
    for (size_t i = 0; i < N_COLUMN_NAMES; i++)
        candidates[i] = column_names[i].name;
    return jm_did_you_mean(slug, candidates, N_COLUMN_NAMES);
}
