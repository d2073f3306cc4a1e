// core/util/paths.cpp - the assets directory of a built or an installed program.
#include "util/paths.hpp"

#include <cstdlib>
#include <system_error>

namespace fadaa {

std::filesystem::path assetsDir() {
    if (const char* env = std::getenv("FADAA_ASSETS_DIR"); env && *env) return env;
    std::error_code ec;
    // /proc/self/exe names the binary even when it was started through a symlink or from PATH.
    std::filesystem::path exe = std::filesystem::read_symlink("/proc/self/exe", ec);
    if (!ec) {
        std::filesystem::path installed =
            exe.parent_path().parent_path() / "share" / "fadaa" / "assets";
        if (exe.parent_path().filename() == "bin" && std::filesystem::is_directory(installed, ec))
            return installed;
    }
    return FADAA_ASSETS_DIR;
}

}  // namespace fadaa
