/* The Mermaid journey loader: Mermaid's documented example and the cases of its own parser
 * tests (packages/mermaid/src/diagrams/user-journey/parser/journey.spec.ts), every grammar
 * feature, Markdown extraction, and each error with its exact line, column and text. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "load/load.h"
#include "model/model.h"
#include "testutil.h"
#include "util/util.h"

#define NONE JM_EMOTION_NONE

static jm_diags *diags;

static void setup(void) { diags = jm_diags_new(); }
static void teardown(void) { jm_diags_free(diags); }

static jm_map *load_opts(const char *name, const char *text, const char *title)
{
    jm_load_options o = {JM_INPUT_MERMAID, title};
    return jm_load_mermaid(name, text, strlen(text), &o, diags);
}

static jm_map *load(const char *text) { return load_opts("j.mmd", text, NULL); }

static char *messages(void) { return tu_messages(diags); }

static void assert_fails(const char *name, const char *text, const char *expected)
{
    jm_map *m = load_opts(name, text, NULL);
    ck_assert_ptr_null(m);
    ck_assert_str_eq(messages(), expected);
    ck_assert_uint_ge(jm_diags_error_count(diags), 1);
}

static void assert_emotions(const jm_map *m, size_t tp, const double *want, size_t n)
{
    ck_assert_uint_eq(jm_emotion_slots(m), n);
    ck_assert(m->touchpoints[tp].base.has_emotion);
    for (size_t k = 0; k < n; k++)
        ck_assert_double_eq(m->touchpoints[tp].base.emotion[k], want[k]);
}

/* ---- Mermaid's documented example ----------------------------------------------------------- */

static const char *working_day = "journey\n"
                                 "    title My working day\n"
                                 "    section Go to work\n"
                                 "      Make tea: 5: Me\n"
                                 "      Go upstairs: 3: Me\n"
                                 "      Do work: 1: Me, Cat\n"
                                 "    section Go home\n"
                                 "      Go downstairs: 5: Me\n"
                                 "      Sit down: 5: Me\n";

START_TEST(docs_example)
{
    jm_map *m = load(working_day);
    ck_assert_ptr_nonnull(m);
    ck_assert_str_eq(messages(), "");
    ck_assert_str_eq(m->title, "My working day");
    ck_assert_str_eq(m->lang, "en");
    ck_assert_ptr_null(m->description);
    ck_assert_uint_eq(m->n_stages, 2);
    ck_assert_str_eq(m->stages[0].id, "s1");
    ck_assert_str_eq(m->stages[0].name, "Go to work");
    ck_assert_str_eq(m->stages[0].src.path, "/stages/0");
    ck_assert_int_eq(m->stages[0].src.line, 3);
    ck_assert_int_eq(m->stages[0].src.col, 5);
    ck_assert_str_eq(m->stages[1].id, "s2");
    ck_assert_str_eq(m->stages[1].name, "Go home");

    ck_assert_uint_eq(m->n_personas, 2);
    ck_assert_str_eq(m->personas[0].id, "me");
    ck_assert_str_eq(m->personas[0].name, "Me");
    ck_assert_str_eq(m->personas[1].id, "cat");
    ck_assert_str_eq(m->personas[1].name, "Cat");
    ck_assert_str_eq(m->personas[1].src.path, "/personas/1");
    ck_assert_int_eq(m->personas[1].src.line, 6);
    ck_assert_int_eq(m->personas[1].src.col, 23);

    ck_assert_uint_eq(m->n_touchpoints, 5);
    static const char *names[] = {"Make tea", "Go upstairs", "Do work", "Go downstairs",
                                  "Sit down"};
    static const size_t stages[] = {0, 0, 0, 1, 1};
    for (size_t i = 0; i < 5; i++) {
        const jm_touchpoint *tp = &m->touchpoints[i];
        ck_assert_str_eq(tp->name, names[i]);
        ck_assert_uint_eq(tp->stage, stages[i]);
        ck_assert_int_eq(tp->channel, -1);
        ck_assert_uint_eq(tp->order, i);
        ck_assert_ptr_null(tp->id);
        ck_assert_int_eq(tp->src.line, (int)(i < 3 ? 4 + i : 5 + i));
        ck_assert_int_eq(tp->src.col, 7);
        ck_assert_ptr_nonnull(tp->actors);
        ck_assert(tp->actors[0]);
        ck_assert(tp->actors[1] == (i == 2));
        ck_assert(!tp->before.present && !tp->after.present);
    }
    ck_assert_str_eq(m->touchpoints[3].src.path, "/touchpoints/3");
    assert_emotions(m, 0, (double[]){2, NONE}, 2);
    assert_emotions(m, 1, (double[]){0, NONE}, 2);
    assert_emotions(m, 2, (double[]){-2, -2}, 2);
    assert_emotions(m, 4, (double[]){2, NONE}, 2);
    ck_assert(!m->has_states);
    jm_map_free(m);
}
END_TEST

START_TEST(example_file)
{
    char path[4096], *data, *err;
    size_t len;
    tu_source_path(path, sizeof path, "data/examples/working-day.mmd");
    ck_assert_int_eq(jm_read_file(path, JM_MAX_INPUT_BYTES, &data, &len, &err), 0);
    jm_map *m = jm_load_mermaid(path, data, len, NULL, diags);
    ck_assert_ptr_nonnull(m);
    ck_assert_str_eq(m->title, "My working day");
    ck_assert_uint_eq(m->n_touchpoints, 5);
    jm_map_free(m);
    jm_free(data);
}
END_TEST

/* ---- Mermaid's parser tests ----------------------------------------------------------------- */

START_TEST(spec_title_only)
{
    /* Mermaid accepts a journey without sections and draws nothing; a map needs a stage. */
    assert_fails("j.mmd", "journey\ntitle Adding journey diagram functionality to mermaid",
                 "j.mmd:1:1: error: the journey has no sections\n");
}
END_TEST

START_TEST(spec_acc_descr)
{
    jm_map *m = load("journey\n"
                     "accDescr: A user journey for family shopping\n"
                     "title Adding journey diagram functionality to mermaid\n"
                     "section Order from website");
    ck_assert_ptr_nonnull(m);
    ck_assert_str_eq(m->title, "Adding journey diagram functionality to mermaid");
    ck_assert_str_eq(m->description, "A user journey for family shopping");
    ck_assert_uint_eq(m->n_stages, 1);
    ck_assert_str_eq(m->stages[0].name, "Order from website");
    ck_assert_uint_eq(m->n_touchpoints, 0);
    jm_map_free(m);
}
END_TEST

START_TEST(spec_acc_descr_multiline)
{
    /* As in Mermaid's test, the text after `}` on the same line is the next statement. */
    jm_map *m = load("journey\n"
                     "accDescr {\n"
                     "        A user journey for\n"
                     "        family shopping\n"
                     "      }title Adding journey diagram functionality to mermaid\n"
                     "accTitle: Adding acc journey diagram functionality to mermaid\n"
                     "section Order from website");
    ck_assert_ptr_nonnull(m);
    ck_assert_str_eq(m->description, "A user journey for\nfamily shopping");
    ck_assert_str_eq(m->title, "Adding journey diagram functionality to mermaid");
    ck_assert_uint_eq(m->n_stages, 1);
    jm_map_free(m);
}
END_TEST

START_TEST(spec_acc_title)
{
    jm_map *m = load("journey\n    accTitle: The title\n    section Order from website");
    ck_assert_ptr_nonnull(m);
    ck_assert_str_eq(m->title, "The title");
    ck_assert_ptr_null(m->description);
    jm_map_free(m);
}
END_TEST

START_TEST(spec_section)
{
    jm_map *m = load("journey\n"
                     "title Adding journey diagram functionality to mermaid\n"
                     "section Order from website");
    ck_assert_ptr_nonnull(m);
    ck_assert_uint_eq(m->n_stages, 1);
    ck_assert_str_eq(m->stages[0].id, "s1");
    ck_assert_int_eq(m->stages[0].src.line, 3);
    ck_assert_int_eq(m->stages[0].src.col, 1);
    jm_map_free(m);
}
END_TEST

START_TEST(spec_section_line_breaks)
{
    jm_map *m = load("journey\n"
                     "title Adding gantt diagram functionality to mermaid\n"
                     "section Line1<br>Line2<br/>Line3</br />Line4<br\t/>Line5");
    ck_assert_ptr_nonnull(m);
    ck_assert_str_eq(m->stages[0].name, "Line1\nLine2\nLine3\nLine4\nLine5");
    jm_map_free(m);
}
END_TEST

START_TEST(spec_tasks)
{
    jm_map *m = load("journey\n"
                     "title Adding journey diagram functionality to mermaid\n"
                     "section Documentation\n"
                     "A task: 5: Alice, Bob, Charlie\n"
                     "B task: 3:Bob, Charlie\n"
                     "C task: 5\n"
                     "D task: 5: Charlie, Alice\n"
                     "E task: 5:\n"
                     "section Another section\n"
                     "P task: 5:\n"
                     "Q task: 5:\n"
                     "R task: 5:");
    ck_assert_ptr_nonnull(m);
    ck_assert_str_eq(messages(), "");
    ck_assert_uint_eq(m->n_touchpoints, 8);
    ck_assert_uint_eq(m->n_personas, 3);
    ck_assert_str_eq(m->personas[0].name, "Alice");
    ck_assert_str_eq(m->personas[1].name, "Bob");
    ck_assert_str_eq(m->personas[2].name, "Charlie");
    static const char *names[] = {"A task", "B task", "C task", "D task",
                                  "E task", "P task", "Q task", "R task"};
    for (size_t i = 0; i < 8; i++) {
        ck_assert_str_eq(m->touchpoints[i].name, names[i]);
        ck_assert_uint_eq(m->touchpoints[i].stage, i < 5 ? 0 : 1);
    }
    ck_assert_str_eq(m->stages[1].name, "Another section");
    assert_emotions(m, 0, (double[]){2, 2, 2}, 3);
    assert_emotions(m, 1, (double[]){NONE, 0, 0}, 3);
    ck_assert(!m->touchpoints[1].actors[0] && m->touchpoints[1].actors[1]);
    /* No actors (C task) or an empty list (E task): everybody, as Mermaid draws the score. */
    ck_assert_ptr_null(m->touchpoints[2].actors);
    assert_emotions(m, 2, (double[]){2, 2, 2}, 3);
    assert_emotions(m, 3, (double[]){2, NONE, 2}, 3);
    ck_assert_ptr_null(m->touchpoints[4].actors);
    ck_assert_ptr_null(m->touchpoints[7].actors);
    jm_map_free(m);
}
END_TEST

/* ---- Grammar -------------------------------------------------------------------------------- */

START_TEST(spaces_around_colons)
{
    jm_map *m = load("journey\nsection S\n  Task one :4:Me ,  You  \n\tTask two:2 : You\n");
    ck_assert_ptr_nonnull(m);
    ck_assert_str_eq(m->touchpoints[0].name, "Task one");
    ck_assert_str_eq(m->personas[0].name, "Me");
    ck_assert_str_eq(m->personas[1].name, "You");
    assert_emotions(m, 0, (double[]){1, 1}, 2);
    assert_emotions(m, 1, (double[]){NONE, -1}, 2);
    ck_assert_int_eq(m->touchpoints[1].src.col, 2);
    jm_map_free(m);
}
END_TEST

START_TEST(no_personas_one_slot)
{
    jm_map *m = load("journey\nsection S\nA: 1\nB: 2:\n");
    ck_assert_ptr_nonnull(m);
    ck_assert_uint_eq(m->n_personas, 0);
    assert_emotions(m, 0, (double[]){-2}, 1);
    assert_emotions(m, 1, (double[]){-1}, 1);
    ck_assert_ptr_null(m->touchpoints[0].actors);
    jm_map_free(m);
}
END_TEST

START_TEST(comments)
{
    jm_map *m = load("%% leading comment\n"
                     "%%{init: {'theme': 'forest',\n"
                     "   'themeVariables': {}}}%%\n"
                     "journey %% trailing\n"
                     "  %% a comment line\n"
                     "  # another comment line\n"
                     "  title Day %% not part of the title\n"
                     "  section Morning %% not part of the name\n"
                     "    Tea: 5: Me # nor of the actor\n"
                     "    Mail: 2: Me %% nor this\n");
    ck_assert_ptr_nonnull(m);
    ck_assert_str_eq(messages(), "j.mmd:2:1: warning: Mermaid configuration ignored: %%{init}%% "
                                 "directive (line 2); journeymap draws with its own themes "
                                 "(--theme, or \"theme\" in a JSON model)\n");
    ck_assert_str_eq(m->title, "Day");
    ck_assert_str_eq(m->stages[0].name, "Morning");
    ck_assert_uint_eq(m->n_personas, 1);
    ck_assert_str_eq(m->personas[0].name, "Me");
    ck_assert_uint_eq(m->n_touchpoints, 2);
    jm_map_free(m);
}
END_TEST

/* `#` is text in titles, sections and task names (Mermaid cuts "Ticket #42" to "Ticket", its
 * bug mermaid-js/mermaid#7105); it still starts a comment line and a comment after the score. */
START_TEST(hash_is_text_in_names)
{
    jm_map *m = load("journey\n"
                     "  title Ticket #42: refund flow\n"
                     "  # a comment line\n"
                     "  section Call #1 %% a comment\n"
                     "    Ask for refund #7: 2: Me # a comment\n"
                     "    Wait: 3 # a comment\n");
    ck_assert_ptr_nonnull(m);
    ck_assert_str_eq(messages(), "");
    ck_assert_str_eq(m->title, "Ticket #42: refund flow");
    ck_assert_str_eq(m->stages[0].name, "Call #1");
    ck_assert_uint_eq(m->n_touchpoints, 2);
    ck_assert_str_eq(m->touchpoints[0].name, "Ask for refund #7");
    ck_assert_uint_eq(m->n_personas, 1);
    ck_assert_str_eq(m->personas[0].name, "Me");
    jm_map_free(m);
}
END_TEST

/* Mermaid 11 draws any number; 1…5 map onto −2…+2 as the whole numbers do. */
START_TEST(fractional_scores)
{
    jm_map *m = load("journey\nsection S\n  Tea: 3.5: Me\n  Mail: 1.25: Me\n  Go: 5.0: Me\n"
                     "  Sit: 2.: Me\n  Run: 4.1: Me\n");
    ck_assert_ptr_nonnull(m);
    ck_assert_str_eq(messages(), "");
    const double want[] = {0.5, -1.75, 2, -1, 4.1 - 3};
    for (size_t i = 0; i < 5; i++)
        assert_emotions(m, i, &want[i], 1);
    jm_map_free(m);
}
END_TEST

/* %%{init}%% directives and front matter config are ignored, with one warning naming them. */
START_TEST(configuration_is_ignored_with_one_warning)
{
    jm_map *m = load("---\n"
                     "title: Day\n"
                     "config:\n"
                     "  theme: forest\n"
                     "---\n"
                     "%%{init: {'theme': 'dark'}}%%\n"
                     "journey\n"
                     "  %%{ wrap }%%\n"
                     "  section S\n"
                     "    Tea: 3: Me\n");
    ck_assert_ptr_nonnull(m);
    ck_assert_str_eq(messages(),
                     "j.mmd:3:1: warning: Mermaid configuration ignored: front matter `config` "
                     "(line 3), %%{init}%% directive (line 6), %%{wrap}%% directive (line 8); "
                     "journeymap draws with its own themes (--theme, or \"theme\" in a JSON "
                     "model)\n");
    ck_assert_uint_eq(jm_diags_error_count(diags), 0);
    jm_map_free(m);
}
END_TEST

START_TEST(keywords_case_insensitive)
{
    jm_map *m = load("JOURNEY\nTitle Big\nSECTION One\nTask: 3: Me\n");
    ck_assert_ptr_nonnull(m);
    ck_assert_str_eq(m->title, "Big");
    ck_assert_str_eq(m->stages[0].name, "One");
    jm_map_free(m);
}
END_TEST

START_TEST(tasks_before_any_section)
{
    jm_map *m = load("journey\ntitle Errands\nBuy milk: 4\nsection Later\nSleep: 5\n");
    ck_assert_ptr_nonnull(m);
    ck_assert_uint_eq(m->n_stages, 2);
    ck_assert_str_eq(m->stages[0].name, "Errands");
    ck_assert_str_eq(m->stages[0].id, "s1");
    ck_assert_int_eq(m->stages[0].src.line, 3);
    ck_assert_str_eq(m->stages[1].name, "Later");
    jm_map_free(m);

    m = load("journey\nBuy milk: 4\n");
    ck_assert_ptr_nonnull(m);
    ck_assert_str_eq(m->stages[0].name, "Journey");
    ck_assert_str_eq(m->title, "j"); /* the file name */
    jm_map_free(m);
}
END_TEST

START_TEST(repeated_section_is_a_new_stage)
{
    jm_map *m = load("journey\nsection A\nx: 1\nsection B\ny: 2\nsection A\nz: 3\n");
    ck_assert_ptr_nonnull(m);
    ck_assert_uint_eq(m->n_stages, 3);
    ck_assert_str_eq(m->stages[2].id, "s3");
    ck_assert_str_eq(m->stages[2].name, "A");
    ck_assert_uint_eq(m->touchpoints[2].stage, 2);
    jm_map_free(m);
}
END_TEST

START_TEST(front_matter)
{
    jm_map *m = load("---\n"
                     "title: \"Front: matter\"\n"
                     "config:\n"
                     "  journey:\n"
                     "    title: nested keys are not the title\n"
                     "---\n"
                     "journey\n"
                     "section S\n"
                     "T: 3\n");
    ck_assert_ptr_nonnull(m);
    ck_assert_str_eq(m->title, "Front: matter");
    jm_map_free(m);

    m = load("---\ntitle: Front\n---\njourney\ntitle Line\nsection S\n");
    ck_assert_ptr_nonnull(m);
    ck_assert_str_eq(m->title, "Line"); /* the title line wins, as in Mermaid */
    jm_map_free(m);
    jm_diags_clear(diags); /* the first map's warning about `config:` */

    assert_fails("j.mmd", "---\ntitle: x\njourney\nsection S\n",
                 "j.mmd:1:1: error: the front matter is not closed (expected a `---` line)\n");
}
END_TEST

START_TEST(acc_title_and_title)
{
    /* accTitle is dropped as a title when there is one, but still describes the map. */
    jm_map *m = load("journey\ntitle Shown\naccTitle: Spoken\nsection S\n");
    ck_assert_ptr_nonnull(m);
    ck_assert_str_eq(m->title, "Shown");
    ck_assert_str_eq(m->description, "Spoken");
    jm_map_free(m);
}
END_TEST

START_TEST(title_precedence)
{
    jm_map *m = load_opts("some/dir/my-day.mmd", "journey\ntitle Inside\nsection S\n", "Given");
    ck_assert_ptr_nonnull(m);
    ck_assert_str_eq(m->title, "Given");
    jm_map_free(m);
    m = load_opts("some/dir/my-day.mmd", "journey\nsection S\n", NULL);
    ck_assert_ptr_nonnull(m);
    ck_assert_str_eq(m->title, "my-day");
    ck_assert_str_eq(m->file, "some/dir/my-day.mmd");
    jm_map_free(m);
}
END_TEST

START_TEST(crlf_bom_and_russian)
{
    jm_map *m = load("\xEF\xBB\xBFjourney\r\n"
                     "title Открытие вклада\r\n"
                     "section Выбор\r\n"
                     "Сравнить ставки: 2: Клиент\r\n"
                     "section Оформление\r\n"
                     "Заявка: ошибка\r\n");
    ck_assert_ptr_null(m);
    /* Columns count characters: the score starts at character 9 of line 6. */
    ck_assert_str_eq(messages(), "j.mmd:6:9: error: score must be a number from 1 to 5, "
                                 "got \"ошибка\"\n");
    jm_diags_clear(diags);
    m = load("\xEF\xBB\xBFjourney\r\n"
             "title Открытие вклада\r\n"
             "section Выбор\r\n"
             "Сравнить ставки: 2: Клиент\r\n");
    ck_assert_ptr_nonnull(m);
    ck_assert_str_eq(m->lang, "ru");
    ck_assert_str_eq(m->stages[0].name, "Выбор");
    ck_assert_str_eq(m->personas[0].id, "Клиент"); /* ids need not be ASCII */
    ck_assert_int_eq(m->personas[0].src.col, 21);
    jm_map_free(m);
}
END_TEST

START_TEST(persona_ids_unique)
{
    jm_map *m = load("journey\nsection S\nT: 3: Me, me, M.E., !!\n");
    ck_assert_ptr_nonnull(m);
    ck_assert_uint_eq(m->n_personas, 4);
    ck_assert_str_eq(m->personas[0].id, "me");
    ck_assert_str_eq(m->personas[1].id, "me-2");
    ck_assert_str_eq(m->personas[2].id, "m-e");
    ck_assert_str_eq(m->personas[3].id, "persona");
    jm_map_free(m);
}
END_TEST

/* ---- Errors --------------------------------------------------------------------------------- */

START_TEST(bad_scores)
{
    assert_fails("day.mmd",
                 "journey\n"
                 "section Go to work\n"
                 "  Make tea: high: Me\n"
                 "  Go upstairs: 7: Me\n"
                 "  Sit: 0\n"
                 "  Stand:3,5\n"
                 "  Walk:\n"
                 "  Run: : Me\n"
                 "  Jump: -1\n"
                 "  Fly: +3: Me\n"
                 "  Low: 0.99: Me\n"
                 "  High: 5.01: Me\n"
                 "  Exp: 1e0: Me\n"
                 "  Fine: 4.5: Me\n",
                 "day.mmd:3:13: error: score must be a number from 1 to 5, got \"high\"\n"
                 "day.mmd:4:16: error: score must be a number from 1 to 5, got \"7\"\n"
                 "day.mmd:5:8: error: score must be a number from 1 to 5, got \"0\"\n"
                 "day.mmd:6:9: error: score must be a number from 1 to 5, got \"3,5\"\n"
                 "day.mmd:7:8: error: score must be a number from 1 to 5, got \"\"\n"
                 "day.mmd:8:8: error: score must be a number from 1 to 5, got \"\"\n"
                 "day.mmd:9:9: error: score must be a number from 1 to 5, got \"-1\"\n"
                 "day.mmd:10:8: error: score must be a number from 1 to 5, got \"+3\"\n"
                 "day.mmd:11:8: error: score must be a number from 1 to 5, got \"0.99\"\n"
                 "day.mmd:12:9: error: score must be a number from 1 to 5, got \"5.01\"\n"
                 "day.mmd:13:8: error: score must be a number from 1 to 5, got \"1e0\"\n");
}
END_TEST

START_TEST(long_bad_score_is_cut)
{
    assert_fails("j.mmd",
                 "journey\nsection S\nT: "
                 "ééééééééééééééééééééééééééééééééééééééééééééééééééé\n",
                 "j.mmd:3:4: error: score must be a number from 1 to 5, got "
                 "\"éééééééééééééééééééé…\"\n");
}
END_TEST

START_TEST(not_a_journey)
{
    assert_fails("j.mmd", "graph TD\n  A --> B\n",
                 "j.mmd:1:1: error: expected a Mermaid `journey` diagram\n");
    jm_diags_clear(diags);
    assert_fails("j.mmd", "%% comment\n\n  journeys\n",
                 "j.mmd:3:3: error: expected a Mermaid `journey` diagram\n");
}
END_TEST

START_TEST(unknown_line)
{
    assert_fails("j.mmd",
                 "journey\nsection S\n  Make tea 5 Me\n  : 3\ntitle\nsection\n"
                 "  sectoin Payment\naccTitel: x\n",
                 "j.mmd:3:3: error: unexpected text; expected section, task (name: score: "
                 "actors), title, accTitle, accDescr or a %% comment\n"
                 "j.mmd:4:3: error: a task needs a name before the `:` (name: score: actors)\n"
                 "j.mmd:5:1: error: expected a text after `title`\n"
                 "j.mmd:6:1: error: expected a name after `section`\n"
                 "j.mmd:7:3: error: unexpected text; expected section, task (name: score: "
                 "actors), title, accTitle, accDescr or a %% comment; did you mean `section`?\n"
                 "j.mmd:8:11: error: score must be a number from 1 to 5, got \"x\"\n");
}
END_TEST

START_TEST(empty_input)
{
    assert_fails("j.mmd", "",
                 "j.mmd: error: the input is empty; expected a Mermaid `journey` diagram\n");
    jm_diags_clear(diags);
    assert_fails("j.mmd", "\n  \n%% only a comment\n",
                 "j.mmd: error: the input is empty; expected a Mermaid `journey` diagram\n");
}
END_TEST

START_TEST(invalid_utf8)
{
    assert_fails("j.mmd", "journey\nsection S\nT\xCF\xF0: 5\n",
                 "j.mmd:3:2: error: not valid UTF-8 (byte 0xCF); save the file as UTF-8\n");
    jm_diags_clear(diags);
    jm_map *m = jm_load_mermaid("j.mmd", "journey\nsection S\0\n", 19, NULL, diags);
    ck_assert_ptr_null(m);
    ck_assert_str_eq(messages(), "j.mmd:2:10: error: not UTF-8 text (a NUL byte); save the "
                                 "file as UTF-8\n");
}
END_TEST

START_TEST(acc_descr_not_closed)
{
    assert_fails("j.mmd", "journey\nsection S\naccDescr {\n  words\n",
                 "j.mmd:3:1: error: the accDescr { block is not closed (expected `}`)\n");
}
END_TEST

START_TEST(all_errors_in_one_run)
{
    jm_map *m = load("journey\nsection S\na: 9\nb: x\nweird\n");
    ck_assert_ptr_null(m);
    ck_assert_uint_eq(jm_diags_error_count(diags), 3);
}
END_TEST

START_TEST(null_diags)
{
    ck_assert_ptr_null(jm_load_mermaid("j.mmd", "journey\nT: 9", 12, NULL, NULL));
}
END_TEST

START_TEST(limits)
{
    jm_buf b = {0};
    jm_buf_puts(&b, "journey\nsection S\nT: 3: ");
    for (int i = 0; i <= JM_MAX_PERSONAS; i++)
        jm_buf_printf(&b, "%sP%d", i ? ", " : "", i);
    jm_buf_puts(&b, "\n");
    char *text = jm_buf_take(&b);
    assert_fails("j.mmd", text, "j.mmd:3:247: error: too many actors (the limit is 50)\n");
    jm_free(text);
    jm_diags_clear(diags);

    jm_buf_puts(&b, "journey\n");
    for (int i = 0; i <= JM_MAX_STAGES; i++)
        jm_buf_printf(&b, "section S%d\n", i);
    text = jm_buf_take(&b);
    assert_fails("j.mmd", text, "j.mmd:502:1: error: too many sections (the limit is 500)\n");
    jm_free(text);
}
END_TEST

/* ---- Markdown -------------------------------------------------------------------------------- */

static const char *markdown = "# Journeys\n"                      /* 1 */
                              "\n"                                /* 2 */
                              "````markdown\n"                    /* 3 */
                              "```mermaid\n"                      /* 4 */
                              "journey\n"                         /* 5 */
                              "section Quoted, not a diagram\n"   /* 6 */
                              "```\n"                             /* 7 */
                              "````\n"                            /* 8 */
                              "```mermaid\n"                      /* 9 */
                              "flowchart LR\n"                    /* 10 */
                              "  A --> B\n"                       /* 11 */
                              "```\n"                             /* 12 */
                              "Some prose: 5: Me\n"               /* 13 */
                              "  ```mermaid\n"                    /* 14 */
                              "  %% a comment\n"                  /* 15 */
                              "\n"                                /* 16 */
                              "journey\n"                         /* 17 */
                              "  title In Markdown\n"             /* 18 */
                              "  section First\n"                 /* 19 */
                              "    Read: 4: Me\n"                 /* 20 */
                              "    Write: nope: Me\n"             /* 21 */
                              "  ```\n"                           /* 22 */
                              "```mermaid\n"                      /* 23 */
                              "journey\n"                         /* 24 */
                              "section Second block is ignored\n" /* 25 */
                              "```\n";                            /* 26 */

START_TEST(markdown_block)
{
    /* The block at line 14 is the first journey: line numbers are those of the .md file. */
    assert_fails("notes.md", markdown,
                 "notes.md:21:12: error: score must be a number from 1 to 5, got \"nope\"\n");
    jm_diags_clear(diags);

    char *fixed = strdup(markdown);
    memcpy(strstr(fixed, "nope"), "   2", 4);
    jm_map *m = load_opts("notes.MD", fixed, NULL);
    ck_assert_ptr_nonnull(m);
    ck_assert_str_eq(m->title, "In Markdown");
    ck_assert_uint_eq(m->n_stages, 1);
    ck_assert_str_eq(m->stages[0].name, "First");
    ck_assert_int_eq(m->stages[0].src.line, 19);
    ck_assert_int_eq(m->touchpoints[1].src.line, 21);
    ck_assert_int_eq(m->touchpoints[1].src.col, 5);
    jm_map_free(m);
    free(fixed);
}
END_TEST

START_TEST(markdown_without_journey)
{
    assert_fails("a.md", "# Title\n\n```mermaid\ngraph TD\n```\n\n```js\njourney\n```\n",
                 "a.md: error: no ```mermaid block with a `journey` diagram in this Markdown "
                 "file\n");
}
END_TEST

START_TEST(markdown_unclosed_block)
{
    /* An unclosed fence runs to the end of the file (CommonMark). */
    jm_map *m =
        load_opts("a.markdown", "Text\n~~~ mermaid title\njourney\nsection S\nT: 1\n", NULL);
    ck_assert_ptr_nonnull(m);
    ck_assert_int_eq(m->touchpoints[0].src.line, 5);
    jm_map_free(m);
}
END_TEST

/* ---- Allocation failure --------------------------------------------------------------------- */

static const char alloc_mmd[] = "---\ntitle: F\n---\njourney\naccDescr {\n a\n b\n}\naccTitle: T\n"
                                "title X\nbefore: 3\nsection A<br>B\nT1: 5: Me, You\nT2: 1\n";

START_TEST(allocation_failures)
{
    tu_load_job job = {jm_load_mermaid, "x.mmd", alloc_mmd, 3};
    ck_assert_int_gt(tu_each_allocation_fails(tu_load_whole_or_error, &job, false), 20);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("load_mermaid");
    TCase *tc = tcase_create("mermaid");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, docs_example);
    tcase_add_test(tc, example_file);
    tcase_add_test(tc, spec_title_only);
    tcase_add_test(tc, spec_acc_descr);
    tcase_add_test(tc, spec_acc_descr_multiline);
    tcase_add_test(tc, spec_acc_title);
    tcase_add_test(tc, spec_section);
    tcase_add_test(tc, spec_section_line_breaks);
    tcase_add_test(tc, spec_tasks);
    tcase_add_test(tc, spaces_around_colons);
    tcase_add_test(tc, no_personas_one_slot);
    tcase_add_test(tc, comments);
    tcase_add_test(tc, hash_is_text_in_names);
    tcase_add_test(tc, fractional_scores);
    tcase_add_test(tc, configuration_is_ignored_with_one_warning);
    tcase_add_test(tc, keywords_case_insensitive);
    tcase_add_test(tc, tasks_before_any_section);
    tcase_add_test(tc, repeated_section_is_a_new_stage);
    tcase_add_test(tc, front_matter);
    tcase_add_test(tc, acc_title_and_title);
    tcase_add_test(tc, title_precedence);
    tcase_add_test(tc, crlf_bom_and_russian);
    tcase_add_test(tc, persona_ids_unique);
    tcase_add_test(tc, bad_scores);
    tcase_add_test(tc, long_bad_score_is_cut);
    tcase_add_test(tc, not_a_journey);
    tcase_add_test(tc, unknown_line);
    tcase_add_test(tc, empty_input);
    tcase_add_test(tc, invalid_utf8);
    tcase_add_test(tc, acc_descr_not_closed);
    tcase_add_test(tc, all_errors_in_one_run);
    tcase_add_test(tc, null_diags);
    tcase_add_test(tc, limits);
    tcase_add_test(tc, markdown_block);
    tcase_add_test(tc, markdown_without_journey);
    tcase_add_test(tc, markdown_unclosed_block);
    tcase_add_test(tc, allocation_failures);
    suite_add_tcase(s, tc);
    int failed = tu_run_suite(s);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
