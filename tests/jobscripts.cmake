# The job scripts run as they are outside a scheduler (they fall back to defaults for every
# SLURM_*/PBS_* variable), so CI checks they really launch a sweep and produce a full file.
if(TARGET cpet-lif-sweep AND TARGET cpet_tool)
  set(_js ${PROJECT_SOURCE_DIR}/jobscripts)
  add_test(NAME jobscripts_syntax
    COMMAND sh -c "for f in \"$0\"/*.slurm \"$0\"/*.pbs; do bash -n \"$f\" || exit 1; done; echo ok" ${_js})
  set_tests_properties(jobscripts_syntax PROPERTIES LABELS "serial;jobscripts" PASS_REGULAR_EXPRESSION "ok")
  foreach(_kind slurm pbs)
    set(_dir ${CMAKE_BINARY_DIR}/testdirs/jobscript_${_kind})
    file(MAKE_DIRECTORY ${_dir})
    add_test(NAME jobscript_${_kind}
      COMMAND sh -c "rm -f sweep.hdf5 && OUT=sweep.hdf5 bash \"$0\" sweep.hdf5 && \"$1\" info sweep.hdf5"
              ${_js}/sweep.${_kind} $<TARGET_FILE:cpet_tool>
      WORKING_DIRECTORY ${_dir})
    set_tests_properties(jobscript_${_kind} PROPERTIES TIMEOUT 300 PROCESSORS 2
      LABELS "serial;jobscripts"
      ENVIRONMENT "${CPET_MPI_TEST_ENV};CPET_LAUNCH=mpirun;CPET_SWEEP=$<TARGET_FILE:cpet-lif-sweep>;CPET_ERRORS_ARE_FATAL=0"
      PASS_REGULAR_EXPRESSION "runs: 64 of 64 completed")
  endforeach()
endif()

# The array-job flow of sweep-array.slurm + merge.slurm without a scheduler: three shards of the
# example sweep, each its own MPI job and file, merged by `cpet merge` into the whole sweep.
if(TARGET cpet-lif-sweep AND TARGET cpet_tool)
  set(_dir ${CMAKE_BINARY_DIR}/testdirs/shard_merge)
  file(MAKE_DIRECTORY ${_dir})
  add_test(NAME shard_merge
    COMMAND sh -c "rm -f *.hdf5 && for t in 0 1 2; do mpirun -n 2 \"$0\" s$t.hdf5 --shard $t/3 || exit 1; done && \"$1\" merge all.hdf5 s0.hdf5 s1.hdf5 s2.hdf5 && \"$1\" info all.hdf5"
            $<TARGET_FILE:cpet-lif-sweep> $<TARGET_FILE:cpet_tool>
    WORKING_DIRECTORY ${_dir})
  set_tests_properties(shard_merge PROPERTIES TIMEOUT 300 PROCESSORS 2 LABELS "serial;jobscripts"
    ENVIRONMENT "${CPET_MPI_TEST_ENV}" PASS_REGULAR_EXPRESSION "runs: 64 of 64 completed")
endif()
