package dev.vigil.lint;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import dev.vigil.base.input.InputFiles;
import dev.vigil.base.input.YamlLimits;
import java.io.IOException;

/**
 * Checks that a file is what its name says before its text is linted: an {@code .ini} file is INI,
 * an {@code .alloy} file is Alloy configuration, a {@code .json} file is one JSON value. Otherwise
 * a garbage file would pass as a configuration without findings. Each check returns the first
 * problem, located, or null.
 */
final class Syntax {
  private Syntax() {}

  // ------------------------------------------------------------------ INI

  /**
   * Grafana's INI: blank lines, comments ({@code #} or {@code ;}), {@code [section]} headers and
   * {@code key = value} (or {@code key: value}) lines.
   */
  static InputError ini(String source, String text) {
    String[] lines = text.split("\r?\n", -1);
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i].strip();
      if (line.isEmpty() || line.startsWith("#") || line.startsWith(";")) {
        continue;
      }
      if (line.startsWith("[")) {
        if (!line.endsWith("]") || line.length() < 3) {
          return new InputError(source, i + 1, 1, "not INI: a section header is [name]");
        }
        continue;
      }
      int eq = firstOf(line, '=', ':');
      if (eq <= 0) {
        return new InputError(
            source,
            i + 1,
            1,
            "not INI: expected [section], key = value or a comment, found " + excerpt(line));
      }
    }
    return null;
  }

  private static int firstOf(String s, char a, char b) {
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) == a || s.charAt(i) == b) {
        return i;
      }
    }
    return -1;
  }

  private static String excerpt(String s) {
    return "'" + InputFiles.printable(s, 40) + "'";
  }

  // ------------------------------------------------------------------ JSON

  /** One JSON value, within the same depth and string bounds as YAML. */
  static InputError json(String source, String text, YamlLimits limits) {
    JsonFactory factory =
        JsonFactory.builder()
            .streamReadConstraints(
                StreamReadConstraints.builder()
                    .maxNestingDepth(limits.maxDepth())
                    .maxStringLength(limits.maxScalarLength())
                    .build())
            .build();
    JsonParser p = null;
    try {
      p = factory.createParser(text);
      JsonToken t = p.nextToken();
      if (t == null) {
        return null; // empty: nothing to lint, as an empty YAML file
      }
      if (t != JsonToken.START_OBJECT && t != JsonToken.START_ARRAY) {
        return located(source, p.currentTokenLocation(), "not a JSON object or array");
      }
      p.skipChildren();
      if (p.nextToken() != null) {
        return located(
            source, p.currentTokenLocation(), "not JSON: content after the top-level value");
      }
      return null;
    } catch (JsonProcessingException e) {
      String m = e.getOriginalMessage();
      if (m != null && m.contains("nesting depth")) {
        m = "collections nested more than " + limits.maxDepth() + " levels deep";
      } else if (m != null && m.contains("String value length")) {
        m = "a string longer than " + limits.maxScalarLength() + " characters";
      } else {
        m = "not JSON: " + firstLine(m);
      }
      JsonLocation at =
          e.getLocation() != null ? e.getLocation() : p == null ? null : p.currentLocation();
      return located(source, at, m);
    } catch (IOException e) {
      return new InputError(source, 0, "cannot read JSON: " + e.getMessage());
    } finally {
      if (p != null) {
        try {
          p.close();
        } catch (IOException ignored) {
          // reading a String: nothing to release
        }
      }
    }
  }

  private static InputError located(String source, JsonLocation l, String message) {
    return l == null
        ? new InputError(source, 0, message)
        : new InputError(source, Math.max(0, l.getLineNr()), Math.max(0, l.getColumnNr()), message);
  }

  private static String firstLine(String m) {
    if (m == null) {
      return "syntax error";
    }
    int nl = m.indexOf('\n');
    return InputFiles.printable(nl < 0 ? m : m.substring(0, nl), 200);
  }

  // ------------------------------------------------------------------ Alloy

  /**
   * Alloy configuration syntax: a body of attributes ({@code name = expression}) and blocks ({@code
   * a.b.c "label" { body }}), with {@code //} and {@code /* *}{@code /} comments, double quoted
   * strings and backquoted raw strings. Expressions are checked for balanced brackets and
   * terminated strings, not evaluated.
   */
  static InputError alloy(String source, String text) {
    try {
      new Alloy(text).body(0);
      return null;
    } catch (AlloyError e) {
      return new InputError(source, e.line, e.column, "not Alloy configuration: " + e.getMessage());
    }
  }

  private static final class AlloyError extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final int line;
    final int column;

    AlloyError(int line, int column, String message) {
      super(message, null, false, false);
      this.line = line;
      this.column = column;
    }
  }

  private enum Tok {
    IDENT,
    STRING,
    OTHER,
    NEWLINE,
    EOF
  }

  /** A tokenizer and a recursive-descent reader of block bodies; nesting is bounded. */
  private static final class Alloy {
    private static final int MAX_DEPTH = 128;
    private final String s;
    private int pos;
    private int line = 1;
    private int lineStart;
    private Tok tok;
    private char punct;
    private int tokLine;
    private int tokColumn;
    private String tokText;

    Alloy(String s) {
      this.s = s;
      next();
    }

    private AlloyError error(String what) {
      return new AlloyError(tokLine, tokColumn, what + ", found " + describe());
    }

    private String describe() {
      return switch (tok) {
        case EOF -> "the end of the file";
        case NEWLINE -> "the end of the line";
        case STRING -> "a string";
        default -> excerpt(tokText);
      };
    }

    /** Statements until '}' (depth > 0) or the end of the file (depth 0). */
    void body(int depth) {
      if (depth > MAX_DEPTH) {
        throw error("blocks nested more than " + MAX_DEPTH + " levels deep");
      }
      while (true) {
        while (tok == Tok.NEWLINE) {
          next();
        }
        if (tok == Tok.EOF) {
          if (depth > 0) {
            throw error("expected '}' closing the block");
          }
          return;
        }
        if (tok == Tok.OTHER && punct == '}') {
          if (depth == 0) {
            throw error("expected an attribute or a block");
          }
          next();
          return;
        }
        if (tok != Tok.IDENT) {
          throw error("expected an attribute or a block");
        }
        next();
        boolean dotted = false;
        while (tok == Tok.OTHER && punct == '.') {
          next();
          if (tok != Tok.IDENT) {
            throw error("expected a name after '.'");
          }
          dotted = true;
          next();
        }
        if (tok == Tok.OTHER && punct == '=' && !dotted) {
          next();
          expression(depth);
        } else {
          if (tok == Tok.STRING) {
            next();
          }
          if (!(tok == Tok.OTHER && punct == '{')) {
            throw error(dotted ? "expected '{' opening the block" : "expected '=' or '{'");
          }
          next();
          body(depth + 1);
        }
        if (!(tok == Tok.NEWLINE || tok == Tok.EOF || (tok == Tok.OTHER && punct == '}'))) {
          throw error("expected the end of the line");
        }
      }
    }

    /** Tokens until a line end, ',' or '}' outside brackets; brackets must balance. */
    private void expression(int depth) {
      StringBuilder open = new StringBuilder();
      boolean any = false;
      while (true) {
        if (tok == Tok.EOF) {
          if (open.length() > 0) {
            throw error("expected '" + closing(open.charAt(open.length() - 1)) + "'");
          }
          break;
        }
        if (open.length() == 0 && (tok == Tok.NEWLINE || (tok == Tok.OTHER && punct == '}'))) {
          break;
        }
        if (tok == Tok.OTHER && (punct == '(' || punct == '[' || punct == '{')) {
          if (open.length() + depth >= MAX_DEPTH) {
            throw error("expressions nested more than " + MAX_DEPTH + " levels deep");
          }
          open.append(punct);
        } else if (tok == Tok.OTHER && (punct == ')' || punct == ']' || punct == '}')) {
          if (open.length() == 0) {
            throw new AlloyError(tokLine, tokColumn, "unbalanced '" + punct + "'");
          }
          if (closing(open.charAt(open.length() - 1)) != punct) {
            throw error("expected '" + closing(open.charAt(open.length() - 1)) + "'");
          }
          open.setLength(open.length() - 1);
        }
        any = true;
        next();
      }
      if (!any) {
        throw error("expected a value after '='");
      }
    }

    private static char closing(char c) {
      return c == '(' ? ')' : c == '[' ? ']' : '}';
    }

    private void next() {
      while (pos < s.length()) {
        char c = s.charAt(pos);
        if (c == ' ' || c == '\t' || c == '\r') {
          pos++;
        } else if (c == '/' && pos + 1 < s.length() && s.charAt(pos + 1) == '/') {
          while (pos < s.length() && s.charAt(pos) != '\n') {
            pos++;
          }
        } else if (c == '/' && pos + 1 < s.length() && s.charAt(pos + 1) == '*') {
          int startLine = line;
          int startCol = pos - lineStart + 1;
          pos += 2;
          while (pos + 1 < s.length() && !(s.charAt(pos) == '*' && s.charAt(pos + 1) == '/')) {
            newlineAt(pos);
            pos++;
          }
          if (pos + 1 >= s.length()) {
            throw new AlloyError(startLine, startCol, "unterminated /* comment");
          }
          pos += 2;
        } else {
          break;
        }
      }
      tokLine = line;
      tokColumn = pos - lineStart + 1;
      if (pos >= s.length()) {
        tok = Tok.EOF;
        tokText = "";
        return;
      }
      int start = pos;
      char c = s.charAt(pos);
      if (c == '\n') {
        pos++;
        line++;
        lineStart = pos;
        tok = Tok.NEWLINE;
        tokText = "\\n";
      } else if (Character.isLetter(c) || c == '_') {
        while (pos < s.length()
            && (Character.isLetterOrDigit(s.charAt(pos)) || s.charAt(pos) == '_')) {
          pos++;
        }
        tok = Tok.IDENT;
        tokText = s.substring(start, pos);
      } else if (c == '"') {
        pos++;
        while (pos < s.length() && s.charAt(pos) != '"') {
          if (s.charAt(pos) == '\n') {
            throw new AlloyError(tokLine, tokColumn, "unterminated string");
          }
          pos += s.charAt(pos) == '\\' ? 2 : 1;
        }
        if (pos >= s.length()) {
          throw new AlloyError(tokLine, tokColumn, "unterminated string");
        }
        pos++;
        tok = Tok.STRING;
        tokText = "";
      } else if (c == '`') {
        pos++;
        while (pos < s.length() && s.charAt(pos) != '`') {
          newlineAt(pos);
          pos++;
        }
        if (pos >= s.length()) {
          throw new AlloyError(tokLine, tokColumn, "unterminated raw string");
        }
        pos++;
        tok = Tok.STRING;
        tokText = "";
      } else if (Character.isDigit(c)) {
        while (pos < s.length()
            && (Character.isLetterOrDigit(s.charAt(pos))
                || s.charAt(pos) == '.'
                || s.charAt(pos) == '_')) {
          pos++;
        }
        tok = Tok.OTHER;
        punct = '0';
        tokText = s.substring(start, pos);
      } else if ("{}[]()=.,:+-*/%^!<>&|?".indexOf(c) >= 0) {
        pos++;
        tok = Tok.OTHER;
        punct = c;
        tokText = String.valueOf(c);
      } else {
        throw new AlloyError(
            tokLine, tokColumn, "unexpected character " + excerpt(String.valueOf(c)));
      }
    }

    private void newlineAt(int i) {
      if (s.charAt(i) == '\n') {
        line++;
        lineStart = i + 1;
      }
    }
  }
}
