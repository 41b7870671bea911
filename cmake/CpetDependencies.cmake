# MPI, parallel HDF5, zlib, c-blosc, hwloc and (optional) lzo, as imported targets.
find_package(MPI REQUIRED COMPONENTS C)

set(HDF5_PREFER_PARALLEL ON)
find_package(HDF5 REQUIRED COMPONENTS C)
if(NOT HDF5_IS_PARALLEL AND NOT HDF5_PROVIDES_PARALLEL)
  message(FATAL_ERROR
    "cpet needs a parallel (MPI) build of HDF5, but the HDF5 found (${HDF5_C_INCLUDE_DIRS}) is serial.\n"
    "Remedies:\n"
    "  1. Debian/Ubuntu: apt-get install libhdf5-openmpi-dev (./quickstart.sh does this)\n"
    "  2. Point CMake at a parallel HDF5: -DHDF5_ROOT=/path/to/hdf5-parallel or HDF5_DIR\n"
    "  3. On a cluster: module load hdf5-parallel (or the site's equivalent) before configuring")
endif()
if(NOT TARGET cpet_hdf5)
  add_library(cpet_hdf5 INTERFACE)
  if(TARGET hdf5::hdf5)
    target_link_libraries(cpet_hdf5 INTERFACE hdf5::hdf5)
  else()
    target_include_directories(cpet_hdf5 INTERFACE ${HDF5_C_INCLUDE_DIRS} ${HDF5_INCLUDE_DIRS})
    target_link_libraries(cpet_hdf5 INTERFACE ${HDF5_C_LIBRARIES})
    target_compile_definitions(cpet_hdf5 INTERFACE ${HDF5_C_DEFINITIONS} ${HDF5_DEFINITIONS})
  endif()
endif()

find_package(ZLIB REQUIRED)
find_package(Blosc REQUIRED)
find_package(Hwloc REQUIRED)
find_package(LZO)
find_package(Threads REQUIRED)
