# Leaf data written by cpet, read by PyTables and h5py: test_write_item/test_write_leaf keep their
# files under the given names and check_pytables_write.py compares node classes, attributes and
# values with what the C tests wrote. Needs /usr/bin/python3 with `tables` and `h5py`; skipped otherwise.
set(CPET_PYTABLES_PYTHON /usr/bin/python3 CACHE FILEPATH "Python with PyTables for interop tests")
if(EXISTS ${CPET_PYTABLES_PYTHON} AND TARGET test_write_leaf AND TARGET test_write_item)
  execute_process(COMMAND ${CPET_PYTABLES_PYTHON} -c "import tables, h5py"
    RESULT_VARIABLE _cpet_ptw_rc OUTPUT_QUIET ERROR_QUIET)
  if(_cpet_ptw_rc EQUAL 0)
    set(_dir ${CMAKE_BINARY_DIR}/testdirs/pytables_write)
    file(MAKE_DIRECTORY ${_dir})
    add_test(NAME pytables_write
      COMMAND ${CPET_PYTABLES_PYTHON} ${CMAKE_CURRENT_SOURCE_DIR}/check_pytables_write.py
              $<TARGET_FILE:test_write_item> $<TARGET_FILE:test_write_leaf>
      WORKING_DIRECTORY ${_dir})
    set_tests_properties(pytables_write PROPERTIES TIMEOUT 120
      LABELS "serial;interop" ENVIRONMENT "${CPET_TEST_ENV}"
      PASS_REGULAR_EXPRESSION "pytables write ok")
  else()
    message(STATUS "PyTables/h5py not importable by ${CPET_PYTABLES_PYTHON}: pytables_write skipped")
  endif()
endif()
