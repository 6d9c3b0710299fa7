#pragma once
/// Reading passwords and client secrets from files, the way systemd hands them over.
///
/// A secret never sits in the config file itself: the config names a file, or the name of a
/// systemd credential (`LoadCredential=NAME:...` puts it in `$CREDENTIALS_DIRECTORY/NAME`).
/// A secret file readable by group or others, or reached through a symbolic link, is refused
/// with a message that says how to fix it: a world-readable password is a leak waiting to
/// happen, and a link could point plancal at a file its owner did not mean to share.

#include <string>

#include "base/result.h"
#include "base/secret.h"

namespace plancal {

/// Where one secret comes from; exactly one of the two is set.
struct SecretSource {
  std::string file;        ///< an absolute path (the config resolves relative ones)
  std::string credential;  ///< a systemd credential name, read from $CREDENTIALS_DIRECTORY
};

/// The secret's text without its trailing line break(s). Errors name the file and the fix
/// (`chmod 600 FILE`), never the content.
[[nodiscard]] Result<Secret> read_secret(const SecretSource& source);

/// "file /etc/plancal/x.pass" or "credential radicale": for messages.
[[nodiscard]] std::string describe(const SecretSource& source);

}  // namespace plancal
