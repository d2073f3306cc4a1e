// app/kiosk/screenshot.hpp - reading the frame just drawn and writing it as a PNG.
//
// The walkthrough runner captures with glReadPixels after ImGui has drawn and before the buffer
// swap (after the swap the back buffer's content is undefined). A capture that is one flat
// colour means nothing was drawn (no fonts, a GL error, a black window): the runner treats that
// as a failure rather than writing a useless image.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <vector>

namespace fadaa::kiosk {

// An RGBA image, 8 bits per channel, rows top to bottom.
struct Image {
    int width = 0;
    int height = 0;
    std::vector<std::uint8_t> rgba;  // width * height * 4 bytes
};

// Reads the current GL back buffer (width x height framebuffer pixels) into an Image with the
// top row first, fully opaque. Requires a current GL context; call after rendering, before
// swapping.
Image readBackBuffer(int width, int height);

// The single RGBA colour every pixel has (packed 0xRRGGBBAA), or nullopt when the image shows
// at least two colours. An empty image counts as flat (colour 0).
std::optional<std::uint32_t> flatColour(const Image& image);

// Writes image as a PNG file; throws std::runtime_error naming the file when it cannot.
void writePng(const Image& image, const std::filesystem::path& file);

}  // namespace fadaa::kiosk
