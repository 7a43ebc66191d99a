/* The CSV loader: each delimiter, RFC 4180 quoting, BOM and line ends, column names and their
 * synonyms, channels, values, a Russian bank export (seed 002's before/after table), and every
 * error with its exact line, column and text. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "load/load.h"
#include "model/model.h"
#include "testutil.h"
#include "util/util.h"

static jm_diags *diags;

static void setup(void) { diags = jm_diags_new(); }
static void teardown(void) { jm_diags_free(diags); }

static jm_map *load_n(const char *name, const char *text, size_t len, const char *title)
{
    jm_load_options o = {JM_INPUT_CSV, title};
    return jm_load_csv(name, text, len, &o, diags);
}

static jm_map *load(const char *text) { return load_n("t.csv", text, strlen(text), NULL); }

static char *messages(void) { return tu_messages(diags); }

static void assert_fails(const char *text, const char *expected)
{
    jm_map *m = load(text);
    ck_assert_ptr_null(m);
    ck_assert_str_eq(messages(), expected);
}

static const jm_channel *channel_of(const jm_map *m, size_t tp)
{
    long c = m->touchpoints[tp].channel;
    ck_assert_int_ge(c, 0);
    ck_assert_int_lt(c, (long)m->n_channels);
    return &m->channels[c];
}

/* ---- Reading -------------------------------------------------------------------------------- */

START_TEST(comma)
{
    jm_map *m = load("stage,channel,name,emotion,thought\n"
                     "Aware,website,Landing page,1,Looks nice\n"
                     "Buy,store,Checkout,-2,Too slow\n"
                     "Aware,tv,Ad,0,\n");
    ck_assert_ptr_nonnull(m);
    ck_assert_str_eq(messages(), "");
    ck_assert_str_eq(m->title, "t");
    ck_assert_str_eq(m->lang, "en");
    ck_assert_uint_eq(m->n_personas, 0);
    ck_assert_uint_eq(m->n_stages, 2);
    ck_assert_str_eq(m->stages[0].id, "s1");
    ck_assert_str_eq(m->stages[0].name, "Aware");
    ck_assert_str_eq(m->stages[1].id, "s2");
    ck_assert_str_eq(m->stages[1].name, "Buy");
    ck_assert_str_eq(m->stages[1].src.path, "/stages/1");
    ck_assert_int_eq(m->stages[1].src.line, 3);
    ck_assert_int_eq(m->stages[1].src.col, 1);
    ck_assert_uint_eq(m->n_touchpoints, 3);
    const jm_touchpoint *tp = &m->touchpoints[1];
    ck_assert_str_eq(tp->name, "Checkout");
    ck_assert_uint_eq(tp->stage, 1);
    ck_assert_str_eq(tp->src.path, "/touchpoints/1");
    ck_assert_int_eq(tp->src.line, 3);
    ck_assert_int_eq(tp->src.col, 1);
    ck_assert_uint_eq(tp->order, 1);
    ck_assert(tp->base.has_emotion);
    ck_assert_double_eq(tp->base.emotion[0], -2);
    ck_assert_str_eq(tp->base.thought.v[0], "Too slow");
    ck_assert_uint_eq(m->touchpoints[2].base.thought.n, 0); /* empty cells are absent */
    ck_assert_uint_eq(m->touchpoints[2].stage, 0);
    ck_assert_str_eq(channel_of(m, 0)->id, "website");
    ck_assert_str_eq(channel_of(m, 1)->id, "store");
    ck_assert_str_eq(channel_of(m, 2)->id, "tv");
    ck_assert(channel_of(m, 0)->builtin);
    ck_assert_int_eq(channel_of(m, 1)->kind, JM_KIND_OFFLINE);
    ck_assert(!m->has_states);
    jm_map_free(m);
}
END_TEST

START_TEST(semicolon_bom_crlf)
{
    jm_map *m = load("\xEF\xBB\xBFStage;Name;Pain\r\n"
                     "A;\"One; two\";\"Says \"\"no\"\"\"\r\n"
                     "B;Three;\r\n");
    ck_assert_ptr_nonnull(m);
    ck_assert_str_eq(messages(), "");
    ck_assert_uint_eq(m->n_touchpoints, 2);
    ck_assert_str_eq(m->touchpoints[0].name, "One; two");
    ck_assert_str_eq(m->touchpoints[0].base.pain.v[0], "Says \"no\"");
    ck_assert_int_eq(m->touchpoints[1].src.line, 3);
    ck_assert_int_eq(m->touchpoints[0].channel, -1);
    jm_map_free(m);
}
END_TEST

START_TEST(tab_quoted_newlines)
{
    jm_map *m = load("stage\tname\tdescription\n"
                     "A\t\"Two\r\nlines\"\t\"with\ttab\"\n"
                     "A\t\"x\"\"y\"\t\"\n\nthird\"\n"
                     "B\tlast\t\n");
    ck_assert_ptr_nonnull(m);
    ck_assert_str_eq(messages(), "");
    ck_assert_uint_eq(m->n_touchpoints, 3);
    ck_assert_str_eq(m->touchpoints[0].name, "Two\nlines");
    ck_assert_str_eq(m->touchpoints[0].base.description, "with\ttab");
    ck_assert_str_eq(m->touchpoints[1].name, "x\"y");
    ck_assert_str_eq(m->touchpoints[1].base.description, "third"); /* cells are trimmed */
    /* A row with embedded line breaks starts at its first line. */
    ck_assert_int_eq(m->touchpoints[0].src.line, 2);
    ck_assert_int_eq(m->touchpoints[1].src.line, 4);
    ck_assert_int_eq(m->touchpoints[2].src.line, 7);
    jm_map_free(m);
}
END_TEST

START_TEST(delimiter_detection)
{
    /* The most frequent outside quotes wins: the commas in quotes do not count. */
    jm_map *m = load("stage;name;\"Emotion (-2, -1, 0, 1)\"\nA;B,C;1\n");
    ck_assert_ptr_nonnull(m);
    ck_assert_str_eq(m->touchpoints[0].name, "B,C");
    jm_map_free(m);
    jm_diags_clear(diags);
    /* A tie prefers ';' over ',' (Excel in most of Europe and Russia). */
    m = load("stage;name,\nA;B,C\n");
    ck_assert_ptr_nonnull(m);
    ck_assert_str_eq(m->touchpoints[0].name, "B,C");
    jm_map_free(m);
    jm_diags_clear(diags);
    /* Excel's "sep=" line names it; lone CR line ends (old Mac exports) work too. */
    m = load("sep=,\rstage,name;;;\rA;1,B\r"); /* alone, the header says ; */
    ck_assert_ptr_nonnull(m);
    ck_assert_str_eq(m->stages[0].name, "A;1");
    ck_assert_int_eq(m->touchpoints[0].src.line, 3);
    jm_map_free(m);
}
END_TEST

START_TEST(blank_rows_and_spaces)
{
    jm_map *m = load("\n\nstage , name\n ,  \n\nA ,  \"B\"  \n");
    ck_assert_ptr_nonnull(m);
    ck_assert_str_eq(messages(), "");
    ck_assert_uint_eq(m->n_touchpoints, 1);
    ck_assert_str_eq(m->stages[0].name, "A");
    ck_assert_str_eq(m->touchpoints[0].name, "B");
    ck_assert_int_eq(m->touchpoints[0].src.line, 6);
    jm_map_free(m);
}
END_TEST

START_TEST(stage_first_seen_order)
{
    jm_map *m = load("name,stage\na,Use\nb,Buy\nc,Use\nd,Aware\ne,Buy\n");
    ck_assert_ptr_nonnull(m);
    ck_assert_uint_eq(m->n_stages, 3);
    ck_assert_str_eq(m->stages[0].name, "Use");
    ck_assert_str_eq(m->stages[1].name, "Buy");
    ck_assert_str_eq(m->stages[2].name, "Aware");
    ck_assert_str_eq(m->stages[2].id, "s3");
    static const size_t want[] = {0, 1, 0, 2, 1};
    for (size_t i = 0; i < 5; i++)
        ck_assert_uint_eq(m->touchpoints[i].stage, want[i]);
    jm_map_free(m);
}
END_TEST

START_TEST(all_columns)
{
    jm_map *m = load("ID,Stage,Channel,Touchpoint,Action,Description,Thought,Pain,Opportunity,"
                     "Score,Before,After,Before emotion,After emotion,URL,Owner,Notes,"
                     "Moment of truth,Contact\n"
                     "t1,S,email,Mail,Opens,Newsletter,Hm,Spam,Personalise,0.5,Old,New,-1,2,"
                     "https://example.com/a,CRM,See brief,yes,indirect\n"
                     "t2,S,,Plain,,,,,,,,,,,,,,no,direct\n");
    ck_assert_ptr_nonnull(m);
    ck_assert_str_eq(messages(), "");
    const jm_touchpoint *tp = &m->touchpoints[0];
    ck_assert_str_eq(tp->id, "t1");
    ck_assert_str_eq(tp->name, "Mail");
    ck_assert_str_eq(tp->base.action.v[0], "Opens");
    ck_assert_str_eq(tp->base.description, "Newsletter");
    ck_assert_str_eq(tp->base.thought.v[0], "Hm");
    ck_assert_str_eq(tp->base.pain.v[0], "Spam");
    ck_assert_uint_eq(tp->base.opportunity.n, 1);
    ck_assert_str_eq(tp->base.opportunity.v[0], "Personalise");
    ck_assert_double_eq(tp->base.emotion[0], 0.5);
    ck_assert(tp->before.present && tp->after.present);
    ck_assert_str_eq(tp->before.description, "Old");
    ck_assert_str_eq(tp->after.description, "New");
    ck_assert_double_eq(tp->before.emotion[0], -1);
    ck_assert_double_eq(tp->after.emotion[0], 2);
    ck_assert_str_eq(tp->before.src.path, "/touchpoints/0/before");
    ck_assert_str_eq(tp->url, "https://example.com/a");
    ck_assert_str_eq(tp->owner, "CRM");
    ck_assert_str_eq(tp->notes, "See brief");
    ck_assert(tp->moment_of_truth);
    ck_assert(tp->indirect);
    ck_assert_str_eq(channel_of(m, 0)->id, "email");
    tp = &m->touchpoints[1];
    ck_assert(!tp->moment_of_truth && !tp->indirect);
    ck_assert(!tp->before.present && !tp->after.present);
    ck_assert(!tp->base.has_emotion);
    ck_assert_int_eq(tp->channel, -1);
    ck_assert(m->has_states);
    jm_map_free(m);
}
END_TEST

START_TEST(emotion_values)
{
    jm_map *m = load("stage;name;emotion\nS;a;-2\nS;b;+2\nS;c;1,5\nS;d;\xE2\x88\x92"
                     "1\nS;e;0.25\nS;f;-0\n");
    ck_assert_ptr_nonnull(m);
    static const double want[] = {-2, 2, 1.5, -1, 0.25, 0};
    for (size_t i = 0; i < 6; i++)
        ck_assert_double_eq(m->touchpoints[i].base.emotion[0], want[i]);
    jm_map_free(m);
    jm_diags_clear(diags);
    assert_fails("stage;name;emotion\nS;a;high\nS;b;3\nS;c;-2.5\nS;d;1.\nS;e;1e0\nS;f;--1\n",
                 "t.csv:2:5: error: row 1: emotion must be a number from -2 to 2, got \"high\"\n"
                 "t.csv:3:5: error: row 2: emotion must be a number from -2 to 2, got \"3\"\n"
                 "t.csv:4:5: error: row 3: emotion must be a number from -2 to 2, got \"-2.5\"\n"
                 "t.csv:5:5: error: row 4: emotion must be a number from -2 to 2, got \"1.\"\n"
                 "t.csv:6:5: error: row 5: emotion must be a number from -2 to 2, got \"1e0\"\n"
                 "t.csv:7:5: error: row 6: emotion must be a number from -2 to 2, got \"--1\"\n");
}
END_TEST

START_TEST(scale_from_header)
{
    /* An emotion column's "(min…max)" suffix declares the map's scale; values stay as written. */
    jm_map *m = load("stage,name,Score (1\xE2\x80\xA6 5),before emotion,after emotion\n"
                     "S,a,5,1,4.5\nS,b,1,,\n");
    ck_assert_ptr_nonnull(m);
    ck_assert(m->scale.declared);
    ck_assert_double_eq(m->scale.min, 1);
    ck_assert_double_eq(m->scale.max, 5);
    ck_assert_str_eq(m->scale.src.path, "/scale");
    ck_assert_double_eq(m->touchpoints[0].base.emotion[0], 5);
    ck_assert_double_eq(m->touchpoints[0].after.emotion[0], 4.5);
    jm_map_free(m);
    static const char *const headers[] = {"Emotion (0..10)", "Emotion (0-10)", "emotion (0 to 10)",
                                          "Оценка (от 0 до 10)", "score (0 \xE2\x80\x93 10)"};
    for (size_t i = 0; i < sizeof headers / sizeof headers[0]; i++) {
        char text[128];
        snprintf(text, sizeof text, "stage,name,%s\nS,a,10\n", headers[i]);
        m = load(text);
        ck_assert_msg(m && m->scale.min == 0 && m->scale.max == 10, "%s", headers[i]);
        jm_map_free(m);
    }
    /* −2…+2 and suffixes that are no range leave the default, undeclared. */
    m = load("stage,name,Эмоция (-2\xE2\x80\xA6+2),before emotion (how they felt)\nS,a,-2,2\n");
    ck_assert_ptr_nonnull(m);
    ck_assert(!m->scale.declared);
    ck_assert_double_eq(m->scale.min, -2);
    jm_map_free(m);
    assert_fails("stage,name,emotion (1-5)\nS,a,0\nS,b,5.5\n",
                 "t.csv:2:5: error: row 1: emotion must be a number from 1 to 5, got \"0\"\n"
                 "t.csv:3:5: error: row 2: emotion must be a number from 1 to 5, got \"5.5\"\n");
    jm_diags_clear(diags);
    assert_fails(
        "stage,name,emotion (1-5),after emotion (0-10)\nS,a,1,1\n",
        "t.csv:1:26: error: header row: \"after emotion (0-10)\" declares the scale from 0 "
        "to 10, but an earlier column declared it from 1 to 5; every emotion column uses "
        "one scale\n");
}
END_TEST

START_TEST(bad_values)
{
    assert_fails(
        "stage,name,url,moment_of_truth,contact,after_emotion,id\n"
        "S,a,ftp://x,maybe,sideways,9,k\n"
        "S,b,,да,прямой,,k\n",
        "t.csv:2:5: error: row 1: url must start with http:// or https://, got "
        "\"ftp://x\"\n"
        "t.csv:2:13: error: row 1: moment_of_truth must be yes or no, got \"maybe\"\n"
        "t.csv:2:19: error: row 1: contact must be \"direct\" or \"indirect\", got "
        "\"sideways\"\n"
        "t.csv:2:28: error: row 1: after_emotion must be a number from -2 to 2, got \"9\"\n"
        "t.csv:3:17: error: row 2: duplicate id \"k\" (first used on row 1)\n");
}
END_TEST

/* ---- Channels ------------------------------------------------------------------------------- */

START_TEST(channels)
{
    jm_map *m = load("stage;name;channel\n"
                     "S;1;Сайт\nS;2;Мобильное приложение\nS;3;Колл-центр\nS;4;Отделение\n"
                     "S;5;Отделения банка\nS;6;Email\nS;7;Почта\nS;8;Соцсети\nS;9;Магазин\n"
                     "S;10;Call center\nS;11;E-mail\nS;12;Web site\nS;13;Наш Портал\nS;14;сайт\n"
                     "S;15;наш портал!\n");
    ck_assert_ptr_nonnull(m);
    ck_assert_str_eq(messages(), ""); /* unknown channels are no warning in CSV */
    static const char *ids[] = {"website", "app",      "phone",      "branch",  "branch",
                                "email",   "email",    "social",     "store",   "phone",
                                "email",   "web_site", "наш_портал", "website", "наш_портал"};
    for (size_t i = 0; i < 15; i++)
        ck_assert_str_eq(channel_of(m, i)->id, ids[i]);
    /* A built-in channel is named as the catalogue names it, as in a JSON model (the layout
     * shows the Russian name on a Russian map); any other as first written. */
    ck_assert_str_eq(channel_of(m, 0)->name, "Website");
    ck_assert_str_eq(channel_of(m, 3)->name, "Branch / office");
    ck_assert_str_eq(channel_of(m, 7)->name, "Social media");
    ck_assert(channel_of(m, 0)->declared && channel_of(m, 0)->builtin);
    ck_assert_str_eq(channel_of(m, 12)->name, "Наш Портал");
    ck_assert_int_eq(channel_of(m, 12)->kind, JM_KIND_OTHER);
    ck_assert(!channel_of(m, 12)->builtin && !channel_of(m, 12)->unknown);
    ck_assert_str_eq(channel_of(m, 12)->src.path, "/channels/8");
    ck_assert_int_eq(channel_of(m, 12)->src.line, 14);
    ck_assert_int_eq(channel_of(m, 12)->src.col, 6);
    ck_assert_uint_eq(m->n_channels, 9);
    ck_assert_str_eq(m->lang, "ru");
    jm_map_free(m);
}
END_TEST

/* ---- Seed 002: a retail bank's touchpoints before and after optimisation --------------------- */

START_TEST(russian_bank_export)
{
    const char *text = "\xEF\xBB\xBF"
                       "Этап;Канал;Точка контакта;Эмоция до;Эмоция после;До;После\r\n"
                       "Выбор;Сайт;Веб-сайт;-1;1;Сложная навигация, долгая загрузка страниц;"
                       "Интуитивная навигация, быстрая загрузка\r\n"
                       "Оформление;Мобильное приложение;Мобильное приложение;-1;2;"
                       "Ограниченный функционал;Расширенный функционал, персонализация\r\n"
                       "Обслуживание;Колл-центр;Колл-центр;-2;1;Длительное ожидание ответа;"
                       "Быстрый ответ, персонализированный подход\r\n"
                       "Обслуживание;Отделения банка;Отделения банка;-2;1;"
                       "Длительное ожидание в очередях;"
                       "Эффективное распределение потоков клиентов\r\n";
    jm_map *m = load_n("bank.csv", text, strlen(text), NULL);
    ck_assert_ptr_nonnull(m);
    ck_assert_str_eq(messages(), "");
    ck_assert_str_eq(m->title, "bank");
    ck_assert_str_eq(m->lang, "ru");
    ck_assert_uint_eq(m->n_stages, 3);
    ck_assert_str_eq(m->stages[2].name, "Обслуживание");
    ck_assert_uint_eq(m->n_touchpoints, 4);
    static const char *channels[] = {"website", "app", "phone", "branch"};
    static const char *before[] = {"Сложная навигация, долгая загрузка страниц",
                                   "Ограниченный функционал", "Длительное ожидание ответа",
                                   "Длительное ожидание в очередях"};
    static const char *after[] = {
        "Интуитивная навигация, быстрая загрузка", "Расширенный функционал, персонализация",
        "Быстрый ответ, персонализированный подход", "Эффективное распределение потоков клиентов"};
    for (size_t i = 0; i < 4; i++) {
        const jm_touchpoint *tp = &m->touchpoints[i];
        ck_assert_str_eq(channel_of(m, i)->id, channels[i]);
        ck_assert_str_eq(tp->before.description, before[i]);
        ck_assert_str_eq(tp->after.description, after[i]);
        ck_assert(tp->before.has_emotion && tp->after.has_emotion);
        ck_assert(!tp->base.has_emotion);
    }
    ck_assert_double_eq(m->touchpoints[2].before.emotion[0], -2);
    ck_assert(m->has_states);
    jm_map_free(m);
}
END_TEST

START_TEST(example_file)
{
    char path[4096], *data, *err;
    size_t len;
    tu_source_path(path, sizeof path, "data/examples/bank-export.csv");
    ck_assert_int_eq(jm_read_file(path, JM_MAX_INPUT_BYTES, &data, &len, &err), 0);
    jm_map *m = jm_load_csv(path, data, len, NULL, diags);
    ck_assert_ptr_nonnull(m);
    ck_assert_str_eq(messages(), "");
    ck_assert_str_eq(m->title, "bank-export");
    ck_assert_uint_eq(m->n_stages, 5);
    ck_assert_uint_eq(m->n_touchpoints, 11);
    ck_assert(m->has_states);
    jm_map_free(m);
    jm_free(data);
}
END_TEST

/* ---- Header --------------------------------------------------------------------------------- */

START_TEST(unknown_columns)
{
    jm_map *m = load("Stage,Name,Emotoin,Colour,,Task,Эмоцыя\nA,B,x,y,,z,1\n");
    ck_assert_ptr_nonnull(m);
    ck_assert_str_eq(messages(),
                     "t.csv:1:12: warning: header row: unknown column \"Emotoin\" is ignored; "
                     "did you mean \"emotion\"?\n"
                     "t.csv:1:20: warning: header row: unknown column \"Colour\" is ignored\n"
                     "t.csv:1:28: warning: header row: a second name column (\"Task\") is "
                     "ignored\n"
                     "t.csv:1:33: warning: header row: unknown column \"Эмоцыя\" is ignored; "
                     "did you mean \"эмоция\"?\n");
    ck_assert_uint_eq(jm_diags_error_count(diags), 0);
    ck_assert(!m->touchpoints[0].base.has_emotion);
    jm_map_free(m);
}
END_TEST

START_TEST(missing_columns)
{
    assert_fails("Phase;Channel;Emotion\nA;web;1\n",
                 "t.csv:1:1: error: header row: no \"name\" column (also accepted: touchpoint, "
                 "touch point, task, точка контакта, название)\n");
    jm_diags_clear(diags);
    assert_fails("\n\nfoo\n",
                 "t.csv:3:1: warning: header row: unknown column \"foo\" is ignored\n"
                 "t.csv:3:1: error: header row: no \"stage\" column (also accepted: phase, этап, "
                 "стадия, фаза)\n"
                 "t.csv:3:1: error: header row: no \"name\" column (also accepted: touchpoint, "
                 "touch point, task, точка контакта, название)\n");
}
END_TEST

START_TEST(extra_cells)
{
    jm_map *m = load("stage,name\nA,Slow, then fast\nA,B,,\n");
    ck_assert_ptr_nonnull(m);
    ck_assert_str_eq(messages(), "t.csv:2:1: warning: row 1: 1 more cell than the header row "
                                 "has, ignored (does a cell with a \",\" need quotes?)\n");
    ck_assert_str_eq(m->touchpoints[0].name, "Slow");
    jm_map_free(m);
}
END_TEST

/* ---- Errors --------------------------------------------------------------------------------- */

START_TEST(empty_cells)
{
    assert_fails("stage,name,emotion\n,a,1\nB,,1\nC\n",
                 "t.csv:2:1: error: row 1: the stage is empty\n"
                 "t.csv:3:3: error: row 2: the name is empty\n"
                 "t.csv:4:1: error: row 3: the name is empty\n");
}
END_TEST

START_TEST(windows_1251)
{
    /* "Этап;Точка контакта\nВыбор;Сайт" saved by a Russian Excel as Windows-1251. */
    assert_fails("stage;name\n\xc2\xfb\xe1\xee\xf0;\xd1\xe0\xe9\xf2\n",
                 "t.csv:2:1: error: row 1: not valid UTF-8 (byte 0xC2); save the file as \"CSV "
                 "UTF-8\" — a Windows-1251 export is not supported\n");
    jm_diags_clear(diags);
    assert_fails("Stage;Name\nA;\"ok\nstill ok\";\nB;\xcf\xf0\xe8\n",
                 "t.csv:4:3: error: row 2: not valid UTF-8 (byte 0xCF); save the file as \"CSV "
                 "UTF-8\" — a Windows-1251 export is not supported\n");
    jm_diags_clear(diags);
    assert_fails("\xdd\xf2\xe0\xef;name\n",
                 "t.csv:1:1: error: header row: not valid UTF-8 (byte 0xDD); save the file as "
                 "\"CSV UTF-8\" — a Windows-1251 export is not supported\n");
}
END_TEST

START_TEST(utf16_and_nul)
{
    jm_map *m = load_n("t.csv", "\xff\xfes\0t\0", 6, NULL);
    ck_assert_ptr_null(m);
    ck_assert_str_eq(messages(), "t.csv:1:1: error: the file is UTF-16 (\"Unicode text\"); save "
                                 "it as \"CSV UTF-8\"\n");
    jm_diags_clear(diags);
    m = load_n("t.csv", "stage,name\nA,B\0\n", 15, NULL);
    ck_assert_ptr_null(m);
    ck_assert_str_eq(messages(), "t.csv:2:4: error: row 1: a NUL byte: this is not UTF-8 text; "
                                 "save the file as \"CSV UTF-8\"\n");
}
END_TEST

START_TEST(quotes)
{
    assert_fails("stage,name\nA,B\nA,\"never\nclosed,1\n",
                 "t.csv:3:3: error: row 2: the quoted cell is not closed (a \" is missing)\n");
    jm_diags_clear(diags);
    assert_fails("stage,name\nA,\"5\" inch\",x\n",
                 "t.csv:2:7: error: row 1: text after the closing quote (a \" inside a quoted "
                 "cell must be doubled: \"\")\n");
    jm_diags_clear(diags);
    assert_fails("stage,name,thought\nAware,TV ad,\"Nice, but when\nBuy,Checkout,Fast\n"
                 "Use,App,\"Crashes\"\n",
                 "t.csv:4:10: error: row 1: text after a quote that closes the cell opened at "
                 "line 2, column 13; is a closing \" missing there?\n");
    jm_diags_clear(diags);
    /* A quote inside an unquoted cell is text, as in spreadsheet programs. */
    jm_map *m = load("stage,name\nA,5\" screen\n");
    ck_assert_ptr_nonnull(m);
    ck_assert_str_eq(m->touchpoints[0].name, "5\" screen");
    jm_map_free(m);
}
END_TEST

START_TEST(empty_inputs)
{
    assert_fails("", "t.csv: error: the file is empty; expected a header row (stage, name, …) "
                     "and one row per touchpoint\n");
    jm_diags_clear(diags);
    assert_fails("\r\n\r\n", "t.csv: error: the file is empty; expected a header row (stage, "
                             "name, …) and one row per touchpoint\n");
    jm_diags_clear(diags);
    assert_fails("stage,name\n,\n", "t.csv: error: there are no touchpoint rows after the "
                                    "header row\n");
}
END_TEST

START_TEST(titles)
{
    jm_map *m = load_n("exports/2024 Q1.csv", "stage,name\nA,B\n", 15, NULL);
    ck_assert_ptr_nonnull(m);
    ck_assert_str_eq(m->title, "2024 Q1");
    jm_map_free(m);
    m = load_n("exports/2024 Q1.csv", "stage,name\nA,B\n", 15, "Given");
    ck_assert_ptr_nonnull(m);
    ck_assert_str_eq(m->title, "Given");
    jm_map_free(m);
    m = jm_load_csv("-", "stage,name\nA,B\n", 15, NULL, diags);
    ck_assert_ptr_nonnull(m);
    ck_assert_str_eq(m->title, "Journey");
    jm_map_free(m);
}
END_TEST

START_TEST(null_diags)
{
    ck_assert_ptr_null(jm_load_csv("t.csv", "stage,name\n,x\n", 14, NULL, NULL));
}
END_TEST

/* ---- Limits --------------------------------------------------------------------------------- */

START_TEST(limits)
{
    jm_buf b = {0};
    jm_buf_puts(&b, "stage,name\n");
    for (int i = 0; i <= JM_MAX_STAGES; i++)
        jm_buf_printf(&b, "S%d,x\n", i);
    char *text = jm_buf_take(&b);
    assert_fails(text, "t.csv:502:1: error: row 501: too many stages (the limit is 500)\n");
    jm_free(text);
    jm_diags_clear(diags);

    jm_buf_puts(&b, "stage,name\n");
    for (int i = 0; i <= JM_MAX_TOUCHPOINTS; i++)
        jm_buf_puts(&b, "S,x\n");
    text = jm_buf_take(&b);
    assert_fails(text, "t.csv:100002:1: error: row 100001: too many rows (the limit is 100000 "
                       "touchpoints)\n");
    jm_free(text);
    jm_diags_clear(diags);

    jm_buf_puts(&b, "stage,name");
    for (int i = 0; i < 1000; i++)
        jm_buf_puts(&b, ",");
    text = jm_buf_take(&b);
    assert_fails(text, "t.csv:1:1010: error: header row: too many columns (the limit is 1000)\n");
    jm_free(text);
    jm_diags_clear(diags);

    jm_buf_puts(&b, "stage,name\nS,");
    for (size_t i = 0; i <= JM_MAX_STRING_BYTES; i++)
        jm_buf_puts(&b, "x");
    text = jm_buf_take(&b);
    assert_fails(text, "t.csv:2:3: error: row 1: the name is longer than the limit of 65536 "
                       "bytes\n");
    jm_free(text);
}
END_TEST

/* ---- Allocation failure --------------------------------------------------------------------- */

static const char alloc_csv[] =
    "id;stage;channel;name;opportunity;emotion;before;after_emotion;foo\n"
    "a;S;Сайт;N;O;1;B;2;x\n"
    "b;T;Наш портал;M;;;;;\n"
    "c;S;Сайт;K;;;;;\n";

START_TEST(allocation_failures)
{
    tu_load_job job = {jm_load_csv, "x.csv", alloc_csv, 3};
    ck_assert_int_gt(tu_each_allocation_fails(tu_load_whole_or_error, &job, false), 20);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("load_csv");
    TCase *tc = tcase_create("csv");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, comma);
    tcase_add_test(tc, semicolon_bom_crlf);
    tcase_add_test(tc, tab_quoted_newlines);
    tcase_add_test(tc, delimiter_detection);
    tcase_add_test(tc, blank_rows_and_spaces);
    tcase_add_test(tc, stage_first_seen_order);
    tcase_add_test(tc, all_columns);
    tcase_add_test(tc, emotion_values);
    tcase_add_test(tc, scale_from_header);
    tcase_add_test(tc, bad_values);
    tcase_add_test(tc, channels);
    tcase_add_test(tc, russian_bank_export);
    tcase_add_test(tc, example_file);
    tcase_add_test(tc, unknown_columns);
    tcase_add_test(tc, missing_columns);
    tcase_add_test(tc, extra_cells);
    tcase_add_test(tc, empty_cells);
    tcase_add_test(tc, windows_1251);
    tcase_add_test(tc, utf16_and_nul);
    tcase_add_test(tc, quotes);
    tcase_add_test(tc, empty_inputs);
    tcase_add_test(tc, titles);
    tcase_add_test(tc, null_diags);
    tcase_add_test(tc, limits);
    tcase_add_test(tc, allocation_failures);
    suite_add_tcase(s, tc);
    int failed = tu_run_suite(s);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
