# Writes IN as a raw string literal into OUT (questline::stdlib::PreludeText).
file(READ ${IN} text)
file(WRITE ${OUT} "#include \"stdlib/prelude.h\"\nnamespace questline::stdlib {\nstd::string_view PreludeText() {\n  static const char text[] = R\"QUESTPRELUDE(${text})QUESTPRELUDE\";\n  return {text, sizeof(text) - 1};\n}\n}  // namespace questline::stdlib\n")
