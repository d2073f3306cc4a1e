// app/kiosk/script_runner.hpp - walkthrough scripts: a real window driven step by step.
//
// A script is a text file, one step a line (assets/walkthrough/*.txt); `#` starts a comment:
//
//   tap home.lang.fr            tap the Hit with this id
//   tap-label "Échecs"          tap the Hit whose visible label is exactly this text
//   type 0612345678             tap keyboard.key.<char> per character (space: keyboard.space)
//   wait 300                    let 300 ms pass, drawing only the frames the app asks for
//   expect-screen confirmation  fail unless currentScreen() becomes this
//   expect home.lang.ar         fail unless a Hit with this id appears
//   drag 960,800 960,300        press at the first point, move to the second, release
//   screenshot 03-confirmation  write <screenshot dir>/03-confirmation.png; fails if blank
//   timeout 8000                later steps wait up to 8000 ms for their hit or screen
//   remember code confirmation.code   keep the label of a visible Hit as ${code}; later
//                               tap, tap-label, type and expect steps may use ${code}
//
// A tap is the pointer down for one frame and up the next, at the centre of the Hit, then a
// few frames for the UI to settle. A step that cannot complete within the timeout (default
// 5 s) fails with a message naming the file, line and step, and what was on screen instead.
#pragma once

#include <filesystem>
#include <stdexcept>
#include <string>
#include <vector>

#include <imgui.h>

namespace fadaa::kiosk {

class KioskApp;
class KioskWindow;

enum class StepKind {
    Tap,
    TapLabel,
    Type,
    Wait,
    ExpectScreen,
    ExpectHit,
    Drag,
    Screenshot,
    Timeout,
    Remember
};

struct ScriptStep {
    StepKind kind;
    std::string text;      // id, label, text to type, screen or screenshot name
    std::string variable;  // remember: the name it sets
    int milliseconds = 0;
    ImVec2 from, to;  // drag
    int line = 0;
    std::string source;  // the line as written, for messages
};

struct Script {
    std::filesystem::path file;
    std::vector<ScriptStep> steps;
};

// A step that did not complete; what() names file:line and the step.
class ScriptError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// Parses a script; throws ScriptError naming file:line for an unknown command, a missing or
// malformed argument, an unterminated quote, or an unsafe screenshot name. A file that cannot
// be read is a ScriptError too.
Script parseScript(const std::filesystem::path& file);
Script parseScript(const std::string& content, const std::filesystem::path& nameForMessages);

// What a run produced.
struct ScriptReport {
    int steps = 0;
    std::vector<std::filesystem::path> screenshots;
};

// Plays script on window + app, writing screenshots into screenshotDir (created if needed).
// Throws ScriptError for the first step that fails.
ScriptReport runScript(const Script& script, KioskWindow& window, KioskApp& app,
                       const std::filesystem::path& screenshotDir);

}  // namespace fadaa::kiosk
