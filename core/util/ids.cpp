// core/util/ids.cpp - UUIDv7 and Crockford base32 codes.
#include "util/ids.hpp"

#include <sodium.h>

#include <array>
#include <chrono>
#include <cstdint>
#include <stdexcept>

namespace fadaa {
namespace {

constexpr std::string_view kCrockford = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

void ensureSodium() {
    static const bool ok = sodium_init() >= 0;
    if (!ok) throw std::runtime_error("libsodium failed to initialise");
}

}  // namespace

std::string newUuidV7() {
    ensureSodium();
    std::array<unsigned char, 16> b{};
    randombytes_buf(b.data(), b.size());
    auto ms = static_cast<std::uint64_t>(std::chrono::duration_cast<std::chrono::milliseconds>(
                                             std::chrono::system_clock::now().time_since_epoch())
                                             .count());
    for (int i = 0; i < 6; ++i) b[static_cast<size_t>(i)] = static_cast<unsigned char>(ms >> (40 - 8 * i));
    b[6] = static_cast<unsigned char>((b[6] & 0x0f) | 0x70);  // version 7
    b[8] = static_cast<unsigned char>((b[8] & 0x3f) | 0x80);  // variant 10
    static constexpr char kHex[] = "0123456789abcdef";
    std::string out;
    out.reserve(36);
    for (size_t i = 0; i < b.size(); ++i) {
        if (i == 4 || i == 6 || i == 8 || i == 10) out.push_back('-');
        out.push_back(kHex[b[i] >> 4]);
        out.push_back(kHex[b[i] & 0x0f]);
    }
    return out;
}

bool isUuid(std::string_view text) {
    if (text.size() != 36) return false;
    for (size_t i = 0; i < text.size(); ++i) {
        char c = text[i];
        if (i == 8 || i == 13 || i == 18 || i == 23) {
            if (c != '-') return false;
        } else if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
            return false;
        }
    }
    return true;
}

std::string newHumanCode(int length) {
    ensureSodium();
    std::string out;
    out.reserve(static_cast<size_t>(length));
    for (int i = 0; i < length; ++i) out.push_back(kCrockford[randombytes_uniform(32)]);
    return out;
}

std::string normalizeHumanCode(std::string_view typed) {
    std::string out;
    for (char c : typed) {
        if (c == ' ' || c == '-') continue;
        if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
        if (c == 'O') c = '0';
        if (c == 'I' || c == 'L') c = '1';
        if (kCrockford.find(c) == std::string_view::npos) return {};
        out.push_back(c);
    }
    return out;
}

}  // namespace fadaa
