# The Debian package: plancal_<version>_<arch>.deb, built with `cpack -G DEB` in a build
# folder (packaging/test-package.sh builds, lints, installs and purges it).
#
# Paths: the binary, unit, sysusers.d/tmpfiles.d snippets, schemas, examples and man page go
# under CPACK_PACKAGING_INSTALL_PREFIX (/usr); the config under /etc, listed as a conffile
# (CPack does not do that by itself), so upgrades keep the administrator's edits.

set(PLANCAL_PACKAGING_DIR "${CMAKE_CURRENT_LIST_DIR}")
set(PLANCAL_GENERATED_DOC "${CMAKE_CURRENT_BINARY_DIR}/packaging")
file(MAKE_DIRECTORY "${PLANCAL_GENERATED_DOC}")
# Debian wants the man page and changelog compressed with gzip -9n (no name, no time stamp).
foreach(pair "plancal.1|plancal.1.gz" "debian/changelog|changelog.gz")
  string(REPLACE "|" ";" pair "${pair}")
  list(GET pair 0 source)
  list(GET pair 1 target)
  execute_process(COMMAND gzip -9nc "${PLANCAL_PACKAGING_DIR}/${source}"
                  OUTPUT_FILE "${PLANCAL_GENERATED_DOC}/${target}" COMMAND_ERROR_IS_FATAL ANY)
endforeach()
set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS
             "${PLANCAL_PACKAGING_DIR}/plancal.1" "${PLANCAL_PACKAGING_DIR}/debian/changelog")

set(PLANCAL_SYSTEMD_DIR "${CMAKE_CURRENT_LIST_DIR}/../systemd")
install(FILES "${PLANCAL_SYSTEMD_DIR}/plancal.service" DESTINATION lib/systemd/system)
install(FILES "${PLANCAL_SYSTEMD_DIR}/plancal.sysusers" DESTINATION lib/sysusers.d
        RENAME plancal.conf)
install(FILES "${PLANCAL_SYSTEMD_DIR}/plancal.tmpfiles" DESTINATION lib/tmpfiles.d
        RENAME plancal.conf)
install(FILES "${PLANCAL_GENERATED_DOC}/plancal.1.gz" DESTINATION share/man/man1)
install(FILES "${PLANCAL_PACKAGING_DIR}/debian/copyright" "${PLANCAL_GENERATED_DOC}/changelog.gz"
        DESTINATION share/doc/plancal)
install(FILES "${PLANCAL_PACKAGING_DIR}/plancal.yaml" DESTINATION /etc/plancal
        PERMISSIONS OWNER_READ OWNER_WRITE GROUP_READ WORLD_READ)

set(CPACK_GENERATOR "DEB")
set(CPACK_PACKAGE_NAME "plancal")
set(CPACK_PACKAGE_VERSION "${PROJECT_VERSION}")
set(CPACK_PACKAGE_CONTACT "plancal maintainers <plancal@example.org>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "meeting plans to calendar feeds and synced calendars")
set(CPACK_PACKAGING_INSTALL_PREFIX "/usr")
set(CPACK_STRIP_FILES ON)
set(CPACK_DEBIAN_FILE_NAME "DEB-DEFAULT")
set(CPACK_DEBIAN_PACKAGE_SECTION "net")
set(CPACK_DEBIAN_PACKAGE_PRIORITY "optional")
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
# CPack puts the summary on the Description: line; these lines follow it (< 80 columns).
set(CPACK_DEBIAN_PACKAGE_DESCRIPTION
    "plancal turns the yearly programmes care and health services keep\n\
(seminars rotated across teams, depth meetings, reflection groups, the\n\
annual wheel of deadlines) into calendar events. It checks plan files,\n\
publishes ICS feeds with stable event identities and keeps CalDAV and\n\
Microsoft 365 calendars in step, as a hardened systemd service.")
set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA
    "${PLANCAL_PACKAGING_DIR}/debian/conffiles;${PLANCAL_PACKAGING_DIR}/debian/postinst;\
${PLANCAL_PACKAGING_DIR}/debian/prerm;${PLANCAL_PACKAGING_DIR}/debian/postrm")
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
include(CPack)
