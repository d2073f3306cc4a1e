// app/kiosk/screenshot.cpp - glReadPixels capture, flat-colour check, PNG via stb_image_write.
#include "screenshot.hpp"

#include <cstring>
#include <stdexcept>
#include <string>

#include <GL/gl.h>
#include <stb_image_write.h>  // implementation lives in libstb (Debian), linked by pkg-config imgui

namespace fadaa::kiosk {

Image readBackBuffer(int width, int height) {
    Image image;
    if (width <= 0 || height <= 0) return image;
    image.width = width;
    image.height = height;
    const std::size_t rowBytes = static_cast<std::size_t>(width) * 4;
    std::vector<std::uint8_t> bottomUp(rowBytes * static_cast<std::size_t>(height));
    glPixelStorei(GL_PACK_ALIGNMENT, 1);
    glReadBuffer(GL_BACK);
    glReadPixels(0, 0, width, height, GL_RGBA, GL_UNSIGNED_BYTE, bottomUp.data());
    if (GLenum error = glGetError(); error != GL_NO_ERROR)
        throw std::runtime_error("glReadPixels failed with GL error " + std::to_string(error));
    // GL's origin is the bottom-left corner; images are stored top row first.
    image.rgba.resize(bottomUp.size());
    for (int y = 0; y < height; ++y)
        std::memcpy(image.rgba.data() + static_cast<std::size_t>(y) * rowBytes,
                    bottomUp.data() + static_cast<std::size_t>(height - 1 - y) * rowBytes,
                    rowBytes);
    // The screen shows no transparency, but blending leaves partial alpha in the buffer; a
    // PNG viewer would show that as see-through holes.
    for (std::size_t i = 3; i < image.rgba.size(); i += 4) image.rgba[i] = 255;
    return image;
}

std::optional<std::uint32_t> flatColour(const Image& image) {
    auto pixel = [&](std::size_t i) {
        const std::uint8_t* p = image.rgba.data() + i * 4;
        return (std::uint32_t{p[0]} << 24) | (std::uint32_t{p[1]} << 16) |
               (std::uint32_t{p[2]} << 8) | std::uint32_t{p[3]};
    };
    const std::size_t count = image.rgba.size() / 4;
    if (count == 0) return 0u;
    const std::uint32_t first = pixel(0);
    for (std::size_t i = 1; i < count; ++i)
        if (pixel(i) != first) return std::nullopt;
    return first;
}

void writePng(const Image& image, const std::filesystem::path& file) {
    if (image.width <= 0 || image.height <= 0)
        throw std::runtime_error("cannot write an empty image to " + file.string());
    if (!stbi_write_png(file.c_str(), image.width, image.height, 4, image.rgba.data(),
                        image.width * 4))
        throw std::runtime_error("cannot write " + file.string());
}

}  // namespace fadaa::kiosk
