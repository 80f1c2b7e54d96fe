package dev.meshwork.policy.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Translates the simple row filters query engines can share — comparisons of {@code row.COLUMN}
 * with literals, joined by {@code &&}, {@code ||}, {@code !} and parentheses — from CEL to SQL.
 * Anything else is not translated (empty), so an export never weakens a filter.
 */
public final class CelToSql {
  private static final Pattern TOKEN =
      Pattern.compile(
          "\\s*(?:(row\\.[A-Za-z_][A-Za-z0-9_]*)|('(?:[^'\\\\]|\\\\.)*'|\"(?:[^\"\\\\]|\\\\.)*\")"
              + "|(-?[0-9]+(?:\\.[0-9]+)?)|(true|false|null)|(==|!=|<=|>=|<|>|&&|\\|\\||!|\\(|\\)))");

  private CelToSql() {}

  /** The SQL for a CEL row filter, or empty when it uses more than the shared subset. */
  public static Optional<String> translate(String cel) {
    List<String> out = new ArrayList<>();
    Matcher m = TOKEN.matcher(cel);
    int at = 0;
    String previous = null;
    boolean lastOperand = false;
    while (at < cel.length()) {
      if (cel.substring(at).isBlank()) {
        break;
      }
      if (!m.find(at) || m.start() != at) {
        return Optional.empty();
      }
      String token;
      boolean operand = m.group(5) == null;
      if (operand && lastOperand) {
        // Two operands in a row ('it''s', row.a row.b) are not an expression of the subset.
        return Optional.empty();
      }
      lastOperand = operand || m.group(5).equals(")");
      if (m.group(1) != null) {
        token = "\"" + m.group(1).substring(4) + "\"";
      } else if (m.group(2) != null) {
        String body = m.group(2).substring(1, m.group(2).length() - 1);
        if (body.contains("\\")) {
          return Optional.empty();
        }
        token = "'" + body.replace("'", "''") + "'";
      } else if (m.group(3) != null) {
        token = m.group(3);
      } else if (m.group(4) != null) {
        token = m.group(4).toUpperCase(java.util.Locale.ROOT);
      } else {
        token =
            switch (m.group(5)) {
              case "==" -> "=";
              case "!=" -> "<>";
              case "&&" -> "AND";
              case "||" -> "OR";
              case "!" -> "NOT";
              default -> m.group(5);
            };
      }
      // SQL compares with NULL through IS; CEL's == null has no faithful '=' translation.
      if (token.equals("NULL")
          && previous != null
          && (previous.equals("=") || previous.equals("<>"))) {
        out.set(out.size() - 1, previous.equals("=") ? "IS" : "IS NOT");
      }
      out.add(token);
      previous = token;
      at = m.end();
    }
    if (out.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(String.join(" ", out).replace("( ", "(").replace(" )", ")"));
  }
}
