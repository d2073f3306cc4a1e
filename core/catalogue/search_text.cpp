// core/catalogue/search_text.cpp - see search_text.hpp. (First cut: ASCII lower-casing only;
// the catalogue work completes the Latin and Arabic folding.)
#include "catalogue/search_text.hpp"

namespace fadaa {

std::string normalizeForSearch(std::string_view text) {
    std::string out(text);
    for (char& c : out)
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    return out;
}

}  // namespace fadaa
