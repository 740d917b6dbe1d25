package dev.mapscope.agent.transform;

import java.util.List;

/**
 * One row of an advice table: in the class {@code type}, the methods that {@code methods} selects get the Byte Buddy
 * {@code @Advice} class {@code advice}. Rows of one class apply in the order they were added (an advice added later
 * wraps the earlier ones). Plain data: building a table loads no Byte Buddy class.
 */
public record Hook(String type, Class<?> advice, Methods methods) {
    /**
     * Which methods of a class: by name, and optionally by argument count, argument types and return type;
     * abstract methods never (they have no code). {@link #constructors()} selects the constructors instead.
     */
    public record Methods(List<String> names, int argumentCount, List<Class<?>> argumentTypes, Class<?> returnType) {
        static final String CONSTRUCTOR = "<init>";

        /** Methods with one of these names, whatever their arguments and return type. */
        public static Methods named(String... names) {
            return new Methods(List.of(names), -1, null, null);
        }

        /** Every constructor. */
        public static Methods constructors() {
            return named(CONSTRUCTOR);
        }

        /** Only those that take {@code n} arguments. */
        public Methods takingArguments(int n) {
            return new Methods(names, n, null, returnType);
        }

        /** Only those that take exactly these argument types. */
        public Methods takingArguments(Class<?>... types) {
            return new Methods(names, types.length, List.of(types), returnType);
        }

        /** Only those that return {@code type}. */
        public Methods returning(Class<?> type) {
            return new Methods(names, argumentCount, argumentTypes, type);
        }

        boolean constructorsOnly() {
            return names.contains(CONSTRUCTOR);
        }
    }
}
