// tests/support/test_support.hpp - helpers shared by the test executables.
//
// TempDir: a fresh directory removed at the end of the test. Paths to built programs and the
// source tree, so tests run the real binaries.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace fadaa::test {

class TempDir {
public:
    TempDir();
    ~TempDir();
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    const std::filesystem::path& path() const { return m_path; }
    std::filesystem::path operator/(const std::string& name) const { return m_path / name; }

private:
    std::filesystem::path m_path;
};

std::filesystem::path binDir();     // the CMake build directory
std::filesystem::path sourceDir();  // the repository
std::filesystem::path assetsDir();  // sourceDir()/assets

// The result of running a program to completion.
struct ProcessResult {
    int exitCode = -1;  // -1 if killed by a signal
    std::string out;
    std::string err;
};

// Runs argv[0] (a path) with argv, stdin from `input`, and waits. No shell is involved.
ProcessResult runProcess(const std::vector<std::string>& argv, const std::string& input = {});

std::string readFile(const std::filesystem::path& path);
void writeFile(const std::filesystem::path& path, const std::string& content);

}  // namespace fadaa::test
