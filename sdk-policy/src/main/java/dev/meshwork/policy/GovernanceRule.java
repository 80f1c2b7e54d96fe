package dev.meshwork.policy;

/**
 * A rule checked on PUBLISH over what is about to be published: a built-in ({@code
 * every-column-has-description}, {@code pii-masked-or-private}, {@code owner-and-contract-version},
 * {@code breaking-change-needs-major-version}) or a CEL {@code condition} over {@code product},
 * {@code contract}, {@code port} and {@code columns}.
 */
public record GovernanceRule(String id, String builtin, String condition, String description) {}
