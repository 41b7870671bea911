# FindBlosc: c-blosc (1.x). Debian ships a .pc file but no CMake config. Defines Blosc::Blosc.
find_package(PkgConfig QUIET)
if(PKG_CONFIG_FOUND)
  pkg_check_modules(PC_BLOSC QUIET blosc)
endif()
find_path(Blosc_INCLUDE_DIR blosc.h HINTS ${PC_BLOSC_INCLUDE_DIRS})
find_library(Blosc_LIBRARY NAMES blosc HINTS ${PC_BLOSC_LIBRARY_DIRS})
include(FindPackageHandleStandardArgs)
find_package_handle_standard_args(Blosc REQUIRED_VARS Blosc_LIBRARY Blosc_INCLUDE_DIR
  REASON_FAILURE_MESSAGE "install c-blosc (Debian: apt-get install libblosc-dev)")
if(Blosc_FOUND AND NOT TARGET Blosc::Blosc)
  add_library(Blosc::Blosc UNKNOWN IMPORTED)
  set_target_properties(Blosc::Blosc PROPERTIES IMPORTED_LOCATION "${Blosc_LIBRARY}"
    INTERFACE_INCLUDE_DIRECTORIES "${Blosc_INCLUDE_DIR}")
endif()
mark_as_advanced(Blosc_INCLUDE_DIR Blosc_LIBRARY)
