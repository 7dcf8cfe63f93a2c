package io.callpark.rest;

import java.util.Optional;

/**
 * Who makes an API request: the operator (every tenant) or one tenant's key (that tenant only).
 *
 * @param tenant  the tenant of a tenant key; empty for the operator
 * @param keyHash the SHA-256 of the key presented (what ends with its revocation or retirement)
 */
public record Caller(Optional<String> tenant, Optional<String> keyHash) {

    public static Caller operator(String keyHash) {
        return new Caller(Optional.empty(), Optional.of(keyHash));
    }

    public static Caller of(String tenant, String keyHash) {
        return new Caller(Optional.of(tenant), Optional.of(keyHash));
    }

    public boolean isOperator() {
        return tenant.isEmpty();
    }

    /** What a log may name the key by: the first 8 hex digits of its SHA-256. */
    public String fingerprint() {
        return keyHash.map(h -> h.substring(0, 8)).orElse("-");
    }

    /** Whether this caller may see the tenant at all (a tenant key sees its own tenant only). */
    public boolean sees(String domain) {
        return tenant.map(domain::equals).orElse(true);
    }
}
