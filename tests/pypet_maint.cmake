# pypet 0.7.0 loads what the maintenance tests leave behind (merged shards and fixtures,
# deleted items, shared data). Registered only when CPET_PYPET_PATH names a pypet checkout;
# runs after test_merge, test_delete and test_shared (it reads their working folders).
if(DEFINED ENV{CPET_PYPET_PATH} AND EXISTS "$ENV{CPET_PYPET_PATH}/pypet/__init__.py")
  set(CPET_PYPET_PYTHON /usr/bin/python3 CACHE FILEPATH "Python used to run pypet")
  add_test(NAME pypet_maint
    COMMAND sh -c "PYTHONPATH=\"$1\" \"$2\" \"$3\" \"$4\""
            sh "$ENV{CPET_PYPET_PATH}" ${CPET_PYPET_PYTHON}
            ${CMAKE_CURRENT_SOURCE_DIR}/check_pypet_maint.py ${CMAKE_BINARY_DIR}/testdirs)
  set_tests_properties(pypet_maint PROPERTIES TIMEOUT 600 LABELS "serial;interop"
    ENVIRONMENT "${CPET_TEST_ENV}" PASS_REGULAR_EXPRESSION " 0 failed"
    DEPENDS "test_merge;test_delete;test_shared")
endif()
