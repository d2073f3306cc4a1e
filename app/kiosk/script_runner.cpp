// app/kiosk/script_runner.cpp - parsing walkthrough scripts and playing them on a real window.
#include "script_runner.hpp"

#include <GLFW/glfw3.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <fstream>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <sstream>

#include <fmt/format.h>

#include "kiosk_window.hpp"
#include "screenshot.hpp"
#include "ui/kiosk_app.hpp"

namespace fadaa::kiosk {
namespace {

constexpr double kDefaultTimeoutSeconds = 5.0;
constexpr int kDragFrames = 8;  // moves between press and release, like a finger's samples
constexpr std::size_t kMaxHitsListed = 60;
constexpr double kWatchSeconds = 0.25;

std::string trim(const std::string& s) {
    const auto begin = s.find_first_not_of(" \t\r");
    if (begin == std::string::npos) return {};
    const auto end = s.find_last_not_of(" \t\r");
    return s.substr(begin, end - begin + 1);
}

// "text" with \" and \\ escapes, or the bare rest of the line.
std::string unquote(const std::string& arg, const std::string& where) {
    if (arg.empty() || arg.front() != '"') return arg;
    std::string out;
    for (std::size_t i = 1; i < arg.size(); ++i) {
        char c = arg[i];
        if (c == '\\' && i + 1 < arg.size()) {
            out += arg[++i];
        } else if (c == '"') {
            if (!trim(arg.substr(i + 1)).empty())
                throw ScriptError(where + ": text after the closing quote");
            return out;
        } else {
            out += c;
        }
    }
    throw ScriptError(where + ": missing closing quote");
}

int parseMilliseconds(const std::string& arg, const std::string& where) {
    std::size_t used = 0;
    int value = -1;
    try {
        value = std::stoi(arg, &used);
    } catch (const std::exception&) {
        used = 0;
    }
    if (used != arg.size() || value < 0 || value > 600000)
        throw ScriptError(where + ": expected milliseconds (0-600000), got '" + arg + "'");
    return value;
}

ImVec2 parsePoint(const std::string& text, const std::string& where) {
    float x = 0, y = 0;
    char comma = 0, extra = 0;
    std::istringstream in(text);
    if (!(in >> x >> comma >> y) || comma != ',' || (in >> extra))
        throw ScriptError(where + ": expected a point X,Y, got '" + text + "'");
    return ImVec2(x, y);
}

bool safeFileName(const std::string& name) {
    if (name.empty() || name.front() == '.' || name.size() > 100) return false;
    return std::all_of(name.begin(), name.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
               c == '-' || c == '_' || c == '.';
    });
}

// Splits UTF-8 text into characters (code point sequences); the on-screen keyboard's key ids
// end with one character each, Arabic and Tifinagh included.
std::vector<std::string> utf8Characters(const std::string& text, const std::string& where) {
    std::vector<std::string> out;
    for (std::size_t i = 0; i < text.size();) {
        const auto lead = static_cast<unsigned char>(text[i]);
        const std::size_t length = lead < 0x80         ? 1
                                   : (lead >> 5) == 6  ? 2
                                   : (lead >> 4) == 14 ? 3
                                   : (lead >> 3) == 30 ? 4
                                                       : 0;
        if (length == 0 || i + length > text.size())
            throw ScriptError(where + ": text to type is not valid UTF-8");
        out.push_back(text.substr(i, length));
        i += length;
    }
    return out;
}

const std::map<std::string, StepKind> kCommands = {
    {"tap", StepKind::Tap},
    {"tap-label", StepKind::TapLabel},
    {"type", StepKind::Type},
    {"wait", StepKind::Wait},
    {"expect-screen", StepKind::ExpectScreen},
    {"expect", StepKind::ExpectHit},
    {"drag", StepKind::Drag},
    {"screenshot", StepKind::Screenshot},
    {"timeout", StepKind::Timeout},
    {"remember", StepKind::Remember},
};

// The names of the ${NAME} references in text, in order.
std::vector<std::string> references(const std::string& text) {
    std::vector<std::string> names;
    for (std::size_t at = text.find("${"); at != std::string::npos; at = text.find("${", at)) {
        const std::size_t end = text.find('}', at);
        if (end == std::string::npos) break;
        names.push_back(text.substr(at + 2, end - at - 2));
        at = end;
    }
    return names;
}

bool identifier(const std::string& name) {
    return !name.empty() && !std::isdigit(static_cast<unsigned char>(name.front())) &&
           std::all_of(name.begin(), name.end(), [](char c) {
               return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
           });
}

}  // namespace

Script parseScript(const std::string& content, const std::filesystem::path& name) {
    Script script{name, {}};
    std::set<std::string> remembered;
    std::istringstream in(content);
    std::string raw;
    for (int lineNumber = 1; std::getline(in, raw); ++lineNumber) {
        const std::string line = trim(raw);
        if (line.empty() || line.front() == '#') continue;
        const std::string where = fmt::format("{}:{}", name.string(), lineNumber);
        const auto space = line.find_first_of(" \t");
        const std::string command = line.substr(0, space);
        const std::string arg = space == std::string::npos ? "" : trim(line.substr(space));
        const auto known = kCommands.find(command);
        if (known == kCommands.end())
            throw ScriptError(where + ": unknown command '" + command + "'");
        ScriptStep step{known->second, unquote(arg, where), {}, 0, {}, {}, lineNumber, line};
        if (step.text.empty()) throw ScriptError(where + ": '" + command + "' needs an argument");
        for (const std::string& ref : references(step.text))
            if (!remembered.count(ref))
                throw ScriptError(where + ": ${" + ref + "} is used before any 'remember " + ref +
                                  " ID'");
        switch (step.kind) {
            case StepKind::Remember: {
                const auto gap = step.text.find_first_of(" \t");
                step.variable = step.text.substr(0, gap);
                step.text = gap == std::string::npos ? "" : trim(step.text.substr(gap));
                if (!identifier(step.variable) || step.text.empty())
                    throw ScriptError(where + ": remember needs a NAME and a hit ID");
                remembered.insert(step.variable);
                break;
            }
            case StepKind::Wait:
            case StepKind::Timeout:
                step.milliseconds = parseMilliseconds(step.text, where);
                break;
            case StepKind::Drag: {
                const auto gap = step.text.find_first_of(" \t");
                if (gap == std::string::npos)
                    throw ScriptError(where + ": drag needs two points: X1,Y1 X2,Y2");
                step.from = parsePoint(trim(step.text.substr(0, gap)), where);
                step.to = parsePoint(trim(step.text.substr(gap)), where);
                break;
            }
            case StepKind::Screenshot:
                if (!safeFileName(step.text))
                    throw ScriptError(where +
                                      ": screenshot name may use only letters, digits, "
                                      "'-', '_' and '.': '" +
                                      step.text + "'");
                break;
            case StepKind::Type:
                utf8Characters(step.text, where);
                break;
            default:
                break;
        }
        script.steps.push_back(std::move(step));
    }
    return script;
}

Script parseScript(const std::filesystem::path& file) {
    std::ifstream in(file, std::ios::binary);
    if (!in) throw ScriptError("cannot read script " + file.string());
    std::ostringstream content;
    content << in.rdbuf();
    return parseScript(content.str(), file);
}

namespace {

// Plays steps; keeps the pointer state between frames as a finger would.
class Player {
public:
    Player(KioskWindow& window, KioskApp& app, std::filesystem::path dir)
        : m_window(window), m_app(app), m_dir(std::move(dir)) {}

    void start() { settle(); }
    void play(const ScriptStep& step, ScriptReport& report);
    void captureFailure(const ScriptStep& step, ScriptReport& report);
    std::string describeScreen() const;

private:
    using HitTest = std::function<bool(const Hit&)>;

    // Steps need the UI's answers (hits, screen), not pixels: only screenshots and a frame
    // every kWatchSeconds (so a person watching sees the visit) are drawn. This keeps a
    // walkthrough at a few seconds with a software rasteriser.
    void frame(const PointerState& pointer, Image* capture = nullptr) {
        m_window.waitEvents(0);
        const double now = glfwGetTime();
        const bool draw = capture || now - m_lastDrawn >= kWatchSeconds;
        if (draw) m_lastDrawn = now;
        m_window.renderFrame(m_app, &pointer, capture, draw);
        if (m_window.closeRequested()) throw ScriptError(m_where + ": the window was closed");
    }
    // Like the real loop with no input: sleep until the app wants a frame (or `deadline`),
    // then draw one.
    void idleUntil(double deadline) {
        const double now = glfwGetTime();
        m_window.waitEvents(std::min(m_app.nextWakeup(now), std::max(0.0, deadline - now)));
        frame(PointerState{});
    }
    void settle(int frames = KioskWindow::kSettleFrames) {
        for (int i = 0; i < frames; ++i) frame(PointerState{});
    }
    void tapAt(ImVec2 point, int settleFrames = KioskWindow::kSettleFrames) {
        frame(PointerState{point, true});
        frame(PointerState{point, false});
        settle(settleFrames);
        // A text size the tap chose is baked on a worker thread: later steps and screenshots
        // see it swapped in, as the resident does a tenth of a second later (bounded wait).
        const double until = glfwGetTime() + 10.0;
        while (m_app.fontsPending() && glfwGetTime() < until) {
            m_window.waitEvents(0.05);
            frame(PointerState{});
        }
    }
    std::optional<Hit> visibleHit(const HitTest& test) const;
    Hit waitForHit(const ScriptStep& step, const HitTest& test, const std::string& what);
    // step.text with each ${NAME} replaced by what `remember NAME` kept.
    std::string expand(const ScriptStep& step) const {
        std::string out = step.text;
        for (const std::string& name : references(step.text)) {
            const std::string ref = "${" + name + "}";
            out.replace(out.find(ref), ref.size(), m_variables.at(name));
        }
        return out;
    }
    void fail(const ScriptStep& step, const std::string& why) const {
        throw ScriptError(fmt::format("{}: {}: {}", m_where, step.source, why));
    }

    KioskWindow& m_window;
    KioskApp& m_app;
    std::filesystem::path m_dir;
    double m_timeout = kDefaultTimeoutSeconds;
    double m_lastDrawn = -1e9;
    std::map<std::string, std::string> m_variables;

public:
    std::string m_where;  // file:line of the step being played
};

ImVec2 centre(const Hit& hit) {
    return ImVec2((hit.min.x + hit.max.x) / 2, (hit.min.y + hit.max.y) / 2);
}

std::optional<Hit> Player::visibleHit(const HitTest& test) const {
    const ImVec2 size = m_window.displaySize();
    for (const Hit& hit : m_app.hits()) {
        const ImVec2 c = centre(hit);
        if (c.x >= 0 && c.y >= 0 && c.x < size.x && c.y < size.y && test(hit)) return hit;
    }
    return std::nullopt;
}

Hit Player::waitForHit(const ScriptStep& step, const HitTest& test, const std::string& what) {
    const double deadline = glfwGetTime() + m_timeout;
    while (true) {
        if (auto hit = visibleHit(test)) return *hit;
        if (glfwGetTime() >= deadline)
            fail(step, fmt::format("no visible {} after {:.1f} s; {}", what, m_timeout,
                                   describeScreen()));
        idleUntil(deadline);
    }
}

std::string Player::describeScreen() const {
    std::string out = fmt::format("screen '{}', hits:", m_app.currentScreen());
    std::size_t listed = 0;
    for (const Hit& hit : m_app.hits()) {
        if (listed++ == kMaxHitsListed) {
            out += " ...";
            break;
        }
        out += fmt::format(" {} \"{}\"", hit.id, hit.label);
    }
    return listed == 0 ? out + " none" : out;
}

void Player::play(const ScriptStep& step, ScriptReport& report) {
    const std::string text = expand(step);
    switch (step.kind) {
        case StepKind::Tap:
            tapAt(centre(waitForHit(
                step, [&](const Hit& h) { return h.id == text; }, "hit with this id")));
            break;
        case StepKind::TapLabel:
            tapAt(centre(waitForHit(
                step, [&](const Hit& h) { return h.label == text; }, "hit with this label")));
            break;
        case StepKind::Type:
            for (const std::string& ch : utf8Characters(text, m_where)) {
                // The space bar's id has been both; its label is a word in each language.
                const std::string id = "keyboard.key." + (ch == " " ? std::string("space") : ch);
                const auto isKey = [&](const Hit& h) {
                    return h.id == id || (ch == " " && h.id == "keyboard.space") ||
                           (h.id.rfind("keyboard.key.", 0) == 0 && h.label == ch);
                };
                tapAt(centre(waitForHit(step, isKey, "keyboard key '" + ch + "' (" + id + ")")), 1);
            }
            settle();
            break;
        case StepKind::Remember:
            m_variables[step.variable] =
                waitForHit(
                    step, [&](const Hit& h) { return h.id == text; }, "hit with this id")
                    .label;
            break;
        case StepKind::Wait: {
            const double deadline = glfwGetTime() + step.milliseconds / 1000.0;
            while (glfwGetTime() < deadline) idleUntil(deadline);
            break;
        }
        case StepKind::ExpectScreen: {
            const double deadline = glfwGetTime() + m_timeout;
            while (m_app.currentScreen() != step.text) {
                if (glfwGetTime() >= deadline)
                    fail(step, fmt::format("screen not reached after {:.1f} s; {}", m_timeout,
                                           describeScreen()));
                idleUntil(deadline);
            }
            break;
        }
        case StepKind::ExpectHit:
            waitForHit(
                step, [&](const Hit& h) { return h.id == text; }, "hit with this id");
            break;
        case StepKind::Drag: {
            frame(PointerState{step.from, true});
            for (int i = 1; i <= kDragFrames; ++i) {
                const float t = static_cast<float>(i) / kDragFrames;
                frame(PointerState{ImVec2(step.from.x + (step.to.x - step.from.x) * t,
                                          step.from.y + (step.to.y - step.from.y) * t),
                                   true});
            }
            frame(PointerState{step.to, false});
            settle();
            break;
        }
        case StepKind::Screenshot: {
            Image image;
            frame(PointerState{}, &image);
            if (auto colour = flatColour(image))
                fail(step, fmt::format("the frame is one flat colour #{:08x}: nothing was drawn",
                                       *colour));
            const auto file = m_dir / (step.text + ".png");
            writePng(image, file);
            report.screenshots.push_back(file);
            break;
        }
        case StepKind::Timeout:
            m_timeout = step.milliseconds / 1000.0;
            break;
    }
}

void Player::captureFailure(const ScriptStep& step, ScriptReport& report) {
    try {
        Image image;
        frame(PointerState{}, &image);
        const auto file = m_dir / fmt::format("FAILED-line{}.png", step.line);
        writePng(image, file);
        report.screenshots.push_back(file);
    } catch (const std::exception&) {
        // The step's own error is what matters; a failed capture must not hide it.
    }
}

}  // namespace

ScriptReport runScript(const Script& script, KioskWindow& window, KioskApp& app,
                       const std::filesystem::path& screenshotDir) {
    std::filesystem::create_directories(screenshotDir);
    ScriptReport report;
    Player player(window, app, screenshotDir);
    // The first frames build the font texture and the first layout; hits exist only after.
    player.m_where = script.file.string();
    player.start();
    for (const ScriptStep& step : script.steps) {
        player.m_where = fmt::format("{}:{}", script.file.string(), step.line);
        try {
            player.play(step, report);
        } catch (const ScriptError&) {
            player.captureFailure(step, report);
            throw;
        } catch (const std::exception& e) {
            player.captureFailure(step, report);
            throw ScriptError(fmt::format("{}: {}: {}", player.m_where, step.source, e.what()));
        }
        ++report.steps;
    }
    return report;
}

}  // namespace fadaa::kiosk
