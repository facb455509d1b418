package dev.upstreamguard.core.classify;

import java.lang.reflect.Field;
import java.lang.reflect.Member;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;

/**
 * Reads one public no-argument method or public field of another library's exception, by name, guarded:
 * any failure yields {@code null}. The member is looked up once per class.
 */
final class Reflective {

    private static final Member ABSENT = Reflective.class.getDeclaredConstructors()[0];

    private final String name;
    private final ClassValue<Member> members = new ClassValue<>() {
        @Override
        protected Member computeValue(Class<?> type) {
            try {
                Method method = type.getMethod(name);
                if (Modifier.isPublic(method.getDeclaringClass().getModifiers())) {
                    return method;
                }
            } catch (NoSuchMethodException | SecurityException | LinkageError e) {
                // fall through to a field
            }
            try {
                Field field = type.getField(name);
                if (Modifier.isPublic(field.getDeclaringClass().getModifiers())) {
                    return field;
                }
            } catch (NoSuchFieldException | SecurityException | LinkageError e) {
                // absent
            }
            return ABSENT;
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
        Member member = members.get(target.getClass());
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
}
