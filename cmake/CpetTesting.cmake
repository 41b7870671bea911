# cpet_add_test(NAME n SOURCES s.. [LABELS l..] [TIMEOUT t]) - a serial test in a private dir.
# cpet_add_mpi_test(NAME n NP k SOURCES s.. [LABELS ..] [TIMEOUT t]) - the same under mpiexec.
set(CPET_ROOT_ENV "OMPI_ALLOW_RUN_AS_ROOT=1;OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1;OMPI_MCA_rmaps_base_oversubscribe=1;OMPI_MCA_btl=self,vader;OMPI_MCA_btl_vader_single_copy_mechanism=none")
set(CPET_TEST_ENV "CPET_FIXTURES=${CPET_FIXTURES_DIR};CPET_BIN=${CMAKE_BINARY_DIR}/bin;CPET_SOURCE_DIR=${PROJECT_SOURCE_DIR};${CPET_ROOT_ENV}")
if(CPET_SANITIZE)
  string(APPEND CPET_TEST_ENV ";ASAN_OPTIONS=detect_leaks=1:abort_on_error=0;UBSAN_OPTIONS=print_stacktrace=1;LSAN_OPTIONS=suppressions=${PROJECT_SOURCE_DIR}/cmake/lsan.supp")
endif()

# Open MPI's dlopen'ed components leak at exit and are unloaded before LeakSanitizer can name
# them, so no suppression can match: MPI tests keep ASan's memory-error checks but not its leak
# check. cpet's own code paths are leak-checked by the serial tests.
set(CPET_MPI_TEST_ENV "${CPET_TEST_ENV}")
if(CPET_SANITIZE)
  string(REPLACE "detect_leaks=1" "detect_leaks=0" CPET_MPI_TEST_ENV "${CPET_TEST_ENV}")
endif()

set(CPET_MPIEXEC_PREFLAGS ${MPIEXEC_PREFLAGS})
execute_process(COMMAND ${MPIEXEC_EXECUTABLE} --version OUTPUT_VARIABLE _mpiver ERROR_QUIET)
if(_mpiver MATCHES "Open MPI|OpenRTE")
  list(APPEND CPET_MPIEXEC_PREFLAGS --oversubscribe)
endif()

function(cpet_add_test)
  cmake_parse_arguments(T "" "NAME;TIMEOUT" "SOURCES;LABELS;ARGS" ${ARGN})
  if(NOT T_TIMEOUT)
    set(T_TIMEOUT 120)
  endif()
  add_executable(${T_NAME} ${T_SOURCES})
  target_link_libraries(${T_NAME} PRIVATE cpet_static)
  target_include_directories(${T_NAME} PRIVATE ${PROJECT_SOURCE_DIR}/src ${PROJECT_SOURCE_DIR}/tests)
  target_compile_options(${T_NAME} PRIVATE ${CPET_WARNING_FLAGS})
  target_compile_definitions(${T_NAME} PRIVATE _GNU_SOURCE)
  set_target_properties(${T_NAME} PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${CMAKE_BINARY_DIR}/bin/tests)
  set(dir ${CMAKE_BINARY_DIR}/testdirs/${T_NAME})
  file(MAKE_DIRECTORY ${dir})
  add_test(NAME ${T_NAME} COMMAND $<TARGET_FILE:${T_NAME}> ${T_ARGS} WORKING_DIRECTORY ${dir})
  set_tests_properties(${T_NAME} PROPERTIES TIMEOUT ${T_TIMEOUT} LABELS "serial;${T_LABELS}"
    ENVIRONMENT "${CPET_TEST_ENV}")
endfunction()

function(cpet_add_mpi_test)
  cmake_parse_arguments(T "" "NAME;NP;TIMEOUT" "SOURCES;LABELS;ARGS" ${ARGN})
  if(NOT T_TIMEOUT)
    set(T_TIMEOUT 180)
  endif()
  if(NOT TARGET ${T_NAME}_exe)
    add_executable(${T_NAME}_exe ${T_SOURCES})
    target_link_libraries(${T_NAME}_exe PRIVATE cpet_static)
    target_include_directories(${T_NAME}_exe PRIVATE ${PROJECT_SOURCE_DIR}/src ${PROJECT_SOURCE_DIR}/tests
      ${PROJECT_SOURCE_DIR}/mpi_tests)
    target_compile_options(${T_NAME}_exe PRIVATE ${CPET_WARNING_FLAGS})
    target_compile_definitions(${T_NAME}_exe PRIVATE _GNU_SOURCE)
    set_target_properties(${T_NAME}_exe PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${CMAKE_BINARY_DIR}/bin/tests)
  endif()
  set(dir ${CMAKE_BINARY_DIR}/testdirs/${T_NAME}_np${T_NP})
  file(MAKE_DIRECTORY ${dir})
  add_test(NAME ${T_NAME}_np${T_NP}
    COMMAND ${MPIEXEC_EXECUTABLE} ${MPIEXEC_NUMPROC_FLAG} ${T_NP} ${CPET_MPIEXEC_PREFLAGS}
            $<TARGET_FILE:${T_NAME}_exe> ${MPIEXEC_POSTFLAGS} ${T_ARGS}
    WORKING_DIRECTORY ${dir})
  set_tests_properties(${T_NAME}_np${T_NP} PROPERTIES TIMEOUT ${T_TIMEOUT} PROCESSORS ${T_NP}
    LABELS "mpi;np${T_NP};${T_LABELS}" ENVIRONMENT "${CPET_MPI_TEST_ENV}")
endfunction()
