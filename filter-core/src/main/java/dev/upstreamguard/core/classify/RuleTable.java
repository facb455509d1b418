package dev.upstreamguard.core.classify;

import java.util.HashMap;
import java.util.Map;

/**
 * Rules keyed by fully-qualified class name, so other libraries' exceptions are recognised without
 * depending on them. A throwable's rule is the one registered for its own class or, failing that, for
 * the nearest superclass; the answer is cached per class.
 */
final class RuleTable {

    private static final ThrowableRule NONE = (throwable, observed) -> null;

    private final Map<String, ThrowableRule> byClassName;
    private final ClassValue<ThrowableRule> byClass = new ClassValue<>() {
        @Override
        protected ThrowableRule computeValue(Class<?> type) {
            for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
                ThrowableRule rule = byClassName.get(c.getName());
                if (rule != null) {
                    return rule;
                }
            }
            return NONE;
        }
    };

    private RuleTable(Map<String, ThrowableRule> byClassName) {
        this.byClassName = Map.copyOf(byClassName);
    }

    /** The rule for this throwable's class (a rule that recognises nothing when none is registered). */
    ThrowableRule ruleFor(Throwable throwable) {
        return byClass.get(throwable.getClass());
    }

    /** Whether a rule is registered for exactly this class name. */
    boolean covers(String className) {
        return byClassName.containsKey(className);
    }

    static Builder builder() {
        return new Builder();
    }

    /** Collects rules; a class name may be registered once only. */
    static final class Builder {
        private final Map<String, ThrowableRule> rules = new HashMap<>();

        Builder on(String className, ThrowableRule rule) {
            if (rules.putIfAbsent(className, rule) != null) {
                throw new IllegalStateException("two rules for " + className);
            }
            return this;
        }

        Builder on(Class<? extends Throwable> type, ThrowableRule rule) {
            return on(type.getName(), rule);
        }

        RuleTable build() {
            return new RuleTable(rules);
        }
    }
}
