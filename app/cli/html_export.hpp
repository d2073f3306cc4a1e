// app/cli/html_export.hpp - `fadaa export --format html`: the upcoming programme as one
// self-contained static page (inline CSS, no scripts, no external files). It is the page the
// benchmark shows in a Chromium kiosk beside fadaa-kiosk, so it lists what the kiosk lists.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "catalogue/catalogue.hpp"

namespace fadaa::cli {

struct HtmlOptions {
    std::string lang = "fr";  // main language of titles and labels (ar, fr, en, zgh)
    std::string zone = "Africa/Casablanca";
    std::string title;                                   // page heading; empty = "Programme"
    std::map<std::string, LocalizedText> categoryNames;  // id -> name; the id when missing
};

// The page for these sessions (already sorted by start), grouped by local day. Every text
// from the store is HTML-escaped; Arabic blocks carry dir="rtl" lang="ar".
std::string renderProgrammeHtml(const std::vector<SessionListing>& sessions,
                                const HtmlOptions& options);

// Text made safe inside HTML elements and attribute values.
std::string escapeHtml(std::string_view text);

}  // namespace fadaa::cli
