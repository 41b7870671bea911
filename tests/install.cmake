# find_package(cpet) from an installed prefix: install, configure a consumer, build and run it.
if(CPET_SANITIZE)
  return()
endif()
add_test(NAME install_find_package
  COMMAND ${CMAKE_COMMAND} -DBUILD_DIR=${CMAKE_BINARY_DIR} -DSRC_DIR=${PROJECT_SOURCE_DIR}
          -DWORK_DIR=${CMAKE_BINARY_DIR}/testdirs/install_find_package
          -P ${PROJECT_SOURCE_DIR}/tests/install_check.cmake.txt)
set_tests_properties(install_find_package PROPERTIES TIMEOUT 300 LABELS "serial;install"
  PASS_REGULAR_EXPRESSION "consumer: [0-9.]+ ok")
