package io.jetstreambridge.config;

import io.jetstreambridge.JetstreamBridgeException;

import java.util.List;
import java.util.stream.Collectors;

/** Every problem found in one validation pass, reported together so one restart fixes them all. */
public class InvalidConfigurationException extends JetstreamBridgeException {

    private static final long serialVersionUID = 1L;

    private final transient List<ConfigProblem> problems;

    public InvalidConfigurationException(List<ConfigProblem> problems) {
        super(describe(problems));
        this.problems = List.copyOf(problems);
    }

    public List<ConfigProblem> problems() {
        return problems;
    }

    private static String describe(List<ConfigProblem> problems) {
        return "JetStream Bridge configuration is invalid (" + problems.size()
                + (problems.size() == 1 ? " problem" : " problems") + "):"
                + problems.stream().map(p -> "\n  - " + p).collect(Collectors.joining());
    }
}
