package io.electraconvert.maven;

/**
 * Where verify's summary goes: Maven's log in Maven's JVM, the protocol on standard output in a forked one
 * ({@link ForkProtocol}). Free of Maven's API, which a forked JVM does not have.
 */
@FunctionalInterface
interface LogLines {
    enum Level { DEBUG, INFO, WARN, ERROR }

    void line(Level level, String text);

    default void debug(String text) {
        line(Level.DEBUG, text);
    }

    default void info(String text) {
        line(Level.INFO, text);
    }

    default void warn(String text) {
        line(Level.WARN, text);
    }

    default void error(String text) {
        line(Level.ERROR, text);
    }
}
