package io.callpark.config;

import java.util.List;

/** Thrown at start-up with every problem found, so an operator fixes them in one go. */
public class InvalidConfigurationException extends RuntimeException {

    private final List<String> problems;

    public InvalidConfigurationException(List<String> problems) {
        super("Callpark configuration rejected: " + String.join("; ", problems));
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }
}
