// app/kiosk/ui/kiosk_config.cpp - reading the kiosk's TOML settings (see kiosk_app.hpp).
//
//   kiosk_name = "Médiathèque Benguerir"
//   languages = ["ar", "fr", "en", "zgh"]   # offered, in this order
//   language = "ar"                          # at start and after an idle reset
//   idle_timeout = 60                        # seconds, 10 to 3600
//   text_size = 1                            # 0 normal, 1 large, 2 larger
//   theme = "default"                        # or "high-contrast"
//   timezone = "Africa/Casablanca"
#include <fmt/format.h>

#include <toml++/toml.h>
#include <algorithm>
#include <set>
#include <stdexcept>

#include "ui/fonts.hpp"
#include "ui/kiosk_app.hpp"
#include "util/time.hpp"

namespace fadaa::kiosk {
namespace {

[[noreturn]] void bad(const std::filesystem::path& file, const std::string& key,
                      const std::string& why) {
    throw std::runtime_error(fmt::format("{}: {}: {}", file.string(), key, why));
}

std::string stringOf(const std::filesystem::path& file, const toml::node& node,
                     const std::string& key) {
    auto v = node.value<std::string>();
    if (!v) bad(file, key, "must be a text");
    return *v;
}

bool knownLanguage(const std::string& code) {
    return std::find(std::begin(kLanguages), std::end(kLanguages), code) != std::end(kLanguages);
}

}  // namespace

KioskConfig loadKioskConfig(const std::filesystem::path& file, KioskConfig config) {
    toml::table table;
    try {
        table = toml::parse_file(file.string());
    } catch (const toml::parse_error& e) {
        throw std::runtime_error(fmt::format("{}: line {}: {}", file.string(),
                                             e.source().begin.line, std::string(e.description())));
    }
    static const std::set<std::string> known = {
        "kiosk_name", "languages", "language", "idle_timeout", "text_size", "theme", "timezone"};
    for (const auto& [k, node] : table) {
        std::string key(k.str());
        if (!known.count(key)) bad(file, key, "unknown setting");
        if (key == "kiosk_name") {
            config.kioskName = stringOf(file, node, key);
            if (config.kioskName.empty()) bad(file, key, "must not be empty");
        } else if (key == "languages") {
            const toml::array* list = node.as_array();
            if (!list || list->empty())
                bad(file, key, "must be a non-empty list like [\"ar\", \"fr\"]");
            config.languages.clear();
            for (const auto& item : *list) {
                auto code = item.value<std::string>();
                if (!code || !knownLanguage(*code))
                    bad(file, key, "each must be one of ar, fr, en, zgh");
                if (std::find(config.languages.begin(), config.languages.end(), *code) ==
                    config.languages.end())
                    config.languages.push_back(*code);
            }
        } else if (key == "language") {
            config.language = stringOf(file, node, key);
            if (!knownLanguage(config.language)) bad(file, key, "must be one of ar, fr, en, zgh");
        } else if (key == "idle_timeout") {
            auto v = node.value<int64_t>();
            if (!v || *v < 10 || *v > 3600)
                bad(file, key, "must be a whole number of seconds from 10 to 3600");
            config.idleTimeoutSeconds = static_cast<int>(*v);
        } else if (key == "text_size") {
            auto v = node.value<int64_t>();
            if (!v || *v < 0 || *v >= kTextSizeLevels)
                bad(file, key, "must be 0 (normal), 1 (large) or 2 (larger)");
            config.textSize = static_cast<int>(*v);
        } else if (key == "theme") {
            std::string theme = stringOf(file, node, key);
            if (theme != "default" && theme != "high-contrast")
                bad(file, key, "must be \"default\" or \"high-contrast\"");
            config.highContrast = theme == "high-contrast";
        } else if (key == "timezone") {
            config.timezone = stringOf(file, node, key);
            try {
                toLocal(0, config.timezone);
            } catch (const std::exception&) {
                bad(file, key,
                    "unknown time zone \"" + config.timezone +
                        "\" (an IANA name like Africa/Casablanca)");
            }
        }
    }
    if (std::find(config.languages.begin(), config.languages.end(), config.language) ==
        config.languages.end())
        bad(file, "language", "\"" + config.language + "\" is not among the languages offered");
    return config;
}

}  // namespace fadaa::kiosk
