#include "base/secret_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace plancal {

namespace {

constexpr std::size_t kMaxSecretBytes = std::size_t{64} * 1024;

/// Closes the descriptor when it goes out of scope.
class FileDescriptor {
 public:
  explicit FileDescriptor(int fd) : fd_(fd) {}
  FileDescriptor(const FileDescriptor&) = delete;
  FileDescriptor& operator=(const FileDescriptor&) = delete;
  ~FileDescriptor() {
    if (fd_ >= 0) ::close(fd_);
  }
  [[nodiscard]] int get() const { return fd_; }

 private:
  int fd_;
};

Result<std::string> secret_path(const SecretSource& source) {
  if (!source.file.empty()) return source.file;
  const char* directory = std::getenv("CREDENTIALS_DIRECTORY");
  if (directory == nullptr || *directory == '\0') {
    return Error{
        "the secret is the systemd credential \"" + source.credential +
        "\", but $CREDENTIALS_DIRECTORY is not set: add \"LoadCredential=" + source.credential +
        ":/PATH\" to the service, or name the secret's file with \"file:\" instead"};
  }
  if (source.credential.find('/') != std::string::npos || source.credential == "..") {
    return Error{"credential name \"" + source.credential + "\" must not contain '/'"};
  }
  return std::string(directory) + "/" + source.credential;
}

std::string mode_text(mode_t mode) {
  char buffer[8];
  std::snprintf(buffer, sizeof buffer, "%04o", static_cast<unsigned>(mode & 07777));
  return buffer;
}

Result<std::string> read_all(int fd, const std::string& path) {
  std::string text;
  char buffer[4096];
  for (;;) {
    const ssize_t got = ::read(fd, buffer, sizeof buffer);
    if (got < 0 && errno == EINTR) continue;
    if (got < 0) return Error{"cannot read secret file " + path + ": " + std::strerror(errno)};
    if (got == 0) break;
    text.append(buffer, static_cast<std::size_t>(got));
    if (text.size() > kMaxSecretBytes) {
      return Error{"secret file " + path + " is larger than 64 KiB: is it the right file?"};
    }
  }
  return text;
}

}  // namespace

std::string describe(const SecretSource& source) {
  return source.file.empty() ? "credential " + source.credential : "file " + source.file;
}

Result<Secret> read_secret(const SecretSource& source) {
  auto path = secret_path(source);
  if (!path) return path.error();
  const FileDescriptor fd(::open(path->c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY));
  if (fd.get() < 0) {
    if (errno == ELOOP) {
      return Error{"secret file " + *path +
                   " is a symbolic link, which plancal does not follow: name the real file"};
    }
    return Error{"cannot open secret file " + *path + ": " + std::strerror(errno)};
  }
  struct stat info {};
  if (::fstat(fd.get(), &info) != 0 || !S_ISREG(info.st_mode)) {
    return Error{"secret file " + *path + " is not a regular file"};
  }
  if ((info.st_mode & (S_IRWXG | S_IRWXO)) != 0) {
    return Error{"secret file " + *path + " has mode " + mode_text(info.st_mode) +
                 " and can be read by others: run \"chmod 600 " + *path + "\""};
  }
  auto text = read_all(fd.get(), *path);
  if (!text) return text.error();
  while (!text->empty() && (text->back() == '\n' || text->back() == '\r')) text->pop_back();
  if (text->empty()) return Error{"secret file " + *path + " is empty"};
  return Secret(std::move(*text));
}

}  // namespace plancal
