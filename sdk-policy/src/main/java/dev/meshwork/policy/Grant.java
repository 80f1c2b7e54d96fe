package dev.meshwork.policy;

import dev.meshwork.spi.Action;
import java.util.List;
import java.util.Set;

/**
 * Who may do which actions on which product, ports and contracts, for which purposes, under which
 * CEL condition, and with which masks, row filter and usage terms. Empty sets match everything.
 */
public record Grant(
    String id,
    Set<String> principals,
    Set<Action> actions,
    Set<String> products,
    Set<String> ports,
    Set<String> contracts,
    Set<String> purposes,
    String condition,
    List<MaskRule> masks,
    String rowFilter,
    List<String> terms) {

  /** Copies the collections. */
  public Grant {
    principals = Set.copyOf(principals);
    actions = Set.copyOf(actions);
    products = Set.copyOf(products);
    ports = Set.copyOf(ports);
    contracts = Set.copyOf(contracts);
    purposes = Set.copyOf(purposes);
    masks = List.copyOf(masks);
    terms = List.copyOf(terms);
  }

  /** A builder for a grant with this id (for policies written in code). */
  public static Builder builder(String id) {
    return new Builder(id);
  }

  /** Builds a {@link Grant}; unset sets match everything, except principals and actions. */
  public static final class Builder {
    private final String id;
    private final Set<String> principals = new java.util.LinkedHashSet<>();
    private final Set<Action> actions = new java.util.LinkedHashSet<>();
    private final Set<String> products = new java.util.LinkedHashSet<>();
    private final Set<String> ports = new java.util.LinkedHashSet<>();
    private final Set<String> contracts = new java.util.LinkedHashSet<>();
    private final Set<String> purposes = new java.util.LinkedHashSet<>();
    private final List<MaskRule> masks = new java.util.ArrayList<>();
    private final List<String> terms = new java.util.ArrayList<>();
    private String condition;
    private String rowFilter;

    private Builder(String id) {
      this.id = id;
    }

    /** Who: {@code user:NAME}, {@code service:NAME}, {@code group:NAME} or {@code *}. */
    public Builder principals(String... values) {
      principals.addAll(List.of(values));
      return this;
    }

    /** What. */
    public Builder actions(Action... values) {
      actions.addAll(List.of(values));
      return this;
    }

    /** Which products (id or name). */
    public Builder products(String... values) {
      products.addAll(List.of(values));
      return this;
    }

    /** Which ports. */
    public Builder ports(String... values) {
      ports.addAll(List.of(values));
      return this;
    }

    /** Which contracts (by id) the port must implement. */
    public Builder contracts(String... values) {
      contracts.addAll(List.of(values));
      return this;
    }

    /** The purposes a run must declare. */
    public Builder purposes(String... values) {
      purposes.addAll(List.of(values));
      return this;
    }

    /** A CEL condition over principal, action, product, port, purpose, hour and now. */
    public Builder condition(String cel) {
      this.condition = cel;
      return this;
    }

    /** A mask applied to readers. */
    public Builder mask(MaskRule rule) {
      masks.add(rule);
      return this;
    }

    /** A CEL row filter over {@code row}. */
    public Builder rowFilter(String cel) {
      this.rowFilter = cel;
      return this;
    }

    /** A usage term recorded with the decision. */
    public Builder term(String term) {
      terms.add(term);
      return this;
    }

    /** The grant; throws {@link PolicyException} when principals or actions are missing. */
    public Grant build() {
      if (principals.isEmpty() || actions.isEmpty()) {
        throw new PolicyException(
            "Grant " + id + " needs principals and actions; call principals(...) and actions(...)");
      }
      for (String cel : java.util.Arrays.asList(condition, rowFilter)) {
        if (cel != null) {
          try {
            dev.meshwork.policy.internal.Cel.compile(cel);
          } catch (IllegalArgumentException e) {
            throw new PolicyException("Grant " + id + ": " + e.getMessage(), e);
          }
        }
      }
      return new Grant(
          id,
          principals,
          actions,
          products,
          ports,
          contracts,
          purposes,
          condition,
          masks,
          rowFilter,
          terms);
    }
  }

  /**
   * Which columns to mask and how: by column path ({@code email}, {@code contact.email}, {@code
   * contacts[].email}), by ODCS classification or by tag, at any depth of nested data; {@code with}
   * is {@code null}, {@code redact}, {@code hash} or {@code truncate} (keeping {@code length}).
   */
  public record MaskRule(
      String column, String classification, String tag, String with, int length) {

    /** Masks one column, or one nested field by its path. */
    public static MaskRule column(String column, String with) {
      return new MaskRule(column, null, null, with, 4);
    }

    /** Masks every column with this ODCS classification. */
    public static MaskRule classification(String classification, String with) {
      return new MaskRule(null, classification, null, with, 4);
    }
  }
}
