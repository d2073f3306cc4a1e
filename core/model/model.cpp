// core/model/model.cpp - JSON forms of the domain types and their enum names.
#include "model/model.hpp"

#include <nlohmann/json.hpp>

#include <stdexcept>

namespace fadaa {

using nlohmann::json;

// ---------------------------------------------------------------------------------------------
// LocalizedText
// ---------------------------------------------------------------------------------------------

const std::string& LocalizedText::get(std::string_view lang) const {
    static const std::string kEmpty;
    for (std::string_view l : {lang, std::string_view("fr"), std::string_view("ar"),
                               std::string_view("en"), std::string_view("zgh")}) {
        auto it = byLang.find(std::string(l));
        if (it != byLang.end() && !it->second.empty()) return it->second;
    }
    for (const auto& [l, text] : byLang)
        if (!text.empty()) return text;
    return kEmpty;
}

bool LocalizedText::has(std::string_view lang) const {
    auto it = byLang.find(std::string(lang));
    return it != byLang.end() && !it->second.empty();
}

std::string LocalizedText::toJson() const { return json(byLang).dump(); }

LocalizedText LocalizedText::fromJson(std::string_view text) {
    LocalizedText out;
    json j = json::parse(text, nullptr, false);
    if (j.is_discarded()) throw std::invalid_argument("translatable text is not valid JSON");
    if (j.is_string()) {  // a plain string is accepted as text in every language
        out.byLang["fr"] = j.get<std::string>();
        return out;
    }
    if (!j.is_object()) throw std::invalid_argument("translatable text must be a JSON object");
    for (auto& [lang, value] : j.items()) {
        if (!value.is_string())
            throw std::invalid_argument("translatable text for '" + lang + "' is not a string");
        out.byLang[lang] = value.get<std::string>();
    }
    return out;
}

// ---------------------------------------------------------------------------------------------
// Enum names
// ---------------------------------------------------------------------------------------------

std::string_view toString(FieldType type) {
    switch (type) {
        case FieldType::Text: return "text";
        case FieldType::Number: return "number";
        case FieldType::Choice: return "choice";
        case FieldType::Phone: return "phone";
        case FieldType::Boolean: return "boolean";
    }
    return "text";
}

std::optional<FieldType> fieldTypeFromString(std::string_view text) {
    for (FieldType t : {FieldType::Text, FieldType::Number, FieldType::Choice, FieldType::Phone,
                        FieldType::Boolean})
        if (toString(t) == text) return t;
    return std::nullopt;
}

std::string_view toString(RegistrationStatus status) {
    switch (status) {
        case RegistrationStatus::Confirmed: return "confirmed";
        case RegistrationStatus::Provisional: return "provisional";
        case RegistrationStatus::Waitlisted: return "waitlisted";
        case RegistrationStatus::Cancelled: return "cancelled";
        case RegistrationStatus::Attended: return "attended";
    }
    return "confirmed";
}

std::optional<RegistrationStatus> registrationStatusFromString(std::string_view text) {
    for (RegistrationStatus s :
         {RegistrationStatus::Confirmed, RegistrationStatus::Provisional,
          RegistrationStatus::Waitlisted, RegistrationStatus::Cancelled,
          RegistrationStatus::Attended})
        if (toString(s) == text) return s;
    return std::nullopt;
}

std::string_view toString(SessionStatus status) {
    return status == SessionStatus::Cancelled ? "cancelled" : "scheduled";
}

std::optional<SessionStatus> sessionStatusFromString(std::string_view text) {
    if (text == "scheduled") return SessionStatus::Scheduled;
    if (text == "cancelled") return SessionStatus::Cancelled;
    return std::nullopt;
}

// ---------------------------------------------------------------------------------------------
// Form definitions
// ---------------------------------------------------------------------------------------------

namespace {

json localizedToJson(const LocalizedText& t) { return json(t.byLang); }

LocalizedText localizedFromJson(const json& j) {
    LocalizedText t;
    if (j.is_string()) {
        t.byLang["fr"] = j.get<std::string>();
    } else if (j.is_object()) {
        for (auto& [lang, value] : j.items()) {
            if (!value.is_string()) throw std::invalid_argument("label must be text");
            t.byLang[lang] = value.get<std::string>();
        }
    } else if (!j.is_null()) {
        throw std::invalid_argument("label must be text or an object of texts");
    }
    return t;
}

}  // namespace

std::string formToJson(const std::vector<FormField>& form) {
    json out = json::array();
    for (const FormField& f : form) {
        json jf = {{"key", f.key},
                   {"type", std::string(toString(f.type))},
                   {"label", localizedToJson(f.label)},
                   {"required", f.required}};
        if (f.type == FieldType::Choice) {
            json choices = json::array();
            for (const FormChoice& c : f.choices)
                choices.push_back({{"value", c.value}, {"label", localizedToJson(c.label)}});
            jf["choices"] = choices;
        }
        if (f.min) jf["min"] = *f.min;
        if (f.max) jf["max"] = *f.max;
        if (f.type == FieldType::Text) jf["max_length"] = f.maxLength;
        out.push_back(jf);
    }
    return out.dump();
}

std::vector<FormField> formFromJson(std::string_view text) {
    json j = json::parse(text, nullptr, false);
    if (j.is_discarded() || !j.is_array())
        throw std::invalid_argument("form definition must be a JSON array");
    std::vector<FormField> form;
    for (const json& jf : j) {
        if (!jf.is_object() || !jf.contains("key") || !jf["key"].is_string())
            throw std::invalid_argument("each form field needs a text 'key'");
        FormField f;
        f.key = jf["key"].get<std::string>();
        if (f.key.empty()) throw std::invalid_argument("form field key is empty");
        auto type = fieldTypeFromString(jf.value("type", std::string("text")));
        if (!type) throw std::invalid_argument("form field '" + f.key + "' has an unknown type");
        f.type = *type;
        f.label = localizedFromJson(jf.value("label", json()));
        f.required = jf.value("required", false);
        if (jf.contains("choices")) {
            if (!jf["choices"].is_array())
                throw std::invalid_argument("choices of '" + f.key + "' must be a list");
            for (const json& jc : jf["choices"]) {
                FormChoice c;
                if (jc.is_string()) {
                    c.value = jc.get<std::string>();
                    c.label.byLang["fr"] = c.value;
                } else if (jc.is_object() && jc.contains("value") && jc["value"].is_string()) {
                    c.value = jc["value"].get<std::string>();
                    c.label = localizedFromJson(jc.value("label", json(c.value)));
                } else {
                    throw std::invalid_argument("a choice of '" + f.key + "' has no value");
                }
                f.choices.push_back(std::move(c));
            }
        }
        if (f.type == FieldType::Choice && f.choices.empty())
            throw std::invalid_argument("choice field '" + f.key + "' has no choices");
        if (jf.contains("min")) f.min = jf["min"].get<std::int64_t>();
        if (jf.contains("max")) f.max = jf["max"].get<std::int64_t>();
        f.maxLength = jf.value("max_length", 80);
        form.push_back(std::move(f));
    }
    return form;
}

}  // namespace fadaa
