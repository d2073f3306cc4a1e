// app/kiosk/ui/keyboard.hpp - the on-screen keyboard: layouts read from assets/keyboards/*.json
// and the widget that draws one and reports the keys tapped.
//
// A layout file: {"id", "label" (shown on the key that switches to it), "direction" ("ltr" |
// "rtl": the direction of what it types), "shift": "latin" (optional: a shift key gives
// capitals), "keypad": true (optional: a narrow phone-style pad), "rows": [[key, ...], ...]}.
// A key is a string (the text it types) or an object {"action": "backspace" | "shift" |
// "space" | "enter" | "layout", "to": layout id (for "layout"), "width": in key units}.
// Keys keep their physical places in every language: the keyboard is never mirrored.
#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <vector>

namespace fadaa::kiosk {

class Ui;
struct Rect;

enum class KeyAction { Text, Backspace, Shift, Space, Enter, Layout };

struct KeyDef {
    KeyAction action = KeyAction::Text;
    std::string text;     // Text: what it types
    std::string shifted;  // Text: what it types with shift on (same as text when no case)
    std::string to;       // Layout: the layout it switches to
    float width = 1.0f;   // in key units
};

struct KeyboardLayout {
    std::string id;
    std::string label;
    bool rtl = false;
    bool keypad = false;
    bool hasShift = false;
    std::vector<std::vector<KeyDef>> rows;
};

class KeyboardLayouts {
public:
    // Reads every *.json in dir. Throws std::runtime_error naming the file and the problem
    // (malformed JSON, unknown action, a "layout" key to a layout that does not exist, ...).
    static KeyboardLayouts load(const std::filesystem::path& dir);
    // Throws std::out_of_range naming the id when there is no such layout.
    const KeyboardLayout& get(const std::string& id) const;
    bool has(const std::string& id) const { return m_layouts.count(id) > 0; }
    const std::map<std::string, KeyboardLayout>& all() const { return m_layouts; }

private:
    std::map<std::string, KeyboardLayout> m_layouts;
};

// The upper-case form of a Latin letter typed on a key (a -> A, é -> É, œ -> Œ); other text
// comes back unchanged.
std::string latinUpper(const std::string& text);

// What the resident did on the keyboard this frame.
struct KeyboardInput {
    std::string typed;  // text to append
    bool backspace = false;
    bool enter = false;
    bool toggleShift = false;
    std::string switchTo;  // a layout id
    bool any() const {
        return !typed.empty() || backspace || enter || toggleShift || !switchTo.empty();
    }
};

// The height the keyboard needs at the current scale.
float keyboardHeight(const Ui& ui, const KeyboardLayout& layout);

// Draws `layout` at the bottom of `area` and returns the keys tapped. Hit ids:
// keyboard.key.<text typed>, keyboard.key.space, keyboard.backspace, keyboard.shift,
// keyboard.enter, keyboard.layout.<id>.
KeyboardInput drawKeyboard(Ui& ui, const KeyboardLayouts& layouts, const KeyboardLayout& layout,
                           bool shift, const Rect& area, const std::string& enterLabel);

}  // namespace fadaa::kiosk
