# hosts: sources (src_libwbcore_a_SOURCES +=, ui_libwbui_a_SOURCES +=), tests (TESTS +=, check_PROGRAMS +=), EXTRA_DIST +=
