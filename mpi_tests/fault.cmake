# Fault-injection tests (label `fault`): kill -9 of a worker and of the writer, SIGTERM and
# SIGUSR1 to mpirun, a full disk (LD_PRELOAD shim). Each runs tests/fault/fault_driver.py,
# which prints one line of figures (trials, acknowledged, lost, recovered). They oversubscribe
# the cores, hence RUN_SERIAL. The 100-trial mode: tests/fault/fault_driver.py --trials 100
# (see tests/fault/README.md). The 100,000-run load test needs -DCPET_LONG_TESTS=ON.
option(CPET_LONG_TESTS "Register long tests (fault_load: 100,000 runs, several minutes)" OFF)

add_executable(fault_sweep ${CMAKE_CURRENT_SOURCE_DIR}/fault_sweep.c)
target_link_libraries(fault_sweep PRIVATE cpet_static)
target_compile_options(fault_sweep PRIVATE ${CPET_WARNING_FLAGS})
target_compile_definitions(fault_sweep PRIVATE _GNU_SOURCE)
set_target_properties(fault_sweep PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${CMAKE_BINARY_DIR}/bin/tests)

# The shim is built without sanitizers: it is preloaded into the uninstrumented mpirun too.
add_library(cpet_enospc_shim SHARED ${PROJECT_SOURCE_DIR}/tests/fault/enospc_shim.c)
target_link_libraries(cpet_enospc_shim PRIVATE ${CMAKE_DL_LIBS})
target_compile_definitions(cpet_enospc_shim PRIVATE _GNU_SOURCE)
if(CPET_SANITIZE)
  set_target_properties(cpet_enospc_shim PROPERTIES COMPILE_OPTIONS "" LINK_OPTIONS "")
  target_compile_options(cpet_enospc_shim PRIVATE -fno-sanitize=all)
  target_link_options(cpet_enospc_shim PRIVATE -fno-sanitize=all)
endif()

find_package(Python3 COMPONENTS Interpreter QUIET)
if(NOT Python3_Interpreter_FOUND)
  message(STATUS "fault tests: no python3, not registered")
  return()
endif()

set(_fault_driver ${PROJECT_SOURCE_DIR}/tests/fault/fault_driver.py)
string(REPLACE ";" " " _fault_preflags "${CPET_MPIEXEC_PREFLAGS}")
set(_fault_common --sweep $<TARGET_FILE:fault_sweep> --cpet $<TARGET_FILE:cpet_tool>
    --mpiexec ${MPIEXEC_EXECUTABLE} "--mpiexec-flags=${_fault_preflags}"
    --shim $<TARGET_FILE:cpet_enospc_shim>)
if(CPET_SANITIZE)
  list(APPEND _fault_common --sanitized)
endif()

function(cpet_add_fault_test name mode)
  set(dir ${CMAKE_BINARY_DIR}/testdirs/${name})
  file(MAKE_DIRECTORY ${dir})
  add_test(NAME ${name} COMMAND ${Python3_EXECUTABLE} ${_fault_driver} ${mode} ${_fault_common}
                                --workdir ${dir} ${ARGN}
           WORKING_DIRECTORY ${dir})
  # 77: skipped (printed reason), e.g. the LD_PRELOAD shim in a sanitizer build.
  set_tests_properties(${name} PROPERTIES LABELS "fault;mpi" TIMEOUT 300 RUN_SERIAL TRUE
    PROCESSORS 3 SKIP_RETURN_CODE 77 ENVIRONMENT "${CPET_MPI_TEST_ENV}")
endfunction()

cpet_add_fault_test(fault_kill_worker kill-worker --trials 10)
cpet_add_fault_test(fault_kill_writer kill-writer --trials 10)
cpet_add_fault_test(fault_signals signals --trials 3 --runs 1500)
cpet_add_fault_test(fault_enospc enospc --trials 6)
if(CPET_LONG_TESTS)
  cpet_add_fault_test(fault_load load --runs 100000)
  set_tests_properties(fault_load PROPERTIES LABELS "fault;load;mpi" TIMEOUT 3600)
endif()
