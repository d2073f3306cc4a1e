// tests/unit/gzip_test.cpp - util/gzip: round trips, zlib streams, several members, and the
// refusals a server relies on: bombs past the limit (also with a lying size trailer), corrupt,
// truncated and trailing bytes.
#include <catch2/catch.hpp>
#include <string>

#include "support/zlib_stream.hpp"
#include "util/gzip.hpp"

using namespace fadaa;
using fadaa::test::zlibStream;

namespace {

// JSON-like text that compresses as sync bodies do, with some variety.
std::string sample(size_t bytes) {
    std::string out;
    for (int i = 0; out.size() < bytes; ++i)
        out += R"({"op_id":"0190a1b2-)" + std::to_string(i * 7919) + R"(","seq":)" +
               std::to_string(i) + R"(,"payload":{"name":"Test Person )" + std::to_string(i) +
               "\"}},";
    out.resize(bytes);
    return out;
}

// Rewrites a gzip member's size trailer (ISIZE), as a hostile client may.
std::string withClaimedSize(std::string gz, uint32_t size) {
    for (size_t i = 0; i < 4; ++i)
        gz[gz.size() - 4 + i] = static_cast<char>((size >> (8 * i)) & 0xff);
    return gz;
}

}  // namespace

TEST_CASE("gzip: bodies of every size come back as they went") {
    for (size_t size : {size_t{0}, size_t{1}, size_t{1000}, size_t{300000}, size_t{3} << 20}) {
        INFO(size);
        std::string body = sample(size);
        for (int level : {1, 6}) {
            std::string gz = gzipCompress(body, level);
            REQUIRE(gz.size() >= 18);
            CHECK(static_cast<unsigned char>(gz[0]) == 0x1f);
            CHECK(static_cast<unsigned char>(gz[1]) == 0x8b);
            if (size >= 1000) CHECK(gz.size() < body.size() / 3);  // JSON shrinks several times
            Inflated back = gzipDecompress(gz, body.size());       // exactly the limit is fine
            REQUIRE(back.status == InflateStatus::Ok);
            CHECK(back.bytes == body);
        }
    }
    CHECK(gzipDecompress("", 10).status == InflateStatus::Ok);
    CHECK_THROWS(gzipCompress("x", 13));
}

TEST_CASE("gzip: zlib streams (HTTP deflate) and several gzip members in a row") {
    std::string a = sample(50000), b = sample(70000);
    Inflated z = gzipDecompress(zlibStream(a), 1 << 20);
    REQUIRE(z.status == InflateStatus::Ok);
    CHECK(z.bytes == a);
    Inflated two = gzipDecompress(gzipCompress(a) + gzipCompress(b), 1 << 20);
    REQUIRE(two.status == InflateStatus::Ok);
    CHECK(two.bytes == a + b);
    // The limit holds across members.
    CHECK(gzipDecompress(gzipCompress(a) + gzipCompress(b), a.size() + b.size() - 1).status ==
          InflateStatus::TooLarge);
}

TEST_CASE("gzip: a bomb stops at the limit, whatever its trailer claims") {
    const size_t limit = 1 << 20;
    std::string bomb = gzipCompress(std::string(16 << 20, ' '));
    CHECK(bomb.size() < limit / 16);
    CHECK(gzipDecompress(bomb, limit).status == InflateStatus::TooLarge);
    CHECK(gzipDecompress(withClaimedSize(bomb, 100), limit).status == InflateStatus::TooLarge);
    CHECK(gzipDecompress(zlibStream(std::string(16 << 20, ' ')), limit).status ==
          InflateStatus::TooLarge);
    // One byte over is over.
    std::string body = sample(limit + 1);
    CHECK(gzipDecompress(gzipCompress(body), limit).status == InflateStatus::TooLarge);
    CHECK(gzipDecompress(gzipCompress(body), limit + 1).status == InflateStatus::Ok);
    // Many small members that add up past the limit.
    std::string members;
    for (int i = 0; i < 40; ++i) members += gzipCompress(std::string(64 << 10, 'a'));
    CHECK(gzipDecompress(members, limit).status == InflateStatus::TooLarge);
}

TEST_CASE("gzip: a lying trailer, corrupt, truncated or trailing bytes are refused") {
    std::string body = sample(200000);
    std::string gz = gzipCompress(body);
    // The trailer only sizes the first attempt: a lie either way is caught, not trusted.
    CHECK(gzipDecompress(withClaimedSize(gz, 10), 1 << 20).status == InflateStatus::Corrupt);
    CHECK(gzipDecompress(withClaimedSize(gz, 0xffffffffu), 1 << 20).status ==
          InflateStatus::Corrupt);
    std::string flipped = gz;
    flipped[gz.size() / 2] = static_cast<char>(flipped[gz.size() / 2] ^ 0x55);
    CHECK(gzipDecompress(flipped, 1 << 20).status == InflateStatus::Corrupt);
    for (size_t cut : {size_t{1}, size_t{8}, gz.size() / 2, gz.size() - 2})
        CHECK(gzipDecompress(gz.substr(0, gz.size() - cut), 1 << 20).status ==
              InflateStatus::Corrupt);
    CHECK(gzipDecompress(gz + "{}", 1 << 20).status == InflateStatus::Corrupt);
    CHECK(gzipDecompress(body, 1 << 20).status == InflateStatus::Corrupt);  // not compressed
    Inflated bad = gzipDecompress(flipped, 1 << 20);
    CHECK(bad.bytes.empty());
}

TEST_CASE("gzip: the compressed-size bound covers what gzipCompress makes of any input") {
    // Incompressible bytes are the worst case: the output is a little over the input.
    std::string noise(1 << 20, '\0');
    uint32_t x = 2463534242u;
    for (char& c : noise) {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        c = static_cast<char>(x);
    }
    for (int level : {1, 6, 12}) {
        std::string gz = gzipCompress(noise, level);
        CHECK(gz.size() > noise.size());
        CHECK(gz.size() <= gzipCompressBound(noise.size()));
    }
    CHECK(gzipCompressBound(0) > 0);
}
