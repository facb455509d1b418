package dev.upstreamguard.core.classify;

import net.bytebuddy.ByteBuddy;
import net.bytebuddy.description.modifier.Visibility;
import net.bytebuddy.dynamic.loading.ClassLoadingStrategy;

import java.lang.reflect.Constructor;
import java.lang.reflect.Method;

/** Builds exception instances for the tables: chains, non-public constructors, and classes that are not on the classpath. */
final class Throwables {

    private Throwables() {
    }

    /** {@code outer} with {@code cause} as its cause. */
    static <T extends Throwable> T causedBy(T outer, Throwable cause) {
        outer.initCause(cause);
        return outer;
    }

    /** An instance of a (possibly non-public) class through a declared constructor. */
    static Throwable construct(String className, Class<?>[] types, Object... args) {
        try {
            Constructor<?> constructor = Class.forName(className).getDeclaredConstructor(types);
            constructor.setAccessible(true);
            return (Throwable) constructor.newInstance(args);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError("cannot construct " + className, e);
        }
    }

    /** The result of a (possibly non-public) static factory method. */
    static Throwable invokeStatic(String className, String method, Class<?>[] types, Object... args) {
        try {
            Method factory = Class.forName(className).getDeclaredMethod(method, types);
            factory.setAccessible(true);
            return (Throwable) factory.invoke(null, args);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError("cannot call " + className + "." + method, e);
        }
    }

    /**
     * An instance of a class named {@code className} extending {@code superclass}, made at run time for
     * libraries that are not on the test classpath (OkHttp 5's JVM jar, Spring Cloud Gateway). Each call
     * defines the class in a fresh class loader.
     */
    static Throwable named(String className, Class<? extends Throwable> superclass, String message) {
        try {
            Class<? extends Throwable> type = new ByteBuddy().subclass(superclass).name(className).make()
                    .load(Throwables.class.getClassLoader(), ClassLoadingStrategy.Default.WRAPPER).getLoaded();
            return type.getConstructor(String.class).newInstance(message);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError("cannot define " + className, e);
        }
    }

    /** Like {@link #named} with a public field {@code fieldName} holding {@code value}. */
    static Throwable namedWithField(String className, Class<? extends Throwable> superclass, String fieldName,
                                    Object value) {
        try {
            Class<? extends Throwable> type = new ByteBuddy().subclass(superclass).name(className)
                    .defineField(fieldName, Object.class, Visibility.PUBLIC).make()
                    .load(Throwables.class.getClassLoader(), ClassLoadingStrategy.Default.WRAPPER).getLoaded();
            Throwable instance = type.getConstructor(String.class).newInstance("stream was reset");
            type.getField(fieldName).set(instance, value);
            return instance;
        } catch (ReflectiveOperationException e) {
            throw new AssertionError("cannot define " + className, e);
        }
    }
}
