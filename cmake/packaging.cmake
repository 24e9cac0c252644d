# Install rules and the Debian package (CPack DEB). `cmake --install build` (or
# scripts/package, which builds the .deb) puts:
#   bin/rcbatch, share/man/man1/rcbatch.1, share/bash-completion/completions/rcbatch,
#   share/doc/rcbatch/{README.md, examples/, contrib/}, share/rcbatch/actions/*.toml,
#   lib/systemd/system/rcbatch@.{service,timer}
# and, in the package only, a postinst that creates the group rcbatch and the shared state
# directory /var/lib/rcbatch/state.
include(GNUInstallDirs)

# `install` and cpack copy what is built; they do not build the tests first.
set(CMAKE_SKIP_INSTALL_ALL_DEPENDENCY ON)

install(TARGETS rcbatch RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(FILES ${PROJECT_SOURCE_DIR}/man/rcbatch.1 DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)
install(FILES ${PROJECT_SOURCE_DIR}/completion/rcbatch.bash
        DESTINATION ${CMAKE_INSTALL_DATADIR}/bash-completion/completions RENAME rcbatch)
install(FILES ${PROJECT_SOURCE_DIR}/README.md DESTINATION ${CMAKE_INSTALL_DOCDIR})
install(DIRECTORY ${PROJECT_SOURCE_DIR}/jobs/examples/ DESTINATION ${CMAKE_INSTALL_DOCDIR}/examples)
# The built-in action files, for reading and copying (the binary has them embedded).
install(DIRECTORY ${PROJECT_SOURCE_DIR}/jobs/actions/ DESTINATION ${CMAKE_INSTALL_DATADIR}/rcbatch/actions
        FILES_MATCHING PATTERN "*.toml")
install(FILES ${PROJECT_SOURCE_DIR}/config/rcbatch.example.toml DESTINATION ${CMAKE_INSTALL_DOCDIR}/examples)
install(DIRECTORY ${PROJECT_SOURCE_DIR}/contrib/ DESTINATION ${CMAKE_INSTALL_DOCDIR}/contrib
        USE_SOURCE_PERMISSIONS)
# The units where systemd looks for a package's units (not enabled: the README says how).
install(FILES ${PROJECT_SOURCE_DIR}/contrib/systemd/rcbatch@.service ${PROJECT_SOURCE_DIR}/contrib/systemd/rcbatch@.timer
        DESTINATION lib/systemd/system)

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME rcbatch)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_CONTACT "rcbatch maintainers <rcbatch@localhost>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "bulk jobs against the LogicBoxes / ResellerClub reseller HTTP API")
set(CPACK_PACKAGE_DESCRIPTION "rcbatch runs bulk jobs (NIXI verification resends, backup renewals and \
deletions, ...) against the reseller HTTP API: concurrent HTTPS, safe retries, never a paid action twice, one \
result record per order, HTML and JUnit reports, metrics for node_exporter.")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION admin)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
# Debian 12's runtime packages of the libraries the binary links (dpkg -S on each .so it
# needs, see `ldd`): never the -dev packages.
set(CPACK_DEBIAN_PACKAGE_DEPENDS
    "libc6 (>= 2.36), libstdc++6 (>= 12), libgcc-s1, libssl3 (>= 3.0.0), libboost-json1.81.0, libboost-url1.81.0, libboost-program-options1.81.0, libtomlplusplus3, libsqlite3-0")
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "bash-completion, man-db")
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
# The shared state directory /var/lib/rcbatch/state (group rcbatch, setgid, group-writable):
# one ledger for every user of the machine.
set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA ${CMAKE_CURRENT_LIST_DIR}/debian/postinst)
include(CPack)

# The tests that package and render: where the build is (their artifacts go there) and cpack.
if(TARGET rcbatch_test_support)
  target_compile_definitions(rcbatch_test_support PUBLIC
    RCBATCH_BUILD_DIR="${PROJECT_BINARY_DIR}" RCBATCH_CPACK="${CMAKE_CPACK_COMMAND}")
endif()
