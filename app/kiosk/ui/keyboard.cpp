// app/kiosk/ui/keyboard.cpp - reading keyboard layout files (see keyboard.hpp).
#include "ui/keyboard.hpp"

#include <fmt/format.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <stdexcept>

#include "i18n/utf8.hpp"

namespace fadaa::kiosk {
namespace {

KeyDef parseKey(const nlohmann::json& k, const std::string& where, bool latinShift) {
    KeyDef key;
    if (k.is_string()) {
        key.text = k.get<std::string>();
        if (key.text.empty()) throw std::runtime_error(where + ": empty key");
        key.shifted = latinShift ? latinUpper(key.text) : key.text;
        return key;
    }
    if (!k.is_object()) throw std::runtime_error(where + ": a key is a text or an object");
    static const std::set<std::string> known = {"action", "to", "width", "text"};
    for (const auto& [name, value] : k.items()) {
        if (!known.count(name))
            throw std::runtime_error(where + ": unknown field \"" + name + "\"");
    }
    std::string action = k.value("action", std::string("text"));
    if (action == "text") {
        key.action = KeyAction::Text;
        key.text = k.value("text", std::string());
        if (key.text.empty()) throw std::runtime_error(where + ": a text key needs \"text\"");
        key.shifted = latinShift ? latinUpper(key.text) : key.text;
    } else if (action == "backspace") {
        key.action = KeyAction::Backspace;
    } else if (action == "shift") {
        key.action = KeyAction::Shift;
    } else if (action == "space") {
        key.action = KeyAction::Space;
        key.text = key.shifted = " ";
    } else if (action == "enter") {
        key.action = KeyAction::Enter;
    } else if (action == "layout") {
        key.action = KeyAction::Layout;
        key.to = k.value("to", std::string());
        if (key.to.empty()) throw std::runtime_error(where + ": a layout key needs \"to\"");
    } else {
        throw std::runtime_error(where + ": unknown action \"" + action + "\"");
    }
    if (k.contains("width")) {
        if (!k["width"].is_number() || k["width"].get<float>() <= 0.0f ||
            k["width"].get<float>() > 12.0f)
            throw std::runtime_error(where + ": width must be a number of keys between 0 and 12");
        key.width = k["width"].get<float>();
    }
    return key;
}

KeyboardLayout parseLayout(const std::filesystem::path& file) {
    std::ifstream in(file, std::ios::binary);
    if (!in) throw std::runtime_error(file.string() + ": cannot be read");
    std::stringstream buffer;
    buffer << in.rdbuf();
    const std::string text = buffer.str();
    if (auto bad = utf8::firstInvalid(text))
        throw std::runtime_error(fmt::format("{}: invalid UTF-8 at byte {}", file.string(), *bad));
    nlohmann::json doc;
    try {
        doc = nlohmann::json::parse(text);
    } catch (const nlohmann::json::exception& e) {
        throw std::runtime_error(file.string() + ": malformed JSON: " + e.what());
    }
    const std::string name = file.string();
    if (!doc.is_object()) throw std::runtime_error(name + ": must be a JSON object");
    static const std::set<std::string> known = {"id",    "label",  "direction",
                                                "shift", "keypad", "rows"};
    for (const auto& [key, value] : doc.items()) {
        if (!known.count(key)) throw std::runtime_error(name + ": unknown field \"" + key + "\"");
    }
    KeyboardLayout layout;
    try {
        layout.id = doc.at("id").get<std::string>();
        layout.label = doc.at("label").get<std::string>();
        std::string direction = doc.value("direction", std::string("ltr"));
        if (direction != "ltr" && direction != "rtl")
            throw std::runtime_error("direction must be \"ltr\" or \"rtl\"");
        layout.rtl = direction == "rtl";
        std::string shift = doc.value("shift", std::string());
        if (!shift.empty() && shift != "latin") throw std::runtime_error("shift must be \"latin\"");
        layout.hasShift = shift == "latin";
        layout.keypad = doc.value("keypad", false);
        const auto& rows = doc.at("rows");
        if (!rows.is_array() || rows.empty())
            throw std::runtime_error("rows must be a list of rows");
        for (size_t r = 0; r < rows.size(); ++r) {
            if (!rows[r].is_array() || rows[r].empty())
                throw std::runtime_error(fmt::format("rows[{}] must be a list of keys", r));
            std::vector<KeyDef> row;
            for (size_t k = 0; k < rows[r].size(); ++k) {
                row.push_back(
                    parseKey(rows[r][k], fmt::format("rows[{}][{}]", r, k), layout.hasShift));
            }
            layout.rows.push_back(std::move(row));
        }
    } catch (const nlohmann::json::exception& e) {
        throw std::runtime_error(name + ": " + e.what());
    } catch (const std::runtime_error& e) {
        throw std::runtime_error(name + ": " + e.what());
    }
    return layout;
}

}  // namespace

std::string latinUpper(const std::string& text) {
    std::u32string cps = utf8::decode(text);
    for (char32_t& c : cps) {
        if (c >= U'a' && c <= U'z') {
            c -= 0x20;
        } else if (c >= 0xE0 && c <= 0xFE && c != 0xF7) {
            c -= 0x20;  // Latin-1: à..þ -> À..Þ
        } else if (c >= 0x100 && c <= 0x17F && c != 0x131 && c != 0x138 && c != 0x149 &&
                   c != 0x17F) {
            // Latin Extended-A pairs capitals and small letters, capital first; the block
            // switches parity at U+0139..U+0148 and U+0179..U+017E.
            bool oddCapital = (c >= 0x139 && c <= 0x148) || (c >= 0x179 && c <= 0x17E);
            if (oddCapital ? (c % 2 == 0) : (c % 2 == 1)) c -= 1;
        } else if (c == 0xFF) {
            c = 0x178;
        }
    }
    return utf8::encode(cps);
}

KeyboardLayouts KeyboardLayouts::load(const std::filesystem::path& dir) {
    std::error_code ec;
    if (!std::filesystem::is_directory(dir, ec))
        throw std::runtime_error(dir.string() + ": no such keyboard layouts directory");
    KeyboardLayouts out;
    for (const auto& entry : std::filesystem::directory_iterator(dir)) {
        if (!entry.is_regular_file() || entry.path().extension() != ".json") continue;
        KeyboardLayout layout = parseLayout(entry.path());
        if (out.m_layouts.count(layout.id))
            throw std::runtime_error(entry.path().string() + ": layout id \"" + layout.id +
                                     "\" used twice");
        std::string id = layout.id;
        out.m_layouts.emplace(std::move(id), std::move(layout));
    }
    for (const auto& [id, layout] : out.m_layouts) {
        for (const auto& row : layout.rows) {
            for (const auto& key : row) {
                if (key.action == KeyAction::Layout && !out.m_layouts.count(key.to))
                    throw std::runtime_error(
                        fmt::format("keyboard layout {}: a key switches to "
                                    "\"{}\", which no file defines",
                                    id, key.to));
            }
        }
    }
    if (out.m_layouts.empty()) throw std::runtime_error(dir.string() + ": no keyboard layouts");
    return out;
}

const KeyboardLayout& KeyboardLayouts::get(const std::string& id) const {
    auto it = m_layouts.find(id);
    if (it == m_layouts.end()) throw std::out_of_range("no keyboard layout \"" + id + "\"");
    return it->second;
}

}  // namespace fadaa::kiosk
