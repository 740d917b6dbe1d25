package dev.mapscope.agent.transform;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which JDK classes get which advice: rows of (class, methods, {@code @Advice} class), added with {@link #add}. The
 * installer ({@link AdviceTransformer}) weaves them with Byte Buddy's {@code Advice} as a plain ASM visitor, without
 * Byte Buddy's {@code AgentBuilder}, and keeps what it wove in {@link WovenCache} so that a later JVM on the same JDK
 * and agent build loads no Byte Buddy class at all.
 */
public final class AdviceTable {
    /** rows by class name (binary, with dots), in the order added */
    private final Map<String, List<Hook>> byType = new LinkedHashMap<>();

    /** Adds a row: in class {@code type} the selected {@code methods} get {@code advice}. Returns this table. */
    public AdviceTable add(String type, Class<?> advice, Hook.Methods methods) {
        List<Hook> rows = byType.get(type); // no lambda: this runs in premain, where the first one costs
        if (rows == null) {
            rows = new ArrayList<>();
            byType.put(type, rows);
        }
        rows.add(new Hook(type, advice, methods));
        return this;
    }

    /** The same advice on several classes. */
    public AdviceTable add(String[] types, Class<?> advice, Hook.Methods methods) {
        for (String t : types) {
            add(t, advice, methods);
        }
        return this;
    }

    /** The classes that get advice, in the order their first row was added. */
    public Set<String> typeNames() {
        return byType.keySet();
    }

    List<Hook> hooks(String type) {
        return byType.get(type);
    }

    /**
     * Every row as text: part of the woven cache's key, so that a changed table never reuses bytes woven for
     * another (the advice classes' own code is covered by the agent's build id).
     */
    String fingerprint() {
        StringBuilder b = new StringBuilder(4096);
        for (List<Hook> hooks : byType.values()) {
            for (Hook h : hooks) {
                Hook.Methods m = h.methods();
                b.append(h.type()).append('|').append(h.advice().getName()).append('|');
                for (String n : m.names()) {
                    b.append(n).append(',');
                }
                b.append('|').append(m.argumentCount()).append('|');
                if (m.argumentTypes() != null) {
                    for (Class<?> t : m.argumentTypes()) {
                        b.append(t.getName()).append(',');
                    }
                }
                b.append('|')
                        .append(m.returnType() == null ? "" : m.returnType().getName())
                        .append('\n');
            }
        }
        return b.toString(); // not the records' toString: its invokedynamic bootstrap costs 40 ms at start-up
    }
}
