// core/i18n/translations.cpp - UI strings from assets/i18n/<lang>.json, and dates in words
// (see translations.hpp).
#include "i18n/translations.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <stdexcept>

#include "i18n/utf8.hpp"
#include "util/time.hpp"

namespace fadaa {

namespace {

// The languages Fadaa knows, in the order the kiosk offers them.
const std::array<LanguageInfo, 4> kKnownLanguages = {{
    {"ar", "العربية", true},
    {"fr", "Français", false},
    {"en", "English", false},
    {"zgh", "ⵜⴰⵎⴰⵣⵉⵖⵜ", false},
}};

// A language file is named by a lowercase ISO 639 code: ar.json, fr.json, zgh.json.
bool isLanguageCode(std::string_view code) {
    return code.size() >= 2 && code.size() <= 3 &&
           std::all_of(code.begin(), code.end(), [](char c) { return c >= 'a' && c <= 'z'; });
}

std::string readWholeFile(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw std::runtime_error(path.string() + ": cannot be read");
    std::ostringstream buffer;
    buffer << in.rdbuf();
    return buffer.str();
}

std::map<std::string, std::string, std::less<>> parseLanguageFile(
    const std::filesystem::path& path) {
    std::string text = readWholeFile(path);
    if (text.rfind("\xEF\xBB\xBF", 0) == 0) text.erase(0, 3);  // a BOM some editors add
    if (auto bad = utf8::firstInvalid(text))
        throw std::runtime_error(fmt::format("{}: invalid UTF-8 at byte {}", path.string(), *bad));
    nlohmann::json doc;
    try {
        doc = nlohmann::json::parse(text);
    } catch (const nlohmann::json::parse_error& e) {
        throw std::runtime_error(fmt::format("{}: malformed JSON: {}", path.string(), e.what()));
    }
    if (!doc.is_object())
        throw std::runtime_error(path.string() + ": must be one JSON object of key -> text");
    std::map<std::string, std::string, std::less<>> strings;
    for (const auto& [key, value] : doc.items()) {
        if (!value.is_string())
            throw std::runtime_error(fmt::format("{}: \"{}\" must be a text, not {}", path.string(),
                                                 key, value.type_name()));
        // An empty text counts as untranslated, so the fallback shows instead of a blank.
        if (!value.get_ref<const std::string&>().empty()) strings[key] = value.get<std::string>();
    }
    return strings;
}

// Replaces each {name} whose name is in args; other braces stay as written. One pass, so a
// value containing braces (a resident's name) is never expanded again.
std::string fillPlaceholders(std::string_view text,
                             const std::map<std::string, std::string>& args) {
    if (args.empty()) return std::string(text);
    std::string out;
    out.reserve(text.size() + 16);
    std::size_t pos = 0;
    while (pos < text.size()) {
        const std::size_t open = text.find('{', pos);
        if (open == std::string_view::npos) break;
        const std::size_t close = text.find('}', open + 1);
        if (close == std::string_view::npos) break;
        out.append(text.substr(pos, open - pos));
        const std::string_view name = text.substr(open + 1, close - open - 1);
        if (auto it = args.find(std::string(name)); it != args.end()) {
            out.append(it->second);
            pos = close + 1;
        } else {
            out.push_back('{');  // not a placeholder we know: keep it, look again after it
            pos = open + 1;
        }
    }
    out.append(text.substr(pos));
    return out;
}

}  // namespace

Translations Translations::load(const std::filesystem::path& dir) {
    std::error_code ec;
    if (!std::filesystem::is_directory(dir, ec))
        throw std::runtime_error(dir.string() + ": no such translations directory");
    Translations t;
    for (const auto& entry : std::filesystem::directory_iterator(dir)) {
        if (!entry.is_regular_file() || entry.path().extension() != ".json") continue;
        const std::string code = entry.path().stem().string();
        if (!isLanguageCode(code))
            throw std::runtime_error(entry.path().string() +
                                     ": not a language file (expected e.g. ar.json, zgh.json)");
        t.m_strings[code] = parseLanguageFile(entry.path());
    }
    if (t.m_strings.empty())
        throw std::runtime_error(dir.string() + ": no language files (<lang>.json)");
    return t;
}

std::string Translations::get(std::string_view lang, std::string_view key,
                              const std::map<std::string, std::string>& args) const {
    for (std::string_view candidate : {lang, std::string_view("fr"), std::string_view("en")}) {
        auto langIt = m_strings.find(candidate);
        if (langIt == m_strings.end()) continue;
        if (auto it = langIt->second.find(key); it != langIt->second.end())
            return fillPlaceholders(it->second, args);
    }
    return std::string(key);
}

bool Translations::has(std::string_view lang, std::string_view key) const {
    auto langIt = m_strings.find(lang);
    return langIt != m_strings.end() && langIt->second.find(key) != langIt->second.end();
}

std::vector<LanguageInfo> Translations::languages() const {
    std::vector<LanguageInfo> out;
    for (const LanguageInfo& known : kKnownLanguages)
        if (m_strings.count(known.code)) out.push_back(known);
    for (const auto& [code, strings] : m_strings) {
        const bool isKnown = std::any_of(kKnownLanguages.begin(), kKnownLanguages.end(),
                                         [&](const LanguageInfo& l) { return l.code == code; });
        if (!isKnown) out.push_back({code, code, false});
    }
    return out;
}

std::vector<std::string> Translations::missingKeys(std::string_view lang) const {
    std::set<std::string> all;
    for (const auto& [code, strings] : m_strings)
        for (const auto& [key, text] : strings) all.insert(key);
    std::vector<std::string> missing;
    for (const std::string& key : all)
        if (!has(lang, key)) missing.push_back(key);
    return missing;
}

std::vector<std::string> Translations::allStrings() const {
    std::vector<std::string> out;
    for (const auto& [code, strings] : m_strings)
        for (const auto& [key, text] : strings) out.push_back(text);
    return out;
}

// ---------------------------------------------------------------------------------------------
// Dates. Arabic uses the month names of Morocco (يناير ... دجنبر, as in the Moroccan press and
// administration); Tamazight the standard Moroccan (IRCAM) names in Tifinagh. Digits are
// Western everywhere, as Moroccan signage writes them.

namespace {

struct CalendarWords {
    std::array<const char*, 7> weekdays;  // Sunday first, as LocalDateTime::weekday
    std::array<const char*, 12> months;
    const char* dayTimeSeparator;
};

const CalendarWords kArabic = {
    {"الأحد", "الاثنين", "الثلاثاء", "الأربعاء", "الخميس", "الجمعة", "السبت"},
    {"يناير", "فبراير", "مارس", "أبريل", "ماي", "يونيو", "يوليوز", "غشت", "شتنبر", "أكتوبر",
     "نونبر", "دجنبر"},
    "، ",
};

const CalendarWords kFrench = {
    {"dimanche", "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi"},
    {"janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre",
     "octobre", "novembre", "décembre"},
    ", ",
};

const CalendarWords kEnglish = {
    {"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"},
    {"January", "February", "March", "April", "May", "June", "July", "August", "September",
     "October", "November", "December"},
    ", ",
};

const CalendarWords kTamazight = {
    {"ⴰⵙⴰⵎⴰⵙ", "ⴰⵢⵏⴰⵙ", "ⴰⵙⵉⵏⴰⵙ", "ⴰⴽⵕⴰⵙ", "ⴰⴽⵡⴰⵙ", "ⴰⵙⵉⵎⵡⴰⵙ", "ⴰⵙⵉⴹⵢⴰⵙ"},
    {"ⵉⵏⵏⴰⵢⵔ", "ⴱⵕⴰⵢⵕ", "ⵎⴰⵕⵚ", "ⵉⴱⵔⵉⵔ", "ⵎⴰⵢⵢⵓ", "ⵢⵓⵏⵢⵓ", "ⵢⵓⵍⵢⵓⵣ", "ⵖⵓⵛⵜ", "ⵛⵓⵜⴰⵏⴱⵉⵔ", "ⴽⵜⵓⴱⵕ",
     "ⵏⵓⵡⴰⵏⴱⵉⵔ", "ⴷⵓⵊⴰⵏⴱⵉⵔ"},
    ", ",
};

// The words of lang; French for a language we have no calendar for (the UI fallback).
const CalendarWords& calendarWords(std::string_view lang) {
    if (lang == "ar") return kArabic;
    if (lang == "en") return kEnglish;
    if (lang == "zgh") return kTamazight;
    return kFrench;
}

std::string dayOf(const LocalDateTime& local, std::string_view lang) {
    const CalendarWords& words = calendarWords(lang);
    const bool french = &words == &kFrench;
    // French writes the first of the month as an ordinal: « samedi 1er mars ».
    const std::string dayNumber =
        french && local.day == 1 ? std::string("1er") : std::to_string(local.day);
    return fmt::format("{} {} {}", words.weekdays.at(local.weekday), dayNumber,
                       words.months.at(local.month - 1));
}

std::string timeOf(const LocalDateTime& local) {
    return fmt::format("{:02}:{:02}", local.hour, local.minute);
}

}  // namespace

std::string formatDay(Timestamp t, std::string_view lang, std::string_view zone) {
    return dayOf(toLocal(t, zone), lang);
}

std::string formatTime(Timestamp t, std::string_view zone) {
    return timeOf(toLocal(t, zone));
}

std::string formatDayTime(Timestamp t, std::string_view lang, std::string_view zone) {
    const LocalDateTime local = toLocal(t, zone);
    return dayOf(local, lang) + calendarWords(lang).dayTimeSeparator + timeOf(local);
}

}  // namespace fadaa
