// app/cli/html_export.cpp - the static HTML programme (see html_export.hpp).
#include "html_export.hpp"

#include <fmt/format.h>

#include "cli_common.hpp"
#include "i18n/translations.hpp"
#include "util/time.hpp"

namespace fadaa::cli {
namespace {

// Large type and calm colours, like the kiosk; fonts come from the system (fonts-noto-core),
// nothing is fetched.
constexpr const char* kStyle = R"css(
:root { --ink: #1d2433; --muted: #5b6475; --bg: #f5f1ea; --card: #ffffff; --accent: #0f6b5c;
        --full: #a23b2a; --free: #4b3f8a; }
* { box-sizing: border-box; }
body { margin: 0; background: var(--bg); color: var(--ink); font-size: 20px; line-height: 1.4;
       font-family: "Noto Sans", "Noto Sans Arabic", "Noto Sans Tifinagh", sans-serif; }
header { background: var(--accent); color: #fff; padding: 24px 40px; }
header h1 { margin: 0; font-size: 40px; }
header p { margin: 4px 0 0; font-size: 24px; }
main { padding: 8px 40px 48px; max-width: 1400px; margin: 0 auto; }
h2 { font-size: 26px; margin: 32px 0 12px; padding-bottom: 6px;
     border-bottom: 3px solid var(--accent); display: flex; justify-content: space-between; }
.card { display: flex; gap: 24px; align-items: flex-start; background: var(--card);
        border-radius: 14px; padding: 18px 24px; margin: 12px 0;
        box-shadow: 0 1px 3px rgba(0, 0, 0, .12); }
.time { font-size: 28px; font-weight: 700; min-width: 90px; color: var(--accent); }
.body { flex: 1; min-width: 0; }
.card h3 { margin: 0 0 4px; font-size: 24px; }
.second { margin: 2px 0; font-size: 22px; color: var(--ink); }
[dir="rtl"] { font-family: "Noto Sans Arabic", "Noto Sans", sans-serif; }
.cat { font-size: 15px; text-transform: uppercase; letter-spacing: .06em; color: var(--muted); }
.meta { color: var(--muted); margin-top: 6px; }
.seats { font-weight: 700; white-space: nowrap; padding: 6px 14px; border-radius: 999px;
         background: #e3f1ed; color: var(--accent); }
.seats.full { background: #f6e3df; color: var(--full); }
.seats.free, .seats.cancelled { background: #ece9f6; color: var(--free); }
.empty { font-size: 24px; color: var(--muted); margin-top: 40px; }
)css";

std::string seatsClass(const SessionListing& s) {
    if (s.session.status == SessionStatus::Cancelled) return "seats cancelled";
    if (!s.registrationRequired || !s.seatsLeft) return "seats free";
    return *s.seatsLeft <= 0 ? "seats full" : "seats";
}

// An element with text in `textLang`, marked right-to-left when that language is Arabic.
std::string inLanguage(const char* tag, const char* cls, std::string_view textLang,
                       std::string_view text) {
    return fmt::format("<{0} class=\"{1}\" lang=\"{2}\" dir=\"{3}\">{4}</{0}>", tag, cls, textLang,
                       textLang == "ar" ? "rtl" : "ltr", escapeHtml(text));
}

}  // namespace

std::string escapeHtml(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (char c : text) {
        switch (c) {
            case '&':
                out += "&amp;";
                break;
            case '<':
                out += "&lt;";
                break;
            case '>':
                out += "&gt;";
                break;
            case '"':
                out += "&quot;";
                break;
            case '\'':
                out += "&#39;";
                break;
            default:
                out += c;
        }
    }
    return out;
}

std::string renderProgrammeHtml(const std::vector<SessionListing>& sessions,
                                const HtmlOptions& options) {
    const std::string& lang = options.lang;
    // The second language shown under each title: Arabic beside a Latin-script page, French
    // beside an Arabic one, so both main audiences read every card.
    const std::string second = lang == "ar" ? "fr" : "ar";
    const bool rtl = lang == "ar";
    std::string heading = options.title.empty() ? (rtl ? "البرنامج" : "Programme") : options.title;

    std::string out = fmt::format(
        "<!DOCTYPE html>\n<html lang=\"{}\" dir=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n"
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        "<title>{}</title>\n<style>{}</style>\n</head>\n<body>\n<header><h1>{}</h1>{}</header>\n"
        "<main>\n",
        lang, rtl ? "rtl" : "ltr", escapeHtml(heading), kStyle, escapeHtml(heading),
        rtl ? inLanguage("p", "second", "fr", "Programme")
            : inLanguage("p", "second", "ar", "البرنامج"));

    Timestamp currentDay = -1;
    for (const SessionListing& s : sessions) {
        Timestamp day = startOfLocalDay(s.session.startsAt, options.zone);
        if (day != currentDay) {
            if (currentDay != -1) out += "</section>\n";
            currentDay = day;
            out += fmt::format("<section>\n<h2><span>{}</span>{}</h2>\n",
                               escapeHtml(formatDay(s.session.startsAt, lang, options.zone)),
                               inLanguage("span", "second", second,
                                          formatDay(s.session.startsAt, second, options.zone)));
        }
        std::string titleLang = s.eventTitle.has(lang) ? lang : "fr";
        std::string secondBlock;
        if (s.eventTitle.has(second) && second != titleLang)
            secondBlock = inLanguage("p", "second", second, s.eventTitle.get(second));
        std::string venue = s.venueName.get(lang);
        auto category = options.categoryNames.find(s.categoryId);
        std::string categoryName =
            category == options.categoryNames.end() ? s.categoryId : category->second.get(lang);
        out += fmt::format(
            "<article class=\"card\"><div class=\"time\">{}</div><div class=\"body\">"
            "<span class=\"cat\">{}</span>{}{}<div class=\"meta\">{}</div></div>"
            "<div class=\"{}\">{}</div></article>\n",
            escapeHtml(formatTime(s.session.startsAt, options.zone)), escapeHtml(categoryName),
            inLanguage("h3", "title", titleLang, s.eventTitle.get(titleLang)), secondBlock,
            escapeHtml(venue), seatsClass(s), escapeHtml(seatsLabel(s, lang)));
    }
    if (currentDay != -1) out += "</section>\n";
    if (sessions.empty())
        out +=
            fmt::format("<p class=\"empty\">{}</p>\n", rtl ? "لا توجد حصص قادمة"
                                                       : lang == "en" ? "No upcoming sessions."
                                                                      : "Aucune séance à venir.");
    out += "</main>\n</body>\n</html>\n";
    return out;
}

}  // namespace fadaa::cli
