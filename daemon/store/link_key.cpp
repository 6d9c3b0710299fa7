#include "store/link_key.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include "store/secrets.h"

namespace plancal {

namespace {

Result<Secret> read_key(const std::string& path) {
  struct stat info {};
  if (::stat(path.c_str(), &info) != 0) {
    return Error{path + ": cannot read the link key: " + std::strerror(errno)};
  }
  if ((info.st_mode & (S_IRWXG | S_IRWXO)) != 0) {
    return Error{path + ": the link key is readable by others; run `chmod 600 " + path + "`"};
  }
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  std::string key = text.str();
  while (!key.empty() && (key.back() == '\n' || key.back() == '\r')) key.pop_back();
  if (!in || !looks_like_token_secret(key)) {
    return Error{path +
                 ": the link key is damaged (expected one line of 43 base64url characters); "
                 "restore it from a backup, or move it away to make a new one (links not yet "
                 "sent are then made anew)"};
  }
  return Secret(std::move(key));
}

/// Writes a new key with O_EXCL: two processes racing here end with one key, and the loser
/// reads the winner's.
Status create_key(const std::string& path) {
  auto key = generate_token_secret();
  if (!key) return key.error();
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) {
    if (errno == EEXIST) return Ok{};
    return Error{path + ": cannot create the link key: " + std::strerror(errno) +
                 "; check that the database folder is writable"};
  }
  const std::string line = *key + "\n";
  const bool written = ::write(fd, line.data(), line.size()) == static_cast<ssize_t>(line.size());
  const bool synced = ::fsync(fd) == 0;
  ::close(fd);
  if (!written || !synced) {
    ::unlink(path.c_str());
    return Error{path + ": cannot write the link key: " + std::strerror(errno)};
  }
  return Ok{};
}

}  // namespace

std::string link_key_path(const std::string& database_path) { return database_path + ".linkkey"; }

Result<Secret> load_or_create_link_key(const std::string& database_path) {
  const std::string path = link_key_path(database_path);
  if (::access(path.c_str(), F_OK) != 0) {
    if (auto created = create_key(path); !created) return created.error();
  }
  return read_key(path);
}

Result<Secret> load_link_key(const std::string& database_path) {
  return read_key(link_key_path(database_path));
}

}  // namespace plancal
