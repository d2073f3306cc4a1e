// bench/bidi_bench.cpp - what Arabic shaping costs a kiosk frame: toVisual() uncached, a
// VisualTextCache hit, and wrapForDisplay() of a description, over every title and description
// of the demo catalogue in every language. Not part of make test.
//
//   build/release/bench/bidi_bench [catalogue.json]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "i18n/bidi.hpp"
#include "i18n/utf8.hpp"

using namespace fadaa;
using Clock = std::chrono::steady_clock;

namespace {

struct Text {
    std::string text;
    TextDirection dir;
    bool description;
};

std::vector<Text> loadTexts(const std::string& path) {
    std::ifstream in(path);
    std::stringstream buffer;
    buffer << in.rdbuf();
    const auto doc = nlohmann::json::parse(buffer.str());
    std::vector<Text> texts;
    for (const auto& e : doc.at("events"))
        for (const char* field : {"title", "description"})
            for (const auto& [lang, value] : e.at(field).items()) {
                const auto s = value.get<std::string>();
                texts.push_back({s, paragraphDirection(s), field[0] == 'd'});
            }
    return texts;
}

void report(const char* what, std::vector<double> us) {
    std::sort(us.begin(), us.end());
    const auto at = [&](double q) { return us[static_cast<size_t>(q * (us.size() - 1))]; };
    std::printf("%-34s n=%-6zu p50 %8.2f us   p99 %8.2f us   max %8.2f us\n", what, us.size(),
                at(0.5), at(0.99), us.back());
}

template <class F>
double timeUs(F&& f) {
    const auto start = Clock::now();
    f();
    return std::chrono::duration<double, std::micro>(Clock::now() - start).count();
}

}  // namespace

int main(int argc, char** argv) {
    const std::string path =
        argc > 1 ? argv[1] : std::string(FADAA_ASSETS_DIR) + "/demo/catalogue.json";
    const auto texts = loadTexts(path);
    constexpr int kRounds = 20;

    std::vector<double> arabicTitle, latinTitle, cacheHit, wrapArabic, wrapLatin;
    VisualTextCache cache;
    size_t sink = 0;
    const auto measure = [](std::string_view v) {
        return 12.0f * static_cast<float>(utf8::decode(v).size());
    };
    for (int round = 0; round < kRounds; ++round)
        for (const auto& t : texts) {
            const bool rtl = t.dir == TextDirection::RightToLeft;
            if (!t.description) {
                (rtl ? arabicTitle : latinTitle).push_back(timeUs([&] {
                    sink += toVisual(t.text, t.dir).size();
                }));
                cache.get(t.text, t.dir);
                cacheHit.push_back(timeUs([&] { sink += cache.get(t.text, t.dir).size(); }));
            } else {
                (rtl ? wrapArabic : wrapLatin).push_back(timeUs([&] {
                    sink += wrapForDisplay(t.text, t.dir, 600.0f, measure).size();
                }));
            }
        }
    std::printf("%zu texts from %s, %d rounds\n", texts.size(), path.c_str(), kRounds);
    report("toVisual, Arabic title", arabicTitle);
    report("toVisual, Latin/Tifinagh title", latinTitle);
    report("VisualTextCache hit", cacheHit);
    report("wrapForDisplay 600px, Arabic desc", wrapArabic);
    report("wrapForDisplay 600px, Latin desc", wrapLatin);
    return sink == 0;  // keeps the work from being optimised away
}
