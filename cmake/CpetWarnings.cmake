# Warnings every target gets; probed so older compilers do not choke on unknown flags.
include(CheckCCompilerFlag)
set(CPET_WARNING_FLAGS "")
foreach(flag -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes -Wpointer-arith
             -Wformat=2 -Wno-unused-parameter)
  string(MAKE_C_IDENTIFIER "HAVE${flag}" var)
  check_c_compiler_flag(${flag} ${var})
  if(${var})
    list(APPEND CPET_WARNING_FLAGS ${flag})
  endif()
endforeach()
