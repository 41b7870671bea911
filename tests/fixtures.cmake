# One CTest test per pypet fixture: `cpet dump FIXTURE --json` must equal the fixture's JSON
# (what pypet itself reads); tests/compare_dump.py prints every differing JSON path.
set(CPET_DUMP_PYTHON /usr/bin/python3 CACHE FILEPATH "Python (stdlib only) for the dump comparison")
file(GLOB _cpet_fixture_files "${CPET_FIXTURES_DIR}/*.hdf5")
if(NOT EXISTS ${CPET_DUMP_PYTHON} OR NOT TARGET cpet_tool)
  message(STATUS "fixture_* tests skipped (no ${CPET_DUMP_PYTHON} or no cpet tool)")
elseif(NOT _cpet_fixture_files)
  message(STATUS "fixture_* tests skipped: no fixtures in '${CPET_FIXTURES_DIR}'")
else()
  foreach(_h5 ${_cpet_fixture_files})
    get_filename_component(_stem ${_h5} NAME_WE)
    add_test(NAME fixture_${_stem}
      COMMAND ${CPET_DUMP_PYTHON} ${CMAKE_CURRENT_SOURCE_DIR}/compare_dump.py
              $<TARGET_FILE_DIR:cpet_tool> ${_h5})
    set_tests_properties(fixture_${_stem} PROPERTIES TIMEOUT 120 LABELS "serial;fixtures"
      ENVIRONMENT "${CPET_TEST_ENV}")
  endforeach()
endif()

# `cpet repack` of every fixture (as is, and to blosc:lz4) still holds what pypet reads.
if(EXISTS ${CPET_DUMP_PYTHON} AND TARGET cpet_tool AND _cpet_fixture_files)
  add_test(NAME repack_fixtures
    COMMAND ${CPET_DUMP_PYTHON} ${CMAKE_CURRENT_SOURCE_DIR}/check_repack.py
            $<TARGET_FILE_DIR:cpet_tool> ${CMAKE_BINARY_DIR}/testdirs/repack_fixtures ${_cpet_fixture_files})
  set_tests_properties(repack_fixtures PROPERTIES TIMEOUT 300 LABELS "serial;fixtures"
    ENVIRONMENT "${CPET_TEST_ENV}")
endif()
