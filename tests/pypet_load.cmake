# pypet 0.7.0 loads what cpet writes: tests/pypet_sample_writer.c writes a trajectory (one file
# per compression library) and tests/check_pypet_load.py loads it with pypet's
# load_trajectory(load_all=2, force=True) and compares the values. Registered only when the
# environment variable CPET_PYPET_PATH points to a pypet checkout (its folder holding `pypet/`);
# the interpreter needs numpy, pandas, scipy and PyTables (Debian: python3-tables).
if(DEFINED ENV{CPET_PYPET_PATH} AND EXISTS "$ENV{CPET_PYPET_PATH}/pypet/__init__.py")
  set(CPET_PYPET_PYTHON /usr/bin/python3 CACHE FILEPATH "Python used to run pypet")
  add_executable(pypet_sample_writer ${CMAKE_CURRENT_SOURCE_DIR}/pypet_sample_writer.c)
  target_link_libraries(pypet_sample_writer PRIVATE cpet_static)
  target_compile_options(pypet_sample_writer PRIVATE ${CPET_WARNING_FLAGS})
  set_target_properties(pypet_sample_writer PROPERTIES
    RUNTIME_OUTPUT_DIRECTORY ${CMAKE_BINARY_DIR}/bin/tests)
  set(_dir ${CMAKE_BINARY_DIR}/testdirs/pypet_load)
  file(MAKE_DIRECTORY ${_dir})
  foreach(_lib zlib blosc blosc:lz4 lzo)
    string(REPLACE ":" "_" _tag ${_lib})
    add_test(NAME pypet_load_${_tag}
      COMMAND sh -c "\"$1\" \"pypet_${_tag}.hdf5\" ${_lib} && PYTHONPATH=\"$2\" \"$3\" \"$4\" \"pypet_${_tag}.hdf5\""
              sh $<TARGET_FILE:pypet_sample_writer> "$ENV{CPET_PYPET_PATH}"
              ${CPET_PYPET_PYTHON} ${CMAKE_CURRENT_SOURCE_DIR}/check_pypet_load.py
      WORKING_DIRECTORY ${_dir})
    set_tests_properties(pypet_load_${_tag} PROPERTIES TIMEOUT 300
      LABELS "serial;interop" ENVIRONMENT "${CPET_TEST_ENV}"
      PASS_REGULAR_EXPRESSION " 0 failed")
  endforeach()
endif()

# Repacked fixtures load in pypet with the same values as the originals.
if(DEFINED ENV{CPET_PYPET_PATH} AND EXISTS "$ENV{CPET_PYPET_PATH}/pypet/__init__.py" AND TARGET cpet_tool)
  file(GLOB _fx "${CPET_FIXTURES_DIR}/*.hdf5")
  set(_pairs "")
  set(_cmds "")
  foreach(_h5 ${_fx})
    get_filename_component(_stem ${_h5} NAME_WE)
    list(APPEND _pairs ${_h5} ${_stem}.hdf5)
    string(APPEND _cmds "\"$1\" repack \"${_h5}\" ${_stem}.hdf5 >/dev/null && ")
  endforeach()
  set(_dir ${CMAKE_BINARY_DIR}/testdirs/pypet_repack)
  file(MAKE_DIRECTORY ${_dir})
  add_test(NAME pypet_repack
    COMMAND sh -c "rm -f *.hdf5; ${_cmds} PYTHONPATH=\"$2\" \"$3\" \"$4\" ${_pairs}"
            sh $<TARGET_FILE:cpet_tool> "$ENV{CPET_PYPET_PATH}" ${CPET_PYPET_PYTHON}
            ${CMAKE_CURRENT_SOURCE_DIR}/check_pypet_repack.py
    WORKING_DIRECTORY ${_dir})
  set_tests_properties(pypet_repack PROPERTIES TIMEOUT 600 LABELS "serial;interop"
    ENVIRONMENT "${CPET_TEST_ENV}" PASS_REGULAR_EXPRESSION " 0 failed")
endif()
