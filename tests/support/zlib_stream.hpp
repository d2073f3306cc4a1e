// tests/support/zlib_stream.hpp - a zlib stream (what HTTP calls "deflate") of some bytes, for
// the gzip tests: production code only reads them, so the tests make their own.
#pragma once

#include <libdeflate.h>

#include <string>

namespace fadaa::test {

inline std::string zlibStream(const std::string& bytes) {
    libdeflate_compressor* c = libdeflate_alloc_compressor(6);
    std::string out(libdeflate_zlib_compress_bound(c, bytes.size()), '\0');
    out.resize(libdeflate_zlib_compress(c, bytes.data(), bytes.size(), out.data(), out.size()));
    libdeflate_free_compressor(c);
    return out;
}

}  // namespace fadaa::test
