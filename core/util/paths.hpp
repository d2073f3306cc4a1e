// core/util/paths.hpp - where a Fadaa program finds the files it ships with.
#pragma once

#include <filesystem>

namespace fadaa {

// The assets directory (translations, keyboard layouts, the demo catalogue), first of:
// 1. $FADAA_ASSETS_DIR, when set and not empty (the kiosk's systemd unit sets it);
// 2. <prefix>/share/fadaa/assets, for a program installed as <prefix>/bin/<name> (the .deb
//    packages: /usr/bin/fadaa-kiosk reads /usr/share/fadaa/assets), when that directory exists;
// 3. the source tree's assets/ the program was built from (a build directory, tests).
// Never throws; the directory may not exist (the caller's loading reports that).
std::filesystem::path assetsDir();

}  // namespace fadaa
