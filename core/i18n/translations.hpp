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
    // Loads every <lang>.json in dir (lang: 2-3 lowercase letters; a flat object key -> text;
    // a leading BOM is accepted; an empty text counts as missing). Throws std::runtime_error
    // naming the file on malformed JSON, invalid UTF-8, a value that is not a text, another
    // .json file name, a missing directory or one without language files.
    static Translations load(const std::filesystem::path& dir);

    // The text of key in lang; falls back to French, then English, then the key itself, so a
    // missing string is visible rather than blank. {name} placeholders are filled from args in
    // one pass (a value is never expanded again); braces not naming an arg stay as written.
    std::string get(std::string_view lang, std::string_view key,
                    const std::map<std::string, std::string>& args = {}) const;
    bool has(std::string_view lang, std::string_view key) const;

    // The loaded languages: ar, fr, en, zgh first (in that order, with their native names and
    // direction), then any other file's code (named by its code, left to right).
    std::vector<LanguageInfo> languages() const;
    // Keys present in some language but missing in `lang` (for the completeness test).
    std::vector<std::string> missingKeys(std::string_view lang) const;
    // Every string of every language (for the glyph coverage test).
    std::vector<std::string> allStrings() const;

private:
    std::map<std::string, std::map<std::string, std::string, std::less<>>, std::less<>> m_strings;
};

// Dates and times in each language's words, Western digits, in the given IANA zone
// (e.g. "Africa/Casablanca"): "samedi 5 décembre, 18:30" ("1er" for the first), "السبت 5
// دجنبر، 18:30" (Moroccan month names), "Saturday 5 December, 18:30", "ⴰⵙⵉⴹⵢⴰⵙ 5 ⴷⵓⵊⴰⵏⴱⵉⵔ, 18:30".
// A language without calendar words gets French. Throws std::invalid_argument on an unknown
// zone (from toLocal).
std::string formatDay(Timestamp t, std::string_view lang, std::string_view zone);
std::string formatTime(Timestamp t, std::string_view zone);
std::string formatDayTime(Timestamp t, std::string_view lang, std::string_view zone);

}  // namespace fadaa
