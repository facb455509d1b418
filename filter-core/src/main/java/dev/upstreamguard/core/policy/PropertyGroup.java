package dev.upstreamguard.core.policy;

import dev.upstreamguard.core.policy.PolicyBinder.PropertyInfo;

import java.time.format.DateTimeParseException;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The properties of one concern (e.g. {@code health.*}): their rows, the group's own mutable state the values
 * are parsed into, starting from the base policy, and the sub-policy built from that state. Every rejection
 * is a {@link ConfigurationException} naming the full key (prefix included), the value as written and what
 * the property accepts.
 *
 * @param <G> the concrete group, whose state a row's parser writes
 */
abstract class PropertyGroup<G extends PropertyGroup<G>> {

    /** Parses a value into a group's state; throws {@link IllegalArgumentException} for a bad value. */
    @FunctionalInterface
    interface Parser<G> {
        void parse(G group, String value);
    }

    /** One property: what it is, and how its value is parsed. */
    record Row<G>(PropertyInfo info, Parser<G> parser) {
    }

    private final String prefix;
    private final Map<String, Row<G>> rows;
    /** The values as written, for messages about a value checked against others. */
    private final Map<String, String> raw = new HashMap<>();

    /**
     * @param prefix the prefix of every key as the user wrote it (e.g. {@code upstream-guard.}), for messages
     * @param rows   the group's properties, in documentation order
     */
    protected PropertyGroup(String prefix, Map<String, Row<G>> rows) {
        this.prefix = prefix;
        this.rows = rows;
    }

    static <G> Row<G> row(String key, String defaultValue, String accepted, String description, Parser<G> parser) {
        return new Row<>(new PropertyInfo(key, defaultValue, accepted, description), parser);
    }

    @SafeVarargs
    static <G> Map<String, Row<G>> rows(Row<G>... rows) {
        Map<String, Row<G>> map = new LinkedHashMap<>();
        for (Row<G> r : rows) {
            map.put(r.info().key(), r);
        }
        return Collections.unmodifiableMap(map);
    }

    /** This group's properties, in documentation order. */
    final Stream<PropertyInfo> infos() {
        return rows.values().stream().map(Row::info);
    }

    final boolean owns(String key) {
        return rows.containsKey(key);
    }

    /** Whether an empty value of {@code key} means "none" rather than a missing value. */
    boolean emptyMeansNone(String key) {
        return false;
    }

    /**
     * Parses {@code value} (trimmed, or {@code null} when missing) of {@code key}, one of {@link #owns owned}
     * keys, into this group's state.
     */
    @SuppressWarnings("unchecked")
    final void set(String key, String value) {
        Row<G> row = rows.get(key);
        if (value == null || (value.isEmpty() && !emptyMeansNone(key))) {
            throw new ConfigurationException(prefix + key, value, row.info().accepted());
        }
        raw.put(key, value);
        try {
            row.parser().parse((G) this, value);
        } catch (IllegalArgumentException | DateTimeParseException ex) {
            String reason = ex instanceof PropertyValues.Rejection ? "; " + ex.getMessage() : "";
            throw new ConfigurationException(prefix + key, PropertyValues.masked(key, value), row.info().accepted() + reason);
        }
    }

    /** Puts this group's sub-policy, built from the values set on top of the base policy's, into {@code builder}. */
    abstract void applyTo(GuardPolicy.Builder builder);

    /** The full key of {@code key} as the user wrote it. */
    final String fullKey(String key) {
        return prefix + key;
    }

    /** The value of {@code key} as written, or {@code null} when it was not set here. */
    final String raw(String key) {
        return raw.get(key);
    }

    /** What {@code key}, one of this group's, accepts. */
    final String accepted(String key) {
        return rows.get(key).info().accepted();
    }

    /** A rejection of {@code key}: what it accepts, then {@code reason}. */
    final ConfigurationException rejection(String key, String value, String reason) {
        Row<G> row = rows.get(key);
        return new ConfigurationException(prefix + key, value, (row == null ? "" : row.info().accepted() + "; ") + reason);
    }

    /**
     * Builds a sub-policy whose constructor checks values across properties; a rejection names {@code key}
     * (the property most likely at fault) with {@code value} and the constructor's own explanation.
     */
    final <T> T blaming(String key, Object value, Supplier<T> build) {
        try {
            return build.get();
        } catch (IllegalArgumentException ex) {
            throw rejection(key, value == null ? null : String.valueOf(value), ex.getMessage());
        }
    }

    /**
     * Builds a sub-policy whose constructor checks values against each other. Its message names fields in
     * camelCase ({@code maxEjection must be at least baseEjection …}); each is the property of {@code group}
     * with that name in kebab-case ({@code health.max-ejection}). The rejection names the property the
     * message is about — or, when that one was not set here, another property the message names that was
     * (e.g. {@code health.base-ejection=10m} over the default maximum) — with the value as written, and the
     * message with field names turned into property keys.
     */
    final <T> T crossField(String group, Supplier<T> build) {
        try {
            return build.get();
        } catch (IllegalArgumentException ex) {
            String message = String.valueOf(ex.getMessage());
            Map<Integer, String> named = new TreeMap<>(); // position in the message -> property
            Map<String, String> fieldToKey = new LinkedHashMap<>();
            for (String key : rows.keySet()) {
                if (key.startsWith(group)) {
                    String field = camel(key.substring(group.length()));
                    Matcher m = Pattern.compile("\\b" + field + "\\b").matcher(message);
                    if (m.find()) {
                        named.put(m.start(), key);
                        fieldToKey.put(field, key);
                    }
                }
            }
            // the property the message is about if set here, else one it names that is, else one of the group that is
            String about = named.isEmpty() ? group + "*" : named.values().iterator().next();
            String key = Stream.concat(Stream.of(about), Stream.concat(named.values().stream(),
                            rows.keySet().stream().filter(k -> k.startsWith(group))))
                    .filter(raw::containsKey).findFirst().orElse(about);
            String reason = message;
            for (Map.Entry<String, String> f : fieldToKey.entrySet()) {
                reason = reason.replaceAll("\\b" + f.getKey() + "\\b", prefix + f.getValue());
            }
            throw rejection(key, raw.get(key), reason);
        }
    }

    /** {@code max-ejected-percent} → {@code maxEjectedPercent}. */
    private static String camel(String kebab) {
        StringBuilder out = new StringBuilder(kebab.length());
        boolean upper = false;
        for (char c : kebab.toCharArray()) {
            if (c == '-') {
                upper = true;
            } else {
                out.append(upper ? Character.toUpperCase(c) : c);
                upper = false;
            }
        }
        return out.toString();
    }
}
