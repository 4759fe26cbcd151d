# SPDX-License-Identifier: GPL-2.0-or-later
# sdh_string_literal(OUT_VAR TEXT): TEXT as C++ raw string literals, split into
# chunks (compilers limit the length of one literal) that concatenate.
function(sdh_string_literal out_var content)
  string(LENGTH "${content}" len)
  set(chunks "")
  set(pos 0)
  while(pos LESS len)
    string(SUBSTRING "${content}" ${pos} 8000 piece)
    string(APPEND chunks "R\"SDHDATA(${piece})SDHDATA\"\n")
    math(EXPR pos "${pos} + 8000")
  endwhile()
  set(${out_var} "${chunks}" PARENT_SCOPE)
endfunction()

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
    sdh_string_literal(chunks "${content}")
    string(APPEND body "extern const std::string_view k_${stem};\nconst std::string_view k_${stem} = \n${chunks};\n")
  endforeach()
  string(APPEND body "}  // namespace ${ns}\n")
  file(WRITE ${out_cc}.tmp "${body}")
  configure_file(${out_cc}.tmp ${out_cc} COPYONLY)
endfunction()

# sdh_embed_tree(OUT_CC NAMESPACE DIR): every file under DIR as one table,
# `k_files` of {path relative to DIR, text}, so a folder of data (one per
# systemd release) is looked up by path and adding a file needs no code.
function(sdh_embed_tree out_cc ns dir)
  file(GLOB_RECURSE files RELATIVE ${dir} CONFIGURE_DEPENDS ${dir}/*)
  list(SORT files)
  set(body "// Generated from ${dir} at configure time. Do not edit.\n#include <cstddef>\n#include <string_view>\nnamespace ${ns} {\nstruct EmbeddedFile { std::string_view path, text; };\nextern const EmbeddedFile k_files[];\nextern const std::size_t k_file_count;\nconst EmbeddedFile k_files[] = {\n")
  set(count 0)
  foreach(rel ${files})
    set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${dir}/${rel})
    file(READ ${dir}/${rel} content)
    sdh_string_literal(chunks "${content}")
    string(APPEND body "{\"${rel}\", ${chunks}},\n")
    math(EXPR count "${count} + 1")
  endforeach()
  string(APPEND body "};\nconst std::size_t k_file_count = ${count};\n}  // namespace ${ns}\n")
  file(WRITE ${out_cc}.tmp "${body}")
  configure_file(${out_cc}.tmp ${out_cc} COPYONLY)
endfunction()
