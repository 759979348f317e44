# Project-wide helpers: warnings are set once, here.

function(ff_set_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Wshadow
                         -Wnon-virtual-dtor -Wno-unused-parameter)
endfunction()

# ff_library(NAME SOURCES ... DEPS ...): a project library with the repo root on
# its include path, so every include reads "server/core/workflow.h".
function(ff_library name)
  cmake_parse_arguments(ARG "" "" "SOURCES;PUBLIC_DEPS;PRIVATE_DEPS" ${ARGN})
  add_library(${name} STATIC ${ARG_SOURCES})
  target_include_directories(${name} PUBLIC ${PROJECT_SOURCE_DIR})
  target_link_libraries(${name} PUBLIC ${ARG_PUBLIC_DEPS} PRIVATE ${ARG_PRIVATE_DEPS})
  ff_set_warnings(${name})
endfunction()

# ff_test(NAME SOURCES ... DEPS ...): one GoogleTest binary per component.
function(ff_test name)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS;PROPERTIES" ${ARGN})
  add_executable(${name} ${ARG_SOURCES})
  target_link_libraries(${name} PRIVATE ${ARG_DEPS} GTest::gmock GTest::gtest_main)
  ff_set_warnings(${name})
  gtest_discover_tests(${name} DISCOVERY_TIMEOUT 60 PROPERTIES ${ARG_PROPERTIES})
endfunction()

# ff_fuzzer(NAME SOURCES ... DEPS ... [SEEDS dir] [DICT file] [LABELS ...]): a libFuzzer
# target (FF_BUILD_FUZZERS builds only) and a short, reproducible run of it as
# a ctest labelled "fuzz" (and LABELS) over its seed inputs. The seeds (a directory of
# inputs) and the dictionary are also what scripts/fuzz starts from: it
# reads them from <target>.seeds and <target>.dict beside the binary.
function(ff_fuzzer name)
  cmake_parse_arguments(ARG "" "SEEDS;DICT" "SOURCES;DEPS;LABELS" ${ARGN})
  add_executable(${name} ${ARG_SOURCES})
  target_link_libraries(${name} PRIVATE ${ARG_DEPS})
  target_link_options(${name} PRIVATE -fsanitize=fuzzer)
  ff_set_warnings(${name})
  set(run_args -runs=2000 -seed=1 -max_len=4096)
  if(ARG_DICT)
    file(CREATE_LINK ${CMAKE_CURRENT_SOURCE_DIR}/${ARG_DICT}
         ${CMAKE_CURRENT_BINARY_DIR}/${name}.dict SYMBOLIC)
    list(APPEND run_args -dict=${CMAKE_CURRENT_SOURCE_DIR}/${ARG_DICT})
  endif()
  if(ARG_SEEDS)
    file(CREATE_LINK ${CMAKE_CURRENT_SOURCE_DIR}/${ARG_SEEDS}
         ${CMAKE_CURRENT_BINARY_DIR}/${name}.seeds SYMBOLIC)
    file(GLOB seeds CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/${ARG_SEEDS}/*)
    list(JOIN seeds "," seed_list)
    list(APPEND run_args -seed_inputs=${seed_list})
  endif()
  add_test(NAME ${name} COMMAND ${name} ${run_args})
  set_tests_properties(${name} PROPERTIES TIMEOUT 120 LABELS "fuzz;${ARG_LABELS}")
  set_property(GLOBAL APPEND PROPERTY FF_FUZZERS ${name})
endfunction()
