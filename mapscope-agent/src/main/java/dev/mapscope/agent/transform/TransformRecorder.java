package dev.mapscope.agent.transform;

import java.util.List;
import java.util.Set;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.DynamicType;
import net.bytebuddy.utility.JavaModule;

/**
 * Collects the names of the transformed types (for status.json) and the transformation errors, instead
 * of printing them into the application's output.
 */
public final class TransformRecorder extends AgentBuilder.Listener.Adapter {
    private final List<String> errors;
    private final Set<String> transformed;

    public TransformRecorder(List<String> errors, Set<String> transformed) {
        this.errors = errors;
        this.transformed = transformed;
    }

    @Override
    public void onTransformation(
            TypeDescription type, ClassLoader loader, JavaModule module, boolean loaded, DynamicType dynamicType) {
        synchronized (transformed) {
            transformed.add(type.getName());
        }
    }

    @Override
    public void onError(
            String typeName, ClassLoader classLoader, JavaModule module, boolean loaded, Throwable throwable) {
        synchronized (errors) {
            errors.add(typeName + ": " + throwable);
        }
    }
}
