/* The JSON loader, json_pos and the model writer: a valid map builds the right model; every
 * validation rule reports its message at the right line, column and path; hostile input
 * (empty, truncated, bad UTF-8, deep, huge) fails cleanly; photos are confined to the input's
 * folder; load → jm_map_to_json → load gives the same map; allocation failures never crash. */
#include <check.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "load/load.h"
#include "model/model.h"
#include "testutil.h"
#include "util/json_pos.h"
#include "util/util.h"

/* ---- Helpers ------------------------------------------------------------------------------ */

/* Every diagnostic formatted, one per line (what `journeymap validate` prints). */
static char *format_diags(const jm_diags *d)
{
    jm_buf b = {0};
    jm_buf_append(&b, "", 0);
    for (size_t i = 0; i < jm_diags_count(d); i++) {
        char *s = jm_diag_format(jm_diags_get(d, i));
        jm_buf_puts(&b, s);
        jm_buf_puts(&b, "\n");
        jm_free(s);
    }
    return jm_buf_take(&b);
}

/* Loads text as `name`; *out gets the diagnostics (free with jm_free). */
static jm_map *load(const char *name, const char *text, size_t len, char **out)
{
    jm_diags *d = jm_diags_new();
    jm_map *m = jm_load_json(name, text, len, d);
    *out = format_diags(d);
    if (m)
        ck_assert_uint_eq(jm_diags_error_count(d), 0);
    else
        ck_assert_uint_gt(jm_diags_error_count(d), 0);
    jm_diags_free(d);
    return m;
}

/* Asserts that text fails with exactly `expected` (the diagnostics, one per line). */
static void expect_diags(const char *text, const char *expected)
{
    char *got;
    jm_map *m = load("bank.json", text, strlen(text), &got);
    ck_assert_msg(m == NULL, "loaded, expected errors:\n%s", expected);
    ck_assert_str_eq(got, expected);
    jm_free(got);
}

/* The stages every rule test shares (lines 2–7 of each input). */
#define HEAD                                                                                       \
    "{\"journeymap\": 1, \"title\": \"Current account\",\n"                                        \
    " \"stages\": [\n"                                                                             \
    "  {\"id\": \"aware\", \"name\": \"Aware\"},\n"                                                \
    "  {\"id\": \"choose\", \"name\": \"Choose\"},\n"                                              \
    "  {\"id\": \"open\", \"name\": \"Open\"},\n"                                                  \
    "  {\"id\": \"use\", \"name\": \"Use\"}],\n"

static const char valid_map[] =
    "{\n"
    "  \"journeymap\": 1,\n"
    "  \"title\": \"Opening a current account\",\n"
    "  \"subtitle\": \"Retail bank, before and after the app redesign\",\n"
    "  \"lang\": \"ru-RU\",\n"
    "  \"personas\": [\n"
    "    {\"id\": \"anna\", \"name\": \"Анна\", \"quote\": \"Хочу быстро\",\n"
    "     \"demographics\": {\"Age\": 35, \"City\": \"Kazan\", \"Income\": 1.50},\n"
    "     \"psychographics\": {\"Values\": \"Time\"},\n"
    "     \"goals\": [\"Open an account online\"], \"color\": \"#1f6feb\"},\n"
    "    {\"id\": \"ivan\", \"name\": \"Ivan\"}\n"
    "  ],\n"
    "  \"stages\": [\n"
    "    {\"id\": \"aware\", \"name\": \"Awareness\", \"questions\": \"Which bank?\",\n"
    "     \"metrics\": [{\"name\": \"Reach\", \"value\": 0.25, \"unit\": \"%\", \"target\": "
    "0.3}]},\n"
    "    {\"id\": \"open\", \"name\": \"Opening\", \"goal\": \"Account in 10 minutes\"}\n"
    "  ],\n"
    "  \"channels\": [{\"id\": \"web\", \"name\": \"Bank site\"}, {\"id\": \"partner\", \"kind\": "
    "\"offline\"}],\n"
    "  \"touchpoints\": [\n"
    "    {\"id\": \"ad\", \"stage\": \"aware\", \"channel\": \"tv\", \"name\": \"TV ad\", "
    "\"emotion\": 1, \"contact\": \"indirect\"},\n"
    "    {\"id\": \"site\", \"stage\": \"aware\", \"channel\": \"website\", \"name\": \"Tariffs\", "
    "\"emotion\": {\"anna\": 2, \"ivan\": -1}},\n"
    "    {\"id\": \"call\", \"stage\": \"open\", \"channel\": \"call_center\", \"name\": "
    "\"Calls\", "
    "\"actors\": [\"ivan\"], \"emotion\": -1,\n"
    "     \"moment_of_truth\": true, \"url\": \"https://bank.example/call\",\n"
    "     \"before\": {\"emotion\": -2, \"metrics\": [{\"name\": \"Wait\", \"value\": 300, "
    "\"unit\": "
    "\"s\", \"better\": \"lower\"}]},\n"
    "     \"after\": {\"emotion\": 1, \"pain\": \"None\", \"metrics\": [{\"name\": \"Wait\", "
    "\"value\": 30, \"unit\": \"s\", \"better\": \"lower\"}]}},\n"
    "    {\"stage\": \"open\", \"channel\": \"partner_desk\", \"name\": \"Partner desk\", "
    "\"opportunity\": [\"Train staff\", \"Short form\"]}\n"
    "  ],\n"
    "  \"items\": [\n"
    "    {\"lane\": \"backstage\", \"stage\": \"open\", \"text\": \"KYC check\", \"touchpoint\": "
    "\"call\"},\n"
    "    {\"lane\": \"risks\", \"stage\": \"aware\", \"text\": \"Fraud\"}\n"
    "  ],\n"
    "  \"states\": {\"before\": {\"label\": \"As is\"}, \"after\": {\"label\": \"To be\"}},\n"
    "  \"lanes\": [\"stages\", {\"id\": \"actions\", \"name\": \"Doing\"}, \"touchpoints\", "
    "\"emotions\", \"backstage\", {\"id\": \"risks\", \"name\": \"Risks\"}],\n"
    "  \"theme\": {\"card_width\": 150}\n"
    "}\n";

/* ---- A valid map --------------------------------------------------------------------------- */

START_TEST(test_valid_map_builds_model)
{
    char *diags;
    jm_map *m = load("maps/bank.json", valid_map, strlen(valid_map), &diags);
    ck_assert_ptr_nonnull(m);
    /* the only message: the undeclared, unknown channel */
    ck_assert_str_eq(diags, "maps/bank.json:26:34: warning: /touchpoints/3/channel: unknown "
                            "channel \"partner_desk\"; declare it in \"channels\" to name it\n");
    jm_free(diags);

    ck_assert_str_eq(m->title, "Opening a current account");
    ck_assert_str_eq(m->lang, "ru-RU");
    ck_assert_str_eq(m->base_dir, "maps");
    ck_assert_uint_eq(m->n_personas, 2);
    ck_assert_uint_eq(m->n_stages, 2);
    ck_assert_uint_eq(m->n_touchpoints, 4);
    ck_assert_uint_eq(m->n_items, 2);

    const jm_persona *anna = &m->personas[0];
    ck_assert_str_eq(anna->name, "Анна");
    ck_assert_uint_eq(anna->n_demographics, 3);
    ck_assert_str_eq(anna->demographics[0].key, "Age");
    ck_assert_str_eq(anna->demographics[0].value, "35");
    ck_assert_str_eq(anna->demographics[1].key, "City");
    ck_assert_str_eq(anna->demographics[2].value, "1.50"); /* as written */
    ck_assert_uint_eq(anna->goals.n, 1);
    ck_assert_str_eq(anna->src.path, "/personas/0");
    ck_assert_int_eq(anna->src.line, 7);
    ck_assert_int_eq(anna->src.col, 5);

    ck_assert_uint_eq(m->stages[0].questions.n, 1);
    ck_assert_str_eq(m->stages[0].questions.v[0], "Which bank?");
    ck_assert_uint_eq(m->stages[0].metrics.n, 1);
    ck_assert_double_eq(m->stages[0].metrics.v[0].value, 0.25);
    ck_assert(m->stages[0].metrics.v[0].has_target);

    /* declared channels first, then built-ins and unknowns as first used */
    ck_assert_uint_eq(m->n_channels, 5);
    ck_assert_str_eq(m->channels[0].name, "Bank site");
    ck_assert(m->channels[0].declared && m->channels[0].builtin);
    ck_assert_int_eq(m->channels[1].kind, JM_KIND_OFFLINE);
    ck_assert_str_eq(m->channels[1].name, "partner");
    ck_assert_str_eq(m->channels[2].id, "tv");
    ck_assert(m->channels[2].builtin && !m->channels[2].declared);
    ck_assert_str_eq(m->channels[2].src.path, "");
    ck_assert_str_eq(m->channels[3].id, "phone"); /* alias call_center → canonical id */
    ck_assert_str_eq(m->channels[4].id, "partner_desk");
    ck_assert(m->channels[4].unknown);
    ck_assert_int_eq(m->channels[4].kind, JM_KIND_OTHER);

    const jm_touchpoint *ad = &m->touchpoints[0], *site = &m->touchpoints[1];
    const jm_touchpoint *call = &m->touchpoints[2], *desk = &m->touchpoints[3];
    ck_assert_int_eq(ad->channel, 2);
    ck_assert_int_eq(site->channel, 0); /* "website" finds the declared "web" */
    ck_assert_int_eq(call->channel, 3);
    ck_assert_int_eq(desk->channel, 4);
    ck_assert(ad->indirect && !call->indirect);
    ck_assert(ad->base.has_emotion);
    ck_assert_double_eq(ad->base.emotion[0], 1);
    ck_assert_double_eq(ad->base.emotion[1], 1);
    ck_assert_double_eq(site->base.emotion[0], 2);
    ck_assert_double_eq(site->base.emotion[1], -1);
    /* a number applies to the actors only */
    ck_assert_ptr_nonnull(call->actors);
    ck_assert(!call->actors[0] && call->actors[1]);
    ck_assert_double_eq(call->base.emotion[0], JM_EMOTION_NONE);
    ck_assert_double_eq(call->base.emotion[1], -1);
    ck_assert(call->moment_of_truth);
    ck_assert(call->before.present && call->after.present);
    ck_assert_double_eq(call->before.emotion[1], -2);
    ck_assert_double_eq(call->after.emotion[1], 1);
    ck_assert_int_eq(call->before.metrics.v[0].better, JM_BETTER_LOWER);
    ck_assert_uint_eq(call->after.pain.n, 1);
    ck_assert_str_eq(call->after.pain.v[0], "None");
    ck_assert_str_eq(call->before.src.path, "/touchpoints/2/before");
    ck_assert_uint_eq(call->order, 2);
    ck_assert_uint_eq(call->stage, 1);
    ck_assert(!desk->base.has_emotion);
    ck_assert_double_eq(desk->base.emotion[0], JM_EMOTION_NONE);
    ck_assert_uint_eq(desk->base.opportunity.n, 2);
    ck_assert_ptr_null(desk->id);
    ck_assert(m->has_states);

    ck_assert_int_eq(m->items[0].lane, JM_LANE_BACKSTAGE);
    ck_assert_int_eq(m->items[0].touchpoint, 2);
    ck_assert_int_eq(m->items[1].lane, JM_LANE_CUSTOM);
    ck_assert_int_eq(m->items[1].custom, 0);
    ck_assert_str_eq(m->state_label[0], "As is");
    ck_assert_str_eq(m->state_label[1], "To be");
    ck_assert(m->lanes_explicit);
    ck_assert_uint_eq(m->n_lanes, 6);
    ck_assert_int_eq(m->lanes[1].type, JM_LANE_ACTIONS);
    ck_assert_str_eq(m->lanes[1].name, "Doing");
    ck_assert_int_eq(m->lanes[5].type, JM_LANE_CUSTOM);
    ck_assert_uint_eq(m->n_custom_lanes, 1);
    ck_assert_str_eq(m->custom_lanes[0].id, "risks");
    ck_assert_str_eq(m->theme_json, "{\"card_width\":150}");
    jm_map_free(m);
}
END_TEST

START_TEST(test_defaults_and_single_persona)
{
    const char *text = "{\"journeymap\": 1, \"title\": \"T\", \"persona\": {\"name\": \"Anna\"},\n"
                       " \"stages\": [{\"id\": \"a\", \"name\": \"A\"}],\n"
                       " \"touchpoints\": [{\"stage\": \"a\", \"name\": \"N\", \"emotion\": -2}]}";
    char *diags;
    jm_map *m = load("-", text, strlen(text), &diags);
    ck_assert_ptr_nonnull(m);
    ck_assert_str_eq(diags, "");
    ck_assert_str_eq(m->lang, "en");
    ck_assert_str_eq(m->base_dir, ".");
    ck_assert_uint_eq(m->n_personas, 1);
    ck_assert_str_eq(m->personas[0].id, "");
    ck_assert_int_eq(m->touchpoints[0].channel, -1);
    ck_assert_double_eq(m->touchpoints[0].base.emotion[0], -2);
    ck_assert(!m->has_states && !m->lanes_explicit);
    jm_free(diags);
    jm_map_free(m);
}
END_TEST

/* ---- Validation rules, each at its line, column and path ---------------------------------- */

START_TEST(test_missing_and_wrong_types)
{
    expect_diags("{\"journeymap\": 1,\n"
                 " \"stages\": [{\"id\": \"aware\"}]}",
                 "bank.json:1:1: error: missing required key \"title\"\n"
                 "bank.json:2:13: error: /stages/0: missing required key \"name\"\n");
    expect_diags("{\"journeymap\": \"1\", \"title\": [\"x\"], \"stages\": {}}",
                 "bank.json:1:16: error: /journeymap: expected the format version 1, got a "
                 "string\n"
                 "bank.json:1:30: error: /title: expected a string, got an array\n"
                 "bank.json:1:47: error: /stages: expected an array, got an object\n");
}
END_TEST

/* action, thought and pain (and their before/after copies) take a string or an array of
 * strings, as opportunity does. */
START_TEST(test_text_lists)
{
    const char *text =
        "{\"journeymap\": 1, \"title\": \"T\", \"stages\": [{\"id\": \"s\", \"name\": \"S\"}],\n"
        " \"touchpoints\": [{\"stage\": \"s\", \"name\": \"Pay\",\n"
        "   \"pain\": [\"Tiny buttons\", \"Slot hidden\"], \"thought\": \"Hm\",\n"
        "   \"action\": [\"Opens the app\"],\n"
        "   \"after\": {\"pain\": [\"None\"], \"action\": [\"Taps\", \"Pays\"]}}]}";
    char *got;
    jm_map *m = load("bank.json", text, strlen(text), &got);
    ck_assert_ptr_nonnull(m);
    ck_assert_str_eq(got, "");
    jm_free(got);
    const jm_touchpoint *tp = &m->touchpoints[0];
    ck_assert_uint_eq(tp->base.pain.n, 2);
    ck_assert_str_eq(tp->base.pain.v[1], "Slot hidden");
    ck_assert(!tp->base.pain.single);
    ck_assert_uint_eq(tp->base.thought.n, 1);
    ck_assert(tp->base.thought.single);
    ck_assert_uint_eq(tp->base.action.n, 1);
    ck_assert(!tp->base.action.single);
    ck_assert_uint_eq(tp->after.action.n, 2);
    ck_assert_str_eq(tp->after.action.v[1], "Pays");
    jm_tp_view v;
    jm_tp_view_get(m, tp, JM_STATE_AFTER, &v);
    ck_assert_str_eq(v.pain->v[0], "None");
    ck_assert_str_eq(v.thought->v[0], "Hm"); /* not overridden: the touchpoint's own */
    jm_map_free(m);

    expect_diags("{\"journeymap\": 1, \"title\": \"T\", \"stages\": [{\"id\": \"s\", \"name\": "
                 "\"S\"}],\n"
                 " \"touchpoints\": [{\"stage\": \"s\", \"name\": \"Pay\", \"pain\": [1],\n"
                 "   \"before\": {\"thought\": {}}}]}",
                 "bank.json:2:57: error: /touchpoints/0/pain/0: expected a string, got a number\n"
                 "bank.json:3:26: error: /touchpoints/0/before/thought: expected a string or an "
                 "array of strings, got an object\n");
}
END_TEST

START_TEST(test_version_title_stages)
{
    expect_diags("{\"journeymap\": 2, \"title\": \"T\", \"stages\": []}",
                 "bank.json:1:16: error: /journeymap: unsupported format version 2; this "
                 "journeymap reads version 1\n"
                 "bank.json:1:43: error: /stages: the stage list is empty: a map needs at least "
                 "one stage\n");
    expect_diags("{\"title\": \"T\"}", "bank.json:1:1: error: missing required key "
                                       "\"journeymap\"\n"
                                       "bank.json:1:1: error: missing required key \"stages\"\n");
}
END_TEST

START_TEST(test_unknown_stage)
{
    expect_diags(HEAD " \"touchpoints\": [\n"
                      "  {\"stage\": \"aware\", \"name\": \"Sees an ad\"},\n"
                      "  {\"stage\": \"aware\", \"name\": \"Hears\"},\n"
                      "  {\"stage\": \"aware\", \"name\": \"Reads\"},\n"
                      "  {\"stage\": \"consider\", \"name\": \"Compares tariffs\"},\n"
                      "  {\"stage\": \"opne\", \"name\": \"Fills the form\"}]}",
                 "bank.json:11:13: error: /touchpoints/3/stage: unknown stage \"consider\" "
                 "(stages: aware, choose, open, use)\n"
                 "bank.json:12:13: error: /touchpoints/4/stage: unknown stage \"opne\" (did you "
                 "mean \"open\"?)\n");
}
END_TEST

START_TEST(test_duplicate_ids)
{
    expect_diags("{\"journeymap\": 1, \"title\": \"T\",\n"
                 " \"personas\": [{\"id\": \"anna\", \"name\": \"A\"}, {\"id\": \"anna\", "
                 "\"name\": \"B\"}],\n"
                 " \"stages\": [{\"id\": \"a\", \"name\": \"A\"}, {\"id\": \"a\", \"name\": "
                 "\"B\"}],\n"
                 " \"channels\": [{\"id\": \"web\"}, {\"id\": \"web\"}],\n"
                 " \"touchpoints\": [{\"id\": \"t\", \"stage\": \"a\", \"name\": \"N\"},\n"
                 "                 {\"id\": \"t\", \"stage\": \"a\", \"name\": \"N\"}]}",
                 "bank.json:2:51: error: /personas/1/id: duplicate persona id \"anna\" (first "
                 "defined at line 2)\n"
                 "bank.json:3:46: error: /stages/1/id: duplicate stage id \"a\" (first defined "
                 "at line 3)\n"
                 "bank.json:4:37: error: /channels/1/id: duplicate channel id \"web\" (first "
                 "defined at line 4)\n"
                 "bank.json:6:25: error: /touchpoints/1/id: duplicate touchpoint id \"t\" (first "
                 "defined at line 5)\n");
}
END_TEST

START_TEST(test_emotion_rules)
{
    expect_diags(HEAD " \"personas\": [{\"id\": \"anna\", \"name\": \"Anna\"}, {\"id\": \"ivan\", "
                      "\"name\": \"Ivan\"}],\n"
                      " \"touchpoints\": [\n"
                      "  {\"stage\": \"aware\", \"name\": \"Ad\", \"emotion\": 3},\n"
                      "  {\"stage\": \"aware\", \"name\": \"Ad\", \"emotion\": {\"anna\": 1, "
                      "\"bob\": -1}},\n"
                      "  {\"stage\": \"aware\", \"name\": \"Ad\", \"emotion\": \"happy\"},\n"
                      "  {\"stage\": \"aware\", \"name\": \"Ad\", \"actors\": [\"ivan\", "
                      "\"petr\"], \"after\": {\"emotion\": -2.5}}]}",
                 "bank.json:9:47: error: /touchpoints/0/emotion: emotion must be between -2 and "
                 "2, got 3\n"
                 "bank.json:10:59: error: /touchpoints/1/emotion/bob: unknown persona \"bob\" "
                 "(personas: anna, ivan)\n"
                 "bank.json:11:47: error: /touchpoints/2/emotion: expected an emotion from -2 to 2 "
                 "or an object of persona id → emotion, got a string\n"
                 "bank.json:12:55: error: /touchpoints/3/actors/1: unknown persona \"petr\" "
                 "(personas: anna, ivan)\n"
                 "bank.json:12:85: error: /touchpoints/3/after/emotion: emotion must be between "
                 "-2 and 2, got -2.5\n");
}
END_TEST

START_TEST(test_scale)
{
    const char *text = "{\"journeymap\": 1, \"title\": \"T\",\n"
                       " \"scale\": {\"min\": 0, \"max\": 10, \"labels\": {\"10\": \"Yes\", \"0\": "
                       "\"No\", \"2.5\": "
                       "\"Meh\"}},\n"
                       " \"stages\": [{\"id\": \"a\", \"name\": \"A\"}],\n"
                       " \"touchpoints\": [{\"stage\": \"a\", \"name\": \"N\", \"emotion\": 7.5}]}";
    char *diags;
    jm_map *m = load("-", text, strlen(text), &diags);
    ck_assert_ptr_nonnull(m);
    ck_assert_str_eq(diags, "");
    ck_assert(m->scale.declared);
    ck_assert_double_eq(m->scale.min, 0);
    ck_assert_double_eq(m->scale.max, 10);
    ck_assert_double_eq(m->touchpoints[0].base.emotion[0], 7.5); /* kept as written */
    ck_assert_uint_eq(m->scale.n_labels, 3);
    ck_assert_double_eq(m->scale.labels[0].value, 0); /* in value order */
    ck_assert_str_eq(m->scale.labels[1].text, "Meh");
    ck_assert_str_eq(m->scale.labels[1].src.path, "/scale/labels/2.5");
    ck_assert_int_eq(m->scale.labels[1].src.line, 2);
    ck_assert_str_eq(jm_scale_label_of(m, 10), "Yes");
    ck_assert_ptr_null(jm_scale_label_of(m, 5));
    char *json = jm_map_to_json(m);
    ck_assert_ptr_nonnull(strstr(json,
                                 "  \"scale\": {\n    \"min\": 0,\n    \"max\": 10,\n    "
                                 "\"labels\": {\n      \"0\": \"No\",\n      \"2.5\": \"Meh\""));
    jm_free(json);
    jm_free(diags);
    jm_map_free(m);

    expect_diags(HEAD " \"scale\": {\"min\": 1, \"max\": 5, \"labels\": {\"one\": \"x\", \"7\": "
                      "\"High\", \"5\": \"\", \"0x2\": \"Hex\"}, \"step\": 1},\n"
                      " \"touchpoints\": [\n"
                      "  {\"stage\": \"aware\", \"name\": \"Ad\", \"emotion\": 0},\n"
                      "  {\"stage\": \"aware\", \"name\": \"Ad\", \"emotion\": \"5\"}]}",
                 "bank.json:7:43: error: /scale/labels/one: a label's key must be a value of the "
                 "scale such as \"1\", got \"one\"\n"
                 "bank.json:7:55: error: /scale/labels/7: the label's value 7 is outside the scale "
                 "(from 1 to 5)\n"
                 "bank.json:7:73: error: /scale/labels/5: must not be empty\n"
                 "bank.json:7:77: error: /scale/labels/0x2: a label's key must be a value of the "
                 "scale such as \"1\", got \"0x2\"\n"
                 "bank.json:7:92: warning: /scale/step: unknown key \"step\"\n"
                 "bank.json:9:47: error: /touchpoints/0/emotion: emotion must be between 1 and 5, "
                 "got 0 (the map's \"scale\")\n"
                 "bank.json:10:47: error: /touchpoints/1/emotion: expected an emotion from 1 to 5 "
                 "or an object of persona id → emotion, got a string\n");
    expect_diags(HEAD
                 " \"scale\": {\"min\": 5, \"max\": 5},\n"
                 " \"touchpoints\": [{\"stage\": \"aware\", \"name\": \"Ad\", \"emotion\": 9}]}",
                 "bank.json:7:29: error: /scale/max: the scale's max (5) must be greater than its "
                 "min (5)\n");
    expect_diags(HEAD " \"scale\": {\"max\": 5}}",
                 "bank.json:7:11: error: /scale: missing required key \"min\"\n");
}
END_TEST

START_TEST(test_url_contact_color_lang)
{
    expect_diags("{\"journeymap\": 1, \"title\": \"T\", \"lang\": \"en_US\",\n"
                 " \"persona\": {\"name\": \"A\", \"color\": \"blue\"},\n"
                 " \"stages\": [{\"id\": \"my stage\", \"name\": \"S\"}, {\"id\": \"s\", \"name\": "
                 "\"\"}],\n"
                 " \"touchpoints\": [{\"stage\": \"s\", \"name\": \"N\", \"url\": "
                 "\"javascript:alert(1)\", \"contact\": \"phone\", \"moment_of_truth\": 1}]}",
                 "bank.json:1:41: error: /lang: expected a BCP 47 language tag such as \"en\" or "
                 "\"ru-RU\", got \"en_US\"\n"
                 "bank.json:2:36: error: /persona/color: expected a colour \"#rgb\" or "
                 "\"#rrggbb\", got \"blue\"\n"
                 "bank.json:3:20: error: /stages/0/id: invalid stage id \"my stage\": use only "
                 "letters, digits, \"_\" and \"-\"\n"
                 "bank.json:3:66: error: /stages/1/name: must not be empty\n"
                 "bank.json:4:53: error: /touchpoints/0/url: expected an http:// or https:// link, "
                 "got \"javascript:alert(1)\"\n"
                 "bank.json:4:87: error: /touchpoints/0/contact: expected \"direct\" or "
                 "\"indirect\", got \"phone\"\n"
                 "bank.json:4:115: error: /touchpoints/0/moment_of_truth: expected a boolean, got "
                 "a number\n");
}
END_TEST

START_TEST(test_metrics_rules)
{
    expect_diags(HEAD " \"touchpoints\": [{\"stage\": \"use\", \"name\": \"App\", \"metrics\": [\n"
                      "  {\"name\": \"NPS\"},\n"
                      "  {\"name\": \"CSAT\", \"value\": \"high\", \"better\": \"more\"}]}]}",
                 "bank.json:8:3: error: /touchpoints/0/metrics/0: missing required key "
                 "\"value\"\n"
                 "bank.json:9:29: error: /touchpoints/0/metrics/1/value: expected a number, got a "
                 "string\n"
                 "bank.json:9:47: error: /touchpoints/0/metrics/1/better: expected \"higher\" or "
                 "\"lower\", got \"more\"\n");
}
END_TEST

START_TEST(test_items_and_lanes_rules)
{
    expect_diags(HEAD
                 " \"touchpoints\": [{\"id\": \"form\", \"stage\": \"open\", \"name\": "
                 "\"Form\"}],\n"
                 " \"lanes\": [\"stages\", \"touchpoints\", \"backstge\", {\"id\": \"risks\"}, "
                 "\"stages\"],\n"
                 " \"items\": [\n"
                 "  {\"lane\": \"frontstage\", \"stage\": \"open\", \"text\": \"Clerk\"},\n"
                 "  {\"lane\": \"emotions\", \"stage\": \"open\", \"text\": \"x\"},\n"
                 "  {\"lane\": \"rsks\", \"stage\": \"open\", \"text\": \"x\"},\n"
                 "  {\"lane\": \"risks\", \"stage\": \"choose\", \"text\": \"x\", "
                 "\"touchpoint\": \"form\"},\n"
                 "  {\"lane\": \"risks\", \"stage\": \"open\", \"text\": \"x\", "
                 "\"touchpoint\": \"from\"}]}",
                 "bank.json:8:37: error: /lanes/2: unknown lane \"backstge\" (did you mean "
                 "\"backstage\"?)\n"
                 "bank.json:8:66: error: /lanes/4: lane \"stages\" is listed twice\n"
                 "bank.json:10:12: warning: /items/0/lane: lane \"frontstage\" is not listed in "
                 "\"lanes\", so this item is not drawn\n"
                 "bank.json:11:12: error: /items/1/lane: lane \"emotions\" cannot hold items\n"
                 "bank.json:12:12: error: /items/2/lane: unknown lane \"rsks\" (did you mean "
                 "\"risks\"?)\n"
                 "bank.json:13:67: error: /items/3/touchpoint: touchpoint \"form\" is in stage "
                 "\"open\", not in this item's stage \"choose\"\n"
                 "bank.json:14:65: error: /items/4/touchpoint: unknown touchpoint \"from\" (did "
                 "you mean \"form\"?)\n");
}
END_TEST

START_TEST(test_persona_rules)
{
    expect_diags(HEAD " \"persona\": {\"name\": \"A\"},\n"
                      " \"personas\": [{\"name\": \"B\"}, {\"id\": \"c\", \"name\": \"C\", "
                      "\"demographics\": {\"Age\": [35]}, \"goals\": \"Save\"}]}",
                 "bank.json:7:13: error: /persona: give either \"persona\" or \"personas\", not "
                 "both\n");
    expect_diags(HEAD " \"personas\": [{\"name\": \"B\"}, {\"id\": \"c\", \"name\": \"C\", "
                      "\"demographics\": {\"Age\": [35]}, \"goals\": \"Save\"}]}",
                 "bank.json:7:15: error: /personas/0: missing required key \"id\" (needed when "
                 "there is more than one persona)\n"
                 "bank.json:7:79: error: /personas/1/demographics/Age: expected a string or a "
                 "number, got an array\n"
                 "bank.json:7:95: error: /personas/1/goals: expected an array of strings, got a "
                 "string\n");
}
END_TEST

START_TEST(test_unknown_keys_are_warnings_with_hints)
{
    const char *text = HEAD " \"touchpoints\": [{\"stagee\": \"aware\", \"stage\": \"aware\", "
                            "\"name\": \"N\", \"channel\": \"webiste\"}],\n"
                            " \"colour\": \"x\", \"zzz\": 1}";
    char *diags;
    jm_map *m = load("bank.json", text, strlen(text), &diags);
    ck_assert_ptr_nonnull(m);
    ck_assert_str_eq(diags,
                     "bank.json:7:19: warning: /touchpoints/0/stagee: unknown key \"stagee\" (did "
                     "you mean \"stage\"?)\n"
                     "bank.json:7:80: warning: /touchpoints/0/channel: unknown channel "
                     "\"webiste\" (did you mean \"website\"?)\n"
                     "bank.json:8:2: warning: /colour: unknown key \"colour\"\n"
                     "bank.json:8:17: warning: /zzz: unknown key \"zzz\"\n");
    jm_free(diags);
    jm_map_free(m);
}
END_TEST

START_TEST(test_all_errors_in_one_run)
{
    char *diags;
    const char *text =
        "{\"journeymap\": 1,\n"
        " \"stages\": [{\"id\": \"a\"}, {\"name\": \"B\"}],\n"
        " \"touchpoints\": [{\"stage\": \"b\", \"name\": 1, \"emotion\": 9, \"url\": "
        "\"ftp://x\"}]}";
    jm_map *m = load("bank.json", text, strlen(text), &diags);
    ck_assert_ptr_null(m);
    ck_assert_str_eq(diags,
                     "bank.json:1:1: error: missing required key \"title\"\n"
                     "bank.json:2:13: error: /stages/0: missing required key \"name\"\n"
                     "bank.json:2:26: error: /stages/1: missing required key \"id\"\n"
                     "bank.json:3:28: error: /touchpoints/0/stage: unknown stage \"b\" (did you "
                     "mean \"a\"?)\n"
                     "bank.json:3:41: error: /touchpoints/0/name: expected a string, got a "
                     "number\n"
                     "bank.json:3:55: error: /touchpoints/0/emotion: emotion must be between -2 "
                     "and 2, got 9\n"
                     "bank.json:3:65: error: /touchpoints/0/url: expected an http:// or https:// "
                     "link, got \"ftp://x\"\n");
    jm_free(diags);
}
END_TEST

START_TEST(test_limits)
{
    jm_buf b = {0};
    jm_buf_puts(&b, "{\"journeymap\": 1, \"title\": \"T\", \"stages\": [{\"id\": \"a\", \"name\": "
                    "\"A\"}], \"personas\": [");
    for (int i = 0; i < JM_MAX_PERSONAS + 1; i++)
        jm_buf_printf(&b, "%s{\"id\": \"p%d\", \"name\": \"P\"}", i ? "," : "", i);
    jm_buf_puts(&b, "]}");
    char *text = jm_buf_take(&b);
    expect_diags(text, "bank.json:1:83: error: /personas: too many personas: 51 (the limit is "
                       "50)\n");
    jm_free(text);
}
END_TEST

/* ---- Hostile input ------------------------------------------------------------------------ */

START_TEST(test_syntax_errors)
{
    expect_diags("", "bank.json:1:1: error: empty input: expected a JSON object\n");
    expect_diags(" \n\t", "bank.json:1:1: error: empty input: expected a JSON object\n");
    expect_diags("[1, 2]", "bank.json:1:1: error: expected a JSON object at the top level, got "
                           "an array\n");
    expect_diags("{\"journeymap\": 1,\n \"title\": \"A\",\n \"title\": \"B\"}",
                 "bank.json:3:2: error: /title: duplicate key \"title\"\n");
    expect_diags("{\"journeymap\": 1,\n \"stages\": [\n  {\"id\": \"aware\",\n",
                 "bank.json:3:18: error: /stages/0: unexpected end of input, expected a key or '}' "
                 "(is the file truncated?)\n");
    expect_diags("{\"journeymap\": 1, \"title\": \"Открытие сч",
                 "bank.json:1:28: error: /title: unterminated string: the input ends before its "
                 "closing quote\n");
    expect_diags("{\"journeymap\": 1 \"title\": \"T\"}",
                 "bank.json:1:18: error: expected ',' or '}', got \"title\"\n");
    expect_diags("{\"stages\": [1, 2,]}",
                 "bank.json:1:18: error: /stages/2: trailing comma before ']' (JSON allows "
                 "none)\n");
    expect_diags("{'title': 1}",
                 "bank.json:1:2: error: expected a key in double quotes, got single quotes\n");
    expect_diags("{\"title\": tru}", "bank.json:1:11: error: /title: expected a value (object, "
                                     "array, string, number, true, false or null), got 'tru'\n");
    expect_diags("{\"a\": 1} x", "bank.json:1:10: error: expected the end of the input after the "
                                 "top-level object, got 'x'\n");
}
END_TEST

START_TEST(test_bom_accepted)
{
    const char *text = "\xEF\xBB\xBF{\"journeymap\": 1, \"title\": 5, \"stages\": [{\"id\": \"a\", "
                       "\"name\": \"A\"}]}";
    expect_diags(text, "bank.json:1:28: error: /title: expected a string, got a number\n");
    const char *ok = "\xEF\xBB\xBF{\"journeymap\": 1, \"title\": \"T\", \"stages\": [{\"id\": "
                     "\"a\", \"name\": \"A\"}]}";
    char *diags;
    jm_map *m = load("bank.json", ok, strlen(ok), &diags);
    ck_assert_ptr_nonnull(m);
    ck_assert_str_eq(diags, "");
    jm_free(diags);
    jm_map_free(m);
}
END_TEST

START_TEST(test_invalid_utf8)
{
    expect_diags("{\"journeymap\": 1,\n \"title\": \"Сч\xD1\xD1т\"}",
                 "bank.json:2:14: error: /title: invalid UTF-8 (byte 0xD1): the file must be "
                 "UTF-8 text\n");
    expect_diags("{\"a\": \"\xC0\xAF\"}", "bank.json:1:8: error: /a: invalid UTF-8 (byte 0xC0): "
                                          "the file must be UTF-8 text\n");
}
END_TEST

START_TEST(test_deep_nesting)
{
    size_t n = 100000;
    char *text = malloc(2 * n + 16);
    memset(text, '[', n);
    memset(text + n, ']', n);
    text[2 * n] = '\0';
    char *diags;
    ck_assert_ptr_null(load("deep.json", text, 2 * n, &diags));
    ck_assert_ptr_nonnull(strstr(diags, "deep.json:1:65: error: /0/0/"));
    ck_assert_ptr_nonnull(strstr(diags, "nesting too deep: more than 64 levels"));
    jm_free(diags);
    /* objects, 10 000 deep, and unclosed */
    jm_buf b = {0};
    for (int i = 0; i < 10000; i++)
        jm_buf_puts(&b, "{\"a\":");
    char *objs = jm_buf_take(&b);
    ck_assert_ptr_null(load("deep.json", objs, strlen(objs), &diags));
    ck_assert_ptr_nonnull(strstr(diags, "deep.json:1:321: error: /a/a/"));
    jm_free(diags);
    jm_free(objs);
    free(text);
}
END_TEST

START_TEST(test_long_string)
{
    size_t n = 100 * 1024;
    jm_buf b = {0};
    jm_buf_puts(&b, "{\"journeymap\": 1, \"title\": \"");
    for (size_t i = 0; i < n; i++)
        jm_buf_append(&b, "x", 1);
    jm_buf_puts(&b, "\", \"stages\": [{\"id\": \"a\", \"name\": \"A\"}]}");
    char *text = jm_buf_take(&b);
    expect_diags(text, "bank.json:1:28: error: /title: text too long: 102400 bytes (the limit is "
                       "65536)\n");
    jm_free(text);
}
END_TEST

/* ---- Photos ----------------------------------------------------------------------------- */

static char photo_dir[64];

static void write_file(const char *dir, const char *name, const void *data, size_t len)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "wb");
    ck_assert_ptr_nonnull(f);
    fwrite(data, 1, len, f);
    fclose(f);
}

/* Loads text as photo_dir/maps/m.json; returns the diagnostics. */
static char *load_in_maps(const char *text, jm_map **out)
{
    char name[256];
    snprintf(name, sizeof name, "%s/maps/m.json", photo_dir);
    char *diags;
    jm_map *m = load(name, text, strlen(text), &diags);
    /* drop the temp folder from the message so it can be compared */
    char *at = strstr(diags, "m.json");
    if (at)
        memmove(diags, at, strlen(at) + 1);
    if (out)
        *out = m;
    else
        jm_map_free(m);
    return diags;
}

/* Loads a map in photo_dir/maps whose persona has the given photo; returns the diagnostics. */
static char *load_with_photo(const char *photo, jm_map **out)
{
    char text[512];
    snprintf(text, sizeof text,
             "{\"journeymap\": 1, \"title\": \"T\",\n \"persona\": {\"name\": \"A\", \"photo\": "
             "\"%s\"},\n \"stages\": [{\"id\": \"a\", \"name\": \"A\"}]}",
             photo);
    return load_in_maps(text, out);
}

/* Loads a map in photo_dir/maps with the given theme; returns the diagnostics. */
static char *load_with_theme(const char *theme, jm_map **out)
{
    char text[512];
    snprintf(text, sizeof text,
             "{\"journeymap\": 1, \"title\": \"T\", \"theme\": \"%s\",\n"
             " \"stages\": [{\"id\": \"a\", \"name\": \"A\"}]}",
             theme);
    return load_in_maps(text, out);
}

static void photo_setup(void)
{
    strcpy(photo_dir, "/tmp/jm-photo-XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(photo_dir));
    char maps[128], sub[160];
    snprintf(maps, sizeof maps, "%s/maps", photo_dir);
    snprintf(sub, sizeof sub, "%s/maps/img", photo_dir);
    mkdir(maps, 0700);
    mkdir(sub, 0700);
    static const unsigned char png[] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n', 0, 0};
    static const unsigned char jpeg[] = {0xFF, 0xD8, 0xFF, 0xE0, 0, 0};
    write_file(sub, "anna.png", png, sizeof png);
    write_file(maps, "ivan.jpg", jpeg, sizeof jpeg);
    write_file(maps, "fake.png", "not an image\n", 13);
    write_file(photo_dir, "outside.png", png, sizeof png);
    char link[192], target[192];
    snprintf(link, sizeof link, "%s/maps/link.png", photo_dir);
    snprintf(target, sizeof target, "%s/outside.png", photo_dir);
    ck_assert_int_eq(symlink(target, link), 0);
    /* Theme files: one inside, and a link (extension in capitals) out to a file whose text a
     * message must never quote; FIFOs, which must be refused, not block the load. */
    write_file(maps, "Calm.JSON", "{\"card_width\": 150}", 19);
    write_file(photo_dir, "passwd", "root:x:0:0:root:/root:/bin/sh\n", 31);
    snprintf(link, sizeof link, "%s/maps/p.JSON", photo_dir);
    snprintf(target, sizeof target, "%s/passwd", photo_dir);
    ck_assert_int_eq(symlink(target, link), 0);
    snprintf(link, sizeof link, "%s/maps/pipe.json", photo_dir);
    ck_assert_int_eq(mkfifo(link, 0600), 0);
    snprintf(link, sizeof link, "%s/maps/pipe.png", photo_dir);
    ck_assert_int_eq(mkfifo(link, 0600), 0);
}

static void photo_teardown(void)
{
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", photo_dir);
    ck_assert_int_eq(system(cmd), 0);
}

START_TEST(test_photos)
{
    jm_map *m;
    char *d = load_with_photo("img/anna.png", &m);
    ck_assert_str_eq(d, "");
    ck_assert_ptr_nonnull(m);
    ck_assert_str_eq(m->personas[0].photo_spec, "img/anna.png");
    /* read at load: the renderer draws these bytes and opens nothing */
    const jm_named_file *f = m->personas[0].photo;
    ck_assert_ptr_nonnull(strstr(f->name, "/maps/img/anna.png"));
    ck_assert_uint_eq(f->len, 10);
    ck_assert_int_eq(memcmp(f->data, "\x89PNG", 4), 0);
    jm_map_free(m);
    jm_free(d);

    d = load_with_photo("ivan.jpg", NULL);
    ck_assert_str_eq(d, "");
    jm_free(d);

    static const struct {
        const char *photo, *message;
    } bad[] = {
        {"missing.png", "photo \"missing.png\" not found"},
        {"fake.png", "photo \"fake.png\" is not a PNG or JPEG image"},
        {"../outside.png", "photo \"../outside.png\" is outside the input file's folder"},
        {"link.png", "photo \"link.png\" is outside the input file's folder"},
        {"img", "photo \"img\" is not a regular file"},
        {"pipe.png", "photo \"pipe.png\" is not a regular file"},
        {"/etc/hostname", "photo \"/etc/hostname\" is outside the input file's folder"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char expected[256];
        snprintf(expected, sizeof expected, "m.json:2:36: error: /persona/photo: %s\n",
                 bad[i].message);
        d = load_with_photo(bad[i].photo, NULL);
        ck_assert_str_eq(d, expected);
        jm_free(d);
    }
}
END_TEST

/* Personas sharing a photo (however its path is spelled) share one copy of its bytes. */
START_TEST(test_shared_photo_read_once)
{
    jm_map *m;
    char *d =
        load_in_maps("{\"journeymap\": 1, \"title\": \"T\", \"personas\": [\n"
                     " {\"id\": \"a\", \"name\": \"A\", \"photo\": \"img/anna.png\"},\n"
                     " {\"id\": \"b\", \"name\": \"B\", \"photo\": \"./img/../img/anna.png\"},\n"
                     " {\"id\": \"c\", \"name\": \"C\", \"photo\": \"ivan.jpg\"}],\n"
                     " \"stages\": [{\"id\": \"a\", \"name\": \"A\"}]}",
                     &m);
    ck_assert_str_eq(d, "");
    ck_assert_uint_eq(m->n_files, 2);
    ck_assert_ptr_eq(m->personas[0].photo, m->personas[1].photo);
    ck_assert_ptr_ne(m->personas[0].photo, m->personas[2].photo);
    jm_map_free(m);
    jm_free(d);
}
END_TEST

/* A theme file follows the photos' rule, whatever the case of its extension: inside the
 * input's folder, a regular file, read at load; and no message quotes a file outside. */
START_TEST(test_theme_files)
{
    jm_map *m;
    char *d = load_with_theme("Calm.JSON", &m);
    ck_assert_str_eq(d, "");
    ck_assert_ptr_nonnull(m->theme_file);
    ck_assert_uint_eq(m->theme_file->len, 19);
    ck_assert_str_eq(m->theme_name, "Calm.JSON");
    jm_map_free(m);
    jm_free(d);

    static const struct {
        const char *theme, *message;
    } bad[] = {
        {"p.JSON", "theme file \"p.JSON\" is outside the input file's folder"},
        {"pipe.json", "theme file \"pipe.json\" is not a regular file"},
        {"missing.Json", "theme file \"missing.Json\" not found"},
        {"../passwd", "expected a theme name or a .json theme file, got \"../passwd\""},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char expected[256];
        snprintf(expected, sizeof expected, "m.json:1:42: error: /theme: %s\n", bad[i].message);
        d = load_with_theme(bad[i].theme, NULL);
        ck_assert_str_eq(d, expected);
        ck_assert_ptr_null(strstr(d, "root"));
        jm_free(d);
    }
}
END_TEST

/* ---- Round trip ------------------------------------------------------------------------- */

static void assert_str_same(const char *a, const char *b)
{
    if (!a || !b)
        ck_assert_ptr_eq(a, b);
    else
        ck_assert_str_eq(a, b);
}

static void assert_list_same(const jm_strlist *a, const jm_strlist *b)
{
    ck_assert_uint_eq(a->n, b->n);
    for (size_t i = 0; i < a->n; i++)
        ck_assert_str_eq(a->v[i], b->v[i]);
}

static void assert_metrics_same(const jm_metrics *a, const jm_metrics *b)
{
    ck_assert_uint_eq(a->n, b->n);
    for (size_t i = 0; i < a->n; i++) {
        assert_str_same(a->v[i].name, b->v[i].name);
        assert_str_same(a->v[i].unit, b->v[i].unit);
        ck_assert(a->v[i].value == b->v[i].value);
        ck_assert_int_eq(a->v[i].has_target, b->v[i].has_target);
        ck_assert(!a->v[i].has_target || a->v[i].target == b->v[i].target);
        ck_assert_int_eq(a->v[i].better, b->v[i].better);
    }
}

static void assert_state_same(const jm_map *m, const jm_tp_state *a, const jm_tp_state *b)
{
    ck_assert_int_eq(a->present, b->present);
    assert_str_same(a->description, b->description);
    assert_list_same(&a->action, &b->action);
    assert_list_same(&a->thought, &b->thought);
    assert_list_same(&a->pain, &b->pain);
    assert_list_same(&a->opportunity, &b->opportunity);
    ck_assert_int_eq(a->has_emotion, b->has_emotion);
    for (size_t s = 0; a->has_emotion && s < jm_emotion_slots(m); s++)
        ck_assert(a->emotion[s] == b->emotion[s]);
    assert_metrics_same(&a->metrics, &b->metrics);
}

static void assert_maps_same(const jm_map *a, const jm_map *b)
{
    assert_str_same(a->title, b->title);
    assert_str_same(a->subtitle, b->subtitle);
    assert_str_same(a->lang, b->lang);
    assert_str_same(a->description, b->description);
    ck_assert_uint_eq(a->n_personas, b->n_personas);
    for (size_t i = 0; i < a->n_personas; i++) {
        const jm_persona *p = &a->personas[i], *q = &b->personas[i];
        assert_str_same(p->id, q->id);
        assert_str_same(p->name, q->name);
        assert_str_same(p->photo_spec, q->photo_spec);
        assert_str_same(p->quote, q->quote);
        assert_str_same(p->description, q->description);
        assert_str_same(p->color, q->color);
        ck_assert_uint_eq(p->n_demographics, q->n_demographics);
        for (size_t k = 0; k < p->n_demographics; k++) {
            ck_assert_str_eq(p->demographics[k].key, q->demographics[k].key);
            ck_assert_str_eq(p->demographics[k].value, q->demographics[k].value);
        }
        ck_assert_uint_eq(p->n_psychographics, q->n_psychographics);
        assert_list_same(&p->goals, &q->goals);
        assert_list_same(&p->needs, &q->needs);
        assert_list_same(&p->frustrations, &q->frustrations);
    }
    ck_assert_uint_eq(a->n_stages, b->n_stages);
    for (size_t i = 0; i < a->n_stages; i++) {
        assert_str_same(a->stages[i].id, b->stages[i].id);
        assert_str_same(a->stages[i].name, b->stages[i].name);
        assert_str_same(a->stages[i].description, b->stages[i].description);
        assert_str_same(a->stages[i].goal, b->stages[i].goal);
        assert_list_same(&a->stages[i].questions, &b->stages[i].questions);
        assert_metrics_same(&a->stages[i].metrics, &b->stages[i].metrics);
    }
    ck_assert_uint_eq(a->n_channels, b->n_channels);
    for (size_t i = 0; i < a->n_channels; i++) {
        assert_str_same(a->channels[i].id, b->channels[i].id);
        assert_str_same(a->channels[i].name, b->channels[i].name);
        assert_str_same(a->channels[i].icon, b->channels[i].icon);
        assert_str_same(a->channels[i].color, b->channels[i].color);
        ck_assert_int_eq(a->channels[i].kind, b->channels[i].kind);
    }
    ck_assert_uint_eq(a->n_touchpoints, b->n_touchpoints);
    for (size_t i = 0; i < a->n_touchpoints; i++) {
        const jm_touchpoint *s = &a->touchpoints[i], *t = &b->touchpoints[i];
        assert_str_same(s->id, t->id);
        assert_str_same(s->name, t->name);
        ck_assert_uint_eq(s->stage, t->stage);
        ck_assert_int_eq(s->channel, t->channel);
        ck_assert_int_eq(s->indirect, t->indirect);
        ck_assert_int_eq(s->moment_of_truth, t->moment_of_truth);
        assert_str_same(s->url, t->url);
        assert_str_same(s->owner, t->owner);
        assert_str_same(s->notes, t->notes);
        ck_assert_int_eq(s->actors != NULL, t->actors != NULL);
        for (size_t p = 0; s->actors && p < a->n_personas; p++)
            ck_assert_int_eq(s->actors[p], t->actors[p]);
        assert_state_same(a, &s->base, &t->base);
        assert_state_same(a, &s->before, &t->before);
        assert_state_same(a, &s->after, &t->after);
    }
    ck_assert_uint_eq(a->n_items, b->n_items);
    for (size_t i = 0; i < a->n_items; i++) {
        ck_assert_int_eq(a->items[i].lane, b->items[i].lane);
        ck_assert_int_eq(a->items[i].custom, b->items[i].custom);
        ck_assert_uint_eq(a->items[i].stage, b->items[i].stage);
        ck_assert_int_eq(a->items[i].touchpoint, b->items[i].touchpoint);
        assert_str_same(a->items[i].text, b->items[i].text);
    }
    ck_assert_int_eq(a->lanes_explicit, b->lanes_explicit);
    ck_assert_uint_eq(a->n_lanes, b->n_lanes);
    for (size_t i = 0; i < a->n_lanes; i++) {
        ck_assert_int_eq(a->lanes[i].type, b->lanes[i].type);
        assert_str_same(a->lanes[i].id, b->lanes[i].id);
        assert_str_same(a->lanes[i].name, b->lanes[i].name);
    }
    ck_assert_uint_eq(a->n_custom_lanes, b->n_custom_lanes);
    assert_str_same(a->state_label[0], b->state_label[0]);
    assert_str_same(a->state_label[1], b->state_label[1]);
    assert_str_same(a->theme_name, b->theme_name);
    assert_str_same(a->theme_json, b->theme_json);
    ck_assert_int_eq(a->has_states, b->has_states);
}

/* load → jm_map_to_json → load gives the same map, and writing it again the same text. */
static void assert_round_trip(const char *name, const char *text)
{
    char *diags;
    jm_map *a = load(name, text, strlen(text), &diags);
    ck_assert_msg(a != NULL, "%s: %s", name, diags);
    jm_free(diags);
    char *json = jm_map_to_json(a);
    ck_assert_ptr_nonnull(json);
    jm_map *b = load(name, json, strlen(json), &diags);
    ck_assert_msg(b != NULL, "%s: %s\n%s", name, diags, json);
    ck_assert_msg(strstr(diags, "error") == NULL, "%s", diags);
    jm_free(diags);
    assert_maps_same(a, b);
    char *again = jm_map_to_json(b);
    ck_assert_str_eq(json, again);
    jm_free(again);
    jm_free(json);
    jm_map_free(a);
    jm_map_free(b);
}

START_TEST(test_round_trip)
{
    assert_round_trip("bank.json", valid_map);
    char dir[4096];
    tu_source_path(dir, sizeof dir, "data/examples");
    DIR *d = opendir(dir);
    ck_assert_ptr_nonnull(d);
    struct dirent *e;
    int n = 0;
    while ((e = readdir(d))) {
        size_t len = strlen(e->d_name);
        if (len < 5 || strcmp(e->d_name + len - 5, ".json") != 0)
            continue;
        char path[8192], *text, *err;
        size_t size;
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        ck_assert_int_eq(jm_read_file(path, JM_MAX_INPUT_BYTES, &text, &size, &err), 0);
        assert_round_trip(e->d_name, text);
        jm_free(text);
        n++;
    }
    closedir(d);
    ck_assert_int_gt(n, 0);
}
END_TEST

START_TEST(test_to_json_format)
{
    const char *text = "{\"journeymap\": 1, \"title\": \"Кофе\", \"stages\": [{\"id\": \"a\", "
                       "\"name\": \"A\"}],\n \"touchpoints\": [{\"stage\": \"a\", \"channel\": "
                       "\"web\", \"name\": \"N\", \"emotion\": 0.1}]}";
    char *diags;
    jm_map *m = load("x.json", text, strlen(text), &diags);
    jm_free(diags);
    char *json = jm_map_to_json(m);
    ck_assert_str_eq(json, "{\n"
                           "  \"journeymap\": 1,\n"
                           "  \"title\": \"Кофе\",\n"
                           "  \"lang\": \"en\",\n"
                           "  \"stages\": [\n"
                           "    {\n"
                           "      \"id\": \"a\",\n"
                           "      \"name\": \"A\"\n"
                           "    }\n"
                           "  ],\n"
                           "  \"touchpoints\": [\n"
                           "    {\n"
                           "      \"stage\": \"a\",\n"
                           "      \"channel\": \"website\",\n"
                           "      \"name\": \"N\",\n"
                           "      \"emotion\": 0.1\n"
                           "    }\n"
                           "  ]\n"
                           "}\n");
    jm_free(json);
    jm_map_free(m);
}
END_TEST

/* ---- json_pos ----------------------------------------------------------------------------- */

START_TEST(test_json_pos_lookups)
{
    const char *text = "\xEF\xBB\xBF{\"a/b\": [1, {\"~k\": \"Привет\", \"x\": true}],\n"
                       "  \"é\": {\"q\\\"\\u00e9\": null}, \"n\": -1.50e2}";
    jm_json_pos *pos = jm_json_pos_new(text, strlen(text));
    ck_assert_ptr_nonnull(pos);
    int line, col;
    ck_assert(jm_json_pos_find(pos, "", &line, &col));
    ck_assert_int_eq(line, 1);
    ck_assert_int_eq(col, 1);
    ck_assert(jm_json_pos_find(pos, "/a~1b", &line, &col));
    ck_assert_int_eq(col, 9); /* the BOM is not a column */
    ck_assert(jm_json_pos_find(pos, "/a~1b/1/~0k", &line, &col));
    ck_assert_int_eq(col, 20);
    ck_assert(jm_json_pos_find(pos, "/a~1b/1/x", &line, &col));
    ck_assert_int_eq(col, 35); /* "Привет" counts 6 characters, not 12 bytes */
    ck_assert(jm_json_pos_find_key(pos, "/a~1b/1/x", &line, &col));
    ck_assert_int_eq(col, 30);
    ck_assert(jm_json_pos_find_key(pos, "/é/q\"é", &line, &col));
    ck_assert_int_eq(line, 2);
    ck_assert_int_eq(col, 9);
    size_t start, end;
    ck_assert(jm_json_pos_find_span(pos, "/n", &start, &end));
    ck_assert_int_eq((int)(end - start), 7);
    ck_assert(strncmp(text + start, "-1.50e2", 7) == 0);
    ck_assert(!jm_json_pos_find(pos, "/a~1b/2", &line, &col));
    ck_assert(!jm_json_pos_find(pos, "/a~1b/01", &line, &col));
    ck_assert(!jm_json_pos_find(pos, "/nope", &line, &col));
    ck_assert(!jm_json_pos_find(pos, "/n/0", &line, &col));
    ck_assert(!jm_json_pos_find_key(pos, "/a~1b/0", &line, &col)); /* array elements have none */
    jm_json_pos_free(pos);

    char *path = jm_json_pos_path_at(text, strlen(text), 28);
    ck_assert_str_eq(path, "/a~1b/1/~0k");
    jm_free(path);
}
END_TEST

START_TEST(test_json_pos_is_linear)
{
    size_t n = 30000;
    jm_buf b = {0};
    jm_buf_puts(&b, "{\"touchpoints\": [");
    for (size_t i = 0; i < n; i++)
        jm_buf_printf(&b, "%s\n{\"stage\": \"s%zu\", \"name\": \"n\"}", i ? "," : "", i);
    jm_buf_puts(&b, "]}");
    char *text = jm_buf_take(&b);
    clock_t t0 = clock();
    jm_json_pos *pos = jm_json_pos_new(text, strlen(text));
    ck_assert_ptr_nonnull(pos);
    for (size_t i = 0; i < n; i++) {
        char ptr[64];
        int line, col;
        snprintf(ptr, sizeof ptr, "/touchpoints/%zu/name", i);
        ck_assert(jm_json_pos_find(pos, ptr, &line, &col));
        ck_assert_int_eq(line, (int)i + 2);
    }
    double seconds = (double)(clock() - t0) / CLOCKS_PER_SEC;
    ck_assert_msg(seconds < 2.0, "30 000 lookups took %.2f s", seconds);
    jm_json_pos_free(pos);
    jm_free(text);
}
END_TEST

/* ---- Allocation failures ------------------------------------------------------------------ */

/* One load (and, when it succeeds, conversion back to JSON) of the text: a failed load says
 * why. */
static void load_and_convert(void *text)
{
    jm_diags *d = jm_diags_new();
    if (!d)
        return;
    jm_map *m = jm_load_json("bank.json", text, strlen(text), d);
    char *json = m ? jm_map_to_json(m) : NULL;
    ck_assert(m != NULL || jm_diags_error_count(d) > 0);
    jm_free(json);
    jm_map_free(m);
    jm_diags_free(d);
}

/* Makes the k-th allocation fail, for k = 1, 2, … until a load of text runs through; every
 * failing run must report an error and leak nothing. */
static void fail_each_allocation(const char *text)
{
    /* the loop did reach the loader's allocations */
    ck_assert_int_gt(tu_each_allocation_fails(load_and_convert, (void *)text, false), 20);
}

START_TEST(test_allocation_failures)
{
    fail_each_allocation(valid_map);
    fail_each_allocation("{\"journeymap\": 1,\n \"stages\": [{\"id\": \"a\"}, {\"name\": "
                         "\"B\"}],\n \"touchpoints\": [{\"stage\": \"b\", \"name\": 1, "
                         "\"emotion\": 9, \"url\": \"ftp://x\", \"chanel\": \"tv\"}]}");
}
END_TEST

int main(void)
{
    Suite *s = suite_create("load_json");
    TCase *tc = tcase_create("load_json");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, test_valid_map_builds_model);
    tcase_add_test(tc, test_defaults_and_single_persona);
    tcase_add_test(tc, test_missing_and_wrong_types);
    tcase_add_test(tc, test_text_lists);
    tcase_add_test(tc, test_version_title_stages);
    tcase_add_test(tc, test_unknown_stage);
    tcase_add_test(tc, test_duplicate_ids);
    tcase_add_test(tc, test_emotion_rules);
    tcase_add_test(tc, test_scale);
    tcase_add_test(tc, test_url_contact_color_lang);
    tcase_add_test(tc, test_metrics_rules);
    tcase_add_test(tc, test_items_and_lanes_rules);
    tcase_add_test(tc, test_persona_rules);
    tcase_add_test(tc, test_unknown_keys_are_warnings_with_hints);
    tcase_add_test(tc, test_all_errors_in_one_run);
    tcase_add_test(tc, test_limits);
    tcase_add_test(tc, test_syntax_errors);
    tcase_add_test(tc, test_bom_accepted);
    tcase_add_test(tc, test_invalid_utf8);
    tcase_add_test(tc, test_deep_nesting);
    tcase_add_test(tc, test_long_string);
    tcase_add_test(tc, test_round_trip);
    tcase_add_test(tc, test_to_json_format);
    tcase_add_test(tc, test_json_pos_lookups);
    tcase_add_test(tc, test_json_pos_is_linear);
    tcase_add_test(tc, test_allocation_failures);
    suite_add_tcase(s, tc);
    TCase *photos = tcase_create("photos");
    tcase_add_checked_fixture(photos, photo_setup, photo_teardown);
    tcase_add_test(photos, test_photos);
    tcase_add_test(photos, test_shared_photo_read_once);
    tcase_add_test(photos, test_theme_files);
    suite_add_tcase(s, photos);

    int failed = tu_run_suite(s);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
