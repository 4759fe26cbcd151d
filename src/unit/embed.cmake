# SPDX-License-Identifier: GPL-2.0-or-later
# sdh_embed_data(OUT_CC SYMBOL_PREFIX FILE...): writes a .cc that defines, for
# each data file, `const char* const <prefix>_<stem>` holding its text, so an
# installed binary needs no data directory. Re-runs when a file changes.
function(sdh_embed_data out_cc ns)
  set(body "// Generated from data/ at configure time. Do not edit.\n#include <string_view>\nnamespace ${ns} {\n")
  foreach(f ${ARGN})
    set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${f})
    get_filename_component(stem ${f} NAME)
    string(REGEX REPLACE "[^A-Za-z0-9]" "_" stem "${stem}")
    file(READ ${f} content)
    # Split into chunks: compilers limit the length of one string literal.
    string(LENGTH "${content}" len)
    set(chunks "")
    set(pos 0)
    while(pos LESS len)
      string(SUBSTRING "${content}" ${pos} 8000 piece)
      string(APPEND chunks "R\"SDHDATA(${piece})SDHDATA\"\n")
      math(EXPR pos "${pos} + 8000")
    endwhile()
    string(APPEND body "extern const std::string_view k_${stem};\nconst std::string_view k_${stem} = \n${chunks};\n")
  endforeach()
  string(APPEND body "}  // namespace ${ns}\n")
  file(WRITE ${out_cc}.tmp "${body}")
  configure_file(${out_cc}.tmp ${out_cc} COPYONLY)
endfunction()
