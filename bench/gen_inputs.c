/* Writes the benchmark's generated inputs into a folder, the same bytes on every run and
 * machine (a fixed-seed xorshift generator, no time, no locale):
 *
 *   workshop-40.json            a workshop map: 6 stages, 40 touchpoints, a persona, before/after
 *   dense-40.json, dense-300.json
 *                               dense maps for the overview layout: 6 stages, 40 touchpoints and
 *                               12 stages, 300 touchpoints, both on 15 channels
 *   gen-300.json, gen-3000.json, gen-30000.json
 *                               exported maps of 300, 3 000 and 30 000 touchpoints, 60 to a
 *                               stage, so the stage count grows with the map as well
 *   batch/map-000.mmd … map-199.mmd
 *                               200 Mermaid-sized journeys (10 tasks) for the batch timing
 *
 * Texts are drawn from small phrase pools, so strings repeat the way they do in spreadsheet
 * exports (and Pango's caches get the same chance they get there).
 *
 * Usage: jm-bench-gen OUTDIR */
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define N_OF(a) (sizeof(a) / sizeof((a)[0]))

static uint32_t rng_state;

static void rng_seed(uint32_t seed) { rng_state = seed ? seed : 0x9e3779b9u; }

/* xorshift32: small, fast and the same everywhere. */
static uint32_t rng(void)
{
    uint32_t x = rng_state;
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    return rng_state = x;
}

static unsigned pick(unsigned n) { return rng() % n; }
static int chance(unsigned percent) { return pick(100) < percent; }

static const char *const verbs[] = {
    "Searches for", "Compares",        "Reads about", "Asks about", "Signs up for",
    "Pays for",     "Downloads",       "Calls about", "Looks up",   "Shares",
    "Reviews",      "Cancels",         "Renews",      "Checks",     "Chooses",
    "Sets up",      "Complains about", "Tracks",      "Returns",    "Upgrades",
};
static const char *const objects[] = {
    "the price plans",    "delivery options",   "the mobile app",     "the loyalty card",
    "a discount code",    "the opening hours",  "the contract terms", "the order status",
    "the invoice",        "a replacement card", "the user manual",    "the online chat",
    "two-factor login",   "the refund",         "a new address",      "the monthly statement",
    "the support ticket", "the welcome e-mail", "the starter kit",    "the warranty",
};
static const char *const actions[] = {
    "Opens the website on the phone during the commute",
    "Fills in the form and uploads a scan of the passport",
    "Waits on hold, then explains the problem again",
    "Reads three reviews and a comparison table",
    "Asks a friend who already uses the service",
    "Chats with the bot, then with a person",
    "Prints the confirmation and keeps it in a folder",
    "Taps the push notification and lands on the home screen",
    "Walks to the branch in the lunch break",
    "Forwards the e-mail to the family's shared inbox",
    "Scans the QR code on the packaging",
    "Compares the offer with the current provider's bill",
};
static const char *const thoughts[] = {
    "I hope this does not take all evening.",
    "Why do they need my salary for this?",
    "Finally, that was easier than I thought.",
    "Is this price final, or will there be extras?",
    "I will just call them; the website is confusing.",
    "Nice, they remembered what I ordered last time.",
    "I am not sure this is the right plan for me.",
    "Where did the confirmation e-mail go?",
    "Good, I can do it all from the app.",
    "I would tell my colleagues about this.",
};
static const char *const pains[] = {
    "The form loses everything after a timeout",
    "Nobody explains the fee until the last step",
    "The wait on the phone line is over 20 minutes",
    "The app asks to log in again every time",
    "Delivery slots are all-day windows",
    "The confirmation arrives a day late",
    "Two departments give two different answers",
    "The branch closes at 5 pm on weekdays",
};
static const char *const opportunities[] = {
    "Save the form as the customer types",   "Show the full price on the first screen",
    "Offer a call-back instead of a queue",  "Remember the device for 30 days",
    "Let the customer pick a two-hour slot", "Send the confirmation by SMS at once",
    "One case owner from start to end",      "Book a video consultation in the evening",
};
static const char *const stage_names[] = {
    "Awareness",  "Research",  "Consideration", "Choice",  "Purchase", "Delivery",
    "Onboarding", "First use", "Everyday use",  "Support", "Renewal",  "Advocacy",
};
static const char *const goals[] = {
    "Understand what is on offer", "Find the right option quickly",  "Pay without surprises",
    "Get started without help",    "Solve a problem in one contact", "Feel it was worth the money",
};
static const char *const questions[] = {
    "Where do I look for information?", "Can I trust this company?",
    "What will it really cost?",        "How long will it take?",
    "Who do I call if it goes wrong?",  "Is there a better deal elsewhere?",
};
/* The first 12 for the workshop and exported maps, all 15 for the dense ones. */
static const char *const channels[] = {
    "website", "app",     "email",   "social",  "search",  "reviews", "phone",  "store",
    "branch",  "courier", "support", "invoice", "chatbot", "sms",     "manual",
};
static const char *const metric_names[] = {"Conversion", "CSAT", "Wait time", "Cost per contact",
                                           "NPS"};
static const char *const metric_units[] = {"%", "%", "s", "\u20ac", ""};
static const char *const actors[] = {"Customer", "Agent", "Partner"};

/* ---- Output ------------------------------------------------------------------------------- */

static FILE *out;
static const char *out_path;

static void put(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static void put(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vfprintf(out, fmt, ap);
    va_end(ap);
}

static int open_out(const char *dir, const char *name)
{
    static char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    out_path = path;
    out = fopen(path, "w");
    if (!out)
        fprintf(stderr, "jm-bench-gen: cannot write %s: %s\n", path, strerror(errno));
    return out ? 0 : -1;
}

static int close_out(void)
{
    int failed = ferror(out) != 0;
    if (fclose(out) != 0)
        failed = 1;
    if (failed)
        fprintf(stderr, "jm-bench-gen: cannot write %s\n", out_path);
    return failed ? -1 : 0;
}

/* ---- JSON maps ---------------------------------------------------------------------------- */

static void persona(void)
{
    put("  \"persona\": {\n"
        "    \"name\": \"Sam Taylor\",\n"
        "    \"quote\": \"I want it done in one go, from my phone.\",\n"
        "    \"description\": \"Works shifts, manages the family's contracts and bills.\",\n"
        "    \"demographics\": {\"Age\": 38, \"Location\": \"Leeds, UK\", "
        "\"Income\": \"\u00a334k / year\"},\n"
        "    \"psychographics\": {\"Values\": \"Time, fairness\", "
        "\"Buying habits\": \"Compares, then stays loyal\"},\n"
        "    \"goals\": [\"Sort it out in one evening\", \"No surprises on the bill\"]\n"
        "  },\n");
}

static void stages(size_t n, int rich)
{
    put("  \"stages\": [\n");
    for (size_t s = 0; s < n; s++) {
        const char *name = stage_names[s % N_OF(stage_names)];
        put("    {\"id\": \"s%zu\", \"name\": \"", s + 1);
        if (n > N_OF(stage_names))
            put("%zu. ", s + 1);
        put("%s\"", name);
        if (rich || chance(70))
            put(", \"goal\": \"%s\"", goals[pick(N_OF(goals))]);
        if (rich || chance(50))
            put(", \"questions\": [\"%s\"]", questions[pick(N_OF(questions))]);
        put("}%s\n", s + 1 < n ? "," : "");
    }
    put("  ],\n");
}

static int clamp_emotion(int e) { return e < -2 ? -2 : e > 2 ? 2 : e; }

static void touchpoint(size_t stage, int rich, unsigned n_channels)
{
    int emotion = (int)pick(5) - 2;
    put("    {\"stage\": \"s%zu\", \"channel\": \"%s\", \"name\": \"%s %s\"", stage + 1,
        channels[pick(n_channels)], verbs[pick(N_OF(verbs))], objects[pick(N_OF(objects))]);
    if (chance(rich ? 80 : 50))
        put(", \"action\": \"%s\"", actions[pick(N_OF(actions))]);
    if (chance(rich ? 50 : 30))
        put(", \"thought\": \"%s\"", thoughts[pick(N_OF(thoughts))]);
    if (emotion < 0 && chance(rich ? 70 : 40))
        put(", \"pain\": \"%s\"", pains[pick(N_OF(pains))]);
    if (chance(rich ? 30 : 15))
        put(", \"opportunity\": \"%s\"", opportunities[pick(N_OF(opportunities))]);
    put(", \"emotion\": %d", emotion);
    if (chance(rich ? 6 : 2))
        put(", \"moment_of_truth\": true");
    if (chance(5))
        put(", \"contact\": \"indirect\"");
    if (chance(rich ? 20 : 8)) {
        unsigned m = pick(N_OF(metric_names));
        put(", \"metrics\": [{\"name\": \"%s\", \"value\": %u, \"unit\": \"%s\"}]", metric_names[m],
            10 + pick(80), metric_units[m]);
    }
    if (chance(rich ? 15 : 4)) {
        unsigned m = pick(N_OF(metric_names));
        unsigned before = 10 + pick(60), after = before + 5 + pick(20);
        put(",\n     \"before\": {\"emotion\": %d, \"pain\": \"%s\", \"metrics\": [{\"name\": "
            "\"%s\", \"value\": %u, \"unit\": \"%s\"}]},\n"
            "     \"after\": {\"emotion\": %d, \"metrics\": [{\"name\": \"%s\", \"value\": %u, "
            "\"unit\": \"%s\"}]}",
            clamp_emotion(emotion - 1), pains[pick(N_OF(pains))], metric_names[m], before,
            metric_units[m], clamp_emotion(emotion + 1), metric_names[m], after, metric_units[m]);
    }
    put("}");
}

/* A map of n touchpoints over n_stages stages, in stage order, on n_channels channels. */
static int json_map(const char *dir, const char *name, const char *title, size_t n, size_t n_stages,
                    int rich, unsigned n_channels, uint32_t seed)
{
    if (open_out(dir, name) != 0)
        return -1;
    rng_seed(seed);
    put("{\n  \"journeymap\": 1,\n  \"title\": \"%s\",\n", title);
    put("  \"subtitle\": \"Generated by bench/gen_inputs.c: %zu touchpoints, %zu stages\",\n", n,
        n_stages);
    persona();
    stages(n_stages, rich);
    put("  \"touchpoints\": [\n");
    for (size_t i = 0; i < n; i++) {
        touchpoint(i * n_stages / n, rich, n_channels);
        put("%s\n", i + 1 < n ? "," : "");
    }
    put("  ]");
    if (rich) {
        /* Service-blueprint lanes, one item a stage. */
        static const char *const lanes[] = {"frontstage", "backstage", "support"};
        static const char *const texts[] = {"Agent checks the account history",
                                            "Order system reserves the stock",
                                            "Nightly sync with the billing platform"};
        put(",\n  \"items\": [\n");
        for (size_t s = 0; s < n_stages; s++)
            for (size_t k = 0; k < N_OF(lanes); k++)
                put("    {\"lane\": \"%s\", \"stage\": \"s%zu\", \"text\": \"%s\"}%s\n", lanes[k],
                    s + 1, texts[k], s + 1 < n_stages || k + 1 < N_OF(lanes) ? "," : "");
        put("  ]");
    }
    put("\n}\n");
    return close_out();
}

/* ---- Mermaid batch ------------------------------------------------------------------------ */

static int mermaid_map(const char *dir, unsigned k)
{
    char name[64];
    snprintf(name, sizeof name, "batch/map-%03u.mmd", k);
    if (open_out(dir, name) != 0)
        return -1;
    rng_seed(1000u + k);
    put("journey\n    title %s %s\n", verbs[pick(N_OF(verbs))], objects[pick(N_OF(objects))]);
    unsigned sections = 3 + pick(2), tasks = 10;
    for (unsigned s = 0, t = 0; s < sections; s++) {
        put("    section %s\n", stage_names[(k + s) % N_OF(stage_names)]);
        unsigned here = s + 1 < sections ? tasks / sections : tasks - t;
        for (unsigned j = 0; j < here; j++, t++) {
            put("      %s %s: %u: %s", verbs[pick(N_OF(verbs))], objects[pick(N_OF(objects))],
                1 + pick(5), actors[0]);
            if (chance(40))
                put(", %s", actors[1 + pick(2)]);
            put("\n");
        }
    }
    return close_out();
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: jm-bench-gen OUTDIR\n");
        return 2;
    }
    const char *dir = argv[1];
    char batch[4096];
    snprintf(batch, sizeof batch, "%s/batch", dir);
    if ((mkdir(dir, 0777) != 0 && errno != EEXIST) ||
        (mkdir(batch, 0777) != 0 && errno != EEXIST)) {
        fprintf(stderr, "jm-bench-gen: cannot create %s: %s\n", batch, strerror(errno));
        return 1;
    }
    int rc = 0;
    rc |= json_map(dir, "workshop-40.json", "Switching energy supplier (workshop, March)", 40, 6, 1,
                   12, 40);
    rc |= json_map(dir, "gen-300.json", "Exported journey, 300 touchpoints", 300, 5, 0, 12, 300);
    rc |= json_map(dir, "gen-3000.json", "Exported journey, 3 000 touchpoints", 3000, 50, 0, 12,
                   3000);
    rc |= json_map(dir, "gen-30000.json", "Exported journey, 30 000 touchpoints", 30000, 500, 0, 12,
                   30000);
    /* Dense maps for the overview layout (issue 14's 6-stage / 40-touchpoint / 15-channel map
     * and a 12-stage / 300-touchpoint export). */
    rc |= json_map(dir, "dense-40.json", "Dense journey, 40 touchpoints on 15 channels", 40, 6, 0,
                   15, 1440);
    rc |= json_map(dir, "dense-300.json", "Dense journey, 300 touchpoints on 15 channels", 300, 12,
                   0, 15, 1300);
    for (unsigned k = 0; k < 200; k++)
        rc |= mermaid_map(dir, k);
    return rc ? 1 : 0;
}
