// core/util/gzip.cpp - whole-buffer gzip with libdeflate; one compressor per level and one
// decompressor per thread, kept for the thread's life (allocating them costs more than a body).
#include "util/gzip.hpp"

#include <libdeflate.h>

#include <algorithm>
#include <array>
#include <memory>
#include <stdexcept>
#include <vector>

namespace fadaa {

namespace {

struct FreeCompressor {
    void operator()(libdeflate_compressor* c) const { libdeflate_free_compressor(c); }
};
struct FreeDecompressor {
    void operator()(libdeflate_decompressor* d) const { libdeflate_free_decompressor(d); }
};

libdeflate_compressor* compressorFor(int level) {
    thread_local std::array<std::unique_ptr<libdeflate_compressor, FreeCompressor>, 13> cache;
    if (level < 0 || level >= static_cast<int>(cache.size()))
        throw std::runtime_error("gzip: compression level must be 0..12");
    auto& slot = cache[static_cast<size_t>(level)];
    if (!slot) slot.reset(libdeflate_alloc_compressor(level));
    if (!slot) throw std::runtime_error("libdeflate: cannot allocate a compressor");
    return slot.get();
}

libdeflate_decompressor* decompressor() {
    thread_local std::unique_ptr<libdeflate_decompressor, FreeDecompressor> d;
    if (!d) d.reset(libdeflate_alloc_decompressor());
    if (!d) throw std::runtime_error("libdeflate: cannot allocate a decompressor");
    return d.get();
}

bool isGzip(std::string_view bytes) {
    return bytes.size() >= 2 && static_cast<unsigned char>(bytes[0]) == 0x1f &&
           static_cast<unsigned char>(bytes[1]) == 0x8b;
}

// The size a gzip member's trailer claims (ISIZE, the last 4 bytes, little-endian), or 0.
size_t claimedSize(std::string_view member) {
    if (member.size() < 18) return 0;  // 10-byte header + 8-byte trailer at the least
    size_t n = 0;
    for (size_t i = 0; i < 4; ++i)
        n |= static_cast<size_t>(static_cast<unsigned char>(member[member.size() - 4 + i]))
             << (8 * i);
    return n;
}

}  // namespace

std::string gzipCompress(std::string_view bytes, int level) {
    libdeflate_compressor* c = compressorFor(level);
    // Compressed into a buffer the thread keeps: a fresh one the size of the bound would be
    // zero-filled (or page-faulted in) for each body, only for a fifth of it to be used.
    thread_local std::vector<char> scratch;
    const size_t bound = libdeflate_gzip_compress_bound(c, bytes.size());
    if (scratch.size() < bound) scratch.resize(bound);
    size_t n = libdeflate_gzip_compress(c, bytes.data(), bytes.size(), scratch.data(), bound);
    if (n == 0) throw std::runtime_error("libdeflate: gzip output over its own bound");
    return std::string(scratch.data(), n);
}

size_t gzipCompressBound(size_t n) {
    // libdeflate's bound over every compressor (n + ~n/1000) is above zlib's (n + ~n/3000), so
    // it covers bodies from kiosks that still compress with zlib.
    return libdeflate_gzip_compress_bound(nullptr, n);
}

Inflated gzipDecompress(std::string_view bytes, size_t maxBytes) {
    Inflated result;
    if (bytes.empty()) {
        result.status = InflateStatus::Ok;
        return result;
    }
    libdeflate_decompressor* d = decompressor();
    const bool gzip = isGzip(bytes);
    std::string& out = result.bytes;
    size_t pos = 0;
    do {
        std::string_view member = bytes.substr(pos);
        const size_t room = maxBytes - out.size();
        // First guess: what the trailer claims (exact for one member, so one pass), else 4x.
        size_t guess = gzip ? claimedSize(member) : member.size() * 4;
        guess = std::min(std::max(guess, member.size()), room);
        for (;;) {
            const size_t base = out.size();
            out.resize(base + guess);
            size_t used = 0, made = 0;
            libdeflate_result rc =
                gzip ? libdeflate_gzip_decompress_ex(d, member.data(), member.size(),
                                                     out.data() + base, guess, &used, &made)
                     : libdeflate_zlib_decompress_ex(d, member.data(), member.size(),
                                                     out.data() + base, guess, &used, &made);
            if (rc == LIBDEFLATE_SUCCESS) {
                out.resize(base + made);
                pos += used;
                break;
            }
            out.resize(base);
            if (rc != LIBDEFLATE_INSUFFICIENT_SPACE) return {InflateStatus::Corrupt, {}};
            if (guess >= room) return {InflateStatus::TooLarge, {}};
            guess = std::min(std::max(guess * 2, size_t{64} << 10), room);
        }
    } while (gzip && pos < bytes.size() && isGzip(bytes.substr(pos)));
    if (pos != bytes.size()) return {InflateStatus::Corrupt, {}};
    result.status = InflateStatus::Ok;
    return result;
}

}  // namespace fadaa
