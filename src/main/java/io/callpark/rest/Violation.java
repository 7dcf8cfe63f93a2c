package io.callpark.rest;

/**
 * One broken rule of a client's input.
 *
 * @param field  JSON pointer-like path of the offending field, e.g. {@code recallTime} or {@code featureCodes.park}
 * @param rule   short machine-readable name of the rule, e.g. {@code range}, {@code type}, {@code unknown-field}
 * @param detail what is wrong and what is allowed, for a human
 */
public record Violation(String field, String rule, String detail) {
}
