# PyTables <-> cpet interop of the compression filters (blosc 32001, lzo 305, zlib): the C test
# writes a file PyTables reads and reads a file PyTables writes. Needs /usr/bin/python3 with the
# `tables` module (Debian: python3-tables); skipped otherwise.
set(CPET_PYTABLES_PYTHON /usr/bin/python3 CACHE FILEPATH "Python with PyTables for interop tests")
if(EXISTS ${CPET_PYTABLES_PYTHON} AND TARGET test_filter_roundtrip)
  execute_process(COMMAND ${CPET_PYTABLES_PYTHON} -c "import tables"
    RESULT_VARIABLE _cpet_tables_rc OUTPUT_QUIET ERROR_QUIET)
  if(_cpet_tables_rc EQUAL 0)
    set(_dir ${CMAKE_BINARY_DIR}/testdirs/filter_interop_pytables)
    file(MAKE_DIRECTORY ${_dir})
    add_test(NAME filter_interop_pytables
      COMMAND ${CPET_PYTABLES_PYTHON} ${CMAKE_CURRENT_SOURCE_DIR}/check_blosc_pytables.py
              $<TARGET_FILE:test_filter_roundtrip>
      WORKING_DIRECTORY ${_dir})
    set_tests_properties(filter_interop_pytables PROPERTIES TIMEOUT 120
      LABELS "serial;interop" ENVIRONMENT "${CPET_TEST_ENV}"
      PASS_REGULAR_EXPRESSION "interop ok")
  else()
    message(STATUS "PyTables not importable by ${CPET_PYTABLES_PYTHON}: filter_interop_pytables skipped")
  endif()
endif()
