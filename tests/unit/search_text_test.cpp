// tests/unit/search_text_test.cpp - normalizeForSearch: Latin folding, Arabic normalisation,
// Tifinagh as written, invalid UTF-8.
#include <catch2/catch.hpp>

#include "catalogue/search_text.hpp"

using fadaa::arabicWordsWithoutArticle;
using fadaa::normalizeForSearch;

TEST_CASE("Latin letters are lower-cased and their accents folded") {
    CHECK(normalizeForSearch("Théâtre") == "theatre");
    CHECK(normalizeForSearch("THÉÂTRE") == "theatre");
    CHECK(normalizeForSearch("é è ê ë à â ä ç î ï ô ö ù û ü ÿ") ==
          "e e e e a a a c i i o o u u u y");
    CHECK(normalizeForSearch("É È Ê Ë À Â Ä Ç Î Ï Ô Ö Ù Û Ü Ÿ") ==
          "e e e e a a a c i i o o u u u y");
    CHECK(normalizeForSearch("Œuvre cœur") == "oeuvre coeur");
    CHECK(normalizeForSearch("Æsop et cæsium") == "aesop et caesium");
    CHECK(normalizeForSearch("Straße Łódź Ñandú") == "strasse lodz nandu");
    // Decomposed accents (e + U+0301), as some keyboards and copy-paste produce them.
    CHECK(normalizeForSearch("The\xCC\x81\x61\xCC\x82tre") == "theatre");
}

TEST_CASE("ASCII punctuation, digits and the multiplication sign are kept") {
    CHECK(normalizeForSearch("Club d'Échecs, 2027 (U10) - 3×3") ==
          "club d'echecs, 2027 (u10) - 3×3");
}

TEST_CASE("Arabic harakat, superscript alef and tatweel are removed") {
    CHECK(normalizeForSearch("مَسْرَحٌ") == "مسرح");
    CHECK(normalizeForSearch("مـــسرح") == "مسرح");
    CHECK(normalizeForSearch("هٰذا") == "هذا");
    CHECK(normalizeForSearch("الشَّطْرَنْج") == "الشطرنج");
}

TEST_CASE("Arabic letter variants are unified") {
    CHECK(normalizeForSearch("أ إ آ ٱ") == "ا ا ا ا");
    CHECK(normalizeForSearch("مدرسة") == "مدرسه");
    CHECK(normalizeForSearch("ملتقى") == "ملتقي");
    CHECK(normalizeForSearch("مؤتمر") == "موتمر");
    CHECK(normalizeForSearch("قارئ") == "قاري");
    CHECK(normalizeForSearch("٠١٢٣٤٥٦٧٨٩ ۲۰۲۷") == "0123456789 2027");
}

TEST_CASE("the usual spellings of one Arabic word normalise to the same text") {
    std::string a = normalizeForSearch("الإنجليزية");
    CHECK(a == normalizeForSearch("الانجليزية"));
    CHECK(a == normalizeForSearch("الأنجليزيه"));
    CHECK(a == normalizeForSearch("الإِنْجْلِيزِيَّة"));
    CHECK(a == "الانجليزيه");
}

TEST_CASE("Tifinagh is kept as written") {
    CHECK(normalizeForSearch("ⵜⴰⵎⴰⵣⵉⵖⵜ") == "ⵜⴰⵎⴰⵣⵉⵖⵜ");
    CHECK(normalizeForSearch("ⴰⵙⵉⵏⴰⵔ ⵏ ⵓⵖⵔⵉ") == "ⴰⵙⵉⵏⴰⵔ ⵏ ⵓⵖⵔⵉ");
}

TEST_CASE("invisible formatting characters are removed") {
    // zero-width joiner and non-joiner, left-to-right and right-to-left marks, BOM, soft hyphen
    CHECK(normalizeForSearch("the\xE2\x80\x8D\x61tre") == "theatre");
    CHECK(normalizeForSearch("\xEF\xBB\xBFth\xC2\xAD\x65\xE2\x80\x8F\x61tre") == "theatre");
    CHECK(normalizeForSearch("مسر\xE2\x80\x8Cح") == "مسرح");
}

TEST_CASE("invalid UTF-8 bytes are dropped and the rest kept") {
    CHECK(normalizeForSearch("th\xFF\xFE\x65\x61tre") == "theatre");       // bytes never valid
    CHECK(normalizeForSearch("\x80thea\xBFtre") == "theatre");             // stray continuation
    CHECK(normalizeForSearch("the\xC0\xAF\x61tre") == "theatre");          // overlong '/'
    CHECK(normalizeForSearch("the\xED\xA0\x80\x61tre") == "theatre");      // surrogate
    CHECK(normalizeForSearch("the\xF4\x90\x80\x80\x61tre") == "theatre");  // above U+10FFFF
    CHECK(normalizeForSearch("theatre\xE2\x82") == "theatre");             // truncated
    CHECK(normalizeForSearch("Th\xC3\xA9\xC3") == "the");                  // é, then cut
    CHECK(normalizeForSearch("\xD9") == "");
    CHECK(normalizeForSearch("") == "");
}

TEST_CASE("normalisation is idempotent") {
    for (const char* s : {"Théâtre ŒUVRE", "الإِنْجْلِيزِيَّة مؤتمر", "ⵜⴰⵎⴰⵣⵉⵖⵜ", "a\xFF\xC3"}) {
        std::string once = normalizeForSearch(s);
        CHECK(normalizeForSearch(once) == once);
    }
}

TEST_CASE("Arabic words are also given without their article") {
    CHECK(arabicWordsWithoutArticle(normalizeForSearch("عرض المسرح للأطفال")) == "مسرح اطفال ");
    CHECK(arabicWordsWithoutArticle("والكتاب بالعربية فالعلم كالبحر") == "كتاب عربية علم بحر ");
    CHECK(arabicWordsWithoutArticle("الم ال والد") == "");  // fewer than two letters left
    CHECK(arabicWordsWithoutArticle("Théâtre ⵜⴰⵎⴰⵣⵉⵖⵜ مسرح") == "");
    CHECK(arabicWordsWithoutArticle("(المسرح)، الشعر.") == "مسرح شعر ");
}
