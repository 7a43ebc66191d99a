// The public API from C++: <journeymap.h> compiles as C++11 (extern "C", no C-only constructs)
// and its objects fit in RAII handles.
//
// Usage: api_test_cxx VALID_MODEL.json SCRATCH_DIR
#include <journeymap.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

namespace
{

struct DiagsFree {
    void operator()(jm_diags *d) const { jm_diags_free(d); }
};
struct ContextFree {
    void operator()(jm_context *c) const { jm_context_free(c); }
};
struct MapFree {
    void operator()(jm_map *m) const { jm_map_free(m); }
};
struct BytesFree {
    void operator()(void *p) const { jm_free(p); }
};

using Diags = std::unique_ptr<jm_diags, DiagsFree>;
using Context = std::unique_ptr<jm_context, ContextFree>;
using Map = std::unique_ptr<jm_map, MapFree>;

// Every diagnostic as formatted lines.
std::string describe(const jm_diags *d)
{
    std::string out;
    for (size_t i = 0; i < jm_diags_count(d); i++) {
        std::unique_ptr<char, BytesFree> line(jm_diag_format(jm_diags_get(d, i)));
        if (line)
            out += std::string(line.get()) + "\n";
    }
    return out;
}

std::vector<unsigned char> render(jm_context *ctx, const jm_map *map, jm_format format)
{
    jm_render_options opts;
    jm_render_options_init(&opts);
    opts.format = format;
    Diags d(jm_diags_new());
    unsigned char *data = nullptr;
    size_t len = 0;
    if (jm_render_to_buffer(ctx, map, &opts, &data, &len, d.get()) != 0)
        throw std::runtime_error("render failed:\n" + describe(d.get()));
    std::unique_ptr<unsigned char, BytesFree> owned(data);
    return std::vector<unsigned char>(data, data + len);
}

int failures = 0;

void check(bool ok, const char *what)
{
    if (!ok) {
        std::fprintf(stderr, "check failed: %s\n", what);
        failures++;
    }
}

} // namespace

int main(int argc, char **argv)
{
    if (argc != 3) {
        std::fprintf(stderr, "usage: %s VALID_MODEL.json SCRATCH_DIR\n", argv[0]);
        return 2;
    }
    try {
        const char *expect = std::getenv("JM_EXPECT_VERSION");
        check(!expect || !*expect || std::string(jm_version()) == expect, "jm_version()");

        Diags d(jm_diags_new());
        Context ctx(jm_context_new(nullptr, d.get()));
        if (!ctx)
            throw std::runtime_error("no context:\n" + describe(d.get()));

        Map map(jm_map_load_file(ctx.get(), argv[1], nullptr, d.get()));
        if (!map)
            throw std::runtime_error("cannot load " + std::string(argv[1]) + ":\n" +
                                     describe(d.get()));
        check(jm_map_touchpoint_count(map.get()) > 0, "touchpoints");

        std::vector<unsigned char> png = render(ctx.get(), map.get(), JM_FORMAT_PNG);
        check(png.size() > 8 && std::memcmp(png.data(), "\x89PNG", 4) == 0, "PNG bytes");
        std::vector<unsigned char> svg = render(ctx.get(), map.get(), JM_FORMAT_SVG);
        std::string svg_text(svg.begin(), svg.end());
        check(svg_text.find("<svg") != std::string::npos, "SVG text");

        // Errors are values: a model with an unknown stage gives a null map and one error.
        static const char bad[] = "{\"journeymap\": 1, \"title\": \"t\","
                                  " \"stages\": [{\"id\": \"a\", \"name\": \"A\"}],"
                                  " \"touchpoints\": [{\"stage\": \"b\", \"name\": \"x\"}]}";
        Diags errors(jm_diags_new());
        Map none(
            jm_map_load_buffer(ctx.get(), "bad.json", bad, sizeof bad - 1, nullptr, errors.get()));
        check(!none, "invalid model gives no map");
        check(jm_diags_error_count(errors.get()) == 1, "one error");
        const jm_diag *g = jm_diags_get(errors.get(), 0);
        check(g && std::string(g->path) == "/touchpoints/0/stage", "error path");
        check(g && std::strstr(g->message, "unknown stage") != nullptr, "error message");

        std::string out = std::string(argv[2]) + "/api-test-cxx.pdf";
        jm_render_options opts;
        jm_render_options_init(&opts);
        opts.format = static_cast<jm_format>(jm_format_from_path(out.c_str()));
        opts.page = JM_PAGE_A4;
        check(opts.format == JM_FORMAT_PDF, "format from path");
        check(jm_render_to_file(ctx.get(), map.get(), &opts, out.c_str(), d.get()) == 0,
              "render to file");
        std::remove(out.c_str());
    } catch (const std::exception &e) {
        std::fprintf(stderr, "%s\n", e.what());
        return 1;
    }
    if (failures) {
        std::fprintf(stderr, "%d checks failed\n", failures);
        return 1;
    }
    std::printf("api_test_cxx: all checks passed (journeymap %s)\n", jm_version());
    return 0;
}
