// core/i18n/translations.hpp - UI strings by key, one JSON file per language in assets/i18n/.
#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "model/model.hpp"

namespace fadaa {

struct LanguageInfo {
    std::string code;        // ar, fr, en, zgh
    std::string nativeName;  // العربية, Français, English, ⵜⴰⵎⴰⵣⵉⵖⵜ
    bool rightToLeft = false;
};

class Translations {
public:
    // Loads every assets/i18n/<lang>.json (flat object: key -> text). Throws std::runtime_error
    // naming the file on malformed JSON or invalid UTF-8.
    static Translations load(const std::filesystem::path& dir);

    // The text of key in lang; falls back to French, then English, then the key itself, so a
    // missing string is visible rather than blank. {name} placeholders are filled from args.
    std::string get(std::string_view lang, std::string_view key,
                    const std::map<std::string, std::string>& args = {}) const;
    bool has(std::string_view lang, std::string_view key) const;

    std::vector<LanguageInfo> languages() const;
    // Keys present in some language but missing in `lang` (for the completeness test).
    std::vector<std::string> missingKeys(std::string_view lang) const;
    // Every string of every language (for the glyph coverage test).
    std::vector<std::string> allStrings() const;

private:
    std::map<std::string, std::map<std::string, std::string, std::less<>>, std::less<>> m_strings;
};

// Dates and times in each language's words, Western digits, in the given IANA zone
// (e.g. "Africa/Casablanca"): "samedi 5 décembre, 18:30", "السبت 5 دجنبر، 18:30", ...
std::string formatDay(Timestamp t, std::string_view lang, std::string_view zone);
std::string formatTime(Timestamp t, std::string_view zone);
std::string formatDayTime(Timestamp t, std::string_view lang, std::string_view zone);

}  // namespace fadaa
