# pandas interop: test_pandas_io writes pandas_out.h5 in its working dir; check_pandas.py then
# loads every frame/series in it with pandas.read_hdf (skips itself when pandas is missing).
find_program(CPET_PANDAS_PYTHON NAMES python3 PATHS /usr/bin NO_DEFAULT_PATH)
if(CPET_PANDAS_PYTHON AND TEST test_pandas_io)
  add_test(NAME check_pandas
           COMMAND ${CPET_PANDAS_PYTHON} ${CMAKE_CURRENT_SOURCE_DIR}/check_pandas.py
                   ${CMAKE_BINARY_DIR}/testdirs/test_pandas_io/pandas_out.h5)
  set_tests_properties(test_pandas_io PROPERTIES FIXTURES_SETUP cpet_pandas_out)
  set_tests_properties(check_pandas PROPERTIES FIXTURES_REQUIRED cpet_pandas_out
                       ENVIRONMENT "${CPET_TEST_ENV}" LABELS "serial;interop" TIMEOUT 120)
endif()
