// core/catalogue/search_text.hpp - text normalisation shared by the index and the query.
#pragma once

#include <string>
#include <string_view>

namespace fadaa {

// Normalises UTF-8 text for search so that the forms a resident may type match the catalogue:
// Latin lower-cased with accents folded (Théâtre -> theatre); Arabic with harakat and tatweel
// removed and letter variants unified (أ إ آ ٱ -> ا, ة -> ه, ى -> ي, ؤ -> و, ئ -> ي);
// Tifinagh kept as written. Invalid UTF-8 bytes are dropped.
std::string normalizeForSearch(std::string_view text);

// Appends what normalizeForSearch makes of one code point: itself, its folded form (one or two
// ASCII letters, a unified Arabic letter, an ASCII digit) or nothing (accents, harakat,
// invisible characters). Only an ASCII character folds to an ASCII character that is not a
// letter or digit, and then to itself.
void appendFoldedForSearch(std::string& out, char32_t cp);

// The Arabic words of normalised text that begin with the definite article (ال, or وال بال
// فال كال لل), without it, space-separated: indexed beside the text so that a resident typing
// مسرح finds المسرح (search matches words by their beginning). A word is kept only when at
// least two letters remain.
std::string arabicWordsWithoutArticle(std::string_view normalized);

}  // namespace fadaa
