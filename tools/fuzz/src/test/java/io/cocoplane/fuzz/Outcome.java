package io.cocoplane.fuzz;

/**
 * Runs one parser call and sorts its outcome: a value, a documented refusal, or a finding. A fuzz target states the
 * exception types a parser documents for bad input; every other throwable (NullPointerException, an index error, a
 * Jackson or JCA exception leaking, OutOfMemoryError, StackOverflowError, an undocumented checked exception) is
 * rethrown, so Jazzer reports it as a crash.
 */
final class Outcome {

    /** A parser call that may throw anything. */
    @FunctionalInterface
    interface Call<T> {
        /** @return the parsed value */
        T run() throws Exception;
    }

    private Outcome() {
    }

    /**
     * @param call       the parser call
     * @param documented the exception types the parser documents for bad input
     * @return the value, or {@code null} when the call threw one of {@code documented}
     * @throws RuntimeException any undocumented unchecked exception, unchanged
     * @throws Error            any error, unchanged
     * @throws AssertionError   wrapping an undocumented checked exception
     */
    @SafeVarargs
    static <T> T refusedOr(Call<T> call, Class<? extends Throwable>... documented) {
        try {
            return call.run();
        } catch (Throwable t) {
            for (Class<? extends Throwable> c : documented) {
                if (c.isInstance(t)) {
                    return null;
                }
            }
            if (t instanceof RuntimeException r) {
                throw r;
            }
            if (t instanceof Error e) {
                throw e;
            }
            throw new AssertionError("undocumented checked exception " + t.getClass().getName(), t);
        }
    }

    /**
     * @throws AssertionError with {@code message} unless {@code condition} holds (a property of accepted input)
     */
    static void check(boolean condition, String message) {
        if (!condition) {
            throw new AssertionError(message);
        }
    }

    /**
     * Parses, and when the input is accepted checks that encoding the value and parsing the encoding gives an equal
     * value (parse∘encode is the identity on accepted values).
     *
     * @param data       fuzzer input
     * @param parse      the parser
     * @param encode     the matching encoder
     * @param documented the exception types the parser documents for bad input
     * @return the parsed value, or {@code null} when refused
     * @throws AssertionError when the encoding is refused or parses to another value
     */
    @SafeVarargs
    static <T> T roundTrip(byte[] data, Parser<T> parse, java.util.function.Function<T, byte[]> encode,
            Class<? extends Throwable>... documented) {
        T value = refusedOr(() -> parse.parse(data), documented);
        if (value == null) {
            return null;
        }
        byte[] encoded = encode.apply(value);
        T again = refusedOr(() -> parse.parse(encoded), documented);
        check(again != null, "the encoding of an accepted " + value.getClass().getSimpleName() + " is refused");
        check(again.equals(value), value.getClass().getSimpleName() + " changed across encode and parse: " + value
                + " became " + again);
        return value;
    }

    /** A parser from bytes. */
    @FunctionalInterface
    interface Parser<T> {
        /** @return the parsed value */
        T parse(byte[] data) throws Exception;
    }
}
