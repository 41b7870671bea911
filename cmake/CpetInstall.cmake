# Install headers, libraries, the CLI, cpetConfig.cmake + version, cpet.pc and cpet-config.
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

install(TARGETS cpet cpet_static EXPORT cpetTargets
  LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
  ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
  RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR}
  INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
if(TARGET cpet_tool)
  install(TARGETS cpet_tool RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
endif()
install(DIRECTORY ${PROJECT_SOURCE_DIR}/include/cpet DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(FILES ${PROJECT_BINARY_DIR}/include/cpet/cpet_version.h
  DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/cpet)
# The imported targets below come from our own Find modules; ship them with the config.
install(FILES ${PROJECT_SOURCE_DIR}/cmake/FindBlosc.cmake ${PROJECT_SOURCE_DIR}/cmake/FindHwloc.cmake
  ${PROJECT_SOURCE_DIR}/cmake/FindLZO.cmake DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/cpet)
install(EXPORT cpetTargets NAMESPACE cpet:: DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/cpet)
install(TARGETS cpet_hdf5 EXPORT cpetTargets)

configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/cpetConfig.cmake.in
  ${PROJECT_BINARY_DIR}/cpetConfig.cmake INSTALL_DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/cpet)
write_basic_package_version_file(${PROJECT_BINARY_DIR}/cpetConfigVersion.cmake
  VERSION ${PROJECT_VERSION} COMPATIBILITY SameMajorVersion)
install(FILES ${PROJECT_BINARY_DIR}/cpetConfig.cmake ${PROJECT_BINARY_DIR}/cpetConfigVersion.cmake
  DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/cpet)

configure_file(${PROJECT_SOURCE_DIR}/cmake/cpet.pc.in ${PROJECT_BINARY_DIR}/cpet.pc @ONLY)
install(FILES ${PROJECT_BINARY_DIR}/cpet.pc DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)
configure_file(${PROJECT_SOURCE_DIR}/cmake/cpet-config.in ${PROJECT_BINARY_DIR}/cpet-config @ONLY)
install(PROGRAMS ${PROJECT_BINARY_DIR}/cpet-config DESTINATION ${CMAKE_INSTALL_BINDIR})
