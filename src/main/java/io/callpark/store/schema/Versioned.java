package io.callpark.store.schema;

/**
 * A stored value that changes only by compare-and-set: each write gives it a new version (drawn at random, see
 * ConditionalUpdate), and two values are the same value exactly when their versions are. A conditional write
 * therefore compares versions, whatever fields a later release adds to the record.
 */
public interface Versioned<V extends Versioned<V>> {

    long version();

    V withVersion(long version);
}
