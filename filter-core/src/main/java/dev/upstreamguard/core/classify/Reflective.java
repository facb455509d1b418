package dev.upstreamguard.core.classify;

import java.lang.reflect.Field;
import java.lang.reflect.Member;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Optional;

/**
 * Reads one public no-argument method or public field of another library's exception, by name, guarded:
 * any failure yields {@code null}. The member is looked up once per class.
 */
final class Reflective {

    private final String name;
    private final ClassValue<Optional<Member>> members = new ClassValue<>() {
        @Override
        protected Optional<Member> computeValue(Class<?> type) {
            return Optional.ofNullable(lookUp(type));
        }
    };

    Reflective(String name) {
        this.name = name;
    }

    /** The value of the member on {@code target}, or {@code null} when absent or failing. */
    Object read(Object target) {
        if (target == null) {
            return null;
        }
        Member member = members.get(target.getClass()).orElse(null);
        try {
            if (member instanceof Method) {
                return ((Method) member).invoke(target);
            }
            if (member instanceof Field) {
                return ((Field) member).get(target);
            }
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            return null;
        }
        return null;
    }

    private Member lookUp(Class<?> type) {
        try {
            Method method = type.getMethod(name);
            if (Modifier.isPublic(method.getDeclaringClass().getModifiers())) {
                return method;
            }
        } catch (NoSuchMethodException | SecurityException | LinkageError e) {
            // not a method: try a field
        }
        try {
            Field field = type.getField(name);
            if (Modifier.isPublic(field.getDeclaringClass().getModifiers())) {
                return field;
            }
        } catch (NoSuchFieldException | SecurityException | LinkageError e) {
            // absent
        }
        return null;
    }
}
