package dev.upstreamguard.core.classify;

import java.lang.reflect.Field;
import java.lang.reflect.Member;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.Optional;

/**
 * Reads one public no-argument method or public field of another library's object, by name, guarded:
 * any failure yields {@code null}. The member is looked up once per class. A method that a non-public
 * class implements (Spring's package-private {@code DefaultHttpStatusCode#value()}) is called through
 * the public supertype that declares it ({@code HttpStatusCode#value()}).
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
        Method method = publicMethod(type);
        if (method != null) {
            return method;
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

    /** The method as declared by a public type: {@code type} itself or the nearest supertype that declares it. */
    private Method publicMethod(Class<?> type) {
        Deque<Class<?>> types = new ArrayDeque<>();
        types.add(type);
        while (!types.isEmpty()) {
            Class<?> candidate = types.poll();
            Method method = methodOf(candidate);
            if (method == null) {
                continue; // nor do its supertypes have it
            }
            if (Modifier.isPublic(method.getDeclaringClass().getModifiers())) {
                return method;
            }
            if (candidate.getSuperclass() != null) {
                types.add(candidate.getSuperclass());
            }
            types.addAll(Arrays.asList(candidate.getInterfaces()));
        }
        return null;
    }

    private Method methodOf(Class<?> type) {
        try {
            return type.getMethod(name);
        } catch (NoSuchMethodException | SecurityException | LinkageError e) {
            return null;
        }
    }
}
